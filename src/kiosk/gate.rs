//! Two guards against floods from one terminal: a minimum interval between
//! two saved submissions ([`SubmitGate`]), and a burst filter that lets a
//! held or mashed key act once ([`BurstFilter`]), like the feedback
//! terminals on hospital walls.

use chrono::{DateTime, Duration, Utc};

/// The burst filter's default window.
pub const DEFAULT_BURST: Duration = Duration::milliseconds(500);

/// The minimum interval between two saved submissions from this terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmitGate {
    min_interval: Duration,
    last: Option<DateTime<Utc>>,
}

impl SubmitGate {
    pub fn new(min_interval: Duration) -> SubmitGate {
        SubmitGate {
            min_interval,
            last: None,
        }
    }

    /// From `[kiosk] min_submit_interval_secs`.
    pub fn from_secs(secs: u32) -> SubmitGate {
        SubmitGate::new(Duration::seconds(i64::from(secs)))
    }

    /// May a submission be saved at `now`? `Err(wait)`: not before `wait`
    /// has passed. A clock that went backwards never asks for more than the
    /// interval itself.
    pub fn check(&self, now: DateTime<Utc>) -> Result<(), Duration> {
        let Some(last) = self.last else {
            return Ok(());
        };
        let since = (now - last).max(Duration::zero());
        if since >= self.min_interval {
            Ok(())
        } else {
            Err(self.min_interval - since)
        }
    }

    /// A submission was saved at `now`.
    pub fn record(&mut self, now: DateTime<Utc>) {
        self.last = Some(now);
    }
}

/// Drops a press identical to the previous press when it comes less than
/// `window` after that previous press, accepted or not: a held key (its
/// repeats) or a key mashed quickly acts once. A different key always
/// passes, and so does a press after a clock that went backwards.
#[derive(Debug, Clone, PartialEq)]
pub struct BurstFilter<K> {
    window: Duration,
    last: Option<(K, DateTime<Utc>)>,
}

impl<K: PartialEq + Clone> Default for BurstFilter<K> {
    fn default() -> Self {
        BurstFilter::new(DEFAULT_BURST)
    }
}

impl<K: PartialEq + Clone> BurstFilter<K> {
    pub fn new(window: Duration) -> BurstFilter<K> {
        BurstFilter { window, last: None }
    }

    /// From `[kiosk] burst_ms`.
    pub fn from_ms(ms: u32) -> BurstFilter<K> {
        BurstFilter::new(Duration::milliseconds(i64::from(ms)))
    }

    /// Should the press of `key` at `now` act?
    pub fn accept(&mut self, key: &K, now: DateTime<Utc>) -> bool {
        let repeat = match &self.last {
            Some((k, t)) => {
                let since = now - *t;
                k == key && since >= Duration::zero() && since < self.window
            }
            None => false,
        };
        self.last = Some((key.clone(), now));
        !repeat
    }

    /// Forget the previous press (e.g. when the screen is reset).
    pub fn reset(&mut self) {
        self.last = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap()
    }

    #[test]
    fn submissions_wait_for_the_interval() {
        let mut g = SubmitGate::from_secs(10);
        let t = t0();
        assert_eq!(g.check(t), Ok(()), "the first is always allowed");
        g.record(t);
        assert_eq!(g.check(t), Err(Duration::seconds(10)));
        assert_eq!(g.check(t + Duration::seconds(3)), Err(Duration::seconds(7)));
        assert_eq!(
            g.check(t + Duration::milliseconds(9_999)),
            Err(Duration::milliseconds(1))
        );
        assert_eq!(g.check(t + Duration::seconds(10)), Ok(()));
        g.record(t + Duration::seconds(12));
        assert_eq!(
            g.check(t + Duration::seconds(13)),
            Err(Duration::seconds(9))
        );
        assert_eq!(g.check(t + Duration::seconds(22)), Ok(()));
    }

    #[test]
    fn a_clock_going_back_never_asks_for_more_than_the_interval() {
        let mut g = SubmitGate::from_secs(10);
        g.record(t0());
        assert_eq!(
            g.check(t0() - Duration::hours(5)),
            Err(Duration::seconds(10))
        );
        assert_eq!(SubmitGate::from_secs(0).check(t0()), Ok(()));
        let mut zero = SubmitGate::from_secs(0);
        zero.record(t0());
        assert_eq!(zero.check(t0()), Ok(()));
    }

    #[test]
    fn a_held_key_acts_once_and_a_different_key_always_passes() {
        let mut f: BurstFilter<char> = BurstFilter::default();
        let mut t = t0();
        assert!(f.accept(&'a', t));
        // Key repeat every 30 ms for 3 s: every repeat is within 500 ms of
        // the one before, so none acts, however long the key is held.
        for _ in 0..100 {
            t += Duration::milliseconds(30);
            assert!(!f.accept(&'a', t));
        }
        // Another key passes at once, then the first again.
        t += Duration::milliseconds(10);
        assert!(f.accept(&'b', t));
        t += Duration::milliseconds(10);
        assert!(f.accept(&'a', t));
    }

    #[test]
    fn the_window_counts_from_the_previous_press_accepted_or_not() {
        let mut f = BurstFilter::from_ms(500);
        let t = t0();
        assert!(f.accept(&1, t));
        assert!(!f.accept(&1, t + Duration::milliseconds(499)));
        // 998 ms after the accepted press, but 499 ms after the dropped one.
        assert!(!f.accept(&1, t + Duration::milliseconds(998)));
        // A full window after the previous press: acts again.
        assert!(f.accept(&1, t + Duration::milliseconds(1_498)));
        assert!(f.accept(&1, t + Duration::milliseconds(2_100)));
        // Clock went back: the press is not lost.
        assert!(f.accept(&1, t));
        f.reset();
        assert!(f.accept(&1, t + Duration::milliseconds(1)));
    }
}
