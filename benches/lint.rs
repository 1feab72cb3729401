//! `cargo bench --bench lint`: lbplan against the floor, measured side by side in one run.
//!
//! The floor is a plain serde_yaml parse of every document of the same corpus into `Value`, on one
//! thread, files read included: what any tool reading the YAML must pay. lbplan is timed as a user
//! runs it (`lbplan lint --format json`, process start to exit), the binary users install
//! (`common::bench_binary`: a `cargo build --release` of its own, or `LBPLAN_BENCH_BINARY`). Reported: lint over floor on the
//! corpus and on a copy of it ten times over, the scaling from 1x to 10x, lbplan's peak memory, the
//! wall time of linting one small file (the pre-commit case), and of planning 1,000 Ingresses of
//! 10 rules on one listener (the L7 plan at scale). Ratios only; nothing is asserted.
//!
//! The corpus defaults to `../shared/corpus/generic`; set `LBPLAN_BENCH_CORPUS` to use another.
//! `LBPLAN_BENCH_RUNS` sets the repetitions (default 7). `LBPLAN_BENCH_BASELINE=PATH` names another
//! lbplan binary (a release build of `main`, say) to run interleaved with this one on the corpus
//! and the small file, its ratios printed beside: on a shared machine, the comparison that holds. Each figure is the best of its runs, which
//! interference from the rest of the machine can only make slower, applied alike to both sides.

// Times and sizes become floats only to print ratios and megabytes; pids and rusage fields are
// what libc gives.
#![allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss,
    reason = "printed measurements and libc's types"
)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

#[path = "../tests/common/mod.rs"]
mod common;

/// The floor: read every file and parse every document into serde_yaml::Value, one thread.
fn floor(files: &[PathBuf]) -> (Duration, usize) {
    let start = Instant::now();
    let mut documents = 0;
    for f in files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        for de in serde_yaml::Deserializer::from_str(&text) {
            if let Ok(value) = <serde_yaml::Value as serde::Deserialize>::deserialize(de) {
                documents += 1;
                std::hint::black_box(value);
            } else {
                break;
            }
        }
    }
    (start.elapsed(), documents)
}

/// The floor without I/O: the same parse over texts already in memory.
fn floor_in_memory(texts: &[String]) -> Duration {
    let start = Instant::now();
    for text in texts {
        for de in serde_yaml::Deserializer::from_str(text) {
            match <serde_yaml::Value as serde::Deserialize>::deserialize(de) {
                Ok(value) => {
                    std::hint::black_box(value);
                }
                Err(_) => break,
            }
        }
    }
    start.elapsed()
}

/// Run lbplan and return its wall time and peak resident memory (bytes).
fn run(args: &[&str], threads: Option<&str>) -> (Duration, u64) {
    run_program(common::bench_binary(), args, threads)
}

/// [`run`], of the lbplan binary `program`.
fn run_program(program: &Path, args: &[&str], threads: Option<&str>) -> (Duration, u64) {
    let mut command = Command::new(program);
    command
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if let Some(t) = threads {
        command.env("LBPLAN_THREADS", t);
    }
    let start = Instant::now();
    // Reaped below by wait4, which std's Child cannot do while keeping the rusage.
    #[allow(clippy::zombie_processes)]
    let child = command.spawn().expect("spawn lbplan");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our own child, not yet waited for; both pointers are valid for the call.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = start.elapsed();
    assert_eq!(waited, pid, "wait4 failed");
    // ru_maxrss is in kilobytes on Linux.
    (elapsed, usage.ru_maxrss as u64 * 1024)
}

