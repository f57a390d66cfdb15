//! The `joy` binary's non-interactive commands, run for real.

use std::path::Path;
use std::process::{Command, Output};

fn joy(args: &[&str], db: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_joy"))
        .args(args)
        .env("JOY_DB", db)
        .env("JOY_QUESTIONNAIRES", db.with_extension("none"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run joy")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const WHO5_RAW7: [&str; 10] = [
    "-a",
    "cheerful=2",
    "-a",
    "calm=2",
    "-a",
    "active=1",
    "-a",
    "rested=1",
    "-a",
    "interest=1",
];

#[test]
fn validate_reports_bundled_files_valid() {
    let dir = tempfile::tempdir().unwrap();
    let o = joy(&["validate"], &dir.path().join("x.db"));
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("4 file(s) checked: 4 valid, 0 with problems."),
        "{}",
        stdout(&o)
    );
}

#[test]
fn validate_fails_with_positions_on_invalid_files() {
    let dir = tempfile::tempdir().unwrap();
    let bad = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/questionnaires/invalid"
    );
    let o = joy(&["validate", bad], &dir.path().join("x.db"));
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains("unknown-scale.toml:24:9: question \"a\" uses scale \"seven\""),
        "{out}"
    );
    assert!(out.contains("0 valid"), "{out}");
}

#[test]
fn validate_reports_duplicate_questionnaire_ids() {
    let dir = tempfile::tempdir().unwrap();
    let dups = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/questionnaires/duplicate-ids"
    );
    let o = joy(&["validate", dups], &dir.path().join("x.db"));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("second.toml:1:1: questionnaire id \"same\" is also used by"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn score_who5_raw_7_is_28_and_alert_with_signposting() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["score", "who5"];
    args.extend(WHO5_RAW7);
    let o = joy(&args, &dir.path().join("x.db"));
    let out = stdout(&o);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("WHO-5 wellbeing: 28 (raw 7)"), "{out}");
    assert!(out.contains("[alert]"), "{out}");
    assert!(out.contains("Samaritans: call 116 123"), "{out}");
    assert!(out.contains("Item flags:"), "{out}");
}

#[test]
fn score_who5_raw_13_is_52_above_50_as_json_by_label_or_value() {
    let dir = tempfile::tempdir().unwrap();
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/questionnaires/who5.toml");
    let o = joy(
        &[
            "score",
            file,
            "-a",
            "cheerful=More than half of the time",
            "-a",
            "calm=3",
            "-a",
            "active=3",
            "-a",
            "rested=2",
            "-a",
            "interest=2",
            "--json",
        ],
        &dir.path().join("x.db"),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let s = &v["scores"][0];
    assert_eq!(s["raw"], 13.0);
    assert_eq!(s["value"], 52.0);
    assert_eq!(s["band"]["label"], "Above 50");
    assert_eq!(s["band"]["tone"], "good");
    assert_eq!(v["flags"].as_array().unwrap().len(), 0);
}

#[test]
fn score_reads_an_answers_file_and_explains_bad_answers() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("a.toml");
    std::fs::write(
        &answers,
        "cheerful = 5\ncalm = 5\nactive = 5\nrested = 5\ninterest = \"All of the time\"\n",
    )
    .unwrap();
    let o = joy(
        &["score", "who5", "--answers", answers.to_str().unwrap()],
        &dir.path().join("x.db"),
    );
    assert!(
        stdout(&o).contains("WHO-5 wellbeing: 100 (raw 25)"),
        "{}",
        stdout(&o)
    );
    let o = joy(
        &["score", "who5", "-a", "cheerful=9"],
        &dir.path().join("x.db"),
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(
            "\"9\" is not an option of question \"cheerful\"; choose one of: 5 (All of the time)"
        ),
        "{err}"
    );
}

