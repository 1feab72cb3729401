use std::collections::BTreeSet;

use crate::rules::{Context, Sink};
use crate::k8s::keys;
use crate::model::Mode;
use crate::model::targets::template_of;

declare_rule! {
    /// A TKE annotation that works only with direct access, used without it.
    ///
    /// ## What it does
    /// Reports `service.cloud.tencent.com/enable-grace-shutdown` (and `-tkex`) on a TKE Service
    /// without direct access, and `custom-weight` on the pods (pod template or Pod) or on the
    /// Service of a TKE Service without direct access.
    ///
    /// ## Why it matters
    /// Graceful shutdown (weight 0 for terminating pods) and per-pod weights act on pod backends of
    /// the CLB, which exist only in direct-access mode (ground truth §3.1). Without it they do
    /// nothing, and the rollout or weighting you counted on does not happen.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     service.cloud.tencent.com/enable-grace-shutdown: "true"
    ///     # no service.cloud.tencent.com/direct-access: "true"
    /// ```
    ///
    /// ## Fix
    /// Enable direct access (`service.cloud.tencent.com/direct-access: "true"`, VPC-CNI needed), or
    /// remove the annotation.
    pub struct DirectModeOnlyAnnotation {
        code: "LB217",
        name: "direct-mode-only-annotation",
        severity: Warning,
        scope: Tke,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    let mut reported = BTreeSet::new();
    for (_, f) in cx.tke_frontends() {
        if f.mode == Mode::Pod {
            continue;
        }
        let annotations = cx.object(f.object).annotations();
        let own = [
            keys::TKE_GRACE_SHUTDOWN,
            keys::TKE_GRACE_SHUTDOWN_TKEX,
            keys::TKE_CUSTOM_WEIGHT,
            keys::TKE_INGRESS_CUSTOM_WEIGHT,
        ];
        for key in own {
            let Some(a) = annotations.get(key) else {
                continue;
            };
            if key.contains("grace-shutdown") && a.value != "true" {
                continue;
            }
            out.push(
                cx.finding(
                    &META,
                    f.object,
                    a.origin,
                    format!("{key} has no effect without direct access"),
                )
                .caption("direct access only")
                .help("enable direct access (service.cloud.tencent.com/direct-access: \"true\"), or remove the annotation"),
            );
        }
        let custom_key = if f.is_ingress() {
            keys::TKE_INGRESS_CUSTOM_WEIGHT
        } else {
            keys::TKE_CUSTOM_WEIGHT
        };
        for &service in &f.backends {
            for pod in &cx.inv.targets_of(service).pods {
                let Some(a) =
                    template_of(cx.inv, pod.source()).and_then(|t| t.annotations.get(custom_key))
                else {
                    continue;
                };
                if !reported.insert((pod.source(), f.object)) {
                    continue;
                }
                out.push(
                    cx.finding(
                        &META,
                        pod.source(),
                        a.origin,
                        format!(
                            "{custom_key} on these pods has no effect: {} reaches them without direct access",
                            cx.qualified_name(f.object)
                        ),
                    )
                    .caption("pod weight needs direct access")
                    .help("enable direct access on the Service, or remove the pod annotation")
                    .related(f.lb.origin(), Some(cx.object_name(f.object)), "load-balances these pods in node mode"),
                );
            }
        }
    }
}
