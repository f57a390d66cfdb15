//! Turning typed answers (`ID=VALUE` on the command line, or an answers
//! file) into [`AnswerValue`]s, checked against the question.

use super::model::*;

/// Parse one answer given as text: an option's value as written in the file
/// or its label; for multiple choice, several separated by `;` (and
/// `other: ...` for the free-text option).
pub fn parse_answer(q: &Question, input: &str) -> Result<AnswerValue, String> {
    let input = input.trim();
    let find = |part: &str| -> Result<Scalar, String> {
        let part = part.trim();
        q.kind
            .options()
            .iter()
            .find(|o| {
                o.value.to_string() == part
                    || o.label.eq_ignore_ascii_case(part)
                    || o.code.as_ref().is_some_and(|c| c.typed() == part)
            })
            .map(|o| o.value.clone())
            .ok_or_else(|| {
                let choices: Vec<String> = q
                    .kind
                    .options()
                    .iter()
                    .map(|o| match &o.code {
                        // A FHIR option: its code too, as the file has it.
                        Some(c) if c.typed() != o.value.to_string() => {
                            format!("{} or {} ({})", o.value, c.typed(), o.label)
                        }
                        _ => format!("{} ({})", o.value, o.label),
                    })
                    .collect();
                format!(
                    "\"{part}\" is not an option of question \"{}\"; choose one of: {}",
                    q.id,
                    choices.join(", ")
                )
            })
    };
    match &q.kind {
        QuestionKind::Scale { .. } | QuestionKind::Choice { .. } => {
            find(input).map(AnswerValue::Choice)
        }
        QuestionKind::Multi {
            other,
            other_max_length,
            ..
        } => {
            let mut values = Vec::new();
            let mut other_text = None;
            for part in input.split(';').map(str::trim).filter(|p| !p.is_empty()) {
                if let Some(rest) = part.strip_prefix("other:") {
                    if !other {
                        return Err(format!(
                            "question \"{}\" has no free-text \"other\" option",
                            q.id
                        ));
                    }
                    check_length(q, rest.trim(), *other_max_length)?;
                    other_text = Some(rest.trim().to_string());
                } else {
                    let v = find(part)?;
                    if !values.contains(&v) {
                        values.push(v);
                    }
                }
            }
            Ok(AnswerValue::Multi {
                values,
                other: other_text,
            })
        }
        QuestionKind::Number { min, max, step, .. } => {
            let n: f64 = input.parse().map_err(|_| {
                format!(
                    "question \"{}\" needs a number from {} to {}, not \"{input}\"",
                    q.id,
                    fmt_exact(*min),
                    fmt_exact(*max)
                )
            })?;
            check_number(q, n, *min, *max, *step)?;
            Ok(AnswerValue::Number(n))
        }
        QuestionKind::Text { max_length, .. } => {
            check_length(q, input, *max_length)?;
            Ok(AnswerValue::Text(input.to_string()))
        }
    }
}

pub fn check_number(q: &Question, n: f64, min: f64, max: f64, step: f64) -> Result<(), String> {
    let steps = (n - min) / step;
    if !n.is_finite() || n < min - 1e-9 || n > max + 1e-9 || (steps - steps.round()).abs() > 1e-6 {
        return Err(format!(
            "question \"{}\" needs a number from {} to {} in steps of {}, not {}",
            q.id,
            fmt_exact(min),
            fmt_exact(max),
            fmt_exact(step),
            fmt_exact(n)
        ));
    }
    Ok(())
}

/// A typed answer within its question's length (`max` characters).
pub fn check_length(q: &Question, text: &str, max: usize) -> Result<(), String> {
    let n = text.chars().count();
    if n > max {
        return Err(format!(
            "the answer to \"{}\" is {n} characters; at most {max} are allowed",
            q.id
        ));
    }
    Ok(())
}

/// Answers files larger than this are refused before they are read.
pub const MAX_ANSWERS_BYTES: u64 = 1024 * 1024;

