use crate::rules::{Context, Sink};
use crate::k8s::{Located, Protocol};

declare_rule! {
    /// A CCE health-check protocol that does not fit the port it checks.
    ///
    /// ## What it does
    /// On CCE, checks the `protocol` of `kubernetes.io/elb.health-check-option` against every port
    /// of the Service, and the `protocol` of each entry of `kubernetes.io/elb.health-check-options`
    /// against the port its `target_service_port` names (`"TCP:80"`): a TCP port takes `TCP` or
    /// `HTTP`, a UDP port `UDP` (or `UDP_CONNECT`, the ELB's own name for it). A check without a
    /// `protocol` uses the port's and always fits.
    ///
    /// ## Why it matters
    /// China Telecom Cloud CCE's "负载均衡(LoadBalancer)" says "当端口配置协议为TCP时,支持TCP和HTTP协议,
    /// 当端口配置协议为UDP时,支持UDP协议" (a TCP port supports TCP and HTTP health checks, a UDP
    /// port UDP), and Huawei CCE's page on health checks for several Service ports says the same.
    /// The ELB refuses another protocol, so the listener's backend group gets no health check, or
    /// the Service fails to sync.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     kubernetes.io/elb.health-check-option: '{"protocol":"TCP","delay":"5","timeout":"10","max_retries":"3"}'
    /// spec:
    ///   ports:
    ///   - {port: 53, protocol: UDP}      # a UDP port checked over TCP
    /// ```
    ///
    /// ## Fix
    /// Use `TCP` or `HTTP` for TCP ports and `UDP` for UDP ports; with ports of both protocols,
    /// give each its own entry in `kubernetes.io/elb.health-check-options`.
    pub struct HealthCheckProtocolMismatch {
        code: "LB027",
        name: "health-check-protocol-mismatch",
        severity: Error,
        scope: Cce,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.cce_frontends() {
        let Some(service) = cx.object(f.object).as_service() else {
            continue;
        };
        let ports: Vec<(Protocol, u16)> = service
            .ports
            .iter()
            .filter(|p| matches!(p.protocol, Protocol::Tcp | Protocol::Udp))
            .map(|p| (p.protocol, p.port))
            .collect();
        if let Some(Located {
            value: Some(checks),
            origin,
        }) = &f.listener.health_checks
        {
            for check in checks {
                let Some((protocol, port)) = &check.target else {
                    continue;
                };
                let Some(&(port_protocol, _)) = ports
                    .iter()
                    .find(|(p, n)| p.as_str() == protocol && n == port)
                else {
                    continue;
                };
                if check.fits(port_protocol) {
                    continue;
                }
                out.push(mismatch(cx, f.object, *origin, check.protocol.as_deref(), &[(port_protocol, *port)]));
            }
        }
        if let Some(Located {
            value: Some(check),
            origin,
        }) = &f.listener.health_check
        {
            let bad: Vec<(Protocol, u16)> = ports
                .iter()
                .copied()
                .filter(|(p, _)| !check.fits(*p))
                .collect();
            if !bad.is_empty() {
                out.push(mismatch(cx, f.object, *origin, check.protocol.as_deref(), &bad));
            }
        }
    }
}

fn mismatch(
    cx: &Context,
    object: crate::model::ObjectId,
    origin: crate::source::Origin,
    protocol: Option<&str>,
    ports: &[(Protocol, u16)],
) -> crate::rules::Finding {
    let listed: Vec<String> = ports.iter().map(|(p, n)| format!("{p}:{n}")).collect();
    let udp = ports.iter().any(|(p, _)| *p == Protocol::Udp);
    cx.finding(
        &META,
        object,
        origin,
        format!(
            "health-check protocol \"{}\" cannot check {} {}: CCE checks a TCP port over TCP or HTTP, a UDP port over UDP",
            protocol.unwrap_or_default(),
            if listed.len() == 1 { "port" } else { "ports" },
            listed.join(", ")
        ),
    )
    .caption(if udp { "a UDP port needs UDP" } else { "a TCP port needs TCP or HTTP" })
    .help("set \"protocol\" to fit each port (TCP or HTTP for TCP ports, UDP for UDP ports), or give ports of each protocol their own entry in kubernetes.io/elb.health-check-options")
}
