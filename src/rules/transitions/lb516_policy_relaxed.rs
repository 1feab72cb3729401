use std::collections::HashSet;

use crate::rules::suppress::ignores;
use crate::rules::transition::{Side, Transition, TransitionSink};

declare_rule! {
    /// The head relaxes the policy that judges it: a rule turned down, an exclude, a path, or a new `lbplan.io/ignore`.
    ///
    /// ## What it does
    /// `lbplan diff` reads and judges both sides with the base's `.lbplan.yaml`: rule levels,
    /// excludes, quotas, cluster paths and facts are the base's, so a pull request cannot set the
    /// policy that judges it. This rule reports each way the head's own config, or its
    /// manifests, would judge more leniently once merged: a rule turned off or down (`rules:`,
    /// `clusters[].rules`), a new `exclude:` glob or `default_exclude: true`, changed `paths`,
    /// cluster paths, overlays, pod snapshots or exports, a cluster added or removed, a raised
    /// quota or drift threshold, rendering turned off, the config deleted; each
    /// `lbplan.io/ignore` entry the head adds to an object; and, with `--baseline FILE`, each
    /// finding the head's baseline accepts beyond the base's. Such an entry silences nothing in
    /// the diff that brings it: the base's policy (and the base's baseline) has not accepted it
    /// yet.
    ///
    /// ## Why it matters
    /// In CI the head is the pull request, written by whoever opened it. A change that moves a
    /// Service to another load balancer could also switch LB505 off, in the same commit, and
    /// pass its own gate. Reviewers should see every relaxation as a finding of its own, and
    /// approve it knowingly.
    ///
    /// ## Example
    /// ```yaml
    /// # head .lbplan.yaml
    /// rules:
    ///   LB505: off        # LB516: judged by the base's level here; applies once merged
    /// ```
    ///
    /// ## Fix
    /// If the relaxation is meant, approve it: it applies from the next change on. Otherwise
    /// undo it.
    pub struct PolicyRelaxed {
        code: "LB516",
        name: "policy-relaxed",
        severity: Warning,
        scope: Any,
        transition: check,
    }
}

fn check(tx: &Transition, out: &mut TransitionSink) {
    for r in tx.relaxations() {
        out.push(
            r.side,
            crate::rules::Finding::new(&META, r.origin, r.message.clone())
                .caption(r.caption)
                .help("lbplan diff judges this change by the base's policy; once merged, the head's applies: approve the relaxation knowingly, or undo it"),
        );
    }
    let before: HashSet<(String, &str)> = ignores(tx.base.inv)
        .into_iter()
        .map(|(object, rule, _)| (tx.base.inv.qualified_label(object), rule.code))
        .collect();
    for (object, rule, origin) in ignores(tx.head.inv) {
        if before.contains(&(tx.head.inv.qualified_label(object), rule.code)) {
            continue;
        }
        let message = format!(
            "{} adds lbplan.io/ignore: {code}, which silences nothing in this diff (the base's policy judges it) and silences {code} on this object once merged",
            tx.head.object_name(object),
            code = rule.code,
        );
        out.push(
            Side::Head,
            tx.head
                .finding(&META, object, origin, message)
                .caption("a new suppression")
                .help("if the suppression is meant, approve it: it applies once merged; otherwise fix what the rule reports"),
        );
    }
}
