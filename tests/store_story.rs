//! One story of each storage trait, told only through the trait (no SQL,
//! no `connection()`), so a second backend runs it unchanged: both run on
//! the SQLite store, in memory and on a file, and `team_story` runs on the
//! PostgreSQL store too (on the server `scripts/with-postgres` starts).

mod server;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use joy_kiosk::anonymity::Thresholds;
use joy_kiosk::demo::Rng;
use joy_kiosk::huddle::{ActionStatus, Content};
use joy_kiosk::kiosk::{secret, LOCK_FOR};
use joy_kiosk::model::{
    ActionChange, HistoryQuery, HomeWanted, NewAction, NewCheckin, PageFrom, PinOutcome, PinTarget,
    StoredSecret,
};
use joy_kiosk::period::{Period, PeriodKind};
use joy_kiosk::questionnaire::answers::parse_pairs;
use joy_kiosk::questionnaire::{score, Catalog};
use joy_kiosk::reflection_gen;
use joy_kiosk::release::PeriodView;
use joy_kiosk::store::{Store, TeamStore, TerminalStore};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap()
}

fn who5(me: i64, at: DateTime<Utc>, level: &str) -> NewCheckin {
    let cat = Catalog::bundled();
    let q = cat.get("who5").unwrap();
    let pairs: Vec<String> = ["cheerful", "calm", "active", "rested", "interest"]
        .iter()
        .map(|id| format!("{id}={level}"))
        .collect();
    let answers = parse_pairs(q, pairs.iter().map(String::as_str)).unwrap();
    let outcome = score(q, &answers);
    NewCheckin::from_outcome(q, &answers, &outcome, Some(me), at, at)
}

