//! Gentle reminders (issue 18, §4): how often each personal questionnaire
//! is suggested (`remind_every_days` in its file, `[reminders]` in the
//! config over it), what is due today, the one line `joy status` prints,
//! and the calendar file `joy remind --ics` writes. Pure: dates in, words
//! and text out. No streaks and no guilt: a reminder says how long it has
//! been and that any time suits.

use crate::questionnaire::catalog::ReminderFacts;
use crate::questionnaire::{Kind, Questionnaire};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use std::collections::BTreeMap;

/// Days between reminders of `q`: the config's number for its id (0 turns
/// it off), else its file's; none for team reflections.
pub fn every(q: &ReminderFacts, overrides: &BTreeMap<String, u32>) -> Option<u32> {
    cadence(&q.id, q.kind, q.remind_every_days, overrides)
}

/// [`every`] of a loaded questionnaire (Home, `joy list`), with nothing
/// copied.
pub fn every_of(q: &Questionnaire, overrides: &BTreeMap<String, u32>) -> Option<u32> {
    cadence(&q.id, q.kind, q.remind_every_days, overrides)
}

fn cadence(
    id: &str,
    kind: Kind,
    file: Option<u32>,
    overrides: &BTreeMap<String, u32>,
) -> Option<u32> {
    if kind != Kind::Personal {
        return None;
    }
    match overrides.get(id) {
        Some(0) => None,
        Some(d) => Some(*d),
        None => file,
    }
}

/// Where one questionnaire stands on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Never done: suggested whenever it suits.
    NotYet,
    /// Done `days` ago, at least its cadence: suggested.
    Due { days: i64 },
    /// Done recently: next suggested in `in_days`.
    Fine { in_days: i64 },
}

impl Standing {
    pub fn is_due(self) -> bool {
        !matches!(self, Standing::Fine { .. })
    }
}

/// How `every` days stand on local date `today` after the last check-in
/// on local date `last`.
pub fn standing(every: u32, last: Option<NaiveDate>, today: NaiveDate) -> Standing {
    match last {
        None => Standing::NotYet,
        Some(d) => {
            let days = (today - d).num_days().max(0);
            if days >= i64::from(every) {
                Standing::Due { days }
            } else {
                Standing::Fine {
                    in_days: i64::from(every) - days,
                }
            }
        }
    }
}

/// One questionnaire's reminder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    pub id: String,
    pub title: String,
    pub every: u32,
    pub standing: Standing,
}

/// Every personal questionnaire with a cadence, as it stands on `today`
/// (in `tz`), given the last check-in of each (`last`, by id).
pub fn reminders<Tz: TimeZone>(
    questionnaires: &[ReminderFacts],
    overrides: &BTreeMap<String, u32>,
    last: &BTreeMap<String, DateTime<Utc>>,
    now: DateTime<Utc>,
    tz: &Tz,
) -> Vec<Reminder> {
    let today = now.with_timezone(tz).date_naive();
    questionnaires
        .iter()
        .filter_map(|q| {
            let every = every(q, overrides)?;
            let last = last.get(&q.id).map(|t| t.with_timezone(tz).date_naive());
            Some(Reminder {
                id: q.id.clone(),
                title: q.title.clone(),
                every,
                standing: standing(every, last, today),
            })
        })
        .collect()
}

/// The one line `joy status` prints, and whether anything is due.
pub fn status_line(reminders: &[Reminder]) -> (String, bool) {
    let due: Vec<&Reminder> = reminders.iter().filter(|r| r.standing.is_due()).collect();
    if let Some(first) = due.first() {
        let more = match due.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        return (
            format!(
                "joy: {}{more}, whenever suits you",
                crate::text::reminder(&first.title, first.standing)
            ),
            true,
        );
    }
    let next = reminders
        .iter()
        .filter_map(|r| match r.standing {
            Standing::Fine { in_days } => Some((in_days, r)),
            _ => None,
        })
        .min_by_key(|(d, _)| *d);
    match next {
        Some((d, r)) => (crate::text::reminder_next(&r.title, d), false),
        None => (crate::text::REMINDERS_NONE.to_string(), false),
    }
}

