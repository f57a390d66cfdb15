//! User-facing text, kept in one place so wording can be reviewed (and one
//! day translated) without reading code.

pub fn no_score(missing: usize, total: usize, max_missing: usize) -> String {
    if missing == total {
        "No score: none of its questions were answered.".to_string()
    } else {
        let were = if missing == 1 { "was" } else { "were" };
        format!(
            "No score: {missing} of its {total} questions {were} not answered, and at most {max_missing} may be left out."
        )
    }
}

use crate::questionnaire::{fmt_number, Outcome, Questionnaire, Tone};

/// A tone as words, so meaning never rests on colour alone.
pub fn tone_word(t: Tone) -> &'static str {
    match t {
        Tone::Good => "[good]",
        Tone::Caution => "[caution]",
        Tone::Alert => "[alert]",
    }
}

/// The tone as a plain word, for markdown (where brackets are markup).
pub fn tone_plain(t: Tone) -> &'static str {
    match t {
        Tone::Good => "good",
        Tone::Caution => "caution",
        Tone::Alert => "alert",
    }
}

pub fn tone_word_str(t: Option<&str>) -> &'static str {
    t.and_then(Tone::parse).map(tone_word).unwrap_or("")
}

/// "1 score", "4 files": a count with the right form of its noun.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Heading before a trust's own support lines (from `[support]` in joy.toml).
pub const LOCAL_SUPPORT_HEADING: &str = "Support from your organisation:";

/// The support to show, line by line: the questionnaire's signposting texts
/// (from [`Outcome::signposting`]), then the trust's local support lines
/// (`Settings::local_support`) under their own heading. Nothing when there
/// is no signposting to show: local lines go *with* signposting.
pub fn support_lines(signposting: &[&str], local: &[String]) -> Vec<String> {
    if signposting.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<String> = signposting
        .iter()
        .flat_map(|t| t.lines())
        .map(str::to_string)
        .collect();
    if !local.is_empty() {
        out.push(LOCAL_SUPPORT_HEADING.to_string());
        out.extend(local.iter().map(|l| format!("- {l}")));
    }
    out
}

/// The plain-text report printed by `joy score`, with the trust's local
/// support lines after the signposting.
pub fn outcome_report(q: &Questionnaire, o: &Outcome, local_support: &[String]) -> String {
    let mut s = format!("{} ({}, {})\n", q.title, q.id, version_words(&q.version));
    if o.scores.is_empty() {
        s.push_str("\nThis questionnaire has no scores.\n");
    }
    for r in &o.scores {
        s.push('\n');
        match (r.value, r.raw) {
            (Some(v), Some(raw)) => {
                s.push_str(&format!("{}: {}", r.label, fmt_number(v)));
                if (raw - v).abs() > 1e-9 {
                    s.push_str(&format!(" (raw {})", fmt_number(raw)));
                }
                s.push_str(&format!(
                    "   range {} to {}\n",
                    fmt_number(r.range.0),
                    fmt_number(r.range.1)
                ));
            }
            _ => s.push_str(&format!("{}: no score\n", r.label)),
        }
        if let Some(note) = &r.note {
            s.push_str(&format!("  {note}\n"));
        }
        if let Some(b) = &r.band {
            s.push_str(&format!(
                "  Band: {} {}\n  {}\n",
                b.label,
                tone_word(b.tone),
                b.message
            ));
        }
    }
    if let Some(f) = &o.focus {
        s.push_str(&format!(
            "\n{}\n  {}\n  {}\n",
            f.heading,
            focus_lowest(&f.label),
            f.message
        ));
    }
    if !o.flags.is_empty() {
        s.push_str("\nItem flags:\n");
        for f in &o.flags {
            s.push_str(&format!("  ! {} {}\n", f.message, tone_word(f.tone)));
            for a in &f.answers {
                s.push_str(&format!("    - {}: {}\n", a.text, a.answer));
            }
        }
    }
    let support = support_lines(&o.signposting(q), local_support);
    if !support.is_empty() {
        s.push_str("\nSupport:\n");
        for line in support {
            s.push_str(&format!("  {line}\n"));
        }
    }
    s
}

pub const ERASE_PROMPT: &str =
    "This deletes ALL your check-ins, answers and scores from {db}, and the backups beside it (they hold the same).\nIt cannot be undone.";
pub fn erase_backups_deleted(n: usize, dir: &str) -> String {
    format!(
        "Deleted {} in {dir} too (they held the same check-ins).",
        count(n, "backup", "backups")
    )
}
pub fn erase_backups_left(files: &[String]) -> String {
    format!(
        "could not delete {}: delete them by hand, they hold your check-ins",
        files.join(", ")
    )
}
pub fn erase_backups_kept(n: usize, dir: &str) -> String {
    format!("{} in {dir} still hold your check-ins, beside other people's data this file keeps (a kiosk's): each is replaced within {} days, or delete them by hand.", count(n, "backup", "backups"), crate::store::safety::KEEP_BACKUPS)
}
pub const TYPE_ERASE: &str = "Type erase to confirm: ";
pub const ERASE_CANCELLED: &str = "Nothing was deleted.";
pub const DEMO_DEFAULT_DB: &str = "This would add demo check-ins to your real database at {db}.\n\
     Demo data is marked as demo, but it will show in your history and trends.\n\
     Use --db PATH for a separate demo database (recommended), or --yes to write here anyway.";
pub const DEMO_CONFIRM: &str = "Type yes to add demo data to this database: ";
pub const ERASE_DEMO_NONE: &str = "There is no demo data in {db}: nothing was deleted.";

pub fn erase_demo_prompt(demo: usize, real: usize, db: &str) -> String {
    format!(
        "This deletes the {demo} demo check-in(s) from {db}.\nYour own {real} check-in(s) are kept."
    )
}

pub fn demo_real_checkins(real: usize, db: &str) -> String {
    format!(
        "{db} already holds {real} real check-in(s) of yours.\n\
         Demo data is marked as demo, but it will show beside them in your history and trends\n\
         (`joy erase --demo` removes it again). Use --db PATH for a separate demo database (recommended)."
    )
}

/// A question that needs a terminal, asked without one.
pub fn needs_terminal(warning: &str) -> String {
    format!("{warning}\nThis needs you to type a confirmation: run it in a terminal, or add --yes in scripts.")
}
pub const DEMO_CANCELLED: &str = "No demo data was written.";

pub const NEEDS_ANSWER: &str = "This question needs an answer before you go on.";
pub const HOW_TO_PICK: &str = "To answer: ↑↓ then Enter, the option's number key, or click it.";
pub const HOW_TO_PICK_NUMBER: &str = "To answer: ↑↓ then Enter, type the number, or click it.";
pub const HOW_TO_TICK: &str = "To answer: ↑↓ and Space to tick, or click; then Enter.";
pub const HOW_TO_TYPE: &str = "To answer: type it, then press Enter.";

/// Said when Enter is pressed on a question with no answer chosen.
pub fn how_to_answer(how: &str, required: bool) -> String {
    if required {
        format!("{how} This one is needed for your score.")
    } else {
        format!("{how} Or press s to skip it.")
    }
}

/// A digit key that chooses none of the options shown.
pub fn no_such_option(key: &str) -> String {
    format!("{key} is not one of the options here: press the number shown beside an answer.")
}

pub fn paste_cut(max: usize) -> String {
    format!("Pasted text was cut to fit: at most {max} characters.")
}

pub const OTHER_TYPE_NOW: &str = "Other ticked: type it in the box, then press Enter.";
pub const OTHER_NEEDS_TEXT: &str = "Type what \"Other\" is, or press Space to untick it.";
pub const DELETED: &str = "The check-in was deleted.";

/// "WHO-5 Wellbeing Index, 21 Nov 2026 at 03:00" (for the delete dialog).
pub fn checkin_name(title: &str, at: chrono::DateTime<chrono::Utc>) -> String {
    format!(
        "{title}, {}",
        at.with_timezone(&chrono::Local)
            .format("%-d %b %Y at %H:%M")
    )
}

pub const DELETE_TITLE: &str = " Delete this check-in? ";
pub const DELETE_NOTE: &str = "Its answers and scores are deleted too. This cannot be undone. Backups made before now still hold it until they are replaced (seven are kept).";
pub const LEAVE_QUIT_QUESTION: &str = "Your answers have not been saved. Quit anyway?";
pub const MORE_BELOW: &str = "↓ more below";
pub const MORE_BOTH: &str = "↑↓ more above and below";
pub const MORE_ABOVE: &str = "↑ more above";
pub const HISTORY_ALL: &str = "All questionnaires";

/// "Row 12 of 231 · All questionnaires".
pub fn history_position(row: usize, total: usize, filter: Option<&str>) -> String {
    let shown = filter.unwrap_or(HISTORY_ALL);
    if total == 0 {
        format!("No rows · {shown}")
    } else {
        format!("Row {row} of {total} · {shown}")
    }
}

pub const CANNOT_SKIP: &str = "This question cannot be skipped: it is needed for your score.";

pub fn too_long(max: usize) -> String {
    format!("That is the limit: at most {max} characters.")
}

pub fn not_a_number(typed: &str, min: f64, max: f64) -> String {
    format!(
        "\"{typed}\" is not a number from {} to {}.",
        fmt_number(min),
        fmt_number(max)
    )
}

pub const APP_NAME: &str = "joy-kiosk";
pub const TITLE_HOME: &str = "Your check-ins";
pub const NO_TEAMS: &str =
    "No teams are set up here. Add them to the configuration file: teams = [\"Ward 7\"] under [kiosk] (see README).";
pub const TEAM_REFLECTION_NOTE: &str = "Team reflection: anonymous, shown only in team totals";
pub fn saved_for_team(team: &str, period: &str) -> String {
    format!("Saved anonymously for {team}, {period}. It is shown only in the team's totals, with the date only.")
}
pub const TITLE_QUESTION: &str = "Check-in";
pub const TITLE_REVIEW: &str = "Check your answers";
pub const TITLE_RESULT: &str = "Your result";
pub const TITLE_HISTORY: &str = "History";
pub const TITLE_DETAIL: &str = "A past check-in";
pub const TITLE_TRENDS: &str = "Trends";
pub const HOME_INTRO: &str =
    "Choose a check-in. Your answers stay private on this computer: nobody else can see them.";
pub const NO_QUESTIONNAIRES: &str =
    "No personal questionnaires are available. Run `joy list` to see why any failed to load.";
