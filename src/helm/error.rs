//! Why a release did not render, in words that name the chart and what helm said.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use crate::exec::RunError;

/// Lines of helm's standard error kept in an error.
const STDERR_LINES: usize = 5;

/// Why a release was not rendered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HelmFailure {
    /// No helm: not on `PATH`, or the program `--helm-bin`/`LBPLAN_HELM` names is not one.
    NotFound(String),
    /// Rendering is off (`--no-render`, `render.helm: off`).
    Off(super::Off),
    /// The chart or its values could not be copied (no `Chart.yaml`, a values file missing, a
    /// file over the limits), or lbplan's temporary folder could not be made.
    Chart(String),
    /// helm could not be started.
    Start(String),
    /// helm exited with an error: its first lines of standard error, and what to do when lbplan
    /// recognises the error.
    Failed {
        status: String,
        stderr: Vec<String>,
        hint: Option<&'static str>,
    },
    /// helm ran out of time and was stopped.
    TimedOut {
        limit: Duration,
        stderr: Vec<String>,
    },
    /// helm exited, but a process it started held its output open past the time limit.
    OutputHeld {
        limit: Duration,
        stderr: Vec<String>,
    },
    /// Its output took the run past its byte budget.
    Budget,
    /// Its output could not be used.
    Output(String),
}

impl HelmFailure {
    /// From the runner's error, helm's paths in the copy renamed by `renames`.
    pub fn from_run(error: RunError, limit: Duration, renames: &[(String, String)]) -> HelmFailure {
        let lines = |stderr: &[u8]| stderr_lines(&String::from_utf8_lossy(stderr), renames);
        match error {
            RunError::Start(e) => HelmFailure::Start(e.to_string()),
            RunError::TimedOut { stderr } => HelmFailure::TimedOut {
                limit,
                stderr: lines(&stderr),
            },
            RunError::OutputHeld { stderr, .. } => HelmFailure::OutputHeld {
                limit,
                stderr: lines(&stderr),
            },
            RunError::Output(message) => HelmFailure::Output(message),
            RunError::Budget => HelmFailure::Budget,
        }
    }

    /// helm's failure: its status and standard error.
    pub fn failed(status: String, stderr: &str, renames: &[(String, String)]) -> HelmFailure {
        let stderr = stderr_lines(stderr, renames);
        let hint = hint(&stderr.join("\n"));
        HelmFailure::Failed {
            status,
            stderr,
            hint,
        }
    }

    /// Why, in a few words (without helm's own lines).
    pub fn reason(&self) -> String {
        match self {
            HelmFailure::NotFound(why) | HelmFailure::Chart(why) => why.clone(),
            HelmFailure::Off(off) => off.words().to_string(),
            HelmFailure::Start(error) => format!("helm could not be started: {error}"),
            HelmFailure::Failed { status, .. } => format!("helm failed ({status})"),
            HelmFailure::TimedOut { limit, .. } => format!(
                "helm did not finish within {} s and was stopped (render.timeout)",
                limit.as_secs_f32()
            ),
            HelmFailure::OutputHeld { limit, .. } => format!(
                "helm exited, but a process it started kept its output open for {} s and was stopped (render.timeout)",
                limit.as_secs_f32()
            ),
            HelmFailure::Budget => crate::exec::budget_exceeded(),
            HelmFailure::Output(message) => format!("helm's output: {message}"),
        }
    }

    /// What helm said, first lines first.
    pub fn stderr(&self) -> &[String] {
        match self {
            HelmFailure::Failed { stderr, .. }
            | HelmFailure::TimedOut { stderr, .. }
            | HelmFailure::OutputHeld { stderr, .. } => stderr,
            _ => &[],
        }
    }

    /// What to do, when lbplan recognises helm's error.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            HelmFailure::Failed { hint, .. } => *hint,
            _ => None,
        }
    }
}

