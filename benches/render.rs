//! `cargo bench --bench render`: rendering a repository of 50 small Kustomize overlays, and lbplan's
//! own share of it.
//!
//! The repository is generated: one base (a Service and a Deployment) and 50 overlays, each with a
//! namespace, a name prefix, labels and a strategic-merge patch that publishes the Service on an
//! ELB. Reported, each the best of `LBPLAN_BENCH_RUNS` runs (default 5):
//!
//! - **engine**: `render_all` on the 50 overlays (wrappers written, renderer run in parallel,
//!   annotations stripped), wall time;
//! - **renderer alone**: the same renderer run directly on the 50 overlays with the same
//!   parallelism and no lbplan code around it, wall time;
//! - CPU time of lbplan itself against that of the renderer processes (`getrusage`), over the
//!   engine runs, and the renderer's CPU time without the wrapper (what origin annotations cost
//!   Kustomize);
//! - **after the renders**: what lbplan does with the streams once wired: parse and read every
//!   document as a manifest, and resolve every object and every annotation key to its source.
//!
//! lbplan's share is everything but the renderer processes: by wall time, (engine − renderer
//! alone + after) / (engine + after), which a busy machine makes noisy; and by CPU time, which it
//! does not. Without `kustomize` or `kubectl` on PATH, the benchmark says so and stops.

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use lbplan::internals::{FileId, MANIFEST, Origin, ReadOutcome, Span, parse_yaml, read_document};
use lbplan::render::{self, Overlay, Resolver, Root, Settings};

const OVERLAYS: usize = 50;

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// A base and `OVERLAYS` overlays under `dir`.
fn repository(dir: &Path) -> Vec<Root> {
    write(
        &dir.join("base/kustomization.yaml"),
        "resources: [service.yaml, deployment.yaml]\n",
    );
    write(
        &dir.join("base/service.yaml"),
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n",
    );
    write(
        &dir.join("base/deployment.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: web:1\n",
    );
    let mut roots = vec![Root::new(dir.join("base"), "base")];
    for i in 0..OVERLAYS {
        let name = format!("overlays/o{i:02}");
        let overlay = dir.join(&name);
        write(
            &overlay.join("kustomization.yaml"),
            &format!(
                "namespace: team-{i}\nnamePrefix: o{i}-\nlabels:\n- pairs: {{team: t{i}}}\n  includeSelectors: true\nresources: [../../base]\npatches:\n- path: lb.yaml\n"
            ),
        );
        write(
            &overlay.join("lb.yaml"),
            &format!(
                "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n    kubernetes.io/elb.id: 00000000-0000-0000-0000-{i:012}\n    kubernetes.io/elb.class: performance\nspec:\n  type: LoadBalancer\n"
            ),
        );
        roots.push(Root::new(overlay, name));
    }
    roots
}

/// CPU time (user + system) of this process, and of its waited-for children.
fn cpu() -> (Duration, Duration) {
    let usage = |who| {
        // SAFETY: getrusage writes into the zeroed struct it is given.
        let mut u: libc::rusage = unsafe { std::mem::zeroed() };
        unsafe { libc::getrusage(who, &mut u) };
        let tv = |t: libc::timeval| {
            Duration::from_secs(u64::try_from(t.tv_sec).unwrap_or(0))
                + Duration::from_micros(u64::try_from(t.tv_usec).unwrap_or(0))
        };
        tv(u.ru_utime) + tv(u.ru_stime)
    };
    (usage(libc::RUSAGE_SELF), usage(libc::RUSAGE_CHILDREN))
}

/// The renderer run directly on each overlay, `threads` at a time.
fn renderer_alone(renderer: &render::Renderer, overlays: &[Overlay], threads: usize) -> Duration {
    let next = AtomicUsize::new(0);
    let start = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while let Some(o) = overlays.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let out = Command::new(&renderer.program)
                        .args(renderer.build_args())
                        .arg(&o.dir)
                        .output()
                        .expect("renderer");
                    assert!(out.status.success());
                }
            });
        }
    });
    start.elapsed()
}

