use crate::facts::Gate;
use crate::rules::{Context, Sink};

declare_rule! {
    /// `kubernetes.io/elb.pass-through` on a cluster of 1.15 or older.
    ///
    /// ## What it does
    /// On CCE, reports pass-through (`true` or `onlyLocal`) when the cluster version is 1.15 or
    /// older. Needs the version (`--k8s-version`).
    ///
    /// ## Why it matters
    /// Clusters of 1.15 and below do not support pass-through (China Telecom Cloud CCE, "负载均衡(LoadBalancer)"); the annotation is
    /// ignored and in-cluster access to the ELB address keeps going through kube-proxy.
    ///
    /// ## Example
    /// ```yaml
    /// # cluster version v1.15.6
    /// metadata:
    ///   annotations:
    ///     kubernetes.io/elb.pass-through: "true"
    /// ```
    ///
    /// ## Fix
    /// Upgrade the cluster, or call the Service by its ClusterIP or DNS name from inside.
    pub struct PassThroughVersion {
        code: "LB311",
        name: "pass-through-version",
        severity: Error,
        scope: Cce,
        check: check,
        facts: [Version],
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.cce_frontends() {
        let Some(a) = f.pass_through.as_ref().filter(|p| p.value) else {
            continue;
        };
        let at = (&META, f.object, a.origin);
        let Some(finding) = cx.version_finding(out, at, Gate::minor(1, 16), |v, c| {
            format!("pass-through needs Kubernetes 1.16 or later; cluster {c} runs {v}")
        }) else {
            continue;
        };
        out.push(
            finding
                .caption("unsupported before 1.16")
                .help("upgrade the cluster past 1.15, or call the Service by its ClusterIP or DNS name from inside"),
        );
    }
}
