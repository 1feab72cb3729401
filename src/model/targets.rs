//! The pods behind a Service: observed pods from a snapshot when the cluster has one, otherwise the
//! pods its workloads would run (`replicas`, each on its own node) and Pod manifests.
//!
//! Pods and workloads are indexed by (cluster, namespace, label) so that matching a selector looks
//! at the candidates sharing one of its labels, not at every pod of the run. Target pods are
//! counted, never listed one by one: a workload stands for its replicas ([`TargetPods::Replicas`]),
//! whatever their number, and Services with the same selector in one namespace share one
//! [`Targets`]. The plan expands members only as far as an output asks (`--members`).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::{ClusterId, Inventory, ObjectId, PlacementId};
use crate::k8s::{Labels, PodTemplate, Spec, WorkloadKind, selector_matches};

/// Pods that back a Service, as the inputs give them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetPods {
    /// One Pod object: an observed pod, or a Pod manifest. Its name and node are the object's
    /// (`metadata.name`, `spec.nodeName`).
    Pod(ObjectId),
    /// `count` pods of a workload's replicas (no pod snapshot), which lbplan assumes Ready, each
    /// on its own node: pods `<workload>-<i>` on nodes `<workload>-node-<i>`, `i` from 0.
    Replicas { workload: ObjectId, count: u32 },
}

impl TargetPods {
    /// The Pod or the workload the pods come from.
    pub fn source(self) -> ObjectId {
        match self {
            TargetPods::Pod(id) | TargetPods::Replicas { workload: id, .. } => id,
        }
    }

    /// How many pods.
    pub fn count(self) -> u32 {
        match self {
            TargetPods::Pod(_) => 1,
            TargetPods::Replicas { count, .. } => count,
        }
    }
}

/// What a Service's selector matches in its cluster.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Targets {
    /// The pods that count (serving observed pods, or planned ones), in input order of their
    /// sources; a workload without replicas is not among them.
    pub pods: Vec<TargetPods>,
    /// Matching workloads (Deployments, StatefulSets, ReplicaSets, DaemonSets).
    pub workloads: Vec<ObjectId>,
    /// Matching Pod objects, serving or not.
    pub pod_objects: Vec<ObjectId>,
    /// Matching DaemonSets whose pods are not counted: their count follows the nodes, which only a
    /// pod snapshot tells.
    pub uncounted: Vec<ObjectId>,
    /// Pods come from a snapshot (observed) rather than from workloads (planned).
    pub observed: bool,
}

impl Targets {
    /// How many target pods: the N of the weight formulas.
    pub fn pod_count(&self) -> u64 {
        self.pods.iter().map(|p| u64::from(p.count())).sum()
    }

    /// The Pods and workloads the target pods come from, each once.
    pub fn sources(&self) -> impl Iterator<Item = ObjectId> + '_ {
        self.pods.iter().map(|p| p.source())
    }
}

/// A selector in its cluster, placement and namespace: Services with equal keys have equal
/// targets.
type SelectorKey<'a> = (
    ClusterId,
    Option<PlacementId>,
    &'a str,
    Vec<(&'a String, &'a String)>,
);

#[derive(Debug, Default)]
pub struct TargetIndex {
    /// (cluster, namespace, label key, label value) -> pods and workloads carrying that label.
    by_label: HashMap<(ClusterId, String, String, String), Vec<ObjectId>>,
    /// (cluster, namespace, name) -> the Service's planned copies (one per placement).
    services: HashMap<(ClusterId, String, String), Vec<ObjectId>>,
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
                        .or_default()
                        .push(id);
                    continue;
                }
                Spec::Ingress(_) | Spec::ControllerState(_) => continue,
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

    /// The Service `name` in `namespace` that object `from` (an Ingress) reaches: in its
    /// cluster, and of several copies the one nearest `from`'s placement.
    pub fn service(
        &self,
        inv: &Inventory,
        from: ObjectId,
        namespace: &str,
        name: &str,
    ) -> Option<ObjectId> {
        let cluster = inv.placed(from).cluster;
        let copies = self
            .services
            .get(&(cluster, namespace.to_string(), name.to_string()))?;
        nearest(inv, from, copies.iter().copied())
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

    /// The targets of every Service in `services`, computed once per (cluster, namespace,
    /// selector) and shared by the Services that have the same.
    pub fn all(
        &self,
        inv: &Inventory,
        services: impl IntoIterator<Item = ObjectId>,
    ) -> BTreeMap<ObjectId, Arc<Targets>> {
        let mut shared: HashMap<SelectorKey, Arc<Targets>> = HashMap::new();
        let mut out = BTreeMap::new();
        for service in services {
            let entry = inv.placed(service);
            let Some(selector) = entry.object.as_service().and_then(|s| s.selector.as_ref()) else {
                out.insert(service, Arc::new(Targets::default()));
                continue;
            };
            let (cluster, namespace) = (entry.cluster, entry.object.meta.namespace.as_str());
            let key = (
                cluster,
                entry.placement,
                namespace,
                selector.iter().collect(),
            );
            let targets = shared
                .entry(key)
                .or_insert_with(|| Arc::new(self.matching(inv, service, namespace, selector)));
            out.insert(service, Arc::clone(targets));
        }
        out
    }

    /// What `selector` of `service` matches in `namespace` of its cluster: the objects it meets
    /// (see [`Inventory::meet`]), and of a workload's copies in several placements, the nearest.
    fn matching(
        &self,
        inv: &Inventory,
        service: ObjectId,
        namespace: &str,
        selector: &Labels,
    ) -> Targets {
        let cluster = inv.placed(service).cluster;
        let observed = inv.cluster(cluster).has_snapshot;
        let mut targets = Targets {
            observed,
            ..Targets::default()
        };
        let mut ids: Vec<ObjectId> = self
            .candidates(inv, cluster, namespace, selector)
            .filter(|&id| inv.meet(service, id))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        if !inv.placements.is_empty() {
            ids = one_copy_each(inv, service, &ids);
        }
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
                        targets.pods.push(TargetPods::Pod(id));
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
                    let count = workload.replicas.unwrap_or(1);
                    if count > 0 {
                        targets.pods.push(TargetPods::Replicas {
                            workload: id,
                            count,
                        });
                    }
                }
                _ => {}
            }
        }
        targets
    }
}

