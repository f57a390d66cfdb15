//! The app's state machine: `update(&mut State, Action, now) -> Vec<Effect>`.
//! Update is pure: it never touches the database or the terminal. Effects
//! (save, load) are data that the runner performs, feeding results back as
//! `Action::Loaded`. A whole check-in is tested by feeding actions.

pub mod checkin;
pub mod history;
pub mod huddle;
pub mod input;
pub mod kiosk;
pub mod kiosk_effects;
pub mod lifeline;
pub mod out_of_order;
pub mod plain;
pub mod reader;
pub mod runner;
pub mod support;
pub mod terminal;
pub mod ward_rules;
pub mod worker;

use crate::model::{CheckinRecord, NewCheckin, Point};
use crate::questionnaire::{score, Kind, Outcome, Questionnaire};
use crate::trends::Period;
pub use checkin::Checkin;
use chrono::{DateTime, Utc};
use ratatui::crossterm::event::KeyEvent;

/// Which app this is: one `update` and one set of screens serve all three;
/// the mode decides what is offered and who the answers belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// `joy`: one person's own check-ins on their own machine.
    #[default]
    Personal,
    /// `joy kiosk`: a shared ward terminal; anonymous check-ins, optional
    /// private history behind a code and PIN, no way out but the admin PIN.
    Kiosk,
    /// `joy huddle`: a team's reflections in aggregate, and its actions.
    Huddle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// The kiosk's welcome screen (never shows anybody's data).
    Welcome,
    /// The kiosk asks which team a check-in belongs to.
    Team,
    /// The kiosk's code and PIN form.
    Pin,
    /// The kiosk's admin screen.
    Admin,
    Home,
    Question,
    Review,
    Result,
    History,
    Detail,
    Trends,
    /// `joy huddle`: a team's reflections panel by panel, and its actions.
    Huddle,
}

/// Everything the user can ask for. Keys and clicks become these.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Time passes (the runner sends these; the kiosk's timeouts use them).
    Tick,
    /// Ctrl-K in the kiosk: part of the admin sequence.
    AdminKey,
    /// Open (or close) the support overlay.
    Support,
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
    /// The huddle's actions panel: choose action N (a tap on it).
    PickAction(usize),
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
    /// Text pasted in one piece (bracketed paste): typed into a text answer,
    /// ignored anywhere else.
    Paste(String),
    /// The whole typed answer, replacing what was typed (a line of the
    /// plain mode's input): typed into a text answer, ignored elsewhere.
    Type(String),
    PageUp,
    PageDown,
    /// Jump to the first / last row.
    First,
    Last,
    /// History: show the next questionnaire only (then all again).
    Filter,
    /// History: delete the highlighted check-in (asks first).
    Delete,
    /// History: search the notes (`/`: type words, then Enter).
    Search,
    /// Review: write (or change) the check-in's private note.
    Note,
    /// History: write the whole history to a spreadsheet file (CSV).
    Export,
    /// History: make a backup of the history file now.
    Backup,
    Click {
        column: u16,
        row: u16,
    },
    Resize {
        width: u16,
        height: u16,
    },
    Loaded(Loaded),
    /// A result that came back after the session that asked for it ended
    /// (the kiosk wiped it meanwhile): nothing of it is shown; only what
    /// belongs to the terminal is kept (a save still counts towards the
    /// spacing of saves from this terminal).
    Late(Loaded),
    /// Huddle: record a new action (opens the form).
    AddAction,
    /// Huddle: undo the last change to the chosen action.
    Undo,
}

/// Results of effects, fed back by the runner.
#[derive(Debug, Clone, PartialEq)]
pub enum Loaded {
    /// The day's full check of the database: its damage (detail, and the
    /// notice to show), if any.
    Checked(Option<(String, String)>),
    /// A code holder and everything of theirs were deleted.
    HolderDeleted,
    /// A panel of the admin screen other than the counts.
    Panel {
        title: &'static str,
        rows: Vec<(String, String)>,
    },
    Home(Vec<HomeSummary>),
    /// A page of the History list, with the list's count.
    History(history::HistoryPage),
    Detail(Box<Option<CheckinRecord>>),
    Series(Vec<Point>),
    Saved {
        id: i64,
        previous: Box<Option<CheckinRecord>>,
    },
    /// One check-in was deleted (false: it was not there any more).
    Deleted(bool),
    /// The kiosk: a PIN was checked (or a private code created).
    Pin(kiosk::PinAnswer),
    /// The kiosk: a suggested private code.
    Code(String),
    /// The kiosk's admin screen: data counts (label, value), and the
    /// retention in force (the admin screen's setting, else the config's).
    Counts {
        counts: Vec<(String, String)>,
        retention_days: u32,
    },
    /// The ward's settings as the store holds them, and the rules the
    /// configuration gives while none are recorded.
    WardRules {
        held: crate::model::WardSettings,
        config: crate::model::TeamRules,
        /// Read from the ward's server (the form only shows them).
        on_server: bool,
    },
    /// A message for the status line (e.g. where an export went).
    Notice(String),
    /// The huddle of a team and period (anonymised), with its actions.
    Huddle {
        huddles: Vec<crate::huddle::Huddle>,
        actions: Vec<crate::huddle::TeamAction>,
        /// The ward view of the same period, where its total was released.
        ward: Option<Box<crate::ward::WardView>>,
        /// What a change to an action did, for the status line.
        notice: Option<String>,
    },
    Error(String),
}

