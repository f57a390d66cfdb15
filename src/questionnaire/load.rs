//! Reading a questionnaire file: size and encoding checks, TOML parsing, and
//! every validation rule. All rule errors in a file are collected, each with
//! file:line:column and a message a non-programmer can act on.

use super::file::*;
use super::model::*;
use super::number;
use super::range;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// The longest time between gentle reminders a file may ask for.
pub const MAX_REMIND_DAYS: u32 = 366;

/// Files larger than this are refused before they are read.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// Free text questions without a `max_length` get this one.
pub const DEFAULT_MAX_LENGTH: usize = 500;
/// The private note after a personal check-in: its id and its length.
pub const NOTE_ID: &str = "note";
pub const NOTE_MAX_LENGTH: usize = 4000;

pub use super::source::{line_col, Diagnostic, LineIndex, Locator};

/// Read and load a questionnaire file from disk.
pub fn load_path(path: &Path) -> Result<Questionnaire, Vec<Diagnostic>> {
    let name = path.display().to_string();
    let at_start = |message: String| vec![Diagnostic::at(&name, 1, 1, message)];
    let bytes = crate::files::read_regular_capped(path, MAX_FILE_BYTES).map_err(|e| match e {
        crate::files::FileError::TooLarge { size, .. } => at_start(format!(
            "this file is {size} bytes or more; questionnaire files may be at most 1 MiB ({MAX_FILE_BYTES} bytes). \
             Is it the right file? Split it or remove embedded data."
        )),
        e => at_start(format!("{e}.")),
    })?;
    if path.extension().is_some_and(|x| x == "json") {
        return load_fhir_path(path, &name, &bytes);
    }
    load_bytes(&name, &bytes)
}

/// A FHIR `Questionnaire` file, with its companion beside it if there is one.
fn load_fhir_path(path: &Path, name: &str, bytes: &[u8]) -> Result<Questionnaire, Vec<Diagnostic>> {
    let text = utf8(name, bytes)?;
    let cpath = super::fhir::companion_path(path);
    let cname = cpath.display().to_string();
    let ctext = match std::fs::symlink_metadata(&cpath) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        _ => {
            let b = crate::files::read_regular_capped(&cpath, MAX_FILE_BYTES)
                .map_err(|e| vec![Diagnostic::at(&cname, 1, 1, format!("{e}."))])?;
            Some(utf8(&cname, &b)?.to_string())
        }
    };
    super::fhir::load(name, text, ctext.as_deref().map(|t| (cname.as_str(), t)))
}

fn utf8<'b>(name: &str, bytes: &'b [u8]) -> Result<&'b str, Vec<Diagnostic>> {
    std::str::from_utf8(bytes).map_err(|e| {
        let text = String::from_utf8_lossy(&bytes[..e.valid_up_to()]);
        let (line, column) = line_col(&text, text.len());
        vec![Diagnostic::at(
            name,
            line,
            column,
            "this file is not valid UTF-8 text. Save it again as UTF-8 \
             (in most editors: File > Save As > Encoding: UTF-8).",
        )]
    })
}

/// Load a definition kept with saved answers (a questionnaire as answered):
/// a TOML file's text, or a FHIR file kept with its companion.
pub fn load_definition(name: &str, text: &str) -> Result<Questionnaire, Vec<Diagnostic>> {
    if super::fhir::looks_like_json(text) {
        super::fhir::load_definition(name, text)
    } else {
        load_str(name, text)
    }
}

/// Load from raw bytes (checks size and UTF-8 first).
pub fn load_bytes(name: &str, bytes: &[u8]) -> Result<Questionnaire, Vec<Diagnostic>> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(vec![Diagnostic::at(
            name,
            1,
            1,
            format!(
                "this file is {} bytes; questionnaire files may be at most 1 MiB ({MAX_FILE_BYTES} bytes).",
                bytes.len()
            ),
        )]);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => load_str(name, text),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            // `good` is valid UTF-8 by construction.
            let text = String::from_utf8_lossy(good);
            let (line, column) = line_col(&text, text.len());
            Err(vec![Diagnostic::at(
                name,
                line,
                column,
                "this file is not valid UTF-8 text. Save it again as UTF-8 \
                 (in most editors: File > Save As > Encoding: UTF-8).",
            )])
        }
    }
}

/// Parse and validate questionnaire text. `name` is used in messages.
pub fn load_str(name: &str, text: &str) -> Result<Questionnaire, Vec<Diagnostic>> {
    let raw: RawQuestionnaire = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            // Serde stops at the first problem; look again, table by table,
            // so that every structural problem in the file is reported.
            let lines = LineIndex::new(text);
            let mut all = vec![toml_diagnostic(name, &lines, &e)];
            all.extend(structural_errors(name, text, &lines));
            all.sort_by(|a, b| (a.line, a.column, &a.message).cmp(&(b.line, b.column, &b.message)));
            all.dedup();
            return Err(all);
        }
    };
    validate(raw, &Locator::text(name, text), text)
}

/// The one validator (issue 19 §1): a draft, from either format, becomes a
/// questionnaire only by passing every rule; each problem is reported at
/// its place through `at`. `source` is the definition kept and hashed.
pub fn validate(
    raw: RawQuestionnaire,
    at: &Locator<'_>,
    source: &str,
) -> Result<Questionnaire, Vec<Diagnostic>> {
    let mut v = Validator {
        at,
        errors: Vec::new(),
        scored_values: 0,
        copied_options: 0,
        option_keys: HashMap::new(),
    };
    let q = v.build(raw, source);
    if v.errors.is_empty() {
        Ok(q)
    } else {
        v.errors.sort_by(|a, b| {
            (&a.file, &a.pointer, a.line, a.column, &a.message)
                .cmp(&(&b.file, &b.pointer, b.line, b.column, &b.message))
        });
        v.errors.dedup();
        Err(v.errors)
    }
}

