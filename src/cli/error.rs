//! What ends a run before its report: usage, config and I/O errors, all exit code 2.

use crate::config::ConfigError;
use crate::exit::Exit;
use crate::plan::calculator::DuplicateCluster;
use crate::rules::suppress::UnknownRule;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Selection(#[from] UnknownRule),
    #[error(transparent)]
    Calculation(#[from] DuplicateCluster),
    /// `lbplan explain` with a code or name no rule has; `hint` suggests close ones.
    #[error("unknown rule \"{rule}\"; {hint}")]
    NoSuchRule { rule: String, hint: String },
    #[error("give either --cluster groups or manifest PATHs, not both")]
    ClustersAndPaths,
    #[error("cannot read the working folder: {0}")]
    WorkingFolder(std::io::Error),
    #[error("cannot write to standard output: {0}")]
    Stdout(std::io::Error),
    #[error("cannot write {path}: {source}")]
    Output {
        path: String,
        source: std::io::Error,
    },
}

impl From<&Error> for Exit {
    /// Every error is a usage, config or I/O error: exit code 2.
    fn from(_: &Error) -> Exit {
        Exit::Error
    }
}
