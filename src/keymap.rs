//! Keys and mouse events to [`Action`]s, and the per-screen key hints that
//! the key bar and the help overlay show (and that clicks on the key bar
//! trigger). Only key *presses* count.

use crate::app::{checkin, Action, AfterLeave, Confirm, Mode, Screen, State};
use crate::text;
use crate::trends::Period;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};

/// Turn a terminal event into an action, given whether text is being typed.
pub fn map(event: &Event, state: &State) -> Option<Action> {
    match event {
        Event::Key(k) if k.kind == KeyEventKind::Press => map_key(*k, state),
        Event::Mouse(m) => match m.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click {
                column: m.column,
                row: m.row,
            }),
            MouseEventKind::ScrollUp => Some(Action::Up),
            MouseEventKind::ScrollDown => Some(Action::Down),
            _ => None,
        },
        Event::Resize(w, h) => Some(Action::Resize {
            width: *w,
            height: *h,
        }),
        // One action for the whole paste, however long: never key by key.
        Event::Paste(s) => Some(Action::Paste(s.clone())),
        _ => None,
    }
}

fn map_key(k: KeyEvent, state: &State) -> Option<Action> {
    if state.mode == Mode::Kiosk {
        return kiosk_key(k, state);
    }
    personal_key(k, state)
}

/// Kiosk keys: nothing leaves the app. Control and Alt combinations, function
/// keys (but F1 for help) and `q` do nothing, except Ctrl-K, one press of
/// the admin sequence (shown nowhere on screen).
fn kiosk_key(k: KeyEvent, state: &State) -> Option<Action> {
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && matches!(k.code, KeyCode::Char('k') | KeyCode::Char('K')) {
        return Some(Action::AdminKey);
    }
    // A code holder's note takes Alt-Enter for a new line; no other
    // combination does anything.
    let note_line = k.code == KeyCode::Enter
        && k.modifiers == KeyModifiers::ALT
        && state.editing_text()
        && state.confirm.is_none();
    if k.modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SUPER)
        && !note_line
    {
        return None;
    }
    match k.code {
        KeyCode::F(1) => return Some(Action::Help),
        KeyCode::F(_) => return None,
        _ => {}
    }
    if state.screen == Screen::Pin && state.confirm.is_none() && !state.help && !state.support {
        // Making a code, the code is suggested (not typed): `s` asks for
        // another, as the key bar says.
        let suggesting = state.session.pin.as_ref().is_some_and(|f| {
            f.purpose == crate::app::kiosk::PinPurpose::Create
                && f.step == crate::app::kiosk::PinStep::Code
        });
        return match k.code {
            KeyCode::Char('s') | KeyCode::Char('S') if suggesting => Some(Action::Skip),
            KeyCode::Enter => Some(Action::Confirm),
            KeyCode::Esc => Some(Action::Back),
            KeyCode::Char('?') => Some(Action::Help),
            KeyCode::Char('!') => Some(Action::Support),
            KeyCode::Char(_) | KeyCode::Backspace | KeyCode::Delete => Some(Action::Edit(k)),
            _ => None,
        };
    }
    if k.code == KeyCode::Char('q') && !state.editing_text() {
        return None;
    }
    personal_key(k, state)
}