#[test]
fn list_shows_sources_and_failures() {
    let dir = tempfile::tempdir().unwrap();
    let qdir = dir.path().join("q");
    std::fs::create_dir(&qdir).unwrap();
    std::fs::write(qdir.join("bad.toml"), "id = \"x\"\n").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_joy"))
        .args(["list", "--questionnaires", qdir.to_str().unwrap()])
        .env("JOY_DB", dir.path().join("x.db"))
        .output()
        .unwrap();
    let out = stdout(&o);
    assert!(
        out.contains("who5") && out.contains("bundled (questionnaires/who5.toml)"),
        "{out}"
    );
    assert!(
        out.contains("bad.toml:1:1: missing field `version`"),
        "{out}"
    );
}

#[test]
fn demo_history_export_and_erase_work_on_a_chosen_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let o = joy(&["demo", "--days", "28"], &db);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).contains("marked as demo data"), "{}", stdout(&o));

    let o = joy(&["history", "--questionnaire", "who5", "--json"], &db);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), 9, "28 days at two a week, both ends included");
    assert!(list
        .iter()
        .all(|r| r["is_demo"] == true && r["questionnaire_id"] == "who5"));
    let table = stdout(&joy(&["history"], &db));
    assert!(
        table.contains("completed (UTC)") && table.contains("(demo)"),
        "{table}"
    );

    let out = dir.path().join("export.csv");
    let o = joy(
        &["export", "--format", "csv", "--out", out.to_str().unwrap()],
        &db,
    );
    assert!(o.status.success());
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.starts_with("checkin_id,questionnaire_id,"));
    assert!(csv.contains("\r\n"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&out).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let json: serde_json::Value =
        serde_json::from_slice(&joy(&["export", "--format", "json"], &db).stdout).unwrap();
    let all = json["checkins"].as_array().unwrap().len();
    assert!(all > 9, "every questionnaire exported: {all}");

    let o = joy(&["erase", "--yes"], &db);
    assert!(
        stdout(&o).contains(&format!("Erased {all} check-in(s)")),
        "{}",
        stdout(&o)
    );
    let o = joy(&["history", "--json"], &db);
    assert_eq!(stdout(&o).trim(), "[]");
}

#[test]
fn demo_refuses_the_default_database_without_a_terminal() {
    let home = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_joy"))
        .args(["demo"])
        .env_remove("JOY_DB")
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("Use --db PATH for a separate demo database")
    );
    assert!(
        !home.path().join("data/joy-kiosk/joy.db").exists(),
        "nothing was created"
    );
}

#[test]
fn a_newer_database_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    joy(&["history"], &db);
    rusqlite::Connection::open(&db)
        .unwrap()
        .pragma_update(None, "user_version", 7)
        .unwrap();
    let o = joy(&["history"], &db);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("written by a newer version of joy-kiosk (database schema 7; this version knows up to 1)"), "{err}");
}

/// Save one real (not demo) WHO-5 check-in into `db`, as the app would.
fn save_real_checkin(db: &Path) {
    use joy_kiosk::questionnaire::{answers::parse_pairs, score, Catalog};
    use joy_kiosk::store::{NewCheckin, Store};
    let cat = Catalog::bundled();
    let q = cat.get("who5").unwrap();
    let a = parse_pairs(
        q,
        ["cheerful=3", "calm=3", "active=3", "rested=2", "interest=2"],
    )
    .unwrap();
    let mut s = Store::open(db).unwrap();
    let me = s.local_respondent().unwrap();
    let now = chrono::Utc::now();
    let c = NewCheckin::from_outcome(q, &a, &score(q, &a), Some(me), now, now);
    s.save_checkin(&c).unwrap();
}

