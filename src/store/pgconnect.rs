//! How a terminal reaches the ward's server safely (issue 17, §2): where
//! it is ([`ServerAddress`]), when TLS is required and how the server's
//! certificate is checked, and where the password comes from.
//!
//! - Over a Unix socket or to this machine (`localhost`, `127.0.0.1`,
//!   `::1`) TLS is optional: it is used when the connection string asks
//!   for it (`sslmode=require`, `verify-ca` or `verify-full`).
//! - To any other host TLS is required, and always checked as libpq's
//!   `verify-full`: the certificate chains to a trusted CA *and* names the
//!   host connected to. `sslmode=disable` is refused; `prefer`, `require`
//!   and `verify-ca` are taken as `verify-full` (stricter, never weaker).
//! - The trusted CAs are the file named by `sslrootcert=FILE` in the
//!   connection string, else `[server] ca_file` (or `JOY_SERVER_CA_FILE`),
//!   else this machine's system roots.
//! - The password is never in the config file: see [`super::pgpass`].

use super::pg::failed;
use super::Result;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The ward's server as a terminal or a command names it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServerAddress {
    /// A libpq connection string (`host=… dbname=…`) or a
    /// `postgresql://` URL.
    pub url: String,
    /// A file whose first line is the password (`[server] password_file`).
    pub password_file: Option<PathBuf>,
    /// The CA certificates (PEM) the server's certificate must chain to
    /// (`[server] ca_file`); else the system's roots.
    pub ca_file: Option<PathBuf>,
}

impl ServerAddress {
    /// `url` with the files the environment names
    /// (`JOY_SERVER_PASSWORD_FILE`, `JOY_SERVER_CA_FILE`), for commands.
    pub fn from_env(url: &str) -> ServerAddress {
        let file = |v: &str| {
            std::env::var_os(v)
                .filter(|s| !s.is_empty())
                .map(PathBuf::from)
        };
        ServerAddress {
            url: url.to_string(),
            password_file: file("JOY_SERVER_PASSWORD_FILE"),
            ca_file: file("JOY_SERVER_CA_FILE"),
        }
    }

    /// `url` given to a command (`--url`, `JOY_SERVER_URL`): the files the
    /// environment names, else those of the config file's `[server]`.
    pub fn given(url: &str, config: Option<&ServerAddress>) -> ServerAddress {
        let mut a = ServerAddress::from_env(url);
        if let Some(c) = config {
            a.password_file = a.password_file.or_else(|| c.password_file.clone());
            a.ca_file = a.ca_file.or_else(|| c.ca_file.clone());
        }
        a
    }

    /// Just a URL, the password and CAs as libpq would find them.
    pub fn url(url: &str) -> ServerAddress {
        ServerAddress {
            url: url.to_string(),
            ..ServerAddress::default()
        }
    }

    /// The connection string without secrets, for messages.
    pub fn place(&self) -> String {
        let (rest, _) = split_tls_keys(&self.url);
        let mut shown: Vec<String> = rest
            .split_whitespace()
            .filter(|kv| !kv.starts_with("password"))
            .map(str::to_string)
            .collect();
        if is_url(&rest) {
            // postgresql://user:secret@host/db: keep the user, drop the secret.
            shown = shown.into_iter().map(|u| hide_url_password(&u)).collect();
        }
        shown.join(" ")
    }
}

impl From<&str> for ServerAddress {
    fn from(url: &str) -> ServerAddress {
        ServerAddress::url(url)
    }
}

impl From<&String> for ServerAddress {
    fn from(url: &String) -> ServerAddress {
        ServerAddress::url(url)
    }
}

impl From<String> for ServerAddress {
    fn from(url: String) -> ServerAddress {
        ServerAddress::url(&url)
    }
}

impl From<&ServerAddress> for ServerAddress {
    fn from(a: &ServerAddress) -> ServerAddress {
        a.clone()
    }
}

/// A connection ready to open: the client's configuration and, when TLS is
/// used, the verifying connector.
pub(crate) struct Prepared {
    pub config: postgres::Config,
    pub tls: Option<tokio_postgres_rustls::MakeRustlsConnect>,
    pub place: String,
    /// Which CAs are trusted, for messages (None: no TLS).
    pub trusted: Option<String>,
}

