//! Drawing. Every screen draws from `&State` only and never changes it.
//! Layout functions are shared by drawing and by mouse hit-testing, so a
//! click lands on what is drawn there.

mod help;
mod history;
mod home;
pub mod huddle;
mod kiosk;
pub mod out_of_order;
pub mod plain;
pub mod question;
mod result;
pub mod textbox;
pub mod theme;
mod trends;

use crate::app::{Action, Screen, State};
use crate::keymap::{hints, Hint};
use crate::text;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use theme::{style, Meaning};

/// Below this size a message asks for a larger window.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;

pub fn draw(frame: &mut Frame, state: &State) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let p = Paragraph::new(text::too_small(
            area.width,
            area.height,
            MIN_WIDTH,
            MIN_HEIGHT,
        ))
        .wrap(ratatui::widgets::Wrap { trim: true });
        frame.render_widget(p, area);
        return;
    }
    let l = frame_layout(area, state);
    let title = match state.screen {
        Screen::Welcome => text::kiosk::TITLE_WELCOME,
        Screen::Team => text::kiosk::TITLE_TEAM,
        Screen::Pin => match state.session.pin.as_ref().map(|f| f.purpose) {
            Some(crate::app::kiosk::PinPurpose::Create) => text::kiosk::TITLE_CREATE,
            Some(crate::app::kiosk::PinPurpose::Admin) => text::kiosk::TITLE_ADMIN_PIN,
            Some(crate::app::kiosk::PinPurpose::NewAdmin) => text::kiosk::TITLE_NEW_ADMIN_PIN,
            _ => text::kiosk::TITLE_PIN,
        },
        Screen::Admin => text::kiosk::TITLE_ADMIN,
        Screen::Home => text::TITLE_HOME,
        Screen::Question => text::TITLE_QUESTION,
        Screen::Review => text::TITLE_REVIEW,
        Screen::Result => text::TITLE_RESULT,
        Screen::History => text::TITLE_HISTORY,
        Screen::Detail => text::TITLE_DETAIL,
        Screen::Trends => text::TITLE_TRENDS,
        Screen::Huddle => text::TITLE_HUDDLE,
    };
    let head = Line::from(vec![
        Span::styled(text::APP_NAME, style(Meaning::Title, state.no_color)),
        Span::raw(" · "),
        Span::styled(title, style(Meaning::Title, state.no_color)),
    ]);
    frame.render_widget(Paragraph::new(head), l.title);
    if let Some(note) = kiosk::title_note(state) {
        let w = (note.chars().count() as u16 + 1).min(l.title.width);
        frame.render_widget(
            Paragraph::new(Line::styled(note, style(Meaning::Accent, state.no_color))),
            Rect::new(l.title.right() - w, l.title.y, w, 1),
        );
    }
    match state.screen {
        Screen::Welcome => kiosk::draw_welcome(frame, l.body, state),
        Screen::Team => kiosk::draw_team(frame, l.body, state),
        Screen::Pin => kiosk::draw_pin(frame, l.body, state),
        Screen::Admin => kiosk::draw_admin(frame, l.body, state),
        Screen::Home => home::draw(frame, l.body, state),
        Screen::Question => question::draw(frame, l.body, state),
        Screen::Review => question::draw_review(frame, l.body, state),
        Screen::Result => result::draw(frame, l.body, state),
        Screen::History => history::draw(frame, l.body, state),
        Screen::Detail => history::draw_detail(frame, l.body, state),
        Screen::Trends => trends::draw(frame, l.body, state),
        Screen::Huddle => huddle::draw(frame, l.body, state),
    }
    if let Some(p) = status_paragraph(state) {
        frame.render_widget(ratatui::widgets::Clear, l.status);
        frame.render_widget(p, l.status);
    }
    draw_keybar(frame, l.keybar, state);
    if state.help {
        help::draw(frame, area, state);
    }
    if state.support {
        help::draw_support(frame, area, state);
    }
    if let Some(c) = &state.confirm {
        help::draw_confirm(frame, area, state, c);
    }
    if crate::app::kiosk::warning(state) {
        kiosk::draw_countdown(frame, area, state);
    }
}