/// Parse `ID=VALUE` pairs against `q`. Every problem is reported; the same
/// question given twice is one of them.
pub fn parse_pairs<'a>(
    q: &Questionnaire,
    pairs: impl IntoIterator<Item = &'a str>,
) -> Result<Answers, Vec<String>> {
    let mut answers = Answers::new();
    let mut errors = Vec::new();
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    for pair in pairs {
        let Some((id, value)) = pair.split_once('=') else {
            errors.push(format!("\"{pair}\" should look like QUESTION_ID=VALUE"));
            continue;
        };
        let id = id.trim();
        if !seen.insert(id.to_string()) {
            errors.push(format!(
                "question \"{id}\" is answered twice; give each question one answer (for several ticks of a multiple-choice question, separate them with ';' in one answer)"
            ));
            continue;
        }
        add(q, id, value, &mut answers, &mut errors);
    }
    if errors.is_empty() {
        Ok(answers)
    } else {
        Err(errors)
    }
}

/// Parse an answers file: TOML with one `question_id = value` per line
/// (a list of values for multiple choice). Every problem says where it is,
/// as `file:line:column:` (a bad value at its key).
pub fn parse_answers_file(
    q: &Questionnaire,
    name: &str,
    text: &str,
) -> Result<Answers, Vec<String>> {
    type Spanned<T> = toml::Spanned<T>;
    let table: std::collections::BTreeMap<Spanned<String>, Spanned<toml::Value>> =
        toml::from_str(text).map_err(|e| {
            let (line, col) = e
                .span()
                .map(|s| super::load::line_col(text, s.start))
                .unwrap_or((1, 1));
            vec![format!("{name}:{line}:{col}: {}", e.message().trim())]
        })?;
    let mut answers = Answers::new();
    let mut errors = Vec::new();
    for (id, value) in &table {
        let as_text = match value.get_ref() {
            toml::Value::String(s) => s.clone(),
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Float(f) => fmt_exact(*f),
            toml::Value::Array(items) => items
                .iter()
                .map(|i| match i {
                    toml::Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(";"),
            other => other.to_string(),
        };
        let mut found = Vec::new();
        add(q, id.get_ref(), &as_text, &mut answers, &mut found);
        let (line, col) = super::load::line_col(text, id.span().start);
        errors.extend(
            found
                .into_iter()
                .map(|e| format!("{name}:{line}:{col}: {e}")),
        );
    }
    if errors.is_empty() {
        Ok(answers)
    } else {
        Err(errors)
    }
}

/// Read an answers file through the shared reader (a regular file of at
/// most [`MAX_ANSWERS_BYTES`], UTF-8) and parse it against `q`.
pub fn read_answers_file(
    q: &Questionnaire,
    path: &std::path::Path,
) -> Result<Answers, Vec<String>> {
    let name = path.display().to_string();
    let bytes = crate::files::read_regular_capped(path, MAX_ANSWERS_BYTES)
        .map_err(|e| vec![format!("{name}: cannot use this answers file: {e}.")])?;
    let text = String::from_utf8(bytes).map_err(|_| {
        vec![format!(
            "{name}: this answers file is not valid UTF-8 text: save it again as UTF-8."
        )]
    })?;
    parse_answers_file(q, &name, &text)
}

/// Put answers given on the command line beside those from a file: a
/// question answered in both is an error that names it, not a silent choice.
pub fn combine(from_file: Answers, given: Answers) -> Result<Answers, Vec<String>> {
    let twice: Vec<String> = given
        .keys()
        .filter(|id| from_file.contains_key(*id))
        .map(|id| {
            format!(
                "question \"{id}\" is answered twice, in the answers file and with -a; keep one of the two"
            )
        })
        .collect();
    if !twice.is_empty() {
        return Err(twice);
    }
    let mut all = from_file;
    all.extend(given);
    Ok(all)
}

fn add(q: &Questionnaire, id: &str, value: &str, answers: &mut Answers, errors: &mut Vec<String>) {
    // A FHIR questionnaire's questions answer to their `linkId` too.
    let id = q
        .fhir
        .as_ref()
        .and_then(|f| f.id_of(id))
        .filter(|_| q.question(id).is_none())
        .unwrap_or(id);
    match q.question(id) {
        None => {
            let ids: Vec<&str> = q.questions.iter().map(|q| q.id.as_str()).collect();
            errors.push(format!(
                "\"{}\" has no question \"{id}\"; its questions are: {}",
                q.id,
                ids.join(", ")
            ));
        }
        Some(question) => match parse_answer(question, value) {
            Ok(a) => {
                answers.insert(id.to_string(), a);
            }
            Err(e) => errors.push(e),
        },
    }
}
