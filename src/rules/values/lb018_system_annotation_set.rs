use crate::rules::{Context, Sink};
use crate::k8s::keys;

declare_rule! {
    /// A manifest sets an annotation that only the CCE controller may write.
    ///
    /// ## What it does
    /// Reports `kubernetes.io/elb.listener-port`, `kubernetes.io/elb.listener-port-ranges-auto-generated`
    /// and `kubernetes.io/elb.mark` in a manifest.
    ///
    /// ## Why it matters
    /// CCE adds these annotations itself to track the listeners it created (for cross-cluster
    /// Services in particular). Setting, changing or removing them by hand makes ELB clean-up fail:
    /// listeners and backend groups are left behind, or another cluster's are removed. They usually
    /// arrive by committing the output of `kubectl get svc -o yaml`.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     kubernetes.io/elb.listener-port: "80"
    /// ```
    ///
    /// ## Fix
    /// Delete the annotation from the manifest and let the controller manage it.
    pub struct SystemAnnotationSet {
        code: "LB018",
        name: "system-annotation-set",
        severity: Error,
        scope: Cce,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (_, f) in cx.cce_frontends() {
        for a in cx.object(f.object).annotations().iter() {
            if !keys::ELB_SYSTEM.contains(&a.key.as_str()) {
                continue;
            }
            out.push(
                cx.finding(
                    &META,
                    f.object,
                    a.origin,
                    format!("{} is written by the CCE controller and must not be set in a manifest", a.key),
                )
                .caption("controller-managed annotation")
                .help("remove this annotation from the manifest; hand edits break ELB resource clean-up"),
            );
        }
    }
}
