//! `joy server`: the ward's shared PostgreSQL server, for its admin
//! (issue 17): make or migrate the schema and roles, show its state,
//! release the periods that have closed by the server's clock.

use crate::cli::ServerAction;
use crate::config::Settings;
use crate::questionnaire::{Catalog, Questionnaire};
use crate::store::pg::{PgStore, ServerAddress, SCHEMA_VERSION};
use crate::store::TeamStore;
use crate::text;
use anyhow::{bail, Result};
use std::io::Write;
use std::process::ExitCode;

pub fn run(
    settings: &Settings,
    url: Option<&str>,
    action: ServerAction,
    out: &mut impl Write,
) -> Result<ExitCode> {
    // --url (or JOY_SERVER_URL) with the environment's files, else the
    // config file's [server] (its password_file and ca_file too).
    let addr = match url.filter(|u| !u.trim().is_empty()) {
        Some(u) => ServerAddress::given(u, settings.server.as_ref()),
        None => match &settings.server {
            Some(c) => c.clone(),
            None => bail!("{}", text::SERVER_URL_MISSING),
        },
    };
    let url = addr.url.as_str();
    match action {
        ServerAction::Init { roles } => {
            let prefix = match roles {
                Some(p) => p,
                None => database_name(url).unwrap_or_else(|| "joy".to_string()),
            };
            let mut s = PgStore::init(&addr, &prefix)?;
            let v = s.schema_version()?;
            writeln!(out, "{}", text::server_initialised(v, &prefix))?;
        }
        ServerAction::Status => {
            // This terminal's outbox first: it is known even when the
            // server cannot be reached.
            if settings.db.exists() {
                if let Ok(mut local) = crate::store::Store::open_read_only(&settings.db) {
                    // Only a terminal that delivers has an outbox to show.
                    let delivers = local
                        .setting(crate::store::outbox::OUTBOX_ON)
                        .ok()
                        .flatten()
                        .as_deref()
                        == Some("1");
                    if let Some(st) = local.outbox_status().ok().filter(|_| delivers) {
                        let (label, value) = text::kiosk::outbox_line(&st);
                        writeln!(
                            out,
                            "{label} (this terminal, {}): {value}",
                            settings.db.display()
                        )?;
                        if let Some(off) = st.clock_off {
                            let (label, value) = text::kiosk::clock_line(off);
                            writeln!(out, "{label}: {value}")?;
                        }
                    }
                }
            }
            let mut s = PgStore::connect(&addr)?;
            let st = s.status()?;
            writeln!(out, "{}", text::server_status(&st, SCHEMA_VERSION))?;
        }
        ServerAction::Release => {
            let mut s = PgStore::connect(&addr)?;
            release(settings, &mut s, out)?;
        }
        ServerAction::Deliver => {
            if !settings.db.exists() {
                bail!(
                    "{}",
                    text::no_terminal_database(&settings.db.display().to_string())
                );
            }
            let mut local = crate::data_commands::open_write(settings)?;
            let d = crate::outbox::deliver(&mut local, &addr, crate::clock::now())?;
            let waiting = local.outbox_status()?.waiting;
            if d.sent > 0 || d.error.is_none() {
                writeln!(out, "{}", text::delivered(d.sent, d.days))?;
            }
            if let Some(why) = d.error {
                // What waits, then why: not "sent 0" as if nothing did.
                if waiting == 0 {
                    bail!("{why}");
                }
                bail!("{}", text::delivery_failed(&why, waiting));
            }
            if waiting > 0 {
                writeln!(out, "{}", text::waiting_for_day_end(waiting))?;
            }
        }
        ServerAction::Rules(asked) => {
            let mut s = PgStore::connect(&addr)?;
            rules(settings, &mut s, asked, out)?;
        }
        ServerAction::Import { ward, rename_team } => {
            let ward = ward.as_deref().map(str::trim);
            if ward == Some("") {
                bail!("a ward needs a name: --ward \"Ward 7\"");
            }
            if !settings.db.exists() {
                bail!(
                    "{}",
                    text::no_terminal_database(&settings.db.display().to_string())
                );
            }
            let mut local = crate::store::Store::open_read_only_checked(&settings.db)?;
            if let Some(d) = local.damage() {
                // Not carried to the server: a damaged file's rows may be wrong.
                bail!(
                    "{}",
                    text::damaged_notice(&settings.db.display().to_string(), d)
                );
            }
            let mut h = local.handover()?;
            let mut renamed = Vec::new();
            for pair in &rename_team {
                let parts: Vec<&str> = pair.split('=').collect();
                let [old, new] = parts[..] else {
                    bail!("--rename-team takes OLD=NEW, with one '=', e.g. --rename-team \"Days=North days\" (got \"{pair}\")");
                };
                if old.trim().is_empty() {
                    bail!("--rename-team \"{pair}\": the team's old name (before '=') is empty");
                }
                renamed.push(new.trim().to_string());
                if let Err(why) = h.rename_team(old, new) {
                    bail!("{why} (nothing was imported)");
                }
            }
            if h.demo_left > 0 {
                // Releases and actions cannot be told apart from the demo's
                // (a ward total holds both): a file with demo data stays.
                bail!("{}", text::import_demo_refused(h.demo_left));
            }
            let mut s = PgStore::connect(&addr)?;
            let (entries, releases, actions) = s.import_handover(&h, ward)?;
            writeln!(out, "{}", text::imported(entries, releases, actions))?;
            if let Some(w) = ward {
                let teams = s
                    .wards()?
                    .into_iter()
                    .find(|(name, _)| name == w)
                    .map(|(_, t)| t)
                    .unwrap_or_default();
                writeln!(out, "{}", text::ward_set(w, &teams))?;
                writeln!(out, "{}", text::import_other_teams(w))?;
            }
            if !renamed.is_empty() {
                // The kiosk files reflections under the names in its config:
                // left as they were, they would land in another ward's team.
                writeln!(out, "{}", text::import_renamed(&renamed))?;
            }
            if local.outbox_status()?.waiting > 0 {
                writeln!(out, "{}", text::IMPORT_OUTBOX_WAITS)?;
            }
        }
        ServerAction::Wards {
            ward,
            team,
            reader,
            remove_reader,
        } => {
            let mut s = PgStore::connect(&addr)?;
            if let Some(w) = ward {
                let w = w.trim();
                if w.is_empty() || team.iter().any(|t| t.trim().is_empty()) {
                    bail!("a ward and its teams need names: --ward \"Ward 7\" --team Days --team Nights");
                }
                if team.is_empty() && reader.is_none() && remove_reader.is_none() {
                    bail!("--ward needs --team (teams to put in it), --reader or --remove-reader (a role that reads it, or no more)");
                }
                if !team.is_empty() {
                    let teams: Vec<String> = team.iter().map(|t| t.trim().to_string()).collect();
                    for (t, from) in s.set_ward(w, &teams)? {
                        writeln!(out, "{}", text::team_moved(&t, &from, w))?;
                    }
                    writeln!(out, "{}", text::ward_set(w, &teams))?;
                }
                if let Some(role) = remove_reader {
                    if s.remove_ward_reader(w, role.trim())? {
                        writeln!(out, "{}", text::ward_reader_removed(w, role.trim()))?;
                    } else {
                        bail!("\"{}\" was not listed as reading {w}: `joy server wards` lists who reads which ward", role.trim());
                    }
                }
                if let Some(role) = reader {
                    s.add_ward_reader(w, role.trim())?;
                    writeln!(out, "{}", text::ward_reader_set(w, role.trim()))?;
                }
            }
            let wards = s.wards()?;
            if wards.is_empty() {
                writeln!(out, "{}", text::NO_WARDS)?;
            }
            for (w, teams) in wards {
                writeln!(out, "{w}: {}", teams.join(", "))?;
            }
            for (role, w) in s.ward_readers()? {
                writeln!(out, "{}", text::ward_reader_line(&role, &w))?;
            }
        }
        ServerAction::Trust {
            period,
            questionnaire,
        } => {
            let mut s = PgStore::connect(&addr)?;
            trust(
                settings,
                &mut s,
                period.as_deref(),
                questionnaire.as_deref(),
                out,
            )?;
        }
        ServerAction::Demo { days } => {
            let mut s = PgStore::connect(&addr)?;
            let Some(q) = Catalog::bundled().get(crate::team_view::FALLBACK).cloned() else {
                bail!("the bundled team reflection is missing: reinstall joy-kiosk");
            };
            let now = s.server_now()?;
            let rows = crate::reflection_gen::demo_ward(&q, days, now, 2026);
            s.demo(text::DEMO_WARD, &rows)?;
            writeln!(out, "{}", text::server_demo_added(rows.len(), days))?;
            release(settings, &mut s, out)?;
        }
        ServerAction::Prune { days } => {
            let mut s = PgStore::connect(&addr)?;
            // Nothing is deleted before its period's figures are kept.
            release(settings, &mut s, out)?;
            let now = s.server_now()?;
            let cutoff = now.date_naive() - chrono::Duration::days(i64::from(days));
            let n = s.prune(cutoff)?;
            writeln!(out, "{}", text::server_pruned(n, cutoff))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `joy server trust`: the trust view of one released period (the last
/// one unless named), per team questionnaire released then.
fn trust(
    settings: &Settings,
    s: &mut PgStore,
    period: Option<&str>,
    questionnaire: Option<&str>,
    out: &mut impl Write,
) -> Result<()> {
    let released = s.released_trust_periods()?;
    let period = match period {
        Some(p) => crate::period::Period::parse(p)?,
        None => match released.first() {
            Some(p) => *p,
            None => bail!("{}", text::SERVER_NOTHING_RELEASED),
        },
    };
    let mut ids = s.team_questionnaires_released(period)?;
    if let Some(only) = questionnaire {
        ids.retain(|id| id == only);
    }
    if ids.is_empty() {
        let today = s.server_now()?.date_naive();
        if !period.closed_by(today) {
            // Not "nothing": it is not over yet.
            bail!(
                "{}",
                text::period_still_open(&period.to_string(), period.release_day())
            );
        }
        let last = released.first().map(ToString::to_string);
        bail!(
            "{}",
            text::server_nothing_for(&period.to_string(), last.as_deref())
        );
    }
    let t = crate::anonymity::Thresholds::reader(&settings.huddle);
    let mut views = Vec::new();
    let mut ward_views = Vec::new();
    for id in ids {
        match s.trust_period(&id, period)? {
            (Some(total), wards) => views.push(crate::trust::view(&total, &wards, t)),
            // A role that reads some wards only: each of them, no total.
            (None, wards) => ward_views.extend(wards.iter().map(|w| {
                let mut v = crate::ward::view(&w.total, &w.teams, t);
                v.name = Some(w.ward.clone());
                v
            })),
        }
    }
    let body = if views.is_empty() {
        crate::huddle_export::ward_markdown(&ward_views)
    } else {
        crate::huddle_export::trust_markdown(&views)
    };
    out.write_all(text::safe_for_terminal(&body).as_bytes())?;
    Ok(())
}

/// Release every closed period by the server's clock, saying what.
fn release(settings: &Settings, s: &mut PgStore, out: &mut impl Write) -> Result<()> {
    let now = s.server_now()?;
    let offered: Vec<Questionnaire> = Catalog::load(&settings.questionnaire_dirs)
        .entries
        .into_iter()
        .map(|e| e.questionnaire)
        .collect();
    // The server alone holds the rules: until they are set there, the
    // defaults, never whatever the releasing admin's own config says.
    let t = crate::anonymity::Thresholds::default();
    let report = s.release_closed(now, &offered, t)?;
    for (team, q, p) in &report.released {
        writeln!(out, "{}", text::released_line(team, q, &p.to_string()))?;
    }
    if report.released.is_empty() {
        writeln!(out, "{}", text::SERVER_NOTHING_TO_RELEASE)?;
    }
    Ok(())
}

/// `joy server rules`: change what was asked (each its own transaction on
/// the server, dated by the server's clock), then show the rules in force.
fn rules(
    settings: &Settings,
    s: &mut PgStore,
    asked: crate::cli::RulesArgs,
    out: &mut impl Write,
) -> Result<()> {
    let now = s.server_now()?;
    if let Some(z) = &asked.time_zone {
        let Some(tz) = crate::store::release::parse_zone(z) else {
            bail!("{}", text::unknown_time_zone(z));
        };
        s.set_time_zone(tz)?;
    }
    if let (Some(n), Some(t)) = (asked.headcount.map(|n| n as usize), &asked.team) {
        let mut known = settings.kiosk.teams.clone();
        let in_wards: Vec<String> = s.wards()?.into_iter().flat_map(|(_, t)| t).collect();
        for t in s.teams(None)?.into_iter().chain(in_wards) {
            if !known.iter().any(|k| k.to_lowercase() == t.to_lowercase()) {
                known.push(t);
            }
        }
        let team = crate::huddle_commands::match_team(t, &known)?;
        s.set_headcount(&team, n, now)?;
        writeln!(out, "{}", text::headcount_set(&team, n))?;
    }
    if asked.min_group.is_some() || asked.min_group_text.is_some() {
        let current = s.rules()?;
        let r = crate::huddle_commands::checked_rules(
            settings,
            current,
            asked.min_group,
            asked.min_group_text,
            &mut *out,
        )?;
        let changed = s.set_rules(&r, now)?;
        writeln!(
            out,
            "{}",
            text::rules_changed(r.min_group, r.min_group_text, changed)
        )?;
    }
    if let Some(kind) = asked.period {
        let from = s.set_period_kind(kind, now)?;
        let held = s.ward_settings(&[], now)?;
        match from {
            Some(day) => writeln!(
                out,
                "{}",
                text::period_kind_from(kind.as_str(), day, held.pending.is_none())
            )?,
            None => writeln!(out, "{}", text::period_kind_unchanged(kind.as_str()))?,
        }
    }
    // Every team the server or this config knows, with a staff number or not.
    let mut teams = s.teams(None)?;
    for t in s.headcount_teams()?.iter().chain(&settings.kiosk.teams) {
        if !teams.contains(t) {
            teams.push(t.clone());
        }
    }
    teams.sort();
    let st = s.status()?;
    let held = s.ward_settings(&teams, now)?;
    writeln!(
        out,
        "{}",
        text::rules_summary(
            held.rules.map(|r| (r.min_group, r.min_group_text)),
            held.kind.as_str(),
            held.pending.map(|(d, k)| (d, k.as_str())),
            &st.time_zone,
            settings.huddle.min_group
        )
    )?;
    for (team, n) in held.headcounts {
        if let Some(n) = n {
            writeln!(out, "{}", text::headcount_line(&team, n))?;
        }
    }
    Ok(())
}

/// The database named in a connection string or URL, made a role prefix
/// (lower case, letters, digits and _).
fn database_name(url: &str) -> Option<String> {
    let name = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let path = url.split('?').next()?.rsplit('/').next()?;
        path.to_string()
    } else {
        url.split_whitespace()
            .find_map(|kv| kv.strip_prefix("dbname="))?
            .to_string()
    };
    let p: String = name
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    (!p.is_empty()).then_some(p)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_roles_prefix_is_the_database_name() {
        assert_eq!(
            super::database_name("host=/run/postgresql dbname=Ward-7"),
            Some("ward_7".into())
        );
        assert_eq!(
            super::database_name("postgresql://joy@db.example/ward7?sslmode=verify-full"),
            Some("ward7".into())
        );
        assert_eq!(super::database_name("host=/tmp"), None);
    }
}
