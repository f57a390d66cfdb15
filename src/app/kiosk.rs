//! Kiosk mode: a shared ward terminal. The same `update`, screens and
//! check-in flow as the personal app, with a mode that decides what is
//! offered and whose answers they are:
//! - the welcome screen offers anonymous check-ins first, then a private
//!   history behind a personal code and PIN; it never shows anybody's data;
//! - nothing leaves the app (`Quit` does nothing here); the only way out is
//!   the admin screen, reached by a key sequence shown nowhere and the
//!   admin PIN;
//! - time is an input: `Tick` actions carry `now`; when a person walks away
//!   their whole [`Session`] is dropped and the terminal is cleared.

use super::{Action, Confirm, Effect, Mode, Screen, Session, State};
use crate::kiosk::gate::{BurstFilter, SubmitGate};
use crate::kiosk::secret::HistoryKey;
use crate::questionnaire::Questionnaire;
use crate::text;
use chrono::{DateTime, Duration, Local, NaiveDate, Utc};

/// How the kiosk behaves (from the `[kiosk]` section of the config file).
#[derive(Debug, Clone, PartialEq)]
pub struct KioskConfig {
    /// Site or ward name shown on the welcome screen.
    pub site: String,
    /// Teams a check-in may be tagged with (empty: no question asked).
    pub teams: Vec<String>,
    /// Idle time before a person's session is dropped.
    pub inactivity: Duration,
    /// How long a result stays before the welcome screen returns.
    pub result_for: Duration,
    /// Least time between two saved check-ins from this terminal.
    pub min_interval: Duration,
    /// Identical presses closer together than this are ignored.
    pub burst_window: Duration,
    pub retention_days: u32,
    /// The database file (the admin export goes into `exports/` beside
    /// it); none for a database in memory.
    pub db: Option<std::path::PathBuf>,
    /// Where the admin export is copied too (a removable drive), if set.
    pub export_to: Option<std::path::PathBuf>,
    /// The command that prints the one-page summary; empty = none.
    pub print_command: Vec<String>,
    /// The ward's server this kiosk delivers anonymous entries to.
    pub server: Option<crate::store::pg::ServerAddress>,
}

impl Default for KioskConfig {
    fn default() -> Self {
        KioskConfig {
            site: String::new(),
            teams: Vec::new(),
            inactivity: Duration::seconds(90),
            result_for: Duration::seconds(45),
            min_interval: Duration::seconds(10),
            burst_window: Duration::milliseconds(500),
            retention_days: 365,
            db: None,
            export_to: None,
            print_command: Vec::new(),
            server: None,
        }
    }
}

impl KioskConfig {
    /// The kiosk settings of the configuration (defaults where absent).
    pub fn from_settings(settings: &crate::config::Settings) -> KioskConfig {
        let k = &settings.kiosk;
        KioskConfig {
            site: k.site.clone(),
            teams: k.teams.clone(),
            inactivity: Duration::seconds(i64::from(k.inactivity_secs)),
            result_for: Duration::seconds(i64::from(k.result_secs)),
            min_interval: Duration::seconds(i64::from(k.min_submit_interval_secs)),
            burst_window: Duration::milliseconds(i64::from(k.burst_ms)),
            retention_days: k.retention_days,
            db: Some(settings.db.clone()),
            export_to: k.export_to.clone(),
            print_command: k.print_command.clone(),
            server: settings.server.clone(),
        }
    }
}

impl State {
    /// A kiosk: the welcome screen, nobody's session, the questionnaires
    /// the configuration offers.
    pub fn kiosk(
        questionnaires: Vec<Questionnaire>,
        config: KioskConfig,
        now: DateTime<Utc>,
    ) -> State {
        let mut state = State::new(questionnaires, None, now);
        state.mode = Mode::Kiosk;
        state.screen = Screen::Welcome;
        state.teams = config.teams.clone();
        state.kiosk = Some(Kiosk::new(config));
        state
    }
}

/// The last seconds of a session show a "Still there?" countdown.
pub const WARN_SECONDS: i64 = 10;
/// Presses of Ctrl-K in a row on the welcome screen that open the admin PIN.
pub const ADMIN_PRESSES: u8 = 3;

