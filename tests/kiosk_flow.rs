//! Kiosk mode through the app logic on an in-memory database, with a clock
//! that the tests move: anonymous check-ins, lock-down, the idle reset that
//! drops a person's whole session, the result countdown, the submission
//! interval, the burst filter and the admin sequence.

mod common;

use common::{screen_lines, App};
use joy_kiosk::app::{Action, Effect, Screen};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// From the welcome screen: an anonymous WHO-5 check-in for team "Ward 7",
/// all answered "5" (row 1), up to the review screen.
fn answer_who5(app: &mut App) {
    let i = app.index_of("who5");
    app.act(Action::Pick(i));
    assert_eq!(app.state.screen, Screen::Team);
    app.act(Action::Pick(0));
    assert_eq!(app.state.screen, Screen::Question);
    for _ in 0..5 {
        app.act(Action::Pick(0));
    }
    assert_eq!(app.state.screen, Screen::Review);
}

fn text(app: &App) -> String {
    screen_lines(app, 80, 24).join("\n")
}

#[test]
fn an_anonymous_check_in_is_saved_with_its_team_and_no_respondent() {
    let mut app = App::kiosk();
    assert_eq!(app.state.screen, Screen::Welcome);
    answer_who5(&mut app);
    app.act(Action::Save);
    assert_eq!(app.state.screen, Screen::Result);
    let (respondent, team): (Option<i64>, Option<String>) = app
        .store
        .connection()
        .query_row("SELECT respondent_id, team FROM checkin", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(respondent, None);
    assert_eq!(team.as_deref(), Some("Ward 7"));
    // The result shows no "history" or "trends": an anonymous entry has none.
    let screen = text(&app);
    assert!(!screen.contains("history"), "{screen}");
    assert!(!screen.contains("trends"), "{screen}");
    // Done: back to the welcome screen, and the terminal is cleared.
    let effects = app.act_after(5_000, Action::Confirm);
    assert_eq!(app.state.screen, Screen::Welcome);
    assert!(effects.contains(&Effect::ClearTerminal));
    assert!(app.state.session.result.is_none());
}

#[test]
fn the_welcome_screen_shows_nobodys_data() {
    let mut app = App::kiosk();
    answer_who5(&mut app);
    app.act(Action::Save);
    app.act_after(5_000, Action::Confirm);
    let screen = text(&app);
    for word in ["Last", "last", "score", "Score", "▁", "█", "/ 100"] {
        assert!(
            !screen.contains(word),
            "{word:?} on the welcome screen:\n{screen}"
        );
    }
    assert!(screen.contains("anonymous"), "{screen}");
    assert!(screen.contains("Ward 7 (demo)"), "{screen}");
}

#[test]
fn no_action_on_any_screen_leaves_the_kiosk() {
    let keys = [
        Action::Quit,
        Action::Back,
        Action::Back,
        Action::Back,
        Action::Help,
        Action::Quit,
        Action::Back,
        Action::Support,
        Action::Quit,
        Action::Back,
        Action::Paste("q\n\u{3}exit\n".into()),
        Action::Yes,
    ];
    // On the welcome screen, in a check-in, on review and on the result.
    for stop in 0..4 {
        let mut app = App::kiosk();
        if stop >= 1 {
            app.act(Action::Pick(0));
            app.act(Action::Pick(0));
        }
        if stop >= 2 {
            for _ in 0..5 {
                app.act(Action::Pick(0));
            }
        }
        if stop >= 3 {
            app.act(Action::Save);
        }
        for k in &keys {
            app.act(k.clone());
            assert!(!app.state.quit, "{k:?} left the kiosk (stop {stop})");
        }
        assert!(!app.state.quit);
    }
}

#[test]
fn walking_away_drops_the_whole_session_and_clears_the_terminal() {
    let mut app = App::kiosk();
    app.act(Action::Pick(0)); // WHO-5 (first offered)
    app.act(Action::Pick(1)); // team "Theatres"
    app.act(Action::Pick(2)); // an answer
    assert_eq!(app.state.screen, Screen::Question);
    assert!(!app
        .state
        .session
        .checkin
        .as_ref()
        .unwrap()
        .answers
        .is_empty());
    // 79 s later nothing happens yet; at 80 s the warning shows.
    assert!(app.act_after(79_000, Action::Tick).is_empty());
    assert!(!text(&app).contains("Still there?"));
    app.act_after(1_000, Action::Tick);
    let screen = text(&app);
    assert!(screen.contains("Still there?"), "{screen}");
    assert!(screen.contains("10 s"), "{screen}");
    // At 90 s: the session is gone, the screen is cleared.
    let effects = app.act_after(10_000, Action::Tick);
    assert!(effects.contains(&Effect::ClearTerminal), "{effects:?}");
    assert_eq!(app.state.screen, Screen::Welcome);
    assert!(app.state.session.checkin.is_none());
    assert!(app.state.session.team.is_none());
    assert_eq!(app.store.count("checkin").unwrap(), 0, "nothing saved");
    assert!(!text(&app).contains("Still there?"));
    // Once only: further ticks do nothing.
    assert!(app.act_after(5_000, Action::Tick).is_empty());
}

#[test]
fn a_key_during_the_warning_keeps_the_session_and_does_nothing_else() {
    let mut app = App::kiosk();
    answer_who5(&mut app);
    app.act_after(85_000, Action::Tick);
    assert!(text(&app).contains("Still there?"));
    // The key wakes the session; it does not save.
    app.act_after(100, Action::Save);
    assert_eq!(app.state.screen, Screen::Review);
    assert_eq!(app.store.count("checkin").unwrap(), 0);
    assert!(!text(&app).contains("Still there?"));
    // 89 s later still there; the full timeout counts from the key.
    app.act_after(89_000, Action::Tick);
    assert_eq!(app.state.screen, Screen::Review);
}

#[test]
fn the_result_counts_down_and_any_key_gives_more_time() {
    let mut app = App::kiosk();
    answer_who5(&mut app);
    app.act(Action::Save);
    assert_eq!(app.state.screen, Screen::Result);
    app.act_after(30_000, Action::Tick);
    let screen = text(&app);
    assert!(screen.contains("Back to the start in 15 s"), "{screen}");
    app.act_after(10_000, Action::Down); // reading: scrolls, resets the clock
    app.act_after(44_000, Action::Tick);
    assert_eq!(app.state.screen, Screen::Result);
    let effects = app.act_after(1_000, Action::Tick);
    assert_eq!(app.state.screen, Screen::Welcome);
    assert!(effects.contains(&Effect::ClearTerminal));
}

#[test]
fn two_saves_from_this_terminal_are_spaced_by_the_minimum_interval() {
    let mut app = App::kiosk();
    answer_who5(&mut app);
    app.act(Action::Save);
    let first = app.t;
    app.act_after(1_000, Action::Confirm);
    // A second check-in done within 10 s of the first save.
    app.t = first;
    app.act_after(600, Action::Pick(0));
    app.act_after(600, Action::Pick(0));
    for _ in 0..5 {
        app.act_after(600, Action::Pick(1));
    }
    assert_eq!(app.state.screen, Screen::Review);
    app.act_after(600, Action::Save);
    assert_eq!(app.store.count("checkin").unwrap(), 1, "not yet");
    assert_eq!(app.state.screen, Screen::Review, "answers kept");
    let screen = text(&app);
    assert!(screen.contains("at least 10 s apart"), "{screen}");
    assert!(screen.contains("Saving in 6 s"), "{screen}");
    // The countdown runs with the clock, then the save happens by itself.
    app.act_after(3_000, Action::Tick);
    assert!(text(&app).contains("Saving in 3 s"), "{}", text(&app));
    app.act_after(3_000, Action::Tick);
    assert_eq!(app.store.count("checkin").unwrap(), 2);
    assert_eq!(app.state.screen, Screen::Result);
    // Saved: the "saved in a moment" notice has done its work and goes.
    let screen = text(&app);
    assert!(!screen.contains("in a moment"), "a stale notice: {screen}");
    assert!(
        !app.state
            .status
            .as_deref()
            .unwrap_or("")
            .contains("in a moment"),
        "{:?}",
        app.state.status
    );
}

#[test]
fn an_anonymous_check_in_asks_for_no_private_note() {
    let mut app = App::kiosk();
    let i = app.index_of("joy-in-work");
    app.act(Action::Pick(i));
    app.act(Action::Pick(2)); // prefer not to say
    for row in [0, 1, 0, 1] {
        app.act(Action::Pick(row));
    }
    // Four statements, and no "note for yourself" nobody could read back.
    assert_eq!(app.state.screen, Screen::Review, "{}", text(&app));
    assert!(!text(&app).contains("private"), "{}", text(&app));
}

#[test]
fn a_rapid_series_of_identical_presses_counts_once() {
    let mut app = App::kiosk();
    app.act(Action::Pick(0));
    app.act(Action::Pick(0));
    assert_eq!(app.state.screen, Screen::Question);
    // Someone mashes "1": 20 presses 100 ms apart answer one question.
    app.act_after(1_000, Action::Pick(0));
    for _ in 0..19 {
        app.act_after(100, Action::Pick(0));
    }
    let c = app.state.session.checkin.as_ref().unwrap();
    assert_eq!(c.answers.len(), 1);
    // A deliberate press later counts.
    app.act_after(1_000, Action::Pick(0));
    assert_eq!(app.state.session.checkin.as_ref().unwrap().answers.len(), 2);
    // Different keys in quick succession all count.
    app.act_after(100, Action::Pick(1));
    assert_eq!(app.state.session.checkin.as_ref().unwrap().answers.len(), 3);
}

#[test]
fn three_ctrl_k_on_the_welcome_screen_ask_for_the_admin_pin() {
    let mut app = App::kiosk();
    app.act(Action::AdminKey);
    app.act(Action::AdminKey);
    app.act(Action::Down); // breaks the sequence
    app.act(Action::AdminKey);
    assert_eq!(app.state.screen, Screen::Welcome);
    app.act(Action::AdminKey);
    app.act(Action::AdminKey);
    assert_eq!(app.state.screen, Screen::Pin);
    let screen = text(&app);
    assert!(screen.contains("admin PIN"), "{screen}");
    // Esc goes back to the welcome screen, never out.
    app.act(Action::Back);
    assert_eq!(app.state.screen, Screen::Welcome);
    // Not from inside a check-in.
    app.act(Action::Pick(0));
    for _ in 0..3 {
        app.act(Action::AdminKey);
    }
    assert_eq!(app.state.screen, Screen::Team);
}

#[test]
fn the_pin_form_masks_the_pin_and_esc_steps_back() {
    let mut app = App::kiosk();
    let n = joy_kiosk::app::kiosk::welcome_items(&app.state).len();
    app.act(Action::Pick(n - 2)); // open my private history
    assert_eq!(app.state.screen, Screen::Pin);
    for c in "maple-otter-42".chars() {
        app.act(Action::Edit(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        )));
    }
    app.act(Action::Confirm);
    for d in [1, 2, 3, 4] {
        app.act(Action::Digit(d));
    }
    let screen = text(&app);
    assert!(screen.contains("●●●●"), "{screen}");
    assert!(!screen.contains("1234"), "{screen}");
    assert!(screen.contains("maple-otter-42"), "{screen}");
    app.act(Action::Back);
    app.act(Action::Back);
    assert_eq!(app.state.screen, Screen::Welcome);
    assert!(
        app.state.session.pin.is_none(),
        "typed code and PIN dropped"
    );
}

