//! History's `/` (issue 18 §3): finding check-ins by words in their notes.
//! A code holder's notes are sealed, so the search opens the person's rows
//! in the app rather than in SQL: one read of every row per page. Measured
//! on 10,000 check-ins (27 years of daily WHO-5), a third with a note, in
//! memory and on a file, beside the same page read without a search.

use chrono::{Duration, Utc};
use joy_kiosk::model::{HistoryQuery, PageFrom};
use joy_kiosk::questionnaire::{AnswerValue, Catalog};
use joy_kiosk::store::{Store, TerminalStore};

fn main() {
    divan::main();
}

fn store_with_notes(n: usize) -> (Store, i64) {
    let mut store = Store::open_in_memory().expect("a database");
    let me = store.local_respondent().expect("the local person");
    let cat = Catalog::bundled();
    let q = cat.get("who5").expect("bundled");
    let mut rng = joy_kiosk::demo::Rng::new(9);
    let now = Utc::now();
    let mut rows = Vec::with_capacity(n);
    for i in 0..n {
        let at = now - Duration::hours(24 * i as i64 + 2);
        let mut a = joy_kiosk::demo::answers_at(q, rng.unit(), &mut rng);
        if i % 3 == 0 {
            let words = if i % 30 == 0 {
                "rota swap"
            } else {
                "long shift"
            };
            a.insert(
                "note".into(),
                AnswerValue::Text(format!("Day {i}: {words}.\nSlept badly after.")),
            );
        }
        let o = joy_kiosk::questionnaire::score(q, &a);
        rows.push(joy_kiosk::model::NewCheckin::from_outcome(
            q,
            &a,
            &o,
            Some(me),
            at,
            at,
        ));
    }
    store.save_many(&rows).expect("check-ins");
    (store, me)
}

fn query(me: i64, search: Option<&str>) -> HistoryQuery {
    HistoryQuery {
        respondent: me,
        key: None,
        questionnaire: None,
        search: search.map(str::to_string),
        from: PageFrom::Newest,
        limit: 40,
    }
}

#[divan::bench(sample_count = 30)]
fn page_without_search_10k(b: divan::Bencher) {
    let (mut store, me) = store_with_notes(10_000);
    b.bench_local(|| {
        TerminalStore::history_page(&mut store, &query(me, None))
            .expect("a page")
            .total
    });
}

#[divan::bench(sample_count = 30)]
fn search_notes_10k(b: divan::Bencher) {
    let (mut store, me) = store_with_notes(10_000);
    b.bench_local(|| {
        let page =
            TerminalStore::history_page(&mut store, &query(me, Some("ROTA"))).expect("a page");
        assert_eq!(page.total, 334);
        page.total
    });
}
