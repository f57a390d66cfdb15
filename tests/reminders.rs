//! Issue 18, §4: gentle reminders. `joy status` prints one line and exits 1
//! when a check-in is suggested; the cadence comes from the questionnaire
//! file and the config changes or turns it off; `joy remind --ics` writes a
//! calendar file; Home says what is due, kindly.

mod common;

use chrono::{Duration, Utc};
use joy_kiosk::app::{Action, Loaded};
use joy_kiosk::questionnaire::answers::parse_pairs;
use joy_kiosk::questionnaire::{score, Catalog};
use joy_kiosk::store::{NewCheckin, Store};

fn joy(home: &std::path::Path, args: &[&str], offset_days: i64) -> std::process::Output {
    let offset = (offset_days * 86_400).to_string();
    common::joy_at(
        home,
        args,
        &[("JOY_TEST_CLOCK_OFFSET_SECS", offset.as_str())],
    )
}

use common::all_output as out;

fn who5_now(db: &std::path::Path) {
    let mut s = Store::open(db).unwrap();
    let cat = Catalog::bundled();
    let q = cat.get("who5").unwrap();
    let a = parse_pairs(
        q,
        ["cheerful=3", "calm=3", "active=3", "rested=2", "interest=2"],
    )
    .unwrap();
    let o = score(q, &a);
    let me = s.local_respondent().unwrap();
    let at = Utc::now();
    s.save_checkin(&NewCheckin::from_outcome(q, &a, &o, Some(me), at, at))
        .unwrap();
}

#[test]
fn status_says_what_is_suggested_and_exits_one_when_something_is() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    // A new install: WHO-5 is suggested whenever it suits.
    let o = joy(h, &["status"], 0);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("not done yet"), "{}", out(&o));
    assert!(!h.join("data").exists(), "status creates nothing");
    // Only WHO-5 reminds (the config turns the others off); done today.
    std::fs::create_dir_all(h.join("config/joy-kiosk")).unwrap();
    std::fs::write(
        h.join("config/joy-kiosk/joy.toml"),
        "[reminders]\n\"joy-in-work\" = 0\npeople-promise = 0\n",
    )
    .unwrap();
    who5_now(&h.join("data/joy-kiosk/joy.db"));
    let o = joy(h, &["status"], 0);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        "joy: nothing due; WHO-5 Wellbeing Index suggested in 14 days"
    );
    // Fifteen days on: suggested, kindly.
    let o = joy(h, &["status"], 15);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        "joy: WHO-5 Wellbeing Index: 15 days since the last one, whenever suits you"
    );
    // The config's own cadence wins over the file's.
    std::fs::write(
        h.join("config/joy-kiosk/joy.toml"),
        "[reminders]\n\"joy-in-work\" = 0\npeople-promise = 0\nwho5 = 30\n",
    )
    .unwrap();
    let o = joy(h, &["status"], 15);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(out(&o).contains("suggested in 15 days"), "{}", out(&o));
    // A number of days out of range: where, and what to write.
    std::fs::write(
        h.join("config/joy-kiosk/joy.toml"),
        "[reminders]\nwho5 = 400\n",
    )
    .unwrap();
    let o = joy(h, &["status"], 0);
    assert!(!o.status.success());
    assert!(
        out(&o).contains("joy.toml:2:8") && out(&o).contains("from 0 (no reminder) to 366"),
        "{}",
        out(&o)
    );
}

#[test]
fn remind_writes_a_calendar_file_once() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let ics = h.join("joy-reminders.ics");
    let o = joy(h, &["remind", "--ics", ics.to_str().unwrap()], 0);
    assert!(o.status.success(), "{}", out(&o));
    assert!(
        out(&o).contains("Wrote 3 recurring reminders"),
        "{}",
        out(&o)
    );
    let text = std::fs::read_to_string(&ics).unwrap();
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
    assert_eq!(text.matches("BEGIN:VEVENT").count(), 3);
    assert!(text.contains("RRULE:FREQ=DAILY;INTERVAL=14\r\n"), "{text}");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&ics).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // Not replaced without --force.
    let o = joy(h, &["remind", "--ics", ics.to_str().unwrap()], 0);
    assert!(
        !o.status.success() && out(&o).contains("--force"),
        "{}",
        out(&o)
    );
    let o = joy(h, &["remind", "--ics", ics.to_str().unwrap(), "--force"], 0);
    assert!(o.status.success(), "{}", out(&o));
}

/// Home, at 80x24: a WHO-5 done 20 days ago says so under it, kindly; one
/// done today says nothing more.
#[test]
fn home_says_what_is_due_kindly() {
    let mut app = common::App::new();
    let now = app.t;
    let summary = |days: i64| joy_kiosk::app::HomeSummary {
        questionnaire: "who5".into(),
        last_done: Some(now - Duration::days(days)),
        latest: None,
        latest_band: None,
        recent: vec![],
        demo: false,
    };
    app.act(Action::Loaded(Loaded::Home(vec![summary(20)])));
    let screen = common::screen_lines(&app, 80, 24).join("\n");
    assert!(
        screen.contains("Suggested every 14 days: 20 days since the last one"),
        "{screen}"
    );
    for word in ["streak", "missed", "overdue", "should"] {
        assert!(!screen.contains(word), "{screen}");
    }
    app.act(Action::Loaded(Loaded::Home(vec![summary(0)])));
    let screen = common::screen_lines(&app, 80, 24).join("\n");
    assert!(!screen.contains("Suggested every 14 days: 0"), "{screen}");
}