/// The terminal's own state: it outlives every session and holds nothing
/// of any person.
#[derive(Debug, Clone)]
pub struct Kiosk {
    pub config: KioskConfig,
    pub gate: SubmitGate,
    pub burst: BurstFilter<Action>,
    /// Ctrl-K presses in a row (the admin sequence).
    pub admin_presses: u8,
    /// The local date the daily chores (retention, backup) last ran.
    pub chores_day: Option<NaiveDate>,
    /// The idle reset has run since the last input (so it runs once).
    pub idle_reset_done: bool,
    /// When the outbox was last sent to the ward's server.
    pub delivered_at: Option<DateTime<Utc>>,
}

/// How often a kiosk with a server tries to deliver its outbox (whole
/// past days; a failed round is tried again at the next).
pub const DELIVER_EVERY_SECS: i64 = 300;

impl Kiosk {
    pub fn new(config: KioskConfig) -> Kiosk {
        Kiosk {
            gate: SubmitGate::new(config.min_interval),
            burst: BurstFilter::new(config.burst_window),
            config,
            admin_presses: 0,
            chores_day: None,
            idle_reset_done: true,
            delivered_at: None,
        }
    }
}

/// What a PIN form is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinPurpose {
    /// Open one's private history with code and PIN.
    SignIn,
    /// Make a new private code (suggested) and PIN (typed twice).
    Create,
    /// The admin PIN.
    Admin,
    /// A new PIN for this holder, whose PIN was made before 6 digits were
    /// required (they just signed in with it): typed twice, then their
    /// history is sealed under it.
    Renew(i64),
    /// A new admin PIN, typed twice on the admin screen.
    NewAdmin,
}

/// Where a PIN form is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinStep {
    /// Typing the personal code (sign in), or reading the suggested one (create).
    Code,
    Pin,
    /// Typing the new PIN again.
    Repeat,
    /// The PIN is being checked (argon2id takes a moment).
    Checking,
}

/// The PIN form. Part of the session: typed codes and PINs go with it.
#[derive(Debug, Clone, PartialEq)]
pub struct PinForm {
    pub purpose: PinPurpose,
    pub step: PinStep,
    pub code: String,
    pub pin: String,
    pub first_pin: String,
    pub message: Option<String>,
}

impl PinForm {
    pub fn new(purpose: PinPurpose) -> PinForm {
        PinForm {
            purpose,
            step: if matches!(purpose, PinPurpose::Admin | PinPurpose::NewAdmin) {
                PinStep::Pin
            } else {
                PinStep::Code
            },
            code: String::new(),
            pin: String::new(),
            first_pin: String::new(),
            message: None,
        }
    }
}

pub const MAX_CODE_LEN: usize = 40;
pub const MAX_PIN_LEN: usize = 12;

/// The admin screen's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminItem {
    Counts,
    Participation,
    Export,
    Retention,
    /// The ward's rules: k, the free-text threshold, the period kind and
    /// headcounts (a form of its own).
    WardRules,
    Print,
    ChangePin,
    LiftLockouts,
    Exit,
    Leave,
}

pub const ADMIN_ITEMS: [AdminItem; 10] = [
    AdminItem::Counts,
    AdminItem::Participation,
    AdminItem::Export,
    AdminItem::Print,
    AdminItem::Retention,
    AdminItem::WardRules,
    AdminItem::ChangePin,
    AdminItem::LiftLockouts,
    AdminItem::Exit,
    AdminItem::Leave,
];

/// The admin screen (part of the session: a timeout signs the admin out).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AdminView {
    pub selected: usize,
    /// The panel below the rows (data counts or participation), once
    /// loaded: its title and (label, value) lines.
    pub counts: Option<Vec<(String, String)>>,
    pub panel: &'static str,
    /// Retention being set (days).
    pub retention_days: u32,
    /// Retention in force (days): shortening it asks first.
    pub in_force: u32,
    /// The ward rules form, while it is open (it replaces the rows).
    pub rules: Option<super::ward_rules::RulesForm>,
    /// Lines of the panel scrolled past (PgDn/PgUp), where it is longer
    /// than the screen below the rows.
    pub scroll: u16,
}

