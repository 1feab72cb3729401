//! The model the plan and the rules share: every object in its cluster, the load-balancer view of
//! each Service and Ingress ([`Frontend`]), and the pods behind each Service ([`targets`]).

mod assumption;
pub mod duplicate;
pub mod frontend;
pub mod ingress_rules;
pub mod lb_id;
pub mod placement;
pub mod routes;
pub mod rule_mix;
pub mod targets;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, LazyLock};

use serde::Serialize;
use strum::{Display, IntoStaticStr};

use crate::facts::ClusterFacts;
use crate::k8s::read::UnmodelledPods;
use crate::k8s::{Object, Spec, selector_matches};

pub use assumption::Assumption;
pub use duplicate::Duplicate;
pub use frontend::Frontend;
pub use placement::Placement;

/// Where a load balancer sends traffic: straight to pod IPs, or to the nodes hosting them.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Display, IntoStaticStr,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Mode {
    Pod,
    Node,
}

/// Declare an index into one of the model's vectors as its own type, so that an object's id cannot
/// be passed where a frontend's is expected.
macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(usize);

        impl $name {
            pub fn new(index: usize) -> Self {
                $name(index)
            }

            pub fn index(self) -> usize {
                self.0
            }
        }
    };
}

id_type!(
    /// A cluster of the run: an index into [`Inventory::clusters`], in config order.
    ClusterId
);
id_type!(
    /// An object of the run: an index into [`Inventory::objects`].
    ObjectId
);
id_type!(
    /// A Service or Ingress with a load balancer: an index into [`Inventory::frontends`].
    FrontendId
);
id_type!(
    /// A placement of the run: an index into [`Inventory::placements`].
    PlacementId
);

/// A cluster of the run.
#[derive(Debug, Clone)]
pub struct Cluster {
    pub facts: ClusterFacts,
    /// The inputs hold observed pods (a pod snapshot, an export with pods, or a dump of the
    /// cluster's pods among the manifests): targets come from them.
    pub has_snapshot: bool,
    /// The files the observed pods come from, as reports name them.
    pub observed_from: Vec<String>,
    /// Node IPs from the config, the exports' nodes and observed pods' `status.hostIP`.
    pub node_ips: BTreeSet<String>,
}

impl Cluster {
    pub fn name(&self) -> &str {
        &self.facts.name
    }

    /// `a-pods.yaml` (`a.yaml, b.yaml`): the files the observed pods come from, for messages;
    /// `None` when the cluster has none (targets are planned from workloads).
    pub fn observed_in(&self) -> Option<String> {
        (!self.observed_from.is_empty()).then(|| self.observed_from.join(", "))
    }
}

/// An object and the cluster it belongs to.
#[derive(Debug, Clone)]
pub struct PlacedObject {
    pub object: Object,
    pub cluster: ClusterId,
    /// From a kubectl export (a pod snapshot) rather than the cluster's manifests: not linted.
    pub from_snapshot: bool,
    /// A Pod observed in the cluster: from an export, or from a dump of the cluster's pods among
    /// the manifests (a `PodList` of pods with status). Only these are targets where the cluster
    /// has observed pods; a lone Pod manifest with a status is not one.
    pub observed: bool,
    /// Another document defines the same object (kind, namespace, name) in the same cluster and
    /// is the one the plan uses: as with `kubectl apply`, the last one, unless Kubernetes would
    /// refuse it. Single-object rules still check this copy; the plan and the rules about several
    /// objects do not see it.
    pub shadowed_by: Option<ObjectId>,
    /// The placement of a copy of an object defined in several folders of a cluster without
    /// `clusters:` in the config (see [`placement`]); `None` for an object defined once, which
    /// belongs to every placement.
    pub placement: Option<PlacementId>,
}

impl PlacedObject {
    /// An object of `cluster`'s manifests, not yet compared with the others.
    pub fn new(object: Object, cluster: ClusterId) -> PlacedObject {
        PlacedObject {
            object,
            cluster,
            from_snapshot: false,
            observed: false,
            shadowed_by: None,
            placement: None,
        }
    }
}

/// Every object of the run, per cluster, with the load-balancer view of each.
#[derive(Debug, Default)]
pub struct Inventory {
    pub clusters: Vec<Cluster>,
    pub objects: Vec<PlacedObject>,
    /// The placements of copies in several folders (none with `clusters:` in the config).
    pub placements: Vec<Placement>,
    pub frontends: Vec<Frontend>,
    pub targets: targets::TargetIndex,
    /// Targets of every Service that backs a frontend, computed once per (cluster, namespace,
    /// selector): a shadowed copy with its winner's selector shares its winner's targets.
    service_targets: BTreeMap<ObjectId, Arc<targets::Targets>>,
    /// Objects of kinds lbplan does not model that carry pod templates, with their cluster: a
    /// Service selecting them has pods lbplan cannot plan.
    pub unmodelled: Vec<(ClusterId, UnmodelledPods)>,
}

