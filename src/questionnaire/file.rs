//! The draft of a questionnaire, before validation: what a TOML file says,
//! as written, or what a FHIR `Questionnaire` says, translated by
//! [`super::fhir`]. Every value that a rule can refuse keeps its place
//! (`Spanned`), which [`super::source::Locator`] turns into file:line:column
//! or a JSON pointer. One validator ([`super::load`]) checks either.
//! `deny_unknown_fields` everywhere: a misspelt key is an error, not ignored.
//! Fields marked `serde(skip)` have no TOML key: only a FHIR file sets them.

use super::model::{Code, FhirShape, Kind, Method, Scalar};
use super::number::Num;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuestionnaire {
    pub id: Spanned<String>,
    pub version: String,
    pub title: String,
    pub description: String,
    pub kind: Kind,
    pub minutes: u32,
    /// How often a gentle reminder suggests it, in days (none: never).
    #[serde(default)]
    pub remind_every_days: Option<Spanned<u32>>,
    #[serde(default)]
    pub instructions: Option<String>,
    pub licence: RawLicence,
    #[serde(default)]
    pub signposting: Option<Spanned<String>>,
    #[serde(default)]
    pub scales: BTreeMap<Spanned<String>, Spanned<RawScale>>,
    pub questions: Vec<Spanned<RawQuestion>>,
    #[serde(default)]
    pub scores: Vec<Spanned<RawScore>>,
    #[serde(default)]
    pub flags: Vec<Spanned<RawFlag>>,
    /// The private note after a personal check-in: `false` for none, or
    /// its own prompt (absent: the usual prompt).
    #[serde(default)]
    pub note: Option<Spanned<RawNote>>,
    #[serde(default)]
    pub focus: Option<Spanned<RawFocus>>,
    /// A FHIR file's shape (items by `linkId`, answer types, codes).
    #[serde(skip)]
    pub fhir: Option<FhirShape>,
}

/// `[focus]`: the lowest of some scores, and what would help with each.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFocus {
    pub heading: String,
    pub scores: Vec<Spanned<String>>,
    pub messages: BTreeMap<Spanned<String>, String>,
}

/// `note = false`, or `note = "the prompt"`.
#[derive(Debug, Deserialize, Clone)]
#[serde(untagged)]
pub enum RawNote {
    On(bool),
    Prompt(String),
}

/// The top level with the lists left unread, to find its own errors when
/// the whole file does not deserialize.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct RawTop {
    id: String,
    version: String,
    title: String,
    description: String,
    kind: Kind,
    minutes: u32,
    #[serde(default)]
    remind_every_days: Option<u32>,
    #[serde(default)]
    instructions: Option<String>,
    licence: RawLicence,
    #[serde(default)]
    signposting: Option<String>,
    #[serde(default)]
    scales: BTreeMap<String, RawScale>,
    questions: serde::de::IgnoredAny,
    #[serde(default)]
    scores: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    flags: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    note: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    focus: Option<serde::de::IgnoredAny>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLicence {
    pub text: String,
    pub source: Spanned<String>,
    #[serde(default)]
    pub conditions: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScale {
    pub options: Vec<RawOption>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawOption {
    pub label: String,
    pub value: Spanned<Scalar>,
    #[serde(skip)]
    pub code: Option<Code>,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum RawType {
    Scale,
    Choice,
    Multi,
    Number,
    Text,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuestion {
    pub id: Spanned<String>,
    #[serde(rename = "type")]
    pub kind: Spanned<RawType>,
    pub text: String,
    #[serde(default)]
    pub help: Option<String>,
    #[serde(default = "yes")]
    pub required: bool,
    #[serde(default)]
    pub scale: Option<Spanned<String>>,
    #[serde(default)]
    pub options: Option<Spanned<Vec<RawOption>>>,
    #[serde(default)]
    pub other: Option<Spanned<bool>>,
    #[serde(default)]
    pub min: Option<Spanned<Num>>,
    #[serde(default)]
    pub max: Option<Spanned<Num>>,
    #[serde(default)]
    pub step: Option<Spanned<Num>>,
    #[serde(default)]
    pub min_label: Option<String>,
    #[serde(default)]
    pub max_label: Option<String>,
    #[serde(default)]
    pub max_length: Option<Spanned<usize>>,
    /// A text answer of several lines (line breaks kept).
    #[serde(default)]
    pub multiline: Option<Spanned<bool>>,
    #[serde(default)]
    pub show_if: Option<Spanned<RawTest>>,
    /// More conditions, each level to hold (a FHIR item's `enableWhen`
    /// and those of the groups around it).
    #[serde(skip)]
    pub shown: Vec<RawShown>,
}

/// One level of conditions: all of them, or any of them.
#[derive(Debug, Clone)]
pub struct RawShown {
    pub any: bool,
    pub tests: Vec<Spanned<RawTest>>,
}

fn yes() -> bool {
    true
}

/// A condition: `{ question = "role", equals = "nurse" }`. Inside a flag's
/// `when`, `question` is left out (the flag lists its questions).
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawTest {
    #[serde(default)]
    pub question: Option<Spanned<String>>,
    pub equals: Option<Scalar>,
    pub not_equals: Option<Scalar>,
    pub at_least: Option<Num>,
    pub at_most: Option<Num>,
    pub any_of: Option<Vec<Scalar>>,
    pub includes: Option<Scalar>,
    pub answered: Option<bool>,
    /// Strictly more or less than.
    pub above: Option<Num>,
    pub below: Option<Num>,
}

#[derive(Debug, Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub struct RawRemap {
    pub from: Num,
    pub to: Num,
}

#[derive(Debug, Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub struct RawLookup {
    pub raw: Num,
    pub score: Num,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTransform {
    #[serde(default = "one")]
    pub multiply: Num,
    #[serde(default = "zero")]
    pub add: Num,
}

fn zero() -> Num {
    Num(0.0)
}

fn one() -> Num {
    Num(1.0)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScore {
    pub id: Spanned<String>,
    pub label: String,
    #[serde(default)]
    pub description: Option<String>,
    pub questions: Spanned<Vec<Spanned<String>>>,
    #[serde(default = "sum")]
    pub method: Method,
    #[serde(default)]
    pub reverse: Vec<Spanned<String>>,
    #[serde(default)]
    pub remap: Option<Spanned<Vec<RawRemap>>>,
    #[serde(default)]
    pub lookup: Option<Spanned<Vec<Spanned<RawLookup>>>>,
    #[serde(default)]
    pub transform: Option<RawTransform>,
    #[serde(default)]
    pub max_missing: usize,
    #[serde(default)]
    pub prorate: bool,
    #[serde(default)]
    pub meaningful_change: Option<Spanned<Num>>,
    #[serde(default)]
    pub bands: Vec<Spanned<RawBand>>,
}

fn sum() -> Method {
    Method::Sum
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBand {
    pub min: Num,
    pub max: Num,
    pub label: String,
    pub tone: Spanned<String>,
    pub message: String,
    #[serde(default)]
    pub signposting: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFlag {
    pub questions: Vec<Spanned<String>>,
    pub when: Spanned<RawTest>,
    pub message: String,
    #[serde(default)]
    pub tone: Option<Spanned<String>>,
    #[serde(default)]
    pub signposting: Option<String>,
}
