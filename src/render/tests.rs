//! The engine on the fixture repositories (`fixtures/kustomize/`), with the real renderer: what
//! it renders equals `kubectl kustomize DIR`, build annotations never reach the stream, and places
//! in the stream resolve to the source lines they were written on. The process handling, with
//! scripts standing in for the renderer, is tested in `process/tests.rs`. (`tests/kustomize.rs`
//! runs the binary on the same fixtures.)
//!
//! The tests that need `kustomize` or `kubectl` on PATH are skipped where neither exists, with a
//! `SKIPPED:` line on standard error (written past the test harness's capture, so it shows in
//! `cargo test` output and CI logs), never passed silently.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::render::error::RenderFailure;
use crate::render::origin::Precision;
use crate::render::{self, Choice, Overlay, Resolved, Resolver, Root, Settings};
use crate::source::Span;

static SKIPPED: AtomicUsize = AtomicUsize::new(0);

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/kustomize")
}

/// The renderer the engine will pick, or `None` after printing why the test is skipped.
pub(super) fn renderer(test: &str) -> Option<render::Renderer> {
    let found = render::Renderer::on_path(
        render::Choice::Auto.engines(),
        std::env::var_os("PATH").as_deref(),
    )
    .ok();
    if found.is_none() {
        let n = SKIPPED.fetch_add(1, Ordering::Relaxed) + 1;
        // Straight to the file descriptor: the harness captures `eprintln!`, not this.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED ({n}): render::tests::{test}: neither kustomize nor kubectl is on PATH"
        );
    }
    found
}

/// The overlay in `dir` (relative to `fixtures/kustomize`), as discovery would name it.
pub(super) fn overlay(dir: &str) -> Overlay {
    let plan = render::named(
        &[Root::new(fixtures().join(dir), dir)],
        &crate::source::confine::RootDir::anywhere(),
    );
    assert!(plan.problems.is_empty(), "{:?}", plan.problems);
    plan.overlays.into_iter().next().expect("one overlay")
}

pub(super) fn settings(temp: &Path) -> Settings {
    Settings {
        temp_parent: Some(temp.to_path_buf()),
        progress: false,
        ..Settings::default()
    }
}

/// Render one fixture overlay, which must succeed.
fn rendered(dir: &str, temp: &Path) -> render::RenderedOverlay {
    let run = render::render_all(
        &[overlay(dir)],
        &settings(temp),
        &crate::source::read::Budget::default(),
    );
    assert!(run.errors.is_empty(), "{}", run.errors[0]);
    run.rendered.into_iter().next().expect("rendered")
}

/// What the renderer prints for the overlay itself, by hand.
fn by_hand(renderer: &render::Renderer, dir: &str) -> String {
    let out = Command::new(&renderer.program.path)
        .args(renderer.build_args())
        .arg(fixtures().join(dir))
        .output()
        .expect("run the renderer");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn documents(text: &str) -> Vec<serde_yaml::Value> {
    use serde::Deserialize;
    serde_yaml::Deserializer::from_str(text)
        .map(|d| serde_yaml::Value::deserialize(d).expect("yaml"))
        .collect()
}

const OVERLAYS: [&str; 4] = [
    "shop/overlays/prod",
    "shop/overlays/staging",
    "clusters/clusters/cce-a",
    "clusters/clusters/cce-b",
];

#[test]
fn each_overlay_renders_what_kubectl_kustomize_prints() {
    let Some(renderer) = renderer("each_overlay_renders_what_kubectl_kustomize_prints") else {
        return;
    };
    let temp = tempfile::tempdir().expect("temp");
    let overlays: Vec<Overlay> = OVERLAYS.iter().map(|d| overlay(d)).collect();
    let run = render::render_all(
        &overlays,
        &settings(temp.path()),
        &crate::source::read::Budget::default(),
    );
    assert!(run.errors.is_empty(), "{:?}", run.errors);
    assert_eq!(run.rendered.len(), OVERLAYS.len());
    for (dir, rendered) in OVERLAYS.iter().zip(&run.rendered) {
        let expected = by_hand(&renderer, dir);
        assert_eq!(documents(&rendered.text), documents(&expected), "{dir}");
        // Stronger: only whole annotation lines were removed, every other byte is Kustomize's.
        assert_eq!(&*rendered.text, expected, "{dir}");
        assert!(!rendered.text.contains("config.kubernetes.io"), "{dir}");
        assert!(rendered.located, "{dir}");
    }
    let assumptions = run.assumptions();
    assert!(
        assumptions[0].starts_with("Kustomize overlays rendered with "),
        "{assumptions:?}"
    );
    assert!(
        assumptions
            .iter()
            .any(|a| a.contains("shop/overlays/prod rendered (")),
        "{assumptions:?}"
    );
    assert!(
        std::fs::read_dir(temp.path()).expect("ls").next().is_none(),
        "the wrapper folder is removed"
    );
}

/// The span of the `nth` occurrence of `needle` after `after` in `text`.
fn span_after(text: &str, after: &str, needle: &str) -> Span {
    let from = text
        .find(after)
        .unwrap_or_else(|| panic!("{after:?} in\n{text}"));
    let at = from
        + text[from..]
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} after {after:?}"));
    Span::new(at, at + needle.len())
}

