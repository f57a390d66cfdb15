//! Someone holding a copy of a kiosk's database tries to read a private
//! history: the code, the PIN, the answers, the scores, the trend rows.
//! And a holder made before histories were sealed signs in: their history
//! is sealed then, under a new PIN of at least 6 digits. See README, "What
//! the PIN protects".

mod common;

use common::App;
use joy_kiosk::app::kiosk::{PinPurpose, PinStep};
use joy_kiosk::app::{Action, Screen};
use joy_kiosk::store::schema::MIGRATIONS;
use joy_kiosk::store::{NewCheckin, Store, TerminalStore};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use sha2::{Digest, Sha256};
use std::path::Path;

/// Every byte an attacker with a copy of the files has: the database and
/// its write-ahead log.
fn file_bytes(db: &Path) -> Vec<u8> {
    let mut all = std::fs::read(db).unwrap();
    all.extend(std::fs::read(db.with_extension("db-wal")).unwrap_or_default());
    all
}

/// The file's bytes as they would be without its kept questionnaire
/// definitions: a copy, those rows deleted, rewritten whole.
fn bytes_without_definitions(db: &Path) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.db");
    let clean = dir.path().join("clean.db");
    let src = rusqlite::Connection::open(db).unwrap();
    src.execute("VACUUM INTO ?1", [copy.to_str().unwrap()])
        .unwrap();
    let c = rusqlite::Connection::open(&copy).unwrap();
    c.execute("DELETE FROM questionnaire_def", []).unwrap();
    c.execute("VACUUM INTO ?1", [clean.to_str().unwrap()])
        .unwrap();
    std::fs::read(&clean).unwrap()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn type_str(app: &mut App, s: &str) {
    for c in s.chars() {
        app.act_after(
            600,
            Action::Edit(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
    }
}

fn kiosk_on(db: &Path) -> App {
    let mut app = App::kiosk();
    app.store = Store::open(db).unwrap();
    app
}

/// A WHO-5 check-in from a signed-in holder's home screen, all "All of the
/// time" (the top answer).
fn holder_checks_in(app: &mut App) {
    assert_eq!(app.state.screen, Screen::Home);
    app.select("who5");
    app.act(Action::Confirm);
    assert_eq!(app.state.screen, Screen::Question, "{:?}", app.state.status);
    for _ in 0..5 {
        app.act(Action::Pick(0));
    }
    app.act(Action::Save);
    assert_eq!(app.state.screen, Screen::Result);
}

#[test]
fn a_stolen_file_holds_no_code_pin_answer_or_score_of_a_private_history() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let mut app = kiosk_on(&db);
    // Make a private code on the screens, with PIN 480261.
    let n = app.state.questionnaires.len();
    app.act(Action::Pick(n + 1));
    assert_eq!(app.state.screen, Screen::Pin);
    let code = app.state.session.pin.as_ref().unwrap().code.clone();
    assert!(code.contains('-'), "{code}");
    app.act(Action::Confirm);
    type_str(&mut app, "480261");
    app.act(Action::Confirm);
    type_str(&mut app, "480261");
    app.act(Action::Confirm);
    assert_eq!(app.state.screen, Screen::Home, "{:?}", app.state.status);
    let me = app.state.session.respondent.unwrap();
    let key = app
        .state
        .session
        .key
        .clone()
        .expect("a sealed history's key");
    holder_checks_in(&mut app);
    // Wrong PINs typed for the code and for a typo of it.
    app.act(Action::Back);
    app.act_after(120_000, Action::Tick);
    assert_eq!(app.state.screen, Screen::Welcome);

    // The app reads it back with the key...
    let mine = TerminalStore::history_page(
        &mut app.store,
        &joy_kiosk::model::HistoryQuery {
            respondent: me,
            key: Some(key.clone()),
            questionnaire: None,
            search: None,
            from: joy_kiosk::model::PageFrom::Newest,
            limit: 10,
        },
    );
    let rows = mine.unwrap().rows;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].value, Some(100.0), "the score, opened with the key");
    let points =
        TerminalStore::series(&mut app.store, me, Some(&key), "who5", "wellbeing", None).unwrap();
    assert_eq!(points.len(), 1);

    // ...and nothing of it is in clear in the file.
    let c = app.store.connection();
    let clear: i64 = c
        .query_row(
            "SELECT (SELECT count(*) FROM answer a JOIN checkin k ON k.id = a.checkin_id WHERE k.respondent_id = ?1)
                  + (SELECT count(*) FROM score s JOIN checkin k ON k.id = s.checkin_id WHERE k.respondent_id = ?1)
                  + (SELECT count(*) FROM series WHERE respondent_id = ?1)",
            [me],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(clear, 0, "no answer, score or trend row in clear");
    let code_kept: Option<String> = c
        .query_row("SELECT code FROM respondent WHERE id = ?1", [me], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(code_kept, None);
    drop(app);
    let bytes = file_bytes(&db);
    assert!(
        !contains(&bytes, code.as_bytes()),
        "the code is in the file"
    );
    assert!(!contains(&bytes, b"480261"), "the PIN is in the file");
    // The questionnaire's own text is kept (`questionnaire_def`: the
    // questionnaire as answered, public and the same for everyone), so the
    // answer's label is looked for everywhere else.
    let rest = bytes_without_definitions(&db);
    assert!(
        !contains(&rest, b"All of the time"),
        "an answer is in the file"
    );
    assert!(
        contains(&bytes, b"All of the time"),
        "the definition is kept"
    );
    let fast: String = Sha256::digest(code.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(
        !contains(&bytes, fast.as_bytes()),
        "a fast hash of the code"
    );
    assert!(!contains(&bytes, &Sha256::digest(code.as_bytes())));
}

/// A file of schema 5 with a holder as the previous version made them: the
/// code in clear, an argon2id hash of a 4-digit PIN, answers in clear.
fn old_kiosk(path: &Path) -> i64 {
    let c = rusqlite::Connection::open(path).unwrap();
    for step in &MIGRATIONS[..5] {
        step.apply(&c).unwrap();
    }
    c.pragma_update(None, "user_version", 5).unwrap();
    c.pragma_update(None, "application_id", 0x4A4F_5921)
        .unwrap();
    let hash = joy_kiosk::kiosk::hash_pin("2468").unwrap();
    c.execute(
        "INSERT INTO respondent (id, kind, secret_hash, code, created_at)
         VALUES (7, 'pin', ?1, 'maple-otter-42', 0)",
        [&hash],
    )
    .unwrap();
    drop(c);
    let cat = joy_kiosk::questionnaire::Catalog::bundled();
    let q = cat.get("who5").unwrap();
    let a = joy_kiosk::questionnaire::answers::parse_pairs(
        q,
        ["cheerful=5", "calm=5", "active=5", "rested=5", "interest=5"],
    )
    .unwrap();
    let o = joy_kiosk::questionnaire::score(q, &a);
    let at = chrono::Utc::now() - chrono::Duration::days(3);
    let new = NewCheckin::from_outcome(q, &a, &o, Some(7), at, at);
    // Saved as the previous version did: answer and score rows in clear.
    let c = rusqlite::Connection::open(path).unwrap();
    c.execute(
        "INSERT INTO checkin (id, respondent_id, questionnaire_id, questionnaire_version, file_hash, started_at, completed_at)
         VALUES (4242, 7, 'who5', ?1, ?2, ?3, ?3)",
        rusqlite::params![new.questionnaire_version, new.file_hash, at.timestamp_millis()],
    )
    .unwrap();
    for ans in &new.answers {
        c.execute(
            "INSERT INTO answer (checkin_id, question_id, position, value_json, label) VALUES (4242, ?1, ?2, ?3, ?4)",
            rusqlite::params![ans.question_id, ans.position, ans.value.to_string(), ans.label],
        )
        .unwrap();
    }
    for (i, sc) in new.scores.iter().enumerate() {
        c.execute(
            "INSERT INTO score (checkin_id, score_id, position, label, raw, value, band_label, band_tone)
             VALUES (4242, ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            rusqlite::params![sc.score_id, i as i64, sc.label, sc.raw, sc.value, sc.band_label, sc.band_tone],
        )
        .unwrap();
    }
    7
}

#[test]
fn a_holder_from_before_is_sealed_at_their_next_sign_in_under_a_new_pin() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let holder = old_kiosk(&db);
    assert!(contains(&file_bytes(&db), b"maple-otter-42"));
    let mut app = kiosk_on(&db);
    // Opening migrated the file: the code is a tag now, in no byte of it.
    assert!(!contains(&file_bytes(&db), b"maple-otter-42"));
    // Sign in with the old 4-digit PIN: asked for a new one.
    let n = app.state.questionnaires.len();
    app.act(Action::Pick(n));
    type_str(&mut app, "maple-otter-42");
    app.act(Action::Confirm);
    type_str(&mut app, "2468");
    app.act(Action::Confirm);
    let form = app.state.session.pin.as_ref().expect("asked for a new PIN");
    assert_eq!(form.purpose, PinPurpose::Renew(holder));
    assert_eq!(form.step, PinStep::Pin);
    assert_eq!(
        form.message.as_deref(),
        Some(joy_kiosk::text::kiosk::RENEW_PIN)
    );
    assert_eq!(app.state.session.respondent, None, "not in yet");
    // A weak one is refused; then a good one, twice.
    type_str(&mut app, "123456");
    app.act(Action::Confirm);
    let form = app.state.session.pin.as_ref().unwrap();
    assert_eq!(
        form.message.as_deref(),
        Some(joy_kiosk::text::kiosk::PIN_WEAK)
    );
    type_str(&mut app, "480261");
    app.act(Action::Confirm);
    type_str(&mut app, "480261");
    app.act(Action::Confirm);
    assert_eq!(app.state.screen, Screen::Home, "{:?}", app.state.status);
    assert_eq!(app.state.session.respondent, Some(holder));
    let key = app.state.session.key.clone().expect("sealed now");
    // Nothing lost: the old check-in reads back whole, with the key.
    let rec = TerminalStore::checkin(&mut app.store, holder, Some(&key), 4242)
        .unwrap()
        .unwrap();
    assert_eq!(rec.answers.len(), 5);
    assert_eq!(rec.scores[0].value, Some(100.0));
    assert!(!rec.unreadable);
    // Nothing left in clear, in the rows or the file's bytes.
    assert_eq!(app.store.count("answer").unwrap(), 0);
    assert_eq!(app.store.count("score").unwrap(), 0);
    assert_eq!(app.store.count("series").unwrap(), 0);
    assert!(!contains(&file_bytes(&db), b"All of the time"));
    // The old PIN no longer opens it; the new one does.
    app.act(Action::Back);
    app.act_after(120_000, Action::Tick);
    app.act(Action::Pick(n));
    type_str(&mut app, "maple-otter-42");
    app.act(Action::Confirm);
    type_str(&mut app, "2468");
    app.act(Action::Confirm);
    assert_eq!(
        app.state.session.pin.as_ref().unwrap().message.as_deref(),
        Some(joy_kiosk::text::kiosk::NO_MATCH)
    );
    app.act(Action::Confirm);
    type_str(&mut app, "480261");
    app.act(Action::Confirm);
    assert_eq!(app.state.screen, Screen::Home);
}

#[test]
fn a_holder_deletes_their_code_and_everything_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let mut app = kiosk_on(&db);
    let code = "maple-otter-42";
    let holder = common::holder(&mut app.store, code, "480261", app.t);
    let sign_in = |app: &mut App| {
        let n = app.state.questionnaires.len();
        app.act(Action::Pick(n));
        type_str(app, code);
        app.act(Action::Confirm);
        type_str(app, "480261");
        app.act(Action::Confirm);
    };
    sign_in(&mut app);
    holder_checks_in(&mut app);
    app.act(Action::Confirm);
    assert_eq!(app.state.screen, Screen::Home);
    assert!(common::screen_lines(&app, 80, 24)
        .join("\n")
        .contains("delete my code"));
    app.act(Action::Delete);
    assert_eq!(app.state.confirm, Some(joy_kiosk::app::Confirm::DeleteCode));
    app.act(Action::No);
    assert_eq!(app.store.count("checkin").unwrap(), 1, "kept on no");
    app.act(Action::Delete);
    app.act(Action::Yes);
    assert_eq!(app.state.screen, Screen::Welcome);
    assert_eq!(
        app.state.status.as_deref(),
        Some(joy_kiosk::text::kiosk::CODE_DELETED)
    );
    assert_eq!(app.state.session.key, None);
    assert_eq!(app.store.count("checkin").unwrap(), 0);
    let left: i64 = app
        .store
        .connection()
        .query_row(
            "SELECT count(*) FROM respondent WHERE id = ?1",
            [holder],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0);
    // The code is gone: signing in with it is refused like any unknown code.
    sign_in(&mut app);
    assert_eq!(
        app.state.session.pin.as_ref().unwrap().message.as_deref(),
        Some(joy_kiosk::text::kiosk::NO_MATCH)
    );
}

/// Wrong PINs are counted under a key that the holder's stored tag does not
/// give: a lockout row in a copied file does not say which holder was
/// guessed at.
#[test]
fn a_lockout_row_does_not_name_the_holder_guessed_at() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let mut app = kiosk_on(&db);
    let holder = common::holder(&mut app.store, "maple-otter-42", "480261", app.t);
    let n = app.state.questionnaires.len();
    app.act(Action::Pick(n));
    type_str(&mut app, "maple-otter-42");
    app.act(Action::Confirm);
    type_str(&mut app, "111111");
    app.act(Action::Confirm);
    assert_eq!(
        app.state.session.pin.as_ref().unwrap().message.as_deref(),
        Some(joy_kiosk::text::kiosk::NO_MATCH)
    );
    let c = app.store.connection();
    let keys: Vec<String> = c
        .prepare("SELECT key FROM pin_lockout")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(keys.len(), 1, "the wrong PIN was counted");
    let tag: Vec<u8> = c
        .query_row(
            "SELECT code_tag FROM respondent WHERE id = ?1",
            [holder],
            |r| r.get(0),
        )
        .unwrap();
    let hex: String = tag.iter().map(|b| format!("{b:02x}")).collect();
    assert!(
        !keys[0].contains(&hex),
        "the lockout key is the holder's tag"
    );
}
