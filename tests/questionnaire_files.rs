//! Every invalid fixture states the message and position it must produce
//! (`# expect: LINE:COL: text` on its first line); every valid fixture and
//! bundled file must load; no input may make the loader panic.

use joy_kiosk::questionnaire::catalog::BUNDLED;
use joy_kiosk::questionnaire::{load_bytes, load_path, load_str, Catalog, Origin};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn fixtures(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/questionnaires")
        .join(kind);
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

#[test]
fn every_invalid_fixture_reports_its_rule_at_its_position() {
    let files = fixtures("invalid");
    assert!(
        files.len() >= 17,
        "expected a fixture per rule, found {}",
        files.len()
    );
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        let first = String::from_utf8_lossy(&bytes)
            .lines()
            .next()
            .unwrap()
            .to_string();
        let spec = first
            .strip_prefix("# expect: ")
            .unwrap_or_else(|| panic!("{}: no expect line", f.display()));
        let mut parts = spec.splitn(3, ':');
        let line: usize = parts.next().unwrap().parse().unwrap();
        let col: usize = parts.next().unwrap().parse().unwrap();
        let text = parts.next().unwrap().trim();
        let diags = load_path(&f).expect_err(&format!("{} should be invalid", f.display()));
        assert!(
            diags
                .iter()
                .any(|d| d.line == line && d.column == col && d.message.contains(text)),
            "{}: wanted {line}:{col} `{text}`, got:\n{}",
            f.display(),
            diags
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        );
        // Every message names the file.
        assert!(diags
            .iter()
            .all(|d| d.to_string().starts_with(&f.display().to_string())));
    }
}

#[test]
fn valid_fixtures_and_bundled_files_load() {
    for f in fixtures("valid") {
        load_path(&f).unwrap_or_else(|d| panic!("{}: {:?}", f.display(), d));
    }
    for (name, text) in BUNDLED {
        load_str(name, text).unwrap_or_else(|d| panic!("{name}: {d:?}"));
    }
    assert_eq!(Catalog::bundled().entries.len(), 8);
}

#[test]
fn all_errors_of_a_file_are_reported_not_only_the_first() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/questionnaires/valid/all-types.toml"),
    )
    .unwrap()
    .replace("scale = \"five\"", "scale = \"nine\"")
    .replace("questions = [\"energy\"]", "questions = [\"missing\"]");
    let diags = load_str("two-errors.toml", &text).unwrap_err();
    assert!(
        diags.iter().any(|d| d.message.contains("scale \"nine\"")),
        "{diags:?}"
    );
    assert!(
        diags.iter().any(|d| d.message.contains("\"missing\"")),
        "{diags:?}"
    );
}

#[test]
fn files_over_one_mebibyte_are_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.toml");
    let line = "# padding padding padding padding padding padding padding padding\n";
    std::fs::write(&path, line.repeat(1024 * 1024 / line.len() + 10)).unwrap();
    let d = load_path(&path).unwrap_err();
    assert_eq!((d[0].line, d[0].column), (1, 1));
    assert!(d[0].message.contains("at most 1 MiB"), "{}", d[0].message);
}

