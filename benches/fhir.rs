//! FHIR out and in (issue 19 §4): 3,650 check-ins (ten years of daily
//! WHO-5) written as a FHIR Bundle, beside the same written as the
//! project's JSON and CSV; and the Bundle read back (checked and scored
//! again) by `joy import`'s reader. Then a FHIR questionnaire: a 500-item
//! FHIR Questionnaire loaded, beside the same written as TOML by `joy
//! convert` and loaded; and 3,650 check-ins of the LHC-Forms PHQ-9 (its
//! own codes, totals as Observations) written as FHIR.

use chrono::{Duration, Utc};
use joy_kiosk::questionnaire::{Catalog, Questionnaire};
use joy_kiosk::store::Store;

fn main() {
    divan::main();
}

fn history() -> (Vec<joy_kiosk::model::CheckinRecord>, Vec<Questionnaire>) {
    let known: Vec<Questionnaire> = Catalog::bundled()
        .entries
        .into_iter()
        .map(|e| e.questionnaire)
        .collect();
    history_of(known, "who5")
}

fn history_of(
    known: Vec<Questionnaire>,
    id: &str,
) -> (Vec<joy_kiosk::model::CheckinRecord>, Vec<Questionnaire>) {
    let mut store = Store::open_in_memory().expect("a database");
    let me = store.local_respondent().expect("the local person");
    let q = known.iter().find(|q| q.id == id).expect("known");
    let mut rng = joy_kiosk::demo::Rng::new(4);
    let now = Utc::now();
    let rows: Vec<_> = (0..3650)
        .map(|d| {
            let at = now - Duration::days(d);
            let a = joy_kiosk::demo::answers_at(q, rng.unit(), &mut rng);
            let o = joy_kiosk::questionnaire::score(q, &a);
            joy_kiosk::model::NewCheckin::from_outcome(q, &a, &o, Some(me), at, at)
        })
        .collect();
    store.save_many(&rows).expect("saved");
    (store.history(None, None).expect("read"), known)
}

#[divan::bench(sample_count = 20)]
fn export_3650_fhir(b: divan::Bencher) {
    let (records, known) = history();
    b.bench_local(|| joy_kiosk::fhir::out::to_json(&records, &known, Utc::now()).len());
}

#[divan::bench(sample_count = 20)]
fn export_3650_json(b: divan::Bencher) {
    let (records, _) = history();
    b.bench_local(|| joy_kiosk::store::export::to_json(&records, Utc::now()).len());
}

#[divan::bench(sample_count = 20)]
fn export_3650_csv(b: divan::Bencher) {
    let (records, known) = history();
    b.bench_local(|| {
        joy_kiosk::store::export::to_csv(&records, &known, &chrono::Local)
            .expect("csv")
            .len()
    });
}

#[divan::bench(sample_count = 20)]
fn import_3650_fhir(b: divan::Bencher) {
    let (records, known) = history();
    let text = joy_kiosk::fhir::out::to_json(&records, &known, Utc::now());
    b.bench_local(|| {
        joy_kiosk::fhir::import::read(&text, &known, 1)
            .expect("valid")
            .len()
    });
}

/// A FHIR Questionnaire of 500 scored choice items in 50 groups (each with
/// an enableWhen on the group's first item), options from one contained
/// value set with ordinal values, and a total.
fn big_fhir() -> String {
    let concepts: Vec<serde_json::Value> = (0..4)
        .map(|i| {
            serde_json::json!({
                "code": format!("LA{i}"), "display": format!("Option {i}"),
                "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/ordinalValue", "valueDecimal": i}]
            })
        })
        .collect();
    let groups: Vec<serde_json::Value> = (0..50)
        .map(|g| {
            let items: Vec<serde_json::Value> = (0..10)
                .map(|i| {
                    let mut item = serde_json::json!({
                        "linkId": format!("g{g}/q{i}"), "type": "choice", "required": i == 0,
                        "text": format!("Question {i} of group {g}"), "answerValueSet": "#vs"
                    });
                    if i > 0 {
                        item["enableWhen"] = serde_json::json!([{
                            "question": format!("g{g}/q0"), "operator": "!=",
                            "answerCoding": {"system": "http://loinc.org", "code": "LA0"}
                        }]);
                    }
                    item
                })
                .collect();
            serde_json::json!({"linkId": format!("g{g}"), "type": "group", "text": format!("Group {g}"), "item": items})
        })
        .collect();
    let mut items = groups;
    items.push(serde_json::json!({
        "linkId": "total", "type": "integer", "readOnly": true, "text": "Total",
        "extension": [{"url": "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression",
                       "valueExpression": {"language": "text/fhirpath", "expression": "%resource.item.answer.value.ordinal().sum()"}}]
    }));
    serde_json::to_string_pretty(&serde_json::json!({
        "resourceType": "Questionnaire", "id": "big", "url": "https://example.nhs.uk/fhir/Questionnaire/big",
        "title": "500 items (benchmark)", "status": "draft",
        "contained": [{"resourceType": "ValueSet", "id": "vs",
                       "compose": {"include": [{"system": "http://loinc.org", "concept": concepts}]}}],
        "item": items
    }))
    .expect("json")
}

#[divan::bench(sample_count = 20)]
fn load_500_items_fhir(b: divan::Bencher) {
    let text = big_fhir();
    b.bench_local(|| {
        joy_kiosk::questionnaire::fhir::load("big.json", &text, None)
            .expect("valid")
            .questions
            .len()
    });
}

#[divan::bench(sample_count = 20)]
fn load_500_items_toml(b: divan::Bencher) {
    let q = joy_kiosk::questionnaire::fhir::load("big.json", &big_fhir(), None).expect("valid");
    let (text, _) = joy_kiosk::questionnaire::to_toml::to_toml(&q, "big.json");
    b.bench_local(|| {
        joy_kiosk::questionnaire::load_str("big.toml", &text)
            .expect("valid")
            .questions
            .len()
    });
}

fn lhc_phq9() -> (Vec<joy_kiosk::model::CheckinRecord>, Vec<Questionnaire>) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fhir/questionnaires/lhc-phq9.json");
    let q = joy_kiosk::questionnaire::load_path(&path).expect("the fixture loads");
    history_of(vec![q], "44249-1-x")
}

#[divan::bench(sample_count = 20)]
fn export_3650_phq9_fhir(b: divan::Bencher) {
    let (records, known) = lhc_phq9();
    b.bench_local(|| joy_kiosk::fhir::out::to_json(&records, &known, Utc::now()).len());
}

#[divan::bench(sample_count = 20)]
fn export_3650_phq9_csv(b: divan::Bencher) {
    let (records, known) = lhc_phq9();
    b.bench_local(|| {
        joy_kiosk::store::export::to_csv(&records, &known, &chrono::Local)
            .expect("csv")
            .len()
    });
}
