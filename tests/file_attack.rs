//! Someone with a copy of the database file (and its WAL, and its backups)
//! tries to order a day's anonymous entries or tie one to a private entry.
//! They read bytes, not SQL: ids, where each cell sits in its page, WAL
//! frames, the freelist, backups. See README "What the file shows".

#[path = "support/sqlite_file.rs"]
mod sqlite_file;

use chrono::{DateTime, Duration, Local, TimeZone, Utc};
use joy_kiosk::questionnaire::answers::parse_pairs;
use joy_kiosk::questionnaire::{score, Catalog};
use joy_kiosk::store::safety::list_backups;
use joy_kiosk::store::schema::{Step, MIGRATIONS};
use joy_kiosk::store::{backup_dir, NewCheckin, Store};
use sqlite_file::{layout_follows_keys, spearman, write_order, Image};
use std::path::Path;

fn t0() -> DateTime<Utc> {
    Local
        .with_ymd_and_hms(2026, 11, 23, 8, 0, 0)
        .unwrap()
        .with_timezone(&Utc)
}

fn who5(respondent: Option<i64>, done: DateTime<Utc>, n: usize) -> NewCheckin {
    let cat = Catalog::bundled();
    let q = cat.get("who5").unwrap();
    let level = (n % 6).to_string();
    let cheerful = format!("cheerful={level}");
    let a = parse_pairs(
        q,
        [
            cheerful.as_str(),
            "calm=3",
            "active=3",
            "rested=2",
            "interest=2",
        ],
    )
    .unwrap();
    let o = score(q, &a);
    let mut c = NewCheckin::from_outcome(q, &a, &o, respondent, done - Duration::minutes(2), done);
    if respondent.is_none() {
        c.team = Some("Ward 7".into());
    }
    c
}

/// Save `n` check-ins, anonymous and private in turn, a minute apart.
/// Returns (id, anonymous) in the order they were saved.
fn a_shift(store: &mut Store, n: usize) -> Vec<(i64, bool)> {
    let me = store.local_respondent().unwrap();
    (0..n)
        .map(|i| {
            let anonymous = i % 2 == 0;
            let c = who5(
                (!anonymous).then_some(me),
                t0() + Duration::minutes(i as i64),
                i,
            );
            (store.save_checkin(&c).unwrap(), anonymous)
        })
        .collect()
}

fn root(store: &mut Store, name: &str) -> u32 {
    store
        .connection()
        .query_row(
            "SELECT rootpage FROM sqlite_schema WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap()
}

/// The tables and indexes an entry leaves rows in.
const TRACES: [&str; 8] = [
    "checkin",
    "answer",
    "score",
    "series",
    "checkin_by_person",
    "checkin_by_team",
    "checkin_by_team_period",
    "checkin_by_person_time",
];

#[test]
fn no_id_is_the_neighbour_of_another_and_ids_do_not_follow_saving() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("joy.db")).unwrap();
    let saved = a_shift(&mut store, 300);
    let ids: Vec<i64> = saved.iter().map(|s| s.0).collect();
    // `…185` anonymous, `…186` private: a join on id + 1 must find nothing.
    let mut sorted = ids.clone();
    sorted.sort();
    let closest = sorted.windows(2).map(|w| w[1] - w[0]).min().unwrap();
    assert!(
        closest > 1 << 20,
        "two entries have ids {closest} apart: {sorted:?}"
    );
    // Key order (what every page is sorted by) says nothing of save order.
    let rho = spearman(&ids, &sorted);
    assert!(rho.abs() < 0.3, "ids follow the order of saving: rho {rho}");
}

#[test]
fn a_live_day_shows_its_order_and_the_end_of_day_rewrite_erases_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("joy.db");
    let mut store = Store::open(&db).unwrap();
    store.defer_checkpoints().unwrap();
    let saved = a_shift(&mut store, 12);
    let order: Vec<i64> = saved.iter().map(|s| s.0).collect();

    // During the day (what README says a watcher of the live file sees):
    // the cells of the check-in table sit in the order they were saved, in
    // the WAL, one frame per save.
    let live = Image::read(&db);
    assert!(live.wal_frames >= 12, "{} frames", live.wal_frames);
    let leaves = live.leaves(root(&mut store, "checkin"));
    assert_eq!(leaves.len(), 1, "twelve rows fit one page");
    assert_eq!(
        write_order(&leaves[0].1),
        order,
        "the attack reads the live order"
    );

    // The first chores of the next day rewrite the file.
    let report = store
        .end_of_day_in(t0() + Duration::days(1), &Local)
        .unwrap();
    assert!(report.rewritten && report.complete, "{report:?}");
    let after = Image::read(&db);
    assert_eq!(after.wal_bytes, 0, "the WAL is emptied");
    assert_eq!(after.freelist_pages(), 0, "no free pages keep old copies");
    for name in TRACES {
        for (page, cells) in after.leaves(root(&mut store, name)) {
            assert!(
                layout_follows_keys(&cells),
                "{name} page {page}: cells are not in key order: {cells:?}"
            );
        }
    }
    let leaves = after.leaves(root(&mut store, "checkin"));
    let read = write_order(&leaves[0].1);
    assert_ne!(read, order, "the layout still gives the order of saving");
    // Nothing was lost.
    assert_eq!(store.count("checkin").unwrap(), 12);
    assert_eq!(store.count("answer").unwrap(), 60);

    // Once done, the same day is not rewritten again.
    let again = store
        .end_of_day_in(t0() + Duration::days(1) + Duration::hours(1), &Local)
        .unwrap();
    assert!(!again.rewritten, "{again:?}");
}

