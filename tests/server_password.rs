//! Issue 17, §5 (faults): a wrong password. The server asks for one
//! (scram-sha-256); the password comes as libpq would find it, never from
//! the config file itself: here a file the kiosk's config names with
//! `[server] password_file` (relative to the config file), private to its
//! owner. A wrong one keeps the outbox whole and says why; the right one
//! delivers. One test in its own binary, since it sets the process's
//! environment.

mod server;

use chrono::{TimeZone, Utc};
use joy_kiosk::demo::Rng;
use joy_kiosk::period::PeriodKind;
use joy_kiosk::questionnaire::Catalog;
use joy_kiosk::reflection_gen;
use joy_kiosk::store::pg::PgStore;
use joy_kiosk::store::Store;

fn private_file(path: &std::path::Path, text: &str) {
    std::fs::write(path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

#[test]
fn a_wrong_password_keeps_the_outbox_and_says_why() {
    let server = server::OwnServer::start_with_password("right horse battery");
    let conn = server.conn();
    let dir = tempfile::tempdir().unwrap();
    let pw = dir.path().join("ward7.pw");
    // Nothing from the environment of whoever runs the tests.
    std::env::remove_var("PGPASSWORD");
    std::env::set_var("PGPASSFILE", dir.path().join("no-pgpass"));

    private_file(&pw, "right horse battery\n");
    std::env::remove_var("JOY_SERVER_PASSWORD_FILE");
    let config = dir.path().join("kiosk.toml");
    std::fs::write(
        &config,
        format!("[server]\nurl = \"{conn}\"\npassword_file = \"ward7.pw\"\n"),
    )
    .unwrap();
    let file = joy_kiosk::config::parse("kiosk.toml", &std::fs::read_to_string(&config).unwrap())
        .unwrap_or_else(|e| panic!("{e}"));
    let settings = joy_kiosk::config::Settings::layer(
        file,
        Some(config.clone()),
        &joy_kiosk::config::Overrides::default(),
    )
    .unwrap();
    let conn = settings.server.expect("the config's [server]");
    assert_eq!(conn.password_file.as_deref(), Some(pw.as_path()));
    // Without the file the server refuses: the password came from it.
    assert!(PgStore::init(conn.url.as_str(), "pw").is_err());
    PgStore::init(&conn, "pw").unwrap_or_else(|e| panic!("{e}"));

    let mut local = Store::open_in_memory().unwrap();
    local.set_time_zone("Europe/London").unwrap();
    local.set_outbox(true).unwrap();
    let cat = Catalog::bundled();
    let q = cat.get("team-reflection").unwrap();
    let mut rng = Rng::new(4);
    let a = reflection_gen::answers(q, 0.5, &mut rng, |_| String::new());
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 17).unwrap();
    local
        .save_checkin(&reflection_gen::checkin(
            q,
            &a,
            "Ward 7",
            PeriodKind::Week,
            day,
        ))
        .unwrap();
    let next = Utc.with_ymd_and_hms(2026, 11, 18, 9, 0, 0).unwrap();

    // The password changed on the server and not here: refused, kept, said.
    private_file(&pw, "an old password\n");
    let d = joy_kiosk::outbox::deliver(&mut local, &conn, next).unwrap();
    let why = d.error.expect("refused");
    assert!(why.contains("password authentication failed"), "{why}");
    assert!(why.contains("The password is wrong"), "{why}");
    let st = local.outbox_status().unwrap();
    assert_eq!(st.waiting, 1);
    assert!(st.error.unwrap().contains("password"));

    // A password file others can read is not used (as libpq).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::write(&pw, "right horse battery\n").unwrap();
        std::fs::set_permissions(&pw, std::fs::Permissions::from_mode(0o644)).unwrap();
        let d = joy_kiosk::outbox::deliver(&mut local, &conn, next).unwrap();
        let why = d.error.expect("a world-readable password file is ignored");
        assert!(why.contains("chmod 600"), "{why}");
    }

    // Put right: delivered.
    private_file(&pw, "right horse battery\n");
    let d = joy_kiosk::outbox::deliver(&mut local, &conn, next).unwrap();
    assert_eq!((d.sent, d.error), (1, None));
}
