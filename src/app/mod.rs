//! The app's state machine: `update(&mut State, Action, now) -> Vec<Effect>`.
//! Update is pure: it never touches the database or the terminal. Effects
//! (save, load) are data that the runner performs, feeding results back as
//! `Action::Loaded`. A whole check-in is tested by feeding actions.

pub mod checkin;
pub mod lifeline;
pub mod runner;
pub mod terminal;

use crate::questionnaire::{score, Kind, Outcome, Questionnaire};
use crate::store::{CheckinRecord, NewCheckin, Point};
use crate::trends::Period;
pub use checkin::Checkin;
use chrono::{DateTime, Utc};
use ratatui::crossterm::event::KeyEvent;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Home,
    Question,
    Review,
    Result,
    History,
    Detail,
    Trends,
}

/// Everything the user can ask for. Keys and clicks become these.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Up,
    Down,
    /// Previous question / previous item.
    Left,
    /// Next question / next item.
    Right,
    Confirm,
    Back,
    /// Choose row N (0-based), e.g. from a click.
    Pick(usize),
    /// A digit key: row 1-9 (0 = row 10), or on a number question the number itself.
    Digit(u8),
    Toggle,
    Skip,
    Save,
    Help,
    Quit,
    Yes,
    No,
    OpenHistory,
    OpenTrends,
    NextPeriod,
    SetPeriod(Period),
    NextScore,
    PrevScore,
    NextQuestionnaire,
    /// A key for the text editor.
    Edit(KeyEvent),
    Click {
        column: u16,
        row: u16,
    },
    Resize {
        width: u16,
        height: u16,
    },
    Loaded(Loaded),
}

/// Results of effects, fed back by the runner.
#[derive(Debug, Clone, PartialEq)]
pub enum Loaded {
    Home(Vec<HomeSummary>),
    History(Vec<CheckinRecord>),
    Detail(Box<Option<CheckinRecord>>),
    Series(Vec<Point>),
    Saved {
        id: i64,
        previous: Box<Option<CheckinRecord>>,
    },
    Error(String),
}

/// Work for the runner.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    LoadHome,
    LoadHistory,
    LoadDetail(i64),
    LoadSeries {
        questionnaire: String,
        score: String,
        since: Option<DateTime<Utc>>,
    },
    Save(Box<NewCheckin>),
    Quit,
}

/// What the home screen shows for one questionnaire.
#[derive(Debug, Clone, PartialEq)]
pub struct HomeSummary {
    pub questionnaire: String,
    pub last_done: Option<DateTime<Utc>>,
    pub latest: Option<Point>,
    pub latest_band: Option<(String, String)>,
    pub recent: Vec<f64>,
    /// Some of the values shown are demo data (from `joy demo`).
    pub demo: bool,
}

#[derive(Debug, Clone)]
pub struct ResultView {
    pub questionnaire: usize,
    pub outcome: Outcome,
    pub saved_id: Option<i64>,
    pub previous: Option<CheckinRecord>,
    pub scroll: u16,
}

#[derive(Debug, Clone)]
pub struct TrendsView {
    pub questionnaire: usize,
    pub score: usize,
    pub period: Period,
    pub points: Vec<Point>,
    pub loaded: bool,
}

#[derive(Debug)]
pub struct State {
    /// Personal questionnaires available on this machine.
    pub questionnaires: Vec<Questionnaire>,
    pub respondent: Option<i64>,
    pub screen: Screen,
    pub selected: usize,
    pub home: Vec<HomeSummary>,
    pub checkin: Option<Checkin>,
    pub result: Option<ResultView>,
    pub history: Vec<CheckinRecord>,
    pub history_selected: usize,
    pub detail: Option<CheckinRecord>,
    pub detail_scroll: u16,
    pub trends: TrendsView,
    pub help: bool,
    pub confirm_leave: bool,
    pub quit: bool,
    /// A message for the user (e.g. a failed save), shown in the status line.
    pub status: Option<String>,
    pub size: (u16, u16),
    pub no_color: bool,
    /// The time of the last action, so drawing needs no clock.
    pub now: DateTime<Utc>,
}

impl State {
    pub fn new(
        questionnaires: Vec<Questionnaire>,
        respondent: Option<i64>,
        now: DateTime<Utc>,
    ) -> State {
        let questionnaires: Vec<Questionnaire> = questionnaires
            .into_iter()
            .filter(|q| q.kind == Kind::Personal)
            .collect();
        State {
            questionnaires,
            respondent,
            screen: Screen::Home,
            selected: 0,
            home: Vec::new(),
            checkin: None,
            result: None,
            history: Vec::new(),
            history_selected: 0,
            detail: None,
            detail_scroll: 0,
            trends: TrendsView {
                questionnaire: 0,
                score: 0,
                period: Period::Months3,
                points: Vec::new(),
                loaded: false,
            },
            help: false,
            confirm_leave: false,
            quit: false,
            status: None,
            size: (80, 24),
            no_color: false,
            now,
        }
    }