/// The parts every screen has.
pub struct FrameLayout {
    pub title: Rect,
    pub body: Rect,
    pub status: Rect,
    pub keybar: Rect,
}

/// The status line (an error or notice), wrapped to the screen's width so
/// a long message is shown whole.
fn status_paragraph(state: &State) -> Option<Paragraph<'static>> {
    let s = state.status.as_ref()?;
    Some(
        Paragraph::new(Line::styled(
            format!("{}{s}", text::MARK),
            style(Meaning::Alert, state.no_color),
        ))
        .wrap(ratatui::widgets::Wrap { trim: true }),
    )
}

/// Rows the status takes at `width`: all its wrapped lines, but never more
/// than a third of the screen, so the screen itself stays usable.
fn status_height(state: &State, width: u16, height: u16) -> u16 {
    match status_paragraph(state) {
        None => 0,
        Some(p) => {
            let lines = p.line_count(width.max(1)).min(u16::MAX as usize) as u16;
            lines.clamp(1, (height / 3).max(1))
        }
    }
}

/// Status lines a kiosk screen always keeps; a longer notice is drawn over
/// the bottom of the body instead of shrinking it, so nothing moves.
pub const KIOSK_STATUS_ROWS: u16 = 1;

pub fn frame_layout(area: Rect, state: &State) -> FrameLayout {
    let bar = keybar_cells(area.width, &hints(state));
    let bar_h = bar.iter().map(|c| c.y + 1).max().unwrap_or(1).min(3);
    let status_h = status_height(state, area.width.saturating_sub(2), area.height);
    // A touch screen: the body's size never depends on a notice, so a
    // notice appearing or going never moves a button under a finger (a
    // line is kept for it; a longer one covers the body's last lines).
    let kept = if state.kiosk.is_some() {
        KIOSK_STATUS_ROWS.min(area.height / 3)
    } else {
        status_h
    };
    let body_h = area.height.saturating_sub(1 + bar_h + kept + 1);
    FrameLayout {
        title: Rect::new(area.x, area.y, area.width, 1),
        body: Rect::new(area.x + 1, area.y + 1, area.width.saturating_sub(2), body_h),
        status: Rect::new(
            area.x + 1,
            (area.y + 1 + body_h + kept).saturating_sub(status_h),
            area.width.saturating_sub(2),
            status_h,
        ),
        keybar: Rect::new(
            area.x,
            area.bottom().saturating_sub(bar_h),
            area.width,
            bar_h,
        ),
    }
}

/// Where each hint sits in the key bar (relative x, line y, width).
#[derive(Debug, Clone, PartialEq)]
pub struct KeyCell {
    pub x: u16,
    pub y: u16,
    pub width: u16,
    pub hint: Hint,
}

pub fn keybar_cells(width: u16, hints: &[Hint]) -> Vec<KeyCell> {
    let mut cells = Vec::new();
    let (mut x, mut y) = (1u16, 0u16);
    for h in hints {
        let w = (h.key.chars().count() + 1 + h.label.chars().count()) as u16;
        if x > 1 && x + w > width {
            x = 1;
            y += 1;
        }
        cells.push(KeyCell {
            x,
            y,
            width: w,
            hint: h.clone(),
        });
        x += w + 2;
    }
    cells
}

fn draw_keybar(frame: &mut Frame, area: Rect, state: &State) {
    let cells = keybar_cells(area.width, &hints(state));
    let mut lines: Vec<Vec<Span>> = vec![Vec::new(); area.height as usize];
    let mut cursor = vec![0u16; area.height as usize];
    for c in cells {
        let Some(line) = lines.get_mut(c.y as usize) else {
            continue;
        };
        let pad = c.x.saturating_sub(cursor[c.y as usize]);
        line.push(Span::raw(" ".repeat(pad as usize)));
        line.push(Span::styled(
            c.hint.key,
            style(Meaning::Key, state.no_color),
        ));
        line.push(Span::raw(format!(" {}", c.hint.label)));
        cursor[c.y as usize] = c.x + c.width;
    }
    let text: Vec<Line> = lines.into_iter().map(Line::from).collect();
    frame.render_widget(Paragraph::new(text), area);
}

