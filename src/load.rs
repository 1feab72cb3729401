//! Reading a run's inputs (the jobs `inputs.rs` assigns to clusters): reading and parsing them in
//! parallel, and assembling the objects into the model.
//!
//! A file that cannot be read is an I/O problem (exit code 2); a document that cannot be parsed is
//! an LB001 finding. Neither stops the other files: every readable document is still linted.
//! kubectl exports (pod snapshots included) are read for cluster facts and observed pods, never
//! linted: `load/exports.rs`. Kustomize overlays are rendered beside them (`load/rendered.rs`).
//! Reading and parsing the files themselves is `load/files.rs`.

mod assign;
mod charts;
mod claims;
mod exports;
mod files;
mod json;
mod memo;
mod rendered;

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::config::{ClusterSetup, Config};
use crate::facts::export::{self, ValueSeen};
use crate::helm::error::HelmError;
use crate::helm::summary::ChartRecord;
use crate::inputs::{Assigned, Job, Role};
use crate::k8s::Spec;
use crate::k8s::read::UnmodelledPods;
use crate::model::{
    Assumption, ClusterId, Duplicate, Inventory, ObjectId, PlacedObject, placement,
};
use crate::overlays::Rendering;
use crate::relocate::Streams;
use crate::render::RenderError;
use crate::rules::LoadProblem;
use crate::source::discover::{InputPath, IoProblem, display_name};
use crate::source::helm::ChartRoot;
use crate::source::read::{Budget, MAX_RUN_BYTES, NotRead};
use crate::source::{FileId, SourceFile, Sources};
pub use assign::{Assignment, assign};
use files::{Read, read_jobs};
pub use memo::ParseMemo;

/// Where a rendered overlay's objects go: a cluster, and the source of it that deploys the
/// overlay (whose namespace and variables apply).
type Target = (usize, Option<usize>);

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
    /// Files met in folder walks that could not be read (a broken symbolic link, a file
    /// without read permission): not checked, and one note says so, not an error.
    pub unread: Vec<IoProblem>,
    /// What discovery says besides problems: a note per Helm chart not linted, links not followed.
    pub notes: Vec<String>,
    /// The Helm charts met in folder walks, whose templates were not read.
    pub charts: Vec<ChartRoot>,
    /// Files met in folder walks that no cluster holds (with several clusters): not read.
    pub no_cluster: Vec<String>,
    /// Whether the inputs held a Kustomize kustomization.
    pub kustomize: bool,
    /// The clusters of the run, as (name, where it comes from, what shows it).
    pub clusters: Vec<(String, &'static str, String)>,
    /// Canonical paths of the files the Kustomize renders read (a folder: every file under it).
    pub render_inputs: BTreeSet<PathBuf>,
    /// The rendered overlays, whose locations are moved to their sources before reporting.
    pub streams: Streams,
    /// Overlays that did not render: errors of the run (exit code 2), reported after the rest.
    pub render_errors: Vec<RenderError>,
    /// Helm releases the config (or a GitOps object) names that did not render: errors of the
    /// run (exit code 2), reported after the rest.
    pub helm_errors: Vec<HelmError>,
    /// Every chart of the run, rendered or not, for `--verbose` and JSON.
    pub chart_records: Vec<ChartRecord>,
    /// Charts not rendered (`plan` says how many).
    pub unrendered_charts: usize,
    /// What became of each chart the walks met (by the name reports give it): what `lbplan
    /// diff` asks before it counts a chart's changed files as not checked.
    pub chart_states: std::collections::BTreeMap<String, crate::helm::state::ChartState>,
    /// The overlays of the inputs that were not rendered (rendering off, or a failure), with the
    /// files each would have read: what `lbplan diff` counts as not checked when a change
    /// touches them.
    pub unrendered: Vec<Unrendered>,
    pub counts: Counts,
    /// The folders of the copies of each object this side placed (`model/placement/across.rs`).
    pub copy_folders: placement::CopyFolders,
}

/// A Kustomize overlay of the inputs that was not rendered.
#[derive(Debug, Clone)]
pub struct Unrendered {
    pub overlay: crate::render::Overlay,
    /// Rendering was off (`--no-render`, `render.kustomize: off`); `None`: the render failed
    /// (one of `render_errors`).
    pub off: Option<crate::render::NotRendered>,
}

