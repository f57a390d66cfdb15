//! The huddle screen: readable from across a room (large figures, few
//! words), from 80x24 to a wall screen. Beside the panel shown, a list of
//! all panels (click one to open it); in presentation mode the panel fills
//! the screen and a click or Space steps on. Draws from `&State` only:
//! every figure here has already passed the anonymity rules.

use super::fit;
use super::theme::{style, Meaning};
use crate::anonymity::Hidden;
use crate::app::huddle::{current, panels, HuddleView, Panel};
use crate::app::{Action, State};
use crate::huddle::{Bar, Content, Huddle, ScorePanel};
use crate::questionnaire::{fmt_number, Tone};
use crate::text;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{BarChart, BarGroup, Paragraph, Wrap};
use ratatui::Frame;

/// The panel list's width beside the panel (when the screen is wide enough).
const LIST_WIDTH: u16 = 28;
/// Below this width the list is left out and the panel fills the body.
const LIST_MIN_SCREEN: u16 = 70;

/// Three-column, five-row digits for large figures.
fn glyph(c: char) -> [&'static str; 5] {
    match c {
        '0' => ["███", "█ █", "█ █", "█ █", "███"],
        '1' => [" █ ", "██ ", " █ ", " █ ", "███"],
        '2' => ["███", "  █", "███", "█  ", "███"],
        '3' => ["███", "  █", "███", "  █", "███"],
        '4' => ["█ █", "█ █", "███", "  █", "  █"],
        '5' => ["███", "█  ", "███", "  █", "███"],
        '6' => ["███", "█  ", "███", "█ █", "███"],
        '7' => ["███", "  █", "  █", "  █", "  █"],
        '8' => ["███", "█ █", "███", "█ █", "███"],
        '9' => ["███", "█ █", "███", "  █", "███"],
        '.' => ["   ", "   ", "   ", "   ", " █ "],
        '-' => ["   ", "   ", "███", "   ", "   "],
        _ => ["   ", "   ", "   ", "   ", "   "],
    }
}

