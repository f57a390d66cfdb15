//! An order-free file: nothing in the database, its write-ahead log or its
//! backups orders a day's anonymous entries or ties one to a private entry,
//! once that day is over.
//!
//! - **Ids.** Every entry (check-in or reflection; not team actions) gets a
//!   random 63-bit id, unrelated to any other ([`fresh_id`]). Every table an
//!   entry leaves rows in (`checkin`, `answer`, `score`, `series` and their
//!   indexes) is keyed by that id, or by a time that anonymous entries do not
//!   have (they keep their local date only).
//! - **Layout.** SQLite writes each new cell at the end of its page's free
//!   area and appends a copy of the page to the WAL, so during the day the
//!   file lists that day's entries in save order. The **end-of-day rewrite**
//!   ([`Store::end_of_day_in`]) rebuilds the whole file (`VACUUM`), which
//!   writes every b-tree afresh in key order, leaves no free pages, and then
//!   empties the WAL (`wal_checkpoint(TRUNCATE)`). After it, where a cell
//!   sits says only what its random key says.
//! - **Backups** are `VACUUM INTO` copies: written in key order, whenever
//!   taken. Backups made before ids were random are re-keyed and rewritten
//!   in place by the migration that re-keys the database ([`rekey`],
//!   [`Store::scrub_backups`]).
//!
//! The end-of-day rewrite is one of the jobs at the end of a day or a
//! period; `docs/day-end.md` gives their order (retention purge, period
//! release, rewrite, backup, outbox) and the rules they share. Each runs
//! once per local day, in the first chores after midnight (a kiosk: at its
//! first tick of the day; the personal app: on its first tick of the day,
//! so at its next start when it was closed).

use super::{Check, Result, Store};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use rusqlite::{Connection, OptionalExtension};

/// Setting key: the local date (YYYY-MM-DD) before which every entry is in
/// an order-free layout.
pub const ORDER_FREE_SETTING: &str = "store.order_free_before";

pub use crate::model::DayEnd;

/// A random positive 63-bit id not used by any check-in.
pub(super) fn fresh_id(c: &Connection) -> rusqlite::Result<i64> {
    random_id(c, "SELECT EXISTS (SELECT 1 FROM checkin WHERE id = ?1)")
}

/// A random positive 63-bit id for which `taken` (a query of one `?1`
/// parameter) says no.
pub(super) fn random_id(c: &Connection, taken: &str) -> rusqlite::Result<i64> {
    loop {
        let raw =
            getrandom::u64().map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        let id = (raw >> 1) as i64;
        if id == 0 {
            continue;
        }
        let used: bool = c.prepare_cached(taken)?.query_row([id], |r| r.get(0))?;
        if !used {
            return Ok(id);
        }
    }
}

/// Migration 5: give every check-in a fresh random id (its answers, scores
/// and trend rows follow it), inside the migration's transaction. The file
/// still holds the old order in its pages until [`Store::rewrite`] runs,
/// which `Store::open` does right after this migration.
pub fn rekey(tx: &Connection) -> rusqlite::Result<()> {
    tx.execute_batch(
        "CREATE TEMP TABLE rekey (old INTEGER PRIMARY KEY, new INTEGER NOT NULL UNIQUE);
         PRAGMA defer_foreign_keys = ON;",
    )?;
    let old: Vec<i64> = tx
        .prepare("SELECT id FROM checkin")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    {
        let mut add = tx.prepare("INSERT OR IGNORE INTO temp.rekey (old, new) VALUES (?1, ?2)")?;
        for id in old {
            // A fresh id is unused by any check-in; a clash with another
            // fresh one is ignored and drawn again.
            while add.execute([id, fresh_id(tx)?])? == 0 {}
        }
    }
    // The series rows follow their scores (trigger `series_on_score_update`).
    tx.execute_batch(
        "UPDATE checkin SET id = (SELECT new FROM temp.rekey WHERE old = checkin.id);
         UPDATE answer SET checkin_id = (SELECT new FROM temp.rekey WHERE old = answer.checkin_id);
         UPDATE score SET checkin_id = (SELECT new FROM temp.rekey WHERE old = score.checkin_id);
         DELETE FROM series WHERE checkin_id NOT IN (SELECT id FROM checkin);
         DROP TABLE temp.rekey;",
    )
}

