//! The kiosk admin's ward rules: k, the free-text threshold, the period
//! kind and each team's headcount, as the store holds them. A row is
//! changed with ←/→ (PgUp/PgDn by ten for a headcount) and recorded with
//! Enter, dated; Enter on the value in force records nothing. The form
//! keeps values, never words: `ui::kiosk` renders it.

use super::{Action, Effect};
use crate::anonymity::MIN_K;
use crate::config::MAX_MIN_GROUP;
use crate::model::{TeamRules, WardSettings};
use crate::period::PeriodKind;

/// Largest headcount the form sets (a ward's team, not a trust).
pub const MAX_HEADCOUNT: usize = 999;

/// A row of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RulesRow {
    /// Team figures from at least k reflections.
    K,
    /// Free texts from at least this many reflections (never below k).
    TextK,
    /// Weeks or months, from the next period on.
    Period,
    /// The headcount of team N (in the form's order).
    Headcount(usize),
    /// Back to the admin rows.
    Back,
}

/// The form: the values being set beside those in force.
#[derive(Debug, Clone, PartialEq)]
pub struct RulesForm {
    pub selected: usize,
    /// As the store holds them; `rules` falls back to the configuration's
    /// while none are recorded.
    pub held: WardSettings,
    pub rules_in_force: TeamRules,
    pub k: usize,
    pub text_k: usize,
    pub kind: PeriodKind,
    pub headcounts: Vec<Option<usize>>,
    /// Esc was pressed once with a row not saved (a second Esc leaves).
    pub warned: bool,
    /// What to tell the admin after the last key (a limit reached, a row
    /// not saved), if anything.
    pub notice: Option<RulesNotice>,
    /// Read from the ward's server, which alone holds the rules: shown
    /// here, changed only there (`joy server rules`, the admin role).
    pub on_server: bool,
}

/// Why a key did nothing, or what a second Esc would lose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RulesNotice {
    KFloor,
    TextFloor,
    Unsaved,
    /// A change asked of rules the ward's server holds.
    OnServer,
}

impl RulesForm {
    /// The form on the settings read from the store (`config`: the rules
    /// while the store has none).
    pub fn new(held: WardSettings, config: TeamRules) -> RulesForm {
        let rules = held.rules.unwrap_or(config);
        RulesForm {
            selected: 0,
            k: rules.min_group,
            text_k: rules.min_group_text.max(rules.min_group),
            kind: held.pending.map_or(held.kind, |(_, k)| k),
            headcounts: held.headcounts.iter().map(|(_, n)| *n).collect(),
            warned: false,
            notice: None,
            on_server: false,
            rules_in_force: rules,
            held,
        }
    }

    /// The form on newly read settings, keeping every row but `saved`
    /// that was changed and not saved in `old` (reading back one saved row
    /// never drops another's change).
    pub fn reread(
        old: &RulesForm,
        held: WardSettings,
        config: TeamRules,
        saved: RulesRow,
    ) -> RulesForm {
        let mut f = RulesForm::new(held, config);
        f.selected = old.selected.min(f.rows().len() - 1);
        for row in old.rows() {
            if row == saved || !old.changed(row) {
                continue;
            }
            match row {
                RulesRow::K => f.k = old.k,
                RulesRow::TextK => f.text_k = old.text_k,
                RulesRow::Period => f.kind = old.kind,
                RulesRow::Headcount(i) => {
                    if let (Some(n), Some(slot)) = (old.headcounts.get(i), f.headcounts.get_mut(i))
                    {
                        *slot = *n;
                    }
                }
                RulesRow::Back => {}
            }
        }
        // Texts never from fewer than the figures on screen.
        f.text_k = f.text_k.max(f.k);
        f
    }

    pub fn rows(&self) -> Vec<RulesRow> {
        let mut v = vec![RulesRow::K, RulesRow::TextK, RulesRow::Period];
        v.extend((0..self.headcounts.len()).map(RulesRow::Headcount));
        v.push(RulesRow::Back);
        v
    }

    pub fn row(&self) -> RulesRow {
        let rows = self.rows();
        rows[self.selected.min(rows.len() - 1)]
    }

    /// The kind that will be in force for the next period: a change still
    /// to come, else the kind in force.
    pub fn kind_ahead(&self) -> PeriodKind {
        self.held.pending.map_or(self.held.kind, |(_, k)| k)
    }

