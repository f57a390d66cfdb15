//! A check-in in progress: moving through questions (with skip logic),
//! answering by keys, numbers, clicks or text, reviewing and saving.

use super::{finish, go_home, Action, AfterLeave, Confirm, Effect, Screen, State};
use crate::questionnaire::answers::check_number;
use crate::questionnaire::{
    fmt_number, AnswerValue, Answers, Choice, Question, QuestionKind, Questionnaire, Scalar,
};
use crate::text;
use chrono::{DateTime, Utc};
use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use ratatui_textarea::{TextArea, WrapMode};

/// Number questions with at most this many steps are shown as a list.
pub const MAX_LISTED_NUMBERS: usize = 21;

#[derive(Debug, Clone)]
pub struct Checkin {
    /// Index into `State::questionnaires`.
    pub questionnaire: usize,
    /// Index of the current question in the questionnaire.
    pub index: usize,
    pub answers: Answers,
    /// Highlighted row of the current question's list: none until the
    /// person moves to a row or has answered, so Enter never picks a row
    /// they did not choose.
    pub cursor: Option<usize>,
    /// "Other" ticked on a multiple-choice question before anything is typed.
    pub other_ticked: bool,
    pub text: TextArea<'static>,
    pub started_at: DateTime<Utc>,
    /// Editing from the review screen: return there after answering.
    pub from_review: bool,
    pub review_selected: usize,
    pub message: Option<String>,
    /// An anonymous kiosk check-in: optional free-text notes "for
    /// yourself" are not asked, since nobody could ever read them back and
    /// a shared terminal's file is not private.
    /// How far the question's own text is scrolled, and for which
    /// question (a long question on a small screen scrolls with PgUp/PgDn).
    pub question_scroll: (usize, u16),
    pub no_private_notes: bool,
    /// The current question keeps line breaks (a note).
    pub multiline: bool,
}

/// The rows a question offers to choose from (none for free text and for
/// numbers with many steps, which are typed).
pub fn choices(q: &Question) -> Vec<Choice> {
    match &q.kind {
        QuestionKind::Number { min, max, step, .. } => {
            let n = ((max - min) / step).floor() as usize;
            if n + 1 > MAX_LISTED_NUMBERS {
                return vec![];
            }
            (0..=n)
                .map(|i| {
                    let v = min + i as f64 * step;
                    Choice {
                        label: fmt_number(v),
                        value: Scalar::Number(v),
                        code: None,
                    }
                })
                .collect()
        }
        k => k.options().to_vec(),
    }
}

/// Does the question have a free-text "other" row after its options?
pub fn has_other(q: &Question) -> bool {
    matches!(q.kind, QuestionKind::Multi { other: true, .. })
}

pub fn row_count(q: &Question) -> usize {
    choices(q).len() + usize::from(has_other(q))
}

/// Indices of the questions shown, given the answers so far.
pub fn visible_indices(q: &Questionnaire, answers: &Answers) -> Vec<usize> {
    q.visible_indices(answers)
}

/// Does the question's typed answer keep line breaks (a note)?
pub fn multiline(q: &Question) -> bool {
    matches!(
        q.kind,
        QuestionKind::Text {
            multiline: true,
            ..
        }
    )
}

fn max_len(q: &Question) -> Option<usize> {
    match q.kind {
        QuestionKind::Text { max_length, .. } => Some(max_length),
        QuestionKind::Multi {
            other_max_length, ..
        } => Some(other_max_length),
        QuestionKind::Number { .. } => Some(24),
        _ => None,
    }
}

impl Checkin {
    pub fn new(questionnaire: usize, q: &Questionnaire, now: DateTime<Utc>) -> Checkin {
        let mut c = Checkin {
            questionnaire,
            index: 0,
            answers: Answers::new(),
            cursor: None,
            other_ticked: false,
            text: TextArea::default(),
            started_at: now,
            from_review: false,
            review_selected: 0,
            message: None,
            question_scroll: (0, 0),
            no_private_notes: false,
            multiline: false,
        };
        let first = c.flow(q).first().copied().unwrap_or(0);
        c.enter(q, first);
        c
    }

