//! The plain mode (issue 18 §2): the personal app one line at a time, for
//! screen readers and dumb terminals. Driven through a pipe and under
//! TERM=dumb in a pseudo-terminal (the real binary), and in-process on the
//! same state machine as the full-screen app (every question type, bad
//! input, support, history, trends, deleting, the end of the input).

mod common;
#[path = "support/pty.rs"]
mod pty;

use chrono::Duration;
use common::{joy_at, joy_with_input, App};
use joy_kiosk::app::plain;

fn fixture_app() -> App {
    App::fixture()
}

/// Run the plain mode on `app` with `lines` as its input; what it printed.
fn run_plain(app: &mut App, lines: &[&str]) -> String {
    let input = lines.iter().map(|l| format!("{l}\n")).collect::<String>();
    let mut out = Vec::new();
    let t = app.t;
    let tick = std::cell::Cell::new(0);
    let clock = || {
        tick.set(tick.get() + 1);
        t + Duration::seconds(tick.get())
    };
    plain::run(
        &mut app.state,
        &mut app.store,
        std::io::Cursor::new(input),
        &mut out,
        clock,
        true,
    )
    .unwrap();
    String::from_utf8(out).unwrap()
}

fn no_escape(out: &[u8]) {
    assert!(
        !out.contains(&0x1b),
        "an escape sequence was written: {}",
        String::from_utf8_lossy(out)
    );
}

#[test]
fn a_who5_check_in_through_a_pipe_is_scored_saved_and_in_history() {
    let home = tempfile::tempdir().unwrap();
    // Digits on WHO-5 are the options' values, as on the full screen.
    let o = joy_with_input(
        home.path(),
        &[],
        &[("TERM", "xterm-256color")],
        "1\n3\n3\n2\n2\n1\n\nq\n",
    );
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(0), "{}", common::all_output(&o));
    no_escape(&o.stdout);
    assert!(out.contains("Question 1 of 5"), "{out}");
    assert!(out.contains("  5. All of the time"), "{out}");
    assert!(out.contains("Saved to your private history"), "{out}");
    assert!(out.contains("WHO-5 wellbeing: 44"), "{out}");
    // No box drawing, no block characters of a gauge or a sparkline.
    for c in ['│', '─', '┌', '█', '░', '▁'] {
        assert!(!out.contains(c), "{c:?} in plain output: {out}");
    }
    let h = joy_at(home.path(), &["history", "--json"], &[]);
    let v: serde_json::Value = serde_json::from_slice(&h.stdout).unwrap();
    assert_eq!(v.as_array().map(Vec::len), Some(1), "{v}");
    assert_eq!(v[0]["scores"][0]["value"], 44.0);
    assert_eq!(v[0]["answers"][4]["label"], "Some of the time");
}

#[test]
fn under_term_dumb_in_a_terminal_the_app_is_plain_by_itself() {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_joy"));
    cmd.env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env_remove("JOY_DB")
        .env_remove("JOY_CONFIG")
        .env_remove("NO_COLOR")
        .env("TERM", "dumb");
    let mut p = pty::spawn(&mut cmd);
    p.wait_for(0, "Type a number to start that check-in");
    let mut mark = p.len();
    for line in ["1", "0", "0", "1", "0", "0"] {
        p.write(format!("{line}\n").as_bytes());
        p.wait_for(mark, "> ");
        mark = p.len();
    }
    p.wait_for(0, "Check your answers");
    p.write(b"s\n");
    p.wait_for(mark, "Saved to your private history");
    // A low score comes with support, in plain words too.
    p.wait_for(mark, "WHO-5 wellbeing: 4");
    p.wait_for(mark, "Samaritans");
    p.write(b"q\n");
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(s) = p.child.try_wait().unwrap() {
            break s;
        }
        assert!(start.elapsed().as_secs() < 15, "joy did not quit");
        std::thread::sleep(std::time::Duration::from_millis(30));
    };
    assert!(status.success(), "{}", p.text());
    let all = p.output.lock().unwrap().clone();
    // No alternate screen, cursor hiding, mouse tracking or colour: not one
    // escape byte.
    no_escape(&all);
}

