//! `joy import daylio_export.csv`: a Daylio mood diary (the import most
//! asked for in open mood-tracker projects) as check-ins of the bundled
//! "daily mood" questionnaire: its mood as the answer, its note (title,
//! text and activities) as the private note, dated as in the file (local
//! time), marked as imported from Daylio.
//!
//! Daylio writes `full_date,date,weekday,time,mood,activities,note_title,note`
//! (older versions: `year,date,weekday,time,mood,activities,note`), newest
//! first; times as `21:04` or `9:04 pm`; its five default moods are rad,
//! good, meh, bad and awful. A renamed mood is refused at its line unless
//! `--mood NAME=N` says which of 1 to 5 it is.

use crate::model::NewCheckin;
use crate::questionnaire::{score, AnswerValue, Answers, Questionnaire, Scalar};
use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};

/// The bundled questionnaire Daylio entries become.
pub const QUESTIONNAIRE: &str = "daily-mood";
/// What an imported check-in says it came from.
pub const SOURCE: &str = "Daylio";

/// Daylio's default moods, best first, as the daily mood's 5 to 1.
pub const DEFAULT_MOODS: [(&str, u8); 5] = [
    ("rad", 5),
    ("good", 4),
    ("meh", 3),
    ("bad", 2),
    ("awful", 1),
];

/// One problem, at its line of the file (1: the header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// What the file held: the check-ins, and how many notes were cut to the
/// note's length.
#[derive(Debug)]
pub struct Read {
    pub checkins: Vec<NewCheckin>,
    pub notes_cut: usize,
    /// Moods given with `--mood` that no entry has (a typo?).
    pub unused_moods: Vec<String>,
}

/// The check-ins of `text` (a Daylio CSV export) for `me`, local times in
/// `tz`, with `moods` naming renamed moods (lower case) on top of
/// Daylio's defaults; or every problem found.
pub fn read<Tz: TimeZone>(
    text: &str,
    q: &Questionnaire,
    me: i64,
    moods: &[(String, u8)],
    tz: &Tz,
) -> Result<Read, Vec<Problem>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match r.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_lowercase()).collect(),
        Err(e) => return Err(vec![problem(1, format!("this is not a CSV file: {e}"))]),
    };
    let col = |name: &str| header.iter().position(|h| h == name);
    let (Some(mood_c), Some(time_c)) = (col("mood"), col("time")) else {
        return Err(vec![problem(
            1,
            "this is not a Daylio export: its first line should name the columns full_date (or year and date), time, mood, activities and note",
        )]);
    };
    let date_cols = match (col("full_date"), col("year"), col("date")) {
        (Some(f), _, _) => Dates::Full(f),
        (None, Some(y), Some(d)) => Dates::YearAndDay(y, d),
        _ => {
            return Err(vec![problem(
                1,
                "this Daylio export has no date column (full_date, or year and date)",
            )])
        }
    };
    let (activities_c, title_c, note_c) = (col("activities"), col("note_title"), col("note"));
    let max_note = q
        .question(crate::questionnaire::load::NOTE_ID)
        .and_then(|n| match n.kind {
            crate::questionnaire::QuestionKind::Text { max_length, .. } => Some(max_length),
            _ => None,
        });
    let mut problems = Vec::new();
    let mut checkins = Vec::new();
    let mut notes_cut = 0;
    let mut used: Vec<String> = Vec::new();
    for (i, row) in r.records().enumerate() {
        let line = i + 2;
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                problems.push(problem(line, format!("cannot be read as CSV: {e}")));
                continue;
            }
        };
        let cell = |c: Option<usize>| c.and_then(|c| row.get(c)).unwrap_or("").trim();
        let at = match when(&date_cols, &row, cell(Some(time_c)), tz) {
            Ok(at) => at,
            Err(m) => {
                problems.push(problem(line, m));
                continue;
            }
        };
        let mood_name = cell(Some(mood_c)).to_lowercase();
        used.push(mood_name.clone());
        let Some(value) = moods
            .iter()
            .map(|(n, v)| (n.as_str(), *v))
            .chain(DEFAULT_MOODS)
            .find(|(n, _)| *n == mood_name)
            .map(|(_, v)| v)
        else {
            problems.push(problem(
                line,
                format!("the mood \"{mood_name}\" is not one of Daylio's defaults (rad, good, meh, bad, awful): say which of 1 (worst) to 5 (best) it is with --mood \"{mood_name}=N\""),
            ));
            continue;
        };
        let mut answers = Answers::new();
        answers.insert(
            "mood".into(),
            AnswerValue::Choice(Scalar::Number(f64::from(value))),
        );
        let note = note_of(cell(title_c), cell(note_c), cell(activities_c));
        if let (Some(max), false) = (max_note, note.is_empty()) {
            let mut note = note;
            if note.chars().count() > max {
                note = note
                    .chars()
                    .take(max)
                    .collect::<String>()
                    .trim_end()
                    .to_string();
                notes_cut += 1;
            }
            answers.insert(
                crate::questionnaire::load::NOTE_ID.into(),
                AnswerValue::Text(note),
            );
        }
        let outcome = score(q, &answers);
        let mut c = NewCheckin::from_outcome(q, &answers, &outcome, Some(me), at, at);
        c.imported_from = Some(SOURCE.to_string());
        checkins.push(c);
    }
    if problems.is_empty() {
        let unused_moods = moods
            .iter()
            .map(|(n, _)| n.clone())
            .filter(|n| !used.contains(n))
            .collect();
        Ok(Read {
            checkins,
            notes_cut,
            unused_moods,
        })
    } else {
        Err(problems)
    }
}

