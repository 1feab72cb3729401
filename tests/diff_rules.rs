//! Transition rule fixtures (LB5xx), run through the real binary.
//!
//! Every transition rule has `fixtures/rules/transitions/<CODE>-<name>/fire/` and `.../quiet/`, each a pair of
//! small projects, `base/` and `head/` (manifests, and optionally a `.lbplan.yaml` each), compared
//! with `lbplan diff --base-root ../base` run in `head/`. Lines of either side carry their
//! expectations as comments, as in the lint rules' fixtures:
//!
//! - `# expect: LB505` — a transition finding of LB505 is located on this line, on this side
//!   (`LB505:error` also checks the severity);
//! - `# related: LB505` — a finding of LB505 has a related location on this line.
//!
//! Transition findings must match the `expect` comments exactly, in both directions (lint
//! findings new or fixed in the head are the CLI snapshots' concern). A `fire` case must expect
//! its rule at least once; a `quiet` case must not. Each `fire` case also holds `expected.txt`,
//! the case as `lbplan diff --format human` renders it; `LBPLAN_BLESS=1 cargo test --test
//! diff_rules` writes it, for review.

use std::collections::BTreeSet;
use std::path::Path;

use lbplan::rule_metas;

mod common;

/// (side, file within the side, line, code).
type Located = (String, String, usize, String);

#[derive(Default)]
struct Expected {
    findings: BTreeSet<Located>,
    severities: BTreeSet<(Located, String)>,
    related: BTreeSet<Located>,
}

fn codes(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', ' '])
        .map(str::trim)
        .filter(|c| c.starts_with("LB"))
}

fn expectations(case: &Path) -> Expected {
    let mut expected = Expected::default();
    for side in ["base", "head"] {
        let root = case.join(side);
        for file in common::manifest_files(&root) {
            let name = file
                .strip_prefix(&root)
                .expect("inside side")
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            for (i, line) in text.lines().enumerate() {
                let at = |code: &str| (side.to_string(), name.clone(), i + 1, code.to_string());
                if let Some(rest) = line.split("# expect:").nth(1) {
                    for code in codes(rest.split('#').next().unwrap_or("")) {
                        let (code, severity) = code.split_once(':').unwrap_or((code, ""));
                        expected.findings.insert(at(code));
                        if !severity.is_empty() {
                            expected.severities.insert((at(code), severity.to_string()));
                        }
                    }
                }
                if let Some(rest) = line.split("# related:").nth(1) {
                    for code in codes(rest.split('#').next().unwrap_or("")) {
                        expected.related.insert(at(code));
                    }
                }
            }
        }
    }
    expected
}

/// A place in the report: base files are named `../base/FILE` from the head's folder.
fn place(file: &str) -> (String, String) {
    match file.strip_prefix("../base/") {
        Some(rest) => ("base".into(), rest.into()),
        None => ("head".into(), file.into()),
    }
}

fn run(case: &Path, format: &str) -> Result<String, String> {
    let output = common::binary()
        .args([
            "--color",
            "never",
            "diff",
            "--base-root",
            "../base",
            "--fail-on",
            "never",
            "--format",
            format,
        ])
        .current_dir(case.join("head"))
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .output()
        .map_err(|e| format!("{}: cannot run lbplan: {e}", case.display()))?;
    if output.status.code() != Some(0) {
        return Err(format!(
            "{}: exit {:?}: {}",
            case.display(),
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("{}: {e}", case.display()))
}

fn line_of(value: &serde_json::Value) -> usize {
    value["line"]
        .as_u64()
        .and_then(|l| usize::try_from(l).ok())
        .unwrap_or(0)
}

fn check_case(case: &Path, code: &str, must_fire: bool, failures: &mut Vec<String>) {
    let expected = expectations(case);
    let report: serde_json::Value = match run(case, "json").and_then(|text| {
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", case.display()))
    }) {
        Ok(report) => report,
        Err(e) => {
            failures.push(e);
            return;
        }
    };
    let mut found = BTreeSet::new();
    let mut found_severity = BTreeSet::new();
    let mut found_related = BTreeSet::new();
    let findings = report["findings"].as_array().cloned().unwrap_or_default();
    for f in findings.iter().filter(|f| f["diff"] == "transition") {
        let (side, file) = place(f["file"].as_str().unwrap_or(""));
        assert_eq!(
            side,
            f["side"].as_str().unwrap_or(""),
            "{}: side",
            case.display()
        );
        let fcode = f["code"].as_str().unwrap_or("").to_string();
        let at = (side, file, line_of(f), fcode.clone());
        found_severity.insert((at.clone(), f["severity"].as_str().unwrap_or("").to_string()));
        for r in f["related"].as_array().into_iter().flatten() {
            let (side, file) = place(r["file"].as_str().unwrap_or(""));
            found_related.insert((side, file, line_of(r), fcode.clone()));
        }
        found.insert(at);
    }
    let name = case.display();
    for m in expected.findings.difference(&found) {
        failures.push(format!("{name}: missing {} {}:{} {}", m.0, m.1, m.2, m.3));
    }
    for x in found.difference(&expected.findings) {
        let message = findings
            .iter()
            .find(|f| f["code"] == x.3.as_str() && line_of(f) == x.2)
            .and_then(|f| f["message"].as_str())
            .unwrap_or("");
        failures.push(format!(
            "{name}: unexpected {} {}:{} {} ({message})",
            x.0, x.1, x.2, x.3
        ));
    }
    for (m, severity) in expected
        .severities
        .iter()
        .filter(|s| !found_severity.contains(*s))
    {
        failures.push(format!(
            "{name}: {} {}:{} {} should have severity {severity}",
            m.0, m.1, m.2, m.3
        ));
    }
    for m in expected.related.difference(&found_related) {
        failures.push(format!(
            "{name}: no {} finding relates to {} {}:{}",
            m.3, m.0, m.1, m.2
        ));
    }
    let fires = expected.findings.iter().any(|f| f.3 == code);
    if must_fire && !fires {
        failures.push(format!(
            "{name}: a fire case must expect {code} at least once"
        ));
    }
    if !must_fire && fires {
        failures.push(format!("{name}: a quiet case must not expect {code}"));
    }
}

/// Compare the human report of a case with its `expected.txt`, or write it with `LBPLAN_BLESS`.
fn check_rendered(case: &Path, failures: &mut Vec<String>) {
    common::check_snapshot(case, run(case, "human"), "diff_rules", failures);
}

fn transition_rules() -> impl Iterator<Item = &'static lbplan::RuleMeta> {
    rule_metas().filter(|m| m.transition)
}

#[test]
fn every_transition_rule_fires_and_stays_quiet_where_its_fixtures_say() {
    let mut failures = Vec::new();
    for meta in transition_rules() {
        let dir = common::rule_fixture(meta);
        for (case, must_fire) in [("fire", true), ("quiet", false)] {
            let case_dir = dir.join(case);
            if !case_dir.join("base").is_dir() || !case_dir.join("head").is_dir() {
                failures.push(format!("{}: no {case}/base and {case}/head", dir.display()));
                continue;
            }
            check_case(&case_dir, meta.code, must_fire, &mut failures);
        }
    }
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n"));
}

#[test]
fn every_fire_case_renders_as_its_snapshot() {
    let mut failures = Vec::new();
    for meta in transition_rules() {
        let case = common::rule_fixture(meta).join("fire");
        if case.is_dir() {
            check_rendered(&case, &mut failures);
        }
    }
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n"));
}
