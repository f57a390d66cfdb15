//! The help overlay and the confirmation dialogs (leave a check-in without
//! saving, delete a check-in). Their buttons sit inside the box and are
//! clickable: the same layout functions place them for drawing and for
//! hit-testing.

use super::theme::{style, Meaning};
use crate::app::Action;
use crate::app::{AfterLeave, Confirm, State};
use crate::keymap::{confirm_hints, help_hints, hint, Hint};
use crate::text;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height.saturating_sub(2));
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + 1 + (area.height.saturating_sub(2) - h) / 2,
        w,
        h,
    )
}

/// A clickable button inside a dialog.
#[derive(Debug, Clone, PartialEq)]
pub struct Button {
    pub rect: Rect,
    pub hint: Hint,
}

fn button_text(h: &Hint) -> String {
    format!("[ {} {} ]", h.key, h.label)
}

/// Place `hints` as buttons on the last rows inside `inner`: side by side
/// when they fit, else one per row. Returns the buttons and the rows used.
fn place_buttons(inner: Rect, hints: &[Hint]) -> (Vec<Button>, u16) {
    let widths: Vec<u16> = hints
        .iter()
        .map(|h| button_text(h).chars().count() as u16)
        .collect();
    let one_row = widths.iter().sum::<u16>() + 3 * widths.len().saturating_sub(1) as u16;
    let rows = if one_row <= inner.width {
        1
    } else {
        hints.len() as u16
    };
    let top = inner.bottom().saturating_sub(rows).max(inner.y);
    let mut x = inner.x;
    let mut out = Vec::new();
    for (i, (h, w)) in hints.iter().zip(&widths).enumerate() {
        let (bx, by) = if rows == 1 {
            let p = (x, top);
            x += w + 3;
            p
        } else {
            (inner.x, top + i as u16)
        };
        if by >= inner.bottom() {
            break;
        }
        out.push(Button {
            rect: Rect::new(bx, by, (*w).min(inner.right().saturating_sub(bx)), 1),
            hint: h.clone(),
        });
    }
    (out, rows)
}

fn inner(r: Rect) -> Rect {
    Block::default().borders(Borders::ALL).inner(r)
}

pub(super) fn confirm_text(c: &Confirm) -> Vec<String> {
    match c {
        Confirm::Leave {
            then: AfterLeave::Quit,
        } => vec![text::LEAVE_QUIT_QUESTION.to_string()],
        Confirm::Leave {
            then: AfterLeave::Home,
        } => vec![text::LEAVE_QUESTION.to_string()],
        Confirm::Delete { what, .. } => vec![what.clone(), text::DELETE_NOTE.to_string()],
        Confirm::ExitKiosk => vec![text::kiosk::EXIT_QUESTION.to_string()],
        Confirm::ShortenRetention { days, from } => {
            vec![text::kiosk::shorten_question(*days, *from)]
        }
        Confirm::DeleteCode => vec![text::kiosk::DELETE_CODE_QUESTION.to_string()],
        Confirm::QuitActionForm => vec![text::QUIT_ACTION_QUESTION.to_string()],
    }
}

pub(super) fn confirm_title(c: &Confirm) -> &'static str {
    match c {
        Confirm::Leave { .. } => text::LEAVE_TITLE,
        Confirm::Delete { .. } => text::DELETE_TITLE,
        Confirm::ExitKiosk => text::kiosk::EXIT_TITLE,
        Confirm::ShortenRetention { .. } => text::kiosk::SHORTEN_TITLE,
        Confirm::DeleteCode => text::kiosk::DELETE_CODE_TITLE,
        Confirm::QuitActionForm => text::QUIT_ACTION_TITLE,
    }
}

/// The dialog's box and its buttons.
pub fn confirm_layout(area: Rect, c: &Confirm) -> (Rect, Vec<Button>) {
    let width = 60.min(area.width);
    let iw = width.saturating_sub(2);
    let hints = confirm_hints(c);
    let (_, button_rows) = place_buttons(Rect::new(0, 0, iw, 10), &hints);
    let text_h: u16 = confirm_text(c)
        .iter()
        .map(|l| super::wrapped_height(l, iw))
        .sum();
    let r = centered(area, width, text_h + 1 + button_rows + 2);
    let (buttons, _) = place_buttons(inner(r), &hints);
    (r, buttons)
}

