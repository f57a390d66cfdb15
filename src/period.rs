//! Reflection periods: fixed, disjoint ISO weeks ("2026-W47") or calendar
//! months ("2026-11"). A team reflection is stored with the period it was
//! given in, and every view of reflections is cut by whole periods only, so
//! no view can be narrowed to isolate a single day. Pure: no clock, no I/O.

use chrono::{Datelike, Days, IsoWeek, NaiveDate, Weekday};
use serde::Deserialize;
use std::fmt;
use std::str::FromStr;

/// Which kind of period a site uses (`[huddle] period` in the config).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum PeriodKind {
    /// ISO 8601 weeks, Monday to Sunday ("2026-W47").
    #[default]
    Week,
    /// Calendar months ("2026-11").
    Month,
}

impl PeriodKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodKind::Week => "week",
            PeriodKind::Month => "month",
        }
    }
}

/// Days after a period's last day before it may be released.
pub const RELEASE_GRACE_DAYS: u64 = 1;

/// One fixed period. Ordered in time (a week's `year` is its ISO year).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    Week { year: i32, week: u32 },
    Month { year: i32, month: u32 },
}

/// A period string that is not "YYYY-Www" or "YYYY-MM".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a period: write an ISO week as 2026-W47 or a month as 2026-11")]
pub struct PeriodError(pub String);

impl Period {
    /// The period of `kind` that holds `date` (a local date).
    pub fn containing(kind: PeriodKind, date: NaiveDate) -> Period {
        match kind {
            PeriodKind::Week => {
                let w: IsoWeek = date.iso_week();
                Period::Week {
                    year: w.year(),
                    week: w.week(),
                }
            }
            PeriodKind::Month => Period::Month {
                year: date.year(),
                month: date.month(),
            },
        }
    }

    pub fn kind(&self) -> PeriodKind {
        match self {
            Period::Week { .. } => PeriodKind::Week,
            Period::Month { .. } => PeriodKind::Month,
        }
    }

    /// The first day of the period (a Monday for a week).
    pub fn first_day(&self) -> NaiveDate {
        match *self {
            Period::Week { year, week } => NaiveDate::from_isoywd_opt(year, week, Weekday::Mon),
            Period::Month { year, month } => NaiveDate::from_ymd_opt(year, month, 1),
        }
        .unwrap_or_default()
    }

    /// The last day of the period (a Sunday for a week).
    pub fn last_day(&self) -> NaiveDate {
        self.next()
            .first_day()
            .checked_sub_days(Days::new(1))
            .unwrap_or_default()
    }

    /// The first local date on which this period may be released (issue
    /// 16): its last day is over, plus [`RELEASE_GRACE_DAYS`] for entries
    /// still on their way (a terminal offline, an outbox not yet sent).
    pub fn release_day(&self) -> NaiveDate {
        self.last_day()
            .checked_add_days(Days::new(1 + RELEASE_GRACE_DAYS))
            .unwrap_or_default()
    }

    /// Has this period closed by local date `today` (may it be released)?
    pub fn closed_by(&self, today: NaiveDate) -> bool {
        today >= self.release_day()
    }

    /// Is `date` inside this period?
    pub fn contains(&self, date: NaiveDate) -> bool {
        Period::containing(self.kind(), date) == *self
    }

    /// The period just before this one.
    pub fn previous(&self) -> Period {
        let day = self
            .first_day()
            .checked_sub_days(Days::new(1))
            .unwrap_or_default();
        Period::containing(self.kind(), day)
    }

    /// The period just after this one.
    pub fn next(&self) -> Period {
        match *self {
            Period::Week { .. } => Period::containing(
                PeriodKind::Week,
                self.first_day()
                    .checked_add_days(Days::new(7))
                    .unwrap_or_default(),
            ),
            Period::Month { year, month } if month >= 12 => Period::Month {
                year: year + 1,
                month: 1,
            },
            Period::Month { year, month } => Period::Month {
                year,
                month: month + 1,
            },
        }
    }

    /// The `n` periods ending with this one, oldest first (`n` = 0: none).
    pub fn last_n(&self, n: usize) -> Vec<Period> {
        let mut out = Vec::with_capacity(n);
        let mut p = *self;
        for _ in 0..n {
            out.push(p);
            p = p.previous();
        }
        out.reverse();
        out
    }

    /// Parse "2026-W47" (ISO week; "2026-w47" too) or "2026-11" (month).
    pub fn parse(s: &str) -> Result<Period, PeriodError> {
        let bad = || PeriodError(s.to_string());
        let t = s.trim();
        let (y, rest) = t.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let two_digits = |d: &str| -> Option<u32> {
            (d.len() == 2 && d.bytes().all(|b| b.is_ascii_digit()))
                .then(|| d.parse().ok())
                .flatten()
        };
        if let Some(w) = rest.strip_prefix(['W', 'w']) {
            let week = two_digits(w).ok_or_else(bad)?;
            // Only weeks that exist in that ISO year (52 or 53 of them).
            NaiveDate::from_isoywd_opt(year, week, Weekday::Mon).ok_or_else(bad)?;
            Ok(Period::Week { year, week })
        } else {
            let month = two_digits(rest).ok_or_else(bad)?;
            if !(1..=12).contains(&month) {
                return Err(bad());
            }
            Ok(Period::Month { year, month })
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Week { year, week } => write!(f, "{year:04}-W{week:02}"),
            Period::Month { year, month } => write!(f, "{year:04}-{month:02}"),
        }
    }
}

