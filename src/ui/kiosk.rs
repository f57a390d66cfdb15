//! The kiosk's own screens: welcome (large touch targets, nobody's data),
//! team question, code and PIN form with an on-screen keypad, admin, and the
//! "Still there?" countdown. Layout functions serve drawing and clicks.

use super::theme::{style, Meaning};
use super::{fit, scroll_offset, wrapped_height};
use crate::app::kiosk::{
    self, AdminItem, PinPurpose, PinStep, WelcomeItem, ADMIN_ITEMS, MAX_PIN_LEN,
};
use crate::app::ward_rules::{RulesForm, RulesRow};
use crate::app::{Action, State};
use crate::text::{self, kiosk as words};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

/// A touch target: a bordered box three rows tall.
const BUTTON_ROWS: u16 = 3;
/// Touch targets are at most this wide, centred.
const BUTTON_WIDTH: u16 = 100;

fn centre(area: Rect, width: u16) -> Rect {
    let w = width.min(area.width);
    Rect::new(area.x + (area.width - w) / 2, area.y, w, area.height)
}

/// Header lines above a list of buttons, and where the buttons go.
fn split(area: Rect, head: &[String]) -> (Rect, Rect) {
    let w = centre(area, BUTTON_WIDTH).width;
    let head_h: u16 = head.iter().map(|l| wrapped_height(l, w)).sum::<u16>() + 1;
    let head_h = head_h.min(area.height / 2);
    (
        Rect::new(area.x, area.y, area.width, head_h),
        Rect::new(
            area.x,
            area.y + head_h,
            area.width,
            area.height.saturating_sub(head_h),
        ),
    )
}

/// Rows each of `n` buttons gets in `height`: a boxed button (3 rows) when
/// all fit, else a line and a gap (2), else a line each (1, scrolling).
fn button_rows(n: usize, height: u16) -> u16 {
    let n = n.max(1) as u16;
    if n * BUTTON_ROWS <= height {
        BUTTON_ROWS
    } else if n * 2 <= height {
        2
    } else {
        1
    }
}

/// Rectangles of `n` buttons in `area`, keeping `selected` visible.
fn button_rects(area: Rect, n: usize, selected: usize) -> Vec<(usize, Rect)> {
    let area = centre(area, BUTTON_WIDTH);
    let rows = button_rows(n, area.height);
    let fit_n = (area.height / rows) as usize;
    let first = scroll_offset(selected, n, fit_n);
    (first..n.min(first + fit_n))
        .enumerate()
        .map(|(slot, i)| {
            (
                i,
                Rect::new(area.x, area.y + slot as u16 * rows, area.width, rows),
            )
        })
        .collect()
}

fn draw_buttons(
    frame: &mut Frame,
    area: Rect,
    labels: &[(String, String)],
    selected: usize,
    no_color: bool,
) {
    for (i, r) in button_rects(area, labels.len(), selected) {
        let (label, note) = &labels[i];
        let chosen = i == selected;
        let marker = if chosen { "▶ " } else { "  " };
        // Keys 1-9, then 0 for a tenth row (lists longer than ten are
        // paged, so every row has its key).
        let number = match i {
            0..=8 => format!("{}  ", i + 1),
            9 => "0  ".to_string(),
            _ => "   ".to_string(),
        };
        let mut spans = vec![
            Span::raw(marker),
            Span::styled(number, style(Meaning::Key, no_color)),
            Span::styled(
                label.clone(),
                if chosen {
                    style(Meaning::Selected, no_color)
                } else {
                    style(Meaning::Title, no_color)
                },
            ),
        ];
        if !note.is_empty() {
            spans.push(Span::styled(
                format!("  ({note})"),
                style(Meaning::Muted, no_color),
            ));
        }
        let inner = if r.height >= BUTTON_ROWS {
            let block = Block::default()
                .borders(Borders::ALL)
                .border_style(if chosen {
                    style(Meaning::Selected, no_color)
                } else {
                    style(Meaning::Muted, no_color)
                });
            let inner = block.inner(r);
            frame.render_widget(block, r);
            inner
        } else {
            // No room for boxes: a line each (the whole line is the target).
            Rect { height: 1, ..r }
        };
        let line = Line::from(spans);
        let width = inner.width as usize;
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        if text.chars().count() > width {
            frame.render_widget(
                Paragraph::new(fit(&text, width)).style(style(Meaning::Title, no_color)),
                inner,
            );
        } else {
            frame.render_widget(Paragraph::new(line), inner);
        }
    }
}

