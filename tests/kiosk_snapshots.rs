//! The kiosk's screens rendered into `TestBackend` at 80x24 and at a
//! touch-screen size (100x30), compared with committed snapshots: welcome,
//! team, code and PIN, new code, "Still there?" countdown, result countdown,
//! admin PIN and admin screen.

mod common;
use common::App;
use joy_kiosk::app::kiosk::{AdminView, PinForm, PinPurpose, PinStep};
use joy_kiosk::app::{Action, Screen};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

const SIZES: [(u16, u16); 2] = [(80, 24), (100, 30)];

fn snap(name: &str, app: &mut App) {
    for (w, h) in SIZES {
        app.act_after(
            0,
            Action::Resize {
                width: w,
                height: h,
            },
        );
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| joy_kiosk::ui::draw(f, &app.state)).unwrap();
        let text = common::buffer_lines(t.backend().buffer()).join("\n");
        insta::assert_snapshot!(format!("kiosk_{name}_{w}x{h}"), text);
    }
}

#[test]
fn welcome() {
    let mut app = App::kiosk();
    snap("welcome", &mut app);
}

#[test]
fn team_question() {
    let mut app = App::kiosk();
    app.act(Action::Pick(0));
    assert_eq!(app.state.screen, Screen::Team);
    snap("team", &mut app);
}

#[test]
fn pin_sign_in() {
    let mut app = App::kiosk();
    let mut form = PinForm::new(PinPurpose::SignIn);
    form.code = "maple-otter-42".into();
    form.step = PinStep::Pin;
    form.pin = "123".into();
    app.state.session.pin = Some(form);
    app.state.screen = Screen::Pin;
    snap("pin", &mut app);
}

#[test]
fn pin_wrong() {
    let mut app = App::kiosk();
    let mut form = PinForm::new(PinPurpose::SignIn);
    form.message = Some(joy_kiosk::text::kiosk::NO_MATCH.into());
    app.state.session.pin = Some(form);
    app.state.screen = Screen::Pin;
    snap("pin_wrong", &mut app);
}

#[test]
fn new_code() {
    let mut app = App::kiosk();
    let mut form = PinForm::new(PinPurpose::Create);
    form.code = "maple-otter-42".into();
    app.state.session.pin = Some(form);
    app.state.screen = Screen::Pin;
    snap("new_code", &mut app);
}

#[test]
fn still_there_countdown() {
    let mut app = App::kiosk();
    app.act(Action::Pick(0));
    app.act(Action::Pick(0));
    app.act_after(83_000, Action::Tick);
    snap("countdown", &mut app);
}

#[test]
fn result_countdown() {
    let mut app = App::kiosk();
    app.act(Action::Pick(0));
    app.act(Action::Pick(0));
    for _ in 0..5 {
        app.act(Action::Pick(2));
    }
    app.act(Action::Save);
    assert_eq!(app.state.screen, Screen::Result);
    app.act_after(20_000, Action::Tick);
    snap("result", &mut app);
}

#[test]
fn admin_pin() {
    let mut app = App::kiosk();
    for _ in 0..3 {
        app.act(Action::AdminKey);
    }
    assert_eq!(app.state.screen, Screen::Pin);
    snap("admin_pin", &mut app);
}

#[test]
fn admin_screen() {
    let mut app = App::kiosk();
    app.state.session.admin = Some(AdminView {
        selected: joy_kiosk::app::kiosk::ADMIN_ITEMS
            .iter()
            .position(|i| *i == joy_kiosk::app::kiosk::AdminItem::Retention)
            .unwrap(),
        counts: Some(vec![
            ("Anonymous check-ins".into(), "1,204".into()),
            ("Check-ins by code holders".into(), "310".into()),
            ("Private codes".into(), "41".into()),
            ("Team reflections".into(), "87".into()),
            ("Team actions".into(), "6".into()),
            ("Oldest entry".into(), "2025-11-23".into()),
        ]),
        retention_days: 365,
        in_force: 365,
        rules: None,
        panel: joy_kiosk::text::kiosk::ADMIN_COUNTS,
        scroll: 0,
    });
    app.state.screen = Screen::Admin;
    snap("admin", &mut app);
    // Shortening the retention asks first.
    app.state.confirm = Some(joy_kiosk::app::Confirm::ShortenRetention {
        days: 91,
        from: 365,
    });
    snap("admin_shorten_retention", &mut app);
}

