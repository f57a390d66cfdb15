//! SQLite storage: opening (permissions, pragmas, migrations), saving a
//! check-in in one transaction, and the typed queries the app and commands
//! use. Nothing here knows about the terminal.

pub mod export;
pub mod schema;

use crate::questionnaire::{Answers, Outcome, Questionnaire};
use chrono::{DateTime, TimeZone, Utc};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::Serialize;
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
    #[error("database error in {path}: {cause}")]
    Sqlite {
        path: String,
        cause: rusqlite::Error,
    },
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// A check-in ready to save.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCheckin {
    pub respondent: Option<i64>,
    pub team: Option<String>,
    pub questionnaire_id: String,
    pub questionnaire_version: String,
    pub file_hash: String,
    pub started_at: DateTime<Utc>,
    pub completed_at: DateTime<Utc>,
    pub is_demo: bool,
    pub answers: Vec<SavedAnswer>,
    pub scores: Vec<SavedScore>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SavedAnswer {
    pub question_id: String,
    pub position: i64,
    /// The answer's value as JSON (a number, a code, text, or a list).
    pub value: serde_json::Value,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SavedScore {
    pub score_id: String,
    pub label: String,
    pub raw: Option<f64>,
    pub value: Option<f64>,
    pub band_label: Option<String>,
    pub band_tone: Option<String>,
}

impl NewCheckin {
    /// Build the rows for a finished check-in on `q`. Answers to hidden
    /// questions are not kept.
    pub fn from_outcome(
        q: &Questionnaire,
        answers: &Answers,
        outcome: &Outcome,
        respondent: Option<i64>,
        started_at: DateTime<Utc>,
        completed_at: DateTime<Utc>,
    ) -> NewCheckin {
        let visible = q.visible_answers(answers);
        let answers = q
            .questions
            .iter()
            .enumerate()
            .filter_map(|(i, question)| {
                let a = visible.get(&question.id)?;
                Some(SavedAnswer {
                    question_id: question.id.clone(),
                    position: i as i64,
                    value: a.to_json(),
                    label: a.label(question),
                })
            })
            .collect();
        let scores = outcome
            .scores
            .iter()
            .map(|s| SavedScore {
                score_id: s.id.clone(),
                label: s.label.clone(),
                raw: s.raw,
                value: s.value,
                band_label: s.band.as_ref().map(|b| b.label.clone()),
                band_tone: s.band.as_ref().map(|b| b.tone.as_str().to_string()),
            })
            .collect();
        NewCheckin {
            respondent,
            team: None,
            questionnaire_id: q.id.clone(),
            questionnaire_version: q.version.clone(),
            file_hash: q.hash.clone(),
            started_at,
            completed_at,
            is_demo: false,
            answers,
            scores,
        }
    }
}

/// One saved check-in with everything in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckinRecord {
    pub id: i64,
    pub questionnaire_id: String,
    pub questionnaire_version: String,
    pub file_hash: String,
    pub started_at: DateTime<Utc>,
    pub completed_at: DateTime<Utc>,
    pub is_demo: bool,
    pub answers: Vec<SavedAnswer>,
    pub scores: Vec<SavedScore>,
}

/// One point of a trend series.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub at: DateTime<Utc>,
    pub value: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EraseReport {
    pub checkins: usize,
    pub answers: usize,
    pub scores: usize,
}

pub struct Store {
    conn: Connection,
    path: String,
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
    pub fn open(path: &Path) -> Result<Store> {
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
        let conn = Connection::open(path).map_err(|cause| StoreError::Sqlite {
            path: shown.clone(),
            cause,
        })?;
        Store::init(conn, shown)
    }

