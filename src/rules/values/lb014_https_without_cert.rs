use crate::rules::{Context, Sink};
use crate::k8s::Protocol;
use crate::k8s::annotations::protocol_port_entries;
use crate::k8s::keys;
use crate::text::quote;

declare_rule! {
    /// An `https` entry in `kubernetes.io/elb.protocol-port` without `kubernetes.io/elb.cert-id`.
    ///
    /// ## What it does
    /// Finds CCE Services that publish a port as HTTPS but name no ELB server certificate.
    ///
    /// ## Why it matters
    /// An HTTPS listener needs a server certificate; CCE takes it from `kubernetes.io/elb.cert-id`
    /// (one certificate for all HTTPS ports of the Service). Without it the listener cannot be
    /// created and the Service never gets its HTTPS port.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     kubernetes.io/elb.protocol-port: "https:443"
    /// ```
    ///
    /// ## Fix
    /// Add the certificate ID from ELB certificate management:
    /// `kubernetes.io/elb.cert-id: "17e3b4f4bc40471c86741dc3aa211379"`.
    pub struct HttpsWithoutCert {
        code: "LB014",
        name: "https-without-cert",
        severity: Error,
        scope: Cce,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.cce_frontends() {
        let annotations = cx.object(f.object).annotations();
        let Some(a) = annotations.get(keys::ELB_PROTOCOL_PORT) else {
            continue;
        };
        let has_cert = annotations
            .value(keys::ELB_CERT_ID)
            .is_some_and(|c| !c.trim().is_empty());
        if has_cert {
            continue;
        }
        let entries = protocol_port_entries(&a.value);
        let Some(https) = entries
            .iter()
            .find(|e| e.protocol == Some(Protocol::Https) && e.port.is_some())
        else {
            continue;
        };
        out.push(
            cx.finding(
                &META,
                f.object,
                a.origin_of(https.text),
                format!(
                    "{} publishes an HTTPS listener, but kubernetes.io/elb.cert-id is not set",
                    quote(https.text)
                ),
            )
            .caption("HTTPS needs a server certificate")
            .help("add kubernetes.io/elb.cert-id with the ELB certificate ID"),
        );
    }
}