#[test]
fn every_question_type_is_answered_by_lines() {
    let mut app = fixture_app();
    let out = run_plain(
        &mut app,
        &[
            "1",            // start the fixture
            "7",            // mood: no such option
            "1",            // mood: the value 1, "Sometimes"
            "Nurse",        // role by its label
            "75",           // ward hours: out of range
            "38",           // ward hours
            "7",            // energy 0-10: the number itself
            "1 no parking", // IT ticked, "no parking" as Other
            "logins",       // shown because IT was ticked
            "s",            // save
            "q",
        ],
    );
    assert!(out.contains("\"7\" is not one of the answers"), "{out}");
    assert!(out.contains("\"75\" is not a number from 0 to 60"), "{out}");
    assert!(out.contains("  0 (none)"), "{out}");
    assert!(out.contains("  10 (lots)"), "{out}");
    assert!(out.contains("3. Other: type it after the numbers"), "{out}");
    let r = &app.store.history(None, None).unwrap()[0];
    assert_eq!(common::answer_labels(r), common::FIXTURE_ANSWERED);
    // The same score the full app gives: mean of 7 and reversed mood 1.
    assert_eq!(r.scores[0].value, Some(4.0));
}

#[test]
fn answers_are_changed_from_the_review_and_skipped_with_a_dash() {
    let mut app = fixture_app();
    let out = run_plain(
        &mut app,
        &[
            "1", "2", "2", "7", "1 2", "-", // mood, Doctor, energy, IT+Staffing, skip "more"
            "4", // review: change answer 4 (the multiple choice)
            "2", // now Staffing only
            "",  // save from the review
            "q",
        ],
    );
    assert!(out.contains("1. IT (ticked)"), "{out}");
    let r = &app.store.history(None, None).unwrap()[..];
    assert_eq!(r.len(), 1, "{out}");
    let r = &r[0];
    let pebbles = r.answers.iter().find(|a| a.question_id == "pebbles");
    assert_eq!(pebbles.map(|a| a.label.as_str()), Some("Staffing"));
    assert!(!r.answers.iter().any(|a| a.question_id == "more"));
}

#[test]
fn support_is_read_out_then_the_same_question_is_asked_again() {
    let mut app = App::new();
    let out = run_plain(&mut app, &["1", "3", "!", "q", "y"]);
    let support = out.find("== Support ==").expect("support shown");
    let after = &out[support..];
    assert!(after.contains("Samaritans"), "{out}");
    assert!(
        after.contains("Question 2 of 5"),
        "the question again: {out}"
    );
    // Quitting mid check-in asks first, and nothing is saved.
    assert!(out.contains("Quit anyway?"), "{out}");
    assert!(app.store.history(None, None).unwrap().is_empty());
}

#[test]
fn the_end_of_the_input_mid_check_in_saves_nothing_and_says_so() {
    let mut app = App::new();
    let out = run_plain(&mut app, &["1", "3", "3"]);
    assert!(out.contains("were not saved"), "{out}");
    assert!(app.store.history(None, None).unwrap().is_empty());
}

#[test]
fn history_detail_trends_and_delete_work_by_lines() {
    let mut app = App::new();
    let out = run_plain(
        &mut app,
        &[
            "1", "5", "5", "5", "5", "5", "s", // WHO-5: 100
            "", "1", "0", "0", "0", "0", "0", "s", // WHO-5: 0
            "t", "", // trends as a table, then home
            "h", "1", // history, then the newest check-in
            "d", "y", // delete it
            "q",
        ],
    );
    assert!(out.contains("When                    value  band"), "{out}");
    assert!(out.contains("Row 1 of 2"), "{out}");
    assert!(out.contains("Delete this check-in?"), "{out}");
    let left = app.store.history(None, None).unwrap();
    assert_eq!(left.len(), 1, "{out}");
    assert_eq!(left[0].scores[0].value, Some(100.0));
}

