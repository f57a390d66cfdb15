//! A person's check-ins as a FHIR R4 `Bundle` (type `collection`) of
//! `QuestionnaireResponse`s (`joy export --format fhir`).

use super::{canonical, option_system, SCORE_LINK};
use crate::model::{CheckinRecord, SavedAnswer};
use crate::questionnaire::{AnswerValue, QuestionKind, Questionnaire, Scalar};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Map, Value};

/// The bundle of `records` (answered on `known` questionnaires, where the
/// file is still there), made at `now`.
pub fn bundle(records: &[CheckinRecord], known: &[Questionnaire], now: DateTime<Utc>) -> Value {
    let entries: Vec<Value> = records
        .iter()
        .map(|r| {
            let q = known.iter().find(|q| q.id == r.questionnaire_id);
            json!({
                "fullUrl": format!("urn:joy-kiosk:checkin:{}", r.id),
                "resource": response(r, q),
            })
        })
        .collect();
    json!({
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": now.to_rfc3339_opts(SecondsFormat::Secs, true),
        "entry": entries,
    })
}

/// One check-in as a `QuestionnaireResponse`: its answers by `linkId`,
/// typed (a coding for an option, an integer or decimal for a number, a
/// string for text), then its scores as items of their own.
pub fn response(r: &CheckinRecord, q: Option<&Questionnaire>) -> Value {
    let mut items: Vec<Value> = r.answers.iter().map(|a| item(a, q)).collect();
    for s in &r.scores {
        let Some(v) = s.value else { continue };
        items.push(json!({
            "linkId": format!("{SCORE_LINK}{}", s.score_id),
            "text": s.label,
            "answer": [{ "valueDecimal": v }],
        }));
    }
    let mut out = Map::new();
    out.insert("resourceType".into(), json!("QuestionnaireResponse"));
    if r.is_demo {
        out.insert(
            "meta".into(),
            json!({ "tag": [{
                "system": super::DEMO_TAG_SYSTEM,
                "code": super::DEMO_TAG_CODE,
                "display": "demo data made by joy demo",
            }]}),
        );
    }
    out.insert(
        "questionnaire".into(),
        json!(canonical(&r.questionnaire_id, &r.questionnaire_version)),
    );
    out.insert("status".into(), json!("completed"));
    out.insert(
        "authored".into(),
        json!(r.completed_at.to_rfc3339_opts(SecondsFormat::Millis, true)),
    );
    if !items.is_empty() {
        out.insert("item".into(), Value::Array(items));
    }
    Value::Object(out)
}

/// One answer as an item. Its type comes from the question where the file
/// is known; else from the stored value itself.
fn item(a: &SavedAnswer, q: Option<&Questionnaire>) -> Value {
    let question = q.and_then(|q| q.question(&a.question_id));
    let mut it = Map::new();
    it.insert("linkId".into(), json!(a.question_id));
    if let Some(question) = question {
        it.insert("text".into(), json!(question.text));
    }
    let answers: Vec<Value> = match (question, q) {
        (Some(question), Some(q)) => match AnswerValue::from_json(&question.kind, &a.value) {
            Some(AnswerValue::Choice(s)) => vec![coding(q, &question.id, &s, &question.kind)],
            Some(AnswerValue::Multi { values, other }) => values
                .iter()
                .map(|s| coding(q, &question.id, s, &question.kind))
                .chain(other.map(|o| json!({ "valueString": o })))
                .collect(),
            Some(AnswerValue::Number(n)) => vec![number(n)],
            Some(AnswerValue::Text(t)) => vec![json!({ "valueString": t })],
            None => vec![json!({ "valueString": a.label })],
        },
        // A questionnaire no longer here: the value as it was saved.
        _ => match &a.value {
            Value::Number(n) => vec![n.as_f64().map(number).unwrap_or(Value::Null)],
            _ => vec![json!({ "valueString": a.label })],
        },
    };
    it.insert("answer".into(), Value::Array(answers));
    Value::Object(it)
}

/// An option as a coding: its value as the code, its label as the display.
fn coding(q: &Questionnaire, question: &str, s: &Scalar, kind: &QuestionKind) -> Value {
    let display = kind
        .options()
        .iter()
        .find(|c| c.value == *s)
        .map(|c| c.label.clone())
        .unwrap_or_else(|| s.to_string());
    json!({ "valueCoding": {
        "system": option_system(q, question),
        "code": s.to_string(),
        "display": display,
    }})
}

/// A whole number as `valueInteger`, any other as `valueDecimal`.
fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 2_147_483_647.0 {
        json!({ "valueInteger": n as i64 })
    } else {
        json!({ "valueDecimal": n })
    }
}