pub const NOT_DONE_YET: &str = "Not done yet";
/// The private note that ends a personal check-in (see
/// `questionnaire::load::NOTE_ID`), unless its file words its own.
pub const NOTE_PROMPT: &str = "Anything you would like to note for yourself? (optional, private)";
pub const NOTE_HELP: &str = "Only you can see this. It is kept on this machine with your check-in.";
pub const OPTIONAL: &str = "  (optional)";
pub const YOUR_ANSWER: &str = " Your answer ";
pub const OTHER_ANSWER: &str = " Other (type here) ";
pub const REVIEW_INTRO: &str = "Check your answers. Change any of them before you save.";
pub const REVIEW_SAVE: &str = "Press s to save, or Enter to change the highlighted answer.";
pub const NOT_ANSWERED: &str = "(not answered yet)";
pub const SKIPPED: &str = "(skipped)";
/// The result's `[focus]`: which score came out lowest.
pub fn focus_lowest(label: &str) -> String {
    format!("Lowest this time: {label}.")
}
/// `joy import`: the same check-in twice in one file, kept once.
pub fn repeated_in_file(n: usize) -> String {
    let what = if n == 1 {
        "check-in was"
    } else {
        "check-ins were"
    };
    format!("{n} {what} in the file twice and kept once.")
}
/// `joy import --mood`: a mood the file never uses (a typo?).
pub fn mood_unused(name: &str) -> String {
    format!("Note: --mood \"{name}\" was not used: no entry of the file has that mood (check its spelling).")
}
/// `joy import`: Daylio notes longer than the note's limit.
pub fn notes_cut(n: usize) -> String {
    let what = if n == 1 { "note was" } else { "notes were" };
    format!("{n} {what} longer than 4,000 characters and cut to fit; the file itself is unchanged.")
}
/// A Daylio entry's activities, as the last line of its note.
pub fn daylio_activities(list: &str) -> String {
    format!("Activities: {list}")
}
/// `joy history`: a check-in that was not answered in this app.
pub fn imported_mark(source: &str) -> String {
    format!("  (imported from {source})")
}
/// Detail: a check-in that was not answered in this app.
pub fn imported_from(source: &str) -> String {
    format!("Imported from {source}: not answered in this app.")
}
/// `joy import`: what was taken from a FHIR file.
pub fn fhir_imported(taken: usize, already: usize, file: &str) -> String {
    let n = |k: usize| if k == 1 { "check-in" } else { "check-ins" };
    if already == 0 {
        format!("Imported {taken} {} from {file}.", n(taken))
    } else {
        format!(
            "Imported {taken} {} from {file}; {already} {} already in your history, not taken again.",
            n(taken),
            if already == 1 { "was" } else { "were" }
        )
    }
}
/// History's `x` and `b`: writing a file out of the app.
pub const EXPORTING: &str = "Writing your history to a spreadsheet file…";
pub const BACKING_UP: &str = "Making a backup…";
pub fn exported(n: usize, to: &str) -> String {
    let what = if n == 1 { "check-in" } else { "check-ins" };
    format!("Exported {n} {what} to {to} (a spreadsheet file, readable by you only). Keep it somewhere private: it is your health information.")
}
pub fn export_failed(why: &str) -> String {
    format!("The export could not be written: {why}. Nothing was changed; try again, or use `joy export` (see `joy export --help`).")
}
pub fn backed_up(to: &str) -> String {
    format!("Backed up to {to} (readable by you only; the newest seven are kept). `joy restore` with that file puts it back.")
}
/// The header of the note the review offers (in place of "Question 3 of 5").
pub const PRIVATE_NOTE: &str = "Your private note (optional)";
/// `joy validate`: a personal file ends with the private note.
pub const AND_A_NOTE: &str = " and a private note";
/// The review's note row before a note is written.
pub const NO_NOTE_YET: &str = "(none yet: n writes one)";
pub const SAVED: &str = "Saved to your private history.";
pub const SAVING: &str = "Saving…";
pub const SUPPORT_HEADING: &str = "Support is available";
pub const GENERIC_SUPPORT: &str = "Talk to your line manager, occupational health, or your staff mental health and wellbeing hub. Samaritans 116 123, NHS 111, or 999 in an emergency.";
pub const FIRST_TIME: &str =
    "This is your first check-in of this kind: next time you will see the change.";
pub const COL_WHEN: &str = "Completed";
pub const COL_QUESTIONNAIRE: &str = "Questionnaire";
pub const COL_SCORE: &str = "Score";
/// Home's list when more questionnaires lie below it.
pub fn home_more_below(n: usize) -> String {
    format!(
        "  ↓ {} more below (↓)",
        count(n, "questionnaire", "questionnaires")
    )
}
pub const NO_HISTORY: &str = "No check-ins yet. Complete one from Home and it will appear here.";
/// History filtered to one questionnaire, with none of it (others may be there).
/// The History list narrowed by a search of the notes.
pub fn notes_with(words: &str) -> String {
    format!("notes with \"{words}\"")
}
pub fn no_notes_with(words: &str) -> String {
    format!("No check-in has a note with \"{words}\". Esc shows them all again.")
}
/// The search being typed on History (the cursor is the bar).
pub fn search_typing(typed: &str) -> String {
    format!("Search your notes: {typed}▏")
}
/// Marks a check-in with a note in the History list.
pub const NOTE_MARK: &str = "✎ ";

pub fn no_history_of(title: &str) -> String {
    format!("No check-ins of {title} here. Press f to show every questionnaire's check-ins.")
}
pub const DEMO_MARK: &str = "(demo) ";
/// Before a questionnaire's line on Home when its recent scores include demo data.
pub const DEMO_TAG: &str = "[demo] ";
pub const HOME_DEMO_NOTE: &str = "[demo data] Some of this history is demo data made by `joy demo`, not your own check-ins. `joy erase --demo` removes it.";
pub const NOT_FOUND: &str = "That check-in could not be found.";
pub const FILE_CHANGED: &str =
    "The questionnaire file has changed since; the answers and scores below are as saved then.";
pub const FILE_CHANGED_AS_ASKED: &str =
    "The questionnaire file has changed since; the questions, answers and scores below are as they were then.";
pub const ANSWERS_HEADING: &str = "Answers";
pub const NO_SCORES: &str = "This questionnaire has no scores to chart.";
pub const LOADING: &str = "Loading…";
pub const TODAY: &str = "today";
pub const HELP_TITLE: &str = " Help ";
pub const HELP_TEXT: &str = "Press ! at any time to see where to get support (F2 while typing in a box, where ! is typed).\n\
Mouse clicks and touches work on options, list rows and the keys at the bottom.\n\
Your answers are kept only in a private file on this computer.\n\
If things are hard, talk to your manager or occupational health.\n\
Samaritans: 116 123 (free, any time). NHS 111. 999 in an emergency.";
/// The kiosk's help: nothing here is anyone's private file.
pub const KIOSK_HELP_TEXT: &str = "Press ! at any time to see where to get support (F2 while typing in a box, where ! is typed).\n\
Mouse clicks and touches work on options, list rows and the keys at the bottom.\n\
Check-ins here are anonymous: kept with the date only, never with your name.\n\
A private code and PIN keep a history that only you can open.\n\
If things are hard, talk to your manager or occupational health.\n\
Samaritans: 116 123 (free, any time). NHS 111. 999 in an emergency.";
/// The kiosk's help where a ward's server takes the team's entries.
pub const KIOSK_SERVER_HELP_TEXT: &str = "Press ! at any time to see where to get support (F2 while typing in a box, where ! is typed).\n\
Mouse clicks and touches work on options, list rows and the keys at the bottom.\n\
Check-ins here are anonymous: kept with the date only, never with your name.\n\
Anonymous entries go to the ward's server after the day; private histories never leave here.\n\
If things are hard, talk to your manager or occupational health.\n\
Samaritans: 116 123 (free, any time). NHS 111. 999 in an emergency.";
pub const HUDDLE_HELP_TEXT: &str = "Press ! at any time to see where to get support (F2 while typing in a box, where ! is typed).\n\
Clicks work on the panel list and the keys.\n\
Figures are shown once a week has closed, from k or more.";
pub const QUIT_ACTION_TITLE: &str = " Quit without recording the new action? ";
pub const QUIT_ACTION_QUESTION: &str =
    "The action you are typing has not been recorded. Quit anyway?";
pub const LEAVE_TITLE: &str = " Leave this check-in? ";
pub const LEAVE_QUESTION: &str = "Your answers have not been saved. Leave anyway?";
pub const LEAVE_YES: &str = " leave without saving    ";
pub const LEAVE_NO: &str = " stay and carry on";

/// `joy` (or `joy kiosk`) started without a terminal to draw on.
pub const NEEDS_TERMINAL: &str = "joy needs a terminal to show its screens (standard output is not one). Run it in a terminal window, or use a command such as `joy history` (see `joy --help`).";

pub fn too_small(w: u16, h: u16, min_w: u16, min_h: u16) -> String {
    format!("This window is {w} x {h}. Please make it at least {min_w} x {min_h} to use joy-kiosk.")
}

/// Whose answers these are, on the review screen.
pub fn for_team(team: Option<&str>) -> String {
    match team {
        Some(t) => format!("for team {t}"),
        None => "no team given".into(),
    }
}

pub fn question_of(pos: usize, total: usize) -> String {
    format!("Question {pos} of {total}")
}

pub fn type_number(min: f64, max: f64) -> String {
    format!(
        " Type a number from {} to {} ",
        fmt_number(min),
        fmt_number(max)
    )
}

pub fn period_label(p: crate::trends::Period) -> String {
    format!("last {}", p.label()).replace("last all time", "all time")
}

/// "3 Nov 2026 (18 days ago)".
pub fn date_ago(d: chrono::DateTime<chrono::Utc>, now: chrono::DateTime<chrono::Utc>) -> String {
    date_ago_in(d, now, &chrono::Local)
}

/// [`date_ago`] in time zone `tz`: whole calendar days, as Trends and the
/// reminders count them (23:48 last night is "yesterday" at 00:18).
pub fn date_ago_in<Tz: chrono::TimeZone>(
    d: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
    tz: &Tz,
) -> String
where
    Tz::Offset: std::fmt::Display,
{
    let days = (now.with_timezone(tz).date_naive() - d.with_timezone(tz).date_naive()).num_days();
    let ago = match days {
        i64::MIN..=0 => "today".to_string(),
        1 => "yesterday".to_string(),
        n => format!("{n} days ago"),
    };
    format!("{} ({ago})", d.with_timezone(tz).format("%-d %b %Y"))
}

/// A questionnaire's version as people read it: a year (WHO-5's "1998")
/// is the instrument's edition, not the 1998th version.
pub fn version_words(version: &str) -> String {
    let year = version.len() == 4
        && version.chars().all(|c| c.is_ascii_digit())
        && (1900..=2100).contains(&version.parse::<u32>().unwrap_or(0));
    if year {
        format!("the {version} edition")
    } else {
        format!("version {version}")
    }
}

