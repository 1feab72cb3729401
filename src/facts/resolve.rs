//! One cluster's facts from every source, by precedence: a flag, then the config (both already in
//! [`ClusterFacts`] when this runs), then the cluster's exports, then the manifests. An explicit
//! value that an export contradicts still wins, with a remark; exports that contradict each other
//! give no value, with a remark.

use std::collections::BTreeMap;

use super::export::{self, ExportSeen, Inferred};
use super::{
    ClusterFacts, Fact, Flavor, K8sVersion, Network, Provenance, Provider, ProxyMode, Remark,
    RemarkKind, Source,
};

/// How one fact's values are compared and shown.
trait FactValue: Clone {
    fn show(&self) -> String;
    /// Whether an explicit value and an inferred one can both be true of the cluster.
    fn agrees_with(&self, inferred: &Self) -> bool;
}

impl FactValue for Provider {
    fn show(&self) -> String {
        self.as_str().to_string()
    }

    /// Exports tell only the CCE family: `ctyun-cce` agrees with CCE nodes.
    fn agrees_with(&self, inferred: &Self) -> bool {
        self.is_cce() == inferred.is_cce()
    }
}

impl FactValue for K8sVersion {
    fn show(&self) -> String {
        self.text.clone()
    }

    fn agrees_with(&self, inferred: &Self) -> bool {
        K8sVersion::agrees_with(self, inferred)
    }
}

macro_rules! plain_fact_value {
    ($($ty:ty => $show:expr),* $(,)?) => {$(
        impl FactValue for $ty {
            fn show(&self) -> String {
                let show: fn(&$ty) -> String = $show;
                show(self)
            }

            fn agrees_with(&self, inferred: &Self) -> bool {
                self == inferred
            }
        }
    )*};
}

plain_fact_value! {
    Flavor => |f| f.as_str().to_string(),
    ProxyMode => |m| m.as_str().to_string(),
    Network => |n| n.as_str().to_string(),
    bool => ToString::to_string,
}

/// Merge what the exports (or the manifests) show about `fact` into its field.
fn merge<T: FactValue>(
    field: &mut Option<T>,
    provenance: &mut BTreeMap<Fact, Provenance>,
    remarks: &mut BTreeMap<Fact, Remark>,
    fact: Fact,
    source: Source,
    inferred: Inferred<T>,
) {
    match (field.as_ref(), inferred) {
        (
            Some(given),
            Inferred::Known {
                value, evidence, ..
            },
        ) => {
            if !given.agrees_with(&value) {
                let how = provenance
                    .get(&fact)
                    .map_or_else(String::new, |p| format!(" ({})", p.evidence));
                remarks.insert(
                    fact,
                    Remark::new(
                        RemarkKind::Overridden,
                        format!(
                            "{} {}{how} differs from {}, shown by {evidence}; using {}",
                            fact.describe(),
                            given.show(),
                            value.show(),
                            given.show()
                        ),
                    ),
                );
            }
        }
        (Some(_), _) => {}
        (
            None,
            Inferred::Known {
                value,
                evidence,
                file,
                remark,
            },
        ) => {
            *field = Some(value);
            provenance.insert(fact, Provenance::new(source, evidence, Some(file)));
            if let Some(remark) = remark {
                remarks.insert(fact, Remark::new(RemarkKind::Info, remark));
            }
        }
        (None, Inferred::Conflict(text)) => {
            remarks.insert(fact, Remark::new(RemarkKind::Conflict, text));
        }
        (None, Inferred::Unknown(why)) => {
            if let Some(why) = why {
                remarks
                    .entry(fact)
                    .or_insert_with(|| Remark::new(RemarkKind::Unknown, why));
            }
        }
    }
}

impl ClusterFacts {
    /// Add what the cluster's exports show, below the flags and the config.
    pub fn apply_exports(&mut self, exports: &[ExportSeen]) {
        if exports.is_empty() {
            return;
        }
        self.exports = exports.iter().map(|e| e.file.clone()).collect();
        let (p, r) = (&mut self.provenance, &mut self.remarks);
        let export = Source::Export;
        merge(
            &mut self.provider,
            p,
            r,
            Fact::Provider,
            export,
            export::provider(exports),
        );
        merge(
            &mut self.version,
            p,
            r,
            Fact::Version,
            export,
            export::version(exports),
        );
        merge(
            &mut self.flavor,
            p,
            r,
            Fact::Flavor,
            export,
            export::flavor(exports),
        );
        let cce = self.provider.is_some_and(Provider::is_cce);
        let proxy_mode = if cce {
            Inferred::Unknown(Some(
                "not inferable from exports on CCE: kube-proxy runs on the nodes, outside Kubernetes, and no export shows its mode".into(),
            ))
        } else {
            export::proxy_mode(exports)
        };
        merge(
            &mut self.proxy_mode,
            p,
            r,
            Fact::ProxyMode,
            export,
            proxy_mode,
        );
        if !cce {
            merge(
                &mut self.network,
                p,
                r,
                Fact::Network,
                export,
                export::network(exports),
            );
            let grda = export::global_route(exports);
            merge(
                &mut self.global_route_direct_access,
                p,
                r,
                Fact::GlobalRouteDirectAccess,
                export,
                grda,
            );
        }
        self.nodes.extend(export::nodes(exports));
    }

    /// Add GlobalRouter direct access from ConfigMap `kube-system/tke-service-controller-config`
    /// among the manifests, below every other source.
    pub fn apply_manifest_global_route(&mut self, inferred: Inferred<bool>) {
        merge(
            &mut self.global_route_direct_access,
            &mut self.provenance,
            &mut self.remarks,
            Fact::GlobalRouteDirectAccess,
            Source::Manifests,
            inferred,
        );
    }
}
