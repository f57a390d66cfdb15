//! The History list at any size: the state holds the count and a window of
//! loaded rows around what is on screen; moving past the window asks the
//! runner for the next page by keyset (`Store::history_page`), so every key
//! reads at most a few pages, whether the person has 20 check-ins or 20,000.

use super::{Effect, State};
use crate::model::{HistoryRow, PageFrom};

/// The most rows kept loaded; older parts of the window are dropped.
pub const MAX_WINDOW: usize = 400;

/// `total` rows, newest first, of which `rows` (starting at row `offset`) are loaded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HistoryList {
    pub total: usize,
    pub offset: usize,
    pub rows: Vec<HistoryRow>,
}

impl HistoryList {
    /// How many rows the list has (not how many are loaded).
    pub fn len(&self) -> usize {
        self.total
    }
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }
    /// Row `i` of the whole list, if it is loaded.
    pub fn get(&self, i: usize) -> Option<&HistoryRow> {
        i.checked_sub(self.offset).and_then(|j| self.rows.get(j))
    }
    /// The loaded rows.
    pub fn iter(&self) -> std::slice::Iter<'_, HistoryRow> {
        self.rows.iter()
    }
    /// Where the loaded row with this id is in the whole list.
    pub fn index_of(&self, id: i64) -> Option<usize> {
        self.rows
            .iter()
            .position(|r| r.id == id)
            .map(|j| j + self.offset)
    }
    /// Are rows `a..b` all loaded?
    pub fn covers(&self, a: usize, b: usize) -> bool {
        a >= b || (a >= self.offset && b <= self.offset + self.rows.len())
    }
}

impl std::ops::Index<usize> for HistoryList {
    type Output = HistoryRow;
    /// Row `i` of the whole list; panics if it is not loaded (like a
    /// slice out of range). Use [`HistoryList::get`] where it may not be.
    fn index(&self, i: usize) -> &HistoryRow {
        match self.get(i) {
            Some(r) => r,
            None => panic!(
                "history row {i} is not loaded (rows {}..{} of {})",
                self.offset,
                self.offset + self.rows.len(),
                self.total
            ),
        }
    }
}

/// A page to load: the query, and where its rows go in the list.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryRequest {
    pub questionnaire: Option<String>,
    /// Only check-ins whose note holds these words (History's `/`).
    pub search: Option<String>,
    pub from: PageFrom,
    pub limit: usize,
    /// The list index of the cursor's row (`Before`, `AtOrBefore`, `After`).
    pub anchor: usize,
    /// Replace the window (after opening, filtering or deleting) rather
    /// than add to it.
    pub replace: bool,
    /// A follow-up load: do not ask again if the rows still do not cover the screen.
    pub follow_up: bool,
}

/// What a history load brings back.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryPage {
    pub request: HistoryRequest,
    pub total: usize,
    /// Newest first.
    pub rows: Vec<HistoryRow>,
}

impl HistoryPage {
    /// The list index of the first row.
    fn start(&self) -> usize {
        let n = self.rows.len();
        match self.request.from {
            PageFrom::Newest => 0,
            PageFrom::Oldest => self.total.saturating_sub(n),
            PageFrom::Before(_) => self.request.anchor + 1,
            PageFrom::AtOrBefore(_) => self.request.anchor,
            PageFrom::After(_) => self.request.anchor.saturating_sub(n),
        }
    }
}

/// Rows on screen now: `a..b`.
fn visible(state: &State) -> (usize, usize, usize) {
    let h = crate::ui::history_page(state).max(1);
    let total = state.session.history.total;
    let off = crate::ui::scroll_offset(state.session.history_selected, total, h);
    (off, (off + h).min(total), h)
}

/// Open the list (or apply a filter): the newest page, replacing the window.
pub(crate) fn reload_from_top(state: &mut State) -> Effect {
    let (_, _, h) = visible(state);
    state.session.history = HistoryList::default();
    state.session.history_selected = 0;
    Effect::LoadHistory(HistoryRequest {
        questionnaire: state.session.history_filter.clone(),
        search: state.session.history_search.clone(),
        from: PageFrom::Newest,
        limit: 2 * h,
        anchor: 0,
        replace: true,
        follow_up: false,
    })
}

