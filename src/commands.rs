//! The subcommands beside the app: validate, score, list, history, export,
//! erase, demo. Each returns the process exit code.

use crate::cli::{Cli, Command, ExportFormat, KioskAction};
use crate::config::{Overrides, Settings};
use crate::questionnaire::answers::{combine, parse_pairs, read_answers_file};
use crate::questionnaire::catalog::{questionnaire_files, BUNDLED};
use crate::questionnaire::{load_path, load_str, score, Catalog, Diagnostic, Questionnaire};
use crate::store::{export, Store};
use crate::text;
use anyhow::{bail, Result};
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn run(cli: Cli) -> Result<ExitCode> {
    let overrides = Overrides {
        config: cli.config.clone(),
        db: cli.db.clone(),
        questionnaires: cli.questionnaires.clone(),
        no_color: cli.no_color,
    };
    if matches!(cli.command, Some(Command::Kiosk { action: None }))
        && std::io::stdout().is_terminal()
    {
        // A kiosk runs under a supervisor: a configuration it cannot use
        // pauses it on screen (saying why, for IT) and is read again every
        // few seconds, rather than exiting into a restart loop.
        let load = || {
            let settings = Settings::load(&overrides)?;
            crate::app::terminal::kiosk_questionnaires(&settings)?;
            Ok::<_, String>(settings)
        };
        let settings = match load() {
            Ok(s) => s,
            Err(reason) => crate::app::out_of_order::wait_until(reason, &[], cli.no_color, load)?,
        };
        return crate::app::terminal::run_kiosk(&settings).map(|_| ExitCode::SUCCESS);
    }
    let settings = Settings::load(&overrides).map_err(anyhow::Error::msg)?;
    let to_terminal = std::io::stdout().is_terminal();
    if cli.command.is_none()
        && crate::app::plain::chosen(
            cli.plain,
            std::env::var("TERM").ok().as_deref(),
            std::io::stdin().is_terminal(),
            to_terminal,
        )
    {
        return match crate::app::terminal::run_plain(&settings) {
            Err(e) if is_broken_pipe(&e) => Ok(ExitCode::SUCCESS),
            other => other.map(|_| ExitCode::SUCCESS),
        };
    }
    let result = run_with(
        &settings,
        cli.command,
        &mut std::io::stdout().lock(),
        to_terminal,
    );
    match result {
        // The reader went away (`joy history | head`): stop quietly.
        Err(e) if is_broken_pipe(&e) => Ok(ExitCode::SUCCESS),
        other => other,
    }
}

/// Did writing fail because the other end of a pipe was closed?
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<csv::Error>().is_some_and(|ce| {
                matches!(ce.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
            })
    })
}

/// Print `s` and a newline for a person to read. Every line the text
/// printers (`validate`, `list`, `score`, `history`) write goes through here,
/// so text from files, answers or the database reaches the terminal only
/// through [`text::safe_for_terminal`].
pub fn say(out: &mut impl Write, s: &str) -> std::io::Result<()> {
    out.write_all(text::safe_for_terminal(s).as_bytes())?;
    out.write_all(b"\n")
}

/// `writeln!` for people: the line passes through [`say`].
macro_rules! say {
    ($out:expr, $($arg:tt)*) => {
        say($out, &format!($($arg)*))
    };
}

/// Print JSON for a program to read: valid, faithful, and with every
/// terminal control written as a `\u` escape ([`text::safe_json`]).
fn print_json(out: &mut impl Write, v: &impl serde::Serialize) -> Result<()> {
    let json = serde_json::to_string_pretty(v)?;
    out.write_all(text::safe_json(&json).as_bytes())?;
    out.write_all(b"\n")?;
    Ok(())
}

