//! Reading a run's inputs (the jobs `inputs.rs` assigns to clusters): reading and parsing them in
//! parallel, and assembling the objects into the model.
//!
//! A file that cannot be read is an I/O problem (exit code 2); a document that cannot be parsed is
//! an LB001 finding. Neither stops the other files: every readable document is still linted.
//! kubectl exports (pod snapshots included) are read for cluster facts and observed pods, never
//! linted: `load/exports.rs`. Kustomize overlays are rendered beside them (`load/rendered.rs`).

mod exports;

mod rendered;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{ClusterSetup, Config};
use crate::facts::export::{self, ExportRead, ValueSeen, is_pod_dump};
use crate::inputs::{Assigned, Job, Role, Unplaced, WalkFlags, assign_inputs};
use crate::k8s::Spec;
use crate::k8s::read::{ReadOutcome, read_document};
use crate::model::{Assumption, ClusterId, Duplicate, Inventory, ObjectId, PlacedObject};
use crate::overlays::{Rendering, place};
use crate::relocate::Streams;
use crate::render::RenderError;
use crate::rules::LoadProblem;
use crate::source::discover::{InputPath, IoProblem, display_name, is_json};
use crate::source::helm::ChartRoot;
use crate::source::node::MANIFEST;
use crate::source::read::{self, Budget, MAX_RUN_BYTES, read_regular};
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
    /// Objects defined more than once in one cluster, their places moved to the files the user
    /// wrote.
    pub duplicates: Vec<Duplicate>,
    /// The config file, as a source findings can point into.
    pub config_file: Option<FileId>,
    /// Standard input, as a source, when it was read.
    pub stdin: Option<FileId>,
    pub problems: Vec<LoadProblem>,
    pub io_problems: Vec<IoProblem>,
    /// What discovery says besides problems: a note per Helm chart not linted, links not followed.
    pub notes: Vec<String>,
    /// The Helm charts met in folder walks, whose templates were not read.
    pub charts: Vec<ChartRoot>,
    /// Whether the inputs held a Kustomize kustomization.
    pub kustomize: bool,
    /// Canonical paths of the files the Kustomize renders read (a folder: every file under it).
    pub render_inputs: BTreeSet<PathBuf>,
    /// The rendered overlays, whose locations are moved to their sources before reporting.
    pub streams: Streams,
    /// Overlays that did not render: errors of the run (exit code 2), reported after the rest.
    pub render_errors: Vec<RenderError>,
    pub counts: Counts,
}

/// One file, read and parsed. Its text is kept only when a finding can point into it (it holds
/// an object lbplan models, or a problem): the file is never read again.
struct Parsed {
    text: Option<Arc<str>>,
    /// The file holds Helm template syntax (`{{`).
    templated: bool,
    /// The file is one of lbplan's own reports: not read.
    report: bool,
    documents: usize,
    outcome: ReadOutcome,
    /// Parse errors and file-level problems (binary, invalid UTF-8), as (origin, message).
    parse_errors: Vec<(Origin, String)>,
    /// The file is a dump of the cluster's pods (a `PodList` of pods with status): its pods
    /// with a status are observed pods.
    dump: bool,
    /// `GlobalRouteDirectAccess` of ConfigMap `kube-system/tke-service-controller-config`.
    global_route: Vec<ValueSeen>,
}

/// One job, read: a file of manifests, or a kubectl export.
enum Read {
    Manifests(Parsed),
    Export(ExportRead),
}

