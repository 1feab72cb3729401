//! `lbplan diff --format markdown`: for a pull-request comment or `$GITHUB_STEP_SUMMARY`.
//!
//! A hidden marker (`<!-- lbplan-diff -->`) lets a workflow find and update its own comment; the
//! verdict, the summary and the findings table are outside any `<details>`, so that a reviewer
//! sees what matters without expanding anything; each changed load balancer gets a `<details>`
//! block.
//!
//! Input is only ever code ([`crate::text::markdown`]): names, paths, IDs and messages in code
//! spans (`|` escaped in table cells), a renderer's error in a fenced block, IDs in `<summary>`
//! as `<code>`; so a manifest cannot put an image, a link or a mention in the comment.
//!
//! The whole is at most `max_bytes` long (GitHub refuses comments over 65,536 characters):
//! pieces are kept in order of importance (verdict, errors, findings, load balancers, notes),
//! whole or not at all, and what did not fit is counted in a line at the end of its section.

use std::fmt::Write as _;

use super::describe::{
    group_cells, kept_of, lb_title, listener_holds, listener_name, members_line, raw, rule_line,
    sign,
};
use super::{Gate, Kind, Report};
use crate::plan::changes::{Action, LbChange};
use crate::text::bound;
use crate::text::markdown::{Budget, cell, code, fenced, html_code, words};

/// The marker a workflow looks for to update its comment instead of adding one.
pub const MARKER: &str = "<!-- lbplan-diff -->";

/// Longest message in the findings table, in characters.
const MAX_MESSAGE: usize = 400;

/// `N more findings not shown ...`, after the findings table.
fn findings_left(n: usize, max_bytes: usize) -> String {
    format!(
        "\n{n} more {} not shown within {max_bytes} bytes; `lbplan diff --format json` lists every finding.\n",
        plural(n, "finding", "findings")
    )
}

/// `N more load balancers changed ...`, after the load balancers shown.
fn lbs_left(n: usize, max_bytes: usize) -> String {
    format!(
        "\n{n} more {} changed: not shown within {max_bytes} bytes; `lbplan diff --format json` lists every change.\n",
        plural(n, "load balancer", "load balancers")
    )
}

/// `N more notes not shown ...`, in or instead of the notes.
fn notes_left(n: usize, all: bool) -> String {
    format!(
        "{}{n} {}{} not shown within the byte budget: `lbplan diff` lists them\n",
        if all { "\n" } else { "- " },
        if all { "" } else { "more " },
        plural(n, "note", "notes")
    )
}

/// Room for the lines the findings table ends with: a blank line, `The head fixes N lint
/// findings.`
const FIXED_LINE: usize = 64;

/// What the closing `</details>` of folded notes takes.
const NOTES_CLOSE: &str = "\n</details>\n";

fn shorten(text: &str) -> String {
    let text = bound(text);
    if text.chars().count() <= MAX_MESSAGE {
        return text.into_owned();
    }
    let cut: String = text.chars().take(MAX_MESSAGE).collect();
    format!("{cut}…")
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// The report as Markdown within `max_bytes`; `fail_on` names the gate in the verdict.
pub fn markdown(report: &Report, gate: Gate, fail_on: &str, max_bytes: usize) -> String {
    // Room is kept, at every step, for the lines that count what later steps may leave out.
    let (findings, lbs, notes_n) = (
        report.findings.len(),
        report.plans.load_balancers.len(),
        report.notes.len(),
    );
    let later = |f: usize, l: usize, n: usize| {
        let count = |n: usize, line: String| if n > 0 { line.len() } else { 0 };
        // The blank line and the fixed findings' line after the table, too.
        FIXED_LINE
            + count(f, findings_left(f, max_bytes))
            + count(l, lbs_left(l, max_bytes))
            + count(n, notes_left(n, false) + NOTES_CLOSE)
    };
    let mut out = Budget::new(max_bytes, later(findings, lbs, notes_n));
    out.force(&head(report, gate, fail_on));
    // Each error's first line here; what follows it (what a renderer said, the likely cause and
    // the way forward) in one <details> after the load balancers.
    for (side, e) in &report.errors {
        out.push(&error(
            side.as_str(),
            &e.path,
            e.message.lines().next().unwrap_or(""),
        ));
    }
    findings_table(&mut out, report, max_bytes);
    out.reserve(later(0, lbs, notes_n));
    // What the ELB keeps explains the head plan: shown with the findings.
    let mut kept = String::new();
    for k in &report.kept {
        let _ = writeln!(kept, "- note: {}", code(&bound(&k.why())));
    }
    if !kept.is_empty() {
        out.push(&format!("\n{kept}"));
    }
    // Most important first: load balancers that lose listeners or go, then the others.
    let mut order: Vec<&LbChange> = report.plans.load_balancers.iter().collect();
    order.sort_by_key(|lb| !destructive(lb));
    let dropped = order
        .into_iter()
        .filter(|lb| !out.push(&details(report, lb)))
        .count();
    if dropped > 0 {
        out.force(&lbs_left(dropped, max_bytes));
    }
    out.reserve(later(0, 0, notes_n));
    out.push(&error_details(report));
    notes(&mut out, &report.notes);
    out.finish("")
}

/// The marker, the title, the verdict and the summary line: never left out.
fn head(report: &Report, gate: Gate, fail_on: &str) -> String {
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
            plural(failing, "finding", "findings")
        )
    } else {
        format!("**Passes**: nothing at or above `--fail-on {fail_on}`")
    };
    let _ = writeln!(head, "{verdict}\n");
    let _ = writeln!(
        head,
        "**{}** · {}\n",
        words(&report.changes_line()),
        words(&report.findings_line())
    );
    head
}

