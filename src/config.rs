//! Settings, layered: embedded defaults < the config file (`joy.toml`) <
//! `JOY_*` environment < command-line flags. Paths come from the platform's
//! directories (`directories::ProjectDirs`).
//!
//! The config file is optional. It is looked for at `--config FILE` (or
//! `JOY_CONFIG`), else at `joy.toml` in the platform config directory
//! (`~/.config/joy-kiosk/joy.toml` on Linux). Every key is checked: a typo is
//! an error with file:line:column, never silently ignored.

use directories::ProjectDirs;
use serde::Deserialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// The config file's name inside the platform config directory.
pub const CONFIG_FILE_NAME: &str = "joy.toml";
/// Config files larger than this are refused before they are read.
pub const MAX_CONFIG_BYTES: u64 = 64 * 1024;

#[derive(Debug, Clone)]
pub struct Settings {
    pub db: PathBuf,
    /// True when `db` is the default path (no `--db`, `JOY_DB` or `db` in the file).
    pub db_is_default: bool,
    /// Folders searched for user questionnaire files, in order.
    pub questionnaire_dirs: Vec<PathBuf>,
    /// `NO_COLOR` set to anything non-empty, `--no-color`, or `no_color = true` in the file.
    pub no_color: bool,
    /// The trust's own support lines from `[[support.lines]]`, one display
    /// line each, shown after every questionnaire's signposting (see
    /// [`crate::text::support_lines`]).
    pub local_support: Vec<String>,
    /// The config file that was read, if any.
    pub config_file: Option<PathBuf>,
    /// `[kiosk]`: how `joy kiosk` behaves (defaults when absent).
    pub kiosk: KioskSettings,
    /// `[huddle]`: the reflection period and the anonymity thresholds.
    pub huddle: HuddleSettings,
    /// `[server]`: the ward's server, if this terminal delivers to one.
    pub server: Option<crate::store::pg::ServerAddress>,
    /// `[reminders]`: days between reminders by questionnaire id (0: off).
    pub reminders: std::collections::BTreeMap<String, u32>,
}

/// The huddle's settings, checked: `min_group >= 3`, `min_group_text >= min_group`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HuddleSettings {
    pub period: crate::period::PeriodKind,
    /// k: the fewest reflections any figure, tally or text may come from.
    pub min_group: usize,
    /// The fewest answers a free-text question needs before its texts are shown.
    pub min_group_text: usize,
    /// Whether the file states k or the text threshold, and the period
    /// (a kiosk records only what its file states as the ward's rules).
    pub rules_stated: bool,
    pub period_stated: bool,
}

/// The smallest `min_group` the config may set.
pub const MIN_GROUP_FLOOR: usize = 3;
/// The largest k the kiosk's admin screen offers (a ward's team sizes).
pub const MAX_MIN_GROUP: usize = 50;
/// `min_group` when the config does not say.
pub const DEFAULT_MIN_GROUP: usize = 5;

impl Default for HuddleSettings {
    fn default() -> Self {
        HuddleSettings {
            period: crate::period::PeriodKind::Week,
            min_group: DEFAULT_MIN_GROUP,
            min_group_text: DEFAULT_MIN_GROUP,
            rules_stated: false,
            period_stated: false,
        }
    }
}

/// The config file as written. `deny_unknown_fields` everywhere: an unknown
/// key or section is an error. A new section (e.g. `[kiosk]`) is one more
/// field here with its own struct.
#[derive(Debug, Default, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// The SQLite database (relative paths are relative to the config file).
    #[serde(default)]
    pub db: Option<PathBuf>,
    /// A folder of your own questionnaire files.
    #[serde(default)]
    pub questionnaires: Option<PathBuf>,
    /// Monochrome screens.
    #[serde(default)]
    pub no_color: Option<bool>,
    #[serde(default)]
    pub support: SupportConfig,
    #[serde(default)]
    pub kiosk: KioskConfig,
    #[serde(default)]
    pub huddle: HuddleConfig,
    #[serde(default)]
    pub server: ServerConfig,
    /// `[reminders]`: days between gentle reminders of a questionnaire, by
    /// its id (`who5 = 7`; 0 turns its reminder off), over the file's own
    /// `remind_every_days`.
    #[serde(default)]
    pub reminders: std::collections::BTreeMap<String, toml::Spanned<i64>>,
}

/// `[server]`: the ward's shared PostgreSQL server a kiosk delivers its
/// anonymous entries to (issue 17). The password is never written here:
/// it comes from `password_file`, `PGPASSWORD` or `~/.pgpass`. Over a
/// network TLS is required and checked as verify-full, against `ca_file`
/// or the system's roots (see `store::pgconnect`).
#[derive(Debug, Default, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    /// A libpq connection string or postgresql:// URL.
    #[serde(default)]
    pub url: Option<String>,
    /// A file (readable by its owner only) whose first line is the password.
    #[serde(default)]
    pub password_file: Option<PathBuf>,
    /// The CA certificate file (PEM) the server's certificate must chain to.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
}

