//! The plain mode: the personal app one line at a time, for screen readers
//! and dumb terminals (`joy --plain`, chosen by itself under `TERM=dumb` or
//! when standard input or output is not a terminal).
//!
//! Not a second copy of the flow: each line read becomes the same
//! [`Action`]s a key or a click would, fed to the same [`super::update`]
//! through [`super::runner::dispatch`]; only drawing differs (the screen is
//! printed as lines by [`crate::ui::plain`]). So scoring, saving, support
//! and history are the full app's own.

use super::checkin::{choices, digits_are_values, has_other, key_label};
use super::runner::dispatch;
use super::{Action, Screen, State};
use crate::questionnaire::{AnswerValue, Question, QuestionKind};
use crate::store::Storage;
use chrono::{DateTime, Utc};
use std::io::{BufRead, Write};

/// Why a line did nothing (said, then the same screen asks again).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A word that is none of a question's answers.
    NotAnOption(String),
    /// A number with no row here.
    NotAListedNumber(usize),
    /// Something this screen does not do.
    Unknown(String),
}

/// Should the app run in plain mode? Asked for (`--plain`), or a terminal
/// that cannot show screens (`TERM=dumb`), or input or output that is not
/// a terminal at all (a pipe, a file, a screen reader's own console).
pub fn chosen(asked: bool, term: Option<&str>, stdin_tty: bool, stdout_tty: bool) -> bool {
    asked || term == Some("dumb") || !stdin_tty || !stdout_tty
}

/// The key that chooses option `i` of `q` in plain mode: the option's value
/// where digits are values on screen too (a scale of 0-9, a listed
/// number), else its position from 1 (not cut at ten, as keys are).
pub fn option_key(q: &Question, i: usize) -> String {
    if matches!(q.kind, QuestionKind::Number { .. }) {
        return choices(q)
            .get(i)
            .map(|c| c.label.clone())
            .unwrap_or_default();
    }
    if digits_are_values(q) {
        return key_label(q, i);
    }
    (i + 1).to_string()
}

/// The option of `q` that `word` names: by its key, else by its label.
fn option_of(q: &Question, word: &str) -> Option<usize> {
    let rows = choices(q);
    (0..rows.len())
        .find(|&i| option_key(q, i) == word)
        .or_else(|| {
            rows.iter()
                .position(|c| c.label.trim().eq_ignore_ascii_case(word.trim()))
        })
}

