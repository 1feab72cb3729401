//! LB002 is reported by the suppression pass (`suppress.rs`) once every other rule has run, since
//! only then is it known which suppressions silenced something.

use crate::rules::{Context, Sink};

declare_rule! {
    /// A suppression that silenced nothing, or that names an unknown rule.
    ///
    /// ## What it does
    /// Checks every `lbplan.io/ignore` entry and every `rules:` entry of `.lbplan.yaml` set to `off`.
    /// It reports an entry that names no known rule (by code or name), and an entry that silenced
    /// no finding in this run. An entry for a rule that could not check the object (a cluster fact
    /// was unknown), or that `--select`/`--ignore` switched off, is not judged.
    ///
    /// ## Why it matters
    /// A suppression outlives its reason: the conflict is fixed, the Service renamed, the code
    /// mistyped (`LB1O1`). Stale suppressions hide the next real finding on that object, and a
    /// misspelt one never worked at all.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     lbplan.io/ignore: "LB101, listner-conflict"   # the second is misspelt
    /// ```
    ///
    /// ## Fix
    /// Remove the entry, or correct the code or name (`lbplan rules` lists them).
    pub struct UnusedSuppression {
        code: "LB002",
        name: "unused-suppression",
        severity: Info,
        scope: Any,
        check: check,
    }
}

/// Nothing to do while the rules run: see `suppress::apply`, which reports this rule.
fn check(_cx: &Context, _out: &mut Sink) {}
