use crate::rules::{Context, Sink};
use crate::model::ingress_rules::{URL_MATCH_MODES, url_match_mode};
use crate::text::quote;

declare_rule! {
    /// A CCE Ingress path whose match mode is not one CCE knows, or that lacks its `pathType`.
    ///
    /// ## What it does
    /// On CCE Ingresses, reports a path whose
    /// `property."ingress.beta.kubernetes.io/url-match-mode"` is not `EQUAL_TO`, `STARTS_WITH` or
    /// `REGEX` (exactly so spelled), and a `networking.k8s.io/v1` path without `pathType`, which
    /// v1 requires. (A `pathType` other than `Exact`, `Prefix` or `ImplementationSpecific` is
    /// refused by Kubernetes itself: LB001.)
    ///
    /// ## Why it matters
    /// The match mode decides which requests a forwarding policy catches: exact, prefix or
    /// regular expression. A misspelt mode is not the one meant, and the Ingress is not applied
    /// as written; a v1 path without `pathType` is refused at apply time.
    ///
    /// ## Example
    /// ```yaml
    /// paths:
    /// - path: /api
    ///   pathType: ImplementationSpecific
    ///   property:
    ///     ingress.beta.kubernetes.io/url-match-mode: PREFIX
    /// ```
    ///
    /// ## Fix
    /// Use `EQUAL_TO` (exact), `STARTS_WITH` (prefix, the default) or `REGEX`, or say it with
    /// `pathType: Exact` or `Prefix`; give every v1 path a `pathType`.
    pub struct L7InvalidMatchMode {
        code: "LB407",
        name: "l7-invalid-match-mode",
        severity: Error,
        scope: Cce,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    let allowed: Vec<&str> = URL_MATCH_MODES.iter().map(|(w, _)| *w).collect();
    let allowed = allowed.join(", ");
    for (_, f, _) in cx.ingress_frontends() {
        if !f.is_cce() {
            continue;
        }
        let Some(ingress) = cx.object(f.object).as_ingress() else {
            continue;
        };
        for path in &ingress.paths {
            if let Some(mode) = &path.match_mode {
                if url_match_mode(mode.value.trim()).is_none() {
                    out.push(
                        cx.finding(
                            &META,
                            f.object,
                            mode.origin,
                            format!(
                                "url-match-mode {} is not a match mode CCE knows",
                                quote(&mode.value)
                            ),
                        )
                        .caption(format!("must be one of {allowed}"))
                        .help(format!(
                            "write EQUAL_TO (exact), STARTS_WITH (prefix, the default) or REGEX{}",
                            cx.ct_caveat(f)
                        )),
                    );
                }
            }
            if ingress.v1 && path.path_type.is_none() {
                out.push(
                    cx.finding(
                        &META,
                        f.object,
                        path.origin,
                        "this networking.k8s.io/v1 path has no pathType, which v1 requires",
                    )
                    .caption("no pathType")
                    .help("add pathType: Exact, Prefix, or ImplementationSpecific (CCE then reads url-match-mode, default STARTS_WITH)"),
                );
            }
        }
    }
}
