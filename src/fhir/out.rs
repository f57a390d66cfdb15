//! A person's check-ins as a FHIR R4 `Bundle` (type `collection`) of
//! `QuestionnaireResponse`s (`joy export --format fhir`): serde types of
//! our own, borrowing from the records, written in one pass.

use super::{canonical, option_system, SCORE_LINK};
use crate::model::{CheckinRecord, SavedAnswer};
use crate::questionnaire::{AnswerValue, QuestionKind, Questionnaire, Scalar};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

#[derive(Serialize)]
pub struct Bundle<'a> {
    #[serde(rename = "resourceType")]
    resource_type: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    timestamp: String,
    // FHIR JSON never carries an empty array: no check-ins, no `entry`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    entry: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Entry<'a> {
    #[serde(rename = "fullUrl")]
    full_url: String,
    resource: Response<'a>,
}

#[derive(Serialize)]
pub struct Response<'a> {
    #[serde(rename = "resourceType")]
    resource_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    meta: Option<Meta>,
    identifier: Identifier,
    questionnaire: String,
    status: &'static str,
    authored: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    item: Vec<Item<'a>>,
}

#[derive(Serialize)]
struct Identifier {
    system: &'static str,
    value: String,
}

#[derive(Serialize)]
struct Meta {
    tag: [Tag; 1],
}

#[derive(Serialize)]
struct Tag {
    system: &'static str,
    code: &'static str,
    display: &'static str,
}

#[derive(Serialize)]
struct Item<'a> {
    #[serde(rename = "linkId")]
    link_id: std::borrow::Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    answer: Vec<Answer<'a>>,
}

#[derive(Serialize)]
enum Answer<'a> {
    #[serde(rename = "valueCoding")]
    Coding {
        system: String,
        code: String,
        display: std::borrow::Cow<'a, str>,
    },
    #[serde(rename = "valueInteger")]
    Integer(i64),
    #[serde(rename = "valueDecimal")]
    Decimal(f64),
    #[serde(rename = "valueString")]
    String(std::borrow::Cow<'a, str>),
}

/// The bundle of `records` (answered on `known` questionnaires, where the
/// file is still there), made at `now`.
pub fn bundle<'a>(
    records: &'a [CheckinRecord],
    known: &'a [Questionnaire],
    now: DateTime<Utc>,
) -> Bundle<'a> {
    Bundle {
        resource_type: "Bundle",
        kind: "collection",
        timestamp: now.to_rfc3339_opts(SecondsFormat::Secs, true),
        entry: records
            .iter()
            .map(|r| Entry {
                full_url: format!("urn:uuid:{}", super::checkin_uuid(r)),
                resource: response(r, known.iter().find(|q| q.id == r.questionnaire_id)),
            })
            .collect(),
    }
}

/// The bundle as JSON text, for a file.
pub fn to_json(records: &[CheckinRecord], known: &[Questionnaire], now: DateTime<Utc>) -> String {
    let json = serde_json::to_string_pretty(&bundle(records, known, now))
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    crate::text::safe_json(&json).into_owned()
}

/// One check-in as a `QuestionnaireResponse`: its answers by `linkId`,
/// typed (a coding for an option, an integer or decimal for a number, a
/// string for text), then its scores as items of their own.
pub fn response<'a>(r: &'a CheckinRecord, q: Option<&'a Questionnaire>) -> Response<'a> {
    let mut item: Vec<Item> = r.answers.iter().map(|a| answer_item(a, q)).collect();
    for s in &r.scores {
        let Some(v) = s.value else { continue };
        item.push(Item {
            link_id: format!("{SCORE_LINK}{}", s.score_id).into(),
            text: Some(&s.label),
            // Two decimals (the screens show one): no float noise such as
            // 3.3333333333333335.
            answer: vec![Answer::Decimal((v * 100.0).round() / 100.0)],
        });
    }
    Response {
        resource_type: "QuestionnaireResponse",
        meta: r.is_demo.then_some(Meta {
            tag: [Tag {
                system: super::DEMO_TAG_SYSTEM,
                code: super::DEMO_TAG_CODE,
                display: "demo data made by joy demo",
            }],
        }),
        identifier: Identifier {
            system: super::CHECKIN_SYSTEM,
            value: super::checkin_uuid(r),
        },
        questionnaire: canonical(&r.questionnaire_id, &r.questionnaire_version),
        status: "completed",
        authored: r.completed_at.to_rfc3339_opts(SecondsFormat::Millis, true),
        item,
    }
}

/// One answer as an item. Its type comes from the question where the file
/// is known; else from the stored value itself.
fn answer_item<'a>(a: &'a SavedAnswer, q: Option<&'a Questionnaire>) -> Item<'a> {
    let question = q.and_then(|q| q.question(&a.question_id));
    let answer: Vec<Answer> = match (question, q) {
        (Some(question), Some(q)) => match AnswerValue::from_json(&question.kind, &a.value) {
            Some(AnswerValue::Choice(s)) => vec![coding(q, &question.id, &s, &question.kind)],
            Some(AnswerValue::Multi { values, other }) => values
                .iter()
                .map(|s| coding(q, &question.id, s, &question.kind))
                .chain(other.map(|o| Answer::String(o.into())))
                .collect(),
            Some(AnswerValue::Number(n)) => vec![number(n)],
            Some(AnswerValue::Text(t)) => vec![Answer::String(t.into())],
            None => vec![Answer::String(a.label.as_str().into())],
        },
        // A questionnaire no longer here: the value as it was saved.
        _ => match a.value.as_f64() {
            Some(n) => vec![number(n)],
            None => vec![Answer::String(a.label.as_str().into())],
        },
    };
    Item {
        link_id: a.question_id.as_str().into(),
        text: question.map(|x| x.text.as_str()),
        answer,
    }
}

/// An option as a coding: its value as the code, its label as the display.
fn coding<'a>(
    q: &'a Questionnaire,
    question: &str,
    s: &Scalar,
    kind: &'a QuestionKind,
) -> Answer<'a> {
    let display = kind
        .options()
        .iter()
        .find(|c| c.value == *s)
        .map(|c| std::borrow::Cow::Borrowed(c.label.as_str()))
        // An option no longer in the file: its value is its display.
        .unwrap_or_else(|| s.to_string().into());
    Answer::Coding {
        system: option_system(q, question),
        code: s.to_string(),
        display,
    }
}

/// A whole number as `valueInteger`, any other as `valueDecimal`.
fn number<'a>(n: f64) -> Answer<'a> {
    if n.fract() == 0.0 && n.abs() < 2_147_483_647.0 {
        Answer::Integer(n as i64)
    } else {
        Answer::Decimal(n)
    }
}
