//! The forwarding rules of a cloud Ingress as its cloud reads them, and the Ingress annotations
//! that shape them, parsed once (shared/research/ingress-l7.md).
//!
//! - Match kind: CCE maps `pathType: Exact` to an exact match and `Prefix` to a prefix match; with
//!   `ImplementationSpecific` (or no `pathType`, v1beta1) the path's
//!   `ingress.beta.kubernetes.io/url-match-mode` decides (`EQUAL_TO`, `STARTS_WITH` the default,
//!   `REGEX`). How TKE maps `pathType` is not documented: lbplan shows Kubernetes' meaning
//!   (`Exact` exact, otherwise prefix), and TKE's duplicate check ignores the match kind anyway.
//! - Listeners: a CCE rule goes on every listener of its Ingress; a TKE rule goes on HTTPS when the
//!   Ingress has `spec.tls`, else HTTP, unless `rule-mix` lists it in `http-rules` / `https-rules`
//!   (a rule in neither goes to HTTPS).
//! - Backends are resolved to the Service (same cluster and namespace) and its port number.

pub use super::routes::{
    IngressFacts, ListenPorts, MatchKind, Route, RouteBackend, Setting, URL_MATCH_MODES,
};
use super::rule_mix::{assign_tke_listeners, mix_list};
use super::{Inventory, ObjectId};
use crate::facts::Provider;
use crate::k8s::annotations::is_on;
use crate::k8s::{
    Annotation, Ingress, IngressPath, Located, Object, PathType, PortRef, Protocol, keys,
};

fn flag(a: Option<&Annotation>) -> Option<Located<bool>> {
    a.map(|a| Located {
        value: is_on(&a.key, &a.value),
        origin: a.origin,
    })
}

/// Read an Ingress's rules and rule annotations for `provider`.
pub fn facts(
    inv: &Inventory,
    id: ObjectId,
    provider: Option<Provider>,
    object: &Object,
    ingress: &Ingress,
) -> IngressFacts {
    let annotations = object.annotations();
    let is_cce = provider.is_some_and(Provider::is_cce);
    let is_tke = provider.is_some_and(Provider::is_tke);
    let cce = |key: &str| annotations.get(key).filter(|_| is_cce);
    let tke = |key: &str| annotations.get(key).filter(|_| is_tke);
    let mut facts = IngressFacts {
        created: ingress.created.clone(),
        listen_ports: cce(keys::ELB_LISTEN_PORTS).map(|a| Located {
            value: parse_listen_ports(&a.value),
            origin: a.origin,
        }),
        ssl_redirect: flag(cce(keys::ELB_SSL_REDIRECT)),
        redirect_url: cce(keys::ELB_REDIRECT_URL)
            .filter(|a| !a.value.trim().is_empty())
            .map(|a| Located {
                value: a.value.trim().to_string(),
                origin: a.origin,
            }),
        redirect_code: cce(keys::ELB_REDIRECT_URL_CODE).map(|a| a.value.trim().to_string()),
        master_ingress: cce(keys::ELB_LISTENER_MASTER_INGRESS).map(|a| Located {
            value: a.value.trim().to_string(),
            origin: a.origin,
        }),
        settings: keys::ELB_LISTENER_SETTINGS
            .iter()
            .filter_map(|(key, _)| {
                cce(key).map(|a| Setting {
                    key,
                    value: a.value.trim().to_string(),
                    origin: a.origin,
                })
            })
            .collect(),
        elb_certificates: cce(keys::ELB_TLS_CERTIFICATE_IDS).map(|a| Located {
            value: a
                .value
                .split(',')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect(),
            origin: a.origin,
        }),
        enable_group: flag(tke(keys::TKE_INGRESS_ENABLE_GROUP)),
        rule_mix: flag(tke(keys::TKE_INGRESS_RULE_MIX)),
        http_rules: tke(keys::TKE_INGRESS_HTTP_RULES).map(mix_list),
        https_rules: tke(keys::TKE_INGRESS_HTTPS_RULES).map(mix_list),
        auto_rewrite: tke(keys::TKE_INGRESS_AUTO_REWRITE).is_some_and(|a| a.value == "true")
            && tke(keys::TKE_INGRESS_REWRITE_SUPPORT).is_some_and(|a| a.value == "true"),
        routes: Vec::new(),
    };
    let namespace = &object.meta.namespace;
    facts.routes = ingress
        .paths
        .iter()
        .enumerate()
        .map(|(index, p)| route(inv, (id, namespace), is_cce, index, p))
        .collect();
    if is_tke {
        assign_tke_listeners(&mut facts, ingress.tls.is_some());
    }
    facts
}

