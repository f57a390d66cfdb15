//! What one guess costs against a stolen kiosk database (see
//! `src/kiosk/secret.rs`, README "What the PIN protects" and BENCHMARKS.md
//! "A PIN that really protects"): the history key of a code and PIN
//! (argon2id, `KEY_PARAMS`) and the tag of a code (`TAG_PARAMS`), each the
//! median of 15 on one core; then the CPU-hours of trying every PIN of 6
//! digits for a known code, and every two-word code (the kiosk suggests
//! two words and two digits) for an unknown one.
//!
//! Run: `cargo bench --bench kiosk_secret`.

use joy_kiosk::kiosk::secret::{
    code_tag, history_key, key_check, key_fits, KEY_PARAMS, TAG_PARAMS,
};
use joy_kiosk::kiosk::{weak_pin, WORDS};
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let salt = [9u8; 16];
    let right = history_key("maple-otter-42", "480261", &salt).expect("key");
    let check = key_check(&right).expect("check");
    let key_guess = median(
        (0..15)
            .map(|i| {
                let t = Instant::now();
                let k = history_key("maple-otter-42", &format!("{:06}", 100_000 + i), &salt)
                    .expect("key");
                assert!(!key_fits(&k, &check));
                t.elapsed()
            })
            .collect(),
    );
    let tag_guess = median(
        (0..15)
            .map(|i| {
                let t = Instant::now();
                code_tag(&format!("maple-otter-{i:02}"), &salt).expect("tag");
                t.elapsed()
            })
            .collect(),
    );
    let pins = (0..1_000_000u32)
        .filter(|p| !weak_pin(&format!("{p:06}")))
        .count() as f64;
    let codes = (WORDS.len() * WORDS.len() * 100) as f64;
    let hours = |n: f64, d: Duration| n * d.as_secs_f64() / 3600.0;
    println!(
        "history key (argon2id m={} KiB, t={}, p={}): {:.1} ms a guess",
        KEY_PARAMS.0,
        KEY_PARAMS.1,
        KEY_PARAMS.2,
        key_guess.as_secs_f64() * 1000.0
    );
    println!(
        "code tag (argon2id m={} KiB, t={}, p={}): {:.1} ms a guess",
        TAG_PARAMS.0,
        TAG_PARAMS.1,
        TAG_PARAMS.2,
        tag_guess.as_secs_f64() * 1000.0
    );
    println!(
        "known code: every 6-digit PIN the kiosk accepts ({pins:.0}): {:.1} CPU-hours (half that on average)",
        hours(pins, key_guess)
    );
    println!(
        "unknown code: every two-word code ({codes:.0}): {:.1} CPU-hours, then its PIN as above",
        hours(codes, tag_guess)
    );
}
