//! Issue 17, §2: TLS to a ward's server over a network, checked as
//! verify-full. A server of the test's own listens on 127.0.0.2 (not a
//! name joy-kiosk treats as this machine) with TLS only and a certificate
//! from a CA the test makes. A terminal that trusts that CA connects over
//! TLS; one that trusts another CA, or reaches a certificate made out to
//! another name, is refused with what to do, and its outbox stays whole.

mod server;

use chrono::{Duration, TimeZone, Utc};
use joy_kiosk::store::pg::{PgStore, ServerAddress};
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
};

/// A CA of the test's own: its certificate in PEM, and the issuer.
fn ca(name: &str) -> CertifiedIssuer<'static, KeyPair> {
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.distinguished_name.push(DnType::CommonName, name);
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    CertifiedIssuer::self_signed(p, KeyPair::generate().unwrap()).unwrap()
}

/// A server certificate for `names`, signed by `by`: (cert PEM, key PEM).
fn server_cert(names: &[&str], by: &CertifiedIssuer<'static, KeyPair>) -> (String, String) {
    let key = KeyPair::generate().unwrap();
    let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    let mut p = CertificateParams::new(names).unwrap();
    p.distinguished_name
        .push(DnType::CommonName, "joy test server");
    let cert = p.signed_by(&key, by).unwrap();
    (cert.pem(), key.serialize_pem())
}

fn write(dir: &std::path::Path, name: &str, text: &str) -> std::path::PathBuf {
    let f = dir.join(name);
    std::fs::write(&f, text).unwrap();
    f
}

fn addr(port: u16, ca: &std::path::Path) -> ServerAddress {
    ServerAddress {
        url: format!("host=127.0.0.2 port={port} user=postgres dbname=postgres"),
        password_file: None,
        ca_file: Some(ca.to_path_buf()),
    }
}

#[test]
fn a_terminal_reaches_a_server_over_tls_only_when_its_certificate_checks_out() {
    let trust = ca("joy test trust CA");
    let (cert, key) = server_cert(&["127.0.0.2"], &trust);
    let (srv, port) = server::OwnServer::start_tls(&cert, &key);
    let scratch = tempfile::tempdir().unwrap();
    let trusted = write(scratch.path(), "trust-ca.pem", &trust.pem());
    let other = write(
        scratch.path(),
        "other-ca.pem",
        &ca("someone else's CA").pem(),
    );

    // Trusting the server's CA: connected, and over TLS.
    let mut s = PgStore::init(addr(port, &trusted), "tls").unwrap_or_else(|e| panic!("{e}"));
    assert!(s.status().is_ok());
    let mut raw = postgres::Client::connect(
        &format!(
            "host={} port={port} user=postgres dbname=postgres",
            srv.dir.display()
        ),
        postgres::NoTls,
    )
    .unwrap();
    let tls_sessions: i64 = raw
        .query_one(
            "SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) \
             WHERE s.ssl AND a.client_addr IS NOT NULL",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(tls_sessions, 1, "the store's session is the TLS one");
    drop(s);

    // Trusting another CA: refused, saying what to do.
    let e = PgStore::connect(addr(port, &other))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("not signed by a CA this terminal trusts"), "{e}");
    assert!(e.contains("ca_file"), "{e}");
    // It names the CA trusted now, so a wrong file is seen as such.
    assert!(e.contains("other-ca.pem"), "{e}");
    assert!(!e.contains("is running"), "{e}");

    // No CA named: the system's roots do not sign a test CA either.
    let e = PgStore::connect(format!(
        "host=127.0.0.2 port={port} user=postgres dbname=postgres"
    ))
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(
        e.contains("not signed by a CA this terminal trusts") || e.contains("no trusted CA"),
        "{e}"
    );

    // Asking for no TLS over a network: refused before connecting.
    let e = PgStore::connect(format!(
        "host=127.0.0.2 port={port} user=postgres dbname=postgres sslmode=disable"
    ))
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(e.contains("in clear"), "{e}");

    // libpq's own keys in the connection string work as the config's.
    let url = format!(
        "postgresql://postgres@127.0.0.2:{port}/postgres?sslmode=verify-full&sslrootcert={}",
        trusted.display()
    );
    assert!(PgStore::connect(url.as_str()).is_ok());
}

#[test]
fn a_certificate_made_out_to_another_host_is_refused() {
    let trust = ca("joy test trust CA");
    let (cert, key) = server_cert(&["db.other-trust.example"], &trust);
    let (_srv, port) = server::OwnServer::start_tls(&cert, &key);
    let scratch = tempfile::tempdir().unwrap();
    let trusted = write(scratch.path(), "trust-ca.pem", &trust.pem());
    let e = PgStore::connect(addr(port, &trusted))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("does not name the host"), "{e}");
}

#[test]
fn broken_tls_keeps_the_outbox_whole_and_delivery_resumes_once_it_is_mended() {
    let trust = ca("joy test trust CA");
    let (cert, key) = server_cert(&["127.0.0.2"], &trust);
    let (_srv, port) = server::OwnServer::start_tls(&cert, &key);
    let scratch = tempfile::tempdir().unwrap();
    let trusted = write(scratch.path(), "trust-ca.pem", &trust.pem());
    let other = write(
        scratch.path(),
        "other-ca.pem",
        &ca("an expired arrangement").pem(),
    );
    PgStore::init(addr(port, &trusted), "tls").unwrap_or_else(|e| panic!("{e}"));

    let mut local = joy_kiosk::store::Store::open_in_memory().unwrap();
    local.set_time_zone("Europe/London").unwrap();
    local.set_outbox(true).unwrap();
    let cat = joy_kiosk::questionnaire::Catalog::bundled();
    let q = cat.get("team-reflection").unwrap();
    let mut rng = joy_kiosk::demo::Rng::new(3);
    let on = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    let rows: Vec<_> = (0..4)
        .map(|_| {
            let a = joy_kiosk::reflection_gen::answers(q, 0.5, &mut rng, |_| String::new());
            joy_kiosk::reflection_gen::checkin(
                q,
                &a,
                "Ward 7",
                joy_kiosk::period::PeriodKind::Week,
                on,
            )
        })
        .collect();
    local.save_many(&rows).unwrap();
    let day = Utc.with_ymd_and_hms(2026, 11, 2, 10, 0, 0).unwrap();
    let next = day + Duration::days(1);
    let d = joy_kiosk::outbox::deliver(&mut local, addr(port, &other), next).unwrap();
    assert_eq!(d.sent, 0);
    let why = d.error.unwrap_or_default();
    assert!(
        why.contains("not signed by a CA this terminal trusts"),
        "{why}"
    );
    let st = local.outbox_status().unwrap();
    assert_eq!(st.waiting, 4);
    assert!(st.error.unwrap_or_default().contains("CA"));

    let d = joy_kiosk::outbox::deliver(&mut local, addr(port, &trusted), next).unwrap();
    assert_eq!((d.sent, d.error), (4, None));
    assert_eq!(local.outbox_status().unwrap().waiting, 0);
    let mut s = PgStore::connect(addr(port, &trusted)).unwrap();
    assert_eq!(s.status().unwrap().entries, 4);
}
