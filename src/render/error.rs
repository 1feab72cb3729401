//! Why an overlay did not render, in words that name the overlay and what the renderer said.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// Lines of the renderer's standard error kept in an error.
const STDERR_LINES: usize = 5;
/// Lines of a successful render's standard error kept as warnings.
pub const WARNING_LINES: usize = 20;

/// Why an overlay could not be rendered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RenderFailure {
    /// Neither `kustomize` nor `kubectl` is on `PATH`.
    NoRenderer,
    /// The engine `render.kustomize` names is not on `PATH`, or the program `--kustomize-bin`
    /// or `LBPLAN_KUSTOMIZE` names is not an executable file.
    Resolve(crate::exec::ResolveError),
    /// `--no-remote`, and the overlay needs these remote bases.
    Remote { bases: Vec<String> },
    /// Its kustomization graph leaves the side's root by these entries.
    LeavesRoot { entries: Vec<String> },
    /// The temporary wrapper could not be written.
    Workspace { error: String },
    /// The renderer could not be started.
    Start { command: String, error: String },
    /// It exited with an error; the first meaningful line of its standard error, and what likely
    /// caused it with the way forward, when lbplan recognises the error.
    Failed {
        command: String,
        status: String,
        stderr: Vec<String>,
        hint: Option<String>,
    },
    /// It ran out of time and was stopped.
    TimedOut {
        command: String,
        limit: Duration,
        stderr: Vec<String>,
    },
    /// It exited, but a process it started held its output open past the time limit.
    OutputHeld {
        command: String,
        status: String,
        limit: Duration,
        stderr: Vec<String>,
    },
    /// Its output took the run past its byte budget.
    Budget { command: String },
    /// Its output could not be used.
    Output { command: String, message: String },
}

/// An overlay that was not rendered: an error of the run (exit code 2), reported after everything
/// else was linted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderError {
    /// The overlay, as reports name it.
    pub overlay: String,
    /// Its kustomization file, when it has one, for reports that need a file.
    pub kustomization: Option<PathBuf>,
    pub failure: RenderFailure,
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let overlay = &self.overlay;
        let mut hint = None;
        let (head, stderr): (String, &[String]) = match &self.failure {
            RenderFailure::NoRenderer => (
                format!(
                    "Kustomize overlay {overlay} not rendered: neither `kustomize` nor `kubectl` is on PATH (install one, name another with --kustomize-bin or LBPLAN_KUSTOMIZE, or lint without rendering: --no-render)"
                ),
                &[],
            ),
            RenderFailure::Resolve(why) => (
                format!("Kustomize overlay {overlay} not rendered: {why}"),
                &[],
            ),
            RenderFailure::LeavesRoot { entries } => (
                format!(
                    "Kustomize overlay {overlay} not rendered: its kustomization graph leaves the repository, and Kustomize would read what lies there: {}",
                    entries.join("; ")
                ),
                &[],
            ),
            RenderFailure::Remote { bases } => (
                format!(
                    "Kustomize overlay {overlay} not rendered: it needs remote bases, which --no-remote forbids fetching: {}",
                    bases.join(", ")
                ),
                &[],
            ),
            RenderFailure::Workspace { error } => (
                format!(
                    "Kustomize overlay {overlay} not rendered: the temporary wrapper kustomization could not be made: {error}"
                ),
                &[],
            ),
            RenderFailure::Start { command, error } => (
                format!(
                    "Kustomize overlay {overlay} not rendered: `{command}` could not be started: {error}"
                ),
                &[],
            ),
            RenderFailure::Failed {
                command,
                status,
                stderr,
                hint: why,
            } => {
                hint = why.as_deref();
                (
                    format!(
                        "Kustomize overlay {overlay} did not render: `{command}` failed ({status})"
                    ),
                    stderr,
                )
            }
            RenderFailure::TimedOut {
                command,
                limit,
                stderr,
            } => (
                format!(
                    "Kustomize overlay {overlay} did not render: `{command}` did not finish within {} s and was stopped (render.timeout)",
                    limit.as_secs_f32()
                ),
                stderr,
            ),
            RenderFailure::OutputHeld {
                command,
                status,
                limit,
                stderr,
            } => (
                format!(
                    "Kustomize overlay {overlay} did not render: `{command}` exited ({status}), but a process it started kept its output open for {} s and was stopped (render.timeout)",
                    limit.as_secs_f32()
                ),
                stderr,
            ),
            RenderFailure::Budget { command } => (
                format!(
                    "Kustomize overlay {overlay} did not render: `{command}`: {}",
                    crate::exec::budget_exceeded()
                ),
                &[],
            ),
            RenderFailure::Output { command, message } => (
                format!("Kustomize overlay {overlay} did not render: `{command}`: {message}"),
                &[],
            ),
        };
        f.write_str(&head)?;
        for line in stderr {
            write!(f, "\n  {line}")?;
        }
        if let Some(hint) = hint {
            write!(f, "\n  {hint}")?;
        }
        Ok(())
    }
}