#[test]
fn a_user_file_with_a_bundled_id_replaces_it_and_bad_files_do_not_stop_others() {
    let dir = tempfile::tempdir().unwrap();
    let who5 = BUNDLED[0]
        .1
        .replace("title = \"WHO-5 Wellbeing Index\"", "title = \"My WHO-5\"");
    std::fs::write(dir.path().join("who5.toml"), who5).unwrap();
    std::fs::write(dir.path().join("broken.toml"), "id = ").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a questionnaire").unwrap();
    let cat = Catalog::load(&[dir.path().to_path_buf()]);
    assert_eq!(cat.entries.len(), 8);
    let e = cat
        .entries
        .iter()
        .find(|e| e.questionnaire.id == "who5")
        .unwrap();
    assert_eq!(e.questionnaire.title, "My WHO-5");
    assert!(e.replaces_bundled);
    assert!(matches!(e.origin, Origin::File(_)));
    assert_eq!(cat.failures.len(), 1);
    assert!(cat.failures[0].diagnostics[0]
        .to_string()
        .contains("broken.toml:1:"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC*") {
        let _ = load_str("fuzz.toml", &s);
    }

    #[test]
    fn arbitrary_bytes_never_panic(b in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = load_bytes("fuzz.toml", &b);
    }

    /// Small edits of a real file: deletions and insertions anywhere.
    #[test]
    fn mutated_bundled_files_never_panic(which in 0usize..4, at in 0usize..6000, cut in 0usize..40, insert in "[=\\[\\]{}\"a-z0-9 ,.\n-]{0,12}") {
        let text = BUNDLED[which].1;
        let at = at.min(text.len());
        let at = (0..=at).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
        let end = (at + cut).min(text.len());
        let end = (end..=text.len()).find(|i| text.is_char_boundary(*i)).unwrap_or(text.len());
        let mutated = format!("{}{}{}", &text[..at], insert, &text[end..]);
        let _ = load_str("mutated.toml", &mutated);
    }
}

/// The annotated example in questionnaires/README.md must itself be valid.
#[test]
fn the_documented_example_is_valid() {
    let readme = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/questionnaires/README.md"
    ))
    .unwrap();
    let start = readme.find("```toml\n").expect("an example") + "```toml\n".len();
    let end = start + readme[start..].find("```").unwrap();
    let q = load_str("README example", &readme[start..end]).unwrap_or_else(|d| panic!("{d:#?}"));
    assert_eq!(q.id, "sleep-check");
    assert_eq!(q.questions.len(), 5);
}

/// Structural errors (unknown keys, bad values) in different tables are all
/// reported too, not only the first one serde meets.
#[test]
fn structural_errors_in_several_tables_are_all_reported() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/questionnaires/valid/all-types.toml"),
    )
    .unwrap()
    .replacen("title = \"Fixture\"", "titel = \"Fixture\"", 1)
    .replace("text = \"Your role\"", "txt = \"Your role\"")
    .replace("method = \"mean\"", "method = \"median\"");
    let d = load_str("three.toml", &text).unwrap_err();
    let got: Vec<String> = d.iter().map(|d| d.to_string()).collect();
    assert_eq!(d.len(), 3, "{got:#?}");
    assert!(
        got[0].starts_with("three.toml:3:1: unknown field `titel`"),
        "{got:#?}"
    );
    assert!(
        got[1].starts_with("three.toml:29:1: unknown field `txt`"),
        "{got:#?}"
    );
    assert!(
        got[2].starts_with("three.toml:71:10: unknown variant `median`, expected `sum` or `mean`"),
        "{got:#?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any answers (some left out) to the bundled and valid fixture
    /// questionnaires score inside the range validation worked out, and a
    /// score with bands always lands in one: validation and scoring agree.
    #[test]
    fn scores_stay_in_their_range_and_always_find_a_band(picks in proptest::collection::vec((any::<bool>(), 0usize..64), 16)) {
        use joy_kiosk::questionnaire::{score, AnswerValue, Answers, QuestionKind};
        static ALL: std::sync::OnceLock<Vec<joy_kiosk::questionnaire::Questionnaire>> = std::sync::OnceLock::new();
        let all = ALL.get_or_init(|| {
            let mut all: Vec<_> = BUNDLED.iter().map(|(n, t)| load_str(n, t).unwrap()).collect();
            all.extend(fixtures("valid").iter().map(|f| load_path(f).unwrap()));
            all
        });
        for q in all {
            let mut answers = Answers::new();
            for (question, (answer, pick)) in q.questions.iter().zip(picks.iter().cycle()) {
                if !answer {
                    continue;
                }
                let a = match &question.kind {
                    QuestionKind::Number { min, max, step, .. } => {
                        let steps = ((max - min) / step).floor() as usize;
                        AnswerValue::Number(min + (pick % (steps + 1)) as f64 * step)
                    }
                    QuestionKind::Text { .. } => AnswerValue::Text("x".into()),
                    QuestionKind::Multi { options, .. } => AnswerValue::Multi { values: vec![options[pick % options.len()].value.clone()], other: None },
                    k => AnswerValue::Choice(k.options()[pick % k.options().len()].value.clone()),
                };
                answers.insert(question.id.clone(), a);
            }
            for (s, def) in score(q, &answers).scores.iter().zip(&q.scores) {
                if let Some(v) = s.value {
                    prop_assert!(v >= def.range.0 - 1e-9 && v <= def.range.1 + 1e-9, "{} {}: {v} outside {:?}", q.id, def.id, def.range);
                    if !def.bands.is_empty() {
                        let band = s.band.as_ref().expect("a band");
                        prop_assert!(band.contains(v), "{} {}: {v} not in band {}", q.id, def.id, band.label);
                    }
                }
            }
        }
    }
}

