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
    crate::text::machine::to_json(&entries())
}

/// The Markdown table the README embeds between its `rules` markers.
pub fn markdown() -> String {
    let mut out =
        String::from("| Code | Name | Severity | Provider | Summary |\n|---|---|---|---|---|\n");
    for e in entries() {
        // Summaries are lbplan's own words: `text::markdown` escapes them for a table cell.
        let summary = crate::text::markdown::words(&e.summary);
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} | {} |",
            e.code, e.name, e.severity, e.provider, summary
        );
    }
    out
}

/// A rule's full documentation, with its identity on the first line, and the address of its
/// page where the build knows it.
pub fn explain(meta: &RuleMeta) -> String {
    let mut text = format!(
        "{} {} ({}, {})\n\n{}",
        meta.code,
        meta.name,
        meta.severity,
        meta.scope.as_str(),
        meta.doc()
    );
    if let Some(url) = rule_url(meta) {
        let _ = write!(text, "\nDocumentation: {url}\n");
    }
    text
}

/// The rule families of the catalog, by the code's first digit: the folders of the rules' sources
/// (`src/rules/<family>/`), fixtures (`fixtures/rules/<family>/`) and pages (`docs/rules/<family>/`).
const FAMILIES: [(char, &str); 6] = [
    ('0', "values"),
    ('1', "listeners"),
    ('2', "backends"),
    ('3', "cluster"),
    ('4', "l7"),
    ('5', "transitions"),
];

/// A rule's family, the folder it lives in: `listeners` for LB101.
pub fn rule_family(meta: &RuleMeta) -> &'static str {
    meta.code
        .chars()
        .nth(2)
        .and_then(|digit| FAMILIES.iter().find(|(d, _)| *d == digit))
        .map_or("other", |(_, family)| family)
}

/// A rule's page, relative to the documentation folder `docs/`: `rules/listeners/LB101.md`.
pub fn rule_page(meta: &RuleMeta) -> String {
    format!("rules/{}/{}.md", rule_family(meta), meta.code)
}

/// The published address of a rule's page: `LBPLAN_DOCS_URL`, the address of `docs/` that a
/// release build sets (e.g. `https://github.com/OWNER/lbplan/blob/v0.2.0/docs`), joined with the
/// page. Other builds have none, and link nowhere rather than to a placeholder.
pub fn rule_url(meta: &RuleMeta) -> Option<String> {
    page_url(option_env!("LBPLAN_DOCS_URL"), meta)
}

fn page_url(docs: Option<&str>, meta: &RuleMeta) -> Option<String> {
    let docs = docs
        .map(str::trim)
        .filter(|d| d.starts_with("https://") || d.starts_with("http://"))?;
    Some(format!(
        "{}/{}",
        docs.trim_end_matches('/'),
        rule_page(meta)
    ))
}

#[cfg(test)]
mod tests {
    use super::{page_url, rule_page};
    use crate::rules::RULES;

    fn meta(code: &str) -> &'static crate::rules::RuleMeta {
        RULES
            .iter()
            .map(|r| r.meta())
            .find(|m| m.code == code)
            .expect("rule")
    }

    #[test]
    fn pages_are_grouped_by_family() {
        assert_eq!(rule_page(meta("LB011")), "rules/values/LB011.md");
        assert_eq!(rule_page(meta("LB101")), "rules/listeners/LB101.md");
        assert_eq!(rule_page(meta("LB208")), "rules/backends/LB208.md");
        assert_eq!(rule_page(meta("LB301")), "rules/cluster/LB301.md");
        assert_eq!(rule_page(meta("LB401")), "rules/l7/LB401.md");
        assert_eq!(rule_page(meta("LB501")), "rules/transitions/LB501.md");
    }

    #[test]
    fn a_page_has_an_address_only_when_the_build_names_one() {
        let m = meta("LB101");
        assert_eq!(page_url(None, m), None);
        assert_eq!(page_url(Some(""), m), None);
        assert_eq!(page_url(Some("your docs here"), m), None);
        assert_eq!(
            page_url(Some("https://example.org/lbplan/blob/v0.2.0/docs/"), m).as_deref(),
            Some("https://example.org/lbplan/blob/v0.2.0/docs/rules/listeners/LB101.md")
        );
    }
}
