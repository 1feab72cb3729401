//! The only place lbplan starts a process: the Kustomize renderer, `kustomize build DIR` or
//! `kubectl kustomize DIR`, and once per run its version query (`kustomize version`, `kubectl
//! version --client -o yaml`).
//!
//! Fixed arguments, no shell: the program is run directly with one of the argument lists below and
//! a folder. `--enable-helm`, `--enable-exec`, `--enable-alpha-plugins` and `--load-restrictor`
//! are never passed, so Kustomize keeps its defaults: no Helm, no exec or container plugins, and
//! files loaded only from inside each kustomization's folder. Standard input is closed; standard
//! output and error are read at the same time (a renderer that fills one pipe while lbplan waits
//! on the other would hang), and a render that outlives its time limit is killed and reaped.

use std::ffi::{OsStr, OsString};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How a renderer is asked to build: `kustomize build DIR` or `kubectl kustomize DIR`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Kustomize,
    /// `kubectl`, and `oc` which embeds the same command.
    Kubectl,
}

const KUSTOMIZE_BUILD: &[&str] = &["build"];
const KUBECTL_BUILD: &[&str] = &["kustomize"];
const KUSTOMIZE_VERSION: &[&str] = &["version"];
const KUBECTL_VERSION: &[&str] = &["version", "--client", "-o", "yaml"];

/// A rendered stream larger than this is refused rather than held in memory.
const MAX_OUTPUT: u64 = 512 << 20;
/// Standard error kept for messages.
const MAX_STDERR: u64 = 64 << 10;

/// The program that renders overlays.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Renderer {
    pub program: PathBuf,
    pub style: Style,
}

/// What a finished process wrote.
#[derive(Debug)]
pub struct Captured {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// Why a process gave no output.
#[derive(Debug)]
pub enum RunError {
    /// It could not be started.
    Start(std::io::Error),
    /// It ran past its time limit and was killed; what it wrote to standard error by then.
    TimedOut { stderr: Vec<u8> },
    /// Its output could not be read, or was larger than lbplan holds.
    Output(String),
}

impl Renderer {
    /// `kustomize` on `path_var` (the value of `PATH`), else `kubectl`.
    pub fn on_path(path_var: Option<&OsStr>) -> Option<Renderer> {
        if let Some(program) = which("kustomize", path_var) {
            return Some(Renderer {
                program,
                style: Style::Kustomize,
            });
        }
        which("kubectl", path_var).map(|program| Renderer {
            program,
            style: Style::Kubectl,
        })
    }

    /// The command named in the config (`render.kustomize: COMMAND`): a path, or a name looked
    /// up on `PATH`. A program named `kubectl...` or `oc` is asked `kubectl kustomize DIR`, any
    /// other `COMMAND build DIR`.
    pub fn named(command: &str, path_var: Option<&OsStr>) -> Option<Renderer> {
        let given = Path::new(command);
        let program = if given.components().count() > 1 {
            given.is_file().then(|| given.to_path_buf())?
        } else {
            which(command, path_var)?
        };
        let stem = program
            .file_stem()
            .and_then(OsStr::to_str)
            .unwrap_or_default();
        let style = if stem.starts_with("kubectl") || stem == "oc" {
            Style::Kubectl
        } else {
            Style::Kustomize
        };
        Some(Renderer { program, style })
    }

    /// The program's name as reports show it (`kubectl`).
    pub fn name(&self) -> String {
        self.program.file_name().map_or_else(
            || self.program.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    }

    /// The fixed arguments that build an overlay, before its folder.
    pub fn build_args(&self) -> &'static [&'static str] {
        match self.style {
            Style::Kustomize => KUSTOMIZE_BUILD,
            Style::Kubectl => KUBECTL_BUILD,
        }
    }

    /// The command a user would run to render `dir` by hand (`kubectl kustomize overlays/prod`).
    pub fn command_line(&self, dir: &str) -> String {
        format!("{} {} {dir}", self.name(), self.build_args().join(" "))
    }

    /// Render the kustomization in `dir`.
    pub fn build(&self, dir: &Path, limit: Duration) -> Result<Captured, RunError> {
        let mut args: Vec<OsString> = self.build_args().iter().map(OsString::from).collect();
        args.push(dir.as_os_str().to_os_string());
        run(&self.program, &args, limit)
    }