/// Work for the runner.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    LoadHome,
    /// A page of past check-ins, newest first, of one questionnaire or
    /// all, and how many there are.
    LoadHistory(history::HistoryRequest),
    LoadDetail(i64),
    /// Delete one check-in with its answers and scores (after a confirmation).
    DeleteCheckin(i64),
    LoadSeries {
        questionnaire: String,
        score: String,
        since: Option<DateTime<Utc>>,
    },
    Save(Box<NewCheckin>),
    /// The huddle of `team` in `period` (each team questionnaire answered)
    /// and the team's actions; answered with `Loaded::Huddle`.
    LoadHuddle {
        team: String,
        period: crate::period::Period,
    },
    /// Record an action, then reload the huddle.
    AddAction(crate::model::NewAction),
    /// Change an action, then reload the huddle.
    UpdateAction {
        id: i64,
        change: crate::model::ActionChange,
    },
    /// Undo the last change to an action, then reload the huddle.
    UndoAction {
        id: i64,
    },
    Quit,
    /// Clear the whole terminal, scrollback included (a kiosk session ended).
    ClearTerminal,
    /// Once a day: the kiosk's retention purge, end-of-day rewrite and
    /// backup; the personal app's end-of-day rewrite (see `store::layout`).
    DailyChores,
    /// Send the outbox's whole past days to the ward's server.
    Deliver,
    /// SQLite's full integrity check, on a connection and thread of its
    /// own (the store's thread goes on saving); answered with
    /// `Loaded::Checked`. Once a day, before the day's jobs.
    CheckDatabase,
    /// Keep the store to reading: the check found damage (its detail).
    MarkDamaged(String),
    /// The personal app: write the person's whole history as CSV into
    /// this folder (a new file named by the date); answered with a notice.
    ExportHistory(std::path::PathBuf),
    /// The personal app: a backup of the history file now.
    BackupNow,
    /// Suggest an easy-to-remember private code.
    SuggestCode,
    /// Check a code and PIN (argon2id; a dummy hash for unknown codes).
    SignIn {
        code: String,
        pin: String,
    },
    /// Delete a code holder and everything of theirs.
    DeleteHolder(i64),
    /// Keep a new admin PIN (its argon2id hash).
    SetAdminPin {
        pin: String,
    },
    /// Lift every code lockout.
    LiftLockouts,
    /// The admin screen's participation by team and week.
    LoadParticipation,
    /// Print the one-page summary of the team figures.
    AdminPrint,
    /// Make a private code with this PIN.
    CreateHolder {
        code: String,
        pin: String,
    },
    /// Seal the history of a holder made before histories were sealed
    /// under a new PIN (they just signed in with their old one).
    RenewPin {
        holder: i64,
        code: String,
        pin: String,
    },
    AdminSignIn {
        pin: String,
    },
    LoadCounts,
    AdminExport,
    SetRetention(u32),
    /// Read the ward's rules, period kind and headcounts (the admin's
    /// ward rules form).
    LoadWardRules,
    /// Record the ward's k and free-text threshold.
    SetWardRules(crate::model::TeamRules),
    /// Record the period kind from the next period on.
    SetPeriodKind(crate::period::PeriodKind),
    /// Record a team's headcount.
    SetHeadcount {
        team: String,
        n: usize,
    },
}

/// How long a notice stays on the huddle screen (a wall display nobody
/// may touch for an hour).
pub const NOTICE_SECONDS: i64 = 20;

/// On the huddle screen, clear a notice shown for [`NOTICE_SECONDS`].
fn expire_notice(state: &mut State, now: DateTime<Utc>) {
    let Some(status) = state.status.as_ref() else {
        state.status_seen = None;
        return;
    };
    match &state.status_seen {
        Some((seen, since)) if seen == status => {
            if state.screen == Screen::Huddle && (now - *since).num_seconds() >= NOTICE_SECONDS {
                state.status = None;
                state.status_seen = None;
            }
        }
        _ => state.status_seen = Some((status.clone(), now)),
    }
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

/// A question the app asks before doing something that cannot be undone,
/// kept as data (like gitui's `ConfirmAction`): what `y` will do is decided
/// when the dialog opens, so `q` then `y` quits and `Esc` then `y` goes home.
#[derive(Debug, Clone, PartialEq)]
pub enum Confirm {
    /// Leave a check-in with unsaved answers, then do `then`.
    Leave { then: AfterLeave },
    /// Delete one saved check-in (`what` names it in the dialog).
    Delete { id: i64, what: String },
    /// The kiosk's admin asks to close the kiosk.
    ExitKiosk,
    /// The kiosk's admin shortens the retention from `from` to `days`:
    /// entries kept today will be deleted.
    ShortenRetention { days: u32, from: u32 },
    /// A kiosk code holder deletes their code and everything in it.
    DeleteCode,
    /// Quit the huddle with a new action typed but not recorded.
    QuitActionForm,
}

/// Where leaving an unsaved check-in goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterLeave {
    Home,
    Quit,
}

