//! The whole `joy` process in a pseudo-terminal (80x24): time from just
//! before `spawn` to the last byte of the first frame, and peak memory
//! (`VmHWM` from `/proc/PID/status`) after a tour of the screens.
//!
//! How "first frame drawn" is told: the bench holds the pty's master side
//! and reads everything the app writes, timestamping each read. After the
//! first frame the app waits for a key and writes nothing, so the first
//! frame has ended at the last byte before 300 ms of silence; the bytes are
//! checked to hold the home screen's title and key bar. Measured this way
//! the figure includes process start, dynamic loading, argument and config
//! parsing, terminal set-up (raw mode, alternate screen, mouse), opening
//! and checking the database, loading the questionnaires, the home
//! summaries, drawing, and the pty's own transfer.
#![allow(dead_code)]

use std::io::Read;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const QUIET: Duration = Duration::from_millis(300);

struct Pty {
    master: std::fs::File,
    slave: Option<OwnedFd>,
}

fn open_pty(cols: u16, rows: u16) -> Pty {
    let (mut m, mut s) = (0, 0);
    let ws = libc::winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    let r = unsafe { libc::openpty(&mut m, &mut s, std::ptr::null_mut(), std::ptr::null(), &ws) };
    assert_eq!(r, 0, "openpty");
    unsafe {
        let flags = libc::fcntl(m, libc::F_GETFL);
        libc::fcntl(m, libc::F_SETFL, flags | libc::O_NONBLOCK);
    }
    Pty {
        master: unsafe { std::fs::File::from_raw_fd(m) },
        slave: Some(unsafe { OwnedFd::from_raw_fd(s) }),
    }
}

/// Read what is there until `quiet` passes with nothing new (or `limit`);
/// returns the time of the last byte read.
fn drain(
    master: &mut std::fs::File,
    out: &mut Vec<u8>,
    quiet: Duration,
    limit: Duration,
) -> Option<Instant> {
    let start = Instant::now();
    let mut last = None;
    let mut buf = [0u8; 65536];
    loop {
        let mut pfd = libc::pollfd {
            fd: master.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        let since = last.unwrap_or(start);
        let wait = quiet.saturating_sub(since.elapsed());
        if wait.is_zero() && last.is_some() || start.elapsed() > limit {
            return last;
        }
        let n = unsafe { libc::poll(&mut pfd, 1, wait.as_millis().max(1) as i32) };
        if n > 0 {
            match master.read(&mut buf) {
                Ok(0) => return last,
                Ok(k) => {
                    last = Some(Instant::now());
                    out.extend_from_slice(&buf[..k]);
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                // EIO: the other side is closed (the process ended).
                Err(_) => return last,
            }
        }
    }
}

fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

pub struct Launch {
    pub first_frame: Duration,
    pub hwm_after_first_kib: u64,
    pub hwm_after_tour_kib: u64,
}

/// One launch: first frame, then History, End, Trends (all periods), a
/// check-in opened, then quit.
pub fn launch(db: &Path, bin: &str, home: &Path) -> Launch {
    let mut pty = open_pty(80, 24);
    let slave = pty.slave.take().unwrap();
    let mut cmd = Command::new(bin);
    cmd.arg("--db")
        .arg(db)
        .env_clear()
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("TERM", "xterm-256color")
        .env("PATH", "/usr/bin:/bin")
        .stdin(Stdio::from(slave.try_clone().unwrap()))
        .stdout(Stdio::from(slave.try_clone().unwrap()))
        .stderr(Stdio::from(slave.try_clone().unwrap()));
    unsafe {
        cmd.pre_exec(move || {
            if libc::setsid() < 0 {
                return Err(std::io::Error::last_os_error());
            }
            if libc::ioctl(0, libc::TIOCSCTTY as _, 0) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let t0 = Instant::now();
    let mut child = cmd.spawn().expect("spawn joy");
    // Only the child holds the terminal side now.
    drop(slave);
    drop(cmd);
    let mut out = Vec::new();
    let end = drain(&mut pty.master, &mut out, QUIET, Duration::from_secs(10)).expect("no output");
    let first_frame = end - t0;
    let screen = String::from_utf8_lossy(&out);
    assert!(
        screen.contains("joy-kiosk") && screen.contains("quit"),
        "not the home screen: {screen:?}"
    );
    let pid = child.id();
    let hwm_after_first_kib = vm_hwm_kib(pid).unwrap_or(0);
    use std::io::Write;
    // h: History; End; Enter: open that check-in; Esc; t: Trends; p x4: every period.
    for keys in [
        &b"h"[..],
        b"\x1b[F",
        b"\r",
        b"\x1b",
        b"\x1b",
        b"t",
        b"p",
        b"p",
        b"p",
        b"p",
    ] {
        pty.master.write_all(keys).unwrap();
        drain(
            &mut pty.master,
            &mut out,
            Duration::from_millis(150),
            Duration::from_secs(5),
        );
    }
    let hwm_after_tour_kib = vm_hwm_kib(pid).unwrap_or(0);
    pty.master.write_all(b"q").unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        drain(
            &mut pty.master,
            &mut out,
            Duration::from_millis(20),
            Duration::from_millis(100),
        );
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break;
        }
    }
    Launch {
        first_frame,
        hwm_after_first_kib,
        hwm_after_tour_kib,
    }
}

pub fn report(db: &Path, bin: &str) {
    let home = tempfile::tempdir().unwrap();
    // Warm the page cache and the binary once.
    launch(db, bin, home.path());
    let runs: Vec<Launch> = (0..20).map(|_| launch(db, bin, home.path())).collect();
    let mut t: Vec<Duration> = runs.iter().map(|r| r.first_frame).collect();
    t.sort();
    let hwm1 = runs
        .iter()
        .map(|r| r.hwm_after_first_kib)
        .max()
        .unwrap_or(0);
    let hwm2 = runs.iter().map(|r| r.hwm_after_tour_kib).max().unwrap_or(0);
    println!(
        "\n`joy --db {}` in an 80x24 pseudo-terminal, 20 launches (after one to warm the cache):",
        db.display()
    );
    println!(
        "launch to first frame, whole process: median {:.1} ms, fastest {:.1} ms, slowest {:.1} ms (target < 50 ms: {})",
        t[t.len() / 2].as_secs_f64() * 1e3,
        t[0].as_secs_f64() * 1e3,
        t[t.len() - 1].as_secs_f64() * 1e3,
        if t[t.len() / 2] < Duration::from_millis(50) { "yes" } else { "NO" }
    );
    println!(
        "peak memory (VmHWM), largest of 20: {:.1} MiB after the first frame, {:.1} MiB after History, End, a check-in, Trends in every period (target < 30 MB: {})",
        hwm1 as f64 / 1024.0,
        hwm2 as f64 / 1024.0,
        if (hwm2 * 1024) < 30_000_000 { "yes" } else { "NO" }
    );
}