impl ServerConfig {
    /// The server as a terminal reaches it, if a URL is given; the
    /// environment's files where the config names none.
    pub fn address(&self) -> Option<crate::store::pg::ServerAddress> {
        let url = self.url.as_deref().filter(|u| !u.trim().is_empty())?;
        let mut a = crate::store::pg::ServerAddress::from_env(url);
        if self.password_file.is_some() {
            a.password_file = self.password_file.clone();
        }
        if self.ca_file.is_some() {
            a.ca_file = self.ca_file.clone();
        }
        Some(a)
    }
}

/// `[huddle]` as written: the team reflection period and the anonymity
/// thresholds (checked in [`parse`], with the place of a bad value).
#[derive(Debug, Default, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HuddleConfig {
    /// "week" (ISO weeks, the default) or "month".
    #[serde(default)]
    pub period: Option<crate::period::PeriodKind>,
    /// k, at least 3 (default 5).
    #[serde(default)]
    pub min_group: Option<toml::Spanned<u32>>,
    /// At least `min_group` (default: `min_group`).
    #[serde(default)]
    pub min_group_text: Option<toml::Spanned<u32>>,
}

impl HuddleConfig {
    /// The settings this section gives, or the first value out of bounds
    /// (its byte span and what to do).
    fn check(&self) -> Result<HuddleSettings, (std::ops::Range<usize>, String)> {
        let k = match &self.min_group {
            Some(v) if (*v.get_ref() as usize) < MIN_GROUP_FLOOR => {
                return Err((
                    v.span(),
                    format!(
                        "min_group = {} is too small: with fewer than {MIN_GROUP_FLOOR} reflections in a group, people can work out who said what. Use {MIN_GROUP_FLOOR} or more (the default is {DEFAULT_MIN_GROUP})",
                        v.get_ref()
                    ),
                ))
            }
            Some(v) => *v.get_ref() as usize,
            None => DEFAULT_MIN_GROUP,
        };
        let text = match &self.min_group_text {
            Some(v) if (*v.get_ref() as usize) < k => {
                return Err((
                    v.span(),
                    format!(
                        "min_group_text = {} is smaller than min_group = {k}: free text identifies people more easily than numbers, so its threshold can only be the same or higher. Use {k} or more, or leave it out",
                        v.get_ref()
                    ),
                ))
            }
            Some(v) => *v.get_ref() as usize,
            None => k,
        };
        Ok(HuddleSettings {
            period: self.period.unwrap_or_default(),
            min_group: k,
            min_group_text: text,
            rules_stated: self.min_group.is_some() || self.min_group_text.is_some(),
            period_stated: self.period.is_some(),
        })
    }
}

/// `[support]`: local support lines added to every questionnaire's signposting.
#[derive(Debug, Default, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupportConfig {
    #[serde(default)]
    pub lines: Vec<SupportLine>,
}

/// One `[[support.lines]]` entry: a service and how to reach it.
#[derive(Debug, Default, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupportLine {
    pub name: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub web: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub hours: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

impl SupportLine {
    /// "Staff wellbeing hub: 0300 123 4567 · https://… · Mon-Fri 8am-6pm".
    pub fn display(&self) -> String {
        let parts: Vec<&str> = [&self.phone, &self.web, &self.email, &self.hours, &self.note]
            .into_iter()
            .filter_map(|p| p.as_deref())
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        if parts.is_empty() {
            self.name.trim().to_string()
        } else {
            format!("{}: {}", self.name.trim(), parts.join(" · "))
        }
    }
}

/// `[kiosk]` as written. Numbers are read as any integer and then checked
/// against their range, so a negative or huge value gets the range message.
#[derive(Debug, Default, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KioskConfig {
    #[serde(default)]
    pub site: Option<toml::Spanned<String>>,
    #[serde(default)]
    pub teams: Vec<toml::Spanned<String>>,
    #[serde(default)]
    pub questionnaires: Vec<toml::Spanned<String>>,
    #[serde(default)]
    pub inactivity_secs: Option<toml::Spanned<i64>>,
    #[serde(default)]
    pub result_secs: Option<toml::Spanned<i64>>,
    #[serde(default)]
    pub min_submit_interval_secs: Option<toml::Spanned<i64>>,
    #[serde(default)]
    pub burst_ms: Option<toml::Spanned<i64>>,
    #[serde(default)]
    pub retention_days: Option<toml::Spanned<i64>>,
    #[serde(default)]
    pub export_to: Option<toml::Spanned<String>>,
    #[serde(default)]
    pub print_command: Vec<toml::Spanned<String>>,
}