fn personal_key(k: KeyEvent, state: &State) -> Option<Action> {
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl
        && matches!(
            k.code,
            KeyCode::Char('c') | KeyCode::Char('q') | KeyCode::Char('4') | KeyCode::Char('\\')
        )
    {
        return Some(Action::Quit);
    }
    if ctrl && k.code == KeyCode::Char('s') {
        return Some(Action::Save);
    }
    if state.confirm.is_some() {
        return match k.code {
            KeyCode::Char('y') | KeyCode::Char('Y') => Some(Action::Yes),
            KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => Some(Action::No),
            _ => None,
        };
    }
    if state.editing_text() {
        return match k.code {
            // Alt-Enter: a new line in a note (the answer decides).
            KeyCode::Enter if k.modifiers.contains(KeyModifiers::ALT) => Some(Action::Edit(k)),
            KeyCode::Enter | KeyCode::Tab => Some(Action::Confirm),
            KeyCode::Esc => Some(Action::Back),
            KeyCode::F(1) => Some(Action::Help),
            // "!" is typed here: support is F2.
            KeyCode::F(2) => Some(Action::Support),
            // A question cut on a small screen scrolls while typing too.
            KeyCode::PageDown => Some(Action::PageDown),
            KeyCode::PageUp => Some(Action::PageUp),
            KeyCode::Up => Some(Action::Up),
            KeyCode::Down => Some(Action::Down),
            _ => Some(Action::Edit(k)),
        };
    }
    let action = match k.code {
        KeyCode::Up | KeyCode::Char('k') => Action::Up,
        KeyCode::Down | KeyCode::Char('j') => Action::Down,
        KeyCode::Left => Action::Left,
        KeyCode::Right => Action::Right,
        KeyCode::Enter => Action::Confirm,
        KeyCode::Esc | KeyCode::Backspace => Action::Back,
        KeyCode::Char(' ') => Action::Toggle,
        KeyCode::Char('?') | KeyCode::F(1) => Action::Help,
        KeyCode::Char('!') => Action::Support,
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Tab => Action::NextQuestionnaire,
        KeyCode::Char('h') => Action::OpenHistory,
        KeyCode::Char('t') => Action::OpenTrends,
        KeyCode::Char('p') => Action::NextPeriod,
        KeyCode::Char(']') => Action::NextScore,
        KeyCode::Char('[') => Action::PrevScore,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::Home => Action::First,
        KeyCode::End => Action::Last,
        KeyCode::Char('f') if state.screen == Screen::History => Action::Filter,
        KeyCode::Char('/') if state.screen == Screen::History => Action::Search,
        KeyCode::Char('x') if state.screen == Screen::History && state.export_dir.is_some() => {
            Action::Export
        }
        KeyCode::Char('b') if state.screen == Screen::History && state.export_dir.is_some() => {
            Action::Backup
        }
        KeyCode::Char('d') if matches!(state.screen, Screen::History | Screen::Detail) => {
            Action::Delete
        }
        KeyCode::Char('s') if state.screen == Screen::Review => Action::Save,
        KeyCode::Char('n') if state.screen == Screen::Review => Action::Note,
        KeyCode::Char('a') if state.screen == Screen::Huddle => Action::AddAction,
        KeyCode::Char('u') if state.screen == Screen::Huddle => Action::Undo,
        KeyCode::Char('s') => Action::Skip,
        KeyCode::Char('v') if state.screen == Screen::Trends => Action::Toggle,
        KeyCode::Char(c @ '1'..='4') if state.screen == Screen::Trends => {
            Action::SetPeriod(Period::ALL[c as usize - '1' as usize])
        }
        KeyCode::Char(c @ '0'..='9') => Action::Digit(c as u8 - b'0'),
        _ => return None,
    };
    Some(action)
}

/// One key hint: what to press, what it does, and the action a click on it sends.
#[derive(Debug, Clone, PartialEq)]
pub struct Hint {
    pub key: &'static str,
    pub label: &'static str,
    pub action: Action,
}

pub const fn hint(key: &'static str, label: &'static str, action: Action) -> Hint {
    Hint { key, label, action }
}

/// The keys of the screen that is showing, in the order the key bar shows them.
pub fn hints(state: &State) -> Vec<Hint> {
    if let Some(c) = &state.confirm {
        return confirm_hints(c);
    }
    let kiosk = state.kiosk.is_some();
    if state.help {
        let mut h = vec![hint("Esc", text::key::CLOSE_HELP, Action::Back)];
        if !kiosk {
            h.push(hint("q", text::key::QUIT, Action::Quit));
        }
        return h;
    }
    if state.support {
        let mut h = vec![hint("Esc", text::key::CLOSE_SUPPORT, Action::Back)];
        if !kiosk {
            h.push(hint("q", text::key::QUIT, Action::Quit));
        }
        return h;
    }
    let mut h = screen_hints(state);
    if crate::app::support::alert_on_screen(state) {
        // First, so it is never the hint that wraps out of sight.
        let key = if state.typing_screen() { "F2" } else { "!" };
        h.retain(|x| x.action != Action::Support);
        h.insert(0, hint(key, text::key::SUPPORT, Action::Support));
    }
    h
}

