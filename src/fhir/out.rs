//! A person's check-ins as a FHIR R4 `Bundle` (type `collection`) of
//! `QuestionnaireResponse`s (`joy export --format fhir`): serde types of
//! our own, borrowing from the records, written in one pass.

use super::{canonical, option_system, SCORE_LINK};
use crate::model::{CheckinRecord, SavedAnswer};
use crate::questionnaire::{
    AnswerValue, Code, FhirAnswer, FhirItem, FhirShape, QuestionKind, Questionnaire, Scalar,
};
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
    resource: Resource<'a>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Resource<'a> {
    Response(Response<'a>),
    Observation(Observation<'a>),
}

/// A total with a LOINC code (PHQ-9's 44261-6), as an `Observation`
/// derived from its response.
#[derive(Serialize)]
struct Observation<'a> {
    #[serde(rename = "resourceType")]
    resource_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    meta: Option<Meta>,
    status: &'static str,
    category: [Category; 1],
    code: Concept<'a>,
    #[serde(rename = "effectiveDateTime")]
    effective: String,
    #[serde(rename = "valueQuantity")]
    value: Quantity,
    /// The band the score fell in, as words (the companion's bands are
    /// the trust's own, with no codes of their own).
    #[serde(skip_serializing_if = "Option::is_none")]
    interpretation: Option<[Text<'a>; 1]>,
    #[serde(rename = "derivedFrom")]
    derived_from: [Reference; 1],
}

#[derive(Serialize)]
struct Concept<'a> {
    coding: [LoincCoding<'a>; 1],
}

#[derive(Serialize)]
struct LoincCoding<'a> {
    system: &'static str,
    code: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    display: &'a str,
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct Reference {
    reference: String,
}

/// A score as a quantity: UCUM's annotation `{score}` as its unit.
#[derive(Serialize)]
struct Quantity {
    value: f64,
    unit: &'static str,
    system: &'static str,
    code: &'static str,
}

impl Quantity {
    fn score(value: f64) -> Quantity {
        Quantity {
            value: two_places(value),
            unit: "{score}",
            system: "http://unitsofmeasure.org",
            code: "{score}",
        }
    }
}

/// An Observation's category: a survey (a questionnaire's result).
#[derive(Serialize)]
struct Category {
    coding: [CategoryCoding; 1],
}

#[derive(Serialize)]
struct CategoryCoding {
    system: &'static str,
    code: &'static str,
    display: &'static str,
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
    #[serde(skip_serializing_if = "Vec::is_empty")]
    answer: Vec<Answer<'a>>,
    /// A group's items.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    item: Vec<Item<'a>>,
}

#[derive(Serialize)]
enum Answer<'a> {
    #[serde(rename = "valueCoding")]
    Coding {
        #[serde(skip_serializing_if = "Option::is_none")]
        system: Option<String>,
        code: String,
        display: std::borrow::Cow<'a, str>,
    },
    #[serde(rename = "valueBoolean")]
    Boolean(bool),
    #[serde(rename = "valueQuantity")]
    Quantity(Quantity),
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
        entry: {
            // Sized once: a response per check-in, and the few totals.
            let mut entry = Vec::with_capacity(records.len());
            for r in records {
                let q = known.iter().find(|q| q.id == r.questionnaire_id);
                let uuid = super::checkin_uuid(r);
                let observations = observations(r, q, &uuid);
                entry.push(Entry {
                    full_url: format!("urn:uuid:{uuid}"),
                    resource: Resource::Response(response(r, q)),
                });
                entry.extend(observations);
            }
            entry
        },
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
    if let Some((q, shape)) = q.and_then(|q| q.fhir.as_deref().map(|s| (q, s))) {
        return shaped_response(r, q, shape);
    }
    let mut item: Vec<Item> = r.answers.iter().map(|a| answer_item(a, q)).collect();
    for s in &r.scores {
        let Some(v) = s.value else { continue };
        item.push(Item {
            link_id: format!("{SCORE_LINK}{}", s.score_id).into(),
            text: Some(&s.label),
            // Two decimals (the screens show one): no float noise such as
            // 3.3333333333333335.
            answer: vec![Answer::Decimal(two_places(v))],
            item: Vec::new(),
        });
    }
    head(
        r,
        canonical(&r.questionnaire_id, &r.questionnaire_version),
        item,
    )
}

/// Two decimals (the screens show one): no float noise such as
/// 3.3333333333333335.
fn two_places(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// A response's own fields around its items.
fn head<'a>(r: &'a CheckinRecord, questionnaire: String, item: Vec<Item<'a>>) -> Response<'a> {
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
        questionnaire,
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
        item: Vec::new(),
    }
}

/// A check-in of a FHIR questionnaire: its items by `linkId`, nested in the
/// file's groups, each answer of the file's own type and code, the totals
/// as the file's calculated items; the private note (no item of the file)
/// last, as `note`.
fn shaped_response<'a>(
    r: &'a CheckinRecord,
    q: &'a Questionnaire,
    shape: &'a FhirShape,
) -> Response<'a> {
    let mut item = shaped_items(&shape.items, r, q);
    if let Some(a) = r
        .answers
        .iter()
        .find(|a| a.question_id == crate::questionnaire::load::NOTE_ID)
    {
        item.push(answer_item(a, Some(q)));
    }
    let questionnaire = match (&shape.url, &shape.version) {
        (Some(u), Some(v)) => format!("{u}|{v}"),
        (Some(u), None) => u.clone(),
        // No url: one made from the id (and the version, when the file has one).
        (None, Some(_)) => canonical(&q.id, &q.version),
        (None, None) => format!("{}{}", super::CANONICAL_PREFIX, q.id),
    };
    head(r, questionnaire, item)
}

