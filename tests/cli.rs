//! The `joy` binary's non-interactive commands, run for real.

use std::path::Path;
use std::process::{Command, Output};

fn joy(args: &[&str], db: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_joy"))
        .args(args)
        .env("JOY_DB", db)
        .env("JOY_QUESTIONNAIRES", db.with_extension("none"))
        .env("XDG_CONFIG_HOME", db.with_extension("no-config"))
        .env_remove("JOY_CONFIG")
        .env("NO_COLOR", "1")
        .output()
        .expect("run joy")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
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
        stdout(&o).contains("8 files checked: 8 valid, 0 with problems."),
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
fn score_who5_raw_13_is_52_good_wellbeing_as_json_by_label_or_value() {
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
    assert_eq!(s["band"]["label"], "Good wellbeing");
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
        table.contains("completed ") && !table.contains("UTC") && table.contains("(demo)"),
        "{table}"
    );

    let out = dir.path().join("export.csv");
    let o = joy(
        &[
            "export",
            "--format",
            "csv-long",
            "--out",
            out.to_str().unwrap(),
        ],
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
        stdout(&o).contains(&format!("Erased {all} check-in")),
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
    joy_kiosk::store::Store::open(&db).unwrap();
    let known = joy_kiosk::store::schema::MIGRATIONS.len();
    rusqlite::Connection::open(&db)
        .unwrap()
        .pragma_update(None, "user_version", known as i64 + 1)
        .unwrap();
    let o = joy(&["history"], &db);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    let newer = known + 1;
    assert!(err.contains(&format!("written by a newer version of joy-kiosk (database schema {newer}; this version knows up to {known})")), "{err}");
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

    // --yes skips the question (for scripts), once the first demo is gone
    // (a second is not laid over it).
    let o = joy(&["erase", "--demo", "--yes"], &db);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
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
    // Demo data alone is not "real check-ins": a second run does not ask
    // either, and it says the demo is there already (never doubled).
    let o = Command::new(env!("CARGO_BIN_EXE_joy"))
        .args(["demo", "--days", "7"])
        .env("JOY_DB", &db)
        .env("JOY_QUESTIONNAIRES", db.with_extension("none"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        !o.status.success() && err.contains("has demo history already"),
        "{err}"
    );
    assert!(!String::from_utf8_lossy(&o.stdout).contains("Type yes"));
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

fn demo_db(dir: &Path, days: &str) -> std::path::PathBuf {
    let db = dir.join("demo.db");
    let o = joy(&["demo", "--days", days], &db);
    assert!(o.status.success(), "{}", stderr(&o));
    db
}

#[test]
fn export_format_and_answer_flags_explain_themselves() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let help = stdout(&joy(&["export", "--help"], &db));
    assert!(help.contains("one row per check-in"), "{help}");
    assert!(
        help.contains("csv-long") && help.contains("one row per answer"),
        "{help}"
    );
    assert!(help.contains("Everything, nested"), "{help}");
    let help = stdout(&joy(&["score", "--help"], &db));
    assert!(help.contains("Repeat -a for each answer"), "{help}");
    assert!(help.contains("-a calm=3 -a rested="), "{help}");
}

#[test]
fn history_of_an_unknown_questionnaire_says_so_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    joy_kiosk::store::Store::open(&db).unwrap();
    let o = joy(&["history", "--questionnaire", "who6"], &db);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("there is no questionnaire \"who6\"") && err.contains("who5, "),
        "{err}"
    );
    assert!(stdout(&o).is_empty());
    // A known questionnaire with no check-ins yet is not an error.
    let o = joy(&["history", "--questionnaire", "who5"], &db);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("No check-ins yet"));
}

/// `joy export | head` (the reader closes its end early) ends quietly.
#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path(), "720");
    for args in [
        &["export", "--format", "json"][..],
        &["export", "--format", "csv"][..],
        &["history"][..],
        &["history", "--json"][..],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_joy"))
            .args(args)
            .env("JOY_DB", &db)
            .env("XDG_CONFIG_HOME", dir.path().join("no-config"))
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Read one line, as `head -n 1` does, then close the pipe.
        let mut first = String::new();
        {
            use std::io::BufRead;
            let mut r = std::io::BufReader::new(child.stdout.take().unwrap());
            r.read_line(&mut first).unwrap();
        }
        let o = child.wait_with_output().unwrap();
        assert!(!first.is_empty(), "{args:?}");
        let err = stderr(&o);
        assert!(
            !err.contains("Broken pipe") && err.is_empty(),
            "{args:?}: {err}"
        );
        assert!(o.status.success(), "{args:?}: {:?}", o.status);
    }
}

