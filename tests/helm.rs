//! The binary on the Helm charts of `fixtures/helm/`, rendered by the real helm: findings on the
//! template and values lines the user wrote (`# expect:` and `# related:` comments), plans with
//! per-cluster values, hooks and release namespaces, and charts that do not render summed up in
//! one note. (`src/helm/locate/tests.rs` tests the locating beneath, without helm.)
//!
//! Each test needs helm on PATH; without it, it prints a `SKIPPED:` line, or fails where
//! `LBPLAN_REQUIRE_HELM` is set (`.ci/run`, after `scripts/install-helm`).

mod common;

use common::helm::{helm, json, lbplan, markers, placed, root};
use serde_json::Value;

fn fixture(name: &str) -> std::path::PathBuf {
    root().join("fixtures/helm").join(name)
}

/// `lbplan lint --format json` of a fixture from the repository's root: exit code and report.
fn lint(dir: &str, extra: &[&str]) -> (Option<i32>, Value) {
    let temp = tempfile::tempdir().expect("temp");
    let mut args = vec!["lint", "--format", "json"];
    args.extend_from_slice(extra);
    args.push(dir);
    let out = lbplan(root(), temp.path(), &args, &[]);
    assert!(
        common::scratch::empty(temp.path()),
        "the temporary folder is left empty"
    );
    (out.status.code(), json(&out))
}

/// The load balancers of a plan: (id, [(port, [objects], [(group, pods)])]).
type Planned = Vec<(String, Vec<(u64, Vec<String>, Vec<(String, u64)>)>)>;

fn planned(plan: &Value) -> Planned {
    plan["load_balancers"]
        .as_array()
        .expect("load balancers")
        .iter()
        .map(|lb| {
            let listeners = lb["listeners"]
                .as_array()
                .expect("listeners")
                .iter()
                .map(|l| {
                    let objects = l["objects"]
                        .as_array()
                        .expect("objects")
                        .iter()
                        .map(|o| o.as_str().expect("object").to_string())
                        .collect();
                    let groups = l["groups"]
                        .as_array()
                        .expect("groups")
                        .iter()
                        .map(|g| {
                            let name = g["name"].as_str().expect("name").to_string();
                            (name, g["pods"].as_u64().unwrap_or(0))
                        })
                        .collect();
                    (l["port"].as_u64().expect("port"), objects, groups)
                })
                .collect();
            (lb["id"].as_str().expect("id").to_string(), listeners)
        })
        .collect()
}

#[test]
fn findings_land_on_the_template_and_values_lines() {
    if helm("findings_land_on_the_template_and_values_lines").is_none() {
        return;
    }
    // A literal annotation in a template; values written into one with toYaml | nindent; a
    // dependency (aliased) whose value its parent's values set; a library's define.
    for name in ["literal", "values-driven", "subchart", "library"] {
        let dir = format!("fixtures/helm/{name}");
        let (code, report) = lint(&dir, &[]);
        let (primary, related) = placed(&report);
        assert_eq!(
            primary,
            markers(&fixture(name), root(), "# expect:"),
            "{name}"
        );
        assert_eq!(
            related,
            markers(&fixture(name), root(), "# related:"),
            "{name}"
        );
        let errors = primary.iter().any(|(_, _, c)| c == "LB011") && name != "library";
        assert_eq!(code, Some(i32::from(errors)), "{name}: {report}");
        // The chart rendered: no note about charts not rendered.
        let notes = report["notes"].to_string();
        assert!(!notes.contains("not rendered"), "{name}: {notes}");
    }
}

#[test]
fn hooks_are_linted_never_planned_and_the_plan_says_what_rendered() {
    if helm("hooks_are_linted_never_planned_and_the_plan_says_what_rendered").is_none() {
        return;
    }
    let temp = tempfile::tempdir().expect("temp");
    let out = lbplan(
        root(),
        temp.path(),
        &["plan", "--format", "json", "fixtures/helm/literal"],
        &[],
    );
    let plan = json(&out);
    // The hook Pod carries the Deployment's labels: it is no target of the Service.
    assert_eq!(
        planned(&plan),
        [(
            "5083f225-9bf8-48fa-9c8b-67bd9693c4c0".to_string(),
            vec![(
                80,
                vec!["default:Service/default/literal-web".to_string()],
                vec![("default".to_string(), 2)]
            )]
        )]
    );
    let assumptions = plan["assumptions"].to_string();
    for words in [
        "Helm charts rendered with helm v3.",
        "Helm chart fixtures/helm/literal rendered as release literal in namespace default with values fixtures/helm/literal/values.yaml",
        "--kube-version v1.31.0, the default for a cluster of unknown version): 3 objects, 1 of them a hook (not planned)",
    ] {
        assert!(assumptions.contains(words), "{words}: {assumptions}");
    }
}

