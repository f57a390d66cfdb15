//! Fuzzing the three readers of outside input with proptest: questionnaire
//! files, the config file, and `joy score` answers (`-a ID=VALUE` pairs and
//! the `--answers` TOML file).
//!
//! Properties, for every generated input:
//! - nothing panics (a stack overflow from deep nesting would abort the run);
//! - every error names the file and a line and column that exist in it
//!   (for the answers file: every problem tied to a key says where);
//! - valid inputs still load, unchanged by CRLF line ends or a byte order
//!   mark, and any Unicode written in a value comes back exactly.
//!
//! `JOY_FUZZ_CASES` sets the number of cases per property (CI: the default,
//! 64). A long campaign: `JOY_FUZZ_CASES=100000 cargo test --release --test
//! fuzz_inputs` (see the README's Development section).

use joy_kiosk::config;
use joy_kiosk::questionnaire::answers::{parse_answers_file, parse_pairs, read_answers_file};
use joy_kiosk::questionnaire::catalog::BUNDLED;
use joy_kiosk::questionnaire::{
    load_bytes, load_path, load_str, score, AnswerValue, Diagnostic, QuestionKind, Questionnaire,
};
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;

fn cases() -> u32 {
    std::env::var("JOY_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        // A long campaign writes its own failures down; CI stays read-only.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---- helpers -----------------------------------------------------------

/// Is (line, column) a place in `text` (1-based, column in characters; one
/// past the end of a line is allowed)?
fn place_exists(text: &str, line: usize, column: usize) -> bool {
    let Some(l) = text.split('\n').nth(line.wrapping_sub(1)) else {
        return false;
    };
    line >= 1 && column >= 1 && column <= l.chars().count() + 1
}

/// The text a position in `bytes` is counted in: the valid UTF-8 prefix.
fn valid_prefix(bytes: &[u8]) -> &str {
    match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or(""),
    }
}

fn check_diagnostics(name: &str, text: &str, ds: &[Diagnostic]) -> Result<(), TestCaseError> {
    prop_assert!(!ds.is_empty(), "an error with no diagnostic");
    for d in ds {
        prop_assert_eq!(&d.file, name);
        prop_assert!(!d.message.trim().is_empty(), "an empty message");
        prop_assert!(
            place_exists(text, d.line, d.column),
            "{}:{}:{} is not a place in the file: {}",
            d.file,
            d.line,
            d.column,
            d.message
        );
        prop_assert!(
            d.to_string()
                .starts_with(&format!("{name}:{}:{}: ", d.line, d.column)),
            "{}",
            d
        );
    }
    Ok(())
}

fn load_checked(name: &str, text: &str) -> Result<Option<Questionnaire>, TestCaseError> {
    match load_str(name, text) {
        Ok(q) => Ok(Some(q)),
        Err(ds) => {
            check_diagnostics(name, text, &ds)?;
            Ok(None)
        }
    }
}

/// `q` with what a change of line ends or a BOM may change cleared: the
/// file's hash, and CRs that TOML keeps inside multi-line strings.
fn normalised(q: &Questionnaire) -> String {
    let mut q = q.clone();
    q.hash.clear();
    q.source = "".into();
    format!("{q:?}").replace("\\r\\n", "\\n")
}

fn bundled(i: usize) -> (&'static str, &'static str) {
    BUNDLED[i % BUNDLED.len()]
}

/// `s` as a TOML basic string, every character outside printable ASCII as
/// a `\u`/`\U` escape, so any Unicode at all can be written.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            c if (c as u32) <= 0xffff => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Text mixing everything that trips readers: controls and escapes, bidi
/// overrides, combining marks, wide and astral characters, a BOM, CRLF.
fn odd_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        any::<char>().prop_map(String::from),
        "\\PC{0,8}",
        Just("\u{1b}]0;owned\u{7}".to_string()),
        Just("\u{1b}[2J".to_string()),
        Just("\u{9b}31m".to_string()),
        Just("\u{202e}\u{2066}\u{2069}\u{200f}".to_string()),
        Just("\r\n".to_string()),
        Just("\u{feff}".to_string()),
        Just("e\u{301}\u{301}\u{301}".to_string()),
        Just("👩‍⚕️🏥".to_string()),
        Just("\u{0}".to_string()),
        Just("\u{fffd}\u{10ffff}".to_string()),
        Just("Ysbyty Gwynedd · ŵ ŷ".to_string()),
    ];
    proptest::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

