//! Issue 6, sections 3 and 4, through the headless app: an answer is only
//! what the person chose (no default row, Space on "Other", paste, wrapped
//! text, help while typing), and screens show all they hold (progress,
//! scrolling to the end, dialogs with clickable buttons, `q` then `y`
//! quits, history paging, filter and delete).

use joy_kiosk::app::{Action, AfterLeave, Confirm, Screen};
use joy_kiosk::questionnaire::{AnswerValue, Catalog, Scalar};
use joy_kiosk::{demo, keymap, ui};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

mod common;
use common::{screen_lines, App};

fn fixture_app() -> App {
    App::fixture()
}

/// The all-types fixture up to its multiple-choice question ("pebbles"),
/// with the highlight on its "Other" row.
fn fixture_at_other(app: &mut App) {
    app.acts(&[
        Action::Confirm,
        Action::Digit(2), // mood
        Action::Digit(2), // role: Doctor, so no ward hours
        Action::Digit(7), // energy 7
    ]);
    let c = app.state.session.checkin.as_ref().unwrap();
    let q = &app.state.questionnaires[c.questionnaire];
    assert_eq!(c.question(q).id, "pebbles");
    assert_eq!(c.cursor, None, "nothing highlighted on arrival");
    app.acts(&[Action::Down, Action::Down, Action::Down]);
    assert!(app.state.editing_text(), "on the Other row");
}

fn space() -> Action {
    Action::Edit(KeyEvent::new(KeyCode::Char(' '), KeyModifiers::NONE))
}

fn text(app: &App, w: u16, h: u16) -> String {
    screen_lines(app, w, h).join("\n")
}

fn checkin(app: &App) -> &joy_kiosk::app::Checkin {
    app.state.session.checkin.as_ref().unwrap()
}

// ---------------------------------------------------------------------
// 3. An answer is only what the person chose

#[test]
fn who5_enter_pressed_again_and_again_records_nothing_and_says_how_to_answer() {
    let mut app = App::new();
    app.select("who5");
    app.act(Action::Confirm);
    assert_eq!(
        checkin(&app).cursor,
        None,
        "no row highlighted at the start"
    );
    let screen = text(&app, 80, 24);
    assert!(
        !screen.contains('›'),
        "no row is drawn highlighted:\n{screen}"
    );
    for _ in 0..10 {
        app.act(Action::Confirm);
    }
    let c = checkin(&app);
    assert_eq!(app.state.screen, Screen::Question);
    assert_eq!(c.index, 0, "still on question 1");
    assert!(c.answers.is_empty(), "no answer recorded: {:?}", c.answers);
    let msg = c.message.clone().unwrap();
    assert!(
        msg.contains("↑↓ then Enter") && msg.contains("number key") && msg.contains("click"),
        "{msg}"
    );
    // The message is on screen.
    assert!(text(&app, 80, 24).contains("↑↓ then Enter"));
    // Right arrow (next) does not slip past either.
    app.act(Action::Right);
    assert!(checkin(&app).answers.is_empty());
    // A row the person moves to is theirs: Down highlights row 1, Enter chooses it.
    app.acts(&[Action::Down, Action::Confirm]);
    let c = checkin(&app);
    assert_eq!(c.index, 1);
    assert_eq!(
        c.answers.get("cheerful"),
        Some(&AnswerValue::Choice(Scalar::Number(5.0)))
    );
    assert_eq!(c.cursor, None, "the next question starts with nothing too");
    // Saving is impossible without answers: still nothing in the database.
    app.act(Action::Save);
    assert_eq!(app.store.count("checkin").unwrap(), 0);
}

#[test]
fn a_whole_who5_of_enter_presses_never_reaches_review() {
    let mut app = App::new();
    app.select("who5");
    app.act(Action::Confirm);
    for _ in 0..40 {
        app.act(Action::Confirm);
    }
    assert_eq!(app.state.screen, Screen::Question);
    assert_eq!(checkin(&app).index, 0);
    assert!(checkin(&app).answers.is_empty());
}

#[test]
fn an_optional_question_says_it_can_be_skipped() {
    let mut app = fixture_app();
    fixture_at_other(&mut app);
    // Back up to the options; Space with nothing highlighted explains.
    let c = checkin(&app);
    let q = &app.state.questionnaires[c.questionnaire];
    let msg = joy_kiosk::app::checkin::how_to_answer(c.question(q));
    assert!(
        msg.contains("Space to tick") && msg.contains("s to skip"),
        "{msg}"
    );
    let who5 = Catalog::bundled().get("who5").unwrap().clone();
    let msg = joy_kiosk::app::checkin::how_to_answer(&who5.questions[0]);
    assert!(!msg.contains("skip") && msg.contains("needed"), "{msg}");
}

