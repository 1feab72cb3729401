use crate::rules::transition::{Side, Transition, TransitionSink};
use crate::model::frontend::LbRef;
use crate::model::placement::without_placement;

declare_rule! {
    /// An object moves to another load balancer: its ID changed, removed, or switched to auto-create.
    ///
    /// ## What it does
    /// Compares each Service and Ingress present on both sides (matched by cluster, kind,
    /// namespace and name) and reports it when the load balancer it uses changes:
    /// `kubernetes.io/elb.id`, `service.kubernetes.io/tke-existed-lbid` or
    /// `kubernetes.io/ingress.existLbId` names another load balancer, is removed (the object gets
    /// an auto-created one), or is added (the auto-created one goes).
    ///
    /// ## Why it matters
    /// The object's address changes: clients, DNS records, firewall allow-lists and certificates
    /// that name the old address stop reaching it, and an auto-created load balancer left behind
    /// is released with its address.
    ///
    /// ## Example
    /// ```yaml
    /// # base
    /// kubernetes.io/elb.id: 5083f225-9bf8-48fa-9c8b-67bd9693c4c0
    /// # head
    /// kubernetes.io/elb.id: 7d1c0a4e-2b1f-4d55-9a0e-0f3c4b5a6d7e
    /// ```
    ///
    /// ## Fix
    /// If the move is intended, point DNS and clients at the new address first and move the
    /// object in its own change; otherwise restore the load balancer annotation.
    pub struct AddressChanged {
        code: "LB505",
        name: "address-changed",
        severity: Error,
        scope: Any,
        transition: check,
    }
}

fn check(tx: &Transition, out: &mut TransitionSink) {
    for (b, h) in tx.frontend_pairs() {
        // A CCE Service that no longer names or asks for an ELB gets none: LB513's.
        if h.no_elb || b.no_elb {
            continue;
        }
        // An auto-created load balancer whose key only gains or loses the object's placement
        // (a copy added in another folder) is the same one.
        if b.lb.id() == h.lb.id()
            || (b.lb.is_auto()
                && h.lb.is_auto()
                && without_placement(b.lb.id()) == without_placement(h.lb.id()))
        {
            continue;
        }
        let object = tx.head.object_name(h.object);
        let (message, caption, was) = match (&b.lb, &h.lb) {
            (LbRef::Existing { id: old, .. }, LbRef::Auto { .. }) => (
                format!(
                    "{object} no longer names load balancer {old}: it gets an auto-created load balancer, and its clients' address changes"
                ),
                "no load balancer ID here: auto-created".to_string(),
                format!("base uses load balancer {old}"),
            ),
            (LbRef::Auto { .. }, LbRef::Existing { id: new, .. }) => (
                format!(
                    "{object} moves from its auto-created load balancer to {new}: the auto-created one is released with its address, and its clients' address changes"
                ),
                format!("now {new}"),
                "base uses a load balancer created for it".to_string(),
            ),
            (old, new) => (
                format!(
                    "{object} moves from load balancer {} to {}: its clients' address changes",
                    old.id(),
                    new.id()
                ),
                format!("was {}", old.id()),
                format!("base uses load balancer {}", old.id()),
            ),
        };
        out.push(
            Side::Head,
            tx.head
                .finding(&META, h.object, h.lb.origin(), message)
                .caption(caption)
                .help("if the move is intended, point DNS and clients at the new address first and move the object in a change of its own; otherwise restore the load balancer annotation"),
        )
        .elsewhere(b.lb.origin(), Some(tx.base.object_name(b.object)), was);
    }
}
