//! What a terminal sends, or fails to send, never stops the kiosk's clock:
//! the real `joy kiosk` in a pane, given `Alt+[` (Esc and `[` in one read)
//! and a paste that never ends, still wipes the screen when left; in a
//! pseudo-terminal that answers nothing, it wipes and never asks the
//! terminal anything (no cursor query that could end it).

#[path = "support/tmux.rs"]
mod tmux;

use std::time::{Duration, Instant};
use tmux::{alive, start_kiosk};

/// Start a team reflection and type a secret into its free-text question.
fn type_secret(t: &tmux::Tmux, secret: &str) {
    let screen = t.screen();
    let row = screen
        .lines()
        .find(|l| l.contains("Team joy in work reflection"))
        .expect("the welcome screen lists the team reflection");
    let key = row
        .split_whitespace()
        .find(|w| w.chars().all(|c| c.is_ascii_digit()))
        .expect("a number key")
        .to_string();
    t.keys(&[&key]);
    t.wait_for("Which team is this reflection for");
    t.keys(&["1"]);
    t.wait_for("What matters to you at work");
    t.literal(secret);
    t.wait_for(secret);
}

fn assert_wiped(t: &tmux::Tmux, secret: &str) {
    // Inactivity is 3 s; the wipe must come whatever was sent.
    let start = Instant::now();
    t.wait_for("How are you doing today?");
    println!(
        "measured: wiped {} ms after the last input",
        start.elapsed().as_millis()
    );
    std::thread::sleep(Duration::from_millis(300));
    let all = t.history();
    assert!(
        !all.contains(secret),
        "left on screen or in scrollback:\n{all}"
    );
    assert!(!all.contains("JOY-EXITED"), "the kiosk ended:\n{all}");
}

#[test]
fn alt_bracket_does_not_stop_the_idle_wipe_or_swallow_keys() {
    let (_dir, _db, t) = start_kiosk("altbracket", "inactivity_secs = 3", 80, 24);
    let pid = t.joy_pid();
    type_secret(&t, "SECRET-ALT-1234");
    // Esc and `[` in one write, as a terminal sends Alt+[.
    t.bytes(b"\x1b[");
    assert_wiped(&t, "SECRET-ALT-1234");
    // The keys after it are read: the welcome screen answers a number.
    t.keys(&["1"]);
    t.wait_for("Which team");
    assert!(alive(pid), "the same kiosk process");
    assert_eq!(t.joy_pid(), pid);
}

#[test]
fn a_paste_that_never_ends_does_not_stop_the_idle_wipe() {
    let (_dir, _db, t) = start_kiosk("openpaste", "inactivity_secs = 3", 80, 24);
    type_secret(&t, "SECRET-PASTE-77");
    // The start of a bracketed paste, some text, and never its end.
    t.bytes(b"\x1b[200~more words");
    assert_wiped(&t, "SECRET-PASTE-77");
    t.keys(&["1"]);
    t.wait_for("Which team");
}

#[test]
fn an_unfinished_sequence_of_digits_does_not_stop_the_idle_wipe() {
    let (_dir, _db, t) = start_kiosk("digits", "inactivity_secs = 3", 80, 24);
    type_secret(&t, "SECRET-DIGITS-9");
    t.bytes(b"\x1b[1;2;3;4;5;6;7");
    assert_wiped(&t, "SECRET-DIGITS-9");
}

#[path = "support/pty.rs"]
mod silent_pty;

/// The real kiosk in a [`silent_pty`], idle after `inactivity` seconds.
fn silent_kiosk(inactivity: u32) -> (tempfile::TempDir, silent_pty::Pty) {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("joy.toml");
    std::fs::write(
        &config,
        format!(
            "[kiosk]\nsite = \"Ward 7 (test)\"\nteams = [\"Ward 7\"]\ninactivity_secs = {inactivity}\n"
        ),
    )
    .unwrap();
    tmux::admin_pin_for(&dir.path().join("k.db"));
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_joy"));
    cmd.args(["kiosk", "--config"])
        .arg(&config)
        .env("JOY_DB", dir.path().join("k.db"))
        .env("XDG_CONFIG_HOME", dir.path().join("cfg"))
        .env("NO_COLOR", "1")
        .env("TERM", "xterm-256color");
    let pty = silent_pty::spawn(&mut cmd);
    (dir, pty)
}

#[test]
fn a_terminal_that_answers_nothing_is_wiped_and_never_asked() {
    let (_dir, mut pty) = silent_kiosk(3);
    let wait_for = |pty: &silent_pty::Pty, from: usize, text: &str| {
        let start = Instant::now();
        loop {
            let all = pty.output.lock().unwrap().clone();
            if String::from_utf8_lossy(&all[from.min(all.len())..]).contains(text) {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "no {text:?} in what the kiosk wrote"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    wait_for(&pty, 0, "How are you doing today?");
    for round in 0..2 {
        let mark = pty.len();
        pty.write(b"1");
        wait_for(&pty, mark, "Which team");
        // Noise a terminal might send, none of it a reply to anything.
        pty.write(b"\x1b[\x1b[200~half a paste\x1bO\xc3");
        let mark = pty.len();
        wait_for(&pty, mark, "How are you doing today?");
        std::thread::sleep(Duration::from_millis(500));
        assert!(
            pty.child.try_wait().unwrap().is_none(),
            "the kiosk ended after wipe {round}: {}",
            pty.text()
        );
    }
    let all = pty.text();
    assert!(
        !all.contains("\x1b[6n"),
        "the kiosk asked the terminal for its cursor position"
    );
    assert!(all.contains("\x1b[3J"), "the scrollback was cleared");
}

/// A click whose bytes reach the kiosk in two pieces, the second well after
/// the first (a busy machine, a slow link): its digits are never typed as
/// keys (they would start a check-in, pick a team or answer a question).
#[test]
fn a_click_split_after_its_escape_types_no_digits() {
    let (_dir, pty) = silent_kiosk(60);
    let start = Instant::now();
    while !pty.text().contains("How are you doing today?") {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "no welcome screen"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let mark = pty.len();
    // A click on a blank cell, split after its Esc by 250 ms.
    pty.write(b"\x1b");
    std::thread::sleep(Duration::from_millis(250));
    pty.write(b"[<0;1;22M\x1b[<0;1;22m");
    std::thread::sleep(Duration::from_millis(800));
    let after = String::from_utf8_lossy(&pty.output.lock().unwrap()[mark..]).into_owned();
    assert!(
        !after.contains("Which team"),
        "the click's digits started a check-in"
    );
    // And the kiosk still answers a real key.
    pty.write(b"1");
    let start = Instant::now();
    loop {
        let all = pty.output.lock().unwrap().clone();
        if String::from_utf8_lossy(&all[mark..]).contains("Which team") {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "no answer to 1");
        std::thread::sleep(Duration::from_millis(50));
    }
}
