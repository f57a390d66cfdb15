//! What the kiosk keeps: anonymous entries without time or order, PIN
//! holders, lockouts, the admin PIN, retention and the daily chores.

use chrono::{DateTime, Duration, Local, TimeZone, Utc};
use joy_kiosk::kiosk::{self, anonymous_stamp, secret, Lockout, ADMIN_KEY, LOCK_FOR};
use joy_kiosk::model::{PinTarget, StoredSecret};
use joy_kiosk::questionnaire::answers::parse_pairs;
use joy_kiosk::questionnaire::{score, Catalog};
use joy_kiosk::store::kiosk::{DayJobs, KioskCounts, CHORES_DATE_SETTING};
use joy_kiosk::store::safety::{list_backups, KEEP_BACKUPS};
use joy_kiosk::store::{backup_dir, NewCheckin, Store};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap()
}

/// A WHO-5 check-in (five answers, scores) completed at `done`.
fn who5(respondent: Option<i64>, done: DateTime<Utc>) -> NewCheckin {
    let cat = Catalog::bundled();
    let q = cat.get("who5").unwrap();
    let a = parse_pairs(
        q,
        ["cheerful=3", "calm=3", "active=3", "rested=2", "interest=2"],
    )
    .unwrap();
    let o = score(q, &a);
    NewCheckin::from_outcome(q, &a, &o, respondent, done - Duration::minutes(3), done)
}

