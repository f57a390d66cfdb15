//! Issue 17, §5 (faults): the ward's server stopped hard while a terminal
//! delivers, and started again. Nothing is lost, nothing doubled, and the
//! failure is said; delivery resumes by itself at the next round.

mod server;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use joy_kiosk::demo::Rng;
use joy_kiosk::period::PeriodKind;
use joy_kiosk::questionnaire::Catalog;
use joy_kiosk::reflection_gen;
use joy_kiosk::store::pg::PgStore;
use joy_kiosk::store::Store;

/// Entries on the server (as its superuser).
fn count(conn: &str) -> i64 {
    let mut c = postgres::Client::connect(conn, postgres::NoTls).unwrap();
    c.query_one("SELECT count(*) FROM entry", &[])
        .unwrap()
        .get(0)
}

/// A kiosk's file at `db` delivering to a server, with `per_day` team
/// reflections of Ward 7 on each of `days` days from `first`; the rows.
fn kiosk_with_backlog(
    db: &std::path::Path,
    first: NaiveDate,
    days: i64,
    per_day: usize,
    seed: u64,
) -> (Store, Vec<joy_kiosk::model::NewCheckin>) {
    let mut local = Store::open(db).unwrap();
    local.set_time_zone("Europe/London").unwrap();
    local.set_outbox(true).unwrap();
    let cat = Catalog::bundled();
    let q = cat.get("team-reflection").unwrap();
    let mut rng = Rng::new(seed);
    let mut rows = Vec::new();
    for d in 0..days {
        for _ in 0..per_day {
            let a = reflection_gen::answers(q, rng.unit(), &mut rng, |_| String::new());
            rows.push(reflection_gen::checkin(
                q,
                &a,
                "Ward 7",
                PeriodKind::Week,
                first + Duration::days(d),
            ));
        }
    }
    local.save_many(&rows).unwrap();
    (local, rows)
}

#[test]
fn a_server_stopped_hard_mid_delivery_loses_and_doubles_nothing() {
    let server = server::OwnServer::start();
    let conn = server.conn();
    PgStore::init(&conn, "faults").unwrap_or_else(|e| panic!("{e}"));
    // Three days of a busy ward: 3 x 150 team reflections.
    let dir = tempfile::tempdir().unwrap();
    let first = NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
    let (mut local, rows) = kiosk_with_backlog(&dir.path().join("kiosk.db"), first, 3, 150, 3);
    let total = rows.len() as i64;
    let now = Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap();

    // Stop the server hard while a round is delivering.
    let url = conn.clone();
    let path = dir.path().join("kiosk.db");
    let round = std::thread::spawn(move || {
        let mut local = Store::open(&path).unwrap();
        joy_kiosk::outbox::deliver(&mut local, &url, now).unwrap()
    });
    std::thread::sleep(std::time::Duration::from_millis(150));
    server.kill();
    let first_round = round.join().unwrap();
    let waiting = local.outbox_status().unwrap().waiting as i64;
    assert!(
        first_round.error.is_some() || waiting == 0,
        "a round cut short says so: {first_round:?}"
    );

    // While it is down: a round fails, is kept, and loses nothing.
    let down = joy_kiosk::outbox::deliver(&mut local, &conn, now + Duration::minutes(5)).unwrap();
    if waiting > 0 {
        assert!(down.error.is_some());
        let st = local.outbox_status().unwrap();
        assert_eq!(st.waiting as i64, waiting, "nothing lost locally");
        assert!(st.error.is_some());
    }

    // Back: the next round delivers the rest; every entry is there once.
    server.up();
    let back = joy_kiosk::outbox::deliver(&mut local, &conn, now + Duration::minutes(10)).unwrap();
    assert_eq!(back.error, None);
    // Nothing waits and no failure is left (the test's clock is not the
    // server's, which the status notes apart).
    let st = local.outbox_status().unwrap();
    assert_eq!((st.waiting, st.oldest, st.error), (0, None, None));
    assert_eq!(count(&conn), total, "all present exactly once");
    // A day sent again after the restart (the worst case of a lost reply)
    // doubles nothing either.
    let mut again = PgStore::connect(&conn).unwrap();
    let e = joy_kiosk::store::outbox::OutboxEntry::of(&rows[0], rows[0].completed_at);
    again.submit_with_id(1, &e).unwrap();
    again.submit_with_id(1, &e).unwrap();
    assert_eq!(count(&conn), total + 1);
}

