//! A companion file (`NAME.companion.toml` beside `NAME.json`): what FHIR
//! cannot say (bands, flags, support, the licence), in the project's own
//! format, merged into the draft before validation. Its places stay its own
//! lines and columns.

use super::*;

/// A companion file: what FHIR cannot say (bands, flags, support), in the
/// project's own format. Scores and questions are named by `linkId` (or by
/// the id made from it).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCompanion {
    #[serde(default)]
    kind: Option<Kind>,
    #[serde(default)]
    minutes: Option<u32>,
    #[serde(default)]
    remind_every_days: Option<Spanned<u32>>,
    #[serde(default)]
    instructions: Option<String>,
    #[serde(default)]
    signposting: Option<Spanned<String>>,
    #[serde(default)]
    licence: Option<RawLicence>,
    #[serde(default)]
    note: Option<Spanned<RawNote>>,
    #[serde(default)]
    scores: Vec<Spanned<RawCompanionScore>>,
    #[serde(default)]
    flags: Vec<Spanned<RawFlag>>,
    #[serde(default)]
    focus: Option<Spanned<RawFocus>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCompanionScore {
    id: Spanned<String>,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    max_missing: Option<usize>,
    #[serde(default)]
    prorate: Option<bool>,
    #[serde(default)]
    meaningful_change: Option<Spanned<Num>>,
    #[serde(default)]
    bands: Vec<Spanned<RawBand>>,
}

impl Reader<'_> {
    /// Merge `c` into `draft`; true when it gives any score bands.
    pub(super) fn apply_companion(
        &mut self,
        draft: &mut RawQuestionnaire,
        c: RawCompanion,
    ) -> bool {
        let mut banded = false;
        if let Some(k) = c.kind {
            draft.kind = k;
        }
        if let Some(m) = c.minutes {
            draft.minutes = m;
        }
        draft.remind_every_days = c.remind_every_days;
        if c.instructions.is_some() {
            draft.instructions = c.instructions;
        }
        draft.signposting = c.signposting;
        draft.note = c.note;
        if let Some(l) = c.licence {
            draft.licence = l;
        }
        for cs in c.scores {
            let span = cs.span();
            let cs = cs.into_inner();
            let want = self.id_for(&cs.id);
            let Some(s) = draft
                .scores
                .iter_mut()
                .find(|s| s.get_ref().id.get_ref() == want.get_ref())
            else {
                let known: Vec<String> = self
                    .ids
                    .iter()
                    .filter(|(_, id)| draft.scores.iter().any(|s| s.get_ref().id.get_ref() == *id))
                    .map(|(l, _)| l.clone())
                    .collect();
                self.errors.push(
                    Locator::json(self.file, &self.pointers, self.companion)
                        .diagnostic(span, format!(
                            "the FHIR file has no calculated score \"{}\"; its scores (by linkId) are: {}",
                            cs.id.get_ref(),
                            if known.is_empty() { "none".to_string() } else { known.join(", ") }
                        )),
                );
                continue;
            };
            let s = s.get_mut();
            if let Some(l) = cs.label {
                s.label = l;
            }
            if cs.description.is_some() {
                s.description = cs.description;
            }
            if let Some(m) = cs.max_missing {
                s.max_missing = m;
            }
            if let Some(p) = cs.prorate {
                s.prorate = p;
            }
            s.meaningful_change = cs.meaningful_change;
            banded |= !cs.bands.is_empty();
            s.bands = cs.bands;
        }
        draft.flags = c
            .flags
            .into_iter()
            .map(|f| {
                let span = f.span();
                let mut f = f.into_inner();
                f.questions = f.questions.iter().map(|q| self.id_for(q)).collect();
                Spanned::new(span, f)
            })
            .collect();
        draft.focus = c.focus.map(|f| {
            let span = f.span();
            let mut f = f.into_inner();
            f.scores = f.scores.iter().map(|s| self.id_for(s)).collect();
            f.messages = f
                .messages
                .into_iter()
                .map(|(k, m)| (self.id_for(&k), m))
                .collect();
            Spanned::new(span, f)
        });
        banded
    }
}
