//! Every screen rendered into `TestBackend` at 80x24 and 120x40, compared
//! with committed snapshots (tests/snapshots/). Times are fixed and the time
//! zone is UTC, so dates in snapshots are stable.

mod common;
use common::App;
use joy_kiosk::app::{Action, Screen};
use joy_kiosk::demo;
use joy_kiosk::questionnaire::Catalog;
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use ratatui::Terminal;

fn render(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| joy_kiosk::ui::draw(f, &app.state)).unwrap();
    t
}

fn screen_text(t: &Terminal<TestBackend>) -> String {
    common::buffer_lines(t.backend().buffer()).join("\n")
}

fn utc() {
    // Dates are shown in local time; pin it for stable snapshots.
    std::env::set_var("TZ", "UTC");
}

/// An app with eight weeks of demo WHO-5 history and the given size.
fn with_history(w: u16, h: u16) -> App {
    utc();
    let mut app = App::new();
    let me = app.state.session.respondent.unwrap();
    let cat = Catalog::bundled();
    let list = demo::generate(&cat, me, 120, app.t, 7);
    app.store.save_many(&list).unwrap();
    app.act(Action::Resize {
        width: w,
        height: h,
    });
    app
}

fn fresh(w: u16, h: u16) -> App {
    utc();
    let mut app = App::new();
    app.act(Action::Resize {
        width: w,
        height: h,
    });
    app
}

fn snap(name: &str, app: &App, w: u16, h: u16) {
    let t = render(app, w, h);
    insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen_text(&t));
}

fn home_loaded(w: u16, h: u16) -> App {
    let mut app = with_history(w, h);
    app.act(Action::OpenHistory);
    app.act(Action::Back); // back to home, which loads the summaries
    assert_eq!(app.state.screen, Screen::Home);
    app
}

#[test]
fn home_screens() {
    for (w, h) in [(80, 24), (120, 40)] {
        snap("home_empty", &fresh(w, h), w, h);
        let app = home_loaded(w, h);
        let text = screen_text(&render(&app, w, h));
        assert!(text.contains("Last done"), "{text}");
        snap("home_history", &app, w, h);
    }
}

#[test]
fn question_and_review_screens() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut app = fresh(w, h);
        app.act(Action::Confirm);
        app.act(Action::Down);
        snap("question_who5_1", &app, w, h);
        app.acts(&[
            Action::Pick(0),
            Action::Pick(1),
            Action::Pick(2),
            Action::Pick(3),
        ]);
        snap("question_who5_5", &app, w, h);
        app.act(Action::Pick(5));
        snap("review_who5", &app, w, h);
    }
}

#[test]
fn text_question_shows_its_length_limit() {
    let mut app = fresh(80, 24);
    app.open_joy_note();
    app.type_text("Handover went well");
    let text = screen_text(&render(&app, 80, 24));
    assert!(text.contains("18/4000 characters"), "{text}");
    snap("question_text", &app, 80, 24);
}

#[test]
fn alert_result_with_signposting_and_good_result_with_change() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut app = fresh(w, h);
        app.act(Action::Confirm);
        app.acts(&[
            Action::Pick(4),
            Action::Pick(4),
            Action::Pick(5),
            Action::Pick(4),
            Action::Pick(4),
            Action::Save,
        ]);
        let text = screen_text(&render(&app, w, h));
        assert!(
            text.contains("[alert]") && text.contains("Samaritans"),
            "{text}"
        );
        snap("result_alert", &app, w, h);
        app.act(Action::Confirm);
        app.act(Action::Confirm);
        app.acts(&[
            Action::Pick(1),
            Action::Pick(1),
            Action::Pick(2),
            Action::Pick(2),
            Action::Pick(2),
            Action::Save,
        ]);
        let text = screen_text(&render(&app, w, h));
        assert!(text.contains("Up 52 points since last time"), "{text}");
        assert!(text.contains("a meaningful change (10 or more)"), "{text}");
        snap("result_good", &app, w, h);
    }
}

#[test]
fn history_detail_and_trends_screens() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut app = home_loaded(w, h);
        app.act(Action::OpenHistory);
        snap("history", &app, w, h);
        app.act(Action::Confirm);
        snap("detail", &app, w, h);
        app.acts(&[Action::Back, Action::Back, Action::OpenTrends]);
        let text = screen_text(&render(&app, w, h));
        assert!(text.contains("↓ [alert] Low"), "{text}");
        assert!(text.contains("since the check-in before"), "{text}");
        assert!(
            text.contains("[demo data] All 26 check-ins here are demo data"),
            "{text}"
        );
        snap("trends_3_months", &app, w, h);
        app.act(Action::SetPeriod(joy_kiosk::trends::Period::All));
        snap("trends_all", &app, w, h);
    }
}

