//! A ward terminal used by taps alone (a touch screen sends clicks), at
//! 80x24 and at 100x30: an anonymous check-in, a team reflection, making a
//! private code, signing in with it, and the admin screen (after the
//! Ctrl-K gesture, which stays a keyboard gesture). Every tap lands on what
//! the screen shows, found the way a person finds it: by its words.

mod common;

use common::{screen_lines, App};
use joy_kiosk::app::{Action, Screen};

/// Tap the middle of the last place `text` is drawn (the key bar is at the
/// bottom, so its hints win over the same word above).
fn tap(app: &mut App, w: u16, h: u16, text: &str) {
    let lines = screen_lines(app, w, h);
    let (row, col) = lines
        .iter()
        .enumerate()
        .rev()
        .find_map(|(y, l)| {
            let chars: Vec<char> = l.chars().collect();
            let want: Vec<char> = text.chars().collect();
            (0..chars.len().saturating_sub(want.len() - 1))
                .find(|&x| chars[x..x + want.len()] == want[..])
                .map(|x| (y, x + want.len() / 2))
        })
        .unwrap_or_else(|| panic!("{text:?} is not on screen ({w}x{h}):\n{}", lines.join("\n")));
    app.act_after(
        700,
        Action::Click {
            column: col as u16,
            row: row as u16,
        },
    );
}

/// Tap a boxed keypad key labelled `label`.
fn tap_key(app: &mut App, w: u16, h: u16, label: &str) {
    let (column, row) = common::key_on_screen(app, w, h, label);
    app.act_after(700, Action::Click { column, row });
}

fn screen(app: &App, w: u16, h: u16) -> String {
    screen_lines(app, w, h).join("\n")
}

fn walk(w: u16, h: u16) {
    let mut app = App::kiosk();
    app.act(Action::Resize {
        width: w,
        height: h,
    });
    let start = app.store.count("checkin").unwrap();

    // 1. An anonymous WHO-5 check-in.
    tap(&mut app, w, h, "WHO-5");
    assert_eq!(app.state.screen, Screen::Team, "{}", screen(&app, w, h));
    tap(&mut app, w, h, "Ward 7");
    for _ in 0..5 {
        assert_eq!(app.state.screen, Screen::Question, "{}", screen(&app, w, h));
        tap(&mut app, w, h, "Most of the time");
    }
    assert_eq!(app.state.screen, Screen::Review, "{}", screen(&app, w, h));
    tap(&mut app, w, h, "save");
    assert_eq!(app.state.screen, Screen::Result, "{}", screen(&app, w, h));
    assert_eq!(app.store.count("checkin").unwrap(), start + 1);
    tap(&mut app, w, h, "done");
    assert_eq!(app.state.screen, Screen::Welcome, "{}", screen(&app, w, h));

    // 2. A team reflection: texts left empty (no keyboard), a pebble
    // ticked, the joy scale.
    app.act_after(11_000, Action::Tick);
    tap(&mut app, w, h, "Team joy in work reflection");
    assert_eq!(app.state.screen, Screen::Team, "{}", screen(&app, w, h));
    tap(&mut app, w, h, "Ward 7");
    for _ in 0..2 {
        assert_eq!(app.state.screen, Screen::Question, "{}", screen(&app, w, h));
        tap(&mut app, w, h, "next");
    }
    tap(&mut app, w, h, "Interruptions");
    tap(&mut app, w, h, "next");
    tap(&mut app, w, h, "next");
    assert_eq!(app.state.screen, Screen::Question, "{}", screen(&app, w, h));
    tap(&mut app, w, h, "Quite a lot");
    assert_eq!(app.state.screen, Screen::Review, "{}", screen(&app, w, h));
    tap(&mut app, w, h, "save");
    assert_eq!(app.state.screen, Screen::Result, "{}", screen(&app, w, h));
    assert_eq!(app.store.count("checkin").unwrap(), start + 2);
    tap(&mut app, w, h, "done");
    assert_eq!(app.state.screen, Screen::Welcome);

    // 3. Making a private code, with a PIN on the number keypad.
    tap(&mut app, w, h, "Make a private code");
    assert_eq!(app.state.screen, Screen::Pin, "{}", screen(&app, w, h));
    tap(&mut app, w, h, "another code");
    let code = app.state.session.pin.as_ref().unwrap().code.clone();
    tap(&mut app, w, h, "next");
    for pass in 0..2 {
        for d in "480261".chars() {
            tap_key(&mut app, w, h, &d.to_string());
        }
        tap_key(&mut app, w, h, "OK");
        if pass == 0 {
            assert!(
                screen(&app, w, h).contains("same PIN again"),
                "{}",
                screen(&app, w, h)
            );
        }
    }
    assert_eq!(app.state.screen, Screen::Home, "{}", screen(&app, w, h));
    tap(&mut app, w, h, "done");
    assert_eq!(app.state.screen, Screen::Welcome, "{}", screen(&app, w, h));

    // 4. Signing in with it: the code on the letter keypad.
    tap(&mut app, w, h, "Open my private history");
    for c in code.chars() {
        tap_key(&mut app, w, h, &c.to_string());
    }
    tap_key(&mut app, w, h, "OK");
    for d in "480261".chars() {
        tap_key(&mut app, w, h, &d.to_string());
    }
    tap_key(&mut app, w, h, "OK");
    assert_eq!(app.state.screen, Screen::Home, "{}", screen(&app, w, h));
    assert!(app.state.session.key.is_some());
    tap(&mut app, w, h, "history");
    assert_eq!(app.state.screen, Screen::History, "{}", screen(&app, w, h));
    tap(&mut app, w, h, "home");
    tap(&mut app, w, h, "done");
    assert_eq!(app.state.screen, Screen::Welcome, "{}", screen(&app, w, h));

    // 5. The admin screen: the gesture, then taps.
    let hash = joy_kiosk::kiosk::hash_pin("975318").unwrap();
    app.store.set_admin_pin_hash(&hash).unwrap();
    for _ in 0..3 {
        app.act(Action::AdminKey);
    }
    for d in "975318".chars() {
        tap_key(&mut app, w, h, &d.to_string());
    }
    tap_key(&mut app, w, h, "OK");
    assert_eq!(app.state.screen, Screen::Admin, "{}", screen(&app, w, h));
    tap(&mut app, w, h, "Data counts");
    assert!(
        screen(&app, w, h).contains("Team reflections: 1"),
        "{}",
        screen(&app, w, h)
    );
    // The retention, shorter by taps: it asks first; "keep" keeps it.
    tap(&mut app, w, h, "Keep entries for");
    tap(&mut app, w, h, "keep shorter");
    assert!(
        screen(&app, w, h).contains("335 days"),
        "{}",
        screen(&app, w, h)
    );
    tap(&mut app, w, h, "Keep entries for");
    assert!(app.state.confirm.is_some(), "{}", screen(&app, w, h));
    tap(&mut app, w, h, "keep");
    assert!(app.state.confirm.is_none(), "{}", screen(&app, w, h));
    tap(&mut app, w, h, "done");
    assert_eq!(app.state.screen, Screen::Welcome, "{}", screen(&app, w, h));
}

#[test]
fn every_kiosk_screen_by_taps_alone_at_80x24() {
    walk(80, 24);
}

#[test]
fn every_kiosk_screen_by_taps_alone_at_100x30() {
    walk(100, 30);
}
