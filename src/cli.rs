//! Command-line interface: every subcommand and flag (clap).

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "joy",
    version,
    about = "Wellbeing check-ins and joy-in-work reflections for NHS staff",
    long_about = "Wellbeing check-ins and joy-in-work reflections for NHS staff.\n\
                  With no command, opens the check-in app in the terminal."
)]
pub struct Cli {
    /// A config file to read [default: joy.toml in your config directory,
    /// e.g. ~/.config/joy-kiosk/joy.toml; see the README's Configuration section]
    #[arg(long, global = true, env = "JOY_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// The SQLite database holding your history [default: joy.db in your data directory]
    #[arg(long, global = true, env = "JOY_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// A folder of questionnaire files to use besides the bundled ones
    /// [default: the questionnaires folder in your data directory]
    #[arg(long, global = true, env = "JOY_QUESTIONNAIRES", value_name = "DIR")]
    pub questionnaires: Option<PathBuf>,

    /// Monochrome screens (as NO_COLOR=1 does)
    #[arg(long, global = true)]
    pub no_color: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check questionnaire files and report every problem with file:line:column
    Validate {
        /// Files or folders to check [default: the bundled files and your questionnaire folder]
        paths: Vec<PathBuf>,
    },
    /// Score a questionnaire from given answers, to check its scoring rules
    Score {
        /// A questionnaire file, or the id of an available questionnaire
        file: String,
        /// An answer as QUESTION_ID=VALUE, VALUE being the option's value or its label.
        /// Repeat -a for each answer: -a calm=3 -a rested="Most of the time".
        /// For a multiple-choice question, separate the ticked options with `;`: -a pebbles="it;staffing"
        #[arg(long = "answer", short = 'a', value_name = "ID=VALUE")]
        answers: Vec<String>,
        /// A TOML file of answers, one `question_id = value` per line
        #[arg(long = "answers", value_name = "FILE")]
        answers_file: Option<PathBuf>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// List the available questionnaires, where each came from, and any that failed to load
    List,
    /// Show your check-in history
    History {
        /// Only this questionnaire (its id, as `joy list` shows)
        #[arg(long, value_name = "ID")]
        questionnaire: Option<String>,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Export all your personal data (answers with value and label, scores, bands)
    Export {
        /// csv: one row per check-in, for spreadsheets; csv-long: one row per answer and score;
        /// json: everything, nested
        #[arg(long, value_enum, value_name = "FORMAT")]
        format: ExportFormat,
        /// Write to this file instead of standard output (created readable by you only;
        /// never your database)
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Replace the --out file if it already exists
        #[arg(long, requires = "out")]
        force: bool,
    },
    /// Delete all your personal data, after you confirm
    Erase {
        /// Do not ask for confirmation (for scripts)
        #[arg(long)]
        yes: bool,
        /// Delete only demo data (made by `joy demo`); your own check-ins are kept
        #[arg(long)]
        demo: bool,
    },
    /// Take a consistent copy of the database (safe while the app is running)
    Backup {
        /// Write the copy here [default: a dated file in `backups/` beside the database]
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Replace the database with a backup, after checking the backup; the replaced database is kept as a backup
    Restore {
        /// The backup file to restore from
        file: PathBuf,
        /// Do not ask for confirmation (for scripts)
        #[arg(long)]
        yes: bool,
    },
    /// Run SQLite's full integrity check on the database and say what to do if it is damaged
    Check,
    /// Run this terminal as a check-in station shared by a ward: anonymous check-ins first,
    /// private history behind a personal code and PIN, nothing of one person shown to the next.
    /// Set the admin PIN first with `joy kiosk set-admin-pin`; `[kiosk]` in the config file
    /// sets the ward, teams and timeouts
    Kiosk {
        #[command(subcommand)]
        action: Option<KioskAction>,
    },
    /// Fill a database with synthetic demo history so you can see the trend charts
    Demo {
        /// How many days of history to generate
        #[arg(long, default_value_t = 180, value_name = "N")]
        days: u32,
        /// Do not ask before writing into your default database or into one
        /// that holds real check-ins (for scripts)
        #[arg(long)]
        yes: bool,
    },
}

/// What `joy kiosk` does besides running the kiosk.
#[derive(Debug, Subcommand)]
pub enum KioskAction {
    /// Set the PIN that opens the kiosk's hidden admin screen (4 to 12 digits). Asked twice
    /// on the terminal without showing it; only its argon2id hash is stored in the database
    SetAdminPin {
        /// Read the PIN from standard input (its first line) instead of asking on the
        /// terminal: for scripts and tests, e.g. `printf '%s\n' "$PIN" | joy kiosk set-admin-pin --pin-stdin`
        #[arg(long)]
        pin_stdin: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// One row per check-in: local and UTC time, questionnaire, a column per question
    /// (the chosen label) and per score (rounded as on screen); opens in Excel and LibreOffice
    Csv,
    /// One row per answer and per score (values, labels, raw scores, bands)
    CsvLong,
    /// Everything, nested, as JSON
    Json,
}
