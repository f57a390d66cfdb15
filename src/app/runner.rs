//! Performs effects against the store and feeds the results back into
//! `update`. The only part of the app that touches SQLite.
//!
//! An effect is performed from a [`Scope`], what it needs to know of the
//! app copied when it is sent, never from `State`: the interactive loop
//! ([`run_loop`]) sends effects to a worker thread that owns the store
//! ([`super::worker`]), so no store call can hold up a key, a countdown or
//! the kiosk's idle wipe. Tests and benches call [`dispatch`], which
//! performs the same effects at once, on the caller's thread.

use super::worker::{Job, Worker};
use super::{update, Action, Effect, HomeSummary, Loaded, State};
use crate::config::HuddleSettings;
use crate::model::HomeWanted;
use crate::questionnaire::Questionnaire;
use crate::store::{Storage, TerminalStore};
use chrono::{DateTime, Utc};
use ratatui::backend::Backend;
use ratatui::crossterm::event::Event;
use ratatui::Terminal;
use std::collections::VecDeque;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};

/// Recent scores shown in the home sparkline.
pub const SPARK_POINTS: usize = 12;

/// What performing an effect may know of the app, copied from `State` when
/// the effect is sent (so a worker thread never reads `State`).
#[derive(Debug, Clone)]
pub struct Scope {
    /// The session the effect was sent from ([`super::Session::id`]): its
    /// result is dropped if that session has ended meanwhile.
    pub session: u64,
    /// Whose check-ins these are (none: anonymous, or nobody signed in).
    pub respondent: Option<i64>,
    /// A kiosk code holder's history key (see `kiosk::secret`).
    pub key: Option<crate::kiosk::secret::HistoryKey>,
    /// A kiosk, and the retention of its configuration (days).
    pub kiosk: Option<u32>,
    /// The kiosk's database file, beside which the admin export goes.
    pub db: Option<std::path::PathBuf>,
    /// The kiosk's site, teams, export drive and print command.
    pub site: String,
    pub teams: Vec<String>,
    pub export_to: Option<std::path::PathBuf>,
    pub print_command: Vec<String>,
    pub reflections: HuddleSettings,
    pub questionnaires: Vec<Questionnaire>,
    /// The huddle screen's team, period and rules.
    pub huddle: Option<HuddleScope>,
    /// The ward's server a kiosk delivers to.
    pub server: Option<crate::store::pg::ServerAddress>,
}

/// The huddle screen's part of a [`Scope`].
#[derive(Debug, Clone)]
pub struct HuddleScope {
    pub team: String,
    pub period: crate::period::Period,
    pub today: chrono::NaiveDate,
    pub thresholds: crate::anonymity::Thresholds,
    pub questionnaires: Vec<Questionnaire>,
}

impl Scope {
    pub fn of(state: &State) -> Scope {
        Scope {
            session: state.session.id,
            respondent: state.session.respondent,
            key: state.session.key.clone(),
            kiosk: state.kiosk.as_ref().map(|k| k.config.retention_days),
            db: state.kiosk.as_ref().and_then(|k| k.config.db.clone()),
            site: state
                .kiosk
                .as_ref()
                .map(|k| k.config.site.clone())
                .unwrap_or_default(),
            teams: state.teams.clone(),
            export_to: state
                .kiosk
                .as_ref()
                .and_then(|k| k.config.export_to.clone()),
            print_command: state
                .kiosk
                .as_ref()
                .map(|k| k.config.print_command.clone())
                .unwrap_or_default(),
            reflections: state.reflections,
            questionnaires: state.questionnaires.clone(),
            huddle: state.huddle.as_ref().map(|v| HuddleScope {
                team: v.team.clone(),
                period: v.period,
                today: v.today,
                thresholds: v.thresholds,
                questionnaires: v.questionnaires.clone(),
            }),
            server: match &state.kiosk {
                Some(k) => k.config.server.clone(),
                None => state.team_server.clone(),
            },
        }
    }
}

/// Whether an effect's result belongs to the session that sent it (and is
/// dropped once that session has ended): all but the terminal's own chores.
pub fn belongs_to_session(effect: &Effect) -> bool {
    !matches!(
        effect,
        Effect::DailyChores | Effect::Deliver | Effect::CheckDatabase | Effect::MarkDamaged(_)
    )
}

/// Run one action and every effect that follows from it. Returns the
/// effects only the terminal can perform (clearing it).
pub fn dispatch(
    state: &mut State,
    store: &mut dyn Storage,
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
    store: &mut dyn Storage,
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
        if let Some(result) = perform(&Scope::of(state), store, effect, now) {
            queue.extend(update(state, Action::Loaded(result), now));
        }
    }
    for_terminal
}

