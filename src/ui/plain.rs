//! The plain mode's drawing: the screen as lines of plain text, read from
//! `&State` only (like every screen), for [`crate::app::plain`] to print.
//! No cursor movement, box drawing, colour or mouse: what a screen reader
//! reads out, and what a dumb terminal or a pipe can show.

use crate::app::checkin::{choices, has_other};
use crate::app::plain::option_key;
use crate::app::{Screen, State};
use crate::questionnaire::{fmt_number, AnswerValue, Kind, QuestionKind, Scalar};
use crate::text;
use crate::text::plain as words;

/// One screen in plain text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PlainView {
    /// The screen itself (printed when it changes).
    pub body: Vec<String>,
    /// Messages about the last line typed (printed every time).
    pub notes: Vec<String>,
    /// What can be typed here.
    pub keys: String,
}

fn strings(lines: Vec<ratatui::text::Line<'static>>) -> Vec<String> {
    lines.iter().map(|l| l.to_string()).collect()
}

pub fn view(state: &State) -> PlainView {
    let mut v = PlainView::default();
    if let Some(s) = &state.status {
        v.notes.push(s.clone());
    }
    if state.support {
        v.body.push(words::heading(text::SUPPORT_TITLE.trim()));
        v.body.extend(crate::app::support::overlay_lines(state));
        return v;
    }
    if state.help {
        v.body.push(words::heading(text::HELP_TITLE.trim()));
        v.body.extend(words::HELP.lines().map(str::to_string));
        return v;
    }
    if let Some(c) = &state.confirm {
        v.body
            .push(words::heading(super::help::confirm_title(c).trim()));
        v.body.extend(super::help::confirm_text(c));
        v.keys = words::KEYS_CONFIRM.to_string();
        return v;
    }
    match state.screen {
        Screen::Home => home(state, &mut v),
        Screen::Team => team(state, &mut v),
        Screen::Question => question(state, &mut v),
        Screen::Review => review(state, &mut v),
        Screen::Result => {
            v.body.push(words::heading(text::TITLE_RESULT));
            v.body.extend(strings(super::result::lines(state)));
            let team = state
                .session
                .result
                .as_ref()
                .is_some_and(|r| r.team.is_some());
            v.keys = if team {
                words::KEYS_RESULT_TEAM
            } else {
                words::KEYS_RESULT
            }
            .to_string();
        }
        Screen::History => history(state, &mut v),
        Screen::Detail => {
            v.body.push(words::heading(text::TITLE_DETAIL));
            v.body.extend(strings(super::history::detail_lines(
                state,
                words::SUPPORT_NUDGE,
            )));
            v.keys = words::KEYS_DETAIL.to_string();
        }
        Screen::Trends => trends(state, &mut v),
        // The kiosk's and the huddle's screens are never shown plain.
        _ => {}
    }
    v
}

fn home(state: &State, v: &mut PlainView) {
    v.body.push(words::heading(text::TITLE_HOME));
    v.body.push(super::home::intro_text(state).to_string());
    if super::home::has_demo(state) {
        v.body.push(text::HOME_DEMO_NOTE.to_string());
    }
    if state.questionnaires.is_empty() {
        v.body.push(text::NO_QUESTIONNAIRES.to_string());
    }
    for (i, q) in state.questionnaires.iter().enumerate() {
        v.body.push(format!(
            "{}. {} {}",
            i + 1,
            q.title,
            text::minutes(q.minutes)
        ));
        let mut facts: Vec<String> = Vec::new();
        match state.summary(&q.id) {
            Some(s) if s.last_done.is_some() => {
                if s.demo {
                    facts.push(text::DEMO_TAG.trim().to_string());
                }
                if let Some(d) = s.last_done {
                    facts.push(text::last_done(&text::date_ago(d, state.now)));
                }
                if let Some(p) = s.latest {
                    facts.push(fmt_number(p.value));
                }
                if let Some((label, t)) = &s.latest_band {
                    facts.push(format!("{} {label}", text::tone_word_str(Some(t))));
                }
            }
            _ if q.kind == Kind::Team => facts.push(text::TEAM_REFLECTION_NOTE.to_string()),
            _ => facts.push(text::NOT_DONE_YET.to_string()),
        }
        v.body.push(format!("   {}", facts.join(" · ")));
        if let Some(r) = super::home::reminder(state, q) {
            v.body.push(format!("   {r}"));
        }
    }
    v.keys = words::KEYS_HOME.to_string();
}