/// `s` in large digits: five lines.
pub fn big_lines(s: &str) -> Vec<String> {
    (0..5)
        .map(|row| {
            s.chars()
                .map(|c| glyph(c)[row])
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// The parts of the body: header, optional panel list, panel.
struct Layout {
    header: Rect,
    list: Option<Rect>,
    panel: Rect,
}

fn layout(body: Rect, v: &HuddleView) -> Layout {
    let header = Rect::new(body.x, body.y, body.width, 1.min(body.height));
    let rest = Rect::new(
        body.x,
        body.y + 2.min(body.height),
        body.width,
        body.height.saturating_sub(2),
    );
    if v.presenting || body.width < LIST_MIN_SCREEN {
        return Layout {
            header,
            list: None,
            panel: rest,
        };
    }
    // Wider screens give the panel list room for whole labels (up to 60).
    let list_w = (rest.width / 4).clamp(LIST_WIDTH, 60);
    let list = Rect::new(rest.x, rest.y, list_w, rest.height);
    let panel = Rect::new(
        rest.x + list_w + 2,
        rest.y,
        rest.width.saturating_sub(list_w + 2),
        rest.height,
    );
    Layout {
        header,
        list: Some(list),
        panel,
    }
}

fn panel_name(v: &HuddleView, p: Panel) -> String {
    let h = |i: usize| v.huddles.get(i);
    let shown = |i: usize| match h(i).map(|x| &x.content) {
        Some(Content::Shown(p)) => Some(p),
        _ => None,
    };
    match p {
        Panel::Summary(i) => h(i).map(|x| x.title.clone()).unwrap_or_default(),
        Panel::Score(i, s) => shown(i)
            .and_then(|p| p.scores.get(s))
            .map(|x| x.label.clone())
            .unwrap_or_default(),
        Panel::Tally(i, s) => shown(i)
            .and_then(|p| p.tallies.get(s))
            .map(|x| x.text.clone())
            .unwrap_or_default(),
        Panel::Texts(i, s) => shown(i)
            .and_then(|p| p.texts.get(s))
            .map(|x| x.text.clone())
            .unwrap_or_default(),
        Panel::Ward => match v.ward.as_ref().and_then(|w| w.name.as_deref()) {
            Some(name) => text::ward_panel_named(name),
            None => text::WARD_PANEL.to_string(),
        },
        Panel::Actions => text::HUDDLE_ACTIONS.to_string(),
    }
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let Some(v) = state.huddle.as_ref() else {
        return;
    };
    let nc = state.no_color;
    if !v.loaded {
        frame.render_widget(Paragraph::new(text::LOADING), area);
        return;
    }
    let l = layout(area, v);
    let all = panels(v);
    let at = v.panel.min(all.len().saturating_sub(1));
    let header = format!(
        "{} · {}",
        text::huddle_heading(&v.team, Some(&v.period)),
        text::huddle_panel_of(at + 1, all.len())
    );
    frame.render_widget(
        Paragraph::new(Line::styled(
            fit(&header, l.header.width as usize),
            style(Meaning::Title, nc),
        )),
        l.header,
    );
    if let Some(list) = l.list {
        let first = super::scroll_offset(at, all.len(), list.height as usize);
        let lines: Vec<Line> = all
            .iter()
            .enumerate()
            .skip(first)
            .take(list.height as usize)
            .map(|(i, p)| {
                let indent = if matches!(p, Panel::Summary(_) | Panel::Actions) {
                    ""
                } else {
                    "  "
                };
                let s = fit(
                    &format!("{indent}{}", panel_name(v, *p)),
                    list.width as usize,
                );
                if i == at {
                    Line::styled(
                        format!("{s:<w$}", w = list.width as usize),
                        style(Meaning::Selected, nc),
                    )
                } else {
                    Line::raw(s)
                }
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), list);
    }
    draw_panel(frame, l.panel, v, current(v), nc);
}

fn title(s: &str, nc: bool) -> Line<'static> {
    Line::styled(s.to_string(), style(Meaning::Title, nc))
}

fn tone_meaning(t: Tone) -> Meaning {
    match t {
        Tone::Good => Meaning::Good,
        Tone::Caution => Meaning::Caution,
        Tone::Alert => Meaning::Alert,
    }
}

/// A figure: large when there is room for it, else one bold line.
fn figure(s: &str, area: Rect, nc: bool) -> Vec<Line<'static>> {
    let wide = s.chars().count() * 4;
    if area.height >= 12 && area.width as usize >= wide {
        big_lines(s)
            .into_iter()
            .map(|l| Line::styled(l, style(Meaning::Accent, nc)))
            .collect()
    } else {
        vec![Line::styled(
            s.to_string(),
            style(Meaning::Accent, nc).add_modifier(Modifier::BOLD),
        )]
    }
}

/// Horizontal bars as text lines: label, bar, count.
fn bar_lines(bars: &[Bar], width: u16, nc: bool) -> Vec<Line<'static>> {
    let max = bars.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    let label_w = bars
        .iter()
        .map(|b| b.label.chars().count())
        .max()
        .unwrap_or(0)
        .min((width as usize / 2).max(8));
    let room = (width as usize).saturating_sub(label_w + 6).max(1);
    bars.iter()
        .map(|b| {
            let n = (b.count * room).div_ceil(max).min(room);
            Line::from(vec![
                Span::raw(format!("{:<label_w$} ", fit(&b.label, label_w))),
                Span::styled("█".repeat(n), style(Meaning::Accent, nc)),
                Span::raw(format!(" {}", b.count)),
            ])
        })
        .collect()
}

fn hidden_line(h: &Hidden, nc: bool) -> Line<'static> {
    Line::styled(h.reason(), style(Meaning::Muted, nc))
}

fn draw_panel(frame: &mut Frame, area: Rect, v: &HuddleView, p: Panel, nc: bool) {
    match p {
        Panel::Summary(i) => {
            if let Some(h) = v.huddles.get(i) {
                draw_summary(frame, area, h, &v.actions, v.today, nc);
            }
        }
        Panel::Score(i, s) => {
            let sp = match v.huddles.get(i).map(|x| &x.content) {
                Some(Content::Shown(p)) => p.scores.get(s),
                _ => None,
            };
            if let Some(sp) = sp {
                draw_score(frame, area, sp, nc);
            }
        }
        _ => {
            let lines = panel_lines(v, p, area.width, nc);
            // The actions list scrolls to keep the chosen action in sight,
            // starting on a whole action.
            if p == Panel::Actions && v.adding.is_none() && !v.actions.is_empty() {
                let scroll = selection_scroll(&lines, 2 + v.action_selected, area);
                return super::draw_scrolled_from(
                    frame,
                    area,
                    Paragraph::new(lines).wrap(Wrap { trim: false }),
                    scroll,
                    nc,
                );
            }
            let scroll = if p == Panel::Actions && v.adding.is_some() {
                // The form is at the end: show it.
                u16::MAX
            } else {
                v.scroll
            };
            super::draw_scrolled(
                frame,
                area,
                Paragraph::new(lines).wrap(Wrap { trim: false }),
                scroll,
                nc,
            )
        }
    }
}

