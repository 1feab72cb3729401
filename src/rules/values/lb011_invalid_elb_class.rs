use crate::rules::{Context, Severity, Sink};
use crate::facts::Provider;
use crate::k8s::keys;
use crate::text::quote;

declare_rule! {
    /// `kubernetes.io/elb.class` is neither `union` nor `performance`.
    ///
    /// ## What it does
    /// Checks the ELB type of CCE (and CT Cloud CCE) LoadBalancer Services and Ingresses. CCE knows
    /// two values: `union` (shared ELB, the default) and `performance` (dedicated ELB).
    ///
    /// ## Why it matters
    /// CCE rejects any other value and creates no listener. The values of the open-source
    /// huaweicloud controller (`shared`, `dedicated`, `elasticity`, `dnat`) are a common mix-up:
    /// they are not CCE's. They are right for a cluster that runs that controller, so they are a
    /// warning naming CCE's value (`shared` is `union`, `dedicated` is `performance`), and an
    /// error only where the cluster's provider is given as `huawei-cce` or `ctyun-cce`
    /// (`--provider`, `clusters[].provider`); any other value is always an error.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     kubernetes.io/elb.class: dedicated
    /// ```
    ///
    /// ## Fix
    /// Use `kubernetes.io/elb.class: performance` for a dedicated ELB or `union` for a shared one.
    ///
    /// A cluster that runs the open-source huaweicloud controller (kubernetes-sigs
    /// cloud-provider-huaweicloud) rather than CCE's uses those other values on purpose: turn the
    /// rule off for it in `.lbplan.yaml`, for every cluster or for that one:
    ///
    /// ```yaml
    /// rules: {LB011: off}            # every cluster
    /// clusters:
    ///   - name: self-built
    ///     rules: {LB011: off}        # this cluster only
    /// ```
    ///
    /// lbplan otherwise models CCE's controller: with such a class and no `kubernetes.io/elb.id`
    /// it plans an auto-created ELB, as the open-source controller creates one (ground truth §1.3).
    pub struct InvalidElbClass {
        code: "LB011",
        name: "invalid-elb-class",
        severity: Error,
        scope: Cce,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (f, a, kind) in cx.cce_invalid_values(keys::ELB_CLASS) {
        let explicit_cce = cx
            .cluster(f.object)
            .facts
            .provider
            .is_some_and(Provider::is_cce);
        let finding = match open_source_value(a.value.trim()) {
            None => cx
                .finding(
                    &META,
                    f.object,
                    a.origin,
                    format!("invalid ELB class {}", quote(&a.value)),
                )
                .help("set kubernetes.io/elb.class to union (shared ELB) or performance (dedicated ELB)"),
            Some(cce) => {
                let (severity, help) = if explicit_cce {
                    (
                        Severity::Error,
                        format!("CCE knows union (shared ELB) and performance (dedicated ELB): write {}", cce.unwrap_or("union or performance")),
                    )
                } else {
                    (
                        Severity::Warning,
                        format!(
                            "on CCE write {}; if the cluster runs the open-source cloud-provider-huaweicloud controller, the value is right (with --provider huawei-cce or ctyun-cce, or clusters[].provider, this is an error)",
                            cce.unwrap_or("union or performance")
                        ),
                    )
                };
                let name = cce.map_or_else(
                    || "; CCE has no such type".to_string(),
                    |v| format!("; CCE's value is {v}"),
                );
                cx.finding(
                    &META,
                    f.object,
                    a.origin,
                    format!(
                        "ELB class {} is the open-source huaweicloud controller's value, not CCE's{name}",
                        quote(a.value.trim())
                    ),
                )
                .severity(severity)
                .help(help)
            }
        };
        out.push(finding.caption(format!("must be {}", kind.allowed())));
    }
}

/// The values of the open-source huaweicloud controller (ground truth §1.5), with CCE's value for
/// the same ELB type where there is one.
fn open_source_value(value: &str) -> Option<Option<&'static str>> {
    match value {
        "shared" => Some(Some("union")),
        "dedicated" => Some(Some("performance")),
        "elasticity" | "dnat" => Some(None),
        _ => None,
    }
}