/// The action a click at (column, row) stands for, if any.
pub fn hit(state: &State, column: u16, row: u16) -> Option<Action> {
    let area = Rect::new(0, 0, state.size.0, state.size.1);
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let l = frame_layout(area, state);
    let inside_rect =
        |r: Rect| column >= r.x && column < r.right() && row >= r.y && row < r.bottom();
    // A dialog's buttons first: they sit inside its box.
    let buttons = match &state.confirm {
        Some(c) => Some(help::confirm_layout(area, c).1),
        None if state.help => Some(help::help_layout(area, state).1),
        None if state.support => Some(help::support_layout(area, state).1),
        None => None,
    };
    if let Some(b) = buttons.into_iter().flatten().find(|b| inside_rect(b.rect)) {
        return Some(b.hint.action);
    }
    if row >= l.keybar.y {
        let y = row - l.keybar.y;
        return keybar_cells(area.width, &hints(state))
            .into_iter()
            .find(|c| c.y == y && column >= c.x && column < c.x + c.width)
            .map(|c| c.hint.action);
    }
    if state.help || state.support || state.confirm.is_some() {
        return None;
    }
    if inside_rect(l.status) || !inside_rect(l.body) {
        return None;
    }
    if state.screen == Screen::Huddle {
        return huddle::hit(l.body, state, column, row);
    }
    let index = match state.screen {
        Screen::Welcome => kiosk::welcome_row_at(l.body, state, column, row),
        Screen::Team => kiosk::team_row_at(l.body, state, column, row),
        Screen::Pin => return kiosk::pin_hit(l.body, state, column, row),
        Screen::Admin => kiosk::admin_row_at(l.body, state, column, row),
        Screen::Home => home::row_at(l.body, state, row),
        Screen::Question => question::row_at(l.body, state, row),
        Screen::Review => question::review_row_at(l.body, state, row),
        Screen::History => history::row_at(l.body, state, row),
        _ => None,
    }?;
    Some(Action::Pick(index))
}

/// Lines of prose stay this wide at most, so they remain easy to read on
/// a wide screen.
pub const READABLE_WIDTH: u16 = 100;

/// `area`, no wider than [`READABLE_WIDTH`].
pub fn readable(area: Rect) -> Rect {
    Rect {
        width: area.width.min(READABLE_WIDTH),
        ..area
    }
}

/// The body of the screen at the state's size.
fn body_area(state: &State) -> Rect {
    frame_layout(Rect::new(0, 0, state.size.0, state.size.1), state).body
}

/// Lines shown and the largest scroll of `total` lines in `height` rows: when
/// the content is longer, one row is kept for the "more below" hint.
pub fn scroll_view(total: u16, height: u16) -> (u16, u16) {
    if total <= height {
        (height, 0)
    } else {
        let view = height.saturating_sub(1).max(1);
        (view, total.saturating_sub(view))
    }
}

/// Draw a scrolled paragraph in `area`, never past its end, with a hint
/// line when some of it lies below (or above).
pub(crate) fn draw_scrolled(
    frame: &mut Frame,
    area: Rect,
    p: Paragraph,
    scroll: u16,
    no_color: bool,
) {
    let total = p.line_count(area.width).min(u16::MAX as usize) as u16;
    let (_, max) = scroll_view(total, area.height);
    draw_scrolled_from(frame, area, p, scroll.min(max), no_color);
}

/// [`draw_scrolled`] from line `scroll` even past the last full page (a
/// list that starts on a whole item may leave room at the bottom), with
/// "more above", "more below" or both under it.
pub(crate) fn draw_scrolled_from(
    frame: &mut Frame,
    area: Rect,
    p: Paragraph,
    scroll: u16,
    no_color: bool,
) {
    let total = p.line_count(area.width).min(u16::MAX as usize) as u16;
    let (view, max) = scroll_view(total, area.height);
    let scroll = scroll.min(total.saturating_sub(1));
    frame.render_widget(
        p.scroll((scroll, 0)),
        Rect {
            height: view.min(area.height),
            ..area
        },
    );
    if max > 0 && area.height > view {
        let below = scroll.saturating_add(view) < total;
        let hint = match (scroll > 0, below) {
            (false, _) => text::MORE_BELOW,
            (true, true) => text::MORE_BOTH,
            (true, false) => text::MORE_ABOVE,
        };
        frame.render_widget(
            Paragraph::new(Line::styled(hint, style(Meaning::Accent, no_color))),
            Rect::new(area.x, area.y + view, area.width, 1),
        );
    }
}

