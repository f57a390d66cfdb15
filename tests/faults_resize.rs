//! The terminal resized again and again, down to 1x1, on every screen:
//! the personal app (home, each kind of question, review, result, history,
//! a check-in, trends for each period, help, support, the leave and delete
//! questions), the kiosk (welcome, team, the PIN forms, a holder's home,
//! admin, the "Still there?" countdown, the result countdown), the huddle
//! (every panel, presentation, the new-action form) and the kiosk's paused
//! screen. Each screen gets a `Resize` action and is drawn into
//! `TestBackend` at each size of a walk from 200x60 down to 1x1 and back
//! (every height from 60 to 1, every other width from 200 to 1), at 0x0,
//! 200x1, 1x60, and around the smallest usable size (40x12): no panic, and
//! the screen (and any overlay) stays where it was.
//! Then the real binary in tmux is resized in a loop on each kiosk screen.

#[path = "support/tmux.rs"]
mod tmux;

mod common;

use chrono::{NaiveDate, TimeZone, Utc};
use common::App;
use joy_kiosk::app::kiosk::{AdminView, PinAnswer};
use joy_kiosk::app::runner::{dispatch, run_effects};
use joy_kiosk::app::{Action, Loaded, Screen, State};
use joy_kiosk::config::Settings;
use joy_kiosk::questionnaire::Catalog;
use joy_kiosk::store::Store;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;

/// Sizes in the order a person dragging a window corner would pass them,
/// then the extremes and the edge of the smallest usable size.
fn sizes() -> Vec<(u16, u16)> {
    let mut out = Vec::new();
    // Down from 200x60 to 1x1 (every other width, every height, the two
    // shrinking together) and back up in bigger steps.
    let walk: Vec<(u16, u16)> = (0..200u16)
        .map(|i| (200 - i, (60 - i * 60 / 200).max(1)))
        .collect();
    out.extend(walk.iter().step_by(2).copied());
    out.extend(walk.iter().rev().step_by(10).copied());
    // Very wide and very short, very narrow and very tall.
    out.extend([(200, 1), (1, 60), (200, 2), (2, 60), (0, 0), (1, 1)]);
    // Around the smallest usable size (40x12).
    for w in [39, 40, 41] {
        for h in [11, 12, 13] {
            out.push((w, h));
        }
    }
    out.push((80, 24));
    out
}

/// Resize to each size and draw there. The state's own screen must not
/// change from resizing.
fn sweep(state: &mut State, store: &mut Store, now: chrono::DateTime<Utc>, label: &str) {
    let started = std::time::Instant::now();
    let screen = state.screen;
    let overlay = (state.help, state.support);
    for (w, h) in sizes() {
        dispatch(
            state,
            store,
            Action::Resize {
                width: w,
                height: h,
            },
            now,
        );
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| joy_kiosk::ui::draw(f, state))
            .unwrap_or_else(|e| panic!("{label} at {w}x{h}: {e}"));
    }
    println!(
        "{label}: {} sizes in {:?}",
        sizes().len(),
        started.elapsed()
    );
    assert_eq!(state.screen, screen, "{label}: resizing changed the screen");
    assert_eq!(
        (state.help, state.support),
        overlay,
        "{label}: resizing closed an overlay"
    );
}

fn sweep_app(app: &mut App, label: &str) {
    let now = app.t;
    sweep(&mut app.state, &mut app.store, now, label);
}

fn with_history() -> App {
    std::env::set_var("TZ", "UTC");
    let mut app = App::new();
    let me = app.state.session.respondent.unwrap();
    let cat = Catalog::bundled();
    let list = joy_kiosk::demo::generate(&cat, me, 120, app.t, 7);
    app.store.save_many(&list).unwrap();
    app.act(Action::OpenHistory);
    app.act(Action::Back); // back to home, which loads the summaries
    app
}

fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        app.act(Action::Edit(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        )));
    }
}

#[test]
fn personal_screens_survive_every_size() {
    let mut app = with_history();
    assert_eq!(app.state.screen, Screen::Home);
    sweep_app(&mut app, "home");
    app.act(Action::Help);
    sweep_app(&mut app, "help on home");
    app.act(Action::Help);
    app.act(Action::Support);
    sweep_app(&mut app, "support on home");
    app.act(Action::Support);

    // WHO-5: a choice question, then review and an alert result.
    app.select("who5");
    app.act(Action::Confirm);
    assert_eq!(app.state.screen, Screen::Question);
    sweep_app(&mut app, "a choice question");
    app.act(Action::Quit);
    sweep_app(&mut app, "the leave question");
    app.act(Action::No);
    for _ in 0..5 {
        app.act(Action::Pick(5));
    }
    assert_eq!(app.state.screen, Screen::Review);
    sweep_app(&mut app, "review");
    app.act(Action::Save);
    assert_eq!(app.state.screen, Screen::Result);
    sweep_app(&mut app, "an alert result");
    app.act(Action::Support);
    sweep_app(&mut app, "support on the result");
    app.act(Action::Support);
}

