use std::collections::HashSet;

use crate::rules::{Context, Sink};
use crate::model::ingress_rules::MatchKind;
use crate::text::quote;

declare_rule! {
    /// A path or host of an Ingress rule that the cloud refuses.
    ///
    /// ## What it does
    /// Checks each rule's host and path against the limits the clouds document. CCE (Huawei ELB
    /// API): a host of at most 100 characters of letters, digits, `-` and `.`, starting with a
    /// letter or digit, or a wildcard written as a leading `*.`; a path of at most 128
    /// characters, starting with `/` unless it is a regular expression. TKE (errors E4031 and
    /// E4052): a path starting with `/`, of 1 to 120 characters, and, unless it looks like a
    /// regular expression, made of `a-z A-Z 0-9 . - / = ?` only; a host such as `a.example.com` or
    /// `*.example.com` (lower case, at least one dot). Each host is reported once per rule.
    ///
    /// ## Why it matters
    /// The controller cannot create the forwarding rule: CCE fails the policy, and TKE stops
    /// syncing the load balancer. The paths are not routed, though `kubectl apply` accepted them.
    ///
    /// ## Example
    /// ```yaml
    /// rules:
    /// - host: api_internal.example.com      # `_` is refused
    ///   http: {paths: [{path: /v1/items_all, pathType: Prefix, ...}]}
    /// ```
    ///
    /// ## Fix
    /// Use host names of letters, digits, `-` and `.`, and paths that start with `/` and stay
    /// within the characters and length the cloud allows (TKE: `a-z A-Z 0-9 . - / = ?`).
    pub struct L7PathHostFormat {
        code: "LB408",
        name: "l7-path-host-format",
        severity: Error,
        scope: Any,
        check: check,
    }
}

fn check(cx: &Context, out: &mut Sink) {
    let mut hosts_seen = HashSet::new();
    for (_, f, facts) in cx.ingress_frontends() {
        let Some(ingress) = cx.object(f.object).as_ingress() else {
            continue;
        };
        let (cce, tke) = (f.is_cce(), f.is_tke());
        if !cce && !tke {
            continue;
        }
        for route in &facts.routes {
            let Some(written) = ingress.paths.get(route.index) else {
                continue;
            };
            if let Some(host) = &written.host {
                let problem = if cce { cce_host(&host.value) } else { tke_host(&host.value) };
                if let Some(problem) = problem.filter(|_| hosts_seen.insert(host.origin)) {
                    let help = if cce {
                        format!(
                            "the ELB takes hosts of letters, digits, '-' and '.' (at most 100), with a wildcard only as a leading \"*.\"{}",
                            cx.ct_caveat(f)
                        )
                    } else {
                        "TKE takes hosts such as a.example.com or *.example.com: lower-case labels of letters, digits and '-', at least one dot (error E4052)".to_string()
                    };
                    out.push(
                        cx.finding(
                            &META,
                            f.object,
                            host.origin,
                            format!("host {} {problem}", quote(&host.value)),
                        )
                        .caption("a host the cloud refuses")
                        .help(help),
                    );
                }
            }
            let Some(path) = &written.path else { continue };
            let regex = route.match_kind == MatchKind::Regex;
            let problem = if cce {
                cce_path(&path.value, regex)
            } else {
                tke_path(&path.value)
            };
            if let Some(problem) = problem {
                let help = if cce {
                    format!(
                        "the ELB takes paths of at most 128 characters, starting with '/' unless they are regular expressions{}",
                        cx.ct_caveat(f)
                    )
                } else {
                    "TKE takes paths that start with '/', of 1 to 120 characters, and outside regular expressions only a-z A-Z 0-9 . - / = ? (error E4031)".to_string()
                };
                out.push(
                    cx.finding(
                        &META,
                        f.object,
                        path.origin,
                        format!("path {} {problem}", quote(&path.value)),
                    )
                    .caption("a path the cloud refuses")
                    .help(help),
                );
            }
        }
    }
}

/// Huawei ELB: `HOST_NAME` is at most 100 characters of letters, digits, `-` and `.`, starting
/// with a letter or digit; `*` only as a leading `*.`.
fn cce_host(host: &str) -> Option<String> {
    if host.chars().count() > 100 {
        return Some("is longer than 100 characters".into());
    }
    let body = host.strip_prefix("*.").unwrap_or(host);
    if let Some(bad) = body
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.')))
    {
        return Some(if bad == '*' {
            "has a wildcard other than a leading \"*.\"".into()
        } else {
            format!("has '{bad}', which a host may not hold")
        });
    }
    if !body.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Some("must start with a letter or a digit".into());
    }
    None
}

/// Huawei ELB: `PATH` is at most 128 characters and starts with `/` for exact and prefix
/// matches.
fn cce_path(path: &str, regex: bool) -> Option<String> {
    if path.chars().count() > 128 {
        return Some("is longer than 128 characters".into());
    }
    if !regex && !path.starts_with('/') {
        return Some("does not start with '/'".into());
    }
    None
}

/// TKE E4052: `(\*|[a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+`.
fn tke_host(host: &str) -> Option<String> {
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    let mut labels = host.split('.');
    let first = labels.next().unwrap_or_default();
    let rest: Vec<&str> = labels.collect();
    let ok = (first == "*" || label_ok(first)) && !rest.is_empty() && rest.iter().all(|l| label_ok(l));
    (!ok).then(|| {
        if host.bytes().any(|b| b.is_ascii_uppercase()) {
            "has upper-case letters".to_string()
        } else if rest.is_empty() {
            "has no dot".to_string()
        } else {
            "is not a domain name TKE accepts".to_string()
        }
    })
}

/// TKE E4031: starts with `/`, 1 to 120 characters; outside regular expressions only
/// `a-z A-Z 0-9 . - / = ?`. A path holding regular-expression syntax is taken as one, since how
/// TKE tells them apart is not documented.
fn tke_path(path: &str) -> Option<String> {
    if !path.starts_with('/') {
        return Some("does not start with '/'".into());
    }
    if path.chars().count() > 120 {
        return Some("is longer than 120 characters".into());
    }
    let regex = path.contains(['^', '$', '*', '+', '(', ')', '[', ']', '{', '}', '|', '\\']);
    if regex {
        return None;
    }
    path.chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '/' | '=' | '?')))
        .map(|bad| format!("has '{bad}', which TKE refuses outside a regular expression"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert_eq!(cce_host("shop.example.com"), None);
        assert_eq!(cce_host("*.example.com"), None);
        assert!(cce_host("a_b.example.com").is_some());
        assert!(cce_host("a.*.com").is_some());
        assert!(cce_host("-a.com").is_some());
        assert!(cce_host(&"a".repeat(101)).is_some());
        assert_eq!(tke_host("a.example.com"), None);
        assert_eq!(tke_host("*.example.com"), None);
        assert_eq!(tke_host("localhost").as_deref(), Some("has no dot"));
        assert!(tke_host("A.example.com").is_some());
        assert!(tke_host("a-.example.com").is_some());
        assert!(tke_host("a..com").is_some());
    }

    #[test]
    fn paths() {
        assert_eq!(cce_path("/api", false), None);
        assert!(cce_path("api", false).is_some());
        assert_eq!(cce_path("^/api/.*", true), None);
        assert_eq!(tke_path("/api/v1?x=1"), None);
        assert!(tke_path("/items_all").is_some());
        assert_eq!(tke_path("/api(/|$)(.*)"), None);
        assert!(tke_path(&format!("/{}", "a".repeat(120))).is_some());
    }
}