/// What a failed render's standard error says, as reports show it: its first meaningful line
/// (the innermost cause of a chain of Kustomize errors; the object, not a Go map dump), with the
/// temporary folder's paths (`replace`: each path and what to write instead) replaced, and the
/// likely cause and the way forward when lbplan recognises the error (`remote`: the overlay's
/// remote bases, which need the network).
pub fn explain(
    stderr: &str,
    replace: &[(String, String)],
    remote: &[String],
) -> (Vec<String>, Option<String>) {
    let lines: Vec<String> = stderr
        .lines()
        .map(|l| without_klog(l.trim()))
        .map(|l| without_wrapper(l.trim()).to_string())
        .filter(|l| !l.is_empty() && l != ">" && l != "<" && !l.starts_with("# Warning:"))
        .filter(|l| !l.starts_with(": exit status"))
        .collect();
    let all = lines.join("\n");
    let hint = likely_cause(&all, remote);
    // A line that ends in `:` only announces the next one (`Error: accumulating resources:`).
    let meaningful = lines
        .iter()
        .find(|l| !l.ends_with(':'))
        .or_else(|| lines.first());
    let first = meaningful.map(|l| {
        let mut line = innermost(l);
        for (from, to) in replace {
            if !from.is_empty() {
                line = line.replace(from.as_str(), to);
            }
        }
        shorten(&line)
    });
    match first {
        Some(line) => (vec![line], hint),
        // Nothing but warnings: say those.
        None => (stderr_head(stderr), hint),
    }
}

/// The cause at the end of a Kustomize error chain: git's `fatal:` line, or the object a Go map
/// dump stands for and what went wrong with it.
fn innermost(line: &str) -> String {
    if let Some(i) = line.rfind("fatal: ") {
        return line.get(i..).unwrap_or(line).to_string();
    }
    const DUMP: &str = "map[string]interface {}{";
    if let Some(start) = line.find(DUMP) {
        let value = |key: &str| {
            let pattern = format!("\"{key}\":\"");
            let at = line.rfind(&pattern)? + pattern.len();
            let rest = line.get(at..)?;
            rest.get(..rest.find('"')?)
        };
        let object = match (value("kind"), value("name")) {
            (Some(kind), Some(name)) => match value("namespace") {
                Some(ns) => format!("{kind} {ns}/{name}"),
                None => format!("{kind} {name}"),
            },
            _ => "an object".to_string(),
        };
        let what = line
            .rfind("}: ")
            .and_then(|i| line.get(i + 3..))
            .unwrap_or("");
        let before = line.get(..start).unwrap_or("").trim_end_matches([' ', ':']);
        let before = if before.is_empty() {
            String::new()
        } else {
            format!("{before}: ")
        };
        return format!("{before}{object}: {what}");
    }
    line.to_string()
}