    /// The renderer's version, as the plan's assumptions show it: `kustomize v5.4.3`, or
    /// `kubectl v1.32.4 (Kustomize v5.5.0)`.
    pub fn version(&self, limit: Duration) -> Result<String, String> {
        let args = match self.style {
            Style::Kustomize => KUSTOMIZE_VERSION,
            Style::Kubectl => KUBECTL_VERSION,
        };
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        let captured = run(&self.program, &args, limit).map_err(|e| match e {
            RunError::Start(err) => err.to_string(),
            RunError::TimedOut { .. } => "timed out".into(),
            RunError::Output(message) => message,
        })?;
        let text = String::from_utf8_lossy(&captured.stdout);
        if !captured.status.success() {
            return Err(first_line(&String::from_utf8_lossy(&captured.stderr)));
        }
        Ok(describe_version(self.style, &self.name(), &text))
    }
}

/// A program on the search path, as an executable file.
fn which(name: &str, path_var: Option<&OsStr>) -> Option<PathBuf> {
    let path_var = path_var?;
    let names: Vec<String> = if cfg!(windows) {
        vec![format!("{name}.exe"), name.to_string()]
    } else {
        vec![name.to_string()]
    };
    std::env::split_paths(path_var)
        .filter(|dir| !dir.as_os_str().is_empty())
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

fn describe_version(style: Style, name: &str, text: &str) -> String {
    match style {
        Style::Kubectl => {
            let parsed: Option<serde_yaml::Value> = serde_yaml::from_str(text).ok();
            let field = |path: &[&str]| {
                let mut at = parsed.as_ref()?;
                for key in path {
                    at = at.get(key)?;
                }
                at.as_str().map(str::to_string)
            };
            match (
                field(&["clientVersion", "gitVersion"]),
                field(&["kustomizeVersion"]),
            ) {
                (Some(git), Some(k)) => format!("{name} {git} (Kustomize {k})"),
                (Some(git), None) => format!("{name} {git}"),
                _ => format!("{name} {}", first_line(text)),
            }
        }
        // `v5.4.3`, `{Version:kustomize/v4.5.7 GitCommit:...}`, `Version: {KustomizeVersion:3.8.7 ...}`
        Style::Kustomize => {
            let version = text
                .split(|c: char| c.is_whitespace() || matches!(c, '/' | ':' | '{' | '}'))
                .find(|word| {
                    let digits = word.trim_start_matches('v');
                    digits.split('.').count() >= 3
                        && digits.chars().next().is_some_and(|c| c.is_ascii_digit())
                });
            match version {
                Some(v) if v.starts_with('v') => format!("{name} {v}"),
                Some(v) => format!("{name} v{v}"),
                None => format!("{name} {}", first_line(text)),
            }
        }
    }
}

fn first_line(text: &str) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    line.chars().take(200).collect()
}

enum Pipe {
    Out(Result<Vec<u8>, String>),
    Err(Vec<u8>),
}

/// Run `program` with `args`, reading both pipes at once; kill it after `limit`.
fn run(program: &Path, args: &[OsString], limit: Duration) -> Result<Captured, RunError> {
    let deadline = Instant::now() + limit;
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        // Kustomize fetches remote bases with git: a credential prompt on the terminal would
        // wait for an answer nobody gives.
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(RunError::Start)?;
    let (tx, rx) = mpsc::channel();
    let mut readers = 0;
    if let Some(mut out) = child.stdout.take() {
        let tx = tx.clone();
        readers += spawn_reader(move || {
            let mut bytes = Vec::new();
            let read = (&mut out).take(MAX_OUTPUT).read_to_end(&mut bytes);
            // Drain what is over the limit, so the renderer is not blocked on a full pipe.
            let over = std::io::copy(&mut out, &mut std::io::sink()).unwrap_or(0);
            let _ = tx.send(Pipe::Out(match (read, over) {
                (Ok(_), 0) => Ok(bytes),
                (Ok(_), _) => Err(format!("its output is over {} MiB", MAX_OUTPUT >> 20)),
                (Err(err), _) => Err(format!("its output could not be read: {err}")),
            }));
        });
    }
    if let Some(mut err) = child.stderr.take() {
        let tx = tx.clone();
        readers += spawn_reader(move || {
            let mut bytes = Vec::new();
            let _ = (&mut err).take(MAX_STDERR).read_to_end(&mut bytes);
            let _ = std::io::copy(&mut err, &mut std::io::sink());
            let _ = tx.send(Pipe::Err(bytes));
        });
    }
    drop(tx);
    let mut stdout = None;
    let mut stderr = None;
    for _ in 0..readers {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(Pipe::Out(bytes)) => stdout = Some(bytes),
            Ok(Pipe::Err(bytes)) => stderr = Some(bytes),
            Err(_) => break,
        }
    }
    // Both pipes closed: the renderer is exiting. Reap it, within the same time limit.
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) if stdout.is_some() => break Some(status),
            Ok(None) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(1));
            }
            _ => break None,
        }
    };
    let Some(status) = status else {
        // Killed and waited for, so that no zombie is left; its pipes then close, unless a
        // process it started holds them, so standard error is awaited only briefly.
        let _ = child.kill();
        let _ = child.wait();
        if stderr.is_none() {
            while let Ok(pipe) = rx.recv_timeout(Duration::from_millis(200)) {
                if let Pipe::Err(bytes) = pipe {
                    stderr = Some(bytes);
                    break;
                }
            }
        }
        if let Some(Err(message)) = stdout {
            return Err(RunError::Output(message));
        }
        return Err(RunError::TimedOut {
            stderr: stderr.unwrap_or_default(),
        });
    };
    match stdout {
        Some(Ok(stdout)) => Ok(Captured {
            status,
            stdout,
            stderr: stderr.unwrap_or_default(),
        }),
        Some(Err(message)) => Err(RunError::Output(message)),
        None => Err(RunError::Output("its output could not be read".into())),
    }
}

/// Start a pipe reader; 1 if it runs. A reader that cannot start leaves its pipe unread, and the
/// time limit ends the render.
fn spawn_reader(work: impl FnOnce() + Send + 'static) -> usize {
    usize::from(
        std::thread::Builder::new()
            .name("lbplan-render-pipe".into())
            .spawn(work)
            .is_ok(),
    )
}

#[cfg(test)]
mod tests;
