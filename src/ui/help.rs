//! The `?` help overlay and the "leave without saving?" question.

use super::theme::{style, Meaning};
use crate::app::State;
use crate::keymap::screen_hints;
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

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let nc = state.no_color;
    let mut lines: Vec<Line> = Vec::new();
    for h in screen_hints(state) {
        lines.push(Line::from(vec![
            Span::styled(format!("{:>10}  ", h.key), style(Meaning::Key, nc)),
            Span::raw(h.label),
        ]));
    }
    lines.push(Line::raw(""));
    for l in text::HELP_TEXT.lines() {
        lines.push(Line::raw(l));
    }
    let width = 70.min(area.width);
    let inner = width.saturating_sub(2);
    let height: u16 = lines
        .iter()
        .map(|l| super::wrapped_height(&l.to_string(), inner))
        .sum::<u16>()
        + 2;
    let r = centered(area, width, height);
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::default()
                .borders(Borders::ALL)
                .title(text::HELP_TITLE),
        ),
        r,
    );
}

pub fn draw_confirm(frame: &mut Frame, area: Rect, state: &State) {
    let nc = state.no_color;
    let r = centered(area, 56, 6);
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(vec![
            Line::raw(text::LEAVE_QUESTION),
            Line::raw(""),
            Line::from(vec![
                Span::styled("y", style(Meaning::Key, nc)),
                Span::raw(text::LEAVE_YES),
                Span::styled("n", style(Meaning::Key, nc)),
                Span::raw(text::LEAVE_NO),
            ]),
        ])
        .wrap(Wrap { trim: true })
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(text::LEAVE_TITLE),
        ),
        r,
    );
}
