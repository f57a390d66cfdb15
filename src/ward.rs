//! The ward view (issue 16): each team beside the ward total for one
//! released period, with complementary suppression: no team under k can be
//! recovered as the total minus the others. Every team's own huddle is
//! public, so a team is shown here exactly as its huddle shows it, and it
//! is the **total** that is hidden when it minus the shown teams would
//! leave between 1 and k - 1 answers (for each score). Pure: releases in,
//! rows out. Counts of reflections are not content and are always shown.

use crate::anonymity::{Hidden, Thresholds};
use crate::period::Period;
use crate::release::Release;

/// The ward total's release is kept under this team name (no real team
/// may be called "", the config refuses empty names).
pub const WARD_TOTAL: &str = "";

/// One row of the ward view: a team, or the ward total.
#[derive(Debug, Clone, PartialEq)]
pub struct WardRow {
    /// None: the ward total.
    pub team: Option<String>,
    pub reflections: usize,
    /// One per score of the view, in order: the mean, or why it is hidden.
    pub means: Vec<Result<f64, Hidden>>,
}

/// A released period of one questionnaire across the ward's teams.
#[derive(Debug, Clone, PartialEq)]
pub struct WardView {
    pub period: Period,
    pub questionnaire_id: String,
    pub title: String,
    /// The ward's name, on a server that holds several.
    pub name: Option<String>,
    pub thresholds: Thresholds,
    /// The scores' labels, in the order of each row's `means`.
    pub scores: Vec<(String, String)>,
    /// Teams, by name.
    pub teams: Vec<WardRow>,
    pub total: WardRow,
}

