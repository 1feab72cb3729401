use std::collections::HashMap;

use crate::rules::{Context, Sink};
use crate::plan::ListenerClaim;

declare_rule! {
    /// Two Ingresses claim one CCE ELB port with different protocols.
    ///
    /// ## What it does
    /// On CCE, compares the listeners of the Ingresses on each ELB: an Ingress that listens on a
    /// port as HTTP while another listens on it as HTTPS (through `spec.tls`, or
    /// `kubernetes.io/elb.listen-ports`) is reported at its port, with the other Ingress as the
    /// related location. These pairs are reported here and not as LB102.
    ///
    /// ## Why it matters
    /// One ELB port is one listener with one protocol: the Ingresses that share it must agree.
    /// Whichever Ingress comes second cannot get its listener, and its rules are not served.
    ///
    /// ## Example
    /// ```yaml
    /// # web.yaml: kubernetes.io/elb.port: "8443", no tls      (HTTP:8443)
    /// # api.yaml: kubernetes.io/elb.port: "8443", spec.tls    (HTTPS:8443)
    /// ```
    ///
    /// ## Fix
    /// Put the HTTP and the HTTPS Ingresses on different ports (by default HTTP 80 and HTTPS
    /// 443), or make both HTTPS.
    pub struct L7ProtocolMismatch {
        code: "LB411",
        name: "l7-protocol-mismatch",
        severity: Error,
        scope: Cce,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for planned in cx.load_balancers() {
        let object = |c: &ListenerClaim| cx.inv.frontend(c.frontend).object;
        // Per port, the first two Ingresses claiming it with each protocol: the earliest claim
        // a later one conflicts with is among them, so each claim costs the same however many
        // Ingresses share the port.
        let mut firsts: HashMap<u16, Vec<ListenerClaim>> = HashMap::new();
        let mut conflicts = Vec::new();
        for later in planned.claims() {
            let f = cx.inv.frontend(later.frontend);
            if !(f.is_cce() && f.is_ingress()) {
                continue;
            }
            let kept = firsts.entry(later.port).or_default();
            if let Some(first) = kept
                .iter()
                .find(|e| e.protocol != later.protocol && object(e) != object(&later))
            {
                conflicts.push((later, *first));
            }
            let same_protocol = kept.iter().filter(|e| e.protocol == later.protocol);
            let known = same_protocol.clone().any(|e| object(e) == object(&later));
            if !known && same_protocol.count() < 2 {
                kept.push(later);
            }
        }
        for (later, earlier) in conflicts {
            let f = cx.inv.frontend(later.frontend);
            let other = cx.inv.frontend(earlier.frontend);
            out.push(
                cx.finding(
                    &META,
                    f.object,
                    later.origin,
                    format!(
                        "port {} of ELB {} is {} for this Ingress and {} for {}",
                        later.port,
                        planned.lb.id,
                        later.protocol,
                        earlier.protocol,
                        cx.qualified_name(other.object)
                    ),
                )
                .caption(format!("{} on an {} port", later.protocol, earlier.protocol))
                .help(format!(
                    "an ELB port is one listener with one protocol: give the HTTP and the HTTPS Ingresses different ports, or make both HTTPS{}",
                    cx.ct_caveat(f)
                ))
                .related(
                    earlier.origin,
                    Some(cx.object_name(other.object)),
                    format!("{}:{} here", earlier.protocol, earlier.port),
                ),
            );
        }
    }
}
