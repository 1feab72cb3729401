use crate::rules::{Context, Sink};
use crate::k8s::Spec;

declare_rule! {
    /// A field of a Service or Ingress that Kubernetes does not define where it is written.
    ///
    /// ## What it does
    /// Compares every key of a Service (its top level, `metadata`, `spec`, each `spec.ports`
    /// entry) and of an Ingress (top level, `metadata`, `spec`, `spec.rules` and their `http`,
    /// `paths` and `backend`, `spec.tls`, the default backend) with the fields the Kubernetes
    /// OpenAPI definitions give that place, and reports each key they do not define. When a nearby
    /// place defines it (`ipFamilyPolicy` indented under a port belongs in `spec`; `serviceName`
    /// in a `networking.k8s.io/v1` backend is the v1beta1 form), the message says where it
    /// belongs. The table of fields is generated once by `scripts/k8s-fields` from the OpenAPI
    /// definitions that the PyPI package kubernetes-validate bundles (releases 1.37 and 1.21, for
    /// the v1beta1 Ingress), and vendored in `src/k8s/fields.rs` with its source and version. CCE's
    /// `property` on an Ingress path (its URL match mode) is CCE's own field and is accepted.
    ///
    /// ## Why it matters
    /// `kubectl apply` validates fields strictly by default (Kubernetes 1.27 and later) and
    /// refuses the whole object; with validation off, or on older clusters, the API server drops
    /// the field without a word. Either way the setting never reaches the cluster: a port's
    /// `ipFamilyPolicy`, a misspelt `externalTrafficPolicy`, an Ingress path without its backend.
    /// kubeconform and `kubectl --validate=strict` check the same.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   type: LoadBalancer
    ///   ports:
    ///   - port: 80
    ///     ipFamilyPolicy: PreferDualStack   # a field of spec, not of a port
    /// ```
    ///
    /// ## Fix
    /// Move the field to where the message says it belongs, correct its spelling, or remove it.
    pub struct InvalidObjectShape {
        code: "LB030",
        name: "invalid-object-shape",
        severity: Error,
        scope: Any,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (id, placed) in cx.inv.definitions() {
        let object = &placed.object;
        if !matches!(object.spec, Spec::Service(_) | Spec::Ingress(_)) {
            continue;
        }
        for field in &object.unknown_fields {
            let place = if field.path.is_empty() {
                "the top level".to_string()
            } else {
                format!("`{}`", field.path)
            };
            let message = match &field.belongs {
                Some(there) => format!(
                    "`{}` is not a field of {place} in {}: {there}",
                    field.key,
                    article(object.kind())
                ),
                None => format!(
                    "`{}` is not a field of {place} in {}: kubectl refuses the object (the API server drops the field without strict validation)",
                    field.key,
                    article(object.kind())
                ),
            };
            let help = match &field.belongs {
                Some(_) => format!("move `{}` where it belongs, or remove it", field.key),
                None => format!(
                    "correct the spelling of `{}` or remove it; `kubectl explain {}` lists the fields",
                    field.key,
                    object.kind().to_lowercase()
                ),
            };
            out.push(
                cx.finding(&META, id, field.origin, message)
                    .caption("unknown here")
                    .help(help),
            );
        }
    }
}

/// `a Service`, `an Ingress`.
fn article(kind: &str) -> String {
    if kind.starts_with(['A', 'E', 'I', 'O', 'U']) {
        format!("an {kind}")
    } else {
        format!("a {kind}")
    }
}