pub fn completed_on(d: chrono::DateTime<chrono::Utc>, version: &str, demo: bool) -> String {
    let version = version_words(version);
    format!(
        "Completed {} · questionnaire: {version}{}",
        d.with_timezone(&chrono::Local).format("%-d %b %Y at %H:%M"),
        if demo { " · demo data" } else { "" }
    )
}

/// "Up 8 since 3 Nov 2026: less than a meaningful change (10)."
pub fn change_line(
    c: crate::trends::Change,
    since: chrono::DateTime<chrono::Utc>,
    meaningful: Option<f64>,
) -> String {
    let when = since.with_timezone(&chrono::Local).format("%-d %b %Y");
    let dir = if c.delta.abs() < 1e-9 {
        format!("The same as last time ({when})")
    } else {
        format!(
            "{} {} since last time ({when})",
            if c.delta > 0.0 { "Up" } else { "Down" },
            crate::trends::points_word(c.delta.abs())
        )
    };
    match (c.meaningful, meaningful) {
        (Some(true), Some(m)) if c.delta.abs() > 1e-9 => {
            format!("{dir}: a meaningful change ({} or more).", fmt_number(m))
        }
        (Some(false), Some(m)) if c.delta.abs() > 1e-9 => {
            format!("{dir}: less than a meaningful change ({}).", fmt_number(m))
        }
        _ => format!("{dir}."),
    }
}

/// "score 2 of 8": which of a questionnaire's scores Trends shows (←→ moves).
pub fn score_of(n: usize, total: usize) -> String {
    format!("score {n} of {total} (←→)")
}

/// The line under the Trends title when the chart holds demo data.
pub fn trends_demo(demo: usize, total: usize) -> String {
    if demo == total {
        format!("[demo data] All {total} check-ins here are demo data, not yours.")
    } else {
        format!("[demo data] {demo} of the {total} check-ins here are demo data, not yours.")
    }
}

pub const LEGEND_EACH: &str = "⣿ each check-in";
pub const LEGEND_ONE: &str = "█ your one check-in in this period";
pub const LEGEND_WEEK: &str = "⣿ weekly means (many check-ins)";
pub const LEGEND_MONTH: &str = "⣿ monthly means (many check-ins)";
pub const LEGEND_BANDS: &str = "┄ top of each band";

pub fn legend_marks(m: &str) -> String {
    format!("█ change of {m} or more")
}

/// What begins a message line (a notice, a refusal, a flag), so it stands
/// out without colour. Not `!`, which is the support key.
pub const MARK: &str = "» ";

/// The ward's server could not be asked (the kiosk admin's Ward rules).
pub fn server_failed(e: &str) -> String {
    format!("Could not read the ward's server: {e}")
}

/// A huddle screen's read or change that failed (nothing was changed).
pub fn huddle_store_failed(e: &str) -> String {
    format!("Could not read or change the team's figures and actions: {e}. Nothing was changed; try again later, or ask whoever runs the team's store.")
}

/// Gentle reminders (`joy status`, Home, `joy remind`): how long it has
/// been, and that any time suits. Never streaks, never guilt.
pub fn reminder(title: &str, standing: crate::reminders::Standing) -> String {
    use crate::reminders::Standing;
    match standing {
        Standing::NotYet => format!("{title}: not done yet"),
        Standing::Due { days } => format!(
            "{title}: {} since the last one",
            count(days as usize, "day", "days")
        ),
        Standing::Fine { in_days } => format!(
            "{title}: suggested again in {}",
            count(in_days as usize, "day", "days")
        ),
    }
}
pub fn demo_history_exists(db: &str) -> String {
    format!("{db} has demo history already: a second would lay the same days over it. To start again, `joy --db {db} erase --demo` first.")
}
pub fn reminder_next(title: &str, in_days: i64) -> String {
    format!(
        "joy: nothing due; {title} suggested in {}",
        count(in_days as usize, "day", "days")
    )
}
pub const REMINDERS_NONE: &str = "joy: no reminders set (remind_every_days in a questionnaire file, or [reminders] in the config)";
/// Home's line under a questionnaire whose time has come.
pub fn home_reminder(every: u32, standing: crate::reminders::Standing) -> String {
    use crate::reminders::Standing;
    match standing {
        Standing::NotYet => {
            format!("    Suggested every {every} days: whenever suits you to start.")
        }
        Standing::Due { days } => format!(
            "    Suggested every {every} days: {} since the last one, whenever suits you.",
            count(days as usize, "day", "days")
        ),
        Standing::Fine { .. } => String::new(),
    }
}
pub fn ics_summary(title: &str) -> String {
    format!("Wellbeing check-in: {title}")
}
pub fn ics_description(title: &str, every: u32) -> String {
    format!("A gentle reminder from joy-kiosk, every {every} days: {title}, when it suits you (run `joy`). Skipping one is fine. If you are struggling, the app's support screen (!) lists who can help.")
}
pub fn reminders_written(n: usize, file: &str) -> String {
    format!("Wrote {} to {file}: import it into Outlook or any calendar (File > Open > Import in Outlook). Remove the events there to stop them.", count(n, "recurring reminder", "recurring reminders"))
}
pub const REMIND_NOTHING: &str = "There is nothing to remind of: no personal questionnaire has remind_every_days, and [reminders] in the config sets none. Add, for example, `who5 = 14` under [reminders].";

/// The trends table (`v` on Trends).
pub const TRENDS_TABLE_HEAD: (&str, &str, &str) = ("When", "value", "band");
/// The chart's legend when the latest day has several check-ins.
pub fn legend_same_day(n: usize, day: &str, values: &[String]) -> String {
    format!(
        "{n} check-ins on {day}: {} (v: each in the table)",
        values.join(", ")
    )
}
pub const TRENDS_TABLE_EMPTY: &str = "No check-ins in this period.";
pub const TRENDS_TABLE_LEGEND: &str = "Every check-in of the period, newest first (v: the chart)";
pub fn trends_table_more(n: usize) -> String {
    format!("… {} more below (PgDn)", count(n, "check-in", "check-ins"))
}

pub fn store_failed(e: &str) -> String {
    format!("Could not reach your history: {e}. Your answers are still here; try again (s), or quit and check the disk.")
}

pub const REWRITE_LATER: &str = "This database was brought up to date; another program is using it, so its file will be rewritten (to keep no order of entries) at the next daily clean-up instead of now.";

/// A backup made before entries had random ids could not be re-keyed.
pub fn backup_not_scrubbed(path: &str, e: &str) -> String {
    format!(
        "The backup {path} could not be rewritten with the new random ids ({e}); it still shows the order entries were saved in. Check it with `joy check --db {path}`, or delete it if it is not needed."
    )
}

pub fn some_failed(n: usize) -> String {
    format!(
        "{} could not be loaded; run `joy list` to see why.",
        count(n, "questionnaire file", "questionnaire files")
    )
}

/// Key bar and help labels, one per action.
pub mod fhir;
pub mod plain;

pub mod key {
    pub const EXPORT: &str = "export";
    pub const BACKUP: &str = "backup";
    pub const NOTE: &str = "note";
    pub const CANCEL: &str = "cancel";
    pub const SEARCH_NOTES: &str = "search notes";
    pub const SEARCH_NOW: &str = "search";
    pub const ALL_AGAIN: &str = "all again";
    pub const NEW_LINE: &str = "new line";
    pub const MORE_OF_QUESTION: &str = "more of the question";
    pub const PAGE_UP_QUESTION: &str = "back up";
    pub const SUPPORT: &str = "support";
    pub const CLOSE_SUPPORT: &str = "close support";
    pub const BACK: &str = "back";
    pub const CHANGE: &str = "change";
    pub const CHOOSE: &str = "choose";
    pub const CLOSE_HELP: &str = "close help";
    pub const CLOSE: &str = "close";
    pub const DELETE: &str = "delete";
    pub const FILTER: &str = "filter";
    pub const KEEP: &str = "keep";
    pub const LEAVE_AND_QUIT: &str = "leave and quit";
    pub const PAGE: &str = "page";
    pub const FIRST_LAST: &str = "first/last";
    pub const MOVE_IN_TEXT: &str = "move in the text";
    pub const DELETE_TEXT: &str = "delete a character";
    pub const HELP: &str = "help";
    pub const HISTORY: &str = "history";
    pub const HOME: &str = "home";
    pub const LEAVE_WITHOUT_SAVING: &str = "leave without saving";
    pub const MOVE: &str = "move";
    pub const NEXT: &str = "next";
    pub const OPEN: &str = "open";
    pub const OPTIONS: &str = "options";
    pub const CHART: &str = "chart";
    pub const TABLE: &str = "table";
    pub const PERIOD: &str = "period";
    pub const QUESTIONNAIRE: &str = "questionnaire";
    pub const QUIT: &str = "quit";
    pub const SAVE: &str = "save";
    pub const SCORE: &str = "score";
    pub const SCROLL: &str = "scroll";
    pub const SKIP: &str = "skip";
    pub const START: &str = "start";
    pub const STAY: &str = "stay";
    pub const TICK: &str = "tick";
    pub const TRENDS: &str = "trends";
}

pub fn minutes(n: u32) -> String {
    format!("({n} min)")
}

pub fn last_done(when: &str) -> String {
    format!("Last done {when}")
}

pub fn other_ticked(text: &str) -> String {
    format!("[x] Other: {text}")
}

pub const OTHER_EMPTY: &str = "[ ] Other (type below)";

pub fn characters_used(used: usize, max: usize) -> String {
    format!(" {used}/{max} characters ")
}

pub fn mode_tightened(path: &str, was: u32, ok: bool) -> String {
    if ok {
        format!("{path} could be read by other users (mode {was:04o}); it is now private (0600).")
    } else {
        format!("{path} can be read by other users (mode {was:04o}) and could not be made private; run `chmod 600` on it.")
    }
}

pub fn damaged_notice(path: &str, detail: &str) -> String {
    format!("{path} looks damaged ({detail}). Nothing will be written to it. Run `joy check` for a full report and `joy restore FILE` to go back to a backup.")
}

/// What a backup holds, said before `joy restore` asks.
pub fn restore_holds(
    file: &str,
    n: i64,
    latest: Option<String>,
    db: &str,
    now: Option<i64>,
) -> String {
    let latest = latest.map_or_else(String::new, |d| format!(", your latest on {d}"));
    let now = match now {
        Some(m) => format!(
            "; {db} holds {} now",
            count(m.max(0) as usize, "check-in", "check-ins")
        ),
        None => String::new(),
    };
    format!(
        "{file} holds {}{latest}{now}.",
        count(n.max(0) as usize, "check-in", "check-ins")
    )
}

