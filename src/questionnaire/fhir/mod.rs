//! Reading a FHIR R4 `Questionnaire` (JSON) into the draft that the one
//! validator checks (issue 19 §2). Every place is a JSON pointer, so every
//! rule the project's own files have reports here at `file:/item/0/...`.
//!
//! What is read: nested `group` and `display` items; `choice` (`coding` in
//! R5) with `answerOption` (`valueCoding`, `valueString`, `valueInteger`) or
//! with `answerValueSet` naming a `ValueSet` contained in the file
//! (`compose.include.concept`); an option's score from the `ordinalValue`
//! extension (R4) or `itemWeight` (R5/SDC), on the option, its coding or the
//! value set concept; `integer`, `decimal` (with `minValue` and `maxValue`),
//! `string`, `text`, `boolean`; `required`, `repeats` (multiple choice),
//! `readOnly` (shown as words, not asked); `enableWhen` with every operator
//! and `enableBehavior`; and a `calculatedExpression` that is a plain sum of
//! the answers' ordinal values or weights, as a score. Anything else that
//! changes what is asked or how it is scored is refused at its pointer.
//!
//! FHIR has no bands, flags or support: a companion file in the project's
//! own format beside the JSON adds them (`phq9.json` → `phq9.companion.toml`,
//! see [`companion_path`]). The definition kept with saved answers, and
//! hashed, is both files together ([`Definition`]).

use super::file::*;
use super::load::{self, valid_id, Diagnostic};
use super::model::*;
use super::number::Num;
use super::source::{pointer_span, Locator};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

mod companion;
use companion::RawCompanion;
mod enable;
mod items;
use items::Ctx;
mod options;
mod score;

/// A companion file's name ends so: `NAME.json` has `NAME.companion.toml`.
/// The catalog does not load such files as questionnaires.
pub const COMPANION_SUFFIX: &str = ".companion.toml";

/// The extension that makes a FHIR questionnaire a team reflection:
/// `{"url": KIND_EXTENSION, "valueCode": "team"}` on the `Questionnaire`.
pub const KIND_EXTENSION: &str = "urn:joy-kiosk:questionnaire-kind";

const SD: &str = "http://hl7.org/fhir/StructureDefinition/";
const SDC: &str = "http://hl7.org/fhir/uv/sdc/StructureDefinition/";
const LOINC: &str = "http://loinc.org";

/// Extensions that change what is asked or how it is scored, which this
/// reader does not carry out: refused, never ignored.
const REFUSED: &[(&str, &str)] = &[
    (
        "sdc-questionnaire-enableWhenExpression",
        "a condition written as an expression",
    ),
    (
        "sdc-questionnaire-initialExpression",
        "an answer filled in by an expression",
    ),
    (
        "sdc-questionnaire-answerExpression",
        "options made by an expression",
    ),
    (
        "sdc-questionnaire-candidateExpression",
        "answers suggested by an expression",
    ),
    (
        "sdc-questionnaire-answerOptionsToggleExpression",
        "options switched by an expression",
    ),
    ("questionnaire-hidden", "a hidden item"),
    (
        "sdc-questionnaire-subQuestionnaire",
        "a questionnaire inside another",
    ),
];

/// The companion beside a FHIR file: `x/phq9.json` → `x/phq9.companion.toml`.
pub fn companion_path(json: &Path) -> PathBuf {
    let stem = json
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    json.with_file_name(format!("{stem}{COMPANION_SUFFIX}"))
}

/// Does this text look like a JSON document rather than TOML?
pub fn looks_like_json(text: &str) -> bool {
    text.trim_start().starts_with('{')
}

/// What is kept and hashed for a FHIR questionnaire: the file as it was,
/// and its companion as it was.
#[derive(Debug, Serialize, Deserialize)]
pub struct Definition {
    #[serde(rename = "joy-kiosk-fhir-questionnaire")]
    pub questionnaire: String,
    pub companion: Option<String>,
}