fn rows(store: &mut Store) -> Vec<(i64, Option<i64>, i64, i64)> {
    let c = store.connection();
    let mut st = c
        .prepare("SELECT id, respondent_id, started_at, completed_at FROM checkin")
        .unwrap();
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// The holder of `code` in `store`, found by its tag.
fn found(store: &mut Store, code: &str) -> Option<(i64, StoredSecret)> {
    let salt = store.code_salt().unwrap();
    let tag = secret::code_tag(code, &salt).unwrap();
    store.holder_by_tag(&tag).unwrap()
}

/// A code holder with the PIN 246813, made as the kiosk makes one.
fn holder(store: &mut Store, code: &str, at: DateTime<Utc>) -> i64 {
    let salt = store.code_salt().unwrap();
    let (new, _) = secret::make_holder(code, "246813", &salt).unwrap();
    store.create_pin_holder(&new, at).unwrap().unwrap()
}

#[test]
fn anonymous_entries_keep_only_their_date_and_get_random_ids() {
    let mut store = Store::open_in_memory().unwrap();
    let mut ids = Vec::new();
    let mut times = Vec::new();
    for i in 0..30 {
        let done = t0() + Duration::minutes(7 * i);
        let mut c = who5(None, done);
        c.team = Some("Nights".into());
        ids.push(store.save_checkin(&c).unwrap());
        times.push(done);
    }
    let stored = rows(&mut store);
    assert_eq!(stored.len(), 30);
    for (id, respondent, started, completed) in &stored {
        assert!(*id > 0, "{id}");
        assert_eq!(*respondent, None);
        assert_eq!(started, completed, "no duration is kept");
        let t = Utc.timestamp_millis_opt(*completed).unwrap();
        assert_eq!(t.time(), chrono::NaiveTime::MIN, "midnight only: {t}");
    }
    for (id, done) in ids.iter().zip(&times) {
        let (_, _, _, completed) = stored.iter().find(|r| r.0 == *id).unwrap();
        assert_eq!(
            *completed,
            anonymous_stamp(*done, &Local).timestamp_millis()
        );
    }
    // Neither the ids nor the table's own order follow the order of saving.
    assert!(ids.windows(2).any(|w| w[0] > w[1]), "{ids:?}");
    let table_order: Vec<i64> = stored.iter().map(|r| r.0).collect();
    assert_ne!(table_order, ids);
    // Answers and scores were saved with them.
    let answers: i64 = store
        .connection()
        .query_row("SELECT count(*) FROM answer", [], |r| r.get(0))
        .unwrap();
    assert_eq!(answers, 30 * 5);

    // A personal check-in keeps its real times and respondent.
    let me = store.local_respondent().unwrap();
    let done = t0() + Duration::minutes(3);
    let id = store.save_checkin(&who5(Some(me), done)).unwrap();
    let rec = store.checkin(id).unwrap().unwrap();
    assert_eq!(rec.completed_at, done);
    assert_eq!(rec.started_at, done - Duration::minutes(3));
    assert_eq!(
        store.history(Some(me), None).unwrap().len(),
        1,
        "anonymous entries are nobody's history"
    );
}

#[test]
fn pin_holders_are_found_by_the_tag_of_their_code_as_typed() {
    let mut store = Store::open_in_memory().unwrap();
    let salt = store.code_salt().unwrap();
    let (new, _) = secret::make_holder("maple-otter-42", "246813", &salt).unwrap();
    let id = store
        .create_pin_holder(&new, t0())
        .unwrap()
        .expect("a free code");
    let (again, _) =
        secret::make_holder(&secret::tag_text("Maple Otter 42"), "903172", &salt).unwrap();
    assert_eq!(
        store.create_pin_holder(&again, t0()).unwrap(),
        None,
        "taken"
    );
    let tag = |typed: &str| secret::code_tag(&secret::tag_text(typed), &salt).unwrap();
    let (found, stored) = store
        .holder_by_tag(&tag("  MAPLE_otter 42"))
        .unwrap()
        .unwrap();
    assert_eq!(found, id);
    let StoredSecret::Sealed {
        salt: key_salt,
        check,
    } = stored
    else {
        panic!("a new holder's history is sealed");
    };
    let key = secret::history_key("maple-otter-42", "246813", &key_salt).unwrap();
    assert!(secret::key_fits(&key, &check));
    assert_eq!(store.holder_by_tag(&tag("maple-otter-43")).unwrap(), None);
    assert_eq!(store.holder_by_tag(&tag("???")).unwrap(), None);
    // Neither the code nor the PIN is kept, in clear or as a hash of it.
    let kept: String = store
        .connection()
        .query_row(
            "SELECT group_concat(coalesce(secret_hash, '') || coalesce(code, '') || hex(code_tag)) FROM respondent",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        !kept.contains("maple") && !kept.contains("246813"),
        "{kept}"
    );
    let free = store.suggest_free_code(3).unwrap();
    assert_eq!(store.holder_by_tag(&tag(&free)).unwrap(), None);
    assert_eq!(free.split('-').count(), 4, "{free}");
    // A PIN holder's check-ins are theirs, with real times.
    let done = t0() + Duration::minutes(5);
    store.save_checkin(&who5(Some(id), done)).unwrap();
    let h = store.history(Some(id), None).unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].completed_at, done);
}

