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

    /// The app one line at a time, for screen readers and simple terminals:
    /// questions as numbered lines, answers typed then Enter, no colour,
    /// boxes or mouse. Chosen by itself under TERM=dumb, or when input or
    /// output is not a terminal
    #[arg(long)]
    pub plain: bool,

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
    /// Write a FHIR questionnaire (FILE.json, with its companion) in the project's TOML format, to edit it
    Convert {
        /// The FHIR Questionnaire file (its NAME.companion.toml beside it is read too)
        file: PathBuf,
        /// Write to this new file instead of the screen (an existing file is never replaced)
        #[arg(long, short = 'o', value_name = "FILE")]
        out: Option<PathBuf>,
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
    /// One line for a shell prompt or login message: which check-in is suggested now
    /// (exit status 1 when one is, 0 when none). Quick: the cheap checks only
    Status,
    /// Write a calendar file (iCalendar) with a recurring, gentle reminder for each
    /// questionnaire that has one, to import into Outlook or any calendar
    Remind {
        /// The calendar file to write (created readable by you only)
        #[arg(long, value_name = "FILE")]
        ics: PathBuf,
        /// Replace the file if it already exists
        #[arg(long)]
        force: bool,
    },
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
        /// Leave out demo data (made by `joy demo`)
        #[arg(long)]
        no_demo: bool,
    },
    /// Take check-ins into your history, all or nothing, none twice: from a FHIR R4
    /// QuestionnaireResponse or a Bundle of them (as `joy export --format fhir` writes; each
    /// checked against the questionnaire it names and scored again), or from a Daylio CSV
    /// export (each entry a "Daily mood" check-in, its note and activities the note, marked
    /// as imported from Daylio)
    Import {
        /// A FHIR JSON file, or a Daylio export (a .csv file)
        file: PathBuf,
        /// Daylio: which of 1 (worst) to 5 (best) a renamed mood is, as NAME=N (give it once
        /// for each); the defaults rad, good, meh, bad and awful are 5 to 1
        #[arg(long, value_name = "NAME=N")]
        mood: Vec<String>,
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
    /// The team huddle: a team's released figures for one period, with
    /// its actions. With --export, writes them for the minutes. `joy huddle
    /// release` and `joy huddle rules` are for the ward's admin
    #[command(args_conflicts_with_subcommands = true)]
    Huddle {
        #[command(subcommand)]
        action: Option<HuddleAction>,
        /// The team [default: the only team with reflections]
        #[arg(long, value_name = "TEAM", conflicts_with = "ward")]
        team: Option<String>,
        /// Read from the ward's PostgreSQL server (as its huddle role) instead of the
        /// database file: a connection string or URL (see docs/deploy.md). With --ward:
        /// each ward the login reads, beside the trust total where it reads every ward
        #[arg(long, value_name = "URL")]
        server: Option<String>,
        /// Every team beside the ward total, for one released period (a team under k stays
        /// hidden, and so does the total's figure where it would give a hidden team away)
        #[arg(long)]
        ward: bool,
        /// The period, an ISO week (2026-W47) or a month (2026-11)
        /// [default: the last one released]
        #[arg(long, value_name = "PERIOD")]
        period: Option<String>,
        /// Only this team questionnaire [default: every one the team has answered]
        #[arg(long, value_name = "ID")]
        questionnaire: Option<String>,
        /// Write the aggregates as markdown or CSV (to --out FILE, else to standard output)
        #[arg(long, value_enum, value_name = "FORMAT")]
        export: Option<HuddleFormat>,
        /// The file to write (created readable by you only; never your database)
        #[arg(long, value_name = "FILE", requires = "export")]
        out: Option<PathBuf>,
        /// Replace the --out file if it already exists
        #[arg(long, requires = "out")]
        force: bool,
    },
    /// The ward's shared PostgreSQL server (for its admin): make or migrate its schema and
    /// roles, show its state, release the periods that have closed
    Server {
        /// The server: a libpq connection string or URL, e.g.
        /// "host=/run/postgresql dbname=ward7" or "postgresql://joy@db.trust.nhs.uk/ward7"
        #[arg(long, global = true, env = "JOY_SERVER_URL", value_name = "URL")]
        url: Option<String>,
        #[command(subcommand)]
        action: ServerAction,
    },
    /// The team's actions: list them (open first, overdue marked), add one, or update one
    Actions {
        #[command(subcommand)]
        command: Option<ActionsCommand>,
    },
    /// Fill a database with synthetic demo history so you can see the trend charts
    Demo {
        /// How many days of history to generate
        #[arg(long, default_value_t = 180, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=3650))]
        days: u32,
        /// Instead: a demo ward's anonymous team reflections (three teams named "Demo
        /// team A/B/C"), with every period that has closed released, to try the huddle
        #[arg(long)]
        teams: bool,
        /// Do not ask before writing into your default database or into one
        /// that holds real check-ins (for scripts)
        #[arg(long)]
        yes: bool,
    },
}