    pub fn question<'a>(&self, q: &'a Questionnaire) -> &'a Question {
        &q.questions[self.index.min(q.questions.len() - 1)]
    }

    /// An anonymous kiosk check-in: see [`Checkin::no_private_notes`].
    pub fn anonymous(questionnaire: usize, q: &Questionnaire, now: DateTime<Utc>) -> Checkin {
        let mut c = Checkin::new(questionnaire, q, now);
        c.no_private_notes = true;
        let first = c.flow(q).first().copied().unwrap_or(0);
        c.enter(q, first);
        c
    }

    /// The questions asked on the way through (not the note, which the
    /// review offers), given the answers so far.
    pub fn flow(&self, q: &Questionnaire) -> Vec<usize> {
        let mut v = self.visible(q);
        v.retain(|&i| !q.questions[i].on_review);
        v
    }

    /// The note the review offers (`n`), if this check-in has one.
    pub fn note_index(&self, q: &Questionnaire) -> Option<usize> {
        self.visible(q)
            .into_iter()
            .find(|&i| q.questions[i].on_review)
    }

    /// Indices of the questions shown, given the answers so far.
    pub fn visible(&self, q: &Questionnaire) -> Vec<usize> {
        let mut v = visible_indices(q, &self.answers);
        if self.no_private_notes {
            v.retain(|&i| {
                let question = &q.questions[i];
                question.required || !matches!(question.kind, QuestionKind::Text { .. })
            });
        }
        v
    }

    /// (position from 1, count) among the questions that may be shown:
    /// a question shown only after some answers (skip logic) is counted
    /// from the start, so an answer never changes "Question 3 of 5" into
    /// "3 of 4" nor moves the bar back; skipping it jumps past its number.
    pub fn progress(&self, q: &Questionnaire) -> (usize, usize) {
        let v: Vec<usize> = (0..q.questions.len())
            .filter(|&i| {
                let question = &q.questions[i];
                !question.on_review
                    && (!self.no_private_notes
                        || question.required
                        || !matches!(question.kind, QuestionKind::Text { .. }))
            })
            .collect();
        let pos = v
            .iter()
            .position(|&i| i == self.index)
            .map(|p| p + 1)
            .unwrap_or(v.len());
        (pos, v.len())
    }

    pub fn editing_text(&self, q: &Questionnaire) -> bool {
        let question = self.question(q);
        match &question.kind {
            QuestionKind::Text { .. } => true,
            QuestionKind::Number { .. } => choices(question).is_empty(),
            QuestionKind::Multi { .. } => {
                has_other(question) && self.cursor == Some(choices(question).len())
            }
            _ => false,
        }
    }

    /// Is "Other" shown ticked (text typed, or ticked with Space)?
    pub fn other_is_ticked(&self, q: &Questionnaire) -> bool {
        self.other_ticked
            || matches!(
                self.answers.get(&self.question(q).id),
                Some(AnswerValue::Multi { other: Some(_), .. })
            )
            || (self.editing_text(q) && !self.text_value().is_empty())
    }

    /// Move to question `index`, showing its current answer.
    fn enter(&mut self, q: &Questionnaire, index: usize) {
        self.index = index;
        self.message = None;
        let question = self.question(q);
        self.multiline = multiline(question);
        let rows = choices(question);
        let answer = self.answers.get(&question.id);
        // Highlight the answer already given; otherwise nothing.
        self.cursor = match answer {
            Some(AnswerValue::Choice(v)) => rows.iter().position(|c| c.value == *v),
            Some(AnswerValue::Number(n)) => rows.iter().position(|c| c.value == Scalar::Number(*n)),
            _ => None,
        };
        self.other_ticked = false;
        let text = match answer {
            Some(AnswerValue::Text(t)) => t.clone(),
            Some(AnswerValue::Number(n)) if rows.is_empty() => fmt_number(*n),
            Some(AnswerValue::Multi { other: Some(o), .. }) => o.clone(),
            _ => String::new(),
        };
        self.text = TextArea::new(text.split('\n').map(str::to_string).collect());
        self.text.set_wrap_mode(WrapMode::WordOrGlyph);
        self.text.move_cursor(ratatui_textarea::CursorMove::Bottom);
        self.text.move_cursor(ratatui_textarea::CursorMove::End);
    }

    /// Characters typed so far (each line break counts as one).
    pub fn typed_len(&self) -> usize {
        let lines = self.text.lines();
        lines.iter().map(|l| l.chars().count()).sum::<usize>() + lines.len().saturating_sub(1)
    }

    /// The typed answer: its lines kept where the question keeps them
    /// (a note), else joined by spaces; blank lines around it dropped.
    pub fn text_value(&self) -> String {
        if self.multiline {
            let lines: Vec<&str> = self.text.lines().iter().map(|l| l.trim_end()).collect();
            lines.join("\n").trim().to_string()
        } else {
            self.text.lines().join(" ").trim().to_string()
        }
    }
}

