//! Released periods in the SQLite store (issue 16; the rules are in
//! [`crate::release`], the order of the day's jobs in `docs/day-end.md`).
//!
//! - **Filing.** The store, not the terminal, decides which period a team
//!   reflection goes into: the date of its `completed_at` in the store's
//!   time zone (`store.time_zone`, set by the first writer, or an admin),
//!   the period kind in force on that date (`period_rule`), and never a
//!   period already released (then the first open one after it).
//! - **The questionnaire as answered.** Each definition is kept by its hash
//!   the first time something is saved on it (`questionnaire_def`).
//! - **Releases.** A writer ([`Store::release_closed`]) computes each closed,
//!   unreleased (team, questionnaire, period) once and inserts it
//!   (`team_release`, keyed by the three: never released twice).
//! - **Retention** deletes team reflections by whole periods only
//!   ([`purge_periods`]); the released figures stay, their texts go.

use super::{Result, Store};
use crate::anonymity::{Hidden, Thresholds};
use crate::huddle::Reflection;
use crate::period::{Period, PeriodKind};
use crate::questionnaire::Questionnaire;
use crate::release::{Release, StoredReflection};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Setting key of the store's time zone (an IANA name, "Europe/London").
pub const TIME_ZONE_SETTING: &str = "store.time_zone";

