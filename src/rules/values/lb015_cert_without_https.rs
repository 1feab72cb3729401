use crate::rules::{Context, Severity, Sink};
use crate::k8s::Protocol;
use crate::k8s::annotations::protocol_port_entries;
use crate::k8s::keys;

declare_rule! {
    /// A certificate annotation on a Service that publishes no HTTPS port.
    ///
    /// ## What it does
    /// On CCE, reports `kubernetes.io/elb.cert-id` or `kubernetes.io/elb.tls-certificate-ids` on a
    /// LoadBalancer Service whose `kubernetes.io/elb.protocol-port` has no `https` entry (or that
    /// has no `protocol-port` at all). `tls-certificate-ids` (SNI) without HTTPS is an error, since
    /// CCE requires HTTPS for it (ground truth §6, HW-P05).
    ///
    /// ## Why it matters
    /// The certificate is used only for ports published as HTTPS. Without an `https` entry the
    /// ports stay plain TCP listeners: the certificate is ignored and clients that expect TLS
    /// terminated at the ELB get the raw backend instead.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     kubernetes.io/elb.cert-id: 17e3b4f4bc40471c86741dc3aa211379
    ///     kubernetes.io/elb.protocol-port: "http:80"
    /// ```
    ///
    /// ## Fix
    /// Publish the TLS port as HTTPS (`kubernetes.io/elb.protocol-port: "https:443,http:80"`), or
    /// remove the certificate annotation.
    pub struct CertWithoutHttps {
        code: "LB015",
        name: "cert-without-https",
        severity: Warning,
        scope: Cce,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.cce_frontends() {
        let object = cx.object(f.object);
        if object.as_service().is_none() {
            continue;
        }
        let annotations = object.annotations();
        let has_https = annotations.value(keys::ELB_PROTOCOL_PORT).is_some_and(|v| {
            protocol_port_entries(v)
                .iter()
                .any(|e| e.protocol == Some(Protocol::Https) && e.port.is_some())
        });
        if has_https {
            continue;
        }
        // SNI certificates need HTTPS outright (ground truth §6, HW-P05): an error; a default
        // certificate without HTTPS is only unused: a warning.
        for (key, severity) in [
            (keys::ELB_CERT_ID, Severity::Warning),
            (keys::ELB_TLS_CERTIFICATE_IDS, Severity::Error),
        ] {
            let Some(a) = annotations.get(key) else {
                continue;
            };
            out.push(
                cx.finding(
                    &META,
                    f.object,
                    a.origin,
                    format!("{key} is set, but no port is published as HTTPS"),
                )
                .severity(severity)
                .caption("certificate without an HTTPS listener")
                .help("publish the TLS port as https in kubernetes.io/elb.protocol-port (\"https:443\"), or remove the certificate"),
            );
        }
    }
}