/// Apply `edits` (position, what) to `text`, keeping char boundaries.
fn mutate(text: &str, edits: &[(usize, usize, String)]) -> String {
    let mut s = text.to_string();
    for (at, cut, insert) in edits {
        let mut at = at % (s.len() + 1);
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        let mut end = (at + cut).min(s.len());
        while !s.is_char_boundary(end) {
            end += 1;
        }
        s.replace_range(at..end, insert);
    }
    s
}

/// Pieces a mutation inserts: TOML punctuation, keys, odd characters.
fn toml_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("[".to_string()),
        Just("]".to_string()),
        Just("[[".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just("=".to_string()),
        Just("\"".to_string()),
        Just("'''".to_string()),
        Just("\"\"\"".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\r".to_string()),
        Just("\u{feff}".to_string()),
        Just(",".to_string()),
        Just(".".to_string()),
        Just("#".to_string()),
        Just("\\u".to_string()),
        Just("1e999".to_string()),
        Just("-0".to_string()),
        Just("nan".to_string()),
        Just("9223372036854775808".to_string()),
        Just("1979-05-27T07:32:00Z".to_string()),
        Just("[[questions]]\n".to_string()),
        Just("[[scores]]\n".to_string()),
        Just("[[scores.bands]]\n".to_string()),
        Just("type = \"multi\"\n".to_string()),
        Just("show_if = { question = \"x\", equals = 1 }\n".to_string()),
        "[a-z_]{1,10}",
        "-?[0-9]{1,20}(\\.[0-9]{1,8})?",
        odd_text(),
    ]
}

fn edits() -> impl Strategy<Value = Vec<(usize, usize, String)>> {
    proptest::collection::vec((any::<usize>(), 0usize..64, toml_piece()), 1..6)
}

/// Deeply nested TOML of several shapes, `depth` levels.
fn deep(shape: u8, depth: usize) -> String {
    match shape % 6 {
        0 => format!("id = {}{}", "[".repeat(depth), "]".repeat(depth)),
        1 => format!("id = {}1{}", "{ a = ".repeat(depth), " }".repeat(depth)),
        2 => format!("{} = 1", vec!["a"; depth].join(".")),
        3 => format!("[{}]\nx = 1", vec!["a"; depth].join(".")),
        4 => format!("[[{}]]\nx = 1", vec!["q"; depth].join(".")),
        // Unclosed: the parser has to give up at the end.
        _ => format!("id = {}", "[{a=".repeat(depth)),
    }
}

// ---- the questionnaire loader -------------------------------------------

