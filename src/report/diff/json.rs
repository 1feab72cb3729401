//! `lbplan diff --format json` (version 1; fields may be added, these do not change):
//! `{"version", "complete", "base", "head", "summary", "not_checked", "changes", "findings",
//! "kept", "notes", "errors"}`.
//!
//! Each change is one entity: `{"entity": "load_balancer" | "listener" | "group" | "member" |
//! "rule" | "setting", "action": "add" | "remove" | "change" | "replace", "key": {...},
//! "before": {...} | null, "after": {...} | null}`, in plan order (load balancer, then its
//! listeners, each followed by its groups, their members, its rules and its settings). Findings are shaped like `lint --format json`'s,
//! plus `"side"` and `"diff"` (`transition`, `new` or `fixed`).

use serde::Serialize;
use serde_json::{Value, json};

use super::describe::kept_of;
use crate::diff::unchecked::{Unchecked, Why};
use crate::diff::{Report, SideInfo};
use crate::plan::changes::{
    Action, GroupChange, LbChange, ListenerChange, Members, PlannedGroup, RuleChange, SettingSide,
    member_count,
};
use crate::plan::kept::KeptWeight;
use crate::report;
use crate::report::findings::json::{JsonFinding, findings};
use crate::text::bound;
use crate::text::machine::to_json;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    /// Whether everything the change touches was read, rendered and planned (see
    /// `not_checked` and `errors`).
    complete: bool,
    base: SideJson<'a>,
    head: SideJson<'a>,
    summary: SummaryJson,
    /// What was not checked: the changed files of sources not rendered, and the files that
    /// could not be read.
    not_checked: Value,
    changes: Vec<Change>,
    findings: Vec<FindingJson<'a>>,
    /// Groups the head plan weighs with the weight the ELB keeps, and why.
    kept: Vec<Value>,
    notes: Vec<std::borrow::Cow<'a, str>>,
    errors: Vec<Value>,
}

/// One entity's change.
#[derive(Serialize)]
struct Change {
    entity: &'static str,
    action: Action,
    key: Value,
    before: Value,
    after: Value,
    /// Groups: how far the effective share moves, in percentage points.
    #[serde(skip_serializing_if = "Option::is_none")]
    shift_pp: Option<f64>,
}

#[derive(Serialize)]
struct SummaryJson {
    /// Whether the plan changed at all.
    changed: bool,
    load_balancers: usize,
    add: u64,
    remove: u64,
    change: u64,
    replace: u64,
    /// Per entity, per action.
    entities: serde_json::Map<String, Value>,
    /// Transition findings and lint findings new in the head, per severity.
    findings: Value,
    lint: crate::diff::LintCounts,
}

#[derive(Serialize)]
struct SideJson<'a> {
    root: Option<&'a str>,
    rev: Option<&'a str>,
    commit: Option<&'a str>,
    config: Option<&'a str>,
    files: usize,
    documents: usize,
    objects: usize,
    /// Files met in folder walks that could not be read; left out when there are none.
    #[serde(skip_serializing_if = "is_zero")]
    not_checked: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl<'a> SideJson<'a> {
    fn of(side: &'a SideInfo) -> SideJson<'a> {
        SideJson {
            root: side.root.as_deref(),
            rev: side.rev.as_deref(),
            commit: side.commit.as_deref(),
            config: side.config.as_deref(),
            files: side.files,
            documents: side.documents,
            objects: side.objects,
            not_checked: side.not_checked,
        }
    }
}

#[derive(Serialize)]
struct FindingJson<'a> {
    #[serde(flatten)]
    finding: JsonFinding<'a>,
    side: &'static str,
    diff: &'static str,
}

