//! What the model and the plan had to assume for want of a fact, as values. They become sentences
//! only where they are printed (the plan's `assumptions`, the lint notes).

use std::fmt;

use serde::{Serialize, Serializer};

use crate::facts::Fact;

/// Objects are named `Kind/namespace/name` in every variant.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Assumption {
    /// A dedicated ELB in a cluster of unknown flavor, planned in node mode.
    FlavorUnknown { object: String, cluster: String },
    /// No provider given or recognisable from the annotations.
    ProviderUnknown { object: String },
    /// An Ingress backend Service that is not among the cluster's inputs.
    BackendMissing {
        ingress: String,
        namespace: String,
        service: String,
        cluster: String,
    },
    /// An Ingress's `spec.defaultBackend`, which lbplan does not plan.
    DefaultBackendNotPlanned { ingress: String },
    /// A TKE Ingress with `spec.tls` and no `rule-mix`: its rules are on HTTPS only.
    TkeHttpWithTls { ingress: String },
    /// A TKE cluster whose nodes are unknown, where a CLB without direct access binds every node:
    /// its node-mode groups list only the nodes hosting target pods.
    TkeNodesUnknown { cluster: String },
    /// A CCE Ingress whose `kubernetes.io/elb.listen-ports` cannot be read.
    ListenPortsInvalid { ingress: String },
    /// A backend Service without a selector.
    NoSelector { service: String },
    /// A DaemonSet behind a Service, whose pod count only a snapshot tells.
    DaemonSetUncounted { service: String, daemonset: String },
    /// A cluster without a pod snapshot: targets are the workloads' replicas.
    NoSnapshot { cluster: String },
    /// A cluster with observed pods: targets are the Ready pods of these files.
    ObservedPods { cluster: String, files: String },
    /// An object defined several times in one cluster: the last definition Kubernetes accepts
    /// counts.
    Duplicate {
        object: String,
        cluster: String,
        /// `file:line` of the definition that counts.
        used: String,
        /// `file:line` of the first three others (a line costs a pass over its file).
        ignored: Vec<String>,
        /// How many others there are beyond those.
        more: usize,
        /// The copies sit in several folders: the `clusters[].paths` that would separate them
        /// (empty when they share one folder).
        separate: Vec<String>,
    },
    /// Objects defined in several folders without `clusters:`: planned once per folder.
    PlacedCopies(super::placement::PlacedCopies),
    /// How Kustomize overlays were rendered: the renderer and its version, or one overlay
    /// rendered (the engine's own sentence).
    Rendered(String),
}

impl fmt::Display for Assumption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Assumption::FlavorUnknown { object, cluster } => write!(
                f,
                "{object}: cluster {cluster} flavor unknown; planned in node mode (a dedicated ELB passes through to pods only on CCE Turbo: set {})",
                Fact::Flavor.how_to_set()
            ),
            Assumption::ProviderUnknown { object } => write!(
                f,
                "{object}: provider unknown (no CCE or TKE annotations); member weights unknown: set {}",
                Fact::Provider.how_to_set()
            ),
            Assumption::BackendMissing {
                ingress,
                namespace,
                service,
                cluster,
            } => write!(
                f,
                "{ingress}: backend Service {namespace}/{service} is not in the inputs of cluster {cluster}; it has no members"
            ),
            Assumption::TkeNodesUnknown { cluster } => write!(
                f,
                "cluster {cluster}: a TKE CLB without direct access binds every Ready node, and the cluster's nodes are unknown; its groups list only the nodes hosting target pods (give the nodes with `kubectl get nodes -o yaml` (--cluster-export) or clusters[].nodes)"
            ),
            Assumption::DefaultBackendNotPlanned { ingress } => write!(
                f,
                "{ingress}: spec.defaultBackend is not planned; whether CCE or TKE send unmatched requests to it is not documented"
            ),
            Assumption::TkeHttpWithTls { ingress } => write!(
                f,
                "{ingress}: with spec.tls and no rule-mix, TKE serves its rules on HTTPS 443 only; whether it also opens HTTP 80 is not documented (planned without rules)"
            ),
            Assumption::ListenPortsInvalid { ingress } => write!(
                f,
                "{ingress}: kubernetes.io/elb.listen-ports is not a JSON list such as [{{\"HTTP\":80}},{{\"HTTPS\":443}}]; planned on kubernetes.io/elb.port"
            ),
            Assumption::NoSelector { service } => write!(
                f,
                "{service}: no selector, so its endpoints are managed outside Kubernetes; it has no members"
            ),
            Assumption::DaemonSetUncounted { service, daemonset } => write!(
                f,
                "{service}: {daemonset} matches, but a DaemonSet's pod count follows the nodes; its pods are not counted (give a pod snapshot)"
            ),
            Assumption::NoSnapshot { cluster } => write!(
                f,
                "cluster {cluster}: no pod snapshot; target pods are the workloads' replicas, each assumed Ready on its own node (<workload>-node-<i>)"
            ),
            Assumption::ObservedPods { cluster, files } => write!(
                f,
                "cluster {cluster}: target pods are the Ready pods observed in {files}; the workloads' replicas are not used"
            ),
            Assumption::Duplicate {
                object,
                cluster,
                used,
                ignored,
                more,
                separate,
            } => {
                write!(
                    f,
                    "{object} is defined {} times in cluster {cluster}: {used} is used",
                    ignored.len() + more + 1,
                )?;
                if separate.is_empty() {
                    f.write_str(" (kubectl apply keeps the last copy it accepts), ")?;
                } else {
                    f.write_str(", ")?;
                }
                f.write_str(&ignored.join(", "))?;
                if *more > 0 {
                    write!(f, ", {more} more")?;
                }
                f.write_str(" not planned")?;
                if !separate.is_empty() {
                    write!(
                        f,
                        "; in several folders they look like several clusters or variants (to plan each as its own cluster, set clusters[].paths: {})",
                        separate.join(", ")
                    )?;
                }
                Ok(())
            }
            Assumption::PlacedCopies(copies) => f.write_str(&copies.sentence()),
            Assumption::Rendered(sentence) => f.write_str(sentence),
        }
    }
}

impl Serialize for Assumption {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duplicate_names_three_ignored_definitions_and_counts_the_rest() {
        let duplicate = |ignored: &[&str], more, separate: &[&str]| Assumption::Duplicate {
            object: "Service/default/web".into(),
            cluster: "default".into(),
            used: "e.yaml:1".into(),
            ignored: ignored.iter().map(ToString::to_string).collect(),
            more,
            separate: separate.iter().map(ToString::to_string).collect(),
        };
        assert_eq!(
            duplicate(&["a.yaml:1", "b.yaml:1", "c.yaml:1"], 2, &[]).to_string(),
            "Service/default/web is defined 6 times in cluster default: e.yaml:1 is used (kubectl apply keeps the last copy it accepts), a.yaml:1, b.yaml:1, c.yaml:1, 2 more not planned"
        );
        assert_eq!(
            duplicate(&["hk/a.yaml:1"], 0, &["hk/", "sg/"]).to_string(),
            "Service/default/web is defined 2 times in cluster default: e.yaml:1 is used, hk/a.yaml:1 not planned; in several folders they look like several clusters or variants (to plan each as its own cluster, set clusters[].paths: hk/, sg/)"
        );
    }
}
