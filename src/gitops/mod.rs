//! GitOps objects: which folder or chart of the repository goes to which cluster and namespace,
//! as Argo CD `Application`s and `ApplicationSet`s and Flux `Kustomization`s and `HelmRelease`s
//! say it. Reading them is pure parsing (no program runs, nothing leaves the repository).
//!
//! - `scan.rs` finds the objects; `argo.rs` reads Applications, `appset.rs` expands
//!   ApplicationSets (list, git directories and files, matrix and merge of those; `template.rs`
//!   renders their templates); `flux.rs` reads Kustomizations and HelmReleases and which cluster
//!   each is in; `substitute.rs` is Flux's post-build substitution; the globs both write paths in are
//!   `source/glob.rs`.
//! - `clusters.rs` turns what they deploy into the clusters of a run: each destination a
//!   cluster (named by the destination's `name`, else its server's host), each source its
//!   [`SourceSetup`], and one more cluster, `default`, for the files no object deploys.
//!
//! A source is taken as this repository when its path exists here, whatever its `repoURL` says
//! (one note names each such URL); a path that does not exist, a chart repository or an OCI
//! source is outside, and gets a note. Every path an object names stays in the repository.

pub mod appset;
mod argo;
mod clusters;
mod digest;
mod flux;
pub mod scan;
pub mod substitute;
mod template;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub use clusters::{config_wins_note, read};

use crate::config::{OriginKind, SourceSetup};
use crate::source::confine::RootDir;
use scan::{Repo, Scanned};

/// One thing a GitOps object deploys, in one cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployment {
    /// The cluster, as named by the destination (or by Flux's layout).
    pub cluster: String,
    pub origin: OriginKind,
    /// How the cluster got its name: `Application argocd/web (apps/web.yaml:3):
    /// destination.server https://10.0.0.1:6443`.
    pub evidence: String,
    pub source: SourceSetup,
}

/// What reading the objects gathers.
struct Reading<'a> {
    repo: &'a Repo,
    root: &'a RootDir,
    scanned: &'a Scanned,
    deployments: Vec<Deployment>,
    notes: Vec<String>,
    /// The repository URLs whose paths were found here.
    here: BTreeSet<String>,
}

/// What a repository-relative path an object names turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Local {
    /// A folder of this repository: its path relative to the root, and as the run names it.
    Folder(String, PathBuf),
    /// A file of this repository.
    File(String, PathBuf),
    /// Nothing here: another repository's, or missing.
    Missing,
    /// A path that climbs out of the repository (`..`, a link): refused.
    Outside(String),
}

impl Reading<'_> {
    fn note(&mut self, note: String) {
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    /// `rel`, relative to the repository's root (`./apps/web`, `/apps/web`, `apps/web/`).
    fn local(&self, rel: &str) -> Local {
        let clean = rel.trim().trim_start_matches('/');
        let joined = crate::render::wrapper::normalize(&self.repo.real.join(clean));
        // Named by the object's own words: the confinement's message holds absolute paths of
        // this machine.
        let Ok(confined) = self.root.confine(&joined) else {
            return Local::Outside(format!("{} leads outside the repository", rel.trim()));
        };
        if !confined.starts_with(&self.repo.real) {
            return Local::Outside(format!("{rel} is outside the repository"));
        }
        let Ok(real) = std::fs::canonicalize(&confined) else {
            return Local::Missing;
        };
        if !self.root.holds_real(&real) || !real.starts_with(&self.repo.real) {
            return Local::Outside(format!("{rel} leads outside the repository"));
        }
        let rel = self.repo.rel(&real).unwrap_or_default();
        let shown = self.repo.path(&rel);
        if real.is_dir() {
            Local::Folder(rel, shown)
        } else {
            Local::File(rel, shown)
        }
    }

    /// Record that `url`'s paths were found in this repository (one note per URL, at the end).
    fn here(&mut self, url: &str) {
        if !url.trim().is_empty() {
            self.here.insert(without_credentials(url.trim()));
        }
    }

    fn deploy(&mut self, deployment: Deployment) {
        if !self.deployments.contains(&deployment) {
            self.deployments.push(deployment);
        }
    }
}

/// A cluster name lbplan accepts (letters, digits, `-`, `_`, `.`): anything else becomes `-`,
/// and such a name ends with 8 hexadecimal digits of the SHA-256 of the name as written, so that
/// two names that differ only where they were replaced (`生产`, `测试`) stay two clusters.
fn cluster_name(text: &str) -> String {
    let name: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if name == text && !name.is_empty() {
        return name;
    }
    let hash = digest::sha256_hex(text.as_bytes());
    format!("{name}-{}", hash.get(..8).unwrap_or(&hash))
}

/// `url` without the user and password it may carry (`https://user:token@host/...` and
/// `https://TOKEN@host/...` become `https://***@host/...`): notes and evidence name the URL,
/// never a credential.
fn without_credentials(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at_checked(authority_end).unwrap_or((rest, ""));
    match authority.rsplit_once('@') {
        // `git@` is ssh's conventional user, no secret.
        Some((user, host)) if user != "git" => format!("{scheme}://***@{host}{path}"),
        _ => url.to_string(),
    }
}

/// Whether a folder is a Helm chart, a kustomization, or plain manifests (Argo CD's tool
/// detection, without an explicit tool).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tool {
    Helm,
    Kustomize,
    Directory,
}

fn detect(folder: &Path) -> Tool {
    if folder.join("Chart.yaml").is_file() {
        Tool::Helm
    } else if crate::render::kustomization::file_in(folder).is_some() {
        Tool::Kustomize
    } else {
        Tool::Directory
    }
}

#[cfg(test)]
mod tests {
    use super::{cluster_name, without_credentials};

    #[test]
    fn names_lbplan_accepts_stay_and_others_stay_apart() {
        assert_eq!(cluster_name("prod-hk.1"), "prod-hk.1");
        let (a, b) = (cluster_name("生产"), cluster_name("测试"));
        assert!(a.starts_with("---") && b.starts_with("---"), "{a} {b}");
        assert_ne!(a, b);
        assert_eq!(a, cluster_name("生产"));
        assert!(cluster_name("").starts_with('-'));
    }

    #[test]
    fn credentials_are_left_out_of_urls() {
        assert_eq!(
            without_credentials("https://user:token@git.example.com/a/b.git"),
            "https://***@git.example.com/a/b.git"
        );
        assert_eq!(
            without_credentials("https://10.0.0.1:6443"),
            "https://10.0.0.1:6443"
        );
        assert_eq!(
            without_credentials("git@github.com:acme/fleet.git"),
            "git@github.com:acme/fleet.git"
        );
        assert_eq!(
            without_credentials("ssh://git@github.com/acme/fleet"),
            "ssh://git@github.com/acme/fleet"
        );
        assert_eq!(
            without_credentials("https://ghp_secret@github.com/acme/fleet"),
            "https://***@github.com/acme/fleet"
        );
    }
}
