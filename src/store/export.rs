//! Export of personal data: JSON (everything, nested) and CSV (RFC 4180:
//! one row per answer and per score, CRLF line ends, quotes where needed).

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

pub fn to_csv(records: &[CheckinRecord]) -> Result<String, csv::Error> {
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
