//! Kustomize overlays, rendered by the real Kustomize engine and traced back to their sources.
//!
//! lbplan does not re-implement Kustomize. It finds the kustomizations of a run and which of them
//! are overlays to render ([`graph`]), runs `kustomize build` or `kubectl kustomize` on each
//! ([`process`], the only module that starts a process), finds where each rendered object comes
//! from in the kustomizations it read (`place.rs`; where it cannot be sure, the overlay is
//! rendered again asking Kustomize, and [`strip`] reads and strips the annotations the build
//! added), and maps any place in a rendered stream back to the file and line the user wrote
//! ([`origin`]).
//!
//! # How the run uses it
//!
//! 1. `overlays.rs` takes the kustomization folders discovery met and calls [`graph::leaves`] on
//!    them (or [`graph::named`] on a cluster's `clusters[].kustomize`), places each overlay in a
//!    cluster, and removes from the inputs every file a render reads (`graph::Plan::referenced`)
//!    and every other file of a kustomization folder.
//! 2. `load/rendered.rs` calls [`render_all_then`] once for the run's overlays, and parses each
//!    [`RenderedOverlay::text`] (as its render finishes, while the next run) like standard input, as a source named
//!    [`RenderedOverlay::stream_name`], in each of the overlay's clusters. Each [`RenderError`] is
//!    an error of the run (exit code 2), reported after everything else; [`Run::assumptions`] go
//!    to the plan's assumptions. With rendering off nothing runs: each overlay gets
//!    [`not_rendered_note`].
//! 3. `relocate.rs` sends every location in a stream through [`Resolver::resolve`] before it is
//!    reported: a [`Resolved::Source`] becomes a source file (read once, by the resolver); a
//!    [`Resolved::Unresolved`] the overlay's kustomization file, with the object and the overlay
//!    named in the message.

mod attempt;
mod cached;
mod caching;
mod error;
mod fields;
pub mod graph;
pub mod inline;
pub mod kustomization;
pub mod origin;
mod patches;
mod place;
pub mod pool;
mod prefetch;
pub mod process;
pub mod progress;
mod run;
pub mod strip;
#[cfg(test)]
mod tests;
pub mod tree;
pub mod wrapper;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

pub use error::RenderError;
pub use error::shorten;
pub use graph::{BaseOverlay, Overlay, Root, leaves, named};
pub use origin::{Resolved, Resolver};
pub use prefetch::Prefetch;
#[cfg(test)]
pub use process::Renderer;
#[cfg(test)]
pub use run::render_all;
pub use run::{Run, render_all_then};

use crate::source::Span;
use strip::DocMeta;
use tree::IndexedDoc;

/// `render.kustomize` in the config: an engine name, never a program path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Choice {
    /// `kustomize` on `PATH`, else `kubectl`.
    Auto,
    /// Do not render (`off`, or `--no-render`).
    Off,
    /// This engine on `PATH`: `kustomize`, `kubectl` or `oc`.
    Engine(&'static str),
}

impl Choice {
    /// The engine names looked up on `PATH`, in order.
    pub fn engines(&self) -> &[&'static str] {
        match self {
            Choice::Auto => &["kustomize", "kubectl"],
            Choice::Off => &[],
            Choice::Engine(name) => std::slice::from_ref(name),
        }
    }
}

/// How renders run.
#[derive(Clone, Debug)]
pub struct Settings {
    pub choice: Choice,
    /// The program the person running lbplan named (`--kustomize-bin`, `LBPLAN_KUSTOMIZE`),
    /// which runs instead of the engine found on `PATH`.
    pub program: Option<crate::exec::Named>,
    /// `--no-remote`: an overlay that needs a remote base is refused before anything runs.
    pub no_remote: bool,
    /// Time limit of one render (`render.timeout`); the renderer is killed past it.
    pub timeout: Duration,
    /// Renders at once; default: the machine's parallelism.
    pub threads: Option<usize>,
    /// Where the temporary wrapper folder goes; default: the system's temporary folder.
    pub temp_parent: Option<PathBuf>,
    /// Show progress on standard error, when it is a terminal and not CI.
    pub progress: bool,
    /// The render cache, shared by the run's renders and by both sides of `lbplan diff`.
    pub cache: Arc<crate::cache::Store>,
    /// Set: no further render starts (a prefetch no longer needed, `prefetch.rs`).
    pub stop: Option<Arc<std::sync::atomic::AtomicBool>>,
}

pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            choice: Choice::Auto,
            program: None,
            no_remote: false,
            timeout: DEFAULT_TIMEOUT,
            threads: None,
            temp_parent: None,
            progress: true,
            cache: Arc::new(crate::cache::Store::memory()),
            stop: None,
        }
    }
}

/// Why an overlay was not rendered, for [`not_rendered_note`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotRendered {
    /// `--no-render`.
    Flag,
    /// `render.kustomize: off`.
    Config,
}

/// The note for an overlay that was not rendered. `cluster` names the overlay's cluster in the
/// command to lint it by hand, when the run has several.
pub fn not_rendered_note(overlay: &Overlay, why: NotRendered, cluster: Option<&str>) -> String {
    let why = match why {
        NotRendered::Flag => "--no-render",
        NotRendered::Config => "render.kustomize: off",
    };
    let files = match overlay.files.len() {
        1 => "its 1 file is".to_string(),
        n => format!("its {n} files are"),
    };
    let cluster = cluster.map_or_else(String::new, |c| format!("--cluster {c} "));
    format!(
        "Kustomize overlay {name} not rendered ({why}): {files} not linted; render it: kubectl kustomize {name} | lbplan lint {cluster}-",
        name = overlay.name
    )
}

