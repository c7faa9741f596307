//! Writing the files the commands produce — `report -o`, `batch -o`,
//! `whatif --emit`, `ask --save`, `schema --out`, and `pin`'s edits — so
//! that no data is lost:
//!
//! * an output is checked before the work that produces it: it may not be
//!   one of the command's inputs (however the path spells it), a symbolic
//!   link (the link's target is someone else's file), anything but a
//!   regular file, or an existing file unless `--force`; its directory must
//!   exist and take a new file;
//! * the content goes to a temporary file in the output's own directory,
//!   is flushed to disk, and is renamed over the output: a reader, a crash
//!   or a kill sees the old file or the new one, never a part. Without
//!   `--force` the rename itself refuses to replace a file that appeared
//!   since the check.

use std::fs::{self, Metadata, Permissions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// One thing a command reads: an output may not overwrite it.
#[derive(Clone, Copy)]
pub enum Input<'a> {
    /// A file read.
    File(&'a Path),
    /// A directory whose files are read (the rules): no file directly in
    /// it may be overwritten.
    Dir(&'a Path),
    /// Standard input, which may be a file redirected (`< FILE`).
    Stdin,
}

/// A file to be written, checked.
pub struct Output {
    path: PathBuf,
    /// Replace an existing file (`--force`, or `pin` editing in place).
    replace: bool,
    /// The permissions of the file replaced, kept by its replacement.
    keep: Option<Permissions>,
}

impl Output {
    /// Checks `path` as the output of a command that reads `inputs`;
    /// `force` allows replacing an existing file (never an input).
    pub fn check(path: &Path, inputs: &[Input], force: bool) -> Result<Output, String> {
        let shown = path.display();
        let existing = existing(path)?;
        if let Some(meta) = &existing {
            if inputs.iter().any(|i| is_input(path, meta, *i)) {
                return Err(format!(
                    "{shown} is also an input of this command; not overwritten (choose another output)"
                ));
            }
            if !force {
                return Err(format!(
                    "{shown} exists; not overwritten (add --force to replace it)"
                ));
            }
        }
        let output = Output {
            path: path.to_path_buf(),
            replace: force,
            keep: existing.map(|m| m.permissions()),
        };
        output.probe()?;
        Ok(output)
    }

    /// A file edited in place (`pin`): it must exist as a regular file,
    /// not a link; it is replaced whole, keeping its permissions.
    pub fn in_place(path: &Path) -> Result<Output, String> {
        let meta = existing(path)?.ok_or_else(|| format!("{} does not exist", path.display()))?;
        Ok(Output {
            path: path.to_path_buf(),
            replace: true,
            keep: Some(meta.permissions()),
        })
    }

    /// The path written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes the file: `produce` writes the content; if it fails, or
    /// anything after it does, the output is left as it was.
    pub fn write<T>(
        &self,
        produce: impl FnOnce(&mut dyn Write) -> Result<T, String>,
    ) -> Result<T, String> {
        let fail = |e: io::Error| format!("cannot write {}: {e}", self.path.display());
        let mut tmp = self.temporary().map_err(fail)?;
        if let Some(p) = &self.keep {
            fs::set_permissions(tmp.path(), p.clone()).map_err(fail)?;
        }
        let value = {
            let mut w = BufWriter::new(tmp.as_file_mut());
            let value = produce(&mut w)?;
            w.flush().map_err(fail)?;
            value
        };
        tmp.as_file().sync_all().map_err(fail)?;
        let persisted = if self.replace {
            tmp.persist(&self.path)
        } else {
            tmp.persist_noclobber(&self.path)
        };
        persisted.map_err(|e| fail(e.error))?;
        sync_dir(self.dir());
        Ok(value)
    }

    /// Writes `text` as the whole file.
    pub fn write_text(&self, text: &str) -> Result<(), String> {
        let fail = |e: io::Error| format!("cannot write {}: {e}", self.path.display());
        self.write(|w| w.write_all(text.as_bytes()).map_err(fail))
    }

    /// Writes a set of files, each `(path under dir, text)`, into `dir`
    /// (created, with any subdirectories, if missing). Every file is
    /// checked as [`Output::check`] does, against `inputs`, before the
    /// first is written, so a refusal (a file there without `force`, an
    /// input, a link) writes nothing. Returns the paths written.
    pub fn write_set<P: AsRef<Path>, T: AsRef<str>>(
        dir: &Path,
        files: &[(P, T)],
        inputs: &[Input],
        force: bool,
    ) -> Result<Vec<PathBuf>, String> {
        let made = |d: &Path| {
            std::fs::create_dir_all(d).map_err(|e| format!("cannot write to {}: {e}", d.display()))
        };
        made(dir)?;
        let mut outputs = Vec::with_capacity(files.len());
        for (name, _) in files {
            let target = dir.join(name);
            if let Some(parent) = target.parent() {
                made(parent)?;
            }
            outputs.push(Output::check(&target, inputs, force)?);
        }
        for (output, (_, text)) in outputs.iter().zip(files) {
            output.write_text(text.as_ref())?;
        }
        Ok(outputs.into_iter().map(|o| o.path).collect())
    }

    fn dir(&self) -> &Path {
        match self.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        }
    }

    /// A new temporary file beside the output, named after it so that one
    /// left by a killed run is recognisable.
    fn temporary(&self) -> io::Result<tempfile::NamedTempFile> {
        let name = self
            .path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        // A new output gets the usual permissions (the umask applies), not
        // the temporary file's private 0600.
        #[cfg(unix)]
        let usual = <Permissions as std::os::unix::fs::PermissionsExt>::from_mode(0o666);
        #[cfg(unix)]
        if self.keep.is_none() {
            builder.permissions(usual);
        }
        builder.tempfile_in(self.dir())
    }

    /// Whether the directory exists and takes a new file, found out before
    /// the work (an interview, a long batch) rather than after it.
    fn probe(&self) -> Result<(), String> {
        let dir = self.dir();
        match fs::metadata(dir) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(format!(
                    "cannot write {}: {} is not a directory",
                    self.path.display(),
                    dir.display()
                ));
            }
            Err(e) => {
                return Err(format!(
                    "cannot write {}: directory {}: {e}",
                    self.path.display(),
                    dir.display()
                ));
            }
        }
        self.temporary()
            .map(drop)
            .map_err(|e| format!("cannot write in {}: {e}", dir.display()))
    }
}