/// Lines one PgDn/PgUp moves the admin panel.
pub const PANEL_STEP: u16 = 5;

/// A row of the welcome screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WelcomeItem {
    /// An anonymous check-in with questionnaire N.
    Anonymous(usize),
    SignIn,
    Create,
}

pub fn welcome_items(state: &State) -> Vec<WelcomeItem> {
    // A team reflection needs a team: without teams in the configuration
    // the kiosk does not offer one (nobody at the screen could fix that).
    let mut v: Vec<WelcomeItem> = (0..state.questionnaires.len())
        .filter(|&i| {
            !state.teams.is_empty()
                || state.questionnaires[i].kind != crate::questionnaire::Kind::Team
        })
        .map(WelcomeItem::Anonymous)
        .collect();
    v.push(WelcomeItem::SignIn);
    v.push(WelcomeItem::Create);
    v
}

/// The rows of the team question: each team, then "prefer not to say".
/// Teams on one page of the team screen when there are more than ten
/// rows: nine, numbered 1-9, and "0 More teams" for the next page.
pub const TEAM_PAGE: usize = 9;

/// The team screen's page: its entries (a team's index, or None for
/// "Prefer not to say") and whether a "More teams" row follows them. Up to
/// ten rows fit one page (numbered 1-9 and 0); more are paged by nine, so
/// every row on screen has a number key.
pub fn team_page(state: &State) -> (Vec<Option<usize>>, bool) {
    let mut all: Vec<Option<usize>> = (0..state.teams.len()).map(Some).collect();
    if !team_required(state) {
        all.push(None);
    }
    if all.len() <= 10 {
        return (all, false);
    }
    let pages = all.len().div_ceil(TEAM_PAGE);
    let page = state.session.team_page % pages;
    let end = ((page + 1) * TEAM_PAGE).min(all.len());
    (all[page * TEAM_PAGE..end].to_vec(), true)
}

/// (page from 1, pages) of the team screen.
pub fn team_pages(state: &State) -> (usize, usize) {
    let all = state.teams.len() + usize::from(!team_required(state));
    let pages = if all <= 10 {
        1
    } else {
        all.div_ceil(TEAM_PAGE)
    };
    (state.session.team_page % pages + 1, pages)
}

pub fn team_rows(state: &State) -> usize {
    let (entries, more) = team_page(state);
    entries.len() + usize::from(more)
}

/// A team reflection needs its team; an anonymous check-in may skip it.
pub fn team_required(state: &State) -> bool {
    state
        .questionnaires
        .get(state.session.selected)
        .is_some_and(|q| q.kind == crate::questionnaire::Kind::Team)
}

/// When the current session ends if nobody touches the screen, if a session
/// is going on.
pub fn deadline(state: &State) -> Option<DateTime<Utc>> {
    let k = state.kiosk.as_ref()?;
    if pristine(state) {
        return None;
    }
    let wait = if state.screen == Screen::Result {
        k.config.result_for
    } else {
        k.config.inactivity
    };
    Some(state.session.last_input + wait)
}

/// Whole seconds left before the session ends.
pub fn seconds_left(state: &State) -> Option<i64> {
    deadline(state).map(|d| ((d - state.now).num_milliseconds().max(0) + 999) / 1000)
}

/// The "Still there?" warning is showing: the last [`WARN_SECONDS`] of a
/// session (the last half of a shorter timeout, so there is time to act).
pub fn warning(state: &State) -> bool {
    let Some(k) = state.kiosk.as_ref() else {
        return false;
    };
    let warn_ms = (k.config.inactivity.num_milliseconds() / 2).min(WARN_SECONDS * 1000);
    state.screen != Screen::Result
        && deadline(state).is_some_and(|d| (d - state.now).num_milliseconds() <= warn_ms)
}

/// Nothing of anybody is on screen: the welcome screen, untouched.
pub fn pristine(state: &State) -> bool {
    state.screen == Screen::Welcome
        && !state.help
        && !state.support
        && state.confirm.is_none()
        && state.status.is_none()
        && state.session.selected == 0
}

