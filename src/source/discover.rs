//! Turning PATH arguments into input files: files, folders (walked, see `walk.rs`), glob patterns
//! and `-`.
//!
//! A file named explicitly (or matched by a glob) is read whatever its extension and wherever it
//! is. Folders yield `*.yaml`, `*.yml` and `*.json`, sorted, without hidden entries, ignored files,
//! excluded folders, and the templates of Helm charts ([`ChartRoot`]). Problems (a missing path, an
//! unreadable folder, a pattern that matches nothing) are collected, never fatal, so every
//! readable input is still linted.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use super::helm::{ChartRoot, Charts, Placement};
use super::names::has_manifest_extension;
pub use super::names::{IoProblem, display_folder, display_name, is_json};
use super::walk::{WalkOptions, walk};

/// Where one input comes from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InputPath {
    File(PathBuf),
    Stdin,
}

/// An input and the name reports use for it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Input {
    pub name: String,
    pub path: InputPath,
}

/// What discovery found: the inputs to read, and what it met besides.
///
/// `charts` and `kustomizations` are the seam for renderers: a chart's templates are not read (a
/// note says how to render them); a kustomization's folder is reported, and `inputs.rs` decides
/// which overlays are rendered and which files the renders read instead of the raw reading.
#[derive(Debug, Default, Clone)]
pub struct Discovered {
    pub inputs: Vec<Input>,
    /// Helm charts met in folder walks, sorted by path.
    pub charts: Vec<ChartRoot>,
    /// Folders holding `kustomization.yaml`, `kustomization.yml` or `Kustomization`, sorted, as
    /// the walk met them (readable from the working folder).
    pub kustomizations: Vec<PathBuf>,
    /// What a user should know that is not a problem (links not followed).
    pub notes: Vec<String>,
    pub problems: Vec<IoProblem>,
    /// Files met in folder walks that cannot be read (a broken symbolic link): not checked,
    /// and said in a note rather than an error, since nobody named them. (A PATH named on the
    /// command line that cannot be read is a problem.)
    pub unread: Vec<IoProblem>,
}

/// Expand `args` into inputs; `stdin_name` names `-`.
#[cfg(test)]
pub fn discover(args: &[PathBuf], stdin_name: &str, options: &WalkOptions) -> Discovered {
    discover_in(args, stdin_name, options, &Walks::default(), Reuse::Take)
}

/// What [`discover_in`] does with a run's [`Walks`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reuse {
    /// Walk (unless the same walk is kept), and keep what the walk found for a later discovery.
    Keep,
    /// Take the same walk when one is kept, else walk.
    Take,
}

/// The folder walks a run made ahead of its own discovery (the GitOps scan walks the run's
/// folders before the clusters are known): the discovery that follows takes the walk of the
/// same folders with the same options instead of walking them again (and asking git again).
/// Each walk kept is taken at most once; [`Walks::forget`] lets go of the rest. Walks are kept
/// by their folders' absolute paths: the two sides of a diff walk `.` of their own folders.
#[derive(Default)]
pub struct Walks {
    kept: std::sync::Mutex<Vec<(Vec<PathBuf>, WalkOptions, Discovered)>>,
}

/// The folders of a walk, as [`Walks`] keeps them.
fn absolute_folders(folders: &[PathBuf]) -> Vec<PathBuf> {
    folders.iter().map(|f| super::read::absolute(f)).collect()
}

/// Not derived: `Budget`'s `Debug` would bring in the `Debug` of every compiled ignore matcher
/// (regex-automata's, with its Unicode tables: 440 KB of binary that every run, the one small
/// file of a pre-commit hook included, maps and relocates at start).
impl std::fmt::Debug for Walks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Walks").finish_non_exhaustive()
    }
}

impl Walks {
    fn take(&self, folders: &[PathBuf], options: &WalkOptions) -> Option<Discovered> {
        let mut kept = self
            .kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let folders = absolute_folders(folders);
        let at = kept
            .iter()
            .position(|(f, o, _)| *f == folders && o.same_walk(options))?;
        Some(kept.swap_remove(at).2)
    }

    fn keep(&self, folders: &[PathBuf], options: &WalkOptions, found: Discovered) {
        self.kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((absolute_folders(folders), options.clone(), found));
    }