/// The buttons of a confirmation dialog (also its key bar).
pub fn confirm_hints(c: &Confirm) -> Vec<Hint> {
    match c {
        Confirm::Leave {
            then: AfterLeave::Quit,
        } => vec![
            hint("y", text::key::LEAVE_AND_QUIT, Action::Yes),
            hint("n", text::key::STAY, Action::No),
        ],
        Confirm::Leave {
            then: AfterLeave::Home,
        } => vec![
            hint("y", text::key::LEAVE_WITHOUT_SAVING, Action::Yes),
            hint("n", text::key::STAY, Action::No),
        ],
        Confirm::Delete { .. } => vec![
            hint("y", text::key::DELETE, Action::Yes),
            hint("n", text::key::KEEP, Action::No),
        ],
        Confirm::ExitKiosk => vec![
            hint("y", text::kiosk::KEY_CLOSE, Action::Yes),
            hint("n", text::key::STAY, Action::No),
        ],
        Confirm::ShortenRetention { .. } => vec![
            hint("y", text::kiosk::KEY_SHORTEN, Action::Yes),
            hint("n", text::key::KEEP, Action::No),
        ],
        Confirm::DeleteCode => vec![
            hint("y", text::kiosk::KEY_DELETE_CODE, Action::Yes),
            hint("n", text::key::KEEP, Action::No),
        ],
        Confirm::QuitActionForm => vec![
            hint("y", text::key::LEAVE_AND_QUIT, Action::Yes),
            hint("n", text::key::STAY, Action::No),
        ],
    }
}

/// Everything the help overlay lists: the screen's keys and the ones too
/// many for the key bar. Only keys that work on that screen.
pub fn help_hints(state: &State) -> Vec<Hint> {
    let mut h = screen_hints(state);
    let extra = if state.typing_screen() {
        vec![
            hint("←→", text::key::MOVE_IN_TEXT, Action::Help),
            hint("Backspace", text::key::DELETE_TEXT, Action::Help),
        ]
    } else {
        match state.screen {
            Screen::History => vec![
                hint("PgUp/PgDn", text::key::PAGE, Action::PageDown),
                hint("Home/End", text::key::FIRST_LAST, Action::Last),
            ],
            Screen::Result | Screen::Detail => vec![
                hint("PgUp/PgDn", text::key::PAGE, Action::PageDown),
                hint("Home/End", text::key::FIRST_LAST, Action::Last),
            ],
            _ => vec![],
        }
    };
    // Before "help" and "quit", which close the list.
    let at = h
        .iter()
        .position(|x| x.action == Action::Help)
        .unwrap_or(h.len());
    h.splice(at..at, extra);
    h
}

