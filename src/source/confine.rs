//! Paths that input names stay inside the side's root.
//!
//! In CI the repository is the pull request's: its `.lbplan.yaml` (`paths`, `pods`, `exports`,
//! `kustomize`, `exclude`), its kustomizations and the origin annotations of what they render
//! name paths, and none of them may make lbplan read `/proc/self/environ`, a FIFO that hangs or
//! another repository's files. A side's root is the repository's top level (the folder holding
//! `.git`), else the config's folder, else the working folder; a git revision's root is the
//! temporary folder it is written to. Only paths typed on the command line are exempt.
//!
//! [`RootDir::confine`] is the one check, for every path a file names: lexically (a `..` that
//! climbs out) and on disk (a symbolic link anywhere along the path that leads out, resolved as
//! far as the path exists). Helm chart and values paths, and GitOps sources, use it too.

use std::path::{Component, Path, PathBuf};

/// A side's root: what paths named by files must stay in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RootDir {
    /// The root with its links resolved; `None` confines nothing (a run built by a test).
    real: Option<PathBuf>,
    /// The root as given, made absolute.
    given: PathBuf,
}

/// A path that leaves the root.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{path} is outside {root}{how}")]
pub struct Escape {
    /// The path as named, control characters escaped.
    pub path: String,
    /// The root, as shown.
    pub root: String,
    /// How it leaves: `` (plainly), ` through a symbolic link`.
    pub how: &'static str,
}

impl RootDir {
    /// The root at `dir` (made absolute, links resolved where it exists).
    pub fn new(dir: &Path) -> RootDir {
        let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        let real = std::fs::canonicalize(&absolute).unwrap_or_else(|_| absolute.clone());
        RootDir {
            real: Some(real),
            given: absolute,
        }
    }

    /// A root that confines nothing.
    pub fn anywhere() -> RootDir {
        RootDir::default()
    }

    /// The repository `start` is in: the nearest folder at or above it holding `.git` (a folder,
    /// or the file of a worktree or submodule).
    pub fn repository_of(start: &Path) -> Option<PathBuf> {
        let absolute = std::path::absolute(start).ok()?;
        let absolute = std::fs::canonicalize(&absolute)
            .ok()
            .or_else(|| normalise(&absolute))?;
        absolute
            .ancestors()
            .find(|dir| dir.join(".git").exists())
            .map(Path::to_path_buf)
    }

    /// The root, links resolved (`None`: confines nothing).
    pub fn path(&self) -> Option<&Path> {
        self.real.as_deref()
    }

    /// `path` (relative to the working folder, or absolute) when it stays inside the root:
    /// lexically normalised, and with every link along the part of it that exists resolved
    /// inside the root too.
    pub fn confine(&self, path: &Path) -> Result<PathBuf, Escape> {
        let Some(root) = &self.real else {
            return Ok(path.to_path_buf());
        };
        let escape = |how| Escape {
            path: crate::text::visible(&path.display().to_string()).into_owned(),
            root: crate::text::visible(&root.display().to_string()).into_owned(),
            how,
        };
        let absolute = std::path::absolute(path).map_err(|_| escape(""))?;
        let Some(lexical) = normalise(&absolute) else {
            return Err(escape(""));
        };
        // The working folder may itself be reached through a link (`/tmp` on macOS): compare
        // real paths, resolved as far as the path exists.
        let real = resolve_existing(&lexical);
        if !real.starts_with(root) {
            let how = if lexical.starts_with(root) || lexical.starts_with(&self.given) {
                " through a symbolic link"
            } else {
                ""
            };
            return Err(escape(how));
        }
        Ok(lexical)
    }

    /// Whether a real path (links resolved) lies inside the root.
    pub fn holds_real(&self, real: &Path) -> bool {
        self.real.as_ref().is_none_or(|root| real.starts_with(root))
    }
}

/// `path` (absolute) without `.` and with each `..` taking out the component before it; `None`
/// when a `..` would climb above the file system's root.
fn normalise(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() || out.as_os_str().is_empty() {
                    return None;
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    Some(out)
}

/// `path` with its longest existing ancestor's links resolved, the rest appended as written.
fn resolve_existing(path: &Path) -> PathBuf {
    let mut rest = Vec::new();
    let mut at = path;
    loop {
        if let Ok(real) = std::fs::canonicalize(at) {
            let mut real = real;
            for part in rest.iter().rev() {
                real.push(part);
            }
            return real;
        }
        match (at.parent(), at.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                at = parent;
            }
            _ => return path.to_path_buf(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside() {
        let temp = tempfile::tempdir().expect("temp");
        let repo = temp.path().join("repo");
        std::fs::create_dir_all(repo.join("a/b")).expect("mkdir");
        let root = RootDir::new(&repo);
        let real = std::fs::canonicalize(&repo).expect("real");
        assert_eq!(
            root.confine(&repo.join("a/./b/../b/x.yaml"))
                .expect("inside"),
            repo.join("a/b/x.yaml")
        );
        // Not there yet: judged by its name.
        assert!(root.confine(&repo.join("new/x.yaml")).is_ok());
        for outside in [
            repo.join(".."),
            repo.join("a/../../x.yaml"),
            PathBuf::from("/proc/self/environ"),
            temp.path().join("other"),
        ] {
            let escape = root.confine(&outside).expect_err("outside");
            assert_eq!(escape.how, "", "{outside:?}");
            assert!(escape.root.contains(&real.display().to_string()));
        }
        assert!(root.holds_real(&real.join("a")));
        assert!(!root.holds_real(temp.path()));
        assert!(
            RootDir::anywhere()
                .confine(Path::new("/etc/passwd"))
                .is_ok()
        );
    }

    #[cfg(unix)]
    #[test]
    fn links_out_are_escapes() {
        let temp = tempfile::tempdir().expect("temp");
        let repo = temp.path().join("repo");
        std::fs::create_dir_all(&repo).expect("mkdir");
        std::os::unix::fs::symlink("/etc", repo.join("etc")).expect("link");
        std::os::unix::fs::symlink("/proc/self/environ", repo.join("env.yaml")).expect("link");
        std::fs::create_dir(repo.join("in")).expect("mkdir");
        std::os::unix::fs::symlink("in", repo.join("alias")).expect("link");
        let root = RootDir::new(&repo);
        for out in ["etc/passwd", "etc/none/x.yaml", "env.yaml"] {
            let escape = root.confine(&repo.join(out)).expect_err(out);
            assert_eq!(escape.how, " through a symbolic link", "{out}");
        }
        assert!(
            root.confine(&repo.join("alias/x.yaml")).is_ok(),
            "a link inside"
        );
    }

    #[test]
    fn the_repository_is_found_upwards() {
        let temp = tempfile::tempdir().expect("temp");
        std::fs::create_dir_all(temp.path().join("r/.git")).expect("mkdir");
        std::fs::create_dir_all(temp.path().join("r/a/b")).expect("mkdir");
        assert_eq!(
            RootDir::repository_of(&temp.path().join("r/a/b")),
            Some(temp.path().join("r"))
        );
    }
}
