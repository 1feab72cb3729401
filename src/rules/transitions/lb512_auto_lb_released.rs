use crate::rules::transition::{Side, Transition, TransitionSink};
use crate::model::Frontend;
use crate::plan::changes::Action;

declare_rule! {
    /// An auto-created load balancer disappears (its object deleted or renamed): its address goes with it.
    ///
    /// ## What it does
    /// Looks at each load balancer the base plans as created for its object (no ID annotation:
    /// `auto:<cluster>/<namespace>/<name>`) that the head no longer plans, because the object is
    /// gone: deleted, renamed, or its cluster removed. An object the head adds with the same kind,
    /// namespace, selector and ports is named as the likely rename: it gets a new load balancer
    /// and a new address. (An object that stays and names an existing load balancer instead is
    /// LB505.)
    ///
    /// ## Why it matters
    /// The cloud deletes a load balancer it created for a Service or Ingress together with it
    /// (unless other resources use it), and its address is released: DNS records and clients
    /// pointing at it break, and the address cannot be asked back. A rename is a delete and a
    /// create to Kubernetes, so it does the same.
    ///
    /// ## Example
    /// ```yaml
    /// # base
    /// metadata:
    ///   name: web
    /// # head
    /// metadata:
    ///   name: web-v2     # same selector and ports: a new load balancer, a new address
    /// ```
    ///
    /// ## Fix
    /// To keep the address, create the load balancer yourself and name it with
    /// `kubernetes.io/elb.id` (or `service.kubernetes.io/tke-existed-lbid`) before the rename or
    /// the deletion; otherwise move DNS and clients first.
    pub struct AutoLbReleased {
        code: "LB512",
        name: "auto-lb-released",
        severity: Warning,
        scope: Any,
        transition: check,
    }
}

/// What identifies a frontend's role across a rename: kind, cluster, namespace, selector, ports.
fn shape(tx: &Transition, side: Side, f: &Frontend) -> String {
    let cx = tx.side(side);
    let object = cx.object(f.object);
    let selector = object.as_service().map(|s| format!("{:?}", s.selector));
    let mut claims: Vec<String> = f
        .claims
        .iter()
        .map(|c| format!("{}:{}", c.protocol, c.port))
        .collect();
    claims.sort();
    format!(
        "{}|{}|{}|{selector:?}|{claims:?}",
        object.kind(),
        cx.cluster(f.object).name(),
        object.meta.namespace,
    )
}

fn check(tx: &Transition, out: &mut TransitionSink) {
    let added: Vec<&Frontend> = tx
        .head
        .planned_frontends()
        .map(|(_, f)| f)
        .filter(|f| f.lb.is_auto() && tx.counterpart(Side::Base, f.object).is_none())
        .collect();
    for lb in &tx.diff.load_balancers {
        let Some(base) = lb.base.filter(|b| b.lb.auto && lb.action == Some(Action::Remove)) else {
            continue;
        };
        for &fid in base.frontends() {
            let b = tx.base.inv.frontend(fid);
            if tx.counterpart(Side::Head, b.object).is_some() {
                continue; // it stays: LB505 reports its new load balancer
            }
            let object = tx.base.object_name(b.object);
            let wanted = shape(tx, Side::Base, b);
            let rename = added.iter().find(|h| shape(tx, Side::Head, h) == wanted);
            let message = match rename {
                Some(h) => format!(
                    "{object} is gone from the head, and with it the load balancer created for it ({}) and its address; {} looks like its rename, and gets a new load balancer with a new address",
                    lb.id,
                    tx.head.object_name(h.object)
                ),
                None => format!(
                    "{object} is gone from the head, and with it the load balancer created for it ({}) and its address",
                    lb.id
                ),
            };
            let finding = out.push(
                Side::Base,
                tx.base
                    .finding(&META, b.object, b.lb.origin(), message)
                    .caption("its load balancer is released with it")
                    .help("to keep the address, create the load balancer yourself and name it with kubernetes.io/elb.id (TKE: service.kubernetes.io/tke-existed-lbid) before the change; otherwise move DNS and clients first"),
            );
            if let Some(h) = rename {
                finding.elsewhere(
                    h.lb.origin(),
                    Some(tx.head.object_name(h.object)),
                    "the likely rename: a new load balancer",
                );
            }
        }
    }
}
