//! A ward's released huddle read from the server at 10 million
//! reflections (issue 17, §5), as the huddle role reads it: the ward's
//! teams, a team's questionnaires and released periods, the huddle of the
//! last released week (with the trend of the weeks before), the team's
//! actions, and the ward view of that week. Then the plans (`EXPLAIN`) of
//! the statements behind those reads: none may scan the entries.
//!
//! `scripts/with-postgres cargo bench --bench server_reads`
//! (`JOY_BENCH_ENTRIES` sets the number of entries, 10,000,000 by default).
//!
//! The recent weeks are real reflections, submitted and released as a
//! ward's would be. The old ones are made in the server by SQL (copies of
//! a real entry's answers over ten years of weeks, with their releases
//! copied from a real one): the reads never open them, so what matters is
//! that they are there, in the tables and indexes the reads use.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use joy_kiosk::anonymity::Thresholds;
use joy_kiosk::demo::Rng;
use joy_kiosk::period::{Period, PeriodKind};
use joy_kiosk::questionnaire::Catalog;
use joy_kiosk::reflection_gen;
use joy_kiosk::store::outbox::OutboxEntry;
use joy_kiosk::store::pg::PgStore;
use joy_kiosk::store::TeamStore;
use std::time::Instant;

mod support;

const TEAMS: [&str; 5] = ["Ward 7", "Theatres", "Nights", "Days", "Outpatients"];

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let total: i64 = std::env::var("JOY_BENCH_ENTRIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000_000);
    let (conn, name, as_user) = support::fresh_database("server_reads", "joy_reads");
    let huddle_conn = as_user(&format!("{name}_h"));
    let mut admin = PgStore::init(&conn, &name).expect("init");
    let mut db = postgres::Client::connect(&conn, postgres::NoTls).expect("connect");
    db.batch_execute(&format!("CREATE ROLE {name}_h LOGIN IN ROLE {name}_huddle"))
        .expect("a huddle login");
    admin
        .set_time_zone(chrono_tz::Europe::London)
        .expect("zone");

    // Three recent weeks of real reflections, 30 a team a week, released.
    let cat = Catalog::bundled();
    let q = cat.get("team-reflection").expect("bundled").clone();
    let mut rng = Rng::new(5);
    let first = NaiveDate::from_ymd_opt(2026, 11, 2).expect("a Monday");
    let mut n = 0i64;
    for week in 0..3 {
        let mut day = Vec::new();
        for team in TEAMS {
            for i in 0..30 {
                let a = reflection_gen::answers(&q, rng.unit(), &mut rng, |_| {
                    "a made-up reflection for the bench".to_string()
                });
                let on = first + Duration::days(week * 7 + i % 5);
                let c = reflection_gen::checkin(&q, &a, team, PeriodKind::Week, on);
                n += 1;
                day.push((n, OutboxEntry::of(&c, c.completed_at)));
            }
        }
        admin.submit_day(&day).expect("submit");
    }
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap();
    let offered = vec![q.clone()];
    let report = admin
        .release_closed(now, &offered, Thresholds::new(5, 5))
        .expect("release");
    assert_eq!(report.released.len(), 3 * TEAMS.len(), "{report:?}");
    assert_eq!(report.ward_totals, 3, "{report:?}");

    // Ten years of older weeks, made in the server.
    let t = Instant::now();
    db.batch_execute(&format!(
        "INSERT INTO entry (id, team, questionnaire_id, version, file_hash, period, completed_on,
                            is_demo, answers, scores, filed_late)
         SELECT 1000000 + g,
                (ARRAY['Ward 7','Theatres','Nights','Days','Outpatients'])[1 + g % 5],
                s.questionnaire_id, s.version, s.file_hash,
                to_char(d, 'IYYY') || '-W' || to_char(d, 'IW'), d, false,
                s.answers, s.scores, false
         FROM generate_series(1, {total}) g,
              LATERAL (SELECT date '2016-10-31' + ((g / 5) % 3640)::int AS d) dd,
              (SELECT * FROM entry LIMIT 1) s;
         INSERT INTO team_release (team, questionnaire_id, period, released_on, reflections, figures, texts)
         SELECT DISTINCT e.team, e.questionnaire_id, e.period, date '2026-11-01', 0, r.figures, r.texts
         FROM entry e, (SELECT figures, texts FROM team_release WHERE team <> '' LIMIT 1) r
         WHERE e.id >= 1000000
         ON CONFLICT DO NOTHING;
         INSERT INTO team_release (team, questionnaire_id, period, released_on, reflections, figures, texts)
         SELECT DISTINCT '', e.questionnaire_id, e.period, date '2026-11-01', 0, r.figures, r.texts
         FROM entry e, (SELECT figures, texts FROM team_release WHERE team = '' LIMIT 1) r
         WHERE e.id >= 1000000
         ON CONFLICT DO NOTHING;"
    ))
    .expect("the old weeks");
    db.batch_execute("VACUUM ANALYZE").expect("vacuum");
    let entries: i64 = db
        .query_one("SELECT count(*) FROM entry", &[])
        .expect("count")
        .get(0);
    let releases: i64 = db
        .query_one("SELECT count(*) FROM team_release", &[])
        .expect("count")
        .get(0);
    eprintln!(
        "{entries} entries and {releases} releases made in {:.0} s",
        t.elapsed().as_secs_f64()
    );

    // The huddle role's reads, as `joy huddle --server` makes them.
    let mut h = PgStore::connect(huddle_conn.as_str()).expect("the huddle role");
    let week = Period::containing(PeriodKind::Week, first + Duration::days(14));
    let mut times = Vec::new();
    for i in 0..200 {
        let team = TEAMS[i % TEAMS.len()];
        let t = Instant::now();
        let teams = h.teams(None).expect("teams");
        assert_eq!(teams.len(), TEAMS.len());
        let qs = h.team_questionnaires(team).expect("questionnaires");
        assert_eq!(qs, vec![q.id.clone()]);
        let periods = h.released_periods(team).expect("periods");
        assert!(periods.len() > 500);
        let view = joy_kiosk::team_view::huddle(&mut h, &q, team, week, Thresholds::new(5, 5))
            .expect("the huddle");
        assert!(matches!(view.content, joy_kiosk::huddle::Content::Shown(_)));
        h.actions(Some(team)).expect("actions");
        let w = h.ward_period(team, &q.id, week).expect("the ward view");
        assert!(w.total.is_some() && w.teams.len() == TEAMS.len());
        times.push(t.elapsed());
    }
    times.sort();
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    println!(
        "server_reads: a ward's released huddle at {entries} entries ({releases} releases), as the huddle role: median {:.2} ms, p95 {:.2} ms, max {:.2} ms (200 reads)",
        ms(times[times.len() / 2]),
        ms(times[times.len() * 95 / 100]),
        ms(times[times.len() - 1])
    );

    // The plans of the statements behind those reads.
    let p = week.to_string();
    let statements = [
        "SELECT team FROM team_questionnaire UNION SELECT team FROM team_action ORDER BY 1".to_string(),
        "SELECT questionnaire_id FROM team_questionnaire WHERE team = 'Nights' ORDER BY 1".to_string(),
        format!("SELECT count(*) FROM entry WHERE team = 'Nights' AND questionnaire_id = 'team-reflection' AND period = '{p}'"),
        "SELECT period FROM team_release WHERE team = 'Nights' AND questionnaire_id = 'team-reflection'".to_string(),
        format!("SELECT period, figures, texts FROM team_release WHERE team = 'Nights' AND questionnaire_id = 'team-reflection' AND period = ANY(ARRAY['{p}'])"),
        format!("SELECT team, figures, texts FROM team_release WHERE questionnaire_id = 'team-reflection' AND period = '{p}'"),
    ];
    let mut scans = 0;
    for sql in &statements {
        let plan: Vec<String> = db
            .query(&format!("EXPLAIN {sql}"), &[])
            .expect("explain")
            .iter()
            .map(|r| r.get(0))
            .collect();
        println!("\nEXPLAIN {sql}\n  {}", plan.join("\n  "));
        if plan.iter().any(|l| l.contains("Seq Scan on entry")) {
            scans += 1;
        }
    }
    assert_eq!(scans, 0, "a read scans the entries");
}
