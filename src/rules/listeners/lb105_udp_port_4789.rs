use crate::rules::{Context, Sink};
use crate::k8s::Protocol;

declare_rule! {
    /// A UDP listener on port 4789, which the ELB rejects.
    ///
    /// ## What it does
    /// On CCE, reports each UDP port 4789 of a LoadBalancer Service.
    ///
    /// ## Why it matters
    /// Huawei ELB does not allow a UDP listener on port 4789 (the VXLAN port it uses itself;
    /// ground truth §1.7). The listener is never created and the Service stays half-synchronised.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   ports:
    ///   - port: 4789
    ///     protocol: UDP
    /// ```
    ///
    /// ## Fix
    /// Publish the service on another UDP port (`targetPort` can stay 4789).
    pub struct UdpPort4789 {
        code: "LB105",
        name: "udp-port-4789",
        severity: Error,
        scope: Cce,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.cce_frontends() {
        for claim in f
            .claims
            .iter()
            .filter(|c| c.protocol == Protocol::Udp && c.port == 4789)
        {
            out.push(
                cx.finding(
                    &META,
                    f.object,
                    claim.origin,
                    "UDP listener on port 4789, which the ELB rejects",
                )
                .caption("reserved on the ELB")
                .help("use another UDP port for the listener; the targetPort may stay 4789"),
            );
        }
    }
}
