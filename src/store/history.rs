//! One person's history a page at a time: what the History list shows (no
//! answers), by keyset pagination on `(completed_at, id)`, newest first, and
//! a count for "Row 12 of 231". Plain SQL with row values, so a PostgreSQL
//! store answers the same [`HistoryQuery`] with the same statements (and an
//! index on `(respondent_id, completed_at, id)`).

use super::{from_ms, lenient, lossy_text, ms, Result, Store};

use rusqlite::params;

pub use crate::model::{Cursor, HistoryQuery, HistoryRow, PageFrom};

const ROW: &str =
    "SELECT c.id, c.questionnaire_id, c.completed_at, c.is_demo, s.value, s.band_label, s.band_tone, n.label
     FROM checkin c LEFT JOIN score s ON s.checkin_id = c.id AND s.position = 0
     LEFT JOIN answer n ON n.checkin_id = c.id AND n.question_id = 'note'
     WHERE c.respondent_id = ?1";

impl Store {
    /// One page of `q.respondent`'s check-ins, newest first whatever the
    /// direction read. At most `q.limit` rows; a range scan of the
    /// `checkin_by_person_time` (or, filtered, `checkin_by_person`) index.
    pub fn history_page(&mut self, q: &HistoryQuery) -> Result<Vec<HistoryRow>> {
        let filter = if q.questionnaire.is_some() {
            " AND c.questionnaire_id = ?2"
        } else {
            " AND ?2 IS NULL"
        };
        let (key, order, cursor) = match q.from {
            PageFrom::Newest => ("", "DESC", None),
            PageFrom::Oldest => ("", "ASC", None),
            PageFrom::Before(c) => (" AND (c.completed_at, c.id) < (?3, ?4)", "DESC", Some(c)),
            PageFrom::AtOrBefore(c) => (" AND (c.completed_at, c.id) <= (?3, ?4)", "DESC", Some(c)),
            PageFrom::After(c) => (" AND (c.completed_at, c.id) > (?3, ?4)", "ASC", Some(c)),
        };
        let sql =
            format!("{ROW}{filter}{key} ORDER BY c.completed_at {order}, c.id {order} LIMIT ?5");
        let (at, id) = cursor.map(|c| (ms(c.completed_at), c.id)).unwrap_or((0, 0));
        let mut rows: Vec<HistoryRow> = self.sql(|c| {
            let mut st = c.prepare_cached(&sql)?;
            let rows = st.query_map(
                params![q.respondent, q.questionnaire, at, id, q.limit as i64],
                history_row,
            )?;
            rows.collect()
        })?;
        if order == "ASC" {
            rows.reverse();
        }
        Ok(rows)
    }

    /// History's `/`: the page of `q` among the check-ins whose note holds
    /// `q.search` (any case), and how many there are. A code holder's notes
    /// are sealed, readable only with their key, so the search is made here
    /// on the opened rows, never in SQL: one read of the person's rows per
    /// page (see BENCHMARKS.md).
    pub fn search_notes(&mut self, q: &HistoryQuery) -> Result<crate::model::HistorySlice> {
        let words = q.search.clone().unwrap_or_default();
        let mut all = self.history_page(&HistoryQuery {
            search: None,
            from: PageFrom::Newest,
            // SQLite reads a negative LIMIT as none.
            limit: usize::MAX,
            ..q.clone()
        })?;
        if let Some(key) = &q.key {
            self.unseal_rows(&mut all, key)?;
        }
        all.retain(|r| crate::model::note_matches(r.note.as_deref(), &words));
        let total = all.len();
        let key_of = |r: &HistoryRow| (r.completed_at, r.id);
        let at = |c: Cursor| (c.completed_at, c.id);
        // Newest first: a row is "before" a cursor when its key is smaller.
        let rows: Vec<HistoryRow> = match q.from {
            PageFrom::Newest => all.into_iter().take(q.limit).collect(),
            PageFrom::Oldest => {
                let skip = total.saturating_sub(q.limit);
                all.into_iter().skip(skip).collect()
            }
            PageFrom::Before(c) => all
                .into_iter()
                .filter(|r| key_of(r) < at(c))
                .take(q.limit)
                .collect(),
            PageFrom::AtOrBefore(c) => all
                .into_iter()
                .filter(|r| key_of(r) <= at(c))
                .take(q.limit)
                .collect(),
            PageFrom::After(c) => {
                let newer: Vec<HistoryRow> =
                    all.into_iter().filter(|r| key_of(r) > at(c)).collect();
                let skip = newer.len().saturating_sub(q.limit);
                newer.into_iter().skip(skip).collect()
            }
        };
        Ok(crate::model::HistorySlice { total, rows })
    }

    /// How many check-ins `respondent` has (of one questionnaire when given).
    pub fn history_count(&mut self, respondent: i64, questionnaire: Option<&str>) -> Result<usize> {
        self.sql(|c| {
            let n: i64 = match questionnaire {
                Some(qid) => c
                    .prepare_cached(
                        "SELECT count(*) FROM checkin WHERE respondent_id = ?1 AND questionnaire_id = ?2",
                    )?
                    .query_row(params![respondent, qid], |r| r.get(0))?,
                None => c
                    .prepare_cached("SELECT count(*) FROM checkin WHERE respondent_id = ?1")?
                    .query_row([respondent], |r| r.get(0))?,
            };
            Ok(n as usize)
        })
    }
}

fn history_row(r: &rusqlite::Row) -> rusqlite::Result<HistoryRow> {
    let mut bad = false;
    let opt_text = |i: usize, bad: &mut bool| -> rusqlite::Result<Option<String>> {
        Ok(match r.get_ref(i)? {
            rusqlite::types::ValueRef::Null => None,
            _ => Some(lossy_text(r, i, bad)?),
        })
    };
    Ok(HistoryRow {
        id: r.get(0)?,
        questionnaire_id: lossy_text(r, 1, &mut bad)?,
        completed_at: from_ms(lenient(r, 2, &mut bad)),
        is_demo: lenient(r, 3, &mut bad),
        value: lenient(r, 4, &mut bad),
        band_label: opt_text(5, &mut bad)?,
        band_tone: opt_text(6, &mut bad)?,
        note: opt_text(7, &mut bad)?,
        unreadable: bad,
    })
}
