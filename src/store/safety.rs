//! Backups, restores and integrity reports: the ways back from a mistake or
//! a damaged disk. A backup is a consistent copy taken while the app may be
//! running (`VACUUM INTO` reads one snapshot); a restore checks the file
//! before anything is replaced and keeps the replaced database as a backup.

use super::{backup_dir, Result, Store, StoreError};
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};

/// How many automatic backups the kiosk keeps.
pub const KEEP_BACKUPS: usize = 7;

const PREFIX: &str = "joy-backup-";

/// The file name of a backup taken at `now`, e.g. `joy-backup-20261121T030000Z.db`.
pub fn backup_name(now: DateTime<Utc>) -> String {
    format!("{PREFIX}{}.db", now.format("%Y%m%dT%H%M%S%.3fZ"))
}

fn io(path: &Path, cause: std::io::Error) -> StoreError {
    StoreError::Io {
        path: path.display().to_string(),
        cause,
    }
}

impl Store {
    /// Write a consistent copy of the database to `dest`, private (0600).
    /// `dest` must not exist: nothing is ever overwritten. The copy is made
    /// in a private temporary folder beside `dest` and linked into place,
    /// so a half-written backup never carries the final name.
    pub fn backup_to(&mut self, dest: &Path) -> Result<()> {
        let folder = dest
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if dest.exists() || dest.symlink_metadata().is_ok() {
            return Err(io(
                dest,
                std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "a file of that name already exists (choose another name)",
                ),
            ));
        }
        let tmp = tempfile::Builder::new()
            .prefix(".joy-backup-")
            .tempdir_in(folder)
            .map_err(|e| io(folder, e))?;
        let staged = tmp.path().join("backup.db");
        let target = staged.to_string_lossy().into_owned();
        self.sql(|c| c.execute("VACUUM INTO ?1", [&target]).map(|_| ()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&staged, std::fs::Permissions::from_mode(0o600))
                .map_err(|e| io(&staged, e))?;
        }
        // A hard link fails if `dest` appeared meanwhile: no clobbering.
        std::fs::hard_link(&staged, dest).map_err(|e| io(dest, e))?;
        Ok(())
    }

    /// Take a dated backup into the backup folder beside the database and
    /// keep only the newest `keep`. Returns the new backup's path.
    pub fn backup_rotate(&mut self, now: DateTime<Utc>, keep: usize) -> Result<PathBuf> {
        let dir = backup_dir(&self.path());
        super::create_private_dir(&dir).map_err(|e| io(&dir, e))?;
        let dest = dir.join(backup_name(now));
        self.backup_to(&dest)?;
        prune_backups(&dir, keep).map_err(|e| io(&dir, e))?;
        Ok(dest)
    }

    /// Replace this database's contents with those of `source`, after
    /// checking `source` ([`Store::check_backup`]). The current contents
    /// are first saved as a backup, whose path is returned. Uses SQLite's
    /// online backup API, so an app that has the database open sees the
    /// restored data.
    pub fn restore_from(&mut self, source: &Path, now: DateTime<Utc>) -> Result<PathBuf> {
        drop(Store::check_backup(source, Path::new(&self.path()))?);
        let kept = if self.damage().is_some() {
            // A damaged database may not copy cleanly; keep the file as it is.
            let dir = backup_dir(&self.path());
            super::create_private_dir(&dir).map_err(|e| io(&dir, e))?;
            let dest = dir.join(format!("damaged-{}", backup_name(now)));
            std::fs::copy(self.path(), &dest).map_err(|e| io(&dest, e))?;
            dest
        } else {
            self.backup_rotate(now, usize::MAX)?
        };
        let path = self.path.clone();
        self.conn
            .restore(
                rusqlite::MAIN_DB,
                source,
                None::<fn(rusqlite::backup::Progress)>,
            )
            .map_err(|cause| StoreError::Sqlite { path, cause })?;
        self.damaged = None;
        Ok(kept)
    }

    /// `source` opened for reading once it has passed the checks a restore
    /// makes (application id, schema version, full integrity check), else
    /// why it cannot be restored from (for the database at `db`).
    pub fn check_backup(source: &Path, db: &Path) -> Result<Store> {
        let bad = |detail: String| StoreError::BadBackup {
            path: source.display().to_string(),
            detail,
            backups: backup_dir(db).display().to_string(),
        };
        let mut src = Store::open_read_only(source).map_err(|e| match e {
            StoreError::Foreign { .. } => bad("it is not a joy-kiosk database".into()),
            StoreError::Damaged { detail, .. } => bad(format!("it is damaged or not a database ({detail})")),
            StoreError::TooNew { found, supported, .. } => bad(format!(
                "it was written by a newer version of joy-kiosk (schema {found}; this version knows up to {supported})"
            )),
            StoreError::Sqlite { cause, .. } => bad(format!("it is not a database SQLite can read ({cause})")),
            other => other,
        })?;
        let problems = src.integrity("integrity_check", 10)?;
        if !problems.is_empty() {
            return Err(bad(format!(
                "SQLite's integrity check found damage: {}",
                problems.join("; ")
            )));
        }
        Ok(src)
    }

    /// The full integrity check, as `joy check` reports it: the problems
    /// found (empty when sound), with counts of what the file holds.
    pub fn check(&mut self) -> Result<CheckReport> {
        let problems = self.integrity("integrity_check", 100)?;
        let counts = if problems.is_empty() {
            Some((
                self.count("checkin")?,
                self.count("answer")?,
                self.count("score")?,
            ))
        } else {
            None
        };
        Ok(CheckReport { problems, counts })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CheckReport {
    pub problems: Vec<String>,
    /// (check-ins, answers, scores) when the file is sound.
    pub counts: Option<(i64, i64, i64)>,
}

/// Backups in `dir`, oldest first.
pub fn list_backups(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(PREFIX) && n.ends_with(".db"))
            })
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e),
    };
    // The names sort by time.
    v.sort();
    Ok(v)
}

/// Delete all but the newest `keep` backups in `dir`.
pub fn prune_backups(dir: &Path, keep: usize) -> std::io::Result<()> {
    let all = list_backups(dir)?;
    let extra = all.len().saturating_sub(keep);
    for old in &all[..extra] {
        std::fs::remove_file(old)?;
    }
    Ok(())
}