/// An error of a side: its file in a code span, its message too, or a fenced block when it runs
/// over several lines (a renderer's standard error).
fn error(side: &str, path: &str, message: &str) -> String {
    let message = bound(message);
    if message.contains('\n') {
        format!(
            "- error ({side}): {}:\n\n{}\n",
            code(path),
            fenced(&message)
        )
    } else {
        format!("- error ({side}): {}: {}\n", code(path), code(&message))
    }
}

/// The errors whose messages run over several lines (a render's cause and way forward), whole,
/// in one `<details>`; empty when none does.
fn error_details(report: &Report) -> String {
    let long: Vec<String> = report
        .errors
        .iter()
        .filter(|(_, e)| e.message.lines().nth(1).is_some())
        .map(|(side, e)| error(side.as_str(), &e.path, &e.message))
        .collect();
    if long.is_empty() {
        return String::new();
    }
    format!(
        "\n<details><summary>{} {} in full</summary>\n\n{}\n</details>\n",
        long.len(),
        plural(long.len(), "error", "errors"),
        long.concat()
    )
}

/// At most this many notes are listed openly; more go into one `<details>`.
const OPEN_NOTES: usize = 3;

/// The notes in the room left, last in the report: a chart or overlay per note can run to
/// hundreds in a repository, and they must not push load balancers out of the budget.
fn notes(out: &mut Budget, notes: &[String]) {
    if notes.is_empty() {
        return;
    }
    let folded = notes.len() > OPEN_NOTES;
    let (open, close) = if folded {
        (
            format!("\n<details><summary>{} notes</summary>\n\n", notes.len()),
            NOTES_CLOSE,
        )
    } else {
        ("\n".to_string(), "")
    };
    // The notes' own count line is written in the room kept for it.
    out.reserve(0);
    let room_left = |out: &Budget, bytes: usize, left: usize| {
        let count = if left > 0 {
            notes_left(left, false).len()
        } else {
            0
        };
        out.fits(bytes + close.len() + count)
    };
    let lines: Vec<String> = notes
        .iter()
        .map(|n| format!("- note: {}\n", code(&bound(n))))
        .collect();
    let first = lines.first().map_or(0, String::len);
    if !room_left(out, open.len() + first, notes.len() - 1) {
        out.force(&notes_left(notes.len(), true));
        return;
    }
    out.force(&open);
    let mut shown = 0;
    for line in &lines {
        let left = notes.len() - shown - 1;
        if !room_left(out, line.len(), left) {
            break;
        }
        out.force(line);
        shown += 1;
    }
    let left = notes.len() - shown;
    if left > 0 {
        out.force(&notes_left(left, false));
    }
    out.force(close);
}

fn destructive(lb: &LbChange) -> bool {
    matches!(lb.action, Some(Action::Remove | Action::Replace))
        || lb
            .listeners
            .iter()
            .any(|l| matches!(l.action, Some(Action::Remove | Action::Replace)))
}

/// The findings table, row by row within the budget, and the count of fixed findings.
fn findings_table(out: &mut Budget, report: &Report, max_bytes: usize) {
    let shown: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.kind != Kind::Fixed)
        .collect();
    let mut header = Some("| | Rule | Object | Where | What happens |\n|---|---|---|---|---|\n");
    let mut left = 0;
    for f in &shown {
        let d = &f.finding;
        let at = report.sources.line_col(d.origin);
        let severity = if f.kind == Kind::New {
            format!("{} (new)", d.severity)
        } else {
            d.severity.to_string()
        };
        let object = match (&d.cluster, &d.object) {
            (Some(c), Some(o)) if c != "default" => cell(&bound(&format!("{c}:{o}"))),
            (_, Some(o)) => cell(&bound(o)),
            _ => String::new(),
        };
        let row = format!(
            "| {severity} | {} {} | {object} | {} | {} |\n",
            d.code,
            cell(d.rule),
            cell(&format!(
                "{}:{}",
                bound(report.sources.name(d.origin.file)),
                at.line
            )),
            cell(&shorten(&d.message))
        );
        let piece = match header {
            Some(h) => format!("{h}{row}"),
            None => row,
        };
        if left == 0 && out.push(&piece) {
            header = None;
        } else {
            left += 1;
        }
    }
    if left > 0 {
        out.force(&findings_left(left, max_bytes));
    }
    if !shown.is_empty() {
        out.force("\n");
    }
    let fixed = report
        .findings
        .iter()
        .filter(|f| f.kind == Kind::Fixed)
        .count();
    if fixed > 0 {
        out.force(&format!(
            "The head fixes {fixed} lint {}.\n\n",
            plural(fixed, "finding", "findings")
        ));
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
            let side = |s: Option<&crate::plan::changes::SettingSide>| {
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