impl Prepared {
    /// Connect (with TLS when it is used).
    pub fn connect(self) -> std::result::Result<postgres::Client, postgres::Error> {
        match self.tls {
            Some(tls) => self.config.connect(tls),
            None => self.config.connect(postgres::NoTls),
        }
    }
}

/// Parse `addr`, decide on TLS, find the password, set the timeouts.
pub(crate) fn prepare(addr: &ServerAddress) -> Result<Prepared> {
    let place = addr.place();
    let (rest, keys) = split_tls_keys(&addr.url);
    let mut config: postgres::Config = rest
        .parse()
        .map_err(|e| failed(&place, "reading the connection string", e))?;
    let local = config.get_hosts().iter().all(|h| match h {
        postgres::config::Host::Tcp(name) => {
            matches!(name.as_str(), "localhost" | "127.0.0.1" | "::1")
        }
        #[allow(unreachable_patterns)]
        _ => true,
    });
    let mode = keys.mode.as_deref();
    if let Some(m) = mode {
        if !matches!(
            m,
            "disable" | "allow" | "prefer" | "require" | "verify-ca" | "verify-full"
        ) {
            return Err(failed(
                &place,
                "reading the connection string",
                format!("sslmode={m} is not a mode libpq knows: use verify-full"),
            ));
        }
    }
    let wants_tls = matches!(mode, Some("require" | "verify-ca" | "verify-full"));
    let tls = if !local {
        if matches!(mode, Some("disable" | "allow")) {
            return Err(failed(
                &place,
                "connecting",
                format!(
                    "sslmode={} would send health data in clear over the network, and joy-kiosk never does: \
                     remove it (TLS is checked as verify-full), or use a Unix socket",
                    mode.unwrap_or_default()
                ),
            ));
        }
        true
    } else {
        wants_tls
    };
    let mut trusted = None;
    let connector = if tls {
        let ca = keys
            .root_cert
            .as_deref()
            .filter(|f| *f != "system")
            .map(PathBuf::from)
            .or_else(|| {
                if keys.root_cert.as_deref() == Some("system") {
                    None
                } else {
                    addr.ca_file.clone()
                }
            });
        trusted = Some(match &ca {
            Some(f) => format!("the CA file {}", f.display()),
            None => "this machine's system CAs".to_string(),
        });
        let roots = match &ca {
            Some(f) => roots_from_file(f).map_err(|e| failed(&place, "reading the CA file", e))?,
            None => system_roots().map_err(|e| failed(&place, "finding trusted CAs", e))?,
        };
        // ring, not aws-lc-rs (which needs cmake and a C toolchain CI may
        // lack: ../shared/NOTES-crates.md); rustls 0.23.48 marks it
        // deprecated only for lacking post-quantum key exchange.
        #[allow(deprecated)]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let client = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| failed(&place, "setting up TLS", e))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        config.ssl_mode(postgres::config::SslMode::Require);
        Some(tokio_postgres_rustls::MakeRustlsConnect::new(client))
    } else {
        config.ssl_mode(postgres::config::SslMode::Disable);
        None
    };
    // The password as libpq would find it: never from the config file.
    if config.get_password().is_none() {
        let host = match config.get_hosts().first() {
            // libpq matches a socket directory as "localhost".
            Some(postgres::config::Host::Tcp(h)) => h.clone(),
            _ => "localhost".to_string(),
        };
        let port = config.get_ports().first().copied().unwrap_or(5432);
        let user = config
            .get_user()
            .map(str::to_string)
            .or_else(|| std::env::var("PGUSER").ok())
            .or_else(|| std::env::var("USER").ok())
            .unwrap_or_default();
        let db = config.get_dbname().unwrap_or(&user).to_string();
        if let Some(pw) =
            super::pgpass::find(&host, port, &db, &user, addr.password_file.as_deref())
        {
            config.password(pw);
        }
    }
    config.connect_timeout(std::time::Duration::from_secs(2));
    // A network gone under an open connection: what was sent and never
    // acknowledged fails after 10 s, and an idle wait for an answer is
    // probed (5 s, then every 2 s, 3 times) instead of waiting for ever.
    config
        .keepalives(true)
        .keepalives_idle(std::time::Duration::from_secs(5))
        .keepalives_interval(std::time::Duration::from_secs(2))
        .keepalives_retries(3)
        .tcp_user_timeout(std::time::Duration::from_secs(10));
    config.options("-c statement_timeout=5000");
    Ok(Prepared {
        config,
        tls: connector,
        place,
        trusted,
    })
}

