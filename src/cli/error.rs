//! What ends a run before its report: usage, config and I/O errors, all exit code 2.

use crate::config::ConfigError;
use crate::exit::Exit;
use crate::inputs::Unplaced;
use crate::plan::calculator::CalculationError;
use crate::rules::suppress::UnknownRule;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Selection(#[from] UnknownRule),
    #[error(transparent)]
    Calculation(#[from] CalculationError),
    /// `lbplan explain` with a code or name no rule has; `hint` suggests close ones.
    #[error("unknown rule \"{rule}\"; {hint}")]
    NoSuchRule { rule: String, hint: String },
    #[error(
        "give either --cluster groups (NAME=W:MODE:PLACEMENT) or manifest PATHs, not both; to read the PATHs as one cluster, give --cluster NAME without `=`"
    )]
    ClustersAndPaths,
    /// `lbplan weights` with calculator groups and a cluster name, or several names.
    #[error(
        "--cluster: give either calculator groups (NAME=W:MODE:PLACEMENT) or one cluster name for the manifests, not {0}"
    )]
    ClusterForms(&'static str),
    /// `--cluster NAME` naming no cluster of the run; `known` lists them (after the closest).
    #[error("--cluster {name}: no such cluster; {known}")]
    UnknownCluster { name: String, known: String },
    /// `--statistics` with a format that has no place for counts.
    #[error(
        "--statistics prints counts as text or JSON: use it with --format human, concise or json"
    )]
    StatisticsFormat,
    #[error(transparent)]
    Unplaced(#[from] Unplaced),
    #[error("cannot read the working folder: {0}")]
    WorkingFolder(std::io::Error),
    #[error("cannot write to standard output: {0}")]
    Stdout(std::io::Error),
    #[error("cannot write {path}: {source}")]
    Output {
        path: String,
        source: std::io::Error,
    },
    /// An invalid `--exclude` glob (the message names the flag).
    #[error("{0}")]
    Exclude(String),
    /// `lbplan diff`: git could not give a side.
    #[error(transparent)]
    Git(#[from] crate::diff::git::GitError),
    #[error("--base-root {0}: not a folder")]
    BaseRoot(String),
    #[error(
        "lbplan diff reads each side from its folder: standard input (-) cannot be one of its PATHs"
    )]
    DiffStdin,
    #[error("no manifests found on either side (looked for *.yaml, *.yml and *.json)")]
    NoManifestsOnEitherSide,
    /// The run's inputs (files, renders, revisions) exceeded its byte budget.
    #[error("{0}")]
    RunBudget(String),
    /// `lbplan init` where a config already is.
    #[error(
        "{0} is there already: lbplan init writes a new config and never replaces one (lbplan init --stdout prints what it would write)"
    )]
    InitExists(String),
    /// `--baseline FILE` that cannot be read or is not a baseline.
    #[error("--baseline {path}: {problem}")]
    Baseline { path: String, problem: String },
    /// `--output` naming one of the run's inputs.
    #[error(
        "--output {0}: that file is one of the inputs; the report would overwrite it (write it elsewhere)"
    )]
    OutputIsAnInput(String),
}

impl From<&Error> for Exit {
    /// Every error is a usage, config or I/O error: exit code 2.
    fn from(_: &Error) -> Exit {
        Exit::Error
    }
}
