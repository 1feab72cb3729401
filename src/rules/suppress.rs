//! Which findings are reported: `--select`/`--ignore`, the config's `rules:` levels, and the
//! `lbplan.io/ignore` annotation. Suppressions that silence nothing become LB002.
//!
//! An annotation entry is a rule code or name; several are separated by commas, and a reason may
//! follow a `;`: `lbplan.io/ignore: "LB101, weight-drift; shared on purpose, see INC-2231"`.

use std::collections::{BTreeMap, HashSet};

use super::values::lb002_unused_suppression::META as UNUSED_SUPPRESSION;
use super::{Finding, RULES, Rule, RuleMeta, Severity, find};
use crate::config::Level;
use crate::k8s::{Annotation, Spec, keys};
use crate::model::{Inventory, ObjectId};
use crate::source::Origin;

/// A rule, or every rule whose code starts with a prefix (`LB2`).
#[derive(Debug, Clone, PartialEq, Eq)]
enum RuleSelector {
    Rule(&'static str),
    Prefix(String),
}

impl RuleSelector {
    fn parse(text: &str) -> Option<RuleSelector> {
        let text = text.trim();
        if let Some(rule) = find(text) {
            return Some(RuleSelector::Rule(rule.meta().code));
        }
        let upper = text.to_ascii_uppercase();
        let any = RULES.iter().any(|r| r.meta().code.starts_with(&upper));
        (upper.starts_with("LB") && any).then_some(RuleSelector::Prefix(upper))
    }

    fn matches(&self, code: &str) -> bool {
        match self {
            RuleSelector::Rule(c) => *c == code,
            RuleSelector::Prefix(p) => code.starts_with(p.as_str()),
        }
    }
}

/// A `rules:` entry of the config.
#[derive(Debug, Clone)]
pub struct ConfigLevel {
    pub key: String,
    pub level: Level,
    pub rule: Option<&'static RuleMeta>,
    /// The key in the config file, when the config was read from one.
    pub origin: Option<Origin>,
    /// The cluster whose `rules:` hold the entry (`clusters[].rules`); `None` for the top-level
    /// `rules:`, which applies to every cluster.
    pub cluster: Option<String>,
}

/// What the command line and the config say about rules.
#[derive(Debug, Default, Clone)]
pub struct Policy {
    select: Vec<RuleSelector>,
    ignore: Vec<RuleSelector>,
    levels: Vec<ConfigLevel>,
    /// `lbplan diff`: the `lbplan.io/ignore` entries the base had, as (`cluster:Kind/ns/name`,
    /// rule code). Only those silence the head's findings: a new one is the change's own
    /// suppression, which the base's policy has not accepted yet (LB516). `None`: all do.
    trusted_ignores: Option<HashSet<(String, &'static str)>>,
}

/// A rule in `--select` or `--ignore` that lbplan does not have: a usage error, with the closest
/// rules when some are close.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{flag}: unknown rule \"{rule}\" ({advice})")]
pub struct UnknownRule {
    flag: &'static str,
    rule: String,
    advice: String,
}

/// `did you mean LB101 (listener-conflict)?` for a rule code or name lbplan does not have, when
/// some are close ([`crate::suggest::closest`] over every code and name).
pub fn did_you_mean(wanted: &str) -> Option<String> {
    let names: Vec<&str> = RULES
        .iter()
        .flat_map(|r| [r.meta().code, r.meta().name])
        .collect();
    let mut rules: Vec<&RuleMeta> = Vec::new();
    for name in crate::suggest::closest(wanted, &names) {
        if let Some(rule) = find(name).map(Rule::meta) {
            if !rules.iter().any(|r| r.code == rule.code) {
                rules.push(rule);
            }
        }
    }
    if rules.is_empty() {
        return None;
    }
    let shown: Vec<String> = rules
        .iter()
        .take(5)
        .map(|r| format!("{} ({})", r.code, r.name))
        .collect();
    Some(format!("did you mean {}?", shown.join(", ")))
}

/// The help of a suppression that silenced nothing.
const FIX_ENTRY: &str =
    "remove the entry, or correct the rule code or name (`lbplan rules` lists them)";

/// The help of an entry that names no rule: the closest rules, else where they are listed.
fn unknown_rule_help(wanted: &str) -> String {
    match did_you_mean(wanted) {
        Some(hint) => format!("{hint} Otherwise remove the entry (`lbplan rules` lists the rules)"),
        None => FIX_ENTRY.to_string(),
    }
}

impl Policy {
    /// `select` and `ignore` are the flags' values (comma-separated lists allowed).
    pub fn new(select: &[String], ignore: &[String]) -> Result<Policy, UnknownRule> {
        let parse = |flag: &'static str,
                     values: &[String]|
         -> Result<Vec<RuleSelector>, UnknownRule> {
            values
                    .iter()
                    .flat_map(|v| v.split(','))
                    .filter(|v| !v.trim().is_empty())
                    .map(|v| {
                        RuleSelector::parse(v).ok_or_else(|| UnknownRule {
                            flag,
                            rule: v.trim().to_string(),
                            advice: did_you_mean(v).unwrap_or_else(|| {
                                "use a code such as LB101, a code prefix such as LB1, or a name; `lbplan rules` lists them".into()
                            }),
                        })
                    })
                    .collect()
        };
        Ok(Policy {
            select: parse("--select", select)?,
            ignore: parse("--ignore", ignore)?,
            levels: Vec::new(),
            trusted_ignores: None,
        })
    }

