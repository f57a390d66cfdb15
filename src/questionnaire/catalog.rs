//! Where questionnaires come from: the bundled files (embedded in the
//! binary) and the user's folders. A user file with the same id replaces the
//! bundled one; a file that fails to load is listed, and the rest still load.

use super::load::{load_path, load_str, Diagnostic};
use super::model::{Kind, Questionnaire};
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
        "questionnaires/three-cs.toml",
        include_str!("../../questionnaires/three-cs.toml"),
    ),
    (
        "questionnaires/daily-mood.toml",
        include_str!("../../questionnaires/daily-mood.toml"),
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

/// The questionnaire files directly inside `dir` that are not folders,
/// sorted by name: `.toml` files, and `.json` FHIR questionnaires (whose
/// `.companion.toml` files are read with them, not on their own). A missing folder is simply empty. Named pipes, devices and
/// broken links are listed too, so that loading reports them as failures
/// instead of passing over them in silence.
pub fn questionnaire_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = read
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default();
            !p.is_dir()
                && (name.ends_with(".toml") || name.ends_with(".json"))
                && !name.ends_with(super::fhir::COMPANION_SUFFIX)
        })
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
            for path in questionnaire_files(dir) {
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
                    diagnostics: vec![Diagnostic::at(
                        &path.display().to_string(),
                        1,
                        1,
                        format!(
                            "questionnaire id \"{}\" is already used by {first}; give this file its own id",
                            q.id
                        ),
                    )],
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

/// What a reminder needs of a questionnaire, and no more.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderFacts {
    pub id: String,
    pub title: String,
    pub kind: Kind,
    pub remind_every_days: Option<u32>,
}

impl From<&Questionnaire> for ReminderFacts {
    fn from(q: &Questionnaire) -> Self {
        ReminderFacts {
            id: q.id.clone(),
            title: q.title.clone(),
            kind: q.kind,
            remind_every_days: q.remind_every_days,
        }
    }
}

/// The bundled questionnaires' reminder facts, written out so `joy status`
/// answers without parsing and validating every bundled file (a test keeps
/// this table equal to the files).
const BUNDLED_REMINDERS: &[(&str, &str, Kind, Option<u32>)] = &[
    ("who5", "WHO-5 Wellbeing Index", Kind::Personal, Some(14)),
    (
        "joy-in-work",
        "Joy in work check-in",
        Kind::Personal,
        Some(7),
    ),
    (
        "people-promise",
        "People Promise pulse",
        Kind::Personal,
        Some(28),
    ),
    ("three-cs", "Three Cs check-in", Kind::Personal, None),
    ("daily-mood", "Daily mood", Kind::Personal, None),
    (
        "team-reflection",
        "Team joy in work reflection",
        Kind::Team,
        None,
    ),
    (
        "hwb-framework",
        "Health and wellbeing framework team check",
        Kind::Team,
        None,
    ),
    (
        "civility",
        "Civility and compassion reflection",
        Kind::Team,
        None,
    ),
];

/// The reminder facts of every questionnaire, as [`Catalog::load`] would
/// find them (a user file replaces the bundled one of its id), reading of
/// each user file only its id, title, kind and cadence: for `joy status`,
/// which must answer in milliseconds. A user file that does not say these
/// is left out here (`joy validate` says why).
pub fn reminder_facts(dirs: &[PathBuf]) -> Vec<ReminderFacts> {
    #[derive(serde::Deserialize)]
    struct Light {
        id: String,
        title: String,
        kind: Kind,
        #[serde(default)]
        remind_every_days: Option<u32>,
    }
    let mut out: Vec<ReminderFacts> = BUNDLED_REMINDERS
        .iter()
        .map(|(id, title, kind, every)| ReminderFacts {
            id: id.to_string(),
            title: title.to_string(),
            kind: *kind,
            remind_every_days: *every,
        })
        .collect();
    for dir in dirs {
        for path in questionnaire_files(dir) {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let Ok(l) = toml::from_str::<Light>(&text) else {
                continue;
            };
            let facts = ReminderFacts {
                id: l.id,
                title: l.title,
                kind: l.kind,
                remind_every_days: l
                    .remind_every_days
                    .filter(|d| (1..=super::load::MAX_REMIND_DAYS).contains(d)),
            };
            match out.iter().position(|f| f.id == facts.id) {
                Some(i) => out[i] = facts,
                None => out.push(facts),
            }
        }
    }
    out
}

#[cfg(test)]
mod reminder_tests {
    use super::*;

    #[test]
    fn the_bundled_reminder_table_matches_the_bundled_files() {
        let parsed: Vec<ReminderFacts> = Catalog::bundled()
            .entries
            .iter()
            .map(|e| ReminderFacts::from(&e.questionnaire))
            .collect();
        assert_eq!(reminder_facts(&[]), parsed);
    }
}
