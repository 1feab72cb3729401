//! Placements: where the copies of one object in several folders belong, when no config says which
//! folders are which cluster.
//!
//! Repositories keep a folder (or a Kustomize overlay) per cluster, per region or per namespace,
//! with the same app in each. Given as one cluster, they hold every object several times; applying
//! "the last copy wins" across the repository would drop all but one copy, and compare one
//! folder's objects with another's. Instead, without `clusters:` in the config, each copy of an
//! object defined in several folders gets a *placement*: the folder where its path first differs
//! from the other copies' (`apps/hk/` and `apps/cn/` for `apps/hk/web/svc.yaml` and
//! `apps/cn/web/svc.yaml`; a rendered copy counts as in its overlay's folder). Every copy is
//! planned, once per placement. Objects defined once have no placement: they belong to every
//! placement of their cluster.
//!
//! Two objects of one cluster *meet* (a rule about several objects may compare them, a Service
//! may target a workload) unless they sit in placements neither of which holds the other, or they
//! are two copies of one object: copies are alternatives, never neighbours. Copies in one
//! placement keep "the last copy wins" (`model/mod.rs`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

mod across;

pub use across::{CopyFolders, moves};

use super::{ClusterId, Inventory, ObjectId, PlacedObject, PlacementId};

/// One folder's copies of the objects defined in several folders of a cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    pub cluster: ClusterId,
    /// The folder as reports name it, without a trailing `/` (`.` for the working folder).
    pub folder: String,
}

impl Placement {
    /// Whether this placement's folder holds `other`'s, or is it.
    fn holds(&self, other: &Placement) -> bool {
        self.folder == "."
            || other.folder == self.folder
            || other
                .folder
                .strip_prefix(self.folder.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
    }

    /// Whether objects of the two placements may meet: one folder holds the other.
    pub fn meets(&self, other: &Placement) -> bool {
        self.cluster == other.cluster && (self.holds(other) || other.holds(self))
    }

    /// How far `other` is from this placement, for a Service choosing among copies of one
    /// workload: the same placement first, then the nearest folder holding it, then the nearest
    /// folder it holds. `None` when they do not meet.
    pub fn distance(&self, other: &Placement) -> Option<usize> {
        let depth = |p: &Placement| {
            if p.folder == "." {
                0
            } else {
                p.folder.split('/').count()
            }
        };
        if self.folder == other.folder {
            Some(0)
        } else if other.holds(self) {
            Some(depth(self) - depth(other).min(depth(self)))
        } else if self.holds(other) {
            Some(1000 + depth(other).saturating_sub(depth(self)))
        } else {
            None
        }
    }

    /// `apps/hk/`, as notes list folders.
    pub fn folder_slash(&self) -> String {
        if self.folder == "." {
            "./".to_string()
        } else {
            format!("{}/", self.folder)
        }
    }
}

/// Objects planned once per folder that share the same folders: one note says so.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PlacedCopies {
    /// `Kind/namespace/name` of the objects, the load-balanced ones first, each in input order.
    pub objects: Vec<String>,
    /// The folders, as reports name them with a trailing `/`, in input order.
    pub folders: Vec<String>,
}

/// How many folders a sentence shows.
const FOLDERS_SHOWN: usize = 3;

impl PlacedCopies {
    /// `Service/web/web and 4 other objects are defined in 3 folders: a/, b/, c/; planned once
    /// per folder; to say which folders are one cluster, add clusters[].paths`.
    pub fn sentence(&self) -> String {
        let first = self.objects.first().map_or("", String::as_str);
        let subject = match self.objects.len() {
            0 | 1 => format!("{first} is"),
            2 => format!("{first} and 1 other object are"),
            n => format!("{first} and {} other objects are", n - 1),
        };
        let mut folders = self
            .folders
            .iter()
            .take(FOLDERS_SHOWN)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if self.folders.len() > FOLDERS_SHOWN {
            let _ = write!(folders, " and {} more", self.folders.len() - FOLDERS_SHOWN);
        }
        format!(
            "{subject} defined in {} folders: {folders}; planned once per folder; to say which folders are one cluster, add clusters[].paths",
            self.folders.len()
        )
    }
}

/// (cluster, kind, namespace, name) -> (the first copy, its placements in input order).
type CopySets<'a> = BTreeMap<(ClusterId, &'a str, &'a str, &'a str), (ObjectId, Vec<PlacementId>)>;

