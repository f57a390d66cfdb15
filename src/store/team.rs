//! Team reflections and team actions: the typed queries behind the huddle.
//! Plain SQL over the `checkin_by_team_period` index (team,
//! questionnaire_id, period), which a PostgreSQL store could answer the
//! same way. Rows come back without ids or times: nothing here can order
//! reflections by who came first. The anonymity rules are applied after,
//! in [`crate::huddle`] and [`crate::anonymity`].

use super::{Result, Store};
use crate::huddle::{ActionStatus, TeamAction};
use crate::model::ActionScope;
use crate::model::TeamRules;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, OptionalExtension, TransactionBehavior};
use std::collections::HashMap;

pub use crate::model::{ActionChange, NewAction, MAX_ACTION_TEXT};

/// The check-ins of one team, questionnaire (?2) and period (?3).
pub const REFLECTION_IDS_SQL: &str =
    "SELECT id FROM checkin WHERE team = ?1 AND questionnaire_id = ?2 AND period = ?3";
/// Their answers.
pub const REFLECTION_ANSWERS_SQL: &str = "SELECT checkin_id, question_id, value_json FROM answer WHERE checkin_id IN (SELECT id FROM checkin WHERE team = ?1 AND questionnaire_id = ?2 AND period = ?3)";
/// Their scores.
pub const REFLECTION_SCORES_SQL: &str = "SELECT checkin_id, score_id, value FROM score WHERE checkin_id IN (SELECT id FROM checkin WHERE team = ?1 AND questionnaire_id = ?2 AND period = ?3)";
fn day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn action_row(r: &rusqlite::Row) -> rusqlite::Result<TeamAction> {
    let status: String = r.get(5)?;
    let created: String = r.get(7)?;
    let updated: String = r.get(8)?;
    let scope: Option<String> = r.get(10)?;
    Ok(TeamAction {
        pebble: r.get(9)?,
        scope: scope.as_deref().and_then(ActionScope::parse),
        id: r.get(0)?,
        team: r.get(1)?,
        action: r.get(2)?,
        owner: r.get(3)?,
        review_on: r.get::<_, Option<String>>(4)?.as_deref().and_then(day),
        status: ActionStatus::parse(&status).unwrap_or(ActionStatus::Open),
        learned: r.get(6)?,
        created_on: day(&created).unwrap_or_default(),
        updated_on: day(&updated).unwrap_or_default(),
    })
}

const ACTION_SQL: &str = "SELECT id, team, action, owner, review_on, status, learned, created_on, updated_on, pebble, scope FROM team_action";

/// Log the action's current state as its next version (inside the
/// caller's transaction).
fn log_action(c: &rusqlite::Connection, id: i64, on: &str) -> rusqlite::Result<()> {
    c.execute(
        "INSERT INTO team_action_log (action_id, seq, changed_on, action, owner, review_on, status, learned, pebble, scope)
         SELECT id, coalesce((SELECT max(seq) FROM team_action_log WHERE action_id = ?1), 0) + 1, ?2,
                action, owner, review_on, status, learned, pebble, scope
         FROM team_action WHERE id = ?1",
        params![id, on],
    )
    .map(|_| ())
}

impl Store {
    /// The teams that have given reflections (on `questionnaire`, if
    /// given) or recorded actions, sorted.
    pub fn teams(&mut self, questionnaire: Option<&str>) -> Result<Vec<String>> {
        self.sql(|c| {
            c.prepare_cached(
                "SELECT team FROM checkin WHERE team IS NOT NULL AND (?1 IS NULL OR questionnaire_id = ?1)
                 UNION SELECT team FROM team_action WHERE ?1 IS NULL
                 ORDER BY 1",
            )?
            .query_map([questionnaire], |r| r.get(0))?
            .collect()
        })
    }

    /// The questionnaires `team` has given reflections on, sorted.
    pub fn team_questionnaires(&mut self, team: &str) -> Result<Vec<String>> {
        self.sql(|c| {
            c.prepare_cached(
                "SELECT DISTINCT questionnaire_id FROM checkin WHERE team = ?1 ORDER BY 1",
            )?
            .query_map([team], |r| r.get(0))?
            .collect()
        })
    }