#[derive(Debug, Clone)]
pub struct ResultView {
    pub questionnaire: usize,
    pub outcome: Outcome,
    pub saved_id: Option<i64>,
    pub previous: Option<CheckinRecord>,
    pub scroll: u16,
    /// A team reflection: (team, period) it was saved for.
    pub team: Option<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct TrendsView {
    pub questionnaire: usize,
    pub score: usize,
    pub period: Period,
    pub points: Vec<Point>,
    pub loaded: bool,
    /// The dated values behind the chart, as a table (what a screen reader
    /// reads), instead of the chart.
    pub table: bool,
    /// How far the table is scrolled (rows from the newest).
    pub table_scroll: usize,
}

/// Everything of the person using the app now: their answers, results,
/// history and trends, and who they are. The kiosk drops it whole when they
/// press Done or walk away (`State::end_session`), so nothing of one person
/// survives for the next: one assignment, testable.
#[derive(Debug, Clone)]
pub struct Session {
    /// This session among all of this process (a result that comes back
    /// after its session ended is dropped: see `runner::Scope`).
    pub id: u64,
    /// Whose check-ins these are: the local person, a kiosk PIN holder, or
    /// nobody (an anonymous kiosk check-in).
    pub respondent: Option<i64>,
    /// A kiosk code holder's history key (their history is sealed under
    /// it); wiped when the session is dropped.
    pub key: Option<crate::kiosk::secret::HistoryKey>,
    /// The team an anonymous kiosk check-in or a reflection is tagged with.
    pub team: Option<String>,
    pub selected: usize,
    pub home: Vec<HomeSummary>,
    pub checkin: Option<Checkin>,
    pub result: Option<ResultView>,
    /// The History list: its count and the rows loaded around the screen.
    pub history: history::HistoryList,
    /// The highlighted row (an index into the whole list).
    pub history_selected: usize,
    /// History shows only this questionnaire (by id) when set.
    pub history_filter: Option<String>,
    /// History shows only check-ins whose note holds these words (`/`).
    pub history_search: Option<String>,
    /// The words of a search being typed (History's `/`, until Enter).
    pub search_input: Option<String>,
    pub detail: Option<CheckinRecord>,
    pub detail_scroll: u16,
    pub trends: TrendsView,
    /// The kiosk's team question: highlighted row, and the page shown
    /// (more than ten teams are paged by nine).
    pub team_selected: usize,
    pub team_page: usize,
    /// The kiosk's code and PIN form, while it is open.
    pub pin: Option<kiosk::PinForm>,
    /// The kiosk's admin screen, once the admin PIN was right.
    pub admin: Option<kiosk::AdminView>,
    /// The kiosk: the person pressed save within the minimum interval
    /// after the previous check-in; theirs is saved at this time.
    pub save_at: Option<DateTime<Utc>>,
    /// The last key or click (the kiosk's inactivity clock starts here).
    pub last_input: DateTime<Utc>,
}

impl Session {
    pub fn new(respondent: Option<i64>, now: DateTime<Utc>) -> Session {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Session {
            id: NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            respondent,
            key: None,
            team: None,
            selected: 0,
            home: Vec::new(),
            checkin: None,
            result: None,
            history: history::HistoryList::default(),
            history_selected: 0,
            history_filter: None,
            history_search: None,
            search_input: None,
            detail: None,
            detail_scroll: 0,
            trends: TrendsView {
                questionnaire: 0,
                score: 0,
                period: Period::Months3,
                points: Vec::new(),
                loaded: false,
                table: false,
                table_scroll: 0,
            },
            team_selected: 0,
            team_page: 0,
            pin: None,
            admin: None,
            save_at: None,
            last_input: now,
        }
    }
}

#[derive(Debug)]
pub struct State {
    pub mode: Mode,
    /// The teams of this ward or site (from the configuration): a team
    /// reflection, or an anonymous kiosk check-in, is tagged with one.
    pub teams: Vec<String>,
    /// How reflections are grouped (week or month) and the anonymity
    /// thresholds every team output goes through.
    pub reflections: crate::config::HuddleSettings,
    /// The kiosk's own settings and clocks (kiosk mode only).
    pub kiosk: Option<kiosk::Kiosk>,
    /// Questionnaires offered here.
    pub questionnaires: Vec<Questionnaire>,
    pub screen: Screen,
    /// The person using the app now (see [`Session`]).
    pub session: Session,
    pub help: bool,
    /// The support overlay (`!`) is open.
    pub support: bool,
    /// The trust's own support lines, from the configuration file.
    pub local_support: Vec<String>,
    /// A dialog asking before something that cannot be undone.
    pub confirm: Option<Confirm>,
    pub quit: bool,
    /// A message for the user (e.g. a failed save), shown in the status line.
    pub status: Option<String>,
    /// The status line's message as first seen by a tick, and when: on the
    /// huddle's wall display a notice goes after [`NOTICE_SECONDS`].
    pub status_seen: Option<(String, DateTime<Utc>)>,
    pub size: (u16, u16),
    pub no_color: bool,
    /// The time of the last action, so drawing needs no clock.
    pub now: DateTime<Utc>,
    /// The huddle screen (mode `Huddle`).
    pub huddle: Option<huddle::HuddleView>,
    /// The local date the personal app last ran its end-of-day job (the
    /// kiosk keeps its own, with its chores).
    pub chores_day: Option<chrono::NaiveDate>,
    /// The personal app's team server, where its team reflections go (the
    /// kiosk keeps its own in its config).
    pub team_server: Option<crate::store::pg::ServerAddress>,
    /// When the personal app last sent its outbox.
    pub delivered_at: Option<DateTime<Utc>>,
    /// Where History's export (`x`) writes its file: the personal app's
    /// documents folder (none: export is not offered, as at a kiosk).
    pub export_dir: Option<std::path::PathBuf>,
    /// `[reminders]` from the config: days between reminders by
    /// questionnaire id (0: none), over each file's own.
    pub reminders: std::collections::BTreeMap<String, u32>,
    /// The local date the day's full check of the database was asked for,
    /// and the date it answered: the day's jobs wait for it.
    pub check_asked: Option<chrono::NaiveDate>,
    pub check_done: Option<chrono::NaiveDate>,
}

impl State {
    /// The personal app: the person's own check-ins only. Team reflections
    /// are not offered here: saved into a private file, no huddle would
    /// ever count them, so they are given at the ward's kiosk (or, with a
    /// team server, sent there: [`State::personal_with_team_server`]).
    pub fn personal(
        mut questionnaires: Vec<Questionnaire>,
        respondent: Option<i64>,
        now: DateTime<Utc>,
    ) -> State {
        questionnaires.retain(|q| q.kind != Kind::Team);
        State::new(questionnaires, respondent, now)
    }

