//! The huddle end to end: reflections saved as the kiosk saves them, read
//! back through `Store::huddle` (the anonymity rules) and every output made
//! from it (markdown and CSV exports), with property tests of the threshold.

use chrono::NaiveDate;
use joy_kiosk::anonymity::{Hidden, Thresholds};
use joy_kiosk::demo::Rng;
use joy_kiosk::huddle::{Content, Huddle, TREND_PERIODS};
use joy_kiosk::huddle_export;
use joy_kiosk::period::{Period, PeriodKind};
use joy_kiosk::questionnaire::Catalog;
use joy_kiosk::reflection_gen;
use joy_kiosk::store::Store;
use proptest::prelude::*;
use std::collections::BTreeMap;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// What was saved for one (team, period): how many, the score values and
/// each text question's texts.
#[derive(Default, Debug)]
struct Group {
    n: usize,
    joy: Vec<f64>,
    texts: BTreeMap<String, Vec<String>>,
}

fn everything(h: &[Huddle], team: &str) -> String {
    let today = day("2026-11-22");
    format!(
        "{}\n{}\n{:?}",
        huddle_export::to_markdown(team, h, &[], today),
        huddle_export::to_csv(team, h, &[], today).unwrap(),
        h
    )
}

/// Every panel of the huddle screen for `team`, drawn at 200x60, as text.
fn every_panel_on_screen(store: &mut Store, team: &str, period: Period, t: Thresholds) -> String {
    use joy_kiosk::app::runner::{dispatch, run_effects};
    use joy_kiosk::app::Action;
    let mut settings = joy_kiosk::config::Settings::resolve(
        Some("unused.db".into()),
        Some("/nonexistent-joy-q".into()),
    )
    .unwrap();
    settings.huddle.min_group = t.k();
    settings.huddle.min_group_text = t.text();
    let now = chrono::Utc::now();
    let mut state =
        joy_kiosk::huddle_commands::huddle_state(&settings, team, period, day("2026-11-22"), now);
    let effects = joy_kiosk::app::huddle::load(&mut state);
    run_effects(&mut state, store, effects, now);
    dispatch(
        &mut state,
        store,
        Action::Resize {
            width: 200,
            height: 60,
        },
        now,
    );
    let panels = joy_kiosk::app::huddle::panels(state.huddle.as_ref().unwrap());
    let mut all = String::new();
    for (i, p) in panels.iter().enumerate() {
        // The ward panel shows the other teams' public figures beside
        // this one; its own rules are tried in tests/release_attack.rs.
        if *p == joy_kiosk::app::huddle::Panel::Ward {
            continue;
        }
        dispatch(&mut state, store, Action::Pick(i), now);
        let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(200, 60)).unwrap();
        term.draw(|f| joy_kiosk::ui::draw(f, &state)).unwrap();
        let b = term.backend().buffer();
        for y in 0..b.area.height {
            for x in 0..b.area.width {
                all.push_str(b[(x, y)].symbol());
            }
            all.push('\n');
        }
    }
    all
}

