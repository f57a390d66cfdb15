//! Synthetic demo history, clearly marked as demo data (`is_demo`), so a
//! new user can see the trend charts at once. No real person's data.

use crate::model::NewCheckin;
use crate::questionnaire::{score, AnswerValue, Answers, Catalog, QuestionKind, Questionnaire};
use chrono::{DateTime, Duration, Utc};

/// A small deterministic generator (xorshift), so demo data is repeatable.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Answers for `q` that follow a latent level between 0 (low) and 1 (high).
pub fn answers_at(q: &Questionnaire, level: f64, rng: &mut Rng) -> Answers {
    let mut answers = Answers::new();
    for question in &q.questions {
        let noisy = (level + (rng.unit() - 0.5) * 0.35).clamp(0.0, 1.0);
        let a = match &question.kind {
            QuestionKind::Scale { options, .. } | QuestionKind::Choice { options } => {
                let mut sorted: Vec<_> = options.iter().collect();
                sorted.sort_by(|a, b| {
                    a.value
                        .as_number()
                        .unwrap_or(0.0)
                        .total_cmp(&b.value.as_number().unwrap_or(0.0))
                });
                if sorted.is_empty() {
                    continue;
                }
                let i = (noisy * (sorted.len() - 1) as f64).round() as usize;
                AnswerValue::Choice(sorted[i.min(sorted.len() - 1)].value.clone())
            }
            QuestionKind::Number { min, max, step, .. } => {
                let steps = ((max - min) / step).floor();
                AnswerValue::Number(min + (noisy * steps).round() * step)
            }
            // Free text and tags are left out of demo data.
            QuestionKind::Multi { .. } | QuestionKind::Text { .. } => continue,
        };
        answers.insert(question.id.clone(), a);
    }
    answers
}

/// Check-ins for every personal questionnaire over the `days` before `now`:
/// WHO-5 twice a week, the others weekly, following a slow wave with noise.
pub fn generate(
    catalog: &Catalog,
    respondent: i64,
    days: u32,
    now: DateTime<Utc>,
    seed: u64,
) -> Vec<NewCheckin> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::new();
    for (n, entry) in catalog.entries.iter().enumerate() {
        let q = &entry.questionnaire;
        if q.kind != crate::questionnaire::Kind::Personal {
            continue;
        }
        let every = if q.id == "who5" { 3.5 } else { 7.0 };
        let count = (days as f64 / every).floor() as i64;
        for i in 0..=count {
            let days_ago = (count - i) as f64 * every;
            let t = days_ago / 60.0 + n as f64;
            let level = 0.55 + 0.3 * (t * std::f64::consts::PI).sin() + (rng.unit() - 0.5) * 0.1;
            let answers = answers_at(q, level.clamp(0.0, 1.0), &mut rng);
            // One after another, a few minutes apart (never two at the same
            // moment, whose order would be only their random ids').
            let completed =
                now - Duration::minutes((days_ago * 24.0 * 60.0) as i64 + 30 + 5 * n as i64);
            let started = completed - Duration::seconds(60 + (rng.unit() * 120.0) as i64);
            let outcome = score(q, &answers);
            let mut c = NewCheckin::from_outcome(
                q,
                &answers,
                &outcome,
                Some(respondent),
                started,
                completed,
            );
            c.is_demo = true;
            out.push(c);
        }
    }
    out
}
