//! The database the store benchmarks read: since issue 10 the one
//! ward-scale file (`ward_data.rs`: 1,000,000 personal check-ins across
//! 4,000 people and 1,000,000 team reflections). Person 1, the local
//! respondent, has 3,650 daily WHO-5 check-ins: the trend that is loaded.
#![allow(dead_code)]

#[path = "ward_data.rs"]
pub mod ward_data;

#[allow(unused_imports)]
pub use ward_data::{PEOPLE, PER_PERSON};

pub fn million_db() -> std::path::PathBuf {
    ward_data::ward_db()
}
