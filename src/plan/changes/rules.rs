//! Forwarding rules, base -> head.

use std::collections::BTreeMap;

use super::{Action, RuleChange};
use crate::plan::forwarding::ForwardingRule;
use crate::plan::index::PlannedListener;

/// Forwarding rules matched by host, path and match kind (the n-th of equal rules with the n-th).
pub(super) fn rules<'a>(
    b: Option<PlannedListener<'a>>,
    h: Option<PlannedListener<'a>>,
) -> Vec<RuleChange<'a>> {
    type Key<'k> = (Option<&'k str>, &'k str, &'static str, bool, usize);
    fn keyed<'k>(l: Option<PlannedListener<'k>>) -> Vec<(Key<'k>, &'k ForwardingRule)> {
        let mut seen: BTreeMap<(Option<&str>, &str, &str, bool), usize> = BTreeMap::new();
        let rules = l.map_or(&[][..], |l| &l.listener.rules[..]);
        rules
            .iter()
            .map(|r| {
                let kind: &'static str = r.match_kind.into();
                let base = (r.host.as_deref(), r.path.as_str(), kind, r.vip_host);
                let n = seen.entry(base).or_default();
                *n += 1;
                ((base.0, base.1, base.2, base.3, *n), r)
            })
            .collect()
    }
    let mut by_key: BTreeMap<Key, (Option<&ForwardingRule>, Option<&ForwardingRule>)> =
        BTreeMap::new();
    for (key, r) in keyed(b) {
        by_key.entry(key).or_default().0 = Some(r);
    }
    for (key, r) in keyed(h) {
        by_key.entry(key).or_default().1 = Some(r);
    }
    by_key
        .into_values()
        .filter_map(|(b, h)| {
            let changed = match (b, h) {
                (Some(b), Some(h)) => {
                    b.object != h.object || b.action != h.action || b.status != h.status
                }
                _ => false,
            };
            Action::of(b, h, changed).map(|action| RuleChange {
                action,
                base: b,
                head: h,
            })
        })
        .collect()
}