/// One path as a forwarding rule, its backend resolved in `namespace` of the Ingress `from`'s
/// cluster (and placement).
fn route(
    inv: &Inventory,
    (from, namespace): (ObjectId, &str),
    is_cce: bool,
    index: usize,
    p: &IngressPath,
) -> Route {
    let host = p.host.as_ref().map(|h| h.value.to_ascii_lowercase());
    let path = p
        .path
        .as_ref()
        .map(|p| p.value.as_str())
        .filter(|p| !p.is_empty())
        .unwrap_or("/")
        .to_string();
    let match_kind = match (p.path_type(), is_cce) {
        (Some(PathType::Exact), _) => MatchKind::Exact,
        (Some(PathType::Prefix), _) | (_, false) => MatchKind::Prefix,
        // ImplementationSpecific, or none written (v1beta1): the path's match mode. An invalid
        // one (LB407) is planned as the default.
        (_, true) => p
            .match_mode
            .as_ref()
            .and_then(|m| url_match_mode(m.value.trim()))
            .unwrap_or(MatchKind::Prefix),
    };
    let backend = p.backend.as_ref().map(|b| {
        let service = inv.targets.service(inv, from, namespace, &b.name.value);
        let port = b.port.as_ref().map(|p| p.value.clone());
        let port_number = service
            .and_then(|s| inv.object(s).as_service())
            .and_then(|s| {
                s.ports
                    .iter()
                    .find(|sp| match &port {
                        Some(PortRef::Number(n)) => sp.port == *n,
                        Some(PortRef::Name(name)) => sp.name.as_deref() == Some(name.as_str()),
                        None => false,
                    })
                    .map(|sp| sp.port)
            });
        RouteBackend {
            name: b.name.value.clone(),
            port,
            service,
            port_number,
        }
    });
    Route {
        index,
        host,
        path,
        match_kind,
        backend,
        origin: p.origin,
        on_http: true,
        on_https: true,
        unlisted: false,
    }
}

/// A CCE `url-match-mode` value, exactly as the documentation spells it.
pub fn url_match_mode(value: &str) -> Option<MatchKind> {
    URL_MATCH_MODES
        .iter()
        .find(|(word, _)| *word == value)
        .map(|(_, kind)| *kind)
}

/// `[{"HTTP":80},{"HTTPS":443}]`; `None` unless every entry is one protocol and a port.
pub fn parse_listen_ports(value: &str) -> Option<ListenPorts> {
    let json: serde_json::Value = serde_json::from_str(value).ok()?;
    let mut out = Vec::new();
    for item in json.as_array()? {
        let map = item.as_object()?;
        if map.len() != 1 {
            return None;
        }
        for (protocol, port) in map {
            let protocol = match protocol.as_str() {
                "HTTP" => Protocol::Http,
                "HTTPS" => Protocol::Https,
                _ => return None,
            };
            let port = match port {
                serde_json::Value::Number(n) => n.as_u64(),
                serde_json::Value::String(s) => s.trim().parse().ok(),
                _ => None,
            }
            .and_then(|p| u16::try_from(p).ok())
            .filter(|&p| p > 0)?;
            out.push((protocol, port));
        }
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_ports_are_protocol_and_port_pairs() {
        assert_eq!(
            parse_listen_ports(r#"[{"HTTP":80},{"HTTPS":"443"}]"#),
            Some(vec![(Protocol::Http, 80), (Protocol::Https, 443)])
        );
        for bad in [
            "",
            "80",
            "[]",
            r#"[{"TCP":80}]"#,
            r#"[{"HTTP":0}]"#,
            r#"[{"HTTP":80,"HTTPS":443}]"#,
            r#"{"HTTP":80}"#,
        ] {
            assert_eq!(parse_listen_ports(bad), None, "{bad}");
        }
    }

    #[test]
    fn match_modes_are_spelled_as_documented() {
        assert_eq!(url_match_mode("EQUAL_TO"), Some(MatchKind::Exact));
        assert_eq!(url_match_mode("REGEX"), Some(MatchKind::Regex));
        assert_eq!(url_match_mode("starts_with"), None);
    }
}
