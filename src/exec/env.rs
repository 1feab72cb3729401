//! What a program lbplan runs sees of the environment: a cleared one, plus an allow-list (`PATH`'s
//! absolute entries, `HOME` and `TMPDIR` in a private temporary folder, helm's cache, config and
//! data homes there too, `LANG`, the documented `KUSTOMIZE_*` variables) and the caller's fixed
//! variables. Tokens and credentials of the CI job never reach it, nor do the user's helm
//! repositories, registry logins and plugins.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use super::cleanup::TempFolder;
use super::program::absolute_entries;

/// Variables passed through from lbplan's own environment, when set (part of a render's cache
/// key: the renderer reads them).
pub const PASSED: [&str; 3] = [
    "LANG",
    "KUSTOMIZE_PLUGIN_HOME",
    "KUSTOMIZE_ENABLE_ALPHA_COMMANDS",
];

/// Set for every program lbplan runs: kubectl, kustomize and helm are Go programs, and a render
/// is a short process whose garbage collector, at Go's default (`GOGC=100`), took about a quarter
/// of its CPU (one overlay of the render bench: 219 ms of CPU at the default, 159 ms at 400, for
/// 12 MB more resident memory). Collecting at 5x the live heap instead of 2x spends that memory
/// to save that time; the memory limit turns collection back on in earnest for a render whose
/// heap nears 1 GiB, where 5x would be too much. Neither changes what a render prints, so neither
/// is part of a render's cache key. git ignores both.
pub const GO_RUNTIME: [(&str, &str); 2] = [("GOGC", "400"), ("GOMEMLIMIT", "1GiB")];

/// A private temporary folder (`lbplan-exec-*`) whose `home/` and `tmp/` are the `HOME` and
/// `TMPDIR` of the programs run with it: nothing they write lands in the user's home, and all
/// of it goes when the folder does (or on a signal).
#[derive(Debug)]
pub struct Scratch {
    folder: TempFolder,
}

impl Scratch {
    /// A new one under `parent` (else the system's temporary folder).
    pub fn new(parent: Option<&Path>) -> std::io::Result<Scratch> {
        let folder = TempFolder::new("lbplan-exec-", parent)?;
        std::fs::create_dir(folder.path().join("home"))?;
        std::fs::create_dir(folder.path().join("tmp"))?;
        Ok(Scratch { folder })
    }

    fn home(&self) -> PathBuf {
        self.folder.path().join("home")
    }

    fn tmp(&self) -> PathBuf {
        self.folder.path().join("tmp")
    }

    /// helm's homes, each a folder of the scratch folder that helm makes when it needs it: no
    /// repository index, registry login or plugin of the user's is seen, and nothing helm caches
    /// outlives the run.
    fn helm_homes(&self) -> [(&'static str, PathBuf); 3] {
        let helm = self.folder.path().join("helm");
        [
            ("HELM_CACHE_HOME", helm.join("cache")),
            ("HELM_CONFIG_HOME", helm.join("config")),
            ("HELM_DATA_HOME", helm.join("data")),
        ]
    }
}

/// The environment of every program: the allow-list, then the caller's fixed variables.
pub(super) fn environment(
    scratch: &Scratch,
    fixed: &[(&str, &OsStr)],
) -> Vec<(OsString, OsString)> {
    let mut env = Vec::new();
    let path = absolute_entries(std::env::var_os("PATH").as_deref());
    if let Ok(joined) = std::env::join_paths(path) {
        env.push((OsString::from("PATH"), joined));
    }
    env.push((OsString::from("HOME"), scratch.home().into_os_string()));
    env.push((OsString::from("TMPDIR"), scratch.tmp().into_os_string()));
    for (name, home) in scratch.helm_homes() {
        env.push((OsString::from(name), home.into_os_string()));
    }
    for (name, value) in GO_RUNTIME {
        env.push((OsString::from(name), OsString::from(value)));
    }
    for name in PASSED {
        if let Some(value) = std::env::var_os(name) {
            env.push((OsString::from(name), value));
        }
    }
    for (name, value) in fixed {
        env.push((OsString::from(name), value.to_os_string()));
    }
    env
}