pub(crate) fn toml_diagnostic(
    name: &str,
    lines: &LineIndex<'_>,
    e: &toml::de::Error,
) -> Diagnostic {
    let (line, column) = e.span().map(|s| lines.line_col(s.start)).unwrap_or((1, 1));
    let mut message = e.message().trim().to_string();
    if message.contains("unknown field") {
        message.push_str(". Check the spelling; questionnaires/README.md lists every key.");
    } else if message.contains("missing field") {
        message.push_str(". Add it; questionnaires/README.md shows an example.");
    } else if !message.starts_with("invalid") && !message.starts_with("unknown variant") {
        message.push_str(". This is a TOML syntax error: check the brackets, quotes and `=` here.");
    }
    Diagnostic::at(name, line, column, message)
}

/// Deserialize the top level and each question, score and flag on its own,
/// collecting every error (after a TOML syntax error nothing more is read).
fn structural_errors(name: &str, text: &str, lines: &LineIndex<'_>) -> Vec<Diagnostic> {
    use serde::de::DeserializeOwned;
    use serde::Deserialize;
    use toml::de::{DeTable, DeValue, ValueDeserializer};
    let Ok(doc) = DeTable::parse(text) else {
        return Vec::new();
    };
    let mut errors: Vec<toml::de::Error> = Vec::new();
    if let Err(e) = RawTop::deserialize(toml::de::Deserializer::from(doc.clone())) {
        errors.push(e);
    }
    fn each<T: DeserializeOwned>(value: &Spanned<DeValue<'_>>, errors: &mut Vec<toml::de::Error>) {
        if let DeValue::Array(items) = value.get_ref() {
            for item in items {
                if let Err(e) = T::deserialize(ValueDeserializer::from(item.clone())) {
                    errors.push(e);
                }
            }
        }
    }
    for (key, value) in doc.get_ref().iter() {
        match key.get_ref().as_ref() {
            "questions" => each::<RawQuestion>(value, &mut errors),
            "scores" => each::<RawScore>(value, &mut errors),
            "flags" => each::<RawFlag>(value, &mut errors),
            _ => {}
        }
    }
    errors
        .iter()
        .map(|e| toml_diagnostic(name, lines, e))
        .collect()
}

struct Validator<'a> {
    at: &'a Locator<'a>,
    errors: Vec<Diagnostic>,
    /// Item values gone through by the score checks so far.
    scored_values: usize,
    /// Scale options copied into questions so far.
    copied_options: usize,
    /// Option values of each question a condition has looked at.
    option_keys: HashMap<String, std::rc::Rc<HashSet<ScalarKey>>>,
}

/// A value as a hash key: numbers in millionths (file numbers have at most
/// 6 decimals, see [`number`]), text as it is. Equal keys for values that
/// `Scalar` calls equal.
type ScalarKey = Result<i64, String>;

fn scalar_key(v: &Scalar) -> ScalarKey {
    match v {
        Scalar::Number(n) => Ok((n * 1e6).round() as i64),
        Scalar::Text(t) => Err(t.clone()),
    }
}

/// At most this many scale options (counted once per question using the
/// scale) are copied into the questions of one file.
pub const MAX_COPIED_OPTIONS: usize = 1_000_000;

/// At most this many item values (all scores together) are checked in one
/// file; a file needing more is refused, so validation stays fast.
pub const MAX_SCORED_VALUES: usize = 1_000_000;

/// How many values a scored question can take (without listing them).
fn value_count(q: &Question) -> usize {
    match &q.kind {
        QuestionKind::Number { min, max, step, .. } => {
            ((max - min) / step).floor().clamp(0.0, 10_000.0) as usize + 1
        }
        k => k.options().len(),
    }
}

/// Ids are 1 to 64 characters: lower-case letters of any alphabet (`tîm`,
/// `ŵyr`), letters of scripts without case, digits 0-9, `_` and `-`.
pub fn valid_id(id: &str) -> bool {
    let n = id.chars().count();
    (1..=64).contains(&n)
        && id.chars().all(|c| {
            // A letter that lower-casing leaves alone: no capitals or titlecase.
            (c.is_alphabetic() && c.to_lowercase().eq([c]))
                || c.is_ascii_digit()
                || c == '_'
                || c == '-'
        })
}

fn join_numbers(xs: &[f64]) -> String {
    const SHOWN: usize = 8;
    let mut s: Vec<String> = xs.iter().take(SHOWN).map(|x| fmt_exact(*x)).collect();
    if xs.len() > SHOWN {
        s.push(format!("and {} more", xs.len() - SHOWN));
    }
    s.join(", ")
}