/// Release every period closed by the time `p` may be released (what the
/// kiosk's daily chores do).
fn release_by(store: &mut Store, p: Period, t: Thresholds) {
    let at = p.release_day().and_hms_opt(9, 0, 0).unwrap().and_utc();
    store.release_closed(at, &[], t).unwrap();
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(32),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// For random teams, periods and reflection sets: nothing shown or
    /// exported comes from fewer than k reflections (texts: fewer than the
    /// text threshold of answers), no text of a group under k appears
    /// anywhere, and every figure shown is the true aggregate.
    #[test]
    fn no_output_derives_from_fewer_than_k(
        counts in proptest::collection::vec(0usize..9, 6),
        k in 3usize..6,
        extra_text in 0usize..3,
        text_rate in 0u64..4,
        seed in 1u64..u64::MAX,
    ) {
        let t = Thresholds::new(k, k + extra_text);
        let cat = Catalog::bundled();
        let q = cat.get("team-reflection").unwrap();
        let mut store = Store::open_in_memory().unwrap();
        let teams = ["Ward A", "Ward B"];
        let now = Period::parse("2026-W47").unwrap();
        let periods = now.last_n(3);
        let mut rng = Rng::new(seed);
        let mut groups: BTreeMap<(String, Period), Group> = BTreeMap::new();
        let mut rows = Vec::new();
        for (ti, team) in teams.iter().enumerate() {
            for (pi, p) in periods.iter().enumerate() {
                let n = counts[ti * 3 + pi];
                let g = groups.entry((team.to_string(), *p)).or_default();
                for i in 0..n {
                    let mut saved_texts = Vec::new();
                    let answers = reflection_gen::answers(q, rng.unit(), &mut rng, |qid| {
                        // Unique words, so any leak is found by a search.
                        if (i as u64 + qid.len() as u64) % 4 < text_rate {
                            let s = format!("tok{ti}x{pi}x{i}x{qid}");
                            saved_texts.push((qid.to_string(), s.clone()));
                            s
                        } else {
                            String::new()
                        }
                    });
                    let c = reflection_gen::checkin(q, &answers, team, PeriodKind::Week, p.first_day());
                    g.n += 1;
                    g.joy.extend(c.scores.iter().filter_map(|s| s.value));
                    for (qid, s) in saved_texts {
                        if c.answers.iter().any(|a| a.question_id == qid) {
                            g.texts.entry(qid).or_default().push(s);
                        }
                    }
                    rows.push(c);
                }
            }
        }
        store.save_many(&rows).unwrap();
        release_by(&mut store, now, t);
        for team in teams {
            let h = joy_kiosk::team_view::huddle(&mut store, q, team, now, t).unwrap();
            let out = everything(std::slice::from_ref(&h), team)
                + &every_panel_on_screen(&mut store, team, now, t);
            let g = &groups[&(team.to_string(), now)];
            prop_assert_eq!(h.reflections, g.n);
            // Texts of every group appear only where allowed.
            for ((gt, gp), grp) in &groups {
                for texts in grp.texts.values() {
                    let allowed = gt == team && *gp == now && grp.n >= t.k() && texts.len() >= t.text();
                    for s in texts {
                        prop_assert_eq!(out.contains(s.as_str()), allowed, "{} in {}/{}: {} texts, n {}", s, gt, gp, texts.len(), grp.n);
                    }
                }
            }
            match &h.content {
                // Nothing to release: an empty period stays a count of 0.
                Content::Open { have, .. } => prop_assert_eq!((*have, g.n), (0, 0)),
                Content::NotEnough { have, need } => {
                    prop_assert!(g.n < t.k());
                    prop_assert_eq!((*have, *need), (g.n, t.k()));
                    let want = format!("({} of {})", g.n, t.k());
                    prop_assert!(out.contains(&want), "{}", out);
                    prop_assert!(!out.contains("Average") && !out.contains("distribution"));
                }
                Content::Shown(p) => {
                    prop_assert!(g.n >= t.k());
                    let joy = &p.scores[0];
                    let f = joy.figures.as_ref().unwrap();
                    let mean = g.joy.iter().sum::<f64>() / g.joy.len() as f64;
                    prop_assert!((f.mean - mean).abs() < 1e-9);
                    prop_assert_eq!(f.bars.iter().map(|b| b.count).sum::<usize>(), g.joy.len());
                    prop_assert_eq!(joy.trend.len(), TREND_PERIODS);
                    for point in &joy.trend {
                        let grp = groups.get(&(team.to_string(), point.period));
                        let n = grp.map_or(0, |x| x.n);
                        match point.mean {
                            Ok(m) => {
                                let grp = grp.unwrap();
                                prop_assert!(n >= t.k());
                                let want = grp.joy.iter().sum::<f64>() / grp.joy.len() as f64;
                                prop_assert!((m - want).abs() < 1e-9);
                            }
                            Err(Hidden::NoReflections) => prop_assert_eq!(n, 0),
                            Err(Hidden::TooFew { have, need }) => prop_assert_eq!((have, need), (n, t.k())),
                            Err(Hidden::Complementary) => prop_assert!(false, "no totals in a trend"),
                            Err(Hidden::NoAnswers) => prop_assert!(false, "a trend point counts reflections"),
                            Err(Hidden::Removed) => prop_assert!(false, "nothing was deleted"),
                        }
                    }
                    // The panel and the trend's last point are one figure.
                    prop_assert_eq!(joy.trend.last().unwrap().mean, Ok(f.mean));
                    for tally in &p.tallies {
                        prop_assert_eq!(tally.bars.is_ok(), tally.answered >= t.k());
                        if let Ok(b) = &tally.bars {
                            prop_assert!(b.windows(2).all(|w| w[0].count >= w[1].count), "most common first");
                        }
                    }
                    for tp in &p.texts {
                        prop_assert_eq!(tp.texts.is_ok(), tp.answered >= t.text());
                    }
                }
            }
        }
    }
}

#[test]
fn the_framework_check_names_its_lowest_element() {
    let cat = Catalog::bundled();
    let q = cat.get("hwb-framework").unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let mut rng = Rng::new(3);
    let rows: Vec<_> = (0..6)
        .map(|_| {
            let mut a = reflection_gen::answers(q, 0.9, &mut rng, |_| String::new());
            // Everyone strongly disagrees about the environment.
            for id in ["environment-rest", "environment-kit"] {
                a.insert(
                    id.into(),
                    joy_kiosk::questionnaire::AnswerValue::Choice(
                        joy_kiosk::questionnaire::Scalar::Number(1.0),
                    ),
                );
            }
            reflection_gen::checkin(q, &a, "Ward 7", PeriodKind::Week, day("2026-11-18"))
        })
        .collect();
    store.save_many(&rows).unwrap();
    let w47 = Period::parse("2026-W47").unwrap();
    release_by(&mut store, w47, Thresholds::default());
    let h =
        joy_kiosk::team_view::huddle(&mut store, q, "Ward 7", w47, Thresholds::default()).unwrap();
    let Content::Shown(p) = &h.content else {
        panic!("{h:?}")
    };
    assert_eq!(p.lowest.as_deref(), Some("Environment"));
    assert_eq!(p.scores.len(), 8);
    let md = huddle_export::to_markdown("Ward 7", &[h], &[], day("2026-11-22"));
    assert!(md.contains("Rated lowest: Environment"), "{md}");
}
