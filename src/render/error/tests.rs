//! Why an overlay did not render: the renderer's words, cleaned, and the way forward.

use super::*;

#[test]
fn stderr_keeps_the_message_not_the_log_header() {
    let kubectl = "# Warning: 'commonLabels' is deprecated.\nE1130 11:39:33.956437   22866 run.go:72] \"command failed\" err=<\n\taccumulating resources: could not fetch github.com/x\n\t: exit status 128\n >\n";
    assert_eq!(
        stderr_head(kubectl),
        [
            "accumulating resources: could not fetch github.com/x",
            ": exit status 128"
        ]
    );
    assert_eq!(
        stderr_head("# Warning: only this\n"),
        ["# Warning: only this"]
    );
    let long = format!("{}the cause", "é".repeat(1000));
    let short = &stderr_head(&long)[0];
    assert!(short.len() <= 200 + " …  (2009 bytes)".len(), "{short}");
    assert!(short.starts_with("éé"));
    assert!(short.ends_with("the cause (2009 bytes)"), "{short}");
    let one_line = "E1130 11:52:25.443142    8273 run.go:72] \"command failed\" err=\"map[\\\"a\\\"]: json: unsupported type\"";
    assert_eq!(
        stderr_head(one_line),
        ["map[\"a\"]: json: unsupported type"]
    );
    let wrapped = "accumulating resources: accumulation err='accumulating resources from '../../repo/o': '/repo/o' must resolve to a file': recursed accumulation of path '/repo/o': accumulating resources: missing base\n";
    assert_eq!(
        stderr_head(wrapped),
        ["accumulating resources: missing base"]
    );
}

#[test]
fn a_failure_says_its_innermost_cause_and_the_way_forward() {
    let dump = "E1130 11:52:25.443142    8273 run.go:72] \"command failed\" err=\"map[string]interface {}{\\\"apiVersion\\\":\\\"v1\\\", \\\"data\\\":map[interface {}]interface {}{30022:\\\"download/repo:22\\\"}, \\\"kind\\\":\\\"ConfigMap\\\", \\\"metadata\\\":map[string]interface {}{\\\"annotations\\\":map[string]interface {}{\\\"config.kubernetes.io/origin\\\":\\\"path: ../../tmp/lbplan-kustomize-x/base.yaml\\\"}, \\\"name\\\":\\\"tcp-services\\\", \\\"namespace\\\":\\\"ingress-nginx\\\"}}: json: unsupported type: map[interface {}]interface {}\"";
    let (lines, hint) = explain(dump, &[], &[]);
    assert_eq!(
        lines,
        [
            "ConfigMap ingress-nginx/tcp-services: json: unsupported type: map[interface {}]interface {}"
        ]
    );
    assert!(hint.is_some_and(|h| h.contains("quote the key")));
    let offline = "Error: accumulating resources: accumulation err='accumulating resources from 'https://github.com/x/app?ref=stable': Get \"https://github.com/x/app\": dial tcp: lookup github.com: no such host': failed to run '/usr/bin/git fetch --depth=1 https://github.com/x/app stable': fatal: unable to access 'https://github.com/x/app/': Could not resolve host: github.com\n: exit status 128\n";
    let (lines, hint) = explain(
        offline,
        &[],
        &["https://github.com/x/app?ref=stable".into()],
    );
    assert_eq!(
        lines,
        ["fatal: unable to access 'https://github.com/x/app/': Could not resolve host: github.com"]
    );
    let hint = hint.unwrap_or_default();
    assert!(
        hint.contains("https://github.com/x/app?ref=stable") && hint.contains("--no-render"),
        "{hint}"
    );
    let temp = "Error: '/tmp/lbplan-kustomize-ab/0/../../repo/o/x.yaml' must resolve to a file\n";
    let (lines, _) = explain(
        temp,
        &[("/tmp/lbplan-kustomize-ab/0/../../repo/o".into(), "o".into())],
        &[],
    );
    assert_eq!(lines, ["Error: 'o/x.yaml' must resolve to a file"]);
    // A line that only announces the next is no cause.
    let (lines, _) = explain(
        "Error: accumulating resources:\n  missing base x\n",
        &[],
        &[],
    );
    assert_eq!(lines, ["missing base x"]);
}

#[test]
fn errors_name_the_overlay_and_what_the_renderer_said() {
    let e = RenderError {
        overlay: "overlays/prod".into(),
        kustomization: None,
        failure: RenderFailure::Failed {
            command: "kubectl kustomize overlays/prod".into(),
            status: "exit status: 1".into(),
            stderr: vec!["accumulating resources: missing base".into()],
            hint: None,
        },
    };
    assert_eq!(
        e.to_string(),
        "Kustomize overlay overlays/prod did not render: `kubectl kustomize overlays/prod` failed (exit status: 1)\n  accumulating resources: missing base"
    );
}
