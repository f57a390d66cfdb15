//! The app without a terminal: actions in, saved rows out.

use joy_kiosk::app::{Action, Screen, State};
use joy_kiosk::questionnaire::{AnswerValue, Catalog, Scalar};

mod common;
use common::App;

/// WHO-5 answered 3,3,3,2,2 by number keys (option 1 = value 5, so key 3 = value 3, key 4 = value 2).
fn answer_who5_raw_13(app: &mut App) {
    app.select("who5");
    app.acts(&[
        Action::Confirm,
        Action::Pick(2),
        Action::Pick(2),
        Action::Pick(2),
        Action::Pick(3),
        Action::Pick(3),
    ]);
}

#[test]
fn a_whole_who5_checkin_by_keys_saves_every_row() {
    let mut app = App::new();
    answer_who5_raw_13(&mut app);
    assert_eq!(app.state.screen, Screen::Review);
    assert_eq!(
        app.store.count("checkin").unwrap(),
        0,
        "nothing is saved before the user saves"
    );
    app.act(Action::Save);
    assert_eq!(app.state.screen, Screen::Result);
    let h = app.store.history(None, None).unwrap();
    assert_eq!(h.len(), 1);
    let r = &h[0];
    assert_eq!(r.questionnaire_id, "who5");
    let values: Vec<(String, serde_json::Value, String)> = r
        .answers
        .iter()
        .map(|a| (a.question_id.clone(), a.value.clone(), a.label.clone()))
        .collect();
    assert_eq!(
        values[0],
        (
            "cheerful".into(),
            serde_json::json!(3.0),
            "More than half of the time".into()
        )
    );
    assert_eq!(
        values[3],
        (
            "rested".into(),
            serde_json::json!(2.0),
            "Less than half of the time".into()
        )
    );
    assert_eq!(r.scores[0].raw, Some(13.0));
    assert_eq!(r.scores[0].value, Some(52.0));
    assert_eq!(r.scores[0].band_label.as_deref(), Some("Good wellbeing"));
    assert!(r.completed_at > r.started_at);
    // The result screen knows it was saved and that it is the first.
    let res = app.state.session.result.as_ref().unwrap();
    assert_eq!(res.saved_id, Some(r.id));
    assert!(res.previous.is_none());
}

#[test]
fn arrows_and_enter_choose_and_the_next_checkin_sees_the_previous() {
    let mut app = App::new();
    answer_who5_raw_13(&mut app);
    app.acts(&[Action::Save, Action::Confirm]);
    assert_eq!(app.state.screen, Screen::Home);
    assert_eq!(
        app.state.summary("who5").unwrap().latest.unwrap().value,
        52.0
    );
    // Second time: all "At no time" by moving down six times (nothing is
    // highlighted at first: the first Down highlights row 1) then Enter.
    app.select("who5");
    app.act(Action::Confirm);
    for _ in 0..5 {
        app.acts(&[
            Action::Down,
            Action::Down,
            Action::Down,
            Action::Down,
            Action::Down,
            Action::Down,
            Action::Confirm,
        ]);
    }
    app.act(Action::Save);
    let res = app.state.session.result.as_ref().unwrap();
    assert_eq!(res.outcome.scores[0].value, Some(0.0));
    assert_eq!(res.previous.as_ref().unwrap().scores[0].value, Some(52.0));
    assert_eq!(res.outcome.flags.len(), 1, "the item flag fired");
    assert_eq!(app.store.count("checkin").unwrap(), 2);
}

#[test]
fn back_and_review_change_an_answer_before_saving() {
    let mut app = App::new();
    app.select("who5");
    app.acts(&[
        Action::Confirm,
        Action::Pick(0),
        Action::Pick(0),
        Action::Left,
    ]);
    // Back on question 2, answer shown.
    let c = app.state.session.checkin.as_ref().unwrap();
    assert_eq!((c.index, c.cursor), (1, Some(0)));
    app.acts(&[
        Action::Pick(5),
        Action::Pick(0),
        Action::Pick(0),
        Action::Pick(0),
    ]);
    assert_eq!(app.state.screen, Screen::Review);
    // Change answer 1 from the review screen, and come back to review.
    app.acts(&[Action::Confirm, Action::Pick(4)]);
    assert_eq!(app.state.screen, Screen::Review);
    app.act(Action::Save);
    let r = &app.store.history(None, None).unwrap()[0];
    let labels: Vec<&str> = r.answers.iter().map(|a| a.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Some of the time",
            "At no time",
            "All of the time",
            "All of the time",
            "All of the time"
        ]
    );
}

