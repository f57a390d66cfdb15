//! Past check-ins, newest first, and one check-in opened.

use super::theme::{style, tone, Meaning};
use super::{fit, scroll_offset};
use crate::app::State;
use crate::questionnaire::fmt_number;
use crate::text;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

/// Rows of history one page shows.
pub fn page(area: Rect) -> usize {
    list(area).height as usize
}

fn list(area: Rect) -> Rect {
    Rect::new(
        area.x,
        area.y + 2,
        area.width,
        area.height.saturating_sub(2),
    )
}

pub fn row_at(area: Rect, state: &State, row: u16) -> Option<usize> {
    let l = list(area);
    if row < l.y || row >= l.bottom() {
        return None;
    }
    let i = scroll_offset(
        state.session.history_selected,
        state.session.history.len(),
        l.height as usize,
    ) + (row - l.y) as usize;
    state.session.history.get(i).is_some().then_some(i)
}

/// The end of a History row in `room` columns: the tone word always; the
/// note's mark where there is a note; the band's name only whole; then as
/// much of the note's line `note` (see `note_preview`) as fits (Detail
/// shows all of both).
fn row_end(tone_word: &str, band: &str, note: Option<&str>, room: usize) -> String {
    let mut rest = tone_word.to_string();
    let mark = note.map(|_| format!(" {}", text::NOTE_MARK.trim_end()));
    let used = |s: &str| s.chars().count();
    let mark_len = mark.as_deref().map_or(0, used);
    if !band.is_empty() && used(&rest) + 1 + used(band) + mark_len <= room {
        rest = format!("{rest} {band}");
    }
    if let (Some(mark), Some(note)) = (mark, note) {
        rest.push_str(&mark);
        let left = room.saturating_sub(used(&rest) + 1);
        if left >= 4 && !note.is_empty() {
            rest = format!("{rest} {}", fit(note, left));
        }
    }
    rest
}

/// What the list is narrowed to: a questionnaire, notes holding some
/// words, or both (none: everything).
pub(super) fn shown_label(state: &State) -> Option<String> {
    let title = state
        .session
        .history_filter
        .as_deref()
        .map(|id| title_of(state, id));
    match (title, state.session.history_search.as_deref()) {
        (t, None) => t,
        (None, Some(words)) => Some(text::notes_with(words)),
        (Some(t), Some(words)) => Some(format!("{t} · {}", text::notes_with(words))),
    }
}

pub(super) fn title_of(state: &State, id: &str) -> String {
    state
        .questionnaires
        .iter()
        .find(|q| q.id == id)
        .map(|q| q.title.clone())
        .unwrap_or_else(|| id.to_string())
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let nc = state.no_color;
    let w = area.width as usize;
    let head = format!(
        "  {:<17} {:<30} {}",
        text::COL_WHEN,
        text::COL_QUESTIONNAIRE,
        text::COL_SCORE
    );
    let filter = shown_label(state);
    let position = match &state.session.search_input {
        Some(typed) => text::search_typing(typed),
        None => text::history_position(
            state.session.history_selected + 1,
            state.session.history.len(),
            filter.as_deref(),
        ),
    };
    frame.render_widget(
        Paragraph::new(vec![
            Line::styled(fit(&position, w), style(Meaning::Accent, nc)),
            Line::styled(fit(&head, w), style(Meaning::Muted, nc)),
        ]),
        area,
    );
    let l = list(area);
    if state.session.history.is_empty() {
        // Filtered to one questionnaire: none of that one, not none at all.
        let empty = match (&state.session.history_search, &filter) {
            (Some(words), _) => text::no_notes_with(words),
            (None, Some(title)) => text::no_history_of(title),
            (None, None) => text::NO_HISTORY.to_string(),
        };
        frame.render_widget(Paragraph::new(empty).wrap(Wrap { trim: true }), l);
        return;
    }
    let off = scroll_offset(
        state.session.history_selected,
        state.session.history.len(),
        l.height as usize,
    );
    let mut lines = Vec::new();
    // Only the rows on screen, which the list keeps loaded.
    let end = (off + l.height as usize).min(state.session.history.len());
    for (i, r) in (off..end).filter_map(|i| Some((i, state.session.history.get(i)?))) {
        let sel = i == state.session.history_selected;
        let value = r.value.map(fmt_number).unwrap_or_else(|| "-".into());
        let band = r.band_label.clone().unwrap_or_default();
        let t = r.band_tone.clone();
        let title = if r.is_demo {
            format!(
                "{}{}",
                text::DEMO_MARK,
                title_of(state, &r.questionnaire_id)
            )
        } else {
            title_of(state, &r.questionnaire_id)
        };
        let main = format!(
            "{} {:<17} {:<30} {value:>5} ",
            if sel { "›" } else { " " },
            r.completed_at
                .with_timezone(&chrono::Local)
                .format("%-d %b %Y %H:%M"),
            fit(&title, 30)
        );
        // The tone word always (colour never carries meaning alone); the
        // band's name only when it fits whole (Detail shows it anyway), so
        // a narrow screen never shows half a word.
        let tone_word = text::tone_word_str(t.as_deref());
        let room = w.saturating_sub(main.chars().count());
        let preview = r
            .note
            .as_deref()
            .map(|n| crate::model::note_preview(n, state.session.history_search.as_deref()));
        let rest = row_end(tone_word, &band, preview, room);
        if sel {
            let s = fit(&format!("{main}{rest}"), w);
            lines.push(Line::styled(
                format!("{s:<w$}"),
                style(Meaning::Selected, nc),
            ));
        } else {
            lines.push(Line::from(vec![
                Span::raw(main),
                Span::styled(fit(&rest, room), style(tone(t.as_deref()), nc)),
            ]));
        }
    }
    frame.render_widget(Paragraph::new(lines), l);
}

