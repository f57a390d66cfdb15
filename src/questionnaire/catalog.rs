//! Where questionnaires come from: the bundled files (embedded in the
//! binary) and the user's folders. A user file with the same id replaces the
//! bundled one; a file that fails to load is listed, and the rest still load.

use super::load::{load_path, load_str, Diagnostic};
use super::model::Questionnaire;
use std::path::{Path, PathBuf};

/// The bundled questionnaires, embedded so the app works with nothing installed.
pub const BUNDLED: &[(&str, &str)] = &[
    (
        "questionnaires/who5.toml",
        include_str!("../../questionnaires/who5.toml"),
    ),
    (
        "questionnaires/joy-in-work.toml",
        include_str!("../../questionnaires/joy-in-work.toml"),
    ),
    (
        "questionnaires/people-promise.toml",
        include_str!("../../questionnaires/people-promise.toml"),
    ),
    (
        "questionnaires/team-reflection.toml",
        include_str!("../../questionnaires/team-reflection.toml"),
    ),
    (
        "questionnaires/hwb-framework.toml",
        include_str!("../../questionnaires/hwb-framework.toml"),
    ),
    (
        "questionnaires/civility.toml",
        include_str!("../../questionnaires/civility.toml"),
    ),
];

#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    Bundled(&'static str),
    File(PathBuf),
}

impl Origin {
    pub fn describe(&self) -> String {
        match self {
            Origin::Bundled(name) => format!("bundled ({name})"),
            Origin::File(p) => p.display().to_string(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub questionnaire: Questionnaire,
    pub origin: Origin,
    /// True when this user file replaced a bundled questionnaire.
    pub replaces_bundled: bool,
}

#[derive(Debug, Clone)]
pub struct Failure {
    pub origin: Origin,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub entries: Vec<Entry>,
    pub failures: Vec<Failure>,
}

/// The `.toml` entries directly inside `dir` that are not folders, sorted
/// by name. A missing folder is simply empty. Named pipes, devices and
/// broken links are listed too, so that loading reports them as failures
/// instead of passing over them in silence.
pub fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = read
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| !p.is_dir() && p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

impl Catalog {
    /// Only the bundled questionnaires.
    pub fn bundled() -> Catalog {
        Catalog::load(&[])
    }

    /// Bundled questionnaires, then every `.toml` file in `dirs` in order.
    pub fn load(dirs: &[PathBuf]) -> Catalog {
        let mut cat = Catalog::default();
        for (name, text) in BUNDLED {
            match load_str(name, text) {
                Ok(q) => cat.entries.push(Entry {
                    questionnaire: q,
                    origin: Origin::Bundled(name),
                    replaces_bundled: false,
                }),
                Err(diagnostics) => cat.failures.push(Failure {
                    origin: Origin::Bundled(name),
                    diagnostics,
                }),
            }
        }
        for dir in dirs {
            for path in toml_files(dir) {
                cat.add_file(&path);
            }
        }
        cat
    }

    fn add_file(&mut self, path: &Path) {
        let origin = Origin::File(path.to_path_buf());
        let q = match load_path(path) {
            Ok(q) => q,
            Err(diagnostics) => {
                self.failures.push(Failure {
                    origin,
                    diagnostics,
                });
                return;
            }
        };
        match self.entries.iter().position(|e| e.questionnaire.id == q.id) {
            Some(i) if matches!(self.entries[i].origin, Origin::Bundled(_)) => {
                self.entries[i] = Entry {
                    questionnaire: q,
                    origin,
                    replaces_bundled: true,
                };
            }
            Some(i) => {
                let first = self.entries[i].origin.describe();
                self.failures.push(Failure {
                    origin,
                    diagnostics: vec![Diagnostic {
                        file: path.display().to_string(),
                        line: 1,
                        column: 1,
                        message: format!(
                            "questionnaire id \"{}\" is already used by {first}; give this file its own id",
                            q.id
                        ),
                    }],
                });
            }
            None => self.entries.push(Entry {
                questionnaire: q,
                origin,
                replaces_bundled: false,
            }),
        }
    }

    /// The ids of every available questionnaire, comma-separated, for
    /// messages that say which ones exist.
    pub fn id_list(&self) -> String {
        let ids: Vec<&str> = self
            .entries
            .iter()
            .map(|e| e.questionnaire.id.as_str())
            .collect();
        ids.join(", ")
    }

    pub fn get(&self, id: &str) -> Option<&Questionnaire> {
        self.entries
            .iter()
            .map(|e| &e.questionnaire)
            .find(|q| q.id == id)
    }
}
