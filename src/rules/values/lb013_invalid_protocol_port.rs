use crate::rules::{Context, Sink};
use crate::k8s::annotations::protocol_port_entries;
use crate::k8s::keys;
use crate::text::quote;

declare_rule! {
    /// `kubernetes.io/elb.protocol-port` has a malformed entry, a protocol other than `http`/`https`,
    /// or a bad port.
    ///
    /// ## What it does
    /// Parses the annotation as a comma-separated list of `protocol:port` and checks each entry:
    /// the protocol is `http` or `https`, the port is one of the Service's `spec.ports[].port`, and
    /// no port appears twice. The finding points at the entry itself.
    ///
    /// ## Why it matters
    /// CCE publishes each listed port as an HTTP or HTTPS listener. An entry it cannot match leaves
    /// the port a plain TCP listener (or the Service unsynchronised), so HTTP features such as
    /// certificates and `X-Forwarded-For` silently do not apply.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     kubernetes.io/elb.protocol-port: "https:443,http:8080"
    /// spec:
    ///   ports:
    ///   - port: 443
    ///   - port: 80
    /// ```
    ///
    /// ## Fix
    /// List only ports of `spec.ports`, once each, as `http:PORT` or `https:PORT`:
    /// `kubernetes.io/elb.protocol-port: "https:443,http:80"`.
    pub struct InvalidProtocolPort {
        code: "LB013",
        name: "invalid-protocol-port",
        severity: Error,
        scope: Cce,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.cce_frontends() {
        let object = cx.object(f.object);
        let Some(service) = object.as_service() else {
            continue;
        };
        let Some(a) = object.annotations().get(keys::ELB_PROTOCOL_PORT) else {
            continue;
        };
        let entries = protocol_port_entries(&a.value);
        for (i, entry) in entries.iter().enumerate() {
            let origin = a.origin_of(entry.text);
            let report = |message: String, label: &str| {
                cx.finding(&META, f.object, origin, message)
                    .caption(label.to_string())
                    .help("write a comma-separated list of http:PORT or https:PORT, one entry per port of spec.ports, such as \"https:443,http:80\"")
            };
            if !entry.well_formed || (entry.protocol.is_some() && entry.port.is_none()) {
                let message = if entry.text.is_empty() {
                    "empty protocol-port entry (a stray comma?)".to_string()
                } else {
                    format!("malformed protocol-port entry {}", quote(entry.text))
                };
                out.push(report(message, "expected protocol:port"));
                continue;
            }
            if entry.protocol.is_none() {
                out.push(report(
                    format!(
                        "protocol-port entry {} names a protocol other than http or https",
                        quote(entry.text)
                    ),
                    "only http and https are allowed",
                ));
                continue;
            }
            let Some(port) = entry.port else { continue };
            if !service.ports.iter().any(|p| p.port == port) {
                let ports: Vec<String> = service.ports.iter().map(|p| p.port.to_string()).collect();
                let have = if ports.is_empty() {
                    "none".to_string()
                } else {
                    ports.join(", ")
                };
                out.push(report(
                    format!("protocol-port entry {} names port {port}, which is not in spec.ports ({have})", quote(entry.text)),
                    "no such Service port",
                ));
                continue;
            }
            if entries
                .iter()
                .take(i)
                .any(|e| e.port == Some(port) && e.protocol.is_some())
            {
                out.push(report(
                    format!("port {port} is listed twice in protocol-port"),
                    "listed again here",
                ));
            }
        }
    }
}
