//! Headless Chromium driven through its DevTools protocol (CDP, spoken as
//! NUL-terminated JSON over the pipe Chromium opens on file descriptors 3
//! and 4 with `--remote-debugging-pipe`), for the tests that use a page as
//! a person would (`browser`, `site`). Chromium is killed when the driver
//! is dropped, and after [`CHROMIUM_TIMEOUT`] in any case.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::chromium;

/// Longest a Chromium run may take before it is killed.
pub const CHROMIUM_TIMEOUT: Duration = Duration::from_secs(60);

/// Longest one DevTools command (or a wait for the page) may take.
pub const CDP_TIMEOUT: Duration = Duration::from_secs(20);

/// A fresh temporary directory for one Chromium run.
pub fn tempdir(what: &str) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "authorship-browser-{what}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

pub struct Cdp {
    child: Child,
    to_browser: File,
    from_browser: mpsc::Receiver<Value>,
    next_id: u64,
    /// The page's session (commands without one go to the browser).
    session: Option<String>,
    /// Uncaught exceptions the page's script threw.
    pub exceptions: Vec<String>,
    /// Every URL the page asked for (`Network.requestWillBeSent`), once
    /// [`Cdp::record_requests`] has been called.
    pub requests: Vec<String>,
    profile: PathBuf,
    /// Dropped with the driver: tells the watchdog to stand down.
    _watchdog: mpsc::Sender<()>,
}

/// A pipe whose ends close on `exec`, moved to descriptors 10 and up so
/// that putting the child's ends on 3 and 4 cannot overwrite one another.
fn pipe() -> (OwnedFd, OwnedFd) {
    let mut fds = [0; 2];
    // SAFETY: `fds` is a valid array of two descriptors for pipe2 to fill.
    assert_eq!(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) }, 0);
    let high = |fd: i32| {
        // SAFETY: `fd` is the open descriptor pipe2 just made; the copy is
        // a new descriptor owned by the returned OwnedFd alone.
        unsafe {
            let copy = libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 10);
            assert!(copy >= 10, "dup a pipe end");
            libc::close(fd);
            OwnedFd::from_raw_fd(copy)
        }
    };
    (high(fds[0]), high(fds[1]))
}

