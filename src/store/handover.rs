//! A ward moving from its SQLite file to a server (issue 17, §7): what the
//! file holds that the ward shares, read whole, for `joy server import`.
//! Personal check-ins and private histories (anything with a respondent)
//! are never read here, and demo entries stay behind.

use super::{Result, Store};
use chrono::NaiveDate;

/// One anonymous entry as the server keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct HandoverEntry {
    /// The file's own random id (kept: importing twice keeps it once).
    pub id: i64,
    pub team: Option<String>,
    pub questionnaire_id: String,
    pub version: String,
    pub file_hash: String,
    /// As the file filed it (the period it was, or will be, released in).
    pub period: Option<String>,
    pub completed_on: NaiveDate,
    pub answers: serde_json::Value,
    pub scores: serde_json::Value,
}

/// One version of an action, oldest first per action.
#[derive(Debug, Clone, PartialEq)]
pub struct HandoverActionVersion {
    pub changed_on: NaiveDate,
    pub action: String,
    pub owner: String,
    pub review_on: Option<NaiveDate>,
    pub status: String,
    pub learned: String,
    pub pebble: String,
    pub scope: Option<String>,
}

/// One release, as released.
#[derive(Debug, Clone, PartialEq)]
pub struct HandoverRelease {
    pub team: String,
    pub questionnaire_id: String,
    pub period: String,
    pub released_on: NaiveDate,
    pub reflections: i64,
    pub figures: String,
    pub texts: Option<String>,
}

/// Everything a ward's file shares, to go to its server in one piece.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Handover {
    pub time_zone: Option<String>,
    /// (first day, kind, changed at in ms)
    pub period_rules: Vec<(String, String, i64)>,
    /// (changed at in ms, k, free-text threshold)
    pub team_rules: Vec<(i64, i64, i64)>,
    /// (team, staff, changed at in ms)
    pub headcounts: Vec<(String, i64, i64)>,
    /// (hash, questionnaire id, version, the file's text)
    pub definitions: Vec<(String, String, String, String)>,
    pub entries: Vec<HandoverEntry>,
    /// Demo entries, left behind.
    pub demo_left: usize,
    pub releases: Vec<HandoverRelease>,
    /// (team, created on, versions)
    pub actions: Vec<(String, NaiveDate, Vec<HandoverActionVersion>)>,
}

fn date(s: &str) -> rusqlite::Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