/// (page, largest scroll) of a paragraph drawn by `draw_scrolled` in `area`.
fn scroll_limits(area: Rect, p: Paragraph) -> (u16, u16) {
    let total = p.line_count(area.width).min(u16::MAX as usize) as u16;
    scroll_view(total, area.height)
}

/// Result screen: (page, largest scroll), so scrolling stops at the end.
pub fn result_scroll_limits(state: &State) -> (u16, u16) {
    let area = readable(body_area(state));
    scroll_limits(area, result::paragraph(state))
}

/// Detail screen: (page, largest scroll).
pub fn detail_scroll_limits(state: &State) -> (u16, u16) {
    let area = readable(body_area(state));
    scroll_limits(area, history::detail_paragraph(state))
}

/// History: how many rows one page holds.
pub fn history_page(state: &State) -> usize {
    history::page(body_area(state))
}

/// The first item to show so that `selected` is visible in `height` rows.
pub fn scroll_offset(selected: usize, len: usize, height: usize) -> usize {
    if height == 0 || len <= height {
        0
    } else {
        selected.saturating_sub(height - 1).min(len - height)
    }
}

/// How many lines `text` takes when word-wrapped to `width`.
pub fn wrapped_height(text: &str, width: u16) -> u16 {
    let width = width.max(1) as usize;
    let mut lines = 0u16;
    for para in text.split('\n') {
        let mut used = 0usize;
        let mut n = 1u16;
        for word in para.split_whitespace() {
            let w = word.chars().count();
            if used == 0 {
                used = w;
                n += (w.saturating_sub(1) / width) as u16;
                used = if w > width { w % width } else { used };
            } else if used + 1 + w <= width {
                used += 1 + w;
            } else {
                n += 1 + (w.saturating_sub(1) / width) as u16;
                used = if w > width { w % width } else { w };
            }
        }
        lines += n;
    }
    lines
}

/// A tiny text sparkline of `values` between `lo` and `hi`.
pub fn sparkline(values: &[f64], lo: f64, hi: f64) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let span = (hi - lo).max(1e-9);
    values
        .iter()
        .map(|v| BARS[(((v - lo) / span).clamp(0.0, 1.0) * 7.0).round() as usize])
        .collect()
}

/// Cut `s` to at most `width` characters, ending with "…" when cut.
pub fn fit(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(width.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_counts_lines() {
        assert_eq!(wrapped_height("", 10), 1);
        assert_eq!(wrapped_height("one two three", 7), 2);
        assert_eq!(wrapped_height("a\nb", 10), 2);
        assert_eq!(wrapped_height("abcdefghijkl", 5), 3);
    }

    #[test]
    fn scroll_keeps_selection_visible() {
        assert_eq!(scroll_offset(0, 3, 5), 0);
        assert_eq!(scroll_offset(9, 20, 5), 5);
        assert_eq!(scroll_offset(19, 20, 5), 15);
    }

    #[test]
    fn scrolling_stops_at_the_end_and_keeps_a_row_for_the_hint() {
        // Fits: no scrolling, all rows for content.
        assert_eq!(scroll_view(10, 20), (20, 0));
        assert_eq!(scroll_view(20, 20), (20, 0));
        // 30 lines in 20 rows: 19 shown, one row says "more below"; the
        // last scroll shows the last 19 lines.
        assert_eq!(scroll_view(30, 20), (19, 11));
        assert_eq!(readable(Rect::new(1, 1, 198, 50)).width, READABLE_WIDTH);
        assert_eq!(readable(Rect::new(1, 1, 78, 20)).width, 78);
    }

    #[test]
    fn sparkline_scales_to_range() {
        assert_eq!(sparkline(&[0.0, 50.0, 100.0], 0.0, 100.0), "▁▅█");
    }
}