fn history_json(db: &Path) -> Vec<serde_json::Value> {
    let o = joy(&["history", "--json"], db);
    serde_json::from_slice::<serde_json::Value>(&o.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// Run `joy ARGS` in a pseudo-terminal (under `script`), typing `input`.
fn joy_in_terminal(args: &str, db: &Path, input: &str) -> (Option<i32>, String) {
    use std::io::Write;
    let cmd = format!("'{}' {args}", env!("CARGO_BIN_EXE_joy"));
    let mut child = Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .env("JOY_DB", db)
        .env("JOY_QUESTIONNAIRES", db.with_extension("none"))
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("script(1) from util-linux runs the command in a pseudo-terminal");
    // Give the prompt time to appear before answering.
    std::thread::sleep(std::time::Duration::from_millis(600));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    (o.status.code(), stdout(&o))
}

#[test]
fn demo_into_a_database_with_real_checkins_asks_first() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("mine.db");
    save_real_checkin(&db);
    // Without a terminal: refused, with the reason and the way round it.
    let o = Command::new(env!("CARGO_BIN_EXE_joy"))
        .args(["demo", "--days", "28"])
        .env("JOY_DB", &db)
        .env("JOY_QUESTIONNAIRES", db.with_extension("none"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("already holds 1 real check-in(s)"), "{err}");
    assert!(err.contains("add --yes in scripts"), "{err}");
    assert_eq!(history_json(&db).len(), 1, "nothing was added");

    // In a terminal, anything but "yes" writes nothing.
    let (code, out) = joy_in_terminal("demo --days 28", &db, "no\n");
    assert!(out.contains("Type yes to add demo data"), "{out}");
    assert!(out.contains("No demo data was written."), "{out}");
    assert_eq!(code, Some(1));
    assert_eq!(history_json(&db).len(), 1);

    // "yes" in a terminal adds it.
    let (code, out) = joy_in_terminal("demo --days 28", &db, "yes\n");
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("marked as demo data"), "{out}");
    assert!(history_json(&db).len() > 1);

    // --yes skips the question (for scripts).
    let before = history_json(&db).len();
    let o = joy(&["demo", "--days", "28", "--yes"], &db);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(history_json(&db).len() > before);
}

#[test]
fn demo_into_an_empty_chosen_database_does_not_ask() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let o = Command::new(env!("CARGO_BIN_EXE_joy"))
        .args(["demo", "--days", "7"])
        .env("JOY_DB", &db)
        .env("JOY_QUESTIONNAIRES", db.with_extension("none"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Demo data alone is not "real check-ins": a second run does not ask either.
    let o = Command::new(env!("CARGO_BIN_EXE_joy"))
        .args(["demo", "--days", "7"])
        .env("JOY_DB", &db)
        .env("JOY_QUESTIONNAIRES", db.with_extension("none"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn erase_demo_removes_only_demo_data() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("mine.db");
    save_real_checkin(&db);
    let o = joy(&["demo", "--days", "28", "--yes"], &db);
    assert!(o.status.success());
    let all = history_json(&db);
    let demo = all.iter().filter(|r| r["is_demo"] == true).count();
    assert!(demo > 0 && all.len() == demo + 1);

    // Without a terminal and without --yes: refused, nothing deleted.
    let o = Command::new(env!("CARGO_BIN_EXE_joy"))
        .args(["erase", "--demo"])
        .env("JOY_DB", &db)
        .env("JOY_QUESTIONNAIRES", db.with_extension("none"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&format!("This deletes the {demo} demo check-in(s)")),
        "{err}"
    );
    assert!(err.contains("Your own 1 check-in(s) are kept"), "{err}");
    assert_eq!(history_json(&db).len(), all.len());

    // In a terminal, typing erase confirms.
    let (code, out) = joy_in_terminal("erase --demo", &db, "erase\n");
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains(&format!("Erased {demo} demo check-in(s)"))
            && out.contains("your own 1 check-in(s) are kept"),
        "{out}"
    );
    let left = history_json(&db);
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["is_demo"], false);

    // Nothing demo left: says so, deletes nothing.
    let o = joy(&["erase", "--demo", "--yes"], &db);
    assert!(o.status.success());
    assert!(
        stdout(&o).contains("There is no demo data"),
        "{}",
        stdout(&o)
    );
    assert_eq!(history_json(&db).len(), 1);
}
