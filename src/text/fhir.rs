//! Words for questionnaires read from FHIR files.

/// The support shown with every score of a FHIR questionnaire that has no
/// companion file giving its bands (a low score cannot be told from a high
/// one, and a low score must always come with support).
pub const GENERAL_SIGNPOSTING: &str = "\
This questionnaire came without bands, so this app cannot say whether your score is low. \
If you are struggling, you do not have to manage this alone:
- Talk to your line manager, a supervisor or a colleague you trust.
- Contact your occupational health service.
- Your local NHS staff mental health and wellbeing hub offers free, confidential support.
- Samaritans: call 116 123, free, any time, day or night.
- NHS 111 for urgent help that is not an emergency.
- In an emergency, or if you feel unable to keep yourself safe, call 999.";

/// The licence text of a FHIR file without `copyright`.
pub const NO_COPYRIGHT: &str = "Copyright: not stated in its FHIR file.";

/// The two options of a FHIR `boolean` question.
pub const YES: &str = "Yes";
pub const NO: &str = "No";

/// The warning of `joy validate` for a scored FHIR questionnaire without a
/// companion file.
pub fn no_companion_warning(file: &str, companion: &str) -> String {
    format!(
        "{file}: warning: this questionnaire has scores but no companion file ({companion}) giving their bands, \
         so the app cannot tell a low score and shows the general support text with every score. \
         Add {companion} with [[scores]] bands and `signposting` (see questionnaires/README.md, \"FHIR questionnaires\")."
    )
}

/// The warning of `joy validate` for a question counted in a score that a
/// person may skip (FHIR's `required` is false unless the file says so).
pub fn optional_scored_warning(file: &str, question: &str, score: &str) -> String {
    format!(
        "{file}: warning: question \"{question}\" is counted in score \"{score}\" but may be skipped \
         (the file does not say \"required\": true): a skipped answer leaves no score. \
         If that is not meant, make it required in the FHIR file, or set `max_missing` for the score in the companion."
    )
}

/// What `joy convert` says the TOML format cannot keep.
pub const CONVERT_CODES_LOST: &str =
    "the options' FHIR codes (LOINC and others) are not kept in TOML: \
     an export of check-ins on the converted file writes codes of its own";

/// What `joy convert` says of the id the TOML file keeps.
pub fn convert_same_id(id: &str) -> String {
    format!(
        "the TOML file keeps the id \"{id}\": in your questionnaires folder keep it or the FHIR file, not both \
         (two files with one id are refused), or give the TOML file a new id"
    )
}
