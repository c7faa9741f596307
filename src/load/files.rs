//! Reading input files (with the `fs` feature): the one reader every rules
//! and case file goes through, and the listing of a directory's YAML files.
//!
//! A rules or cases directory may come from a stranger's pull request and
//! be checked in CI, so the reader looks before it reads and quotes nothing
//! it should not:
//!
//! * only a regular file is read: a FIFO (opening it waits for a writer that
//!   never comes), a device (`/dev/zero` never ends; opening some devices
//!   has effects), a socket or a directory is refused by its metadata,
//!   without being opened;
//! * at most [`MAX_FILE_BYTES`] plus one byte is ever held, however large
//!   the file or whatever size it claims;
//! * a file whose content does not match the size it reports (a pseudo-file
//!   such as `/proc/self/environ`, which says 0 bytes, or a file changing
//!   under the reader) is refused, so its content is never quoted;
//! * a file that is not UTF-8 is located at its first bad byte but never
//!   quoted;
//! * in a directory walk, a symbolic link that leads out of the directory
//!   is refused by name, not followed; and a `.yml` file is refused by name
//!   rather than silently left out.

use std::ffi::OsStr;
use std::fs::{self, File, Metadata};
use std::io::Read;
use std::path::{Path, PathBuf};

use super::error::{LoadError, LoadErrorKind, LoadErrors};
use super::yaml::{MAX_FILE_BYTES, Pos};

/// Most case files one directory may hold.
pub const MAX_CASES: usize = 10_000;

/// Reads a whole input file as UTF-8 text, refusing without reading it a
/// file that is not a regular file or is larger than [`MAX_FILE_BYTES`].
///
/// Every error names the file and quotes none of it: the caller has no
/// excerpt to show (a file that is not UTF-8 gets the line and column of
/// its first bad byte, nothing more).
pub fn read_text(path: &Path) -> Result<String, LoadErrors> {
    let refuse = |kind| LoadErrors(vec![whole_file(path, kind)]);
    let io = |e: std::io::Error| refuse(LoadErrorKind::Io(e.to_string()));
    // Refused by what the path names, before it is opened: opening a FIFO
    // blocks until a writer comes, and opening a device can do things.
    let meta = fs::metadata(path).map_err(io)?;
    admit(&meta).map_err(refuse)?;
    let file = File::open(path).map_err(io)?;
    // The path may name another file by now: what was opened is what counts.
    let meta = file.metadata().map_err(io)?;
    admit(&meta).map_err(refuse)?;
    let bytes = read_capped(file, meta.len())
        .map_err(io)?
        .ok_or_else(|| refuse(too_big(None)))?;
    if u64::try_from(bytes.len()).ok() != Some(meta.len()) {
        return Err(refuse(LoadErrorKind::Io(format!(
            "it does not hold the {} bytes it reports: it is a pseudo-file (as those in /proc \
             are) or it changed while it was read; only ordinary files are read",
            meta.len()
        ))));
    }
    String::from_utf8(bytes).map_err(|e| LoadErrors(vec![not_utf8(path, e.as_bytes())]))
}

/// Reads `reader` to its end if that is at most [`MAX_FILE_BYTES`] bytes
/// (`None` if it is more), holding at most the limit plus one byte whatever
/// the reader yields. `expected` is the size the file reports, used only to
/// allocate once for an ordinary file.
pub(crate) fn read_capped(reader: impl Read, expected: u64) -> std::io::Result<Option<Vec<u8>>> {
    let limit = u64::try_from(MAX_FILE_BYTES).unwrap_or(u64::MAX);
    let capacity = usize::try_from(expected.min(limit))
        .unwrap_or(MAX_FILE_BYTES)
        .saturating_add(1);
    let mut bytes = Vec::with_capacity(capacity);
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() <= MAX_FILE_BYTES).then_some(bytes))
}

// Ok for a regular file within the size limit; otherwise why it is refused.
fn admit(meta: &Metadata) -> Result<(), LoadErrorKind> {
    if !meta.is_file() {
        return Err(LoadErrorKind::Io(format!(
            "not a regular file ({}); only regular files are read",
            what_kind(meta)
        )));
    }
    if usize::try_from(meta.len()).map_or(true, |n| n > MAX_FILE_BYTES) {
        return Err(too_big(Some(meta.len())));
    }
    Ok(())
}

// The size error, worded as the YAML reader words it for text in memory, so
// the same content gets the same error from a file or from memory.
fn too_big(size: Option<u64>) -> LoadErrorKind {
    let size = size.map_or_else(|| "more than that".to_string(), |n| n.to_string());
    LoadErrorKind::Yaml {
        message: format!("file is {size} bytes; the limit is {MAX_FILE_BYTES}"),
        help: None,
    }
}

// What a file that is not a regular file is, for the message.
fn what_kind(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
    }
    "a special file"
}

// A file that is not UTF-8, located at its first bad byte. Nothing of it
// is quoted: text that is not UTF-8 may not be text at all.
fn not_utf8(path: &Path, bytes: &[u8]) -> LoadError {
    let valid = match std::str::from_utf8(bytes) {
        Ok(_) => bytes.len(),
        Err(e) => e.valid_up_to(),
    };
    let prefix = bytes
        .get(..valid)
        .and_then(|b| std::str::from_utf8(b).ok())
        .unwrap_or("");
    let pos = super::locate::pos_at(prefix, valid);
    let kind = LoadErrorKind::Io(format!(
        "not valid UTF-8 (byte {valid}); save the file as UTF-8"
    ));
    LoadError::at(path.to_path_buf(), pos, kind)
}