/// Read the inputs of every cluster. `cli_paths` are the PATH arguments (may be empty); `placed`
/// is the cluster `--cluster NAME` puts them in. Standard input and files named on the command
/// line that no cluster holds are refused before anything is read.
pub fn load(
    config: &Config,
    setups: &[ClusterSetup],
    cli_paths: &[PathBuf],
    stdin_name: &str,
    walk: &WalkFlags,
    rendering: &Rendering,
    placed: Option<usize>,
) -> Result<Loaded, Unplaced> {
    let mut loaded = Loaded::default();
    let mut assigned = assign_inputs(config, setups, cli_paths, stdin_name, walk, placed);
    // Which overlays are rendered, and which inputs their renders replace; then what is left
    // under no cluster is a usage error, or one note.
    let mut overlays = place(
        setups,
        &assigned.kustomizations,
        cli_paths,
        &mut assigned.jobs,
        &mut assigned.unplaced,
    );
    assigned.unplaced(std::mem::take(&mut overlays.unowned), setups)?;
    let Assigned {
        jobs,
        problems,
        notes,
        charts,
        ..
    } = assigned;
    loaded.io_problems = problems;
    loaded.notes = notes;
    loaded.charts = charts;
    let run = loaded.render(overlays, rendering, setups);
    let budget = Budget::default();
    let results = read_jobs(&jobs, &budget);
    if budget.exceeded() {
        // All or nothing: which files fit under the limit would depend on the order threads read
        // them in, and a run's output never does.
        loaded.io_problems = vec![IoProblem {
            path: "(all inputs)".to_string(),
            message: format!(
                "the inputs of this run exceed {} GiB, the limit for one run: nothing was linted; lint them in parts",
                MAX_RUN_BYTES >> 30
            ),
        }];
        return Ok(loaded);
    }

    let mut gathered = Gathered::new(setups.len());
    for (index, (job, result)) in jobs.iter().zip(results).enumerate() {
        let cluster_name = setups.get(job.cluster).map(|s| s.facts.name.as_str());
        let id = loaded.add_result(job, result, cluster_name, &mut gathered);
        debug_assert_eq!(id, FileId(u32::try_from(index).unwrap_or(u32::MAX)));
        if job.input.path == InputPath::Stdin {
            loaded.stdin = Some(id);
        }
    }
    loaded.add_streams(run, setups, &mut gathered);
    if let (Some(path), Some(text)) = (&config.source, &config.text) {
        let name = display_name(path);
        loaded.config_file = Some(
            loaded
                .sources
                .add(SourceFile::in_memory(name, text.clone())),
        );
    }
    loaded.assemble(setups, gathered);
    loaded.io_problems.sort();
    loaded.io_problems.dedup();
    Ok(loaded)
}

/// What the files add to the model: the objects placed in their clusters, and per cluster what
/// describes the live cluster (see `load/exports.rs`).
struct Gathered {
    objects: Vec<PlacedObject>,
    /// The files each cluster's observed pods come from.
    observed_from: Vec<Vec<String>>,
    /// What each cluster's exports show.
    exports: Vec<Vec<export::ExportSeen>>,
    /// `GlobalRouteDirectAccess` settings among each cluster's manifests, with their file.
    global_route: Vec<Vec<(String, ValueSeen)>>,
}

