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

/// Run one action and every effect that follows from it. Returns the
/// effects only the terminal can perform (clearing it).
pub fn dispatch(
    state: &mut State,
    store: &mut Store,
    action: Action,
    now: DateTime<Utc>,
) -> Vec<Effect> {
    let effects = update(state, action, now);
    run_effects(state, store, effects, now)
}

/// Perform effects, feeding each result back into `update`, until none are
/// left. Returns the effects for the terminal (see [`dispatch`]).
pub fn run_effects(
    state: &mut State,
    store: &mut Store,
    effects: Vec<Effect>,
    now: DateTime<Utc>,
) -> Vec<Effect> {
    let mut queue: VecDeque<Effect> = effects.into();
    let mut for_terminal = Vec::new();
    while let Some(effect) = queue.pop_front() {
        if effect == Effect::ClearTerminal {
            for_terminal.push(effect);
            continue;
        }
        if let Some(result) = perform(state, store, effect, now) {
            queue.extend(update(state, Action::Loaded(result), now));
        }
    }
    for_terminal
}

fn perform(state: &State, store: &mut Store, effect: Effect, now: DateTime<Utc>) -> Option<Loaded> {
    if let Some(l) = super::kiosk_effects::perform(state, store, &effect, now) {
        return l;
    }
    let effect = match perform_huddle(state, store, effect) {
        Ok(done) => return done,
        Err(other) => other,
    };
    let result = match effect {
        Effect::Quit | Effect::ClearTerminal => return None,
        Effect::Save(new) => {
            // Whose it is was decided by `update` (nobody's, for an
            // anonymous kiosk check-in or a team reflection).
            let new = *new;
            // The previous check-in of this kind, for "change since last
            // time": a real one for a real check-in, never demo data, and
            // none for an anonymous one.
            let previous = match new.respondent {
                Some(me) => store.latest(me, &new.questionnaire_id, new.is_demo),
                None => Ok(None),
            };
            let saved = previous.and_then(|previous| {
                store.save_checkin(&new).map(|id| Loaded::Saved {
                    id,
                    previous: Box::new(previous),
                })
            });
            if state.kiosk.is_some() {
                // At a kiosk there is no "your history" and no quitting.
                return Some(saved.unwrap_or_else(|e| {
                    Loaded::Error(crate::text::kiosk::save_failed(&e.to_string()))
                }));
            }
            saved
        }
        // Everything else reads or changes one person's own check-ins.
        other => return perform_personal(state, store, other),
    };
    Some(result.unwrap_or_else(|e| Loaded::Error(crate::text::store_failed(&e.to_string()))))
}

fn perform_personal(state: &State, store: &mut Store, effect: Effect) -> Option<Loaded> {
    let me = state.session.respondent?;
    let result = match effect {
        Effect::LoadHome => home_summaries(state, store, me).map(Loaded::Home),
        Effect::LoadHistory(request) => history_page(store, me, request).map(Loaded::History),
        Effect::DeleteCheckin(id) => store.delete_checkin(me, id).map(Loaded::Deleted),
        Effect::LoadDetail(id) => store.checkin(id).map(|d| Loaded::Detail(Box::new(d))),
        Effect::LoadSeries {
            questionnaire,
            score,
            since,
        } => store
            .series(me, &questionnaire, &score, since)
            .map(Loaded::Series),
        _ => return None,
    };
    Some(result.unwrap_or_else(|e| Loaded::Error(crate::text::store_failed(&e.to_string()))))
}

/// A page of `me`'s history and the list's count (two index range scans).
fn history_page(
    store: &mut Store,
    me: i64,
    request: super::history::HistoryRequest,
) -> crate::store::Result<super::history::HistoryPage> {
    let total = store.history_count(me, request.questionnaire.as_deref())?;
    let rows = store.history_page(&crate::store::HistoryQuery {
        respondent: me,
        questionnaire: request.questionnaire.clone(),
        from: request.from,
        limit: request.limit,
    })?;
    Ok(super::history::HistoryPage {
        request,
        total,
        rows,
    })
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
/// `TestBackend`. `next_event` says what happened: an event, a tick, or the end of input.
pub fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    state: &mut State,
    store: &mut Store,
    mut next_event: impl FnMut() -> std::io::Result<Input>,
) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    // Checkpoints happen after frames, not inside a save (store/checkpoint.rs).
    // A store that cannot change this (read-only, damaged) keeps SQLite's default.
    let _ = store.defer_checkpoints();
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
    let effects = if state.kiosk.is_some() {
        super::kiosk::end_session(state)
    } else if state.screen == super::Screen::Huddle {
        super::huddle::load(state)
    } else {
        super::go_home(state)
    };
    run_effects(state, store, effects, Utc::now());
    terminal.draw(|f| crate::ui::draw(f, state))?;
    let mut last_tick = Utc::now();
    while !state.quit {
        let input = next_event()?;
        let now = Utc::now();
        let mut terminal_effects = Vec::new();
        let mut redraw = false;
        match input {
            Input::End => break,
            Input::Event(event) => {
                if let Some(action) = crate::keymap::map(&event, state) {
                    terminal_effects.extend(dispatch(state, store, action, now));
                    redraw = true;
                }
            }
            Input::Tick => {}
        }
        // Time passes for the kiosk even while events keep coming.
        if state.kiosk.is_some() && (now - last_tick).num_milliseconds() >= TICK_MS {
            last_tick = now;
            terminal_effects.extend(dispatch(state, store, Action::Tick, now));
            redraw = true;
        }
        if terminal_effects.contains(&Effect::ClearTerminal) {
            clear(terminal)?;
        }
        if redraw {
            terminal.draw(|f| crate::ui::draw(f, state))?;
            // The frame is out: now copy any saved pages into the file.
            store.checkpoint_idle();
        }
    }
    Ok(())
}

/// How often the kiosk's clock ticks (its countdowns count in seconds).
pub const TICK_MS: i64 = 250;

/// What the event source gives the loop.
#[derive(Debug)]
pub enum Input {
    Event(Event),
    /// Nothing happened for a while: time passes.
    Tick,
    /// Input has ended (the terminal has gone).
    End,
}

/// Wipe the whole terminal, scrollback included, so nothing of the person
/// who left can be scrolled back to; the next draw repaints every cell.
fn clear<B: Backend>(terminal: &mut Terminal<B>) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    terminal.clear()?;
    if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        super::terminal::purge_scrollback();
    }
    Ok(())
}
