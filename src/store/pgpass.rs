//! Where a server password comes from, as libpq finds it (the `postgres`
//! crate does not read these itself): never the config file. In order:
//! the connection string's own `password` (for tests and scripts),
//! `PGPASSWORD`, a file named by `[server] password_file` (its first line),
//! then the password file `PGPASSFILE` or `~/.pgpass`, whose lines are
//! `host:port:database:user:password` with `*` matching anything and `\`
//! escaping `:` and `\`. Like libpq, a password file readable by others
//! is not used.

use std::path::{Path, PathBuf};

/// The password for (host, port, database, user), if one is found.
pub fn find(
    host: &str,
    port: u16,
    database: &str,
    user: &str,
    password_file: Option<&Path>,
) -> Option<String> {
    if let Ok(p) = std::env::var("PGPASSWORD") {
        if !p.is_empty() {
            return Some(p);
        }
    }
    if let Some(f) = password_file {
        if private(f) {
            if let Ok(text) = std::fs::read_to_string(f) {
                if let Some(line) = text.lines().next() {
                    return Some(line.to_string());
                }
            }
        }
    }
    let file = std::env::var_os("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".pgpass")))?;
    if !private(&file) {
        return None;
    }
    let text = std::fs::read_to_string(&file).ok()?;
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .find_map(|l| matching(l, host, port, database, user))
}

/// A password file must not be readable by group or others (as libpq).
fn private(f: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(f).is_ok_and(|m| m.permissions().mode() & 0o077 == 0)
    }
    #[cfg(not(unix))]
    {
        f.is_file()
    }
}

/// The password of `line` if its first four fields match.
fn matching(line: &str, host: &str, port: u16, database: &str, user: &str) -> Option<String> {
    let fields = split(line);
    if fields.len() != 5 {
        return None;
    }
    let port = port.to_string();
    let want = [host, port.as_str(), database, user];
    let all = fields[..4]
        .iter()
        .zip(want)
        .all(|(f, w)| f == "*" || f == w);
    all.then(|| fields[4].clone())
}

/// Fields split on unescaped `:`.
fn split(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    if let Some(last) = out.last_mut() {
                        last.push(n);
                    }
                }
            }
            ':' => out.push(String::new()),
            c => {
                if let Some(last) = out.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_match_as_libpq_reads_them() {
        assert_eq!(
            matching(
                "localhost:5432:ward7:kiosk:s3cr\\:et",
                "localhost",
                5432,
                "ward7",
                "kiosk"
            ),
            Some("s3cr:et".into())
        );
        assert_eq!(
            matching("*:*:ward7:*:pw", "/run/postgresql", 5432, "ward7", "huddle"),
            Some("pw".into())
        );
        assert_eq!(
            matching("*:*:ward8:*:pw", "localhost", 5432, "ward7", "x"),
            None
        );
        assert_eq!(matching("too:few:fields", "a", 1, "b", "c"), None);
    }
}
