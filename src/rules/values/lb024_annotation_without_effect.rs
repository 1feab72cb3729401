use crate::rules::{Context, Sink};
use crate::k8s::annotations::{Family, Objects, Row, row_of};
use crate::k8s::{Annotation, Object, Service, Spec, keys};
use crate::model::frontend::on;
use crate::model::{Frontend, ObjectId};

declare_rule! {
    /// Load-balancer annotations no controller reads: on a non-LoadBalancer Service, or on the
    /// wrong kind of object.
    ///
    /// ## What it does
    /// Reports a Service that is not `type: LoadBalancer` (a ClusterIP Service by default, a
    /// NodePort one, an ExternalName one) but carries CCE (`kubernetes.io/elb.*`) or TKE
    /// (`service.kubernetes.io/tke-*`, `service.cloud.tencent.com/*`, ...) load-balancer
    /// annotations, once, at the first of them. And it reports each annotation that the clouds
    /// read only on the other kind of object: a Service-only key on an Ingress (such as
    /// `service.cloud.tencent.com/direct-access`, whose Ingress twin is
    /// `ingress.cloud.tencent.com/direct-access`, or CCE's `kubernetes.io/elb.multicluster`,
    /// `elb.pass-through` and `elb.protocol-port`), or an Ingress-only key on a Service (such as
    /// `kubernetes.io/elb.port`, `elb.listen-ports`, `kubernetes.io/ingress.existLbId` or any
    /// `ingress.cloud.tencent.com/*`). Which keys belong to which kind is the annotation table of
    /// `src/k8s/annotations.rs`, from the clouds' documentation; keys documented for both kinds,
    /// or for neither in particular, are never judged.
    ///
    /// And it reports an annotation that acts only together with another that is missing: the
    /// cross-cluster weight `kubernetes.io/elb.multicluster-loadbalancer-weight` on a CCE Service
    /// without `kubernetes.io/elb.multicluster: "true"` (the weight is "集群Service接收流量的权重", the
    /// share of a cross-cluster Service, in Huawei Cloud CCE's "为负载均衡类型的Service配置跨集群的后端";
    /// outside cross-cluster mode the members get the ELB's default weight).
    ///
    /// A Service that names no `spec.type` and lacks `spec.selector` or `spec.ports`, fields a
    /// whole Service has, looks like a Kustomize patch: the help then says to lint the rendered
    /// overlay, where the patch meets its base.
    ///
    /// ## Why it matters
    /// The controllers act on LoadBalancer Services and on Ingresses of their class, and read
    /// each annotation on the kind it was made for. Anywhere else the annotation does nothing:
    /// no load balancer is created or changed, lbplan plans none, and nothing says why.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// metadata:
    ///   annotations:
    ///     kubernetes.io/elb.id: 5083f225-9bf8-48fa-9c8b-67bd9693c4c0
    /// spec:
    ///   type: NodePort          # the ELB annotation is ignored
    /// ```
    ///
    /// ## Fix
    /// Set `type: LoadBalancer`, or remove the annotations; on an Ingress use the Ingress key
    /// (and on a Service the Service key) that the help names. For a patch, lint what the overlay
    /// renders: `kubectl kustomize overlays/prod | lbplan lint --cluster prod -`.
    pub struct AnnotationWithoutEffect {
        code: "LB024",
        name: "annotation-without-effect",
        severity: Warning,
        scope: Any,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (id, placed) in cx.inv.definitions() {
        let object = &placed.object;
        match &object.spec {
            Spec::Service(service) if !service.is_load_balancer() => {
                not_a_load_balancer(cx, out, id, object, service);
            }
            Spec::Service(_) => wrong_kind(cx, out, id, object, Objects::Ingress),
            Spec::Ingress(_) => wrong_kind(cx, out, id, object, Objects::Service),
            _ => {}
        }
    }
    for (_, f) in cx.cce_frontends() {
        weight_without_multicluster(cx, out, f);
    }
}

/// The clouds' load-balancer annotations of an object, with their rows.
fn cloud_annotations(object: &Object) -> impl Iterator<Item = (&Annotation, &'static Row)> {
    object
        .annotations()
        .iter()
        .filter_map(|a| row_of(&a.key).map(|row| (a, row)))
}

fn controller(family: Family) -> &'static str {
    match family {
        Family::Cce => "CCE ELB",
        Family::Tke => "TKE CLB",
    }
}

