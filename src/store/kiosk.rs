//! What the kiosk keeps: PIN holders (a suggested code and an argon2id hash
//! of their PIN), PIN lockouts, the admin PIN's hash and other settings,
//! retention (deleting old entries) and the daily chores, and the counts on
//! the admin screen. The rules themselves are pure, in [`crate::kiosk`].
//!
//! `secure_delete` is on for every connection (set in `Store::init`, not
//! only here): every way data leaves this database (erase, deleting one
//! check-in, retention) must overwrite it, and it costs only when deleting.
//! Purges also truncate the write-ahead log, which may still hold copies of
//! the deleted pages.

use super::{from_ms, ms, Result, Store, StoreError};
use crate::kiosk::{retention_cutoff, suggest_code, Lockout, ADMIN_KEY};
use chrono::{DateTime, TimeZone, Utc};
use rusqlite::{params, OptionalExtension, TransactionBehavior};

/// Setting key of the admin PIN's argon2id hash.
pub const ADMIN_PIN_SETTING: &str = "kiosk.admin_pin_hash";
/// Setting keys: how often five wrong admin PINs locked the admin screen,
/// and when last (milliseconds since 1970, UTC).
pub const ADMIN_LOCKOUTS_SETTING: &str = "kiosk.admin_lockouts";
pub const ADMIN_LAST_LOCKOUT_SETTING: &str = "kiosk.admin_last_lockout";
/// What the daily chores need besides the clock: the retention, and for
/// releases the questionnaires at hand (for entries saved before their
/// definitions were kept) and the thresholds (raised to the ward's).
#[derive(Debug, Clone, Copy)]
pub struct DayJobs<'a> {
    pub retention_days: u32,
    pub questionnaires: &'a [crate::questionnaire::Questionnaire],
    pub thresholds: crate::anonymity::Thresholds,
}

impl DayJobs<'static> {
    /// Retention alone (releases use the stored definitions and rules).
    pub fn retention(days: u32) -> DayJobs<'static> {
        DayJobs {
            retention_days: days,
            questionnaires: &[],
            thresholds: crate::anonymity::Thresholds::default(),
        }
    }
}

/// Setting key of the local date (YYYY-MM-DD) the daily chores last ran.
pub const CHORES_DATE_SETTING: &str = "kiosk.chores_date";

fn read_lockout(c: &rusqlite::Connection, key: &str) -> rusqlite::Result<Lockout> {
    c.prepare_cached("SELECT failures, locked_until FROM pin_lockout WHERE key = ?1")?
        .query_row([key], |r| {
            Ok(Lockout {
                failures: r.get::<_, i64>(0)?.clamp(0, i64::from(u32::MAX)) as u32,
                locked_until: r.get::<_, Option<i64>>(1)?.map(from_ms),
            })
        })
        .optional()
        .map(Option::unwrap_or_default)
}

fn write_lockout(c: &rusqlite::Connection, key: &str, lockout: &Lockout) -> rusqlite::Result<()> {
    if *lockout == Lockout::default() {
        c.prepare_cached("DELETE FROM pin_lockout WHERE key = ?1")?
            .execute([key])?;
    } else {
        c.prepare_cached(
            "INSERT INTO pin_lockout (key, failures, locked_until) VALUES (?1, ?2, ?3)
             ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until",
        )?
        .execute(params![key, lockout.failures, lockout.locked_until.map(ms)])?;
    }
    Ok(())
}

pub use crate::model::{
    ChoresReport, KioskCounts, NewHolder, Participation, PinOutcome, PinTarget, StoredSecret,
};

/// The holder whose code has `tag`: a sealed history's salt and check, or
/// (made before histories were sealed) their PIN hash.
fn holder_in(
    c: &rusqlite::Connection,
    tag: &[u8],
) -> rusqlite::Result<Option<(i64, StoredSecret)>> {
    c.prepare_cached(
        "SELECT id, key_salt, key_check, coalesce(secret_hash, '') FROM respondent
         WHERE kind = 'pin' AND code_tag = ?1",
    )?
    .query_row([tag], |r| {
        let salt: Option<Vec<u8>> = r.get(1)?;
        let check: Option<Vec<u8>> = r.get(2)?;
        let secret = match (salt, check) {
            (Some(salt), Some(check)) => StoredSecret::Sealed { salt, check },
            _ => StoredSecret::Phc(r.get(3)?),
        };
        Ok((r.get(0)?, secret))
    })
    .optional()
}

