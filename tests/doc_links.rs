//! Every link of the README and the pages under docs/ stays in the repository and resolves: a
//! relative link names a file that exists, and an anchor a heading of that file (as GitHub
//! writes anchors: lower case, punctuation dropped, spaces as `-`, repeats numbered). Links that
//! leave the repository are to public pages (`https:`), never to files outside it.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

fn slug(title: &str) -> String {
    title
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The lines of `text` outside fenced code blocks, numbered from 1.
fn prose(text: &str) -> Vec<(usize, &str)> {
    let mut fence = false;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with("```") {
            fence = !fence;
            continue;
        }
        if !fence {
            out.push((i + 1, line));
        }
    }
    out
}

fn anchors(text: &str) -> HashSet<String> {
    let mut seen = std::collections::HashMap::<String, usize>::new();
    let mut out = HashSet::new();
    for (_, line) in prose(text) {
        let hashes = line.chars().take_while(|&c| c == '#').count();
        if (1..=6).contains(&hashes) && line[hashes..].starts_with(' ') {
            let a = slug(&line[hashes + 1..]);
            let n = seen.entry(a.clone()).or_default();
            out.insert(if *n == 0 {
                a.clone()
            } else {
                format!("{a}-{n}")
            });
            *n += 1;
        }
    }
    out
}

/// The targets of `](...)` links on a line.
fn links(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("](") {
        let after = &rest[at + 2..];
        let end = after.find(')').unwrap_or(after.len());
        let target = &after[..end];
        if !target.contains(char::is_whitespace) {
            out.push(target);
        }
        rest = &after[end..];
    }
    out
}

fn pages(root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = ["README.md", "ARCHITECTURE.md", "CHANGELOG.md"]
        .iter()
        .map(|f| root.join(f))
        .collect();
    let mut dirs = vec![root.join("docs")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("docs").flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_link_of_the_documentation_resolves_inside_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let real_root = root.canonicalize().expect("root");
    let mut broken = Vec::new();
    for page in pages(root) {
        let text = std::fs::read_to_string(&page).expect("page");
        let name = page
            .strip_prefix(root)
            .unwrap_or(&page)
            .display()
            .to_string();
        for (no, line) in prose(&text) {
            for target in links(line) {
                if target.starts_with("https:")
                    || target.starts_with("http:")
                    || target.starts_with("mailto:")
                {
                    continue;
                }
                let (path, anchor) = target.split_once('#').unwrap_or((target, ""));
                let file = if path.is_empty() {
                    page.clone()
                } else {
                    page.parent().expect("parent").join(path)
                };
                let Ok(real) = file.canonicalize() else {
                    broken.push(format!("{name}:{no}: no file {target}"));
                    continue;
                };
                if !real.starts_with(&real_root) {
                    broken.push(format!("{name}:{no}: leaves the repository: {target}"));
                    continue;
                }
                if !anchor.is_empty() && real.extension().is_some_and(|e| e == "md") {
                    let text = std::fs::read_to_string(&real).unwrap_or_default();
                    if !anchors(&text).contains(anchor) {
                        broken.push(format!("{name}:{no}: no heading for #{anchor} in {path}"));
                    }
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn the_checker_sees_a_broken_anchor_and_a_missing_file() {
    assert_eq!(slug("Gating with `--fail-on`"), "gating-with---fail-on");
    assert_eq!(slug("Forwarding rules (L7)"), "forwarding-rules-l7");
    let text = "# A\n## B\n```\n## not a heading\n```\n## B\n";
    let found = anchors(text);
    assert!(found.contains("b") && found.contains("b-1") && !found.contains("not-a-heading"));
    assert_eq!(
        links("see [x](docs/a.md#b) and [y](#c)"),
        ["docs/a.md#b", "#c"]
    );
}
