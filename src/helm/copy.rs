//! The private copy a release is rendered from: the chart's files, its `file://` dependencies
//! (inside the repository) in the copy's `charts/`, and its values files, in a folder of lbplan's
//! temporary folder.
//!
//! helm reads a chart folder as it finds it: it follows symbolic links (a template linked to
//! `/proc/self/environ` is rendered, and its text printed) and loads `file://` dependencies from
//! wherever they point. The copy holds regular files only: a link whose target stays in the chart
//! is copied as that target's content, any other link is left out (a note names it), and a
//! dependency outside the repository is not copied (helm then reports it missing). Every
//! `values.schema.json` is left out too (see `process.rs`). Each file is read like any input
//! (a regular file within the size limit, counted against the run's budget) and written fresh:
//! the repository is never written.
//!
//! The copy also records the chart tree helm renders ([`ChartNode`]): the name each chart has in
//! a `# Source:` comment (its `Chart.yaml` name, or its alias as a dependency) and the folder of
//! the repository it was copied from; and the digest of every file as it was read, which the
//! render cache's key is made of (`cached.rs`): the key describes the bytes helm renders, and no
//! file is read twice.

mod files;
mod node;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use self::files::{CopyFiles, MEMORY_BOUND};
use super::chart::{self, CHART_FILE};
use super::{Release, Values};
use crate::cache::digest;

pub use self::node::ChartNode;
use crate::source::confine::RootDir;
use crate::source::discover::display_name;
use crate::source::read::{Budget, read_regular};

/// Files one chart may hold, its dependencies included: a repository of a million files named a
/// chart is refused rather than copied.
const MAX_FILES: usize = 20_000;
/// Folders deep: links inside a chart may form cycles.
const MAX_DEPTH: usize = 32;
/// Left out of every copy: helm would validate values against it, fetching its remote `$ref`s.
const SCHEMA_FILE: &str = "values.schema.json";

/// The SHA-256 of a file's bytes, as read ([`crate::cache::digest`]).
pub type Digest = [u8; 32];

/// What copying a release made.
#[derive(Debug)]
pub struct Copied {
    /// The copy's chart folder.
    pub chart: PathBuf,
    /// The copies of the release's values, in its order.
    pub values: Vec<CopiedValues>,
    pub tree: ChartNode,
    /// Links left out, dependencies not copied.
    pub notes: Vec<String>,
    /// The repository files copied (templates, values, metadata of every chart of the tree),
    /// links resolved: what the render read, and the digest of the bytes read.
    pub files: BTreeMap<PathBuf, Digest>,
    /// What helm's messages may say instead of a repository path: (the copy's path, the
    /// repository's name for it).
    pub renames: Vec<(String, String)>,
    /// The copy's files: in memory until [`Copied::write`] (a render the cache holds needs none
    /// of them on disk), unless the copy is large.
    copy: CopyFiles,
}

/// The copy of one of a release's values (a file's or inline).
#[derive(Debug)]
pub struct CopiedValues {
    /// Its path in the copy.
    pub path: PathBuf,
    /// The digest of its bytes.
    pub digest: Digest,
}

impl Copied {
    /// Write the copy's files, for helm to render.
    pub fn write(&mut self) -> Result<(), String> {
        self.copy.write()?;
        std::fs::create_dir_all(&self.chart).map_err(|e| e.to_string())
    }
}

/// The copy of `release` in `into` (a fresh folder of lbplan's), reading within `root`: every
/// file read and the chart tree made; nothing written until [`Copied::write`] unless the copy
/// holds more than [`MEMORY_BOUND`] bytes.
pub fn copy_release(
    release: &Release,
    into: &Path,
    root: &RootDir,
    budget: &Budget,
) -> Result<Copied, String> {
    copy_within(release, into, root, budget, MEMORY_BOUND)
}