#[test]
fn help_and_leave_overlays() {
    let mut app = fresh(80, 24);
    app.act(Action::Help);
    let text = screen_text(&render(&app, 80, 24));
    assert!(
        text.contains("Samaritans: 116 123"),
        "support is never cut off:\n{text}"
    );
    snap("help_home", &app, 80, 24);
    app.act(Action::Back);
    app.acts(&[Action::Confirm, Action::Pick(0), Action::Quit]);
    snap("confirm_leave", &app, 80, 24);
}

#[test]
fn too_small_and_resizes_mid_question_never_panic() {
    let mut app = fresh(80, 24);
    app.acts(&[Action::Confirm, Action::Pick(0)]);
    for (w, h) in [
        (80, 24),
        (40, 12),
        (39, 11),
        (20, 5),
        (1, 1),
        (0, 0),
        (200, 60),
        (80, 24),
    ] {
        app.act(Action::Resize {
            width: w,
            height: h,
        });
        let t = render(&app, w, h);
        if w < 40 || h < 12 {
            if w >= 20 && h >= 4 {
                assert!(screen_text(&t).contains("Please make it"), "{w}x{h}");
            }
        } else {
            let text = screen_text(&t);
            assert!(
                text.contains("Question ") && text.contains(" of 5"),
                "{w}x{h}\n{text}"
            );
            // The question itself is always on screen, whatever else is dropped.
            let c = app.state.session.checkin.as_ref().unwrap();
            let current = &c.question(&app.state.questionnaires[c.questionnaire]).text;
            assert!(text.contains(current.as_str()), "{w}x{h}\n{text}");
        }
        // Clicks anywhere at any size are safe.
        app.act(Action::Click {
            column: w / 2,
            row: h / 2,
        });
    }
}

#[test]
fn no_color_gives_a_monochrome_screen_and_tones_are_words() {
    let mut app = fresh(80, 24);
    app.state.no_color = true;
    app.act(Action::Confirm);
    app.acts(&[
        Action::Pick(5),
        Action::Pick(5),
        Action::Pick(5),
        Action::Pick(5),
        Action::Pick(5),
        Action::Save,
    ]);
    let t = render(&app, 80, 24);
    let b = t.backend().buffer();
    for cell in b.content() {
        assert_eq!(
            (cell.fg, cell.bg),
            (Color::Reset, Color::Reset),
            "colour used under NO_COLOR"
        );
    }
    assert!(screen_text(&t).contains("[alert]"));
    // With colour, the same band is red and still says [alert].
    app.state.no_color = false;
    let t = render(&app, 80, 24);
    let b = t.backend().buffer();
    let y = common::buffer_lines(b)
        .iter()
        .position(|l| l.contains("[alert]"))
        .unwrap() as u16;
    assert_eq!(b[(1, y)].fg, Color::Red);
}

/// An app at `w` x `h` with `days` of demo history ending now, on Trends
/// for WHO-5 over `period`.
fn trends_with_demo(w: u16, h: u16, days: u32, period: joy_kiosk::trends::Period) -> App {
    utc();
    let mut app = App::new();
    let me = app.state.session.respondent.unwrap();
    let list = demo::generate(&Catalog::bundled(), me, days, app.t, 7);
    app.store.save_many(&list).unwrap();
    app.act(Action::Resize {
        width: w,
        height: h,
    });
    app.act(Action::OpenTrends);
    app.act(Action::SetPeriod(period));
    app
}

#[test]
fn trends_at_200x60_use_the_room() {
    use joy_kiosk::trends::Period;
    let app = trends_with_demo(200, 60, 120, Period::Months3);
    let text = screen_text(&render(&app, 200, 60));
    assert!(text.contains("↓ [alert] Low wellbeing"), "{text}");
    snap("trends_3_months", &app, 200, 60);
}

#[test]
fn more_date_labels_at_wider_sizes_and_years_when_the_range_spans_years() {
    use joy_kiosk::trends::Period;
    let date_row = |app: &App, w: u16, h: u16| -> String {
        let lines = common::buffer_lines(render(app, w, h).backend().buffer());
        lines
            .into_iter()
            .find(|l| l.trim_end().ends_with("today"))
            .unwrap_or_default()
    };
    let labels = |row: &str| row.split("  ").filter(|s| !s.trim().is_empty()).count();
    let narrow = trends_with_demo(80, 24, 120, Period::Months3);
    let wide = trends_with_demo(200, 60, 120, Period::Months3);
    let (n80, n200) = (
        labels(&date_row(&narrow, 80, 24)),
        labels(&date_row(&wide, 200, 60)),
    );
    assert!(n80 >= 3 && n200 >= 2 * n80 - 1, "{n80} vs {n200}");
    assert!(!date_row(&narrow, 80, 24).contains("2026"));
    // 400 days reach back into 2025: every date carries its year.
    let long = trends_with_demo(80, 24, 400, Period::All);
    let row = date_row(&long, 80, 24);
    assert!(row.contains("2025") && row.contains("2026"), "{row}");
}