/// A digit key is a value, not a row number: on a number question shown
/// as a list (that number), and on the kiosk's PIN form (a PIN digit).
pub fn digit_is_value(state: &State) -> bool {
    let by_value = state.screen == Screen::Question
        && state.session.checkin.as_ref().is_some_and(|c| {
            let q = &state.questionnaires[c.questionnaire];
            digits_are_values(c.question(q))
        });
    by_value || state.screen == Screen::Pin
}

/// Do digit keys choose a question's option by its value? For a listed
/// number, and for a scale whose options are all whole numbers from 0 to 9:
/// then "4" is the option worth 4 on the question screen, in the huddle and
/// in every export, in whatever order the instrument lists them (WHO-5's
/// licence forbids reordering it: "All of the time" = 5 stays first). Any
/// other question is chosen by position (1 for the first row).
pub fn digits_are_values(q: &Question) -> bool {
    match &q.kind {
        QuestionKind::Number { .. } => !choices(q).is_empty(),
        QuestionKind::Scale { options, .. } => {
            let mut seen = [false; 10];
            options.iter().all(|c| match c.value {
                Scalar::Number(v) if v.fract() == 0.0 && (0.0..=9.0).contains(&v) => {
                    !std::mem::replace(&mut seen[v as usize], true)
                }
                _ => false,
            })
        }
        _ => false,
    }
}

/// The key shown beside option `i` of `q`: its value for a scale chosen by
/// value, its position (1-9, then 0) otherwise; blank for a listed number
/// (its label is the number) and past the tenth row.
pub fn key_label(q: &Question, i: usize) -> String {
    let rows = choices(q);
    match (&q.kind, rows.get(i)) {
        (QuestionKind::Number { .. }, _) => " ".to_string(),
        (QuestionKind::Scale { .. }, Some(c)) if digits_are_values(q) => match c.value {
            Scalar::Number(v) => fmt_number(v),
            _ => " ".to_string(),
        },
        _ if i < 9 => (i + 1).to_string(),
        _ if i == 9 => "0".to_string(),
        _ => " ".to_string(),
    }
}

fn current(state: &mut State) -> Option<(&mut Checkin, &Questionnaire)> {
    let c = state.session.checkin.as_mut()?;
    let q = state.questionnaires.get(c.questionnaire)?;
    Some((c, q))
}

/// Go to the next shown question, or to review after the last.
fn advance(state: &mut State) {
    let Some((c, q)) = current(state) else { return };
    let v = c.flow(q);
    if c.from_review {
        c.from_review = false;
        state.screen = Screen::Review;
        return;
    }
    match v.iter().find(|&&i| i > c.index) {
        Some(&next) => c.enter(q, next),
        None => {
            c.message = None;
            c.review_selected = 0;
            state.screen = Screen::Review;
        }
    }
}

fn previous(state: &mut State) -> Vec<Effect> {
    let Some((c, q)) = current(state) else {
        return go_home(state);
    };
    let v = c.flow(q);
    match v.iter().rev().find(|&&i| i < c.index) {
        Some(&prev) => {
            c.from_review = false;
            c.enter(q, prev);
            vec![]
        }
        None if c.answers.is_empty() => {
            state.session.checkin = None;
            go_home(state)
        }
        None => {
            state.confirm = Some(Confirm::Leave {
                then: AfterLeave::Home,
            });
            vec![]
        }
    }
}

/// Record the answer to the current question (None removes it).
fn set_answer(c: &mut Checkin, q: &Questionnaire, a: Option<AnswerValue>) {
    let id = c.question(q).id.clone();
    match a {
        Some(a) => c.answers.insert(id, a),
        None => c.answers.remove(&id),
    };
}