#[test]
fn history_and_trends_survive_every_size() {
    let mut app = with_history();
    // History, a check-in, the delete question.
    app.act(Action::OpenHistory);
    assert_eq!(app.state.screen, Screen::History);
    sweep_app(&mut app, "history");
    app.act(Action::Delete);
    sweep_app(&mut app, "the delete question");
    app.act(Action::No);
    app.act(Action::Confirm);
    assert_eq!(app.state.screen, Screen::Detail);
    sweep_app(&mut app, "a check-in");

    // Trends, each period and a second score.
    app.act(Action::Back);
    app.act(Action::Back);
    assert_eq!(app.state.screen, Screen::Home);
    app.act(Action::OpenTrends);
    assert_eq!(app.state.screen, Screen::Trends);
    for p in 0..4 {
        sweep_app(&mut app, &format!("trends, period {p}"));
        app.act(Action::NextPeriod);
    }
    app.act(Action::NextQuestionnaire);
    app.act(Action::NextScore);
    sweep_app(&mut app, "trends, another questionnaire and score");
}

#[test]
fn questions_of_every_kind_survive_every_size() {
    // The joy-in-work note: a text question with a long answer typed in.
    let mut app = App::new();
    app.open_joy_note();
    assert_eq!(app.state.screen, Screen::Question);
    typed(&mut app, &"a long note that wraps and wraps ".repeat(12));
    sweep_app(&mut app, "a text question with a long answer");

    // The team questionnaires (asked for a team, so in the kiosk): text,
    // multiple choice, a follow-up, a scale, a single choice.
    let mut seen: Vec<String> = Vec::new();
    for qid in ["team-reflection", "civility"] {
        // A team reflection (asked for a team, so in the kiosk): text,
        // multiple choice, a follow-up, a scale.
        let mut app = App::kiosk();
        let i = app
            .state
            .questionnaires
            .iter()
            .position(|q| q.id == qid)
            .unwrap();
        app.act_after(600, Action::Pick(i));
        assert_eq!(app.state.screen, Screen::Team);
        app.act_after(600, Action::Pick(0));
        for step in 0..20 {
            if app.state.screen != Screen::Question {
                break;
            }
            let kind = {
                let c = app.state.session.checkin.as_ref().unwrap();
                let q = c.question(&app.state.questionnaires[c.questionnaire]);
                format!("{:?}", q.kind)
            };
            let kind = kind.split(['(', ' ', '{']).next().unwrap_or("").to_string();
            if !seen.contains(&kind) {
                sweep_app(&mut app, &format!("{qid} question {step} ({kind})"));
                seen.push(kind);
            }
            // Answer it (a choice or a tick; nothing for text) and go on.
            let before = app.state.session.checkin.as_ref().map(|c| c.index);
            app.act_after(600, Action::Pick(0));
            if app.state.session.checkin.as_ref().map(|c| c.index) == before
                && app.state.screen == Screen::Question
            {
                app.act_after(600, Action::Confirm);
            }
        }
    }
    for kind in ["Text", "Multi", "Scale", "Choice"] {
        assert!(
            seen.iter().any(|k| k == kind),
            "{kind} was reached: {seen:?}"
        );
    }
}

fn kiosk_with_admin_pin() -> App {
    let mut app = App::kiosk();
    let hash = joy_kiosk::kiosk::hash_pin("975318").unwrap();
    app.store.set_admin_pin_hash(&hash).unwrap();
    app
}

