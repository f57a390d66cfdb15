//! The question screen (one question at a time) and the review screen.

use super::theme::{style, Meaning};
use super::{fit, scroll_offset, wrapped_height};
use crate::app::checkin::{choices, has_other};
use crate::app::State;
use crate::questionnaire::{AnswerValue, QuestionKind, Scalar};
use crate::text;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

struct Layout {
    header: Rect,
    gauge: Rect,
    question: Rect,
    rows: Rect,
    input: Rect,
    message: Rect,
    /// Instructions are dropped first when space is short.
    show_instructions: bool,
}

/// Lines inside the text box: the whole answer, wrapped, with room for the
/// cursor; at least three for a free-text answer.
fn input_lines(c: &crate::app::Checkin, question: &crate::questionnaire::Question, w: u16) -> u16 {
    let inner = w.saturating_sub(2).max(2) as usize;
    // The rows the box draws (see `textbox`), and one spare while there is
    // text, for the cursor past its end.
    let typed = c.typed_len() > 0;
    let need = super::textbox::rows(c.text.lines(), inner).len() as u16 + u16::from(typed);
    let min = if c.multiline {
        5
    } else if matches!(question.kind, QuestionKind::Text { .. }) {
        3
    } else {
        1
    };
    need.max(min)
}

fn layout(area: Rect, state: &State) -> Option<Layout> {
    let area = super::readable(area);
    let c = state.session.checkin.as_ref()?;
    let q = state.questionnaires.get(c.questionnaire)?;
    let question = c.question(q);
    let w = area.width;
    let mut qtext = question.text.clone();
    if let Some(h) = &question.help {
        qtext.push('\n');
        qtext.push_str(h);
    }
    let n_rows = choices(question).len() as u16 + u16::from(has_other(question));
    let typed =
        c.editing_text(q) || matches!(question.kind, QuestionKind::Text { .. }) || (n_rows == 0);
    let message_h = c
        .message
        .as_deref()
        .map(|m| wrapped_height(&format!("{}{m}", text::MARK), w).min(2))
        .unwrap_or(1);
    // Header and bar, a gap, the question (at least a line), the message.
    let base = 3 + 1 + message_h;
    let input_h = if typed {
        input_lines(c, question, w).min(area.height.saturating_sub(base + 2).max(1)) + 2
    } else {
        0
    };
    let fixed = 3 + input_h + message_h;
    let avail = area.height.saturating_sub(fixed);
    let instr_h = q
        .instructions
        .as_deref()
        .map(|i| wrapped_height(i, w))
        .unwrap_or(0);
    let bare_h = wrapped_height(&qtext, w);
    // The note is no statement of the instrument: its instructions are not
    // shown above it.
    let show_instructions =
        !question.on_review && instr_h > 0 && instr_h + bare_h + n_rows.min(6) < avail;
    let wanted = bare_h + if show_instructions { instr_h } else { 0 };
    let q_h = wanted.min(avail.saturating_sub(n_rows.min(3)).max(1));
    let rows_h = n_rows.min(avail.saturating_sub(q_h + 1));
    let y = area.y;
    let header = Rect::new(area.x, y, w, 1);
    let gauge = Rect::new(area.x, y + 1, w, 1);
    let question_r = Rect::new(area.x, y + 3, w, q_h);
    let rows = Rect::new(area.x, question_r.bottom() + 1, w, rows_h);
    let input = Rect::new(
        area.x,
        rows.bottom(),
        w,
        input_h.min(area.bottom().saturating_sub(rows.bottom())),
    );
    let message = Rect::new(
        area.x,
        input.bottom(),
        w,
        message_h.min(area.bottom().saturating_sub(input.bottom())),
    );
    Some(Layout {
        header,
        gauge,
        question: question_r,
        rows,
        input,
        message,
        show_instructions,
    })
}

fn row_offset(state: &State, rows: Rect) -> usize {
    let Some(c) = state.session.checkin.as_ref() else {
        return 0;
    };
    let q = &state.questionnaires[c.questionnaire];
    let n = choices(c.question(q)).len() + usize::from(has_other(c.question(q)));
    scroll_offset(c.cursor.unwrap_or(0), n, rows.height as usize)
}

/// Whether the question's own text is taller than its room on a screen of
/// the state's size (then PgUp/PgDn scroll it, and the key bar says so).
/// The body is taken with the key bar at its tallest, as the huddle's
/// panels are (the key bar's height depends on its keys, which depend on
/// this).
pub fn question_overflows(state: &State) -> bool {
    let (w, h) = state.size;
    let body = Rect::new(1, 1, w.saturating_sub(2), h.saturating_sub(1 + 3 + 1 + 1));
    let (Some(c), Some(l)) = (state.session.checkin.as_ref(), layout(body, state)) else {
        return false;
    };
    let q = &state.questionnaires[c.questionnaire];
    let question = c.question(q);
    let mut text = String::new();
    if let Some(i) = q.instructions.as_ref().filter(|_| l.show_instructions) {
        text.push_str(i);
        text.push('\n');
    }
    text.push_str(&question.text);
    if let Some(hl) = &question.help {
        text.push('\n');
        text.push_str(hl);
    }
    super::wrapped_height(&text, l.question.width) > l.question.height
}

