//! The authorship engine as a WebAssembly module, for the static what-if
//! site that `authorship site` writes.
//!
//! **Why a plain C interface.** The module is built with rustc's own
//! `wasm32-unknown-unknown` target and exports a handful of functions over
//! bytes in its memory; the site's `engine.js` (written by `authorship
//! site`, about forty lines) copies a request in and the answer out. No
//! binding generator is needed: wasm-bindgen's command-line tool must match
//! its crate's version exactly and would be one more tool for a rule
//! author, or CI, to install. The page needs one call, [`handle`].
//!
//! **One evaluator.** [`handle`] is [`App::handle`], the function
//! `authorship serve` answers the same requests with, on an [`App`] read
//! from the site's rules bundle ([`authorship::web::site`]). The module
//! imports nothing: no clock, no network, no file.
//!
//! Calls from the page, in order: [`alloc`] and write the bundle, [`load`],
//! [`release`]; then for each request [`alloc`] and write the method, the
//! URL and the body, [`handle`], read [`output_ptr`]/[`output_len`],
//! [`release`] the three.

use std::cell::RefCell;

use authorship::web::{App, site};

thread_local! {
    /// The application, once [`load`] has read a bundle (a module instance
    /// has one thread).
    static APP: RefCell<Option<App>> = const { RefCell::new(None) };
    /// The last answer or error message, until the next call.
    static OUTPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Reads a bundle; `Err` holds the message the page shows.
pub fn load_bundle(bytes: &[u8]) -> Result<(), String> {
    let app = site::app(bytes).map_err(|e| e.to_string())?;
    APP.with(|a| *a.borrow_mut() = Some(app));
    Ok(())
}

/// Answers one request as `authorship serve` would: the status and body.
pub fn respond(method: &str, url: &str, body: &[u8]) -> (u16, Vec<u8>) {
    APP.with(|a| match &*a.borrow() {
        Some(app) => {
            let response = app.handle(method, url, body);
            (response.status, response.body)
        }
        None => (
            503,
            br#"{"error":"the engine has no rules: the site's bundle was not loaded"}"#.to_vec(),
        ),
    })
}

/// Reserves `len` bytes for the page to write into; [`release`] frees them.
#[unsafe(no_mangle)]
pub extern "C" fn alloc(len: usize) -> *mut u8 {
    let mut buffer = std::mem::ManuallyDrop::new(Vec::<u8>::with_capacity(len));
    buffer.as_mut_ptr()
}

/// Frees what [`alloc`] reserved.
///
/// # Safety
/// `ptr` and `len` are exactly what one [`alloc`] call took and returned,
/// not yet released.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn release(ptr: *mut u8, len: usize) {
    // SAFETY: the caller passes back an allocation of capacity `len` made by
    // `alloc`; a length of 0 drops no element.
    drop(unsafe { Vec::from_raw_parts(ptr, 0, len) });
}

/// Reads the bundle at `ptr..ptr + len`: 0 when loaded, 1 when not (the
/// message is the output).
///
/// # Safety
/// `ptr..ptr + len` is memory the page wrote (from [`alloc`]).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn load(ptr: *const u8, len: usize) -> u32 {
    // SAFETY: as the caller promises.
    let bytes = unsafe { slice(ptr, len) };
    match load_bundle(bytes) {
        Ok(()) => {
            set_output(Vec::new());
            0
        }
        Err(message) => {
            set_output(message.into_bytes());
            1
        }
    }
}

/// Answers the request (method, URL as the page asks it, body): returns the
/// HTTP status; the body is the output.
///
/// # Safety
/// Each pointer and length is memory the page wrote (from [`alloc`]).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn handle(
    method: *const u8,
    method_len: usize,
    url: *const u8,
    url_len: usize,
    body: *const u8,
    body_len: usize,
) -> u32 {
    // SAFETY: as the caller promises.
    let (method, url, body) = unsafe {
        (
            slice(method, method_len),
            slice(url, url_len),
            slice(body, body_len),
        )
    };
    // The page sends text it encoded as UTF-8; anything else is refused
    // as the server refuses a request line it cannot read.
    let (status, answer) = match (std::str::from_utf8(method), std::str::from_utf8(url)) {
        (Ok(m), Ok(u)) => respond(m, u, body),
        _ => (
            400,
            br#"{"error":"the method and URL must be UTF-8"}"#.to_vec(),
        ),
    };
    set_output(answer);
    u32::from(status)
}

/// Where the last output starts.
#[unsafe(no_mangle)]
pub extern "C" fn output_ptr() -> *const u8 {
    OUTPUT.with(|o| o.borrow().as_ptr())
}

/// The last output's length in bytes.
#[unsafe(no_mangle)]
pub extern "C" fn output_len() -> usize {
    OUTPUT.with(|o| o.borrow().len())
}

fn set_output(bytes: Vec<u8>) {
    OUTPUT.with(|o| *o.borrow_mut() = bytes);
}

/// # Safety
/// `ptr..ptr + len` is readable (any `ptr` when `len` is 0).
unsafe fn slice<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if len == 0 {
        return &[];
    }
    // SAFETY: as the caller promises, and not null (len > 0).
    unsafe { std::slice::from_raw_parts(ptr, len) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_bundle_every_request_says_so() {
        let (status, body) = respond("GET", "/api/cases", b"");
        assert_eq!(status, 503);
        assert!(String::from_utf8(body).unwrap().contains("not loaded"));
    }

    #[test]
    fn a_bad_bundle_is_refused_with_its_reason() {
        let err = load_bundle(b"nonsense").unwrap_err();
        assert!(err.contains("not a rules bundle"), "{err}");
    }
}
