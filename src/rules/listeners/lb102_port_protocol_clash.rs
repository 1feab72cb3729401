use crate::rules::{Context, Severity, Sink, first_conflicts};
use crate::k8s::Protocol;

declare_rule! {
    /// One port of one load balancer is used with two protocols.
    ///
    /// ## What it does
    /// Finds a port of one ELB claimed with different protocols (TCP:53 and UDP:53, TCP:80 and
    /// HTTP:80). On CCE it is an error when any claimant is cross-cluster and a warning otherwise.
    /// On TKE, TCP and UDP on one port of a shared CLB is the supported purpose of sharing and is
    /// not reported; any other pair of protocols on one CLB port is an error. An Ingress and an
    /// HTTP/HTTPS Service on one CCE port are LB106, two Ingresses LB411, and a TKE Ingress on a
    /// Service's CLB LB409.
    ///
    /// ## Why it matters
    /// CCE refuses a cross-cluster Service whose port is already used by another protocol on the
    /// ELB (Huawei Cloud CCE, "为负载均衡类型的Service配置跨集群的后端"), and whether it accepts TCP and UDP on one port otherwise depends on the ELB.
    /// A CLB port carries one protocol, except the TCP+UDP pair TKE reuse exists for.
    ///
    /// ## Example
    /// ```yaml
    /// # Service a: kubernetes.io/elb.id: X, ports: [{port: 53, protocol: TCP}]
    /// # Service b: kubernetes.io/elb.id: X, ports: [{port: 53, protocol: UDP}], multicluster
    /// ```
    ///
    /// ## Fix
    /// Use another port for one protocol, or another load balancer.
    pub struct PortProtocolClash {
        code: "LB102",
        name: "port-protocol-clash",
        severity: Error,
        scope: Cce,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for planned in cx.load_balancers() {
        let lb = planned.lb;
        let claims = planned.claims();
        let cce = claims.iter().all(|c| cx.inv.frontend(c.frontend).is_cce());
        let tke = claims.iter().all(|c| cx.inv.frontend(c.frontend).is_tke());
        if !cce && !tke {
            continue;
        }
        let conflicts = first_conflicts(&claims, |a, b| {
            if a.port != b.port || a.protocol == b.protocol {
                return false;
            }
            let fa = cx.inv.frontend(a.frontend);
            let fb = cx.inv.frontend(b.frontend);
            // Two protocols within one Service is LB107 (mixed-protocol-service).
            if fa.object == fb.object {
                return false;
            }
            if tke {
                // A TKE Ingress on a Service's CLB is LB409, whatever the ports.
                if fa.is_ingress() || fb.is_ingress() {
                    return false;
                }
                let pair = [a.protocol, b.protocol];
                return !(pair.contains(&Protocol::Tcp) && pair.contains(&Protocol::Udp));
            }
            // An Ingress and an HTTP/HTTPS Service on one port: LB106; two Ingresses: LB411.
            let l7_pair = a.protocol.is_l7() && b.protocol.is_l7();
            !(l7_pair && (fa.is_ingress() || fb.is_ingress()))
        });
        for (later, earlier) in conflicts {
            let f = cx.inv.frontend(later.frontend);
            let other = cx.inv.frontend(earlier.frontend);
            let cross_cluster = claims
                .iter()
                .any(|c| c.port == later.port && cx.inv.frontend(c.frontend).is_cross_cluster());
            let severity = if tke || cross_cluster {
                Severity::Error
            } else {
                Severity::Warning
            };
            let why = if tke {
                "a CLB port carries one protocol, except TCP and UDP together"
            } else if cross_cluster {
                "CCE refuses a cross-cluster Service whose port another protocol already uses"
            } else {
                "whether the ELB accepts two protocols on one port is not guaranteed"
            };
            out.push(
                cx.finding(
                    &META,
                    f.object,
                    later.origin,
                    format!(
                        "port {} of load balancer {} is used as {} here and as {} by {}",
                        later.port,
                        lb.id,
                        later.protocol,
                        earlier.protocol,
                        cx.qualified_name(other.object)
                    ),
                )
                .severity(severity)
                .caption(format!(
                    "{} on a port already used for {}",
                    later.protocol, earlier.protocol
                ))
                .help(format!(
                    "use another port for one of the protocols, or another load balancer: {why}"
                ))
                .related(
                    earlier.origin,
                    Some(cx.object_name(other.object)),
                    format!("{}:{} here", earlier.protocol, earlier.port),
                ),
            );
        }
    }
}
