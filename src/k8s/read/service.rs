//! Reading a Service: type, ports, selector, traffic policy and external IPs.

use super::Reader;
use crate::k8s::{Located, Protocol, Service, ServicePort, ServiceType};
use crate::source::Origin;
use crate::source::node::{Entry, Node};

impl Reader<'_> {
    pub(super) fn service(&mut self, spec: Option<&Entry>, at: Origin) -> Service {
        let mut service = Service {
            service_type: None,
            ports: Vec::new(),
            selector: None,
            selector_origin: None,
            external_traffic_policy: None,
            external_ips: Vec::new(),
        };
        let Some(spec) = self.mapping(spec, "spec", at) else {
            return service;
        };
        let service_type = self.string(spec.entry("type"), "spec.type", at);
        if let Some(text) = &service_type {
            if text.value.parse::<ServiceType>().is_err() {
                // The API server refuses it ("Unsupported value"): without this, a typo such as
                // `Loadbalancer` would leave the Service out of the plan without a word.
                self.problem(
                    text.origin,
                    format!(
                        "`spec.type` \"{}\" is not a Service type: Kubernetes knows ClusterIP, NodePort, LoadBalancer and ExternalName (the case matters)",
                        text.value
                    ),
                );
            }
        }
        service.service_type = service_type.and_then(parsed);
        if let Some(ports) = self.sequence(spec.entry("ports"), "spec.ports", at) {
            for (i, port) in ports.iter().enumerate() {
                if let Some(port) = self.service_port(port, i, at) {
                    service.ports.push(port);
                }
            }
        }
        if service.is_load_balancer()
            && spec
                .get("ports")
                .is_none_or(|p| p.as_seq().is_some_and(<[_]>::is_empty))
        {
            // The API server: "spec.ports: Required value". Not planned (no listener to plan).
            let at_type = service.service_type.as_ref().map_or(at, |t| t.origin);
            self.problem(
                at_type,
                "a LoadBalancer Service without `spec.ports`: Kubernetes refuses it (spec.ports: Required value)".into(),
            );
        }
        let selector = self.labels(spec.entry("selector"), "spec.selector", at);
        service.selector = (!selector.is_empty()).then_some(selector);
        service.selector_origin = spec.entry("selector").map(|e| self.key_origin(e, at));

        service.external_traffic_policy = self
            .string(
                spec.entry("externalTrafficPolicy"),
                "spec.externalTrafficPolicy",
                at,
            )
            .and_then(parsed);
        if let Some(ips) = self.sequence(spec.entry("externalIPs"), "spec.externalIPs", at) {
            for (i, ip) in ips.iter().enumerate() {
                match ip.as_str() {
                    Some(s) => service.external_ips.push(Located {
                        value: s.to_string(),
                        origin: self.origin(ip.span, at),
                    }),
                    None => self.problem(
                        self.origin(ip.span, at),
                        format!(
                            "`spec.externalIPs[{i}]` must be a string, found {}",
                            ip.type_name()
                        ),
                    ),
                }
            }
        }
        // Checked, since Kubernetes refuses a non-string class, but not kept: no rule reads it.
        self.string(
            spec.entry("loadBalancerClass"),
            "spec.loadBalancerClass",
            at,
        );
        service
    }

    fn service_port(&mut self, node: &Node, i: usize, at: Origin) -> Option<ServicePort> {
        let path = format!("spec.ports[{i}]");
        let item_at = self.origin(node.span, at);
        let Some(entries) = node.as_map() else {
            self.problem(
                item_at,
                format!("`{path}` must be a mapping, found {}", node.type_name()),
            );
            return None;
        };
        self.duplicates(entries, &path, item_at);
        let port_entry = node.entry("port");
        let origin = port_entry.map_or(item_at, |e| self.key_origin(e, item_at));
        let Some(number) = self.integer(port_entry, &format!("{path}.port"), item_at) else {
            if port_entry.is_none() {
                self.problem(item_at, format!("`{path}` has no `port`"));
            }
            return None;
        };
        let Ok(port) = u16::try_from(number)
            .map_err(drop)
            .and_then(|p| if p == 0 { Err(()) } else { Ok(p) })
        else {
            self.problem(
                origin,
                format!("`{path}.port` must be 1-65535, found {number}"),
            );
            return None;
        };
        let protocol =
            match self.string(node.entry("protocol"), &format!("{path}.protocol"), item_at) {
                None => Protocol::Tcp,
                Some(p) => match p.value.as_str() {
                    "TCP" => Protocol::Tcp,
                    "UDP" => Protocol::Udp,
                    "SCTP" => Protocol::Sctp,
                    other => {
                        self.problem(
                            p.origin,
                            format!(
                                "`{path}.protocol` must be TCP, UDP or SCTP, found \"{other}\""
                            ),
                        );
                        return None;
                    }
                },
            };
        let name = node.get("name").and_then(Node::as_str).map(str::to_string);
        Some(ServicePort {
            name,
            port,
            protocol,
            origin,
        })
    }
}

/// A string field as one of the values Kubernetes defines for it; `None` for any other.
fn parsed<T: std::str::FromStr>(text: Located<String>) -> Option<Located<T>> {
    let Located { value, origin } = text;
    Some(Located {
        value: value.parse().ok()?,
        origin,
    })
}
