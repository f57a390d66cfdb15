//! Time rules for kiosk data: how long entries are kept, and the stamp an
//! anonymous entry carries instead of its real time.

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};

/// Entries completed before this are older than `days` days at `now` and
/// are deleted. `days` of 0 keeps nothing older than `now`.
pub fn retention_cutoff(now: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    now - Duration::days(i64::from(days))
}

/// The only time an anonymous entry keeps: midnight (00:00, stored as a UTC
/// timestamp) of the calendar date on which it was completed in `tz` (the
/// kiosk's local time), so no time finer than the date is kept. The store
/// applies it to every check-in without a respondent.
pub fn anonymous_stamp<Tz: TimeZone>(at: DateTime<Utc>, tz: &Tz) -> DateTime<Utc> {
    at.with_timezone(tz)
        .date_naive()
        .and_time(NaiveTime::MIN)
        .and_utc()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    #[test]
    fn the_cutoff_is_exactly_n_days_back() {
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 9, 30, 0).unwrap();
        assert_eq!(
            retention_cutoff(now, 365),
            Utc.with_ymd_and_hms(2025, 11, 22, 9, 30, 0).unwrap()
        );
        assert_eq!(
            retention_cutoff(now, 1),
            Utc.with_ymd_and_hms(2026, 11, 21, 9, 30, 0).unwrap()
        );
        assert_eq!(retention_cutoff(now, 0), now);
        // A leap day in between is one of the days.
        let march = Utc.with_ymd_and_hms(2028, 3, 1, 0, 0, 0).unwrap();
        assert_eq!(
            retention_cutoff(march, 2),
            Utc.with_ymd_and_hms(2028, 2, 28, 0, 0, 0).unwrap()
        );
        // The largest allowed retention does not overflow.
        assert!(retention_cutoff(now, 3650) < now);
    }

    #[test]
    fn anonymous_entries_keep_only_their_local_date() {
        let utc = Utc;
        let t = Utc.with_ymd_and_hms(2026, 11, 22, 23, 59, 59).unwrap();
        assert_eq!(
            anonymous_stamp(t, &utc),
            Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap()
        );
        // 23:30 UTC is already the 23rd an hour east of UTC.
        let east = FixedOffset::east_opt(3600).unwrap();
        let late = Utc.with_ymd_and_hms(2026, 11, 22, 23, 30, 0).unwrap();
        assert_eq!(
            anonymous_stamp(late, &east),
            Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap()
        );
        // And 00:30 UTC still the 21st five hours west.
        let west = FixedOffset::west_opt(5 * 3600).unwrap();
        let early = Utc.with_ymd_and_hms(2026, 11, 22, 0, 30, 0).unwrap();
        assert_eq!(
            anonymous_stamp(early, &west),
            Utc.with_ymd_and_hms(2026, 11, 21, 0, 0, 0).unwrap()
        );
    }
}
