//! A revision's files, written to a private temporary folder outside the repository (never a
//! checkout of the user's tree), so that a side read from git is read exactly as a folder is:
//! folder walks, ignore files, Helm charts, the side's own `.lbplan.yaml`, and Kustomize, whose
//! renderer needs files on disk. The folder (`lbplan-git-*` in `$TMPDIR`) is removed when the run
//! ends, or when a signal stops it.
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

use std::collections::{BTreeSet, HashSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

mod names;

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
/// counted against `budget`.
pub fn materialise(
    repo: &Repo,
    commit: &str,
    label: &str,
    budget: &Budget,
) -> Result<Materialised, GitError> {
    let io = |e: std::io::Error| GitError::Failed {
        command: format!("(writing {label} to a temporary folder)"),
        message: e.to_string(),
    };
    let entries = repo.tree(commit)?;
    // Refused whole, before anything is written: as git checkout refuses such a tree.
    if let Some(refusal) = names::refuse(&entries) {
        return Err(GitError::Refused(format!(
            "{label}: {refusal}; git itself refuses to check such a tree out, and lbplan reads nothing of it"
        )));
    }
    let dir = TempFolder::new("lbplan-git-", None).map_err(io)?;
    let root = dir.path().to_path_buf();
    std::fs::create_dir(root.join(".git")).map_err(io)?;
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
    let oids: Vec<&str> = chosen.iter().map(|e| e.oid.as_str()).collect();
    let mut writer = Writer {
        root: &root,
        folders: HashSet::new(),
        budget,
        lfs: Vec::new(),
        refused: None,
    };
    let written = repo.cat(&oids, |i, size, body| match chosen.get(i) {
        Some(entry) => writer.write(entry, size, body),
        None => Ok(()),
    });
    if let Some(refusal) = writer.refused.take() {
        return Err(GitError::Refused(format!("{label}: {refusal}")));
    }
    written?;
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

/// Writes a revision's entries under its root, never through a link.
struct Writer<'a> {
    root: &'a Path,
    /// Folders made so far (relative to the root).
    folders: HashSet<Vec<u8>>,
    budget: &'a Budget,
    lfs: Vec<String>,
    /// Why the revision was refused while it was written.
    refused: Option<String>,
}

impl Writer<'_> {
    fn write(&mut self, entry: &TreeEntry, size: u64, body: &mut dyn Read) -> std::io::Result<()> {
        let refuse = |this: &mut Self, why: String| {
            this.refused = Some(why.clone());
            Err(std::io::Error::other(why))
        };
        if !self.budget.take(size) {
            return refuse(
                self,
                format!(
                    "writing it would take the run past {} GiB, the limit for one run (at {})",
                    crate::source::read::MAX_RUN_BYTES >> 30,
                    entry.shown()
                ),
            );
        }
        let path = match self.folder_of(entry) {
            Ok(folder) => folder.join(os(file_name(&entry.path))),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return refuse(self, clash(entry));
            }
            Err(e) => return Err(e),
        };
        if entry.is_link() {
            let mut target = Vec::new();
            body.read_to_end(&mut target)?;
            return match link(&target, &path) {
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    refuse(self, clash(entry))
                }
                other => other,
            };
        }
        // A new file: never one that exists, never through a link.
        let mut file = match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return refuse(self, clash(entry));
            }
            other => other?,
        };
        if size < 200 && lbplan_reads(&entry.path) {
            let mut text = Vec::new();
            body.read_to_end(&mut text)?;
            if text.starts_with(b"version https://git-lfs.github.com/spec/") {
                self.lfs.push(entry.shown());
            }
            file.write_all(&text)?;
        } else {
            std::io::copy(body, &mut file)?;
        }
        // Read later by the side's walk: already counted, not again.
        if let Ok(meta) = file.metadata() {
            self.budget.mark_counted(&meta);
        }
        Ok(())
    }

    /// The entry's folder, made one component at a time: each must be a real folder, never a
    /// link or a file another entry wrote.
    fn folder_of(&mut self, entry: &TreeEntry) -> std::io::Result<PathBuf> {
        let mut folder = self.root.to_path_buf();
        let mut so_far: Vec<u8> = Vec::new();
        let parent = parent(&entry.path);
        if parent.is_empty() {
            return Ok(folder);
        }
        for part in components(parent) {
            folder.push(os(part));
            if !so_far.is_empty() {
                so_far.push(b'/');
            }
            so_far.extend_from_slice(part);
            if self.folders.contains(&so_far) {
                continue;
            }
            real_folder(&folder)?;
            self.folders.insert(so_far.clone());
        }
        Ok(folder)
    }
}

/// Make `folder` (its parent exists), or accept it when it already is a real folder; a link or
/// a file there is `AlreadyExists`.
fn real_folder(folder: &Path) -> std::io::Result<()> {
    match std::fs::create_dir(folder) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            if std::fs::symlink_metadata(folder).is_ok_and(|m| m.is_dir()) {
                Ok(())
            } else {
                Err(e)
            }
        }
        Err(e) => Err(e),
    }
}

fn clash(entry: &TreeEntry) -> String {
    format!(
        "tree entry {} clashes with another entry of the same name, or with a link or file where a folder of its path is; lbplan never writes through a link or over a file",
        entry.shown()
    )
}

#[cfg(unix)]
fn os(bytes: &[u8]) -> &std::ffi::OsStr {
    use std::os::unix::ffi::OsStrExt;
    std::ffi::OsStr::from_bytes(bytes)
}

#[cfg(not(unix))]
fn os(bytes: &[u8]) -> std::ffi::OsString {
    std::ffi::OsString::from(String::from_utf8_lossy(bytes).into_owned())
}

#[cfg(unix)]
fn link(target: &[u8], at: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(os(target), at)
}

#[cfg(not(unix))]
fn link(_target: &[u8], _at: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests;
