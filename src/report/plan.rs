//! The plan and the weight calculation as tables (comfy-table), JSON and YAML.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, Table};

use crate::model::ClusterId;
use crate::plan::calculator::Calculation;
use crate::plan::forwarding::RuleAction;
use crate::plan::members::rows;
use crate::plan::ratio::Ratio;
use crate::plan::{BackendGroup, Listener, LoadBalancer, Plan};
use crate::text::terminal::{clean, inert};
use crate::text::width::{TableWidth, fit, wrap};

fn new_table() -> Table {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    table
}

/// `name:Kind/namespace/name` without its `name:` where the plan has that one cluster only: the
/// prefix tells clusters apart, and with one it only takes room (JSON and YAML keep it).
fn local<'l>(label: &'l str, single: Option<&str>) -> &'l str {
    single
        .and_then(|name| label.strip_prefix(name))
        .and_then(|rest| rest.strip_prefix(':'))
        .unwrap_or(label)
}

fn share(share: Option<Ratio>) -> String {
    share.map_or_else(|| "-".to_string(), Ratio::percent)
}

fn opt<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "-".to_string(), |v| v.to_string())
}

fn right(text: String) -> Cell {
    Cell::new(text).set_alignment(CellAlignment::Right)
}

/// Group weight column: `W 80 -> 84` (cluster weight and the sum of member weights).
fn group_weight(g: &BackendGroup) -> String {
    match (g.weight, g.total_weight) {
        (Some(w), Some(t)) => format!("{w} → {t}"),
        (None, Some(t)) => format!("Σ {t}"),
        (Some(w), None) => w.to_string(),
        (None, None) => "-".into(),
    }
}

/// What a plan table shows besides the load balancers.
#[derive(Debug, Clone, Copy, Default)]
pub struct TableOptions {
    /// Each cluster's facts, above its load balancers.
    pub facts: bool,
    /// One row per member entry (`--members`) rather than identical members collapsed.
    pub members: bool,
    /// The width tables fit (`--wide`: none).
    pub width: TableWidth,
}

/// The plan as tables, grouped by cluster: each cluster (its facts first, with `facts`) and the
/// load balancers only its objects use, then those that several clusters share, then those
/// only the config names. One block per load balancer: a title line, then listeners with their
/// groups and members. Names, IDs and values come from the input: each is escaped and bounded
/// ([`clean`]) where it is put in, and the finished tables pass [`inert`].
pub fn plan_table(plan: &Plan, options: TableOptions) -> String {
    inert(&plan_tables(plan, options)).into_owned()
}

fn plan_tables(plan: &Plan, options: TableOptions) -> String {
    let mut out = String::new();
    let several = plan.clusters.len() > 1;
    let single = match plan.clusters.as_slice() {
        [only] => Some(only.name.as_str()),
        _ => None,
    };
    for (i, cluster) in plan.clusters.iter().enumerate() {
        let own: Vec<&LoadBalancer> = plan
            .load_balancers
            .iter()
            .filter(|lb| lb.clusters == [ClusterId::new(i)])
            .collect();
        if options.facts {
            out.push_str(&crate::plan::facts::facts_block(cluster));
        } else if several && !own.is_empty() {
            let _ = writeln!(out, "Cluster {}\n", clean(&cluster.name));
        }
        for lb in own {
            load_balancer(&mut out, lb, options, single);
        }
    }
    // Those of several clusters by their clusters, then those of none.
    let mut shared: BTreeMap<(bool, &[ClusterId]), Vec<&LoadBalancer>> = BTreeMap::new();
    for lb in plan
        .load_balancers
        .iter()
        .filter(|lb| lb.clusters.len() != 1)
    {
        shared
            .entry((lb.clusters.is_empty(), &lb.clusters))
            .or_default()
            .push(lb);
    }
    for ((_, clusters), lbs) in shared {
        let names: Vec<String> = clusters
            .iter()
            .filter_map(|c| plan.clusters.get(c.index()))
            .map(|c| clean(&c.name))
            .collect();
        if names.is_empty() {
            out.push_str("Load balancers of the config, used by no Service or Ingress\n\n");
        } else {
            let _ = writeln!(
                out,
                "Load balancers shared by clusters {}\n",
                names.join(", ")
            );
        }
        for lb in lbs {
            load_balancer(&mut out, lb, options, single);
        }
    }
    match (plan.load_balancers.is_empty(), plan.unrendered_charts) {
        (false, _) => {}
        (true, 0) => out.push_str(
            "No load balancers planned: no LoadBalancer Service or cloud Ingress found.\n",
        ),
        (true, 1) => out.push_str(
            "No load balancers planned: no LoadBalancer found in the read files; 1 Helm chart was not rendered.\n",
        ),
        (true, n) => {
            let _ = writeln!(
                out,
                "No load balancers planned: no LoadBalancer found in the read files; {n} Helm charts were not rendered."
            );
        }
    }
    if !plan.assumptions.is_empty() {
        out.push_str("Assumptions:\n");
        for a in &plan.assumptions {
            let text = clean(&a.to_string());
            let _ = match options.width {
                TableWidth::Fit(width) => writeln!(out, "{}", wrap(&text, width, "  - ", "    ")),
                TableWidth::Wide => writeln!(out, "  - {text}"),
            };
        }
    }
    out
}

