//! `lbplan diff --format markdown`: for a pull-request comment or `$GITHUB_STEP_SUMMARY`.
//!
//! A hidden marker (`<!-- lbplan-diff -->`) lets a workflow find and update its own comment; the
//! verdict, the summary and the findings table are outside any `<details>`, so that a reviewer
//! sees what matters without expanding anything; each changed load balancer gets a `<details>`
//! block. The whole stays within `max_bytes` (GitHub refuses comments over 65,536 characters):
//! blocks are dropped from the least important load balancer up, with a line saying how many, and
//! the verdict and findings are never dropped.

use std::fmt::Write as _;

use super::describe::{
    group_cells, kept_of, lb_title, listener_holds, listener_name, members_line, rule_line, sign,
};
use super::{Gate, Kind, Report};
use crate::plan::changes::{Action, LbChange};

/// The marker a workflow looks for to update its comment instead of adding one.
pub const MARKER: &str = "<!-- lbplan-diff -->";

/// Longest message in the findings table, in characters.
const MAX_MESSAGE: usize = 400;

/// Text for a table cell: no line break, no `|`, no HTML.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Text as inline code.
fn code(text: &str) -> String {
    format!("`{}`", cell(text).replace('`', "'"))
}

fn shorten(text: &str) -> String {
    if text.chars().count() <= MAX_MESSAGE {
        return text.to_string();
    }
    let cut: String = text.chars().take(MAX_MESSAGE).collect();
    format!("{cut}…")
}

/// The report as Markdown within `max_bytes`; `fail_on` names the gate in the verdict.
pub fn markdown(report: &Report, gate: Gate, fail_on: &str, max_bytes: usize) -> String {
    let mut head = String::new();
    let _ = writeln!(head, "{MARKER}");
    let _ = writeln!(
        head,
        "### lbplan diff: {} → {}\n",
        code(&report.base.name),
        code(&report.head.name)
    );
    let failing = report.failing(gate);
    let verdict = if !report.errors.is_empty() {
        "**Incomplete**: a side could not be read (see the errors below)".to_string()
    } else if failing > 0 {
        format!(
            "**Fails**: {failing} {} at or above `--fail-on {fail_on}`",
            if failing == 1 { "finding" } else { "findings" }
        )
    } else {
        format!("**Passes**: nothing at or above `--fail-on {fail_on}`")
    };
    let _ = writeln!(head, "{verdict}\n");
    let _ = writeln!(
        head,
        "**{}** · {}\n",
        cell(&report.changes_line()),
        cell(&report.findings_line())
    );
    findings_table(&mut head, report);
    // Each error's first line here; the rest (what the renderer said, the way forward) in one
    // <details> after the load balancers.
    for (side, e) in &report.errors {
        let _ = writeln!(
            head,
            "- error ({}): {}: {}",
            side.as_str(),
            code(&e.path),
            cell(e.message.lines().next().unwrap_or(""))
        );
    }
    let errors = error_details(report);
    // What the ELB keeps explains the head plan: always shown, like the findings.
    let kept: String = report
        .kept
        .iter()
        .map(|k| format!("- note: {}\n", cell(&k.why())))
        .collect();
    // Most important first: load balancers that lose listeners or go, then the others.
    let mut order: Vec<&LbChange> = report.plans.load_balancers.iter().collect();
    order.sort_by_key(|lb| !destructive(lb));
    let mut blocks = String::new();
    let mut dropped = 0;
    for lb in order {
        let block = details(report, lb);
        if head.len() + blocks.len() + block.len() + kept.len() + errors.len() + 200 <= max_bytes {
            blocks.push_str(&block);
        } else {
            dropped += 1;
        }
    }
    let mut out = head;
    out.push_str(&blocks);
    if dropped > 0 {
        let _ = writeln!(
            out,
            "\n{dropped} more {} changed: not shown within {max_bytes} bytes; `lbplan diff --format json` lists every change.\n",
            if dropped == 1 {
                "load balancer"
            } else {
                "load balancers"
            }
        );
    }
    if !kept.is_empty() {
        out.push('\n');
        out.push_str(&kept);
    }
    out.push_str(&errors);
    let room = max_bytes.saturating_sub(out.len());
    out.push_str(&notes(&report.notes, room));
    out
}

/// The errors whose messages run over several lines (a render's cause and way forward), whole,
/// in one `<details>`; empty when none does.
fn error_details(report: &Report) -> String {
    let long: Vec<String> = report
        .errors
        .iter()
        .filter(|(_, e)| e.message.lines().nth(1).is_some())
        .map(|(side, e)| {
            let lines: Vec<String> = e.message.lines().map(|l| cell(l.trim())).collect();
            format!(
                "- error ({}): {}:<br>{}\n",
                side.as_str(),
                code(&e.path),
                lines.join("<br>")
            )
        })
        .collect();
    if long.is_empty() {
        return String::new();
    }
    format!(
        "\n<details><summary>{} {} in full</summary>\n\n{}\n</details>\n",
        long.len(),
        if long.len() == 1 { "error" } else { "errors" },
        long.concat()
    )
}

