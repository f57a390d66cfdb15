//! Issue 17, least privilege by database roles, tried with each role's own
//! credentials on a real server: a terminal submits and reads the ward's
//! settings, and reads no entry back; a huddle reads released figures and
//! counts and keeps actions, and cannot select, copy or submit a single
//! raw row.

mod server;

use chrono::{NaiveDate, TimeZone, Utc};
use joy_kiosk::anonymity::Thresholds;
use joy_kiosk::demo::Rng;
use joy_kiosk::huddle::Content;
use joy_kiosk::model::NewAction;
use joy_kiosk::period::{Period, PeriodKind};
use joy_kiosk::questionnaire::Catalog;
use joy_kiosk::reflection_gen;
use joy_kiosk::store::pg::PgStore;
use joy_kiosk::store::TeamStore;

/// A statement run as `conn`'s role: Ok, or the server's error code.
fn try_sql(conn: &str, sql: &str) -> Result<(), String> {
    let mut c = postgres::Client::connect(conn, postgres::NoTls).expect("connects");
    c.batch_execute(sql).map_err(|e| {
        e.as_db_error()
            .map(|d| d.code().code().to_string())
            .unwrap_or_else(|| e.to_string())
    })
}

/// SQL's code for "permission denied".
const DENIED: &str = "42501";

#[test]
fn each_role_reads_only_what_it_may() {
    let (admin_conn, name) = server::fresh_named_database();
    let mut admin = PgStore::init(&admin_conn, &name).unwrap_or_else(|e| panic!("{e}"));
    // Login roles a DBA would make, one in each group role.
    for (login, group) in [("t", "terminal"), ("h", "huddle")] {
        try_sql(
            &admin_conn,
            &format!("CREATE ROLE {name}_{login} LOGIN IN ROLE {name}_{group}"),
        )
        .unwrap();
    }
    let terminal_conn = server::as_user(&admin_conn, &format!("{name}_t"));
    let huddle_conn = server::as_user(&admin_conn, &format!("{name}_h"));

    // The terminal submits six reflections and reads the ward's settings.
    let mut terminal = PgStore::connect(&terminal_conn).unwrap_or_else(|e| panic!("{e}"));
    let cat = Catalog::bundled();
    let q = cat.get("team-reflection").unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 11, 17).unwrap();
    let mut rng = Rng::new(5);
    for i in 0..6 {
        let a = reflection_gen::answers(q, 0.6, &mut rng, |_| format!("secret {i}"));
        terminal
            .submit(&reflection_gen::checkin(
                q,
                &a,
                "Ward 7",
                PeriodKind::Week,
                day,
            ))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let now = Utc.with_ymd_and_hms(2026, 11, 18, 9, 0, 0).unwrap();
    terminal
        .ward_settings(&["Ward 7".to_string()], now)
        .unwrap_or_else(|e| panic!("{e}"));
    for sql in [
        "SELECT * FROM entry",
        "COPY entry TO STDOUT",
        "SELECT * FROM team_release",
        "SELECT * FROM questionnaire_def",
        "SELECT * FROM team_action",
        "SELECT joy_period_count('Ward 7', 'team-reflection', '2026-W47')",
        "INSERT INTO team_rules (min_group, min_group_text, changed_at) VALUES (3, 3, now())",
    ] {
        assert_eq!(
            try_sql(&terminal_conn, sql),
            Err(DENIED.into()),
            "terminal: {sql}"
        );
    }
    assert!(
        terminal
            .release_closed(now, &[], Thresholds::default())
            .is_err(),
        "a terminal cannot release"
    );

    // The admin releases the closed week.
    let closed = Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap();
    let report = admin
        .release_closed(closed, &[], Thresholds::new(5, 5))
        .unwrap();
    assert_eq!(report.released.len(), 1, "{report:?}");

    // The huddle reads the release, the teams and the actions...
    let mut huddle = PgStore::connect(&huddle_conn).unwrap_or_else(|e| panic!("{e}"));
    let week = Period::containing(PeriodKind::Week, day);
    let h = joy_kiosk::team_view::huddle(&mut huddle, q, "Ward 7", week, Thresholds::new(5, 5))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(h.content, Content::Shown(_)), "{h:?}");
    assert_eq!(huddle.teams(None).unwrap(), vec!["Ward 7".to_string()]);
    let open =
        joy_kiosk::team_view::huddle(&mut huddle, q, "Ward 7", week.next(), Thresholds::new(5, 5))
            .unwrap();
    assert!(matches!(open.content, Content::Open { have: 0, .. }));
    let id = huddle
        .add_action(
            &NewAction {
                team: "Ward 7".into(),
                action: "Fix the fridge alarm".into(),
                owner: String::new(),
                review_on: None,
                pebble: String::new(),
                scope: None,
            },
            day,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(huddle.action(id).unwrap().is_some());
    // ...and no raw row, by any road.
    for sql in [
        "SELECT * FROM entry",
        "SELECT count(*) FROM entry",
        "COPY entry TO STDOUT",
        "COPY (SELECT answers FROM entry) TO STDOUT",
        "SELECT * FROM questionnaire_def",
        "SELECT * FROM team_questionnaire",
        "INSERT INTO team_questionnaire VALUES ('Ward 8', 'q')",
        "SELECT joy_submit(1, 'Ward 7', 'q', '1', 'h', '', now(), false, '[]', '[]', true, 'UTC')",
        "UPDATE team_release SET reflections = 99",
        "DELETE FROM team_release",
        "INSERT INTO team_rules (min_group, min_group_text, changed_at) VALUES (3, 3, now())",
    ] {
        assert_eq!(
            try_sql(&huddle_conn, sql),
            Err(DENIED.into()),
            "huddle: {sql}"
        );
    }
    assert!(
        huddle
            .release_closed(closed, &[], Thresholds::default())
            .is_err(),
        "a huddle cannot release"
    );
}

