//! Issue 17, §3: the outbox. Anonymous entries are kept locally first and
//! delivered to the ward's server a whole past day at a time; a day sent
//! twice is kept once; a server that cannot be reached loses nothing and
//! is said; personal check-ins never leave the terminal.

mod server;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use joy_kiosk::demo::Rng;
use joy_kiosk::period::{Period, PeriodKind};
use joy_kiosk::questionnaire::Catalog;
use joy_kiosk::reflection_gen;
use joy_kiosk::release::PeriodView;
use joy_kiosk::store::pg::PgStore;
use joy_kiosk::store::{Store, TeamStore};

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 17).unwrap()
}

/// A terminal delivering to a server, with `n` team reflections of Ward 7
/// saved on `day()`.
fn terminal(n: usize) -> Store {
    let mut s = Store::open_in_memory().unwrap();
    s.set_time_zone("Europe/London").unwrap();
    s.set_outbox(true).unwrap();
    let cat = Catalog::bundled();
    let q = cat.get("team-reflection").unwrap();
    let mut rng = Rng::new(9);
    let rows: Vec<_> = (0..n)
        .map(|_| {
            let a = reflection_gen::answers(q, 0.5, &mut rng, |_| String::new());
            reflection_gen::checkin(q, &a, "Ward 7", PeriodKind::Week, day())
        })
        .collect();
    s.save_many(&rows).unwrap();
    s
}

fn on_server(admin: &mut PgStore) -> usize {
    let week = Period::containing(PeriodKind::Week, day());
    match admin
        .team_period("Ward 7", "team-reflection", week)
        .unwrap()
    {
        PeriodView::Open { have, .. } => have,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_day_waits_for_its_end_then_goes_whole_and_once() {
    let (conn, name) = server::fresh_named_database();
    let mut admin = PgStore::init(&conn, &name).unwrap_or_else(|e| panic!("{e}"));
    let mut local = terminal(4);
    assert_eq!(local.outbox_status().unwrap().waiting, 4);
    // The same day: nothing is sent (the screen said "saved", not queued).
    let same_day = Utc.with_ymd_and_hms(2026, 11, 17, 18, 0, 0).unwrap();
    let d = joy_kiosk::outbox::deliver(&mut local, &conn, same_day).unwrap();
    assert_eq!((d.sent, d.error.clone()), (0, None));
    assert_eq!(on_server(&mut admin), 0);
    // The next day: the whole day goes, and is forgotten locally.
    let next_day = same_day + Duration::days(1);
    let d = joy_kiosk::outbox::deliver(&mut local, &conn, next_day).unwrap();
    assert_eq!((d.sent, d.days, d.error), (4, 1, None));
    assert_eq!(on_server(&mut admin), 4);
    assert_eq!(local.outbox_status().unwrap().waiting, 0);
    // Nothing more to send.
    let d = joy_kiosk::outbox::deliver(&mut local, &conn, next_day).unwrap();
    assert_eq!(d.sent, 0);
    assert_eq!(on_server(&mut admin), 4);
}

/// Killed after the server had the day but before the terminal forgot it:
/// the day is sent again and kept once.
#[test]
fn a_day_sent_again_after_a_lost_reply_is_kept_once() {
    let (conn, name) = server::fresh_named_database();
    let mut admin = PgStore::init(&conn, &name).unwrap_or_else(|e| panic!("{e}"));
    let mut local = terminal(3);
    // What a first round did before it was killed: the server has all.
    let mut server = PgStore::connect(&conn).unwrap();
    for (id, e) in local.outbox_day(day()).unwrap() {
        server.submit_with_id(id, &e).unwrap();
    }
    assert_eq!(on_server(&mut admin), 3);
    let next_day = Utc.with_ymd_and_hms(2026, 11, 18, 9, 0, 0).unwrap();
    let d = joy_kiosk::outbox::deliver(&mut local, &conn, next_day).unwrap();
    assert_eq!(d.sent, 3);
    assert_eq!(on_server(&mut admin), 3, "nothing doubled");
    assert_eq!(local.outbox_status().unwrap().waiting, 0);
}

/// The server cannot be reached: nothing is lost, the failure is kept
/// with since when, and the next round delivers and clears it.
#[test]
fn a_server_that_cannot_be_reached_loses_nothing_and_is_said() {
    let (conn, name) = server::fresh_named_database();
    let mut admin = PgStore::init(&conn, &name).unwrap_or_else(|e| panic!("{e}"));
    let mut local = terminal(2);
    let next_day = Utc.with_ymd_and_hms(2026, 11, 18, 9, 0, 0).unwrap();
    let dead = "host=/nonexistent-joy-socket dbname=ward7";
    let d = joy_kiosk::outbox::deliver(&mut local, dead, next_day).unwrap();
    assert_eq!(d.sent, 0);
    assert!(d.error.is_some());
    let st = local.outbox_status().unwrap();
    assert_eq!((st.waiting, st.oldest), (2, Some(day())));
    let error = st.error.expect("the failure is kept");
    assert!(
        error.starts_with("2026-11-18T09:00:00"),
        "since when: {error}"
    );
    // An hour later it still fails: "since" stays the first failure.
    let later = next_day + Duration::hours(1);
    joy_kiosk::outbox::deliver(&mut local, dead, later).unwrap();
    let error = local.outbox_status().unwrap().error.unwrap();
    assert!(error.starts_with("2026-11-18T09:00:00"), "{error}");
    // Back: delivered, and the failure is gone.
    let d = joy_kiosk::outbox::deliver(&mut local, &conn, later).unwrap();
    assert_eq!((d.sent, d.error), (2, None));
    assert_eq!(on_server(&mut admin), 2);
    assert_eq!(local.outbox_status().unwrap().error, None);
}

/// A person's own check-in never enters the outbox.
#[test]
fn personal_check_ins_never_leave_the_terminal() {
    let mut local = Store::open_in_memory().unwrap();
    local.set_outbox(true).unwrap();
    let me = local.local_respondent().unwrap();
    let cat = Catalog::bundled();
    let q = cat.get("who5").unwrap();
    let answers = joy_kiosk::questionnaire::answers::parse_pairs(
        q,
        ["cheerful=3", "calm=3", "active=3", "rested=3", "interest=3"],
    )
    .unwrap();
    let outcome = joy_kiosk::questionnaire::score(q, &answers);
    let at = Utc.with_ymd_and_hms(2026, 11, 17, 9, 0, 0).unwrap();
    let c = joy_kiosk::model::NewCheckin::from_outcome(q, &answers, &outcome, Some(me), at, at);
    local.save_checkin(&c).unwrap();
    assert_eq!(local.outbox_status().unwrap().waiting, 0);
}