impl Store {
    /// Read what the ward shares, in one read transaction.
    pub fn handover(&mut self) -> Result<Handover> {
        let tz = self.setting(super::release::TIME_ZONE_SETTING)?;
        self.sql(|c| {
            let tx = c.transaction()?;
            let mut h = Handover {
                time_zone: tz,
                ..Handover::default()
            };
            h.period_rules = tx
                .prepare("SELECT effective_from, kind, changed_at FROM period_rule ORDER BY effective_from")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            h.team_rules = tx
                .prepare("SELECT changed_at, min_group, min_group_text FROM team_rules ORDER BY changed_at, rowid")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            h.headcounts = tx
                .prepare("SELECT team, headcount, changed_at FROM team_headcount ORDER BY changed_at, rowid")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            h.definitions = tx
                .prepare("SELECT hash, questionnaire_id, version, source FROM questionnaire_def")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<rusqlite::Result<_>>()?;
            h.demo_left = tx.query_row(
                "SELECT count(*) FROM checkin WHERE respondent_id IS NULL AND is_demo = 1",
                [],
                |r| r.get::<_, i64>(0),
            )? as usize;
            let tz: chrono_tz::Tz = h
                .time_zone
                .as_deref()
                .and_then(super::release::parse_zone)
                .unwrap_or(chrono_tz::UTC);
            {
                let mut rows = tx.prepare(
                    "SELECT id, team, questionnaire_id, questionnaire_version, file_hash, period, completed_at
                     FROM checkin WHERE respondent_id IS NULL AND is_demo = 0 AND sealed IS NULL ORDER BY id",
                )?;
                let mut answers = tx.prepare(
                    "SELECT question_id, value_json FROM answer WHERE checkin_id = ?1 ORDER BY position",
                )?;
                let mut scores = tx.prepare(
                    "SELECT score_id, value FROM score WHERE checkin_id = ?1 ORDER BY position",
                )?;
                let list: Vec<(HandoverEntry, i64)> = rows
                    .query_map([], |r| {
                        Ok((
                            HandoverEntry {
                                id: r.get(0)?,
                                team: r.get(1)?,
                                questionnaire_id: r.get(2)?,
                                version: r.get(3)?,
                                file_hash: r.get(4)?,
                                period: r.get(5)?,
                                completed_on: NaiveDate::default(),
                                answers: serde_json::Value::Null,
                                scores: serde_json::Value::Null,
                            },
                            r.get(6)?,
                        ))
                    })?
                    .collect::<rusqlite::Result<_>>()?;
                for (mut e, completed) in list {
                    let id = e.id;
                    let a: Vec<serde_json::Value> = answers
                        .query_map([id], |r| {
                            let qid: String = r.get(0)?;
                            let v: String = r.get(1)?;
                            Ok(serde_json::json!([
                                qid,
                                serde_json::from_str::<serde_json::Value>(&v)
                                    .unwrap_or(serde_json::Value::Null)
                            ]))
                        })?
                        .collect::<rusqlite::Result<_>>()?;
                    let s: Vec<serde_json::Value> = scores
                        .query_map([id], |r| {
                            let sid: String = r.get(0)?;
                            let v: Option<f64> = r.get(1)?;
                            Ok(serde_json::json!([sid, v]))
                        })?
                        .collect::<rusqlite::Result<_>>()?;
                    let on = chrono::DateTime::from_timestamp_millis(completed)
                        .map(|t| t.with_timezone(&tz).date_naive())
                        .unwrap_or_default();
                    e.completed_on = on;
                    e.answers = serde_json::Value::Array(a);
                    e.scores = serde_json::Value::Array(s);
                    h.entries.push(e);
                }
            }
            h.releases = tx
                .prepare(
                    "SELECT team, questionnaire_id, period, released_on, reflections, figures, texts FROM team_release",
                )?
                .query_map([], |r| {
                    Ok(HandoverRelease {
                        team: r.get(0)?,
                        questionnaire_id: r.get(1)?,
                        period: r.get(2)?,
                        released_on: date(&r.get::<_, String>(3)?)?,
                        reflections: r.get(4)?,
                        figures: r.get(5)?,
                        texts: r.get(6)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            {
                // Each action with what it is now (its version when none
                // were kept, as before versions were).
                let actions: Vec<(i64, String, NaiveDate, HandoverActionVersion)> = tx
                    .prepare(
                        "SELECT id, team, created_on, updated_on, action, owner, review_on, status, learned, pebble, scope
                         FROM team_action ORDER BY id",
                    )?
                    .query_map([], |r| {
                        Ok((
                            r.get(0)?,
                            r.get(1)?,
                            date(&r.get::<_, String>(2)?)?,
                            HandoverActionVersion {
                                changed_on: date(&r.get::<_, String>(3)?)?,
                                action: r.get(4)?,
                                owner: r.get(5)?,
                                review_on: r.get::<_, Option<String>>(6)?.as_deref().map(date).transpose()?,
                                status: r.get(7)?,
                                learned: r.get(8)?,
                                pebble: r.get(9)?,
                                scope: r.get(10)?,
                            },
                        ))
                    })?
                    .collect::<rusqlite::Result<_>>()?;
                let mut versions = tx.prepare(
                    "SELECT changed_on, action, owner, review_on, status, learned, pebble, scope
                     FROM team_action_log WHERE action_id = ?1 ORDER BY seq",
                )?;
                for (id, team, created, current) in actions {
                    let mut list: Vec<HandoverActionVersion> = versions
                        .query_map([id], |r| {
                            Ok(HandoverActionVersion {
                                changed_on: date(&r.get::<_, String>(0)?)?,
                                action: r.get(1)?,
                                owner: r.get(2)?,
                                review_on: r.get::<_, Option<String>>(3)?.as_deref().map(date).transpose()?,
                                status: r.get(4)?,
                                learned: r.get(5)?,
                                pebble: r.get(6)?,
                                scope: r.get(7)?,
                            })
                        })?
                        .collect::<rusqlite::Result<_>>()?;
                    // An action made before versions were kept: as it stands.
                    if list.is_empty() {
                        list.push(current);
                    }
                    h.actions.push((team, created, list));
                }
            }
            tx.commit()?;
            Ok(h)
        })
    }
}

impl Handover {
    /// The file's teams, sorted (entries, releases, staff numbers and
    /// actions; the ward total is none of them).
    pub fn teams(&self) -> Vec<String> {
        let mut teams: Vec<String> = self
            .entries
            .iter()
            .filter_map(|e| e.team.clone())
            .chain(self.releases.iter().map(|r| r.team.clone()))
            .chain(self.headcounts.iter().map(|(t, _, _)| t.clone()))
            .chain(self.actions.iter().map(|(t, _, _)| t.clone()))
            .filter(|t| t != crate::ward::WARD_TOTAL)
            .collect();
        teams.sort();
        teams.dedup();
        teams
    }

    /// Call team `old` `new` everywhere the file names it (two wards'
    /// "Days" cannot both join one trust's server under that name). The
    /// released figures keep their numbers; only the name they carry
    /// changes. Refused, with the file's teams, for a team it does not
    /// have or a name one of its teams has already.
    pub fn rename_team(&mut self, old: &str, new: &str) -> std::result::Result<(), String> {
        let (old, new) = (old.trim(), new.trim());
        let teams = self.teams();
        if new.is_empty() {
            return Err(format!("a new name for \"{old}\" is empty"));
        }
        if !teams.iter().any(|t| t == old) {
            return Err(format!(
                "the file has no team called \"{old}\"; its teams are {}",
                teams.join(", ")
            ));
        }
        if teams.iter().any(|t| t == new) {
            return Err(format!("the file has a team called \"{new}\" already"));
        }
        let rename = |t: &mut String| {
            if t == old {
                *t = new.to_string();
            }
        };
        for e in &mut self.entries {
            if let Some(t) = e.team.as_mut() {
                rename(t);
            }
        }
        for r in &mut self.releases {
            if r.team == old {
                r.team = new.to_string();
                // The release's own record of its team.
                if let Ok(mut v) = serde_json::from_str::<serde_json::Value>(&r.figures) {
                    if v.get("team").and_then(|t| t.as_str()) == Some(old) {
                        v["team"] = serde_json::Value::String(new.to_string());
                        r.figures = v.to_string();
                    }
                }
            }
        }
        for (t, _, _) in &mut self.headcounts {
            rename(t);
        }
        for (t, _, _) in &mut self.actions {
            rename(t);
        }
        Ok(())
    }
}
