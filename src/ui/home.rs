//! Home: the questionnaires, when each was last done, the latest score with
//! its band, and a sparkline of recent scores.

use super::theme::{style, tone, Meaning};
use super::{fit, scroll_offset, sparkline, wrapped_height};
use crate::app::State;
use crate::questionnaire::fmt_number;
use crate::text;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

const ITEM_ROWS: u16 = 3;

struct Layout {
    intro: Rect,
    list: Rect,
    about: Rect,
}

fn layout(area: Rect, state: &State) -> Layout {
    let about_h = state
        .questionnaires
        .get(state.session.selected)
        .map(|q| wrapped_height(&about_text(q, state), area.width).min(6))
        .unwrap_or(0);
    let intro_h = if has_demo(state) {
        wrapped_height(intro_text(state), area.width)
            + wrapped_height(text::HOME_DEMO_NOTE, area.width)
    } else if state.kiosk.is_some() {
        wrapped_height(intro_text(state), area.width) + 1
    } else {
        2
    };
    // As tall as its items (no empty gap before the description at large sizes).
    let items_h = (state.questionnaires.len() as u16).max(1) * ITEM_ROWS;
    let list_h = area
        .height
        .saturating_sub(intro_h + about_h + 1)
        .min(items_h);
    Layout {
        intro: Rect::new(area.x, area.y, area.width, intro_h),
        list: Rect::new(area.x, area.y + intro_h, area.width, list_h),
        about: Rect::new(area.x, area.y + intro_h + list_h + 1, area.width, about_h),
    }
}

/// What the home screen says first: on a kiosk, whose history this is and
/// how to end it.
pub(super) fn intro_text(state: &State) -> &'static str {
    if state.kiosk.is_some() {
        text::kiosk::HOLDER_HOME
    } else {
        text::HOME_INTRO
    }
}

/// Any demo data among what Home shows?
pub(super) fn has_demo(state: &State) -> bool {
    state.session.home.iter().any(|s| s.demo)
}

/// The gentle reminder of `q` where its time has come.
pub(super) fn reminder(state: &State, q: &crate::questionnaire::Questionnaire) -> Option<String> {
    crate::reminders::every_of(q, &state.reminders).and_then(|every| {
        let last = state
            .summary(&q.id)
            .and_then(|s| s.last_done.filter(|_| !s.demo))
            .map(|t| t.with_timezone(&chrono::Local).date_naive());
        let today = state.now.with_timezone(&chrono::Local).date_naive();
        let st = crate::reminders::standing(every, last, today);
        // Never done says so already on the row above ("Not done yet").
        matches!(st, crate::reminders::Standing::Due { .. }).then(|| text::home_reminder(every, st))
    })
}

pub(super) fn about_text(q: &crate::questionnaire::Questionnaire, state: &State) -> String {
    if crate::app::support::alert_on_screen(state) {
        format!(
            "{}\n{}\n{}",
            text::SUPPORT_NUDGE,
            q.description,
            q.licence.text
        )
    } else {
        format!("{}\n{}", q.description, q.licence.text)
    }
}

fn offset(list: Rect, state: &State) -> usize {
    scroll_offset(
        state.session.selected,
        state.questionnaires.len(),
        (list.height / ITEM_ROWS) as usize,
    )
}