/// The actions one line of input stands for, on the screen shown now.
pub fn actions(state: &State, line: &str) -> Result<Vec<Action>, Problem> {
    let line = line.trim_end_matches(['\r', '\n']);
    let word = line.trim();
    if state.confirm.is_some() {
        return Ok(match word.to_lowercase().as_str() {
            "y" | "yes" => vec![Action::Yes],
            "n" | "no" | "" | "<" => vec![Action::No],
            _ => return Err(Problem::Unknown(word.to_string())),
        });
    }
    if state.screen == Screen::Question {
        return question(state, line);
    }
    // Everywhere else: a few words, the same on every screen.
    match word {
        "!" => return Ok(vec![Action::Support]),
        "?" => return Ok(vec![Action::Help]),
        "q" | "/quit" => return Ok(vec![Action::Quit]),
        _ => {}
    }
    let number = word.parse::<usize>().ok();
    let pick = |n: usize, len: usize| match n.checked_sub(1) {
        Some(i) if i < len => Ok(vec![Action::Pick(i)]),
        _ => Err(Problem::NotAListedNumber(n)),
    };
    let unknown = || Err(Problem::Unknown(word.to_string()));
    match state.screen {
        Screen::Home => match (word, number) {
            (_, Some(n)) => pick(n, state.questionnaires.len()),
            ("h", _) => Ok(vec![Action::OpenHistory]),
            ("t", _) => Ok(vec![Action::OpenTrends]),
            ("", _) => Ok(vec![]),
            _ => unknown(),
        },
        Screen::Team => match (word, number) {
            (_, Some(n)) => pick(n, super::kiosk::team_rows(state)),
            ("<" | "b", _) => Ok(vec![Action::Back]),
            ("", _) => Ok(vec![]),
            _ => unknown(),
        },
        Screen::Review => {
            let rows = state
                .session
                .checkin
                .as_ref()
                .map(|c| c.visible(&state.questionnaires[c.questionnaire]).len())
                .unwrap_or(0);
            match (word, number) {
                (_, Some(n)) => pick(n, rows),
                ("" | "s", _) => Ok(vec![Action::Save]),
                ("n", _) => Ok(vec![Action::Note]),
                ("<" | "b", _) => Ok(vec![Action::Back]),
                _ => unknown(),
            }
        }
        Screen::Result => match word {
            "" | "b" | "<" => Ok(vec![Action::Confirm]),
            "h" => Ok(vec![Action::OpenHistory]),
            "t" => Ok(vec![Action::OpenTrends]),
            _ => unknown(),
        },
        // "/ words": only check-ins whose note holds them ("/" alone: all).
        Screen::History if word.starts_with('/') => Ok(vec![
            Action::Search,
            Action::Type(word[1..].trim().to_string()),
            Action::Confirm,
        ]),
        Screen::History => match (word, number) {
            (_, Some(n)) => match n.checked_sub(1) {
                Some(i) if state.session.history.get(i).is_some() => Ok(vec![Action::Pick(i)]),
                _ => Err(Problem::NotAListedNumber(n)),
            },
            ("n", _) => Ok(vec![Action::PageDown]),
            ("p", _) => Ok(vec![Action::PageUp]),
            ("f", _) => Ok(vec![Action::Filter]),
            ("t", _) => Ok(vec![Action::OpenTrends]),
            // Deleting is from the check-in itself (its number, then d):
            // here no row is "current" for someone who cannot see a cursor.
            ("x", _) => Ok(vec![Action::Export]),
            ("b" | "backup", _) => Ok(vec![Action::Backup]),
            ("" | "<", _) => Ok(vec![Action::Back]),
            _ => unknown(),
        },
        Screen::Detail => match word {
            "" | "b" | "<" => Ok(vec![Action::Back]),
            "d" => Ok(vec![Action::Delete]),
            _ => unknown(),
        },
        Screen::Trends => match word {
            "n" => Ok(vec![Action::PageDown]),
            "p" => Ok(vec![Action::PageUp]),
            "s" => Ok(vec![Action::NextScore]),
            "w" => Ok(vec![Action::NextPeriod]),
            "o" => Ok(vec![Action::NextQuestionnaire]),
            "h" => Ok(vec![Action::OpenHistory]),
            "" | "b" | "<" => Ok(vec![Action::Back]),
            _ => unknown(),
        },
        // The kiosk's and the huddle's screens are never plain.
        _ => unknown(),
    }
}

/// A line on a question: an answer, or one of the few words.
fn question(state: &State, line: &str) -> Result<Vec<Action>, Problem> {
    let Some(c) = state.session.checkin.as_ref() else {
        return Ok(vec![Action::Back]);
    };
    let q = &state.questionnaires[c.questionnaire];
    let question = c.question(q);
    let word = line.trim();
    let rows = choices(question);
    let typed = rows.is_empty() && !matches!(question.kind, QuestionKind::Multi { .. });
    // On a typed answer the whole line is the answer, but for lines that
    // are exactly one of these.
    match word {
        "!" => return Ok(vec![Action::Support]),
        "?" => return Ok(vec![Action::Help]),
        "<" => return Ok(vec![Action::Back]),
        "/quit" => return Ok(vec![Action::Quit]),
        "q" | "b" if !typed => {
            return Ok(vec![if word == "q" {
                Action::Quit
            } else {
                Action::Back
            }])
        }
        "" => return Ok(vec![Action::Confirm]),
        _ => {}
    }
    if typed {
        let answer = if word == "-" { "" } else { line };
        return Ok(vec![Action::Type(answer.to_string()), Action::Confirm]);
    }
    if word == "-" {
        return Ok(vec![Action::Skip]);
    }
    if !matches!(question.kind, QuestionKind::Multi { .. }) {
        return match option_of(question, word) {
            Some(i) => Ok(vec![Action::Pick(i)]),
            None => Err(Problem::NotAnOption(word.to_string())),
        };
    }
    // Multiple choice: exactly the options named are ticked (each one
    // that differs is toggled, as a click would); words after them are
    // "Other".
    let mut wanted = Vec::new();
    let mut other: Vec<&str> = Vec::new();
    for w in word.split([' ', ',']).filter(|w| !w.is_empty()) {
        match option_of(question, w) {
            Some(i) if other.is_empty() => wanted.push(i),
            _ if has_other(question) => other.push(w),
            _ => return Err(Problem::NotAnOption(w.to_string())),
        }
    }
    let ticked: Vec<usize> = match c.answers.get(&question.id) {
        Some(AnswerValue::Multi { values, .. }) => rows
            .iter()
            .enumerate()
            .filter(|(_, r)| values.contains(&r.value))
            .map(|(i, _)| i)
            .collect(),
        _ => Vec::new(),
    };
    let mut out: Vec<Action> = (0..rows.len())
        .filter(|i| wanted.contains(i) != ticked.contains(i))
        .map(Action::Pick)
        .collect();
    let had_other = matches!(
        c.answers.get(&question.id),
        Some(AnswerValue::Multi { other: Some(_), .. })
    );
    if !other.is_empty() || had_other {
        // To the "Other" row, and its text as typed now (none: cleared).
        out.push(Action::Pick(rows.len()));
        out.push(Action::Type(other.join(" ")));
    }
    out.push(Action::Confirm);
    Ok(out)
}