fn welcome_head(state: &State) -> Vec<String> {
    let site = state
        .kiosk
        .as_ref()
        .map(|k| k.config.site.clone())
        .unwrap_or_default();
    let mut v = Vec::new();
    if !site.is_empty() {
        v.push(text::safe_for_terminal(&site).into_owned());
    }
    v.push(words::WELCOME_HEAD.to_string());
    v.push(words::WELCOME_NOTE.to_string());
    v
}

fn welcome_labels(state: &State) -> Vec<(String, String)> {
    kiosk::welcome_items(state)
        .into_iter()
        .map(|item| match item {
            WelcomeItem::Anonymous(i) => (
                state.questionnaires[i].title.clone(),
                if state.questionnaires[i].kind == crate::questionnaire::Kind::Team {
                    words::TEAM_REFLECTION.to_string()
                } else {
                    words::ANONYMOUS.to_string()
                },
            ),
            WelcomeItem::SignIn => (words::SIGN_IN.into(), words::SIGN_IN_NOTE.into()),
            WelcomeItem::Create => (words::CREATE.into(), words::CREATE_NOTE.into()),
        })
        .collect()
}

fn draw_head(frame: &mut Frame, area: Rect, head: &[String], no_color: bool) {
    let area = centre(area, BUTTON_WIDTH);
    let lines: Vec<Line> = head
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i + 1 < head.len() {
                Line::styled(l.clone(), style(Meaning::Title, no_color))
            } else {
                Line::raw(l.clone())
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
}

pub fn draw_welcome(frame: &mut Frame, area: Rect, state: &State) {
    let head = welcome_head(state);
    let (h, list) = split(area, &head);
    draw_head(frame, h, &head, state.no_color);
    draw_buttons(
        frame,
        list,
        &welcome_labels(state),
        state.session.selected,
        state.no_color,
    );
}

pub fn welcome_row_at(area: Rect, state: &State, column: u16, row: u16) -> Option<usize> {
    let (_, list) = split(area, &welcome_head(state));
    let n = kiosk::welcome_items(state).len();
    hit_button(list, n, state.session.selected, column, row)
}

fn hit_button(list: Rect, n: usize, selected: usize, column: u16, row: u16) -> Option<usize> {
    button_rects(list, n, selected)
        .into_iter()
        .find(|(_, r)| column >= r.x && column < r.right() && row >= r.y && row < r.bottom())
        .map(|(i, _)| i)
}

pub(super) fn team_labels(state: &State) -> Vec<(String, String)> {
    let (entries, more) = kiosk::team_page(state);
    let mut v: Vec<(String, String)> = entries
        .iter()
        .map(|e| match e {
            Some(t) => (
                text::safe_for_terminal(&state.teams[*t]).into_owned(),
                String::new(),
            ),
            None => (words::NO_TEAM.to_string(), String::new()),
        })
        .collect();
    if more {
        let (page, pages) = kiosk::team_pages(state);
        v.push((words::MORE_TEAMS.to_string(), words::page_of(page, pages)));
    }
    v
}

pub(super) fn team_head(state: &State) -> Vec<String> {
    vec![if kiosk::team_required(state) {
        words::TEAM_REQUIRED_HEAD.to_string()
    } else {
        words::TEAM_HEAD.to_string()
    }]
}

pub fn draw_team(frame: &mut Frame, area: Rect, state: &State) {
    let head = team_head(state);
    let (h, list) = split(area, &head);
    draw_head(frame, h, &head, state.no_color);
    draw_buttons(
        frame,
        list,
        &team_labels(state),
        state.session.team_selected,
        state.no_color,
    );
}

pub fn team_row_at(area: Rect, state: &State, column: u16, row: u16) -> Option<usize> {
    let (_, list) = split(area, &team_head(state));
    hit_button(
        list,
        kiosk::team_rows(state),
        state.session.team_selected,
        column,
        row,
    )
}

/// The keypad's keys, row by row: digits, delete, OK.
const KEYPAD: [[&str; 3]; 4] = [
    ["1", "2", "3"],
    ["4", "5", "6"],
    ["7", "8", "9"],
    ["⌫", "0", "OK"],
];
const KEY_W: u16 = 9;

/// The code keypad (typing a private code by touch), row by row: the
/// letters, the hyphen and the digits of a code, delete and OK.
const CODE_KEYPAD: [&[&str]; 4] = [
    &["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"],
    &["k", "l", "m", "n", "o", "p", "q", "r", "s", "t"],
    &["u", "v", "w", "x", "y", "z", "-", "0", "1", "2"],
    &["3", "4", "5", "6", "7", "8", "9", "⌫", "OK"],
];
const CODE_KEY_W: u16 = 7;

/// Which keypad a PIN form shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pad {
    /// Digits, for a PIN.
    Pin,
    /// Letters, hyphen and digits, for a private code being typed.
    Code,
}

