//! The one place that reads files a person points the app at (questionnaire
//! files, answers files, the config file): only regular files, and never
//! more than a size limit.
//!
//! The file is opened first and checked on the open handle (`fstat`), so a
//! name swapped for something else between a check and the read changes
//! nothing. On Unix it is opened with `O_NONBLOCK`, so a named pipe (FIFO)
//! is refused instead of waiting forever for a writer; a link to `/dev/zero`
//! or another device is refused before a byte is read; a file that grows
//! while it is read is cut off at `limit + 1` bytes and refused.

use std::fmt;
use std::io::Read;
use std::path::Path;

/// Why a file was not read. The messages say what to do; the caller puts
/// the file name in front.
#[derive(Debug)]
pub enum FileError {
    /// Nothing at this path.
    NotFound,
    /// Something other than a regular file: a folder, a named pipe, a
    /// device, a socket. `kind` says which, in words.
    NotRegular { kind: &'static str },
    /// Larger than the limit (`size` is at least `limit + 1`).
    TooLarge { size: u64, limit: u64 },
    /// Any other failure to open or read (permissions, I/O).
    Io(std::io::Error),
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileError::NotFound => write!(f, "there is no file here. Check the path"),
            FileError::NotRegular { kind } => write!(
                f,
                "this is not a regular file (it is {kind}); only ordinary files are read. Give the path of the file itself"
            ),
            FileError::TooLarge { size, limit } => write!(
                f,
                "this file is {size} bytes or more; at most {limit} bytes are allowed. Is it the right file?"
            ),
            FileError::Io(e) => write!(
                f,
                "cannot read this file ({e}). Check that it exists and that you may read it"
            ),
        }
    }
}

impl std::error::Error for FileError {}

/// Read the whole of `path`, which must be a regular file (or a link to
/// one) of at most `limit` bytes.
pub fn read_regular_capped(path: &Path, limit: u64) -> Result<Vec<u8>, FileError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Opening a FIFO for reading blocks until a writer appears; with
        // O_NONBLOCK it returns at once and is refused below.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = match options.open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(FileError::NotFound),
        Err(e) => {
            // Opening a folder can fail on some systems; say what it is.
            return match std::fs::metadata(path) {
                Ok(m) if !m.is_file() => Err(FileError::NotRegular {
                    kind: kind_of(&m.file_type()),
                }),
                _ => Err(FileError::Io(e)),
            };
        }
    };
    let meta = file.metadata().map_err(FileError::Io)?;
    if !meta.is_file() {
        return Err(FileError::NotRegular {
            kind: kind_of(&meta.file_type()),
        });
    }
    if meta.len() > limit {
        return Err(FileError::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(FileError::Io)?;
    // The file grew after it was measured.
    if bytes.len() as u64 > limit {
        return Err(FileError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

fn kind_of(t: &std::fs::FileType) -> &'static str {
    if t.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not an ordinary file"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_small_regular_file_and_a_link_to_one() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.toml");
        std::fs::write(&f, "x = 1\n").unwrap();
        assert_eq!(read_regular_capped(&f, 6).unwrap(), b"x = 1\n");
        #[cfg(unix)]
        {
            let link = dir.path().join("link.toml");
            std::os::unix::fs::symlink(&f, &link).unwrap();
            assert_eq!(read_regular_capped(&link, 100).unwrap(), b"x = 1\n");
        }
        let e = read_regular_capped(&f, 5).unwrap_err();
        assert!(
            matches!(e, FileError::TooLarge { size: 6, limit: 5 }),
            "{e}"
        );
        assert!(e.to_string().contains("at most 5 bytes"), "{e}");
        assert!(matches!(
            read_regular_capped(&dir.path().join("none"), 5),
            Err(FileError::NotFound)
        ));
        let e = read_regular_capped(dir.path(), 5).unwrap_err();
        assert!(
            e.to_string()
                .contains("not a regular file (it is a folder)"),
            "{e}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_at_once_and_a_device_is_never_read() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.toml");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        // Without O_NONBLOCK this open would wait forever for a writer.
        let e = read_regular_capped(&fifo, 1024).unwrap_err();
        assert!(e.to_string().contains("named pipe (FIFO)"), "{e}");
        let zero = dir.path().join("zero.toml");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        let e = read_regular_capped(&zero, 1024).unwrap_err();
        assert!(e.to_string().contains("it is a device"), "{e}");
    }
}
