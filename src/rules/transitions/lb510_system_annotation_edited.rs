use crate::rules::transition::{Side, Transition, TransitionSink};
use crate::k8s::docs::CCE_CROSS_CLUSTER;
use crate::k8s::keys;
use crate::text::quote;

declare_rule! {
    /// `elb.listener-port`, `listener-port-ranges-auto-generated` or `elb.mark` changed or removed.
    ///
    /// ## What it does
    /// Compares the annotations the CCE controller writes itself
    /// (`kubernetes.io/elb.listener-port`,
    /// `kubernetes.io/elb.listener-port-ranges-auto-generated`, `kubernetes.io/elb.mark`) on each
    /// Service present on both sides, and reports one whose value the head changes or removes.
    /// This is the transition form of LB018: a manifest that carries them (exported from the
    /// cluster, say) and then edits them.
    ///
    /// ## Why it matters
    /// The controller adds `kubernetes.io/elb.listener-port` after creating a cross-cluster
    /// Service; modifying or deleting it "会导致ELB下资源回收失败" (Huawei Cloud CCE, "为负载均衡类型的Service配置跨集群的后端"): the ELB's listeners
    /// and backend groups are not cleaned up when the Service goes.
    ///
    /// ## Example
    /// ```yaml
    /// # base
    /// kubernetes.io/elb.listener-port: "80"
    /// # head
    /// kubernetes.io/elb.listener-port: "8080"
    /// ```
    ///
    /// ## Fix
    /// Restore the value the controller wrote. Never edit or delete these annotations through the
    /// manifest: with `kubectl apply`, deleting one from a manifest that applied it deletes it
    /// from the object.
    pub struct SystemAnnotationEdited {
        code: "LB510",
        name: "system-annotation-edited",
        severity: Warning,
        scope: Cce,
        transition: check,
    }
}

fn check(tx: &Transition, out: &mut TransitionSink) {
    for (b, h) in tx.frontend_pairs() {
        if !h.is_cce() && !b.is_cce() {
            continue;
        }
        let (before, after) = (
            tx.base.object(b.object).annotations(),
            tx.head.object(h.object).annotations(),
        );
        for key in keys::ELB_SYSTEM {
            let Some(was) = before.get(key) else { continue };
            let now = after.get(key);
            if now.is_some_and(|n| n.value == was.value) {
                continue;
            }
            let (message, at, caption) = match now {
                Some(n) => (
                    format!(
                        "{} changes {key} from {} to {}: the CCE controller writes it, and editing it makes the ELB's clean-up fail ({CCE_CROSS_CLUSTER})",
                        tx.head.object_name(h.object),
                        quote(&was.value),
                        quote(&n.value)
                    ),
                    n.origin,
                    format!("was {}", quote(&was.value)),
                ),
                None => (
                    format!(
                        "{} removes {key} ({} in the base): the CCE controller writes it, and removing it makes the ELB's clean-up fail ({CCE_CROSS_CLUSTER})",
                        tx.head.object_name(h.object),
                        quote(&was.value)
                    ),
                    tx.head.object(h.object).origin,
                    format!("{key} removed from this object"),
                ),
            };
            out.push(
                Side::Head,
                tx.head
                    .finding(&META, h.object, at, message)
                    .caption(caption)
                    .help("restore the value the controller wrote; with kubectl apply, deleting the annotation from the manifest deletes it from the object"),
            )
            .elsewhere(
                was.origin,
                Some(tx.base.object_name(b.object)),
                format!("base: {}", quote(&was.value)),
            );
        }
    }
}
