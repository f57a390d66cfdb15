//! FHIR out and in (issue 19 §4): 3,650 check-ins (ten years of daily
//! WHO-5) written as a FHIR Bundle, beside the same written as the
//! project's JSON and CSV; and the Bundle read back (checked and scored
//! again) by `joy import`'s reader.

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
    let mut store = Store::open_in_memory().expect("a database");
    let me = store.local_respondent().expect("the local person");
    let q = known.iter().find(|q| q.id == "who5").expect("bundled");
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
