use crate::rules::{Context, Sink, first_conflicts};

declare_rule! {
    /// An Ingress and an HTTP/HTTPS Service use the same listener port of one ELB.
    ///
    /// ## What it does
    /// On CCE, reports a Service that publishes a port as HTTP or HTTPS (with
    /// `kubernetes.io/elb.protocol-port`) on the same ELB port as an Ingress.
    ///
    /// ## Why it matters
    /// The CCE documentation says it directly: do not connect an Ingress and a Service that uses
    /// HTTP or HTTPS to the same listener of the same load balancer, or a port conflict occurs
    /// (China Telecom Cloud CCE, "负载均衡(LoadBalancer)"). One of them fails to sync and keeps failing.
    ///
    /// ## Example
    /// ```yaml
    /// # Ingress:  kubernetes.io/elb.id: X  (listens on HTTP 80)
    /// # Service:  kubernetes.io/elb.id: X, kubernetes.io/elb.protocol-port: "http:80"
    /// ```
    ///
    /// ## Fix
    /// Move the Service to another port or another ELB, or route it through the Ingress.
    pub struct IngressHttpServiceListener {
        code: "LB106",
        name: "ingress-http-service-listener",
        severity: Error,
        scope: Cce,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for planned in cx.load_balancers() {
        let lb = planned.lb;
        let claims = planned.claims();
        let conflicts = first_conflicts(&claims, |a, b| {
            let fa = cx.inv.frontend(a.frontend);
            let fb = cx.inv.frontend(b.frontend);
            a.port == b.port
                && a.protocol.is_l7()
                && b.protocol.is_l7()
                && fa.is_cce()
                && fb.is_cce()
                && fa.is_ingress() != fb.is_ingress()
        });
        for (later, earlier) in conflicts {
            let f = cx.inv.frontend(later.frontend);
            let other = cx.inv.frontend(earlier.frontend);
            // The Service's own protocol on that port: HTTP or HTTPS.
            let service_protocol = if f.is_ingress() {
                earlier.protocol
            } else {
                later.protocol
            };
            let service = format!("{service_protocol} Service");
            let (what, other_what) = if f.is_ingress() {
                ("Ingress".to_string(), service)
            } else {
                (service, "Ingress".to_string())
            };
            out.push(
                cx.finding(
                    &META,
                    f.object,
                    later.origin,
                    format!(
                        "port {} of ELB {} is used by this {what} and by the {other_what} {}",
                        later.port,
                        lb.id,
                        cx.qualified_name(other.object)
                    ),
                )
                .caption(format!("{}:{} shared with an {other_what}", later.protocol, later.port))
                .help("an Ingress and an HTTP/HTTPS Service cannot share one ELB listener: use another port or another ELB for the Service")
                .related(earlier.origin, Some(cx.object_name(other.object)), format!("{}:{} here", earlier.protocol, earlier.port)),
            );
        }
    }
}