/// What went wrong connecting, with what to do where it is a TLS fault.
pub(crate) fn advice(cause: &str, trusted: Option<&str>) -> Option<String> {
    if cause.contains("UnknownIssuer") || cause.contains("unknown issuer") {
        Some(format!(
            "the server's certificate is not signed by a CA this terminal trusts (it trusts {} now): name the file of the CA that signed it with sslrootcert=FILE in the connection string or ca_file in [server]",
            trusted.unwrap_or("no CA")
        ))
    } else if cause.contains("NotValidForName") || cause.contains("not valid for name") {
        Some("the server's certificate does not name the host connected to: connect by the name the certificate gives (or have it reissued with this name)".to_string())
    } else if cause.contains("Expired") {
        Some("the server's certificate has expired: the server's admin renews it".to_string())
    } else if cause.contains("server does not support TLS") || cause.contains("TLS not supported") {
        Some("the server does not offer TLS: its admin turns on ssl in postgresql.conf (see docs/deploy.md)".to_string())
    } else {
        None
    }
}

/// The TLS keys libpq knows, taken out of a connection string the client
/// crate would not parse with them.
#[derive(Debug, Default, PartialEq)]
struct TlsKeys {
    mode: Option<String>,
    root_cert: Option<String>,
}

fn is_url(s: &str) -> bool {
    s.starts_with("postgres://") || s.starts_with("postgresql://")
}

fn split_tls_keys(conninfo: &str) -> (String, TlsKeys) {
    let mut keys = TlsKeys::default();
    let mut take = |k: &str, v: &str| -> bool {
        match k {
            "sslmode" => keys.mode = Some(v.to_string()),
            "sslrootcert" => keys.root_cert = Some(v.to_string()),
            _ => return false,
        }
        true
    };
    let trimmed = conninfo.trim();
    if is_url(trimmed) {
        let Some((base, query)) = trimmed.split_once('?') else {
            return (trimmed.to_string(), keys);
        };
        let kept: Vec<&str> = query
            .split('&')
            .filter(|kv| {
                let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                !take(k, v)
            })
            .collect();
        let rest = if kept.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{}", kept.join("&"))
        };
        (rest, keys)
    } else {
        let kept: Vec<&str> = trimmed
            .split_whitespace()
            .filter(|kv| {
                let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                !take(k.trim(), v.trim())
            })
            .collect();
        (kept.join(" "), keys)
    }
}

fn hide_url_password(u: &str) -> String {
    // A password given as a query parameter goes too.
    let u = match u.split_once('?') {
        Some((base, query)) => {
            let kept: Vec<&str> = query
                .split('&')
                .filter(|kv| !kv.starts_with("password="))
                .collect();
            if kept.is_empty() {
                base.to_string()
            } else {
                format!("{base}?{}", kept.join("&"))
            }
        }
        None => u.to_string(),
    };
    let u = u.as_str();
    let Some((scheme, rest)) = u.split_once("://") else {
        return u.to_string();
    };
    let Some((cred, host)) = rest.split_once('@') else {
        return u.to_string();
    };
    match cred.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}@{host}"),
        None => u.to_string(),
    }
}

fn roots_from_file(f: &Path) -> std::result::Result<rustls::RootCertStore, String> {
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::CertificateDer;
    let shown = f.display();
    let bytes = std::fs::read(f).map_err(|e| format!("{shown}: {e}"))?;
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(&bytes) {
        let cert = cert.map_err(|e| format!("{shown}: not a PEM certificate file ({e})"))?;
        roots
            .add(cert)
            .map_err(|e| format!("{shown}: a certificate in it cannot be used ({e})"))?;
    }
    if roots.is_empty() {
        return Err(format!(
            "{shown} holds no certificate (expected PEM: -----BEGIN CERTIFICATE-----)"
        ));
    }
    Ok(roots)
}