proptest! {
    #![proptest_config(config())]

    /// Arbitrary bytes: an error (or, rarely, a questionnaire), never a
    /// panic; the error's place is inside the valid UTF-8 part of the file.
    #[test]
    fn questionnaire_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        if let Err(ds) = load_bytes("fuzz.toml", &bytes) {
            check_diagnostics("fuzz.toml", valid_prefix(&bytes), &ds)?;
        }
    }

    /// Token soup of TOML punctuation, keys and odd text, with or without a
    /// BOM and CRLF.
    #[test]
    fn questionnaire_token_soup(parts in proptest::collection::vec(toml_piece(), 0..80), bom in any::<bool>(), crlf in any::<bool>()) {
        let mut text = parts.concat();
        if crlf { text = text.replace('\n', "\r\n"); }
        if bom { text.insert(0, '\u{feff}'); }
        load_checked("soup.toml", &text)?;
    }

    /// Deep nesting of arrays, inline tables, dotted keys and table
    /// headers, up to 20,000 levels: a clear error, no stack overflow.
    #[test]
    fn questionnaire_deep_nesting(shape in any::<u8>(), depth in prop_oneof![1usize..200, 200usize..20_000]) {
        let text = deep(shape, depth);
        load_checked("deep.toml", &text)?;
    }

    /// Random edits of the bundled files (cuts, insertions of TOML syntax and
    /// odd characters anywhere): never a panic, every error placed.
    #[test]
    fn questionnaire_mutated_bundled(which in 0usize..6, e in edits()) {
        let (_, text) = bundled(which);
        let mutated = mutate(text, &e);
        load_checked("mutated.toml", &mutated)?;
    }

    /// A bundled file truncated anywhere, as bytes (possibly mid-character).
    #[test]
    fn questionnaire_truncated_bundled(which in 0usize..6, at in any::<usize>()) {
        let (_, text) = bundled(which);
        let bytes = &text.as_bytes()[..at % (text.len() + 1)];
        if let Err(ds) = load_bytes("cut.toml", bytes) {
            check_diagnostics("cut.toml", valid_prefix(bytes), &ds)?;
        }
    }

    /// Valid files still load: CRLF line ends and a byte order mark change
    /// nothing but the file's hash.
    #[test]
    fn questionnaire_bundled_with_crlf_and_bom_loads_the_same(which in 0usize..6, crlf in any::<bool>(), bom in any::<bool>()) {
        let (name, text) = bundled(which);
        let plain = load_str(name, text).map_err(|d| TestCaseError::fail(format!("{d:?}")))?;
        let mut t = text.to_string();
        if crlf { t = t.replace('\n', "\r\n"); }
        if bom { t.insert(0, '\u{feff}'); }
        let q = load_str(name, &t).map_err(|d| TestCaseError::fail(format!("crlf={crlf} bom={bom}: {d:?}")))?;
        prop_assert_eq!(normalised(&q), normalised(&plain));
        let q = load_bytes(name, t.as_bytes()).map_err(|d| TestCaseError::fail(format!("{d:?}")))?;
        prop_assert_eq!(normalised(&q), normalised(&plain));
    }

    /// Any Unicode at all (controls, escapes, bidi, astral, a BOM) written
    /// as a title, an option label and a band message loads and comes back
    /// exactly as written: it is stored as text, never interpreted.
    #[test]
    fn questionnaire_odd_unicode_in_values_round_trips(which in 0usize..6, title in odd_text(), desc in odd_text()) {
        let (name, text) = bundled(which);
        let plain = load_str(name, text).map_err(|d| TestCaseError::fail(format!("{d:?}")))?;
        let old_title = format!("title = {}", toml_string(&plain.title));
        let t = text.replacen(&old_title, &format!("title = {}", toml_string(&title)), 1);
        prop_assume!(t != text || plain.title == title);
        let old_desc = format!("description = {}", toml_string(&plain.description));
        let t2 = t.replacen(&old_desc, &format!("description = {}", toml_string(&desc)), 1);
        match load_str(name, &t2) {
            Ok(q) => {
                prop_assert_eq!(&q.title, &title);
                if t2 != t { prop_assert_eq!(&q.description, &desc); }
            }
            // A title or description may be refused (e.g. empty), with a place.
            Err(ds) => {
                check_diagnostics(name, &t2, &ds)?;
                prop_assert!(title.trim().is_empty() || desc.trim().is_empty(), "{:?}", ds);
            }
        }
    }

}