/// Drop the person's whole session and return to the welcome screen; the
/// runner clears the terminal, scrollback included.
pub fn end_session(state: &mut State) -> Vec<Effect> {
    state.session = Session::new(None, state.now);
    state.screen = Screen::Welcome;
    state.help = false;
    state.support = false;
    state.confirm = None;
    state.status = None;
    vec![Effect::ClearTerminal]
}

/// Time passes: end an abandoned session, run the daily chores.
/// Once a day (and at the start, after the first frame): the full check
/// of the database, before the day's jobs (which wait for its answer).
fn check_first(state: &mut State, today: NaiveDate) -> Option<Effect> {
    if state.check_asked == Some(today) {
        return None;
    }
    state.check_asked = Some(today);
    Some(Effect::CheckDatabase)
}

pub fn tick(state: &mut State, now: DateTime<Utc>) -> Vec<Effect> {
    let mut effects = Vec::new();
    let today = now.with_timezone(&Local).date_naive();
    if state.kiosk.is_some() {
        effects.extend(check_first(state, today));
    }
    let Some(k) = state.kiosk.as_mut() else {
        // The personal app's end-of-day job (see `store::layout`); the
        // huddle screen reads its figures again now and then.
        if state.mode == super::Mode::Personal {
            effects.extend(check_first(state, today));
            if state.check_done == Some(today) && state.chores_day != Some(today) {
                state.chores_day = Some(today);
                effects.push(Effect::DailyChores);
            }
        }
        // Team reflections go to the team's server, as from a kiosk.
        if state.team_server.is_some()
            && state
                .delivered_at
                .is_none_or(|t| (now - t).num_seconds() >= DELIVER_EVERY_SECS)
        {
            state.delivered_at = Some(now);
            effects.push(Effect::Deliver);
        }
        if state.mode == super::Mode::Huddle {
            effects.extend(super::huddle::refresh(state, now));
        }
        return effects;
    };
    let checked = state.check_done == Some(today);
    if checked && k.chores_day != Some(today) {
        k.chores_day = Some(today);
        effects.push(Effect::DailyChores);
    }
    // The outbox goes to the ward's server now and then, off the screen's
    // thread (the runner's worker): a dead server never holds up a key.
    if k.config.server.is_some()
        && k.delivered_at
            .is_none_or(|t| (now - t).num_seconds() >= DELIVER_EVERY_SECS)
    {
        k.delivered_at = Some(now);
        effects.push(Effect::Deliver);
    }
    if let Some(at) = state.session.save_at {
        if state.screen != Screen::Review {
            // Left the review: nothing is saved by itself, so the notice
            // that said it would be goes too.
            state.session.save_at = None;
            state.status = None;
        } else if now >= at {
            state.session.save_at = None;
            state.session.last_input = now;
            // The "saved in a moment" notice has done its work.
            state.status = None;
            effects.extend(super::finish(state, now));
            return effects;
        }
    }
    if let Some(d) = deadline(state) {
        if now >= d {
            effects.extend(end_session(state));
            if let Some(k) = state.kiosk.as_mut() {
                k.idle_reset_done = true;
            }
        }
    }
    effects
}

/// Actions that press something: a rapid series of identical ones is one press.
fn is_press(a: &Action) -> bool {
    matches!(
        a,
        Action::Pick(_)
            | Action::Digit(_)
            | Action::Confirm
            | Action::Click { .. }
            | Action::Save
            | Action::Yes
            | Action::Toggle
            | Action::Skip
    )
}

