//! The rule pages (`docs/rules/<family>/<CODE>.md` and the index `docs/rules/README.md`) are
//! generated from each rule's documentation and fixtures, and must not go stale: this test
//! compares them with what the generator writes. After a rule or a fixture changes, or rules are
//! added, `scripts/docs` (`LBPLAN_BLESS=1 cargo test --test docs`) rewrites every page and removes
//! the pages of rules that no longer exist; review the diff.

#[path = "../common/mod.rs"]
mod common;
mod example;
mod page;
mod vendor;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use lbplan::{RuleMeta, rule_metas, rule_page};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every generated file, by its path under `docs/`.
fn generated() -> BTreeMap<PathBuf, String> {
    let metas: Vec<&RuleMeta> = rule_metas().collect();
    let mut pages: BTreeMap<PathBuf, String> = metas
        .iter()
        .map(|m| (PathBuf::from(rule_page(m)), page::render(root(), m)))
        .collect();
    pages.insert(PathBuf::from("rules/README.md"), page::index(&metas));
    pages
}

/// The Markdown files under `docs/rules/`, by their path under `docs/`.
fn on_disk() -> BTreeMap<PathBuf, String> {
    fn walk(dir: &Path, docs: &Path, out: &mut BTreeMap<PathBuf, String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, docs, out);
            } else if path.extension().is_some_and(|e| e == "md") {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                out.insert(path.strip_prefix(docs).expect("under docs").into(), text);
            }
        }
    }
    let docs = root().join("docs");
    let mut out = BTreeMap::new();
    walk(&docs.join("rules"), &docs, &mut out);
    out
}

#[test]
fn rule_pages_are_current() {
    let generated = generated();
    let existing = on_disk();
    let docs = root().join("docs");
    if common::blessing() {
        for stale in existing.keys().filter(|p| !generated.contains_key(*p)) {
            std::fs::remove_file(docs.join(stale)).expect("remove a stale page");
        }
        for (path, text) in &generated {
            let path = docs.join(path);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("create the folder");
            std::fs::write(&path, text).expect("write the page");
        }
        return;
    }
    let mut problems = Vec::new();
    for (path, text) in &generated {
        match existing.get(path) {
            None => problems.push(format!("docs/{} is missing", path.display())),
            Some(old) if old != text => {
                let line = old
                    .lines()
                    .zip(text.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or_else(|| old.lines().count().min(text.lines().count()));
                problems.push(format!(
                    "docs/{} differs at line {}",
                    path.display(),
                    line + 1
                ));
            }
            Some(_) => {}
        }
    }
    for stale in existing.keys().filter(|p| !generated.contains_key(*p)) {
        problems.push(format!("docs/{} belongs to no rule", stale.display()));
    }
    assert!(
        problems.is_empty(),
        "the rule pages are stale (scripts/docs rewrites them; review the diff):\n  {}",
        problems.join("\n  ")
    );
}

/// Each page shows its rule firing, as lbplan prints it, and a case that stays quiet.
#[test]
fn every_page_has_both_examples_and_the_finding() {
    for meta in rule_metas() {
        let page = page::render(root(), meta);
        let header = format!("[{}] {}:", meta.code, meta.name);
        assert!(
            page.contains("## Fires") && page.contains(&header),
            "{}: no firing example with its finding",
            meta.code
        );
        assert!(page.contains("## Quiet"), "{}: no quiet example", meta.code);
        assert!(
            !page.contains("# expect:") && !page.contains("# related:"),
            "{}: a test marker shows in the page",
            meta.code
        );
    }
}

/// Users cannot look up the seed files' numbers: pages name vendor documents by title.
#[test]
fn pages_cite_vendor_documents_by_title() {
    for (path, text) in generated() {
        assert!(
            !text.contains("seed 00") && !text.contains("(seed"),
            "docs/{} cites a vendor document by number",
            path.display()
        );
    }
}

/// Every relative link of a page leads to a file or folder of the repository.
#[test]
fn relative_links_resolve() {
    for (path, text) in generated() {
        let dir = root().join("docs").join(&path);
        let dir = dir.parent().expect("parent");
        for target in page::relative_links(&text) {
            assert!(
                dir.join(target).exists(),
                "docs/{}: the link {target} leads nowhere",
                path.display()
            );
        }
    }
}