#[test]
fn space_on_an_empty_other_ticks_it_and_types_no_space() {
    let mut app = fixture_app();
    fixture_at_other(&mut app);
    let screen = text(&app, 80, 24);
    assert!(screen.contains("[ ] Other"), "{screen}");
    app.act(space());
    let c = checkin(&app);
    assert_eq!(c.typed_len(), 0, "no space typed");
    assert!(c.other_ticked);
    let screen = text(&app, 80, 24);
    assert!(screen.contains("[x] Other"), "ticked:\n{screen}");
    assert!(screen.contains(" 0/500 characters"), "{screen}");
    assert!(!screen.contains(" 1/500 characters"), "{screen}");
    // Ticked but empty: Enter asks for the text instead of saving nothing.
    app.act(Action::Confirm);
    let c = checkin(&app);
    assert!(c.message.as_deref().unwrap().contains("Type what"), "{c:?}");
    // Space again unticks.
    app.act(space());
    assert!(!checkin(&app).other_ticked);
    app.act(space());
    app.type_text("bins");
    app.act(Action::Confirm);
    assert_eq!(app.state.screen, Screen::Review);
    app.act(Action::Save);
    let r = &app.store.history(None, None).unwrap()[0];
    let p = r
        .answers
        .iter()
        .find(|a| a.question_id == "pebbles")
        .unwrap();
    assert_eq!(p.label, "Other: bins", "not \" bins\"");
    // Spaces inside the text are still typed.
}

#[test]
fn spaces_inside_other_text_are_typed() {
    let mut app = fixture_app();
    fixture_at_other(&mut app);
    app.type_text("no parking");
    assert_eq!(checkin(&app).text_value(), "no parking");
}

#[test]
fn a_paste_into_a_note_is_text_not_keys() {
    let mut app = App::new();
    app.open_joy_note();
    // Today a pasted "my note", newline, "sq" moved to Review, saved and quit.
    app.act(Action::Paste("my note\nsq".into()));
    assert_eq!(app.state.screen, Screen::Question);
    assert!(!app.state.quit);
    assert_eq!(app.store.count("checkin").unwrap(), 0);
    // A note keeps the paste's lines (issue 18 §3).
    assert_eq!(checkin(&app).text_value(), "my note\nsq");
    // A Windows line end is one line break; a tab, a space.
    app.act(Action::Paste("\r\nline two\tend".into()));
    assert_eq!(checkin(&app).text_value(), "my note\nsq\nline two end");
    assert!(checkin(&app).message.is_none(), "nothing was cut");
}

#[test]
fn a_megabyte_paste_is_cut_to_the_limit_in_one_step() {
    let mut app = App::new();
    app.open_joy_note();
    app.type_text("start ");
    let big: String = "lorem ipsum\n".repeat((1 << 20) / 12 + 1);
    assert!(big.len() >= 1 << 20);
    let started = std::time::Instant::now();
    app.act(Action::Paste(big));
    let took = started.elapsed();
    let c = checkin(&app);
    assert_eq!(c.typed_len(), 4000, "cut to the question's limit");
    assert!(c.text_value().starts_with("start lorem ipsum\nlorem"));
    assert!(
        c.message.as_deref().unwrap().contains("cut to fit"),
        "{:?}",
        c.message
    );
    // One step, not a million key events (which took two minutes).
    assert!(took < std::time::Duration::from_secs(1), "{took:?}");
    // Once full, a further paste adds nothing.
    app.act(Action::Paste("more".into()));
    assert_eq!(checkin(&app).typed_len(), 4000);
}

#[test]
fn a_paste_anywhere_else_is_ignored() {
    let mut app = App::new();
    app.act(Action::Paste("\n1q".into()));
    assert_eq!(app.state.screen, Screen::Home);
    assert!(app.state.session.checkin.is_none() && !app.state.quit);
    app.select("who5");
    app.act(Action::Confirm);
    app.act(Action::Paste("1\n2\n3\n4\n5\ns".into()));
    assert_eq!(app.state.screen, Screen::Question);
    assert!(checkin(&app).answers.is_empty());
    // A number typed by digits still takes a pasted number.
    let mut app = fixture_app();
    app.acts(&[Action::Confirm, Action::Digit(2), Action::Digit(1)]);
    assert!(app.state.editing_text(), "ward hours are typed");
    app.act(Action::Paste("38".into()));
    app.act(Action::Confirm);
    let c = checkin(&app);
    assert_eq!(
        c.answers.get("ward-hours"),
        Some(&AnswerValue::Number(38.0))
    );
}

