//! A finished check-in on a questionnaire, as the rows to keep
//! ([`NewCheckin`]): answers to hidden questions are not kept.

use super::{Answers, Outcome, Questionnaire};
use crate::model::{NewCheckin, SavedAnswer, SavedScore};
use chrono::{DateTime, Utc};

impl NewCheckin {
    /// Build the rows for a finished check-in on `q`. Answers to hidden
    /// questions are not kept.
    pub fn from_outcome(
        q: &Questionnaire,
        answers: &Answers,
        outcome: &Outcome,
        respondent: Option<i64>,
        started_at: DateTime<Utc>,
        completed_at: DateTime<Utc>,
    ) -> NewCheckin {
        let visible = q.visible_answers(answers);
        let answers = q
            .questions
            .iter()
            .enumerate()
            .filter_map(|(i, question)| {
                let a = visible.get(&question.id)?;
                Some(SavedAnswer {
                    question_id: question.id.clone(),
                    position: i as i64,
                    value: a.to_json(),
                    label: a.label(question),
                })
            })
            .collect();
        let scores = outcome
            .scores
            .iter()
            .map(|s| SavedScore {
                score_id: s.id.clone(),
                label: s.label.clone(),
                raw: s.raw,
                value: s.value,
                band_label: s.band.as_ref().map(|b| b.label.clone()),
                band_tone: s.band.as_ref().map(|b| b.tone.as_str().to_string()),
            })
            .collect();
        NewCheckin {
            respondent,
            team: None,
            period: None,
            questionnaire_id: q.id.clone(),
            questionnaire_version: q.version.clone(),
            file_hash: q.hash.clone(),
            definition: q.source.clone(),
            started_at,
            completed_at,
            is_demo: false,
            imported_from: None,
            answers,
            scores,
            seal: None,
        }
    }
}
