//! Bad input never crashes and never hides good input.
//!
//! Every case is a folder holding one or more bad inputs and, beside them, `good.yaml`: a
//! LoadBalancer Service whose `kubernetes.io/elb.class: premium` is finding LB011 (an error) at a
//! known line.
//! The case runs the real binary (`lint --format json .` in the folder unless it needs other
//! arguments) and checks:
//!
//! - the exact exit code;
//! - the findings outside `good.yaml`, exactly (code, file, line; column and a word of the message
//!   where given): an invalid document is LB001 at its line, valid odd input is quiet;
//! - the I/O errors, exactly: file and a part of the message, in the JSON `errors` and on stderr
//!   as `error: FILE: message`;
//! - that good.yaml's LB011 is still there, once, at its line.
//!
//! Static cases live in `fixtures/bad-input/<case>/`; large, hostile or special-file cases (deep
//! nesting, alias bombs, 50 MB, 1 MB lines, symlinks, a FIFO, an unreadable file, stdin, replicas
//! by the million) are generated in a temporary folder; `plan` and `weights` cases check their
//! output's size and parts instead of a lint report. Every run has a timeout, so a hang fails the case instead of
//! stalling CI, and its wall time and peak memory (`wait4`'s `ru_maxrss`) are measured. All cases
//! run, and every failing one is reported with its name.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;

mod common;

const BIN: &str = env!("CARGO_BIN_EXE_lbplan");

/// The good file of every case (the fixtures hold copies; a test checks they are identical).
const GOOD: &str = "\
# The good file beside every bad input: lbplan must still lint it.
apiVersion: v1
kind: Service
metadata:
  name: good
  namespace: default
  annotations:
    kubernetes.io/elb.class: premium
spec:
  type: LoadBalancer
  selector:
    app: good
  ports:
    - name: http
      port: 80
";
const GOOD_FILE: &str = "good.yaml";
/// The line of `kubernetes.io/elb.class: premium` in [`GOOD`]: where LB011 must be found.
const GOOD_LINE: u64 = 8;

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/bad-input")
}

// ---------------------------------------------------------------------------------------------
// Running the binary with a timeout, measuring wall time and peak memory.

struct Run {
    /// Exit code; `None` when killed by a signal (a crash, or the timeout).
    code: Option<i32>,
    signal: Option<i32>,
    timed_out: bool,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    max_rss_kib: i64,
}

