//! The one place a team's huddle is loaded, for the huddle screen, `joy
//! huddle` and the kiosk's admin export alike: which team questionnaires
//! are shown (those the team has answered, else the bundled reflection so
//! an empty period still says so), each one's figures through the
//! anonymity rules ([`huddle`]), and the team's actions, overdue first.

use crate::anonymity::{os_seed, Thresholds};
use crate::huddle::TREND_PERIODS;
use crate::huddle::{order_actions, Huddle, TeamAction};
use crate::period::Period;
use crate::questionnaire::{Kind, Questionnaire};
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
    let seed = os_seed();
    let huddles = picked
        .into_iter()
        .map(|q| huddle(store, q, team, period, t, seed))
        .collect::<Result<Vec<_>>>()?;
    let mut actions = store.actions(Some(team))?;
    order_actions(&mut actions, today);
    Ok(TeamView { huddles, actions })
}

/// Everything the huddle may show for `team` on `q` in `period`: that
/// period's reflections and the earlier periods' summaries, read together,
/// through [`crate::huddle::build`] (the anonymity rules). `seed` orders the
/// free text ([`crate::anonymity::os_seed`]).
pub fn huddle(
    store: &mut (impl TeamStore + ?Sized),
    q: &Questionnaire,
    team: &str,
    period: Period,
    t: Thresholds,
    seed: u64,
) -> Result<Huddle> {
    let earlier: Vec<String> = period
        .last_n(TREND_PERIODS)
        .iter()
        .filter(|p| **p != period)
        .map(ToString::to_string)
        .collect();
    let (rows, trend) = store.team_period(team, &q.id, &period.to_string(), &earlier)?;
    Ok(crate::huddle::build(
        q, team, period, &rows, &trend, t, seed,
    ))
}