/// A person's own check-ins, a private code and its PIN, this terminal's
/// settings and counts.
fn terminal_story(s: &mut impl TerminalStore) {
    let me = s.local_respondent().unwrap();
    assert_eq!(s.local_respondent().unwrap(), me, "one local person");

    // Three check-ins, a day apart: each save brings the one before it.
    let mut ids = Vec::new();
    for (day, level) in [(0, "1"), (1, "3"), (2, "5")] {
        let saved = s
            .save_checkin(&who5(me, t0() + Duration::days(day), level))
            .unwrap();
        match ids.last() {
            None => assert_eq!(saved.previous, None, "the first has none before it"),
            Some(&before) => assert_eq!(saved.previous.map(|p| p.id), Some(before)),
        }
        ids.push(saved.id);
    }

    let wanted = [HomeWanted {
        questionnaire: "who5",
        score: Some("wellbeing"),
    }];
    let home = s.home(me, None, &wanted, 12).unwrap();
    assert_eq!(home[0].last_done, Some(t0() + Duration::days(2)));
    let values: Vec<f64> = home[0].recent.iter().map(|p| p.value).collect();
    assert_eq!(values, vec![20.0, 60.0, 100.0], "oldest first");

    let page = s
        .history_page(&HistoryQuery {
            key: None,
            respondent: me,
            questionnaire: None,
            search: None,
            from: PageFrom::Newest,
            limit: 2,
        })
        .unwrap();
    assert_eq!(page.total, 3);
    let shown: Vec<i64> = page.rows.iter().map(|r| r.id).collect();
    assert_eq!(shown, vec![ids[2], ids[1]], "newest first");

    assert!(s.checkin(me, None, ids[0]).unwrap().is_some());
    assert_eq!(
        s.checkin(me + 1000, None, ids[0]).unwrap(),
        None,
        "not theirs"
    );
    assert_eq!(
        s.series(me, None, "who5", "wellbeing", None).unwrap().len(),
        3
    );
    assert!(!s.delete_checkin(me + 1000, ids[0]).unwrap(), "not theirs");
    assert!(s.delete_checkin(me, ids[0]).unwrap());
    assert!(!s.delete_checkin(me, ids[0]).unwrap(), "already gone");
    assert_eq!(s.home(me, None, &wanted, 12).unwrap()[0].recent.len(), 2);

    // A private code: taken once, then refused; five wrong PINs lock it,
    // the right one is refused while locked and works after.
    let code = s.suggest_free_code(2).unwrap();
    let salt = s.code_salt().unwrap();
    assert_eq!(s.code_salt().unwrap(), salt, "one salt per store");
    let (new, key) = secret::make_holder(&code, "246813", &salt).unwrap();
    let holder = s.create_pin_holder(&new, t0()).unwrap().unwrap();
    assert_eq!(s.create_pin_holder(&new, t0()).unwrap(), None);
    let tag = secret::code_tag(&code, &salt).unwrap();
    let lock = secret::lockout_key(&tag);
    let try_pin = |s: &mut dyn TerminalStore, pin: &str, at| {
        s.pin_attempt(
            &lock,
            PinTarget::Holder(&tag),
            at,
            &mut |stored| match stored {
                Some(StoredSecret::Sealed { salt, check }) => {
                    secret::key_fits(&secret::history_key(&code, pin, salt).unwrap(), check)
                }
                _ => false,
            },
        )
        .unwrap()
    };
    for _ in 0..4 {
        assert_eq!(try_pin(s, "111111", t0()), PinOutcome::NoMatch);
    }
    assert!(matches!(try_pin(s, "111111", t0()), PinOutcome::Locked(_)));
    assert!(matches!(try_pin(s, "246813", t0()), PinOutcome::Locked(_)));
    let later = t0() + LOCK_FOR + Duration::seconds(1);
    assert_eq!(try_pin(s, "246813", later), PinOutcome::Ok(holder));
    // A sealed history: saved with the key, read only with it.
    let mut c = who5(holder, later, "4");
    c.seal = Some(key.clone());
    let saved = s.save_checkin(&c).unwrap();
    let mine = s.checkin(holder, Some(&key), saved.id).unwrap().unwrap();
    assert_eq!(mine.answers.len(), 5);
    assert!(!mine.unreadable);
    let without = s.checkin(holder, None, saved.id).unwrap().unwrap();
    assert!(
        without.answers.is_empty() && without.unreadable,
        "no key, nothing"
    );
    let points = s
        .series(holder, Some(&key), "who5", "wellbeing", None)
        .unwrap();
    assert_eq!(points.len(), 1);
    assert!(s
        .series(holder, None, "who5", "wellbeing", None)
        .unwrap()
        .is_empty());
    // An unknown code is refused the same way.
    let other = secret::code_tag("no-such-code", &salt).unwrap();
    let unknown = s
        .pin_attempt(
            &secret::lockout_key(&other),
            PinTarget::Holder(&other),
            later,
            &mut |stored| stored.is_some(),
        )
        .unwrap();
    assert_eq!(unknown, PinOutcome::NoMatch);
    // No admin PIN set yet.
    assert_eq!(
        s.pin_attempt("admin", PinTarget::Admin, later, &mut |_| true)
            .unwrap(),
        PinOutcome::NoAdminPin
    );

    s.set_setting("story.key", "1").unwrap();
    assert_eq!(s.setting("story.key").unwrap().as_deref(), Some("1"));
    let counts = s.counts(later).unwrap();
    assert_eq!(counts.personal_codes, 1);
}