/// Input arrives in kiosk mode. Returns `Some(effects)` when the kiosk has
/// dealt with it (the action goes no further).
pub fn before(state: &mut State, action: &Action, now: DateTime<Utc>) -> Option<Vec<Effect>> {
    let warned = warning(state);
    let k = state.kiosk.as_mut()?;
    if is_press(action) {
        if !k.burst.accept(action, now) {
            return Some(vec![]);
        }
    } else if !matches!(
        action,
        Action::Resize { .. } | Action::Loaded(_) | Action::Tick
    ) {
        // Typing or moving in between: the next press is a new one.
        k.burst.reset();
    }
    state.session.last_input = now;
    k.idle_reset_done = false;
    if *action == Action::AdminKey {
        if state.screen == Screen::Welcome && state.confirm.is_none() {
            k.admin_presses += 1;
            if k.admin_presses >= ADMIN_PRESSES {
                k.admin_presses = 0;
                state.help = false;
                state.support = false;
                state.session.pin = Some(PinForm::new(PinPurpose::Admin));
                state.screen = Screen::Pin;
            }
        }
        return Some(vec![]);
    }
    k.admin_presses = 0;
    if warned {
        // "Press any key to stay": the key only wakes the session.
        return Some(vec![]);
    }
    // Nothing leaves the kiosk but the admin screen's exit.
    if *action == Action::Quit {
        return Some(vec![]);
    }
    None
}

pub fn welcome(state: &mut State, action: Action, now: DateTime<Utc>) -> Vec<Effect> {
    let items = welcome_items(state);
    let n = items.len();
    let chosen = match action {
        Action::Up | Action::Down => {
            state.session.selected = super::step(state.session.selected, n, action == Action::Down);
            None
        }
        Action::Pick(i) if i < n => {
            state.session.selected = i;
            Some(items[i])
        }
        Action::Confirm | Action::Right => items.get(state.session.selected).copied(),
        _ => None,
    };
    match chosen {
        Some(WelcomeItem::Anonymous(q)) => {
            state.session.selected = q;
            super::choose(state, now)
        }
        Some(WelcomeItem::SignIn) => {
            state.session.pin = Some(PinForm::new(PinPurpose::SignIn));
            state.screen = Screen::Pin;
            vec![]
        }
        Some(WelcomeItem::Create) => {
            state.session.pin = Some(PinForm::new(PinPurpose::Create));
            state.screen = Screen::Pin;
            vec![Effect::SuggestCode]
        }
        None => vec![],
    }
}

pub fn team(state: &mut State, action: Action, now: DateTime<Utc>) -> Vec<Effect> {
    let n = team_rows(state);
    let pick = match action {
        Action::Up | Action::Down => {
            state.session.team_selected =
                super::step(state.session.team_selected, n, action == Action::Down);
            None
        }
        Action::Pick(i) if i < n => Some(i),
        Action::Confirm | Action::Right => Some(state.session.team_selected),
        Action::Back | Action::Left => return super::go_home(state),
        _ => None,
    };
    let Some(i) = pick else { return vec![] };
    let (entries, more) = team_page(state);
    match entries.get(i) {
        Some(entry) => {
            state.session.team = entry.and_then(|t| state.teams.get(t).cloned());
            super::start(state, now)
        }
        None if more => {
            // "More teams": the next page (after the last, the first).
            state.session.team_page += 1;
            state.session.team_selected = 0;
            vec![]
        }
        None => vec![],
    }
}

/// A key typed into the PIN form.
fn type_into(form: &mut PinForm, c: char) {
    form.message = None;
    match form.step {
        PinStep::Code
            if form.purpose == PinPurpose::SignIn
                && form.code.chars().count() < MAX_CODE_LEN
                && (c.is_alphanumeric() || c == '-' || c == ' ') =>
        {
            form.code.push(c);
        }
        PinStep::Pin | PinStep::Repeat if c.is_ascii_digit() && form.pin.len() < MAX_PIN_LEN => {
            form.pin.push(c);
        }
        _ => {}
    }
}

fn backspace(form: &mut PinForm) {
    form.message = None;
    match form.step {
        PinStep::Code if form.purpose == PinPurpose::SignIn => {
            form.code.pop();
        }
        PinStep::Pin | PinStep::Repeat => {
            form.pin.pop();
        }
        _ => {}
    }
}

