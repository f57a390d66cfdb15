//! Performs effects against the store and feeds the results back into
//! `update`. The only part of the app that touches SQLite.

use super::{update, Action, Effect, HomeSummary, Loaded, State};
use crate::store::Store;
use chrono::{DateTime, Utc};
use ratatui::backend::Backend;
use ratatui::crossterm::event::Event;
use ratatui::Terminal;
use std::collections::VecDeque;

/// Recent scores shown in the home sparkline.
pub const SPARK_POINTS: usize = 12;

/// Run one action and every effect that follows from it.
pub fn dispatch(state: &mut State, store: &mut Store, action: Action, now: DateTime<Utc>) {
    let effects = update(state, action, now);
    run_effects(state, store, effects, now);
}

/// Perform effects, feeding each result back into `update`, until none are left.
pub fn run_effects(state: &mut State, store: &mut Store, effects: Vec<Effect>, now: DateTime<Utc>) {
    let mut queue: VecDeque<Effect> = effects.into();
    while let Some(effect) = queue.pop_front() {
        if let Some(result) = perform(state, store, effect) {
            queue.extend(update(state, Action::Loaded(result), now));
        }
    }
}

fn perform(state: &State, store: &mut Store, effect: Effect) -> Option<Loaded> {
    let effect = match perform_huddle(state, store, effect) {
        Ok(done) => return done,
        Err(other) => other,
    };
    let me = state.respondent?;
    let result = match effect {
        Effect::Quit
        | Effect::LoadHuddle { .. }
        | Effect::AddAction(_)
        | Effect::UpdateAction { .. } => return None,
        Effect::LoadHome => home_summaries(state, store, me).map(Loaded::Home),
        Effect::LoadHistory { questionnaire } => store
            .history(Some(me), questionnaire.as_deref())
            .map(Loaded::History),
        Effect::DeleteCheckin(id) => store.delete_checkin(me, id).map(Loaded::Deleted),
        Effect::LoadDetail(id) => store.checkin(id).map(|d| Loaded::Detail(Box::new(d))),
        Effect::LoadSeries {
            questionnaire,
            score,
            since,
        } => store
            .series(me, &questionnaire, &score, since)
            .map(Loaded::Series),
        Effect::Save(new) => {
            let mut new = *new;
            new.respondent = Some(me);
            // The previous check-in of this kind, for "change since last
            // time": a real one for a real check-in, never demo data.
            let previous = store.latest(me, &new.questionnaire_id, new.is_demo);
            previous.and_then(|previous| {
                store.save_checkin(&new).map(|id| Loaded::Saved {
                    id,
                    previous: Box::new(previous),
                })
            })
        }
    };
    Some(result.unwrap_or_else(|e| Loaded::Error(crate::text::store_failed(&e.to_string()))))
}

/// The huddle's effects (`Err` gives back any other effect). Every
/// reflection is read through `Store::huddle`, the anonymity rules.
fn perform_huddle(
    state: &State,
    store: &mut Store,
    effect: Effect,
) -> Result<Option<Loaded>, Effect> {
    let Some(v) = state.huddle.as_ref() else {
        return Err(effect);
    };
    let (team, period) = (v.team.clone(), v.period);
    let done = match effect {
        Effect::LoadHuddle { .. } => Ok(()),
        Effect::AddAction(new) => store.add_action(&new, v.today).map(|_| ()),
        Effect::UpdateAction { id, change } => {
            store.update_action(id, &change, v.today).map(|_| ())
        }
        other => return Err(other),
    };
    let result = done.and_then(|()| {
        let answered = store.team_questionnaires(&team)?;
        let mut shown: Vec<&crate::questionnaire::Questionnaire> = v
            .questionnaires
            .iter()
            .filter(|q| answered.contains(&q.id))
            .collect();
        if shown.is_empty() {
            shown.extend(v.questionnaires.iter().find(|q| q.id == "team-reflection"));
        }
        let seed = crate::anonymity::os_seed();
        let huddles = shown
            .into_iter()
            .map(|q| store.huddle(q, &team, period, v.thresholds, seed))
            .collect::<crate::store::Result<Vec<_>>>()?;
        let mut actions = store.actions(Some(&team))?;
        crate::huddle::order_actions(&mut actions, v.today);
        Ok(Loaded::Huddle { huddles, actions })
    });
    Ok(Some(result.unwrap_or_else(|e| {
        Loaded::Error(crate::text::store_failed(&e.to_string()))
    })))
}

pub fn home_summaries(
    state: &State,
    store: &mut Store,
    me: i64,
) -> crate::store::Result<Vec<HomeSummary>> {
    let mut out = Vec::new();
    for q in &state.questionnaires {
        let last_done = store.last_done(me, &q.id)?;
        let (recent, latest_band) = match q.scores.first() {
            Some(s) if last_done.is_some() => {
                let recent = store.recent(me, &q.id, &s.id, SPARK_POINTS)?;
                let band = recent
                    .last()
                    .and_then(|p| s.band_for(p.value))
                    .map(|b| (b.label.clone(), b.tone.as_str().to_string()));
                (recent, band)
            }
            _ => (Vec::new(), None),
        };
        out.push(HomeSummary {
            questionnaire: q.id.clone(),
            last_done,
            latest: recent.last().copied(),
            latest_band,
            recent: recent.iter().map(|p| p.value).collect(),
            demo: recent.iter().any(|p| p.is_demo),
        });
    }
    Ok(out)
}

/// The event loop, generic over the backend so tests can drive it with
/// `TestBackend`. `next_event` returns None when input has ended.
pub fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    state: &mut State,
    store: &mut Store,
    mut next_event: impl FnMut() -> std::io::Result<Option<Event>>,
) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    let size = terminal.size()?;
    dispatch(
        state,
        store,
        Action::Resize {
            width: size.width,
            height: size.height,
        },
        Utc::now(),
    );
    dispatch(
        state,
        store,
        Action::Loaded(Loaded::Home(Vec::new())),
        Utc::now(),
    );
    let effects = if state.screen == super::Screen::Huddle {
        super::huddle::load(state)
    } else {
        super::go_home(state)
    };
    for e in effects {
        if let Some(r) = perform(state, store, e) {
            update(state, Action::Loaded(r), Utc::now());
        }
    }
    terminal.draw(|f| crate::ui::draw(f, state))?;
    while !state.quit {
        let Some(event) = next_event()? else { break };
        if let Some(action) = crate::keymap::map(&event, state) {
            dispatch(state, store, action, Utc::now());
            terminal.draw(|f| crate::ui::draw(f, state))?;
        }
    }
    Ok(())
}