#[test]
fn kiosk_screens_survive_every_size() {
    let mut app = kiosk_with_admin_pin();
    assert_eq!(app.state.screen, Screen::Welcome);
    sweep_app(&mut app, "welcome");
    app.act(Action::Help);
    sweep_app(&mut app, "help on welcome");
    app.act(Action::Help);

    // An anonymous check-in: team, question, the countdown, review, result.
    let who5 = app
        .state
        .questionnaires
        .iter()
        .position(|q| q.id == "who5")
        .unwrap();
    app.act(Action::Pick(who5));
    assert_eq!(app.state.screen, Screen::Team);
    sweep_app(&mut app, "team");
    app.act(Action::Pick(0));
    assert_eq!(app.state.screen, Screen::Question);
    sweep_app(&mut app, "a kiosk question");
    // 80 s idle: "Still there?" with its countdown.
    app.act_after(80_000, Action::Tick);
    let words = common::screen_lines(&app, 80, 24).join(" ");
    assert!(words.contains("Still there?"), "{words}");
    sweep_app(&mut app, "the still-there countdown");
    for _ in 0..8 {
        if app.state.screen == Screen::Review {
            break;
        }
        app.act_after(600, Action::Pick(0));
    }
    assert_eq!(app.state.screen, Screen::Review);
    sweep_app(&mut app, "kiosk review");
    app.act(Action::Save);
    assert_eq!(app.state.screen, Screen::Result);
    sweep_app(&mut app, "kiosk result with its countdown");
    app.act_after(5_000, Action::Confirm);
    assert_eq!(app.state.screen, Screen::Welcome);

    // The PIN forms: open my history, make a code, the admin PIN.
    let n = app.state.questionnaires.len();
    app.act(Action::Pick(n));
    assert_eq!(app.state.screen, Screen::Pin);
    typed(&mut app, "maple-otter-42");
    sweep_app(&mut app, "sign-in code");
    app.act(Action::Confirm);
    typed(&mut app, "2468");
    sweep_app(&mut app, "sign-in PIN");
    // A holder signed in: their own home.
    let me = app.store.local_respondent().unwrap();
    let t = app.t;
    let effects = joy_kiosk::app::update(
        &mut app.state,
        Action::Loaded(Loaded::Pin(PinAnswer::Ok { id: me, key: None })),
        t,
    );
    run_effects(&mut app.state, &mut app.store, effects, t);
    assert_eq!(app.state.screen, Screen::Home);
    sweep_app(&mut app, "a holder's home");
    app.act(Action::Back);
    app.act(Action::Back);
    if app.state.screen != Screen::Welcome {
        app.act(Action::Yes);
    }
    assert_eq!(app.state.screen, Screen::Welcome, "{:?}", app.state.screen);
    app.act(Action::Pick(n + 1));
    assert_eq!(app.state.screen, Screen::Pin);
    sweep_app(&mut app, "make a code");
    app.act(Action::Back);
    for _ in 0..3 {
        app.act(Action::AdminKey);
    }
    assert_eq!(app.state.screen, Screen::Pin);
    sweep_app(&mut app, "the admin PIN");
    app.act(Action::Back);

    // The admin screen, counts loaded.
    app.state.session.admin = Some(AdminView {
        selected: 0,
        counts: None,
        retention_days: 365,
        in_force: 365,
        rules: None,
        panel: joy_kiosk::text::kiosk::ADMIN_COUNTS,
        scroll: 0,
    });
    app.state.screen = Screen::Admin;
    app.act(Action::Loaded(Loaded::Counts {
        counts: vec![("check-ins".into(), "12".into())],
        retention_days: 365,
    }));
    sweep_app(&mut app, "admin");
    // The ward rules form, with more teams than fit.
    app.act(Action::Loaded(Loaded::WardRules {
        held: joy_kiosk::model::WardSettings {
            rules: None,
            kind: joy_kiosk::period::PeriodKind::Week,
            pending: None,
            headcounts: (0..30)
                .map(|i| (format!("Team {i}"), Some(i + 1)))
                .collect(),
        },
        config: joy_kiosk::model::TeamRules {
            min_group: 5,
            min_group_text: 5,
        },
        // Read from a ward's server: the longest words the form has.
        on_server: true,
    }));
    app.act(Action::Last);
    sweep_app(&mut app, "admin rules");
}

#[test]
fn huddle_panels_survive_every_size() {
    use joy_kiosk::period::{Period, PeriodKind};
    let cat = Catalog::bundled();
    let q = cat.get("team-reflection").unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let mut rng = joy_kiosk::demo::Rng::new(5);
    let week = Period::parse("2026-W47").unwrap();
    let rows: Vec<_> = (0..8)
        .map(|i| {
            let a = joy_kiosk::reflection_gen::answers(q, 0.8, &mut rng, |_| {
                format!("a thought {i} that is long enough to wrap on a small screen")
            });
            joy_kiosk::reflection_gen::checkin(q, &a, "Ward 7", PeriodKind::Week, week.first_day())
        })
        .collect();
    store.save_many(&rows).unwrap();
    let settings =
        Settings::resolve(Some("unused.db".into()), Some("/nonexistent-joy-q".into())).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap();
    let tuesday = Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap();
    store
        .release_closed(tuesday, &[], joy_kiosk::anonymity::Thresholds::default())
        .unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    let mut state = joy_kiosk::huddle_commands::huddle_state(&settings, "Ward 7", week, today, now);
    let effects = joy_kiosk::app::huddle::load(&mut state);
    run_effects(&mut state, &mut store, effects, now);
    assert_eq!(state.screen, Screen::Huddle);
    let mut panels = 0;
    let mut last = String::new();
    for _ in 0..40 {
        let here = format!("{:?}", state.huddle.as_ref().map(|h| h.panel));
        if here == last {
            break;
        }
        sweep(
            &mut state,
            &mut store,
            now,
            &format!("huddle panel {panels}"),
        );
        panels += 1;
        last = here;
        dispatch(&mut state, &mut store, Action::Right, now);
    }
    assert!(panels >= 5, "every panel was visited ({panels})");
    // Presentation mode, then the new-action form with text in it.
    let key = |state: &mut State, store: &mut Store, c: char| {
        let ev = ratatui::crossterm::event::Event::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        ));
        if let Some(a) = joy_kiosk::keymap::map(&ev, state) {
            dispatch(state, store, a, now);
        }
    };
    key(&mut state, &mut store, 'p');
    sweep(&mut state, &mut store, now, "huddle presentation");
    dispatch(&mut state, &mut store, Action::Back, now);
    key(&mut state, &mut store, 'a');
    for c in "Move the fridge alarm to the desk".chars() {
        key(&mut state, &mut store, c);
    }
    sweep(&mut state, &mut store, now, "huddle new action");
}