fn keypad_action(pad: Pad, label: &str) -> Action {
    match (pad, label) {
        (_, "⌫") => Action::Edit(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE)),
        (_, "OK") => Action::Confirm,
        // Typed as its key would be: a PIN or a code may repeat a
        // character, so these are not "presses" for the burst filter.
        (_, c) => Action::Edit(KeyEvent::new(
            KeyCode::Char(c.chars().next().unwrap_or('-')),
            KeyModifiers::NONE,
        )),
    }
}

struct PinLayout {
    text: Rect,
    keypad: Option<(Pad, Rect)>,
}

fn pin_text(state: &State) -> Vec<Line<'static>> {
    let nc = state.no_color;
    let Some(form) = state.session.pin.as_ref() else {
        return vec![];
    };
    let mut lines = Vec::new();
    // One dot per digit typed, nothing more: an empty field shows a cursor.
    let mask = |n: usize| {
        if n == 0 {
            "▏".to_string()
        } else {
            "●".repeat(n.min(MAX_PIN_LEN))
        }
    };
    match (form.purpose, form.step) {
        (PinPurpose::Create, PinStep::Code) => {
            lines.push(Line::raw(words::YOUR_CODE));
            lines.push(Line::styled(
                format!("   {}", form.code),
                style(Meaning::Title, nc),
            ));
            lines.push(Line::raw(words::CODE_NOTE));
        }
        (_, PinStep::Code) => {
            lines.push(Line::raw(words::TYPE_CODE));
            lines.push(Line::from(vec![
                Span::styled(format!("{}: ", words::CODE_LABEL), style(Meaning::Key, nc)),
                Span::styled(
                    format!("{}▏", text::safe_for_terminal(&form.code).into_owned()),
                    style(Meaning::Title, nc),
                ),
            ]));
        }
        (purpose, step) => {
            if !matches!(purpose, PinPurpose::Admin | PinPurpose::NewAdmin) {
                lines.push(Line::from(vec![
                    Span::styled(format!("{}: ", words::CODE_LABEL), style(Meaning::Key, nc)),
                    Span::raw(text::safe_for_terminal(&form.code).into_owned()),
                ]));
            }
            let (ask, label) = match (purpose, step) {
                (PinPurpose::Admin, _) => (words::ADMIN_PIN, words::PIN_LABEL),
                (PinPurpose::NewAdmin, PinStep::Pin) => (words::NEW_ADMIN_PIN, words::PIN_LABEL),
                (_, PinStep::Repeat) => (words::REPEAT_PIN, words::REPEAT_LABEL),
                (PinPurpose::SignIn, _) => (words::TYPE_PIN, words::PIN_LABEL),
                _ => (words::CHOOSE_PIN, words::PIN_LABEL),
            };
            if step == PinStep::Checking {
                lines.push(Line::raw(words::CHECKING));
            } else {
                lines.push(Line::raw(ask));
            }
            lines.push(Line::from(vec![
                Span::styled(format!("{label}: "), style(Meaning::Key, nc)),
                Span::styled(mask(form.pin.len()), style(Meaning::Title, nc)),
            ]));
        }
    }
    // The message line is always there (empty without a message), so the
    // keypad below never moves under a finger when one appears.
    match &form.message {
        Some(m) => lines.push(Line::styled(
            format!("{}{m}", text::MARK),
            style(Meaning::Alert, nc),
        )),
        None => lines.push(Line::raw("")),
    }
    if !matches!(form.purpose, PinPurpose::Admin | PinPurpose::NewAdmin) {
        lines.push(Line::styled(words::PROTECTS, style(Meaning::Muted, nc)));
    }
    lines
}

