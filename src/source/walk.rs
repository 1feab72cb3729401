//! Walking folders, in parallel, with the `ignore` crate (ripgrep's walker): hidden entries are
//! skipped, `.gitignore`, `.ignore`, `.git/info/exclude` and `.helmignore` honoured (unless
//! [`WalkOptions::ignore_files`] is off), the built-in excludes and the user's exclude globs
//! applied. Symbolic links are not followed here: [`Walked::links`] lists them for the caller to
//! judge. The listing comes back sorted, whatever the threads did.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::{DirEntry, WalkBuilder, WalkState};

use super::names::{IoProblem, display_name};

/// Folders never walked unless named explicitly, or turned off with `default_exclude: false` or
/// `--no-ignore`: version-control data, vendored dependencies and test data, which hold other
/// projects' manifests.
pub const DEFAULT_EXCLUDES: [&str; 12] = [
    ".git",
    ".hg",
    ".svn",
    ".terraform",
    ".terragrunt-cache",
    ".venv",
    "__pycache__",
    "node_modules",
    "testdata",
    "third_party",
    "vendor",
    "venv",
];

/// Ignore files read in every folder walked. (`.git/info/exclude` too, but only where `.git` is:
/// it is checked for the folders given and those above them, where repositories start.)
const IGNORE_FILES: [&str; 3] = [".gitignore", ".ignore", ".helmignore"];

/// Exclude globs (gitignore syntax), anchored at one folder: a config file's, or the working
/// folder for `--exclude`.
#[derive(Debug, Clone)]
pub struct ExcludeSet {
    root: PathBuf,
    /// The globs as given: two sets of the same globs at the same folder exclude alike.
    globs: Vec<String>,
    matcher: Gitignore,
}

impl ExcludeSet {
    /// Compile `globs`, anchored at `root` (made absolute against the working folder). An invalid
    /// glob is an error naming it.
    pub fn new(root: &Path, globs: &[String]) -> Result<ExcludeSet, String> {
        let root = absolute(root, &working_folder());
        let mut builder = GitignoreBuilder::new(&root);
        for glob in globs {
            builder
                .add_line(None, glob)
                .map_err(|e| format!("invalid exclude glob \"{glob}\": {}", glob_error(&e)))?;
        }
        let matcher = builder
            .build()
            .map_err(|e| format!("invalid exclude globs: {}", glob_error(&e)))?;
        Ok(ExcludeSet {
            root,
            globs: globs.to_vec(),
            matcher,
        })
    }

    /// Whether the set excludes `absolute`. A glob with a `/` before its end is anchored at the
    /// set's folder; one without (`vendor/`, `*.tmpl.yaml`) matches anywhere, even outside it.
    fn excludes(&self, absolute: &Path, is_dir: bool) -> bool {
        self.matcher.matched(absolute, is_dir).is_ignore()
    }

    /// Whether `path`, or a folder it is in, is excluded.
    pub fn excludes_path(&self, path: &Path) -> bool {
        let absolute = absolute(path, &working_folder());
        if absolute.starts_with(&self.root) {
            return self
                .matcher
                .matched_path_or_any_parents(&absolute, false)
                .is_ignore();
        }
        self.excludes(&absolute, false)
            || absolute
                .ancestors()
                .skip(1)
                .any(|dir| self.excludes(dir, true))
    }
}

/// How folders are walked.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Honour `.gitignore`, `.ignore`, `.git/info/exclude` and `.helmignore`.
    pub ignore_files: bool,
    /// Skip the [`DEFAULT_EXCLUDES`] folders.
    pub default_excludes: bool,
    pub excludes: Vec<ExcludeSet>,
}

impl WalkOptions {
    /// Whether a walk with `other` finds what a walk with these options finds, of the same
    /// folders (from the same working folder).
    pub fn same_walk(&self, other: &WalkOptions) -> bool {
        self.ignore_files == other.ignore_files
            && self.default_excludes == other.default_excludes
            && self.excludes.len() == other.excludes.len()
            && self
                .excludes
                .iter()
                .zip(&other.excludes)
                .all(|(a, b)| a.root == b.root && a.globs == b.globs)
    }
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            ignore_files: true,
            default_excludes: true,
            excludes: Vec::new(),
        }
    }
}

/// What a walk of some folders found, each list sorted.
#[derive(Debug, Default)]
pub struct Walked {
    /// Regular files named `*.yaml`, `*.yml` or `*.json`.
    pub files: Vec<PathBuf>,
    /// Symbolic links named like manifests, or to folders: not followed.
    pub links: Vec<PathBuf>,
    /// Folders holding a `Chart.yaml`.
    pub charts: Vec<PathBuf>,
    /// Folders holding a `kustomization.yaml`, `kustomization.yml` or `Kustomization`.
    pub kustomizations: Vec<PathBuf>,
    /// Folders below a root that hold `.git` (submodules, nested repositories): not walked.
    pub submodules: Vec<PathBuf>,
    pub problems: Vec<IoProblem>,
    /// A `.gitignore` was met (in a folder walked or above one): files it matched may be
    /// tracked ones, which `tracked.rs` asks git for.
    pub gitignore: bool,
}

