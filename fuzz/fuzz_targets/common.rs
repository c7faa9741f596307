//! Shared by the fuzz targets: the shipped library, loaded once, and a
//! per-process scratch directory for the files the loaders read.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use authorship::load::{load_library};
use authorship::model::{Library};

/// The shipped rules (`../rules`), loaded once per process.
pub fn library() -> &'static Library {
    static LIBRARY: OnceLock<Library> = OnceLock::new();
    LIBRARY.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules");
        load_library(&dir).unwrap_or_else(|e| {
            panic!(
                "the shipped rules must load:\n{}",
                authorship::render::diagnostic::render_all(&e)
            )
        })
    })
}

/// Writes `data` to `name` in this process's scratch directory (under
/// /dev/shm, else the system temp dir; one per process, so `-jobs` and
/// `-fork` workers do not collide) and returns the path.
pub fn scratch_file(name: &str, data: &[u8]) -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    let dir = DIR.get_or_init(|| {
        // Memory-backed where there is one: a file is written per input.
        let shm = Path::new("/dev/shm");
        let base = if shm.is_dir() {
            shm.to_path_buf()
        } else {
            std::env::temp_dir()
        };
        let dir = base.join(format!("authorship-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch directory");
        dir
    });
    let path = dir.join(name);
    std::fs::write(&path, data).expect("scratch file");
    path
}