/// An entry sent twice (the outbox retrying after a lost reply) is kept
/// once: the terminal's random id makes a submit idempotent.
#[test]
fn an_entry_sent_twice_is_kept_once() {
    let (conn, name) = server::fresh_named_database();
    let mut admin = PgStore::init(&conn, &name).unwrap_or_else(|e| panic!("{e}"));
    try_sql(
        &conn,
        &format!("CREATE ROLE {name}_t LOGIN IN ROLE {name}_terminal"),
    )
    .unwrap();
    let terminal = server::as_user(&conn, &format!("{name}_t"));
    let send = "SELECT joy_submit(424242, 'Ward 7', 'team-reflection', '1', 'h', '', \
                '2026-11-17 12:00+00', false, '[]', '[]', true, 'Europe/London')";
    try_sql(&terminal, send).unwrap();
    try_sql(&terminal, send).unwrap();
    let week = Period::parse("2026-W47").unwrap();
    match admin
        .team_period("Ward 7", "team-reflection", week)
        .unwrap()
    {
        joy_kiosk::release::PeriodView::Open { have, .. } => assert_eq!(have, 1),
        other => panic!("{other:?}"),
    }
}

/// A terminal meeting a server on a newer schema says so and what to do.
#[test]
fn a_server_on_a_newer_schema_is_refused_with_what_to_do() {
    let (conn, name) = server::fresh_named_database();
    PgStore::init(&conn, &name).unwrap_or_else(|e| panic!("{e}"));
    try_sql(
        &conn,
        "INSERT INTO schema_migrations (version) VALUES (999)",
    )
    .unwrap();
    let e = match PgStore::connect(&conn) {
        Ok(_) => panic!("a newer schema must be refused"),
        Err(e) => e.to_string(),
    };
    assert!(e.contains("newer than this joy-kiosk"), "{e}");
    let e = match PgStore::init(&conn, &name) {
        Ok(_) => panic!("init must not touch a newer schema"),
        Err(e) => e.to_string(),
    };
    assert!(e.contains("newer"), "{e}");
}

#[test]
fn a_database_never_initialised_says_to_run_init() {
    let conn = server::fresh_database();
    let e = match PgStore::connect(&conn) {
        Ok(_) => panic!("no schema"),
        Err(e) => e.to_string(),
    };
    assert!(e.contains("joy server init"), "{e}");
}