/// How `joy kiosk` behaves: `[kiosk]` with defaults for what it leaves out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KioskSettings {
    /// The ward or site name shown on the welcome screen ("" = none).
    pub site: String,
    /// The ward's teams; a check-in may be tagged with one. Trimmed, distinct.
    pub teams: Vec<String>,
    /// The questionnaire ids offered, in order; empty = all available.
    pub questionnaires: Vec<String>,
    /// Seconds without a key before "Still there?" ends the session.
    pub inactivity_secs: u32,
    /// Seconds a result stays before the welcome screen returns.
    pub result_secs: u32,
    /// Seconds between two saved submissions from this terminal.
    pub min_submit_interval_secs: u32,
    /// Identical presses closer than this (ms) act once.
    pub burst_ms: u32,
    /// Days entries are kept.
    pub retention_days: u32,
    /// A folder on a removable drive the admin export is copied to (an
    /// absolute path), when the drive is there.
    pub export_to: Option<std::path::PathBuf>,
    /// The command that prints the one-page summary (given it on standard
    /// input), e.g. `["lp", "-d", "ward-printer"]`; empty = no printer.
    pub print_command: Vec<String>,
}

impl Default for KioskSettings {
    fn default() -> Self {
        KioskSettings {
            site: String::new(),
            teams: Vec::new(),
            questionnaires: Vec::new(),
            inactivity_secs: 90,
            result_secs: 45,
            min_submit_interval_secs: 10,
            burst_ms: 500,
            retention_days: 365,
            export_to: None,
            print_command: Vec::new(),
        }
    }
}

/// Allowed ranges, with the unit named in messages.
pub const KIOSK_RANGES: [(&str, u64, u64, &str); 5] = [
    ("inactivity_secs", 3, 3600, "seconds"),
    ("result_secs", 5, 600, "seconds"),
    ("min_submit_interval_secs", 0, 3600, "seconds"),
    ("burst_ms", 0, 5000, "milliseconds"),
    ("retention_days", 1, 3650, "days"),
];

/// Longest site name and team name, so they fit a narrow screen.
pub const MAX_NAME_CHARS: usize = 60;

impl KioskConfig {
    fn numbers(&self) -> [&Option<toml::Spanned<i64>>; 5] {
        [
            &self.inactivity_secs,
            &self.result_secs,
            &self.min_submit_interval_secs,
            &self.burst_ms,
            &self.retention_days,
        ]
    }

    /// Range and name checks, each failing at the value's line and column.
    pub fn check(&self, file: &str, text: &str) -> Result<(), ConfigError> {
        let at = |span: std::ops::Range<usize>, message: String| {
            let (line, column) = crate::questionnaire::load::line_col(text, span.start);
            ConfigError {
                file: file.to_string(),
                line,
                column,
                message,
            }
        };
        for (value, (key, lo, hi, unit)) in self.numbers().into_iter().zip(KIOSK_RANGES) {
            if let Some(v) = value {
                let n = *v.get_ref();
                if n < lo as i64 || n > hi as i64 {
                    return Err(at(
                        v.span(),
                        crate::text::kiosk::out_of_range(key, lo, hi, unit),
                    ));
                }
            }
        }
        if let Some(site) = &self.site {
            if site.get_ref().trim().chars().count() > MAX_NAME_CHARS {
                return Err(at(
                    site.span(),
                    crate::text::kiosk::too_long("site", MAX_NAME_CHARS),
                ));
            }
        }
        let mut seen: Vec<String> = Vec::new();
        for team in &self.teams {
            let name = team.get_ref().trim();
            if name.is_empty() {
                return Err(at(team.span(), crate::text::kiosk::TEAM_EMPTY.to_string()));
            }
            if name.chars().count() > MAX_NAME_CHARS {
                return Err(at(
                    team.span(),
                    crate::text::kiosk::too_long("a team name", MAX_NAME_CHARS),
                ));
            }
            if seen.iter().any(|s| s.eq_ignore_ascii_case(name)) {
                return Err(at(team.span(), crate::text::kiosk::team_duplicate(name)));
            }
            seen.push(name.to_string());
        }
        if let Some(dir) = &self.export_to {
            if !std::path::Path::new(dir.get_ref().trim()).is_absolute() {
                return Err(at(
                    dir.span(),
                    crate::text::kiosk::EXPORT_TO_ABSOLUTE.to_string(),
                ));
            }
        }
        if let Some(first) = self.print_command.first() {
            if first.get_ref().trim().is_empty() {
                return Err(at(
                    first.span(),
                    crate::text::kiosk::PRINT_COMMAND_EMPTY.to_string(),
                ));
            }
        }
        for q in &self.questionnaires {
            if q.get_ref().trim().is_empty() {
                return Err(at(
                    q.span(),
                    crate::text::kiosk::QUESTIONNAIRE_EMPTY.to_string(),
                ));
            }
        }
        Ok(())
    }

