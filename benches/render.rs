//! `cargo bench --bench render`: `lbplan lint` on a repository of 50 small Kustomize overlays, as a
//! user runs it (process start to exit, renders included), and lbplan's own share of that time.
//!
//! The repository is generated: one base (four Services and Deployments, two ConfigMaps, an
//! Ingress), a component, and 50 overlays of about 20 resources each, each with a namespace, a
//! name prefix, labels, generators, resources of its own, and three patches, one of which
//! publishes the web Service on an ELB with two mistakes (an invalid boolean,
//! `externalTrafficPolicy: Local`), so that every run resolves 100 findings back to their source
//! lines. Last, `lbplan diff --base-rev HEAD~1` after a commit touching one overlay, with the
//! cache a `lint` filled before that commit. Reported, each the best of
//! `LBPLAN_BENCH_RUNS` runs (default 5), the sides alternated so that each sees the same machine:
//!
//! - **`lbplan lint`**: the binary on the repository, wall time, with an empty render cache
//!   (cold); then with the cache it filled (warm), and `lbplan plan` after a cold `lint`;
//! - **renders alone**: the renderer run directly on the 50 overlays, as many at a time as lbplan
//!   runs them (`LBPLAN_THREADS`, else the machine's parallelism), no lbplan code around it;
//! - **lbplan on the rendered streams**: the 50 streams, rendered beforehand into files, linted by
//!   lbplan (everything lbplan does but rendering and relocating);
//! - **CPU time**, summed over the `lbplan lint` runs and split between lbplan's own process and
//!   the renderer processes it ran (read from `/proc/PID/stat` of the exited, not yet reaped
//!   process: its own time and its waited-for children's), and the renderers' CPU time when run
//!   directly (what the origin annotations lbplan asks for cost Kustomize).
//!
//! lbplan's share of the time is everything but the renderer processes: by CPU time,
//! lbplan / (lbplan + renderers), which a busy machine does not skew; by wall time,
//! (lint − renders alone) / lint. The bound is 20%. Nothing is asserted: a benchmark
//! reports. Without `kustomize` or `kubectl` on PATH, it says so and stops.