enum Found {
    File(PathBuf),
    Link(PathBuf),
    Chart(PathBuf),
    Kustomization(PathBuf),
    Problem(IoProblem),
}

/// Walk `roots` (folders) with `threads` threads.
pub fn walk(roots: &[PathBuf], options: &WalkOptions, threads: usize) -> Walked {
    let mut walked = Walked::default();
    let problems: Arc<Mutex<Vec<IoProblem>>> = Arc::default();
    let gitignore = Arc::new(AtomicBool::new(false));
    // A root is walked only when the ignore files read for it (its own and its parents') can be.
    let roots: Vec<&PathBuf> = roots
        .iter()
        .filter(|root| !options.ignore_files || ignore_files_readable(root, &problems, &gitignore))
        .collect();
    let Some((first, rest)) = roots.split_first() else {
        walked.problems = std::mem::take(
            &mut *problems
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        return walked;
    };
    let mut builder = WalkBuilder::new(first);
    for root in rest {
        builder.add(root);
    }
    builder
        .hidden(true)
        .follow_links(false)
        .git_ignore(options.ignore_files)
        .git_exclude(options.ignore_files)
        .git_global(false)
        .ignore(options.ignore_files)
        .parents(options.ignore_files)
        .require_git(false)
        .threads(threads.max(1));
    if options.ignore_files {
        builder.add_custom_ignore_filename(".helmignore");
    }
    let submodules: Arc<Mutex<Vec<PathBuf>>> = Arc::default();
    let filter = Filter {
        cwd: working_folder(),
        options: options.clone(),
        problems: Arc::clone(&problems),
        gitignore: Arc::clone(&gitignore),
        submodules: Arc::clone(&submodules),
    };
    builder.filter_entry(move |entry| filter.keep(entry));

    let found: Mutex<Vec<Found>> = Mutex::new(Vec::new());
    builder.build_parallel().run(|| {
        let found = &found;
        let mut mine = Vec::new();
        Box::new(move |entry| {
            match entry {
                Ok(entry) => classify(&entry, &mut mine),
                Err(err) => mine.push(Found::Problem(ignore_problem(&err))),
            }
            if !mine.is_empty() {
                found
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .append(&mut mine);
            }
            WalkState::Continue
        })
    });
    for item in found
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
    {
        match item {
            Found::File(path) => walked.files.push(path),
            Found::Link(path) => walked.links.push(path),
            Found::Chart(path) => walked.charts.push(path),
            Found::Kustomization(path) => walked.kustomizations.push(path),
            Found::Problem(problem) => walked.problems.push(problem),
        }
    }
    walked.problems.extend(
        problems
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .drain(..),
    );
    // Files are sorted by the caller, by the names reports use.
    walked.links.sort();
    walked.charts.sort();
    walked.charts.dedup();
    walked.kustomizations.sort();
    walked.kustomizations.dedup();
    walked.submodules = std::mem::take(
        &mut *submodules
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
    walked.submodules.sort();
    walked.problems.sort();
    walked.problems.dedup();
    walked.gitignore = gitignore.load(Ordering::Relaxed);
    walked
}

/// What the walker skips besides hidden and ignored entries.
struct Filter {
    cwd: PathBuf,
    options: WalkOptions,
    problems: Arc<Mutex<Vec<IoProblem>>>,
    gitignore: Arc<AtomicBool>,
    submodules: Arc<Mutex<Vec<PathBuf>>>,
}

impl Filter {
    fn keep(&self, entry: &DirEntry) -> bool {
        if entry.depth() == 0 {
            return true; // a folder named explicitly is walked, whatever its name
        }
        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
        if is_dir
            && self.options.default_excludes
            && entry
                .file_name()
                .to_str()
                .is_some_and(|n| DEFAULT_EXCLUDES.contains(&n))
        {
            return false;
        }
        if !self.options.excludes.is_empty() {
            let absolute = absolute(entry.path(), &self.cwd);
            if self
                .options
                .excludes
                .iter()
                .any(|set| set.excludes(&absolute, is_dir))
            {
                return false;
            }
        }
        // A submodule or nested repository is another repository's files: a revision never
        // holds them, so a walk of the working tree must not read them either.
        if is_dir && std::fs::symlink_metadata(entry.path().join(".git")).is_ok() {
            self.submodules
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(entry.path().to_path_buf());
            return false;
        }
        if is_dir && self.options.ignore_files {
            return check_ignore_files(entry.path(), &self.problems, &self.gitignore);
        }
        true
    }
}

/// The walker reads a folder's ignore files before listing it, and would block on one that is a
/// pipe: a folder whose ignore file is not a regular file is not walked, and that is an error
/// naming the file. False when the folder must be skipped.
fn check_ignore_files(
    dir: &Path,
    problems: &Mutex<Vec<IoProblem>>,
    gitignore: &AtomicBool,
) -> bool {
    check_files(dir, &IGNORE_FILES, problems, gitignore)
}

/// Whether the ignore files `names` of `dir` are regular files or absent; `gitignore` is set
/// when one is a `.gitignore`.
fn check_files(
    dir: &Path,
    names: &[&str],
    problems: &Mutex<Vec<IoProblem>>,
    gitignore: &AtomicBool,
) -> bool {
    let mut fine = true;
    for name in names {
        let path = dir.join(name);
        let Ok(meta) = std::fs::metadata(&path) else {
            continue; // absent (or a dangling link): nothing to honour
        };
        if meta.is_file() && *name == ".gitignore" {
            gitignore.store(true, Ordering::Relaxed);
        }
        if !meta.is_file() {
            fine = false;
            problems
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(IoProblem {
                    path: display_name(&path),
                    message: format!(
                        "not a regular file, so it cannot be honoured; the folder {} was not walked",
                        display_name(dir)
                    ),
                });
        }
    }
    fine
}

/// Whether the ignore files of `root` and of the folders above it (which the walker reads too)
/// are regular files or absent.
fn ignore_files_readable(
    root: &Path,
    problems: &Mutex<Vec<IoProblem>>,
    gitignore: &AtomicBool,
) -> bool {
    let real = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let mut fine = true;
    for dir in std::iter::once(root).chain(real.ancestors().skip(1)) {
        fine &= check_ignore_files(dir, problems, gitignore);
        fine &= check_files(dir, &[".git/info/exclude"], problems, gitignore);
    }
    fine
}

fn classify(entry: &DirEntry, found: &mut Vec<Found>) {
    let Some(file_type) = entry.file_type() else {
        return;
    };
    let path = entry.path();
    let name = entry.file_name().to_str().unwrap_or("");
    if file_type.is_dir() {
        return;
    }
    if file_type.is_symlink() {
        found.push(Found::Link(path.to_path_buf()));
        return;
    }
    let parent = || path.parent().map_or_else(PathBuf::new, Path::to_path_buf);
    if file_type.is_file() {
        match name {
            "Chart.yaml" => found.push(Found::Chart(parent())),
            // Still read as manifests (a Kustomization is not a kind lbplan models); the folder is
            // reported too, for the Kustomize renderer.
            "kustomization.yaml" | "kustomization.yml" | "Kustomization" => {
                found.push(Found::Kustomization(parent()));
            }
            _ => {}
        }
    }
    if !super::names::has_manifest_extension(path) {
        return;
    }
    if file_type.is_file() {
        found.push(Found::File(path.to_path_buf()));
    } else {
        // A FIFO or socket named like a manifest would block the read forever.
        found.push(Found::Problem(IoProblem {
            path: display_name(path),
            message: "not a regular file; skipped".into(),
        }));
    }
}

/// An error of the walker (an unreadable folder or ignore file, an invalid glob in an ignore
/// file) as a problem naming its path.
fn ignore_problem(err: &ignore::Error) -> IoProblem {
    let mut path = None;
    let mut line = None;
    let mut inner = err;
    loop {
        match inner {
            ignore::Error::WithPath { path: p, err } => {
                path.get_or_insert_with(|| display_name(p));
                inner = err;
            }
            ignore::Error::WithLineNumber { line: l, err } => {
                line.get_or_insert(*l);
                inner = err;
            }
            ignore::Error::WithDepth { err, .. } => inner = err,
            ignore::Error::Partial(errs) if errs.len() == 1 => match errs.first() {
                Some(first) => inner = first,
                None => break,
            },
            _ => break,
        }
    }
    let message = match (inner, line) {
        (ignore::Error::Io(e), _) => e.to_string(),
        (e, Some(line)) => format!("line {line}: {}", glob_error(e)),
        (e, None) => glob_error(e),
    };
    IoProblem {
        path: path.unwrap_or_else(|| "<folder walk>".into()),
        message,
    }
}

fn glob_error(err: &ignore::Error) -> String {
    match err {
        ignore::Error::Glob { err, .. } => err.clone(),
        other => other.to_string(),
    }
}

/// `path` made absolute against `cwd`, without touching the file system.
fn absolute(path: &Path, cwd: &Path) -> PathBuf {
    if path.is_absolute() {
        return path.to_path_buf();
    }
    cwd.join(path.strip_prefix(".").unwrap_or(path))
}

fn working_folder() -> PathBuf {
    std::env::current_dir().unwrap_or_default()
}
