//! The anonymity rules, in one pure module that every output of team
//! reflections goes through (the huddle screen, `joy huddle --export`, and
//! any command that reads reflections), so testing this module tests them
//! all.
//!
//! - **k**: no figure, chart, tally or text comes from fewer than `k`
//!   reflections (default 5, never below 3). A question's aggregate needs
//!   `k` reflections that *answered* it, not only `k` in the group.
//! - **Free text** needs its own threshold (never below `k`) of answers to
//!   that question, and is shown only shuffled ([`shuffled`]), never per
//!   person, without dates or any order clue.
//! - **Complementary suppression**: where a total is shown beside its parts,
//!   the hidden parts together must hold at least `k` reflections (or none
//!   at all), or the total minus the shown parts would reveal them. When
//!   the parts are published elsewhere too (a ward's teams each have their
//!   own huddle), hiding another part protects nothing: the total goes
//!   ([`total_beside_public_parts`], the ward view). [`suppress_table`]
//!   hides the next-smallest part instead, for parts shown nowhere else; it
//!   has no caller yet.
//!
//! Counts of reflections are not content and are always shown ("3 of 5").

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

/// The smallest k allowed anywhere.
pub const MIN_K: usize = crate::config::MIN_GROUP_FLOOR;

/// The thresholds in force: `k` for every figure, `text` (>= k) for free text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    k: usize,
    text: usize,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds::new(crate::config::DEFAULT_MIN_GROUP, 0)
    }
}

impl Thresholds {
    /// Thresholds of at least [`MIN_K`], the text one at least `k`:
    /// out-of-bounds values are raised, never lowered (the config file
    /// refuses them with their place before this is reached).
    pub fn new(k: usize, text: usize) -> Thresholds {
        let k = k.max(MIN_K);
        Thresholds {
            k,
            text: text.max(k),
        }
    }

    pub fn from_settings(h: &crate::config::HuddleSettings) -> Thresholds {
        Thresholds::new(h.min_group, h.min_group_text)
    }

    /// A reader's own thresholds for released periods: what its
    /// configuration states, else the floor, so each released period is
    /// read with the k it was released with (kept in the release). The
    /// ward's rules as they are now apply to periods released from now on,
    /// never to those already released.
    pub fn reader(h: &crate::config::HuddleSettings) -> Thresholds {
        if h.rules_stated {
            Thresholds::from_settings(h)
        } else {
            Thresholds::new(MIN_K, MIN_K)
        }
    }

    /// The thresholds a release is computed with: the ward's rules when
    /// its store has them, else these (the configuration's).
    pub fn for_release(self, ward: Option<crate::model::TeamRules>) -> Thresholds {
        match ward {
            Some(r) => Thresholds::new(r.min_group, r.min_group_text),
            None => self,
        }
    }

    /// These thresholds, raised to the ward's rules kept in its store (a
    /// reader may raise k for their own view, never lower it below the
    /// ward's).
    pub fn at_least(self, ward: Option<crate::model::TeamRules>) -> Thresholds {
        match ward {
            Some(r) => Thresholds::new(self.k.max(r.min_group), self.text.max(r.min_group_text)),
            None => self,
        }
    }

    pub fn k(&self) -> usize {
        self.k
    }

    pub fn text(&self) -> usize {
        self.text
    }

    /// May a figure made from `n` reflections be shown?
    pub fn gate(&self, n: usize) -> Result<(), Hidden> {
        gate(n, self.k)
    }

    /// May the free-text answers of a question that `n` reflections answered be shown?
    pub fn gate_text(&self, n: usize) -> Result<(), Hidden> {
        gate(n, self.text)
    }

    /// [`Self::gate`] for the answers to one question of a group that has
    /// reflections: none is "no answers", not "no reflections".
    pub fn gate_answers(&self, n: usize) -> Result<(), Hidden> {
        no_answers(gate(n, self.k))
    }

    /// [`Self::gate_text`] for the answers to one free-text question.
    pub fn gate_text_answers(&self, n: usize) -> Result<(), Hidden> {
        no_answers(gate(n, self.text))
    }
}

/// Why something is not shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Hidden {
    /// Nothing to show: no reflections.
    NoReflections,
    /// Reflections, but none answered this question (an optional one, or
    /// "Other" that nobody ticked).
    NoAnswers,
    /// Fewer than the threshold: `have` of `need`.
    TooFew { have: usize, need: usize },
    /// Enough on its own, but hidden so that a hidden neighbour cannot be
    /// worked out by subtraction from a total.
    Complementary,
    /// Released, then deleted with the period's reflections (retention):
    /// released figures outlive the raw rows, released texts do not.
    Removed,
}

impl Hidden {
    /// The reason in words (src/text.rs).
    pub fn reason(&self) -> String {
        crate::text::hidden_reason(*self)
    }
}

fn no_answers(r: Result<(), Hidden>) -> Result<(), Hidden> {
    r.map_err(|h| match h {
        Hidden::NoReflections => Hidden::NoAnswers,
        other => other,
    })
}