    pub fn summary(&self, id: &str) -> Option<&HomeSummary> {
        self.home.iter().find(|s| s.questionnaire == id)
    }

    /// Unsaved answers exist: leaving asks first.
    pub fn has_unsaved(&self) -> bool {
        matches!(self.screen, Screen::Question | Screen::Review)
            && self.checkin.as_ref().is_some_and(|c| !c.answers.is_empty())
    }

    /// Is a text editor taking keys right now?
    pub fn editing_text(&self) -> bool {
        !self.help
            && !self.confirm_leave
            && self.screen == Screen::Question
            && self
                .checkin
                .as_ref()
                .is_some_and(|c| c.editing_text(&self.questionnaires[c.questionnaire]))
    }

    fn series_effect(&self) -> Vec<Effect> {
        let Some(q) = self.questionnaires.get(self.trends.questionnaire) else {
            return vec![];
        };
        let Some(s) = q.scores.get(self.trends.score) else {
            return vec![];
        };
        vec![Effect::LoadSeries {
            questionnaire: q.id.clone(),
            score: s.id.clone(),
            since: None,
        }]
    }
}

/// The one place state changes.
pub fn update(state: &mut State, action: Action, now: DateTime<Utc>) -> Vec<Effect> {
    state.now = now;
    // Global actions first.
    match &action {
        Action::Resize { width, height } => {
            state.size = (*width, *height);
            return vec![];
        }
        Action::Loaded(l) => return loaded(state, l.clone()),
        Action::Click { column, row } => {
            return match crate::ui::hit(state, *column, *row) {
                Some(a) => update(state, a, now),
                None => vec![],
            };
        }
        _ => {}
    }
    if state.confirm_leave {
        return match action {
            Action::Yes => {
                state.confirm_leave = false;
                state.checkin = None;
                go_home(state)
            }
            Action::No | Action::Back => {
                state.confirm_leave = false;
                vec![]
            }
            Action::Quit => {
                state.quit = true;
                vec![Effect::Quit]
            }
            _ => vec![],
        };
    }
    if state.help {
        if matches!(action, Action::Help | Action::Back | Action::Confirm) {
            state.help = false;
        } else if action == Action::Quit {
            return quit(state);
        }
        return vec![];
    }
    match action {
        Action::Help => {
            state.help = true;
            return vec![];
        }
        Action::Quit => return quit(state),
        _ => {}
    }
    state.status = None;
    let action = match action {
        Action::Digit(d) if !checkin::digit_is_value(state) => {
            Action::Pick(if d == 0 { 9 } else { d as usize - 1 })
        }
        other => other,
    };
    match state.screen {
        Screen::Home => home(state, action, now),
        Screen::Question => checkin::question(state, action, now),
        Screen::Review => checkin::review(state, action, now),
        Screen::Result => result(state, action),
        Screen::History => history(state, action),
        Screen::Detail => detail(state, action),
        Screen::Trends => trends(state, action),
    }
}

fn quit(state: &mut State) -> Vec<Effect> {
    if state.has_unsaved() {
        state.confirm_leave = true;
        vec![]
    } else {
        state.quit = true;
        vec![Effect::Quit]
    }
}

pub(crate) fn go_home(state: &mut State) -> Vec<Effect> {
    state.screen = Screen::Home;
    vec![Effect::LoadHome]
}

fn open_history(state: &mut State) -> Vec<Effect> {
    state.screen = Screen::History;
    state.history_selected = 0;
    vec![Effect::LoadHistory]
}

fn open_trends(state: &mut State, questionnaire: usize) -> Vec<Effect> {
    state.screen = Screen::Trends;
    if state.trends.questionnaire != questionnaire {
        state.trends.questionnaire = questionnaire;
        state.trends.score = 0;
    }
    state.trends.loaded = false;
    state.series_effect()
}

fn step(i: usize, len: usize, down: bool) -> usize {
    if len == 0 {
        0
    } else if down {
        (i + 1).min(len - 1)
    } else {
        i.saturating_sub(1)
    }
}

fn home(state: &mut State, action: Action, now: DateTime<Utc>) -> Vec<Effect> {
    let n = state.questionnaires.len();
    match action {
        Action::Up | Action::Down => {
            state.selected = step(state.selected, n, action == Action::Down)
        }
        Action::Pick(i) if i < n => {
            state.selected = i;
            return start(state, now);
        }
        Action::Confirm | Action::Right => return start(state, now),
        Action::OpenHistory => return open_history(state),
        Action::OpenTrends => return open_trends(state, state.selected),
        // Esc on home does nothing: leaving the app is always `q`.
        Action::Back => {}
        _ => {}
    }
    vec![]
}

fn start(state: &mut State, now: DateTime<Utc>) -> Vec<Effect> {
    let Some(q) = state.questionnaires.get(state.selected) else {
        return vec![];
    };
    state.checkin = Some(Checkin::new(state.selected, q, now));
    state.screen = Screen::Question;
    vec![]
}

