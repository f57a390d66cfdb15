//! The runner's side of the kiosk: PIN checks, private codes, the admin
//! screen's work and the daily chores, performed against the store.

use super::kiosk::PinAnswer;
use super::runner::Scope;
use super::{Effect, Loaded};
use crate::kiosk::{code_key, pin, ADMIN_KEY};
use crate::model::{PinOutcome, PinTarget};
use crate::store::Storage;
use crate::text;
use chrono::{DateTime, Utc};

/// Setting key of a retention period set on the admin screen (days); it
/// wins over the configuration file's.
pub const RETENTION_SETTING: &str = "kiosk.retention_days";

/// Words in a suggested private code.
const CODE_WORDS: usize = 2;

/// Perform a kiosk effect. `None`: not a kiosk effect; `Some(None)`: done,
/// nothing to report.
pub fn perform(
    scope: &Scope,
    store: &mut dyn Storage,
    effect: &Effect,
    now: DateTime<Utc>,
) -> Option<Option<Loaded>> {
    let failed = |e: crate::store::StoreError| Loaded::Error(text::store_failed(&e.to_string()));
    let loaded = match effect {
        Effect::DailyChores => chores(scope, store, now),
        Effect::SuggestCode => Some(
            store
                .suggest_free_code(CODE_WORDS)
                .map(Loaded::Code)
                .unwrap_or_else(failed),
        ),
        Effect::SignIn { code, pin } => Some(Loaded::Pin(sign_in(store, code, pin, now))),
        Effect::AdminSignIn { pin } => Some(Loaded::Pin(admin_sign_in(store, pin, now))),
        Effect::CreateHolder { code, pin } => Some(Loaded::Pin(create(store, code, pin, now))),
        Effect::LoadCounts => Some(
            store
                .counts()
                .map(|c| Loaded::Counts {
                    counts: text::kiosk::counts(&c),
                    retention_days: retention_days(scope, store),
                })
                .unwrap_or_else(failed),
        ),
        Effect::AdminExport => Some(export(scope, store, now)),
        Effect::SetRetention(days) => Some(
            store
                .set_setting(RETENTION_SETTING, &days.to_string())
                .map(|()| Loaded::Notice(text::kiosk::retention_saved(*days)))
                .unwrap_or_else(failed),
        ),
        _ => return None,
    };
    Some(loaded)
}

/// The retention in force: the admin screen's, else the configuration's.
pub fn retention_days(scope: &Scope, store: &mut dyn Storage) -> u32 {
    store
        .setting(RETENTION_SETTING)
        .ok()
        .flatten()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| scope.kiosk.unwrap_or(365))
}

fn chores(scope: &Scope, store: &mut dyn Storage, now: DateTime<Utc>) -> Option<Loaded> {
    if scope.kiosk.is_none() {
        return store
            .end_of_day(now)
            .err()
            .map(|e| Loaded::Notice(text::store_failed(&e.to_string())));
    }
    let days = retention_days(scope, store);
    match store.daily_chores(now, days) {
        Ok(Some(report)) => report
            .backup_error
            .map(|e| Loaded::Notice(text::kiosk::backup_failed(&e))),
        Ok(None) => None,
        Err(e) => Some(Loaded::Notice(text::store_failed(&e.to_string()))),
    }
}

/// Check a code and PIN, as one transaction ([`Store::pin_attempt`]). A
/// locked code is refused before any hash is checked; an unknown code is
/// checked against a dummy hash and locks the same way as a known one, so
/// nothing tells them apart.
fn sign_in(store: &mut dyn Storage, code: &str, typed: &str, now: DateTime<Utc>) -> PinAnswer {
    let outcome = store.pin_attempt(&code_key(code), PinTarget::Holder(code), now, &mut |hash| {
        pin::verify_or_dummy(hash, typed)
    });
    answer(outcome)
}

