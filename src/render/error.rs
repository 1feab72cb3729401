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
    /// It exited with an error; its first lines of standard error.
    Failed {
        command: String,
        status: String,
        stderr: Vec<String>,
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
            } => (
                format!(
                    "Kustomize overlay {overlay} did not render: `{command}` failed ({status})"
                ),
                stderr,
            ),
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
        Ok(())
    }
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
mod tests {
    use super::*;

    #[test]
    fn stderr_keeps_the_message_not_the_log_header() {
        let kubectl = "# Warning: 'commonLabels' is deprecated.\nE1130 11:39:33.956437   22866 run.go:72] \"command failed\" err=<\n\taccumulating resources: could not fetch github.com/x\n\t: exit status 128\n >\n";
        assert_eq!(
            stderr_head(kubectl),
            [
                "accumulating resources: could not fetch github.com/x",
                ": exit status 128"
            ]
        );
        assert_eq!(
            stderr_head("# Warning: only this\n"),
            ["# Warning: only this"]
        );
        let long = format!("{}the cause", "é".repeat(1000));
        let short = &stderr_head(&long)[0];
        assert!(short.len() <= 200 + " …  (2009 bytes)".len(), "{short}");
        assert!(short.starts_with("éé"));
        assert!(short.ends_with("the cause (2009 bytes)"), "{short}");
        let one_line = "E1130 11:52:25.443142    8273 run.go:72] \"command failed\" err=\"map[\\\"a\\\"]: json: unsupported type\"";
        assert_eq!(
            stderr_head(one_line),
            ["map[\"a\"]: json: unsupported type"]
        );
        let wrapped = "accumulating resources: accumulation err='accumulating resources from '../../repo/o': '/repo/o' must resolve to a file': recursed accumulation of path '/repo/o': accumulating resources: missing base\n";
        assert_eq!(
            stderr_head(wrapped),
            ["accumulating resources: missing base"]
        );
    }

    #[test]
    fn errors_name_the_overlay_and_what_the_renderer_said() {
        let e = RenderError {
            overlay: "overlays/prod".into(),
            kustomization: None,
            failure: RenderFailure::Failed {
                command: "kubectl kustomize overlays/prod".into(),
                status: "exit status: 1".into(),
                stderr: vec!["accumulating resources: missing base".into()],
            },
        };
        assert_eq!(
            e.to_string(),
            "Kustomize overlay overlays/prod did not render: `kubectl kustomize overlays/prod` failed (exit status: 1)\n  accumulating resources: missing base"
        );
    }
}
