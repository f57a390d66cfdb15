//! The PostgreSQL server the tests run against: the one `scripts/with-postgres`
//! started (its connection string in `JOY_TEST_PG`), one fresh database per
//! test. Without it these tests fail, with what to run: a server test is
//! never skipped silently.
#![allow(dead_code)]

use joy_kiosk::store::pg::PgStore;

/// The connection string of the test server.
pub fn server() -> String {
    match std::env::var("JOY_TEST_PG") {
        Ok(s) if !s.trim().is_empty() => s,
        _ => panic!(
            "JOY_TEST_PG is not set, and this test needs a PostgreSQL server. Run the tests as the \
             README says: scripts/with-postgres cargo test --locked (it starts a throwaway server)."
        ),
    }
}

/// A new, empty database on the test server; its connection string.
pub fn fresh_database() -> String {
    fresh_named_database().0
}

/// A new, empty database: its connection string (as the server's
/// superuser) and its name (also the prefix of its roles).
pub fn fresh_named_database() -> (String, String) {
    let base = server();
    let name = format!("joy_test_{:016x}", joy_kiosk::anonymity::os_seed());
    let mut admin = postgres::Client::connect(&base, postgres::NoTls)
        .unwrap_or_else(|e| panic!("cannot reach the test server ({base}): {e}"));
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap_or_else(|e| panic!("cannot create a test database: {e}"));
    let without: Vec<&str> = base
        .split_whitespace()
        .filter(|kv| !kv.starts_with("dbname="))
        .collect();
    (format!("{} dbname={name}", without.join(" ")), name)
}

/// The connection string of `conn` as login role `user`.
pub fn as_user(conn: &str, user: &str) -> String {
    let without: Vec<&str> = conn
        .split_whitespace()
        .filter(|kv| !kv.starts_with("user="))
        .collect();
    format!("{} user={user}", without.join(" "))
}

/// A team store on a new database.
pub fn fresh_store() -> PgStore {
    let (conn, name) = fresh_named_database();
    PgStore::init(&conn, &name).unwrap_or_else(|e| panic!("{e}"))
}
