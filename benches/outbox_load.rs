//! Many terminals at once (issue 17, §5): 50 terminals (threads, each its
//! own kiosk file) x 2,000 team reflections each over five days, all
//! delivering to one server at the same time. Checks that all 100,000 are
//! there exactly once, and times it beside a plain batched insert of the
//! same rows (one connection, one transaction, a prepared INSERT) in the
//! same run.
//!
//! `scripts/with-postgres cargo bench --bench outbox_load`
//! (`JOY_BENCH_TERMINALS` and `JOY_BENCH_PER_TERMINAL` change the sizes).

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use joy_kiosk::demo::Rng;
use joy_kiosk::period::PeriodKind;
use joy_kiosk::questionnaire::Catalog;
use joy_kiosk::reflection_gen;
use joy_kiosk::store::pg::PgStore;
use joy_kiosk::store::Store;
use std::time::Instant;

mod support;

const DAYS: i64 = 5;

fn size(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let (conn, name, _) = support::fresh_database("outbox_load", "joy_load");
    let terminals = size("JOY_BENCH_TERMINALS", 50);
    let per = size("JOY_BENCH_PER_TERMINAL", 2_000);
    PgStore::init(&conn, &name).expect("init");

    // Every terminal's file, filled before the clock starts.
    let dir = tempfile::tempdir().expect("temp dir");
    let cat = Catalog::bundled();
    let q = cat.get("team-reflection").expect("bundled");
    let first = NaiveDate::from_ymd_opt(2026, 11, 16).expect("a Monday");
    let mut all_rows = Vec::new();
    let t = Instant::now();
    let files: Vec<std::path::PathBuf> = (0..terminals)
        .map(|k| {
            let path = dir.path().join(format!("kiosk{k}.db"));
            let mut local = Store::open(&path).expect("open");
            local.set_time_zone("Europe/London").expect("zone");
            local.set_outbox(true).expect("outbox");
            let mut rng = Rng::new(100 + k as u64);
            let rows: Vec<_> = (0..per)
                .map(|i| {
                    let a = reflection_gen::answers(q, rng.unit(), &mut rng, |_| String::new());
                    let team = ["Ward 7", "Theatres", "Nights"][(i + k) % 3];
                    let day = first + Duration::days(i as i64 % DAYS);
                    reflection_gen::checkin(q, &a, team, PeriodKind::Week, day)
                })
                .collect();
            local.save_many(&rows).expect("save");
            all_rows.extend(rows);
            path
        })
        .collect();
    eprintln!(
        "{terminals} terminal files of {per} entries made in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    // All at once.
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let t = Instant::now();
    let handles: Vec<_> = files
        .iter()
        .cloned()
        .map(|path| {
            let conn = conn.clone();
            std::thread::spawn(move || {
                let mut local = Store::open(&path).expect("open");
                joy_kiosk::outbox::deliver(&mut local, &conn, now).expect("deliver")
            })
        })
        .collect();
    let mut sent = 0;
    for h in handles {
        let d = h.join().expect("a terminal's thread");
        assert_eq!(d.error, None, "a delivery failed");
        sent += d.sent;
    }
    let deliver = t.elapsed();
    let total = terminals * per;
    assert_eq!(sent, total);
    let mut c = postgres::Client::connect(&conn, postgres::NoTls).expect("connect");
    let (n, distinct): (i64, i64) = c
        .query_one("SELECT count(*), count(DISTINCT id) FROM entry", &[])
        .map(|r| (r.get(0), r.get(1)))
        .expect("count");
    assert_eq!(
        (n, distinct),
        (total as i64, total as i64),
        "each exactly once"
    );

    let plain = support::plain_insert(&conn, &all_rows);
    println!(
        "outbox_load: {terminals} terminals x {per} = {total} entries delivered at once in {:.2} s ({:.0} a second), each exactly once; a plain batched insert of the same rows: {:.2} s; ratio {:.1}x",
        deliver.as_secs_f64(),
        total as f64 / deliver.as_secs_f64(),
        plain.as_secs_f64(),
        deliver.as_secs_f64() / plain.as_secs_f64()
    );
}
