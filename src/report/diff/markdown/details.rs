//! One changed load balancer as a `<details>` block: its listeners and groups in a table,
//! `was → now`, the settings that change in a second table, members and forwarding rules as
//! code lines.

use std::fmt::Write as _;

use super::super::describe::{
    group_cells, kept_of, lb_title, listener_holds, listener_name, members_line, raw, rule_line,
    sign,
};
use crate::diff::Report;
use crate::plan::changes::{LbChange, SettingSide};
use crate::text::bound;
use crate::text::markdown::{cell, code, html_code, words};

/// One load balancer's `<details>` block.
pub(super) fn details(report: &Report, lb: &LbChange) -> String {
    let listeners: Vec<String> = lb
        .listeners
        .iter()
        .take(5)
        .map(|l| format!("{} {}", sign(l.action), listener_name(l)))
        .collect();
    let more = lb.listeners.len().saturating_sub(5);
    let mut summary = format!(
        "{} load balancer {}",
        sign(lb.action),
        lb_title(lb, &html_code)
    );
    if !listeners.is_empty() {
        let _ = write!(summary, ": {}", listeners.join(", "));
        if more > 0 {
            let _ = write!(summary, " and {more} more");
        }
    }
    let mut out = format!("<details><summary>{summary}</summary>\n\n");
    out.push_str(
        "| | Listener | Group | Mode | Pods | W | Member weights | Nominal | Effective | Shift |\n",
    );
    out.push_str("|---|---|---|---|---|---|---|---|---|---|\n");
    let mut lines = Vec::new();
    for l in &lb.listeners {
        let name = listener_name(l);
        if l.action.is_some() || l.groups.is_empty() {
            let _ = writeln!(
                out,
                "| {} | {} | ({}) | | | | | | | |",
                sign(l.action),
                words(&name),
                words(&listener_holds(l))
            );
        }
        for g in &l.groups {
            let c = group_cells(g, kept_of(&report.kept, lb.id, l, g));
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                g.action.sign(),
                words(&name),
                cell(&bound(g.name())),
                words(&c.mode),
                words(&c.pods),
                words(&c.weight),
                words(&c.total),
                words(&c.nominal),
                words(&c.effective),
                words(&c.shift)
            );
            if let Some(members) = members_line(&g.members, &raw) {
                lines.push(format!("{name} group {}: {members}", g.name()));
            }
        }
        for r in &l.rules {
            lines.push(format!(
                "{} {name} rule {}",
                r.action.sign(),
                rule_line(r, &raw)
            ));
        }
    }
    out.push('\n');
    if settings_table(&mut out, lb) && !lines.is_empty() {
        out.push('\n');
    }
    for line in lines {
        let _ = writeln!(out, "- {}", code(&bound(&line)));
    }
    out.push_str("\n</details>\n");
    out
}

/// The listener settings that change, one row each: `| ~ | TCP:80 | algorithm | ROUND_ROBIN
/// (default) | SOURCE_IP |`; whether there was one.
fn settings_table(out: &mut String, lb: &LbChange) -> bool {
    let mut header = Some("| | Listener | Setting | Before | After |\n|---|---|---|---|---|\n");
    for l in &lb.listeners {
        for setting in &l.settings {
            out.push_str(header.take().unwrap_or_default());
            let side = |s: Option<&SettingSide>| {
                s.map_or_else(|| "not set".to_string(), |s| cell(&bound(&s.shown())))
            };
            let _ = writeln!(
                out,
                "| ~ | {} | {} | {} | {} |",
                words(&listener_name(l)),
                cell(&setting.key),
                side(setting.before.as_ref()),
                side(setting.after.as_ref())
            );
        }
    }
    header.is_none()
}