fn admin_sign_in(store: &mut dyn Storage, typed: &str, now: DateTime<Utc>) -> PinAnswer {
    let outcome = store.pin_attempt(ADMIN_KEY, PinTarget::Admin, now, &mut |hash| {
        hash.is_some_and(|h| pin::verify_pin(h, typed))
    });
    answer(outcome)
}

fn answer(outcome: crate::store::Result<PinOutcome>) -> PinAnswer {
    match outcome {
        Ok(PinOutcome::Ok(id)) => PinAnswer::Ok(id),
        Ok(PinOutcome::NoMatch) => PinAnswer::NoMatch,
        Ok(PinOutcome::Locked(left)) => PinAnswer::Locked(minutes(left)),
        Ok(PinOutcome::NoAdminPin) => PinAnswer::NoAdminPin,
        Err(e) => PinAnswer::Failed(text::store_failed(&e.to_string())),
    }
}

/// Make a PIN holder with the suggested code; if it was taken meanwhile,
/// another is suggested and used (the person sees it on their home screen).
fn create(store: &mut dyn Storage, code: &str, typed: &str, now: DateTime<Utc>) -> PinAnswer {
    let hash = match pin::hash_pin(typed) {
        Ok(h) => h,
        Err(e) => return PinAnswer::Failed(e.to_string()),
    };
    let mut code = code.to_string();
    for _ in 0..20 {
        match store.create_pin_holder(&code, &hash, now) {
            Ok(Some(id)) => return PinAnswer::Created { id, code },
            Ok(None) => match store.suggest_free_code(CODE_WORDS) {
                Ok(c) => code = c,
                Err(e) => return PinAnswer::Failed(text::store_failed(&e.to_string())),
            },
            Err(e) => return PinAnswer::Failed(text::store_failed(&e.to_string())),
        }
    }
    PinAnswer::Failed(text::kiosk::NO_FREE_CODE.to_string())
}

fn minutes(d: chrono::Duration) -> i64 {
    (d.num_seconds() + 59) / 60
}

/// The team figures of this period, as the huddle shows them (markdown,
/// under the same anonymity rules: no row of anybody's answers ever
/// leaves the kiosk this way), into `exports/` beside the database.
fn export(scope: &Scope, store: &mut dyn Storage, now: DateTime<Utc>) -> Loaded {
    match write_team_report(scope, store, now) {
        Ok((teams, file)) => Loaded::Notice(text::kiosk::exported(
            &text::count(teams, "team", "teams"),
            &file.display().to_string(),
        )),
        Err(e) => Loaded::Notice(text::kiosk::export_failed(&format!("{e:#}"))),
    }
}

fn write_team_report(
    scope: &Scope,
    store: &mut dyn Storage,
    now: DateTime<Utc>,
) -> anyhow::Result<(usize, std::path::PathBuf)> {
    let today = now.with_timezone(&chrono::Local).date_naive();
    let period = crate::period::Period::containing(scope.reflections.period, today);
    let t = crate::anonymity::Thresholds::from_settings(&scope.reflections);
    let teams = store.teams(None)?;
    let mut doc = String::new();
    for team in &teams {
        let view =
            crate::team_view::load(store, &scope.questionnaires, None, team, period, t, today)?;
        doc.push_str(&crate::huddle_export::to_markdown(
            team,
            &view.huddles,
            &view.actions,
            today,
        ));
        doc.push('\n');
    }
    let db = scope
        .db
        .clone()
        .filter(|db| db.is_file())
        .ok_or_else(|| anyhow::anyhow!("the database is not a file to export beside"))?;
    let dir = db
        .parent()
        .map(|p| p.join("exports"))
        .ok_or_else(|| anyhow::anyhow!("the database has no folder to export beside"))?;
    crate::store::create_private_dir_pub(&dir)?;
    let file = dir.join(format!("team-figures-{}.md", now.format("%Y%m%d-%H%M%S")));
    crate::store::export::write_export(&file, doc.as_bytes(), &db, false)?;
    Ok((teams.len(), file))
}
