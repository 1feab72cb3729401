use crate::rules::transition::{Side, Transition, TransitionSink};
use crate::rules::Severity;
use crate::rules::values::{lb024_annotation_without_effect, lb029_autocreate_incomplete};
use crate::k8s::annotations::row_of;
use crate::k8s::{Object, Protocol, keys};
use crate::model::{Frontend, ObjectId};
use crate::plan::changes::member_count;
use crate::source::Origin;
use crate::text::Truncated;

declare_rule! {
    /// A Service that stays leaves `type: LoadBalancer`, or stops naming or asking for an ELB.
    ///
    /// ## What it does
    /// Looks at each Service the base serves with a load balancer that the head still has (same
    /// cluster, namespace and name) but serves with none: its `spec.type` is no longer
    /// `LoadBalancer` (NodePort, ClusterIP, or no type), or, on CCE, it no longer names an ELB
    /// (`kubernetes.io/elb.id`) nor asks for one (`kubernetes.io/elb.autocreate`), which the
    /// plan follows (LB029). It is an error when the load balancer was created for the Service
    /// (no ID annotation, or CCE's `elb.id` written back beside `elb.autocreate`) and nothing
    /// else uses it: the cloud releases it and its address. It is a warning when the load
    /// balancer is the user's (named by its ID): it stays, and loses the Service's listeners,
    /// or its groups on listeners other Services keep.
    ///
    /// For what it removes it speaks alone: the listeners it names are not LB506's, and a
    /// Service that stays is never LB512's (a deletion or a rename). When the Service keeps
    /// its load-balancer annotations, the head's LB024 (or LB029) on it is folded into this
    /// finding. A Service that moves to another load balancer is LB505's.
    ///
    /// ## Why it matters
    /// An auto-created load balancer goes with the Service's type, and its address with it:
    /// DNS records and clients that point at it break, and the address cannot be asked back.
    /// Deleting a Service (LB512, a warning) says plainly that it goes; a type change keeps the
    /// Service, reads like a small edit of one line, and nobody meant to release the address:
    /// so this is an error. On a load balancer of the user's, the ports the Service published
    /// close, and clients connected to them lose their connections.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     kubernetes.io/elb.autocreate: '{"type":"public"}'
    /// spec:
    ///   type: NodePort     # base: LoadBalancer; the ELB and its EIP are released
    /// ```
    ///
    /// ## Fix
    /// Keep `type: LoadBalancer` until DNS and clients have moved to another address, then
    /// change the type and remove the load-balancer annotations in the same change. On a load
    /// balancer of your own, move the clients off its ports first.
    pub struct LbTypeDropped {
        code: "LB513",
        name: "lb-type-dropped",
        severity: Error,
        scope: Any,
        transition: check,
    }
}

/// Why the head serves the Service with no load balancer.
enum Dropped {
    /// Its type: the head's, written or not.
    Type(Option<String>),
    /// CCE: it names no ELB and asks for none.
    NoElb,
}

/// `listener TCP:80 (3 members)`, or `its group on listener TCP:80, which stays for
/// Service/shop/b`, for each listener the Service claimed: the first kind removed with the
/// Service's load balancer, the second kept for others.
fn listener_losses(tx: &Transition, b: &Frontend) -> Vec<String> {
    let mut seen: Vec<(Protocol, u16)> = Vec::new();
    let mut out = Vec::new();
    for claim in &b.claims {
        if seen.contains(&(claim.protocol, claim.port)) {
            continue;
        }
        seen.push((claim.protocol, claim.port));
        let name = format!("{}:{}", claim.protocol, claim.port);
        let lb = b.lb.id();
        if let Some(head) = tx.listener(Side::Head, lb, claim.protocol, claim.port) {
            let mut others: Vec<String> = head
                .claims()
                .iter()
                .map(|c| tx.head.qualified_name(tx.head.inv.frontend(c.frontend).object))
                .collect();
            others.dedup();
            out.push(format!(
                "its group on listener {name}, which stays for {}",
                others.join(", ")
            ));
        } else {
            let members: u64 = tx
                .listener(Side::Base, lb, claim.protocol, claim.port)
                .map_or(0, |l| l.listener.groups.iter().map(member_count).sum());
            out.push(format!(
                "listener {name} ({members} {})",
                if members == 1 { "member" } else { "members" }
            ));
        }
    }
    out
}

/// The load-balancer annotations the head's object keeps: `kubernetes.io/elb.class and
/// kubernetes.io/elb.autocreate`.
fn kept_annotations(object: &Object) -> Option<String> {
    let keys: Vec<&str> = object
        .annotations()
        .iter()
        .filter(|a| row_of(&a.key).is_some())
        .map(|a| a.key.as_str())
        .collect();
    match keys.as_slice() {
        [] => None,
        [one] => Some((*one).to_string()),
        [first, second] => Some(format!("{first} and {second}")),
        [first, second, rest @ ..] => Some(format!("{first}, {second} and {} more", rest.len())),
    }
}