/// One load balancer: its title line and its table. `single`: the plan's one cluster.
fn load_balancer(out: &mut String, lb: &LoadBalancer, options: TableOptions, single: Option<&str>) {
    let mut title = format!("Load balancer {}", clean(&lb.id));
    let mut facts = vec![
        lb.provider
            .map_or("provider unknown", |p| p.as_str())
            .to_string(),
    ];
    if let Some(class) = &lb.class {
        facts.push(clean(class));
    }
    if lb.auto {
        facts.push("auto-created".into());
    }
    let _ = write!(title, " ({})", facts.join(", "));
    out.push_str(&title);
    out.push('\n');
    let mut table = new_table();
    table.set_header(vec![
        "Listener",
        "Backend",
        "Mode",
        "Pods",
        "Weight",
        "Nominal",
        "Effective",
    ]);
    for listener in &lb.listeners {
        listener_rows(&mut table, listener, options.members, single);
    }
    fit(&mut table, options.width);
    out.push_str(&table.to_string());
    out.push_str("\n\n");
}

fn listener_rows(table: &mut Table, listener: &Listener, every: bool, single: Option<&str>) {
    let mut first = true;
    let mut head = format!("{}:{}", listener.protocol, listener.port);
    for object in &listener.objects {
        head.push('\n');
        head.push_str(&clean(local(object, single)));
    }
    for line in l7_lines(listener, single) {
        let label = if first { head.clone() } else { String::new() };
        first = false;
        table.add_row(vec![
            Cell::new(label),
            Cell::new(line),
            Cell::new(""),
            Cell::new(""),
            Cell::new(""),
            Cell::new(""),
            Cell::new(""),
        ]);
    }
    if listener.groups.is_empty() {
        let label = if first { head.clone() } else { String::new() };
        table.add_row(vec![
            Cell::new(label),
            Cell::new("(no backends)"),
            Cell::new(""),
            Cell::new(""),
            Cell::new(""),
            Cell::new(""),
            Cell::new(""),
        ]);
        return;
    }
    for group in &listener.groups {
        let label = if first { head.clone() } else { String::new() };
        first = false;
        table.add_row(vec![
            Cell::new(label),
            Cell::new(clean(local(&group.name, single))),
            Cell::new(group.kind.as_str()),
            right(opt(group.pods)),
            right(group_weight(group)),
            right(group_share(group, group.nominal_share)),
            right(group_share(group, group.effective_share)),
        ]);
        member_rows(table, group, every);
    }
}

/// A share column: `-` when unknown; blank for a group that forwarding rules send to, which is
/// the target of its rules rather than a share of the listener.
fn group_share(group: &BackendGroup, value: Option<Ratio>) -> String {
    if group.by_rules {
        String::new()
    } else {
        share(value)
    }
}

