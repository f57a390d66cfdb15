//! `joy import FILE.json`: a FHIR R4 `QuestionnaireResponse`, or a `Bundle`
//! of them, into the personal history. Each response is validated against
//! the questionnaire it names (options, ranges, lengths, required
//! questions, skip logic) and scored again; the scores it carries are not
//! trusted. All or nothing: one bad response refuses the whole file, and
//! every problem is named at its JSON pointer.

use super::{parse_canonical, SCORE_LINK};
use crate::model::NewCheckin;
use crate::questionnaire::answers::{check_length, check_number};
use crate::questionnaire::{score, AnswerValue, Answers, Kind, QuestionKind, Questionnaire};
use chrono::{DateTime, Utc};
use serde_json::Value;

/// What a check-in taken from a FHIR file says it came from.
pub const SOURCE: &str = "a FHIR file";

/// Files larger than this are refused before they are read (a year of
/// daily check-ins as FHIR is about 2 MiB).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// One problem, at its place in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// A JSON pointer (`/entry/2/resource/item/0/answer/0`).
    pub at: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = if self.at.is_empty() { "/" } else { &self.at };
        write!(f, "{at}: {}", self.message)
    }
}

/// The check-ins `text` holds, as `me`'s, or every problem found.
pub fn read(text: &str, known: &[Questionnaire], me: i64) -> Result<Vec<NewCheckin>, Vec<Problem>> {
    let v: Value = serde_json::from_str(text).map_err(|e| {
        vec![Problem {
            at: String::new(),
            message: format!(
                "this is not JSON (it stops making sense at line {}, column {}); give a FHIR QuestionnaireResponse or a Bundle of them, as `joy export --format fhir` writes",
                e.line(),
                e.column()
            ),
        }]
    })?;
    let mut problems = Vec::new();
    let mut out = Vec::new();
    let mut take =
        |r: &Value, at: String, problems: &mut Vec<Problem>| match response(r, &at, known, me) {
            Ok(c) => out.push(c),
            Err(mut p) => problems.append(&mut p),
        };
    match v.get("resourceType").and_then(Value::as_str) {
        Some("QuestionnaireResponse") => take(&v, String::new(), &mut problems),
        Some("Bundle") => {
            let entries = v.get("entry").and_then(Value::as_array);
            for (i, e) in entries.into_iter().flatten().enumerate() {
                let at = format!("/entry/{i}/resource");
                match e.get("resource") {
                    Some(r)
                        if r.get("resourceType").and_then(Value::as_str)
                            == Some("QuestionnaireResponse") =>
                    {
                        take(r, at, &mut problems)
                    }
                    // A total as an Observation (as the export writes it):
                    // scores are worked out again from the answers.
                    Some(r)
                        if r.get("resourceType").and_then(Value::as_str) == Some("Observation")
                            && r.get("derivedFrom").is_some() => {}
                    Some(r) => problems.push(Problem {
                        at: format!("{at}/resourceType"),
                        message: format!(
                            "only QuestionnaireResponse entries are taken, not {}",
                            r.get("resourceType")
                                .and_then(Value::as_str)
                                .unwrap_or("a resource without a type")
                        ),
                    }),
                    None => problems.push(Problem {
                        at: format!("/entry/{i}"),
                        message: "this entry has no resource".into(),
                    }),
                }
            }
        }
        other => problems.push(Problem {
            at: "/resourceType".into(),
            message: format!(
                "expected a QuestionnaireResponse or a Bundle of them, not {}",
                other.unwrap_or("nothing")
            ),
        }),
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn problem(at: &str, message: impl Into<String>) -> Vec<Problem> {
    vec![Problem {
        at: at.to_string(),
        message: message.into(),
    }]
}

/// One response as a check-in of `me`.
fn response(
    r: &Value,
    at: &str,
    known: &[Questionnaire],
    me: i64,
) -> Result<NewCheckin, Vec<Problem>> {
    let status = r.get("status").and_then(Value::as_str);
    if !matches!(status, Some("completed" | "amended")) {
        return Err(problem(
            &format!("{at}/status"),
            format!(
                "only a completed response is taken, not {}",
                status.unwrap_or("one without a status")
            ),
        ));
    }
    let url = r.get("questionnaire").and_then(Value::as_str).unwrap_or("");
    let q_at = format!("{at}/questionnaire");
    // A FHIR questionnaire's own canonical URL (`url|version`), or one made
    // for the project's own files.
    let (base, given_version) = match url.split_once('|') {
        Some((u, v)) => (u, Some(v)),
        None => (url, None),
    };
    let by_url = known.iter().find(|q| {
        q.fhir
            .as_ref()
            .is_some_and(|f| f.url.as_deref() == Some(base))
    });
    let (id, version) = match (by_url, parse_canonical(url)) {
        (Some(q), _) => (q.id.as_str(), given_version),
        (None, Some(x)) => x,
        (None, None) => {
            return Err(problem(
                &q_at,
                format!("\"{url}\" is not a questionnaire this app knows (expected the url of a FHIR questionnaire here, or urn:joy-kiosk:questionnaire:ID|VERSION, as `joy export --format fhir` writes)"),
            ))
        }
    };
    let Some(q) = known.iter().find(|q| q.id == id) else {
        return Err(problem(
            &q_at,
            format!("no questionnaire \"{id}\" here (`joy list` shows those there are)"),
        ));
    };
    let own_version = q
        .fhir
        .as_ref()
        .and_then(|f| f.version.as_deref())
        .unwrap_or(&q.version);
    if let Some(v) = version.filter(|v| *v != own_version) {
        return Err(problem(
            &q_at,
            format!(
                "this response is of \"{id}\" version {v}, but the file here is version {}; its answers cannot be checked against another version",
                q.version
            ),
        ));
    }
    if q.kind != Kind::Personal {
        return Err(problem(
            &q_at,
            format!("\"{id}\" is a team reflection: those are anonymous and never part of a personal history"),
        ));
    }
    let authored = r
        .get("authored")
        .and_then(Value::as_str)
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|d| d.with_timezone(&Utc))
        .ok_or_else(|| {
            problem(
                &format!("{at}/authored"),
                "needs the date and time it was answered (authored, e.g. 2026-12-07T08:30:00Z)",
            )
        })?;
    let mut items = Vec::new();
    flatten(r.get("item"), &format!("{at}/item"), &mut items);
    let mut answers = Answers::new();
    let mut problems = Vec::new();
    let mut refused: Vec<String> = Vec::new();
    let mut unknown_link = false;
    for (item, item_at) in items {
        let link = item.get("linkId").and_then(Value::as_str).unwrap_or("");
        let shape = q.fhir.as_deref();
        let is_score = match shape {
            Some(s) => s.id_of(link).is_some_and(|id| q.score(id).is_some()),
            None => link.starts_with(SCORE_LINK),
        };
        if is_score {
            // Scores are worked out again from the answers.
            continue;
        }
        // A FHIR questionnaire's items by `linkId`; the note by its id.
        let id = shape.and_then(|s| s.id_of(link)).unwrap_or(link);
        let Some(question) = q.question(id) else {
            problems.push(Problem {
                at: format!("{item_at}/linkId"),
                message: format!("\"{link}\" is not a question of \"{}\"", q.id),
            });
            // Whatever it was meant to answer cannot be told: no question
            // is said missing as well.
            unknown_link = true;
            continue;
        };
        match answer(
            q,
            question,
            item.get("answer"),
            &format!("{item_at}/answer"),
        ) {
            Ok(Some(a)) => {
                answers.insert(question.id.clone(), a);
            }
            Ok(None) => {}
            Err(p) => {
                problems.push(p);
                refused.push(question.id.clone());
            }
        }
    }
    for i in q.visible_indices(&answers) {
        let question = &q.questions[i];
        // An answer refused above is said once, not again as missing.
        if question.required
            && !unknown_link
            && !answers.contains_key(&question.id)
            && !refused.contains(&question.id)
        {
            problems.push(Problem {
                at: format!("{at}/item"),
                message: format!(
                    "question \"{}\" is required and has no answer",
                    name_of(q, &question.id)
                ),
            });
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let outcome = score(q, &answers);
    let mut c = NewCheckin::from_outcome(q, &answers, &outcome, Some(me), authored, authored);
    c.imported_from = Some(SOURCE.to_string());
    // Demo data stays marked as such.
    c.is_demo = r
        .pointer("/meta/tag")
        .and_then(Value::as_array)
        .is_some_and(|tags| {
            tags.iter().any(|t| {
                t.get("system").and_then(Value::as_str) == Some(super::DEMO_TAG_SYSTEM)
                    && t.get("code").and_then(Value::as_str) == Some(super::DEMO_TAG_CODE)
            })
        });
    Ok(c)
}

/// Every item of `items`, groups opened, with its pointer.
fn flatten<'a>(items: Option<&'a Value>, at: &str, out: &mut Vec<(&'a Value, String)>) {
    for (i, item) in items
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let here = format!("{at}/{i}");
        if item.get("item").is_some() {
            flatten(item.get("item"), &format!("{here}/item"), out);
        }
        if item.get("answer").is_some() {
            out.push((item, here));
        }
    }
}

/// The answer of `question` that `answers` (the item's `answer` list)
/// gives; None for an empty list.
fn answer(
    q: &Questionnaire,
    question: &crate::questionnaire::Question,
    answers: Option<&Value>,
    at: &str,
) -> Result<Option<AnswerValue>, Problem> {
    let list: Vec<&Value> = answers
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .collect();
    if list.is_empty() {
        return Ok(None);
    }
    let bad = |i: usize, message: String| Problem {
        at: format!("{at}/{i}"),
        message,
    };
    let system = super::option_system(q, &question.id);
    let option = |i: usize, a: &Value| {
        if q.fhir.is_some() {
            return coded_option(question, name_of(q, &question.id), a).map_err(|m| bad(i, m));
        }
        // A code of another system is not this question's code, whatever
        // its digits (LOINC's "3" is not WHO-5's "3").
        if let Some(s) = a.pointer("/valueCoding/system").and_then(Value::as_str) {
            if s != system {
                return Err(bad(
                    i,
                    format!(
                        "a code of \"{s}\" is not an answer to question \"{}\" (its options are coded in {system})",
                        question.id
                    ),
                ));
            }
        }
        let code = a
            .pointer("/valueCoding/code")
            .and_then(Value::as_str)
            .map(str::to_string)
            .or_else(|| a.get("valueInteger").map(|n| n.to_string()))
            .or_else(|| {
                a.get("valueString")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            });
        let options = question.kind.options();
        code.as_deref()
            .and_then(|c| options.iter().find(|o| o.value.to_string() == c))
            .map(|o| o.value.clone())
            .ok_or_else(|| {
                let codes: Vec<String> = options.iter().map(|o| o.value.to_string()).collect();
                bad(
                    i,
                    format!(
                        "{} is not an option of question \"{}\" (its codes: {})",
                        code.map(|c| format!("\"{c}\""))
                            .unwrap_or_else(|| "this answer".into()),
                        question.id,
                        codes.join(", ")
                    ),
                )
            })
    };
    let one = |what: &str| {
        if list.len() > 1 {
            Err(bad(
                1,
                format!("question \"{}\" takes one {what}", question.id),
            ))
        } else {
            Ok(list[0])
        }
    };
    match &question.kind {
        QuestionKind::Scale { .. } | QuestionKind::Choice { .. } => {
            let a = one("option")?;
            option(0, a).map(|s| Some(AnswerValue::Choice(s)))
        }
        QuestionKind::Multi {
            other,
            other_max_length,
            ..
        } => {
            let mut values = Vec::new();
            let mut other_text = None;
            for (i, a) in list.iter().enumerate() {
                match a.get("valueString").and_then(Value::as_str) {
                    Some(t) if a.get("valueCoding").is_none() => {
                        if !other {
                            return Err(bad(
                                i,
                                format!("question \"{}\" has no free-text \"other\"", question.id),
                            ));
                        }
                        check_length(question, t, *other_max_length).map_err(|m| bad(i, m))?;
                        other_text = Some(t.to_string());
                    }
                    _ => {
                        let v = option(i, a)?;
                        if !values.contains(&v) {
                            values.push(v);
                        }
                    }
                }
            }
            Ok(Some(AnswerValue::Multi {
                values,
                other: other_text,
            }))
        }
        QuestionKind::Number { min, max, step, .. } => {
            let a = one("number")?;
            let n = a
                .get("valueInteger")
                .or_else(|| a.get("valueDecimal"))
                .and_then(Value::as_f64)
                .ok_or_else(|| {
                    bad(
                        0,
                        format!(
                            "question \"{}\" needs a valueInteger or valueDecimal",
                            question.id
                        ),
                    )
                })?;
            check_number(question, n, *min, *max, *step).map_err(|m| bad(0, m))?;
            Ok(Some(AnswerValue::Number(n)))
        }
        QuestionKind::Text {
            max_length,
            multiline,
        } => {
            let a = one("text")?;
            let t = a
                .get("valueString")
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    bad(
                        0,
                        format!("question \"{}\" needs a valueString", question.id),
                    )
                })?;
            // A one-line answer keeps no line breaks, as the app types it.
            let t = if *multiline {
                t.trim().to_string()
            } else {
                t.split_whitespace().collect::<Vec<_>>().join(" ")
            };
            check_length(question, &t, *max_length).map_err(|m| bad(0, m))?;
            Ok((!t.is_empty()).then_some(AnswerValue::Text(t)))
        }
    }
}

