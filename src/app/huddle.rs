//! The huddle screen (`joy huddle`): one team's reflections for one period,
//! panel by panel, for a shared display; a presentation mode that steps
//! through the panels one at a time; and the team's actions, recorded
//! from the same screen. Pure like the rest of `update`: loading and saving
//! are effects the runner performs through [`crate::store::Store::huddle`]
//! (so every figure has passed the anonymity rules before it gets here).

use super::{Action, Effect, Loaded, Screen, State};
use crate::anonymity::Thresholds;
use crate::huddle::{ActionStatus, Content, Huddle, TeamAction};
use crate::model::{ActionChange, NewAction, MAX_ACTION_TEXT};
use crate::period::Period;
use crate::questionnaire::Questionnaire;
use chrono::{Days, NaiveDate};
use ratatui::crossterm::event::KeyCode;

/// How long after today a new action's review date is set.
pub const REVIEW_AFTER_DAYS: u64 = 14;

/// How often the huddle screen reads its figures and actions again, so a
/// period released or an action changed elsewhere shows without a restart.
pub const REFRESH_SECS: i64 = 60;

/// The huddle screen's state.
#[derive(Debug, Clone, PartialEq)]
pub struct HuddleView {
    pub team: String,
    pub period: Period,
    /// The team questionnaires that may be shown.
    pub questionnaires: Vec<Questionnaire>,
    pub thresholds: Thresholds,
    /// Filled by the runner (`Loaded::Huddle`): already anonymised.
    pub huddles: Vec<Huddle>,
    /// The team's actions, overdue first.
    pub actions: Vec<TeamAction>,
    /// The ward view of the period (each team beside the ward total), when
    /// its total was released.
    pub ward: Option<Box<crate::ward::WardView>>,
    pub loaded: bool,
    /// Which panel is shown (an index into [`panels`]).
    pub panel: usize,
    /// Presentation mode: one panel fills the screen.
    pub presenting: bool,
    /// The highlighted action on the actions panel.
    pub action_selected: usize,
    /// The chosen action's id: the selection follows the action, not the
    /// row, when the list is sorted again (a status changed, a reload).
    pub selected_action: Option<i64>,
    /// The wording of a new action being typed, while the form is open.
    pub adding: Option<ActionForm>,
    /// The local date, for overdue actions and new review dates.
    pub today: NaiveDate,
    /// When the figures were last asked for (None: not yet).
    pub loaded_at: Option<chrono::DateTime<chrono::Utc>>,
    /// How far the panel showing is scrolled (tallies, texts and actions
    /// longer than the screen); back to the top on another panel.
    pub scroll: u16,
}

impl HuddleView {
    pub fn new(
        team: &str,
        period: Period,
        questionnaires: Vec<Questionnaire>,
        thresholds: Thresholds,
        today: NaiveDate,
    ) -> HuddleView {
        HuddleView {
            team: team.to_string(),
            period,
            questionnaires,
            thresholds,
            huddles: Vec::new(),
            actions: Vec::new(),
            ward: None,
            loaded: false,
            panel: 0,
            presenting: false,
            action_selected: 0,
            selected_action: None,
            adding: None,
            today,
            loaded_at: None,
            scroll: 0,
        }
    }
}

/// The new-action form: the action, an owner, a review date (two weeks
/// ahead, editable), which pebble it answers and who can remove it. Enter
/// moves on a step and saves after the last; Esc cancels.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionForm {
    pub step: FormStep,
    pub action: String,
    pub owner: String,
    /// As typed (YYYY-MM-DD); empty: no review date.
    pub review: String,
    /// The pebbles to choose from (the team questionnaire's), and which is
    /// chosen (None: not said).
    pub pebbles: Vec<String>,
    pub pebble: Option<usize>,
    pub scope: Option<crate::model::ActionScope>,
    /// Why the step could not be left (a date that is not one, or past).
    pub message: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormStep {
    Action,
    Owner,
    Review,
    Pebble,
    Scope,
}

impl ActionForm {
    pub fn new(today: NaiveDate, pebbles: Vec<String>) -> ActionForm {
        ActionForm {
            step: FormStep::Action,
            action: String::new(),
            owner: String::new(),
            review: today
                .checked_add_days(Days::new(REVIEW_AFTER_DAYS))
                .map(|d| d.to_string())
                .unwrap_or_default(),
            pebbles,
            pebble: None,
            scope: None,
            message: None,
        }
    }