/// The same entries saved into a new file in another (random) order, then
/// rewritten: the twin a layout is compared with.
fn twin_of(db: &Path, dir: &Path) -> (Store, std::path::PathBuf) {
    let path = dir.join("twin.db");
    let mut twin = Store::open(&path).unwrap();
    let c = twin.connection();
    c.execute("ATTACH DATABASE ?1 AS a", [db.to_string_lossy()])
        .unwrap();
    c.execute_batch(
        "INSERT INTO respondent SELECT * FROM a.respondent WHERE id NOT IN (SELECT id FROM respondent);
         INSERT INTO checkin SELECT * FROM a.checkin ORDER BY random();
         INSERT INTO answer SELECT * FROM a.answer ORDER BY random();
         INSERT INTO score SELECT * FROM a.score ORDER BY random();
         DETACH DATABASE a;",
    )
    .unwrap();
    twin.rewrite().unwrap();
    (twin, path)
}

#[test]
fn a_large_day_spread_over_many_pages_keeps_no_order_after_the_rewrite() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("joy.db");
    let mut store = Store::open(&db).unwrap();
    let saved = a_shift(&mut store, 400);
    let order: Vec<i64> = saved.iter().map(|s| s.0).collect();
    store
        .end_of_day_in(t0() + Duration::days(1), &Local)
        .unwrap();
    let image = Image::read(&db);
    let read: Vec<i64> = image
        .leaves(root(&mut store, "checkin"))
        .iter()
        .flat_map(|(_, cells)| write_order(cells))
        .collect();
    assert_eq!(read.len(), 400);
    let rho = spearman(&read, &order);
    assert!(rho.abs() < 0.3, "pages follow saving: rho {rho}");
    // Every page an entry leaves a trace in is laid out exactly as it is in
    // a file that got the same entries in another order: the layout is a
    // function of the (random) keys alone.
    let (mut twin, twin_path) = twin_of(&db, dir.path());
    let twin_image = Image::read(&twin_path);
    for name in TRACES {
        let mine = image.leaves(root(&mut store, name));
        let theirs = twin_image.leaves(root(&mut twin, name));
        let cells = |v: &[(u32, Vec<sqlite_file::Cell>)]| -> Vec<Vec<sqlite_file::Cell>> {
            v.iter().map(|(_, c)| c.clone()).collect()
        };
        assert!(
            mine.len() > 1 || name.starts_with("checkin_by"),
            "{name}: one page"
        );
        assert_eq!(
            cells(&mine),
            cells(&theirs),
            "{name}: the layout depends on the order of saving"
        );
    }
}

/// A file of schema 4 as the previous version wrote it: sequential ids for
/// private entries, the private one right after an anonymous one.
fn old_file(path: &Path) -> Vec<(i64, Option<i64>)> {
    let c = rusqlite::Connection::open(path).unwrap();
    for step in &MIGRATIONS[..4] {
        let Step::Sql(sql) = step else {
            panic!("the first four migrations are SQL");
        };
        c.execute_batch(sql).unwrap();
    }
    c.pragma_update(None, "user_version", 4).unwrap();
    c.pragma_update(None, "application_id", 0x4A4F_5921)
        .unwrap();
    c.execute(
        "INSERT INTO respondent (id, kind, created_at) VALUES (1, 'local', 0)",
        [],
    )
    .unwrap();
    let mut rows = Vec::new();
    for i in 0..20_i64 {
        let respondent = (i % 2 == 1).then_some(1_i64);
        let id = 1000 + i;
        c.execute(
            "INSERT INTO checkin (id, respondent_id, team, questionnaire_id, questionnaire_version,
                                  file_hash, started_at, completed_at)
             VALUES (?1, ?2, 'Ward 7', 'who5', '1', 'h', ?3, ?3)",
            rusqlite::params![id, respondent, 1_700_000_000_000_i64 + i * 60_000],
        )
        .unwrap();
        c.execute(
            "INSERT INTO answer (checkin_id, question_id, position, value_json, label)
             VALUES (?1, 'cheerful', 0, ?2, '')",
            rusqlite::params![id, i.to_string()],
        )
        .unwrap();
        c.execute(
            "INSERT INTO score (checkin_id, score_id, position, label, raw, value)
             VALUES (?1, 'wellbeing', 0, 'Wellbeing', ?2, ?2)",
            rusqlite::params![id, i as f64],
        )
        .unwrap();
        rows.push((id, respondent));
    }
    rows
}