    /// The settings, defaults for what is absent. Call after [`Self::check`]
    /// (as [`parse`] does); values out of range are brought into it.
    pub fn settings(&self) -> KioskSettings {
        let d = KioskSettings::default();
        let num = |v: &Option<toml::Spanned<i64>>, default: u32, i: usize| {
            let (_, lo, hi, _) = KIOSK_RANGES[i];
            v.as_ref()
                .map(|v| (*v.get_ref()).clamp(lo as i64, hi as i64) as u32)
                .unwrap_or(default)
        };
        let mut questionnaires: Vec<String> = Vec::new();
        for q in &self.questionnaires {
            let q = q.get_ref().trim().to_string();
            if !questionnaires.contains(&q) {
                questionnaires.push(q);
            }
        }
        KioskSettings {
            site: self
                .site
                .as_ref()
                .map(|s| s.get_ref().trim().to_string())
                .unwrap_or_default(),
            teams: self
                .teams
                .iter()
                .map(|t| t.get_ref().trim().to_string())
                .collect(),
            questionnaires,
            inactivity_secs: num(&self.inactivity_secs, d.inactivity_secs, 0),
            result_secs: num(&self.result_secs, d.result_secs, 1),
            min_submit_interval_secs: num(
                &self.min_submit_interval_secs,
                d.min_submit_interval_secs,
                2,
            ),
            burst_ms: num(&self.burst_ms, d.burst_ms, 3),
            retention_days: num(&self.retention_days, d.retention_days, 4),
            export_to: self
                .export_to
                .as_ref()
                .map(|p| std::path::PathBuf::from(p.get_ref().trim())),
            print_command: self
                .print_command
                .iter()
                .map(|a| a.get_ref().clone())
                .collect(),
        }
    }
}

/// A problem with the config file: where, what, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

impl std::error::Error for ConfigError {}

fn at_start(file: &Path, message: String) -> ConfigError {
    ConfigError {
        file: file.display().to_string(),
        line: 1,
        column: 1,
        message,
    }
}

/// Parse config text; `name` is used in messages.
pub fn parse(name: &str, text: &str) -> Result<FileConfig, ConfigError> {
    let cfg: FileConfig = parse_toml(name, text)?;
    cfg.kiosk.check(name, text)?;
    if let Err((span, message)) = cfg.huddle.check() {
        let (line, column) = crate::questionnaire::load::line_col(text, span.start);
        return Err(ConfigError {
            file: name.to_string(),
            line,
            column,
            message,
        });
    }
    check_support_lengths(name, text, &cfg)?;
    for (id, days) in &cfg.reminders {
        if !(0..=i64::from(crate::questionnaire::load::MAX_REMIND_DAYS)).contains(days.get_ref()) {
            let (line, column) = crate::questionnaire::load::line_col(text, days.span().start);
            return Err(ConfigError {
                file: name.to_string(),
                line,
                column,
                message: format!(
                    "reminders: {id} = {} is not a number of days from 0 (no reminder) to {}",
                    days.get_ref(),
                    crate::questionnaire::load::MAX_REMIND_DAYS
                ),
            });
        }
    }
    Ok(cfg)
}

/// Longest support line, as shown ("name: phone · web · …"), so it fits a
/// few lines of a screen.
pub const MAX_SUPPORT_LINE_CHARS: usize = 300;

/// Every `[[support.lines]]` entry at most [`MAX_SUPPORT_LINE_CHARS`] as
/// shown; a longer one fails at its place in the file.
fn check_support_lengths(name: &str, text: &str, cfg: &FileConfig) -> Result<(), ConfigError> {
    let Some(i) = cfg
        .support
        .lines
        .iter()
        .position(|l| l.display().chars().count() > MAX_SUPPORT_LINE_CHARS)
    else {
        return Ok(());
    };
    // Only the places of the entries are read here; the file parsed above.
    #[derive(Deserialize)]
    struct Places {
        #[serde(default)]
        support: Option<SupportPlaces>,
    }
    #[derive(Deserialize)]
    struct SupportPlaces {
        #[serde(default)]
        lines: Vec<toml::Spanned<toml::Table>>,
    }
    let start = toml::from_str::<Places>(text)
        .ok()
        .and_then(|p| p.support)
        .and_then(|s| s.lines.get(i).map(|l| l.span().start))
        .unwrap_or(0);
    let (line, column) = crate::questionnaire::load::line_col(text, start);
    Err(ConfigError {
        file: name.to_string(),
        line,
        column,
        message: crate::text::kiosk::too_long("a support line", MAX_SUPPORT_LINE_CHARS),
    })
}