#[test]
fn lockouts_and_the_admin_pin_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiosk.db");
    let key = secret::lockout_key(&[7u8; 32]);
    let mut l = Lockout::default();
    for i in 0..5 {
        l = l.after_failure(t0() + Duration::seconds(i));
    }
    assert!(l.is_locked(t0() + Duration::seconds(5)));
    {
        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.lockout(&key).unwrap(), Lockout::default());
        store.save_lockout(&key, &l).unwrap();
        store
            .save_lockout(ADMIN_KEY, &Lockout::default().after_failure(t0()))
            .unwrap();
        assert_eq!(store.admin_pin_hash().unwrap(), None);
    }
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.lockout(&key).unwrap(), l);
    assert_eq!(store.lockout(ADMIN_KEY).unwrap().failures, 1);
    // No typed code is kept in clear.
    let keys: String = store
        .connection()
        .query_row("SELECT group_concat(key) FROM pin_lockout", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(!keys.contains("maple"), "{keys}");
    // Setting the admin PIN stores its hash and lifts the admin lockout.
    let hash = kiosk::hash_pin("13579").unwrap();
    store.set_admin_pin_hash(&hash).unwrap();
    assert_eq!(
        store.admin_pin_hash().unwrap().as_deref(),
        Some(hash.as_str())
    );
    assert_eq!(store.lockout(ADMIN_KEY).unwrap(), Lockout::default());
    // Clearing: while the lock is in force it stays, then it goes.
    assert_eq!(
        store
            .clear_expired_lockouts(t0() + Duration::minutes(1))
            .unwrap(),
        0
    );
    assert_eq!(store.lockout(&key).unwrap(), l);
    assert_eq!(
        store
            .clear_expired_lockouts(t0() + LOCK_FOR + Duration::seconds(4))
            .unwrap(),
        1
    );
    assert_eq!(store.lockout(&key).unwrap(), Lockout::default());
    // A clear lockout removes its row.
    store
        .save_lockout(&key, &Lockout::default().after_failure(t0()))
        .unwrap();
    store.save_lockout(&key, &Lockout::default()).unwrap();
    let n: i64 = store
        .connection()
        .query_row("SELECT count(*) FROM pin_lockout", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
    store.set_setting("x", "1").unwrap();
    store.set_setting("x", "2").unwrap();
    assert_eq!(store.setting("x").unwrap().as_deref(), Some("2"));
    assert_eq!(store.setting("y").unwrap(), None);
}

#[test]
fn purging_deletes_old_entries_with_their_answers_and_scores() {
    let mut store = Store::open_in_memory().unwrap();
    let secure: i64 = store
        .connection()
        .query_row("PRAGMA secure_delete", [], |r| r.get(0))
        .unwrap();
    assert_eq!(secure, 1, "deleted data is overwritten");
    let me = store.local_respondent().unwrap();
    let old_holder = holder(&mut store, "old-code-11", t0() - Duration::days(400));
    let busy_holder = holder(&mut store, "busy-code-22", t0() - Duration::days(400));
    let new_holder = holder(&mut store, "new-code-33", t0() - Duration::days(2));
    for days in [500, 366, 364, 10, 0] {
        let at = t0() - Duration::days(days);
        store.save_checkin(&who5(Some(me), at)).unwrap();
        store.save_checkin(&who5(None, at)).unwrap();
        store.save_checkin(&who5(Some(old_holder), at)).unwrap();
    }
    store.save_checkin(&who5(Some(busy_holder), t0())).unwrap();
    let cutoff = kiosk::retention_cutoff(t0(), 365);
    assert_eq!(store.purge_before(cutoff).unwrap(), 6);
    assert_eq!(store.count("checkin").unwrap(), 9 + 1);
    assert_eq!(
        store.count("answer").unwrap(),
        10 * 5,
        "answers went with their check-ins"
    );
    let per = who5(None, t0()).scores.len() as i64;
    assert!(per > 0);
    assert_eq!(
        store.count("score").unwrap(),
        10 * per,
        "scores went with their check-ins"
    );
    let oldest: i64 = store
        .connection()
        .query_row("SELECT min(completed_at) FROM checkin", [], |r| r.get(0))
        .unwrap();
    assert!(
        oldest >= cutoff.timestamp_millis() - 86_400_000,
        "only the anonymous midnight stamp may be earlier than the cutoff by under a day"
    );
    // A code with check-ins left, or made recently, stays.
    assert!(found(&mut store, "old-code-11").is_some());
    assert!(found(&mut store, "busy-code-22").is_some());
    assert!(found(&mut store, "new-code-33").map(|p| p.0) == Some(new_holder));
    // Once all its entries have gone, a code made before the cutoff goes too.
    assert_eq!(store.purge_before(t0() + Duration::days(1)).unwrap(), 10);
    assert!(found(&mut store, "old-code-11").is_none());
    assert!(found(&mut store, "busy-code-22").is_none());
    assert!(found(&mut store, "new-code-33").is_none());
    assert_eq!(
        store.count("answer").unwrap() + store.count("score").unwrap(),
        0
    );
}

#[test]
fn daily_chores_run_once_a_day_purge_and_keep_seven_backups() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiosk.db");
    let mut store = Store::open(&path).unwrap();
    let me = store.local_respondent().unwrap();
    store
        .save_checkin(&who5(Some(me), t0() - Duration::days(40)))
        .unwrap();
    store
        .save_checkin(&who5(Some(me), t0() - Duration::days(5)))
        .unwrap();
    store
        .save_lockout("admin", &Lockout::default().after_failure(t0()))
        .unwrap();

    let first = store
        .kiosk_daily_in(t0(), &DayJobs::retention(30), &Utc)
        .unwrap()
        .expect("first run");
    assert_eq!(first.date, t0().date_naive());
    assert_eq!(first.purged, 1);
    assert_eq!(first.lockouts_cleared, 1);
    assert_eq!(first.backup_error, None);
    let b = first.backup.expect("a backup");
    assert!(b.starts_with(backup_dir(&path)) && b.exists(), "{b:?}");
    assert_eq!(
        store.setting(CHORES_DATE_SETTING).unwrap().as_deref(),
        Some("2026-11-22")
    );
    // The rest of the day: nothing more.
    for h in [1, 5, 14] {
        assert_eq!(
            store
                .kiosk_daily_in(t0() + Duration::hours(h), &DayJobs::retention(30), &Utc)
                .unwrap(),
            None
        );
    }
    assert_eq!(list_backups(&backup_dir(&path)).unwrap().len(), 1);
    // Ten more days, a few ticks each: one run a day, seven backups kept,
    // and the five-day-old entry goes once it is 30 days old.
    let mut runs = 0;
    let mut purged = 0;
    for day in 1..=30 {
        for h in [0, 6, 12] {
            let now = t0() + Duration::days(day) + Duration::hours(h);
            if let Some(r) = store
                .kiosk_daily_in(now, &DayJobs::retention(30), &Utc)
                .unwrap()
            {
                runs += 1;
                purged += r.purged;
                assert!(r.backup.is_some() && r.backup_error.is_none(), "{r:?}");
            }
        }
    }
    assert_eq!(runs, 30);
    assert_eq!(purged, 1);
    assert_eq!(store.count("checkin").unwrap(), 0);
    let kept = list_backups(&backup_dir(&path)).unwrap();
    assert_eq!(kept.len(), KEEP_BACKUPS);
    assert!(
        kept.last().unwrap().to_string_lossy().contains("20261222T"),
        "{kept:?}"
    );
    // A clock set back a day runs them again (for that day).
    assert!(store
        .kiosk_daily_in(t0() + Duration::days(29), &DayJobs::retention(30), &Utc)
        .unwrap()
        .is_some());
    // In memory: chores without a backup.
    let mut mem = Store::open_in_memory().unwrap();
    let r = mem
        .kiosk_daily(t0(), &DayJobs::retention(365))
        .unwrap()
        .unwrap();
    assert_eq!((r.backup, r.backup_error), (None, None));
}