fn choose(c: &mut Checkin, q: &Questionnaire, row: usize) -> bool {
    let question = c.question(q);
    let rows = choices(question);
    let Some(choice) = rows.get(row) else {
        return false;
    };
    c.cursor = Some(row);
    let a = match &question.kind {
        QuestionKind::Number { .. } => AnswerValue::Number(choice.value.as_number().unwrap_or(0.0)),
        _ => AnswerValue::Choice(choice.value.clone()),
    };
    set_answer(c, q, Some(a));
    true
}

fn toggle(c: &mut Checkin, q: &Questionnaire, row: usize) {
    let question = c.question(q);
    let rows = choices(question);
    let Some(choice) = rows.get(row) else { return };
    c.cursor = Some(row);
    let (mut values, other) = match c.answers.get(&question.id) {
        Some(AnswerValue::Multi { values, other }) => (values.clone(), other.clone()),
        _ => (Vec::new(), None),
    };
    match values.iter().position(|v| *v == choice.value) {
        Some(i) => {
            values.remove(i);
        }
        None => values.push(choice.value.clone()),
    }
    // Keep the file's order.
    values.sort_by_key(|v| rows.iter().position(|r| r.value == *v));
    let empty = values.is_empty() && other.is_none();
    set_answer(
        c,
        q,
        (!empty).then_some(AnswerValue::Multi { values, other }),
    );
}

/// Take what is typed into the current answer. Returns an error message if
/// it is not acceptable.
fn commit_text(c: &mut Checkin, q: &Questionnaire) -> Result<(), String> {
    let question = c.question(q).clone();
    let typed = c.text_value();
    match &question.kind {
        QuestionKind::Text { .. } => {
            set_answer(
                c,
                q,
                (!typed.is_empty()).then_some(AnswerValue::Text(typed)),
            );
        }
        QuestionKind::Number { min, max, step, .. } => {
            if typed.is_empty() {
                set_answer(c, q, None);
            } else {
                let n: f64 = typed
                    .parse()
                    .map_err(|_| text::not_a_number(&typed, *min, *max))?;
                check_number(&question, n, *min, *max, *step)
                    .map_err(|_| text::not_a_number(&typed, *min, *max))?;
                set_answer(c, q, Some(AnswerValue::Number(n)));
            }
        }
        QuestionKind::Multi { .. } => {
            if c.other_ticked && typed.is_empty() && c.editing_text(q) {
                return Err(text::OTHER_NEEDS_TEXT.to_string());
            }
            let values = match c.answers.get(&question.id) {
                Some(AnswerValue::Multi { values, .. }) => values.clone(),
                _ => Vec::new(),
            };
            let other = (!typed.is_empty()).then_some(typed);
            let empty = values.is_empty() && other.is_none();
            set_answer(
                c,
                q,
                (!empty).then_some(AnswerValue::Multi { values, other }),
            );
        }
        _ => {}
    }
    Ok(())
}

/// Move on from the current question if it may be left as it is.
fn next(state: &mut State) {
    let Some((c, q)) = current(state) else { return };
    if c.editing_text(q) || matches!(c.question(q).kind, QuestionKind::Multi { .. }) {
        if let Err(e) = commit_text(c, q) {
            c.message = Some(e);
            return;
        }
    }
    let question = c.question(q);
    if question.required && !c.answers.contains_key(&question.id) {
        c.message = Some(how_to_answer(question));
        return;
    }
    advance(state);
}

/// What to say when someone tries to move on without answering.
pub fn how_to_answer(question: &Question) -> String {
    let how = match &question.kind {
        QuestionKind::Multi { .. } => text::HOW_TO_TICK,
        QuestionKind::Text { .. } => text::HOW_TO_TYPE,
        QuestionKind::Number { .. } if choices(question).is_empty() => text::HOW_TO_TYPE,
        QuestionKind::Number { .. } => text::HOW_TO_PICK_NUMBER,
        _ => text::HOW_TO_PICK,
    };
    text::how_to_answer(how, question.required)
}