impl Inventory {
    /// Build the model from the clusters and the objects read for them.
    /// `observed_from[c]` names the files cluster `c`'s observed pods come from (a pod snapshot
    /// counts even when it lists none): its targets are then the observed pods, never the
    /// workloads' replicas. `placements` are those the objects name ([`placement::assign`]).
    pub fn new(
        clusters: Vec<ClusterFacts>,
        objects: Vec<PlacedObject>,
        observed_from: Vec<Vec<String>>,
        placements: Vec<Placement>,
    ) -> (Inventory, Vec<Assumption>) {
        let mut observed_from = observed_from.into_iter();
        let mut clusters: Vec<Cluster> = clusters
            .into_iter()
            .map(|facts| {
                let observed_from = observed_from.next().unwrap_or_default();
                Cluster {
                    node_ips: facts.nodes.iter().map(|n| n.ip.clone()).collect(),
                    facts,
                    has_snapshot: !observed_from.is_empty(),
                    observed_from,
                }
            })
            .collect();
        for entry in objects.iter().filter(|e| e.observed) {
            if let Spec::Pod(pod) = &entry.object.spec {
                let ip = pod.status.as_ref().and_then(|s| s.host_ip.as_ref());
                if let (Some(ip), Some(cluster)) = (ip, clusters.get_mut(entry.cluster.index())) {
                    cluster.node_ips.insert(ip.clone());
                }
            }
        }
        let mut objects = objects;
        shadow_copies(&mut objects);
        let mut inventory = Inventory {
            clusters,
            objects,
            placements,
            frontends: Vec::new(),
            targets: targets::TargetIndex::default(),
            service_targets: BTreeMap::new(),
            unmodelled: Vec::new(),
        };
        let mut assumptions = Vec::new();
        inventory.targets = targets::TargetIndex::build(&inventory);
        inventory.frontends = frontend::build(&inventory, &mut assumptions);
        inventory.compute_targets();
        (inventory, assumptions)
    }

    /// The targets of every Service that backs a frontend, once per distinct Service.
    fn compute_targets(&mut self) {
        let backends: BTreeSet<ObjectId> = self
            .frontends
            .iter()
            .flat_map(|f| f.backends.iter().copied())
            .collect();
        self.service_targets = self.targets.all(self, backends);
    }

    /// The targets of a Service that backs a frontend (empty for any other object).
    pub fn targets_of(&self, service: ObjectId) -> &targets::Targets {
        static EMPTY: LazyLock<targets::Targets> = LazyLock::new(targets::Targets::default);
        self.service_targets.get(&service).map_or(&EMPTY, |t| t)
    }

    // Object, cluster and frontend ids are created by `Inventory::new` from these same vectors, so
    // indexing with them cannot fail on any input.
    #[allow(clippy::indexing_slicing)]
    pub fn object(&self, id: ObjectId) -> &Object {
        &self.objects[id.index()].object
    }

    #[allow(clippy::indexing_slicing)]
    pub fn placed(&self, id: ObjectId) -> &PlacedObject {
        &self.objects[id.index()]
    }

    #[allow(clippy::indexing_slicing)]
    pub fn cluster(&self, id: ClusterId) -> &Cluster {
        &self.clusters[id.index()]
    }

    pub fn cluster_of(&self, id: ObjectId) -> &Cluster {
        self.cluster(self.placed(id).cluster)
    }

    #[allow(clippy::indexing_slicing)]
    pub fn frontend(&self, id: FrontendId) -> &Frontend {
        &self.frontends[id.index()]
    }

    /// Every object with its id.
    pub fn objects(&self) -> impl Iterator<Item = (ObjectId, &PlacedObject)> {
        self.objects
            .iter()
            .enumerate()
            .map(|(i, e)| (ObjectId::new(i), e))
    }

    /// Frontends of every definition (shadowed copies included) with their ids, in input order.
    pub fn frontends(&self) -> impl Iterator<Item = (FrontendId, &Frontend)> {
        self.frontends
            .iter()
            .enumerate()
            .map(|(i, f)| (FrontendId::new(i), f))
    }

    /// Every definition in the clusters' manifests (not pod snapshots), shadowed copies included:
    /// what rules about one object alone check.
    pub fn definitions(&self) -> impl Iterator<Item = (ObjectId, &PlacedObject)> {
        self.objects().filter(|(_, e)| !e.from_snapshot)
    }