// The child is reaped with wait4 (for its rusage), which clippy cannot see.
#[allow(clippy::zombie_processes)]
fn run(case: &Case) -> Run {
    let (dir, args, stdin, timeout) = (&case.dir, &case.args, case.stdin.as_deref(), case.timeout);
    let mut command = Command::new(BIN);
    command
        .args(args)
        .current_dir(dir)
        .env("LBPLAN_CACHE_DIR", common::cache_dir())
        .env("NO_COLOR", "1")
        .envs(case.env.iter().map(|(k, v)| (k, v)))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
    if let Some(bytes) = case.address_space {
        use std::os::unix::process::CommandExt;
        // SAFETY: setrlimit is async-signal-safe and touches no memory of the parent.
        unsafe {
            command.pre_exec(move || {
                let limit = libc::rlimit {
                    rlim_cur: bytes,
                    rlim_max: bytes,
                };
                if libc::setrlimit(libc::RLIMIT_AS, &limit) == 0 {
                    Ok(())
                } else {
                    Err(std::io::Error::last_os_error())
                }
            });
        }
    }
    let started = Instant::now();
    let mut child = command
        .spawn()
        .unwrap_or_else(|e| panic!("spawn {BIN}: {e}"));
    let writer = stdin.map(|bytes| {
        let mut pipe = child.stdin.take().expect("stdin pipe");
        let bytes = bytes.to_vec();
        // Dropping the pipe afterwards is the end of input; a write error means lbplan stopped
        // reading, which the exit code and output show.
        std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        })
    });
    let mut out_pipe = child.stdout.take().expect("stdout pipe");
    let mut err_pipe = child.stderr.take().expect("stderr pipe");
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = out_pipe.read_to_end(&mut buf);
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = err_pipe.read_to_end(&mut buf);
        buf
    });

    // Reap with wait4 (not Child::wait) to get this child's own rusage.
    let pid = libc::pid_t::try_from(child.id()).expect("pid");
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain old data; all-zero is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let mut timed_out = false;
    loop {
        // SAFETY: pid is our own unreaped child; status and usage are valid for writes.
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if r == pid {
            break;
        }
        if r == -1 {
            let err = std::io::Error::last_os_error();
            assert_eq!(err.kind(), std::io::ErrorKind::Interrupted, "wait4: {err}");
            continue;
        }
        if started.elapsed() > timeout {
            timed_out = true;
            let _ = child.kill();
            // SAFETY: as above; blocks until the killed child is reaped.
            while unsafe { libc::wait4(pid, &mut status, 0, &mut usage) } == -1 {}
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let elapsed = started.elapsed();
    if let Some(writer) = writer {
        let _ = writer.join();
    }
    let stdout = out_reader.join().expect("stdout reader");
    let stderr = err_reader.join().expect("stderr reader");
    let exited = libc::WIFEXITED(status);
    Run {
        code: exited.then(|| libc::WEXITSTATUS(status)),
        signal: libc::WIFSIGNALED(status).then(|| libc::WTERMSIG(status)),
        timed_out,
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
        elapsed,
        max_rss_kib: usage.ru_maxrss,
    }
}

// ---------------------------------------------------------------------------------------------
// Cases.

/// A finding expected outside good.yaml.
struct Want {
    code: &'static str,
    file: String,
    line: u64,
    column: Option<u64>,
    /// Parts the message (or, for `help:` parts, the help) must contain.
    words: Vec<&'static str>,
}

/// An I/O error expected in JSON `errors` and on stderr.
struct WantError {
    file: String,
    part: &'static str,
}

struct Case {
    name: String,
    dir: PathBuf,
    args: Vec<String>,
    stdin: Option<Vec<u8>>,
    timeout: Duration,
    exit: i32,
    findings: Vec<Want>,
    errors: Vec<WantError>,
    /// Whether good.yaml's LB011 must be reported (false only when the run is refused as a whole).
    good: bool,
    /// Whether stdout is the JSON report (false when lbplan refuses the run before linting).
    json: bool,
    stderr: Vec<String>,
    /// Parts standard output must contain, and its largest size in bytes (for outputs that are
    /// not the lint report).
    stdout: Vec<String>,
    max_stdout: Option<usize>,
    /// `summary` counts that must match.
    summary: Vec<(&'static str, u64)>,
    /// Parts a note of the report must contain, each.
    notes: Vec<String>,
    max_secs: Option<f64>,
    max_mib: Option<i64>,
    /// Extra environment variables.
    env: Vec<(String, String)>,
    /// A limit on the child's address space (`RLIMIT_AS`), in bytes.
    address_space: Option<u64>,
    /// Keeps a generated case's folder alive until the case has run.
    _tmp: Option<tempfile::TempDir>,
}

impl Case {
    fn new(name: &str, dir: PathBuf) -> Case {
        Case {
            name: name.to_string(),
            dir,
            args: args(&["lint", "--format", "json", "."]),
            stdin: None,
            timeout: DEFAULT_TIMEOUT,
            exit: 1,
            findings: Vec::new(),
            errors: Vec::new(),
            good: true,
            json: true,
            stderr: Vec::new(),
            stdout: Vec::new(),
            max_stdout: None,
            summary: Vec::new(),
            notes: Vec::new(),
            max_secs: None,
            max_mib: None,
            env: Vec::new(),
            address_space: None,
            _tmp: None,
        }
    }

    /// A case from `fixtures/bad-input/<name>/`.
    fn fixture(name: &str) -> Case {
        Case::new(name, fixtures().join(name))
    }

    /// A case in a fresh temporary folder that already holds good.yaml; `build` writes the rest.
    fn generated(name: &str, build: impl FnOnce(&Path)) -> Case {
        let tmp = tempfile::tempdir().expect("tempdir");
        std::fs::write(tmp.path().join(GOOD_FILE), GOOD).expect("write good.yaml");
        build(tmp.path());
        let mut case = Case::new(name, tmp.path().to_path_buf());
        case._tmp = Some(tmp);
        case
    }

    fn args(mut self, list: &[&str]) -> Self {
        self.args = args(list);
        self
    }

    fn stdin(mut self, bytes: &[u8]) -> Self {
        self.stdin = Some(bytes.to_vec());
        self
    }

    fn timeout(mut self, secs: u64) -> Self {
        self.timeout = Duration::from_secs(secs);
        self
    }

    /// Finding `code` in `file` at `line` whose message contains every word.
    fn finding(
        mut self,
        code: &'static str,
        file: &str,
        line: u64,
        words: &[&'static str],
    ) -> Self {
        self.findings.push(Want {
            code,
            file: file.to_string(),
            line,
            column: None,
            words: words.to_vec(),
        });
        self
    }

    fn lb001(self, file: &str, line: u64, words: &[&'static str]) -> Self {
        self.finding("LB001", file, line, words)
    }

    /// The column of the finding added last.
    fn col(mut self, column: u64) -> Self {
        self.findings.last_mut().expect("a finding").column = Some(column);
        self
    }

    /// An I/O error naming `file`: exit code 2.
    fn error(mut self, file: &str, part: &'static str) -> Self {
        self.errors.push(WantError {
            file: file.to_string(),
            part,
        });
        self.exit = 2;
        self
    }

    /// The run is refused before linting (a bad config): exit 2, a message on stderr, no report.
    fn refused(mut self, stderr: &[&str]) -> Self {
        self.exit = 2;
        self.good = false;
        self.json = false;
        self.stderr.extend(stderr.iter().map(ToString::to_string));
        self
    }

    /// Not a lint run (`plan`, `weights`): exit `code`, standard output holds every part and is at
    /// most `max_bytes` long; no lint report, and no good.yaml finding, to check.
    fn output(mut self, code: i32, parts: &[&str], max_bytes: usize) -> Self {
        self.exit = code;
        self.json = false;
        self.good = false;
        self.stdout.extend(parts.iter().map(ToString::to_string));
        self.max_stdout = Some(max_bytes);
        self
    }

    /// A note of the report contains `part` (a file met in a walk that cannot be read, say).
    fn note(mut self, part: &str) -> Self {
        self.notes.push(part.to_string());
        self
    }

    fn summary(mut self, key: &'static str, value: u64) -> Self {
        self.summary.push((key, value));
        self
    }

    /// A part standard error must contain.
    fn stderr_has(mut self, part: &str) -> Self {
        self.stderr.push(part.to_string());
        self
    }

    fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    fn address_space(mut self, bytes: u64) -> Self {
        self.address_space = Some(bytes);
        self
    }

    fn limits(mut self, secs: f64, mib: i64) -> Self {
        self.max_secs = Some(secs);
        self.max_mib = Some(mib);
        self
    }
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(ToString::to_string).collect()
}

// ---------------------------------------------------------------------------------------------
// Checking one case.

/// Problems with one case's run; empty when it passed.
fn check(case: &Case) -> Vec<String> {
    check_measured(case).0
}

/// Problems with one case's run, its wall time in seconds and its peak memory in MiB.
fn check_measured(case: &Case) -> (Vec<String>, f64, i64) {
    let run = run(case);
    let mut problems = Vec::new();
    if run.timed_out {
        problems.push(format!(
            "did not finish within {:?} (killed): a hang",
            case.timeout
        ));
    } else if let Some(signal) = run.signal {
        problems.push(format!("killed by signal {signal}: a crash"));
    }
    if run.stderr.contains("panicked") {
        problems.push("panicked".into());
    }
    if run.code != Some(case.exit) && !run.timed_out {
        problems.push(format!("exit code {:?}, expected {}", run.code, case.exit));
    }
    if let Some(max) = case.max_secs {
        let secs = run.elapsed.as_secs_f64();
        if secs > max {
            problems.push(format!("took {secs:.2} s, limit {max} s"));
        }
    }
    if let Some(max) = case.max_mib {
        let mib = run.max_rss_kib / 1024;
        if mib > max {
            problems.push(format!("peak memory {mib} MiB, limit {max} MiB"));
        }
    }
    for part in &case.stderr {
        if !run.stderr.contains(part.as_str()) {
            problems.push(format!("stderr lacks {part:?}"));
        }
    }
    for part in &case.stdout {
        if !run.stdout.contains(part.as_str()) {
            problems.push(format!("stdout lacks {part:?}"));
        }
    }
    if let Some(max) = case.max_stdout.filter(|&max| run.stdout.len() > max) {
        problems.push(format!("stdout is {} bytes, limit {max}", run.stdout.len()));
    }
    if case.json && !run.timed_out {
        match serde_json::from_str::<Value>(&run.stdout) {
            Ok(report) => check_report(case, &report, &run.stderr, &mut problems),
            Err(err) => problems.push(format!("stdout is not the JSON report ({err})")),
        }
    }
    if !problems.is_empty() {
        let stdout = clip(&run.stdout, 4000);
        let stderr = clip(&run.stderr, 2000);
        problems.push(format!(
            "ran `lbplan {}` in {} ({:.2} s, {} MiB)\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
            case.args.join(" "),
            case.dir.display(),
            run.elapsed.as_secs_f64(),
            run.max_rss_kib / 1024
        ));
    }
    (problems, run.elapsed.as_secs_f64(), run.max_rss_kib / 1024)
}

/// At most about `max` bytes of `text`, for failure messages.
fn clip(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}\n[... {} more bytes]", &text[..end], text.len() - end)
}

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or("")
}

#[allow(
    clippy::too_many_lines,
    reason = "one check after another, in the order the module doc lists them"
)]
fn check_report(case: &Case, report: &Value, stderr: &str, problems: &mut Vec<String>) {
    let findings = report
        .get("findings")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();

    // good.yaml: its LB011, once, at its line (other findings there are not this test's business).
    if case.good {
        let good: Vec<&Value> = findings
            .iter()
            .filter(|f| text(f, "file") == GOOD_FILE && text(f, "code") == "LB011")
            .collect();
        let lines: Vec<u64> = good
            .iter()
            .filter_map(|f| f.get("line").and_then(Value::as_u64))
            .collect();
        if lines != [GOOD_LINE] {
            problems.push(format!(
                "good.yaml's LB011 should be reported once at line {GOOD_LINE}; found at lines {lines:?}"
            ));
        }
    }

    // Every other finding: exactly the expected ones.
    let mut matched = vec![false; case.findings.len()];
    for finding in findings.iter().filter(|f| text(f, "file") != GOOD_FILE) {
        let (code, file) = (text(finding, "code"), text(finding, "file"));
        let line = finding.get("line").and_then(Value::as_u64).unwrap_or(0);
        let column = finding.get("column").and_then(Value::as_u64).unwrap_or(0);
        let (message, help) = (text(finding, "message"), text(finding, "help"));
        let found = case
            .findings
            .iter()
            .enumerate()
            .find(|(i, w)| !matched[*i] && w.code == code && w.file == file && w.line == line);
        let Some((i, want)) = found else {
            problems.push(format!(
                "unexpected finding {code} at {file}:{line}:{column}: {message}"
            ));
            continue;
        };
        matched[i] = true;
        if let Some(col) = want.column {
            if col != column {
                problems.push(format!(
                    "{code} at {file}:{line}: column {column}, expected {col}"
                ));
            }
        }
        for word in &want.words {
            let (haystack, needle, what) = match word.strip_prefix("help:") {
                Some(needle) => (help, needle, "help"),
                None => (message, *word, "message"),
            };
            if !haystack.contains(needle) {
                problems.push(format!(
                    "{code} at {file}:{line}: {what} {haystack:?} lacks {needle:?}"
                ));
            }
        }
    }
    for (want, _) in case.findings.iter().zip(&matched).filter(|(_, m)| !**m) {
        let near: Vec<String> = findings
            .iter()
            .filter(|f| text(f, "file") == want.file && text(f, "code") == want.code)
            .map(|f| format!("line {}", f.get("line").unwrap_or(&Value::Null)))
            .collect();
        problems.push(format!(
            "missing finding {} at {}:{} (same code in that file: {near:?})",
            want.code, want.file, want.line
        ));
    }

    // I/O errors: exactly the expected ones, in the JSON and on stderr.
    let errors = report
        .get("errors")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let got: BTreeSet<String> = errors.iter().map(|e| text(e, "file").to_string()).collect();
    let want: BTreeSet<String> = case.errors.iter().map(|e| e.file.clone()).collect();
    if got != want {
        problems.push(format!(
            "JSON errors name {got:?}, expected {want:?}: {errors:?}"
        ));
    }
    for want in &case.errors {
        if let Some(error) = errors.iter().find(|e| text(e, "file") == want.file) {
            if !text(error, "message").contains(want.part) {
                problems.push(format!(
                    "JSON error for {}: {:?} lacks {:?}",
                    want.file,
                    text(error, "message"),
                    want.part
                ));
            }
        }
        let prefix = format!("error: {}: ", want.file);
        let on_stderr = stderr
            .lines()
            .any(|l| l.starts_with(&prefix) && l.contains(want.part));
        if !on_stderr {
            problems.push(format!("stderr lacks a line `{prefix}...{}...`", want.part));
        }
    }

    let notes: Vec<&str> = report
        .get("notes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    for part in &case.notes {
        if !notes.iter().any(|n| n.contains(part.as_str())) {
            problems.push(format!("no note contains `{part}`: {notes:?}"));
        }
    }

    for (key, value) in &case.summary {
        let got = report
            .get("summary")
            .and_then(|s| s.get(key))
            .and_then(Value::as_u64);
        if got != Some(*value) {
            problems.push(format!("summary.{key} is {got:?}, expected {value}"));
        }
    }
}