#[test]
fn touches_on_the_big_buttons_and_the_keypad_work() {
    let mut app = App::kiosk();
    // The second button ("Joy in work"), wherever it is drawn at 80x24.
    let row = common::screen_lines(&app, 80, 24)
        .iter()
        .position(|l| l.contains("Joy in work check-in"))
        .unwrap() as u16;
    app.act(Action::Click { column: 30, row });
    assert_eq!(app.state.screen, Screen::Team);
    assert_eq!(app.state.session.selected, 1);
    // Touching outside any button does nothing.
    app.act(Action::Back);
    app.act(Action::Click { column: 0, row });
    assert_eq!(app.state.screen, Screen::Welcome);
    // The admin PIN keypad's "1" and "2", found on the 80x24 screen.
    for _ in 0..3 {
        app.act(Action::AdminKey);
    }
    let lines = common::screen_lines(&app, 80, 24);
    let (row, col) = lines
        .iter()
        .enumerate()
        .find_map(|(y, l)| l.find("│   1   │").map(|x| (y, l[..x].chars().count())))
        .expect("keypad drawn");
    app.act(Action::Click {
        column: col as u16 + 4,
        row: row as u16,
    });
    app.act(Action::Click {
        column: col as u16 + 4 + 9,
        row: row as u16,
    });
    assert_eq!(app.state.session.pin.as_ref().unwrap().pin, "12");
}

/// Answer whatever is asked until the review screen: the first row of
/// lists (then Enter for multiple choice), skipping what can be skipped.
fn answer_all(app: &mut App) {
    answer_all_with(app, 0)
}

/// Like [`answer_all`], choosing row `row` of every list.
fn answer_all_with(app: &mut App, row: usize) {
    for _ in 0..40 {
        if app.state.screen != Screen::Question {
            break;
        }
        let before = app.state.session.checkin.as_ref().map(|c| c.index);
        app.act(Action::Pick(row));
        if app.state.screen == Screen::Question
            && app.state.session.checkin.as_ref().map(|c| c.index) == before
        {
            app.act(Action::Confirm);
        }
        if app.state.screen == Screen::Question
            && app.state.session.checkin.as_ref().map(|c| c.index) == before
        {
            app.act(Action::Skip);
        }
    }
    assert_eq!(app.state.screen, Screen::Review);
}