/// After a delete: the same place in the list, counted again.
pub(crate) fn reload_here(state: &mut State) -> Effect {
    let (_, _, h) = visible(state);
    let list = std::mem::take(&mut state.session.history);
    let (from, anchor) = match list.rows.first() {
        Some(r) => (PageFrom::AtOrBefore(r.cursor()), list.offset),
        None => (PageFrom::Newest, 0),
    };
    Effect::LoadHistory(HistoryRequest {
        questionnaire: state.session.history_filter.clone(),
        search: state.session.history_search.clone(),
        from,
        limit: list.rows.len().max(2 * h),
        anchor,
        replace: true,
        follow_up: false,
    })
}

/// The rows on screen that are not loaded yet, as one load (or none).
pub(crate) fn fill(state: &State, follow_up: bool) -> Vec<Effect> {
    let (a, b, h) = visible(state);
    let list = &state.session.history;
    if list.covers(a, b) {
        return vec![];
    }
    let total = list.total;
    let (o, e) = (list.offset, list.offset + list.rows.len());
    let request = |from, limit: usize, anchor| {
        vec![Effect::LoadHistory(HistoryRequest {
            questionnaire: state.session.history_filter.clone(),
            search: state.session.history_search.clone(),
            from,
            limit: limit.max(1),
            anchor,
            replace: false,
            follow_up,
        })]
    };
    // Read from whichever known place is nearest: the window's edges or
    // either end of the list; a page more in the direction of travel.
    let from_top = b + h;
    let from_bottom = total - a + h;
    let mut best = if from_top <= from_bottom {
        (PageFrom::Newest, from_top, 0)
    } else {
        (PageFrom::Oldest, from_bottom, 0)
    };
    if let (Some(last), true) = (list.rows.last(), b > e && a >= o) {
        let n = b - e + h;
        if n < best.1 {
            best = (PageFrom::Before(last.cursor()), n, e - 1);
        }
    }
    if let (Some(first), true) = (list.rows.first(), a < o && b <= e) {
        let n = o - a + h;
        if n < best.1 {
            best = (PageFrom::After(first.cursor()), n, o);
        }
    }
    request(best.0, best.1, best.2)
}

/// A page arrived: place it, keep the selection in range, and load what
/// the screen still lacks (once).
pub(crate) fn loaded(state: &mut State, page: HistoryPage) -> Vec<Effect> {
    if page.request.questionnaire != state.session.history_filter
        || page.request.search != state.session.history_search
    {
        // An answer to an older filter.
        return vec![];
    }
    let start = page.start();
    let list = &mut state.session.history;
    let joins = !page.request.replace
        && list.total == page.total
        && !list.rows.is_empty()
        && start <= list.offset + list.rows.len()
        && start + page.rows.len() >= list.offset;
    if joins {
        let (o, e) = (list.offset, list.offset + list.rows.len());
        let new_o = o.min(start);
        let mut rows = Vec::with_capacity(e.max(start + page.rows.len()) - new_o);
        let old = std::mem::take(&mut list.rows);
        // Newer part from the page, then the window, then the older part.
        rows.extend(page.rows.iter().take(o.saturating_sub(start)).cloned());
        rows.extend(old);
        let skip = e.saturating_sub(start);
        rows.extend(page.rows.iter().skip(skip).cloned());
        list.offset = new_o;
        list.rows = rows;
    } else {
        list.total = page.total;
        list.offset = start;
        list.rows = page.rows;
    }
    let last = state.session.history.total.saturating_sub(1);
    state.session.history_selected = state.session.history_selected.min(last);
    trim(state);
    if page.request.follow_up {
        vec![]
    } else {
        fill(state, true)
    }
}

/// Keep the window at most [`MAX_WINDOW`] rows, around the selection.
fn trim(state: &mut State) {
    let sel = state.session.history_selected;
    let list = &mut state.session.history;
    if list.rows.len() <= MAX_WINDOW {
        return;
    }
    let half = MAX_WINDOW / 2;
    let want_o = sel
        .saturating_sub(half)
        .clamp(list.offset, list.offset + list.rows.len() - MAX_WINDOW);
    let from = want_o - list.offset;
    list.rows = list.rows[from..from + MAX_WINDOW].to_vec();
    list.offset = want_o;
}
