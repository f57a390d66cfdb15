//! Pure functions from history rows to chart series and plain-English
//! summaries. No terminal, no database.

use crate::model::Point;
use crate::questionnaire::{fmt_number, Band, Score, Tone};
use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Weeks4,
    Months3,
    Months12,
    All,
}

impl Period {
    pub const ALL: [Period; 4] = [
        Period::Weeks4,
        Period::Months3,
        Period::Months12,
        Period::All,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Period::Weeks4 => "4 weeks",
            Period::Months3 => "3 months",
            Period::Months12 => "12 months",
            Period::All => "all time",
        }
    }
    /// The start of the period, or None for all time.
    pub fn since(self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            Period::Weeks4 => Some(now - Duration::weeks(4)),
            Period::Months3 => Some(now - Duration::days(91)),
            Period::Months12 => Some(now - Duration::days(365)),
            Period::All => None,
        }
    }
    pub fn next(self) -> Period {
        let i = Period::ALL.iter().position(|p| *p == self).unwrap_or(0);
        Period::ALL[(i + 1) % Period::ALL.len()]
    }
}

/// A change between two check-ins.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    pub from: f64,
    pub to: f64,
    pub delta: f64,
    /// At least the questionnaire's meaningful change (None: not defined).
    pub meaningful: Option<bool>,
}

pub fn change(from: f64, to: f64, meaningful: Option<f64>) -> Change {
    let delta = to - from;
    Change {
        from,
        to,
        delta,
        meaningful: meaningful.map(|m| delta.abs() >= m - 1e-9),
    }
}

/// Chart coordinates: x in days before `now` (negative), y the value.
pub fn chart_points(points: &[Point], now: DateTime<Utc>) -> Vec<(f64, f64)> {
    points
        .iter()
        .map(|p| ((p.at - now).num_seconds() as f64 / 86_400.0, p.value))
        .collect()
}

/// Indices of points that differ from the one before by at least `threshold`.
pub fn meaningful_changes(points: &[Point], threshold: Option<f64>) -> Vec<usize> {
    let Some(t) = threshold else {
        return Vec::new();
    };
    (1..points.len())
        .filter(|&i| (points[i].value - points[i - 1].value).abs() >= t - 1e-9)
        .collect()
}

/// The x range of the chart: the period, or the data for "all time".
pub fn x_bounds(
    points: &[(f64, f64)],
    since: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> [f64; 2] {
    let start = match since {
        Some(s) => (s - now).num_seconds() as f64 / 86_400.0,
        None => points.first().map(|p| p.0).unwrap_or(-28.0).min(-1.0),
    };
    [start, 0.0]
}

/// What a summary needs to know about a score: its name, its possible
/// range, its bands (to count check-ins in an alert band) and its
/// meaningful change.
#[derive(Debug, Clone, Copy)]
pub struct Scale<'a> {
    pub label: &'a str,
    pub range: (f64, f64),
    pub meaningful: Option<f64>,
    pub bands: &'a [Band],
}