pub fn restore_prompt(db: &str, file: &str) -> String {
    format!("This replaces everything in {db} with the contents of {file}.\nThe current database is kept as a backup first. Type \"restore\" to go on: ")
}

pub const SUPPORT_TITLE: &str = " Support ";
pub const SUPPORT_INTRO: &str =
    "You do not have to manage this alone, and asking for help is a strength.";
/// Shown beside an alert-band score on Home, Detail and Trends.
pub const SUPPORT_NUDGE: &str =
    "[alert] This score is in the alert band: press ! (or click \"! support\") to see where to get support.";

pub fn new_database(path: &str) -> String {
    format!("New, empty history file {path} (there was none there). If you expected your check-ins, quit and check the --db path.")
}

/// Is `c` unsafe to print raw to a terminal? Every control character (C0,
/// DEL and C1: ESC starts escape sequences, BEL rings, CR overwrites a line)
/// except newline and tab, and the bidirectional controls (U+061C, U+200E,
/// U+200F, U+202A-U+202E, U+2066-U+2069), which can make text read in an
/// order other than the one it is stored in.
pub fn is_terminal_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// Text from files, answers or the database made safe to show in a
/// terminal: each unsafe character (see [`is_terminal_unsafe`]) is shown
/// escaped, as `\u{1b}`; everything else, newlines and tabs included, is
/// kept. Every command that prints text for a person passes it through here
/// (`validate`, `list`, `score`, `history`, an export written to a terminal,
/// and error messages).
pub fn safe_for_terminal(s: &str) -> std::borrow::Cow<'_, str> {
    escape_unsafe(s, |c| format!("\\u{{{:x}}}", c as u32))
}

/// `s` with each terminal-unsafe character replaced by `escape(c)`;
/// borrowed when there is none.
fn escape_unsafe(s: &str, escape: impl Fn(char) -> String) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_terminal_unsafe) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_terminal_unsafe(c) {
            out.push_str(&escape(c));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Serialized JSON with every terminal-unsafe character written as a `\u`
/// escape (serde_json already escapes C0; this adds DEL, C1 and the bidi
/// controls). The JSON stays valid and decodes to exactly the same text: in
/// serialized JSON these characters can only occur inside strings.
pub fn safe_json(json: &str) -> std::borrow::Cow<'_, str> {
    escape_unsafe(json, |c| format!("\\u{:04x}", c as u32))
}

/// Words of the shared ward terminal (`joy kiosk`).
pub mod kiosk {
    /// The kiosk while it cannot use its database (`app::out_of_order`).
    pub const PAUSED_TITLE: &str = " Check-ins are paused ";
    pub const PAUSED_HEAD: &str = "This check-in station cannot save check-ins just now.";
    pub const PAUSED_BODY: &str = "Nothing has been changed, and nothing typed here is kept. Please tell the ward manager or IT. The station starts again by itself once what IT is told below is put right.";
    pub const PAUSED_SUPPORT: &str = "Support is still there for you:";
    pub const PAUSED_RETRY: &str = "Trying again every 3 seconds.";
    /// A kiosk save that failed (the answers stay on the review screen).
    pub fn save_failed(e: &str) -> String {
        format!("This was not saved: {e}. Your answers are still here: press s to try again. If it keeps failing, please tell the ward manager or IT.")
    }
    pub fn paused_detail(reason: &str) -> String {
        format!("For IT: {reason}")
    }
    pub const TITLE_WELCOME: &str = "Welcome";
    pub const TITLE_TEAM: &str = "Your team";
    pub const TITLE_PIN: &str = "Private history";
    pub const TITLE_CREATE: &str = "New private code";
    pub const TITLE_ADMIN_PIN: &str = "Admin";
    pub const TITLE_ADMIN: &str = "Admin";
    pub const WELCOME_HEAD: &str = "How are you doing today?";
    pub const WELCOME_NOTE: &str =
        "Anonymous: no name, no time, only the date. Nobody sees your answers.";
    pub const ANONYMOUS: &str = "anonymous";
    pub const TEAM_REFLECTION: &str = "team reflection, anonymous";
    pub const TEAM_REQUIRED_HEAD: &str =
        "Which team is this reflection for? It is shown only in the team's totals.";
    pub const SIGN_IN: &str = "Open my private history";
    pub const SIGN_IN_NOTE: &str = "with your code and PIN";
    pub const CREATE: &str = "Make a private code";
    pub const CREATE_NOTE: &str = "to keep your own history here";
    pub const TEAM_HEAD: &str =
        "Which team are you in? It is only used to count how many from each team take part.";
    pub const NO_TEAM: &str = "Prefer not to say";
    pub const MORE_TEAMS: &str = "More teams";
    pub const FLAG_ON_SHARED_SCREEN: &str = "One or more of your answers suggest that talking to someone could help, whatever your total.";
    pub fn page_of(page: usize, pages: usize) -> String {
        format!("page {page} of {pages}")
    }
    pub const TYPE_CODE: &str =
        "Type your private code, e.g. maple-otter-42, then press Enter or OK.";
    pub const CODE_LABEL: &str = "Code";
    pub const PIN_LABEL: &str = "PIN";
    pub const REPEAT_LABEL: &str = "PIN again";
    pub const TYPE_PIN: &str = "Type your PIN, then press Enter or OK.";
    pub const CHOOSE_PIN: &str =
        "Choose a PIN of 6 to 12 digits (not a run or a repeat), then press Enter or OK.";
    pub const REPEAT_PIN: &str = "Type the same PIN again to make sure, then press Enter or OK.";
    pub const PIN_RULE: &str = "A PIN is 6 to 12 digits (0-9).";
    pub const RENEW_PIN: &str = "Your PIN was made when 4 digits were enough. Choose a new PIN of 6 to 12 digits: your history will be locked with it.";
    pub const PIN_WEAK: &str =
        "That PIN is one of the first anybody would try (a repeat or a run). Choose another.";
    pub const PINS_DIFFER: &str = "The two PINs were different. Please type a new PIN again.";
    pub const CHECKING: &str = "Checking…";
    pub const YOUR_CODE: &str = "Your private code (write it down or remember it):";
    pub const CODE_NOTE: &str =
        "You need the code and a PIN to see your history here. Press s for another code.";
    pub const ADMIN_PIN: &str = "Type the admin PIN, then press Enter or OK.";
    pub const NO_MATCH: &str = "That code and PIN do not match. Check both and try again.";
    pub const ADMIN_NO_MATCH: &str = "That is not the admin PIN.";
    pub const NO_ADMIN_PIN: &str =
        "No admin PIN is set on this terminal. Set one with: joy kiosk set-admin-pin";
    pub const STILL_THERE: &str = "Still there?";
    pub const PRESS_TO_STAY: &str = "Press any key or touch the screen to carry on.";
    pub const PROTECTS: &str = "Your code and PIN lock your history: nobody else can read it, here or in the kiosk's files. A forgotten PIN cannot be reset.";
    pub const ADMIN_COUNTS: &str = "Data counts";
    pub const ADMIN_EXPORT: &str = "Export the last released team figures (anonymous)";
    pub const ADMIN_RETENTION: &str = "Keep entries for";
    pub const ADMIN_WARD_RULES: &str = "Ward rules: k, free texts, weeks or months, staff numbers";
    pub const RULES_TITLE: &str = "Ward rules (kept in this kiosk's database, each change dated)";
    pub const RULES_TITLE_SERVER: &str = "Ward rules (kept on the ward's server)";
    pub const KEY_FEWER: &str = "fewer";
    pub const KEY_MORE: &str = "more";
    pub const KEY_OTHER: &str = "week/month";
    pub const KEY_TEN_MORE: &str = "+10";
    pub const KEY_TEN_FEWER: &str = "-10";
    pub const PANEL_MORE_BELOW: &str = "  ↓ more below: PgDn";
    pub const PANEL_MORE_ABOVE: &str = "  ↑ more above: PgUp";
    pub const PANEL_MORE_BOTH: &str = "  ↑↓ more: PgUp PgDn";
    pub const RULES_ON_SERVER: &str =
        "These rules are kept on the ward's server: the ward's admin changes them there, with `joy server rules`.";
    pub const RULES_UNSAVED: &str =
        "This row is not saved: press Enter to save it, or Esc again to leave without saving.";
    pub fn rules_k_floor(k: usize) -> String {
        format!("k is at least {k}: fewer reflections could let people work out who said what.")
    }
    pub fn rules_text_floor(k: usize) -> String {
        format!("Free texts need at least as many reflections as the figures (k = {k}).")
    }
    pub const KEY_SAVE_ROW: &str = "save this row";
    pub const MORE_ABOVE: &str = "  (more above)";
    pub const MORE_BELOW: &str = "  (more below)";
    pub const RULES_BACK: &str = "Back to the admin rows";
    /// Beside a value changed but not yet recorded.
    pub const NOT_SAVED: &str = "(not saved: press Enter)";
    pub fn rules_k(k: usize) -> String {
        format!("Team figures from at least: {k} reflections")
    }
    pub fn rules_text(t: usize) -> String {
        format!("Free texts from at least: {t} answers")
    }
    pub fn rules_period(
        kind: crate::period::PeriodKind,
        in_force: crate::period::PeriodKind,
        pending: Option<(chrono::NaiveDate, crate::period::PeriodKind)>,
    ) -> String {
        match pending {
            Some((from, next)) if next == kind => format!(
                "Reflections grouped by: {} from {} ({} until then)",
                kind.as_str(),
                from.format("%a %-d %b %Y"),
                in_force.as_str()
            ),
            _ => format!("Reflections grouped by: {}", kind.as_str()),
        }
    }
    pub fn rules_headcount(team: &str, n: Option<usize>) -> String {
        let team = super::safe_for_terminal(team);
        match n {
            Some(n) => format!("{team}: {n} staff"),
            None => format!("{team}: staff number not set"),
        }
    }
    pub const RULES_WHY_K: &str = "No team's figures or tallies are shown from fewer reflections. Periods already released stay as they are.";
    pub const RULES_WHY_TEXT: &str =
        "Free texts are shown only from this many reflections (never fewer than the figures).";
    pub const RULES_WHY_PERIOD: &str = "A change applies from the first period after the open one (at once while none were filed), so no days are counted twice. Released periods stay as they are.";
    pub const RULES_WHY_HEADCOUNT: &str = "Gives each period's response rate (6 of 14 staff) and marks a period with more reflections than staff.";
    pub const RULES_NO_TEAMS: &str =
        "No teams are set in this kiosk's configuration, so there are no staff numbers to set.";
    /// The ward rules line of the admin's data counts.
    /// The admin's counts: what waits for the ward's server.
    pub fn outbox_line(st: &crate::store::outbox::OutboxStatus) -> (String, String) {
        let value = match (st.waiting, st.oldest, &st.error) {
            (0, _, _) => "nothing waiting".to_string(),
            (n, Some(d), None) => format!(
                "{} since {} (sent once their day is over)",
                crate::text::count(n, "entry", "entries"),
                d.format("%-d %b")
            ),
            (n, oldest, Some(e)) => format!(
                "{} since {}; not reachable{}: {e}",
                crate::text::count(n, "entry", "entries"),
                oldest.map_or_else(String::new, |d| d.format("%-d %b").to_string()),
                st.failing_since.map_or_else(String::new, |t| format!(
                    " since {}",
                    t.with_timezone(&chrono::Local).format("%H:%M on %-d %b")
                ))
            ),
            (n, None, None) => crate::text::count(n, "entry", "entries"),
        };
        ("Waiting for the ward's server".into(), value)
    }
    /// The clock line of the admin's counts, when this terminal's clock
    /// was found off the server's.
    pub fn clock_line(off_minutes: i64) -> (String, String) {
        let (n, way) = if off_minutes > 0 {
            (off_minutes, "ahead of")
        } else {
            (-off_minutes, "behind")
        };
        let amount = if n >= 120 {
            format!("{} hours", n / 60)
        } else {
            crate::text::count(n as usize, "minute", "minutes")
        };
        (
            "This terminal's clock".into(),
            format!("{amount} {way} the ward's server: entries are dated by it, so near midnight some may fall on the wrong day; set the clock right (or turn on time sync)"),
        )
    }
    pub const RULES_FROM_DATABASE: &str = "kept in the database";
    pub const RULES_FROM_CONFIG: &str = "config file";
    pub const RULES_BUILT_IN: &str = "built-in default";
    pub fn rules_in_force(
        k: usize,
        text: usize,
        source: &str,
        kind: &str,
        zone: &str,
    ) -> (String, String) {
        (
            "Ward rules".into(),
            format!("k = {k}, texts from {text}, by {kind}, {zone} ({source})"),
        )
    }
    pub const KEPT_HERE_BEFORE_SERVER: &str = " kept here (from before the server)";
    pub fn counted_on_server() -> (String, String) {
        (
            "With the ward's server".into(),
            "entries are counted there (joy server status); the weeks below count only those kept here from before it".into(),
        )
    }
    pub fn rules_on_server() -> (String, String) {
        (
            "Ward rules".into(),
            "kept on the ward's server, which alone releases periods (Ward rules shows them)"
                .into(),
        )
    }
    pub fn ward_rules_set(k: usize, text: usize) -> String {
        format!("The ward's rules are now: figures from {k} and free texts from {text} reflections, for periods released from now on. Periods already released stay as they are.")
    }
    pub const ADMIN_CHANGE_PIN: &str = "Change the admin PIN";
    pub const ADMIN_LIFT: &str = "Lift every code lock (5 wrong PINs)";
    pub const ADMIN_EXIT: &str = "Close the kiosk";
    pub const ADMIN_LEAVE: &str = "Back to the welcome screen";
    pub const DONE: &str = "Done";
    pub const SAVED_ANONYMOUSLY: &str =
        "Saved anonymously, with the date only: nobody can trace it to you, and nobody (you included) can look it up here later.";
    pub const EXIT_TITLE: &str = "Close the kiosk?";
    pub const EXIT_QUESTION: &str =
        "The terminal goes back to its shell (or its supervisor starts the kiosk again).";
    pub const KEY_CLOSE: &str = "close the kiosk";
    pub const KEY_SHORTER: &str = "keep shorter";
    pub const KEY_LONGER: &str = "keep longer";
    pub const SHORTEN_TITLE: &str = "Keep entries for less time?";
    pub const DELETE_CODE_TITLE: &str = "Delete your code and everything in it?";
    pub const DELETE_CODE_QUESTION: &str = "Your code, your PIN and every check-in you saved with them are deleted from this kiosk now, for good. Copies in the kiosk's daily backups go as those backups are replaced, within 7 days; nobody can open them without your code and PIN.";
    pub const KEY_DELETE_CODE: &str = "delete everything";
    pub const KEY_FORGET: &str = "delete my code";
    pub const CODE_DELETED: &str = "Your code and everything in it were deleted.";
    pub const KEY_SHORTEN: &str = "shorten it";
    pub fn shorten_question(days: u32, from: u32) -> String {
        format!(
            "Entries are kept for {from} days now. Keeping them for {days} days deletes those older than {days} days at the next daily clean-up (at start and once a day), for good."
        )
    }
    pub const KEY_START: &str = "start";
    pub const KEY_ANOTHER: &str = "another code";
    pub const KEY_CANCEL: &str = "cancel";
    pub const KEY_DONE: &str = "done";
    pub const KEY_NEXT: &str = "next";
    pub const KEY_DELETE_DIGIT: &str = "delete";

