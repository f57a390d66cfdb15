//! The huddle: a team's reflections for one period turned into what a
//! shared screen (and `joy huddle --export`) may show. Pure: rows in,
//! aggregates out, with every rule of [`crate::anonymity`] applied here and
//! nowhere else. Works for any team questionnaire by its scores, choice and
//! multiple-choice questions, and free text.

use crate::anonymity::{self, Hidden, Thresholds};
use crate::period::Period;
use crate::questionnaire::{AnswerValue, Method, QuestionKind, Questionnaire, Scalar, Score, Tone};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// How many periods the trend covers, the current one included.
pub const TREND_PERIODS: usize = 8;

/// One reflection as stored: answers (question id, stored JSON value) and
/// score values. No id, time or person: nothing here can order them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Reflection {
    pub answers: Vec<(String, serde_json::Value)>,
    pub scores: Vec<(String, Option<f64>)>,
}

/// Everything the huddle may show for one team, questionnaire and period.
#[derive(Debug, Clone, PartialEq)]
pub struct Huddle {
    pub team: String,
    pub questionnaire_id: String,
    pub title: String,
    pub period: Period,
    /// How many reflections the group holds (a count, always shown).
    pub reflections: usize,
    pub thresholds: Thresholds,
    /// The team's headcount (set by the admin), for the response rate; a
    /// period with more reflections than staff is marked as padded.
    pub headcount: Option<usize>,
    /// When the figures were released (None: the period is still open, or
    /// closed and not yet released).
    pub released_on: Option<NaiveDate>,
    /// The first score's label and its means in the released periods
    /// before this one (oldest first; gaps say why), for the summary: a
    /// period under k still shows how the team has been.
    pub earlier: Option<(String, Vec<TrendPoint>)>,
    pub content: Content,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// Fewer than k: nothing but this ("3 of 5").
    NotEnough {
        have: usize,
        need: usize,
    },
    /// The open period (or a closed one not yet released): how many
    /// reflections so far and the first day it may be released; nothing
    /// else.
    Open {
        have: usize,
        release_day: NaiveDate,
    },
    Shown(Panels),
}

#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Panels {
    pub scores: Vec<ScorePanel>,
    /// With two or more scores shown (e.g. one per element), the label of
    /// the one rated lowest for its range.
    pub lowest: Option<String>,
    /// Choice and multiple-choice tallies ("what matters", "pebbles").
    pub tallies: Vec<TallyPanel>,
    /// Free-text answers, shuffled.
    pub texts: Vec<TextPanel>,
}

