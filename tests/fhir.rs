//! FHIR out and in (issue 19 §3, the part for the project's own
//! questionnaires): `joy export --format fhir` writes a person's own
//! check-ins as an R4 Bundle of QuestionnaireResponses that HL7's R4 JSON
//! schema accepts (a pruned copy, no network: tests/fixtures/fhir/), never
//! an anonymous kiosk entry or a team reflection; `joy import` takes such a
//! file back, checked and scored again, all or nothing, once.

mod common;

use chrono::{Duration, TimeZone, Utc};
#[path = "common/fhir_schema.rs"]
mod fhir_schema;

use common::{all_output, joy_at, joy_import};
use fhir_schema::{assert_valid_r4, r4_schema};
use joy_kiosk::model::NewCheckin;
use joy_kiosk::questionnaire::{score, Catalog, Questionnaire};
use joy_kiosk::store::Store;
use serde_json::Value;

fn bundled() -> Vec<Questionnaire> {
    Catalog::bundled()
        .entries
        .into_iter()
        .map(|e| e.questionnaire)
        .collect()
}

fn bundle_value(
    records: &[joy_kiosk::model::CheckinRecord],
    known: &[Questionnaire],
    now: chrono::DateTime<Utc>,
) -> Value {
    serde_json::to_value(joy_kiosk::fhir::out::bundle(records, known, now)).unwrap()
}

/// A store with the local person's check-ins on every personal bundled
/// questionnaire (demo answers: every question type they have, a
/// multi-line note on one), plus an anonymous kiosk entry and a team
/// reflection that must never be exported.
fn store_with_history() -> (Store, i64, Vec<Questionnaire>) {
    let mut store = Store::open_in_memory().unwrap();
    let me = store.local_respondent().unwrap();
    let known = bundled();
    let t = Utc.with_ymd_and_hms(2026, 11, 21, 3, 0, 0).unwrap();
    let mut rng = joy_kiosk::demo::Rng::new(3);
    let mut rows = Vec::new();
    for (i, q) in known.iter().enumerate() {
        let at = t - Duration::hours(i as i64 * 5);
        let mut a = joy_kiosk::demo::answers_at(q, rng.unit(), &mut rng);
        if q.id == "who5" {
            a.insert(
                "note".into(),
                joy_kiosk::questionnaire::AnswerValue::Text("Late finish.\nSam helped.".into()),
            );
        }
        let o = score(q, &a);
        let mut c = NewCheckin::from_outcome(q, &a, &o, Some(me), at, at);
        c.is_demo = q.id == "people-promise";
        if q.kind == joy_kiosk::questionnaire::Kind::Team {
            c.respondent = None;
            c.team = Some("Ward 7".into());
            c.period = Some("2026-W47".into());
        }
        rows.push(c);
    }
    // An anonymous kiosk check-in.
    let who5 = known.iter().find(|q| q.id == "who5").unwrap();
    let a = joy_kiosk::demo::answers_at(who5, 0.5, &mut rng);
    let mut anon = NewCheckin::from_outcome(who5, &a, &score(who5, &a), None, t, t);
    anon.team = Some("Ward 7".into());
    rows.push(anon);
    store.save_many(&rows).unwrap();
    (store, me, known)
}

