//! Scoring answers: item scores (remap, reverse), the missing-answer rule,
//! sum or mean, lookup table, linear transform, bands and item flags.

use super::model::*;
use super::range::{aggregate, report};
use serde::Serialize;

/// An option value after the score's `remap` (unchanged when not listed).
/// `score.remap` is sorted by `from` (the loader sorts it), so this is a
/// binary search: a remap of tens of thousands of entries stays fast.
pub fn remapped(score: &Score, value: f64) -> f64 {
    let i = score
        .remap
        .partition_point(|(from, _)| *from < value - 1e-9);
    match score.remap.get(i) {
        Some((from, to)) if (from - value).abs() < 1e-9 => *to,
        _ => value,
    }
}

/// Lowest and highest remapped value of a question: reversing flips within these.
pub fn item_bounds(score: &Score, q: &Question) -> (f64, f64) {
    super::range::raw_values(q)
        .into_iter()
        .map(|v| remapped(score, v))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
            (lo.min(x), hi.max(x))
        })
}

/// Score one item: remap the answer's value, then reverse it if listed.
pub fn item_score(score: &Score, q: &Question, value: f64) -> f64 {
    let x = remapped(score, value);
    if super::range::is_reversed(score, &q.id) {
        let (lo, hi) = item_bounds(score, q);
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
    pub tone: Tone,
    /// The flag's own support text, or the file's for an alert flag.
    pub signposting: Option<String>,
    pub answers: Vec<FlaggedAnswer>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Outcome {
    pub questionnaire: String,
    pub version: String,
    pub scores: Vec<ScoreResult>,
    pub flags: Vec<FlagHit>,
    /// The lowest of the file's `[focus]` scores, and what would help.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub focus: Option<FocusHit>,
}

/// Which of a `[focus]`'s scores came out lowest, and its message.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FocusHit {
    pub heading: String,
    pub score: String,
    pub label: String,
    pub message: String,
}

/// The lowest of `focus`'s scores among `scores`, each placed within its
/// own range (0 at its lowest, 1 at its highest); the first listed wins a
/// tie. None when none of them has a value.
pub fn lowest(focus: &Focus, scores: &[ScoreResult]) -> Option<FocusHit> {
    let mut best: Option<(f64, &ScoreResult, &str)> = None;
    for (id, message) in &focus.scores {
        let Some(s) = scores.iter().find(|s| &s.id == id) else {
            continue;
        };
        let Some(v) = s.value else { continue };
        let (lo, hi) = s.range;
        let place = if hi > lo { (v - lo) / (hi - lo) } else { 0.0 };
        if best.is_none_or(|(b, _, _)| place < b - 1e-9) {
            best = Some((place, s, message));
        }
    }
    best.map(|(_, s, message)| FocusHit {
        heading: focus.heading.clone(),
        score: s.id.clone(),
        label: s.label.clone(),
        message: message.to_string(),
    })
}

impl Outcome {
    /// Signposting to show, each text once: first that of every flag that
    /// fired with support of its own (most urgent first), then that of every
    /// alert band reached (the band's own, or the file's).
    pub fn signposting<'a>(&'a self, q: &'a Questionnaire) -> Vec<&'a str> {
        let mut out: Vec<&str> = Vec::new();
        let mut flags: Vec<&FlagHit> = self.flags.iter().collect();
        flags.sort_by_key(|f| match f.tone {
            Tone::Alert => 0,
            Tone::Caution => 1,
            Tone::Good => 2,
        });
        for f in flags {
            if let Some(text) = f.signposting.as_deref() {
                if !out.contains(&text) {
                    out.push(text);
                }
            }
        }
        // A FHIR questionnaire whose scores have no bands (no companion
        // file): a low score cannot be told, so support comes with any.
        let every = q.fhir.as_ref().is_some_and(|f| f.support_with_every_score);
        for s in &self.scores {
            if every && s.value.is_some() {
                if let Some(text) = q.signposting.as_deref() {
                    if !out.contains(&text) {
                        out.push(text);
                    }
                }
            }
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
    let scores: Vec<ScoreResult> = q.scores.iter().map(|s| score_one(q, s, &answers)).collect();
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
            let signposting = f.signposting.clone().or_else(|| {
                (f.tone == Tone::Alert)
                    .then(|| q.signposting.clone())
                    .flatten()
            });
            flags.push(FlagHit {
                message: f.message.clone(),
                tone: f.tone,
                signposting,
                answers: hits,
            });
        }
    }
    let focus = q.focus.as_ref().and_then(|f| lowest(f, &scores));
    Outcome {
        questionnaire: q.id.clone(),
        version: q.version.clone(),
        scores,
        flags,
        focus,
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
    result.band = nearest_band(s, value).cloned().map(|mut b| {
        // An alert band without its own support text uses the file's, so
        // every reader of the result (JSON included) sees the text shown.
        if b.tone == Tone::Alert && b.signposting.is_none() {
            b.signposting = q.signposting.clone();
        }
        b
    });
    result
}

/// The band holding `value`; a prorated value that falls between two bands
/// goes to the nearer one.
pub fn nearest_band(s: &Score, value: f64) -> Option<&Band> {
    s.band_for(value).or_else(|| {
        s.bands.iter().min_by(|a, b| {
            let d = |x: &Band| (x.min - value).abs().min((x.max - value).abs());
            d(a).total_cmp(&d(b))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::load_str;

    const HEAD: &str = r#"
id = "t"
version = "1"
title = "T"
description = "d"
kind = "personal"
minutes = 1
signposting = "Help is here."
[licence]
text = "x"
source = "https://example.org"
[scales.s]
options = [{ label = "None", value = 0 }, { label = "Some", value = 1 }, { label = "Lots", value = 2 }]
[scales.agree]
options = [{ label = "1", value = 1 }, { label = "2", value = 2 }, { label = "3", value = 3 }, { label = "4", value = 4 }, { label = "5", value = 5 }]
"#;

    fn q(body: &str) -> Questionnaire {
        load_str("t.toml", &format!("{HEAD}{body}")).unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn items(ids: &[&str], scale: &str) -> String {
        ids.iter()
            .map(|i| format!("[[questions]]\nid = \"{i}\"\ntype = \"scale\"\nscale = \"{scale}\"\ntext = \"{i}?\"\nrequired = false\n"))
            .collect()
    }

    fn answers(pairs: &[(&str, f64)]) -> Answers {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), AnswerValue::Choice(Scalar::Number(*v))))
            .collect()
    }

    #[test]
    fn reverse_scoring_flips_within_the_item_range() {
        let q = q(&(items(&["a", "b"], "s") + "[[scores]]\nid = \"x\"\nlabel = \"X\"\nquestions = [\"a\", \"b\"]\nreverse = [\"b\"]\n"));
        let o = score(&q, &answers(&[("a", 2.0), ("b", 0.0)]));
        assert_eq!(o.scores[0].value, Some(4.0));
        let o = score(&q, &answers(&[("a", 2.0), ("b", 2.0)]));
        assert_eq!(o.scores[0].value, Some(2.0));
    }

    #[test]
    fn remap_then_mean_gives_staff_survey_style_scores() {
        let q = q(&(items(&["a", "b"], "agree")
            + "[[scores]]\nid = \"x\"\nlabel = \"X\"\nquestions = [\"a\", \"b\"]\nmethod = \"mean\"\nreverse = [\"b\"]\n\
               remap = [{ from = 1, to = 0 }, { from = 2, to = 2.5 }, { from = 3, to = 5 }, { from = 4, to = 7.5 }, { from = 5, to = 10 }]\n"));
        // a = 4 -> 7.5; b = 2 -> 2.5 reversed -> 7.5; mean 7.5.
        let o = score(&q, &answers(&[("a", 4.0), ("b", 2.0)]));
        assert_eq!(o.scores[0].value, Some(7.5));
        assert_eq!(q.scores[0].range, (0.0, 10.0));
    }

    #[test]
    fn linear_transform_multiplies_and_adds() {
        let q = q(&(items(&["a", "b"], "s") + "[[scores]]\nid = \"x\"\nlabel = \"X\"\nquestions = [\"a\", \"b\"]\ntransform = { multiply = 4, add = 10 }\n"));
        let o = score(&q, &answers(&[("a", 2.0), ("b", 1.0)]));
        assert_eq!(
            (o.scores[0].raw, o.scores[0].value),
            (Some(3.0), Some(22.0))
        );
        assert_eq!(q.scores[0].range, (10.0, 26.0));
    }

    #[test]
    fn lookup_table_converts_raw_to_reported() {
        let q = q(&(items(&["a", "b"], "s")
            + "[[scores]]\nid = \"x\"\nlabel = \"X\"\nquestions = [\"a\", \"b\"]\n\
               lookup = [{ raw = 0, score = 0 }, { raw = 1, score = 10 }, { raw = 2, score = 25 }, { raw = 3, score = 60 }, { raw = 4, score = 100 }]\n"));
        let o = score(&q, &answers(&[("a", 1.0), ("b", 1.0)]));
        assert_eq!(
            (o.scores[0].raw, o.scores[0].value),
            (Some(2.0), Some(25.0))
        );
    }

    #[test]
    fn missing_rule_refuses_or_prorates() {
        let strict = q(&(items(&["a", "b", "c"], "s")
            + "[[scores]]\nid = \"x\"\nlabel = \"X\"\nquestions = [\"a\", \"b\", \"c\"]\n"));
        let o = score(&strict, &answers(&[("a", 2.0), ("b", 1.0)]));
        assert_eq!(o.scores[0].value, None);
        assert_eq!(o.scores[0].missing, 1);
        assert!(o.scores[0]
            .note
            .as_deref()
            .unwrap()
            .contains("1 of its 3 questions was not answered"));

        let prorated = q(&(items(&["a", "b", "c"], "s")
            + "[[scores]]\nid = \"x\"\nlabel = \"X\"\nquestions = [\"a\", \"b\", \"c\"]\nmax_missing = 1\nprorate = true\n"));
        let o = score(&prorated, &answers(&[("a", 2.0), ("b", 1.0)]));
        assert_eq!(o.scores[0].value, Some(4.5)); // 3 * 3/2
        let o = score(&prorated, &answers(&[("a", 2.0)]));
        assert_eq!(o.scores[0].value, None); // two missing: more than allowed

        let plain = q(&(items(&["a", "b", "c"], "s")
            + "[[scores]]\nid = \"x\"\nlabel = \"X\"\nquestions = [\"a\", \"b\", \"c\"]\nmax_missing = 1\n"));
        assert_eq!(
            score(&plain, &answers(&[("a", 2.0), ("b", 1.0)])).scores[0].value,
            Some(3.0)
        );
    }

    #[test]
    fn bands_pick_the_band_holding_the_score() {
        let q = q(&(items(&["a", "b"], "s")
            + "[[scores]]\nid = \"x\"\nlabel = \"X\"\nquestions = [\"a\", \"b\"]\n\
               [[scores.bands]]\nmin = 0\nmax = 1\nlabel = \"Low\"\ntone = \"alert\"\nmessage = \"low\"\n\
               [[scores.bands]]\nmin = 2\nmax = 4\nlabel = \"Ok\"\ntone = \"good\"\nmessage = \"ok\"\n"));
        let low = score(&q, &answers(&[("a", 1.0), ("b", 0.0)]));
        assert_eq!(low.scores[0].band.as_ref().unwrap().label, "Low");
        assert_eq!(low.signposting(&q), vec!["Help is here."]);
        let ok = score(&q, &answers(&[("a", 1.0), ("b", 1.0)]));
        assert_eq!(ok.scores[0].band.as_ref().unwrap().tone, Tone::Good);
        assert!(ok.signposting(&q).is_empty());
    }

    #[test]
    fn item_flags_list_each_matching_answer() {
        let q = q(&(items(&["a", "b", "c"], "s")
            + "[[flags]]\nquestions = [\"a\", \"b\", \"c\"]\nwhen = { at_most = 0 }\nmessage = \"Zero here.\"\n"));
        let o = score(&q, &answers(&[("a", 0.0), ("b", 1.0), ("c", 0.0)]));
        assert_eq!(o.flags.len(), 1);
        let hit: Vec<&str> = o.flags[0]
            .answers
            .iter()
            .map(|a| a.question.as_str())
            .collect();
        assert_eq!(hit, ["a", "c"]);
        assert_eq!(o.flags[0].answers[0].answer, "None");
        assert!(score(&q, &answers(&[("a", 1.0)])).flags.is_empty());
    }

    #[test]
    fn answers_to_hidden_questions_do_not_count() {
        let body = items(&["a"], "s")
            + "[[questions]]\nid = \"b\"\ntype = \"scale\"\nscale = \"s\"\ntext = \"b?\"\nshow_if = { question = \"a\", at_least = 1 }\n\
               [[scores]]\nid = \"x\"\nlabel = \"X\"\nquestions = [\"a\", \"b\"]\nmax_missing = 1\n";
        let q = q(&body);
        assert_eq!(
            score(&q, &answers(&[("a", 1.0), ("b", 2.0)])).scores[0].value,
            Some(3.0)
        );
        // a = 0 hides b: its stale answer is dropped.
        assert_eq!(
            score(&q, &answers(&[("a", 0.0), ("b", 2.0)])).scores[0].value,
            Some(0.0)
        );
        assert!(!q.is_visible(1, &answers(&[("a", 0.0)])));
    }
}