/// The keys of the current screen, ignoring any overlay.
pub fn screen_hints(state: &State) -> Vec<Hint> {
    if state.kiosk.is_some() {
        if let Some(h) = kiosk_hints(state) {
            return h;
        }
    }
    let mut h = match state.screen {
        Screen::Team => vec![
            hint("↑↓", text::key::MOVE, Action::Down),
            hint("Enter", text::key::CHOOSE, Action::Confirm),
            hint("Esc", text::key::BACK, Action::Back),
        ],
        Screen::Welcome | Screen::Pin | Screen::Admin => vec![],
        Screen::Home => vec![
            hint("↑↓", text::key::CHOOSE, Action::Down),
            hint("Enter", text::key::START, Action::Confirm),
            hint("h", text::key::HISTORY, Action::OpenHistory),
            hint("t", text::key::TRENDS, Action::OpenTrends),
        ],
        Screen::Question => question_hints(state),
        Screen::Review => {
            let mut h = vec![
                hint("↑↓", text::key::CHOOSE, Action::Down),
                hint("Enter", text::key::CHANGE, Action::Confirm),
                hint("s", text::key::SAVE, Action::Save),
            ];
            if let Some(c) = state.session.checkin.as_ref() {
                if c.note_index(&state.questionnaires[c.questionnaire])
                    .is_some()
                {
                    h.push(hint("n", text::key::NOTE, Action::Note));
                }
            }
            h.push(hint("Esc", text::key::BACK, Action::Back));
            h
        }
        Screen::Result
            if state
                .session
                .result
                .as_ref()
                .is_some_and(|r| r.team.is_some()) =>
        {
            vec![
                hint("Enter", text::key::HOME, Action::Confirm),
                hint("↑↓", text::key::SCROLL, Action::Down),
            ]
        }
        Screen::Result => vec![
            hint("Enter", text::key::HOME, Action::Confirm),
            hint("t", text::key::TRENDS, Action::OpenTrends),
            hint("h", text::key::HISTORY, Action::OpenHistory),
            hint("↑↓", text::key::SCROLL, Action::Down),
        ],
        Screen::History if state.session.search_input.is_some() => vec![
            hint("Enter", text::key::SEARCH_NOW, Action::Confirm),
            hint("Esc", text::key::CANCEL, Action::Back),
        ],
        Screen::History => {
            let mut h = vec![
                hint("↑↓", text::key::CHOOSE, Action::Down),
                hint("Enter", text::key::OPEN, Action::Confirm),
                hint("/", text::key::SEARCH_NOTES, Action::Search),
                hint("f", text::key::FILTER, Action::Filter),
                hint("d", text::key::DELETE, Action::Delete),
                hint("t", text::key::TRENDS, Action::OpenTrends),
            ];
            if state.export_dir.is_some() {
                h.push(hint("x", text::key::EXPORT, Action::Export));
                h.push(hint("b", text::key::BACKUP, Action::Backup));
            }
            h.push(hint(
                "Esc",
                if state.session.history_search.is_some() {
                    text::key::ALL_AGAIN
                } else {
                    text::key::HOME
                },
                Action::Back,
            ));
            h
        }
        Screen::Detail => vec![
            hint("↑↓", text::key::SCROLL, Action::Down),
            hint("d", text::key::DELETE, Action::Delete),
            hint("Esc", text::key::BACK, Action::Back),
        ],
        Screen::Huddle => huddle_hints(state),
        Screen::Trends => vec![
            hint("p", text::key::PERIOD, Action::NextPeriod),
            hint(
                "v",
                if state.session.trends.table {
                    text::key::CHART
                } else {
                    text::key::TABLE
                },
                Action::Toggle,
            ),
            hint("←→", text::key::SCORE, Action::NextScore),
            hint("Tab", text::key::QUESTIONNAIRE, Action::NextQuestionnaire),
            hint("Esc", text::key::HOME, Action::Back),
        ],
    };
    let kiosk = state.kiosk.is_some();
    if state.typing_screen() {
        // "?", "!" and "q" are typed as text here.
        h.push(hint("F2", text::key::SUPPORT, Action::Support));
        h.push(hint("F1", text::key::HELP, Action::Help));
        if !kiosk {
            h.push(hint("Ctrl-C", text::key::QUIT, Action::Quit));
        }
    } else {
        h.push(hint("?", text::key::HELP, Action::Help));
        if !kiosk {
            h.push(hint("q", text::key::QUIT, Action::Quit));
        }
    }
    h
}

