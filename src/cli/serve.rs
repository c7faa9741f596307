//! `authorship serve`: the what-if page, on `127.0.0.1` only.
//!
//! This is the I/O side of [`authorship::web`]: it binds the socket, prints
//! the address, reads each request (HTTP/1.1, with hyper on a one-thread
//! tokio runtime), hands method, target and body to
//! [`App::handle`](authorship::web::App::handle) on one of [`EVALUATORS`]
//! threads, and writes back whatever it answers.
//!
//! **Hostile clients.** Every connection is bounded in time, memory and
//! number, so no client can starve the others or leak anything:
//! - its head (request line and headers) must arrive within
//!   [`HEADER_TIMEOUT`] and fit in [`MAX_HEAD`] bytes (hyper answers 431
//!   otherwise); an idle keep-alive connection waits under the same timeout;
//! - its body must arrive within [`BODY_TIMEOUT`] (408 otherwise); at most
//!   [`MAX_BODY`] bytes plus one are read, so the library can refuse a
//!   larger body, and a body declared larger is refused unread;
//! - it lives at most [`CONNECTION_LIFETIME`] (then it is closed after the
//!   answer in progress, or after [`CLOSE_GRACE`] if that answer is not
//!   being read), which bounds a client that never reads its answers;
//! - at most [`MAX_CONNECTIONS`] are served at once; the next ones wait in
//!   the kernel's listen queue ([`LISTEN_BACKLOG`]), costing the server
//!   nothing;
//! - a request must name this machine (see [`check_host`]), so a hostile
//!   web page cannot read the API through DNS rebinding.
//!
//! **The listener never stops quietly.** An `accept` that fails for want
//! of descriptors or memory is retried every [`ACCEPT_BACKOFF`] (the
//! connections being served free theirs within the bounds above); if none
//! succeeds for [`ACCEPT_GIVE_UP`], the command fails (exit 1), so that a
//! supervisor can restart it.

use std::convert::Infallible;
use std::io::{ErrorKind, Write};
use std::mem::ManuallyDrop;
use std::net::SocketAddr;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use authorship::load::embedded;
use authorship::model::{Case, Library};
use authorship::web::{App, MAX_BODY, Response};
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::header::{CONNECTION, CONTENT_LENGTH, HOST, HeaderName, HeaderValue};
use hyper::server::conn::http1;
use hyper::{Request, StatusCode, Version};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot};

use super::Failure;
use super::terminal;

/// Threads that run [`App::handle`]: evaluation is CPU work, kept off the
/// thread that does the I/O so that a slow evaluation delays no timeout
/// and no other client's bytes.
const EVALUATORS: usize = 4;

/// Connections served at once. Over it, new connections wait in the
/// listen queue until one ends (each ends within the bounds of the module
/// doc). High enough that hundreds of idle attackers still leave room.
const MAX_CONNECTIONS: usize = 1024;

/// Connections the kernel keeps waiting to be accepted (it caps the
/// number at `net.core.somaxconn`); past it a client's connection attempts
/// are retried by its kernel rather than refused.
const LISTEN_BACKLOG: u32 = 1024;

/// The longest request head (request line and headers), in bytes, and the
/// largest buffer hyper keeps per connection. A browser sends under 2 KiB.
const MAX_HEAD: usize = 16 * 1024;

/// Time for a request's head to arrive, counted from the connection's
/// start or the end of the previous answer.
const HEADER_TIMEOUT: Duration = Duration::from_secs(5);

/// Time for a request's whole body to arrive, counted from its head.
const BODY_TIMEOUT: Duration = Duration::from_secs(5);

/// The longest a connection is kept, however busy: it bounds a client
/// that sends requests but never reads the answers.
const CONNECTION_LIFETIME: Duration = Duration::from_secs(30);

/// After [`CONNECTION_LIFETIME`], the time left to finish the answer in
/// progress before the connection is dropped.
const CLOSE_GRACE: Duration = Duration::from_secs(5);

/// The pause before retrying an `accept` that failed (out of descriptors).
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// How long `accept` may keep failing before the server gives up. Every
/// connection ends within [`CONNECTION_LIFETIME`] and [`CLOSE_GRACE`], so
/// descriptors held by clients are free again well before this; a failure
/// that outlasts it is not theirs.
const ACCEPT_GIVE_UP: Duration = Duration::from_secs(60);

