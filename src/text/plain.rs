//! The words of the plain mode (`joy --plain`, and `TERM=dumb`): one line
//! at a time, read aloud by a screen reader or printed to a dumb terminal.
//! No arrows, boxes or colour: every instruction names what to type.

use crate::app::plain::Problem;

/// The first lines the plain mode prints.
pub const WELCOME: &str =
    "joy-kiosk, plain mode: one line at a time, for screen readers and simple terminals.\n\
Type what a line offers, then press Enter. Type ! for support or ? for help on any line.";

/// A screen's title line.
pub fn heading(title: &str) -> String {
    format!("== {title} ==")
}

pub const PROMPT: &str = "> ";
/// The prompt for the next line of a note.
pub const PROMPT_MORE: &str = "... ";

pub const KEYS_HOME: &str =
    "Type a number to start that check-in. h: history. t: trends. !: support. ?: help. q: quit.";
pub const KEYS_TEAM: &str = "Type the number of your team. <: back. !: support. q: quit.";
/// What to type on a question with options: skipping only where it may
/// be skipped, keeping only where there is an answer to keep.
pub fn keys_choice(required: bool, answered: bool) -> String {
    let mut s = String::from("Type the number of your answer, then Enter.");
    if !required {
        s.push_str(" -: skip this question.");
    }
    if answered {
        s.push_str(" Enter alone keeps your answer.");
    }
    s.push_str(" <: back. !: support. ?: help. q: quit.");
    s
}
pub const KEYS_MULTI: &str = "Type the numbers of every answer that fits, such as 1 3, then Enter. Words after the numbers are your \"Other\" answer. <: back. !: support. q: quit.";
pub const KEYS_TEXT: &str = "Type your answer on one line, then Enter. Enter alone keeps what is there; - clears it. < on its own: back. ! on its own: support. ? on its own: help. /quit: quit.";
pub const KEYS_NOTE: &str = "Type your note, then Enter. For several lines, end each line but the last with \\ (a backslash). Enter alone keeps what is there; - clears it. < on its own: back. ! on its own: support. ? on its own: help. /quit: quit.";
pub const KEYS_NUMBER: &str =
    "Type the number, then Enter. < on its own: back. ! on its own: support. q: quit.";
pub const KEYS_REVIEW: &str = "s or Enter: save. A number: change that answer. <: back to the last question. !: support. q: quit.";
pub const KEYS_REVIEW_NOTE: &str = "s or Enter: save. A number: change that answer. n: write a private note. <: back to the last question. !: support. q: quit.";
pub const KEYS_RESULT: &str = "Enter: home. h: history. t: trends. !: support. q: quit.";
pub const KEYS_RESULT_TEAM: &str = "Enter: home. !: support. q: quit.";
pub const KEYS_HISTORY: &str = "A number: show that check-in. n: next page. p: previous page. f: only the next questionnaire (then all). / and words: only check-ins whose note has them (/ alone: all). x: export all to a spreadsheet file. b: back up now. t: trends. Enter: home (with a search: all again). q: quit.";
pub const KEYS_DETAIL: &str =
    "Enter: back to the list. d: delete this check-in (asks first). !: support. q: quit.";
pub const KEYS_TRENDS: &str = "n: older rows. p: newer rows. s: the next score. w: another period. o: another questionnaire. h: history. Enter: home. q: quit.";
pub const KEYS_CONFIRM: &str = "y: yes. n: no.";

pub const HELP: &str =
    "Plain mode reads one line at a time. Each screen ends with a line saying what you can type.\n\
Numbers choose: an answer, a check-in, or a row. Single letters do the rest.\n\
Type ! on its own line at any time to see where to get support.\n\
Your answers are kept only in a private file on this computer.\n\
If things are hard, talk to your manager or occupational health.\n\
Samaritans: 116 123 (free, any time). NHS 111. 999 in an emergency.";

/// Marks an answer already given, beside its option.
pub const CHOSEN: &str = "(your answer)";
pub const TICKED: &str = "(ticked)";

/// "Other", as the last numbered row of a multiple-choice question.
pub fn other_row(typed: Option<&str>) -> String {
    match typed {
        Some(t) if !t.is_empty() => format!("Other: {t} {TICKED}"),
        _ => "Other: type it after the numbers".to_string(),
    }
}

/// The answer typed so far, under a typed question.
pub fn typed_so_far(typed: &str) -> String {
    format!("Your answer so far: {typed}")
}

pub fn at_most(max: usize) -> String {
    format!("At most {max} characters.")
}

/// Said when a question needs an answer first.
pub fn needs_answer(required: bool) -> &'static str {
    if required {
        "This question needs an answer: it is needed for your score."
    } else {
        "Type an answer, or - to skip this question."
    }
}

/// A search of the notes found nothing (plain mode has no Esc).
pub fn no_notes_with(words: &str) -> String {
    format!("No check-in has a note with \"{words}\". Type / alone to show them all again.")
}

/// A check-in's note in a History row: its first line (or the one that
/// holds the words searched for).
pub fn note_start(first_line: &str) -> String {
    format!(" · note: {first_line}")
}

/// Which score Trends shows, of how many (`s` for the next).
pub fn score_of(n: usize, total: usize) -> String {
    format!("score {n} of {total} (s: the next)")
}

/// A score in the alert band is shown: support is one line away.
pub const SUPPORT_NUDGE: &str =
    "[alert] This score is in the alert band: type ! to see where to get support.";

/// A line that changed nothing on this screen.
pub const NOTHING_CHANGED: &str = "Nothing more to show for that here.";

pub const ROWS_MORE: &str = "More check-ins: n for the next page.";

pub fn trends_more(n: usize) -> String {
    format!("{n} older rows: n to read them.")
}

/// The end of the input while a check-in was not saved.
pub const ENDED_UNSAVED: &str = "Input ended. The answers of this check-in were not saved.";

pub fn problem(p: &Problem) -> String {
    match p {
        Problem::NotAnOption(t) => {
            format!("\"{t}\" is not one of the answers. Type the number shown beside an answer.")
        }
        Problem::NotAListedNumber(n) => {
            format!("There is no row {n} here. Type one of the numbers shown.")
        }
        Problem::Unknown(t) => {
            format!(
                "\"{t}\" is not something this screen does. The line above says what you can type."
            )
        }
    }
}