#[test]
fn an_abandoned_checkin_writes_nothing_and_quitting_asks_first() {
    let mut app = App::new();
    app.select("who5");
    app.acts(&[Action::Confirm, Action::Pick(0), Action::Quit]);
    assert!(app.state.confirm.is_some(), "quitting with answers asks");
    assert!(!app.state.quit);
    app.act(Action::No);
    assert_eq!(app.state.screen, Screen::Question);
    app.acts(&[Action::Back, Action::Back]);
    assert!(
        app.state.confirm.is_some(),
        "leaving from the first question asks too"
    );
    app.act(Action::Yes);
    assert_eq!(app.state.screen, Screen::Home);
    assert!(app.state.session.checkin.is_none());
    app.act(Action::Quit);
    assert!(app.state.quit);
    assert_eq!(app.store.count("checkin").unwrap(), 0);
}

#[test]
fn required_questions_cannot_be_skipped_and_optional_text_can() {
    let mut app = App::new();
    app.select("joy-in-work");
    app.acts(&[Action::Confirm, Action::Skip]);
    let c = app.state.session.checkin.as_ref().unwrap();
    assert_eq!(c.index, 0);
    assert!(c.message.as_deref().unwrap().contains("cannot be skipped"));
    app.acts(&[
        Action::Pick(0),
        Action::Pick(1),
        Action::Pick(1),
        Action::Pick(0),
    ]);
    // The optional private note is offered on the review (`n`), and takes
    // typed text, with a length limit.
    assert_eq!(app.state.screen, Screen::Review);
    app.act(Action::Note);
    assert!(app.state.editing_text());
    app.type_text("Good shift, ");
    app.type_text("kind team");
    app.act(Action::Confirm);
    assert_eq!(app.state.screen, Screen::Review);
    app.act(Action::Save);
    let r = &app.store.history(None, None).unwrap()[0];
    let note = r.answers.iter().find(|a| a.question_id == "note").unwrap();
    assert_eq!(note.label, "Good shift, kind team");
    // (10 + 7.5 + 7.5 + 10) / 4
    assert_eq!(r.scores[0].value, Some(8.75));
}

#[test]
fn text_longer_than_the_limit_is_stopped_with_a_message() {
    let mut app = App::new();
    app.open_joy_note();
    app.type_text(&"x".repeat(4005));
    let c = app.state.session.checkin.as_ref().unwrap();
    assert_eq!(c.text.lines()[0].chars().count(), 4000);
    assert!(c
        .message
        .as_deref()
        .unwrap()
        .contains("at most 4000 characters"));
}

#[test]
fn skip_logic_hides_questions_and_drops_stale_answers() {
    let mut qs: Vec<_> = Catalog::bundled()
        .entries
        .into_iter()
        .map(|e| e.questionnaire)
        .collect();
    // Make the team reflection usable here: it is the one with skip logic.
    for q in &mut qs {
        q.kind = joy_kiosk::questionnaire::Kind::Personal;
    }
    let mut app = App::new();
    app.state = State::new(qs, app.state.session.respondent, app.t);
    app.act(Action::Resize {
        width: 80,
        height: 24,
    });
    app.select("team-reflection");
    app.act(Action::Confirm);
    app.act(Action::Confirm); // what matters: optional, empty
    app.act(Action::Confirm); // good day: optional, empty
                              // Tick two pebbles: the follow-up question appears ("3 of 5").
    app.acts(&[Action::Pick(0), Action::Pick(2)]);
    let q = &app.state.questionnaires[app.state.session.checkin.as_ref().unwrap().questionnaire];
    assert_eq!(
        app.state.session.checkin.as_ref().unwrap().progress(q),
        (3, 5)
    );
    app.act(Action::Confirm);
    assert_eq!(
        app.state.session.checkin.as_ref().unwrap().index,
        3,
        "follow-up shown"
    );
    app.type_text("Fix the printer");
    app.act(Action::Confirm);
    app.act(Action::Pick(1));
    assert_eq!(app.state.screen, Screen::Review);
    // Go back and untick both pebbles: the follow-up disappears.
    app.act(Action::Pick(2));
    app.acts(&[Action::Pick(0), Action::Pick(2), Action::Confirm]);
    assert_eq!(app.state.screen, Screen::Review);
    app.act(Action::Save);
    let r = &app.store.history(None, None).unwrap()[0];
    let ids: Vec<&str> = r.answers.iter().map(|a| a.question_id.as_str()).collect();
    assert_eq!(
        ids,
        ["team-joy"],
        "the hidden follow-up's answer was not saved"
    );
}

