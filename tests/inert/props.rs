//! Random hostile names and values (line feeds, CRs, escapes, `::`, `##[`, `%`, backticks, `|`,
//! `<`, `@`, `![`, long runs) through every command and format: every output is inert (item 2),
//! Markdown holds them only as code (item 3), and messages and reports stay bounded (item 4).

use std::path::Path;

use proptest::prelude::*;

use crate::check::{assert_inert, assert_markdown_safe, assert_message_bounded, lbplan, text};

/// Pieces a hostile value is made of.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\n".to_string()),
        Just("\r".to_string()),
        Just("\r\n".to_string()),
        Just("\u{1b}[2J".to_string()),
        Just("\u{9b}".to_string()),
        Just("::".to_string()),
        Just("::error file=README.md::ok".to_string()),
        Just("##[set-output name=a]b".to_string()),
        Just("%0A%".to_string()),
        Just("`".to_string()),
        Just("```".to_string()),
        Just("|".to_string()),
        Just("<img src=x>".to_string()),
        Just("@team".to_string()),
        Just("![i](http://e.example/i.png)".to_string()),
        Just("[l](https://e.example)".to_string()),
        Just(" ".to_string()),
        Just("web".to_string()),
        Just("é".to_string()),
        (1..400_usize).prop_map(|n| "x".repeat(n)),
    ]
}

fn value() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 1..8).prop_map(|p| p.concat())
}

/// A value as a file name: no `/` or NUL, not too long for the file system.
fn file_name(value: &str) -> String {
    let name: String = value
        .chars()
        .map(|c| if c == '/' || c == '\0' { '_' } else { c })
        .collect();
    let mut end = name.len().min(200);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    format!("f-{}.yaml", &name[..end])
}

fn q(s: &str) -> String {
    serde_json::to_string(s).expect("json string")
}

/// Two Services on one ELB and port (a conflict), an Ingress with the value as host and path,
/// every name, namespace and annotation value from the input.
fn manifests(name: &str, namespace: &str, id: &str, class: &str, port: u16) -> String {
    let service = |n: &str| {
        format!(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: {}\n  namespace: {}\n  annotations:\n    kubernetes.io/elb.id: {}\n    kubernetes.io/elb.class: {}\n    kubernetes.io/elb.multicluster: \"true\"\n    kubernetes.io/elb.multicluster-loadbalancer-weight: \"50\"\nspec:\n  type: LoadBalancer\n  selector: {{app: {}}}\n  ports: [{{port: {port}}}]\n",
            q(n),
            q(namespace),
            q(id),
            q(class),
            q(n)
        )
    };
    let ingress = format!(
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: {}\n  namespace: {}\n  annotations:\n    kubernetes.io/elb.id: {}\n    kubernetes.io/elb.class: union\nspec:\n  ingressClassName: cce\n  rules:\n  - host: {}\n    http:\n      paths:\n      - path: {}\n        pathType: Prefix\n        backend: {{service: {{name: {}, port: {{number: {port}}}}}}}\n",
        q(name),
        q(namespace),
        q(class),
        q(name),
        q(id),
        q(name)
    );
    format!("{}---\n{}---\n{ingress}", service(name), service(class))
}

/// Every command and format on one repository: base/ and head/ in `dir`.
fn check_every_output(dir: &Path, values: &[&str]) {
    let head = dir.join("head");
    let mut runs: Vec<Vec<&str>> = Vec::new();
    for f in ["human", "concise", "json", "github", "sarif", "junit"] {
        runs.push(vec!["lint", "--format", f, "."]);
    }
    runs.push(vec!["lint", "--statistics", "."]);
    for f in ["table", "json", "yaml"] {
        runs.push(vec!["plan", "--members", "--format", f, "."]);
    }
    for f in ["table", "json"] {
        runs.push(vec!["weights", "--format", f, "."]);
    }
    for f in ["human", "json", "github", "markdown"] {
        runs.push(vec!["diff", "--base-root", "../base", "--format", f]);
    }
    for args in runs {
        let out = lbplan(&head, &args);
        let what = format!("{args:?}");
        assert!(
            matches!(out.status.code(), Some(0..=2)),
            "{what}: {:?}",
            out.status
        );
        let github = args.contains(&"github");
        let stdout = text(&out.stdout);
        assert_inert(&format!("{what} stdout"), &stdout, github);
        assert_inert(&format!("{what} stderr"), &text(&out.stderr), github);
        if args.contains(&"markdown") {
            assert_markdown_safe(&what, &stdout);
            assert!(stdout.len() <= 60_000, "{what}: {} bytes", stdout.len());
        }
        if args.contains(&"json") && args[0] != "plan" && args[0] != "weights" {
            let report: serde_json::Value = serde_json::from_str(&stdout).expect("json");
            for f in report["findings"].as_array().into_iter().flatten() {
                let related = f["related"].as_array().into_iter().flatten();
                let texts = [&f["message"], &f["help"]]
                    .into_iter()
                    .chain(related.map(|r| &r["message"]))
                    .filter_map(serde_json::Value::as_str);
                for message in texts {
                    assert_message_bounded(&what, message);
                    // Never more than the first 200 bytes of a value.
                    for v in values.iter().filter(|v| v.len() > 201) {
                        let mut end = 201;
                        while !v.is_char_boundary(end) {
                            end += 1;
                        }
                        assert!(
                            !message.contains(&v[..end]),
                            "{what}: {v:?} quoted whole in {message:?}"
                        );
                    }
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("LBPLAN_INERT_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(12),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn hostile_names_and_values_through_every_command_and_format(
        name in value(),
        namespace in value(),
        id in value(),
        class in value(),
        file in value(),
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        for (side, port) in [("base", 80_u16), ("head", 81)] {
            std::fs::create_dir_all(dir.path().join(side)).expect("mkdir");
            let manifests = manifests(&name, &namespace, &id, &class, port);
            std::fs::write(dir.path().join(side).join(file_name(&file)), manifests)
                .expect("write");
        }
        check_every_output(dir.path(), &[&name, &namespace, &id, &class]);
    }
}
