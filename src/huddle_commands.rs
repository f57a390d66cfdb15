//! `joy huddle` and `joy actions`: the team huddle's aggregates and the
//! team's action log from the command line. Every reflection read here
//! goes through [`Store::huddle`], that is through the anonymity rules.

use crate::anonymity::Thresholds;
use crate::cli::{ActionsCommand, HuddleFormat};
use crate::commands::say;
use crate::config::Settings;
use crate::huddle::{order_actions, ActionStatus, TeamAction};
use crate::huddle_export;
use crate::model::{ActionChange, NewAction, MAX_ACTION_TEXT};
use crate::period::Period;
use crate::questionnaire::{Catalog, Kind, Questionnaire};
use crate::store::TeamStore;
use crate::store::{export, Store};
use crate::text;
use anyhow::{bail, Result};
use chrono::NaiveDate;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// `joy huddle`'s options.
#[derive(Debug, Clone, Default)]
pub struct HuddleArgs {
    pub team: Option<String>,
    /// The ward's server to read from instead of the database file.
    pub server: Option<String>,
    pub period: Option<String>,
    pub questionnaire: Option<String>,
    pub export: Option<HuddleFormat>,
    pub out: Option<PathBuf>,
    pub force: bool,
}

/// The period asked for, or the last one released for `team` (else the
/// one open on `today`). Weeks and months alike: the kind is the store's.
pub fn resolve_period(
    store: &mut Store,
    team: &str,
    given: Option<&str>,
    today: NaiveDate,
) -> Result<Period> {
    match given {
        None => {
            let kind = store.period_kind_on(today)?;
            Ok(crate::team_view::default_period(store, team, kind, today)?)
        }
        Some(s) => {
            let p = Period::parse(s)?;
            if p.first_day() > today {
                bail!("{}", text::period_not_started(s));
            }
            let kind = store.period_kind_on(p.first_day())?;
            if p.kind() != kind && !store.released_periods(team)?.contains(&p) {
                bail!(
                    "{s} is a {}, but reflections here are grouped by {}: give a {} such as {}",
                    p.kind().as_str(),
                    kind.as_str(),
                    kind.as_str(),
                    Period::containing(kind, p.first_day())
                );
            }
            Ok(p)
        }
    }
}

/// A team name as typed, matched to a known team (the config's `teams`
/// and every team with reflections or actions) ignoring case and spaces at
/// the ends, so "nights" finds "Nights". An unknown name is refused, naming
/// the known ones, unless no team is known yet.
pub fn match_team(given: &str, known: &[String]) -> Result<String> {
    let t = given.trim();
    if t.is_empty() {
        bail!("--team is empty: give the team's name");
    }
    if known.is_empty() {
        return Ok(t.to_string());
    }
    // Compared as shown: one line, trimmed, any case.
    let key = |s: &str| one_line(s).trim().to_lowercase();
    let wanted = key(t);
    match known.iter().find(|k| key(k) == wanted) {
        Some(k) => Ok(k.clone()),
        None => bail!(
            "there is no team called \"{t}\" here. Known teams: {}. Check the spelling, or add the team to `teams` under [kiosk] in the config file.",
            known.join(", ")
        ),
    }
}

/// Every team known here: the configured ones, then any other with
/// reflections or actions.
fn known_teams(settings: &Settings, store: &mut Store) -> Result<Vec<String>> {
    let mut known = settings.kiosk.teams.clone();
    for t in store.teams(None)? {
        if !known.iter().any(|k| k.to_lowercase() == t.to_lowercase()) {
            known.push(t);
        }
    }
    Ok(known)
}

/// The team asked for, or the only one there is.
pub fn resolve_team(settings: &Settings, store: &mut Store, given: Option<&str>) -> Result<String> {
    if let Some(t) = given {
        let known = known_teams(settings, store)?;
        return match_team(t, &known);
    }
    let teams = store.teams(None)?;
    match teams.as_slice() {
        [one] => Ok(one.clone()),
        [] => bail!(
            "there are no team reflections or actions yet. Give --team TEAM to choose a team."
        ),
        many => bail!(
            "there are reflections from {} teams: choose one with --team ({}), or see them all beside the ward total with --ward",
            many.len(),
            many.join(", ")
        ),
    }
}