fn choice(v: f64) -> joy_kiosk::questionnaire::AnswerValue {
    joy_kiosk::questionnaire::AnswerValue::Choice(joy_kiosk::questionnaire::Scalar::Number(v))
}

/// PHQ-9 item 9 style: a total in the lowest band, but the item flag fires
/// with its own alert tone and urgent signposting, shown first.
#[test]
fn an_alert_flag_brings_its_own_support_even_when_the_total_is_low() {
    use joy_kiosk::questionnaire::{score, Answers, Tone};
    let q = load_path(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/questionnaires/valid/phq9-like.toml"),
    )
    .unwrap();
    let mut answers: Answers = (1..=8).map(|i| (format!("q{i}"), choice(0.0))).collect();
    answers.insert("q9".into(), choice(1.0));
    let o = score(&q, &answers);
    let total = &o.scores[0];
    assert_eq!(total.value, Some(1.0));
    assert_eq!(total.band.as_ref().unwrap().tone, Tone::Good);
    assert_eq!(o.flags.len(), 1);
    assert_eq!(o.flags[0].tone, Tone::Alert);
    let support = o.signposting(&q);
    assert_eq!(
        support.len(),
        1,
        "only the flag calls for support: {support:?}"
    );
    assert!(support[0].contains("URGENT"), "{support:?}");

    // With item 9 at 0 there is no flag and no support.
    answers.insert("q9".into(), choice(0.0));
    let o = score(&q, &answers);
    assert!(o.flags.is_empty());
    assert!(o.signposting(&q).is_empty());

    // A high total and the flag: the flag's urgent text comes first, then the band's.
    let mut answers: Answers = (1..=9).map(|i| (format!("q{i}"), choice(2.0))).collect();
    answers.insert("q9".into(), choice(3.0));
    let o = score(&q, &answers);
    let support = o.signposting(&q);
    assert_eq!(support.len(), 2, "{support:?}");
    assert!(support[0].contains("URGENT") && support[1].starts_with("General support"));
}

/// NHS Staff Survey rule: a theme is the mean of its answered items.
#[test]
fn people_promise_themes_are_the_mean_of_the_answered_items() {
    use joy_kiosk::questionnaire::{score, Answers};
    let q = load_str("people-promise.toml", BUNDLED[2].1).unwrap();
    assert_eq!(q.id, "people-promise");
    // kindness "Agree" (7.5); "unfair" left out.
    let answers: Answers = [("kindness".to_string(), choice(4.0))].into();
    let o = score(&q, &answers);
    let theme = |id: &str| o.scores.iter().find(|s| s.id == id).unwrap();
    assert_eq!(theme("compassionate").value, Some(7.5));
    assert_eq!(theme("compassionate").missing, 1);
    // Both answered: kindness 7.5, unfair "Agree" reversed = 2.5; mean 5.
    let answers: Answers = [
        ("kindness".to_string(), choice(4.0)),
        ("unfair".to_string(), choice(4.0)),
        ("safe".to_string(), choice(1.0)),
    ]
    .into();
    let o = score(&q, &answers);
    let theme = |id: &str| o.scores.iter().find(|s| s.id == id).unwrap();
    assert_eq!(theme("compassionate").value, Some(5.0));
    assert_eq!(theme("safe-healthy").value, Some(0.0));
    assert_eq!(
        theme("safe-healthy").band.as_ref().unwrap().label,
        "Low: rarely kept"
    );
    // Every theme has bands, so charts can draw them.
    assert!(q.scores.iter().all(|s| !s.bands.is_empty()));
}

