//! The one place a team's huddle is loaded, for the huddle screen, `joy
//! huddle` and the kiosk's admin export alike: which team questionnaires
//! are shown (those the team has answered, else the bundled reflection so
//! an empty period still says so), each one's released figures ([`huddle`],
//! see [`crate::release`]) or, not yet released, only its count; and the
//! team's actions, overdue first.

use crate::anonymity::Thresholds;
use crate::huddle::{order_actions, Huddle, TeamAction};
use crate::period::Period;
use crate::questionnaire::{Kind, Questionnaire};
use crate::release::PeriodView;
use crate::store::{Result, TeamStore};
use chrono::NaiveDate;

/// The questionnaire shown when a team has answered none yet.
pub const FALLBACK: &str = "team-reflection";

/// What a huddle shows for one team and period.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamView {
    pub huddles: Vec<Huddle>,
    pub actions: Vec<TeamAction>,
}

/// The team questionnaires of `offered` to show for a team that has
/// answered `answered`: those, in the order offered, else the fallback.
pub fn shown<'a>(offered: &'a [Questionnaire], answered: &[String]) -> Vec<&'a Questionnaire> {
    let team = || offered.iter().filter(|q| q.kind == Kind::Team);
    let v: Vec<&Questionnaire> = team().filter(|q| answered.contains(&q.id)).collect();
    if v.is_empty() {
        return team().filter(|q| q.id == FALLBACK).collect();
    }
    v
}

/// The huddle of `team` in `period` on the questionnaires `shown` picks
/// from `offered` (or exactly `only`, when one was asked for).
pub fn load(
    store: &mut (impl TeamStore + ?Sized),
    offered: &[Questionnaire],
    only: Option<&Questionnaire>,
    team: &str,
    period: Period,
    t: Thresholds,
    today: NaiveDate,
) -> Result<TeamView> {
    let answered = store.team_questionnaires(team)?;
    let picked = match only {
        Some(q) => vec![q],
        None => shown(offered, &answered),
    };
    let huddles = picked
        .into_iter()
        .map(|q| huddle(store, q, team, period, t))
        .collect::<Result<Vec<_>>>()?;
    let mut actions = store.actions(Some(team))?;
    order_actions(&mut actions, today);
    Ok(TeamView { huddles, actions })
}

/// Everything the huddle may show for `team` on `q` in `period`: its
/// release, read with the reader's thresholds `t` (which may raise the
/// released k, never lower it) and the trend of the earlier releases; or,
/// not released, how many reflections it has and when it will be shown.
pub fn huddle(
    store: &mut (impl TeamStore + ?Sized),
    q: &Questionnaire,
    team: &str,
    period: Period,
    t: Thresholds,
) -> Result<Huddle> {
    Ok(match store.team_period(team, &q.id, period)? {
        PeriodView::Released { release, earlier } => crate::release::view(&release, &earlier, t),
        PeriodView::Open { have, headcount } => {
            // Shown with the rules it will be released with.
            let t = match store.rules()? {
                Some(r) => t.at_least(Some(r)),
                None => t.at_least(Some(crate::model::TeamRules {
                    min_group: crate::config::DEFAULT_MIN_GROUP,
                    min_group_text: crate::config::DEFAULT_MIN_GROUP,
                })),
            };
            crate::release::open(q, team, period, have, headcount, t)
        }
    })
}

/// The period a huddle opens on: the last one released for `team`, else
/// the one open on `today` (of the kind `kind`).
pub fn default_period(
    store: &mut (impl TeamStore + ?Sized),
    team: &str,
    kind: crate::period::PeriodKind,
    today: NaiveDate,
) -> Result<Period> {
    Ok(store
        .released_periods(team)?
        .into_iter()
        .next()
        .unwrap_or_else(|| Period::containing(kind, today)))
}
