//! Objects defined more than once in one cluster, and what their files' folders say about why.
//!
//! Copies in one folder are what `kubectl apply -f FOLDER` would apply in turn: the last one wins.
//! Copies in different folders usually are not: a repository with one folder per cluster or per
//! variant (`overlays/prod`, `clusters/hk`) holds the same app in each, and lbplan, given them as one
//! cluster, sees one object defined several times. There the useful answer is the
//! `clusters[].paths` that would give each folder its own cluster. A copy rendered by a Kustomize
//! overlay counts as in the overlay's folder.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use super::{Assumption, Inventory, ObjectId};
use crate::source::{Origin, Sources};

/// One object defined more than once in one cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// `Kind/namespace/name`.
    pub object: String,
    pub cluster: String,
    /// Every definition, in input order (sorted by file name, then position).
    pub definitions: Vec<Place>,
    /// The index of the definition the plan uses: the last one Kubernetes would accept.
    pub used: usize,
    /// The cluster is one GitOps objects deploy to: its folders are that cluster's by their own
    /// word, so the copies are one object applied twice, not clusters to separate.
    pub gitops: bool,
}

/// Where one copy is: in a file the user wrote (after relocation out of a rendered stream).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub origin: Origin,
    /// The render that holds the copy, if it was rendered: the copy counts as in its folder.
    pub overlay: Option<RenderedBy>,
    /// Why the place is not exact (no source file for a rendered object), in words.
    pub unresolved: Option<String>,
    /// The copy is a dump of a live object (`kubectl get -o yaml`, see LB025).
    pub dump: bool,
}

/// The render a copy of an object came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderedBy {
    /// A Kustomize overlay, by its folder.
    Kustomize(String),
    /// A Helm chart, by its folder.
    Helm(String),
}

impl RenderedBy {
    /// The folder its copies count as in.
    pub fn folder(&self) -> &str {
        match self {
            RenderedBy::Kustomize(folder) | RenderedBy::Helm(folder) => folder,
        }
    }
}

impl fmt::Display for RenderedBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenderedBy::Kustomize(overlay) => write!(f, "Kustomize overlay {overlay}"),
            RenderedBy::Helm(chart) => write!(f, "Helm chart {chart}"),
        }
    }
}

impl Inventory {
    /// Every object defined more than once in one cluster, in input order of the definition the
    /// plan uses.
    pub fn duplicate_definitions(&self) -> Vec<Duplicate> {
        let mut copies: BTreeMap<ObjectId, Vec<ObjectId>> = BTreeMap::new();
        for (id, placed) in self.objects() {
            if let Some(winner) = placed.shadowed_by {
                copies.entry(winner).or_default().push(id);
            }
        }
        copies
            .into_iter()
            .map(|(winner, mut ids)| {
                ids.push(winner);
                ids.sort_unstable();
                Duplicate {
                    gitops: false,
                    object: self.object(winner).label().to_string(),
                    cluster: self.cluster_of(winner).name().to_string(),
                    used: ids.iter().position(|&id| id == winner).unwrap_or(0),
                    definitions: ids
                        .iter()
                        .map(|&id| {
                            let object = self.object(id);
                            Place {
                                origin: object.origin,
                                overlay: None,
                                unresolved: None,
                                dump: object.meta.live.iter().any(|l| l.value.marks_a_dump()),
                            }
                        })
                        .collect(),
                }
            })
            .collect()
    }
}

/// How many separating paths a sentence shows; JSON has them all.
const PATHS_SHOWN: usize = 3;

impl Place {
    /// `file:line`, with the overlay that rendered it (the same source line renders in every
    /// overlay that uses it) or why the place is not exact.
    pub fn at<'a>(&'a self, sources: &'a Sources) -> impl fmt::Display + 'a {
        PlaceText {
            place: self,
            sources,
        }
    }

    /// The folder the copy belongs to: its overlay's, or its file's (`""` for the working folder).
    fn folder<'a>(&'a self, sources: &'a Sources) -> &'a str {
        match &self.overlay {
            Some(overlay) => overlay.folder(),
            None => folder(sources.name(self.origin.file)),
        }
    }
}

struct PlaceText<'a> {
    place: &'a Place,
    sources: &'a Sources,
}