#[test]
fn a_long_note_wraps_and_stays_whole_on_screen_while_typing() {
    let mut app = App::new();
    app.open_joy_note();
    let words: Vec<String> = (1..=40).map(|i| format!("word{i:02}")).collect();
    let note = words.join(" ");
    assert!(note.chars().count() > 250);
    app.type_text(&note);
    for (w, h) in [(80, 24), (200, 60)] {
        let lines = screen_lines(&app, w, h);
        let screen = lines.join("\n");
        for word in &words {
            assert!(
                screen.contains(word.as_str()),
                "{word} hidden at {w}x{h}:\n{screen}"
            );
        }
        let box_lines = lines.iter().filter(|l| l.contains("word")).count();
        assert!(box_lines >= 3, "wrapped over several lines:\n{screen}");
    }
}

#[test]
fn help_while_typing_lists_only_keys_that_work_there() {
    let mut app = App::new();
    app.open_joy_note();
    app.act(Action::Help);
    assert!(app.state.help);
    let keys: Vec<&str> = keymap::help_hints(&app.state)
        .iter()
        .map(|h| h.key)
        .collect();
    for k in ["Enter", "Esc", "F1", "Ctrl-C"] {
        assert!(keys.contains(&k), "{k} missing from {keys:?}");
    }
    for k in ["?", "q", "s", "↑↓", "1-9", "Enter/1-9"] {
        assert!(
            !keys.contains(&k),
            "{k} does not work while typing: {keys:?}"
        );
    }
    let screen = text(&app, 80, 24);
    assert!(screen.contains("Ctrl-C  quit"), "{screen}");
    assert!(!screen.contains("   q  quit"), "{screen}");
    assert!(!screen.contains("   ?  help"), "{screen}");
}

// ---------------------------------------------------------------------
// 4. Screens that show all they hold

#[test]
fn the_progress_bar_is_drawn_once_and_is_not_full_at_question_2_of_5() {
    let mut app = App::new();
    app.select("who5");
    app.acts(&[Action::Confirm, Action::Pick(0)]);
    let lines = screen_lines(&app, 80, 24);
    let screen = lines.join("\n");
    assert_eq!(
        screen.matches("Question 2 of 5").count(),
        1,
        "said once:\n{screen}"
    );
    let bar = lines.iter().find(|l| l.contains('░')).unwrap();
    let full = bar.matches('█').count();
    let empty = bar.matches('░').count();
    // One question done of five: a fifth.
    assert!(full * 5 <= full + empty + 5 && full > 0, "{bar}");
    // At question 1 the bar is empty.
    let mut app = App::new();
    app.act(Action::Confirm);
    let lines = screen_lines(&app, 80, 24);
    assert!(lines.iter().any(|l| l.contains('░') && !l.contains('█')));
}

/// A WHO-5 check-in at the lowest answers: alert band, support, a flag.
fn low_who5_result(app: &mut App) {
    app.select("who5");
    app.act(Action::Confirm);
    for _ in 0..5 {
        app.act(Action::Pick(5));
    }
    app.act(Action::Save);
    assert_eq!(app.state.screen, Screen::Result);
}

#[test]
fn result_scroll_stops_at_the_end_and_says_more_lies_below() {
    let mut app = App::new();
    low_who5_result(&mut app);
    let first = text(&app, 80, 24);
    assert!(first.contains("↓ more below"), "{first}");
    let (_, max) = ui::result_scroll_limits(&app.state);
    assert!(max > 0);
    for _ in 0..50 {
        app.act(Action::Down);
    }
    assert_eq!(app.state.session.result.as_ref().unwrap().scroll, max);
    let end = screen_lines(&app, 80, 24);
    let screen = end.join("\n");
    // The flagged answers at the bottom are on screen, and nothing more is hinted.
    let flag = &app.state.session.result.as_ref().unwrap().outcome.flags[0];
    assert!(screen.contains(&flag.message[..20]), "{screen}");
    assert!(!screen.contains("↓ more below"), "{screen}");
    // No empty screen: the body is still full of text.
    let body_text = end[1..18].iter().filter(|l| !l.trim().is_empty()).count();
    assert!(body_text > 8, "{screen}");
    // One Up is one line back, not fifty.
    app.act(Action::Up);
    assert_eq!(app.state.session.result.as_ref().unwrap().scroll, max - 1);
    app.act(Action::First);
    assert_eq!(app.state.session.result.as_ref().unwrap().scroll, 0);
    app.act(Action::Last);
    assert_eq!(app.state.session.result.as_ref().unwrap().scroll, max);
    // At 200x60 it all fits: no scrolling, no hint.
    app.act(Action::Resize {
        width: 200,
        height: 60,
    });
    assert_eq!(ui::result_scroll_limits(&app.state).1, 0);
    app.act(Action::Down);
    assert_eq!(app.state.session.result.as_ref().unwrap().scroll, 0);
    assert!(!text(&app, 200, 60).contains("more below"));
}

