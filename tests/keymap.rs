//! Keys and mouse events to actions.

mod common;
use common::App;
use joy_kiosk::app::Action;
use joy_kiosk::keymap::{hints, map};
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers, MouseButton, MouseEvent,
    MouseEventKind,
};

fn key(code: KeyCode, mods: KeyModifiers) -> Event {
    Event::Key(KeyEvent::new(code, mods))
}

#[test]
fn only_presses_count_and_control_keys_quit() {
    let app = App::new();
    let release = Event::Key(KeyEvent {
        code: KeyCode::Enter,
        modifiers: KeyModifiers::NONE,
        kind: KeyEventKind::Release,
        state: KeyEventState::NONE,
    });
    assert_eq!(map(&release, &app.state), None);
    assert_eq!(
        map(&key(KeyCode::Enter, KeyModifiers::NONE), &app.state),
        Some(Action::Confirm)
    );
    for c in ['c', '\\', '4'] {
        assert_eq!(
            map(&key(KeyCode::Char(c), KeyModifiers::CONTROL), &app.state),
            Some(Action::Quit),
            "Ctrl-{c}"
        );
    }
    assert_eq!(
        map(&key(KeyCode::Char('7'), KeyModifiers::NONE), &app.state),
        Some(Action::Digit(7))
    );
}

#[test]
fn while_typing_letters_are_text_and_help_is_f1() {
    let mut app = App::new();
    app.open_joy_note();
    assert!(app.state.editing_text());
    for c in ['q', '?', 's', 'h', '1'] {
        let e = key(KeyCode::Char(c), KeyModifiers::NONE);
        assert!(
            matches!(map(&e, &app.state), Some(Action::Edit(_))),
            "{c} is typed"
        );
    }
    assert_eq!(
        map(&key(KeyCode::F(1), KeyModifiers::NONE), &app.state),
        Some(Action::Help)
    );
    let keys: Vec<&str> = hints(&app.state).iter().map(|h| h.key).collect();
    assert!(
        keys.contains(&"F1") && !keys.contains(&"?") && !keys.contains(&"q"),
        "{keys:?}"
    );
}

#[test]
fn left_clicks_become_clicks_and_motion_is_ignored() {
    let app = App::new();
    let mouse = |kind| {
        Event::Mouse(MouseEvent {
            kind,
            column: 3,
            row: 4,
            modifiers: KeyModifiers::NONE,
        })
    };
    assert_eq!(
        map(&mouse(MouseEventKind::Down(MouseButton::Left)), &app.state),
        Some(Action::Click { column: 3, row: 4 })
    );
    assert_eq!(map(&mouse(MouseEventKind::Moved), &app.state), None);
    assert_eq!(
        map(&mouse(MouseEventKind::Up(MouseButton::Left)), &app.state),
        None
    );
    assert_eq!(
        map(&mouse(MouseEventKind::ScrollDown), &app.state),
        Some(Action::Down)
    );
}

#[test]
fn a_paste_is_one_action_whatever_its_size() {
    let app = App::new();
    let big = "x\n".repeat(500_000);
    assert_eq!(
        map(&Event::Paste(big.clone()), &app.state),
        Some(Action::Paste(big))
    );
}

#[test]
fn history_keys_page_jump_filter_and_delete() {
    let mut app = App::new();
    app.act(Action::OpenHistory);
    let k = |code| map(&key(code, KeyModifiers::NONE), &app.state);
    assert_eq!(k(KeyCode::PageUp), Some(Action::PageUp));
    assert_eq!(k(KeyCode::PageDown), Some(Action::PageDown));
    assert_eq!(k(KeyCode::Home), Some(Action::First));
    assert_eq!(k(KeyCode::End), Some(Action::Last));
    assert_eq!(k(KeyCode::Char('f')), Some(Action::Filter));
    assert_eq!(k(KeyCode::Char('d')), Some(Action::Delete));
    let keys: Vec<&str> = hints(&app.state).iter().map(|h| h.key).collect();
    assert!(keys.contains(&"f") && keys.contains(&"d"), "{keys:?}");
    // Not on home: `d` and `f` do nothing there.
    let home = App::new();
    assert_eq!(
        map(&key(KeyCode::Char('d'), KeyModifiers::NONE), &home.state),
        None
    );
}

#[test]
fn dialogs_take_y_and_n_and_show_why_they_opened() {
    let mut app = App::new();
    app.acts(&[Action::Confirm, Action::Pick(0), Action::Quit]);
    let k = |c| map(&key(KeyCode::Char(c), KeyModifiers::NONE), &app.state);
    assert_eq!(k('y'), Some(Action::Yes));
    assert_eq!(k('n'), Some(Action::No));
    assert_eq!(k('q'), None, "q inside the dialog is not a second quit");
    let labels: Vec<&str> = hints(&app.state).iter().map(|h| h.label).collect();
    assert!(labels.contains(&"leave and quit"), "{labels:?}");
}

#[test]
fn space_while_typing_reaches_the_answer_logic() {
    let mut app = App::new();
    app.open_joy_note();
    assert!(matches!(
        map(&key(KeyCode::Char(' '), KeyModifiers::NONE), &app.state),
        Some(Action::Edit(_))
    ));
    // Home and End move in the text while typing.
    assert!(matches!(
        map(&key(KeyCode::Home, KeyModifiers::NONE), &app.state),
        Some(Action::Edit(_))
    ));
}

/// On the "make a private code" screen the key bar offers `s` for another
/// suggestion: the key does what the bar says (as a click on it does).
#[test]
fn s_suggests_another_code_as_the_key_bar_says() {
    use joy_kiosk::app::kiosk::{PinForm, PinPurpose};
    use joy_kiosk::app::Screen;
    let mut app = App::kiosk();
    app.state.session.pin = Some(PinForm::new(PinPurpose::Create));
    app.state.screen = Screen::Pin;
    let bar = hints(&app.state);
    assert!(bar.iter().any(|h| h.action == Action::Skip), "{bar:?}");
    assert_eq!(
        map(&key(KeyCode::Char('s'), KeyModifiers::NONE), &app.state),
        Some(Action::Skip)
    );
    // Signing in, `s` is part of a code being typed.
    app.state.session.pin = Some(PinForm::new(PinPurpose::SignIn));
    assert!(matches!(
        map(&key(KeyCode::Char('s'), KeyModifiers::NONE), &app.state),
        Some(Action::Edit(_))
    ));
}

/// The kiosk's welcome screen offers support in its key bar, where a touch
/// reaches it (before anybody starts a check-in), and `!` opens it.
#[test]
fn the_kiosk_welcome_key_bar_offers_support() {
    let app = App::kiosk();
    let bar = hints(&app.state);
    assert!(bar.iter().any(|h| h.action == Action::Support), "{bar:?}");
    assert_eq!(
        map(&key(KeyCode::Char('!'), KeyModifiers::NONE), &app.state),
        Some(Action::Support)
    );
}
