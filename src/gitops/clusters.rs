//! From GitOps objects to the clusters of a run: every cluster a destination names, with the
//! sources it deploys, and `default` for the files no object deploys (they keep the placements
//! of a run without config). Clusters are sorted by name; `default`, unless a destination names
//! it, comes last (and a run leaves it out when no file is left to it).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::scan::{Repo, Scanned, scan};
use super::{Deployment, Reading, appset, argo, flux};
use crate::config::{ClusterOrigin, ClusterSetup, Config, OriginKind, SourceSetup};
use crate::source::read::Budget;
use crate::source::walk::WalkOptions;

/// What the GitOps objects of a repository say.
#[derive(Debug, Default)]
pub struct GitOps {
    /// The clusters they deploy to, and the cluster of what they leave (`unclaimed`); empty
    /// when the repository holds no object that deploys anything from it.
    pub setups: Vec<ClusterSetup>,
    pub notes: Vec<String>,
    /// How many Argo CD and Flux objects were found (`Kind` → count), for the note a config
    /// with `clusters:` gets.
    pub found: BTreeMap<String, usize>,
}

/// The name of the cluster of the files no GitOps object deploys.
pub const UNCLAIMED: &str = "default";

/// Read the GitOps objects among the run's inputs (`roots`, the folders and files it reads,
/// walked as it walks them); the paths they name are relative to the repository holding the run
/// (`config.root`, else `cwd`).
pub fn read(
    config: &Config,
    cwd: &Path,
    roots: &[PathBuf],
    options: &WalkOptions,
    budget: &Budget,
) -> GitOps {
    let root_dir = config
        .root
        .path()
        .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf);
    let repo = Repo::new(&root_dir, cwd);
    let scanned = scan(
        &repo,
        roots,
        options,
        budget,
        |objects: &[super::scan::Doc]| {
            objects.iter().any(|d| {
                d.value.pointer("/spec/postBuild/substituteFrom").is_some()
                    || d.value.pointer("/spec/valuesFrom").is_some()
            })
        },
    );
    let mut gitops = GitOps::default();
    for doc in &scanned.objects {
        *gitops.found.entry(doc.kind().to_string()).or_default() += 1;
    }
    if scanned.objects.is_empty() || !config.file.clusters.is_empty() {
        return gitops;
    }
    let (deployments, notes) = deployments(&repo, &config.root, &scanned);
    gitops.notes = notes;
    gitops.setups = setups(deployments);
    gitops
}

/// Everything the objects deploy, and the notes reading them gave.
pub(super) fn deployments(
    repo: &Repo,
    root: &crate::source::confine::RootDir,
    scanned: &Scanned,
) -> (Vec<Deployment>, Vec<String>) {
    let mut r = Reading {
        repo,
        root,
        scanned,
        deployments: Vec::new(),
        notes: Vec::new(),
        here: BTreeSet::new(),
    };
    for doc in &scanned.objects {
        if doc.api_group() != "argoproj.io" {
            continue;
        }
        match doc.kind() {
            "Application" => argo::application(&mut r, &doc.value, &doc.label()),
            "ApplicationSet" => appset::application_set(&mut r, doc),
            _ => {}
        }
    }
    flux::read(&mut r);
    let here: Vec<String> = r.here.iter().cloned().collect();
    let mut notes = r.notes;
    if !here.is_empty() {
        notes.insert(
            0,
            format!(
                "GitOps sources of {} are read from this repository (the paths they name exist here)",
                here.join(", ")
            ),
        );
    }
    (r.deployments, notes)
}

/// One cluster per destination, sorted by name, each with its sources in the objects' order;
/// then the cluster of what no object deploys (the destination `default` is that cluster too).
pub(super) fn setups(deployments: Vec<Deployment>) -> Vec<ClusterSetup> {
    if deployments.is_empty() {
        return Vec::new();
    }
    let mut clusters: BTreeMap<String, (OriginKind, String, Vec<SourceSetup>)> = BTreeMap::new();
    for d in deployments {
        let entry = clusters
            .entry(d.cluster)
            .or_insert_with(|| (d.origin, d.evidence, Vec::new()));
        if !entry.2.contains(&d.source) {
            entry.2.push(d.source);
        }
    }
    let mut setups: Vec<ClusterSetup> = clusters
        .into_iter()
        .map(|(name, (source, evidence, sources))| {
            let mut setup = ClusterSetup::named(&name, ClusterOrigin { source, evidence });
            setup.sources = sources;
            setup.unclaimed = name == UNCLAIMED;
            setup
        })
        .collect();
    if !setups.iter().any(|s| s.unclaimed) {
        let mut rest = ClusterSetup::named(
            UNCLAIMED,
            ClusterOrigin {
                source: OriginKind::Unclaimed,
                evidence: "the files no Argo CD or Flux object of the repository deploys".into(),
            },
        );
        rest.unclaimed = true;
        setups.push(rest);
    }
    setups
}

/// The note a config with `clusters:` gets when the repository holds GitOps objects too.
pub fn config_wins_note(found: &BTreeMap<String, usize>, config: &str) -> Option<String> {
    let total: usize = found.values().sum();
    if total == 0 {
        return None;
    }
    let kinds: Vec<String> = found.iter().map(|(k, n)| format!("{n} {k}")).collect();
    Some(format!(
        "GitOps objects not read for clusters ({}): the clusters of {config} are used instead",
        kinds.join(", ")
    ))
}
