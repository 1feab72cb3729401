use std::collections::HashMap;

use crate::rules::{Context, Sink};
use crate::k8s::Protocol;
use crate::model::ObjectId;
use crate::source::Origin;

declare_rule! {
    /// One SNI domain is given two different certificates on one listener.
    ///
    /// ## What it does
    /// On CCE, collects the `spec.tls` hosts of every Ingress on one HTTPS listener, across
    /// Ingresses, and reports a host whose certificate Secret differs from the one an earlier
    /// Ingress gave it (two Ingresses' first TLS entries, their server certificates, are LB402's
    /// concern; Ingresses that name ELB certificates with
    /// `kubernetes.io/elb.tls-certificate-ids` are skipped: CCE prefers those, and their domains
    /// are not in the manifests). On TKE, checks each Ingress's own `spec.tls`: one host in two
    /// entries with different Secrets (error E4049), or two entries without hosts, each a default
    /// certificate, with different Secrets (E4048).
    ///
    /// ## Why it matters
    /// A listener serves one certificate per SNI domain. CCE overwrites the earlier Ingress's SNI
    /// certificate with the later one, so clients of the first get a certificate it did not ask
    /// for; TKE refuses the Ingress.
    ///
    /// ## Example
    /// ```yaml
    /// # one.yaml                                 # two.yaml (same ELB and port)
    /// tls: [{hosts: [shop.example.com],           tls: [{hosts: [shop.example.com],
    ///        secretName: shop-2024}]                     secretName: shop-2025}]
    /// ```
    ///
    /// ## Fix
    /// Use one Secret for each domain on a listener: point every Ingress at the same Secret, or
    /// serve the domain from one Ingress only.
    pub struct L7SniConflict {
        code: "LB403",
        name: "l7-sni-conflict",
        severity: Error,
        scope: Any,
        check: check,
    }
}

/// The first certificate seen for a domain: Secret `namespace/name`, where, and whose.
struct First {
    secret: String,
    origin: Origin,
    object: ObjectId,
    /// From the Ingress's first TLS entry, its server certificate.
    server: bool,
}

fn check(cx: &Context, out: &mut Sink) {
    cce(cx, out);
    tke(cx, out);
}

fn cce(cx: &Context, out: &mut Sink) {
    for (planned, listener) in cx.l7_listeners() {
        let l = listener.listener;
        if l.protocol != Protocol::Https || listener.index.ingresses.len() < 2 {
            continue;
        }
        let mut first: HashMap<String, First> = HashMap::new();
        for &fid in &listener.index.ingresses {
            let f = cx.inv.frontend(fid);
            let elb_certificates = f
                .ingress
                .as_deref()
                .is_some_and(|x| x.elb_certificates.is_some());
            if !f.is_cce() || elb_certificates {
                continue;
            }
            let object = cx.object(f.object);
            let Some(ingress) = object.as_ingress() else {
                continue;
            };
            for (entry, tls) in ingress.tls_entries.iter().enumerate() {
                let Some(secret) = &tls.secret else { continue };
                let secret = format!("{}/{}", object.meta.namespace, secret.value);
                let server = entry == 0;
                for host in &tls.hosts {
                    let domain = host.value.to_ascii_lowercase();
                    let Some(earlier) = first.get(&domain) else {
                        first.insert(
                            domain,
                            First {
                                secret: secret.clone(),
                                origin: host.origin,
                                object: f.object,
                                server,
                            },
                        );
                        continue;
                    };
                    // Two server certificates that differ are LB402's (one takes effect).
                    let servers = earlier.server && server;
                    if earlier.secret == secret || earlier.object == f.object || servers {
                        continue;
                    }
                    out.push(
                        cx.finding(
                            &META,
                            f.object,
                            host.origin,
                            format!(
                                "{domain} gets Secret {secret} here, but {} gives it Secret {} on listener {}:{} of ELB {}",
                                cx.qualified_name(earlier.object),
                                earlier.secret,
                                l.protocol,
                                l.port,
                                planned.lb.id
                            ),
                        )
                        .caption("a second certificate for this domain")
                        .help(format!(
                            "CCE keeps one SNI certificate per domain on a listener and overwrites the other: use the same Secret for {domain} in every Ingress of the listener{}",
                            cx.ct_caveat(f)
                        ))
                        .related(earlier.origin, Some(cx.object_name(earlier.object)), format!("Secret {} here", earlier.secret)),
                    );
                }
            }
        }
    }
}

fn tke(cx: &Context, out: &mut Sink) {
    for (_, f, _) in cx.ingress_frontends() {
        if !f.is_tke() {
            continue;
        }
        let Some(ingress) = cx.object(f.object).as_ingress() else {
            continue;
        };
        // Host (`None`: the default certificate) -> first Secret and where.
        let mut first: HashMap<Option<String>, (&str, Origin)> = HashMap::new();
        for tls in &ingress.tls_entries {
            let Some(secret) = &tls.secret else { continue };
            let domains: Vec<(Option<String>, Origin)> = if tls.hosts.is_empty() {
                vec![(None, tls.origin)]
            } else {
                tls.hosts
                    .iter()
                    .map(|h| (Some(h.value.to_ascii_lowercase()), h.origin))
                    .collect()
            };
            for (domain, origin) in domains {
                let Some(&(earlier, earlier_at)) = first.get(&domain) else {
                    first.insert(domain, (&secret.value, origin));
                    continue;
                };
                if earlier == secret.value {
                    continue;
                }
                let (what, code) = match &domain {
                    Some(d) => (d.clone(), "E4049"),
                    None => ("the default certificate (a TLS entry without hosts)".into(), "E4048"),
                };
                out.push(
                    cx.finding(
                        &META,
                        f.object,
                        origin,
                        format!(
                            "{what} gets Secret {} here and Secret {earlier} in an earlier TLS entry of this Ingress",
                            secret.value
                        ),
                    )
                    .caption("a second certificate for this domain")
                    .help(format!(
                        "TKE refuses an Ingress that gives one domain two certificates (error {code}): keep one TLS entry per domain"
                    ))
                    .related(earlier_at, Some(cx.object_name(f.object)), format!("Secret {earlier} here")),
                );
            }
        }
    }
}