impl fmt::Display for PlaceText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let origin = self.place.origin;
        write!(
            f,
            "{}:{}",
            self.sources.name(origin.file),
            self.sources.line_of(origin)
        )?;
        match (&self.place.unresolved, &self.place.overlay) {
            (Some(words), _) => write!(f, " ({words})"),
            (None, Some(overlay)) => write!(f, " ({overlay})"),
            (None, None) => Ok(()),
        }
    }
}

impl Duplicate {
    fn used_place(&self) -> Option<&Place> {
        self.definitions.get(self.used)
    }

    /// The copies that are dumps of live objects.
    pub fn dumps(&self) -> impl Iterator<Item = &Place> {
        self.definitions.iter().filter(|p| p.dump)
    }

    /// The `clusters[].paths` that would give each folder of the copies its own cluster (with a
    /// cluster name each); dumps of live objects are left out, since they belong to no cluster's
    /// manifests. Empty when the copies share one folder.
    pub fn separate(&self, sources: &Sources) -> Vec<(String, String)> {
        if self.gitops {
            return Vec::new();
        }
        let dirs: Vec<&str> = self
            .definitions
            .iter()
            .filter(|p| !p.dump)
            .map(|p| p.folder(sources))
            .collect();
        separating_paths(&dirs).unwrap_or_default()
    }

    /// The plan's assumption: the copy used and the first three others.
    pub fn assumption(&self, sources: &Sources) -> Assumption {
        let others: Vec<&Place> = self
            .definitions
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != self.used)
            .map(|(_, p)| p)
            .collect();
        Assumption::Duplicate {
            object: self.object.clone(),
            cluster: self.cluster.clone(),
            used: self
                .used_place()
                .map_or_else(String::new, |p| p.at(sources).to_string()),
            ignored: others
                .iter()
                .take(3)
                .map(|p| p.at(sources).to_string())
                .collect(),
            more: others.len().saturating_sub(3),
            separate: self
                .separate(sources)
                .into_iter()
                .map(|(_, path)| path)
                .collect(),
        }
    }

    /// One sentence: where the copies are, which one the plan uses and, when they sit in several
    /// folders, the `clusters[].paths` that would separate them.
    fn describe(&self, sources: &Sources) -> String {
        let count = self.definitions.len();
        let first = self
            .definitions
            .first()
            .map_or_else(String::new, |p| p.at(sources).to_string());
        let used = self
            .used_place()
            .map_or_else(String::new, |p| p.at(sources).to_string());
        let mut text = format!(
            "{} is defined {count} times in cluster {}",
            self.object, self.cluster
        );
        let all: Vec<&str> = self.definitions.iter().map(|p| p.folder(sources)).collect();
        let dirs = folders(&all);
        let dumps: Vec<&str> = self.dumps().map(|p| p.folder(sources)).collect();
        if !dumps.is_empty() {
            let dump_dirs: Vec<String> = folders(&dumps)
                .iter()
                .map(|d| {
                    if d.is_empty() {
                        "./".to_string()
                    } else {
                        format!("{d}/")
                    }
                })
                .collect();
            let _ = write!(
                text,
                " (first {first}), {} of them a kubectl get -o yaml dump of the live object (LB025): the plan uses {used}; keep dumps out of the linted folders (exclude: [{}])",
                dumps.len(),
                dump_dirs.join(", ")
            );
        } else if dirs.len() < 2 {
            let dir = dirs.first().map_or("", |d| d);
            let dir = if dir.is_empty() { "." } else { dir };
            let _ = write!(
                text,
                ", in one folder (first {first}): the plan uses {used}, the last copy Kubernetes accepts, as kubectl apply -f {dir} keeps it"
            );
        } else if self.gitops {
            let _ = write!(
                text,
                ", in {} folders (first {first}): GitOps objects deploy these folders into the same cluster and namespace, so Argo CD or Flux applies one object (the copy synced last), and the plan uses only {used}",
                dirs.len()
            );
        } else {
            let _ = write!(
                text,
                ", in {} folders (first {first}): they look like several clusters or variants of one app, and the plan uses only {used}; to lint each folder as its own cluster, set clusters[].paths in .lbplan.yaml: {}",
                dirs.len(),
                shown_paths(&self.separate(sources))
            );
        }
        text
    }
}

