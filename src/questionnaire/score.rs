//! Scoring answers: item scores (remap, reverse), the missing-answer rule,
//! sum or mean, lookup table, linear transform, bands and item flags.

use super::model::*;
use super::range::{aggregate, report};
use serde::Serialize;

/// Score one item: remap the answer's value, then reverse it if listed.
pub fn item_score(score: &Score, q: &Question, value: f64) -> f64 {
    let remap = |v: f64| {
        score
            .remap
            .iter()
            .find(|(from, _)| (from - v).abs() < 1e-9)
            .map(|(_, to)| *to)
            .unwrap_or(v)
    };
    let x = remap(value);
    if score.reverse.contains(&q.id) {
        let all: Vec<f64> = super::range::raw_values(q).into_iter().map(remap).collect();
        let lo = all.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = all.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        lo + hi - x
    } else {
        x
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ScoreResult {
    pub id: String,
    pub label: String,
    /// Before lookup and transform.
    pub raw: Option<f64>,
    /// The reported score.
    pub value: Option<f64>,
    pub band: Option<Band>,
    pub answered: usize,
    pub missing: usize,
    /// Why there is no score, when there is none.
    pub note: Option<String>,
    pub range: (f64, f64),
    pub meaningful_change: Option<f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FlaggedAnswer {
    pub question: String,
    pub text: String,
    pub answer: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FlagHit {
    pub message: String,
    pub answers: Vec<FlaggedAnswer>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Outcome {
    pub questionnaire: String,
    pub version: String,
    pub scores: Vec<ScoreResult>,
    pub flags: Vec<FlagHit>,
}

impl Outcome {
    /// Signposting to show: the text of every alert band reached.
    pub fn signposting<'a>(&'a self, q: &'a Questionnaire) -> Vec<&'a str> {
        let mut out: Vec<&str> = Vec::new();
        for s in &self.scores {
            if let Some(b) = s.band.as_ref().filter(|b| b.tone == Tone::Alert) {
                if let Some(text) = b.signposting.as_deref().or(q.signposting.as_deref()) {
                    if !out.contains(&text) {
                        out.push(text);
                    }
                }
            }
        }
        out
    }
}

/// Score every score and flag of `q` on `answers` (hidden questions ignored).
pub fn score(q: &Questionnaire, answers: &Answers) -> Outcome {
    let answers = q.visible_answers(answers);
    let scores = q.scores.iter().map(|s| score_one(q, s, &answers)).collect();
    let mut flags = Vec::new();
    for f in &q.flags {
        let hits: Vec<FlaggedAnswer> = f
            .questions
            .iter()
            .filter_map(|id| {
                let question = q.question(id)?;
                let a = answers.get(id)?;
                f.test.holds(Some(a)).then(|| FlaggedAnswer {
                    question: id.clone(),
                    text: question.text.clone(),
                    answer: a.label(question),
                })
            })
            .collect();
        if !hits.is_empty() {
            flags.push(FlagHit {
                message: f.message.clone(),
                answers: hits,
            });
        }
    }
    Outcome {
        questionnaire: q.id.clone(),
        version: q.version.clone(),
        scores,
        flags,
    }
}

fn score_one(q: &Questionnaire, s: &Score, answers: &Answers) -> ScoreResult {
    let mut sum = 0.0;
    let mut answered = 0;
    for id in &s.questions {
        let (Some(question), Some(v)) = (
            q.question(id),
            answers.get(id).and_then(AnswerValue::number),
        ) else {
            continue;
        };
        sum += item_score(s, question, v);
        answered += 1;
    }
    let missing = s.questions.len() - answered;
    let mut result = ScoreResult {
        id: s.id.clone(),
        label: s.label.clone(),
        raw: None,
        value: None,
        band: None,
        answered,
        missing,
        note: None,
        range: s.range,
        meaningful_change: s.meaningful_change,
    };
    if answered == 0 || missing > s.max_missing {
        result.note = Some(crate::text::no_score(
            missing,
            s.questions.len(),
            s.max_missing,
        ));
        return result;
    }
    let raw = aggregate(s, sum, answered);
    let value = report(s, raw);
    result.raw = Some(raw);
    result.value = Some(value);
    result.band = nearest_band(s, value).cloned();
    result
}

/// The band holding `value`; a prorated value that falls between two bands
/// goes to the nearer one.
fn nearest_band(s: &Score, value: f64) -> Option<&Band> {
    s.band_for(value).or_else(|| {
        s.bands.iter().min_by(|a, b| {
            let d = |x: &Band| (x.min - value).abs().min((x.max - value).abs());
            d(a).total_cmp(&d(b))
        })
    })
}
