use crate::rules::{Context, Sink};
use crate::plan::forwarding::FirstRouteBy;
use crate::plan::settings::{CERTIFICATE, setting_checks};
use crate::text::quote;

declare_rule! {
    /// Ingresses on one CCE listener set different listener-level values, and only one takes effect.
    ///
    /// ## What it does
    /// For every CCE listener shared by several Ingresses, compares the listener settings they
    /// write: the server certificate (the first of `kubernetes.io/elb.tls-certificate-ids`, else
    /// the Secret of the first `spec.tls` entry), `tls-ciphers-policy`, `security_policy_id`,
    /// `http2-enable`, `keepalive_timeout`, `client_timeout`, `member_timeout`, `acl-id`,
    /// `acl-status`, `acl-type`, `x-forwarded-port`, `x-forwarded-for-port`, `x-forwarded-host`,
    /// `x-real-ip` and `gzip-enabled`. Each value that differs from the first route's (or from
    /// the documented default, when the first route writes none) is reported where it is written.
    /// The first route is the Ingress `kubernetes.io/elb.listener-master-ingress` names, else the
    /// earliest `metadata.creationTimestamp`, else the first in the inputs: the creation order
    /// that decides is rarely in the manifests, and the message says which was used.
    ///
    /// ## Why it matters
    /// CCE configures a listener from the earliest-created Ingress on it (the "first route") and
    /// silently ignores the others' listener annotations. A certificate, TLS policy or timeout
    /// written on a later Ingress never takes effect, and which one wins depends on the order
    /// the Ingresses were created in, not on the manifests.
    ///
    /// ## Example
    /// ```yaml
    /// # one.yaml (elb.id X, port 443)          # two.yaml (elb.id X, port 443)
    /// kubernetes.io/elb.http2-enable: "false"   kubernetes.io/elb.http2-enable: "true"
    /// ```
    ///
    /// ## Fix
    /// Write the same listener settings on every Ingress of the listener (or only on one, and
    /// none on the others), or give the Ingress that needs other settings its own listener port.
    pub struct L7ListenerSettingsIgnored {
        code: "LB402",
        name: "l7-listener-settings-ignored",
        severity: Warning,
        scope: Cce,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (planned, listener) in cx.l7_listeners() {
        let Some(settings) = &listener.listener.settings else {
            continue;
        };
        let order = &listener.index.ingresses;
        let Some(&first) = order.first() else {
            continue;
        };
        if order.len() < 2 {
            continue;
        }
        let l = listener.listener;
        let first_f = cx.inv.frontend(first);
        let first_claim = listener
            .claims()
            .iter()
            .find(|c| c.frontend == first)
            .map_or(first_f.lb.origin(), |c| c.origin);
        let how = match settings.chosen_by {
            FirstRouteBy::InputOrder => {
                " lbplan took the first in the inputs as the earliest: the creation order is not in the manifests."
            }
            FirstRouteBy::CreationTimestamp => {
                " The earliest is known from metadata.creationTimestamp."
            }
            FirstRouteBy::ListenerMasterIngress => {
                " CCE names it in kubernetes.io/elb.listener-master-ingress."
            }
        };
        for check in setting_checks(cx.inv, l.protocol, order) {
            let effective = match (&check.effective, check.default) {
                (Some(w), _) => quote(&w.value),
                (None, Some(default)) => format!("not set (CCE's default \"{default}\" applies)"),
                (None, None) => "not set".to_string(),
            };
            let name = if check.key == CERTIFICATE {
                "the server certificate".to_string()
            } else {
                check.key.to_string()
            };
            for ignored in &check.ignored {
                let f = cx.inv.frontend(ignored.frontend);
                let (related_at, related_text) = match &check.effective {
                    Some(w) => (w.origin, "this value takes effect".to_string()),
                    None => (first_claim, "the first route, which does not set it".to_string()),
                };
                out.push(
                    cx.finding(
                        &META,
                        f.object,
                        ignored.origin,
                        format!(
                            "{name} is {} here, but listener {}:{} of ELB {} takes its settings from {}, where it is {effective}",
                            quote(&ignored.value),
                            l.protocol,
                            l.port,
                            planned.lb.id,
                            cx.qualified_name(first_f.object),
                        ),
                    )
                    .caption("does not take effect")
                    .help(format!(
                        "CCE applies the listener settings of the earliest-created Ingress on a listener and ignores the others': write the same value on every Ingress of the listener, or give this Ingress its own listener port.{how}{}",
                        cx.ct_caveat(f)
                    ))
                    .related(related_at, Some(cx.object_name(first_f.object)), related_text),
                );
            }
        }
    }
}