/// [`copy_release`], holding at most `bound` bytes in memory.
fn copy_within(
    release: &Release,
    into: &Path,
    root: &RootDir,
    budget: &Budget,
    bound: usize,
) -> Result<Copied, String> {
    let real = std::fs::canonicalize(&release.chart)
        .map_err(|e| format!("{}: {e}", release.chart_name))?;
    if !root.holds_real(&real) || !real.join(CHART_FILE).is_file() {
        return Err(format!(
            "{} is not a chart folder of the repository (no {CHART_FILE})",
            release.chart_name
        ));
    }
    let mut copier = Copier {
        budget,
        root,
        files: BTreeMap::new(),
        notes: Vec::new(),
        label: format!("Helm chart {}", release.chart_name),
        copy: CopyFiles::new(into, bound),
    };
    let chart = into.join("chart");
    let shown = PathBuf::from(&release.chart_name);
    let boundary = Boundary {
        real: real.clone(),
        shown: shown.clone(),
    };
    copier.tree(&real, &boundary, &chart, 0)?;
    let tree = copier.node(&real, &shown, &chart, None, &mut BTreeSet::new())?;
    let mut renames = vec![(chart.display().to_string(), release.chart_name.clone())];
    // helm names templates by the chart's name (`web/templates/svc.yaml:7:29` in its errors).
    if !tree.name.is_empty() {
        renames.push((
            format!("{}/templates/", tree.name),
            format!("{}/templates/", release.chart_name),
        ));
    }
    let values_dir = into.join("values");
    let mut values = Vec::new();
    for (i, given) in release.values.iter().enumerate() {
        let copy = values_dir.join(format!("{i}.yaml"));
        let bytes = match given {
            Values::File { path, name } => {
                read_regular(path, budget).map_err(|e| format!("values file {name}: {e}"))?
            }
            Values::Inline { text, .. } => text.clone().into_bytes(),
        };
        let digest = digest(&bytes);
        // A values file of the chart (its `values.yaml` given again) keeps the digest of the
        // chart copy's bytes: those are what helm reads there; these are `values {i}`.
        let real = match given {
            Values::File { path, .. } => std::fs::canonicalize(path).ok(),
            Values::Inline { .. } => None,
        };
        if let Some(real) = real {
            copier.files.entry(real).or_insert(digest);
        }
        copier.copy.add(&copy, bytes)?;
        renames.push((copy.display().to_string(), given.name().to_string()));
        values.push(CopiedValues { path: copy, digest });
    }
    // Longest first, so that a values copy is renamed before the folder holding it.
    renames.sort_by_key(|(from, _)| std::cmp::Reverse(from.len()));
    Ok(Copied {
        chart,
        values,
        tree,
        notes: copier.notes,
        files: copier.files,
        renames,
        copy: copier.copy,
    })
}

/// A chart folder whose links may point anywhere inside it, and its name in reports.
struct Boundary {
    real: PathBuf,
    shown: PathBuf,
}

impl Boundary {
    /// How reports name `path` (a path under `real`).
    fn shown(&self, path: &Path) -> String {
        match path.strip_prefix(&self.real) {
            Ok(rest) => display_name(&self.shown.join(rest)),
            Err(_) => display_name(path),
        }
    }
}

struct Copier<'a> {
    budget: &'a Budget,
    root: &'a RootDir,
    files: BTreeMap<PathBuf, Digest>,
    notes: Vec<String>,
    /// The release's chart, as notes name it.
    label: String,
    copy: CopyFiles,
}