/// Read the inputs of every cluster as [`assign`] decided, in the working folder it was decided
/// in. What is read and rendered counts against the run's `budget`. In a diff, `other_copies`
/// are the other side's folders of objects defined in several folders, among which this side's
/// copies are placed too; rendered streams are parsed through `parsed` when given (the two sides
/// of a diff share one).
#[allow(clippy::too_many_arguments, reason = "the run's inputs, one by one")]
pub fn load(
    assignment: Assignment,
    config: &Config,
    setups: &[ClusterSetup],
    cli_paths: &[PathBuf],
    rendering: &Rendering,
    budget: &Budget,
    other_copies: &placement::CopyFolders,
    parsed: Option<&ParseMemo>,
) -> Loaded {
    let mut loaded = Loaded::default();
    let Assignment {
        assigned,
        overlays,
        releases,
    } = assignment;
    let Assigned {
        jobs,
        problems,
        unread,
        notes,
        charts,
        no_cluster,
        ..
    } = assigned;
    loaded.no_cluster = no_cluster;
    loaded.io_problems = problems;
    loaded.unread = unread;
    loaded.notes = notes;
    loaded.charts = charts;
    // Each job's file is a source, then come the rendered streams.
    let run = loaded.render(overlays, rendering, setups, budget, jobs.len(), parsed);
    let helm = loaded.render_charts(releases, rendering, setups, &config.root, budget);
    let results = read_jobs(&jobs, setups, budget);
    // What the GitOps scan read and no job took (files of another side of a diff, or of
    // folders no cluster reads) is not needed any more.
    budget.forget_kept();
    if budget.exceeded() {
        // All or nothing: which files fit under the limit would depend on the order threads read
        // them in (or renders finished), and a run's output never does.
        loaded.render_errors.clear();
        loaded.helm_errors.clear();
        loaded.assumptions.clear();
        loaded.io_problems = vec![IoProblem {
            path: "(all inputs)".to_string(),
            message: run_limit_message(),
        }];
        return loaded;
    }

    let mut gathered = Gathered::new(setups.len());
    for (index, (job, result)) in jobs.iter().zip(results).enumerate() {
        let cluster_name = setups.get(job.cluster).map(|s| s.facts.name.as_str());
        // Met in a folder walk, not named: a file that cannot be read is a note.
        let walked = job.role == Role::Manifests
            && matches!(&job.input.path, InputPath::File(p) if !cli_paths.contains(p));
        let id = loaded.add_result(job, result, cluster_name, walked, setups, &mut gathered);
        debug_assert_eq!(id, FileId(u32::try_from(index).unwrap_or(u32::MAX)));
        if job.input.path == InputPath::Stdin {
            loaded.stdin = Some(id);
        }
    }
    loaded.add_streams(run, setups, &mut gathered, parsed);
    loaded.add_charts(helm, setups, &mut gathered);
    if let (Some(path), Some(text)) = (&config.source, &config.text) {
        let name = display_name(path);
        loaded.config_file = Some(
            loaded
                .sources
                .add(SourceFile::in_memory(name, text.clone())),
        );
    }
    // Without `clusters:`, copies of one object in several folders are planned once per folder
    // (so does a cluster of the rest, as `assign` places it).
    let rest = setups.iter().any(|s| s.unclaimed);
    loaded.assemble(
        setups,
        gathered,
        config.file.clusters.is_empty() || rest,
        other_copies,
    );
    loaded.io_problems.sort();
    loaded.io_problems.dedup();
    loaded.unread.sort();
    loaded.unread.dedup();
    loaded.notes.extend(unread_note(&loaded.unread));
    loaded
}

/// How many files of the unread a note names.
const UNREAD_SHOWN: usize = 3;

/// One note for the files met in folder walks that could not be read, naming them.
fn unread_note(unread: &[IoProblem]) -> Option<String> {
    if unread.is_empty() {
        return None;
    }
    let named: Vec<String> = unread
        .iter()
        .take(UNREAD_SHOWN)
        .map(|p| format!("{} ({})", p.path, p.message))
        .collect();
    let more = unread.len().saturating_sub(UNREAD_SHOWN);
    Some(format!(
        "{} met in folder walks could not be read and {} not checked: {}{}",
        if unread.len() == 1 {
            "1 file".to_string()
        } else {
            format!("{} files", unread.len())
        },
        if unread.len() == 1 { "was" } else { "were" },
        named.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    ))
}

/// The one error of a run whose inputs exceeded the budget.
pub fn run_limit_message() -> String {
    format!(
        "the inputs of this run (files read, Kustomize renders, git revisions written) exceed {} GiB, the limit for one run: nothing was linted; lint them in parts",
        MAX_RUN_BYTES >> 30
    )
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
    /// Pod templates of kinds lbplan does not model, with their cluster.
    unmodelled: Vec<(ClusterId, UnmodelledPods)>,
}