/// Of several copies of one object (in several placements), the one nearest `from`'s
/// placement; the last one when `from` has none. `None` when `from` meets none of them.
fn nearest(
    inv: &Inventory,
    from: ObjectId,
    copies: impl Iterator<Item = ObjectId>,
) -> Option<ObjectId> {
    let own = inv.placement_of(from);
    copies
        .filter(|&c| inv.meet(from, c))
        .map(|c| {
            let distance = match (own, inv.placement_of(c)) {
                (Some(a), Some(b)) => a.distance(b).unwrap_or(usize::MAX),
                _ => 0,
            };
            (distance, std::cmp::Reverse(c))
        })
        .min()
        .map(|(_, std::cmp::Reverse(c))| c)
}

/// `ids` (sorted) with one copy of each object: a Service sees, of a workload copied into several
/// placements it meets, the nearest copy, never the replicas of every copy at once.
fn one_copy_each(inv: &Inventory, service: ObjectId, ids: &[ObjectId]) -> Vec<ObjectId> {
    let mut by_object: BTreeMap<(&str, &str), Vec<ObjectId>> = BTreeMap::new();
    for &id in ids {
        let o = inv.object(id);
        by_object
            .entry((o.kind(), o.meta.name.as_str()))
            .or_default()
            .push(id);
    }
    let mut kept: Vec<ObjectId> = by_object
        .into_values()
        .filter_map(|copies| nearest(inv, service, copies.into_iter()))
        .collect();
    kept.sort_unstable();
    kept
}

/// The pod template behind a target pod's source object.
pub fn template_of(inv: &Inventory, source: ObjectId) -> Option<&PodTemplate> {
    match &inv.object(source).spec {
        Spec::Pod(pod) => Some(&pod.template),
        Spec::Workload(w) => Some(&w.template),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::ClusterFacts;
    use crate::k8s::read::read_text;
    use crate::model::PlacedObject;

    fn inventory(text: &str) -> Inventory {
        let out = read_text(text);
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        let objects = out
            .objects
            .into_iter()
            .map(|object| PlacedObject::new(object, ClusterId::new(0)))
            .collect();
        let facts = ClusterFacts {
            name: "default".into(),
            ..ClusterFacts::default()
        };
        Inventory::new(vec![facts], objects, vec![Vec::new()], Vec::new()).0
    }

    fn id(inv: &Inventory, label: &str) -> ObjectId {
        inv.objects()
            .find(|(_, e)| e.object.label().to_string() == label)
            .map(|(id, _)| id)
            .expect(label)
    }

    /// A workload is one entry counting its replicas, whatever their number; Services with one
    /// selector share one computation; a DaemonSet is matched but not counted.
    #[test]
    fn replicas_are_counted_and_services_share_targets() {
        let workload = |kind: &str, name: &str, replicas: &str| {
            format!(
                "apiVersion: apps/v1\nkind: {kind}\nmetadata: {{name: {name}}}\nspec:\n{replicas}  template:\n    metadata: {{labels: {{app: web}}}}\n---\n"
            )
        };
        let service = |name: &str, app: &str| {
            format!(
                "apiVersion: v1\nkind: Service\nmetadata: {{name: {name}}}\nspec: {{type: LoadBalancer, selector: {{app: {app}}}, ports: [{{port: 80}}]}}\n---\n"
            )
        };
        let text = [
            workload("Deployment", "big", "  replicas: 4000000000\n"),
            workload("Deployment", "none", "  replicas: 0\n"),
            workload("StatefulSet", "one", ""),
            workload("DaemonSet", "agent", ""),
            "apiVersion: v1\nkind: Pod\nmetadata: {name: lone, labels: {app: web}}\n---\n".into(),
            service("a", "web"),
            service("b", "web"),
            service("c", "other"),
        ]
        .concat();
        let inv = inventory(&text);
        let (a, b, c) = (
            inv.targets_of(id(&inv, "Service/default/a")),
            inv.targets_of(id(&inv, "Service/default/b")),
            inv.targets_of(id(&inv, "Service/default/c")),
        );
        assert!(std::ptr::eq(a, b), "one selector, one computation");
        assert_eq!(
            a.pods,
            [
                TargetPods::Replicas {
                    workload: id(&inv, "Deployment/default/big"),
                    count: 4_000_000_000
                },
                TargetPods::Replicas {
                    workload: id(&inv, "StatefulSet/default/one"),
                    count: 1
                },
                TargetPods::Pod(id(&inv, "Pod/default/lone")),
            ]
        );
        assert_eq!(a.pod_count(), 4_000_000_002);
        assert_eq!(a.workloads.len(), 4);
        assert_eq!(a.uncounted, [id(&inv, "DaemonSet/default/agent")]);
        assert!(c.pods.is_empty() && c.workloads.is_empty());
    }
}