/// Band names are kind and follow one pattern in every bundled file: they
/// start Low, Moderate or Good (never a bare number like "Above 50").
#[test]
fn bundled_band_names_follow_one_kind_pattern() {
    for (name, text) in BUNDLED {
        let q = load_str(name, text).unwrap();
        for s in &q.scores {
            for b in &s.bands {
                assert!(
                    ["Low", "Moderate", "Good"]
                        .iter()
                        .any(|w| b.label.starts_with(w)),
                    "{name} {}: band \"{}\"",
                    s.id,
                    b.label
                );
                assert!(
                    !b.label.chars().any(|c| c.is_ascii_digit()),
                    "{name}: band \"{}\" names a number",
                    b.label
                );
                assert!(!["Poor", "Above", "Below"]
                    .iter()
                    .any(|w| b.label.contains(w)));
            }
        }
    }
}

/// Scoring notes are for authors (file comments), never shown to respondents.
#[test]
fn bundled_questions_show_no_scoring_notes() {
    for (name, text) in BUNDLED {
        let q = load_str(name, text).unwrap();
        for question in &q.questions {
            let shown = format!(
                "{} {}",
                question.text,
                question.help.as_deref().unwrap_or("")
            )
            .to_lowercase();
            for word in ["worded negatively", "score", "reverse", "lowers"] {
                assert!(!shown.contains(word), "{name} {}: {shown}", question.id);
            }
        }
    }
}

/// Welsh ids load; the message for a bad id lists exactly what is allowed.
#[test]
fn ids_may_be_lower_case_letters_of_any_alphabet() {
    let q = load_path(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/questionnaires/valid/welsh-ids.toml"),
    )
    .unwrap();
    assert_eq!(q.questions[0].id, "tîm");
    assert_eq!(q.scores[0].id, "sgôr");
    use joy_kiosk::questionnaire::load::valid_id;
    for ok in ["tîm", "ŵyr", "llwyth-gwaith", "a_1", "日本"] {
        assert!(valid_id(ok), "{ok}");
    }
    for bad in ["Tîm", "tîm b", "a.b", "", "ǅ", &"a".repeat(65)] {
        assert!(!valid_id(bad), "{bad}");
    }
}

/// The lookup and flag examples in questionnaires/README.md work as it says.
#[test]
fn the_documented_lookup_and_flag_examples_work() {
    use joy_kiosk::questionnaire::{score, Answers, Tone};
    let readme = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/questionnaires/README.md"
    ))
    .unwrap();
    let block_after = |heading: &str| {
        let at = readme.find(heading).expect(heading);
        let start = at + readme[at..].find("```toml\n").unwrap() + "```toml\n".len();
        let end = start + readme[start..].find("```").unwrap();
        readme[start..end].to_string()
    };
    let head = r#"
id = "doc"
version = "1"
title = "Doc"
description = "d"
kind = "personal"
minutes = 1
[licence]
text = "x"
source = "https://example.org"
[scales.s]
options = [{ label = "None", value = 0 }, { label = "Some", value = 1 }, { label = "Lots", value = 2 }]
[[questions]]
id = "morning"
type = "scale"
scale = "s"
text = "m"
[[questions]]
id = "afternoon"
type = "scale"
scale = "s"
text = "a"
[[questions]]
id = "q9"
type = "scale"
scale = "s"
text = "q"
"#;
    let text = format!(
        "{head}{}\n{}",
        block_after("#### Lookup tables"),
        block_after("### Flags")
    );
    let q = load_str("doc.toml", &text).unwrap_or_else(|d| panic!("{d:#?}"));
    let answers: Answers = [
        ("morning".to_string(), choice(1.0)),
        ("afternoon".to_string(), choice(1.0)),
        ("q9".to_string(), choice(1.0)),
    ]
    .into();
    let o = score(&q, &answers);
    assert_eq!(
        (o.scores[0].raw, o.scores[0].value),
        (Some(2.0), Some(45.0))
    );
    assert_eq!(o.flags[0].tone, Tone::Alert);
    assert!(o.signposting(&q)[0].contains("Samaritans"));
}

