//! What moving effects off the UI thread costs: one effect (the home
//! screen's summaries, on a small personal history) performed at once on
//! the calling thread, against the same effect sent to the store's worker
//! thread and its result received back on the loop's channel; and
//! `Scope::of`, the copy of what an effect needs that goes with it. See
//! BENCHMARKS.md ("Effects off the UI thread").

use chrono::{Duration, TimeZone, Utc};
use joy_kiosk::app::runner::{perform, Input, Scope};
use joy_kiosk::app::worker::{Job, Worker};
use joy_kiosk::app::{Effect, State};
use joy_kiosk::questionnaire::answers::parse_pairs;
use joy_kiosk::questionnaire::{score, Catalog};
use joy_kiosk::store::{NewCheckin, Store};
use std::sync::mpsc;

fn main() {
    divan::main();
}

/// A personal store with 200 WHO-5 check-ins, and the app's state on it.
fn setup() -> (Store, State) {
    let mut store = Store::open_in_memory().unwrap();
    let me = store.local_respondent().unwrap();
    let qs: Vec<_> = Catalog::bundled()
        .entries
        .into_iter()
        .map(|e| e.questionnaire)
        .collect();
    let q = qs.iter().find(|q| q.id == "who5").unwrap().clone();
    let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0).unwrap();
    for i in 0..200 {
        let answers = parse_pairs(
            &q,
            ["cheerful=3", "calm=2", "active=4", "rested=1", "interest=3"],
        )
        .unwrap();
        let outcome = score(&q, &answers);
        let at = t0 + Duration::days(i);
        let new = NewCheckin::from_outcome(&q, &answers, &outcome, Some(me), at, at);
        store.save_checkin(&new).unwrap();
    }
    let state = State::new(qs, Some(me), t0);
    (store, state)
}

#[divan::bench(sample_count = 200)]
fn load_home_on_the_calling_thread(bencher: divan::Bencher) {
    let (mut store, state) = setup();
    let now = Utc::now();
    bencher.bench_local(|| perform(&Scope::of(&state), &mut store, Effect::LoadHome, now));
}

#[divan::bench(sample_count = 200)]
fn load_home_through_the_worker(bencher: divan::Bencher) {
    let (store, state) = setup();
    let (tx, rx) = mpsc::channel();
    let worker = Worker::spawn(Box::new(store), tx).unwrap();
    let now = Utc::now();
    bencher.bench_local(|| {
        worker.send(Job::Effect {
            effect: Effect::LoadHome,
            scope: Box::new(Scope::of(&state)),
            now,
        });
        match rx.recv().unwrap() {
            Input::Done(d) => d,
            other => panic!("{other:?}"),
        }
    });
}

#[divan::bench(sample_count = 200)]
fn scope_of_state(bencher: divan::Bencher) {
    let (_store, state) = setup();
    bencher.bench_local(|| Scope::of(divan::black_box(&state)));
}
