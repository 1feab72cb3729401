//! Which program runs: one the person running lbplan named (a flag, else an environment
//! variable), else an engine name looked up on `PATH`. Never a program a file names.
//!
//! `PATH` is searched as Go's `exec.LookPath` has since Go 1.19: only absolute entries. An empty
//! entry or `.` means the working folder to a shell, which in CI is the pull request's checkout:
//! a `./kubectl` committed there must not run because `PATH` holds `.` or `""`.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// A program to run, found and made absolute before anything runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    /// Absolute: what runs, and what reports name.
    pub path: PathBuf,
}

/// Where an explicitly named program came from, for messages (`--kustomize-bin`,
/// `LBPLAN_KUSTOMIZE`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Named {
    /// The path as given, made absolute against the working folder when it was read.
    pub path: PathBuf,
    /// `--kustomize-bin` or `LBPLAN_KUSTOMIZE`.
    pub given_by: String,
}

/// Why no program could be found.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    /// The named program is not an executable file.
    #[error("{given_by} {path}: not an executable file")]
    NotExecutable { given_by: String, path: String },
    /// None of the engines is on `PATH`.
    #[error("{} not found on PATH (only its absolute entries are searched)", engines.join(" or "))]
    NotOnPath { engines: Vec<String> },
}

impl Program {
    /// The program to run: the one `flag` names, else the one the environment variable `env_var`
    /// names (an empty value counts as unset), else the first of `engines` found on `PATH`.
    ///
    /// A relative flag or variable value is taken from the working folder *now*: call this (or
    /// [`named`]) before a run changes folders.
    pub fn resolve(
        engines: &[&str],
        flag: Option<(&str, &Path)>,
        env_var: Option<&str>,
    ) -> Result<Program, ResolveError> {
        match named(flag, env_var) {
            Some(named) => Program::from_named(&named),
            None => Program::on_path(engines, std::env::var_os("PATH").as_deref()),
        }
    }

    /// The program a flag or variable named, checked.
    pub fn from_named(named: &Named) -> Result<Program, ResolveError> {
        let path = &named.path;
        // A bare name given on the command line is looked up as a shell would, absolute
        // entries only.
        if path.components().count() == 1 && !path.is_absolute() {
            if let Some(found) = lookup(path.as_os_str(), std::env::var_os("PATH").as_deref()) {
                return Ok(Program { path: found });
            }
        }
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.clone());
        if is_executable(&absolute) {
            Ok(Program { path: absolute })
        } else {
            Err(ResolveError::NotExecutable {
                given_by: named.given_by.clone(),
                path: crate::text::visible(&path.display().to_string()).into_owned(),
            })
        }
    }

    /// The first of `engines` found on `path_var` (the value of `PATH`).
    pub fn on_path(engines: &[&str], path_var: Option<&OsStr>) -> Result<Program, ResolveError> {
        engines
            .iter()
            .find_map(|name| lookup(OsStr::new(name), path_var))
            .map(|path| Program { path })
            .ok_or_else(|| ResolveError::NotOnPath {
                engines: engines.iter().map(|e| format!("`{e}`")).collect(),
            })
    }

    /// The program's file name (`kubectl`), as commands a user runs by hand show it.
    pub fn name(&self) -> String {
        self.path.file_name().map_or_else(
            || self.path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    }
}

/// The program the person running lbplan named: `flag` (its name and value), else the variable
/// `env_var` when it is set and not empty; made absolute against the working folder now.
pub fn named(flag: Option<(&str, &Path)>, env_var: Option<&str>) -> Option<Named> {
    let absolute = |path: &Path| {
        // A bare name stays a name: it is looked up on PATH.
        if path.components().count() == 1 && !path.is_absolute() {
            path.to_path_buf()
        } else {
            std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
        }
    };
    if let Some((name, path)) = flag {
        return Some(Named {
            path: absolute(path),
            given_by: name.to_string(),
        });
    }
    let var = env_var?;
    let value = std::env::var_os(var).filter(|v| !v.is_empty())?;
    Some(Named {
        path: absolute(Path::new(&value)),
        given_by: var.to_string(),
    })
}

