//! Exit codes, as the spec defines them.

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    /// No finding at or above `--fail-on`.
    Clean = 0,
    /// Findings at or above `--fail-on` (an invalid document is one).
    Findings = 1,
    /// Usage, config or I/O error: a missing path, an unreadable file, no manifests found.
    Error = 2,
    /// `lbplan diff --exit-code`: the plan changed, and nothing reached `--fail-on`.
    Changed = 3,
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> Self {
        std::process::ExitCode::from(exit as u8)
    }
}
