//! The usage error for inputs that no cluster holds.

use std::fmt::Write as _;

use crate::config::ClusterSetup;
use crate::source::discover::{Input, InputPath};

/// Standard input or files named on the command line that belong to no cluster: the run stops
/// before reading anything (exit code 2), since which cluster they are linted in changes the
/// findings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unplaced {
    /// Reports' names of the inputs; standard input is `stdin_name`.
    pub inputs: Vec<String>,
    /// Whether standard input is one of them (listed first).
    pub stdin: bool,
    /// The clusters of the run.
    pub known: Vec<String>,
}

impl Unplaced {
    /// The error for these inputs of a run with these clusters.
    pub fn new(inputs: &[Input], setups: &[ClusterSetup]) -> Unplaced {
        let stdin = inputs.iter().any(|i| i.path == InputPath::Stdin);
        let files = inputs.iter().filter(|i| i.path != InputPath::Stdin);
        Unplaced {
            inputs: inputs
                .iter()
                .filter(|i| i.path == InputPath::Stdin)
                .chain(files)
                .map(|i| i.name.clone())
                .collect(),
            stdin,
            known: setups.iter().map(|s| s.facts.name.clone()).collect(),
        }
    }
}

impl std::error::Error for Unplaced {}

impl std::fmt::Display for Unplaced {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let files: Vec<&str> = self
            .inputs
            .iter()
            .skip(usize::from(self.stdin))
            .map(String::as_str)
            .collect();
        let mut subjects = Vec::new();
        if self.stdin {
            subjects.push("standard input".to_string());
        }
        if let Some((shown, more)) = files.split_at_checked(files.len().min(3)) {
            let mut text = shown.join(", ");
            if !more.is_empty() {
                let _ = write!(text, " and {} more files", more.len());
            }
            if !text.is_empty() {
                subjects.push(text);
            }
        }
        let one = self.inputs.len() == 1;
        write!(
            f,
            "{} {} to no cluster: with several clusters configured, give --cluster NAME (one of {}) to lint {} as that cluster",
            subjects.join(" and "),
            if one { "belongs" } else { "belong" },
            self.known.join(", "),
            if one { "it" } else { "them" },
        )?;
        if !files.is_empty() {
            write!(
                f,
                ", or add {} folder to a cluster's paths",
                if one { "its" } else { "their" }
            )?;
        }
        Ok(())
    }
}

/// The one note about inputs met in walks that no cluster holds.
pub(super) fn note(count: usize, first: &str) -> String {
    let (inputs, verb, were, its, them) = if count == 1 {
        ("1 file".to_string(), "belongs", "was", "its", "it")
    } else {
        (format!("{count} files"), "belong", "were", "their", "them")
    };
    format!(
        "{inputs} under the run's folders {verb} to no cluster and {were} not linted (first: {first}); add {its} folder to a cluster's paths in the config, or lint {them} with --cluster NAME"
    )
}