/// Everything `joy huddle` shows or exports for one team and period: the
/// team questionnaire asked for, else what the team has answered (see
/// [`crate::team_view`], the one place a huddle is loaded).
pub fn load(
    settings: &Settings,
    store: &mut (impl TeamStore + ?Sized),
    team: &str,
    period: Period,
    questionnaire: Option<&str>,
    today: NaiveDate,
) -> Result<crate::team_view::TeamView> {
    let catalog = Catalog::load(&settings.questionnaire_dirs);
    let t = Thresholds::reader(&settings.huddle);
    let offered: Vec<Questionnaire> = catalog
        .entries
        .iter()
        .map(|e| e.questionnaire.clone())
        .collect();
    let only = match questionnaire {
        Some(id) => match offered.iter().find(|q| q.kind == Kind::Team && q.id == id) {
            Some(q) => Some(q.clone()),
            None => {
                let ids: Vec<&str> = offered
                    .iter()
                    .filter(|q| q.kind == Kind::Team)
                    .map(|q| q.id.as_str())
                    .collect();
                bail!(
                    "\"{id}\" is not a team questionnaire. Team questionnaires: {}",
                    ids.join(", ")
                )
            }
        },
        None => None,
    };
    Ok(crate::team_view::load(
        store,
        &offered,
        only.as_ref(),
        team,
        period,
        t,
        today,
    )?)
}

pub fn huddle(
    settings: &Settings,
    args: &HuddleArgs,
    today: NaiveDate,
    to_terminal: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    if let Some(p) = &args.period {
        // Refused before anything is opened.
        Period::parse(p)?;
    }
    if let Some(url) = &args.server {
        return server_huddle(settings, url, args, today, to_terminal, out);
    }
    let mut store = crate::data_commands::open_read(settings)?;
    let team = resolve_team(settings, &mut store, args.team.as_deref())?;
    let period = resolve_period(&mut store, &team, args.period.as_deref(), today)?;
    if args.export.is_none() && to_terminal {
        return open_screen(settings, store, &team, period, today).map(|()| ExitCode::SUCCESS);
    }
    minutes(
        settings,
        &mut store,
        &team,
        period,
        args,
        today,
        to_terminal,
        out,
    )
}

/// `joy huddle --server URL`: the same screen and minutes from the ward's
/// server (as its huddle role: released figures, counts and actions).
fn server_huddle(
    settings: &Settings,
    url: &str,
    args: &HuddleArgs,
    today: NaiveDate,
    to_terminal: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let addr = crate::store::pg::ServerAddress::given(url, settings.server.as_ref());
    let mut pg = crate::store::pg::PgStore::connect(&addr)?;
    let team = match &args.team {
        Some(t) => {
            let known = pg.teams(None)?;
            if known.is_empty() {
                // Not "any name goes": a login that reads no team yet is
                // told so, never shown an empty open period.
                bail!("{}", text::server_no_team_readable(t));
            }
            match_team(t, &known).map_err(|_| {
                // Not "add it to the config": the server has the teams,
                // and this login reads some of them.
                anyhow::anyhow!("{}", text::server_team_not_readable(t.trim(), &known))
            })?
        }
        None => match pg.teams(None)?.as_slice() {
            [one] => one.clone(),
            [] => bail!("the server has no team reflections or actions yet"),
            many => bail!(
                "the server has reflections from {} teams: choose one with --team ({})",
                many.len(),
                many.join(", ")
            ),
        },
    };
    let period = match &args.period {
        Some(p) => Period::parse(p)?,
        None => {
            let kind = pg.ward_settings(&[], crate::clock::now())?.kind;
            crate::team_view::default_period(&mut pg, &team, kind, today)?
        }
    };
    if args.export.is_none() && to_terminal {
        let mut state = huddle_state(settings, &team, period, today, crate::clock::now());
        crate::app::terminal::present(&mut state, Box::new(pg))?;
        return Ok(ExitCode::SUCCESS);
    }
    minutes(
        settings,
        &mut pg,
        &team,
        period,
        args,
        today,
        to_terminal,
        out,
    )
}