impl serde::Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Period, D::Error> {
        let s = String::deserialize(d)?;
        Period::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl FromStr for Period {
    type Err = PeriodError;
    fn from_str(s: &str) -> Result<Period, PeriodError> {
        Period::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_period_closes_the_day_after_its_last_day_is_over() {
        // 2026-W47 runs Monday 16 to Sunday 22 November.
        let w = Period::containing(PeriodKind::Week, d(2026, 11, 22));
        assert_eq!(w.release_day(), d(2026, 11, 24));
        assert!(!w.closed_by(d(2026, 11, 22)), "its last day");
        assert!(!w.closed_by(d(2026, 11, 23)), "the day of grace");
        assert!(w.closed_by(d(2026, 11, 24)));
        // A month, across a year end.
        let m = Period::containing(PeriodKind::Month, d(2026, 12, 31));
        assert_eq!(m.release_day(), d(2027, 1, 2));
    }

    #[test]
    fn weeks_follow_iso_8601_across_year_ends() {
        let p = Period::containing(PeriodKind::Week, d(2026, 11, 22));
        assert_eq!(p.to_string(), "2026-W47");
        assert_eq!(p.first_day(), d(2026, 11, 16));
        assert_eq!(p.last_day(), d(2026, 11, 22));
        // 2027-01-01 is a Friday: it belongs to 2026's week 53.
        assert_eq!(
            Period::containing(PeriodKind::Week, d(2027, 1, 1)).to_string(),
            "2026-W53"
        );
        // 2024-12-30 is a Monday in ISO week 1 of 2025.
        let w = Period::containing(PeriodKind::Week, d(2024, 12, 30));
        assert_eq!(w.to_string(), "2025-W01");
        assert_eq!(w.previous().to_string(), "2024-W52");
        assert_eq!(w.previous().next(), w);
    }

    #[test]
    fn months_and_their_edges() {
        let p = Period::containing(PeriodKind::Month, d(2026, 12, 31));
        assert_eq!(p.to_string(), "2026-12");
        assert_eq!(p.next().to_string(), "2027-01");
        assert_eq!(p.next().previous(), p);
        assert_eq!(Period::parse("2024-02").unwrap().last_day(), d(2024, 2, 29));
        assert!(p.contains(d(2026, 12, 1)) && !p.contains(d(2027, 1, 1)));
    }

    #[test]
    fn parse_and_format_round_trip_and_refuse_nonsense() {
        for s in ["2026-W47", "2026-W01", "2026-W53", "2026-11", "1999-01"] {
            assert_eq!(Period::parse(s).unwrap().to_string(), s);
        }
        assert_eq!(Period::parse("2026-w7"), Err(PeriodError("2026-w7".into())));
        assert_eq!(Period::parse("2026-w07").unwrap().to_string(), "2026-W07");
        for bad in [
            "",
            "2026",
            "2026-13",
            "2026-00",
            "2025-W53",
            "2026-W54",
            "2026-W00",
            "26-11",
            "2026-1",
            "2026-11-02",
            "2026/11",
            "+026-11",
        ] {
            let e = Period::parse(bad).unwrap_err();
            assert!(e.to_string().contains("2026-W47"), "{bad}: {e}");
        }
    }

    #[test]
    fn last_n_is_oldest_first_and_disjoint() {
        let p = Period::parse("2026-W02").unwrap();
        let v: Vec<String> = p.last_n(4).iter().map(ToString::to_string).collect();
        assert_eq!(v, ["2025-W51", "2025-W52", "2026-W01", "2026-W02"]);
        assert!(p.last_n(0).is_empty());
        // Every day from 2020 to 2030 is in exactly one week and one month,
        // and consecutive periods leave no gap.
        let mut day = d(2020, 1, 1);
        while day < d(2030, 1, 1) {
            for kind in [PeriodKind::Week, PeriodKind::Month] {
                let p = Period::containing(kind, day);
                assert!(p.contains(day) && p.first_day() <= day && day <= p.last_day());
                assert!(!p.previous().contains(day) && !p.next().contains(day));
                assert_eq!(p.next().first_day(), p.last_day().succ_opt().unwrap());
            }
            day = day.succ_opt().unwrap();
        }
    }
}

/// A date as people type it: 2026-12-20, or the UK's day first, 20/12/2026
/// (or 20-12-2026, 20.12.2026). Never month first.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let t = s.trim();
    ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(t, f).ok())
}

#[cfg(test)]
mod date_tests {
    #[test]
    fn dates_are_read_iso_or_day_first() {
        let want = chrono::NaiveDate::from_ymd_opt(2026, 12, 20);
        for s in ["2026-12-20", "20/12/2026", "20-12-2026", " 20.12.2026 "] {
            assert_eq!(super::parse_date(s), want, "{s}");
        }
        assert_eq!(super::parse_date("12/20/2026"), None, "never month first");
    }
}