#[test]
fn a_mouse_click_on_an_option_answers_it() {
    let mut app = App::new();
    app.select("who5");
    app.act(Action::Confirm);
    // Find the row of option 6 ("At no time") on the drawn screen.
    let lines = common::screen_lines(&app, 80, 24);
    let row = lines.iter().position(|l| l.contains("At no time")).unwrap() as u16;
    app.act(Action::Click { column: 10, row });
    let c = app.state.session.checkin.as_ref().unwrap();
    assert_eq!(c.index, 1, "moved on after the click");
    assert_eq!(
        c.answers.get("cheerful"),
        Some(&AnswerValue::Choice(Scalar::Number(0.0)))
    );
    // A click on the key bar's "Esc back" goes back.
    let bar = &lines[23];
    let col = bar.find("Esc").unwrap() as u16;
    app.act(Action::Click {
        column: col,
        row: 23,
    });
    assert_eq!(app.state.session.checkin.as_ref().unwrap().index, 0);
}

#[test]
fn trends_history_and_detail_load_through_effects() {
    let mut app = App::new();
    for _ in 0..3 {
        answer_who5_raw_13(&mut app);
        app.acts(&[Action::Save, Action::Confirm]);
    }
    app.act(Action::OpenTrends);
    assert_eq!(app.state.screen, Screen::Trends);
    assert!(app.state.session.trends.loaded);
    assert_eq!(app.state.session.trends.points.len(), 3);
    app.act(Action::NextPeriod);
    app.act(Action::OpenHistory);
    assert_eq!(app.state.session.history.len(), 3);
    app.act(Action::Confirm);
    assert_eq!(app.state.screen, Screen::Detail);
    assert_eq!(
        app.state.session.detail.as_ref().unwrap().id,
        app.state.session.history[0].id
    );
}

/// A user questionnaire with every question type: category choice, skip
/// logic, a typed number with range checking, a 0-10 list answered by
/// digit keys, multiple choice with "other" text.
#[test]
fn every_question_type_by_keys() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/questionnaires/valid/all-types.toml"
    );
    let q = joy_kiosk::questionnaire::load_path(std::path::Path::new(path)).unwrap();
    let mut app = App::new();
    app.state = joy_kiosk::app::State::new(vec![q], app.state.session.respondent, app.t);
    app.act(Action::Resize {
        width: 80,
        height: 24,
    });
    app.acts(&[Action::Confirm, Action::Digit(1)]); // mood: "Sometimes" (its value, 1)
    app.act(Action::Digit(1)); // role: Nurse -> ward hours shown
    assert!(app.state.editing_text(), "typed number");
    app.type_text("75");
    app.act(Action::Confirm);
    let msg = app
        .state
        .session
        .checkin
        .as_ref()
        .unwrap()
        .message
        .clone()
        .unwrap();
    assert!(msg.contains("\"75\" is not a number from 0 to 60"), "{msg}");
    app.act(Action::Edit(ratatui::crossterm::event::KeyEvent::from(
        ratatui::crossterm::event::KeyCode::Backspace,
    )));
    app.act(Action::Edit(ratatui::crossterm::event::KeyEvent::from(
        ratatui::crossterm::event::KeyCode::Backspace,
    )));
    app.type_text("37.5");
    app.act(Action::Confirm);
    assert!(
        app.state
            .session
            .checkin
            .as_ref()
            .unwrap()
            .message
            .as_deref()
            .unwrap()
            .contains("37.5"),
        "steps of 1"
    );
    for _ in 0..4 {
        app.act(Action::Edit(ratatui::crossterm::event::KeyEvent::from(
            ratatui::crossterm::event::KeyCode::Backspace,
        )));
    }
    app.type_text("38");
    app.act(Action::Confirm);
    // Energy 0-10 as a list: the digit key 7 means the value 7.
    app.act(Action::Digit(7));
    // Multi: tick IT, move to "Other" and type.
    app.acts(&[Action::Digit(1), Action::Down, Action::Down]);
    assert!(app.state.editing_text(), "other row takes text");
    app.type_text("no parking");
    app.act(Action::Confirm);
    // IT ticked, so "Tell us more" is shown.
    app.type_text("logins");
    app.act(Action::Confirm);
    assert_eq!(app.state.screen, joy_kiosk::app::Screen::Review);
    app.act(Action::Save);
    let r = &app.store.history(None, None).unwrap()[0];
    assert_eq!(common::answer_labels(r), common::FIXTURE_ANSWERED);
    assert_eq!(
        r.answers[4].value,
        serde_json::json!({ "values": ["it"], "other": "no parking" })
    );
    // Energy: mean of 7 and reversed mood (2 - 1 = 1) = 4.
    assert_eq!(r.scores[0].value, Some(4.0));
}

