//! The outbox (issue 17, §3): with a server configured, every anonymous
//! entry is also kept here, in the same transaction as its local save,
//! until the ward's server has it. Entries wait for their day to end (by
//! design: the server then learns at most which entries one terminal gave
//! in one day, never their order), and are sent a whole day at a time,
//! shuffled, each under its random global id: a day sent twice (a lost
//! reply, a kill mid-way) is kept once, so nothing is lost or doubled.

use super::{Result, Store};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

/// Setting key: "1" while this terminal delivers to a server.
pub const OUTBOX_ON: &str = "outbox.on";
/// Setting key: the last delivery's failure, and since when (RFC 3339).
pub const OUTBOX_ERROR: &str = "outbox.error";
/// Setting key: how far this terminal's clock was from the server's at the
/// last delivery, in whole minutes (kept only when it is off by at least
/// [`CLOCK_OFF_MINUTES`]).
pub const OUTBOX_CLOCK: &str = "outbox.clock_off_minutes";
/// A clock this far from the server's dates entries visibly wrong near
/// midnight: said on the admin screen and by `joy server status`.
pub const CLOCK_OFF_MINUTES: i64 = 5;

/// One entry as the server takes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub team: Option<String>,
    pub questionnaire_id: String,
    pub version: String,
    pub file_hash: String,
    /// The questionnaire file's text, for the server to keep by its hash.
    pub definition: String,
    /// The entry's time as stamped locally (midnight of its date).
    pub completed_at: chrono::DateTime<chrono::Utc>,
    pub is_demo: bool,
    pub answers: Vec<(String, serde_json::Value)>,
    pub scores: Vec<(String, Option<f64>)>,
    /// A team reflection the server files into a period.
    pub file: bool,
}

impl OutboxEntry {
    pub fn of(c: &crate::model::NewCheckin, completed_at: chrono::DateTime<chrono::Utc>) -> Self {
        OutboxEntry {
            team: c.team.clone(),
            questionnaire_id: c.questionnaire_id.clone(),
            version: c.questionnaire_version.clone(),
            file_hash: c.file_hash.clone(),
            definition: c.definition.to_string(),
            completed_at,
            is_demo: c.is_demo,
            answers: c
                .answers
                .iter()
                .map(|a| (a.question_id.clone(), a.value.clone()))
                .collect(),
            scores: c
                .scores
                .iter()
                .map(|s| (s.score_id.clone(), s.value))
                .collect(),
            file: c.team.is_some() && c.period.is_some() && c.respondent.is_none(),
        }
    }
}

/// Whether this terminal delivers to a server (inside the save).
pub(crate) fn on(c: &Connection) -> rusqlite::Result<bool> {
    Ok(
        c.prepare_cached("SELECT value FROM setting WHERE key = ?1")?
            .query_row([OUTBOX_ON], |r| r.get::<_, String>(0))
            .optional()?
            .as_deref()
            == Some("1"),
    )
}

/// Keep `entry` for delivery under a new random id (inside the save). The
/// questionnaire file's text is not copied: it is kept once by its hash
/// (`questionnaire_def`) and joined again at delivery. Returns the id.
pub(crate) fn enqueue(
    c: &Connection,
    entry: &OutboxEntry,
    day: NaiveDate,
) -> rusqlite::Result<i64> {
    let entry = OutboxEntry {
        definition: String::new(),
        ..entry.clone()
    };
    let payload = serde_json::to_string(&entry)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    loop {
        let id = ((crate::anonymity::os_seed() >> 1) as i64).max(1);
        let n = c
            .prepare_cached("INSERT OR IGNORE INTO outbox (id, day, payload) VALUES (?1, ?2, ?3)")?
            .execute(params![id, day.to_string(), payload])?;
        if n == 1 {
            return Ok(id);
        }
    }
}

/// How many entries wait, and the oldest day among them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OutboxStatus {
    pub waiting: usize,
    pub oldest: Option<NaiveDate>,
    /// The last delivery's failure, if it has not worked since.
    pub error: Option<String>,
    /// When delivery first failed, of the failures since it last worked.
    pub failing_since: Option<chrono::DateTime<chrono::Utc>>,
    /// Minutes this terminal's clock was ahead of the server's (behind:
    /// negative) at the last delivery, when off by at least
    /// [`CLOCK_OFF_MINUTES`].
    pub clock_off: Option<i64>,
}

impl Store {
    /// Deliver anonymous entries to a server from now on (or stop).
    pub fn set_outbox(&mut self, on: bool) -> Result<()> {
        if on {
            self.set_setting(OUTBOX_ON, "1")
        } else {
            self.set_setting(OUTBOX_ON, "0")
        }
    }

