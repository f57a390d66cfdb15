//! Pure functions from history rows to chart series and plain-English
//! summaries. No terminal, no database.

use crate::questionnaire::fmt_number;
use crate::store::Point;
use chrono::{DateTime, Duration, Utc};

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

/// A plain-English sentence about the period, e.g. "WHO-5 wellbeing: up 16
/// points since 3 Oct 2026 (from 44 to 60)."
pub fn summary(label: &str, points: &[Point], meaningful: Option<f64>) -> String {
    match points {
        [] => format!("No {label} scores in this period yet."),
        [only] => format!(
            "One {label} score in this period: {} on {}.",
            fmt_number(only.value),
            only.at.format("%-d %b %Y")
        ),
        [first, .., last] => {
            let c = change(first.value, last.value, meaningful);
            let when = first.at.format("%-d %b %Y");
            let direction = if c.delta.abs() < 1e-9 {
                format!("{label}: the same as on {when} ({}).", fmt_number(c.to))
            } else {
                format!(
                    "{label}: {} {} since {when} (from {} to {}).",
                    if c.delta > 0.0 { "up" } else { "down" },
                    points_word(c.delta.abs()),
                    fmt_number(c.from),
                    fmt_number(c.to)
                )
            };
            let meaning = match (c.meaningful, meaningful) {
                (Some(true), Some(m)) if c.delta.abs() > 1e-9 => {
                    format!(" That is a meaningful change ({} or more).", fmt_number(m))
                }
                (Some(false), Some(m)) if c.delta.abs() > 1e-9 => {
                    format!(
                        " That is less than a meaningful change ({}).",
                        fmt_number(m)
                    )
                }
                _ => String::new(),
            };
            let n = format!(" {} check-ins.", points.len());
            direction + &meaning + &n
        }
    }
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
    use chrono::TimeZone;

    fn p(day: u32, v: f64) -> Point {
        Point {
            at: Utc.with_ymd_and_hms(2026, 10, day, 9, 0, 0).unwrap(),
            value: v,
        }
    }

    #[test]
    fn summary_says_direction_size_and_meaning() {
        let s = summary(
            "WHO-5 wellbeing",
            &[p(3, 44.0), p(10, 50.0), p(20, 60.0)],
            Some(10.0),
        );
        assert_eq!(
            s,
            "WHO-5 wellbeing: up 16 points since 3 Oct 2026 (from 44 to 60). \
             That is a meaningful change (10 or more). 3 check-ins."
        );
        let s = summary("joy", &[p(3, 6.0), p(4, 5.5)], Some(1.5));
        assert!(
            s.contains("joy: down 0.5 points") && s.contains("less than a meaningful change (1.5)"),
            "{s}"
        );
        assert_eq!(summary("x", &[], None), "No x scores in this period yet.");
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
