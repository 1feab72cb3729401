//! `lbplan diff --format human`: the summary line first, then the findings drawn as `lint` draws
//! them (transition findings, then the lint findings new in the head), the lint findings the head
//! fixes in one line each, then one block per changed load balancer, every value `was → now`.
//!
//! Input is escaped first, value by value ([`clean`]), and colour added after: `+` green, `-` red,
//! `~` yellow, as terraform and helm-diff colour them; the finished report passes [`inert`].

use std::fmt::Write as _;

use owo_colors::Style;

use super::describe::{
    group_cells, kept_of, lb_title, listener_holds, listener_name, listener_objects, members_line,
    rule_line, sign,
};
use super::{Kind, Report};
use crate::plan::changes::{Action, LbChange};
use crate::report;
use crate::report::human::Human;
use crate::rules::Finding;
use crate::text::Paint;
use crate::text::terminal::{clean, inert};

/// The report as text for a terminal; `color` and `width` as for `lint`.
pub fn human(report: &Report, color: bool, width: usize) -> String {
    let drawer = Human { color, width };
    let mut out = String::new();
    let severities = report.severities();
    let style = if severities.errors > 0 {
        Style::new().red().bold()
    } else if severities.warnings > 0 {
        Style::new().yellow().bold()
    } else {
        Style::new().green().bold()
    };
    let _ = writeln!(
        out,
        "{} ({}): {}; {}",
        drawer.paint("lbplan diff", Style::new().bold()),
        clean(&report.sides_line()),
        report.changes_line(),
        drawer.paint(&report.findings_line(), style)
    );
    out.push('\n');
    for kind in [Kind::Transition, Kind::New] {
        let findings: Vec<Finding> = report
            .findings
            .iter()
            .filter(|f| f.kind == kind)
            .map(|f| f.finding.clone())
            .collect();
        if findings.is_empty() {
            continue;
        }
        if kind == Kind::New {
            let _ = writeln!(
                out,
                "Lint findings new in the head ({}):\n",
                clean(&report.head.name)
            );
        }
        out.push_str(&drawer.findings(&report::Report::of_findings(&findings, &report.sources)));
    }
    let fixed: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.kind == Kind::Fixed)
        .map(|f| &f.finding)
        .collect();
    if !fixed.is_empty() {
        let _ = writeln!(out, "Lint findings the head fixes:");
        for f in fixed {
            let at = report.sources.line_col(f.origin);
            let _ = writeln!(
                out,
                "  {}[{}] {}: {}:{}:{}: {}",
                f.severity,
                f.code,
                f.rule,
                clean(report.sources.name(f.origin.file)),
                at.line,
                at.column,
                clean(&f.message)
            );
        }
        out.push('\n');
    }
    for lb in &report.plans.load_balancers {
        load_balancer(&mut out, report, lb, drawer.painter());
        out.push('\n');
    }
    let note = drawer.paint("note:", Style::new().cyan().bold());
    for text in &report.notes {
        let _ = writeln!(out, "{note} {}", clean(text));
    }
    for kept in &report.kept {
        let _ = writeln!(out, "{note} {}", clean(&kept.why()));
    }
    inert(&out).into_owned()
}

fn load_balancer(out: &mut String, report: &Report, lb: &LbChange, paint: Paint) {
    let _ = writeln!(
        out,
        "{} load balancer {}",
        paint.sign(sign(lb.action)),
        lb_title(lb, clean)
    );
    for l in &lb.listeners {
        let mut line = format!("  {} {}", paint.sign(sign(l.action)), listener_name(l));
        match l.action {
            Some(Action::Add | Action::Remove | Action::Replace) => {
                let _ = write!(
                    line,
                    " ({}) [{}]",
                    listener_holds(l),
                    listener_objects(l, clean)
                );
            }
            Some(Action::Change) => {
                let _ = write!(line, " [{}]", listener_objects(l, clean));
            }
            None => {}
        }
        let _ = writeln!(out, "{line}");
        for g in &l.groups {
            let cells = group_cells(g, kept_of(&report.kept, lb.id, l, g));
            let mut parts = Vec::new();
            for (name, value) in [
                ("pods", &cells.pods),
                ("W", &cells.weight),
                ("member weights", &cells.total),
                ("nominal", &cells.nominal),
                ("effective", &cells.effective),
            ] {
                if value != "-" {
                    parts.push(format!("{name} {value}"));
                }
            }
            let mut line = format!(
                "    {} group {} ({}): {}",
                paint.sign(g.action.sign()),
                clean(g.name()),
                cells.mode,
                parts.join(", ")
            );
            if !cells.shift.is_empty() {
                let _ = write!(line, " ({})", cells.shift);
            }
            let _ = writeln!(out, "{line}");
            if let Some(members) = members_line(&g.members, clean) {
                let _ = writeln!(out, "        {members}");
            }
        }
        for r in &l.rules {
            let _ = writeln!(
                out,
                "    {} rule {}",
                paint.sign(r.action.sign()),
                rule_line(r, clean)
            );
        }
    }
}