#[test]
fn counts_for_the_admin_screen() {
    let mut store = Store::open_in_memory().unwrap();
    let empty = store.kiosk_counts(t0()).unwrap();
    assert_eq!(
        empty,
        KioskCounts {
            period_kind: empty.period_kind,
            time_zone: empty.time_zone.clone(),
            next_release: empty.next_release,
            ..KioskCounts::default()
        }
    );
    let holder = self::holder(&mut store, "maple-otter-42", t0());
    self::holder(&mut store, "cedar-owl-07", t0());
    for i in 0..3 {
        store
            .save_checkin(&who5(None, t0() + Duration::hours(i)))
            .unwrap();
    }
    store
        .save_checkin(&who5(Some(holder), t0() - Duration::days(3)))
        .unwrap();
    let mut reflection = who5(None, t0());
    reflection.team = Some("Nights".into());
    reflection.period = Some("2026-W47".into());
    store.save_checkin(&reflection).unwrap();
    store
        .connection()
        .execute(
            "INSERT INTO team_action (team, action, created_on, updated_on) VALUES ('Nights', 'Fix the rota board', '2026-11-22', '2026-11-22')",
            [],
        )
        .unwrap();
    // Five wrong PINs for a code nobody holds, and five for the admin.
    store
        .set_admin_pin_hash(&kiosk::hash_pin("975318").unwrap())
        .unwrap();
    let tag = [5u8; 32];
    for i in 0..5 {
        let at = t0() + Duration::seconds(i);
        store
            .pin_attempt(
                &secret::lockout_key(&tag),
                PinTarget::Holder(&tag),
                at,
                |_| false,
            )
            .unwrap();
        store
            .pin_attempt(ADMIN_KEY, PinTarget::Admin, at, |_| false)
            .unwrap();
    }
    let counts = store.kiosk_counts(t0() + Duration::seconds(5)).unwrap();
    assert_eq!(
        counts,
        KioskCounts {
            anonymous: 3,
            pin_checkins: 1,
            personal_codes: 2,
            team_reflections: 1,
            actions: 1,
            oldest: Some((t0() - Duration::days(3)).date_naive()),
            locked_codes: 1,
            admin_lockouts: 1,
            admin_last_lockout: Some(t0() + Duration::seconds(4)),
            ..counts.clone()
        }
    );
    // The ward's rules and releases, for the admin.
    assert_eq!(counts.period_kind, "week");
    assert_eq!(counts.last_release, None);
    assert!(counts.next_release.is_some());
    // Lifting the code locks leaves the admin's; the count is history.
    // One wrong PIN for another code: counted, not locked.
    let other = [6u8; 32];
    store
        .pin_attempt(
            &secret::lockout_key(&other),
            PinTarget::Holder(&other),
            t0(),
            |_| false,
        )
        .unwrap();
    assert_eq!(
        store
            .lift_code_lockouts(t0() + Duration::seconds(5))
            .unwrap(),
        1,
        "only locks in force are counted as lifted"
    );
    assert_eq!(
        store.lockout(&secret::lockout_key(&other)).unwrap(),
        Lockout::default()
    );
    let after = store.kiosk_counts(t0() + Duration::seconds(5)).unwrap();
    assert_eq!((after.locked_codes, after.admin_lockouts), (0, 1));
    assert!(store
        .lockout(ADMIN_KEY)
        .unwrap()
        .is_locked(t0() + Duration::seconds(5)));
    // A lock that has ended is not counted as locked now.
    let later = store.kiosk_counts(t0() + Duration::hours(1)).unwrap();
    assert_eq!(later.locked_codes, 0);
}

