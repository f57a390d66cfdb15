//! The data the app works with, whatever keeps it: check-ins and their
//! answers and scores, history pages, trend points, team actions, PIN
//! outcomes and the kiosk's counts. Plain values: no SQL, no words (what a
//! person reads is made from these in `text` and `ui`), no questionnaire
//! logic. The storage traits in [`crate::store`] take and give these.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub use crate::kiosk::secret::HistoryKey;
use std::path::PathBuf;

/// A check-in ready to save.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCheckin {
    pub respondent: Option<i64>,
    pub team: Option<String>,
    /// A team reflection's period ("2026-W47" or "2026-11"); None otherwise.
    pub period: Option<String>,
    pub questionnaire_id: String,
    pub questionnaire_version: String,
    pub file_hash: String,
    /// The questionnaire file's text (kept once per hash; empty when not
    /// known, as in tests that make rows by hand).
    pub definition: std::sync::Arc<str>,
    pub started_at: DateTime<Utc>,
    pub completed_at: DateTime<Utc>,
    pub is_demo: bool,
    /// Where it came from when it was not answered in the app ("Daylio",
    /// "FHIR file"); None for a check-in made here.
    pub imported_from: Option<String>,
    pub answers: Vec<SavedAnswer>,
    pub scores: Vec<SavedScore>,
    /// A kiosk code holder's key: the answers and scores are kept sealed
    /// under it, never in clear (see `kiosk::secret`).
    pub seal: Option<HistoryKey>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedAnswer {
    pub question_id: String,
    pub position: i64,
    /// The answer's value as JSON (a number, a code, text, or a list).
    pub value: serde_json::Value,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedScore {
    pub score_id: String,
    pub label: String,
    pub raw: Option<f64>,
    pub value: Option<f64>,
    pub band_label: Option<String>,
    pub band_tone: Option<String>,
}

/// One saved check-in with everything in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckinRecord {
    pub id: i64,
    pub questionnaire_id: String,
    pub questionnaire_version: String,
    pub file_hash: String,
    pub started_at: DateTime<Utc>,
    pub completed_at: DateTime<Utc>,
    pub is_demo: bool,
    /// Where it came from when it was not answered in the app (see
    /// [`NewCheckin::imported_from`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imported_from: Option<String>,
    pub answers: Vec<SavedAnswer>,
    pub scores: Vec<SavedScore>,
    /// Part of this check-in could not be read (e.g. text that is not
    /// UTF-8): what could be read is shown, the rest replaced.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unreadable: bool,
    /// The questions as they were asked (id, wording), from the definition
    /// kept when this was saved; empty when none was kept. Filled for the
    /// detail view only.
    #[serde(skip)]
    pub asked: Vec<(String, String)>,
}

/// One point of a trend series.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub at: DateTime<Utc>,
    pub value: f64,
    /// Made by `joy demo`, not by a person: shown marked as demo data.
    pub is_demo: bool,
}

/// How many of a person's check-ins are real and how many are demo data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DemoCounts {
    pub real: usize,
    /// Demo check-ins of every kind (personal, and a demo ward's).
    pub demo: usize,
    /// The local person's demo check-ins (`joy demo`).
    pub personal_demo: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EraseReport {
    pub checkins: usize,
    pub answers: usize,
    pub scores: usize,
}

/// The sort key of a history row: newest first means descending
/// `(completed_at, id)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub completed_at: DateTime<Utc>,
    pub id: i64,
}

/// Where a page starts, in newest-first order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageFrom {
    /// The newest rows.
    Newest,
    /// The oldest rows (the end of the list).
    Oldest,
    /// Rows older than the cursor (the ones after it in the list).
    Before(Cursor),
    /// The cursor's row if it is still there, then older ones.
    AtOrBefore(Cursor),
    /// Rows newer than the cursor (the ones before it in the list).
    After(Cursor),
}

/// A page of one person's check-ins, optionally of one questionnaire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryQuery {
    pub respondent: i64,
    /// The holder's key, for a sealed history (a kiosk code holder).
    pub key: Option<HistoryKey>,
    pub questionnaire: Option<String>,
    /// Only check-ins whose note holds these words (any case).
    pub search: Option<String>,
    pub from: PageFrom,
    pub limit: usize,
}

/// One row of the History list: what it shows, without the answers (those
/// come with [`Store::checkin`] when the row is opened).
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryRow {
    pub id: i64,
    pub questionnaire_id: String,
    pub completed_at: DateTime<Utc>,
    pub is_demo: bool,
    /// The first score's value, band and tone.
    pub value: Option<f64>,
    pub band_label: Option<String>,
    pub band_tone: Option<String>,
    /// The check-in's private note, if it has one.
    pub note: Option<String>,
    /// Part of the row could not be read.
    pub unreadable: bool,
}