#[test]
fn a_line_maps_to_the_actions_a_key_would_send() {
    use joy_kiosk::app::Action;
    let mut app = App::new();
    assert_eq!(plain::actions(&app.state, "2"), Ok(vec![Action::Pick(1)]));
    assert_eq!(
        plain::actions(&app.state, "9"),
        Err(plain::Problem::NotAListedNumber(9))
    );
    assert_eq!(
        plain::actions(&app.state, "h"),
        Ok(vec![Action::OpenHistory])
    );
    app.act(Action::Pick(0));
    // WHO-5: "5" is the option worth 5 (the first row), as its key is.
    assert_eq!(plain::actions(&app.state, "5"), Ok(vec![Action::Pick(0)]));
    assert_eq!(plain::actions(&app.state, "0"), Ok(vec![Action::Pick(5)]));
}

#[test]
fn a_note_of_several_lines_and_a_search_of_notes_work_by_lines() {
    let mut app = App::new();
    let out = run_plain(
        &mut app,
        &[
            "2",
            "5",
            "4",
            "4",
            "5",                    // joy in work
            "n",                    // the review offers the note
            "Handover ran late \\", // a line ending with \ goes on
            "but the team was kind",
            "s",
            "", // save, home
            "h",
            "/ KIND", // history, then only notes with "kind"
            "q",
        ],
    );
    assert!(out.contains("Your private note (optional)"), "{out}");
    assert!(out.contains("notes with \"KIND\""), "{out}");
    assert!(out.contains("note: Handover ran late"), "{out}");
    let r = &app.store.history(None, None).unwrap()[0];
    let note = r.answers.iter().find(|a| a.question_id == "note").unwrap();
    assert_eq!(note.label, "Handover ran late\nbut the team was kind");
}

/// From the trial of plain mode: messages name what can be typed (no Esc),
/// History acts on no unseen row, a line that changes nothing says so, a
/// refused answer is said once, and a screen reader hears no arrows.
#[test]
fn plain_mode_says_what_a_line_did_in_words_that_fit_it() {
    let mut app = App::new();
    let out = run_plain(
        &mut app,
        &[
            "1",
            "",
            "7", // WHO-5: Enter with no answer, then no such option
            "3",
            "3",
            "2",
            "2",
            "1",
            "n",
            "Rota swap \\",
            "with SAM helped",
            "s",
            "",
            "h",
            "/ zebra",
            "/ sam",
            "d",
            "b",
            "/",
            "t",
            "s",
            "q",
        ],
    );
    // Not yet answered: nothing to keep.
    let first = out.find("Question 1 of 5").unwrap();
    let keys = &out[first..out[first..].find("> ").unwrap() + first];
    assert!(!keys.contains("keeps your answer"), "{keys}");
    // "7": one refusal, not the earlier message again.
    let after7 = &out[out.find("> 7").unwrap()..];
    let next_prompt = after7[3..].find("> ").unwrap() + 3;
    let said = &after7[..next_prompt];
    assert!(said.contains("\"7\" is not one of the answers"), "{said}");
    assert!(!said.contains("needs an answer"), "{said}");
    assert!(out.contains("Type / alone to show them all again"), "{out}");
    assert!(!out.contains("Esc shows"), "{out}");
    // The row found by "sam" shows the line that holds it.
    assert!(out.contains("note: with SAM helped"), "{out}");
    // "d" in the list deletes nothing (no row is current); "b" backs up
    // (the store is in memory here: it says it could not).
    assert!(
        out.contains("\"d\" is not something this screen does"),
        "{out}"
    );
    assert_eq!(app.store.history(None, None).unwrap().len(), 1);
    // WHO-5 has one score: "s" on Trends changes nothing, and says so.
    assert!(out.contains("Nothing more to show for that here."), "{out}");
    assert!(!out.contains('←') && !out.contains("click"), "{out}");
}
