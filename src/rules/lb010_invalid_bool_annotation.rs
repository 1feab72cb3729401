use super::{Context, Sink};
use crate::k8s::keys;

declare_rule! {
    /// A boolean annotation whose value is not `"true"` or `"false"`.
    ///
    /// ## What it does
    /// Checks the boolean load-balancer annotations of Services and Ingresses:
    /// `kubernetes.io/elb.multicluster`, `kubernetes.io/elb.multivpc`,
    /// `kubernetes.io/elb.pass-through` (which also accepts `onlyLocal`),
    /// `kubernetes.io/elb.adaptive-weight`, `service.kubernetes.io/qcloud-share-existed-lb`,
    /// `service.cloud.tencent.com/direct-access`, `ingress.cloud.tencent.com/direct-access`,
    /// `service.cloud.tencent.com/tke-service-config-auto`,
    /// `service.kubernetes.io/local-svc-only-bind-node-with-pod` and
    /// `service.cloud.tencent.com/local-svc-weighted-balance`.
    ///
    /// ## Why it matters
    /// The controllers compare the exact string: `"True"`, `"yes"` or `"1"` silently mean off (the
    /// open-source huaweicloud controller logs and falls back to the default), and TKE refuses an
    /// invalid `ingress.cloud.tencent.com/direct-access` with error E4037. The feature you asked
    /// for is not on, and nothing says so.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     kubernetes.io/elb.multicluster: "yes"
    /// ```
    ///
    /// ## Fix
    /// Write `"true"` or `"false"`, quoted.
    pub struct InvalidBoolAnnotation {
        code: "LB010",
        name: "invalid-bool-annotation",
        severity: Error,
        scope: Any,
    }
}

impl_rule!(InvalidBoolAnnotation, check);

const BOOLEANS: [&str; 10] = [
    keys::ELB_MULTICLUSTER,
    keys::ELB_MULTIVPC,
    keys::ELB_PASS_THROUGH,
    keys::ELB_ADAPTIVE_WEIGHT,
    keys::TKE_SHARE_EXISTED_LB,
    keys::TKE_DIRECT_ACCESS,
    keys::TKE_INGRESS_DIRECT_ACCESS,
    keys::TKE_SERVICE_CONFIG_AUTO,
    keys::TKE_LOCAL_BIND_NODE_WITH_POD,
    keys::TKE_LOCAL_WEIGHTED_BALANCE,
];

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.frontends() {
        for a in cx.object(f.object).annotations().iter() {
            if !BOOLEANS.contains(&a.key.as_str()) {
                continue;
            }
            let pass_through = a.key == keys::ELB_PASS_THROUGH;
            let valid = matches!(a.value.as_str(), "true" | "false")
                || (pass_through && a.value == "onlyLocal");
            if valid {
                continue;
            }
            let allowed = if pass_through {
                "\"true\", \"false\" or \"onlyLocal\""
            } else {
                "\"true\" or \"false\""
            };
            let e4037 = if a.key == keys::TKE_INGRESS_DIRECT_ACCESS {
                " (TKE error E4037)"
            } else {
                ""
            };
            out.push(
                cx.finding(
                    &InvalidBoolAnnotation::META,
                    f.object,
                    a.origin,
                    format!(
                        "{} is \"{}\", which the controller does not read as a boolean{e4037}",
                        a.key, a.value
                    ),
                )
                .label(format!("must be {allowed}"))
                .help(format!("write {allowed}; other values silently mean off")),
            );
        }
    }
}
