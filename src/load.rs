//! Reading a run's inputs: which files belong to which cluster, reading and parsing them in
//! parallel, and assembling the objects into the model.
//!
//! A file that cannot be read is an I/O problem (exit code 2); a document that cannot be parsed is
//! an LB001 finding. Neither stops the other files: every readable document is still linted.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::config::{ClusterSetup, Config};
use crate::facts::ClusterFacts;
use crate::k8s::Spec;
use crate::k8s::read::{ReadOutcome, read_document};
use crate::model::{Assumption, ClusterId, Inventory, ObjectId, PlacedObject};
use crate::rules::LoadProblem;
use crate::source::discover::{Input, InputPath, IoProblem, discover, display_name, is_json};
use crate::source::node::MANIFEST;
use crate::source::yaml::{parse_json, parse_yaml};
use crate::source::{FileId, Origin, SourceFile, Sources, Span, decode};

/// Counts for the report's summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub files: usize,
    pub documents: usize,
    pub objects: usize,
}

/// Everything read for one run.
#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: Sources,
    pub inventory: Inventory,
    pub assumptions: Vec<Assumption>,
    /// Objects defined more than once in one cluster.
    pub duplicates: Vec<Assumption>,
    /// The config file, as a source findings can point into.
    pub config_file: Option<FileId>,
    pub problems: Vec<LoadProblem>,
    pub io_problems: Vec<IoProblem>,
    pub counts: Counts,
}

/// What the run reads from one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Manifests,
    /// A pod snapshot: only its Pods are used.
    Snapshot,
}

#[derive(Debug)]
struct Job {
    input: Input,
    /// Index of the cluster in the run's setups.
    cluster: usize,
    role: Role,
}

/// One file, read and parsed. Its text is not kept (see `SourceFile`), except standard input's,
/// which cannot be read twice.
struct Parsed {
    len: usize,
    stdin_text: Option<Arc<str>>,
    /// The file holds Helm template syntax (`{{`).
    templated: bool,
    documents: usize,
    outcome: ReadOutcome,
    /// Parse errors and file-level problems (binary, invalid UTF-8), as (origin, message).
    parse_errors: Vec<(Origin, String)>,
}

/// Read the inputs of every cluster. `cli_paths` are the PATH arguments (may be empty).
#[allow(
    clippy::too_many_lines,
    reason = "splitting assignment from reading is issue 13 item 5, done apart"
)]
pub fn load(
    config: &Config,
    setups: &[ClusterSetup],
    cli_paths: &[PathBuf],
    stdin_name: &str,
) -> Loaded {
    let mut loaded = Loaded::default();
    let jobs = plan_jobs(
        config,
        setups,
        cli_paths,
        stdin_name,
        &mut loaded.io_problems,
    );
    let results = run_jobs(&jobs);

    let mut entries = Vec::new();
    let mut snapshot_given = vec![false; setups.len()];
    for (index, (job, result)) in jobs.iter().zip(results).enumerate() {
        let file = FileId(u32::try_from(index).unwrap_or(u32::MAX));
        let cluster_name = setups.get(job.cluster).map(|s| s.facts.name.clone());
        let parsed = match result {
            Ok(parsed) => parsed,
            Err(message) => {
                loaded
                    .sources
                    .add(SourceFile::unreadable(job.input.name.clone()));
                let message = match job.role {
                    Role::Snapshot => format!(
                        "{message} (the pod snapshot of cluster {}, clusters[].pods or --pods)",
                        cluster_name.as_deref().unwrap_or("default")
                    ),
                    Role::Manifests => message,
                };
                loaded.io_problems.push(IoProblem {
                    path: job.input.name.clone(),
                    message,
                });
                continue;
            }
        };
        if job.role == Role::Snapshot {
            if let Some(flag) = snapshot_given.get_mut(job.cluster) {
                *flag = true;
            }
        }
        loaded.counts.files += 1;
        loaded.counts.documents += parsed.documents;
        loaded.counts.objects += parsed.outcome.kubernetes_objects;
        for (origin, message) in parsed.parse_errors {
            loaded.problems.push(LoadProblem {
                origin,
                message,
                related: None,
                templated: parsed.templated,
                cluster: cluster_name.clone(),
            });
        }
        for p in parsed.outcome.problems {
            loaded.problems.push(LoadProblem {
                origin: p.origin,
                message: p.message,
                related: p.related,
                templated: parsed.templated,
                cluster: cluster_name.clone(),
            });
        }
        for object in parsed.outcome.objects {
            if job.role == Role::Snapshot && !matches!(object.spec, Spec::Pod(_)) {
                continue;
            }
            entries.push(PlacedObject {
                object,
                cluster: ClusterId::new(job.cluster),
                from_snapshot: job.role == Role::Snapshot,
                shadowed_by: None,
            });
        }
        let source = match (parsed.stdin_text, &job.input.path) {
            (Some(text), _) => SourceFile::in_memory(job.input.name.clone(), text),
            (None, InputPath::File(path)) => {
                SourceFile::on_disk(job.input.name.clone(), path.clone(), parsed.len)
            }
            (None, InputPath::Stdin) => SourceFile::unreadable(job.input.name.clone()),
        };
        let id = loaded.sources.add(source);
        debug_assert_eq!(id, file);
    }
    if let (Some(path), Some(text)) = (&config.source, &config.text) {
        let name = display_name(path);
        loaded.config_file = Some(
            loaded
                .sources
                .add(SourceFile::in_memory(name, text.clone())),
        );
    }
    let facts: Vec<ClusterFacts> = setups.iter().map(|s| s.facts.clone()).collect();

    let (inventory, assumptions) = Inventory::new(facts, entries, &snapshot_given);
    let mut shadowed: std::collections::BTreeMap<ObjectId, Vec<ObjectId>> =
        std::collections::BTreeMap::new();
    for (earlier, winner) in inventory.duplicates() {
        shadowed.entry(winner).or_default().push(earlier);
    }
    let at = |id: ObjectId| {
        let origin = inventory.object(id).origin;
        let pos = loaded.sources.line_col(origin);
        format!("{}:{}", loaded.sources.name(origin.file), pos.line)
    };
    loaded.duplicates = shadowed
        .into_iter()
        .map(|(winner, earlier)| Assumption::Duplicate {
            object: inventory.object(winner).label().to_string(),
            cluster: inventory.cluster_of(winner).name().to_string(),
            used: at(winner),
            ignored: earlier.iter().take(3).map(|&id| at(id)).collect(),
            more: earlier.len().saturating_sub(3),
        })
        .collect();
    loaded.inventory = inventory;
    loaded.assumptions = assumptions;
    loaded.assumptions.extend(loaded.duplicates.iter().cloned());
    loaded.io_problems.sort();
    loaded.io_problems.dedup();
    loaded
}