/// Reflections submitted by a team, read back only as a period's rows for
/// the anonymity rules, and the team's actions.
fn team_story(s: &mut impl TeamStore) {
    // The ward's rules: none until recorded; recorded again only when they
    // change; the newest in force; never below k = 3.
    use joy_kiosk::model::TeamRules;
    assert_eq!(s.rules().unwrap(), None);
    let five = TeamRules {
        min_group: 5,
        min_group_text: 5,
    };
    assert!(s.set_rules(&five, t0()).unwrap());
    assert!(
        !s.set_rules(&five, t0() + Duration::days(1)).unwrap(),
        "unchanged"
    );
    let seven = TeamRules {
        min_group: 7,
        min_group_text: 6,
    };
    assert!(s.set_rules(&seven, t0() + Duration::days(2)).unwrap());
    assert_eq!(
        s.rules().unwrap(),
        Some(TeamRules {
            min_group: 7,
            min_group_text: 7
        }),
        "the text threshold is never below k"
    );
    let cat = Catalog::bundled();
    let q = cat.get("team-reflection").unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 11, 17).unwrap();
    let mut rng = Rng::new(7);
    let mut ids = Vec::new();
    // The ward's k is 7 (above): Ward 7 has 8, Theatres 2.
    for (team, n) in [("Ward 7", 8), ("Theatres", 2)] {
        for i in 0..n {
            let a = reflection_gen::answers(q, 0.6, &mut rng, |_| format!("text {i}"));
            let entry = reflection_gen::checkin(q, &a, team, PeriodKind::Week, day);
            ids.push(s.submit(&entry).unwrap());
        }
    }
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len(), "every id its own");
    assert!(
        sorted.windows(2).all(|w| w[1] - w[0] > 1),
        "no id follows another: {ids:?}"
    );

    let teams = s.teams(None).unwrap();
    assert!(teams.contains(&"Ward 7".to_string()) && teams.contains(&"Theatres".to_string()));
    assert_eq!(
        s.team_questionnaires("Ward 7").unwrap(),
        vec!["team-reflection"]
    );

    let week = Period::containing(PeriodKind::Week, day);
    // Open: a count, nothing else.
    assert_eq!(
        s.team_period("Ward 7", "team-reflection", week).unwrap(),
        PeriodView::Open {
            have: 8,
            headcount: None
        }
    );
    let open = joy_kiosk::team_view::huddle(s, q, "Ward 7", week, Thresholds::new(5, 5)).unwrap();
    assert!(matches!(open.content, Content::Open { have: 8, .. }));
    // Released once it has closed, by a writer.
    let closed = week.release_day().and_hms_opt(9, 0, 0).unwrap().and_utc();
    let report = s
        .release_closed(closed, &[], Thresholds::new(5, 5))
        .unwrap();
    assert_eq!(report.released.len(), 2, "{report:?}");
    let again = s
        .release_closed(closed, &[], Thresholds::new(3, 3))
        .unwrap();
    assert!(again.released.is_empty(), "never twice");
    assert_eq!(s.released_periods("Ward 7").unwrap(), vec![week]);
    let shown = joy_kiosk::team_view::huddle(s, q, "Ward 7", week, Thresholds::new(5, 5)).unwrap();
    assert!(matches!(shown.content, Content::Shown(_)));
    let hidden =
        joy_kiosk::team_view::huddle(s, q, "Theatres", week, Thresholds::new(5, 5)).unwrap();
    assert!(matches!(hidden.content, Content::NotEnough { .. }));

    let id = s
        .add_action(
            &NewAction {
                team: "Ward 7".into(),
                action: "Fix the fridge alarm".into(),
                owner: "ward manager".into(),
                review_on: Some(day + Duration::days(14)),
                pebble: String::new(),
                scope: None,
            },
            day,
        )
        .unwrap();
    let done = ActionChange {
        status: Some(ActionStatus::Done),
        learned: Some("It was the door seal".into()),
        ..Default::default()
    };
    assert!(s.update_action(id, &done, day).unwrap());
    assert!(
        !s.update_action(id + 1000, &done, day).unwrap(),
        "no such action"
    );
    let a = s.action(id).unwrap().unwrap();
    assert_eq!(a.status, ActionStatus::Done);
    assert_eq!(s.actions(Some("Ward 7")).unwrap().len(), 1);
    assert!(s.actions(Some("Theatres")).unwrap().is_empty());
}

#[test]
fn terminal_story_in_memory() {
    terminal_story(&mut Store::open_in_memory().unwrap());
}

#[test]
fn terminal_story_on_a_file() {
    let dir = tempfile::tempdir().unwrap();
    terminal_story(&mut Store::open(&dir.path().join("joy.db")).unwrap());
}

#[test]
fn team_story_in_memory() {
    team_story(&mut Store::open_in_memory().unwrap());
}

#[test]
fn team_story_on_a_file() {
    let dir = tempfile::tempdir().unwrap();
    team_story(&mut Store::open(&dir.path().join("joy.db")).unwrap());
}

#[test]
fn team_story_on_postgresql() {
    team_story(&mut server::fresh_store());
}

/// Actions keep every version: a change is undone to the one before, and
/// minutes of a past week show actions as they stood at its end.
#[test]
fn actions_are_versioned_undone_and_read_as_of_a_day() {
    actions_story(&mut Store::open_in_memory().unwrap());
}

#[test]
fn actions_are_versioned_on_postgresql() {
    actions_story(&mut server::fresh_store());
}

#[test]
fn ward_settings_in_memory() {
    settings_story(&mut Store::open_in_memory().unwrap());
}

