//! SQLite storage: opening (permissions, pragmas, migrations), saving a
//! check-in in one transaction, and the typed queries the app and commands
//! use. Nothing here knows about the terminal.

pub mod checkpoint;
pub mod export;
pub mod handover;
mod health;
pub mod history;
pub mod kiosk;
pub mod layout;
pub mod outbox;
pub mod pg;
pub mod pgconnect;
pub mod pgpass;
pub mod release;
pub mod safety;
pub mod schema;
pub mod sealed;
pub mod team;
pub mod usecases;

pub use usecases::{Storage, TeamStore, TerminalStore};

use chrono::{DateTime, TimeZone, Utc};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "{path} was written by a newer version of joy-kiosk (database schema {found}; this version knows up to {supported}). \
         It has not been changed. Update joy-kiosk, or use --db to choose another file."
    )]
    TooNew {
        path: String,
        found: i64,
        supported: i64,
    },
    #[error("{path} is not a joy-kiosk database (it holds other data). It has not been changed. Use --db to choose another file.")]
    Foreign { path: String },
    // The cause is part of each message; it is named `cause`, not `source`,
    // so an error chain does not print it twice.
    #[error("cannot create the folder {path} for the database: {cause}. Check permissions, or use --db to choose another place.")]
    Folder { path: String, cause: std::io::Error },
    #[error("cannot create the database file {path}: {cause}. Check permissions, or use --db to choose another place.")]
    File { path: String, cause: std::io::Error },
    #[error("there is no joy-kiosk database at {path} (nothing has been saved there). Check the path given with --db or JOY_DB.")]
    Missing { path: String },
    #[error("{path} is damaged: {detail}. Nothing more will be written to it. Run `joy check` for a full report, and `joy restore FILE` to go back to a backup ({backups}).")]
    Damaged {
        path: String,
        detail: String,
        backups: String,
    },
    #[error("{path} is read-only (opened for reading only, or on read-only media): {what} needs to write. Copy the file somewhere writable and use --db.")]
    ReadOnly { path: String, what: &'static str },
    #[error("{path} was written by an older version of joy-kiosk (schema {found}); the app or kiosk that uses it brings it up to date when it next starts, or open it once with `joy --db {path}`.")]
    TooOld { path: String, found: i64 },
    #[error("{path} cannot be restored from: {detail}. Nothing was changed. Give a file made by `joy backup` (they are kept in {backups}).")]
    BadBackup {
        path: String,
        detail: String,
        backups: String,
    },
    #[error("cannot read {path}: {cause}")]
    Io { path: String, cause: std::io::Error },
    #[error("the team server ({place}) failed while {what}: {}. {}", cause.trim_end_matches('.'), server_hint(cause))]
    Server {
        place: String,
        what: String,
        cause: String,
    },
    #[error("database error in {path}: {cause}{}", disk_hint(cause))]
    Sqlite {
        path: String,
        cause: rusqlite::Error,
    },
}

/// What to do about a server's failure, from its words: the same advice
/// ("is it running?") for every failure misleads where the server is fine.
fn server_hint(cause: &str) -> &'static str {
    let c = cause.to_lowercase();
    if c.contains("(42501)") || c.contains("permission denied") {
        "This login's role may not do this: kiosks log in as the ward's terminal role, huddle screens as its huddle role, and `joy server` rules, release and prune need its admin role (docs/deploy.md, \"Who holds what\")"
    } else if c.contains("(28p01)") || c.contains("password authentication failed") {
        "The password is wrong for this login: put the right one where it is looked for (PGPASSWORD, ~/.pgpass, JOY_SERVER_PASSWORD_FILE or [server] password_file)"
    } else if c.contains("password missing") {
        "No password was found for this login: give it in PGPASSWORD, ~/.pgpass, JOY_SERVER_PASSWORD_FILE or [server] password_file (a password file that group or others can read is not used: chmod 600 it)"
    } else if c.contains("(3d000)") {
        "Check the database name (dbname=) in the connection string"
    } else if c.contains("certificate") || c.contains("tls") || c.contains("sslmode") {
        "Nothing is sent until TLS is put right"
    } else if c.contains("connection refused")
        || c.contains("no such file")
        || c.contains("timed out")
        || c.contains("timeout")
        || c.contains("error connecting")
    {
        "Check that the server is running and reachable at the host and port the connection string gives (port= if not 5432; for a Unix socket, \"No such file\" means no server listens there)"
    } else {
        "Nothing was changed by this step"
    }
}

/// The SQLite store by its short name (most callers are file commands).
pub type Store = SqliteStore;

pub type Result<T> = std::result::Result<T, StoreError>;

pub use crate::model::{
    CheckinRecord, Cursor, DemoCounts, EraseReport, HistoryQuery, HistoryRow, NewCheckin, PageFrom,
    Point, SavedAnswer, SavedScore,
};

/// The SQLite store: implements both storage traits ([`TerminalStore`],
/// [`TeamStore`]) and, on its own, the file's administration (backup,
/// restore, check, modes, checkpoints).
pub struct SqliteStore {
    conn: Connection,
    path: String,
    /// Why this database must not be written to (failed integrity check or
    /// a "corrupt" error from SQLite), if it must not.
    damaged: Option<String>,
    read_only: bool,
    /// One-line notices for the user (e.g. permissions tightened).
    notices: Vec<String>,
    /// Checkpoints are left to [`Store::checkpoint_idle`]: the row
    /// changes counted at the last one (see `checkpoint.rs`).
    checkpoint_mark: Option<u64>,
    /// A rewrite asked for the WAL to be emptied and a reader held it (see
    /// `layout.rs`).
    truncate_pending: bool,
    /// This open migrated the file (and rewrote it): its backups are
    /// brought up to date too (see `layout.rs`).
    rekeyed: bool,
}

/// Files up to this size get `PRAGMA quick_check` when opened; larger ones
/// only the cheap checks (header, application id, schema version). Measured
/// (`cargo bench --bench store -- open_with`, BENCHMARKS.md): opening a
/// 7.5 MiB file with the check took 48 ms median here, about 6 ms per MiB, so
/// 2 MiB (about 4,000 check-ins) keeps the check near 12 ms, inside the 20 ms
/// launch target. `joy check` always runs the full integrity check.
pub const QUICK_CHECK_MAX_BYTES: u64 = 2 * 1024 * 1024;

