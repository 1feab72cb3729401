//! A revision's files, written to a private temporary folder outside the repository (never a
//! checkout of the user's tree), so that a side read from git is read exactly as a folder is:
//! folder walks, ignore files, Helm charts, the side's own `.lbplan.yaml`, and Kustomize, whose
//! renderer needs files on disk. The folder (`lbplan-git-*`, in memory or in `$TMPDIR`:
//! `memory.rs`) is removed when the run ends, or when a signal stops it.
//!
//! A revision is the pull request's: its names are hostile. Nothing is written by a name before
//! every entry of the tree passed git's own checks (`names.rs`): a tree `git checkout` would
//! refuse is refused whole. Folders are made one component at a time and must be real folders,
//! files are created new (never opened through a symbolic link, never overwritten), and every
//! byte written counts against the run's byte budget.
//!
//! Written: what the side needs. Every file lbplan reads (`*.yaml`, `*.yml`, `*.json`,
//! `Kustomization`, `.ignore`, `.helmignore`), every file in or below a folder holding a
//! kustomization (generator sources, whatever their names) or a `Chart.yaml` (charts are
//! rendered per side), and symbolic links as links. Submodules are not read (a note says so). An
//! empty `.git` folder marks the root, so that config discovery stops there as it does at the
//! repository's root. `.gitignore` files and `info/exclude` are not written: every file of a
//! revision is tracked, and a tracked file is read whatever they say, as in the working folder
//! (`source/tracked.rs`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

mod memory;
mod names;
mod write;

use write::{Writer, real_folder};

use super::git::{GitError, Repo, TreeEntry};
use crate::exec::TempFolder;
use crate::source::read::Budget;

/// A revision written out; the folder goes when this is dropped.
pub struct Materialised {
    /// Keeps the folder alive.
    _dir: TempFolder,
    /// The folder that stands for the repository's root.
    pub root: PathBuf,
    /// What was not written, and why.
    pub notes: Vec<String>,
}

impl Materialised {
    /// The folder standing for `prefix` of the repository (the working folder's place in it),
    /// created empty when the revision does not have it.
    pub fn folder(&self, prefix: &Path) -> std::io::Result<PathBuf> {
        let mut folder = self.root.clone();
        for part in prefix.components() {
            folder.push(part);
            real_folder(&folder)?;
        }
        Ok(folder)
    }
}

const READ_NAMES: [&str; 3] = ["Kustomization", ".ignore", ".helmignore"];
const KUSTOMIZATIONS: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];
const CHART: &str = "Chart.yaml";

/// An entry's path split into its components, as git stores them.
fn components(path: &[u8]) -> impl Iterator<Item = &[u8]> {
    path.split(|&b| b == b'/')
}

fn file_name(path: &[u8]) -> &[u8] {
    path.rsplit(|&b| b == b'/').next().unwrap_or(b"")
}

/// The entry's folder: everything before its last `/`.
fn parent(path: &[u8]) -> &[u8] {
    let end = path.iter().rposition(|&b| b == b'/').unwrap_or(0);
    path.get(..end).unwrap_or(b"")
}

/// Whether lbplan itself reads files of this name.
fn lbplan_reads(path: &[u8]) -> bool {
    let name = file_name(path);
    if READ_NAMES.iter().any(|n| n.as_bytes() == name) {
        return true;
    }
    let extension = name.rsplit(|&b| b == b'.').next().unwrap_or(b"");
    name.contains(&b'.')
        && ["yaml", "yml", "json"]
            .iter()
            .any(|e| e.as_bytes().eq_ignore_ascii_case(extension))
}

/// Whether `folder` is `dir` or below it.
fn within(folder: &[u8], dir: &[u8]) -> bool {
    dir.is_empty()
        || folder == dir
        || (folder.starts_with(dir) && folder.get(dir.len()) == Some(&b'/'))
}

/// The entries to write: what lbplan reads, and everything under a kustomization's folder or a
/// chart's.
fn selected(entries: &[TreeEntry]) -> Vec<&TreeEntry> {
    let homes: BTreeSet<&[u8]> = entries
        .iter()
        .filter(|e| {
            let name = file_name(&e.path);
            name == CHART.as_bytes() || KUSTOMIZATIONS.iter().any(|k| k.as_bytes() == name)
        })
        .map(|e| parent(&e.path))
        .collect();
    entries
        .iter()
        .filter(|e| e.kind == "blob")
        .filter(|e| {
            lbplan_reads(&e.path) || {
                let folder = parent(&e.path);
                homes.iter().any(|home| within(folder, home))
            }
        })
        .collect()
}