pub fn row_at(area: Rect, state: &State, row: u16) -> Option<usize> {
    let l = layout(area, state)?;
    if row < l.rows.y || row >= l.rows.bottom() {
        return None;
    }
    Some(row_offset(state, l.rows) + (row - l.rows.y) as usize)
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let nc = state.no_color;
    let (Some(c), Some(l)) = (state.session.checkin.as_ref(), layout(area, state)) else {
        return;
    };
    let q = &state.questionnaires[c.questionnaire];
    let question = c.question(q);
    let (pos, total) = c.progress(q);
    let req = if question.required {
        ""
    } else {
        text::OPTIONAL
    };
    // The note the review offers is no numbered question: every question
    // is done (a full bar).
    let place = if question.on_review {
        text::PRIVATE_NOTE.to_string()
    } else {
        format!("{}{req}", text::question_of(pos, total))
    };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(
                fit(&q.title, (area.width as usize).saturating_sub(22)),
                style(Meaning::Title, nc),
            ),
            Span::raw(format!("  {place}")),
        ])),
        l.header,
    );
    // The bar shows the questions done before this one, so it is full only
    // after the last; the words are in the header line above.
    let done = if question.on_review {
        1.0
    } else if total == 0 {
        0.0
    } else {
        pos.saturating_sub(1) as f64 / total as f64
    };
    let bw = l.gauge.width as usize;
    let filled = ((bw as f64) * done).round() as usize;
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("█".repeat(filled), style(Meaning::Accent, nc)),
            Span::styled(
                "░".repeat(bw.saturating_sub(filled)),
                style(Meaning::Muted, nc),
            ),
        ])),
        l.gauge,
    );
    let mut qlines: Vec<Line> = Vec::new();
    if let Some(i) = q.instructions.as_ref().filter(|_| l.show_instructions) {
        qlines.push(Line::styled(i.clone(), style(Meaning::Muted, nc)));
    }
    qlines.push(Line::styled(
        question.text.clone(),
        style(Meaning::Title, nc),
    ));
    if let Some(h) = &question.help {
        qlines.push(Line::styled(h.clone(), style(Meaning::Muted, nc)));
    }
    // A question taller than its room scrolls (PgUp/PgDn), saying so.
    let scroll = if c.question_scroll.0 == c.index {
        c.question_scroll.1
    } else {
        0
    };
    super::draw_scrolled(
        frame,
        l.question,
        Paragraph::new(qlines).wrap(Wrap { trim: true }),
        scroll,
        nc,
    );

    // Options.
    let rows = choices(question);
    let answer = c.answers.get(&question.id);
    let is_multi = matches!(question.kind, QuestionKind::Multi { .. });
    let chosen = |v: &Scalar| match answer {
        Some(AnswerValue::Choice(a)) => a == v,
        Some(AnswerValue::Number(n)) => *v == Scalar::Number(*n),
        Some(AnswerValue::Multi { values, .. }) => values.contains(v),
        _ => false,
    };
    let mut lines: Vec<Line> = Vec::new();
    let w = l.rows.width as usize;
    for (i, ch) in rows.iter().enumerate() {
        let mark = match (is_multi, chosen(&ch.value)) {
            (true, true) => "[x]",
            (true, false) => "[ ]",
            (false, true) => "(•)",
            (false, false) => "( )",
        };
        let key = crate::app::checkin::key_label(question, i);
        let end_label = end_label(question, i, rows.len())
            .map(|l| format!("  ({l})"))
            .unwrap_or_default();
        let cursor = if c.cursor == Some(i) { "›" } else { " " };
        let s = fit(&format!("{cursor} {key} {mark} {}{end_label}", ch.label), w);
        let st = if c.cursor == Some(i) {
            style(Meaning::Selected, nc)
        } else {
            style(Meaning::Normal, nc)
        };
        lines.push(Line::styled(format!("{s:<w$}"), st));
    }
    if has_other(question) {
        let i = rows.len();
        let typed = c.text_value();
        let other = match answer {
            _ if c.editing_text(q) && !typed.is_empty() => text::other_ticked(&typed),
            Some(AnswerValue::Multi { other: Some(o), .. }) => text::other_ticked(o),
            _ if c.other_is_ticked(q) => text::other_ticked(""),
            _ => text::OTHER_EMPTY.to_string(),
        };
        let cursor = if c.cursor == Some(i) { "›" } else { " " };
        let st = if c.cursor == Some(i) {
            style(Meaning::Selected, nc)
        } else {
            style(Meaning::Normal, nc)
        };
        lines.push(Line::styled(fit(&format!("{cursor}   {other}"), w), st));
    }
    let off = row_offset(state, l.rows);
    frame.render_widget(Paragraph::new(lines).scroll((off as u16, 0)), l.rows);

    // Typed input.
    if l.input.height > 0 {
        let (title, limit) = match &question.kind {
            QuestionKind::Text { max_length, .. } => {
                (text::YOUR_ANSWER.to_string(), Some(*max_length))
            }
            QuestionKind::Multi {
                other_max_length, ..
            } => (text::OTHER_ANSWER.to_string(), Some(*other_max_length)),
            QuestionKind::Number { min, max, .. } => (text::type_number(*min, *max), None),
            _ => (String::new(), None),
        };
        let used = c.typed_len();
        let counter = limit
            .map(|m| text::characters_used(used, m))
            .unwrap_or_default();
        let active = c.editing_text(q);
        let block = Block::default()
            .borders(Borders::ALL)
            .title(title)
            .title_bottom(Line::from(counter).right_aligned())
            .border_style(if active {
                style(Meaning::Accent, nc)
            } else {
                style(Meaning::Muted, nc)
            });
        let inner = block.inner(l.input);
        frame.render_widget(block, l.input);
        // The text, wrapped at spaces by our own rows (the editor's
        // wrapping began each wrapped row with a space).
        super::textbox::draw(
            frame.buffer_mut(),
            inner,
            c.text.lines(),
            {
                let at = c.text.cursor();
                (at.0, at.1)
            },
            active,
        );
    }
    if let Some(m) = &c.message {
        frame.render_widget(
            Paragraph::new(Line::styled(
                format!("{}{m}", text::MARK),
                style(Meaning::Caution, nc),
            ))
            .wrap(Wrap { trim: true }),
            l.message,
        );
    }
}

