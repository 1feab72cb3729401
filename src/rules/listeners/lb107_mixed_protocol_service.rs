use crate::rules::{Context, Severity, Sink};
use crate::facts::{Fact, Gate};
use crate::k8s::Protocol;
use crate::model::frontend::on;

declare_rule! {
    /// A LoadBalancer Service mixes TCP and UDP ports.
    ///
    /// ## What it does
    /// Reports a LoadBalancer Service with both TCP and UDP in `spec.ports`: an error on any
    /// cluster below Kubernetes 1.24 (where the API server's mixed-protocol gate is off by default,
    /// whatever the provider) and on TKE without direct access (which allows one protocol per
    /// Service); no finding on TKE with direct access from 1.24 on, where it is supported; a warning on CCE, which creates one listener per
    /// protocol but does not document the case. The version check needs `--k8s-version`.
    ///
    /// ## Why it matters
    /// Where it is not supported, the API server refuses the Service or the controller drops one
    /// protocol, and DNS over TCP (or the UDP half of a game server) silently never gets a listener.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   type: LoadBalancer
    ///   ports:
    ///   - {name: dns, port: 53, protocol: UDP}
    ///   - {name: dns-tcp, port: 53, protocol: TCP}
    /// ```
    ///
    /// ## Fix
    /// Split the Service in two, one per protocol; on TKE, share one CLB between them with
    /// `qcloud-share-existed-lb` (Tencent Cloud TKE, "Multiple Services Sharing a CLB"), or enable direct access.
    pub struct MixedProtocolService {
        code: "LB107",
        name: "mixed-protocol-service",
        severity: Error,
        scope: Any,
        check: check,
        facts: [Version],
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.frontends() {
        let object = cx.object(f.object);
        let Some(service) = object.as_service() else {
            continue;
        };
        // The first TCP and the first UDP port; the later of the two is where the mix happens.
        let tcp = service
            .ports
            .iter()
            .position(|p| p.protocol == Protocol::Tcp);
        let udp = service
            .ports
            .iter()
            .position(|p| p.protocol == Protocol::Udp);
        let (Some(tcp), Some(udp)) = (tcp, udp) else {
            continue;
        };
        let (Some(first), Some(port)) = (
            service.ports.get(tcp.min(udp)),
            service.ports.get(tcp.max(udp)),
        ) else {
            continue;
        };
        // Below 1.24 the API server refuses the Service whatever the provider does.
        let old = cx.cluster(f.object).facts.version.is_some()
            && cx
                .version_below(out, &META, f.object, Gate::minor(1, 24))
                .is_some();
        let tke_direct = f.is_tke() && on(f.direct_access.as_ref());
        if tke_direct && !old {
            continue;
        }
        let (severity, why) = if old {
            (
                Severity::Error,
                "mixed-protocol LoadBalancer Services are off by default before Kubernetes 1.24"
                    .to_string(),
            )
        } else if f.is_tke() {
            (
                Severity::Error,
                "TKE allows one protocol per LoadBalancer Service unless direct access is on"
                    .to_string(),
            )
        } else if f.is_cce() {
            let unknown = if cx.cluster(f.object).facts.version.is_none() {
                format!(
                    "; below Kubernetes 1.24 it is an error (set {})",
                    Fact::Version.how_to_set()
                )
            } else {
                String::new()
            };
            (
                Severity::Warning,
                format!(
                    "CCE creates one listener per protocol, which its documentation does not cover{unknown}"
                ),
            )
        } else {
            // Neither the provider nor an old version makes it certain.
            let cluster = cx.cluster(f.object);
            let fact = if cluster.facts.version.is_none() {
                Fact::Version
            } else {
                Fact::Provider
            };
            out.unknown(&META, cluster, fact, f.object);
            continue;
        };
        out.push(
            cx.finding(
                &META,
                f.object,
                port.origin,
                format!(
                    "this Service mixes {} and {} ports: {why}",
                    first.protocol.as_str(),
                    port.protocol.as_str()
                ),
            )
            .severity(severity)
            .caption(format!("{} next to {}", port.protocol.as_str(), first.protocol.as_str()))
            .help("split the Service in two, one per protocol (on TKE they can share one CLB), or use TKE direct access")
            .related(first.origin, Some(cx.object_name(f.object)), format!("{} port", first.protocol.as_str())),
        );
    }
}
