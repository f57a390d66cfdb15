//! A headless app on an in-memory database, fed actions at a fixed clock.
#![allow(dead_code)]

use chrono::{Duration, TimeZone, Utc};
use joy_kiosk::app::runner::dispatch;
use joy_kiosk::app::{Action, State};
use joy_kiosk::questionnaire::Catalog;
use joy_kiosk::store::Store;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub struct App {
    pub state: State,
    pub store: Store,
    pub t: chrono::DateTime<Utc>,
}

impl App {
    pub fn new() -> App {
        let mut store = Store::open_in_memory().unwrap();
        let me = store.local_respondent().unwrap();
        let t = Utc.with_ymd_and_hms(2026, 11, 21, 3, 0, 0).unwrap();
        let qs = Catalog::bundled()
            .entries
            .into_iter()
            .map(|e| e.questionnaire)
            .collect();
        let mut app = App {
            state: State::personal(qs, Some(me), t),
            store,
            t,
        };
        app.act(Action::Resize {
            width: 80,
            height: 24,
        });
        app
    }
    /// A kiosk on an in-memory database: the welcome screen, teams
    /// "Ward 7" and "Theatres", default timeouts.
    pub fn kiosk() -> App {
        let store = Store::open_in_memory().unwrap();
        let t = Utc.with_ymd_and_hms(2026, 11, 21, 3, 0, 0).unwrap();
        let qs = Catalog::bundled()
            .entries
            .into_iter()
            .map(|e| e.questionnaire)
            .collect();
        let config = joy_kiosk::app::kiosk::KioskConfig {
            site: "Ward 7 (demo)".into(),
            teams: vec!["Ward 7".into(), "Theatres".into()],
            ..Default::default()
        };
        let mut app = App {
            state: State::kiosk(qs, config, t),
            store,
            t,
        };
        app.act(Action::Resize {
            width: 80,
            height: 24,
        });
        app
    }
    /// Act at `self.t + ms` milliseconds (the clock moves by that much).
    pub fn act_after(&mut self, ms: i64, a: Action) -> Vec<joy_kiosk::app::Effect> {
        self.t += Duration::milliseconds(ms);
        dispatch(&mut self.state, &mut self.store, a, self.t)
    }
    pub fn act(&mut self, a: Action) {
        self.t += Duration::seconds(5);
        dispatch(&mut self.state, &mut self.store, a, self.t);
    }
    pub fn acts(&mut self, list: &[Action]) {
        for a in list {
            self.act(a.clone());
        }
    }
    /// Where questionnaire `id` is in the list offered.
    pub fn index_of(&self, id: &str) -> usize {
        self.state
            .questionnaires
            .iter()
            .position(|q| q.id == id)
            .unwrap_or_else(|| panic!("{id} is not offered"))
    }
    pub fn select(&mut self, id: &str) {
        self.state.session.selected = self.index_of(id);
    }
    /// Start the joy-in-work check-in and answer the four statements
    /// "Strongly agree", then open its optional private note from the
    /// review (`n`).
    pub fn open_joy_note(&mut self) {
        self.select("joy-in-work");
        self.acts(&[
            Action::Confirm,
            Action::Pick(0),
            Action::Pick(0),
            Action::Pick(0),
            Action::Pick(0),
            Action::Note,
        ]);
    }
    /// Start WHO-5 and answer its five statements with option `row` of
    /// each, reaching the review.
    pub fn answer_who5(&mut self, row: usize) {
        self.select("who5");
        self.act(Action::Confirm);
        for _ in 0..5 {
            self.act(Action::Pick(row));
        }
    }
    /// The all-types fixture (every question type) alone in a personal
    /// app, at 80x24.
    pub fn fixture() -> App {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/questionnaires/valid/all-types.toml"
        );
        let q = joy_kiosk::questionnaire::load_path(std::path::Path::new(path)).unwrap();
        App::with(q)
    }
    /// `q` alone in a personal app, at 80x24.
    pub fn with(q: joy_kiosk::questionnaire::Questionnaire) -> App {
        let mut app = App::new();
        app.state = State::new(vec![q], app.state.session.respondent, app.t);
        app.act(Action::Resize {
            width: 80,
            height: 24,
        });
        app
    }
    pub fn type_text(&mut self, s: &str) {
        for c in s.chars() {
            self.act(Action::Edit(KeyEvent::new(
                KeyCode::Char(c),
                KeyModifiers::NONE,
            )));
        }
    }
}

/// The screen `app` draws at `w` x `h`, as lines of text.
pub fn screen_lines(app: &App, w: u16, h: u16) -> Vec<String> {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    t.draw(|f| joy_kiosk::ui::draw(f, &app.state)).unwrap();
    buffer_lines(t.backend().buffer())
}