pub fn json(report: &Report) -> String {
    let all: Vec<crate::rules::Finding> =
        report.findings.iter().map(|f| f.finding.clone()).collect();
    let lint = report::Report::of_findings(&all, &report.sources);
    let findings = findings(&lint)
        .into_iter()
        .zip(&report.findings)
        .map(|(finding, f)| FindingJson {
            finding,
            side: f.side.as_str(),
            diff: f.kind.as_str(),
        })
        .collect();
    let mut changes = Vec::new();
    for lb in &report.plans.load_balancers {
        load_balancer(&mut changes, lb, &report.kept);
    }
    let counts = report.plans.counts();
    let per_entity: serde_json::Map<String, Value> =
        counts
            .of
            .iter()
            .fold(serde_json::Map::new(), |mut map, ((entity, action), n)| {
                let entry = map
                    .entry(entity.as_str().to_string())
                    .or_insert_with(|| json!({}));
                if let Some(object) = entry.as_object_mut() {
                    object.insert(action.as_str().to_string(), json!(n));
                }
                map
            });
    let severities = report.severities();
    let summary = SummaryJson {
        changed: !report.plans.is_empty(),
        load_balancers: report.plans.load_balancers.len(),
        add: counts.per_action(Action::Add),
        remove: counts.per_action(Action::Remove),
        change: counts.per_action(Action::Change),
        replace: counts.per_action(Action::Replace),
        entities: per_entity,
        findings: json!({"error": severities.errors, "warning": severities.warnings, "info": severities.infos}),
        lint: report.lint,
    };
    let output = Output {
        version: 1,
        complete: report.complete(),
        base: SideJson::of(&report.base),
        head: SideJson::of(&report.head),
        summary,
        not_checked: not_checked(&report.unchecked),
        changes,
        findings,
        kept: report
            .kept
            .iter()
            .map(|k| {
                json!({"lb": k.lb, "protocol": k.protocol.as_str(), "port": k.port,
                       "group": k.group, "service": k.service, "weight": k.weight, "why": k.why()})
            })
            .collect(),
        notes: report.notes.iter().map(|n| bound(n)).collect(),
        errors: report
            .errors
            .iter()
            .map(|(side, p)| json!({"side": side.as_str(), "file": p.path, "message": bound(&p.message)}))
            .collect(),
    };
    to_json(&output)
}

/// `{"files": 3, "sources": [{"kind": "helm-chart", "name": "charts/web", "why":
/// "not-rendered", "changed": [...]}], "unread": [...]}`.
fn not_checked(unchecked: &Unchecked) -> Value {
    let sources: Vec<Value> = unchecked
        .sources
        .iter()
        .map(|s| {
            json!({"kind": s.kind.as_str(), "name": bound(&s.name), "why": s.why.as_str(),
                   "exit_code": if s.why == Why::Failed { 2 } else { 0 },
                   "changed": s.changed.iter().map(|c| bound(c)).collect::<Vec<_>>()})
        })
        .collect();
    json!({"files": unchecked.files(), "sources": sources,
           "unread": unchecked.unread.iter().map(|u| bound(u)).collect::<Vec<_>>()})
}

/// `key` with one more field.
fn with(key: &Value, field: &str, value: Value) -> Value {
    let mut key = key.clone();
    if let Some(map) = key.as_object_mut() {
        map.insert(field.to_string(), value);
    }
    key
}

fn record(entity: &'static str, action: Action, key: Value, before: Value, after: Value) -> Change {
    Change {
        entity,
        action,
        key,
        before,
        after,
        shift_pp: None,
    }
}

fn load_balancer(out: &mut Vec<Change>, lb: &LbChange, kept: &[KeptWeight]) {
    if let Some(action) = lb.action {
        let side = |p: Option<crate::plan::PlannedLb>| {
            p.map_or(Value::Null, |p| {
                json!({"provider": p.lb.provider.map(crate::facts::Provider::as_str), "class": p.lb.class,
                       "auto": p.lb.auto, "listeners": p.lb.listeners.len()})
            })
        };
        out.push(record(
            "load_balancer",
            action,
            json!({"lb": lb.id}),
            side(lb.base),
            side(lb.head),
        ));
    }
    for l in &lb.listeners {
        listener(out, lb.id, l, kept);
    }
}

