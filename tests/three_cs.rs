//! Health creation (issue 18 §7): a short personal check-in of confidence,
//! control and contact, a subscale each and an overall score, marked as not
//! a validated clinical instrument; the result names the lowest C and what
//! would help with it (the engine's `[focus]` rule), with the usual support
//! when it is low; its subscales show in Trends like any other score.

mod common;

use common::{screen_lines, App};
use joy_kiosk::app::{Action, Screen};
use joy_kiosk::questionnaire::{load_str, score, AnswerValue, Answers, Scalar};

const C_QUESTIONS: [&str; 9] = [
    "confidence-able",
    "confidence-judgement",
    "confidence-through",
    "control-say",
    "control-time",
    "control-change",
    "contact-turn-to",
    "contact-team",
    "contact-outside",
];

fn answers(values: [u8; 9]) -> Answers {
    let mut a = Answers::new();
    for (id, v) in C_QUESTIONS.iter().zip(values) {
        a.insert(
            id.to_string(),
            AnswerValue::Choice(Scalar::Number(f64::from(v))),
        );
    }
    a
}

fn three_cs() -> joy_kiosk::questionnaire::Questionnaire {
    App::new()
        .state
        .questionnaires
        .into_iter()
        .find(|q| q.id == "three-cs")
        .expect("bundled")
}

#[test]
fn it_is_bundled_personal_with_three_subscales_and_says_it_is_not_validated() {
    let q = three_cs();
    assert_eq!(q.kind, joy_kiosk::questionnaire::Kind::Personal);
    let ids: Vec<&str> = q.scores.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["overall", "confidence", "control", "contact"]);
    for s in &q.scores[1..] {
        assert_eq!(s.questions.len(), 3, "{}", s.id);
    }
    assert!(q
        .description
        .contains("not a validated clinical instrument"));
    // Short enough for Home's two lines at 80 columns, said once.
    assert!(q.description.chars().count() < 110);
    assert!(!q.licence.text.contains("validated"));
}

#[test]
fn the_result_names_the_lowest_c_and_what_would_help() {
    let q = three_cs();
    // Confidence 4s, control 2s, contact 3s.
    let o = score(&q, &answers([4, 4, 4, 2, 2, 2, 3, 3, 3]));
    let f = o.focus.expect("a lowest C");
    assert_eq!(f.score, "control");
    assert!(f.message.contains("flexible working"), "{}", f.message);
    // Contact lowest.
    let o = score(&q, &answers([5, 5, 4, 4, 4, 4, 1, 2, 2]));
    assert_eq!(o.focus.unwrap().score, "contact");
    // A tie goes to the one listed first.
    let o = score(&q, &answers([3, 3, 3, 3, 3, 3, 3, 3, 3]));
    assert_eq!(o.focus.unwrap().score, "confidence");
    // Nothing answered: no score, so nothing named.
    assert!(score(&q, &Answers::new()).focus.is_none());
}

#[test]
fn a_low_result_on_screen_names_the_lowest_c_and_offers_support() {
    let mut app = App::new();
    app.select("three-cs");
    app.act(Action::Confirm);
    // Value 1 is "Strongly disagree": contact 1s, the rest 2s.
    for v in [2u8, 2, 2, 2, 2, 2, 1, 1, 1] {
        app.act(Action::Digit(v));
    }
    assert_eq!(app.state.screen, Screen::Review);
    app.act(Action::Save);
    assert_eq!(app.state.screen, Screen::Result);
    let screen = screen_lines(&app, 100, 60).join("\n");
    assert!(
        screen.contains("Confidence, control and contact: 1.7"),
        "{screen}"
    );
    assert!(screen.contains("Low [alert]"), "{screen}");
    assert!(
        screen.contains("Samaritans"),
        "support with a low score: {screen}"
    );
    assert!(
        screen.contains("Where a small change may help most"),
        "{screen}"
    );
    assert!(screen.contains("Lowest this time: Contact."), "{screen}");
    // Trends: the subscales like any other score.
    app.act(Action::OpenTrends);
    let t = screen_lines(&app, 80, 24).join("\n");
    assert!(t.contains("score 1 of 4"), "{t}");
    app.act(Action::NextScore);
    app.act(Action::NextScore);
    app.act(Action::NextScore);
    let t = screen_lines(&app, 80, 24).join("\n");
    assert!(t.contains("Contact"), "{t}");
    assert!(t.contains("score 4 of 4"), "{t}");
    assert!(t.contains("Contact: a single check-in"), "{t}");
}

#[test]
fn joy_score_prints_the_lowest_c() {
    let home = tempfile::tempdir().unwrap();
    let mut args = vec!["score".to_string(), "three-cs".to_string()];
    for (id, v) in C_QUESTIONS.iter().zip([4, 4, 4, 2, 2, 2, 3, 3, 3]) {
        args.push("-a".into());
        args.push(format!("{id}={v}"));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = common::joy_at(home.path(), &args, &[]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", common::all_output(&o));
    assert!(out.contains("Lowest this time: Control."), "{out}");
}

#[test]
fn a_focus_that_names_what_is_not_there_is_refused_at_its_place() {
    let base = include_str!("../questionnaires/three-cs.toml");
    let cases = [
        (
            base.replace(
                "scores = [\"confidence\", \"control\", \"contact\"]",
                "scores = [\"confidence\", \"control\", \"contacts\"]",
            ),
            "[focus] names score \"contacts\", which is not in this file",
        ),
        (
            base.replace(
                "contact = \"People protect us.",
                "kontact = \"People protect us.",
            ),
            "[focus] has no message for score \"contact\"",
        ),
        (
            base.replace(
                "scores = [\"confidence\", \"control\", \"contact\"]",
                "scores = [\"confidence\"]",
            ),
            "list at least two",
        ),
    ];
    for (text, want) in cases {
        let errs = load_str("three-cs.toml", &text).expect_err("refused");
        let all: Vec<String> = errs.iter().map(|d| d.to_string()).collect();
        assert!(
            all.iter()
                .any(|e| e.starts_with("three-cs.toml:") && e.contains(want)),
            "{want}: {all:?}"
        );
    }
}

/// From the new-user trial: at 80x24 the lowest C is named on the first
/// screen of the result, before the (long) support text.
#[test]
fn the_lowest_c_is_on_the_first_screen_of_the_result() {
    let mut app = App::new();
    app.select("three-cs");
    app.act(Action::Confirm);
    for v in [2u8, 2, 2, 1, 1, 2, 3, 2, 3] {
        app.act(Action::Digit(v));
    }
    app.act(Action::Save);
    let screen = screen_lines(&app, 80, 24).join("\n");
    assert!(screen.contains("Lowest this time: Control."), "{screen}");
    let lowest = screen.find("Lowest this time").unwrap();
    if let Some(support) = screen.find("Samaritans") {
        assert!(lowest < support, "{screen}");
    }
    // The overall band's words fit a subscale that is not low.
    assert!(!screen.contains("All three feel low"), "{screen}");
}