impl Cdp {
    pub fn launch(binary: &Path) -> Cdp {
        let profile = tempdir("cdp-profile");
        let (their_in, our_out) = pipe();
        let (our_in, their_out) = pipe();
        let (child_in, child_out) = (their_in.as_raw_fd(), their_out.as_raw_fd());
        let mut command = Command::new(binary);
        command
            .args(chromium::HEADLESS)
            .args(["--hide-scrollbars", "--remote-debugging-pipe"])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        // SAFETY: between fork and exec the closure only calls dup2, which
        // is async-signal-safe; the descriptors are open (owned above).
        unsafe {
            command.pre_exec(move || {
                if libc::dup2(child_in, 3) < 0 || libc::dup2(child_out, 4) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        // The child's ends are its own now; ours close, so that its exit
        // ends our reader.
        drop((their_in, their_out));
        let (tx, from_browser) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(File::from(our_in));
            let mut message = Vec::new();
            while reader.read_until(0, &mut message).is_ok_and(|n| n > 0) {
                message.pop();
                if let Ok(value) = serde_json::from_slice::<Value>(&message)
                    && tx.send(value).is_err()
                {
                    break;
                }
                message.clear();
            }
        });
        // Whatever happens to the test, Chromium does not outlive the bound.
        let (watchdog, stand_down) = mpsc::channel::<()>();
        let pid = child.id();
        std::thread::spawn(move || {
            if let Err(mpsc::RecvTimeoutError::Timeout) = stand_down.recv_timeout(CHROMIUM_TIMEOUT)
            {
                let pid = i32::try_from(pid).unwrap_or(i32::MAX);
                // SAFETY: kill has no memory effects; the pid is our child's.
                unsafe { libc::kill(pid, libc::SIGKILL) };
            }
        });
        Cdp {
            child,
            to_browser: File::from(our_out),
            from_browser,
            next_id: 0,
            session: None,
            exceptions: Vec::new(),
            requests: Vec::new(),
            profile,
            _watchdog: watchdog,
        }
    }

    /// Sends one command and waits for its result.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({"id": id, "method": method, "params": params});
        if let Some(session) = &self.session {
            message["sessionId"] = json!(session);
        }
        let mut bytes = message.to_string().into_bytes();
        bytes.push(0);
        self.to_browser
            .write_all(&bytes)
            .unwrap_or_else(|e| panic!("{method}: Chromium's pipe is closed: {e}"));
        let deadline = Instant::now() + CDP_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let reply = self
                .from_browser
                .recv_timeout(left)
                .unwrap_or_else(|e| panic!("{method}: no answer from Chromium ({e})"));
            self.note(&reply);
            if reply["id"] == id {
                assert!(
                    reply.get("error").is_none(),
                    "{method} failed: {}",
                    reply["error"]
                );
                return reply["result"].clone();
            }
        }
    }

    /// Keeps what an event tells: an exception the page threw, a request
    /// it made.
    fn note(&mut self, event: &Value) {
        match event["method"].as_str() {
            Some("Runtime.exceptionThrown") => self
                .exceptions
                .push(event["params"]["exceptionDetails"].to_string()),
            Some("Network.requestWillBeSent") => {
                if let Some(url) = event["params"]["request"]["url"].as_str() {
                    self.requests.push(url.to_string());
                }
            }
            _ => {}
        }
    }

    /// Records every request the page makes from now on, in
    /// [`Cdp::requests`].
    pub fn record_requests(&mut self) {
        self.call("Network.enable", json!({}));
    }

    /// Takes in the events that came since the last command.
    pub fn drain(&mut self) {
        while let Ok(event) = self.from_browser.try_recv() {
            self.note(&event);
        }
    }

    /// Opens a page and attaches to it.
    pub fn open_page(&mut self, width: u32, height: u32) {
        let target = self.call("Target.createTarget", json!({"url": "about:blank"}));
        let attached = self.call(
            "Target.attachToTarget",
            json!({"targetId": target["targetId"], "flatten": true}),
        );
        self.session = attached["sessionId"].as_str().map(str::to_string);
        assert!(self.session.is_some(), "attached: {attached}");
        self.call("Runtime.enable", json!({}));
        self.call("Page.enable", json!({}));
        self.viewport(width, height);
    }

    /// The window's size, in CSS pixels, as a phone or desktop has it.
    pub fn viewport(&mut self, width: u32, height: u32) {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1,
                   "mobile": width < 600}),
        );
    }

    /// The value of a script expression (awaited when it is a promise).
    pub fn eval(&mut self, expression: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
        );
        assert!(
            result.get("exceptionDetails").is_none(),
            "`{expression}` threw: {}",
            result["exceptionDetails"]
        );
        result["result"]["value"].clone()
    }

    /// Opens `url` without waiting for the what-if page to settle (it is
    /// not one): until the address is the new one.
    pub fn navigate_blank(&mut self, url: &str) {
        self.call("Page.navigate", json!({"url": url}));
        let deadline = Instant::now() + CDP_TIMEOUT;
        while self.eval("location.href") != url {
            assert!(Instant::now() < deadline, "{url} did not open");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn navigate(&mut self, url: &str) {
        self.call("Page.navigate", json!({"url": url}));
        self.wait_ready();
    }

    /// Waits until the page has its answer from the engine (and the why
    /// panel, if open, its explanation).
    pub fn wait_ready(&mut self) {
        let waited = self.eval(
            "new Promise((done) => { const t0 = Date.now(); (function poll() {
               const box = document.getElementById('why-body');
               const ready = document.body && document.body.dataset.state === 'ready'
                 && !(box && box.hasAttribute('aria-busy'));
               if (ready) done('ready');
               else if (Date.now() - t0 > 15000) done('timeout: ' + (document.getElementById('status') || {}).textContent);
               else setTimeout(poll, 50); })(); })",
        );
        assert_eq!(waited, "ready", "the page did not settle");
    }

    /// Clicks the element `selector` names as a person would: scrolled
    /// into view, a mouse press and release at the middle of its box (which
    /// must be the element, or inside it, and not covered by another).
    pub fn click(&mut self, selector: &str) {
        let point = self.eval(&format!(
            "(() => {{ const e = document.querySelector({sel});
                if (!e) return null;
                e.scrollIntoView({{block: 'center'}});
                const r = e.getBoundingClientRect();
                const x = r.left + r.width / 2, y = r.top + r.height / 2;
                const hit = document.elementFromPoint(x, y);
                return {{x, y, visible: r.width > 0 && r.height > 0,
                         hit: !!hit && (hit === e || e.contains(hit))}}; }})()",
            sel = json!(selector)
        ));
        assert!(point.is_object(), "no element {selector}");
        assert_eq!(point["visible"], true, "{selector} is not shown");
        assert_eq!(point["hit"], true, "{selector} is covered");
        for kind in ["mousePressed", "mouseReleased"] {
            self.call(
                "Input.dispatchMouseEvent",
                json!({"type": kind, "x": point["x"], "y": point["y"],
                       "button": "left", "clickCount": 1}),
            );
        }
        self.wait_ready();
    }

    /// Chooses `value` in the `<select>` `selector` names, as the keyboard
    /// or the menu would: the value changes and the control says so.
    pub fn choose(&mut self, selector: &str, value: &str) {
        let chosen = self.eval(&format!(
            "(() => {{ const s = document.querySelector({sel});
                if (!s || s.offsetParent === null || s.disabled) return false;
                s.focus(); s.value = {value};
                s.dispatchEvent(new Event('input', {{bubbles: true}}));
                s.dispatchEvent(new Event('change', {{bubbles: true}}));
                return s.value === {value}; }})()",
            sel = json!(selector),
            value = json!(value)
        ));
        assert_eq!(chosen, true, "cannot choose {value} in {selector}");
        self.wait_ready();
    }

    /// Saves a screenshot of the viewport.
    pub fn screenshot(&mut self, path: &Path) {
        let shot = self.call("Page.captureScreenshot", json!({"format": "png"}));
        let data = shot["data"].as_str().expect("base64 PNG");
        let bytes = base64_decode(data);
        assert!(bytes.len() > 10_000, "{}: blank?", path.display());
        std::fs::write(path, bytes).expect("write the screenshot");
        println!("screenshot: {}", path.display());
    }

    /// The verdict id each row shows, by jurisdiction.
    pub fn verdicts(&mut self) -> Value {
        self.eval(
            "Object.fromEntries([...document.querySelectorAll('#outcome-rows tr')].map((tr) =>
               [tr.dataset.jurisdiction, tr.querySelector('.verdict').dataset.verdict]))",
        )
    }
}

impl Drop for Cdp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// Standard base64 (screenshots come so); no crate for twenty lines.
pub fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let clean: Vec<u8> = text.bytes().filter(|&c| c != b'=').collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let mut n: u32 = 0;
        for (i, &c) in chunk.iter().enumerate() {
            n |= u32::from(value(c)) << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}