/// Decide which files each cluster reads.
#[allow(
    clippy::too_many_lines,
    reason = "splitting assignment from reading is issue 13 item 5, done apart"
)]
fn plan_jobs(
    config: &Config,
    setups: &[ClusterSetup],
    cli_paths: &[PathBuf],
    stdin_name: &str,
    problems: &mut Vec<IoProblem>,
) -> Vec<Job> {
    // A pod snapshot under a linted folder is read once, as the snapshot: read as manifests too,
    // its pods would be counted twice.
    let snapshots: Vec<PathBuf> = setups
        .iter()
        .filter_map(|s| s.pods.as_ref())
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    let mut jobs: Vec<Job> = Vec::new();
    // `origin` names where paths from the config came from, so that a missing one is findable.
    let mut add = |found: crate::source::discover::Discovered,
                   cluster: usize,
                   origin: Option<String>,
                   problems: &mut Vec<IoProblem>| {
        problems.extend(found.problems.into_iter().map(|mut p| {
            if let Some(origin) = &origin {
                p.message = format!("{} ({origin})", p.message);
            }
            p
        }));
        for input in found.inputs {
            jobs.push(Job {
                input,
                cluster,
                role: Role::Manifests,
            });
        }
    };
    match setups {
        [single] => {
            let (paths, origin) = match (&single.paths, cli_paths.is_empty()) {
                (_, false) => (cli_paths.to_vec(), None),
                (Some(paths), true) => (
                    paths.clone(),
                    Some("clusters[0].paths in the config".to_string()),
                ),
                (None, true) if config.file.paths.is_empty() => (config.default_paths(), None),
                (None, true) => (
                    config.default_paths(),
                    Some("paths in the config".to_string()),
                ),
            };
            add(discover(&paths, None, stdin_name), 0, origin, problems);
        }
        _ if cli_paths.is_empty() => {
            for (i, setup) in setups.iter().enumerate() {
                let paths = setup.paths.clone().unwrap_or_default();
                let origin = format!(
                    "clusters[{i}].paths in the config, cluster {}",
                    setup.facts.name
                );
                add(
                    discover(&paths, None, stdin_name),
                    i,
                    Some(origin),
                    problems,
                );
            }
        }

        _ => {
            // Several clusters and explicit PATHs: each file goes to the cluster whose paths hold it.
            let roots: Vec<(usize, PathBuf)> = setups
                .iter()
                .enumerate()
                .flat_map(|(i, s)| s.paths.iter().flatten().map(move |p| (i, p.clone())))
                .filter_map(|(i, p)| std::fs::canonicalize(&p).ok().map(|c| (i, c)))
                .collect();
            let found = discover(cli_paths, None, stdin_name);
            problems.extend(found.problems);
            for input in found.inputs {
                let real = match &input.path {
                    InputPath::Stdin => None,
                    InputPath::File(path) => std::fs::canonicalize(path).ok(),
                };
                if real.as_ref().is_some_and(|r| snapshots.contains(r)) {
                    continue; // read below, as its cluster's snapshot
                }
                let cluster = real.and_then(|real| {
                    roots
                        .iter()
                        .find(|(_, root)| real.starts_with(root))
                        .map(|(i, _)| *i)
                });
                match cluster {
                    Some(cluster) => jobs.push(Job {
                        input,
                        cluster,
                        role: Role::Manifests,
                    }),
                    None => problems.push(IoProblem {
                        path: input.name.clone(),
                        message: "belongs to no cluster: with several clusters configured, every input must be under one cluster's paths in .lbplan.yaml".into(),
                    }),
                }
            }
        }
    }
    for (i, setup) in setups.iter().enumerate() {
        if let Some(pods) = &setup.pods {
            jobs.push(Job {
                input: Input {
                    name: display_name(pods),
                    path: InputPath::File(pods.clone()),
                },
                cluster: i,
                role: Role::Snapshot,
            });
        }
    }
    if !snapshots.is_empty() {
        jobs.retain(|job| match (&job.input.path, job.role) {
            (InputPath::File(path), Role::Manifests) => {
                std::fs::canonicalize(path).map_or(true, |real| !snapshots.contains(&real))
            }
            _ => true,
        });
    }
    // Sorted by name so that neither argument order nor discovery order changes the output.
    jobs.sort_by(|a, b| (&a.input.name, a.cluster).cmp(&(&b.input.name, b.cluster)));
    jobs.dedup_by(|a, b| a.input == b.input && a.role == b.role);
    jobs
}

