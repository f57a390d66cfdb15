//! The validated questionnaire model the rest of the app uses. Built only by
//! [`crate::questionnaire::load`]; every reference in it has been checked.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Whether a questionnaire is a private check-in or an anonymous team reflection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Personal,
    Team,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Personal => "personal",
            Kind::Team => "team",
        }
    }
}

/// The tone of a band. Screens turn it into a colour *and* a word or symbol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tone {
    Good,
    Caution,
    Alert,
}

impl Tone {
    pub fn as_str(self) -> &'static str {
        match self {
            Tone::Good => "good",
            Tone::Caution => "caution",
            Tone::Alert => "alert",
        }
    }
    pub fn parse(s: &str) -> Option<Tone> {
        match s {
            "good" => Some(Tone::Good),
            "caution" => Some(Tone::Caution),
            "alert" => Some(Tone::Alert),
            _ => None,
        }
    }
}

/// An option's value as written in the file: a number or a short code.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Scalar {
    Number(f64),
    Text(String),
}

/// Numbers are checked as they are read (no `nan`, no infinities, see
/// [`crate::questionnaire::number`]), with the position of the bad one.
impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Scalar, D::Error> {
        Ok(match super::number::number_or_text(d)? {
            Ok(n) => Scalar::Number(n),
            Err(t) => Scalar::Text(t),
        })
    }
}

impl PartialEq for Scalar {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Scalar::Number(a), Scalar::Number(b)) => (a - b).abs() < 1e-9,
            (Scalar::Text(a), Scalar::Text(b)) => a == b,
            _ => false,
        }
    }
}

impl Scalar {
    pub fn as_number(&self) -> Option<f64> {
        match self {
            Scalar::Number(n) => Some(*n),
            Scalar::Text(_) => None,
        }
    }
}