/// The terminal killed with -9 while it delivers (`joy server deliver`, the
/// same round a kiosk runs): run again, every entry is on the server
/// exactly once and the outbox is empty.
#[test]
fn a_terminal_killed_mid_delivery_sends_again_and_doubles_nothing() {
    let (conn, name) = server::fresh_named_database();
    PgStore::init(&conn, &name).unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let first = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    // Closed again at once: the kill is of the `joy` process below.
    let total = kiosk_with_backlog(&db, first, 6, 800, 6).1.len() as i64;
    let joy = || {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_joy"));
        c.args([
            "--db",
            db.to_str().unwrap(),
            "server",
            "deliver",
            "--url",
            &conn,
        ])
        .env("XDG_CONFIG_HOME", dir.path().join("no-config"))
        .env_remove("JOY_CONFIG")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
        c
    };
    let mut child = joy().spawn().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(400));
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let partly = count(&conn);
    assert!(
        partly < total,
        "the kill landed before the end ({partly} of {total})"
    );
    // The next round sends what is left, and what the killed one had sent
    // but not yet forgotten is kept once.
    let o = joy().output().unwrap();
    assert!(o.status.success());
    assert_eq!(count(&conn), total, "every entry exactly once");
    let mut local = Store::open(&db).unwrap();
    assert_eq!(local.outbox_status().unwrap().waiting, 0);
}

/// A terminal whose clock is an hour off the server's: its entries are
/// dated by its own clock (the server cannot know better), every one is
/// delivered once, and the difference is said on the admin screen and by
/// `joy server status` until the clock is put right.
#[test]
fn a_terminal_clock_an_hour_off_is_said_and_loses_nothing() {
    let (conn, name) = server::fresh_named_database();
    PgStore::init(&conn, &name).unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    // Days well past whatever the hour is, by either clock.
    let real = Utc::now();
    let first = real.date_naive() - Duration::days(5);
    let mut sent = 0;
    let mut round = |day: i64, n: usize, clock: chrono::DateTime<Utc>| {
        let (mut local, rows) =
            kiosk_with_backlog(&db, first + Duration::days(day), 1, n, day as u64);
        let d = joy_kiosk::outbox::deliver(&mut local, &conn, clock).unwrap();
        assert_eq!((d.sent, d.error), (rows.len(), None));
        sent += rows.len() as i64;
        assert_eq!(count(&conn), sent, "nothing lost, nothing doubled");
        assert_eq!(local.outbox_status().unwrap().waiting, 0);
        local.outbox_status().unwrap().clock_off
    };
    // An hour ahead: said, on the admin screen and by `joy server status`.
    assert_eq!(round(0, 7, real + Duration::hours(1)), Some(60));
    let (_, said) = joy_kiosk::text::kiosk::clock_line(60);
    assert!(
        said.contains("60 minutes ahead of the ward's server"),
        "{said}"
    );
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_joy"))
        .args([
            "--db",
            db.to_str().unwrap(),
            "server",
            "status",
            "--url",
            &conn,
        ])
        .env("XDG_CONFIG_HOME", dir.path().join("no-config"))
        .env_remove("JOY_CONFIG")
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("60 minutes ahead"), "{out}");
    // An hour behind.
    assert_eq!(round(1, 5, real - Duration::hours(1)), Some(-60));
    assert!(joy_kiosk::text::kiosk::clock_line(-60)
        .1
        .contains("60 minutes behind"));
    // Put right: the next delivery clears it.
    assert_eq!(round(2, 2, Utc::now()), None);
}

/// A listener that accepts every connection and answers nothing: a server
/// hung with its socket open, or a network gone under an open connection
/// (what was sent is never answered). Dropping it closes every socket.
struct Silent {
    port: u16,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    held: std::sync::Arc<std::sync::Mutex<Vec<std::net::TcpStream>>>,
}

