//! Fuzzing `joy import`'s FHIR reader as the questionnaire loader is
//! fuzzed (issue 19 §4, for the part built): a valid export, mutated at
//! random (values replaced by other JSON, keys dropped, arrays emptied,
//! text cut anywhere), never panics; every problem is named at a JSON
//! pointer that exists in the file (or its parent, for a missing key); and
//! a file that is read is always whole valid check-ins.
//!
//! The FHIR `Questionnaire` loader is fuzzed the same way: the SDC,
//! LHC-Forms and GAD-7 fixtures, mutated and cut, never panic, and every
//! problem is at a JSON pointer in the file (or a line and column, for
//! text that is no JSON); a file that loads scores any answers.
//!
//! `JOY_FUZZ_CASES` sets the cases (CI: 64).

use chrono::{TimeZone, Utc};
use joy_kiosk::questionnaire::{score, Catalog, Questionnaire};
use joy_kiosk::store::Store;
use proptest::prelude::*;
use serde_json::Value;

fn cases() -> u32 {
    std::env::var("JOY_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64)
}

fn known() -> Vec<Questionnaire> {
    Catalog::bundled()
        .entries
        .into_iter()
        .map(|e| e.questionnaire)
        .collect()
}

/// A valid export of a few check-ins on every personal questionnaire.
fn export() -> Value {
    let known = known();
    let mut store = Store::open_in_memory().unwrap();
    let me = store.local_respondent().unwrap();
    let t = Utc.with_ymd_and_hms(2026, 11, 21, 3, 0, 0).unwrap();
    let mut rng = joy_kiosk::demo::Rng::new(11);
    let mut rows = Vec::new();
    for (i, q) in known
        .iter()
        .filter(|q| q.kind == joy_kiosk::questionnaire::Kind::Personal)
        .enumerate()
    {
        let a = joy_kiosk::demo::answers_at(q, rng.unit(), &mut rng);
        let at = t - chrono::Duration::hours(i as i64);
        rows.push(joy_kiosk::model::NewCheckin::from_outcome(
            q,
            &a,
            &score(q, &a),
            Some(me),
            at,
            at,
        ));
    }
    store.save_many(&rows).unwrap();
    let records = store.history(None, None).unwrap();
    serde_json::to_value(joy_kiosk::fhir::out::bundle(&records, &known, Utc::now())).unwrap()
}

/// Every pointer into `v`, leaves and containers.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                pointers(x, format!("{at}/{k}"), out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                pointers(x, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Replace the value at `ptr` in `v` by `with` (None: remove it).
fn mutate(v: &mut Value, ptr: &str, with: Option<Value>) {
    let (parent, key) = match ptr.rsplit_once('/') {
        Some(p) => p,
        None => return,
    };
    let Some(p) = v.pointer_mut(parent) else {
        return;
    };
    match (p, with) {
        (Value::Object(m), Some(w)) => {
            m.insert(key.to_string(), w);
        }
        (Value::Object(m), None) => {
            m.remove(key);
        }
        (Value::Array(a), w) => {
            if let Ok(i) = key.parse::<usize>() {
                if i < a.len() {
                    match w {
                        Some(w) => a[i] = w,
                        None => {
                            a.remove(i);
                        }
                    }
                }
            }
        }
        _ => {}
    }
}

/// `v` with each pick's place replaced by its junk (or removed), as JSON
/// text (pretty: over several lines), cut at `cut` if given.
fn mutated(
    mut v: Value,
    picks: Vec<(proptest::sample::Index, Option<Value>)>,
    cut: Option<proptest::sample::Index>,
    pretty: bool,
) -> String {
    for (pick, with) in picks {
        let mut all = Vec::new();
        pointers(&v, String::new(), &mut all);
        let ptr = pick.get(&all[1..]).clone();
        mutate(&mut v, &ptr, with);
    }
    let mut text = if pretty {
        serde_json::to_string_pretty(&v).unwrap()
    } else {
        serde_json::to_string(&v).unwrap()
    };
    if let Some(c) = cut {
        let mut at = c.index(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        text.truncate(at);
    }
    text
}

fn junk() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        Just(None),
        Just(Some(Value::Null)),
        Just(Some(Value::from(""))),
        Just(Some(Value::from(-1))),
        Just(Some(Value::from(1e308))),
        Just(Some(Value::from("9"))),
        Just(Some(Value::from("\u{202e}\u{1b}[2J"))),
        Just(Some(serde_json::json!([]))),
        Just(Some(serde_json::json!({}))),
        Just(Some(serde_json::json!([{ "linkId": "x" }]))),
        "[a-z0-9:|.-]{0,12}".prop_map(|s| Some(Value::from(s))),
        Just(Some(Value::from("group"))),
        Just(Some(Value::from("choice"))),
        Just(Some(Value::from(true))),
        Just(Some(
            serde_json::json!([{ "question": "H1/T1/Q1", "operator": ">", "answerInteger": 1 }])
        )),
        Just(Some(
            serde_json::json!([{ "url": "http://hl7.org/fhir/StructureDefinition/ordinalValue", "valueDecimal": 1e12 }])
        )),
    ]
}