/// How long a reading command waits for a database another process is
/// creating (an empty file) before it says there is none yet.
const BEING_CREATED_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// How much of SQLite's checking an open does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// `quick_check` up to [`QUICK_CHECK_MAX_BYTES`], none above (the
    /// app's first frame); the full check follows with the day's jobs.
    OnOpen,
    /// `integrity_check`, whatever the size (commands).
    Full,
    /// The identity and schema checks only (`joy status`, which reads one
    /// small fact and must answer in milliseconds).
    Cheap,
}

fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

fn from_ms(v: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(v).single().unwrap_or_default()
}

impl Store {
    /// Open (or create, with mode 0600) the database at `path` and bring its
    /// schema up to date. A newer or foreign database is refused unchanged.
    /// A damaged one opens for reading only (writes return [`StoreError::Damaged`]).
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_scrubbing(path, true, Check::OnOpen)
    }

    /// [`Store::open`] with SQLite's full integrity check before anything
    /// is written, whatever the file's size: for commands, which write in
    /// batches (demo, restore, imports) and have no first frame to keep
    /// quick. A damaged file opens for reading only.
    pub fn open_checked(path: &Path) -> Result<Store> {
        Store::open_scrubbing(path, true, Check::Full)
    }

    /// [`Store::open`]; when the file is re-keyed by its migration (see
    /// `layout.rs`) and `scrub` is set, the backups beside it are too.
    pub(super) fn open_scrubbing(path: &Path, scrub: bool, check: Check) -> Result<Store> {
        let shown = path.display().to_string();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            create_private_dir(parent).map_err(|cause| StoreError::Folder {
                path: parent.display().to_string(),
                cause,
            })?;
        }
        create_private_file(path).map_err(|cause| StoreError::File {
            path: shown.clone(),
            cause,
        })?;
        let notices = tighten_modes(path);
        let conn = Connection::open(path).map_err(|cause| StoreError::Sqlite {
            path: shown.clone(),
            cause,
        })?;
        let mut store = Store::init(conn, shown, Some((path, check)))?;
        store.notices.splice(0..0, notices);
        if store.rekeyed && scrub {
            let scrubbed = store.scrub_backups();
            store.notices.extend(scrubbed);
        }
        Ok(store)
    }

    /// Open an existing database for reading only: never creates it or its
    /// folder, never migrates. Works on read-only media. Used by commands
    /// that only read (`history`, `export`, `check`, `backup`).
    pub fn open_read_only(path: &Path) -> Result<Store> {
        Store::open_read_only_with(path, Check::OnOpen)
    }

    /// [`Store::open_read_only`] with the identity and schema checks only.
    pub fn open_read_only_cheap(path: &Path) -> Result<Store> {
        Store::open_read_only_with(path, Check::Cheap)
    }

    /// [`Store::open_read_only`] with the full integrity check, whatever
    /// the file's size (reading commands: damage is said before what is
    /// read from it).
    pub fn open_read_only_checked(path: &Path) -> Result<Store> {
        Store::open_read_only_with(path, Check::Full)
    }

    fn open_read_only_with(path: &Path, check: Check) -> Result<Store> {
        use rusqlite::OpenFlags;
        let shown = path.display().to_string();
        let meta = std::fs::metadata(path);
        match meta {
            Ok(m) if m.is_file() => {}
            Ok(_) => {
                return Err(StoreError::Foreign { path: shown });
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(StoreError::Missing { path: shown })
            }
            Err(cause) => return Err(StoreError::Io { path: shown, cause }),
        }
        let notices = tighten_modes(path);
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)
            .and_then(|c| {
                // A WAL database on read-only media cannot make its -shm file;
                // reading it as immutable then still works.
                c.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))
                    .map(|_| c)
            })
            .or_else(|_| {
                let uri = format!("file:{}?immutable=1", uri_path(path));
                Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI)
            })
            .map_err(|cause| StoreError::Sqlite {
                path: shown.clone(),
                cause,
            })?;
        let mut store = Store {
            conn,
            path: shown,
            damaged: None,
            read_only: true,
            notices,
            checkpoint_mark: None,
            truncate_pending: false,
            rekeyed: false,
        };
        store.sql(|c| c.busy_timeout(std::time::Duration::from_secs(5)))?;
        // A file another process is creating right now is empty for a
        // moment: waited for (briefly), then "no database yet", never "an
        // older version (schema 0)".
        let waited = std::time::Instant::now();
        let (version, app_id, tables) = loop {
            let found = match store.identity() {
                Ok(v) => v,
                Err(e) => {
                    return Err(match store.damaged.clone() {
                        Some(detail) => store.damaged_error(detail),
                        None => e,
                    })
                }
            };
            match found {
                (0, _, 0) if waited.elapsed() < BEING_CREATED_WAIT => {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                (0, _, 0) => {
                    return Err(StoreError::Missing {
                        path: store.path.clone(),
                    })
                }
                found => break found,
            }
        };
        store.check_identity(version, app_id, tables)?;
        if version < schema::MIGRATIONS.len() as i64 {
            return Err(StoreError::TooOld {
                path: store.path.clone(),
                found: version,
            });
        }
        store.check_on_open(path, check)?;
        Ok(store)
    }

    /// A private in-memory database, for tests and previews.
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory().map_err(|cause| StoreError::Sqlite {
            path: ":memory:".into(),
            cause,
        })?;
        Store::init(conn, ":memory:".into(), None)
    }

    /// Connection settings, then (for a file) the identity and quick checks
    /// before anything is written: a foreign, newer or damaged file is left
    /// exactly as it was. Then migrations, WAL and `synchronous=FULL`.
    fn init(conn: Connection, path: String, file: Option<(&Path, Check)>) -> Result<Store> {
        let mut store = Store {
            conn,
            path,
            damaged: None,
            read_only: false,
            notices: Vec::new(),
            checkpoint_mark: None,
            truncate_pending: false,
            rekeyed: false,
        };
        store.sql(|c| {
            c.busy_timeout(std::time::Duration::from_secs(5))?;
            c.pragma_update(None, "foreign_keys", true)?;
            c.pragma_update(None, "secure_delete", true)?;
            Ok(())
        })?;
        if let Some((file, check)) = file {
            match store.identity() {
                Ok((version, app_id, tables)) => store.check_identity(version, app_id, tables)?,
                Err(_) if store.damaged.is_some() => return Ok(store),
                Err(e) => return Err(e),
            }
            store.check_on_open(file, check)?;
            if store.damaged.is_some() {
                // Readable for rescue, never written.
                return Ok(store);
            }
            if store.conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
                // A file that cannot be written (its mode, read-only media):
                // readable when up to date, and every write says why not.
                store.read_only = true;
                if store.schema_version()? < schema::MIGRATIONS.len() as i64 {
                    return Err(StoreError::ReadOnly {
                        path: store.path.clone(),
                        what: "bringing it up to date",
                    });
                }
                return Ok(store);
            }
        }
        let from = store.migrate()?;
        store.sql(|c| {
            // WAL for a second reader or writer; FULL so a saved check-in
            // survives power loss.
            // Switching a new file to WAL needs a moment alone with it; when
            // another process is opening it too SQLite may answer "busy"
            // without waiting, so wait here (up to the busy timeout).
            let start = std::time::Instant::now();
            loop {
                match c.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0)) {
                    Err(e)
                        if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                            && start.elapsed() < std::time::Duration::from_secs(5) =>
                    {
                        std::thread::sleep(std::time::Duration::from_millis(5));
                    }
                    other => {
                        other?;
                        break;
                    }
                }
            }
            c.pragma_update(None, "synchronous", "FULL")?;
            Ok(())
        })?;
        if let Some((file, _)) = file {
            // A log left by a process that did not close the file (killed,
            // its terminal gone) holds that day's saves in order: it is
            // copied back and emptied at the app's first idle checkpoint
            // ([`Store::checkpoint_idle`]; best effort, and the end-of-day
            // rewrite empties it anyway).
            let wal = file.with_file_name(format!(
                "{}-wal",
                file.file_name().unwrap_or_default().to_string_lossy()
            ));
            // Not here: other processes may be opening the file at this
            // moment. The app's first idle checkpoint does it.
            if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
                store.truncate_pending = true;
            }
        }
        if from.is_some_and(|v| v > 0) && file.is_some() {
            // What a migration changed (ids re-keyed, codes turned into
            // tags) is gone from the rows, not yet from the pages and the
            // log; the backups beside it hold it too. (A new file has
            // nothing to rewrite.) Another process holding the file may
            // refuse the rewrite for now: the end-of-day rewrite, which has
            // not run on this file yet, then does it at the next chores.
            store.rekeyed = true;
            if store.rewrite().is_err() {
                store.notices.push(crate::text::REWRITE_LATER.to_string());
            }
        }
        Ok(store)
    }

    fn sql<T>(&mut self, f: impl FnOnce(&mut Connection) -> rusqlite::Result<T>) -> Result<T> {
        f(&mut self.conn).map_err(|cause| {
            if let Some(detail) = corruption(&cause) {
                // Any sign of damage stops all further writes.
                self.damaged.get_or_insert(detail);
            }
            StoreError::Sqlite {
                path: self.path.clone(),
                cause,
            }
        })
    }

    /// Like `sql`, for statements that write: refused on a damaged or
    /// read-only database.
    fn write<T>(
        &mut self,
        what: &'static str,
        f: impl FnOnce(&mut Connection) -> rusqlite::Result<T>,
    ) -> Result<T> {
        if let Some(detail) = &self.damaged {
            return Err(self.damaged_error(detail.clone()));
        }
        if self.read_only {
            return Err(StoreError::ReadOnly {
                path: self.path.clone(),
                what,
            });
        }
        let r = self.sql(f);
        match (&r, &self.damaged) {
            (Err(_), Some(detail)) => Err(self.damaged_error(detail.clone())),
            (Err(StoreError::Sqlite { cause, .. }), None) if is_read_only(cause) => {
                Err(StoreError::ReadOnly {
                    path: self.path.clone(),
                    what,
                })
            }
            _ => r,
        }
    }

    fn damaged_error(&self, detail: String) -> StoreError {
        StoreError::Damaged {
            path: self.path.clone(),
            detail,
            backups: backups_hint(&backup_dir(Path::new(&self.path))),
        }
    }

    /// The database file (none in memory).
    pub fn file(&self) -> Option<std::path::PathBuf> {
        (self.path != ":memory:").then(|| std::path::PathBuf::from(&self.path))
    }

    /// Keep to reading from now on: damage was found (by a check on
    /// another connection).
    pub fn mark_damaged(&mut self, detail: &str) {
        self.damaged.get_or_insert_with(|| detail.to_string());
    }

    /// Why the database must not be written to, if it must not.
    pub fn damage(&self) -> Option<&str> {
        self.damaged.as_deref()
    }

    /// One-line notices gathered while opening (e.g. permissions tightened).
    pub fn take_notices(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notices)
    }

    /// (schema version, application id, number of schema objects), read in
    /// one transaction so a second process migrating meanwhile cannot make
    /// them disagree.
    fn identity(&mut self) -> Result<(i64, i32, i64)> {
        self.sql(|c| {
            let tx = c.transaction()?;
            let v = (
                tx.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?,
                tx.query_row("PRAGMA user_version", [], |r| r.get(0))?,
                tx.query_row("PRAGMA application_id", [], |r| r.get(0))?,
            );
            tx.commit()?;
            Ok((v.1, v.2, v.0))
        })
    }

    fn check_identity(&self, version: i64, app_id: i32, tables: i64) -> Result<()> {
        let supported = schema::MIGRATIONS.len() as i64;
        if app_id != schema::APPLICATION_ID && (app_id != 0 || tables > 0) {
            return Err(StoreError::Foreign {
                path: self.path.clone(),
            });
        }
        if version > supported {
            return Err(StoreError::TooNew {
                path: self.path.clone(),
                found: version,
                supported,
            });
        }
        Ok(())
    }

    /// The check on open: `quick_check` when the file is small enough
    /// (see [`QUICK_CHECK_MAX_BYTES`]), or the full check when asked for.
    /// A failure marks the store damaged.
    fn check_on_open(&mut self, path: &Path, check: Check) -> Result<()> {
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        let pragma = match check {
            Check::Full => Some("integrity_check"),
            Check::OnOpen if size <= QUICK_CHECK_MAX_BYTES => Some("quick_check"),
            Check::OnOpen | Check::Cheap => None,
        };
        if let Some(pragma) = pragma {
            let problems = self.integrity(pragma, 3);
            match problems {
                Ok(p) if p.is_empty() => {}
                Ok(p) => self.damaged = Some(p.join("; ")),
                Err(_) if self.damaged.is_some() => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// SQLite's full integrity check, whatever the file's size (the app's
    /// and the kiosk's day jobs run it first, off the screen's thread): a
    /// damaged file is refused as [`StoreError::Damaged`] and kept to
    /// reading from then on.
    pub fn check_fully(&mut self) -> Result<()> {
        if let Some(d) = self.damaged.clone() {
            return Err(self.damaged_error(d));
        }
        let problems = self.integrity("integrity_check", 3)?;
        if problems.is_empty() {
            Ok(())
        } else {
            Err(self.damaged_error(problems.join("; ")))
        }
    }

    /// Run `PRAGMA integrity_check` (or `quick_check`), returning its
    /// problems (empty when the database is sound), at most `limit`.
    pub fn integrity(&mut self, pragma: &str, limit: u32) -> Result<Vec<String>> {
        let sql = match pragma {
            "quick_check" => format!("PRAGMA quick_check({limit})"),
            _ => format!("PRAGMA integrity_check({limit})"),
        };
        let rows: Vec<String> = match self.sql(|c| {
            c.prepare(&sql)?
                .query_map([], |r| r.get::<_, String>(0))?
                .collect()
        }) {
            Ok(rows) => rows,
            // So damaged that the check itself stops: that is its finding.
            Err(StoreError::Sqlite { cause, .. }) if corruption(&cause).is_some() => {
                corruption(&cause).into_iter().collect()
            }
            Err(e) => return Err(e),
        };
        let problems: Vec<String> = rows.into_iter().filter(|r| r != "ok").collect();
        if !problems.is_empty() {
            self.damaged.get_or_insert_with(|| problems.join("; "));
        }
        Ok(problems)
    }

    pub fn schema_version(&mut self) -> Result<i64> {
        self.sql(|c| c.query_row("PRAGMA user_version", [], |r| r.get(0)))
    }

    /// Bring the schema up to date in one IMMEDIATE transaction that reads
    /// the version inside it, so two processes opening a new file at the
    /// same moment cannot both migrate.
    /// Returns the version migrated from (None when already current).
    fn migrate(&mut self) -> Result<Option<i64>> {
        let supported = schema::MIGRATIONS.len() as i64;
        let path = self.path.clone();
        let mut outcome = Ok(None);
        self.sql(|c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            let app_id: i32 = tx.query_row("PRAGMA application_id", [], |r| r.get(0))?;
            let tables: i64 =
                tx.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
            if app_id != schema::APPLICATION_ID && (app_id != 0 || tables > 0) {
                outcome = Err(StoreError::Foreign { path: path.clone() });
                return Ok(());
            }
            if version > supported {
                outcome = Err(StoreError::TooNew {
                    path: path.clone(),
                    found: version,
                    supported,
                });
                return Ok(());
            }
            if version == supported {
                return Ok(());
            }
            outcome = Ok(Some(version));
            for (i, step) in schema::MIGRATIONS.iter().enumerate().skip(version as usize) {
                step.apply(&tx)?;
                tx.pragma_update(None, "user_version", i as i64 + 1)?;
            }
            tx.pragma_update(None, "application_id", schema::APPLICATION_ID)?;
            tx.commit()
        })?;
        outcome
    }

    /// The respondent for personal check-ins on this machine (made on first use).
    pub fn local_respondent(&mut self) -> Result<i64> {
        if let Some(id) = self.find_local()? {
            return Ok(id);
        }
        self.write("creating your history", |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let found: Option<i64> = tx
                .query_row(
                    "SELECT id FROM respondent WHERE kind = 'local' ORDER BY id LIMIT 1",
                    [],
                    |r| r.get(0),
                )
                .optional()?;
            let id = match found {
                Some(id) => id,
                None => {
                    tx.execute(
                        "INSERT INTO respondent (kind, created_at) VALUES ('local', ?1)",
                        [ms(Utc::now())],
                    )?;
                    tx.last_insert_rowid()
                }
            };
            tx.commit()?;
            Ok(id)
        })
    }

    fn find_local(&mut self) -> Result<Option<i64>> {
        self.sql(|c| {
            c.query_row(
                "SELECT id FROM respondent WHERE kind = 'local' ORDER BY id LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()
        })
    }

    /// Save a check-in, its answers and scores in one transaction: all or nothing.
    pub fn save_checkin(&mut self, c: &NewCheckin) -> Result<i64> {
        self.save_many(std::slice::from_ref(c)).map(|ids| ids[0])
    }

    /// Save several check-ins in one transaction (used by `joy demo`).
    ///
    /// A check-in without a respondent is anonymous: it gets a random id
    /// (not the next one) and its start and completion times both become
    /// midnight of its local date ([`crate::kiosk::anonymous_stamp`]), so
    /// neither its time nor its id nor its place in the table tells in
    /// which order the entries of one day were made. This is the one place
    /// that rule is applied.
    pub fn save_many(&mut self, list: &[NewCheckin]) -> Result<Vec<i64>> {
        self.write("saving a check-in", |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let ids = insert_checkins(&tx, list)?;
            tx.commit()?;
            Ok(ids)
        })
    }

    /// Save one person's check-in and find the id of the one of its kind
    /// before it (real or demo as it is), in one IMMEDIATE transaction.
    pub fn save_after_previous(&mut self, c: &NewCheckin) -> Result<(i64, Option<i64>)> {
        self.write("saving a check-in", |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let previous = match c.respondent {
                Some(me) => latest_id(&tx, me, &c.questionnaire_id, c.is_demo)?,
                None => None,
            };
            let ids = insert_checkins(&tx, std::slice::from_ref(c))?;
            tx.commit()?;
            Ok((ids[0], previous))
        })
    }

    /// Whose check-in `id` is (none: anonymous, a reflection, or no such id).
    pub fn owner_of(&mut self, id: i64) -> Result<Option<i64>> {
        self.sql(|c| {
            c.prepare_cached("SELECT respondent_id FROM checkin WHERE id = ?1")?
                .query_row([id], |r| r.get::<_, Option<i64>>(0))
                .optional()
                .map(Option::flatten)
        })
    }

    /// Check-ins of `respondent` (all personal ones when None), newest
    /// first, optionally of one questionnaire; answers and scores included.
    /// Three queries, whatever the number of check-ins.
    pub fn history(
        &mut self,
        respondent: Option<i64>,
        questionnaire: Option<&str>,
    ) -> Result<Vec<CheckinRecord>> {
        const MINE: &str = "SELECT id FROM checkin
             WHERE (?1 IS NULL AND respondent_id IN (SELECT id FROM respondent WHERE kind = 'local') OR respondent_id = ?1)
               AND (?2 IS NULL OR questionnaire_id = ?2)";
        self.sql(|c| {
            let p = params![respondent, questionnaire];
            let mut records: Vec<CheckinRecord> = c
                .prepare_cached(&format!(
                    "{HEAD_SQL} WHERE id IN ({MINE}) ORDER BY completed_at DESC, id DESC"
                ))?
                .query_map(p, head_row)?
                .collect::<rusqlite::Result<_>>()?;
            // Answers and scores of all of them, one query each, matched by id.
            let index: std::collections::HashMap<i64, usize> =
                records.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
            let children =
                |sql: &str, add: &mut dyn FnMut(usize, &rusqlite::Row) -> rusqlite::Result<()>| {
                    let mut st = c.prepare_cached(&format!(
                        "{sql} WHERE checkin_id IN ({MINE}) ORDER BY checkin_id, position"
                    ))?;
                    let mut rows = st.query(p)?;
                    while let Some(row) = rows.next()? {
                        if let Some(&i) = index.get(&row.get::<_, i64>(0)?) {
                            add(i, row)?;
                        }
                    }
                    Ok::<_, rusqlite::Error>(())
                };
            children(ANSWER_SQL, &mut |i, row| {
                let (a, bad) = answer_row(row)?;
                records[i].answers.push(a);
                records[i].unreadable |= bad;
                Ok(())
            })?;
            children(SCORE_SQL, &mut |i, row| {
                let (s, bad) = score_row(row)?;
                records[i].scores.push(s);
                records[i].unreadable |= bad;
                Ok(())
            })?;
            Ok(records)
        })
    }

    /// The newest check-in of `respondent` on `questionnaire` of the same
    /// kind (real or demo: `demo`), for "change since last time", without
    /// loading the rest of the history. A real check-in is never compared
    /// with demo data, nor demo data with a real check-in.
    pub fn latest(
        &mut self,
        respondent: i64,
        questionnaire: &str,
        demo: bool,
    ) -> Result<Option<CheckinRecord>> {
        let id = self.sql(|c| latest_id(c, respondent, questionnaire, demo))?;
        match id {
            Some(id) => self.checkin(id),
            None => Ok(None),
        }
    }

    /// One check-in by id.
    pub fn checkin(&mut self, id: i64) -> Result<Option<CheckinRecord>> {
        self.sql(|c| {
            let Some(mut rec) = c
                .prepare_cached(&format!("{HEAD_SQL} WHERE id = ?1"))?
                .query_row([id], head_row)
                .optional()?
            else {
                return Ok(None);
            };
            let answers: Vec<(SavedAnswer, bool)> = c
                .prepare_cached(&format!(
                    "{ANSWER_SQL} WHERE checkin_id = ?1 ORDER BY position"
                ))?
                .query_map([id], answer_row)?
                .collect::<rusqlite::Result<_>>()?;
            let scores: Vec<(SavedScore, bool)> = c
                .prepare_cached(&format!(
                    "{SCORE_SQL} WHERE checkin_id = ?1 ORDER BY position"
                ))?
                .query_map([id], score_row)?
                .collect::<rusqlite::Result<_>>()?;
            rec.unreadable |= answers.iter().any(|a| a.1) || scores.iter().any(|s| s.1);
            rec.answers = answers.into_iter().map(|a| a.0).collect();
            rec.scores = scores.into_iter().map(|s| s.0).collect();
            Ok(Some(rec))
        })
    }

    /// The values of one score over time for one person, oldest first,
    /// optionally only since `since`. Served by the `series_by_person` index.
    pub fn series(
        &mut self,
        respondent: i64,
        questionnaire: &str,
        score: &str,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<Point>> {
        self.sql(|c| {
            let mut st = c.prepare_cached(SERIES_SQL)?;
            let rows = st.query_map(
                params![
                    respondent,
                    questionnaire,
                    score,
                    since.map(ms).unwrap_or(i64::MIN)
                ],
                point_row,
            )?;
            rows.collect()
        })
    }

    /// The newest `limit` values of a score, oldest first (for sparklines).
    pub fn recent(
        &mut self,
        respondent: i64,
        questionnaire: &str,
        score: &str,
        limit: usize,
    ) -> Result<Vec<Point>> {
        self.sql(|c| {
            let mut st = c.prepare_cached(
                "SELECT completed_at, value, is_demo FROM series
                 WHERE respondent_id = ?1 AND questionnaire_id = ?2 AND score_id = ?3
                 ORDER BY completed_at DESC LIMIT ?4",
            )?;
            let mut v: Vec<Point> = st
                .query_map(
                    params![respondent, questionnaire, score, limit as i64],
                    point_row,
                )?
                .collect::<rusqlite::Result<_>>()?;
            v.reverse();
            Ok(v)
        })
    }

    /// When `respondent` last completed `questionnaire`.
    pub fn last_done(
        &mut self,
        respondent: i64,
        questionnaire: &str,
    ) -> Result<Option<DateTime<Utc>>> {
        self.sql(|c| {
            c.prepare_cached("SELECT max(completed_at) FROM checkin WHERE respondent_id = ?1 AND questionnaire_id = ?2")?
                .query_row(params![respondent, questionnaire], |r| r.get::<_, Option<i64>>(0))
                .map(|v| v.map(from_ms))
        })
    }

    /// Delete one check-in of `respondent` with its answers and scores (they
    /// go with it: `ON DELETE CASCADE`; `secure_delete` overwrites them).
    /// Returns false if there was no such check-in of theirs.
    pub fn delete_checkin(&mut self, respondent: i64, id: i64) -> Result<bool> {
        self.write("deleting a check-in", |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let n = tx.execute(
                "DELETE FROM checkin WHERE id = ?1 AND respondent_id = ?2",
                params![id, respondent],
            )?;
            release::forget_unused_definitions(&tx)?;
            tx.commit()?;
            Ok(n == 1)
        })
    }

    /// Delete every personal check-in, overwrite the freed pages, and
    /// truncate the write-ahead log. The local respondent row (an id and a
    /// date, nothing personal) stays, so an app that is open keeps saving.
    pub fn erase_personal(&mut self) -> Result<EraseReport> {
        let report = self.write("erasing", |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mine = "SELECT id FROM checkin WHERE respondent_id IN (SELECT id FROM respondent WHERE kind = 'local')";
            let count = |sql: &str| tx.query_row(sql, [], |r| r.get::<_, i64>(0)).map(|n| n as usize);
            let report = EraseReport {
                checkins: count(&format!("SELECT count(*) FROM ({mine})"))?,
                answers: count(&format!("SELECT count(*) FROM answer WHERE checkin_id IN ({mine})"))?,
                scores: count(&format!("SELECT count(*) FROM score WHERE checkin_id IN ({mine})"))?,
            };
            tx.execute(&format!("DELETE FROM checkin WHERE id IN ({mine})"), [])?;
            release::forget_unused_definitions(&tx)?;
            tx.execute(
                "UPDATE respondent SET created_at = ?1 WHERE kind = 'local'",
                [ms(Utc::now())],
            )?;
            tx.commit()?;
            Ok(report)
        })?;
        self.write("erasing", |c| {
            c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
            c.execute_batch("VACUUM")
        })?;
        Ok(report)
    }

    /// When the local person last did each questionnaire (real check-ins
    /// only), by id: what the reminders count from.
    pub fn last_done_each(&mut self) -> Result<std::collections::BTreeMap<String, DateTime<Utc>>> {
        self.sql(|c| {
            c.prepare_cached(
                "SELECT questionnaire_id, max(completed_at) FROM checkin
                 WHERE respondent_id IN (SELECT id FROM respondent WHERE kind = 'local')
                   AND is_demo = 0
                 GROUP BY questionnaire_id",
            )?
            .query_map([], |r| Ok((r.get::<_, String>(0)?, from_ms(r.get(1)?))))?
            .collect()
        })
    }

    /// How many personal check-ins are real, and how many check-ins are demo
    /// data (personal, and a demo ward's anonymous reflections).
    pub fn demo_counts(&mut self) -> Result<DemoCounts> {
        self.sql(|c| {
            c.query_row(
                "SELECT (SELECT count(*) FROM checkin WHERE is_demo = 0 AND respondent_id IN
                            (SELECT id FROM respondent WHERE kind = 'local')),
                        (SELECT count(*) FROM checkin WHERE is_demo = 1),
                        (SELECT count(*) FROM checkin WHERE is_demo = 1 AND respondent_id IN
                            (SELECT id FROM respondent WHERE kind = 'local'))",
                [],
                |r| {
                    Ok(DemoCounts {
                        real: r.get::<_, i64>(0)? as usize,
                        demo: r.get::<_, i64>(1)? as usize,
                        personal_demo: r.get::<_, i64>(2)? as usize,
                    })
                },
            )
        })
    }

    /// Delete every demo check-in (with its answers and scores) and nothing
    /// else; overwrite the freed pages and truncate the write-ahead log.
    pub fn erase_demo(&mut self) -> Result<EraseReport> {
        let report = self.sql(|c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let demo = "SELECT id FROM checkin WHERE is_demo = 1";
            let count = |sql: &str| {
                tx.query_row(sql, [], |r| r.get::<_, i64>(0))
                    .map(|n| n as usize)
            };
            let report = EraseReport {
                checkins: count(&format!("SELECT count(*) FROM ({demo})"))?,
                answers: count(&format!(
                    "SELECT count(*) FROM answer WHERE checkin_id IN ({demo})"
                ))?,
                scores: count(&format!(
                    "SELECT count(*) FROM score WHERE checkin_id IN ({demo})"
                ))?,
            };
            // A demo ward's releases and actions go with its reflections,
            // and so does the ward total of every period they were in (it
            // counted them); that total is released again, from what is
            // left, at the next release.
            let teams = crate::reflection_gen::DEMO_TEAMS
                .iter()
                .map(|t| format!("'{}'", t.replace('\'', "''")))
                .collect::<Vec<_>>()
                .join(", ");
            tx.execute(
                &format!(
                    "DELETE FROM team_release WHERE team IN ({teams})
                        OR (team = '' AND EXISTS (SELECT 1 FROM checkin c WHERE c.is_demo = 1
                              AND c.team IS NOT NULL AND c.questionnaire_id = team_release.questionnaire_id
                              AND c.period = team_release.period))"
                ),
                [],
            )?;
            tx.execute(&format!("DELETE FROM team_action WHERE team IN ({teams})"), [])?;
            tx.execute("DELETE FROM checkin WHERE is_demo = 1", [])?;
            release::forget_unused_definitions(&tx)?;
            tx.commit()?;
            Ok(report)
        })?;
        self.sql(|c| {
            c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
            c.execute_batch("VACUUM")
        })?;
        Ok(report)
    }

    /// Count rows of a table (for tests and reports).
    pub fn count(&mut self, table: &str) -> Result<i64> {
        let sql = match table {
            "checkin" | "answer" | "score" | "respondent" => {
                format!("SELECT count(*) FROM {table}")
            }
            _ => return Ok(0),
        };
        self.sql(|c| c.query_row(&sql, [], |r| r.get(0)))
    }

    /// The raw connection, for benchmarks and fault tests.
    pub fn connection(&mut self) -> &mut Connection {
        &mut self.conn
    }

    pub fn path(&self) -> PathBuf {
        PathBuf::from(&self.path)
    }
}