    /// Let go of the walks kept and not taken.
    pub fn forget(&self) {
        std::mem::take(
            &mut *self
                .kept
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
    }
}

/// [`discover`], walking folders once a run: `reuse` says whether this discovery keeps its walk
/// in `walks` for a later one, or takes one kept there.
pub fn discover_in(
    args: &[PathBuf],
    stdin_name: &str,
    options: &WalkOptions,
    walks: &Walks,
    reuse: Reuse,
) -> Discovered {
    let mut found = Discovered::default();
    let mut folders = Vec::new();
    for arg in args {
        if arg.as_os_str() == "-" || super::read::is_stdin_alias(arg) {
            found.inputs.push(Input {
                name: stdin_name.to_string(),
                path: InputPath::Stdin,
            });
            continue;
        }
        match fs::metadata(arg) {
            Ok(meta) if meta.is_dir() => folders.push(folder_root(arg)),
            Ok(_) => push_file(arg, &mut found),
            Err(err) => {
                let text = arg.to_string_lossy();
                if text.contains(['*', '?', '[']) {
                    expand_glob(&text, &mut found, &mut folders);
                } else if fs::symlink_metadata(arg).is_ok() {
                    found
                        .problems
                        .push(problem(arg, &format!("broken link: {err}")));
                } else {
                    found.problems.push(problem(arg, "no such file or folder"));
                }
            }
        }
    }
    folders.sort();
    folders.dedup();
    if !folders.is_empty() {
        let walked = match reuse {
            Reuse::Take => walks.take(&folders, options),
            Reuse::Keep => None,
        };
        let walked = walked.unwrap_or_else(|| {
            let mut walked = Discovered::default();
            walk_folders(&folders, options, &mut walked);
            if reuse == Reuse::Keep {
                walks.keep(&folders, options, walked.clone());
            }
            walked
        });
        found.add(walked);
    }
    // Sorted and de-duplicated so that file order never changes the output.
    found.inputs.sort();
    found.inputs.dedup();
    found.problems.sort();
    found.problems.dedup();
    found.unread.sort();
    found.unread.dedup();
    found
}

/// A folder to walk. A link to a folder, named explicitly, is walked through (a trailing `/` makes
/// the walker resolve it), under the name given.
fn folder_root(arg: &Path) -> PathBuf {
    let is_link = fs::symlink_metadata(arg).is_ok_and(|m| m.file_type().is_symlink());
    if is_link {
        let mut text = arg.as_os_str().to_os_string();
        text.push("/");
        PathBuf::from(text)
    } else {
        arg.to_path_buf()
    }
}

fn expand_glob(pattern: &str, found: &mut Discovered, folders: &mut Vec<PathBuf>) {
    let paths = match glob::glob(pattern) {
        Ok(paths) => paths,
        Err(err) => {
            found.problems.push(IoProblem {
                path: pattern.to_string(),
                message: format!("invalid glob pattern: {}", err.msg),
            });
            return;
        }
    };
    let mut matched = false;
    for entry in paths {
        matched = true;
        match entry {
            Ok(path) if path.is_dir() => folders.push(folder_root(&path)),
            // As in folders: a FIFO matched by a pattern would block the read forever.
            Ok(path) if !path.is_file() => {
                found
                    .problems
                    .push(problem(&path, "not a regular file; skipped"));
            }
            Ok(path) => push_file(&path, found),
            Err(err) => found
                .problems
                .push(problem(err.path(), &err.error().to_string())),
        }
    }
    if !matched {
        found.problems.push(IoProblem {
            path: pattern.to_string(),
            message: "pattern matched no files".into(),
        });
    }
}

impl Discovered {
    /// Add what a walk found.
    fn add(&mut self, walked: Discovered) {
        self.inputs.extend(walked.inputs);
        self.charts.extend(walked.charts);
        self.kustomizations.extend(walked.kustomizations);
        self.notes.extend(walked.notes);
        self.problems.extend(walked.problems);
        self.unread.extend(walked.unread);
    }
}

/// Walk the folders: their manifests become inputs, except Helm templates; links are judged.
fn walk_folders(folders: &[PathBuf], options: &WalkOptions, found: &mut Discovered) {
    let threads = crate::threads::startable(crate::threads::count());
    let mut walked = walk(folders, options, threads);
    super::tracked::add_hidden(folders, options, &mut walked);
    found.problems.extend(walked.problems);
    let mut charts = Charts::new(&walked.charts, folders);
    for file in &walked.files {
        if charts.place(file) == Placement::Manifest {
            push_file(file, found);
        }
    }
    found.charts = charts.into_roots();
    found.kustomizations = walked.kustomizations;
    if let Some(first) = walked.submodules.first() {
        found.notes.push(format!(
            "{} not read: {} its own `.git` ({}{}); lint it on its own",
            match walked.submodules.len() {
                1 => "1 submodule or nested repository".to_string(),
                n => format!("{n} submodules or nested repositories"),
            },
            if walked.submodules.len() == 1 {
                "it has"
            } else {
                "each has"
            },
            display_name(first),
            if walked.submodules.len() > 1 {
                ", ..."
            } else {
                ""
            },
        ));
    }
    if !walked.links.is_empty() {
        follow_links(folders, &walked.files, &walked.links, found);
    }
}

/// Links met in a walk. A link whose target lies outside the folders walked is not followed (it
/// could reach `/proc` or the whole file system): a note names it. Inside them, a link to a folder
/// is not followed either (its files are walked where they are), and a link to a file is read
/// under its own name unless the walk already has the file.
fn follow_links(folders: &[PathBuf], files: &[PathBuf], links: &[PathBuf], found: &mut Discovered) {
    let roots: Vec<(PathBuf, PathBuf)> = folders
        .iter()
        .filter_map(|f| fs::canonicalize(f).ok().map(|real| (f.clone(), real)))
        .collect();
    // The real paths of the walked files: a walk never goes through a link, so each is its
    // root's real path joined with the rest.
    let walked: HashSet<PathBuf> = files
        .iter()
        .filter_map(|file| {
            roots
                .iter()
                .find_map(|(root, real)| file.strip_prefix(root).ok().map(|rest| real.join(rest)))
        })
        .collect();
    let mut outside = Vec::new();
    for link in links {
        let manifest_name = has_manifest_extension(link);
        let target = match fs::canonicalize(link) {
            Ok(target) => target,
            Err(err) => {
                if manifest_name {
                    found
                        .unread
                        .push(problem(link, &format!("a broken symbolic link: {err}")));
                }
                continue;
            }
        };
        let is_dir = target.is_dir();
        if !is_dir && !manifest_name {
            continue;
        }
        if !roots.iter().any(|(_, real)| target.starts_with(real)) {
            outside.push(display_name(link));
            continue;
        }
        if !is_dir && target.is_file() && !walked.contains(&target) {
            push_file(link, found);
        }
    }
    if let Some(first) = outside.first() {
        found.notes.push(format!(
            "{} not followed: the target lies outside the folders given ({first}{}); name a link on the command line to read it",
            if outside.len() == 1 {
                "1 symbolic link".to_string()
            } else {
                format!("{} symbolic links", outside.len())
            },
            if outside.len() > 1 { ", ..." } else { "" },
        ));
    }
}

fn push_file(path: &Path, found: &mut Discovered) {
    found.inputs.push(Input {
        name: display_name(path),
        path: InputPath::File(path.to_path_buf()),
    });
}

fn problem(path: &Path, message: &str) -> IoProblem {
    IoProblem {
        path: display_name(path),
        message: message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::walk::ExcludeSet;

    #[test]
    fn folders_are_walked_sorted_and_filtered() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        fs::create_dir_all(root.join("b/.hidden")).expect("mkdir");
        fs::create_dir_all(root.join("a.yaml")).expect("folder named like a file");
        for f in [
            "z.yaml",
            "b/y.yml",
            "b/x.json",
            "b/readme.md",
            "b/.hidden/h.yaml",
            "a.yaml/in.yaml",
        ] {
            fs::write(root.join(f), "kind: X\n").expect("write");
        }
        let found = discover(&[root.to_path_buf()], "<stdin>", &WalkOptions::default());
        let prefix = format!("{}/", display_name(root));
        let names: Vec<&str> = found
            .inputs
            .iter()
            .map(|i| i.name.strip_prefix(&prefix).unwrap_or(&i.name))
            .collect();
        assert_eq!(names, ["a.yaml/in.yaml", "b/x.json", "b/y.yml", "z.yaml"]);
        assert!(found.problems.is_empty());
    }

    #[test]
    fn missing_paths_and_empty_globs_are_problems() {
        let found = discover(
            &[
                PathBuf::from("/nonexistent/x.yaml"),
                PathBuf::from("/nonexistent/*.yaml"),
            ],
            "<stdin>",
            &WalkOptions::default(),
        );
        assert!(found.inputs.is_empty());
        assert_eq!(found.problems.len(), 2);
        assert!(
            found
                .problems
                .iter()
                .any(|p| p.message.contains("matched no files"))
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_terminate() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::create_dir(dir.path().join("d")).expect("mkdir");
        fs::write(dir.path().join("d/a.yaml"), "kind: X\n").expect("write");
        std::os::unix::fs::symlink(dir.path(), dir.path().join("d/loop")).expect("symlink");
        let found = discover(
            &[dir.path().to_path_buf()],
            "<stdin>",
            &WalkOptions::default(),
        );
        assert_eq!(found.inputs.len(), 1);
    }

    #[test]
    fn walks_report_charts_and_kustomizations() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        for (f, text) in [
            ("base/kustomization.yaml", "resources: [svc.yaml]\n"),
            ("base/svc.yaml", "kind: Service\n"),
            ("overlay/Kustomization", "resources: [../base]\n"),
            ("chart/Chart.yaml", "name: chart\n"),
            ("chart/values.yaml", "a: 1\n"),
            ("chart/templates/svc.yaml", "kind: {{ .Values.kind }}\n"),
            ("chart/crds/crd.yaml", "kind: CustomResourceDefinition\n"),
        ] {
            fs::create_dir_all(root.join(f).parent().expect("parent")).expect("mkdir");
            fs::write(root.join(f), text).expect("write");
        }
        let found = discover(&[root.to_path_buf()], "<stdin>", &WalkOptions::default());
        let prefix = format!("{}/", display_name(root));
        let strip = |n: &str| n.strip_prefix(&prefix).unwrap_or(n).to_string();
        let names: Vec<String> = found.inputs.iter().map(|i| strip(&i.name)).collect();
        assert_eq!(
            names,
            [
                "base/kustomization.yaml",
                "base/svc.yaml",
                "chart/crds/crd.yaml"
            ]
        );
        let kustomizations: Vec<String> = found
            .kustomizations
            .iter()
            .map(|k| strip(&display_folder(k)))
            .collect();
        assert_eq!(kustomizations, ["base", "overlay"]);
        assert_eq!(found.charts.len(), 1);
        assert_eq!(found.charts[0].name, "chart");
        assert_eq!(found.charts[0].templates, 1);
        assert!(found.problems.is_empty(), "{:?}", found.problems);
    }

    #[test]
    fn display_names_drop_dot_slash() {
        assert_eq!(display_name(Path::new("./a/b.yaml")), "a/b.yaml");
        assert!(is_json("x/List.JSON"));
    }

    #[test]
    fn a_kept_walk_is_taken_once_and_only_by_the_same_walk() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        for f in ["a/x.yaml", "b/y.yaml"] {
            fs::create_dir_all(root.join(f).parent().expect("parent")).expect("mkdir");
            fs::write(root.join(f), "a: 1\n").expect("write");
        }
        let names = |found: &Discovered| -> Vec<String> {
            found
                .inputs
                .iter()
                .map(|i| i.name.rsplit('/').next().unwrap_or("").to_string())
                .collect()
        };
        let walks = Walks::default();
        let roots = [root.to_path_buf()];
        let kept = discover_in(&roots, "-", &WalkOptions::default(), &walks, Reuse::Keep);
        assert_eq!(names(&kept), ["x.yaml", "y.yaml"]);
        // A file written after the walk shows which discoveries walked again.
        fs::write(root.join("z.yaml"), "a: 1\n").expect("write");
        let other = WalkOptions {
            excludes: vec![ExcludeSet::new(root, &["b/".to_string()]).expect("globs")],
            ..WalkOptions::default()
        };
        let excluded = discover_in(&roots, "-", &other, &walks, Reuse::Take);
        assert_eq!(names(&excluded), ["x.yaml", "z.yaml"]);
        let taken = discover_in(
            &roots,
            "<stdin>",
            &WalkOptions::default(),
            &walks,
            Reuse::Take,
        );
        assert_eq!(names(&taken), ["x.yaml", "y.yaml"]);
        let again = discover_in(&roots, "-", &WalkOptions::default(), &walks, Reuse::Take);
        assert_eq!(names(&again), ["x.yaml", "y.yaml", "z.yaml"]);
    }
}