fn team(state: &State, v: &mut PlainView) {
    v.body.push(words::heading(text::kiosk::TITLE_TEAM));
    v.body.extend(super::kiosk::team_head(state));
    for (i, (label, note)) in super::kiosk::team_labels(state).iter().enumerate() {
        let note = if note.is_empty() {
            String::new()
        } else {
            format!(" ({note})")
        };
        v.body.push(format!("{}. {label}{note}", i + 1));
    }
    v.keys = words::KEYS_TEAM.to_string();
}

fn question(state: &State, v: &mut PlainView) {
    let Some(c) = state.session.checkin.as_ref() else {
        return;
    };
    let q = &state.questionnaires[c.questionnaire];
    let question = c.question(q);
    let (pos, total) = c.progress(q);
    v.body.push(words::heading(&q.title));
    let optional = if question.required {
        ""
    } else {
        text::OPTIONAL
    };
    v.body.push(if question.on_review {
        text::PRIVATE_NOTE.to_string()
    } else {
        format!("{}{optional}", text::question_of(pos, total))
    });
    if c.visible(q).first() == Some(&c.index) {
        v.body.extend(q.instructions.clone());
    }
    v.body.push(question.text.clone());
    v.body.extend(question.help.clone());
    let rows = choices(question);
    let answer = c.answers.get(&question.id);
    let chosen = |val: &Scalar| match answer {
        Some(AnswerValue::Choice(a)) => a == val,
        Some(AnswerValue::Number(n)) => *val == Scalar::Number(*n),
        Some(AnswerValue::Multi { values, .. }) => values.contains(val),
        _ => false,
    };
    let is_multi = matches!(question.kind, QuestionKind::Multi { .. });
    for (i, ch) in rows.iter().enumerate() {
        let key = option_key(question, i);
        let end = super::question::end_label(question, i, rows.len())
            .map(|l| format!(" ({l})"))
            .unwrap_or_default();
        let label = if matches!(question.kind, QuestionKind::Number { .. }) {
            format!("{key}{end}")
        } else {
            format!("{key}. {}", ch.label)
        };
        let mark = match (chosen(&ch.value), is_multi) {
            (true, true) => format!(" {}", words::TICKED),
            (true, false) => format!(" {}", words::CHOSEN),
            _ => String::new(),
        };
        v.body.push(format!("  {label}{mark}"));
    }
    if has_other(question) {
        let other = match answer {
            Some(AnswerValue::Multi { other: Some(o), .. }) => Some(o.as_str()),
            _ => None,
        };
        v.body
            .push(format!("  {}. {}", rows.len() + 1, words::other_row(other)));
    }
    let typed = rows.is_empty() && !is_multi;
    match &question.kind {
        QuestionKind::Number { min, max, .. } if typed => v
            .body
            .push(text::type_number(*min, *max).trim().to_string()),
        QuestionKind::Text { max_length, .. } => v.body.push(words::at_most(*max_length)),
        _ => {}
    }
    if typed {
        let so_far = c.text_value();
        if !so_far.is_empty() {
            v.body.push(words::typed_so_far(&so_far));
        }
    }
    if let Some(m) = &c.message {
        // The full screen's "how to answer" names arrows and clicks: here,
        // what to type.
        if *m == crate::app::checkin::how_to_answer(question) {
            v.notes
                .push(words::needs_answer(question.required).to_string());
        } else {
            v.notes.push(m.clone());
        }
    }
    v.keys = match &question.kind {
        QuestionKind::Text {
            multiline: true, ..
        } => words::KEYS_NOTE.to_string(),
        QuestionKind::Text { .. } => words::KEYS_TEXT.to_string(),
        QuestionKind::Number { .. } if typed => words::KEYS_NUMBER.to_string(),
        QuestionKind::Multi { .. } => words::KEYS_MULTI.to_string(),
        _ => words::keys_choice(question.required, answer.is_some()),
    };
}

