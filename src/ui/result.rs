//! The result of a check-in: each score, its band in plain words, the
//! signposting for alert bands, item flags, and the change since last time.

use super::theme::{style, tone, Meaning};
use crate::app::State;
use crate::questionnaire::{fmt_number, Tone};
use crate::text;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

pub fn lines(state: &State) -> Vec<Line<'static>> {
    let nc = state.no_color;
    let Some(r) = state.session.result.as_ref() else {
        return vec![];
    };
    let q = &state.questionnaires[r.questionnaire];
    let mut out: Vec<Line> = Vec::new();
    out.push(Line::styled(q.title.clone(), style(Meaning::Title, nc)));
    // An anonymous kiosk check-in belongs to nobody: no history, no change.
    let anonymous = state.kiosk.is_some() && state.session.respondent.is_none();
    out.push(Line::styled(
        match (r.saved_id.is_some(), anonymous, &r.team) {
            (true, _, Some((team, period))) => text::saved_for_team(team, period).into(),
            (true, true, None) => text::kiosk::SAVED_ANONYMOUSLY.into(),
            (true, false, None) => std::borrow::Cow::Borrowed(text::SAVED),
            (false, _, _) => text::SAVING.into(),
        },
        style(Meaning::Muted, nc),
    ));
    if r.saved_id.is_some() && r.previous.is_none() && !anonymous && r.team.is_none() {
        out.push(Line::styled(text::FIRST_TIME, style(Meaning::Muted, nc)));
    }
    let support = r.outcome.signposting(q);
    let mut focus_shown = false;
    let mut support_shown = false;
    for s in &r.outcome.scores {
        out.push(Line::raw(""));
        let Some(v) = s.value else {
            out.push(Line::from(vec![
                Span::styled(format!("{}: ", s.label), style(Meaning::Title, nc)),
                Span::raw(s.note.clone().unwrap_or_default()),
            ]));
            continue;
        };
        out.push(Line::from(vec![
            Span::styled(
                format!("{}: {}", s.label, fmt_number(v)),
                style(Meaning::Title, nc),
            ),
            Span::styled(
                format!("  ({} to {})", fmt_number(s.range.0), fmt_number(s.range.1)),
                style(Meaning::Muted, nc),
            ),
        ]));
        if let Some(b) = &s.band {
            let t = Some(b.tone.as_str());
            out.push(Line::styled(
                format!("{} {}", b.label, text::tone_word(b.tone)),
                style(tone(t), nc),
            ));
            out.push(Line::raw(b.message.clone()));
            // Where a small change may help most comes with the first
            // score, before the rest (on a small screen, without scrolling).
            if !focus_shown {
                focus_shown = true;
                push_focus(&mut out, r, nc);
            }
            // Signposting follows the first alert band, so it is on screen
            // with the score that called for it.
            if b.tone == Tone::Alert && !support_shown {
                support_shown = true;
                out.push(Line::styled(
                    text::SUPPORT_HEADING,
                    style(Meaning::Alert, nc),
                ));
                push_support(&mut out, &support, state);
            }
        }
        let prev = r.previous.as_ref().and_then(|p| {
            p.scores
                .iter()
                .find(|x| x.score_id == s.id)
                .and_then(|x| x.value)
                .map(|x| (p.completed_at, x))
        });
        if let Some((when, before)) = prev {
            out.push(Line::styled(
                text::change_line(
                    crate::trends::change(before, v, s.meaningful_change),
                    when,
                    s.meaningful_change,
                ),
                style(Meaning::Accent, nc),
            ));
        }
    }
    if !focus_shown {
        push_focus(&mut out, r, nc);
    }
    for f in &r.outcome.flags {
        out.push(Line::raw(""));
        // A questionnaire's flag message may name the answers that raised
        // it ("You answered 'At no time' here"): on a shared kiosk screen
        // one sentence for every flag says what it means instead.
        let message = if state.kiosk.is_some() {
            text::kiosk::FLAG_ON_SHARED_SCREEN
        } else {
            f.message.as_str()
        };
        out.push(Line::styled(
            format!("{}{} {}", text::MARK, message, text::tone_word(f.tone)),
            style(tone(Some(f.tone.as_str())), nc),
        ));
        // On a shared kiosk screen no answer is listed: anyone passing can
        // read it. The person's own screen lists what raised the flag.
        if state.kiosk.is_none() {
            for a in &f.answers {
                out.push(Line::raw(format!("  - {}: {}", a.text, a.answer)));
            }
        }
    }
    if !support_shown && !support.is_empty() {
        // Support called for by an item flag (e.g. a safety question), even
        // when every score is in a reassuring band: after the flag, so its
        // reason is read first.
        out.push(Line::raw(""));
        out.push(Line::styled(
            text::SUPPORT_HEADING,
            style(Meaning::Alert, nc),
        ));
        push_support(&mut out, &support, state);
    }
    out
}

/// A file's `[focus]`: the lowest of the scores it compares, and what
/// would help with it.
fn push_focus(out: &mut Vec<Line<'static>>, r: &crate::app::ResultView, nc: bool) {
    if let Some(f) = &r.outcome.focus {
        out.push(Line::raw(""));
        out.push(Line::styled(f.heading.clone(), style(Meaning::Title, nc)));
        out.push(Line::raw(text::focus_lowest(&f.label)));
        out.push(Line::raw(f.message.clone()));
    }
}

/// The support texts, or a generic line when the file has none, then the
/// trust's own support lines.
fn push_support(out: &mut Vec<Line<'static>>, support: &[&str], state: &State) {
    let generic = [text::GENERIC_SUPPORT];
    let texts: &[&str] = if support.is_empty() {
        &generic
    } else {
        support
    };
    for l in text::support_lines(texts, &state.local_support) {
        out.push(Line::raw(l));
    }
}

/// The whole result as one wrapped paragraph (also measured by `update`,
/// so scrolling stops at its end).
pub fn paragraph(state: &State) -> Paragraph<'static> {
    Paragraph::new(lines(state)).wrap(Wrap { trim: false })
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let scroll = state.session.result.as_ref().map(|r| r.scroll).unwrap_or(0);
    super::draw_scrolled(
        frame,
        super::readable(area),
        paragraph(state),
        scroll,
        state.no_color,
    );
}