#[test]
fn each_cluster_renders_with_its_values_files() {
    if helm("each_cluster_renders_with_its_values_files").is_none() {
        return;
    }
    let dir = fixture("per-cluster");
    let temp = tempfile::tempdir().expect("temp");
    let out = lbplan(&dir, temp.path(), &["lint", "--format", "json"], &[]);
    let report = json(&out);
    let (primary, related) = placed(&report);
    assert_eq!(primary, markers(&dir, &dir, "# expect:"));
    assert_eq!(related, markers(&dir, &dir, "# related:"));
    assert_eq!(out.status.code(), Some(1));
    // The values files are inputs of the renders, not manifests under no cluster.
    assert_eq!(report["notes"], serde_json::json!([]), "{report}");
    let out = lbplan(&dir, temp.path(), &["plan", "--format", "json"], &[]);
    // hk: its values file's ELB, port 443 (its version, v1.28.8-r0-CCE23.3.1, passes the
    // chart's `semverCompare ">=1.25.0"` once the CCE build is removed); sg: the ELB of the
    // last values file, port 80 (v1.23.9), the replicas of `set`; both in namespace shop.
    assert_eq!(
        planned(&json(&out)),
        [
            (
                "11111111-1111-4111-8111-111111111111".to_string(),
                vec![(
                    443,
                    vec!["hk:Service/shop/web".to_string()],
                    vec![("hk".to_string(), 1)]
                )]
            ),
            (
                "22222222-2222-4222-8222-222222222222".to_string(),
                vec![(
                    80,
                    vec!["sg:Service/shop/web-sg".to_string()],
                    vec![("sg".to_string(), 3)]
                )]
            )
        ]
    );
}

#[test]
fn a_load_balancer_a_value_turns_on() {
    if helm("a_load_balancer_a_value_turns_on").is_none() {
        return;
    }
    let temp = tempfile::tempdir().expect("temp");
    let plan = |extra: &[&str]| {
        let mut args = vec!["plan", "--format", "json"];
        args.extend_from_slice(extra);
        args.push("fixtures/helm/conditional");
        json(&lbplan(root(), temp.path(), &args, &[]))
    };
    // Its defaults: a ClusterIP Service, no load balancer.
    assert_eq!(planned(&plan(&[])), []);
    let published = plan(&["--config", "fixtures/helm/conditional.lbplan.yaml"]);
    assert_eq!(
        planned(&published),
        [(
            "3c9d2e1f-8a7b-4c6d-9e0f-1a2b3c4d5e6f".to_string(),
            vec![(
                80,
                vec!["default:Service/default/conditional".to_string()],
                vec![("default".to_string(), 0)]
            )]
        )]
    );
}