    /// Whether the selected row differs from what the store holds.
    pub fn changed(&self, row: RulesRow) -> bool {
        match row {
            RulesRow::K => self.k != self.rules_in_force.min_group,
            RulesRow::TextK => self.text_k != self.rules_in_force.min_group_text,
            RulesRow::Period => self.kind != self.kind_ahead(),
            RulesRow::Headcount(i) => {
                self.headcounts.get(i).copied().flatten()
                    != self.held.headcounts.get(i).and_then(|(_, n)| *n)
            }
            RulesRow::Back => false,
        }
    }
}

/// What the admin screen does with `action` while the form is open.
/// `Some(effects)`: handled; the caller closes the form on `Back`.
pub fn update(form: &mut RulesForm, action: Action) -> RulesStep {
    let n = form.rows().len();
    form.notice = None;
    if action != Action::Back {
        form.warned = false;
    }
    match action {
        Action::Up | Action::Down => {
            form.selected = super::step(form.selected, n, action == Action::Down);
            RulesStep::Stay(vec![])
        }
        // A digit or a click chooses a row; Enter then saves it.
        Action::Pick(i) if i < n => {
            form.selected = i;
            if form.row() == RulesRow::Back {
                RulesStep::Close
            } else {
                RulesStep::Stay(vec![])
            }
        }
        // The server holds the rules: nothing here changes them.
        Action::Left | Action::Right | Action::PageUp | Action::PageDown | Action::Confirm
            if form.on_server && form.row() != RulesRow::Back =>
        {
            form.notice = Some(RulesNotice::OnServer);
            RulesStep::Stay(vec![])
        }
        Action::Left | Action::Right | Action::PageUp | Action::PageDown => {
            let up = matches!(action, Action::Right | Action::PageUp);
            let by = if matches!(action, Action::PageUp | Action::PageDown) {
                10
            } else {
                1
            };
            change(form, up, by);
            RulesStep::Stay(vec![])
        }
        Action::Confirm => save(form),
        // A row changed and not saved: say so once; a second Esc leaves.
        Action::Back if !form.warned && form.rows().iter().any(|r| form.changed(*r)) => {
            form.warned = true;
            form.notice = Some(RulesNotice::Unsaved);
            RulesStep::Stay(vec![])
        }
        Action::Back => RulesStep::Close,
        _ => RulesStep::Stay(vec![]),
    }
}

/// What the form asks of the admin screen.
#[derive(Debug, PartialEq)]
pub enum RulesStep {
    Stay(Vec<Effect>),
    Close,
}

fn change(form: &mut RulesForm, up: bool, by: usize) {
    let step = |v: usize, lo: usize, hi: usize| {
        if up {
            (v + by).min(hi)
        } else {
            v.saturating_sub(by).max(lo)
        }
    };
    match form.row() {
        RulesRow::K if !up && form.k <= MIN_K => form.notice = Some(RulesNotice::KFloor),
        RulesRow::TextK if !up && form.text_k <= form.k => {
            form.notice = Some(RulesNotice::TextFloor)
        }
        RulesRow::K => {
            form.k = step(form.k, MIN_K, MAX_MIN_GROUP);
            // Texts never from fewer reflections than figures.
            form.text_k = form.text_k.max(form.k);
        }
        RulesRow::TextK => form.text_k = step(form.text_k, form.k, MAX_MIN_GROUP),
        RulesRow::Period => {
            form.kind = match form.kind {
                PeriodKind::Week => PeriodKind::Month,
                PeriodKind::Month => PeriodKind::Week,
            }
        }
        RulesRow::Headcount(i) => {
            if let Some(n) = form.headcounts.get_mut(i) {
                // Not set yet: the first step sets it (to 1, or by ten).
                *n = Some(match *n {
                    None if up => by,
                    None => 1,
                    Some(v) => step(v, 1, MAX_HEADCOUNT),
                });
            }
        }
        RulesRow::Back => {}
    }
}