/// The PIN form: typed codes and PINs, checked by the runner.
pub fn pin(state: &mut State, action: Action) -> Vec<Effect> {
    use ratatui::crossterm::event::KeyCode;
    let Some(form) = state.session.pin.as_mut() else {
        return end_session(state);
    };
    if form.step == PinStep::Checking {
        return vec![];
    }
    match action {
        Action::Digit(d) => type_into(form, char::from(b'0' + d.min(9))),
        Action::Edit(k) => match k.code {
            KeyCode::Char(c) => type_into(form, c),
            KeyCode::Backspace | KeyCode::Delete => backspace(form),
            _ => {}
        },
        Action::Paste(_) => {}
        Action::Back => {
            // Esc steps back; from the first step, back to the welcome screen.
            match form.step {
                PinStep::Repeat => {
                    form.step = PinStep::Pin;
                    form.pin.clear();
                    form.first_pin.clear();
                }
                PinStep::Pin if form.purpose == PinPurpose::NewAdmin => {
                    // Back to the admin screen, nothing changed.
                    state.session.pin = None;
                    state.screen = Screen::Admin;
                }
                PinStep::Pin if form.purpose != PinPurpose::Admin => {
                    form.step = PinStep::Code;
                    form.pin.clear();
                }
                _ => return end_session(state),
            }
        }
        Action::Confirm | Action::Save => return pin_next(state),
        Action::Skip if form.purpose == PinPurpose::Create && form.step == PinStep::Code => {
            return vec![Effect::SuggestCode];
        }
        _ => {}
    }
    vec![]
}

fn pin_next(state: &mut State) -> Vec<Effect> {
    let Some(form) = state.session.pin.as_mut() else {
        return vec![];
    };
    match (form.purpose, form.step) {
        (PinPurpose::SignIn, PinStep::Code) => {
            if crate::kiosk::words::normalize_code(&form.code).is_none() {
                form.message = Some(text::kiosk::TYPE_CODE.to_string());
            } else {
                form.step = PinStep::Pin;
            }
        }
        (PinPurpose::Create, PinStep::Code) if !form.code.is_empty() => {
            form.step = PinStep::Pin;
        }
        (_, PinStep::Pin) => {
            // A new PIN follows the rule; one typed to sign in may be an
            // older, shorter one.
            let refused = match form.purpose {
                PinPurpose::Create | PinPurpose::Renew(_) | PinPurpose::NewAdmin => {
                    crate::kiosk::pin::valid_pin(&form.pin).err()
                }
                PinPurpose::SignIn | PinPurpose::Admin => {
                    (!crate::kiosk::pin::could_be_pin(&form.pin)).then_some(text::kiosk::PIN_RULE)
                }
            };
            if let Some(rule) = refused {
                form.message = Some(rule.to_string());
                form.pin.clear();
                return vec![];
            }
            match form.purpose {
                PinPurpose::Create | PinPurpose::Renew(_) | PinPurpose::NewAdmin => {
                    form.first_pin = std::mem::take(&mut form.pin);
                    form.step = PinStep::Repeat;
                }
                PinPurpose::SignIn => {
                    form.step = PinStep::Checking;
                    return vec![Effect::SignIn {
                        code: form.code.clone(),
                        pin: form.pin.clone(),
                    }];
                }
                PinPurpose::Admin => {
                    form.step = PinStep::Checking;
                    return vec![Effect::AdminSignIn {
                        pin: form.pin.clone(),
                    }];
                }
            }
        }
        (PinPurpose::Create | PinPurpose::Renew(_) | PinPurpose::NewAdmin, PinStep::Repeat) => {
            if form.pin != form.first_pin {
                form.message = Some(text::kiosk::PINS_DIFFER.to_string());
                form.pin.clear();
                form.first_pin.clear();
                form.step = PinStep::Pin;
            } else {
                form.step = PinStep::Checking;
                return vec![match form.purpose {
                    PinPurpose::Renew(holder) => Effect::RenewPin {
                        holder,
                        code: form.code.clone(),
                        pin: form.pin.clone(),
                    },
                    PinPurpose::NewAdmin => Effect::SetAdminPin {
                        pin: form.pin.clone(),
                    },
                    _ => Effect::CreateHolder {
                        code: form.code.clone(),
                        pin: form.pin.clone(),
                    },
                }];
            }
        }
        _ => {}
    }
    vec![]
}