/// (respondent, team, period, questionnaire) of each saved check-in.
type Row = (Option<i64>, Option<String>, Option<String>, String);

fn saved_rows(app: &mut App) -> Vec<Row> {
    let c = app.store.connection();
    let mut st = c
        .prepare("SELECT respondent_id, team, period, questionnaire_id FROM checkin")
        .unwrap();
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

#[test]
fn a_team_reflection_in_the_kiosk_needs_a_team_and_belongs_to_nobody() {
    let mut app = App::kiosk();
    let i = app.index_of("team-reflection");
    app.act(Action::Pick(i));
    assert_eq!(app.state.screen, Screen::Team);
    let screen = text(&app);
    assert!(!screen.contains("Prefer not to say"), "{screen}");
    app.act(Action::Pick(1)); // Theatres
    answer_all(&mut app);
    app.act(Action::Save);
    assert_eq!(app.state.screen, Screen::Result);
    let rows = saved_rows(&mut app);
    assert_eq!(rows.len(), 1);
    let (who, team, period, q) = &rows[0];
    assert_eq!(*who, None);
    assert_eq!(team.as_deref(), Some("Theatres"));
    assert_eq!(
        period.as_deref(),
        Some(joy_kiosk::app::reflection_period(Default::default(), app.t).as_str())
    );
    assert!(period.as_deref().unwrap().contains("-W"));
    assert_eq!(q, "team-reflection");
    assert!(
        text(&app).contains("Saved anonymously for Theatres"),
        "{}",
        text(&app)
    );
}

#[test]
fn digits_choose_on_the_welcome_and_team_screens() {
    let mut app = App::kiosk();
    app.act_after(100, Action::Digit(2));
    assert_eq!(app.state.screen, Screen::Team);
    app.act_after(100, Action::Digit(3));
    assert_eq!(app.state.screen, Screen::Question, "prefer not to say");
    assert_eq!(app.state.session.team, None);
}

#[test]
fn with_a_short_timeout_keys_still_act_before_the_warning() {
    let mut app = App::kiosk();
    if let Some(k) = app.state.kiosk.as_mut() {
        k.config.inactivity = chrono::Duration::seconds(3);
    }
    app.act_after(100, Action::Digit(1));
    app.act_after(500, Action::Digit(2));
    assert_eq!(app.state.screen, Screen::Question);
    // The warning shows only in the last half of a short timeout.
    app.act_after(1_400, Action::Tick);
    assert!(!joy_kiosk::app::kiosk::warning(&app.state));
    app.act_after(200, Action::Tick);
    assert!(joy_kiosk::app::kiosk::warning(&app.state));
}

#[test]
fn typing_between_two_identical_presses_makes_them_two_presses() {
    let mut app = App::kiosk();
    let n = joy_kiosk::app::kiosk::welcome_items(&app.state).len();
    app.act_after(100, Action::Pick(n - 2)); // sign in
    app.act_after(
        100,
        Action::Edit(KeyEvent::new(KeyCode::Char('a'), KeyModifiers::NONE)),
    );
    app.act_after(
        100,
        Action::Edit(KeyEvent::new(KeyCode::Char('b'), KeyModifiers::NONE)),
    );
    app.act_after(100, Action::Confirm);
    assert_eq!(
        app.state.session.pin.as_ref().unwrap().step,
        joy_kiosk::app::kiosk::PinStep::Pin
    );
    for d in [1, 2, 3, 4] {
        app.act_after(50, Action::Digit(d));
    }
    app.act_after(50, Action::Confirm);
    // The PIN was checked (no such code: the one message for every refusal).
    assert_eq!(
        app.state.session.pin.as_ref().unwrap().message.as_deref(),
        Some(joy_kiosk::text::kiosk::NO_MATCH)
    );
}

#[test]
fn the_admin_export_writes_team_figures_only_above_the_threshold() {
    use joy_kiosk::app::kiosk::AdminView;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let mut app = App::kiosk();
    app.store = joy_kiosk::store::Store::open(&db).unwrap();
    // The export goes beside the kiosk's database file.
    app.state.kiosk.as_mut().unwrap().config.db = Some(db.clone());
    // Six reflections for Theatres, two for Ward 7 (below k = 5).
    for (n, team) in [(6, 1), (2, 0)] {
        for _ in 0..n {
            let i = app.index_of("team-reflection");
            app.act_after(11_000, Action::Pick(i));
            app.act(Action::Pick(team));
            answer_all(&mut app);
            app.act(Action::Save);
            app.act(Action::Confirm);
        }
    }
    // The export holds released periods only: before the week has
    // closed, its counts alone.
    let week = joy_kiosk::period::Period::containing(
        Default::default(),
        app.t.with_timezone(&chrono::Local).date_naive(),
    );
    let released = week.release_day().and_hms_opt(9, 0, 0).unwrap().and_utc();
    app.store
        .release_closed(released, &[], joy_kiosk::anonymity::Thresholds::default())
        .unwrap();
    app.state.session.admin = Some(AdminView {
        selected: joy_kiosk::app::kiosk::ADMIN_ITEMS
            .iter()
            .position(|i| *i == joy_kiosk::app::kiosk::AdminItem::Export)
            .unwrap(),
        counts: None,
        retention_days: 365,
        in_force: 365,
        rules: None,
        panel: joy_kiosk::text::kiosk::ADMIN_COUNTS,
        scroll: 0,
    });
    app.state.screen = Screen::Admin;
    app.act(Action::Confirm); // "Export this period's team figures"
    let status = app.state.status.clone().unwrap_or_default();
    assert!(status.contains("Exported 2 teams"), "{status}");
    let files: Vec<_> = std::fs::read_dir(dir.path().join("exports"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    let report = std::fs::read_to_string(&files[0]).unwrap();
    assert!(report.contains("Theatres"), "{report}");
    assert!(report.contains("Ward 7"), "{report}");
    assert!(
        report.contains("Not enough reflections to keep"),
        "{report}"
    );
    assert!(report.contains("Average"), "Theatres' figures: {report}");

    // A removable drive named in the configuration: absent, then there.
    let usb = dir.path().join("usb");
    app.state.kiosk.as_mut().unwrap().config.export_to = Some(usb.clone());
    app.act_after(1_000, Action::Confirm);
    let status = app.state.status.clone().unwrap_or_default();
    assert!(status.contains("on this terminal only"), "{status}");
    assert!(status.contains("is not there"), "{status}");
    std::fs::create_dir(&usb).unwrap();
    app.act_after(1_000, Action::Confirm);
    let status = app.state.status.clone().unwrap_or_default();
    assert!(status.contains("and to the drive at"), "{status}");
    let copies: Vec<_> = std::fs::read_dir(&usb).unwrap().collect();
    assert_eq!(copies.len(), 1);

    // A one-page summary to the printer (here a command that keeps it).
    let page = dir.path().join("printed.txt");
    app.state.kiosk.as_mut().unwrap().config.print_command = vec![
        "sh".into(),
        "-c".into(),
        format!("cat > '{}'", page.display()),
    ];
    let print = joy_kiosk::app::kiosk::ADMIN_ITEMS
        .iter()
        .position(|i| *i == joy_kiosk::app::kiosk::AdminItem::Print)
        .unwrap();
    app.act_after(1_000, Action::Pick(print));
    let status = app.state.status.clone().unwrap_or_default();
    assert!(status.starts_with("Sent a one-page summary"), "{status}");
    let printed = std::fs::read_to_string(&page).unwrap();
    assert!(printed.lines().count() <= joy_kiosk::huddle_export::PAGE_LINES);
    assert!(
        printed.contains("Theatres") && printed.contains("Ward 7"),
        "{printed}"
    );
    assert!(
        printed.contains("Not enough reflections to keep"),
        "{printed}"
    );
    assert!(
        !printed.contains("what-matters") && !printed.contains("\"x\""),
        "no texts: {printed}"
    );
    // A printer that fails says so.
    app.state.kiosk.as_mut().unwrap().config.print_command = vec![
        "sh".into(),
        "-c".into(),
        "echo out of paper >&2; exit 1".into(),
    ];
    app.act_after(1_000, Action::Pick(print));
    let status = app.state.status.clone().unwrap_or_default();
    assert!(status.contains("out of paper"), "{status}");
}

/// Team reflections are given at the kiosk and counted in the huddle once
/// their week is released. The personal app does not offer them: saved
/// into a private file, no huddle would ever count them (issue 16).
#[test]
fn reflections_from_the_kiosk_add_up_in_the_huddle_and_the_app_offers_none() {
    use joy_kiosk::anonymity::Thresholds;
    use joy_kiosk::huddle::Content;
    let personal = App::new();
    assert!(
        personal
            .state
            .questionnaires
            .iter()
            .all(|q| q.kind != joy_kiosk::questionnaire::Kind::Team),
        "no team questionnaire in the personal app"
    );
    let mut kiosk = App::kiosk();
    // Three choosing the first row everywhere (joy 5), three the last.
    for first in [true, false] {
        for _ in 0..3 {
            let i = kiosk.index_of("team-reflection");
            kiosk.act_after(11_000, Action::Pick(i));
            kiosk.act(Action::Pick(1)); // Theatres
            answer_all_with(&mut kiosk, if first { 0 } else { 4 });
            kiosk.act(Action::Save);
            kiosk.act(Action::Confirm);
        }
    }
    let q = kiosk
        .state
        .questionnaires
        .iter()
        .find(|q| q.id == "team-reflection")
        .unwrap()
        .clone();
    let store = &mut kiosk.store;
    let tz = store.time_zone().unwrap();
    let period = joy_kiosk::period::Period::containing(
        Default::default(),
        kiosk.t.with_timezone(&tz).date_naive(),
    );
    let open =
        joy_kiosk::team_view::huddle(store, &q, "Theatres", period, Thresholds::new(5, 5)).unwrap();
    assert!(
        matches!(open.content, Content::Open { have: 6, .. }),
        "{:?}",
        open.content
    );
    let at = period.release_day().and_hms_opt(9, 0, 0).unwrap().and_utc();
    store
        .release_closed(at, &[], Thresholds::new(5, 5))
        .unwrap();
    let h =
        joy_kiosk::team_view::huddle(store, &q, "Theatres", period, Thresholds::new(5, 5)).unwrap();
    assert_eq!(h.reflections, 6);
    let Content::Shown(panels) = &h.content else {
        panic!("6 reflections are above k = 5: {:?}", h.content)
    };
    let joy = panels.scores.iter().find(|s| s.id == "team-joy").unwrap();
    let figures = joy.figures.as_ref().unwrap();
    let counts: Vec<usize> = figures.bars.iter().map(|b| b.count).collect();
    assert_eq!(counts.iter().sum::<usize>(), 6, "{counts:?}");
    assert_eq!(counts.iter().filter(|&&c| c == 3).count(), 2, "{counts:?}");
    // Nobody's: no respondent on any reflection.
    let linked: i64 = store
        .connection()
        .query_row(
            "SELECT count(*) FROM checkin WHERE respondent_id IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(linked, 0);
}

/// A double tap (two taps 150 ms apart on one option) answers one question,
/// not that one and the next, which the person never saw: the burst filter
/// compares what was hit, not where. A tap one cell off counts the same.
#[test]
fn a_double_tap_on_an_option_answers_one_question() {
    let mut app = App::kiosk();
    let i = app.index_of("who5");
    app.act(Action::Pick(i));
    app.act(Action::Pick(0)); // the team
    let lines = common::screen_lines(&app, 80, 24);
    assert!(
        lines.iter().any(|l| l.contains("Question 1 of 5")),
        "{lines:#?}"
    );
    let row = lines
        .iter()
        .position(|l| l.contains("Some of the time"))
        .expect("an option on screen") as u16;
    app.act(Action::Click { column: 20, row });
    app.act_after(150, Action::Click { column: 21, row });
    let lines = common::screen_lines(&app, 80, 24);
    assert!(
        lines.iter().any(|l| l.contains("Question 2 of 5")),
        "one tap answered more than one question: {lines:#?}"
    );
    // A tap after the burst window answers the next one.
    app.act_after(600, Action::Click { column: 20, row });
    let lines = common::screen_lines(&app, 80, 24);
    assert!(
        lines.iter().any(|l| l.contains("Question 3 of 5")),
        "{lines:#?}"
    );
}

/// A result that comes back after its session ended is not input: it does
/// not keep the next session alive (the inactivity clock goes on), and a
/// late save still spaces the terminal's next save.
#[test]
fn a_late_result_is_not_input_but_a_late_save_still_counts() {
    use joy_kiosk::app::Loaded;
    let mut app = App::kiosk();
    let before = app.state.session.last_input;
    app.act(Action::Late(Loaded::Saved {
        id: 7,
        previous: Box::new(None),
    }));
    assert_eq!(
        app.state.session.last_input, before,
        "a late result is not a key"
    );
    let gate = &app.state.kiosk.as_ref().unwrap().gate;
    assert!(
        gate.check(app.t).is_err(),
        "the next save waits its interval"
    );
}

/// A kiosk whose admin PIN is 975318, on its admin screen.
fn kiosk_admin() -> App {
    let mut app = App::kiosk();
    let hash = joy_kiosk::kiosk::hash_pin("975318").unwrap();
    app.store.set_admin_pin_hash(&hash).unwrap();
    open_admin(&mut app);
    app
}

/// The admin gesture and the admin PIN 975318 (set beforehand).
fn open_admin(app: &mut App) {
    for _ in 0..3 {
        app.act(Action::AdminKey);
    }
    for d in [9, 7, 5, 3, 1, 8] {
        app.act_after(600, Action::Digit(d));
    }
    app.act(Action::Confirm);
    assert_eq!(app.state.screen, Screen::Admin);
}

/// The admin screen shows the retention in force: after 91 days was set
/// there (and applied by the chores), opening it again shows 91, not the
/// configuration's 365.
#[test]
fn the_admin_screen_shows_the_retention_in_force() {
    use joy_kiosk::app::Effect;
    let mut app = kiosk_admin();
    let t = app.t;
    joy_kiosk::app::runner::run_effects(
        &mut app.state,
        &mut app.store,
        vec![Effect::SetRetention(91)],
        t,
    );
    app.act(Action::Back);
    open_admin(&mut app);
    let view = app.state.session.admin.as_ref().unwrap();
    assert_eq!(
        view.retention_days, 91,
        "the admin screen shows what is applied"
    );
}

/// On the shared screen a result shows no answers: a flag (low answers)
/// says what it means and where to get support, without listing which
/// questions were answered how for any passer-by to read.
#[test]
fn a_kiosk_result_lists_no_answers_on_the_shared_screen() {
    let mut app = App::kiosk();
    let i = app.index_of("who5");
    app.act(Action::Pick(i));
    app.act(Action::Pick(0));
    for _ in 0..5 {
        app.act(Action::Pick(5)); // "At no time"
    }
    assert_eq!(app.state.screen, Screen::Review);
    app.act(Action::Save);
    assert_eq!(app.state.screen, Screen::Result);
    let all = common::screen_lines(&app, 100, 60).join("\n");
    assert!(
        all.contains(joy_kiosk::text::kiosk::FLAG_ON_SHARED_SCREEN),
        "the flag is shown:\n{all}"
    );
    // Not even the questionnaire's flag message, which names the answers
    // that raise it ("You answered 'Some of the time' or 'At no time'").
    assert!(!all.contains("You answered"), "{all}");
    assert!(!all.contains("At no time"), "{all}");
    assert!(
        !all.contains("I have felt cheerful"),
        "an answer is listed on the shared screen:\n{all}"
    );
    // The personal app, on the person's own screen, still lists them.
    let mut mine = App::new();
    let i = mine.index_of("who5");
    mine.act(Action::Pick(i));
    for _ in 0..5 {
        mine.act(Action::Pick(5));
    }
    mine.act(Action::Save);
    let own = common::screen_lines(&mine, 100, 60).join("\n");
    assert!(own.contains("I have felt cheerful"), "{own}");
}

use common::key_on_screen;

/// A private history opened by taps alone at 80x24: the code typed on the
/// on-screen letter keypad, the PIN on the number keypad.
#[test]
fn a_private_history_opens_by_taps_alone() {
    let mut app = App::kiosk();
    let now = app.t;
    let code = "maple-otter-42";
    common::holder(&mut app.store, code, "246813", now);
    let row = common::screen_lines(&app, 80, 24)
        .iter()
        .position(|l| l.contains("Open my private history"))
        .unwrap() as u16;
    app.act(Action::Click { column: 30, row });
    assert_eq!(app.state.screen, Screen::Pin);
    for c in code.chars() {
        let (x, y) = key_on_screen(&app, 80, 24, &c.to_string());
        app.act_after(600, Action::Click { column: x, row: y });
    }
    assert_eq!(app.state.session.pin.as_ref().unwrap().code, code);
    // A wrong letter and its delete.
    let (x, y) = key_on_screen(&app, 80, 24, "z");
    app.act_after(600, Action::Click { column: x, row: y });
    let (x, y) = key_on_screen(&app, 80, 24, "⌫");
    app.act_after(600, Action::Click { column: x, row: y });
    assert_eq!(app.state.session.pin.as_ref().unwrap().code, code);
    let (x, y) = key_on_screen(&app, 80, 24, "OK");
    app.act_after(600, Action::Click { column: x, row: y });
    for d in "246813".chars() {
        let (x, y) = key_on_screen(&app, 80, 24, &d.to_string());
        app.act_after(600, Action::Click { column: x, row: y });
    }
    let (x, y) = key_on_screen(&app, 80, 24, "OK");
    app.act_after(600, Action::Click { column: x, row: y });
    assert_eq!(app.state.screen, Screen::Home, "signed in by taps alone");
    assert!(app.state.session.respondent.is_some());
}

/// A PIN may repeat a digit: four quick taps on one keypad key are four
/// digits (a burst filter that took them for one would save 11234 as 1234).
#[test]
fn quick_taps_on_one_pin_key_are_each_a_digit() {
    let mut app = App::kiosk();
    for _ in 0..3 {
        app.act(Action::AdminKey);
    }
    assert_eq!(app.state.screen, Screen::Pin);
    let (x, y) = key_on_screen(&app, 80, 24, "1");
    for _ in 0..4 {
        app.act_after(200, Action::Click { column: x, row: y });
    }
    assert_eq!(app.state.session.pin.as_ref().unwrap().pin, "1111");
}

/// The keypad stays where it is when a message appears above it, so the
/// next tap lands on the key the person sees.
#[test]
fn the_keypad_does_not_move_when_a_message_appears() {
    let mut app = App::kiosk();
    for _ in 0..3 {
        app.act(Action::AdminKey);
    }
    let before = key_on_screen(&app, 80, 24, "5");
    app.state.session.pin.as_mut().unwrap().message = Some(joy_kiosk::text::kiosk::PIN_RULE.into());
    assert_eq!(key_on_screen(&app, 80, 24, "5"), before);
}

/// A wrong PIN keeps the code that was typed (on a touch screen it took a
/// dozen taps): the person checks it, mends it if need be, and types the
/// PIN again. The message is the same one for a wrong PIN and an unknown
/// code, and the PIN itself is gone.
#[test]
fn a_wrong_pin_keeps_the_typed_code_to_check() {
    let mut app = App::kiosk();
    let now = app.t;
    common::holder(&mut app.store, "maple-otter-42", "246813", now);
    let row = common::screen_lines(&app, 80, 24)
        .iter()
        .position(|l| l.contains("Open my private history"))
        .unwrap() as u16;
    app.act(Action::Click { column: 30, row });
    for c in "maple-otter-42".chars() {
        app.act_after(
            100,
            Action::Edit(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
    }
    app.act(Action::Confirm);
    for c in "135792".chars() {
        app.act_after(
            100,
            Action::Edit(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
    }
    app.act(Action::Confirm);
    let form = app.state.session.pin.as_ref().unwrap();
    assert_eq!(
        form.message.as_deref(),
        Some(joy_kiosk::text::kiosk::NO_MATCH)
    );
    assert_eq!(form.code, "maple-otter-42", "the code is kept to check");
    assert!(form.pin.is_empty(), "the PIN is gone");
    assert_eq!(form.step, joy_kiosk::app::kiosk::PinStep::Code);
    // OK on the kept code, then the right PIN: in.
    app.act(Action::Confirm);
    for c in "246813".chars() {
        app.act_after(
            100,
            Action::Edit(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
    }
    app.act(Action::Confirm);
    assert_eq!(app.state.screen, Screen::Home);
}

/// Shortening the retention deletes entries that are kept today: the admin
/// screen asks first (`n` keeps it as it is); lengthening it does not ask.
#[test]
fn shortening_the_retention_asks_first() {
    use joy_kiosk::app::kiosk_effects::RETENTION_SETTING;
    use joy_kiosk::app::Confirm;
    let mut app = kiosk_admin();
    // The retention row, then one step shorter than the 365 in force.
    let row = joy_kiosk::app::kiosk::ADMIN_ITEMS
        .iter()
        .position(|i| *i == joy_kiosk::app::kiosk::AdminItem::Retention)
        .unwrap();
    for _ in 0..row {
        app.act(Action::Down);
    }
    let lines = common::screen_lines(&app, 80, 24);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("▶") && l.contains("365 days")),
        "{lines:#?}"
    );
    app.act(Action::Left);
    app.act(Action::Confirm);
    assert!(
        matches!(
            app.state.confirm,
            Some(Confirm::ShortenRetention {
                days: 335,
                from: 365
            })
        ),
        "{:?}",
        app.state.confirm
    );
    app.act(Action::No);
    assert_eq!(
        app.store.setting(RETENTION_SETTING).unwrap(),
        None,
        "kept as it was"
    );
    app.act(Action::Left);
    app.act(Action::Confirm);
    app.act(Action::Yes);
    assert_eq!(
        app.store.setting(RETENTION_SETTING).unwrap().as_deref(),
        Some("335")
    );
    // The counts say where the retention in force comes from.
    assert!(
        text(&app)
            .contains("Entries kept for: 335 days, set on this screen (the config file says 365)"),
        "{}",
        text(&app)
    );
    // Longer again: saved without a question.
    app.act(Action::Right);
    app.act(Action::Confirm);
    assert!(app.state.confirm.is_none());
    assert_eq!(
        app.store.setting(RETENTION_SETTING).unwrap().as_deref(),
        Some("365")
    );
}

/// The admin changes the admin PIN on the admin screen (typed twice, the
/// rule for new PINs applies), and lifts code locks; the counts say how
/// often the admin screen itself was locked by wrong PINs.
#[test]
fn the_admin_changes_the_admin_pin_and_lifts_code_locks() {
    use joy_kiosk::app::kiosk::{AdminItem, ADMIN_ITEMS};
    let mut app = kiosk_admin();
    let pick = |item| ADMIN_ITEMS.iter().position(|i| *i == item).unwrap();
    // Esc from the new PIN goes back to the admin screen.
    app.act(Action::Pick(pick(AdminItem::ChangePin)));
    assert_eq!(app.state.screen, Screen::Pin);
    app.act(Action::Back);
    assert_eq!(app.state.screen, Screen::Admin);
    app.act(Action::Pick(pick(AdminItem::ChangePin)));
    for d in [1, 2, 3, 4, 5, 6] {
        app.act_after(600, Action::Digit(d));
    }
    app.act(Action::Confirm);
    assert_eq!(
        app.state.session.pin.as_ref().unwrap().message.as_deref(),
        Some(joy_kiosk::text::kiosk::PIN_WEAK)
    );
    for _ in 0..2 {
        for d in [3, 0, 8, 1, 5, 2] {
            app.act_after(600, Action::Digit(d));
        }
        app.act(Action::Confirm);
    }
    assert_eq!(app.state.screen, Screen::Admin);
    assert_eq!(
        app.state.status.as_deref(),
        Some(joy_kiosk::text::kiosk::ADMIN_PIN_CHANGED)
    );
    let hash = app.store.admin_pin_hash().unwrap().unwrap();
    assert!(joy_kiosk::kiosk::verify_pin(&hash, "308152"));
    assert!(!joy_kiosk::kiosk::verify_pin(&hash, "975318"));
    // A code locked by five wrong PINs, lifted here.
    let tag = [9u8; 32];
    for i in 0..5 {
        app.store
            .pin_attempt(
                &joy_kiosk::kiosk::secret::lockout_key(&tag),
                joy_kiosk::model::PinTarget::Holder(&tag),
                app.t + chrono::Duration::seconds(i),
                |_| false,
            )
            .unwrap();
    }
    app.act_after(100, Action::Pick(pick(AdminItem::Counts)));
    assert!(
        text(&app).contains("Codes locked (5 wrong PINs): 1"),
        "{}",
        text(&app)
    );
    app.act_after(100, Action::Pick(pick(AdminItem::LiftLockouts)));
    assert_eq!(
        app.state.status.as_deref(),
        Some(joy_kiosk::text::kiosk::lockouts_lifted(1).as_str())
    );
    assert!(
        text(&app).contains("Codes locked (5 wrong PINs): 0"),
        "{}",
        text(&app)
    );
}

/// Ticking a pebble shows one more question ("which could the team fix?"):
/// the count says "of 5" from the start, so the header never changes its
/// total and the bar never goes back; without pebbles it jumps past it. The
/// review says which team the answers are for.
#[test]
fn a_conditional_question_never_changes_the_count_and_the_review_names_the_team() {
    let mut app = App::kiosk();
    let i = app.index_of("team-reflection");
    app.act(Action::Pick(i));
    app.act(Action::Pick(0)); // Ward 7
    let progress = |app: &App| {
        let c = app.state.session.checkin.as_ref().unwrap();
        c.progress(&app.state.questionnaires[c.questionnaire])
    };
    assert_eq!(progress(&app), (1, 5));
    app.act(Action::Confirm);
    app.act(Action::Confirm);
    assert_eq!(progress(&app), (3, 5), "the pebbles");
    app.act(Action::Pick(0));
    let c = app.state.session.checkin.as_ref().unwrap();
    assert!(c.answers.contains_key("pebbles"), "a pebble ticked");
    assert_eq!(progress(&app), (3, 5), "ticking one changes nothing");
    app.act(Action::Confirm);
    assert_eq!(progress(&app), (4, 5), "the question it shows");
    app.act(Action::Back);
    app.act(Action::Pick(0));
    app.act(Action::Confirm);
    assert_eq!(progress(&app), (5, 5), "without pebbles, past it");
    app.act(Action::Pick(1));
    assert_eq!(app.state.screen, Screen::Review);
    assert!(text(&app).contains("for team Ward 7"), "{}", text(&app));
}

/// The admin screen counts who took part, by team and week: anonymous
/// check-ins (the team they gave is used here) and team reflections, for
/// every configured team, this ISO week and the three before it.
#[test]
fn participation_by_team_and_week_on_the_admin_screen() {
    use joy_kiosk::app::kiosk::{AdminItem, ADMIN_ITEMS};
    let mut app = App::kiosk();
    // Six anonymous WHO-5 check-ins for Ward 7, two for Theatres.
    for team in [0, 0, 0, 0, 0, 0, 1, 1] {
        let i = app.index_of("who5");
        app.act_after(11_000, Action::Pick(i));
        app.act(Action::Pick(team));
        for _ in 0..5 {
            app.act(Action::Pick(0));
        }
        app.act(Action::Save);
        assert_eq!(app.state.screen, Screen::Result);
        app.act(Action::Confirm);
    }
    let hash = joy_kiosk::kiosk::hash_pin("975318").unwrap();
    app.store.set_admin_pin_hash(&hash).unwrap();
    open_admin(&mut app);
    let row = ADMIN_ITEMS
        .iter()
        .position(|i| *i == AdminItem::Participation)
        .unwrap();
    app.act(Action::Pick(row));
    let week = joy_kiosk::period::Period::containing(
        joy_kiosk::period::PeriodKind::Week,
        app.t.with_timezone(&chrono::Local).date_naive(),
    );
    let joy_kiosk::period::Period::Week { week, .. } = week else {
        panic!("a week");
    };
    let screen = text(&app);
    let line = |team: &str| {
        screen
            .lines()
            .find(|l| l.contains(&format!("{team}: W")))
            .unwrap_or_else(|| panic!("no line for {team}:\n{screen}"))
            .to_string()
    };
    // Four weeks side by side, this one last; counts as the huddle shows
    // them (how many took part; what they answered needs k).
    assert!(
        line("Ward 7")
            .trim_end()
            .ends_with(&format!("W{week:02} 6/0")),
        "{screen}"
    );
    assert!(
        line("Theatres")
            .trim_end()
            .ends_with(&format!("W{week:02} 2/0")),
        "{screen}"
    );
    assert_eq!(line("Ward 7").matches(" · ").count(), 3, "{screen}");
}

/// Twelve teams and "Prefer not to say": pages of nine, numbered 1-9, and
/// "0 More teams" to turn the page, so every row on screen has its key.
#[test]
fn more_than_ten_teams_are_paged_and_every_row_has_a_key() {
    let mut app = App::kiosk();
    app.state.teams = (1..=12).map(|i| format!("Team {i:02}")).collect();
    if let Some(k) = app.state.kiosk.as_mut() {
        k.config.teams = app.state.teams.clone();
    }
    let i = app.index_of("who5");
    app.act(Action::Pick(i));
    assert_eq!(app.state.screen, Screen::Team);
    let screen = common::screen_lines(&app, 100, 40).join("\n");
    assert!(screen.contains("9  Team 09"), "{screen}");
    assert!(screen.contains("0  More teams"), "{screen}");
    assert!(!screen.contains("Team 10"), "{screen}");
    app.act(Action::Digit(0));
    let screen = common::screen_lines(&app, 100, 40).join("\n");
    assert!(screen.contains("1  Team 10"), "{screen}");
    assert!(screen.contains("4  Prefer not to say"), "{screen}");
    assert!(screen.contains("page 2 of 2"), "{screen}");
    app.act(Action::Digit(2));
    assert_eq!(app.state.screen, Screen::Question);
    assert_eq!(app.state.session.team.as_deref(), Some("Team 11"));
}

/// A notice on the welcome screen ("Your code and everything in it were
/// deleted.") never moves a button: a tap lands where the person saw it.
#[test]
fn a_notice_never_moves_the_welcome_buttons() {
    for (w, h) in [(80, 24), (100, 30)] {
        let mut app = App::kiosk();
        let row_of = |app: &App| {
            common::screen_lines(app, w, h)
                .iter()
                .position(|l| l.contains("Open my private history"))
                .unwrap()
        };
        let before = row_of(&app);
        app.state.status = Some(joy_kiosk::text::kiosk::CODE_DELETED.to_string());
        let with_notice = common::screen_lines(&app, w, h).join("\n");
        assert!(with_notice.contains(joy_kiosk::text::kiosk::CODE_DELETED));
        assert_eq!(row_of(&app), before, "{w}x{h}:\n{with_notice}");
    }
}

/// A notice of two lines on the welcome screen at 80x24 covers the body's
/// last line rather than moving the buttons.
#[test]
fn a_long_notice_covers_rather_than_moves() {
    let mut app = App::kiosk();
    let row_of = |app: &App| {
        common::screen_lines(app, 80, 24)
            .iter()
            .position(|l| l.contains("Open my private history"))
            .unwrap()
    };
    let before = row_of(&app);
    let long = "This notice is long enough to need two lines of the screen at eighty columns, so it wraps onto a second line.";
    app.state.status = Some(long.to_string());
    let screen = common::screen_lines(&app, 80, 24).join("\n");
    assert!(
        screen.contains("so it wraps onto a second line"),
        "{screen}"
    );
    assert_eq!(row_of(&app), before, "{screen}");
}

/// "n keep" leaves the retention row showing what is in force, and Enter
/// on an unchanged value saves nothing (the configuration keeps deciding).
#[test]
fn keeping_or_not_changing_the_retention_saves_nothing() {
    use joy_kiosk::app::kiosk::{AdminItem, ADMIN_ITEMS};
    use joy_kiosk::app::kiosk_effects::RETENTION_SETTING;
    let mut app = kiosk_admin();
    let row = ADMIN_ITEMS
        .iter()
        .position(|i| *i == AdminItem::Retention)
        .unwrap();
    app.act(Action::Pick(row));
    assert_eq!(
        app.store.setting(RETENTION_SETTING).unwrap(),
        None,
        "unchanged: not saved"
    );
    app.act(Action::Left);
    app.act(Action::Confirm);
    assert!(app.state.confirm.is_some());
    app.act(Action::No);
    assert_eq!(
        app.state.session.admin.as_ref().unwrap().retention_days,
        365
    );
    assert!(
        text(&app).contains("Keep entries for: 365 days"),
        "{}",
        text(&app)
    );
    assert_eq!(app.store.setting(RETENTION_SETTING).unwrap(), None);
}

/// Without teams in the configuration the kiosk offers no team reflection
/// (a person at the screen could not answer one).
#[test]
fn no_team_reflection_is_offered_without_teams() {
    let mut app = App::kiosk();
    app.state.teams.clear();
    let screen = text(&app);
    assert!(!screen.contains("team reflection"), "{screen}");
    assert!(screen.contains("WHO-5"), "{screen}");
    assert!(screen.contains("Open my private history"), "{screen}");
}

/// The admin's data counts show the ward's rules and its releases, and
/// every line of them fits the admin screen at 80x24.
#[test]
fn the_admin_counts_show_the_ward_rules_and_releases_at_80x24() {
    let mut app = kiosk_admin();
    app.act(Action::Resize {
        width: 80,
        height: 24,
    });
    let screen = screen_lines(&app, 80, 24).join("\n");
    assert!(
        screen.contains("Ward rules: k = 5, texts from 5, by week, Etc/UTC (built-in default)"),
        "{screen}"
    );
    assert!(screen.contains("Last release: none yet"), "{screen}");
    assert!(screen.contains("Next release: Tue 24 Nov"), "{screen}");
}

/// k belongs to the ward's database and its admin sets it on the kiosk:
/// ←→ on "Team figures from at least", Enter to save; it is recorded with
/// its date, and unchanged saves nothing.
#[test]
fn the_admin_sets_the_ward_rules_on_the_kiosk() {
    use joy_kiosk::app::kiosk::{AdminItem, ADMIN_ITEMS};
    use joy_kiosk::period::PeriodKind;
    let mut app = kiosk_admin();
    let i = ADMIN_ITEMS
        .iter()
        .position(|x| *x == AdminItem::WardRules)
        .unwrap();
    app.act(Action::Pick(i));
    let screen = screen_lines(&app, 80, 24).join("\n");
    for want in [
        "Team figures from at least: 5 reflections",
        "Free texts from at least: 5 answers",
        "Reflections grouped by: week",
        "Ward 7: staff number not set",
        "Theatres: staff number not set",
        "Enter save this row",
    ] {
        assert!(screen.contains(want), "{want}\n{screen}");
    }
    // Enter on the value in force records nothing.
    app.act(Action::Confirm);
    assert_eq!(app.store.team_rules().unwrap(), None);
    // k 7: the text threshold follows it up, and both are recorded.
    app.act(Action::Right);
    app.act(Action::Right);
    let screen = screen_lines(&app, 80, 24).join("\n");
    assert!(
        screen.contains("Team figures from at least: 7 reflections  (not saved"),
        "{screen}"
    );
    app.act(Action::Confirm);
    let rules = app.store.team_rules().unwrap().unwrap();
    assert_eq!((rules.min_group, rules.min_group_text), (7, 7));
    let status = app.state.status.clone().unwrap_or_default();
    assert!(status.contains("figures from 7"), "{status}");
    // Texts from 9, never below k.
    app.act(Action::Down);
    for _ in 0..12 {
        app.act(Action::Left);
    }
    app.act(Action::Right);
    app.act(Action::Right);
    app.act(Action::Confirm);
    let rules = app.store.team_rules().unwrap().unwrap();
    assert_eq!((rules.min_group, rules.min_group_text), (7, 9));
    // Months, from the next period on: the week open now stays a week (a
    // reflection was filed in it).
    app.store
        .save_checkin(&team_reflection("Ward 7", app.t))
        .unwrap();
    app.act(Action::Down);
    app.act(Action::Right);
    app.act(Action::Confirm);
    let (from, kind) = app
        .store
        .pending_period_kind(app.t.date_naive())
        .unwrap()
        .expect("a change to come");
    assert_eq!(kind, PeriodKind::Month);
    assert!(from > app.t.date_naive());
    let screen = screen_lines(&app, 80, 24).join("\n");
    assert!(
        screen.contains("Reflections grouped by: month from")
            && screen.contains("(week until then)"),
        "{screen}"
    );
    // Theatres has 14 staff: a tap on its row, ten, then four.
    app.act(Action::Click { column: 10, row: 7 });
    assert_eq!(
        app.state
            .session
            .admin
            .as_ref()
            .unwrap()
            .rules
            .as_ref()
            .unwrap()
            .selected,
        4
    );
    app.act(Action::PageUp);
    for _ in 0..4 {
        app.act(Action::Right);
    }
    app.act(Action::Confirm);
    assert_eq!(app.store.headcount("Theatres").unwrap(), Some(14));
    assert_eq!(app.store.headcount("Ward 7").unwrap(), None);
    let screen = screen_lines(&app, 80, 24).join("\n");
    assert!(screen.contains("Theatres: 14 staff"), "{screen}");
    assert!(!screen.contains("not saved"), "{screen}");
    // Esc goes back to the admin rows, whose counts show the rules.
    app.act(Action::Back);
    assert_eq!(app.state.screen, Screen::Admin);
    assert!(app.state.session.admin.as_ref().unwrap().rules.is_none());
}

/// A bare team reflection of `team` saved at `at` (filed by the store).
fn team_reflection(team: &str, at: chrono::DateTime<chrono::Utc>) -> joy_kiosk::model::NewCheckin {
    joy_kiosk::model::NewCheckin {
        respondent: None,
        team: Some(team.into()),
        // Any period: the store files it into the one open at `at`.
        period: Some("2026-W01".into()),
        questionnaire_id: "joy-in-work".into(),
        questionnaire_version: "1".into(),
        file_hash: "test".into(),
        definition: "".into(),
        started_at: at,
        completed_at: at,
        is_demo: true,
        imported_from: None,
        answers: vec![],
        scores: vec![],
        seal: None,
    }
}

/// The ward rules form says when a key cannot go further, and Esc with a
/// row not saved says so once before leaving.
#[test]
fn the_ward_rules_form_says_why_a_key_did_nothing() {
    use joy_kiosk::app::kiosk::{AdminItem, ADMIN_ITEMS};
    let mut app = kiosk_admin();
    let i = ADMIN_ITEMS
        .iter()
        .position(|x| *x == AdminItem::WardRules)
        .unwrap();
    app.act(Action::Pick(i));
    for _ in 0..3 {
        app.act(Action::Left);
    }
    let status = app.state.status.clone().unwrap_or_default();
    assert!(status.contains("k is at least 3"), "{status}");
    // Texts cannot go below k (from 5 to 3, then no further).
    app.act(Action::Down);
    for _ in 0..3 {
        app.act(Action::Left);
    }
    let status = app.state.status.clone().unwrap_or_default();
    assert!(status.contains("at least as many"), "{status}");
    // A change not saved: Esc warns, a second Esc leaves.
    app.act(Action::Right);
    app.act(Action::Back);
    assert!(app.state.session.admin.as_ref().unwrap().rules.is_some());
    let screen = screen_lines(&app, 80, 24).join("\n");
    assert!(screen.contains("not saved"), "{screen}");
    app.act(Action::Back);
    assert!(app.state.session.admin.as_ref().unwrap().rules.is_none());
    assert_eq!(app.store.team_rules().unwrap(), None, "nothing recorded");
}
