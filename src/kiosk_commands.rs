//! `joy kiosk` beside its screens: `joy kiosk set-admin-pin`, which asks for
//! the admin PIN twice without echo (or reads it from standard input with
//! `--pin-stdin`) and stores only its argon2id hash.

use crate::config::Settings;
use crate::kiosk::{hash_pin, valid_pin};
use crate::store::Store;
use crate::text::kiosk as words;
use anyhow::{bail, Result};
use std::io::{BufRead, IsTerminal, Read, Write};
use std::process::ExitCode;

/// Longest line read as a PIN; longer input is refused by the PIN rule.
const MAX_PIN_INPUT: usize = 256;

/// `joy kiosk set-admin-pin [--pin-stdin]`.
pub fn set_admin_pin(
    settings: &Settings,
    pin_stdin: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let pin = if pin_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .take(MAX_PIN_INPUT as u64)
            .read_line(&mut line)?;
        let pin = line.trim_end_matches(['\n', '\r']).to_string();
        if pin.is_empty() {
            bail!("{}", words::ADMIN_PIN_NO_INPUT);
        }
        pin
    } else {
        if !std::io::stdin().is_terminal() {
            bail!("{}", words::ADMIN_PIN_NEEDS_TERMINAL);
        }
        let Some((first, second)) = ask_twice()? else {
            bail!("{}", words::ADMIN_PIN_CANCELLED);
        };
        if valid_pin(&first).is_ok() && first != second {
            bail!("{}", words::ADMIN_PIN_MISMATCH);
        }
        first
    };
    if let Err(rule) = valid_pin(&pin) {
        bail!("{rule} Nothing was stored.");
    }
    let hash = hash_pin(&pin)?;
    let mut store = Store::open_checked(&settings.db)?;
    store.set_admin_pin_hash(&hash)?;
    writeln!(
        out,
        "{}",
        words::admin_pin_stored(&settings.db.display().to_string())
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Ask for the PIN and again, with echo off for both. None: cancelled
/// (Ctrl-C, Ctrl-D, Esc, or the input ended).
fn ask_twice() -> Result<Option<(String, String)>> {
    let fd = libc::STDIN_FILENO;
    let guard = hidden::EchoOff::new(fd)?;
    let first = hidden::read_line(fd, words::ADMIN_PIN_PROMPT)?;
    let second = match &first {
        Some(p) if valid_pin(p).is_ok() => hidden::read_line(fd, words::ADMIN_PIN_AGAIN)?,
        // A PIN that breaks the rule is refused at once, not asked again.
        Some(p) => Some(p.clone()),
        None => None,
    };
    drop(guard);
    Ok(first.zip(second))
}

/// Reading a line from the terminal without showing it (termios via libc).
mod hidden {
    use super::MAX_PIN_INPUT;
    use std::io::Write;
    use std::os::fd::RawFd;

    /// Echo, line editing and signal keys off while alive; the terminal is
    /// put back as it was when dropped (any return, `?` or panic), and by a
    /// signal thread if SIGTERM, SIGHUP or SIGINT arrive meanwhile.
    pub struct EchoOff {
        fd: RawFd,
        saved: libc::termios,
    }

    fn set(fd: RawFd, t: &libc::termios) {
        // SAFETY: a valid termios for a descriptor that was a terminal.
        unsafe {
            libc::tcsetattr(fd, libc::TCSANOW, t);
        }
    }

    impl EchoOff {
        pub fn new(fd: RawFd) -> std::io::Result<EchoOff> {
            // SAFETY: termios is plain data; tcgetattr fills it or fails.
            let mut t: libc::termios = unsafe { std::mem::zeroed() };
            if unsafe { libc::tcgetattr(fd, &mut t) } != 0 {
                return Err(std::io::Error::last_os_error());
            }
            let saved = t;
            // The process ends soon after the prompt, so a signal at any
            // point restores the terminal and exits, as the default would.
            if let Ok(mut signals) = signal_hook::iterator::Signals::new([
                signal_hook::consts::SIGTERM,
                signal_hook::consts::SIGHUP,
                signal_hook::consts::SIGINT,
            ]) {
                std::thread::spawn(move || {
                    if let Some(sig) = signals.forever().next() {
                        set(fd, &saved);
                        std::process::exit(128 + sig);
                    }
                });
            }
            // Ctrl-C, Ctrl-Z and Ctrl-\ arrive as bytes (ISIG off), so no
            // signal can stop the process with echo still off.
            t.c_lflag &= !(libc::ECHO | libc::ICANON | libc::ISIG);
            t.c_cc[libc::VMIN] = 1;
            t.c_cc[libc::VTIME] = 0;
            // SAFETY: as in `set`; checked here because it must work.
            if unsafe { libc::tcsetattr(fd, libc::TCSANOW, &t) } != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(EchoOff { fd, saved })
        }
    }

    impl Drop for EchoOff {
        fn drop(&mut self) {
            set(self.fd, &self.saved);
        }
    }

    /// Show `prompt` on standard error, read a line without echo. Backspace
    /// and Ctrl-U edit; Enter ends; Ctrl-C, Ctrl-D, Esc or the end of input
    /// cancel (None).
    pub fn read_line(fd: RawFd, prompt: &str) -> std::io::Result<Option<String>> {
        let mut err = std::io::stderr();
        write!(err, "{prompt}")?;
        err.flush()?;
        let mut line: Vec<u8> = Vec::new();
        let done = loop {
            let mut b = [0u8; 1];
            // SAFETY: reading one byte into a valid buffer.
            let n = unsafe { libc::read(fd, b.as_mut_ptr().cast(), 1) };
            if n < 0 {
                let e = std::io::Error::last_os_error();
                if e.kind() == std::io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(e);
            }
            match (n, b[0]) {
                (0, _) | (_, 0x03 | 0x04 | 0x1b) => break None,
                (_, b'\r' | b'\n') => break Some(line),
                (_, 0x7f | 0x08) => {
                    line.pop();
                }
                (_, 0x15) => line.clear(),
                (_, c) if line.len() < MAX_PIN_INPUT => line.push(c),
                _ => {}
            }
        };
        writeln!(err)?;
        Ok(done.map(|l| String::from_utf8_lossy(&l).into_owned()))
    }
}