/// The ward view of the ward total's release `total` and the releases of
/// each team that gave reflections (`teams`), under the reader's `reader`
/// thresholds (raised to those each was released with).
pub fn view(total: &Release, teams: &[Release], reader: Thresholds) -> WardView {
    let k = teams
        .iter()
        .map(|r| r.k)
        .chain([total.k, reader.k()])
        .max()
        .unwrap_or(reader.k());
    let t = Thresholds::new(k, reader.text());
    // The k the period was released with: its view is public, so the
    // total is hidden here wherever that view hides it too (a higher k
    // hides more teams, and the total beside them would give away what
    // the view at the release's k hid).
    let released_k = teams
        .iter()
        .map(|r| r.k)
        .chain([total.k])
        .max()
        .unwrap_or(k);
    let at_release = Thresholds::new(released_k, reader.text());
    let mut teams: Vec<&Release> = teams.iter().collect();
    teams.sort_by(|a, b| a.team.cmp(&b.team));
    let scores: Vec<(String, String)> = total
        .panels
        .as_ref()
        .map(|p| {
            p.scores
                .iter()
                .map(|s| (s.id.clone(), s.label.clone()))
                .collect()
        })
        .unwrap_or_default();
    let panel_of = |r: &Release, id: &str| {
        r.panels
            .as_ref()
            .and_then(|p| p.scores.iter().find(|s| s.id == id).cloned())
    };
    let mut rows: Vec<WardRow> = teams
        .iter()
        .map(|r| WardRow {
            team: Some(r.team.clone()),
            reflections: r.reflections,
            means: Vec::new(),
        })
        .collect();
    let mut total_row = WardRow {
        team: None,
        reflections: total.reflections,
        means: Vec::new(),
    };
    for (id, _) in &scores {
        // Each team's figure exactly as its own huddle shows it: a team's
        // huddle is public, so hiding a team here that is shown there
        // protects nothing.
        let mut public_answers = 0usize;
        let mut public_at_release = 0usize;
        for (i, r) in teams.iter().enumerate() {
            let shown_at_release = at_release.gate(r.reflections).is_ok()
                && panel_of(r, id).is_some_and(|p| {
                    at_release.gate_answers(p.answered).is_ok() && p.figures.is_ok()
                });
            if shown_at_release {
                public_at_release += panel_of(r, id).map_or(0, |p| p.answered);
            }
            let mean = t.gate(r.reflections).and_then(|()| match panel_of(r, id) {
                Some(p) => t
                    .gate_answers(p.answered)
                    .and_then(|()| p.figures.as_ref().map(|f| f.mean).map_err(|h| *h)),
                None => Err(Hidden::TooFew {
                    have: r.reflections,
                    need: k,
                }),
            });
            if mean.is_ok() {
                public_answers += panel_of(r, id).map_or(0, |p| p.answered);
            }
            rows[i].means.push(mean);
        }
        // The total, unless it minus the public teams leaves between 1 and
        // k - 1 answers: those of the hidden teams, which it would give away.
        let total_panel = panel_of(total, id);
        let total_answers = total_panel.as_ref().map_or(0, |p| p.answered);
        let total_mean = match &total_panel {
            _ if crate::anonymity::total_beside_public_parts(total_answers, public_answers, k)
                .is_err()
                || crate::anonymity::total_beside_public_parts(
                    total_answers,
                    public_at_release,
                    released_k,
                )
                .is_err() =>
            {
                Err(Hidden::Complementary)
            }
            Some(p) => t
                .gate(total.reflections)
                .and_then(|()| t.gate_answers(p.answered))
                .and_then(|()| p.figures.as_ref().map(|f| f.mean).map_err(|h| *h)),
            None => Err(Hidden::TooFew {
                have: total.reflections,
                need: k,
            }),
        };
        total_row.means.push(total_mean);
    }
    WardView {
        period: total.period,
        questionnaire_id: total.questionnaire_id.clone(),
        title: total.title.clone(),
        name: None,
        thresholds: t,
        scores,
        teams: rows,
        total: total_row,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::huddle::Reflection;
    use crate::questionnaire::Catalog;
    use crate::release::{compute, StoredReflection};
    use chrono::NaiveDate;
    use std::collections::BTreeMap;

    /// `n` stored reflections of `q` with the team joy rating `joy`.
    pub(crate) fn rows(
        q: &crate::questionnaire::Questionnaire,
        n: usize,
        joy: i64,
    ) -> Vec<StoredReflection> {
        (0..n)
            .map(|_| StoredReflection {
                definition: q.hash.clone(),
                reflection: Reflection {
                    answers: vec![("team-joy".into(), serde_json::json!(joy))],
                    scores: vec![("team-joy".into(), Some(joy as f64))],
                },
            })
            .collect()
    }

    #[test]
    fn a_team_under_k_cannot_be_recovered_from_the_total() {
        let cat = Catalog::bundled();
        let q = cat.get("team-reflection").unwrap();
        let defs: BTreeMap<String, _> = [(q.hash.clone(), q.clone())].into();
        let p = Period::parse("2026-W47").unwrap();
        let t = Thresholds::default();
        let d = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let rel =
            |team: &str, r: &[StoredReflection]| compute(&defs, team, p, r, t, d, 1, None).unwrap();
        let (a, b, c) = (rows(q, 9, 4), rows(q, 6, 3), rows(q, 2, 1));
        let all: Vec<StoredReflection> = a.iter().chain(&b).chain(&c).cloned().collect();
        let total = rel(WARD_TOTAL, &all);
        let teams = [rel("A", &a), rel("B", &b), rel("C", &c)];
        let v = view(&total, &teams, t);
        let by = |name: &str| {
            v.teams
                .iter()
                .find(|r| r.team.as_deref() == Some(name))
                .unwrap()
        };
        assert_eq!(by("C").means[0], Err(Hidden::TooFew { have: 2, need: 5 }));
        assert_eq!(by("B").means[0], Ok(3.0), "public in its own huddle");
        assert_eq!(by("A").means[0], Ok(4.0));
        assert_eq!(
            v.total.means[0],
            Err(Hidden::Complementary),
            "the total minus A and B would be C's two"
        );
        // With C at 5 there is nothing to give away.
        let c5 = rows(q, 5, 1);
        let all: Vec<StoredReflection> = a.iter().chain(&b).chain(&c5).cloned().collect();
        let v = view(
            &rel(WARD_TOTAL, &all),
            &[rel("A", &a), rel("B", &b), rel("C", &c5)],
            t,
        );
        assert!(v.total.means[0].is_ok());
        assert!(v.teams.iter().all(|r| r.means[0].is_ok()));
    }
}