/// Run the personal app on `state` in plain mode: read `input` line by
/// line until `q` or its end, printing each screen to `out` as plain text.
/// With `echo` (input that is not a terminal, which echoes it already) each
/// line read is printed after the prompt, so the output reads as a
/// transcript.
pub fn run(
    state: &mut State,
    store: &mut dyn Storage,
    input: impl BufRead,
    mut out: impl Write,
    clock: impl Fn() -> DateTime<Utc>,
    echo: bool,
) -> anyhow::Result<()> {
    // Trends are read as their table of dated values, never drawn.
    state.session.trends.table = true;
    state.size = (80, 24);
    writeln!(out, "{}", crate::text::plain::WELCOME)?;
    let now = clock();
    dispatch(
        state,
        store,
        Action::Loaded(super::Loaded::Home(Vec::new())),
        now,
    );
    let effects = super::go_home(state);
    super::runner::run_effects(state, store, effects, now);
    // The first tick: the database's full check, then the day's job.
    dispatch(state, store, Action::Tick, now);
    let mut shown: Vec<String> = Vec::new();
    let mut lines = input.lines();
    // What the last line did: nothing yet, a refusal (said already; the
    // screen's old notes are not said again), or actions.
    let mut last: Option<bool> = None;
    loop {
        let view = crate::ui::plain::view(state);
        if view.body != shown {
            for l in &view.body {
                writeln!(out, "{}", crate::text::safe_for_terminal(l))?;
            }
            shown = view.body;
        } else if last == Some(true) && view.notes.is_empty() {
            // A line that changed nothing is told so, never met by silence.
            writeln!(out, "{}", crate::text::plain::NOTHING_CHANGED)?;
        }
        if last != Some(false) {
            for l in &view.notes {
                writeln!(out, "{}", crate::text::safe_for_terminal(l))?;
            }
        }
        if state.support || state.help {
            // Read out once; the screen under it comes back.
            dispatch(state, store, Action::Back, clock());
            continue;
        }
        writeln!(out, "{}", view.keys)?;
        write!(out, "{}", crate::text::plain::PROMPT)?;
        out.flush()?;
        let Some(line) = lines.next() else {
            writeln!(out)?;
            if state.has_unsaved() {
                writeln!(out, "{}", crate::text::plain::ENDED_UNSAVED)?;
            }
            break;
        };
        let mut line = line?;
        if echo {
            writeln!(out, "{}", crate::text::safe_for_terminal(&line))?;
        }
        // A note of several lines: each line but the last ends with "\\".
        let note = state
            .session
            .checkin
            .as_ref()
            .is_some_and(|c| state.screen == Screen::Question && c.multiline);
        while note && line.ends_with('\\') {
            line.pop();
            line.push('\n');
            write!(out, "{}", crate::text::plain::PROMPT_MORE)?;
            out.flush()?;
            let Some(more) = lines.next() else { break };
            let more = more?;
            if echo {
                writeln!(out, "{}", crate::text::safe_for_terminal(&more))?;
            }
            line.push_str(&more);
        }
        match actions(state, &line) {
            Ok(actions) => {
                last = Some(!actions.is_empty());
                for action in actions {
                    dispatch(state, store, action, clock());
                    if state.quit {
                        break;
                    }
                }
            }
            Err(p) => {
                last = Some(false);
                writeln!(out, "{}", crate::text::plain::problem(&p))?
            }
        }
        if state.quit {
            break;
        }
        // Time passes between lines: the day's jobs.
        dispatch(state, store, Action::Tick, clock());
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_mode_is_chosen_by_flag_dumb_terminal_or_no_terminal() {
        assert!(chosen(true, Some("xterm"), true, true));
        assert!(chosen(false, Some("dumb"), true, true));
        assert!(chosen(false, Some("xterm"), false, true));
        assert!(chosen(false, Some("xterm"), true, false));
        assert!(!chosen(false, Some("xterm-256color"), true, true));
        assert!(!chosen(false, None, true, true));
    }
}