#[test]
fn detail_scroll_stops_at_the_end() {
    let mut app = App::new();
    app.select("people-promise");
    app.act(Action::Confirm);
    for _ in 0..40 {
        if app.state.screen != Screen::Question {
            break;
        }
        app.act(Action::Pick(0));
    }
    app.act(Action::Save);
    app.acts(&[Action::OpenHistory, Action::Confirm]);
    assert_eq!(app.state.screen, Screen::Detail);
    app.act(Action::Resize {
        width: 80,
        height: 14,
    });
    let (_, max) = ui::detail_scroll_limits(&app.state);
    assert!(max > 0, "the pulse's answers do not fit at 80x14");
    assert!(text(&app, 80, 14).contains("↓ more below"));
    for _ in 0..100 {
        app.act(Action::Down);
    }
    assert_eq!(app.state.session.detail_scroll, max);
    let screen = text(&app, 80, 14);
    assert!(!screen.contains("↓ more below"), "{screen}");
    app.act(Action::PageUp);
    assert!(app.state.session.detail_scroll < max);
}

#[test]
fn lines_stay_readable_at_200x60() {
    let mut app = App::new();
    app.act(Action::Resize {
        width: 200,
        height: 60,
    });
    low_who5_result(&mut app);
    for l in screen_lines(&app, 200, 60) {
        let used = l.trim_end().chars().count();
        assert!(used <= 102 || l.contains(" help"), "too wide ({used}): {l}");
    }
}

#[test]
fn review_shows_whole_questions_when_there_is_room() {
    let mut app = App::new();
    app.act(Action::Resize {
        width: 200,
        height: 60,
    });
    app.select("who5");
    app.act(Action::Confirm);
    for _ in 0..5 {
        app.act(Action::Pick(2));
    }
    assert_eq!(app.state.screen, Screen::Review);
    let screen = text(&app, 200, 60);
    assert!(
        screen.contains("My daily life has been filled with things that interest me"),
        "{screen}"
    );
    assert!(!screen.contains('…'), "{screen}");
    // The save line follows the list, with no screenful of empty lines between.
    let lines = screen_lines(&app, 200, 60);
    let last = lines
        .iter()
        .position(|l| l.contains("6. Anything you would like to note"))
        .unwrap();
    let save = lines
        .iter()
        .position(|l| l.contains("Press s to save"))
        .unwrap();
    assert!(save > last && save - last <= 2, "{screen}");
}

/// At 80 columns a question and its answer do not fit side by side: each
/// row takes two lines (the question, then the answer), so neither is cut,
/// and a click on either line opens that question.
#[test]
fn review_at_80_columns_cuts_nothing_and_both_lines_of_a_row_are_its_target() {
    let mut app = App::new();
    app.select("who5");
    app.act(Action::Confirm);
    for _ in 0..5 {
        app.act(Action::Pick(2));
    }
    assert_eq!(app.state.screen, Screen::Review);
    let screen = text(&app, 80, 24);
    assert!(
        screen.contains("My daily life has been filled with things that interest me"),
        "{screen}"
    );
    assert!(!screen.contains('…'), "{screen}");
    let lines = screen_lines(&app, 80, 24);
    let q4 = lines
        .iter()
        .position(|l| l.contains("4. I woke up"))
        .unwrap() as u16;
    app.act(Action::Click {
        column: 10,
        row: q4 + 1,
    });
    assert_eq!(app.state.screen, Screen::Question);
    let c = app.state.session.checkin.as_ref().unwrap();
    assert_eq!(
        c.question(&app.state.questionnaires[c.questionnaire]).id,
        "rested"
    );
}

#[test]
fn home_has_no_gap_between_list_and_description_at_200x60() {
    let mut app = App::new();
    app.act(Action::Resize {
        width: 200,
        height: 60,
    });
    let lines = screen_lines(&app, 200, 60);
    let last_item = lines
        .iter()
        .rposition(|l| l.contains("Not done yet") || l.contains("Team reflection:"))
        .unwrap();
    let about = lines
        .iter()
        .position(|l| l.contains("Five short statements"))
        .unwrap();
    assert!(about > last_item && about - last_item <= 3, "{lines:#?}");
}

/// Where `label` is drawn: (column, row).
fn find(app: &App, w: u16, h: u16, label: &str) -> (u16, u16) {
    let lines = screen_lines(app, w, h);
    for (y, l) in lines.iter().enumerate() {
        if let Some(byte) = l.find(label) {
            return (l[..byte].chars().count() as u16 + 2, y as u16);
        }
    }
    panic!("{label} not on screen:\n{}", lines.join("\n"));
}

