//! `authorship serve`: stub until the server lands.

use authorship::model::{Case, Library};

/// Serves the what-if page on 127.0.0.1:`port`.
pub fn run(_port: u16, _library: Library, _cases: Vec<Case>) -> Result<(), String> {
    Err("not yet implemented".to_string())
}