    /// Record a new action (status open) on `today`; its id.
    pub fn add_action(&mut self, a: &NewAction, today: NaiveDate) -> Result<i64> {
        let today = today.to_string();
        let review = a.review_on.map(|d| d.to_string());
        self.write("recording an action", |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute(
                "INSERT INTO team_action (team, action, owner, review_on, status, learned, created_on, updated_on, pebble, scope)
                 VALUES (?1, ?2, ?3, ?4, 'open', '', ?5, ?5, ?6, ?7)",
                params![
                    a.team.trim(),
                    a.action.trim(),
                    a.owner.trim(),
                    review,
                    today,
                    a.pebble.trim(),
                    a.scope.map(ActionScope::as_str)
                ],
            )?;
            let id = tx.last_insert_rowid();
            log_action(&tx, id, &today)?;
            tx.commit()?;
            Ok(id)
        })
    }

    /// Change an action; false when there is no action `id`.
    pub fn update_action(&mut self, id: i64, ch: &ActionChange, today: NaiveDate) -> Result<bool> {
        let today = today.to_string();
        self.write("updating an action", |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let Some(mut a) = tx
                .query_row(&format!("{ACTION_SQL} WHERE id = ?1"), [id], action_row)
                .optional()?
            else {
                return Ok(false);
            };
            let logged: bool = tx
                .query_row(
                    "SELECT 1 FROM team_action_log WHERE action_id = ?1 LIMIT 1",
                    [id],
                    |_| Ok(()),
                )
                .optional()?
                .is_some();
            if !logged {
                // Made before actions were logged: its state until now.
                log_action(&tx, id, &a.updated_on.to_string())?;
            }
            ch.apply(&mut a);
            tx.execute(
                "UPDATE team_action SET action = ?2, owner = ?3, review_on = ?4, status = ?5, learned = ?6, updated_on = ?7,
                        pebble = ?8, scope = ?9
                 WHERE id = ?1",
                params![
                    id,
                    a.action,
                    a.owner,
                    a.review_on.map(|d| d.to_string()),
                    a.status.as_str(),
                    a.learned,
                    today,
                    a.pebble,
                    a.scope.map(ActionScope::as_str)
                ],
            )?;
            log_action(&tx, id, &today)?;
            tx.commit()?;
            Ok(true)
        })
    }

    /// Undo the last change to action `id` (its state goes back to the
    /// version before); false when there is nothing to undo (it has not
    /// been changed since it was recorded).
    pub fn undo_action(&mut self, id: i64, today: NaiveDate) -> Result<bool> {
        let today = today.to_string();
        self.write("undoing a change to an action", |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let versions: i64 = tx.query_row(
                "SELECT count(*) FROM team_action_log WHERE action_id = ?1",
                [id],
                |r| r.get(0),
            )?;
            if versions < 2 {
                return Ok(false);
            }
            tx.execute(
                "DELETE FROM team_action_log WHERE action_id = ?1
                   AND seq = (SELECT max(seq) FROM team_action_log WHERE action_id = ?1)",
                [id],
            )?;
            tx.execute(
                "UPDATE team_action SET (action, owner, review_on, status, learned, pebble, scope) =
                   (SELECT action, owner, review_on, status, learned, pebble, scope FROM team_action_log
                    WHERE action_id = ?1 ORDER BY seq DESC LIMIT 1),
                   updated_on = ?2
                 WHERE id = ?1",
                params![id, today],
            )?;
            tx.commit()?;
            Ok(true)
        })
    }

    /// The actions of `team` as they stood at the end of `day`: those
    /// recorded by then, each in its last version of that day or before.
    pub fn actions_as_of(&mut self, team: &str, day: NaiveDate) -> Result<Vec<TeamAction>> {
        let day_s = day.to_string();
        type Version = (
            String,
            String,
            Option<String>,
            String,
            String,
            String,
            Option<String>,
            String,
        );
        // Each action's last version of `day` or before, in one query.
        let versions: HashMap<i64, Version> = self.sql(|c| {
            c.prepare_cached(
                "SELECT l.action_id, l.action, l.owner, l.review_on, l.status, l.learned, l.pebble, l.scope, l.changed_on
                 FROM team_action_log l JOIN team_action a ON a.id = l.action_id
                 WHERE a.team = ?1 AND l.changed_on <= ?2
                   AND l.seq = (SELECT max(seq) FROM team_action_log
                                WHERE action_id = l.action_id AND changed_on <= ?2)",
            )?
            .query_map(params![team, day_s], |r| {
                Ok((
                    r.get(0)?,
                    (
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get(7)?,
                        r.get(8)?,
                    ),
                ))
            })?
            .collect()
        })?;
        let mut out = Vec::new();
        for mut a in self
            .actions(Some(team))?
            .into_iter()
            .filter(|a| a.created_on <= day)
        {
            if let Some((action, owner, review, status, learned, pebble, scope, on)) =
                versions.get(&a.id).cloned()
            {
                a.action = action;
                a.owner = owner;
                a.review_on = review.as_deref().and_then(self::day);
                a.status = ActionStatus::parse(&status).unwrap_or(ActionStatus::Open);
                a.learned = learned;
                a.pebble = pebble;
                a.scope = scope.as_deref().and_then(ActionScope::parse);
                a.updated_on = self::day(&on).unwrap_or(a.updated_on);
            }
            out.push(a);
        }
        Ok(out)
    }

    /// The ward's rules in force (the newest recorded), if any.
    pub fn team_rules(&mut self) -> Result<Option<TeamRules>> {
        self.sql(|c| {
            c.prepare_cached(
                "SELECT min_group, min_group_text FROM team_rules
                 ORDER BY changed_at DESC, rowid DESC LIMIT 1",
            )?
            .query_row([], |r| {
                Ok(TeamRules {
                    min_group: r.get::<_, i64>(0)?.max(0) as usize,
                    min_group_text: r.get::<_, i64>(1)?.max(0) as usize,
                })
            })
            .optional()
        })
    }

    /// Record the ward's rules at `now`, when they differ from those in
    /// force (k at least 3, the text threshold at least k). Returns whether
    /// anything was recorded.
    pub fn set_team_rules(&mut self, rules: &TeamRules, now: DateTime<Utc>) -> Result<bool> {
        let k = rules.min_group.max(crate::anonymity::MIN_K);
        let text = rules.min_group_text.max(k);
        if self.team_rules()?
            == Some(TeamRules {
                min_group: k,
                min_group_text: text,
            })
        {
            return Ok(false);
        }
        self.write("recording the team rules", |c| {
            c.execute(
                "INSERT INTO team_rules (changed_at, min_group, min_group_text) VALUES (?1, ?2, ?3)",
                params![now.timestamp_millis(), k as i64, text as i64],
            )
            .map(|_| true)
        })
    }

    /// One action by id.
    pub fn action(&mut self, id: i64) -> Result<Option<TeamAction>> {
        self.sql(|c| {
            c.prepare_cached(&format!("{ACTION_SQL} WHERE id = ?1"))?
                .query_row([id], action_row)
                .optional()
        })
    }

    /// The actions of `team` (all teams when None), in id order; the
    /// huddle orders them with [`crate::huddle::order_actions`].
    pub fn actions(&mut self, team: Option<&str>) -> Result<Vec<TeamAction>> {
        self.sql(|c| {
            c.prepare_cached(&format!(
                "{ACTION_SQL} WHERE ?1 IS NULL OR team = ?1 ORDER BY id"
            ))?
            .query_map([team], action_row)?
            .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{NewCheckin, SavedAnswer, SavedScore};
    use chrono::{TimeZone, Utc};

    fn checkin(team: &str, q: &str, day: (u32, u32), joy: f64, text: &str) -> NewCheckin {
        let at = Utc.with_ymd_and_hms(2026, day.0, day.1, 12, 0, 0).unwrap();
        NewCheckin {
            respondent: None,
            team: Some(team.into()),
            period: Some("filed by the store".into()),
            questionnaire_id: q.into(),
            questionnaire_version: "1".into(),
            file_hash: "h".into(),
            definition: "".into(),
            started_at: at,
            completed_at: at,
            is_demo: false,
            imported_from: None,
            answers: vec![
                SavedAnswer {
                    question_id: "team-joy".into(),
                    position: 0,
                    value: serde_json::json!(joy),
                    label: String::new(),
                },
                SavedAnswer {
                    question_id: "what-matters".into(),
                    position: 1,
                    value: serde_json::json!(text),
                    label: text.into(),
                },
            ],
            scores: vec![SavedScore {
                score_id: "team-joy".into(),
                label: "Team joy".into(),
                raw: Some(joy),
                value: Some(joy),
                band_label: None,
                band_tone: None,
            }],
            seal: None,
        }
    }

    #[test]
    fn reflections_are_cut_by_team_questionnaire_and_period() {
        let mut s = Store::open_in_memory().unwrap();
        s.set_time_zone("Europe/London").unwrap();
        let mut v = Vec::new();
        for i in 0..6 {
            v.push(checkin("A", "team-reflection", (11, 20), i as f64, "x"));
        }
        v.push(checkin("A", "team-reflection", (11, 13), 2.0, "y"));
        v.push(checkin("B", "team-reflection", (11, 20), 1.0, "b"));
        v.push(checkin("A", "other", (11, 20), 1.0, "o"));
        s.save_many(&v).unwrap();
        let r = s
            .sql(|c| {
                super::super::release::stored_reflections(c, "A", "team-reflection", "2026-W47")
            })
            .unwrap();
        assert_eq!(r.len(), 6);
        assert!(r
            .iter()
            .all(|x| x.reflection.answers.len() == 2 && x.reflection.scores.len() == 1));
        let mut joys: Vec<f64> = r
            .iter()
            .map(|x| x.reflection.scores[0].1.unwrap())
            .collect();
        joys.sort_by(f64::total_cmp);
        assert_eq!(joys, [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
        let w = |p: &str| crate::period::Period::parse(p).unwrap();
        assert_eq!(
            s.period_count("A", "team-reflection", w("2026-W46"))
                .unwrap(),
            1
        );
        assert_eq!(
            s.period_count("A", "team-reflection", w("2026-W45"))
                .unwrap(),
            0
        );
        assert_eq!(s.teams(None).unwrap(), ["A", "B"]);
        assert_eq!(s.teams(Some("other")).unwrap(), ["A"]);
        assert_eq!(
            s.team_questionnaires("A").unwrap(),
            ["other", "team-reflection"]
        );
    }

    #[test]
    fn actions_add_update_list() {
        let mut s = Store::open_in_memory().unwrap();
        let d = |x: &str| NaiveDate::parse_from_str(x, "%Y-%m-%d").unwrap();
        let id = s
            .add_action(
                &NewAction {
                    team: " Ward 7 ".into(),
                    action: "Fix the drug fridge alarm".into(),
                    owner: "ward manager".into(),
                    review_on: Some(d("2026-12-01")),
                    pebble: "IT systems and logins".into(),
                    scope: Some(ActionScope::System),
                },
                d("2026-11-22"),
            )
            .unwrap();
        let a = s.action(id).unwrap().unwrap();
        assert_eq!(a.team, "Ward 7");
        assert_eq!(a.status, ActionStatus::Open);
        assert_eq!(a.created_on, d("2026-11-22"));
        assert!(s
            .update_action(
                id,
                &ActionChange {
                    status: Some(ActionStatus::Testing),
                    learned: Some("Alarm rings at the desk now".into()),
                    review_on: Some(None),
                    ..ActionChange::default()
                },
                d("2026-11-29"),
            )
            .unwrap());
        let a = s.action(id).unwrap().unwrap();
        assert_eq!((a.status, a.review_on), (ActionStatus::Testing, None));
        assert_eq!(a.learned, "Alarm rings at the desk now");
        assert_eq!(a.updated_on, d("2026-11-29"));
        assert_eq!(a.owner, "ward manager");
        assert!(!s
            .update_action(99, &ActionChange::default(), d("2026-11-29"))
            .unwrap());
        assert_eq!(s.actions(Some("Ward 7")).unwrap().len(), 1);
        assert!(s.actions(Some("Ward 8")).unwrap().is_empty());
        assert_eq!(s.teams(None).unwrap(), ["Ward 7"]);
    }
}
