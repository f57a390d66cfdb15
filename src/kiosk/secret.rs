//! A private history only its code and PIN open.
//!
//! - **Finding a code.** A code is never kept in clear nor as a fast hash:
//!   the store keeps its *tag*, argon2id of the code with a random salt of
//!   this database ([`TAG_PARAMS`]), and looks a typed code up by its tag.
//!   Wrong PINs are counted under a second tag of the same run (typos
//!   included), which the stored tag does not give ([`CodeTags`]).
//! - **Opening a history.** The history key is argon2id of the code and the
//!   PIN with a random salt of the holder ([`KEY_PARAMS`]); the store keeps
//!   only that salt and a check value (a constant sealed under the key), so
//!   a PIN is verified by opening the check. Every answer and score of the
//!   holder is sealed under the key (XChaCha20-Poly1305, a random nonce per
//!   check-in); nothing of it is kept in clear, trend rows included.
//! - **A guess costs a key derivation**, whether the guesser is at the
//!   kiosk (where five wrong PINs also lock the code) or holds a copy of
//!   the file (where nothing locks). The cost is measured in
//!   `benches/kiosk_secret.rs` and stated in the README.

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::{Zeroize, ZeroizeOnDrop};

/// argon2id cost of a code's tag: memory in KiB, passes, lanes.
pub const TAG_PARAMS: (u32, u32, u32) = (32 * 1024, 2, 1);
/// argon2id cost of a history key: memory in KiB, passes, lanes.
pub const KEY_PARAMS: (u32, u32, u32) = (64 * 1024, 3, 1);
/// Bytes of a salt.
pub const SALT_LEN: usize = 16;
const NONCE_LEN: usize = 24;
/// What the check value seals.
const CHECK: &[u8] = b"joy-kiosk history key v1";
/// Associated data of every sealed check-in.
const SEALED_AD: &[u8] = b"joy-kiosk sealed check-in v1";

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("the system gave no randomness: {0}")]
    Random(String),
    #[error("cannot derive a key: {0}")]
    Derive(String),
    #[error("cannot seal a check-in: {0}")]
    Seal(String),
}

/// The key of one private history: in memory only while its holder is
/// signed in (it goes with the session), wiped when dropped.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct HistoryKey([u8; 32]);

impl std::fmt::Debug for HistoryKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HistoryKey(hidden)")
    }
}

fn argon((m, t, p): (u32, u32, u32)) -> Result<Argon2<'static>, SecretError> {
    let params = Params::new(m, t, p, None).map_err(|e| SecretError::Derive(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Random bytes from the operating system.
pub fn random<const N: usize>() -> Result<[u8; N], SecretError> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|e| SecretError::Random(e.to_string()))?;
    Ok(b)
}

/// What one argon2id run of a code gives (64 bytes, split): the tag its
/// holder is kept and found under, and the key its wrong PINs are counted
/// under. Neither can be had from the other without the code, so a
/// lockout row in the file does not say which holder was guessed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeTags {
    pub tag: [u8; 32],
    pub lock: [u8; 32],
}

/// The tags of a normalized code, with the database's code salt.
pub fn code_tags(code: &str, salt: &[u8]) -> Result<CodeTags, SecretError> {
    let mut out = [0u8; 64];
    argon(TAG_PARAMS)?
        .hash_password_into(code.as_bytes(), salt, &mut out)
        .map_err(|e| SecretError::Derive(e.to_string()))?;
    let mut tags = CodeTags {
        tag: [0u8; 32],
        lock: [0u8; 32],
    };
    tags.tag.copy_from_slice(&out[..32]);
    tags.lock.copy_from_slice(&out[32..]);
    Ok(tags)
}

/// The tag a normalized code is kept and found under (see [`code_tags`]).
pub fn code_tag(code: &str, salt: &[u8]) -> Result<[u8; 32], SecretError> {
    Ok(code_tags(code, salt)?.tag)
}

/// The history key of a normalized code and a PIN, with the holder's salt.
pub fn history_key(code: &str, pin: &str, salt: &[u8]) -> Result<HistoryKey, SecretError> {
    let mut secret = Vec::with_capacity(code.len() + pin.len() + 1);
    secret.extend_from_slice(code.as_bytes());
    secret.push(b'\n');
    secret.extend_from_slice(pin.as_bytes());
    let mut out = [0u8; 32];
    let made = argon(KEY_PARAMS)?
        .hash_password_into(&secret, salt, &mut out)
        .map_err(|e| SecretError::Derive(e.to_string()));
    secret.zeroize();
    made?;
    Ok(HistoryKey(out))
}

fn cipher(key: &HistoryKey) -> Result<XChaCha20Poly1305, SecretError> {
    XChaCha20Poly1305::new_from_slice(&key.0).map_err(|e| SecretError::Seal(e.to_string()))
}

fn seal_with(key: &HistoryKey, msg: &[u8], aad: &[u8]) -> Result<Vec<u8>, SecretError> {
    let nonce: [u8; NONCE_LEN] = random()?;
    let body = cipher(key)?
        .encrypt(&XNonce::from(nonce), Payload { msg, aad })
        .map_err(|e| SecretError::Seal(e.to_string()))?;
    let mut out = Vec::with_capacity(NONCE_LEN + body.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&body);
    Ok(out)
}

