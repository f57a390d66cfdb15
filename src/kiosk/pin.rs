//! PINs: the rule, argon2id hashing (m = 64 MiB, t = 3, p = 1, as a
//! history key; a random 16-byte salt, stored as a PHC string; hashes
//! made before with argon2 0.6's defaults, 19 MiB and 2 passes, still
//! verify), and
//! verification that takes the same time whether or not a code exists.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use std::sync::OnceLock;

/// Fewest digits in a new PIN.
pub const PIN_MIN: usize = 6;
/// Fewest digits of a PIN made before 6 were required: still typed to sign
/// in, once, to choose a new one (see `app::kiosk`, "renew").
pub const LEGACY_PIN_MIN: usize = 4;
/// Most digits in a PIN.
pub const PIN_MAX: usize = 12;

#[derive(Debug, thiserror::Error)]
#[error("cannot protect the PIN: {0}")]
pub struct PinError(String);

/// The rule for a new PIN: 6 to 12 digits, and not one of the first a
/// guesser tries ([`weak_pin`]). `Err` holds what to show.
pub fn valid_pin(pin: &str) -> Result<(), &'static str> {
    if !(PIN_MIN..=PIN_MAX).contains(&pin.len()) || !pin.bytes().all(|b| b.is_ascii_digit()) {
        Err(crate::text::kiosk::PIN_RULE)
    } else if weak_pin(pin) {
        Err(crate::text::kiosk::PIN_WEAK)
    } else {
        Ok(())
    }
}

/// Could this be a PIN to sign in with (new or made before 6 digits were
/// required)? Only the form is checked; the store says whether it is right.
pub fn could_be_pin(pin: &str) -> bool {
    (LEGACY_PIN_MIN..=PIN_MAX).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit())
}

/// PINs a guesser tries first: one digit repeated or any repeated pattern
/// (`000000`, `121212`, `123123`), runs up or down, wrapping past 9
/// (`123456`, `654321`, `890123`), pairs in a run (`112233`), and the
/// keypad patterns common in leaked PIN lists.
pub fn weak_pin(pin: &str) -> bool {
    const COMMON: [&str; 8] = [
        "159753", "147258", "258369", "147852", "789456", "456123", "123654", "102030",
    ];
    let d: Vec<i32> = pin
        .bytes()
        .map(|b| i32::from(b) - i32::from(b'0'))
        .collect();
    let n = d.len();
    let repeats = (1..=n / 2).any(|len| n % len == 0 && (len..n).all(|i| d[i] == d[i - len]));
    let run = |step: i32| {
        d.windows(2)
            .all(|w| (w[1] - w[0]).rem_euclid(10) == step.rem_euclid(10))
    };
    let pairs = n % 2 == 0
        && d.chunks(2).all(|c| c[0] == c[1])
        && d.chunks(2).collect::<Vec<_>>().windows(2).all(|w| {
            let step = (w[1][0] - w[0][0]).rem_euclid(10);
            step == 1 || step == 9
        });
    repeats || run(1) || run(-1) || pairs || COMMON.contains(&pin)
}

/// Hash a PIN with argon2id and a random salt: a PHC string
/// (`$argon2id$v=19$m=65536,t=3,p=1$salt$hash`), the only form a PIN is kept in.
pub fn hash_pin(pin: &str) -> Result<String, PinError> {
    strong()
        .hash_password(pin.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| PinError(e.to_string()))
}

/// argon2id with the cost of a history key (`secret::KEY_PARAMS`: 64 MiB,
/// 3 passes): the admin PIN guards the admin screen, and from a copy of the
/// file a guess must cost as much as a guess at a private history.
fn strong() -> Argon2<'static> {
    let (m, t, p) = super::secret::KEY_PARAMS;
    match argon2::Params::new(m, t, p, None) {
        Ok(params) => Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params),
        Err(_) => Argon2::default(),
    }
}

/// Is `pin` the PIN hashed in `hash`? A hash that cannot be read is treated
/// as a wrong PIN, after the same work as a real check.
pub fn verify_pin(hash: &str, pin: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(pin.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => {
            verify_dummy(pin);
            false
        }
    }
}

