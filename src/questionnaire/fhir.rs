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

/// A companion file: what FHIR cannot say (bands, flags, support), in the
/// project's own format. Scores and questions are named by `linkId` (or by
/// the id made from it).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCompanion {
    #[serde(default)]
    kind: Option<Kind>,
    #[serde(default)]
    minutes: Option<u32>,
    #[serde(default)]
    remind_every_days: Option<Spanned<u32>>,
    #[serde(default)]
    instructions: Option<String>,
    #[serde(default)]
    signposting: Option<Spanned<String>>,
    #[serde(default)]
    licence: Option<RawLicence>,
    #[serde(default)]
    note: Option<Spanned<RawNote>>,
    #[serde(default)]
    scores: Vec<Spanned<RawCompanionScore>>,
    #[serde(default)]
    flags: Vec<Spanned<RawFlag>>,
    #[serde(default)]
    focus: Option<Spanned<RawFocus>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCompanionScore {
    id: Spanned<String>,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    max_missing: Option<usize>,
    #[serde(default)]
    prorate: Option<bool>,
    #[serde(default)]
    meaningful_change: Option<Spanned<Num>>,
    #[serde(default)]
    bands: Vec<Spanned<RawBand>>,
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

/// A plain sum of every answer's ordinal value or weight, as real files
/// write it; `own` is the item's own `linkId` (which a `where` may leave
/// out). Anything else is not a plain sum.
fn plain_sum(expression: &str, own: &str) -> bool {
    let e: String = expression.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(mut rest) = e.strip_prefix("%resource.") else {
        return false;
    };
    let mut answers = false;
    for start in ["answers().", "repeat(item).", "item.", "descendants()."] {
        if let Some(r) = rest.strip_prefix(start) {
            answers = start == "answers().";
            rest = r;
            break;
        }
    }
    if rest.len() == e.len() - "%resource.".len() {
        return false;
    }
    for quote in ['\'', '"'] {
        let skip = format!("where(linkId!={quote}{own}{quote}).");
        if let Some(r) = rest.strip_prefix(skip.as_str()) {
            rest = r;
        }
    }
    if !answers {
        match rest.strip_prefix("answer.") {
            Some(r) => rest = r,
            None => return false,
        }
    }
    matches!(
        rest,
        "value.ordinal().sum()" | "value.weight().sum()" | "ordinal().sum()" | "weight().sum()"
    )
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
        let id = self.make_id(&file_id);
        // The questionnaire's id is not an item's: free it for a linkId.
        self.used.remove(&id);
        self.ids.remove(&file_id);
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
        let mut banded = false;
        if let Some(c) = extra {
            if let Some(k) = c.kind {
                draft.kind = k;
            }
            if let Some(m) = c.minutes {
                draft.minutes = m;
            }
            draft.remind_every_days = c.remind_every_days;
            if c.instructions.is_some() {
                draft.instructions = c.instructions;
            }
            draft.signposting = c.signposting;
            draft.note = c.note;
            if let Some(l) = c.licence {
                draft.licence = l;
            }
            for cs in c.scores {
                let span = cs.span();
                let cs = cs.into_inner();
                let want = self.id_for(&cs.id);
                let Some(s) = draft
                    .scores
                    .iter_mut()
                    .find(|s| s.get_ref().id.get_ref() == want.get_ref())
                else {
                    let known: Vec<String> = self
                        .ids
                        .iter()
                        .filter(|(_, id)| {
                            draft.scores.iter().any(|s| s.get_ref().id.get_ref() == *id)
                        })
                        .map(|(l, _)| l.clone())
                        .collect();
                    self.errors.push(
                        Locator::json(self.file, &self.pointers, self.companion)
                            .diagnostic(span, format!(
                                "the FHIR file has no calculated score \"{}\"; its scores (by linkId) are: {}",
                                cs.id.get_ref(),
                                if known.is_empty() { "none".to_string() } else { known.join(", ") }
                            )),
                    );
                    continue;
                };
                let s = s.get_mut();
                if let Some(l) = cs.label {
                    s.label = l;
                }
                if cs.description.is_some() {
                    s.description = cs.description;
                }
                if let Some(m) = cs.max_missing {
                    s.max_missing = m;
                }
                if let Some(p) = cs.prorate {
                    s.prorate = p;
                }
                s.meaningful_change = cs.meaningful_change;
                banded |= !cs.bands.is_empty();
                s.bands = cs.bands;
            }
            draft.flags = c
                .flags
                .into_iter()
                .map(|f| {
                    let span = f.span();
                    let mut f = f.into_inner();
                    f.questions = f.questions.iter().map(|q| self.id_for(q)).collect();
                    Spanned::new(span, f)
                })
                .collect();
            draft.focus = c.focus.map(|f| {
                let span = f.span();
                let mut f = f.into_inner();
                f.scores = f.scores.iter().map(|s| self.id_for(s)).collect();
                f.messages = f
                    .messages
                    .into_iter()
                    .map(|(k, m)| (self.id_for(&k), m))
                    .collect();
                Spanned::new(span, f)
            });
        }
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

    fn items(&mut self, items: &[Value], ptr: &str, ctx: &Ctx) -> Vec<FhirItem> {
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let p = format!("{ptr}/{i}");
            if let Some(x) = self.item(item, &p, ctx) {
                out.push(x);
            }
        }
        out
    }

    fn item(&mut self, item: &Value, p: &str, ctx: &Ctx) -> Option<FhirItem> {
        self.check_extensions(item, p);
        let Some(link) = str_at(item, "linkId").map(str::to_string) else {
            self.refuse(p, "this item has no \"linkId\": every FHIR item needs one");
            return None;
        };
        if self.ids.contains_key(&link) {
            self.refuse(
                &format!("{p}/linkId"),
                format!("linkId \"{link}\" is used twice: each item needs its own"),
            );
            return None;
        }
        let ty = str_at(item, "type").unwrap_or("").to_string();
        let text = str_at(item, "text").map(str::to_string);
        let calculated = extensions(item).iter().enumerate().find_map(|(i, e)| {
            (str_at(e, "url").and_then(short) == Some("sdc-questionnaire-calculatedExpression"))
                .then(|| {
                    (
                        i,
                        e.get("valueExpression")
                            .and_then(|x| str_at(x, "expression"))
                            .unwrap_or("")
                            .to_string(),
                    )
                })
        });
        let shown = self.enable_when(item, p);
        let mut ctx_here = ctx.clone();
        if let Some(s) = shown.clone() {
            ctx_here.shown.push(s);
        }
        if item.get("initial").is_some() {
            // Documented: every question starts empty.
        }
        if let Some((i, expr)) = calculated {
            return self.score(item, p, &link, &ty, text, &expr, i, shown.is_some());
        }
        match ty.as_str() {
            "group" => {
                if item.get("repeats").and_then(Value::as_bool) == Some(true) {
                    self.refuse(
                        &format!("{p}/repeats"),
                        "a repeating group is not supported: each question is asked once",
                    );
                    return None;
                }
                self.ids.insert(link.clone(), String::new());
                let mut inner = ctx_here;
                if let Some(t) = &text {
                    inner.stem.push(t.clone());
                }
                let children = match item.get("item") {
                    Some(Value::Array(xs)) => self.items(xs, &format!("{p}/item"), &inner),
                    _ => Vec::new(),
                };
                Some(FhirItem::Group {
                    link_id: link,
                    text,
                    items: children,
                })
            }
            "display" => {
                self.ids.insert(link, String::new());
                if let Some(t) = text {
                    if self.questions.is_empty() && ctx.stem.is_empty() {
                        self.instructions.push(t);
                    } else {
                        self.pending.push(t);
                    }
                }
                None
            }
            _ if item.get("readOnly").and_then(Value::as_bool) == Some(true) => {
                // Shown, never asked: its words go with the next question.
                self.ids.insert(link, String::new());
                if let Some(t) = text {
                    self.pending.push(t);
                }
                None
            }
            _ => self.question(item, p, &link, &ty, text, &ctx_here),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn score(
        &mut self,
        item: &Value,
        p: &str,
        link: &str,
        ty: &str,
        text: Option<String>,
        expr: &str,
        ext: usize,
        conditional: bool,
    ) -> Option<FhirItem> {
        let answer = match ty {
            "quantity" => FhirAnswer::Quantity,
            "decimal" => FhirAnswer::Decimal,
            "integer" => FhirAnswer::Integer,
            other => {
                self.refuse(
                    &format!("{p}/type"),
                    format!("a calculated score must be a quantity, decimal or integer item, not \"{other}\""),
                );
                return None;
            }
        };
        if !plain_sum(expr, link) {
            self.refuse(
                &format!("{p}/extension/{ext}/valueExpression/expression"),
                format!(
                    "only a plain sum of the answers' ordinal values or weights can be scored \
                     (such as %resource.item.answer.value.ordinal().sum()); \"{expr}\" is not one"
                ),
            );
            return None;
        }
        if conditional {
            self.refuse(
                &format!("{p}/enableWhen"),
                "a calculated score cannot be shown only sometimes: remove its enableWhen",
            );
            return None;
        }
        let id = self.make_id(link);
        let loinc = item
            .get("code")
            .and_then(Value::as_array)
            .and_then(|cs| cs.iter().find(|c| str_at(c, "system") == Some(LOINC)))
            .and_then(|c| {
                Some((
                    str_at(c, "code")?.to_string(),
                    str_at(c, "display").unwrap_or("").to_string(),
                ))
            });
        let item_text = text.clone();
        let label = text.unwrap_or_else(|| link.to_string());
        let raw = RawScore {
            id: self.spanned(&format!("{p}/linkId"), id.clone()),
            label,
            description: None,
            questions: Spanned::new(0..0, Vec::new()),
            method: Method::Sum,
            reverse: Vec::new(),
            remap: None,
            lookup: None,
            transform: None,
            max_missing: 0,
            prorate: false,
            meaningful_change: None,
            bands: Vec::new(),
        };
        let span = self.at(p);
        self.scores.push((
            Spanned::new(span, raw),
            format!("{p}/extension/{ext}/valueExpression/expression"),
        ));
        Some(FhirItem::Score {
            link_id: link.to_string(),
            id,
            text: item_text,
            answer,
            loinc,
        })
    }

    fn question(
        &mut self,
        item: &Value,
        p: &str,
        link: &str,
        ty: &str,
        text: Option<String>,
        ctx: &Ctx,
    ) -> Option<FhirItem> {
        let repeats = item.get("repeats").and_then(Value::as_bool) == Some(true);
        let mut raw = RawQuestion {
            id: Spanned::new(0..0, String::new()),
            kind: Spanned::new(0..0, RawType::Text),
            text: text.unwrap_or_default(),
            help: None,
            required: item.get("required").and_then(Value::as_bool) == Some(true),
            scale: None,
            options: None,
            other: None,
            min: None,
            max: None,
            step: None,
            min_label: None,
            max_label: None,
            max_length: None,
            multiline: None,
            show_if: None,
            shown: ctx.shown.clone(),
        };
        let type_at = format!("{p}/type");
        let mut scored_here = false;
        let (kind, answer) = match ty {
            "choice" | "coding" => {
                let (opts, answer, all_scored) = self.answer_options(item, p)?;
                scored_here = all_scored && !repeats;
                self.options
                    .insert(link.to_string(), (opts.clone(), repeats));
                let at = if item.get("answerValueSet").is_some() {
                    format!("{p}/answerValueSet")
                } else {
                    format!("{p}/answerOption")
                };
                if scored_here {
                    // Scored options are a scale of their own: the number
                    // beside each option is its value and its key, as on
                    // paper (PHQ-9's 0 to 3), in the app and `joy score`.
                    // Named after its value set (shared by the questions
                    // using it) or its question.
                    let name = match str_at(item, "answerValueSet") {
                        Some(vs) => format!("valueset-{}", slug(vs)),
                        None => format!("options-{}", slug(link)),
                    };
                    let span = self.at(&at);
                    if !self.scales.keys().any(|k| k.get_ref() == &name) {
                        self.scales.insert(
                            Spanned::new(span.clone(), name.clone()),
                            Spanned::new(span.clone(), RawScale { options: opts }),
                        );
                    }
                    raw.scale = Some(Spanned::new(span, name));
                    (RawType::Scale, answer)
                } else {
                    raw.options = Some(self.spanned(&at, opts));
                    (
                        if repeats {
                            RawType::Multi
                        } else {
                            RawType::Choice
                        },
                        answer,
                    )
                }
            }
            "boolean" => {
                let span = self.at(p);
                let opts = vec![
                    RawOption {
                        label: crate::text::fhir::YES.to_string(),
                        value: Spanned::new(span.clone(), Scalar::Text("true".into())),
                        code: Some(Code::Boolean(true)),
                    },
                    RawOption {
                        label: crate::text::fhir::NO.to_string(),
                        value: Spanned::new(span.clone(), Scalar::Text("false".into())),
                        code: Some(Code::Boolean(false)),
                    },
                ];
                self.options.insert(link.to_string(), (opts.clone(), false));
                raw.options = Some(Spanned::new(span, opts));
                (RawType::Choice, FhirAnswer::Boolean)
            }
            "integer" | "decimal" => {
                let bound = |name: &str| {
                    extensions(item).iter().enumerate().find_map(|(i, e)| {
                        (str_at(e, "url") == Some(&format!("{SD}{name}")))
                            .then(|| (i, number_value(e)))
                    })
                };
                match (bound("minValue"), bound("maxValue")) {
                    (Some((i, Some(lo))), Some((j, Some(hi)))) => {
                        raw.min = Some(self.spanned(&format!("{p}/extension/{i}"), Num(lo)));
                        raw.max = Some(self.spanned(&format!("{p}/extension/{j}"), Num(hi)));
                    }
                    _ => {
                        self.refuse(
                            p,
                            format!(
                                "an {ty} item needs the extensions minValue and maxValue ({SD}minValue), \
                                 so the app can offer its range"
                            ),
                        );
                        return None;
                    }
                }
                let step = if ty == "integer" {
                    1.0
                } else {
                    let places = extensions(item)
                        .iter()
                        .find(|e| str_at(e, "url") == Some(&format!("{SD}maxDecimalPlaces")))
                        .and_then(|e| e.get("valueInteger"))
                        .and_then(Value::as_i64)
                        .unwrap_or(1)
                        .clamp(0, 6);
                    10f64.powi(-(places as i32))
                };
                raw.step = Some(self.spanned(p, Num(step)));
                (
                    RawType::Number,
                    if ty == "integer" {
                        FhirAnswer::Integer
                    } else {
                        FhirAnswer::Decimal
                    },
                )
            }
            "string" | "text" => {
                if let Some(n) = item.get("maxLength").and_then(Value::as_u64) {
                    raw.max_length = Some(self.spanned(&format!("{p}/maxLength"), n as usize));
                }
                if ty == "text" {
                    raw.multiline = Some(self.spanned(&type_at, true));
                }
                (RawType::Text, FhirAnswer::String)
            }
            "" => {
                self.refuse(p, "this item has no \"type\"");
                return None;
            }
            other => {
                self.refuse(
                    &type_at,
                    format!(
                        "items of type \"{other}\" are not supported; this app asks choice, coding, boolean, \
                         integer, decimal, string and text questions (and shows group and display items)"
                    ),
                );
                return None;
            }
        };
        if repeats && kind != RawType::Multi {
            self.refuse(
                &format!("{p}/repeats"),
                format!("a {ty} item that repeats is not supported: only choice questions may take several answers"),
            );
            return None;
        }
        let id = self.make_id(link);
        if scored_here {
            let span = self.at(&format!("{p}/linkId"));
            self.scored.push((id.clone(), span));
        }
        let mut help: Vec<String> = ctx.stem.clone();
        help.append(&mut self.pending);
        raw.help = (!help.is_empty()).then(|| help.join("\n"));
        raw.id = self.spanned(&format!("{p}/linkId"), id.clone());
        raw.kind = self.spanned(&type_at, kind);
        let span = self.at(p);
        self.questions.push(Spanned::new(span, raw));
        Some(FhirItem::Question {
            link_id: link.to_string(),
            id,
            answer,
        })
    }

    /// An item's options, from `answerOption` or a contained value set;
    /// true when every one carries an ordinal value or weight.
    fn answer_options(
        &mut self,
        item: &Value,
        p: &str,
    ) -> Option<(Vec<RawOption>, FhirAnswer, bool)> {
        // (pointer of the option, the value, its label, its code, ordinal and where)
        let mut found: Vec<Found> = Vec::new();
        match (item.get("answerOption"), str_at(item, "answerValueSet")) {
            (Some(Value::Array(opts)), None) => {
                for (i, o) in opts.iter().enumerate() {
                    let op = format!("{p}/answerOption/{i}");
                    self.check_extensions(o, &op);
                    let (code, label) = if let Some(c) = o.get("valueCoding") {
                        let Some(code) = str_at(c, "code") else {
                            self.refuse(
                                &format!("{op}/valueCoding"),
                                "this coding has no \"code\"",
                            );
                            continue;
                        };
                        (
                            Code::Coding {
                                system: str_at(c, "system")
                                    .map(str::to_string)
                                    .or_else(|| loinc_answer(code).then(|| LOINC.to_string())),
                                code: code.to_string(),
                            },
                            str_at(c, "display").unwrap_or(code).to_string(),
                        )
                    } else if let Some(s) = str_at(o, "valueString") {
                        (Code::Text(s.to_string()), s.to_string())
                    } else if let Some(n) = o.get("valueInteger").and_then(Value::as_i64) {
                        (Code::Integer(n), n.to_string())
                    } else {
                        self.refuse(
                            &op,
                            "only valueCoding, valueString and valueInteger options are supported",
                        );
                        continue;
                    };
                    let ordinal = ordinal_of(o, &op).or_else(|| {
                        o.get("valueCoding")
                            .and_then(|c| ordinal_of(c, &format!("{op}/valueCoding")))
                    });
                    found.push((op, code, label, ordinal));
                }
            }
            (None, Some(vs)) => {
                let Some(cp) = self.contained.get(vs).cloned() else {
                    self.refuse(
                        &format!("{p}/answerValueSet"),
                        format!(
                            "the value set \"{vs}\" is not in this file; only a ValueSet in \"contained\" \
                             (answerValueSet \"#its-id\") can be read, as there is no terminology server here"
                        ),
                    );
                    return None;
                };
                return self.value_set(&cp);
            }
            (Some(_), Some(_)) => {
                self.refuse(
                    p,
                    "this item has both answerOption and answerValueSet: keep one",
                );
                return None;
            }
            _ => {
                self.refuse(p, "a choice item needs answerOption or answerValueSet");
                return None;
            }
        }
        self.finish_options(found)
    }

    /// The options of a contained `ValueSet` (at `cp`): every
    /// `compose.include[].concept[]`, in order.
    fn value_set(&mut self, cp: &str) -> Option<(Vec<RawOption>, FhirAnswer, bool)> {
        let root = self.root;
        let vs = root.pointer(cp)?;
        if str_at(vs, "resourceType") != Some("ValueSet") {
            self.refuse(
                cp,
                "answerValueSet names a contained resource that is not a ValueSet",
            );
            return None;
        }
        let mut found = Vec::new();
        let includes = vs
            .pointer("/compose/include")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        for (j, inc) in includes.iter().enumerate() {
            let ip = format!("{cp}/compose/include/{j}");
            if inc.get("filter").is_some() || inc.get("valueSet").is_some() {
                self.refuse(
                    &ip,
                    "a value set made by a filter or from other value sets cannot be read here: list its concepts",
                );
                continue;
            }
            let system = str_at(inc, "system").map(str::to_string);
            let concepts = inc
                .get("concept")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            for (k, c) in concepts.iter().enumerate() {
                let op = format!("{ip}/concept/{k}");
                let Some(code) = str_at(c, "code") else {
                    self.refuse(&op, "this concept has no \"code\"");
                    continue;
                };
                let label = str_at(c, "display").unwrap_or(code).to_string();
                let ordinal = ordinal_of(c, &op);
                found.push((
                    op,
                    Code::Coding {
                        system: system.clone(),
                        code: code.to_string(),
                    },
                    label,
                    ordinal,
                ));
            }
        }
        if found.is_empty() {
            self.refuse(
                &format!("{cp}/compose"),
                "this value set lists no concepts (compose.include.concept)",
            );
            return None;
        }
        self.finish_options(found)
    }

    fn finish_options(&mut self, found: Vec<Found>) -> Option<(Vec<RawOption>, FhirAnswer, bool)> {
        let with = found.iter().filter(|f| f.3.is_some()).count();
        if with > 0 && with < found.len() {
            let missing = found
                .iter()
                .find(|f| f.3.is_none())
                .map(|f| f.0.clone())
                .unwrap_or_default();
            self.refuse(
                &missing,
                "this option has no ordinalValue or itemWeight while others of the question have one: \
                 give every option its score, or none",
            );
            return None;
        }
        let scored = with > 0 && with == found.len();
        let answer = match found.first().map(|f| &f.1) {
            Some(Code::Text(_)) => FhirAnswer::String,
            Some(Code::Integer(_)) => FhirAnswer::Integer,
            _ => FhirAnswer::Coding,
        };
        let opts = found
            .into_iter()
            .map(|(op, code, label, ordinal)| {
                let (value, at) = match (ordinal, &code) {
                    (Some((n, at)), _) => (Scalar::Number(n), at),
                    (None, Code::Integer(n)) => (Scalar::Number(*n as f64), op),
                    (None, c) => (Scalar::Text(c.typed()), op),
                };
                RawOption {
                    label,
                    value: self.spanned(&at, value),
                    code: Some(code),
                }
            })
            .collect();
        Some((opts, answer, scored))
    }

    /// `enableWhen` and `enableBehavior` of an item, as one level.
    fn enable_when(&mut self, item: &Value, p: &str) -> Option<RawShown> {
        let list = item.get("enableWhen").and_then(Value::as_array)?;
        let any = match str_at(item, "enableBehavior") {
            Some("any") => true,
            Some("all") => false,
            None if list.len() <= 1 => false,
            None => {
                self.refuse(
                    p,
                    "this item has several enableWhen conditions but no enableBehavior: say \"all\" or \"any\"",
                );
                false
            }
            Some(other) => {
                self.refuse(
                    &format!("{p}/enableBehavior"),
                    format!("enableBehavior must be \"all\" or \"any\", not \"{other}\""),
                );
                false
            }
        };
        let mut tests = Vec::new();
        for (i, ew) in list.iter().enumerate() {
            let ep = format!("{p}/enableWhen/{i}");
            if let Some(t) = self.test(ew, &ep) {
                tests.push(t);
            }
        }
        Some(RawShown { any, tests })
    }

    fn test(&mut self, ew: &Value, ep: &str) -> Option<Spanned<RawTest>> {
        let target = str_at(ew, "question").unwrap_or("").to_string();
        let (answer_key, answer) = match ew
            .as_object()
            .and_then(|o| o.iter().find(|(k, _)| k.starts_with("answer")))
        {
            Some((k, v)) => (k.clone(), v.clone()),
            None => {
                self.refuse(ep, "this enableWhen has no answer[x] to compare with");
                return None;
            }
        };
        let ap = format!("{ep}/{answer_key}");
        let (opts, multi) = self.options.get(&target).cloned().unwrap_or_default();
        let value: Option<Scalar> = match answer_key.as_str() {
            "answerBoolean" => answer.as_bool().map(|b| Scalar::Text(b.to_string())),
            "answerInteger" | "answerDecimal" => answer.as_f64().map(Scalar::Number),
            "answerString" => answer.as_str().map(|s| Scalar::Text(s.to_string())),
            "answerCoding" => {
                let code = str_at(&answer, "code").unwrap_or("");
                let system =
                    str_at(&answer, "system").or_else(|| loinc_answer(code).then_some(LOINC));
                let hit = opts.iter().find(|o| match &o.code {
                    Some(Code::Coding { system: s, code: c }) => {
                        c == code && (system.is_none() || s.is_none() || s.as_deref() == system)
                    }
                    _ => false,
                });
                match hit {
                    Some(o) => Some(o.value.get_ref().clone()),
                    None => {
                        self.refuse(
                            &ap,
                            format!("question \"{target}\" has no option with the code \"{code}\" (or it is not an earlier question)"),
                        );
                        return None;
                    }
                }
            }
            other => {
                self.refuse(&ap, format!("{other} is not supported in enableWhen"));
                return None;
            }
        };
        let Some(value) = value else {
            self.refuse(&ap, format!("{answer_key} has a value of the wrong kind"));
            return None;
        };
        let number = || value.as_number().map(Num);
        let op = str_at(ew, "operator").unwrap_or("");
        let mut t = RawTest {
            question: Some(
                self.spanned(
                    &format!("{ep}/question"),
                    self.ids
                        .get(&target)
                        .cloned()
                        .filter(|s| !s.is_empty())
                        .unwrap_or(target.clone()),
                ),
            ),
            ..RawTest::default()
        };
        let numeric = |s: &mut Self, what: &str| {
            s.refuse(
                &ap,
                format!(
                    "the operator {what} compares numbers: give answerInteger or answerDecimal"
                ),
            );
        };
        match op {
            "exists" => match &value {
                Scalar::Text(b) if answer_key == "answerBoolean" => t.answered = Some(b == "true"),
                _ => {
                    self.refuse(&ap, "the operator exists takes answerBoolean");
                    return None;
                }
            },
            "=" if multi => t.includes = Some(value),
            "=" => t.equals = Some(value),
            "!=" if multi => {
                self.refuse(
                    &format!("{ep}/operator"),
                    format!("!= on question \"{target}\", which takes several answers, is not supported"),
                );
                return None;
            }
            "!=" => t.not_equals = Some(value),
            ">" | "<" | ">=" | "<=" if answer_key == "answerCoding" => {
                self.refuse(
                    &format!("{ep}/operator"),
                    format!("the operator {op} compares numbers; a coding has no order in FHIR: use = or != with answerCoding"),
                );
                return None;
            }
            ">" | "<" | ">=" | "<=" => {
                let Some(n) = number() else {
                    numeric(self, op);
                    return None;
                };
                match op {
                    ">" => t.above = Some(n),
                    "<" => t.below = Some(n),
                    ">=" => t.at_least = Some(n),
                    _ => t.at_most = Some(n),
                }
            }
            other => {
                self.refuse(
                    &format!("{ep}/operator"),
                    format!("the operator \"{other}\" is not known; FHIR's are exists, =, !=, >, <, >= and <="),
                );
                return None;
            }
        }
        Some(self.spanned(ep, t))
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

/// A LOINC answer code (`LA6568-5`): LHC-Forms files leave out the system
/// of their options' codings, which are LOINC's.
fn loinc_answer(code: &str) -> bool {
    code.strip_prefix("LA").is_some_and(|rest| {
        rest.split_once('-').is_some_and(|(n, check)| {
            !n.is_empty()
                && n.chars().all(|c| c.is_ascii_digit())
                && check.len() == 1
                && check.chars().all(|c| c.is_ascii_digit())
        })
    })
}

/// An ordinal value or weight on `v` (an option, a coding or a concept),
/// with the pointer of its extension.
fn ordinal_of(v: &Value, p: &str) -> Option<(f64, String)> {
    extensions(v).iter().enumerate().find_map(|(i, e)| {
        let url = str_at(e, "url")?;
        let name = short(url)?;
        (name == "ordinalValue" || name == "itemWeight")
            .then(|| number_value(e).map(|n| (n, format!("{p}/extension/{i}"))))
            .flatten()
    })
}

/// An option as read: its pointer, code, label, and ordinal value or
/// weight with the pointer of its extension.
type Found = (String, Code, String, Option<(f64, String)>);

/// What an item inherits from the groups around it.
#[derive(Clone, Default)]
struct Ctx {
    /// The groups' words (the stem: "Over the last two weeks...").
    stem: Vec<String>,
    /// The groups' conditions.
    shown: Vec<RawShown>,
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
