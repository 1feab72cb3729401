//! The CI formats: SARIF validated against the OASIS 2.1.0 schema with regions on the real lines,
//! GitHub workflow commands parsed, JUnit parsed as XML; all against the JSON report of the same run.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn lint(format: &str, dir: &Path, extra: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_lbplan"))
        .args(["lint", "--format", format])
        .args(extra)
        .arg(".")
        .current_dir(dir)
        .output()
        .expect("run lbplan");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// Every fixture project: the demo, the cross-cluster example, each rule's fire case, and a
/// Kustomize repository.
fn projects() -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut dirs = vec![
        root.join("demo"),
        root.join("cross-cluster"),
        root.join("suppression"),
    ];
    let mut rules: Vec<_> = std::fs::read_dir(root.join("rules"))
        .expect("fixtures/rules")
        .map(|e| e.expect("entry").path().join("fire"))
        .collect();
    rules.sort();
    dirs.extend(rules);
    // A Kustomize repository, rendered: every location moved to the files the user wrote.
    let renderer = ["kustomize", "kubectl"].iter().any(|name| {
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .any(|dir| dir.join(name).is_file())
    });
    if renderer {
        dirs.push(root.join("kustomize/findings"));
    } else {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: tests/formats.rs: fixtures/kustomize/findings: neither kustomize nor kubectl is on PATH"
        );
    }
    dirs
}

fn json_findings(dir: &Path) -> Vec<Value> {
    let (_, out) = lint("json", dir, &[]);
    let report: Value = serde_json::from_str(&out).expect("json report");
    report["findings"].as_array().cloned().unwrap_or_default()
}

#[test]
fn sarif_validates_against_the_oasis_schema_with_real_regions() {
    let schema: Value =
        serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json")).expect("schema");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    for dir in projects() {
        let (code, out) = lint("sarif", &dir, &[]);
        assert!(
            code == Some(0) || code == Some(1),
            "{}: exit {code:?}",
            dir.display()
        );
        let sarif: Value = serde_json::from_str(&out).expect("sarif is JSON");
        let errors: Vec<String> = validator
            .iter_errors(&sarif)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{}: SARIF invalid:\n{}",
            dir.display(),
            errors.join("\n")
        );

        let run = &sarif["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
        assert_eq!(rules.len(), lbplan::rule_metas().count());
        assert!(rules.iter().all(|r| {
            r["help"]["text"]
                .as_str()
                .is_some_and(|h| h.contains("## Fix"))
        }));
        let results = run["results"].as_array().expect("results");
        let findings = json_findings(&dir);
        assert_eq!(results.len(), findings.len(), "{}", dir.display());
        for (result, finding) in results.iter().zip(&findings) {
            assert_eq!(result["ruleId"], finding["code"]);
            assert_eq!(
                rules
                    [usize::try_from(result["ruleIndex"].as_u64().expect("index")).expect("index")]
                    ["id"],
                finding["code"]
            );
            let location = &result["locations"][0]["physicalLocation"];
            let region = &location["region"];
            assert_eq!(
                region["startLine"],
                finding["line"],
                "{}: {result}",
                dir.display()
            );
            assert_eq!(region["startColumn"], finding["column"]);
            assert!(region["endLine"].as_u64() >= region["startLine"].as_u64());
            // The region starts on the real line of the real file.
            let file = dir.join(location["artifactLocation"]["uri"].as_str().expect("uri"));
            let text = std::fs::read_to_string(&file).unwrap_or_else(|_| {
                String::from_utf8_lossy(&std::fs::read(&file).unwrap_or_default()).into_owned()
            });
            let line = usize::try_from(region["startLine"].as_u64().expect("line")).expect("line");
            assert!(
                text.lines().count() >= line,
                "{}: line {line} past the end",
                file.display()
            );
            let related = finding["related"].as_array().map_or(0, Vec::len);
            assert_eq!(
                result["relatedLocations"].as_array().map_or(0, Vec::len),
                related
            );
        }
    }
}

/// A parsed workflow command: name, properties, message.
struct WorkflowCommand {
    name: String,
    properties: Vec<(String, String)>,
    message: String,
}

/// `::error file=F,line=L,col=C,...,title=T::message`.
fn parse_command(line: &str) -> Option<WorkflowCommand> {
    let rest = line.strip_prefix("::")?;
    let (head, message) = rest.split_once("::")?;
    let (command, props) = head.split_once(' ')?;
    let props = props
        .split(',')
        .map(|p| {
            let (k, v) = p.split_once('=').expect("key=value");
            (k.to_string(), v.to_string())
        })
        .collect();
    Some(WorkflowCommand {
        name: command.to_string(),
        properties: props,
        message: message.to_string(),
    })
}

#[test]
fn github_commands_parse_and_match_the_findings() {
    for dir in projects() {
        let (_, out) = lint("github", &dir, &[]);
        let findings = json_findings(&dir);
        let commands: Vec<_> = out.lines().filter(|l| l.starts_with("::")).collect();
        assert_eq!(commands.len(), findings.len(), "{}", dir.display());
        for (line, finding) in commands.iter().zip(&findings) {
            let WorkflowCommand {
                name: command,
                properties: props,
                message,
            } = parse_command(line).unwrap_or_else(|| panic!("unparsable: {line}"));
            let expected = match finding["severity"].as_str() {
                Some("error") => "error",
                Some("warning") => "warning",
                _ => "notice",
            };
            assert_eq!(command, expected);
            let get = |k: &str| {
                props
                    .iter()
                    .find(|(key, _)| key == k)
                    .map(|(_, v)| v.clone())
            };
            assert_eq!(
                get("file").map(|f| f.replace("%3A", ":").replace("%2C", ",")),
                finding["file"].as_str().map(String::from)
            );
            assert_eq!(get("line"), finding["line"].as_u64().map(|l| l.to_string()));
            assert_eq!(
                get("col"),
                finding["column"].as_u64().map(|c| c.to_string())
            );
            let title = get("title").expect("title");
            assert!(
                title.starts_with(finding["code"].as_str().expect("code")),
                "{title}"
            );
            assert!(!message.contains('\n'));
        }
    }
}

#[test]
fn junit_is_xml_with_one_case_per_finding() {
    for dir in projects() {
        let (_, out) = lint("junit", &dir, &[]);
        let doc =
            roxmltree::Document::parse(&out).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let findings = json_findings(&dir);
        let cases: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .collect();
        let expected_cases = findings.len().max(1);
        assert_eq!(cases.len(), expected_cases, "{}", dir.display());
        let failures = cases
            .iter()
            .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
            .count();
        let errors = findings.iter().filter(|f| f["severity"] == "error").count();
        assert_eq!(
            failures, errors,
            "with the default --fail-on error, errors fail"
        );
        let suite = doc
            .descendants()
            .find(|n| n.has_tag_name("testsuite"))
            .expect("suite");
        assert_eq!(
            suite.attribute("failures"),
            Some(failures.to_string().as_str())
        );
    }
    // --fail-on never: nothing fails, findings are still there.
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
    let (code, out) = lint("junit", &demo, &["--fail-on", "never"]);
    assert_eq!(code, Some(0));
    let doc = roxmltree::Document::parse(&out).expect("xml");
    assert!(doc.descendants().all(|n| !n.has_tag_name("failure")));
}
