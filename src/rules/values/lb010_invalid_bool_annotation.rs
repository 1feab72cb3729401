use crate::rules::{Context, Sink};
use crate::k8s::annotations::{ValueKind, lookup};
use crate::k8s::keys;
use crate::text::quote;

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
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.frontends() {
        for a in cx.object(f.object).annotations().iter() {
            let Some(kind) = lookup(&a.key).map(|row| row.kind) else {
                continue;
            };
            if !matches!(kind, ValueKind::Bool { .. }) || kind.accepts(&a.value) {
                continue;
            }
            let allowed = kind.allowed();
            let e4037 = if a.key == keys::TKE_INGRESS_DIRECT_ACCESS {
                " (TKE error E4037)"
            } else {
                ""
            };
            out.push(
                cx.finding(
                    &META,
                    f.object,
                    a.origin,
                    format!(
                        "{} is {}, which the controller does not read as a boolean{e4037}",
                        a.key,
                        quote(&a.value)
                    ),
                )
                .caption(format!("must be {allowed}"))
                .help(format!("write {allowed}; other values silently mean off")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::k8s::annotations::TABLE;

    #[test]
    fn the_doc_lists_every_boolean_of_the_table() {
        let doc = META.doc();
        for row in TABLE {
            if matches!(row.kind, ValueKind::Bool { .. }) {
                assert!(doc.contains(&format!("`{}`", row.key)), "{}", row.key);
            }
        }
    }
}
