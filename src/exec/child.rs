//! Starting a program and waiting for it: the one place in lbplan that starts a process.
//!
//! Every program runs:
//! - as the absolute path [`Program`] resolved, with the caller's fixed arguments, no shell;
//! - with a cleared environment plus an allow-list: `PATH` (its absolute entries only), `HOME`
//!   and `TMPDIR` pointing into a private temporary folder ([`Scratch`]), `LANG`, the documented
//!   `KUSTOMIZE_PLUGIN_HOME` and `KUSTOMIZE_ENABLE_ALPHA_COMMANDS`, and the caller's fixed
//!   variables. Tokens and credentials of the CI job never reach it;
//! - in its own process group, registered for cleanup (`cleanup.rs`): a time-out, a signal, or the
//!   end of the run kills the whole group, never only the direct child;
//! - with standard input closed (or piped, for [`Piped`]) and both outputs read at once.
//!
//! A program is done when it has exited *and* its output is closed, judged separately: one that
//! exited while a process it started still holds its output is told apart from one that never
//! exited.

use std::ffi::{OsStr, OsString};
use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::cleanup::{self, Registration};
use super::program::Program;
use crate::source::read::Budget;

/// Standard error kept for messages.
const MAX_STDERR: u64 = 64 << 10;

/// What to run, where, and with which fixed variables.
pub struct Request<'a> {
    pub program: &'a Program,
    /// Fixed by the caller (constant lists, folders and object IDs it made).
    pub args: &'a [OsString],
    /// The working folder of the program (default: lbplan's).
    pub cwd: Option<&'a Path>,
    /// Variables set besides the allow-list, fixed by the caller.
    pub env: &'a [(&'a str, &'a OsStr)],
    pub scratch: &'a super::env::Scratch,
}

/// How long a program may run, and how much of its output lbplan holds.
#[derive(Clone, Copy)]
pub struct Limits<'a> {
    pub timeout: Duration,
    /// The most bytes of standard output kept; more is an error.
    pub max_output: u64,
    /// The run's byte budget, which standard output counts against as it is read.
    pub budget: Option<&'a Budget>,
    /// Set when the run no longer needs the program's output: its group is then killed within
    /// [`CANCEL_POLL`] (a render the diff's guess started, once the diff has what it needs).
    pub cancel: Option<&'a AtomicBool>,
}

/// How often a program that can be cancelled is checked on.
const CANCEL_POLL: Duration = Duration::from_millis(20);

/// The error of a program stopped because the run no longer needed it.
fn cancelled() -> RunError {
    RunError::Output("stopped: the run no longer needs it".into())
}

