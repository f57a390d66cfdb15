//! The runner's side of the kiosk: PIN checks, private codes, the admin
//! screen's work and the daily chores, performed against the store.

use super::kiosk::PinAnswer;
use super::runner::Scope;
use super::{Effect, Loaded};
use crate::kiosk::secret::{self, HistoryKey};
use crate::kiosk::{pin, ADMIN_KEY};
use crate::model::{PinOutcome, PinTarget, StoredSecret};
use crate::store::Storage;
use crate::text;
use chrono::{DateTime, Utc};

/// Setting key of a retention period set on the admin screen (days); it
/// wins over the configuration file's.
pub const RETENTION_SETTING: &str = "kiosk.retention_days";

/// Weeks of participation on the admin screen (this one and the ones before).
const PARTICIPATION_WEEKS: i64 = 4;

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
        // On the store's own connection here (tests, the headless runner);
        // the interactive app's worker runs it on a thread of its own.
        Effect::CheckDatabase => Some(checked(store.check_database())),
        Effect::MarkDamaged(detail) => {
            store.mark_damaged(detail);
            None
        }
        // Failures are kept in the store (the admin's counts show them).
        Effect::Deliver => {
            if let Some(url) = &scope.server {
                if let Err(e) = store.deliver(url, now) {
                    // A local failure (the server's are kept in the store).
                    return Some(Some(Loaded::Notice(text::store_failed(&e.to_string()))));
                }
            }
            None
        }
        Effect::SuggestCode => Some(
            store
                .suggest_free_code(CODE_WORDS)
                .map(Loaded::Code)
                .unwrap_or_else(failed),
        ),
        Effect::SignIn { code, pin } => Some(Loaded::Pin(sign_in(store, code, pin, now))),
        Effect::AdminSignIn { pin } => Some(Loaded::Pin(admin_sign_in(store, pin, now))),
        Effect::CreateHolder { code, pin } => Some(Loaded::Pin(create(store, code, pin, now))),
        Effect::SetAdminPin { pin } => Some(Loaded::Pin(set_admin_pin(store, pin))),
        Effect::LoadParticipation => {
            let today = now.with_timezone(&chrono::Local).date_naive();
            // This ISO week and the three before it, oldest first.
            let weeks: Vec<crate::period::Period> = (0..PARTICIPATION_WEEKS)
                .rev()
                .map(|n| {
                    crate::period::Period::containing(
                        crate::period::PeriodKind::Week,
                        today - chrono::Duration::weeks(n),
                    )
                })
                .collect();
            let since = now - chrono::Duration::weeks(PARTICIPATION_WEEKS);
            Some(
                store
                    .participation(since)
                    .map(|rows| {
                        let mut rows = text::kiosk::participation(&rows, &scope.teams, &weeks);
                        // With a server, entries are counted there: this
                        // file holds only those from before it.
                        if scope.server.is_some() {
                            rows.insert(0, text::kiosk::counted_on_server());
                        }
                        Loaded::Panel {
                            title: text::kiosk::ADMIN_PARTICIPATION,
                            rows,
                        }
                    })
                    .unwrap_or_else(failed),
            )
        }
        Effect::LiftLockouts => Some(
            store
                .lift_code_lockouts(now)
                .map(|n| Loaded::Notice(text::kiosk::lockouts_lifted(n)))
                .unwrap_or_else(failed),
        ),
        Effect::DeleteHolder(holder) => Some(
            store
                .delete_holder(*holder)
                .map(|_| Loaded::HolderDeleted)
                .unwrap_or_else(failed),
        ),
        Effect::RenewPin { holder, code, pin } => {
            Some(Loaded::Pin(renew(store, *holder, code, pin)))
        }
        Effect::LoadCounts => Some(
            store
                .counts(now)
                .map(|c| {
                    let days = retention_days(scope, store);
                    let set_here = store.setting(RETENTION_SETTING).ok().flatten().is_some();
                    let mut counts = text::kiosk::counts(&c);
                    if scope.server.is_some() {
                        // The server releases and counts: this file's own
                        // figures are of entries from before it.
                        counts.retain(|(l, _)| {
                            !l.starts_with("Last release") && !l.starts_with("Next release")
                        });
                        for (l, _) in counts.iter_mut() {
                            if l == "Anonymous check-ins" || l == "Team reflections" {
                                l.push_str(text::kiosk::KEPT_HERE_BEFORE_SERVER);
                            }
                        }
                    }
                    let rules = c.ward_rules;
                    if scope.server.is_some() {
                        counts.push(text::kiosk::rules_on_server());
                    } else {
                        counts.push(text::kiosk::rules_in_force(
                            rules
                                .as_ref()
                                .map_or(scope.reflections.min_group, |r| r.min_group),
                            rules
                                .as_ref()
                                .map_or(scope.reflections.min_group_text, |r| r.min_group_text),
                            if rules.is_some() {
                                text::kiosk::RULES_FROM_DATABASE
                            } else if scope.reflections.rules_stated {
                                text::kiosk::RULES_FROM_CONFIG
                            } else {
                                text::kiosk::RULES_BUILT_IN
                            },
                            c.period_kind,
                            &c.time_zone,
                        ));
                    }
                    if scope.server.is_some() {
                        if let Ok(st) = store.outbox_status() {
                            counts.push(text::kiosk::outbox_line(&st));
                            if let Some(off) = st.clock_off {
                                counts.push(text::kiosk::clock_line(off));
                            }
                        }
                    }
                    counts.push(text::kiosk::retention_source(
                        days,
                        set_here,
                        scope.kiosk.unwrap_or(365),
                    ));
                    Loaded::Counts {
                        counts,
                        retention_days: days,
                    }
                })
                .unwrap_or_else(failed),
        ),
        Effect::LoadWardRules => {
            let config = crate::model::TeamRules {
                min_group: scope.reflections.min_group,
                min_group_text: scope.reflections.min_group_text,
            };
            // With a ward's server, the rules are the server's (read as
            // the terminal role may): this worker waits, never the screen.
            let read = match &scope.server {
                Some(addr) => crate::store::pg::PgStore::connect(addr).and_then(|mut pg| {
                    crate::store::TeamStore::ward_settings(&mut pg, &scope.teams, now)
                }),
                None => store.ward_settings(&scope.teams, now),
            };
            Some(match read {
                Ok(held) => Loaded::WardRules {
                    held,
                    config,
                    on_server: scope.server.is_some(),
                },
                Err(e) if scope.server.is_some() => {
                    Loaded::Notice(text::server_failed(&e.to_string()))
                }
                Err(e) => failed(e),
            })
        }
        // The server holds the rules: a kiosk never records its own.
        Effect::SetWardRules(_) | Effect::SetPeriodKind(_) | Effect::SetHeadcount { .. }
            if scope.server.is_some() =>
        {
            Some(Loaded::Notice(text::kiosk::RULES_ON_SERVER.to_string()))
        }
        Effect::SetWardRules(rules) => Some(
            store
                .set_rules(rules, now)
                .map(|_| {
                    Loaded::Notice(text::kiosk::ward_rules_set(
                        rules.min_group,
                        rules.min_group_text.max(rules.min_group),
                    ))
                })
                .unwrap_or_else(failed),
        ),
        Effect::SetPeriodKind(kind) => Some(
            store
                .set_period_kind(*kind, now)
                .and_then(|from| {
                    // In force at once (nothing filed yet), or to come.
                    let at_once = store.ward_settings(&[], now)?.pending.is_none();
                    Ok(Loaded::Notice(match from {
                        Some(day) => text::period_kind_from(kind.as_str(), day, at_once),
                        None => text::period_kind_unchanged(kind.as_str()),
                    }))
                })
                .unwrap_or_else(failed),
        ),
        Effect::SetHeadcount { team, n } => Some(
            store
                .set_headcount(team, *n, now)
                .map(|()| Loaded::Notice(text::headcount_set(team, *n)))
                .unwrap_or_else(failed),
        ),
        Effect::AdminExport => Some(export(scope, store, now)),
        Effect::AdminPrint => Some(print(scope, store, now)),
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