proptest! {
    // Each case writes up to a megabyte: a twentieth of the cases.
    #![proptest_config(ProptestConfig { cases: (cases() / 20).max(4), ..config() })]

    /// Huge strings: a title of up to 900,000 characters (under the 1 MiB
    /// cap) loads or is refused with a place; over the cap is refused at 1:1.
    #[test]
    fn questionnaire_huge_strings(which in 0usize..6, n in 1usize..300_000, c in prop_oneof![Just('x'), Just('é'), Just('😀'), Just('\u{202e}')]) {
        let (name, text) = bundled(which);
        let plain = load_str(name, text).map_err(|d| TestCaseError::fail(format!("{d:?}")))?;
        let old_title = format!("title = {}", toml_string(&plain.title));
        let big: String = std::iter::repeat_n(c, n).collect();
        let t = text.replacen(&old_title, &format!("title = {}", toml_string(&big)), 1);
        if t.len() as u64 > joy_kiosk::questionnaire::load::MAX_FILE_BYTES {
            let ds = load_bytes(name, t.as_bytes()).unwrap_err();
            prop_assert_eq!((ds[0].line, ds[0].column), (1, 1));
        } else if let Some(q) = load_checked(name, &t)? {
            prop_assert_eq!(q.title.chars().count(), n);
        }
    }
}

/// The bundled files themselves, and the fixtures of valid files, load.
#[test]
fn every_valid_file_loads() {
    for (name, text) in BUNDLED {
        load_str(name, text).unwrap_or_else(|d| panic!("{name}: {d:?}"));
    }
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/questionnaires/valid"
    );
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        load_path(&p).unwrap_or_else(|d| panic!("{}: {d:?}", p.display()));
    }
}

// ---- the config loader --------------------------------------------------

/// A valid config and what it says, generated together.
#[derive(Debug, Clone)]
struct GoodConfig {
    text: String,
    site: Option<String>,
    teams: Vec<String>,
    numbers: [Option<i64>; 5],
    period: Option<&'static str>,
    min_group: Option<u32>,
    min_group_text: Option<u32>,
    support: Vec<(String, Option<String>)>,
}

/// A name the kiosk accepts: 1 to 60 characters, not blank.
fn name_text() -> impl Strategy<Value = String> {
    odd_text().prop_filter_map("a usable name", |s| {
        let t = s.trim();
        (!t.is_empty() && t.chars().count() <= 60).then(|| t.to_string())
    })
}

fn good_config() -> impl Strategy<Value = GoodConfig> {
    let ranges = config::KIOSK_RANGES;
    let numbers = (
        proptest::option::of(ranges[0].1 as i64..=ranges[0].2 as i64),
        proptest::option::of(ranges[1].1 as i64..=ranges[1].2 as i64),
        proptest::option::of(ranges[2].1 as i64..=ranges[2].2 as i64),
        proptest::option::of(ranges[3].1 as i64..=ranges[3].2 as i64),
        proptest::option::of(ranges[4].1 as i64..=ranges[4].2 as i64),
    );
    (
        proptest::option::of(name_text()),
        proptest::collection::vec(name_text(), 0..6),
        numbers,
        proptest::option::of(prop_oneof![Just("week"), Just("month")]),
        proptest::option::of(3u32..100),
        proptest::option::of(0u32..50),
        proptest::collection::vec((odd_text(), proptest::option::of(odd_text())), 0..4),
    )
        .prop_map(
            |(site, teams, (a, b, c, d, e), period, k, extra, support)| {
                // Distinct teams, as the loader requires (it compares trimmed,
                // case-insensitively).
                let mut seen: Vec<String> = Vec::new();
                let teams: Vec<String> = teams
                    .into_iter()
                    .filter(|t| {
                        let key = t.to_lowercase();
                        let new = !seen.contains(&key);
                        seen.push(key);
                        new
                    })
                    .collect();
                let min_group_text = extra.map(|x| k.unwrap_or(5) + x);
                let numbers = [a, b, c, d, e];
                let mut text = String::from("# generated\n");
                for (name, phone) in &support {
                    text.push_str(&format!(
                        "[[support.lines]]\nname = {}\n",
                        toml_string(name)
                    ));
                    if let Some(p) = phone {
                        text.push_str(&format!("phone = {}\n", toml_string(p)));
                    }
                }
                text.push_str("[kiosk]\n");
                if let Some(s) = &site {
                    text.push_str(&format!("site = {}\n", toml_string(s)));
                }
                let list: Vec<String> = teams.iter().map(|t| toml_string(t)).collect();
                text.push_str(&format!("teams = [{}]\n", list.join(", ")));
                for (v, (key, ..)) in numbers.iter().zip(config::KIOSK_RANGES) {
                    if let Some(v) = v {
                        text.push_str(&format!("{key} = {v}\n"));
                    }
                }
                text.push_str("[huddle]\n");
                if let Some(p) = period {
                    text.push_str(&format!("period = \"{p}\"\n"));
                }
                if let Some(k) = k {
                    text.push_str(&format!("min_group = {k}\n"));
                }
                if let Some(t) = min_group_text {
                    text.push_str(&format!("min_group_text = {t}\n"));
                }
                GoodConfig {
                    text,
                    site,
                    teams,
                    numbers,
                    period,
                    min_group: k,
                    min_group_text,
                    support,
                }
            },
        )
}