#[test]
fn counts_use_the_right_plural() {
    let dir = tempfile::tempdir().unwrap();
    let who5 = concat!(env!("CARGO_MANIFEST_DIR"), "/questionnaires/who5.toml");
    let out = stdout(&joy(&["validate", who5], &dir.path().join("x.db")));
    assert!(
        out.contains("(who5, 5 questions and a private note, 1 score)"),
        "{out}"
    );
    assert!(out.contains("1 file checked: 1 valid"), "{out}");
    let pp = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/questionnaires/people-promise.toml"
    );
    let out = stdout(&joy(&["validate", who5, pp], &dir.path().join("x.db")));
    assert!(
        out.contains("9 questions and a private note, 8 scores"),
        "{out}"
    );
    assert!(out.contains("2 files checked"), "{out}");

    let db = dir.path().join("one.db");
    let o = joy(&["demo", "--days", "1"], &db);
    assert!(o.status.success(), "{}", stderr(&o));
    let n = serde_json::from_slice::<serde_json::Value>(
        &joy(&["export", "--format", "json"], &db).stdout,
    )
    .unwrap()["checkins"]
        .as_array()
        .unwrap()
        .len();
    let file = dir.path().join("out.csv");
    let o = joy(
        &["export", "--format", "csv", "--out", file.to_str().unwrap()],
        &db,
    );
    let want = if n == 1 {
        "Wrote 1 check-in to".to_string()
    } else {
        format!("Wrote {n} check-ins to")
    };
    assert!(stderr(&o).contains(&want), "{}", stderr(&o));
}

/// Split a CSV line (quotes as RFC 4180) - enough for these tests.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => field.push(c),
        }
    }
    rows
}

/// The spreadsheet CSV: a UTF-8 byte order mark, one row per check-in, local
/// time and UTC, a column per question (label) and per score (as on screen).
#[test]
fn csv_export_has_one_row_per_checkin_for_spreadsheets() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path(), "60");
    let json: serde_json::Value =
        serde_json::from_slice(&joy(&["export", "--format", "json"], &db).stdout).unwrap();
    let checkins = json["checkins"].as_array().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_joy"))
        .args(["export", "--format", "csv"])
        .env("JOY_DB", &db)
        .env("XDG_CONFIG_HOME", dir.path().join("no-config"))
        .env("TZ", "Asia/Kolkata")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.starts_with('\u{feff}'), "UTF-8 byte order mark first");
    assert!(text.contains("\r\n"));
    let rows = csv_rows(text.trim_start_matches('\u{feff}'));
    let header = &rows[0];
    assert_eq!(
        &header[..6],
        [
            "checkin_id",
            "completed (local time)",
            "completed (UTC)",
            "questionnaire",
            "questionnaire_version",
            "demo"
        ]
    );
    assert_eq!(rows.len() - 1, checkins.len(), "one row per check-in");
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
    };
    // Questions in file order, then the score and its band.
    let cheerful = col("who5.cheerful");
    assert_eq!(header[cheerful + 1], "who5.calm");
    let score = col("who5.wellbeing score");
    let band = col("who5.wellbeing band");
    let joy_score = col("joy-in-work.joy score");
    let labels = [
        "All of the time",
        "Most of the time",
        "More than half of the time",
        "Less than half of the time",
        "Some of the time",
        "At no time",
    ];
    let mut seen_who5 = 0;
    for (row, c) in rows[1..].iter().zip(checkins) {
        assert_eq!(row.len(), header.len());
        assert_eq!(row[0], c["id"].to_string());
        assert_eq!(row[3], c["questionnaire_id"].as_str().unwrap());
        // Local time is UTC + 5:30 in Kolkata.
        let utc = chrono::NaiveDateTime::parse_from_str(&row[2], "%Y-%m-%d %H:%M:%SZ").unwrap();
        let local = chrono::NaiveDateTime::parse_from_str(&row[1], "%Y-%m-%d %H:%M:%S").unwrap();
        assert_eq!(local - utc, chrono::Duration::minutes(330));
        let value = |id: &str| {
            c["scores"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["score_id"] == id)
                .and_then(|s| s["value"].as_f64())
        };
        if row[3] == "who5" {
            seen_who5 += 1;
            assert!(
                labels.contains(&row[cheerful].as_str()),
                "{}",
                row[cheerful]
            );
            let v = value("wellbeing").unwrap();
            assert_eq!(row[score], joy_kiosk::questionnaire::fmt_number(v));
            assert!(!row[band].is_empty());
            assert!(
                row[joy_score].is_empty(),
                "other questionnaires' columns stay empty"
            );
        }
        if row[3] == "joy-in-work" {
            let v = value("joy").unwrap();
            assert_eq!(row[joy_score], joy_kiosk::questionnaire::fmt_number(v));
            assert!(
                row[joy_score]
                    .split('.')
                    .nth(1)
                    .is_none_or(|d| d.len() == 1),
                "{}",
                row[joy_score]
            );
        }
    }
    assert!(seen_who5 > 0);
}