    /// The text field being typed in, if the step is one.
    fn field(&mut self) -> Option<(&mut String, usize)> {
        match self.step {
            FormStep::Action => Some((&mut self.action, MAX_ACTION_TEXT)),
            FormStep::Owner => Some((&mut self.owner, MAX_ACTION_TEXT)),
            FormStep::Review => Some((&mut self.review, 10)),
            _ => None,
        }
    }
}

/// The pebbles a new action may answer: the options of the first
/// multiple-choice question of the team questionnaires offered.
fn pebbles_of(qs: &[Questionnaire]) -> Vec<String> {
    qs.iter()
        .flat_map(|q| q.questions.iter())
        .find(|x| matches!(x.kind, crate::questionnaire::QuestionKind::Multi { .. }))
        .map(|x| x.kind.options().iter().map(|c| c.label.clone()).collect())
        .unwrap_or_default()
}

/// One panel of the huddle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    /// A questionnaire's count (and, under k, the only thing shown).
    Summary(usize),
    /// Huddle `.0`, score `.1`: its average, distribution and trend.
    Score(usize, usize),
    /// Huddle `.0`, tally `.1`.
    Tally(usize, usize),
    /// Huddle `.0`, free-text question `.1`.
    Texts(usize, usize),
    /// Each team beside the ward total (when released).
    Ward,
    /// The team's actions.
    Actions,
}

/// A review date as typed: empty is none; a date must be today or later.
pub fn review_date(typed: &str, today: NaiveDate) -> Result<Option<NaiveDate>, String> {
    let t = typed.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match crate::period::parse_date(t) {
        Some(d) if d < today => Err(crate::text::review_passed(d, today)),
        Some(d) => Ok(Some(d)),
        None => Err(crate::text::review_not_a_date(t)),
    }
}

/// The panels in order: for each questionnaire its count, then (at or
/// above k) its scores, tallies and texts; the actions last.
pub fn panels(v: &HuddleView) -> Vec<Panel> {
    let mut out = Vec::new();
    for (i, h) in v.huddles.iter().enumerate() {
        out.push(Panel::Summary(i));
        if let Content::Shown(p) = &h.content {
            out.extend((0..p.scores.len()).map(|s| Panel::Score(i, s)));
            out.extend((0..p.tallies.len()).map(|s| Panel::Tally(i, s)));
            out.extend((0..p.texts.len()).map(|s| Panel::Texts(i, s)));
        }
    }
    // A ward of one team has nothing to set beside it.
    if v.ward.as_ref().is_some_and(|w| w.teams.len() > 1) {
        out.push(Panel::Ward);
    }
    out.push(Panel::Actions);
    out
}

/// The panel showing.
pub fn current(v: &HuddleView) -> Panel {
    let all = panels(v);
    all.get(v.panel.min(all.len().saturating_sub(1)))
        .copied()
        .unwrap_or(Panel::Actions)
}

/// Load (or reload) the huddle shown.
pub fn load(state: &mut State) -> Vec<Effect> {
    let Some(v) = state.huddle.as_mut() else {
        return vec![];
    };
    v.loaded = false;
    state.screen = Screen::Huddle;
    vec![Effect::LoadHuddle {
        team: v.team.clone(),
        period: v.period,
    }]
}

/// On a tick: every [`REFRESH_SECS`], read the figures and actions again
/// (in place: the panel shown stays), and move `today` on at midnight. Not
/// while an action is being typed.
pub fn refresh(state: &mut State, now: chrono::DateTime<chrono::Utc>) -> Vec<Effect> {
    let Some(v) = state.huddle.as_mut() else {
        return vec![];
    };
    let due = v
        .loaded_at
        .is_none_or(|t| now - t >= chrono::Duration::seconds(REFRESH_SECS));
    if !due || v.adding.is_some() {
        return vec![];
    }
    v.loaded_at = Some(now);
    v.today = now.with_timezone(&chrono::Local).date_naive();
    vec![Effect::LoadHuddle {
        team: v.team.clone(),
        period: v.period,
    }]
}

/// Results of the runner's work for the huddle.
pub fn loaded(state: &mut State, l: Loaded) {
    let Some(v) = state.huddle.as_mut() else {
        return;
    };
    if let Loaded::Huddle {
        huddles,
        actions,
        ward,
        notice,
    } = l
    {
        if notice.is_some() {
            state.status = notice;
        }
        v.huddles = huddles;
        v.actions = actions;
        v.ward = ward;
        v.loaded = true;
        v.panel = v.panel.min(panels(v).len().saturating_sub(1));
        v.action_selected = match v
            .selected_action
            .and_then(|id| v.actions.iter().position(|a| a.id == id))
        {
            Some(i) => i,
            None => v.action_selected.min(v.actions.len().saturating_sub(1)),
        };
    }
}