/// Serves the what-if page on 127.0.0.1:`port` (0: the system picks a free
/// port) until the process is killed. Prints `serving on URL` first.
#[derive(clap::Args)]
pub struct ServeArgs {
    /// Port (0 picks a free one; the address is printed).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    #[command(flatten)]
    rules: super::RulesDir,
    /// Directory of case files offered on the page [default: the example
    /// cases built into the program].
    #[arg(long, value_name = "DIR")]
    cases: Option<PathBuf>,
}

impl ServeArgs {
    pub fn run(self) -> Result<(), Failure> {
        let library = self.rules.library()?;
        let cases = match &self.cases {
            Some(dir) => super::workflow::cases_in(&library, dir)?,
            None => embedded::cases(&library).map_err(|e| Failure::load(&e))?,
        };
        run(self.port, ManuallyDrop::into_inner(library), cases).map_err(Failure::error)
    }
}

fn run(port: u16, library: Library, cases: Vec<Case>) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    runtime.block_on(serve(port, App::new(library, cases)))
}

/// What every connection shares.
struct Shared {
    evaluators: Evaluators,
    http: http1::Builder,
    addr: SocketAddr,
}

/// Accepts connections until `accept` cannot go on.
async fn serve(port: u16, app: App) -> Result<(), String> {
    let listener = listen(port).map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot read the listening address: {e}"))?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "serving on http://{addr}/")
            .and_then(|()| out.flush())
            .map_err(|e| format!("cannot write to stdout: {e}"))?;
    }
    let shared = Arc::new(Shared {
        evaluators: Evaluators::start(app),
        http: http(),
        addr,
    });
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        // Never closed, so acquiring cannot fail; a slot is taken before
        // accepting so that waiting connections stay in the kernel's queue.
        let slot = Arc::clone(&slots)
            .acquire_owned()
            .await
            .map_err(|e| format!("internal error: {e}"))?;
        let stream = accept(&listener).await?;
        tokio::spawn(connection(stream, slot, Arc::clone(&shared)));
    }
}

/// The listening socket, with room for [`LISTEN_BACKLOG`] waiting
/// connections (the standard library's and tokio's `bind` leave 128).
fn listen(port: u16) -> std::io::Result<TcpListener> {
    let socket = TcpSocket::new_v4()?;
    socket.set_reuseaddr(true)?;
    socket.bind(SocketAddr::from(([127, 0, 0, 1], port)))?;
    socket.listen(LISTEN_BACKLOG)
}

/// hyper's HTTP/1.1 settings: the head's timeout and size.
fn http() -> http1::Builder {
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .max_header_size(MAX_HEAD)
        .max_buf_size(MAX_HEAD);
    http
}

/// The next connection, retrying failures (see the module doc).
async fn accept(listener: &TcpListener) -> Result<TcpStream, String> {
    let mut failing_since: Option<Instant> = None;
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                if let Some(since) = failing_since {
                    warn(&format!(
                        "accepting connections again after {:.1} s",
                        since.elapsed().as_secs_f64()
                    ));
                }
                return Ok(stream);
            }
            // The client gave up before it was accepted: the next one.
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::ConnectionAborted | ErrorKind::Interrupted
                ) => {}
            Err(e) => {
                let since = *failing_since.get_or_insert_with(|| {
                    warn(&format!(
                        "cannot accept a connection: {e}; retrying every {} ms",
                        ACCEPT_BACKOFF.as_millis()
                    ));
                    Instant::now()
                });
                if since.elapsed() >= ACCEPT_GIVE_UP {
                    return Err(format!(
                        "cannot accept connections for {} s: {e}",
                        ACCEPT_GIVE_UP.as_secs()
                    ));
                }
                tokio::time::sleep(ACCEPT_BACKOFF).await;
            }
        }
    }
}

/// Serves one connection within [`CONNECTION_LIFETIME`]; its slot is
/// given back when it ends, however it ends.
async fn connection(stream: TcpStream, _slot: OwnedSemaphorePermit, shared: Arc<Shared>) {
    // Answers are written whole; no need to wait to fill a packet.
    let _ = stream.set_nodelay(true);
    let service = {
        let shared = Arc::clone(&shared);
        hyper::service::service_fn(move |request| {
            let shared = Arc::clone(&shared);
            async move { Ok::<_, Infallible>(answer(&shared, request).await) }
        })
    };
    let conn = shared.http.serve_connection(TokioIo::new(stream), service);
    let mut conn = std::pin::pin!(conn);
    // A connection's errors are its client's (a timeout, a reset, a bad
    // head that hyper answered itself): nothing to report.
    tokio::select! {
        _ = conn.as_mut() => return,
        () = tokio::time::sleep(CONNECTION_LIFETIME) => conn.as_mut().graceful_shutdown(),
    }
    let _ = tokio::time::timeout(CLOSE_GRACE, conn).await;
}

