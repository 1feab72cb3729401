//! `lbplan diff --format human`: the summary line first, then the findings drawn as `lint` draws
//! them (transition findings, then the lint findings new in the head), the lint findings the head
//! fixes in one line each, then one block per changed load balancer, every value `was → now`.
//!
//! Input is escaped first, value by value ([`clean`]), and colour added after: `+` green, `-` red,
//! `~` yellow, as terraform and helm-diff colour them; the finished report passes [`inert`].

use std::fmt::Write as _;

use super::describe::{
    Show, group_cells, kept_of, lb_title, listener_holds, listener_name, listener_objects,
    members_line, rule_line, sign,
};
use crate::diff::{Kind, Report};
use crate::plan::changes::{Action, LbChange};
use crate::report;
use crate::report::TerminalOutput;
use crate::report::findings::human::{Human, counts_style};
use crate::rules::Finding;
use crate::text::terminal::{clean, inert};
use crate::text::{Paint, palette};

/// The report as text for a terminal; colour, width and `--quiet` as for `lint`.
pub fn human(report: &Report, terminal: TerminalOutput) -> String {
    let TerminalOutput {
        color,
        width,
        quiet,
    } = terminal;
    let drawer = Human {
        color,
        width,
        quiet,
    };
    // With one cluster on both sides, labels leave its name out: `Service/shop/web`.
    let show = |text: &str| {
        let local = report
            .single_cluster
            .as_deref()
            .and_then(|name| text.strip_prefix(name))
            .and_then(|rest| rest.strip_prefix(':'))
            .unwrap_or(text);
        clean(local)
    };
    let mut out = headline(report, &drawer);
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
    fixed(&mut out, report);
    for lb in &report.plans.load_balancers {
        load_balancer(&mut out, report, lb, (drawer.painter(), &show));
        out.push('\n');
    }
    if !quiet {
        for text in &report.notes {
            out.push_str(&drawer.note(text));
            out.push('\n');
        }
        for kept in &report.kept {
            out.push_str(&drawer.note(&kept.why()));
            out.push('\n');
        }
    }
    inert(&out).into_owned()
}

/// The summary line (`Incomplete: ...` first when the report is), and what was not checked.
fn headline(report: &Report, drawer: &Human) -> String {
    let mut out = String::new();
    let severities = report.severities();
    let style = counts_style(severities.errors, severities.warnings);
    let incomplete = report
        .incomplete_line()
        .map(|line| format!("{}; ", drawer.paint(&line, palette::warning())))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{} ({}): {incomplete}{}; {}",
        drawer.paint("lbplan diff", palette::heading()),
        clean(&report.sides_line()),
        report.changes_line(),
        drawer.paint(&report.findings_line(), style)
    );
    out.push('\n');
    let unchecked = report.unchecked_lines(&|text: &str| clean(text));
    if !unchecked.is_empty() {
        let _ = writeln!(out, "Not checked, so this report is incomplete:");
        for line in unchecked {
            let _ = writeln!(out, "  {line}");
        }
        out.push('\n');
    }
    out
}

/// The lint findings the head fixes, one line each.
fn fixed(out: &mut String, report: &Report) {
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
}

fn load_balancer(out: &mut String, report: &Report, lb: &LbChange, (paint, show): (Paint, Show)) {
    let _ = writeln!(
        out,
        "{} load balancer {}",
        paint.sign(sign(lb.action)),
        lb_title(lb, show)
    );
    for l in &lb.listeners {
        let mut line = format!("  {} {}", paint.sign(sign(l.action)), listener_name(l));
        match l.action {
            Some(Action::Add | Action::Remove | Action::Replace) => {
                let _ = write!(
                    line,
                    " ({}) [{}]",
                    listener_holds(l),
                    listener_objects(l, show)
                );
            }
            Some(Action::Change) => {
                let _ = write!(line, " [{}]", listener_objects(l, show));
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
                show(g.name()),
                cells.mode,
                parts.join(", ")
            );
            if !cells.shift.is_empty() {
                let _ = write!(line, " ({})", cells.shift);
            }
            let _ = writeln!(out, "{line}");
            if let Some(members) = members_line(&g.members, show) {
                let _ = writeln!(out, "        {members}");
            }
        }
        for r in &l.rules {
            let _ = writeln!(
                out,
                "    {} rule {}",
                paint.sign(r.action.sign()),
                rule_line(r, show)
            );
        }
        for setting in &l.settings {
            let _ = writeln!(
                out,
                "    {} setting {}",
                paint.sign(Action::Change.sign()),
                show(&setting.describe())
            );
        }
    }
}