fn parse_toml(name: &str, text: &str) -> Result<FileConfig, ConfigError> {
    toml::from_str(text).map_err(|e| {
        let (line, column) = e
            .span()
            .map(|s| crate::questionnaire::load::line_col(text, s.start))
            .unwrap_or((1, 1));
        let mut message = e.message().trim().to_string();
        if message.contains("unknown field") {
            message.push_str(
                ". Check the spelling: the Configuration section of the README lists every key and section",
            );
        } else if message.contains("missing field") {
            message.push_str(". Add it: the Configuration section of the README shows an example");
        } else if message.starts_with("invalid") {
            message.push_str(
                ". The Configuration section of the README shows the kind of value each key takes",
            );
        } else {
            message.push_str(
                ". This is a TOML syntax error: check the brackets, quotes and `=` here",
            );
        }
        ConfigError {
            file: name.to_string(),
            line,
            column,
            message,
        }
    })
}

/// Read a config file: only a regular file (or a link to one), at most
/// [`MAX_CONFIG_BYTES`], UTF-8. `Ok(None)` when it does not exist and
/// `required` is false (the default location).
pub fn read_file(path: &Path, required: bool) -> Result<Option<FileConfig>, ConfigError> {
    use crate::files::{read_regular_capped, FileError};
    let bytes =
        match read_regular_capped(path, MAX_CONFIG_BYTES) {
            Ok(b) => b,
            Err(FileError::NotFound) if !required => return Ok(None),
            Err(FileError::NotFound) => return Err(at_start(
                path,
                "cannot read this config file: there is no file here. Check the path given with --config or JOY_CONFIG."
                    .to_string(),
            )),
            Err(e @ FileError::NotRegular { .. }) => {
                return Err(at_start(
                    path,
                    format!("{e}: give the path of a joy.toml file."),
                ))
            }
            Err(e) => return Err(at_start(path, format!("{e}."))),
        };
    let text = String::from_utf8(bytes).map_err(|_| {
        at_start(
            path,
            "this config file is not valid UTF-8 text: save it again as UTF-8".to_string(),
        )
    })?;
    parse(&path.display().to_string(), &text).map(Some)
}

fn project_dirs() -> Option<ProjectDirs> {
    ProjectDirs::from("", "", "joy-kiosk")
}

/// The default data directory, e.g. `~/.local/share/joy-kiosk` on Linux.
pub fn data_dir() -> Option<PathBuf> {
    project_dirs().map(|d| d.data_dir().to_path_buf())
}

/// The default config file, e.g. `~/.config/joy-kiosk/joy.toml` on Linux.
pub fn default_config_file() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().join(CONFIG_FILE_NAME))
}

/// What the command line (flags, with their `JOY_*` environment variables
/// already merged by clap) says. `None`/`false`: not given.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub config: Option<PathBuf>,
    pub db: Option<PathBuf>,
    pub questionnaires: Option<PathBuf>,
    pub no_color: bool,
}

impl Settings {
    /// Settings without any config file: defaults < the given flags.
    pub fn resolve(
        db: Option<PathBuf>,
        questionnaires: Option<PathBuf>,
    ) -> Result<Settings, String> {
        Settings::layer(
            FileConfig::default(),
            None,
            &Overrides {
                db,
                questionnaires,
                ..Overrides::default()
            },
        )
    }

    /// Read the config file (the one named, else the default one if it
    /// exists) and layer it under the flags.
    pub fn load(o: &Overrides) -> Result<Settings, String> {
        let (file, path) = match &o.config {
            Some(p) => (read_file(p, true), Some(p.clone())),
            None => match default_config_file() {
                Some(p) => (read_file(&p, false), Some(p)),
                None => (Ok(None), None),
            },
        };
        match file.map_err(|e| e.to_string())? {
            Some(cfg) => Settings::layer(cfg, path, o),
            None => Settings::layer(FileConfig::default(), None, o),
        }
    }