impl Validator<'_> {
    fn err(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.errors.push(self.at.diagnostic(span, message));
    }

    fn check_id(&mut self, id: &Spanned<String>, what: &str) {
        if !valid_id(id.get_ref()) {
            self.err(
                id.span(),
                format!(
                    "{what} id \"{}\" is not allowed: use 1 to 64 characters, each a lower-case letter \
                     (accents and other alphabets are fine: \"tîm\", \"ŵyr\"), a digit 0-9, '_' or '-'; \
                     no capitals, spaces or other punctuation",
                    id.get_ref()
                ),
            );
        }
    }

    fn options(
        &mut self,
        opts: &[RawOption],
        span: Range<usize>,
        whose: &str,
        numeric: bool,
    ) -> Vec<Choice> {
        if opts.is_empty() {
            self.err(span, format!("{whose} has an empty option list: add at least one option with a label and a value"));
        }
        // Keys of the values so far (numbers to 1e-6, as `Scalar` compares):
        // a hash set, so thousands of options stay linear.
        let mut seen: HashSet<ScalarKey> = HashSet::new();
        let mut out = Vec::new();
        for o in opts {
            let value = o.value.get_ref().clone();
            if numeric && value.as_number().is_none() {
                self.err(
                    o.value.span(),
                    format!(
                        "{whose}: option \"{}\" needs a number as its value (scales are scored)",
                        o.label
                    ),
                );
            }
            if !seen.insert(scalar_key(&value)) {
                self.err(
                    o.value.span(),
                    format!("{whose}: two options have the value {value}; each option needs its own value"),
                );
            }
            if o.label.trim().is_empty() {
                self.err(
                    o.value.span(),
                    format!("{whose}: an option has an empty label"),
                );
            }
            out.push(Choice {
                label: o.label.clone(),
                value,
                code: o.code.clone(),
            });
        }
        out
    }

    fn build(&mut self, raw: RawQuestionnaire, text: &str) -> Questionnaire {
        self.check_id(&raw.id, "questionnaire");
        if let Some(every) = &raw.remind_every_days {
            if !(1..=MAX_REMIND_DAYS).contains(every.get_ref()) {
                self.err(
                    every.span(),
                    format!("remind_every_days must be from 1 to {MAX_REMIND_DAYS} (days between gentle reminders); leave it out for none"),
                );
            }
        }
        let src = raw.licence.source.get_ref();
        if !(src.starts_with("https://") || src.starts_with("http://")) {
            self.err(
                raw.licence.source.span(),
                "licence source must be a web link starting with https:// (where the instrument and its terms are published)",
            );
        }

        // Scales.
        let mut scales: BTreeMap<String, Vec<Choice>> = BTreeMap::new();
        for (name, scale) in &raw.scales {
            self.check_id(name, "scale");
            let opts = self.options(
                &scale.get_ref().options,
                scale.span(),
                &format!("scale \"{}\"", name.get_ref()),
                true,
            );
            scales.insert(name.get_ref().clone(), opts);
        }

        // Questions, in order, so conditions can only look backwards.
        let mut questions: Vec<Question> = Vec::new();
        // Id -> position of its first question: every look-up by id below is
        // a hash look-up, so thousands of questions stay linear.
        let mut index: HashMap<String, usize> = HashMap::new();
        if raw.questions.is_empty() {
            self.err(
                self.at.whole(),
                "this questionnaire has no questions: add at least one [[questions]] table",
            );
        }
        for rq in &raw.questions {
            let q = self.question(rq.get_ref(), rq.span(), &scales, &questions, &index);
            if index.contains_key(&q.id) {
                self.err(
                    rq.get_ref().id.span(),
                    format!(
                        "question id \"{}\" is used twice: give each question its own id",
                        q.id
                    ),
                );
            } else {
                index.insert(q.id.clone(), questions.len());
            }
            questions.push(q);
        }

        self.note(&raw, &mut questions, &index);

        let signposting = raw.signposting.as_ref().map(|s| s.get_ref().clone());
        let mut scores: Vec<Score> = Vec::new();
        let mut score_ids: HashSet<String> = HashSet::new();
        for rs in &raw.scores {
            let s = self.score(rs.get_ref(), &questions, &index, signposting.is_some());
            if !score_ids.insert(s.id.clone()) {
                self.err(
                    rs.get_ref().id.span(),
                    format!(
                        "score id \"{}\" is used twice: give each score its own id",
                        s.id
                    ),
                );
            }
            scores.push(s);
        }

        let mut flags = Vec::new();
        for rf in &raw.flags {
            let f = rf.get_ref();
            if f.questions.is_empty() {
                self.err(
                    rf.span(),
                    "this flag lists no questions: name at least one in `questions`",
                );
            }
            let mut qs = Vec::new();
            for qid in &f.questions {
                match index.get(qid.get_ref()).map(|i| &questions[*i]) {
                    None => self.err(
                        qid.span(),
                        format!(
                            "flag refers to question \"{}\", which is not in this file",
                            qid.get_ref()
                        ),
                    ),
                    Some(q) => {
                        // Checked against each question it applies to.
                        self.test(f.when.get_ref(), f.when.span(), q);
                    }
                }
                qs.push(qid.get_ref().clone());
            }
            if f.when.get_ref().question.is_some() {
                self.err(
                    f.when.span(),
                    "`question` is not used inside a flag's `when`: list the questions in the flag's `questions`",
                );
            }
            let tone = match &f.tone {
                None => Tone::Caution,
                Some(t) => Tone::parse(t.get_ref()).unwrap_or_else(|| {
                    self.err(
                        t.span(),
                        format!(
                            "flag tone \"{}\" is not known; use good, caution or alert",
                            t.get_ref()
                        ),
                    );
                    Tone::Caution
                }),
            };
            if tone == Tone::Alert && f.signposting.is_none() && signposting.is_none() {
                self.err(
                    rf.span(),
                    "this flag is an alert but there is no signposting to support: add `signposting` to the flag or at the top of the file",
                );
            }
            if let Some(test) = test_of(f.when.get_ref()) {
                flags.push(Flag {
                    questions: qs,
                    test,
                    message: f.message.clone(),
                    tone,
                    signposting: f.signposting.clone(),
                });
            }
        }

        let focus = raw
            .focus
            .as_ref()
            .and_then(|f| self.focus(f.get_ref(), f.span(), &scores));

        Questionnaire {
            id: raw.id.get_ref().clone(),
            version: raw.version,
            title: raw.title,
            description: raw.description,
            kind: raw.kind,
            minutes: raw.minutes,
            remind_every_days: raw
                .remind_every_days
                .map(|d| *d.get_ref())
                .filter(|d| (1..=MAX_REMIND_DAYS).contains(d)),
            instructions: raw.instructions,
            licence: Licence {
                text: raw.licence.text,
                source: raw.licence.source.into_inner(),
                conditions: raw.licence.conditions,
            },
            signposting,
            questions,
            scores,
            flags,
            focus,
            fhir: raw.fhir.map(Box::new),
            hash: hex_sha256(text),
            source: std::sync::Arc::from(text),
            validated: Validated(()),
        }
    }

    fn question(
        &mut self,
        rq: &RawQuestion,
        span: Range<usize>,
        scales: &BTreeMap<String, Vec<Choice>>,
        earlier: &[Question],
        earlier_index: &HashMap<String, usize>,
    ) -> Question {
        self.check_id(&rq.id, "question");
        let id = rq.id.get_ref().clone();
        let ty = *rq.kind.get_ref();
        let whose = format!("question \"{id}\"");
        // Keys that belong to other types.
        let not_for = |present: bool, key: &str, types: &str| -> Option<String> {
            present.then(|| {
                format!(
                    "{whose} is of type \"{}\": `{key}` is only used by {types} questions",
                    type_str(ty)
                )
            })
        };
        let misplaced = [
            not_for(
                rq.scale.is_some() && ty != RawType::Scale,
                "scale",
                "\"scale\"",
            ),
            not_for(
                rq.options.is_some() && !matches!(ty, RawType::Choice | RawType::Multi),
                "options",
                "\"choice\" and \"multi\"",
            ),
            not_for(
                rq.other.is_some() && ty != RawType::Multi,
                "other",
                "\"multi\"",
            ),
            not_for(
                (rq.min.is_some()
                    || rq.max.is_some()
                    || rq.step.is_some()
                    || rq.min_label.is_some()
                    || rq.max_label.is_some())
                    && ty != RawType::Number,
                "min/max/step",
                "\"number\"",
            ),
            not_for(
                rq.max_length.is_some() && !matches!(ty, RawType::Text | RawType::Multi),
                "max_length",
                "\"text\" and \"multi\"",
            ),
            not_for(
                rq.multiline.is_some() && ty != RawType::Text,
                "multiline",
                "\"text\"",
            ),
        ];
        for m in misplaced.into_iter().flatten() {
            self.err(rq.kind.span(), m);
        }

        let kind = match ty {
            RawType::Scale => {
                match &rq.scale {
                    None => {
                        self.err(span.clone(), format!("{whose} is a scale question but names no `scale`: add scale = \"...\""));
                        QuestionKind::Scale {
                            scale: String::new(),
                            options: vec![],
                        }
                    }
                    Some(name) => match scales.get(name.get_ref()) {
                        None => {
                            let known: Vec<&str> = scales.keys().map(String::as_str).collect();
                            self.err(
                            name.span(),
                            format!(
                                "{whose} uses scale \"{}\", which is not defined; defined scales: {}",
                                name.get_ref(),
                                if known.is_empty() { "none (add a [scales.NAME] table)".to_string() } else { known.join(", ") }
                            ),
                        );
                            QuestionKind::Scale {
                                scale: name.get_ref().clone(),
                                options: vec![],
                            }
                        }
                        Some(opts) => {
                            // Each question holds its own copy of the scale:
                            // bounded for the whole file, so a huge scale used
                            // by many questions cannot take minutes or gigabytes.
                            self.copied_options += opts.len();
                            if self.copied_options > MAX_COPIED_OPTIONS {
                                self.err(
                                    name.span(),
                                    format!(
                                        "{whose}: the questions of this file use more than {MAX_COPIED_OPTIONS} scale options in all \
                                         (a scale's options count once for each question using it); use shorter scales"
                                    ),
                                );
                                QuestionKind::Scale {
                                    scale: name.get_ref().clone(),
                                    options: vec![],
                                }
                            } else {
                                QuestionKind::Scale {
                                    scale: name.get_ref().clone(),
                                    options: opts.clone(),
                                }
                            }
                        }
                    },
                }
            }
            RawType::Choice | RawType::Multi => {
                let options = match &rq.options {
                    None => {
                        self.err(span.clone(), format!("{whose} needs `options`: a list of {{ label = \"...\", value = ... }}"));
                        vec![]
                    }
                    Some(o) => self.options(o.get_ref(), o.span(), &whose, false),
                };
                if ty == RawType::Choice {
                    QuestionKind::Choice { options }
                } else {
                    QuestionKind::Multi {
                        options,
                        other: rq.other.as_ref().is_some_and(|o| *o.get_ref()),
                        other_max_length: self.max_length(rq, &whose),
                    }
                }
            }
            RawType::Number => {
                let (min, max) = match (&rq.min, &rq.max) {
                    (Some(a), Some(b)) => {
                        if a.get_ref().0 >= b.get_ref().0 {
                            self.err(
                                a.span(),
                                format!(
                                    "{whose}: `min` ({}) must be less than `max` ({})",
                                    fmt_exact(a.get_ref().0),
                                    fmt_exact(b.get_ref().0)
                                ),
                            );
                        }
                        (a.get_ref().0, b.get_ref().0)
                    }
                    _ => {
                        self.err(
                            span.clone(),
                            format!("{whose} is a number question: give both `min` and `max`"),
                        );
                        (0.0, 1.0)
                    }
                };
                let step = rq.step.as_ref().map(|s| s.get_ref().0).unwrap_or(1.0);
                if step <= 0.0 || !step.is_finite() {
                    let sp = rq.step.as_ref().map(|s| s.span()).unwrap_or(span.clone());
                    self.err(sp, format!("{whose}: `step` must be more than 0"));
                } else if ((max - min) / step) > 10_000.0 {
                    self.err(span.clone(), format!("{whose}: more than 10,000 steps between min and max; use a larger `step`"));
                }
                QuestionKind::Number {
                    min,
                    max,
                    step: if step > 0.0 { step } else { 1.0 },
                    min_label: rq.min_label.clone(),
                    max_label: rq.max_label.clone(),
                }
            }
            RawType::Text => QuestionKind::Text {
                max_length: self.max_length(rq, &whose),
                multiline: rq.multiline.as_ref().is_some_and(|m| *m.get_ref()),
            },
        };

        let mut q = Question {
            id: id.clone(),
            text: rq.text.clone(),
            help: rq.help.clone(),
            required: rq.required,
            kind,
            show_if: None,
            on_review: false,
        };
        if rq.text.trim().is_empty() {
            self.err(
                rq.id.span(),
                format!("{whose} has empty `text`: write the question as people will read it"),
            );
        }

        // `show_if` (one condition) and any further levels (a FHIR item's
        // `enableWhen`, its groups'): every level must hold.
        let mut levels: Vec<Shown> = Vec::new();
        if let Some(cond) = &rq.show_if {
            if let Some(c) = self.condition(cond, &id, earlier, earlier_index, "show_if") {
                levels.push(Shown::When(c));
            }
        }
        for level in &rq.shown {
            let mut tests: Vec<Shown> = level
                .tests
                .iter()
                .filter_map(|t| self.condition(t, &id, earlier, earlier_index, "enableWhen"))
                .map(Shown::When)
                .collect();
            if tests.len() != level.tests.len() {
                continue;
            }
            match tests.len() {
                0 => {}
                1 => levels.extend(tests.pop()),
                _ if level.any => levels.push(Shown::Any(tests)),
                _ => levels.extend(tests),
            }
        }
        q.show_if = match levels.len() {
            0 => None,
            1 => levels.pop(),
            _ => Some(Shown::All(levels)),
        };
        q
    }

    /// One condition of question `id`: it names an earlier question, and
    /// its test suits that question's answers.
    fn condition(
        &mut self,
        cond: &Spanned<RawTest>,
        id: &str,
        earlier: &[Question],
        earlier_index: &HashMap<String, usize>,
        key: &str,
    ) -> Option<Condition> {
        let whose = format!("question \"{id}\"");
        let c = cond.get_ref();
        let Some(target) = &c.question else {
            self.err(
                cond.span(),
                format!("{whose}: `{key}` needs `question = \"...\"` naming an earlier question"),
            );
            return None;
        };
        let t = target.get_ref();
        if t == id {
            self.err(target.span(), format!("{whose}: `{key}` refers to the question itself; it must name an earlier question"));
            return None;
        }
        let Some(prev) = earlier_index.get(t).map(|i| &earlier[*i]) else {
            self.err(
                target.span(),
                format!(
                    "{whose}: `{key}` refers to \"{t}\", which is not an earlier question. \
                     A condition may only look at questions asked before this one: move it, or fix the id"
                ),
            );
            return None;
        };
        let test = self.test(c, cond.span(), prev)?;
        Some(Condition {
            question: t.clone(),
            test,
        })
    }

    /// `[focus]`: at least two of this file's scores, each with a message,
    /// and a message for no other.
    fn focus(&mut self, f: &RawFocus, span: Range<usize>, scores: &[Score]) -> Option<Focus> {
        let before = self.errors.len();
        if f.heading.trim().is_empty() {
            self.err(
                span.clone(),
                "[focus] needs a `heading`: what the result says before the lowest score's message",
            );
        }
        if f.scores.len() < 2 {
            self.err(
                span.clone(),
                "[focus] compares scores: list at least two in `scores`",
            );
        }
        let mut out = Vec::new();
        for id in &f.scores {
            if !scores.iter().any(|s| &s.id == id.get_ref()) {
                self.err(
                    id.span(),
                    format!(
                        "[focus] names score \"{}\", which is not in this file",
                        id.get_ref()
                    ),
                );
                continue;
            }
            if out
                .iter()
                .any(|(s, _): &(String, String)| s == id.get_ref())
            {
                self.err(
                    id.span(),
                    format!("[focus] lists score \"{}\" twice", id.get_ref()),
                );
                continue;
            }
            match f
                .messages
                .iter()
                .find(|(k, _)| k.get_ref() == id.get_ref())
                .map(|(_, m)| m)
            {
                Some(m) if !m.trim().is_empty() => out.push((id.get_ref().clone(), m.clone())),
                _ => self.err(
                    id.span(),
                    format!(
                        "[focus] has no message for score \"{}\": add `{} = \"...\"` under [focus.messages] (what would help when it is the lowest)",
                        id.get_ref(),
                        id.get_ref()
                    ),
                ),
            }
        }
        for k in f.messages.keys() {
            if !f.scores.iter().any(|s| s.get_ref() == k.get_ref()) {
                self.err(
                    k.span(),
                    format!(
                        "[focus.messages] has a message for \"{}\", which [focus] `scores` does not list",
                        k.get_ref()
                    ),
                );
            }
        }
        (self.errors.len() == before).then(|| Focus {
            heading: f.heading.clone(),
            scores: out,
        })
    }

    /// A personal check-in ends with an optional private note of several
    /// lines, unless the file says `note = false` (or asks its own question
    /// with the id `note`). A team reflection has none: it is anonymous.
    fn note(
        &mut self,
        raw: &RawQuestionnaire,
        questions: &mut Vec<Question>,
        index: &HashMap<String, usize>,
    ) {
        let prompt = match raw.note.as_ref().map(|n| (n.get_ref(), n.span())) {
            Some((_, span)) if raw.kind == Kind::Team => {
                self.err(
                    span,
                    "`note` is for personal check-ins: a team reflection is anonymous and keeps no private note; remove `note`",
                );
                return;
            }
            Some((RawNote::On(false), _)) => return,
            Some((RawNote::Prompt(p), span)) if p.trim().is_empty() => {
                self.err(
                    span,
                    "`note` is empty: give the note's question, `true` for the usual one, or `false` for none",
                );
                return;
            }
            Some((RawNote::Prompt(p), _)) => p.clone(),
            None | Some((RawNote::On(true), _)) => crate::text::NOTE_PROMPT.to_string(),
        };
        if raw.kind == Kind::Team || index.contains_key(NOTE_ID) {
            return;
        }
        questions.push(Question {
            id: NOTE_ID.to_string(),
            text: prompt,
            help: Some(crate::text::NOTE_HELP.to_string()),
            required: false,
            kind: QuestionKind::Text {
                max_length: NOTE_MAX_LENGTH,
                multiline: true,
            },
            show_if: None,
            on_review: true,
        });
    }

    fn max_length(&mut self, rq: &RawQuestion, whose: &str) -> usize {
        match &rq.max_length {
            None => DEFAULT_MAX_LENGTH,
            Some(m) if *m.get_ref() == 0 || *m.get_ref() > 10_000 => {
                self.err(
                    m.span(),
                    format!("{whose}: `max_length` must be between 1 and 10000 characters"),
                );
                DEFAULT_MAX_LENGTH
            }
            Some(m) => *m.get_ref(),
        }
    }

    /// Check a condition's test against the question it looks at.
    fn test(&mut self, t: &RawTest, span: Range<usize>, target: &Question) -> Option<Test> {
        let count = [
            t.equals.is_some(),
            t.not_equals.is_some(),
            t.at_least.is_some(),
            t.at_most.is_some(),
            t.any_of.is_some(),
            t.includes.is_some(),
            t.answered.is_some(),
            t.above.is_some(),
            t.below.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        if count != 1 {
            self.err(
                span,
                format!(
                    "a condition needs exactly one test (equals, not_equals, at_least, at_most, above, below, any_of, includes or answered); this one has {count}"
                ),
            );
            return None;
        }
        let test = test_of(t)?;
        let opts = target.kind.options();
        let numeric = matches!(target.kind, QuestionKind::Number { .. })
            || (!opts.is_empty() && opts.iter().all(|o| o.value.as_number().is_some()));
        let is_multi = matches!(target.kind, QuestionKind::Multi { .. });
        // The target's option values as hash keys, built once per question:
        // a long `any_of` against a long option list stays linear.
        let keys = self
            .option_keys
            .entry(target.id.clone())
            .or_insert_with(|| {
                std::rc::Rc::new(opts.iter().map(|o| scalar_key(&o.value)).collect())
            })
            .clone();
        let check_value = |v: &Scalar| opts.is_empty() || keys.contains(&scalar_key(v));
        let problem = match &test {
            Test::AtLeast(_) | Test::AtMost(_) | Test::Above(_) | Test::Below(_) if !numeric => Some(format!(
                "at_least, at_most, above and below compare numbers, but question \"{}\" does not have numeric answers",
                target.id
            )),
            Test::Includes(_) if !is_multi => Some(format!(
                "`includes` is for multiple-choice questions; \"{}\" is of type \"{}\" (use `equals`)",
                target.id,
                target.kind.type_name()
            )),
            Test::Equals(_) | Test::NotEquals(_) | Test::AnyOf(_) if is_multi => Some(format!(
                "\"{}\" is a multiple-choice question: use `includes` to test whether an option was ticked",
                target.id
            )),
            Test::Equals(v) | Test::NotEquals(v) | Test::Includes(v) if !check_value(v) => Some(format!(
                "question \"{}\" has no option with the value {v}",
                target.id
            )),
            Test::AnyOf(vs) => vs
                .iter()
                .find(|v| !check_value(v))
                .map(|v| format!("question \"{}\" has no option with the value {v}", target.id)),
            _ => None,
        };
        match problem {
            Some(p) => {
                self.err(span, p);
                None
            }
            None => Some(test),
        }
    }

    fn score(
        &mut self,
        rs: &RawScore,
        questions: &[Question],
        index: &HashMap<String, usize>,
        has_file_signposting: bool,
    ) -> Score {
        let errors_before = self.errors.len();
        self.check_id(&rs.id, "score");
        let whose = format!("score \"{}\"", rs.id.get_ref());
        let mut items: Vec<&Question> = Vec::new();
        let mut item_ids: HashSet<&str> = HashSet::new();
        if rs.questions.get_ref().is_empty() {
            self.err(rs.questions.span(), format!("{whose} lists no questions"));
        }
        for qid in rs.questions.get_ref() {
            match index.get(qid.get_ref()).map(|i| &questions[*i]) {
                None => self.err(
                    qid.span(),
                    format!(
                        "{whose} refers to question \"{}\", which is not in this file",
                        qid.get_ref()
                    ),
                ),
                Some(q) => {
                    let scorable = match &q.kind {
                        QuestionKind::Number { .. } => true,
                        QuestionKind::Scale { .. } | QuestionKind::Choice { .. } => q
                            .kind
                            .options()
                            .iter()
                            .all(|o| o.value.as_number().is_some()),
                        _ => false,
                    };
                    if !scorable {
                        self.err(
                            qid.span(),
                            format!(
                                "{whose}: question \"{}\" cannot be scored (it is {} without numeric values); \
                                 only scale, number, and choice questions with numeric values can be",
                                q.id,
                                q.kind.type_name()
                            ),
                        );
                    } else if !item_ids.insert(q.id.as_str()) {
                        self.err(
                            qid.span(),
                            format!("{whose} lists question \"{}\" twice", q.id),
                        );
                    } else {
                        items.push(q);
                    }
                }
            }
        }
        let listed: HashSet<&String> = rs.questions.get_ref().iter().map(|s| s.get_ref()).collect();
        for r in &rs.reverse {
            if !listed.contains(&r.get_ref()) {
                self.err(
                    r.span(),
                    format!(
                        "{whose} reverses question \"{}\", which this score does not include: add it to `questions` or remove it from `reverse`",
                        r.get_ref()
                    ),
                );
            }
        }
        let mut remap: Vec<(f64, f64)> = rs
            .remap
            .as_ref()
            .map(|r| r.get_ref().iter().map(|m| (m.from.0, m.to.0)).collect())
            .unwrap_or_default();
        // Sorted by `from`, so `remapped` is a binary search and every check
        // here is linear or n log n: a 45,000-entry remap used to take half
        // a minute (each value searched the whole list, twice).
        remap.sort_by(|a, b| a.0.total_cmp(&b.0));
        if let Some(r) = rs.remap.as_ref() {
            if let Some(w) = remap.windows(2).find(|w| (w[1].0 - w[0].0).abs() < 1e-9) {
                self.err(
                    r.span(),
                    format!(
                        "{whose}: `remap` lists the value {} twice; keep one entry for each value",
                        fmt_exact(w[0].0)
                    ),
                );
            }
        }
        if let Some(r) = rs.remap.as_ref().filter(|r| !r.get_ref().is_empty()) {
            let mut missing: Vec<f64> = Vec::new();
            let mut seen_missing: HashSet<i64> = HashSet::new();
            for q in &items {
                for v in range::raw_values(q) {
                    let i = remap.partition_point(|(f, _)| *f < v - 1e-9);
                    let found = remap.get(i).is_some_and(|(f, _)| (f - v).abs() < 1e-9);
                    if !found && seen_missing.insert((v * 1e6).round() as i64) {
                        missing.push(v);
                    }
                }
            }
            if !missing.is_empty() {
                self.err(
                    r.span(),
                    format!("{whose}: `remap` has no entry for the value(s) {}; add {{ from = ..., to = ... }} for each", join_numbers(&missing)),
                );
            }
        }
        let lookup_rows: &[Spanned<RawLookup>] = rs
            .lookup
            .as_ref()
            .map(|l| l.get_ref().as_slice())
            .unwrap_or(&[]);
        let mut lookup: Vec<(f64, f64)> = lookup_rows
            .iter()
            .map(|m| (m.get_ref().raw.0, m.get_ref().score.0))
            .collect();
        lookup.sort_by(|a, b| a.0.total_cmp(&b.0));
        // Rows whose raw score an earlier row already has: sort the row
        // numbers by raw score (stable, so file order within equal scores).
        let mut order: Vec<usize> = (0..lookup_rows.len()).collect();
        order.sort_by(|a, b| {
            lookup_rows[*a]
                .get_ref()
                .raw
                .0
                .total_cmp(&lookup_rows[*b].get_ref().raw.0)
        });
        let mut repeated: Vec<usize> = order
            .windows(2)
            .filter(|w| {
                (lookup_rows[w[1]].get_ref().raw.0 - lookup_rows[w[0]].get_ref().raw.0).abs() < 1e-6
            })
            .map(|w| w[1])
            .collect();
        repeated.sort_unstable();
        for i in repeated {
            let row = &lookup_rows[i];
            let raw = row.get_ref().raw.0;
            {
                self.err(
                    row.span(),
                    format!(
                        "{whose}: the lookup table lists raw score {} twice; keep one row for each raw score",
                        fmt_exact(raw)
                    ),
                );
            }
        }
        let (multiply, add) = rs
            .transform
            .as_ref()
            .map(|t| (t.multiply.0, t.add.0))
            .unwrap_or((1.0, 0.0));
        if multiply == 0.0 || !multiply.is_finite() || !add.is_finite() {
            self.err(
                rs.id.span(),
                format!("{whose}: `transform.multiply` must be a number other than 0"),
            );
        }
        if let Some(mc) = &rs.meaningful_change {
            if mc.get_ref().0 <= 0.0 {
                self.err(
                    mc.span(),
                    format!("{whose}: `meaningful_change` must be more than 0"),
                );
            }
        }

        let mut bands = Vec::new();
        for rb in &rs.bands {
            let b = rb.get_ref();
            let tone = Tone::parse(b.tone.get_ref());
            if tone.is_none() {
                self.err(
                    b.tone.span(),
                    format!(
                        "band \"{}\": tone \"{}\" is not known; use good, caution or alert",
                        b.label,
                        b.tone.get_ref()
                    ),
                );
            }
            if b.min > b.max {
                self.err(
                    rb.span(),
                    format!(
                        "band \"{}\": `min` ({}) is more than `max` ({})",
                        b.label,
                        fmt_exact(b.min.0),
                        fmt_exact(b.max.0)
                    ),
                );
            }
            if tone == Some(Tone::Alert) && b.signposting.is_none() && !has_file_signposting {
                self.err(
                    rb.span(),
                    format!(
                        "band \"{}\" is an alert band but there is no signposting to support: add `signposting` to the band or at the top of the file",
                        b.label
                    ),
                );
            }
            bands.push((
                rb.span(),
                Band {
                    min: b.min.0,
                    max: b.max.0,
                    label: b.label.clone(),
                    tone: tone.unwrap_or(Tone::Caution),
                    message: b.message.clone(),
                    signposting: b.signposting.clone(),
                },
            ));
        }
        // Overlaps: sorted by `min`, a band overlaps an earlier one exactly
        // when it starts at or below the furthest `max` so far (n log n, not
        // every pair). Reported at the band that comes later in the file.
        let mut by_min: Vec<usize> = (0..bands.len()).collect();
        by_min.sort_by(|a, b| bands[*a].1.min.total_cmp(&bands[*b].1.min).then(a.cmp(b)));
        let mut furthest: Option<usize> = None;
        for &j in &by_min {
            if let Some(i) = furthest {
                if bands[j].1.min <= bands[i].1.max {
                    let (first, second) = if i < j { (i, j) } else { (j, i) };
                    let (a, b) = (&bands[first].1, &bands[second].1);
                    let sp = bands[second].0.clone();
                    self.err(
                        sp,
                        format!(
                            "{whose}: bands \"{}\" ({} to {}) and \"{}\" ({} to {}) overlap; a score must fall in exactly one band",
                            a.label,
                            fmt_exact(a.min),
                            fmt_exact(a.max),
                            b.label,
                            fmt_exact(b.min),
                            fmt_exact(b.max)
                        ),
                    );
                }
            }
            if furthest.is_none_or(|i| bands[j].1.max > bands[i].1.max) {
                furthest = Some(j);
            }
        }

        let mut score = Score {
            id: rs.id.get_ref().clone(),
            label: rs.label.clone(),
            description: rs.description.clone(),
            questions: items.iter().map(|q| q.id.clone()).collect(),
            method: rs.method,
            // Sorted, so `reverse` is a binary search (see `range::is_reversed`).
            reverse: {
                let mut r: Vec<String> = rs.reverse.iter().map(|r| r.get_ref().clone()).collect();
                r.sort();
                r.dedup();
                r
            },
            remap,
            lookup,
            multiply,
            add,
            max_missing: rs.max_missing,
            prorate: rs.prorate,
            meaningful_change: rs.meaningful_change.as_ref().map(|m| m.get_ref().0),
            bands: bands.iter().map(|(_, b)| b.clone()).collect(),
            range: (0.0, 0.0),
        };
        if items.is_empty() || self.errors.len() > errors_before {
            return score;
        }
        // How many item values the checks below go through: bounded for the
        // whole file, so that validating any file stays fast.
        let count: usize = items.iter().map(|q| value_count(q)).sum();
        self.scored_values += count;
        if self.scored_values > MAX_SCORED_VALUES {
            self.err(
                rs.id.span(),
                format!(
                    "{whose}: the scores of this file have more than {MAX_SCORED_VALUES} possible answers to check in all \
                     (each number question counts every step, each other question every option, once for each score using it); \
                     use a larger `step`, or fewer questions per score"
                ),
            );
            return score;
        }
        // Exact arithmetic: the largest sum the items can reach must stay
        // within the limit (each value is scaled by 10^6 and added as a
        // whole number; below 2^53 that is exact).
        let reach: f64 = items
            .iter()
            .map(|q| {
                range::item_values(&score, q)
                    .into_iter()
                    .fold(0.0_f64, |m, v| m.max(v.abs()))
            })
            .sum();
        if reach > number::LIMIT {
            self.err(
                rs.questions.span(),
                format!(
                    "{whose}: its questions can add up to {}, more than the 1000000000 (one billion) a score may reach; \
                     use smaller values (a `transform` can scale the result)",
                    fmt_exact(reach)
                ),
            );
            return score;
        }
        // What raw and reported values can this score take?
        let possible = range::possible_raw(&score, &items);
        if !score.lookup.is_empty() {
            let lookup_keys: Vec<f64> = score.lookup.iter().map(|(k, _)| *k).collect();
            let mut outside = false;
            for row in lookup_rows {
                let raw = row.get_ref().raw.0;
                let possible_here = if possible.exact {
                    near(&possible.values, raw, 1e-6)
                } else {
                    raw >= possible.min - 1e-9 && raw <= possible.max + 1e-9
                };
                if !possible_here {
                    outside = true;
                    self.err(
                        row.span(),
                        format!(
                            "{whose}: the lookup table has a row for raw score {}, which this score can never have \
                             (its raw scores are {} to {}{}); remove the row or fix `raw`",
                            fmt_exact(raw),
                            fmt_exact(possible.min),
                            fmt_exact(possible.max),
                            if possible.exact && possible.values.len() <= 12 {
                                format!(": {}", join_numbers(&possible.values))
                            } else {
                                String::new()
                            }
                        ),
                    );
                }
            }
            let missing: Vec<f64> = possible
                .values
                .iter()
                .copied()
                .filter(|r| !near(&lookup_keys, *r, 1e-6))
                .collect();
            if !missing.is_empty() || !possible.exact {
                let span = rs.lookup.as_ref().map(|l| l.span()).unwrap_or(rs.id.span());
                let detail = if possible.exact {
                    format!(
                        "it has no entry for raw score(s) {}",
                        join_numbers(&missing)
                    )
                } else {
                    "this score's raw values cannot all be listed (too many); use a transform instead".to_string()
                };
                self.err(
                    span,
                    format!(
                        "{whose}: the lookup table must cover every possible raw score ({} to {}), but {detail}",
                        fmt_exact(possible.min),
                        fmt_exact(possible.max),
                    ),
                );
                return score;
            }
            if outside {
                return score;
            }
        }
        let reported: Vec<f64> = possible
            .values
            .iter()
            .map(|r| range::report(&score, *r))
            .collect();
        let (lo, hi) = reported
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), x| {
                (l.min(*x), h.max(*x))
            });
        let (lo, hi) = if possible.exact {
            (lo, hi)
        } else {
            (
                range::report(&score, possible.min),
                range::report(&score, possible.max),
            )
        };
        score.range = (lo.min(hi), lo.max(hi));
        if !(score.range.0.abs() <= number::LIMIT && score.range.1.abs() <= number::LIMIT) {
            // `transform` has no span of its own: point at the score's id.
            self.err(
                rs.id.span(),
                format!(
                    "{whose}: after its lookup and transform the score can reach {}, beyond the 1000000000 (one billion) \
                     a score may reach either way; use a smaller `transform.multiply` or `add`",
                    fmt_exact(if score.range.0.abs() > score.range.1.abs() { score.range.0 } else { score.range.1 })
                ),
            );
            return score;
        }
        if !score.bands.is_empty() {
            let uncovered: Vec<f64> = if possible.exact {
                // Bands do not overlap here (checked above): sorted by `min`,
                // the only band that can hold x is the last one starting at
                // or below it.
                let mut by_min: Vec<&Band> = score.bands.iter().collect();
                by_min.sort_by(|a, b| a.min.total_cmp(&b.min));
                let mut u: Vec<f64> = reported
                    .iter()
                    .copied()
                    .filter(|x| {
                        let i = by_min.partition_point(|b| b.min <= *x + 1e-9);
                        !(i > 0 && by_min[i - 1].contains(*x))
                    })
                    .collect();
                u.sort_by(f64::total_cmp);
                u.dedup_by(|a, b| (*a - *b).abs() < 1e-9);
                u
            } else {
                range::interval_gaps(
                    &score.bands,
                    score.range,
                    possible.resolution * score.multiply.abs(),
                )
            };
            if !uncovered.is_empty() {
                // Point at the band just above the first gap (else the last band):
                // that is where a `min` or `max` needs to change.
                let gap = uncovered[0];
                let at = rs
                    .bands
                    .iter()
                    .filter(|b| b.get_ref().min.0 > gap)
                    .min_by(|a, b| a.get_ref().min.0.total_cmp(&b.get_ref().min.0))
                    .or(rs.bands.last())
                    .map(|b| b.span())
                    .unwrap_or(rs.id.span());
                self.err(
                    at,
                    format!(
                        "{whose}: the bands leave part of the possible range ({} to {}) uncovered: no band holds {}. \
                         Widen a band or add one",
                        fmt_exact(score.range.0),
                        fmt_exact(score.range.1),
                        join_numbers(&uncovered)
                    ),
                );
            }
        }
        score
    }
}