/// Put pasted text into the answer being typed, in one step: line breaks
/// and tabs become spaces, other control characters are dropped, and the
/// text is cut at the question's limit (only as much of the paste as fits
/// is ever looked at, so a megabyte costs no more than a line).
fn paste(c: &mut Checkin, question: &Question, pasted: &str) {
    let room = max_len(question)
        .map(|m| m.saturating_sub(c.typed_len()))
        .unwrap_or(usize::MAX);
    // A note keeps the paste's lines; any other answer is one line.
    let lines = multiline(question);
    let mut fitting = String::new();
    let mut taken = 0usize;
    let mut cut = false;
    let mut after_cr = false;
    for raw in pasted.chars() {
        // "\r\n" is one line break, so one space.
        let skip = raw == '\n' && after_cr;
        after_cr = raw == '\r';
        let ch = match raw {
            _ if skip => continue,
            '\r' | '\n' if lines => '\n',
            '\r' | '\n' | '\t' => ' ',
            ch if ch.is_control() => continue,
            ch => ch,
        };
        if taken == room {
            cut = true;
            break;
        }
        fitting.push(ch);
        taken += 1;
    }
    if !fitting.is_empty() {
        c.text.insert_str(&fitting);
    }
    c.message = cut.then(|| text::paste_cut(max_len(question).unwrap_or(0)));
}

pub fn question(state: &mut State, action: Action, _now: DateTime<Utc>) -> Vec<Effect> {
    let Some((c, q)) = current(state) else {
        return go_home(state);
    };
    let question = c.question(q).clone();
    let rows = row_count(&question);
    let is_multi = matches!(question.kind, QuestionKind::Multi { .. });
    let editing = c.editing_text(q);
    let n_choices = choices(&question).len();
    let on_other = is_multi && editing;
    match action {
        // Space on an empty "Other" ticks (or unticks) it: it is not text.
        Action::Edit(key)
            if on_other
                && key.code == KeyCode::Char(' ')
                && !key
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                && c.text_value().is_empty() =>
        {
            toggle_other(c);
        }
        Action::Edit(key) if editing => {
            let before = c.text.clone();
            let new_line = (key.code == KeyCode::Enter
                && key.modifiers.contains(KeyModifiers::ALT))
                || (key.code == KeyCode::Char('j') && key.modifiers == KeyModifiers::CONTROL);
            if new_line {
                // A new line in a note; nothing in a one-line answer (Enter
                // moves on there).
                if c.multiline {
                    c.text.insert_newline();
                }
            } else if key.code == KeyCode::Enter {
                // Never a line break the answer would not keep.
            } else if key.code == KeyCode::Char('u') && key.modifiers == KeyModifiers::CONTROL {
                // Ctrl-U as in a shell: delete to the line's start (the
                // widget's own Ctrl-U is undo, which deletes one letter).
                c.text.delete_line_by_head();
            } else {
                c.text.input(key);
            }
            if let Some(max) = max_len(&question) {
                if c.typed_len() > max {
                    c.text = before;
                    c.message = Some(text::too_long(max));
                } else if c.message.as_deref() == Some(text::too_long(max).as_str()) {
                    // Back within the limit: the warning goes.
                    c.message = None;
                }
            }
        }
        Action::Paste(s) if editing => paste(c, &question, &s),
        // Up and down move through a note's lines.
        Action::Up if editing && c.multiline => {
            c.text.move_cursor(ratatui_textarea::CursorMove::Up)
        }
        Action::Down if editing && c.multiline => {
            c.text.move_cursor(ratatui_textarea::CursorMove::Down)
        }
        Action::Type(s) if editing => {
            c.text = TextArea::default();
            c.text.set_wrap_mode(WrapMode::WordOrGlyph);
            paste(c, &question, &s);
        }
        // The question's text, where the screen is too small for it (the
        // screen stops at its end).
        Action::PageDown | Action::PageUp => {
            let at = if c.question_scroll.0 == c.index {
                c.question_scroll.1
            } else {
                0
            };
            let step = 2;
            c.question_scroll = (
                c.index,
                if action == Action::PageDown {
                    at.saturating_add(step)
                } else {
                    at.saturating_sub(step)
                },
            );
        }
        Action::Up if rows > 0 => {
            if on_other {
                let _ = commit_text(c, q);
                if c.text_value().is_empty() {
                    c.other_ticked = false;
                }
            }
            c.cursor = Some(match c.cursor {
                Some(i) => i.saturating_sub(1),
                None => 0,
            });
        }
        Action::Down if rows > 0 => {
            c.cursor = Some(match c.cursor {
                Some(i) => (i + 1).min(rows - 1),
                None => 0,
            })
        }
        Action::Pick(i) if i < n_choices => {
            if is_multi {
                toggle(c, q, i);
            } else if choose(c, q, i) {
                advance(state);
            }
        }
        Action::Digit(d) => {
            let rows = choices(&question);
            match rows
                .iter()
                .position(|r| r.value == Scalar::Number(f64::from(d)))
            {
                Some(i) => {
                    if choose(c, q, i) {
                        advance(state);
                    }
                }
                // A key that is none of the options says so.
                None => c.message = Some(text::no_such_option(&d.to_string())),
            }
        }
        Action::Pick(i) if is_multi && has_other(&question) && i == n_choices => {
            c.cursor = Some(i);
            if c.text_value().is_empty() {
                toggle_other(c);
            }
        }
        Action::Pick(i) if rows > 0 => {
            let key = if i == 9 { 0 } else { i + 1 };
            c.message = Some(text::no_such_option(&key.to_string()));
        }
        Action::Toggle if on_other => toggle_other(c),
        Action::Toggle if is_multi => match c.cursor {
            Some(cur) => toggle(c, q, cur),
            None => c.message = Some(how_to_answer(&question)),
        },
        // Enter chooses the highlighted row, and only a row the person moved to.
        Action::Confirm if !is_multi && !editing && rows > 0 && c.cursor.is_some() => {
            let cur = c.cursor.unwrap_or(0);
            if choose(c, q, cur) {
                advance(state);
            }
        }
        Action::Confirm | Action::Right => next(state),
        Action::Skip if !editing => {
            if question.required {
                c.message = Some(text::CANNOT_SKIP.to_string());
            } else {
                set_answer(c, q, None);
                advance(state);
            }
        }
        Action::Back | Action::Left => {
            if editing {
                let _ = commit_text(c, q);
            }
            return previous(state);
        }
        _ => {}
    }
    vec![]
}