    pub fn locked(minutes: i64) -> String {
        format!(
            "Too many wrong PINs: this code is locked. Try again in {minutes} minute{}.",
            if minutes == 1 { "" } else { "s" }
        )
    }
    pub fn wait_to_save(seconds: i64) -> String {
        format!(
            "Check-ins from this screen are saved at least {seconds} s apart: yours is saved in a moment, no need to press anything."
        )
    }
    pub fn saving_in(seconds: i64) -> String {
        format!("Saving in {seconds} s")
    }
    pub fn admin_locked(minutes: i64) -> String {
        format!(
            "Too many wrong admin PINs: the admin screen is locked. Try again in {minutes} minute{}, or reset the PIN with joy kiosk set-admin-pin.",
            if minutes == 1 { "" } else { "s" }
        )
    }
    pub fn clearing_in(seconds: i64) -> String {
        format!("This screen clears in {seconds} s.")
    }
    pub fn back_to_start_in(seconds: i64) -> String {
        format!("Back to the start in {seconds} s (any key gives more time).")
    }
    pub fn retention(days: u32) -> String {
        format!("{days} days  (←→ to change, Enter to save)")
    }
    pub fn unknown_questionnaire(id: &str, known: &str) -> String {
        format!("the [kiosk] questionnaires list names \"{id}\", which is not a questionnaire here. Known: {known}. Fix the id in the config file (`joy list` shows them).")
    }
    pub const HOLDER_HOME: &str =
        "Your private history on this terminal. Press Esc when you are done: the screen is cleared for the next person.";
    pub const NO_FREE_CODE: &str =
        "No free private code could be found just now. Please try again.";
    pub fn counts(c: &crate::model::KioskCounts) -> Vec<(String, String)> {
        vec![
            ("Anonymous check-ins".into(), c.anonymous.to_string()),
            (
                "Check-ins by code holders".into(),
                c.pin_checkins.to_string(),
            ),
            ("Private codes".into(), c.personal_codes.to_string()),
            ("Team reflections".into(), c.team_reflections.to_string()),
            ("Team actions".into(), c.actions.to_string()),
            (
                "Oldest entry".into(),
                c.oldest.map_or_else(|| "none".into(), |d| d.to_string()),
            ),
            (
                "Codes locked (5 wrong PINs)".into(),
                c.locked_codes.to_string(),
            ),
            (
                "Admin PIN lockouts".into(),
                match (c.admin_lockouts, c.admin_last_lockout) {
                    (0, _) | (_, None) => "never".into(),
                    (n, Some(at)) => format!(
                        "{}, last on {}",
                        crate::text::count(n, "time", "times"),
                        at.with_timezone(&chrono::Local)
                            .format("%-d %b %Y at %H:%M")
                    ),
                },
            ),
            (
                "Last release".into(),
                match &c.last_release {
                    Some((p, on)) => format!("{p} on {}", on.format("%-d %b")),
                    None => "none yet".to_string(),
                },
            ),
            (
                "Next release".into(),
                c.next_release
                    .map_or_else(|| "-".to_string(), |d| d.format("%a %-d %b").to_string()),
            ),
        ]
    }
    pub fn no_admin_pin_paused(db: &str) -> String {
        format!(
            "No admin PIN is set for this kiosk yet, so nobody could close it or open its admin screen. On this machine, run: joy kiosk set-admin-pin --db '{db}' (or with the same --config as the kiosk). Check-ins start by themselves a few seconds later."
        )
    }
    pub const ADMIN_PARTICIPATION: &str =
        "Taking part, by team and ISO week: anonymous check-ins / team reflections";
    pub const ADMIN_PARTICIPATION_ROW: &str = "Taking part by team and week";
    /// Participation, one line per team (every configured team, and any
    /// other with entries), its weeks side by side ("W47 6/0": anonymous
    /// check-ins / team reflections). Counts, as the huddle shows them for
    /// any period: what was answered needs k, how many took part does not.
    pub fn participation(
        rows: &[crate::model::Participation],
        teams: &[String],
        weeks: &[crate::period::Period],
    ) -> Vec<(String, String)> {
        let mut names: Vec<String> = teams.to_vec();
        for r in rows {
            if !names.contains(&r.team) {
                names.push(r.team.clone());
            }
        }
        if names.is_empty() {
            return vec![("No teams yet".into(), "0".into())];
        }
        names
            .into_iter()
            .map(|team| {
                let cells: Vec<String> = weeks
                    .iter()
                    .map(|w| {
                        let (c, r) = rows
                            .iter()
                            .find(|p| p.team == team && p.week == *w)
                            .map_or((0, 0), |p| (p.checkins, p.reflections));
                        let label = match w {
                            crate::period::Period::Week { week, .. } => format!("W{week:02}"),
                            other => other.to_string(),
                        };
                        format!("{label} {c}/{r}")
                    })
                    .collect();
                (team, cells.join(" · "))
            })
            .collect()
    }
    pub fn page_heading(site: &str, date: &str) -> String {
        if site.is_empty() {
            format!("joy-kiosk · team figures · printed {date} (anonymous: no figure from fewer reflections than the team threshold)")
        } else {
            format!("joy-kiosk · {site} · team figures · printed {date} (anonymous: no figure from fewer reflections than the team threshold)")
        }
    }
    pub fn more_teams(n: usize) -> String {
        format!(
            "… and {} more: see the export file.",
            crate::text::count(n, "team", "teams")
        )
    }
    pub const EXPORT_TO_ABSOLUTE: &str =
        "export_to must be a whole path starting with / (the folder on the removable drive, e.g. \"/media/ward-usb\").";
    pub const PRINT_COMMAND_EMPTY: &str =
        "print_command must start with the program to run, e.g. [\"lp\", \"-d\", \"ward-printer\"].";
    pub const ADMIN_PRINT: &str = "Print a one-page summary of the team figures";
    pub const NO_PRINTER: &str =
        "No printer is set up: add print_command to [kiosk] in the config file (e.g. [\"lp\"]).";
    pub fn printed(command: &str) -> String {
        format!("Sent a one-page summary to the printer ({command}).")
    }
    pub fn print_failed(command: &str, e: &str) -> String {
        format!("Printing failed ({command}): {e}. Check the printer, or export to a file instead.")
    }
    pub fn exported_to_drive(what: &str, path: &str, drive: &str) -> String {
        format!("Exported {what} to {path} and to the drive at {drive}.")
    }
    pub fn no_drive(what: &str, path: &str, drive: &str, why: &str) -> String {
        format!(
            "Exported {what} to {path} on this terminal only: the drive at {drive} {why}. Plug it in and export again."
        )
    }
    /// Where the retention in force comes from.
    pub fn retention_source(days: u32, set_here: bool, config: u32) -> (String, String) {
        let value = if set_here {
            format!("{days} days, set on this screen (the config file says {config})")
        } else {
            format!("{days} days (the configuration's, or its default)")
        };
        ("Entries kept for".into(), value)
    }
    pub fn lockouts_lifted(n: usize) -> String {
        format!(
            "Lifted the lock on {}: their holders can try their PINs again now.",
            crate::text::count(n, "code", "codes")
        )
    }
    pub const ADMIN_PIN_CHANGED: &str =
        "The admin PIN was changed. The old one no longer opens this screen.";
    pub const NEW_ADMIN_PIN: &str =
        "Choose a new admin PIN of 6 to 12 digits (not a run or a repeat), then press Enter or OK.";
    pub const TITLE_NEW_ADMIN_PIN: &str = "New admin PIN";
    pub fn retention_saved(days: u32) -> String {
        format!(
            "Entries older than {days} days will be deleted from now on (at start and once a day)."
        )
    }
    pub fn backup_failed(e: &str) -> String {
        format!("Today's backup failed: {e}. Tell whoever looks after this terminal.")
    }
    pub fn exported(what: &str, path: &str) -> String {
        format!("Exported {what} to {path}")
    }
    pub fn export_failed(e: &str) -> String {
        format!("The export failed: {e}")
    }
    pub fn signed_in(code: &str) -> String {
        format!("Your private history. Press Esc when you are done. (Code: {code})")
    }

