//! Sealed private histories (a kiosk code holder's): how the store keeps
//! and reads them. The cryptography is in [`crate::kiosk::secret`].
//!
//! In clear, per sealed check-in: its random id, whose it is (the holder's
//! row id), the questionnaire's id, version and file hash, its start and
//! completion times and the demo mark: what retention, paging and "last
//! done" need. Sealed: every answer and every score (value, band, flags).
//! There are no answer, score or trend (`series`) rows for it. Per holder:
//! the code's tag, the key's salt and check value, when it was made.

use super::{from_ms, ms, Result, Store};
use crate::kiosk::secret::{self, HistoryKey};
use crate::model::{CheckinRecord, HistoryRow, Point, SavedAnswer, SavedScore};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};

/// Sealed bodies are padded to a multiple of this many bytes.
pub const SEAL_BLOCK: usize = 1024;

/// Setting key: the hex salt of this database's code tags.
pub const CODE_SALT_SETTING: &str = "kiosk.code_salt";

#[derive(Serialize, Deserialize)]
struct Body {
    answers: Vec<SavedAnswer>,
    scores: Vec<SavedScore>,
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
        .collect()
}

fn to_sql_error(e: secret::SecretError) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(Box::new(e))
}

/// The code salt, made (and kept) on first use, inside the caller's
/// transaction.
pub(super) fn code_salt_in(c: &Connection) -> rusqlite::Result<Vec<u8>> {
    let kept: Option<String> = c
        .prepare_cached("SELECT value FROM setting WHERE key = ?1")?
        .query_row([CODE_SALT_SETTING], |r| r.get(0))
        .optional()?;
    if let Some(salt) = kept.as_deref().and_then(unhex) {
        return Ok(salt);
    }
    let salt: [u8; secret::SALT_LEN] = secret::random().map_err(to_sql_error)?;
    c.execute(
        "INSERT INTO setting (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![CODE_SALT_SETTING, secret::hex(&salt)],
    )?;
    Ok(salt.to_vec())
}

/// Migration 7: every code kept in clear becomes its tag.
pub fn tag_codes(tx: &Connection) -> rusqlite::Result<()> {
    let codes: Vec<(i64, String)> = tx
        .prepare("SELECT id, code FROM respondent WHERE code IS NOT NULL")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if codes.is_empty() {
        return Ok(());
    }
    let salt = code_salt_in(tx)?;
    for (id, code) in codes {
        let tag = secret::code_tag(&code, &salt).map_err(to_sql_error)?;
        tx.execute(
            "UPDATE respondent SET code_tag = ?1, code = NULL WHERE id = ?2",
            params![tag.to_vec(), id],
        )?;
    }
    Ok(())
}

/// Seal a check-in's answers and scores under `key`.
pub(super) fn seal_body(
    key: &HistoryKey,
    answers: &[SavedAnswer],
    scores: &[SavedScore],
) -> rusqlite::Result<Vec<u8>> {
    let mut plain = serde_json::to_vec(&Body {
        answers: answers.to_vec(),
        scores: scores.to_vec(),
    })
    .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    // Padded with spaces (which JSON ignores) to a whole number of blocks,
    // so the size of a sealed check-in says little about what it holds
    // (the length of a note, which answers were given).
    let padded = plain.len().div_ceil(SEAL_BLOCK).max(1) * SEAL_BLOCK;
    plain.resize(padded, b' ');
    secret::seal(key, &plain).map_err(to_sql_error)
}

fn open_body(key: &HistoryKey, blob: &[u8]) -> Option<Body> {
    serde_json::from_slice(&secret::open(key, blob)?).ok()
}

/// Fill `rec`'s answers and scores from its sealed body (if it has one);
/// a body that does not open with `key` marks it unreadable.
fn unseal_into(rec: &mut CheckinRecord, blob: Option<Vec<u8>>, key: Option<&HistoryKey>) {
    let Some(blob) = blob else { return };
    match key.and_then(|k| open_body(k, &blob)) {
        Some(body) => {
            rec.answers = body.answers;
            rec.scores = body.scores;
        }
        None => rec.unreadable = true,
    }
}

