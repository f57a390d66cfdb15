//! What values a score can take: used by validation (band and lookup
//! coverage) and to size trend charts.

use super::model::{Band, Method, Question, QuestionKind, Score};
use super::score::{item_bounds, remapped};
use std::collections::HashSet;

/// Above this many partial sums, or this many steps of work, the exact set
/// is not enumerated and only the bounds are used.
const MAX_STATES: usize = 200_000;
const MAX_WORK: usize = 2_000_000;
const KEY: f64 = 1e6;

/// The numbers a question can be answered with (before any remap).
pub fn raw_values(q: &Question) -> Vec<f64> {
    match &q.kind {
        QuestionKind::Number { min, max, step, .. } => {
            let n = ((max - min) / step).floor().clamp(0.0, 10_000.0) as usize;
            (0..=n).map(|i| min + i as f64 * step).collect()
        }
        k => k
            .options()
            .iter()
            .filter_map(|o| o.value.as_number())
            .collect(),
    }
}

/// Is question `id` reversed in `score`? (`reverse` is kept sorted.)
pub fn is_reversed(score: &Score, id: &str) -> bool {
    score
        .reverse
        .binary_search_by(|r| r.as_str().cmp(id))
        .is_ok()
}

/// The item scores a question can contribute to `score`.
pub fn item_values(score: &Score, q: &Question) -> Vec<f64> {
    let values = raw_values(q).into_iter().map(|v| remapped(score, v));
    if super::range::is_reversed(score, &q.id) {
        let (lo, hi) = item_bounds(score, q);
        values.map(|x| lo + hi - x).collect()
    } else {
        values.collect()
    }
}

/// Raw score -> reported score: lookup table (nearest entry), then transform.
pub fn report(score: &Score, raw: f64) -> f64 {
    // `score.lookup` is sorted by raw score (the loader sorts it): the
    // nearest entry is one of the two around `raw`.
    let i = score.lookup.partition_point(|(r, _)| *r < raw);
    let looked = [i.checked_sub(1), Some(i)]
        .into_iter()
        .flatten()
        .filter_map(|j| score.lookup.get(j))
        .min_by(|a, b| (a.0 - raw).abs().total_cmp(&(b.0 - raw).abs()))
        .map(|(_, s)| *s)
        .unwrap_or(raw);
    looked * score.multiply + score.add
}

/// Combine item scores into the raw score, honouring the missing rule.
pub fn aggregate(score: &Score, sum: f64, answered: usize) -> f64 {
    let n = score.questions.len();
    match score.method {
        Method::Mean => sum / answered as f64,
        Method::Sum if score.prorate && answered < n => sum * n as f64 / answered as f64,
        Method::Sum => sum,
    }
}

pub struct Possible {
    /// Every achievable raw score, sorted (when `exact`).
    pub values: Vec<f64>,
    pub exact: bool,
    pub min: f64,
    pub max: f64,
    /// The smallest difference two raw scores can have (when not `exact`).
    pub resolution: f64,
}

