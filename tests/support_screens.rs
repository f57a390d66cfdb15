//! Support wherever a low score is shown: Result, Detail, Trends (when the
//! latest point is in an alert band) and Home offer the support text one
//! key (`!`) or one click away and say so; the trust's own support lines
//! from the configuration file are shown with it; an item flag with its
//! own support brings it even when the total is reassuring.

mod common;
use common::{screen_lines, App};
use joy_kiosk::app::{Action, Screen, State};
use joy_kiosk::questionnaire::load_path;

const LOCAL: &str = "Trust wellbeing hub: 0300 000 0000 (demo line)";

fn text(app: &App, w: u16, h: u16) -> String {
    screen_lines(app, w, h).join("\n")
}

fn app() -> App {
    let mut a = App::new();
    a.state.local_support = vec![LOCAL.to_string()];
    a
}

/// A WHO-5 check-in answered with `row` (0 = "All of the time", 5 = "At no time").
fn who5(a: &mut App, row: usize) {
    a.select("who5");
    a.act(Action::Confirm);
    for _ in 0..5 {
        a.act(Action::Pick(row));
    }
    a.act(Action::Save);
    assert_eq!(a.state.screen, Screen::Result);
}

/// Where `label` is drawn, as (column, row).
fn find(app: &App, w: u16, h: u16, label: &str) -> (u16, u16) {
    for (y, line) in screen_lines(app, w, h).iter().enumerate() {
        if let Some(b) = line.find(label) {
            return (line[..b].chars().count() as u16, y as u16);
        }
    }
    panic!("{label:?} not on screen:\n{}", text(app, w, h));
}

#[test]
fn a_low_result_shows_support_with_local_lines_and_offers_it_again() {
    let mut a = app();
    who5(&mut a, 5);
    let t = text(&a, 80, 24);
    assert!(t.contains("! support"), "key bar offers it:\n{t}");
    assert!(t.contains("Support is available"), "{t}");
    // The overlay, by key: the questionnaire's support and the trust's line.
    a.act(Action::Support);
    let t = text(&a, 80, 24);
    assert!(t.contains("Samaritans") && t.contains(LOCAL), "{t}");
    a.act(Action::Back);
    assert!(!a.state.support);
    // And by a click on the key bar, then on the close button in the box.
    let (x, y) = find(&a, 80, 24, "! support");
    a.act(Action::Click { column: x, row: y });
    assert!(a.state.support, "click opened support");
    let (x, y) = find(&a, 80, 24, "[ Esc close ]");
    a.act(Action::Click {
        column: x + 2,
        row: y,
    });
    assert!(!a.state.support, "click on the box's button closed it");
}

#[test]
fn a_good_result_does_not_nag_but_support_is_still_one_key_away() {
    let mut a = app();
    who5(&mut a, 0);
    let t = text(&a, 80, 24);
    assert!(
        !t.contains("! support") && !t.contains("Support is available"),
        "{t}"
    );
    a.act(Action::Support);
    let t = text(&a, 80, 24);
    assert!(
        t.contains("Samaritans 116 123") && t.contains(LOCAL),
        "general support:\n{t}"
    );
}

#[test]
fn detail_home_and_trends_of_a_low_score_say_where_support_is() {
    let mut a = app();
    who5(&mut a, 5);
    a.act(Action::Confirm); // home
    assert_eq!(a.state.screen, Screen::Home);
    let t = text(&a, 80, 24);
    assert!(t.contains("alert band: press !"), "home says so:\n{t}");
    assert!(t.contains("! support"), "{t}");
    a.act(Action::Support);
    assert!(text(&a, 80, 24).contains("Samaritans"));
    a.act(Action::Back);

    a.act(Action::OpenTrends);
    assert_eq!(a.state.screen, Screen::Trends);
    let t = text(&a, 80, 24);
    assert!(t.contains("alert band: press !"), "trends says so:\n{t}");
    a.act(Action::Support);
    assert!(text(&a, 80, 24).contains("Samaritans"));
    a.act(Action::Back);

    a.act(Action::OpenHistory);
    a.act(Action::Confirm);
    assert_eq!(a.state.screen, Screen::Detail);
    let t = text(&a, 100, 30);
    assert!(t.contains("alert band: press !"), "detail says so:\n{t}");
    a.act(Action::Support);
    assert!(text(&a, 100, 30).contains(LOCAL));
}

#[test]
fn trends_only_offer_support_when_the_latest_point_is_in_an_alert_band() {
    let mut a = app();
    who5(&mut a, 5);
    a.act(Action::Confirm);
    who5(&mut a, 0); // recovered since
    a.act(Action::Confirm);
    a.act(Action::OpenTrends);
    let t = text(&a, 80, 24);
    assert!(
        !t.contains("alert band: press !") && !t.contains("! support"),
        "{t}"
    );
    // Home shows the latest (good) score: no nudge there either.
    a.act(Action::Back);
    assert!(!text(&a, 80, 24).contains("alert band: press !"));
}

#[test]
fn an_alert_flag_brings_its_own_support_even_when_the_total_is_low() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/questionnaires/valid/phq9-like.toml"
    );
    let q = load_path(std::path::Path::new(path)).expect("fixture loads");
    let mut a = app();
    a.state = State::new(vec![q], a.state.session.respondent, a.t);
    a.state.local_support = vec![LOCAL.to_string()];
    a.act(Action::Resize {
        width: 100,
        height: 40,
    });
    a.act(Action::Confirm);
    // Every item "Not at all" except the last one "Several days".
    for i in 0..9 {
        a.act(Action::Pick(usize::from(i == 8)));
    }
    a.act(Action::Save);
    assert_eq!(a.state.screen, Screen::Result);
    let o = &a.state.session.result.as_ref().unwrap().outcome;
    assert!(!o.flags.is_empty(), "the flag fired");
    let flag_text = o.flags[0]
        .signposting
        .clone()
        .expect("the flag has support text");
    // Scroll through the whole result: the flag's support is there, with the local line.
    let mut seen = String::new();
    for _ in 0..30 {
        seen.push_str(&text(&a, 100, 40));
        a.act(Action::Down);
    }
    // (Its start: the rest wraps onto the next line.)
    let first_line: String = flag_text.chars().take(30).collect();
    assert!(
        seen.contains(&first_line),
        "{first_line:?} not shown:\n{seen}"
    );
    assert!(seen.contains(LOCAL), "{seen}");
    assert!(text(&a, 100, 40).contains("! support"));
}

#[test]
fn support_overlay_snapshots() {
    std::env::set_var("TZ", "UTC");
    for (w, h) in [(80u16, 24u16), (200, 60)] {
        let mut a = app();
        a.act(Action::Resize {
            width: w,
            height: h,
        });
        who5(&mut a, 5);
        a.act(Action::Support);
        insta::assert_snapshot!(format!("support_overlay_{w}x{h}"), text(&a, w, h));
    }
}