fn check_config_error(
    name: &str,
    text: &str,
    e: &config::ConfigError,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(&e.file, name);
    prop_assert!(!e.message.trim().is_empty());
    prop_assert!(
        place_exists(text, e.line, e.column),
        "{}:{}:{} is not in the file: {}",
        e.file,
        e.line,
        e.column,
        e.message
    );
    Ok(())
}

fn parse_checked(name: &str, text: &str) -> Result<Option<config::FileConfig>, TestCaseError> {
    match config::parse(name, text) {
        Ok(c) => Ok(Some(c)),
        Err(e) => {
            check_config_error(name, text, &e)?;
            Ok(None)
        }
    }
}

proptest! {
    #![proptest_config(config())]

    /// Valid configs with any Unicode in the site, team and support names,
    /// with CRLF and a BOM, load and say exactly what was written.
    #[test]
    fn config_valid_loads_exactly(g in good_config(), crlf in any::<bool>(), bom in any::<bool>()) {
        let mut text = g.text.clone();
        if crlf { text = text.replace('\n', "\r\n"); }
        if bom { text.insert(0, '\u{feff}'); }
        let c = config::parse("joy.toml", &text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(c.kiosk.site.as_ref().map(|s| s.get_ref().clone()), g.site.clone());
        let teams: Vec<String> = c.kiosk.teams.iter().map(|t| t.get_ref().clone()).collect();
        prop_assert_eq!(&teams, &g.teams);
        let k = c.kiosk.settings();
        let got = [k.inactivity_secs, k.result_secs, k.min_submit_interval_secs, k.burst_ms, k.retention_days];
        let d = config::KioskSettings::default();
        let defaults = [d.inactivity_secs, d.result_secs, d.min_submit_interval_secs, d.burst_ms, d.retention_days];
        for i in 0..5 {
            prop_assert_eq!(i64::from(got[i]), g.numbers[i].unwrap_or(i64::from(defaults[i])));
        }
        prop_assert_eq!(c.huddle.min_group.as_ref().map(|v| *v.get_ref()), g.min_group);
        prop_assert_eq!(c.huddle.min_group_text.as_ref().map(|v| *v.get_ref()), g.min_group_text);
        prop_assert_eq!(c.huddle.period.is_some(), g.period.is_some());
        let lines: Vec<(String, Option<String>)> = c.support.lines.iter().map(|l| (l.name.clone(), l.phone.clone())).collect();
        prop_assert_eq!(lines, g.support.clone());
    }

    /// Valid configs cut, spliced and salted: never a panic; every error
    /// says a place that exists in the file.
    #[test]
    fn config_mutated(g in good_config(), e in edits()) {
        let text = mutate(&g.text, &e);
        parse_checked("joy.toml", &text)?;
    }

    /// A number out of its range is reported at that value.
    #[test]
    fn config_out_of_range_points_at_the_value(which in 0usize..5, v in prop_oneof![-1_000_000i64..0, 3651i64..i64::MAX], pad in "[ \t]{0,3}", crlf in any::<bool>()) {
        let (key, lo, hi, _) = config::KIOSK_RANGES[which];
        prop_assume!(v < lo as i64 || v > hi as i64);
        let mut text = format!("[huddle]\nperiod = \"week\"\n[kiosk]\nsite = \"Ward 7\"\n{key} ={pad}{v}\n");
        if crlf { text = text.replace('\n', "\r\n"); }
        let e = config::parse("joy.toml", &text).unwrap_err();
        prop_assert_eq!((e.line, e.column), (5, key.chars().count() + 3 + pad.chars().count()), "{}", e);
        prop_assert!(e.message.contains(key), "{}", e.message);
    }

    /// Token soup and deep nesting.
    #[test]
    fn config_token_soup(parts in proptest::collection::vec(toml_piece(), 0..80), shape in any::<u8>(), depth in 1usize..5000) {
        parse_checked("soup.toml", &parts.concat())?;
        let mut nested = deep(shape, depth).replacen("id", "site", 1);
        nested.insert_str(0, "[kiosk]\n");
        parse_checked("deep.toml", &nested)?;
    }

    /// Arbitrary bytes through the file reader: an error with a place, or
    /// (for a valid text) a config.
    #[test]
    fn config_read_file_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048), bom in any::<bool>()) {
        let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let path = dir.path().join("joy.toml");
        let mut b = bytes.clone();
        if bom { b.splice(0..0, "\u{feff}".bytes()); }
        std::fs::write(&path, &b).map_err(|e| TestCaseError::fail(e.to_string()))?;
        if let Err(e) = config::read_file(&path, true) {
            check_config_error(&path.display().to_string(), valid_prefix(&b), &e)?;
        }
    }
}

