//! The lockout clock for PINs: five wrong PINs in a row lock a code (or the
//! admin screen) for 15 minutes; when the lock ends the count starts again.
//! A right PIN clears the count. Used the same way for known and unknown
//! codes, so a lockout never reveals whether a code exists.

use chrono::{DateTime, Duration, Utc};

/// Wrong PINs in a row that lock.
pub const MAX_FAILURES: u32 = 5;
/// How long a lock lasts.
pub const LOCK_FOR: Duration = Duration::minutes(15);

/// Wrong PINs so far and the end of the current lock, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Lockout {
    /// Wrong PINs in a row since the last right one or the last lock's end.
    pub failures: u32,
    /// Locked while `now < locked_until`.
    pub locked_until: Option<DateTime<Utc>>,
}

impl Lockout {
    /// Locked at `now`? Exactly at `locked_until` the lock has ended.
    pub fn is_locked(&self, now: DateTime<Utc>) -> bool {
        self.locked_until.is_some_and(|t| now < t)
    }

    /// How long the lock still lasts (None when not locked), for "try again
    /// in N minutes".
    pub fn remaining(&self, now: DateTime<Utc>) -> Option<Duration> {
        self.locked_until.filter(|&t| now < t).map(|t| t - now)
    }

    /// The state at `now`: a lock that has ended is forgotten with its count.
    pub fn current(self, now: DateTime<Utc>) -> Lockout {
        match self.locked_until {
            Some(t) if now >= t => Lockout::default(),
            _ => self,
        }
    }

    /// After a wrong PIN at `now`. The [`MAX_FAILURES`]th in a row locks
    /// until `now + LOCK_FOR`. While locked nothing changes (the PIN should
    /// not even be checked then; a lock is never lengthened by trying).
    pub fn after_failure(self, now: DateTime<Utc>) -> Lockout {
        if self.is_locked(now) {
            return self;
        }
        let mut next = self.current(now);
        next.failures = next.failures.saturating_add(1);
        if next.failures >= MAX_FAILURES {
            next.failures = MAX_FAILURES;
            next.locked_until = Some(now + LOCK_FOR);
        }
        next
    }

    /// After a right PIN: nothing counted, no lock.
    pub fn after_success(self) -> Lockout {
        Lockout::default()
    }

    /// Wrong PINs still allowed before the lock (0 while locked).
    pub fn attempts_left(&self, now: DateTime<Utc>) -> u32 {
        if self.is_locked(now) {
            0
        } else {
            MAX_FAILURES.saturating_sub(self.current(now).failures)
        }
    }

    /// Nothing worth keeping at `now` (no failures, or a lock that has
    /// ended): the store deletes such rows.
    pub fn is_clear(&self, now: DateTime<Utc>) -> bool {
        self.current(now) == Lockout::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap()
    }

    fn fail(n: u32, mut l: Lockout, mut now: DateTime<Utc>) -> (Lockout, DateTime<Utc>) {
        for _ in 0..n {
            l = l.after_failure(now);
            now += Duration::seconds(3);
        }
        (l, now)
    }

    #[test]
    fn four_wrong_pins_do_not_lock_the_fifth_does() {
        let (l, now) = fail(4, Lockout::default(), t0());
        assert_eq!(l.failures, 4);
        assert!(!l.is_locked(now));
        assert_eq!(l.remaining(now), None);
        assert_eq!(l.attempts_left(now), 1);
        let l = l.after_failure(now);
        assert_eq!(l.failures, MAX_FAILURES);
        assert!(l.is_locked(now));
        assert_eq!(l.locked_until, Some(now + LOCK_FOR));
        assert_eq!(l.remaining(now), Some(Duration::minutes(15)));
        assert_eq!(
            l.remaining(now + Duration::minutes(10)),
            Some(Duration::minutes(5))
        );
        assert_eq!(l.attempts_left(now), 0);
    }

    #[test]
    fn the_lock_ends_exactly_at_its_time() {
        let (l, now) = fail(5, Lockout::default(), t0());
        let until = l.locked_until.unwrap();
        assert!(until > now - Duration::seconds(3));
        assert!(l.is_locked(until - Duration::milliseconds(1)));
        assert_eq!(
            l.remaining(until - Duration::milliseconds(1)),
            Some(Duration::milliseconds(1))
        );
        assert!(!l.is_locked(until));
        assert_eq!(l.remaining(until), None);
        assert!(l.is_clear(until));
        assert!(!l.is_clear(until - Duration::seconds(1)));
    }

    #[test]
    fn trying_while_locked_changes_nothing() {
        let (l, now) = fail(5, Lockout::default(), t0());
        let again = l.after_failure(now + Duration::minutes(14));
        assert_eq!(again, l, "a lock is never lengthened by trying");
    }

    #[test]
    fn after_the_lock_the_count_starts_again() {
        let (l, _) = fail(5, Lockout::default(), t0());
        let until = l.locked_until.unwrap();
        let l = l.after_failure(until);
        assert_eq!(
            l,
            Lockout {
                failures: 1,
                locked_until: None
            }
        );
        assert_eq!(l.attempts_left(until), 4);
        // Four more (five since the lock ended) lock again, from then.
        let (l, now) = fail(3, l, until + Duration::seconds(1));
        assert!(!l.is_locked(now));
        let l = l.after_failure(now);
        assert!(l.is_locked(now));
        assert_eq!(l.locked_until, Some(now + LOCK_FOR));
    }

    #[test]
    fn a_right_pin_clears_the_count() {
        let (l, now) = fail(4, Lockout::default(), t0());
        let l = l.after_success();
        assert_eq!(l, Lockout::default());
        let (l, now) = fail(4, l, now);
        assert!(
            !l.is_locked(now),
            "the count started again after the right PIN"
        );
    }
}
