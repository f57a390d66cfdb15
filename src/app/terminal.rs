//! The real terminal: set up (raw mode, alternate screen, mouse capture),
//! restore on every exit path (including panics and SIGHUP/SIGTERM), and the
//! crossterm event source.

use super::lifeline;
use super::runner::run_loop;
use super::State;
use crate::config::Settings;
use crate::questionnaire::Catalog;
use crate::store::Store;
use anyhow::Context;
use ratatui::crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::execute;

/// Put the terminal back as it was: mouse and paste reporting off, main
/// screen, cursor shown, cooked mode. Safe from any thread, more than once,
/// and when the terminal has gone (writes then fail and are ignored).
///
/// The escape codes are written straight to file descriptor 1, not through
/// `std::io::stdout()`: its lock may be held by the thread that is being
/// interrupted, and a signal thread waiting for it would never restore.
pub fn restore_terminal() {
    use ratatui::crossterm::{cursor::Show, terminal::LeaveAlternateScreen, Command};
    let mut codes = String::new();
    let _ = DisableBracketedPaste.write_ansi(&mut codes);
    let _ = DisableMouseCapture.write_ansi(&mut codes);
    let _ = LeaveAlternateScreen.write_ansi(&mut codes);
    let _ = Show.write_ansi(&mut codes);
    let mut rest = codes.as_bytes();
    while !rest.is_empty() {
        // SAFETY: writing from a valid buffer of the given length.
        let n = unsafe { libc::write(libc::STDOUT_FILENO, rest.as_ptr().cast(), rest.len()) };
        if n <= 0 {
            break;
        }
        rest = &rest[n as usize..];
    }
    let _ = ratatui::crossterm::terminal::disable_raw_mode();
}

/// Clear the terminal's scrollback (`ESC [ 3 J`), written straight to the
/// terminal like [`restore_terminal`]; what is on screen is cleared by the
/// next full draw.
pub fn purge_scrollback() {
    let codes = b"\x1b[3J";
    // SAFETY: writing from a valid buffer of the given length.
    let _ = unsafe { libc::write(libc::STDOUT_FILENO, codes.as_ptr().cast(), codes.len()) };
}

/// Restores the terminal when dropped, whatever way the app ends.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// "file:line:column: " of a questionnaire id in the config file's
/// `[kiosk]` questionnaires list (empty if it cannot be found).
fn where_in_config(settings: &Settings, id: &str) -> String {
    let Some(path) = settings.config_file.as_ref() else {
        return String::new();
    };
    let Ok(text) = std::fs::read_to_string(path) else {
        return format!("{}: ", path.display());
    };
    let from = text.find("[kiosk]").unwrap_or(0);
    let list = text[from..]
        .find("questionnaires")
        .map_or(from, |i| from + i);
    match text[list..].find(&format!("\"{id}\"")) {
        Some(i) => {
            let (line, column) = crate::questionnaire::load::line_col(&text, list + i);
            format!("{}:{line}:{column}: ", path.display())
        }
        None => format!("{}: ", path.display()),
    }
}

/// `joy`: the personal app.
pub fn run(settings: &Settings) -> anyhow::Result<()> {
    run_mode(settings, None)
}

/// `joy kiosk`: the shared ward terminal.
/// The questionnaires a kiosk offers: the configured ones, in that order
/// (all when none are named); an unknown id is an error at its place in
/// the configuration file.
fn offered(
    settings: &Settings,
    mut questionnaires: Vec<crate::questionnaire::Questionnaire>,
) -> Result<Vec<crate::questionnaire::Questionnaire>, String> {
    if settings.kiosk.questionnaires.is_empty() {
        return Ok(questionnaires);
    }
    let known: Vec<String> = questionnaires.iter().map(|q| q.id.clone()).collect();
    let mut offered = Vec::new();
    for id in &settings.kiosk.questionnaires {
        let Some(i) = questionnaires.iter().position(|q| &q.id == id) else {
            return Err(format!(
                "{}{}",
                where_in_config(settings, id),
                crate::text::kiosk::unknown_questionnaire(id, &known.join(", "))
            ));
        };
        offered.push(questionnaires.remove(i));
    }
    Ok(offered)
}

/// Check a kiosk's configured questionnaires before it starts.
pub fn kiosk_questionnaires(settings: &Settings) -> Result<(), String> {
    let catalog = Catalog::load(&settings.questionnaire_dirs);
    offered(
        settings,
        catalog
            .entries
            .into_iter()
            .map(|e| e.questionnaire)
            .collect(),
    )
    .map(|_| ())
}

pub fn run_kiosk(settings: &Settings) -> anyhow::Result<()> {
    run_mode(
        settings,
        Some(super::kiosk::KioskConfig::from_settings(settings)),
    )
}

fn run_mode(settings: &Settings, kiosk: Option<super::kiosk::KioskConfig>) -> anyhow::Result<()> {
    let (mut state, store) = open_mode(settings, kiosk)?;
    present(&mut state, Box::new(store))
}