#[test]
fn ward_settings_on_postgresql() {
    settings_story(&mut server::fresh_store());
}

/// The ward's settings: rules, period kind (a change waits for the next
/// period), headcounts, read together.
fn settings_story(s: &mut impl TeamStore) {
    let teams = vec!["Ward 7".to_string(), "Theatres".to_string()];
    let now = t0();
    let w = s.ward_settings(&teams, now).unwrap();
    assert_eq!(w.rules, None);
    assert_eq!(w.kind, PeriodKind::Week);
    assert_eq!(w.pending, None);
    assert_eq!(
        w.headcounts,
        vec![("Ward 7".into(), None), ("Theatres".into(), None)]
    );
    s.set_headcount("Ward 7", 14, now).unwrap();
    s.set_headcount("Ward 7", 15, now + Duration::days(1))
        .unwrap();
    // A reflection filed in the open week: months wait for the next period.
    let cat = Catalog::bundled();
    let q = cat.get("team-reflection").unwrap();
    let mut rng = Rng::new(3);
    let a = reflection_gen::answers(q, 0.6, &mut rng, |_| String::new());
    let mut entry = reflection_gen::checkin(q, &a, "Ward 7", PeriodKind::Week, now.date_naive());
    entry.completed_at = now;
    s.submit(&entry).unwrap();
    let from = s
        .set_period_kind(PeriodKind::Month, now)
        .unwrap()
        .expect("a change to come");
    assert!(from > now.date_naive());
    assert_eq!(
        from.format("%d").to_string(),
        "01",
        "months start on the 1st"
    );
    assert_eq!(
        s.set_period_kind(PeriodKind::Month, now).unwrap(),
        Some(from),
        "asked again: the same change to come"
    );
    let w = s.ward_settings(&teams, now + Duration::days(1)).unwrap();
    assert_eq!(w.kind, PeriodKind::Week);
    assert_eq!(w.pending, Some((from, PeriodKind::Month)));
    assert_eq!(w.headcounts[0], ("Ward 7".into(), Some(15)));
    // Back to weeks before the change came: the change is dropped.
    assert_eq!(s.set_period_kind(PeriodKind::Week, now).unwrap(), None);
    assert_eq!(s.ward_settings(&teams, now).unwrap().pending, None);
}

fn actions_story(s: &mut impl TeamStore) {
    let d = |x: &str| NaiveDate::parse_from_str(x, "%Y-%m-%d").unwrap();
    let id = s
        .add_action(
            &NewAction {
                team: "Ward 7".into(),
                action: "Fix the fridge alarm".into(),
                owner: "ward manager".into(),
                review_on: Some(d("2026-11-30")),
                pebble: "Equipment".into(),
                scope: Some(joy_kiosk::model::ActionScope::System),
            },
            d("2026-11-16"),
        )
        .unwrap();
    let later = s
        .add_action(
            &NewAction {
                team: "Ward 7".into(),
                action: "Agreed later".into(),
                owner: String::new(),
                review_on: None,
                pebble: String::new(),
                scope: None,
            },
            d("2026-11-25"),
        )
        .unwrap();
    assert!(
        !s.undo_action(id, d("2026-11-17")).unwrap(),
        "nothing to undo yet"
    );
    let testing = ActionChange {
        status: Some(ActionStatus::Testing),
        ..Default::default()
    };
    s.update_action(id, &testing, d("2026-11-20")).unwrap();
    let done = ActionChange {
        status: Some(ActionStatus::Done),
        learned: Some("It was the door seal".into()),
        ..Default::default()
    };
    s.update_action(id, &done, d("2026-11-26")).unwrap();
    // As at the end of week 47 (Sunday 22 November): testing, no later action.
    let then = s.actions_as_of("Ward 7", d("2026-11-22")).unwrap();
    assert_eq!(then.len(), 1);
    assert_eq!(then[0].status, ActionStatus::Testing);
    assert_eq!(then[0].learned, "");
    assert_eq!(then[0].pebble, "Equipment");
    assert!(then.iter().all(|a| a.id != later));
    // Undo the last change: back to testing.
    assert!(s.undo_action(id, d("2026-11-27")).unwrap());
    let a = s.action(id).unwrap().unwrap();
    assert_eq!((a.status, a.learned.as_str()), (ActionStatus::Testing, ""));
}