fn gate(n: usize, need: usize) -> Result<(), Hidden> {
    match n {
        0 => Err(Hidden::NoReflections),
        n if n < need => Err(Hidden::TooFew { have: n, need }),
        _ => Ok(()),
    }
}

/// What may be shown of a total and its disjoint parts: `None` shown,
/// `Some(reason)` hidden.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub total: Option<Hidden>,
    pub parts: Vec<Option<Hidden>>,
}

impl Table {
    pub fn total_shown(&self) -> bool {
        self.total.is_none()
    }
    pub fn part_shown(&self, i: usize) -> bool {
        self.parts.get(i).is_some_and(Option::is_none)
    }
}

/// Complementary suppression for a total of `total` reflections shown
/// beside disjoint parts of `parts` reflections each (a ward and its teams,
/// a month and its weeks, all periods and each period). If the parts do not
/// add up to the total, the rest counts as one more part that is never shown.
///
/// 1. A total under `k` hides everything.
/// 2. Each part under `k` is hidden.
/// 3. While the hidden parts together hold between 1 and `k - 1`
///    reflections, the smallest part still shown is hidden too
///    ("complementary"). If none is left, the total is hidden.
///
/// Afterwards, for every set of shown parts, the total minus those parts
/// holds no reflections or at least `k`.
pub fn suppress_table(total: usize, parts: &[usize], k: usize) -> Table {
    let k = k.max(MIN_K);
    let mut table = Table {
        total: gate(total, k).err(),
        parts: parts.iter().map(|&n| gate(n, k).err()).collect(),
    };
    if table.total.is_some() {
        for p in table.parts.iter_mut() {
            p.get_or_insert(Hidden::Complementary);
        }
        return table;
    }
    let listed: usize = parts.iter().sum();
    let rest = total.saturating_sub(listed);
    let hidden_sum = |t: &Table| -> usize {
        rest + t
            .parts
            .iter()
            .zip(parts)
            .filter(|(h, _)| h.is_some())
            .map(|(_, n)| n)
            .sum::<usize>()
    };
    loop {
        let hidden = hidden_sum(&table);
        if hidden == 0 || hidden >= k {
            break;
        }
        let smallest_shown = table
            .parts
            .iter()
            .enumerate()
            .filter(|(_, h)| h.is_none())
            .min_by_key(|(i, _)| (parts[*i], *i))
            .map(|(i, _)| i);
        match smallest_shown {
            Some(i) => table.parts[i] = Some(Hidden::Complementary),
            None => {
                table.total = Some(Hidden::Complementary);
                break;
            }
        }
    }
    table
}

/// May a total of `total` be shown beside parts that are public elsewhere
/// and hold `public` of it? Not when the rest, the hidden parts, holds
/// between 1 and `k - 1`: the total minus the public parts would give
/// them away.
pub fn total_beside_public_parts(total: usize, public: usize, k: usize) -> Result<(), Hidden> {
    match total.saturating_sub(public) {
        rest if rest > 0 && rest < k.max(MIN_K) => Err(Hidden::Complementary),
        _ => Ok(()),
    }
}

/// Parts shown side by side with no total beside them (a trend over
/// periods): each needs `k` on its own; nothing can be subtracted.
pub fn suppress_parts(parts: &[usize], k: usize) -> Vec<Option<Hidden>> {
    let k = k.max(MIN_K);
    parts.iter().map(|&n| gate(n, k).err()).collect()
}

/// A seed from the operating system's randomness (never the clock), so
/// the order of shuffled texts cannot be predicted or repeated.
pub fn os_seed() -> u64 {
    getrandom::u64().unwrap_or_else(|_| {
        // std's hasher keys come from the OS too.
        let mut h = RandomState::new().build_hasher();
        h.write_u64(0x6a6f_7921);
        h.finish()
    })
}