pub fn row_at(area: Rect, state: &State, row: u16) -> Option<usize> {
    let l = layout(area, state);
    if row < l.list.y || row >= l.list.bottom() {
        return None;
    }
    let i = offset(l.list, state) + ((row - l.list.y) / ITEM_ROWS) as usize;
    (i < state.questionnaires.len()).then_some(i)
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let nc = state.no_color;
    let l = layout(area, state);
    let mut intro = vec![Line::styled(intro_text(state), style(Meaning::Muted, nc))];
    if has_demo(state) {
        intro.push(Line::styled(
            text::HOME_DEMO_NOTE,
            style(Meaning::Caution, nc),
        ));
    }
    frame.render_widget(Paragraph::new(intro).wrap(Wrap { trim: true }), l.intro);
    if state.questionnaires.is_empty() {
        frame.render_widget(
            Paragraph::new(text::NO_QUESTIONNAIRES).wrap(Wrap { trim: true }),
            l.list,
        );
        return;
    }
    let w = l.list.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    let first = offset(l.list, state);
    let shown = (l.list.height / ITEM_ROWS) as usize;
    for (i, q) in state
        .questionnaires
        .iter()
        .enumerate()
        .skip(first)
        .take(shown)
    {
        let selected = i == state.session.selected;
        let marker = if selected { "›" } else { " " };
        let head = format!(
            "{marker} {} {} {}",
            i + 1,
            q.title,
            text::minutes(q.minutes)
        );
        let head_style = if selected {
            style(Meaning::Selected, nc)
        } else {
            style(Meaning::Normal, nc)
        };
        lines.push(Line::from(Span::styled(
            fit(&format!("{head:<w$}"), w),
            head_style,
        )));
        let mut detail = vec![Span::raw("    ")];
        match state.summary(&q.id) {
            Some(s) if s.last_done.is_some() => {
                if s.demo {
                    detail.push(Span::styled(text::DEMO_TAG, style(Meaning::Caution, nc)));
                }
                let last = s
                    .last_done
                    .map(|d| text::date_ago(d, state.now))
                    .unwrap_or_default();
                detail.push(Span::styled(
                    text::last_done(&last),
                    style(Meaning::Muted, nc),
                ));
                if let Some(p) = s.latest {
                    detail.push(Span::raw(format!("  ·  {}", fmt_number(p.value))));
                }
                if s.recent.len() > 1 {
                    let (lo, hi) = q.scores.first().map(|sc| sc.range).unwrap_or((0.0, 100.0));
                    detail.push(Span::raw(" "));
                    detail.push(Span::styled(
                        sparkline(&s.recent, lo, hi),
                        style(Meaning::Accent, nc),
                    ));
                }
                if let Some((label, t)) = &s.latest_band {
                    // The tone word always; the band's name only whole
                    // (History and Detail show it), never half a word.
                    let used: usize = detail.iter().map(|sp| sp.content.chars().count()).sum();
                    let room = w.saturating_sub(used + 1);
                    let tone_word = text::tone_word_str(Some(t));
                    let whole = format!("{tone_word} {label}");
                    let band = if whole.chars().count() <= room {
                        whole
                    } else {
                        fit(tone_word, room)
                    };
                    detail.push(Span::raw(" "));
                    detail.push(Span::styled(band, style(tone(Some(t)), nc)));
                }
            }
            _ if q.kind == crate::questionnaire::Kind::Team => detail.push(Span::styled(
                text::TEAM_REFLECTION_NOTE,
                style(Meaning::Muted, nc),
            )),
            _ => detail.push(Span::styled(text::NOT_DONE_YET, style(Meaning::Muted, nc))),
        }
        lines.push(Line::from(detail));
        // A gentle reminder where its time has come, on the row that is
        // blank otherwise: how long it has been, and that any time suits.
        match reminder(state, q) {
            Some(r) => lines.push(Line::styled(fit(&r, w), style(Meaning::Muted, nc))),
            None => lines.push(Line::raw("")),
        }
    }
    frame.render_widget(Paragraph::new(lines), l.list);
    // Questionnaires below the list: said on its last row (the last one
    // shown keeps its title and its last check-in).
    let below = state.questionnaires.len().saturating_sub(first + shown);
    if below > 0 && l.list.height > 0 {
        frame.render_widget(
            Paragraph::new(Line::styled(
                fit(&text::home_more_below(below), w),
                style(Meaning::Accent, nc),
            )),
            Rect::new(l.list.x, l.list.bottom() - 1, l.list.width, 1),
        );
    }
    if let Some(q) = state.questionnaires.get(state.session.selected) {
        frame.render_widget(
            Paragraph::new(about_text(q, state))
                .style(style(Meaning::Muted, nc))
                .wrap(Wrap { trim: true }),
            l.about,
        );
    }
}
