//! Export and backup from inside the app (issue 18 §6: they only existed
//! as commands): History's `x` writes the whole history as a spreadsheet
//! file into the documents folder, never replacing one; `b` makes a backup
//! beside the daily ones. A kiosk offers neither. And Home and History rows
//! at 80 columns never cut a band's name in half.

mod common;

use common::{screen_lines, App};
use joy_kiosk::app::Action;

fn app_on_file(dir: &std::path::Path) -> App {
    let mut app = App::new();
    app.store = joy_kiosk::store::Store::open(&dir.join("joy.db")).unwrap();
    let me = app.store.local_respondent().unwrap();
    app.state.session.respondent = Some(me);
    let docs = dir.join("Documents");
    std::fs::create_dir(&docs).unwrap();
    app.state.export_dir = Some(docs);
    app
}

fn who5(app: &mut App) {
    app.answer_who5(1);
    app.act(Action::Save);
    app.act(Action::Confirm);
}

#[test]
fn x_in_history_exports_everything_to_a_new_private_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_on_file(dir.path());
    who5(&mut app);
    who5(&mut app);
    app.act(Action::OpenHistory);
    let keys = screen_lines(&app, 100, 24).join("\n");
    assert!(keys.contains("x export"), "{keys}");
    assert!(keys.contains("b backup"), "{keys}");
    app.act(Action::Export);
    let said = app.state.status.clone().unwrap_or_default();
    assert!(said.starts_with("Exported 2 check-ins to "), "{said}");
    let files: Vec<_> = std::fs::read_dir(dir.path().join("Documents"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let name = files[0].file_name().unwrap().to_string_lossy().to_string();
    assert!(
        name.starts_with("joy-export-") && name.ends_with(".csv"),
        "{name}"
    );
    assert!(said.contains(&name), "{said}");
    let csv = std::fs::read_to_string(&files[0]).unwrap();
    assert!(csv.contains("who5.wellbeing score"), "{csv}");
    assert_eq!(csv.lines().count(), 3, "a header and two rows: {csv}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&files[0]).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Again the same day: a second file, the first untouched.
    app.act(Action::Export);
    let again = app.state.status.clone().unwrap_or_default();
    assert!(again.contains("-2.csv"), "{again}");
    assert_eq!(std::fs::read_to_string(&files[0]).unwrap(), csv);
}

#[test]
fn b_in_history_makes_a_backup_now() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_on_file(dir.path());
    who5(&mut app);
    app.act(Action::OpenHistory);
    app.act(Action::Backup);
    let said = app.state.status.clone().unwrap_or_default();
    assert!(said.starts_with("Backed up to "), "{said}");
    let backups = joy_kiosk::store::safety::list_backups(&joy_kiosk::store::backup_dir(
        &dir.path().join("joy.db"),
    ))
    .unwrap();
    assert_eq!(backups.len(), 1, "{said}");
    assert!(said.contains(&backups[0].display().to_string()), "{said}");
}

#[test]
fn a_kiosk_offers_no_export_or_backup() {
    let mut app = App::kiosk();
    assert!(app.state.export_dir.is_none());
    app.act(Action::Export);
    app.act(Action::Backup);
    assert!(app.state.status.is_none(), "{:?}", app.state.status);
}

#[test]
fn home_rows_at_80_columns_cut_no_band_name() {
    let mut app = App::new();
    let me = app.state.session.respondent.unwrap();
    let cat = joy_kiosk::questionnaire::Catalog::bundled();
    let list = joy_kiosk::demo::generate(&cat, me, 120, app.t, 7);
    app.store.save_many(&list).unwrap();
    app.act(Action::OpenHistory);
    app.act(Action::Back);
    let screen = screen_lines(&app, 80, 24);
    let rows: Vec<&String> = screen.iter().filter(|l| l.contains("Last done")).collect();
    assert!(rows.len() >= 3, "{screen:#?}");
    for r in rows {
        assert!(!r.contains('…'), "{r}");
        assert!(r.contains('['), "the tone word stays: {r}");
    }
}
