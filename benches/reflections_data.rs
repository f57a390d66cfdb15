//! The reflections benchmarks read: since issue 10 they live in the one
//! ward-scale database (`ward_data.rs`: 1,000,000 personal check-ins and
//! 1,000,000 team reflections across 50 teams and 5 years). Reusable: any
//! bench can `mod reflections_data;` and call [`million_reflections_db`].
#![allow(dead_code)]

#[path = "ward_data.rs"]
mod ward_data;

#[allow(unused_imports)]
pub use ward_data::{bench_data_dir, last_day, team_name, ward_db, DAYS, TEAMS, TOTAL};

pub fn million_reflections_db() -> std::path::PathBuf {
    ward_data::ward_db()
}