fn question_hints(state: &State) -> Vec<Hint> {
    let Some(c) = state.session.checkin.as_ref() else {
        return vec![];
    };
    let q = &state.questionnaires[c.questionnaire];
    let question = c.question(q);
    let mut h = Vec::new();
    if crate::ui::question::question_overflows(state) {
        // The question itself is cut on this screen: it scrolls.
        h.push(hint("PgDn", text::key::MORE_OF_QUESTION, Action::PageDown));
        h.push(hint("PgUp", text::key::PAGE_UP_QUESTION, Action::PageUp));
    }
    if c.editing_text(q) {
        let multi = matches!(
            question.kind,
            crate::questionnaire::QuestionKind::Multi { .. }
        );
        if multi && c.text_value().is_empty() {
            h.push(hint("Space", text::key::TICK, Action::Toggle));
        }
        h.push(hint("Enter", text::key::NEXT, Action::Confirm));
        if checkin::multiline(question) {
            // Tapped on a touch screen, the key bar's button types it too.
            h.push(hint(
                "Alt-Enter",
                text::key::NEW_LINE,
                Action::Edit(KeyEvent::new(KeyCode::Enter, KeyModifiers::ALT)),
            ));
        }
        h.push(hint("Esc", text::key::BACK, Action::Back));
        if checkin::row_count(question) > 0 {
            h.push(hint("↑", text::key::OPTIONS, Action::Up));
        }
        return h;
    }
    let multi = matches!(
        question.kind,
        crate::questionnaire::QuestionKind::Multi { .. }
    );
    h.push(hint("↑↓", text::key::MOVE, Action::Down));
    if multi {
        h.push(hint("Space", text::key::TICK, Action::Toggle));
        h.push(hint("Enter", text::key::NEXT, Action::Confirm));
    } else if checkin::digits_are_values(question) {
        // The number beside each option is its value (and its key).
        h.push(hint("Enter/0-9", text::key::CHOOSE, Action::Confirm));
    } else {
        h.push(hint("Enter/1-9", text::key::CHOOSE, Action::Confirm));
    }
    h.push(hint("Esc", text::key::BACK, Action::Back));
    if !question.required {
        h.push(hint("s", text::key::SKIP, Action::Skip));
    }
    h
}

/// Kiosk screens' keys (None: the screen's usual keys, minus leaving).
fn kiosk_hints(state: &State) -> Option<Vec<Hint>> {
    use crate::app::kiosk::{PinPurpose, PinStep};
    let anonymous = state.session.respondent.is_none();
    let mut h = match state.screen {
        Screen::Welcome => vec![
            hint("↑↓", text::key::CHOOSE, Action::Down),
            hint("Enter", text::kiosk::KEY_START, Action::Confirm),
            // Support is there before anybody starts (a tap reaches it).
            hint("!", text::key::SUPPORT, Action::Support),
        ],
        Screen::Team => vec![
            hint("↑↓", text::key::MOVE, Action::Down),
            hint("Enter", text::key::CHOOSE, Action::Confirm),
            hint("Esc", text::kiosk::KEY_CANCEL, Action::Back),
        ],
        Screen::Pin => {
            let form = state.session.pin.as_ref()?;
            let mut h = vec![hint("Enter", text::kiosk::KEY_NEXT, Action::Confirm)];
            if form.purpose == PinPurpose::Create && form.step == PinStep::Code {
                h.push(hint("s", text::kiosk::KEY_ANOTHER, Action::Skip));
            } else {
                h.push(hint(
                    "Backspace",
                    text::kiosk::KEY_DELETE_DIGIT,
                    Action::Edit(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE)),
                ));
            }
            h.push(hint("Esc", text::kiosk::KEY_CANCEL, Action::Back));
            h
        }
        Screen::Admin => {
            use crate::app::ward_rules::RulesRow;
            let admin = state.session.admin.as_ref();
            if let Some(form) = admin.and_then(|a| a.rules.as_ref()) {
                let mut h = vec![hint("↑↓", text::key::CHOOSE, Action::Down)];
                if form.on_server {
                    // Shown only: the server's admin changes them.
                    if form.row() == RulesRow::Back {
                        h.push(hint("Enter", text::key::BACK, Action::Confirm));
                    }
                    h.push(hint("Esc", text::key::BACK, Action::Back));
                    return Some(h);
                }
                match form.row() {
                    RulesRow::Period => {
                        h.push(hint("←→", text::kiosk::KEY_OTHER, Action::Right));
                    }
                    RulesRow::Back => {}
                    row => {
                        h.push(hint("←", text::kiosk::KEY_FEWER, Action::Left));
                        h.push(hint("→", text::kiosk::KEY_MORE, Action::Right));
                        if matches!(row, RulesRow::Headcount(_)) {
                            h.push(hint("PgUp", text::kiosk::KEY_TEN_MORE, Action::PageUp));
                            h.push(hint("PgDn", text::kiosk::KEY_TEN_FEWER, Action::PageDown));
                        }
                    }
                }
                if form.row() == RulesRow::Back {
                    h.push(hint("Enter", text::key::BACK, Action::Confirm));
                } else {
                    h.push(hint("Enter", text::kiosk::KEY_SAVE_ROW, Action::Confirm));
                }
                h.push(hint("Esc", text::key::BACK, Action::Back));
                return Some(h);
            }
            let on_retention = admin.and_then(|a| crate::app::kiosk::ADMIN_ITEMS.get(a.selected))
                == Some(&crate::app::kiosk::AdminItem::Retention);
            let mut h = vec![
                hint("↑↓", text::key::CHOOSE, Action::Down),
                hint("Enter", text::key::OPEN, Action::Confirm),
            ];
            // ←→ change the retention only: shown on its row alone.
            if on_retention {
                h.push(hint("←", text::kiosk::KEY_SHORTER, Action::Left));
                h.push(hint("→", text::kiosk::KEY_LONGER, Action::Right));
            }
            h.push(hint("Esc", text::kiosk::KEY_DONE, Action::Back));
            h
        }
        Screen::Home if !anonymous => vec![
            hint("↑↓", text::key::CHOOSE, Action::Down),
            hint("Enter", text::key::START, Action::Confirm),
            hint("h", text::key::HISTORY, Action::OpenHistory),
            hint("t", text::key::TRENDS, Action::OpenTrends),
            hint("d", text::kiosk::KEY_FORGET, Action::Delete),
            hint("Esc", text::kiosk::KEY_DONE, Action::Back),
        ],
        Screen::Result if anonymous => vec![
            hint("Enter", text::kiosk::KEY_DONE, Action::Confirm),
            hint("↑↓", text::key::SCROLL, Action::Down),
        ],
        _ => return None,
    };
    if state.typing_screen() || state.screen == Screen::Pin {
        h.push(hint("F1", text::key::HELP, Action::Help));
    } else {
        h.push(hint("?", text::key::HELP, Action::Help));
    }
    Some(h)
}

