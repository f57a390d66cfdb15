//! `cargo bench --bench huddle`: a database of 1,000,000 reflections across
//! 50 teams and 5 years. First every closed period is released once (timed
//! and printed; later runs find nothing to do). Then the huddle of one team
//! and period is read from its release and the 7 releases before it (the
//! trend), through the reader's thresholds. The five SQL statements that
//! read a period's raw reflections (what a release reads) are timed in the
//! `sqlite3` shell on the same file, if installed.

use joy_kiosk::anonymity::Thresholds;
use joy_kiosk::huddle::Content;
use joy_kiosk::period::Period;
use joy_kiosk::questionnaire::Catalog;
use joy_kiosk::store::team::{REFLECTION_ANSWERS_SQL, REFLECTION_IDS_SQL, REFLECTION_SCORES_SQL};
use joy_kiosk::store::Store;
use std::process::Command;
use std::time::Duration;

mod reflections_data;
mod sqlite3_shell;

const TEAM: &str = "Team 07";
const PERIOD: &str = "2026-W46";

fn main() {
    let db = reflections_data::million_reflections_db();
    release_all(&db);
    sqlite3_shell(&db);
    divan::main();
}

#[divan::bench(sample_count = 100)]
fn huddle_one_team_period(b: divan::Bencher) {
    let mut store = Store::open(&reflections_data::million_reflections_db()).unwrap();
    let cat = Catalog::bundled();
    let q = cat.get("team-reflection").unwrap();
    let period = Period::parse(PERIOD).unwrap();
    let h =
        joy_kiosk::team_view::huddle(&mut store, q, TEAM, period, Thresholds::default()).unwrap();
    assert!(h.reflections > 50, "{}", h.reflections);
    assert!(matches!(h.content, Content::Shown(_)), "{:?}", h.content);
    b.bench_local(|| {
        joy_kiosk::team_view::huddle(&mut store, q, TEAM, period, Thresholds::default()).unwrap()
    });
}

/// Release every closed period of the file once (the first run does the
/// work and says how long it took; later runs find nothing to release).
fn release_all(db: &std::path::Path) {
    let mut store = Store::open(db).unwrap();
    let cat = Catalog::bundled();
    let offered: Vec<_> = cat
        .entries
        .iter()
        .map(|e| e.questionnaire.clone())
        .collect();
    let t0 = std::time::Instant::now();
    let report = store
        .release_closed(chrono::Utc::now(), &offered, Thresholds::default())
        .unwrap();
    println!(
        "release_closed: {} periods released in {:.1} s ({} without a definition)",
        report.released.len(),
        t0.elapsed().as_secs_f64(),
        report.no_definition.len()
    );
}

/// The SQL a release runs to read one period's reflections, with its
/// parameters written in.
fn statements() -> Vec<String> {
    let fill = |sql: &str| {
        sql.replace("?1", &format!("'{TEAM}'"))
            .replace("?2", "'team-reflection'")
            .replace("?3", &format!("'{PERIOD}'"))
    };
    [
        REFLECTION_IDS_SQL,
        REFLECTION_ANSWERS_SQL,
        REFLECTION_SCORES_SQL,
    ]
    .iter()
    .map(|s| fill(s))
    .collect()
}

fn shell(db: &std::path::Path, rounds: usize) -> Duration {
    sqlite3_shell::time_script(db, &statements(), rounds)
}

fn sqlite3_shell(db: &std::path::Path) {
    let Ok(version) = Command::new("sqlite3").arg("-version").output() else {
        println!("sqlite3 shell not installed (apt-get install sqlite3): not compared");
        return;
    };
    for s in statements() {
        println!("{s};");
    }
    shell(db, 5);
    const N: usize = 200;
    let mut v: Vec<Duration> = (0..7)
        .map(|_| shell(db, N).saturating_sub(shell(db, 0)) / N as u32)
        .collect();
    v.sort();
    println!(
        "sqlite3 shell {}: the three statements that read a period for {TEAM}, {PERIOD}: {:.3} ms (median of 7 x {N})",
        String::from_utf8_lossy(&version.stdout).split_whitespace().next().unwrap_or(""),
        v[3].as_secs_f64() * 1e3
    );
}