fn whole_file(path: &Path, kind: LoadErrorKind) -> LoadError {
    LoadError::at(path.to_path_buf(), Pos::default(), kind)
}

/// The `*.yaml` files of `dir` except those named in `exclude`, sorted by
/// name; more than `limit` of them is an error. A file whose extension is
/// another spelling of YAML (`.yml`, `.YAML`) is an error rather than left
/// out, and so is a symbolic link leading out of `dir` (see the private
/// `check_links`).
pub fn yaml_files(
    dir: &Path,
    exclude: &[&str],
    limit: usize,
    what: &str,
) -> Result<Vec<PathBuf>, LoadErrors> {
    let error = |kind| LoadErrors(vec![whole_file(dir, kind)]);
    let io = |e: std::io::Error| error(LoadErrorKind::Io(e.to_string()));
    let mut files = Vec::new();
    let mut misnamed = Vec::new();
    for entry in fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        match path.extension().map(OsStr::to_string_lossy) {
            Some(ext) if ext == "yaml" => files.push(path),
            Some(ext) if ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml") => {
                misnamed.push(path);
            }
            _ => {}
        }
    }
    files.retain(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| !exclude.contains(&n))
    });
    files.sort();
    if files.len() > limit {
        return Err(error(LoadErrorKind::Invalid(format!(
            "{} {what}; the limit is {limit}",
            files.len()
        ))));
    }
    misnamed.sort();
    let mut errors: Vec<LoadError> = misnamed
        .into_iter()
        .map(|path| {
            // Other tools and this one's `diff --before REV` know rules and
            // cases by `.yaml`; one spelling keeps `x.yaml` and `x.yml` from
            // both being the ruleset `x`.
            let kind = LoadErrorKind::Invalid(
                "use the .yaml extension: files ending otherwise are not read".to_string(),
            );
            whole_file(&path, kind)
        })
        .collect();
    errors.extend(check_links(dir, &files).0);
    if errors.is_empty() {
        Ok(files)
    } else {
        errors.sort_by(|a, b| a.file.cmp(&b.file));
        Err(LoadErrors(errors))
    }
}

/// An error for each of `files` (in `dir`) that is a symbolic link leading
/// out of `dir`, or to nothing: such a link is not followed. A link from a
/// rules or cases directory to `~/.git-credentials` or `/proc/self/environ`
/// would otherwise have a parse error quote the target's first line. A link
/// to another file of the directory is fine.
pub fn check_links(dir: &Path, files: &[PathBuf]) -> LoadErrors {
    let Ok(home) = fs::canonicalize(dir) else {
        // The directory itself cannot be resolved: no link in it can be
        // followed safely.
        let links = files.iter().filter(|f| is_link(f));
        return LoadErrors(links.map(|f| link_error(f, dir, None)).collect());
    };
    let errors = files
        .iter()
        .filter(|f| is_link(f))
        .filter_map(|f| match fs::canonicalize(f) {
            Ok(target) if target.starts_with(&home) => None,
            Ok(_) => Some(link_error(f, dir, None)),
            Err(e) => Some(link_error(f, dir, Some(e))),
        })
        .collect();
    LoadErrors(errors)
}

fn is_link(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

// The target is not named: a link's target can be a private path.
fn link_error(link: &Path, dir: &Path, broken: Option<std::io::Error>) -> LoadError {
    let message = match broken {
        Some(e) => format!("a symbolic link that leads nowhere ({e}); not followed"),
        None => format!(
            "a symbolic link to a file outside {}; not followed (a link in this directory may \
             lead only to a file inside it)",
            dir.display()
        ),
    };
    whole_file(link, LoadErrorKind::Io(message))
}

/// The case files of a directory.
pub fn case_files(dir: &Path) -> Result<Vec<PathBuf>, LoadErrors> {
    yaml_files(dir, &[], MAX_CASES, "case files")
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::{MAX_FILE_BYTES, read_capped};

    /// An endless reader that counts the bytes taken from it.
    struct Counted(usize);

    impl Read for Counted {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            buf.fill(b'#');
            self.0 += buf.len();
            Ok(buf.len())
        }
    }

    /// Issue 15 item 4: whatever size a file claims (0 for `/proc` files),
    /// the reader takes at most the limit plus one byte, then refuses.
    #[test]
    fn the_capped_reader_takes_at_most_the_limit_plus_one_byte() {
        for claimed in [0, 10, u64::MAX] {
            let mut source = Counted(0);
            let read = read_capped(&mut source, claimed).expect("no I/O error");
            assert!(read.is_none(), "an endless reader is refused");
            assert_eq!(source.0, MAX_FILE_BYTES + 1, "claimed {claimed}");
        }
        let exactly = vec![b'#'; MAX_FILE_BYTES];
        let read = read_capped(exactly.as_slice(), 0).expect("no I/O error");
        assert_eq!(read.map(|b| b.len()), Some(MAX_FILE_BYTES));
    }
}
