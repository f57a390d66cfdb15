//! Reading a questionnaire file: size and encoding checks, and TOML parsing
//! into the draft (a FHIR file goes to [`super::fhir`]); the draft is then
//! checked by the one validator, [`super::validate`]. All errors in a file
//! are collected, each with its place and a message a non-programmer can
//! act on.

use super::file::*;
use super::model::*;
use sha2::{Digest, Sha256};
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
pub use super::validate::{valid_id, validate, MAX_COPIED_OPTIONS, MAX_SCORED_VALUES};

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
    load_str(name, utf8(name, bytes)?)
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

pub fn hex_sha256(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
