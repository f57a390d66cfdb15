//! Timing SQL in the `sqlite3` shell on the same file a bench reads, so
//! the app's figure stands beside the shell's. Shared by benches
//! (`mod sqlite3_shell;`).
#![allow(dead_code)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Wall time of the `sqlite3` shell running `statements` (each followed by
/// `;`) `rounds` times on `db`, rows sent to /dev/null. Start-up is
/// included: callers subtract an empty run.
pub fn time_script(db: &Path, statements: &[String], rounds: usize) -> Duration {
    let mut script = String::from(".output /dev/null\n");
    for _ in 0..rounds {
        for s in statements {
            script.push_str(s);
            script.push_str(";\n");
        }
    }
    let start = Instant::now();
    let mut child = Command::new("sqlite3")
        .arg(db)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("sqlite3");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
    start.elapsed()
}
