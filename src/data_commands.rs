//! The data-safety commands: `backup`, `restore`, `check`, and the two ways
//! every command opens the database (read-only for commands that only read,
//! read-write otherwise), printing the store's notices to standard error.

use crate::config::Settings;
use crate::store::safety::list_backups;
use crate::store::{backup_dir, Store};
use anyhow::{bail, Result};
use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

fn notices(store: &mut Store) {
    for n in store.take_notices() {
        eprintln!("joy: {n}");
    }
    if let Some(d) = store.damage() {
        eprintln!(
            "joy: {}",
            crate::text::damaged_notice(&store.path().display().to_string(), d)
        );
    }
}

/// Open for reading only: never creates the file or its folder.
pub fn open_read(settings: &Settings) -> Result<Store> {
    let mut s = Store::open_read_only_checked(&settings.db)?;
    notices(&mut s);
    Ok(s)
}

/// Open for writing (creating the database if needed).
pub fn open_write(settings: &Settings) -> Result<Store> {
    let mut s = Store::open_checked(&settings.db)?;
    notices(&mut s);
    Ok(s)
}

/// Open for writing without ever migrating: a command that shares a file
/// with the app or kiosk that owns it (`joy actions`, the huddle screen)
/// creates a file that is not there, but an existing one of an older
/// schema is refused with what to do, never brought up to date behind the
/// back of the older kiosk still running on it.
pub fn open_write_as_is(settings: &Settings) -> Result<Store> {
    if settings.db.exists() {
        // Checks identity and schema without writing (refuses older, newer,
        // foreign and damaged files with their own messages).
        drop(Store::open_read_only(&settings.db)?);
    }
    open_write(settings)
}

pub fn backup(
    settings: &Settings,
    out_file: Option<&Path>,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let mut store = open_read(settings)?;
    let now = crate::clock::now();
    let dest = match out_file {
        Some(p) => {
            store.backup_to(p)?;
            p.to_path_buf()
        }
        None => {
            // The default folder is created on demand; a read-only open
            // cannot rotate, so write there directly.
            let dir = backup_dir(&settings.db);
            crate::store::create_private_dir_pub(&dir)?;
            let dest = dir.join(crate::store::safety::backup_name(now));
            store.backup_to(&dest)?;
            dest
        }
    };
    writeln!(
        out,
        "Backed up {} to {} (readable by you only).",
        settings.db.display(),
        dest.display()
    )?;
    Ok(ExitCode::SUCCESS)
}

pub fn restore(
    settings: &Settings,
    file: &Path,
    yes: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    if !file.is_file() {
        bail!(
            "{} is not a file: give the backup to restore from (backups are in {})",
            file.display(),
            backup_dir(&settings.db).display()
        );
    }
    // What the backup holds, checked and said before anything is asked:
    // a damaged or foreign file is refused now, not after a "yes".
    let (holds, latest) = {
        let mut b = Store::check_backup(file, &settings.db)?;
        let latest = b.last_done_each()?.into_values().max();
        (b.count("checkin")?, latest)
    };
    let now_holds = Store::open_read_only_cheap(&settings.db)
        .and_then(|mut s| s.count("checkin"))
        .ok();
    let what = crate::text::restore_holds(
        &file.display().to_string(),
        holds,
        latest.map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%-d %b %Y")
                .to_string()
        }),
        &settings.db.display().to_string(),
        now_holds,
    );
    if !yes {
        let stdin = std::io::stdin();
        if !stdin.is_terminal() {
            bail!("{what}\nrestore replaces your history; run it in a terminal to confirm, or add --yes in scripts");
        }
        writeln!(out, "{what}")?;
        write!(
            out,
            "{}",
            crate::text::restore_prompt(
                &settings.db.display().to_string(),
                &file.display().to_string()
            )
        )?;
        out.flush()?;
        let mut line = String::new();
        stdin.lock().read_line(&mut line)?;
        if line.trim() != "restore" {
            writeln!(out, "Nothing was changed.")?;
            return Ok(ExitCode::from(1));
        }
    }
    let mut store = open_write(settings)?;
    let kept = store.restore_from(file, crate::clock::now())?;
    let n = store.count("checkin")?;
    writeln!(
        out,
        "Restored {} from {} ({n} check-in(s)). The database it replaced is kept as {}.",
        settings.db.display(),
        file.display(),
        kept.display()
    )?;
    Ok(ExitCode::SUCCESS)
}

