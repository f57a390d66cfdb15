//! The trust view (issue 17, §2): each ward's total beside the trust total
//! for one released period, from released figures only, with
//! complementary suppression across both levels. Pure: releases in, rows
//! out; the rows are a [`WardView`] whose rows are wards.
//!
//! Every team's huddle and every ward's view ([`crate::ward::view`]) are
//! public, so an attacker holds every team shown there. What the trust
//! view adds must not let them work out a hidden team:
//! - a ward's row is its total exactly as its own ward view shows it:
//!   hidden wherever that view hides it (its total minus its shown teams
//!   would leave its hidden teams' 1 to k - 1 answers);
//! - the trust total minus the shown ward rows, minus the shown teams of
//!   the wards whose rows are hidden, is the hidden teams of those wards:
//!   the total is hidden when that leaves 1 to k - 1 answers (and wherever
//!   the trust total minus every shown team would).
//!
//! - a trust total that is not the sum of the wards beside it (released
//!   before a ward's history was imported) is hidden: the checks above
//!   hold only for the parts it is made of.
//!
//! Counts of reflections are not content and are always shown.

use crate::anonymity::{total_beside_public_parts, Hidden, Thresholds};
use crate::release::Release;
use crate::ward::{view as ward_view, WardRow, WardView};

/// One ward's releases of a period: its total and its teams'.
#[derive(Debug, Clone)]
pub struct WardReleases {
    pub ward: String,
    pub total: Release,
    pub teams: Vec<Release>,
}

/// Answers of `r` to score `id` (0 when it has no such panel).
fn answered(r: &Release, id: &str) -> usize {
    r.panels
        .as_ref()
        .and_then(|p| p.scores.iter().find(|s| s.id == id))
        .map_or(0, |p| p.answered)
}

/// The trust view of the trust total `total` and each ward's releases,
/// under the reader's `reader` thresholds (raised to those each was
/// released with).
pub fn view(total: &Release, wards: &[WardReleases], reader: Thresholds) -> TrustView {
    let inner: Vec<WardView> = wards
        .iter()
        .map(|w| ward_view(&w.total, &w.teams, reader))
        .collect();
    // The trust total beside every team: the check the ward view makes.
    let all_teams: Vec<Release> = wards.iter().flat_map(|w| w.teams.clone()).collect();
    let flat = ward_view(total, &all_teams, reader);
    let k = inner
        .iter()
        .map(|v| v.thresholds.k())
        .chain([flat.thresholds.k()])
        .max()
        .unwrap_or(reader.k());
    let mut rows = Vec::with_capacity(wards.len());
    for (w, v) in wards.iter().zip(&inner) {
        rows.push(WardRow {
            team: Some(w.ward.clone()),
            reflections: w.total.reflections,
            means: v.total.means.clone(),
        });
    }
    let mut total_row = flat.total.clone();
    // A trust total that is not made of exactly these wards (one released
    // before a ward joined the server, or a reader shown only some) cannot
    // be checked against them: hidden.
    let made_of: usize = wards.iter().map(|w| w.total.reflections).sum();
    if total.reflections != made_of {
        for m in &mut total_row.means {
            *m = Err(Hidden::Complementary);
        }
    }
    for (s, (id, _)) in flat.scores.iter().enumerate() {
        // The hidden teams of the wards whose rows are hidden: what the
        // trust total minus everything shown leaves.
        let mut left = 0usize;
        for (w, v) in wards.iter().zip(&inner) {
            if v.total.means.get(s).is_some_and(Result::is_ok) {
                continue;
            }
            let shown: usize = w
                .teams
                .iter()
                .filter(|r| {
                    v.teams.iter().any(|row| {
                        row.team.as_deref() == Some(r.team.as_str())
                            && row.means.get(s).is_some_and(Result::is_ok)
                    })
                })
                .map(|r| answered(r, id))
                .sum();
            left += answered(&w.total, id).saturating_sub(shown);
        }
        let total_answers = answered(total, id);
        if let Some(m) = total_row.means.get_mut(s) {
            if m.is_ok()
                && total_beside_public_parts(
                    total_answers,
                    total_answers - left.min(total_answers),
                    k,
                )
                .is_err()
            {
                *m = Err(Hidden::Complementary);
            }
        }
    }
    TrustView {
        view: WardView {
            period: total.period,
            questionnaire_id: total.questionnaire_id.clone(),
            title: total.title.clone(),
            name: None,
            thresholds: Thresholds::new(k, reader.text()),
            scores: flat.scores,
            teams: rows,
            total: total_row,
        },
        wards: inner,
    }
}

/// The trust view: the wards side by side (`view`, rows named by ward)
/// and each ward's own view of its teams (`wards`, in the same order).
#[derive(Debug, Clone, PartialEq)]
pub struct TrustView {
    pub view: WardView,
    pub wards: Vec<WardView>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::period::Period;
    use crate::questionnaire::Catalog;
    use crate::release::{compute, StoredReflection};
    use crate::ward::WARD_TOTAL;
    use chrono::NaiveDate;
    use std::collections::BTreeMap;

    fn rows(n: usize, joy: i64) -> Vec<StoredReflection> {
        let cat = Catalog::bundled();
        crate::ward::tests::rows(cat.get("team-reflection").expect("bundled"), n, joy)
    }

