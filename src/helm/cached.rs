//! Helm renders kept in the render cache (`crate::cache`), as Kustomize's are
//! (`render/cached.rs`): the key is helm's identity and version, the flags lbplan renders with
//! (release name, namespace, `--set` parameters, `--kube-version`, whether schema validation is
//! skipped), the environment variables helm is given from lbplan's, every file of the chart tree
//! the copy read (templates, values, metadata, dependencies) by its path relative to the chart,
//! and the release's values (files by their bytes, inline values by their text), each file by the
//! digest the copy took as it read it. The copy is still read on a hit (locations and notes come
//! from it), but neither written (unless it is large: `copy/files.rs`) nor rendered.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::Release;
use super::copy::Copied;
use super::process::Helm;
use crate::cache::{HELM, Identity, Key, KeyBuilder, Store};

/// The cache as one run's chart renders use it.
pub struct HelmCache<'a> {
    pub store: &'a Store,
    /// helm's identity, and its version (`None`: unknown, nothing cached).
    pub renderer: Option<(Identity, String)>,
    /// The time limit renders run within (`render.timeout`): a render made within a longer one
    /// is not taken by a run whose limit would have stopped it, as for Kustomize.
    pub timeout: std::time::Duration,
}

/// One render, as kept: helm's output and the warnings it wrote.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub text: String,
    pub warnings: Vec<String>,
}

impl HelmCache<'_> {
    /// The key of rendering `release` from its copy, by `helm`: made of the digests the copy took
    /// of the bytes it read, so no file is read again (and none can change between the key and
    /// the render). `None` when a file cannot be named relative to the chart.
    pub fn key(&self, helm: &Helm, release: &Release, copied: &Copied) -> Option<Key> {
        let (identity, version) = self.renderer.as_ref()?;
        let chart = copied.tree.real.as_deref()?;
        let mut key = KeyBuilder::new(HELM, identity, version);
        key.flag("release", &release.name)
            .flag("namespace", &release.namespace)
            .flag("kube-version", &release.kube_version)
            .flag("skip-schema-validation", &helm.skips_schema.to_string())
            .flag("timeout", &format!("{}ms", self.timeout.as_millis()));
        for set in &release.set {
            let flag = if set.string { "set-string" } else { "set" };
            key.flag(flag, &format!("{}={}", set.key, set.value));
        }
        for name in crate::exec::PASSED {
            key.env(name, std::env::var_os(name).as_deref());
        }
        for (i, values) in copied.values.iter().enumerate() {
            key.file_digest(&format!("values {i}"), values.digest);
        }
        for (file, digest) in &copied.files {
            let name = crate::render::wrapper::relative(chart, file)?;
            key.file_digest(&name.to_string_lossy().replace('\\', "/"), *digest);
        }
        Some(key.finish())
    }

    pub fn get(&self, key: &Key) -> Option<Entry> {
        serde_json::from_slice(&self.store.get(HELM, key)?).ok()
    }

    pub fn put(&self, key: &Key, entry: &Entry) {
        if let Ok(bytes) = serde_json::to_vec(entry) {
            self.store.put(HELM, key, &bytes);
        }
    }
}

/// helm's identity and version: the version from the cache when a run asked it before (no
/// process), else by `ask`, then kept.
pub fn version(
    store: &Store,
    program: &Path,
    ask: impl FnOnce() -> Result<String, String>,
) -> (Option<Identity>, Result<String, String>) {
    let identity = Identity::of(program).ok();
    if let Some(known) = identity.as_ref().and_then(|id| store.version(id)) {
        return (identity, Ok(known));
    }
    let asked = ask();
    if let (Some(id), Ok(version)) = (&identity, &asked) {
        store.put_version(id, version);
    }
    (identity, asked)
}

#[cfg(test)]
mod tests;
