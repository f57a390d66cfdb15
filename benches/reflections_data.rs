//! A generated database of 1,000,000 synthetic team reflections
//! (`team-reflection`) across 50 teams and 5 years of ISO weeks (about 11
//! a day per team, interleaved by day as ward kiosks would write them),
//! made once and kept in `<target dir>/bench-data/`. Reusable: any bench
//! can `mod reflections_data;` and call [`million_reflections_db`].
#![allow(dead_code)]

use chrono::{Days, NaiveDate};
use joy_kiosk::demo::Rng;
use joy_kiosk::period::PeriodKind;
use joy_kiosk::questionnaire::Catalog;
use joy_kiosk::reflection_gen;
use joy_kiosk::store::Store;
use std::path::PathBuf;

pub const TEAMS: usize = 50;
pub const DAYS: u64 = 5 * 365 + 1;
pub const TOTAL: usize = 1_000_000;
/// The last day of generated data.
pub fn last_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

pub fn team_name(i: usize) -> String {
    format!("Team {i:02}")
}

const WORDS: [&str; 12] = [
    "time with patients",
    "a proper break",
    "being thanked",
    "a calm handover",
    "working equipment",
    "my colleagues",
    "learning something new",
    "enough staff",
    "being listened to",
    "a tidy store room",
    "fewer interruptions",
    "finishing on time",
];

/// The target folder: `CARGO_TARGET_DIR` when set, else `target/`.
pub fn bench_data_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("bench-data")
}

pub fn million_reflections_db() -> PathBuf {
    let dir = bench_data_dir();
    let path = dir.join("reflections-1m-v1.db");
    if path.exists() {
        return path;
    }
    std::fs::create_dir_all(&dir).expect("bench-data folder");
    let tmp = dir.join("reflections-1m-v1.db.partial");
    let _ = std::fs::remove_file(&tmp);
    let started = std::time::Instant::now();
    let mut store = Store::open(&tmp).expect("open");
    let cat = Catalog::bundled();
    let q = cat.get("team-reflection").expect("team-reflection");
    let mut rng = Rng::new(42);
    let first = last_day().checked_sub_days(Days::new(DAYS - 1)).unwrap();
    let teams: Vec<String> = (0..TEAMS).map(team_name).collect();
    let mut batch = Vec::with_capacity(20_000);
    let mut made = 0usize;
    for d in 0..DAYS {
        let date = first.checked_add_days(Days::new(d)).unwrap();
        for (ti, team) in teams.iter().enumerate() {
            // Spread TOTAL evenly over days and teams.
            let slot = (d as usize) * TEAMS + ti;
            let upto = (slot + 1) * TOTAL / (DAYS as usize * TEAMS);
            while made < upto {
                let level = 0.5 + 0.3 * ((d as f64 / 60.0) + ti as f64).sin();
                let mut pick = rng.next_u64();
                let a = reflection_gen::answers(q, level, &mut rng, |_| {
                    pick = pick.rotate_left(7);
                    if pick % 2 == 0 {
                        WORDS[(pick as usize / 2) % WORDS.len()].to_string()
                    } else {
                        String::new()
                    }
                });
                batch.push(reflection_gen::checkin(q, &a, team, PeriodKind::Week, date));
                made += 1;
                if batch.len() == 20_000 {
                    store.save_many(&batch).expect("save");
                    batch.clear();
                }
            }
        }
    }
    store.save_many(&batch).expect("save");
    store
        .connection()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;")
        .unwrap();
    drop(store);
    std::fs::rename(&tmp, &path).expect("rename");
    eprintln!(
        "generated {} ({made} reflections) in {:.1} s",
        path.display(),
        started.elapsed().as_secs_f64()
    );
    path
}
