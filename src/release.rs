//! Released periods (issue 16): a team's figures for one questionnaire and
//! period are computed once, when the period has closed
//! ([`Period::closed_by`]), with the rules in force then (k, the text
//! threshold, the questionnaire as answered), and kept as released. Nothing
//! added, deleted, reconfigured or swapped later changes what a released
//! period shows. The open period shows only how many reflections it has so
//! far and when it will be shown.
//!
//! Pure: rows and definitions in, a [`Release`] out; a release and the
//! earlier ones in, a [`Huddle`] out. The store keeps releases
//! (`store/release.rs`); [`crate::huddle::build`] applies the anonymity
//! rules when a release is computed, and [`view`] applies a reader's
//! (higher) k again when it is shown.

use crate::anonymity::{Hidden, Thresholds};
use crate::huddle::{
    build, Content, Huddle, Panels, Reflection, ScorePanel, TrendPoint, TREND_PERIODS,
};
use crate::period::{Period, PeriodKind};
use crate::questionnaire::{QuestionKind, Questionnaire};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A team's figures for one questionnaire and period, as released.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Release {
    pub team: String,
    pub questionnaire_id: String,
    /// The questionnaire's title as answered.
    pub title: String,
    pub period: Period,
    pub released_on: NaiveDate,
    /// How many reflections the period held when it was released.
    pub reflections: usize,
    /// The thresholds in force when it was released.
    pub k: usize,
    pub text_k: usize,
    /// The hash of the questionnaire definition the figures were read with.
    pub definition: String,
    /// The team's headcount in force when it was released, if set.
    #[serde(default)]
    pub headcount: Option<usize>,
    /// The figures (None: fewer than k reflections). Free texts are kept
    /// apart by the store, so that they can go with the raw rows.
    pub panels: Option<Panels>,
}

/// What a reader may have of one period.
#[derive(Debug, Clone, PartialEq)]
pub enum PeriodView {
    /// Released: its figures, and the releases of the periods before it
    /// (for the trend).
    Released {
        release: Box<Release>,
        earlier: Vec<Release>,
    },
    /// Open, or closed and not yet released: a count only (and the team's
    /// headcount, for the response rate).
    Open {
        have: usize,
        headcount: Option<usize>,
    },
}

/// A reflection as stored, with the hash of the definition it was
/// answered on.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredReflection {
    pub definition: String,
    pub reflection: Reflection,
}

/// Which definition a period is read with: the one most of its
/// reflections were answered on (ties: the first in `defs`, which the
/// store gives oldest first). When no reflection has a known one, the
/// first given (the file at hand: no answer is read with it, only counts
/// and stored scores); None when none is given.
pub fn choose<'a>(
    defs: &'a BTreeMap<String, Questionnaire>,
    rows: &[StoredReflection],
) -> Option<&'a Questionnaire> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in rows {
        if let Some(q) = defs.get(&r.definition) {
            *counts.entry(q.hash.as_str()).or_default() += 1;
        }
    }
    let Some(best) = counts.values().copied().max() else {
        return defs.values().next();
    };
    defs.values()
        .find(|q| counts.get(q.hash.as_str()) == Some(&best))
}

