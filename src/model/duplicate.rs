//! Objects defined more than once in one cluster, and what their files' folders say about why.
//!
//! Copies in one folder are what `kubectl apply -f FOLDER` would apply in turn: the last one wins.
//! Copies in different folders usually are not: a repository with one folder per cluster or per
//! variant (`overlays/prod`, `clusters/hk`) holds the same app in each, and lbplan, given them as one
//! cluster, sees one object defined several times. There the useful answer is the
//! `clusters[].paths` that would give each folder its own cluster.

use std::collections::BTreeMap;

use std::fmt::Write as _;

use super::{Inventory, ObjectId};
use crate::source::{Origin, Sources};

/// One object defined more than once in one cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// `Kind/namespace/name`.
    pub object: String,
    pub cluster: String,
    /// Every definition, in input order (sorted by file name, then position).
    pub definitions: Vec<Origin>,
    /// The definition the plan uses: the last one Kubernetes would accept.
    pub used: Origin,
    /// The definitions that are dumps of a live object (`kubectl get -o yaml`, see LB025).
    pub dumps: Vec<Origin>,
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
                    object: self.object(winner).label().to_string(),
                    cluster: self.cluster_of(winner).name().to_string(),
                    definitions: ids.iter().map(|&id| self.object(id).origin).collect(),
                    used: self.object(winner).origin,
                    dumps: ids
                        .iter()
                        .map(|&id| self.object(id))
                        .filter(|o| o.meta.live.iter().any(|l| l.value.marks_a_dump()))
                        .map(|o| o.origin)
                        .collect(),
                }
            })
            .collect()
    }
}

/// How many separating paths a sentence shows; JSON has them all.
const PATHS_SHOWN: usize = 3;

impl Duplicate {
    /// `file:line` of a definition.
    pub fn at(sources: &Sources, origin: Origin) -> String {
        format!("{}:{}", sources.name(origin.file), sources.line_of(origin))
    }

    /// The file names of the definitions, in order.
    pub fn files<'s>(&self, sources: &'s Sources) -> Vec<&'s str> {
        self.definitions
            .iter()
            .map(|o| sources.name(o.file))
            .collect()
    }

    /// The `clusters[].paths` that would give each folder of the copies its own cluster (with a
    /// cluster name each); dumps of live objects are left out, since they belong to no cluster's
    /// manifests. Empty when the copies share one folder.
    pub fn separate(&self, sources: &Sources) -> Vec<(String, String)> {
        let files: Vec<&str> = self
            .definitions
            .iter()
            .filter(|o| !self.dumps.contains(o))
            .map(|o| sources.name(o.file))
            .collect();
        separating_paths(&files).unwrap_or_default()
    }

    /// One sentence: where the copies are, which one the plan uses and, when they sit in several
    /// folders, the `clusters[].paths` that would separate them (`paths`: those of this object,
    /// or of every object a summary is about). Only the first definition's line is looked up: a
    /// line costs a pass over its file.
    fn describe(&self, sources: &Sources, paths: &[(String, String)]) -> String {
        let files = self.files(sources);
        let count = self.definitions.len();
        let first = self
            .definitions
            .first()
            .map_or_else(String::new, |&o| Self::at(sources, o));
        let used = Self::at(sources, self.used);
        let mut text = format!(
            "{} is defined {count} times in cluster {}",
            self.object, self.cluster
        );
        let dirs = folders(&files);
        if !self.dumps.is_empty() {
            let dump_files: Vec<&str> = self.dumps.iter().map(|o| sources.name(o.file)).collect();
            let dump_dirs: Vec<String> = folders(&dump_files)
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
                self.dumps.len(),
                dump_dirs.join(", ")
            );
        } else if dirs.len() < 2 {
            let dir = dirs.first().map_or("", |d| d);
            let dir = if dir.is_empty() { "." } else { dir };
            let _ = write!(
                text,
                ", in one folder (first {first}): the plan uses {used}, the last copy Kubernetes accepts, as kubectl apply -f {dir} keeps it"
            );
        } else {
            let _ = write!(
                text,
                ", in {} folders (first {first}): they look like several clusters or variants of one app, and the plan uses only {used}; to lint each folder as its own cluster, set clusters[].paths in .lbplan.yaml: {}",
                dirs.len(),
                shown_paths(paths)
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
    let sentence = first.describe(sources, &first.separate(sources));
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

/// The distinct folders of the files, in order of first appearance.
pub fn folders<'a>(files: &[&'a str]) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for file in files {
        let dir = folder(file);
        if !out.contains(&dir) {
            out.push(dir);
        }
    }
    out
}

/// The `clusters[].paths` that would put each folder in its own cluster: the folders' common
/// ancestor followed by the first component where each differs (`overlays/prod/`,
/// `overlays/test/`), each with a cluster name made of that component. `None` when the files
/// share one folder (or are standard input).
pub fn separating_paths(files: &[&str]) -> Option<Vec<(String, String)>> {
    let folders = folders(files);
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
        separating_paths(files).map(|p| p.into_iter().map(|(n, p)| format!("{n}={p}")).collect())
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