/// Run the cases, `parallel` at a time; the report of every failing case by name, if any failed.
fn run_all(cases: Vec<Case>, parallel: usize) -> Option<String> {
    let names: Vec<String> = cases.iter().map(|c| c.name.clone()).collect();
    let queue = Mutex::new(cases.into_iter().collect::<Vec<_>>());
    let failures = Mutex::new(Vec::<(String, Vec<String>)>::new());
    std::thread::scope(|scope| {
        for _ in 0..parallel.max(1) {
            scope.spawn(|| {
                loop {
                    let Some(case) = queue.lock().expect("queue").pop() else {
                        break;
                    };
                    let problems = check(&case);
                    if !problems.is_empty() {
                        failures
                            .lock()
                            .expect("failures")
                            .push((case.name.clone(), problems));
                    }
                }
            });
        }
    });
    let mut failures = failures.into_inner().expect("failures");
    failures.sort();
    if failures.is_empty() {
        None
    } else {
        let mut report = format!(
            "{} of {} bad-input cases failed: {}\n",
            failures.len(),
            names.len(),
            failures
                .iter()
                .map(|(n, _)| n.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
        for (name, problems) in &failures {
            let _ = writeln!(report, "\n=== {name}");
            for problem in problems {
                let _ = writeln!(report, "  - {problem}");
            }
        }
        Some(report)
    }
}

fn parallelism() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().min(8))
}

// ---------------------------------------------------------------------------------------------
// The static cases, in fixtures/bad-input/.

fn static_cases() -> Vec<Case> {
    vec![
        // Invalid YAML of several kinds: LB001 where the parser stops.
        Case::fixture("yaml-unclosed-flow-sequence")
            .lb001("bad.yaml", 7, &["flow sequence"])
            .col(33),
        Case::fixture("yaml-bad-indentation").lb001("bad.yaml", 5, &["mapping values"]),
        // The parser stops at the end of the file; the message names where the quote opened.
        Case::fixture("yaml-unterminated-quote").lb001("bad.yaml", 9, &["quoted scalar", "line 6"]),
        Case::fixture("yaml-unknown-alias").lb001("bad.yaml", 5, &["anchor"]),
        // `spec` without its colon: the parser notices on the next line and names line 5.
        Case::fixture("yaml-missing-colon").lb001("bad.yaml", 6, &["':'", "line 5"]),
        Case::fixture("tabs-indentation")
            .lb001("bad.yaml", 4, &["token"])
            .col(1),
        Case::fixture("bad-document-among-good")
            .finding("LB011", "mixed.yaml", 6, &["classic"])
            .lb001("mixed.yaml", 15, &["flow sequence"])
            .finding("LB011", "mixed.yaml", 22, &["premium"]),
        // Not text. The PNG header's NUL byte is the first byte of line 3.
        Case::fixture("binary-bytes")
            .lb001("image.yaml", 3, &["binary"])
            .col(1),
        Case::fixture("nul-byte")
            .lb001("bad.yaml", 4, &["NUL"])
            .col(12),
        Case::fixture("invalid-utf8")
            .lb001("bad.yaml", 6, &["UTF-8"])
            .col(22),
        // Valid: a BOM and CRLF line ends move no finding.
        Case::fixture("bom-crlf")
            .finding("LB011", "windows.yaml", 6, &["dedicated"])
            .col(5)
            .finding("LB011", "windows.yaml", 17, &["classic"])
            .col(5),
        // Nothing to lint, and nothing wrong.
        Case::fixture("empty-file").summary("files", 2),
        Case::fixture("comment-only").summary("files", 2),
        Case::fixture("helm-template").lb001("service.yaml", 6, &["help:helm template"]),
        // Not Kubernetes objects, or kinds lbplan does not model: quiet, whatever they hold.
        Case::fixture("non-kubernetes-yaml").summary("files", 3),
        Case::fixture("crd-unknown-kind"),
        // Wrong types where lbplan reads: LB001 at the value.
        Case::fixture("port-string")
            .lb001("bad.yaml", 9, &["integer"])
            .col(14),
        Case::fixture("annotations-string").lb001("bad.yaml", 5, &["mapping"]),
        Case::fixture("labels-list").lb001("bad.yaml", 6, &["mapping"]),
        Case::fixture("missing-metadata").lb001("bad.yaml", 1, &["metadata"]),
        Case::fixture("spec-null").summary("documents", 3),
        Case::fixture("ports-string").lb001("bad.yaml", 7, &["list"]),
        Case::fixture("replicas-string").lb001("bad.yaml", 6, &["integer"]),
        Case::fixture("unquoted-bool-annotation")
            .lb001("bad.yaml", 6, &["true"])
            .lb001("bad.yaml", 17, &["yes"]),
        Case::fixture("duplicate-keys").lb001(
            "bad.yaml",
            7,
            &["duplicate", "kubernetes.io/elb.class"],
        ),
        // A later copy of an object that Kubernetes refuses never replaces the good copy: web's
        // listener conflict with api stays, also when LB001 is ignored (issue 12 item 8).
        Case::fixture("invalid-redefinition")
            .lb001("c-web-broken.yaml", 16, &["integer"])
            .finding("LB101", "b-api.yaml", 15, &["Service/shop/web"]),
        Case::fixture("invalid-redefinition")
            .args(&["lint", "--format", "json", "--ignore", "LB001", "."])
            .finding("LB101", "b-api.yaml", 15, &["Service/shop/web"]),
        Case::fixture("json-syntax-error").lb001("bad.json", 4, &["comma"]),
        Case::fixture("json-wrong-types")
            .lb001("bad.json", 4, &["mapping"])
            .lb001("bad.json", 7, &["integer"]),
        // A folder named like a manifest is a folder: its contents are linted.
        Case::fixture("folder-named-yaml").finding("LB011", "x.yaml/inner.yaml", 6, &["shared"]),
        // Config errors: exit 2 and a message naming the file, the line and the key.
        Case::fixture("config-unknown-key")
            .args(&["--config", ".lbplan.yaml", "lint", "--format", "json", "."])
            .refused(&["error: .lbplan.yaml: line 5:", "flavour"]),
        Case::fixture("config-bad-value")
            .args(&["--config", ".lbplan.yaml", "lint", "--format", "json", "."])
            .refused(&[
                "error: .lbplan.yaml: line 4:",
                "clusters[0].provider",
                "aws",
            ]),
        // A cluster path that does not exist is an I/O error; the cluster's other path is linted.
        Case::fixture("config-missing-cluster-path")
            .args(&["--config", ".lbplan.yaml", "lint", "--format", "json"])
            .error("does-not-exist/", "clusters[0].paths"),
    ]
}