/// Load a FHIR questionnaire from its text and its companion's (name, text).
pub fn load(
    name: &str,
    text: &str,
    companion: Option<(&str, &str)>,
) -> Result<Questionnaire, Vec<Diagnostic>> {
    let json: Value = serde_json::from_str(text).map_err(|e| {
        vec![Diagnostic::at(
            name,
            e.line().max(1),
            e.column().max(1),
            format!("this is not valid JSON ({e}). A FHIR questionnaire is one JSON object."),
        )]
    })?;
    let extra = match companion {
        None => None,
        Some((cname, ctext)) => match toml::from_str::<RawCompanion>(ctext) {
            Ok(c) => Some(c),
            Err(e) => {
                let lines = load::LineIndex::new(ctext);
                return Err(vec![load::toml_diagnostic(cname, &lines, &e)]);
            }
        },
    };
    let mut r = Reader {
        file: name,
        root: &json,
        companion,
        pointers: vec![String::new()],
        errors: Vec::new(),
        ids: HashMap::new(),
        used: HashSet::new(),
        options: HashMap::new(),
        questions: Vec::new(),
        scales: Default::default(),
        scores: Vec::new(),
        scored: Vec::new(),
        pending: Vec::new(),
        instructions: Vec::new(),
        contained: HashMap::new(),
    };
    let draft = r.questionnaire(&json, extra, companion.map(|c| c.0));
    if !r.errors.is_empty() {
        r.errors
            .sort_by(|a, b| (&a.pointer, &a.message).cmp(&(&b.pointer, &b.message)));
        r.errors.dedup();
        return Err(r.errors);
    }
    let Some(draft) = draft else {
        return Err(vec![Diagnostic::at_pointer(
            name,
            "",
            "this file could not be read",
        )]);
    };
    let source = serde_json::to_string(&Definition {
        questionnaire: text.to_string(),
        companion: companion.map(|c| c.1.to_string()),
    })
    .unwrap_or_default();
    let pointers = std::mem::take(&mut r.pointers);
    load::validate(draft, &Locator::json(name, &pointers, companion), &source)
}

/// Load a kept [`Definition`] again (a questionnaire as answered).
pub fn load_definition(name: &str, text: &str) -> Result<Questionnaire, Vec<Diagnostic>> {
    let d: Definition = serde_json::from_str(text).map_err(|e| {
        vec![Diagnostic::at(
            name,
            1,
            1,
            format!("not a kept FHIR definition: {e}"),
        )]
    })?;
    let q = load(
        name,
        &d.questionnaire,
        d.companion.as_deref().map(|c| (name, c)),
    )?;
    // Same text, same hash: the definition is what was kept.
    Ok(Questionnaire {
        hash: load::hex_sha256(text),
        source: std::sync::Arc::from(text),
        ..q
    })
}

struct Reader<'a> {
    file: &'a str,
    root: &'a Value,
    /// The companion's name and text (its problems are at its lines).
    companion: Option<(&'a str, &'a str)>,
    pointers: Vec<String>,
    errors: Vec<Diagnostic>,
    /// linkId -> id here.
    ids: HashMap<String, String>,
    used: HashSet<String>,
    /// linkId -> the question's options (for `enableWhen` answers) and
    /// whether it takes several.
    options: HashMap<String, (Vec<RawOption>, bool)>,
    questions: Vec<Spanned<RawQuestion>>,
    /// Each scored question's options, as a scale of its own.
    scales: std::collections::BTreeMap<Spanned<String>, Spanned<RawScale>>,
    scores: Vec<(Spanned<RawScore>, String)>,
    /// Questions whose options all carry an ordinal value or weight: what a
    /// sum of ordinals adds up.
    scored: Vec<(String, Range<usize>)>,
    /// Words of `display` and read-only items, for the next question's help.
    pending: Vec<String>,
    instructions: Vec<String>,
    /// `#id` -> pointer of a contained resource.
    contained: HashMap<String, String>,
}

fn str_at<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str)
}