/// A calendar file (iCalendar, RFC 5545) with one recurring event per
/// reminder: every `every` days from its next suggested day, at 09:00 in
/// the calendar's own time zone, ten minutes long. Outlook, Google and
/// Apple calendars import it.
pub fn ics(reminders: &[Reminder], now: DateTime<Utc>, today: NaiveDate, seed: u64) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//joy-kiosk//reminders//EN".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
    ];
    let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
    for (i, r) in reminders.iter().enumerate() {
        let start = match r.standing {
            Standing::Fine { in_days } => today + chrono::Duration::days(in_days),
            // Due or never done: from tomorrow, not in the past.
            _ => today + chrono::Duration::days(1),
        };
        lines.extend([
            "BEGIN:VEVENT".to_string(),
            format!("UID:{seed:016x}-{i}-{}@joy-kiosk", escape(&r.id)),
            format!("DTSTAMP:{stamp}"),
            format!("DTSTART:{}T090000", start.format("%Y%m%d")),
            "DURATION:PT10M".to_string(),
            format!("RRULE:FREQ=DAILY;INTERVAL={}", r.every),
            format!("SUMMARY:{}", escape(&crate::text::ics_summary(&r.title))),
            format!(
                "DESCRIPTION:{}",
                escape(&crate::text::ics_description(&r.title, r.every))
            ),
            "TRANSP:TRANSPARENT".to_string(),
            "END:VEVENT".to_string(),
        ]);
    }
    lines.push("END:VCALENDAR".to_string());
    lines.iter().map(|l| fold(l)).collect::<Vec<_>>().concat()
}

/// A text value as iCalendar writes it: backslash, semicolon, comma and
/// line breaks escaped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded at 75 octets (never inside a character) and
/// ended with CRLF, as RFC 5545 asks.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::Catalog;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).expect("a day")
    }

    #[test]
    fn due_after_the_cadence_and_never_done_counts_as_due() {
        assert_eq!(standing(14, None, day(20)), Standing::NotYet);
        assert_eq!(
            standing(14, Some(day(6)), day(20)),
            Standing::Due { days: 14 }
        );
        assert_eq!(
            standing(14, Some(day(10)), day(20)),
            Standing::Fine { in_days: 4 }
        );
    }

    #[test]
    fn the_config_changes_or_turns_off_a_files_cadence() {
        let cat = Catalog::bundled();
        let who5 = ReminderFacts::from(cat.get("who5").expect("bundled"));
        assert_eq!(every(&who5, &BTreeMap::new()), who5.remind_every_days);
        assert!(who5.remind_every_days.is_some(), "WHO-5 suggests a cadence");
        let seven: BTreeMap<String, u32> = [("who5".to_string(), 7)].into();
        assert_eq!(every(&who5, &seven), Some(7));
        let off: BTreeMap<String, u32> = [("who5".to_string(), 0)].into();
        assert_eq!(every(&who5, &off), None);
        let team = ReminderFacts::from(cat.get("team-reflection").expect("bundled"));
        assert_eq!(every(&team, &BTreeMap::new()), None, "no personal reminder");
    }

    #[test]
    fn the_status_line_is_kind_and_says_what_is_due() {
        let r = |id: &str, standing| Reminder {
            id: id.into(),
            title: id.to_uppercase(),
            every: 14,
            standing,
        };
        let (line, due) = status_line(&[
            r("who5", Standing::Due { days: 16 }),
            r("joy", Standing::NotYet),
        ]);
        assert!(due);
        assert_eq!(
            line,
            "joy: WHO5: 16 days since the last one (and 1 more), whenever suits you"
        );
        let (line, due) = status_line(&[r("who5", Standing::Fine { in_days: 3 })]);
        assert!(!due);
        assert_eq!(line, "joy: nothing due; WHO5 suggested in 3 days");
        for word in ["streak", "missed", "should", "must", "overdue"] {
            assert!(!line.contains(word));
        }
    }

    #[test]
    fn the_calendar_file_is_valid_icalendar() {
        let r = Reminder {
            id: "who5".into(),
            title: "WHO-5 Wellbeing Index; a very long title, with commas, that needs folding at seventy-five octets".into(),
            every: 14,
            standing: Standing::Fine { in_days: 4 },
        };
        let now = Utc.with_ymd_and_hms(2026, 12, 6, 9, 0, 0).unwrap();
        let text = ics(&[r], now, day(6), 7);
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(!text.replace("\r\n", "").contains('\n'), "CRLF only");
        for l in text.split("\r\n") {
            assert!(l.len() <= 75, "folded: {l:?}");
        }
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains("RRULE:FREQ=DAILY;INTERVAL=14\r\n"));
        assert!(unfolded.contains("DTSTART:20261210T090000\r\n"));
        assert!(unfolded.contains("Index\\; a very long title\\, with commas"));
        assert_eq!(unfolded.matches("BEGIN:VEVENT").count(), 1);
    }
}