/// `a/, b/, c/ and 2 more`.
fn shown_paths(paths: &[(String, String)]) -> String {
    let shown: Vec<&str> = paths
        .iter()
        .take(PATHS_SHOWN)
        .map(|(_, p)| p.as_str())
        .collect();
    let mut text = shown.join(", ");
    if paths.len() > PATHS_SHOWN {
        let _ = write!(text, " and {} more", paths.len() - PATHS_SHOWN);
    }
    text
}

/// The one note a lint report gives about duplicates: the count and the first object's sentence,
/// with the `clusters[].paths` that would separate its copies (`--format json` lists every object
/// and copy in `duplicates`, each with its own paths).
pub fn summary_note(duplicates: &[Duplicate], sources: &Sources) -> Option<String> {
    let first = duplicates.first()?;
    let sentence = first.describe(sources);
    Some(match duplicates.len() {
        1 => sentence,
        n => format!(
            "{n} objects are defined more than once in one cluster (--format json lists every copy); the first: {sentence}"
        ),
    })
}

/// The folder of a file as reports name it (`""` for the working folder).
fn folder(file: &str) -> &str {
    file.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// The distinct folders, in order of first appearance.
fn folders<'a>(dirs: &[&'a str]) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for &dir in dirs {
        if !out.contains(&dir) {
            out.push(dir);
        }
    }
    out
}

/// The `clusters[].paths` that would put each folder in its own cluster: the folders' common
/// ancestor followed by the first component where each differs (`overlays/prod/`,
/// `overlays/test/`), each with a cluster name made of that component. `None` when they are one
/// folder.
fn separating_paths(dirs: &[&str]) -> Option<Vec<(String, String)>> {
    let folders = folders(dirs);
    if folders.len() < 2 {
        return None;
    }
    let split: Vec<Vec<&str>> = folders
        .iter()
        .map(|f| {
            f.split('/')
                .filter(|c| !c.is_empty() && *c != ".")
                .collect()
        })
        .collect();
    let first = split.first()?;
    let common = (0..first.len())
        .take_while(|&i| split.iter().all(|s| s.get(i) == first.get(i)))
        .count();
    let mut out: Vec<(String, String)> = Vec::new();
    for (n, (parts, dir)) in split.iter().zip(&folders).enumerate() {
        let depth = (common + 1).min(parts.len());
        let path: Vec<&str> = parts.iter().take(depth).copied().collect();
        let root = if dir.starts_with('/') { "/" } else { "" };
        let name = path
            .last()
            .map(|c| cluster_name(c))
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| format!("cluster-{}", n + 1));
        let path = if path.is_empty() {
            (if root.is_empty() { "./" } else { root }).to_string()
        } else {
            format!("{root}{}/", path.join("/"))
        };
        if !out.iter().any(|(_, p)| *p == path) {
            out.push((name, path));
        }
    }
    Some(out)
}

/// A folder name as a cluster name: letters, digits, `-`, `_` and `.`, others made `-`.
fn cluster_name(component: &str) -> String {
    component
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(files: &[&str]) -> Option<Vec<String>> {
        let dirs: Vec<&str> = files.iter().map(|f| folder(f)).collect();
        separating_paths(&dirs).map(|p| p.into_iter().map(|(n, p)| format!("{n}={p}")).collect())
    }

    #[test]
    fn copies_in_one_folder_are_not_clusters() {
        assert_eq!(paths(&["app/a.yaml", "app/b.yaml"]), None);
        assert_eq!(paths(&["a.yaml", "b.yaml"]), None);
        assert_eq!(paths(&["<stdin>"]), None);
    }

    #[test]
    fn each_folder_gets_the_first_component_where_they_differ() {
        assert_eq!(
            paths(&[
                "apps/hk/ingress/service.yaml",
                "apps/cn-north4/ingress/service.yaml",
                "apps/hk/web/service.yaml",
            ]),
            Some(vec![
                "hk=apps/hk/".to_string(),
                "cn-north4=apps/cn-north4/".to_string()
            ])
        );
        assert_eq!(
            paths(&["base/svc.yaml", "base/prod/svc.yaml"]),
            Some(vec![
                "base=base/".to_string(),
                "prod=base/prod/".to_string()
            ])
        );
        assert_eq!(
            paths(&["svc.yaml", "prod/svc.yaml"]),
            Some(vec!["cluster-1=./".to_string(), "prod=prod/".to_string()])
        );
    }
}
