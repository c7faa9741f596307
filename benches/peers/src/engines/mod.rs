//! The engines under comparison, each behind [`Engine`]: set up once
//! (policy loaded or compiled, per-pattern inputs built), then asked for
//! pattern `i`'s [`Outcome`] inside the timed loop.
//!
//! json-logic-engine runs in Node.js and times itself: see [`node`].

pub mod authorship;
pub mod limit;
pub mod node;
pub mod regorus;
pub mod zen;

use crate::outcome::Outcome;

/// An engine evaluated in this process.
pub trait Engine {
    /// The row label, e.g. `regorus (RVM)`.
    fn label(&self) -> &'static str;
    /// The engine's version.
    fn version(&self) -> String;
    /// Pattern `i`'s outcome (`i` < the number of patterns set up).
    fn evaluate(&mut self, i: usize) -> Result<Outcome, String>;
}

/// A crate's version as locked in the workspace's Cargo.lock (see build.rs).
#[macro_export]
macro_rules! locked_version {
    ($env:literal) => {
        option_env!($env).unwrap_or("?").to_string()
    };
}