/// The objects planned once per folder, grouped by the folders they are in: one entry per set of
/// folders, in input order.
pub fn placed_copies(inv: &Inventory) -> Vec<PlacedCopies> {
    let balanced: BTreeSet<ObjectId> = inv.frontends.iter().map(|f| f.object).collect();
    let mut sets: CopySets = BTreeMap::new();
    for (id, entry) in inv.definitions() {
        let Some(placement) = entry.placement.filter(|_| inv.is_planned(id)) else {
            continue;
        };
        let o = &entry.object;
        let set = sets
            .entry((entry.cluster, o.kind(), &o.meta.namespace, &o.meta.name))
            .or_insert((id, Vec::new()));
        if !set.1.contains(&placement) {
            set.1.push(placement);
        }
    }
    // Sets with the same folders: (first object, objects, the first set's placements in order).
    let mut by_folders: BTreeMap<Vec<PlacementId>, (ObjectId, Vec<ObjectId>, Vec<PlacementId>)> =
        BTreeMap::new();
    for (first, placements) in sets.into_values() {
        let mut key = placements.clone();
        key.sort_unstable();
        let group = by_folders
            .entry(key)
            .or_insert((first, Vec::new(), placements.clone()));
        if first < group.0 {
            group.0 = first;
            group.2 = placements;
        }
        group.1.push(first);
    }
    let mut groups: Vec<(ObjectId, Vec<ObjectId>, Vec<PlacementId>)> =
        by_folders.into_values().collect();
    groups.sort_by_key(|g| g.0);
    groups
        .into_iter()
        .map(|(_, mut objects, placements)| {
            objects.sort_by_key(|id| (!balanced.contains(id), *id));
            PlacedCopies {
                objects: objects
                    .iter()
                    .map(|&id| inv.object(id).label().to_string())
                    .collect(),
                folders: placements
                    .iter()
                    .filter_map(|p| inv.placements.get(p.index()))
                    .map(Placement::folder_slash)
                    .collect(),
            }
        })
        .collect()
}

