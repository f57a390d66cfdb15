//! Nothing from a file, an answer or the database reaches a terminal raw:
//! the text commands print it through `text::safe_for_terminal`, JSON keeps
//! it faithful with `\u` escapes, an export to a pipe stays exact, and the
//! app's screens never draw a control character. Also: the app's status
//! line wraps instead of being cut at the screen's width.

mod common;

use common::{buffer_lines, App};
use joy_kiosk::app::{Action, Screen, State};
use joy_kiosk::questionnaire::{load_path, Questionnaire};
use joy_kiosk::store::{NewCheckin, SavedAnswer, SavedScore, Store};
use joy_kiosk::text::{is_terminal_unsafe, safe_for_terminal, safe_json};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const HOSTILE_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hostile");
const HOSTILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/hostile/hostile.toml"
);

/// Characters that must never reach a terminal raw, one of each kind.
const BAD: [char; 9] = [
    '\u{1b}', '\u{7}', '\r', '\u{7f}', '\u{9b}', '\u{202e}', '\u{2066}', '\u{2069}', '\0',
];

/// A label carrying every kind of terminal control.
const EVIL: &str =
    "Evil \u{1b}]0;owned\u{7}\u{1b}[2J\r\u{9b}31m\u{202e}drow\u{2066}x\u{2069}\u{7f}";

fn joy(args: &[&str], db: &Path, questionnaires: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_joy"))
        .args(args)
        .env("JOY_DB", db)
        .env("JOY_QUESTIONNAIRES", questionnaires)
        .env("XDG_CONFIG_HOME", db.with_extension("no-config"))
        .env_remove("JOY_CONFIG")
        .env("NO_COLOR", "1")
        .output()
        .expect("run joy")
}

/// Assert `bytes` hold none of the characters in [`BAD`] raw.
fn assert_clean(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for c in BAD {
        assert!(
            !text.contains(c),
            "{what} printed {c:?} raw:\n{}",
            text.escape_debug()
        );
    }
}

/// A database holding one check-in whose questionnaire, answers, score and
/// band all carry terminal controls (as a hostile file or paste could).
fn hostile_db(dir: &Path) -> PathBuf {
    let db = dir.join("joy.db");
    let mut s = Store::open(&db).unwrap();
    let me = s.local_respondent().unwrap();
    let at = chrono::Utc::now();
    s.save_checkin(&NewCheckin {
        respondent: Some(me),
        team: None,
        period: None,
        questionnaire_id: format!("q{EVIL}"),
        questionnaire_version: "1".into(),
        file_hash: "h".into(),
        definition: "".into(),
        started_at: at,
        completed_at: at,
        is_demo: false,
        imported_from: None,
        answers: vec![SavedAnswer {
            question_id: "note".into(),
            position: 0,
            value: serde_json::json!(EVIL),
            label: EVIL.into(),
        }],
        scores: vec![SavedScore {
            score_id: "s".into(),
            label: EVIL.into(),
            raw: Some(1.0),
            value: Some(1.0),
            band_label: Some(EVIL.into()),
            band_tone: Some("alert".into()),
        }],
        seal: None,
    })
    .unwrap();
    db
}

#[test]
fn safe_for_terminal_escapes_controls_and_bidi_and_keeps_the_rest() {
    assert_eq!(
        safe_for_terminal("plain, café ☕\nline\ttab"),
        "plain, café ☕\nline\ttab"
    );
    assert!(matches!(
        safe_for_terminal("nothing to do"),
        std::borrow::Cow::Borrowed(_)
    ));
    assert_eq!(
        safe_for_terminal("a\u{1b}[31mb\u{7}c\rd\u{9b}e\u{202e}f\u{2066}g\u{7f}h\0"),
        "a\\u{1b}[31mb\\u{7}c\\u{d}d\\u{9b}e\\u{202e}f\\u{2066}g\\u{7f}h\\u{0}"
    );
    for c in [
        '\u{61c}', '\u{200e}', '\u{200f}', '\u{202a}', '\u{2069}', '\u{85}',
    ] {
        assert!(is_terminal_unsafe(c), "{c:?}");
    }
    for c in ['\n', '\t', ' ', 'é', '\u{feff}', '\u{200b}', '€'] {
        assert!(!is_terminal_unsafe(c), "{c:?}");
    }
    let shown = safe_for_terminal(EVIL);
    assert!(!shown.chars().any(is_terminal_unsafe), "{shown}");
}