/// The screen as text at 80x24.
fn screen(app: &App) -> String {
    common::screen_lines(app, 80, 24).join("\n")
}

/// Demo check-ins for every questionnaire, the newest at `newest`.
fn add_demo(app: &mut App, days: u32, newest: chrono::DateTime<chrono::Utc>) {
    let me = app.state.session.respondent.unwrap();
    let list = joy_kiosk::demo::generate(&Catalog::bundled(), me, days, newest, 3);
    app.store.save_many(&list).unwrap();
}

#[test]
fn change_since_last_time_never_compares_a_real_checkin_with_demo_data() {
    let mut app = App::new();
    // Demo history whose newest WHO-5 is newer than anything real.
    let newest = app.t + chrono::Duration::hours(2);
    add_demo(&mut app, 60, newest);
    answer_who5_raw_13(&mut app);
    app.act(Action::Save);
    let res = app.state.session.result.as_ref().unwrap();
    assert!(res.previous.is_none(), "demo data is not 'last time'");
    let text = screen(&app);
    assert!(
        text.contains("This is your first check-in of this kind"),
        "{text}"
    );
    assert!(!text.contains("since last time"), "{text}");

    // The next real check-in is compared with the real one before it,
    // though demo check-ins are newer.
    app.act(Action::Confirm);
    app.select("who5");
    app.acts(&[
        Action::Confirm,
        Action::Pick(0),
        Action::Pick(0),
        Action::Pick(0),
        Action::Pick(0),
        Action::Pick(0),
        Action::Save,
    ]);
    let res = app.state.session.result.as_ref().unwrap();
    let prev = res.previous.as_ref().unwrap();
    assert!(!prev.is_demo);
    assert_eq!(prev.scores[0].value, Some(52.0));
    assert!(
        screen(&app).contains("Up 48 points since last time"),
        "{}",
        screen(&app)
    );
}

#[test]
fn home_and_trends_mark_demo_data_in_words() {
    let mut app = App::new();
    // Real data only: no demo marks anywhere.
    answer_who5_raw_13(&mut app);
    app.acts(&[Action::Save, Action::Confirm]);
    assert!(!app.state.summary("who5").unwrap().demo);
    let home = screen(&app);
    assert!(!home.contains("[demo"), "{home}");
    app.select("who5");
    app.act(Action::OpenTrends);
    assert!(!screen(&app).contains("[demo"), "{}", screen(&app));
    app.act(Action::Back);

    // With demo data: Home says so in words, on the line and above the list.
    let newest = app.t - chrono::Duration::hours(1);
    add_demo(&mut app, 28, newest);
    app.act(Action::OpenHistory);
    app.act(Action::Back);
    assert!(app.state.summary("who5").unwrap().demo);
    let home = screen(&app);
    assert!(
        home.contains("[demo data] Some of this history is demo data"),
        "{home}"
    );
    assert!(home.contains("[demo] Last done"), "{home}");
    // Trends: the chart mixes one real check-in with nine demo ones, and says so.
    app.select("who5");
    app.act(Action::OpenTrends);
    let trends = screen(&app);
    assert!(
        trends.contains("[demo data] 9 of the 10 check-ins here are demo data"),
        "{trends}"
    );
    // After `erase --demo` (the store call) the marks are gone.
    app.store.erase_demo().unwrap();
    app.act(Action::Back);
    assert!(!screen(&app).contains("[demo"), "{}", screen(&app));
}