#[test]
fn the_export_is_valid_r4_and_holds_only_the_persons_own_check_ins() {
    let (mut store, me, known) = store_with_history();
    let records = store.history(None, None).unwrap();
    let mine = records.len();
    assert_eq!(
        mine,
        store.history(Some(me), None).unwrap().len(),
        "the export reads the local person's own"
    );
    let bundle = bundle_value(&records, &known, Utc::now());
    assert_valid_r4(&bundle);
    let entries = bundle["entry"].as_array().unwrap();
    assert_eq!(
        entries.len(),
        5,
        "WHO-5, joy in work, People Promise, three Cs, daily mood"
    );
    for e in entries {
        let r = &e["resource"];
        assert_eq!(r["resourceType"], "QuestionnaireResponse");
        assert_eq!(r["status"], "completed");
        let url = r["questionnaire"].as_str().unwrap();
        assert!(url.starts_with("urn:joy-kiosk:questionnaire:"), "{url}");
        assert!(!url.contains("team-reflection") && !url.contains("civility"));
    }
    // Typed answers: a coding with system, code and display; the note with
    // its line break; the score as an item of its own.
    let who5 = entries
        .iter()
        .map(|e| &e["resource"])
        .find(|r| r["questionnaire"] == "urn:joy-kiosk:questionnaire:who5|1998")
        .unwrap();
    let items = who5["item"].as_array().unwrap();
    let cheerful = &items[0]["answer"][0]["valueCoding"];
    assert_eq!(
        cheerful["system"],
        "urn:joy-kiosk:questionnaire:who5:cheerful"
    );
    assert!(cheerful["code"].as_str().unwrap().parse::<u8>().unwrap() <= 5);
    assert!(cheerful["display"].as_str().unwrap().contains("time"));
    let note = items.iter().find(|i| i["linkId"] == "note").unwrap();
    assert_eq!(
        note["answer"][0]["valueString"],
        "Late finish.\nSam helped."
    );
    let wellbeing = items
        .iter()
        .find(|i| i["linkId"] == "score.wellbeing")
        .unwrap();
    assert!(wellbeing["answer"][0]["valueDecimal"].is_number());
}

#[test]
fn the_schema_refuses_a_wrong_status_or_a_numeric_code_so_the_check_has_teeth() {
    let (mut store, _, known) = store_with_history();
    let records = store.history(None, None).unwrap();
    let mut bundle = bundle_value(&records, &known, Utc::now());
    bundle["entry"][0]["resource"]["status"] = Value::from("finished");
    assert!(!r4_schema().is_valid(&bundle), "an unknown status passes");
    let mut bundle = bundle_value(&records, &known, Utc::now());
    bundle["entry"][0]["resource"]["item"][0]["answer"][0] =
        serde_json::json!({ "valueCoding": { "code": 3 } });
    assert!(!r4_schema().is_valid(&bundle), "a numeric code passes");
}

#[test]
fn export_then_import_gives_the_same_history_once() {
    let (mut store, _, known) = store_with_history();
    let before = store.history(None, None).unwrap();
    let bundle = bundle_value(&before, &known, Utc::now());
    let text = serde_json::to_string(&bundle).unwrap();
    let mut other = Store::open_in_memory().unwrap();
    let me = other.local_respondent().unwrap();
    let list = joy_kiosk::fhir::import::read(&text, &known, me).unwrap();
    other.save_many(&list).unwrap();
    let after = other.history(None, None).unwrap();
    assert_eq!(after.len(), before.len());
    for (a, b) in after.iter().zip(&before) {
        assert_eq!(a.questionnaire_id, b.questionnaire_id);
        assert_eq!(a.questionnaire_version, b.questionnaire_version);
        assert_eq!(a.completed_at, b.completed_at);
        assert_eq!(a.is_demo, b.is_demo, "demo data stays marked");
        assert_eq!(a.answers, b.answers, "{}", a.questionnaire_id);
        assert_eq!(a.scores, b.scores, "{}", a.questionnaire_id);
    }
}

