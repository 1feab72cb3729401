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