impl<'a> Scale<'a> {
    pub fn of(score: &'a Score) -> Scale<'a> {
        Scale {
            label: &score.label,
            range: score.range,
            meaningful: score.meaningful_change,
            bands: &score.bands,
        }
    }

    /// Averages and fitted changes are shown to this step: tenths on short
    /// scales (e.g. 0-10), whole points on long ones (e.g. 0-100).
    fn step(&self) -> f64 {
        if (self.range.1 - self.range.0).abs() <= 20.0 {
            0.1
        } else {
            1.0
        }
    }

    fn shown(&self, x: f64) -> String {
        let step = self.step();
        fmt_number((x / step).round() * step)
    }

    fn in_alert_band(&self, v: f64) -> bool {
        self.bands
            .iter()
            .find(|b| b.contains(v))
            .is_some_and(|b| b.tone == Tone::Alert)
    }

    fn has_alert_band(&self) -> bool {
        self.bands.iter().any(|b| b.tone == Tone::Alert)
    }
}

/// A day said the way a person would: today, earlier today, yesterday, or
/// a date with its year.
fn day<Tz: TimeZone>(at: DateTime<Utc>, now: DateTime<Utc>, tz: &Tz, latest: bool) -> Day
where
    Tz::Offset: std::fmt::Display,
{
    let d = at.with_timezone(tz).date_naive();
    let today = now.with_timezone(tz).date_naive();
    if d == today {
        if latest {
            Day::Today
        } else {
            Day::EarlierToday
        }
    } else if d.succ_opt() == Some(today) {
        Day::Yesterday
    } else {
        Day::Date(d.format("%-d %b %Y").to_string())
    }
}

enum Day {
    Today,
    EarlierToday,
    Yesterday,
    Date(String),
}

impl Day {
    /// "today", "earlier today", "yesterday", "on 3 Oct 2026".
    fn on(&self) -> String {
        match self {
            Day::Today => "today".into(),
            Day::EarlierToday => "earlier today".into(),
            Day::Yesterday => "yesterday".into(),
            Day::Date(d) => format!("on {d}"),
        }
    }
    /// "since earlier today", "since yesterday", "since 3 Oct 2026".
    fn since(&self) -> String {
        match self {
            Day::Today | Day::EarlierToday => "since earlier today".into(),
            Day::Yesterday => "since yesterday".into(),
            Day::Date(d) => format!("since {d}"),
        }
    }
}

/// A plain-English summary of the period that agrees with the chart: the
/// latest value, the recent direction, the low and the high with their
/// dates, the average, and how many check-ins fell in an alert band.
/// Dates are shown in `tz`; `now` decides what "today" is.
pub fn summary<Tz: TimeZone>(scale: &Scale, points: &[Point], now: DateTime<Utc>, tz: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    let label = scale.label;
    let n = points.len();
    let when = |p: &Point, latest: bool| day(p.at, now, tz, latest);
    let Some(last) = points.last() else {
        return format!("{label}: no check-ins in this period yet.");
    };
    if n == 1 {
        let mut s = format!(
            "{label}: a single check-in in this period, {} {}.",
            fmt_number(last.value),
            when(last, true).on()
        );
        if scale.in_alert_band(last.value) {
            s.push_str(" It was in an alert band.");
        }
        return s;
    }
    let first = &points[0];
    // Of equal lows or highs, the most recent one is named.
    let lo = points
        .iter()
        .rev()
        .min_by(|a, b| a.value.total_cmp(&b.value))
        .unwrap_or(last);
    let hi = points
        .iter()
        .max_by(|a, b| a.value.total_cmp(&b.value))
        .unwrap_or(last);
    let alert = points
        .iter()
        .filter(|p| scale.in_alert_band(p.value))
        .count();
    let alert_sentence = if !scale.has_alert_band() {
        String::new()
    } else {
        match (alert, n) {
            (0, 2) => " Neither was in an alert band.".into(),
            (0, _) => " None was in an alert band.".into(),
            (2, 2) => " Both were in an alert band.".into(),
            (a, _) if a == n => format!(" All {n} were in an alert band."),
            (1, _) => format!(" 1 of the {n} was in an alert band."),
            (a, _) => format!(" {a} of the {n} were in an alert band."),
        }
    };
    if hi.value - lo.value < 1e-9 {
        let each = if n == 2 {
            "both check-ins".to_string()
        } else {
            format!("each of the {n} check-ins")
        };
        return format!(
            "{label}: {} at {each} {}; no change.{alert_sentence}",
            fmt_number(last.value),
            when(first, false).since()
        );
    }
    // One direction, the same in every period shown and never against the
    // last change on the chart: the latest check-in against the one before.
    let prev = &points[n - 2];
    let delta = last.value - prev.value;
    let mut direction = if delta.abs() < 1e-9 {
        format!(
            "{label}: {} {}, the same as the check-in before ({}).",
            fmt_number(last.value),
            when(last, true).on(),
            when(prev, false).on()
        )
    } else {
        format!(
            "{label}: {} {}, {} {} since the check-in before ({} {}).",
            fmt_number(last.value),
            when(last, true).on(),
            if delta > 0.0 { "up" } else { "down" },
            scale.shown(delta.abs()),
            fmt_number(prev.value),
            when(prev, false).on()
        )
    };
    if let Some(m) = scale.meaningful.filter(|_| delta.abs() >= 1e-9) {
        if delta.abs() >= m - 1e-9 {
            direction.push_str(&format!(
                " That is a meaningful change ({} or more).",
                fmt_number(m)
            ));
        } else {
            direction.push_str(&format!(
                " That is less than a meaningful change ({}).",
                fmt_number(m)
            ));
        }
    }
    let mean = points.iter().map(|p| p.value).sum::<f64>() / n as f64;
    format!(
        "{direction} Low {} {}, high {} {}, average {} over {n} check-ins.{alert_sentence}",
        fmt_number(lo.value),
        when(lo, std::ptr::eq(lo, last)).on(),
        fmt_number(hi.value),
        when(hi, std::ptr::eq(hi, last)).on(),
        scale.shown(mean),
    )
}

/// How a long series is drawn: every check-in, or the mean of each week or
/// month, so that many check-ins do not turn into a barcode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    Each,
    Week,
    Month,
}

