//! Team reflections and team actions: the typed queries behind the huddle.
//! Plain SQL over the `checkin_by_team_period` index (team,
//! questionnaire_id, period), which a PostgreSQL store could answer the
//! same way. Rows come back without ids or times: nothing here can order
//! reflections by who came first. The anonymity rules are applied after,
//! in [`crate::huddle`] and [`crate::anonymity`].

use super::{Result, Store};
use crate::huddle::{ActionStatus, PeriodSummary, Reflection, ScoreSum, TeamAction};
use crate::model::TeamRules;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, OptionalExtension, TransactionBehavior};
use std::collections::HashMap;

pub use crate::model::{ActionChange, NewAction, MAX_ACTION_TEXT};

/// The check-ins of one team, questionnaire (?2) and period (?3).
pub const REFLECTION_IDS_SQL: &str =
    "SELECT id FROM checkin WHERE team = ?1 AND questionnaire_id = ?2 AND period = ?3";
const TEAM_IDS: &str = REFLECTION_IDS_SQL;
/// Their answers.
pub const REFLECTION_ANSWERS_SQL: &str = "SELECT checkin_id, question_id, value_json FROM answer WHERE checkin_id IN (SELECT id FROM checkin WHERE team = ?1 AND questionnaire_id = ?2 AND period = ?3)";
/// Their scores.
pub const REFLECTION_SCORES_SQL: &str = "SELECT checkin_id, score_id, value FROM score WHERE checkin_id IN (SELECT id FROM checkin WHERE team = ?1 AND questionnaire_id = ?2 AND period = ?3)";
/// Reflections per period between ?3 and ?4 (the trend).
pub const PERIOD_COUNTS_SQL: &str = "SELECT period, count(*) FROM checkin
                 WHERE team = ?1 AND questionnaire_id = ?2 AND period BETWEEN ?3 AND ?4
                 GROUP BY period";
/// Score values and sums per period between ?3 and ?4 (the trend).
pub const PERIOD_SCORES_SQL: &str =
    "SELECT c.period, s.score_id, count(s.value), total(s.value) FROM checkin c
                 JOIN score s ON s.checkin_id = c.id
                 WHERE c.team = ?1 AND c.questionnaire_id = ?2 AND c.period BETWEEN ?3 AND ?4
                 GROUP BY c.period, s.score_id";

