//! Bad database files and a full disk: a corrupted page, a truncated file,
//! bytes that are no database, another program's SQLite file, a file from
//! a newer version, a read-only file, and a disk that takes no more bytes.
//! For every command, the personal app and the kiosk: a clear message, no
//! panic, the file byte for byte as it was (SHA-256 before and after), and
//! a kiosk that stays on its screen instead of exiting to a shell.
//!
//! Read-only: the file is mode 0400. Root ignores file modes, so when the
//! tests run as root the child drops every capability first (the bounding
//! set, so the `exec` gives it none), and then 0400 binds it as it binds
//! anybody. A full disk: the child's `RLIMIT_FSIZE` is set to 1 KiB with
//! SIGXFSZ ignored, so any write that grows a file fails (EFBIG) as it
//! would with ENOSPC, while the existing bytes can still be read. (A small
//! tmpfs would need root and a mount; this works for any user in CI.)

#[path = "support/tmux.rs"]
mod tmux;

use chrono::{Duration, TimeZone, Utc};
use joy_kiosk::questionnaire::answers::parse_pairs;
use joy_kiosk::questionnaire::{score, Catalog};
use joy_kiosk::store::{NewCheckin, Store};
use rusqlite::Connection;
use sha2::{Digest, Sha256};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn good_db(path: &Path, n: i64) {
    let mut s = Store::open(path).unwrap();
    let cat = Catalog::bundled();
    let q = cat.get("who5").unwrap();
    let pairs = ["cheerful=3", "calm=3", "active=3", "rested=2", "interest=2"];
    let a = parse_pairs(q, pairs.iter().copied()).unwrap();
    let o = score(q, &a);
    let me = s.local_respondent().unwrap();
    let t = Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap();
    let list: Vec<NewCheckin> = (0..n)
        .map(|i| {
            let done = t - Duration::days(i);
            NewCheckin::from_outcome(q, &a, &o, Some(me), done - Duration::minutes(2), done)
        })
        .collect();
    s.save_many(&list).unwrap();
    // A kiosk's file has an admin PIN (without one the kiosk waits).
    s.set_admin_pin_hash(&joy_kiosk::kiosk::hash_pin("975318").unwrap())
        .unwrap();
    drop(s);
    // One file, no -wal beside it, so the checksum covers everything.
    let c = Connection::open(path).unwrap();
    c.pragma_update(None, "journal_mode", "DELETE").unwrap();
}

/// The kinds of bad file, each with words its message must hold.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Bad {
    /// A b-tree page's header flipped, as a bad sector would.
    CorruptPage,
    /// Cut to half its length (a copy that stopped, a full disk mid-copy).
    TruncatedHalf,
    /// Cut inside the 100-byte header.
    TruncatedHeader,
    /// Random bytes.
    Garbage,
    /// Another program's SQLite database.
    Foreign,
    /// A joy-kiosk database from a newer version.
    TooNew,
}

const ALL: [Bad; 6] = [
    Bad::CorruptPage,
    Bad::TruncatedHalf,
    Bad::TruncatedHeader,
    Bad::Garbage,
    Bad::Foreign,
    Bad::TooNew,
];

impl Bad {
    fn make(self, path: &Path) {
        match self {
            Bad::Foreign => {
                let c = Connection::open(path).unwrap();
                c.execute_batch(
                    "CREATE TABLE invoices (n, total); INSERT INTO invoices VALUES (1, 2);",
                )
                .unwrap();
                return;
            }
            Bad::Garbage => {
                let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
                let bytes: Vec<u8> = (0..40_000)
                    .map(|_| {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        x as u8
                    })
                    .collect();
                std::fs::write(path, bytes).unwrap();
                return;
            }
            _ => {}
        }
        good_db(path, 60);
        let mut bytes = std::fs::read(path).unwrap();
        match self {
            Bad::CorruptPage => {
                let page = 4096;
                for b in &mut bytes[2 * page + 3..2 * page + 12] {
                    *b ^= 0xA5;
                }
            }
            Bad::TruncatedHalf => {
                let half = bytes.len() / 2 / 4096 * 4096 + 1000;
                bytes.truncate(half);
            }
            Bad::TruncatedHeader => bytes.truncate(50),
            Bad::TooNew => {
                // user_version lives at offset 60 of the header.
                bytes[60..64].copy_from_slice(&99u32.to_be_bytes());
            }
            _ => unreachable!(),
        }
        std::fs::write(path, bytes).unwrap();
    }
    /// Words the message about this file must hold (any of them).
    fn words(self) -> &'static [&'static str] {
        match self {
            Bad::CorruptPage | Bad::TruncatedHalf | Bad::TruncatedHeader | Bad::Garbage => {
                &["damaged"]
            }
            Bad::Foreign => &["not a joy-kiosk database"],
            Bad::TooNew => &["newer version"],
        }
    }
}