fn not_a_load_balancer(
    cx: &Context,
    out: &mut Sink,
    id: ObjectId,
    object: &Object,
    service: &Service,
) {
    let annotations: Vec<(&Annotation, &Row)> = cloud_annotations(object).collect();
    let Some(&(first, row)) = annotations.first() else {
        return;
    };
    let service_type = service.service_type.as_ref();
    let kind = service_type.map_or_else(
        || "no spec.type (so ClusterIP)".to_string(),
        |t| format!("type: {:?}", t.value),
    );
    let keys: Vec<&str> = annotations.iter().map(|(a, _)| a.key.as_str()).collect();
    let listed = match keys.as_slice() {
        [one] => (*one).to_string(),
        [first, second] => format!("{first} and {second}"),
        [first, second, rest @ ..] => format!("{first}, {second} and {} more", rest.len()),
        [] => String::new(),
    };
    let patch = service_type.is_none() && (service.selector.is_none() || service.ports.is_empty());
    let help = if patch {
        "this Service names no spec.type and lacks spec.selector or spec.ports, as a Kustomize patch does: lint the rendered overlay, where the patch meets its base (kubectl kustomize OVERLAY | lbplan lint --cluster NAME -)".to_string()
    } else {
        format!(
            "set spec.type: LoadBalancer for the {} load balancer these annotations describe, or remove them",
            controller(row.family)
        )
    };
    let mut finding = cx
        .finding(
            &META,
            id,
            first.origin,
            format!(
                "{} has {kind}, so the {} controller ignores its load-balancer annotations ({listed}): it gets no load balancer",
                object.label(),
                controller(row.family)
            ),
        )
        .caption("read only on type: LoadBalancer")
        .help(help);
    if let Some(t) = service_type {
        finding = finding.related(t.origin, Some(cx.object_name(id)), "the Service's type");
    }
    out.push(finding);
}

/// Annotations that the clouds read only on `other` (the kind this object is not).
fn wrong_kind(cx: &Context, out: &mut Sink, id: ObjectId, object: &Object, other: Objects) {
    let (this, that) = match other {
        Objects::Ingress => ("a Service", "Ingresses"),
        _ => ("an Ingress", "Services"),
    };
    for (a, row) in cloud_annotations(object).filter(|(_, row)| row.objects == other) {
        let help = match row.counterpart {
            Some(twin) => format!("on {this} write {twin} instead"),
            None => format!(
                "remove it; the {} controller reads {} on {that} only",
                controller(row.family),
                a.key
            ),
        };
        out.push(
            cx.finding(
                &META,
                id,
                a.origin,
                format!(
                    "{} is read on {that} only: on {this} it does nothing",
                    a.key
                ),
            )
            .caption(format!("{that} only"))
            .help(help),
        );
    }
}

/// The cross-cluster weight on a CCE Service that is not cross-cluster: it does nothing.
fn weight_without_multicluster(cx: &Context, out: &mut Sink, f: &Frontend) {
    let id = f.object;
    // An invalid weight is LB012's alone.
    let Some(weight) = f
        .weight
        .as_ref()
        .filter(|w| w.value.is_some())
        // With elb.multivpc on, the missing multicluster is LB203's.
        .filter(|_| !f.is_ingress() && !f.is_cross_cluster() && !on(f.multivpc.as_ref()))
    else {
        return;
    };
    let mut finding = cx
        .finding(
            &META,
            id,
            weight.origin,
            format!(
                "{} acts only on a cross-cluster Service, and this one lacks {}: \"true\", so its members get the ELB's default weight",
                keys::ELB_MULTICLUSTER_WEIGHT,
                keys::ELB_MULTICLUSTER
            ),
        )
        .caption("needs kubernetes.io/elb.multicluster: \"true\"")
        .help("add kubernetes.io/elb.multicluster: \"true\" if the Service shares its listener with other clusters, or remove the weight");
    if let Some(m) = &f.multicluster {
        finding = finding.related(m.origin, Some(cx.object_name(id)), "not \"true\"");
    }
    out.push(finding);
}