/// Resolve `span` and return (file name, line, text at the span, precision).
fn resolve(
    resolver: &Resolver,
    rendered: &render::RenderedOverlay,
    span: Span,
) -> (String, usize, String, Precision) {
    match resolver.resolve(rendered, span) {
        Resolved::Source(s) => {
            let text = std::fs::read_to_string(&s.path).expect("source");
            assert_eq!(resolver.text(&s.path).as_deref(), Some(text.as_str()));
            let line = text[..s.span.start].matches('\n').count() + 1;
            let name = s
                .name
                .trim_start_matches(&format!("{}/", fixtures().display()))
                .to_string();
            (
                name,
                line,
                text[s.span.start..s.span.end].to_string(),
                s.precision,
            )
        }
        other => panic!("unresolved: {other:?}"),
    }
}

#[test]
fn findings_in_the_prod_overlay_land_on_the_lines_that_set_them() {
    if renderer("findings_in_the_prod_overlay_land_on_the_lines_that_set_them").is_none() {
        return;
    }
    let temp = tempfile::tempdir().expect("temp");
    let r = rendered("shop/overlays/prod", temp.path());
    let resolver = Resolver::default();
    let t = &r.text;
    let svc = "kind: Service";
    let at = |after: &str, needle: &str| resolve(&resolver, &r, span_after(t, after, needle));
    let exact = |file: &str, line: usize, text: &str| {
        (
            format!("shop/{file}"),
            line,
            text.to_string(),
            Precision::Exact,
        )
    };
    // Set by the strategic-merge patch of the overlay.
    assert_eq!(
        at(svc, "kubernetes.io/elb.id"),
        exact("overlays/prod/service-lb.yaml", 7, "kubernetes.io/elb.id")
    );
    assert_eq!(
        at(svc, "5083f225"),
        exact("overlays/prod/service-lb.yaml", 7, "5083f225")
    );
    assert_eq!(
        at(svc, "type"),
        exact("overlays/prod/service-lb.yaml", 9, "type")
    );
    // Set in the base, then changed by the component's patch.
    assert_eq!(
        at(svc, "performance"),
        exact("components/dedicated-elb/elb-class.yaml", 6, "performance")
    );
    // Added by the JSON6902 patch file: the operation's path names the key, its value the value.
    assert_eq!(
        at(svc, "kubernetes.io/elb.lb-algorithm"),
        exact(
            "overlays/prod/elb-algorithm.yaml",
            2,
            "/metadata/annotations/kubernetes.io~1elb.lb-algorithm"
        )
    );
    assert_eq!(
        at(svc, "LEAST_CONNECTIONS"),
        exact("overlays/prod/elb-algorithm.yaml", 3, "LEAST_CONNECTIONS")
    );
    // Ports: one from the base, one whose number a JSON6902 `replace` changed.
    assert_eq!(
        at("name: http\n", "port"),
        exact("base/service.yaml", 13, "port")
    );
    assert_eq!(
        at("name: https\n", "port"),
        exact("overlays/prod/elb-algorithm.yaml", 5, "/spec/ports/1/port")
    );
    assert_eq!(
        at("name: https\n", "targetPort"),
        exact("base/service.yaml", 17, "targetPort")
    );
    // Transformer fields of the overlay's kustomization.
    assert_eq!(
        at(svc, "namespace"),
        exact("overlays/prod/kustomization.yaml", 3, "namespace")
    );
    // The name is the base's, with the overlay's `namePrefix` added: the base line is shown.
    assert_eq!(at(svc, "prod-web"), exact("base/service.yaml", 5, "web"));
    assert_eq!(
        at("selector:", "env"),
        exact("overlays/prod/kustomization.yaml", 7, "env")
    );
    assert_eq!(
        at("selector:", "app"),
        exact("base/service.yaml", 10, "app")
    );
    // The object itself: its first line in the base.
    let service_start = t.find("apiVersion: v1\nkind: Service").expect("service");
    assert_eq!(
        resolve(&resolver, &r, Span::new(service_start, service_start + 10)),
        (
            "shop/base/service.yaml".to_string(),
            2,
            "apiVersion".to_string(),
            Precision::Object
        )
    );
    // A generated ConfigMap: its generator entry.
    let (file, line, text, _) = resolve(&resolver, &r, Span::new(0, 10));
    assert_eq!(
        (file.as_str(), line, text.as_str()),
        ("shop/base/kustomization.yaml", 7, "web-config")
    );
    // A workload field from the base.
    assert_eq!(
        at("kind: Deployment", "replicas"),
        exact("base/deployment.yaml", 6, "replicas")
    );
}