/// The server files by the same rules as the SQLite store: the ISO week
/// (or month) of the ward's date, across year ends, and never into a
/// period already released (then the next one).
#[test]
fn the_server_files_as_the_local_store_does() {
    let (conn, name) = server::fresh_named_database();
    let mut admin = PgStore::init(&conn, &name).unwrap_or_else(|e| panic!("{e}"));
    admin
        .set_time_zone("Europe/London".parse().unwrap())
        .unwrap();
    let mut sql = postgres::Client::connect(&conn, postgres::NoTls).unwrap();
    let mut file = |id: i64, at: &str, team: &str| -> String {
        sql.query_one(
            "SELECT joy_submit($1, $2, 'team-reflection', '1', 'h', '', $3::text::timestamptz, false, '[]', '[]', true, 'UTC')",
            &[&id, &team, &at],
        )
        .unwrap();
        sql.query_one("SELECT period FROM entry WHERE id = $1", &[&id])
            .unwrap()
            .get(0)
    };
    let mut id = 1;
    for d in [
        "2026-12-27",
        "2026-12-28",
        "2026-12-31",
        "2027-01-01",
        "2027-01-03",
        "2027-01-04",
        "2020-12-31",
        "2021-01-03",
        "2021-01-04",
        "2026-11-23",
        "2026-11-18",
    ] {
        let date = NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        let want = Period::containing(PeriodKind::Week, date).to_string();
        assert_eq!(file(id, &format!("{d} 12:00+00"), "Ward 7"), want, "{d}");
        id += 1;
    }
    // Just after midnight in London on Monday 23 November is still Sunday
    // in UTC-5: the ward's date decides.
    assert_eq!(file(id, "2026-11-23 00:30+00", "Ward 7"), "2026-W48");
    id += 1;
    // A week released: a late entry dated in it goes to the next one.
    let q = Catalog::bundled().get("team-reflection").unwrap().clone();
    let report = admin
        .release_closed(
            Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap(),
            &[q],
            Thresholds::new(5, 5),
        )
        .unwrap();
    assert!(
        report
            .released
            .iter()
            .any(|(_, _, p)| p.to_string() == "2026-W47"),
        "{report:?}"
    );
    assert_eq!(file(id, "2026-11-18 12:00+00", "Ward 7"), "2026-W48");
    id += 1;
    // The admin sees that one arrived late.
    assert_eq!(admin.status().unwrap().late, 1);
    // Months, once they are the kind in force.
    try_sql(&conn, "INSERT INTO period_rule (effective_from, kind, changed_at) VALUES ('2027-02-01', 'month', now())").unwrap();
    assert_eq!(file(id, "2027-02-10 12:00+00", "Theatres"), "2027-02");
}

/// Retention on the server deletes whole periods only: the released
/// figures stay, their texts go with the entries, later periods stay.
#[test]
fn pruning_deletes_whole_periods_and_keeps_released_figures() {
    let (conn, name) = server::fresh_named_database();
    let mut admin = PgStore::init(&conn, &name).unwrap_or_else(|e| panic!("{e}"));
    let cat = Catalog::bundled();
    let q = cat.get("team-reflection").unwrap();
    let mut rng = Rng::new(8);
    for (d, n) in [("2026-11-17", 6), ("2026-12-01", 2)] {
        let day = NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        for i in 0..n {
            let a = reflection_gen::answers(q, 0.5, &mut rng, |_| format!("text {i}"));
            admin
                .submit(&reflection_gen::checkin(
                    q,
                    &a,
                    "Ward 7",
                    PeriodKind::Week,
                    day,
                ))
                .unwrap();
        }
    }
    admin
        .release_closed(
            Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap(),
            &[],
            Thresholds::new(5, 5),
        )
        .unwrap();
    let w47 = Period::parse("2026-W47").unwrap();
    let before =
        joy_kiosk::team_view::huddle(&mut admin, q, "Ward 7", w47, Thresholds::new(5, 5)).unwrap();
    let Content::Shown(p) = &before.content else {
        panic!("{before:?}")
    };
    assert!(
        p.texts.iter().any(|t| t.texts.is_ok()),
        "texts shown before"
    );
    // Keep what is newer than 26 November: week 47 (ended 22 November) goes
    // whole, week 49 stays.
    let gone = admin
        .prune(NaiveDate::from_ymd_opt(2026, 11, 26).unwrap())
        .unwrap();
    assert_eq!(gone, 6);
    assert_eq!(admin.status().unwrap().entries, 2);
    let after =
        joy_kiosk::team_view::huddle(&mut admin, q, "Ward 7", w47, Thresholds::new(5, 5)).unwrap();
    let Content::Shown(p) = &after.content else {
        panic!("figures stay: {after:?}")
    };
    assert!(p.scores[0].figures.is_ok(), "the average stays");
    assert!(
        p.texts.iter().all(|t| t.texts.is_err()),
        "texts go with the entries"
    );
}
