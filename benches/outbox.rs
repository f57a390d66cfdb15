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

mod support;

const DAYS: i64 = 5;
const PER_DAY: usize = 2_000;

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let (conn, name, _) = support::fresh_database("outbox", "joy_bench");
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

    let plain = support::plain_insert(&conn, &rows);

    println!(
        "outbox: {n} entries over {DAYS} days delivered in {:.2} s ({:.0} a second); a plain batched insert of the same rows: {:.2} s; ratio {:.1}x",
        deliver.as_secs_f64(),
        n as f64 / deliver.as_secs_f64(),
        plain.as_secs_f64(),
        deliver.as_secs_f64() / plain.as_secs_f64()
    );
}
