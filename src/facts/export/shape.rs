//! The fields lbplan reads from a kubectl export: everything a pod snapshot needs (the manifest
//! shape, so that its Pods read as Pods), plus the Node, ConfigMap, DaemonSet, Deployment and
//! `kubectl version` fields the cluster facts come from. Only the ConfigMap keys lbplan reads are
//! built: the rest of a ConfigMap's data is skipped unread.

use crate::source::node::{self, MANIFEST, Shape};

static ALL: Shape = Shape::ALL;

/// The manifest shape, with what only exports carry.
pub static EXPORT: Shape = Shape::extend(
    &MANIFEST,
    &[
        ("spec", &SPEC),
        ("status", &STATUS),
        ("items", &EXPORT),
        ("data", &DATA),
        // `kubectl version -o yaml`
        ("serverVersion", &ALL),
        ("clientVersion", &NOTHING),
    ],
);

static NOTHING: Shape = Shape::keep(&[]);

static SPEC: Shape = Shape::extend(
    &node::SPEC,
    &[
        // a DaemonSet's pod template: kube-proxy's arguments
        ("template", &TEMPLATE),
        ("containers", &CONTAINER),
        // nodes
        ("providerID", &ALL),
        ("podCIDR", &ALL),
        ("podCIDRs", &ALL),
        ("unschedulable", &ALL),
    ],
);

static TEMPLATE: Shape = Shape::extend(&node::TEMPLATE, &[("spec", &SPEC)]);

static CONTAINER: Shape = Shape::extend(&node::CONTAINER, &[("command", &ALL), ("args", &ALL)]);

static STATUS: Shape = Shape::extend(
    &node::STATUS,
    &[
        // nodes
        ("nodeInfo", &ALL),
        ("addresses", &ALL),
        ("allocatable", &ALL),
    ],
);

/// The ConfigMap keys cluster facts come from (kube-proxy, tke-cni-agent-conf, and, as in
/// manifests, tke-service-controller-config).
static DATA: Shape = Shape::extend(
    &node::DATA,
    &[
        ("config", &ALL),
        ("config.conf", &ALL),
        ("00-multus.conf", &ALL),
    ],
);

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