/// A bar: a label and how many.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Bar {
    pub label: String,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ScorePanel {
    pub id: String,
    pub label: String,
    /// Reflections with a value for this score.
    pub answered: usize,
    pub figures: Result<ScoreFigures, Hidden>,
    /// Oldest first, ending with this period; hidden periods are gaps.
    pub trend: Vec<TrendPoint>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ScoreFigures {
    pub mean: f64,
    pub band: Option<(String, Tone)>,
    /// The distribution as bars, lowest score first.
    pub bars: Vec<Bar>,
    /// The score's range, for drawing.
    pub range: (f64, f64),
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TrendPoint {
    pub period: Period,
    /// The mean, or why this period is a gap.
    pub mean: Result<f64, Hidden>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TallyPanel {
    pub question_id: String,
    pub text: String,
    pub answered: usize,
    /// Most common first.
    pub bars: Result<Vec<Bar>, Hidden>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TextPanel {
    pub question_id: String,
    pub text: String,
    pub answered: usize,
    /// In an order that says nothing about who wrote which, or when.
    pub texts: Result<Vec<String>, Hidden>,
}

/// Build the figures of `team` on `q` for `period` from that period's
/// reflections (`rows`), under thresholds `t`: what a release keeps (see
/// [`crate::release::compute`]; the trend is added when it is read, from
/// the earlier releases). `seed` orders the free text
/// ([`anonymity::os_seed`] in the app; fixed in tests).
pub fn build(
    q: &Questionnaire,
    team: &str,
    period: Period,
    rows: &[Reflection],
    t: Thresholds,
    seed: u64,
) -> Huddle {
    let mut h = Huddle {
        team: team.to_string(),
        questionnaire_id: q.id.clone(),
        title: q.title.clone(),
        period,
        reflections: rows.len(),
        thresholds: t,
        headcount: None,
        released_on: None,
        earlier: None,
        content: Content::NotEnough {
            have: rows.len(),
            need: t.k(),
        },
    };
    if t.gate(rows.len()).is_err() {
        return h;
    }
    let answers: Vec<BTreeMap<&str, AnswerValue>> = rows
        .iter()
        .map(|r| {
            r.answers
                .iter()
                .filter_map(|(id, v)| {
                    let question = q.question(id)?;
                    Some((
                        question.id.as_str(),
                        AnswerValue::from_json(&question.kind, v)?,
                    ))
                })
                .collect()
        })
        .collect();
    let mut panels = Panels::default();
    for s in &q.scores {
        let values: Vec<f64> = rows
            .iter()
            .filter_map(|r| {
                r.scores
                    .iter()
                    .find(|(id, _)| *id == s.id)
                    .and_then(|(_, v)| *v)
            })
            .filter(|v| v.is_finite())
            .collect();
        let figures = t.gate_answers(values.len()).map(|()| {
            let mean = values.iter().sum::<f64>() / values.len() as f64;
            ScoreFigures {
                mean,
                // A mean between two bands (2.8 with bands 1-2 and 3-5)
                // takes the nearer one, as a prorated score does.
                band: crate::questionnaire::score::nearest_band(s, mean)
                    .map(|b| (b.label.clone(), b.tone)),
                bars: distribution(q, s, &values),
                range: s.range,
            }
        });
        panels.scores.push(ScorePanel {
            id: s.id.clone(),
            label: s.label.clone(),
            answered: values.len(),
            figures,
            trend: Vec::new(),
        });
    }
    panels.lowest = lowest(&panels.scores);
    let scored: Vec<&str> = q
        .scores
        .iter()
        .flat_map(|s| s.questions.iter().map(String::as_str))
        .collect();
    for question in &q.questions {
        let given: Vec<&AnswerValue> = answers
            .iter()
            .filter_map(|a| a.get(question.id.as_str()))
            .collect();
        let label_of = |v: &Scalar| {
            question
                .kind
                .options()
                .iter()
                .find(|c| c.value == *v)
                .map(|c| c.label.clone())
                .unwrap_or_else(|| v.to_string())
        };
        match &question.kind {
            QuestionKind::Text { .. } => {
                let texts: Vec<String> = given
                    .iter()
                    .filter_map(|a| match a {
                        AnswerValue::Text(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
                        _ => None,
                    })
                    .collect();
                panels
                    .texts
                    .push(text_panel(&question.id, &question.text, texts, t, seed));
            }
            QuestionKind::Multi { options, other, .. } => {
                let mut counts: Vec<usize> = vec![0; options.len()];
                let mut others = Vec::new();
                let mut answered = 0;
                for a in &given {
                    if let AnswerValue::Multi { values, other } = a {
                        let other = other.as_deref().map(str::trim).filter(|o| !o.is_empty());
                        if values.is_empty() && other.is_none() {
                            continue;
                        }
                        answered += 1;
                        for (i, c) in options.iter().enumerate() {
                            if values.contains(&c.value) {
                                counts[i] += 1;
                            }
                        }
                        others.extend(other.map(str::to_string));
                    }
                }
                let mut bars: Vec<Bar> = options
                    .iter()
                    .zip(&counts)
                    .map(|(c, &n)| Bar {
                        label: c.label.clone(),
                        count: n,
                    })
                    .collect();
                if *other {
                    bars.push(Bar {
                        label: crate::text::HUDDLE_OTHER.to_string(),
                        count: others.len(),
                    });
                    panels.texts.push(text_panel(
                        &question.id,
                        &crate::text::huddle_other_text(&question.text),
                        others,
                        t,
                        seed,
                    ));
                }
                panels
                    .tallies
                    .push(tally_panel(question, answered, bars, t));
            }
            QuestionKind::Choice { .. }
            | QuestionKind::Scale { .. }
            | QuestionKind::Number { .. }
                if !scored.contains(&question.id.as_str()) =>
            {
                let mut bars: Vec<Bar> = question
                    .kind
                    .options()
                    .iter()
                    .map(|c| Bar {
                        label: c.label.clone(),
                        count: 0,
                    })
                    .collect();
                for a in &given {
                    let label = match a {
                        AnswerValue::Choice(v) => label_of(v),
                        AnswerValue::Number(n) => crate::questionnaire::fmt_exact(*n),
                        _ => continue,
                    };
                    match bars.iter_mut().find(|b| b.label == label) {
                        Some(b) => b.count += 1,
                        None => bars.push(Bar { label, count: 1 }),
                    }
                }
                panels
                    .tallies
                    .push(tally_panel(question, given.len(), bars, t));
            }
            _ => {}
        }
    }
    h.content = Content::Shown(panels);
    h
}

/// With two or more scores shown (one per element), the label of the one
/// rated lowest for its range.
pub fn lowest(scores: &[ScorePanel]) -> Option<String> {
    let shown: Vec<(&ScorePanel, f64)> = scores
        .iter()
        .filter_map(|p| {
            let f = p.figures.as_ref().ok()?;
            let width = f.range.1 - f.range.0;
            (width > 0.0).then(|| (p, (f.mean - f.range.0) / width))
        })
        .collect();
    if shown.len() < 2 {
        return None;
    }
    shown
        .iter()
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(p, _)| p.label.clone())
}

fn tally_panel(
    question: &crate::questionnaire::Question,
    answered: usize,
    mut bars: Vec<Bar>,
    t: Thresholds,
) -> TallyPanel {
    // Most common first; ties keep the questionnaire's order (stable sort).
    bars.retain(|b| b.count > 0);
    bars.sort_by_key(|b| std::cmp::Reverse(b.count));
    TallyPanel {
        question_id: question.id.clone(),
        text: question.text.clone(),
        answered,
        bars: t.gate_answers(answered).map(|()| bars),
    }
}

fn text_panel(id: &str, text: &str, texts: Vec<String>, t: Thresholds, seed: u64) -> TextPanel {
    let answered = texts.len();
    TextPanel {
        question_id: id.to_string(),
        text: text.to_string(),
        answered,
        texts: t
            .gate_text_answers(answered)
            .map(|()| anonymity::shuffled(texts, seed)),
    }
}

/// A score's values as bars: one per whole number when the range has at
/// most 11 of them (labelled with the option when the score is one scale
/// question taken as it is), else five equal bins.
fn distribution(q: &Questionnaire, s: &Score, values: &[f64]) -> Vec<Bar> {
    let (lo, hi) = s.range;
    let whole = lo.fract() == 0.0 && hi.fract() == 0.0 && hi - lo <= 10.0 && hi >= lo;
    if whole {
        let plain = s.questions.len() == 1
            && s.remap.is_empty()
            && s.lookup.is_empty()
            && s.reverse.is_empty()
            && s.multiply == 1.0
            && s.add == 0.0
            && matches!(s.method, Method::Sum | Method::Mean);
        let options = q
            .question(&s.questions[0])
            .filter(|_| plain)
            .map(|qq| qq.kind.options().to_vec())
            .unwrap_or_default();
        let steps = (hi - lo) as usize + 1;
        let mut bars: Vec<Bar> = (0..steps)
            .map(|i| {
                let v = lo + i as f64;
                let num = crate::questionnaire::fmt_number(v);
                let label = options
                    .iter()
                    .find(|c| c.value.as_number().is_some_and(|x| (x - v).abs() < 1e-9))
                    .map(|c| format!("{num} {}", c.label))
                    .unwrap_or(num);
                Bar { label, count: 0 }
            })
            .collect();
        for v in values {
            let i = ((v - lo).round().max(0.0) as usize).min(steps - 1);
            bars[i].count += 1;
        }
        bars
    } else {
        let width = (hi - lo) / 5.0;
        let mut bars: Vec<Bar> = (0..5)
            .map(|i| {
                let a = lo + width * i as f64;
                Bar {
                    label: format!(
                        "{}-{}",
                        crate::questionnaire::fmt_number(a),
                        crate::questionnaire::fmt_number(a + width)
                    ),
                    count: 0,
                }
            })
            .collect();
        for v in values {
            let i = if width > 0.0 {
                (((v - lo) / width).floor().max(0.0) as usize).min(4)
            } else {
                0
            };
            bars[i].count += 1;
        }
        bars
    }
}

// ---- Actions ----

pub use crate::model::{ActionStatus, TeamAction};

impl Huddle {
    /// More reflections than the team has staff: some gave more than one
    /// (padding), or the headcount is out of date.
    pub fn more_than_staff(&self) -> bool {
        self.headcount.is_some_and(|n| self.reflections > n)
    }
}

impl TeamAction {
    /// Still active and its review date has passed.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status.is_active() && self.review_on.is_some_and(|d| d < today)
    }
}

/// Actions in the order the huddle shows them: overdue first (oldest
/// review date first), then other active ones by review date (undated
/// last), then done and dropped, newest first.
pub fn order_actions(actions: &mut [TeamAction], today: NaiveDate) {
    actions.sort_by_key(|a| {
        let rank = if a.is_overdue(today) {
            0
        } else if a.status.is_active() {
            1
        } else {
            2
        };
        let review = a.review_on.unwrap_or(NaiveDate::MAX);
        let recent = if rank == 2 {
            std::cmp::Reverse(a.updated_on)
        } else {
            std::cmp::Reverse(NaiveDate::MIN)
        };
        (
            rank,
            if rank == 2 { NaiveDate::MIN } else { review },
            recent,
            a.id,
        )
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::Catalog;
    use serde_json::json;

    fn reflection(joy: i64, pebbles: &[&str], other: Option<&str>, matters: &str) -> Reflection {
        Reflection {
            answers: vec![
                ("team-joy".into(), json!(joy)),
                ("pebbles".into(), json!({"values": pebbles, "other": other})),
                ("what-matters".into(), json!(matters)),
            ],
            scores: vec![("team-joy".into(), Some(joy as f64))],
        }
    }

    fn week() -> Period {
        Period::parse("2026-W47").unwrap()
    }

    #[test]
    fn below_k_shows_only_the_count() {
        let cat = Catalog::bundled();
        let q = cat.get("team-reflection").unwrap();
        let rows: Vec<Reflection> = (0..3)
            .map(|i| reflection(i + 1, &["it"], None, "x"))
            .collect();
        let h = build(q, "Ward 7", week(), &rows, Thresholds::default(), 1);
        assert_eq!(h.content, Content::NotEnough { have: 3, need: 5 });
        assert_eq!(
            crate::text::not_enough(3, 5, false),
            "Not enough reflections yet to keep them anonymous (3 of 5)"
        );
    }

    #[test]
    fn at_k_every_panel_is_filled() {
        let cat = Catalog::bundled();
        let q = cat.get("team-reflection").unwrap();
        let rows = vec![
            reflection(5, &["it", "staffing"], Some("parking"), "my patients"),
            reflection(4, &["it"], None, "the team"),
            reflection(4, &["it", "breaks"], None, "time to think"),
            reflection(2, &["staffing"], None, ""),
            reflection(1, &[], Some("rota"), "being heard"),
        ];
        let h = build(q, "Ward 7", week(), &rows, Thresholds::default(), 9);
        let Content::Shown(p) = &h.content else {
            panic!("{h:?}")
        };
        let joy = &p.scores[0];
        let f = joy.figures.as_ref().unwrap();
        assert!((f.mean - 3.2).abs() < 1e-9);
        let counts: Vec<usize> = f.bars.iter().map(|b| b.count).collect();
        assert_eq!(counts, [1, 1, 0, 2, 1]);
        assert_eq!(f.bars[4].label, "5 A great deal of joy");
        let pebbles = p
            .tallies
            .iter()
            .find(|t| t.question_id == "pebbles")
            .unwrap();
        let bars = pebbles.bars.as_ref().unwrap();
        assert_eq!(bars[0].label, "IT systems and logins");
        assert_eq!(bars[0].count, 3);
        assert_eq!((bars[1].count, bars[2].count), (2, 2), "{bars:?}");
        assert!(bars.iter().all(|b| b.count > 0));
        // 4 people wrote what matters: under the text threshold of 5.
        let matters = p
            .texts
            .iter()
            .find(|t| t.question_id == "what-matters")
            .unwrap();
        assert_eq!(matters.texts, Err(Hidden::TooFew { have: 4, need: 5 }));
        let other = p.texts.iter().find(|t| t.text.contains("Other")).unwrap();
        assert_eq!(other.texts, Err(Hidden::TooFew { have: 2, need: 5 }));
        // Nobody wrote about a good day: "nobody answered", not "no
        // reflections" (there are six).
        let good = p
            .texts
            .iter()
            .find(|t| t.question_id == "good-day")
            .unwrap();
        assert_eq!(good.texts, Err(Hidden::NoAnswers));
        assert_eq!(Hidden::NoAnswers.reason(), "Nobody answered this");
        // With a threshold of 3 they show, shuffled but complete.
        let h = build(q, "Ward 7", week(), &rows, Thresholds::new(3, 4), 9);
        let Content::Shown(p) = &h.content else {
            panic!()
        };
        let mut m = p
            .texts
            .iter()
            .find(|t| t.question_id == "what-matters")
            .unwrap()
            .texts
            .clone()
            .unwrap();
        m.sort();
        assert_eq!(
            m,
            ["being heard", "my patients", "the team", "time to think"]
        );
    }

    #[test]
    fn overdue_actions_come_first() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let a = |id, status, review: Option<&str>| TeamAction {
            id,
            team: "W".into(),
            action: format!("a{id}"),
            owner: String::new(),
            review_on: review.map(d),
            status,
            learned: String::new(),
            created_on: d("2026-01-01"),
            updated_on: d("2026-01-01"),
            pebble: String::new(),
            scope: None,
        };
        let today = d("2026-11-22");
        let mut v = vec![
            a(1, ActionStatus::Done, Some("2026-01-01")),
            a(2, ActionStatus::Open, None),
            a(3, ActionStatus::Open, Some("2026-12-01")),
            a(4, ActionStatus::Testing, Some("2026-11-01")),
            a(5, ActionStatus::Open, Some("2026-10-01")),
            a(6, ActionStatus::Dropped, None),
        ];
        order_actions(&mut v, today);
        let ids: Vec<i64> = v.iter().map(|x| x.id).collect();
        assert_eq!(ids, [5, 4, 3, 2, 1, 6]);
        assert!(v[0].is_overdue(today) && !v[2].is_overdue(today));
        assert!(!v[4].is_overdue(today), "done is never overdue");
    }
}