fn problem(line: usize, message: impl Into<String>) -> Problem {
    Problem {
        line,
        message: message.into(),
    }
}

enum Dates {
    Full(usize),
    YearAndDay(usize, usize),
}

/// The moment of a row: its date and time, local in `tz`.
fn when<Tz: TimeZone>(
    dates: &Dates,
    row: &csv::StringRecord,
    time: &str,
    tz: &Tz,
) -> Result<DateTime<Utc>, String> {
    let get = |c: usize| row.get(c).unwrap_or("").trim();
    let date = match dates {
        Dates::Full(c) => NaiveDate::parse_from_str(get(*c), "%Y-%m-%d")
            .map_err(|_| format!("\"{}\" is not a date like 2026-12-07", get(*c)))?,
        Dates::YearAndDay(y, d) => {
            let text = format!("{} {}", get(*d), get(*y));
            NaiveDate::parse_from_str(&text, "%d %B %Y")
                .or_else(|_| NaiveDate::parse_from_str(&text, "%d %b %Y"))
                .or_else(|_| NaiveDate::parse_from_str(&text, "%B %d %Y"))
                .or_else(|_| NaiveDate::parse_from_str(&text, "%b %d %Y"))
                .map_err(|_| format!("\"{text}\" is not a date like 18 May 2018"))?
        }
    };
    let t = time.to_lowercase().replace('.', "");
    let clock = ["%H:%M", "%I:%M %p", "%I:%M%p", "%H:%M:%S"]
        .iter()
        .find_map(|f| NaiveTime::parse_from_str(&t, f).ok())
        .ok_or_else(|| format!("\"{time}\" is not a time like 21:04 or 9:04 pm"))?;
    let local = date.and_time(clock);
    // A time that the clocks skipped or repeated (a DST change): the
    // earlier reading, else an hour on.
    tz.from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(local + chrono::Duration::hours(1)))
                .earliest()
        })
        .map(|d| d.with_timezone(&Utc))
        .ok_or_else(|| format!("{local} does not exist in this time zone"))
}

/// Daylio's note title, note and activities as one private note: its
/// formatting (`<br>`, `<b>`...) as plain lines.
fn note_of(title: &str, note: &str, activities: &str) -> String {
    let mut parts = Vec::new();
    if !title.is_empty() {
        parts.push(plain(title));
    }
    if !note.is_empty() {
        parts.push(plain(note));
    }
    let acts: Vec<&str> = activities
        .split('|')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .collect();
    if !acts.is_empty() {
        parts.push(crate::text::daylio_activities(&acts.join(", ")));
    }
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Text with Daylio's markup made plain: line breaks and list items as
/// lines, other tags dropped, the common entities decoded.
fn plain(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let tag = rest[open + 1..open + close].trim().to_lowercase();
        let name = tag
            .trim_start_matches('/')
            .split([' ', '/'])
            .next()
            .unwrap_or("");
        // Each <br> is a line break (two: a blank line); a block starts a
        // line of its own.
        let block = matches!(name, "p" | "li" | "div") && !out.ends_with('\n');
        if !out.is_empty() && (name == "br" || block) {
            out.push('\n');
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    let out = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .replace("\r\n", "\n");
    let lines: Vec<&str> = out.lines().map(str::trim_end).collect();
    lines.join("\n").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn daylio_markup_becomes_plain_lines() {
        assert_eq!(
            plain("Long day<br>Sam &amp; I <b>laughed</b><br/>"),
            "Long day\nSam & I laughed"
        );
        assert_eq!(plain("a < b"), "a < b");
        assert_eq!(plain("one<br><br>two"), "one\n\ntwo");
        assert_eq!(
            note_of("Title", "Text", "work | bad sleep | "),
            "Title\nText\nActivities: work, bad sleep"
        );
    }
}