fn listener(out: &mut Vec<Change>, lb: &str, l: &ListenerChange, kept: &[KeptWeight]) {
    let Some(now) = l.head.or(l.base).map(|p| p.listener) else {
        return;
    };
    let key = json!({"lb": lb, "protocol": now.protocol.as_str(), "port": now.port});
    if let Some(action) = l.action {
        let side = |p: Option<crate::plan::PlannedListener>| {
            p.map_or(Value::Null, |p| {
                let l = p.listener;
                json!({"protocol": l.protocol.as_str(), "port": l.port, "objects": l.objects,
                       "groups": l.groups.len(),
                       "members": l.groups.iter().map(member_count).sum::<u64>(),
                       "rules": l.rules.len()})
            })
        };
        out.push(record(
            "listener",
            action,
            key.clone(),
            side(l.base),
            side(l.head),
        ));
    }
    for g in &l.groups {
        group(out, &key, g, kept_of(kept, lb, l, g).is_some());
    }
    for r in &l.rules {
        rule(out, &key, r);
    }
    for setting in &l.settings {
        let side = |s: Option<&SettingSide>| s.map_or(Value::Null, SettingSide::to_json);
        let action = match (&setting.before, &setting.after) {
            (None, Some(_)) => Action::Add,
            (Some(_), None) => Action::Remove,
            _ => Action::Change,
        };
        out.push(record(
            "setting",
            action,
            with(&key, "setting", json!(setting.key)),
            side(setting.before.as_ref()),
            side(setting.after.as_ref()),
        ));
    }
}

fn group_json(p: Option<PlannedGroup>) -> Value {
    p.map_or(Value::Null, |p| {
        let g = p.group;
        json!({"name": g.name, "mode": g.kind.as_str(), "weight": g.weight, "pods": g.pods,
               "total_weight": g.total_weight, "nominal_share": g.nominal_share,
               "effective_share": g.effective_share, "service": g.service,
               "members": member_count(g), "observed": p.observed})
    })
}

/// A group's change; `kept`: the head's weight is the one the ELB keeps (see `kept`).
fn group(out: &mut Vec<Change>, listener: &Value, g: &GroupChange, kept: bool) {
    let key = with(listener, "group", json!(g.key));
    let mut after = group_json(g.head);
    if kept {
        after = with(&after, "weight_kept", json!(true));
    }
    let mut change = record("group", g.action, key.clone(), group_json(g.base), after);
    if let Some(tenths) = g.shift_tenths() {
        // Percentage points, one decimal.
        #[allow(clippy::cast_precision_loss, reason = "a shift is at most 1000 tenths")]
        let points = tenths as f64 / 10.0;
        change.shift_pp = Some(points);
    }
    out.push(change);
    match &g.members {
        Members::Named(members) => {
            for m in members {
                let key = with(&key, "member", json!(m.name));
                let side = |m: Option<&crate::plan::Member>| {
                    m.map_or(Value::Null, |m| json!({"pods": m.pods, "weight": m.weight}))
                };
                out.push(record("member", m.action, key, side(m.base), side(m.head)));
            }
        }
        Members::Counted { base, head } => {
            // Planned members (no pod snapshot): their names are lbplan's, so only counts.
            let key = with(&key, "member", Value::Null);
            let action = if head.members > base.members {
                Action::Add
            } else if head.members < base.members {
                Action::Remove
            } else {
                Action::Change
            };
            out.push(record("member", action, key, json!(base), json!(head)));
        }
    }
}

fn rule(out: &mut Vec<Change>, listener: &Value, r: &RuleChange) {
    let Some(now) = r.head.or(r.base) else { return };
    let key = with(listener, "host", json!(now.host));
    let key = with(&key, "path", json!(now.path));
    let key = with(&key, "match", json!(now.match_kind));
    let side = |rule: Option<&crate::plan::forwarding::ForwardingRule>| {
        rule.map_or(Value::Null, |rule| {
            serde_json::to_value(rule).unwrap_or(Value::Null)
        })
    };
    out.push(record("rule", r.action, key, side(r.base), side(r.head)));
}