    /// A private in-memory database, for tests and previews.
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory().map_err(|cause| StoreError::Sqlite {
            path: ":memory:".into(),
            cause,
        })?;
        Store::init(conn, ":memory:".into())
    }

    fn init(conn: Connection, path: String) -> Result<Store> {
        let mut store = Store { conn, path };
        store.sql(|c| {
            c.busy_timeout(std::time::Duration::from_secs(5))?;
            c.pragma_update(None, "foreign_keys", true)?;
            c.pragma_update(None, "secure_delete", true)?;
            Ok(())
        })?;
        store.migrate()?;
        store.sql(|c| {
            // WAL for a second reader or writer; FULL so a saved check-in
            // survives power loss.
            let _mode: String = c.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
            c.pragma_update(None, "synchronous", "FULL")?;
            Ok(())
        })?;
        Ok(store)
    }

    fn sql<T>(&mut self, f: impl FnOnce(&mut Connection) -> rusqlite::Result<T>) -> Result<T> {
        f(&mut self.conn).map_err(|cause| StoreError::Sqlite {
            path: self.path.clone(),
            cause,
        })
    }

    pub fn schema_version(&mut self) -> Result<i64> {
        self.sql(|c| c.query_row("PRAGMA user_version", [], |r| r.get(0)))
    }

    fn migrate(&mut self) -> Result<()> {
        let supported = schema::MIGRATIONS.len() as i64;
        let (version, app_id, tables): (i64, i32, i64) = self.sql(|c| {
            Ok((
                c.query_row("PRAGMA user_version", [], |r| r.get(0))?,
                c.query_row("PRAGMA application_id", [], |r| r.get(0))?,
                c.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?,
            ))
        })?;
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
        for (i, step) in schema::MIGRATIONS.iter().enumerate().skip(version as usize) {
            let to = i as i64 + 1;
            self.sql(|c| {
                let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
                tx.execute_batch(step)?;
                tx.pragma_update(None, "application_id", schema::APPLICATION_ID)?;
                tx.pragma_update(None, "user_version", to)?;
                tx.commit()
            })?;
        }
        Ok(())
    }

    /// The respondent for personal check-ins on this machine (made on first use).
    pub fn local_respondent(&mut self) -> Result<i64> {
        self.sql(|c| {
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

    /// Save a check-in, its answers and scores in one transaction: all or nothing.
    pub fn save_checkin(&mut self, c: &NewCheckin) -> Result<i64> {
        self.save_many(std::slice::from_ref(c)).map(|ids| ids[0])
    }

    /// Save several check-ins in one transaction (used by `joy demo`).
    pub fn save_many(&mut self, list: &[NewCheckin]) -> Result<Vec<i64>> {
        self.sql(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut ids = Vec::with_capacity(list.len());
            {
                let mut ins_c = tx.prepare_cached(
                    "INSERT INTO checkin (respondent_id, team, questionnaire_id, questionnaire_version, file_hash,
                                          started_at, completed_at, is_demo)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )?;
                let mut ins_a = tx.prepare_cached(
                    "INSERT INTO answer (checkin_id, question_id, position, value_json, label) VALUES (?1, ?2, ?3, ?4, ?5)",
                )?;
                let mut ins_s = tx.prepare_cached(
                    "INSERT INTO score (checkin_id, score_id, position, label, raw, value, band_label, band_tone)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )?;
                for c in list {
                    ins_c.execute(params![
                        c.respondent,
                        c.team,
                        c.questionnaire_id,
                        c.questionnaire_version,
                        c.file_hash,
                        ms(c.started_at),
                        ms(c.completed_at),
                        c.is_demo
                    ])?;
                    let id = tx.last_insert_rowid();
                    for a in &c.answers {
                        ins_a.execute(params![id, a.question_id, a.position, a.value.to_string(), a.label])?;
                    }
                    for (i, s) in c.scores.iter().enumerate() {
                        ins_s.execute(params![id, s.score_id, i as i64, s.label, s.raw, s.value, s.band_label, s.band_tone])?;
                    }
                    ids.push(id);
                }
            }
            tx.commit()?;
            Ok(ids)
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
                records[i].answers.push(answer_row(row)?);
                Ok(())
            })?;
            children(SCORE_SQL, &mut |i, row| {
                records[i].scores.push(score_row(row)?);
                Ok(())
            })?;
            Ok(records)
        })
    }

    /// The newest check-in of `respondent` on `questionnaire` (for "change
    /// since last time"), without loading the rest of the history.
    pub fn latest(
        &mut self,
        respondent: i64,
        questionnaire: &str,
    ) -> Result<Option<CheckinRecord>> {
        let id: Option<i64> = self.sql(|c| {
            c.prepare_cached(
                "SELECT id FROM checkin WHERE respondent_id = ?1 AND questionnaire_id = ?2
                 ORDER BY completed_at DESC, id DESC LIMIT 1",
            )?
            .query_row(params![respondent, questionnaire], |r| r.get(0))
            .optional()
        })?;
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
            rec.answers = c
                .prepare_cached(&format!(
                    "{ANSWER_SQL} WHERE checkin_id = ?1 ORDER BY position"
                ))?
                .query_map([id], answer_row)?
                .collect::<rusqlite::Result<_>>()?;
            rec.scores = c
                .prepare_cached(&format!(
                    "{SCORE_SQL} WHERE checkin_id = ?1 ORDER BY position"
                ))?
                .query_map([id], score_row)?
                .collect::<rusqlite::Result<_>>()?;
            Ok(Some(rec))
        })
    }

    /// The values of one score over time for one person, oldest first,
    /// optionally only since `since`. Served by the `checkin_by_person` index.
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
                |r| {
                    Ok(Point {
                        at: from_ms(r.get(0)?),
                        value: r.get(1)?,
                    })
                },
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
                "SELECT c.completed_at, s.value FROM checkin c
                 JOIN score s ON s.checkin_id = c.id AND s.score_id = ?3
                 WHERE c.respondent_id = ?1 AND c.questionnaire_id = ?2 AND s.value IS NOT NULL
                 ORDER BY c.completed_at DESC LIMIT ?4",
            )?;
            let mut v: Vec<Point> = st
                .query_map(
                    params![respondent, questionnaire, score, limit as i64],
                    |r| {
                        Ok(Point {
                            at: from_ms(r.get(0)?),
                            value: r.get(1)?,
                        })
                    },
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
        self.sql(|c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let n = tx.execute(
                "DELETE FROM checkin WHERE id = ?1 AND respondent_id = ?2",
                params![id, respondent],
            )?;
            tx.commit()?;
            Ok(n == 1)
        })
    }

    /// Delete every personal check-in (and the local respondent), overwrite
    /// the freed pages, and truncate the write-ahead log.
    pub fn erase_personal(&mut self) -> Result<EraseReport> {
        let report = self.sql(|c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mine = "SELECT id FROM checkin WHERE respondent_id IN (SELECT id FROM respondent WHERE kind = 'local')";
            let count = |sql: &str| tx.query_row(sql, [], |r| r.get::<_, i64>(0)).map(|n| n as usize);
            let report = EraseReport {
                checkins: count(&format!("SELECT count(*) FROM ({mine})"))?,
                answers: count(&format!("SELECT count(*) FROM answer WHERE checkin_id IN ({mine})"))?,
                scores: count(&format!("SELECT count(*) FROM score WHERE checkin_id IN ({mine})"))?,
            };
            tx.execute("DELETE FROM respondent WHERE kind = 'local'", [])?;
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
pub const SERIES_SQL: &str = "SELECT c.completed_at, s.value FROM checkin c
     JOIN score s ON s.checkin_id = c.id AND s.score_id = ?3
     WHERE c.respondent_id = ?1 AND c.questionnaire_id = ?2 AND c.completed_at >= ?4 AND s.value IS NOT NULL
     ORDER BY c.completed_at";

const HEAD_SQL: &str = "SELECT id, questionnaire_id, questionnaire_version, file_hash, started_at, completed_at, is_demo FROM checkin";
const ANSWER_SQL: &str = "SELECT checkin_id, question_id, position, value_json, label FROM answer";
const SCORE_SQL: &str =
    "SELECT checkin_id, score_id, label, raw, value, band_label, band_tone FROM score";

fn head_row(r: &rusqlite::Row) -> rusqlite::Result<CheckinRecord> {
    Ok(CheckinRecord {
        id: r.get(0)?,
        questionnaire_id: r.get(1)?,
        questionnaire_version: r.get(2)?,
        file_hash: r.get(3)?,
        started_at: from_ms(r.get(4)?),
        completed_at: from_ms(r.get(5)?),
        is_demo: r.get(6)?,
        answers: Vec::new(),
        scores: Vec::new(),
    })
}

fn answer_row(r: &rusqlite::Row) -> rusqlite::Result<SavedAnswer> {
    let raw: String = r.get(3)?;
    Ok(SavedAnswer {
        question_id: r.get(1)?,
        position: r.get(2)?,
        value: serde_json::from_str(&raw).unwrap_or(serde_json::Value::String(raw)),
        label: r.get(4)?,
    })
}

fn score_row(r: &rusqlite::Row) -> rusqlite::Result<SavedScore> {
    Ok(SavedScore {
        score_id: r.get(1)?,
        label: r.get(2)?,
        raw: r.get(3)?,
        value: r.get(4)?,
        band_label: r.get(5)?,
        band_tone: r.get(6)?,
    })
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