fn sha(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_default();
    format!("{:x}", Sha256::digest(bytes))
}

/// Checksums of the file and of any -wal and -shm beside it.
fn sums(db: &Path) -> Vec<(String, String)> {
    ["", "-wal", "-shm"]
        .iter()
        .filter_map(|ext| {
            let p = PathBuf::from(format!("{}{ext}", db.display()));
            p.exists().then(|| (ext.to_string(), sha(&p)))
        })
        .collect()
}

#[derive(Clone, Copy, PartialEq)]
enum Limit {
    None,
    /// Root loses its capabilities, so file modes bind it.
    NoCapabilities,
    /// No file may grow past 1 KiB.
    FullDisk,
}

fn limit(cmd: &mut Command, l: Limit) {
    // SAFETY: the closure runs in the child between fork and exec and
    // calls only async-signal-safe functions (prctl, setrlimit, signal).
    unsafe {
        cmd.pre_exec(move || {
            match l {
                Limit::None => {}
                Limit::NoCapabilities => {
                    if libc::geteuid() == 0 {
                        for cap in 0..64 {
                            libc::prctl(libc::PR_CAPBSET_DROP, cap, 0, 0, 0);
                        }
                    }
                }
                Limit::FullDisk => {
                    libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                    let r = libc::rlimit {
                        rlim_cur: 1024,
                        rlim_max: 1024,
                    };
                    if libc::setrlimit(libc::RLIMIT_FSIZE, &r) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                }
            }
            Ok(())
        });
    }
}

fn joy(args: &[&str], db: &Path, l: Limit, stdin: &str) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_joy"));
    cmd.args(args)
        .env("JOY_DB", db)
        .env("XDG_CONFIG_HOME", db.with_extension("config"))
        .env("JOY_QUESTIONNAIRES", db.with_extension("q"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    limit(&mut cmd, l);
    let mut child = cmd.spawn().unwrap();
    use std::io::Write;
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Every command, as `(args, standard input)`. `OUT` is replaced by a path
/// beside the database.
const COMMANDS: &[(&[&str], &str)] = &[
    (&["history"], ""),
    (&["history", "--json"], ""),
    (&["export", "--format", "json"], ""),
    (&["export", "--format", "csv", "--out", "OUT"], ""),
    (&["check"], ""),
    (&["backup"], ""),
    (&["backup", "--out", "OUT"], ""),
    (&["erase", "--yes"], ""),
    (&["erase", "--demo", "--yes"], ""),
    (&["huddle", "--team", "Ward 7"], ""),
    (&["huddle", "--team", "Ward 7", "--export", "csv"], ""),
    (&["actions", "list"], ""),
    (&["actions", "add", "--team", "Ward 7", "Try a thing"], ""),
    (&["actions", "update", "1", "--status", "done"], ""),
    (&["kiosk", "set-admin-pin", "--pin-stdin"], "975318\n"),
];

fn run_all(db: &Path, l: Limit, mut check: impl FnMut(&[&str], &Output)) {
    let out = db.with_file_name("out.file");
    for (args, stdin) in COMMANDS {
        let args: Vec<&str> = args
            .iter()
            .map(|a| {
                if *a == "OUT" {
                    out.to_str().unwrap()
                } else {
                    *a
                }
            })
            .collect();
        let o = joy(&args, db, l, stdin);
        let all = text(&o);
        assert!(
            !all.contains("panicked") && o.status.code() != Some(101),
            "{args:?} panicked: {all}"
        );
        assert!(
            o.status.code().is_some(),
            "{args:?} killed by a signal: {all}"
        );
        check(&args, &o);
        let _ = std::fs::remove_file(&out);
    }
}

#[test]
fn every_command_on_every_bad_file_says_so_and_changes_nothing() {
    for bad in ALL {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("joy.db");
        bad.make(&db);
        let before = sums(&db);
        run_all(&db, Limit::None, |args, o| {
            let all = text(o);
            if o.status.success() {
                // Reading a damaged file is allowed (to rescue what can be
                // read), always with a warning on standard error.
                let err = String::from_utf8_lossy(&o.stderr);
                assert!(
                    err.contains("looks damaged"),
                    "{bad:?} {args:?} succeeded without a warning: {all}"
                );
            }
            assert!(
                bad.words().iter().any(|w| all.to_lowercase().contains(w)),
                "{bad:?} {args:?}: the message should say {:?}: {all}",
                bad.words()
            );
            assert!(
                all.contains("joy check")
                    || all.contains("joy restore")
                    || all.contains("joy export")
                    || all.contains("--db")
                    || all.contains("Update joy-kiosk"),
                "{bad:?} {args:?}: the message says what to do: {all}"
            );
            assert_eq!(sums(&db), before, "{bad:?} {args:?} changed the file");
        });
        // Nothing was made beside it either (no backup of a bad file in
        // backups/ is fine, but no database at another name).
        assert_eq!(sums(&db), before, "{bad:?}");
    }
}

#[test]
fn a_read_only_file_can_be_read_and_every_write_says_read_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("joy.db");
    good_db(&db, 5);
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o400)).unwrap();
    let before = sums(&db);
    let writes = ["erase", "add", "update", "set-admin-pin"];
    run_all(&db, Limit::NoCapabilities, |args, o| {
        let all = text(o);
        let writes_db = args.iter().any(|a| writes.contains(a));
        if args.contains(&"--demo") && o.status.success() {
            // No demo data: nothing to write, and it says so.
            assert!(all.contains("nothing was deleted"), "{args:?}: {all}");
        } else if writes_db {
            assert_ne!(o.status.code(), Some(0), "{args:?}: {all}");
            assert!(all.contains("read-only"), "{args:?}: {all}");
        } else if args.first() == Some(&"backup") {
            // A backup needs its folder (writable here): it only must not
            // fail on the file.
            assert!(!all.contains("damaged"), "{args:?}: {all}");
        } else {
            assert_eq!(o.status.code(), Some(0), "{args:?} reads: {all}");
        }
        assert_eq!(sums(&db), before, "{args:?} changed the file");
    });
}