/// The ward admin's huddle commands (they write to the database).
#[derive(Debug, Subcommand)]
pub enum ServerAction {
    /// Make the schema (or bring it up to date) and the ward's roles: PREFIX_terminal,
    /// PREFIX_huddle, PREFIX_admin and PREFIX_reader (run as the database's owner)
    Init {
        /// The roles' prefix [default: the database's name]
        #[arg(long, value_name = "PREFIX")]
        roles: Option<String>,
    },
    /// The server's schema version, how many entries and releases it holds, and the last
    /// release
    Status,
    /// Release every period that has closed, by the server's clock (as the admin role)
    Release,
    /// Send this terminal's outbox (the database given with --db) to the server now:
    /// every whole past day; a kiosk does this by itself every five minutes
    Deliver,
    /// Show the ward's rules the server holds, or change them (as the admin role): k, the
    /// free-text threshold, the period kind (from the next period on), the time zone and
    /// each team's staff number. Kiosks delivering to the server read them from there
    Rules(RulesArgs),
    /// Move a ward's history from its database file (--db) to a new ward database on the
    /// server, all or nothing (as its owner or admin role): rules, staff numbers, anonymous
    /// entries, releases and actions. Personal check-ins and private histories stay behind.
    /// With --ward: into a trust's database that holds wards already, as a new ward
    Import {
        /// The new ward the file's teams join (a trust's database: the server's rules stay,
        /// and no team of the file may be on the server already)
        #[arg(long, value_name = "WARD")]
        ward: Option<String>,
        /// Call a team of the file by another name on the server, as OLD=NEW (give it once
        /// for each): two wards' "Days" cannot both join one trust under that name
        #[arg(long, value_name = "OLD=NEW")]
        rename_team: Vec<String>,
    },
    /// Fill a new, empty database with a demo ward ("Demo ward": three teams named "Demo
    /// team A/B/C", every row marked as demo data) and release what has closed, to try the
    /// huddle, the trust view and the roles before a real period has closed (as the admin
    /// role, or the database's owner)
    Demo {
        /// How many days of reflections, up to today
        #[arg(long, default_value_t = 56, value_name = "N", value_parser = clap::value_parser!(u32).range(7..=366))]
        days: u32,
    },
    /// A trust's server holds several wards: list them with their teams, or put teams in a
    /// ward (as the admin role). Each ward's total is released beside its teams'
    Wards {
        /// The ward to put the --team teams in, or to let --reader read
        #[arg(long, value_name = "WARD")]
        ward: Option<String>,
        /// A team of the ward (give --team once for each)
        #[arg(long, value_name = "TEAM", requires = "ward")]
        team: Vec<String>,
        /// A role (a member of PREFIX_reader) that reads this ward only: its released
        /// figures, total, teams and actions, and nothing of another ward
        #[arg(long, value_name = "ROLE", requires = "ward")]
        reader: Option<String>,
        /// A role that reads this ward no more
        #[arg(
            long,
            value_name = "ROLE",
            requires = "ward",
            conflicts_with = "reader"
        )]
        remove_reader: Option<String>,
    },
    /// The trust view from released figures: each ward beside the trust total, then each
    /// ward's teams (hidden wherever a figure could give a team under k away), as markdown
    Trust {
        /// The period, an ISO week (2026-W47) or a month (2026-11)
        /// [default: the last one released]
        #[arg(long, value_name = "PERIOD")]
        period: Option<String>,
        /// Only this team questionnaire [default: every one released then]
        #[arg(long, value_name = "ID")]
        questionnaire: Option<String>,
    },
    /// Release what has closed, then delete entries older than the retention, by whole
    /// periods (released figures stay; their texts go with the entries)
    Prune {
        /// Keep entries for this many days (at least 7)
        #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(7..=3650))]
        days: u32,
    },
}