fn best(xs: &[Duration]) -> Duration {
    xs.iter().copied().min().unwrap_or_default()
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn copy_tenfold(corpus: &Path, files: &[PathBuf], into: &Path) {
    for i in 0..10 {
        for f in files {
            let rel = f.strip_prefix(corpus).expect("inside corpus");
            let target = into.join(format!("copy-{i}")).join(rel);
            std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
            std::fs::copy(f, &target).expect("copy");
        }
    }
}

/// 1,000 CCE Ingresses of 10 rules each on one listener of one ELB, to 20 Services: the L7 plan at
/// scale (duplicate detection and ordering must stay near-linear).
fn write_l7_case(dir: &Path) {
    use std::fmt::Write as _;
    let mut text = String::new();
    for i in 0..1000 {
        let _ = write!(
            text,
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: app-{i}\n  annotations: {{kubernetes.io/ingress.class: cce, kubernetes.io/elb.id: e1, kubernetes.io/elb.port: \"80\"}}\nspec:\n  rules:\n  - host: h{i}.example.com\n    http:\n      paths:\n"
        );
        for j in 0..10 {
            let _ = writeln!(
                text,
                "      - {{path: /p{j}, pathType: Prefix, backend: {{service: {{name: svc-{}, port: {{number: 80}}}}}}}}",
                i % 20
            );
        }
        text.push_str("---\n");
    }
    for k in 0..20 {
        let _ = write!(
            text,
            "apiVersion: v1\nkind: Service\nmetadata: {{name: svc-{k}}}\nspec: {{type: NodePort, selector: {{app: a{k}}}, ports: [{{port: 80}}]}}\n---\n"
        );
    }
    std::fs::write(dir.join("ingresses.yaml"), text).expect("write the L7 case");
}

#[allow(
    clippy::too_many_lines,
    reason = "one measurement after another, then the table"
)]
fn main() {
    let Some(corpus) = common::bench_corpus() else {
        return;
    };
    let runs = common::bench_runs();
    let files = common::manifest_files(&corpus);
    let bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_tenfold(&corpus, &files, tmp.path());
    let files10 = common::manifest_files(tmp.path());
    let corpus_s = corpus.to_string_lossy().into_owned();
    let tenfold_s = tmp.path().to_string_lossy().into_owned();
    // --no-ignore: lbplan reads what the floor reads (the corpus's vendored and test folders
    // included), so that the ratio compares the same work.
    let lint = |path: &str| {
        vec![
            "lint",
            "--format",
            "json",
            "--fail-on",
            "never",
            "--no-ignore",
            path.to_string().leak() as &str,
        ]
    };
    let small = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo/shop/api.yaml");
    let small_s = small.to_string_lossy().into_owned();

    // Warm the page cache and the binary.
    let _ = floor(&files);
    let _ = run(&lint(&corpus_s), None);

    let texts: Vec<String> = files
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .collect();
    let mut floor_parse = Vec::new();
    let mut floor1 = Vec::new();
    let mut floor10 = Vec::new();
    let mut lint1 = Vec::new();
    let mut lint1_single = Vec::new();
    let mut lint10 = Vec::new();
    let mut peak1 = 0;
    let mut peak10 = 0;
    let mut documents = 0;
    let baseline = std::env::var_os("LBPLAN_BENCH_BASELINE").map(PathBuf::from);
    let (mut base1, mut base10, mut base_peak10) = (Vec::new(), Vec::new(), 0);
    // Interleaved, so that drift in machine load affects both sides alike.
    for _ in 0..runs {
        if let Some(program) = &baseline {
            base1.push(run_program(program, &lint(&corpus_s), None).0);
            let (t, m) = run_program(program, &lint(&tenfold_s), None);
            base10.push(t);
            base_peak10 = base_peak10.max(m);
        }
        floor_parse.push(floor_in_memory(&texts));
        let (t, d) = floor(&files);
        floor1.push(t);
        documents = d;
        let (t, m) = run(&lint(&corpus_s), None);
        lint1.push(t);
        peak1 = peak1.max(m);
        lint1_single.push(run(&lint(&corpus_s), Some("1")).0);
        floor10.push(floor(&files10).0);
        let (t, m) = run(&lint(&tenfold_s), None);
        lint10.push(t);
        peak10 = peak10.max(m);
    }
    let mut small_runs = Vec::new();
    let mut base_small = Vec::new();
    for _ in 0..50 {
        small_runs.push(run(&["lint", &small_s], None).0);
        if let Some(program) = &baseline {
            base_small.push(run_program(program, &["lint", &small_s], None).0);
        }
    }
    let l7_dir = tempfile::tempdir().expect("tempdir");
    write_l7_case(l7_dir.path());
    let l7_s = l7_dir.path().to_string_lossy().into_owned();
    let l7_plan: Vec<Duration> = (0..runs)
        .map(|_| run(&["plan", "--format", "json", &l7_s], None).0)
        .collect();
    let l7_lint: Vec<Duration> = (0..runs).map(|_| run(&lint(&l7_s), None).0).collect();
    let charts = tempfile::tempdir().expect("tempdir");
    let chart_files = chart_repository(charts.path(), 5000);
    let charts_s = charts.path().to_string_lossy().into_owned();
    let _ = run(&lint_repo(&charts_s), None);
    let chart_runs: Vec<Duration> = (0..runs)
        .map(|_| run(&lint_repo(&charts_s), None).0)
        .collect();

    let (f1, f10, l1, l1s, l10) = (
        best(&floor1),
        best(&floor10),
        best(&lint1),
        best(&lint1_single),
        best(&lint10),
    );
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    println!(
        "corpus: {} ({} files, {:.1} MB, {documents} documents); best of {runs} runs; {threads} cores",
        corpus.display(),
        files.len(),
        bytes as f64 / 1e6
    );
    println!();
    println!("| measure | 1x corpus | 10x corpus |");
    println!("|---|---|---|");
    println!(
        "| floor: serde_yaml parse into Value, 1 thread | {:.0} ms | {:.0} ms |",
        ms(f1),
        ms(f10)
    );
    println!(
        "| `lbplan lint` ({threads} threads) | {:.0} ms | {:.0} ms |",
        ms(l1),
        ms(l10)
    );
    println!(
        "| `lbplan lint` / floor | **{:.2}x** | **{:.2}x** |",
        ms(l1) / ms(f1),
        ms(l10) / ms(f10)
    );
    println!(
        "| `lbplan lint`, 1 thread / floor | {:.2}x | |",
        ms(l1s) / ms(f1)
    );
    let fp = best(&floor_parse);
    println!(
        "| floor without reading files (texts in memory) | {:.0} ms | |",
        ms(fp)
    );
    println!("| `lbplan lint` / that floor | {:.2}x | |", ms(l1) / ms(fp));
    println!(
        "| peak memory of `lbplan lint` | {:.0} MB | **{:.0} MB** |",
        peak1 as f64 / 1e6,
        peak10 as f64 / 1e6
    );
    println!();
    println!(
        "scaling, lint 10x / lint 1x: **{:.2}x** (floor: {:.2}x)",
        ms(l10) / ms(l1),
        ms(f10) / ms(f1)
    );
    println!(
        "one small file (process start to exit, 50 runs): median **{:.2} ms**, max {:.1} ms",
        ms(median(small_runs.clone())),
        ms(*small_runs.iter().max().expect("runs"))
    );
    if let Some(program) = &baseline {
        println!(
            "baseline {}, interleaved: `lbplan lint` / floor **{:.2}x** and **{:.2}x** (this build: {:.2}x and {:.2}x), peak memory on 10x {:.0} MB, one small file median {:.2} ms",
            program.display(),
            ms(best(&base1)) / ms(f1),
            ms(best(&base10)) / ms(f10),
            ms(l1) / ms(f1),
            ms(l10) / ms(f10),
            base_peak10 as f64 / 1e6,
            ms(median(base_small))
        );
    }
    println!(
        "L7: 1,000 Ingresses of 10 rules on one listener (10,000 rules): `plan --format json` **{:.0} ms**, `lint` {:.0} ms (best of {runs})",
        ms(best(&l7_plan)),
        ms(best(&l7_lint))
    );
    println!(
        "a Helm chart repository of {chart_files} files (`lbplan lint --no-render`, templates skipped): best **{:.0} ms**, median {:.0} ms",
        ms(best(&chart_runs)),
        ms(median(chart_runs.clone()))
    );
}

/// `lbplan lint DIR` as a user runs it at the root of a repository.
/// The chart repository's run: its charts listed, not rendered (rendering them is
/// `cargo bench --bench render`'s).
fn lint_repo(path: &str) -> Vec<&'static str> {
    vec![
        "lint",
        "--no-render",
        "--fail-on",
        "never",
        path.to_string().leak(),
    ]
}