// ---------------------------------------------------------------------------------------------
// The generated cases: big, hostile or special files, in temporary folders.

fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(&path, content).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn symlink(target: &str, dir: &Path, name: &str) {
    std::os::unix::fs::symlink(target, dir.join(name)).expect("symlink");
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).expect("path");
    // SAFETY: a valid NUL-terminated path.
    let r = unsafe { libc::mkfifo(c.as_ptr(), 0o644) };
    assert_eq!(r, 0, "mkfifo: {}", std::io::Error::last_os_error());
}

/// Billion laughs: `levels` anchors, each a list of ten aliases to the one before.
fn laughs(levels: usize, indent: &str) -> String {
    let mut text = format!("{indent}a0: &a0 [{}]\n", ["\"lol\""; 10].join(", "));
    for i in 1..levels {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        let _ = writeln!(text, "{indent}a{i}: &a{i} [{refs}]");
    }
    text
}

const NEST: usize = 20_000;

/// A LoadBalancer Service whose `metadata.<map>` holds `count` keys `<prefix>0`... (lines 6 to
/// count + 5), then `<prefix>7` again (line count + 6), then an invalid ELB class: the next line
/// for annotations, line count + 9 (after one more label) for labels.
fn many_keys(map: &str, prefix: &str, count: usize) -> String {
    let mut text = format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: many\n  {map}:\n");
    for i in 0..count {
        let _ = writeln!(text, "    {prefix}{i}: v");
    }
    let _ = writeln!(text, "    {prefix}7: again");
    if map == "annotations" {
        text.push_str("    kubernetes.io/elb.class: jumbo\n");
    } else {
        text.push_str("    last: v\n  annotations:\n    kubernetes.io/elb.class: jumbo\n");
    }
    text.push_str("spec:\n  type: LoadBalancer\n  ports: [{port: 8080}]\n");
    text
}

