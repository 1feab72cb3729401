//! One test per failure issue 20 lists, each reproduced as it was seen, and the colour of
//! `lbplan diff` (issue 21).

use std::path::{Path, PathBuf};

use crate::check::{
    assert_inert, assert_markdown_safe, assert_message_bounded, lbplan, lbplan_with, runner_lines,
    text,
};

/// A LoadBalancer Service of `name` in `namespace` on ELB `id`, port `port`, its class `class`,
/// with a cross-cluster weight (so that `weights` shows it).
fn service(name: &str, namespace: &str, id: &str, class: &str, port: u16) -> String {
    let q = |s: &str| serde_json::to_string(s).expect("json string");
    format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {}\n  namespace: {}\n  annotations:\n    kubernetes.io/elb.id: {}\n    kubernetes.io/elb.class: {}\n    kubernetes.io/elb.multicluster: \"true\"\n    kubernetes.io/elb.multicluster-loadbalancer-weight: \"50\"\nspec:\n  type: LoadBalancer\n  selector: {{app: web}}\n  ports: [{{port: {port}}}]\n",
        q(name),
        q(namespace),
        q(id),
        q(class)
    )
}

const ID: &str = "5083f225-9bf8-48fa-9c8b-67bd9693c4c0";

/// A repository of `base/` and `head/` with these files on each side.
fn sides(base: &[(&str, String)], head: &[(&str, String)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    for (side, files) in [("base", base), ("head", head)] {
        for (name, content) in files {
            let path = dir.path().join(side).join(name);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, content).expect("write");
        }
    }
    let head = dir.path().join("head");
    (dir, head)
}

const LINT: [&str; 6] = ["human", "concise", "json", "github", "sarif", "junit"];
const DIFF: [&str; 4] = ["human", "json", "github", "markdown"];