/// Two terminals on one file, wrong PINs for one code at the same moment:
/// each attempt is one transaction, so every failure is counted and the
/// fifth locks the code (checked, verified and counted separately, two
/// terminals read the same count and one failure was lost).
#[test]
fn wrong_pins_from_two_terminals_at_once_are_all_counted() {
    use joy_kiosk::app::kiosk::{KioskConfig, PinAnswer};
    use joy_kiosk::app::runner::{perform, Scope};
    use joy_kiosk::app::{Effect, Loaded, State};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let now = Utc::now();
    let code = {
        let mut s = Store::open(&db).unwrap();
        let code = s.suggest_free_code(2).unwrap();
        holder(&mut s, &code, now);
        code
    };
    let scope = Scope::of(&State::kiosk(Vec::new(), KioskConfig::default(), now));
    let attempt = |store: &mut Store, pin: &str| {
        let effect = Effect::SignIn {
            code: code.clone(),
            pin: pin.into(),
        };
        match perform(&scope, store, effect, now) {
            Some(Loaded::Pin(answer)) => answer,
            other => panic!("{other:?}"),
        }
    };
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                let mut store = Store::open(&db).unwrap();
                for _ in 0..2 {
                    assert_eq!(attempt(&mut store, "000000"), PinAnswer::NoMatch);
                }
            });
        }
    });
    let mut store = Store::open(&db).unwrap();
    let salt = store.code_salt().unwrap();
    let key = secret::lockout_key(&secret::code_tags(&code, &salt).unwrap().lock);
    assert_eq!(store.lockout(&key).unwrap().failures, 4);
    assert!(matches!(
        attempt(&mut store, "000000"),
        PinAnswer::Locked(_)
    ));
    // Locked means locked: the right PIN is refused too, for now.
    assert!(matches!(
        attempt(&mut store, "246813"),
        PinAnswer::Locked(_)
    ));
}