/// Give each copy of an object defined in several folders of one cluster its placement, in the
/// clusters `placed` names (without `clusters:` in the config, the one cluster; a source of
/// clusters such as GitOps objects would pass the cluster of the files it does not claim;
/// `None`: not placed). `folders[i]` is the folder of `objects[i]` as reports name it (its
/// overlay's for a rendered object; `""` or `.` for the working folder). Objects read from pod
/// snapshots, and observed pods, are no definitions and get none. In a diff, `other` holds the
/// other side's folders of the same objects, among which the copies are placed too
/// (`across.rs`). Returns the placements, in order of first use, and this side's own folders of
/// the objects it placed.
pub fn assign(
    objects: &mut [PlacedObject],
    folders: &[String],
    placed: impl Fn(ClusterId) -> Option<String>,
    other: &CopyFolders,
) -> (Vec<Placement>, CopyFolders) {
    let mut sets: BTreeMap<(ClusterId, &'static str, String, String), Vec<usize>> = BTreeMap::new();
    let mut names: BTreeMap<ClusterId, String> = BTreeMap::new();
    for (i, entry) in objects.iter().enumerate() {
        if entry.from_snapshot || entry.observed {
            continue;
        }
        if let std::collections::btree_map::Entry::Vacant(vacant) = names.entry(entry.cluster) {
            let Some(name) = placed(entry.cluster) else {
                continue;
            };
            vacant.insert(name);
        }
        let o = &entry.object;
        sets.entry((
            entry.cluster,
            o.kind(),
            o.meta.namespace.clone(),
            o.meta.name.clone(),
        ))
        .or_default()
        .push(i);
    }
    let mut chosen: Vec<(usize, ClusterId, String)> = Vec::new();
    let mut own = CopyFolders::default();
    for ((cluster, kind, namespace, name), members) in sets {
        let folder_of = |i: usize| components(folders.get(i).map_or("", String::as_str));
        // A dump of the live object (LB025) beside one manifest is no placement of its own: the
        // copies stay one object, and the note about them says to keep dumps out.
        let mut manifests: Vec<Vec<&str>> = members
            .iter()
            .filter(|&&i| !objects.get(i).is_some_and(is_dump))
            .map(|&i| folder_of(i))
            .collect();
        manifests.sort();
        manifests.dedup();
        if manifests.len() < 2 {
            continue;
        }
        let mut distinct: Vec<Vec<&str>> = members.iter().map(|&i| folder_of(i)).collect();
        let key = (
            names.get(&cluster).cloned().unwrap_or_default(),
            kind.to_string(),
            namespace,
            name,
        );
        if let Some(theirs) = other.get(&key) {
            distinct.extend(theirs.iter().map(|f| components(f)));
        }
        distinct.sort();
        distinct.dedup();
        let mine = members.iter().map(|&i| folder_of(i).join("/")).collect();
        own.insert(key, mine);
        for &i in &members {
            let own = components(folders.get(i).map_or("", String::as_str));
            chosen.push((i, cluster, first_difference(&own, &distinct)));
        }
    }
    // Ids in order of the objects, so that they follow the input order.
    chosen.sort_by_key(|&(i, ..)| i);
    let mut placements: Vec<Placement> = Vec::new();
    for (i, cluster, folder) in chosen {
        let id = placements
            .iter()
            .position(|p| p.cluster == cluster && p.folder == folder)
            .unwrap_or_else(|| {
                placements.push(Placement { cluster, folder });
                placements.len() - 1
            });
        if let Some(entry) = objects.get_mut(i) {
            entry.placement = Some(PlacementId::new(id));
        }
    }
    (placements, own)
}

/// A key without its placement: `auto:default@apps/hk/web/svc` is `auto:default/web/svc`,
/// `default@apps/hk:Service/web/svc` is `default:Service/web/svc` (namespaces and names hold no
/// `/` or `:`, so the folder is what lies between `@` and them). For matching the sides of a
/// diff when a copy gains or loses its placement (a copy added in a new folder).
pub fn without_placement(key: &str) -> String {
    for prefix in ["auto:", "placeholder:"] {
        if let Some(rest) = key.strip_prefix(prefix) {
            let Some((cluster, placed)) = rest.split_once('@') else {
                return key.to_string();
            };
            if cluster.contains('/') {
                return key.to_string();
            }
            // namespace/name, or namespace/ingress/name
            let parts: Vec<&str> = placed.rsplitn(4, '/').collect();
            let keep = if parts.get(1) == Some(&"ingress") {
                3
            } else {
                2
            };
            let tail: Vec<&str> = parts.iter().take(keep).rev().copied().collect();
            return format!("{prefix}{cluster}/{}", tail.join("/"));
        }
    }
    match key.rsplit_once(':') {
        Some((scope, label)) => match scope.split_once('@') {
            Some((cluster, _)) => format!("{cluster}:{label}"),
            None => key.to_string(),
        },
        None => key.to_string(),
    }
}

/// Whether the copy is a `kubectl get -o yaml` dump of the live object.
fn is_dump(entry: &PlacedObject) -> bool {
    entry
        .object
        .meta
        .live
        .iter()
        .any(|l| l.value.marks_a_dump())
}

/// A folder's components (none for the working folder).
fn components(folder: &str) -> Vec<&str> {
    folder
        .split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .collect()
}

/// The shortest start of `own` that no other of the `distinct` folders shares; `own` itself when
/// every start is shared (it holds another copy's folder).
fn first_difference(own: &[&str], distinct: &[Vec<&str>]) -> String {
    let others: Vec<&Vec<&str>> = distinct.iter().filter(|d| d.as_slice() != own).collect();
    let depth = (1..=own.len())
        .find(|&d| {
            let start = own.get(..d).unwrap_or_default();
            !others.iter().any(|o| o.get(..d) == Some(start))
        })
        .unwrap_or(own.len());
    let start = own.get(..depth).unwrap_or_default();
    if start.is_empty() {
        ".".to_string()
    } else {
        start.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placements(folders: &[&str]) -> Vec<String> {
        let mut distinct: Vec<Vec<&str>> = folders.iter().map(|f| components(f)).collect();
        distinct.sort();
        distinct.dedup();
        folders
            .iter()
            .map(|f| first_difference(&components(f), &distinct))
            .collect()
    }

    #[test]
    fn a_copy_is_placed_where_its_path_first_differs() {
        assert_eq!(
            placements(&[
                "apps/hk/web",
                "apps/cn/web",
                "apps/control/ingress",
                "apps/control/ingress-sg"
            ]),
            [
                "apps/hk",
                "apps/cn",
                "apps/control/ingress",
                "apps/control/ingress-sg"
            ]
        );
        assert_eq!(placements(&["", "prod"]), [".", "prod"]);
        assert_eq!(placements(&["base", "base/prod"]), ["base", "base/prod"]);
        assert_eq!(placements(&["a/x", "a/x", "b"]), ["a", "a", "b"]);
    }

    #[test]
    fn keys_lose_their_placement_for_matching() {
        assert_eq!(
            without_placement("auto:default@apps/hk/web/svc"),
            "auto:default/web/svc"
        );
        assert_eq!(
            without_placement("auto:default@apps/hk/web/ingress/site"),
            "auto:default/web/ingress/site"
        );
        assert_eq!(
            without_placement("auto:default/web/svc"),
            "auto:default/web/svc"
        );
        assert_eq!(
            without_placement("default@overlays/prod:Service/web/svc"),
            "default:Service/web/svc"
        );
        assert_eq!(without_placement("a:Service/web/svc"), "a:Service/web/svc");
        assert_eq!(without_placement("5083f225-9bf8"), "5083f225-9bf8");
    }

    #[test]
    fn placements_meet_when_one_folder_holds_the_other() {
        let p = |folder: &str| Placement {
            cluster: ClusterId::new(0),
            folder: folder.to_string(),
        };
        assert!(p("apps/hk").meets(&p("apps/hk/web")));
        assert!(p(".").meets(&p("prod")));
        assert!(!p("apps/hk").meets(&p("apps/hk-2")));
        assert!(!p("apps/hk").meets(&p("apps/cn")));
        assert_eq!(p("a/b").distance(&p("a/b")), Some(0));
        assert_eq!(p("a/b").distance(&p("a")), Some(1));
        assert_eq!(p("a").distance(&p("a/b")), Some(1001));
        assert_eq!(p("a").distance(&p("b")), None);
    }
}
