//! The storage boundary of the app: two traits whose methods are whole use
//! cases, each one transaction, taking and giving [`crate::model`] values.
//!
//! - [`TerminalStore`]: what stays on one terminal: a person's own
//!   check-ins (the personal app; private codes at a kiosk), PIN attempts,
//!   this terminal's settings, counts and daily chores.
//! - [`TeamStore`]: what a team shares: anonymous check-ins and
//!   reflections (submitted, never read back one by one), the team's
//!   periods as rows for the anonymity rules, and its actions.
//!
//! [`Store`] (SQLite) implements both; a later PostgreSQL store implements
//! [`TeamStore`] without pretending to hold private data. File
//! administration (backup, restore, check, modes, checkpoints) stays on
//! `Store` alone. `tests/store_story.rs` runs one story through the traits,
//! for any backend.

use super::{Result, Store};
use crate::model::{
    ActionChange, CheckinRecord, ChoresReport, DayEnd, HistoryKey, HistoryQuery, HistorySlice,
    HomeFacts, HomeWanted, KioskCounts, NewAction, NewCheckin, NewHolder, PinOutcome, PinTarget,
    Point, Saved, StoredSecret, TeamAction,
};
use crate::period::Period;
use crate::release::PeriodView;
use chrono::{DateTime, NaiveDate, Utc};