/// Compute the release of `team`'s `period` from its reflections. Each
/// reflection is read with the definition it was answered on (`defs`, by
/// row hash): an answer counts only where its question is asked the same
/// way in the chosen definition (same kind, same options), so a file with
/// the same id but a free-text question declared as a choice can never
/// turn texts into tally labels. `seed` orders the free text; `headcount`
/// is the team's, in force now (for the response rate).
#[allow(clippy::too_many_arguments)]
pub fn compute(
    defs: &BTreeMap<String, Questionnaire>,
    team: &str,
    period: Period,
    rows: &[StoredReflection],
    t: Thresholds,
    today: NaiveDate,
    seed: u64,
    headcount: Option<usize>,
) -> Option<Release> {
    let q = choose(defs, rows)?;
    let read: Vec<Reflection> = rows
        .iter()
        .map(|r| {
            let own = defs.get(&r.definition);
            let mut x = r.reflection.clone();
            if own.map(|d| d.hash.as_str()) != Some(q.hash.as_str()) {
                x.answers.retain(|(id, _)| {
                    match (own.and_then(|d| d.question(id)), q.question(id)) {
                        (Some(a), Some(b)) => same_shape(&a.kind, &b.kind),
                        _ => false,
                    }
                });
                // A score computed on another definition counts only if
                // the chosen definition has a score of that id.
                x.scores.retain(|(id, _)| q.score(id).is_some());
            }
            x
        })
        .collect();
    let h = build(q, team, period, &read, t, seed);
    Some(Release {
        team: team.to_string(),
        questionnaire_id: q.id.clone(),
        title: q.title.clone(),
        period,
        released_on: today,
        reflections: rows.len(),
        k: t.k(),
        text_k: t.text(),
        definition: q.hash.clone(),
        headcount,
        panels: match h.content {
            Content::Shown(mut p) => {
                for s in &mut p.scores {
                    s.trend.clear();
                }
                Some(p)
            }
            _ => None,
        },
    })
}

/// Is a question asked the same way in two definitions: both free text,
/// both numbers, or the same kind with the same options?
fn same_shape(a: &QuestionKind, b: &QuestionKind) -> bool {
    match (a, b) {
        (QuestionKind::Text { .. }, QuestionKind::Text { .. })
        | (QuestionKind::Number { .. }, QuestionKind::Number { .. }) => true,
        _ => a.type_name() == b.type_name() && a.options() == b.options(),
    }
}

/// What the huddle shows of a released period: its figures, under the
/// reader's thresholds where they are higher than those it was released
/// with, and the trend of the releases before it (`earlier`, any order).
pub fn view(r: &Release, earlier: &[Release], reader: Thresholds) -> Huddle {
    let t = Thresholds::new(reader.k().max(r.k), reader.text().max(r.text_k));
    let mut h = Huddle {
        team: r.team.clone(),
        questionnaire_id: r.questionnaire_id.clone(),
        title: r.title.clone(),
        period: r.period,
        reflections: r.reflections,
        thresholds: t,
        headcount: r.headcount,
        released_on: Some(r.released_on),
        earlier: earlier_of_first_score(r, earlier, t),
        content: Content::NotEnough {
            have: r.reflections,
            need: t.k(),
        },
    };
    let Some(panels) = r.panels.as_ref().filter(|_| t.gate(r.reflections).is_ok()) else {
        return h;
    };
    let mut p = panels.clone();
    for s in &mut p.scores {
        if s.figures.is_ok() {
            if let Err(hidden) = t.gate_answers(s.answered) {
                s.figures = Err(hidden);
            }
        }
        s.trend = trend(r, s, earlier, t);
    }
    for x in &mut p.tallies {
        if x.bars.is_ok() {
            if let Err(hidden) = t.gate_answers(x.answered) {
                x.bars = Err(hidden);
            }
        }
    }
    for x in &mut p.texts {
        if x.texts.is_ok() {
            if let Err(hidden) = t.gate_text_answers(x.answered) {
                x.texts = Err(hidden);
            }
        }
    }
    p.lowest = crate::huddle::lowest(&p.scores);
    h.content = Content::Shown(p);
    h
}

/// The first score's means in the periods before `r` (from their
/// releases), for the summary.
fn earlier_of_first_score(
    r: &Release,
    earlier: &[Release],
    t: Thresholds,
) -> Option<(String, Vec<TrendPoint>)> {
    // The first score any of these releases names, with its label.
    let first = r
        .panels
        .iter()
        .chain(earlier.iter().filter_map(|e| e.panels.as_ref()))
        .find_map(|p| p.scores.first())?;
    let mut points = trend(r, first, earlier, t);
    points.pop(); // this period's own point
    Some((first.label.clone(), points))
}