/// helm's standard error without its noise: `Error: ` before the message, the advice to use
/// `--debug`; copy paths renamed; long lines cut as every renderer's are.
fn stderr_lines(stderr: &str, renames: &[(String, String)]) -> Vec<String> {
    stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("Use --debug flag"))
        .map(|l| l.strip_prefix("Error: ").unwrap_or(l))
        .map(|l| {
            let mut line = l.to_string();
            for (from, to) in renames {
                line = line.replace(from.as_str(), to);
            }
            crate::render::shorten(&line)
        })
        .take(STDERR_LINES)
        .collect()
}

/// The way forward for errors a chart repository meets most.
fn hint(stderr: &str) -> Option<&'static str> {
    if stderr.contains("missing in charts/ directory") {
        Some(
            "lbplan never downloads dependencies (no --dependency-update): commit them in charts/ (helm dependency build), or point the dependency at a chart of this repository with repository: file://PATH",
        )
    } else if stderr.contains("execution error at") || stderr.contains("nil pointer evaluating") {
        Some(
            "the chart needs values its defaults do not give: name it in clusters[].helm in .lbplan.yaml with the values files it is deployed with",
        )
    } else if stderr.contains("library charts are not installable") {
        Some("a library chart is rendered only as another chart's dependency")
    } else {
        None
    }
}

/// A release that was named (in the config, or by a GitOps object) and did not render: an error
/// of the run (exit code 2), reported after everything else.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HelmError {
    /// The chart and release, as messages name them.
    pub label: String,
    /// The command a user would run.
    pub command: String,
    /// Who named it (`clusters[0].helm[1]`, an Application).
    pub named_by: String,
    /// The chart's `Chart.yaml`, for reports that need a file.
    pub file: PathBuf,
    pub failure: HelmFailure,
}

impl fmt::Display for HelmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let HelmError {
            label,
            command,
            named_by,
            failure,
            ..
        } = self;
        match failure {
            HelmFailure::Failed { .. } | HelmFailure::TimedOut { .. } => write!(
                f,
                "{label} ({named_by}) did not render: `{command}`: {}",
                failure.reason()
            )?,
            HelmFailure::NotFound(why) => write!(
                f,
                "{label} ({named_by}) not rendered: {why} (install helm, name it with --helm-bin or LBPLAN_HELM, or lint without rendering: --no-render)"
            )?,
            _ => write!(f, "{label} ({named_by}) not rendered: {}", failure.reason())?,
        }
        for line in failure.stderr() {
            write!(f, "\n  {line}")?;
        }
        if let Some(hint) = failure.hint() {
            write!(f, "\n  help: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for HelmError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helm_errors_lose_their_noise_and_copy_paths() {
        let renames = [(
            "/tmp/lbplan-helm-1/0/chart".to_string(),
            "charts/web".to_string(),
        )];
        let failure = HelmFailure::failed(
            "exit status: 1".into(),
            "Error: An error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: redis\n",
            &renames,
        );
        assert_eq!(failure.stderr().len(), 1);
        assert!(failure.stderr()[0].starts_with("An error occurred"));
        assert!(
            failure
                .hint()
                .is_some_and(|h| h.contains("helm dependency build"))
        );
        let failure = HelmFailure::failed(
            "exit status: 1".into(),
            "Error: open /tmp/lbplan-helm-1/0/chart/values.yaml: denied\n\nUse --debug flag to render out invalid YAML\n",
            &renames,
        );
        assert_eq!(failure.stderr(), ["open charts/web/values.yaml: denied"]);
        let error = HelmError {
            label: "Helm chart charts/web".into(),
            command: "helm template web charts/web".into(),
            named_by: "clusters[0].helm[0]".into(),
            file: "charts/web/Chart.yaml".into(),
            failure,
        };
        assert_eq!(
            error.to_string(),
            "Helm chart charts/web (clusters[0].helm[0]) did not render: `helm template web charts/web`: helm failed (exit status: 1)\n  open charts/web/values.yaml: denied"
        );
    }
}