/// An answer to an option of a FHIR questionnaire, as the file codes it:
/// a coding (same code, and same system when both say one), a boolean, an
/// integer or a string.
fn coded_option(
    question: &crate::questionnaire::Question,
    name: &str,
    a: &Value,
) -> Result<crate::questionnaire::Scalar, String> {
    use crate::questionnaire::Code;
    let options = question.kind.options();
    let hit = options.iter().find(|o| match (&o.code, a) {
        (Some(Code::Coding { system, code }), a) if a.get("valueCoding").is_some() => {
            let c = a.pointer("/valueCoding/code").and_then(Value::as_str);
            let s = a.pointer("/valueCoding/system").and_then(Value::as_str);
            // A system given must be the option's own (a coding of another
            // system is another answer, whatever its code).
            c == Some(code.as_str()) && (s.is_none() || s == system.as_deref())
        }
        (Some(Code::Boolean(b)), a) => a.get("valueBoolean").and_then(Value::as_bool) == Some(*b),
        (Some(Code::Integer(n)), a) => a.get("valueInteger").and_then(Value::as_i64) == Some(*n),
        (Some(Code::Text(t)), a) => {
            a.get("valueString").and_then(Value::as_str) == Some(t.as_str())
        }
        _ => false,
    });
    hit.map(|o| o.value.clone()).ok_or_else(|| {
        let codes: Vec<String> = options
            .iter()
            .filter_map(|o| o.code.as_ref().map(|c| c.typed()))
            .collect();
        let given = a
            .pointer("/valueCoding/code")
            .or_else(|| a.get("valueString"))
            .or_else(|| a.get("valueInteger"))
            .or_else(|| a.get("valueBoolean"))
            .map(|v| v.to_string())
            .unwrap_or_else(|| "this answer".to_string());
        let system = a
            .pointer("/valueCoding/system")
            .and_then(Value::as_str)
            .map(|s| format!(" of {s}"))
            .unwrap_or_default();
        format!(
            "{given}{system} is not an option of question \"{name}\" (its codes: {})",
            codes.join(", ")
        )
    })
}

/// How a question is named to people: a FHIR questionnaire's by its
/// `linkId` (as in the file they have), else by its id.
fn name_of<'q>(q: &'q Questionnaire, id: &'q str) -> &'q str {
    q.fhir.as_deref().and_then(|f| f.link_id(id)).unwrap_or(id)
}