/// The answer of the day's full check.
pub fn checked(result: crate::store::Result<()>) -> Loaded {
    Loaded::Checked(match result {
        Err(crate::store::StoreError::Damaged { path, detail, .. }) => {
            let notice = text::damaged_notice(&path, &detail);
            Some((detail, notice))
        }
        // Not damage (the file could not be opened a second time, say):
        // the day's jobs go on, and meet any trouble themselves.
        _ => None,
    })
}

fn chores(scope: &Scope, store: &mut dyn Storage, now: DateTime<Utc>) -> Option<Loaded> {
    // Damage found by the day's full check is said as on opening: the
    // store keeps to reading from now on.
    let failed = |e: crate::store::StoreError| match e {
        crate::store::StoreError::Damaged { path, detail, .. } => {
            Loaded::Notice(text::damaged_notice(&path, &detail))
        }
        e => Loaded::Notice(text::store_failed(&e.to_string())),
    };
    if scope.kiosk.is_none() {
        return store.end_of_day(now).err().map(failed);
    }
    let days = retention_days(scope, store);
    let thresholds = crate::anonymity::Thresholds::from_settings(&scope.reflections);
    let jobs = crate::store::kiosk::DayJobs {
        retention_days: days,
        questionnaires: &scope.questionnaires,
        thresholds,
    };
    match store.daily_chores(now, &jobs) {
        Ok(Some(report)) => report
            .backup_error
            .map(|e| Loaded::Notice(text::kiosk::backup_failed(&e))),
        Ok(None) => None,
        Err(e) => Some(failed(e)),
    }
}