#[test]
fn safe_json_stays_valid_and_decodes_to_the_same_text() {
    let json = serde_json::to_string_pretty(&serde_json::json!({ "label": EVIL })).unwrap();
    let safe = safe_json(&json);
    assert!(!safe.chars().any(is_terminal_unsafe), "{safe}");
    assert!(safe.contains("\\u202e") && safe.contains("\\u009b") && safe.contains("\\u001b"));
    let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
    assert_eq!(back["label"], EVIL);
}

#[test]
fn validate_list_and_score_print_questionnaire_text_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let none = dir.path().join("none");

    let o = joy(&["validate", HOSTILE], &db, &none);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    assert_clean("validate", &o.stdout);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("Hostile \\u{1b}[2J\\u{1b}]0;owned\\u{7} title\\u{202e}"),
        "{out}"
    );

    let o = joy(&["list"], &db, Path::new(HOSTILE_DIR));
    assert!(o.status.success());
    assert_clean("list", &o.stdout);
    assert!(String::from_utf8_lossy(&o.stdout).contains("Hostile \\u{1b}[2J"));

    for args in [
        &["score", HOSTILE, "-a", "q1=0"][..],
        &["score", "hostile", "-a", "q1=0"][..],
    ] {
        let o = joy(args, &db, Path::new(HOSTILE_DIR));
        assert!(o.status.success(), "{args:?}");
        assert_clean("score", &o.stdout);
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(
            out.contains("Low \\u{202e}band [alert]")
                && out.contains("Message \\u{1b}[41m\\u{7}")
                && out.contains("Support \\u{2066}isolated\\u{2069}"),
            "{out}"
        );
    }

    // JSON: faithful and valid, every control a \u escape.
    let o = joy(
        &["score", HOSTILE, "-a", "q1=0", "--json"],
        &db,
        Path::new(HOSTILE_DIR),
    );
    assert!(o.status.success());
    assert_clean("score --json", &o.stdout);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["scores"][0]["band"]["label"], "Low \u{202e}band");
    assert_eq!(v["scores"][0]["label"], "Total \u{1b}[7mscore\u{1b}[0m");

    // Error messages quote what was typed or read: escaped too.
    let o = joy(&["score", "\u{1b}[31mnope\u{202e}"], &db, &none);
    assert_eq!(o.status.code(), Some(2));
    assert_clean("an error", &o.stderr);
    assert!(String::from_utf8_lossy(&o.stderr).contains("\\u{1b}[31mnope\\u{202e}"));
    let answers = dir.path().join("answers.toml");
    std::fs::write(&answers, "q1 = \"\\u001b[2Jnot an option\\u202e\"\n").unwrap();
    let o = joy(
        &["score", HOSTILE, "--answers", answers.to_str().unwrap()],
        &db,
        &none,
    );
    assert_eq!(o.status.code(), Some(2));
    assert_clean("an answers-file error", &o.stderr);
}

#[test]
fn history_prints_saved_text_escaped_and_its_json_faithful() {
    let dir = tempfile::tempdir().unwrap();
    let db = hostile_db(dir.path());
    let none = dir.path().join("none");

    let o = joy(&["history"], &db, &none);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_clean("history", &o.stdout);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("\\u{1b}]0;owned\\u{7}"), "{out}");

    let o = joy(&["history", "--json"], &db, &none);
    assert_clean("history --json", &o.stdout);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[0]["answers"][0]["label"], EVIL, "decodes exactly");
    assert_eq!(v[0]["scores"][0]["band_label"], EVIL);
}

#[test]
fn an_export_to_a_pipe_or_file_is_exact_and_json_is_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let db = hostile_db(dir.path());
    let none = dir.path().join("none");
    for format in ["csv", "csv-long"] {
        let o = joy(&["export", "--format", format], &db, &none);
        assert!(o.status.success());
        let text = String::from_utf8(o.stdout).unwrap();
        assert!(
            text.contains(EVIL),
            "{format} to a pipe keeps the text exactly"
        );
        let file = dir.path().join(format!("out.{format}"));
        let o = joy(
            &[
                "export",
                "--format",
                format,
                "--out",
                file.to_str().unwrap(),
            ],
            &db,
            &none,
        );
        assert!(o.status.success());
        assert!(std::fs::read_to_string(&file).unwrap().contains(EVIL));
    }
    let o = joy(&["export", "--format", "json"], &db, &none);
    assert_clean("export --format json", &o.stdout);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["checkins"][0]["answers"][0]["label"], EVIL);
}

