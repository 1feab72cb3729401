//! Rule fixtures, run through the real binary.
//!
//! Every rule has `fixtures/rules/<family>/<CODE>-<name>/fire/` and `.../quiet/`. Each is a small project:
//! manifests, and optionally a `.lbplan.yaml` with cluster facts. Lines carry their expectations
//! as comments:
//!
//! - `# expect: LB101` — a finding of LB101 is located on this line (`LB102:warning` also checks
//!   the severity; several codes are separated by commas);
//! - `# related: LB101` — a finding of LB101 has a related location on this line.
//!
//! Findings must match the `expect` comments exactly, in both directions. A `fire` case must expect
//! its rule at least once; a `quiet` case must not.
//!
//! The prose users read is checked too: each `fire` case holds `expected.txt`, the case as
//! `lbplan lint --format human` renders it (100 columns, no colour). After an intended change to a
//! message, label or help text, regenerate them with `LBPLAN_BLESS=1 cargo test --test rules` and
//! review the diff.

use std::collections::BTreeSet;
use std::path::Path;

use lbplan::rule_metas;

mod common;

type Located = (String, usize, String);

/// (file, line, code) and optional severity, from `# expect:` and `# related:` comments.
#[derive(Default)]
struct Expected {
    findings: BTreeSet<Located>,
    severities: BTreeSet<(String, usize, String, String)>,
    related: BTreeSet<Located>,
}

fn codes(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', ' '])
        .map(str::trim)
        .filter(|c| c.starts_with("LB"))
}

fn expectations(case: &Path) -> Expected {
    let files = common::manifest_files(case);
    let mut expected = Expected::default();
    for file in files {
        let name = file
            .strip_prefix(case)
            .expect("inside case")
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        for (i, line) in text.lines().enumerate() {
            if let Some(rest) = line.split("# expect:").nth(1) {
                let rest = rest.split('#').next().unwrap_or("");
                for code in codes(rest) {
                    let (code, severity) = code.split_once(':').unwrap_or((code, ""));
                    expected
                        .findings
                        .insert((name.clone(), i + 1, code.to_string()));
                    if !severity.is_empty() {
                        expected.severities.insert((
                            name.clone(),
                            i + 1,
                            code.to_string(),
                            severity.to_string(),
                        ));
                    }
                }
            }
            if let Some(rest) = line.split("# related:").nth(1) {
                let rest = rest.split('#').next().unwrap_or("");
                for code in codes(rest) {
                    expected
                        .related
                        .insert((name.clone(), i + 1, code.to_string()));
                }
            }
        }
    }
    expected
}

/// Run `lbplan lint --format json .` in the case folder (so `.lbplan.yaml` is found there).
fn lint(case: &Path) -> Result<serde_json::Value, String> {
    let output = common::binary()
        .args(["lint", "--format", "json", "--fail-on", "never", "."])
        .current_dir(case)
        .env("NO_COLOR", "1")
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
    serde_json::from_slice(&output.stdout).map_err(|e| format!("{}: {e}", case.display()))
}

/// The `line` of a finding or related location in the JSON report (0 when absent).
fn line_of(value: &serde_json::Value) -> usize {
    value["line"]
        .as_u64()
        .and_then(|l| usize::try_from(l).ok())
        .unwrap_or(0)
}

fn check_case(case: &Path, code: &str, must_fire: bool, failures: &mut Vec<String>) {
    let expected = expectations(case);
    let report = match lint(case) {
        Ok(report) => report,
        Err(e) => {
            failures.push(e);
            return;
        }
    };
    let findings = report["findings"].as_array().cloned().unwrap_or_default();
    let mut found = BTreeSet::new();
    let mut found_related = BTreeSet::new();
    let mut found_severity = BTreeSet::new();
    for f in &findings {
        let file = f["file"].as_str().unwrap_or("").to_string();
        let line = line_of(f);
        let fcode = f["code"].as_str().unwrap_or("").to_string();
        found_severity.insert((
            file.clone(),
            line,
            fcode.clone(),
            f["severity"].as_str().unwrap_or("").to_string(),
        ));
        for r in f["related"].as_array().into_iter().flatten() {
            found_related.insert((
                r["file"].as_str().unwrap_or("").to_string(),
                line_of(r),
                fcode.clone(),
            ));
        }
        found.insert((file, line, fcode));
    }
    let name = case.display();
    for missing in expected.findings.difference(&found) {
        failures.push(format!(
            "{name}: missing {}:{} {}",
            missing.0, missing.1, missing.2
        ));
    }
    for extra in found.difference(&expected.findings) {
        let message = findings
            .iter()
            .find(|f| {
                f["file"] == extra.0.as_str()
                    && f["line"] == extra.1
                    && f["code"] == extra.2.as_str()
            })
            .and_then(|f| f["message"].as_str())
            .unwrap_or("");
        failures.push(format!(
            "{name}: unexpected {}:{} {} ({message})",
            extra.0, extra.1, extra.2
        ));
    }
    for missing in expected.severities.difference(&found_severity) {
        failures.push(format!(
            "{name}: {}:{} {} should have severity {}",
            missing.0, missing.1, missing.2, missing.3
        ));
    }
    for missing in expected.related.difference(&found_related) {
        failures.push(format!(
            "{name}: no {} finding relates to {}:{}",
            missing.2, missing.0, missing.1
        ));
    }
    let fires = expected.findings.iter().any(|(_, _, c)| c == code);
    if must_fire && !fires {
        failures.push(format!(
            "{name}: a fire case must expect {code} at least once"
        ));
    }
    if !must_fire && fires {
        failures.push(format!("{name}: a quiet case must not expect {code}"));
    }
}

/// `lbplan lint --format human .` in the case folder, as a user reads it (the width is 100 columns
/// whenever standard output is not a terminal).
fn render_human(case: &Path) -> Result<String, String> {
    let output = common::binary()
        .args([
            "--color",
            "never",
            "lint",
            "--format",
            "human",
            "--fail-on",
            "never",
            ".",
        ])
        .current_dir(case)
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

/// Compare the human report of a case with its `expected.txt`, or write it with `LBPLAN_BLESS`.
fn check_rendered(case: &Path, failures: &mut Vec<String>) {
    common::check_snapshot(case, render_human(case), "rules", failures);
}

/// The lint rules: transition rules (LB5xx) have pairs of projects as fixtures (`diff_rules.rs`).
fn lint_rules() -> impl Iterator<Item = &'static lbplan::RuleMeta> {
    rule_metas().filter(|m| !m.transition)
}

#[test]
fn every_rule_fires_and_stays_quiet_where_its_fixtures_say() {
    let mut failures = Vec::new();
    for meta in lint_rules() {
        let dir = common::rule_fixture(meta);
        for (case, must_fire) in [("fire", true), ("quiet", false)] {
            let case_dir = dir.join(case);
            if !case_dir.is_dir() {
                failures.push(format!("{}: no {case} fixture", dir.display()));
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
    for meta in lint_rules() {
        let case = common::rule_fixture(meta).join("fire");
        if case.is_dir() {
            check_rendered(&case, &mut failures);
        }
    }
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n"));
}

#[test]
fn fixture_folders_belong_to_rules() {
    common::assert_rule_fixture_folders_belong();
}