// ---- Open files as what they are (issue 7) ----

/// Run `joy` with a clean environment; a run that takes longer than
/// `secs` (a blocked FIFO, a read of /dev/zero) is killed and fails.
fn joy_within(secs: u64, args: &[&str], dir: &Path) -> std::process::Output {
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_joy"))
        .args(args)
        .env("JOY_DB", dir.join("x.db"))
        .env("JOY_QUESTIONNAIRES", dir.join("none"))
        .env("XDG_CONFIG_HOME", dir.join("no-config"))
        .env_remove("JOY_CONFIG")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run joy");
    let start = std::time::Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if start.elapsed() > std::time::Duration::from_secs(secs) {
            child.kill().unwrap();
            let o = child.wait_with_output().unwrap();
            panic!(
                "joy {args:?} did not finish within {secs} s (blocked or reading without end); stdout: {}",
                String::from_utf8_lossy(&o.stdout)
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

#[cfg(unix)]
#[test]
fn a_fifo_questionnaire_is_refused_at_once_not_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.toml");
    mkfifo(&fifo);
    // Before: `joy validate pipe.toml` waited forever for a writer.
    let o = joy_within(10, &["validate", fifo.to_str().unwrap()], dir.path());
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains(&format!(
            "{}:1:1: this is not a regular file (it is a named pipe (FIFO))",
            fifo.display()
        )),
        "{out}"
    );
    // In a questionnaire folder it is listed as a failure, not skipped or waited on.
    let cat = Catalog::load(&[dir.path().to_path_buf()]);
    assert_eq!(cat.failures.len(), 1, "{:?}", cat.failures);
    assert!(cat.failures[0].diagnostics[0]
        .message
        .contains("named pipe"));
    // As the questionnaire of `joy score`.
    let o = joy_within(
        10,
        &["score", fifo.to_str().unwrap(), "-a", "x=1"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("named pipe"));
}

#[cfg(unix)]
#[test]
fn a_link_to_dev_zero_is_refused_before_a_byte_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let zero = dir.path().join("zero.toml");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    // Before: the size check saw 0 bytes and the read ran until memory ran out.
    let o = joy_within(10, &["validate", zero.to_str().unwrap()], dir.path());
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("not a regular file (it is a device)"), "{out}");
    let d = load_path(&zero).unwrap_err();
    assert!(d[0].message.contains("device"), "{d:?}");
}

#[cfg(unix)]
#[test]
fn answers_files_are_read_only_when_regular_and_small() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("answers-pipe.toml");
    mkfifo(&fifo);
    let zero = dir.path().join("answers-zero.toml");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    let big = dir.path().join("answers-big.toml");
    let mut text = String::from("cheerful = 5\n");
    text.push_str(&"# padding\n".repeat(110_000));
    std::fs::write(&big, &text).unwrap();
    for (file, wanted) in [
        (&fifo, "named pipe (FIFO)"),
        (&zero, "it is a device"),
        (&big, "at most 1048576 bytes are allowed"),
    ] {
        let o = joy_within(
            10,
            &["score", "who5", "--answers", file.to_str().unwrap()],
            dir.path(),
        );
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(
            err.contains(&format!("{}: cannot use this answers file", file.display()))
                && err.contains(wanted),
            "{wanted}: {err}"
        );
    }
    // A regular file of the same answers still works.
    let ok = dir.path().join("answers.toml");
    std::fs::write(
        &ok,
        "cheerful = 5\ncalm = 5\nactive = 5\nrested = 5\ninterest = 5\n",
    )
    .unwrap();
    let o = joy_within(
        10,
        &["score", "who5", "--answers", ok.to_str().unwrap()],
        dir.path(),
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("100 (raw 25)"));
}