impl Loaded {
    /// Record one job's result; the id of its source (the job's index).
    fn add_result(
        &mut self,
        job: &Job,
        result: Result<Read, String>,
        cluster_name: Option<&str>,
        gathered: &mut Gathered,
    ) -> FileId {
        let unreadable = SourceFile::unreadable(job.input.name.clone());
        let parsed = match result {
            Ok(Read::Manifests(parsed)) => parsed,
            Ok(Read::Export(read)) => return self.add_export(job, read, cluster_name, gathered),
            Err(message) => {
                let message = match job.role {
                    Role::Manifests => message,
                    role => exports::unreadable(role, &message, cluster_name),
                };
                self.io_problems.push(IoProblem {
                    path: job.input.name.clone(),
                    message,
                });
                return self.sources.add(unreadable);
            }
        };
        if parsed.report {
            self.notes.push(format!(
                "{}: an lbplan report, not a manifest; skipped",
                job.input.name
            ));
            return self.sources.add(unreadable);
        }
        self.counts.files += 1;
        self.counts.documents += parsed.documents;
        self.counts.objects += parsed.outcome.kubernetes_objects;
        // The id each object of the file gets in the inventory, for the problems read with it.
        let first = gathered.objects.len();
        let mut observed = false;
        for object in parsed.outcome.objects {
            // In a dump of the cluster's pods, the pods that ran are observed pods.
            let ran = parsed.dump && matches!(&object.spec, Spec::Pod(p) if p.status.is_some());
            observed |= ran;
            gathered.objects.push(PlacedObject {
                object,
                cluster: ClusterId::new(job.cluster),
                from_snapshot: false,
                observed: ran,
                shadowed_by: None,
            });
        }
        let problems = parsed
            .parse_errors
            .into_iter()
            .map(|(origin, message)| (origin, message, None, None))
            .chain(parsed.outcome.problems.into_iter().map(|p| {
                let object = p.object.map(|i| ObjectId::new(first + i));
                (p.origin, p.message, p.related, object)
            }));
        for (origin, message, related, object) in problems {
            self.problems.push(LoadProblem {
                origin,
                message,
                related,
                templated: parsed.templated,
                cluster: cluster_name.map(str::to_string),
                object,
            });
        }
        gathered.manifest(job, observed, parsed.global_route);
        self.sources
            .add(SourceFile::new(job.input.name.clone(), parsed.text))
    }

    /// Build the inventory from the gathered objects, and say which objects are defined twice.
    fn assemble(&mut self, setups: &[ClusterSetup], gathered: Gathered) {
        let (facts, notes) = gathered.facts(setups);
        self.notes.extend(notes);
        let (inventory, assumptions) =
            Inventory::new(facts, gathered.objects, gathered.observed_from);
        let mut duplicates = inventory.duplicate_definitions();
        // Places in rendered streams move to the files the user wrote, with their overlay.
        for place in duplicates.iter_mut().flat_map(|d| d.definitions.iter_mut()) {
            let moved = self.streams.relocate(place.origin, &mut self.sources);
            place.origin = moved.origin;
            place.overlay = moved.overlay;
            place.unresolved = moved.unresolved;
        }
        self.inventory = inventory;
        // After the renders' own (the renderer, each overlay).
        self.assumptions.extend(assumptions);
        for duplicate in &duplicates {
            let assumption = duplicate.assumption(&self.sources);
            self.assumptions.push(assumption);
        }
        self.duplicates = duplicates;
    }
}

/// Read and parse every job, in parallel; results come back in job order.
fn read_jobs(jobs: &[Job], budget: &Budget) -> Vec<Result<Read, String>> {
    let stdin = jobs
        .iter()
        .any(|j| j.input.path == InputPath::Stdin)
        .then(|| read_stdin(budget));
    let read = |(i, job): (usize, &Job)| {
        let file = FileId(u32::try_from(i).unwrap_or(u32::MAX));
        // A panic in one file's parse loses that file alone, never the run.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let bytes = match &job.input.path {
                InputPath::Stdin => stdin
                    .clone()
                    .unwrap_or_else(|| Err("standard input was not read".into())),
                InputPath::File(path) => read_regular(path, budget),
            };
            bytes.map(|b| {
                if job.role.is_export() {
                    Read::Export(export::read(file, &job.input.name, b))
                } else {
                    Read::Manifests(parse_file(file, &job.input.name, b))
                }
            })
        }))
        .unwrap_or_else(|_| Err("internal error while reading this file".into()))
    };
    match crate::threads::pool(crate::threads::count().min(jobs.len())) {
        Some(pool) => pool.install(|| jobs.par_iter().enumerate().map(read).collect()),
        None => jobs.iter().enumerate().map(read).collect(),
    }
}

