//! The real terminal: set up (raw mode, alternate screen, mouse capture),
//! restore on every exit path (including panics and SIGHUP/SIGTERM), and the
//! crossterm event source.

use super::runner::run_loop;
use super::State;
use crate::config::Settings;
use crate::questionnaire::Catalog;
use crate::store::Store;
use anyhow::Context;
use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Restores the terminal when dropped, whatever way the app ends.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = execute!(std::io::stdout(), DisableMouseCapture);
        ratatui::restore();
    }
}

pub fn run(settings: &Settings) -> anyhow::Result<()> {
    // Everything that can fail before the screen changes, so errors print plainly.
    let catalog = Catalog::load(&settings.questionnaire_dirs);
    let mut store = Store::open(&settings.db)?;
    let me = store.local_respondent()?;
    let mut state = State::new(
        catalog
            .entries
            .into_iter()
            .map(|e| e.questionnaire)
            .collect(),
        Some(me),
        chrono::Utc::now(),
    );
    state.no_color = settings.no_color;
    if !catalog.failures.is_empty() {
        state.status = Some(crate::text::some_failed(catalog.failures.len()));
    }

    let stop = Arc::new(AtomicBool::new(false));
    for sig in [
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGINT,
    ] {
        signal_hook::flag::register(sig, Arc::clone(&stop))
            .context("cannot install signal handlers")?;
    }
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(std::io::stdout(), DisableMouseCapture);
        ratatui::restore();
        previous_hook(info);
    }));

    let mut terminal = ratatui::init();
    let _restore = Restore;
    execute!(std::io::stdout(), EnableMouseCapture).context("cannot enable the mouse")?;
    let result = run_loop(&mut terminal, &mut state, &mut store, || loop {
        if stop.load(Ordering::Relaxed) {
            return Ok(None);
        }
        match event::poll(Duration::from_millis(250)) {
            Ok(true) => return event::read().map(Some),
            Ok(false) => continue,
            // Input has gone (terminal closed): exit cleanly.
            Err(_) => return Ok(None),
        }
    });
    drop(_restore);
    result
}
