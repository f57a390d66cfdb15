//! When the write-ahead log is copied back into the database file. By
//! default SQLite does it inside whichever commit finds the log over 1,000
//! pages, so about one save in a hundred also copies those pages and syncs
//! the file, inside the person's keystroke. The interactive app turns the
//! automatic checkpoint off for its connection and, after a frame is
//! drawn, checkpoints once this connection has changed enough rows to have
//! filled about as much log (the same batching, off the keystroke's path).
//! Checkpointing after every save was tried and was slower (each restart
//! of the log costs a sync; see BENCHMARKS.md). Other processes (commands,
//! a second kiosk) keep SQLite's default.

use super::{Result, Store};

/// Row changes between checkpoints: a WHO-5 save changes about 9 rows
/// (check-in, answers, score, series) and writes about 8 pages, so this is
/// roughly SQLite's default of 1,000 pages.
pub const CHECKPOINT_EVERY_ROWS: u64 = 1_000;

impl Store {
    /// Stop checkpointing inside commits on this connection; the caller
    /// then calls [`Store::checkpoint_idle`] when nobody is waiting.
    pub fn defer_checkpoints(&mut self) -> Result<()> {
        if self.read_only {
            return Ok(());
        }
        self.sql(|c| c.pragma_update(None, "wal_autocheckpoint", 0))?;
        self.checkpoint_mark = Some(self.conn.total_changes());
        Ok(())
    }

    /// If checkpoints were deferred and enough has been written since the
    /// last one, copy the log into the database file without waiting for
    /// readers or writers (`PASSIVE`). A busy or read-only database is left
    /// for next time. Returns whether it checkpointed.
    pub fn checkpoint_idle(&mut self) -> bool {
        if self.truncate_pending {
            return self.finish_truncate();
        }
        let Some(mark) = self.checkpoint_mark else {
            return false;
        };
        let now = self.conn.total_changes();
        if now.saturating_sub(mark) < CHECKPOINT_EVERY_ROWS
            || self.read_only
            || self.damaged.is_some()
        {
            return false;
        }
        self.checkpoint_mark = Some(now);
        self.sql(|c| c.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())))
            .is_ok()
    }
}
