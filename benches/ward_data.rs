//! The ward-scale database (issue 10), made once and kept in
//! `<target dir>/bench-data/ward-v2.db`: **1,000,000 personal check-ins**
//! across 4,000 people over ten years, and **1,000,000 anonymous team
//! reflections** across 50 teams over the last five, in one file, written
//! day by day in the order shared terminals would write them.
//!
//! The people, as a ward's staff might use it:
//! - person 1, the `local` respondent (the one `joy --db` opens): WHO-5
//!   every day for ten years (3,650, the trend benchmarked) and the two
//!   other personal questionnaires weekly (4,693 check-ins in all);
//! - 99 people with WHO-5 every day for ten years;
//! - 900 people weekly for ten years (WHO-5, joy in work or the People
//!   Promise pulse, one each);
//! - 3,000 people with WHO-5 monthly, starting at different times in the
//!   last six years (the earliest 1,830 of theirs are left out so the total
//!   is exactly 1,000,000).
//!
//! Reflections: `team-reflection` about 11 a day per team (`Team 00` to
//! `Team 49`), ISO weeks 2021-W47 to 2026-W47, saved as a kiosk saves them
//! (no person, the team, the week). Team 07's week 2026-W46 holds 77.
#![allow(dead_code)]

use chrono::{Days, Duration, NaiveDate, TimeZone, Utc};
use joy_kiosk::demo::{answers_at, Rng};
use joy_kiosk::period::PeriodKind;
use joy_kiosk::questionnaire::{score, Catalog, Questionnaire};
use joy_kiosk::reflection_gen;
use joy_kiosk::store::{NewCheckin, Store};
use std::path::PathBuf;

/// Days of personal check-ins (ten years).
pub const PERSONAL_DAYS: u64 = 3_650;
pub const PERSONAL_TOTAL: usize = 1_000_000;
pub const PEOPLE: i64 = 4_000;
/// Person 1's WHO-5 points.
pub const PER_PERSON: i64 = 3_650;
pub const TEAMS: usize = 50;
/// Days of reflections (five years).
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

/// Which questionnaire (0 who5, 1 joy-in-work, 2 people-promise) person
/// `p` answers on day `d`, in the order they do.
fn personal_of_day(p: i64, d: u64, out: &mut Vec<usize>) {
    out.clear();
    let d = d as i64;
    match p {
        1 => {
            out.push(0);
            if d % 7 == 0 {
                out.push(1);
            }
            if d % 7 == 3 {
                out.push(2);
            }
        }
        2..=100 => out.push(0),
        101..=1000 => {
            let start = p % 7;
            if d >= start && (d - start) % 7 == 0 {
                out.push((p % 3) as usize);
            }
        }
        _ => {
            let start = 1500 + (p * 7) % 1000;
            if d >= start && (d - start) % 30 == 0 {
                out.push(0);
            }
        }
    }
}

/// The reflections of day `d` (0 = the first of the five years), appended to `out`.
fn reflections_of_day(
    q: &Questionnaire,
    d: u64,
    made: &mut usize,
    rng: &mut Rng,
    out: &mut Vec<NewCheckin>,
) {
    let first = last_day().checked_sub_days(Days::new(DAYS - 1)).unwrap();
    let date = first.checked_add_days(Days::new(d)).unwrap();
    for ti in 0..TEAMS {
        let team = team_name(ti);
        // Spread TOTAL evenly over days and teams.
        let slot = (d as usize) * TEAMS + ti;
        let upto = (slot + 1) * TOTAL / (DAYS as usize * TEAMS);
        while *made < upto {
            let level = 0.5 + 0.3 * ((d as f64 / 60.0) + ti as f64).sin();
            let mut pick = rng.next_u64();
            let a = reflection_gen::answers(q, level, rng, |_| {
                pick = pick.rotate_left(7);
                if pick % 2 == 0 {
                    WORDS[(pick as usize / 2) % WORDS.len()].to_string()
                } else {
                    String::new()
                }
            });
            out.push(reflection_gen::checkin(
                q,
                &a,
                &team,
                PeriodKind::Week,
                date,
            ));
            *made += 1;
        }
    }
}

pub fn ward_db() -> PathBuf {
    let dir = bench_data_dir();
    let path = dir.join("ward-v2.db");
    if path.exists() {
        return path;
    }
    std::fs::create_dir_all(&dir).expect("bench-data folder");
    let tmp = dir.join("ward-v2.db.partial");
    let _ = std::fs::remove_file(&tmp);
    let started = std::time::Instant::now();
    let mut store = Store::open(&tmp).expect("open");
    let cat = Catalog::bundled();
    let personal: Vec<&Questionnaire> = ["who5", "joy-in-work", "people-promise"]
        .iter()
        .map(|id| cat.get(id).expect("bundled"))
        .collect();
    let reflection = cat.get("team-reflection").expect("team-reflection");
    {
        let c = store.connection();
        let tx = c.transaction().unwrap();
        for p in 1..=PEOPLE {
            tx.execute(
                "INSERT INTO respondent (id, kind, created_at) VALUES (?1, ?2, 0)",
                rusqlite::params![p, if p == 1 { "local" } else { "pin" }],
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }
    // How many the plan makes, so the monthly people's earliest are left out.
    let mut qs = Vec::new();
    let mut planned = 0usize;
    for d in 0..PERSONAL_DAYS {
        for p in 1..=PEOPLE {
            personal_of_day(p, d, &mut qs);
            planned += qs.len();
        }
    }
    let mut skip = planned.saturating_sub(PERSONAL_TOTAL);
    let end = Utc
        .from_local_datetime(&last_day().and_hms_opt(8, 0, 0).unwrap())
        .unwrap();
    let mut rng = Rng::new(42);
    let mut batch = Vec::with_capacity(20_000);
    let (mut personal_made, mut reflections_made) = (0usize, 0usize);
    for d in 0..PERSONAL_DAYS {
        let day_start = end - Duration::days((PERSONAL_DAYS - 1 - d) as i64);
        for p in 1..=PEOPLE {
            personal_of_day(p, d, &mut qs);
            for (k, &qi) in qs.iter().enumerate() {
                if p > 1000 && skip > 0 {
                    skip -= 1;
                    continue;
                }
                let q = personal[qi];
                let level = 0.5 + 0.35 * ((d as f64 / 90.0) + p as f64).sin();
                let a = answers_at(q, level, &mut rng);
                let o = score(q, &a);
                let t = day_start + Duration::seconds((p * 7 + k as i64 * 300) % 36_000);
                batch.push(NewCheckin::from_outcome(
                    q,
                    &a,
                    &o,
                    Some(p),
                    t - Duration::minutes(2),
                    t,
                ));
                personal_made += 1;
            }
        }
        if let Some(rd) = (d + DAYS).checked_sub(PERSONAL_DAYS) {
            reflections_of_day(reflection, rd, &mut reflections_made, &mut rng, &mut batch);
        }
        if batch.len() >= 20_000 {
            store.save_many(&batch).expect("save");
            batch.clear();
        }
    }
    store.save_many(&batch).expect("save");
    assert_eq!(personal_made, PERSONAL_TOTAL);
    assert_eq!(reflections_made, TOTAL);
    store
        .connection()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;")
        .unwrap();
    drop(store);
    std::fs::rename(&tmp, &path).expect("rename");
    eprintln!(
        "generated {} ({personal_made} check-ins, {reflections_made} reflections) in {:.1} s",
        path.display(),
        started.elapsed().as_secs_f64()
    );
    path
}
