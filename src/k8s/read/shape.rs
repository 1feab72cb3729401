//! Fields Kubernetes does not define, in a Service or an Ingress (LB030): each mapping is compared
//! with the fields of its OpenAPI definition (`k8s::fields`, generated), and an unknown key that a
//! nearby definition has is said to belong there (`ipFamilyPolicy` indented under a port belongs
//! in `spec`).

use super::{Modelled, Reader};
use crate::k8s::UnknownField;
use crate::k8s::fields as f;
use crate::source::Origin;
use crate::source::node::Node;

/// Fields of one place, and the places nearby whose fields an unknown key may belong to, each
/// with what to tell then.
struct Place<'p> {
    path: String,
    fields: &'static [&'static str],
    nearby: &'p [(&'static [&'static str], &'static str)],
}

impl Reader<'_> {
    /// The unknown fields of a Service or Ingress document (empty for other kinds).
    pub(super) fn unknown_fields(
        &self,
        node: &Node,
        modelled: Modelled,
        api_version: &str,
        at: Origin,
    ) -> Vec<UnknownField> {
        let mut out = Vec::new();
        match modelled {
            Modelled::Service => self.service_shape(node, at, &mut out),
            Modelled::Ingress => {
                self.ingress_shape(node, api_version == "networking.k8s.io/v1", at, &mut out);
            }
            _ => {}
        }
        out
    }

    fn service_shape(&self, node: &Node, at: Origin, out: &mut Vec<UnknownField>) {
        let top = Place {
            path: String::new(),
            fields: f::SERVICE,
            nearby: &[
                (f::SERVICE_SPEC, "it belongs in spec"),
                (f::OBJECT_META, "it belongs in metadata"),
            ],
        };
        self.check(node, &top, at, out);
        self.metadata_shape(node, at, out);
        let Some(spec) = node.get("spec") else {
            return;
        };
        let place = Place {
            path: "spec".into(),
            fields: f::SERVICE_SPEC,
            nearby: &[
                (f::OBJECT_META, "it belongs in metadata"),
                (f::SERVICE_PORT, "it belongs in an entry of spec.ports"),
            ],
        };
        self.check(spec, &place, at, out);
        for (i, port) in spec
            .get("ports")
            .and_then(Node::as_seq)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let place = Place {
                path: format!("spec.ports[{i}]"),
                fields: f::SERVICE_PORT,
                nearby: &[(f::SERVICE_SPEC, "it belongs in spec")],
            };
            self.check(port, &place, at, out);
        }
    }

    fn ingress_shape(&self, node: &Node, v1: bool, at: Origin, out: &mut Vec<UnknownField>) {
        let (spec_fields, backend_fields) = if v1 {
            (f::INGRESS_SPEC_V1, f::INGRESS_BACKEND_V1)
        } else {
            (f::INGRESS_SPEC_V1BETA1, f::INGRESS_BACKEND_V1BETA1)
        };
        let top = Place {
            path: String::new(),
            fields: f::INGRESS,
            nearby: &[
                (spec_fields, "it belongs in spec"),
                (f::OBJECT_META, "it belongs in metadata"),
            ],
        };
        self.check(node, &top, at, out);
        self.metadata_shape(node, at, out);
        let Some(spec) = node.get("spec") else {
            return;
        };
        let nearby_spec = [
            (f::OBJECT_META, "it belongs in metadata"),
            (f::INGRESS_RULE, "it belongs in an entry of spec.rules"),
        ];
        let place = Place {
            path: "spec".into(),
            fields: spec_fields,
            nearby: &nearby_spec,
        };
        self.check(spec, &place, at, out);
        for key in ["defaultBackend", "backend"] {
            if let Some(backend) = spec.get(key) {
                self.backend_shape(backend, &format!("spec.{key}"), v1, backend_fields, at, out);
            }
        }
        for (i, tls) in items(spec, "tls").enumerate() {
            let place = Place {
                path: format!("spec.tls[{i}]"),
                fields: f::INGRESS_TLS,
                nearby: &[],
            };
            self.check(tls, &place, at, out);
        }
        for (i, rule) in items(spec, "rules").enumerate() {
            let nearby = [
                (spec_fields, "it belongs in spec"),
                (f::HTTP_INGRESS_RULE_VALUE, "it belongs in the rule's http"),
            ];
            let place = Place {
                path: format!("spec.rules[{i}]"),
                fields: f::INGRESS_RULE,
                nearby: &nearby,
            };
            self.check(rule, &place, at, out);
            let Some(http) = rule.get("http") else {
                continue;
            };
            let place = Place {
                path: format!("spec.rules[{i}].http"),
                fields: f::HTTP_INGRESS_RULE_VALUE,
                nearby: &[(f::HTTP_INGRESS_PATH, "it belongs in an entry of http.paths")],
            };
            self.check(http, &place, at, out);
            for (j, path) in items(http, "paths").enumerate() {
                let nearby = [(backend_fields, "it belongs in the path's backend")];
                let place = Place {
                    path: format!("spec.rules[{i}].http.paths[{j}]"),
                    fields: f::HTTP_INGRESS_PATH,
                    nearby: &nearby,
                };
                // CCE's Ingress API takes `property` on a path (its URL match mode,
                // ingress-l7.md §1.2): a field of CCE's, not an unknown one.
                let place = Place {
                    fields: &HTTP_INGRESS_PATH_CCE,
                    ..place
                };
                self.check(path, &place, at, out);
                if let Some(backend) = path.get("backend") {
                    let at_path = format!("spec.rules[{i}].http.paths[{j}].backend");
                    self.backend_shape(backend, &at_path, v1, backend_fields, at, out);
                }
            }
        }
    }

    fn backend_shape(
        &self,
        backend: &Node,
        path: &str,
        v1: bool,
        fields: &'static [&'static str],
        at: Origin,
        out: &mut Vec<UnknownField>,
    ) {
        // The v1beta1 names in a v1 Ingress: the most common mistake when moving to v1.
        let other_version: &[(&'static [&'static str], &'static str)] = if v1 {
            &[(
                f::INGRESS_BACKEND_V1BETA1,
                "it is the v1beta1 backend form: networking.k8s.io/v1 writes service.name and service.port",
            )]
        } else {
            &[(
                f::INGRESS_BACKEND_V1,
                "it is the networking.k8s.io/v1 backend form: v1beta1 writes serviceName and servicePort",
            )]
        };
        let place = Place {
            path: path.to_string(),
            fields,
            nearby: other_version,
        };
        self.check(backend, &place, at, out);
        if !v1 {
            return;
        }
        let Some(service) = backend.get("service") else {
            return;
        };
        let place = Place {
            path: format!("{path}.service"),
            fields: f::INGRESS_SERVICE_BACKEND,
            nearby: &[(f::SERVICE_BACKEND_PORT, "it belongs in the service's port")],
        };
        self.check(service, &place, at, out);
        if let Some(port) = service.get("port") {
            let place = Place {
                path: format!("{path}.service.port"),
                fields: f::SERVICE_BACKEND_PORT,
                nearby: &[],
            };
            self.check(port, &place, at, out);
        }
    }

    fn metadata_shape(&self, node: &Node, at: Origin, out: &mut Vec<UnknownField>) {
        if let Some(metadata) = node.get("metadata") {
            let place = Place {
                path: "metadata".into(),
                fields: f::OBJECT_META,
                nearby: &[],
            };
            self.check(metadata, &place, at, out);
        }
    }

    /// Each key of the mapping `node` that `place` does not define.
    fn check(&self, node: &Node, place: &Place, at: Origin, out: &mut Vec<UnknownField>) {
        for entry in node.as_map().into_iter().flatten() {
            let key = entry.key.as_ref();
            if place.fields.contains(&key) {
                continue;
            }
            let belongs = place
                .nearby
                .iter()
                .find(|(fields, _)| fields.contains(&key))
                .map(|(_, name)| (*name).to_string());
            out.push(UnknownField {
                path: place.path.clone(),
                key: key.to_string(),
                origin: self.key_origin(entry, at),
                belongs,
            });
        }
    }
}