/// Check a code and PIN, as one transaction ([`Store::pin_attempt`]). The
/// code is looked up by its tag (argon2id, [`secret::code_tag`]); a locked
/// code is refused before its PIN is checked; an unknown code does the work
/// of a key derivation too and locks the same way, so nothing tells them
/// apart. A sealed history's key comes back with the answer; a holder made
/// before histories were sealed is sealed now under the PIN just typed, or
/// (a PIN under 6 digits, or a weak one) asked for a new PIN first.
///
/// [`Store::pin_attempt`]: crate::store::Store::pin_attempt
fn sign_in(store: &mut dyn Storage, code: &str, typed: &str, now: DateTime<Utc>) -> PinAnswer {
    let failed = |e: &dyn std::fmt::Display| PinAnswer::Failed(text::store_failed(&e.to_string()));
    let salt = match store.code_salt() {
        Ok(s) => s,
        Err(e) => return failed(&e),
    };
    let code = secret::tag_text(code);
    let (tag, lock) = match secret::code_tags(&code, &salt) {
        Ok(t) => (t.tag, t.lock),
        Err(e) => return failed(&e),
    };
    let mut key: Option<HistoryKey> = None;
    let mut legacy = false;
    let outcome = store.pin_attempt(
        &secret::lockout_key(&lock),
        PinTarget::Holder(&tag),
        now,
        &mut |stored| match stored {
            Some(StoredSecret::Sealed { salt, check }) => {
                let k = secret::history_key(&code, typed, salt).ok();
                let right = k.as_ref().is_some_and(|k| secret::key_fits(k, check));
                if right {
                    key = k;
                }
                right
            }
            Some(StoredSecret::Phc(hash)) => {
                legacy = pin::verify_pin(hash, typed);
                legacy
            }
            None => {
                secret::dummy_check(typed);
                false
            }
        },
    );
    match outcome {
        Ok(PinOutcome::Ok(id)) if legacy => {
            if pin::valid_pin(typed).is_ok() {
                renew(store, id, &code, typed)
            } else {
                PinAnswer::Renew { id }
            }
        }
        Ok(PinOutcome::Ok(id)) => match key {
            Some(key) => PinAnswer::Ok { id, key: Some(key) },
            None => PinAnswer::NoMatch,
        },
        other => answer(other),
    }
}

/// Seal a holder's clear history under a new key of their code and `pin`
/// (see [`crate::store::Store::seal_history`]) and sign them in.
fn renew(store: &mut dyn Storage, holder: i64, code: &str, typed: &str) -> PinAnswer {
    let code = secret::tag_text(code);
    let made = (|| {
        let salt: [u8; secret::SALT_LEN] = secret::random()?;
        let key = secret::history_key(&code, typed, &salt)?;
        let check = secret::key_check(&key)?;
        Ok::<_, secret::SecretError>((salt, key, check))
    })();
    let (salt, key, check) = match made {
        Ok(m) => m,
        Err(e) => return PinAnswer::Failed(e.to_string()),
    };
    match store.seal_history(holder, &salt, &check, &key) {
        Ok(_) => PinAnswer::Ok {
            id: holder,
            key: Some(key),
        },
        Err(e) => PinAnswer::Failed(text::store_failed(&e.to_string())),
    }
}