/// At most this many notes are listed openly; more go into one `<details>`.
const OPEN_NOTES: usize = 3;

/// The notes within `room` bytes, last in the report: a chart or overlay per note can run to
/// hundreds in a repository, and they must not push load balancers out of the budget.
fn notes(notes: &[String], room: usize) -> String {
    if notes.is_empty() {
        return String::new();
    }
    let folded = notes.len() > OPEN_NOTES;
    let (open, close) = if folded {
        (
            format!("\n<details><summary>{} notes</summary>\n\n", notes.len()),
            "\n</details>\n".to_string(),
        )
    } else {
        ("\n".to_string(), String::new())
    };
    // Room for the closing tag and the line saying how many notes were left out.
    let reserve = close.len() + 120;
    let mut lines = String::new();
    let mut shown = 0;
    for note in notes {
        let line = format!("- note: {}\n", cell(note));
        if open.len() + lines.len() + line.len() + reserve > room {
            break;
        }
        lines.push_str(&line);
        shown += 1;
    }
    let left = notes.len() - shown;
    if left > 0 {
        let _ = writeln!(
            lines,
            "- {left} more {} not shown within the byte budget: `lbplan diff` lists them",
            if left == 1 { "note" } else { "notes" }
        );
    }
    let block = format!("{open}{lines}{close}");
    if block.len() > room {
        return String::new();
    }
    block
}

fn destructive(lb: &LbChange) -> bool {
    matches!(lb.action, Some(Action::Remove | Action::Replace))
        || lb
            .listeners
            .iter()
            .any(|l| matches!(l.action, Some(Action::Remove | Action::Replace)))
}

fn findings_table(out: &mut String, report: &Report) {
    let shown: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.kind != Kind::Fixed)
        .collect();
    if !shown.is_empty() {
        out.push_str("| | Rule | Object | Where | What happens |\n|---|---|---|---|---|\n");
        for f in shown {
            let d = &f.finding;
            let at = report.sources.line_col(d.origin);
            let severity = if f.kind == Kind::New {
                format!("{} (new)", d.severity)
            } else {
                d.severity.to_string()
            };
            let object = match (&d.cluster, &d.object) {
                (Some(c), Some(o)) if c != "default" => code(&format!("{c}:{o}")),
                (_, Some(o)) => code(o),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "| {severity} | {} {} | {object} | {} | {} |",
                d.code,
                code(d.rule),
                code(&format!(
                    "{}:{}",
                    report.sources.name(d.origin.file),
                    at.line
                )),
                cell(&shorten(&d.message))
            );
        }
        out.push('\n');
    }
    let fixed = report
        .findings
        .iter()
        .filter(|f| f.kind == Kind::Fixed)
        .count();
    if fixed > 0 {
        let _ = writeln!(
            out,
            "The head fixes {fixed} lint {}.\n",
            if fixed == 1 { "finding" } else { "findings" }
        );
    }
}

/// One load balancer's `<details>` block.
fn details(report: &Report, lb: &LbChange) -> String {
    let listeners: Vec<String> = lb
        .listeners
        .iter()
        .take(5)
        .map(|l| format!("{} {}", sign(l.action), listener_name(l)))
        .collect();
    let more = lb.listeners.len().saturating_sub(5);
    let mut summary = format!("{} load balancer {}", sign(lb.action), lb_title(lb));
    if !listeners.is_empty() {
        let _ = write!(summary, ": {}", listeners.join(", "));
        if more > 0 {
            let _ = write!(summary, " and {more} more");
        }
    }
    let mut out = format!("<details><summary>{}</summary>\n\n", cell(&summary));
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
                cell(&name),
                cell(&listener_holds(l))
            );
        }
        for g in &l.groups {
            let c = group_cells(g, kept_of(&report.kept, lb.id, l, g));
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                g.action.sign(),
                cell(&name),
                cell(g.name()),
                cell(&c.mode),
                cell(&c.pods),
                cell(&c.weight),
                cell(&c.total),
                cell(&c.nominal),
                cell(&c.effective),
                cell(&c.shift)
            );
            if let Some(members) = members_line(&g.members) {
                lines.push(format!("{name} group {}: {members}", g.name()));
            }
        }
        for r in &l.rules {
            lines.push(format!("{} {name} rule {}", r.action.sign(), rule_line(r)));
        }
    }
    out.push('\n');
    for line in lines {
        let _ = writeln!(out, "- {}", cell(&line));
    }
    out.push_str("\n</details>\n");
    out
}
