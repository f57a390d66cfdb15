//! Notes worth writing (issue 18 §3): every personal check-in ends with an
//! optional private note of several lines (per file: `note = false` for
//! none, or its own prompt); Alt-Enter starts a new line and Enter moves on;
//! a paste keeps its lines; the lines survive storage and exports; History
//! marks notes and shows their first words, Detail shows them whole, and
//! `/` finds check-ins by their note, a kiosk code holder's sealed ones
//! included.

mod common;

use common::{screen_lines, App};
use joy_kiosk::app::{Action, Screen};
use joy_kiosk::questionnaire::{load_str, QuestionKind};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn alt_enter() -> Action {
    Action::Edit(KeyEvent::new(KeyCode::Enter, KeyModifiers::ALT))
}

fn errors(
    r: Result<joy_kiosk::questionnaire::Questionnaire, Vec<joy_kiosk::questionnaire::Diagnostic>>,
) -> String {
    r.expect_err("refused")
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

fn note_of(app: &mut App) -> Option<String> {
    let r = &app.store.history(None, None).unwrap()[0];
    r.answers
        .iter()
        .find(|a| a.question_id == "note")
        .map(|a| a.label.clone())
}

/// WHO-5 answered "All of the time" throughout, then its note opened
/// from the review.
fn who5_to_note(app: &mut App) {
    app.answer_who5(0);
    assert_eq!(
        app.state.screen,
        Screen::Review,
        "no extra question on the way"
    );
    let review = screen_lines(app, 80, 24).join("\n");
    assert!(review.contains("(none yet: n writes one)"), "{review}");
    assert!(review.contains("n note"), "{review}");
    app.act(Action::Note);
    assert_eq!(app.state.screen, Screen::Question);
    assert!(app.state.editing_text(), "the note takes typing");
}

#[test]
fn every_personal_check_in_ends_with_a_note_unless_its_file_says_none() {
    let app = App::new();
    for q in &app.state.questionnaires {
        let last = q.questions.last().unwrap();
        assert_eq!(last.id, "note", "{} ends with a note", q.id);
        assert!(
            matches!(
                last.kind,
                QuestionKind::Text {
                    multiline: true,
                    max_length: 4000
                }
            ),
            "{}",
            q.id
        );
        assert!(!last.required);
    }
    let base = "id = \"x\"\nversion = \"1\"\ntitle = \"X\"\ndescription = \"d\"\nkind = \"personal\"\nminutes = 1\n[licence]\ntext = \"t\"\nsource = \"https://example.org\"\n[[questions]]\nid = \"a\"\ntype = \"text\"\ntext = \"A?\"\n";
    let none = load_str(
        "x.toml",
        &base.replace("minutes = 1\n", "minutes = 1\nnote = false\n"),
    )
    .unwrap();
    assert_eq!(none.questions.len(), 1, "note = false: no note");
    let own = load_str(
        "x.toml",
        &base.replace("minutes = 1\n", "minutes = 1\nnote = \"What went well?\"\n"),
    )
    .unwrap();
    assert_eq!(own.questions.last().unwrap().text, "What went well?");
    // A team reflection is anonymous: no note, and asking for one is an
    // error at its place.
    let team = base
        .replace("kind = \"personal\"", "kind = \"team\"")
        .replace("minutes = 1\n", "minutes = 1\nnote = true\n");
    let err = errors(load_str("team.toml", &team));
    assert!(err.contains("team.toml:7:"), "{err}");
    assert!(err.contains("`note` is for personal check-ins"), "{err}");
    let team_ok = load_str(
        "t.toml",
        &base.replace("kind = \"personal\"", "kind = \"team\""),
    )
    .unwrap();
    assert!(team_ok.questions.iter().all(|q| q.id != "note"));
    // `multiline` is for text questions only.
    let bad = base.replace("type = \"text\"", "type = \"text\"\nmultiline = true")
        + "[[questions]]\nid = \"b\"\ntype = \"choice\"\nmultiline = true\ntext = \"B?\"\noptions = [{ label = \"Y\", value = \"y\" }]\n";
    let err = errors(load_str("m.toml", &bad));
    assert!(err.contains("multiline"), "{err}");
}

#[test]
fn alt_enter_starts_a_new_line_enter_moves_on_and_the_lines_are_kept() {
    let mut app = App::new();
    who5_to_note(&mut app);
    app.type_text("Long shift.");
    app.act(alt_enter());
    app.type_text("Kind words from Sam.");
    let c = app.state.session.checkin.as_ref().unwrap();
    assert_eq!(c.text.lines().len(), 2, "Alt-Enter made a second line");
    // The key bar offers the new line.
    let screen = screen_lines(&app, 80, 24).join("\n");
    assert!(screen.contains("Alt-Enter new line"), "{screen}");
    app.act(Action::Confirm);
    assert_eq!(app.state.screen, Screen::Review, "Enter moves on");
    app.act(Action::Save);
    assert_eq!(
        note_of(&mut app).as_deref(),
        Some("Long shift.\nKind words from Sam.")
    );
    // Detail shows both lines; History marks the note with its first line.
    app.act(Action::OpenHistory);
    let list = screen_lines(&app, 100, 24).join("\n");
    assert!(list.contains("✎ Long shift."), "{list}");
    assert!(!list.contains("Kind words"), "only the first line: {list}");
    app.act(Action::Confirm);
    let detail = screen_lines(&app, 80, 40).join("\n");
    assert!(detail.contains("  Long shift."), "{detail}");
    assert!(detail.contains("  Kind words from Sam."), "{detail}");
}

#[test]
fn a_pasted_paragraph_keeps_its_lines_in_a_note() {
    let mut app = App::new();
    who5_to_note(&mut app);
    app.act(Action::Paste("one\r\ntwo\n\nfour".into()));
    let c = app.state.session.checkin.as_ref().unwrap();
    assert_eq!(c.text_value(), "one\ntwo\n\nfour");
    // Up moves within the note, not out of it.
    app.act(Action::Up);
    assert_eq!(app.state.screen, Screen::Question);
    assert_eq!(
        app.state.session.checkin.as_ref().unwrap().text.cursor().0,
        2
    );
    app.act(Action::Confirm);
    app.act(Action::Save);
    assert_eq!(note_of(&mut app).as_deref(), Some("one\ntwo\n\nfour"));
}

#[test]
fn a_note_holds_several_thousand_characters_and_stops_at_its_limit() {
    let mut app = App::new();
    who5_to_note(&mut app);
    let long = "word ".repeat(790); // 3,950 characters
    app.act(Action::Paste(long.clone()));
    let c = app.state.session.checkin.as_ref().unwrap();
    assert_eq!(c.typed_len(), 3950);
    assert!(c.message.is_none(), "{:?}", c.message);
    app.type_text(&"x".repeat(60));
    let c = app.state.session.checkin.as_ref().unwrap();
    assert_eq!(c.typed_len(), 4000);
    assert!(c.message.as_deref().unwrap().contains("at most 4000"));
    app.act(Action::Confirm);
    app.act(Action::Save);
    assert_eq!(note_of(&mut app).map(|n| n.chars().count()), Some(4000));
}

#[test]
fn exports_keep_a_notes_line_breaks() {
    let mut app = App::new();
    who5_to_note(&mut app);
    app.act(Action::Paste("first\nsecond".into()));
    app.act(Action::Confirm);
    app.act(Action::Save);
    let records = app.store.history(None, None).unwrap();
    let json = joy_kiosk::store::export::to_json(&records, app.t);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let labels: Vec<&str> = v["checkins"][0]["answers"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["label"].as_str())
        .collect();
    assert!(labels.contains(&"first\nsecond"), "{json}");
    let csv = joy_kiosk::store::export::to_csv(&records, &app.state.questionnaires, &chrono::Utc)
        .unwrap();
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let headers = r.headers().unwrap().clone();
    let col = headers
        .iter()
        .position(|h| h.contains("note"))
        .unwrap_or_else(|| panic!("{csv}"));
    let row = r.records().next().unwrap().unwrap();
    assert_eq!(&row[col], "first\nsecond");
}

#[test]
fn slash_finds_check_ins_by_their_note_and_esc_shows_all_again() {
    let mut app = App::new();
    for note in ["Rota swap helped", "Nothing much", "the ROTA again"] {
        who5_to_note(&mut app);
        app.act(Action::Paste(note.into()));
        app.act(Action::Confirm);
        app.act(Action::Save);
        app.act(Action::Confirm);
    }
    // One without a note.
    app.answer_who5(0);
    app.act(Action::Save);
    app.act(Action::Confirm);
    app.act(Action::OpenHistory);
    assert_eq!(app.state.session.history.len(), 4);
    let keys = screen_lines(&app, 80, 24).join("\n");
    assert!(keys.contains("/ search notes"), "{keys}");
    app.act(Action::Search);
    app.type_text("rota");
    let typing = screen_lines(&app, 80, 24).join("\n");
    assert!(typing.contains("Search your notes: rota"), "{typing}");
    app.act(Action::Confirm);
    assert_eq!(app.state.session.history.len(), 2, "any case");
    let shown = screen_lines(&app, 120, 24).join("\n");
    assert!(shown.contains("notes with \"rota\""), "{shown}");
    assert!(shown.contains("✎ the ROTA again"), "{shown}");
    // At 80 columns the mark stays and the band's name is whole or absent.
    let narrow = screen_lines(&app, 80, 24).join("\n");
    assert!(narrow.contains("[good] ✎ the ROTA"), "{narrow}");
    assert!(!narrow.contains("Good wellbein…"), "{narrow}");
    assert!(!shown.contains("Nothing much"), "{shown}");
    // Nothing found says so.
    app.act(Action::Search);
    app.type_text("zebra");
    app.act(Action::Confirm);
    let none = screen_lines(&app, 80, 24).join("\n");
    assert!(
        none.contains("No check-in has a note with \"zebra\""),
        "{none}"
    );
    // Esc ends the search before it leaves History.
    app.act(Action::Back);
    assert_eq!(app.state.screen, Screen::History);
    assert_eq!(app.state.session.history.len(), 4);
    app.act(Action::Back);
    assert_eq!(app.state.screen, Screen::Home);
}

#[test]
fn a_kiosk_code_holder_finds_their_own_sealed_notes_and_nobody_elses() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let mut app = App::kiosk();
    app.store = joy_kiosk::store::Store::open(&db).unwrap();
    let sign_up = |app: &mut App, pin: &str| {
        let n = app.state.questionnaires.len();
        app.act(Action::Pick(n + 1));
        assert_eq!(app.state.screen, Screen::Pin);
        app.act(Action::Confirm);
        for _ in 0..2 {
            for c in pin.chars() {
                app.act_after(
                    600,
                    Action::Edit(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
                );
            }
            app.act(Action::Confirm);
        }
        assert_eq!(app.state.screen, Screen::Home, "{:?}", app.state.status);
    };
    let check_in = |app: &mut App, note: &str| {
        who5_to_note(app);
        app.act(Action::Paste(note.into()));
        app.act(Action::Confirm);
        app.act_after(20_000, Action::Save);
        assert_eq!(app.state.screen, Screen::Result, "{:?}", app.state.status);
        app.act(Action::Confirm);
    };
    sign_up(&mut app, "480261");
    check_in(&mut app, "Mine: the night rota");
    app.act(Action::Back); // done: the welcome screen
    sign_up(&mut app, "731904");
    check_in(&mut app, "Theirs: the day rota");
    app.act(Action::OpenHistory);
    app.act(Action::Search);
    app.type_text("rota");
    app.act(Action::Confirm);
    assert_eq!(app.state.session.history.len(), 1, "only their own");
    let shown = screen_lines(&app, 120, 24).join("\n");
    assert!(shown.contains("✎ Theirs: the day rota"), "{shown}");
    assert!(!shown.contains("night"), "{shown}");
    // The notes are sealed in the file: not in clear.
    drop(app);
    let bytes = std::fs::read(&db).unwrap();
    let hay = String::from_utf8_lossy(&bytes);
    assert!(!hay.contains("night rota") && !hay.contains("day rota"));
}

#[test]
fn an_anonymous_kiosk_check_in_asks_no_note() {
    let mut app = App::kiosk();
    app.select("who5");
    app.act(Action::Confirm);
    if app.state.screen == Screen::Team {
        app.act(Action::Pick(0));
    }
    for _ in 0..5 {
        app.act(Action::Pick(0));
    }
    assert_eq!(
        app.state.screen,
        Screen::Review,
        "no note at a shared terminal"
    );
}

/// From the new-user trial: the review shows a note's lines as lines, the
/// note is asked without the instrument's instructions above it, and a row
/// found by a search shows the line that holds the words.
#[test]
fn the_review_keeps_a_notes_lines_and_a_found_row_shows_why() {
    let mut app = App::new();
    who5_to_note(&mut app);
    let asked = screen_lines(&app, 80, 24).join("\n");
    assert!(asked.contains("Your private note (optional)"), "{asked}");
    assert!(!asked.contains("Please indicate"), "{asked}");
    app.act(Action::Paste(
        "Long shift on ward 7\nTalk to Sam about the rota".into(),
    ));
    app.act(Action::Confirm);
    let review = screen_lines(&app, 80, 24);
    let first = review
        .iter()
        .position(|l| l.contains("Long shift on ward 7"))
        .unwrap_or_else(|| panic!("{review:#?}"));
    assert!(
        review[first + 1].contains("Talk to Sam about the rota"),
        "{review:#?}"
    );
    assert!(!review[first].contains("Talk"), "{review:#?}");
    app.act(Action::Save);
    app.act(Action::OpenHistory);
    app.act(Action::Search);
    app.type_text("sam");
    app.act(Action::Confirm);
    let found = screen_lines(&app, 120, 24).join("\n");
    assert!(found.contains("✎ Talk to Sam about the rota"), "{found}");
}

/// Issue 18 §6: wrapped note lines started with a space (the editor broke
/// rows before the space). Every row of the box starts at a word.
#[test]
fn a_wrapped_note_row_never_starts_with_a_space() {
    let mut app = App::new();
    who5_to_note(&mut app);
    let words: String = (1..=60).map(|i| format!("word{i} ")).collect();
    app.act(Action::Paste(words.trim_end().to_string()));
    for (w, h) in [(80, 24), (120, 40), (53, 30)] {
        let screen = screen_lines(&app, w, h);
        let inside: Vec<&String> = screen
            .iter()
            .filter(|l| l.trim_start().starts_with('│') && l.contains("word"))
            .collect();
        assert!(inside.len() >= 3, "{w}x{h}: {screen:#?}");
        for l in inside {
            let row = l.trim_start().trim_start_matches('│');
            assert!(!row.starts_with(' '), "{w}x{h}: {l:?}");
        }
    }
}

/// At a kiosk every Alt combination is dropped (a kiosk meets people who
/// press Alt with everything), but Alt-Enter while a code holder types
/// their note: a new line there, and nothing anywhere else.
#[test]
fn at_a_kiosk_alt_enter_is_only_a_notes_new_line() {
    use ratatui::crossterm::event::Event;
    let alt_enter_key = Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::ALT));
    let alt_x = Event::Key(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::ALT));
    let mut app = App::kiosk();
    // The welcome screen: nothing.
    assert_eq!(joy_kiosk::keymap::map(&alt_enter_key, &app.state), None);
    // A code holder's note.
    let n = app.state.questionnaires.len();
    app.act(Action::Pick(n + 1));
    app.act(Action::Confirm);
    for _ in 0..2 {
        for c in "480261".chars() {
            app.act_after(
                600,
                Action::Edit(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
            );
        }
        app.act(Action::Confirm);
    }
    assert_eq!(app.state.screen, Screen::Home, "{:?}", app.state.status);
    who5_to_note(&mut app);
    assert_eq!(
        joy_kiosk::keymap::map(&alt_enter_key, &app.state),
        Some(alt_enter())
    );
    assert_eq!(joy_kiosk::keymap::map(&alt_x, &app.state), None);
    app.act(alt_enter());
    app.type_text("second line");
    let c = app.state.session.checkin.as_ref().unwrap();
    assert_eq!(c.text.lines().len(), 2);
}
