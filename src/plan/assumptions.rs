//! What the targets of the planned Services rest on: the plan states it rather than hiding it.

use std::collections::BTreeSet;

use crate::model::{Assumption, Inventory, ObjectId};

/// The assumptions behind the targets of every Service that backs a frontend.
pub fn target_assumptions(inv: &Inventory) -> Vec<Assumption> {
    let mut out = Vec::new();
    let mut planned_clusters = BTreeSet::new();
    let mut observed_clusters = BTreeSet::new();
    let services: BTreeSet<ObjectId> = inv
        .planned_frontends()
        .flat_map(|(_, f)| f.backends.iter().copied())
        .collect();
    for service in services {
        let object = inv.object(service);
        let targets = inv.targets_of(service);
        let label = object.label().to_string();
        if object
            .as_service()
            .and_then(|s| s.selector.as_ref())
            .is_none()
        {
            out.push(Assumption::NoSelector { service: label });
            continue;
        }
        if !targets.observed && !targets.pods.is_empty() {
            planned_clusters.insert(inv.cluster_of(service).name().to_string());
        }
        if let Some(files) = inv.cluster_of(service).observed_in() {
            observed_clusters.insert((inv.cluster_of(service).name().to_string(), files));
        }
        for &w in &targets.uncounted {
            out.push(Assumption::DaemonSetUncounted {
                service: label.clone(),
                daemonset: inv.object(w).label().to_string(),
            });
        }
    }
    let nodes_unknown: BTreeSet<String> = inv
        .planned_frontends()
        .map(|(_, f)| f)
        .filter(|f| !f.no_elb && inv.cluster(f.cluster).facts.nodes.is_empty())
        .filter(|f| super::bound_nodes::binds_every_node(inv, f))
        .map(|f| inv.cluster(f.cluster).name().to_string())
        .collect();
    out.extend(
        nodes_unknown
            .into_iter()
            .map(|cluster| Assumption::TkeNodesUnknown { cluster }),
    );
    out.extend(
        planned_clusters
            .into_iter()
            .map(|cluster| Assumption::NoSnapshot { cluster }),
    );
    out.extend(
        observed_clusters
            .into_iter()
            .map(|(cluster, files)| Assumption::ObservedPods { cluster, files }),
    );
    out
}