/// Means are drawn when there are more check-ins than half the chart's
/// cells can show; weekly when the weeks fit, else monthly.
pub fn choose_bucket(points: usize, span_days: f64, cells: u16) -> Bucket {
    let room = (cells as f64 / 2.0).max(1.0);
    if points as f64 <= room {
        Bucket::Each
    } else if span_days / 7.0 <= room {
        Bucket::Week
    } else {
        Bucket::Month
    }
}

/// Chart coordinates (days before `now`, value) of the series, each
/// check-in or the mean of each week (7-day spans counted back from `now`)
/// or calendar month. Oldest first.
pub fn bucket_means<Tz: TimeZone>(
    points: &[Point],
    bucket: Bucket,
    now: DateTime<Utc>,
    tz: &Tz,
) -> Vec<(f64, f64)> {
    let xy = chart_points(points, now);
    if bucket == Bucket::Each {
        return xy;
    }
    let key = |p: &Point, x: f64| -> i64 {
        match bucket {
            Bucket::Week => (-x / 7.0).floor() as i64,
            _ => {
                let d = p.at.with_timezone(tz).date_naive();
                -(d.year() as i64 * 12 + d.month0() as i64)
            }
        }
    };
    let mut out: Vec<(f64, f64)> = Vec::new();
    let mut current: Option<(i64, f64, f64, usize)> = None;
    for (p, &(x, y)) in points.iter().zip(&xy) {
        let k = key(p, x);
        match current.as_mut() {
            Some((ck, sx, sy, n)) if *ck == k => {
                *sx += x;
                *sy += y;
                *n += 1;
            }
            _ => {
                if let Some((_, sx, sy, n)) = current.take() {
                    out.push((sx / n as f64, sy / n as f64));
                }
                current = Some((k, x, y, 1));
            }
        }
    }
    if let Some((_, sx, sy, n)) = current {
        out.push((sx / n as f64, sy / n as f64));
    }
    out
}

/// Date labels for the x axis from `x0` days before `now` up to now,
/// `count` of them evenly spaced, the last one "today". They carry the
/// year when the range spans more than one calendar year.
pub fn date_labels<Tz: TimeZone>(x0: f64, now: DateTime<Utc>, count: usize, tz: &Tz) -> Vec<String>
where
    Tz::Offset: std::fmt::Display,
{
    let count = count.max(2);
    let at = |i: usize| {
        let x = x0 * (1.0 - i as f64 / (count - 1) as f64);
        (now + Duration::seconds((x * 86_400.0) as i64)).with_timezone(tz)
    };
    let spans_years = at(0).year() != now.with_timezone(tz).year();
    let fmt = if spans_years { "%-d %b %Y" } else { "%-d %b" };
    (0..count)
        .map(|i| {
            if i == count - 1 {
                crate::text::TODAY.to_string()
            } else {
                at(i).format(fmt).to_string()
            }
        })
        .collect()
}

