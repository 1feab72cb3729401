use std::collections::BTreeSet;

use crate::rules::{Context, Sink};
use crate::model::ObjectId;

declare_rule! {
    /// A load-balanced Service whose selector matches no pods or workloads.
    ///
    /// ## What it does
    /// For each LoadBalancer Service and each Service behind a cloud Ingress, matches
    /// `spec.selector` against the pods and workloads of its namespace and reports a selector that
    /// matches none. Only where lbplan can know: the cluster's inputs hold at least one workload or
    /// a pod snapshot. A selector that matches the pod template of a kind lbplan does not model
    /// (a LeaderWorkerSet, an Argo Rollout, an OpenKruise CloneSet: any `metadata.labels` under a
    /// key ending in `template` or `Template`) does have pods, which lbplan cannot plan: quiet,
    /// with one note.
    ///
    /// ## Why it matters
    /// A typo in a label, a renamed Deployment or a Service in the wrong namespace leaves the
    /// load balancer with no backends; the manifests still apply without an error.
    ///
    /// ## Example
    /// ```yaml
    /// # Service selector {app: web-frontend}; Deployment pod labels {app: frontend}
    /// ```
    ///
    /// ## Fix
    /// Make the selector match the pod template's labels, in the Service's namespace.
    pub struct NoTargetPods {
        code: "LB211",
        name: "no-target-pods",
        severity: Warning,
        scope: Any,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    // Services quiet because an object lbplan does not model has their pods: (service, object).
    let mut unmodelled: Vec<(ObjectId, &str)> = Vec::new();
    let services: BTreeSet<ObjectId> = cx
        .inv
        .frontends
        .iter()
        .flat_map(|f| f.backends.iter().copied())
        .collect();
    for service in services {
        let object = cx.object(service);
        let Some(spec) = object.as_service() else {
            continue;
        };
        let (Some(selector), Some(at)) = (&spec.selector, spec.selector_origin) else {
            continue;
        };
        let cluster_id = cx.inv.placed(service).cluster;
        if !cx.inv.targets.knows_workloads(cluster_id) {
            continue;
        }
        let targets = cx.inv.targets_of(service);
        if !targets.pods.is_empty()
            || !targets.workloads.is_empty()
            || !targets.pod_objects.is_empty()
        {
            continue;
        }
        if let Some(owner) = cx.inv.unmodelled_target(service) {
            unmodelled.push((service, owner));
            continue;
        }
        let wanted: Vec<String> = selector.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let observed = cx
            .cluster(service)
            .observed_in()
            .map_or_else(String::new, |files| format!(" (pods observed in {files})"));
        out.push(
            cx.finding(
                &META,
                service,
                at,
                format!(
                    "selector {} matches no pod or workload in namespace {}{observed}",
                    wanted.join(","),
                    object.meta.namespace
                ),
            )
            .caption("matches nothing")
            .help("make the selector match the pod template labels of a workload in the same namespace"),
        );
    }
    if let Some(&(service, owner)) = unmodelled.first() {
        let count = unmodelled.len();
        out.note(format!(
            "not checked: pods of a kind lbplan does not model, for LB211 ({count} {}; {}{} selects {owner}, whose pods lbplan cannot plan)",
            if count == 1 { "Service" } else { "Services" },
            if count == 1 { "" } else { "the first: " },
            cx.object(service).label(),
        ));
    }
}