#[test]
fn a_full_disk_fails_writes_plainly_and_keeps_every_saved_row() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("joy.db");
    good_db(&db, 20);
    let before = sums(&db);
    let mut messages = Vec::new();
    run_all(&db, Limit::FullDisk, |args, o| {
        let all = text(o);
        let writes = ["erase", "add", "update", "set-admin-pin", "backup"];
        let out_file = args.contains(&"--out");
        if args.iter().any(|a| writes.contains(a)) || out_file {
            assert_ne!(o.status.code(), Some(0), "{args:?} cannot succeed: {all}");
            assert!(
                all.starts_with("joy: ") || all.contains("\njoy: "),
                "{args:?}: {all}"
            );
            messages.push(format!("{args:?}: {}", all.trim()));
        }
        // The database is as it was: no half-written transaction, no
        // -wal left that holds part of one.
        let c = Connection::open(&db).unwrap();
        let ok: String = c
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok", "{args:?}");
        let n: i64 = c
            .query_row("SELECT count(*) FROM checkin", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 20, "{args:?}: every saved row is still there");
        drop(c);
        assert_eq!(
            sums(&db)[0],
            before[0],
            "{args:?} changed the database file"
        );
    });
    for m in &messages {
        println!("full disk: {m}");
    }
}

#[test]
fn the_app_without_a_terminal_says_so_instead_of_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("joy.db");
    good_db(&db, 1);
    // The kiosk needs its screen.
    let o = joy(&["kiosk"], &db, Limit::None, "");
    let all = text(&o);
    assert_eq!(o.status.code(), Some(2), "{all}");
    assert!(!all.contains("panicked"), "{all}");
    assert!(all.contains("needs a terminal"), "{all}");
    // The personal app becomes plain (issue 18 §2): it reads its empty
    // input, and ends.
    let o = joy(&[], &db, Limit::None, "");
    let all = text(&o);
    assert_eq!(o.status.code(), Some(0), "{all}");
    assert!(!all.contains("panicked"), "{all}");
    assert!(all.contains("plain mode"), "{all}");
}

/// `joy kiosk` in tmux on `db`, with `prefix` before the binary.
fn kiosk_in_tmux(db: &Path, name: &str, prefix: &str) -> tmux::Tmux {
    let config = db.with_file_name("kiosk.toml");
    std::fs::write(
        &config,
        "[kiosk]\nsite = \"Fault test\"\nmin_submit_interval_secs = 0\nburst_ms = 0\n\n[[support.lines]]\nname = \"Staff wellbeing hub\"\nphone = \"0300 123 4567\"\n",
    )
    .unwrap();
    let args = format!("kiosk --config '{}'", config.display());
    tmux::start_with(db, name, prefix, &args, 80, 24)
}