fn next_status(s: ActionStatus) -> ActionStatus {
    match s {
        ActionStatus::Open => ActionStatus::Testing,
        ActionStatus::Testing => ActionStatus::Done,
        ActionStatus::Done => ActionStatus::Dropped,
        ActionStatus::Dropped => ActionStatus::Open,
    }
}

/// The huddle screen's keys.
pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    let Some(v) = state.huddle.as_mut() else {
        return vec![];
    };
    if let Some(form) = v.adding.as_mut() {
        let today = v.today;
        form.message = None;
        match action {
            Action::Edit(k) => match (form.step, k.code) {
                (FormStep::Pebble, KeyCode::Char(c @ '0'..='9')) => {
                    let n = c as usize - '0' as usize;
                    form.pebble = if n == 0 || n > form.pebbles.len() {
                        None
                    } else {
                        Some(n - 1)
                    };
                }
                (FormStep::Scope, KeyCode::Char('t' | 'T' | '1')) => {
                    form.scope = Some(crate::model::ActionScope::Team)
                }
                (FormStep::Scope, KeyCode::Char('w' | 'W' | 's' | 'S' | '2')) => {
                    form.scope = Some(crate::model::ActionScope::System)
                }
                (FormStep::Scope, KeyCode::Char('n' | 'N' | '0')) => form.scope = None,
                (_, KeyCode::Char(c)) if !c.is_control() => {
                    if let Some((f, max)) = form.field() {
                        if f.chars().count() < max {
                            f.push(c);
                        }
                    }
                }
                (_, KeyCode::Backspace) => {
                    if let Some((f, _)) = form.field() {
                        f.pop();
                    }
                }
                _ => {}
            },
            Action::Paste(s) => {
                if let Some((f, max)) = form.field() {
                    let room = max.saturating_sub(f.chars().count());
                    f.extend(
                        s.chars()
                            .map(|c| if c.is_control() { ' ' } else { c })
                            .take(room),
                    );
                }
            }
            Action::Up | Action::Down => {
                let down = action == Action::Down;
                match form.step {
                    FormStep::Pebble => {
                        let n = form.pebbles.len();
                        form.pebble = match (form.pebble, down) {
                            (None, true) if n > 0 => Some(0),
                            (Some(i), true) if i + 1 < n => Some(i + 1),
                            (Some(i), true) => Some(i),
                            (Some(0), false) | (None, false) => None,
                            (Some(i), false) => Some(i - 1),
                            (None, true) => None,
                        };
                    }
                    FormStep::Scope => {
                        use crate::model::ActionScope::{System, Team};
                        form.scope = match (form.scope, down) {
                            (None, true) => Some(Team),
                            (Some(Team), true) | (Some(System), _) => Some(System),
                            (Some(Team), false) | (None, false) => None,
                        };
                    }
                    _ => {}
                }
            }
            Action::Confirm => match form.step {
                FormStep::Action if form.action.trim().is_empty() => {
                    form.message = Some(crate::text::ACTION_EMPTY.to_string());
                }
                FormStep::Action => form.step = FormStep::Owner,
                FormStep::Owner => form.step = FormStep::Review,
                FormStep::Review => match review_date(&form.review, today) {
                    Ok(_) => {
                        form.step = if form.pebbles.is_empty() {
                            FormStep::Scope
                        } else {
                            FormStep::Pebble
                        }
                    }
                    Err(m) => form.message = Some(m),
                },
                FormStep::Pebble => form.step = FormStep::Scope,
                FormStep::Scope => {
                    let review_on = review_date(&form.review, today).ok().flatten();
                    let new = NewAction {
                        team: v.team.clone(),
                        action: form.action.trim().to_string(),
                        owner: form.owner.trim().to_string(),
                        review_on,
                        pebble: form
                            .pebble
                            .and_then(|i| form.pebbles.get(i).cloned())
                            .unwrap_or_default(),
                        scope: form.scope,
                    };
                    v.adding = None;
                    state.status = Some(crate::text::action_recorded(&new.action));
                    return vec![Effect::AddAction(new)];
                }
            },
            Action::Back => v.adding = None,
            _ => {}
        }
        return vec![];
    }
    let before = (v.panel, v.presenting, v.period);
    let effects = move_on(state, action);
    if let Some(v) = state.huddle.as_mut() {
        // Another panel, layout or period starts at its top.
        if (v.panel, v.presenting, v.period) != before {
            v.scroll = 0;
        }
    }
    effects
}