#[test]
fn q_then_y_quits_and_esc_on_the_first_question_then_y_goes_home() {
    let mut app = App::new();
    app.select("who5");
    app.acts(&[Action::Confirm, Action::Pick(0), Action::Quit]);
    assert_eq!(
        app.state.confirm,
        Some(Confirm::Leave {
            then: AfterLeave::Quit
        })
    );
    assert!(text(&app, 80, 24).contains("Quit anyway?"));
    app.act(Action::Yes);
    assert!(app.state.quit, "q then y quits");
    assert_eq!(app.store.count("checkin").unwrap(), 0);

    let mut app = App::new();
    app.select("who5");
    app.acts(&[Action::Confirm, Action::Pick(0), Action::Back, Action::Back]);
    assert_eq!(
        app.state.confirm,
        Some(Confirm::Leave {
            then: AfterLeave::Home
        })
    );
    app.act(Action::Yes);
    assert!(!app.state.quit);
    assert_eq!(app.state.screen, Screen::Home);
    assert!(app.state.session.checkin.is_none());
}

#[test]
fn buttons_inside_dialogs_are_clickable() {
    for (w, h) in [(80, 24), (200, 60), (40, 12)] {
        // Leave dialog: "stay" closes it, "leave and quit" quits.
        let mut app = App::new();
        app.act(Action::Resize {
            width: w,
            height: h,
        });
        app.select("who5");
        app.acts(&[Action::Confirm, Action::Pick(0), Action::Quit]);
        let (x, y) = find(&app, w, h, "[ n stay ]");
        assert!(y < h - 2, "the button is inside the box, not the key bar");
        app.act(Action::Click { column: x, row: y });
        assert_eq!(app.state.confirm, None, "{w}x{h}");
        assert_eq!(app.state.screen, Screen::Question);
        app.act(Action::Quit);
        let (x, y) = find(&app, w, h, "[ y leave and quit ]");
        app.act(Action::Click { column: x, row: y });
        assert!(app.state.quit, "{w}x{h}");

        // Help: its close button.
        let mut app = App::new();
        app.act(Action::Resize {
            width: w,
            height: h,
        });
        app.act(Action::Help);
        let (x, y) = find(&app, w, h, "[ Esc close ]");
        app.act(Action::Click { column: x, row: y });
        assert!(!app.state.help, "{w}x{h}");
        // A click elsewhere in the dialog does nothing.
        app.act(Action::Help);
        app.act(Action::Click {
            column: w / 2,
            row: 3,
        });
        assert!(app.state.help);
    }
}

fn with_347_checkins() -> App {
    let mut app = App::new();
    let me = app.state.session.respondent.unwrap();
    let list = demo::generate(&Catalog::bundled(), me, 400, app.t, 7);
    app.store.save_many(&list).unwrap();
    app.act(Action::OpenHistory);
    assert_eq!(app.state.session.history.len(), 347);
    app
}

#[test]
fn history_pages_jumps_and_says_which_row() {
    let mut app = with_347_checkins();
    assert!(text(&app, 80, 24).contains("Row 1 of 347"));
    let page = ui::history_page(&app.state);
    assert!(page >= 10, "{page}");
    app.act(Action::PageDown);
    assert_eq!(app.state.session.history_selected, page);
    app.act(Action::PageUp);
    assert_eq!(app.state.session.history_selected, 0);
    app.act(Action::Last);
    assert_eq!(app.state.session.history_selected, 346);
    assert!(text(&app, 80, 24).contains("Row 347 of 347"));
    app.act(Action::PageDown);
    assert_eq!(app.state.session.history_selected, 346, "stops at the end");
    app.act(Action::First);
    assert_eq!(app.state.session.history_selected, 0);
    for _ in 0..11 {
        app.act(Action::Down);
    }
    let screen = text(&app, 80, 24);
    assert!(screen.contains("Row 12 of 347"), "{screen}");
}