    /// The days before `today` with entries waiting, oldest first.
    pub fn outbox_days_before(&mut self, today: NaiveDate) -> Result<Vec<NaiveDate>> {
        let v: Vec<String> = self.sql(|c| {
            c.prepare_cached("SELECT DISTINCT day FROM outbox WHERE day < ?1 ORDER BY day")?
                .query_map([today.to_string()], |r| r.get(0))?
                .collect()
        })?;
        Ok(v.iter()
            .filter_map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .collect())
    }

    /// One day's entries waiting (in no particular order), each with the
    /// text of the questionnaire file it was answered on.
    pub fn outbox_day(&mut self, day: NaiveDate) -> Result<Vec<(i64, OutboxEntry)>> {
        let rows: Vec<(i64, String)> = self.sql(|c| {
            c.prepare_cached("SELECT id, payload FROM outbox WHERE day = ?1")?
                .query_map([day.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect()
        })?;
        let mut out: Vec<(i64, OutboxEntry)> = rows
            .into_iter()
            .filter_map(|(id, p)| serde_json::from_str(&p).ok().map(|e| (id, e)))
            .collect();
        let mut sources: std::collections::HashMap<String, String> = Default::default();
        for (_, e) in &mut out {
            if !sources.contains_key(&e.file_hash) {
                let source: Option<String> = self.sql(|c| {
                    c.prepare_cached("SELECT source FROM questionnaire_def WHERE hash = ?1")?
                        .query_row([&e.file_hash], |r| r.get(0))
                        .optional()
                })?;
                sources.insert(e.file_hash.clone(), source.unwrap_or_default());
            }
            e.definition = sources.get(&e.file_hash).cloned().unwrap_or_default();
        }
        Ok(out)
    }

    /// The server has these: forget them (one transaction).
    pub fn outbox_delivered(&mut self, ids: &[i64]) -> Result<()> {
        self.write("forgetting delivered entries", |c| {
            let tx = c.transaction()?;
            {
                let mut del = tx.prepare_cached("DELETE FROM outbox WHERE id = ?1")?;
                for id in ids {
                    del.execute([id])?;
                }
            }
            tx.execute("DELETE FROM setting WHERE key = ?1", [OUTBOX_ERROR])?;
            tx.commit()
        })
    }

    /// The server was reached: no failure stands.
    pub fn outbox_reached(&mut self) -> Result<()> {
        self.write("noting the server reached", |c| {
            c.execute("DELETE FROM setting WHERE key = ?1", [OUTBOX_ERROR])
                .map(|_| ())
        })
    }

    /// Record why delivery failed (kept with the first time it did).
    pub fn outbox_failed(&mut self, why: &str, now: chrono::DateTime<chrono::Utc>) -> Result<()> {
        let since = match self.setting(OUTBOX_ERROR)? {
            Some(v) => v.split_once('\t').map(|(t, _)| t.to_string()),
            None => None,
        }
        .unwrap_or_else(|| now.to_rfc3339());
        self.set_setting(OUTBOX_ERROR, &format!("{since}\t{why}"))
    }

    /// Record how far this terminal's clock is from the server's (`off`
    /// minutes ahead; behind: negative). A small difference clears it.
    pub fn outbox_clock(&mut self, off: i64) -> Result<()> {
        if off.abs() >= CLOCK_OFF_MINUTES {
            self.set_setting(OUTBOX_CLOCK, &off.to_string())
        } else {
            self.write("noting the clock", |c| {
                c.execute("DELETE FROM setting WHERE key = ?1", [OUTBOX_CLOCK])
                    .map(|_| ())
            })
        }
    }

    pub fn outbox_status(&mut self) -> Result<OutboxStatus> {
        let (waiting, oldest): (i64, Option<String>) = self.sql(|c| {
            c.query_row("SELECT count(*), min(day) FROM outbox", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
        })?;
        let failure = self.setting(OUTBOX_ERROR)?;
        Ok(OutboxStatus {
            waiting: waiting.max(0) as usize,
            oldest: oldest.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
            error: failure.as_ref().map(|v| {
                v.split_once('\t')
                    .map_or(v.as_str(), |(_, why)| why)
                    .to_string()
            }),
            failing_since: failure
                .as_ref()
                .and_then(|v| v.split_once('\t'))
                .and_then(|(t, _)| chrono::DateTime::parse_from_rfc3339(t).ok())
                .map(|t| t.with_timezone(&chrono::Utc)),
            clock_off: self.setting(OUTBOX_CLOCK)?.and_then(|v| v.parse().ok()),
        })
    }
}
