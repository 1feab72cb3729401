//! A first `lbplan lint .` and `lbplan plan .`, with no config, on repositories whose Argo CD and
//! Flux objects say which folder or chart goes to which cluster and namespace
//! (`fixtures/gitops/`, each copied to a temporary folder outside any git work tree): the
//! clusters and where each comes from, the exact findings and notes, and the load balancers
//! planned (their keys name cluster and namespace). Then `lbplan init` writes the config, and
//! `lbplan lint .` with it gives the same answer.
//!
//! The repository whose Applications deploy a Kustomize base needs `kustomize` or `kubectl` on
//! PATH; without either it is skipped with a `SKIPPED:` line on standard error.

use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};

use serde_json::Value;

mod common;

fn repository(name: &str) -> tempfile::TempDir {
    common::fixture_copy("gitops", name)
}

fn lbplan(dir: &Path, args: &[&str]) -> Output {
    common::binary()
        .args(args)
        .current_dir(dir)
        .env("TMPDIR", std::env::temp_dir())
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .env_remove("LBPLAN_KUSTOMIZE")
        .stdin(Stdio::null())
        .output()
        .expect("run lbplan")
}

use common::json_output as json;

/// What a run says: the exit code of `lint .`, the clusters (`name:source`), the findings
/// (`CODE file:line object in cluster`), the notes, and the load balancers of `plan .`.
#[derive(Debug, PartialEq)]
struct FirstRun {
    exit: i32,
    clusters: Vec<String>,
    findings: Vec<String>,
    notes: Vec<String>,
    load_balancers: Vec<String>,
}

fn texts(value: &Value, map: impl Fn(&Value) -> String) -> Vec<String> {
    value.as_array().into_iter().flatten().map(map).collect()
}

