//! Ending the process when the world ends it: SIGTERM, SIGHUP, SIGINT, or a
//! terminal that goes away (window closed, ssh dropped, pty closed).
//!
//! crossterm's `event::poll` can spin at full CPU without returning once its
//! terminal has gone (crossterm issue 793), so nothing here depends on the
//! input loop: two small threads watch from the side and end the process
//! themselves.
//!
//! - A signal thread (`signal_hook::iterator::Signals`) restores the terminal
//!   where it still exists and exits. A second signal of the same kind always
//!   kills (`register_conditional_shutdown`), in case restoring hangs.
//! - A tty watch polls the terminal's file descriptor for `POLLHUP` / `POLLERR`
//!   / `POLLNVAL` every [`WATCH_INTERVAL`] and exits when it is gone.
//!
//! Exiting mid-save is safe: a check-in is one SQLite transaction, so it is
//! either committed whole or rolled back when the database is next opened.

use std::os::fd::RawFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How often the tty watch looks at the terminal.
pub const WATCH_INTERVAL: Duration = Duration::from_millis(100);

/// The longest restoring the terminal may take before the process exits anyway.
pub const RESTORE_DEADLINE: Duration = Duration::from_millis(300);

/// Signals that end the app (SIGINT only arrives from `kill`: in raw mode
/// Ctrl-C is a key).
pub const SIGNALS: [i32; 3] = [
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGINT,
];

/// What the terminal looks like to `poll(2)` right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TtyState {
    Present,
    /// Hung up, errored or closed: nobody can see or type any more.
    Gone,
}

/// Ask the kernel, without blocking, whether `fd`'s terminal has hung up.
pub fn tty_state(fd: RawFd) -> TtyState {
    let mut p = libc::pollfd {
        fd,
        events: 0, // POLLHUP, POLLERR and POLLNVAL are always reported.
        revents: 0,
    };
    // SAFETY: one valid pollfd, count 1, zero timeout.
    let n = unsafe { libc::poll(&mut p, 1, 0) };
    if n < 0 {
        let e = std::io::Error::last_os_error();
        return if e.kind() == std::io::ErrorKind::Interrupted {
            TtyState::Present
        } else {
            TtyState::Gone
        };
    }
    if p.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
        TtyState::Gone
    } else {
        TtyState::Present
    }
}

/// The descriptor crossterm reads keys from: stdin when it is a terminal,
/// otherwise a fresh handle on `/dev/tty` (kept open for the process's life).
pub fn input_tty() -> Option<RawFd> {
    // SAFETY: isatty only inspects the descriptor.
    if unsafe { libc::isatty(libc::STDIN_FILENO) } == 1 {
        return Some(libc::STDIN_FILENO);
    }
    use std::os::fd::IntoRawFd;
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .ok()
        .map(|f| f.into_raw_fd())
}

/// Restore what can be restored, then exit, within [`RESTORE_DEADLINE`]
/// whatever the restore does (a gone terminal can make writes fail or, on
/// some systems, block).
fn leave(restore: fn(), code: i32) -> ! {
    static LEAVING: AtomicBool = AtomicBool::new(false);
    if LEAVING.swap(true, Ordering::SeqCst) {
        // Another thread is already leaving; let it finish.
        loop {
            std::thread::sleep(Duration::from_secs(1));
        }
    }
    std::thread::spawn(move || {
        std::thread::sleep(RESTORE_DEADLINE);
        // SAFETY: _exit ends the process at once, skipping atexit handlers
        // that could block on the lost terminal.
        unsafe { libc::_exit(code) }
    });
    restore();
    std::process::exit(code)
}

/// Start the signal thread and the tty watch. `restore` puts the terminal
/// back (it must be safe to call from any thread and more than once).
/// Installing again (the kiosk's paused screen, then the kiosk) does nothing.
pub fn install(restore: fn()) -> std::io::Result<()> {
    static INSTALLED: AtomicBool = AtomicBool::new(false);
    if INSTALLED.swap(true, Ordering::SeqCst) {
        return Ok(());
    }
    let signalled = Arc::new(AtomicBool::new(false));
    for sig in SIGNALS {
        // A second signal ends the process even if the first one's restore hangs.
        signal_hook::flag::register_conditional_shutdown(sig, 1, Arc::clone(&signalled))?;
        signal_hook::flag::register(sig, Arc::clone(&signalled))?;
    }
    let mut signals = signal_hook::iterator::Signals::new(SIGNALS)?;
    std::thread::Builder::new()
        .name("joy-signals".into())
        .spawn(move || {
            if signals.forever().next().is_some() {
                leave(restore, 0);
            }
        })?;
    if let Some(fd) = input_tty() {
        std::thread::Builder::new()
            .name("joy-tty-watch".into())
            .spawn(move || loop {
                if tty_state(fd) == TtyState::Gone {
                    leave(restore, 0);
                }
                std::thread::sleep(WATCH_INTERVAL);
            })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pseudo-terminal pair: (controlling side, terminal side).
    fn openpty() -> (RawFd, RawFd) {
        let (mut master, mut slave) = (0, 0);
        // SAFETY: out-pointers to two ints; null name, termios and winsize.
        let r = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                std::ptr::null(),
            )
        };
        assert_eq!(r, 0, "openpty failed: {}", std::io::Error::last_os_error());
        (master, slave)
    }

    #[test]
    fn a_live_terminal_is_present_and_a_closed_one_is_gone() {
        let (master, slave) = openpty();
        assert_eq!(tty_state(slave), TtyState::Present);
        // Unread output or pending input must not count as gone.
        // SAFETY: writing 3 bytes from a valid buffer to an open fd.
        unsafe { libc::write(master, b"abc".as_ptr().cast(), 3) };
        assert_eq!(tty_state(slave), TtyState::Present);
        // The window closes: the controlling side goes away.
        // SAFETY: closing a descriptor this test owns.
        unsafe { libc::close(master) };
        assert_eq!(tty_state(slave), TtyState::Gone);
        // SAFETY: as above.
        unsafe { libc::close(slave) };
    }
}