/// Wait until `phrase` is on screen, however it is wrapped (box borders
/// and line breaks count as spaces); returns the screen.
fn wait_words(t: &tmux::Tmux, phrase: &str) -> String {
    let start = std::time::Instant::now();
    loop {
        let s = t.screen();
        let flat = s
            .replace('│', " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if flat.contains(phrase) {
            return s;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(15),
            "timed out waiting for {phrase:?}:\n{s}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// Keys that must not end a kiosk, whatever it shows.
const KEYS: [&str; 9] = [
    "C-c", "C-z", "C-\\", "C-d", "q", "Escape", "Escape", "Enter", "C-k",
];

fn stays(t: &tmux::Tmux, what: &str) {
    let pid = t.joy_pid();
    t.keys(&KEYS);
    t.paste("exit\nsh\n");
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(tmux::alive(pid), "{what}: the kiosk ended");
    let s = t.screen();
    assert!(!s.contains("JOY-EXITED"), "{what}: left to the shell:\n{s}");
    assert_eq!(t.joy_pid(), pid, "{what}: the same process");
}

/// Root ignores file modes: drop every capability for the process in the
/// pane (see the module notes). Empty when not root; None when root and
/// `setpriv` (util-linux) is missing, and the read-only pane is skipped.
fn no_capabilities_prefix() -> Option<&'static str> {
    // SAFETY: geteuid only reads the process's id.
    if unsafe { libc::geteuid() } != 0 {
        return Some("");
    }
    let found = Command::new("setpriv")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        Some("setpriv --bounding-set=-all")
    } else {
        println!("skipped: read-only file in tmux (running as root without setpriv)");
        None
    }
}

#[test]
fn the_kiosk_on_a_bad_file_shows_check_ins_are_paused_and_stays() {
    use std::os::unix::fs::PermissionsExt;
    // Every kind at once, each in its own pane, so the retry is waited for once.
    let mut running = Vec::new();
    for (i, bad) in ALL.iter().copied().map(Some).chain([None]).enumerate() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("kiosk.db");
        let prefix = match bad {
            Some(b) => {
                b.make(&db);
                ""
            }
            None => {
                let Some(prefix) = no_capabilities_prefix() else {
                    continue;
                };
                good_db(&db, 3);
                std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o400)).unwrap();
                prefix
            }
        };
        let before = sums(&db);
        let t = kiosk_in_tmux(&db, &format!("bad{i}"), prefix);
        running.push((bad, dir, db, before, t));
    }
    for (bad, _dir, _db, _before, t) in &running {
        let what = bad.map_or("read-only".to_string(), |b| format!("{b:?}"));
        let s = t.wait_for("Trying again every 3 seconds");
        assert!(s.contains("cannot save check-ins"), "{what}:\n{s}");
        assert!(
            s.contains("Staff wellbeing hub"),
            "{what}: support is still shown:\n{s}"
        );
        let flat = s
            .replace('│', " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let expect: &[&str] = match bad {
            Some(b) => b.words(),
            None => &["read-only"],
        };
        assert!(
            expect.iter().any(|w| flat.to_lowercase().contains(w)),
            "{what}: the reason for IT ({expect:?}):\n{s}"
        );
        stays(t, &what);
    }
    // They try again (every 3 s), are still paused, and still have not
    // touched their files.
    std::thread::sleep(std::time::Duration::from_millis(3500));
    for (bad, _dir, db, before, t) in &running {
        let what = bad.map_or("read-only".to_string(), |b| format!("{b:?}"));
        t.wait_for("Check-ins are paused");
        assert!(tmux::alive(t.joy_pid()), "{what}");
        assert_eq!(&sums(db), before, "{what}: the file changed");
    }
}

#[test]
fn a_paused_kiosk_opens_by_itself_once_its_database_is_put_right() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    Bad::Garbage.make(&db);
    let t = kiosk_in_tmux(&db, "recover", "");
    t.wait_for("Check-ins are paused");
    stays(&t, "paused");
    // IT puts a sound database in its place (as `joy restore` would).
    let good = dir.path().join("good.db");
    good_db(&good, 2);
    std::fs::rename(&good, &db).unwrap();
    t.wait_for("How are you doing today?");
    t.keys(&["1"]);
    t.wait_for("Question 1 of 5");
    for (i, key) in ["1", "2", "1", "2", "1"].iter().enumerate() {
        t.keys(&[key]);
        if i < 4 {
            t.wait_for(&format!("Question {} of 5", i + 2));
        }
    }
    t.wait_for("Check your answers");
    t.keys(&["s"]);
    t.wait_for("Saved anonymously");
    let n: i64 = Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM checkin", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 3);
}

