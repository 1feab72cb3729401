//! The catalog views of the rules: `lbplan rules` (table, JSON, Markdown) and `lbplan explain`.
//! All of them read the rules' own documentation; the README's rule table is the Markdown view.

use std::fmt::Write as _;

use comfy_table::Table;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use serde::Serialize;

use super::{RULES, RuleMeta};
use crate::text::width::{TableWidth, fit};

#[derive(Serialize)]
struct Entry {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    provider: &'static str,
    summary: String,
}

fn entries() -> Vec<Entry> {
    RULES
        .iter()
        .map(|r| {
            let m = r.meta();
            Entry {
                code: m.code,
                name: m.name,
                severity: m.severity.as_str(),
                provider: m.scope.as_str(),
                summary: m.summary(),
            }
        })
        .collect()
}

/// The rules as a table, fitted to `width` (summaries wrap at spaces).
pub fn table(width: TableWidth) -> String {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    table.set_header(vec!["Code", "Name", "Severity", "Provider", "Summary"]);
    for e in entries() {
        table.add_row(vec![e.code, e.name, e.severity, e.provider, &e.summary]);
    }
    fit(&mut table, width);
    format!("{table}\n")
}

pub fn json() -> String {
    crate::plan::render::to_json(&entries())
}

/// The Markdown table the README embeds between its `rules` markers.
pub fn markdown() -> String {
    let mut out =
        String::from("| Code | Name | Severity | Provider | Summary |\n|---|---|---|---|---|\n");
    for e in entries() {
        let summary = e.summary.replace('|', "\\|");
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} | {} |",
            e.code, e.name, e.severity, e.provider, summary
        );
    }
    out
}

/// A rule's full documentation, with its identity on the first line.
pub fn explain(meta: &RuleMeta) -> String {
    format!(
        "{} {} ({}, {})\n\n{}",
        meta.code,
        meta.name,
        meta.severity,
        meta.scope.as_str(),
        meta.doc()
    )
}