pub fn points_word(x: f64) -> String {
    if (x - 1.0).abs() < 1e-9 {
        "1 point".to_string()
    } else {
        format!("{} points", fmt_number(x))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 10, day, hour, 0, 0).unwrap()
    }

    fn p(day: u32, v: f64) -> Point {
        Point {
            at: at(day, 9),
            value: v,
            is_demo: false,
        }
    }

    fn series(values: &[f64]) -> Vec<Point> {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| p(i as u32 + 1, *v))
            .collect()
    }

    fn band(min: f64, max: f64, label: &str, tone: Tone) -> Band {
        Band {
            min,
            max,
            label: label.into(),
            tone,
            message: String::new(),
            signposting: None,
        }
    }

    fn who5_bands() -> Vec<Band> {
        vec![
            band(0.0, 28.0, "Low", Tone::Alert),
            band(29.0, 50.0, "Poor", Tone::Caution),
            band(51.0, 100.0, "Good", Tone::Good),
        ]
    }

    fn who5(bands: &[Band]) -> Scale<'_> {
        Scale {
            label: "WHO-5 wellbeing",
            range: (0.0, 100.0),
            meaningful: Some(10.0),
            bands,
        }
    }

    /// The summary on the day after the last point of `points`.
    fn say(scale: &Scale, points: &[Point]) -> String {
        let now = points.last().map(|p| p.at).unwrap_or(at(1, 9)) + Duration::hours(3);
        summary(scale, points, now, &Utc)
    }

    #[test]
    fn a_v_is_rising_not_the_same() {
        let b = who5_bands();
        let s = say(&who5(&b), &series(&[60.0, 40.0, 20.0, 40.0, 60.0]));
        assert_eq!(
            s,
            "WHO-5 wellbeing: 60 today, up 20 since the check-in before (40 yesterday). \
             That is a meaningful change (10 or more). Low 20 on 3 Oct 2026, high 60 today, \
             average 44 over 5 check-ins. 1 of the 5 was in an alert band."
        );
        assert!(!s.contains("the same"), "{s}");
    }

    /// Issue 18: three check-ins in one day, 20 then 92 then 72. The
    /// direction is the last change the chart shows (down 20), never
    /// "rising" over a fit of the day; and it reads the same over 4 weeks
    /// as over 12 months (the same two check-ins decide it).
    #[test]
    fn the_direction_is_the_last_change_in_every_period() {
        let b = who5_bands();
        let day = |h: u32, v: f64| Point {
            at: at(21, h),
            value: v,
            is_demo: false,
        };
        let mut long: Vec<Point> = (1..=19).map(|d| p(d, 40.0 + d as f64)).collect();
        long.extend([day(8, 20.0), day(9, 92.0), day(10, 72.0)]);
        let now = at(21, 12);
        let whole = summary(&who5(&b), &long, now, &Utc);
        assert!(
            whole.contains("72 today, down 20 since the check-in before (92 earlier today)"),
            "{whole}"
        );
        assert!(
            !whole.contains("rising") && !whole.contains("up "),
            "{whole}"
        );
        let recent = summary(&who5(&b), &long[long.len() - 5..], now, &Utc);
        let first_sentence = |s: &str| s.split(". ").next().unwrap_or_default().to_string();
        assert_eq!(first_sentence(&recent), first_sentence(&whole));
    }

    #[test]
    fn a_peak_then_a_return_is_falling_and_names_the_peak() {
        let b = who5_bands();
        let s = say(&who5(&b), &series(&[12.0, 50.0, 92.0, 50.0, 12.0]));
        assert!(
            s.starts_with("WHO-5 wellbeing: 12 today, down 38 since the check-in before"),
            "{s}"
        );
        assert!(s.contains("high 92 on 3 Oct 2026"), "{s}");
        assert!(
            s.contains("low 12 today") || s.contains("Low 12 today"),
            "{s}"
        );
        assert!(s.contains("2 of the 5 were in an alert band"), "{s}");
        assert!(!s.contains("the same"), "{s}");
    }

    #[test]
    fn a_steady_fall_back_to_the_start_is_a_fall() {
        let b = who5_bands();
        // Up to 92, then four weeks of steady fall back to where it began.
        let s = say(&who5(&b), &series(&[60.0, 92.0, 84.0, 76.0, 68.0, 60.0]));
        assert!(
            s.contains("60 today, down 8 since the check-in before (68 yesterday)"),
            "{s}"
        );
        assert!(!s.contains("up") && !s.contains("the same"), "{s}");
        assert!(s.contains("None was in an alert band"), "{s}");
        // The case: a first-to-last rise hides a recent fall.
        let s = say(
            &who5(&b),
            &series(&[12.0, 40.0, 70.0, 92.0, 85.0, 75.0, 68.0, 60.0]),
        );
        assert!(s.contains("down 8 since the check-in before"), "{s}");
        assert!(!s.contains("up 48"), "{s}");
    }

    #[test]
    fn one_point_is_a_single_check_in() {
        let b = who5_bands();
        let s = say(&who5(&b), &series(&[20.0]));
        assert_eq!(
            s,
            "WHO-5 wellbeing: a single check-in in this period, 20 today. It was in an alert band."
        );
        let s = summary(&who5(&b), &series(&[60.0]), at(20, 9), &Utc);
        assert_eq!(
            s,
            "WHO-5 wellbeing: a single check-in in this period, 60 on 1 Oct 2026."
        );
    }

    #[test]
    fn two_points_on_one_day_say_earlier_today() {
        let b = who5_bands();
        let pts = [
            Point {
                at: at(21, 9),
                value: 20.0,
                is_demo: false,
            },
            Point {
                at: at(21, 10),
                value: 60.0,
                is_demo: false,
            },
        ];
        let s = summary(&who5(&b), &pts, at(21, 12), &Utc);
        assert_eq!(
            s,
            "WHO-5 wellbeing: 60 today, up 40 since the check-in before (20 earlier today). \
             That is a meaningful change (10 or more). Low 20 earlier today, high 60 today, average 40 over 2 \
             check-ins. 1 of the 2 was in an alert band."
        );
        assert!(!s.contains("since 21 Oct"), "{s}");
        // The day before reads "yesterday".
        let s = summary(&who5(&b), &pts, at(22, 12), &Utc);
        assert!(
            s.contains("60 yesterday, up 40 since the check-in before (20 yesterday)"),
            "{s}"
        );
    }

    #[test]
    fn all_equal_is_no_change() {
        let b = who5_bands();
        let s = say(&who5(&b), &series(&[50.0, 50.0, 50.0]));
        assert_eq!(
            s,
            "WHO-5 wellbeing: 50 at each of the 3 check-ins since 1 Oct 2026; no change. \
             None was in an alert band."
        );
        let s = say(&who5(&b), &series(&[20.0, 20.0]));
        assert!(
            s.contains(
                "20 at both check-ins since yesterday; no change. Both were in an alert band."
            ),
            "{s}"
        );
    }

    #[test]
    fn grammar_holds_for_any_label() {
        let scale = Scale {
            label: "We are compassionate and inclusive",
            range: (0.0, 10.0),
            meaningful: None,
            bands: &[],
        };
        for values in [
            &[][..],
            &[5.0][..],
            &[5.0, 7.5][..],
            &[5.0, 5.0][..],
            &[2.5, 5.0, 7.5, 10.0][..],
        ] {
            let s = say(&scale, &series(values));
            assert!(s.starts_with("We are compassionate and inclusive: "), "{s}");
            assert!(!s.contains("One We") && !s.contains("No We"), "{s}");
            // No alert bands: nothing said about them.
            assert!(!s.contains("alert"), "{s}");
        }
        // Short scales show tenths: the average of 2.5, 5 and 7.5 and 6.
        let s = say(&scale, &series(&[2.5, 5.0, 7.5, 6.0]));
        assert!(s.contains("average 5.3 over 4 check-ins"), "{s}");
        assert_eq!(
            say(&scale, &[]),
            "We are compassionate and inclusive: no check-ins in this period yet."
        );
    }

    #[test]
    fn a_small_last_change_says_it_is_small() {
        let b = who5_bands();
        let s = say(&who5(&b), &series(&[20.0, 60.0, 61.0, 60.0, 61.0, 60.0]));
        assert!(
            s.contains("down 1 since the check-in before")
                && s.contains("less than a meaningful change (10)"),
            "{s}"
        );
    }

    #[test]
    fn long_series_become_weekly_or_monthly_means() {
        assert_eq!(choose_bucket(30, 120.0, 72), Bucket::Each);
        assert_eq!(choose_bucket(200, 120.0, 72), Bucket::Week);
        assert_eq!(choose_bucket(700, 700.0, 72), Bucket::Month);
        let now = at(29, 0);
        // Two weeks of daily check-ins: 10 in the older week, 20 in the last.
        let pts: Vec<Point> = (15..=28)
            .map(|d| p(d, if d <= 21 { 10.0 } else { 20.0 }))
            .collect();
        let w = bucket_means(&pts, Bucket::Week, now, &Utc);
        assert_eq!(w.len(), 2, "{w:?}");
        assert_eq!(w[0].1, 10.0);
        assert_eq!(w[1].1, 20.0);
        let m = bucket_means(&pts, Bucket::Month, now, &Utc);
        assert_eq!(m.len(), 1);
        assert!((m[0].1 - 15.0).abs() < 1e-9);
    }

    #[test]
    fn date_labels_carry_the_year_when_the_range_spans_years() {
        let now = Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap();
        assert_eq!(
            date_labels(-28.0, now, 3, &Utc),
            vec!["24 Oct", "7 Nov", "today"]
        );
        let l = date_labels(-400.0, now, 3, &Utc);
        assert_eq!(l[0], "17 Oct 2025");
        assert!(l[1].ends_with("2026"), "{l:?}");
        assert_eq!(date_labels(-28.0, now, 8, &Utc).len(), 8);
    }

    #[test]
    fn meaningful_changes_are_between_consecutive_points() {
        let pts = [p(1, 40.0), p(2, 52.0), p(3, 56.0), p(4, 40.0)];
        assert_eq!(meaningful_changes(&pts, Some(10.0)), vec![1, 3]);
        assert!(meaningful_changes(&pts, None).is_empty());
    }

    #[test]
    fn periods_cycle_and_bound() {
        let now = Utc.with_ymd_and_hms(2026, 11, 21, 0, 0, 0).unwrap();
        assert_eq!(Period::Weeks4.next(), Period::Months3);
        assert_eq!(Period::All.next(), Period::Weeks4);
        assert_eq!(Period::Weeks4.since(now), Some(now - Duration::days(28)));
        assert_eq!(Period::All.since(now), None);
        assert_eq!(x_bounds(&[], Period::Weeks4.since(now), now), [-28.0, 0.0]);
    }
}
