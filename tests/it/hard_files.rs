//! Issue 15, the files items: what the reader refuses before it reads, and
//! what it never quotes. Every input file goes through one reader
//! (`authorship::load::read_text`): it refuses FIFOs, devices, sockets and
//! directories without reading them, reads at most `MAX_FILE_BYTES` plus one
//! byte, does not follow a link in `rules/` or `cases/` that leaves the
//! directory, refuses `.yml` there rather than ignoring it, and quotes no
//! line of a file that is not UTF-8.
//!
//! Each test runs the binary on a temporary directory and bounds it: a run
//! that hangs is killed after [`BOUND`] and fails the test, and runs that
//! could grow memory get an address-space limit of [`MEMORY_KB`] (set for
//! the child alone, with the shell's `ulimit -v`).

use std::ffi::OsStr;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use authorship::load::MAX_FILE_BYTES;

use crate::common;
use crate::properties::TempDir;

/// A run that has not ended by then hangs.
const BOUND: Duration = Duration::from_secs(10);
/// Address space for a child that must not read a huge input whole, in KiB:
/// a debug build checking the shipped rules needs well under 100 MB.
const MEMORY_KB: u32 = 200_000;
/// A line of the file a hostile link points at: it must never be printed.
const SECRET: &str = "AUTHORSHIP_FAKE_SECRET=hunter2-not-a-real-token";

/// Runs `command` to its end, or kills it after [`BOUND`] and fails.
fn bounded(mut command: Command) -> Output {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the child");
    // Read both pipes on threads, so a chatty child cannot block on a full
    // pipe while the test waits for it.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let out = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let err = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for the child") {
            break status;
        }
        if start.elapsed() > BOUND {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the run took more than {BOUND:?} and was killed: {command:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().expect("stdout"),
        stderr: err.join().expect("stderr"),
    }
}

/// The binary with `args`, bounded in time.
fn run<S: AsRef<OsStr>>(args: &[S]) -> Output {
    let mut command = common::authorship();
    command.args(args);
    bounded(command)
}

/// The binary with `args`, bounded in time and to [`MEMORY_KB`] of address
/// space: reading a huge input whole fails under it.
fn run_small<S: AsRef<OsStr>>(args: &[S]) -> Output {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!("ulimit -v {MEMORY_KB} && exec \"$@\""))
        .arg("sh")
        .arg(env!("CARGO_BIN_EXE_authorship"))
        .args(args);
    bounded(command)
}

/// Both streams of a run, lossily (a refused file must not make them
/// invalid UTF-8 either, but the assertion should say what was printed).
fn printed(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A temporary directory holding `secret.txt` (a line that must not leak),
/// a copy of the shipped rules in `rules/` and one shipped case in
/// `cases/`.
fn workspace(tag: &str) -> TempDir {
    let dir = TempDir::new(tag);
    std::fs::write(dir.path().join("secret.txt"), format!("{SECRET}\n")).unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    for file in common::yaml_files("rules") {
        std::fs::copy(&file, rules.join(file.file_name().unwrap())).unwrap();
    }
    let cases = dir.path().join("cases");
    std::fs::create_dir(&cases).unwrap();
    std::fs::copy(
        "cases/feist-white-pages.yaml",
        cases.join("feist-white-pages.yaml"),
    )
    .unwrap();
    dir
}

fn path_arg(path: &Path) -> String {
    path.display().to_string()
}

/// Issue 15 item 2: a link in `cases/` to a file outside the directory is
/// reported by name and not followed, by every command that walks the
/// directory: the target's first line never reaches the output.
#[test]
fn a_link_leaving_cases_is_refused_and_its_target_never_printed() {
    let dir = workspace("link-cases");
    let cases = dir.path().join("cases");
    std::os::unix::fs::symlink(dir.path().join("secret.txt"), cases.join("x.yaml")).unwrap();
    let rules = path_arg(&dir.path().join("rules"));
    for command in ["check", "test", "coverage"] {
        let o = run(&[command, "--rules", &rules, "--cases", &path_arg(&cases)]);
        let text = printed(&o);
        assert_eq!(o.status.code(), Some(1), "{command}: {text}");
        assert!(
            !text.contains("hunter2"),
            "{command} leaked the target:\n{text}"
        );
        assert!(text.contains("x.yaml"), "{command} names the link:\n{text}");
        assert!(text.contains("symbolic link"), "{command}:\n{text}");
        assert!(text.contains("outside"), "{command}:\n{text}");
    }

    // A link that stays inside the directory is followed: both load.
    std::fs::remove_file(cases.join("x.yaml")).unwrap();
    std::os::unix::fs::symlink("feist-white-pages.yaml", cases.join("again.yaml")).unwrap();
    let o = run(&["check", "--rules", &rules, "--cases", &path_arg(&cases)]);
    assert!(o.status.success(), "{}", printed(&o));
    assert!(printed(&o).contains("2 cases"), "{}", printed(&o));
}

/// Issue 15 item 2: a link in `rules/` to a file outside, as a ruleset or
/// as one of the files read by name (`facts.yaml`, `bibliography.yaml`),
/// is reported by name and not followed.
#[test]
fn a_link_leaving_rules_is_refused_and_its_target_never_printed() {
    for name in ["x.yaml", "facts.yaml", "bibliography.yaml"] {
        let dir = workspace("link-rules");
        let rules = dir.path().join("rules");
        let _ = std::fs::remove_file(rules.join(name));
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), rules.join(name)).unwrap();
        let o = run(&[
            "check",
            "--rules",
            &path_arg(&rules),
            "--cases",
            &path_arg(&dir.path().join("cases")),
        ]);
        let text = printed(&o);
        assert_eq!(o.status.code(), Some(1), "{name}: {text}");
        assert!(
            !text.contains("hunter2"),
            "{name}: leaked the target:\n{text}"
        );
        assert!(text.contains(name), "{name}: the link is named:\n{text}");
        assert!(text.contains("symbolic link"), "{name}:\n{text}");
    }
}