fn first_run(dir: &Path) -> FirstRun {
    let lint = lbplan(dir, &["lint", "--format", "json", "."]);
    let report = json(&lint);
    let errors = texts(&report["errors"], ToString::to_string);
    assert!(errors.is_empty(), "{errors:?}");
    let plan = json(&lbplan(dir, &["plan", "--format", "json", "."]));
    FirstRun {
        exit: lint.status.code().unwrap_or(-1),
        clusters: texts(&report["clusters"], |c| {
            format!(
                "{}:{}",
                c["name"].as_str().unwrap_or(""),
                c["source"].as_str().unwrap_or("")
            )
        }),
        findings: texts(&report["findings"], |f| {
            format!(
                "{} {}:{} {} in {}",
                f["code"].as_str().unwrap_or(""),
                f["file"].as_str().unwrap_or(""),
                f["line"],
                f["object"].as_str().unwrap_or("-"),
                f["cluster"].as_str().unwrap_or("-")
            )
        }),
        notes: texts(&report["notes"], |n| n.as_str().unwrap_or("").to_string()),
        load_balancers: texts(&plan["load_balancers"], |lb| {
            let listeners = texts(&lb["listeners"], |l| {
                let objects = texts(&l["objects"], |o| o.as_str().unwrap_or("").to_string());
                format!(
                    "{}:{} {}",
                    l["protocol"].as_str().unwrap_or(""),
                    l["port"],
                    objects.join(",")
                )
            });
            format!(
                "{} [{}]",
                lb["id"].as_str().unwrap_or(""),
                listeners.join("; ")
            )
        }),
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(ToString::to_string).collect()
}

/// `lbplan init` writes `.lbplan.yaml`; `lbplan lint .` with it finds what it found without it
/// (its clusters now come from the config), and plans the same load balancers.
fn init_keeps_the_answer(dir: &Path, before: &FirstRun) {
    let init = lbplan(dir, &["init"]);
    assert_eq!(
        init.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let written = std::fs::read_to_string(dir.join(".lbplan.yaml")).expect("written");
    let after = first_run(dir);
    assert_eq!(
        (after.exit, &after.findings, &after.load_balancers),
        (before.exit, &before.findings, &before.load_balancers),
        "{written}"
    );
    let names = |run: &FirstRun| -> Vec<String> {
        run.clusters
            .iter()
            .map(|c| c.split(':').next().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(names(&after), names(before), "{written}");
    assert!(
        after.clusters.iter().all(|c| c.ends_with(":config")),
        "{:?}",
        after.clusters
    );
    // Never replaced.
    let again = lbplan(dir, &["init"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains(".lbplan.yaml is there already"));
}

/// Whether helm is on PATH: the tests of Helm releases need it, and say `SKIPPED:` without it
/// (they fail instead where `LBPLAN_REQUIRE_HELM` is set, as in `.ci/run`).
fn helm_or_skip(test: &str) -> bool {
    let path = std::env::var_os("PATH").unwrap_or_default();
    if std::env::split_paths(&path).any(|d| d.join("helm").is_file()) {
        return true;
    }
    assert!(
        std::env::var_os("LBPLAN_REQUIRE_HELM").is_none(),
        "{test}: helm is not on PATH"
    );
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED: tests/gitops.rs {test}: helm is not on PATH"
    );
    false
}

const ELB: &str = "5083f225-9bf8-48fa-9c8b-67bd9693c4c0";

fn version_note(cluster: &str, objects: usize) -> String {
    let count = if objects == 1 {
        "1 object".to_string()
    } else {
        format!("{objects} objects")
    };
    let at = if cluster.is_empty() {
        String::new()
    } else {
        format!(" in cluster {cluster}")
    };
    format!(
        "not checked{at}: Kubernetes version unknown for LB304 ({count}; set --k8s-version or clusters[].version, such as v1.28.8-r0)"
    )
}

/// An app of apps: the root Application deploys three, into two clusters (a name and the
/// in-cluster server) and two namespaces. One folder of Services is deployed to both clusters:
/// its hard-coded ELB is claimed across clusters (LB201); in `prod`, two namespaces claim one
/// listener (LB101). Nothing advises one cluster per folder.
#[test]
fn an_app_of_apps_gives_clusters_and_namespaces() {
    let dir = repository("argocd-app-of-apps");
    let run = first_run(dir.path());
    assert_eq!(
        run,
        FirstRun {
            exit: 1,
            clusters: strings(&["in-cluster:argocd", "prod:argocd"]),
            findings: strings(&[
                "LB201 apps/api/service.yaml:14 Service/api/api in prod",
                "LB101 apps/web/service.yaml:14 Service/web/web in prod",
                "LB201 apps/web/service.yaml:14 Service/web/web in prod",
                "LB201 apps/web/service.yaml:14 Service/web/web in in-cluster",
            ]),
            notes: vec![
                "GitOps sources of https://git.example.com/platform/deploy.git are read from this repository (the paths they name exist here)".to_string(),
                version_note("in-cluster", 1),
                version_note("prod", 2),
            ],
            load_balancers: vec![format!(
                "{ELB} [TCP:80 in-cluster:Service/web/web,prod:Service/api/api,prod:Service/web/web]"
            )],
        }
    );
    init_keeps_the_answer(dir.path(), &run);
}

/// A list generator: one Application per element, each its own cluster (by its server's host),
/// each with its own auto-created load balancer.
#[test]
fn an_applicationset_list_generator_gives_one_cluster_per_element() {
    let dir = repository("appset-list");
    let run = first_run(dir.path());
    assert_eq!(
        run,
        FirstRun {
            exit: 0,
            clusters: strings(&["hk.k8s.example.com:argocd", "sg.k8s.example.com:argocd"]),
            findings: Vec::new(),
            notes: vec![
                "GitOps sources of git@git.example.com:platform/deploy.git are read from this repository (the paths they name exist here)".to_string(),
                version_note("hk.k8s.example.com", 1),
                version_note("sg.k8s.example.com", 1),
            ],
            load_balancers: strings(&[
                "auto:hk.k8s.example.com/shop/shop [TCP:443 hk.k8s.example.com:Service/shop/shop]",
                "auto:sg.k8s.example.com/shop/shop [TCP:443 sg.k8s.example.com:Service/shop/shop]",
            ]),
        }
    );
    init_keeps_the_answer(dir.path(), &run);
}

/// A git directory generator (Go templates): one Application per folder of `apps/`, in the
/// namespace of its name; the excluded folder is deployed by nothing and falls back to the
/// cluster `default`.
#[test]
fn an_applicationset_git_directory_generator_gives_a_namespace_per_folder() {
    let dir = repository("appset-git-directories");
    let run = first_run(dir.path());
    assert_eq!(
        run,
        FirstRun {
            exit: 0,
            clusters: strings(&["in-cluster:argocd", "default:unclaimed"]),
            findings: strings(&[
                "LB103 apps/api/service.yaml:6 Service/api/api in in-cluster",
                "LB103 apps/web/service.yaml:6 Service/web/web in in-cluster",
            ]),
            notes: strings(&[
                "GitOps sources of https://git.example.com/platform/deploy.git are read from this repository (the paths they name exist here)",
            ]),
            load_balancers: strings(&[
                "lb-0legacy1 [TCP:80 default:Service/legacy/legacy]",
                "lb-6bfa8g2k [TCP:80 in-cluster:Service/web/web; TCP:8080 in-cluster:Service/api/api]",
            ]),
        }
    );
    init_keeps_the_answer(dir.path(), &run);
}

/// A multi-source Application: the chart of one source, with a `$values` file of the ref
/// source, a release name and a parameter; a second Application releases the same chart in
/// another cluster (release name: the Application's; values file relative to the source's path).
/// Each release is rendered by helm with its values: prod's ELB comes from the `$values` file;
/// staging's values leave the ID empty (LB026 at the chart's values line).
#[test]
fn a_multi_source_application_renders_its_release_with_its_values() {
    if !helm_or_skip("a_multi_source_application_renders_its_release_with_its_values") {
        return;
    }
    let dir = repository("argocd-multi-source");
    let run = first_run(dir.path());
    assert_eq!(
        run,
        FirstRun {
            exit: 0,
            clusters: strings(&["prod:argocd", "staging:argocd"]),
            findings: strings(&[
                "LB029 charts/web/templates/service.yaml:9 Service/shop/web-staging in staging",
                "LB026 charts/web/values.yaml:3 Service/shop/web-staging in staging",
            ]),
            notes: vec![
                "GitOps sources of https://git.example.com/platform/charts.git, https://git.example.com/platform/values.git are read from this repository (the paths they name exist here)".to_string(),
                version_note("prod", 1),
                version_note("staging", 1),
            ],
            load_balancers: strings(&[
                "7a1c5f0e-3b2d-4c8e-9f10-2a3b4c5d6e7f [TCP:80 prod:Service/shop/shop-web]",
            ]),
        }
    );
    init_keeps_the_answer(dir.path(), &run);
}

/// Flux: each bootstrap folder is a cluster; its Kustomization deploys one plain folder into
/// namespace `shop`, the ELB ID substituted from `postBuild.substitute` (prod) or from a
/// ConfigMap of the repository (staging). The object that opts out keeps its placeholder.
#[test]
fn flux_kustomizations_substitute_the_elb_id_per_cluster() {
    let dir = repository("flux-substitute");
    let run = first_run(dir.path());
    assert_eq!(
        run,
        FirstRun {
            exit: 0,
            clusters: strings(&["prod:flux", "staging:flux"]),
            findings: strings(&[
                "LB026 apps/base/debug-service.yaml:10 Service/shop/web-debug in prod",
                "LB026 apps/base/debug-service.yaml:10 Service/shop/web-debug in staging",
            ]),
            notes: vec![
                "GitOps sources of ssh://git@github.com/acme/fleet are read from this repository (the paths they name exist here)".to_string(),
                version_note("prod", 2),
                version_note("staging", 2),
            ],
            load_balancers: strings(&[
                "3c0e6f36-8a1d-4b2f-9c3e-5d7a9b1c2e4f [TCP:80 prod:Service/shop/web]",
                "9f8e7d6c-5b4a-4392-8a1b-0c9d8e7f6a5b [TCP:80 staging:Service/shop/web]",
                "placeholder:prod/shop/web-debug [TCP:9000 prod:Service/shop/web-debug]",
                "placeholder:staging/shop/web-debug [TCP:9000 staging:Service/shop/web-debug]",
            ]),
        }
    );
    init_keeps_the_answer(dir.path(), &run);
}

/// A HelmRelease of a chart of this repository, rendered by helm with its release, namespace,
/// values files (the ELB ID from values-prod.yaml), ConfigMap and inline values. A chart of an OCI repository
/// gets a note naming it; a HelmRelease fragment (a patch's, no chart) none.
#[test]
fn a_helm_release_with_a_local_chart_renders_with_its_values() {
    if !helm_or_skip("a_helm_release_with_a_local_chart_renders_with_its_values") {
        return;
    }
    let dir = repository("flux-helmrelease");
    let run = first_run(dir.path());
    assert_eq!(
        run,
        FirstRun {
            exit: 0,
            clusters: strings(&["prod:flux"]),
            findings: Vec::new(),
            notes: vec![
                "GitOps sources of ssh://git@github.com/acme/fleet are read from this repository (the paths they name exist here)".to_string(),
                "HelmRelease ingress/ingress (apps/prod/ingress.yaml:2): its chart (OCIRepository ingress-nginx, spec.chartRef) comes from outside this repository: not rendered".to_string(),
                version_note("", 1),
            ],
            load_balancers: strings(&[
                "1d2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d [TCP:80 prod:Service/shop/web]",
            ]),
        }
    );
    init_keeps_the_answer(dir.path(), &run);
}

/// A config with `clusters:` wins: the Applications are not read (one note), and the folders
/// are the config's one cluster, namespaces as the files say.
#[test]
fn a_config_with_clusters_wins_over_gitops_objects() {
    let dir = repository("config-and-gitops");
    let run = first_run(dir.path());
    assert_eq!(
        run,
        FirstRun {
            exit: 1,
            clusters: strings(&["prod:config"]),
            findings: strings(&["LB101 apps/web/service.yaml:14 Service/default/web in prod"]),
            notes: vec![
                "GitOps objects not read for clusters (4 Application): the clusters of .lbplan.yaml are used instead".to_string(),
                version_note("", 2),
            ],
            load_balancers: vec![format!(
                "{ELB} [TCP:80 prod:Service/default/api,prod:Service/default/web]"
            )],
        }
    );
}

/// Eight Applications deploy one Kustomize base into eight namespaces of one cluster (one with
/// `kustomize.namespace` over its destination's, one naming `in-cluster` where the others give
/// its server): eight load balancers, one per namespace, and no advice to configure eight
/// clusters (what a run without GitOps objects advised on the public repository of this shape).
#[test]
fn eight_applications_of_one_base_are_one_cluster() {
    let path = std::env::var_os("PATH").unwrap_or_default();
    if !std::env::split_paths(&path)
        .any(|d| d.join("kustomize").is_file() || d.join("kubectl").is_file())
    {
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: tests/gitops.rs eight_applications_of_one_base_are_one_cluster: neither kustomize nor kubectl is on PATH"
        );
        return;
    }
    let dir = repository("argocd-kustomize-namespaces");
    let run = first_run(dir.path());
    assert_eq!(
        run,
        FirstRun {
            exit: 0,
            clusters: strings(&["in-cluster:argocd"]),
            findings: Vec::new(),
            notes: vec![
                "GitOps sources of https://git.example.com/platform/deploy.git are read from this repository (the paths they name exist here)".to_string(),
                version_note("", 8),
            ],
            load_balancers: ["a", "b", "c", "d", "e", "f", "g", "h"]
                .iter()
                .map(|t| {
                    format!(
                        "auto:in-cluster/team-{t}/gateway [TCP:443 in-cluster:Service/team-{t}/gateway]"
                    )
                })
                .collect(),
        }
    );
    init_keeps_the_answer(dir.path(), &run);
}

/// Two Applications deploy one Service, from two folders, into one namespace of one cluster:
/// Argo CD applies one object, so the plan has one listener (the copy read last) and the note
/// says why, without advising clusters[].paths. Every file is deployed or is an Application, so
/// the cluster of the rest is left out, and with it any planning by folder.
#[test]
fn one_object_from_two_folders_is_one_object() {
    let dir = repository("argocd-one-object-two-folders");
    let run = first_run(dir.path());
    assert_eq!(
        run,
        FirstRun {
            exit: 0,
            clusters: strings(&["prod:argocd"]),
            findings: Vec::new(),
            notes: vec![
                "GitOps sources of https://git.example.com/platform/deploy.git are read from this repository (the paths they name exist here)".to_string(),
                "Service/shop/web is defined 2 times in cluster prod, in 2 folders (first apps/blue/service.yaml:3): GitOps objects deploy these folders into the same cluster and namespace, so Argo CD or Flux applies one object (the copy synced last), and the plan uses only apps/green/service.yaml:3".to_string(),
                version_note("", 2),
            ],
            load_balancers: vec![format!("{ELB} [TCP:8080 prod:Service/shop/web]")],
        }
    );
    init_keeps_the_answer(dir.path(), &run);
}

/// Sources outside this repository (a chart repository, an OCI registry, another repository's
/// folder, a path that climbs out, a Flux OCI artifact) and generators that ask Argo CD or a
/// service (clusters, pullRequest): one note each, and no cluster of their own; the one source
/// of this repository gives the one cluster.
#[test]
fn sources_outside_and_generators_not_known_offline_are_noted() {
    let dir = repository("argocd-outside");
    let run = first_run(dir.path());
    assert_eq!(
        run,
        FirstRun {
            exit: 0,
            clusters: strings(&["prod:argocd"]),
            findings: Vec::new(),
            notes: [
                "GitOps sources of https://git.example.com/platform/deploy.git are read from this repository (the paths they name exist here)",
                "ApplicationSet argocd/fleet (argocd/generators.yaml:2): its clusters generator lists Argo CD's cluster Secrets, which are not in the repository: the Applications it generates are not known offline",
                "ApplicationSet argocd/previews (argocd/generators.yaml:24): its pullRequest generator asks a service lbplan does not call: the Applications it generates are not known offline",
                "Application argocd/ingress (argocd/outside.yaml:3): the Helm chart ingress-nginx of the chart repository https://kubernetes.github.io/ingress-nginx is outside this repository: not linted",
                "Application argocd/metrics (argocd/outside.yaml:17): the OCI source oci://registry.example.com/charts/metrics is outside this repository: not linted",
                "Application argocd/billing (argocd/outside.yaml:31): the source path deploy/prod of https://git.example.com/billing/deploy.git is not a folder of this repository: not linted",
                "Application argocd/escape (argocd/outside.yaml:44): source path refused: ../../etc leads outside the repository",
                "Kustomization flux-system/platform (flux/oci.yaml:2): its source (OCIRepository platform) is outside this repository: not linted",
            ]
            .iter()
            .map(ToString::to_string)
            .chain([version_note("", 1)])
            .collect(),
            load_balancers: vec![format!("{ELB} [TCP:80 prod:Service/web/web]")],
        }
    );
    init_keeps_the_answer(dir.path(), &run);
}

/// A matrix of a git files generator (each cluster's config file, JSON or a YAML list) and a git
/// directories generator (under a parameter prefix): two clusters times two apps, each app in
/// its own namespace. A merge (Go templates) overrides one region's namespace and discards the
/// element that matches no base element. The one ELB the jobs folder names is then claimed in
/// both clusters (LB201).
#[test]
fn matrix_and_merge_generators_expand_as_argo_cd_does() {
    let dir = repository("appset-matrix-merge");
    let run = first_run(dir.path());
    assert_eq!(
        run,
        FirstRun {
            exit: 1,
            clusters: strings(&["hk.k8s.example.com:argocd", "sg.k8s.example.com:argocd"]),
            findings: strings(&[
                "LB201 jobs/service.yaml:14 Service/jobs/jobs in sg.k8s.example.com",
                "LB201 jobs/service.yaml:14 Service/jobs-hk/jobs in hk.k8s.example.com",
            ]),
            notes: strings(&[
                "GitOps sources of https://git.example.com/platform/fleet.git are read from this repository (the paths they name exist here)",
            ]),
            load_balancers: strings(&[
                "5083f225-9bf8-48fa-9c8b-67bd9693c4c0 [TCP:9000 hk.k8s.example.com:Service/jobs-hk/jobs,sg.k8s.example.com:Service/jobs/jobs]",
                "auto:hk.k8s.example.com/api/api [TCP:8080 hk.k8s.example.com:Service/api/api]",
                "auto:hk.k8s.example.com/web/web [TCP:80 hk.k8s.example.com:Service/web/web]",
                "auto:sg.k8s.example.com/api/api [TCP:8080 sg.k8s.example.com:Service/api/api]",
                "auto:sg.k8s.example.com/web/web [TCP:80 sg.k8s.example.com:Service/web/web]",
            ]),
        }
    );
    init_keeps_the_answer(dir.path(), &run);
}

/// Hostile GitOps objects: destination names with an escape sequence, a bell, `../..`, a space,
/// 300 characters and Chinese; a server URL with a password; an ApplicationSet of 5,000
/// elements. The run ends, no control character reaches the terminal, the password is not
/// printed, the ApplicationSet is read up to its cap with a note, and every destination is a
/// cluster of its own.
#[test]
fn hostile_gitops_objects_are_read_safely() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("web")).expect("mkdir");
    std::fs::write(
        dir.path().join("web/service.yaml"),
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n    kubernetes.io/elb.id: 5083f225-9bf8-48fa-9c8b-67bd9693c4c0\nspec:\n  type: LoadBalancer\n  selector: {app: web}\n  ports: [{port: 80}]\n",
    )
    .expect("write");
    let long = "x".repeat(300);
    let names = ["evil\u{1b}[31mred", "../../x", "a b", &long, "生产", "测试"];
    let mut docs: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            serde_json::json!({"apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
                "metadata": {"name": format!("a{i}"), "namespace": "argocd"},
                "spec": {"source": {"repoURL": "https://x/y.git", "path": "web"},
                         "destination": {"name": name, "namespace": format!("ns{i}\u{7}")}}})
            .to_string()
        })
        .collect();
    docs.push(serde_json::json!({"apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
        "metadata": {"name": "srv", "namespace": "argocd"},
        "spec": {"source": {"repoURL": "https://x/y.git", "path": "web"},
                 "destination": {"server": "https://admin:hunter2@10.0.0.1:6443", "namespace": "s"}}})
    .to_string());
    let elements: Vec<serde_json::Value> = (0..5000)
        .map(|i| serde_json::json!({"n": i.to_string()}))
        .collect();
    docs.push(
        serde_json::json!({"apiVersion": "argoproj.io/v1alpha1", "kind": "ApplicationSet",
        "metadata": {"name": "big", "namespace": "argocd"},
        "spec": {"generators": [{"list": {"elements": elements}}],
                 "template": {"metadata": {"name": "b{{n}}"},
                              "spec": {"source": {"repoURL": "https://x/y.git", "path": "web"},
                                       "destination": {"name": "big", "namespace": "n{{n}}"}}}}})
        .to_string(),
    );
    std::fs::write(dir.path().join("apps.yaml"), docs.join("\n---\n")).expect("write");
    let human = lbplan(dir.path(), &["--verbose", "lint", "."]);
    assert_eq!(human.status.code(), Some(1));
    for text in [&human.stdout, &human.stderr] {
        let text = String::from_utf8_lossy(text);
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "a control character reached the terminal"
        );
        assert!(!text.contains("hunter2"), "the password was printed");
    }
    let report = json(&lbplan(dir.path(), &["lint", "--format", "json", "."]));
    let clusters = texts(&report["clusters"], |c| {
        c["name"].as_str().unwrap_or("").to_string()
    });
    // Six names, the server's host and the ApplicationSet's one destination.
    assert_eq!(clusters.len(), 8, "{clusters:?}");
    assert!(clusters.contains(&"10.0.0.1".to_string()), "{clusters:?}");
    let notes = texts(&report["notes"], |n| n.as_str().unwrap_or("").to_string());
    assert!(
        notes.iter().any(|n| n
            == "ApplicationSet argocd/big (apps.yaml:15): generates 5000 Applications; only the first 1000 are read"),
        "{notes:?}"
    );
}