#[test]
fn history_filters_by_questionnaire() {
    let mut app = with_347_checkins();
    // Personal questionnaires only: team reflections are nobody's history.
    let ids: Vec<String> = app
        .state
        .questionnaires
        .iter()
        .filter(|q| q.kind == joy_kiosk::questionnaire::Kind::Personal)
        .map(|q| q.id.clone())
        .collect();
    for id in &ids {
        app.act(Action::Filter);
        assert_eq!(
            app.state.session.history_filter.as_deref(),
            Some(id.as_str())
        );
        assert!(!app.state.session.history.is_empty());
        assert!(app
            .state
            .session
            .history
            .iter()
            .all(|r| &r.questionnaire_id == id));
        let title = &app
            .state
            .questionnaires
            .iter()
            .find(|q| &q.id == id)
            .unwrap()
            .title;
        let screen = text(&app, 80, 24);
        assert!(
            screen.contains(&format!("of {} · {title}", app.state.session.history.len())),
            "{screen}"
        );
    }
    app.act(Action::Filter);
    assert_eq!(app.state.session.history_filter, None, "back to all");
    assert_eq!(app.state.session.history.len(), 347);
    assert!(text(&app, 80, 24).contains("All questionnaires"));
}

#[test]
fn deleting_one_checkin_asks_first_and_removes_only_it() {
    let mut app = with_347_checkins();
    app.acts(&[Action::Down, Action::Down]);
    let victim = app.state.session.history[2].id;
    let answers = app.store.count("answer").unwrap();
    app.act(Action::Delete);
    assert!(matches!(
        app.state.confirm,
        Some(Confirm::Delete { id, .. }) if id == victim
    ));
    let screen = text(&app, 80, 24);
    assert!(screen.contains("Delete this check-in?"), "{screen}");
    assert!(screen.contains("This cannot be"), "{screen}");
    // "No" keeps it.
    app.act(Action::No);
    assert_eq!(app.store.count("checkin").unwrap(), 347);
    // Yes deletes it, its answers and scores, and the list reloads.
    app.act(Action::Delete);
    app.act(Action::Yes);
    assert_eq!(app.store.count("checkin").unwrap(), 346);
    assert!(app.store.checkin(victim).unwrap().is_none());
    assert!(app.store.count("answer").unwrap() < answers);
    assert_eq!(app.state.session.history.len(), 346);
    assert!(app.state.session.history.iter().all(|r| r.id != victim));
    assert_eq!(
        app.state.session.history_selected, 2,
        "stays at the same row"
    );
    assert!(app.state.status.as_deref().unwrap().contains("deleted"));
    // The dialog's button deletes too, from the detail screen.
    app.act(Action::Confirm);
    assert_eq!(app.state.screen, Screen::Detail);
    let shown = app.state.session.detail.as_ref().unwrap().id;
    app.act(Action::Delete);
    let (x, y) = find(&app, 80, 24, "[ y delete ]");
    app.act(Action::Click { column: x, row: y });
    assert!(app.store.checkin(shown).unwrap().is_none());
    assert_eq!(app.state.screen, Screen::History);
    assert_eq!(app.state.session.history.len(), 345);
}

#[test]
fn deleting_a_checkin_that_is_gone_says_so_and_deletes_nothing_else() {
    let mut app = with_347_checkins();
    let me = app.state.session.respondent.unwrap();
    let id = app.state.session.history[0].id;
    assert!(app.store.delete_checkin(me, id).unwrap());
    assert!(!app.store.delete_checkin(me, id).unwrap(), "already gone");
    assert!(
        !app.store
            .delete_checkin(me + 1, app.state.session.history[1].id)
            .unwrap(),
        "only the respondent's own check-ins"
    );
    assert_eq!(app.store.count("checkin").unwrap(), 346);
    // The list still shows the deleted row; the dialog's yes finds it gone.
    app.act(Action::Delete);
    app.act(Action::Yes);
    assert_eq!(
        app.state.status.as_deref(),
        Some("That check-in could not be found.")
    );
    assert_eq!(app.state.session.history.len(), 346);
}

/// At 80 columns a History row never shows half a word: the band's name is
/// shown whole when it fits, else left to Detail; the tone word always.
#[test]
fn history_rows_at_80_columns_cut_no_word() {
    let mut app = App::new();
    let me = app.state.session.respondent.unwrap();
    let cat = joy_kiosk::questionnaire::Catalog::bundled();
    let list = joy_kiosk::demo::generate(&cat, me, 120, app.t, 7);
    app.store.save_many(&list).unwrap();
    app.act(Action::OpenHistory);
    let screen = text(&app, 80, 24);
    assert!(!screen.contains('…'), "{screen}");
    assert!(
        screen.contains("[caution]") || screen.contains("[good]"),
        "{screen}"
    );
}