/// The trend query. Public so the benchmark can run the same SQL in the
/// `sqlite3` shell.
/// Answered by one range scan of the `series_by_person` index (schema 4),
/// which holds exactly the columns it reads.
pub const SERIES_SQL: &str = "SELECT completed_at, value, is_demo FROM series
     WHERE respondent_id = ?1 AND questionnaire_id = ?2 AND score_id = ?3 AND completed_at >= ?4
     ORDER BY completed_at";

/// The trend query before schema 4 (a join with one score look-up per
/// point), kept so the benchmark can show what the series table saves.
pub const SERIES_JOIN_SQL: &str = "SELECT c.completed_at, s.value, c.is_demo FROM checkin c
     JOIN score s ON s.checkin_id = c.id AND s.score_id = ?3
     WHERE c.respondent_id = ?1 AND c.questionnaire_id = ?2 AND c.completed_at >= ?4 AND s.value IS NOT NULL
     ORDER BY c.completed_at";

const HEAD_SQL: &str = "SELECT id, questionnaire_id, questionnaire_version, file_hash, started_at, completed_at, is_demo, imported_from FROM checkin";
const ANSWER_SQL: &str = "SELECT checkin_id, question_id, position, value_json, label FROM answer";
const SCORE_SQL: &str =
    "SELECT checkin_id, score_id, label, raw, value, band_label, band_tone FROM score";

