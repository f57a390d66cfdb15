//! What the end-of-day rewrite costs (see `src/store/layout.rs` and
//! BENCHMARKS.md, "The end-of-day rewrite"): a busy ward's year in one file
//! (300 entries a day, half anonymous, for 365 days: 109,500 check-ins),
//! then one more day of 300 and the first chores of the next day (`VACUUM`
//! of the whole file and an emptied WAL), three times; then the migration
//! that re-keys a file made before random ids, on the same file.
//!
//! Run: `cargo bench --bench day_end` (a plain `main`, timed with `Instant`,
//! since each measurement changes the file it measures).

use chrono::{DateTime, Duration, Local, TimeZone, Utc};
use joy_kiosk::demo::{answers_at, Rng};
use joy_kiosk::questionnaire::{score, Catalog};
use joy_kiosk::store::{NewCheckin, Store};
use std::time::Instant;

const PER_DAY: usize = 300;
const DAYS: i64 = 365;

fn day(store: &mut Store, me: i64, at: DateTime<Utc>, rng: &mut Rng) {
    let cat = Catalog::bundled();
    let q = cat.get("who5").expect("bundled");
    let list: Vec<NewCheckin> = (0..PER_DAY)
        .map(|i| {
            let a = answers_at(q, 0.6, rng);
            let o = score(q, &a);
            let when = at + Duration::seconds(100 * i as i64);
            let mut c = NewCheckin::from_outcome(
                q,
                &a,
                &o,
                (i % 2 == 1).then_some(me),
                when - Duration::minutes(2),
                when,
            );
            if i % 2 == 0 {
                c.team = Some("Ward 7".into());
            }
            c
        })
        .collect();
    store.save_many(&list).expect("save a day");
}

fn mib(path: &std::path::Path) -> f64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) as f64 / (1024.0 * 1024.0)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("ward-year.db");
    let mut store = Store::open(&db).expect("open");
    let me = store.local_respondent().expect("me");
    let mut rng = Rng::new(7);
    let start = Local
        .with_ymd_and_hms(2025, 12, 1, 7, 0, 0)
        .unwrap()
        .with_timezone(&Utc);
    let made = Instant::now();
    for d in 0..DAYS {
        day(&mut store, me, start + Duration::days(d), &mut rng);
    }
    store
        .end_of_day_in(start + Duration::days(DAYS), &Local)
        .expect("first rewrite");
    println!(
        "a ward's year: {} check-ins, {:.1} MiB, made in {:.1} s",
        store.count("checkin").expect("count"),
        mib(&db),
        made.elapsed().as_secs_f64()
    );
    for round in 0..3 {
        let at = start + Duration::days(DAYS + round);
        day(&mut store, me, at, &mut rng);
        let wal = mib(&db.with_file_name("ward-year.db-wal"));
        let t = Instant::now();
        let r = store
            .end_of_day_in(at + Duration::days(1), &Local)
            .expect("rewrite");
        println!(
            "end-of-day rewrite {}: {:.0} ms ({r:?}; WAL before {wal:.1} MiB, after {:.1} MiB; file {:.1} MiB)",
            round + 1,
            t.elapsed().as_secs_f64() * 1000.0,
            mib(&db.with_file_name("ward-year.db-wal")),
            mib(&db)
        );
    }
    // The migration that re-keys a file made before random ids, on this
    // year's file: re-key every entry (one transaction), then rewrite.
    let t = Instant::now();
    {
        let c = store.connection();
        c.execute_batch("PRAGMA foreign_keys = ON").expect("fk");
        let tx = c.transaction().expect("tx");
        joy_kiosk::store::layout::rekey(&tx).expect("rekey");
        tx.commit().expect("commit");
    }
    let rekeyed = t.elapsed();
    store.rewrite().expect("rewrite");
    println!(
        "re-keying migration of that file: {:.1} s (re-key {:.1} s, rewrite {:.1} s)",
        t.elapsed().as_secs_f64(),
        rekeyed.as_secs_f64(),
        (t.elapsed() - rekeyed).as_secs_f64()
    );
}
