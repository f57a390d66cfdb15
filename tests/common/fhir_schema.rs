//! HL7's R4 schema check, for the FHIR tests only (`#[path]`-included, so
//! other test binaries do not link `jsonschema`).
#![allow(dead_code)]

/// HL7's R4 JSON schema, pruned to what a bundle of responses and
/// observations reaches (tests/fixtures/fhir/; no network).
pub fn r4_schema() -> jsonschema::Validator {
    let text = include_str!("../fixtures/fhir/r4-bundle.schema.json");
    let schema: serde_json::Value = serde_json::from_str(text).unwrap();
    jsonschema::draft6::new(&schema).expect("HL7's R4 schema compiles")
}

pub fn assert_valid_r4(v: &serde_json::Value) {
    let validator = r4_schema();
    let errors: Vec<String> = validator
        .iter_errors(v)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .take(10)
        .collect();
    assert!(errors.is_empty(), "not valid FHIR R4: {errors:#?}");
}