fn write_config(dir: &Path, text: &str) -> std::path::PathBuf {
    let p = dir.join("joy.toml");
    std::fs::write(&p, text).unwrap();
    p
}

const LOCAL: &str = "[[support.lines]]\nname = \"Trust wellbeing hub\"\nphone = \"0300 999 0000\"\nweb = \"https://hub.example.nhs.uk\"\n";

/// A trust's local support lines follow the questionnaire's signposting in
/// `joy score`, text and JSON; nothing is added when no support is called for.
#[test]
fn config_support_lines_follow_the_signposting() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(dir.path(), LOCAL);
    let mut args = vec!["--config", cfg.to_str().unwrap(), "score", "who5"];
    args.extend(WHO5_RAW7);
    let out = stdout(&joy(&args, &dir.path().join("x.db")));
    let samaritans = out.find("Samaritans: call 116 123").expect(&out);
    let hub = out
        .find("Trust wellbeing hub: 0300 999 0000 · https://hub.example.nhs.uk")
        .expect(&out);
    assert!(samaritans < hub, "{out}");
    assert!(out.contains("Support from your organisation:"), "{out}");

    args.push("--json");
    let v: serde_json::Value =
        serde_json::from_slice(&joy(&args, &dir.path().join("x.db")).stdout).unwrap();
    assert!(
        v["signposting"][0].as_str().unwrap().contains("Samaritans"),
        "{v}"
    );
    assert!(v["scores"][0]["band"]["signposting"]
        .as_str()
        .unwrap()
        .contains("Samaritans"));
    assert_eq!(
        v["local_support"][0],
        "Trust wellbeing hub: 0300 999 0000 · https://hub.example.nhs.uk"
    );

    // A good result: no support, no local lines either.
    let o = joy(
        &[
            "--config",
            cfg.to_str().unwrap(),
            "score",
            "who5",
            "-a",
            "cheerful=5",
            "-a",
            "calm=5",
            "-a",
            "active=5",
            "-a",
            "rested=5",
            "-a",
            "interest=5",
        ],
        &dir.path().join("x.db"),
    );
    assert!(
        !stdout(&o).contains("Trust wellbeing hub"),
        "{}",
        stdout(&o)
    );

    // `joy list` says which config file is in use.
    let out = stdout(&joy(
        &["--config", cfg.to_str().unwrap(), "list"],
        &dir.path().join("x.db"),
    ));
    assert!(
        out.contains(&format!(
            "Config file: {} (1 support line of your own)",
            cfg.display()
        )),
        "{out}"
    );
    assert!(stdout(&joy(&["list"], &dir.path().join("x.db"))).contains("Config file: none"));

    // JOY_CONFIG works as --config does.
    let o = Command::new(env!("CARGO_BIN_EXE_joy"))
        .args(["score", "who5"])
        .args(WHO5_RAW7)
        .env("JOY_CONFIG", &cfg)
        .env("JOY_DB", dir.path().join("x.db"))
        .output()
        .unwrap();
    assert!(stdout(&o).contains("Trust wellbeing hub"), "{}", stdout(&o));
}