fn check(tx: &Transition, out: &mut TransitionSink) {
    for (_, b) in tx.base.planned_frontends() {
        if b.is_ingress() || b.no_elb {
            continue;
        }
        let Some(id) = tx.counterpart(Side::Head, b.object) else {
            continue; // deleted or renamed: LB512, LB506
        };
        let object = tx.head.object(id);
        let Some(service) = object.as_service() else {
            continue;
        };
        let dropped = match tx.frontend_of(Side::Head, id) {
            None if !service.is_load_balancer() => Dropped::Type(
                service
                    .service_type
                    .as_ref()
                    .map(|t| format!("{:?}", t.value)),
            ),
            // A CCE Service that named or asked for an ELB in the base.
            Some((_, h)) if h.no_elb && b.is_cce() => Dropped::NoElb,
            _ => continue,
        };
        let at: Origin = service
            .service_type
            .as_ref()
            .map_or(object.origin, |t| t.origin);
        report(tx, out, b, id, &dropped, at);
    }
}

fn report(
    tx: &Transition,
    out: &mut TransitionSink,
    b: &Frontend,
    id: ObjectId,
    dropped: &Dropped,
    at: Origin,
) {
    let name = tx.head.object_name(id);
    let lb = Truncated(b.lb.id()).to_string();
    let still_used = tx.head.load_balancers().any(|p| p.lb.id == b.lb.id());
    let released = (b.lb.is_auto() || b.created_lb.is_some()) && !still_used;
    let (why, caption, fold) = match dropped {
        Dropped::Type(now) => (
            format!(
                "{name} is no longer type: LoadBalancer ({})",
                now.as_deref().map_or_else(
                    || "no spec.type now, so ClusterIP".to_string(),
                    |t| format!("type: {t} now")
                )
            ),
            "no longer type: LoadBalancer".to_string(),
            lb024_annotation_without_effect::META.code,
        ),
        Dropped::NoElb => (
            format!(
                "{name} no longer names an ELB ({}) nor asks for one ({}), and CCE documents no load balancer for it",
                keys::ELB_ID,
                keys::ELB_AUTOCREATE
            ),
            "no ELB named or requested now".to_string(),
            lb029_autocreate_incomplete::META.code,
        ),
    };
    let losses = listener_losses(tx, b).join(", ");
    let mut message = if released {
        format!(
            "{why}: the cloud releases the load balancer it created for it ({lb}) and its address, with {losses}; unlike a deletion (LB512), the Service stays, so nothing in the change says that the address goes"
        )
    } else {
        format!("{why}: load balancer {lb} is yours and stays, but loses {losses}")
    };
    let folded = match dropped {
        Dropped::Type(_) => kept_annotations(tx.head.object(id)).map(|keys| {
            format!("; its load-balancer annotations ({keys}) stay and do nothing ({fold})")
        }),
        Dropped::NoElb => None,
    };
    message.push_str(folded.as_deref().unwrap_or(""));
    let (severity, help) = match (released, dropped) {
        (true, Dropped::Type(_)) => (
            Severity::Error,
            "keep type: LoadBalancer until DNS and clients have moved to another address; then change the type and remove the load-balancer annotations together",
        ),
        (true, Dropped::NoElb) => (
            Severity::Error,
            "keep kubernetes.io/elb.autocreate until DNS and clients have moved to another address",
        ),
        (false, Dropped::Type(_)) => (
            Severity::Warning,
            "move the clients off these ports first; then change the type and remove the load-balancer annotations together",
        ),
        (false, Dropped::NoElb) => (
            Severity::Warning,
            "move the clients off these ports first, or keep kubernetes.io/elb.id",
        ),
    };
    let finding = out.push(
        Side::Head,
        tx.head
            .finding(&META, id, at, message)
            .severity(severity)
            .caption(caption)
            .help(help),
    );
    let base_says = if released {
        format!("base: the load balancer created for it, {lb}")
    } else {
        format!("base: load balancer {lb}")
    };
    // Where the base asked for the load balancer: its type, or the annotation the head drops.
    let base_object = tx.base.object(b.object);
    let was = match dropped {
        Dropped::Type(_) => base_object
            .as_service()
            .and_then(|s| s.service_type.as_ref())
            .map(|t| t.origin),
        Dropped::NoElb if b.lb.is_auto() => b.autocreate,
        Dropped::NoElb => None,
    };
    finding
        .elsewhere(
            was.unwrap_or_else(|| b.lb.origin()),
            Some(tx.base.object_name(b.object)),
            base_says,
        )
        .fold(fold);
}