fn pin_layout(area: Rect, state: &State) -> PinLayout {
    let area = centre(area, BUTTON_WIDTH);
    let p = Paragraph::new(pin_text(state)).wrap(Wrap { trim: true });
    let text_h = (p.line_count(area.width).min(20) as u16).min(area.height);
    let pad = state
        .session
        .pin
        .as_ref()
        .and_then(|f| match (f.purpose, f.step) {
            (_, PinStep::Pin | PinStep::Repeat) => Some(Pad::Pin),
            (PinPurpose::SignIn, PinStep::Code) => Some(Pad::Code),
            _ => None,
        });
    let pad_h = 4 * BUTTON_ROWS;
    let keypad = pad
        .filter(|_| area.height >= text_h + 1 + pad_h)
        .map(|pad| {
            let w = match pad {
                Pad::Pin => 3 * KEY_W,
                Pad::Code => 10 * CODE_KEY_W,
            };
            let r = Rect::new(
                area.x + area.width.saturating_sub(w) / 2,
                area.y + text_h + 1,
                w.min(area.width),
                pad_h,
            );
            (pad, r)
        });
    PinLayout {
        text: Rect::new(area.x, area.y, area.width, text_h),
        keypad,
    }
}

fn keypad_keys(pad: Pad, area: Rect) -> Vec<(Rect, &'static str)> {
    let (rows, w): (Vec<&[&'static str]>, u16) = match pad {
        Pad::Pin => (KEYPAD.iter().map(|r| &r[..]).collect(), KEY_W),
        Pad::Code => (CODE_KEYPAD.to_vec(), CODE_KEY_W),
    };
    let mut v = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        for (c, label) in row.iter().enumerate() {
            let x = area.x + c as u16 * w;
            if x + w > area.right() {
                // Too narrow for this key: it is not drawn, nor hit.
                continue;
            }
            v.push((
                Rect::new(x, area.y + r as u16 * BUTTON_ROWS, w, BUTTON_ROWS),
                *label,
            ));
        }
    }
    v
}

pub fn draw_pin(frame: &mut Frame, area: Rect, state: &State) {
    let l = pin_layout(area, state);
    frame.render_widget(
        Paragraph::new(pin_text(state)).wrap(Wrap { trim: true }),
        l.text,
    );
    if let Some((pad, pad_area)) = l.keypad {
        for (r, label) in keypad_keys(pad, pad_area) {
            let block = Block::default()
                .borders(Borders::ALL)
                .border_style(style(Meaning::Muted, state.no_color));
            let inner = block.inner(r);
            frame.render_widget(block, r);
            frame.render_widget(
                Paragraph::new(Line::styled(label, style(Meaning::Key, state.no_color)))
                    .alignment(Alignment::Center),
                inner,
            );
        }
    }
}

pub fn pin_hit(area: Rect, state: &State, column: u16, row: u16) -> Option<Action> {
    let (pad, pad_area) = pin_layout(area, state).keypad?;
    keypad_keys(pad, pad_area)
        .into_iter()
        .find(|(r, _)| column >= r.x && column < r.right() && row >= r.y && row < r.bottom())
        .map(|(_, label)| keypad_action(pad, label))
}

fn admin_label(item: AdminItem, state: &State) -> String {
    match item {
        AdminItem::Counts => words::ADMIN_COUNTS.to_string(),
        AdminItem::Participation => words::ADMIN_PARTICIPATION_ROW.to_string(),
        AdminItem::Export => words::ADMIN_EXPORT.to_string(),
        AdminItem::Print => words::ADMIN_PRINT.to_string(),
        AdminItem::Retention => format!(
            "{}: {}",
            words::ADMIN_RETENTION,
            words::retention(state.session.admin.as_ref().map_or(0, |a| a.retention_days))
        ),
        AdminItem::WardRules => words::ADMIN_WARD_RULES.to_string(),
        AdminItem::ChangePin => words::ADMIN_CHANGE_PIN.to_string(),
        AdminItem::LiftLockouts => words::ADMIN_LIFT.to_string(),
        AdminItem::Exit => words::ADMIN_EXIT.to_string(),
        AdminItem::Leave => words::ADMIN_LEAVE.to_string(),
    }
}