#[test]
fn the_same_answer_given_twice_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    // Before: the second value silently won.
    let o = joy_within(
        10,
        &[
            "score",
            "who5",
            "-a",
            "cheerful=1",
            "-a",
            "calm=2",
            "-a",
            "cheerful=5",
        ],
        dir.path(),
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("question \"cheerful\" is answered twice"),
        "{err}"
    );
    assert!(o.stdout.is_empty());
    // Once in the answers file and once with -a.
    let file = dir.path().join("a.toml");
    std::fs::write(&file, "calm = 2\n").unwrap();
    let o = joy_within(
        10,
        &[
            "score",
            "who5",
            "--answers",
            file.to_str().unwrap(),
            "-a",
            "calm=3",
        ],
        dir.path(),
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("question \"calm\" is answered twice, in the answers file and with -a"),
        "{err}"
    );
}

// ---- Numbers that are numbers; fast enough to trust (issue 7) ----

#[allow(dead_code)]
#[path = "fixtures/questionnaires/worst_case.rs"]
mod worst_case;

/// The remap of 45,001 entries (0.7 MB) took 24-29 s: each of the 10,001
/// values of the question searched the whole remap, in the check and again
/// for every item value. Now sorted and binary-searched. Sized so the debug
/// build checks it in well under a second; the quadratic step over these
/// sizes (10,001 x 45,001 comparisons, several times) takes tens of seconds.
#[test]
fn a_huge_remap_validates_quickly() {
    let text = worst_case::remap_file(45_001);
    assert!(
        (600_000..1024 * 1024).contains(&text.len()),
        "{} bytes",
        text.len()
    );
    let start = std::time::Instant::now();
    let q = load_str("worst.toml", &text).unwrap_or_else(|d| panic!("{:?}", &d[..d.len().min(3)]));
    let took = start.elapsed();
    assert_eq!(q.scores[0].remap.len(), 45_001);
    assert_eq!(q.scores[0].range, (0.0, 60.0));
    assert!(
        took < std::time::Duration::from_secs(20),
        "validation took {took:?} (release target: under 1 s; see benches/questionnaire.rs)"
    );
    // Scoring goes through the same sorted remap: 10000 -> 10000 % 7 = 4 -> 40.
    let mut a = joy_kiosk::questionnaire::Answers::new();
    a.insert(
        "n".into(),
        joy_kiosk::questionnaire::AnswerValue::Number(10_000.0),
    );
    assert_eq!(
        joy_kiosk::questionnaire::score(&q, &a).scores[0].value,
        Some(40.0)
    );
}

/// Thousands of questions, conditions, reversed items and bands: every
/// look-up by id is a hash look-up and bands are sorted, not compared in
/// pairs (each of these was a quadratic step too).
#[test]
fn thousands_of_questions_and_bands_validate_quickly() {
    let text = worst_case::many_questions_file(2_000);
    assert!(text.len() < 1024 * 1024, "{} bytes", text.len());
    let start = std::time::Instant::now();
    let result = load_str("many.toml", &text);
    let took = start.elapsed();
    let q = result.unwrap_or_else(|d| panic!("{:?}", &d[..d.len().min(3)]));
    // The 2,000 questions, and the private note a personal file ends with.
    assert_eq!((q.questions.len(), q.scores[0].bands.len()), (2_001, 2_001));
    // A guard against the quadratic steps coming back (they took minutes),
    // loose enough for a debug build on a busy machine; the speed itself is
    // measured by `cargo bench --bench questionnaire` (BENCHMARKS.md).
    assert!(
        took < std::time::Duration::from_secs(20),
        "validation took {took:?} (release target: under 1 s)"
    );
}

