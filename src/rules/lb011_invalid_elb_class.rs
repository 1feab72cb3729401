use super::{Context, Sink};
use crate::k8s::annotations::lookup;
use crate::k8s::keys;

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
    /// they are not CCE's.
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
    pub struct InvalidElbClass {
        code: "LB011",
        name: "invalid-elb-class",
        severity: Error,
        scope: Cce,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.cce_frontends() {
        let Some(a) = cx.object(f.object).annotations().get(keys::ELB_CLASS) else {
            continue;
        };
        let Some(kind) = lookup(&a.key).map(|row| row.kind) else {
            continue;
        };
        if kind.accepts(&a.value) {
            continue;
        }
        let hint = match a.value.trim() {
            "shared" => " (`shared` is the open-source controller's name for `union`)",
            "dedicated" => " (`dedicated` is the open-source controller's name for `performance`)",
            _ => "",
        };
        out.push(
            cx.finding(
                &META,
                f.object,
                a.origin,
                format!("invalid ELB class \"{}\"{hint}", a.value),
            )
            .caption(format!("must be {}", kind.allowed()))
            .help(
                "set kubernetes.io/elb.class to union (shared ELB) or performance (dedicated ELB)",
            ),
        );
    }
}