/// Tick or untick an empty "Other" row; its text box takes the typing.
fn toggle_other(c: &mut Checkin) {
    c.other_ticked = !c.other_ticked;
    c.message = c.other_ticked.then(|| text::OTHER_TYPE_NOW.to_string());
}

pub fn review(state: &mut State, action: Action, now: DateTime<Utc>) -> Vec<Effect> {
    let Some((c, q)) = current(state) else {
        return go_home(state);
    };
    let v = c.visible(q);
    match action {
        Action::Up | Action::Down => {
            c.review_selected = super::step(c.review_selected, v.len(), action == Action::Down);
        }
        Action::Pick(i) if i < v.len() => {
            c.review_selected = i;
            c.from_review = true;
            c.enter(q, v[i]);
            state.screen = Screen::Question;
        }
        Action::Confirm | Action::Right => {
            if let Some(&i) = v.get(c.review_selected) {
                c.from_review = true;
                c.enter(q, i);
                state.screen = Screen::Question;
            }
        }
        Action::Save => {
            let missing = v
                .iter()
                .map(|&i| &q.questions[i])
                .find(|qq| qq.required && !c.answers.contains_key(&qq.id));
            if let Some(m) = missing {
                let i = q.questions.iter().position(|x| x.id == m.id).unwrap_or(0);
                c.from_review = true;
                c.enter(q, i);
                c.message = Some(how_to_answer(m));
                state.screen = Screen::Question;
                return vec![];
            }
            return finish(state, now);
        }
        // The note, which only the review offers.
        Action::Note => {
            if let Some(i) = c.note_index(q) {
                c.review_selected = v.iter().position(|&x| x == i).unwrap_or(0);
                c.from_review = true;
                c.enter(q, i);
                state.screen = Screen::Question;
            }
        }
        Action::Back | Action::Left => {
            if let Some(&last) = c.flow(q).last() {
                c.from_review = false;
                c.enter(q, last);
                state.screen = Screen::Question;
            }
        }
        _ => {}
    }
    vec![]
}
