//! Where the paths of CI formats start: the repository's root, not the working folder. GitHub
//! annotations (`file=`), SARIF uploads and JUnit viewers resolve a path against the checkout,
//! so a run from a subfolder (`cd deploy && lbplan lint .`) must still name `deploy/web.yaml`.
//!
//! The root is the git top level (the nearest folder up from the working folder that holds
//! `.git`, found as config discovery finds it, without running git), else the folder of the
//! config file, else the working folder; reports say which ([`Root::describe`]). A name that is
//! no file on disk from the working folder (standard input, a git revision's `abc1234:path` in
//! `lbplan diff`) or that is outside the root stays as the run gives it
//! ([`super::Report::ci_name`]). Human, concise and JSON output keep naming files as the command
//! line did.

use std::path::{Component, Path, PathBuf};

/// Which folder the root is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RootKind {
    /// The git repository's top level.
    Git,
    /// The folder of the config file (no `.git` above the working folder).
    Config,
    /// The working folder (neither of the others).
    WorkingFolder,
}

/// The repository root of a run, and the working folder that input names start from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Root {
    pub dir: PathBuf,
    pub kind: RootKind,
    cwd: PathBuf,
}

impl Root {
    /// The root for a run in `cwd` (absolute) whose config file, if any, is `config` (as the run
    /// names it: relative to `cwd`, or absolute).
    pub fn find(cwd: &Path, config: Option<&Path>) -> Root {
        let git = cwd.ancestors().find(|dir| dir.join(".git").exists());
        let (dir, kind) = match (git, config) {
            (Some(top), _) => (top.to_path_buf(), RootKind::Git),
            (None, Some(config)) => (
                normalize(&cwd.join(config))
                    .parent()
                    .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf),
                RootKind::Config,
            ),
            (None, None) => (cwd.to_path_buf(), RootKind::WorkingFolder),
        };
        Root {
            dir,
            kind,
            cwd: cwd.to_path_buf(),
        }
    }

    /// What the root is, in words: `the git top level`.
    pub fn describe(&self) -> &'static str {
        match self.kind {
            RootKind::Git => "the git top level",
            RootKind::Config => "the config file's folder",
            RootKind::WorkingFolder => "the working folder",
        }
    }

    /// An input's name (relative to the working folder, or absolute) relative to the root, with
    /// `/` between its parts; `None` for a file outside the root.
    pub fn relative(&self, name: &str) -> Option<String> {
        let full = normalize(&self.cwd.join(name));
        let inside = full.strip_prefix(&self.dir).ok()?;
        let parts: Vec<String> = inside
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        Some(parts.join("/"))
    }
}

/// `path` with `.` and `..` resolved by its text (the working folder's own path has no symbolic
/// link left in it, and inputs are named from it).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(dir: &str, cwd: &str, kind: RootKind) -> Root {
        Root {
            dir: PathBuf::from(dir),
            kind,
            cwd: PathBuf::from(cwd),
        }
    }

    #[test]
    fn names_from_a_subfolder_become_relative_to_the_root() {
        let r = root("/repo", "/repo/deploy", RootKind::Git);
        let relative = |name: &str| r.relative(name);
        assert_eq!(
            relative("shop/web.yaml").as_deref(),
            Some("deploy/shop/web.yaml")
        );
        assert_eq!(
            relative("./shop/../web.yaml").as_deref(),
            Some("deploy/web.yaml")
        );
        assert_eq!(
            relative("../base/svc.yaml").as_deref(),
            Some("base/svc.yaml")
        );
        assert_eq!(relative("/repo/x.yaml").as_deref(), Some("x.yaml"));
        assert_eq!(relative("../../elsewhere/a.yaml"), None);
    }

    #[test]
    fn the_git_top_level_first_then_the_config_then_the_working_folder() {
        let work = tempfile::tempdir().expect("tempdir");
        let top = work.path().join("repo");
        let sub = top.join("deploy/prod");
        std::fs::create_dir_all(&sub).expect("mkdir");
        let found = Root::find(&sub, Some(Path::new("../.lbplan.yaml")));
        // No `.git` above a fresh temporary folder: the config's folder.
        assert_eq!(found.kind, RootKind::Config);
        assert_eq!(found.dir, top.join("deploy"));
        assert_eq!(found.relative("web.yaml").as_deref(), Some("prod/web.yaml"));
        let none = Root::find(&sub, None);
        assert_eq!(
            (none.kind, none.dir.as_path()),
            (RootKind::WorkingFolder, sub.as_path())
        );
        std::fs::create_dir(top.join(".git")).expect("mkdir .git");
        let git = Root::find(&sub, Some(Path::new("../.lbplan.yaml")));
        assert_eq!(
            (git.kind, git.dir.as_path()),
            (RootKind::Git, top.as_path())
        );
        assert_eq!(
            git.relative("web.yaml").as_deref(),
            Some("deploy/prod/web.yaml")
        );
        assert_eq!(git.describe(), "the git top level");
    }
}