/// The words at either end of a listed number's row `i` of `n` ("0 (none)").
pub(super) fn end_label(
    question: &crate::questionnaire::Question,
    i: usize,
    n: usize,
) -> Option<&str> {
    match &question.kind {
        QuestionKind::Number {
            min_label: Some(l), ..
        } if i == 0 => Some(l),
        QuestionKind::Number {
            max_label: Some(l), ..
        } if i + 1 == n => Some(l),
        _ => None,
    }
}

/// The review list: as tall as its rows (the save line follows it, with no
/// gap on a tall screen), at most what the screen holds.
fn review_list(area: Rect, rows: usize) -> Rect {
    Rect::new(
        area.x,
        area.y + 2,
        area.width,
        area.height.saturating_sub(3).min(rows as u16),
    )
}

/// The answer the review shows for question `i`.
pub(super) fn review_answer(
    c: &crate::app::checkin::Checkin,
    q: &crate::questionnaire::Questionnaire,
    i: usize,
) -> String {
    let question = &q.questions[i];
    c.answers
        .get(&question.id)
        .map(|a| a.label(question))
        .unwrap_or_else(|| {
            if question.on_review {
                text::NO_NOTE_YET.into()
            } else if question.required {
                text::NOT_ANSWERED.into()
            } else {
                text::SKIPPED.into()
            }
        })
}

/// `s` in lines of at most `w` characters, broken at spaces (a word longer
/// than a line is cut into pieces): nothing is lost to the screen's edge.
fn wrap(s: &str, w: usize) -> Vec<String> {
    let w = w.max(1);
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let have = line.chars().count();
            let room = if have == 0 {
                w
            } else {
                w.saturating_sub(have + 1)
            };
            if word.len() <= room {
                if have > 0 {
                    line.push(' ');
                }
                line.extend(word.iter());
                break;
            }
            if have > 0 {
                out.push(std::mem::take(&mut line));
                continue;
            }
            out.push(word[..w].iter().collect());
            word = word[w..].to_vec();
        }
    }
    if !line.is_empty() || out.is_empty() {
        out.push(line);
    }
    out
}