impl Store {
    /// This database's code salt (made on first use).
    pub fn code_salt(&mut self) -> Result<Vec<u8>> {
        // Read first: a sign-in needs no write once the salt exists.
        let kept = self.setting(CODE_SALT_SETTING)?;
        if let Some(salt) = kept.as_deref().and_then(unhex) {
            return Ok(salt);
        }
        self.write("keeping the code salt", |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let salt = code_salt_in(&tx)?;
            tx.commit()?;
            Ok(salt)
        })
    }

    fn sealed_blob(&mut self, id: i64) -> Result<Option<Vec<u8>>> {
        self.sql(|c| {
            c.prepare_cached("SELECT sealed FROM checkin WHERE id = ?1")?
                .query_row([id], |r| r.get::<_, Option<Vec<u8>>>(0))
                .optional()
                .map(Option::flatten)
        })
    }

    /// One check-in, whole; a sealed one opened with `key`.
    pub fn checkin_with(
        &mut self,
        id: i64,
        key: Option<&HistoryKey>,
    ) -> Result<Option<CheckinRecord>> {
        let Some(mut rec) = self.checkin(id)? else {
            return Ok(None);
        };
        let blob = self.sealed_blob(id)?;
        unseal_into(&mut rec, blob, key);
        Ok(Some(rec))
    }

    /// Every sealed check-in of `holder` on `questionnaire` completed at or
    /// after `since`, oldest first, opened with `key` (ones that do not
    /// open are left out).
    fn sealed_of(
        &mut self,
        holder: i64,
        questionnaire: &str,
        since: Option<DateTime<Utc>>,
        key: &HistoryKey,
    ) -> Result<Vec<(DateTime<Utc>, bool, Body)>> {
        let rows: Vec<(i64, bool, Vec<u8>)> = self.sql(|c| {
            c.prepare_cached(
                "SELECT completed_at, is_demo, sealed FROM checkin
                 WHERE respondent_id = ?1 AND questionnaire_id = ?2 AND completed_at >= ?3
                   AND sealed IS NOT NULL
                 ORDER BY completed_at, id",
            )?
            .query_map(
                params![holder, questionnaire, since.map(ms).unwrap_or(i64::MIN)],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?
            .collect()
        })?;
        Ok(rows
            .into_iter()
            .filter_map(|(at, demo, blob)| Some((from_ms(at), demo, open_body(key, &blob)?)))
            .collect())
    }

    /// A sealed history's values of one score over time, oldest first.
    pub fn sealed_series(
        &mut self,
        holder: i64,
        key: &HistoryKey,
        questionnaire: &str,
        score: &str,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<Point>> {
        Ok(self
            .sealed_of(holder, questionnaire, since, key)?
            .into_iter()
            .filter_map(|(at, is_demo, body)| {
                let value = body.scores.iter().find(|s| s.score_id == score)?.value?;
                Some(Point { at, value, is_demo })
            })
            .collect())
    }

    /// Fill the first score of each sealed row of a history page.
    pub fn unseal_rows(&mut self, rows: &mut [HistoryRow], key: &HistoryKey) -> Result<()> {
        for row in rows.iter_mut() {
            let Some(blob) = self.sealed_blob(row.id)? else {
                continue;
            };
            match open_body(key, &blob) {
                Some(body) => {
                    row.note = body
                        .answers
                        .into_iter()
                        .find(|a| a.question_id == crate::questionnaire::load::NOTE_ID)
                        .map(|a| a.label);
                    if let Some(first) = body.scores.into_iter().next() {
                        row.value = first.value;
                        row.band_label = first.band_label;
                        row.band_tone = first.band_tone;
                    }
                }
                None => row.unreadable = true,
            }
        }
        Ok(())
    }

    /// Seal every clear check-in of `holder` (made before histories were
    /// sealed) under `key`, keep the key's salt and check value, and drop
    /// the PIN hash, in one transaction: after it no answer, score or
    /// trend row of theirs is left in clear (`secure_delete` overwrites
    /// them). Returns how many check-ins were sealed.
    pub fn seal_history(
        &mut self,
        holder: i64,
        key_salt: &[u8],
        key_check: &[u8],
        key: &HistoryKey,
    ) -> Result<usize> {
        let records = self.history(Some(holder), None)?;
        self.write("sealing a private history", |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut n = 0;
            for rec in &records {
                let blob = seal_body(key, &rec.answers, &rec.scores)?;
                tx.execute(
                    "UPDATE checkin SET sealed = ?1 WHERE id = ?2 AND respondent_id = ?3 AND sealed IS NULL",
                    params![blob, rec.id, holder],
                )?;
                tx.execute("DELETE FROM answer WHERE checkin_id = ?1", [rec.id])?;
                tx.execute("DELETE FROM score WHERE checkin_id = ?1", [rec.id])?;
                tx.execute("DELETE FROM series WHERE checkin_id = ?1", [rec.id])?;
                n += 1;
            }
            tx.execute(
                "UPDATE respondent SET key_salt = ?1, key_check = ?2, secret_hash = NULL WHERE id = ?3",
                params![key_salt, key_check, holder],
            )?;
            tx.commit()?;
            Ok(n)
        })
        .inspect(|_| {
            // The write-ahead log may still hold the clear pages.
            self.truncate_pending = true;
            self.finish_truncate();
        })
    }

    /// Delete code holder `holder` and every check-in of theirs (answers,
    /// scores and trend rows go with them), in one transaction, then empty
    /// the write-ahead log. Returns how many check-ins went.
    pub fn delete_holder(&mut self, holder: i64) -> Result<usize> {
        let n = self.write("deleting a private code", |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let n = tx.execute("DELETE FROM checkin WHERE respondent_id = ?1", [holder])?;
            tx.execute(
                "DELETE FROM respondent WHERE id = ?1 AND kind = 'pin'",
                [holder],
            )?;
            tx.commit()?;
            Ok(n)
        })?;
        self.truncate_pending = true;
        self.finish_truncate();
        Ok(n)
    }
}