/// `joy --plain` (and `TERM=dumb`, or no terminal): the personal app one
/// line at a time on standard input and output (see [`super::plain`]).
pub fn run_plain(settings: &Settings) -> anyhow::Result<()> {
    let (mut state, mut store) = open_mode(settings, None)?;
    state.no_color = true;
    super::plain::run(
        &mut state,
        &mut store,
        std::io::stdin().lock(),
        std::io::stdout().lock(),
        crate::clock::now,
        !std::io::IsTerminal::is_terminal(&std::io::stdin()),
    )
}

/// The app's state and store, opened as the mode needs them, with what to
/// say first on the status line.
fn open_mode(
    settings: &Settings,
    kiosk: Option<super::kiosk::KioskConfig>,
) -> anyhow::Result<(State, Store)> {
    // Everything that can fail before the screen changes, so errors print plainly.
    let catalog = Catalog::load(&settings.questionnaire_dirs);
    let is_new = !settings.db.exists();
    let mut questionnaires: Vec<_> = catalog
        .entries
        .into_iter()
        .map(|e| e.questionnaire)
        .collect();
    if kiosk.is_some() {
        questionnaires = offered(settings, questionnaires).map_err(anyhow::Error::msg)?;
    }
    // A kiosk that cannot use its database shows so and waits, rather than
    // exiting into its supervisor's restart loop (see `out_of_order`).
    let mut store_notice: Option<String> = None;
    let mut store = match kiosk {
        Some(_) => super::out_of_order::kiosk_store(settings)?,
        None => Store::open(&settings.db)?,
    };
    if kiosk.is_some() && settings.server.is_none() {
        // The kiosk is its ward's writer: its configuration's k and text
        // threshold become the ward's rules in the store (recorded with
        // the date when they change), which every reader then keeps to.
        // With a ward's server, the server alone holds them.
        let rules = crate::model::TeamRules {
            min_group: settings.huddle.min_group,
            min_group_text: settings.huddle.min_group_text,
        };
        let rules = settings.huddle.rules_stated.then_some(rules);
        let kind = settings
            .huddle
            .period_stated
            .then_some(settings.huddle.period);
        if let Err(e) = record_config_rules(&mut store, rules.as_ref(), kind) {
            store_notice = Some(e.to_string());
        }
    }
    if kiosk.is_some() {
        // With a ward's server configured, every anonymous entry is kept
        // in the outbox (and nowhere else) until the server has it.
        if let Err(e) = store.set_outbox(settings.server.is_some()) {
            store_notice = Some(e.to_string());
        }
    }
    let mut state = match kiosk {
        Some(config) => {
            // The dummy hash for unknown codes is made now, so the first
            // unknown code takes no longer than any other.
            crate::kiosk::pin::prepare_dummy();
            State::kiosk(questionnaires, config, crate::clock::now())
        }
        None => {
            // A file that is no database at all fails here: say it is
            // damaged and what to do, not SQLite's bare words.
            let me = store
                .local_respondent()
                .map_err(|e| store.write_refusal("creating your history").unwrap_or(e))?;
            match (&settings.server, settings.kiosk.teams.is_empty()) {
                (Some(server), false) => {
                    // The person's team reflections go to their team's
                    // server, kept only in the outbox until it has them.
                    store.set_outbox(true)?;
                    State::personal_with_team_server(
                        questionnaires,
                        Some(me),
                        settings.kiosk.teams.clone(),
                        server.clone(),
                        crate::clock::now(),
                    )
                }
                _ => State::personal(questionnaires, Some(me), crate::clock::now()),
            }
        }
    };
    state.no_color = settings.no_color;
    state.teams = settings.kiosk.teams.clone();
    state.reflections = settings.huddle;
    state.local_support = settings.local_support.clone();
    state.reminders = settings.reminders.clone();
    if state.kiosk.is_none() {
        // History's export writes here: the person's documents folder.
        state.export_dir = Some(export_folder(settings));
    }
    let mut notes = store.take_notices();
    notes.extend(store_notice);
    if is_new && !settings.db_is_default {
        // A mistyped --db must not look like lost history.
        notes.push(crate::text::new_database(
            &settings.db.display().to_string(),
        ));
    }
    if let Some(d) = store.damage() {
        notes.push(crate::text::damaged_notice(
            &settings.db.display().to_string(),
            d,
        ));
    } else if let Some(refused) = store.write_refusal("saving a check-in") {
        // A read-only file: said at the start, not only when a save fails.
        notes.push(refused.to_string());
    }
    if !catalog.failures.is_empty() {
        notes.push(crate::text::some_failed(catalog.failures.len()));
    }
    if !notes.is_empty() {
        state.status = Some(notes.join(" "));
    }
    Ok((state, store))
}