/// The stamp anonymous entries of `day` carry (see
/// [`crate::kiosk::anonymous_stamp`]), in milliseconds.
fn stamp_ms(day: NaiveDate) -> i64 {
    day.and_time(chrono::NaiveTime::MIN)
        .and_utc()
        .timestamp_millis()
}

impl Store {
    /// The end-of-day rewrite, in local time.
    pub fn end_of_day(&mut self, now: DateTime<Utc>) -> Result<DayEnd> {
        self.end_of_day_in(now, &chrono::Local)
    }

    /// The end-of-day rewrite with days counted in `tz`: when anonymous
    /// entries were saved on a day that is over and not yet rewritten,
    /// rebuild the file and empty the WAL. Recorded once per day.
    pub fn end_of_day_in<Tz: TimeZone>(&mut self, now: DateTime<Utc>, tz: &Tz) -> Result<DayEnd> {
        if self.read_only || self.damaged.is_some() {
            // Nothing can be rewritten; the app says why at the start.
            return Ok(DayEnd {
                rewritten: false,
                complete: false,
            });
        }
        let today = now.with_timezone(tz).date_naive();
        let stamp = today.format("%Y-%m-%d").to_string();
        let done = self.setting(ORDER_FREE_SETTING)?;
        if done.as_deref().is_some_and(|d| d >= stamp.as_str()) {
            let complete = self.finish_truncate();
            return Ok(DayEnd {
                rewritten: false,
                complete,
            });
        }
        let since = done
            .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
            .map(stamp_ms)
            .unwrap_or(i64::MIN);
        let until = stamp_ms(today);
        let needed: bool = self.sql(|c| {
            c.query_row(
                "SELECT EXISTS (SELECT 1 FROM checkin WHERE respondent_id IS NULL
                   AND completed_at >= ?1 AND completed_at < ?2)",
                [since, until],
                |r| r.get(0),
            )
        })?;
        if needed {
            self.rewrite()?;
        }
        self.set_setting(ORDER_FREE_SETTING, &stamp)?;
        if needed {
            self.truncate_pending = true;
        }
        let complete = self.finish_truncate();
        Ok(DayEnd {
            rewritten: needed,
            complete,
        })
    }

    /// Rebuild the whole file in key order (`VACUUM`) and ask for the WAL to
    /// be emptied. Refused on a damaged or read-only database.
    pub fn rewrite(&mut self) -> Result<()> {
        self.write("rewriting the file in an order-free layout", |c| {
            c.execute_batch("VACUUM")
        })?;
        self.truncate_pending = true;
        self.finish_truncate();
        Ok(())
    }

    /// Empty the WAL if a rewrite asked for it; false while a reader still
    /// holds it (tried again by [`Store::checkpoint_idle`]).
    pub(super) fn finish_truncate(&mut self) -> bool {
        if !self.truncate_pending {
            return true;
        }
        let busy: Option<i64> = self
            .sql(|c| {
                c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))
                    .optional()
            })
            .ok()
            .flatten();
        if busy == Some(0) {
            self.truncate_pending = false;
        }
        !self.truncate_pending
    }

    /// Re-key and rewrite each backup beside this database (made before ids
    /// were random), in place, leaving each one file in rollback-journal
    /// mode as a backup is. Returns a notice for each that could not be.
    pub fn scrub_backups(&mut self) -> Vec<String> {
        let dir = super::backup_dir(&self.path());
        let Ok(list) = super::safety::list_backups(&dir) else {
            return Vec::new();
        };
        let mut notices = Vec::new();
        for backup in list {
            let scrubbed =
                Store::open_scrubbing(&backup, false, Check::OnOpen).and_then(|mut b| {
                    b.sql(|c| {
                        c.query_row("PRAGMA journal_mode = DELETE", [], |r| {
                            r.get::<_, String>(0)
                        })
                    })
                });
            if let Err(e) = scrubbed {
                notices.push(crate::text::backup_not_scrubbed(
                    &backup.display().to_string(),
                    &e.to_string(),
                ));
            }
        }
        notices
    }
}