#[test]
fn joy_import_takes_a_file_once_and_says_what_it_took() {
    let home = tempfile::tempdir().unwrap();
    let a = home.path().join("a.db");
    let b = home.path().join("b.db");
    let file = home.path().join("mine.json");
    let (a_s, b_s, f_s) = (
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        file.to_str().unwrap(),
    );
    let o = joy_at(
        home.path(),
        &["--db", a_s, "demo", "--days", "14", "--yes"],
        &[],
    );
    assert!(o.status.success(), "{}", all_output(&o));
    let o = joy_at(
        home.path(),
        &["--db", a_s, "export", "--format", "fhir", "--out", f_s],
        &[],
    );
    assert!(o.status.success(), "{}", all_output(&o));
    let v: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_valid_r4(&v);
    let n = v["entry"].as_array().unwrap().len();
    assert!(n > 10, "{n}");
    // `--no-demo` leaves demo data out (this history is all demo data).
    let o = joy_at(
        home.path(),
        &["--db", a_s, "export", "--format", "fhir", "--no-demo"],
        &[],
    );
    let none: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(none.get("entry").is_none(), "{none}");
    assert_valid_r4(&none);
    let (code, said) = joy_import(home.path(), &b, &file, &[], &[]);
    assert_eq!(code, Some(0), "{said}");
    assert!(
        said.contains(&format!("Imported {n} check-ins from")),
        "{said}"
    );
    let (code, said) = joy_import(home.path(), &b, &file, &[], &[]);
    assert_eq!(code, Some(0), "{said}");
    assert!(
        said.contains(&format!(
            "Imported 0 check-ins from {f_s}; {n} were already"
        )),
        "{said}"
    );
    let history = |db: &str| {
        let o = joy_at(
            home.path(),
            &["--db", db, "export", "--format", "json"],
            &[],
        );
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        v["checkins"].clone()
    };
    let (x, y) = (history(a_s), history(b_s));
    assert_eq!(x.as_array().unwrap().len(), y.as_array().unwrap().len());
    for (p, q) in x.as_array().unwrap().iter().zip(y.as_array().unwrap()) {
        assert_eq!(p["answers"], q["answers"]);
        assert_eq!(p["scores"], q["scores"]);
        assert_eq!(p["completed_at"], q["completed_at"]);
        assert_eq!(p["is_demo"], q["is_demo"]);
    }
}

#[test]
fn one_bad_response_refuses_the_whole_file_at_its_pointer() {
    let (mut store, _, known) = store_with_history();
    let records = store.history(None, None).unwrap();
    let mut bundle = bundle_value(&records, &known, Utc::now());
    // Entry 1: an option that is not there.
    bundle["entry"][1]["resource"]["item"][0]["answer"][0]["valueCoding"]["code"] =
        Value::from("42");
    // Entry 2: a questionnaire of another version.
    let url = bundle["entry"][2]["resource"]["questionnaire"]
        .as_str()
        .unwrap()
        .to_string();
    let (base, _) = url.split_once('|').unwrap();
    bundle["entry"][2]["resource"]["questionnaire"] = Value::from(format!("{base}|0.1"));
    let text = serde_json::to_string(&bundle).unwrap();
    let problems = joy_kiosk::fhir::import::read(&text, &known, 1).unwrap_err();
    let said: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert!(
        said.iter()
            .any(|s| s.starts_with("/entry/1/resource/item/0/answer/0: \"42\" is not an option")),
        "{said:#?}"
    );
    assert!(
        said.iter().any(|s| s.starts_with("/entry/2/resource/questionnaire:") && s.contains("version 0.1")),
        "{said:#?}"
    );
    // Through the command: nothing stored, every problem named.
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("bad.json");
    std::fs::write(&file, &text).unwrap();
    let db = home.path().join("b.db");
    let (code, out) = joy_import(home.path(), &db, &file, &[], &[]);
    assert_eq!(code, Some(2), "{out}");
    assert!(
        out.contains("bad.json:/entry/1/resource/item/0/answer/0"),
        "{out}"
    );
    assert!(out.contains("Nothing was imported"), "{out}");
    // Refused before anything was opened: not even a database was made.
    assert!(!db.exists(), "a refused import made {}", db.display());
}

