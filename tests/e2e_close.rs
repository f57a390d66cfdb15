//! The world ends the app: a closed window, a dropped connection, a killed
//! terminal emulator, SIGTERM and SIGHUP. Each drives the real binary in a
//! pseudo-terminal and asserts that the process is gone within 1 second,
//! used little CPU on the way out, and wrote nothing half-done.
//!
//! The closed-terminal cases are what crossterm issue 793 is about: once the
//! terminal has gone, `event::poll` can spin at full CPU without returning.

#[path = "support/tmux.rs"]
mod tmux;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;
use tmux::{alive, descendant_named, start_sized, watch_exit, Tmux};

/// The whole budget for leaving.
const WITHIN: Duration = Duration::from_secs(1);
/// "A small share of CPU": at most this many CPU seconds from the event to the exit.
const CPU_BUDGET: f64 = 0.25;

fn checkins_in(db: &Path) -> usize {
    let out = Command::new(env!("CARGO_BIN_EXE_joy"))
        .args(["history", "--json"])
        .env("JOY_DB", db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the database still opens: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v.as_array().unwrap().len()
}

#[derive(Clone, Copy, Debug)]
enum Phase {
    /// On the home screen.
    Idle,
    /// Two WHO-5 questions answered, nothing saved.
    MidCheckin,
}

fn get_to(t: &Tmux, phase: Phase) {
    t.wait_for("Your check-ins");
    if let Phase::MidCheckin = phase {
        t.keys(&["Enter"]);
        t.wait_for("Question 1 of 5");
        t.keys(&["2", "3"]);
        t.wait_for("Question 3 of 5");
    }
}

/// The app is idle, not polling in a busy loop: under a tenth of a core.
fn assert_quiet(pid: u32) {
    let before = tmux::cpu_seconds(pid).unwrap();
    std::thread::sleep(Duration::from_millis(1000));
    let used = tmux::cpu_seconds(pid).unwrap() - before;
    assert!(used < 0.1, "idle app used {used:.2} CPU seconds in 1 s");
}

#[test]
fn closing_the_window_ends_the_process() {
    // "" : joy in the pane's foreground (the kernel also sends SIGHUP);
    // "setsid -w": joy in a session of its own, so no SIGHUP arrives and
    // only noticing the vanished terminal can end it (an ssh drop of a
    // detached process looks like this).
    for (prefix, name) in [("", "fg"), ("setsid -w", "setsid")] {
        for phase in [Phase::Idle, Phase::MidCheckin] {
            let dir = tempfile::tempdir().unwrap();
            let db = dir.path().join("e2e.db");
            let t = start_sized(&db, &format!("close-{name}-{phase:?}"), prefix, 80, 24);
            get_to(&t, phase);
            let pid = t.joy_pid();
            assert_quiet(pid);
            let end = watch_exit(pid, Duration::from_secs(5), || t.kill_session());
            let after = end.after.unwrap_or_else(|| {
                panic!("{name} {phase:?}: still running 5 s after the window closed ({end:?})")
            });
            eprintln!(
                "measured: window closed ({name}, {phase:?}): gone after {after:?}, {:.3} CPU s",
                end.cpu
            );
            assert!(after < WITHIN, "{name} {phase:?}: took {after:?} to exit");
            assert!(
                end.cpu <= CPU_BUDGET,
                "{name} {phase:?}: used {:.2} CPU seconds after the window closed",
                end.cpu
            );
            assert_eq!(checkins_in(&db), 0, "{name} {phase:?}: nothing was saved");
        }
    }
}

#[test]
fn killing_the_terminal_emulator_ends_the_process() {
    // `script` owns the pseudo-terminal's controlling side, like a terminal
    // emulator or sshd; kill -9 closes it without any goodbye.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.db");
    let mut script = Command::new("script")
        .args(["-q", "-f", "-e", "-c"])
        .arg(format!(
            "stty rows 24 cols 80; exec '{}'",
            env!("CARGO_BIN_EXE_joy")
        ))
        .arg("/dev/null")
        .env("JOY_DB", &db)
        .env("JOY_QUESTIONNAIRES", dir.path().join("q"))
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env("TERM", "xterm-256color")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("`script` (util-linux) runs the app in a pseudo-terminal");
    let mut joy = None;
    for _ in 0..200 {
        joy = descendant_named(script.id(), "joy");
        if joy.is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    let pid = joy.expect("joy started under script");
    // Let it reach the home screen and its input loop.
    std::thread::sleep(Duration::from_millis(1500));
    assert!(alive(pid), "joy is running under script");
    assert_quiet(pid);
    let end = watch_exit(pid, Duration::from_secs(5), || {
        script.kill().unwrap();
    });
    let _ = script.wait();
    let after = end
        .after
        .unwrap_or_else(|| panic!("still running 5 s after its terminal was killed ({end:?})"));
    eprintln!(
        "measured: script killed: gone after {after:?}, {:.3} CPU s",
        end.cpu
    );
    assert!(after < WITHIN, "took {after:?} to exit");
    assert!(end.cpu <= CPU_BUDGET, "used {:.2} CPU seconds", end.cpu);
    assert_eq!(checkins_in(&db), 0);
}

#[test]
fn sigterm_and_sighup_end_the_process_and_restore_the_terminal() {
    for signal in ["TERM", "HUP"] {
        for phase in [Phase::Idle, Phase::MidCheckin] {
            let dir = tempfile::tempdir().unwrap();
            let db = dir.path().join("e2e.db");
            let t = start_sized(&db, &format!("sig{signal}-{phase:?}"), "", 80, 24);
            get_to(&t, phase);
            assert_eq!(t.flag("#{mouse_any_flag}"), "1");
            let pid = t.joy_pid();
            let end = watch_exit(pid, Duration::from_secs(5), || {
                let ok = Command::new("kill")
                    .args([&format!("-{signal}"), &pid.to_string()])
                    .status()
                    .unwrap();
                assert!(ok.success());
            });
            let after = end
                .after
                .unwrap_or_else(|| panic!("SIG{signal} {phase:?}: still running after 5 s"));
            eprintln!(
                "measured: SIG{signal} ({phase:?}): gone after {after:?}, {:.3} CPU s",
                end.cpu
            );
            assert!(after < WITHIN, "SIG{signal} {phase:?}: took {after:?}");
            assert!(end.cpu <= CPU_BUDGET, "SIG{signal} {phase:?}: {end:?}");
            t.wait_for("JOY-EXITED-0");
            assert_eq!(t.flag("#{alternate_on}"), "0", "{signal}: main screen back");
            assert_eq!(t.flag("#{mouse_any_flag}"), "0", "{signal}: mouse off");
            assert_eq!(t.flag("#{cursor_flag}"), "1", "{signal}: cursor shown");
            assert_eq!(checkins_in(&db), 0, "SIG{signal} {phase:?}: nothing saved");
        }
    }
}