pub fn check(settings: &Settings, out: &mut impl Write) -> Result<ExitCode> {
    let mut store = Store::open_read_only(&settings.db)?;
    for n in store.take_notices() {
        eprintln!("joy: {n}");
    }
    let report = store.check()?;
    let backups = list_backups(&backup_dir(&settings.db)).unwrap_or_default();
    let newest = backups.last().map(|p| p.display().to_string());
    if report.problems.is_empty() {
        let (c, a, s) = report.counts.unwrap_or_default();
        writeln!(out, "{}: sound (full integrity check passed). {c} check-in(s), {a} answer(s), {s} score(s).", settings.db.display())?;
        if let Some(b) = newest {
            writeln!(out, "Newest backup: {b}")?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "{}: DAMAGED. SQLite's integrity check found:",
        settings.db.display()
    )?;
    for p in &report.problems {
        writeln!(out, "  - {p}")?;
    }
    match newest {
        Some(b) => writeln!(out, "Nothing more will be written to it. To go back to your newest backup:\n  joy restore {b}")?,
        None => writeln!(out, "Nothing more will be written to it. No backups were found in {}; `joy export` may still save what can be read.", backup_dir(&settings.db).display())?,
    }
    Ok(ExitCode::from(1))
}

/// `joy import FILE`: check-ins into the personal history, all or
/// nothing; one already here (the same questionnaire, time and answers) is
/// not taken again. A `.csv` file is a Daylio export; anything else a FHIR
/// QuestionnaireResponse or Bundle of them.
pub fn import(
    settings: &Settings,
    file: &Path,
    moods: &[String],
    out: &mut impl Write,
) -> Result<ExitCode> {
    let daylio = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if !daylio && !moods.is_empty() {
        anyhow::bail!(
            "--mood is for a Daylio export (a .csv file); {} is read as FHIR JSON",
            file.display()
        );
    }
    let moods = parse_moods(moods)?;
    let bytes = crate::files::read_regular_capped(file, crate::fhir::import::MAX_FILE_BYTES)
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{}: this is not UTF-8 text (byte {}); export it again from the app that made it",
            file.display(),
            e.utf8_error().valid_up_to()
        )
    })?;
    let known: Vec<crate::questionnaire::Questionnaire> =
        crate::questionnaire::Catalog::load(&settings.questionnaire_dirs)
            .entries
            .into_iter()
            .map(|e| e.questionnaire)
            .collect();
    // Everything is read and checked before the database is opened: a
    // refused file (or a mistyped --db) leaves no new database behind.
    let me = 0;
    let refused = |lines: Vec<String>| {
        anyhow::anyhow!(
            "{}\nNothing was imported: fix these and run it again.",
            lines.join("\n")
        )
    };
    let (list, notes_cut) = if daylio {
        let q = known
            .iter()
            .find(|q| q.id == crate::daylio::QUESTIONNAIRE)
            .ok_or_else(|| anyhow::anyhow!("the \"{}\" questionnaire is missing (a file of yours with its id replaced it and failed to load?): `joy list` says", crate::daylio::QUESTIONNAIRE))?;
        let read = crate::daylio::read(&text, q, me, &moods, &chrono::Local).map_err(|p| {
            refused(
                p.iter()
                    .map(|p| format!("{}: {p}", file.display()))
                    .collect(),
            )
        })?;
        for unused in &read.unused_moods {
            writeln!(out, "{}", crate::text::mood_unused(unused))?;
        }
        (read.checkins, read.notes_cut)
    } else {
        let list = crate::fhir::import::read(&text, &known, me).map_err(|p| {
            refused(
                p.iter()
                    .map(|p| format!("{}:{p}", file.display()))
                    .collect(),
            )
        })?;
        (list, 0)
    };
    let mut store = open_write(settings)?;
    let me = store.local_respondent()?;
    let list: Vec<crate::model::NewCheckin> = list
        .into_iter()
        .map(|mut c| {
            c.respondent = Some(me);
            c
        })
        .collect();
    let saved = save_new(&mut store, me, list)?;
    writeln!(
        out,
        "{}",
        crate::text::fhir_imported(saved.taken, saved.already, &file.display().to_string())
    )?;
    if saved.repeated > 0 {
        writeln!(out, "{}", crate::text::repeated_in_file(saved.repeated))?;
    }
    if notes_cut > 0 {
        writeln!(out, "{}", crate::text::notes_cut(notes_cut))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `--mood NAME=N` as (name in lower case, N from 1 to 5).
fn parse_moods(given: &[String]) -> Result<Vec<(String, u8)>> {
    given
        .iter()
        .map(|m| {
            let (name, n) = m.rsplit_once('=').ok_or_else(|| {
                anyhow::anyhow!("--mood {m}: give it as NAME=N, e.g. --mood \"so-so=3\"")
            })?;
            let n: u8 = n
                .trim()
                .parse()
                .ok()
                .filter(|n| (1..=5).contains(n))
                .ok_or_else(|| {
                    anyhow::anyhow!("--mood {m}: N is a number from 1 (worst) to 5 (best)")
                })?;
            Ok((name.trim().to_lowercase(), n))
        })
        .collect()
}

/// What an import kept: taken, already in the history, and repeated
/// within the file itself.
struct Saved {
    taken: usize,
    already: usize,
    repeated: usize,
}

/// The identity of a check-in for an import: the questionnaire and the
/// time, then (for one made in an app) its answers. A Daylio entry is its
/// time and its note, whatever mood number it was given: importing the file
/// again with another `--mood` keeps it once.
fn import_key(
    qid: &str,
    at: chrono::DateTime<chrono::Utc>,
    answers: &[crate::model::SavedAnswer],
    daylio: bool,
) -> String {
    let values: Vec<(&str, &serde_json::Value)> = answers
        .iter()
        .filter(|a| !daylio || a.question_id == crate::questionnaire::load::NOTE_ID)
        .map(|a| (a.question_id.as_str(), &a.value))
        .collect();
    format!(
        "{qid}|{}|{}",
        at.timestamp_millis(),
        serde_json::to_string(&values).unwrap_or_default()
    )
}

/// Save the check-ins of `list` that are not in `me`'s history already
/// (see [`import_key`]), in one transaction.
fn save_new(store: &mut Store, me: i64, list: Vec<crate::model::NewCheckin>) -> Result<Saved> {
    let daylio = |source: Option<&str>| source == Some(crate::daylio::SOURCE);
    let have: std::collections::HashSet<String> = store
        .history(Some(me), None)?
        .iter()
        .map(|r| {
            import_key(
                &r.questionnaire_id,
                r.completed_at,
                &r.answers,
                daylio(r.imported_from.as_deref()),
            )
        })
        .collect();
    let mut in_file = std::collections::HashSet::new();
    let (mut already, mut repeated) = (0, 0);
    let mut new = Vec::new();
    for c in list {
        let key = import_key(
            &c.questionnaire_id,
            c.completed_at,
            &c.answers,
            daylio(c.imported_from.as_deref()),
        );
        if have.contains(&key) {
            already += 1;
        } else if !in_file.insert(key) {
            repeated += 1;
        } else {
            new.push(c);
        }
    }
    store.save_many(&new)?;
    Ok(Saved {
        taken: new.len(),
        already,
        repeated,
    })
}