    /// The config's `rules:` levels, which apply after the flags.
    pub fn with_levels(mut self, levels: Vec<ConfigLevel>) -> Policy {
        self.levels = levels;
        self
    }

    /// Only these `lbplan.io/ignore` entries (object, rule code) silence findings ([`ignore_keys`]
    /// of the base).
    #[must_use]
    pub fn with_trusted_ignores(mut self, keys: HashSet<(String, &'static str)>) -> Policy {
        self.trusted_ignores = Some(keys);
        self
    }

    /// Whether the command line lets the rule report.
    fn selected(&self, code: &str) -> bool {
        (self.select.is_empty() || self.select.iter().any(|s| s.matches(code)))
            && !self.ignore.iter().any(|s| s.matches(code))
    }

    /// The config's level for the rule in `cluster` (with the entry's index): the cluster's own
    /// `rules:` entry, else the top-level one.
    fn level(&self, code: &str, cluster: Option<&str>) -> Option<(usize, Level)> {
        let entry = |in_cluster: bool| {
            self.levels
                .iter()
                .enumerate()
                .rev()
                .filter(|(_, l)| l.rule.is_some_and(|r| r.code == code))
                .find(|(_, l)| match (&l.cluster, in_cluster) {
                    (Some(c), true) => cluster == Some(c.as_str()),
                    (None, false) => true,
                    _ => false,
                })
                .map(|(i, l)| (i, l.level))
        };
        entry(true).or_else(|| entry(false))
    }

    /// Whether the rule is switched off for findings in `cluster` by the command line or the
    /// config.
    pub fn disabled(&self, code: &str, cluster: Option<&str>) -> bool {
        !self.selected(code) || matches!(self.level(code, cluster), Some((_, Level::Off)))
    }
}

/// One entry of an `lbplan.io/ignore` annotation.
struct IgnoreEntry {
    rule: Option<&'static RuleMeta>,
    text: String,
    origin: Origin,
    object: ObjectId,
    used: bool,
    /// Whether the policy lets it silence anything ([`Policy::with_trusted_ignores`]).
    trusted: bool,
}

/// Every `lbplan.io/ignore` entry that names a rule: the object, the rule, where it is written.
pub fn ignores(inv: &Inventory) -> Vec<(ObjectId, &'static RuleMeta, Origin)> {
    ignore_entries(inv)
        .into_iter()
        .filter_map(|e| Some((e.object, e.rule?, e.origin)))
        .collect()
}

/// The (`cluster:Kind/namespace/name`, rule code) of every `lbplan.io/ignore` entry.
pub fn ignore_keys(inv: &Inventory) -> HashSet<(String, &'static str)> {
    ignores(inv)
        .into_iter()
        .map(|(object, rule, _)| (inv.qualified_label(object), rule.code))
        .collect()
}

/// The `lbplan.io/ignore` entries of every object (metadata, and pod template for workloads).
fn ignore_entries(inv: &Inventory) -> Vec<IgnoreEntry> {
    let mut entries = Vec::new();
    for (id, entry) in inv.definitions() {
        let object = &entry.object;
        let template = match &object.spec {
            Spec::Workload(w) => Some(&w.template.annotations),
            _ => None,
        };
        let annotations = [Some(object.annotations()), template];
        for a in annotations
            .into_iter()
            .flatten()
            .filter_map(|a| a.get(keys::LBPLAN_IGNORE))
        {
            entries.extend(
                parse_ignore(a)
                    .into_iter()
                    .map(|(text, origin)| IgnoreEntry {
                        rule: find(&text).map(Rule::meta),
                        text,
                        origin,
                        object: id,
                        used: false,
                        trusted: true,
                    }),
            );
        }
    }
    entries
}

/// `"LB101, weight-drift; reason"` -> the entries before the `;`, with their origins.
fn parse_ignore(a: &Annotation) -> Vec<(String, Origin)> {
    let codes = a.value.split(';').next().unwrap_or("");
    codes
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| (c.to_string(), a.origin_of(c)))
        .collect()
}

/// Filter and re-grade `findings`, and add LB002 for suppressions that did nothing.
/// `unchecked` holds, per rule code, the objects a rule could not check for want of a fact.
pub fn apply(
    findings: Vec<Finding>,
    policy: &Policy,
    inv: &Inventory,
    unchecked: &BTreeMap<&'static str, Vec<ObjectId>>,
) -> Vec<Finding> {
    let mut entries = ignore_entries(inv);
    if let Some(trusted) = &policy.trusted_ignores {
        for e in &mut entries {
            e.trusted = e
                .rule
                .is_some_and(|r| trusted.contains(&(inv.qualified_label(e.object), r.code)));
        }
    }
    let mut level_used = vec![false; policy.levels.len()];
    let mut kept = filter(findings, policy, &mut entries, &mut level_used);

    let mut unused = Vec::new();
    for e in &entries {
        let message = match e.rule {
            None => format!(
                "lbplan.io/ignore names \"{}\", which is no rule of lbplan",
                e.text
            ),
            Some(rule) => {
                // A shadowed copy's entries are not judged: the rules about several objects
                // never see the copy, so an entry for them would always look unused there.
                // A transition rule judges a change: most changes do not touch the object, so
                // its suppression silencing nothing says nothing.
                let not_judged = e.used
                    || !e.trusted
                    || rule.transition
                    || !inv.is_planned(e.object)
                    || policy.disabled(rule.code, Some(inv.cluster_of(e.object).name()))
                    || unchecked
                        .get(rule.code)
                        .is_some_and(|ids| ids.contains(&e.object))
                    || rule.code == UNUSED_SUPPRESSION.code;
                if not_judged {
                    continue;
                }
                format!(
                    "lbplan.io/ignore: {} silenced nothing on this object",
                    e.text
                )
            }
        };
        let help = match e.rule {
            Some(_) => FIX_ENTRY.to_string(),
            None => unknown_rule_help(&e.text),
        };
        let mut finding = Finding::new(&UNUSED_SUPPRESSION, e.origin, message)
            .caption(if e.rule.is_some() {
                "nothing to silence"
            } else {
                "unknown rule"
            })
            .help(help);
        finding.object_id = Some(e.object);
        finding.object = Some(inv.object(e.object).label().to_string());
        finding.cluster = Some(inv.cluster_of(e.object).name().to_string());
        unused.push(finding);
    }
    for (i, level) in policy.levels.iter().enumerate() {
        let Some(origin) = level.origin else { continue };
        let table = level
            .cluster
            .as_ref()
            .map_or_else(|| "rules".to_string(), |c| format!("rules of cluster {c}"));
        let message = match level.rule {
            None => format!("{table}: \"{}\" is no rule of lbplan", level.key),
            Some(rule)
                if level.level == Level::Off
                    && !rule.transition
                    && !level_used.get(i).copied().unwrap_or(true) =>
            {
                format!("{table}: {}: off silenced nothing in this run", level.key)
            }
            Some(_) => continue,
        };
        let help = match level.rule {
            Some(_) => FIX_ENTRY.to_string(),
            None => unknown_rule_help(&level.key),
        };
        unused.push(
            Finding::new(&UNUSED_SUPPRESSION, origin, message)
                .caption(if level.rule.is_some() {
                    "nothing to silence"
                } else {
                    "unknown rule"
                })
                .help(help),
        );
    }
    kept.extend(filter(unused, policy, &mut entries, &mut level_used));
    kept
}

fn filter(
    findings: Vec<Finding>,
    policy: &Policy,
    entries: &mut [IgnoreEntry],
    level_used: &mut [bool],
) -> Vec<Finding> {
    let mut kept = Vec::with_capacity(findings.len());
    for mut finding in findings {
        if !policy.selected(finding.code) {
            continue;
        }
        let level = policy.level(finding.code, finding.cluster.as_deref());
        if let Some((i, Level::Off)) = level {
            if let Some(used) = level_used.get_mut(i) {
                *used = true;
            }
            continue;
        }
        let objects: Vec<ObjectId> = finding
            .object_id
            .into_iter()
            .chain(finding.pods_of.iter().copied())
            .collect();
        let suppressor = entries.iter_mut().find(|e| {
            e.trusted
                && objects.contains(&e.object)
                && e.rule.is_some_and(|r| r.code == finding.code)
        });
        if let Some(entry) = suppressor {
            entry.used = true;
            continue;
        }
        match level {
            Some((_, Level::Info)) => finding.severity = Severity::Info,
            Some((_, Level::Warning)) => finding.severity = Severity::Warning,
            Some((_, Level::Error)) => finding.severity = Severity::Error,
            _ => {}
        }
        kept.push(finding);
    }
    kept
}