#[test]
fn charts_that_do_not_render_are_one_note_and_listed_in_json() {
    if helm("charts_that_do_not_render_are_one_note_and_listed_in_json").is_none() {
        return;
    }
    let (code, report) = lint("fixtures/helm", &[]);
    // The charts that rendered bring their findings; those that failed change no exit code.
    assert_eq!(code, Some(1), "{report}");
    let notes: Vec<&str> = report["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .filter_map(Value::as_str)
        .filter(|n| n.contains("Helm chart"))
        .collect();
    assert_eq!(
        notes,
        [
            "2 of 10 Helm charts failed with their default values and are not linted (--verbose or --format json says why; name a chart in clusters[].helm with the values it is deployed with); 2 of them hold load-balancer annotations (fixtures/helm/missing-dependency, fixtures/helm/required)"
        ]
    );
    let charts = report["charts"].as_array().expect("charts");
    let record = |chart: &str| {
        charts
            .iter()
            .find(|c| c["chart"] == chart)
            .unwrap_or_else(|| panic!("{chart}: {charts:?}"))
    };
    let missing = record("fixtures/helm/missing-dependency");
    assert_eq!(missing["rendered"], false);
    assert!(
        missing["error"]
            .as_str()
            .is_some_and(|e| e.contains("missing in charts/ directory: redis"))
    );
    let required = record("fixtures/helm/required");
    assert!(required["error"].as_str().is_some_and(|e| {
        e.contains("(fixtures/helm/required/templates/service.yaml:7:29): elbId is required")
    }));
    assert_eq!(required["load_balancer_annotations"], true);
    let library = record("fixtures/helm/library/charts/common");
    assert_eq!(library["release"], Value::Null);
    assert!(
        library["reason"]
            .as_str()
            .is_some_and(|r| r.starts_with("a library chart"))
    );
    let rendered = record("fixtures/helm/per-cluster/charts/web");
    assert_eq!(
        (&rendered["rendered"], &rendered["objects"]),
        (&Value::Bool(true), &Value::from(2))
    );
}

#[test]
fn without_rendering_plan_says_how_many_charts_were_not_rendered() {
    // Needs no helm: nothing runs.
    let temp = tempfile::tempdir().expect("temp");
    let out = lbplan(
        root(),
        temp.path(),
        &[
            "plan",
            "--no-render",
            "fixtures/helm/literal",
            "fixtures/helm/subchart",
        ],
        &[],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("No load balancers planned: no LoadBalancer found in the read files; 2 Helm charts were not rendered."),
        "{text}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("note: 2 Helm charts not rendered (--no-render): their templates are not linted; 2 of them hold load-balancer annotations (fixtures/helm/literal, fixtures/helm/subchart)"),
        "{stderr}"
    );
    // No helm at all: the same, with how to get one.
    let out = lbplan(
        root(),
        temp.path(),
        &["lint", "fixtures/helm/literal"],
        &[("PATH", "/nonexistent")],
    );
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("1 Helm chart not rendered: helm not found (install helm, or --no-render)"),
        "{text}"
    );
}

#[test]
fn a_chart_is_rendered_for_a_version_its_kube_version_accepts() {
    if helm("a_chart_is_rendered_for_a_version_its_kube_version_accepts").is_none() {
        return;
    }
    // The cluster's version unknown: the newest version the chart accepts, not the default it
    // refuses.
    let (code, report) = lint("fixtures/helm/kube-version", &[]);
    assert_eq!(code, Some(0), "{report}");
    let chart = &report["charts"][0];
    assert_eq!(chart["rendered"], true, "{report}");
    let temp = tempfile::tempdir().expect("temp");
    let out = lbplan(
        root(),
        temp.path(),
        &["plan", "--format", "json", "fixtures/helm/kube-version"],
        &[],
    );
    let plan = json(&out);
    assert!(
        plan.to_string().contains("--kube-version v1.22.0"),
        "{plan}"
    );
    let ports: Vec<u64> = planned(&plan)
        .into_iter()
        .flat_map(|(_, listeners)| listeners.into_iter().map(|(port, _, _)| port))
        .collect();
    assert_eq!(ports, [8080], "rendered for 1.22: {plan}");
    // A known version the chart refuses is never replaced: helm's refusal is reported.
    let (code, report) = lint(
        "fixtures/helm/kube-version",
        &["--config", "fixtures/helm/kube-version.lbplan.yaml"],
    );
    assert_eq!(
        code,
        Some(0),
        "a detected chart's failure leaves the exit code: {report}"
    );
    let chart = &report["charts"][0];
    assert_eq!(chart["rendered"], false, "{report}");
    assert!(
        chart["error"]
            .as_str()
            .is_some_and(|e| e.contains("incompatible with Kubernetes v1.28.3")),
        "{report}"
    );
}

#[test]
fn a_literal_port_among_several_is_found_by_its_value() {
    if helm("a_literal_port_among_several_is_found_by_its_value").is_none() {
        return;
    }
    // Two Services on one CLB, each template writing two `port:` lines: the conflict points at
    // the very `port: 443` lines, not at the objects.
    let (code, report) = lint("fixtures/helm/shared-listener", &[]);
    assert_eq!(code, Some(1), "{report}");
    let (primary, related) = placed(&report);
    let only = |marks: common::helm::Marks| -> common::helm::Marks {
        marks.into_iter().filter(|(_, _, c)| c == "LB101").collect()
    };
    let dir = fixture("shared-listener");
    assert_eq!(
        only(primary),
        markers(&dir, root(), "# expect:"),
        "{report}"
    );
    assert_eq!(
        only(related),
        markers(&dir, root(), "# related:"),
        "{report}"
    );
}
