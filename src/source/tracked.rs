//! Tracked files that a `.gitignore` hides from a folder walk.
//!
//! A committed folder can match an ignore pattern (`[Ll]ocal` in `.gitignore` also matches a
//! committed `local/`): the walker, which honours the patterns as ripgrep does, skips it, though
//! git tracks its files and they are as much the repository's as any other. So when a walk met a
//! `.gitignore`, git is asked once per folder walked (inside a work tree) which tracked files an
//! ignore file matches, and those a walk would otherwise read are added to it: hidden files,
//! the built-in excludes and the user's excludes still apply. Without git, or outside a work
//! tree, nothing is added. Never in a run that names only files: only folder walks call this.
//!
//! The one call is [`ask_git`], kept here so that it can move to another process runner.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use super::names::has_manifest_extension;
use super::walk::{DEFAULT_EXCLUDES, WalkOptions, Walked};

/// Add to `walked` the tracked files under `roots` that an ignore file hid from it.
pub fn add_hidden(roots: &[PathBuf], options: &WalkOptions, walked: &mut Walked) {
    if !options.ignore_files || !walked.gitignore {
        return;
    }
    let seen: HashSet<PathBuf> = walked.files.iter().cloned().collect();
    for root in roots {
        if !in_work_tree(root) {
            continue;
        }
        for relative in ask_git(root) {
            if !walks_would_read(&relative, options) {
                continue;
            }
            let path = root.join(&relative);
            if user_excluded(&path, options) {
                continue;
            }
            let regular = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
            if !regular || seen.contains(&path) {
                continue;
            }
            let parent = || path.parent().map_or_else(PathBuf::new, Path::to_path_buf);
            match path.file_name().and_then(|n| n.to_str()) {
                Some("Chart.yaml") => walked.charts.push(parent()),
                Some("kustomization.yaml" | "kustomization.yml" | "Kustomization") => {
                    walked.kustomizations.push(parent());
                }
                _ => {}
            }
            if has_manifest_extension(&path) {
                walked.files.push(path);
            }
        }
    }
    walked.charts.sort();
    walked.charts.dedup();
    walked.kustomizations.sort();
    walked.kustomizations.dedup();
}

/// The tracked files under `root` an ignore file matches, relative to it; none when git cannot
/// say.
fn ask_git(root: &Path) -> Vec<PathBuf> {
    crate::diff::git::tracked_ignored(root).unwrap_or_default()
}

/// Whether `root` is inside a git work tree: it, or a folder above it, holds `.git`.
fn in_work_tree(root: &Path) -> bool {
    let real = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    real.ancestors().any(|dir| dir.join(".git").exists())
}

/// Whether a walk that honoured no ignore file would read `relative`: no hidden component, no
/// built-in exclude (unless turned off), no exclude glob.
fn walks_would_read(relative: &Path, options: &WalkOptions) -> bool {
    let names: Vec<&str> = relative
        .components()
        .filter_map(|c| match c {
            Component::Normal(name) => name.to_str(),
            _ => None,
        })
        .collect();
    if names.len() != relative.components().count() {
        return false; // `..`, an absolute path or a name that is not UTF-8: not git's answer
    }
    let hidden = names.iter().any(|n| n.starts_with('.'));
    let excluded = options.default_excludes
        && names
            .iter()
            .rev()
            .skip(1)
            .any(|n| DEFAULT_EXCLUDES.contains(n));
    !hidden && !excluded
}

/// Whether one of the user's exclude globs excludes `path`.
fn user_excluded(path: &Path, options: &WalkOptions) -> bool {
    options.excludes.iter().any(|set| set.excludes_path(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_and_vendored_files_stay_skipped() {
        let options = WalkOptions::default();
        assert!(walks_would_read(Path::new("local/a.yaml"), &options));
        assert!(!walks_would_read(Path::new(".github/a.yaml"), &options));
        assert!(!walks_would_read(Path::new("x/vendor/a.yaml"), &options));
        assert!(walks_would_read(Path::new("vendor.yaml"), &options));
        assert!(!walks_would_read(Path::new("../a.yaml"), &options));
    }
}