/// What the runner found when checking a PIN.
#[derive(Debug, Clone, PartialEq)]
pub enum PinAnswer {
    /// Right: the holder (with their history key) or the admin (id 0, no
    /// key) is signed in.
    Ok { id: i64, key: Option<HistoryKey> },
    /// A private code was made (the code may differ from the one shown if
    /// that was taken meanwhile) and its holder is signed in.
    Created {
        id: i64,
        code: String,
        key: HistoryKey,
    },
    /// Right, but the PIN was made before 6 digits were required (or is
    /// one of the first a guesser tries): a new one is chosen now.
    Renew { id: i64 },
    /// The new admin PIN is kept.
    AdminPinSet,
    /// Wrong PIN or unknown code: one message for both.
    NoMatch,
    /// Five wrong PINs: locked for this many more minutes.
    Locked(i64),
    /// No admin PIN has been set on this machine.
    NoAdminPin,
    /// The database could not answer.
    Failed(String),
}

/// The runner's answer to a PIN check or a new code.
pub fn pin_checked(state: &mut State, answer: PinAnswer) -> Vec<Effect> {
    let Some(form) = state.session.pin.as_mut() else {
        return vec![];
    };
    let purpose = form.purpose;
    match answer {
        PinAnswer::AdminPinSet => {
            state.session.pin = None;
            state.screen = Screen::Admin;
            state.status = Some(text::kiosk::ADMIN_PIN_CHANGED.to_string());
            vec![]
        }
        PinAnswer::Renew { id } => {
            form.purpose = PinPurpose::Renew(id);
            form.step = PinStep::Pin;
            form.pin.clear();
            form.first_pin.clear();
            form.message = Some(text::kiosk::RENEW_PIN.to_string());
            vec![]
        }
        PinAnswer::Ok { id, key } => match purpose {
            PinPurpose::Admin => {
                state.session.pin = None;
                let days = state
                    .kiosk
                    .as_ref()
                    .map_or(365, |k| k.config.retention_days);
                state.session.admin = Some(AdminView {
                    selected: 0,
                    counts: None,
                    panel: text::kiosk::ADMIN_COUNTS,
                    scroll: 0,
                    retention_days: days,
                    in_force: days,
                    rules: None,
                });
                state.screen = Screen::Admin;
                vec![Effect::LoadCounts]
            }
            _ => sign_in(state, id, key, None),
        },
        PinAnswer::Created { id, code, key } => sign_in(state, id, Some(key), Some(code)),
        refused => {
            form.pin.clear();
            form.first_pin.clear();
            form.step = if purpose == PinPurpose::SignIn {
                PinStep::Code
            } else {
                PinStep::Pin
            };
            if let PinPurpose::Renew(_) = purpose {
                // A failure while sealing: sign in again from the start.
                form.purpose = PinPurpose::SignIn;
                form.step = PinStep::Code;
            }
            // Signing in, the code typed stays to be checked (and mended)
            // before the PIN is typed again: on a touch screen it took a
            // dozen taps. The message is the same whichever was wrong.
            form.message = Some(match refused {
                PinAnswer::NoMatch if purpose == PinPurpose::Admin => {
                    text::kiosk::ADMIN_NO_MATCH.to_string()
                }
                PinAnswer::NoMatch => text::kiosk::NO_MATCH.to_string(),
                PinAnswer::Locked(min) if purpose == PinPurpose::Admin => {
                    text::kiosk::admin_locked(min)
                }
                PinAnswer::Locked(min) => text::kiosk::locked(min),
                PinAnswer::NoAdminPin => text::kiosk::NO_ADMIN_PIN.to_string(),
                PinAnswer::Failed(e) => e,
                PinAnswer::Ok { .. }
                | PinAnswer::Created { .. }
                | PinAnswer::Renew { .. }
                | PinAnswer::AdminPinSet => String::new(),
            });
            vec![]
        }
    }
}

/// The PIN was right: this person's own home, history and trends, until
/// Done or the timeout.
fn sign_in(
    state: &mut State,
    id: i64,
    key: Option<HistoryKey>,
    new_code: Option<String>,
) -> Vec<Effect> {
    state.session.pin = None;
    state.session.respondent = Some(id);
    state.session.key = key;
    state.session.selected = 0;
    state.screen = Screen::Home;
    state.status = new_code.map(|c| text::kiosk::signed_in(&c));
    vec![Effect::LoadHome]
}