impl Copier<'_> {
    /// Copy folder `from` (real) to `to`; links may point anywhere inside `boundary`.
    fn tree(
        &mut self,
        from: &Path,
        boundary: &Boundary,
        to: &Path,
        depth: usize,
    ) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err(format!(
                "{}: folders nest more than {MAX_DEPTH} deep",
                self.label
            ));
        }
        let mut entries: Vec<_> = std::fs::read_dir(from)
            .map_err(|e| format!("{}: {e}", boundary.shown(from)))?
            .filter_map(Result::ok)
            .collect();
        entries.sort_by_key(std::fs::DirEntry::file_name);
        for entry in entries {
            let name = entry.file_name();
            if name == ".git" || name == SCHEMA_FILE {
                continue;
            }
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let target = if kind.is_symlink() {
                match std::fs::canonicalize(&path) {
                    Ok(target) if target.starts_with(&boundary.real) => target,
                    _ => {
                        self.notes.push(format!(
                            "{}: {} is a symbolic link out of the chart, left out of its render (helm would follow it and render what lies there)",
                            self.label,
                            boundary.shown(&path)
                        ));
                        continue;
                    }
                }
            } else {
                path.clone()
            };
            let Ok(meta) = std::fs::metadata(&target) else {
                continue;
            };
            if meta.is_dir() {
                self.tree(&target, boundary, &to.join(&name), depth + 1)?;
            } else if meta.is_file() {
                self.file(&target, boundary, &to.join(&name))?;
            }
        }
        Ok(())
    }

    fn file(&mut self, from: &Path, boundary: &Boundary, to: &Path) -> Result<(), String> {
        if self.files.len() >= MAX_FILES && !self.files.contains_key(from) {
            return Err(format!("{} holds more than {MAX_FILES} files", self.label));
        }
        let bytes = read_regular(from, self.budget)
            .map_err(|e| format!("{}: {e}", boundary.shown(from)))?;
        self.files.insert(from.to_path_buf(), digest(&bytes));
        self.copy
            .add(to, bytes)
            .map_err(|e| format!("{}: {e}", self.label))
    }

    /// The chart tree under the copied chart `copy` (from `real`), its `file://` dependencies
    /// copied into `copy/charts/`. `seen`: the folders already on the path, against cycles.
    fn node(
        &mut self,
        real: &Path,
        shown: &Path,
        copy: &Path,
        alias: Option<&str>,
        seen: &mut BTreeSet<PathBuf>,
    ) -> Result<ChartNode, String> {
        let meta = chart::read(real).unwrap_or_default();
        let mut node = ChartNode {
            name: alias.map_or_else(|| meta.name.clone(), str::to_string),
            real: Some(real.to_path_buf()),
            shown: shown.to_path_buf(),
            children: Vec::new(),
        };
        if !seen.insert(real.to_path_buf()) {
            return Ok(node);
        }
        // What `charts/` holds: unpacked charts by their Chart.yaml name, and archives.
        let mut present: Vec<(String, ChartNode)> = Vec::new();
        for name in self.copy.entries(&copy.join("charts")) {
            let (sub_real, sub_shown, sub_copy) = (
                real.join("charts").join(&name),
                shown.join("charts").join(&name),
                copy.join("charts").join(&name),
            );
            if self.copy.contains(&sub_copy.join(CHART_FILE)) {
                let sub_real = std::fs::canonicalize(&sub_real).unwrap_or(sub_real);
                let child = self.node(&sub_real, &sub_shown, &sub_copy, None, seen)?;
                present.push((child.name.clone(), child));
            } else if name.ends_with(".tgz") {
                // `NAME-VERSION.tgz`: its chart name is what precedes the version.
                let chart_name = name
                    .trim_end_matches(".tgz")
                    .rsplit_once('-')
                    .map_or(name.as_str(), |(n, _)| n)
                    .to_string();
                let archive = ChartNode {
                    name: chart_name.clone(),
                    real: None,
                    shown: sub_shown,
                    children: Vec::new(),
                };
                present.push((chart_name, archive));
            }
        }
        for dependency in &meta.dependencies {
            let existing = present.iter().find(|(n, _)| *n == dependency.name);
            let child = match existing {
                Some((_, child)) => Some(child.clone()),
                None => self.local_dependency(real, shown, copy, dependency, seen)?,
            };
            if let Some(mut child) = child {
                child.name = dependency.rendered_name().to_string();
                node.children.push(child);
            }
        }
        // Unpacked charts no dependency names are rendered too (helm 2's way), by their name.
        for (name, child) in present {
            if !meta.dependencies.iter().any(|d| d.name == name) {
                node.children.push(child);
            }
        }
        seen.remove(real);
        Ok(node)
    }

    /// A `file://` dependency, copied into `copy/charts/NAME` when it is a chart of the
    /// repository; `None` (with a note) when it is not.
    fn local_dependency(
        &mut self,
        real: &Path,
        shown: &Path,
        copy: &Path,
        dependency: &chart::Dependency,
        seen: &mut BTreeSet<PathBuf>,
    ) -> Result<Option<ChartNode>, String> {
        let Some(path) = dependency.local_path(real) else {
            return Ok(None);
        };
        let refused = |why: &str| {
            format!(
                "{}: dependency {} ({}) {why}, not copied; helm reports it missing",
                self.label,
                crate::text::visible(&dependency.name),
                crate::text::visible(dependency.repository.as_deref().unwrap_or_default())
            )
        };
        // Its copy is `charts/NAME`: a name such as `../../x` or `/x` would put it elsewhere.
        let mut parts = Path::new(&dependency.name).components();
        if !matches!(
            (parts.next(), parts.next()),
            (Some(Component::Normal(_)), None)
        ) {
            self.notes
                .push(refused("has a name that is no folder name"));
            return Ok(None);
        }
        let confined = self.root.confine(&path).ok();
        let Some(dep_real) = confined
            .and_then(|p| std::fs::canonicalize(p).ok())
            .filter(|r| self.root.holds_real(r) && r.join(CHART_FILE).is_file())
        else {
            self.notes
                .push(refused("is no chart folder of the repository"));
            return Ok(None);
        };
        if seen.contains(&dep_real) {
            self.notes.push(refused("depends on its own chart"));
            return Ok(None);
        }
        let into = copy.join("charts").join(&dependency.name);
        let rest = dependency
            .repository
            .as_deref()
            .and_then(|r| r.trim().strip_prefix("file://"))
            .unwrap_or_default();
        let dep_shown = crate::render::wrapper::normalize(&shown.join(rest));
        let boundary = Boundary {
            real: dep_real.clone(),
            shown: dep_shown.clone(),
        };
        self.tree(&dep_real, &boundary, &into, 0)?;
        let node = self.node(&dep_real, &dep_shown, &into, None, seen)?;
        Ok(Some(node))
    }
}

#[cfg(test)]
mod tests;
