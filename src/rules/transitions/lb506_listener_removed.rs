use crate::rules::transition::{Side, Transition, TransitionSink};
use crate::plan::changes::{Action, member_count};
use crate::model::Frontend;
use crate::plan::index::ListenerClaim;
use crate::plan::{Listener, PlannedListener};

declare_rule! {
    /// A listener that had members is gone while its load balancer remains, or is replaced by another protocol.
    ///
    /// ## What it does
    /// Compares the listeners of each load balancer present on both sides. A listener of the base
    /// whose backend groups had members is reported when the head no longer plans it (its port
    /// closes), or plans the same port with another protocol (`TCP:80` becoming `HTTP:80`: the
    /// cloud deletes the listener and creates another).
    ///
    /// ## Why it matters
    /// Clients connected to that port lose their connections, and new ones are refused (or,
    /// after a replacement, spoken to in another protocol) the moment the change is applied.
    ///
    /// ## Example
    /// ```yaml
    /// # base: ports 80 and 8080    head: port 80 only
    /// ports:
    ///   - port: 80
    /// ```
    ///
    /// ## Fix
    /// Move the clients off the port before removing it, or keep the listener; to change a
    /// protocol, publish the new listener on another port first.
    pub struct ListenerRemoved {
        code: "LB506",
        name: "listener-removed",
        severity: Warning,
        scope: Any,
        transition: check,
    }
}

/// `2 groups, 5 members`.
fn held(listener: &Listener) -> String {
    let members: u64 = listener.groups.iter().map(member_count).sum();
    let groups = listener.groups.len();
    format!(
        "{groups} {}, {members} {}",
        if groups == 1 { "group" } else { "groups" },
        if members == 1 { "member" } else { "members" }
    )
}

fn check(tx: &Transition, out: &mut TransitionSink) {
    for lb in &tx.diff.load_balancers {
        if lb.action == Some(Action::Remove) {
            continue; // the load balancer goes: LB512, LB505 or LB513 say so
        }
        for change in &lb.listeners {
            let Some(base) = change.base else { continue };
            let l = base.listener;
            if !l.groups.iter().any(|g| member_count(g) > 0) {
                continue;
            }
            match (change.action, change.head) {
                (Some(Action::Replace), Some(head)) => replaced(tx, out, lb.id, base, head),
                (Some(Action::Remove), _) => removed(tx, out, lb.id, base),
                _ => {}
            }
        }
    }
}

fn replaced(
    tx: &Transition,
    out: &mut TransitionSink,
    lb: &str,
    base: PlannedListener,
    head: PlannedListener,
) {
    let (Some(claim), Some(was)) = (head.claims().first(), base.claims().first()) else {
        return;
    };
    let (b, h) = (base.listener, head.listener);
    let object = tx.head.inv.frontend(claim.frontend).object;
    out.push(
        Side::Head,
        tx.head
            .finding(
                &META,
                object,
                claim.origin,
                format!(
                    "listener {}:{} of load balancer {lb} ({}) is replaced by {}:{}: the cloud deletes it and creates the other, and its clients lose their connections",
                    b.protocol,
                    b.port,
                    held(b),
                    h.protocol,
                    h.port
                ),
            )
            .caption(format!("{}:{} here", h.protocol, h.port))
            .help("publish the new protocol on another port first and move the clients, or keep the protocol"),
    )
    .elsewhere(
        was.origin,
        Some(tx.base.object_name(tx.base.inv.frontend(was.frontend).object)),
        format!("base: {}:{}", b.protocol, b.port),
    );
}

fn removed(tx: &Transition, out: &mut TransitionSink, lb: &str, base: PlannedListener) {
    let l = base.listener;
    let message = format!(
        "listener {}:{} of load balancer {lb} ({}) is removed while the load balancer remains: its port closes",
        l.protocol,
        l.port,
        held(l)
    );
    let help = "move the clients off the port before removing it, or keep the listener";
    let fates: Vec<(&ListenerClaim, Fate)> = base
        .claims()
        .iter()
        .map(|c| (c, fate(tx, lb, c)))
        .collect();
    // Where a claimant of the base still uses the load balancer, the head's object says so.
    let still = fates.iter().find_map(|(c, fate)| match fate {
        Fate::Stays(f) => Some((*c, *f)),
        _ => None,
    });
    let gone = fates.iter().find(|(_, fate)| matches!(fate, Fate::Gone));
    if let Some((claim, f)) = still {
        out.push(
            Side::Head,
            tx.head
                .finding(&META, f.object, f.lb.origin(), message)
                .caption(format!("no longer claims {}:{}", l.protocol, l.port))
                .help(help),
        )
        .elsewhere(
            claim.origin,
            Some(tx.base.object_name(tx.base.inv.frontend(claim.frontend).object)),
            format!("base claims {}:{} here", l.protocol, l.port),
        );
    } else if let Some((claim, _)) = gone {
        let object = tx.base.inv.frontend(claim.frontend).object;
        out.push(
            Side::Base,
            tx.base
                .finding(&META, object, claim.origin, message)
                .caption(format!("{}:{} is gone in head", l.protocol, l.port))
                .help(help),
        );
    }
}

/// What became of an object of the base that claimed a removed listener.
enum Fate<'a> {
    /// The head's object still uses the load balancer, without this listener.
    Stays(&'a Frontend),
    /// The object uses another load balancer (LB505), or is a Service that stays without one
    /// (LB513): those rules speak for the listener.
    Elsewhere,
    /// The object is gone from the head (deleted, renamed, its cluster removed), or is an
    /// Ingress no cloud load balancer serves any more.
    Gone,
}

fn fate<'a>(tx: &Transition<'a>, lb: &str, claim: &ListenerClaim) -> Fate<'a> {
    let object = tx.base.inv.frontend(claim.frontend).object;
    let Some(head) = tx.counterpart(Side::Head, object) else {
        return Fate::Gone;
    };
    match tx.frontend_of(Side::Head, head) {
        Some((_, f)) if !f.no_elb && f.lb.id() == lb => Fate::Stays(f),
        Some((_, f)) if !f.no_elb => Fate::Elsewhere,
        _ if tx.head.object(head).as_service().is_some() => Fate::Elsewhere,
        _ => Fate::Gone,
    }
}