/// What lbplan does with the streams once wired: parse and read them as manifests, and resolve
/// every object and annotation key to its source. Returns the time, the locations resolved and
/// how many of them resolved to a source file.
fn after(run: &render::Run) -> (Duration, usize, usize) {
    let start = Instant::now();
    let resolver = Resolver::new();
    let (mut resolved, mut found) = (0, 0);
    for (i, r) in run.rendered.iter().enumerate() {
        let file = FileId(u32::try_from(i).expect("fewer than 2^32 overlays"));
        let mut outcome = ReadOutcome::default();
        for doc in parse_yaml(&r.text, &MANIFEST) {
            if let Ok(node) = doc.result {
                let at = Origin::new(file, Span::new(doc.span.start, doc.span.start));
                read_document(file, &r.text, &node, at, &mut outcome);
            }
        }
        for object in &outcome.objects {
            let mut spans = vec![object.origin.span];
            spans.extend(object.meta.annotations.0.iter().map(|a| a.origin.span));
            for span in spans {
                resolved += 1;
                found += usize::from(matches!(
                    resolver.resolve(r, span),
                    render::Resolved::Source(_)
                ));
            }
        }
        std::hint::black_box(outcome);
    }
    (start.elapsed(), resolved, found)
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let Some(renderer) = render::Renderer::on_path(std::env::var_os("PATH").as_deref()) else {
        println!("SKIPPED: render benchmark: neither kustomize nor kubectl is on PATH");
        return;
    };
    let runs: usize = std::env::var("LBPLAN_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let repo = tempfile::tempdir().expect("tempdir");
    let plan = render::leaves(&repository(repo.path()));
    assert_eq!(plan.overlays.len(), OVERLAYS);
    // LBPLAN_THREADS, as lbplan reads it, else the machine's parallelism.
    let threads = std::env::var("LBPLAN_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get));
    let settings = Settings {
        progress: false,
        threads: Some(threads),
        ..Settings::default()
    };
    let overlays: Vec<Overlay> = plan.overlays.clone();
    let mut engine = Duration::MAX;
    let mut alone = Duration::MAX;
    let mut post = Duration::MAX;
    let (mut self_cpu, mut child_cpu, mut alone_cpu) =
        (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let mut counts = (0, 0);
    for _ in 0..runs {
        // Alternate, so that both see the same machine.
        let (_, c) = cpu();
        alone = alone.min(renderer_alone(&renderer, &overlays, threads));
        alone_cpu += cpu().1 - c;
        let (s0, c0) = cpu();
        let start = Instant::now();
        let run = render::render_all(&overlays, &settings);
        engine = engine.min(start.elapsed());
        let (s1, c1) = cpu();
        self_cpu += s1 - s0;
        child_cpu += c1 - c0;
        assert!(run.errors.is_empty(), "{}", run.errors[0]);
        let (t, resolved, found) = after(&run);
        post = post.min(t);
        counts = (resolved, found);
    }
    let overhead = engine.saturating_sub(alone) + post;
    println!(
        "{OVERLAYS} overlays, {threads} renders at a time, {} (best of {runs})",
        renderer.name()
    );
    println!("  engine (render_all)           {:>9}", ms(engine));
    println!("  renderer alone                {:>9}", ms(alone));
    println!(
        "  after the renders             {:>9}  (parse + read; resolve {} objects and annotation keys, {} to a source file)",
        ms(post),
        counts.0,
        counts.1
    );
    println!(
        "  lbplan's share of the wall time: {:.1}%  ((engine - renderer alone + after) / (engine + after))",
        100.0 * overhead.as_secs_f64() / (engine + post).as_secs_f64()
    );
    println!(
        "  CPU over the engine runs: lbplan {}, renderer processes {} ({:.1}% lbplan)",
        ms(self_cpu),
        ms(child_cpu),
        100.0 * self_cpu.as_secs_f64() / (self_cpu + child_cpu).as_secs_f64()
    );
    println!(
        "  CPU of the renderer alone: {} (origin annotations cost the renderer {:+.1}%)",
        ms(alone_cpu),
        100.0 * (child_cpu.as_secs_f64() / alone_cpu.as_secs_f64() - 1.0)
    );
}