    /// The personal app of someone whose team has a server (`[server]` and
    /// their team under `[kiosk] teams`): team reflections are offered too,
    /// kept only in the outbox and sent to the server after their day.
    pub fn personal_with_team_server(
        questionnaires: Vec<Questionnaire>,
        respondent: Option<i64>,
        teams: Vec<String>,
        server: crate::store::pg::ServerAddress,
        now: DateTime<Utc>,
    ) -> State {
        let mut state = State::new(questionnaires, respondent, now);
        state.teams = teams;
        state.team_server = Some(server);
        state
    }

    pub fn new(
        questionnaires: Vec<Questionnaire>,
        respondent: Option<i64>,
        now: DateTime<Utc>,
    ) -> State {
        // Personal questionnaires first, then team reflections.
        let (mut questionnaires, team): (Vec<Questionnaire>, Vec<Questionnaire>) = questionnaires
            .into_iter()
            .partition(|q| q.kind == Kind::Personal);
        questionnaires.extend(team);
        State {
            mode: Mode::Personal,
            teams: Vec::new(),
            reflections: crate::config::HuddleSettings::default(),
            kiosk: None,
            questionnaires,
            screen: Screen::Home,
            session: Session::new(respondent, now),
            help: false,
            support: false,
            local_support: Vec::new(),
            confirm: None,
            quit: false,
            status: None,
            status_seen: None,
            size: (80, 24),
            no_color: false,
            now,
            huddle: None,
            chores_day: None,
            team_server: None,
            delivered_at: None,
            export_dir: None,
            reminders: Default::default(),
            check_asked: None,
            check_done: None,
        }
    }

    pub fn summary(&self, id: &str) -> Option<&HomeSummary> {
        self.session.home.iter().find(|s| s.questionnaire == id)
    }

    /// Unsaved answers exist: leaving asks first.
    pub fn has_unsaved(&self) -> bool {
        matches!(self.screen, Screen::Question | Screen::Review)
            && self
                .session
                .checkin
                .as_ref()
                .is_some_and(|c| !c.answers.is_empty())
    }

    /// Is a text editor taking keys right now?
    pub fn editing_text(&self) -> bool {
        !self.help && !self.support && self.confirm.is_none() && self.typing_screen()
    }

    /// Is the screen under any overlay a text answer? (The help opened while
    /// typing lists the typing keys.)
    pub fn typing_screen(&self) -> bool {
        if self.screen == Screen::History {
            return self.session.search_input.is_some();
        }
        if self.screen == Screen::Huddle {
            return self.huddle.as_ref().is_some_and(|h| h.adding.is_some());
        }
        self.screen == Screen::Question
            && self
                .session
                .checkin
                .as_ref()
                .is_some_and(|c| c.editing_text(&self.questionnaires[c.questionnaire]))
    }