// ---- `joy score` answers -------------------------------------------------

fn bundled_questionnaires() -> Vec<Questionnaire> {
    BUNDLED
        .iter()
        .map(|(n, t)| load_str(n, t).unwrap_or_else(|d| panic!("{n}: {d:?}")))
        .collect()
}

/// A valid answer to every question of `q`, as text (what `-a` takes) and
/// as a TOML value (what an answers file holds), chosen by `picks`.
fn valid_answers(
    q: &Questionnaire,
    picks: &[usize],
    texts: &[String],
) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for (i, question) in q.questions.iter().enumerate() {
        let pick = picks[i % picks.len()];
        let (as_arg, as_toml) = match &question.kind {
            QuestionKind::Scale { options, .. } | QuestionKind::Choice { options } => {
                let o = &options[pick % options.len()];
                // By value half of the time, by label otherwise.
                let s = if pick % 2 == 0 {
                    o.value.to_string()
                } else {
                    o.label.clone()
                };
                (s.clone(), toml_string(&s))
            }
            QuestionKind::Multi { options, .. } => {
                let chosen: Vec<String> = options
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| (pick >> (j % 16)) & 1 == 1)
                    .map(|(_, o)| o.value.to_string())
                    .collect();
                let list: Vec<String> = chosen.iter().map(|s| toml_string(s)).collect();
                (chosen.join(";"), format!("[{}]", list.join(", ")))
            }
            QuestionKind::Number { min, max, step, .. } => {
                let n = ((max - min) / step).floor() as usize;
                let v = min + step * (pick % (n + 1)) as f64;
                let s = joy_kiosk::questionnaire::fmt_exact(v);
                (s.clone(), s)
            }
            QuestionKind::Text { max_length, .. } => {
                // Any Unicode without `;`/`=`-splitting concerns: text is
                // taken whole, trimmed.
                let t: String = texts[i % texts.len()]
                    .trim()
                    .chars()
                    .take(*max_length)
                    .collect();
                (t.clone(), toml_string(&t))
            }
        };
        out.push((question.id.clone(), as_arg, as_toml));
    }
    out
}

