//! End to end: the real `joy` binary in a pseudo-terminal (tmux, 80x24),
//! driven by keys and a mouse click, with a temporary database; then
//! `joy history --json` must show the saved check-in.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
}

impl Tmux {
    fn cmd(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .output()
            .expect("tmux must be installed for the end-to-end test (apt-get install tmux)");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
    fn screen(&self) -> String {
        self.cmd(&["capture-pane", "-p", "-t", "joy"])
    }
    fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.cmd(&["send-keys", "-t", "joy", k]);
            std::thread::sleep(Duration::from_millis(60));
        }
    }
    /// tmux's view of the pane's terminal modes, e.g. `#{alternate_on}`.
    fn flag(&self, name: &str) -> String {
        self.cmd(&["display-message", "-p", "-t", "joy", name])
            .trim()
            .to_string()
    }
    fn literal(&self, s: &str) {
        self.cmd(&["send-keys", "-t", "joy", "-l", s]);
    }
    fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(text) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "timed out waiting for {text:?}; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

fn start(db: &Path, name: &str) -> Tmux {
    let t = Tmux {
        socket: format!("joy-e2e-{name}-{}", std::process::id()),
    };
    let cmd = format!(
        "env JOY_DB='{}' JOY_QUESTIONNAIRES='{}' NO_COLOR=1 TERM=xterm-256color '{}'; echo JOY-EXITED-$?; sleep 30",
        db.display(),
        db.with_extension("q").display(),
        env!("CARGO_BIN_EXE_joy")
    );
    t.cmd(&[
        "new-session",
        "-d",
        "-s",
        "joy",
        "-x",
        "80",
        "-y",
        "24",
        &cmd,
    ]);
    t
}

#[test]
fn answer_who5_by_keys_and_a_click_then_history_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.db");
    let t = start(&db, "who5");
    t.wait_for("Your check-ins");
    t.keys(&["Enter"]);
    let screen = t.wait_for("Question 1 of 5");
    // Click (SGR mouse report, 1-based) on "More than half of the time".
    let row = screen
        .lines()
        .position(|l| l.contains("More than half of the time"))
        .unwrap()
        + 1;
    t.literal(&format!("\x1b[<0;12;{row}M\x1b[<0;12;{row}m"));
    t.wait_for("Question 2 of 5");
    t.keys(&["3", "3", "4", "4"]);
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
    t.keys(&["y"]);
    t.wait_for("Your check-ins");
    t.keys(&["q"]);
    t.wait_for("JOY-EXITED-0");
    let out = Command::new(env!("CARGO_BIN_EXE_joy"))
        .args(["history", "--json"])
        .env("JOY_DB", &db)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 0);
}

#[test]
fn sigterm_and_sighup_restore_the_terminal() {
    for signal in ["TERM", "HUP"] {
        let dir = tempfile::tempdir().unwrap();
        let t = start(&dir.path().join("e2e.db"), &format!("sig{signal}"));
        t.wait_for("Your check-ins");
        assert_eq!(t.flag("#{mouse_any_flag}"), "1");
        let shell = t.flag("#{pane_pid}");
        let ok = Command::new("pkill")
            .args([&format!("-{signal}"), "-P", &shell])
            .status()
            .unwrap();
        assert!(ok.success(), "pkill found the app");
        t.wait_for("JOY-EXITED-0");
        assert_eq!(
            t.flag("#{alternate_on}"),
            "0",
            "{signal}: alternate screen restored"
        );
        assert_eq!(
            t.flag("#{mouse_any_flag}"),
            "0",
            "{signal}: mouse capture turned off"
        );
    }
}
