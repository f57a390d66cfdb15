//! The Daylio import (issue 19 §3): a Daylio CSV export becomes check-ins
//! of the bundled "daily mood" questionnaire, dated as in the file (local
//! time), its note title, note and activities as the private note, marked
//! as imported from Daylio; all or nothing; never twice.

mod common;

use common::{all_output, joy_at};
use serde_json::Value;

const EXPORT: &str = "\u{feff}full_date,date,weekday,time,mood,activities,note_title,note
2026-12-05,December 5,Saturday,21:04,rad,\"family | walk\",\"Good one\",\"Walked by the sea<br>Sam &amp; I laughed\"
2026-12-04,December 4,Friday,9:30 pm,awful,\"work | bad sleep\",\"\",\"\"
2026-07-03,July 3,Friday,08:15,so-so,\"\",\"\",\"Tired\"
";

fn history(home: &std::path::Path, db: &str) -> Vec<Value> {
    if !std::path::Path::new(db).exists() {
        // A refused import opens no database.
        return Vec::new();
    }
    let o = joy_at(home, &["--db", db, "export", "--format", "json"], &[]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    v["checkins"].as_array().cloned().unwrap_or_default()
}

#[test]
fn a_daylio_export_becomes_daily_mood_check_ins_once() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("daylio_export.csv");
    std::fs::write(&file, EXPORT).unwrap();
    let db = home.path().join("joy.db");
    let (db, f) = (db.to_str().unwrap(), file.to_str().unwrap());
    let london = [("TZ", "Europe/London")];
    // A renamed mood: refused at its line, nothing stored.
    let o = joy_at(home.path(), &["--db", db, "import", f], &london);
    assert_eq!(o.status.code(), Some(2), "{}", all_output(&o));
    let said = all_output(&o);
    assert!(
        said.contains("daylio_export.csv: line 4: the mood \"so-so\""),
        "{said}"
    );
    assert!(said.contains("--mood \"so-so=N\""), "{said}");
    assert!(said.contains("Nothing was imported"), "{said}");
    assert!(history(home.path(), db).is_empty());
    // Named: taken, then not again.
    let o = joy_at(
        home.path(),
        &["--db", db, "import", f, "--mood", "So-So=3"],
        &london,
    );
    assert!(o.status.success(), "{}", all_output(&o));
    assert!(
        all_output(&o).contains("Imported 3 check-ins"),
        "{}",
        all_output(&o)
    );
    let o = joy_at(
        home.path(),
        &["--db", db, "import", f, "--mood", "so-so=3"],
        &london,
    );
    assert!(
        all_output(&o).contains("Imported 0 check-ins from")
            && all_output(&o).contains("3 were already"),
        "{}",
        all_output(&o)
    );
    let list = history(home.path(), db);
    assert_eq!(list.len(), 3);
    for c in &list {
        assert_eq!(c["questionnaire_id"], "daily-mood");
        assert_eq!(c["imported_from"], "Daylio");
    }
    // Local time in the file: 21:04 on 5 Dec is 21:04Z in winter, 08:15 on
    // 3 Jul is 07:15Z in summer; "9:30 pm" is 21:30.
    let at: Vec<&str> = list
        .iter()
        .map(|c| c["completed_at"].as_str().unwrap())
        .collect();
    assert_eq!(
        at,
        [
            "2026-12-05T21:04:00Z",
            "2026-12-04T21:30:00Z",
            "2026-07-03T07:15:00Z"
        ]
    );
    let mood = |c: &Value| c["scores"][0]["value"].as_f64();
    assert_eq!(
        list.iter().map(mood).collect::<Vec<_>>(),
        [Some(5.0), Some(1.0), Some(3.0)]
    );
    let note = list[0]["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["question_id"] == "note")
        .unwrap()["label"]
        .clone();
    assert_eq!(
        note,
        "Good one\nWalked by the sea\nSam & I laughed\nActivities: family, walk"
    );
    // The awful day's band is the alert one: support comes with it.
    assert_eq!(list[1]["scores"][0]["band_tone"], "alert");
    // `joy history` says where they came from.
    let o = joy_at(home.path(), &["--db", db, "history"], &london);
    let table = String::from_utf8_lossy(&o.stdout).to_string();
    assert_eq!(
        table.matches("(imported from Daylio)").count(),
        3,
        "{table}"
    );
}

#[test]
fn the_older_seven_column_export_and_a_long_note_are_taken() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("old.csv");
    let long = "word ".repeat(900);
    std::fs::write(
        &file,
        format!(
            "year,date,weekday,time,mood,activities,note\n2018,18 May,Friday,11:54 pm,good,\"clean | cook\",\"{long}\"\n"
        ),
    )
    .unwrap();
    let db = home.path().join("joy.db");
    let o = joy_at(
        home.path(),
        &[
            "--db",
            db.to_str().unwrap(),
            "import",
            file.to_str().unwrap(),
        ],
        &[("TZ", "UTC")],
    );
    assert!(o.status.success(), "{}", all_output(&o));
    assert!(
        all_output(&o).contains("1 note was longer than 4,000 characters"),
        "{}",
        all_output(&o)
    );
    let list = history(home.path(), db.to_str().unwrap());
    assert_eq!(list[0]["completed_at"], "2018-05-18T23:54:00Z");
    let note = list[0]["answers"][1]["label"].as_str().unwrap();
    assert!(note.chars().count() <= 4000);
}

#[test]
fn a_file_that_is_no_daylio_export_says_so() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("other.csv");
    std::fs::write(&file, "name,score\nsam,3\n").unwrap();
    let db = home.path().join("joy.db");
    let o = joy_at(
        home.path(),
        &[
            "--db",
            db.to_str().unwrap(),
            "import",
            file.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        all_output(&o).contains("this is not a Daylio export"),
        "{}",
        all_output(&o)
    );
    let o = joy_at(
        home.path(),
        &[
            "--db",
            db.to_str().unwrap(),
            "import",
            file.to_str().unwrap(),
            "--mood",
            "meh",
        ],
        &[],
    );
    assert!(
        all_output(&o).contains("give it as NAME=N"),
        "{}",
        all_output(&o)
    );
}

/// From the trial: importing again with another `--mood` number keeps each
/// entry once; a `--mood` the file never uses is pointed out; a refused
/// file leaves no database behind at a mistyped path.
#[test]
fn a_second_import_with_another_mood_number_keeps_each_entry_once() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("daylio_export.csv");
    std::fs::write(&file, EXPORT).unwrap();
    let db = home.path().join("joy.db");
    let (db_s, f) = (db.to_str().unwrap(), file.to_str().unwrap());
    let typo = home.path().join("no-such-folder").join("x.db");
    let o = joy_at(
        home.path(),
        &["--db", typo.to_str().unwrap(), "import", f],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        !typo.exists() && !typo.parent().unwrap().exists(),
        "a refused import made a database"
    );
    let o = joy_at(
        home.path(),
        &[
            "--db", db_s, "import", f, "--mood", "so-so=3", "--mood", "zen=5",
        ],
        &[],
    );
    assert!(o.status.success(), "{}", all_output(&o));
    assert!(
        all_output(&o).contains("--mood \"zen\" was not used"),
        "{}",
        all_output(&o)
    );
    let o = joy_at(
        home.path(),
        &["--db", db_s, "import", f, "--mood", "so-so=2"],
        &[],
    );
    assert!(
        all_output(&o).contains("Imported 0 check-ins"),
        "{}",
        all_output(&o)
    );
    assert_eq!(history(home.path(), db_s).len(), 3);
}