proptest! {
    #![proptest_config(config())]

    /// Valid answers, given with `-a` or in a file (any order, CRLF, a BOM),
    /// parse to the same answers, and score without panicking.
    #[test]
    fn answers_valid_parse_the_same_both_ways(which in 0usize..6, picks in proptest::collection::vec(any::<usize>(), 1..20), texts in proptest::collection::vec(odd_text(), 1..4), crlf in any::<bool>(), bom in any::<bool>()) {
        let qs = bundled_questionnaires();
        let q = &qs[which % qs.len()];
        let given = valid_answers(q, &picks, &texts);
        let pairs: Vec<String> = given.iter().map(|(id, a, _)| format!("{id}={a}")).collect();
        let from_args = parse_pairs(q, pairs.iter().map(String::as_str))
            .map_err(|e| TestCaseError::fail(format!("{e:?}\n{pairs:?}")))?;
        let mut file: String = given.iter().map(|(id, _, t)| format!("{} = {t}\n", toml_string(id))).collect();
        if crlf { file = file.replace('\n', "\r\n"); }
        if bom { file.insert(0, '\u{feff}'); }
        let from_file = parse_answers_file(q, "answers.toml", &file)
            .map_err(|e| TestCaseError::fail(format!("{e:?}\n{file}")))?;
        prop_assert_eq!(&from_args, &from_file);
        for (id, _, _) in &given {
            prop_assert!(from_file.contains_key(id));
        }
        if let Some(AnswerValue::Text(t)) = q.questions.iter().find(|x| matches!(x.kind, QuestionKind::Text { .. })).and_then(|x| from_file.get(&x.id)) {
            prop_assert!(!t.starts_with(char::is_whitespace));
        }
        let _ = score(q, &from_file);
    }

    /// Arbitrary `-a` pairs (known and unknown ids, odd values): answers or
    /// errors, never a panic; and scoring whatever parsed never panics.
    #[test]
    fn answers_arbitrary_pairs(which in 0usize..6, pairs in proptest::collection::vec((any::<usize>(), any::<bool>(), odd_text(), "[0-9.;=e+-]{0,12}"), 0..12)) {
        let qs = bundled_questionnaires();
        let q = &qs[which % qs.len()];
        let args: Vec<String> = pairs
            .iter()
            .map(|(i, known, odd, num)| {
                let id = if *known { q.questions[i % q.questions.len()].id.clone() } else { odd.clone() };
                let v = if i % 3 == 0 { num.clone() } else { odd.clone() };
                if i % 7 == 0 { format!("{id}{v}") } else { format!("{id}={v}") }
            })
            .collect();
        match parse_pairs(q, args.iter().map(String::as_str)) {
            Ok(a) => { let _ = score(q, &a); }
            Err(e) => prop_assert!(!e.is_empty() && e.iter().all(|m| !m.trim().is_empty())),
        }
    }

    /// Answers files mutated and salted: every problem names the file and,
    /// for a syntax error or a bad value, the line and column.
    #[test]
    fn answers_file_mutated(which in 0usize..6, picks in proptest::collection::vec(any::<usize>(), 1..20), texts in proptest::collection::vec(odd_text(), 1..3), e in edits()) {
        let qs = bundled_questionnaires();
        let q = &qs[which % qs.len()];
        let given = valid_answers(q, &picks, &texts);
        let file: String = given.iter().map(|(id, _, t)| format!("{} = {t}\n", toml_string(id))).collect();
        let text = mutate(&file, &e);
        match parse_answers_file(q, "answers.toml", &text) {
            Ok(a) => { let _ = score(q, &a); }
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                for m in &errors {
                    let rest = m.strip_prefix("answers.toml:");
                    prop_assert!(rest.is_some(), "{}", m);
                    let mut it = rest.unwrap_or("").splitn(3, ':');
                    let line = it.next().and_then(|l| l.parse::<usize>().ok());
                    let col = it.next().and_then(|c| c.parse::<usize>().ok());
                    prop_assert!(line.is_some() && col.is_some(), "no line:column in {:?}", m);
                    prop_assert!(place_exists(&text, line.unwrap_or(0), col.unwrap_or(0)), "{:?} is not in:\n{}", m, text);
                }
            }
        }
    }

    /// Arbitrary bytes and deep nesting through the answers-file reader.
    #[test]
    fn answers_file_arbitrary_bytes(which in 0usize..6, bytes in proptest::collection::vec(any::<u8>(), 0..2048), shape in any::<u8>(), depth in 1usize..5000) {
        let qs = bundled_questionnaires();
        let q = &qs[which % qs.len()];
        let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let path = dir.path().join("answers.toml");
        std::fs::write(&path, &bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        if let Err(e) = read_answers_file(q, &path) {
            prop_assert!(e.iter().all(|m| m.starts_with(&path.display().to_string())), "{:?}", e);
        }
        let nested = deep(shape, depth);
        if let Err(e) = parse_answers_file(q, "deep.toml", &nested) {
            prop_assert!(e.iter().all(|m| m.starts_with("deep.toml:")), "{:?}", e);
        }
    }
}