fn no_randomness(e: getrandom::Error) -> StoreError {
    StoreError::Io {
        path: crate::text::kiosk::RANDOM_SOURCE.into(),
        cause: std::io::Error::other(e.to_string()),
    }
}

impl Store {
    /// A setting's value.
    pub fn setting(&mut self, key: &str) -> Result<Option<String>> {
        self.sql(|c| {
            c.prepare_cached("SELECT value FROM setting WHERE key = ?1")?
                .query_row([key], |r| r.get(0))
                .optional()
        })
    }

    /// Set (or replace) a setting.
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.write("saving a setting", |c| {
            c.prepare_cached(
                "INSERT INTO setting (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute([key, value])
            .map(|_| ())
        })
    }

    /// Store the admin PIN's hash (from [`crate::kiosk::hash_pin`]) and
    /// clear any admin lockout.
    pub fn set_admin_pin_hash(&mut self, hash: &str) -> Result<()> {
        self.set_setting(ADMIN_PIN_SETTING, hash)?;
        self.save_lockout(ADMIN_KEY, &Lockout::default())
    }

    /// The admin PIN's hash; None when no admin PIN has been set.
    pub fn admin_pin_hash(&mut self) -> Result<Option<String>> {
        self.setting(ADMIN_PIN_SETTING)
    }