/// The huddle screen's keys: typing a new action, presenting, or browsing.
fn huddle_hints(state: &State) -> Vec<Hint> {
    use crate::text::huddle_key as k;
    let Some(v) = state.huddle.as_ref() else {
        return vec![];
    };
    if let Some(form) = &v.adding {
        use crate::app::huddle::FormStep;
        let mut h = Vec::new();
        if matches!(form.step, FormStep::Pebble | FormStep::Scope) {
            h.push(hint("↑↓", text::key::CHOOSE, Action::Down));
        }
        if form.step == FormStep::Scope {
            h.push(hint("Enter", k::SAVE_ACTION, Action::Confirm));
        } else {
            h.push(hint("Enter", k::NEXT, Action::Confirm));
        }
        h.push(hint("Esc", k::CANCEL, Action::Back));
        return h;
    }
    // A panel longer than the screen pages (with "more below" on it).
    let long = crate::ui::huddle::max_scroll(state) > 0;
    if v.presenting {
        let mut h = vec![
            hint("Space", k::NEXT, Action::Toggle),
            hint("←", k::PREVIOUS, Action::Left),
        ];
        if long {
            h.push(hint("PgUp", k::PAGE_UP, Action::PageUp));
            h.push(hint("PgDn", k::PAGE_DOWN, Action::PageDown));
        }
        h.push(hint("Esc", k::STOP_PRESENTING, Action::Back));
        return h;
    }
    let mut h = vec![hint("←→", k::PANEL, Action::Right)];
    if long {
        h.push(hint("PgUp", k::PAGE_UP, Action::PageUp));
        h.push(hint("PgDn", k::PAGE_DOWN, Action::PageDown));
    }
    h.extend([
        hint("p", k::PRESENT, Action::NextPeriod),
        hint("[ ]", k::PERIOD, Action::NextScore),
        hint("a", k::ADD_ACTION, Action::AddAction),
    ]);
    if crate::app::huddle::current(v) == crate::app::huddle::Panel::Actions && !v.actions.is_empty()
    {
        h.push(hint("↑↓", text::key::CHOOSE, Action::Down));
        h.push(hint("s", k::STATUS, Action::Skip));
        h.push(hint("u", k::UNDO, Action::Undo));
    }
    h
}