/// The lines of a panel that scrolls (tallies, texts, actions).
fn panel_lines(v: &HuddleView, p: Panel, width: u16, nc: bool) -> Vec<Line<'static>> {
    let shown = |i: usize| match v.huddles.get(i).map(|x| &x.content) {
        Some(Content::Shown(p)) => Some(p),
        _ => None,
    };
    let mut lines: Vec<Line> = Vec::new();
    match p {
        Panel::Summary(_) | Panel::Score(..) => {}
        Panel::Tally(i, s) => {
            let Some(t) = shown(i).and_then(|p| p.tallies.get(s)) else {
                return lines;
            };
            lines.push(title(&t.text, nc));
            lines.push(Line::raw(""));
            match &t.bars {
                Ok(b) if b.is_empty() => lines.push(Line::raw(text::HUDDLE_NONE_TICKED)),
                Ok(b) => lines.extend(bar_lines(b, width, nc)),
                Err(h) => lines.push(hidden_line(h, nc)),
            }
        }
        Panel::Texts(i, s) => {
            let Some(t) = shown(i).and_then(|p| p.texts.get(s)) else {
                return lines;
            };
            lines.push(title(&t.text, nc));
            match &t.texts {
                Ok(list) => {
                    lines.push(Line::styled(
                        text::HUDDLE_SHUFFLED,
                        style(Meaning::Muted, nc),
                    ));
                    for s in list {
                        lines.push(Line::raw(""));
                        lines.push(Line::raw(format!("• {s}")));
                    }
                }
                Err(h) => {
                    lines.push(Line::raw(""));
                    lines.push(hidden_line(h, nc));
                }
            }
        }
        Panel::Ward => {
            let Some(w) = &v.ward else {
                return lines;
            };
            lines.push(title(
                &text::ward_heading(w.name.as_deref(), &w.title, &w.period),
                nc,
            ));
            lines.push(Line::styled(
                text::ward_rules(w.thresholds.k()),
                style(Meaning::Muted, nc),
            ));
            lines.push(Line::raw(""));
            let name_w = (width as usize / 4).clamp(8, 24);
            for (si, (_, label)) in w.scores.iter().enumerate() {
                lines.push(title(label, nc));
                // Column headings: what each number is.
                lines.push(Line::styled(
                    format!(
                        "{:<name_w$} {:>11}  {}",
                        text::WARD_COL_TEAM,
                        text::WARD_COL_COUNT,
                        text::WARD_COL_AVERAGE
                    ),
                    style(Meaning::Muted, nc),
                ));
                for r in w.teams.iter().chain(std::iter::once(&w.total)) {
                    let name = r
                        .team
                        .clone()
                        .unwrap_or_else(|| text::WARD_TOTAL_ROW.to_string());
                    let shown = match r.means.get(si) {
                        Some(Ok(m)) => fmt_number(*m),
                        Some(Err(h)) => h.reason(),
                        None => String::new(),
                    };
                    let m = if r.team.is_none() {
                        Meaning::Title
                    } else {
                        Meaning::Normal
                    };
                    lines.push(Line::styled(
                        format!(
                            "{:<name_w$} {:>11}  {shown}",
                            fit(&name, name_w),
                            r.reflections
                        ),
                        style(m, nc),
                    ));
                }
                lines.push(Line::raw(""));
            }
        }
        Panel::Actions => {
            lines.push(title(text::HUDDLE_ACTIONS, nc));
            lines.push(Line::raw(""));
            if v.actions.is_empty() {
                lines.push(Line::raw(text::HUDDLE_NO_ACTIONS_ADD));
            }
            for (i, a) in v.actions.iter().enumerate() {
                let mut s = format!("{}  {}", text::action_status(a, v.today), a.action);
                if !a.owner.is_empty() {
                    s.push_str(&format!(" · {}", a.owner));
                }
                if let Some(d) = a.review_on {
                    s.push_str(&format!(" · {}", text::review_on(d)));
                }
                if !a.pebble.is_empty() {
                    s.push_str(&format!(" · {}", text::pebble_of(&a.pebble)));
                }
                if let Some(scope) = a.scope {
                    s.push_str(&format!(" · {}", text::action_scope(scope)));
                }
                if !a.learned.is_empty() {
                    s.push_str(&format!(" · {}", text::learned_of(&a.learned)));
                }
                let m = if i == v.action_selected {
                    Meaning::Selected
                } else if a.is_overdue(v.today) {
                    Meaning::Alert
                } else {
                    Meaning::Normal
                };
                lines.push(Line::styled(s, style(m, nc)));
            }
            if let Some(form) = &v.adding {
                use crate::app::huddle::FormStep;
                lines.push(Line::raw(""));
                let field = |label: &'static str, value: String, step: FormStep| {
                    let here = form.step == step;
                    let mark = if here { "▶ " } else { "  " };
                    let cursor = if here
                        && matches!(step, FormStep::Action | FormStep::Owner | FormStep::Review)
                    {
                        "▏"
                    } else {
                        ""
                    };
                    Line::from(vec![
                        Span::raw(mark),
                        Span::styled(
                            label,
                            style(if here { Meaning::Key } else { Meaning::Muted }, nc),
                        ),
                        Span::raw(format!("{value}{cursor}")),
                    ])
                };
                lines.push(field(
                    text::HUDDLE_NEW_ACTION,
                    form.action.clone(),
                    FormStep::Action,
                ));
                lines.push(field(
                    text::ACTION_FORM_OWNER,
                    form.owner.clone(),
                    FormStep::Owner,
                ));
                lines.push(field(
                    text::ACTION_FORM_REVIEW,
                    form.review.clone(),
                    FormStep::Review,
                ));
                if !form.pebbles.is_empty() {
                    if form.step == FormStep::Pebble {
                        // The numbers, so a key means what it says.
                        for (i, p) in form.pebbles.iter().enumerate().take(9) {
                            lines.push(Line::raw(format!("      {} {p}", i + 1)));
                        }
                    }
                    let chosen = form
                        .pebble
                        .and_then(|i| form.pebbles.get(i).map(|p| format!("{} {p}", i + 1)))
                        .unwrap_or_else(|| text::NOT_SAID.to_string());
                    lines.push(field(text::ACTION_FORM_PEBBLE, chosen, FormStep::Pebble));
                }
                let scope = form
                    .scope
                    .map(text::action_scope)
                    .unwrap_or(text::NOT_SAID)
                    .to_string();
                lines.push(field(text::ACTION_FORM_SCOPE, scope, FormStep::Scope));
                if let Some(m) = &form.message {
                    lines.push(Line::styled(
                        format!("{}{m}", text::MARK),
                        style(Meaning::Caution, nc),
                    ));
                }
            }
        }
    }
    lines
}

