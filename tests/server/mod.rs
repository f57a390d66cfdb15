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

/// A server of a test's own, for faults the shared one must not suffer
/// (stopped hard mid-delivery, started again). Stopped and removed on drop.
pub struct OwnServer {
    pub dir: std::path::PathBuf,
    bin: std::path::PathBuf,
    user: Option<String>,
    /// Extra server options (TLS, a TCP address).
    options: String,
}

impl OwnServer {
    fn cmd(&self, tool: &str) -> std::process::Command {
        let exe = self.bin.join(tool);
        match &self.user {
            Some(u) => {
                let mut c = std::process::Command::new("runuser");
                c.args(["-u", u, "--"]).arg(exe);
                c
            }
            None => std::process::Command::new(exe),
        }
    }

    /// A new cluster in a temp folder, started, on a Unix socket only.
    pub fn start() -> OwnServer {
        OwnServer::start_with(None)
    }

    /// The same, where the superuser `postgres` needs `password`
    /// (scram-sha-256).
    pub fn start_with_password(password: &str) -> OwnServer {
        OwnServer::start_with(Some(password))
    }

    fn start_with(password: Option<&str>) -> OwnServer {
        let bin = std::env::var("JOY_TEST_PG_BIN").unwrap_or_else(|_| {
            panic!("JOY_TEST_PG_BIN is not set: run the tests with scripts/with-postgres")
        });
        let user = std::env::var("JOY_TEST_PG_USER").ok();
        let dir = std::env::temp_dir().join(format!(
            "joy-own-pg-{:016x}",
            joy_kiosk::anonymity::os_seed()
        ));
        std::fs::create_dir(&dir).unwrap();
        if let Some(u) = &user {
            let ok = std::process::Command::new("chown")
                .arg(u)
                .arg(&dir)
                .status()
                .unwrap();
            assert!(ok.success());
        }
        let s = OwnServer {
            dir,
            bin: bin.into(),
            user,
            options: String::new(),
        };
        let mut init = s.cmd("initdb");
        init.args(["-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8"]);
        match password {
            Some(pw) => {
                let file = s.dir.join("pwfile");
                std::fs::write(&file, format!("{pw}\n")).unwrap();
                if let Some(u) = &s.user {
                    std::process::Command::new("chown")
                        .arg(u)
                        .arg(&file)
                        .status()
                        .unwrap();
                }
                init.args(["-A", "scram-sha-256", "--pwfile"]).arg(&file);
            }
            None => {
                init.args(["-A", "trust"]);
            }
        }
        let o = init.arg("-D").arg(s.dir.join("data")).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        s.up();
        s
    }

    /// A server that listens on `127.0.0.2` (not a name joy-kiosk takes as
    /// this machine, so TLS is required) at a free port, with TLS only:
    /// `cert_pem` and `key_pem` are its certificate (chain) and key.
    /// Returns the server and its port.
    pub fn start_tls(cert_pem: &str, key_pem: &str) -> (OwnServer, u16) {
        let port = std::net::TcpListener::bind("127.0.0.2:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or_else(|e| panic!("no free port on 127.0.0.2: {e}"));
        let mut s = OwnServer::start_with(None);
        s.kill();
        let own = |f: &std::path::Path| {
            if let Some(u) = &s.user {
                std::process::Command::new("chown")
                    .arg(u)
                    .arg(f)
                    .status()
                    .unwrap();
            }
        };
        let cert = s.dir.join("server.crt");
        let key = s.dir.join("server.key");
        std::fs::write(&cert, cert_pem).unwrap();
        std::fs::write(&key, key_pem).unwrap();
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        own(&cert);
        own(&key);
        // Over TCP TLS only, for every role (trust: the test is about the
        // channel, not the password); the socket for the test's own checks.
        let hba = s.dir.join("data").join("pg_hba.conf");
        std::fs::write(
            &hba,
            "local all all trust\nhostssl all all 127.0.0.0/8 trust\n",
        )
        .unwrap();
        s.options = format!(
            " -c listen_addresses=127.0.0.2 -p {port} -c ssl=on -c ssl_cert_file={} -c ssl_key_file={}",
            cert.display(),
            key.display()
        );
        s.up();
        (s, port)
    }

    /// Start it (again).
    pub fn up(&self) {
        let o = self
            .cmd("pg_ctl")
            .arg("-D")
            .arg(self.dir.join("data"))
            .arg("-l")
            .arg(self.dir.join("server.log"))
            .args(["-w", "-o"])
            .arg(if self.options.is_empty() {
                format!("-k {} -c listen_addresses=''", self.dir.display())
            } else {
                format!("-k {}{}", self.dir.display(), self.options)
            })
            .arg("start")
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }

    /// Stop it hard, as a crash or a pulled plug would.
    pub fn kill(&self) {
        let _ = self
            .cmd("pg_ctl")
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "immediate", "stop"])
            .output();
    }

    pub fn conn(&self) -> String {
        format!("host={} user=postgres dbname=postgres", self.dir.display())
    }
}

impl Drop for OwnServer {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The server's message refusing `sql` on `c` (empty if it ran).
pub fn refused(c: &mut postgres::Client, sql: &str) -> String {
    c.batch_execute(sql)
        .err()
        .and_then(|e| e.as_db_error().map(|d| d.message().to_string()))
        .unwrap_or_default()
}