/// On a terminal (a pseudo-terminal made by `script`), the export is shown
/// escaped.
#[test]
fn an_export_written_to_a_terminal_is_shown_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let db = hostile_db(dir.path());
    for format in ["csv", "csv-long", "json"] {
        let cmd = format!("'{}' export --format {format}", env!("CARGO_BIN_EXE_joy"));
        let o = Command::new("script")
            .args(["-qec", &cmd, "/dev/null"])
            .env("JOY_DB", &db)
            .env("JOY_QUESTIONNAIRES", dir.path().join("none"))
            .env("XDG_CONFIG_HOME", dir.path().join("no-config"))
            .env("NO_COLOR", "1")
            .stdin(std::process::Stdio::null())
            .output()
            .expect("script(1) from util-linux runs the command in a pseudo-terminal");
        assert!(o.status.success(), "{format}: {:?}", o.status);
        // The terminal turns each newline into CRLF itself; no other CR.
        let shown = String::from_utf8_lossy(&o.stdout).replace("\r\n", "\n");
        assert_clean(
            &format!("export --format {format} on a terminal"),
            shown.as_bytes(),
        );
        assert!(
            shown.contains("\\u{1b}]0;owned") || shown.contains("\\u001b]0;owned"),
            "{format}: {shown}"
        );
    }
}

// ---- the app's screens ------------------------------------------------

fn hostile_questionnaire() -> Questionnaire {
    load_path(Path::new(HOSTILE)).expect("the hostile fixture is a valid questionnaire")
}

/// Every cell `app` draws at `w` x `h`, checked for terminal controls.
fn assert_screen_clean(app: &App, what: &str) {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    t.draw(|f| joy_kiosk::ui::draw(f, &app.state)).unwrap();
    let b = t.backend().buffer();
    for cell in &b.content {
        assert!(
            !cell.symbol().chars().any(is_terminal_unsafe),
            "{what}: a cell holds {:?}:\n{}",
            cell.symbol(),
            buffer_lines(b).join("\n")
        );
    }
}

#[test]
fn the_apps_screens_never_draw_a_control_character() {
    let mut app = App::new();
    let me = app.store.local_respondent().unwrap();
    app.state = State::new(vec![hostile_questionnaire()], Some(me), app.t);
    app.act(Action::Resize {
        width: 80,
        height: 24,
    });
    assert_screen_clean(&app, "Home");
    let drawn = common::screen_lines(&app, 80, 24).join("\n");
    assert!(drawn.contains("Hostile"), "{drawn}");

    app.act(Action::Confirm);
    assert_eq!(app.state.screen, Screen::Question);
    assert_screen_clean(&app, "Question");
    app.act(Action::Pick(0));
    app.act(Action::Paste(format!("typed {EVIL}")));
    assert_screen_clean(&app, "a text question with a hostile paste");
    app.act(Action::Confirm);
    assert_screen_clean(&app, "Review");
    app.act(Action::Save);
    assert_eq!(app.state.screen, Screen::Result);
    assert_screen_clean(&app, "Result");
    app.act(Action::Support);
    assert_screen_clean(&app, "Support");
    app.act(Action::Support);
    app.act(Action::OpenHistory);
    assert_screen_clean(&app, "History");
    app.act(Action::Confirm);
    assert_screen_clean(&app, "a past check-in");
    app.state.status = Some(format!("Could not save: {EVIL}"));
    assert_screen_clean(&app, "the status line");
}

// ---- the status line ---------------------------------------------------

#[test]
fn a_long_status_message_wraps_instead_of_being_cut() {
    let mut app = App::new();
    let long = joy_kiosk::text::store_failed(
        "database error in /home/someone/.local/share/joy-kiosk/joy.db: \
         disk I/O error (the disk may be full or failing)",
    );
    assert!(long.len() > 160, "longer than two lines at 80 columns");
    app.state.status = Some(long.clone());
    let lines = common::screen_lines(&app, 80, 24);
    let screen = lines.join("\n");
    let words = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
    let shown = words(&screen).join(" ");
    assert!(
        shown.contains(&format!(
            "{}{}",
            joy_kiosk::text::MARK,
            words(&long).join(" ")
        )),
        "the whole message is on screen:\n{screen}"
    );
    // The key bar is still at the bottom, under the message.
    let last = lines.last().unwrap();
    assert!(last.contains("quit"), "{screen}");
    // And clicks still land where the wrapped layout drew things.
    let l = joy_kiosk::ui::frame_layout(ratatui::layout::Rect::new(0, 0, 80, 24), &app.state);
    assert!(l.status.height >= 3, "{:?}", l.status);
    assert_eq!(l.body.bottom(), l.status.y);
}