#![allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss,
    reason = "printed measurements and libc's types"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const OVERLAYS: usize = 50;

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// A base and `OVERLAYS` overlays under `dir`, each overlay of realistic size (about 20
/// resources: a base of 11, a component of 3, three generated ConfigMaps and Secrets, three own
/// resources, and three patches of three kinds); the overlays' folders, relative to `dir`.
fn repository(dir: &Path) -> Vec<String> {
    let apps = ["web", "api", "worker", "cron"];
    let mut base = Vec::new();
    for app in apps {
        write(
            &dir.join(format!("base/{app}.yaml")),
            &format!(
                "apiVersion: v1\nkind: Service\nmetadata:\n  name: {app}\n  labels:\n    app: {app}\nspec:\n  selector:\n    app: {app}\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {app}\n  labels:\n    app: {app}\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: {app}\n  template:\n    metadata:\n      labels:\n        app: {app}\n    spec:\n      containers:\n      - name: {app}\n        image: registry.example.com/{app}:1.4.2\n        ports:\n        - containerPort: 8080\n        env:\n        - name: LOG_LEVEL\n          value: info\n        resources:\n          requests: {{cpu: 100m, memory: 128Mi}}\n          limits: {{cpu: 500m, memory: 256Mi}}\n"
            ),
        );
        base.push(format!("{app}.yaml"));
    }
    write(
        &dir.join("base/config.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  region: cn-north-4\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: features\ndata:\n  beta: \"false\"\n",
    );
    write(
        &dir.join("base/ingress.yaml"),
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: site\nspec:\n  rules:\n  - host: shop.example.com\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: web\n            port:\n              number: 80\n",
    );
    base.extend(["config.yaml".to_string(), "ingress.yaml".to_string()]);
    write(
        &dir.join("base/kustomization.yaml"),
        &format!("resources: [{}]\n", base.join(", ")),
    );
    write(
        &dir.join("components/monitoring/kustomization.yaml"),
        "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [exporter.yaml]\nlabels:\n- pairs: {monitored: \"true\"}\n",
    );
    write(
        &dir.join("components/monitoring/exporter.yaml"),
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: exporter\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: exporter\nspec:\n  selector:\n    app: exporter\n  ports:\n  - port: 9100\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: exporter\nspec:\n  selector:\n    matchLabels:\n      app: exporter\n  template:\n    metadata:\n      labels:\n        app: exporter\n    spec:\n      containers:\n      - name: exporter\n        image: registry.example.com/exporter:0.9\n",
    );
    (0..OVERLAYS)
        .map(|i| {
            let name = format!("overlays/o{i:02}");
            let overlay = dir.join(&name);
            write(
                &overlay.join("kustomization.yaml"),
                &format!(
                    "namespace: team-{i}\nnamePrefix: o{i}-\nlabels:\n- pairs: {{team: t{i}}}\n  includeSelectors: true\nresources: [../../base, extra.yaml]\ncomponents: [../../components/monitoring]\npatches:\n- path: lb.yaml\n- path: replicas.yaml\n- path: image.json\n  target: {{kind: Deployment, name: worker}}\nconfigMapGenerator:\n- name: app-env\n  envs: [app.env]\n- name: app-files\n  files: [settings.ini]\nsecretGenerator:\n- name: app-secret\n  literals: [token=t{i}]\n"
                ),
            );
            write(
                &overlay.join("lb.yaml"),
                &format!(
                    "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n    kubernetes.io/elb.id: 00000000-0000-0000-0000-{i:012}\n    kubernetes.io/elb.class: performance\n    kubernetes.io/elb.pass-through: \"yes\"\nspec:\n  type: LoadBalancer\n  externalTrafficPolicy: Local\n"
                ),
            );
            write(
                &overlay.join("replicas.yaml"),
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 4\n",
            );
            write(
                &overlay.join("image.json"),
                "[{\"op\": \"replace\", \"path\": \"/spec/template/spec/containers/0/image\", \"value\": \"registry.example.com/worker:1.5.0\"}]\n",
            );
            write(
                &overlay.join("extra.yaml"),
                &format!(
                    "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels:\n      app: web\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: team\ndata:\n  owner: t{i}\n"
                ),
            );
            write(&overlay.join("app.env"), &format!("TEAM=t{i}\nMODE=prod\n"));
            write(&overlay.join("settings.ini"), "[cache]\nsize=64\n");
            name
        })
        .collect()
}

/// `kustomize` on PATH, else `kubectl`, with the arguments that render a folder: as lbplan picks.
fn renderer() -> Option<(PathBuf, &'static str)> {
    let path = std::env::var_os("PATH")?;
    let find = |name: &str| {
        std::env::split_paths(&path)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    };
    find("kustomize")
        .map(|p| (p, "build"))
        .or_else(|| find("kubectl").map(|p| (p, "kustomize")))
}

/// Renders at a time, as lbplan counts them.
fn threads() -> usize {
    std::env::var("LBPLAN_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get))
}

/// CPU time of the waited-for children of this process (user + system).
fn children_cpu() -> Duration {
    // SAFETY: getrusage writes into the zeroed struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut u) };
    let tv = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    tv(u.ru_utime) + tv(u.ru_stime)
}

/// One `lbplan` run: wall time, its own CPU time and its children's (the renderers), and the
/// JSON report.
struct LbplanRun {
    wall: Duration,
    own: Duration,
    children: Duration,
    stdout: String,
}

/// Run lbplan in `dir` with its render cache in `cache`; its CPU times are read from
/// `/proc/PID/stat` once it has exited, before it is reaped (`waitid` with `WNOWAIT`).
fn lbplan(dir: &Path, args: &[&str], cache: &Path) -> LbplanRun {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_lbplan"))
        .args(args)
        .current_dir(dir)
        .env("LBPLAN_CACHE_DIR", cache)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn lbplan");
    let mut stdout = String::new();
    if let Some(mut out) = child.stdout.take() {
        std::io::Read::read_to_string(&mut out, &mut stdout).expect("read report");
    }
    // SAFETY: waitid writes into the zeroed siginfo it is given; WNOWAIT leaves the process to
    // be reaped by `wait` below.
    let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
    let waited = unsafe {
        libc::waitid(
            libc::P_PID,
            child.id() as libc::id_t,
            &mut info,
            libc::WEXITED | libc::WNOWAIT,
        )
    };
    let wall = start.elapsed();
    assert_eq!(waited, 0, "waitid");
    let stat = std::fs::read_to_string(format!("/proc/{}/stat", child.id())).expect("stat");
    let fields: Vec<u64> = stat
        .rsplit_once(')')
        .expect("comm")
        .1
        .split_whitespace()
        .skip(11)
        .take(4)
        .map(|f| f.parse().expect("number"))
        .collect();
    let status = child.wait().expect("reap");
    assert!(
        matches!(status.code(), Some(0 | 1)),
        "lbplan {args:?} exited with {status}"
    );
    // SAFETY: sysconf has no preconditions.
    let tick = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as u64;
    let ticks = |n: u64| Duration::from_secs_f64(n as f64 / tick as f64);
    LbplanRun {
        wall,
        own: ticks(fields[0] + fields[1]),
        children: ticks(fields[2] + fields[3]),
        stdout,
    }
}

/// The renderer run directly on each overlay, `threads` at a time; the streams, in order.
fn renders_alone(
    (program, verb): &(PathBuf, &str),
    dir: &Path,
    overlays: &[String],
    threads: usize,
) -> (Duration, Vec<String>) {
    let next = AtomicUsize::new(0);
    let mut streams = vec![String::new(); overlays.len()];
    let start = Instant::now();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    while let Some(o) = overlays.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let out = Command::new(program)
                            .args([verb, o.as_str()])
                            .current_dir(dir)
                            .output()
                            .expect("renderer");
                        assert!(out.status.success(), "{o}");
                        done.push((o.clone(), String::from_utf8(out.stdout).expect("utf-8")));
                    }
                    done
                })
            })
            .collect();
        for handle in handles {
            for (o, text) in handle.join().expect("render thread") {
                if let Some(i) = overlays.iter().position(|x| *x == o) {
                    streams[i] = text;
                }
            }
        }
    });
    (start.elapsed(), streams)
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=bench",
            "-c",
            "user.email=bench@example.com",
        ])
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .status()
        .expect("git");
    assert!(status.success(), "git {args:?}");
}

