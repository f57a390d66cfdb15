//! `cargo bench --bench huddle`: the huddle aggregates for one team and
//! period (this period's reflections with answers and scores, and the
//! trend summaries of the 7 periods before) from a database of 1,000,000
//! reflections across 50 teams and 5 years, through `Store::huddle` (the
//! anonymity rules included). Before the divan run it times the same five
//! SQL statements in the `sqlite3` shell on the same file, if installed.

use joy_kiosk::anonymity::Thresholds;
use joy_kiosk::huddle::{Content, TREND_PERIODS};
use joy_kiosk::period::Period;
use joy_kiosk::questionnaire::Catalog;
use joy_kiosk::store::team::{
    PERIOD_COUNTS_SQL, PERIOD_SCORES_SQL, REFLECTION_ANSWERS_SQL, REFLECTION_IDS_SQL,
    REFLECTION_SCORES_SQL,
};
use joy_kiosk::store::Store;
use std::process::Command;
use std::time::Duration;

mod reflections_data;
mod sqlite3_shell;

const TEAM: &str = "Team 07";
const PERIOD: &str = "2026-W46";

fn main() {
    let db = reflections_data::million_reflections_db();
    sqlite3_shell(&db);
    divan::main();
}

#[divan::bench(sample_count = 100)]
fn huddle_one_team_period(b: divan::Bencher) {
    let mut store = Store::open(&reflections_data::million_reflections_db()).unwrap();
    let cat = Catalog::bundled();
    let q = cat.get("team-reflection").unwrap();
    let period = Period::parse(PERIOD).unwrap();
    let h = joy_kiosk::team_view::huddle(&mut store, q, TEAM, period, Thresholds::default(), 1)
        .unwrap();
    assert!(h.reflections > 50, "{}", h.reflections);
    assert!(matches!(h.content, Content::Shown(_)));
    b.bench_local(|| {
        joy_kiosk::team_view::huddle(&mut store, q, TEAM, period, Thresholds::default(), 1).unwrap()
    });
}

/// The SQL `Store::huddle` runs, with its parameters written in.
fn statements() -> Vec<String> {
    let period = Period::parse(PERIOD).unwrap();
    let earlier = period.last_n(TREND_PERIODS);
    let (first, last) = (
        earlier[0].to_string(),
        earlier[TREND_PERIODS - 2].to_string(),
    );
    let fill = |sql: &str| {
        sql.replace("?1", &format!("'{TEAM}'"))
            .replace("?2", "'team-reflection'")
            .replace(
                "?3",
                &format!("'{}'", if sql.contains("?4") { &first } else { PERIOD }),
            )
            .replace("?4", &format!("'{last}'"))
    };
    [
        REFLECTION_IDS_SQL,
        REFLECTION_ANSWERS_SQL,
        REFLECTION_SCORES_SQL,
        PERIOD_COUNTS_SQL,
        PERIOD_SCORES_SQL,
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
        "sqlite3 shell {}: the five huddle statements for {TEAM}, {PERIOD}: {:.3} ms (median of 7 x {N})",
        String::from_utf8_lossy(&version.stdout).split_whitespace().next().unwrap_or(""),
        v[3].as_secs_f64() * 1e3
    );
}