/// A bad value in an answers file is reported at its key, like a syntax
/// error is.
#[test]
fn an_answers_file_error_says_line_and_column() {
    let qs = bundled_questionnaires();
    let who5 = qs.iter().find(|q| q.id == "who5").expect("who5 is bundled");
    let e = parse_answers_file(who5, "a.toml", "cheerful = 3\r\n  calm = \"nope\"\n").unwrap_err();
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].starts_with("a.toml:2:3: \"nope\" is not an option"),
        "{e:?}"
    );
    let e = parse_answers_file(who5, "a.toml", "\u{feff}cheerful = 3\nnope = 1\n").unwrap_err();
    assert!(
        e[0].starts_with("a.toml:2:1: \"who5\" has no question \"nope\""),
        "{e:?}"
    );
    let e = parse_answers_file(who5, "a.toml", "cheerful = [[[[").unwrap_err();
    assert!(e[0].starts_with("a.toml:1:"), "{e:?}");
}

proptest! {
    #![proptest_config(config())]

    /// A support line longer than the cap (as shown) is refused at its own
    /// entry; the ones before it are fine.
    #[test]
    fn config_support_line_cap_points_at_the_entry(before in 0usize..4, n in 0usize..600, c in prop_oneof![Just('x'), Just('é'), Just('\u{202e}'), Just('😀')], crlf in any::<bool>()) {
        let mut text = String::from("[kiosk]\nsite = \"Ward 7\"\n");
        for i in 0..before {
            text.push_str(&format!("[[support.lines]]\nname = \"Hub {i}\"\nphone = \"0300 1\"\n"));
        }
        let long: String = std::iter::repeat_n(c, n).collect();
        let header_line = text.lines().count() + 1;
        text.push_str(&format!("[[support.lines]]\nname = \"Line\"\nnote = {}\n[huddle]\nperiod = \"week\"\n", toml_string(&long)));
        if crlf { text = text.replace('\n', "\r\n"); }
        let shown = format!("Line: {long}").chars().count();
        match config::parse("joy.toml", &text) {
            Ok(c) => {
                prop_assert!(shown <= config::MAX_SUPPORT_LINE_CHARS);
                prop_assert_eq!(c.support.lines.len(), before + 1);
                prop_assert_eq!(c.support.lines[before].note.as_deref(), Some(long.as_str()));
            }
            Err(e) => {
                prop_assert!(shown > config::MAX_SUPPORT_LINE_CHARS, "{}", e);
                prop_assert!(e.message.contains("support line"), "{}", e);
                prop_assert!((header_line..=header_line + 2).contains(&e.line), "{} (entry at line {})", e, header_line);
                check_config_error("joy.toml", &text, &e)?;
            }
        }
    }
}
