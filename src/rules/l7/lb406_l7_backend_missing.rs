use std::collections::HashSet;

use crate::rules::{Context, Severity, Sink};

declare_rule! {
    /// An Ingress forwards to a Service, or a Service port, that is not there.
    ///
    /// ## What it does
    /// For every path of a cloud Ingress, looks up the backend Service in the Ingress's namespace
    /// and cluster. A Service that is among the inputs but has no such port (by number, or by
    /// name for `port.name`) is an error at the port. A Service that is not among the inputs is a
    /// warning at its name: the inputs may be only part of what is applied. One finding per
    /// Ingress, Service and port.
    ///
    /// ## Why it matters
    /// The controller cannot build the backend group: TKE reports E4041 "Service Not Found" or
    /// E4042 "Service Port Not Found" and stops syncing, and the paths get no backends. A renamed
    /// Service or port is the usual cause, and nothing fails at `kubectl apply`.
    ///
    /// ## Example
    /// ```yaml
    /// backend: {service: {name: web, port: {number: 8080}}}
    /// # Service web: ports: [{port: 80}]
    /// ```
    ///
    /// ## Fix
    /// Point the backend at a port the Service has, or add the port to the Service; for a Service
    /// from another repository, lint the two together.
    pub struct L7BackendMissing {
        code: "LB406",
        name: "l7-backend-missing",
        severity: Error,
        scope: Any,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    let mut seen = HashSet::new();
    for (fid, f, facts) in cx.ingress_frontends() {
        let object = cx.object(f.object);
        let Some(ingress) = object.as_ingress() else {
            continue;
        };
        let namespace = &object.meta.namespace;
        for route in &facts.routes {
            let (Some(backend), Some(written)) = (
                &route.backend,
                ingress.paths.get(route.index).and_then(|p| p.backend.as_ref()),
            ) else {
                continue;
            };
            if !seen.insert((fid, backend.name.clone(), backend.port.clone())) {
                continue;
            }
            let Some(service) = backend.service else {
                out.push(
                    cx.finding(
                        &META,
                        f.object,
                        written.name.origin,
                        format!(
                            "backend Service {namespace}/{} is not among the inputs of cluster {}",
                            backend.name,
                            cx.cluster(f.object).name()
                        ),
                    )
                    .severity(Severity::Warning)
                    .caption("no such Service in the inputs")
                    .help("lint the Service together with the Ingress (an Ingress's backends must be in its namespace); if the Service does not exist, the paths get no backends"),
                );
                continue;
            };
            let (Some(port), Some(port_at)) = (&backend.port, &written.port) else {
                continue;
            };
            if backend.port_number.is_some() {
                continue;
            }
            let ports: Vec<String> = cx
                .object(service)
                .as_service()
                .map(|s| {
                    s.ports
                        .iter()
                        .map(|p| match &p.name {
                            Some(name) => format!("{} ({name})", p.port),
                            None => p.port.to_string(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            let has = match ports.as_slice() {
                [] => "no ports".to_string(),
                [one] => format!("port {one}"),
                many => format!("ports {}", many.join(", ")),
            };
            out.push(
                cx.finding(
                    &META,
                    f.object,
                    port_at.origin,
                    format!(
                        "backend Service {} has no port {port}: it has {has}",
                        cx.qualified_name(service)
                    ),
                )
                .caption("no such port")
                .help("use one of the Service's ports (its number, or its name with port.name), or add the port to the Service")
                .related(
                    cx.object(service).origin,
                    Some(cx.object_name(service)),
                    "the Service",
                ),
            );
        }
    }
}
