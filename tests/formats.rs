//! The CI formats: SARIF validated against the OASIS 2.1.0 schema with regions on the real lines,
//! GitHub workflow commands parsed, JUnit parsed as XML; all against the JSON report of the same run.
//! CI formats name files from the repository root (here the git top level above the fixture), JSON
//! from the working folder: the tests resolve both to the same file.

use std::path::Path;

use serde_json::Value;

mod common;

fn lint(format: &str, dir: &Path, extra: &[&str]) -> (Option<i32>, String) {
    let out = common::binary()
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
    dirs.extend(common::lint_fire_cases());
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

fn json_report(dir: &Path) -> Value {
    let (_, out) = lint("json", dir, &[]);
    serde_json::from_str(&out).expect("json report")
}

fn json_findings(dir: &Path) -> Vec<Value> {
    json_report(dir)["findings"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The git top level above `dir` (the fixtures are in lbplan's repository), where CI formats
/// start their paths.
fn repository_root(dir: &Path) -> std::path::PathBuf {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .expect("the fixtures are in a git checkout")
        .to_path_buf()
}

/// A JSON report's file name (from `dir`) as CI formats name it (from the repository root).
fn from_root(dir: &Path, file: &str) -> String {
    dir.join(file)
        .strip_prefix(repository_root(dir))
        .expect("inside the repository")
        .to_string_lossy()
        .replace('\\', "/")
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
            // The region starts on the real line of the real file: the URI resolved as code
            // scanning resolves it, against its base.
            let artifact = &location["artifactLocation"];
            assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
            let base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
                .as_str()
                .and_then(|u| u.strip_prefix("file://"))
                .expect("a file:// base");
            assert_eq!(Path::new(base), repository_root(&dir));
            let file = Path::new(base).join(artifact["uri"].as_str().expect("uri"));
            assert_eq!(
                artifact["uri"].as_str(),
                finding["file"]
                    .as_str()
                    .map(|f| from_root(&dir, f))
                    .as_deref()
            );
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
        let report = json_report(&dir);
        let findings = report["findings"].as_array().cloned().unwrap_or_default();
        let notes = report["notes"].as_array().map_or(0, Vec::len);
        // The notes come last, all in one `::notice` titled with their count.
        let mut commands: Vec<_> = out.lines().filter(|l| l.starts_with("::")).collect();
        if notes > 0 {
            let notice = commands.pop().and_then(parse_command).expect("notice");
            assert_eq!(notice.name, "notice");
            assert_eq!(notice.message.split("%0A").count(), notes);
            let plural = if notes == 1 { "note" } else { "notes" };
            assert_eq!(
                notice.properties,
                [("title".to_string(), format!("lbplan%3A {notes} {plural}"))]
            );
        }
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
                finding["file"].as_str().map(|f| from_root(&dir, f))
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
        let report = json_report(&dir);
        let findings = report["findings"].as_array().cloned().unwrap_or_default();
        // Each note is a skipped case of its own.
        let (notes, cases): (Vec<_>, Vec<_>) = doc
            .descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .partition(|c| c.attribute("classname") == Some("lbplan.notes"));
        assert_eq!(
            notes.len(),
            report["notes"].as_array().map_or(0, Vec::len),
            "{}",
            dir.display()
        );
        assert!(
            notes
                .iter()
                .all(|n| n.children().any(|c| c.has_tag_name("skipped")))
        );
        let expected_cases = findings.len().max(1);
        assert_eq!(cases.len(), expected_cases, "{}", dir.display());
        for (case, finding) in cases.iter().zip(&findings) {
            assert_eq!(
                case.attribute("file").map(String::from),
                finding["file"].as_str().map(|f| from_root(&dir, f))
            );
        }
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
        assert_eq!(
            suite.attribute("skipped"),
            Some(notes.len().to_string().as_str())
        );
    }
    // --fail-on never: nothing fails, findings are still there.
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
    let (code, out) = lint("junit", &demo, &["--fail-on", "never"]);
    assert_eq!(code, Some(0));
    let doc = roxmltree::Document::parse(&out).expect("xml");
    assert!(doc.descendants().all(|n| !n.has_tag_name("failure")));
}