pub fn draw_detail(frame: &mut Frame, area: Rect, state: &State) {
    if state.session.detail.is_none() {
        frame.render_widget(Paragraph::new(text::NOT_FOUND), area);
        return;
    }
    super::draw_scrolled(
        frame,
        super::readable(area),
        detail_paragraph(state),
        state.session.detail_scroll,
        state.no_color,
    );
}

/// One past check-in as a wrapped paragraph (also measured by `update`).
pub fn detail_paragraph(state: &State) -> Paragraph<'static> {
    Paragraph::new(detail_lines(state, text::SUPPORT_NUDGE)).wrap(Wrap { trim: false })
}

/// One past check-in, line by line.
/// `nudge`: what to say when a score in an alert band is shown (the full
/// screen names its key bar; the plain mode, the line to type).
pub(super) fn detail_lines(state: &State, nudge: &'static str) -> Vec<Line<'static>> {
    let nc = state.no_color;
    let Some(r) = state.session.detail.as_ref() else {
        return vec![Line::raw(text::NOT_FOUND)];
    };
    let q = state
        .questionnaires
        .iter()
        .find(|q| q.id == r.questionnaire_id);
    let mut lines: Vec<Line> = vec![
        Line::styled(
            title_of(state, &r.questionnaire_id),
            style(Meaning::Title, nc),
        ),
        Line::styled(
            text::completed_on(r.completed_at, &r.questionnaire_version, r.is_demo),
            style(Meaning::Muted, nc),
        ),
    ];
    if let Some(source) = &r.imported_from {
        lines.push(Line::styled(
            text::imported_from(source),
            style(Meaning::Muted, nc),
        ));
    }
    if q.is_some_and(|q| q.hash != r.file_hash) {
        lines.push(Line::styled(
            if r.asked.is_empty() {
                text::FILE_CHANGED
            } else {
                text::FILE_CHANGED_AS_ASKED
            },
            style(Meaning::Muted, nc),
        ));
    }
    lines.push(Line::raw(""));
    for s in &r.scores {
        let v = s.value.map(fmt_number).unwrap_or_else(|| "-".into());
        lines.push(Line::from(vec![
            Span::styled(format!("{}: {v} ", s.label), style(Meaning::Title, nc)),
            Span::styled(
                format!(
                    "{} {}",
                    s.band_label.clone().unwrap_or_default(),
                    text::tone_word_str(s.band_tone.as_deref())
                ),
                style(tone(s.band_tone.as_deref()), nc),
            ),
        ]));
    }
    // What its answers flagged (worked out again: flags are not saved).
    for f in q
        .map(|q| crate::app::support::flags_of(q, r))
        .unwrap_or_default()
    {
        lines.push(Line::styled(
            format!("» {} {}", f.message, text::tone_word(f.tone)),
            style(tone(Some(f.tone.as_str())), nc),
        ));
    }
    if crate::app::support::alert_on_screen(state) {
        lines.push(Line::styled(nudge, style(Meaning::Alert, nc)));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        text::ANSWERS_HEADING,
        style(Meaning::Title, nc),
    ));
    for a in &r.answers {
        // The question as it was asked, where the file it was answered on
        // is kept; else as the file now asks it.
        let asked = r
            .asked
            .iter()
            .find(|(id, _)| *id == a.question_id)
            .map(|(_, t)| t.clone());
        let qtext = asked
            .or_else(|| {
                q.and_then(|q| q.question(&a.question_id))
                    .map(|x| x.text.clone())
            })
            .unwrap_or_else(|| a.question_id.clone());
        if a.label.contains('\n') {
            // A note of several lines: its lines, indented under its question.
            lines.push(Line::raw(format!("- {qtext}:")));
            lines.extend(a.label.split('\n').map(|l| Line::raw(format!("  {l}"))));
        } else {
            lines.push(Line::raw(format!("- {qtext}: {}", a.label)));
        }
    }
    lines
}
