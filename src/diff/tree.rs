//! A revision's files, written to a private temporary folder outside the repository (never a
//! checkout of the user's tree), so that a side read from git is read exactly as a folder is:
//! folder walks, ignore files, Helm charts, the side's own `.lbplan.yaml`, and Kustomize, whose
//! renderer needs files on disk. The folder (`lbplan-git-*` in `$TMPDIR`) is removed when the run
//! ends.
//!
//! Written: every file lbplan or a Kustomize render can read, that is every `*.yaml`, `*.yml` and
//! `*.json`, every `Kustomization`, `.ignore` and `.helmignore`, and every file in or below a
//! folder holding a kustomization (generator sources, whatever their names); symbolic links as
//! links. Submodules are not read (a note says so). An empty `.git` folder marks the root, so
//! that config discovery stops there as it does at the repository's root. `.gitignore` files and
//! `info/exclude` are not written: every file of a revision is tracked, and a tracked file is read
//! whatever they say, as in the working folder (`source/tracked.rs`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::git::{GitError, Repo, TreeEntry};

/// A revision written out; the folder goes when this is dropped.
pub struct Materialised {
    /// Keeps the folder alive.
    _dir: tempfile::TempDir,
    /// The folder that stands for the repository's root.
    pub root: PathBuf,
    /// What was not written, and why.
    pub notes: Vec<String>,
}

impl Materialised {
    /// The folder standing for `prefix` of the repository (the working folder's place in it),
    /// created empty when the revision does not have it.
    pub fn folder(&self, prefix: &Path) -> std::io::Result<PathBuf> {
        let folder = self.root.join(prefix);
        std::fs::create_dir_all(&folder)?;
        Ok(folder)
    }
}

const READ_NAMES: [&str; 3] = ["Kustomization", ".ignore", ".helmignore"];
const KUSTOMIZATIONS: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

fn file_name(path: &Path) -> &str {
    path.file_name().and_then(|n| n.to_str()).unwrap_or("")
}

/// Whether lbplan itself reads files of this name.
fn lbplan_reads(path: &Path) -> bool {
    let name = file_name(path);
    READ_NAMES.contains(&name)
        || path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "yaml" | "yml" | "json"))
}

/// The entries to write: what lbplan reads, and everything under a kustomization's folder.
fn selected(entries: &[TreeEntry]) -> Vec<&TreeEntry> {
    let kustomized: BTreeSet<&Path> = entries
        .iter()
        .filter(|e| KUSTOMIZATIONS.contains(&file_name(&e.path)))
        .filter_map(|e| e.path.parent())
        .collect();
    entries
        .iter()
        .filter(|e| e.kind == "blob")
        .filter(|e| lbplan_reads(&e.path) || e.path.ancestors().any(|a| kustomized.contains(a)))
        .collect()
}

/// Write the files of `commit` (named `label` in notes) into a new temporary folder.
pub fn materialise(repo: &Repo, commit: &str, label: &str) -> Result<Materialised, GitError> {
    let io = |e: std::io::Error| GitError::Failed {
        command: format!("(writing {label} to a temporary folder)"),
        message: e.to_string(),
    };
    let entries = repo.tree(commit)?;
    let dir = tempfile::Builder::new()
        .prefix("lbplan-git-")
        .tempdir()
        .map_err(io)?;
    let root = dir.path().to_path_buf();
    std::fs::create_dir_all(root.join(".git")).map_err(io)?;
    let mut notes = Vec::new();
    let submodules: Vec<String> = entries
        .iter()
        .filter(|e| e.kind == "commit")
        .map(|e| e.path.display().to_string())
        .collect();
    if !submodules.is_empty() {
        notes.push(format!(
            "{label}: submodules are not read ({})",
            submodules.join(", ")
        ));
    }
    let chosen = selected(&entries);
    let oids: Vec<&str> = chosen.iter().map(|e| e.oid.as_str()).collect();
    let mut lfs = Vec::new();
    repo.cat(&oids, |i, size, body| {
        let Some(entry) = chosen.get(i) else {
            return Ok(());
        };
        let path = root.join(&entry.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        if entry.is_link() {
            let mut target = Vec::new();
            body.read_to_end(&mut target)?;
            return link(&target, &path);
        }
        let mut file = std::fs::File::create(&path)?;
        if size < 200 && lbplan_reads(&entry.path) {
            let mut text = Vec::new();
            body.read_to_end(&mut text)?;
            if text.starts_with(b"version https://git-lfs.github.com/spec/") {
                lfs.push(entry.path.display().to_string());
            }
            std::io::Write::write_all(&mut file, &text)
        } else {
            std::io::copy(body, &mut file).map(|_| ())
        }
    })?;
    if !lfs.is_empty() {
        notes.push(format!(
            "{label}: {} stored in Git LFS: the revision holds a pointer, not the file ({})",
            if lfs.len() == 1 {
                "a file is"
            } else {
                "files are"
            },
            lfs.join(", ")
        ));
    }
    Ok(Materialised {
        _dir: dir,
        root,
        notes,
    })
}

#[cfg(unix)]
fn link(target: &[u8], at: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    std::os::unix::fs::symlink(std::ffi::OsStr::from_bytes(target), at)
}

#[cfg(not(unix))]
fn link(_target: &[u8], _at: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, kind: &str) -> TreeEntry {
        TreeEntry {
            mode: "100644".into(),
            kind: kind.into(),
            oid: "0".into(),
            path: PathBuf::from(path),
        }
    }

    #[test]
    fn what_lbplan_or_kustomize_reads_is_written() {
        let entries = [
            entry("a.yaml", "blob"),
            entry("src/main.go", "blob"),
            entry("docs/x.JSON", "blob"),
            entry(".gitignore", "blob"),
            entry("k/base/kustomization.yaml", "blob"),
            entry("k/base/app.env", "blob"),
            entry("k/base/sub/cert.pem", "blob"),
            entry("k/other.env", "blob"),
            entry("vendor/lib", "commit"),
        ];
        let paths: Vec<String> = selected(&entries)
            .iter()
            .map(|e| e.path.display().to_string())
            .collect();
        assert_eq!(
            paths,
            [
                "a.yaml",
                "docs/x.JSON",
                "k/base/kustomization.yaml",
                "k/base/app.env",
                "k/base/sub/cert.pem"
            ]
        );
    }
}
