//! A generated database of 1,000,000 synthetic WHO-5 check-ins across 274
//! people (3,650 each, one a day for ten years), made once and kept in
//! target/bench-data/. Person 1 is the one whose trend is loaded.
#![allow(dead_code)]

use chrono::{Duration, TimeZone, Utc};
use joy_kiosk::demo::{answers_at, Rng};
use joy_kiosk::questionnaire::{score, Catalog};
use joy_kiosk::store::{NewCheckin, Store};
use std::path::PathBuf;

pub const PEOPLE: i64 = 274;
pub const PER_PERSON: i64 = 3_650;

pub fn million_db() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    let path = dir.join("million-v1.db");
    if path.exists() {
        return path;
    }
    std::fs::create_dir_all(&dir).expect("bench-data folder");
    let tmp = dir.join("million-v1.db.partial");
    let _ = std::fs::remove_file(&tmp);
    let started = std::time::Instant::now();
    let mut store = Store::open(&tmp).expect("open");
    let cat = Catalog::bundled();
    let q = cat.get("who5").expect("who5");
    let mut rng = Rng::new(42);
    let end = Utc.with_ymd_and_hms(2026, 11, 1, 8, 0, 0).unwrap();
    // Interleave people by day, as real terminals would write.
    let people: Vec<i64> = (0..PEOPLE)
        .map(|_| {
            let c = store.connection();
            c.execute(
                "INSERT INTO respondent (kind, created_at) VALUES ('pin', 0)",
                [],
            )
            .unwrap();
            c.last_insert_rowid()
        })
        .collect();
    let mut batch = Vec::with_capacity(20_000);
    for day in 0..PER_PERSON {
        for &p in &people {
            let level = 0.5 + 0.35 * ((day as f64 / 90.0) + p as f64).sin();
            let a = answers_at(q, level, &mut rng);
            let o = score(q, &a);
            let t = end - Duration::days(PER_PERSON - day) + Duration::minutes(p);
            batch.push(NewCheckin::from_outcome(
                q,
                &a,
                &o,
                Some(p),
                t - Duration::minutes(2),
                t,
            ));
            if batch.len() == 20_000 {
                store.save_many(&batch).expect("save");
                batch.clear();
            }
        }
    }
    store.save_many(&batch).expect("save");
    store
        .connection()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;")
        .unwrap();
    drop(store);
    std::fs::rename(&tmp, &path).expect("rename");
    eprintln!(
        "generated {} in {:.1} s",
        path.display(),
        started.elapsed().as_secs_f64()
    );
    path
}
