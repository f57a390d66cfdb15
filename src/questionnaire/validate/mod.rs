//! The one validator (issue 19 §1): a draft ([`super::file`]), read from a
//! TOML file or a FHIR file, becomes a [`Questionnaire`] only here, by
//! passing every rule; each problem is reported at its place through a
//! [`Locator`] (file:line:column or a JSON pointer). Scores' rules are in
//! [`score`].

mod score;

use super::file::*;
use super::load::hex_sha256;
use super::load::{
    Diagnostic, Locator, DEFAULT_MAX_LENGTH, MAX_REMIND_DAYS, NOTE_ID, NOTE_MAX_LENGTH,
};
use super::model::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use toml::Spanned;

/// Validate a draft: a questionnaire, or every problem at its place
/// through `at`. `source` is the definition kept and hashed.
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
