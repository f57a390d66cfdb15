//! `joy kiosk set-admin-pin`, run for real.

use joy_kiosk::store::Store;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn joy(args: &[&str], db: &Path, stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_joy"))
        .args(args)
        .env("JOY_DB", db)
        .env("JOY_QUESTIONNAIRES", db.with_extension("none"))
        .env("XDG_CONFIG_HOME", db.with_extension("no-config"))
        .env_remove("JOY_CONFIG")
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run joy");
    // It may have finished (and closed its input) before reading.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn stored_hash(db: &Path) -> Option<String> {
    Store::open(db).unwrap().admin_pin_hash().unwrap()
}

#[test]
fn set_admin_pin_from_stdin_stores_only_an_argon2id_hash() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let o = joy(&["kiosk", "set-admin-pin", "--pin-stdin"], &db, "864213\n");
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains(&format!("Admin PIN stored in {}", db.display())),
        "{}",
        text(&o)
    );
    let hash = stored_hash(&db).expect("a hash");
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains("864213"));
    assert!(joy_kiosk::kiosk::verify_pin(&hash, "864213"));
    assert!(!joy_kiosk::kiosk::verify_pin(&hash, "864214"));
    // The PIN is nowhere in the file.
    let bytes = std::fs::read(&db).unwrap();
    assert!(!bytes.windows(6).any(|w| w == b"864213"));
    // Setting it again replaces it.
    let o = joy(&["kiosk", "set-admin-pin", "--pin-stdin"], &db, "502197");
    assert!(o.status.success(), "{}", text(&o));
    let again = stored_hash(&db).unwrap();
    assert!(joy_kiosk::kiosk::verify_pin(&again, "502197") && again != hash);
}

#[test]
fn a_bad_pin_is_refused_with_the_rule_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    for bad in [
        "123\n",
        "12ab\n",
        "1234567890123\n",
        " 1234\n",
        "\n",
        "",
        "2468\n",
        "123456\n",
        "000000\n",
    ] {
        let o = joy(&["kiosk", "set-admin-pin", "--pin-stdin"], &db, bad);
        assert_eq!(o.status.code(), Some(2), "{bad:?}: {}", text(&o));
        let said = text(&o);
        assert!(
            said.contains("A PIN is 6 to 12 digits")
                || said.contains("one of the first anybody would try")
                || said.contains("no PIN was given"),
            "{bad:?}: {said}"
        );
        assert!(!db.exists(), "nothing is created for a refused PIN");
    }
}

#[test]
fn without_a_terminal_it_points_to_pin_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let o = joy(&["kiosk", "set-admin-pin"], &db, "2468\n2468\n");
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("--pin-stdin"), "{}", text(&o));
    assert!(!db.exists());
}

#[test]
fn the_config_file_names_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("joy.toml");
    std::fs::write(&cfg, "db = \"ward.db\"\n[kiosk]\nsite = \"Ward 7\"\n").unwrap();
    let unused = dir.path().join("unused.db");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_joy"));
    let o = cmd
        .args([
            "--config",
            cfg.to_str().unwrap(),
            "kiosk",
            "set-admin-pin",
            "--pin-stdin",
        ])
        .env_remove("JOY_DB")
        .env("XDG_CONFIG_HOME", unused.with_extension("cfg"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = o.spawn().unwrap();
    child.stdin.take().unwrap().write_all(b"975318\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let hash = stored_hash(&dir.path().join("ward.db")).expect("stored in the config's database");
    assert!(joy_kiosk::kiosk::verify_pin(&hash, "975318"));
    // A bad [kiosk] value stops it with file:line:column.
    std::fs::write(&cfg, "db = \"ward.db\"\n[kiosk]\ninactivity_secs = 1\n").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_joy"))
        .args([
            "--config",
            cfg.to_str().unwrap(),
            "kiosk",
            "set-admin-pin",
            "--pin-stdin",
        ])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o).contains(&format!(
            "{}:3:19: `inactivity_secs` must be from 3 to 3600 seconds",
            cfg.display()
        )),
        "{}",
        text(&o)
    );
}

/// Typed on a terminal (a pseudo-terminal under `script`): asked twice,
/// never echoed, and the terminal's echo is back afterwards.
#[test]
fn on_a_terminal_the_pin_is_asked_twice_without_echo() {
    let dir = tempfile::tempdir().unwrap();
    let run = |db: &Path, typed: &str| {
        let cmd = format!(
            "'{}' --db '{}' kiosk set-admin-pin; echo \"rc=$?\"; stty -a",
            env!("CARGO_BIN_EXE_joy"),
            db.display()
        );
        let mut child = Command::new("script")
            .args(["-qec", &cmd, "/dev/null"])
            .env("XDG_CONFIG_HOME", db.with_extension("no-config"))
            .env_remove("JOY_CONFIG")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("script(1) from util-linux runs the command in a pseudo-terminal");
        std::thread::sleep(std::time::Duration::from_millis(600));
        child
            .stdin
            .take()
            .unwrap()
            .write_all(typed.as_bytes())
            .unwrap();
        text(&child.wait_with_output().unwrap())
    };
    let db = dir.path().join("a.db");
    let shown = run(&db, "753190\r753190\r");
    assert!(
        shown.contains("New admin PIN") && shown.contains("The same PIN again"),
        "{shown}"
    );
    assert!(shown.contains("rc=0"), "{shown}");
    assert!(!shown.contains("753190"), "the PIN was echoed: {shown}");
    assert!(
        shown.contains(" echo ") && shown.contains(" icanon") && !shown.contains("-echo "),
        "{shown}"
    );
    assert!(joy_kiosk::kiosk::verify_pin(
        &stored_hash(&db).unwrap(),
        "753190"
    ));

    let db = dir.path().join("b.db");
    let shown = run(&db, "753190\r753191\r");
    assert!(
        shown.contains("the two PINs were different") && shown.contains("rc=2"),
        "{shown}"
    );
    assert!(!shown.contains("-echo "), "{shown}");
    assert!(!db.exists() || stored_hash(&db).is_none());

    let db = dir.path().join("c.db");
    let shown = run(&db, "75\x03");
    assert!(
        shown.contains("cancelled") && shown.contains("rc=2"),
        "{shown}"
    );
    assert!(
        !shown.contains("-echo ") && !shown.contains("-isig"),
        "{shown}"
    );
}

#[test]
fn an_unknown_questionnaire_in_the_kiosk_list_is_named_at_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("joy.toml");
    std::fs::write(
        &cfg,
        "db = \"ward.db\"\n[kiosk]\nquestionnaires = [\"who5\", \"nope\"]\n",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_joy"))
        .args(["kiosk", "--config"])
        .arg(&cfg)
        .env_remove("JOY_DB")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("{}:3:27:", cfg.display())), "{err}");
    assert!(err.contains("\"nope\""), "{err}");
    assert!(err.contains("who5"), "the known list names every id: {err}");
}