/// Answers one request.
async fn answer(shared: &Shared, request: Request<Incoming>) -> hyper::Response<Full<Bytes>> {
    if let Err(refusal) = check_host(&request, shared.addr) {
        return reply(refusal, true);
    }
    let method = request.method().as_str().to_string();
    let url = request
        .uri()
        .path_and_query()
        .map_or("/", |target| target.as_str())
        .to_string();
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|length| length.to_str().ok()?.parse::<u64>().ok());
    match read_body(request.into_body(), declared).await {
        Ok(body) => reply(shared.evaluators.handle(method, url, body).await, false),
        Err(refusal) => reply(refusal, true),
    }
}

/// The body: at most [`MAX_BODY`] bytes plus one (enough for the library
/// to refuse a larger one), within [`BODY_TIMEOUT`].
async fn read_body(body: Incoming, declared: Option<u64>) -> Result<Vec<u8>, Response> {
    let expected = match declared.map(usize::try_from) {
        None => 0,
        Some(Ok(length)) if length <= MAX_BODY => length,
        // Refused unread, by the library's own answer to a body one byte
        // too long; the declared length is never allocated.
        Some(_) => return Ok(vec![b' '; MAX_BODY + 1]),
    };
    match tokio::time::timeout(BODY_TIMEOUT, collect(body, expected)).await {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(e)) => Err(Response::error(
            400,
            format!("cannot read the request body: {e}"),
        )),
        Err(_) => Err(Response::error(
            408,
            format!(
                "the request body did not arrive within {} s",
                BODY_TIMEOUT.as_secs()
            ),
        )),
    }
}

/// Reads the body until its end or [`MAX_BODY`] + 1 bytes, in a buffer of
/// the `expected` length (the declared one, at most that cap) that grows,
/// if it must, never past the cap.
async fn collect(mut body: Incoming, expected: usize) -> Result<Vec<u8>, hyper::Error> {
    let cap = MAX_BODY + 1;
    let mut bytes = Vec::with_capacity(expected.min(cap));
    while bytes.len() < cap {
        let Some(frame) = body.frame().await else {
            break;
        };
        if let Ok(data) = frame?.into_data() {
            let take = data.len().min(cap - bytes.len());
            let needed = bytes.len() + take;
            if needed > bytes.capacity() {
                // Doubling, as `Vec` would, but capped: a body held while
                // it arrives costs at most `cap` bytes.
                let target = needed.max(bytes.capacity() * 2).min(cap);
                bytes.reserve_exact(target - bytes.len());
            }
            bytes.extend_from_slice(&data[..take]);
        }
    }
    Ok(bytes)
}

/// Refuses a request that does not name this machine.
///
/// DNS rebinding: a hostile page at `evil.example` makes its name resolve
/// to 127.0.0.1, and the browser lets it read the answers as its own
/// origin's; the `Host` it sends still says `evil.example`. Served are the
/// loopback names `localhost`, `127.0.0.1` and `[::1]` and the bound
/// address, with any port (a tunnel may forward another port to this one).
/// The authority of an absolute target counts in place of `Host`.
fn check_host(request: &Request<Incoming>, bound: SocketAddr) -> Result<(), Response> {
    let mut hosts = request.headers().get_all(HOST).iter();
    let named = match (request.uri().authority(), hosts.next(), hosts.next()) {
        (Some(authority), _, _) => authority.as_str(),
        (None, _, Some(_)) => return Err(Response::error(400, "more than one Host header")),
        (None, Some(host), None) => host.to_str().unwrap_or("\u{fffd}"),
        (None, None, None) => "",
    };
    if named.is_empty() {
        // HTTP/1.0 did not require a Host; HTTP/1.1 does (RFC 9112 §3.2).
        return if request.version() < Version::HTTP_11 {
            Ok(())
        } else {
            Err(Response::error(400, "a Host header is required"))
        };
    }
    if is_this_machine(named, bound) {
        return Ok(());
    }
    let shown: String = named.chars().take(100).collect();
    Err(Response::error(
        421,
        format!("this server answers only to localhost, 127.0.0.1 and [::1], not to `{shown}`"),
    ))
}