    pub const ADMIN_PIN_PROMPT: &str =
        "New admin PIN (6 to 12 digits, not a run or a repeat; not shown): ";
    pub const ADMIN_PIN_AGAIN: &str = "The same PIN again: ";
    pub const ADMIN_PIN_MISMATCH: &str =
        "the two PINs were different; nothing was stored. Run `joy kiosk set-admin-pin` again.";
    pub const ADMIN_PIN_CANCELLED: &str = "cancelled; nothing was stored.";
    pub const ADMIN_PIN_NEEDS_TERMINAL: &str =
        "the admin PIN is asked for on a terminal, and this is not one. To give it from a script, pipe it in with --pin-stdin.";
    pub const ADMIN_PIN_NO_INPUT: &str =
        "no PIN was given on standard input (--pin-stdin reads one line).";
    /// Where randomness comes from, in "cannot read ...: cause".
    pub const RANDOM_SOURCE: &str = "the operating system's random number source";

    /// After `joy kiosk set-admin-pin`.
    pub fn admin_pin_stored(db: &str) -> String {
        format!(
            "Admin PIN stored in {db}, as an argon2id hash only (the PIN itself is not kept). Any admin lockout was cleared."
        )
    }

    /// A config value out of its range.
    pub fn out_of_range(key: &str, lo: u64, hi: u64, unit: &str) -> String {
        format!("`{key}` must be from {lo} to {hi} {unit}: change it to a number in that range")
    }
    pub fn too_long(what: &str, max: usize) -> String {
        format!("{what} must be at most {max} characters, to fit on the screen: shorten it")
    }
    pub const TEAM_EMPTY: &str =
        "a team name in `teams` is empty: give each team a name, or remove the empty entry";
    pub fn team_duplicate(name: &str) -> String {
        format!("the team \"{name}\" is listed twice in `teams`: list each team once")
    }
    pub const QUESTIONNAIRE_EMPTY: &str =
        "a questionnaire id in `questionnaires` is empty: use the ids `joy list` shows";
}

// ---- Team reflections and the huddle (issue 9) ----

/// Why part of a huddle is not shown.
pub fn hidden_reason(h: crate::anonymity::Hidden) -> String {
    use crate::anonymity::Hidden;
    match h {
        Hidden::NoReflections => "No reflections".to_string(),
        Hidden::NoAnswers => "Nobody answered this".to_string(),
        Hidden::TooFew { have, need } => format!("Hidden: {have} of {need} needed"),
        Hidden::Complementary => {
            "Hidden so a smaller group cannot be worked out from the total".to_string()
        }
        Hidden::Removed => "Deleted with the period's reflections (retention)".to_string(),
    }
}

/// The only thing shown for a group under k: "yet" while its period can
/// still get reflections, not once it has closed.
pub fn not_enough(have: usize, need: usize, closed: bool) -> String {
    if closed {
        format!("Not enough reflections to keep them anonymous ({have} of {need})")
    } else {
        format!("Not enough reflections yet to keep them anonymous ({have} of {need})")
    }
}

/// `joy huddle release`: one period released.
pub fn released_line(team: &str, questionnaire: &str, period: &str) -> String {
    format!(
        "Released {} · {} · {}",
        safe_for_terminal(team),
        safe_for_terminal(questionnaire),
        period
    )
}

/// `joy huddle release`: a closed period that could not be released.
pub fn release_no_definition(team: &str, questionnaire: &str, period: &str) -> String {
    format!(
        "Not released {} · {} · {}: the questionnaire \"{}\" is not kept in the database and not among the questionnaire files here. Put its file in a questionnaire folder and run this again.",
        safe_for_terminal(team),
        safe_for_terminal(questionnaire),
        period,
        safe_for_terminal(questionnaire)
    )
}

/// `joy huddle release`: how many, and when the open period is due.
pub fn release_summary(n: usize, next: chrono::NaiveDate) -> String {
    let what = match n {
        0 => "No period was due for release.".to_string(),
        1 => "1 period released.".to_string(),
        n => format!("{n} periods released."),
    };
    format!(
        "{what} The open period is due for release on {}.",
        next.format("%a %-d %b %Y")
    )
}

/// `joy huddle rules --min-group`: what changed, and from when.
pub fn rules_changed(k: usize, text: usize, changed: bool) -> String {
    if changed {
        format!("Recorded: k = {k}, free text from {text}, for periods released from now on (periods already released stay as they are).")
    } else {
        format!("Unchanged: k is {k} and free text from {text} already.")
    }
}

/// `joy huddle rules --period`: when the new kind starts.
pub fn period_kind_from(kind: &str, from: chrono::NaiveDate, at_once: bool) -> String {
    if at_once {
        format!("Reflections are grouped by {kind} from now on: none were filed yet, so the {kind} open now is the first.")
    } else {
        format!(
            "Reflections are grouped by {kind} from {} on: the period open now runs to its end, and periods already released stay as they are.",
            from.format("%a %-d %b %Y")
        )
    }
}

/// `joy huddle rules`: the ward's rules kept in the database.
pub fn rules_summary(
    rules: Option<(usize, usize)>,
    kind: &str,
    pending: Option<(chrono::NaiveDate, &str)>,
    zone: &str,
    reader_k: usize,
) -> String {
    let k = match rules {
        Some((k, t)) => format!("k = {k} (free text: {t})"),
        None => format!(
            "k not set yet: periods are released with k = {reader_k} (the configuration's) until an admin sets it (--min-group, or the kiosk's admin screen where no server holds the rules)"
        ),
    };
    let periods = match pending {
        Some((from, next)) => format!(
            "periods: {kind}, then {next} from {}",
            from.format("%a %-d %b %Y")
        ),
        None => format!("periods: {kind}"),
    };
    format!("Ward rules: {k}; {periods}; time zone: {zone}.")
}

/// `joy huddle rules --period` with the kind already in force.
pub fn period_kind_unchanged(kind: &str) -> String {
    format!(
        "Reflections are grouped by {kind} already (a change still to come, if any, is dropped)."
    )
}

/// k at its floor.
pub const SMALL_K: &str = "k = 3 is the least allowed. In a small team, three reflections can still point to people: keep k higher where you can.";

/// `joy huddle rules`: one team's headcount.
pub fn headcount_line(team: &str, n: usize) -> String {
    format!("{}: {n} staff", safe_for_terminal(team))
}

/// An action's review date on the huddle screen.
pub fn review_on(d: chrono::NaiveDate) -> String {
    format!("review {}", d.format("%-d %b %Y"))
}

/// The pebble an action answers.
pub fn pebble_of(p: &str) -> String {
    format!("pebble: {p}")
}

/// What was learned from an action.
pub fn learned_of(l: &str) -> String {
    format!("learned: {l}")
}

/// Who can remove an action's pebble, in words.
pub fn action_scope(s: crate::model::ActionScope) -> &'static str {
    match s {
        crate::model::ActionScope::Team => "the team can remove it",
        crate::model::ActionScope::System => "needs the wider system",
    }
}

/// The summary's average and its change since the last released period.
pub fn huddle_change(label: &str, mean: &str, change: Option<(String, String)>) -> String {
    match change {
        Some((d, since)) if d == "0" || d == "-0" => {
            format!("{label}: {mean}, the same as {since}")
        }
        Some((d, since)) if d.starts_with('-') => {
            format!("{label}: {mean}, down {} since {since}", &d[1..])
        }
        Some((d, since)) => format!("{label}: {mean}, up {d} since {since}"),
        None => format!("{label}: {mean}"),
    }
}

/// The summary's most named tally answers ("pebbles").
pub fn huddle_top(named: &[(String, usize)]) -> String {
    let list: Vec<String> = named.iter().map(|(l, n)| format!("{l} ({n})")).collect();
    format!("Most named: {}", list.join(", "))
}

/// `]` on the open period.
pub const HUDDLE_OPEN_IS_LAST: &str =
    "This is the open period: there is nothing after it yet. [ goes back.";