/// The fields of an Ingress path, with CCE's `property` (`ingress.beta.kubernetes.io/url-match-mode`).
static HTTP_INGRESS_PATH_CCE: std::sync::LazyLock<Vec<&'static str>> =
    std::sync::LazyLock::new(|| {
        let mut fields = f::HTTP_INGRESS_PATH.to_vec();
        fields.push("property");
        fields
    });

/// The items of the list `key` of a mapping (none when it is not a list).
fn items<'n, 'a>(node: &'n Node<'a>, key: &str) -> impl Iterator<Item = &'n Node<'a>> {
    node.get(key).and_then(Node::as_seq).into_iter().flatten()
}

#[cfg(test)]
mod tests {
    use crate::k8s::fields as f;

    /// The vendored table names where it comes from, and holds what LB030's messages rely on.
    #[test]
    fn the_field_table_names_its_source_and_holds_the_known_fields() {
        let text = include_str!("../fields.rs");
        assert!(text.contains("Generated by `scripts/k8s-fields`"));
        assert!(text.contains("kubernetes-validate 1.37.0"));
        assert!(text.contains("kubernetes-validate 1.21.0"));
        for field in ["ipFamilyPolicy", "externalTrafficPolicy", "ports", "type"] {
            assert!(f::SERVICE_SPEC.contains(&field), "{field}");
        }
        assert!(!f::SERVICE_PORT.contains(&"ipFamilyPolicy"));
        assert!(f::INGRESS_BACKEND_V1BETA1.contains(&"serviceName"));
        assert!(!f::INGRESS_BACKEND_V1.contains(&"serviceName"));
        assert!(f::INGRESS_SPEC_V1.contains(&"defaultBackend"));
        assert!(f::INGRESS_SPEC_V1BETA1.contains(&"backend"));
    }
}
