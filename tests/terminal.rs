//! Output for a terminal, checked against the JSON report of the same run on every fixture
//! project: at any width, wrapping never cuts a word (an annotation key, an ELB ID, a path) of a
//! message, a help or a note; `--format concise` is one line per finding; `--statistics` counts
//! every finding once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

mod common;

fn lbplan(dir: &Path, columns: &str, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_lbplan"))
        .args(args)
        .arg(".")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", columns)
        .output()
        .expect("run lbplan");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The demo and every rule's fire case.
fn projects() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut dirs = common::lint_fire_cases();
    dirs.insert(0, root.join("demo"));
    dirs
}

fn report(dir: &Path) -> Value {
    serde_json::from_str(&lbplan(dir, "100", &["lint", "--format", "json"])).expect("JSON")
}

/// Every word of the findings' messages and help, and of the notes.
fn words(report: &Value) -> Vec<String> {
    let findings = report["findings"].as_array().into_iter().flatten();
    let texts = findings
        .flat_map(|f| [&f["message"], &f["help"]])
        .chain(report["notes"].as_array().into_iter().flatten());
    texts
        .filter_map(Value::as_str)
        .flat_map(str::split_whitespace)
        .map(String::from)
        .collect()
}

#[test]
fn wrapping_never_cuts_a_word_at_any_width() {
    for dir in projects() {
        let words = words(&report(&dir));
        for columns in ["60", "100", "200"] {
            let human = lbplan(&dir, columns, &["lint"]);
            for word in &words {
                assert!(
                    human.contains(word.as_str()),
                    "{} at {columns} columns: `{word}` is cut:\n{human}",
                    dir.display()
                );
            }
        }
    }
}

#[test]
fn concise_is_one_line_per_finding_and_statistics_count_them_all() {
    for dir in projects() {
        let report = report(&dir);
        let findings = report["findings"].as_array().cloned().unwrap_or_default();
        let concise = lbplan(&dir, "100", &["-q", "lint", "-f", "concise"]);
        let lines: Vec<&str> = concise.lines().collect();
        assert_eq!(lines.len(), findings.len(), "{}", dir.display());
        for (line, f) in lines.iter().zip(&findings) {
            let expected = format!(
                "{}:{}:{}: {}[{}] ",
                f["file"].as_str().unwrap_or(""),
                f["line"],
                f["column"],
                f["severity"].as_str().unwrap_or(""),
                f["code"].as_str().unwrap_or("")
            );
            assert!(line.starts_with(&expected), "{line} / {expected}");
        }

        let counted: Value = serde_json::from_str(&lbplan(
            &dir,
            "100",
            &["lint", "--statistics", "--format", "json"],
        ))
        .expect("JSON statistics");
        let mut expected: BTreeMap<(String, String), u64> = BTreeMap::new();
        for f in &findings {
            let key = (f["code"].to_string(), f["severity"].to_string());
            *expected.entry(key).or_default() += 1;
        }
        let got: BTreeMap<(String, String), u64> = counted
            .as_array()
            .expect("array")
            .iter()
            .map(|r| {
                (
                    (r["code"].to_string(), r["severity"].to_string()),
                    r["count"].as_u64().expect("count"),
                )
            })
            .collect();
        assert_eq!(got, expected, "{}", dir.display());
    }
}