/// `joy score --json` carries the support text of a flag with its own tone,
/// even when the total is in the lowest band (PHQ-9 item 9).
#[test]
fn score_json_includes_flag_signposting() {
    let dir = tempfile::tempdir().unwrap();
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/questionnaires/valid/phq9-like.toml"
    );
    let mut args = vec!["score", file, "--json"];
    let answers: Vec<String> = (1..=9)
        .map(|i| format!("q{i}={}", if i == 9 { 1 } else { 0 }))
        .collect();
    for a in &answers {
        args.extend(["-a", a.as_str()]);
    }
    let o = joy(&args, &dir.path().join("x.db"));
    let v: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", stderr(&o)));
    assert_eq!(v["scores"][0]["band"]["tone"], "good");
    assert_eq!(v["flags"][0]["tone"], "alert");
    assert!(v["flags"][0]["signposting"]
        .as_str()
        .unwrap()
        .contains("URGENT"));
    assert!(v["signposting"][0].as_str().unwrap().contains("URGENT"));
    let text = stdout(&joy(
        &args[..args.len()]
            .iter()
            .filter(|a| **a != "--json")
            .copied()
            .collect::<Vec<_>>(),
        &dir.path().join("x.db"),
    ));
    assert!(
        text.contains("[alert]") && text.contains("URGENT"),
        "{text}"
    );
}

#[test]
fn config_file_errors_say_where_and_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(dir.path(), "db = \"x.db\"\n\n[support]\nline = []\n");
    let o = joy(
        &["--config", cfg.to_str().unwrap(), "list"],
        &dir.path().join("x.db"),
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "{}:4:1: unknown field `line`, expected `lines`",
            cfg.display()
        )),
        "{err}"
    );
    assert!(err.contains("README"), "{err}");
    // A named file that is missing, or a folder, is an error too.
    let o = joy(
        &["--config", dir.path().to_str().unwrap(), "list"],
        &dir.path().join("x.db"),
    );
    assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
    let o = joy(
        &["--config", "/nonexistent/joy.toml", "list"],
        &dir.path().join("x.db"),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot read this config file"),
        "{}",
        stderr(&o)
    );
}

/// defaults < the file in the platform config directory < JOY_* < flags.
#[test]
fn config_layers_file_then_environment_then_flags() {
    let dir = tempfile::tempdir().unwrap();
    let conf_home = dir.path().join("conf");
    std::fs::create_dir_all(conf_home.join("joy-kiosk")).unwrap();
    std::fs::write(
        conf_home.join("joy-kiosk/joy.toml"),
        "db = \"from-file.db\"\n",
    )
    .unwrap();
    let run = |env_db: Option<&str>, flag_db: Option<&str>| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_joy"));
        c.env("XDG_CONFIG_HOME", &conf_home)
            .env("HOME", dir.path())
            .env("XDG_DATA_HOME", dir.path().join("data"))
            .env_remove("JOY_DB")
            .env_remove("JOY_CONFIG")
            .current_dir(dir.path());
        if let Some(e) = env_db {
            c.env("JOY_DB", dir.path().join(e));
        }
        c.arg("history");
        if let Some(f) = flag_db {
            c.args(["--db", dir.path().join(f).to_str().unwrap()]);
        }
        // No database exists anywhere: the message names the path chosen.
        let o = c.output().unwrap();
        stdout(&o) + &stderr(&o)
    };
    assert!(run(None, None).contains(&format!(
        "{}",
        conf_home.join("joy-kiosk/from-file.db").display()
    )));
    assert!(run(Some("env.db"), None).contains("env.db"));
    assert!(run(Some("env.db"), Some("flag.db")).contains("flag.db"));
    std::fs::remove_file(conf_home.join("joy-kiosk/joy.toml")).unwrap();
    assert!(run(None, None).contains(&format!(
        "{}",
        dir.path().join("data/joy-kiosk/joy.db").display()
    )));
}

/// Issue 18, §6: `joy demo --days 100000` is refused with the range, and a
/// second `joy demo` on a database that has demo history already does not
/// double it (it says how to start again).
#[test]
fn demo_days_are_bounded_and_a_second_demo_does_not_double() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let o = joy(&["demo", "--days", "100000", "--yes"], &db);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("3650"), "{}", stderr(&o));
    assert!(!db.exists(), "nothing made");
    let o = joy(&["demo", "--days", "30", "--yes"], &db);
    assert!(o.status.success(), "{}", stderr(&o));
    let count = |db: &std::path::Path| -> i64 {
        rusqlite::Connection::open(db)
            .unwrap()
            .query_row("SELECT count(*) FROM checkin", [], |r| r.get(0))
            .unwrap()
    };
    let before = count(&db);
    let o = joy(&["demo", "--days", "30", "--yes"], &db);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("erase --demo"), "{}", stderr(&o));
    assert_eq!(count(&db), before, "not doubled");
}

