//! TKE's mixed HTTP/HTTPS rules (`kubernetes.io/ingress.rule-mix` with `http-rules` and
//! `https-rules`, ingress-l7.md T5): which listener each rule of an Ingress goes to, and which
//! list entries match no rule.

use super::routes::{IngressFacts, Route};
pub use super::routes::{MixEntry, MixList};
use crate::k8s::Annotation;

/// TKE: each rule on HTTP or HTTPS (T5).
pub(super) fn assign_tke_listeners(facts: &mut IngressFacts, tls: bool) {
    let mix = facts.rule_mix_on();
    for route in &mut facts.routes {
        if !mix {
            route.on_http = !tls;
            route.on_https = tls;
            continue;
        }
        route.on_http = mark_listed(facts.http_rules.as_mut(), route);
        route.on_https = mark_listed(facts.https_rules.as_mut(), route);
        if !route.on_http && !route.on_https {
            route.on_https = true;
            route.unlisted = true;
        }
    }
}

/// Whether `list` names `route` (host, path, Service and port, as TKE compares them); marks the
/// entries that do.
fn mark_listed(list: Option<&mut MixList>, route: &Route) -> bool {
    let Some(Ok(entries)) = list.map(|l| &mut l.entries) else {
        return false;
    };
    let mut listed = false;
    let backend = route.backend.as_ref();
    for entry in entries.iter_mut() {
        let same = entry.host == route.host
            && entry.path == route.path
            && entry.service.as_deref() == backend.map(|b| b.name.as_str())
            && entry.port
                == backend
                    .and_then(|b| b.port.as_ref())
                    .map(ToString::to_string);
        if same {
            entry.matched = true;
            listed = true;
        }
    }
    listed
}

/// TKE `http-rules` / `https-rules`: `[{"host", "path", "backend": {"serviceName", "servicePort"}}]`.
pub(super) fn mix_list(a: &Annotation) -> MixList {
    MixList {
        origin: a.origin,
        entries: parse_mix_entries(&a.value),
    }
}

fn parse_mix_entries(value: &str) -> Result<Vec<MixEntry>, String> {
    let json: serde_json::Value = serde_json::from_str(value).map_err(|e| e.to_string())?;
    let items = json
        .as_array()
        .ok_or_else(|| "not a JSON list of rules".to_string())?;
    let text = |v: Option<&serde_json::Value>| match v {
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    items
        .iter()
        .map(|item| {
            let map = item
                .as_object()
                .ok_or_else(|| "an entry is not a JSON object".to_string())?;
            let backend = map.get("backend");
            Ok(MixEntry {
                host: text(map.get("host"))
                    .filter(|h| !h.is_empty())
                    .map(|h| h.to_ascii_lowercase()),
                path: text(map.get("path"))
                    .filter(|p| !p.is_empty())
                    .unwrap_or_else(|| "/".to_string()),
                service: text(backend.and_then(|b| b.get("serviceName"))),
                port: text(backend.and_then(|b| b.get("servicePort"))),
                matched: false,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mix_entries_default_the_path_and_read_ports_as_text() {
        let entries = parse_mix_entries(
            r#"[{"host":"A.example","backend":{"serviceName":"web","servicePort":80}}]"#,
        )
        .expect("valid");
        assert_eq!(entries[0].host.as_deref(), Some("a.example"));
        assert_eq!(entries[0].path, "/");
        assert_eq!(entries[0].port.as_deref(), Some("80"));
        assert!(parse_mix_entries("[{").is_err());
        assert!(parse_mix_entries(r#"{"host":"a"}"#).is_err());
    }
}