#[test]
fn a_single_checkin_is_drawn_as_a_block_and_named_in_the_legend() {
    for (w, h) in [(80, 24), (200, 60)] {
        let mut app = fresh(w, h);
        app.act(Action::Confirm);
        app.acts(&[
            Action::Pick(2),
            Action::Pick(2),
            Action::Pick(2),
            Action::Pick(3),
            Action::Pick(3),
            Action::Save,
            Action::OpenTrends,
        ]);
        assert_eq!(app.state.screen, Screen::Trends);
        let lines = common::buffer_lines(render(&app, w, h).backend().buffer());
        let text = lines.join("\n");
        assert!(
            text.contains("█ your one check-in in this period"),
            "{text}"
        );
        assert!(
            text.contains("a single check-in in this period, 52 today"),
            "{text}"
        );
        // The block sits in the chart (right of the y axis), on the row of 52.
        let in_chart = lines
            .iter()
            .filter(|l| l.contains('│') && l.split('│').nth(1).is_some_and(|r| r.contains('█')))
            .count();
        assert_eq!(in_chart, 1, "{text}");
        snap("trends_single", &app, w, h);
    }
}

#[test]
fn long_periods_draw_weekly_or_monthly_means_and_say_so() {
    use joy_kiosk::trends::Period;
    // A year of WHO-5 twice a week: 105 check-ins.
    let narrow = trends_with_demo(80, 24, 365, Period::Months12);
    let text = screen_text(&render(&narrow, 80, 24));
    assert!(text.contains("⣿ monthly means (many check-ins)"), "{text}");
    assert!(!text.contains("change of 10 or more"), "{text}");
    snap("trends_12_months", &narrow, 80, 24);
    let wide = trends_with_demo(200, 60, 365, Period::Months12);
    let text = screen_text(&render(&wide, 200, 60));
    assert!(text.contains("⣿ weekly means (many check-ins)"), "{text}");
    snap("trends_12_months", &wide, 200, 60);
    // A short period shows each check-in.
    let short = trends_with_demo(80, 24, 365, Period::Weeks4);
    let text = screen_text(&render(&short, 80, 24));
    assert!(text.contains("⣿ each check-in"), "{text}");
}

#[test]
fn every_score_with_bands_draws_and_names_its_band_lines_and_says_which_score() {
    let mut app = fresh(120, 40);
    app.act(Action::OpenTrends);
    assert_eq!(app.state.screen, Screen::Trends);
    for qi in 0..app.state.questionnaires.len() {
        let q = app.state.questionnaires[qi].clone();
        for (si, score) in q.scores.iter().enumerate() {
            app.state.session.trends.questionnaire = qi;
            app.state.session.trends.score = si;
            let text = screen_text(&render(&app, 120, 40));
            for band in &score.bands {
                let start: String = band.label.chars().take(10).collect();
                assert!(
                    text.contains(&format!(
                        "↓ {} {start}",
                        joy_kiosk::text::tone_word(band.tone)
                    )),
                    "{} › {}: band {:?} not named\n{text}",
                    q.id,
                    score.id,
                    band.label
                );
            }
            if q.scores.len() > 1 {
                let which = format!("score {} of {}", si + 1, q.scores.len());
                assert!(text.contains(&which), "{text}");
            }
        }
    }
}

#[test]
fn left_and_right_move_between_scores_and_the_header_counts_them() {
    let mut app = fresh(80, 24);
    let pp = app
        .state
        .questionnaires
        .iter()
        .position(|q| q.id == "people-promise")
        .unwrap();
    app.state.session.selected = pp;
    app.act(Action::OpenTrends);
    let text = screen_text(&render(&app, 80, 24));
    assert!(text.contains("score 1 of 8"), "{text}");
    app.act(Action::Right);
    let text = screen_text(&render(&app, 80, 24));
    assert!(
        text.contains("We are compassionate and inclusive") && text.contains("score 2 of 8"),
        "{text}"
    );
    assert!(
        text.contains("We are compassionate and inclusive: no check-ins in this period yet."),
        "{text}"
    );
    app.act(Action::Left);
    app.act(Action::Left);
    let text = screen_text(&render(&app, 80, 24));
    assert!(text.contains("score 8 of 8"), "{text}");
}