/// `lbplan diff --base-rev HEAD~1` after a commit that touches one overlay, each run with a
/// cache filled by a `lint` before that commit (as CI restores the target branch's cache): its
/// best wall time, and how many renders it ran (counted from the cache's new entries).
fn diff_after_one_change(dir: &Path, runs: usize) -> (Duration, usize) {
    let patch = dir.join("overlays/o07/replicas.yaml");
    let before = std::fs::read_to_string(&patch).expect("patch");
    git(dir, &["init", "-q"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "base"]);
    write(&patch, &before.replace("replicas: 4", "replicas: 6"));
    git(dir, &["commit", "-q", "-a", "-m", "one overlay"]);
    let (mut best, mut renders) = (Duration::MAX, 0);
    for _ in 0..runs {
        let cache = tempfile::tempdir().expect("cache");
        write(&patch, &before);
        lbplan(dir, &["lint", "--format", "json", "."], cache.path());
        let entries = || walkdir_count(&cache.path().join("kustomize"));
        let filled = entries();
        git(dir, &["checkout", "-q", "--", "."]);
        let run = lbplan(
            dir,
            &["diff", "--base-rev", "HEAD~1", "--format", "json", "."],
            cache.path(),
        );
        best = best.min(run.wall);
        renders = entries() - filled;
    }
    (best, renders)
}