/// Text of column `i`, decoded even when it is not valid UTF-8 (bad bytes
/// become U+FFFD); the flag says whether anything was replaced.
fn lossy_text(r: &rusqlite::Row, i: usize, bad: &mut bool) -> rusqlite::Result<String> {
    use rusqlite::types::ValueRef;
    Ok(match r.get_ref(i)? {
        ValueRef::Text(b) | ValueRef::Blob(b) => match std::str::from_utf8(b) {
            Ok(s) => s.to_string(),
            Err(_) => {
                *bad = true;
                String::from_utf8_lossy(b).into_owned()
            }
        },
        ValueRef::Null => String::new(),
        ValueRef::Integer(n) => n.to_string(),
        ValueRef::Real(x) => x.to_string(),
    })
}

/// A typed column, or its default with the flag set when it holds something else.
fn lenient<T: rusqlite::types::FromSql + Default>(
    r: &rusqlite::Row,
    i: usize,
    bad: &mut bool,
) -> T {
    r.get(i).unwrap_or_else(|_| {
        *bad = true;
        T::default()
    })
}

fn head_row(r: &rusqlite::Row) -> rusqlite::Result<CheckinRecord> {
    let mut bad = false;
    Ok(CheckinRecord {
        id: r.get(0)?,
        questionnaire_id: lossy_text(r, 1, &mut bad)?,
        questionnaire_version: lossy_text(r, 2, &mut bad)?,
        file_hash: lossy_text(r, 3, &mut bad)?,
        started_at: from_ms(lenient(r, 4, &mut bad)),
        completed_at: from_ms(lenient(r, 5, &mut bad)),
        is_demo: lenient(r, 6, &mut bad),
        imported_from: lenient(r, 7, &mut bad),
        answers: Vec::new(),
        scores: Vec::new(),
        unreadable: bad,
        asked: Vec::new(),
    })
}