/// Kustomize's error text quoted the kustomization and was printed raw on standard error in every
/// format: a line `  ::error file=README.md,line=1::...` became a real annotation.
#[cfg(unix)]
#[test]
fn a_renderers_error_text_is_inert_on_standard_error_in_every_format() {
    use std::os::unix::fs::PermissionsExt;
    let forged = "  ::error file=README.md,line=1::All load balancers verified, safe to merge";
    let script = format!(
        "#!/bin/sh\nif [ \"$1\" = version ]; then echo v9.9.9; exit 0; fi\nprintf 'Error: accumulating resources:\\n{forged}\\n##[set-output name=safe]true\\n' >&2\nexit 1\n"
    );
    let good = service("web", "default", ID, "union", 80);
    let (_dir, head) = sides(
        &[("svc.yaml", good.clone())],
        &[
            ("svc.yaml", good),
            (
                "overlay/kustomization.yaml",
                "resources: [svc.yaml]\n".into(),
            ),
            ("overlay/svc.yaml", service("o", "default", ID, "union", 81)),
        ],
    );
    // The stand-in renderer lives outside the repository and is given as the person running
    // lbplan gives one: through LBPLAN_KUSTOMIZE.
    let bin = tempfile::tempdir().expect("tempdir");
    let renderer = bin.path().join("kustomize");
    std::fs::write(&renderer, script).expect("write the renderer");
    std::fs::set_permissions(&renderer, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let mut runs: Vec<(String, Vec<&str>)> = LINT
        .iter()
        .map(|f| (format!("lint {f}"), vec!["lint", "--format", f, "."]))
        .collect();
    runs.push(("plan".into(), vec!["plan", "."]));
    runs.push(("weights".into(), vec!["weights", "."]));
    for f in DIFF {
        runs.push((
            format!("diff {f}"),
            vec!["diff", "--base-root", "../base", "--format", f],
        ));
    }
    for (what, args) in runs {
        let out = lbplan_with(&head, &args, &[("LBPLAN_KUSTOMIZE", renderer.as_path())]);
        assert_eq!(out.status.code(), Some(2), "{what}: the overlay failed");
        let github = args.contains(&"github");
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        let tokens = assert_inert(&format!("{what} stdout"), &stdout, github);
        assert_inert(&format!("{what} stderr"), &stderr, github);
        // What the renderer said is still there to read, escaped: on standard error, or in a
        // GitHub job after the commands on standard output, the one stream the runner reads in
        // order.
        let echoed = if github { &stdout } else { &stderr };
        assert!(
            echoed.contains("\\u{3a}:error file=README.md,line=1::All load balancers verified"),
            "{what}: {echoed}"
        );
        if github {
            // ... between stop-commands, with a token of its own for each run.
            assert_eq!(tokens.len(), 1, "{what}: {stdout}");
            let again = text(&lbplan(&head, &args).stdout);
            let other = assert_inert(&what, &again, true);
            assert_ne!(tokens, other, "{what}: a token per run");
            let inside = stdout
                .split(&format!("::stop-commands::{}", tokens[0]))
                .nth(1)
                .and_then(|rest| rest.split(&format!("::{}::", tokens[0])).next())
                .unwrap_or("");
            assert!(inside.contains("README.md"), "{what}: {stdout}");
            assert!(!stderr.contains("README.md"), "{what}: echoed once");
        }
    }
}

/// A line feed in a file name, an object name, a namespace, an annotation value or an export
/// value was printed raw by `lint`, `plan` and `diff`: a manifest forged whole lines.
#[test]
fn line_feeds_in_names_and_values_forge_no_line() {
    let svc = service(
        "web\nFORGED name",
        "ns\nFORGED namespace",
        &format!("{ID}\nFORGED id"),
        "x\nFORGED class",
        80,
    );
    let other = service("b", "default", &format!("{ID}\nFORGED id"), "union", 80);
    let nodes = "apiVersion: v1\nkind: NodeList\nitems:\n- metadata:\n    name: \"n\\nFORGED node\"\n  status:\n    addresses:\n    - {address: \"10.0.0.1\\nFORGED address\", type: InternalIP}\n    nodeInfo: {kubeletVersion: \"v1.19.16\\nFORGED version\", kubeProxyVersion: v1.19.16}\n";
    let (_dir, head) = sides(
        &[("svc.yaml", service("web", "default", ID, "union", 81))],
        &[
            ("evil\nFORGED file.yaml", format!("{svc}---\n{other}")),
            ("nodes.txt", nodes.to_string()),
        ],
    );
    let export = ["--cluster-export", "nodes.txt"];
    let mut runs: Vec<Vec<&str>> = LINT
        .iter()
        .map(|f| [&["lint", "--format", f][..], &export, &["."]].concat())
        .collect();
    for f in ["table", "json", "yaml"] {
        runs.push([&["plan", "--format", f][..], &export, &["."]].concat());
    }
    runs.push([&["weights"][..], &export, &["."]].concat());
    for f in DIFF {
        runs.push(vec!["diff", "--base-root", "../base", "--format", f]);
    }
    for args in runs {
        let out = lbplan(&head, &args);
        let all = text(&out.stdout) + &text(&out.stderr);
        assert!(
            all.contains("FORGED"),
            "{args:?}: the values are shown: {all}"
        );
        for line in runner_lines(&all) {
            assert!(
                !line.trim_start().starts_with("FORGED"),
                "{args:?}: a forged line: {line:?}\n{all}"
            );
        }
        assert_inert(&format!("{args:?}"), &all, args.contains(&"github"));
    }
}

/// Markdown output rendered images, links and mentions built from manifest values, and a code
/// span did not protect a table cell from `|`.
#[test]
fn markdown_holds_input_only_as_code() {
    let ingress = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: \"i|n`g\"\n  namespace: default\n  annotations:\n    kubernetes.io/elb.id: \"[click](https://evil.example)\"\n    kubernetes.io/elb.class: union\nspec:\n  ingressClassName: cce\n  rules:\n  - host: \"@octocat.example.com\"\n    http:\n      paths:\n      - path: \"/![x](http://evil.example/p.png)|<img src=x>``a`\"\n        pathType: Prefix\n        backend: {service: {name: web, port: {number: 80}}}\n";
    let (_dir, head) = sides(
        &[("svc.yaml", service("web", "default", ID, "union", 80))],
        &[
            (
                "svc.yaml",
                service(
                    "web|x",
                    "default",
                    "www.evil.example @team",
                    "<b>@org/team</b>",
                    80,
                ),
            ),
            ("ing.yaml", ingress.into()),
        ],
    );
    let summary = head.join("summary.md");
    let out = lbplan(
        &head,
        &[
            "diff",
            "--base-root",
            "../base",
            "--format",
            "markdown",
            "--summary",
            summary.to_str().expect("utf-8"),
        ],
    );
    let markdown = text(&out.stdout);
    for shown in ["@octocat", "evil.example/p.png", "@org/team", "[click]"] {
        assert!(
            markdown.contains(shown),
            "{shown} is shown, as code: {markdown}"
        );
    }
    assert_markdown_safe("diff markdown", &markdown);
    assert_markdown_safe(
        "job summary",
        &std::fs::read_to_string(&summary).expect("summary"),
    );
    assert_inert("diff markdown", &markdown, false);
}

/// `--max-bytes` was no bound: `diff --format markdown --max-bytes 60000` wrote 828 KB for 2,000
/// findings, over GitHub's comment limit, so the previous comment stayed on the pull request.
#[test]
fn max_bytes_bounds_the_whole_markdown_report() {
    let services: String = (0..2000)
        .map(|i| service(&format!("web-{i}"), "default", ID, "not-a-class", 80))
        .collect::<Vec<_>>()
        .join("---\n");
    let (_dir, head) = sides(&[("svc.yaml", String::new())], &[("svc.yaml", services)]);
    let summary = head.join("summary.md");
    for budget in [None, Some(60_000), Some(5_000), Some(300), Some(40)] {
        let mut args = vec!["diff", "--base-root", "../base", "--format", "markdown"];
        let budget_arg = budget.map(|b: usize| b.to_string());
        if let Some(b) = &budget_arg {
            args.extend(["--max-bytes", b]);
        }
        let _ = std::fs::remove_file(&summary);
        args.extend(["--summary", summary.to_str().expect("utf-8")]);
        let out = lbplan(&head, &args);
        let markdown = text(&out.stdout);
        let limit = budget.unwrap_or(60_000);
        assert!(
            markdown.len() <= limit,
            "{budget:?}: {} bytes",
            markdown.len()
        );
        assert!(markdown.chars().count() <= 65_536, "GitHub's comment limit");
        let written = std::fs::read_to_string(&summary).expect("summary");
        assert!(
            written.len() <= limit,
            "{budget:?}: summary {}",
            written.len()
        );
        if limit >= 5_000 {
            // Cut, counted, and said at the end of the findings.
            assert!(markdown.contains("**Fails**: "), "{markdown}");
            assert!(
                markdown.contains(" more findings not shown within "),
                "{budget:?}: {}",
                &markdown[markdown.len().saturating_sub(500)..]
            );
            assert_markdown_safe(&format!("{budget:?}"), &markdown);
        }
    }
}

/// Messages quoted whole values: a 100 MB annotation gave a 210 MB SARIF file. A value of 10 MB
/// makes every report at most a few kilobytes larger than a short value does.
#[test]
fn messages_quote_at_most_200_bytes_of_a_value() {
    let huge = "v".repeat(10 << 20);
    let size = |class: &str, format: &str| {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("svc.yaml"),
            service("web", "default", ID, class, 80),
        )
        .expect("write");
        let out = lbplan(dir.path(), &["lint", "--format", format, "."]);
        assert_eq!(out.status.code(), Some(1), "{format}: LB011");
        text(&out.stdout)
    };
    for format in LINT {
        let small = size("vvv", format);
        let large = size(&huge, format);
        assert!(
            large.len() < small.len() + 2_000,
            "{format}: {} bytes against {}",
            large.len(),
            small.len()
        );
        // (Human output wraps the message: the length may start a line of its own.)
        assert!(
            large.contains(&format!("… ({}", huge.len()))
                || large.contains(&huge.len().to_string()),
            "{format}: the cut says the full length: {large}"
        );
    }
    let json: serde_json::Value = serde_json::from_str(&size(&huge, "json")).expect("json");
    for f in json["findings"].as_array().expect("findings") {
        assert_message_bounded("lint json", f["message"].as_str().unwrap_or(""));
    }
}