fn draw_buttons(frame: &mut Frame, buttons: &[Button], nc: bool) {
    for b in buttons {
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::raw("[ "),
                Span::styled(b.hint.key, style(Meaning::Key, nc)),
                Span::raw(format!(" {} ]", b.hint.label)),
            ])),
            b.rect,
        );
    }
}

pub fn draw_confirm(frame: &mut Frame, area: Rect, state: &State, c: &Confirm) {
    let nc = state.no_color;
    let (r, buttons) = confirm_layout(area, c);
    frame.render_widget(Clear, r);
    frame.render_widget(
        Block::default()
            .borders(Borders::ALL)
            .title(confirm_title(c)),
        r,
    );
    let i = inner(r);
    let top = buttons.iter().map(|b| b.rect.y).min().unwrap_or(i.bottom());
    let lines: Vec<Line> = confirm_text(c).into_iter().map(Line::raw).collect();
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }),
        Rect::new(i.x, i.y, i.width, top.saturating_sub(i.y)),
    );
    draw_buttons(frame, &buttons, nc);
}

fn help_lines(state: &State) -> Vec<Line<'static>> {
    let nc = state.no_color;
    let mut lines: Vec<Line> = Vec::new();
    for h in help_hints(state) {
        lines.push(Line::from(vec![
            Span::styled(format!("{:>10}  ", h.key), style(Meaning::Key, nc)),
            Span::raw(h.label),
        ]));
    }
    lines.push(Line::raw(""));
    let body = if state.screen == crate::app::Screen::Huddle {
        text::HUDDLE_HELP_TEXT
    } else if let Some(k) = &state.kiosk {
        if k.config.server.is_some() {
            text::KIOSK_SERVER_HELP_TEXT
        } else {
            text::KIOSK_HELP_TEXT
        }
    } else {
        text::HELP_TEXT
    };
    for l in body.lines() {
        lines.push(Line::raw(l));
    }
    lines
}

/// A box of `width` columns (at most the screen's) holding `lines`
/// wrapped, with one close button inside it: its place and its button.
fn overlay_layout(area: Rect, width: u16, lines: &[String]) -> (Rect, Vec<Button>) {
    let width = width.min(area.width);
    let iw = width.saturating_sub(2);
    let height: u16 = lines
        .iter()
        .map(|l| super::wrapped_height(l, iw))
        .sum::<u16>()
        + 2
        + 2;
    let r = centered(area, width, height);
    let (buttons, _) = place_buttons(inner(r), &[hint("Esc", text::key::CLOSE, Action::Back)]);
    (r, buttons)
}

/// Draw an overlay placed by [`overlay_layout`]: frame, title, text, button.
fn draw_overlay(
    frame: &mut Frame,
    (r, buttons): (Rect, Vec<Button>),
    title: Span<'static>,
    lines: Vec<Line<'static>>,
    nc: bool,
) {
    frame.render_widget(Clear, r);
    frame.render_widget(Block::default().borders(Borders::ALL).title(title), r);
    let i = inner(r);
    let top = buttons.iter().map(|b| b.rect.y).min().unwrap_or(i.bottom());
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }),
        Rect::new(i.x, i.y, i.width, top.saturating_sub(i.y + 1)),
    );
    draw_buttons(frame, &buttons, nc);
}

/// The help box and its close button.
pub fn help_layout(area: Rect, state: &State) -> (Rect, Vec<Button>) {
    let lines: Vec<String> = help_lines(state).iter().map(|l| l.to_string()).collect();
    overlay_layout(area, 70, &lines)
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    draw_overlay(
        frame,
        help_layout(area, state),
        Span::raw(text::HELP_TITLE),
        help_lines(state),
        state.no_color,
    );
}

/// The support box and its close button: sized to its text, up to the screen.
pub fn support_layout(area: Rect, state: &State) -> (Rect, Vec<Button>) {
    overlay_layout(area, 76, &crate::app::support::overlay_lines(state))
}

pub fn draw_support(frame: &mut Frame, area: Rect, state: &State) {
    draw_overlay(
        frame,
        support_layout(area, state),
        Span::styled(text::SUPPORT_TITLE, style(Meaning::Alert, state.no_color)),
        crate::app::support::overlay_lines(state)
            .into_iter()
            .map(Line::raw)
            .collect(),
        state.no_color,
    );
}
