//! A pseudo-terminal driven by hand: what the app writes is collected, and
//! nothing is ever answered (no cursor report, no device attributes).
#![allow(dead_code)]

use std::io::Read;
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

pub struct Pty {
    pub master: OwnedFd,
    pub child: Child,
    pub output: Arc<Mutex<Vec<u8>>>,
}

impl Pty {
    pub fn write(&self, b: &[u8]) {
        use std::os::fd::AsRawFd;
        // SAFETY: writing a buffer we own to our own descriptor.
        unsafe { libc::write(self.master.as_raw_fd(), b.as_ptr().cast(), b.len()) };
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap()).into_owned()
    }
    pub fn len(&self) -> usize {
        self.output.lock().unwrap().len()
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn spawn(cmd: &mut Command) -> Pty {
    let (mut master, mut slave) = (0, 0);
    let ws = libc::winsize {
        ws_row: 24,
        ws_col: 80,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty fills two descriptors; the size is ours.
    let r = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &ws,
        )
    };
    assert_eq!(r, 0, "openpty");
    // SAFETY: both descriptors were just opened for us.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    let s_in = slave.try_clone().unwrap();
    let s_out = slave.try_clone().unwrap();
    // SAFETY: setsid and TIOCSCTTY in the child before exec make the pty
    // its controlling terminal.
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
            libc::ioctl(0, libc::TIOCSCTTY as _, 0);
            Ok(())
        });
    }
    let child = cmd
        .stdin(Stdio::from(s_in))
        .stdout(Stdio::from(s_out))
        .stderr(Stdio::from(slave))
        .spawn()
        .expect("joy starts");
    let output = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&output);
    let mut reader = std::fs::File::from(master.try_clone().unwrap());
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    Pty {
        master,
        child,
        output,
    }
}

impl Pty {
    /// Wait (up to 15 s) until what the app wrote after byte `from`
    /// contains `text`.
    pub fn wait_for(&self, from: usize, text: &str) {
        let start = std::time::Instant::now();
        loop {
            let all = self.output.lock().unwrap().clone();
            if String::from_utf8_lossy(&all[from.min(all.len())..]).contains(text) {
                return;
            }
            assert!(
                start.elapsed() < std::time::Duration::from_secs(15),
                "no {text:?} in what the app wrote: {}",
                String::from_utf8_lossy(&all)
            );
            std::thread::sleep(std::time::Duration::from_millis(30));
        }
    }
}