fn shaped_items<'a>(
    items: &'a [FhirItem],
    r: &'a CheckinRecord,
    q: &'a Questionnaire,
) -> Vec<Item<'a>> {
    let mut out = Vec::new();
    for i in items {
        match i {
            FhirItem::Group {
                link_id,
                text,
                items,
            } => {
                let inner = shaped_items(items, r, q);
                if !inner.is_empty() {
                    out.push(Item {
                        link_id: link_id.as_str().into(),
                        text: text.as_deref(),
                        answer: Vec::new(),
                        item: inner,
                    });
                }
            }
            FhirItem::Question {
                link_id,
                id,
                answer,
            } => {
                let (Some(a), Some(question)) = (
                    r.answers.iter().find(|a| &a.question_id == id),
                    q.question(id),
                ) else {
                    continue;
                };
                let answers: Vec<Answer> = match AnswerValue::from_json(&question.kind, &a.value) {
                    Some(AnswerValue::Choice(s)) => vec![coded(&question.kind, &s, *answer)],
                    Some(AnswerValue::Multi { values, other }) => values
                        .iter()
                        .map(|s| coded(&question.kind, s, *answer))
                        .chain(other.map(|o| Answer::String(o.into())))
                        .collect(),
                    Some(AnswerValue::Number(n)) if *answer == FhirAnswer::Integer => {
                        vec![Answer::Integer(n as i64)]
                    }
                    Some(AnswerValue::Number(n)) => vec![Answer::Decimal(n)],
                    Some(AnswerValue::Text(t)) => vec![Answer::String(t.into())],
                    None => vec![Answer::String(a.label.as_str().into())],
                };
                out.push(Item {
                    link_id: link_id.as_str().into(),
                    text: Some(question.text.as_str()),
                    answer: answers,
                    item: Vec::new(),
                });
            }
            FhirItem::Score {
                link_id,
                id,
                answer,
                text,
                ..
            } => {
                let Some((s, v)) = r
                    .scores
                    .iter()
                    .find(|s| &s.score_id == id)
                    .and_then(|s| Some((s, s.value?)))
                else {
                    continue;
                };
                let value = match answer {
                    FhirAnswer::Integer if v.fract() == 0.0 => Answer::Integer(v as i64),
                    FhirAnswer::Quantity => Answer::Quantity(Quantity::score(v)),
                    _ => Answer::Decimal(two_places(v)),
                };
                out.push(Item {
                    link_id: link_id.as_str().into(),
                    text: text.as_deref().or(Some(s.label.as_str())),
                    answer: vec![value],
                    item: Vec::new(),
                });
            }
        }
    }
    out
}

/// An option of a FHIR questionnaire, as the file codes it.
fn coded<'a>(kind: &'a QuestionKind, s: &Scalar, answer: FhirAnswer) -> Answer<'a> {
    let option = kind.options().iter().find(|c| c.value == *s);
    match option.and_then(|o| o.code.as_ref().map(|c| (o, c))) {
        Some((o, Code::Coding { system, code })) => Answer::Coding {
            system: system.clone(),
            code: code.clone(),
            display: o.label.as_str().into(),
        },
        Some((_, Code::Boolean(b))) => Answer::Boolean(*b),
        Some((_, Code::Integer(n))) => Answer::Integer(*n),
        Some((_, Code::Text(t))) => Answer::String(t.as_str().into()),
        None if answer == FhirAnswer::Boolean => Answer::Boolean(s.to_string() == "true"),
        None => Answer::String(s.to_string().into()),
    }
}

/// The totals of a check-in that the file gives a LOINC code, each as an
/// `Observation` derived from the response.
fn observations<'a>(
    r: &'a CheckinRecord,
    q: Option<&'a Questionnaire>,
    uuid: &str,
) -> Vec<Entry<'a>> {
    fn scores<'q>(items: &'q [FhirItem], out: &mut Vec<(&'q str, &'q (String, String))>) {
        for i in items {
            match i {
                FhirItem::Group { items, .. } => scores(items, out),
                FhirItem::Score {
                    id, loinc: Some(l), ..
                } => out.push((id.as_str(), l)),
                _ => {}
            }
        }
    }
    let Some(shape) = q.and_then(|q| q.fhir.as_deref()) else {
        return Vec::new();
    };
    let mut coded = Vec::new();
    scores(&shape.items, &mut coded);
    coded
        .into_iter()
        .filter_map(|(id, (code, display))| {
            let (code, display) = (code.as_str(), display.as_str());
            let s = r.scores.iter().find(|s| s.score_id == id)?;
            let v = s.value?;
            let full_url = format!("urn:uuid:{}", super::derived_uuid(uuid, id));
            Some(Entry {
                full_url,
                resource: Resource::Observation(Observation {
                    resource_type: "Observation",
                    meta: r.is_demo.then_some(Meta {
                        tag: [Tag {
                            system: super::DEMO_TAG_SYSTEM,
                            code: super::DEMO_TAG_CODE,
                            display: "demo data made by joy demo",
                        }],
                    }),
                    status: "final",
                    category: [Category {
                        coding: [CategoryCoding {
                            system: "http://terminology.hl7.org/CodeSystem/observation-category",
                            code: "survey",
                            display: "Survey",
                        }],
                    }],
                    code: Concept {
                        coding: [LoincCoding {
                            system: "http://loinc.org",
                            code,
                            display,
                        }],
                    },
                    effective: r.completed_at.to_rfc3339_opts(SecondsFormat::Millis, true),
                    value: Quantity::score(v),
                    interpretation: s.band_label.as_deref().map(|text| [Text { text }]),
                    derived_from: [Reference {
                        reference: format!("urn:uuid:{uuid}"),
                    }],
                }),
            })
        })
        .collect()
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
        system: Some(option_system(q, question)),
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