/// `items` in an order that says nothing about who wrote them or when:
/// sorted first (so the order they came in, such as by saving time or
/// id, is forgotten), then shuffled (Fisher-Yates) from `seed`.
pub fn shuffled<T: Ord>(mut items: Vec<T>, seed: u64) -> Vec<T> {
    items.sort();
    let mut state = seed;
    let mut next = || {
        // splitmix64
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    for i in (1..items.len()).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn thresholds_never_go_below_three_or_below_k_for_text() {
        let t = Thresholds::new(1, 0);
        assert_eq!((t.k(), t.text()), (3, 3));
        let t = Thresholds::new(6, 4);
        assert_eq!((t.k(), t.text()), (6, 6));
        assert_eq!(Thresholds::default(), Thresholds::new(5, 5));
        let ward = Some(crate::model::TeamRules {
            min_group: 5,
            min_group_text: 6,
        });
        assert_eq!(Thresholds::new(3, 3).at_least(ward), Thresholds::new(5, 6));
        assert_eq!(Thresholds::new(7, 7).at_least(ward), Thresholds::new(7, 7));
        assert_eq!(Thresholds::new(3, 3).at_least(None), Thresholds::new(3, 3));
        assert_eq!(t.gate(5), Err(Hidden::TooFew { have: 5, need: 6 }));
        assert_eq!(t.gate(0), Err(Hidden::NoReflections));
        assert_eq!(t.gate_answers(0), Err(Hidden::NoAnswers));
        assert_eq!(t.gate_text_answers(0), Err(Hidden::NoAnswers));
        assert_eq!(t.gate_answers(2), Err(Hidden::TooFew { have: 2, need: 6 }));
        assert_eq!(t.gate(6), Ok(()));
        assert_eq!(
            Thresholds::new(5, 8).gate_text(7),
            Err(Hidden::TooFew { have: 7, need: 8 })
        );
    }

    #[test]
    fn a_total_beside_public_parts_goes_when_it_would_give_the_rest_away() {
        assert_eq!(
            total_beside_public_parts(17, 15, 5),
            Err(Hidden::Complementary)
        );
        assert_eq!(total_beside_public_parts(17, 12, 5), Ok(()));
        assert_eq!(
            total_beside_public_parts(17, 17, 5),
            Ok(()),
            "nothing hidden"
        );
        assert_eq!(
            total_beside_public_parts(4, 0, 5),
            Err(Hidden::Complementary)
        );
    }

    #[test]
    fn one_small_part_takes_the_next_smallest_with_it() {
        // A ward of 3 teams: 2, 6, 9 reflections; k = 5.
        let t = suppress_table(17, &[2, 6, 9], 5);
        assert_eq!(t.total, None);
        assert_eq!(
            t.parts,
            vec![
                Some(Hidden::TooFew { have: 2, need: 5 }),
                Some(Hidden::Complementary),
                None
            ]
        );
        // Two small parts that together reach k need nothing more.
        let t = suppress_table(16, &[2, 3, 11], 5);
        assert_eq!(t.parts[2], None);
        // Every part small but the total large: the total alone is shown.
        let t = suppress_table(8, &[4, 4], 5);
        assert!(t.total_shown() && !t.part_shown(0) && !t.part_shown(1));
        // A part with none is nothing to protect.
        let t = suppress_table(12, &[0, 6, 6], 5);
        assert_eq!(t.parts, vec![Some(Hidden::NoReflections), None, None]);
        // A small total hides everything.
        let t = suppress_table(4, &[4], 5);
        assert!(!t.total_shown() && !t.part_shown(0));
        // Reflections outside every listed part count as hidden.
        let t = suppress_table(13, &[6, 6], 5);
        assert!(!t.part_shown(0) && t.part_shown(1), "{t:?}");
    }

    #[test]
    fn shuffled_forgets_the_order_given_and_keeps_every_item() {
        let a = shuffled(vec!["c", "a", "b", "d"], 7);
        let b = shuffled(vec!["d", "b", "a", "c"], 7);
        assert_eq!(
            a, b,
            "same seed, same items: the input order leaves no trace"
        );
        let mut sorted = a.clone();
        sorted.sort();
        assert_eq!(sorted, ["a", "b", "c", "d"]);
        // Over many seeds the first item is each of them sometimes.
        let firsts: std::collections::BTreeSet<&str> = (0..64)
            .map(|s| shuffled(vec!["a", "b", "c", "d"], s)[0])
            .collect();
        assert_eq!(firsts.len(), 4);
        assert_ne!(os_seed(), os_seed());
    }

    proptest! {
        /// For any total and parts, whatever is shown: every shown group
        /// holds at least k, and the total minus any set of shown parts
        /// holds none or at least k (so no hidden group can be worked out).
        #[test]
        fn no_difference_of_shown_aggregates_isolates_fewer_than_k(
            parts in proptest::collection::vec(0usize..12, 0..7),
            extra in 0usize..4,
            k in 3usize..8,
        ) {
            let total = parts.iter().sum::<usize>() + extra;
            let t = suppress_table(total, &parts, k);
            if t.total_shown() {
                prop_assert!(total >= k);
            }
            let shown: Vec<usize> = (0..parts.len()).filter(|&i| t.part_shown(i)).collect();
            for &i in &shown {
                prop_assert!(parts[i] >= k);
            }
            if t.total_shown() {
                for mask in 0u32..(1 << shown.len()) {
                    let taken: usize = shown
                        .iter()
                        .enumerate()
                        .filter(|(b, _)| mask & (1 << b) != 0)
                        .map(|(_, &i)| parts[i])
                        .sum();
                    let left = total - taken;
                    prop_assert!(left == 0 || left >= k, "total {} minus {} leaves {}", total, taken, left);
                }
            }
            // Nothing hidden without need: a table whose small parts already
            // hold k together hides no part of k or more.
            let small: usize = parts.iter().filter(|&&n| n < k).sum::<usize>() + extra;
            if total >= k && (small == 0 || small >= k) {
                prop_assert!(parts.iter().enumerate().all(|(i, &n)| (n >= k) == t.part_shown(i)));
            }
        }
    }
}
