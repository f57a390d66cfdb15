//! The History list loads a page at a time (issue 10): a person with 347
//! check-ins sees the right rows and counter wherever they go, with only a
//! window of rows in memory, and filter and delete still work.

mod common;

use common::{screen_lines, App};
use joy_kiosk::app::history::MAX_WINDOW;
use joy_kiosk::app::{Action, Screen};
use joy_kiosk::questionnaire::Catalog;
use joy_kiosk::store::CheckinRecord;
use joy_kiosk::{demo, ui};

fn text(app: &App) -> String {
    screen_lines(app, 80, 24).join("\n")
}

/// The app with 347 check-ins of the local person, History open, and the
/// full history (newest first) read the old way, to compare with.
fn app_347() -> (App, Vec<CheckinRecord>) {
    let mut app = App::new();
    let me = app.state.session.respondent.unwrap();
    let list = demo::generate(&Catalog::bundled(), me, 400, app.t, 7);
    app.store.save_many(&list).unwrap();
    let all = app.store.history(Some(me), None).unwrap();
    assert_eq!(all.len(), 347);
    app.act(Action::OpenHistory);
    (app, all)
}

fn when(r: &CheckinRecord) -> String {
    r.completed_at
        .with_timezone(&chrono::Local)
        .format("%-d %b %Y %H:%M")
        .to_string()
}

/// The highlighted row is loaded, is the right check-in, and is drawn.
fn assert_selected(app: &App, all: &[CheckinRecord]) {
    let i = app.state.session.history_selected;
    let row = app
        .state
        .session
        .history
        .get(i)
        .expect("selected row loaded");
    assert_eq!(row.id, all[i].id, "row {i}");
    let screen = text(app);
    let line = screen
        .lines()
        .find(|l| l.trim_start().starts_with('›'))
        .unwrap_or_else(|| panic!("no highlighted row at {i}:\n{screen}"));
    assert!(line.contains(&when(&all[i])), "row {i}: {line}");
    assert!(
        screen.contains(&format!("Row {} of {}", i + 1, all.len())),
        "{screen}"
    );
}

#[test]
fn opening_history_loads_a_page_not_the_whole_history() {
    let (app, all) = app_347();
    let list = &app.state.session.history;
    assert_eq!(list.len(), 347, "the count is the whole list");
    assert!(list.rows.len() < 60, "loaded {} rows", list.rows.len());
    assert_eq!(list.offset, 0);
    assert_selected(&app, &all);
    // Every row on screen is drawn with its date, newest first.
    let screen = text(&app);
    let page = ui::history_page(&app.state);
    for r in &all[..page] {
        assert!(screen.contains(&when(r)), "{}\n{screen}", when(r));
    }
}

#[test]
fn end_shows_the_last_row_and_the_counter_is_right() {
    let (mut app, all) = app_347();
    app.act(Action::Last);
    assert_eq!(app.state.session.history_selected, 346);
    assert_selected(&app, &all);
    let screen = text(&app);
    assert!(screen.contains("Row 347 of 347"), "{screen}");
    // The rows above it on screen are the ones before it in the list.
    let page = ui::history_page(&app.state);
    for r in &all[347 - page..] {
        assert!(screen.contains(&when(r)), "{}\n{screen}", when(r));
    }
    assert!(app.state.session.history.rows.len() < 60);
    // Opening it shows that check-in with its answers.
    app.act(Action::Confirm);
    assert_eq!(app.state.screen, Screen::Detail);
    let d = app.state.session.detail.as_ref().unwrap();
    assert_eq!(d.id, all[346].id);
    assert!(!d.answers.is_empty());
    // Home goes back to the top.
    app.act(Action::Back);
    app.act(Action::First);
    assert_selected(&app, &all);
}

#[test]
fn every_row_is_reached_one_step_or_one_page_at_a_time_in_both_directions() {
    let (mut app, all) = app_347();
    for _ in 0..346 {
        app.act(Action::Down);
        assert_selected(&app, &all);
        assert!(app.state.session.history.rows.len() <= MAX_WINDOW);
    }
    app.act(Action::Down);
    assert_eq!(app.state.session.history_selected, 346, "stops at the end");
    for _ in 0..346 {
        app.act(Action::Up);
        assert_selected(&app, &all);
    }
    assert_eq!(app.state.session.history_selected, 0);
    // Pages: from the end upwards (loading newer rows), then down again.
    app.act(Action::Last);
    let page = ui::history_page(&app.state);
    let mut expect = 346usize;
    while expect > 0 {
        app.act(Action::PageUp);
        expect = expect.saturating_sub(page);
        assert_eq!(app.state.session.history_selected, expect);
        assert_selected(&app, &all);
    }
    while expect < 346 {
        app.act(Action::PageDown);
        expect = (expect + page).min(346);
        assert_eq!(app.state.session.history_selected, expect);
        assert_selected(&app, &all);
    }
}

#[test]
fn a_click_opens_the_row_clicked_after_paging() {
    let (mut app, all) = app_347();
    app.act(Action::Last);
    // The first list row on screen is two lines below the body's top.
    let lines = screen_lines(&app, 80, 24);
    let first = &all[347 - ui::history_page(&app.state)];
    let title = app
        .state
        .questionnaires
        .iter()
        .find(|q| q.id == first.questionnaire_id)
        .map(|q| q.title.clone())
        .unwrap();
    // Its time and its questionnaire (two check-ins may share a minute).
    let y = lines
        .iter()
        .position(|l| l.contains(&when(first)) && l.contains(&title))
        .unwrap() as u16;
    app.act(Action::Click { column: 10, row: y });
    assert_eq!(app.state.screen, Screen::Detail);
    assert_eq!(app.state.session.detail.as_ref().unwrap().id, first.id);
}

#[test]
fn filter_pages_too_and_counts_only_that_questionnaire() {
    let (mut app, all) = app_347();
    app.act(Action::Filter);
    let id = app.state.session.history_filter.clone().unwrap();
    let mine: Vec<&CheckinRecord> = all.iter().filter(|r| r.questionnaire_id == id).collect();
    assert_eq!(app.state.session.history.len(), mine.len());
    assert!(mine.len() > 30, "{}", mine.len());
    app.act(Action::Last);
    let last = mine.len() - 1;
    assert_eq!(app.state.session.history_selected, last);
    assert_eq!(app.state.session.history[last].id, mine[last].id);
    assert!(text(&app).contains(&format!("Row {} of {}", mine.len(), mine.len())));
    assert!(app
        .state
        .session
        .history
        .iter()
        .all(|r| r.questionnaire_id == id));
}

#[test]
fn deleting_the_last_row_keeps_the_list_and_counter_right() {
    let (mut app, all) = app_347();
    app.act(Action::Last);
    app.act(Action::Delete);
    app.act(Action::Yes);
    assert!(app.store.checkin(all[346].id).unwrap().is_none());
    assert_eq!(app.state.session.history.len(), 346);
    assert_eq!(app.state.session.history_selected, 345, "the new last row");
    assert_selected(&app, &all[..346]);
    // And in the middle, after paging there: the next older row takes its place.
    for _ in 0..100 {
        app.act(Action::Up);
    }
    assert_eq!(app.state.session.history_selected, 245);
    app.act(Action::Delete);
    app.act(Action::Yes);
    let left: Vec<CheckinRecord> = all[..346]
        .iter()
        .filter(|r| r.id != all[245].id)
        .cloned()
        .collect();
    assert_eq!(app.state.session.history.len(), 345);
    assert_eq!(app.state.session.history_selected, 245);
    assert_selected(&app, &left);
}