/// The line of `note` a History row shows: the first that holds the
/// words searched for (so the row says why it was found), else the first.
pub fn note_preview<'a>(note: &'a str, search: Option<&str>) -> &'a str {
    let words = search.map(|w| w.trim().to_lowercase()).unwrap_or_default();
    if !words.is_empty() {
        if let Some(l) = note.lines().find(|l| l.to_lowercase().contains(&words)) {
            return l;
        }
    }
    note.lines().next().unwrap_or_default()
}

/// Does `note` hold `words` (ignoring case)? What History's `/` finds.
pub fn note_matches(note: Option<&str>, words: &str) -> bool {
    let words = words.trim().to_lowercase();
    words.is_empty() || note.is_some_and(|n| n.to_lowercase().contains(&words))
}

impl HistoryRow {
    pub fn cursor(&self) -> Cursor {
        Cursor {
            completed_at: self.completed_at,
            id: self.id,
        }
    }
}

/// The longest action, owner or learned note accepted, in characters.
pub const MAX_ACTION_TEXT: usize = 500;

/// A new action for a team.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NewAction {
    pub team: String,
    pub action: String,
    pub owner: String,
    pub review_on: Option<NaiveDate>,
    /// The pebble it answers (empty: none said).
    pub pebble: String,
    pub scope: Option<ActionScope>,
}

/// Changes to an action: `None` leaves a field as it is.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ActionChange {
    pub action: Option<String>,
    pub owner: Option<String>,
    /// `Some(None)` clears the review date.
    pub review_on: Option<Option<NaiveDate>>,
    pub status: Option<ActionStatus>,
    pub learned: Option<String>,
    pub pebble: Option<String>,
    /// `Some(None)` clears it.
    pub scope: Option<Option<ActionScope>>,
}

impl ActionChange {
    /// Apply this change to `a` (text trimmed), as every store does.
    pub fn apply(&self, a: &mut TeamAction) {
        if let Some(v) = &self.action {
            a.action = v.trim().to_string();
        }
        if let Some(v) = &self.owner {
            a.owner = v.trim().to_string();
        }
        if let Some(v) = self.review_on {
            a.review_on = v;
        }
        if let Some(v) = self.status {
            a.status = v;
        }
        if let Some(v) = &self.learned {
            a.learned = v.trim().to_string();
        }
        if let Some(v) = &self.pebble {
            a.pebble = v.trim().to_string();
        }
        if let Some(v) = self.scope {
            a.scope = v;
        }
    }
}

/// Whose secret a PIN attempt is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinTarget<'a> {
    /// The holder of the private code with this tag (if there is one).
    Holder(&'a [u8]),
    /// The kiosk's admin PIN.
    Admin,
}

/// What the store keeps to check a PIN against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoredSecret {
    /// An argon2id PHC string: the admin PIN, or a code holder made before
    /// histories were sealed (their next sign-in seals it).
    Phc(String),
    /// A sealed history: the salt of its key and its check value.
    Sealed { salt: Vec<u8>, check: Vec<u8> },
}

/// A new code holder as the store keeps it: the code's tag, the key's
/// salt and check value (see `kiosk::secret`). No code, no PIN, no key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewHolder {
    pub tag: [u8; 32],
    pub key_salt: [u8; 16],
    pub key_check: Vec<u8>,
}

/// What one PIN attempt came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinOutcome {
    /// Right: the holder (or the admin, id 0).
    Ok(i64),
    /// Wrong PIN or unknown code (one answer for both).
    NoMatch,
    /// Locked for this much longer.
    Locked(chrono::Duration),
    /// No admin PIN has been set.
    NoAdminPin,
}

/// What the end-of-day rewrite did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayEnd {
    /// The file was rebuilt (anonymous entries of a finished day were found).
    pub rewritten: bool,
    /// The WAL was emptied too. When a reader held it, this is retried by
    /// the store's idle checkpoints and, failing that, SQLite empties it when
    /// the last connection closes.
    pub complete: bool,
}

/// The ward's anonymity rules as its store keeps them (issue 16): k and the
/// free-text threshold. A reader's configuration may raise them for its own
/// view, never lower them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TeamRules {
    pub min_group: usize,
    pub min_group_text: usize,
}

/// The ward's settings as the store holds them: what a kiosk admin (and,
/// later, a terminal reading its ward's settings) sees and changes.
#[derive(Debug, Clone, PartialEq)]
pub struct WardSettings {
    /// k and the free-text threshold, if recorded (else the configuration's).
    pub rules: Option<TeamRules>,
    /// The period kind in force today, and a change still to come (its
    /// first day and kind).
    pub kind: crate::period::PeriodKind,
    pub pending: Option<(NaiveDate, crate::period::PeriodKind)>,
    /// Each team asked about, with its headcount in force (None: not set).
    pub headcounts: Vec<(String, Option<usize>)>,
}

/// How many anonymous entries one team gave in one ISO week: check-ins
/// (tagged with the team) and team reflections. Counts only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participation {
    pub team: String,
    pub week: crate::period::Period,
    pub checkins: usize,
    pub reflections: usize,
}

