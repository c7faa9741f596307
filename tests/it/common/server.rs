//! A running `authorship serve` for the HTTP and browser tests.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// The running server; killed when dropped, also when a test panics.
pub struct Server {
    pub child: Child,
    pub addr: String,
}

impl Server {
    /// `authorship serve --port 0` with `extra` arguments, once it has
    /// printed its address.
    pub fn start(extra: &[&str]) -> Server {
        let mut command = super::authorship();
        command.args(["serve", "--port", "0"]).args(extra);
        Server::spawn(command)
    }

    /// Runs `command`, which must end in `authorship serve --port 0` (it
    /// may `exec` it from a shell, to set limits first), from the crate
    /// root, once it has printed its address.
    pub fn spawn(mut command: Command) -> Server {
        let mut child = command
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start authorship serve");
        let stdout = child.stdout.take().expect("stdout is piped");
        // Guard first, so the child is killed even if the line never comes.
        let mut server = Server {
            child,
            addr: String::new(),
        };
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the server prints its address within 60 s");
        let addr = line
            .trim()
            .strip_prefix("serving on http://")
            .and_then(|rest| rest.strip_suffix('/'))
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"));
        assert!(
            addr.starts_with("127.0.0.1:"),
            "binds 127.0.0.1 only: {addr}"
        );
        server.addr = addr.to_string();
        server
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
