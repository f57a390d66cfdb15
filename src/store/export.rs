//! Export of personal data: JSON (everything, nested); CSV for spreadsheets
//! (one row per check-in, UTF-8 byte order mark so Excel reads accents); and
//! the long CSV (one row per answer and per score). Both CSVs are RFC 4180:
//! CRLF line ends, quotes where needed.

use super::CheckinRecord;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

#[derive(Serialize)]
struct JsonExport<'a> {
    format: &'static str,
    exported_at: String,
    checkins: &'a [CheckinRecord],
}

pub fn to_json(records: &[CheckinRecord], now: DateTime<Utc>) -> String {
    let doc = JsonExport {
        format: "joy-kiosk export 1",
        exported_at: now.to_rfc3339_opts(SecondsFormat::Secs, true),
        checkins: records,
    };
    serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

pub const CSV_HEADER: [&str; 14] = [
    "checkin_id",
    "questionnaire_id",
    "questionnaire_version",
    "file_sha256",
    "started_at",
    "completed_at",
    "demo",
    "record",
    "item_id",
    "value",
    "label",
    "raw",
    "band",
    "tone",
];

/// The long layout (`--format csv-long`): one row per answer and per score.
pub fn to_csv_long(records: &[CheckinRecord]) -> Result<String, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(CSV_HEADER)?;
    let t = |d: DateTime<Utc>| d.to_rfc3339_opts(SecondsFormat::Secs, true);
    let num = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    for r in records {
        let head = [
            r.id.to_string(),
            r.questionnaire_id.clone(),
            r.questionnaire_version.clone(),
            r.file_hash.clone(),
            t(r.started_at),
            t(r.completed_at),
            if r.is_demo { "1".into() } else { "0".into() },
        ];
        for a in &r.answers {
            let value = match &a.value {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Number(n) => n
                    .as_f64()
                    .map(crate::questionnaire::fmt_number)
                    .unwrap_or_else(|| n.to_string()),
                other => other.to_string(),
            };
            let row = [
                "answer".to_string(),
                a.question_id.clone(),
                value,
                a.label.clone(),
                String::new(),
                String::new(),
                String::new(),
            ];
            w.write_record(head.iter().chain(row.iter()))?;
        }
        for s in &r.scores {
            let row = [
                "score".to_string(),
                s.score_id.clone(),
                num(s.value),
                s.label.clone(),
                num(s.raw),
                s.band_label.clone().unwrap_or_default(),
                s.band_tone.clone().unwrap_or_default(),
            ];
            w.write_record(head.iter().chain(row.iter()))?;
        }
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Excel and LibreOffice read a CSV as UTF-8 only when it starts with this.
pub const UTF8_BOM: &str = "\u{feff}";

/// The columns before the answers in the spreadsheet layout.
pub const CSV_WIDE_HEAD: [&str; 6] = [
    "checkin_id",
    "completed (local time)",
    "completed (UTC)",
    "questionnaire",
    "questionnaire_version",
    "demo",
];

/// The spreadsheet layout (`--format csv`): one row per check-in, with the
/// time in local time and in UTC, the questionnaire, then for every
/// questionnaire present one column per question (`who5.cheerful`: the
/// chosen label) and two per score (`who5.wellbeing score`, rounded as on
/// screen, and `who5.wellbeing band`). Columns follow the order of the
/// questions and scores in `known` (the questionnaire files), then any others
/// in the order they were saved. Starts with a UTF-8 byte order mark.
pub fn to_csv<Tz: chrono::TimeZone>(
    records: &[CheckinRecord],
    known: &[crate::questionnaire::Questionnaire],
    tz: &Tz,
) -> Result<String, csv::Error>
where
    Tz::Offset: std::fmt::Display,
{
    // (questionnaire id, its question ids, its score ids), in order.
    let mut groups: Vec<(String, Vec<String>, Vec<String>)> = Vec::new();
    for r in records {
        let i = match groups.iter().position(|g| g.0 == r.questionnaire_id) {
            Some(i) => i,
            None => {
                let (qs, ss) = known
                    .iter()
                    .find(|q| q.id == r.questionnaire_id)
                    .map(|q| {
                        (
                            q.questions.iter().map(|x| x.id.clone()).collect(),
                            q.scores.iter().map(|x| x.id.clone()).collect(),
                        )
                    })
                    .unwrap_or_default();
                groups.push((r.questionnaire_id.clone(), qs, ss));
                groups.len() - 1
            }
        };
        let mut answers: Vec<&super::SavedAnswer> = r.answers.iter().collect();
        answers.sort_by_key(|a| a.position);
        for a in answers {
            if !groups[i].1.contains(&a.question_id) {
                groups[i].1.push(a.question_id.clone());
            }
        }
        for sc in &r.scores {
            if !groups[i].2.contains(&sc.score_id) {
                groups[i].2.push(sc.score_id.clone());
            }
        }
    }
    let mut header: Vec<String> = CSV_WIDE_HEAD.iter().map(|h| h.to_string()).collect();
    for (qid, qs, ss) in &groups {
        header.extend(qs.iter().map(|q| format!("{qid}.{q}")));
        for sc in ss {
            header.push(format!("{qid}.{sc} score"));
            header.push(format!("{qid}.{sc} band"));
        }
    }
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(&header)?;
    for r in records {
        let mut row = vec![
            r.id.to_string(),
            r.completed_at
                .with_timezone(tz)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string(),
            r.completed_at.format("%Y-%m-%d %H:%M:%SZ").to_string(),
            r.questionnaire_id.clone(),
            r.questionnaire_version.clone(),
            if r.is_demo { "yes".into() } else { "no".into() },
        ];
        for (qid, qs, ss) in &groups {
            let mine = *qid == r.questionnaire_id;
            for q in qs {
                row.push(
                    r.answers
                        .iter()
                        .find(|a| mine && a.question_id == *q)
                        .map(|a| a.label.clone())
                        .unwrap_or_default(),
                );
            }
            for sc in ss {
                let saved = r.scores.iter().find(|x| mine && x.score_id == *sc);
                row.push(
                    saved
                        .and_then(|x| x.value)
                        .map(crate::questionnaire::fmt_number)
                        .unwrap_or_default(),
                );
                row.push(saved.and_then(|x| x.band_label.clone()).unwrap_or_default());
            }
        }
        w.write_record(&row)?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(format!("{UTF8_BOM}{}", String::from_utf8_lossy(&bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{SavedAnswer, SavedScore};
    use chrono::TimeZone;

    fn record(
        id: i64,
        q: &str,
        answers: &[(&str, i64, &str)],
        score: Option<f64>,
    ) -> CheckinRecord {
        let at = Utc.with_ymd_and_hms(2026, 1, 2, 23, 30, 0).unwrap();
        CheckinRecord {
            id,
            questionnaire_id: q.into(),
            questionnaire_version: "1".into(),
            file_hash: "h".into(),
            started_at: at,
            completed_at: at,
            is_demo: false,
            unreadable: false,
            answers: answers
                .iter()
                .map(|(qid, pos, label)| SavedAnswer {
                    question_id: qid.to_string(),
                    position: *pos,
                    value: serde_json::json!(1),
                    label: label.to_string(),
                })
                .collect(),
            scores: vec![SavedScore {
                score_id: "s".into(),
                label: "S".into(),
                raw: score,
                value: score,
                band_label: score.map(|_| "Low, \"kind\" band".into()),
                band_tone: Some("alert".into()),
            }],
        }
    }

    #[test]
    fn wide_csv_has_one_row_per_checkin_local_and_utc_and_rounded_scores() {
        let records = vec![
            record(
                1,
                "a",
                &[("x", 1, "Yes"), ("y", 0, "Café, ☕")],
                Some(4.375),
            ),
            record(2, "b", &[("z", 0, "No")], None),
        ];
        let tz = chrono::FixedOffset::east_opt(3600).unwrap();
        let csv = to_csv(&records, &[], &tz).unwrap();
        assert!(csv.starts_with(UTF8_BOM));
        let lines: Vec<&str> = csv.trim_start_matches(UTF8_BOM).split("\r\n").collect();
        assert_eq!(
            lines[0],
            "checkin_id,completed (local time),completed (UTC),questionnaire,questionnaire_version,demo,\
             a.y,a.x,a.s score,a.s band,b.z,b.s score,b.s band"
        );
        assert_eq!(lines.len(), 4, "header, two check-ins, final CRLF");
        assert_eq!(
            lines[1],
            "1,2026-01-03 00:30:00,2026-01-02 23:30:00Z,a,1,no,\"Café, ☕\",Yes,4.4,\"Low, \"\"kind\"\" band\",,,"
        );
        assert_eq!(
            lines[2],
            "2,2026-01-03 00:30:00,2026-01-02 23:30:00Z,b,1,no,,,,,No,,"
        );
    }
}
