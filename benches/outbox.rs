//! What delivering a terminal's outbox costs (issue 17, §5): a backlog of
//! 10,000 team reflections over five days, delivered to the ward's server
//! (every entry through `joy_submit`, a day at a time), beside a plain
//! batched insert of the same rows into the same table in the same run.
//!
//! Run beside a throwaway server:
//! `scripts/with-postgres cargo bench --bench outbox`
//! (a plain `main`, timed with `Instant`: the run changes what it measures).

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use joy_kiosk::demo::Rng;
use joy_kiosk::period::PeriodKind;
use joy_kiosk::questionnaire::Catalog;
use joy_kiosk::reflection_gen;
use joy_kiosk::store::pg::PgStore;
use joy_kiosk::store::Store;
use std::time::Instant;

const DAYS: i64 = 5;
const PER_DAY: usize = 2_000;

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let Ok(base) = std::env::var("JOY_TEST_PG") else {
        eprintln!(
            "outbox bench: needs a server; run: scripts/with-postgres cargo bench --bench outbox"
        );
        std::process::exit(2);
    };
    let name = format!("joy_bench_{:08x}", joy_kiosk::anonymity::os_seed() as u32);
    let mut admin = postgres::Client::connect(&base, postgres::NoTls).expect("server");
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("database");
    let others: Vec<&str> = base
        .split_whitespace()
        .filter(|kv| !kv.starts_with("dbname="))
        .collect();
    let conn = format!("{} dbname={name}", others.join(" "));
    PgStore::init(&conn, &name).expect("init");

    let dir = tempfile::tempdir().expect("temp dir");
    let mut local = Store::open(&dir.path().join("kiosk.db")).expect("open");
    local.set_time_zone("Europe/London").expect("zone");
    local.set_outbox(true).expect("outbox");
    let cat = Catalog::bundled();
    let q = cat.get("team-reflection").expect("bundled");
    let mut rng = Rng::new(17);
    let first = NaiveDate::from_ymd_opt(2026, 11, 16).expect("a Monday");
    let mut rows = Vec::new();
    for d in 0..DAYS {
        for i in 0..PER_DAY {
            let a = reflection_gen::answers(q, rng.unit(), &mut rng, |_| String::new());
            let team = ["Ward 7", "Theatres", "Nights"][i % 3];
            rows.push(reflection_gen::checkin(
                q,
                &a,
                team,
                PeriodKind::Week,
                first + Duration::days(d),
            ));
        }
    }
    local.save_many(&rows).expect("save");
    let n = rows.len();

    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let t = Instant::now();
    let d = joy_kiosk::outbox::deliver(&mut local, &conn, now).expect("deliver");
    let deliver = t.elapsed();
    assert_eq!((d.sent, d.error), (n, None));

    // The same rows, batched plainly into a table of the same shape.
    let mut c = postgres::Client::connect(&conn, postgres::NoTls).expect("connect");
    c.batch_execute("CREATE TABLE plain (LIKE entry INCLUDING ALL)")
        .expect("table");
    let payloads: Vec<(i64, String, serde_json::Value, serde_json::Value)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let e = joy_kiosk::store::outbox::OutboxEntry::of(r, r.completed_at);
            (
                i as i64 + 1,
                e.team.unwrap_or_default(),
                serde_json::to_value(&e.answers).unwrap_or_default(),
                serde_json::to_value(&e.scores).unwrap_or_default(),
            )
        })
        .collect();
    let t = Instant::now();
    let mut tx = c.transaction().expect("tx");
    let st = tx
        .prepare(
            "INSERT INTO plain (id, team, questionnaire_id, version, file_hash, period, completed_on, is_demo, answers, scores)
             VALUES ($1, $2, 'team-reflection', '1', 'h', '2026-W47', '2026-11-17', false, $3, $4)",
        )
        .expect("prepare");
    for (id, team, answers, scores) in &payloads {
        tx.execute(&st, &[id, team, answers, scores])
            .expect("insert");
    }
    tx.commit().expect("commit");
    let plain = t.elapsed();

    println!(
        "outbox: {n} entries over {DAYS} days delivered in {:.2} s ({:.0} a second); a plain batched insert of the same rows: {:.2} s; ratio {:.1}x",
        deliver.as_secs_f64(),
        n as f64 / deliver.as_secs_f64(),
        plain.as_secs_f64(),
        deliver.as_secs_f64() / plain.as_secs_f64()
    );
}