/// The ward rules form: k, texts, a change of period kind still to come,
/// headcounts (one changed, not saved yet), and many teams scrolling.
#[test]
fn admin_ward_rules() {
    use joy_kiosk::app::ward_rules::RulesForm;
    use joy_kiosk::model::{TeamRules, WardSettings};
    use joy_kiosk::period::PeriodKind;
    let mut app = App::kiosk();
    let mut teams: Vec<(String, Option<usize>)> =
        vec![("Ward 7".into(), Some(14)), ("Theatres".into(), None)];
    teams.extend((1..=14).map(|i| (format!("Demo team {i}"), Some(10 + i))));
    let mut form = RulesForm::new(
        WardSettings {
            rules: Some(TeamRules {
                min_group: 5,
                min_group_text: 7,
            }),
            kind: PeriodKind::Week,
            pending: Some((
                chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
                PeriodKind::Month,
            )),
            headcounts: teams,
        },
        TeamRules {
            min_group: 5,
            min_group_text: 5,
        },
    );
    form.selected = 4;
    form.headcounts[1] = Some(9);
    app.state.session.admin = Some(AdminView {
        selected: 5,
        counts: None,
        retention_days: 365,
        in_force: 365,
        rules: Some(form),
        panel: joy_kiosk::text::kiosk::ADMIN_COUNTS,
        scroll: 0,
    });
    app.state.screen = Screen::Admin;
    snap("admin_ward_rules", &mut app);
}

/// The ward rules form on a kiosk delivering to a ward's server: the
/// server's rules, shown only, and where they are changed.
#[test]
fn admin_ward_rules_from_the_server() {
    use joy_kiosk::app::ward_rules::RulesForm;
    use joy_kiosk::model::{TeamRules, WardSettings};
    use joy_kiosk::period::PeriodKind;
    let mut app = App::kiosk();
    let mut form = RulesForm::new(
        WardSettings {
            rules: Some(TeamRules {
                min_group: 6,
                min_group_text: 8,
            }),
            kind: PeriodKind::Month,
            pending: None,
            headcounts: vec![("Ward 7".into(), Some(14))],
        },
        TeamRules {
            min_group: 5,
            min_group_text: 5,
        },
    );
    form.on_server = true;
    app.state.session.admin = Some(AdminView {
        selected: 5,
        counts: None,
        retention_days: 365,
        in_force: 365,
        rules: Some(form),
        panel: joy_kiosk::text::kiosk::ADMIN_COUNTS,
        scroll: 0,
    });
    app.state.screen = Screen::Admin;
    // A change asked: refused, said on the status line.
    app.act(joy_kiosk::app::Action::Right);
    snap("admin_ward_rules_from_the_server", &mut app);
}

/// The data counts of a kiosk delivering to a ward's server are longer
/// than 80x24 leaves under the rows: the panel says there is more, and
/// PgDn shows the rest.
#[test]
fn admin_counts_longer_than_the_screen_scroll() {
    let mut app = App::kiosk();
    let (_, clock) = joy_kiosk::text::kiosk::clock_line(60);
    app.state.session.admin = Some(AdminView {
        selected: 0,
        counts: Some(vec![
            ("Anonymous check-ins".into(), "1,204".into()),
            ("Check-ins by code holders".into(), "310".into()),
            ("Private codes".into(), "41".into()),
            ("Team reflections".into(), "87".into()),
            ("Team actions".into(), "6".into()),
            ("Oldest entry".into(), "2025-11-23".into()),
            joy_kiosk::text::kiosk::rules_on_server(),
            (
                "Waiting for the ward's server".into(),
                "12 entries since 3 Dec; not reachable: the team server failed while connecting"
                    .into(),
            ),
            ("This terminal's clock".into(), clock),
            (
                "Entries kept for".into(),
                "365 days (the configuration's, or its default)".into(),
            ),
        ]),
        retention_days: 365,
        in_force: 365,
        rules: None,
        panel: joy_kiosk::text::kiosk::ADMIN_COUNTS,
        scroll: 0,
    });
    app.state.screen = Screen::Admin;
    let first = common::screen_lines(&app, 80, 24).join("\n");
    assert!(first.contains("more below: PgDn"), "{first}");
    assert!(!first.contains("Entries kept for"), "{first}");
    for _ in 0..4 {
        app.act(Action::PageDown);
    }
    let end = common::screen_lines(&app, 80, 24).join("\n");
    assert!(end.contains("Entries kept for"), "{end}");
    assert!(end.contains("more above: PgUp"), "{end}");
    snap("admin_counts_scrolled", &mut app);
}
