//! What a diff could not check: the files of the change that a source lbplan did not render
//! would have used (a Helm chart without helm or whose render failed, a Kustomize overlay not
//! rendered or that failed to render),
//! and the files met in folder walks that could not be read. A report that has any is
//! incomplete, and says so in every format, never "no change".
//!
//! A source's files are compared side by side, each by its place relative to its side's folder:
//! a file that one side lacks, or whose bytes differ, is a changed file. Only changed files
//! count: a chart the change does not touch is not checked either way, and says nothing about
//! the change.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use super::sides::Root;
use crate::helm::state::ChartState;
use crate::load::Loaded;
use crate::render::NotRendered;
use crate::source::discover::display_name;
use crate::source::helm::ChartRoot;
use crate::source::read::{Budget, read_file};

/// At most this many files of one source are compared (a chart vendoring thousands of files is
/// still counted, as not checked whole).
const MAX_FILES: usize = 10_000;

/// A kind of source lbplan reads through a renderer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SourceKind {
    HelmChart,
    KustomizeOverlay,
    /// The files met in walks that no cluster of the config holds.
    NoCluster,
}

impl SourceKind {
    /// `helm-chart`, `kustomize-overlay`: as JSON names them.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::HelmChart => "helm-chart",
            SourceKind::KustomizeOverlay => "kustomize-overlay",
            SourceKind::NoCluster => "no-cluster",
        }
    }

    /// `Helm chart`, `Kustomize overlay`.
    pub fn noun(self) -> &'static str {
        match self {
            SourceKind::HelmChart => "Helm chart",
            SourceKind::KustomizeOverlay => "Kustomize overlay",
            SourceKind::NoCluster => "files",
        }
    }
}

/// Why a source was not rendered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Why {
    /// A Helm chart found in a folder walk, with no helm to render it.
    ChartNotRendered,
    /// A Helm chart, with rendering off (`--no-render`, `render.helm: off`).
    ChartOff(crate::helm::Off),
    /// A Helm chart found in a folder walk whose render with its default values failed: no
    /// error of the run.
    ChartFailed,
    /// `--no-render` or `render.kustomize: off`.
    Off(NotRendered),
    /// Its render failed: an error of the run (exit code 2).
    Failed,
    /// Under no cluster's paths in the config that judges the change (the base's).
    NoCluster,
}

impl Why {
    /// Why, in words, with what it does to the exit code.
    pub fn describe(self) -> &'static str {
        match self {
            Why::ChartNotRendered => {
                "not rendered: helm not found (install helm, or name it with --helm-bin); exit code unchanged"
            }
            Why::ChartOff(crate::helm::Off::Config) => {
                "not rendered: render.helm: off; exit code unchanged"
            }
            Why::ChartFailed => {
                "did not render with its default values (lbplan lint --verbose says why); exit code unchanged"
            }
            Why::Off(NotRendered::Flag) | Why::ChartOff(crate::helm::Off::Flag) => {
                "not rendered: --no-render; exit code unchanged"
            }
            Why::Off(NotRendered::Config) => {
                "not rendered: render.kustomize: off; exit code unchanged"
            }
            Why::Failed => "did not render: an error of the run, exit code 2",
            Why::NoCluster => {
                "under no cluster's paths in the config that judges the change (the base's): not read; exit code unchanged"
            }
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Why::ChartNotRendered => "not-rendered",
            Why::Off(_) | Why::ChartOff(_) => "rendering-off",
            Why::Failed | Why::ChartFailed => "render-failed",
            Why::NoCluster => "no-cluster",
        }
    }
}

/// A source not rendered whose files the change touches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Untouched {
    pub kind: SourceKind,
    /// As reports name it (from its side's folder).
    pub name: String,
    pub why: Why,
    /// Its files that the change adds, removes or edits, relative to the sides' folders.
    pub changed: Vec<String>,
}

/// What the diff could not check.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Unchecked {
    /// Sources not rendered that the change touches, in kind and name order.
    pub sources: Vec<Untouched>,
    /// Files met in folder walks that could not be read, on either side (the base's named as
    /// reports name its files).
    pub unread: Vec<String>,
}

impl Unchecked {
    /// The files not checked: the changed files of sources not rendered (each once, whichever
    /// sources use it), and the files that could not be read.
    pub fn files(&self) -> usize {
        let changed: BTreeSet<&str> = self
            .sources
            .iter()
            .flat_map(|s| s.changed.iter().map(String::as_str))
            .collect();
        changed.len() + self.unread.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files() == 0
    }
}

/// Why lbplan did not render `chart` on the side `loaded` read; `None` when it rendered every
/// release of it (a library or a dependency: every release of the side). Its objects are then in
/// that side's plan, and a change that touches only its files is judged like any other.
pub fn chart_not_rendered(loaded: &Loaded, chart: &ChartRoot) -> Option<Why> {
    match loaded.chart_states.get(&chart.path) {
        Some(ChartState::Rendered) => None,
        Some(ChartState::NoHelm) | None => Some(Why::ChartNotRendered),
        Some(ChartState::Off(off)) => Some(Why::ChartOff(*off)),
        Some(ChartState::Failed { configured: true }) => Some(Why::Failed),
        Some(ChartState::Failed { configured: false }) => Some(Why::ChartFailed),
        Some(ChartState::Unowned) => Some(Why::NoCluster),
    }
}

/// One side as this module reads it: its root and what was loaded from it.
pub struct SideFiles<'a> {
    pub root: &'a Root,
    pub loaded: &'a Loaded,
}