    fn series_effect(&self) -> Vec<Effect> {
        let Some(q) = self.questionnaires.get(self.session.trends.questionnaire) else {
            return vec![];
        };
        let Some(s) = q.scores.get(self.session.trends.score) else {
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
        Action::Late(Loaded::Saved { .. }) => {
            if let Some(k) = state.kiosk.as_mut() {
                k.gate.record(now);
            }
            // Not input: the inactivity clock goes on as it was.
            return vec![];
        }
        Action::Late(_) => return vec![],
        Action::Tick => {
            expire_notice(state, now);
            return kiosk::tick(state, now);
        }
        _ => {}
    }
    if let Action::Click { column, row } = action {
        // A tap is what it hits: the kiosk's burst filter then compares
        // that (two taps on one option are one press, a cell apart or not).
        return match crate::ui::hit(state, column, row) {
            Some(a) => update(state, a, now),
            None => {
                // A tap on nothing still says somebody is there.
                if state.kiosk.is_some() {
                    let _ = kiosk::before(state, &action, now);
                }
                vec![]
            }
        };
    }
    if state.kiosk.is_some() {
        if let Some(effects) = kiosk::before(state, &action, now) {
            return effects;
        }
    } else if action == Action::AdminKey {
        return vec![];
    }
    if let Some(confirm) = state.confirm.clone() {
        return match action {
            Action::Yes => {
                state.confirm = None;
                confirmed(state, confirm)
            }
            Action::No | Action::Back => {
                state.confirm = None;
                if let (Confirm::ShortenRetention { from, .. }, Some(view)) =
                    (&confirm, state.session.admin.as_mut())
                {
                    // Kept as it was: the row shows what is in force.
                    view.retention_days = *from;
                }
                vec![]
            }
            Action::Quit => {
                state.confirm = None;
                state.quit = true;
                vec![Effect::Quit]
            }
            _ => vec![],
        };
    }
    if state.support {
        if matches!(
            action,
            Action::Support | Action::Back | Action::Confirm | Action::Help
        ) {
            state.support = false;
        } else if action == Action::Quit {
            return quit(state);
        }
        return vec![];
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
        Action::Support => {
            state.support = true;
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
        Screen::Welcome => kiosk::welcome(state, action, now),
        Screen::Team => kiosk::team(state, action, now),
        Screen::Pin => kiosk::pin(state, action),
        Screen::Admin => kiosk::admin(state, action),
        Screen::Home => home(state, action, now),
        Screen::Question => checkin::question(state, action, now),
        Screen::Review => checkin::review(state, action, now),
        Screen::Result => result(state, action),
        Screen::History => history(state, action),
        Screen::Detail => detail(state, action),
        Screen::Trends => trends(state, action),
        Screen::Huddle => huddle::update(state, action),
    }
}

/// Do what a dialog asked about, now that the person said yes.
fn confirmed(state: &mut State, confirm: Confirm) -> Vec<Effect> {
    match confirm {
        Confirm::Leave {
            then: AfterLeave::Quit,
        } => {
            state.session.checkin = None;
            state.quit = true;
            vec![Effect::Quit]
        }
        Confirm::Leave {
            then: AfterLeave::Home,
        } => {
            state.session.checkin = None;
            go_home(state)
        }
        Confirm::Delete { id, .. } => vec![Effect::DeleteCheckin(id)],
        Confirm::ExitKiosk => {
            state.session = Session::new(None, state.now);
            state.quit = true;
            vec![Effect::ClearTerminal, Effect::Quit]
        }
        Confirm::ShortenRetention { days, .. } => {
            vec![Effect::SetRetention(days), Effect::LoadCounts]
        }
        Confirm::DeleteCode => match state.session.respondent {
            Some(holder) => vec![Effect::DeleteHolder(holder)],
            None => vec![],
        },
        Confirm::QuitActionForm => {
            state.quit = true;
            vec![Effect::Quit]
        }
    }
}

fn quit(state: &mut State) -> Vec<Effect> {
    if state.kiosk.is_some() {
        // Nothing leaves the kiosk but the admin screen's exit.
        return vec![];
    }
    let typing_action = state.screen == Screen::Huddle
        && state
            .huddle
            .as_ref()
            .and_then(|v| v.adding.as_ref())
            .is_some_and(|f| !f.action.trim().is_empty());
    if typing_action {
        state.confirm = Some(Confirm::QuitActionForm);
        vec![]
    } else if state.has_unsaved() {
        state.confirm = Some(Confirm::Leave {
            then: AfterLeave::Quit,
        });
        vec![]
    } else {
        state.quit = true;
        vec![Effect::Quit]
    }
}

pub(crate) fn go_home(state: &mut State) -> Vec<Effect> {
    if state.kiosk.is_some() && state.session.respondent.is_none() {
        // An anonymous kiosk check-in is over: nothing of it stays.
        return kiosk::end_session(state);
    }
    state.screen = Screen::Home;
    vec![Effect::LoadHome]
}

fn open_history(state: &mut State) -> Vec<Effect> {
    state.screen = Screen::History;
    vec![history::reload_from_top(state)]
}

fn open_trends(state: &mut State, questionnaire: usize) -> Vec<Effect> {
    state.screen = Screen::Trends;
    if state.session.trends.questionnaire != questionnaire {
        state.session.trends.questionnaire = questionnaire;
        state.session.trends.score = 0;
    }
    state.session.trends.loaded = false;
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
            state.session.selected = step(state.session.selected, n, action == Action::Down)
        }
        Action::Pick(i) if i < n => {
            state.session.selected = i;
            return choose(state, now);
        }
        Action::Confirm | Action::Right => return choose(state, now),
        Action::OpenHistory => return open_history(state),
        Action::OpenTrends => {
            let own = state
                .questionnaires
                .get(state.session.selected)
                .is_some_and(|q| q.kind == Kind::Personal);
            return open_trends(state, if own { state.session.selected } else { 0 });
        }
        // A kiosk PIN holder is done: their session ends here.
        Action::Back if state.kiosk.is_some() => return kiosk::end_session(state),
        // ...or deletes their code and everything in it (after a yes).
        Action::Delete if state.kiosk.is_some() && state.session.respondent.is_some() => {
            state.confirm = Some(Confirm::DeleteCode);
        }
        // Esc on home does nothing: leaving the app is always `q`.
        Action::Back => {}
        _ => {}
    }
    vec![]
}

/// The person chose questionnaire `session.selected`: a team reflection, or
/// an anonymous kiosk check-in where teams are set up, asks for the team
/// first.
pub(crate) fn choose(state: &mut State, now: DateTime<Utc>) -> Vec<Effect> {
    let Some(q) = state.questionnaires.get(state.session.selected) else {
        return vec![];
    };
    let team_kind = q.kind == Kind::Team;
    let anonymous = state.kiosk.is_some() && state.session.respondent.is_none();
    if team_kind && state.teams.is_empty() {
        state.status = Some(crate::text::NO_TEAMS.to_string());
        return vec![];
    }
    if team_kind || (anonymous && !state.teams.is_empty()) {
        state.session.team_selected = 0;
        state.session.team_page = 0;
        state.session.team = None;
        state.screen = Screen::Team;
        return vec![];
    }
    start(state, now)
}

pub(crate) fn start(state: &mut State, now: DateTime<Utc>) -> Vec<Effect> {
    let Some(q) = state.questionnaires.get(state.session.selected) else {
        return vec![];
    };
    let anonymous_personal =
        state.kiosk.is_some() && state.session.respondent.is_none() && q.kind == Kind::Personal;
    state.session.checkin = Some(if anonymous_personal {
        Checkin::anonymous(state.session.selected, q, now)
    } else {
        Checkin::new(state.session.selected, q, now)
    });
    state.screen = Screen::Question;
    vec![]
}

/// The period a reflection made at `now` belongs to: its ISO week or its
/// month (local date), as the configuration says.
pub fn reflection_period(kind: crate::period::PeriodKind, now: DateTime<Utc>) -> String {
    let date = now.with_timezone(&chrono::Local).date_naive();
    crate::period::Period::containing(kind, date).to_string()
}

/// Called by the check-in flow when the user saves.
pub(crate) fn finish(state: &mut State, now: DateTime<Utc>) -> Vec<Effect> {
    let Some(c) = state.session.checkin.as_ref() else {
        return vec![];
    };
    if let Some(k) = state.kiosk.as_ref() {
        if let Err(wait) = k.gate.check(now) {
            // Saved as soon as the interval allows, without another press.
            state.session.save_at = Some(now + wait);
            state.status = Some(crate::text::kiosk::wait_to_save(
                k.config.min_interval.num_seconds(),
            ));
            return vec![];
        }
    }
    let q = &state.questionnaires[c.questionnaire];
    let outcome = score(q, &c.answers);
    let mut new = NewCheckin::from_outcome(
        q,
        &c.answers,
        &outcome,
        state.session.respondent,
        c.started_at,
        now.max(c.started_at),
    );
    new.seal = state.session.key.clone();
    if q.kind == Kind::Team {
        // A team reflection belongs to the team and its period, never to a
        // person (the store keeps the date only, in no order).
        new.respondent = None;
        new.team = state.session.team.clone();
        new.period = Some(reflection_period(state.reflections.period, now));
    } else if state.session.respondent.is_none() {
        // Anonymous kiosk check-ins count towards team figures only.
        new.team = state.session.team.clone();
    }
    state.session.result = Some(ResultView {
        questionnaire: c.questionnaire,
        outcome,
        saved_id: None,
        previous: None,
        scroll: 0,
        team: new.team.clone().zip(new.period.clone()),
    });
    vec![Effect::Save(Box::new(new))]
}

fn loaded(state: &mut State, l: Loaded) -> Vec<Effect> {
    match l {
        Loaded::Checked(damage) => {
            state.check_done = state.check_asked;
            if let Some((detail, notice)) = damage {
                // No day's jobs on a damaged file: reading only, said as on
                // opening.
                state.chores_day = state.check_asked;
                if let Some(k) = state.kiosk.as_mut() {
                    k.chores_day = state.check_asked;
                }
                state.status = Some(notice);
                return vec![Effect::MarkDamaged(detail)];
            }
            // Sound: the day's jobs now, if not done today.
            let day = state.check_asked;
            let done = match state.kiosk.as_mut() {
                Some(k) => &mut k.chores_day,
                None if state.mode == Mode::Personal => &mut state.chores_day,
                None => return vec![],
            };
            if day.is_some() && *done != day {
                *done = day;
                return vec![Effect::DailyChores];
            }
        }
        Loaded::Home(h) => state.session.home = h,
        Loaded::History(page) => return history::loaded(state, page),
        Loaded::Detail(d) => {
            state.session.detail = *d;
            state.session.detail_scroll = 0;
            state.screen = Screen::Detail;
        }
        Loaded::Series(points) => {
            state.session.trends.points = points;
            state.session.trends.loaded = true;
        }
        Loaded::Saved { id, previous } => {
            if let Some(k) = state.kiosk.as_mut() {
                k.gate.record(state.now);
            }
            state.session.checkin = None;
            if let Some(r) = state.session.result.as_mut() {
                r.saved_id = Some(id);
                r.previous = *previous;
            }
            state.screen = Screen::Result;
        }
        Loaded::HolderDeleted => {
            let effects = kiosk::end_session(state);
            state.status = Some(crate::text::kiosk::CODE_DELETED.to_string());
            return effects;
        }
        Loaded::Deleted(found) => {
            state.status = Some(if found {
                crate::text::DELETED.to_string()
            } else {
                crate::text::NOT_FOUND.to_string()
            });
            if state.screen == Screen::Detail {
                state.screen = Screen::History;
                state.session.detail = None;
            }
            return vec![history::reload_here(state)];
        }
        Loaded::Pin(answer) => return kiosk::pin_checked(state, answer),
        Loaded::Code(code) => kiosk::code_suggested(state, code),
        Loaded::Panel { title, rows } => {
            if let Some(a) = state.session.admin.as_mut() {
                a.counts = Some(rows);
                a.panel = title;
                a.scroll = 0;
            }
        }
        Loaded::Counts {
            counts,
            retention_days,
        } => {
            if let Some(a) = state.session.admin.as_mut() {
                a.counts = Some(counts);
                a.panel = crate::text::kiosk::ADMIN_COUNTS;
                a.scroll = 0;
                a.retention_days = retention_days;
                a.in_force = retention_days;
            }
        }
        Loaded::WardRules {
            held,
            config,
            on_server,
        } => {
            if let Some(a) = state.session.admin.as_mut() {
                // Opening the form, or reading back the row just saved
                // (the row chosen): the others keep what is on screen.
                let mut form = match a.rules.as_ref() {
                    Some(old) => ward_rules::RulesForm::reread(old, held, config, old.row()),
                    None => ward_rules::RulesForm::new(held, config),
                };
                form.on_server = on_server;
                a.rules = Some(form);
            }
        }
        Loaded::Notice(n) => state.status = Some(n),
        l @ Loaded::Huddle { .. } => huddle::loaded(state, l),
        Loaded::Error(e) => {
            // A failed save keeps the answers: back to review to try again.
            if state.session.checkin.is_some()
                && state
                    .session
                    .result
                    .as_ref()
                    .is_some_and(|r| r.saved_id.is_none())
            {
                state.session.result = None;
                state.screen = Screen::Review;
            }
            state.status = Some(e);
        }
    }
    vec![]
}

/// Move a scroll position, stopping at `max` (the end of the content).
fn scroll(pos: u16, action: &Action, page: u16, max: u16) -> u16 {
    let page = page.max(1);
    let pos = match action {
        Action::Up => pos.saturating_sub(1),
        Action::Down => pos.saturating_add(1),
        Action::PageUp => pos.saturating_sub(page),
        Action::PageDown => pos.saturating_add(page),
        Action::First => 0,
        Action::Last => max,
        _ => pos,
    };
    pos.min(max)
}

fn is_scroll(action: &Action) -> bool {
    matches!(
        action,
        Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::First
            | Action::Last
    )
}

fn result(state: &mut State, action: Action) -> Vec<Effect> {
    if state.session.result.is_none() {
        return go_home(state);
    }
    if is_scroll(&action) {
        let (page, max) = crate::ui::result_scroll_limits(state);
        if let Some(r) = state.session.result.as_mut() {
            r.scroll = scroll(r.scroll, &action, page, max);
        }
        return vec![];
    }
    match action {
        Action::Confirm | Action::Back => return go_home(state),
        // A reflection or an anonymous check-in has no personal history.
        _ if state.session.respondent.is_none()
            || state
                .session
                .result
                .as_ref()
                .is_some_and(|r| r.team.is_some()) => {}
        Action::OpenTrends => {
            let q = state
                .session
                .result
                .as_ref()
                .map(|r| r.questionnaire)
                .unwrap_or(0);
            return open_trends(state, q);
        }
        Action::OpenHistory => return open_history(state),
        _ => {}
    }
    vec![]
}

/// Ask before deleting check-in row `i` of the history.
fn ask_delete(state: &mut State, i: usize) -> Vec<Effect> {
    let Some(r) = state.session.history.get(i) else {
        return vec![];
    };
    let title = state
        .questionnaires
        .iter()
        .find(|q| q.id == r.questionnaire_id)
        .map(|q| q.title.clone())
        .unwrap_or_else(|| r.questionnaire_id.clone());
    state.confirm = Some(Confirm::Delete {
        id: r.id,
        what: crate::text::checkin_name(&title, r.completed_at),
    });
    vec![]
}

fn history(state: &mut State, action: Action) -> Vec<Effect> {
    if state.session.search_input.is_some() {
        return search_input(state, action);
    }
    let n = state.session.history.len();
    let last = n.saturating_sub(1);
    let page = crate::ui::history_page(state).max(1);
    let moves = matches!(
        action,
        Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::First
            | Action::Last
    );
    match action {
        Action::Up | Action::Down => {
            state.session.history_selected =
                step(state.session.history_selected, n, action == Action::Down)
        }
        Action::PageUp => {
            state.session.history_selected = state.session.history_selected.saturating_sub(page)
        }
        Action::PageDown => {
            state.session.history_selected = (state.session.history_selected + page).min(last)
        }
        Action::First => state.session.history_selected = 0,
        Action::Last => state.session.history_selected = last,
        Action::Pick(i) if i < n => {
            if let Some(r) = state.session.history.get(i) {
                state.session.history_selected = i;
                return vec![Effect::LoadDetail(r.id)];
            }
        }
        Action::Confirm | Action::Right => {
            if let Some(r) = state.session.history.get(state.session.history_selected) {
                return vec![Effect::LoadDetail(r.id)];
            }
        }
        Action::Filter => {
            // All, then each questionnaire in turn, then all again.
            let ids: Vec<&str> = state
                .questionnaires
                .iter()
                .filter(|q| q.kind == Kind::Personal)
                .map(|q| q.id.as_str())
                .collect();
            let next = match &state.session.history_filter {
                None => ids.first(),
                Some(f) => ids
                    .iter()
                    .position(|id| id == f)
                    .and_then(|i| ids.get(i + 1)),
            };
            state.session.history_filter = next.map(|s| s.to_string());
            return vec![history::reload_from_top(state)];
        }
        Action::Delete => return ask_delete(state, state.session.history_selected),
        Action::Search => state.session.search_input = Some(String::new()),
        // Only the personal app, on its own machine, writes files out.
        Action::Export if state.kiosk.is_none() => {
            if let Some(dir) = state.export_dir.clone() {
                state.status = Some(crate::text::EXPORTING.to_string());
                return vec![Effect::ExportHistory(dir)];
            }
        }
        Action::Backup if state.kiosk.is_none() && state.export_dir.is_some() => {
            state.status = Some(crate::text::BACKING_UP.to_string());
            return vec![Effect::BackupNow];
        }
        // Esc first ends a search, then leaves.
        Action::Back | Action::Left if state.session.history_search.is_some() => {
            state.session.history_search = None;
            return vec![history::reload_from_top(state)];
        }
        Action::Back | Action::Left => return go_home(state),
        Action::OpenTrends => return open_trends(state, state.session.trends.questionnaire),
        _ => {}
    }
    if moves {
        // Load the rows now on screen that are not loaded yet.
        return history::fill(state, false);
    }
    vec![]
}

/// Words typed into History's search: Enter searches (nothing typed: all
/// again), Esc stops typing.
fn search_input(state: &mut State, action: Action) -> Vec<Effect> {
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};
    let Some(input) = state.session.search_input.as_mut() else {
        return vec![];
    };
    match action {
        Action::Edit(k) if k.modifiers == KeyModifiers::CONTROL && k.code == KeyCode::Char('u') => {
            input.clear()
        }
        Action::Edit(k) if k.code == KeyCode::Backspace => {
            input.pop();
        }
        Action::Edit(k)
            if !k
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            if let KeyCode::Char(c) = k.code {
                if input.chars().count() < MAX_SEARCH {
                    input.push(c);
                }
            }
        }
        Action::Paste(s) | Action::Type(s) => {
            let room = MAX_SEARCH.saturating_sub(input.chars().count());
            input.extend(
                s.chars()
                    .map(|c| if c.is_control() { ' ' } else { c })
                    .take(room),
            );
        }
        Action::Confirm => {
            let words = input.trim().to_string();
            state.session.search_input = None;
            state.session.history_search = (!words.is_empty()).then_some(words);
            return vec![history::reload_from_top(state)];
        }
        Action::Back => state.session.search_input = None,
        _ => {}
    }
    vec![]
}

