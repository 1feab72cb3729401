//! Reading an Ingress: its class, TLS entries, and every HTTP path of its rules (host, path,
//! `pathType`, CCE's per-path match mode, and the Service and port it forwards to).

use super::Reader;
use crate::k8s::{
    Ingress, IngressBackend, IngressPath, IngressTls, Located, PathType, PortRef, ServiceRef,
};
use crate::source::Origin;
use crate::source::node::{Entry, Node, Value};

/// CCE's per-path match mode, a key of the path's `property` mapping.
const URL_MATCH_MODE: &str = "ingress.beta.kubernetes.io/url-match-mode";

impl Reader<'_> {
    /// `v1`: the object is `networking.k8s.io/v1`; `metadata` its metadata mapping, for the
    /// creation time.
    pub(super) fn ingress(
        &mut self,
        spec: Option<&Entry>,
        v1: bool,
        metadata: Option<&Node>,
        at: Origin,
    ) -> Ingress {
        let mut ingress = Ingress {
            class_name: None,
            tls: None,
            tls_entries: Vec::new(),
            backends: Vec::new(),
            paths: Vec::new(),
            default_backend: None,
            v1,
            created: metadata
                .and_then(|m| m.get("creationTimestamp"))
                .and_then(Node::scalar_text)
                .map(std::borrow::Cow::into_owned)
                .filter(|t| !t.is_empty()),
        };
        let Some(spec) = self.mapping(spec, "spec", at) else {
            return ingress;
        };
        ingress.class_name = self
            .string(spec.entry("ingressClassName"), "spec.ingressClassName", at)
            .map(|c| c.value);
        if let Some(tls_entry) = spec.entry("tls") {
            if let Some(tls) = self.sequence(Some(tls_entry), "spec.tls", at) {
                if !tls.is_empty() {
                    ingress.tls = Some(self.key_origin(tls_entry, at));
                }
                for (i, item) in tls.iter().enumerate() {
                    if let Some(entry) = self.tls_entry(item, i, at) {
                        ingress.tls_entries.push(entry);
                    }
                }
            }
        }
        for key in ["defaultBackend", "backend"] {
            if let Some(backend) = spec.entry(key) {
                ingress.default_backend = Some(self.key_origin(backend, at));
                if let Some(service) = self.service_ref(&backend.value, &format!("spec.{key}"), at)
                {
                    add_backend(&mut ingress, &service);
                }
            }
        }
        if let Some(rules) = self.sequence(spec.entry("rules"), "spec.rules", at) {
            for (r, rule) in rules.iter().enumerate() {
                self.rule(rule, r, at, &mut ingress);
            }
        }
        ingress
    }

    fn rule(&mut self, rule: &Node, r: usize, at: Origin, ingress: &mut Ingress) {
        let where_ = format!("spec.rules[{r}]");
        let rule_at = self.origin(rule.span, at);
        if rule.as_map().is_none() {
            self.problem(
                rule_at,
                format!("`{where_}` must be a mapping, found {}", rule.type_name()),
            );
            return;
        }
        let host = self
            .string(rule.entry("host"), &format!("{where_}.host"), rule_at)
            .filter(|h| !h.value.is_empty());
        let Some(http) = self.mapping(rule.entry("http"), &format!("{where_}.http"), rule_at)
        else {
            return;
        };
        let Some(paths) = self.sequence(
            http.entry("paths"),
            &format!("{where_}.http.paths"),
            rule_at,
        ) else {
            return;
        };
        for (p, item) in paths.iter().enumerate() {
            let where_ = format!("{where_}.http.paths[{p}]");
            let item_at = self.origin(item.span, rule_at);
            if item.as_map().is_none() {
                self.problem(
                    item_at,
                    format!("`{where_}` must be a mapping, found {}", item.type_name()),
                );
                continue;
            }
            let path = self.string(item.entry("path"), &format!("{where_}.path"), item_at);
            let path_type = self
                .string(item.entry("pathType"), &format!("{where_}.pathType"), item_at)
                .map(|t| {
                    let known = t.value.parse::<PathType>().ok();
                    if known.is_none() {
                        self.problem(
                            t.origin,
                            format!(
                                "`{where_}.pathType` must be Exact, Prefix or ImplementationSpecific, found \"{}\": Kubernetes refuses it",
                                t.value
                            ),
                        );
                    }
                    Located {
                        value: known,
                        origin: t.origin,
                    }
                });
            let match_mode = self
                .mapping(
                    item.entry("property"),
                    &format!("{where_}.property"),
                    item_at,
                )
                .and_then(|property| {
                    self.string(
                        property.entry(URL_MATCH_MODE),
                        &format!("{where_}.property.{URL_MATCH_MODE}"),
                        item_at,
                    )
                });
            let backend = item
                .get("backend")
                .and_then(|b| self.service_ref(b, &format!("{where_}.backend"), item_at));
            if let Some(service) = &backend {
                add_backend(ingress, service);
            }
            ingress.paths.push(IngressPath {
                host: host.clone(),
                origin: path.as_ref().map_or(item_at, |p| p.origin),
                path,
                path_type,
                match_mode,
                backend,
            });
        }
    }

    fn tls_entry(&mut self, item: &Node, i: usize, at: Origin) -> Option<IngressTls> {
        let where_ = format!("spec.tls[{i}]");
        let origin = self.origin(item.span, at);
        if item.as_map().is_none() {
            self.problem(
                origin,
                format!("`{where_}` must be a mapping, found {}", item.type_name()),
            );
            return None;
        }
        let mut hosts = Vec::new();
        if let Some(list) = self.sequence(item.entry("hosts"), &format!("{where_}.hosts"), origin) {
            for (h, host) in list.iter().enumerate() {
                let host_at = self.origin(host.span, origin);
                match host.as_str() {
                    Some(name) => hosts.push(Located {
                        value: name.to_string(),
                        origin: host_at,
                    }),
                    None => self.problem(
                        host_at,
                        format!(
                            "`{where_}.hosts[{h}]` must be a string, found {}",
                            host.type_name()
                        ),
                    ),
                }
            }
        }
        let secret = self
            .string(
                item.entry("secretName"),
                &format!("{where_}.secretName"),
                origin,
            )
            .filter(|s| !s.value.is_empty());
        Some(IngressTls {
            hosts,
            secret,
            origin,
        })
    }

    /// `backend.service.{name, port}` (networking.k8s.io/v1) or `backend.{serviceName,
    /// servicePort}` (v1beta1). `None` for a resource backend or a backend without a name.
    fn service_ref(&mut self, backend: &Node, path: &str, at: Origin) -> Option<ServiceRef> {
        let (name_entry, port_entry, port_path) = match backend.get("service") {
            Some(service) => (
                service.entry("name"),
                service.get("port").and_then(|p| {
                    p.entry("number")
                        .map(|e| (e, "number"))
                        .or_else(|| p.entry("name").map(|e| (e, "name")))
                }),
                "service.port",
            ),
            None => (
                backend.entry("serviceName"),
                backend.entry("servicePort").map(|e| (e, "")),
                "servicePort",
            ),
        };
        let name_entry = name_entry?;
        let Some(name) = name_entry.value.as_str() else {
            let key = if port_path == "servicePort" {
                "serviceName"
            } else {
                "service.name"
            };
            self.wrong_type(name_entry, &format!("{path}.{key}"), "a string", at);
            return None;
        };
        let name = Located {
            value: name.to_string(),
            origin: self.value_origin(name_entry, at),
        };
        let port = port_entry.and_then(|(entry, kind)| {
            let where_ = if kind.is_empty() {
                format!("{path}.{port_path}")
            } else {
                format!("{path}.{port_path}.{kind}")
            };
            self.port_ref(entry, &where_, kind, at)
        });
        Some(ServiceRef { name, port })
    }

    /// A backend port: `number` (an integer), `name` (a string), or v1beta1's `servicePort`
    /// (either).
    fn port_ref(
        &mut self,
        entry: &Entry,
        path: &str,
        kind: &str,
        at: Origin,
    ) -> Option<Located<PortRef>> {
        let origin = self.key_origin(entry, at);
        let value = match (&entry.value.value, kind) {
            (Value::Int(n), "number" | "") => match u16::try_from(*n) {
                Ok(p) if p > 0 => PortRef::Number(p),
                _ => {
                    self.problem(origin, format!("`{path}` must be 1-65535, found {n}"));
                    return None;
                }
            },
            (Value::Str(s), "name" | "") => PortRef::Name(s.to_string()),
            (Value::Null, _) => return None,
            _ => {
                let expected = match kind {
                    "number" => "an integer",
                    "name" => "a string",
                    _ => "an integer or a string",
                };
                self.wrong_type(entry, path, expected, at);
                return None;
            }
        };
        Some(Located { value, origin })
    }
}

fn add_backend(ingress: &mut Ingress, service: &ServiceRef) {
    if !ingress
        .backends
        .iter()
        .any(|b| b.service == service.name.value)
    {
        ingress.backends.push(IngressBackend {
            service: service.name.value.clone(),
            origin: service.name.origin,
        });
    }
}