impl Loaded {
    /// Record one job's result; the id of its source (the job's index).
    fn add_result(
        &mut self,
        job: &Job,
        result: Result<Read, NotRead>,
        cluster_name: Option<&str>,
        walked: bool,
        setups: &[ClusterSetup],
        gathered: &mut Gathered,
    ) -> FileId {
        let source = job
            .source
            .and_then(|s| setups.get(job.cluster)?.sources.get(s));
        let unreadable = SourceFile::unreadable(job.input.name.clone());
        let parsed = match result {
            Ok(Read::Manifests(parsed)) => parsed,
            Ok(Read::Export(read)) => return self.add_export(job, read, cluster_name, gathered),
            Err(NotRead {
                message,
                unreadable: true,
            }) if walked => {
                self.unread.push(IoProblem {
                    path: job.input.name.clone(),
                    message,
                });
                return self.sources.add(unreadable);
            }
            Err(NotRead { message, .. }) => {
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
        gathered.unmodelled.extend(
            parsed
                .outcome
                .unmodelled
                .into_iter()
                .map(|pods| (ClusterId::new(job.cluster), pods)),
        );
        let mut observed = false;
        for mut object in parsed.outcome.objects {
            // The namespace the source gives objects (all of them, or those that set none).
            if let Some(source) = source {
                let own = object
                    .meta
                    .namespace_set
                    .then_some(object.meta.namespace.as_str());
                if let Some(namespace) = source.namespace_of(own) {
                    object.meta.namespace = namespace.to_string();
                }
            }
            // In a dump of the cluster's pods, the pods that ran are observed pods.
            let ran = parsed.dump && matches!(&object.spec, Spec::Pod(p) if p.status.is_some());
            observed |= ran;
            gathered.objects.push(PlacedObject {
                observed: ran,
                ..PlacedObject::new(object, ClusterId::new(job.cluster))
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

    /// Build the inventory from the gathered objects, and say which objects are defined twice;
    /// with `placements`, copies in several folders each get their folder's placement.
    fn assemble(
        &mut self,
        setups: &[ClusterSetup],
        mut gathered: Gathered,
        placements: bool,
        other_copies: &placement::CopyFolders,
    ) {
        // With GitOps clusters (or `rest: true`), only the rest is placed by folder: asked
        // before that cluster is left out for want of files.
        let gitops = setups.iter().any(|s| s.unclaimed);
        let setups = claims::used_setups(setups, gathered.used_by());
        gathered.observed_from.truncate(setups.len());
        self.clusters = setups
            .iter()
            .map(|s| {
                (
                    s.facts.name.clone(),
                    s.origin.source.as_str(),
                    s.origin.evidence.clone(),
                )
            })
            .collect();
        let (facts, notes) = gathered.facts(setups);
        self.notes.extend(notes);
        let placements = if placements {
            let folders: Vec<String> = gathered
                .objects
                .iter()
                .map(|e| self.folder_of(e.object.origin.file))
                .collect();
            let (placements, own) = placement::assign(
                &mut gathered.objects,
                &folders,
                |c| {
                    let setup = setups.get(c.index())?;
                    (!gitops || setup.unclaimed).then(|| setup.facts.name.clone())
                },
                other_copies,
            );
            self.copy_folders = own;
            placements
        } else {
            Vec::new()
        };
        let (mut inventory, assumptions) =
            Inventory::new(facts, gathered.objects, gathered.observed_from, placements);
        inventory.unmodelled = gathered.unmodelled;
        let mut duplicates = inventory.duplicate_definitions();
        claims::mark_deployed(setups, &mut duplicates);
        // Places in rendered streams move to the files the user wrote, with their overlay.
        for place in duplicates.iter_mut().flat_map(|d| d.definitions.iter_mut()) {
            let moved = self.streams.relocate(place.origin, &mut self.sources);
            place.origin = moved.origin;
            place.overlay = moved.overlay;
            place.unresolved = moved.unresolved;
        }
        // One note (and assumption) per set of folders whose copies are planned once per folder.
        let placed = placement::placed_copies(&inventory);
        self.notes
            .extend(placed.iter().map(placement::PlacedCopies::sentence));
        self.inventory = inventory;
        // After the renders' own (the renderer, each overlay).
        self.assumptions.extend(assumptions);
        self.assumptions
            .extend(placed.into_iter().map(Assumption::PlacedCopies));
        for duplicate in &duplicates {
            let assumption = duplicate.assumption(&self.sources);
            self.assumptions.push(assumption);
        }
        self.duplicates = duplicates;
    }

    /// The folder a file's objects belong to, as reports name it: a rendered stream's overlay,
    /// else the file's folder (`.` for the working folder and standard input).
    fn folder_of(&self, file: FileId) -> String {
        if let Some(overlay) = self.streams.overlay_of(file) {
            return overlay.to_string();
        }
        let name = self.sources.name(file);
        match name.rsplit_once('/') {
            Some((dir, _)) if !dir.is_empty() => dir.to_string(),
            _ => ".".to_string(),
        }
    }
}