#[test]
fn inline_patches_and_common_labels_resolve_in_the_kustomization() {
    if renderer("inline_patches_and_common_labels_resolve_in_the_kustomization").is_none() {
        return;
    }
    let temp = tempfile::tempdir().expect("temp");
    let r = rendered("shop/overlays/staging", temp.path());
    let resolver = Resolver::default();
    let t = &r.text;
    let at = |after: &str, needle: &str| resolve(&resolver, &r, span_after(t, after, needle));
    let k = "shop/overlays/staging/kustomization.yaml".to_string();
    assert_eq!(
        at("kind: Service", "kubernetes.io/elb.health-check-flag"),
        (
            k.clone(),
            14,
            "/metadata/annotations/kubernetes.io~1elb.health-check-flag".into(),
            Precision::Exact
        )
    );
    // The reader's span of a quoted value is inside the quotes.
    assert_eq!(
        at("health-check-flag: \"", "on"),
        (k.clone(), 15, "on".into(), Precision::Exact)
    );
    assert_eq!(
        at("kind: Service", "env"),
        (k.clone(), 5, "env".into(), Precision::Exact)
    );
    assert_eq!(
        at("kind: Service", "kubernetes.io/elb.autocreate"),
        (
            "shop/overlays/staging/service-lb.yaml".into(),
            6,
            "kubernetes.io/elb.autocreate".into(),
            Precision::Exact
        )
    );
    // A value inside a value (one entry of a JSON annotation): the same offset in the source.
    assert_eq!(
        at("kind: Service", "\"inner\""),
        (
            "shop/overlays/staging/service-lb.yaml".into(),
            6,
            "\"inner\"".into(),
            Precision::Exact
        )
    );
}

#[test]
fn one_overlay_per_cluster_resolves_into_its_own_folder() {
    if renderer("one_overlay_per_cluster_resolves_into_its_own_folder").is_none() {
        return;
    }
    let temp = tempfile::tempdir().expect("temp");
    for (cluster, weight, replicas) in [("cce-a", "80", "4"), ("cce-b", "20", "2")] {
        let r = rendered(&format!("clusters/clusters/{cluster}"), temp.path());
        let resolver = Resolver::default();
        let t = &r.text;
        let at = |after: &str, needle: &str| resolve(&resolver, &r, span_after(t, after, needle));
        let dir = format!("clusters/clusters/{cluster}");
        assert_eq!(
            at("loadbalancer-weight: \"", weight),
            (
                format!("{dir}/weight.yaml"),
                6,
                weight.to_string(),
                Precision::Exact
            )
        );
        assert_eq!(
            at("kind: Deployment", "replicas"),
            (
                format!("{dir}/kustomization.yaml"),
                8,
                "count".into(),
                Precision::Exact
            )
        );
        assert!(t.contains(&format!("replicas: {replicas}")));
        assert_eq!(
            at("kind: Service", "kubernetes.io/elb.id"),
            (
                "clusters/base/nginx.yaml".into(),
                6,
                "kubernetes.io/elb.id".into(),
                Precision::Exact
            )
        );
    }
}