/// The huddle of `team` in `period` as minutes (markdown or CSV), to
/// standard output or `--out`.
#[allow(clippy::too_many_arguments)]
fn minutes(
    settings: &Settings,
    store: &mut (impl TeamStore + ?Sized),
    team: &str,
    period: Period,
    args: &HuddleArgs,
    today: NaiveDate,
    to_terminal: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let team = team.to_string();
    let crate::team_view::TeamView {
        huddles,
        mut actions,
    } = load(
        settings,
        store,
        &team,
        period,
        args.questionnaire.as_deref(),
        today,
    )?;
    // Minutes of a past period show the actions as they stood when its
    // huddle was over: the day before the next period's figures came out
    // (so actions agreed at the huddle are in its minutes, and later
    // changes are not).
    let as_of = huddle_export::minutes_as_of(period);
    if as_of < today {
        actions = store.actions_as_of(&team, as_of)?;
        order_actions(&mut actions, as_of);
    }
    let body = match args.export {
        Some(HuddleFormat::Csv) => huddle_export::to_csv(&team, &huddles, &actions, today)?,
        // Without --export and not to a terminal: the same content as text.
        Some(HuddleFormat::Md) | None => {
            huddle_export::to_markdown(&team, &huddles, &actions, today)
        }
    };
    match &args.out {
        Some(p) => {
            export::write_export(p, body.as_bytes(), &settings.db, args.force)?;
            eprintln!(
                "Wrote the huddle for {} to {}.",
                text::safe_for_terminal(&team),
                text::safe_for_terminal(&p.display().to_string())
            );
        }
        None if to_terminal || args.export.is_none() => {
            out.write_all(text::safe_for_terminal(&body.replace("\r\n", "\n")).as_bytes())?
        }
        None => out.write_all(body.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `joy huddle` on a terminal: the huddle screen.
fn open_screen(
    settings: &Settings,
    store: Store,
    team: &str,
    period: Period,
    today: NaiveDate,
) -> Result<()> {
    // Writable so actions can be recorded; a database that cannot be
    // written (read-only media) is still shown, and saving an action then
    // says why it could not.
    let store = match crate::data_commands::open_write_as_is(settings) {
        Ok(w) => w,
        Err(_) => store,
    };
    let mut state = huddle_state(settings, team, period, today, crate::clock::now());
    crate::app::terminal::present(&mut state, Box::new(store))
}

/// The app's state for the huddle screen of `team` in `period`.
pub fn huddle_state(
    settings: &Settings,
    team: &str,
    period: Period,
    today: NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
) -> crate::app::State {
    let catalog = Catalog::load(&settings.questionnaire_dirs);
    let team_qs: Vec<Questionnaire> = catalog
        .entries
        .into_iter()
        .map(|e| e.questionnaire)
        .filter(|q| q.kind == Kind::Team)
        .collect();
    let mut state = crate::app::State::new(Vec::new(), None, now);
    state.mode = crate::app::Mode::Huddle;
    state.screen = crate::app::Screen::Huddle;
    state.no_color = settings.no_color;
    state.local_support = settings.local_support.clone();
    let mut view = crate::app::huddle::HuddleView::new(
        team,
        period,
        team_qs,
        Thresholds::reader(&settings.huddle),
        today,
    );
    // Loaded as the screen opens; read again every REFRESH_SECS.
    view.loaded_at = Some(now);
    state.huddle = Some(view);
    state
}

/// `joy huddle --ward`: every team beside the ward total for one released
/// period (the last one, unless `--period` names another), per team
/// questionnaire released then (or the one asked for).
pub fn ward(
    settings: &Settings,
    args: &HuddleArgs,
    to_terminal: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let mut store = crate::data_commands::open_read(settings)?;
    let t = Thresholds::reader(&settings.huddle);
    let today = crate::clock::today_local();
    let period = match &args.period {
        Some(p) => {
            let p = Period::parse(p)?;
            if p.first_day() > today {
                bail!("{}", text::period_not_started(&p.to_string()));
            }
            if !p.closed_by(today) {
                bail!(
                    "{}",
                    text::period_still_open(&p.to_string(), p.release_day())
                );
            }
            p
        }
        None => match store.released_periods(crate::ward::WARD_TOTAL)?.first() {
            Some(p) => *p,
            None => bail!("{}", text::NO_WARD_RELEASE),
        },
    };
    let mut ids = store.released_questionnaires(crate::ward::WARD_TOTAL, period)?;
    if let Some(only) = &args.questionnaire {
        ids.retain(|id| id == only);
        if ids.is_empty() {
            bail!("nothing of \"{only}\" was released for {period}: run `joy huddle --ward` without --questionnaire to see what was");
        }
    }
    if ids.is_empty() {
        let last = store.released_periods(crate::ward::WARD_TOTAL)?;
        let last = last.first().map(ToString::to_string);
        bail!(
            "{}",
            text::ward_nothing_for(&period.to_string(), last.as_deref())
        );
    }
    let mut views = Vec::new();
    for id in ids {
        if let (Some(total), teams) = store.ward_releases(&id, period)? {
            views.push(crate::ward::view(&total, &teams, t));
        }
    }
    let body = match args.export {
        Some(HuddleFormat::Csv) => huddle_export::ward_csv(&views)?,
        Some(HuddleFormat::Md) | None => huddle_export::ward_markdown(&views),
    };
    match &args.out {
        Some(p) => {
            export::write_export(p, body.as_bytes(), &settings.db, args.force)?;
            eprintln!(
                "Wrote the ward view to {}.",
                text::safe_for_terminal(&p.display().to_string())
            );
        }
        None if to_terminal || args.export.is_none() => {
            out.write_all(text::safe_for_terminal(&body.replace("\r\n", "\n")).as_bytes())?
        }
        None => out.write_all(body.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `joy huddle release` and `joy huddle rules`: the ward admin's writes.
pub fn admin(
    settings: &Settings,
    action: crate::cli::HuddleAction,
    now: chrono::DateTime<chrono::Utc>,
    out: &mut impl Write,
) -> Result<ExitCode> {
    use crate::cli::HuddleAction;
    // `joy huddle rules` alone only reads: it never makes a database.
    let reads_only = matches!(&action, HuddleAction::Rules(r) if r.reads_only());
    let mut store = if reads_only {
        crate::data_commands::open_read(settings)?
    } else {
        crate::data_commands::open_write(settings)?
    };
    match action {
        HuddleAction::Release => {
            let catalog = Catalog::load(&settings.questionnaire_dirs);
            let offered: Vec<Questionnaire> = catalog
                .entries
                .into_iter()
                .map(|e| e.questionnaire)
                .collect();
            let t = Thresholds::from_settings(&settings.huddle);
            let report = store.release_closed(now, &offered, t)?;
            for (team, q, p) in &report.released {
                writeln!(out, "{}", text::released_line(team, q, &p.to_string()))?;
            }
            for (team, q, p) in &report.no_definition {
                writeln!(
                    out,
                    "{}",
                    text::release_no_definition(team, q, &p.to_string())
                )?;
            }
            let today = now.with_timezone(&store.time_zone()?).date_naive();
            let kind = store.period_kind_on(today)?;
            writeln!(
                out,
                "{}",
                text::release_summary(
                    report.released.len(),
                    Period::containing(kind, today).release_day()
                )
            )?;
        }
        HuddleAction::Rules(crate::cli::RulesArgs {
            min_group,
            min_group_text,
            period,
            time_zone,
            headcount,
            team,
        }) => {
            if let Some(z) = &time_zone {
                let Some(tz) = crate::store::release::parse_zone(z) else {
                    bail!("{}", text::unknown_time_zone(z));
                };
                store.set_time_zone(tz.name())?;
            }
            if let (Some(n), Some(t)) = (headcount, team.as_deref()) {
                let known = known_teams(settings, &mut store)?;
                let team = match_team(t, &known)?;
                store.set_headcount(&team, n as usize, now)?;
                writeln!(out, "{}", text::headcount_set(&team, n as usize))?;
            }
            let today = now.with_timezone(&store.time_zone()?).date_naive();
            if min_group.is_some() || min_group_text.is_some() {
                let current = store.team_rules()?;
                let rules = checked_rules(settings, current, min_group, min_group_text, &mut *out)?;
                let changed = store.set_team_rules(&rules, now)?;
                writeln!(
                    out,
                    "{}",
                    text::rules_changed(rules.min_group, rules.min_group_text, changed)
                )?;
            }
            if let Some(kind) = period {
                match store.set_period_kind(kind, today, now)? {
                    Some(from) => writeln!(
                        out,
                        "{}",
                        text::period_kind_from(kind.as_str(), from, from <= today)
                    )?,
                    None => writeln!(out, "{}", text::period_kind_unchanged(kind.as_str()))?,
                }
            }
            let rules = store.team_rules()?;
            let tz = store.time_zone()?;
            let kind = store.period_kind_on(today)?;
            let pending = store.pending_period_kind(today)?;
            writeln!(
                out,
                "{}",
                text::rules_summary(
                    rules.map(|r| (r.min_group, r.min_group_text)),
                    kind.as_str(),
                    pending.map(|(d, k)| (d, k.as_str())),
                    tz.name(),
                    settings.huddle.min_group
                )
            )?;
            // Every team with a staff number, with reflections yet or not.
            let mut teams = store.teams(None)?;
            for t in store.headcount_teams()? {
                if !teams.contains(&t) {
                    teams.push(t);
                }
            }
            teams.sort();
            for team in teams {
                if let Some(n) = store.headcount(&team)? {
                    writeln!(out, "{}", text::headcount_line(&team, n))?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The rules `--min-group` and `--min-group-text` ask for, on top of
/// `current` (the configuration's while none are recorded), checked: k at
/// least [`crate::anonymity::MIN_K`], both at most
/// [`crate::config::MAX_MIN_GROUP`], free text never below k. Shared by
/// `joy huddle rules` and `joy server rules`.
pub fn checked_rules(
    settings: &Settings,
    current: Option<crate::model::TeamRules>,
    min_group: Option<usize>,
    min_group_text: Option<usize>,
    out: &mut impl Write,
) -> Result<crate::model::TeamRules> {
    let now_rules = current.unwrap_or(crate::model::TeamRules {
        min_group: settings.huddle.min_group,
        min_group_text: settings.huddle.min_group_text,
    });
    let k = min_group.unwrap_or(now_rules.min_group);
    if k > crate::config::MAX_MIN_GROUP
        || min_group_text.is_some_and(|t| t > crate::config::MAX_MIN_GROUP)
    {
        bail!(
            "k and the free-text threshold are at most {}: a higher one would hide every ward's figures",
            crate::config::MAX_MIN_GROUP
        );
    }
    if k < crate::anonymity::MIN_K {
        bail!(
            "--min-group {k} is too small: k is at least {} so that no figure comes from one or two people",
            crate::anonymity::MIN_K
        );
    }
    if k == crate::anonymity::MIN_K {
        writeln!(out, "{}", text::SMALL_K)?;
    }
    let text_k = min_group_text.unwrap_or(now_rules.min_group_text.max(k));
    if text_k < k {
        bail!("--min-group-text {text_k} is below k ({k}): free text needs at least as many answers as any figure");
    }
    Ok(crate::model::TeamRules {
        min_group: k,
        min_group_text: text_k,
    })
}

fn date_arg(s: &str) -> Result<NaiveDate> {
    crate::period::parse_date(s).ok_or_else(|| {
        anyhow::anyhow!(
            "\"{s}\" is not a date: write it as YYYY-MM-DD or DD/MM/YYYY, e.g. 2026-12-01 or 01/12/2026"
        )
    })
}

fn text_arg(what: &str, s: &str, required: bool) -> Result<String> {
    // One line, as on the screen: line breaks, tabs and other control
    // characters become spaces.
    let flat = one_line(s);
    let t = flat.trim();
    if required && t.is_empty() {
        bail!("the {what} is empty: say what the team will do");
    }
    if t.chars().count() > MAX_ACTION_TEXT {
        bail!("the {what} is longer than {MAX_ACTION_TEXT} characters: shorten it");
    }
    Ok(t.to_string())
}

/// `s` with every control character (line breaks and tabs included) as a
/// space.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// One action as a line of `joy actions list` (one line, whatever an older
/// database holds).
pub fn action_line(a: &TeamAction, today: NaiveDate) -> String {
    let mut s = format!(
        "#{:<4} {:<10} {:<28} {}",
        a.id,
        one_line(&a.team),
        text::action_status(a, today),
        one_line(&a.action)
    );
    if !a.owner.is_empty() {
        s.push_str(&format!(" | owner: {}", one_line(&a.owner)));
    }
    if let Some(d) = a.review_on {
        s.push_str(&format!(" | review: {d}"));
    }
    if !a.pebble.is_empty() {
        s.push_str(&format!(" | pebble: {}", one_line(&a.pebble)));
    }
    if let Some(scope) = a.scope {
        s.push_str(&format!(" | {}", text::action_scope(scope)));
    }
    if !a.learned.is_empty() {
        s.push_str(&format!(" | learned: {}", one_line(&a.learned)));
    }
    s
}

pub fn actions(
    settings: &Settings,
    command: Option<ActionsCommand>,
    today: NaiveDate,
    out: &mut impl Write,
) -> Result<ExitCode> {
    match command.unwrap_or(ActionsCommand::List { team: None }) {
        ActionsCommand::List { team } => {
            let mut store = crate::data_commands::open_read(settings)?;
            let mut list = store.actions(team.as_deref())?;
            order_actions(&mut list, today);
            if list.is_empty() {
                say(out, text::HUDDLE_NO_ACTIONS)?;
            }
            for a in &list {
                say(out, &action_line(a, today))?;
            }
        }
        ActionsCommand::Add {
            team,
            action,
            owner,
            review,
            pebble,
            scope,
        } => {
            let review_on = review.as_deref().map(date_arg).transpose()?;
            if let Some(d) = review_on.filter(|d| *d < today) {
                bail!(
                    "the review date {d} has passed: give today ({today}) or a later date, e.g. --review {}",
                    today + chrono::Days::new(crate::app::huddle::REVIEW_AFTER_DAYS)
                );
            }
            let mut new = NewAction {
                team: text_arg("team", &team, true)?,
                action: text_arg("action", &action, true)?,
                owner: text_arg("owner", &owner, false)?,
                review_on,
                pebble: text_arg("pebble", &pebble, false)?,
                scope: scope.as_deref().map(scope_arg).transpose()?.flatten(),
            };
            let mut store = crate::data_commands::open_write_as_is(settings)?;
            let known = known_teams(settings, &mut store)?;
            new.team = match_team(&new.team, &known)?;
            let id = store.add_action(&new, today)?;
            say(out, &format!("Recorded action #{id} for {}.", new.team))?;
        }
        ActionsCommand::Update {
            id,
            status,
            owner,
            review,
            learned,
            action,
            pebble,
            scope,
        } => {
            let status = match status.as_deref() {
                None => None,
                Some(s) => Some(ActionStatus::parse(s).ok_or_else(|| {
                    anyhow::anyhow!("\"{s}\" is not a status: use open, testing, done or dropped")
                })?),
            };
            let review_on = match review.as_deref().map(str::trim) {
                None => None,
                Some("none") | Some("") => Some(None),
                Some(d) => Some(Some(date_arg(d)?)),
            };
            let change = ActionChange {
                action: action.map(|a| text_arg("action", &a, true)).transpose()?,
                owner: owner.map(|o| text_arg("owner", &o, false)).transpose()?,
                review_on,
                status,
                learned: learned
                    .map(|l| text_arg("learned note", &l, false))
                    .transpose()?,
                pebble: pebble.map(|p| text_arg("pebble", &p, false)).transpose()?,
                scope: scope.as_deref().map(scope_arg).transpose()?,
            };
            let mut store = crate::data_commands::open_write_as_is(settings)?;
            if !store.update_action(id, &change, today)? {
                bail!("there is no action #{id}. `joy actions list` shows their numbers.");
            }
            if let Some(a) = store.action(id)? {
                say(out, &action_line(&a, today))?;
            }
        }
        ActionsCommand::Undo { id } => {
            let mut store = crate::data_commands::open_write_as_is(settings)?;
            if store.action(id)?.is_none() {
                bail!("there is no action #{id}. `joy actions list` shows their numbers.");
            }
            if !store.undo_action(id, today)? {
                bail!("action #{id} has not been changed since it was recorded: nothing to undo.");
            }
            if let Some(a) = store.action(id)? {
                say(out, &action_line(&a, today))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// "team", "system" or "none" (clears it).
fn scope_arg(s: &str) -> Result<Option<crate::model::ActionScope>> {
    if s.trim().eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    crate::model::ActionScope::parse(s)
        .map(Some)
        .ok_or_else(|| anyhow::anyhow!("\"{s}\" is not a scope: use team (the team can remove it itself), system (it needs the wider system) or none"))
}