/// The longest search History takes, in characters.
pub const MAX_SEARCH: usize = 100;

fn detail(state: &mut State, action: Action) -> Vec<Effect> {
    if is_scroll(&action) {
        let (page, max) = crate::ui::detail_scroll_limits(state);
        state.session.detail_scroll = scroll(state.session.detail_scroll, &action, page, max);
        return vec![];
    }
    match action {
        Action::Back | Action::Left | Action::Confirm => state.screen = Screen::History,
        Action::Delete => {
            if let Some(id) = state.session.detail.as_ref().map(|d| d.id) {
                if let Some(i) = state.session.history.index_of(id) {
                    return ask_delete(state, i);
                }
            }
        }
        _ => {}
    }
    vec![]
}

fn trends(state: &mut State, action: Action) -> Vec<Effect> {
    let nq = state.questionnaires.len();
    let ns = state
        .questionnaires
        .get(state.session.trends.questionnaire)
        .map(|q| q.scores.len())
        .unwrap_or(0);
    match action {
        Action::NextPeriod => state.session.trends.period = state.session.trends.period.next(),
        Action::SetPeriod(p) => state.session.trends.period = p,
        // Chart or table: the same values, drawn or listed.
        Action::Toggle => {
            let t = &mut state.session.trends;
            t.table = !t.table;
            t.table_scroll = 0;
        }
        Action::PageDown | Action::PageUp | Action::First | Action::Last
            if state.session.trends.table =>
        {
            let rows = visible_points(state, state.now).len();
            let page = (state.size.1 as usize).saturating_sub(12).max(1);
            let t = &mut state.session.trends;
            t.table_scroll = match action {
                Action::PageDown => (t.table_scroll + page).min(rows.saturating_sub(1)),
                Action::PageUp => t.table_scroll.saturating_sub(page),
                Action::First => 0,
                _ => rows.saturating_sub(page),
            };
        }
        Action::Right | Action::NextScore if ns > 0 => {
            state.session.trends.score = (state.session.trends.score + 1) % ns;
            return state.series_effect();
        }
        Action::Left | Action::PrevScore if ns > 0 => {
            state.session.trends.score = (state.session.trends.score + ns - 1) % ns;
            return state.series_effect();
        }
        Action::NextQuestionnaire | Action::Down | Action::Up if nq > 0 => {
            // Personal questionnaires only: team reflections have no
            // personal trend.
            let own: Vec<usize> = (0..nq)
                .filter(|&i| state.questionnaires[i].kind == Kind::Personal)
                .collect();
            if own.is_empty() {
                return vec![];
            }
            let at = own
                .iter()
                .position(|&i| i == state.session.trends.questionnaire)
                .unwrap_or(0);
            let next = if action == Action::Up {
                (at + own.len() - 1) % own.len()
            } else {
                (at + 1) % own.len()
            };
            state.session.trends.questionnaire = own[next];
            state.session.trends.score = 0;
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
    let since = state.session.trends.period.since(now);
    state
        .session
        .trends
        .points
        .iter()
        .filter(|p| since.is_none_or(|s| p.at >= s))
        .copied()
        .collect()
}