fn point_row(r: &rusqlite::Row) -> rusqlite::Result<Point> {
    Ok(Point {
        at: from_ms(r.get(0)?),
        value: r.get(1)?,
        is_demo: r.get(2)?,
    })
}

/// An answer row; the flag says part of it could not be read.
fn answer_row(r: &rusqlite::Row) -> rusqlite::Result<(SavedAnswer, bool)> {
    let mut bad = false;
    let raw = lossy_text(r, 3, &mut bad)?;
    let a = SavedAnswer {
        question_id: lossy_text(r, 1, &mut bad)?,
        position: lenient(r, 2, &mut bad),
        value: serde_json::from_str(&raw).unwrap_or(serde_json::Value::String(raw)),
        label: lossy_text(r, 4, &mut bad)?,
    };
    Ok((a, bad))
}

fn score_row(r: &rusqlite::Row) -> rusqlite::Result<(SavedScore, bool)> {
    let mut bad = false;
    let opt_text = |i: usize, bad: &mut bool| -> rusqlite::Result<Option<String>> {
        Ok(match r.get_ref(i)? {
            rusqlite::types::ValueRef::Null => None,
            _ => Some(lossy_text(r, i, bad)?),
        })
    };
    let s = SavedScore {
        score_id: lossy_text(r, 1, &mut bad)?,
        label: lossy_text(r, 2, &mut bad)?,
        raw: lenient(r, 3, &mut bad),
        value: lenient(r, 4, &mut bad),
        band_label: opt_text(5, &mut bad)?,
        band_tone: opt_text(6, &mut bad)?,
    };
    Ok((s, bad))
}