/// What each entry holds, whatever its id: (respondent, completed_at,
/// answer, score).
fn contents(path: &Path) -> Vec<(Option<i64>, i64, String, f64)> {
    let c = rusqlite::Connection::open(path).unwrap();
    let mut st = c
        .prepare(
            "SELECT c.respondent_id, c.completed_at, a.value_json, s.value
             FROM checkin c JOIN answer a ON a.checkin_id = c.id JOIN score s ON s.checkin_id = c.id
             ORDER BY a.value_json",
        )
        .unwrap();
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn ids(path: &Path) -> Vec<i64> {
    let c = rusqlite::Connection::open(path).unwrap();
    let mut st = c.prepare("SELECT id FROM checkin").unwrap();
    st.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn the_migration_rekeys_the_file_and_scrubs_its_backups() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("joy.db");
    let old = old_file(&db);
    let before = contents(&db);
    let backups = backup_dir(&db);
    std::fs::create_dir_all(&backups).unwrap();
    let copy = backups.join("joy-backup-20261120T030000.000Z.db");
    std::fs::copy(&db, &copy).unwrap();

    let mut store = Store::open(&db).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        MIGRATIONS.len() as i64,
        "migrated"
    );
    drop(store);
    for file in [db.clone(), copy.clone()] {
        let now = ids(&file);
        assert_eq!(now.len(), old.len(), "{}", file.display());
        for (id, _) in &old {
            assert!(!now.contains(id), "{}: old id {id} kept", file.display());
        }
        let mut sorted = now.clone();
        sorted.sort();
        let closest = sorted.windows(2).map(|w| w[1] - w[0]).min().unwrap();
        assert!(closest > 1 << 20, "{}: ids {sorted:?}", file.display());
        assert_eq!(contents(&file), before, "{}: nothing lost", file.display());
        let image = Image::read(&file);
        assert_eq!(image.wal_bytes, 0, "{}", file.display());
        assert_eq!(image.freelist_pages(), 0, "{}", file.display());
    }
    // The scrubbed backup is still one file a restore accepts.
    assert_eq!(list_backups(&backups).unwrap(), vec![copy.clone()]);
    assert!(!backups
        .join("joy-backup-20261120T030000.000Z.db-wal")
        .exists());
    let mut store = Store::open(&db).unwrap();
    store.restore_from(&copy, Utc::now()).unwrap();
    assert_eq!(store.count("checkin").unwrap(), 20);
}

#[test]
fn the_personal_app_rewrites_on_its_first_tick_of_a_new_day() {
    use joy_kiosk::app::runner::dispatch;
    use joy_kiosk::app::{Action, State};
    use joy_kiosk::store::layout::ORDER_FREE_SETTING;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("joy.db");
    let mut store = Store::open(&db).unwrap();
    store.defer_checkpoints().unwrap();
    // A team reflection and private check-ins, saved yesterday.
    a_shift(&mut store, 6);
    assert!(Image::read(&db).wal_frames > 0);
    let me = store.local_respondent().unwrap();
    let today = t0() + Duration::days(1);
    let mut state = State::new(
        Catalog::bundled()
            .entries
            .into_iter()
            .map(|e| e.questionnaire)
            .collect(),
        Some(me),
        today,
    );
    dispatch(&mut state, &mut store, Action::Tick, today);
    let day = today.with_timezone(&Local).format("%Y-%m-%d").to_string();
    assert_eq!(store.setting(ORDER_FREE_SETTING).unwrap(), Some(day));
    let image = Image::read(&db);
    assert_eq!(image.wal_bytes, 0);
    for name in TRACES {
        for (page, cells) in image.leaves(root(&mut store, name)) {
            assert!(layout_follows_keys(&cells), "{name} page {page}");
        }
    }
}

/// A kiosk killed mid-day (its terminal closed) leaves its log on disk;
/// the next app to open the file copies it back and empties it when idle.
#[test]
fn a_log_left_by_a_killed_process_is_emptied_at_the_next_open() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("joy.db");
    let mut store = Store::open(&db).unwrap();
    store.defer_checkpoints().unwrap();
    a_shift(&mut store, 6);
    // As if killed: the connection is never closed.
    std::mem::forget(store);
    assert!(Image::read(&db).wal_bytes > 0);
    let mut again = Store::open(&db).unwrap();
    // The app checkpoints when idle, after its first frame.
    assert!(again.checkpoint_idle());
    assert_eq!(Image::read(&db).wal_bytes, 0);
    assert_eq!(again.count("checkin").unwrap(), 6, "nothing lost");
}
