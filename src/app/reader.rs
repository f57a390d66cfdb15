//! The terminal's input, read on a thread of its own.
//!
//! The UI thread never reads the terminal: it waits on a channel with a
//! timeout, so its clocks (the kiosk's ticks, idle wipe and countdowns) run
//! whatever bytes arrive or fail to arrive. This thread reads raw bytes with
//! `poll(2)` and a timeout, turns them into events with the pure
//! [`Decoder`](super::input::Decoder) (which gives up on unfinished
//! sequences), and notices a change of window size itself, so nothing here
//! depends on crossterm's reader (which can wait for ever on `Alt+[`, and
//! spin once the terminal has gone).

use super::input::Decoder;
use super::runner::Input;
use ratatui::crossterm::event::Event;
use std::os::fd::RawFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The longest the thread sleeps in `poll(2)` before it looks at the
/// window size and whether it should stop.
const POLL: Duration = Duration::from_millis(100);

/// The input thread and what it has read.
pub struct Reader {
    /// Its own channel (`spawn`), or none when it sends into a given one.
    rx: Option<Receiver<Input>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    winch: Option<signal_hook::SigId>,
}

impl Reader {
    /// Start reading the controlling terminal (standard input when it is
    /// one, else `/dev/tty`).
    pub fn spawn() -> std::io::Result<Reader> {
        let (tx, rx) = mpsc::channel();
        let mut reader = Self::spawn_into(tty_fd()?, tx)?;
        reader.rx = Some(rx);
        Ok(reader)
    }

    /// Start reading `fd` (a terminal, or any readable descriptor in
    /// tests); what it reads goes to `tx`.
    pub fn spawn_into(fd: RawFd, tx: mpsc::Sender<Input>) -> std::io::Result<Reader> {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        // Every change of window size, even one undone before it could be
        // read (the terminal's picture is then out of date all the same).
        let resized = Arc::new(AtomicBool::new(false));
        let winch =
            signal_hook::flag::register(signal_hook::consts::SIGWINCH, Arc::clone(&resized)).ok();
        let thread = std::thread::Builder::new()
            .name("joy-input".into())
            .spawn(move || read_loop(fd, &tx, &flag, &resized))?;
        Ok(Reader {
            rx: None,
            stop,
            thread: Some(thread),
            winch,
        })
    }

    /// The next input, or [`Input::Tick`] when `wait` passes with none, or
    /// [`Input::End`] once the terminal has gone.
    pub fn next(&self, wait: Duration) -> Input {
        let Some(rx) = &self.rx else {
            return Input::End;
        };
        match rx.recv_timeout(wait) {
            Ok(input) => input,
            Err(RecvTimeoutError::Timeout) => Input::Tick,
            Err(RecvTimeoutError::Disconnected) => Input::End,
        }
    }
}

impl Drop for Reader {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(id) = self.winch.take() {
            signal_hook::low_level::unregister(id);
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The controlling terminal's descriptor for reading.
pub fn tty_fd() -> std::io::Result<RawFd> {
    // SAFETY: isatty on a constant descriptor.
    if unsafe { libc::isatty(libc::STDIN_FILENO) } == 1 {
        return Ok(libc::STDIN_FILENO);
    }
    let tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")?;
    // The descriptor lives as long as the process (the app reads it to the end).
    Ok(std::os::fd::IntoRawFd::into_raw_fd(tty))
}

/// The window size of the terminal on `fd`, if it is one.
fn window_size(fd: RawFd) -> Option<(u16, u16)> {
    // SAFETY: TIOCGWINSZ fills a winsize we own.
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::ioctl(fd, libc::TIOCGWINSZ, &mut ws) };
    (r == 0 && ws.ws_col > 0 && ws.ws_row > 0).then_some((ws.ws_col, ws.ws_row))
}

fn read_loop(fd: RawFd, tx: &mpsc::Sender<Input>, stop: &AtomicBool, resized: &AtomicBool) {
    let mut decoder = Decoder::new();
    let mut size = window_size(fd);
    let mut buf = [0u8; 4096];
    while !stop.load(Ordering::Relaxed) {
        let now = Instant::now();
        let wait = decoder
            .deadline()
            .map_or(POLL, |d| d.saturating_duration_since(now))
            .min(POLL);
        let mut p = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd.
        let n = unsafe { libc::poll(&mut p, 1, wait.as_millis() as libc::c_int) };
        let mut events = Vec::new();
        if n < 0 {
            if std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
                let _ = tx.send(Input::End);
                return;
            }
        } else if n > 0 {
            if p.revents & libc::POLLIN != 0 {
                // SAFETY: reading into a buffer we own, of its length.
                let r = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
                if r > 0 {
                    events = decoder.feed(&buf[..r as usize], Instant::now());
                } else {
                    let e = std::io::Error::last_os_error();
                    let again = r < 0
                        && matches!(
                            e.kind(),
                            std::io::ErrorKind::Interrupted | std::io::ErrorKind::WouldBlock
                        );
                    if !again {
                        // End of input (0 bytes) or the terminal gone (EIO).
                        let _ = tx.send(Input::End);
                        return;
                    }
                }
            } else if p.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
                let _ = tx.send(Input::End);
                return;
            }
        }
        events.extend(decoder.flush(Instant::now()));
        let now_size = window_size(fd);
        if resized.swap(false, Ordering::Relaxed) || now_size != size {
            size = now_size;
            if let Some((w, h)) = now_size {
                events.push(Event::Resize(w, h));
            }
        }
        for e in events {
            if tx.send(Input::Event(e)).is_err() {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pipe stands in for the terminal: bytes in, events out, and an
    /// unfinished sequence does not hold back time.
    #[test]
    fn alt_bracket_on_a_pipe_becomes_a_key_and_ticks_go_on() {
        let mut fds = [0; 2];
        // SAFETY: a pipe into an array of two.
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        let (tx, rx) = mpsc::channel();
        let mut reader = Reader::spawn_into(fds[0], tx).unwrap();
        reader.rx = Some(rx);
        let write = |b: &[u8]| {
            // SAFETY: writing a buffer we own.
            unsafe { libc::write(fds[1], b.as_ptr().cast(), b.len()) };
        };
        write(b"\x1b[");
        let mut got = Vec::new();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(2) {
            match reader.next(Duration::from_millis(20)) {
                Input::Event(e) => got.push(e),
                Input::Tick => {
                    if !got.is_empty() {
                        break;
                    }
                }
                Input::End | Input::Done(_) => panic!("ended"),
            }
        }
        use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
        assert_eq!(
            got,
            vec![Event::Key(KeyEvent::new(
                KeyCode::Char('['),
                KeyModifiers::ALT
            ))]
        );
        // Closing the write end is the end of input.
        // SAFETY: closing our own descriptor.
        unsafe { libc::close(fds[1]) };
        let start = Instant::now();
        loop {
            if let Input::End = reader.next(Duration::from_millis(50)) {
                break;
            }
            assert!(start.elapsed() < Duration::from_secs(2), "no end seen");
        }
    }
}