/// A plain description of a SQLite error that means the file is damaged.
fn corruption(e: &rusqlite::Error) -> Option<String> {
    use rusqlite::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseCorrupt) => Some(format!("SQLite reports corruption ({e})")),
        Some(ErrorCode::NotADatabase) => Some(format!("the file is not a valid database ({e})")),
        _ => None,
    }
}

/// What to do when the disk itself refused (full, failing, or a file
/// size limit): a failed transaction writes nothing, so it can be retried.
fn disk_hint(e: &rusqlite::Error) -> &'static str {
    use rusqlite::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::DiskFull | ErrorCode::SystemIoFailure) => {
            ". The disk may be full or failing: nothing was written. Free some space or check the disk, then try again"
        }
        _ => "",
    }
}

fn is_read_only(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(rusqlite::ErrorCode::ReadOnly)
}

/// The database path as a `file:` URI path (percent-encoding what URIs reserve).
fn uri_path(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = String::new();
    for b in abs.to_string_lossy().bytes() {
        match b {
            b'%' | b'?' | b'#' => out.push_str(&format!("%{b:02X}")),
            _ => out.push(b as char),
        }
    }
    out
}

/// Where backups of the database at `db` are kept: `backups/` beside it.
/// Where the backups are, in words: "the newest are in DIR", or that there
/// is none yet.
fn backups_hint(dir: &Path) -> String {
    let any = std::fs::read_dir(dir)
        .map(|mut d| d.any(|e| e.is_ok_and(|e| e.path().is_file())))
        .unwrap_or(false);
    if any {
        format!("the newest are in {}", dir.display())
    } else {
        format!(
            "there is none yet: `joy backup` and the kiosk's daily backup keep them in {}",
            dir.display()
        )
    }
}

