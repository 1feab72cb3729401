//! What describes the live cluster: kubectl exports (pod snapshots included), dumps of the
//! cluster's pods among the manifests, and the cluster facts they give, merged under the flags
//! and the config.
//!
//! Observed pods never switch a cluster silently: they come from a declared pod snapshot
//! (`--pods`, `clusters[].pods`, even an empty one), an export that holds pods, or a manifest file
//! that is itself a dump of the cluster's pods (`kubectl get pods -o yaml`: a `List` or `PodList`
//! of Pods with status). The model records which files, so that the plan's assumptions and the
//! findings about targets can name them.

use super::{Gathered, Loaded};
use crate::config::ClusterSetup;
use crate::facts::ClusterFacts;
use crate::facts::export::{ExportRead, ExportSeen, ValueSeen, global_route_setting};
use crate::inputs::{Job, Role};
use crate::k8s::Spec;
use crate::model::{ClusterId, PlacedObject};
use crate::source::discover::IoProblem;
use crate::source::{FileId, SourceFile};

/// What an export is to its cluster, for messages.
fn what(role: Role, cluster: Option<&str>) -> String {
    let cluster = cluster.unwrap_or("default");
    match role {
        Role::Snapshot => {
            format!("the pod snapshot of cluster {cluster}, --pods or clusters[].pods")
        }
        _ => format!("an export of cluster {cluster}, --cluster-export or clusters[].exports"),
    }
}

/// The message for an export that could not be read.
pub(super) fn unreadable(role: Role, message: &str, cluster: Option<&str>) -> String {
    format!("{message} ({})", what(role, cluster))
}

impl Gathered {
    pub(super) fn new(clusters: usize) -> Gathered {
        Gathered {
            objects: Vec::new(),
            observed_from: vec![Vec::new(); clusters],
            exports: vec![Vec::new(); clusters],
            global_route: vec![Vec::new(); clusters],
            unmodelled: Vec::new(),
        }
    }

    /// Whether any object read belongs to cluster `index`.
    pub(super) fn used_by(&self) -> impl Fn(usize) -> bool + '_ {
        move |index| {
            self.objects.iter().any(|o| o.cluster.index() == index)
                || self.unmodelled.iter().any(|(c, _)| c.index() == index)
        }
    }

    /// Record what a manifest file says about its cluster: it is a dump of the cluster's pods
    /// (`observed`), or holds the TKE service controller's config.
    pub(super) fn manifest(&mut self, job: &Job, observed: bool, global_route: Vec<ValueSeen>) {
        if observed {
            if let Some(files) = self.observed_from.get_mut(job.cluster) {
                files.push(job.input.name.clone());
            }
        }
        if let Some(settings) = self.global_route.get_mut(job.cluster) {
            settings.extend(
                global_route
                    .into_iter()
                    .map(|v| (job.input.name.clone(), v)),
            );
        }
    }

    /// Each cluster's facts: the flags and the config (in `setups`), then the exports, then the
    /// manifests; and the notes of the run where they disagree.
    pub(super) fn facts(&self, setups: &[ClusterSetup]) -> (Vec<ClusterFacts>, Vec<String>) {
        let mut notes = Vec::new();
        let mut all = Vec::new();
        for (i, setup) in setups.iter().enumerate() {
            let mut facts = setup.facts.clone();
            facts.origin = Some((setup.origin.source.as_str(), setup.origin.evidence.clone()));
            if let Some(exports) = self.exports.get(i) {
                facts.apply_exports(exports);
            }
            if let Some(settings) = self.global_route.get(i).filter(|s| !s.is_empty()) {
                let settings: Vec<(&str, &ValueSeen)> =
                    settings.iter().map(|(f, v)| (f.as_str(), v)).collect();
                facts.apply_manifest_global_route(global_route_setting(&settings));
            }
            notes.extend(
                facts
                    .remarks
                    .values()
                    .filter(|r| r.kind.is_note())
                    .map(|r| format!("cluster {}: {}", facts.name, r.text)),
            );
            all.push(facts);
        }
        (all, notes)
    }
}

impl Loaded {
    /// Record one export: its pods are the cluster's observed pods, what it shows goes to the
    /// cluster's facts. One that is not what kubectl exports is an error naming it, and unused.
    pub(super) fn add_export(
        &mut self,
        job: &Job,
        read: ExportRead,
        cluster_name: Option<&str>,
        gathered: &mut Gathered,
    ) -> FileId {
        let name = job.input.name.clone();
        if let Some(problem) = read.problem {
            self.io_problems.push(IoProblem {
                path: name.clone(),
                message: format!("{problem} ({}; not used)", what(job.role, cluster_name)),
            });
            return self.sources.add(SourceFile::unreadable(name));
        }
        self.counts.files += 1;
        if read.empty {
            // A pod snapshot that says nothing is no proof that no pod runs: not used as one.
            let used = match job.role {
                Role::Snapshot => {
                    "; not used as the pod snapshot: pods are planned from the workloads"
                }
                _ => "",
            };
            self.notes.push(format!(
                "{name}: empty, nothing exported here (kubectl prints nothing when --ignore-not-found finds none of the objects asked for){used}"
            ));
            return self.sources.add(SourceFile::unreadable(name));
        }
        self.counts.documents += read.documents;
        self.counts.objects += read.objects;
        let pods: Vec<_> = read
            .pods
            .into_iter()
            .filter(|o| matches!(&o.spec, Spec::Pod(p) if p.status.is_some()))
            .collect();
        if job.role == Role::Snapshot || !pods.is_empty() {
            if let Some(files) = gathered.observed_from.get_mut(job.cluster) {
                files.push(name.clone());
            }
        }
        gathered
            .objects
            .extend(pods.into_iter().map(|object| PlacedObject {
                from_snapshot: true,
                observed: true,
                ..PlacedObject::new(object, ClusterId::new(job.cluster))
            }));
        if !read.seen.unused.is_empty() {
            let counts: Vec<String> = read
                .seen
                .unused
                .iter()
                .map(|(kind, n)| format!("{n} {kind}"))
                .collect();
            self.notes.push(format!(
                "{name}: {} not read: exports give lbplan Nodes, Pods, the server version, kube-system's DaemonSets, Deployments and ConfigMaps kube-proxy, tke-cni-agent-conf and tke-service-controller-config",
                counts.join(", ")
            ));
        }
        if let Some(exports) = gathered.exports.get_mut(job.cluster) {
            exports.push(ExportSeen {
                file: name.clone(),
                seen: read.seen,
            });
        }
        self.sources.add(SourceFile::new(name, read.text))
    }
}