/// The periods of a trend of `n` ending with `last`, walking back from
/// each period's first day: the released period holding the day before
/// (of whichever kind it was released as, so weeks released before a
/// change to months stay in the months' trend), else a gap of the same
/// kind, or of the other kind where a release starts inside that gap.
pub fn trend_periods(last: Period, released: &[Period], n: usize) -> Vec<Period> {
    let mut out = vec![last];
    let mut p = last;
    while out.len() < n {
        let Some(day) = p.first_day().pred_opt() else {
            break;
        };
        p = match released.iter().find(|r| r.contains(day)) {
            Some(r) => *r,
            None => {
                let gap = Period::containing(p.kind(), day);
                let overlaps = released
                    .iter()
                    .any(|r| r.first_day() >= gap.first_day() && r.first_day() <= day);
                if overlaps {
                    let other = match p.kind() {
                        PeriodKind::Week => PeriodKind::Month,
                        PeriodKind::Month => PeriodKind::Week,
                    };
                    Period::containing(other, day)
                } else {
                    gap
                }
            }
        };
        out.push(p);
    }
    out.reverse();
    out
}

/// The score's means over the [`TREND_PERIODS`] periods ending with the
/// release's (see [`trend_periods`]), from the releases of those periods
/// (a period not released, or under the thresholds, is a gap).
fn trend(r: &Release, s: &ScorePanel, earlier: &[Release], t: Thresholds) -> Vec<TrendPoint> {
    let released: Vec<Period> = earlier
        .iter()
        .map(|e| e.period)
        .filter(|p| p.first_day() < r.period.first_day())
        .collect();
    trend_periods(r.period, &released, TREND_PERIODS)
        .into_iter()
        .map(|p| {
            let mean = if p == r.period {
                s.figures.as_ref().map(|f| f.mean).map_err(|h| *h)
            } else {
                match earlier.iter().find(|e| e.period == p) {
                    None => Err(Hidden::NoReflections),
                    Some(e) => t.gate(e.reflections).and_then(|()| {
                        let panel = e
                            .panels
                            .as_ref()
                            .and_then(|x| x.scores.iter().find(|y| y.id == s.id));
                        match panel {
                            None => Err(Hidden::TooFew {
                                have: e.reflections.min(e.k.saturating_sub(1)),
                                need: t.k(),
                            }),
                            Some(y) => t
                                .gate_answers(y.answered)
                                .and_then(|()| y.figures.as_ref().map(|f| f.mean).map_err(|h| *h)),
                        }
                    }),
                }
            };
            TrendPoint { period: p, mean }
        })
        .collect()
}