fn read_stdin(budget: &Budget) -> Result<Vec<u8>, String> {
    let bytes = read::read_stdin(budget)?;
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

/// Whether `text` is one of lbplan's own JSON reports (lint, plan or weights JSON, or SARIF),
/// recognised by its content: a report written into a linted folder is never linted next time.
fn is_lbplan_report(text: &str) -> bool {
    let body = text.trim_start_matches('\u{feff}').trim_start();
    let Some(body) = body.strip_prefix('{') else {
        return false;
    };
    // `{"version": 1, "findings"|"assumptions"|"groups": ...`, lbplan's first two keys.
    let rest = body.trim_start();
    if let Some(rest) = rest.strip_prefix("\"version\"") {
        let rest = rest
            .trim_start()
            .strip_prefix(':')
            .unwrap_or("")
            .trim_start();
        let rest = rest
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .trim_start();
        let rest = rest.strip_prefix(',').unwrap_or("").trim_start();
        return ["\"findings\"", "\"assumptions\"", "\"groups\""]
            .iter()
            .any(|key| rest.starts_with(key));
    }
    rest.starts_with("\"$schema\"")
        && rest
            .get(..200)
            .unwrap_or(rest)
            .contains("sarif-schema-2.1.0")
        && text.contains("\"name\": \"lbplan\"")
}

/// Decode and parse one file.
fn parse_file(file: FileId, name: &str, bytes: Vec<u8>) -> Parsed {
    let decoded = decode(bytes);
    let text = decoded.text;
    if !decoded.binary && is_lbplan_report(&text) {
        return Parsed {
            text: None,
            templated: false,
            report: true,
            documents: 0,
            outcome: ReadOutcome::default(),
            parse_errors: Vec::new(),
            dump: false,
            global_route: Vec::new(),
        };
    }
    parse_text(file, name, text, decoded.problem, decoded.binary)
}

/// Parse decoded text; `problem` is what decoding found wrong with it.
fn parse_text(
    file: FileId,
    name: &str,
    text: String,
    problem: Option<(usize, &'static str)>,
    binary: bool,
) -> Parsed {
    let mut parse_errors = Vec::new();
    let at = |offset: usize| Origin::new(file, Span::new(offset, offset));
    if let Some((offset, problem)) = problem {
        parse_errors.push((at(offset), problem.to_string()));
    }
    let mut outcome = ReadOutcome::default();
    let mut count = 0;
    let (mut dump, mut global_route) = (false, Vec::new());
    if !binary {
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
                    dump |= is_pod_dump(&node);
                    export::manifest_global_route(&node, &mut global_route);
                }
                Err(err) => parse_errors.push((at(err.offset), err.message)),
            }
        }
    }
    // Most files hold one object or none: exact capacities keep 36k files' worth of results small.
    outcome.objects.shrink_to_fit();
    outcome.problems.shrink_to_fit();
    parse_errors.shrink_to_fit();
    // Findings point only at objects and problems: other files' texts are not needed again.
    let problems = !(parse_errors.is_empty() && outcome.problems.is_empty());
    let keep = problems || !outcome.objects.is_empty();
    Parsed {
        // Only a problem's help uses it: spare the scan of clean files.
        templated: problems && text.contains("{{"),
        report: false,
        text: keep.then(|| Arc::from(text)),
        documents: count,
        outcome,
        parse_errors,
        dump,
        global_route,
    }
}

#[cfg(test)]
mod tests {
    use super::is_lbplan_report;

    #[test]
    fn lbplan_reports_are_recognised_by_content() {
        assert!(is_lbplan_report(
            "{\n  \"version\": 1,\n  \"findings\": []}"
        ));
        assert!(is_lbplan_report("{\"version\":1,\"assumptions\":[]}"));
        assert!(is_lbplan_report(
            "{\n  \"$schema\": \"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json\",\n  \"runs\": [{\"tool\": {\"driver\": {\"name\": \"lbplan\"}}}]}"
        ));
        assert!(!is_lbplan_report(
            "{\"apiVersion\": \"v1\", \"kind\": \"Service\"}"
        ));
        assert!(!is_lbplan_report("{\"version\": 1, \"kind\": \"List\"}"));
        assert!(!is_lbplan_report("version: 1\nfindings: []\n"));
    }
}