    /// defaults < `file` < flags (and `NO_COLOR`).
    pub fn layer(
        file: FileConfig,
        from: Option<PathBuf>,
        o: &Overrides,
    ) -> Result<Settings, String> {
        // Relative paths in the file are relative to the file's folder.
        let base = from
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let in_file = |p: &Option<PathBuf>| p.as_ref().map(|p| base.join(p));
        let data = data_dir();
        let (db, db_is_default) = match o.db.clone().or_else(|| in_file(&file.db)) {
            Some(p) => (p, false),
            None => match &data {
                Some(d) => (d.join("joy.db"), true),
                None => {
                    return Err(
                        "cannot find your data directory (is HOME set?). Pass --db PATH to say where to keep your history."
                            .to_string(),
                    )
                }
            },
        };
        let questionnaire_dirs = match o
            .questionnaires
            .clone()
            .or_else(|| in_file(&file.questionnaires))
        {
            Some(dir) => vec![dir],
            None => data
                .map(|d| vec![d.join("questionnaires")])
                .unwrap_or_default(),
        };
        let env_no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Ok(Settings {
            db,
            db_is_default,
            questionnaire_dirs,
            no_color: o.no_color || env_no_color || file.no_color.unwrap_or(false),
            local_support: file
                .support
                .lines
                .iter()
                .map(SupportLine::display)
                .filter(|l| !l.is_empty())
                .collect(),
            config_file: from,
            kiosk: file.kiosk.settings(),
            // Checked when the file was parsed; the defaults otherwise.
            huddle: file.huddle.check().unwrap_or_default(),
            server: file.server.address().map(|mut a| {
                a.password_file = a.password_file.map(|f| base.join(f));
                a.ca_file = a.ca_file.map(|f| base.join(f));
                a
            }),
            reminders: file
                .reminders
                .iter()
                .map(|(id, d)| (id.clone(), (*d.get_ref()).clamp(0, 366) as u32))
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The commented example in the README's Configuration section is a
    /// valid config file, so the documentation cannot drift from the code.
    #[test]
    fn the_readme_example_parses() {
        let readme = include_str!("../README.md");
        let section = readme
            .find("## Configuration")
            .expect("a Configuration section");
        let start = section + readme[section..].find("```toml\n").expect("an example") + 8;
        let end = start + readme[start..].find("```").expect("end of the example");
        let cfg = parse("README example", &readme[start..end]).unwrap_or_else(|e| panic!("{e}"));
        assert!(cfg.support.lines.len() >= 2, "{cfg:?}");
        // The commented [huddle] keys are valid when uncommented.
        let example = &readme[start..end];
        let huddle = &example[example.find("[huddle]").expect("a [huddle] example")..];
        let uncommented: String = huddle
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(kv) if kv.contains(" = ") => kv,
                _ => l,
            })
            .map(|l| format!("{l}\n"))
            .collect();
        let h = parse("README huddle", &uncommented)
            .unwrap_or_else(|e| panic!("{e}"))
            .huddle;
        assert!(h.period.is_some() && h.min_group.is_some() && h.min_group_text.is_some());
        assert_eq!(
            h.check().unwrap(),
            HuddleSettings {
                rules_stated: true,
                period_stated: true,
                ..HuddleSettings::default()
            },
            "the example states the defaults"
        );
        let s = Settings::layer(
            cfg,
            Some(PathBuf::from("/etc/joy/joy.toml")),
            &Overrides::default(),
        )
        .unwrap();
        assert!(s.local_support[0].contains("0300"), "{:?}", s.local_support);
        assert_eq!(s.kiosk.site, "Ward 7, Riverside");
        assert_eq!(s.kiosk.teams.len(), 3);
        assert_eq!(
            s.kiosk.inactivity_secs,
            KioskSettings::default().inactivity_secs
        );
    }

    #[test]
    fn an_unknown_key_is_an_error_at_its_place_saying_what_to_do() {
        let e = parse("joy.toml", "db = \"x.db\"\n\n[support]\nline = []\n").unwrap_err();
        assert_eq!((e.line, e.column), (4, 1), "{e}");
        assert!(
            e.message.contains("unknown field `line`, expected `lines`"),
            "{e}"
        );
        assert!(e.message.contains("README lists every key"), "{e}");
        let e = parse("joy.toml", "[kiosk]\nidle = 3\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 1), "{e}");
        assert!(
            e.message.contains("unknown field `idle`") && e.message.contains("`inactivity_secs`"),
            "{e}"
        );
        let e = parse("joy.toml", "[kiosks]\n").unwrap_err();
        assert_eq!(e.line, 1, "{e}");
        assert!(e.message.contains("unknown field `kiosks`"), "{e}");
        let e = parse("joy.toml", "no_color = \"yes\"\n").unwrap_err();
        assert_eq!((e.line, e.column), (1, 12), "{e}");
        assert!(
            e.message.contains("expected a boolean") && e.message.contains("README"),
            "{e}"
        );
    }

    #[test]
    fn huddle_section_defaults_and_bounds_at_their_place() {
        let s = Settings::layer(FileConfig::default(), None, &Overrides::default()).unwrap();
        assert_eq!(s.huddle, HuddleSettings::default());
        assert_eq!((s.huddle.min_group, s.huddle.min_group_text), (5, 5));
        let cfg = parse("joy.toml", "[huddle]\nperiod = \"month\"\nmin_group = 7\n").unwrap();
        let h = cfg.huddle.check().unwrap();
        assert_eq!(h.period, crate::period::PeriodKind::Month);
        assert_eq!((h.min_group, h.min_group_text), (7, 7));
        let cfg = parse("joy.toml", "[huddle]\nmin_group = 3\nmin_group_text = 8\n").unwrap();
        assert_eq!(
            (
                cfg.huddle.check().unwrap().min_group,
                cfg.huddle.check().unwrap().min_group_text
            ),
            (3, 8)
        );
        let e = parse("joy.toml", "[huddle]\nmin_group = 2\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 13), "{e}");
        assert!(
            e.message.contains("too small") && e.message.contains("3 or more"),
            "{e}"
        );
        let e = parse("joy.toml", "[huddle]\nmin_group = 6\nmin_group_text = 5\n").unwrap_err();
        assert_eq!((e.line, e.column), (3, 18), "{e}");
        assert!(e.message.contains("smaller than min_group = 6"), "{e}");
        // No min_group: the text threshold is checked against the default 5.
        let e = parse("joy.toml", "[huddle]\nmin_group_text = 4\n").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        let e = parse("joy.toml", "[huddle]\nperiod = \"day\"\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 10), "{e}");
        assert!(
            e.message.contains("week") && e.message.contains("month"),
            "{e}"
        );
        let e = parse("joy.toml", "[huddle]\nmin_group = -1\n").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        let e = parse("joy.toml", "[huddle]\nk = 5\n").unwrap_err();
        assert!(e.message.contains("unknown field `k`"), "{e}");
    }

    #[test]
    fn layers_defaults_then_file_then_flags() {
        let file = parse(
            "joy.toml",
            "db = \"from-file.db\"\nquestionnaires = \"/q\"\n[[support.lines]]\nname = \"Hub\"\nphone = \"0300 1\"\nhours = \"9-5\"\n",
        )
        .unwrap();
        let s = Settings::layer(
            file.clone(),
            Some(PathBuf::from("/etc/joy/joy.toml")),
            &Overrides::default(),
        )
        .unwrap();
        assert_eq!(s.db, PathBuf::from("/etc/joy/from-file.db"));
        assert!(!s.db_is_default);
        assert_eq!(s.questionnaire_dirs, vec![PathBuf::from("/q")]);
        assert_eq!(s.local_support, vec!["Hub: 0300 1 · 9-5".to_string()]);
        let s = Settings::layer(
            file,
            Some(PathBuf::from("/etc/joy/joy.toml")),
            &Overrides {
                db: Some("flag.db".into()),
                no_color: true,
                ..Overrides::default()
            },
        )
        .unwrap();
        assert_eq!(s.db, PathBuf::from("flag.db"));
        assert!(s.no_color);
        let s = Settings::resolve(Some("x.db".into()), None).unwrap();
        assert!(s.local_support.is_empty() && s.config_file.is_none());
    }

    #[test]
    fn only_regular_small_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let e = read_file(dir.path(), true).unwrap_err();
        assert!(e.message.contains("not a regular file"), "{e}");
        let big = dir.path().join("big.toml");
        std::fs::write(&big, "#".repeat(MAX_CONFIG_BYTES as usize + 1)).unwrap();
        assert!(read_file(&big, true)
            .unwrap_err()
            .message
            .contains("at most"));
        let missing = dir.path().join("none.toml");
        assert_eq!(read_file(&missing, false).unwrap(), None);
        assert!(read_file(&missing, true).is_err());
        // Through the shared reader: a FIFO does not block, /dev/zero is not read.
        #[cfg(unix)]
        {
            let fifo = dir.path().join("pipe.toml");
            let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
            // SAFETY: a valid NUL-terminated path.
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
            let e = read_file(&fifo, true).unwrap_err();
            assert!(e.message.contains("named pipe"), "{e}");
            let zero = dir.path().join("zero.toml");
            std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
            let e = read_file(&zero, false).unwrap_err();
            assert!(
                e.message.contains("not a regular file (it is a device)"),
                "{e}"
            );
        }
    }

    #[test]
    fn a_full_kiosk_section_is_read() {
        let text = "[kiosk]\nsite = \" Ward 7 \"\nteams = [\"Nights\", \" Days \"]\n\
                    questionnaires = [\"who5\", \"who5\", \"joy-pulse\"]\ninactivity_secs = 120\n\
                    result_secs = 30\nmin_submit_interval_secs = 0\nburst_ms = 250\nretention_days = 30\n";
        let cfg = parse("joy.toml", text).unwrap_or_else(|e| panic!("{e}"));
        let s = Settings::layer(
            cfg,
            None,
            &Overrides {
                db: Some("k.db".into()),
                ..Overrides::default()
            },
        )
        .unwrap();
        assert_eq!(
            s.kiosk,
            KioskSettings {
                site: "Ward 7".into(),
                teams: vec!["Nights".into(), "Days".into()],
                questionnaires: vec!["who5".into(), "joy-pulse".into()],
                inactivity_secs: 120,
                result_secs: 30,
                min_submit_interval_secs: 0,
                burst_ms: 250,
                retention_days: 30,
                export_to: None,
                print_command: Vec::new(),
            }
        );
    }

    #[test]
    fn kiosk_defaults_when_absent() {
        let defaults = KioskSettings {
            site: String::new(),
            teams: vec![],
            questionnaires: vec![],
            inactivity_secs: 90,
            result_secs: 45,
            min_submit_interval_secs: 10,
            burst_ms: 500,
            retention_days: 365,
            export_to: None,
            print_command: Vec::new(),
        };
        assert_eq!(KioskSettings::default(), defaults);
        for text in [
            "",
            "db = \"x.db\"\n",
            "[kiosk]\n",
            "[kiosk]\nsite = \"A\"\n",
        ] {
            let s = Settings::layer(
                parse("joy.toml", text).unwrap(),
                None,
                &Overrides {
                    db: Some("k.db".into()),
                    ..Overrides::default()
                },
            )
            .unwrap();
            assert_eq!(s.kiosk.inactivity_secs, 90, "{text}");
            assert_eq!(s.kiosk.retention_days, 365, "{text}");
            assert_eq!(s.kiosk.teams, Vec::<String>::new(), "{text}");
        }
        assert_eq!(
            Settings::resolve(Some("x.db".into()), None).unwrap().kiosk,
            defaults
        );
    }

    #[test]
    fn bad_kiosk_values_fail_at_their_place_with_the_range() {
        let cases: &[(&str, (usize, usize), &str)] = &[
            (
                "[kiosk]\ninactivity_secs = 2\n",
                (2, 19),
                "`inactivity_secs` must be from 3 to 3600 seconds",
            ),
            (
                "[kiosk]\ninactivity_secs = 3601\n",
                (2, 19),
                "from 3 to 3600 seconds",
            ),
            (
                "[kiosk]\nresult_secs = 0\n",
                (2, 15),
                "`result_secs` must be from 5 to 600 seconds",
            ),
            (
                "[kiosk]\nmin_submit_interval_secs = -1\n",
                (2, 28),
                "`min_submit_interval_secs` must be from 0 to 3600 seconds",
            ),
            (
                "[kiosk]\nburst_ms = 9000\n",
                (2, 12),
                "`burst_ms` must be from 0 to 5000 milliseconds",
            ),
            (
                "[kiosk]\nretention_days = 0\n",
                (2, 18),
                "`retention_days` must be from 1 to 3650 days",
            ),
            (
                "[kiosk]\n\nretention_days = 99999999999\n",
                (3, 18),
                "from 1 to 3650 days",
            ),
            (
                "[kiosk]\nteams = [\"A\", \"  \"]\n",
                (2, 15),
                "a team name in `teams` is empty",
            ),
            (
                "[kiosk]\nteams = [\"Nights\", \"nights \"]\n",
                (2, 20),
                "the team \"nights\" is listed twice",
            ),
            (
                "[kiosk]\nquestionnaires = [\"\"]\n",
                (2, 19),
                "questionnaire id in `questionnaires` is empty",
            ),
            (
                "[kiosk]\nretention_days = \"year\"\n",
                (2, 18),
                "invalid type: string \"year\", expected i64",
            ),
            ("[kiosk]\nteams = \"Nights\"\n", (2, 9), "invalid type"),
        ];
        for (text, at, says) in cases {
            let e = parse("joy.toml", text).unwrap_err();
            assert_eq!((e.line, e.column), *at, "{text}: {e}");
            assert!(e.message.contains(says), "{text}: {e}");
            assert!(
                e.to_string()
                    .starts_with(&format!("joy.toml:{}:{}: ", at.0, at.1)),
                "{e}"
            );
        }
        let long = format!("[kiosk]\nsite = \"{}\"\n", "x".repeat(61));
        let e = parse("joy.toml", &long).unwrap_err();
        assert_eq!((e.line, e.column), (2, 8), "{e}");
        assert!(e.message.contains("at most 60 characters"), "{e}");
    }
}
