//! Support wherever a low score is shown. Pure functions of the state: is
//! an alert-band score on screen, and what support text belongs to it. The
//! overlay (`!`), the key bar and each screen's "press ! for support" line
//! all ask here, so they cannot disagree.

use super::{Screen, State};
use crate::questionnaire::{FlagHit, Questionnaire, Tone};
use crate::text;

/// The support texts of `q` for an alert band (band's own text, else the
/// file's), with a generic line when the file has none.
fn band_support<'a>(q: &'a Questionnaire, score_id: &str, value: Option<f64>) -> Vec<&'a str> {
    let band_text = q
        .scores
        .iter()
        .find(|s| s.id == score_id)
        .zip(value)
        .and_then(|(s, v)| s.band_for(v))
        .and_then(|b| b.signposting.as_deref());
    band_text.or(q.signposting.as_deref()).into_iter().collect()
}

/// The support that belongs to what is on screen now, when an alert-band
/// score (or an alert flag) is shown there; None when nothing on screen
/// calls for it.
pub fn on_screen(state: &State) -> Option<Vec<String>> {
    let texts: Vec<String> = match state.screen {
        Screen::Result => {
            let r = state.session.result.as_ref()?;
            let q = state.questionnaires.get(r.questionnaire)?;
            let alert = r
                .outcome
                .scores
                .iter()
                .any(|s| s.band.as_ref().is_some_and(|b| b.tone == Tone::Alert))
                || r.outcome.flags.iter().any(|f| f.tone == Tone::Alert)
                // A FHIR questionnaire without bands: support with any score.
                || (q.fhir.as_ref().is_some_and(|f| f.support_with_every_score)
                    && r.outcome.scores.iter().any(|s| s.value.is_some()));
            if !alert {
                return None;
            }
            r.outcome
                .signposting(q)
                .into_iter()
                .map(str::to_string)
                .collect()
        }
        Screen::Detail => {
            let r = state.session.detail.as_ref()?;
            let alert: Vec<_> = r
                .scores
                .iter()
                .filter(|s| s.band_tone.as_deref() == Some("alert"))
                .collect();
            let q = state
                .questionnaires
                .iter()
                .find(|q| q.id == r.questionnaire_id);
            // An alert flag of its answers (PHQ-9's item 9) stays with the
            // check-in, whatever its total.
            let flags: Vec<FlagHit> = q
                .map(|q| flags_of(q, r))
                .unwrap_or_default()
                .into_iter()
                .filter(|f| f.tone == Tone::Alert)
                .collect();
            if alert.is_empty() && flags.is_empty() {
                return None;
            }
            let mut out: Vec<String> = Vec::new();
            for f in &flags {
                if let Some(t) = f.signposting.as_deref() {
                    if !out.iter().any(|o| o == t) {
                        out.push(t.to_string());
                    }
                }
            }
            if let Some(q) = q {
                for s in alert {
                    for t in band_support(q, &s.score_id, s.value) {
                        if !out.iter().any(|o| o == t) {
                            out.push(t.to_string());
                        }
                    }
                }
            }
            out
        }
        Screen::Trends => {
            let t = &state.session.trends;
            let q = state.questionnaires.get(t.questionnaire)?;
            let score = q.scores.get(t.score)?;
            let last = t.points.last()?;
            let band = score.band_for(last.value)?;
            if band.tone != Tone::Alert {
                return None;
            }
            band_support(q, &score.id, Some(last.value))
                .into_iter()
                .map(str::to_string)
                .collect()
        }
        Screen::Home => {
            let q = state.questionnaires.get(state.session.selected)?;
            let s = state.summary(&q.id)?;
            let (_, tone) = s.latest_band.as_ref()?;
            if tone != "alert" {
                return None;
            }
            let score = q.scores.first()?;
            band_support(q, &score.id, s.latest.map(|p| p.value))
                .into_iter()
                .map(str::to_string)
                .collect()
        }
        _ => return None,
    };
    Some(texts)
}

/// The flags that a saved check-in's answers raise (worked out again from
/// them: flags are not saved), on the questionnaire as it is now.
pub fn flags_of(q: &Questionnaire, r: &crate::model::CheckinRecord) -> Vec<FlagHit> {
    let answers: crate::questionnaire::Answers = r
        .answers
        .iter()
        .filter_map(|a| {
            let question = q.question(&a.question_id)?;
            let v = crate::questionnaire::AnswerValue::from_json(&question.kind, &a.value)?;
            Some((a.question_id.clone(), v))
        })
        .collect();
    crate::questionnaire::score(q, &answers).flags
}

/// Is an alert-band score on screen (so the key bar offers `!`)?
pub fn alert_on_screen(state: &State) -> bool {
    on_screen(state).is_some()
}

/// The lines of the support overlay: the support for what is on screen (or
/// general support when nothing there calls for it), then the trust's
/// local support lines from the configuration file.
pub fn overlay_lines(state: &State) -> Vec<String> {
    let texts = on_screen(state).unwrap_or_default();
    let mut refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    if refs.is_empty() {
        // Nothing on screen calls for a questionnaire's own text: general support.
        out.push(text::SUPPORT_INTRO.to_string());
        out.push(String::new());
        refs.push(text::GENERIC_SUPPORT);
    }
    out.extend(text::support_lines(&refs, &state.local_support));
    out
}