/// The open (or closed, not yet released) period: how many reflections it
/// has so far and when it will be shown; nothing else.
pub fn open(
    q: &Questionnaire,
    team: &str,
    period: Period,
    have: usize,
    headcount: Option<usize>,
    t: Thresholds,
) -> Huddle {
    Huddle {
        team: team.to_string(),
        questionnaire_id: q.id.clone(),
        title: q.title.clone(),
        period,
        reflections: have,
        thresholds: t,
        headcount,
        released_on: None,
        earlier: None,
        content: Content::Open {
            have,
            release_day: period.release_day(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::Catalog;
    use serde_json::json;

    fn row(def: &str, joy: i64, matters: &str) -> StoredReflection {
        StoredReflection {
            definition: def.to_string(),
            reflection: Reflection {
                answers: vec![
                    ("team-joy".into(), json!(joy)),
                    ("what-matters".into(), json!(matters)),
                ],
                scores: vec![("team-joy".into(), Some(joy as f64))],
            },
        }
    }

    fn defs(qs: &[&Questionnaire]) -> BTreeMap<String, Questionnaire> {
        qs.iter().map(|q| (q.hash.clone(), (*q).clone())).collect()
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_reader_may_raise_k_over_a_release_never_lower_it() {
        let cat = Catalog::bundled();
        let q = cat.get("team-reflection").unwrap();
        let w = Period::parse("2026-W47").unwrap();
        let rows: Vec<StoredReflection> = (0..6).map(|i| row(&q.hash, i % 5 + 1, "x")).collect();
        let r = compute(
            &defs(&[q]),
            "W",
            w,
            &rows,
            Thresholds::new(5, 5),
            d("2026-11-24"),
            1,
            None,
        )
        .unwrap();
        assert_eq!((r.k, r.reflections), (5, 6));
        let seen = view(&r, &[], Thresholds::new(3, 3));
        assert_eq!(seen.thresholds.k(), 5, "a lower k is not taken");
        assert!(matches!(seen.content, Content::Shown(_)));
        let higher = view(&r, &[], Thresholds::new(7, 7));
        assert_eq!(higher.content, Content::NotEnough { have: 6, need: 7 });
    }

    #[test]
    fn the_trend_comes_from_earlier_releases() {
        let cat = Catalog::bundled();
        let q = cat.get("team-reflection").unwrap();
        let w47 = Period::parse("2026-W47").unwrap();
        let t = Thresholds::default();
        let make = |p: Period, n: usize, joy: i64| {
            let rows: Vec<StoredReflection> = (0..n).map(|_| row(&q.hash, joy, "x")).collect();
            compute(&defs(&[q]), "W", p, &rows, t, p.release_day(), 1, None).unwrap()
        };
        let earlier = vec![
            make(w47.previous(), 5, 2),
            make(w47.previous().previous(), 3, 4),
        ];
        let r = make(w47, 5, 4);
        let h = view(&r, &earlier, t);
        let Content::Shown(p) = &h.content else {
            panic!("{h:?}")
        };
        let tr = &p.scores[0].trend;
        assert_eq!(tr.len(), TREND_PERIODS);
        assert_eq!(tr[7].mean, Ok(4.0));
        assert_eq!(tr[6].mean, Ok(2.0));
        assert_eq!(tr[5].mean, Err(Hidden::TooFew { have: 3, need: 5 }));
        assert_eq!(tr[4].mean, Err(Hidden::NoReflections));
    }

    #[test]
    fn a_trend_walks_back_across_a_change_from_months_to_weeks() {
        let p = |s: &str| Period::parse(s).unwrap();
        let released = [p("2026-12"), p("2027-01"), p("2027-W05")];
        let got: Vec<String> = trend_periods(p("2027-W06"), &released, 6)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            got,
            ["2026-10", "2026-11", "2026-12", "2027-01", "2027-W05", "2027-W06"]
        );
        // A gap of months with weeks released inside it walks in weeks.
        let released = [p("2026-W49"), p("2026-W50")];
        let got: Vec<String> = trend_periods(p("2027-01"), &released, 5)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            got,
            ["2026-W50", "2026-W51", "2026-W52", "2026-W53", "2027-01"]
        );
    }

    #[test]
    fn an_answer_counts_only_where_its_question_was_asked_the_same_way() {
        let cat = Catalog::bundled();
        let q = cat.get("team-reflection").unwrap();
        // The same id, the free-text question declared as a choice.
        let mut swapped = q.clone();
        swapped.hash = "swapped".into();
        if let Some(x) = swapped
            .questions
            .iter_mut()
            .find(|x| x.id == "what-matters")
        {
            x.kind = crate::questionnaire::QuestionKind::Choice { options: vec![] };
        }
        let mut rows: Vec<StoredReflection> = (0..5)
            .map(|i| row(&q.hash, 3, &format!("secret {i}")))
            .collect();
        rows.push(row("swapped", 3, "secret 5"));
        let r = compute(
            &defs(&[q, &swapped]),
            "W",
            Period::parse("2026-W47").unwrap(),
            &rows,
            Thresholds::new(5, 10),
            d("2026-11-24"),
            1,
            None,
        )
        .unwrap();
        assert_eq!(r.definition, q.hash, "most were answered on the real file");
        let p = r.panels.unwrap();
        assert!(
            p.tallies.iter().all(|x| x.question_id != "what-matters"),
            "no tally of the texts"
        );
        let m = p
            .texts
            .iter()
            .find(|x| x.question_id == "what-matters")
            .unwrap();
        assert_eq!(m.texts, Err(Hidden::TooFew { have: 5, need: 10 }));
    }
}