/// Issue 18, §6: `joy list` columns never run together (a long title kept
/// "Health and wellbeing framework team check team" as one).
#[test]
fn list_columns_stay_apart() {
    let dir = tempfile::tempdir().unwrap();
    let o = joy(&["list"], &dir.path().join("joy.db"));
    let text = stdout(&o);
    let rows: Vec<Vec<String>> = text
        .lines()
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .map(|l| {
            l.trim()
                .split("  ")
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect()
        })
        .collect();
    assert!(rows.len() >= 7, "{text}");
    for r in &rows {
        assert_eq!(r.len(), 6, "{r:?} in {text}");
    }
    let hwb = rows.iter().find(|r| r[0] == "hwb-framework").unwrap();
    assert_eq!(hwb[1], "Health and wellbeing framework team check");
    assert_eq!(hwb[2], "team");
}

/// Issue 18, §6: `joy erase` deletes the backups beside the database too
/// (they hold the same check-ins) and says so; where the file keeps other
/// people's data (a kiosk's), it says the backups still hold yours.
#[test]
fn erase_takes_the_backups_or_says_they_hold_your_check_ins() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("mine.db");
    assert!(joy(&["demo", "--days", "14", "--yes"], &db)
        .status
        .success());
    for _ in 0..2 {
        let o = joy(&["backup"], &db);
        assert!(o.status.success(), "{}", stderr(&o));
        std::thread::sleep(std::time::Duration::from_millis(1100));
    }
    let backups = dir.path().join("backups");
    let n = std::fs::read_dir(&backups).unwrap().count();
    assert!(n >= 1);
    let o = joy(&["erase", "--yes"], &db);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains(&format!("Deleted {n} backup")),
        "{}",
        stdout(&o)
    );
    assert_eq!(std::fs::read_dir(&backups).unwrap().count(), 0);

    // A file that keeps someone else's data: the backups stay, said.
    let kiosk = dir.path().join("k").join("kiosk.db");
    std::fs::create_dir_all(kiosk.parent().unwrap()).unwrap();
    assert!(joy(&["demo", "--days", "14", "--yes"], &kiosk)
        .status
        .success());
    {
        let mut s = joy_kiosk::store::Store::open(&kiosk).unwrap();
        let cat = joy_kiosk::questionnaire::Catalog::bundled();
        let q = cat.get("team-reflection").unwrap();
        let a =
            joy_kiosk::reflection_gen::answers(q, 0.5, &mut joy_kiosk::demo::Rng::new(1), |_| {
                String::new()
            });
        let c = joy_kiosk::reflection_gen::checkin(
            q,
            &a,
            "Ward 7",
            joy_kiosk::period::PeriodKind::Week,
            chrono::Utc::now().date_naive(),
        );
        s.save_checkin(&c).unwrap();
    }
    assert!(joy(&["backup"], &kiosk).status.success());
    let o = joy(&["erase", "--yes"], &kiosk);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("still hold your check-ins"),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        std::fs::read_dir(kiosk.parent().unwrap().join("backups"))
            .unwrap()
            .count(),
        1
    );
}

/// Issue 18, §6: `joy restore` says what the backup holds before it asks,
/// and refuses a file that is no backup before asking anything.
#[test]
fn restore_says_what_the_backup_holds_before_asking() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("mine.db");
    save_real_checkin(&db);
    let o = joy(
        &["backup", "--out", dir.path().join("b.db").to_str().unwrap()],
        &db,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    save_real_checkin(&db);
    let b = dir.path().join("b.db");
    let (code, out) = joy_in_terminal(&format!("restore '{}'", b.display()), &db, "no\n");
    assert_eq!(code, Some(1), "{out}");
    let holds = out
        .find("holds 1 check-in")
        .unwrap_or_else(|| panic!("{out}"));
    let asks = out
        .find("Type \"restore\"")
        .unwrap_or_else(|| panic!("{out}"));
    assert!(holds < asks, "{out}");
    assert!(out.contains("holds 2 check-ins now"), "{out}");
    let notes = dir.path().join("notes.toml");
    std::fs::write(&notes, "id = 1\n").unwrap();
    let o = joy(&["restore", notes.to_str().unwrap()], &db);
    let out = stderr(&o);
    assert!(!o.status.success());
    assert!(
        out.contains("cannot be restored from") && !out.contains("in a terminal"),
        "the file is checked first: {out}"
    );
}