fn day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn action_row(r: &rusqlite::Row) -> rusqlite::Result<TeamAction> {
    let status: String = r.get(5)?;
    let created: String = r.get(7)?;
    let updated: String = r.get(8)?;
    Ok(TeamAction {
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

const ACTION_SQL: &str = "SELECT id, team, action, owner, review_on, status, learned, created_on, updated_on FROM team_action";

impl Store {
    /// The reflections of `team` on `questionnaire` in `period` ("2026-W47"):
    /// each one's answers (stored JSON) and score values. Three indexed
    /// queries, whatever the size of the database.
    pub fn reflections(
        &mut self,
        team: &str,
        questionnaire: &str,
        period: &str,
    ) -> Result<Vec<Reflection>> {
        self.sql(|c| {
            let p = params![team, questionnaire, period];
            let mut index: HashMap<i64, usize> = HashMap::new();
            let mut out: Vec<Reflection> = Vec::new();
            {
                let mut st = c.prepare_cached(TEAM_IDS)?;
                let mut rows = st.query(p)?;
                while let Some(r) = rows.next()? {
                    index.insert(r.get(0)?, out.len());
                    out.push(Reflection::default());
                }
            }
            if out.is_empty() {
                return Ok(out);
            }
            {
                let mut st = c.prepare_cached(REFLECTION_ANSWERS_SQL)?;
                let mut rows = st.query(p)?;
                while let Some(r) = rows.next()? {
                    let Some(&i) = index.get(&r.get::<_, i64>(0)?) else {
                        continue;
                    };
                    let json: String = r.get(2).unwrap_or_default();
                    if let Ok(v) = serde_json::from_str(&json) {
                        out[i].answers.push((r.get(1)?, v));
                    }
                }
            }
            {
                let mut st = c.prepare_cached(REFLECTION_SCORES_SQL)?;
                let mut rows = st.query(p)?;
                while let Some(r) = rows.next()? {
                    if let Some(&i) = index.get(&r.get::<_, i64>(0)?) {
                        out[i].scores.push((r.get(1)?, r.get(2).ok().flatten()));
                    }
                }
            }
            Ok(out)
        })
    }

    /// For the trend: per period in `periods` (of one kind), how many
    /// reflections `team` gave on `questionnaire`, and per score how many
    /// values and their sum. Periods without any are left out.
    pub fn period_summaries(
        &mut self,
        team: &str,
        questionnaire: &str,
        periods: &[String],
    ) -> Result<Vec<PeriodSummary>> {
        let (Some(first), Some(last)) = (periods.iter().min(), periods.iter().max()) else {
            return Ok(Vec::new());
        };
        self.sql(|c| {
            let p = params![team, questionnaire, first, last];
            let mut out: Vec<PeriodSummary> = Vec::new();
            let mut st = c.prepare_cached(PERIOD_COUNTS_SQL)?;
            let mut rows = st.query(p)?;
            while let Some(r) = rows.next()? {
                let period: String = r.get(0)?;
                if periods.contains(&period) {
                    out.push(PeriodSummary {
                        period,
                        reflections: r.get::<_, i64>(1)? as usize,
                        scores: Vec::new(),
                    });
                }
            }
            drop(rows);
            let mut st = c.prepare_cached(PERIOD_SCORES_SQL)?;
            let mut rows = st.query(p)?;
            while let Some(r) = rows.next()? {
                let period: String = r.get(0)?;
                if let Some(summary) = out.iter_mut().find(|s| s.period == period) {
                    summary.scores.push(ScoreSum {
                        score_id: r.get(1)?,
                        n: r.get::<_, i64>(2)? as usize,
                        sum: r.get(3)?,
                    });
                }
            }
            Ok(out)
        })
    }

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
            c.execute(
                "INSERT INTO team_action (team, action, owner, review_on, status, learned, created_on, updated_on)
                 VALUES (?1, ?2, ?3, ?4, 'open', '', ?5, ?5)",
                params![a.team.trim(), a.action.trim(), a.owner.trim(), review, today],
            )?;
            Ok(c.last_insert_rowid())
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
            if let Some(v) = &ch.action {
                a.action = v.trim().to_string();
            }
            if let Some(v) = &ch.owner {
                a.owner = v.trim().to_string();
            }
            if let Some(v) = ch.review_on {
                a.review_on = v;
            }
            if let Some(v) = ch.status {
                a.status = v;
            }
            if let Some(v) = &ch.learned {
                a.learned = v.trim().to_string();
            }
            tx.execute(
                "UPDATE team_action SET action = ?2, owner = ?3, review_on = ?4, status = ?5, learned = ?6, updated_on = ?7
                 WHERE id = ?1",
                params![
                    id,
                    a.action,
                    a.owner,
                    a.review_on.map(|d| d.to_string()),
                    a.status.as_str(),
                    a.learned,
                    today
                ],
            )?;
            tx.commit()?;
            Ok(true)
        })
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

    fn checkin(team: &str, q: &str, period: &str, joy: f64, text: &str) -> NewCheckin {
        let at = Utc.with_ymd_and_hms(2026, 11, 20, 0, 0, 0).unwrap();
        NewCheckin {
            respondent: None,
            team: Some(team.into()),
            period: Some(period.into()),
            questionnaire_id: q.into(),
            questionnaire_version: "1".into(),
            file_hash: "h".into(),
            started_at: at,
            completed_at: at,
            is_demo: false,
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
    fn reflections_and_summaries_are_cut_by_team_questionnaire_and_period() {
        let mut s = Store::open_in_memory().unwrap();
        let mut v = Vec::new();
        for i in 0..6 {
            v.push(checkin("A", "team-reflection", "2026-W47", i as f64, "x"));
        }
        v.push(checkin("A", "team-reflection", "2026-W46", 2.0, "y"));
        v.push(checkin("A", "team-reflection", "2026-11", 2.0, "month"));
        v.push(checkin("B", "team-reflection", "2026-W47", 1.0, "b"));
        v.push(checkin("A", "other", "2026-W47", 1.0, "o"));
        s.save_many(&v).unwrap();
        let r = s.reflections("A", "team-reflection", "2026-W47").unwrap();
        assert_eq!(r.len(), 6);
        assert!(r
            .iter()
            .all(|x| x.answers.len() == 2 && x.scores.len() == 1));
        let mut joys: Vec<f64> = r.iter().map(|x| x.scores[0].1.unwrap()).collect();
        joys.sort_by(f64::total_cmp);
        assert_eq!(joys, [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
        assert!(s
            .reflections("A", "team-reflection", "2026-W45")
            .unwrap()
            .is_empty());
        let periods: Vec<String> = ["2025-W50", "2026-W46", "2026-W47"]
            .map(String::from)
            .to_vec();
        let sums = s
            .period_summaries("A", "team-reflection", &periods)
            .unwrap();
        assert_eq!(
            sums.len(),
            2,
            "the month between the weeks is not counted: {sums:?}"
        );
        let w47 = sums.iter().find(|x| x.period == "2026-W47").unwrap();
        assert_eq!(w47.reflections, 6);
        assert_eq!(
            w47.scores,
            vec![ScoreSum {
                score_id: "team-joy".into(),
                n: 6,
                sum: 15.0
            }]
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