/// Ingresses of `paths` rules each on one listener of one CCE ELB, to 20 NodePort Services. The
/// last Ingress takes the first one's host and repeats its first path: one duplicate rule.
/// Returns the text, the line of the duplicate and the line of the 101st rule (over the quota).
fn many_ingress_rules(ingresses: usize, paths: usize) -> (String, u64, u64) {
    let mut text = String::new();
    // Each Ingress is 10 lines, its paths, and `---`.
    let line_of = |i: usize, j: usize| u64::try_from(1 + i * (11 + paths) + 10 + j).expect("line");
    for i in 0..ingresses {
        let last = i + 1 == ingresses;
        let host = if last { 0 } else { i };
        let _ = write!(
            text,
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: app-{i}\n  annotations: {{kubernetes.io/ingress.class: cce, kubernetes.io/elb.id: 5083f225-9bf8-48fa-9c8b-67bd9693c4c0, kubernetes.io/elb.port: \"80\"}}\nspec:\n  rules:\n  - host: h{host}.example.com\n    http:\n      paths:\n"
        );
        for j in 0..paths {
            let path = if last && j > 0 { 'q' } else { 'p' };
            let _ = writeln!(
                text,
                "      - {{path: /{path}{j}, pathType: Prefix, backend: {{service: {{name: svc-{}, port: {{number: 80}}}}}}}}",
                i % 20
            );
        }
        text.push_str("---\n");
    }
    for k in 0..20 {
        let _ = write!(
            text,
            "apiVersion: v1\nkind: Service\nmetadata: {{name: svc-{k}}}\nspec: {{type: NodePort, selector: {{app: a{k}}}, ports: [{{port: 80}}]}}\n---\n"
        );
    }
    let over_quota = 100 / paths;
    (
        text,
        line_of(ingresses - 1, 0),
        line_of(over_quota, 100 % paths),
    )
}

#[allow(clippy::too_many_lines, reason = "a table of cases")]
fn generated_cases() -> Vec<Case> {
    // 1,000 Ingresses of 50 rules on one listener: finding the duplicate rule among the 50,000
    // must take one pass (pairwise, it takes 20 times as long as this limit allows).
    let (rules_text, duplicate_line, quota_line) = many_ingress_rules(1_000, 50);
    let mut cases = vec![
        // 20,000 levels, flow and block, bare and inside a Service, YAML and JSON: LB001, quickly.
        Case::generated("deep-nesting", |dir| {
            write(dir, "flow.yaml", format!("{}{}\n", "[".repeat(NEST), "]".repeat(NEST)));
            write(dir, "block.yaml", format!("{}x\n", "- ".repeat(NEST)));
            write(
                dir,
                "service.yaml",
                format!(
                    "apiVersion: v1\nkind: Service\nmetadata:\n  name: deep\nspec:\n  type: LoadBalancer\n  ports: {}{}\n",
                    "[".repeat(NEST),
                    "]".repeat(NEST)
                ),
            );
            write(
                dir,
                "deep.json",
                format!(
                    "{{\"apiVersion\": \"v1\", \"kind\": \"Service\", \"spec\": {}{}}}",
                    "[".repeat(NEST),
                    "]".repeat(NEST)
                ),
            );
        })
        .lb001("flow.yaml", 1, &["recursion"])
        .lb001("block.yaml", 1, &["recursion"])
        .lb001("service.yaml", 7, &["recursion"])
        .lb001("deep.json", 1, &["recursion"])
        .limits(5.0, 200),
        // Billion laughs (10 levels: 10^10 strings if expanded) inside Kubernetes objects, the
        // anchors in a field lbplan does not model and the last alias where it reads: LB001 at
        // the document (the parser gives no position), quickly and in little memory.
        Case::generated("alias-bomb", |dir| {
            write(
                dir,
                "service.yaml",
                format!(
                    "apiVersion: v1\nkind: Service\nmetadata:\n  name: laughs\nspec:\n  type: LoadBalancer\n  lol:\n{}  ports: *a9\n",
                    laughs(10, "    ")
                ),
            );
            write(
                dir,
                "deployment.yaml",
                format!(
                    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: laughs\nspec:\n  lol:\n{}  template:\n    metadata:\n      labels: *a9\n",
                    laughs(10, "    ")
                ),
            );
        })
        .lb001("service.yaml", 1, &["limit"])
        .lb001("deployment.yaml", 1, &["limit"])
        .limits(2.0, 200),
        // The classic form: anchors at the top level of a YAML file that is no Kubernetes object.
        // lbplan reads none of it, so nothing is ever expanded: it is skipped quietly, at no cost,
        // within the same limits.
        Case::generated("alias-bomb-plain", |dir| {
            write(dir, "laughs.yaml", laughs(10, ""));
        })
        .limits(2.0, 200),
        // 1 MB lines: an annotation value and a comment; findings after them keep their place.
        Case::generated("long-lines", |dir| {
            let long = "a".repeat(1 << 20);
            write(
                dir,
                "annotation.yaml",
                format!(
                    "apiVersion: v1\nkind: Service\nmetadata:\n  name: long-annotation\n  annotations:\n    description: \"{long}\"\n    kubernetes.io/elb.class: jumbo\nspec:\n  type: LoadBalancer\n  ports: [{{port: 8080}}]\n"
                ),
            );
            write(
                dir,
                "comment.yaml",
                format!(
                    "# {long}\napiVersion: v1\nkind: Service\nmetadata:\n  name: long-comment\n  annotations:\n    kubernetes.io/elb.class: giant\nspec:\n  type: LoadBalancer\n  ports: [{{port: 8081}}]\n"
                ),
            );
        })
        .finding("LB011", "annotation.yaml", 7, &["jumbo"])
        .col(5)
        .finding("LB011", "comment.yaml", 7, &["giant"])
        .col(5),
        // 200,000 annotation keys on one Service, all of a family lbplan keeps, one written twice:
        // the duplicate is LB001 and the finding after them keeps its place, in linear time.
        Case::generated("many-annotation-keys", |dir| {
            write(dir, "many.yaml", many_keys("annotations", "kubernetes.io/elb.k", 200_000));
        })
        .lb001("many.yaml", 200_006, &["duplicate", "kubernetes.io/elb.k7"])
        .finding("LB011", "many.yaml", 200_007, &["jumbo"])
        .limits(5.0, 400),
        // 100,000 labels on one Service, one written twice: the same, for labels.
        Case::generated("many-labels", |dir| {
            write(dir, "many.yaml", many_keys("labels", "k", 100_000));
        })
        .lb001("many.yaml", 100_006, &["duplicate", "k7"])
        .finding("LB011", "many.yaml", 100_009, &["jumbo"])
        .limits(5.0, 400),
        // 20,000 copies of one Service in one file: every copy is checked (the last one's class
        // is LB011 at its line) and listed in JSON's duplicates with its line, in linear time.
        Case::generated("many-copies", |dir| {
            let copy = "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: copy\n  annotations:\n    kubernetes.io/elb.class: union\n    kubernetes.io/elb.id: 5083f225-9bf8-48fa-9c8b-67bd9693c4c0\nspec: {type: LoadBalancer, ports: [{port: 80}]}\n";
            let mut text = copy.repeat(19_999);
            text.push_str(&copy.replace("union", "jumbo"));
            write(dir, "copies.yaml", text);
        })
        .finding("LB011", "copies.yaml", 19_999 * 9 + 7, &["jumbo"])
        .limits(5.0, 400),
        Case::generated("many-ingress-rules", |dir| {
            write(dir, "ingresses.yaml", &rules_text);
        })
        .finding("LB401", "ingresses.yaml", duplicate_line, &["h0.example.com/p0"])
        .finding("LB404", "ingresses.yaml", quota_line, &["50000 forwarding rules"])
        .limits(8.0, 400),
        // A folder linked to itself, and into its parent: each real folder is walked once.
        Case::generated("symlink-loop-folder", |dir| {
            symlink(".", dir, "loop");
            std::fs::create_dir(dir.join("sub")).expect("mkdir");
            symlink("..", dir, "sub/up");
        })
        .summary("files", 1),
        // Two links to each other, met in a walk: unreadable, named in a note, and the run still
        // ends (a file met in a walk that cannot be read is no error of the run).
        Case::generated("symlink-loop-file", |dir| {
            symlink("b.yaml", dir, "a.yaml");
            symlink("a.yaml", dir, "b.yaml");
        })
        .note("a.yaml (a broken symbolic link")
        .note("b.yaml (a broken symbolic link"),
        // Unreadable (as root, nothing is unreadable by mode): a link to nowhere, in a walk a
        // note, named on the command line an error.
        Case::generated("dangling-symlink", |dir| symlink("nowhere.yaml", dir, "broken.yaml"))
            .note("broken.yaml (a broken symbolic link: No such file"),
        Case::generated("dangling-symlink-named", |dir| {
            symlink("nowhere.yaml", dir, "broken.yaml");
        })
        .args(&["lint", "--format", "json", "broken.yaml", "good.yaml"])
        .error("broken.yaml", "No such file"),
        // A FIFO is never opened (it would block forever), in a folder or matched by a glob.
        Case::generated("fifo-in-folder", |dir| mkfifo(&dir.join("pipe.yaml")))
            .error("pipe.yaml", "not a regular file")
            .timeout(15),
        Case::generated("fifo-by-glob", |dir| mkfifo(&dir.join("pipe.yaml")))
            .args(&["lint", "--format", "json", "*.yaml"])
            .error("pipe.yaml", "not a regular file")
            .timeout(15),
        // A FIFO named explicitly, as a PATH, a config path, a pod snapshot or the config: never
        // opened for a blocking read; an error naming it, and every other file still linted.
        Case::generated("fifo-named", |dir| mkfifo(&dir.join("pipe.yaml")))
            .args(&["lint", "--format", "json", "pipe.yaml", "good.yaml"])
            .error("pipe.yaml", "pipe it in")
            .timeout(15),
        Case::generated("fifo-as-pods", |dir| mkfifo(&dir.join("pods.yaml")))
            .args(&["lint", "--format", "json", "--pods", "pods.yaml", "good.yaml"])
            .error("pods.yaml", "not a regular file")
            .timeout(15),
        Case::generated("fifo-in-config", |dir| {
            mkfifo(&dir.join("pipe.yaml"));
            mkfifo(&dir.join("pods.yaml"));
            write(
                dir,
                ".lbplan.yaml",
                "paths: [pipe.yaml, good.yaml]\nclusters:\n  - name: a\n    pods: pods.yaml\n",
            );
        })
        .args(&["lint", "--format", "json"])
        .error("pipe.yaml", "not a regular file")
        .error("pods.yaml", "not a regular file")
        .timeout(15),
        Case::generated("fifo-as-config", |dir| mkfifo(&dir.join("pipe.yaml")))
            .args(&["--config", "pipe.yaml", "lint", "--format", "json", "."])
            .refused(&["error: cannot read config pipe.yaml: not a regular file"])
            .timeout(15),
        // kubectl exports are read by the same safe layer: what is not kubectl output, a folder,
        // a FIFO, a device or a huge file is an error naming it (exit 2), the export is not
        // used, and every manifest is still linted.
        Case::generated("export-not-kubernetes-yaml", |dir| {
            write(dir, "values.yaml", "replicaCount: 3\nimage: {tag: latest}\n");
        })
        .args(&["lint", "--format", "json", "--cluster-export", "values.yaml", "good.yaml"])
        .error("values.yaml", "line 1: not a kubectl export"),
        Case::generated("export-second-document-not-kubernetes", |dir| {
            write(
                dir,
                "nodes.yaml",
                "apiVersion: v1\nkind: List\nitems: []\n---\n# a stray document\nnote: hand-written\n",
            );
        })
        .args(&["lint", "--format", "json", "--cluster-export", "nodes.yaml", "good.yaml"])
        .error("nodes.yaml", "line 6: not a kubectl export"),
        Case::generated("export-yaml-syntax-error", |dir| {
            write(dir, "pods.yaml", "apiVersion: v1\nkind: List\nitems: [unclosed\n");
        })
        .args(&["lint", "--format", "json", "--pods", "pods.yaml", "good.yaml"])
        .error("pods.yaml", "line 3"),
        Case::generated("export-json-not-kubernetes", |dir| {
            write(dir, "nodes.json", "[1, 2, 3]\n");
        })
        .args(&["lint", "--format", "json", "--cluster-export", "nodes.json", "good.yaml"])
        .error("nodes.json", "not a kubectl export"),
        Case::generated("export-binary", |dir| {
            write(dir, "nodes.yaml", b"\x7fELF\x02\x01\x01\0\0\0\0");
        })
        .args(&["lint", "--format", "json", "--cluster-export", "nodes.yaml", "good.yaml"])
        .error("nodes.yaml", "binary"),
        Case::generated("export-is-a-folder", |dir| {
            std::fs::create_dir(dir.join("exports")).expect("mkdir");
        })
        .args(&["lint", "--format", "json", "--cluster-export", "exports", "good.yaml"])
        .error("exports", "is a folder"),
        Case::generated("export-fifo", |dir| mkfifo(&dir.join("nodes.yaml")))
            .args(&["lint", "--format", "json", "--cluster-export", "nodes.yaml", "good.yaml"])
            .error("nodes.yaml", "not a regular file")
            .timeout(15),
        Case::generated("export-fifo-in-config", |dir| {
            mkfifo(&dir.join("nodes.yaml"));
            write(
                dir,
                ".lbplan.yaml",
                "paths: [good.yaml]\nclusters:\n  - name: a\n    exports: [nodes.yaml]\n",
            );
        })
        .args(&["lint", "--format", "json"])
        .error("nodes.yaml", "not a regular file")
        .timeout(15),
        Case::generated("export-dev-zero", |_| {})
            .args(&["lint", "--format", "json", "--cluster-export", "/dev/zero", "good.yaml"])
            .error("/dev/zero", "device")
            .limits(5.0, 100),
        Case::generated("export-over-limit", |dir| {
            let file = std::fs::File::create(dir.join("pods.yaml")).expect("create");
            file.set_len(300 << 20).expect("set_len");
        })
        .args(&["lint", "--format", "json", "--cluster-export", "pods.yaml", "good.yaml"])
        .error("pods.yaml", "256 MiB")
        .limits(5.0, 100),
        // A file named both as a manifest and as an export is read once, as the export, and is an
        // error naming it: never silence (it used to drop that file's findings and exit 0).
        Case::generated("export-also-named-as-manifest", |dir| {
            write(dir, "pods.yaml", "apiVersion: v1\nkind: List\nitems: []\n");
        })
        .args(&["lint", "--format", "json", "--pods", "pods.yaml", "pods.yaml", "good.yaml"])
        .error("pods.yaml", "given both as a manifest and as the pod snapshot"),
        // Endless devices: refused before a byte is read, wherever they are named.
        Case::generated("dev-zero", |_| {})
            .args(&["lint", "--format", "json", "/dev/zero", "good.yaml"])
            .error("/dev/zero", "device")
            .limits(5.0, 100),
        Case::generated("dev-zero-as-pods", |_| {})
            .args(&["lint", "--format", "json", "--pods", "/dev/zero", "good.yaml"])
            .error("/dev/zero", "device")
            .limits(5.0, 100),
        Case::generated("dev-zero-as-config", |_| {})
            .args(&["--config", "/dev/zero", "lint", "--format", "json", "."])
            .refused(&["error: cannot read config /dev/zero: not a regular file but a device"])
            .limits(5.0, 100),
        // A file over the 256 MiB limit (sparse: it takes no disk) is refused unread.
        Case::generated("file-over-limit", |dir| {
            let file = std::fs::File::create(dir.join("huge.yaml")).expect("create");
            file.set_len(300 << 20).expect("set_len");
        })
        .error("huge.yaml", "256 MiB")
        .limits(5.0, 100),
        // /dev/stdin as a PATH is standard input, read once: findings at their own lines.
        Case::generated("dev-stdin-as-path", |_| {})
            .args(&["lint", "--format", "json", "/dev/stdin", "good.yaml"])
            .stdin(GOOD.replace("name: good", "name: piped").as_bytes())
            .finding("LB011", "<stdin>", GOOD_LINE, &["premium"])
            .col(5),
        // Old Mac line ends (a lone CR) are line breaks: findings and parse errors at their lines.
        Case::generated("cr-line-ends", |dir| {
            let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: cr\n  annotations:\n    kubernetes.io/elb.class: classic\nspec:\n  type: LoadBalancer\n  ports: [{port: 81}]\n---\nkey: [unclosed\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: cr2\n  annotations:\n    kubernetes.io/elb.class: premium\nspec:\n  type: LoadBalancer\n  ports: [{port: 82}]\n";
            write(dir, "mac.yaml", text.replace('\n', "\r"));
        })
        .finding("LB011", "mac.yaml", 6, &["classic"])
        .col(5)
        .lb001("mac.yaml", 11, &["flow sequence", "line 11"])
        .finding("LB011", "mac.yaml", 18, &["premium"])
        .col(5),
        // Keys that are numbers or booleans: errors about them land at the key.
        Case::generated("non-string-keys", |dir| {
            write(
                dir,
                "keys.yaml",
                "apiVersion: v1\nkind: Service\nmetadata:\n  name: keys\n  annotations:\n    note: \"x\"\n    80: 90\n  labels:\n    true: 1\nspec:\n  type: LoadBalancer\n  ports: [{port: 83}]\n",
            );
        })
        .lb001("keys.yaml", 7, &["annotations.80"])
        .col(5)
        .lb001("keys.yaml", 9, &["labels.true"])
        .col(5),
        // An ignore file that cannot be honoured is an error naming it; its folder is not walked
        // (the walker would block on a pipe), and everything else is still linted.
        Case::generated("gitignore-is-a-folder", |dir| {
            std::fs::create_dir_all(dir.join("sub/.gitignore")).expect("mkdir");
            write(dir, "sub/ignored.yaml", "kind: [unclosed\n");
        })
        .error("sub/.gitignore", "not a regular file"),
        Case::generated("gitignore-is-a-fifo", |dir| {
            std::fs::create_dir(dir.join("sub")).expect("mkdir");
            mkfifo(&dir.join("sub/.gitignore"));
        })
        .error("sub/.gitignore", "not a regular file")
        .timeout(15),
        Case::generated("root-ignore-is-a-fifo", |dir| mkfifo(&dir.join(".ignore")))
            .args(&["lint", "--format", "json", ".", "good.yaml"])
            .error(".ignore", "not a regular file")
            .timeout(15),
        // Exclude globs: an invalid one stops the run before anything is read, like any config
        // error; valid ones skip what they match.
        Case::generated("exclude-invalid-in-config", |dir| {
            write(dir, ".lbplan.yaml", "exclude: ['gen/{a']\n");
        })
        .args(&["lint", "--format", "json"])
        .refused(&[".lbplan.yaml: exclude: invalid exclude glob \"gen/{a\""]),
        Case::generated("exclude-in-config", |dir| {
            write(dir, ".lbplan.yaml", "exclude: ['gen/', '*.tmpl.yaml']\n");
            write(dir, "gen/bad.yaml", "kind: [unclosed\n");
            write(dir, "x.tmpl.yaml", "kind: [unclosed\n");
            write(dir, "vendor/bad.yaml", "kind: [unclosed\n");
        })
        .args(&["lint", "--format", "json"])
        .summary("files", 1),
        Case::generated("gitignore-and-ignore", |dir| {
            write(dir, ".gitignore", "/out/\n");
            write(dir, "sub/.ignore", "*.bad.yaml\n");
            write(dir, "out/bad.yaml", "kind: [unclosed\n");
            write(dir, "sub/x.bad.yaml", "kind: [unclosed\n");
            write(dir, ".git/info/exclude", "local.yaml\n");
            write(dir, "local.yaml", "kind: [unclosed\n");
        })
        .summary("files", 1),
        // Links out of the folders walked are not followed (a note says so): not the process's
        // environment, not the whole file system. A link named explicitly is read.
        Case::generated("symlinks-out-of-root", |dir| {
            symlink("/proc/self/environ", dir, "environ.yaml");
            symlink("/", dir, "root");
            symlink("good.yaml", dir, "inside.yaml");
        })
        .summary("files", 1)
        .limits(5.0, 100),
        Case::generated("symlink-named-explicitly", |dir| {
            write(dir, "elsewhere/other.yaml", GOOD.replace("name: good", "name: other"));
            symlink("elsewhere/other.yaml", dir, "link.yaml");
        })
        .args(&["lint", "--format", "json", "link.yaml", "good.yaml"])
        .finding("LB011", "link.yaml", GOOD_LINE, &["premium"])
        .summary("files", 2),
        // Empty standard input (the renderer before the pipe failed) is an error, not a pass.
        Case::generated("empty-stdin", |_| {})
            .args(&["lint", "--format", "json", "-", "."])
            .stdin(b"")
            .error("<stdin>", "empty"),
        Case::generated("missing-path", |_| {})
            .args(&["lint", "--format", "json", ".", "nowhere.yaml"])
            .error("nowhere.yaml", "no such file"),
        // 2,000 threads asked for under a 1 GiB address-space limit: fewer threads, no panic.
        Case::generated("threads-beyond-memory", |dir| {
            for i in 0..2500 {
                write(
                    dir,
                    &format!("many/c{i}.yaml"),
                    format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\n"),
                );
            }
        })
        .env("LBPLAN_THREADS", "2000")
        .address_space(1 << 30)
        .summary("files", 2501),
    ];
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        cases.push(
            Case::generated("unreadable-file", |dir| {
                use std::os::unix::fs::PermissionsExt;
                write(dir, "secret.yaml", GOOD);
                std::fs::set_permissions(
                    dir.join("secret.yaml"),
                    std::fs::Permissions::from_mode(0o000),
                )
                .expect("chmod 000");
            })
            .note("secret.yaml (Permission denied"),
        );
        cases.push(
            Case::generated("unreadable-file-named", |dir| {
                use std::os::unix::fs::PermissionsExt;
                write(dir, "secret.yaml", GOOD);
                std::fs::set_permissions(
                    dir.join("secret.yaml"),
                    std::fs::Permissions::from_mode(0o000),
                )
                .expect("chmod 000");
            })
            .args(&["lint", "--format", "json", "secret.yaml", "good.yaml"])
            .error("secret.yaml", "ermission denied"),
        );
    } else {
        eprintln!(
            "bad_input: running as root, so the chmod-000 case is skipped (dangling-symlink covers unreadable files)"
        );
    }
    cases
}

// ---------------------------------------------------------------------------------------------
// Scale: target pods counted, never listed (issue 12 items 4 and 5).

/// 100 Deployments of 10,000 replicas, each selected by all of 100 LoadBalancer Services: 30 KB
/// that meant a million target pods per Service, 100 million in all, when pods were listed
/// (40 Deployments and 40 Services took 3 GB and 11 s; this size ran out of memory).
fn replicas_times_services() -> String {
    let mut text = String::new();
    for i in 0..100 {
        let _ = write!(
            text,
            "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web-{i}}}\nspec:\n  replicas: 10000\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web}}}}\n"
        );
    }
    for i in 0..100 {
        let _ = write!(
            text,
            "---\napiVersion: v1\nkind: Service\nmetadata: {{name: svc-{i}, annotations: {{kubernetes.io/elb.autocreate: '{{\"type\":\"inner\"}}'}}}}\nspec: {{type: LoadBalancer, selector: {{app: web}}, ports: [{{port: 80}}]}}\n"
        );
    }
    text
}

/// The scale cases, within `limits` (seconds, MiB) for: lint of [`replicas_times_services`];
/// its plan in JSON (one member entry per Service and Deployment, `count` 10,000: 2.5 MB); its
/// plan with `--members` (listed up to 10,000, a note for the rest); and the weight calculator
/// with a million pods in all, then four million (refused).
fn scale_cases(limits: [(f64, i64); 4]) -> Vec<Case> {
    let [lint, plan, members, weights] = limits;
    let file = |dir: &Path| write(dir, "many.yaml", replicas_times_services());
    let calculator = |pods: &str| -> Vec<String> {
        let mut args = vec!["weights".to_string()];
        for (name, mode) in [("a", "pod"), ("b", "pod"), ("c", "pod"), ("d", "node")] {
            args.push("--cluster".into());
            args.push(format!("{name}=25:{mode}:{pods}"));
        }
        args
    };
    let (million, four_million) = (calculator("250000"), calculator("1000000"));
    let (million, four_million): (Vec<&str>, Vec<&str>) = (
        million.iter().map(String::as_str).collect(),
        four_million.iter().map(String::as_str).collect(),
    );
    vec![
        Case::generated("replicas-times-services", file)
            .args(&["lint", "--format", "json", "--provider", "huawei-cce", "."])
            .summary("objects", 201)
            .limits(lint.0, lint.1),
        Case::generated("replicas-times-services-plan", file)
            .args(&["plan", "--format", "json", "--provider", "huawei-cce", "."])
            .output(
                0,
                &[
                    "\"name\": \"web-99-node-<i>\"",
                    "\"count\": 10000",
                    "\"pods\": 1000000",
                    "\"default:Service/default/good\"",
                ],
                3 << 20,
            )
            .limits(plan.0, plan.1),
        // `--wide`: rows whole, whatever the width, so that the text below is on one line.
        Case::generated("replicas-times-services-members", file)
            .args(&[
                "plan",
                "--members",
                "--wide",
                "--provider",
                "huawei-cce",
                ".",
            ])
            .output(
                0,
                &[
                    "web-0-node-9999",
                    "10,000 nodes, assumed one pod each × weight 1",
                ],
                12 << 20,
            )
            .limits(members.0, members.1)
            .stderr_has("note: --members lists at most 10,000 members one by one"),
        Case::generated("weights-million-pods", |_| {})
            .args(&million)
            .output(
                0,
                &["250,000 pods × weight 1", "Total member weight: 750025"],
                4096,
            )
            .limits(weights.0, weights.1),
        Case::generated("weights-four-million-pods", |_| {})
            .args(&four_million)
            .output(2, &[], 0)
            .stderr_has("4,000,000 pods in all, too many (at most 1,000,000)")
            .limits(weights.0, weights.1),
    ]
}

/// A 50 MB file of valid documents, ending with one finding at a known line. Written in pieces, so
/// that the test process stays small (its peak memory would count in the child's `ru_maxrss`).
fn big_file_case() -> Case {
    let mut line_of_finding = 0;
    let mut documents = 0;
    let case = Case::generated("big-file-50mb", |dir| {
        let file = std::fs::File::create(dir.join("big.yaml")).expect("create big.yaml");
        let mut out = std::io::BufWriter::new(file);
        let value = "x".repeat(2000);
        let (mut bytes, mut lines) = (0, 0);
        while bytes < 50 << 20 {
            let doc = format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{documents}\n  namespace: default\ndata:\n  key: \"{value}\"\n---\n"
            );
            out.write_all(doc.as_bytes()).expect("write big.yaml");
            bytes += doc.len();
            lines += 8;
            documents += 1;
        }
        out.write_all(b"apiVersion: v1\nkind: Service\nmetadata:\n  name: last\n  annotations:\n    kubernetes.io/elb.class: premium\nspec:\n  type: LoadBalancer\n  ports: [{port: 8081}]\n")
            .expect("write big.yaml");
        out.flush().expect("write big.yaml");
        line_of_finding = lines + 6;
        documents += 1;
    });
    case.finding("LB011", "big.yaml", line_of_finding, &["premium"])
        .col(5)
        .summary("documents", documents + 1)
        .timeout(120)
}

// ---------------------------------------------------------------------------------------------
// Tests.

/// Every case, static and generated. Cases with time or memory limits run first, one at a time,
/// so that no other case skews their measurements; the others then run in parallel.
#[test]
fn bad_input_never_crashes_and_never_hides_good_input() {
    // Debug builds: limits that today's figures must still fail by far; release limits in
    // heavy_cases().
    let (measured, mut rest): (Vec<Case>, Vec<Case>) = generated_cases()
        .into_iter()
        .chain(scale_cases([(2.0, 100), (3.0, 100), (5.0, 200), (2.0, 50)]))
        .partition(|c| c.max_secs.is_some() || c.max_mib.is_some());
    let first = run_all(measured, 1);
    rest.extend(static_cases());
    rest.push(big_file_case());
    let failures: Vec<String> = [first, run_all(rest, parallelism())]
        .into_iter()
        .flatten()
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Cases too heavy for every `cargo test` (gigabytes read, or seconds of CPU in a debug build).
/// `.ci/run` runs them in release mode and prints their figures:
/// `cargo test --release --test bad_input -- --ignored --nocapture`.
fn heavy_cases() -> Vec<Case> {
    let mut over = Case::generated("inputs-over-run-limit", |dir| {
        // Five sparse files of 250 MiB: each under the file limit, together over 1 GiB.
        for i in 0..5 {
            let file = std::fs::File::create(dir.join(format!("zeros-{i}.yaml"))).expect("create");
            file.set_len(250 << 20).expect("set_len");
        }
    })
    .error("(all inputs)", "1 GiB")
    .limits(20.0, 1200);
    over.good = false;
    // The promise in release mode: lint under 1 s and in 50 MiB (it takes about 10 ms and 10 MB).
    // These run first: a child's peak memory counts the test process's own until the child
    // execs, and the cases below grow it (40,000 findings read back).
    let mut cases = scale_cases([(1.0, 50), (1.0, 60), (1.0, 100), (1.0, 20)]);
    cases.extend([
        over,
        many_findings(10_000, 10.0),
        many_findings(40_000, 40.0),
    ]);
    cases
}

/// `count` findings in one file (LoadBalancer Services with an invalid ELB class, about 250 bytes
/// each: 2.5 MB for 10,000), drawn in human output within `secs`.
fn many_findings(count: usize, secs: f64) -> Case {
    let mut case = Case::generated(&format!("human-output-{count}-findings"), |dir| {
        let mut text = String::new();
        for i in 0..count {
            let _ = write!(
                text,
                "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc-{i}\n  namespace: default\n  annotations:\n    kubernetes.io/elb.class: classic\n    kubernetes.io/elb.id: 11111111-2222-3333-4444-{i:012}\nspec:\n  type: LoadBalancer\n  selector:\n    app: a{i}\n  ports:\n    - port: 80\n"
            );
        }
        write(dir, "many.yaml", text);
    })
    .args(&["lint", "--fail-on", "never", "."])
    .limits(secs, 1000);
    case.exit = 0;
    case.json = false;
    case.good = false;
    case.stderr.clear();
    case
}

#[test]
#[ignore = "heavy: .ci/run runs it in release mode"]
fn heavy_inputs_stay_within_limits() {
    let mut failures = Vec::new();
    for case in heavy_cases() {
        let (problems, secs, mib) = check_measured(&case);
        println!("heavy case {}: {secs:.2} s, {mib} MiB peak", case.name);
        if !problems.is_empty() {
            failures.push(format!(
                "=== {}\n  - {}",
                case.name,
                problems.join("\n  - ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The table and fixtures/bad-input/ list the same cases; each has the same good.yaml and only
/// small files.
#[test]
fn every_fixture_folder_is_a_case_with_the_good_file() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(fixtures())
        .expect("fixtures/bad-input")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    let in_table: BTreeSet<String> = static_cases().into_iter().map(|c| c.name).collect();
    assert_eq!(
        on_disk, in_table,
        "fixtures/bad-input/ folders and static_cases() differ"
    );
    assert_eq!(
        GOOD.lines().position(|l| l.contains("elb.class: premium")),
        usize::try_from(GOOD_LINE - 1).ok(),
        "GOOD_LINE must be the line of the LB011 annotation"
    );
    for name in on_disk {
        let dir = fixtures().join(&name);
        let good = std::fs::read_to_string(dir.join(GOOD_FILE))
            .unwrap_or_else(|e| panic!("{name}/good.yaml: {e}"));
        assert_eq!(good, GOOD, "{name}/good.yaml differs from GOOD");
        let mut stack = vec![dir];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("read_dir") {
                let entry = entry.expect("entry");
                let meta = entry.metadata().expect("metadata");
                if meta.is_dir() {
                    stack.push(entry.path());
                } else {
                    assert!(
                        meta.len() < 50 * 1024,
                        "{}: static fixtures stay under 50 KB; generate big inputs",
                        entry.path().display()
                    );
                }
            }
        }
    }
}

/// Process substitution (`<(...)`, a pipe under /dev/fd) is refused with the advice to pipe into
/// `-`, without blocking; the file beside it is still linted.
#[test]
fn process_substitution_is_refused_with_advice() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::write(tmp.path().join(GOOD_FILE), GOOD).expect("write good.yaml");
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "timeout 20 '{BIN}' lint --format json <(cat {GOOD_FILE}) {GOOD_FILE}"
        ))
        .current_dir(tmp.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("run bash");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("pipe it in"), "{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).expect("json report");
    assert!(
        report["findings"]
            .as_array()
            .is_some_and(|f| f.iter().any(|f| text(f, "file") == GOOD_FILE)),
        "{report}"
    );
}