fn review(state: &State, v: &mut PlainView) {
    let Some(c) = state.session.checkin.as_ref() else {
        return;
    };
    let q = &state.questionnaires[c.questionnaire];
    v.body.push(words::heading(text::TITLE_REVIEW));
    let title = match (&state.session.team, q.kind) {
        (team, Kind::Team) => format!("{} · {}", q.title, text::for_team(team.as_deref())),
        _ => q.title.clone(),
    };
    v.body.push(title);
    for (n, &i) in c.visible(q).iter().enumerate() {
        let answer = super::question::review_answer(c, q, i);
        let mut lines = answer.split('\n');
        v.body.push(format!(
            "{}. {}: {}",
            n + 1,
            q.questions[i].text,
            lines.next().unwrap_or_default()
        ));
        // A note's further lines, indented under it.
        v.body.extend(lines.map(|l| format!("   {l}")));
    }
    v.keys = if c.note_index(q).is_some() {
        words::KEYS_REVIEW_NOTE
    } else {
        words::KEYS_REVIEW
    }
    .to_string();
}

fn history(state: &State, v: &mut PlainView) {
    v.body.push(words::heading(text::TITLE_HISTORY));
    let filter = super::history::shown_label(state);
    let list = &state.session.history;
    v.body.push(text::history_position(
        state.session.history_selected + 1,
        list.len(),
        filter.as_deref(),
    ));
    if list.is_empty() {
        v.body.push(match (&state.session.history_search, &filter) {
            (Some(words), _) => words::no_notes_with(words),
            (None, Some(title)) => text::no_history_of(title),
            (None, None) => text::NO_HISTORY.to_string(),
        });
    }
    let page = crate::ui::history_page(state).max(1);
    let from = crate::ui::scroll_offset(state.session.history_selected, list.len(), page);
    let end = (from + page).min(list.len());
    for i in from..end {
        let Some(r) = list.get(i) else { continue };
        let value = r.value.map(fmt_number).unwrap_or_else(|| "-".into());
        let band = match (&r.band_label, r.band_tone.as_deref()) {
            (Some(label), t) => format!(" · {} {label}", text::tone_word_str(t)),
            (None, _) => String::new(),
        };
        let demo = if r.is_demo { text::DEMO_MARK } else { "" };
        let note = r
            .note
            .as_deref()
            .map(|n| {
                words::note_start(crate::model::note_preview(
                    n,
                    state.session.history_search.as_deref(),
                ))
            })
            .unwrap_or_default();
        v.body.push(format!(
            "{}. {} · {demo}{} · {value}{band}{note}",
            i + 1,
            r.completed_at
                .with_timezone(&chrono::Local)
                .format("%-d %b %Y %H:%M"),
            super::history::title_of(state, &r.questionnaire_id),
        ));
    }
    if end < list.len() {
        v.body.push(words::ROWS_MORE.to_string());
    }
    v.keys = words::KEYS_HISTORY.to_string();
}

fn trends(state: &State, v: &mut PlainView) {
    v.body.push(words::heading(text::TITLE_TRENDS));
    v.keys = words::KEYS_TRENDS.to_string();
    let t = &state.session.trends;
    let Some(q) = state.questionnaires.get(t.questionnaire) else {
        return;
    };
    let Some(score) = q.scores.get(t.score) else {
        v.body.push(text::NO_SCORES.to_string());
        return;
    };
    let mut head = format!("{} › {}", q.title, score.label);
    if q.scores.len() > 1 {
        head.push_str(&format!(
            " · {}",
            words::score_of(t.score + 1, q.scores.len())
        ));
    }
    head.push_str(&format!(" · {}", text::period_label(t.period)));
    v.body.push(head);
    if !t.loaded {
        v.body.push(text::LOADING.to_string());
        return;
    }
    let points = crate::app::visible_points(state, state.now);
    let (when_h, value_h, band_h) = text::TRENDS_TABLE_HEAD;
    v.body.push(format!("{when_h:<22} {value_h:>6}  {band_h}"));
    if points.is_empty() {
        v.body.push(text::TRENDS_TABLE_EMPTY.to_string());
    }
    // The same page as the full screen's table (PgDn/PgUp move it).
    let page = (state.size.1 as usize).saturating_sub(12).max(1);
    let from = t.table_scroll.min(points.len().saturating_sub(1));
    for p in points.iter().rev().skip(from).take(page) {
        v.body.push(super::trends::table_row(score, p).0);
    }
    let left = points.len().saturating_sub(from + page);
    if left > 0 {
        v.body.push(words::trends_more(left));
    }
    let scale = crate::trends::Scale::of(score);
    if crate::app::support::alert_on_screen(state) {
        v.body.push(words::SUPPORT_NUDGE.to_string());
    }
    v.body.extend(
        crate::trends::summary(&scale, &points, state.now, &chrono::Local)
            .lines()
            .map(str::to_string),
    );
}