/// Issue 15 item 2: no line of a file that is not UTF-8 is quoted (the
/// error gives the place of the first bad byte), and a file that is not an
/// ordinary file on disk, such as `/proc/self/environ`, is not read even
/// when named on the command line.
#[test]
fn content_of_a_non_utf8_or_pseudo_file_is_never_quoted() {
    let dir = workspace("not-utf8");
    let case = dir.path().join("cases").join("latin1.yaml");
    let mut bytes = format!("title: {SECRET} caf").into_bytes();
    bytes.extend_from_slice(b"\xe9\n");
    std::fs::write(&case, bytes).unwrap();
    let o = run(&["compare", &path_arg(&case)]);
    let text = printed(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(text.contains("not valid UTF-8"), "{text}");
    assert!(text.contains("latin1.yaml:1:"), "located: {text}");
    assert!(!text.contains("hunter2"), "quoted the line:\n{text}");

    let o = bounded({
        let mut command = common::authorship();
        command
            .args(["compare", "/proc/self/environ"])
            .env("AUTHORSHIP_FAKE_SECRET", "hunter2");
        command
    });
    let text = printed(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(!text.contains("hunter2"), "quoted the environment:\n{text}");
    assert!(text.contains("/proc/self/environ"), "{text}");
}

/// Issue 15 item 4: a device named on the command line is refused without
/// being read: `compare /dev/zero` ends at once, in little memory.
#[test]
fn a_device_is_refused_without_reading_it() {
    for device in ["/dev/zero", "/dev/null"] {
        let start = Instant::now();
        let o = run_small(&["compare", device]);
        let text = printed(&o);
        assert_eq!(o.status.code(), Some(1), "{device}: {text}");
        assert!(text.contains("not a regular file"), "{device}: {text}");
        assert!(start.elapsed() < BOUND, "{device}");
    }
    let o = run_small(&["compare", "cases"]);
    assert!(printed(&o).contains("a directory"), "{}", printed(&o));
}

/// Issue 15 item 4: a FIFO in `cases/` (no writer will ever come) makes
/// `check` report it and exit, instead of waiting forever in `open`.
#[test]
fn a_fifo_in_cases_is_reported_not_waited_on() {
    let dir = workspace("fifo");
    let fifo = dir.path().join("cases").join("pipe.yaml");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let o = run(&[
        "check",
        "--rules",
        "rules",
        "--cases",
        &path_arg(&dir.path().join("cases")),
    ]);
    let text = printed(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(text.contains("pipe.yaml"), "{text}");
    assert!(text.contains("not a regular file (a FIFO)"), "{text}");
}

/// Issue 15 item 4: a file over `MAX_FILE_BYTES` is refused before it is
/// read whole: a 3 GiB (sparse) case file is refused in 200 MB of address
/// space, and a file one byte over the limit as surely as a huge one.
#[test]
fn a_file_over_the_limit_is_refused_before_it_is_read_whole() {
    let dir = TempDir::new("huge");
    let huge = dir.path().join("huge.yaml");
    std::fs::File::create(&huge)
        .and_then(|f| f.set_len(3 << 30))
        .unwrap();
    let o = run_small(&["compare", &path_arg(&huge)]);
    let text = printed(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(
        text.contains(&format!("the limit is {MAX_FILE_BYTES}")),
        "{text}"
    );

    let over = dir.path().join("over.yaml");
    let limit = u64::try_from(MAX_FILE_BYTES).unwrap();
    std::fs::write(&over, "#".repeat(MAX_FILE_BYTES + 1)).unwrap();
    assert_eq!(std::fs::metadata(&over).unwrap().len(), limit + 1);
    let o = run_small(&["compare", &path_arg(&over)]);
    let text = printed(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(
        text.contains(&format!(
            "file is {} bytes; the limit is {MAX_FILE_BYTES}",
            limit + 1
        )),
        "{text}"
    );
}

/// Issue 15 item 15 (the `.yml` part): a `.yml` file in `rules/` or
/// `cases/` is refused by name, never silently left out.
#[test]
fn a_yml_file_is_refused_not_ignored() {
    let dir = workspace("yml");
    let rules = dir.path().join("rules");
    let cases = dir.path().join("cases");
    let check = || {
        run(&[
            "check",
            "--rules",
            &path_arg(&rules),
            "--cases",
            &path_arg(&cases),
        ])
    };
    std::fs::copy("cases/feist-white-pages.yaml", cases.join("copy.yml")).unwrap();
    let o = check();
    let text = printed(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(text.contains("copy.yml"), "{text}");
    assert!(text.contains("use the .yaml extension"), "{text}");

    std::fs::remove_file(cases.join("copy.yml")).unwrap();
    std::fs::rename(rules.join("uk-cdpa.yaml"), rules.join("uk-cdpa.yml")).unwrap();
    let o = check();
    let text = printed(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(text.contains("uk-cdpa.yml"), "{text}");
    assert!(text.contains("use the .yaml extension"), "{text}");
}