/// The likely cause of a failed render and the way forward, for errors lbplan recognises.
fn likely_cause(stderr: &str, remote: &[String]) -> Option<String> {
    let has = |words: &[&str]| words.iter().any(|w| stderr.contains(w));
    if has(&["unsupported type: map[interface {}]interface {}"]) {
        return Some("likely cause: a YAML key that is not a string, such as an unquoted number (30022: ...) in a ConfigMap's data, which Kustomize cannot write as JSON; quote the key (\"30022\": ...)".into());
    }
    if has(&[
        "Could not resolve host",
        "no such host",
        "dial tcp",
        "Network is unreachable",
        "network is unreachable",
        "unable to access 'http",
        "i/o timeout",
        "TLS handshake timeout",
    ]) {
        let base = remote.first().map_or_else(
            || "a remote base".to_string(),
            |url| format!("its remote base {}", crate::text::Truncated(url)),
        );
        return Some(format!(
            "likely cause: Kustomize fetches {base} from the network, which it could not reach; render where the network reaches it, or lint without rendering: --no-render"
        ));
    }
    if has(&["enable-helm", "helmCharts"]) {
        return Some("likely cause: the overlay inflates a Helm chart (helmCharts), which lbplan never lets Kustomize do (no --enable-helm); have lbplan render the chart with helm instead: name it in .lbplan.yaml under clusters[].helm (chart, release, namespace, values)".into());
    }
    if has(&["enable-alpha-plugins", "enable-exec", "plugin"]) {
        return Some("likely cause: the overlay needs a Kustomize plugin, which lbplan never lets Kustomize run; render it yourself and lint what it renders: ... | lbplan lint -".into());
    }
    if has(&["is not in or below", "LoadRestrictionsRootOnly"]) {
        return Some("likely cause: the overlay reads a file outside its own folder, which Kustomize refuses by default (lbplan keeps that default); move the file under the overlay, or render it yourself and lint what it renders".into());
    }
    if has(&["already registered id"]) {
        return Some("likely cause: the overlay lists one object twice (in two resources, or a resource and a base); keep one".into());
    }
    if has(&[
        "must resolve to a file",
        "no such file or directory",
        "does not exist",
    ]) {
        return Some("likely cause: a path the kustomization lists does not exist; check its resources, bases and patches".into());
    }
    None
}

impl std::error::Error for RenderError {}

/// The renderer's first meaningful lines of standard error: kubectl's log header (`E1130 ...
/// run.go:72] "command failed" err=`) and the `<`/`>` around a multi-line error are dropped, so is
/// the framing of lbplan's own wrapper around the overlay's error, and a long line keeps its
/// start and its end, where Go errors say what went wrong ([`shorten`]).
pub fn stderr_head(stderr: &str) -> Vec<String> {
    let lines: Vec<String> = stderr
        .lines()
        .map(|l| without_klog(l.trim()))
        .map(|l| without_wrapper(l.trim()).to_string())
        .filter(|l| !l.is_empty() && l != ">" && l != "<")
        .collect();
    let errors: Vec<&String> = lines
        .iter()
        .filter(|l| !l.starts_with("# Warning:"))
        .collect();
    let chosen = if errors.is_empty() {
        lines.iter().collect()
    } else {
        errors
    };
    chosen
        .into_iter()
        .take(STDERR_LINES)
        .map(|l| shorten(l))
        .collect()
}

/// `line` as a message quotes it: over 200 bytes, its first 80 and last 120 bytes (cut on
/// character boundaries) around `…`, and its full length, as [`crate::text::quote`] quotes a
/// value (the renderer's error repeats the kustomization's text, and a line can run to megabytes).
pub fn shorten(line: &str) -> String {
    const HEAD: usize = 80;
    const TAIL: usize = 120;
    if line.len() <= crate::text::quote::QUOTE_BYTES {
        return line.to_string();
    }
    let mut head = HEAD;
    while !line.is_char_boundary(head) {
        head -= 1;
    }
    let mut tail = line.len() - TAIL;
    while !line.is_char_boundary(tail) {
        tail += 1;
    }
    format!(
        "{} … {} ({} bytes)",
        line.get(..head).unwrap_or(""),
        line.get(tail..).unwrap_or(""),
        line.len()
    )
}

/// A kubectl (klog) log line without its header: `E1130 11:39:33.956437   22866 run.go:72]
/// "command failed" err="..."` is the error itself.
fn without_klog(line: &str) -> String {
    let mut bytes = line.bytes();
    let severity = bytes
        .next()
        .is_some_and(|b| matches!(b, b'I' | b'W' | b'E' | b'F'));
    let date = bytes.take(4).filter(u8::is_ascii_digit).count() == 4;
    let rest = match line.find("] ") {
        Some(i) if severity && date => line.get(i + 2..).unwrap_or(line),
        _ => return line.to_string(),
    };
    let rest = rest.strip_prefix("\"command failed\" err=").unwrap_or(rest);
    match rest.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Some(quoted) => quoted.replace("\\\"", "\""),
        None => rest.to_string(),
    }
}

/// The overlay's own error, without the wrapper's "accumulating resources from '../overlay': ...
/// recursed accumulation of path '/overlay': " around it.
fn without_wrapper(line: &str) -> &str {
    const RECURSED: &str = "recursed accumulation of path '";
    line.find(RECURSED)
        .and_then(|i| line.get(i + RECURSED.len()..))
        .and_then(|rest| rest.find("': ").and_then(|j| rest.get(j + 3..)))
        .unwrap_or(line)
}

#[cfg(test)]
mod tests;
