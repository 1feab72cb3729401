use crate::rules::{Context, Severity, Sink};
use crate::k8s::keys;
use crate::model::rule_mix::MixList;

declare_rule! {
    /// TKE mixed HTTP/HTTPS rules that leave a rule out, name no rule, or are ignored.
    ///
    /// ## What it does
    /// On TKE Ingresses, checks `kubernetes.io/ingress.rule-mix` and its lists
    /// `kubernetes.io/ingress.http-rules` and `kubernetes.io/ingress.https-rules`. With
    /// `rule-mix: "true"`, a rule of the spec listed in neither goes to HTTPS (warning, at the
    /// path), and a list entry that matches no rule of the spec by host, path, `serviceName` and
    /// `servicePort` does nothing (warning, at the list). The lists without `rule-mix: "true"`
    /// are ignored (warning). A list that is not a JSON list of rules is an error (E4022,
    /// E4044).
    ///
    /// ## Why it matters
    /// Mixed rules decide which paths are served over HTTP and which over HTTPS. A rule left out
    /// of both lists is silently served on HTTPS only, and an entry with a typo in its path or
    /// port matches nothing, so the path meant for HTTP is not there. Invalid JSON stops the
    /// controller from syncing the Ingress.
    ///
    /// ## Example
    /// ```yaml
    /// kubernetes.io/ingress.rule-mix: "true"
    /// kubernetes.io/ingress.http-rules: '[{"host":"shop.example.com","path":"/health","backend":{"serviceName":"web","servicePort":"80"}}]'
    /// # the spec's rule for /health forwards to port 8080: the entry matches nothing
    /// ```
    ///
    /// ## Fix
    /// List every rule in `http-rules` or `https-rules` exactly as the spec writes it (host, path,
    /// Service name and port), and set `rule-mix: "true"` with the lists, or remove them.
    pub struct TkeRuleMix {
        code: "LB410",
        name: "tke-rule-mix",
        severity: Warning,
        scope: Tke,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    for (_, f, facts) in cx.ingress_frontends() {
        if !f.is_tke() {
            continue;
        }
        let mix = facts.rule_mix_on();
        let lists = [
            (keys::TKE_INGRESS_HTTP_RULES, facts.http_rules.as_ref()),
            (keys::TKE_INGRESS_HTTPS_RULES, facts.https_rules.as_ref()),
        ];
        for (key, list) in lists {
            let Some(list) = list else { continue };
            check_list(cx, out, f.object, key, list, mix);
        }
        if !mix {
            continue;
        }
        for route in facts.routes.iter().filter(|r| r.unlisted) {
            out.push(
                cx.finding(
                    &META,
                    f.object,
                    route.origin,
                    format!(
                        "rule-mix is on, but rule {}{} is in neither http-rules nor https-rules: TKE serves it on HTTPS only",
                        route.host.as_deref().unwrap_or(""),
                        route.path
                    ),
                )
                .caption("in neither list")
                .help("add the rule to kubernetes.io/ingress.http-rules or https-rules, with the same host, path, serviceName and servicePort"),
            );
        }
    }
}

fn check_list(
    cx: &Context,
    out: &mut Sink,
    object: crate::model::ObjectId,
    key: &str,
    list: &MixList,
    mix: bool,
) {
    let entries = match &list.entries {
        Ok(entries) => entries,
        Err(error) => {
            out.push(
                cx.finding(
                    &META,
                    object,
                    list.origin,
                    format!("{key} is not a JSON list of rules: {error}"),
                )
                .severity(Severity::Error)
                .caption("not read")
                .help("write a JSON list such as [{\"host\":\"a.example.com\",\"path\":\"/\",\"backend\":{\"serviceName\":\"web\",\"servicePort\":\"80\"}}]; TKE refuses the Ingress otherwise (E4022, E4044)"),
            );
            return;
        }
    };
    if !mix {
        out.push(
            cx.finding(
                &META,
                object,
                list.origin,
                format!("{key} without kubernetes.io/ingress.rule-mix: \"true\" has no effect"),
            )
            .caption("ignored")
            .help("set kubernetes.io/ingress.rule-mix: \"true\" to split the rules between HTTP and HTTPS, or remove the list"),
        );
        return;
    }
    for entry in entries.iter().filter(|e| !e.matched) {
        out.push(
            cx.finding(
                &META,
                object,
                list.origin,
                format!(
                    "the entry {}{} -> {}:{} of {key} matches no rule of this Ingress",
                    entry.host.as_deref().unwrap_or(""),
                    entry.path,
                    entry.service.as_deref().unwrap_or("?"),
                    entry.port.as_deref().unwrap_or("?"),
                ),
            )
            .caption("matches no rule")
            .help("TKE matches entries by host, path, serviceName and servicePort: write them exactly as the spec's rule does"),
        );
    }
}
