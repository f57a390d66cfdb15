//! What releasing periods costs (issue 16, `src/store/release.rs`): a
//! ward's year of team reflections (20 teams, 5 to 19 a week each, 52
//! weeks: about 12,500 reflections with answers, ticks and free text), then
//! `release_closed` once on the first day after the year (every team-week
//! and every week's ward total, each in its own transaction), a second run
//! that finds nothing to do, and reading one released team-week (its
//! release and the 7 before it) and one week's ward view.
//!
//! Run: `cargo bench --bench release` (a plain `main`, timed with
//! `Instant`, since the first run changes the file it measures).

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use joy_kiosk::anonymity::Thresholds;
use joy_kiosk::demo::Rng;
use joy_kiosk::period::{Period, PeriodKind};
use joy_kiosk::questionnaire::Catalog;
use joy_kiosk::reflection_gen;
use joy_kiosk::store::Store;
use std::time::Instant;

const TEAMS: usize = 20;
const WEEKS: u64 = 52;

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let cat = Catalog::bundled();
    let q = cat.get("team-reflection").expect("bundled");
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("ward-release.db");
    let mut store = Store::open(&db).expect("open");
    store.set_time_zone("Europe/London").expect("zone");
    let first = NaiveDate::from_ymd_opt(2025, 12, 1).expect("a Monday");
    let mut rng = Rng::new(16);
    let mut rows = Vec::new();
    for w in 0..WEEKS {
        for t in 0..TEAMS {
            let n = 5 + (rng.next_u64() % 15) as usize;
            for i in 0..n {
                let day = first + Duration::days((w * 7) as i64 + (i % 7) as i64);
                let a = reflection_gen::answers(q, rng.unit(), &mut rng, |qid| {
                    format!("{qid} words {w} {t} {i}")
                });
                rows.push(reflection_gen::checkin(
                    q,
                    &a,
                    &format!("Team {t:02}"),
                    PeriodKind::Week,
                    day,
                ));
            }
        }
    }
    let saved = Instant::now();
    store.save_many(&rows).expect("save");
    println!(
        "saved {} reflections of {TEAMS} teams over {WEEKS} weeks in {:.2} s",
        rows.len(),
        saved.elapsed().as_secs_f64()
    );
    let after = Utc.from_utc_datetime(
        &(first + Duration::days((WEEKS * 7 + 2) as i64))
            .and_hms_opt(9, 0, 0)
            .expect("time"),
    );
    let t0 = Instant::now();
    let report = store
        .release_closed(after, &[], Thresholds::default())
        .expect("release");
    let took = t0.elapsed();
    println!(
        "release_closed, first run: {} team-weeks and {} ward totals in {:.2} s ({:.2} ms each)",
        report.released.len(),
        report.ward_totals,
        took.as_secs_f64(),
        took.as_secs_f64() * 1e3 / (report.released.len() + report.ward_totals).max(1) as f64
    );
    let t0 = Instant::now();
    let again = store
        .release_closed(after, &[], Thresholds::default())
        .expect("release");
    println!(
        "release_closed, second run: {} released in {:.1} ms",
        again.released.len(),
        t0.elapsed().as_secs_f64() * 1e3
    );
    let week = Period::containing(PeriodKind::Week, first + Duration::days(30 * 7));
    let mut times = Vec::new();
    for _ in 0..200 {
        let t0 = Instant::now();
        let h = joy_kiosk::team_view::huddle(&mut store, q, "Team 07", week, Thresholds::default())
            .expect("view");
        times.push(t0.elapsed());
        assert!(h.released_on.is_some());
    }
    times.sort();
    println!(
        "one released team-week with its trend ({week}): median {:.3} ms of 200",
        times[100].as_secs_f64() * 1e3
    );
    let mut times = Vec::new();
    for _ in 0..200 {
        let t0 = Instant::now();
        let (total, teams) = store.ward_releases(&q.id, week).expect("ward");
        let v = joy_kiosk::ward::view(&total.expect("total"), &teams, Thresholds::default());
        times.push(t0.elapsed());
        assert_eq!(v.teams.len(), TEAMS);
    }
    times.sort();
    println!(
        "the ward view of {week} ({TEAMS} teams): median {:.3} ms of 200",
        times[100].as_secs_f64() * 1e3
    );
    println!(
        "file: {:.1} MiB",
        std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0) as f64 / (1024.0 * 1024.0)
    );
}
