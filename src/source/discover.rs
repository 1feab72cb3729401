//! Turning PATH arguments into input files: files, folders (recursive), glob patterns and `-`.
//!
//! Folders yield `*.yaml`, `*.yml` and `*.json` in sorted order and skip hidden entries (`.git`,
//! `.lbplan.yaml`); a file named explicitly is read whatever its extension. Problems (a missing
//! path, an unreadable folder, a pattern that matches nothing) are collected, never fatal, so every
//! readable input is still linted.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

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

/// A path that could not be used, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct IoProblem {
    pub path: String,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct Discovered {
    pub inputs: Vec<Input>,
    pub problems: Vec<IoProblem>,
}

const EXTENSIONS: [&str; 3] = ["yaml", "yml", "json"];

/// Expand `args` (relative to `base` when given) into inputs; `stdin_name` names `-`.
pub fn discover(args: &[PathBuf], base: Option<&Path>, stdin_name: &str) -> Discovered {
    let mut found = Discovered::default();
    let mut seen_dirs = HashSet::new();
    for arg in args {
        if arg.as_os_str() == "-" {
            found.inputs.push(Input {
                name: stdin_name.to_string(),
                path: InputPath::Stdin,
            });
            continue;
        }
        let path = match base {
            Some(base) if arg.is_relative() => base.join(arg),
            _ => arg.clone(),
        };
        match fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => walk(&path, &mut found, &mut seen_dirs),
            Ok(_) => push_file(&path, &mut found),
            Err(err) => {
                let text = path.to_string_lossy();
                if text.contains(['*', '?', '[']) {
                    expand_glob(&text, &mut found, &mut seen_dirs);
                } else if fs::symlink_metadata(&path).is_ok() {
                    found
                        .problems
                        .push(problem(&path, &format!("broken link: {err}")));
                } else {
                    found
                        .problems
                        .push(problem(&path, "no such file or folder"));
                }
            }
        }
    }
    // Sorted and de-duplicated so that file order never changes the output.
    found.inputs.sort();
    found.inputs.dedup();
    found
}

fn expand_glob(pattern: &str, found: &mut Discovered, seen_dirs: &mut HashSet<PathBuf>) {
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
            Ok(path) if path.is_dir() => walk(&path, found, seen_dirs),
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

fn walk(dir: &Path, found: &mut Discovered, seen_dirs: &mut HashSet<PathBuf>) {
    let real = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    walk_real(dir, real, found, seen_dirs);
}

/// Walk `dir`, whose canonical path is `real`. A symlink loop would walk forever, so each real
/// folder is visited once; a real (not linked) subfolder's canonical path is its parent's joined
/// with its name, so only symlinks cost a `canonicalize`, and only entries that are links or whose
/// type the folder listing does not give cost a `stat`.
#[allow(
    clippy::needless_pass_by_value,
    reason = "callers build the path for this call; it is cloned into seen_dirs"
)]
fn walk_real(dir: &Path, real: PathBuf, found: &mut Discovered, seen_dirs: &mut HashSet<PathBuf>) {
    if !seen_dirs.insert(real.clone()) {
        return;
    }
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) => {
            found.problems.push(problem(dir, &err.to_string()));
            return;
        }
    };
    let mut children: Vec<(PathBuf, Option<fs::FileType>)> = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => children.push((entry.path(), entry.file_type().ok())),
            Err(err) => found.problems.push(problem(dir, &err.to_string())),
        }
    }
    children.sort_by(|a, b| a.0.cmp(&b.0));
    for (child, file_type) in children {
        let name = child.file_name();
        if name
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'))
        {
            continue;
        }
        match file_type {
            Some(t) if t.is_dir() => {
                let real_child = name.map_or_else(|| child.clone(), |n| real.join(n));
                walk_real(&child, real_child, found, seen_dirs);
                continue;
            }
            Some(t) if t.is_file() => {
                if has_manifest_extension(&child) {
                    push_file(&child, found);
                }
                continue;
            }
            _ => {}
        }
        // A symlink, or a type the listing did not give: follow it.
        #[allow(
            clippy::match_same_arms,
            reason = "other files and errors outside manifests are skipped for different reasons"
        )]
        match fs::metadata(&child) {
            Ok(meta) if meta.is_dir() => walk(&child, found, seen_dirs),
            // A FIFO or socket named like a manifest would block the read forever.
            Ok(meta) if has_manifest_extension(&child) && !meta.is_file() => {
                found
                    .problems
                    .push(problem(&child, "not a regular file; skipped"));
            }
            Ok(_) if has_manifest_extension(&child) => push_file(&child, found),
            Ok(_) => {}
            Err(err) if has_manifest_extension(&child) => {
                found.problems.push(problem(&child, &err.to_string()));
            }
            Err(_) => {}
        }
    }
}

fn has_manifest_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
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

/// How a path appears in reports: as given, without a leading `./`, with `/` separators.
pub fn display_name(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut name = text.as_str();
    while let Some(rest) = name.strip_prefix("./") {
        name = rest;
    }
    name.to_string()
}

/// Whether a file should be parsed as JSON rather than YAML.
pub fn is_json(name: &str) -> bool {
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let found = discover(&[root.to_path_buf()], None, "<stdin>");
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
            None,
            "<stdin>",
        );
        assert!(found.inputs.is_empty());
        assert_eq!(found.problems.len(), 2);
        assert!(found.problems[1].message.contains("matched no files"));
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_terminate() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::create_dir(dir.path().join("d")).expect("mkdir");
        fs::write(dir.path().join("d/a.yaml"), "kind: X\n").expect("write");
        std::os::unix::fs::symlink(dir.path(), dir.path().join("d/loop")).expect("symlink");
        let found = discover(&[dir.path().to_path_buf()], None, "<stdin>");
        assert_eq!(found.inputs.len(), 1);
    }

    #[test]
    fn display_names_drop_dot_slash() {
        assert_eq!(display_name(Path::new("./a/b.yaml")), "a/b.yaml");
        assert!(is_json("x/List.JSON"));
    }
}