fn failed(e: &crate::store::StoreError) -> Loaded {
    Loaded::Error(crate::text::store_failed(&e.to_string()))
}

/// Perform one effect through the storage traits; its result, if it has one.
pub fn perform(
    scope: &Scope,
    store: &mut dyn Storage,
    effect: Effect,
    now: DateTime<Utc>,
) -> Option<Loaded> {
    if let Some(l) = super::kiosk_effects::perform(scope, store, &effect, now) {
        return l;
    }
    let effect = match perform_huddle(scope, store, effect) {
        Ok(done) => return done,
        Err(other) => other,
    };
    match effect {
        Effect::Quit | Effect::ClearTerminal => None,
        Effect::Save(new) => {
            // Whose it is was decided by `update`: a person's own goes to
            // their history with the one before it ("since last time"); an
            // anonymous kiosk check-in or a team reflection is submitted to
            // what the team shares, and belongs to nobody.
            let saved = match new.respondent {
                Some(_) => TerminalStore::save_checkin(store, &new).map(|s| Loaded::Saved {
                    id: s.id,
                    previous: Box::new(s.previous),
                }),
                None => store.submit(&new).map(|id| Loaded::Saved {
                    id,
                    previous: Box::new(None),
                }),
            };
            Some(saved.unwrap_or_else(|e| match scope.kiosk {
                // At a kiosk there is no "your history" and no quitting.
                Some(_) => Loaded::Error(crate::text::kiosk::save_failed(&e.to_string())),
                None => failed(&e),
            }))
        }
        // Everything else reads or changes one person's own check-ins.
        other => perform_personal(scope, store, other),
    }
}

fn perform_personal(scope: &Scope, store: &mut dyn Storage, effect: Effect) -> Option<Loaded> {
    let me = scope.respondent?;
    let result = match effect {
        Effect::LoadHome => {
            home_summaries(&scope.questionnaires, store, me, scope.key.as_ref()).map(Loaded::Home)
        }
        Effect::LoadHistory(request) => {
            history_page(store, me, scope.key.clone(), request).map(Loaded::History)
        }
        Effect::DeleteCheckin(id) => store.delete_checkin(me, id).map(Loaded::Deleted),
        Effect::ExportHistory(dir) => return Some(export_history(scope, store, me, &dir)),
        Effect::BackupNow => store
            .backup_now(crate::clock::now())
            .map(|to| Loaded::Notice(crate::text::backed_up(&to.display().to_string()))),
        Effect::LoadDetail(id) => store
            .checkin(me, scope.key.as_ref(), id)
            .map(|d| Loaded::Detail(Box::new(d))),
        Effect::LoadSeries {
            questionnaire,
            score,
            since,
        } => store
            .series(me, scope.key.as_ref(), &questionnaire, &score, since)
            .map(Loaded::Series),
        _ => return None,
    };
    Some(result.unwrap_or_else(|e| failed(&e)))
}

/// History's `x`: the whole history as the spreadsheet CSV (as `joy export
/// --format csv` writes it), into a new file in `dir` named by the date
/// (`joy-export-2026-12-07.csv`, then `-2`, `-3`...; never replacing one).
fn export_history(
    scope: &Scope,
    store: &mut dyn Storage,
    me: i64,
    dir: &std::path::Path,
) -> Loaded {
    let records = match store.export_history(me) {
        Ok(r) => r,
        Err(e) => return failed(&e),
    };
    let csv = match crate::store::export::to_csv(&records, &scope.questionnaires, &chrono::Local) {
        Ok(c) => c,
        Err(e) => return Loaded::Error(crate::text::export_failed(&e.to_string())),
    };
    let db = store.file().unwrap_or_default();
    let day = chrono::Local::now().format("%Y-%m-%d");
    for n in 1..1000 {
        let name = if n == 1 {
            format!("joy-export-{day}.csv")
        } else {
            format!("joy-export-{day}-{n}.csv")
        };
        let to = dir.join(name);
        match crate::store::export::write_export(&to, csv.as_bytes(), &db, false) {
            Ok(()) => {
                return Loaded::Notice(crate::text::exported(
                    records.len(),
                    &to.display().to_string(),
                ))
            }
            Err(crate::store::export::ExportFileError::Exists { .. }) => continue,
            Err(e) => return Loaded::Error(crate::text::export_failed(&e.to_string())),
        }
    }
    Loaded::Error(crate::text::export_failed(&dir.display().to_string()))
}