/// A scale reads the same way everywhere (issue 16): WHO-5 lists "All of
/// the time" (5) first and may not be reordered, so the number beside each
/// option, and the digit that chooses it, is its value: "4" is "Most of
/// the time" on the screen, in the saved row and in the huddle's bars.
#[test]
fn a_digit_on_a_scale_chooses_the_option_worth_that_number() {
    let mut app = App::new();
    app.select("who5");
    app.act(Action::Confirm);
    let screen = common::screen_lines(&app, 80, 24).join("\n");
    assert!(
        screen.contains("5  ( ) All of the time") || screen.contains("5 ( ) All of the time"),
        "{screen}"
    );
    assert!(
        screen.contains("0  ( ) At no time") || screen.contains("0 ( ) At no time"),
        "{screen}"
    );
    assert!(screen.contains("Enter/0-9"), "{screen}");
    app.acts(&[
        Action::Digit(4),
        Action::Digit(5),
        Action::Digit(0),
        Action::Digit(1),
        Action::Digit(3),
    ]);
    assert_eq!(app.state.screen, Screen::Review);
    app.act(Action::Save);
    let h = app.store.history(None, None).unwrap();
    let got: Vec<(serde_json::Value, String)> = h[0]
        .answers
        .iter()
        .map(|a| (a.value.clone(), a.label.clone()))
        .collect();
    assert_eq!(got[0], (serde_json::json!(4.0), "Most of the time".into()));
    assert_eq!(got[1], (serde_json::json!(5.0), "All of the time".into()));
    assert_eq!(got[2], (serde_json::json!(0.0), "At no time".into()));
    assert_eq!(h[0].scores[0].raw, Some(13.0));
    // A choice that is not a scale of 0-9 keeps numbering by position.
    let cat = Catalog::bundled();
    let q = cat.get("team-reflection").unwrap();
    let pebbles = q.question("pebbles").unwrap();
    assert!(!joy_kiosk::app::checkin::digits_are_values(pebbles));
    assert_eq!(joy_kiosk::app::checkin::key_label(pebbles, 0), "1");
    // The team joy scale: "A great deal of joy" (5) listed first, shown as 5,
    // as the huddle's bar for 5 is labelled.
    let joy = q.question("team-joy").unwrap();
    assert!(joy_kiosk::app::checkin::digits_are_values(joy));
    assert_eq!(joy_kiosk::app::checkin::key_label(joy, 0), "5");
}

/// History shows questions as they were asked (issue 16): the file a
/// check-in was answered on is kept by its hash, so a changed file with
/// the same id does not put new wording beside old answers.
#[test]
fn history_shows_the_questions_as_they_were_asked() {
    let mut app = App::new();
    answer_who5_raw_13(&mut app);
    app.acts(&[Action::Save, Action::Confirm]);
    // The file is changed on disk: same id, new wording.
    let i = app.index_of("who5");
    let old = app.state.questionnaires[i].clone();
    let changed_src = old.source.replace(
        "I have felt cheerful and in good spirits",
        "CHANGED WORDING of the first statement",
    );
    let changed = joy_kiosk::questionnaire::load_str("who5.toml", &changed_src).unwrap();
    assert_ne!(changed.hash, old.hash);
    app.state.questionnaires[i] = changed;
    app.act(Action::OpenHistory);
    app.act(Action::Confirm);
    assert_eq!(app.state.screen, Screen::Detail);
    let screen = common::screen_lines(&app, 120, 40).join("\n");
    assert!(
        screen.contains("I have felt cheerful and in good spirits"),
        "{screen}"
    );
    assert!(!screen.contains("CHANGED WORDING"), "{screen}");
    assert!(
        screen.contains("the questions, answers and scores below are as they"),
        "{screen}"
    );
}