/// A tap on the actions panel: on an action, choose it; on a pebble of
/// the new-action form's list, choose that pebble (as its number key).
fn actions_hit(v: &HuddleView, area: Rect, row: u16) -> Option<Action> {
    let lines = panel_lines(v, Panel::Actions, area.width, true);
    let height = |ls: &[Line<'static>]| {
        Paragraph::new(ls.to_vec())
            .wrap(Wrap { trim: false })
            .line_count(area.width)
            .min(u16::MAX as usize) as u16
    };
    let total = height(&lines);
    let (view, max) = super::scroll_view(total, area.height);
    let scroll = if v.adding.is_some() {
        max
    } else if v.actions.is_empty() {
        0
    } else {
        selection_scroll(&lines, 2 + v.action_selected, area)
    };
    let offset = row.checked_sub(area.y)?;
    if offset >= view {
        return None;
    }
    let target = scroll + offset;
    // The line holding that wrapped row.
    let mut top = 0u16;
    let mut at = None;
    for (i, line) in lines.iter().enumerate() {
        let h = height(std::slice::from_ref(line));
        if target < top + h {
            at = Some(i);
            break;
        }
        top += h;
    }
    let at = at?;
    let first_action = 2;
    match &v.adding {
        None => {
            let i = at.checked_sub(first_action)?;
            (i < v.actions.len()).then_some(Action::PickAction(i))
        }
        Some(form) if form.step == crate::app::huddle::FormStep::Pebble => {
            // Title, blank, the actions (or "none yet"), a blank line and
            // three fields come before the numbered pebbles.
            let first = first_action + v.actions.len().max(1) + 1 + 3;
            let i = at.checked_sub(first)?;
            (i < form.pebbles.len().min(9)).then(|| {
                Action::Edit(ratatui::crossterm::event::KeyEvent::new(
                    ratatui::crossterm::event::KeyCode::Char(
                        char::from_digit(i as u32 + 1, 10).unwrap_or('0'),
                    ),
                    ratatui::crossterm::event::KeyModifiers::NONE,
                ))
            })
        }
        Some(_) => None,
    }
}

