//! FHIR R4 `Questionnaire` files in (issue 19 §1, §2, §4): real-world
//! shapes (HL7 SDC's PHQ-9 with a contained value set and a calculated
//! total, an LHC-Forms style PHQ-9 with LOINC answer codes and ordinal
//! values on its options, a GAD-7 with item weights) load through the one
//! validator, score every total as the published instruments do, take their
//! bands, flags and support from a companion file, and go out and back in
//! as FHIR unchanged. Every refusal names its JSON pointer.

mod common;
#[path = "common/fhir_schema.rs"]
mod fhir_schema;

use chrono::{Duration, TimeZone, Utc};
use common::{all_output, joy_at};
use fhir_schema::assert_valid_r4;
use joy_kiosk::model::NewCheckin;
use joy_kiosk::questionnaire::fhir::{companion_path, load as load_fhir};
use joy_kiosk::questionnaire::{
    load_path, score, AnswerValue, Answers, Catalog, FhirItem, Kind, Questionnaire, Scalar, Tone,
};
use joy_kiosk::store::Store;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fhir/questionnaires")
        .join(name)
}

fn load(name: &str) -> Questionnaire {
    load_path(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e:#?}"))
}

fn text(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).unwrap()
}

/// The questions a plain sum adds up (those with scored options), in order.
fn scored_questions(q: &Questionnaire) -> Vec<String> {
    q.scores[0].questions.clone()
}

/// Answers giving the items the values `values` (by position among the
/// scored questions); other questions left unanswered.
fn answers_with(q: &Questionnaire, values: &[f64]) -> Answers {
    let mut a = Answers::new();
    for (id, v) in scored_questions(q).iter().zip(values) {
        a.insert(id.clone(), AnswerValue::Choice(Scalar::Number(*v)));
    }
    a
}

/// Every total from 0 to `max`, spread over `items` items of 0..=3 each,
/// and a few thousand mixed answers: the total is the plain sum, as the
/// published instrument scores it.
fn assert_scores_as_published(q: &Questionnaire, items: usize, max: f64) {
    assert_eq!(scored_questions(q).len(), items, "{}", q.id);
    assert_eq!(q.scores[0].range, (0.0, max), "{}", q.id);
    for total in 0..=(max as usize) {
        let mut left = total;
        let values: Vec<f64> = (0..items)
            .map(|_| {
                let v = left.min(3);
                left -= v;
                v as f64
            })
            .collect();
        let o = score(q, &answers_with(q, &values));
        assert_eq!(
            o.scores[0].value,
            Some(total as f64),
            "{} total {total}",
            q.id
        );
    }
    let mut rng = joy_kiosk::demo::Rng::new(19);
    for _ in 0..2000 {
        let values: Vec<f64> = (0..items)
            .map(|_| (rng.unit() * 4.0).floor().min(3.0))
            .collect();
        let o = score(q, &answers_with(q, &values));
        assert_eq!(o.scores[0].value, Some(values.iter().sum()), "{}", q.id);
    }
    // One item unanswered: no total (as the instruments say), not a low one.
    let o = score(q, &answers_with(q, &vec![3.0; items - 1]));
    assert_eq!(o.scores[0].value, None, "{}", q.id);
}

#[test]
fn sdc_lhc_and_gad7_score_every_total_as_the_published_instruments() {
    let sdc = load("sdc-phq9.json");
    assert_scores_as_published(&sdc, 9, 27.0);
    let lhc = load("lhc-phq9.json");
    assert_scores_as_published(&lhc, 9, 27.0);
    let gad = load("gad7.json");
    assert_scores_as_published(&gad, 7, 21.0);

    // The SDC file: items in its group, options from the contained value
    // set, coded in LOINC; the group's words come with each question.
    let q1 = sdc
        .question("h1-t1-q1")
        .expect("H1/T1/Q1 has an id made from it");
    assert_eq!(q1.kind.options().len(), 4);
    assert_eq!(q1.kind.options()[2].label, "More than half the days");
    assert!(q1
        .help
        .as_deref()
        .unwrap()
        .starts_with("Over the last two weeks"));
    let shape = sdc.fhir.as_deref().unwrap();
    assert_eq!(shape.link_id("h1-t1-q1"), Some("H1/T1/Q1"));
    assert!(matches!(&shape.items[0], FhirItem::Group { items, .. } if items.len() == 10));
    // The LHC file: its difficulty question has no ordinal values, so it is
    // asked but not added up; its answer codes are LOINC's.
    assert!(lhc.question("69722-7").is_some());
    assert!(!scored_questions(&lhc).contains(&"69722-7".to_string()));
    // GAD-7: the display item before the questions is their instruction.
    assert!(gad
        .instructions
        .as_deref()
        .unwrap()
        .contains("Over the last 2 weeks"));
}