/// A page of `me`'s history and the list's count (one read).
fn history_page(
    store: &mut dyn Storage,
    me: i64,
    key: Option<crate::kiosk::secret::HistoryKey>,
    request: super::history::HistoryRequest,
) -> crate::store::Result<super::history::HistoryPage> {
    let slice = store.history_page(&crate::model::HistoryQuery {
        respondent: me,
        key,
        questionnaire: request.questionnaire.clone(),
        search: request.search.clone(),
        from: request.from,
        limit: request.limit,
    })?;
    Ok(super::history::HistoryPage {
        request,
        total: slice.total,
        rows: slice.rows,
    })
}

/// The huddle's effects (`Err` gives back any other effect). Every
/// reflection is read through [`crate::team_view`], the anonymity rules.
fn perform_huddle(
    scope: &Scope,
    store: &mut dyn Storage,
    effect: Effect,
) -> Result<Option<Loaded>, Effect> {
    let Some(v) = scope.huddle.as_ref() else {
        return Err(effect);
    };
    let (team, period) = (v.team.clone(), v.period);
    let done = match effect {
        Effect::LoadHuddle { .. } => Ok(None),
        Effect::AddAction(new) => store.add_action(&new, v.today).map(|_| None),
        Effect::UpdateAction { id, change } => {
            store
                .update_action(id, &change, v.today)
                .map(|found| match (found, change.status) {
                    (true, Some(s)) => Some(crate::text::action_now(s.as_str())),
                    _ => None,
                })
        }
        Effect::UndoAction { id } => store.undo_action(id, v.today).map(|undone| {
            Some(if undone {
                crate::text::ACTION_UNDONE.to_string()
            } else {
                crate::text::NOTHING_TO_UNDO.to_string()
            })
        }),
        other => return Err(other),
    };
    let result = done.and_then(|notice| {
        let view = crate::team_view::load(
            store,
            &v.questionnaires,
            None,
            &team,
            period,
            v.thresholds,
            v.today,
        )?;
        // The ward beside the team, for the first questionnaire shown.
        let ward = match view.huddles.first() {
            Some(h) => {
                let w = store.ward_period(&team, &h.questionnaire_id, period)?;
                w.total.map(|total| {
                    let mut view = crate::ward::view(&total, &w.teams, v.thresholds);
                    view.name = w.name;
                    Box::new(view)
                })
            }
            None => None,
        };
        Ok(Loaded::Huddle {
            huddles: view.huddles,
            actions: view.actions,
            ward,
            notice,
        })
    });
    // Not the check-in's "your answers are still here": the huddle's own words.
    Ok(Some(result.unwrap_or_else(|e| {
        Loaded::Error(crate::text::huddle_store_failed(&e.to_string()))
    })))
}

/// What the home screen shows of each questionnaire: when it was last
/// done, and the recent values of its first score with the latest band.
pub fn home_summaries(
    questionnaires: &[Questionnaire],
    store: &mut (impl TerminalStore + ?Sized),
    me: i64,
    key: Option<&crate::kiosk::secret::HistoryKey>,
) -> crate::store::Result<Vec<HomeSummary>> {
    let wanted: Vec<HomeWanted> = questionnaires
        .iter()
        .map(|q| HomeWanted {
            questionnaire: &q.id,
            score: q.scores.first().map(|s| s.id.as_str()),
        })
        .collect();
    let facts = store.home(me, key, &wanted, SPARK_POINTS)?;
    Ok(questionnaires
        .iter()
        .zip(facts)
        .map(|(q, f)| {
            let latest_band = q
                .scores
                .first()
                .zip(f.recent.last())
                .and_then(|(s, p)| s.band_for(p.value))
                .map(|b| (b.label.clone(), b.tone.as_str().to_string()));
            HomeSummary {
                questionnaire: q.id.clone(),
                last_done: f.last_done,
                latest: f.recent.last().copied(),
                latest_band,
                recent: f.recent.iter().map(|p| p.value).collect(),
                demo: f.recent.iter().any(|p| p.is_demo),
            }
        })
        .collect())
}