/// A score or other number as shown to people, everywhere (screens,
/// `joy score`, history, CSV export): whole numbers as they are (`52`),
/// anything else rounded to one decimal place (`4.375` -> `4.4`, `6.6667`
/// -> `6.7`, `2.5` -> `2.5`). One rule, so numbers side by side agree.
pub fn fmt_number(n: f64) -> String {
    if !n.is_finite() {
        return n.to_string();
    }
    let r = (n * 10.0).round() / 10.0;
    if r == 0.0 {
        return "0".into();
    }
    if r.fract() == 0.0 && r.abs() < 1e15 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// A number exactly as an author wrote it in a file (`3.75`, `0.25`): used
/// for option values and in validation messages, never rounded for show.
pub fn fmt_exact(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        let s = format!("{n:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scalar::Number(n) => f.write_str(&fmt_exact(*n)),
            Scalar::Text(t) => f.write_str(t),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub label: String,
    pub value: Scalar,
    /// How the option is coded in FHIR, when it came from a FHIR file (the
    /// project's own files have none: a code is made from the value).
    pub code: Option<Code>,
}

/// An option of a FHIR questionnaire as FHIR writes it: a `valueCoding`
/// (system and code), a `valueString`, a `valueInteger`, or one side of a
/// `boolean` question.
#[derive(Debug, Clone, PartialEq)]
pub enum Code {
    Coding {
        system: Option<String>,
        code: String,
    },
    Text(String),
    Integer(i64),
    Boolean(bool),
}

impl Code {
    /// The code as a person may type it (`joy score ID=LA6569-3`).
    pub fn typed(&self) -> String {
        match self {
            Code::Coding { code, .. } => code.clone(),
            Code::Text(t) => t.clone(),
            Code::Integer(i) => i.to_string(),
            Code::Boolean(b) => b.to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum QuestionKind {
    /// One option from a named, reusable scale (numeric values).
    Scale { scale: String, options: Vec<Choice> },
    /// One option from a list of categories.
    Choice { options: Vec<Choice> },
    /// Any number of options (tags), optionally with a free-text "other".
    Multi {
        options: Vec<Choice>,
        other: bool,
        other_max_length: usize,
    },
    /// A number in a range, e.g. a 0-10 slider.
    Number {
        min: f64,
        max: f64,
        step: f64,
        min_label: Option<String>,
        max_label: Option<String>,
    },
    /// Free text up to a maximum length (in characters); `multiline` keeps
    /// line breaks (a note: Alt-Enter starts a new line, a paste keeps its
    /// lines), else they become spaces.
    Text { max_length: usize, multiline: bool },
}

impl QuestionKind {
    pub fn options(&self) -> &[Choice] {
        match self {
            QuestionKind::Scale { options, .. }
            | QuestionKind::Choice { options }
            | QuestionKind::Multi { options, .. } => options,
            _ => &[],
        }
    }
    pub fn type_name(&self) -> &'static str {
        match self {
            QuestionKind::Scale { .. } => "scale",
            QuestionKind::Choice { .. } => "choice",
            QuestionKind::Multi { .. } => "multi",
            QuestionKind::Number { .. } => "number",
            QuestionKind::Text { .. } => "text",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub id: String,
    pub text: String,
    pub help: Option<String>,
    pub required: bool,
    pub kind: QuestionKind,
    /// When the question is shown (absent: always).
    pub show_if: Option<Shown>,
    /// Asked from the review only, never on the way through: the private
    /// note that ends a personal check-in (one row of the review, where
    /// `n` opens it), so a check-in takes no more keys without one.
    pub on_review: bool,
}

/// A test applied to one answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    Equals(Scalar),
    NotEquals(Scalar),
    AtLeast(f64),
    AtMost(f64),
    AnyOf(Vec<Scalar>),
    Includes(Scalar),
    Answered(bool),
    /// Strictly more or less than (FHIR's `>` and `<`).
    Above(f64),
    Below(f64),
}

impl Test {
    /// Does `answer` (None = not answered) pass this test?
    pub fn holds(&self, answer: Option<&AnswerValue>) -> bool {
        let Some(answer) = answer else {
            return matches!(self, Test::Answered(false));
        };
        match self {
            Test::Answered(b) => *b,
            Test::Equals(s) => answer.single() == Some(s.clone()),
            Test::NotEquals(s) => answer.single().is_some_and(|v| v != *s),
            Test::AtLeast(x) => answer.number().is_some_and(|v| v >= *x - 1e-9),
            Test::AtMost(x) => answer.number().is_some_and(|v| v <= *x + 1e-9),
            Test::Above(x) => answer.number().is_some_and(|v| v > *x + 1e-9),
            Test::Below(x) => answer.number().is_some_and(|v| v < *x - 1e-9),
            Test::AnyOf(list) => answer.single().is_some_and(|v| list.contains(&v)),
            Test::Includes(s) => match answer {
                AnswerValue::Multi { values, .. } => values.contains(s),
                _ => false,
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub question: String,
    pub test: Test,
}

/// When a question is shown: one condition, or all or any of several
/// (FHIR's `enableWhen` with `enableBehavior`, and a group's conditions
/// around its items' own).
#[derive(Debug, Clone, PartialEq)]
pub enum Shown {
    When(Condition),
    All(Vec<Shown>),
    Any(Vec<Shown>),
}

impl Shown {
    /// Does it hold, given the answers of the questions shown so far?
    pub fn holds(&self, visible: &Answers) -> bool {
        match self {
            Shown::When(c) => c.test.holds(visible.get(&c.question)),
            Shown::All(xs) => xs.iter().all(|x| x.holds(visible)),
            Shown::Any(xs) => xs.iter().any(|x| x.holds(visible)),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    Sum,
    Mean,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Band {
    pub min: f64,
    pub max: f64,
    pub label: String,
    pub tone: Tone,
    pub message: String,
    /// Set for alert bands: where to find support.
    pub signposting: Option<String>,
}

impl Band {
    pub fn contains(&self, x: f64) -> bool {
        x >= self.min - 1e-9 && x <= self.max + 1e-9
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    pub id: String,
    pub label: String,
    pub description: Option<String>,
    pub questions: Vec<String>,
    pub method: Method,
    pub reverse: Vec<String>,
    /// Option value -> scored value, applied before reversing.
    pub remap: Vec<(f64, f64)>,
    /// Raw score -> reported score, applied before the linear transform.
    pub lookup: Vec<(f64, f64)>,
    pub multiply: f64,
    pub add: f64,
    pub max_missing: usize,
    pub prorate: bool,
    pub meaningful_change: Option<f64>,
    pub bands: Vec<Band>,
    /// Lowest and highest reported score this definition can produce.
    pub range: (f64, f64),
}

impl Score {
    pub fn band_for(&self, value: f64) -> Option<&Band> {
        self.bands.iter().find(|b| b.contains(value))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Flag {
    pub questions: Vec<String>,
    pub test: Test,
    pub message: String,
    /// How the flag is shown; `caution` unless the file says otherwise.
    pub tone: Tone,
    /// Support shown whenever the flag fires, whatever the scores' bands
    /// (e.g. PHQ-9 item 9). An alert flag without its own uses the file's.
    pub signposting: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Licence {
    pub text: String,
    pub source: String,
    /// e.g. "may not be altered"; shown before anyone edits the file.
    pub conditions: Option<String>,
}

/// A file's `[focus]`: after the scores, the result names the lowest of
/// `scores` (each placed within its own range, so subscales of different
/// lengths compare fairly; a tie goes to the one listed first) with its
/// message: where a small change may help most.
#[derive(Debug, Clone, PartialEq)]
pub struct Focus {
    pub heading: String,
    /// (score id, message), in the file's order.
    pub scores: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Questionnaire {
    pub id: String,
    pub version: String,
    pub title: String,
    pub description: String,
    pub kind: Kind,
    pub minutes: u32,
    /// How often a gentle reminder suggests it, in days (`remind_every_days`
    /// in the file; the config may change or turn it off).
    pub remind_every_days: Option<u32>,
    pub instructions: Option<String>,
    pub licence: Licence,
    pub signposting: Option<String>,
    pub questions: Vec<Question>,
    pub scores: Vec<Score>,
    pub flags: Vec<Flag>,
    /// The "lowest of these" rule (`[focus]` in the file): which of some
    /// scores is lowest, and what would help with it.
    pub focus: Option<Focus>,
    /// What a FHIR `Questionnaire` file adds: its canonical URL, its items'
    /// nesting and answer types, and its scores' codes (None for the
    /// project's own files).
    pub fhir: Option<Box<FhirShape>>,
    /// SHA-256 of the file text, so saved answers can name the exact file.
    pub hash: String,
    /// The file text itself: the store keeps it, by its hash, the first
    /// time something is saved on it (the questionnaire as answered).
    pub source: std::sync::Arc<str>,
    /// Only the validator makes one (issue 19 §1): outside this module a
    /// `Questionnaire` can be neither written out nor copied with changes
    /// (`Questionnaire { .., ..q }`), so every one has passed every rule.
    pub(super) validated: Validated,
}

/// The mark of a questionnaire that passed validation; made only in
/// [`crate::questionnaire::load`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Validated(pub(super) ());

impl Questionnaire {
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }
    pub fn score(&self, id: &str) -> Option<&Score> {
        self.scores.iter().find(|s| s.id == id)
    }

    /// Is question `index` shown, given the answers so far? A question whose
    /// condition refers to a hidden question is hidden too.
    pub fn is_visible(&self, index: usize, answers: &Answers) -> bool {
        let visible = self.visible_answers(answers);
        self.visible_with(index, &visible)
    }

    fn visible_with(&self, index: usize, visible: &Answers) -> bool {
        match self.questions.get(index).and_then(|q| q.show_if.as_ref()) {
            None => true,
            Some(c) => c.holds(visible),
        }
    }

    /// The answers that count: those of questions still shown. Answers to a
    /// question hidden after an earlier answer changed are dropped.
    pub fn visible_answers(&self, answers: &Answers) -> Answers {
        self.visibility(answers).1
    }

    /// Indices of the questions shown, given the answers so far.
    pub fn visible_indices(&self, answers: &Answers) -> Vec<usize> {
        self.visibility(answers).0
    }

    /// One pass in question order: which are shown, and their answers.
    fn visibility(&self, answers: &Answers) -> (Vec<usize>, Answers) {
        let mut shown = Vec::new();
        let mut kept = Answers::new();
        for (i, q) in self.questions.iter().enumerate() {
            if self.visible_with(i, &kept) {
                shown.push(i);
                if let Some(a) = answers.get(&q.id) {
                    kept.insert(q.id.clone(), a.clone());
                }
            }
        }
        (shown, kept)
    }
}

/// One answer to one question.
#[derive(Debug, Clone, PartialEq)]
pub enum AnswerValue {
    Choice(Scalar),
    Multi {
        values: Vec<Scalar>,
        other: Option<String>,
    },
    Number(f64),
    Text(String),
}

pub type Answers = BTreeMap<String, AnswerValue>;

impl AnswerValue {
    fn single(&self) -> Option<Scalar> {
        match self {
            AnswerValue::Choice(s) => Some(s.clone()),
            AnswerValue::Number(n) => Some(Scalar::Number(*n)),
            AnswerValue::Text(t) => Some(Scalar::Text(t.clone())),
            AnswerValue::Multi { .. } => None,
        }
    }
    /// The numeric value, for scoring and comparisons.
    pub fn number(&self) -> Option<f64> {
        match self {
            AnswerValue::Choice(s) => s.as_number(),
            AnswerValue::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The value as stored and exported: JSON text.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            AnswerValue::Choice(s) => serde_json::to_value(s).unwrap_or(serde_json::Value::Null),
            AnswerValue::Number(n) => serde_json::json!(n),
            AnswerValue::Text(t) => serde_json::json!(t),
            AnswerValue::Multi { values, other } => {
                serde_json::json!({ "values": values, "other": other })
            }
        }
    }

    /// Rebuild an answer from its stored JSON, for the given question.
    pub fn from_json(kind: &QuestionKind, v: &serde_json::Value) -> Option<AnswerValue> {
        match kind {
            QuestionKind::Scale { .. } | QuestionKind::Choice { .. } => {
                serde_json::from_value(v.clone())
                    .ok()
                    .map(AnswerValue::Choice)
            }
            QuestionKind::Number { .. } => v.as_f64().map(AnswerValue::Number),
            QuestionKind::Text { .. } => v.as_str().map(|s| AnswerValue::Text(s.to_string())),
            QuestionKind::Multi { .. } => {
                let values = serde_json::from_value(v.get("values")?.clone()).ok()?;
                let other = v.get("other").and_then(|o| o.as_str()).map(str::to_string);
                Some(AnswerValue::Multi { values, other })
            }
        }
    }

    /// A human-readable label: the option's label, the number, or the text.
    pub fn label(&self, question: &Question) -> String {
        let label_of = |s: &Scalar| {
            question
                .kind
                .options()
                .iter()
                .find(|c| c.value == *s)
                .map(|c| c.label.clone())
                .unwrap_or_else(|| s.to_string())
        };
        match self {
            AnswerValue::Choice(s) => label_of(s),
            AnswerValue::Number(n) => fmt_exact(*n),
            AnswerValue::Text(t) => t.clone(),
            AnswerValue::Multi { values, other } => {
                let mut parts: Vec<String> = values.iter().map(label_of).collect();
                if let Some(o) = other.as_ref().filter(|o| !o.trim().is_empty()) {
                    parts.push(format!("Other: {o}"));
                }
                parts.join("; ")
            }
        }
    }
}

#[cfg(test)]
mod number_tests {
    use super::{fmt_exact, fmt_number};

    #[test]
    fn shown_numbers_have_at_most_one_decimal() {
        assert_eq!(fmt_number(52.0), "52");
        assert_eq!(fmt_number(2.5), "2.5");
        assert_eq!(fmt_number(4.375), "4.4");
        assert_eq!(fmt_number(6.666_666), "6.7");
        assert_eq!(fmt_number(3.99), "4");
        assert_eq!(fmt_number(-0.04), "0");
        assert_eq!(fmt_number(-1.25), "-1.3");
    }

    #[test]
    fn file_values_are_shown_exactly() {
        assert_eq!(fmt_exact(3.75), "3.75");
        assert_eq!(fmt_exact(0.25), "0.25");
        assert_eq!(fmt_exact(10.0), "10");
    }
}

/// The shape of a questionnaire loaded from a FHIR `Questionnaire`, kept so
/// that its answers go back out as FHIR expects them: by `linkId`, nested in
/// its groups, each with its own answer type.
#[derive(Debug, Clone, PartialEq)]
pub struct FhirShape {
    /// `url` (the canonical), when the file has one.
    pub url: Option<String>,
    /// `version`, when the file has one.
    pub version: Option<String>,
    pub items: Vec<FhirItem>,
    /// The companion file that added bands, flags and support, if any.
    pub companion: Option<String>,
    /// No companion gave this scored questionnaire its bands: the general
    /// support text comes with every score.
    pub support_with_every_score: bool,
}

/// An item of a FHIR questionnaire that has a place in a response.
#[derive(Debug, Clone, PartialEq)]
pub enum FhirItem {
    Group {
        link_id: String,
        text: Option<String>,
        items: Vec<FhirItem>,
    },
    /// A question: `id` is its id here (made from the `linkId`).
    Question {
        link_id: String,
        id: String,
        answer: FhirAnswer,
    },
    /// A calculated score; `loinc` its LOINC code, when the item has one.
    Score {
        link_id: String,
        id: String,
        /// The item's own `text` (a companion may give the score another
        /// label; a response carries the file's words).
        text: Option<String>,
        answer: FhirAnswer,
        loinc: Option<(String, String)>,
    },
}

/// The FHIR type of an item's answer (`value[x]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FhirAnswer {
    Coding,
    String,
    Integer,
    Decimal,
    Boolean,
    Quantity,
}

impl FhirShape {
    /// The `linkId` of a question or score, by its id here.
    pub fn link_id(&self, id: &str) -> Option<&str> {
        fn find<'a>(items: &'a [FhirItem], id: &str) -> Option<&'a str> {
            items.iter().find_map(|i| match i {
                FhirItem::Group { items, .. } => find(items, id),
                FhirItem::Question { link_id, id: x, .. }
                | FhirItem::Score { link_id, id: x, .. } => (x == id).then_some(link_id.as_str()),
            })
        }
        find(&self.items, id)
    }
    /// The id here of a question or score, by its `linkId`.
    pub fn id_of(&self, link: &str) -> Option<&str> {
        fn find<'a>(items: &'a [FhirItem], link: &str) -> Option<&'a str> {
            items.iter().find_map(|i| match i {
                FhirItem::Group { items, .. } => find(items, link),
                FhirItem::Question { link_id, id, .. } | FhirItem::Score { link_id, id, .. } => {
                    (link_id == link).then_some(id.as_str())
                }
            })
        }
        find(&self.items, link)
    }
}
