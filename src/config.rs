//! Settings: embedded defaults < `JOY_*` environment < command-line flags.
//! Paths come from the platform's data directory (`directories`).

use directories::ProjectDirs;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Settings {
    pub db: PathBuf,
    /// True when `db` is the default path (no `--db` or `JOY_DB`).
    pub db_is_default: bool,
    /// Folders searched for user questionnaire files, in order.
    pub questionnaire_dirs: Vec<PathBuf>,
    /// `NO_COLOR` set to anything non-empty.
    pub no_color: bool,
}

fn project_dirs() -> Option<ProjectDirs> {
    ProjectDirs::from("", "", "joy-kiosk")
}

/// The default data directory, e.g. `~/.local/share/joy-kiosk` on Linux.
pub fn data_dir() -> Option<PathBuf> {
    project_dirs().map(|d| d.data_dir().to_path_buf())
}

impl Settings {
    pub fn resolve(
        db: Option<PathBuf>,
        questionnaires: Option<PathBuf>,
    ) -> Result<Settings, String> {
        let data = data_dir();
        let (db, db_is_default) = match db {
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
        let questionnaire_dirs = match questionnaires {
            Some(dir) => vec![dir],
            None => data
                .map(|d| vec![d.join("questionnaires")])
                .unwrap_or_default(),
        };
        Ok(Settings {
            db,
            db_is_default,
            questionnaire_dirs,
            no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        })
    }
}
