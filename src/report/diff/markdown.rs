//! `lbplan diff --format markdown`: for a pull-request comment or `$GITHUB_STEP_SUMMARY`.
//!
//! A hidden marker (`<!-- lbplan-diff -->`) lets a workflow find and update its own comment; the
//! verdict (with what was not checked), the summary and the findings tables are outside any
//! `<details>`, so that a reviewer sees what matters without expanding anything; each changed
//! load balancer gets a `<details>` block (`details.rs`).
//!
//! Input is only ever code ([`crate::text::markdown`]): names, paths, IDs and messages in code
//! spans (`|` escaped in table cells), a renderer's error in a fenced block, IDs in `<summary>`
//! as `<code>`; so a manifest cannot put an image, a link or a mention in the comment.
//!
//! The whole is at most `max_bytes` long (GitHub refuses comments over 65,536 characters):
//! pieces are kept in this order, whole or not at all: the verdict, the findings the change
//! introduces, those it fixes (`findings.rs`), the load balancers, the notes (collapsed by kind:
//! `notes.rs`); what did not fit is counted in a line at the end of its section.

mod details;
mod findings;
mod notes;

use std::fmt::Write as _;

use crate::diff::{Gate, Kind, Report};
use crate::plan::changes::{Action, LbChange};
use crate::text::markdown::{Budget, code, fenced, words};
use crate::text::{bound, plural};

/// The marker a workflow looks for to update its comment instead of adding one.
pub const MARKER: &str = "<!-- lbplan-diff -->";

/// `N more load balancers changed ...`, after the load balancers shown.
fn lbs_left(n: usize, max_bytes: usize) -> String {
    format!(
        "\n{n} more {} changed: not shown within {max_bytes} bytes; `lbplan diff --format json` lists every change.\n",
        plural(n, "load balancer", "load balancers")
    )
}

/// The room the lines that count what a section left out take, for the sections still to come:
/// (new findings, fixed findings, load balancers, notes).
fn room(counts: (usize, usize, usize, usize), max_bytes: usize) -> usize {
    let (new, fixed, lbs, notes) = counts;
    let line = |n: usize, text: String| if n > 0 { text.len() + 1 } else { 0 };
    line(new, findings::left_line(new, "", max_bytes))
        + line(fixed, findings::left_line(fixed, "fixed ", max_bytes))
        + line(lbs, lbs_left(lbs, max_bytes))
        + line(notes, notes::left_line(notes, true))
}

/// The report as Markdown within `max_bytes`; `fail_on` names the gate in the verdict.
pub fn markdown(report: &Report, gate: Gate, fail_on: &str, max_bytes: usize) -> String {
    // Room is kept, at every step, for the lines that count what later steps may leave out.
    let fixed = report
        .findings
        .iter()
        .filter(|f| f.kind == Kind::Fixed)
        .count();
    let new = report.findings.len() - fixed;
    let (lbs, notes_n) = (report.plans.load_balancers.len(), report.notes.len());
    let mut out = Budget::new(max_bytes, room((new, fixed, lbs, notes_n), max_bytes));
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
    if !report.errors.is_empty() {
        out.push("\n");
    }
    findings::introduced(&mut out, report, max_bytes);
    out.reserve(room((0, fixed, lbs, notes_n), max_bytes));
    findings::fixed(&mut out, report, max_bytes);
    out.reserve(room((0, 0, lbs, notes_n), max_bytes));
    // What the ELB keeps explains the head plan: shown with the load balancers.
    let mut kept = String::new();
    for k in &report.kept {
        let _ = writeln!(kept, "- note: {}", code(&bound(&k.why())));
    }
    if !kept.is_empty() {
        out.push(&format!("{kept}\n"));
    }
    // Most important first: load balancers that lose listeners or go, then the others. The
    // last needs no room for the line counting those left out, unless one already was.
    let mut order: Vec<&LbChange> = report.plans.load_balancers.iter().collect();
    order.sort_by_key(|lb| !destructive(lb));
    let mut dropped = 0;
    for (i, lb) in order.iter().enumerate() {
        let last = i + 1 == order.len();
        let counted = if last && dropped == 0 { 0 } else { lbs };
        out.reserve(room((0, 0, counted, notes_n), max_bytes));
        if !out.push(&details::details(report, lb)) {
            dropped += 1;
        }
    }
    if dropped > 0 {
        out.force(&lbs_left(dropped, max_bytes));
    }
    out.reserve(room((0, 0, 0, notes_n), max_bytes));
    out.push(&error_details(report));
    notes::notes(&mut out, &report.notes);
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
    let checked = if failing > 0 {
        format!(
            "**Fails**: {failing} {} at or above `--fail-on {fail_on}`",
            plural(failing, "finding", "findings")
        )
    } else {
        format!("**Passes**: nothing at or above `--fail-on {fail_on}`")
    };
    let verdict = if report.complete() {
        checked
    } else {
        format!(
            "**Incomplete**: {}. Of what was checked: {checked}",
            words(&report.gaps().join(", "))
        )
    };
    let _ = writeln!(head, "{verdict}\n");
    let _ = writeln!(
        head,
        "**{}** · {}\n",
        words(&report.changes_line()),
        words(&report.findings_line())
    );
    let unchecked = report.unchecked_lines(&|text: &str| code(&bound(text)));
    for line in unchecked.iter().take(OPEN_UNCHECKED) {
        let _ = writeln!(head, "- not checked: {line}");
    }
    if unchecked.len() > OPEN_UNCHECKED {
        let _ = writeln!(
            head,
            "- not checked: {} more sources; `lbplan diff --format json` lists them",
            unchecked.len() - OPEN_UNCHECKED
        );
    }
    if !unchecked.is_empty() {
        head.push('\n');
    }
    head
}

/// At most this many sources not checked are named with the verdict.
const OPEN_UNCHECKED: usize = 10;

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

fn destructive(lb: &LbChange) -> bool {
    matches!(lb.action, Some(Action::Remove | Action::Replace))
        || lb
            .listeners
            .iter()
            .any(|l| matches!(l.action, Some(Action::Remove | Action::Replace)))
}