/// The note for a component that no overlay in the inputs uses.
pub fn unused_component_note(component: &Root) -> String {
    format!(
        "Kustomize component {} not rendered: a component is rendered only as part of an overlay that lists it in `components`, and no overlay in the inputs does",
        component.name
    )
}

/// One overlay, rendered.
#[derive(Debug)]
pub struct RenderedOverlay {
    pub overlay: Overlay,
    /// The stream without the annotations the build added: exactly what `kustomize build
    /// OVERLAY` prints. Parse it like any manifest file.
    pub text: Arc<str>,
    /// The command a user would run to see the same stream (`kubectl kustomize overlays/prod`).
    pub command: String,
    /// What the renderer wrote on standard error of a successful render (deprecation warnings).
    pub warnings: Vec<String>,
    /// Whether Kustomize said where objects came from (an old renderer that refuses
    /// `buildMetadata` renders without it, and nothing is located).
    pub located: bool,
    /// Why some origin annotations were not believed (`origin/trust.rs`), for the run's notes.
    pub distrusted: Option<String>,
    documents: Vec<DocMeta>,
    /// The overlay's folder with links resolved, to name sources relative to it.
    real_dir: PathBuf,
    /// Each document parsed whole, once, when a location in it is first resolved; shared with a
    /// stream of the same text ([`RenderedOverlay::share_index`]).
    index: Index,
}

/// The parsed documents of a stream, a slot per document of `documents` (made on first use),
/// each filled when a location in that document is first resolved: a finding lies in a few of a
/// stream's documents, and parsing every one (with every key's path) had cost `lbplan diff` a
/// tenth of its CPU. Built from the text alone, so that streams of the same text cut into the same
/// documents (an overlay rendered alike on both sides of `lbplan diff`) can share one.
type Index = Arc<OnceLock<Box<[OnceLock<Option<IndexedDoc>>]>>>;

impl RenderedOverlay {
    /// How reports name the stream, where a location has no source file.
    pub fn stream_name(&self) -> String {
        self.command.clone()
    }

    /// A copy whose documents' text `rewrite` changed (Flux's post-build substitution of a
    /// source that deploys the overlay): each document's chunk moves with its text, so that
    /// locations in the copy still resolve to the files the user wrote.
    #[must_use]
    pub fn rewritten(&self, rewrite: impl Fn(&str) -> String) -> RenderedOverlay {
        let mut metas: Vec<&DocMeta> = self.documents.iter().collect();
        metas.sort_by_key(|m| m.chunk.start);
        let mut text = String::with_capacity(self.text.len());
        let mut documents = Vec::with_capacity(metas.len());
        let mut copied = 0;
        for meta in metas {
            let (Some(before), Some(chunk)) = (
                self.text.get(copied..meta.chunk.start),
                self.text.get(meta.chunk.start..meta.chunk.end),
            ) else {
                continue;
            };
            text.push_str(before);
            let start = text.len();
            text.push_str(&rewrite(chunk));
            documents.push(DocMeta {
                chunk: Span::new(start, text.len()),
                ..meta.clone()
            });
            copied = meta.chunk.end;
        }
        text.push_str(self.text.get(copied..).unwrap_or(""));
        RenderedOverlay {
            overlay: self.overlay.clone(),
            text: Arc::from(text),
            command: self.command.clone(),
            warnings: self.warnings.clone(),
            located: self.located,
            distrusted: self.distrusted.clone(),
            documents,
            real_dir: self.real_dir.clone(),
            index: Index::default(),
        }
    }

    /// `Kind/namespace/name` of each rendered object, in stream order.
    #[cfg(test)]
    pub fn objects(&self) -> impl Iterator<Item = String> + '_ {
        self.documents.iter().map(DocMeta::label)
    }

    fn document_at(&self, offset: usize) -> Option<(&IndexedDoc, &DocMeta)> {
        let at = self
            .documents
            .iter()
            .position(|m| m.chunk.start <= offset && offset < m.chunk.end.max(m.chunk.start + 1))?;
        let slots = self
            .index
            .get_or_init(|| self.documents.iter().map(|_| OnceLock::new()).collect());
        let doc = slots
            .get(at)?
            .get_or_init(|| self.parse_document(at))
            .as_ref()?;
        Some((doc, self.documents.get(at)?))
    }

    /// Use `other`'s parsed index when both streams are the same text cut into the same
    /// documents, which is all the index depends on: the other side of `lbplan diff` then does
    /// not parse the stream again. What each object's keys mean (its origins, its source files)
    /// stays this overlay's own. Whether it shares.
    pub fn share_index(&mut self, other: &RenderedOverlay) -> bool {
        let same = self.text == other.text
            && self.documents.len() == other.documents.len()
            && self
                .documents
                .iter()
                .zip(&other.documents)
                .all(|(mine, theirs)| mine.chunk == theirs.chunk);
        if same {
            self.index = Arc::clone(&other.index);
        }
        same
    }

    /// Document `at` of `documents`, parsed whole, with its every key and value located.
    fn parse_document(&self, at: usize) -> Option<IndexedDoc> {
        IndexedDoc::parse(&self.text, self.documents.get(at)?.chunk)
    }

    /// How reports name a source file: relative like the overlay's own name.
    pub fn display_name(&self, path: &Path) -> String {
        let name = wrapper::relative(&self.real_dir, path)
            .map(|rel| wrapper::normalize(&Path::new(&self.overlay.name).join(rel)))
            .unwrap_or_else(|| path.to_path_buf());
        name.to_string_lossy().replace('\\', "/")
    }
}