pub fn draw_admin(frame: &mut Frame, area: Rect, state: &State) {
    let nc = state.no_color;
    let Some(view) = state.session.admin.as_ref() else {
        return;
    };
    let area = centre(area, BUTTON_WIDTH);
    if let Some(form) = &view.rules {
        draw_rules(frame, area, form, nc);
        return;
    }
    let mut lines: Vec<Line> = ADMIN_ITEMS
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let chosen = i == view.selected;
            Line::from(vec![
                Span::raw(if chosen { "▶ " } else { "  " }),
                // Keys 1-9, then 0 for the tenth.
                Span::styled(format!("{}  ", (i + 1) % 10), style(Meaning::Key, nc)),
                Span::styled(
                    admin_label(*item, state),
                    if chosen {
                        style(Meaning::Selected, nc)
                    } else {
                        style(Meaning::Normal, nc)
                    },
                ),
            ])
        })
        .collect();
    lines.push(Line::raw(""));
    let rows_height = (lines.len() as u16).min(area.height);
    frame.render_widget(
        Paragraph::new(lines),
        Rect {
            height: rows_height,
            ..area
        },
    );
    let mut lines: Vec<Line> = Vec::new();
    if let Some(counts) = &view.counts {
        lines.push(Line::styled(view.panel, style(Meaning::Title, nc)));
        // Two short rows to a line, so the panel fits under the rows at
        // 80x24; a long one has its line to itself.
        let half = (area.width as usize).saturating_sub(4) / 2;
        let cells: Vec<String> = counts.iter().map(|(l, v)| format!("{l}: {v}")).collect();
        let mut i = 0;
        while i < cells.len() {
            let first = &cells[i];
            match cells.get(i + 1) {
                Some(next) if first.chars().count() < half && next.chars().count() < half => {
                    lines.push(Line::raw(format!("  {first:<half$}  {next}")));
                    i += 2;
                }
                _ => {
                    lines.push(Line::raw(format!("  {first}")));
                    i += 1;
                }
            }
        }
    }
    // The panel below the rows, scrolled with PgDn/PgUp where it is longer
    // than the room left, saying so on its last line.
    let room = Rect {
        y: area.y + rows_height,
        height: area.height.saturating_sub(rows_height),
        ..area
    };
    if room.height == 0 || lines.is_empty() {
        return;
    }
    let panel = Paragraph::new(lines).wrap(Wrap { trim: false });
    let total = panel.line_count(room.width) as u16;
    let (first, shown) = panel_window(total, room.height, view.scroll);
    frame.render_widget(
        panel.scroll((first, 0)),
        Rect {
            height: shown,
            ..room
        },
    );
    if total > room.height {
        let more = match (first > 0, first + shown < total) {
            (true, true) => words::PANEL_MORE_BOTH,
            (true, false) => words::PANEL_MORE_ABOVE,
            _ => words::PANEL_MORE_BELOW,
        };
        frame.render_widget(
            Paragraph::new(Line::styled(more, style(Meaning::Muted, nc))),
            Rect {
                y: room.y + room.height - 1,
                height: 1,
                ..room
            },
        );
    }
}

/// The panel's lines on screen: (the first, how many), for `total` lines
/// in `height` rows scrolled by `scroll`. When it does not fit, the last
/// row says there is more, so `height - 1` lines show.
pub fn panel_window(total: u16, height: u16, scroll: u16) -> (u16, u16) {
    if total <= height {
        return (0, total);
    }
    let shown = height.saturating_sub(1);
    let first = scroll.min(total.saturating_sub(shown));
    (first, shown)
}

pub fn admin_row_at(area: Rect, state: &State, column: u16, row: u16) -> Option<usize> {
    let area = centre(area, BUTTON_WIDTH);
    if column < area.x || column >= area.right() {
        return None;
    }
    if let Some(form) = state.session.admin.as_ref().and_then(|a| a.rules.as_ref()) {
        let (first, shown) = rules_window(form, area.height);
        let i = row.checked_sub(area.y + RULES_HEAD)? as usize;
        return (i < shown).then_some(first + i);
    }
    let i = row.checked_sub(area.y)? as usize;
    (i < ADMIN_ITEMS.len()).then_some(i)
}

/// Lines above the rules form's rows (its title and a blank line).
const RULES_HEAD: u16 = 2;
/// Lines below them (a blank line and the chosen row's explanation).
const RULES_FOOT: u16 = 4;

/// The rows of the rules form on screen: the first and how many, so the
/// chosen row is always among them (many teams scroll).
fn rules_window(form: &RulesForm, height: u16) -> (usize, usize) {
    let n = form.rows().len();
    let room = (height.saturating_sub(RULES_HEAD + RULES_FOOT) as usize).max(1);
    if n <= room {
        return (0, n);
    }
    let first = form.selected.saturating_sub(room - 1).min(n - room);
    (first, room)
}

