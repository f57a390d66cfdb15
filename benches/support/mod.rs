//! What the server benches share: a new database on the throwaway server
//! (`scripts/with-postgres`), and the plain batched insert each delivery
//! is measured beside.
#![allow(dead_code)]

use std::time::{Duration, Instant};

/// A new database named `prefix_<random>` on the server of `JOY_TEST_PG`:
/// (its connection string as the superuser, its name, the connection
/// string for login `user`). Exits with what to run when there is no server.
pub fn fresh_database(bench: &str, prefix: &str) -> (String, String, impl Fn(&str) -> String) {
    let Ok(base) = std::env::var("JOY_TEST_PG") else {
        eprintln!(
            "{bench} bench: needs a server; run: scripts/with-postgres cargo bench --bench {bench}"
        );
        std::process::exit(2);
    };
    let name = format!("{prefix}_{:08x}", joy_kiosk::anonymity::os_seed() as u32);
    postgres::Client::connect(&base, postgres::NoTls)
        .expect("server")
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("database");
    let others: Vec<String> = base
        .split_whitespace()
        .filter(|kv| !kv.starts_with("dbname=") && !kv.starts_with("user="))
        .map(str::to_string)
        .collect();
    let at = format!("{} dbname={name}", others.join(" "));
    let conn = format!("{at} user=postgres");
    (conn, name, move |user: &str| format!("{at} user={user}"))
}

/// The same rows as delivered, into a table of the same shape as `entry`
/// by a plain batched insert: one transaction, one prepared INSERT a row.
pub fn plain_insert(conn: &str, rows: &[joy_kiosk::model::NewCheckin]) -> Duration {
    let mut c = postgres::Client::connect(conn, postgres::NoTls).expect("connect");
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
    t.elapsed()
}
