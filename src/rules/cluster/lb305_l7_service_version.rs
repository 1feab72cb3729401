use crate::facts::Gate;
use crate::rules::{Context, Sink};
use crate::k8s::keys;

declare_rule! {
    /// HTTP/HTTPS on a LoadBalancer Service in a cluster older than v1.19.16.
    ///
    /// ## What it does
    /// On CCE, reports `kubernetes.io/elb.protocol-port` and `kubernetes.io/elb.cert-id` on a
    /// cluster below v1.19.16. Needs the version (`--k8s-version`).
    ///
    /// ## Why it matters
    /// Layer-7 listeners for Services are supported only from v1.19.16 (China Telecom Cloud CCE, "负载均衡(LoadBalancer)"); an older
    /// controller ignores the annotations and publishes plain TCP listeners, so certificates and
    /// HTTP features silently do not apply.
    ///
    /// ## Example
    /// ```yaml
    /// # cluster version v1.19.10-r0
    /// metadata:
    ///   annotations:
    ///     kubernetes.io/elb.protocol-port: "https:443"
    /// ```
    ///
    /// ## Fix
    /// Upgrade the cluster to v1.19.16 or later, or expose HTTP through an Ingress.
    pub struct L7ServiceVersion {
        code: "LB305",
        name: "l7-service-version",
        severity: Error,
        scope: Cce,
        check: check,
        facts: [Version],
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.cce_frontends() {
        let object = cx.object(f.object);
        if object.as_service().is_none() {
            continue;
        }
        let annotations = object.annotations();
        let Some(a) = annotations
            .get(keys::ELB_PROTOCOL_PORT)
            .or_else(|| annotations.get(keys::ELB_CERT_ID))
        else {
            continue;
        };
        let at = (&META, f.object, a.origin);
        let Some(finding) = cx.version_finding(out, at, Gate::new(1, 19, 16, 0), |v, c| {
            format!("{} needs cluster v1.19.16 or later; cluster {c} runs {v}", a.key)
        }) else {
            continue;
        };
        out.push(
            finding
                .caption("ignored before v1.19.16")
                .help(
                    "upgrade the cluster to v1.19.16 or later, or expose HTTP/HTTPS through an Ingress",
                ),
        );
    }
}