/// The sources of a side not rendered: (kind, name) -> (why, their files relative to the side's
/// folder).
type Sources = BTreeMap<(SourceKind, String), (Why, BTreeSet<PathBuf>)>;

/// What the diff of `head` and `base` could not check. Files are read through `budget`.
pub fn unchecked(
    head: &SideFiles,
    base: &SideFiles,
    base_name: &dyn Fn(&str) -> String,
    budget: &Budget,
) -> Unchecked {
    let mut sources = sources_of(head);
    for (key, (why, files)) in sources_of(base) {
        let entry = sources.entry(key).or_insert((why, BTreeSet::new()));
        entry.1.extend(files);
    }
    let folders = (head.root.folder(), base.root.folder());
    let out = sources
        .into_iter()
        .filter_map(|((kind, name), (why, files))| {
            let changed: Vec<String> = files
                .into_iter()
                .filter(|rel| differs(rel, head.root, base.root, &folders, budget))
                .map(|rel| display_name(&rel))
                .collect();
            (!changed.is_empty()).then_some(Untouched {
                kind,
                name,
                why,
                changed,
            })
        })
        .collect();
    let mut unread: Vec<String> = head
        .loaded
        .unread
        .iter()
        .map(|p| p.path.clone())
        .chain(base.loaded.unread.iter().map(|p| base_name(&p.path)))
        .collect();
    unread.sort();
    unread.dedup();
    Unchecked {
        sources: out,
        unread,
    }
}

fn sources_of(side: &SideFiles) -> Sources {
    let folder = side.root.folder();
    let real = std::fs::canonicalize(&folder).unwrap_or_else(|_| folder.clone());
    let mut out = Sources::new();
    for chart in &side.loaded.charts {
        let Some(why) = chart_not_rendered(side.loaded, chart) else {
            continue;
        };
        let files = files_under(&folder.join(&chart.path))
            .into_iter()
            .filter_map(|f| relative(&folder, &f))
            .collect();
        out.insert((SourceKind::HelmChart, chart.path.clone()), (why, files));
    }
    if !side.loaded.no_cluster.is_empty() {
        let files = side.loaded.no_cluster.iter().map(PathBuf::from).collect();
        out.insert(
            (SourceKind::NoCluster, "no cluster holds".to_string()),
            (Why::NoCluster, files),
        );
    }
    for u in &side.loaded.unrendered {
        let why = u.off.map_or(Why::Failed, Why::Off);
        let files = u
            .overlay
            .files
            .iter()
            .flat_map(|f| {
                if f.is_dir() {
                    files_under(f)
                } else {
                    vec![f.clone()]
                }
            })
            .filter_map(|f| relative(&real, &f))
            .collect();
        out.insert(
            (SourceKind::KustomizeOverlay, u.overlay.name.clone()),
            (why, files),
        );
    }
    out
}

/// The regular files under `dir`, hidden ones and links left out, at most [`MAX_FILES`].
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(dir) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
        entries.sort_by_key(std::fs::DirEntry::file_name);
        for entry in entries {
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            match entry.file_type() {
                Ok(t) if t.is_dir() => todo.push(entry.path()),
                Ok(t) if t.is_file() => out.push(entry.path()),
                _ => {}
            }
            if out.len() >= MAX_FILES {
                return out;
            }
        }
    }
    out
}

/// `path` relative to `folder` (both absolute), with `..` for the folders it climbs out of.
fn relative(folder: &Path, path: &Path) -> Option<PathBuf> {
    let (mut f, mut p) = (folder.components().peekable(), path.components().peekable());
    while let (Some(a), Some(b)) = (f.peek(), p.peek()) {
        if a != b {
            break;
        }
        f.next();
        p.next();
    }
    let mut out = PathBuf::new();
    for part in f {
        match part {
            Component::Normal(_) => out.push(".."),
            _ => return None,
        }
    }
    out.extend(p);
    (!out.as_os_str().is_empty()).then_some(out)
}

/// Whether the file at `rel` differs between the sides: one side lacks it (or cannot read it),
/// or the bytes differ. A place outside either side's top is never read.
fn differs(
    rel: &Path,
    head: &Root,
    base: &Root,
    (head_folder, base_folder): &(PathBuf, PathBuf),
    budget: &Budget,
) -> bool {
    let read = |root: &Root, folder: &Path| {
        let path = root.top().confine(&folder.join(rel)).ok()?;
        read_file(&path, budget).ok()
    };
    read(head, head_folder) != read(base, base_folder)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_relative_to_the_folder() {
        let rel = |f: &str, p: &str| relative(Path::new(f), Path::new(p)).map(|r| display_name(&r));
        assert_eq!(
            rel("/r/deploy", "/r/deploy/web.yaml").as_deref(),
            Some("web.yaml")
        );
        assert_eq!(
            rel("/r/deploy", "/r/common/base.yaml").as_deref(),
            Some("../common/base.yaml")
        );
        assert_eq!(rel("/r", "/r"), None);
    }

    #[test]
    fn a_changed_file_counts_once_whatever_uses_it() {
        let source = |name: &str, changed: &[&str]| Untouched {
            kind: SourceKind::KustomizeOverlay,
            name: name.into(),
            why: Why::Failed,
            changed: changed.iter().map(|c| (*c).to_string()).collect(),
        };
        let unchecked = Unchecked {
            sources: vec![
                source("a", &["base/x.yaml", "a/k.yaml"]),
                source("b", &["base/x.yaml"]),
            ],
            unread: vec!["gone.yaml".into()],
        };
        assert_eq!(unchecked.files(), 3);
        assert!(Unchecked::default().is_empty());
    }
}
