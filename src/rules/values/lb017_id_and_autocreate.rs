use crate::rules::{Context, Severity, Sink};
use crate::k8s::keys;
use crate::text::Truncated;

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
    /// One case is different: once CCE has created an ELB for `elb.autocreate`, it writes the
    /// ELB's ID back beside it, with its address (`kubernetes.io/elb.ip`, `kubernetes.io/elb.eip-id`),
    /// and a copy of the live object (a `kubectl get -o yaml` dump, or a file made from one)
    /// carries them all. Deleting that ELB with its object is then by design; the finding is a
    /// warning that says so, and that the written-back keys do not belong in a manifest.
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
        let written_back = [keys::ELB_IP, keys::ELB_EIP_ID]
            .iter()
            .find_map(|k| annotations.get(k));
        if let Some(address) = written_back {
            let dump = if cx.object(f.object).meta.live.is_empty() {
                ""
            } else {
                " (this object is a dump of the live one)"
            };
            out.push(
                cx.finding(
                    &META,
                    f.object,
                    id.origin,
                    format!(
                        "kubernetes.io/elb.id {} sits beside elb.autocreate and {}: CCE wrote it back after auto-creating the ELB{dump}, which is deleted with this object by design",
                        id.value.trim(),
                        address.key
                    ),
                )
                .severity(Severity::Warning)
                .caption("written back by CCE")
                .help("commit the manifest, not the live object: keep kubernetes.io/elb.autocreate and drop elb.id, elb.ip and elb.eip-id (or keep elb.id alone to reuse this ELB); applied as they are, they name one ELB as existing and auto-created at once")
                .related(autocreate.origin, Some(cx.object_name(f.object)), "the ELB was auto-created from this"),
            );
            continue;
        }
        out.push(
            cx.finding(
                &META,
                f.object,
                autocreate.origin,
                format!("autocreate together with kubernetes.io/elb.id: ELB {} would be deleted with this object", Truncated(id.value.trim())),
            )
            .caption("turns the existing ELB into an auto-created one")
            .help("remove kubernetes.io/elb.autocreate to use the existing ELB, or remove kubernetes.io/elb.id to have one created")
            .related(id.origin, Some(cx.object_name(f.object)), "existing ELB named here"),
        );
    }
}