impl Silent {
    fn start() -> Silent {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.set_nonblocking(true).unwrap();
        let port = l.local_addr().unwrap().port();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let held = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (s, h) = (stop.clone(), held.clone());
        std::thread::spawn(move || {
            while !s.load(std::sync::atomic::Ordering::SeqCst) {
                match l.accept() {
                    Ok((c, _)) => h.lock().unwrap().push(c),
                    Err(_) => std::thread::sleep(std::time::Duration::from_millis(20)),
                }
            }
        });
        Silent { port, stop, held }
    }
    fn url(&self) -> String {
        format!("host=127.0.0.1 port={} dbname=ward user=joy", self.port)
    }
}

impl Drop for Silent {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        for c in self.held.lock().unwrap().drain(..) {
            let _ = c.shutdown(std::net::Shutdown::Both);
        }
    }
}

/// An hour of a ward's entries, across midnight, while the server answers
/// nothing (a round every five minutes, as a kiosk runs them). No round
/// holds the terminal's store for long (a kiosk's saves queue behind a
/// round): each ends within seconds, says the server did not answer, and
/// keeps every entry. Then the network is back: everything arrives once.
#[test]
fn an_hour_with_a_server_that_answers_nothing_loses_nothing_and_holds_nothing() {
    let (conn, name) = server::fresh_named_database();
    PgStore::init(&conn, &name).unwrap_or_else(|e| panic!("{e}"));
    let silent = Silent::start();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let first = NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
    // Yesterday's entries wait to be sent; today's join them at midnight.
    let (_, mut rows) = kiosk_with_backlog(&db, first, 2, 6, 71);
    let start = Utc.with_ymd_and_hms(2026, 11, 17, 23, 30, 0).unwrap();
    let mut since = None;
    for round in 0..12 {
        let now = start + Duration::minutes(5 * round);
        // Entries go on being taken all hour.
        let (_, more) = kiosk_with_backlog(&db, now.date_naive(), 1, 1, 100 + round as u64);
        rows.extend(more);
        let (url, path) = (silent.url(), db.clone());
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut local = Store::open(&path).unwrap();
            let _ = tx.send(joy_kiosk::outbox::deliver(&mut local, &url, now));
        });
        let d = rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .unwrap_or_else(|_| {
                panic!("round {round} still waits on a server that answers nothing")
            })
            .unwrap();
        assert_eq!(d.sent, 0);
        let why = d.error.expect("the failure is said");
        assert!(why.contains("did not answer"), "round {round}: {why}");
        let mut local = Store::open(&db).unwrap();
        let st = local.outbox_status().unwrap();
        assert_eq!(st.waiting, rows.len(), "nothing lost at round {round}");
        assert_eq!(st.error.as_deref(), Some(joy_kiosk::text::SERVER_SILENT));
        let first_seen = st.failing_since.expect("since when");
        assert_eq!(
            *since.get_or_insert(first_seen),
            first_seen,
            "since the first"
        );
    }
    // By hand, the same: what waits is said, not "sent 0".
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_joy"))
        .args(["--db", db.to_str().unwrap(), "server", "deliver", "--url"])
        .arg("host=127.0.0.1 port=1 dbname=ward user=joy")
        .env("XDG_CONFIG_HOME", dir.path().join("no-config"))
        .env_remove("JOY_CONFIG")
        .output()
        .unwrap();
    let (out, err) = (
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr),
    );
    assert!(!o.status.success());
    assert!(!out.contains("Sent 0"), "{out}");
    assert!(
        err.contains(&format!("{} entries are kept here", rows.len())),
        "{err}"
    );
    // The network is back: the same terminal, the ward's real server.
    drop(silent);
    let mut local = Store::open(&db).unwrap();
    let later = start + Duration::days(1) + Duration::hours(2);
    let d = joy_kiosk::outbox::deliver(&mut local, &conn, later).unwrap();
    assert_eq!(d.error, None);
    // Every day before today (the 19th) is sent: all of them.
    assert_eq!(d.sent, rows.len());
    assert_eq!(count(&conn), rows.len() as i64, "all present exactly once");
    let st = local.outbox_status().unwrap();
    assert_eq!((st.waiting, st.error), (0, None));
}