/// What stays on one terminal.
pub trait TerminalStore {
    /// The local person of a personal history (made on first use).
    fn local_respondent(&mut self) -> Result<i64>;
    /// Save a person's check-in (`respondent` set) with the previous one of
    /// its kind (real or demo as it is), read in the same transaction.
    fn save_checkin(&mut self, new: &NewCheckin) -> Result<Saved>;
    /// The home screen of `me`: per questionnaire wanted, when it was last
    /// done and its last `points` values.
    /// (`key`: a sealed history's key.)
    fn home(
        &mut self,
        me: i64,
        key: Option<&HistoryKey>,
        wanted: &[HomeWanted<'_>],
        points: usize,
    ) -> Result<Vec<HomeFacts>>;
    /// A page of `q.respondent`'s history and the whole list's count.
    fn history_page(&mut self, q: &HistoryQuery) -> Result<HistorySlice>;
    /// One of `me`'s check-ins, whole; none if it is not theirs.
    fn checkin(
        &mut self,
        me: i64,
        key: Option<&HistoryKey>,
        id: i64,
    ) -> Result<Option<CheckinRecord>>;
    /// Delete one of `me`'s check-ins; false if it was not there (or not theirs).
    fn delete_checkin(&mut self, me: i64, id: i64) -> Result<bool>;
    /// `me`'s values of one score over time, since `since` (all: None).
    fn series(
        &mut self,
        me: i64,
        key: Option<&HistoryKey>,
        questionnaire: &str,
        score: &str,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<Point>>;
    /// One PIN attempt, whole: the lockout under `key` checked, the PIN
    /// verified by `verify` (given the stored hash, or `None` for no such
    /// code, which `verify` must check against a dummy hash), the outcome
    /// counted.
    fn pin_attempt(
        &mut self,
        key: &str,
        target: PinTarget<'_>,
        now: DateTime<Utc>,
        verify: &mut dyn FnMut(Option<&StoredSecret>) -> bool,
    ) -> Result<PinOutcome>;
    /// A new code holder; none if the code's tag is taken.
    fn create_pin_holder(&mut self, holder: &NewHolder, now: DateTime<Utc>) -> Result<Option<i64>>;
    /// The salt of this terminal's code tags (made on first use).
    fn code_salt(&mut self) -> Result<Vec<u8>>;
    /// Delete a code holder and everything of theirs.
    fn delete_holder(&mut self, holder: i64) -> Result<usize>;
    /// Seal a holder's clear history (made before histories were sealed)
    /// under a new key; returns how many check-ins were sealed.
    fn seal_history(
        &mut self,
        holder: i64,
        key_salt: &[u8],
        key_check: &[u8],
        key: &HistoryKey,
    ) -> Result<usize>;
    /// An easy-to-remember code of `words` words that nobody holds.
    fn suggest_free_code(&mut self, words: usize) -> Result<String>;
    /// A setting of this terminal.
    fn setting(&mut self, key: &str) -> Result<Option<String>>;
    fn set_setting(&mut self, key: &str, value: &str) -> Result<()>;
    /// What this terminal holds, for the admin screen.
    fn counts(&mut self, now: DateTime<Utc>) -> Result<KioskCounts>;
    /// Lift every code lockout (not the admin's); returns how many.
    fn lift_code_lockouts(&mut self, now: DateTime<Utc>) -> Result<usize>;
    /// Anonymous entries by team and week since `since` (counts only).
    fn participation(&mut self, since: DateTime<Utc>) -> Result<Vec<crate::model::Participation>>;
    /// Lift the admin lockout (a new admin PIN was set).
    fn lift_admin_lockout(&mut self) -> Result<()>;
    /// Once a day: releases, retention, the rewrite and a backup (none if
    /// already done today).
    fn daily_chores(
        &mut self,
        now: DateTime<Utc>,
        jobs: &super::kiosk::DayJobs<'_>,
    ) -> Result<Option<ChoresReport>>;
    /// The end-of-day rewrite alone (the personal app's daily job): see
    /// `store::layout`.
    fn end_of_day(&mut self, now: DateTime<Utc>) -> Result<DayEnd>;
    /// SQLite's full integrity check, whatever the file's size: `Err`
    /// ([`super::StoreError::Damaged`]) when damaged, and nothing is
    /// written from then on.
    fn check_database(&mut self) -> Result<()>;
    /// The database file, for a check on a connection of its own (none in
    /// memory).
    fn file(&self) -> Option<std::path::PathBuf>;
    /// Keep to reading from now on: a check on another connection found
    /// damage (`detail`).
    fn mark_damaged(&mut self, detail: &str);
    /// Send the outbox's whole past days to the ward's server at `url`
    /// (see [`crate::outbox`]).
    fn deliver(
        &mut self,
        to: &super::pg::ServerAddress,
        now: DateTime<Utc>,
    ) -> Result<crate::outbox::Delivery>;
    /// What waits for the server, since when, and the last failure.
    fn outbox_status(&mut self) -> Result<super::outbox::OutboxStatus>;
    /// Every check-in of the personal app's person `me`, newest first,
    /// with answers and scores: what an export writes. (A kiosk code
    /// holder's sealed history is never exported on a shared terminal.)
    fn export_history(&mut self, me: i64) -> Result<Vec<CheckinRecord>>;
    /// A backup now, beside the daily ones (the newest seven are kept):
    /// where it went.
    fn backup_now(&mut self, now: DateTime<Utc>) -> Result<std::path::PathBuf>;
    /// Let the file's checkpoints wait for idle moments (SQLite only).
    fn defer_checkpoints(&mut self) -> Result<()> {
        Ok(())
    }
    /// Checkpoint now if nobody is busy (SQLite only); whether it did.
    fn checkpoint_idle(&mut self) -> bool {
        false
    }
}

/// A ward's release of one questionnaire in one period: its total and its
/// teams' releases, and its name where the database holds several wards.
#[derive(Debug, Clone, Default)]
pub struct WardPeriod {
    pub name: Option<String>,
    pub total: Option<crate::release::Release>,
    pub teams: Vec<crate::release::Release>,
}

/// What a team shares.
pub trait TeamStore {
    /// Keep an anonymous check-in or a team reflection (no respondent):
    /// its id is random and its time only its date.
    fn submit(&mut self, entry: &NewCheckin) -> Result<i64>;
    /// Teams with entries (of `questionnaire`, if given).
    fn teams(&mut self, questionnaire: Option<&str>) -> Result<Vec<String>>;
    /// The team questionnaires `team` has answered.
    fn team_questionnaires(&mut self, team: &str) -> Result<Vec<String>>;
    /// What may be read of `team`'s `period` on `questionnaire`: its
    /// release and the earlier releases of the trend, or, not released,
    /// only how many reflections it has. Read together.
    fn team_period(
        &mut self,
        team: &str,
        questionnaire: &str,
        period: Period,
    ) -> Result<PeriodView>;
    /// The periods released for `team`, newest first.
    fn released_periods(&mut self, team: &str) -> Result<Vec<Period>>;
    /// The release of `questionnaire` in `period` of the ward `team` is in
    /// (its total and its teams': the ward view). A database of one ward
    /// (a kiosk's file, a server with no wards) has one ward total; on a
    /// trust's server it is the ward `team` was put in, named, and none
    /// where the login may not read that ward.
    fn ward_period(
        &mut self,
        team: &str,
        questionnaire: &str,
        period: Period,
    ) -> Result<WardPeriod>;
    /// Release every closed period not yet released (a writer's job: the
    /// kiosk's daily chores, `joy huddle release`).
    fn release_closed(
        &mut self,
        now: DateTime<Utc>,
        fallback: &[crate::questionnaire::Questionnaire],
        t: crate::anonymity::Thresholds,
    ) -> Result<super::release::ReleaseReport>;
    /// The ward's anonymity rules in force, if recorded.
    fn rules(&mut self) -> Result<Option<crate::model::TeamRules>>;
    /// Record the ward's rules (when they differ from those in force).
    fn set_rules(&mut self, rules: &crate::model::TeamRules, now: DateTime<Utc>) -> Result<bool>;
    /// The ward's settings in force at `now` (rules, period kind and a
    /// change still to come, and the headcount of each of `teams`). Read
    /// together.
    fn ward_settings(
        &mut self,
        teams: &[String],
        now: DateTime<Utc>,
    ) -> Result<crate::model::WardSettings>;
    /// Change the period kind from the next period on (see
    /// [`Store::set_period_kind`]); the first day of the new kind, None
    /// when it is the kind in force.
    fn set_period_kind(
        &mut self,
        kind: crate::period::PeriodKind,
        now: DateTime<Utc>,
    ) -> Result<Option<NaiveDate>>;
    /// Record `team`'s headcount (at least 1) from `now` on.
    fn set_headcount(&mut self, team: &str, n: usize, now: DateTime<Utc>) -> Result<()>;
    /// The actions of `team` (all teams: None).
    fn actions(&mut self, team: Option<&str>) -> Result<Vec<TeamAction>>;
    fn action(&mut self, id: i64) -> Result<Option<TeamAction>>;
    fn add_action(&mut self, action: &NewAction, today: NaiveDate) -> Result<i64>;
    /// Change an action; false if there is none with that id.
    fn update_action(&mut self, id: i64, change: &ActionChange, today: NaiveDate) -> Result<bool>;
    /// Undo the last change to an action; false when there is none.
    fn undo_action(&mut self, id: i64, today: NaiveDate) -> Result<bool>;
    /// `team`'s actions as they stood at the end of `day`.
    fn actions_as_of(&mut self, team: &str, day: NaiveDate) -> Result<Vec<TeamAction>>;
}

/// Both: what the app's effects are performed on.
pub trait Storage: TerminalStore + TeamStore {}

impl<T: TerminalStore + TeamStore + ?Sized> Storage for T {}

impl Store {
    /// Run `f` inside one read transaction, so what it reads is one
    /// snapshot of the file even while another process writes.
    fn read_tx<T>(&mut self, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        self.sql(|c| c.execute_batch("BEGIN"))?;
        let r = f(self);
        let end = if r.is_ok() { "COMMIT" } else { "ROLLBACK" };
        let ended = self.sql(|c| c.execute_batch(end));
        let r = r?;
        ended?;
        Ok(r)
    }
}

impl TerminalStore for Store {
    fn export_history(&mut self, me: i64) -> Result<Vec<CheckinRecord>> {
        self.read_tx(|s| s.history(Some(me), None))
    }

    fn backup_now(&mut self, now: DateTime<Utc>) -> Result<std::path::PathBuf> {
        self.backup_rotate(now, super::safety::KEEP_BACKUPS)
    }

    fn local_respondent(&mut self) -> Result<i64> {
        Store::local_respondent(self)
    }

    fn save_checkin(&mut self, new: &NewCheckin) -> Result<Saved> {
        let (id, previous) = self.save_after_previous(new)?;
        let previous = match previous {
            Some(p) => self.checkin_with(p, new.seal.as_ref())?,
            None => None,
        };
        Ok(Saved { id, previous })
    }

    fn home(
        &mut self,
        me: i64,
        key: Option<&HistoryKey>,
        wanted: &[HomeWanted<'_>],
        points: usize,
    ) -> Result<Vec<HomeFacts>> {
        self.read_tx(|s| {
            wanted
                .iter()
                .map(|w| {
                    let last_done = s.last_done(me, w.questionnaire)?;
                    let recent = match (w.score, key) {
                        (Some(score), Some(key)) if last_done.is_some() => {
                            let all = s.sealed_series(me, key, w.questionnaire, score, None)?;
                            all[all.len().saturating_sub(points)..].to_vec()
                        }
                        (Some(score), None) if last_done.is_some() => {
                            s.recent(me, w.questionnaire, score, points)?
                        }
                        _ => Vec::new(),
                    };
                    Ok(HomeFacts { last_done, recent })
                })
                .collect()
        })
    }

    fn history_page(&mut self, q: &HistoryQuery) -> Result<HistorySlice> {
        if q.search.is_some() {
            return self.read_tx(|s| s.search_notes(q));
        }
        self.read_tx(|s| {
            let total = s.history_count(q.respondent, q.questionnaire.as_deref())?;
            let mut rows = Store::history_page(s, q)?;
            if let Some(key) = &q.key {
                s.unseal_rows(&mut rows, key)?;
            }
            Ok(HistorySlice { total, rows })
        })
    }

    fn checkin(
        &mut self,
        me: i64,
        key: Option<&HistoryKey>,
        id: i64,
    ) -> Result<Option<CheckinRecord>> {
        self.read_tx(|s| {
            if s.owner_of(id)? != Some(me) {
                return Ok(None);
            }
            let mut r = s.checkin_with(id, key)?;
            if let Some(r) = r.as_mut() {
                r.asked = s.questions_as_asked(&r.file_hash)?;
            }
            Ok(r)
        })
    }

    fn delete_checkin(&mut self, me: i64, id: i64) -> Result<bool> {
        Store::delete_checkin(self, me, id)
    }

    fn series(
        &mut self,
        me: i64,
        key: Option<&HistoryKey>,
        questionnaire: &str,
        score: &str,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<Point>> {
        match key {
            Some(key) => self.sealed_series(me, key, questionnaire, score, since),
            None => Store::series(self, me, questionnaire, score, since),
        }
    }

    fn pin_attempt(
        &mut self,
        key: &str,
        target: PinTarget<'_>,
        now: DateTime<Utc>,
        verify: &mut dyn FnMut(Option<&StoredSecret>) -> bool,
    ) -> Result<PinOutcome> {
        Store::pin_attempt(self, key, target, now, verify)
    }

    fn create_pin_holder(&mut self, holder: &NewHolder, now: DateTime<Utc>) -> Result<Option<i64>> {
        Store::create_pin_holder(self, holder, now)
    }

    fn code_salt(&mut self) -> Result<Vec<u8>> {
        Store::code_salt(self)
    }

    fn delete_holder(&mut self, holder: i64) -> Result<usize> {
        Store::delete_holder(self, holder)
    }

    fn seal_history(
        &mut self,
        holder: i64,
        key_salt: &[u8],
        key_check: &[u8],
        key: &HistoryKey,
    ) -> Result<usize> {
        Store::seal_history(self, holder, key_salt, key_check, key)
    }

    fn suggest_free_code(&mut self, words: usize) -> Result<String> {
        Store::suggest_free_code(self, words)
    }

    fn setting(&mut self, key: &str) -> Result<Option<String>> {
        Store::setting(self, key)
    }

    fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        Store::set_setting(self, key, value)
    }

    fn counts(&mut self, now: DateTime<Utc>) -> Result<KioskCounts> {
        self.kiosk_counts(now)
    }

    fn lift_code_lockouts(&mut self, now: DateTime<Utc>) -> Result<usize> {
        Store::lift_code_lockouts(self, now)
    }

    fn participation(&mut self, since: DateTime<Utc>) -> Result<Vec<crate::model::Participation>> {
        Store::participation(self, since)
    }

    fn lift_admin_lockout(&mut self) -> Result<()> {
        self.save_lockout(crate::kiosk::ADMIN_KEY, &crate::kiosk::Lockout::default())
    }

    fn daily_chores(
        &mut self,
        now: DateTime<Utc>,
        jobs: &super::kiosk::DayJobs<'_>,
    ) -> Result<Option<ChoresReport>> {
        self.kiosk_daily(now, jobs)
    }

    fn end_of_day(&mut self, now: DateTime<Utc>) -> Result<DayEnd> {
        Store::end_of_day(self, now)
    }

    fn check_database(&mut self) -> Result<()> {
        self.check_fully()
    }

    fn file(&self) -> Option<std::path::PathBuf> {
        Store::file(self)
    }

    fn mark_damaged(&mut self, detail: &str) {
        Store::mark_damaged(self, detail)
    }

    fn deliver(
        &mut self,
        to: &super::pg::ServerAddress,
        now: DateTime<Utc>,
    ) -> Result<crate::outbox::Delivery> {
        crate::outbox::deliver(self, to, now)
    }

    fn outbox_status(&mut self) -> Result<super::outbox::OutboxStatus> {
        Store::outbox_status(self)
    }

    fn defer_checkpoints(&mut self) -> Result<()> {
        Store::defer_checkpoints(self)
    }

    fn checkpoint_idle(&mut self) -> bool {
        Store::checkpoint_idle(self)
    }
}

impl TeamStore for Store {
    fn rules(&mut self) -> Result<Option<crate::model::TeamRules>> {
        self.team_rules()
    }

    fn set_rules(&mut self, rules: &crate::model::TeamRules, now: DateTime<Utc>) -> Result<bool> {
        self.set_team_rules(rules, now)
    }

    fn ward_settings(
        &mut self,
        teams: &[String],
        now: DateTime<Utc>,
    ) -> Result<crate::model::WardSettings> {
        self.read_tx(|s| {
            let today = now.with_timezone(&s.time_zone()?).date_naive();
            let mut headcounts = Vec::with_capacity(teams.len());
            for t in teams {
                headcounts.push((t.clone(), s.headcount(t)?));
            }
            Ok(crate::model::WardSettings {
                rules: s.team_rules()?,
                kind: s.period_kind_on(today)?,
                pending: s.pending_period_kind(today)?,
                headcounts,
            })
        })
    }

    fn set_period_kind(
        &mut self,
        kind: crate::period::PeriodKind,
        now: DateTime<Utc>,
    ) -> Result<Option<NaiveDate>> {
        let today = now.with_timezone(&self.time_zone()?).date_naive();
        Store::set_period_kind(self, kind, today, now)
    }

    fn set_headcount(&mut self, team: &str, n: usize, now: DateTime<Utc>) -> Result<()> {
        Store::set_headcount(self, team, n, now)
    }

    fn submit(&mut self, entry: &NewCheckin) -> Result<i64> {
        Store::save_checkin(self, entry)
    }

    fn teams(&mut self, questionnaire: Option<&str>) -> Result<Vec<String>> {
        Store::teams(self, questionnaire)
    }

    fn team_questionnaires(&mut self, team: &str) -> Result<Vec<String>> {
        Store::team_questionnaires(self, team)
    }

    fn team_period(
        &mut self,
        team: &str,
        questionnaire: &str,
        period: Period,
    ) -> Result<PeriodView> {
        self.read_tx(|s| {
            let mine = s.releases(team, questionnaire, &[period])?;
            match mine.into_iter().next() {
                Some(release) => {
                    let earlier = s.releases_before(team, questionnaire, period)?;
                    Ok(PeriodView::Released {
                        release: Box::new(release),
                        earlier,
                    })
                }
                None => Ok(PeriodView::Open {
                    have: s.period_count(team, questionnaire, period)?,
                    headcount: s.headcount(team)?,
                }),
            }
        })
    }

    fn released_periods(&mut self, team: &str) -> Result<Vec<Period>> {
        Store::released_periods(self, team)
    }

    fn ward_period(
        &mut self,
        _team: &str,
        questionnaire: &str,
        period: Period,
    ) -> Result<WardPeriod> {
        // One file, one ward: its total is the ward's.
        let (total, teams) = Store::ward_releases(self, questionnaire, period)?;
        Ok(WardPeriod {
            name: None,
            total,
            teams,
        })
    }

    fn release_closed(
        &mut self,
        now: DateTime<Utc>,
        fallback: &[crate::questionnaire::Questionnaire],
        t: crate::anonymity::Thresholds,
    ) -> Result<super::release::ReleaseReport> {
        Store::release_closed(self, now, fallback, t)
    }

    fn actions(&mut self, team: Option<&str>) -> Result<Vec<TeamAction>> {
        Store::actions(self, team)
    }

    fn action(&mut self, id: i64) -> Result<Option<TeamAction>> {
        Store::action(self, id)
    }

    fn add_action(&mut self, action: &NewAction, today: NaiveDate) -> Result<i64> {
        Store::add_action(self, action, today)
    }

    fn undo_action(&mut self, id: i64, today: NaiveDate) -> Result<bool> {
        Store::undo_action(self, id, today)
    }

    fn actions_as_of(&mut self, team: &str, day: NaiveDate) -> Result<Vec<TeamAction>> {
        Store::actions_as_of(self, team, day)
    }

    fn update_action(&mut self, id: i64, change: &ActionChange, today: NaiveDate) -> Result<bool> {
        Store::update_action(self, id, change, today)
    }
}