/// Issue 18, §6: History filtered to one questionnaire, its last check-in
/// deleted: it says there are none of that one (and how to see the rest),
/// never "No check-ins yet" while others exist.
#[test]
fn deleting_the_last_of_a_filtered_history_says_none_of_that_one() {
    let mut app = App::new();
    let me = app.state.session.respondent.unwrap();
    let all = demo::generate(&Catalog::bundled(), me, 30, app.t, 7);
    let who5: Vec<_> = all
        .iter()
        .filter(|c| c.questionnaire_id == "who5")
        .take(1)
        .cloned()
        .collect();
    let others: Vec<_> = all
        .iter()
        .filter(|c| c.questionnaire_id != "who5")
        .cloned()
        .collect();
    assert!(!others.is_empty());
    app.store.save_many(&who5).unwrap();
    app.store.save_many(&others).unwrap();
    app.act(Action::OpenHistory);
    while app.state.session.history_filter.as_deref() != Some("who5") {
        app.act(Action::Filter);
    }
    assert_eq!(app.state.session.history.len(), 1);
    app.act(Action::Delete);
    app.act(Action::Yes);
    let screen = text(&app, 80, 24);
    assert!(!screen.contains("No check-ins yet"), "{screen}");
    assert!(
        screen.contains("No check-ins of WHO-5 Wellbeing Index here")
            && screen.contains("f to show"),
        "{screen}"
    );
}

/// Issue 18, §6: more questionnaires than Home's list holds (every bundled
/// one, at 80x16): it says how many lie below, and ↓ reaches them.
#[test]
fn home_says_more_questionnaires_lie_below() {
    let mut app = App::new();
    let qs: Vec<_> = Catalog::bundled()
        .entries
        .into_iter()
        .map(|e| e.questionnaire)
        .collect();
    let n = qs.len();
    app.state = joy_kiosk::app::State::new(qs, app.state.session.respondent, app.t);
    app.act(Action::Resize {
        width: 80,
        height: 16,
    });
    let screen = text(&app, 80, 16);
    assert!(screen.contains("more below (↓)"), "{screen}");
    for _ in 1..n {
        app.act(Action::Down);
    }
    let screen = text(&app, 80, 16);
    let last = &app.state.questionnaires[n - 1].title;
    assert!(screen.contains(last.as_str()), "{screen}");
    assert!(!screen.contains("more below"), "{screen}");
}

/// Issue 18, §6: a long note's wrapped lines in Detail start at the
/// margin, not one space in.
#[test]
fn a_long_note_wraps_at_the_margin_in_detail() {
    let mut app = App::new();
    let cat = Catalog::bundled();
    let q = cat.get("joy-in-work").unwrap();
    let note = "note=the new starter was brilliant and the handover this morning went well and we all had a break";
    let a = joy_kiosk::questionnaire::answers::parse_pairs(
        q,
        ["enjoy=4", "look-forward=4", "value=4", "relations=4", note],
    )
    .unwrap();
    let o = joy_kiosk::questionnaire::score(q, &a);
    let me = app.state.session.respondent.unwrap();
    app.store
        .save_checkin(&joy_kiosk::store::NewCheckin::from_outcome(
            q,
            &a,
            &o,
            Some(me),
            app.t,
            app.t,
        ))
        .unwrap();
    app.act(Action::OpenHistory);
    app.act(Action::Confirm);
    let lines = screen_lines(&app, 80, 24);
    let wrapped = lines
        .iter()
        .find(|l| l.contains("starter was brilliant"))
        .unwrap_or_else(|| panic!("{lines:#?}"));
    // The screen's own margin is one column; the wrapped text starts there.
    assert!(wrapped.starts_with(" starter"), "{lines:#?}");
}

/// Issue 18, §3: the note box's keys as people know them. The "at most"
/// warning goes once the text is back within it; Ctrl-U deletes to the
/// line's start (not one character); `!` types "!" and F2 opens support,
/// as the key bar says while typing.
#[test]
fn the_note_box_keys_work_as_people_know_them() {
    use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    let mut app = App::new();
    app.open_joy_note();
    assert!(app.state.editing_text(), "on the note");
    let long = "a".repeat(4100);
    app.type_text(&long);
    let said = app.state.session.checkin.as_ref().unwrap().message.clone();
    assert!(said.is_some_and(|m| m.contains("at most")));
    app.act(Action::Edit(KeyEvent::new(
        KeyCode::Backspace,
        KeyModifiers::NONE,
    )));
    assert_eq!(
        app.state.session.checkin.as_ref().unwrap().message,
        None,
        "the warning goes once within the limit"
    );
    let ctrl_u = Event::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    let a = joy_kiosk::keymap::map(&ctrl_u, &app.state).expect("a key while typing");
    app.act(a);
    assert_eq!(
        app.state.session.checkin.as_ref().unwrap().text_value(),
        "",
        "Ctrl-U deletes to the line's start"
    );
    let bang = Event::Key(KeyEvent::new(KeyCode::Char('!'), KeyModifiers::NONE));
    let a = joy_kiosk::keymap::map(&bang, &app.state).expect("typed");
    app.act(a);
    assert_eq!(
        app.state.session.checkin.as_ref().unwrap().text_value(),
        "!"
    );
    let screen = screen_lines(&app, 80, 24).join("\n");
    assert!(screen.contains("F2 support"), "{screen}");
    let f2 = Event::Key(KeyEvent::new(KeyCode::F(2), KeyModifiers::NONE));
    let a = joy_kiosk::keymap::map(&f2, &app.state).expect("F2 while typing");
    assert_eq!(a, Action::Support);
}

