//! The kiosk's rules that are not drawing or key handling: the PIN lockout
//! clock, the submission interval and the burst filter, personal-code
//! suggestions, PIN hashing, and retention. Pure: the time is always passed
//! in as `now`, so tests move the clock instead of sleeping. The store keeps
//! what must survive a restart (`src/store/kiosk.rs`).

pub mod gate;
pub mod lockout;
pub mod pin;
pub mod retention;
pub mod secret;
pub mod words;

pub use gate::{BurstFilter, SubmitGate, DEFAULT_BURST};
pub use lockout::{Lockout, LOCK_FOR, MAX_FAILURES};
pub use pin::{
    could_be_pin, hash_pin, prepare_dummy, valid_pin, verify_or_dummy, verify_pin, weak_pin,
    PinError, LEGACY_PIN_MIN, PIN_MAX, PIN_MIN,
};
pub use retention::{anonymous_stamp, retention_cutoff};
pub use words::{normalize_code, suggest_code, WORDS};

/// The lockout key of the admin PIN.
pub const ADMIN_KEY: &str = "admin";
