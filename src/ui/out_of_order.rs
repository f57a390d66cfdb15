//! The kiosk's "check-ins are paused" screen, shown while it cannot use its
//! database (see `app::out_of_order`). Draws at any size, down to 1x1.

use super::theme::{style, Meaning};
use crate::text::{self, kiosk as words};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

pub fn draw(frame: &mut Frame, reason: &str, local_support: &[String], no_color: bool) {
    let area: Rect = frame.area();
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        words::PAUSED_TITLE,
        style(Meaning::Title, no_color),
    ));
    let mut lines = vec![
        Line::styled(words::PAUSED_HEAD, style(Meaning::Alert, no_color)),
        Line::raw(""),
        Line::raw(words::PAUSED_BODY),
        Line::raw(""),
    ];
    if !local_support.is_empty() {
        lines.push(Line::raw(words::PAUSED_SUPPORT));
        lines.extend(
            local_support
                .iter()
                .map(|l| Line::raw(format!("- {}", text::safe_for_terminal(l)))),
        );
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled(
        words::paused_detail(&text::safe_for_terminal(reason)),
        style(Meaning::Muted, no_color),
    ));
    lines.push(Line::styled(
        words::PAUSED_RETRY,
        style(Meaning::Muted, no_color),
    ));
    let p = Paragraph::new(lines).block(block).wrap(Wrap { trim: true });
    frame.render_widget(p, area);
}