/// The summary's actions line.
/// Actions whose review date has come (today or before), and the next
/// review date still to come, if any.
pub fn huddle_actions_due(due: usize, overdue: usize, next: Option<chrono::NaiveDate>) -> String {
    let next = next.map_or_else(String::new, |d| {
        format!("; next review on {}", d.format("%a %-d %b"))
    });
    match (due, overdue) {
        (0, _) => format!("Actions due for review today: none{next}"),
        (d, 0) => format!("Actions due for review today: {d}{next}"),
        (d, o) => format!("Actions due for review today: {d} ({o} overdue){next}"),
    }
}

/// Under the large figure: the count in plain digits too.
pub fn reflections_this_period(n: usize) -> String {
    format!("{n} {HUDDLE_REFLECTIONS_THIS_PERIOD}")
}

/// The summary of a period under k: how the team has been before.
pub fn huddle_earlier(label: &str, points: &str) -> String {
    format!("{label} in earlier periods: {points}")
}

/// Earlier periods as words: "W45 3.2, W46 hidden" (periods nobody
/// answered in are left out).
pub fn earlier_words(points: &[crate::huddle::TrendPoint]) -> String {
    let short = |p: &crate::period::Period| match p {
        crate::period::Period::Week { week, .. } => format!("W{week:02}"),
        crate::period::Period::Month { .. } => p.first_day().format("%b").to_string(),
    };
    let shown: Vec<String> = points
        .iter()
        .filter(|p| !matches!(p.mean, Err(crate::anonymity::Hidden::NoReflections)))
        .map(|p| match p.mean {
            Ok(m) => format!(
                "{} {}",
                short(&p.period),
                crate::questionnaire::fmt_number(m)
            ),
            Err(_) => format!("{} {HIDDEN_SHORT}", short(&p.period)),
        })
        .collect();
    if shown.is_empty() {
        NONE_RELEASED_BEFORE.to_string()
    } else {
        shown.join(", ")
    }
}

/// A hidden trend point, in a list.
pub const HIDDEN_SHORT: &str = "hidden";
/// No earlier period was released.
pub const NONE_RELEASED_BEFORE: &str = "none released";

/// `joy demo --teams` done.
pub fn demo_teams_added(rows: usize, days: u32, released: usize, db: &str) -> String {
    format!(
        "Added {rows} demo team reflection(s) over {days} days to {db} (teams named \"Demo team A\", \"B\" and \"C\"; every row marked as demo data), and released {released} period(s) that have closed.\nSee them with: joy --db {db} huddle --team \"Demo team A\"   or   joy --db {db} huddle --ward"
    )
}

/// `joy huddle --ward` with nothing released.
pub const NO_WARD_RELEASE: &str = "No period has been released yet. Periods are released once they have closed: by a kiosk's daily chores, or by `joy huddle release`.";

/// A period asked for that has not started.
pub fn period_not_started(p: &str) -> String {
    format!("{p} has not started yet. Released periods are shown: give one that has ended, or leave out --period for the last one released.")
}

/// A period asked for in the ward view that is still open.
pub fn period_still_open(p: &str, release_day: chrono::NaiveDate) -> String {
    format!(
        "{p} is still open: its figures are released once it has closed, from {}. Leave out --period for the last one released.",
        release_day.format("%a %-d %b %Y")
    )
}

/// The minutes of a past period: whose actions they list.
pub fn actions_as_of(d: chrono::NaiveDate) -> String {
    format!(
        "As they stood on {}, when this period's huddle was over.",
        d.format("%-d %b %Y")
    )
}

/// `joy huddle --ward --period P` with nothing released for P.
pub fn ward_nothing_for(period: &str, last: Option<&str>) -> String {
    match last {
        Some(l) => format!("nothing was released for {period}. The last period released is {l}: run `joy huddle --ward` to see it, or give --period {l}."),
        None => NO_WARD_RELEASE.to_string(),
    }
}

/// The ward view's heading.
pub fn ward_heading(ward: Option<&str>, title: &str, period: &crate::period::Period) -> String {
    let ward = match ward {
        Some(w) => format!("{}: ", safe_for_terminal(w)),
        None => String::new(),
    };
    format!(
        "Ward view: {ward}{title}, {} {period} ({} to {})",
        period.kind().as_str(),
        period.first_day().format("%-d %b"),
        period.last_day().format("%-d %b %Y")
    )
}

/// The huddle screen's ward panel, in the panel list.
pub const WARD_PANEL: &str = "Ward: every team";
pub fn ward_panel_named(ward: &str) -> String {
    format!("{}: every team", safe_for_terminal(ward))
}

/// The ward total's row.
pub const WARD_TOTAL_ROW: &str = "Ward total";
pub const TRUST_TOTAL_ROW: &str = "Trust total";
/// A delivery round that gave up waiting for the ward's server.
pub const SERVER_SILENT: &str = "the ward's server did not answer (the network may be down, or the server hung): every entry is kept here and sent when it answers";
/// `joy huddle --server --team T` for a team this login does not read.
pub fn server_team_not_readable(team: &str, readable: &[String]) -> String {
    format!(
        "this login reads no team called \"{}\" on the server; it reads {}. A screen for one ward reads its own ward's teams only (the server's admin lists who reads which ward with `joy server wards`); check the spelling, or log in as a role that reads that ward.",
        safe_for_terminal(team),
        safe_for_terminal(&readable.join(", "))
    )
}

pub const SERVER_NOTHING_RELEASED: &str = "Nothing has been released that this login may read: periods are released at their close (and a day) by `joy server release` on the ward's server, and a ward total only for teams put in a ward (`joy server wards`).";
pub fn server_nothing_for(period: &str, last: Option<&str>) -> String {
    match last {
        Some(l) => format!("Nothing was released for {period} that this login may read. The last period released is {l}: try --period {l}."),
        None => format!("Nothing was released for {period} that this login may read. {SERVER_NOTHING_RELEASED}"),
    }
}
pub fn server_no_team_readable(team: &str) -> String {
    format!("this login reads no team on the server yet, so there is no \"{team}\" to show: the server has no reflections or actions of a team it may read (a one-ward screen reads its ward's teams only)")
}
pub const NO_WARDS: &str = "No wards are set up on this server: every team stands as a ward of its own. Put teams in a ward with --ward WARD --team TEAM.";
pub fn ward_reader_set(ward: &str, role: &str) -> String {
    format!("{role} now reads {ward} (and no other ward, unless listed for it too).")
}
pub fn ward_reader_line(role: &str, ward: &str) -> String {
    if ward == "*" {
        format!("{role} reads every ward and the trust total")
    } else {
        format!("{role} reads {ward}")
    }
}
pub fn team_moved(team: &str, from: &str, to: &str) -> String {
    format!("{team} moved from {from} to {to}.")
}
pub fn ward_reader_removed(ward: &str, role: &str) -> String {
    format!("{role} reads {ward} no more.")
}
pub fn ward_set(ward: &str, teams: &[String]) -> String {
    format!(
        "{} now in {ward} (periods released before keep the teams they had).",
        teams.join(", ")
    )
}

pub fn trust_heading(title: &str, period: &crate::period::Period) -> String {
    format!(
        "Trust view: {title}, {} {period} ({} to {})",
        period.kind().as_str(),
        period.first_day().format("%-d %b"),
        period.last_day().format("%-d %b %Y")
    )
}

/// How the trust view hides.
pub fn trust_rules(k: usize) -> String {
    format!(
        "Anonymous: every figure comes from at least {k} reflections. Each ward is shown as its own \
         ward view shows its total, and each team as its huddle shows it; where the trust total \
         minus what is shown would give a hidden team away, the total's figure is hidden."
    )
}

/// How the ward view hides.
pub fn ward_rules(k: usize) -> String {
    format!(
        "Anonymous: every figure comes from at least {k} reflections. A team under {k} is hidden; \
         each team is shown as its own huddle shows it, so where the ward total minus the teams \
         shown would give a hidden team away, the total's figure is hidden."
    )
}

/// The response rate against the team's headcount.
pub fn response_rate(reflections: usize, staff: usize) -> String {
    let pct = (reflections * 100 + staff / 2)
        .checked_div(staff)
        .unwrap_or(0);
    format!("{reflections} of {staff} staff ({pct}%)")
}

/// `joy huddle rules --team --headcount`.
pub fn headcount_set(team: &str, n: usize) -> String {
    format!(
        "{} has {n} staff: periods released from now on give their response rate against it.",
        safe_for_terminal(team)
    )
}

/// A period with more reflections than the team has staff.
pub const MORE_THAN_STAFF: &str = "More reflections than staff: some people gave more than one, \
     or the headcount is out of date. Read these figures with care.";

/// A time zone name that is not in the IANA database.
pub fn unknown_time_zone(name: &str) -> String {
    format!("\"{name}\" is not a time zone name: write one like Europe/London or Europe/Dublin")
}

/// All that is shown of an open period (or a closed one not yet
/// released): how many so far, and when its figures may be shown.
pub fn open_period(
    have: usize,
    release_day: chrono::NaiveDate,
    today: chrono::NaiveDate,
) -> String {
    let so_far = match have {
        1 => "1 reflection".to_string(),
        n => format!("{n} reflections"),
    };
    if today >= release_day && have == 0 {
        "No reflections in this period.".to_string()
    } else if today >= release_day {
        format!(
            "Closed, not released yet: {so_far}. A kiosk releases it in its daily chores; \
             on a database no kiosk runs on, the ward's admin runs `joy huddle release`."
        )
    } else {
        format!(
            "Still open: {so_far} so far. Figures are shown once the period has closed, from {}.",
            release_day.format("%a %-d %b %Y")
        )
    }
}

/// The bar for ticked "Other" answers in a tally.
pub const HUDDLE_OTHER: &str = "Other";

/// The heading of a multiple-choice question's "Other" texts.
pub fn huddle_other_text(question: &str) -> String {
    format!("Other: {question}")
}

pub const HUDDLE_COUNT: &str = "Reflections";
pub const HUDDLE_SCORE_COL: &str = "Score";
pub const HUDDLE_ANSWER_COL: &str = "Answer";
pub const HUDDLE_PERIOD_COL: &str = "Period";
pub const HUDDLE_AVERAGE_COL: &str = "Average";
pub const HUDDLE_NONE_TICKED: &str = "Nothing was chosen.";
pub const HUDDLE_SHUFFLED: &str = "In a shuffled order, without dates or names.";
pub const HUDDLE_ACTIONS: &str = "Actions";
pub const HUDDLE_NO_ACTIONS: &str = "No actions recorded yet.";

/// "Team huddle: Ward 7, week 2026-W47 (16 Nov to 22 Nov 2026)".
pub fn huddle_heading(team: &str, period: Option<&crate::period::Period>) -> String {
    match period {
        Some(p) => format!(
            "Team huddle: {team}, {} {p} ({} to {})",
            p.kind().as_str(),
            p.first_day().format("%-d %b"),
            p.last_day().format("%-d %b %Y")
        ),
        None => format!("Team huddle: {team}"),
    }
}

