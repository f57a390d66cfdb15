//! The kiosk's rules that are not drawing or key handling: the PIN lockout
//! clock, the submission interval and the burst filter, personal-code
//! suggestions, PIN hashing, and retention. Pure: the time is always passed
//! in as `now`, so tests move the clock instead of sleeping. The store keeps
//! what must survive a restart (`src/store/kiosk.rs`).

pub mod gate;
pub mod lockout;
pub mod pin;
pub mod retention;
pub mod words;

pub use gate::{BurstFilter, SubmitGate, DEFAULT_BURST};
pub use lockout::{Lockout, LOCK_FOR, MAX_FAILURES};
pub use pin::{
    hash_pin, prepare_dummy, valid_pin, verify_or_dummy, verify_pin, PinError, PIN_MAX, PIN_MIN,
};
pub use retention::{anonymous_stamp, retention_cutoff};
pub use words::{normalize_code, suggest_code, WORDS};

use sha2::{Digest, Sha256};

/// The lockout key of the admin PIN.
pub const ADMIN_KEY: &str = "admin";

/// The lockout key of a personal code as typed: `code:` and the hex SHA-256
/// of the normalized code (of the trimmed, lowercased text when it is not a
/// valid code), so codes typed by mistake are not kept in clear. Known and
/// unknown codes get keys of the same form: a lockout row never says whether
/// its code exists. (A hash of a code from a small space can be reversed by
/// trying them all; this only keeps stray typing out of plain sight.)
pub fn code_key(typed: &str) -> String {
    let normal = normalize_code(typed).unwrap_or_else(|| typed.trim().to_lowercase());
    let digest = Sha256::digest(normal.as_bytes());
    let mut key = String::with_capacity(5 + 64);
    key.push_str("code:");
    for b in digest {
        key.push_str(&format!("{b:02x}"));
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_keys_hide_the_code_and_ignore_how_it_was_typed() {
        let k = code_key("maple-otter-42");
        assert!(k.starts_with("code:") && k.len() == 5 + 64, "{k}");
        assert!(!k.contains("maple"));
        assert_eq!(code_key("  Maple Otter_42 "), k);
        assert_ne!(code_key("maple-otter-43"), k);
        // Not a valid code: still a key of the same form.
        let odd = code_key("maple!otter");
        assert!(odd.starts_with("code:") && odd.len() == 69);
        assert_ne!(ADMIN_KEY, k);
    }
}