pub fn buffer_lines(b: &ratatui::buffer::Buffer) -> Vec<String> {
    (0..b.area.height)
        .map(|y| {
            (0..b.area.width)
                .map(|x| b[(x, y)].symbol().to_string())
                .collect()
        })
        .collect()
}

/// A kiosk code holder of `code` and `pin` (a sealed history), made as the
/// kiosk makes one.
pub fn holder(store: &mut Store, code: &str, pin: &str, now: chrono::DateTime<Utc>) -> i64 {
    use joy_kiosk::kiosk::secret;
    let salt = store.code_salt().unwrap();
    let (h, _) = secret::make_holder(&secret::tag_text(code), pin, &salt).unwrap();
    store.create_pin_holder(&h, now).unwrap().unwrap()
}

/// Where the boxed key labelled `label` is drawn at `w` x `h` (the middle
/// of its label's cell), found on the screen as a person finds it.
pub fn key_on_screen(app: &App, w: u16, h: u16, label: &str) -> (u16, u16) {
    let lines = screen_lines(app, w, h);
    for (y, line) in lines.iter().enumerate() {
        let cells: Vec<char> = line.chars().collect();
        for x in 0..cells.len() {
            if cells[x] != '│' {
                continue;
            }
            let Some(end) = (x + 1..cells.len()).find(|&i| cells[i] == '│') else {
                continue;
            };
            let inside: String = cells[x + 1..end].iter().collect();
            if inside.trim() == label {
                return ((x + 1 + (end - x - 1) / 2) as u16, y as u16);
            }
        }
    }
    panic!(
        "no key {label:?} on screen ({w}x{h}):\n{}",
        lines.join("\n")
    );
}

/// Run the real `joy` with `args` as a person whose home is `home`: its
/// data and config folders are there (nothing of the machine's user is
/// read), no JOY_DB or JOY_CONFIG, and `envs` added.
pub fn joy_at(
    home: &std::path::Path,
    args: &[&str],
    envs: &[(&str, &str)],
) -> std::process::Output {
    joy_command(home, args, envs)
        .output()
        .expect("the joy binary runs")
}

/// The `joy` binary with `home` as its whole world (data, config), none of
/// the caller's `JOY_*` settings, and `envs` on top.
pub fn joy_command(
    home: &std::path::Path,
    args: &[&str],
    envs: &[(&str, &str)],
) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_joy"));
    c.args(args)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env_remove("JOY_DB")
        .env_remove("JOY_CONFIG")
        .env_remove("JOY_QUESTIONNAIRES")
        .envs(envs.iter().copied());
    c
}

/// Standard output, then standard error.
pub fn all_output(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// `joy_at`, with `input` as its standard input (the plain mode reads it
/// line by line).
pub fn joy_with_input(
    home: &std::path::Path,
    args: &[&str],
    envs: &[(&str, &str)],
    input: &str,
) -> std::process::Output {
    use std::io::Write;
    let mut child = joy_command(home, args, envs)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the joy binary runs");
    let mut stdin = child.stdin.take().expect("a pipe to joy");
    let input = input.to_string();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let out = child.wait_with_output().expect("joy ends");
    let _ = writer.join();
    out
}

/// The all-types fixture answered as the flow tests answer it, by keys or
/// by lines: (question, label) in the order saved.
pub const FIXTURE_ANSWERED: [(&str, &str); 6] = [
    ("mood", "Sometimes"),
    ("role", "Nurse"),
    ("ward-hours", "38"),
    ("energy", "7"),
    ("pebbles", "IT; Other: no parking"),
    ("more", "logins"),
];

/// A saved check-in's answers as (question, label).
pub fn answer_labels(r: &joy_kiosk::store::CheckinRecord) -> Vec<(&str, &str)> {
    r.answers
        .iter()
        .map(|a| (a.question_id.as_str(), a.label.as_str()))
        .collect()
}

/// `joy --db DB import FILE ARGS...` with `envs`: its exit code and all it
/// printed.
pub fn joy_import(
    home: &std::path::Path,
    db: &std::path::Path,
    file: &std::path::Path,
    args: &[&str],
    envs: &[(&str, &str)],
) -> (Option<i32>, String) {
    let (db, file) = (db.to_string_lossy(), file.to_string_lossy());
    let mut all = vec!["--db", db.as_ref(), "import", file.as_ref()];
    all.extend_from_slice(args);
    let o = joy_at(home, &all, envs);
    (o.status.code(), all_output(&o))
}
