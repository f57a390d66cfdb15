//! Synthetic team reflections for tests and benchmarks (never shown as real
//! data): answers to any team questionnaire, including ticks and free
//! text, and the check-in rows a kiosk would save for them (no person, the
//! team, the period, a date-only time).

use crate::demo::{answers_at, Rng};
use crate::model::NewCheckin;
use crate::period::{Period, PeriodKind};
use crate::questionnaire::{score, AnswerValue, Answers, QuestionKind, Questionnaire};
use chrono::{NaiveDate, TimeZone, Utc};

/// Answers to `q` around `level` (0 low, 1 high): scales and choices as
/// [`answers_at`] gives them, one to three ticks on multiple choice, and
/// `text(question id)` for each free-text question (empty: not answered).
pub fn answers(
    q: &Questionnaire,
    level: f64,
    rng: &mut Rng,
    mut text: impl FnMut(&str) -> String,
) -> Answers {
    let mut a = answers_at(q, level, rng);
    for question in &q.questions {
        match &question.kind {
            QuestionKind::Multi { options, .. } if !options.is_empty() => {
                let n = 1 + (rng.next_u64() % 3) as usize;
                let mut values = Vec::new();
                for _ in 0..n {
                    let v = options[(rng.next_u64() as usize) % options.len()]
                        .value
                        .clone();
                    if !values.contains(&v) {
                        values.push(v);
                    }
                }
                a.insert(
                    question.id.clone(),
                    AnswerValue::Multi {
                        values,
                        other: None,
                    },
                );
            }
            QuestionKind::Text { .. } => {
                let t = text(&question.id);
                if !t.is_empty() {
                    a.insert(question.id.clone(), AnswerValue::Text(t));
                }
            }
            _ => {}
        }
    }
    // Only what the questionnaire would keep (hidden questions dropped).
    q.visible_answers(&a)
}

/// The row a kiosk saves for one reflection of `team` on `date`.
pub fn checkin(
    q: &Questionnaire,
    answers: &Answers,
    team: &str,
    kind: PeriodKind,
    date: NaiveDate,
) -> NewCheckin {
    let outcome = score(q, answers);
    // Noon UTC: the same date in every ward time zone from UTC-11 to UTC+11.
    let at = Utc.from_utc_datetime(&date.and_hms_opt(12, 0, 0).unwrap_or_default());
    let mut c = NewCheckin::from_outcome(q, answers, &outcome, None, at, at);
    c.team = Some(team.to_string());
    c.period = Some(Period::containing(kind, date).to_string());
    c
}