/// The rows an HTTP/HTTPS listener shows above its groups: which Ingress's listener settings
/// apply (when several share the listener), the settings some of them write in vain, and the
/// forwarding rules in evaluation order, `host/path (match) → target [Ingress:line]`.
fn l7_lines(listener: &Listener, single: Option<&str>) -> Vec<String> {
    let mut lines = service_settings_lines(listener);
    if let Some(settings) = listener
        .settings
        .as_ref()
        .filter(|_| listener.objects.len() > 1)
    {
        lines.push(clean(&format!(
            "listener settings: {} ({})",
            local(&settings.first_route, single),
            settings.chosen_by.describe()
        )));
        for value in settings.values.iter().filter(|v| !v.ignored.is_empty()) {
            let ignored: Vec<String> = value
                .ignored
                .iter()
                .map(|i| format!("\"{}\" of {}", i.value, local(&i.object, single)))
                .collect();
            lines.push(clean(&format!(
                "  {} = {}; ignored: {}",
                value.key.trim_start_matches("kubernetes.io/elb."),
                value
                    .value
                    .as_ref()
                    .map_or_else(|| "not set".to_string(), |v| format!("\"{v}\"")),
                ignored.join(", ")
            )));
        }
    }
    for rule in &listener.rules {
        let target = match &rule.action {
            RuleAction::Forward {
                group: Some(_),
                backend,
            } => backend.clone(),
            RuleAction::Forward {
                group: None,
                backend,
            } => format!("{backend} (no group)"),
            RuleAction::Redirect { to } => format!("redirect {to}"),
        };
        let mut from = format!("{}:{}", local(&rule.object, single), rule.line);
        if let Some(first) = &rule.duplicate_of {
            let _ = write!(
                from,
                ", duplicate of {}:{}",
                local(&first.object, single),
                first.line
            );
        }
        lines.push(clean(&format!(
            "{} ({}) → {target} [{from}]",
            rule.label(),
            rule.match_kind
        )));
    }
    lines
}

/// The members under their group: `├ name` (or `└` for the last), their pods and weight; identical
/// members in one row unless `every`.
fn member_rows(table: &mut Table, group: &BackendGroup, every: bool) {
    let rows = rows(group, every);
    for (i, row) in rows.iter().enumerate() {
        let branch = if i + 1 == rows.len() { "└" } else { "├" };
        table.add_row(vec![
            Cell::new(""),
            Cell::new(format!("{branch} {}", clean(&row.label))),
            Cell::new(""),
            right(row.pods.to_string()),
            right(opt(row.weight)),
            Cell::new(""),
            Cell::new(""),
        ]);
    }
}

/// The calculator's table: each group, then its members (identical ones in one row unless
/// `every`), fitted to `width`.
pub fn calculation_table(calc: &Calculation, every: bool, width: TableWidth) -> String {
    let mut table = new_table();
    table.set_header(vec![
        "Group",
        "Member",
        "Mode",
        "Pods",
        "Weight",
        "Nominal",
        "Effective",
    ]);
    for g in &calc.groups {
        let total = g.total_weight.unwrap_or(0);
        table.add_row(vec![
            Cell::new(clean(&g.name)),
            Cell::new(""),
            Cell::new(g.kind.as_str()),
            right(opt(g.pods)),
            right(format!("{} → {total}", opt(g.weight))),
            right(share(g.nominal_share)),
            right(share(g.effective_share)),
        ]);
        member_rows(&mut table, g, every);
    }
    fit(&mut table, width);
    inert(&format!(
        "{table}\nTotal member weight: {}\n",
        calc.total_weight
    ))
    .into_owned()
}

/// A Service listener's settings that are not defaults (JSON and YAML list them all), and those
/// other Services on the listener write in vain.
fn service_settings_lines(listener: &Listener) -> Vec<String> {
    let Some(settings) = &listener.service_settings else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    let notable = settings.notable();
    for (i, setting) in notable.iter().enumerate() {
        let head = if i == 0 { "settings: " } else { "  " };
        lines.push(format!("{head}{setting}"));
    }
    if !settings.ignored.is_empty() {
        if notable.is_empty() {
            lines.push(format!("settings: those of {}", settings.from));
        }
        for ignored in &settings.ignored {
            lines.push(format!(
                "  ignored: {} {} of {}",
                ignored.key, ignored.value, ignored.object
            ));
        }
    }
    lines
}
