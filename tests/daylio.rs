//! The Daylio import (issue 19 §3): a Daylio CSV export becomes check-ins
//! of the bundled "daily mood" questionnaire, dated as in the file (local
//! time), its note title, note and activities as the private note, marked
//! as imported from Daylio; all or nothing; never twice.

mod common;

use common::{joy_at, joy_import};
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
    let london = [("TZ", "Europe/London")];
    let import = |args: &[&str]| joy_import(home.path(), &db, &file, args, &london);
    // A renamed mood: refused at its line, nothing stored.
    let (code, said) = import(&[]);
    assert_eq!(code, Some(2), "{said}");
    assert!(
        said.contains("daylio_export.csv: line 4: the mood \"so-so\""),
        "{said}"
    );
    assert!(said.contains("--mood \"so-so=N\""), "{said}");
    assert!(said.contains("Nothing was imported"), "{said}");
    let db_s = db.to_str().unwrap();
    assert!(history(home.path(), db_s).is_empty());
    // Named: taken, then not again.
    let (code, said) = import(&["--mood", "So-So=3"]);
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("Imported 3 check-ins"), "{said}");
    let (_, said) = import(&["--mood", "so-so=3"]);
    assert!(
        said.contains("Imported 0 check-ins from") && said.contains("3 were already"),
        "{said}"
    );
    let list = history(home.path(), db_s);
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
    let o = joy_at(home.path(), &["--db", db_s, "history"], &london);
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
    let (code, said) = joy_import(home.path(), &db, &file, &[], &[("TZ", "UTC")]);
    assert_eq!(code, Some(0), "{said}");
    assert!(
        said.contains("1 note was longer than 4,000 characters"),
        "{said}"
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
    let (code, said) = joy_import(home.path(), &db, &file, &[], &[]);
    assert_eq!(code, Some(2));
    assert!(said.contains("this is not a Daylio export"), "{said}");
    let (_, said) = joy_import(home.path(), &db, &file, &["--mood", "meh"], &[]);
    assert!(said.contains("give it as NAME=N"), "{said}");
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
    let typo = home.path().join("no-such-folder").join("x.db");
    let (code, _) = joy_import(home.path(), &typo, &file, &[], &[]);
    assert_eq!(code, Some(2));
    assert!(
        !typo.exists() && !typo.parent().unwrap().exists(),
        "a refused import made a database"
    );
    let import = |args: &[&str]| joy_import(home.path(), &db, &file, args, &[]);
    let (code, said) = import(&["--mood", "so-so=3", "--mood", "zen=5"]);
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("--mood \"zen\" was not used"), "{said}");
    let (_, said) = import(&["--mood", "so-so=2"]);
    assert!(said.contains("Imported 0 check-ins"), "{said}");
    assert_eq!(history(home.path(), db.to_str().unwrap()).len(), 3);
}