/// The output's metadata if it exists; an error if it is a symbolic link
/// or not a regular file.
fn existing(path: &Path) -> Result<Option<Metadata>, String> {
    let shown = path.display();
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(format!(
            "{shown} is a symbolic link; not written through it (name the file itself, or remove the link)"
        )),
        Ok(m) if m.is_dir() => Err(format!("{shown} is a directory; name a file to write")),
        Ok(m) if !m.is_file() => Err(format!(
            "{shown} exists and is not a regular file; not written"
        )),
        Ok(m) => Ok(Some(m)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("cannot write {shown}: {e}")),
    }
}

/// Whether the existing output `path` (`meta`) is `input`, or a file
/// directly in an input directory.
fn is_input(path: &Path, meta: &Metadata, input: Input) -> bool {
    match input {
        Input::File(p) => fs::metadata(p).is_ok_and(|m| same(&m, meta, p, path)),
        Input::Dir(d) => {
            let parent = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            match (fs::metadata(d), fs::metadata(parent)) {
                (Ok(a), Ok(b)) => same(&a, &b, d, parent),
                _ => false,
            }
        }
        Input::Stdin => stdin_metadata().is_some_and(|m| same(&m, meta, path, path)),
    }
}

/// Whether two existing files are one: the same device and inode (so
/// through any path, link or hard link), else the same canonical path.
fn same(a: &Metadata, b: &Metadata, pa: &Path, pb: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let _ = (pa, pb);
        a.dev() == b.dev() && a.ino() == b.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        matches!((fs::canonicalize(pa), fs::canonicalize(pb)), (Ok(x), Ok(y)) if x == y)
    }
}

/// The metadata of what standard input reads, when it is a file.
fn stdin_metadata() -> Option<Metadata> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        let fd = io::stdin().as_fd().try_clone_to_owned().ok()?;
        fs::File::from(fd).metadata().ok()
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Flushes the directory entry of a rename to disk, where the platform
/// allows it; a failure here loses nothing written, so it is not reported.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(tag: &str) -> tempfile::TempDir {
        tempfile::Builder::new()
            .prefix(&format!("authorship-files-{tag}-"))
            .tempdir()
            .unwrap()
    }

    /// A producer that fails halfway leaves the old file whole and no
    /// temporary file behind.
    #[test]
    fn a_failing_producer_leaves_the_old_file_whole() {
        let dir = scratch("fail");
        let path = dir.path().join("out.txt");
        fs::write(&path, "old\n").unwrap();
        let out = Output::check(&path, &[], true).unwrap();
        let result: Result<(), String> = out.write(|w| {
            w.write_all(&vec![b'x'; 1 << 20])
                .map_err(|e| e.to_string())?;
            w.flush().map_err(|e| e.to_string())?;
            Err("the serializer failed halfway".into())
        });
        assert_eq!(result, Err("the serializer failed halfway".into()));
        assert_eq!(fs::read_to_string(&path).unwrap(), "old\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        out.write_text("new\n").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    /// Without `--force`, a file that appears between the check and the
    /// write is not replaced.
    #[test]
    fn a_file_that_appears_after_the_check_is_not_replaced() {
        let dir = scratch("race");
        let path = dir.path().join("out.txt");
        let out = Output::check(&path, &[], false).unwrap();
        fs::write(&path, "theirs\n").unwrap();
        assert!(out.write_text("ours\n").is_err());
        assert_eq!(fs::read_to_string(&path).unwrap(), "theirs\n");
    }

    /// A replaced file keeps its permissions; a new one gets the usual
    /// ones, not the temporary file's 0600.
    #[cfg(unix)]
    #[test]
    fn permissions_are_kept_or_usual() {
        use std::os::unix::fs::PermissionsExt;
        let dir = scratch("mode");
        let path = dir.path().join("case.yaml");
        fs::write(&path, "a\n").unwrap();
        fs::set_permissions(&path, Permissions::from_mode(0o640)).unwrap();
        Output::in_place(&path).unwrap().write_text("b\n").unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        // What any new file gets under this process's umask.
        let usual = dir.path().join("usual.txt");
        fs::write(&usual, "").unwrap();
        let fresh = dir.path().join("new.txt");
        Output::check(&fresh, &[], false)
            .unwrap()
            .write_text("c\n")
            .unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&fresh), mode(&usual));
    }

    /// An input, through another spelling of its path, is refused even
    /// with `--force`; so is a file directly in an input directory.
    #[test]
    fn inputs_are_refused_however_spelled() {
        let dir = scratch("input");
        let path = dir.path().join("in.txt");
        fs::write(&path, "in\n").unwrap();
        let other = dir.path().join(".").join("in.txt");
        let e = Output::check(&other, &[Input::File(&path)], true)
            .err()
            .unwrap();
        assert!(e.contains("is also an input"), "{e}");
        let e = Output::check(&path, &[Input::Dir(dir.path())], true)
            .err()
            .unwrap();
        assert!(e.contains("is also an input"), "{e}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "in\n");
    }
}