/// Files in the folders of `dir` (the cache's shards).
fn walkdir_count(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|shard| std::fs::read_dir(shard.path()).map_or(0, Iterator::count))
        .sum()
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let Some(renderer) = renderer() else {
        println!("SKIPPED: render benchmark: neither kustomize nor kubectl is on PATH");
        return;
    };
    let runs: usize = std::env::var("LBPLAN_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let threads = threads();
    let repo = tempfile::tempdir().expect("tempdir");
    let overlays = repository(repo.path());
    let rendered = tempfile::tempdir().expect("tempdir");
    let (mut lint, mut alone, mut streams_only) = (Duration::MAX, Duration::MAX, Duration::MAX);
    let (mut warm, mut plan_after) = (Duration::MAX, Duration::MAX);
    let (mut own, mut children, mut alone_cpu) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let mut report = String::new();
    let lint_args = ["lint", "--format", "json", "."];
    for run in 0..runs {
        // Cold: an empty render cache; then warm, and `plan` after that `lint`.
        let cache = tempfile::tempdir().expect("cache");
        let run_lint = lbplan(repo.path(), &lint_args, cache.path());
        lint = lint.min(run_lint.wall);
        warm = warm.min(lbplan(repo.path(), &lint_args, cache.path()).wall);
        let cache = tempfile::tempdir().expect("cache");
        lbplan(repo.path(), &lint_args, cache.path());
        plan_after = plan_after.min(lbplan(repo.path(), &["plan", "."], cache.path()).wall);
        own += run_lint.own;
        children += run_lint.children;
        report = run_lint.stdout;
        let before = children_cpu();
        let (wall, streams) = renders_alone(&renderer, repo.path(), &overlays, threads);
        alone = alone.min(wall);
        alone_cpu += children_cpu() - before;
        if run == 0 {
            for (i, text) in streams.iter().enumerate() {
                write(&rendered.path().join(format!("o{i:02}.yaml")), text);
            }
        }
        streams_only = streams_only.min(lbplan(rendered.path(), &lint_args, cache.path()).wall);
    }
    let (diff, diff_renders) = diff_after_one_change(repo.path(), runs);
    let summary: serde_json::Value = serde_json::from_str(&report).expect("json report");
    let findings = summary["findings"].as_array().map_or(0, Vec::len);
    let in_sources = summary["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| {
            f["file"]
                .as_str()
                .is_some_and(|n| n.starts_with("overlays/") || n.starts_with("base/"))
        })
        .count();
    println!(
        "{OVERLAYS} Kustomize overlays, {threads} renders at a time, {} (best of {runs})",
        renderer.0.display()
    );
    println!(
        "  lbplan lint (renders included)          {:>9}  ({} objects, {findings} findings, {in_sources} of them located in the sources)",
        ms(lint),
        summary["summary"]["objects"]
    );
    println!("  renders alone (the renderer, directly)  {:>9}", ms(alone));
    println!(
        "  cold lint / renders alone (the floor)   {:>8.2}x",
        lint.as_secs_f64() / alone.as_secs_f64()
    );
    println!(
        "  warm lint (render cache filled)         {:>9}  ({:.1}% of cold)",
        ms(warm),
        100.0 * warm.as_secs_f64() / lint.as_secs_f64()
    );
    println!(
        "  plan after lint                         {:>9}  ({:.1}% of the cold lint)",
        ms(plan_after),
        100.0 * plan_after.as_secs_f64() / lint.as_secs_f64()
    );
    println!(
        "  diff --base-rev HEAD~1, one overlay changed, cache warm before the commit: {} ({:.2}x the warm lint; {diff_renders} renders)",
        ms(diff),
        diff.as_secs_f64() / warm.as_secs_f64()
    );
    println!(
        "  lbplan on the rendered streams          {:>9}",
        ms(streams_only)
    );
    println!(
        "  lbplan's share by wall time: {:.1}%  ((lint - renders alone) / lint)",
        100.0 * lint.saturating_sub(alone).as_secs_f64() / lint.as_secs_f64()
    );
    println!(
        "  CPU over the lint runs: lbplan {}, renderer processes {}: lbplan's share {:.1}%",
        ms(own),
        ms(children),
        100.0 * own.as_secs_f64() / (own + children).as_secs_f64()
    );
    println!(
        "  CPU of the renders alone: {} (origin annotations cost the renderer {:+.1}%)",
        ms(alone_cpu),
        100.0 * (children.as_secs_f64() / alone_cpu.as_secs_f64() - 1.0)
    );
}