/// The review's rows at width `w`: each visible question with its answer,
/// on one line each when every question and answer fit side by side, else
/// the question wrapped and its answer below it, indented; never cut.
/// Each row's lines, without the cursor (`draw_review` adds it).
fn review_rows(state: &State, w: usize) -> Vec<Vec<String>> {
    let Some(c) = state.session.checkin.as_ref() else {
        return Vec::new();
    };
    let q = &state.questionnaires[c.questionnaire];
    let v = c.visible(q);
    let longest_q = v
        .iter()
        .map(|&i| q.questions[i].text.chars().count())
        .max()
        .unwrap_or(0);
    let longest_a = v
        .iter()
        .map(|&i| review_answer(c, q, i).chars().count())
        .max()
        .unwrap_or(0);
    // A note of several lines is shown as lines, under its question.
    let lines_kept = v.iter().any(|&i| review_answer(c, q, i).contains('\n'));
    let side_by_side = !lines_kept && longest_q + longest_a <= w.saturating_sub(6 + 2);
    v.iter()
        .enumerate()
        .map(|(n, &i)| {
            let question = &q.questions[i].text;
            let answer = review_answer(c, q, i);
            if side_by_side {
                return vec![format!("{:>2}. {question:<longest_q$}  {answer}", n + 1)];
            }
            let inner = w.saturating_sub(6).max(8);
            let mut lines: Vec<String> = wrap(question, inner)
                .into_iter()
                .enumerate()
                .map(|(k, l)| {
                    if k == 0 {
                        format!("{:>2}. {l}", n + 1)
                    } else {
                        format!("    {l}")
                    }
                })
                .collect();
            lines.extend(
                answer
                    .split('\n')
                    .flat_map(|part| wrap(part, inner))
                    .map(|l| format!("    {l}")),
            );
            lines
        })
        .collect()
}

/// The first row shown so that the chosen row `sel` is in view: rows of
/// `heights` lines in `room` lines.
fn review_first(heights: &[usize], sel: usize, room: usize) -> usize {
    let mut first = sel.min(heights.len().saturating_sub(1));
    let mut used = heights.get(first).copied().unwrap_or(0);
    while first > 0 && used + heights[first - 1] <= room {
        first -= 1;
        used += heights[first];
    }
    first
}

pub fn review_row_at(area: Rect, state: &State, row: u16) -> Option<usize> {
    let c = state.session.checkin.as_ref()?;
    let rows = review_rows(state, area.width as usize);
    let heights: Vec<usize> = rows.iter().map(Vec::len).collect();
    let list = review_list(area, heights.iter().sum());
    if row < list.y || row >= list.bottom() {
        return None;
    }
    let first = review_first(&heights, c.review_selected, list.height as usize);
    let mut y = list.y as usize;
    for (i, h) in heights.iter().enumerate().skip(first) {
        if (row as usize) < y + h {
            return Some(i);
        }
        y += h;
    }
    None
}

pub fn draw_review(frame: &mut Frame, area: Rect, state: &State) {
    let nc = state.no_color;
    let Some(c) = state.session.checkin.as_ref() else {
        return;
    };
    let q = &state.questionnaires[c.questionnaire];
    // Who the answers are for, where a team is asked: a team reflection,
    // or an anonymous kiosk check-in.
    let asked_team = q.kind == crate::questionnaire::Kind::Team
        || (state.kiosk.is_some() && state.session.respondent.is_none() && !state.teams.is_empty());
    let title = if asked_team {
        format!(
            "{} · {}",
            q.title,
            text::for_team(state.session.team.as_deref())
        )
    } else {
        q.title.clone()
    };
    frame.render_widget(
        Paragraph::new(vec![
            Line::styled(fit(&title, area.width as usize), style(Meaning::Title, nc)),
            Line::styled(text::REVIEW_INTRO, style(Meaning::Muted, nc)),
        ]),
        Rect::new(area.x, area.y, area.width, 2),
    );
    let rows = review_rows(state, area.width as usize);
    let heights: Vec<usize> = rows.iter().map(Vec::len).collect();
    let list = review_list(area, heights.iter().sum());
    let w = list.width as usize;
    let first = review_first(&heights, c.review_selected, list.height as usize);
    let mut lines = Vec::new();
    for (n, row) in rows.iter().enumerate().skip(first) {
        if lines.len() + row.len() > list.height as usize && !lines.is_empty() {
            break;
        }
        let chosen = n == c.review_selected;
        let st = if chosen {
            style(Meaning::Selected, nc)
        } else {
            style(Meaning::Normal, nc)
        };
        for (k, l) in row.iter().enumerate() {
            let cursor = if chosen && k == 0 { "›" } else { " " };
            let s = fit(&format!("{cursor} {l}"), w);
            lines.push(Line::styled(format!("{s:<w$}"), st));
        }
    }
    frame.render_widget(Paragraph::new(lines), list);
    frame.render_widget(
        Paragraph::new(Line::styled(text::REVIEW_SAVE, style(Meaning::Muted, nc))),
        Rect::new(
            area.x,
            (list.bottom() + 1).min(area.bottom().saturating_sub(1)),
            area.width,
            1,
        ),
    );
}
