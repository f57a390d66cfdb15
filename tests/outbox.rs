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
    // The questionnaire file they were answered on went with them (kept
    // once by its hash), so the server reads them as answered.
    let mut c = postgres::Client::connect(&conn, postgres::NoTls).unwrap();
    let defs: i64 = c
        .query_one("SELECT count(*) FROM questionnaire_def", &[])
        .unwrap()
        .get(0);
    assert_eq!(defs, 1);
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
    assert!(st.error.is_some(), "the failure is kept");
    assert_eq!(st.failing_since, Some(next_day), "since when");
    // An hour later it still fails: "since" stays the first failure.
    let later = next_day + Duration::hours(1);
    joy_kiosk::outbox::deliver(&mut local, dead, later).unwrap();
    assert_eq!(local.outbox_status().unwrap().failing_since, Some(next_day));
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

/// The kiosk itself: a team reflection given at the screen says "saved"
/// and goes to the server only after its day; the admin's counts show
/// what waits, and a dead server is named there while the kiosk keeps
/// taking check-ins.
#[test]
fn a_kiosk_delivers_its_days_by_itself() {
    use joy_kiosk::app::runner::dispatch;
    use joy_kiosk::app::{Action, Screen, State};
    let (conn, name) = server::fresh_named_database();
    let mut admin = PgStore::init(&conn, &name).unwrap_or_else(|e| panic!("{e}"));
    let mut store = Store::open_in_memory().unwrap();
    store.set_time_zone("Europe/London").unwrap();
    store.set_outbox(true).unwrap();
    let qs: Vec<_> = Catalog::bundled()
        .entries
        .into_iter()
        .map(|e| e.questionnaire)
        .collect();
    let config = joy_kiosk::app::kiosk::KioskConfig {
        site: "Ward 7 (demo)".into(),
        teams: vec!["Ward 7".into()],
        server: Some("host=/nonexistent-joy-socket dbname=ward7".into()),
        ..Default::default()
    };
    let mut t = Utc.with_ymd_and_hms(2026, 11, 17, 10, 0, 0).unwrap();
    let mut state = State::kiosk(qs, config, t);
    let act = |state: &mut State, store: &mut Store, t: &mut chrono::DateTime<Utc>, a: Action| {
        *t += Duration::seconds(5);
        dispatch(state, store, a, *t);
    };
    act(
        &mut state,
        &mut store,
        &mut t,
        Action::Resize {
            width: 80,
            height: 24,
        },
    );
    // A team reflection for Ward 7.
    let i = state
        .questionnaires
        .iter()
        .position(|q| q.id == "team-reflection")
        .unwrap();
    act(&mut state, &mut store, &mut t, Action::Pick(i));
    act(&mut state, &mut store, &mut t, Action::Pick(0));
    for _ in 0..40 {
        if state.screen != Screen::Question {
            break;
        }
        let before = state.session.checkin.as_ref().map(|c| c.index);
        act(&mut state, &mut store, &mut t, Action::Pick(0));
        for a in [Action::Confirm, Action::Skip] {
            if state.screen == Screen::Question
                && state.session.checkin.as_ref().map(|c| c.index) == before
            {
                act(&mut state, &mut store, &mut t, a);
            }
        }
    }
    act(&mut state, &mut store, &mut t, Action::Save);
    assert_eq!(state.screen, Screen::Result);
    assert_eq!(store.outbox_status().unwrap().waiting, 1);
    // The next morning, the server down: the tick's delivery fails, is
    // kept, and nothing is lost.
    t = Utc.with_ymd_and_hms(2026, 11, 18, 8, 0, 0).unwrap();
    // (dispatch performs the tick's effects, the delivery among them.)
    dispatch(&mut state, &mut store, Action::Tick, t);
    let st = store.outbox_status().unwrap();
    assert_eq!(st.waiting, 1);
    assert!(st.error.is_some());
    // The admin's data counts say what waits and why.
    let scope = joy_kiosk::app::runner::Scope::of(&state);
    match joy_kiosk::app::kiosk_effects::perform(
        &scope,
        &mut store,
        &joy_kiosk::app::Effect::LoadCounts,
        t,
    ) {
        Some(Some(joy_kiosk::app::Loaded::Counts { counts, .. })) => {
            let line = counts
                .iter()
                .find(|(l, _)| l.starts_with("Waiting for the ward's server"))
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            assert!(
                line.contains("1 entry since 17 Nov; not reachable"),
                "{counts:?}"
            );
            // The server releases and counts: no local release lines, and
            // the file's own counts say what they are.
            assert!(
                !counts.iter().any(|(l, _)| l.contains("release")),
                "{counts:?}"
            );
            assert!(
                counts
                    .iter()
                    .any(|(l, v)| l.starts_with("Team reflections kept here") && v == "0"),
                "{counts:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    // The server back (the configuration names the real one now): the
    // next round, five minutes on, delivers.
    if let Some(k) = state.kiosk.as_mut() {
        k.config.server = Some(joy_kiosk::store::pg::ServerAddress::url(&conn));
    }
    t += Duration::seconds(joy_kiosk::app::kiosk::DELIVER_EVERY_SECS + 1);
    dispatch(&mut state, &mut store, Action::Tick, t);
    // Nothing waits and no failure is left (the test's clock is not the
    // server's, which the status notes apart).
    let st = store.outbox_status().unwrap();
    assert_eq!((st.waiting, st.oldest, st.error), (0, None, None));
    assert_eq!(on_server(&mut admin), 1);
}

/// The outbox keeps no trace of the order entries were given in: random
/// ids, so neither its table's order nor its ids follow the saves (the
/// save order of one day is what the end-of-day rewrite exists to erase).
#[test]
fn the_outbox_keeps_no_save_order() {
    let mut s = Store::open_in_memory().unwrap();
    s.set_time_zone("Europe/London").unwrap();
    s.set_outbox(true).unwrap();
    let cat = Catalog::bundled();
    let q = cat.get("team-reflection").unwrap();
    let mut rng = Rng::new(2);
    // Fifty saves in turn, each naming its place in the team.
    for i in 0..50 {
        let a = reflection_gen::answers(q, 0.5, &mut rng, |_| String::new());
        s.save_checkin(&reflection_gen::checkin(
            q,
            &a,
            &format!("Team {i:02}"),
            PeriodKind::Week,
            day(),
        ))
        .unwrap();
    }
    let mut rows = s.outbox_day(day()).unwrap();
    rows.sort_by_key(|(id, _)| *id);
    let order: Vec<String> = rows.iter().filter_map(|(_, e)| e.team.clone()).collect();
    let mut saved = order.clone();
    saved.sort();
    assert_eq!(order.len(), 50);
    assert_ne!(order, saved, "the outbox's order is the save order");
    let ids: Vec<i64> = rows.iter().map(|(id, _)| *id).collect();
    assert!(
        ids.windows(2).all(|w| w[1] - w[0] > 1),
        "ids follow one another: {ids:?}"
    );
}

/// With a server configured the terminal keeps only its outbox (issue 17,
/// §1): an anonymous entry is written there and nowhere else in the file,
/// so once the server has it the kiosk holds no copy to be read, released
/// or given away. Demo entries never go to a server.
#[test]
fn a_terminal_with_a_server_keeps_no_copy_beside_its_outbox() {
    let (conn, name) = server::fresh_named_database();
    PgStore::init(&conn, &name).unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let mut local = Store::open(&db).unwrap();
    local.set_time_zone("Europe/London").unwrap();
    local.set_outbox(true).unwrap();
    let cat = Catalog::bundled();
    let q = cat.get("team-reflection").unwrap();
    let mut rng = Rng::new(21);
    let marker = "zebra-crossing-7781 made the day";
    let with_text = |rng: &mut Rng| {
        let a = reflection_gen::answers(q, 0.5, rng, |_| marker.to_string());
        reflection_gen::checkin(q, &a, "Ward 7", PeriodKind::Week, day())
    };
    let rows: Vec<_> = (0..3).map(|_| with_text(&mut rng)).collect();
    local.save_many(&rows).unwrap();
    let mut demo = with_text(&mut rng);
    demo.is_demo = true;
    local.save_checkin(&demo).unwrap();
    let raw = |db: &std::path::Path, sql: &str| -> i64 {
        let c = rusqlite::Connection::open(db).unwrap();
        c.query_row(sql, [], |r| r.get(0)).unwrap()
    };
    assert_eq!(
        raw(
            &db,
            "SELECT count(*) FROM checkin WHERE respondent_id IS NULL AND NOT is_demo"
        ),
        0,
        "no anonymous entry beside the outbox"
    );
    assert_eq!(
        raw(&db, "SELECT count(*) FROM outbox"),
        3,
        "the demo one stays local"
    );
    let next = Utc.with_ymd_and_hms(2026, 11, 18, 9, 0, 0).unwrap();
    let d = joy_kiosk::outbox::deliver(&mut local, &conn, next).unwrap();
    assert_eq!((d.sent, d.error), (3, None));
    local.checkpoint_idle();
    drop(local);
    // Delivered: not a byte of it left in the file (secure_delete).
    let bytes = std::fs::read(&db).unwrap();
    let found = bytes
        .windows(b"zebra-crossing-7781".len())
        .filter(|w| *w == b"zebra-crossing-7781")
        .count();
    // The demo entry's own answers (value and label) are all that is left.
    let demo_copies: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT (SELECT count(*) FROM answer WHERE value_json LIKE '%zebra-crossing-7781%')
                  + (SELECT count(*) FROM answer WHERE label LIKE '%zebra-crossing-7781%')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(demo_copies > 0);
    assert_eq!(
        found as i64, demo_copies,
        "only the demo entry's text is left"
    );
}

/// With a server the ward's rules are the server's: the kiosk admin's
/// Ward rules form shows them as read by the terminal role, refuses to
/// change them (saying where they are changed), and records nothing in
/// the kiosk's own file.
#[test]
fn a_kiosk_with_a_server_shows_the_servers_rules_and_records_none() {
    use joy_kiosk::app::kiosk_effects::perform;
    use joy_kiosk::app::{Effect, Loaded};
    use joy_kiosk::model::TeamRules;
    let (conn, name) = server::fresh_named_database();
    let mut admin = PgStore::init(&conn, &name).unwrap_or_else(|e| panic!("{e}"));
    let now = Utc.with_ymd_and_hms(2026, 11, 17, 10, 0, 0).unwrap();
    let seven = TeamRules {
        min_group: 7,
        min_group_text: 9,
    };
    admin.set_rules(&seven, now).unwrap();
    admin.set_headcount("Ward 7", 14, now).unwrap();
    postgres::Client::connect(&conn, postgres::NoTls)
        .unwrap()
        .batch_execute(&format!(
            "CREATE ROLE {name}_k LOGIN IN ROLE {name}_terminal"
        ))
        .unwrap();
    let terminal = server::as_user(&conn, &format!("{name}_k"));

    let mut store = Store::open_in_memory().unwrap();
    store.set_outbox(true).unwrap();
    let qs: Vec<_> = Catalog::bundled()
        .entries
        .into_iter()
        .map(|e| e.questionnaire)
        .collect();
    let config = joy_kiosk::app::kiosk::KioskConfig {
        site: "Ward 7 (demo)".into(),
        teams: vec!["Ward 7".into()],
        server: Some(joy_kiosk::store::pg::ServerAddress::url(&terminal)),
        ..Default::default()
    };
    let mut state = joy_kiosk::app::State::kiosk(qs, config, now);
    state.teams = vec!["Ward 7".into()];
    let scope = joy_kiosk::app::runner::Scope::of(&state);
    let mut form = match perform(&scope, &mut store, &Effect::LoadWardRules, now) {
        Some(Some(Loaded::WardRules {
            held,
            config,
            on_server,
        })) => {
            assert!(on_server);
            assert_eq!(held.rules, Some(seven));
            assert_eq!(held.headcounts, vec![("Ward 7".to_string(), Some(14))]);
            let mut f = joy_kiosk::app::ward_rules::RulesForm::new(held, config);
            f.on_server = on_server;
            f
        }
        other => panic!("{other:?}"),
    };
    // A change asked on the kiosk: refused, and said where it is made.
    let step = joy_kiosk::app::ward_rules::update(&mut form, joy_kiosk::app::Action::Right);
    assert_eq!(step, joy_kiosk::app::ward_rules::RulesStep::Stay(vec![]));
    assert_eq!(form.k, 7);
    assert_eq!(
        form.notice,
        Some(joy_kiosk::app::ward_rules::RulesNotice::OnServer)
    );
    // Even an effect that reached the worker records nothing here.
    match perform(&scope, &mut store, &Effect::SetWardRules(seven), now) {
        Some(Some(Loaded::Notice(n))) => assert!(n.contains("joy server rules"), "{n}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(store.team_rules().unwrap(), None);
}

/// The personal app of someone whose team has a server (`[server]` and
/// their team in the config): team reflections are offered, kept only in
/// the outbox, and sent to the team's server by the app's own rounds after
/// their day; the person's own check-ins never leave. Without a server the
/// personal app offers no team reflection (no huddle would count it).
#[test]
fn team_reflections_from_the_personal_app_go_to_the_teams_server() {
    use joy_kiosk::app::runner::dispatch;
    use joy_kiosk::app::{Action, Effect, Screen, State};
    let (conn, name) = server::fresh_named_database();
    let mut admin = PgStore::init(&conn, &name).unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("mine.db");
    let mut local = Store::open(&db).unwrap();
    local.set_time_zone("Europe/London").unwrap();
    local.set_outbox(true).unwrap();
    let me = local.local_respondent().unwrap();
    let qs: Vec<_> = Catalog::bundled()
        .entries
        .into_iter()
        .map(|e| e.questionnaire)
        .collect();
    let now = Utc.with_ymd_and_hms(2026, 11, 17, 10, 0, 0).unwrap();
    let without = State::personal(qs.clone(), Some(me), now);
    assert!(without
        .questionnaires
        .iter()
        .all(|q| q.id != "team-reflection"));
    let mut state = State::personal_with_team_server(
        qs,
        Some(me),
        vec!["Ward 7".into()],
        joy_kiosk::store::pg::ServerAddress::from(conn.as_str()),
        now,
    );
    let answer = |state: &mut State, local: &mut Store, id: &str| {
        let i = state
            .questionnaires
            .iter()
            .position(|q| q.id == id)
            .unwrap();
        dispatch(state, local, Action::Pick(i), now);
        if state.screen == Screen::Team {
            dispatch(state, local, Action::Pick(0), now);
        }
        for _ in 0..40 {
            if state.screen != Screen::Question {
                break;
            }
            let before = state.session.checkin.as_ref().map(|c| c.index);
            for a in [Action::Pick(0), Action::Confirm, Action::Skip] {
                dispatch(state, local, a, now);
                if state.screen != Screen::Question
                    || state.session.checkin.as_ref().map(|c| c.index) != before
                {
                    break;
                }
            }
        }
        assert_eq!(state.screen, Screen::Review, "{id}");
        dispatch(state, local, Action::Save, now);
        assert_eq!(state.screen, Screen::Result, "{id}: {:?}", state.status);
        dispatch(state, local, Action::Back, now);
    };
    answer(&mut state, &mut local, "team-reflection");
    answer(&mut state, &mut local, "who5");
    assert_eq!(local.outbox_status().unwrap().waiting, 1);
    let raw = |sql: &str| -> i64 {
        rusqlite::Connection::open(&db)
            .unwrap()
            .query_row(sql, [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(
        raw("SELECT count(*) FROM checkin WHERE respondent_id IS NULL"),
        0,
        "the reflection is in the outbox only"
    );
    assert_eq!(raw("SELECT count(*) FROM checkin"), 1, "the WHO-5 is kept");
    // The app's own round, the next day: the reflection goes, once.
    let next = now + Duration::days(1);
    let effects = joy_kiosk::app::update(&mut state, Action::Tick, next);
    assert!(effects.contains(&Effect::Deliver), "{effects:?}");
    joy_kiosk::app::runner::run_effects(&mut state, &mut local, effects, next);
    assert_eq!(local.outbox_status().unwrap().waiting, 0);
    assert_eq!(on_server(&mut admin), 1);
    let teams = admin.teams(None).unwrap();
    assert_eq!(teams, vec!["Ward 7".to_string()]);
    let mut c = postgres::Client::connect(&conn, postgres::NoTls).unwrap();
    let n: i64 = c
        .query_one(
            "SELECT count(*) FROM entry WHERE questionnaire_id <> 'team-reflection'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(n, 0, "the WHO-5 never left");
}
