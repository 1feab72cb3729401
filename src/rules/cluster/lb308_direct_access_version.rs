use crate::facts::Gate;
use crate::rules::{Context, Sink};
use crate::model::Mode;

declare_rule! {
    /// TKE direct access on a cluster older than Kubernetes 1.12.
    ///
    /// ## What it does
    /// Reports Services and Ingresses with TKE direct access (`direct-access: "true"`) when the
    /// cluster version is below 1.12. Needs the version (`--k8s-version`).
    ///
    /// ## Why it matters
    /// Direct access waits for the CLB's health check through a pod ReadinessGate, which
    /// Kubernetes has only from 1.12 (Tencent Cloud TKE, "Use CLB-Pod Direct Connection on TKE" and "Using Services with LoadBalancer Directly Connected to Pods"). Without it rolling updates drop traffic.
    ///
    /// ## Example
    /// ```yaml
    /// # cluster version 1.10
    /// metadata:
    ///   annotations:
    ///     service.cloud.tencent.com/direct-access: "true"
    /// ```
    ///
    /// ## Fix
    /// Upgrade the cluster, or remove direct access.
    pub struct DirectAccessVersion {
        code: "LB308",
        name: "direct-access-version",
        severity: Error,
        scope: Tke,
        check: check,
        facts: [Version],
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.tke_frontends() {
        if f.mode != Mode::Pod {
            continue;
        }
        let at = (&META, f.object, f.direct_access_origin());
        let Some(finding) = cx.version_finding(out, at, Gate::minor(1, 12), |v, c| {
            format!("direct access needs Kubernetes 1.12 or later; cluster {c} runs {v}")
        }) else {
            continue;
        };
        out.push(
            finding
                .caption("needs a 1.12+ cluster")
                .help("upgrade the cluster to 1.12 or later, or remove direct access"),
        );
    }
}