/// `PATH` with its relative and empty entries dropped: what children are given, and searched.
pub fn absolute_entries(path_var: Option<&OsStr>) -> Vec<PathBuf> {
    path_var
        .map(|p| {
            std::env::split_paths(p)
                .filter(|dir| dir.is_absolute())
                .collect()
        })
        .unwrap_or_default()
}

/// A program on the search path, as an executable file; relative entries are skipped.
fn lookup(name: &OsStr, path_var: Option<&OsStr>) -> Option<PathBuf> {
    let mut names = vec![name.to_os_string()];
    if cfg!(windows) {
        let mut exe = name.to_os_string();
        exe.push(".exe");
        names.insert(0, exe);
    }
    absolute_entries(path_var)
        .into_iter()
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)).collect::<Vec<_>>())
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn executable(dir: &Path, name: &str) -> PathBuf {
        std::fs::create_dir_all(dir).expect("mkdir");
        let path = dir.join(name);
        std::fs::write(&path, "#!/bin/sh\n").expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        path
    }

    #[test]
    fn relative_and_empty_path_entries_are_never_searched() {
        let temp = tempfile::tempdir().expect("temp");
        let abs = temp.path().join("abs");
        executable(&abs, "kubectl");
        // `.`, `""` and `rel` would find the working folder's or a relative folder's kubectl.
        let var = std::env::join_paths([
            PathBuf::from("."),
            PathBuf::new(),
            PathBuf::from("rel"),
            abs.clone(),
        ])
        .expect("join");
        let found = Program::on_path(&["kustomize", "kubectl"], Some(&var)).expect("found");
        assert_eq!(found.path, abs.join("kubectl"));
        let only_relative = std::env::join_paths([".", "rel"]).expect("join");
        assert!(matches!(
            Program::on_path(&["kubectl"], Some(&only_relative)),
            Err(ResolveError::NotOnPath { .. })
        ));
        assert_eq!(absolute_entries(Some(&var)), [abs]);
    }

    #[test]
    fn engines_are_tried_in_order_and_must_be_executable() {
        let temp = tempfile::tempdir().expect("temp");
        executable(temp.path(), "kubectl");
        std::fs::write(temp.path().join("kustomize"), "not executable").expect("write");
        let var = temp.path().as_os_str();
        let found = Program::on_path(&["kustomize", "kubectl"], Some(var)).expect("found");
        assert_eq!(found.name(), "kubectl");
    }

    #[test]
    fn a_named_program_must_be_an_executable_file() {
        let temp = tempfile::tempdir().expect("temp");
        let program = executable(temp.path(), "my-kustomize");
        let named = |path: &Path| Named {
            path: path.to_path_buf(),
            given_by: "--kustomize-bin".into(),
        };
        assert_eq!(
            Program::from_named(&named(&program)).expect("ok").path,
            program
        );
        let missing = Program::from_named(&named(&temp.path().join("none"))).expect_err("none");
        assert!(
            missing.to_string().starts_with("--kustomize-bin "),
            "{missing}"
        );
        assert!(
            missing.to_string().ends_with("not an executable file"),
            "{missing}"
        );
        assert!(
            Program::from_named(&named(temp.path())).is_err(),
            "a folder"
        );
    }

    #[test]
    fn a_flag_wins_over_the_variable_and_an_empty_variable_is_unset() {
        let flag = named(Some(("--kustomize-bin", Path::new("/opt/k"))), Some("PATH"));
        assert_eq!(flag.map(|n| n.given_by), Some("--kustomize-bin".into()));
        // No variable of that name: nothing named.
        assert_eq!(named(None, Some("LBPLAN_TEST_SURELY_UNSET_VARIABLE")), None);
        assert_eq!(
            named(Some(("--x", Path::new("rel/k"))), None).map(|n| n.path.is_absolute()),
            Some(true)
        );
        assert_eq!(
            named(Some(("--x", Path::new("kubectl"))), None).map(|n| n.path),
            Some(PathBuf::from("kubectl")),
            "a bare name stays a name, looked up on PATH"
        );
    }
}
