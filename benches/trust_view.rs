//! The trust view at a trust's size (issue 17, §5): 200 wards x 5 teams on
//! one server, each team with 6 real reflections in one week, released as
//! a trust's server releases them (every team, every ward's total, the
//! trust total). Timed: reading the week's releases as the huddle role and
//! computing the view with its complementary suppression.
//!
//! `scripts/with-postgres cargo bench --bench trust_view`

use chrono::{NaiveDate, TimeZone, Utc};
use joy_kiosk::anonymity::Thresholds;
use joy_kiosk::demo::Rng;
use joy_kiosk::period::{Period, PeriodKind};
use joy_kiosk::questionnaire::Catalog;
use joy_kiosk::reflection_gen;
use joy_kiosk::store::outbox::OutboxEntry;
use joy_kiosk::store::pg::PgStore;
use joy_kiosk::store::TeamStore;
use std::time::Instant;

mod support;

const WARDS: usize = 200;
const TEAMS: usize = 5;

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let (conn, name, as_user) = support::fresh_database("trust_view", "joy_trust");
    let huddle_conn = as_user(&format!("{name}_h"));
    let mut admin = PgStore::init(&conn, &name).expect("init");
    postgres::Client::connect(&conn, postgres::NoTls)
        .expect("connect")
        .batch_execute(&format!("CREATE ROLE {name}_h LOGIN IN ROLE {name}_huddle"))
        .expect("a huddle login");
    admin
        .set_time_zone(chrono_tz::Europe::London)
        .expect("zone");
    let cat = Catalog::bundled();
    let q = cat.get("team-reflection").expect("bundled").clone();
    let mut rng = Rng::new(8);
    let day = NaiveDate::from_ymd_opt(2026, 11, 17).expect("a day");
    let mut entries = Vec::new();
    let mut n = 0;
    for w in 0..WARDS {
        let teams: Vec<String> = (0..TEAMS).map(|t| format!("W{w:03}-T{t}")).collect();
        admin
            .set_ward(&format!("Ward {w:03}"), &teams)
            .expect("ward");
        for (i, team) in teams.iter().enumerate() {
            // One team under k in every seventh ward, so that the view has
            // something to hide at both levels.
            let count = if w % 7 == 0 && i == 0 { 2 } else { 6 };
            for _ in 0..count {
                let a = reflection_gen::answers(&q, rng.unit(), &mut rng, |_| String::new());
                let c = reflection_gen::checkin(&q, &a, team, PeriodKind::Week, day);
                n += 1;
                entries.push((n, OutboxEntry::of(&c, c.completed_at)));
            }
        }
    }
    admin.submit_day(&entries).expect("submit");
    let t = Instant::now();
    let report = admin
        .release_closed(
            Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap(),
            std::slice::from_ref(&q),
            Thresholds::default(),
        )
        .expect("release");
    assert_eq!(report.wards, WARDS);
    eprintln!(
        "{} entries; {} team releases, {} ward totals and the trust total released in {:.1} s",
        entries.len(),
        report.released.len(),
        report.wards,
        t.elapsed().as_secs_f64()
    );

    let mut h = PgStore::connect(huddle_conn.as_str()).expect("the huddle role");
    let week = Period::containing(PeriodKind::Week, day);
    let mut times = Vec::new();
    let mut hidden = 0;
    for _ in 0..50 {
        let t = Instant::now();
        let (total, wards) = h.trust_period(&q.id, week).expect("read");
        let v = joy_kiosk::trust::view(
            &total.expect("the trust total"),
            &wards,
            Thresholds::default(),
        );
        times.push(t.elapsed());
        assert_eq!(v.view.teams.len(), WARDS);
        hidden = v.view.teams.iter().filter(|r| r.means[0].is_err()).count();
    }
    assert!(h.released_periods("").expect("periods").contains(&week));
    times.sort();
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    println!(
        "trust_view: {WARDS} wards x {TEAMS} teams, read as the huddle role and computed: median {:.1} ms, p95 {:.1} ms, max {:.1} ms (50 reads; {hidden} ward rows hidden)",
        ms(times[times.len() / 2]),
        ms(times[times.len() * 95 / 100]),
        ms(times[times.len() - 1])
    );
}