    /// Whether the plan uses this definition (it is no shadowed copy of another).
    pub fn is_planned(&self, id: ObjectId) -> bool {
        self.placed(id).shadowed_by.is_none()
    }

    /// Frontends of the definitions the plan uses, with their ids, in input order.
    pub fn planned_frontends(&self) -> impl Iterator<Item = (FrontendId, &Frontend)> {
        self.frontends().filter(|(_, f)| self.is_planned(f.object))
    }

    /// `cluster:Kind/namespace/name`, as the plan names objects; a copy with a placement is
    /// `cluster@folder:Kind/namespace/name`.
    pub fn qualified_label(&self, id: ObjectId) -> String {
        format!("{}:{}", self.scope_name(id), self.object(id).label())
    }

    /// The placement of object `id`, if it is a copy planned once per folder.
    pub fn placement_of(&self, id: ObjectId) -> Option<&Placement> {
        self.placed(id)
            .placement
            .and_then(|p| self.placements.get(p.index()))
    }

    /// The cluster's name, with `@folder` for a copy with a placement (`default@apps/hk`): what
    /// keys and group names carry.
    pub fn scope_name(&self, id: ObjectId) -> String {
        let cluster = self.cluster_of(id).name();
        match self.placement_of(id) {
            Some(p) => format!("{cluster}@{}", p.folder),
            None => cluster.to_string(),
        }
    }

    /// Whether objects `a` and `b` can be compared, or one target the other: they are in one
    /// cluster, and not two copies of one object or in placements whose folders are apart (see
    /// [`placement`]).
    pub fn meet(&self, a: ObjectId, b: ObjectId) -> bool {
        let (pa, pb) = (self.placed(a), self.placed(b));
        if pa.cluster != pb.cluster {
            return false;
        }
        match (self.placement_of(a), self.placement_of(b)) {
            (Some(x), Some(y)) => {
                let (oa, ob) = (&pa.object, &pb.object);
                let copies = oa.kind() == ob.kind()
                    && oa.meta.namespace == ob.meta.namespace
                    && oa.meta.name == ob.meta.name;
                x.meets(y) && (!copies || pa.placement == pb.placement)
            }
            _ => true,
        }
    }

    /// The first object of a kind lbplan does not model whose pod template Service `service`'s
    /// selector matches, in its cluster and namespace (`LeaderWorkerSet/default/lws`).
    pub fn unmodelled_target(&self, service: ObjectId) -> Option<&str> {
        let placed = self.placed(service);
        let selector = placed.object.as_service()?.selector.as_ref()?;
        self.unmodelled
            .iter()
            .filter(|(cluster, pods)| {
                *cluster == placed.cluster && pods.namespace == placed.object.meta.namespace
            })
            .find(|(_, pods)| {
                pods.templates
                    .iter()
                    .any(|labels| selector_matches(selector, labels))
            })
            .map(|(_, pods)| pods.label.as_str())
    }

    /// Whether several clusters take part in this run (labels then name the cluster).
    pub fn multi_cluster(&self) -> bool {
        self.clusters.len() > 1
    }
}

/// Mark every copy of an object (kind, namespace, name) in one cluster with the definition the
/// plan uses: the last one, as with `kubectl apply`, unless Kubernetes would refuse it (`kubectl
/// apply` fails on that one, so the last good copy stays; a refused copy counts only where no good
/// one exists).
fn shadow_copies(objects: &mut [PlacedObject]) {
    let keys: Vec<_> = objects
        .iter()
        .map(|e| {
            let o = &e.object;
            (
                e.cluster,
                e.placement,
                e.from_snapshot,
                o.kind(),
                o.meta.namespace.as_str(),
                o.meta.name.as_str(),
            )
        })
        .collect();
    let mut used: BTreeMap<_, ObjectId> = BTreeMap::new();
    for (id, (entry, key)) in objects.iter().zip(&keys).enumerate() {
        let id = ObjectId::new(id);
        match used.get_mut(key) {
            None => {
                used.insert(key, id);
            }
            Some(current) => {
                let current_refused = objects
                    .get(current.index())
                    .is_some_and(|e| e.object.refused);
                if !entry.object.refused || current_refused {
                    *current = id;
                }
            }
        }
    }
    let shadowed: Vec<Option<ObjectId>> = keys
        .iter()
        .enumerate()
        .map(|(id, key)| {
            used.get(key)
                .copied()
                .filter(|&winner| winner != ObjectId::new(id))
        })
        .collect();
    for (entry, shadowed_by) in objects.iter_mut().zip(shadowed) {
        entry.shadowed_by = shadowed_by;
    }
}