fn extensions(v: &Value) -> &[Value] {
    v.get("extension")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// The short name of an extension URL of HL7's or SDC's definitions.
fn short(url: &str) -> Option<&str> {
    url.strip_prefix(SD).or_else(|| url.strip_prefix(SDC))
}

/// A number given as valueDecimal or valueInteger.
fn number_value(ext: &Value) -> Option<f64> {
    ext.get("valueDecimal")
        .or_else(|| ext.get("valueInteger"))
        .and_then(Value::as_f64)
}

impl Reader<'_> {
    fn at(&mut self, pointer: &str) -> Range<usize> {
        self.pointers.push(pointer.to_string());
        pointer_span(self.pointers.len() - 1)
    }

    fn refuse(&mut self, pointer: &str, message: impl Into<String>) {
        self.errors
            .push(Diagnostic::at_pointer(self.file, pointer, message));
    }

    fn spanned<T>(&mut self, pointer: &str, value: T) -> Spanned<T> {
        Spanned::new(self.at(pointer), value)
    }

    /// The id here of a `linkId`: itself when it is a valid id, else made
    /// from it (lower case, other characters as `-`), each one different.
    fn make_id(&mut self, link: &str) -> String {
        let base = slug(link);
        let mut id = base.clone();
        let mut n = 2;
        while self.used.contains(&id) || id == load::NOTE_ID {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.used.insert(id.clone());
        self.ids.insert(link.to_string(), id.clone());
        id
    }

    /// A name in a companion file: a `linkId` or an id here.
    fn id_for(&self, name: &Spanned<String>) -> Spanned<String> {
        match self.ids.get(name.get_ref()) {
            Some(id) => Spanned::new(name.span(), id.clone()),
            None => name.clone(),
        }
    }

    /// Refuse `modifierExtension` and the extensions this reader cannot
    /// carry out.
    fn check_extensions(&mut self, v: &Value, ptr: &str) {
        if v.get("modifierExtension").is_some() {
            self.refuse(
                &format!("{ptr}/modifierExtension"),
                "a modifier extension changes what this item means, and this app cannot know how: it is not supported",
            );
        }
        for (i, ext) in extensions(v).iter().enumerate() {
            let url = str_at(ext, "url").unwrap_or("");
            if let Some((_, what)) = short(url).and_then(|s| REFUSED.iter().find(|(n, _)| *n == s))
            {
                self.refuse(
                    &format!("{ptr}/extension/{i}"),
                    format!("{what} ({url}) is not supported: the app could not ask or score it as the file means"),
                );
            }
        }
    }

    fn questionnaire(
        &mut self,
        json: &Value,
        extra: Option<RawCompanion>,
        companion_name: Option<&str>,
    ) -> Option<RawQuestionnaire> {
        if str_at(json, "resourceType") != Some("Questionnaire") {
            let found = json
                .get("resourceType")
                .map(|v| v.to_string())
                .unwrap_or_else(|| "nothing".into());
            self.refuse(
                "/resourceType",
                format!("a questionnaire file in JSON must be a FHIR R4 Questionnaire (\"resourceType\": \"Questionnaire\"); this one has {found}"),
            );
            return None;
        }
        self.check_extensions(json, "");
        if let Some(c) = json.get("contained").and_then(Value::as_array) {
            for (i, r) in c.iter().enumerate() {
                if let Some(id) = str_at(r, "id") {
                    self.contained
                        .insert(format!("#{id}"), format!("/contained/{i}"));
                }
            }
        }
        let file_id = str_at(json, "id")
            .or_else(|| str_at(json, "name"))
            .unwrap_or("questionnaire")
            .to_string();
        let id_ptr = if json.get("id").is_some() { "/id" } else { "" };
        // The questionnaire's id is not an item's: no linkId is kept from it.
        let id = slug(&file_id);
        let title = str_at(json, "title")
            .or_else(|| str_at(json, "name"))
            .unwrap_or(&file_id)
            .to_string();
        let description = str_at(json, "description")
            .or_else(|| str_at(json, "purpose"))
            .unwrap_or(&title)
            .to_string();
        let mut kind = Kind::Personal;
        for (i, ext) in extensions(json).iter().enumerate() {
            if str_at(ext, "url") == Some(KIND_EXTENSION) {
                match str_at(ext, "valueCode") {
                    Some("team") => kind = Kind::Team,
                    Some("personal") => kind = Kind::Personal,
                    other => self.refuse(
                        &format!("/extension/{i}"),
                        format!(
                            "the kind extension needs \"valueCode\": \"team\" or \"personal\", not {}",
                            other.unwrap_or("nothing")
                        ),
                    ),
                }
            }
        }
        let loinc_code = json
            .get("code")
            .and_then(Value::as_array)
            .and_then(|cs| cs.iter().find(|c| str_at(c, "system") == Some(LOINC)))
            .and_then(|c| str_at(c, "code"))
            .map(str::to_string);
        let url = str_at(json, "url").map(str::to_string);

        let items = match json.get("item") {
            Some(Value::Array(items)) => self.items(items, "/item", &Ctx::default()),
            _ => Vec::new(),
        };
        // A sum of ordinals adds up every question whose options carry them.
        let scored = std::mem::take(&mut self.scored);
        let mut scores: Vec<Spanned<RawScore>> = Vec::new();
        for (mut s, ptr) in std::mem::take(&mut self.scores) {
            let span = self.at(&ptr);
            s.get_mut().questions = Spanned::new(
                span,
                scored
                    .iter()
                    .map(|(q, sp)| Spanned::new(sp.clone(), q.clone()))
                    .collect(),
            );
            scores.push(s);
        }

        let mut draft = RawQuestionnaire {
            id: self.spanned(id_ptr, id),
            version: str_at(json, "version").unwrap_or("unversioned").to_string(),
            title,
            description,
            kind,
            minutes: (self.questions.len() as u32).div_ceil(3).max(1),
            remind_every_days: None,
            instructions: (!self.instructions.is_empty()).then(|| self.instructions.join("\n")),
            licence: RawLicence {
                text: str_at(json, "copyright")
                    .unwrap_or(crate::text::fhir::NO_COPYRIGHT)
                    .to_string(),
                source: Spanned::new(0..0, String::new()),
                conditions: None,
            },
            signposting: None,
            scales: std::mem::take(&mut self.scales),
            questions: std::mem::take(&mut self.questions),
            scores,
            flags: Vec::new(),
            note: None,
            focus: None,
            fhir: None,
        };
        let source = url
            .clone()
            .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
            .map(|u| (u, "/url"))
            .or_else(|| {
                loinc_code
                    .as_ref()
                    .map(|c| (format!("https://loinc.org/{c}/"), "/code"))
            });
        let banded = match extra {
            Some(c) => self.apply_companion(&mut draft, c),
            None => false,
        };
        if draft.licence.source.get_ref().is_empty() {
            match source {
                Some((s, ptr)) => draft.licence.source = self.spanned(ptr, s),
                None => self.refuse(
                    "",
                    "this questionnaire says nowhere where it is published: give it a \"url\" (https://...), \
                     or put [licence] text and source in its companion file",
                ),
            }
        }
        let support_with_every_score = !draft.scores.is_empty() && !banded;
        if support_with_every_score && draft.signposting.is_none() {
            draft.signposting = Some(Spanned::new(
                0..0,
                crate::text::fhir::GENERAL_SIGNPOSTING.to_string(),
            ));
        }
        draft.fhir = Some(FhirShape {
            url,
            version: str_at(json, "version").map(str::to_string),
            items,
            companion: companion_name.map(str::to_string),
            support_with_every_score,
        });
        Some(draft)
    }
}

/// A valid id made from a FHIR name: itself when it is one, else lower
/// case with other characters as `-` (`H1/T1/Q1` -> `h1-t1-q1`).
fn slug(name: &str) -> String {
    if valid_id(name) {
        return name.to_string();
    }
    let mut s = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        let ok = (c.is_alphabetic() && c.to_lowercase().eq([c])) || c.is_ascii_digit() || c == '_';
        if ok {
            s.push(c);
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    let s: String = s.trim_matches('-').chars().take(48).collect();
    if s.is_empty() {
        "item".to_string()
    } else {
        s
    }
}

/// What `joy validate` warns of in a FHIR questionnaire (it still loads):
/// scores without a companion's bands, and scored questions that may be
/// skipped. `file` names it in the messages.
pub fn warnings(q: &Questionnaire, file: &str) -> Vec<String> {
    let Some(shape) = q.fhir.as_deref() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if shape.support_with_every_score {
        let companion = companion_path(Path::new(file));
        let companion = companion
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.push(crate::text::fhir::no_companion_warning(file, &companion));
    }
    for s in &q.scores {
        if s.max_missing > 0 {
            continue;
        }
        for id in &s.questions {
            if q.question(id).is_some_and(|x| !x.required) {
                out.push(crate::text::fhir::optional_scored_warning(
                    file,
                    shape.link_id(id).unwrap_or(id),
                    shape.link_id(&s.id).unwrap_or(&s.id),
                ));
            }
        }
    }
    out
}