/// The event loop, generic over the backend so tests can drive it with
/// `TestBackend`. Inputs (events from the terminal's reader thread, results
/// from the store's worker) arrive on `inputs`; `sender` is given to the
/// worker. Time passes every [`TICK_MS`] whatever arrives or does not.
pub fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    state: &mut State,
    mut store: Box<dyn Storage + Send>,
    sender: Sender<Input>,
    inputs: Receiver<Input>,
) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    // Checkpoints happen after frames, not inside a save (store/checkpoint.rs).
    // A store that cannot change this (read-only, damaged) keeps SQLite's default.
    let _ = store.defer_checkpoints();
    let worker = Worker::spawn(store, sender)?;
    let now = crate::clock::now();
    let size = terminal.size()?;
    let mut effects = update(
        state,
        Action::Resize {
            width: size.width,
            height: size.height,
        },
        now,
    );
    effects.extend(update(state, Action::Loaded(Loaded::Home(Vec::new())), now));
    effects.extend(if state.kiosk.is_some() {
        super::kiosk::end_session(state)
    } else if state.screen == super::Screen::Huddle {
        super::huddle::load(state)
    } else {
        super::go_home(state)
    });
    if send(state, &worker, effects, now) {
        clear(terminal)?;
    }
    let mut drawn = terminal.draw(|f| crate::ui::draw(f, state))?.area;
    let tick = std::time::Duration::from_millis(TICK_MS as u64);
    let mut last_tick = crate::clock::now();
    while !state.quit {
        let input = match inputs.recv_timeout(tick) {
            Ok(input) => input,
            Err(RecvTimeoutError::Timeout) => Input::Tick,
            Err(RecvTimeoutError::Disconnected) => Input::End,
        };
        let now = crate::clock::now();
        let mut effects = Vec::new();
        let mut redraw = false;
        match input {
            Input::End => break,
            Input::Event(event) => {
                if let Event::Resize(..) = event {
                    // What the terminal shows after a resize cannot be
                    // trusted (cut, wrapped): paint every cell again.
                    repaint(terminal)?;
                }
                if let Some(action) = crate::keymap::map(&event, state) {
                    effects.extend(update(state, action, now));
                    redraw = true;
                }
            }
            Input::Done(done) => {
                // A result for a session that has ended (the kiosk wiped it
                // meanwhile) is not shown to whoever is there now.
                let action = if done.session.is_none_or(|s| s == state.session.id) {
                    Action::Loaded(done.loaded)
                } else {
                    Action::Late(done.loaded)
                };
                effects.extend(update(state, action, now));
                redraw = true;
            }
            Input::Tick => {}
        }
        // Time passes even while events keep coming: the kiosk's idle wipe,
        // every mode's daily job, the huddle screen's refresh.
        if (now - last_tick).num_milliseconds() >= TICK_MS {
            last_tick = now;
            let ticked = update(state, Action::Tick, now);
            // The kiosk's countdowns change every tick; elsewhere only
            // what a tick starts is drawn.
            redraw |= state.kiosk.is_some() || !ticked.is_empty();
            effects.extend(ticked);
        }
        // The size the last frame was drawn at is the size now, or the
        // screen is drawn again (a resize event can be missed in a burst of
        // resizes: the frame then took a size the events never reported).
        let size = terminal.size()?;
        if (size.width, size.height) != (drawn.width, drawn.height) {
            repaint(terminal)?;
            let resize = Action::Resize {
                width: size.width,
                height: size.height,
            };
            effects.extend(update(state, resize, now));
            redraw = true;
        }
        if send(state, &worker, effects, now) {
            clear(terminal)?;
        }
        if redraw {
            drawn = terminal.draw(|f| crate::ui::draw(f, state))?.area;
            // The frame is out: now copy any saved pages into the file.
            worker.send(Job::Checkpoint);
        }
    }
    // Dropping the worker waits for the jobs already sent (a save in flight).
    drop(worker);
    Ok(())
}

/// Send effects to the worker, each with the scope it needs; returns
/// whether the terminal must be cleared (only this thread can do that).
fn send(state: &State, worker: &Worker, effects: Vec<Effect>, now: DateTime<Utc>) -> bool {
    let mut clear = false;
    for effect in effects {
        match effect {
            Effect::ClearTerminal => clear = true,
            Effect::Quit => {}
            effect => worker.send(Job::Effect {
                effect,
                scope: Box::new(Scope::of(state)),
                now,
            }),
        }
    }
    clear
}

/// How often the kiosk's clock ticks (its countdowns count in seconds).
pub const TICK_MS: i64 = 250;

/// What the loop waits for.
#[derive(Debug)]
pub enum Input {
    Event(Event),
    /// An effect's result, from the store's worker thread.
    Done(super::worker::Done),
    /// Nothing happened for a while: time passes.
    Tick,
    /// Input has ended (the terminal has gone).
    End,
}

/// Clear the screen and make the next draw paint every cell. Not
/// `Terminal::clear`: it asks the terminal where its cursor is, and a
/// terminal that does not answer would end the app. A resize to the size
/// it has now clears without asking anything.
fn repaint<B: Backend>(terminal: &mut Terminal<B>) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    let size = terminal.size()?;
    terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))?;
    Ok(())
}

/// Wipe the whole terminal, scrollback included, so nothing of the person
/// who left can be scrolled back to; the next draw repaints every cell.
fn clear<B: Backend>(terminal: &mut Terminal<B>) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    repaint(terminal)?;
    if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        super::terminal::purge_scrollback();
    }
    Ok(())
}