#[test]
fn import_refuses_what_is_no_personal_check_in_here() {
    let known = bundled();
    let qr = |url: &str, items: Value| {
        serde_json::json!({
            "resourceType": "QuestionnaireResponse",
            "questionnaire": url,
            "status": "completed",
            "authored": "2026-11-21T08:00:00Z",
            "item": items,
        })
        .to_string()
    };
    let cases = [
        (
            qr(
                "urn:joy-kiosk:questionnaire:team-reflection|1",
                serde_json::json!([]),
            ),
            "is a team reflection",
        ),
        (
            qr("http://loinc.org/q/44249-1", serde_json::json!([])),
            "is not a questionnaire this app knows",
        ),
        (
            qr(
                "urn:joy-kiosk:questionnaire:who5|1998",
                serde_json::json!([]),
            ),
            "question \"cheerful\" is required and has no answer",
        ),
        (
            qr(
                "urn:joy-kiosk:questionnaire:who5|1998",
                serde_json::json!([{ "linkId": "mood", "answer": [{ "valueInteger": 3 }] }]),
            ),
            "\"mood\" is not a question of \"who5\"",
        ),
        (
            "{\"resourceType\": \"Patient\"}".to_string(),
            "expected a QuestionnaireResponse or a Bundle",
        ),
        ("not json".to_string(), "this is not JSON"),
        // A code of another system is not this question's code.
        (
            qr(
                "urn:joy-kiosk:questionnaire:who5|1998",
                serde_json::json!([{ "linkId": "cheerful", "answer": [{ "valueCoding": { "system": "http://loinc.org", "code": "3" } }] }]),
            ),
            "a code of \"http://loinc.org\" is not an answer to question \"cheerful\"",
        ),
    ];
    for (text, want) in cases {
        let problems = joy_kiosk::fhir::import::read(&text, &known, 1).unwrap_err();
        let said: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert!(said.iter().any(|s| s.contains(want)), "{want}: {said:#?}");
    }
}

/// From the informatics lead's trial: a refused answer is named once (not
/// also as missing); a check-in keeps one identity (urn:uuid and
/// identifier) through export, import and export again; scores carry no
/// float noise.
#[test]
fn identity_survives_a_round_trip_and_each_problem_is_said_once() {
    let (mut store, _, known) = store_with_history();
    let before = store.history(None, None).unwrap();
    let first = bundle_value(&before, &known, Utc::now());
    let text = serde_json::to_string(&first).unwrap();
    let mut other = Store::open_in_memory().unwrap();
    let me = other.local_respondent().unwrap();
    other
        .save_many(&joy_kiosk::fhir::import::read(&text, &known, me).unwrap())
        .unwrap();
    let again = bundle_value(&other.history(None, None).unwrap(), &known, Utc::now());
    let ids = |b: &Value| -> Vec<(String, String)> {
        b["entry"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["fullUrl"].as_str().unwrap().to_string(),
                    e["resource"]["identifier"]["value"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                )
            })
            .collect()
    };
    assert_eq!(ids(&first), ids(&again));
    for (url, id) in ids(&first) {
        assert_eq!(url, format!("urn:uuid:{id}"));
        assert_eq!(id.len(), 36, "{id}");
    }
    for e in first["entry"].as_array().unwrap() {
        for it in e["resource"]["item"].as_array().unwrap() {
            if let Some(d) = it["answer"][0]["valueDecimal"].as_f64() {
                assert_eq!(d, (d * 100.0).round() / 100.0, "{it}");
            }
        }
    }
    // One wrong code: one problem, not a second "required" one.
    let mut bad = first.clone();
    let who5 = bad["entry"]
        .as_array()
        .unwrap()
        .iter()
        .position(|e| e["resource"]["questionnaire"] == "urn:joy-kiosk:questionnaire:who5|1998")
        .unwrap();
    bad["entry"][who5]["resource"]["item"][0]["answer"][0]["valueCoding"]["code"] =
        Value::from("9");
    let problems = joy_kiosk::fhir::import::read(&serde_json::to_string(&bad).unwrap(), &known, 1)
        .unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:#?}");
}
