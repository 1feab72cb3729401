//! The pods behind a Service: observed pods from a snapshot when the cluster has one, otherwise the
//! pods its workloads would run (`replicas`, each on its own node) and Pod manifests.
//!
//! Pods and workloads are indexed by (cluster, namespace, label) so that matching a selector looks
//! at the candidates sharing one of its labels, not at every pod of the run.

use std::collections::HashMap;

use super::{ClusterId, Inventory, ObjectId};
use crate::k8s::{Labels, PodTemplate, Spec, WorkloadKind, selector_matches};

/// Workloads with more replicas than this are planned with this many pods, and the plan says so.
pub const MAX_PLANNED_REPLICAS: u32 = 10_000;

/// One pod that backs a Service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetPod {
    pub name: String,
    pub node: String,
    /// The Pod or the workload it comes from.
    pub source: ObjectId,
}

/// What a Service's selector matches in its cluster.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Targets {
    /// The pods that count (serving observed pods, or planned ones).
    pub pods: Vec<TargetPod>,
    /// Matching workloads (Deployments, StatefulSets, ReplicaSets, DaemonSets).
    pub workloads: Vec<ObjectId>,
    /// Matching Pod objects, serving or not.
    pub pod_objects: Vec<ObjectId>,
    /// Matching DaemonSets whose pods are not counted: their count follows the nodes, which only a
    /// pod snapshot tells.
    pub uncounted: Vec<ObjectId>,
    /// Pods come from a snapshot (observed) rather than from workloads (planned).
    pub observed: bool,
    /// A workload had more than [`MAX_PLANNED_REPLICAS`] replicas.
    pub capped: bool,
}

#[derive(Debug, Default)]
pub struct TargetIndex {
    /// (cluster, namespace, label key, label value) -> pods and workloads carrying that label.
    by_label: HashMap<(ClusterId, String, String, String), Vec<ObjectId>>,
    /// (cluster, namespace, name) -> Service.
    services: HashMap<(ClusterId, String, String), ObjectId>,
    /// Clusters whose inputs hold at least one workload or pod: only there can lbplan say that a
    /// selector matches nothing.
    has_workloads: Vec<bool>,
}

impl TargetIndex {
    pub fn build(inv: &Inventory) -> TargetIndex {
        // A pod snapshot, even an empty one, tells what runs: a selector matching none of it is
        // knowably empty.
        let mut index = TargetIndex {
            has_workloads: inv.clusters.iter().map(|c| c.has_snapshot).collect(),
            ..TargetIndex::default()
        };

        for (id, entry) in inv.objects() {
            if entry.shadowed_by.is_some() {
                continue;
            }
            let object = &entry.object;
            let ns = &object.meta.namespace;
            let labels = match &object.spec {
                Spec::Workload(w) => &w.template.labels,
                Spec::Pod(_) => &object.meta.labels,
                Spec::Service(_) => {
                    index
                        .services
                        .entry((entry.cluster, ns.clone(), object.meta.name.clone()))
                        .or_insert(id);
                    continue;
                }
                Spec::Ingress(_) => continue,
            };
            if let Some(flag) = index.has_workloads.get_mut(entry.cluster.index()) {
                *flag = true;
            }
            for (k, v) in labels {
                index
                    .by_label
                    .entry((entry.cluster, ns.clone(), k.clone(), v.clone()))
                    .or_default()
                    .push(id);
            }
        }
        index
    }

    /// The Service `name` in `namespace` of `cluster`.
    pub fn service(&self, cluster: ClusterId, namespace: &str, name: &str) -> Option<ObjectId> {
        self.services
            .get(&(cluster, namespace.to_string(), name.to_string()))
            .copied()
    }

    /// Whether lbplan can know that a selector in `cluster` matches nothing.
    pub fn knows_workloads(&self, cluster: ClusterId) -> bool {
        self.has_workloads
            .get(cluster.index())
            .copied()
            .unwrap_or(false)
    }

    /// Objects in `cluster`/`namespace` whose pod labels satisfy `selector`.
    fn candidates<'a>(
        &'a self,
        inv: &'a Inventory,
        cluster: ClusterId,
        namespace: &str,
        selector: &'a Labels,
    ) -> impl Iterator<Item = ObjectId> + 'a {
        let first = selector.iter().next();
        let bucket = first.and_then(|(k, v)| {
            self.by_label
                .get(&(cluster, namespace.to_string(), k.clone(), v.clone()))
        });
        bucket.into_iter().flatten().copied().filter(move |&id| {
            let object = inv.object(id);
            let labels = match &object.spec {
                Spec::Workload(w) => &w.template.labels,
                _ => &object.meta.labels,
            };
            selector_matches(selector, labels)
        })
    }

    /// The targets of the Service `service`.
    pub fn targets(&self, inv: &Inventory, service: ObjectId) -> Targets {
        let mut targets = Targets::default();
        let entry = inv.placed(service);
        let Some(selector) = entry.object.as_service().and_then(|s| s.selector.as_ref()) else {
            return targets;
        };
        let cluster = entry.cluster;
        let observed = inv.cluster(cluster).has_snapshot;
        targets.observed = observed;
        let namespace = &entry.object.meta.namespace;
        let mut ids: Vec<ObjectId> = self.candidates(inv, cluster, namespace, selector).collect();
        ids.sort_unstable();
        ids.dedup();
        for id in ids {
            let object = inv.object(id);
            match &object.spec {
                Spec::Pod(pod) => {
                    targets.pod_objects.push(id);
                    // Observed pods count when they serve. Without them, a Pod manifest is a
                    // planned pod like a workload's, whatever status it carries: kubectl apply
                    // ignores the status.
                    let counts = if observed {
                        inv.placed(id).observed && pod.is_serving(object.meta.terminating)
                    } else {
                        true
                    };
                    if counts {
                        targets.pods.push(TargetPod {
                            name: object.meta.name.clone(),
                            node: pod
                                .template
                                .node_name
                                .clone()
                                .unwrap_or_else(|| format!("{}-node", object.meta.name)),
                            source: id,
                        });
                    }
                }
                Spec::Workload(workload) => {
                    targets.workloads.push(id);
                    if observed {
                        continue;
                    }
                    if workload.kind == WorkloadKind::DaemonSet {
                        targets.uncounted.push(id);
                        continue;
                    }
                    let replicas = workload.replicas.unwrap_or(1);
                    if replicas > MAX_PLANNED_REPLICAS {
                        targets.capped = true;
                    }
                    let name = &object.meta.name;
                    for i in 0..replicas.min(MAX_PLANNED_REPLICAS) {
                        targets.pods.push(TargetPod {
                            name: format!("{name}-{i}"),
                            node: format!("{name}-node-{i}"),
                            source: id,
                        });
                    }
                }
                _ => {}
            }
        }
        targets
    }
}

/// The pod template behind a target pod's source object.
pub fn template_of(inv: &Inventory, source: ObjectId) -> Option<&PodTemplate> {
    match &inv.object(source).spec {
        Spec::Pod(pod) => Some(&pod.template),
        Spec::Workload(w) => Some(&w.template),
        _ => None,
    }
}
