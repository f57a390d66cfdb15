//! End to end: the real `joy` binary in a pseudo-terminal (tmux, 80x24),
//! driven by keys and a mouse click, with a temporary database; then
//! `joy history --json` must show the saved check-in.

#[path = "support/tmux.rs"]
mod tmux;

use std::process::Command;
use tmux::start;

#[test]
fn answer_who5_by_keys_and_a_click_then_history_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.db");
    let t = start(&db, "who5");
    let first = t.wait_for("Your check-ins");
    // A database path with nothing there is said to be new, not shown as
    // an empty history that looks lost.
    assert!(first.contains("New, empty history file"), "{first}");
    t.keys(&["Enter"]);
    let screen = t.wait_for("Question 1 of 5");
    // Click (SGR mouse report, 1-based) on "More than half of the time".
    let row = screen
        .lines()
        .position(|l| l.contains("More than half of the time"))
        .unwrap()
        + 1;
    t.click(12, row);
    t.wait_for("Question 2 of 5");
    // Digits on a scale are values: 3, 3, 2, 2.
    t.keys(&["3", "3", "2", "2"]);
    t.wait_for("Check your answers");
    t.keys(&["s"]);
    let result = t.wait_for("Saved to your private history");
    assert!(result.contains("WHO-5 wellbeing: 52"), "{result}");
    assert!(result.contains("Good wellbeing [good]"), "{result}");
    t.keys(&["Enter", "q"]);
    let after = t.wait_for("JOY-EXITED-0");
    assert!(
        !after.contains("Your check-ins"),
        "the alternate screen was left: {after}"
    );

    let out = Command::new(env!("CARGO_BIN_EXE_joy"))
        .args(["history", "--json"])
        .env("JOY_DB", &db)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["questionnaire_id"], "who5");
    assert_eq!(list[0]["scores"][0]["value"], 52.0);
    assert_eq!(list[0]["answers"][0]["label"], "More than half of the time");
}

#[test]
fn quitting_mid_checkin_asks_and_saves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.db");
    let t = start(&db, "quit");
    t.wait_for("Your check-ins");
    t.keys(&["Enter", "1", "C-c"]);
    t.wait_for("Leave this check-in?");
    // Ctrl-C (like q) then y quits the app, not only the check-in.
    t.keys(&["y"]);
    t.wait_for("JOY-EXITED-0");
    let out = Command::new(env!("CARGO_BIN_EXE_joy"))
        .args(["history", "--json"])
        .env("JOY_DB", &db)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 0);
}

/// Where `label` is on a captured screen, as a 1-based (column, row) for an
/// SGR mouse report, aimed at its second character.
fn locate(screen: &str, label: &str) -> (usize, usize) {
    for (y, line) in screen.lines().enumerate() {
        if let Some(byte) = line.find(label) {
            return (line[..byte].chars().count() + 2, y + 1);
        }
    }
    panic!("{label:?} not on screen:\n{screen}");
}

#[test]
fn clicks_on_buttons_inside_dialogs_work() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.db");
    let t = start(&db, "dialog");
    t.wait_for("Your check-ins");
    // Help: its close button inside the box.
    t.keys(&["?"]);
    let screen = t.wait_for("[ Esc close ]");
    let (x, y) = locate(&screen, "[ Esc close ]");
    t.click(x, y);
    t.wait_gone("[ Esc close ]");
    // Leave dialog: "stay" keeps the check-in, "leave and quit" quits.
    t.keys(&["Enter"]);
    t.wait_for("Question 1 of 5");
    t.keys(&["1"]);
    t.wait_for("Question 2 of 5");
    t.keys(&["q"]);
    let screen = t.wait_for("[ n stay ]");
    let (x, y) = locate(&screen, "[ n stay ]");
    assert!(y < 23, "the button is inside the box, above the key bar");
    t.click(x, y);
    t.wait_gone("[ n stay ]");
    assert!(t.screen().contains("Question 2 of 5"));
    t.keys(&["q"]);
    let screen = t.wait_for("[ y leave and quit ]");
    let (x, y) = locate(&screen, "[ y leave and quit ]");
    t.click(x, y);
    t.wait_for("JOY-EXITED-0");
    let out = Command::new(env!("CARGO_BIN_EXE_joy"))
        .args(["history", "--json"])
        .env("JOY_DB", &db)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 0, "nothing saved");
}