/// Called by the check-in flow when the user saves.
pub(crate) fn finish(state: &mut State, now: DateTime<Utc>) -> Vec<Effect> {
    let Some(c) = state.checkin.as_ref() else {
        return vec![];
    };
    let q = &state.questionnaires[c.questionnaire];
    let outcome = score(q, &c.answers);
    let new = NewCheckin::from_outcome(
        q,
        &c.answers,
        &outcome,
        state.respondent,
        c.started_at,
        now.max(c.started_at),
    );
    state.result = Some(ResultView {
        questionnaire: c.questionnaire,
        outcome,
        saved_id: None,
        previous: None,
        scroll: 0,
    });
    vec![Effect::Save(Box::new(new))]
}

fn loaded(state: &mut State, l: Loaded) -> Vec<Effect> {
    match l {
        Loaded::Home(h) => state.home = h,
        Loaded::History(h) => {
            state.history = h;
            state.history_selected = state
                .history_selected
                .min(state.history.len().saturating_sub(1));
        }
        Loaded::Detail(d) => {
            state.detail = *d;
            state.detail_scroll = 0;
            state.screen = Screen::Detail;
        }
        Loaded::Series(points) => {
            state.trends.points = points;
            state.trends.loaded = true;
        }
        Loaded::Saved { id, previous } => {
            state.checkin = None;
            if let Some(r) = state.result.as_mut() {
                r.saved_id = Some(id);
                r.previous = *previous;
            }
            state.screen = Screen::Result;
        }
        Loaded::Error(e) => {
            // A failed save keeps the answers: back to review to try again.
            if state.checkin.is_some()
                && state.result.as_ref().is_some_and(|r| r.saved_id.is_none())
            {
                state.result = None;
                state.screen = Screen::Review;
            }
            state.status = Some(e);
        }
    }
    vec![]
}

fn result(state: &mut State, action: Action) -> Vec<Effect> {
    let Some(r) = state.result.as_mut() else {
        return go_home(state);
    };
    match action {
        Action::Up => r.scroll = r.scroll.saturating_sub(1),
        Action::Down => r.scroll = r.scroll.saturating_add(1),
        Action::Confirm | Action::Back => return go_home(state),
        Action::OpenTrends => {
            let q = r.questionnaire;
            return open_trends(state, q);
        }
        Action::OpenHistory => return open_history(state),
        _ => {}
    }
    vec![]
}

fn history(state: &mut State, action: Action) -> Vec<Effect> {
    let n = state.history.len();
    match action {
        Action::Up | Action::Down => {
            state.history_selected = step(state.history_selected, n, action == Action::Down)
        }
        Action::Pick(i) if i < n => {
            state.history_selected = i;
            return vec![Effect::LoadDetail(state.history[i].id)];
        }
        Action::Confirm | Action::Right => {
            if let Some(r) = state.history.get(state.history_selected) {
                return vec![Effect::LoadDetail(r.id)];
            }
        }
        Action::Back | Action::Left => return go_home(state),
        Action::OpenTrends => return open_trends(state, state.trends.questionnaire),
        _ => {}
    }
    vec![]
}

fn detail(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Up => state.detail_scroll = state.detail_scroll.saturating_sub(1),
        Action::Down => state.detail_scroll = state.detail_scroll.saturating_add(1),
        Action::Back | Action::Left | Action::Confirm => state.screen = Screen::History,
        _ => {}
    }
    vec![]
}

fn trends(state: &mut State, action: Action) -> Vec<Effect> {
    let nq = state.questionnaires.len();
    let ns = state
        .questionnaires
        .get(state.trends.questionnaire)
        .map(|q| q.scores.len())
        .unwrap_or(0);
    match action {
        Action::NextPeriod => state.trends.period = state.trends.period.next(),
        Action::SetPeriod(p) => state.trends.period = p,
        Action::Right | Action::NextScore if ns > 0 => {
            state.trends.score = (state.trends.score + 1) % ns;
            return state.series_effect();
        }
        Action::Left | Action::PrevScore if ns > 0 => {
            state.trends.score = (state.trends.score + ns - 1) % ns;
            return state.series_effect();
        }
        Action::NextQuestionnaire | Action::Down if nq > 0 => {
            state.trends.questionnaire = (state.trends.questionnaire + 1) % nq;
            state.trends.score = 0;
            return state.series_effect();
        }
        Action::Up if nq > 0 => {
            state.trends.questionnaire = (state.trends.questionnaire + nq - 1) % nq;
            state.trends.score = 0;
            return state.series_effect();
        }
        Action::OpenHistory => return open_history(state),
        Action::Back | Action::Confirm => return go_home(state),
        _ => {}
    }
    vec![]
}

/// The points of the current trend that fall in the chosen period.
pub fn visible_points(state: &State, now: DateTime<Utc>) -> Vec<Point> {
    let since = state.trends.period.since(now);
    state
        .trends
        .points
        .iter()
        .filter(|p| since.is_none_or(|s| p.at >= s))
        .copied()
        .collect()
}
