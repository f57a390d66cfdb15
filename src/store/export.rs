//! Export of personal data: JSON (everything, nested); CSV for spreadsheets
//! (one row per check-in, UTF-8 byte order mark so Excel reads accents); and
//! the long CSV (one row per answer and per score). Both CSVs are RFC 4180:
//! CRLF line ends, quotes where needed. A text cell that a spreadsheet
//! would take for a formula is written with a leading `'` ([`spreadsheet_cell`]).
//!
//! [`write_export`] puts an export in a file without ever touching the
//! database: the database and its `-wal`/`-shm` files are refused by any
//! spelling, an existing file is replaced only when asked, and the bytes go
//! to a new private temporary file that is renamed into place.

use super::CheckinRecord;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};

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
    let json =
        serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    crate::text::safe_json(&json).into_owned()
}

/// A cell as a spreadsheet should see it. Excel and LibreOffice take a cell
/// that begins with `=`, `+`, `-`, `@`, tab, carriage return (or NUL) for a
/// formula, so such a cell is written with a leading `'`, which makes them
/// show it as text (OWASP's advice on CSV injection). A plain negative
/// number such as `-3` or `-0.5` is left as it is: it is no formula.
pub fn spreadsheet_cell(s: &str) -> Cow<'_, str> {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r', '\0']);
    if risky && !is_plain_negative_number(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// `-12` or `-0.25`: a minus sign, digits, at most one point with digits after.
fn is_plain_negative_number(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('-') else {
        return false;
    };
    let (whole, frac) = match rest.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (rest, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && frac.is_none_or(digits)
}

/// Write one CSV record with every cell passed through [`spreadsheet_cell`].
fn write_cells<W: std::io::Write, S: AsRef<str>>(
    w: &mut csv::Writer<W>,
    cells: impl IntoIterator<Item = S>,
) -> Result<(), csv::Error> {
    w.write_record(
        cells
            .into_iter()
            .map(|c| spreadsheet_cell(c.as_ref()).into_owned()),
    )
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
    write_cells(&mut w, CSV_HEADER)?;
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
            write_cells(&mut w, head.iter().chain(row.iter()))?;
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
            write_cells(&mut w, head.iter().chain(row.iter()))?;
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
    write_cells(&mut w, &header)?;
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
        write_cells(&mut w, &row)?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(format!("{UTF8_BOM}{}", String::from_utf8_lossy(&bytes)))
}

/// Why an export was not written. In every case nothing was written and
/// nothing was left behind.
#[derive(Debug, thiserror::Error)]
pub enum ExportFileError {
    #[error("{out} is your database (or one of its -wal/-shm files, {db}): exporting there would destroy your history. Nothing was written. Choose another file, e.g. --out my-wellbeing.csv.")]
    IsDatabase { out: String, db: String },
    #[error("{out} already exists. Nothing was written. Add --force to replace it, or choose another file.")]
    Exists { out: String },
    #[error("{out} is a folder. Nothing was written. Give a file name, e.g. --out {out}/my-wellbeing.csv.")]
    IsFolder { out: String },
    #[error("the folder {folder} does not exist. Nothing was written. Create it first, or choose another place.")]
    NoFolder { folder: String },
    #[error("cannot write {path}: {cause}. Nothing was written.")]
    Io { path: String, cause: std::io::Error },
}

/// The files SQLite keeps for the database at `db`.
fn database_files(db: &Path) -> Vec<PathBuf> {
    ["", "-wal", "-shm", "-journal"]
        .iter()
        .map(|suffix| {
            let mut p = db.as_os_str().to_owned();
            p.push(suffix);
            PathBuf::from(p)
        })
        .collect()
}

/// `p` with every symlink and `..` resolved; for a file that does not exist
/// yet, its resolved folder joined with its name.
fn resolved(p: &Path) -> Option<PathBuf> {
    if let Ok(c) = std::fs::canonicalize(p) {
        return Some(c);
    }
    let name = p.file_name()?;
    let folder = p
        .parent()
        .filter(|f| !f.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::canonicalize(folder).ok().map(|f| f.join(name))
}

/// Is `out` the database at `db` or one of its -wal/-shm/-journal files,
/// however it is spelt: relative or absolute, through `./` or `..`, a
/// symlink, or another hard link to the same file?
pub fn is_database_file(out: &Path, db: &Path) -> bool {
    let out_resolved = resolved(out);
    let out_meta = std::fs::metadata(out).ok();
    // The database path itself may be a symlink: compare with both the
    // files beside the path as given and beside its resolved target.
    let mut candidates = database_files(db);
    if let Ok(real_db) = std::fs::canonicalize(db) {
        candidates.extend(database_files(&real_db));
    }
    candidates.iter().any(|c| {
        if out_resolved.is_some() && resolved(c) == out_resolved {
            return true;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            if let (Some(a), Ok(b)) = (&out_meta, std::fs::metadata(c)) {
                if a.dev() == b.dev() && a.ino() == b.ino() {
                    return true;
                }
            }
        }
        #[cfg(not(unix))]
        let _ = &out_meta;
        false
    })
}

/// Write an export to `out`, never touching the database at `db`.
///
/// - `out` naming the database or its -wal/-shm files (by any spelling) is
///   refused; so is a folder, or a name ending in `/`.
/// - An existing `out` (a file or a symlink) is replaced only when `force`
///   is given; a symlink is then replaced itself, never followed.
/// - The bytes go to a new temporary file in `out`'s folder, created
///   exclusively with a random name (no symlink followed, mode 0600), synced,
///   then renamed into place; on any error it is removed.
pub fn write_export(
    out: &Path,
    bytes: &[u8],
    db: &Path,
    force: bool,
) -> Result<(), ExportFileError> {
    let shown = out.display().to_string();
    let folder_name = out
        .as_os_str()
        .to_string_lossy()
        .ends_with(['/', std::path::MAIN_SEPARATOR]);
    if out.file_name().is_none() || folder_name || out.is_dir() {
        return Err(ExportFileError::IsFolder { out: shown });
    }
    if is_database_file(out, db) {
        return Err(ExportFileError::IsDatabase {
            out: shown,
            db: db.display().to_string(),
        });
    }
    if !force && out.symlink_metadata().is_ok() {
        return Err(ExportFileError::Exists { out: shown });
    }
    let folder = out
        .parent()
        .filter(|f| !f.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !folder.is_dir() {
        return Err(ExportFileError::NoFolder {
            folder: folder.display().to_string(),
        });
    }
    let io = |path: &Path, cause: std::io::Error| ExportFileError::Io {
        path: path.display().to_string(),
        cause,
    };
    // tempfile creates with O_CREAT|O_EXCL (a planted file or symlink at
    // the name makes it try another name) and mode 0600.
    let mut tmp = tempfile::Builder::new()
        .prefix(".joy-export-")
        .suffix(".tmp")
        .tempfile_in(folder)
        .map_err(|e| io(folder, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(|e| io(tmp.path(), e))?;
    }
    tmp.write_all(bytes).map_err(|e| io(out, e))?;
    tmp.as_file().sync_all().map_err(|e| io(out, e))?;
    let placed = if force {
        tmp.persist(out)
    } else {
        tmp.persist_noclobber(out)
    };
    // On failure the temporary file is dropped with the error: removed.
    placed.map_err(|e| match e.error.kind() {
        std::io::ErrorKind::AlreadyExists => ExportFileError::Exists { out: shown.clone() },
        _ => io(out, e.error),
    })?;
    // Make the rename itself durable (best effort: not every system can
    // sync a folder).
    if let Ok(dir) = std::fs::File::open(folder) {
        let _ = dir.sync_all();
    }
    Ok(())
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
            imported_from: None,
            unreadable: false,
            asked: Vec::new(),
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