    /// A new code holder (see [`crate::kiosk::secret::make_holder`]). None
    /// when the code's tag is taken: suggest another and try again, without
    /// telling anybody.
    pub fn create_pin_holder(
        &mut self,
        holder: &NewHolder,
        now: DateTime<Utc>,
    ) -> Result<Option<i64>> {
        self.write("creating a personal code", |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let taken: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM respondent WHERE code_tag = ?1)",
                [holder.tag.to_vec()],
                |r| r.get(0),
            )?;
            if taken {
                return Ok(None);
            }
            // A random id and the date only, as for entries: the table
            // does not say in which order, or when in a day, codes were made.
            let id = super::layout::random_id(
                &tx,
                "SELECT EXISTS (SELECT 1 FROM respondent WHERE id = ?1)",
            )?;
            tx.execute(
                "INSERT INTO respondent (id, kind, code_tag, key_salt, key_check, created_at)
                 VALUES (?1, 'pin', ?2, ?3, ?4, ?5)",
                params![
                    id,
                    holder.tag.to_vec(),
                    holder.key_salt.to_vec(),
                    holder.key_check,
                    ms(crate::kiosk::anonymous_stamp(now, &chrono::Local))
                ],
            )?;
            let id = tx.last_insert_rowid();
            tx.commit()?;
            Ok(Some(id))
        })
    }

    /// Suggest a code of `words` words that nobody holds yet (see
    /// [`crate::kiosk::suggest_code`]; one tag, argon2id, per code tried).
    /// The person never chooses a code, so skipping taken ones reveals
    /// nothing.
    pub fn suggest_free_code(&mut self, words: usize) -> Result<String> {
        let salt = self.code_salt()?;
        loop {
            let code = suggest_code(words).map_err(no_randomness)?;
            let tag = crate::kiosk::secret::code_tag(&code, &salt).map_err(|e| StoreError::Io {
                path: crate::text::kiosk::RANDOM_SOURCE.into(),
                cause: std::io::Error::other(e.to_string()),
            })?;
            if self.holder_by_tag(&tag)?.is_none() {
                return Ok(code);
            }
        }
    }

    /// The code holder with this tag, and what their PIN is checked against.
    pub fn holder_by_tag(&mut self, tag: &[u8]) -> Result<Option<(i64, StoredSecret)>> {
        self.sql(|c| holder_in(c, tag))
    }

    /// The lockout kept under `key` ([`crate::kiosk::code_key`] or
    /// [`ADMIN_KEY`]); none kept = no failures.
    pub fn lockout(&mut self, key: &str) -> Result<Lockout> {
        self.sql(|c| read_lockout(c, key))
    }

    /// Keep `lockout` under `key`; a clear one (no failures) removes the row.
    pub fn save_lockout(&mut self, key: &str, lockout: &Lockout) -> Result<()> {
        self.write("saving a PIN lockout", |c| write_lockout(c, key, lockout))
    }

    /// One PIN attempt, whole: the lockout under `key` is checked, the PIN
    /// verified by `verify` (given the stored hash, or `None` for a code
    /// that does not exist, which must be checked against a dummy hash so
    /// it takes as long), and the outcome counted, in one IMMEDIATE
    /// transaction: two terminals on one file cannot both read the same
    /// count and lose a failure.
    pub fn pin_attempt(
        &mut self,
        key: &str,
        target: PinTarget<'_>,
        now: DateTime<Utc>,
        verify: impl FnOnce(Option<&StoredSecret>) -> bool,
    ) -> Result<PinOutcome> {
        self.write("checking a PIN", |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let lock = read_lockout(&tx, key)?.current(now);
            if let Some(left) = lock.remaining(now) {
                return Ok(PinOutcome::Locked(left));
            }
            let secret: Option<(i64, StoredSecret)> = match target {
                PinTarget::Holder(tag) => holder_in(&tx, tag)?,
                PinTarget::Admin => {
                    let hash: Option<String> = tx
                        .prepare_cached("SELECT value FROM setting WHERE key = ?1")?
                        .query_row([ADMIN_PIN_SETTING], |r| r.get(0))
                        .optional()?;
                    match hash {
                        Some(h) => Some((0, StoredSecret::Phc(h))),
                        None => return Ok(PinOutcome::NoAdminPin),
                    }
                }
            };
            let right = verify(secret.as_ref().map(|(_, h)| h));
            let outcome = match secret {
                Some((id, _)) if right => {
                    write_lockout(&tx, key, &lock.after_success())?;
                    PinOutcome::Ok(id)
                }
                _ => {
                    let lock = lock.after_failure(now);
                    write_lockout(&tx, key, &lock)?;
                    if matches!(target, PinTarget::Admin) && lock.remaining(now).is_some() {
                        // Recorded for the admin screen: a passer-by
                        // guessing locks the admin out too.
                        tx.execute(
                            "INSERT INTO setting (key, value) VALUES (?1, '1')
                             ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
                            [ADMIN_LOCKOUTS_SETTING],
                        )?;
                        tx.execute(
                            "INSERT INTO setting (key, value) VALUES (?1, ?2)
                             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                            params![ADMIN_LAST_LOCKOUT_SETTING, ms(now).to_string()],
                        )?;
                    }
                    match lock.remaining(now) {
                        Some(left) => PinOutcome::Locked(left),
                        None => PinOutcome::NoMatch,
                    }
                }
            };
            tx.commit()?;
            Ok(outcome)
        })
    }

    /// Delete lockout rows with no lock in force at `now`: ended locks, and
    /// counts below the limit (so wrong PINs count towards a lock within a
    /// day, and no list of typed codes builds up). Returns how many.
    pub fn clear_expired_lockouts(&mut self, now: DateTime<Utc>) -> Result<usize> {
        self.write("clearing PIN lockouts", |c| {
            c.execute(
                "DELETE FROM pin_lockout WHERE locked_until IS NULL OR locked_until <= ?1",
                [ms(now)],
            )
        })
    }

    /// Delete every check-in completed before `cutoff` (their answers and
    /// scores go with them: `ON DELETE CASCADE`, foreign keys are on), team
    /// reflections by whole periods only (a period whose last day is before
    /// the cutoff's date; its released figures stay, its texts go), and
    /// personal codes made before `cutoff` that have no check-ins left, in
    /// one transaction; then truncate the write-ahead log. Returns the
    /// number of check-ins deleted.
    pub fn purge_before(&mut self, cutoff: DateTime<Utc>) -> Result<usize> {
        let n = self.write("deleting old entries", |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            // Team reflections go by whole periods only (issue 16).
            let day = cutoff.with_timezone(&super::release::zone(&tx)?).date_naive();
            let mut n = super::release::purge_periods(&tx, day)?;
            n += tx.execute(
                "DELETE FROM checkin WHERE completed_at < ?1 AND NOT (team IS NOT NULL AND period IS NOT NULL)",
                [ms(cutoff)],
            )?;
            super::release::forget_unused_definitions(&tx)?;
            tx.execute(
                "DELETE FROM respondent WHERE kind = 'pin' AND created_at < ?1
                   AND NOT EXISTS (SELECT 1 FROM checkin WHERE respondent_id = respondent.id)",
                [ms(cutoff)],
            )?;
            tx.commit()?;
            Ok(n)
        })?;
        self.write("deleting old entries", |c| {
            c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        })?;
        Ok(n)
    }

    /// The kiosk's daily chores, at most once per local calendar day (in
    /// the store's time zone), in the order of `docs/day-end.md`: clear
    /// stale lockouts, release the periods that have closed, delete entries
    /// older than the retention (team reflections by whole periods), the
    /// end-of-day rewrite, and a backup beside the database keeping the
    /// newest [`super::safety::KEEP_BACKUPS`]. None when already done
    /// today. Call at start and on ticks.
    pub fn kiosk_daily(
        &mut self,
        now: DateTime<Utc>,
        jobs: &DayJobs<'_>,
    ) -> Result<Option<ChoresReport>> {
        let tz = self.time_zone()?;
        self.kiosk_daily_in(now, jobs, &tz)
    }

    /// [`Self::kiosk_daily`] with the days counted in `tz`.
    pub fn kiosk_daily_in<Tz: TimeZone>(
        &mut self,
        now: DateTime<Utc>,
        jobs: &DayJobs<'_>,
        tz: &Tz,
    ) -> Result<Option<ChoresReport>> {
        let date = now.with_timezone(tz).date_naive();
        let stamp = date.format("%Y-%m-%d").to_string();
        if self.setting(CHORES_DATE_SETTING)?.as_deref() == Some(stamp.as_str()) {
            return Ok(None);
        }
        let lockouts_cleared = self.clear_expired_lockouts(now)?;
        // Release before the purge, so that no period is deleted before
        // its figures are kept.
        let release = self.release_closed(now, jobs.questionnaires, jobs.thresholds)?;
        let purged = self.purge_before(retention_cutoff(now, jobs.retention_days))?;
        // After the purge, before the backup: see `layout.rs`.
        let day_end = self.end_of_day_in(now, tz)?;
        self.set_setting(CHORES_DATE_SETTING, &stamp)?;
        let (backup, backup_error) = if self.path == ":memory:" {
            (None, None)
        } else {
            match self.backup_rotate(now, super::safety::KEEP_BACKUPS) {
                Ok(p) => (Some(p), None),
                Err(e) => (None, Some(e.to_string())),
            }
        };
        Ok(Some(ChoresReport {
            date,
            purged,
            released: release.released.len(),
            lockouts_cleared,
            rewritten: day_end.rewritten,
            backup,
            backup_error,
        }))
    }

    /// Anonymous entries by team and ISO week (of their date), completed at
    /// or after `since`: counts only, teams and weeks in order.
    pub fn participation(&mut self, since: DateTime<Utc>) -> Result<Vec<Participation>> {
        use crate::period::{Period, PeriodKind};
        let rows: Vec<(String, i64, bool)> = self.sql(|c| {
            c.prepare_cached(
                "SELECT team, completed_at, period IS NOT NULL FROM checkin
                 WHERE team IS NOT NULL AND respondent_id IS NULL AND completed_at >= ?1",
            )?
            .query_map([ms(since)], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect()
        })?;
        let mut by: std::collections::BTreeMap<(String, Period), (usize, usize)> =
            std::collections::BTreeMap::new();
        for (team, at, reflection) in rows {
            // Anonymous entries keep their local date only (see
            // `kiosk::anonymous_stamp`).
            let week = Period::containing(PeriodKind::Week, from_ms(at).date_naive());
            let cell = by.entry((team, week)).or_default();
            if reflection {
                cell.1 += 1;
            } else {
                cell.0 += 1;
            }
        }
        Ok(by
            .into_iter()
            .map(|((team, week), (checkins, reflections))| Participation {
                team,
                week,
                checkins,
                reflections,
            })
            .collect())
    }

    /// Lift every code lockout (the admin's stays), and forget wrong PINs
    /// counted towards one; returns how many codes were locked at `now`.
    pub fn lift_code_lockouts(&mut self, now: DateTime<Utc>) -> Result<usize> {
        self.write("lifting code lockouts", |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let locked: i64 = tx.query_row(
                "SELECT count(*) FROM pin_lockout WHERE key LIKE 'code:%' AND locked_until > ?1",
                [ms(now)],
                |r| r.get(0),
            )?;
            tx.execute("DELETE FROM pin_lockout WHERE key LIKE 'code:%'", [])?;
            tx.commit()?;
            Ok(locked as usize)
        })
    }

    /// Counts for the admin screen, at `now`.
    pub fn kiosk_counts(&mut self, now: DateTime<Utc>) -> Result<KioskCounts> {
        let admin_lockouts = self
            .setting(ADMIN_LOCKOUTS_SETTING)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let admin_last_lockout = self
            .setting(ADMIN_LAST_LOCKOUT_SETTING)?
            .and_then(|v| v.parse().ok())
            .map(from_ms);
        let ward_rules = self.team_rules()?;
        let tz = self.time_zone()?;
        let today = now.with_timezone(&tz).date_naive();
        let kind = self.period_kind_on(today)?;
        let next_release = Some(crate::period::Period::containing(kind, today).release_day());
        let last_release: Option<(String, String)> = self.sql(|c| {
            c.query_row(
                "SELECT period, released_on FROM team_release ORDER BY released_on DESC, period DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
        })?;
        let last_release = last_release.and_then(|(p, d)| {
            chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                .ok()
                .map(|d| (p, d))
        });
        self.sql(|c| {
            let locked_codes: i64 = c.query_row(
                "SELECT count(*) FROM pin_lockout WHERE key LIKE 'code:%' AND locked_until > ?1",
                [ms(now)],
                |r| r.get(0),
            )?;
            let (anonymous, pin_checkins, team_reflections, oldest) = c.query_row(
                "SELECT
                   count(*) FILTER (WHERE respondent_id IS NULL AND period IS NULL),
                   count(*) FILTER (WHERE respondent_id IN (SELECT id FROM respondent WHERE kind = 'pin')),
                   count(*) FILTER (WHERE team IS NOT NULL AND period IS NOT NULL),
                   min(completed_at)
                 FROM checkin",
                [],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, Option<i64>>(3)?,
                    ))
                },
            )?;
            let personal_codes: i64 =
                c.query_row("SELECT count(*) FROM respondent WHERE kind = 'pin'", [], |r| r.get(0))?;
            let actions: i64 = c.query_row("SELECT count(*) FROM team_action", [], |r| r.get(0))?;
            Ok(KioskCounts {
                anonymous: anonymous as usize,
                pin_checkins: pin_checkins as usize,
                personal_codes: personal_codes as usize,
                team_reflections: team_reflections as usize,
                actions: actions as usize,
                oldest: oldest.map(|t| from_ms(t).date_naive()),
                locked_codes: locked_codes as usize,
                admin_lockouts,
                admin_last_lockout,
                ward_rules,
                period_kind: kind.as_str(),
                time_zone: tz.name().to_string(),
                last_release,
                next_release,
            })
        })
    }
}