fn admin_sign_in(store: &mut dyn Storage, typed: &str, now: DateTime<Utc>) -> PinAnswer {
    let outcome = store.pin_attempt(
        ADMIN_KEY,
        PinTarget::Admin,
        now,
        &mut |stored| matches!(stored, Some(StoredSecret::Phc(h)) if pin::verify_pin(h, typed)),
    );
    answer(outcome)
}

fn answer(outcome: crate::store::Result<PinOutcome>) -> PinAnswer {
    match outcome {
        Ok(PinOutcome::Ok(id)) => PinAnswer::Ok { id, key: None },
        Ok(PinOutcome::NoMatch) => PinAnswer::NoMatch,
        Ok(PinOutcome::Locked(left)) => PinAnswer::Locked(minutes(left)),
        Ok(PinOutcome::NoAdminPin) => PinAnswer::NoAdminPin,
        Err(e) => PinAnswer::Failed(text::store_failed(&e.to_string())),
    }
}

/// Make a code holder with the suggested code (its tag, and a sealed
/// history under a key of the code and PIN); if it was taken meanwhile,
/// another is suggested and used (the person sees it on their home screen).
fn create(store: &mut dyn Storage, code: &str, typed: &str, now: DateTime<Utc>) -> PinAnswer {
    if let Err(rule) = pin::valid_pin(typed) {
        return PinAnswer::Failed(rule.to_string());
    }
    let salt = match store.code_salt() {
        Ok(s) => s,
        Err(e) => return PinAnswer::Failed(text::store_failed(&e.to_string())),
    };
    let mut code = secret::tag_text(code);
    for _ in 0..20 {
        let (holder, key) = match secret::make_holder(&code, typed, &salt) {
            Ok(made) => made,
            Err(e) => return PinAnswer::Failed(e.to_string()),
        };
        match store.create_pin_holder(&holder, now) {
            Ok(Some(id)) => return PinAnswer::Created { id, code, key },
            Ok(None) => match store.suggest_free_code(CODE_WORDS) {
                Ok(c) => code = c,
                Err(e) => return PinAnswer::Failed(text::store_failed(&e.to_string())),
            },
            Err(e) => return PinAnswer::Failed(text::store_failed(&e.to_string())),
        }
    }
    PinAnswer::Failed(text::kiosk::NO_FREE_CODE.to_string())
}

/// Keep a new admin PIN (the rule checked again here: the store never
/// keeps one that breaks it) and lift the admin lockout.
fn set_admin_pin(store: &mut dyn Storage, typed: &str) -> PinAnswer {
    if let Err(rule) = pin::valid_pin(typed) {
        return PinAnswer::Failed(rule.to_string());
    }
    let hash = match pin::hash_pin(typed) {
        Ok(h) => h,
        Err(e) => return PinAnswer::Failed(e.to_string()),
    };
    let kept = store
        .set_setting(crate::store::kiosk::ADMIN_PIN_SETTING, &hash)
        .and_then(|()| store.lift_admin_lockout());
    match kept {
        Ok(()) => PinAnswer::AdminPinSet,
        Err(e) => PinAnswer::Failed(text::store_failed(&e.to_string())),
    }
}

fn minutes(d: chrono::Duration) -> i64 {
    (d.num_seconds() + 59) / 60
}