fn save(form: &mut RulesForm) -> RulesStep {
    let row = form.row();
    if row == RulesRow::Back {
        return RulesStep::Close;
    }
    if !form.changed(row) {
        return RulesStep::Stay(vec![]);
    }
    // Only this row's value: another row changed and not saved stays as
    // it is on screen, not recorded.
    let held = form.rules_in_force;
    let effect = match row {
        RulesRow::K => Effect::SetWardRules(TeamRules {
            min_group: form.k,
            min_group_text: held.min_group_text.max(form.k),
        }),
        RulesRow::TextK => Effect::SetWardRules(TeamRules {
            min_group: held.min_group,
            min_group_text: form.text_k.max(held.min_group),
        }),
        RulesRow::Period => Effect::SetPeriodKind(form.kind),
        RulesRow::Headcount(i) => match (form.held.headcounts.get(i), form.headcounts.get(i)) {
            (Some((team, _)), Some(Some(n))) => Effect::SetHeadcount {
                team: team.clone(),
                n: *n,
            },
            _ => return RulesStep::Stay(vec![]),
        },
        RulesRow::Back => return RulesStep::Close,
    };
    // Read back what was recorded, so the form shows the store's values.
    RulesStep::Stay(vec![effect, Effect::LoadWardRules])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(headcounts: &[(&str, Option<usize>)]) -> RulesForm {
        RulesForm::new(
            WardSettings {
                rules: None,
                kind: PeriodKind::Week,
                pending: None,
                headcounts: headcounts
                    .iter()
                    .map(|(t, n)| (t.to_string(), *n))
                    .collect(),
            },
            TeamRules {
                min_group: 5,
                min_group_text: 5,
            },
        )
    }

    #[test]
    fn enter_on_the_value_in_force_records_nothing() {
        let mut f = form(&[("Ward A", Some(12))]);
        for i in 0..4 {
            f.selected = i;
            assert_eq!(save(&mut f), RulesStep::Stay(vec![]));
        }
    }

    #[test]
    fn texts_never_from_fewer_reflections_than_figures() {
        let mut f = form(&[]);
        for _ in 0..3 {
            update(&mut f, Action::Right);
        }
        assert_eq!((f.k, f.text_k), (8, 8));
        f.selected = 1;
        for _ in 0..10 {
            update(&mut f, Action::Left);
        }
        assert_eq!(f.text_k, 8);
        f.selected = 0;
        for _ in 0..10 {
            update(&mut f, Action::Left);
        }
        assert_eq!(f.k, MIN_K);
        assert_eq!(f.notice, Some(RulesNotice::KFloor), "the floor is said");
    }

    /// Enter saves its own row only: k changed and not saved stays out of
    /// the text threshold's save, and stays on screen after it.
    #[test]
    fn enter_records_its_own_row_only() {
        let mut f = form(&[("Ward A", None)]);
        // k from 5 down to 3, not saved.
        update(&mut f, Action::Left);
        update(&mut f, Action::Left);
        // Texts from 5 up to 6, saved.
        f.selected = 1;
        update(&mut f, Action::Right);
        assert_eq!(
            save(&mut f),
            RulesStep::Stay(vec![
                Effect::SetWardRules(TeamRules {
                    min_group: 5,
                    min_group_text: 6
                }),
                Effect::LoadWardRules
            ])
        );
        // Read back: texts 6 held, k 3 still shown as not saved.
        let held = WardSettings {
            rules: Some(TeamRules {
                min_group: 5,
                min_group_text: 6,
            }),
            ..f.held.clone()
        };
        let again = RulesForm::reread(&f, held, f.rules_in_force, RulesRow::TextK);
        assert_eq!((again.k, again.text_k), (3, 6));
        assert!(again.changed(RulesRow::K) && !again.changed(RulesRow::TextK));
    }

    #[test]
    fn esc_with_a_row_not_saved_asks_once() {
        let mut f = form(&[]);
        update(&mut f, Action::Right);
        assert_eq!(update(&mut f, Action::Back), RulesStep::Stay(vec![]));
        assert_eq!(f.notice, Some(RulesNotice::Unsaved));
        assert_eq!(update(&mut f, Action::Back), RulesStep::Close);
    }

    #[test]
    fn a_headcount_is_set_by_steps_of_one_and_ten() {
        let mut f = form(&[("Ward A", None)]);
        update(&mut f, Action::Pick(3));
        update(&mut f, Action::PageUp);
        update(&mut f, Action::Right);
        update(&mut f, Action::Right);
        assert_eq!(f.headcounts, vec![Some(12)]);
        assert_eq!(
            save(&mut f),
            RulesStep::Stay(vec![
                Effect::SetHeadcount {
                    team: "Ward A".into(),
                    n: 12
                },
                Effect::LoadWardRules
            ])
        );
    }

    #[test]
    fn the_period_row_compares_with_a_change_still_to_come() {
        let mut f = form(&[]);
        f.held.pending = Some((chrono::NaiveDate::MIN, PeriodKind::Month));
        f = RulesForm::new(
            f.held.clone(),
            TeamRules {
                min_group: 5,
                min_group_text: 5,
            },
        );
        assert_eq!(f.kind, PeriodKind::Month);
        f.selected = 2;
        assert_eq!(save(&mut f), RulesStep::Stay(vec![]));
        update(&mut f, Action::Right);
        assert_eq!(
            save(&mut f),
            RulesStep::Stay(vec![
                Effect::SetPeriodKind(PeriodKind::Week),
                Effect::LoadWardRules
            ])
        );
    }
}