fn system_roots() -> std::result::Result<rustls::RootCertStore, String> {
    let found = rustls_native_certs::load_native_certs();
    let mut roots = rustls::RootCertStore::empty();
    let (added, _ignored) = roots.add_parsable_certificates(found.certs);
    if added == 0 {
        return Err(
            "this machine has no trusted CA certificates (on Debian: apt-get install ca-certificates), \
             or name the server's CA file with sslrootcert=FILE or [server] ca_file"
                .to_string(),
        );
    }
    Ok(roots)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libpq_tls_keys_are_taken_out_of_either_form() {
        let (rest, k) = split_tls_keys(
            "host=db.example.nhs.uk dbname=ward sslmode=verify-full sslrootcert=/etc/joy/ca.pem",
        );
        assert_eq!(rest, "host=db.example.nhs.uk dbname=ward");
        assert_eq!(k.mode.as_deref(), Some("verify-full"));
        assert_eq!(k.root_cert.as_deref(), Some("/etc/joy/ca.pem"));
        let (rest, k) = split_tls_keys(
            "postgresql://joy@db.example.nhs.uk/ward?sslmode=verify-full&application_name=joy",
        );
        assert_eq!(
            rest,
            "postgresql://joy@db.example.nhs.uk/ward?application_name=joy"
        );
        assert_eq!(k.mode.as_deref(), Some("verify-full"));
        let (rest, _) = split_tls_keys("postgresql://db/ward?sslrootcert=system");
        assert_eq!(rest, "postgresql://db/ward");
    }

    #[test]
    fn a_remote_server_without_tls_is_refused_before_any_connection() {
        let e = prepare(&ServerAddress::url(
            "host=db.example.nhs.uk dbname=ward sslmode=disable",
        ))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(e.contains("in clear"), "{e}");
        let e = prepare(&ServerAddress::url(
            "host=db.example.nhs.uk sslmode=sometimes",
        ))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(e.contains("sslmode=sometimes"), "{e}");
    }

    #[test]
    fn tls_is_used_over_a_network_and_on_request_locally() {
        let ca = std::env::temp_dir().join(format!("joy-ca-{:x}.pem", crate::anonymity::os_seed()));
        let key = rcgen::KeyPair::generate().expect("key");
        let cert = rcgen::CertificateParams::new(vec!["ca.example".to_string()])
            .expect("params")
            .self_signed(&key)
            .expect("cert");
        std::fs::write(&ca, cert.pem()).expect("write");
        let with_ca = |url: &str| ServerAddress {
            url: url.to_string(),
            password_file: None,
            ca_file: Some(ca.clone()),
        };
        let remote = prepare(&with_ca("host=db.example.nhs.uk dbname=ward")).expect("remote");
        assert!(remote.tls.is_some());
        let socket = prepare(&with_ca("host=/run/postgresql dbname=ward")).expect("socket");
        assert!(socket.tls.is_none());
        let asked =
            prepare(&with_ca("host=localhost dbname=ward sslmode=verify-full")).expect("asked");
        assert!(asked.tls.is_some());
        let bad =
            std::env::temp_dir().join(format!("joy-notca-{:x}.pem", crate::anonymity::os_seed()));
        std::fs::write(&bad, "not a certificate\n").expect("write");
        let e = prepare(&ServerAddress {
            url: "host=db.example.nhs.uk".into(),
            password_file: None,
            ca_file: Some(bad.clone()),
        })
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(e.contains("holds no certificate"), "{e}");
        let _ = std::fs::remove_file(&ca);
        let _ = std::fs::remove_file(&bad);
    }

    #[test]
    fn the_place_shown_keeps_no_secret() {
        let a = ServerAddress::url(
            "postgresql://joy:s3cret@db.example.nhs.uk/ward?sslmode=verify-full",
        );
        assert_eq!(a.place(), "postgresql://joy@db.example.nhs.uk/ward");
        let a = ServerAddress::url(
            "postgresql://db.example.nhs.uk/ward?password=s3cret&application_name=joy",
        );
        assert_eq!(
            a.place(),
            "postgresql://db.example.nhs.uk/ward?application_name=joy"
        );
        let a = ServerAddress::url("host=db user=joy password=s3cret dbname=ward");
        assert_eq!(a.place(), "host=db user=joy dbname=ward");
    }
}
