//! Questionnaire files: the format, loading with file:line:column errors,
//! validation, scoring, and the catalogue of bundled and user files.
//! No terminal and no database code lives here.

pub mod answers;
pub mod catalog;
pub mod fhir;
mod file;
pub mod load;
pub mod model;
pub mod number;
pub mod range;
mod record;
pub mod score;
pub mod source;
pub mod to_toml;
mod validate;

pub use catalog::{Catalog, Entry, Failure, Origin};
pub use load::{load_bytes, load_path, load_str, Diagnostic};
pub use model::*;
pub use score::{score, FlagHit, FocusHit, Outcome, ScoreResult};