#[test]
fn a_companion_file_gives_bands_flags_and_support_and_without_one_support_comes_with_every_score() {
    let lhc = load("lhc-phq9.json");
    assert_eq!(
        lhc.fhir.as_deref().unwrap().companion.as_deref(),
        Some(companion_path(&fixture("lhc-phq9.json")).to_str().unwrap())
    );
    // 12: moderate, an alert band with the companion's support.
    let o = score(
        &lhc,
        &answers_with(&lhc, &[3.0, 3.0, 3.0, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0]),
    );
    let band = o.scores[0].band.as_ref().unwrap();
    assert_eq!(
        (band.label.as_str(), band.tone),
        ("Moderate symptoms", Tone::Alert)
    );
    assert!(o.signposting(&lhc)[0].contains("Samaritans"));
    // Item 9 (thoughts of self-harm) above "not at all": the alert flag,
    // named by its linkId in the companion, whatever the total.
    let mut a = answers_with(&lhc, &[0.0; 9]);
    a.insert("44260-8".into(), AnswerValue::Choice(Scalar::Number(1.0)));
    let o = score(&lhc, &a);
    assert_eq!(o.flags.len(), 1);
    assert_eq!(o.flags[0].tone, Tone::Alert);
    assert!(!o.signposting(&lhc).is_empty());
    // A total of 0 with the companion: a good band, no support pressed on.
    let o = score(&lhc, &answers_with(&lhc, &[0.0; 9]));
    assert!(o.signposting(&lhc).is_empty());

    // The SDC file has no companion: even a total of 0 comes with support,
    // since nothing says whether it is low.
    let sdc = load("sdc-phq9.json");
    assert!(sdc.fhir.as_deref().unwrap().support_with_every_score);
    let o = score(&sdc, &answers_with(&sdc, &[0.0; 9]));
    assert_eq!(
        o.signposting(&sdc),
        vec![joy_kiosk::text::fhir::GENERAL_SIGNPOSTING]
    );
}

#[test]
fn joy_validate_warns_of_a_scored_fhir_file_without_a_companion_and_still_passes_it() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("q");
    std::fs::create_dir(&dir).unwrap();
    for f in ["sdc-phq9.json", "lhc-phq9.json", "lhc-phq9.companion.toml"] {
        std::fs::copy(fixture(f), dir.join(f)).unwrap();
    }
    let o = joy_at(home.path(), &["validate", dir.to_str().unwrap()], &[]);
    let out = all_output(&o);
    assert!(o.status.success(), "{out}");
    assert!(
        out.contains("2 files checked: 2 valid"),
        "the companion is no questionnaire: {out}"
    );
    assert!(
        out.contains("sdc-phq9.json: warning:") && out.contains("sdc-phq9.companion.toml"),
        "{out}"
    );
    assert!(
        !out.contains("lhc-phq9.companion.toml) giving"),
        "it has its companion: {out}"
    );
    // The LHC file leaves item 9 optional: skipping it leaves no total.
    assert!(
        out.contains("lhc-phq9.json: warning: question \"/44260-8\" is counted in score \"/44261-6\" but may be skipped"),
        "{out}"
    );
    // The catalog the app reads holds both, the companion not as a file.
    let cat = Catalog::load(std::slice::from_ref(&dir));
    assert!(cat.failures.is_empty(), "{:?}", cat.failures);
    assert!(
        cat.get("44249-1-x").is_some()
            && cat.get("questionnaire-sdc-profile-example-phq9").is_some()
    );
    // A companion without its FHIR file is an error, not silence.
    std::fs::write(dir.join("gone.companion.toml"), "minutes = 2\n").unwrap();
    let o = joy_at(home.path(), &["validate", dir.to_str().unwrap()], &[]);
    let out = all_output(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains(
            "gone.companion.toml:1:1: this companion file has no FHIR questionnaire beside it"
        ),
        "{out}"
    );
}

/// A fixture, a change to it, and the problem it must be refused with.
type Case = (&'static str, Box<dyn FnOnce(&mut Value)>, &'static str);

