use crate::rules::{Context, Sink};
use crate::k8s::keys;
use crate::text::quote;

declare_rule! {
    /// `kubernetes.io/elb.lb-algorithm` is not `ROUND_ROBIN`, `LEAST_CONNECTIONS` or `SOURCE_IP`.
    ///
    /// ## What it does
    /// Checks the load-balancing algorithm a CCE Service or Ingress asks of its ELB backend group
    /// against the three values CCE documents (ground truth §1.6, from the CCE annotation
    /// documentation; China Telecom Cloud CCE's "负载均衡(LoadBalancer)" names the same three in its
    /// console: 加权轮询算法, 加权最少连接, 源IP算法). The value is compared as written: the
    /// documentation spells it in capitals.
    ///
    /// ## Why it matters
    /// The algorithm is sent to the ELB as written. A value the ELB does not know (a typo, the
    /// console's Chinese name, TKE's `WRR`) makes the backend group fail to be created or updated,
    /// and the Service never gets its listener, or keeps the old algorithm without a word.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     kubernetes.io/elb.lb-algorithm: LEAST_CONNECTION   # LEAST_CONNECTIONS
    /// ```
    ///
    /// ## Fix
    /// Use `ROUND_ROBIN` (the default), `LEAST_CONNECTIONS` or `SOURCE_IP`; with `SOURCE_IP` the
    /// ELB ignores member weights (LB214).
    pub struct InvalidLbAlgorithm {
        code: "LB022",
        name: "invalid-lb-algorithm",
        severity: Error,
        scope: Cce,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (f, a, kind) in cx.cce_invalid_values(keys::ELB_LB_ALGORITHM) {
        out.push(
            cx.finding(
                &META,
                f.object,
                a.origin,
                format!("unknown load-balancing algorithm {}", quote(&a.value)),
            )
            .caption(format!("must be {}", kind.allowed()))
            .help("use ROUND_ROBIN (the default), LEAST_CONNECTIONS or SOURCE_IP, in capitals as CCE documents them"),
        );
    }
}