fn fhir_questionnaire(i: usize) -> (String, Value) {
    let name = ["sdc-phq9.json", "lhc-phq9.json", "gad7.json"][i % 3];
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fhir/questionnaires")
        .join(name);
    let text = std::fs::read_to_string(path).unwrap();
    (name.to_string(), serde_json::from_str(&text).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_mutated_export_never_panics_and_every_problem_is_at_a_real_pointer(
        picks in proptest::collection::vec((any::<proptest::sample::Index>(), junk()), 1..4),
        cut in proptest::option::of(any::<proptest::sample::Index>()),
    ) {
        let known = known();
        let text = mutated(export(), picks, cut, false);
        match joy_kiosk::fhir::import::read(&text, &known, 1) {
            Ok(list) => {
                // Whatever was taken is whole: scored again from its answers.
                for c in &list {
                    let q = known.iter().find(|q| q.id == c.questionnaire_id).unwrap();
                    prop_assert_eq!(c.scores.len(), q.scores.len());
                }
            }
            Err(problems) => {
                prop_assert!(!problems.is_empty());
                let parsed: Option<Value> = serde_json::from_str(&text).ok();
                for p in &problems {
                    prop_assert!(!p.message.is_empty());
                    if let Some(doc) = &parsed {
                        // The place named exists, or its parent does (a
                        // key that is missing is named where it belongs).
                        let parent = p.at.rsplit_once('/').map(|(a, _)| a).unwrap_or("");
                        prop_assert!(
                            p.at.is_empty() || doc.pointer(&p.at).is_some() || doc.pointer(parent).is_some(),
                            "{} is not in the file", p
                        );
                    }
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_mutated_fhir_questionnaire_never_panics_and_every_problem_is_at_a_real_place(
        which in 0usize..3,
        picks in proptest::collection::vec((any::<proptest::sample::Index>(), junk()), 1..4),
        cut in proptest::option::of(any::<proptest::sample::Index>()),
    ) {
        let (name, v) = fhir_questionnaire(which);
        let text = mutated(v, picks, cut, true);
        match joy_kiosk::questionnaire::fhir::load(&name, &text, None) {
            Ok(q) => {
                let mut rng = joy_kiosk::demo::Rng::new(1);
                let a = joy_kiosk::demo::answers_at(&q, 0.5, &mut rng);
                let o = score(&q, &a);
                prop_assert_eq!(o.scores.len(), q.scores.len());
            }
            Err(diags) => {
                prop_assert!(!diags.is_empty());
                let parsed: Option<Value> = serde_json::from_str(&text).ok();
                let lines = text.lines().count().max(1);
                for d in &diags {
                    prop_assert!(!d.message.is_empty());
                    prop_assert_eq!(&d.file, &name);
                    match (&d.pointer, &parsed) {
                        (Some(p), Some(doc)) => {
                            let p = if p == "/" { "" } else { p.as_str() };
                            let parent = p.rsplit_once('/').map(|(a, _)| a).unwrap_or("");
                            prop_assert!(
                                doc.pointer(p).is_some() || doc.pointer(parent).is_some(),
                                "{} is not in the file", d
                            );
                        }
                        (None, None) => prop_assert!(d.line >= 1 && d.line <= lines + 1, "{}", d),
                        (p, _) => prop_assert!(false, "{}: pointer {:?} for a file that parses: {}", d, p, parsed.is_some()),
                    }
                }
            }
        }
    }
}
