use super::{Context, Sink};
use crate::k8s::keys;

declare_rule! {
    /// Both `kubernetes.io/elb.id` and `kubernetes.io/elb.autocreate` are set.
    ///
    /// ## What it does
    /// On CCE, reports a Service or Ingress that names an existing ELB and also asks for one to be
    /// created.
    ///
    /// ## Why it matters
    /// CCE then uses the existing ELB but treats it as auto-created: deleting the Service deletes
    /// the ELB, with every listener other Services and consoles put on it (ground truth §1.6).
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     kubernetes.io/elb.id: 5083f225-9bf8-48fa-9c8b-67bd9693c4c0
    ///     kubernetes.io/elb.autocreate: '{"type":"public"}'
    /// ```
    ///
    /// ## Fix
    /// Keep one: `kubernetes.io/elb.id` to use an existing ELB, or `kubernetes.io/elb.autocreate`
    /// to have one created and deleted with the Service.
    pub struct IdAndAutocreate {
        code: "LB017",
        name: "id-and-autocreate",
        severity: Error,
        scope: Cce,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.cce_frontends() {
        let annotations = cx.object(f.object).annotations();
        let (Some(id), Some(autocreate)) = (
            annotations.get(keys::ELB_ID),
            annotations.get(keys::ELB_AUTOCREATE),
        ) else {
            continue;
        };
        if id.value.trim().is_empty() {
            continue;
        }
        out.push(
            cx.finding(
                &META,
                f.object,
                autocreate.origin,
                format!("autocreate together with kubernetes.io/elb.id: ELB {} would be deleted with this object", id.value.trim()),
            )
            .caption("turns the existing ELB into an auto-created one")
            .help("remove kubernetes.io/elb.autocreate to use the existing ELB, or remove kubernetes.io/elb.id to have one created")
            .related(id.origin, Some(cx.object_name(f.object)), "existing ELB named here"),
        );
    }
}