/// Is there a value within `tol` of `x` in `sorted`?
fn near(sorted: &[f64], x: f64, tol: f64) -> bool {
    let i = sorted.partition_point(|v| *v < x - tol);
    sorted.get(i).is_some_and(|v| (v - x).abs() < tol)
}

fn type_str(t: RawType) -> &'static str {
    match t {
        RawType::Scale => "scale",
        RawType::Choice => "choice",
        RawType::Multi => "multi",
        RawType::Number => "number",
        RawType::Text => "text",
    }
}

fn test_of(t: &RawTest) -> Option<Test> {
    if let Some(v) = &t.equals {
        return Some(Test::Equals(v.clone()));
    }
    if let Some(v) = &t.not_equals {
        return Some(Test::NotEquals(v.clone()));
    }
    if let Some(v) = t.at_least {
        return Some(Test::AtLeast(v.0));
    }
    if let Some(v) = t.at_most {
        return Some(Test::AtMost(v.0));
    }
    if let Some(v) = &t.any_of {
        return Some(Test::AnyOf(v.clone()));
    }
    if let Some(v) = &t.includes {
        return Some(Test::Includes(v.clone()));
    }
    if let Some(v) = t.above {
        return Some(Test::Above(v.0));
    }
    if let Some(v) = t.below {
        return Some(Test::Below(v.0));
    }
    t.answered.map(Test::Answered)
}

pub fn hex_sha256(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
