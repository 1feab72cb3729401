use crate::rules::{Context, Sink};
use crate::k8s::annotations::parse_weight;
use crate::k8s::{Spec, keys};
use crate::text::quote;

declare_rule! {
    /// A TKE `custom-weight` that is not an integer from 0 to 100.
    ///
    /// ## What it does
    /// Checks `service.cloud.tencent.com/custom-weight` and `ingress.cloud.tencent.com/custom-weight`
    /// wherever they are set: on pods (a workload's pod template or a Pod), where TKE reads them,
    /// and on Services and Ingresses; not in clusters configured as another provider's.

    ///
    /// ## Why it matters
    /// In direct-access mode TKE sets the pod's CLB backend weight from this annotation, and CLB
    /// weights are integers 0-100 (ground truth §3.4). Anything else is rejected or ignored, and the
    /// pod keeps the default weight of 10.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   template:
    ///     metadata:
    ///       annotations:
    ///         service.cloud.tencent.com/custom-weight: "half"
    /// ```
    ///
    /// ## Fix
    /// Write an integer from 0 to 100, such as `"50"`.
    pub struct InvalidCustomWeight {
        code: "LB023",
        name: "invalid-custom-weight",
        severity: Error,
        scope: Tke,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (id, entry) in cx.inv.definitions() {
        // On a cluster known to be another provider's, Tencent annotations are inert.
        let provider = cx.cluster(id).facts.provider;
        if provider.is_some_and(|p| !p.is_tke()) {
            continue;
        }
        let object = &entry.object;

        let pod_annotations = match &object.spec {
            Spec::Workload(w) => Some(&w.template.annotations),
            _ => None,
        };
        let sets = [Some(object.annotations()), pod_annotations];
        for annotations in sets.into_iter().flatten() {
            for key in [keys::TKE_CUSTOM_WEIGHT, keys::TKE_INGRESS_CUSTOM_WEIGHT] {
                let Some(a) = annotations.get(key) else {
                    continue;
                };
                if parse_weight(&a.value).is_some() {
                    continue;
                }
                out.push(
                    cx.finding(
                        &META,
                        id,
                        a.origin,
                        format!("{key} {} is not an integer from 0 to 100", quote(&a.value)),
                    )
                    .caption("must be 0-100")
                    .help("write the CLB weight as an integer from 0 to 100, such as \"50\""),
                );
            }
        }
    }
}