#[derive(Debug, Subcommand)]
pub enum HuddleAction {
    /// Release every period that has closed (its last day over, plus a day of grace):
    /// its figures are computed once, with the rules in force, and kept as released.
    /// A kiosk does this in its daily chores; use this for a database no kiosk runs on
    Release,
    /// Show the ward's rules kept in the database, or change them: k, the free-text
    /// threshold, the period kind (from the next period on) and the time zone
    Rules(RulesArgs),
}

/// The ward's rules to show or change (`joy huddle rules`, `joy server rules`).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct RulesArgs {
    /// Hide every figure made from fewer reflections than this (at least 3)
    #[arg(long, value_name = "K")]
    pub min_group: Option<usize>,
    /// Hide free text answered by fewer than this (at least K)
    #[arg(long, value_name = "N")]
    pub min_group_text: Option<usize>,
    /// Group reflections by week or by month (applies from the next period on)
    #[arg(long, value_name = "KIND")]
    pub period: Option<crate::period::PeriodKind>,
    /// The ward's time zone, which files every reflection (e.g. Europe/London)
    #[arg(long, value_name = "ZONE")]
    pub time_zone: Option<String>,
    /// A team's number of staff, for its response rate ("6 of 14 staff"); with --team
    #[arg(long, value_name = "N", requires = "team", value_parser = clap::value_parser!(u32).range(1..=100000))]
    pub headcount: Option<u32>,
    /// The team whose --headcount this is
    #[arg(long, value_name = "TEAM", requires = "headcount")]
    pub team: Option<String>,
}

impl RulesArgs {
    /// Nothing to change: only show the rules.
    pub fn reads_only(&self) -> bool {
        self.min_group.is_none()
            && self.min_group_text.is_none()
            && self.period.is_none()
            && self.time_zone.is_none()
            && self.headcount.is_none()
            && self.team.is_none()
    }
}

/// What `joy kiosk` does besides running the kiosk.
#[derive(Debug, Subcommand)]
pub enum KioskAction {
    /// Set the PIN that opens the kiosk's hidden admin screen (6 to 12 digits, not a run or a repeat). Asked twice
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
    /// A FHIR R4 Bundle of QuestionnaireResponses, one per check-in (`joy import` takes it back)
    Fhir,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HuddleFormat {
    /// Markdown, for minutes
    Md,
    /// One row per figure, for spreadsheets
    Csv,
}

#[derive(Debug, Subcommand)]
pub enum ActionsCommand {
    /// List actions: overdue first, then open and testing, then done and dropped
    List {
        /// Only this team
        #[arg(long, value_name = "TEAM")]
        team: Option<String>,
    },
    /// Record a new action (status open)
    Add {
        /// The team it belongs to
        #[arg(long, value_name = "TEAM")]
        team: String,
        /// What the team will do
        action: String,
        /// Who will do it (a role is enough)
        #[arg(long, value_name = "WHO", default_value = "")]
        owner: String,
        /// When to look at it again (YYYY-MM-DD; today or later)
        #[arg(long, value_name = "DATE")]
        review: Option<String>,
        /// The pebble it answers, as the reflection names it (e.g. "IT systems and logins")
        #[arg(long, value_name = "PEBBLE", default_value = "")]
        pebble: String,
        /// Who can remove that pebble: "team" (the team itself) or "system" (the wider system)
        #[arg(long, value_name = "WHO")]
        scope: Option<String>,
    },
    /// Undo the last change to an action (its status, owner, review date...)
    Undo {
        /// The action's number, as `joy actions list` shows it
        id: i64,
    },
    /// Change an action's status, owner, review date, wording or learned note
    Update {
        /// The action's number, as `joy actions list` shows it
        id: i64,
        /// open, testing, done or dropped
        #[arg(long, value_name = "STATUS")]
        status: Option<String>,
        #[arg(long, value_name = "WHO")]
        owner: Option<String>,
        /// A new review date (YYYY-MM-DD), or "none"
        #[arg(long, value_name = "DATE")]
        review: Option<String>,
        /// What was learned
        #[arg(long, value_name = "TEXT")]
        learned: Option<String>,
        /// New wording for the action
        #[arg(long, value_name = "TEXT")]
        action: Option<String>,
        /// The pebble it answers
        #[arg(long, value_name = "PEBBLE")]
        pebble: Option<String>,
        /// "team", "system" or "none"
        #[arg(long, value_name = "WHO")]
        scope: Option<String>,
    },
}