/// An app on one test questionnaire whose first question is `long`,
/// followed by a short one when `second`, at `w` x `h`.
fn app_with_long_question(long: &str, second: bool, w: u16, h: u16) -> App {
    let mut file = format!(
        r#"id = "long-q"
version = "1"
title = "Long question"
description = "A test questionnaire."
kind = "personal"
minutes = 1
[licence]
text = "Test only."
source = "https://example.org/test"
[[questions]]
id = "sleep"
type = "choice"
text = "{long}"
options = [{{ label = "Well", value = 1 }}, {{ label = "Badly", value = 0 }}]
"#
    );
    if second {
        file.push_str(
            r#"[[questions]]
id = "other"
type = "choice"
text = "Short one"
options = [{ label = "Yes", value = 1 }, { label = "No", value = 0 }]
"#,
        );
    }
    let q = joy_kiosk::questionnaire::load_str("long.toml", &file).expect("a valid file");
    let mut app = App::new();
    app.state = joy_kiosk::app::State::new(vec![q], app.state.session.respondent, app.t);
    app.act(Action::Resize {
        width: w,
        height: h,
    });
    app
}

/// Issue 18, §6: Review at 80x24 cuts no question: a long one wraps, its
/// answer below it, every word on screen; a tap on its second line still
/// chooses it.
#[test]
fn review_wraps_long_questions_instead_of_cutting_them() {
    let long = "Thinking about the whole of the last fortnight, including the nights you covered and the training you missed, how well have you slept";
    let mut app = app_with_long_question(long, true, 80, 24);
    app.acts(&[Action::Confirm, Action::Pick(0), Action::Pick(1)]);
    assert_eq!(app.state.screen, Screen::Review);
    let lines = screen_lines(&app, 80, 24);
    let screen = lines.join(" ");
    let words: String = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains(long), "{lines:#?}");
    assert!(!screen.contains('…'), "{lines:#?}");
    // A tap on the question's second line chooses it (the first row).
    let second = lines
        .iter()
        .position(|l| l.contains("covered and"))
        .or_else(|| lines.iter().position(|l| l.contains("slept")))
        .unwrap_or_else(|| panic!("{lines:#?}")) as u16;
    app.act(Action::Down);
    app.act(Action::Click {
        column: 10,
        row: second,
    });
    let c = app.state.session.checkin.as_ref().unwrap();
    assert_eq!(c.review_selected, 0, "{lines:#?}");
}

/// Issue 18, §6: at 40x12 a long question is cut: the screen says there is
/// more, the key bar offers PgDn, and PgDn shows the rest of it.
#[test]
fn a_long_question_scrolls_on_a_small_screen() {
    let long = "Thinking about the whole of the last fortnight including the nights you covered and the training you missed how well have you slept on the whole";
    let mut app = app_with_long_question(long, false, 40, 12);
    app.act(Action::Confirm);
    assert_eq!(app.state.screen, Screen::Question);
    let before = screen_lines(&app, 40, 12).join("\n");
    assert!(!before.contains("on the whole"), "cut at first: {before}");
    assert!(before.contains("PgDn"), "{before}");
    for _ in 0..10 {
        app.act(Action::PageDown);
    }
    let after = screen_lines(&app, 40, 12).join("\n");
    assert!(after.contains("whole"), "{after}");
    // Wide enough, nothing to scroll and no PgDn offered.
    app.act(Action::Resize {
        width: 160,
        height: 40,
    });
    let wide = screen_lines(&app, 160, 40).join("\n");
    assert!(
        wide.contains("on the whole") && !wide.contains("PgDn"),
        "{wide}"
    );
}

/// From the new-user trial: a digit that is none of the options (7 on
/// WHO-5's 0 to 5) says so, instead of doing nothing.
#[test]
fn a_digit_that_is_no_option_says_so() {
    let mut app = App::new();
    app.select("who5");
    app.act(Action::Confirm);
    app.act(Action::Digit(7));
    let c = checkin(&app);
    assert_eq!(c.index, 0);
    assert!(
        c.message
            .as_deref()
            .is_some_and(|m| m.contains("7 is not one of the options")),
        "{:?}",
        c.message
    );
}
