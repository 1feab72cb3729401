//! The two sides of a diff, each read exactly as `plan` reads a repository: from its own root.
//!
//! A side is a folder: the working folder (the head, by default), `--base-root DIR`, or a git
//! revision's files written to a private temporary folder (`tree.rs`). lbplan reads a side as if
//! run from its folder, so that its PATHs, its `.lbplan.yaml` (found from the same relative place,
//! up to the side's repository root), the files its config names and the names in reports are
//! the side's own: the working folder is set to the side's folder while the side is read, and set
//! back after ([`Root::enter`]). Nothing else runs meanwhile; a run is one thread of control
//! outside the loader's own pools, which finish before the loader returns. Every path a side's
//! config or manifests name stays inside the side's top ([`Root::top`]): its repository's top
//! level, or the temporary folder of a revision.
//!
//! What describes the live cluster rather than a revision is the head's for both sides: pod
//! snapshots and kubectl exports ([`live_files`]), so that a refreshed snapshot is not a change of
//! the pull request.

use std::path::{Path, PathBuf};

use crate::config::ClusterSetup;
use crate::source::confine::RootDir;

/// The folder a side is read from.
#[derive(Debug, Clone)]
pub struct Root {
    /// Absolute; `None` for the working folder itself.
    path: Option<PathBuf>,
    /// The side's top: what every path its files name must stay in.
    top: RootDir,
}

/// Sets the working folder back when dropped.
pub struct Entered {
    back: Option<PathBuf>,
}

impl Drop for Entered {
    fn drop(&mut self) {
        if let Some(back) = &self.back {
            // The folder the run started in: it existed a moment ago.
            let _ = std::env::set_current_dir(back);
        }
    }
}

impl Root {
    /// The working folder, whose top is its repository's (else itself).
    pub fn here() -> std::io::Result<Root> {
        let cwd = std::env::current_dir()?;
        Ok(Root {
            path: None,
            top: RootDir::new(&RootDir::repository_of(&cwd).unwrap_or(cwd)),
        })
    }

    /// Another folder (made absolute), inside `top` (for a folder of the user's, its
    /// repository's top level, else itself).
    pub fn at(path: &Path, top: Option<&Path>) -> std::io::Result<Root> {
        // `../base` from the working folder: resolved, so that its repository is looked for
        // from where it really is.
        let path = std::fs::canonicalize(path)?;
        let top = match top {
            Some(top) => top.to_path_buf(),
            None => RootDir::repository_of(&path).unwrap_or_else(|| path.clone()),
        };
        Ok(Root {
            top: RootDir::new(&top),
            path: Some(path),
        })
    }

    /// The side's top: every path its config and manifests name stays inside it.
    pub fn top(&self) -> &RootDir {
        &self.top
    }

    /// The side's folder, absolute.
    pub fn folder(&self) -> PathBuf {
        self.absolute(Path::new("."))
    }

    /// Make the root the working folder until the guard is dropped.
    pub fn enter(&self) -> std::io::Result<Entered> {
        let Some(path) = &self.path else {
            return Ok(Entered { back: None });
        };
        let back = std::env::current_dir()?;
        std::env::set_current_dir(path)?;
        Ok(Entered { back: Some(back) })
    }

    /// Where this root lies inside `other`, relative to it (`None`: not inside, or the same).
    pub fn within(&self, other: &Root) -> Option<PathBuf> {
        let real = |root: &Root| {
            let path = root.folder();
            std::fs::canonicalize(&path).unwrap_or(path)
        };
        let (inner, outer) = (real(self), real(other));
        let rel = inner.strip_prefix(&outer).ok()?;
        (!rel.as_os_str().is_empty()).then(|| rel.to_path_buf())
    }

    /// `path`, given relative to this root, as an absolute path (the working folder's, for the
    /// working folder).
    pub fn absolute(&self, path: &Path) -> PathBuf {
        if path.is_absolute() {
            return path.to_path_buf();
        }
        let joined = match &self.path {
            Some(root) => root.join(path),
            None => std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()),
        };
        crate::render::wrapper::normalize(&joined)
    }
}

/// The files of the head that describe the live cluster, per cluster name: its pod snapshot and
/// its exports, as absolute paths.
#[derive(Debug, Default, Clone)]
pub struct LiveFiles {
    clusters: Vec<(String, Option<PathBuf>, Vec<PathBuf>)>,
}

/// The head's live files: read in the head's root, used by both sides.
pub fn live_files(head: &[ClusterSetup], root: &Root) -> LiveFiles {
    LiveFiles {
        clusters: head
            .iter()
            .map(|s| {
                (
                    s.facts.name.clone(),
                    s.pods.as_deref().map(|p| root.absolute(p)),
                    s.exports.iter().map(|p| root.absolute(p)).collect(),
                )
            })
            .collect(),
    }
}

impl LiveFiles {
    /// Whether any cluster has a snapshot or exports.
    pub fn any(&self) -> bool {
        self.clusters
            .iter()
            .any(|(_, pods, exports)| pods.is_some() || !exports.is_empty())
    }

    /// Every file, for the report's note, as `display` names it.
    pub fn describe(&self, display: impl Fn(&Path) -> String) -> Vec<String> {
        let mut names = Vec::new();
        for (_, pods, exports) in &self.clusters {
            names.extend(pods.iter().chain(exports).map(|p| display(p)));
        }
        names.sort();
        names.dedup();
        names
    }

    /// Give the base's clusters the head's live files (a cluster the head does not have gets
    /// none: its pods come from its workloads). Returns the base's own files, which the base's
    /// walks must skip: they are not manifests, and the base does not read them as exports.
    pub fn apply(&self, base: &mut [ClusterSetup]) -> Vec<PathBuf> {
        let mut own = Vec::new();
        for setup in base {
            own.extend(setup.pods.take());
            own.append(&mut setup.exports);
            if let Some((_, pods, exports)) = self
                .clusters
                .iter()
                .find(|(name, ..)| *name == setup.facts.name)
            {
                setup.pods.clone_from(pods);
                setup.exports.clone_from(exports);
            }
        }
        own
    }
}

/// An exclude glob (gitignore syntax, anchored at the working folder) that matches exactly
/// `path`, a path relative to it; `None` for a path outside it.
pub fn exact_exclude(path: &Path) -> Option<String> {
    if path.is_absolute() {
        return None;
    }
    let mut glob = String::from("/");
    for part in path.components() {
        match part {
            std::path::Component::Normal(name) => {
                if glob.len() > 1 {
                    glob.push('/');
                }
                for c in name.to_string_lossy().chars() {
                    if matches!(c, '*' | '?' | '[' | ']' | '\\' | '!' | '#' | ' ') {
                        glob.push('\\');
                    }
                    glob.push(c);
                }
            }
            std::path::Component::CurDir => {}
            _ => return None,
        }
    }
    (glob.len() > 1).then_some(glob)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excludes_match_one_file() {
        assert_eq!(
            exact_exclude(Path::new("snapshots/a-pods.yaml")).as_deref(),
            Some("/snapshots/a-pods.yaml")
        );
        assert_eq!(
            exact_exclude(Path::new("./s/[x] *.yaml")).as_deref(),
            Some("/s/\\[x\\]\\ \\*.yaml")
        );
        assert_eq!(exact_exclude(Path::new("../outside.yaml")), None);
        assert_eq!(exact_exclude(Path::new("/abs.yaml")), None);
    }
}
