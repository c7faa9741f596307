//! `authorship serve`: the what-if page, on `127.0.0.1` only.
//!
//! This is the I/O side of [`authorship::web`]: it binds the socket, prints
//! the address, reads each request's body (at most
//! [`MAX_BODY`](authorship::web::MAX_BODY) bytes plus one, so the library
//! can refuse a larger one) and writes back whatever
//! [`App::handle`](authorship::web::App::handle) answers, with tiny_http.
//! It never stops on a bad request: every failure is answered (or, if the
//! client is gone, logged to stderr) and the workers go on.

use std::io::{Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use authorship::model::{Case, Library};
use authorship::web::{App, MAX_BODY, Response};

use super::Failure;
use super::terminal::errln;

/// Requests answered at once: a slow client holds one worker, not the server.
const WORKERS: usize = 8;

/// The largest declared body that is drained in the ordinary way.
///
/// tiny_http 0.12 drains the unread part of a body when the request is
/// dropped, allocating the whole declared remainder at once
/// (`EqualReader::drop`, upstream tiny-http#290): a request that declares a
/// petabyte and sends nothing makes that allocation fail and aborts the
/// process. A request declaring more than this is answered without ever
/// dropping its body reader (see [`refuse_undrained`]).
const DRAIN_LIMIT: usize = 1024 * 1024;

/// Serves the what-if page on 127.0.0.1:`port` (0: the system picks a free
/// port) until the process is killed. Prints `serving on URL` first.
#[derive(clap::Args)]
pub struct ServeArgs {
    /// Port (0 picks a free one; the address is printed).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Rules directory.
    #[arg(long, default_value = "rules")]
    rules: PathBuf,
    /// Directory of case files offered on the page.
    #[arg(long, default_value = "cases")]
    cases: PathBuf,
}

impl ServeArgs {
    pub fn run(self) -> Result<(), Failure> {
        let (library, cases) = super::workflow::library_and_cases(&self.rules, &self.cases)?;
        run(self.port, library, cases).map_err(Failure::error)
    }
}

fn run(port: u16, library: Library, cases: Vec<Case>) -> Result<(), String> {
    let server = tiny_http::Server::http(("127.0.0.1", port))
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| "the server is not listening on an IP address".to_string())?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "serving on http://{addr}/")
            .and_then(|()| out.flush())
            .map_err(|e| format!("cannot write to stdout: {e}"))?;
    }
    let server = Arc::new(server);
    let app = Arc::new(App::new(library, cases));
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let server = Arc::clone(&server);
            let app = Arc::clone(&app);
            thread::spawn(move || work(&server, &app))
        })
        .collect();
    for worker in workers {
        // A worker does not end (its requests are guarded); join waits forever.
        let _ = worker.join();
    }
    Err("every worker stopped".to_string())
}

/// Answers requests forever.
fn work(server: &tiny_http::Server, app: &App) {
    loop {
        match server.recv() {
            Ok(request) => {
                // A panic would be a bug; it costs one request, not the server.
                if catch_unwind(AssertUnwindSafe(|| respond(app, request))).is_err() {
                    errln!("warning: a request failed with an internal error");
                }
            }
            Err(e) => {
                errln!("warning: cannot receive a request: {e}");
                thread::sleep(Duration::from_millis(50));
            }
        }
    }
}

fn respond(app: &App, mut request: tiny_http::Request) {
    let method = request.method().as_str().to_string();
    let url = request.url().to_string();
    let declared = request.body_length().unwrap_or(0);
    let response = if declared > MAX_BODY {
        // Too large by its declared length: refused unread.
        app.handle(&method, &url, &vec![b' '; MAX_BODY + 1])
    } else {
        let mut body = Vec::new();
        match request
            .as_reader()
            .take(MAX_BODY as u64 + 1)
            .read_to_end(&mut body)
        {
            Ok(_) => app.handle(&method, &url, &body),
            Err(e) => Response::error(400, format!("cannot read the request body: {e}")),
        }
    };
    if declared > DRAIN_LIMIT {
        refuse_undrained(request, &response);
        return;
    }
    let mut reply = tiny_http::Response::from_data(response.body.clone())
        .with_status_code(tiny_http::StatusCode(response.status))
        .with_chunked_threshold(usize::MAX);
    for (name, value) in response.headers() {
        if let Ok(header) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            reply.add_header(header);
        }
    }
    if let Err(e) = request.respond(reply) {
        errln!("warning: cannot send a response: {e}");
    }
}

/// Answers a request that declared a body over [`DRAIN_LIMIT`] without
/// letting tiny_http drain it (which could abort the process, see there).
///
/// The only way tiny_http 0.12 hands out a request's body reader is
/// `upgrade`, which first writes a response head of its own (without a
/// length). That head is sent as an interim `100 Continue`, which clients
/// skip; the real response follows on the raw stream with its length and
/// `Connection: close`. The stream is then deliberately never dropped: its
/// reader's destructor is the allocation to avoid. Each such request leaks
/// one idle connection, which only a client declaring over a mebibyte to
/// this API can cause.
fn refuse_undrained(request: tiny_http::Request, response: &Response) {
    let interim = tiny_http::Response::empty(tiny_http::StatusCode(100));
    let mut stream = request.upgrade("authorship-refused", interim);
    let status = tiny_http::StatusCode(response.status);
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        response.status,
        status.default_reason_phrase(),
        response.body.len()
    );
    for (name, value) in response.headers() {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let sent = stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(&response.body))
        .and_then(|()| stream.flush());
    if let Err(e) = sent {
        errln!("warning: cannot send a response: {e}");
    }
    errln!("warning: refused a request declaring a body over {DRAIN_LIMIT} bytes");
    std::mem::forget(stream);
}
