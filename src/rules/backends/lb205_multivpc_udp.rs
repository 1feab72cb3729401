use crate::rules::{Context, Sink};
use crate::k8s::Protocol;

declare_rule! {
    /// A cross-VPC Service has a UDP port.
    ///
    /// ## What it does
    /// On CCE, reports each UDP port of a Service with `kubernetes.io/elb.multivpc: "true"`.
    ///
    /// ## Why it matters
    /// Cross-VPC members are IP-type backends, which do not support UDP listeners (Huawei Cloud CCE, "为负载均衡类型的Service配置跨集群的后端"): the
    /// UDP port gets no backends from the other VPC.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   ports:
    ///   - port: 53
    ///     protocol: UDP
    /// ```
    ///
    /// ## Fix
    /// Serve the UDP port from a Service without cross-VPC backends, on another ELB.
    pub struct MultivpcUdp {
        code: "LB205",
        name: "multivpc-udp",
        severity: Error,
        scope: Cce,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.cce_frontends() {
        let object = cx.object(f.object);
        let Some(service) = object.as_service() else {
            continue;
        };
        let Some(multivpc) = f.multivpc.as_ref().filter(|m| m.value) else {
            continue;
        };
        for port in service.ports.iter().filter(|p| p.protocol == Protocol::Udp) {
            out.push(
                cx.finding(
                    &META,
                    f.object,
                    port.origin,
                    format!("UDP port {} on a cross-VPC Service: IP-type backends do not support UDP listeners", port.port),
                )
                .caption("UDP is not supported across VPCs")
                .help("move the UDP port to a Service without kubernetes.io/elb.multivpc, on another ELB")
                .related(multivpc.origin, Some(cx.object_name(f.object)), "cross-VPC enabled here"),
            );
        }
    }
}