/// What a finished program wrote.
#[derive(Debug)]
pub struct Captured {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// Why a program gave no output.
#[derive(Debug)]
pub enum RunError {
    /// It could not be started.
    Start(std::io::Error),
    /// It did not exit within its time limit; its group was killed. What it wrote to standard
    /// error by then.
    TimedOut { stderr: Vec<u8> },
    /// It exited, but its output stayed open past the time limit: a process it started held it.
    /// Its group was killed.
    OutputHeld { status: ExitStatus, stderr: Vec<u8> },
    /// Its output could not be read, or was larger than lbplan holds.
    Output(String),
    /// Its output took the run past its byte budget.
    Budget,
}

impl RunError {
    /// The error in words, for messages that have no better form.
    pub fn describe(&self) -> String {
        match self {
            RunError::Start(e) => format!("could not be started: {e}"),
            RunError::TimedOut { .. } => "did not finish within its time limit".into(),
            RunError::OutputHeld { status, .. } => {
                format!("exited ({status}) but a process it started kept its output open")
            }
            RunError::Output(message) => message.clone(),
            RunError::Budget => budget_exceeded(),
        }
    }
}

/// The message of [`RunError::Budget`].
pub fn budget_exceeded() -> String {
    format!(
        "the run's inputs exceed {} GiB, the limit for one run",
        crate::source::read::MAX_RUN_BYTES >> 30
    )
}

/// A started process and its group's registration.
pub(super) struct Started {
    pub(super) child: Child,
    pub(super) group: i32,
    registration: Registration,
}

/// Start the program in a group of its own, registered under the cleanup lock; its standard
/// input piped for the caller when `piped`, else closed.
pub(super) fn start(request: &Request, piped: bool) -> Result<Started, RunError> {
    let stdin = if piped { Stdio::piped() } else { Stdio::null() };
    let mut command = Command::new(&request.program.path);
    command
        .args(request.args)
        .env_clear()
        .envs(super::env::environment(request.scratch, request.env))
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(cwd) = request.cwd {
        command.current_dir(cwd);
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    let (child, registration) = cleanup::register_group(|| {
        let child = command.spawn()?;
        // Its own group: the group ID is its process ID.
        let group = i32::try_from(child.id()).unwrap_or(0);
        Ok((child, group))
    })
    .map_err(RunError::Start)?;
    let group = i32::try_from(child.id()).unwrap_or(0);
    Ok(Started {
        child,
        group,
        registration,
    })
}

/// Whether the process has exited, without reaping it: its ID, and so its group's, stays
/// reserved until the group is killed.
fn has_exited(child: &mut Child) -> bool {
    #[cfg(target_os = "linux")]
    {
        let pid: libc::id_t = child.id();
        // SAFETY: waitid(2) writes into the zeroed siginfo_t it is given and nothing else.
        unsafe {
            let mut info: libc::siginfo_t = std::mem::zeroed();
            let done = libc::waitid(
                libc::P_PID,
                pid,
                &raw mut info,
                libc::WEXITED | libc::WNOHANG | libc::WNOWAIT,
            );
            done != 0 || info.si_pid() != 0
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        !matches!(child.try_wait(), Ok(None))
    }
}

/// Kill what is left of the group, then reap the leader and unregister the group.
pub(super) fn end(started: Started) -> Option<ExitStatus> {
    let Started {
        mut child,
        group,
        registration,
    } = started;
    cleanup::kill_group(group);
    let status = child.wait().ok();
    drop(registration);
    status
}

enum Pipe {
    /// A chunk of standard output.
    Out(Vec<u8>),
    /// Standard output closed (or could not be read).
    OutEnd(Result<(), String>),
    /// Standard error, to its end or to the cap.
    Err(Vec<u8>),
}

/// Run a program to its end, reading both outputs at once, within `limits`.
pub fn run(request: &Request, limits: &Limits) -> Result<Captured, RunError> {
    let deadline = Instant::now() + limits.timeout;
    let mut started = start(request, false)?;
    let (tx, rx) = mpsc::channel();
    let mut readers = 0;
    // Detached: a pipe held open by a process outside the group never blocks lbplan, only its
    // reader.
    if let Some(mut out) = started.child.stdout.take() {
        let tx = tx.clone();
        readers += spawn(move || {
            let mut chunk = vec![0u8; 64 << 10];
            let end = loop {
                match out.read(&mut chunk) {
                    Ok(0) => break Ok(()),
                    Ok(n) => {
                        if tx
                            .send(Pipe::Out(chunk.get(..n).unwrap_or(&[]).to_vec()))
                            .is_err()
                        {
                            return;
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => break Err(format!("its output could not be read: {e}")),
                }
            };
            let _ = tx.send(Pipe::OutEnd(end));
        });
    }
    if let Some(err) = started.child.stderr.take() {
        let tx = tx.clone();
        readers += spawn(move || {
            let _ = tx.send(Pipe::Err(read_stderr(err)));
        });
    }
    drop(tx);
    let waited = wait(&mut started.child, &rx, readers, deadline, limits);
    // Nothing it started outlives it; the readers then see their pipes close.
    let status = end(started);
    judge(waited, status)
}

/// Standard error, to its end, the first [`MAX_STDERR`] bytes kept.
pub(super) fn read_stderr(mut err: impl Read) -> Vec<u8> {
    let mut bytes = Vec::new();
    let _ = (&mut err).take(MAX_STDERR).read_to_end(&mut bytes);
    let _ = std::io::copy(&mut err, &mut std::io::sink());
    bytes
}

/// What waiting saw: the outputs, whether it exited, whether every output closed.
struct Waited {
    stdout: Vec<u8>,
    /// Standard output went over a limit, or could not be read.
    failed: Option<RunError>,
    stderr: Option<Vec<u8>>,
    exited: bool,
    closed: bool,
}

/// Wait until the program has exited and closed its outputs, or the deadline; standard output
/// is taken chunk by chunk, against the cap and the run's budget.
fn wait(
    child: &mut Child,
    rx: &mpsc::Receiver<Pipe>,
    readers: usize,
    deadline: Instant,
    limits: &Limits,
) -> Waited {
    let mut waited = Waited {
        stdout: Vec::new(),
        failed: None,
        stderr: None,
        exited: false,
        closed: false,
    };
    let mut open = readers;
    let stop = || limits.cancel.is_some_and(|c| c.load(Ordering::Relaxed));
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if stop() {
            waited.failed = Some(cancelled());
            break;
        }
        // Woken every CANCEL_POLL when it can be cancelled, else only by its outputs.
        let step = if limits.cancel.is_some() {
            left.min(CANCEL_POLL)
        } else {
            left
        };
        if open > 0 {
            match rx.recv_timeout(step) {
                Ok(Pipe::Out(chunk)) => {
                    let n = chunk.len() as u64;
                    if limits.budget.is_some_and(|b| !b.take(n)) {
                        waited.failed = Some(RunError::Budget);
                        break;
                    }
                    if waited.stdout.len() as u64 + n > limits.max_output {
                        waited.failed = Some(RunError::Output(format!(
                            "its output is over {} MiB",
                            limits.max_output >> 20
                        )));
                        break;
                    }
                    waited.stdout.extend_from_slice(&chunk);
                }
                Ok(Pipe::OutEnd(end)) => {
                    open -= 1;
                    if let Err(message) = end {
                        waited.failed = Some(RunError::Output(message));
                        break;
                    }
                }
                Ok(Pipe::Err(bytes)) => {
                    waited.stderr = Some(bytes);
                    open -= 1;
                }
                Err(mpsc::RecvTimeoutError::Timeout) if step < left => {}
                Err(_) => break,
            }
            continue;
        }
        waited.closed = readers == 2;
        if has_exited(child) {
            waited.exited = true;
            break;
        }
        if left.is_zero() {
            break;
        }
        std::thread::sleep(left.min(Duration::from_millis(1)));
    }
    waited.exited = waited.exited || has_exited(child);
    waited
}

fn judge(waited: Waited, status: Option<ExitStatus>) -> Result<Captured, RunError> {
    let stderr = waited.stderr.unwrap_or_default();
    if let Some(error) = waited.failed {
        return Err(error);
    }
    match status {
        Some(status) if waited.exited && waited.closed => Ok(Captured {
            status,
            stdout: waited.stdout,
            stderr,
        }),
        Some(status) if waited.exited => Err(RunError::OutputHeld { status, stderr }),
        _ => Err(RunError::TimedOut { stderr }),
    }
}

/// Start a detached reader; 1 if it runs. A reader that cannot start leaves its pipe unread,
/// and the time limit ends the program.
pub(super) fn spawn(work: impl FnOnce() + Send + 'static) -> usize {
    usize::from(
        std::thread::Builder::new()
            .name("lbplan-exec-pipe".into())
            .spawn(work)
            .is_ok(),
    )
}
