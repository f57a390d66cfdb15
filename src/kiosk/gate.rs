//! Placeholder (replaced by the k1 branch).
use chrono::{DateTime, Duration, Utc};

#[derive(Debug, Clone)]
pub struct SubmitGate {
    min: Duration,
    last: Option<DateTime<Utc>>,
}

impl SubmitGate {
    pub fn new(min: Duration) -> SubmitGate {
        SubmitGate { min, last: None }
    }
    pub fn check(&self, now: DateTime<Utc>) -> Result<(), Duration> {
        match self.last {
            Some(l) if now < l + self.min => Err(l + self.min - now),
            _ => Ok(()),
        }
    }
    pub fn record(&mut self, now: DateTime<Utc>) {
        self.last = Some(now);
    }
}

#[derive(Debug, Clone)]
pub struct BurstFilter<K> {
    window: Duration,
    last: Option<(K, DateTime<Utc>)>,
}

impl<K: PartialEq + Clone> BurstFilter<K> {
    pub fn new(window: Duration) -> BurstFilter<K> {
        BurstFilter { window, last: None }
    }
    pub fn accept(&mut self, key: &K, now: DateTime<Utc>) -> bool {
        let ok = !matches!(&self.last, Some((k, t)) if k == key && now - *t < self.window);
        self.last = Some((key.clone(), now));
        ok
    }
}
