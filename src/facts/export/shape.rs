//! The fields lbplan reads from a kubectl export: everything a pod snapshot needs (the manifest
//! shape, so that its Pods read as Pods), plus the Node, ConfigMap, DaemonSet, Deployment and
//! `kubectl version` fields the cluster facts come from. Only the ConfigMap keys lbplan reads are
//! built: the rest of a ConfigMap's data is skipped unread.

use crate::source::node::Shape;

static ALL: Shape = Shape::ALL;

pub static EXPORT: Shape = Shape {
    fields: Some(&[
        ("apiVersion", &ALL),
        ("kind", &ALL),
        ("metadata", &METADATA),
        ("spec", &SPEC),
        ("status", &STATUS),
        ("items", &EXPORT),
        ("data", &DATA),
        // `kubectl version -o yaml`
        ("serverVersion", &ALL),
        ("clientVersion", &Shape { fields: Some(&[]) }),
    ]),
};

static METADATA: Shape = Shape {
    fields: Some(&[
        ("name", &ALL),
        ("generateName", &ALL),
        ("namespace", &ALL),
        ("annotations", &ALL),
        ("labels", &ALL),
        ("creationTimestamp", &ALL),
        ("deletionTimestamp", &ALL),
    ]),
};

static SPEC: Shape = Shape {
    fields: Some(&[
        // Service
        ("type", &ALL),
        ("ports", &ALL),
        ("selector", &ALL),
        ("externalTrafficPolicy", &ALL),
        ("externalIPs", &ALL),
        ("loadBalancerClass", &ALL),
        ("allocateLoadBalancerNodePorts", &ALL),
        // Ingress
        ("ingressClassName", &ALL),
        ("rules", &ALL),
        ("tls", &ALL),
        ("defaultBackend", &ALL),
        ("backend", &ALL),
        // workloads
        ("replicas", &ALL),
        ("template", &TEMPLATE),
        // pods
        ("nodeName", &ALL),
        ("hostNetwork", &ALL),
        ("containers", &CONTAINER),
        // nodes
        ("providerID", &ALL),
        ("podCIDR", &ALL),
        ("podCIDRs", &ALL),
    ]),
};

static TEMPLATE: Shape = Shape {
    fields: Some(&[("metadata", &METADATA), ("spec", &SPEC)]),
};

static CONTAINER: Shape = Shape {
    fields: Some(&[
        ("name", &ALL),
        ("resources", &ALL),
        ("command", &ALL),
        ("args", &ALL),
    ]),
};

static STATUS: Shape = Shape {
    fields: Some(&[
        // pods
        ("phase", &ALL),
        ("conditions", &ALL),
        ("hostIP", &ALL),
        ("podIP", &ALL),
        // Services (as manifests read them, for dumps)
        ("loadBalancer", &ALL),
        // nodes
        ("nodeInfo", &ALL),
        ("addresses", &ALL),
        ("allocatable", &ALL),
    ]),
};

/// The ConfigMap keys cluster facts come from (kube-proxy, tke-cni-agent-conf,
/// tke-service-controller-config).
pub static DATA: Shape = Shape {
    fields: Some(&[
        ("config", &ALL),
        ("config.conf", &ALL),
        ("00-multus.conf", &ALL),
        ("GlobalRouteDirectAccess", &ALL),
    ]),
};

#[cfg(test)]
mod tests {
    use super::EXPORT;
    use crate::source::node::{MANIFEST, Shape};

    /// Every field the manifest shape builds, the export shape builds too: the Pods of an export
    /// read exactly as the Pods of a manifest.
    fn covers(export: &Shape, manifest: &Shape, path: &str, depth: usize) {
        let Some(fields) = manifest.fields else {
            assert!(
                export.fields.is_none(),
                "{path}: the manifest keeps all of it"
            );
            return;
        };
        if depth > 6 {
            return; // `items` nests the shapes in themselves
        }
        for (key, child) in fields {
            let Some(theirs) = export.child(key) else {
                panic!("{path}.{key}: read in manifests but not in exports");
            };
            covers(theirs, child, &format!("{path}.{key}"), depth + 1);
        }
    }

    #[test]
    fn the_export_shape_covers_the_manifest_shape() {
        covers(&EXPORT, &MANIFEST, "", 0);
    }
}