/// The SDC file, changed by `edit`, loaded: its problems as text.
fn refusal(base: &str, edit: impl FnOnce(&mut Value), companion: Option<&str>) -> String {
    let mut v: Value = serde_json::from_str(&text(base)).unwrap();
    edit(&mut v);
    let t = serde_json::to_string_pretty(&v).unwrap();
    match load_fhir("x.json", &t, companion.map(|c| ("x.companion.toml", c))) {
        Ok(_) => panic!("loaded"),
        Err(d) => d
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

#[test]
fn what_cannot_be_asked_or_scored_as_the_file_means_is_refused_at_its_pointer() {
    let cases: Vec<Case> = vec![
        (
            "sdc-phq9.json",
            Box::new(|v| {
                v["item"][0]["item"][9]["extension"][0]["valueExpression"]["expression"] =
                    json!("iif(%resource.answers().count() < 9, {}, %resource.answers().value.ordinal().sum())")
            }),
            "x.json:/item/0/item/9/extension/0/valueExpression/expression: only a plain sum",
        ),
        (
            "sdc-phq9.json",
            Box::new(|v| v["item"][0]["item"][0]["answerValueSet"] = json!("http://loinc.org/vs/LL358-3")),
            "x.json:/item/0/item/0/answerValueSet: the value set \"http://loinc.org/vs/LL358-3\" is not in this file",
        ),
        (
            "sdc-phq9.json",
            Box::new(|v| v["item"][0]["item"][1]["type"] = json!("date")),
            "x.json:/item/0/item/1/type: items of type \"date\" are not supported",
        ),
        (
            "sdc-phq9.json",
            Box::new(|v| {
                v["item"][0]["item"][2]["modifierExtension"] = json!([{"url": "http://example.org/x", "valueBoolean": true}])
            }),
            "x.json:/item/0/item/2/modifierExtension: a modifier extension",
        ),
        (
            "sdc-phq9.json",
            Box::new(|v| {
                v["item"][0]["item"][3]["enableWhen"] =
                    json!([{"question": "H1/T1/Q8", "operator": "exists", "answerBoolean": true}])
            }),
            "x.json:/item/0/item/3/enableWhen/0/question: question \"h1-t1-q4\": `enableWhen` refers to \"H1/T1/Q8\", which is not an earlier question",
        ),
        (
            "sdc-phq9.json",
            Box::new(|v| {
                v["item"][0]["item"][3]["extension"] = json!([{
                    "url": "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression",
                    "valueExpression": {"language": "text/fhirpath", "expression": "true"}
                }])
            }),
            "x.json:/item/0/item/3/extension/0: a condition written as an expression",
        ),
        (
            "lhc-phq9.json",
            Box::new(|v| v["item"][0]["answerOption"][2]["extension"].as_array_mut().unwrap().truncate(1)),
            "x.json:/item/0/answerOption/2: this option has no ordinalValue or itemWeight",
        ),
        (
            "sdc-phq9.json",
            Box::new(|v| v["contained"][0]["compose"]["include"][0]["concept"][1]["extension"][0]["valueDecimal"] = json!(0)),
            "x.json:/contained/0/compose/include/0/concept/1/extension/0: scale \"valueset-vsphq9\": two options have the value 0",
        ),
        (
            "lhc-phq9.json",
            Box::new(|v| v["item"][6]["answerOption"][1]["extension"][1]["valueDecimal"] = json!("1")),
            "x.json:/item/6/answerOption/1/extension/1: this ordinalValue or itemWeight is not a number",
        ),
        (
            "sdc-phq9.json",
            Box::new(|v| v["resourceType"] = json!("QuestionnaireResponse")),
            "x.json:/resourceType: a questionnaire file in JSON must be a FHIR R4 Questionnaire",
        ),
        (
            "sdc-phq9.json",
            Box::new(|v| v["item"][0]["item"][4]["linkId"] = json!("H1/T1/Q1")),
            "x.json:/item/0/item/4/linkId: linkId \"H1/T1/Q1\" is used twice",
        ),
    ];
    for (base, edit, want) in cases {
        let got = refusal(base, edit, None);
        assert!(got.contains(want), "want {want}\ngot {got}");
    }
    // The companion's problems are at its own line and column.
    let got = refusal(
        "sdc-phq9.json",
        |_| {},
        Some("minutes = 2\n\n[[scores]]\nid = \"H1/TX\"\nlabel = \"x\"\n"),
    );
    assert!(
        got.contains("x.companion.toml:3:1: the FHIR file has no calculated score \"H1/TX\"; its scores (by linkId) are: H1/TS"),
        "{got}"
    );
    let got = refusal(
        "sdc-phq9.json",
        |_| {},
        Some("[[scores]]\nid = \"H1/TS\"\nbands = [{ min = 0, max = 9, label = \"Low\", tone = \"good\", message = \"m\" }]\n"),
    );
    assert!(got.contains("x.companion.toml:3:"), "{got}");
    assert!(
        got.contains("uncovered: no band holds 10"),
        "one validator, every rule: {got}"
    );
    let got = refusal("sdc-phq9.json", |_| {}, Some("minutes = \n"));
    assert!(got.contains("x.companion.toml:1:"), "{got}");
}

/// A small file of every supported type and `enableWhen` operator.
fn every_type() -> Value {
    json!({
        "resourceType": "Questionnaire",
        "id": "every-type",
        "url": "https://example.nhs.uk/fhir/Questionnaire/every-type",
        "version": "2",
        "title": "Every type (test)",
        "extension": [{"url": "urn:joy-kiosk:questionnaire-kind", "valueCode": "personal"}],
        "item": [
            {"linkId": "shift", "type": "boolean", "text": "Night shift?", "required": true},
            {"linkId": "hours", "type": "integer", "text": "Hours slept", "required": true,
             "extension": [
                {"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueInteger": 0},
                {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueInteger": 14}]},
            {"linkId": "role", "type": "choice", "text": "Role", "answerOption": [
                {"valueString": "nurse"}, {"valueString": "doctor"}, {"valueString": "other"}]},
            {"linkId": "tired", "type": "text", "text": "Why so little sleep?",
             "enableWhen": [{"question": "hours", "operator": "<", "answerInteger": 5}]},
            {"linkId": "night", "type": "string", "text": "What helps on nights?", "maxLength": 40,
             "enableWhen": [{"question": "shift", "operator": "=", "answerBoolean": true}]},
            {"linkId": "either", "type": "group", "text": "Nurses, or anyone who slept 8 hours or more",
             "enableBehavior": "any",
             "enableWhen": [
                {"question": "role", "operator": "=", "answerString": "nurse"},
                {"question": "hours", "operator": ">=", "answerInteger": 8}],
             "item": [
                {"linkId": "tags", "type": "choice", "repeats": true, "text": "What went well?", "answerOption": [
                    {"valueCoding": {"system": "urn:x", "code": "team", "display": "Team"}},
                    {"valueCoding": {"system": "urn:x", "code": "break", "display": "A break"}}]},
                {"linkId": "rate", "type": "decimal", "text": "Rate the shift",
                 "enableWhen": [{"question": "role", "operator": "!=", "answerString": "other"}],
                 "extension": [
                    {"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueDecimal": 0},
                    {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueDecimal": 10}]}
             ]},
            {"linkId": "more", "type": "text", "text": "Anything else?", "enableBehavior": "all",
             "enableWhen": [
                {"question": "hours", "operator": ">", "answerInteger": 2},
                {"question": "hours", "operator": "<=", "answerInteger": 12},
                {"question": "tags", "operator": "exists", "answerBoolean": true}]}
        ]
    })
}

#[test]
fn every_enable_when_operator_and_behaviour_decides_what_is_asked() {
    let t = serde_json::to_string(&every_type()).unwrap();
    let q = load_fhir("every.json", &t, None).unwrap_or_else(|e| panic!("{e:#?}"));
    assert_eq!(q.kind, Kind::Personal);
    let shown = |a: &[(&str, AnswerValue)]| -> Vec<String> {
        let answers: Answers = a.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
        q.visible_indices(&answers)
            .into_iter()
            .map(|i| q.questions[i].id.clone())
            .filter(|id| id != "note")
            .collect()
    };
    let yes = AnswerValue::Choice(Scalar::Text("true".into()));
    let no = AnswerValue::Choice(Scalar::Text("false".into()));
    let role = |r: &str| AnswerValue::Choice(Scalar::Text(r.into()));
    // 4 hours, a doctor, days: `<` shows "tired", `=` on a boolean hides
    // "night"; neither "any" condition of the group holds; "more" needs
    // an answer to "tags" as well.
    assert_eq!(
        shown(&[
            ("shift", no.clone()),
            ("hours", AnswerValue::Number(4.0)),
            ("role", role("doctor"))
        ]),
        ["shift", "hours", "role", "tired"]
    );
    // Nights, 9 hours, other: `=` true shows "night"; `>=` 8 opens the
    // group ("any"), but `!=` other hides "rate".
    assert_eq!(
        shown(&[
            ("shift", yes.clone()),
            ("hours", AnswerValue::Number(9.0)),
            ("role", role("other"))
        ]),
        ["shift", "hours", "role", "night", "tags"]
    );
    // A nurse, 3 hours, tags ticked: the group opens by role; all three of
    // "more"'s conditions hold.
    let tags = AnswerValue::Multi {
        values: vec![Scalar::Text("team".into())],
        other: None,
    };
    assert_eq!(
        shown(&[
            ("shift", no.clone()),
            ("hours", AnswerValue::Number(3.0)),
            ("role", role("nurse")),
            ("tags", tags.clone())
        ]),
        ["shift", "hours", "role", "tired", "tags", "rate", "more"]
    );
    // 13 hours: `<=` 12 fails, so "more" is hidden even with tags.
    assert!(!shown(&[
        ("shift", no),
        ("hours", AnswerValue::Number(13.0)),
        ("role", role("nurse")),
        ("tags", tags)
    ])
    .contains(&"more".to_string()));
    // The team marker makes a team reflection (no private note).
    let mut v = every_type();
    v["extension"][0]["valueCode"] = json!("team");
    let team = load_fhir("t.json", &serde_json::to_string(&v).unwrap(), None).unwrap();
    assert_eq!(team.kind, Kind::Team);
    assert!(team.question("note").is_none());
}

fn history_of(q: &Questionnaire, n: usize) -> (Store, Vec<joy_kiosk::model::CheckinRecord>) {
    let mut store = Store::open_in_memory().unwrap();
    let me = store.local_respondent().unwrap();
    let t = Utc.with_ymd_and_hms(2026, 12, 1, 7, 30, 0).unwrap();
    let mut rng = joy_kiosk::demo::Rng::new(7);
    let rows: Vec<NewCheckin> = (0..n)
        .map(|i| {
            let mut a = joy_kiosk::demo::answers_at(q, i as f64 / n as f64, &mut rng);
            if i == 0 {
                a.insert(
                    "note".into(),
                    AnswerValue::Text("Hard week.\nBetter now.".into()),
                );
            }
            let at = t - Duration::days(i as i64);
            NewCheckin::from_outcome(q, &a, &score(q, &a), Some(me), at, at)
        })
        .collect();
    store.save_many(&rows).unwrap();
    let records = store.history(None, None).unwrap();
    (store, records)
}

#[test]
fn a_trusts_phq9_goes_out_as_valid_r4_with_its_own_codes_and_comes_back_unchanged() {
    for name in ["lhc-phq9.json", "sdc-phq9.json", "gad7.json"] {
        let q = load(name);
        let known = vec![q.clone()];
        let (_, before) = history_of(&q, 12);
        let now = Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap();
        let bundle =
            serde_json::to_value(joy_kiosk::fhir::out::bundle(&before, &known, now)).unwrap();
        assert_valid_r4(&bundle);
        let entries = bundle["entry"].as_array().unwrap();
        let responses: Vec<&Value> = entries
            .iter()
            .map(|e| &e["resource"])
            .filter(|r| r["resourceType"] == "QuestionnaireResponse")
            .collect();
        assert_eq!(responses.len(), 12, "{name}");
        let r = responses[0];
        match name {
            "lhc-phq9.json" => {
                // No url or version in the file: a canonical made from its id.
                assert_eq!(r["questionnaire"], "urn:joy-kiosk:questionnaire:44249-1-x");
                assert_eq!(r["item"][0]["linkId"], "/44250-9");
                let c = &r["item"][0]["answer"][0]["valueCoding"];
                // LHC-Forms leaves out the system of LOINC answer codes.
                assert_eq!(c["system"], "http://loinc.org", "{c}");
                assert!(c["code"].as_str().unwrap().starts_with("LA"), "{c}");
                let total = r["item"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|i| i["linkId"] == "/44261-6")
                    .unwrap();
                assert!(total["answer"][0]["valueDecimal"].is_number(), "{total}");
            }
            "sdc-phq9.json" => {
                assert_eq!(
                    r["questionnaire"],
                    "http://hl7.org/fhir/uv/sdc/Questionnaire/questionnaire-sdc-profile-example-PHQ9"
                );
                // Nested as the file nests them; the total a quantity.
                let group = &r["item"][0];
                assert_eq!(group["linkId"], "H1/T1");
                assert_eq!(group["item"][0]["linkId"], "H1/T1/Q1");
                assert_eq!(
                    group["item"][0]["answer"][0]["valueCoding"]["system"],
                    "http://loinc.org"
                );
                assert_eq!(group["item"][9]["linkId"], "H1/TS");
                assert!(group["item"][9]["answer"][0]["valueQuantity"]["value"].is_number());
            }
            _ => {
                assert_eq!(
                    r["questionnaire"],
                    "https://example.nhs.uk/fhir/Questionnaire/gad7|1.0.0"
                );
            }
        }
        // The note goes with it, its line break kept.
        assert!(responses.iter().any(|r| r["item"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["answer"][0]["valueString"] == "Hard week.\nBetter now.")));
        // Each total with a LOINC code is an Observation derived from its
        // response.
        let loinc = if name == "gad7.json" {
            "70274-6"
        } else {
            "44261-6"
        };
        let observations: Vec<&Value> = entries
            .iter()
            .filter(|e| e["resource"]["resourceType"] == "Observation")
            .collect();
        assert_eq!(
            observations.len(),
            before
                .iter()
                .filter(|r| r.scores[0].value.is_some())
                .count()
        );
        let o = &observations[0]["resource"];
        assert_eq!(o["code"]["coding"][0]["code"], loinc);
        assert_eq!(o["code"]["coding"][0]["system"], "http://loinc.org");
        assert_eq!(o["category"][0]["coding"][0]["code"], "survey");
        assert_eq!(o["valueQuantity"]["code"], "{score}");
        // The companion's band, as words, where there is one.
        assert_eq!(
            o["interpretation"][0]["text"].as_str(),
            before[0].scores[0].band_label.as_deref(),
            "{name}"
        );
        assert_eq!(o["derivedFrom"][0]["reference"], entries[0]["fullUrl"]);
        assert_eq!(
            o["valueQuantity"]["value"],
            json!(before[0].scores[0].value.unwrap())
        );

        // In again: the same history, once; out again: the same file.
        let text = serde_json::to_string(&bundle).unwrap();
        let mut other = Store::open_in_memory().unwrap();
        let me = other.local_respondent().unwrap();
        let list = joy_kiosk::fhir::import::read(&text, &known, me)
            .unwrap_or_else(|e| panic!("{name}: {e:#?}"));
        other.save_many(&list).unwrap();
        let after = other.history(None, None).unwrap();
        assert_eq!(after.len(), before.len(), "{name}");
        for (a, b) in after.iter().zip(&before) {
            assert_eq!(
                (&a.answers, &a.scores, a.completed_at),
                (&b.answers, &b.scores, b.completed_at),
                "{name}"
            );
        }
        let again =
            serde_json::to_value(joy_kiosk::fhir::out::bundle(&after, &known, now)).unwrap();
        assert_eq!(
            again, bundle,
            "{name}: export, import, export gives the same file"
        );
    }
}

#[test]
fn the_definition_kept_with_answers_is_both_files_and_loads_again_as_answered() {
    let q = load("lhc-phq9.json");
    let again = joy_kiosk::questionnaire::load::load_definition("kept", &q.source).unwrap();
    assert_eq!(again.hash, q.hash);
    assert_eq!(again.questions, q.questions);
    assert_eq!(
        again.scores, q.scores,
        "bands from the companion are kept with it"
    );
    assert_eq!(again.flags, q.flags);
    // A changed companion is a changed definition.
    let changed = load_fhir(
        "lhc-phq9.json",
        &text("lhc-phq9.json"),
        Some((
            "c",
            &text("lhc-phq9.companion.toml").replace("minutes = 3", "minutes = 4"),
        )),
    )
    .unwrap();
    assert_ne!(changed.hash, q.hash);
}

#[test]
fn joy_convert_writes_a_toml_file_that_scores_the_same() {
    let home = tempfile::tempdir().unwrap();
    let out = home.path().join("phq9.toml");
    let convert = || {
        let (from, to) = (fixture("lhc-phq9.json"), out.to_str().unwrap().to_string());
        joy_at(
            home.path(),
            &["convert", from.to_str().unwrap(), "--out", &to],
            &[],
        )
    };
    let o = convert();
    assert!(o.status.success(), "{}", all_output(&o));
    let toml_q = load_path(&out).unwrap_or_else(|e| panic!("{e:#?}"));
    let fhir_q = load("lhc-phq9.json");
    let mut rng = joy_kiosk::demo::Rng::new(5);
    for i in 0..200 {
        let a = joy_kiosk::demo::answers_at(&fhir_q, (i % 10) as f64 / 10.0, &mut rng);
        assert_eq!(score(&toml_q, &a), score(&fhir_q, &a));
    }
    // Never over a file that is there.
    let o = convert();
    assert_eq!(o.status.code(), Some(1));
    assert!(all_output(&o).contains("never replaced"));
    // A file without a companion: converted, with a warning that its
    // scores need bands.
    let o = joy_at(
        home.path(),
        &["convert", fixture("sdc-phq9.json").to_str().unwrap()],
        &[],
    );
    assert!(o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("no bands"),
        "{}",
        all_output(&o)
    );
}

#[test]
fn in_the_app_a_fhir_phq9_is_asked_with_its_stem_and_its_score_comes_with_support_at_80x24() {
    use common::{screen_lines, App};
    use joy_kiosk::app::Action;
    for (name, want) in [
        // No companion: the general support text with any score.
        ("sdc-phq9.json", "this app cannot say whether your"),
        // The companion's band and its support for a moderate total.
        ("lhc-phq9.json", "Samaritans: 116 123"),
    ] {
        let q = load(name);
        let mut app = App::with(q);
        app.act(Action::Confirm);
        let first = screen_lines(&app, 80, 24).join("\n");
        assert!(first.contains("Question 1 of"), "{first}");
        assert!(first.contains("Little interest or pleasure"), "{first}");
        if name == "sdc-phq9.json" {
            assert!(
                first.contains("Over the last two weeks"),
                "the group's stem is shown: {first}"
            );
        }
        // Several days (1) or nearly every day (3): 9 or 27 or so, and for
        // the LHC file the last question (difficulty) answered too.
        let mut asked = 0;
        while screen_lines(&app, 80, 24).join("\n").contains("Question ") && asked < 12 {
            app.act(Action::Pick(2));
            asked += 1;
        }
        app.act(Action::Save);
        let shown = screen_lines(&app, 80, 24).join("\n");
        assert!(shown.contains("Support is available"), "{name}: {shown}");
        assert!(shown.contains(want), "{name}: {shown}");
    }
}

#[test]
fn at_a_fhir_phq9_the_digit_beside_each_option_is_its_phq9_value_as_on_paper() {
    use common::{screen_lines, App};
    use joy_kiosk::app::Action;
    let q = load("lhc-phq9.json");
    let mut app = App::with(q.clone());
    app.act(Action::Confirm);
    let screen = screen_lines(&app, 80, 24).join("\n");
    assert!(screen.contains("0 ( ) Not at all"), "{screen}");
    assert!(screen.contains("3 ( ) Nearly every day"), "{screen}");
    assert!(screen.contains("Enter/0-9"), "{screen}");
    // `1` is "Several days" (1 on paper), not the first option.
    app.act(Action::Digit(1));
    let a = app
        .state
        .session
        .checkin
        .as_ref()
        .unwrap()
        .answers
        .get("44250-9")
        .cloned();
    assert_eq!(a, Some(AnswerValue::Choice(Scalar::Number(1.0))));
    // And `joy score` takes the same number, the LOINC code or the words,
    // and a wrong one is answered with the codes it takes.
    let e =
        joy_kiosk::questionnaire::answers::parse_answer(q.question("44255-8").unwrap(), "LA9999-9")
            .unwrap_err();
    assert!(e.contains("1 or LA6569-3 (Several days)"), "{e}");
}

#[test]
fn a_coding_of_another_system_is_not_an_answer_and_an_order_of_codings_is_refused() {
    let q = load("lhc-phq9.json");
    let (_, before) = history_of(&q, 1);
    let now = Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap();
    let mut bundle = serde_json::to_value(joy_kiosk::fhir::out::bundle(
        &before,
        std::slice::from_ref(&q),
        now,
    ))
    .unwrap();
    bundle["entry"][0]["resource"]["item"][0]["answer"][0]["valueCoding"]["system"] =
        json!("http://snomed.info/sct");
    let problems = joy_kiosk::fhir::import::read(&bundle.to_string(), std::slice::from_ref(&q), 1)
        .unwrap_err();
    assert_eq!(
        problems[0].at, "/entry/0/resource/item/0/answer/0",
        "{problems:?}"
    );
    assert!(
        problems[0]
            .message
            .contains("of http://snomed.info/sct is not an option of question \"/44250-9\""),
        "{problems:?}"
    );
    // `>` on a coding: FHIR gives codings no order.
    let got = refusal(
        "lhc-phq9.json",
        |v| {
            v["item"][1]["enableWhen"] = json!([{"question": "/44250-9", "operator": ">",
                "answerCoding": {"system": "http://loinc.org", "code": "LA6569-3"}}])
        },
        None,
    );
    assert!(
        got.contains("x.json:/item/1/enableWhen/0/operator: the operator > compares numbers"),
        "{got}"
    );
}

/// A team reflection written as FHIR: the kind marker, five scored items
/// in a group, a total, and a free-text reflection.
fn team_fhir() -> String {
    let opt = |code: &str, label: &str, n: i64| {
        json!({"valueCoding": {"system": "urn:trust:joy", "code": code, "display": label},
               "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/ordinalValue", "valueDecimal": n}]})
    };
    let options = json!([
        opt("1", "Not at all", 1),
        opt("2", "A little", 2),
        opt("3", "Somewhat", 3),
        opt("4", "Mostly", 4),
        opt("5", "Completely", 5)
    ]);
    let items: Vec<Value> = ["enjoy", "look-forward", "value", "colleagues", "patients"]
        .iter()
        .map(|id| json!({"linkId": id, "type": "choice", "required": true, "text": format!("This week: {id}"), "answerOption": options}))
        .collect();
    serde_json::to_string(&json!({
        "resourceType": "Questionnaire", "id": "trust-joy", "url": "https://example.nhs.uk/fhir/Questionnaire/trust-joy",
        "version": "1", "title": "Trust joy in work (test)", "status": "active",
        "extension": [{"url": "urn:joy-kiosk:questionnaire-kind", "valueCode": "team"}],
        "item": [
            {"linkId": "joy", "type": "group", "text": "Thinking about this week", "item": items},
            {"linkId": "total", "type": "integer", "readOnly": true, "text": "Joy in work",
             "extension": [{"url": "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression",
                            "valueExpression": {"language": "text/fhirpath", "expression": "%resource.item.answer.value.ordinal().sum()"}}]},
            {"linkId": "what-matters", "type": "text", "text": "What made a good day?"}
        ]
    }))
    .unwrap()
}

#[test]
fn a_team_reflection_from_fhir_is_released_from_its_kept_definition_in_aggregate_only() {
    use joy_kiosk::anonymity::Thresholds;
    use joy_kiosk::period::{Period, PeriodKind};
    let q = load_fhir("trust-joy.json", &team_fhir(), None).unwrap_or_else(|e| panic!("{e:#?}"));
    assert_eq!(q.kind, Kind::Team);
    let mut s = Store::open_in_memory().unwrap();
    s.set_time_zone("Europe/London").unwrap();
    let d = chrono::NaiveDate::from_ymd_opt(2026, 11, 17).unwrap();
    let rows: Vec<NewCheckin> = (0..6)
        .map(|i| {
            let mut rng = joy_kiosk::demo::Rng::new(i);
            let a = joy_kiosk::reflection_gen::answers(&q, 0.6, &mut rng, |id| {
                if id == "what-matters" {
                    format!("secret words {i}")
                } else {
                    String::new()
                }
            });
            joy_kiosk::reflection_gen::checkin(&q, &a, "Ward 7", PeriodKind::Week, d)
        })
        .collect();
    s.save_many(&rows).unwrap();
    // Released with no questionnaire given: the kept definition (the FHIR
    // file) is loaded again to work out the figures.
    let when = Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap();
    let r = s.release_closed(when, &[], Thresholds::default()).unwrap();
    assert_eq!(r.released.len(), 1, "{r:?}");
    let h = joy_kiosk::team_view::huddle(
        &mut s,
        &q,
        "Ward 7",
        Period::parse("2026-W47").unwrap(),
        Thresholds::default(),
    )
    .unwrap();
    let md = joy_kiosk::huddle_export::to_markdown("Ward 7", std::slice::from_ref(&h), &[], d);
    assert!(md.contains("### Joy in work"), "{md}");
    assert!(md.contains("from 6 reflections"), "{md}");
    // The FHIR file's own questions, in aggregate (what a huddle shows of
    // any team reflection: free text only from 5 answers or more, shuffled).
    assert!(md.contains("Trust joy in work (test)"), "{md}");
}

#[test]
fn an_item_9_flag_stays_with_the_check_in_in_history_with_its_support_whatever_the_total() {
    use common::{screen_lines, App};
    use joy_kiosk::app::{Action, Screen};
    let q = load("lhc-phq9.json");
    let mut app = App::with(q);
    app.act(Action::Confirm);
    // All "not at all" but item 9, "several days" (and the difficulty
    // question's first option): a total of 1, a good band, the alert flag.
    for i in 0..10 {
        app.act(Action::Digit(u8::from(i >= 8)));
    }
    app.act(Action::Save);
    // The result says why before it gives support: the flag, then the
    // support it calls for.
    let result = screen_lines(&app, 80, 60);
    let at = |needle: &str| result.iter().position(|l| l.contains(needle));
    let (flag, support) = (at("» You said you have had"), at("Support is available"));
    assert!(flag.is_some() && support.is_some(), "{result:#?}");
    assert!(flag < support, "the reason first: {result:#?}");
    app.act(Action::Confirm);
    app.act(Action::OpenHistory);
    app.act(Action::Confirm);
    assert_eq!(app.state.screen, Screen::Detail);
    let shown = screen_lines(&app, 80, 24).join("\n");
    assert!(shown.contains("PHQ-9 total: 1"), "{shown}");
    assert!(
        shown.contains("» You said you have had thoughts"),
        "{shown}"
    );
    assert!(shown.contains("[alert]"), "{shown}");
    assert!(
        shown.contains("! support"),
        "the key bar offers support: {shown}"
    );
    let support = joy_kiosk::app::support::on_screen(&app.state).expect("support on screen");
    assert!(
        support.iter().any(|t| t.contains("Samaritans")),
        "{support:?}"
    );
}

#[test]
fn a_hostile_fhir_file_writes_no_terminal_control_to_the_screen() {
    // A questionnaire file is input a stranger may have written: its words
    // reach the terminal only as text.
    let mut v: Value = serde_json::from_str(&text("gad7.json")).unwrap();
    v["title"] = json!("Evil \u{1b}[2J\u{1b}]0;pwned\u{7} title");
    v["item"][1]["item"][0]["text"] = json!("Q \u{1b}[31mred\u{1b}[0m \u{202e}");
    v["item"][1]["item"][0]["linkId"] = json!("x\u{1b}[2J");
    let home = tempfile::tempdir().unwrap();
    let f = home.path().join("evil.json");
    std::fs::write(&f, serde_json::to_string(&v).unwrap()).unwrap();
    for args in [
        vec!["validate", f.to_str().unwrap()],
        vec!["score", f.to_str().unwrap(), "-a", "nope=1"],
    ] {
        let o = joy_at(home.path(), &args, &[]);
        let all = [o.stdout.as_slice(), o.stderr.as_slice()].concat();
        assert!(
            !all.contains(&0x1b) && !all.contains(&0x07),
            "{}",
            all_output(&o)
        );
    }
    let q = load_fhir("evil.json", &serde_json::to_string(&v).unwrap(), None).unwrap();
    let app = common::App::with(q);
    let shown = common::screen_lines(&app, 80, 24).join("\n");
    assert!(
        !shown.contains('\u{1b}') && !shown.contains('\u{202e}'),
        "{shown}"
    );
}
