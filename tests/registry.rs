//! The rule registry against the catalog of the spec (`tests/data/rules-catalog.tsv`, copied from
//! rules.md): unique codes and names, the catalog's identity for each, the four documentation
//! sections, and `lbplan explain` working for every rule by code and by name.

use std::collections::BTreeSet;
use std::process::Command;

use lbplan::{DOC_SECTIONS, RuleMeta, rule_metas};

fn catalog() -> Vec<(String, String, String, String)> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/rules-catalog.tsv"
    ))
    .expect("catalog");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[0].into(), f[1].into(), f[2].into(), f[3].into())
        })
        .collect()
}

#[test]
fn codes_and_names_are_unique() {
    let count = rule_metas().count();
    let codes: BTreeSet<&str> = rule_metas().map(|m| m.code).collect();
    let names: BTreeSet<&str> = rule_metas().map(|m| m.name).collect();
    assert_eq!(codes.len(), count, "duplicate rule code");
    assert_eq!(names.len(), count, "duplicate rule name");
    let mut sorted: Vec<&str> = rule_metas().map(|m| m.code).collect();
    sorted.sort_unstable();
    let listed: Vec<&str> = rule_metas().map(|m| m.code).collect();
    assert_eq!(sorted, listed, "RULES must be in code order");
}

#[test]
fn every_catalog_rule_exists_with_its_identity() {
    let catalog = catalog();
    assert_eq!(
        catalog.len(),
        rule_metas().count(),
        "the registry and the catalog differ in size"
    );
    for (code, name, provider, severity) in catalog {
        let meta: &RuleMeta = rule_metas()
            .find(|m| m.code == code)
            .unwrap_or_else(|| panic!("{code} is in the catalog but not implemented"));
        assert_eq!(meta.name, name, "{code}: name");
        assert_eq!(meta.scope.as_str(), provider, "{code}: provider");
        assert_eq!(meta.severity.as_str(), severity, "{code}: default severity");
    }
}

#[test]
fn every_rule_is_documented_in_four_sections() {
    for meta in rule_metas() {
        let summary = meta.summary();
        assert!(!summary.is_empty(), "{}: no summary line", meta.code);
        assert!(
            summary.len() <= 120,
            "{}: summary longer than a table cell",
            meta.code
        );
        // The summary is the doc's first paragraph: one whole sentence, never cut where a line wraps.
        assert!(
            summary.ends_with('.'),
            "{}: the summary must be one whole sentence ending in \".\": {summary}",
            meta.code
        );
        for section in DOC_SECTIONS {
            let text = meta
                .section(section)
                .unwrap_or_else(|| panic!("{}: no \"## {section}\" section", meta.code));
            assert!(text.len() > 20, "{}: \"{section}\" is too thin", meta.code);
        }
        let example = meta.section("Example").unwrap_or_default();
        assert!(
            example.contains("```"),
            "{}: the example needs a code block",
            meta.code
        );
    }
}

#[test]
fn explain_works_by_code_and_by_name() {
    for meta in rule_metas() {
        for key in [meta.code, meta.name, &meta.code.to_lowercase()] {
            let out = Command::new(env!("CARGO_BIN_EXE_lbplan"))
                .args(["explain", key])
                .output()
                .expect("run lbplan");
            assert!(out.status.success(), "explain {key} failed");
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(
                text.starts_with(&format!("{} {}", meta.code, meta.name)),
                "explain {key}: {text}"
            );
            for section in DOC_SECTIONS {
                assert!(
                    text.contains(&format!("## {section}")),
                    "explain {key} lacks {section}"
                );
            }
        }
    }
    let out = Command::new(env!("CARGO_BIN_EXE_lbplan"))
        .args(["explain", "LB999"])
        .output()
        .expect("run lbplan");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn rules_json_lists_every_code_of_the_catalog() {
    let out = Command::new(env!("CARGO_BIN_EXE_lbplan"))
        .args(["rules", "--format", "json"])
        .output()
        .expect("run lbplan");
    assert!(out.status.success());
    let listed: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("json");
    let codes: Vec<&str> = listed.iter().filter_map(|r| r["code"].as_str()).collect();
    let catalog: Vec<String> = catalog().into_iter().map(|c| c.0).collect();
    assert_eq!(codes, catalog);
    for r in &listed {
        for key in ["code", "name", "severity", "provider", "summary"] {
            assert!(r[key].is_string(), "{key} missing in {r}");
        }
    }
}

/// Where user-facing text cites an internal document number ("seed 002", "(seed ...") instead
/// of the vendor document's title, which users can look up.
fn internal_citations(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut found = Vec::new();
    for (i, _) in lower.match_indices("seed") {
        let rest = lower.get(i + 4..).unwrap_or("");
        let before = lower.get(..i).unwrap_or("");
        let numbered = rest.trim_start_matches('s').trim_start().starts_with("00");
        if numbered || before.ends_with('(') {
            let end = (i + 40).min(text.len());
            found.push(text.get(i..end).unwrap_or(rest).to_string());
        }
    }
    found
}

#[test]
fn citation_check_catches_internal_numbers() {
    assert_eq!(internal_citations("see (seed 002) here").len(), 1);
    assert_eq!(internal_citations("seeds 001, 004").len(), 1);
    assert_eq!(internal_citations("(seed\n003)").len(), 1);
    assert!(internal_citations("a seeded random generator; DeserializeSeed").is_empty());
}

/// Messages, `explain`, the README and docs/ cite vendor documents by title, never by number.
#[test]
fn user_facing_text_cites_documents_by_title() {
    for meta in rule_metas() {
        let hits = internal_citations(&meta.doc());
        assert!(hits.is_empty(), "{} documentation: {hits:?}", meta.code);
        let out = Command::new(env!("CARGO_BIN_EXE_lbplan"))
            .args(["explain", meta.code])
            .output()
            .expect("run lbplan");
        let hits = internal_citations(&String::from_utf8_lossy(&out.stdout));
        assert!(hits.is_empty(), "explain {}: {hits:?}", meta.code);
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("README.md")];
    let mut dirs = vec![root.join("docs")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let hits = internal_citations(&text);
        assert!(hits.is_empty(), "{}: {hits:?}", file.display());
    }
}
