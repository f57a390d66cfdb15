//! The kiosk when it cannot use its database (damaged, truncated, not a
//! joy-kiosk file, from a newer version, read-only, or on a full disk at
//! start). A kiosk runs under a supervisor that restarts it: exiting with a
//! message would only flash it on screen between restarts, and a shell
//! might show through. So the kiosk takes the screen, says plainly that
//! check-ins are paused and why, keeps every key (nothing leaves it, as on
//! its other screens), never writes to the file, and tries again every
//! [`RETRY`]: once the database is put right (`joy restore`, a new file) it
//! opens its doors by itself. SIGTERM, SIGHUP and a closed terminal still
//! end it (the supervisor's stop).

use super::lifeline;
use super::runner::Input;
use super::terminal::restore_terminal;
use crate::config::Settings;
use crate::store::Store;
use anyhow::Context;
use ratatui::crossterm::event::Event;
use std::time::{Duration, Instant};

/// How often a kiosk that cannot use its database tries again.
pub const RETRY: Duration = Duration::from_secs(3);

/// Open the database for a kiosk: a store that can take writes, or why not
/// (the message a person or IT reads).
pub fn try_open(settings: &Settings) -> Result<Store, String> {
    let mut store = Store::open(&settings.db).map_err(|e| e.to_string())?;
    if let Some(e) = store.write_refusal("saving a check-in") {
        return Err(e.to_string());
    }
    // Without an admin PIN nobody could close the kiosk or see its admin
    // screen: the first person to try would learn there is none. It waits
    // here, saying how to set one, until one is set.
    match store.admin_pin_hash() {
        Ok(Some(_)) => Ok(store),
        Ok(None) => Err(crate::text::kiosk::no_admin_pin_paused(
            &settings.db.display().to_string(),
        )),
        Err(e) => Err(e.to_string()),
    }
}

/// The kiosk's store: at once when the database can be used, otherwise
/// after showing the paused screen until it can (see the module notes).
pub fn kiosk_store(settings: &Settings) -> anyhow::Result<Store> {
    match try_open(settings) {
        Ok(store) => Ok(store),
        Err(reason) => wait_on_screen(settings, reason),
    }
}

fn wait_on_screen(settings: &Settings, reason: String) -> anyhow::Result<Store> {
    wait_until(reason, &settings.local_support, settings.no_color, || {
        try_open(settings)
    })
}

/// Show the paused screen with `reason` (and the support lines), taking
/// every key without acting on it, and try `again` every [`RETRY`] until it
/// succeeds; its error is the next reason shown. Without a terminal the
/// reason goes to standard error at once.
pub fn wait_until<T>(
    mut reason: String,
    local_support: &[String],
    no_color: bool,
    mut again: impl FnMut() -> Result<T, String>,
) -> anyhow::Result<T> {
    if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        // No screen to show it on: the message goes to standard error.
        anyhow::bail!("{reason}");
    }
    lifeline::install(restore_terminal)?;
    let mut terminal = ratatui::try_init().context(crate::text::NEEDS_TERMINAL)?;
    let reader = super::reader::Reader::spawn().context("cannot read the terminal")?;
    let result = (|| loop {
        terminal.draw(|f| crate::ui::out_of_order::draw(f, &reason, local_support, no_color))?;
        let until = Instant::now() + RETRY;
        while Instant::now() < until {
            match reader.next(Duration::from_millis(250)) {
                // Every key, click and paste is taken and dropped; a resize
                // redraws.
                Input::Event(Event::Resize(..)) => {
                    terminal.draw(|f| {
                        crate::ui::out_of_order::draw(f, &reason, local_support, no_color)
                    })?;
                }
                Input::Event(_) | Input::Tick | Input::Done(_) => {}
                // Input has gone: nobody is there to read the screen.
                Input::End => anyhow::bail!("{reason}"),
            }
        }
        match again() {
            Ok(done) => return Ok(done),
            Err(now) => reason = now,
        }
    })();
    // The kiosk proper takes the terminal over again from a clean state,
    // with a reader of its own.
    drop(reader);
    restore_terminal();
    result
}