/// Run one command with its output going to `out`; `to_terminal` says
/// whether `out` is a terminal (an export shown there is made safe to show).
pub fn run_with(
    settings: &Settings,
    command: Option<Command>,
    out: &mut impl Write,
    to_terminal: bool,
) -> Result<ExitCode> {
    match command {
        None => crate::app::terminal::run(settings).map(|_| ExitCode::SUCCESS),
        Some(Command::Validate { paths }) => validate(settings, &paths, out),
        Some(Command::Convert { file, out: to }) => convert(&file, to.as_deref(), out),
        Some(Command::Score {
            file,
            answers,
            answers_file,
            json,
        }) => score_cmd(
            settings,
            &file,
            &answers,
            answers_file.as_deref(),
            json,
            out,
        ),
        Some(Command::List) => list(settings, out),
        Some(Command::Status) => status(settings, out),
        Some(Command::Remind { ics, force }) => remind(settings, &ics, force, out),
        Some(Command::History {
            questionnaire,
            json,
        }) => history(settings, questionnaire.as_deref(), json, out),
        Some(Command::Export {
            format,
            out: file,
            force,
            no_demo,
        }) => export_cmd(
            settings,
            format,
            (file.as_deref(), force),
            no_demo,
            to_terminal,
            out,
        ),
        Some(Command::Import { file, mood }) => {
            crate::data_commands::import(settings, &file, &mood, out)
        }
        Some(Command::Erase { yes, demo }) => erase(settings, yes, demo, out),
        Some(Command::Demo { days, yes, teams }) => demo(settings, days, yes, teams, out),
        Some(Command::Backup { out: file }) => {
            crate::data_commands::backup(settings, file.as_deref(), out)
        }
        Some(Command::Restore { file, yes }) => {
            crate::data_commands::restore(settings, &file, yes, out)
        }
        Some(Command::Check) => crate::data_commands::check(settings, out),
        Some(Command::Kiosk { action: None }) => {
            crate::app::terminal::run_kiosk(settings).map(|_| ExitCode::SUCCESS)
        }
        Some(Command::Kiosk {
            action: Some(KioskAction::SetAdminPin { pin_stdin }),
        }) => crate::kiosk_commands::set_admin_pin(settings, pin_stdin, out),
        Some(Command::Huddle {
            action: Some(action),
            ..
        }) => crate::huddle_commands::admin(settings, action, crate::clock::now(), out),
        // The ward view from a server: each ward the login reads (the trust
        // view for one that reads every ward).
        Some(Command::Huddle {
            action: None,
            ward: true,
            server: Some(url),
            period,
            questionnaire,
            export,
            out: file,
            ..
        }) => {
            if matches!(export, Some(crate::cli::HuddleFormat::Csv)) || file.is_some() {
                anyhow::bail!("the ward view from a server is written as markdown to standard output: --export csv and --out are not supported with --server yet (redirect the output to keep it)");
            }
            crate::server_commands::run(
                settings,
                Some(&url),
                crate::cli::ServerAction::Trust {
                    period,
                    questionnaire,
                },
                out,
            )
        }
        Some(Command::Huddle {
            action: None,
            ward: true,
            period,
            questionnaire,
            export,
            out: file,
            force,
            ..
        }) => crate::huddle_commands::ward(
            settings,
            &crate::huddle_commands::HuddleArgs {
                team: None,
                server: None,
                period,
                questionnaire,
                export,
                out: file,
                force,
            },
            to_terminal,
            out,
        ),
        Some(Command::Huddle {
            action: None,
            team,
            server,
            period,
            questionnaire,
            export,
            out: file,
            force,
            ward: false,
        }) => crate::huddle_commands::huddle(
            settings,
            &crate::huddle_commands::HuddleArgs {
                team,
                server,
                period,
                questionnaire,
                export,
                out: file,
                force,
            },
            crate::clock::today_local(),
            to_terminal,
            out,
        ),
        Some(Command::Server { url, action }) => {
            crate::server_commands::run(settings, url.as_deref(), action, out)
        }
        Some(Command::Actions { command }) => {
            crate::huddle_commands::actions(settings, command, crate::clock::today_local(), out)
        }
    }
}

