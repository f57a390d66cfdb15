//! `joy status` as a whole process (issue 18, §4: under 5 ms on a year of
//! daily check-ins): process start, configuration, the bundled
//! questionnaires, the cheap open (identity and schema, no integrity
//! check) and one grouped read. Beside it, `joy --version` (process start
//! and argument parsing alone) for comparison.

use chrono::Utc;
use joy_kiosk::questionnaire::Catalog;
use joy_kiosk::store::Store;
use std::process::Command;

fn main() {
    divan::main();
}

/// A year of daily check-ins (WHO-5 and joy in work each day), made once
/// in target/bench-data/.
fn year_db() -> std::path::PathBuf {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    let path = dir.join("status-year-v1.db");
    if path.exists() {
        return path;
    }
    std::fs::create_dir_all(&dir).expect("bench-data folder");
    let mut store = Store::open(&path).expect("a database");
    let me = store.local_respondent().expect("the local person");
    let cat = Catalog::bundled();
    let mut rows = Vec::new();
    let now = Utc::now();
    let mut rng = joy_kiosk::demo::Rng::new(5);
    for id in ["who5", "joy-in-work"] {
        let q = cat.get(id).expect("bundled");
        for d in 0..365 {
            let at = now - chrono::Duration::days(d) - chrono::Duration::hours(2);
            let a = joy_kiosk::demo::answers_at(q, rng.unit(), &mut rng);
            let o = joy_kiosk::questionnaire::score(q, &a);
            let mut c = joy_kiosk::model::NewCheckin::from_outcome(q, &a, &o, Some(me), at, at);
            c.is_demo = false;
            rows.push(c);
        }
    }
    store.save_many(&rows).expect("a year of check-ins");
    path
}

fn joy(args: &[&str], home: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_joy"))
        .args(args)
        .env_clear()
        .env("HOME", home)
        .env("PATH", "/usr/bin:/bin")
        .output()
        .expect("joy runs")
}

#[divan::bench(sample_count = 50)]
fn status_year_of_daily_checkins(b: divan::Bencher) {
    let db = year_db();
    let home = tempfile::tempdir().expect("a home");
    let o = joy(
        &["--db", db.to_str().expect("utf-8"), "status"],
        home.path(),
    );
    assert!(
        String::from_utf8_lossy(&o.stdout).starts_with("joy: "),
        "{o:?}"
    );
    b.bench_local(|| {
        joy(
            &["--db", db.to_str().expect("utf-8"), "status"],
            home.path(),
        )
    });
}

#[divan::bench(sample_count = 50)]
fn version_alone(b: divan::Bencher) {
    let home = tempfile::tempdir().expect("a home");
    b.bench_local(|| joy(&["--version"], home.path()));
}
