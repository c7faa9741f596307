//! Listing the YAML files of a directory, sorted, within a published limit
//! (with the `fs` feature).

use std::path::{Path, PathBuf};

use super::error::{LoadError, LoadErrorKind, LoadErrors};
use super::yaml::Pos;

/// Most case files one directory may hold.
pub const MAX_CASES: usize = 10_000;

/// The `*.yaml` files of `dir` except those named in `exclude`, sorted by
/// name; more than `limit` of them is an error.
pub fn yaml_files(
    dir: &Path,
    exclude: &[&str],
    limit: usize,
    what: &str,
) -> Result<Vec<PathBuf>, LoadErrors> {
    let error = |kind| LoadErrors(vec![LoadError::at(dir.to_path_buf(), Pos::default(), kind)]);
    let entries = std::fs::read_dir(dir).map_err(|e| error(LoadErrorKind::Io(e.to_string())))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| !exclude.contains(&n))
        })
        .collect();
    files.sort();
    if files.len() > limit {
        return Err(error(LoadErrorKind::Invalid(format!(
            "{} {what}; the limit is {limit}",
            files.len()
        ))));
    }
    Ok(files)
}

/// The case files of a directory.
pub fn case_files(dir: &Path) -> Result<Vec<PathBuf>, LoadErrors> {
    yaml_files(dir, &[], MAX_CASES, "case files")
}
