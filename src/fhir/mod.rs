//! FHIR R4 out and in (issue 19 §3): a person's own check-ins as a `Bundle`
//! of `QuestionnaireResponse`s, and such a bundle (or one response) taken
//! back into the personal history, validated against the questionnaire it
//! names and scored again.
//!
//! Only a person's own history goes out: anonymous kiosk entries and team
//! reflections belong to nobody and are only ever shown as released
//! figures, so the export reads the local person's check-ins alone.
//!
//! The project's own questionnaires have no FHIR canonical URL; one is made
//! from the id and version: `urn:joy-kiosk:questionnaire:who5|1998`. An
//! option's coding has the system `urn:joy-kiosk:questionnaire:who5:cheerful`
//! and the option's value as its code. Scores go out as items of their own
//! (`linkId` `score.wellbeing`, a `valueDecimal`): on the way in they are
//! ignored and scored again from the answers.

pub mod import;
pub mod out;

use crate::questionnaire::Questionnaire;

/// The prefix of the canonical URL made for a questionnaire of our own.
pub const CANONICAL_PREFIX: &str = "urn:joy-kiosk:questionnaire:";

/// The `meta.tag` that marks demo data (made by `joy demo`), so it stays
/// marked after an import.
pub const DEMO_TAG_SYSTEM: &str = "urn:joy-kiosk:tag";
pub const DEMO_TAG_CODE: &str = "demo";

/// The `linkId` prefix of a score's item.
pub const SCORE_LINK: &str = "score.";

/// The system of a response's `identifier`.
pub const CHECKIN_SYSTEM: &str = "urn:joy-kiosk:checkin";

/// A check-in's identity across exports and imports: a UUID made from what
/// it is (its questionnaire, time and answers), so the same check-in has the
/// same one on every machine it passes through (name-based, version 8).
pub fn checkin_uuid(r: &crate::model::CheckinRecord) -> String {
    let values: Vec<(&str, &serde_json::Value)> = r
        .answers
        .iter()
        .map(|a| (a.question_id.as_str(), &a.value))
        .collect();
    let key = format!(
        "{}|{}|{}",
        r.questionnaire_id,
        r.completed_at.timestamp_millis(),
        serde_json::to_string(&values).unwrap_or_default()
    );
    uuid_from(&key)
}

/// A UUID made from another and a name (an `Observation` of a response's
/// total): the same on every export.
pub fn derived_uuid(uuid: &str, name: &str) -> String {
    uuid_from(&format!("{uuid}/{name}"))
}

/// A name-based UUID (version 8) of a text: the first 16 bytes of its
/// SHA-256, with the version and variant bits set.
fn uuid_from(key: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut b: [u8; 16] = Sha256::digest(key.as_bytes())[..16]
        .try_into()
        .unwrap_or([0; 16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// `urn:joy-kiosk:questionnaire:ID|VERSION`.
pub fn canonical(q_id: &str, version: &str) -> String {
    format!("{CANONICAL_PREFIX}{q_id}|{version}")
}

/// The coding system of question `question`'s options.
pub fn option_system(q: &Questionnaire, question: &str) -> String {
    format!("{CANONICAL_PREFIX}{}:{question}", q.id)
}

/// (id, version) of a canonical URL made by [`canonical`] (the version is
/// optional, as FHIR allows).
pub fn parse_canonical(url: &str) -> Option<(&str, Option<&str>)> {
    let rest = url.strip_prefix(CANONICAL_PREFIX)?;
    Some(match rest.split_once('|') {
        Some((id, v)) => (id, Some(v)),
        None => (rest, None),
    })
}