/// Where the personal app's export goes: the documents folder (as the
/// platform names it), else the home folder, else beside the history.
pub fn export_folder(settings: &Settings) -> std::path::PathBuf {
    let user = directories::UserDirs::new();
    user.as_ref()
        .and_then(|u| u.document_dir().filter(|d| d.is_dir()))
        .or_else(|| user.as_ref().map(|u| u.home_dir()).filter(|d| d.is_dir()))
        .map(|d| d.to_path_buf())
        .or_else(|| settings.db.parent().map(|p| p.to_path_buf()))
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or_else(|| std::path::PathBuf::from("."))
}

/// Take over the terminal and run the app on `state` until it quits (used
/// by the personal app and by `joy huddle`).
pub fn present(
    state: &mut State,
    store: Box<dyn crate::store::Storage + Send>,
) -> anyhow::Result<()> {
    if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        anyhow::bail!(crate::text::NEEDS_TERMINAL);
    }
    // Signals and a vanished terminal end the process from their own
    // threads, whatever the input loop below is doing (see `lifeline`).
    lifeline::install(restore_terminal).context("cannot install signal handlers")?;
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        previous_hook(info);
    }));

    let mut terminal = ratatui::try_init().context(crate::text::NEEDS_TERMINAL)?;
    let _restore = Restore;
    execute!(std::io::stdout(), EnableMouseCapture, EnableBracketedPaste)
        .context("cannot enable the mouse and bracketed paste")?;
    // Input is read on its own thread; this one only waits on it with a
    // timeout, so time passes whatever the terminal sends (see `reader`).
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = super::reader::tty_fd()
        .and_then(|fd| super::reader::Reader::spawn_into(fd, tx.clone()))
        .context("cannot read the terminal")?;
    let result = run_loop(&mut terminal, state, store, tx, rx);
    drop(reader);
    drop(_restore);
    result
}

/// Setting key: the rules the kiosk last recorded from its configuration.
pub const CONFIG_RULES_SETTING: &str = "kiosk.config_rules";

/// Record what the kiosk configuration's `[huddle]` section states (k and
/// text threshold, period kind) as the ward's rules, when the
/// configuration has changed since it last did: a change made since on
/// the admin screen or with `joy huddle rules` stays until the
/// configuration itself changes, and a configuration that states nothing
/// records nothing (the defaults never overwrite the ward's rules).
fn record_config_rules(
    store: &mut Store,
    rules: Option<&crate::model::TeamRules>,
    kind: Option<crate::period::PeriodKind>,
) -> crate::store::Result<()> {
    if rules.is_none() && kind.is_none() {
        return Ok(());
    }
    let stamp = format!(
        "{},{}",
        rules.map_or("-".to_string(), |r| format!(
            "{},{}",
            r.min_group, r.min_group_text
        )),
        kind.map_or("-", |k| k.as_str())
    );
    if store.setting(CONFIG_RULES_SETTING)?.as_deref() == Some(stamp.as_str()) {
        return Ok(());
    }
    let now = crate::clock::now();
    if let Some(rules) = rules {
        store.set_team_rules(rules, now)?;
    }
    if let Some(kind) = kind {
        let today = now.with_timezone(&store.time_zone()?).date_naive();
        store.set_period_kind(kind, today, now)?;
    }
    store.set_setting(CONFIG_RULES_SETTING, &stamp)
}

#[cfg(test)]
mod rules_tests {
    use super::*;
    use crate::model::TeamRules;
    use crate::period::PeriodKind;

    #[test]
    fn the_kiosk_records_its_config_only_when_the_config_changed() {
        let mut s = Store::open_in_memory().unwrap();
        let r = |k| TeamRules {
            min_group: k,
            min_group_text: k,
        };
        // A configuration that states nothing records nothing.
        record_config_rules(&mut s, None, None).unwrap();
        assert_eq!(s.team_rules().unwrap(), None);
        record_config_rules(&mut s, Some(&r(5)), Some(PeriodKind::Week)).unwrap();
        assert_eq!(s.team_rules().unwrap(), Some(r(5)));
        // The admin raises k with `joy huddle rules`; the kiosk restarts
        // with the same configuration: the admin's k stays.
        s.set_team_rules(&r(7), chrono::Utc::now()).unwrap();
        record_config_rules(&mut s, Some(&r(5)), Some(PeriodKind::Week)).unwrap();
        assert_eq!(s.team_rules().unwrap(), Some(r(7)));
        // The configuration itself changes: it is recorded.
        record_config_rules(&mut s, Some(&r(6)), Some(PeriodKind::Week)).unwrap();
        assert_eq!(s.team_rules().unwrap(), Some(r(6)));
        // A change of kind made with the command is kept by a kiosk whose
        // configuration states k only.
        let today = chrono::Utc::now().date_naive();
        s.set_period_kind(PeriodKind::Month, today, chrono::Utc::now())
            .unwrap();
        record_config_rules(&mut s, Some(&r(8)), None).unwrap();
        assert_eq!(s.team_rules().unwrap(), Some(r(8)));
        assert_eq!(
            s.pending_period_kind(today).unwrap().map(|(_, k)| k),
            Some(PeriodKind::Month),
            "the change to come stays"
        );
    }
}
