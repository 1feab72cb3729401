//! Reading an Ingress: its class, TLS and the Services its rules send traffic to.

use super::Reader;
use crate::k8s::{Ingress, IngressBackend};
use crate::source::Origin;
use crate::source::node::{Entry, Node};

impl Reader<'_> {
    pub(super) fn ingress(&mut self, spec: Option<&Entry>, at: Origin) -> Ingress {
        let mut ingress = Ingress {
            class_name: None,
            tls: None,
            backends: Vec::new(),
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
            }
        }
        for key in ["defaultBackend", "backend"] {
            if let Some(backend) = spec.entry(key) {
                self.ingress_backend(&backend.value, &format!("spec.{key}"), at, &mut ingress);
            }
        }
        if let Some(rules) = self.sequence(spec.entry("rules"), "spec.rules", at) {
            for (r, rule) in rules.iter().enumerate() {
                let Some(http) = rule.get("http") else {
                    continue;
                };
                let Some(paths) = http.get("paths").and_then(Node::as_seq) else {
                    continue;
                };
                for (p, path) in paths.iter().enumerate() {
                    if let Some(backend) = path.get("backend") {
                        let where_ = format!("spec.rules[{r}].http.paths[{p}].backend");
                        self.ingress_backend(backend, &where_, at, &mut ingress);
                    }
                }
            }
        }
        ingress
    }

    /// `backend.service.name` (networking.k8s.io/v1) or `backend.serviceName` (v1beta1).
    fn ingress_backend(&mut self, backend: &Node, path: &str, at: Origin, ingress: &mut Ingress) {
        let entry = backend
            .get("service")
            .and_then(|s| s.entry("name"))
            .or_else(|| backend.entry("serviceName"));
        let Some(entry) = entry else { return };
        match entry.value.as_str() {
            Some(name) => {
                let origin = self.value_origin(entry, at);
                if !ingress.backends.iter().any(|b| b.service == name) {
                    ingress.backends.push(IngressBackend {
                        service: name.to_string(),
                        origin,
                    });
                }
            }
            None => self.wrong_type(entry, &format!("{path}.service.name"), "a string", at),
        }
    }
}
