use crate::rules::{Context, Sink};
use crate::k8s::{LiveField, Located, Spec};

declare_rule! {
    /// A Service or Ingress carrying state only a live object has: a `kubectl get -o yaml` dump.
    ///
    /// ## What it does
    /// Notes each Service and Ingress that carries fields the API server and the controllers
    /// write: `metadata.uid`, `metadata.resourceVersion`, a `metadata.creationTimestamp` that is
    /// not null, `metadata.managedFields`, or addresses in `status.loadBalancer.ingress`. The
    /// finding points at the first of them, and the help lists every such field the object has
    /// (`metadata.selfLink` and `metadata.generation` too). Pods are not findings: a pod snapshot
    /// is a dump on purpose (`--pods`, `clusters[].pods`).
    ///
    /// It also notes each TKE `LoadBalancerResource` among the manifests. TKE keeps the state of
    /// a shared CLB in an object of that kind named after the CLB ID, and Tencent Cloud TKE's
    /// "Multiple Services Sharing a CLB" says: "Do not perform any operations on this CRD;
    /// otherwise, the Service may fail." It is controller state, never a manifest: lbplan does not
    /// plan it, and says so here rather than skipping it in silence.
    ///
    /// ## Why it matters
    /// A dump records what a cluster held at one moment, written back by the controllers (the
    /// load balancer's address; on CCE an auto-created ELB's ID, see LB017), not what you
    /// apply. Applied again it carries a stale `resourceVersion` and someone else's state, and
    /// linted as a manifest it plans that state as if you had written it.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   name: grafana
    ///   resourceVersion: "25308703"
    ///   uid: a4ec0d31-1bc7-11ea-b53d-fa163eb8d9d5
    /// status:
    ///   loadBalancer:
    ///     ingress: [{ip: 119.8.45.72}]
    /// ```
    ///
    /// ## Fix
    /// Commit the manifest you apply instead: drop the fields the help lists and the `status`
    /// block (and `spec.clusterIP`, which the cluster assigned). If the file is a record of the
    /// cluster on purpose, keep it out of the linted folders (`exclude:`).
    pub struct LiveObjectCommitted {
        code: "LB025",
        name: "live-object-committed",
        severity: Info,
        scope: Any,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (id, placed) in cx.inv.definitions() {
        let object = &placed.object;
        if let Spec::ControllerState(kind) = object.spec {
            let kind: &str = kind.into();
            out.push(
                cx.finding(
                    &META,
                    id,
                    object.origin,
                    format!(
                        "{} is TKE controller state: TKE keeps a shared CLB's state in it, and applying or editing it can break the CLB's Services",
                        object.label()
                    ),
                )
                .caption(format!("{kind}: written by TKE"))
                .help(format!("remove the {kind} from the manifests; TKE creates and updates it for the CLB (Tencent Cloud TKE, \"Multiple Services Sharing a CLB\": do not perform any operations on this CRD)")),
            );
            continue;
        }
        if !matches!(object.spec, Spec::Service(_) | Spec::Ingress(_)) {
            continue;
        }
        let live = &object.meta.live;
        let Some(first) = live.iter().find(|l| l.value.marks_a_dump()) else {
            continue;
        };
        out.push(
            cx.finding(
                &META,
                id,
                first.origin,
                format!(
                    "{} carries {}, which only a live object has: it looks like a kubectl get -o yaml dump",
                    object.label(),
                    fields(live.iter().filter(|l| l.value.marks_a_dump()))
                ),
            )
            .caption("written by the cluster")
            .help(format!(
                "commit the manifest you apply: drop {} (and spec.clusterIP where the cluster assigned it)",
                to_drop(live)
            )),
        );
    }
}

/// `metadata.uid, metadata.resourceVersion and status.loadBalancer.ingress`.
fn fields<'a>(live: impl Iterator<Item = &'a Located<LiveField>>) -> String {
    let names: Vec<&str> = live.map(|l| l.value.as_str()).collect();
    list(&names)
}

/// What to remove: the metadata fields, then the `status` block.
fn to_drop(live: &[Located<LiveField>]) -> String {
    let mut names: Vec<&str> = live
        .iter()
        .filter(|l| l.value != LiveField::LoadBalancerIngress)
        .map(|l| l.value.as_str())
        .collect();
    if live.iter().any(|l| l.value == LiveField::LoadBalancerIngress) {
        names.push("the status block");
    }
    list(&names)
}

/// `a`, `a and b`, `a, b and c`.
fn list(names: &[&str]) -> String {
    match names.split_last() {
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}