/// Verify against `hash`, or, for an unknown code (`None`), against a dummy
/// hash with the same parameters, so the time taken does not reveal whether
/// a code exists. Always false for `None`.
pub fn verify_or_dummy(hash: Option<&str>, pin: &str) -> bool {
    match hash {
        Some(h) => verify_pin(h, pin),
        None => {
            verify_dummy(pin);
            false
        }
    }
}

fn verify_dummy(pin: &str) {
    if let Ok(parsed) = PasswordHash::new(dummy_hash()) {
        let _ = Argon2::default().verify_password(pin.as_bytes(), &parsed);
    }
}

/// A hash of no PIN anybody can type (letters are not allowed), made once
/// per process with the same parameters as real hashes.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let argon = strong();
        let pw = b"no-such-code";
        argon
            .hash_password(pw)
            // Without OS randomness a fixed salt is as good for a dummy.
            .or_else(|_| argon.hash_password_with_salt(pw, b"joy-kiosk-dummy-salt"))
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

/// Warm the dummy hash (it takes one hash's time), e.g. when the kiosk
/// starts, so the first unknown code is not slower than later ones.
pub fn prepare_dummy() {
    let _ = dummy_hash();
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn the_rule_is_six_to_twelve_digits_and_not_a_weak_one() {
        for ok in ["480261", "902417", "123456789013", "7305918"] {
            assert_eq!(valid_pin(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "1234",
            "48026",
            "1234567890123",
            "12a456",
            " 480261",
            "480261 ",
            "١٢٣٤٥٦",
            "4802.1",
        ] {
            let rule = valid_pin(bad).unwrap_err();
            assert!(rule.contains("6 to 12 digits"), "{bad}: {rule}");
        }
        for weak in [
            "000000",
            "999999",
            "123456",
            "654321",
            "012345",
            "890123",
            "121212",
            "123123",
            "112233",
            "998877",
            "159753",
            "123456789012",
            "1111111",
            "10101010",
        ] {
            assert_eq!(valid_pin(weak), Err(crate::text::kiosk::PIN_WEAK), "{weak}");
        }
    }

    #[test]
    fn pins_made_before_six_digits_can_still_be_typed_to_sign_in() {
        assert!(could_be_pin("2468"));
        assert!(could_be_pin("480261"));
        assert!(!could_be_pin("246"));
        assert!(!could_be_pin("24a8"));
    }

    #[test]
    fn hashes_are_argon2id_salted_and_verify() {
        let h = hash_pin("2468").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=65536,t=3,p=1$"), "{h}");
        assert!(!h.contains("2468"));
        assert_ne!(hash_pin("2468").unwrap(), h, "a fresh salt each time");
        assert!(verify_pin(&h, "2468"));
        assert!(!verify_pin(&h, "2469"));
        assert!(!verify_pin(&h, ""));
        assert!(!verify_pin("not a hash", "2468"));
        assert!(verify_or_dummy(Some(&h), "2468"));
        assert!(!verify_or_dummy(None, "2468"));
        assert!(
            !verify_or_dummy(None, "no-such-code"),
            "the dummy's own text never verifies"
        );
        assert!(dummy_hash().starts_with("$argon2id$v=19$m=65536,t=3,p=1$"));
    }

    /// Loose on purpose (medians of 5, within a factor of 2): the point is
    /// that an unknown code costs a full verification, not a lookup.
    #[test]
    fn unknown_codes_and_wrong_pins_take_comparable_time() {
        let h = hash_pin("2468").unwrap();
        prepare_dummy();
        // Interleaved, and the fastest of each: a busy machine (CI, other
        // builds) slows single runs, never makes the work itself faster.
        let time = |f: &dyn Fn()| {
            let t = Instant::now();
            f();
            t.elapsed()
        };
        let (mut wrong, mut unknown) = (Duration::MAX, Duration::MAX);
        for _ in 0..7 {
            wrong = wrong.min(time(&|| assert!(!verify_or_dummy(Some(&h), "1357"))));
            unknown = unknown.min(time(&|| assert!(!verify_or_dummy(None, "1357"))));
        }
        let ratio = wrong.as_secs_f64() / unknown.as_secs_f64();
        assert!(
            (0.5..=2.0).contains(&ratio),
            "wrong PIN {wrong:?}, unknown code {unknown:?}"
        );
        // And neither is a shortcut: both do the memory-hard work.
        assert!(unknown > Duration::from_millis(2), "{unknown:?}");
    }
}
