//! Where the two sides of `lbplan diff` come from: `--base-root DIR` and the working folder, or
//! git revisions written to temporary folders (`--base-rev`, `--head-rev`), and how reports name
//! the base's files.

use std::path::{Path, PathBuf};

use super::super::{DiffArgs, Error};
use crate::diff::SideInfo;
use crate::diff::git::Repo;
use crate::diff::sides::Root;
use crate::diff::tree::{Materialised, materialise};
use crate::source::discover::display_name;
use crate::source::read::Budget;

/// Where the sides come from.
pub(super) struct Origins {
    pub base: Root,
    pub head: Root,
    pub base_info: SideInfo,
    pub head_info: SideInfo,
    /// How reports name a file of the base (read as a path from the base's root).
    pub base_name: Box<dyn Fn(&str) -> String>,
    pub notes: Vec<String>,
    /// The revisions written out, removed when the run ends.
    _trees: Vec<Materialised>,
    /// The folder an absolute `--config` is judged against: the head's top (the repository's
    /// top level for git sides, else the working folder's repository, else the working folder).
    pub head_top: PathBuf,
}

/// `main@f845f84`, or the revision alone when it is that commit's ID.
fn label(rev: &str, commit: &str) -> String {
    if rev.len() >= 4 && commit.starts_with(rev) {
        rev.to_string()
    } else {
        format!("{rev}@{}", short(commit))
    }
}

fn short(commit: &str) -> &str {
    commit.get(..7).unwrap_or(commit)
}

/// Where each side comes from; a revision's files are written out, counted against `budget`.
pub(super) fn origins(args: &DiffArgs, budget: &Budget) -> Result<Origins, Error> {
    let working = SideInfo {
        name: "working folder".into(),
        ..SideInfo::default()
    };
    if let Some(dir) = &args.base_root {
        if !dir.is_dir() {
            return Err(Error::BaseRoot(display_name(dir)));
        }
        let shown = display_name(dir);
        let base = Root::at(dir, None).map_err(Error::WorkingFolder)?;
        let head = Root::here().map_err(Error::WorkingFolder)?;
        let prefix = dir.clone();
        return Ok(Origins {
            head_top: head.top().path().map(Path::to_path_buf).unwrap_or_default(),
            base,
            head,
            base_info: SideInfo {
                name: format!("{}/", shown.trim_end_matches('/')),
                root: Some(shown),
                ..SideInfo::default()
            },
            head_info: working,
            base_name: Box::new(move |name| display_name(&prefix.join(name))),
            notes: Vec::new(),
            _trees: Vec::new(),
        });
    }
    let rev = args.base_rev.as_deref().unwrap_or("HEAD");
    let repo = Repo::discover()?;
    let head_commit = repo.commit(args.head_rev.as_deref().unwrap_or("HEAD"))?;
    let tip = repo.commit(rev)?;
    let head_name = args.head_rev.as_deref().unwrap_or("HEAD");
    let base_commit = repo.merge_base(&tip, &head_commit, (rev, head_name))?;
    let base_label = if base_commit == tip {
        label(rev, &base_commit)
    } else {
        format!(
            "{} (merge base of {rev} and {head_name})",
            short(&base_commit)
        )
    };
    let mut trees = Vec::new();
    let mut notes = Vec::new();
    let base_tree = materialise(&repo, &base_commit, &base_label, budget)?;
    let base = Root::at(
        &base_tree
            .folder(&repo.prefix)
            .map_err(Error::WorkingFolder)?,
        Some(&base_tree.root),
    )
    .map_err(Error::WorkingFolder)?;
    notes.extend(base_tree.notes.iter().cloned());
    trees.push(base_tree);
    let (head, head_info) = match &args.head_rev {
        Some(head_rev) => {
            let label = label(head_rev, &head_commit);
            let tree = materialise(&repo, &head_commit, &label, budget)?;
            let root = Root::at(
                &tree.folder(&repo.prefix).map_err(Error::WorkingFolder)?,
                Some(&tree.root),
            )
            .map_err(Error::WorkingFolder)?;
            notes.extend(tree.notes.iter().cloned());
            trees.push(tree);
            let info = SideInfo {
                name: label,
                rev: Some(head_rev.clone()),
                commit: Some(head_commit.clone()),
                ..SideInfo::default()
            };
            (root, info)
        }
        None => (
            Root::at(Path::new("."), Some(&repo.toplevel)).map_err(Error::WorkingFolder)?,
            working,
        ),
    };
    let prefix = display_name(&repo.prefix);
    let prefix = if prefix.is_empty() {
        prefix
    } else {
        format!("{}/", prefix.trim_end_matches('/'))
    };
    let at = short(&base_commit).to_string();
    Ok(Origins {
        base,
        head,
        base_info: SideInfo {
            name: base_label,
            rev: Some(rev.to_string()),
            commit: Some(base_commit),
            ..SideInfo::default()
        },
        head_info,
        base_name: Box::new(move |name| format!("{at}:{prefix}{name}")),
        notes,
        _trees: trees,
        head_top: repo.toplevel.clone(),
    })
}