/// A new private code was suggested (or the holder was created).
pub fn code_suggested(state: &mut State, code: String) {
    if let Some(form) = state.session.pin.as_mut() {
        if form.purpose == PinPurpose::Create && form.step == PinStep::Code {
            form.code = code;
        }
    }
}

pub fn admin(state: &mut State, action: Action) -> Vec<Effect> {
    let Some(view) = state.session.admin.as_mut() else {
        return end_session(state);
    };
    if let Some(form) = view.rules.as_mut() {
        let step = super::ward_rules::update(form, action);
        if let Some(n) = form.notice {
            use super::ward_rules::RulesNotice;
            state.status = Some(match n {
                RulesNotice::KFloor => text::kiosk::rules_k_floor(crate::anonymity::MIN_K),
                RulesNotice::TextFloor => text::kiosk::rules_text_floor(form.k),
                RulesNotice::Unsaved => text::kiosk::RULES_UNSAVED.to_string(),
                RulesNotice::OnServer => text::kiosk::RULES_ON_SERVER.to_string(),
            });
        }
        let Some(view) = state.session.admin.as_mut() else {
            return vec![];
        };
        return match step {
            super::ward_rules::RulesStep::Stay(effects) => effects,
            super::ward_rules::RulesStep::Close => {
                view.rules = None;
                vec![Effect::LoadCounts]
            }
        };
    }
    let n = ADMIN_ITEMS.len();
    let item = |i: usize| ADMIN_ITEMS[i.min(n - 1)];
    let chosen = match action {
        Action::Up | Action::Down => {
            view.selected = super::step(view.selected, n, action == Action::Down);
            None
        }
        Action::Pick(i) if i < n => {
            view.selected = i;
            Some(item(i))
        }
        Action::Confirm => Some(item(view.selected)),
        // The panel below the rows, where the screen is too short for it.
        Action::PageDown if view.counts.is_some() => {
            // Never far past the end (each line wraps to a few at most).
            let most = view.counts.as_ref().map_or(0, |c| 3 * c.len()) as u16;
            view.scroll = view.scroll.saturating_add(PANEL_STEP).min(most);
            None
        }
        Action::PageUp if view.counts.is_some() => {
            view.scroll = view.scroll.saturating_sub(PANEL_STEP);
            None
        }
        Action::Left | Action::Right if item(view.selected) == AdminItem::Retention => {
            let step = if view.retention_days > 90 { 30 } else { 7 };
            view.retention_days = if action == Action::Right {
                (view.retention_days + step).min(3650)
            } else {
                view.retention_days.saturating_sub(step).max(7)
            };
            None
        }
        Action::Back => return end_session(state),
        _ => None,
    };
    match chosen {
        Some(AdminItem::WardRules) => vec![Effect::LoadWardRules],
        Some(AdminItem::Counts) => vec![Effect::LoadCounts],
        Some(AdminItem::Participation) => vec![Effect::LoadParticipation],
        Some(AdminItem::Export) => vec![Effect::AdminExport],
        Some(AdminItem::Print) => vec![Effect::AdminPrint],
        Some(AdminItem::Retention) if view.retention_days < view.in_force => {
            state.confirm = Some(Confirm::ShortenRetention {
                days: view.retention_days,
                from: view.in_force,
            });
            vec![]
        }
        // Unchanged: nothing is saved (the configuration keeps deciding).
        Some(AdminItem::Retention) if view.retention_days == view.in_force => vec![],
        Some(AdminItem::Retention) => {
            vec![
                Effect::SetRetention(view.retention_days),
                Effect::LoadCounts,
            ]
        }
        Some(AdminItem::ChangePin) => {
            state.session.pin = Some(PinForm::new(PinPurpose::NewAdmin));
            state.screen = Screen::Pin;
            vec![]
        }
        Some(AdminItem::LiftLockouts) => vec![Effect::LiftLockouts, Effect::LoadCounts],
        Some(AdminItem::Exit) => {
            state.confirm = Some(Confirm::ExitKiosk);
            vec![]
        }
        Some(AdminItem::Leave) => end_session(state),
        None => vec![],
    }
}