pub fn backup_dir(db: &Path) -> PathBuf {
    db.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join("backups")
}

/// Make the database and its -wal/-shm files private (0600) when others
/// could read them; one notice per file changed.
#[cfg(unix)]
fn tighten_modes(db: &Path) -> Vec<String> {
    use std::os::unix::fs::PermissionsExt;
    let mut notices = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let mut p = db.as_os_str().to_owned();
        p.push(suffix);
        let p = PathBuf::from(p);
        let Ok(meta) = std::fs::symlink_metadata(&p) else {
            continue;
        };
        let mode = meta.permissions().mode() & 0o777;
        if meta.is_file() && mode & 0o077 != 0 {
            let ok = std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).is_ok();
            notices.push(crate::text::mode_tightened(
                &p.display().to_string(),
                mode,
                ok,
            ));
        }
    }
    notices
}

#[cfg(not(unix))]
fn tighten_modes(_db: &Path) -> Vec<String> {
    Vec::new()
}

/// Create `dir` (and its parents) private to the owner if it is missing.
pub fn create_private_dir_pub(dir: &Path) -> std::io::Result<()> {
    create_private_dir(dir)
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

/// Create the file readable and writable by its owner only (0600) if it
/// does not exist yet; an existing file is left as it is.
#[cfg(unix)]
fn create_private_file(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

#[cfg(not(unix))]
fn create_private_file(path: &Path) -> std::io::Result<()> {
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// The newest check-in of `respondent` on `questionnaire` (demo or real).
fn latest_id(
    c: &Connection,
    respondent: i64,
    questionnaire: &str,
    demo: bool,
) -> rusqlite::Result<Option<i64>> {
    c.prepare_cached(
        "SELECT id FROM checkin WHERE respondent_id = ?1 AND questionnaire_id = ?2 AND is_demo = ?3
         ORDER BY completed_at DESC, id DESC LIMIT 1",
    )?
    .query_row(params![respondent, questionnaire, demo], |r| r.get(0))
    .optional()
}

/// Insert check-ins with their answers and scores (inside the caller's
/// transaction). Every one gets a random id (see `layout.rs`); anonymous
/// ones keep only their date.
fn insert_checkins(tx: &Connection, list: &[NewCheckin]) -> rusqlite::Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(list.len());
    {
        let mut ins_c = tx.prepare_cached(
            "INSERT INTO checkin (respondent_id, team, questionnaire_id, questionnaire_version, file_hash,
                                  started_at, completed_at, is_demo, period, id, sealed, imported_from)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?;
        let mut ins_a = tx.prepare_cached(
            "INSERT INTO answer (checkin_id, question_id, position, value_json, label) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut ins_s = tx.prepare_cached(
            "INSERT INTO score (checkin_id, score_id, position, label, raw, value, band_label, band_tone)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        // One clock and time zone, the store's, date every anonymous entry
        // and file every team reflection (see `release.rs`).
        let tz = release::keep_zone(tx)?;
        // Read once for the whole save, not once an entry.
        let to_outbox = outbox::on(tx)?;
        for c in list {
            release::keep_definition(
                tx,
                &c.file_hash,
                &c.questionnaire_id,
                &c.questionnaire_version,
                &c.definition,
            )?;
            let (started, completed) = if c.respondent.is_none() {
                let day = crate::kiosk::anonymous_stamp(c.completed_at, &tz);
                (day, day)
            } else {
                (c.started_at, c.completed_at)
            };
            let period = match (&c.team, &c.period, c.respondent) {
                (Some(team), Some(_), None) => Some(
                    release::file_period(
                        tx,
                        team,
                        &c.questionnaire_id,
                        c.completed_at.with_timezone(&tz).date_naive(),
                    )?
                    .to_string(),
                ),
                _ => c.period.clone(),
            };
            if c.respondent.is_none() && to_outbox && !c.is_demo {
                // Sent as noon of its date here: the same date on a server
                // in any zone within eleven hours of this one.
                let day = completed.with_timezone(&tz).date_naive();
                let noon = day
                    .and_hms_opt(12, 0, 0)
                    .and_then(|t| t.and_local_timezone(tz).earliest())
                    .map_or(completed, |t| t.with_timezone(&chrono::Utc));
                // With a server the terminal keeps only its outbox: the
                // entry is written there and nowhere else, and is gone
                // from the file once the server has it (issue 17, §1).
                ids.push(outbox::enqueue(tx, &outbox::OutboxEntry::of(c, noon), day)?);
                continue;
            }
            let fixed_id = layout::fresh_id(tx)?;
            let sealed = match (&c.seal, c.respondent) {
                (Some(key), Some(_)) => Some(sealed::seal_body(key, &c.answers, &c.scores)?),
                _ => None,
            };
            ins_c.execute(params![
                c.respondent,
                c.team,
                c.questionnaire_id,
                c.questionnaire_version,
                c.file_hash,
                ms(started),
                ms(completed),
                c.is_demo,
                period,
                fixed_id,
                sealed,
                c.imported_from
            ])?;
            let id = tx.last_insert_rowid();
            if sealed.is_some() {
                // Nothing of a sealed check-in is kept in clear.
                ids.push(id);
                continue;
            }
            for a in &c.answers {
                ins_a.execute(params![
                    id,
                    a.question_id,
                    a.position,
                    a.value.to_string(),
                    a.label
                ])?;
            }
            for (i, s) in c.scores.iter().enumerate() {
                ins_s.execute(params![
                    id,
                    s.score_id,
                    i as i64,
                    s.label,
                    s.raw,
                    s.value,
                    s.band_label,
                    s.band_tone
                ])?;
            }
            ids.push(id);
        }
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_damaged_message_says_whether_a_backup_exists() {
        let dir = tempfile::tempdir().unwrap();
        let backups = dir.path().join("backups");
        assert!(backups_hint(&backups).contains("there is none yet"));
        std::fs::create_dir(&backups).unwrap();
        assert!(backups_hint(&backups).contains("there is none yet"));
        std::fs::write(backups.join("joy-2026-11-22.db"), b"x").unwrap();
        assert!(backups_hint(&backups).starts_with("the newest are in"));
    }
}