/// The scroll that shows line `at` of `lines` (wrapped to `area`) whole,
/// with the line kept for "more below".
fn selection_scroll(lines: &[Line<'static>], at: usize, area: Rect) -> u16 {
    let height = |ls: &[Line<'static>]| {
        Paragraph::new(ls.to_vec())
            .wrap(Wrap { trim: false })
            .line_count(area.width)
            .min(u16::MAX as usize) as u16
    };
    let at = at.min(lines.len().saturating_sub(1));
    let view = area.height.saturating_sub(1);
    if height(&lines[..=at]) <= view {
        return 0;
    }
    // The first line (an action) from which the chosen one still fits:
    // the panel starts on a whole action, never part-way through one.
    let first = (0..=at)
        .find(|&j| height(&lines[j..=at]) <= view)
        .unwrap_or(at);
    height(&lines[..first])
}

/// How far the panel showing can scroll on a screen of the state's size
/// (0: it fits).
pub fn max_scroll(state: &State) -> u16 {
    let Some(v) = state.huddle.as_ref() else {
        return 0;
    };
    let p = current(v);
    if matches!(p, Panel::Summary(_) | Panel::Score(..)) {
        return 0;
    }
    // The body as `frame_layout` makes it, with the key bar at its
    // tallest (its height depends on the keys, which depend on this).
    let (w, h) = state.size;
    let body = Rect::new(1, 1, w.saturating_sub(2), h.saturating_sub(1 + 3 + 1 + 1));
    let area = layout(body, v).panel;
    let total = Paragraph::new(panel_lines(v, p, area.width, true))
        .wrap(Wrap { trim: false })
        .line_count(area.width)
        .min(u16::MAX as usize) as u16;
    super::scroll_view(total, area.height).1
}

/// The summary panel, first: the count and response rate, the first
/// score's average and its change since the last released period, the
/// most named pebbles, the actions due; under k, the earlier periods.
fn draw_summary(
    frame: &mut Frame,
    area: Rect,
    h: &Huddle,
    actions: &[crate::huddle::TeamAction],
    today: chrono::NaiveDate,
    nc: bool,
) {
    let mut lines = vec![title(&h.title, nc), Line::raw("")];
    lines.extend(figure(&h.reflections.to_string(), area, nc));
    lines.push(Line::raw(text::reflections_this_period(h.reflections)));
    if let Some(staff) = h.headcount.filter(|_| h.released_on.is_some()) {
        lines.push(Line::raw(text::response_rate(h.reflections, staff)));
    }
    if h.more_than_staff() {
        // A word and a mark, not colour alone.
        lines.push(Line::styled(
            format!("! {}", text::MORE_THAN_STAFF),
            style(Meaning::Caution, nc),
        ));
    }
    lines.push(Line::raw(""));
    match &h.content {
        Content::NotEnough { have, need } => {
            lines.push(Line::styled(
                text::not_enough(
                    *have,
                    *need,
                    h.released_on.is_some() || h.period.closed_by(today),
                ),
                style(Meaning::Caution, nc),
            ));
            if let Some((label, points)) = &h.earlier {
                lines.push(Line::raw(text::huddle_earlier(
                    label,
                    &text::earlier_words(points),
                )));
            }
        }
        Content::Open { have, release_day } => lines.push(Line::styled(
            text::open_period(*have, *release_day, today),
            style(Meaning::Muted, nc),
        )),
        Content::Shown(p) => {
            if let Some(s) = p.scores.first() {
                if let Ok(f) = &s.figures {
                    let before = h.earlier.as_ref().and_then(|(_, pts)| {
                        pts.iter()
                            .rev()
                            .find_map(|x| x.mean.ok().map(|m| (m, x.period)))
                    });
                    lines.push(Line::raw(text::huddle_change(
                        &s.label,
                        &fmt_number(f.mean),
                        before.map(|(m, p)| (fmt_number(f.mean - m), p.to_string())),
                    )));
                }
            }
            if let Some(top) = p
                .tallies
                .iter()
                .find_map(|t| t.bars.as_ref().ok().filter(|b| !b.is_empty()))
            {
                let named: Vec<(String, usize)> = top
                    .iter()
                    .take(3)
                    .map(|b| (b.label.clone(), b.count))
                    .collect();
                lines.push(Line::raw(text::huddle_top(&named)));
            }
            if let Some(l) = &p.lowest {
                lines.push(Line::styled(
                    text::huddle_lowest(l),
                    style(Meaning::Caution, nc),
                ));
            }
        }
    }
    let due = actions
        .iter()
        .filter(|a| a.status.is_active() && a.review_on.is_some_and(|d| d <= today))
        .count();
    let overdue = actions.iter().filter(|a| a.is_overdue(today)).count();
    let next = actions
        .iter()
        .filter(|a| a.status.is_active())
        .filter_map(|a| a.review_on.filter(|d| *d > today))
        .min();
    lines.push(Line::raw(text::huddle_actions_due(due, overdue, next)));
    if matches!(h.content, Content::Shown(_)) {
        lines.push(Line::styled(
            text::huddle_rules(h.thresholds.k(), h.thresholds.text()),
            style(Meaning::Muted, nc),
        ));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

/// A period's short name under a trend bar: "W47" or "Nov".
fn short_period(p: &crate::period::Period) -> String {
    match p {
        crate::period::Period::Week { week, .. } => format!("W{week:02}"),
        crate::period::Period::Month { .. } => p.first_day().format("%b").to_string(),
    }
}

fn draw_score(frame: &mut Frame, area: Rect, sp: &ScorePanel, nc: bool) {
    let mut head = vec![title(&sp.label, nc), Line::raw("")];
    let f = match &sp.figures {
        Ok(f) => f,
        Err(h) => {
            head.push(hidden_line(h, nc));
            frame.render_widget(Paragraph::new(head).wrap(Wrap { trim: false }), area);
            return;
        }
    };
    let band = match &f.band {
        Some((l, t)) => Span::styled(
            format!("{l} {}", text::tone_word(*t)),
            style(tone_meaning(*t), nc),
        ),
        None => Span::raw(""),
    };
    if area.height >= 26 {
        head.extend(figure(&fmt_number(f.mean), area, nc));
        head.push(Line::from(band));
    } else {
        // Small screens: the figure and its band on one line, so the
        // charts keep their room.
        head.push(Line::from(vec![
            Span::styled(
                fmt_number(f.mean),
                style(Meaning::Accent, nc).add_modifier(Modifier::BOLD),
            ),
            Span::raw("  "),
            band,
        ]));
    }
    head.push(Line::styled(
        text::huddle_average_of(sp.answered, &fmt_number(f.range.0), &fmt_number(f.range.1)),
        style(Meaning::Muted, nc),
    ));
    let head_h = (head.len() as u16 + 1).min(area.height);
    frame.render_widget(
        Paragraph::new(head),
        Rect::new(area.x, area.y, area.width, head_h),
    );
    let rest = Rect::new(
        area.x,
        area.y + head_h,
        area.width,
        area.height.saturating_sub(head_h),
    );
    if rest.height < 3 {
        return;
    }
    let (dist, trend) = if rest.width >= 70 {
        let half = rest.width / 2;
        (
            Rect::new(rest.x, rest.y, half.saturating_sub(1), rest.height),
            Rect::new(
                rest.x + half + 1,
                rest.y,
                rest.width - half - 1,
                rest.height,
            ),
        )
    } else {
        let top = (f.bars.len() as u16 + 1).min(rest.height / 2);
        (
            Rect::new(rest.x, rest.y, rest.width, top),
            Rect::new(rest.x, rest.y + top, rest.width, rest.height - top),
        )
    };
    let mut dl = vec![Line::styled(
        text::HUDDLE_DISTRIBUTION,
        style(Meaning::Muted, nc),
    )];
    dl.extend(bar_lines(&f.bars, dist.width, nc));
    frame.render_widget(Paragraph::new(dl), dist);
    draw_trend(frame, trend, sp, f.range, nc);
}

fn draw_trend(frame: &mut Frame, area: Rect, sp: &ScorePanel, range: (f64, f64), nc: bool) {
    if area.height < 3 {
        return;
    }
    // Gaps grouped by reason: "No reflections: W40 W41 · Hidden: 2 of 5 needed: W46".
    let mut gaps: Vec<(String, Vec<String>)> = Vec::new();
    for p in &sp.trend {
        if let Err(h) = &p.mean {
            let reason = h.reason();
            match gaps.iter_mut().find(|g| g.0 == reason) {
                Some(g) => g.1.push(short_period(&p.period)),
                None => gaps.push((reason, vec![short_period(&p.period)])),
            }
        }
    }
    let gaps: Vec<String> = gaps
        .into_iter()
        .map(|(r, ps)| format!("{r}: {}", ps.join(" ")))
        .collect();
    let legend = if gaps.is_empty() {
        String::new()
    } else {
        text::huddle_gaps(&gaps.join(" · "))
    };
    let legend_h = if legend.is_empty() {
        0
    } else {
        super::wrapped_height(&legend, area.width).min(area.height / 2)
    };
    frame.render_widget(
        Paragraph::new(Line::styled(text::HUDDLE_TREND, style(Meaning::Muted, nc))),
        Rect::new(area.x, area.y, area.width, 1),
    );
    let chart = Rect::new(
        area.x,
        area.y + 1,
        area.width,
        area.height.saturating_sub(1 + legend_h),
    );
    let n = sp.trend.len().max(1) as u16;
    let bar_w = (area.width / n).saturating_sub(1).clamp(3, 9);
    // Bars stand on the score's lowest value, so 1 on a 1-5 scale is short.
    let scale = |m: f64| (((m - range.0).max(0.0) + (range.1 - range.0) * 0.05) * 100.0) as u64;
    let bars: Vec<ratatui::widgets::Bar> = sp
        .trend
        .iter()
        .map(|p| {
            let b = ratatui::widgets::Bar::default().label(Line::raw(short_period(&p.period)));
            match p.mean {
                Ok(m) => b.value(scale(m)).text_value(fmt_number(m)),
                Err(_) => b.value(0).text_value(text::HUDDLE_GAP),
            }
        })
        .collect();
    frame.render_widget(
        BarChart::default()
            .data(BarGroup::default().bars(&bars))
            .bar_width(bar_w)
            .bar_gap(1)
            .max(scale(range.1))
            .bar_style(style(Meaning::Accent, nc))
            .value_style(style(Meaning::Selected, nc)),
        chart,
    );
    if legend_h > 0 {
        frame.render_widget(
            Paragraph::new(Line::styled(legend, style(Meaning::Muted, nc)))
                .wrap(Wrap { trim: true }),
            Rect::new(
                area.x,
                area.y + area.height - legend_h,
                area.width,
                legend_h,
            ),
        );
    }
}

/// What a click in the body does: in the panel list, open that panel; in
/// presentation mode (or on a panel other than the actions), the next one.
pub fn hit(body: Rect, state: &State, column: u16, row: u16) -> Option<Action> {
    let v = state.huddle.as_ref()?;
    if !v.loaded {
        return None;
    }
    let l = layout(body, v);
    let inside = |r: Rect| column >= r.x && column < r.right() && row >= r.y && row < r.bottom();
    if current(v) == Panel::Actions && !v.presenting && inside(l.panel) {
        return actions_hit(v, l.panel, row);
    }
    if v.adding.is_some() {
        return None;
    }
    if let Some(list) = l.list.filter(|r| inside(*r)) {
        let all = panels(v).len();
        let first = super::scroll_offset(v.panel, all, list.height as usize);
        let i = first + (row - list.y) as usize;
        return (i < all).then_some(Action::Pick(i));
    }
    if inside(l.panel) && (v.presenting || current(v) != Panel::Actions) {
        return Some(Action::Right);
    }
    None
}
