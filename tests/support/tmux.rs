//! Driving the real `joy` binary in a tmux pane of a given size, and reading
//! what the kernel says about its process. Shared by the pseudo-terminal
//! tests (`#[path = "support/tmux.rs"] mod tmux;`).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

pub struct Tmux {
    pub socket: String,
}

impl Tmux {
    pub fn cmd(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .output()
            .expect("tmux must be installed for the end-to-end test (apt-get install tmux)");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
    pub fn screen(&self) -> String {
        self.cmd(&["capture-pane", "-p", "-t", "joy"])
    }
    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.cmd(&["send-keys", "-t", "joy", k]);
            std::thread::sleep(Duration::from_millis(60));
        }
    }
    /// tmux's view of the pane's terminal modes, e.g. `#{alternate_on}`.
    pub fn flag(&self, name: &str) -> String {
        self.cmd(&["display-message", "-p", "-t", "joy", name])
            .trim()
            .to_string()
    }
    /// Resize the pane's window to `w` x `h`.
    pub fn resize(&self, w: u16, h: u16) {
        self.cmd(&[
            "resize-window",
            "-t",
            "joy",
            "-x",
            &w.to_string(),
            "-y",
            &h.to_string(),
        ]);
    }
    /// Raw bytes into the pane's terminal, exactly as given (tmux's
    /// `send-keys -H`): broken escape sequences, lone halves of UTF-8, NULs.
    pub fn bytes(&self, b: &[u8]) {
        if b.is_empty() {
            return;
        }
        let hex: Vec<String> = b.iter().map(|x| format!("{x:02x}")).collect();
        let mut args = vec!["send-keys", "-t", "joy", "-H"];
        args.extend(hex.iter().map(String::as_str));
        self.cmd(&args);
    }
    pub fn literal(&self, s: &str) {
        self.cmd(&["send-keys", "-t", "joy", "-l", s]);
    }
    pub fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            // Also with lines the terminal wrapped joined: a shell's
            // message after a killed app may start mid-line and wrap.
            if s.contains(text) {
                return s;
            }
            let joined = self.cmd(&["capture-pane", "-p", "-J", "-t", "joy"]);
            if joined.contains(text) {
                // The capture that matched, never an older one.
                return joined;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "timed out waiting for {text:?}; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    /// Wait until one of `texts` is on screen; returns the screen.
    pub fn wait_for_any(&self, texts: &[&str]) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if texts.iter().any(|t| s.contains(t)) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "timed out waiting for any of {texts:?}; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    /// A left click (press and release, SGR mouse report) at a 1-based
    /// column and row.
    pub fn click(&self, x: usize, y: usize) {
        self.literal(&format!("\x1b[<0;{x};{y}M\x1b[<0;{x};{y}m"));
    }
    /// Wait until `text` is no longer on screen.
    pub fn wait_gone(&self, text: &str) {
        let start = Instant::now();
        while self.screen().contains(text) {
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "{text:?} is still on screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    /// Everything the pane holds: the screen and its whole scrollback.
    pub fn history(&self) -> String {
        self.cmd(&["capture-pane", "-p", "-S", "-", "-E", "-", "-t", "joy"])
    }
    /// Paste `text` as a terminal paste (bracketed when the app asked).
    pub fn paste(&self, text: &str) {
        self.cmd(&["set-buffer", "-b", "joy-paste", text]);
        self.cmd(&["paste-buffer", "-p", "-b", "joy-paste", "-t", "joy"]);
    }
    /// The pid of the `joy` process running in the pane.
    pub fn joy_pid(&self) -> u32 {
        let shell: u32 = self
            .flag("#{pane_pid}")
            .parse()
            .expect("tmux names the pane's process");
        let start = Instant::now();
        loop {
            if let Some(p) = descendant_named(shell, "joy") {
                return p;
            }
            assert!(start.elapsed() < Duration::from_secs(10), "no joy process");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    /// Close the window: the terminal disappears under the app.
    pub fn kill_session(&self) {
        self.cmd(&["kill-session", "-t", "joy"]);
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

/// Start `joy` (with `prefix` before it, e.g. `setsid -w`) in a detached
/// tmux session of `w` x `h`, on the database `db`. After it exits the pane
/// shows `JOY-EXITED-<code>`.
pub fn start_sized(db: &Path, name: &str, prefix: &str, w: u16, h: u16) -> Tmux {
    start_with(db, name, prefix, "", w, h)
}

/// Like [`start_sized`], with `args` after the binary (e.g. `kiosk --config F`).
pub fn start_with(db: &Path, name: &str, prefix: &str, args: &str, w: u16, h: u16) -> Tmux {
    let t = Tmux {
        socket: format!("joy-e2e-{name}-{}", std::process::id()),
    };
    let cmd = format!(
        "env JOY_DB='{}' JOY_QUESTIONNAIRES='{}' XDG_CONFIG_HOME='{}' NO_COLOR=1 TERM=xterm-256color {prefix} '{}' {args}; echo JOY-EXITED-$?; sleep 30",
        db.display(),
        db.with_extension("q").display(),
        db.with_extension("config").display(),
        env!("CARGO_BIN_EXE_joy")
    );
    let (w, h) = (w.to_string(), h.to_string());
    t.cmd(&["new-session", "-d", "-s", "joy", "-x", &w, "-y", &h, &cmd]);
    t
}

pub fn start(db: &Path, name: &str) -> Tmux {
    start_sized(db, name, "", 80, 24)
}

/// Fields of `/proc/PID/stat` after the command name: [0] is the state,
/// [11] and [12] user and system CPU time in clock ticks.
fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &s[s.rfind(')')? + 1..];
    Some(after.split_whitespace().map(str::to_string).collect())
}

fn comm(pid: u32) -> Option<String> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    Some(s[s.find('(')? + 1..s.rfind(')')?].to_string())
}

fn parent(pid: u32) -> Option<u32> {
    stat_fields(pid)?.get(1)?.parse().ok()
}

/// A live process below `root` whose command name is `name`.
pub fn descendant_named(root: u32, name: &str) -> Option<u32> {
    let pids: Vec<u32> = std::fs::read_dir("/proc")
        .ok()?
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .collect();
    pids.into_iter().find(|&p| {
        if comm(p).as_deref() != Some(name) || !alive(p) {
            return false;
        }
        let mut up = p;
        for _ in 0..16 {
            match parent(up) {
                Some(q) if q == root => return true,
                Some(q) if q > 1 => up = q,
                _ => return false,
            }
        }
        false
    })
}

/// Running or sleeping: not gone and not a zombie (exited, not yet reaped).
pub fn alive(pid: u32) -> bool {
    stat_fields(pid).is_some_and(|f| f[0] != "Z" && f[0] != "X")
}

/// CPU time (user + system) the process has used so far, in seconds.
pub fn cpu_seconds(pid: u32) -> Option<f64> {
    let f = stat_fields(pid)?;
    let ticks: f64 = f[11].parse::<f64>().ok()? + f[12].parse::<f64>().ok()?;
    // SAFETY: sysconf only reads a constant.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    Some(ticks / hz)
}

/// How the process ended after something was done to it.
#[derive(Debug)]
pub struct Ending {
    /// Time until it was gone (or a zombie); None if still alive at the deadline.
    pub after: Option<Duration>,
    /// CPU seconds it used from the moment of `act` to its last reading.
    pub cpu: f64,
}

/// Do `act`, then watch `pid` for up to `deadline`, reading its CPU time
/// every 10 ms until it has gone.
pub fn watch_exit(pid: u32, deadline: Duration, act: impl FnOnce()) -> Ending {
    let before = cpu_seconds(pid).expect("the process is running before the test acts");
    let start = Instant::now();
    act();
    let mut last = before;
    loop {
        if let Some(c) = cpu_seconds(pid) {
            last = c;
        }
        if !alive(pid) {
            return Ending {
                after: Some(start.elapsed()),
                cpu: last - before,
            };
        }
        if start.elapsed() > deadline {
            // Do not leave a spinning process behind a failed test.
            // SAFETY: sending a signal to a pid.
            unsafe { libc::kill(pid as i32, libc::SIGKILL) };
            return Ending {
                after: None,
                cpu: last - before,
            };
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// A kiosk with teams "Ward 7" and "Theatres" and the given extra `[kiosk]`
/// settings, at `w` x `h`, on the welcome screen. Returns the folder (keep
/// it alive), the database and the pane.
pub fn start_kiosk(name: &str, extra: &str, w: u16, h: u16) -> (tempfile::TempDir, PathBuf, Tmux) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("kiosk.db");
    let config = dir.path().join("joy.toml");
    std::fs::write(
        &config,
        format!("[kiosk]\nsite = \"Ward 7 (test)\"\nteams = [\"Ward 7\", \"Theatres\"]\n{extra}\n"),
    )
    .expect("the config is written");
    admin_pin_for(&db);
    let args = format!("kiosk --config '{}'", config.display());
    let t = start_with(&db, name, "", &args, w, h);
    t.wait_for("How are you doing today?");
    (dir, db, t)
}

/// Give the kiosk database `db` an admin PIN (975318), as whoever sets a
/// kiosk up does first: without one the kiosk waits on its paused screen.
pub fn admin_pin_for(db: &Path) {
    let hash = joy_kiosk::kiosk::hash_pin("975318").expect("a PIN hash");
    joy_kiosk::store::Store::open(db)
        .expect("the kiosk database")
        .set_admin_pin_hash(&hash)
        .expect("the admin PIN is kept");
}

/// A seed for a randomised test: `var` from the environment (to replay a
/// run), else the clock. Printed, so a failure can be replayed.
pub fn seed_from_env(var: &str) -> u64 {
    let seed = std::env::var(var)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
                | 1
        });
    println!("seed {seed} ({var}={seed} replays this run)");
    seed
}

/// A screen's words in one line: box borders and line breaks gone, so a
/// phrase is found however it was wrapped.
pub fn flat(screen: &str) -> String {
    screen
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