/// The prefix that starts the pane's process with SIGXFSZ ignored (kept
/// through exec) and no file allowed past `bytes`.
fn full_disk_prefix(bytes: u32) -> String {
    format!("sh -c 'trap \"\" XFSZ; exec prlimit --fsize={bytes}:{bytes} \"$@\"' sh")
}

fn answer_who5(t: &tmux::Tmux) {
    t.keys(&["1"]);
    t.wait_for("Question 1 of 5");
    for (i, key) in ["1", "2", "1", "2", "1"].iter().enumerate() {
        t.keys(&[key]);
        if i < 4 {
            t.wait_for(&format!("Question {} of 5", i + 2));
        }
    }
    t.wait_for("Check your answers");
}

#[test]
fn the_kiosk_on_a_full_disk_says_so_keeps_the_answers_and_stays() {
    // `prlimit` (util-linux) sets the pane's file size limit.
    if !Command::new("prlimit")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        println!("skipped: prlimit is not installed");
        return;
    }
    // A disk with no room at all: the kiosk cannot even make its -shm file,
    // so it is paused from the start, and says the disk may be full.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    good_db(&db, 2);
    // Back to WAL, as the kiosk keeps it.
    drop(Store::open(&db).unwrap());
    let before = sums(&db)[0].clone();
    let t = kiosk_in_tmux(&db, "full1", &full_disk_prefix(1024));
    let s = t.wait_for("Trying again every 3 seconds");
    let flat = s
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(flat.contains("disk may be full"), "{s}");
    stays(&t, "full disk, paused");
    assert_eq!(sums(&db)[0], before, "the database file is unchanged");
    drop(t);

    // Room for the -shm file (32 KiB) and one check-in in the -wal: the
    // first save is acknowledged, the second meets the full disk.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    good_db(&db, 2);
    drop(Store::open(&db).unwrap());
    let t = kiosk_in_tmux(&db, "full32", &full_disk_prefix(32 * 1024));
    t.wait_for("How are you doing today?");
    answer_who5(&t);
    t.keys(&["s"]);
    t.wait_for("Saved anonymously");
    t.keys(&["Enter"]);
    t.wait_for("How are you doing today?");
    answer_who5(&t);
    t.keys(&["s"]);
    let s = wait_words(&t, "please tell the ward manager or IT.");
    println!("full disk: the second save failed on screen:\n{s}");
    // Still on review with the answers, to try again.
    assert!(s.contains("Check your answers"), "{s}");
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("This was not saved") && flat.contains("press s to try again"),
        "{s}"
    );
    stays(&t, "full disk, save failed");
    let c = Connection::open(&db).unwrap();
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let n: i64 = c
        .query_row("SELECT count(*) FROM checkin", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        n, 3,
        "the acknowledged save is there, the failed one is not"
    );
}

#[test]
fn the_personal_app_on_a_bad_file_says_so() {
    // Not a database: a plain message before the screen is taken.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("joy.db");
    Bad::Garbage.make(&db);
    let before = sums(&db);
    let t = tmux::start(&db, "appbad");
    let s = t.wait_for("JOY-EXITED-2");
    assert!(s.contains("damaged") && s.contains("joy check"), "{s}");
    assert!(!s.contains("panicked"), "{s}");
    assert_eq!(sums(&db), before);
    // A damaged page: the app opens for reading and says so on screen.
    let db2 = dir.path().join("page.db");
    Bad::CorruptPage.make(&db2);
    let before = sums(&db2);
    let t2 = tmux::start(&db2, "apppage");
    let s = t2.wait_for("looks damaged");
    assert!(!s.contains("panicked"), "{s}");
    t2.keys(&["q"]);
    t2.wait_for("JOY-EXITED-0");
    assert_eq!(sums(&db2), before);
    // A read-only file: the app opens, says so at once, and writes nothing.
    use std::os::unix::fs::PermissionsExt;
    let Some(prefix) = no_capabilities_prefix() else {
        return;
    };
    let db3 = dir.path().join("ro.db");
    good_db(&db3, 2);
    std::fs::set_permissions(&db3, std::fs::Permissions::from_mode(0o400)).unwrap();
    let before = sums(&db3);
    let t3 = tmux::start_sized(&db3, "appro", prefix, 80, 24);
    let s = t3.wait_for("read-only");
    assert!(!s.contains("panicked"), "{s}");
    t3.keys(&["q"]);
    t3.wait_for("JOY-EXITED-0");
    assert_eq!(sums(&db3), before);
}