/// Whether `host` (`name` or `name:port`) is a loopback name or the bound
/// address.
fn is_this_machine(host: &str, bound: SocketAddr) -> bool {
    // An IPv6 name keeps its brackets: `[::1]:8080` is `[::1]` and `:8080`.
    let split = if host.starts_with('[') {
        host.find(']').map(|end| end + 1)
    } else {
        Some(host.rfind(':').unwrap_or(host.len()))
    };
    let Some((name, port)) = split.map(|at| host.split_at(at)) else {
        return false;
    };
    let port_ok = port.is_empty()
        || port.strip_prefix(':').is_some_and(|digits| {
            digits.bytes().all(|b| b.is_ascii_digit()) && digits.parse::<u16>().is_ok()
        });
    let bound_ip = match bound {
        SocketAddr::V4(v4) => v4.ip().to_string(),
        SocketAddr::V6(v6) => format!("[{}]", v6.ip()),
    };
    let local = ["localhost", "127.0.0.1", "[::1]"]
        .iter()
        .any(|local| name.eq_ignore_ascii_case(local));
    port_ok && (local || name == bound_ip)
}

/// The library's response as hyper's; `close` ends the connection after it
/// (a refused request's unread body must not be taken for the next one).
fn reply(response: Response, close: bool) -> hyper::Response<Full<Bytes>> {
    let headers = response.headers();
    let status = StatusCode::from_u16(response.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut reply = hyper::Response::new(Full::new(Bytes::from(response.body)));
    *reply.status_mut() = status;
    for (name, value) in headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            reply.headers_mut().append(name, value);
        }
    }
    if close {
        reply
            .headers_mut()
            .insert(CONNECTION, HeaderValue::from_static("close"));
    }
    reply
}

/// One request for an evaluator, and where its answer goes.
struct Job {
    method: String,
    url: String,
    body: Vec<u8>,
    answer: oneshot::Sender<Response>,
}

/// The [`EVALUATORS`] threads and their queue. The queue holds at most one
/// request per connection (HTTP/1.1 answers them in turn), so it is
/// bounded by [`MAX_CONNECTIONS`].
struct Evaluators {
    jobs: mpsc::Sender<Job>,
}

impl Evaluators {
    fn start(app: App) -> Evaluators {
        let (jobs, queue) = mpsc::channel();
        let queue = Arc::new(Mutex::new(queue));
        let app = Arc::new(app);
        for _ in 0..EVALUATORS {
            let queue = Arc::clone(&queue);
            let app = Arc::clone(&app);
            thread::spawn(move || evaluate(&app, &queue));
        }
        Evaluators { jobs }
    }

    /// [`App::handle`] on an evaluator thread.
    async fn handle(&self, method: String, url: String, body: Vec<u8>) -> Response {
        let (answer, answered) = oneshot::channel();
        let job = Job {
            method,
            url,
            body,
            answer,
        };
        if self.jobs.send(job).is_err() {
            return Response::error(500, "internal error: no evaluator is running");
        }
        answered.await.unwrap_or_else(|_| {
            Response::error(
                500,
                "internal error (a bug in authorship; please report it)",
            )
        })
    }
}

/// An evaluator: answers jobs until the server is gone.
fn evaluate(app: &App, queue: &Mutex<mpsc::Receiver<Job>>) {
    loop {
        // A poisoned lock only means another evaluator panicked while
        // waiting; the queue itself is intact.
        let next = match queue.lock() {
            Ok(queue) => queue.recv(),
            Err(poisoned) => poisoned.into_inner().recv(),
        };
        let Ok(job) = next else { return };
        // A panic would be a bug; it costs one request, not the server.
        let response = catch_unwind(AssertUnwindSafe(|| {
            app.handle(&job.method, &job.url, &job.body)
        }))
        .unwrap_or_else(|_| {
            warn("a request failed with an internal error");
            Response::error(
                500,
                "internal error (a bug in authorship; please report it)",
            )
        });
        // The client may have gone meanwhile; nothing to do then.
        let _ = job.answer.send(response);
    }
}

/// A line on stderr, made inert like all output (a hostile request's
/// text may reach it); a stderr that cannot be written must not stop the
/// server.
fn warn(message: &str) {
    terminal::err(&format!("warning: {message}\n"));
}