/// The time zone a new store takes: `TZ` when it names an IANA zone, else
/// the system's, else UTC.
pub fn system_zone() -> Tz {
    std::env::var("TZ")
        .ok()
        .and_then(|n| n.trim_start_matches(':').parse::<Tz>().ok())
        .or_else(|| {
            iana_time_zone::get_timezone()
                .ok()
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(Tz::UTC)
}

/// A time zone by its IANA name, in any case ("europe/london").
pub fn parse_zone(name: &str) -> Option<Tz> {
    let name = name.trim();
    name.parse::<Tz>().ok().or_else(|| {
        chrono_tz::TZ_VARIANTS
            .iter()
            .copied()
            .find(|tz| tz.name().eq_ignore_ascii_case(name))
    })
}

/// The store's time zone (the system's while none is recorded).
pub(crate) fn zone(c: &Connection) -> rusqlite::Result<Tz> {
    let name: Option<String> = c
        .prepare_cached("SELECT value FROM setting WHERE key = ?1")?
        .query_row([TIME_ZONE_SETTING], |r| r.get(0))
        .optional()?;
    Ok(name
        .and_then(|n| n.parse::<Tz>().ok())
        .unwrap_or_else(system_zone))
}

/// Record the store's time zone if none is yet (inside a write).
pub(crate) fn keep_zone(c: &Connection) -> rusqlite::Result<Tz> {
    let tz = zone(c)?;
    c.prepare_cached("INSERT OR IGNORE INTO setting (key, value) VALUES (?1, ?2)")?
        .execute([TIME_ZONE_SETTING, tz.name()])?;
    Ok(tz)
}

/// The period kind in force on `date` (weeks while none is recorded).
pub(crate) fn kind_on(c: &Connection, date: NaiveDate) -> rusqlite::Result<PeriodKind> {
    let kind: Option<String> = c
        .prepare_cached(
            "SELECT kind FROM period_rule WHERE effective_from <= ?1
             ORDER BY effective_from DESC LIMIT 1",
        )?
        .query_row([date.to_string()], |r| r.get(0))
        .optional()?;
    Ok(match kind.as_deref() {
        Some("month") => PeriodKind::Month,
        _ => PeriodKind::Week,
    })
}

fn is_released(c: &Connection, team: &str, q: &str, p: Period) -> rusqlite::Result<bool> {
    c.prepare_cached(
        "SELECT 1 FROM team_release WHERE team = ?1 AND questionnaire_id = ?2 AND period = ?3",
    )?
    .query_row(params![team, q, p.to_string()], |_| Ok(()))
    .optional()
    .map(|x| x.is_some())
}

/// The period a team reflection on `q` completed on local `date` is filed
/// into: the period of the kind in force then, or, when that one has been
/// released for the team or the ward (a clock behind, an entry long on its
/// way), the first one after it that has not.
pub(crate) fn file_period(
    c: &Connection,
    team: &str,
    q: &str,
    date: NaiveDate,
) -> rusqlite::Result<Period> {
    let mut p = Period::containing(kind_on(c, date)?, date);
    while is_released(c, team, q, p)? || is_released(c, crate::ward::WARD_TOTAL, q, p)? {
        p = p.next();
    }
    Ok(p)
}

/// Keep the definition an entry was answered on, the first time (inside
/// the caller's transaction).
pub(crate) fn keep_definition(
    c: &Connection,
    hash: &str,
    id: &str,
    version: &str,
    source: &str,
) -> rusqlite::Result<()> {
    if source.is_empty() {
        return Ok(());
    }
    c.prepare_cached(
        "INSERT OR IGNORE INTO questionnaire_def (hash, questionnaire_id, version, source)
         VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute([hash, id, version, source])
    .map(|_| ())
}

/// Forget the definitions no entry was answered on any more (after a
/// delete): which questionnaires someone used goes with their entries.
pub(crate) fn forget_unused_definitions(c: &Connection) -> rusqlite::Result<usize> {
    c.execute(
        "DELETE FROM questionnaire_def WHERE hash NOT IN (SELECT file_hash FROM checkin)
           AND hash NOT IN (SELECT json_extract(payload, '$.file_hash') FROM outbox)",
        [],
    )
}

/// The reflections of one (team, questionnaire, period), each with the hash
/// of the definition it was answered on. No id or time leaves this.
pub(crate) fn stored_reflections(
    c: &Connection,
    team: &str,
    q: &str,
    period: &str,
) -> rusqlite::Result<Vec<StoredReflection>> {
    read_reflections(
        c,
        [
            "SELECT id, file_hash FROM checkin WHERE team = ?1 AND questionnaire_id = ?2 AND period = ?3",
            super::team::REFLECTION_ANSWERS_SQL,
            super::team::REFLECTION_SCORES_SQL,
        ],
        params![team, q, period],
    )
}

/// Every team's reflections on `q` in `period` (the ward total).
pub(crate) fn ward_reflections(
    c: &Connection,
    q: &str,
    period: &str,
) -> rusqlite::Result<Vec<StoredReflection>> {
    const OF: &str =
        "SELECT id FROM checkin WHERE team IS NOT NULL AND questionnaire_id = ?1 AND period = ?2";
    read_reflections(
        c,
        [
            "SELECT id, file_hash FROM checkin WHERE team IS NOT NULL AND questionnaire_id = ?1 AND period = ?2",
            &format!("SELECT checkin_id, question_id, value_json FROM answer WHERE checkin_id IN ({OF})"),
            &format!("SELECT checkin_id, score_id, value FROM score WHERE checkin_id IN ({OF})"),
        ],
        params![q, period],
    )
}

fn read_reflections(
    c: &Connection,
    [ids_sql, answers_sql, scores_sql]: [&str; 3],
    p: &[&dyn rusqlite::ToSql],
) -> rusqlite::Result<Vec<StoredReflection>> {
    let mut index: HashMap<i64, usize> = HashMap::new();
    let mut out: Vec<StoredReflection> = Vec::new();
    {
        let mut st = c.prepare_cached(ids_sql)?;
        let mut rows = st.query(p)?;
        while let Some(r) = rows.next()? {
            index.insert(r.get(0)?, out.len());
            out.push(StoredReflection {
                definition: r.get(1)?,
                reflection: Reflection::default(),
            });
        }
    }
    if out.is_empty() {
        return Ok(out);
    }
    {
        let mut st = c.prepare_cached(answers_sql)?;
        let mut rows = st.query(p)?;
        while let Some(r) = rows.next()? {
            let Some(&i) = index.get(&r.get::<_, i64>(0)?) else {
                continue;
            };
            let json: String = r.get(2).unwrap_or_default();
            if let Ok(v) = serde_json::from_str(&json) {
                out[i].reflection.answers.push((r.get(1)?, v));
            }
        }
    }
    {
        let mut st = c.prepare_cached(scores_sql)?;
        let mut rows = st.query(p)?;
        while let Some(r) = rows.next()? {
            if let Some(&i) = index.get(&r.get::<_, i64>(0)?) {
                out[i]
                    .reflection
                    .scores
                    .push((r.get(1)?, r.get(2).ok().flatten()));
            }
        }
    }
    Ok(out)
}

/// Retention by whole periods: delete the team reflections of every period
/// whose last day is before `cutoff` (a local date), and the free texts of
/// their releases (the figures stay). Returns how many reflections went.
pub(crate) fn purge_periods(c: &Connection, cutoff: NaiveDate) -> rusqlite::Result<usize> {
    let groups: Vec<(String, String, String)> = c
        .prepare_cached(
            "SELECT DISTINCT team, questionnaire_id, period FROM checkin
             WHERE team IS NOT NULL AND period IS NOT NULL",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut n = 0;
    for (team, q, period) in groups {
        let old = Period::parse(&period).is_ok_and(|p| p.last_day() < cutoff);
        if !old {
            continue;
        }
        n += c.execute(
            "DELETE FROM checkin WHERE team = ?1 AND questionnaire_id = ?2 AND period = ?3",
            params![team, q, period],
        )?;
        c.execute(
            "UPDATE team_release SET texts = NULL
             WHERE team = ?1 AND questionnaire_id = ?2 AND period = ?3",
            params![team, q, period],
        )?;
    }
    Ok(n)
}

/// The team's headcount in force (the newest set), if any.
fn headcount_in(c: &Connection, team: &str) -> rusqlite::Result<Option<usize>> {
    c.prepare_cached(
        "SELECT headcount FROM team_headcount WHERE team = ?1
         ORDER BY changed_at DESC, rowid DESC LIMIT 1",
    )?
    .query_row([team], |r| r.get::<_, i64>(0))
    .optional()
    .map(|n| n.map(|n| n.max(0) as usize))
}

/// What [`Store::release_closed`] did.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReleaseReport {
    /// (team, questionnaire, period) released now.
    pub released: Vec<(String, String, Period)>,
    /// Ward totals released now (one per questionnaire and period).
    pub ward_totals: usize,
    /// On a trust's server: the totals of its wards released now.
    pub wards: usize,
    /// Closed periods that could not be released: no definition of their
    /// questionnaire is kept or given (they stay until one is).
    pub no_definition: Vec<(String, String, Period)>,
}

impl ReleaseReport {
    /// Count what releasing (team, questionnaire, period) did: `Some(true)`
    /// released now, `Some(false)` released already (by another writer),
    /// `None` no definition to read it with.
    pub(crate) fn count(&mut self, team: String, q: String, p: Period, done: Option<bool>) {
        match done {
            Some(true) if team == crate::ward::WARD_TOTAL => self.ward_totals += 1,
            Some(true) => self.released.push((team, q, p)),
            Some(false) => {}
            None => self.no_definition.push((team, q, p)),
        }
    }
}

/// A release ready to keep, for any store: its count, and its figures and
/// texts apart, as JSON.
pub(crate) struct KeptRelease {
    pub reflections: usize,
    pub figures: String,
    pub texts: String,
}

/// Compute `team`'s release of `period` ([`crate::release::compute`]) and
/// make it ready to keep: the ward total keeps no texts (its view shows
/// scores and counts only). None when no definition reads it.
#[allow(clippy::too_many_arguments)]
pub(crate) fn prepare_release(
    defs: &BTreeMap<String, Questionnaire>,
    team: &str,
    period: Period,
    rows: &[StoredReflection],
    t: Thresholds,
    today: NaiveDate,
    seed: u64,
    headcount: Option<usize>,
) -> std::result::Result<Option<KeptRelease>, serde_json::Error> {
    let Some(mut release) =
        crate::release::compute(defs, team, period, rows, t, today, seed, headcount)
    else {
        return Ok(None);
    };
    if team == crate::ward::WARD_TOTAL {
        if let Some(panels) = release.panels.as_mut() {
            panels.texts.clear();
        }
    }
    let (figures, texts) = split_texts(&release);
    Ok(Some(KeptRelease {
        reflections: release.reflections,
        figures: serde_json::to_string(&figures)?,
        texts: serde_json::to_string(&texts)?,
    }))
}

/// The texts of a release's text panels, apart from its figures.
pub(crate) type Texts = Vec<Option<Vec<String>>>;

pub(crate) fn split_texts(r: &Release) -> (Release, Texts) {
    let mut figures = r.clone();
    let mut texts = Vec::new();
    if let Some(p) = figures.panels.as_mut() {
        for t in &mut p.texts {
            match &mut t.texts {
                Ok(v) => texts.push(Some(std::mem::take(v))),
                Err(_) => texts.push(None),
            }
        }
    }
    (figures, texts)
}

pub(crate) fn join_texts(mut r: Release, texts: Option<Texts>) -> Release {
    if let Some(p) = r.panels.as_mut() {
        for (i, t) in p.texts.iter_mut().enumerate() {
            if t.texts.is_ok() {
                t.texts = match texts.as_ref().map(|v| v.get(i).cloned().flatten()) {
                    Some(Some(v)) => Ok(v),
                    _ => Err(Hidden::Removed),
                };
            }
        }
    }
    r
}

fn release_row(r: &rusqlite::Row) -> rusqlite::Result<Option<Release>> {
    let figures: String = r.get(0)?;
    let texts: Option<String> = r.get(1)?;
    let Ok(release) = serde_json::from_str::<Release>(&figures) else {
        return Ok(None);
    };
    let texts = texts.and_then(|t| serde_json::from_str::<Texts>(&t).ok());
    Ok(Some(join_texts(release, texts)))
}

impl Store {
    /// The store's time zone: the one recorded, else the system's.
    pub fn time_zone(&mut self) -> Result<Tz> {
        self.sql(|c| zone(c))
    }

    /// Record the store's time zone (an IANA name); refused when unknown.
    pub fn set_time_zone(&mut self, name: &str) -> Result<Tz> {
        let tz: Tz = parse_zone(name).ok_or_else(|| super::StoreError::Io {
            path: self.path.clone(),
            cause: std::io::Error::other(crate::text::unknown_time_zone(name)),
        })?;
        self.set_setting(TIME_ZONE_SETTING, tz.name())?;
        Ok(tz)
    }

    /// The questions of the definition kept under `hash` (id, wording), as
    /// they were asked; empty when none was kept (or it no longer loads).
    pub fn questions_as_asked(&mut self, hash: &str) -> Result<Vec<(String, String)>> {
        let source: Option<String> = self.sql(|c| {
            c.prepare_cached("SELECT source FROM questionnaire_def WHERE hash = ?1")?
                .query_row([hash], |r| r.get(0))
                .optional()
        })?;
        Ok(source
            .and_then(|s| crate::questionnaire::load::load_definition("as answered", &s).ok())
            .map(|q| q.questions.into_iter().map(|x| (x.id, x.text)).collect())
            .unwrap_or_default())
    }

    /// The teams with a headcount recorded, sorted.
    pub fn headcount_teams(&mut self) -> Result<Vec<String>> {
        self.sql(|c| {
            c.prepare_cached("SELECT DISTINCT team FROM team_headcount ORDER BY 1")?
                .query_map([], |r| r.get(0))?
                .collect()
        })
    }

    /// `team`'s headcount in force, if set.
    pub fn headcount(&mut self, team: &str) -> Result<Option<usize>> {
        self.sql(|c| headcount_in(c, team))
    }

    /// Set `team`'s headcount (at least 1) at `now`; later releases give
    /// their response rate against it.
    pub fn set_headcount(&mut self, team: &str, n: usize, now: DateTime<Utc>) -> Result<()> {
        self.write("recording a headcount", |c| {
            c.execute(
                "INSERT INTO team_headcount (team, headcount, changed_at) VALUES (?1, ?2, ?3)",
                params![team, n.max(1) as i64, now.timestamp_millis()],
            )
            .map(|_| ())
        })
    }

    /// A change of period kind recorded to come after `date`: its first day
    /// and kind.
    pub fn pending_period_kind(
        &mut self,
        date: NaiveDate,
    ) -> Result<Option<(NaiveDate, PeriodKind)>> {
        let row: Option<(String, String)> = self.sql(|c| {
            c.prepare_cached(
                "SELECT effective_from, kind FROM period_rule WHERE effective_from > ?1
                 ORDER BY effective_from LIMIT 1",
            )?
            .query_row([date.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
        })?;
        Ok(row.and_then(|(d, k)| {
            let d = NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()?;
            let k = if k == "month" {
                PeriodKind::Month
            } else {
                PeriodKind::Week
            };
            Some((d, k))
        }))
    }

    /// The period kind in force on `date`.
    pub fn period_kind_on(&mut self, date: NaiveDate) -> Result<PeriodKind> {
        self.sql(|c| kind_on(c, date))
    }

    /// Change the period kind from the next period on: weeks and months
    /// overlap, so the new kind starts on the first day of its first
    /// period that begins after the period open on `today` ends (the last
    /// period of the old kind may be cut short; no reflection is in two
    /// periods). On a store with no kind recorded, the kind its reflections
    /// were filed by so far is recorded first (none filed: the new kind
    /// applies at once). Returns the first day of the new kind, None when
    /// it is the kind in force (a change still to come is then dropped).
    pub fn set_period_kind(
        &mut self,
        kind: PeriodKind,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Option<NaiveDate>> {
        self.write("recording the period kind", |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let any_rule: bool = tx
                .query_row("SELECT 1 FROM period_rule LIMIT 1", [], |_| Ok(()))
                .optional()?
                .is_some();
            // A change not yet in force is replaced.
            tx.execute(
                "DELETE FROM period_rule WHERE effective_from > ?1",
                [today.to_string()],
            )?;
            if !any_rule {
                // Before any kind was recorded, reflections were filed by
                // the kind their period strings show (weeks when none was
                // filed yet): that is the kind in force until now.
                let filed: Option<String> = tx
                    .query_row(
                        "SELECT period FROM checkin WHERE team IS NOT NULL AND period IS NOT NULL
                         ORDER BY completed_at DESC LIMIT 1",
                        [],
                        |r| r.get(0),
                    )
                    .optional()?;
                let so_far = filed.as_deref().and_then(|p| Period::parse(p).ok()).map(|p| p.kind());
                match so_far {
                    // Nothing filed yet: the kind asked for, from the start.
                    None => {
                        tx.execute(
                            "INSERT INTO period_rule (effective_from, kind, changed_at) VALUES (?1, ?2, ?3)",
                            params![NaiveDate::MIN.to_string(), kind.as_str(), now.timestamp_millis()],
                        )?;
                        tx.commit()?;
                        return Ok(Some(today));
                    }
                    Some(k) => {
                        tx.execute(
                            "INSERT INTO period_rule (effective_from, kind, changed_at) VALUES (?1, ?2, ?3)",
                            params![NaiveDate::MIN.to_string(), k.as_str(), now.timestamp_millis()],
                        )?;
                    }
                }
            }
            let now_kind = kind_on(&tx, today)?;
            let from = if now_kind == kind {
                None
            } else {
                let after = Period::containing(now_kind, today).next().first_day();
                let mut p = Period::containing(kind, after);
                if p.first_day() < after {
                    p = p.next();
                }
                Some(p.first_day())
            };
            if let Some(from) = from {
                tx.execute(
                    "INSERT INTO period_rule (effective_from, kind, changed_at) VALUES (?1, ?2, ?3)
                     ON CONFLICT (effective_from) DO UPDATE SET kind = excluded.kind, changed_at = excluded.changed_at",
                    params![from.to_string(), kind.as_str(), now.timestamp_millis()],
                )?;
            }
            tx.commit()?;
            Ok(from)
        })
    }

    /// Release every closed, unreleased (team, questionnaire, period) at
    /// `now` (its date in the store's time zone): computed with `t` (the
    /// ward's rules, raised by none below them) and the questionnaire each
    /// reflection was answered on (`fallback`: the files at hand, for
    /// entries saved before definitions were kept). Each one in its own
    /// transaction; one released already (by another writer) is left as it
    /// is.
    pub fn release_closed(
        &mut self,
        now: DateTime<Utc>,
        fallback: &[Questionnaire],
        t: Thresholds,
    ) -> Result<ReleaseReport> {
        let tz = self.time_zone()?;
        let today = now.with_timezone(&tz).date_naive();
        let t = t.for_release(self.team_rules()?);
        let groups: Vec<(String, String, String)> = self.sql(|c| {
            c.prepare_cached(
                "SELECT DISTINCT c.team, c.questionnaire_id, c.period FROM checkin c
                 WHERE c.team IS NOT NULL AND c.period IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM team_release r WHERE r.team = c.team
                        AND r.questionnaire_id = c.questionnaire_id AND r.period = c.period)",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect()
        })?;
        // And each (questionnaire, period) across the ward: its total,
        // for the ward view (no texts are kept of it).
        let wards: Vec<(String, String, String)> = self.sql(|c| {
            c.prepare_cached(
                "SELECT DISTINCT '', c.questionnaire_id, c.period FROM checkin c
                 WHERE c.team IS NOT NULL AND c.period IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM team_release r WHERE r.team = ''
                        AND r.questionnaire_id = c.questionnaire_id AND r.period = c.period)",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect()
        })?;
        let mut report = ReleaseReport::default();
        for (team, q, period) in groups.into_iter().chain(wards) {
            let Ok(p) = Period::parse(&period) else {
                continue;
            };
            if !p.closed_by(today) {
                continue;
            }
            let seed = crate::anonymity::os_seed();
            let done = self.write("releasing a period", |c| {
                let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
                if is_released(&tx, &team, &q, p)? {
                    return Ok(Some(false));
                }
                let ward = team == crate::ward::WARD_TOTAL;
                let rows = if ward {
                    ward_reflections(&tx, &q, &period)?
                } else {
                    stored_reflections(&tx, &team, &q, &period)?
                };
                let defs = definitions(&tx, &rows, &q, fallback)?;
                let headcount = headcount_in(&tx, &team)?;
                let kept = prepare_release(&defs, &team, p, &rows, t, today, seed, headcount)
                    .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
                let Some(kept) = kept else {
                    return Ok(None);
                };
                tx.execute(
                    "INSERT INTO team_release (team, questionnaire_id, period, released_on, reflections, figures, texts)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![
                        team,
                        q,
                        period,
                        today.to_string(),
                        kept.reflections as i64,
                        kept.figures,
                        kept.texts
                    ],
                )?;
                tx.commit()?;
                Ok(Some(true))
            })?;
            report.count(team, q, p, done);
        }
        Ok(report)
    }

    /// The releases of `team` on `questionnaire` for `periods`.
    pub fn releases(
        &mut self,
        team: &str,
        questionnaire: &str,
        periods: &[Period],
    ) -> Result<Vec<Release>> {
        self.releases_of(team, questionnaire, |p| periods.contains(&p))
    }

    /// The releases of `team` on `questionnaire` that a trend ending with
    /// `period` may show: those before it, of either period kind, within
    /// [`crate::huddle::TREND_PERIODS`] months of its start.
    pub fn releases_before(
        &mut self,
        team: &str,
        questionnaire: &str,
        period: Period,
    ) -> Result<Vec<Release>> {
        let start = period.first_day();
        let from = start - chrono::Duration::days(31 * crate::huddle::TREND_PERIODS as i64);
        self.releases_of(team, questionnaire, |p| {
            p.first_day() < start && p.last_day() >= from
        })
    }

    /// The releases of `team` on `questionnaire` whose period `wanted`
    /// (the period is read before the figures are).
    fn releases_of(
        &mut self,
        team: &str,
        questionnaire: &str,
        wanted: impl Fn(Period) -> bool,
    ) -> Result<Vec<Release>> {
        self.sql(|c| {
            let mut out = Vec::new();
            let mut st = c.prepare_cached(
                "SELECT figures, texts, period FROM team_release WHERE team = ?1 AND questionnaire_id = ?2",
            )?;
            let mut rows = st.query([team, questionnaire])?;
            while let Some(r) = rows.next()? {
                let p: String = r.get(2)?;
                if Period::parse(&p).is_ok_and(&wanted) {
                    out.extend(release_row(r)?);
                }
            }
            Ok(out)
        })
    }

    /// The ward total's release of `questionnaire` in `period`, and the
    /// release of every team that gave reflections then.
    pub fn ward_releases(
        &mut self,
        questionnaire: &str,
        period: Period,
    ) -> Result<(Option<Release>, Vec<Release>)> {
        let key = period.to_string();
        self.sql(|c| {
            let mut total = None;
            let mut teams = Vec::new();
            let mut st = c.prepare_cached(
                "SELECT figures, texts, team FROM team_release WHERE questionnaire_id = ?1 AND period = ?2",
            )?;
            let mut rows = st.query([questionnaire, key.as_str()])?;
            while let Some(r) = rows.next()? {
                let team: String = r.get(2)?;
                let release = release_row(r)?;
                if team == crate::ward::WARD_TOTAL {
                    total = release;
                } else {
                    teams.extend(release);
                }
            }
            Ok((total, teams))
        })
    }

    /// The questionnaires released for `team` in `period`, sorted.
    pub fn released_questionnaires(&mut self, team: &str, period: Period) -> Result<Vec<String>> {
        self.sql(|c| {
            c.prepare_cached(
                "SELECT questionnaire_id FROM team_release WHERE team = ?1 AND period = ?2 ORDER BY 1",
            )?
            .query_map(params![team, period.to_string()], |r| r.get(0))?
            .collect()
        })
    }

    /// The periods released for `team` (any questionnaire), newest first.
    pub fn released_periods(&mut self, team: &str) -> Result<Vec<Period>> {
        let v: Vec<String> = self.sql(|c| {
            c.prepare_cached("SELECT DISTINCT period FROM team_release WHERE team = ?1")?
                .query_map([team], |r| r.get(0))?
                .collect()
        })?;
        let mut out: Vec<Period> = v.iter().filter_map(|s| Period::parse(s).ok()).collect();
        out.sort_by_key(|p| std::cmp::Reverse(p.last_day()));
        Ok(out)
    }

    /// How many reflections `team` has given on `questionnaire` in
    /// `period` so far (a count; nothing else of an open period is read).
    pub fn period_count(
        &mut self,
        team: &str,
        questionnaire: &str,
        period: Period,
    ) -> Result<usize> {
        self.sql(|c| {
            c.prepare_cached(
                "SELECT count(*) FROM checkin WHERE team = ?1 AND questionnaire_id = ?2 AND period = ?3",
            )?
            .query_row(params![team, questionnaire, period.to_string()], |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| n.max(0) as usize)
        })
    }
}

/// The definitions to read `rows` with, by row hash (see
/// [`choose_definitions`]), from the SQLite store.
fn definitions(
    c: &Connection,
    rows: &[StoredReflection],
    id: &str,
    fallback: &[Questionnaire],
) -> rusqlite::Result<BTreeMap<String, Questionnaire>> {
    choose_definitions(
        rows,
        id,
        fallback,
        |h| {
            c.prepare_cached("SELECT source FROM questionnaire_def WHERE hash = ?1")?
                .query_row([h], |r| r.get(0))
                .optional()
        },
        |q| keep_definition(c, &q.hash, &q.id, &q.version, &q.source),
    )
}

/// The definitions to read `rows` with, by row hash, for any store: the
/// kept one (`kept` reads its source), else (entries saved before
/// definitions were kept) the file at hand with the same id **and the
/// same hash**, which is then kept (`keep`), so a later swap cannot change
/// how they are read. A row whose definition is neither kept nor at hand
/// has none: its count and stored scores count, none of its answers are
/// read. When no row has one, the file at hand with the id is given alone,
/// to read those counts and scores by.
pub(crate) fn choose_definitions<E>(
    rows: &[StoredReflection],
    id: &str,
    fallback: &[Questionnaire],
    mut kept: impl FnMut(&str) -> std::result::Result<Option<String>, E>,
    mut keep: impl FnMut(&Questionnaire) -> std::result::Result<(), E>,
) -> std::result::Result<BTreeMap<String, Questionnaire>, E> {
    let hashes: BTreeSet<&str> = rows.iter().map(|r| r.definition.as_str()).collect();
    let mut out = BTreeMap::new();
    for h in hashes {
        let read = kept(h)?.and_then(|s| {
            crate::questionnaire::load::load_definition(&format!("{id} (as answered)"), &s).ok()
        });
        let q = match read {
            Some(q) => Some(q),
            None => match fallback.iter().find(|q| q.id == id && q.hash == h) {
                Some(q) => {
                    keep(q)?;
                    Some(q.clone())
                }
                None => None,
            },
        };
        if let Some(q) = q {
            out.insert(h.to_string(), q);
        }
    }
    if out.is_empty() {
        if let Some(q) = fallback.iter().find(|q| q.id == id) {
            out.insert(q.hash.clone(), q.clone());
        }
    }
    Ok(out)
}