#[test]
fn a_remote_base_fails_cleanly_offline() {
    if renderer("a_remote_base_fails_cleanly_offline").is_none() {
        return;
    }
    let temp = tempfile::tempdir().expect("temp");
    let edge = overlay("remote/overlays/edge");
    assert_eq!(
        edge.remote,
        ["github.com/example-org/shop-manifests//base?ref=v1.2.0"]
    );
    let settings = Settings {
        timeout: Duration::from_secs(30),
        ..settings(temp.path())
    };
    let started = std::time::Instant::now();
    let run = render::render_all(&[edge], &settings, &crate::source::read::Budget::default());
    assert!(
        started.elapsed() < Duration::from_secs(35),
        "bounded by the time limit"
    );
    assert!(run.rendered.is_empty());
    let error = &run.errors[0];
    assert_eq!(error.overlay, "remote/overlays/edge");
    let message = error.to_string();
    assert!(
        message.starts_with("Kustomize overlay remote/overlays/edge did not render: `"),
        "{message}"
    );
    assert!(
        message.contains("github.com/example-org/shop-manifests"),
        "{message}"
    );
    assert!(matches!(
        error.failure,
        RenderFailure::Failed { .. } | RenderFailure::TimedOut { .. }
    ));
}

#[test]
fn the_shop_fixture_renders_its_two_overlays_only() {
    let shop = fixtures().join("shop");
    let roots: Vec<Root> = [
        "base",
        "components/dedicated-elb",
        "overlays/prod",
        "overlays/staging",
    ]
    .iter()
    .map(|d| Root::new(shop.join(d), format!("shop/{d}")))
    .collect();
    let plan = render::leaves(&roots, &crate::source::confine::RootDir::anywhere());
    let names: Vec<&str> = plan.overlays.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["shop/overlays/prod", "shop/overlays/staging"]);
    assert!(plan.unused_components.is_empty());
    let real = std::fs::canonicalize(&shop).expect("real");
    let referenced: Vec<String> = plan
        .referenced
        .iter()
        .map(|p| p.strip_prefix(&real).expect("inside").display().to_string())
        .collect();
    assert_eq!(
        referenced,
        [
            "base/deployment.yaml",
            "base/kustomization.yaml",
            "base/nginx.conf",
            "base/service.yaml",
            "base/web.env",
            "components/dedicated-elb/elb-class.yaml",
            "components/dedicated-elb/kustomization.yaml",
            "overlays/prod/elb-algorithm.yaml",
            "overlays/prod/kustomization.yaml",
            "overlays/prod/service-lb.yaml",
            "overlays/staging/kustomization.yaml",
            "overlays/staging/service-lb.yaml",
        ]
    );
    assert_eq!(
        render::not_rendered_note(&plan.overlays[0], render::NotRendered::Flag, None),
        "Kustomize overlay shop/overlays/prod not rendered (--no-render): its 10 files are not linted; render it: kubectl kustomize shop/overlays/prod | lbplan lint -"
    );
    let mut one = plan.overlays[1].clone();
    one.files.truncate(1);
    assert_eq!(
        render::not_rendered_note(&one, render::NotRendered::Config, Some("cce-a")),
        "Kustomize overlay shop/overlays/staging not rendered (render.kustomize: off): its 1 file is not linted; render it: kubectl kustomize shop/overlays/staging | lbplan lint --cluster cce-a -"
    );
}

#[test]
fn rendering_off_runs_nothing() {
    let temp = tempfile::tempdir().expect("temp");
    let run = render::render_all(
        &[overlay("shop/overlays/prod")],
        &Settings {
            choice: Choice::Off,
            ..settings(temp.path())
        },
        &crate::source::read::Budget::default(),
    );
    assert!(run.rendered.is_empty() && run.errors.is_empty() && run.renderer.is_none());
}

#[test]
fn a_missing_overlay_folder_is_an_error_naming_it() {
    let temp = tempfile::tempdir().expect("temp");
    let gone = Overlay {
        dir: temp.path().join("gone"),
        name: "gone".into(),
        files: Vec::new(),
        remote: Vec::new(),
        roots: Vec::new(),
        escapes: Vec::new(),
        resolved: false,
    };
    // Whatever the renderer (even none), the overlay is named and nothing is left behind.
    let work = temp.path().join("work");
    std::fs::create_dir(&work).expect("mkdir");
    let run = render::render_all(
        &[gone],
        &settings(&work),
        &crate::source::read::Budget::default(),
    );
    let message = run.errors[0].to_string();
    assert!(
        message.starts_with("Kustomize overlay gone not rendered: "),
        "{message}"
    );
    if render::Renderer::on_path(Choice::Auto.engines(), std::env::var_os("PATH").as_deref())
        .is_ok()
    {
        assert!(message.contains("overlay folder"), "{message}");
    }
    assert!(std::fs::read_dir(&work).expect("ls").next().is_none());
}