/// `lbplan diff` in a colour terminal printed its colour codes as text (`\u{1b}[33;1m...`): the
/// escaping ran over coloured text. Input is escaped first and colour added after: `+` green,
/// `-` red, `~` yellow.
#[test]
fn diff_in_colour_prints_colour_codes_and_escapes_input() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/diff-repos/shop/head");
    let out = lbplan(
        &root,
        &["--color", "always", "diff", "--base-root", "../base"],
    );
    let stdout = text(&out.stdout);
    assert!(!stdout.contains("\\u{1b}"), "colour as text: {stdout}");
    for sign in [
        "\u{1b}[32m+\u{1b}[0m",
        "\u{1b}[31m-\u{1b}[0m",
        "\u{1b}[33m~\u{1b}[0m",
    ] {
        assert!(stdout.contains(sign), "{sign:?}: {stdout}");
    }
    // An escape character in the input is still shown as text, colour or not.
    let (_dir, head) = sides(
        &[("svc.yaml", service("web", "default", ID, "union", 80))],
        &[("svc.yaml", service("web", "default", ID, "\u{1b}[2Jx", 80))],
    );
    let out = lbplan(
        &head,
        &["--color", "always", "diff", "--base-root", "../base"],
    );
    let stdout = text(&out.stdout);
    assert!(stdout.contains("\\u{1b}[2Jx"), "{stdout}");
    assert!(!stdout.contains("\u{1b}[2J"), "{stdout}");
}