/// Every raw score the items can produce, with up to `max_missing` unanswered.
pub fn possible_raw(score: &Score, items: &[&Question]) -> Possible {
    let per_item: Vec<Vec<f64>> = items.iter().map(|q| item_values(score, q)).collect();
    let n = items.len();
    // states[answered] = set of sums (scaled to integers).
    let mut states: Vec<HashSet<i64>> = vec![HashSet::new(); n + 1];
    states[0].insert(0);
    let mut exact = true;
    let mut work = 0usize;
    'items: for (done, values) in per_item.iter().enumerate() {
        let mut next: Vec<HashSet<i64>> = vec![HashSet::new(); n + 1];
        let mut size = 0usize;
        for (answered, sums) in states.iter().enumerate() {
            for s in sums {
                if done + 1 - answered <= score.max_missing && next[answered].insert(*s) {
                    size += 1;
                }
                for v in values {
                    if next[answered + 1].insert(s + (v * KEY).round() as i64) {
                        size += 1;
                    }
                }
                // Stop as soon as the set is too large to list, however
                // large the ranges in the file.
                work += 1 + values.len();
                if size > MAX_STATES || work > MAX_WORK {
                    exact = false;
                    break 'items;
                }
            }
        }
        states = next;
    }
    if !exact {
        // Bounds only: with k items answered, the lowest raw score takes the
        // k lowest item minimums, the highest the k highest maximums.
        let mut mins: Vec<f64> = per_item
            .iter()
            .map(|v| v.iter().copied().fold(f64::INFINITY, f64::min))
            .collect();
        let mut maxs: Vec<f64> = per_item
            .iter()
            .map(|v| v.iter().copied().fold(f64::NEG_INFINITY, f64::max))
            .collect();
        mins.sort_by(f64::total_cmp);
        maxs.sort_by(|a, b| b.total_cmp(a));
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        // Running sums, not a sum per k: thousands of items stay linear.
        let (mut sum_lo, mut sum_hi) = (0.0, 0.0);
        let first = n.saturating_sub(score.max_missing).max(1);
        for k in 1..=n {
            sum_lo += mins[k - 1];
            sum_hi += maxs[k - 1];
            if k >= first {
                lo = lo.min(aggregate(score, sum_lo, k));
                hi = hi.max(aggregate(score, sum_hi, k));
            }
        }
        // The finest step of any item, shared among up to n answered items.
        let step = per_item
            .iter()
            .flat_map(|v| {
                let mut v = v.clone();
                v.sort_by(f64::total_cmp);
                v.windows(2)
                    .map(|w| w[1] - w[0])
                    .filter(|d| *d > 1e-9)
                    .collect::<Vec<_>>()
            })
            .fold(f64::INFINITY, f64::min);
        let resolution = match score.method {
            Method::Sum if !score.prorate => step,
            _ => step / (n * n) as f64,
        };
        return Possible {
            values: vec![lo, hi],
            exact,
            min: lo,
            max: hi,
            resolution,
        };
    }
    let mut values: Vec<f64> = Vec::new();
    let mut seen: HashSet<i64> = HashSet::new();
    for (answered, sums) in states.iter().enumerate() {
        if answered == 0 || n - answered > score.max_missing {
            continue;
        }
        for s in sums {
            let raw = aggregate(score, *s as f64 / KEY, answered);
            if seen.insert((raw * KEY).round() as i64) {
                values.push(raw);
            }
        }
    }
    values.sort_by(f64::total_cmp);
    let min = values.first().copied().unwrap_or(0.0);
    let max = values.last().copied().unwrap_or(0.0);
    Possible {
        values,
        exact,
        min,
        max,
        resolution: 0.0,
    }
}

/// Representative points of `range` that no band holds, for scores whose
/// values are too many to list: gaps narrower than `resolution` (the finest
/// difference two scores can have) are allowed, so bands such as 0-50 and
/// 50.5-100 can tile a score that moves in steps of 1. This is an
/// approximation; enumerated scores are checked exactly.
pub fn interval_gaps(bands: &[Band], range: (f64, f64), resolution: f64) -> Vec<f64> {
    let mut sorted: Vec<&Band> = bands.iter().collect();
    sorted.sort_by(|a, b| a.min.total_cmp(&b.min));
    let mut gaps = Vec::new();
    let mut covered_to = range.0;
    let mut first = true;
    for b in sorted {
        if (first && b.min > range.0 + 1e-9) || (!first && b.min - covered_to >= resolution - 1e-9)
        {
            gaps.push(if first {
                range.0
            } else {
                (covered_to + b.min) / 2.0
            });
        }
        covered_to = if first { b.max } else { covered_to.max(b.max) };
        first = false;
    }
    if first || covered_to < range.1 - 1e-9 {
        gaps.push(range.1);
    }
    gaps
}