/// The team figures of this period, as the huddle shows them (markdown,
/// under the same anonymity rules: no row of anybody's answers ever
/// leaves the kiosk this way), into `exports/` beside the database.
fn export(scope: &Scope, store: &mut dyn Storage, now: DateTime<Utc>) -> Loaded {
    let (teams, file) = match write_team_report(scope, store, now) {
        Ok(done) => done,
        Err(e) => return Loaded::Notice(text::kiosk::export_failed(&format!("{e:#}"))),
    };
    let what = text::count(teams, "team", "teams");
    let path = file.display().to_string();
    let Some(drive) = &scope.export_to else {
        return Loaded::Notice(text::kiosk::exported(&what, &path));
    };
    // A copy onto the removable drive the configuration names, if it is
    // there now (a folder that can be written); the same private, never
    // overwriting, all-or-nothing write as the file beside the database.
    let shown = drive.display().to_string();
    if !drive.is_dir() {
        return Loaded::Notice(text::kiosk::no_drive(&what, &path, &shown, "is not there"));
    }
    let copy = drive.join(file.file_name().unwrap_or_default());
    let bytes = match std::fs::read(&file) {
        Ok(b) => b,
        Err(e) => return Loaded::Notice(text::kiosk::export_failed(&e.to_string())),
    };
    let db = scope.db.clone().unwrap_or_default();
    match crate::store::export::write_export(&copy, &bytes, &db, false) {
        Ok(()) => Loaded::Notice(text::kiosk::exported_to_drive(&what, &path, &shown)),
        Err(e) => Loaded::Notice(text::kiosk::no_drive(
            &what,
            &path,
            &shown,
            &format!("could not be written ({e})"),
        )),
    }
}

/// Every team's huddle of its last released period, under the anonymity
/// rules.
fn team_huddles(
    scope: &Scope,
    store: &mut dyn Storage,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<(String, crate::team_view::TeamView)>> {
    let today = now.with_timezone(&chrono::Local).date_naive();
    let t = crate::anonymity::Thresholds::reader(&scope.reflections);
    let mut out = Vec::new();
    for team in store.teams(None)? {
        // The last period released (the open one shows only its count).
        let period =
            crate::team_view::default_period(store, &team, scope.reflections.period, today)?;
        let view =
            crate::team_view::load(store, &scope.questionnaires, None, &team, period, t, today)?;
        out.push((team, view));
    }
    Ok(out)
}

/// Print the one-page summary with the configured command (the page on its
/// standard input).
fn print(scope: &Scope, store: &mut dyn Storage, now: DateTime<Utc>) -> Loaded {
    use std::io::Write;
    let Some((program, args)) = scope.print_command.split_first() else {
        return Loaded::Notice(text::kiosk::NO_PRINTER.to_string());
    };
    let shown = scope.print_command.join(" ");
    let today = now.with_timezone(&chrono::Local).date_naive();
    let page = match team_huddles(scope, store, now) {
        Ok(views) => crate::huddle_export::one_page(
            &scope.site,
            &views
                .into_iter()
                .map(|(team, v)| (team, v.huddles))
                .collect::<Vec<_>>(),
            today,
        ),
        Err(e) => return Loaded::Notice(text::kiosk::print_failed(&shown, &format!("{e:#}"))),
    };
    let run = std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            if let Some(mut input) = child.stdin.take() {
                input.write_all(page.as_bytes())?;
            }
            child.wait_with_output()
        });
    match run {
        Ok(out) if out.status.success() => Loaded::Notice(text::kiosk::printed(&shown)),
        Ok(out) => Loaded::Notice(text::kiosk::print_failed(
            &shown,
            String::from_utf8_lossy(&out.stderr).trim(),
        )),
        Err(e) => Loaded::Notice(text::kiosk::print_failed(&shown, &e.to_string())),
    }
}

fn write_team_report(
    scope: &Scope,
    store: &mut dyn Storage,
    now: DateTime<Utc>,
) -> anyhow::Result<(usize, std::path::PathBuf)> {
    let today = now.with_timezone(&chrono::Local).date_naive();
    let views = team_huddles(scope, store, now)?;
    let teams: Vec<String> = views.iter().map(|(t, _)| t.clone()).collect();
    let mut doc = String::new();
    for (team, view) in &views {
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
    // A second export in the same second gets its own name (-2, -3, ...):
    // nothing is overwritten, and no export fails for its name.
    let stem = format!("team-figures-{}", now.format("%Y%m%d-%H%M%S"));
    let mut file = dir.join(format!("{stem}.md"));
    let mut n = 2;
    while file.exists() {
        file = dir.join(format!("{stem}-{n}.md"));
        n += 1;
    }
    crate::store::export::write_export(&file, doc.as_bytes(), &db, false)?;
    Ok((teams.len(), file))
}
