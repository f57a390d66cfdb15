//! `cargo bench --bench trend_vs_sqlite3`: one person's 3,650-point trend,
//! loaded by joy-kiosk (`Store::series`) and, as the physical floor, by the
//! `sqlite3` command-line shell on the same ward-scale file: a range scan
//! of `series_by_person`, an index that holds exactly the columns shown
//! (person, questionnaire, score, time, value, demo mark). Also the join
//! used before schema 4, in the shell. The shell's time per query is (time
//! of a script with N queries - time of one with none) / N, so its start-up
//! is not counted; its printing of rows (to /dev/null) is.

use joy_kiosk::store::{Store, SERIES_JOIN_SQL, SERIES_SQL};
use std::process::Command;
use std::time::{Duration, Instant};

mod common;
mod sqlite3_shell;

const N: usize = 200;
const ROUNDS: usize = 7;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn shell(db: &std::path::Path, sql: &str, queries: usize) -> Duration {
    let sql = sql
        .replace("?1", "1")
        .replace("?2", "'who5'")
        .replace("?3", "'wellbeing'")
        .replace("?4", &i64::MIN.to_string());
    sqlite3_shell::time_script(db, &[sql], queries)
}

fn main() {
    let db = common::million_db();
    if Command::new("sqlite3").arg("-version").output().is_err() {
        println!("sqlite3 shell not installed (apt-get install sqlite3): ratio not measured");
        return;
    }
    let version = Command::new("sqlite3").arg("-version").output().unwrap();
    let mut store = Store::open(&db).unwrap();
    // Warm the page cache for both.
    store.series(1, "who5", "wellbeing", None).unwrap();
    shell(&db, SERIES_SQL, 5);
    shell(&db, SERIES_JOIN_SQL, 5);
    let plan = Command::new("sqlite3")
        .arg(&db)
        .arg(format!(
            "EXPLAIN QUERY PLAN {}",
            SERIES_SQL
                .replace("?1", "1")
                .replace("?2", "'who5'")
                .replace("?3", "'wellbeing'")
                .replace("?4", "0")
        ))
        .output()
        .unwrap();
    println!("{}", String::from_utf8_lossy(&plan.stdout).trim());

    let mut ours = Vec::new();
    for _ in 0..ROUNDS {
        let start = Instant::now();
        for _ in 0..N {
            assert_eq!(
                store.series(1, "who5", "wellbeing", None).unwrap().len(),
                3650
            );
        }
        ours.push(start.elapsed() / N as u32);
    }
    let per_query = |sql: &str| {
        let mut v = Vec::new();
        for _ in 0..ROUNDS {
            let with = shell(&db, sql, N);
            let without = shell(&db, sql, 0);
            v.push(with.saturating_sub(without) / N as u32);
        }
        median(v)
    };
    let t = per_query(SERIES_SQL);
    let join = per_query(SERIES_JOIN_SQL);
    let o = median(ours);
    println!(
        "sqlite3 shell: {}",
        String::from_utf8_lossy(&version.stdout).trim()
    );
    println!(
        "joy-kiosk Store::series, 3650 points: {:.3} ms (median of {ROUNDS} x {N})",
        o.as_secs_f64() * 1e3
    );
    println!(
        "sqlite3 shell, same query (the floor): {:.3} ms (median of {ROUNDS} x {N})",
        t.as_secs_f64() * 1e3
    );
    println!(
        "sqlite3 shell, the join before schema 4: {:.3} ms (median of {ROUNDS} x {N})",
        join.as_secs_f64() * 1e3
    );
    println!(
        "ratio joy / floor: {:.2} (target <= 2)",
        o.as_secs_f64() / t.as_secs_f64()
    );
}
