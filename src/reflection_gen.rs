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

/// The teams of a demo ward (their names say they are demo data).
pub const DEMO_TEAMS: [&str; 3] = ["Demo team A", "Demo team B", "Demo team C"];

/// Synthetic free text for demo reflections, marked as such.
const DEMO_TEXTS: [&str; 8] = [
    "(demo) time for a proper break",
    "(demo) the new starter was brilliant",
    "(demo) the drug fridge alarm again",
    "(demo) a thank-you card from a family",
    "(demo) short-staffed on nights",
    "(demo) the printer on bay 2",
    "(demo) good handover this morning",
    "(demo) a patient went home walking",
];

/// Endings joined to [`DEMO_TEXTS`], so demo texts rarely repeat.
const DEMO_ENDINGS: [&str; 8] = [
    "",
    " on the late shift",
    " this week",
    " after a busy morning",
    " in bay 3",
    " on nights",
    " - thank you all",
    " at the weekend",
];

/// The demo text numbered `r` (any number).
fn demo_text(r: u64) -> String {
    let n = DEMO_TEXTS.len() as u64;
    format!(
        "{}{}",
        DEMO_TEXTS[(r % n) as usize],
        DEMO_ENDINGS[((r / n) % DEMO_ENDINGS.len() as u64) as usize]
    )
}

/// A demo ward's team reflections on `q` over the `days` before `now`:
/// team A gives 7-12 a week, B 3-8, C 1-4 (so the huddle shows groups above
/// and below k, and the ward view's complementary suppression), every row
/// marked as demo data.
pub fn demo_ward(
    q: &Questionnaire,
    days: u32,
    now: chrono::DateTime<Utc>,
    seed: u64,
) -> Vec<NewCheckin> {
    let mut rng = Rng::new(seed);
    let mut texts = Rng::new(seed.rotate_left(17) ^ 0x5eed);
    let today = now.date_naive();
    let mut out = Vec::new();
    for back in 0..days {
        let Some(date) = today.checked_sub_days(chrono::Days::new(u64::from(back))) else {
            continue;
        };
        for (i, team) in DEMO_TEAMS.iter().enumerate() {
            // Per week 7-12, 3-8, 1-4: spread over the days of the week.
            let (lo, span) = [(7, 6), (3, 6), (1, 4)][i];
            let weekly = lo + rng.next_u64() % span;
            let n = (0..weekly).filter(|_| rng.next_u64() % 7 == 0).count();
            for _ in 0..n {
                let level = 0.45 + 0.4 * rng.unit() - 0.1 * i as f64;
                let a = answers(q, level.clamp(0.0, 1.0), &mut rng, |_| {
                    // About half write something.
                    let r = texts.next_u64();
                    if r % 2 == 0 {
                        demo_text(r / 2)
                    } else {
                        String::new()
                    }
                });
                let mut c = checkin(q, &a, team, PeriodKind::Week, date);
                c.is_demo = true;
                out.push(c);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn demo_texts_are_marked_and_rarely_repeat() {
        let all: std::collections::BTreeSet<String> = (0..64).map(super::demo_text).collect();
        assert_eq!(all.len(), 64);
        assert!(all.iter().all(|t| t.starts_with("(demo) ")));
    }
}
