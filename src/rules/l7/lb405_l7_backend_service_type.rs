use std::collections::HashSet;

use crate::rules::{Context, Sink};
use crate::facts::Fact;
use crate::k8s::ServiceType;
use crate::model::Mode;

declare_rule! {
    /// An Ingress forwards to a Service of a type its cloud cannot reach.
    ///
    /// ## What it does
    /// For every Service a cloud Ingress forwards to (when it is among the inputs), checks its
    /// `spec.type` (ClusterIP when none is written). On CCE, a ClusterIP Service is reported
    /// unless the cluster is CCE Turbo and the ELB is dedicated (`kubernetes.io/elb.class:
    /// performance`), the one case where the ELB reaches pods directly; with a dedicated ELB and an
    /// unknown cluster flavor the check is skipped with a note. On TKE without direct access, a
    /// Service that is neither NodePort nor LoadBalancer is reported (error E4047). One finding per
    /// Ingress and Service, at its first backend.
    ///
    /// ## Why it matters
    /// Without pass-through the load balancer sends traffic to the nodes' NodePorts; a ClusterIP
    /// Service has none, so the backend group stays empty and every request on those paths fails.
    ///
    /// ## Example
    /// ```yaml
    /// # Ingress (class cce, shared ELB): backend {service: {name: web, port: {number: 80}}}
    /// # Service web: type ClusterIP
    /// ```
    ///
    /// ## Fix
    /// Make the backend Service `type: NodePort` (or LoadBalancer); on CCE Turbo, a dedicated ELB
    /// (`performance`) reaches ClusterIP Services' pods directly; on TKE, so does direct access
    /// (`ingress.cloud.tencent.com/direct-access: "true"`).
    pub struct L7BackendServiceType {
        code: "LB405",
        name: "l7-backend-service-type",
        severity: Error,
        scope: Any,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    let mut seen = HashSet::new();
    for (fid, f, facts) in cx.ingress_frontends() {
        let Some(ingress) = cx.object(f.object).as_ingress() else {
            continue;
        };
        for route in &facts.routes {
            let Some(service) = route.backend.as_ref().and_then(|b| b.service) else {
                continue;
            };
            let Some(spec) = cx.object(service).as_service() else {
                continue;
            };
            let service_type = spec
                .service_type
                .as_ref()
                .map_or(ServiceType::ClusterIP, |t| t.value);
            let refused = if f.is_cce() {
                service_type == ServiceType::ClusterIP && !turbo_dedicated(cx, out, f)
            } else if f.is_tke() {
                f.mode != Mode::Pod
                    && !matches!(service_type, ServiceType::NodePort | ServiceType::LoadBalancer)
            } else {
                false
            };
            if !refused || !seen.insert((fid, service)) {
                continue;
            }
            let Some(at) = ingress
                .paths
                .get(route.index)
                .and_then(|p| p.backend.as_ref())
                .map(|b| b.name.origin)
            else {
                continue;
            };
            let written: &str = service_type.into();
            let (why, fix) = if f.is_cce() {
                (
                    "a CCE ELB reaches a Service through its NodePorts, except a dedicated ELB on CCE Turbo".to_string(),
                    format!(
                        "make the Service type: NodePort; on CCE Turbo a dedicated ELB (kubernetes.io/elb.class: performance) reaches its pods directly{}",
                        cx.ct_caveat(f)
                    ),
                )
            } else {
                (
                    "without direct access TKE binds a Service's NodePorts (error E4047)".to_string(),
                    "make the Service type: NodePort, or turn on ingress.cloud.tencent.com/direct-access: \"true\"".to_string(),
                )
            };
            let type_at = spec
                .service_type
                .as_ref()
                .map_or(cx.object(service).origin, |t| t.origin);
            out.push(
                cx.finding(
                    &META,
                    f.object,
                    at,
                    format!(
                        "backend Service {} is of type {written}: {why}",
                        cx.qualified_name(service)
                    ),
                )
                .caption(format!("a {written} Service"))
                .help(fix)
                .related(type_at, Some(cx.object_name(service)), format!("type {written}")),
            );
        }
    }
}

/// CCE Turbo with a dedicated ELB, where the ELB reaches pods directly. Needs the cluster flavor
/// when the ELB is dedicated: unknown, the check is skipped with a note.
fn turbo_dedicated(cx: &Context, out: &mut Sink, f: &crate::model::Frontend) -> bool {
    if !f.is_dedicated() {
        return false;
    }
    if let Some(turbo) = cx.cluster(f.object).facts.is_turbo() {
        return turbo;
    }
    out.unknown(&META, cx.cluster(f.object), Fact::Flavor, f.object);
    true
}