/// Load every file named (folders: their `.toml` files). With none named,
/// the bundled files and the user's folders. Duplicate ids are errors.
pub fn validate(settings: &Settings, paths: &[PathBuf], out: &mut impl Write) -> Result<ExitCode> {
    let mut results: Vec<(String, Result<Questionnaire, Vec<Diagnostic>>)> = Vec::new();
    if paths.is_empty() {
        for (name, text) in BUNDLED {
            results.push((name.to_string(), load_str(name, text)));
        }
        for dir in &settings.questionnaire_dirs {
            for f in questionnaire_files(dir) {
                results.push((f.display().to_string(), load_path(&f)));
            }
        }
    } else {
        for p in paths {
            if p.is_dir() {
                for f in questionnaire_files(p) {
                    results.push((f.display().to_string(), load_path(&f)));
                }
                results.extend(orphan_companions(p));
            } else if let Some(json) = companion_of(p) {
                // A companion is checked with its FHIR file.
                results.push((json.display().to_string(), load_path(&json)));
            } else {
                results.push((p.display().to_string(), load_path(p)));
            }
        }
    }
    let (mut ok, mut bad) = (0, 0);
    let mut seen: Vec<(String, String)> = Vec::new();
    for (name, result) in &results {
        match result {
            Ok(q) => {
                if let Some((_, first)) = seen.iter().find(|(id, _)| *id == q.id) {
                    bad += 1;
                    say!(
                        out,
                        "{name}:1:1: questionnaire id \"{}\" is also used by {first}; each file needs its own id \
                         (a user file replaces a bundled one only in the app, not within one folder)",
                        q.id
                    )?;
                    continue;
                }
                seen.push((q.id.clone(), name.clone()));
                ok += 1;
                // The note the review offers is no question on the way.
                let asked = q.questions.iter().filter(|x| !x.on_review).count();
                let note = if asked < q.questions.len() {
                    text::AND_A_NOTE
                } else {
                    ""
                };
                say!(
                    out,
                    "ok  {name}: {} ({}, {}{note}, {})",
                    q.title,
                    q.id,
                    text::count(asked, "question", "questions"),
                    text::count(q.scores.len(), "score", "scores")
                )?;
                for w in crate::questionnaire::fhir::warnings(q, name) {
                    say!(out, "{w}")?;
                }
            }
            Err(diags) => {
                bad += 1;
                for d in diags {
                    say!(out, "{d}")?;
                }
            }
        }
    }
    say!(
        out,
        "\n{} checked: {ok} valid, {bad} with problems.",
        text::count(results.len(), "file", "files")
    )?;
    Ok(if bad == 0 && !results.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `joy convert`: a questionnaire file in the project's TOML format, on
/// the screen or in a new file; what the format cannot hold is said.
pub fn convert(file: &Path, to: Option<&Path>, out: &mut impl Write) -> Result<ExitCode> {
    let q = match load_path(file) {
        Ok(q) => q,
        Err(diags) => {
            for d in diags {
                say!(out, "{d}")?;
            }
            say!(
                out,
                "\nNothing converted: fix the file first (`joy validate` checks it)."
            )?;
            return Ok(ExitCode::from(1));
        }
    };
    let (text, warnings) = crate::questionnaire::to_toml::to_toml(&q, &file.display().to_string());
    match to {
        None => out.write_all(text.as_bytes())?,
        Some(path) => {
            let written = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
                .and_then(|mut f| {
                    f.write_all(text.as_bytes())?;
                    f.sync_all()
                });
            if let Err(e) = written {
                say!(
                    out,
                    "{}: cannot write it ({e}); an existing file is never replaced: choose a new name.",
                    path.display()
                )?;
                return Ok(ExitCode::from(1));
            }
            say!(out, "Wrote {} ({}).", path.display(), q.title)?;
        }
    }
    let same_id = q.fhir.is_some().then(|| text::fhir::convert_same_id(&q.id));
    let lost = q.fhir.is_some().then_some(text::fhir::CONVERT_CODES_LOST);
    let warnings: Vec<String> = warnings.into_iter().chain(same_id).collect();
    for w in warnings.iter().map(String::as_str).chain(lost) {
        eprintln!("{}: warning: {w}", file.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// The FHIR file of a companion file named on the command line.
fn companion_of(p: &Path) -> Option<PathBuf> {
    let name = p.file_name()?.to_string_lossy();
    let stem = name.strip_suffix(crate::questionnaire::fhir::COMPANION_SUFFIX)?;
    Some(p.with_file_name(format!("{stem}.json")))
}

/// Companion files in `dir` with no FHIR file beside them: each an error.
fn orphan_companions(dir: &Path) -> Vec<(String, Result<Questionnaire, Vec<Diagnostic>>)> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<_> = read
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter_map(|p| {
            let json = companion_of(&p)?;
            (!json.exists()).then(|| {
                let name = p.display().to_string();
                let message = format!(
                    "this companion file has no FHIR questionnaire beside it ({} is missing): \
                     a companion adds bands and support to NAME.json and is read only with it",
                    json.display()
                );
                (
                    name.clone(),
                    Err(vec![Diagnostic::at(&name, 1, 1, message)]),
                )
            })
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// A questionnaire by path, or else by id among those available.
fn resolve_questionnaire(settings: &Settings, file: &str) -> Result<Questionnaire> {
    let path = Path::new(file);
    if path.exists() {
        return load_path(path).map_err(|diags| {
            let lines: Vec<String> = diags.iter().map(ToString::to_string).collect();
            anyhow::anyhow!("{file} is not a valid questionnaire:\n{}", lines.join("\n"))
        });
    }
    let catalog = Catalog::load(&settings.questionnaire_dirs);
    match catalog.get(file) {
        Some(q) => Ok(q.clone()),
        None => bail!(
            "no file or questionnaire called \"{file}\". Give a file path, or one of: {}",
            catalog.id_list()
        ),
    }
}

fn score_cmd(
    settings: &Settings,
    file: &str,
    pairs: &[String],
    answers_file: Option<&Path>,
    json: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let q = resolve_questionnaire(settings, file)?;
    let from_file = match answers_file {
        Some(p) => read_answers_file(&q, p).map_err(|e| anyhow::anyhow!(e.join("\n")))?,
        None => Default::default(),
    };
    let given = parse_pairs(&q, pairs.iter().map(String::as_str))
        .map_err(|e| anyhow::anyhow!(e.join("\n")))?;
    let answers = combine(from_file, given).map_err(|e| anyhow::anyhow!(e.join("\n")))?;
    let outcome = score(&q, &answers);
    if json {
        // The result, plus the support texts to show with it: those of the
        // alert bands and flags reached, then the trust's own lines.
        let signposting = outcome.signposting(&q);
        let mut v = serde_json::to_value(&outcome)?;
        if let Some(map) = v.as_object_mut() {
            map.insert("signposting".into(), serde_json::json!(signposting));
            map.insert(
                "local_support".into(),
                serde_json::json!(if signposting.is_empty() {
                    &[][..]
                } else {
                    &settings.local_support[..]
                }),
            );
        }
        print_json(out, &v)?;
    } else {
        let report = text::outcome_report(&q, &outcome, &settings.local_support);
        say(out, report.trim_end_matches('\n'))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn list(settings: &Settings, out: &mut impl Write) -> Result<ExitCode> {
    let catalog = Catalog::load(&settings.questionnaire_dirs);
    say!(out, "Available questionnaires:")?;
    // Columns as wide as their longest entry, two spaces apart: never run
    // together, whatever the titles.
    let width = |f: &dyn Fn(&Questionnaire) -> usize, head: &str| {
        catalog
            .entries
            .iter()
            .map(|e| f(&e.questionnaire))
            .chain([head.chars().count()])
            .max()
            .unwrap_or(0)
    };
    let (id_w, title_w) = (
        width(&|q| q.id.chars().count(), "id"),
        width(&|q| q.title.chars().count(), "title"),
    );
    say!(
        out,
        "  {:<id_w$}  {:<title_w$}  {:<8}  {:>6}  {:<13}  from",
        "id",
        "title",
        "kind",
        "time",
        "reminder"
    )?;
    for e in &catalog.entries {
        let q = &e.questionnaire;
        let every = crate::reminders::every_of(q, &settings.reminders)
            .map_or_else(|| "-".to_string(), |d| format!("every {d} days"));
        say!(
            out,
            "  {:<id_w$}  {:<title_w$}  {:<8}  {:>6}  {:<13}  {}{}",
            q.id,
            q.title,
            q.kind.as_str(),
            format!("{} min", q.minutes),
            every,
            e.origin.describe(),
            if e.replaces_bundled {
                " (replaces the bundled one)"
            } else {
                ""
            }
        )?;
    }
    let dirs: Vec<String> = settings
        .questionnaire_dirs
        .iter()
        .map(|d| d.display().to_string())
        .collect();
    say!(
        out,
        "\nYour questionnaire folder: {}",
        if dirs.is_empty() {
            "(none)".into()
        } else {
            dirs.join(", ")
        }
    )?;
    match &settings.config_file {
        Some(f) => say!(
            out,
            "Config file: {} ({} of your own)",
            f.display(),
            text::count(
                settings.local_support.len(),
                "support line",
                "support lines"
            )
        )?,
        None => say!(
            out,
            "Config file: none (see the Configuration section of the README)"
        )?,
    }
    if !catalog.failures.is_empty() {
        say!(
            out,
            "\nFiles that failed to load (the others loaded normally):"
        )?;
        for f in &catalog.failures {
            for d in &f.diagnostics {
                say!(out, "  {d}")?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The reminders as they stand now: every personal questionnaire with a
/// cadence, from the last real check-in of each (none on a new install).
fn reminders_now(settings: &Settings) -> Result<Vec<crate::reminders::Reminder>> {
    let questionnaires =
        crate::questionnaire::catalog::reminder_facts(&settings.questionnaire_dirs);
    // The cheap open: identity and schema, no integrity check (that is the
    // app's and the writing commands' job); a missing file is a new install.
    let last = match Store::open_read_only_cheap(&settings.db) {
        Ok(mut s) => s.last_done_each()?,
        Err(crate::store::StoreError::Missing { .. }) => Default::default(),
        Err(e) => return Err(e.into()),
    };
    Ok(crate::reminders::reminders(
        &questionnaires,
        &settings.reminders,
        &last,
        crate::clock::now(),
        &chrono::Local,
    ))
}

/// `joy status`: one line; exit 1 when something is suggested now.
fn status(settings: &Settings, out: &mut impl Write) -> Result<ExitCode> {
    let (line, due) = crate::reminders::status_line(&reminders_now(settings)?);
    writeln!(out, "{}", text::safe_for_terminal(&line))?;
    Ok(if due {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `joy remind --ics FILE`: a calendar file of the reminders.
fn remind(settings: &Settings, file: &Path, force: bool, out: &mut impl Write) -> Result<ExitCode> {
    let reminders = reminders_now(settings)?;
    if reminders.is_empty() {
        bail!("{}", text::REMIND_NOTHING);
    }
    let now = crate::clock::now();
    let today = now.with_timezone(&chrono::Local).date_naive();
    let body = crate::reminders::ics(&reminders, now, today, crate::anonymity::os_seed());
    export::write_export(file, body.as_bytes(), &settings.db, force)?;
    writeln!(
        out,
        "{}",
        text::reminders_written(
            reminders.len(),
            &text::safe_for_terminal(&file.display().to_string())
        )
    )?;
    Ok(ExitCode::SUCCESS)
}

fn history(
    settings: &Settings,
    questionnaire: Option<&str>,
    json: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let mut store = match crate::data_commands::open_read(settings) {
        Ok(s) => s,
        // A new install (no database at the default place yet): nothing
        // saved, not an error. A path given that is not there stays one.
        Err(e)
            if settings.db_is_default
                && matches!(
                    e.downcast_ref::<crate::store::StoreError>(),
                    Some(crate::store::StoreError::Missing { .. })
                ) =>
        {
            if json {
                print_json(out, &Vec::<crate::store::CheckinRecord>::new())?;
            } else {
                say!(out, "No check-ins yet in {}.", settings.db.display())?;
            }
            return Ok(ExitCode::SUCCESS);
        }
        Err(e) => return Err(e),
    };
    let records = store.history(None, questionnaire)?;
    if let Some(id) = questionnaire.filter(|_| records.is_empty()) {
        // No check-ins: is that because the id is wrong?
        let catalog = Catalog::load(&settings.questionnaire_dirs);
        if catalog.get(id).is_none() {
            bail!(
                "there is no questionnaire \"{id}\" and no check-ins of one. Use one of: {} (see `joy list`)",
                catalog.id_list()
            );
        }
    }
    if json {
        print_json(out, &records)?;
        return Ok(ExitCode::SUCCESS);
    }
    if records.is_empty() {
        say!(out, "No check-ins yet in {}.", settings.db.display())?;
        return Ok(ExitCode::SUCCESS);
    }
    say!(
        out,
        "{:<17} {:<16} {:<30} {:>7}  band",
        "completed",
        "questionnaire",
        "score",
        "value"
    )?;
    for r in &records {
        let first = r.scores.first();
        say!(
            out,
            "{:<17} {:<16} {:<30} {:>7}  {} {}{}{}",
            // Local time, as the app and the CSV show it.
            r.completed_at
                .with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M"),
            r.questionnaire_id,
            first.map(|s| s.label.as_str()).unwrap_or("-"),
            first
                .and_then(|s| s.value)
                .map(crate::questionnaire::fmt_number)
                .unwrap_or_else(|| "-".into()),
            first.and_then(|s| s.band_label.as_deref()).unwrap_or(""),
            text::tone_word_str(first.and_then(|s| s.band_tone.as_deref())),
            if r.is_demo { "  (demo)" } else { "" },
            r.imported_from
                .as_deref()
                .map(text::imported_mark)
                .unwrap_or_default()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn export_cmd(
    settings: &Settings,
    format: ExportFormat,
    (file, force): (Option<&Path>, bool),
    no_demo: bool,
    to_terminal: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let mut store = crate::data_commands::open_read(settings)?;
    let mut records = store.history(None, None)?;
    if no_demo {
        records.retain(|r| !r.is_demo);
    }
    let known = || -> Vec<Questionnaire> {
        Catalog::load(&settings.questionnaire_dirs)
            .entries
            .into_iter()
            .map(|e| e.questionnaire)
            .collect()
    };
    let body = match format {
        ExportFormat::Json => export::to_json(&records, crate::clock::now()) + "\n",
        ExportFormat::CsvLong => export::to_csv_long(&records)?,
        ExportFormat::Csv => export::to_csv(&records, &known(), &chrono::Local)?,
        ExportFormat::Fhir => {
            crate::fhir::out::to_json(&records, &known(), crate::clock::now()) + "\n"
        }
    };
    match file {
        // On a terminal the export is for reading: shown safely, with the
        // CSV's CRLF line ends as plain newlines. To a pipe it stays exact.
        None if to_terminal => {
            let shown = body.replace("\r\n", "\n");
            out.write_all(text::safe_for_terminal(&shown).as_bytes())?
        }
        None => out.write_all(body.as_bytes())?,
        Some(p) => {
            export::write_export(p, body.as_bytes(), &settings.db, force)?;
            eprintln!(
                "Wrote {} to {}.",
                text::count(records.len(), "check-in", "check-ins"),
                text::safe_for_terminal(&p.display().to_string())
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn erase(settings: &Settings, yes: bool, demo: bool, out: &mut impl Write) -> Result<ExitCode> {
    if !settings.db.exists() {
        writeln!(
            out,
            "There is no database at {}: nothing to erase.",
            settings.db.display()
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let db = settings.db.display().to_string();
    if demo {
        let mut store = Store::open_checked(&settings.db)?;
        if let Some(e) = store.write_refusal("erasing demo data") {
            // Damaged or read-only: say so, not "no demo data".
            return Err(e.into());
        }
        let n = store.demo_counts()?;
        if n.demo == 0 {
            writeln!(out, "{}", text::ERASE_DEMO_NONE.replace("{db}", &db))?;
            return Ok(ExitCode::SUCCESS);
        }
        if !yes {
            let prompt = text::erase_demo_prompt(n.demo, n.real, &db);
            if !confirm(&prompt, text::TYPE_ERASE, "erase", out)? {
                writeln!(out, "{}", text::ERASE_CANCELLED)?;
                return Ok(ExitCode::from(1));
            }
        }
        let r = store.erase_demo()?;
        writeln!(
            out,
            "Erased {} demo check-in(s), {} answer(s) and {} score(s) from {db}; your own {} check-in(s) are kept.",
            r.checkins, r.answers, r.scores, n.real
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    if !yes
        && !confirm(
            &text::ERASE_PROMPT.replace("{db}", &db),
            text::TYPE_ERASE,
            "erase",
            out,
        )?
    {
        writeln!(out, "{}", text::ERASE_CANCELLED)?;
        return Ok(ExitCode::from(1));
    }
    let mut store = Store::open_checked(&settings.db)?;
    let r = store.erase_personal()?;
    writeln!(
        out,
        "Erased {} check-in(s), {} answer(s) and {} score(s) from {}.",
        r.checkins,
        r.answers,
        r.scores,
        settings.db.display()
    )?;
    // The backups beside it hold the same check-ins: gone too where the
    // file now holds nothing else; else said (a kiosk's backups hold
    // other people's histories, which are not this command's to delete).
    let dir = crate::store::backup_dir(&settings.db);
    let backups = crate::store::safety::list_backups(&dir).unwrap_or_default();
    if !backups.is_empty() {
        let dir_shown = text::safe_for_terminal(&dir.display().to_string()).into_owned();
        if store.count("checkin")? == 0 {
            let mut left = Vec::new();
            for b in &backups {
                if std::fs::remove_file(b).is_err() {
                    left.push(b.display().to_string());
                }
            }
            writeln!(
                out,
                "{}",
                text::erase_backups_deleted(backups.len() - left.len(), &dir_shown)
            )?;
            if !left.is_empty() {
                bail!("{}", text::erase_backups_left(&left));
            }
        } else {
            writeln!(
                out,
                "{}",
                text::erase_backups_kept(backups.len(), &dir_shown)
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Show `warning` and ask on the terminal for `word` to be typed. Without
/// a terminal this is an error that names --yes, so a script never waits.
fn confirm(warning: &str, prompt: &str, word: &str, out: &mut impl Write) -> Result<bool> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        bail!("{}", text::needs_terminal(warning));
    }
    write!(out, "{warning}\n{prompt}")?;
    out.flush()?;
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    Ok(line.trim() == word)
}

fn demo(
    settings: &Settings,
    days: u32,
    yes: bool,
    teams: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let db = settings.db.display().to_string();
    // Real check-ins already there? (The file is not created just to look.)
    let real = if settings.db.exists() {
        Store::open_checked(&settings.db)?.demo_counts()?.real
    } else {
        0
    };
    if !yes && (settings.db_is_default || real > 0) {
        let warning = if real > 0 {
            text::demo_real_checkins(real, &db)
        } else {
            text::DEMO_DEFAULT_DB.replace("{db}", &db)
        };
        if !confirm(&warning, text::DEMO_CONFIRM, "yes", out)? {
            writeln!(out, "{}", text::DEMO_CANCELLED)?;
            return Ok(ExitCode::from(1));
        }
    }
    let catalog = Catalog::load(&settings.questionnaire_dirs);
    let mut store = Store::open_checked(&settings.db)?;
    if let Some(e) = store.write_refusal("adding demo data") {
        // Damaged or read-only: said first, before anything about its contents.
        return Err(e.into());
    }
    if teams {
        let Some(q) = catalog.get(crate::team_view::FALLBACK) else {
            anyhow::bail!("the bundled team reflection is missing: reinstall joy-kiosk");
        };
        // A demo ward already here: a second one would pile its
        // reflections into the open week (the closed ones are released).
        let have = store.teams(None)?;
        if crate::reflection_gen::DEMO_TEAMS
            .iter()
            .any(|t| have.iter().any(|h| h == t))
        {
            anyhow::bail!("{}", text::demo_ward_exists(&db));
        }
        let now = crate::clock::now();
        let rows = crate::reflection_gen::demo_ward(q, days, now, 2026);
        store.save_many(&rows)?;
        let offered: Vec<_> = catalog
            .entries
            .iter()
            .map(|e| e.questionnaire.clone())
            .collect();
        let report = store.release_closed(
            now,
            &offered,
            crate::anonymity::Thresholds::from_settings(&settings.huddle),
        )?;
        writeln!(
            out,
            "{}",
            text::demo_teams_added(
                rows.len(),
                days,
                report.released.len(),
                &settings.db.display().to_string()
            )
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    // Demo history already here: a second would lay the same days over it.
    let me = store.local_respondent()?;
    if store.demo_counts()?.personal_demo > 0 {
        anyhow::bail!("{}", text::demo_history_exists(&db));
    }
    let checkins = crate::demo::generate(&catalog, me, days, crate::clock::now(), 2026);
    store.save_many(&checkins)?;
    writeln!(
        out,
        "Added {} demo check-in(s) over {days} days to {} (marked as demo data).\nOpen them with: joy --db {}",
        checkins.len(),
        settings.db.display(),
        settings.db.display()
    )?;
    Ok(ExitCode::SUCCESS)
}