    fn release(team: &str, r: &[StoredReflection]) -> Release {
        let cat = Catalog::bundled();
        let q = cat.get("team-reflection").expect("bundled");
        let defs: BTreeMap<String, _> = [(q.hash.clone(), q.clone())].into();
        let p = Period::parse("2026-W47").expect("a week");
        let d = NaiveDate::from_ymd_opt(2026, 11, 24).expect("a day");
        compute(&defs, team, p, r, Thresholds::default(), d, 1, None).expect("a release")
    }

    /// A trust of `wards`, each (name, its teams as (name, reflections,
    /// joy)): the trust total's release and each ward's.
    /// A team: its name, how many reflections, their joy rating.
    type Team<'a> = (&'a str, usize, i64);

    fn trust(wards: &[(&str, &[Team])]) -> (Release, Vec<WardReleases>) {
        let mut all = Vec::new();
        let wards = wards
            .iter()
            .map(|(ward, teams)| {
                let rows: Vec<(&str, Vec<StoredReflection>)> = teams
                    .iter()
                    .map(|(t, n, joy)| (*t, rows(*n, *joy)))
                    .collect();
                let mine: Vec<StoredReflection> =
                    rows.iter().flat_map(|(_, r)| r.clone()).collect();
                all.extend(mine.clone());
                WardReleases {
                    ward: ward.to_string(),
                    total: release(ward, &mine),
                    teams: rows.iter().map(|(t, r)| release(t, r)).collect(),
                }
            })
            .collect();
        (release(WARD_TOTAL, &all), wards)
    }

    fn row<'a>(v: &'a TrustView, ward: &str) -> &'a WardRow {
        v.view
            .teams
            .iter()
            .find(|r| r.team.as_deref() == Some(ward))
            .expect("a ward row")
    }

    /// Ward "North" has teams A (9) and B (2): its own ward view hides its
    /// total (it minus A is B's two). The trust view must not show North's
    /// total either, or North's total minus A (public) is B.
    #[test]
    fn a_wards_total_its_own_view_hides_is_hidden_here_too() {
        let (total, wards) = trust(&[
            ("North", &[("A", 9, 4), ("B", 2, 1)]),
            ("South", &[("C", 6, 3), ("D", 7, 5)]),
        ]);
        let v = view(&total, &wards, Thresholds::default());
        assert_eq!(
            row(&v, "North").means[0],
            Err(Hidden::Complementary),
            "North's total minus A would be B's two"
        );
        assert_eq!(row(&v, "South").means[0], Ok(4.076923076923077));
        // And the trust total minus South minus A is B again.
        assert_eq!(v.view.total.means[0], Err(Hidden::Complementary));
        assert_eq!(v.view.total.reflections, 24, "counts are always shown");
    }

    /// The attack the flat check misses: South hides two teams of 3 (six
    /// together, so South's total is shown and the trust total beside
    /// every team hides nothing), North hides B's two. The trust total
    /// minus South's total minus A is B: the total must be hidden.
    #[test]
    fn the_trust_total_never_gives_away_what_a_hidden_ward_row_hid() {
        let (total, wards) = trust(&[
            ("North", &[("A", 9, 4), ("B", 2, 1)]),
            ("South", &[("C", 9, 3), ("D", 3, 2), ("E", 3, 5)]),
        ]);
        // Beside every team alone, the total would be shown (8 hidden).
        let all_teams: Vec<Release> = wards.iter().flat_map(|w| w.teams.clone()).collect();
        assert!(ward_view(&total, &all_teams, Thresholds::default())
            .total
            .means[0]
            .is_ok());
        let v = view(&total, &wards, Thresholds::default());
        assert!(row(&v, "South").means[0].is_ok());
        assert_eq!(v.view.total.means[0], Err(Hidden::Complementary));
    }

    /// Two wards each hiding a small team: together the hidden teams make
    /// k or more, so the trust total gives none of them away alone.
    #[test]
    fn hidden_parts_that_make_k_together_leave_the_total_shown() {
        let (total, wards) = trust(&[
            ("North", &[("A", 9, 4), ("B", 3, 1)]),
            ("South", &[("C", 8, 3), ("D", 3, 2)]),
        ]);
        let v = view(&total, &wards, Thresholds::default());
        assert!(v.view.teams.iter().all(|r| r.means[0].is_err()));
        // 3 + 3 hidden answers, k = 5: the total minus everything shown
        // is six people, as many as a shown figure may hold.
        assert!(v.view.total.means[0].is_ok(), "{:?}", v.view.total);
    }

    /// A ward moved onto the trust's server after a period's trust total
    /// was released (`joy server import --ward`): that total holds North
    /// only, but South's rows stand beside it. South hides D's three,
    /// North hides B's two; counted together as the total's hidden part
    /// they make five (k), yet South's are not in it: the total minus A is
    /// B's two. A trust total that is not the sum of its wards is hidden.
    #[test]
    fn a_trust_total_released_before_a_ward_joined_gives_nothing_away() {
        let (_, wards) = trust(&[
            ("North", &[("A", 9, 4), ("B", 2, 1)]),
            ("South", &[("C", 9, 3), ("D", 3, 2)]),
        ]);
        let (north_only, _) = trust(&[("North", &[("A", 9, 4), ("B", 2, 1)])]);
        let v = view(&north_only, &wards, Thresholds::default());
        assert_eq!(row(&v, "North").means[0], Err(Hidden::Complementary));
        assert_eq!(v.view.total.means[0], Err(Hidden::Complementary));
    }
}