/// What the daily chores did.
#[derive(Debug, Clone, PartialEq)]
pub struct ChoresReport {
    /// The local date they ran for.
    pub date: NaiveDate,
    /// Check-ins deleted by retention.
    pub purged: usize,
    /// Periods released.
    pub released: usize,
    /// Lockout rows that had nothing left to say (no lock in force).
    pub lockouts_cleared: usize,
    /// The file was rewritten in an order-free layout (see `store::layout`).
    pub rewritten: bool,
    /// The backup taken (None for an in-memory database or when it failed).
    pub backup: Option<PathBuf>,
    /// Why the backup failed: the chores still count as done today, so a
    /// failing disk is reported once a day, not on every tick.
    pub backup_error: Option<String>,
}

/// What the database holds, for the kiosk's admin screen.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KioskCounts {
    /// Check-ins without a respondent that are not team reflections.
    pub anonymous: usize,
    /// Check-ins of PIN holders.
    pub pin_checkins: usize,
    /// Personal codes (PIN holders).
    pub personal_codes: usize,
    /// Team reflections (a team and a period set).
    pub team_reflections: usize,
    /// Team actions.
    pub actions: usize,
    /// The date (UTC) of the oldest check-in of any kind.
    pub oldest: Option<NaiveDate>,
    /// Codes (known or not) locked after five wrong PINs, now.
    pub locked_codes: usize,
    /// How often five wrong admin PINs locked the admin screen, and when
    /// it last happened.
    pub admin_lockouts: usize,
    pub admin_last_lockout: Option<DateTime<Utc>>,
    /// The ward's rules kept in the database (k, free-text threshold), if
    /// recorded; the period kind and time zone in force.
    pub ward_rules: Option<TeamRules>,
    pub period_kind: &'static str,
    pub time_zone: String,
    /// The newest period released (any team) and the day it was released.
    pub last_release: Option<(String, NaiveDate)>,
    /// The first day the open period may be released.
    pub next_release: Option<NaiveDate>,
}

/// Where a team action stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ActionStatus {
    Open,
    Testing,
    Done,
    Dropped,
}

impl ActionStatus {
    pub const ALL: [ActionStatus; 4] = [
        ActionStatus::Open,
        ActionStatus::Testing,
        ActionStatus::Done,
        ActionStatus::Dropped,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::Testing => "testing",
            ActionStatus::Done => "done",
            ActionStatus::Dropped => "dropped",
        }
    }
    pub fn parse(s: &str) -> Option<ActionStatus> {
        ActionStatus::ALL
            .into_iter()
            .find(|a| a.as_str().eq_ignore_ascii_case(s.trim()))
    }
    /// Open and testing actions are still being worked on.
    pub fn is_active(self) -> bool {
        matches!(self, ActionStatus::Open | ActionStatus::Testing)
    }
}

/// One action a team recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamAction {
    pub id: i64,
    pub team: String,
    pub action: String,
    /// A person or a role ("ward manager").
    pub owner: String,
    pub review_on: Option<NaiveDate>,
    pub status: ActionStatus,
    /// What was learned (Plan-Do-Study-Act).
    pub learned: String,
    pub created_on: NaiveDate,
    pub updated_on: NaiveDate,
    /// The pebble (what got in the way) it answers, as the reflection
    /// names it; empty when none was given.
    pub pebble: String,
    /// Whether the team can remove that pebble itself or needs the wider
    /// system (IHI's sorting of pebbles); None when not said.
    pub scope: Option<ActionScope>,
}

/// Who can remove a pebble (IHI's framework asks a team to sort them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionScope {
    /// The team can remove it itself.
    Team,
    /// It needs the wider system (estates, IT, the trust).
    System,
}

impl ActionScope {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionScope::Team => "team",
            ActionScope::System => "system",
        }
    }
    pub fn parse(s: &str) -> Option<ActionScope> {
        match s.trim().to_lowercase().as_str() {
            "team" => Some(ActionScope::Team),
            "system" | "wider" | "wider system" => Some(ActionScope::System),
            _ => None,
        }
    }
}

/// A personal check-in once saved: its id, and the one of its kind before
/// it (for "since last time"; none for the first).
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    pub id: i64,
    pub previous: Option<CheckinRecord>,
}

/// What the home screen asks of one questionnaire: its id and the score
/// its sparkline follows (none: only when it was last done).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HomeWanted<'a> {
    pub questionnaire: &'a str,
    pub score: Option<&'a str>,
}

/// What the home screen shows of one questionnaire: when it was last
/// done, and its most recent points, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct HomeFacts {
    pub last_done: Option<DateTime<Utc>>,
    pub recent: Vec<Point>,
}

/// A page of the History list and the count of the whole list.
#[derive(Debug, Clone, PartialEq)]
pub struct HistorySlice {
    pub total: usize,
    pub rows: Vec<HistoryRow>,
}