fn page_and_stay(state: &mut State, down: bool) -> Vec<Effect> {
    page(state, down);
    vec![]
}

/// Page through a panel longer than the screen; the page is the panel's
/// height less a line, so the line last seen is seen again.
fn page(state: &mut State, down: bool) {
    let max = crate::ui::huddle::max_scroll(state);
    let step = state.size.1.saturating_sub(8).max(3);
    if let Some(v) = state.huddle.as_mut() {
        v.scroll = if down {
            v.scroll.saturating_add(step).min(max)
        } else {
            v.scroll.saturating_sub(step)
        };
    }
}

fn move_on(state: &mut State, action: Action) -> Vec<Effect> {
    let on_actions = state
        .huddle
        .as_ref()
        .is_some_and(|v| current(v) == Panel::Actions);
    let page_rows = usize::from(state.size.1.saturating_sub(10).max(3));
    match action {
        // On the actions panel a page moves the chosen action, and the
        // list follows it.
        Action::PageDown | Action::PageUp if on_actions => {
            if let Some(v) = state.huddle.as_mut() {
                let last = v.actions.len().saturating_sub(1);
                v.action_selected = if action == Action::PageDown {
                    (v.action_selected + page_rows).min(last)
                } else {
                    v.action_selected.saturating_sub(page_rows)
                };
                v.selected_action = v.actions.get(v.action_selected).map(|a| a.id);
            }
            return vec![];
        }
        Action::PageDown => return page_and_stay(state, true),
        Action::PageUp => return page_and_stay(state, false),
        _ => {}
    }
    let Some(v) = state.huddle.as_mut() else {
        return vec![];
    };
    let last = panels(v).len().saturating_sub(1);
    let on_actions = current(v) == Panel::Actions;
    match action {
        Action::Right | Action::Toggle | Action::Confirm => v.panel = (v.panel + 1).min(last),
        Action::Down if !on_actions => v.panel = (v.panel + 1).min(last),
        Action::Left => v.panel = v.panel.saturating_sub(1),
        Action::Up if !on_actions => v.panel = v.panel.saturating_sub(1),
        Action::Up => {
            v.action_selected = v.action_selected.saturating_sub(1);
            v.selected_action = v.actions.get(v.action_selected).map(|a| a.id);
        }
        Action::Down => {
            v.action_selected = (v.action_selected + 1).min(v.actions.len().saturating_sub(1));
            v.selected_action = v.actions.get(v.action_selected).map(|a| a.id);
        }
        Action::First => v.panel = 0,
        Action::Last => v.panel = last,
        // A tap on an action of the actions panel chooses it.
        Action::PickAction(n) if on_actions && n < v.actions.len() => {
            v.action_selected = n;
            v.selected_action = v.actions.get(n).map(|a| a.id);
        }
        Action::Pick(i) if i <= last => v.panel = i,
        Action::NextPeriod => v.presenting = !v.presenting,
        Action::Back if v.presenting => v.presenting = false,
        Action::NextScore => {
            // Up to the open period (the one holding today), never past it:
            // a future period has nothing to show.
            let open = crate::period::Period::containing(v.period.kind(), v.today);
            if v.period >= open {
                state.status = Some(crate::text::HUDDLE_OPEN_IS_LAST.to_string());
                return vec![];
            }
            v.period = v.period.next();
            // Another period has other panels: start at its summary, or
            // stay on the actions (the last panel of every period).
            v.panel = if on_actions { usize::MAX } else { 0 };
            return load(state);
        }
        Action::PrevScore => {
            v.period = v.period.previous();
            v.panel = if on_actions { usize::MAX } else { 0 };
            return load(state);
        }
        Action::AddAction => {
            v.panel = last;
            v.adding = Some(ActionForm::new(v.today, pebbles_of(&v.questionnaires)));
        }
        Action::Undo if on_actions => {
            if let Some(a) = v.actions.get(v.action_selected) {
                v.selected_action = Some(a.id);
                return vec![Effect::UndoAction { id: a.id }];
            }
        }
        Action::Skip if on_actions => {
            if let Some(a) = v.actions.get_mut(v.action_selected) {
                v.selected_action = Some(a.id);
                // Shown at once, so a second press before the reload
                // moves on from here, not from the old status.
                let next = next_status(a.status);
                a.status = next;
                return vec![Effect::UpdateAction {
                    id: a.id,
                    change: ActionChange {
                        status: Some(next),
                        ..ActionChange::default()
                    },
                }];
            }
        }
        _ => {}
    }
    vec![]
}