/// Write the files of `commit` (named `label` in notes) into a new temporary folder, every byte
/// counted against `budget`: in memory when it fits there (`memory.rs`), else in the temporary
/// folder.
pub fn materialise(
    repo: &Repo,
    commit: &str,
    label: &str,
    budget: &Budget,
) -> Result<Materialised, GitError> {
    let entries = repo.tree(commit)?;
    // Refused whole, before anything is written: as git checkout refuses such a tree.
    if let Some(refusal) = names::refuse(&entries) {
        return Err(GitError::Refused(format!(
            "{label}: {refusal}; git itself refuses to check such a tree out, and lbplan reads nothing of it"
        )));
    }
    let mut notes = Vec::new();
    let submodules: Vec<String> = entries
        .iter()
        .filter(|e| e.kind == "commit")
        .map(TreeEntry::shown)
        .collect();
    if !submodules.is_empty() {
        notes.push(format!(
            "{label}: submodules are not read ({})",
            submodules.join(", ")
        ));
    }
    let chosen = selected(&entries);
    let revision = Revision {
        repo,
        chosen: &chosen,
        label,
        budget,
    };
    if let Some((folder, room)) = memory::memory_folder() {
        match revision.write(Some((&folder, room)), notes.clone()) {
            Err(Written::NoRoom { taken }) => budget.give_back(taken),
            other => return other.map_err(Written::into_error),
        }
    }
    revision.write(None, notes).map_err(Written::into_error)
}

/// The entries of a revision to write, and where they come from.
struct Revision<'a> {
    repo: &'a Repo,
    chosen: &'a [&'a TreeEntry],
    label: &'a str,
    budget: &'a Budget,
}

/// Why a revision was not written.
enum Written {
    /// The memory folder could not hold it (or be made): `taken` bytes go back to the budget
    /// before it is written to the temporary folder.
    NoRoom {
        taken: u64,
    },
    Failed(GitError),
}

impl Written {
    fn into_error(self) -> GitError {
        match self {
            Written::Failed(e) => e,
            Written::NoRoom { .. } => GitError::Failed {
                command: "(writing a revision to a temporary folder)".into(),
                message: "no room left".into(),
            },
        }
    }
}

impl Revision<'_> {
    /// Write the entries into a new folder under `memory` (a folder and the bytes it may take)
    /// or the temporary folder.
    fn write(
        &self,
        memory: Option<(&Path, u64)>,
        mut notes: Vec<String>,
    ) -> Result<Materialised, Written> {
        let label = self.label;
        let io = |e: std::io::Error| {
            Written::Failed(GitError::Failed {
                command: format!("(writing {label} to a temporary folder)"),
                message: e.to_string(),
            })
        };
        let made = TempFolder::new("lbplan-git-", memory.map(|(folder, _)| folder))
            .and_then(|dir| std::fs::create_dir(dir.path().join(".git")).map(|()| dir));
        let dir = match made {
            Ok(dir) => dir,
            Err(_) if memory.is_some() => return Err(Written::NoRoom { taken: 0 }),
            Err(e) => return Err(io(e)),
        };
        let root = dir.path().to_path_buf();
        let oids: Vec<&str> = self.chosen.iter().map(|e| e.oid.as_str()).collect();
        let mut writer = Writer::new(&root, self.budget, memory.map(|(_, room)| room));
        let written = self
            .repo
            .cat(&oids, |i, size, body| match self.chosen.get(i) {
                Some(entry) => writer.write(entry, size, body),
                None => Ok(()),
            });
        if writer.no_room {
            return Err(Written::NoRoom {
                taken: writer.taken,
            });
        }
        if let Some(refusal) = writer.refused.take() {
            return Err(Written::Failed(GitError::Refused(format!(
                "{label}: {refusal}"
            ))));
        }
        written.map_err(Written::Failed)?;
        if !writer.lfs.is_empty() {
            notes.push(format!(
                "{label}: {} stored in Git LFS: the revision holds a pointer, not the file ({})",
                if writer.lfs.len() == 1 {
                    "a file is"
                } else {
                    "files are"
                },
                writer.lfs.join(", ")
            ));
        }
        Ok(Materialised {
            _dir: dir,
            root,
            notes,
        })
    }
}

#[cfg(test)]
mod tests;