/// The rules, in one sentence for exports and the screen.
pub fn huddle_rules(k: usize, text: usize) -> String {
    format!(
        "Anonymous: every figure comes from at least {k} reflections, free text from at least {text} answers, and text is shown in a shuffled order."
    )
}

pub fn huddle_count(n: usize) -> String {
    format!("Reflections this period: {n}")
}

pub fn huddle_lowest(label: &str) -> String {
    format!("Rated lowest: {label}")
}

pub fn huddle_average(mean: &str, band: &str, n: usize) -> String {
    format!("Average {mean}{band}, from {n} reflections")
}

/// A trend period with nothing shown.
pub fn huddle_gap(reason: &str) -> String {
    format!("gap ({reason})")
}

/// An action's status in words, overdue marked without colour.
pub fn action_status(a: &crate::huddle::TeamAction, today: chrono::NaiveDate) -> String {
    match a.review_on {
        Some(d) if a.is_overdue(today) => {
            format!("{} - OVERDUE (review was due {d})", a.status.as_str())
        }
        _ => a.status.as_str().to_string(),
    }
}

pub fn action_now(status: &str) -> String {
    format!("The action is now: {status}. Press u to undo.")
}
pub fn demo_ward_exists(db: &str) -> String {
    format!("{db} has a demo ward already (Demo team A, B, C): a second one would add its reflections to the open week. Erase it first with: joy --db '{db}' erase --demo")
}
pub const SERVER_URL_MISSING: &str = "which server? Give --url (a connection string such as \"host=/run/postgresql dbname=ward7\", or a postgresql:// URL), set JOY_SERVER_URL, or name it in the config file's [server] url";
pub fn no_terminal_database(db: &str) -> String {
    format!("there is no database at {db} to deliver from: give the kiosk's with --db")
}
pub fn imported(entries: usize, releases: usize, actions: usize) -> String {
    format!(
        "Imported {}, {} and {} into the server. Personal check-ins and private histories stay in the file, and so does a copy of what was imported: once the kiosk has [server] in its config, new entries go to the server.",
        count(entries, "anonymous entry", "anonymous entries"),
        count(releases, "release", "releases"),
        count(actions, "action", "actions")
    )
}
pub fn import_demo_refused(n: usize) -> String {
    format!(
        "this file holds {}: its releases and actions cannot be told apart from the demo's, so it is not imported. Erase the demo data first (`joy --db FILE erase --demo`: its reflections, releases and actions go), then import.",
        count(n, "demo entry", "demo entries")
    )
}
pub const IMPORT_OUTBOX_WAITS: &str =
    "This file's outbox still holds entries for the server: `joy server deliver` sends them (whole past days).";
pub fn waiting_for_day_end(n: usize) -> String {
    format!(
        "{} of today wait until the day is over (only whole past days are sent).",
        count(n, "entry", "entries")
    )
}
pub fn import_other_teams(ward: &str) -> String {
    format!("Teams with no reflection, release, staff number or action in the file are not in it: add them with `joy server wards --ward \"{ward}\" --team NAME`.")
}
pub fn import_renamed(names: &[String]) -> String {
    format!(
        "Before this kiosk sends to the server, give its teams their new names in its config ([kiosk] teams: {}): it files each reflection under the name it offers, and an old name may now be another ward's team.",
        names.join(", ")
    )
}
/// The demo ward's name on a server (`joy server demo`).
pub const DEMO_WARD: &str = "Demo ward";
pub fn server_demo_added(n: usize, days: u32) -> String {
    format!(
        "Added {} over {days} days to a ward called \"{DEMO_WARD}\" (teams Demo team A, B and C; every one marked as demo data). Try `joy server trust`, or `joy huddle --server URL --team \"Demo team A\"` as the huddle role. Releasing what has closed:",
        count(n, "demo reflection", "demo reflections")
    )
}
pub fn delivery_failed(why: &str, waiting: usize) -> String {
    format!(
        "{} {} kept here and sent when it can be: {why}",
        count(waiting, "entry", "entries"),
        if waiting == 1 { "is" } else { "are" }
    )
}
pub fn delivered(sent: usize, days: usize) -> String {
    format!(
        "Sent {} ({} whole {}) to the ward's server.",
        count(sent, "entry", "entries"),
        days,
        if days == 1 { "day" } else { "days" }
    )
}
pub fn server_pruned(n: u64, cutoff: chrono::NaiveDate) -> String {
    format!(
        "Deleted {} of periods that ended before {cutoff} (released figures stay; their free texts went with them).",
        count(n as usize, "entry", "entries")
    )
}
pub const SERVER_NOTHING_TO_RELEASE: &str =
    "Nothing to release: no period has closed since the last release.";
pub fn server_initialised(version: i32, prefix: &str) -> String {
    format!("The server's schema is at version {version}. Roles: {prefix}_terminal (kiosks: submit entries, read the ward's settings), {prefix}_huddle (huddle screens: released figures, counts and actions), {prefix}_admin (releases and rules), {prefix}_reader (a huddle screen for one ward of a trust, once listed with `joy server wards --reader`). Grant them to login roles (see docs/deploy.md).")
}
pub fn server_status(s: &crate::store::pg::ServerStatus, known: i32) -> String {
    let rules = s.rules.map_or_else(
        || format!(
            "not set yet: releases use the defaults (k = {}, free text from {}) until they are set with `joy server rules --min-group`",
            crate::anonymity::Thresholds::default().k(),
            crate::anonymity::Thresholds::default().text()
        ),
        |r| format!("k = {}, free text from {}", r.min_group, r.min_group_text),
    );
    let last = s
        .last_release
        .as_ref()
        .map_or_else(|| "none yet".to_string(), |(p, on)| format!("{p} on {on}"));
    format!(
        "Schema: version {} (this joy-kiosk knows {known})\nEntries: {} ({} arrived after their period was released and went into the next one)\nReleases: {} (last: {last})\nTime zone: {}\nRules: {rules}",
        s.version, s.entries, s.late, s.releases, s.time_zone
    )
}
pub const WARD_COL_TEAM: &str = "Team";
pub const WARD_COL_COUNT: &str = "Reflections";
pub const WARD_COL_AVERAGE: &str = "Average";
pub const ACTION_UNDONE: &str = "The action's last change was undone.";
pub const NOTHING_TO_UNDO: &str =
    "Nothing to undo: this action has had no change since it was recorded.";

pub const TITLE_HUDDLE: &str = "Team huddle";
pub const HUDDLE_REFLECTIONS_THIS_PERIOD: &str = "reflections this period";
pub const HUDDLE_DISTRIBUTION: &str = "How the team answered";
pub const HUDDLE_TREND: &str = "Average over the last periods";
pub const HUDDLE_GAP: &str = "gap";
pub const HUDDLE_NEW_ACTION: &str = "New action: ";
pub const ACTION_FORM_OWNER: &str = "Owner (a person or a role): ";
pub const ACTION_FORM_REVIEW: &str = "Review on (YYYY-MM-DD or DD/MM/YYYY, empty for none): ";
pub const ACTION_FORM_PEBBLE: &str = "Pebble it answers (↑↓ or 1-9, 0 none): ";
pub const ACTION_FORM_SCOPE: &str =
    "Who can remove it (t the team, w the wider system, n not said): ";
pub const ACTION_EMPTY: &str = "Type what the team will do, then press Enter.";
pub const NOT_SAID: &str = "not said";

/// A review date that has passed, typed in the action form.
pub fn review_passed(d: chrono::NaiveDate, today: chrono::NaiveDate) -> String {
    format!("{d} has passed: give today ({today}) or a later date.")
}

/// A review date that is not a date.
pub fn review_not_a_date(t: &str) -> String {
    format!(
        "\"{}\" is not a date: write it as YYYY-MM-DD or DD/MM/YYYY, e.g. 2026-12-20 or 20/12/2026.",
        safe_for_terminal(t)
    )
}

/// After an action was saved from the huddle screen.
pub fn action_recorded(action: &str) -> String {
    format!("Recorded: {}", safe_for_terminal(action))
}
pub const HUDDLE_NO_ACTIONS_ADD: &str = "No actions recorded yet. Press a to add one.";

/// "panel 3 of 9".
pub fn huddle_panel_of(at: usize, of: usize) -> String {
    format!("panel {at} of {of}")
}

/// Under a score's average: how many it comes from, and its range.
pub fn huddle_average_of(n: usize, lo: &str, hi: &str) -> String {
    format!("average of {n} reflections, on a scale from {lo} to {hi}")
}

/// The labels under a trend chart's gaps.
pub fn huddle_gaps(list: &str) -> String {
    format!("Gaps: {list}")
}

/// Key bar words of the huddle screen.
pub mod huddle_key {
    pub const PANEL: &str = "panel";
    pub const PRESENT: &str = "present";
    pub const PERIOD: &str = "period";
    pub const ADD_ACTION: &str = "add action";
    pub const STATUS: &str = "status";
    pub const NEXT: &str = "next";
    pub const PREVIOUS: &str = "previous";
    pub const STOP_PRESENTING: &str = "stop presenting";
    pub const SAVE_ACTION: &str = "save action";
    pub const CANCEL: &str = "cancel";
    pub const UNDO: &str = "undo";
    pub const PAGE_UP: &str = "page up";
    pub const PAGE_DOWN: &str = "page down";
}

#[cfg(test)]
mod version_tests {
    #[test]
    fn days_ago_are_calendar_days() {
        use chrono::TimeZone;
        let utc = chrono::Utc;
        let last_night = utc.with_ymd_and_hms(2026, 12, 6, 23, 48, 0).unwrap();
        let now = utc.with_ymd_and_hms(2026, 12, 7, 0, 18, 0).unwrap();
        assert_eq!(
            super::date_ago_in(last_night, now, &utc),
            "6 Dec 2026 (yesterday)"
        );
        let this_morning = utc.with_ymd_and_hms(2026, 12, 7, 0, 5, 0).unwrap();
        assert_eq!(
            super::date_ago_in(this_morning, now, &utc),
            "7 Dec 2026 (today)"
        );
    }

    #[test]
    fn a_year_is_an_edition_and_a_number_a_version() {
        assert_eq!(super::version_words("1998"), "the 1998 edition");
        assert_eq!(super::version_words("2"), "version 2");
        assert_eq!(super::version_words("12345"), "version 12345");
        assert_eq!(super::version_words("1.2"), "version 1.2");
    }
}