/// A scale of many options used by many questions is refused by a budget
/// before it is copied into each of them (minutes and gigabytes before).
#[test]
fn a_huge_scale_used_everywhere_is_refused_quickly() {
    let mut text = String::from(
        "id = \"wide\"\nversion = \"1\"\ntitle = \"W\"\ndescription = \"d\"\nkind = \"personal\"\nminutes = 1\n\
         [licence]\ntext = \"x\"\nsource = \"https://example.org\"\n[scales.s]\noptions = [\n",
    );
    for i in 0..10_000 {
        text.push_str(&format!("{{label=\"{i}\",value={i}}},\n"));
    }
    text.push_str("]\n");
    for i in 0..3_000 {
        text.push_str(&format!(
            "[[questions]]\nid=\"q{i}\"\ntype=\"scale\"\nscale=\"s\"\ntext=\"t\"\n"
        ));
    }
    assert!(text.len() < 1024 * 1024, "{} bytes", text.len());
    let start = std::time::Instant::now();
    let d = load_str("wide.toml", &text).unwrap_err();
    assert!(
        start.elapsed() < std::time::Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
    assert!(
        d.iter()
            .any(|d| d.message.contains("more than 1000000 scale options in all")),
        "{:?}",
        &d[..d.len().min(3)]
    );
}

#[test]
fn large_but_exact_ranges_still_find_band_gaps() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/questionnaires/invalid/number-range-too-large.toml"),
    )
    .unwrap()
    .replace("max = 1e18", "max = 1e9")
    .replace("step = 1e14", "step = 1e5")
    .replace("min = 5e17", "min = 5e8")
    .replace("max = 1\nlabel = \"Low\"", "max = 4e8\nlabel = \"Low\"");
    // Before: 0..1e18 was shown as "0 to 9223372036854.78" and the gap passed.
    let d = load_str("gap.toml", &text).unwrap_err();
    assert!(
        d.iter().any(|d| d
            .message
            .contains("(0 to 1000000000) uncovered: no band holds 400100000")),
        "{d:?}"
    );
}

#[test]
fn remap_and_lookup_keep_their_meaning_when_sorted() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/questionnaires/valid/lookup.toml"),
    )
    .unwrap();
    let q = load_str("lookup.toml", &text).unwrap();
    for s in &q.scores {
        assert!(s.lookup.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(s.remap.windows(2).all(|w| w[0].0 < w[1].0));
    }
    let twice = text.replacen(
        "[[scores]]",
        "[[scores]]\nremap = [{ from = 1, to = 1 }, { from = 1, to = 2 }]",
        1,
    );
    let d = load_str("twice.toml", &twice).unwrap_err();
    assert!(
        d.iter()
            .any(|d| d.message.contains("`remap` lists the value 1 twice")),
        "{d:?}"
    );
}

/// The bundled team questionnaires of issue 9: the framework check has a
/// subscale per element (so the huddle can name the lowest), and the
/// civility reflection asks for no names wherever someone might type one.
#[test]
fn bundled_team_questionnaires_have_their_elements_and_ask_for_no_names() {
    use joy_kiosk::questionnaire::{Kind, QuestionKind};
    let cat = Catalog::bundled();
    let hwb = cat.get("hwb-framework").expect("hwb-framework is bundled");
    assert_eq!(hwb.kind, Kind::Team);
    let elements = [
        "Improving personal health and wellbeing",
        "Professional wellbeing support",
        "Data insights",
        "Environment",
        "Managers and leaders",
        "Fulfilment at work",
        "Relationships",
    ];
    for e in elements {
        let s = hwb
            .scores
            .iter()
            .find(|s| s.label == e)
            .unwrap_or_else(|| panic!("no subscale for {e}"));
        assert!(
            (1..=2).contains(&s.questions.len()),
            "{e}: {:?}",
            s.questions
        );
        assert_eq!(s.range, (1.0, 5.0), "{e}");
    }
    assert_eq!(hwb.scores.len(), 8, "seven elements and the overall score");
    let civ = cat.get("civility").expect("civility is bundled");
    assert_eq!(civ.kind, Kind::Team);
    assert!(civ
        .instructions
        .as_deref()
        .unwrap_or("")
        .contains("do not name"));
    for q in &civ.questions {
        if matches!(q.kind, QuestionKind::Text { .. }) || q.id.starts_with("incivility") {
            let words = format!("{} {}", q.text, q.help.as_deref().unwrap_or(""));
            assert!(words.contains("name"), "{}: {words}", q.id);
        }
    }
    assert!(civ.question("kind-act").is_some() && civ.question("try").is_some());
}
