//! Issue 18, §5: reading commands that behave. `joy history` on a new
//! install says there are no check-ins (exit 0), while a path given that is
//! not there stays an error; a database still being created by another
//! process is "no database yet", never "an older version (schema 0)"; and
//! times are printed local, as the app and the CSV show them.

use chrono::{TimeZone, Utc};
use joy_kiosk::questionnaire::answers::parse_pairs;
use joy_kiosk::questionnaire::{score, Catalog};
use joy_kiosk::store::{NewCheckin, Store};

mod common;

use common::{all_output as text, joy_at};

fn joy(args: &[&str], home: &std::path::Path, envs: &[(&str, &str)]) -> std::process::Output {
    joy_at(home, args, envs)
}

#[test]
fn history_on_a_new_install_has_no_check_ins_yet() {
    let home = tempfile::tempdir().unwrap();
    let o = joy(&["history"], home.path(), &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("No check-ins yet"), "{}", text(&o));
    assert!(!home.path().join("data").exists(), "nothing was created");
    let o = joy(&["history", "--json"], home.path(), &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "[]");
    // A path given that is not there: an error, saying so.
    let given = home.path().join("typo.db");
    let o = joy(
        &["--db", given.to_str().unwrap(), "history"],
        home.path(),
        &[],
    );
    assert!(!o.status.success());
    assert!(text(&o).contains("no joy-kiosk database"), "{}", text(&o));
}

#[test]
fn a_database_being_created_is_no_database_yet() {
    let home = tempfile::tempdir().unwrap();
    // What another process's first instant leaves: an empty file.
    let db = home.path().join("new.db");
    std::fs::write(&db, b"").unwrap();
    let o = joy(&["--db", db.to_str().unwrap(), "history"], home.path(), &[]);
    let said = text(&o);
    assert!(
        !said.contains("older version") && !said.contains("schema 0"),
        "{said}"
    );
    assert!(said.contains("no joy-kiosk database"), "{said}");
    // Created meanwhile (within the wait): read as it is.
    let db2 = home.path().join("soon.db");
    std::fs::write(&db2, b"").unwrap();
    let maker = {
        let db2 = db2.clone();
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(300));
            let mut s = Store::open(&db2).unwrap();
            s.local_respondent().unwrap();
        })
    };
    let o = joy(
        &["--db", db2.to_str().unwrap(), "history"],
        home.path(),
        &[],
    );
    maker.join().unwrap();
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("No check-ins yet"), "{}", text(&o));
}

#[test]
fn history_prints_local_times() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("joy.db");
    {
        let mut s = Store::open(&db).unwrap();
        let cat = Catalog::bundled();
        let q = cat.get("who5").unwrap();
        let a = parse_pairs(
            q,
            ["cheerful=3", "calm=3", "active=3", "rested=2", "interest=2"],
        )
        .unwrap();
        let o = score(q, &a);
        let me = s.local_respondent().unwrap();
        let at = Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap();
        s.save_checkin(&NewCheckin::from_outcome(q, &a, &o, Some(me), at, at))
            .unwrap();
    }
    let o = joy(
        &["--db", db.to_str().unwrap(), "history"],
        home.path(),
        &[("TZ", "America/New_York")],
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("2026-11-20 04:00"), "{out}");
    assert!(!out.contains("UTC"), "{out}");
}