fn rules_label(form: &RulesForm, row: RulesRow) -> String {
    let value = match row {
        RulesRow::K => words::rules_k(form.k),
        RulesRow::TextK => words::rules_text(form.text_k),
        RulesRow::Period => words::rules_period(form.kind, form.held.kind, form.held.pending),
        RulesRow::Headcount(i) => words::rules_headcount(
            form.held.headcounts.get(i).map_or("", |(t, _)| t.as_str()),
            form.headcounts.get(i).copied().flatten(),
        ),
        RulesRow::Back => words::RULES_BACK.to_string(),
    };
    if form.changed(row) {
        format!("{value}  {}", words::NOT_SAVED)
    } else {
        value
    }
}

fn draw_rules(frame: &mut Frame, area: Rect, form: &RulesForm, nc: bool) {
    let (first, shown) = rules_window(form, area.height);
    let rows = form.rows();
    let mut lines = vec![
        Line::styled(
            if form.on_server {
                words::RULES_TITLE_SERVER
            } else {
                words::RULES_TITLE
            },
            style(Meaning::Title, nc),
        ),
        Line::raw(""),
    ];
    for (i, row) in rows.iter().enumerate().skip(first).take(shown) {
        let chosen = i == form.selected;
        // Keys 1-9 (then 0) choose a row, as on the admin rows.
        let key = if i < 10 {
            format!("{}  ", (i + 1) % 10)
        } else {
            "   ".to_string()
        };
        let more = if i == first && first > 0 {
            words::MORE_ABOVE
        } else if i + 1 == first + shown && first + shown < rows.len() {
            words::MORE_BELOW
        } else {
            ""
        };
        lines.push(Line::from(vec![
            Span::raw(if chosen { "▶ " } else { "  " }),
            Span::styled(key, style(Meaning::Key, nc)),
            Span::styled(
                fit(
                    &rules_label(form, *row),
                    (area.width as usize).saturating_sub(5 + more.chars().count()),
                ),
                if chosen {
                    style(Meaning::Selected, nc)
                } else {
                    style(Meaning::Normal, nc)
                },
            ),
            Span::styled(more, style(Meaning::Muted, nc)),
        ]));
    }
    lines.push(Line::raw(""));
    let why = match form.row() {
        _ if form.on_server => words::RULES_ON_SERVER,
        RulesRow::K => words::RULES_WHY_K,
        RulesRow::TextK => words::RULES_WHY_TEXT,
        RulesRow::Period => words::RULES_WHY_PERIOD,
        RulesRow::Headcount(_) => words::RULES_WHY_HEADCOUNT,
        RulesRow::Back if form.headcounts.is_empty() => words::RULES_NO_TEAMS,
        RulesRow::Back => "",
    };
    lines.push(Line::styled(why, style(Meaning::Muted, nc)));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

/// The "Still there?" box over the screen in a session's last seconds.
pub fn draw_countdown(frame: &mut Frame, area: Rect, state: &State) {
    let Some(s) = kiosk::seconds_left(state) else {
        return;
    };
    let nc = state.no_color;
    let w = 50.min(area.width);
    let lines = vec![
        Line::styled(words::STILL_THERE, style(Meaning::Title, nc)),
        Line::raw(""),
        Line::styled(words::clearing_in(s), style(Meaning::Alert, nc)),
        Line::raw(words::PRESS_TO_STAY),
    ];
    let inner_w = w.saturating_sub(2);
    let h = lines
        .iter()
        .map(|l| {
            let t: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
            wrapped_height(&t, inner_w)
        })
        .sum::<u16>()
        + 2;
    let r = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + area.height.saturating_sub(h) / 2,
        w,
        h.min(area.height),
    );
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .alignment(Alignment::Center)
            .block(Block::default().borders(Borders::ALL)),
        r,
    );
}

/// The right end of the title line: a countdown on the kiosk's result, or
/// to a save waiting for the minimum interval.
pub fn title_note(state: &State) -> Option<String> {
    state.kiosk.as_ref()?;
    if let Some(at) = state.session.save_at {
        let s = ((at - state.now).num_milliseconds().max(0) + 999) / 1000;
        return Some(words::saving_in(s));
    }
    if state.screen != crate::app::Screen::Result {
        return None;
    }
    kiosk::seconds_left(state).map(words::back_to_start_in)
}