#[test]
fn the_paused_kiosk_screen_survives_every_size() {
    let support = vec!["Staff wellbeing hub: 0300 123 4567".to_string()];
    let reason = "/var/lib/joy/kiosk.db is damaged: SQLite reports corruption (database disk image is malformed). \u{1b}]0;title\u{7}";
    for (w, h) in sizes() {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| joy_kiosk::ui::out_of_order::draw(f, reason, &support, true))
            .unwrap();
        if (w, h) == (80, 24) {
            let s = common::buffer_lines(t.backend().buffer()).join("\n");
            assert!(s.contains("Check-ins are paused"), "{s}");
            assert!(s.contains("cannot save check-ins"), "{s}");
            assert!(s.contains("Staff wellbeing hub"), "{s}");
            assert!(!s.contains('\u{1b}'), "no escape reaches the screen: {s}");
        }
    }
}

/// The real binary: a tmux window resized in a loop (down to 1x1 and back)
/// on each kiosk screen, then still answering keys.
#[test]
fn the_real_kiosk_resized_in_a_loop_on_every_screen() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let config = dir.path().join("joy.toml");
    std::fs::write(
        &config,
        "[kiosk]\nsite = \"Resize test\"\nteams = [\"Ward 7\"]\ninactivity_secs = 600\nburst_ms = 0\n",
    )
    .unwrap();
    tmux::admin_pin_for(&db);
    let t = tmux::start_with(
        &db,
        "resize",
        "",
        &format!("kiosk --config '{}'", config.display()),
        80,
        24,
    );
    t.wait_for("How are you doing today?");
    let pid = t.joy_pid();
    let shake = |what: &str| {
        for (w, h) in [
            (1, 1),
            (200, 60),
            (2, 1),
            (39, 11),
            (40, 12),
            (1, 60),
            (200, 1),
            (80, 24),
            (13, 7),
            (120, 40),
            (80, 24),
        ] {
            t.resize(w, h);
            std::thread::sleep(std::time::Duration::from_millis(30));
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
        assert!(tmux::alive(pid), "joy ended resizing on {what}");
        let s = t.screen();
        assert!(
            !s.contains("panicked") && !s.contains("JOY-EXITED"),
            "{what}:\n{s}"
        );
    };
    shake("welcome");
    t.wait_for("How are you doing today?");
    t.keys(&["1"]);
    t.wait_for("Which team");
    shake("team");
    t.wait_for("Which team");
    t.keys(&["1"]);
    t.wait_for("Question 1 of 5");
    shake("a question");
    t.wait_for("Question 1 of 5");
    for (i, key) in ["1", "2", "1", "2", "1"].iter().enumerate() {
        t.keys(&[key]);
        if i < 4 {
            t.wait_for(&format!("Question {} of 5", i + 2));
        }
    }
    t.wait_for("Check your answers");
    shake("review");
    t.keys(&["s"]);
    t.wait_for("Saved anonymously");
    shake("result");
    t.wait_for("Saved anonymously");
    t.keys(&["Enter"]);
    t.wait_for("How are you doing today?");
    let n = t.screen();
    let key = n
        .lines()
        .find(|l| l.contains("Open my private history"))
        .and_then(|l| {
            l.split_whitespace()
                .find(|w| w.chars().all(|c| c.is_ascii_digit()))
        })
        .expect("a numbered row")
        .to_string();
    t.keys(&[&key]);
    t.wait_for("Type your private code");
    shake("PIN form");
    t.wait_for("Type your private code");
    t.keys(&["Escape"]);
    t.wait_for("How are you doing today?");
    t.keys(&["C-k", "C-k", "C-k"]);
    t.wait_for("admin PIN");
    shake("admin PIN");
    t.wait_for("admin PIN");
    assert_eq!(t.joy_pid(), pid, "the same process all along");
}