/// A repository of Helm charts, `files` files in all: charts of 40 templates (Services, Deployments
/// and Ingresses with template syntax), a helpers file, values files and one plain CRD each, and
/// a folder of plain manifests beside them. Returns the number of files written.
fn chart_repository(root: &Path, files: usize) -> usize {
    let mut written = 0;
    let mut chart = 0;
    let put = |path: PathBuf, text: String| {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    };
    while written < files {
        let dir = root.join(format!("charts/app-{chart}"));
        put(
            dir.join("Chart.yaml"),
            format!("apiVersion: v2\nname: app-{chart}\nversion: 0.1.0\n"),
        );
        put(dir.join("values.yaml"), "replicas: 2\nport: 80\n".into());
        put(dir.join("values-prod.yaml"), "replicas: 5\n".into());
        put(
            dir.join("templates/_helpers.tpl"),
            "{{- define \"app.name\" -}}{{ .Chart.Name }}{{- end }}\n".into(),
        );
        put(
            dir.join("crds/crd.yaml"),
            format!(
                "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: things{chart}.example.com\n"
            ),
        );
        written += 5;
        for t in 0..40 {
            put(
                dir.join(format!("templates/service-{t}.yaml")),
                format!(
                    "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{{{ include \"app.name\" . }}}}-{t}\n  annotations:\n    kubernetes.io/elb.class: {{{{ .Values.class }}}}\nspec:\n  type: LoadBalancer\n  ports:\n    - port: {{{{ .Values.port }}}}\n"
                ),
            );
            written += 1;
        }
        chart += 1;
    }
    for i in 0..20 {
        put(
            root.join(format!("deploy/service-{i}.yaml")),
            format!(
                "apiVersion: v1\nkind: Service\nmetadata:\n  name: plain-{i}\nspec:\n  type: LoadBalancer\n  ports:\n    - port: {}\n",
                1000 + i
            ),
        );
        written += 1;
    }
    written
}