fn open_with(key: &HistoryKey, blob: &[u8], aad: &[u8]) -> Option<Vec<u8>> {
    if blob.len() < NONCE_LEN {
        return None;
    }
    let (nonce, body) = blob.split_at(NONCE_LEN);
    let nonce: [u8; NONCE_LEN] = nonce.try_into().ok()?;
    cipher(key)
        .ok()?
        .decrypt(&XNonce::from(nonce), Payload { msg: body, aad })
        .ok()
}

/// Seal a check-in's contents under `key`.
pub fn seal(key: &HistoryKey, plain: &[u8]) -> Result<Vec<u8>, SecretError> {
    seal_with(key, plain, SEALED_AD)
}

/// Open a sealed check-in; None if `key` is not the one it was sealed with
/// or the bytes were changed.
pub fn open(key: &HistoryKey, blob: &[u8]) -> Option<Vec<u8>> {
    open_with(key, blob, SEALED_AD)
}

/// The check value kept for a holder: proves a key right without keeping it.
pub fn key_check(key: &HistoryKey) -> Result<Vec<u8>, SecretError> {
    seal_with(key, CHECK, b"check")
}

/// Is `key` the key whose check value this is?
pub fn key_fits(key: &HistoryKey, check: &[u8]) -> bool {
    open_with(key, check, b"check").is_some_and(|p| p == CHECK)
}

/// A new holder of `code` (normalized) and `pin` on the database whose code
/// salt is `db_salt`: what the store keeps, and the key for this session.
pub fn make_holder(
    code: &str,
    pin: &str,
    db_salt: &[u8],
) -> Result<(crate::model::NewHolder, HistoryKey), SecretError> {
    let tag = code_tag(code, db_salt)?;
    let key_salt: [u8; SALT_LEN] = random()?;
    let key = history_key(code, pin, &key_salt)?;
    let key_check = key_check(&key)?;
    Ok((
        crate::model::NewHolder {
            tag,
            key_salt,
            key_check,
        },
        key,
    ))
}

/// Bytes as lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The lockout key of a code's lock tag ([`CodeTags::lock`]; known and
/// unknown codes alike).
pub fn lockout_key(tag: &[u8]) -> String {
    format!("code:{}", hex(tag))
}

/// A typed code as it is tagged: normalized, or (not a valid code) trimmed
/// and lowercased, so wrong ones are counted the same way.
pub fn tag_text(typed: &str) -> String {
    crate::kiosk::normalize_code(typed).unwrap_or_else(|| typed.trim().to_lowercase())
}

/// Do the work of one key derivation and check, for a code that does not
/// exist, so an unknown code takes as long as a known one.
pub fn dummy_check(pin: &str) {
    if let Ok(k) = history_key("no-such-code", pin, &[0u8; SALT_LEN]) {
        let _ = key_fits(&k, &[0u8; 64]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_history_opens_with_its_code_and_pin_only() {
        let salt = [7u8; SALT_LEN];
        let key = history_key("maple-otter-42", "480261", &salt).unwrap();
        let check = key_check(&key).unwrap();
        assert!(key_fits(&key, &check));
        for (code, pin) in [("maple-otter-42", "480262"), ("maple-otter-43", "480261")] {
            let other = history_key(code, pin, &salt).unwrap();
            assert!(!key_fits(&other, &check), "{code} {pin}");
        }
        let sealed = seal(&key, b"{\"answers\":[]}").unwrap();
        assert_eq!(open(&key, &sealed).unwrap(), b"{\"answers\":[]}");
        let mut changed = sealed.clone();
        *changed.last_mut().unwrap() ^= 1;
        assert!(open(&key, &changed).is_none(), "tampering is found");
        assert_ne!(
            seal(&key, b"x").unwrap(),
            seal(&key, b"x").unwrap(),
            "fresh nonces"
        );
        assert!(!format!("{key:?}").contains('7'));
    }

    #[test]
    fn lockout_keys_hide_the_code_and_ignore_how_it_was_typed() {
        let salt = [3u8; SALT_LEN];
        let key = |typed: &str| lockout_key(&code_tags(&tag_text(typed), &salt).unwrap().lock);
        let k = key("maple-otter-42");
        assert!(k.starts_with("code:") && k.len() == 5 + 64, "{k}");
        assert!(!k.contains("maple"));
        assert_eq!(key("  Maple Otter_42 "), k);
        assert_ne!(key("maple-otter-43"), k);
        // Not a valid code: still a key of the same form.
        assert_eq!(key("maple!otter").len(), 69);
    }

    #[test]
    fn tags_depend_on_the_database_salt() {
        let a = code_tag("maple-otter-42", &[1u8; SALT_LEN]).unwrap();
        let b = code_tag("maple-otter-42", &[2u8; SALT_LEN]).unwrap();
        assert_ne!(a, b);
        assert_eq!(a, code_tag("maple-otter-42", &[1u8; SALT_LEN]).unwrap());
        let both = code_tags("maple-otter-42", &[1u8; SALT_LEN]).unwrap();
        assert_eq!(both.tag, a);
        assert_ne!(both.lock, both.tag);
    }
}