#[test]
fn trends_draw_at_every_size_and_in_monochrome_under_no_color() {
    use joy_kiosk::trends::Period;
    let mut app = trends_with_demo(80, 24, 400, Period::All);
    for (w, h) in [
        (40, 12),
        (41, 13),
        (52, 14),
        (60, 16),
        (80, 24),
        (137, 33),
        (200, 60),
        (300, 90),
    ] {
        app.act(Action::Resize {
            width: w,
            height: h,
        });
        for p in Period::ALL {
            app.act(Action::SetPeriod(p));
            let text = screen_text(&render(&app, w, h));
            assert!(text.contains("WHO-5"), "{w}x{h}\n{text}");
        }
    }
    app.act(Action::Resize {
        width: 80,
        height: 24,
    });
    app.state.no_color = true;
    let t = render(&app, 80, 24);
    for cell in t.backend().buffer().content() {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset));
    }
    let text = screen_text(&t);
    assert!(
        text.contains("[demo data]") && text.contains("[alert]"),
        "{text}"
    );
}

#[test]
fn a_people_promise_theme_with_bands_draws_its_band_lines() {
    let mut app = fresh(80, 24);
    let pp = app
        .state
        .questionnaires
        .iter()
        .position(|q| q.id == "people-promise")
        .unwrap();
    // Give the second score (a theme) the overall score's bands, as a
    // questionnaire file may; the chart draws and names them.
    let bands = app.state.questionnaires[pp].scores[0].bands.clone();
    assert!(!bands.is_empty());
    app.state.questionnaires[pp].scores[1].bands = bands.clone();
    app.state.session.selected = pp;
    app.act(Action::OpenTrends);
    app.act(Action::Right);
    let text = screen_text(&render(&app, 80, 24));
    assert!(text.contains("score 2 of 8"), "{text}");
    for b in &bands {
        let start: String = b.label.chars().take(8).collect();
        assert!(
            text.contains(&format!("↓ {} {start}", joy_kiosk::text::tone_word(b.tone))),
            "{:?}\n{text}",
            b.label
        );
    }
    assert!(text.contains("┄ top of each band"), "{text}");
}

/// Issue 6 (sections 3 and 4): the changed screens at 80x24 and 200x60.
#[test]
fn screens_at_80x24_and_200x60() {
    for (w, h) in [(80, 24), (200, 60)] {
        snap("i6_home_history", &home_loaded(w, h), w, h);

        let mut app = fresh(w, h);
        app.act(Action::Confirm);
        snap("i6_question_nothing_chosen", &app, w, h);
        app.act(Action::Confirm);
        let text = screen_text(&render(&app, w, h));
        assert!(text.contains("↑↓ then Enter"), "{text}");
        snap("i6_question_how_to_answer", &app, w, h);
        app.acts(&[Action::Pick(0)]);
        snap("i6_question_2_of_5", &app, w, h);
        app.acts(&[
            Action::Pick(1),
            Action::Pick(2),
            Action::Pick(3),
            Action::Pick(5),
        ]);
        snap("i6_review", &app, w, h);

        let mut app = fresh(w, h);
        app.open_joy_note();
        let words: Vec<String> = (1..=40).map(|i| format!("word{i:02}")).collect();
        app.type_text(&words.join(" "));
        snap("i6_question_long_note", &app, w, h);
        app.act(Action::Help);
        snap("i6_help_while_typing", &app, w, h);

        let mut app = fresh(w, h);
        app.acts(&[
            Action::Confirm,
            Action::Pick(5),
            Action::Pick(5),
            Action::Pick(5),
            Action::Pick(5),
            Action::Pick(5),
            Action::Save,
        ]);
        snap("i6_result_alert_top", &app, w, h);
        for _ in 0..30 {
            app.act(Action::Down);
        }
        snap("i6_result_alert_end", &app, w, h);
        app.act(Action::Confirm);
        app.acts(&[Action::Confirm, Action::Pick(0), Action::Quit]);
        snap("i6_confirm_quit", &app, w, h);

        let mut app = with_history(w, h);
        app.act(Action::OpenHistory);
        for _ in 0..11 {
            app.act(Action::Down);
        }
        let text = screen_text(&render(&app, w, h));
        assert!(text.contains("Row 12 of 107"), "{text}");
        snap("i6_history_row_12", &app, w, h);
        app.act(Action::Filter);
        snap("i6_history_filtered", &app, w, h);
        app.act(Action::Delete);
        snap("i6_confirm_delete", &app, w, h);
        app.act(Action::No);
        app.act(Action::Confirm);
        snap("i6_detail", &app, w, h);
    }
}