/// Read and parse every job, in parallel; results come back in job order.
fn run_jobs(jobs: &[Job]) -> Vec<Result<Parsed, String>> {
    let stdin = jobs
        .iter()
        .any(|j| j.input.path == InputPath::Stdin)
        .then(read_stdin);
    let threads = thread_count().min(jobs.len()).max(1);
    let next = AtomicUsize::new(0);
    let mut slots: Vec<Option<Result<Parsed, String>>> = Vec::new();
    slots.resize_with(jobs.len(), || None);
    let work = |out: &mut Vec<(usize, Result<Parsed, String>)>| loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(job) = jobs.get(i) else { break };
        let file = FileId(u32::try_from(i).unwrap_or(u32::MAX));
        let bytes = match &job.input.path {
            InputPath::Stdin => stdin
                .clone()
                .unwrap_or_else(|| Err("standard input was not read".into())),
            InputPath::File(path) => read_file(path),
        };
        let stdin = job.input.path == InputPath::Stdin;
        out.push((
            i,
            bytes.map(|b| parse_file(file, &job.input.name, b, stdin)),
        ));
    };
    if threads == 1 {
        let mut out = Vec::new();
        work(&mut out);
        for (i, r) in out {
            if let Some(slot) = slots.get_mut(i) {
                *slot = Some(r);
            }
        }
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    scope.spawn(|| {
                        let mut out = Vec::new();
                        work(&mut out);
                        out
                    })
                })
                .collect();
            for handle in handles {
                // A worker that panicked lost only its own results; their slots report it below.
                for (i, r) in handle.join().unwrap_or_default() {
                    if let Some(slot) = slots.get_mut(i) {
                        *slot = Some(r);
                    }
                }
            }
        });
    }
    slots
        .into_iter()
        .map(|s| s.unwrap_or_else(|| Err("internal error while reading this file".into())))
        .collect()
}

/// Worker threads: `LBPLAN_THREADS` if set, else the machine's parallelism.
fn thread_count() -> usize {
    std::env::var("LBPLAN_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get))
}

fn read_stdin() -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    // An empty stream usually means the command before the pipe failed; passing it would let a
    // broken `helm template | lbplan lint -` through a CI gate.
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(
            "standard input is empty: nothing to lint (did the command before the pipe fail?)"
                .into(),
        );
    }
    Ok(bytes)
}

fn read_file(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::IsADirectory => "is a folder".to_string(),
        _ => e.to_string(),
    })
}

/// Decode and parse one file.
fn parse_file(file: FileId, name: &str, bytes: Vec<u8>, stdin: bool) -> Parsed {
    let mut parse_errors = Vec::new();
    let at = |offset: usize| Origin::new(file, Span::new(offset, offset));
    let decoded = decode(bytes);
    let text = decoded.text;
    if let Some((offset, problem)) = decoded.problem {
        parse_errors.push((at(offset), problem.to_string()));
    }
    let mut outcome = ReadOutcome::default();
    let mut count = 0;
    if !decoded.binary {
        let documents = if is_json(name) {
            parse_json(&text, &MANIFEST)
        } else {
            parse_yaml(&text, &MANIFEST)
        };
        count = documents.len();
        for doc in documents {
            match doc.result {
                Ok(node) => {
                    let start = Origin::new(file, Span::new(doc.span.start, doc.span.start));
                    read_document(file, &text, &node, start, &mut outcome);
                }
                Err(err) => parse_errors.push((at(err.offset), err.message)),
            }
        }
    }
    // Most files hold one object or none: exact capacities keep 36k files' worth of results small.
    outcome.objects.shrink_to_fit();
    outcome.problems.shrink_to_fit();
    parse_errors.shrink_to_fit();
    Parsed {
        len: text.len(),

        // Only a problem's help uses it: spare the scan of clean files.
        templated: !(parse_errors.is_empty() && outcome.problems.is_empty()) && text.contains("{{"),
        stdin_text: stdin.then(|| Arc::from(text.as_str())),
        documents: count,
        outcome,
        parse_errors,
    }
}
