//! The examples of a rule page, taken from the rule's fixtures: the document a finding of the
//! `fire` case points at, with the finding as `expected.txt` shows lbplan printing it, and the
//! first document of the `quiet` case. Transition rules (LB5xx) show both sides of the change.
//! The fixtures' test markers (`# expect:`, `# related:`) are left out.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A finding as `expected.txt` prints it: where it points and its whole block.
struct Printed {
    file: String,
    line: usize,
    block: String,
}

/// Documents longer than this many lines are shown around the finding only.
const LONG_DOCUMENT: usize = 40;

/// The page's `## Fires` section; `shown` is the case's path in the repository, `link` the same
/// relative to the page.
pub fn fires(case: &Path, shown: &str, link: &str, code: &str, transition: bool) -> String {
    let mut out = String::from("## Fires\n\n");
    let expected = std::fs::read_to_string(case.join("expected.txt")).unwrap_or_default();
    let Some(finding) = first_finding(&expected, code) else {
        let _ = writeln!(
            out,
            "The case [`{shown}`]({link}) prints no finding of {code}.\n"
        );
        return out;
    };
    let (side, file) = match finding.file.strip_prefix("../base/") {
        Some(file) if transition => (Side::Base, file.to_string()),
        _ if transition => (Side::Head, finding.file.clone()),
        _ => (Side::Only, finding.file.clone()),
    };
    let _ = writeln!(
        out,
        "From the case [`{shown}`]({link}), `{file}`{}:\n",
        if transition { ", before and after" } else { "" },
    );
    out.push_str(&shown_change(case, side, &file, finding.line));
    let command = if transition {
        "lbplan diff"
    } else {
        "lbplan lint"
    };
    let _ = writeln!(
        out,
        "`{command}` reports:\n\n```text\n{}\n```\n",
        finding.block
    );
    out
}

/// The page's `## Quiet` section: the first document of the case where no finding is expected.
pub fn quiet(case: &Path, shown: &str, link: &str, code: &str, transition: bool) -> String {
    let mut out = String::from("## Quiet\n\n");
    let root = if transition {
        case.join("head")
    } else {
        case.to_path_buf()
    };
    let mut all = Vec::new();
    for file in manifests(&root) {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        for (start, doc) in documents(&text) {
            if has_content(&doc) {
                all.push((relative(&root, &file), start, !doc.contains("# expect:")));
            }
        }
    }
    let Some((name, start, _)) = all.iter().find(|(_, _, clean)| *clean).or(all.first()) else {
        let _ = writeln!(out, "See the case [`{shown}`]({link}).\n");
        return out;
    };
    let _ = writeln!(
        out,
        "From the case [`{shown}`]({link}), `{name}`{}: one of its {} documents, none of which {code} reports.\n",
        if transition { ", before and after" } else { "" },
        all.len(),
    );
    let side = if transition { Side::Head } else { Side::Only };
    out.push_str(&shown_change(case, side, name, *start));
    out
}

/// Which side of a transition case a file is on (`Only` for a lint case).
#[derive(Clone, Copy, PartialEq)]
enum Side {
    Only,
    Base,
    Head,
}

/// The document holding `line` of `file` (for a transition case, with the same object on the
/// other side), and the case's config when it is short.
fn shown_change(case: &Path, side: Side, file: &str, line: usize) -> String {
    let mut out = String::new();
    let (root, other) = match side {
        Side::Only => {
            let text = std::fs::read_to_string(case.join(file)).unwrap_or_default();
            let _ = writeln!(out, "{}", fenced(file, &document_at(&text, line)));
            out.push_str(&config(case));
            return out;
        }
        Side::Base => (case.join("base"), case.join("head")),
        Side::Head => (case.join("head"), case.join("base")),
    };
    let text = std::fs::read_to_string(root.join(file)).unwrap_or_default();
    let here = document_at(&text, line);
    let there = std::fs::read_to_string(other.join(file))
        .ok()
        .and_then(|t| counterpart(&t, &text, line));
    let (base, head) = if side == Side::Base {
        (Some(here), there)
    } else {
        (there, Some(here))
    };
    for (label, doc) in [("Base", base), ("Head", head)] {
        match doc {
            Some(doc) => {
                let _ = writeln!(out, "{label}:\n\n{}", fenced(file, &doc));
            }
            None => {
                let _ = writeln!(out, "{label}: not there.\n");
            }
        }
    }
    out.push_str(&config(&case.join("head")));
    out
}

/// The case's `.lbplan.yaml`, shown when it is short, named otherwise.
fn config(dir: &Path) -> String {
    let Ok(text) = std::fs::read_to_string(dir.join(".lbplan.yaml")) else {
        return String::new();
    };
    let text = without_markers(&text);
    if text.lines().count() > 30 {
        return "With the case's `.lbplan.yaml` (cluster facts).\n\n".to_string();
    }
    format!(
        "With this `.lbplan.yaml`:\n\n```yaml\n{}\n```\n\n",
        text.trim_end()
    )
}

fn fenced(file: &str, text: &str) -> String {
    let lang = if file.ends_with(".json") {
        "json"
    } else {
        "yaml"
    };
    format!("```{lang}\n{}\n```\n", text.trim_end())
}

/// The first finding of `code` in a rendered report, and the place it points at.
fn first_finding(report: &str, code: &str) -> Option<Printed> {
    let lines: Vec<&str> = report.lines().collect();
    let tag = format!("[{code}] ");
    let start = lines
        .iter()
        .position(|l| is_header(l) && l.contains(&tag))?;
    let header = lines.get(start)?;
    let end = lines
        .iter()
        .enumerate()
        .skip(start + 1)
        .find(|(_, l)| is_header(l) || l.starts_with("note:") || l.starts_with("lbplan "))
        .map_or(lines.len(), |(i, _)| i);
    let block: Vec<String> = lines
        .get(start..end)?
        .iter()
        .map(|l| strip_marker(l).to_string())
        .collect();
    // `warning[LB501] weight-annotation-removed: b/nginx.yaml:9:5 (Service/...)`
    let place = header.split_once("]").map(|(_, rest)| rest)?;
    let place = place.split_once(": ").map(|(_, rest)| rest)?;
    let place = place.split(' ').next()?;
    let mut parts = place.rsplitn(3, ':');
    let _column = parts.next()?;
    let line = parts.next()?.parse().ok()?;
    let file = parts.next()?.to_string();
    Some(Printed {
        file,
        line,
        block: block.join("\n").trim_end().to_string(),
    })
}

fn is_header(line: &str) -> bool {
    ["error[LB", "warning[LB", "info[LB"]
        .iter()
        .any(|p| line.starts_with(p))
}

/// The `---`-separated documents of a file, each with its first line (1-based).
fn documents(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut start = 1;
    let mut current = String::new();
    for (i, line) in text.lines().enumerate() {
        if line == "---" || line.starts_with("--- ") {
            out.push((start, std::mem::take(&mut current)));
            start = i + 2;
            continue;
        }
        current.push_str(line);
        current.push('\n');
    }
    out.push((start, current));
    out
}

/// The document holding `line` (1-based), with its first line.
fn holding(text: &str, line: usize) -> Option<(usize, String)> {
    documents(text)
        .into_iter()
        .rev()
        .find(|(start, _)| *start <= line)
}

/// The document holding `line`, without test markers; a long one around that line only.
fn document_at(text: &str, line: usize) -> String {
    let (start, doc) = holding(text, line).unwrap_or_default();
    let lines: Vec<&str> = doc.lines().collect();
    if lines.len() <= LONG_DOCUMENT {
        return without_markers(&doc);
    }
    let focus = line.saturating_sub(start);
    let from = focus.saturating_sub(LONG_DOCUMENT / 2);
    let to = (from + LONG_DOCUMENT).min(lines.len());
    let mut out = String::new();
    if from > 0 {
        out.push_str("# ...\n");
    }
    out.push_str(&without_markers(
        &lines.get(from..to).unwrap_or_default().join("\n"),
    ));
    if to < lines.len() {
        out.push_str("\n# ...");
    }
    out
}

/// In `other`, the document that is the same object (same kind and name) as the one holding
/// `line` of `text`, around the same place in it.
fn counterpart(other: &str, text: &str, line: usize) -> Option<String> {
    let (start, doc) = holding(text, line)?;
    let id = identity(&doc)?;
    let (other_start, _) = documents(other)
        .into_iter()
        .find(|(_, d)| identity(d).as_ref() == Some(&id))?;
    Some(document_at(other, other_start + (line - start)))
}

/// `kind:` and the first `name:` of a document, as written.
fn identity(doc: &str) -> Option<(String, String)> {
    let kind = doc.lines().find_map(|l| l.strip_prefix("kind:"))?;
    let name = doc.lines().find_map(|l| l.strip_prefix("  name:"))?;
    Some((kind.trim().to_string(), name.trim().to_string()))
}

fn has_content(doc: &str) -> bool {
    doc.lines()
        .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
}

fn without_markers(text: &str) -> String {
    text.lines()
        .filter_map(|l| {
            let stripped = strip_marker(l);
            (stripped.trim().is_empty() == l.trim().is_empty()).then_some(stripped)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A line without its `# expect:` or `# related:` comment.
fn strip_marker(line: &str) -> &str {
    ["# expect:", "# related:"]
        .iter()
        .filter_map(|m| line.find(m))
        .min()
        .map_or(line, |i| line.get(..i).unwrap_or(line).trim_end())
}

/// The manifests of a case, its `.lbplan.yaml` aside, in sorted order.
fn manifests(dir: &Path) -> Vec<PathBuf> {
    crate::common::manifest_files(dir)
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n != ".lbplan.yaml"))
        .collect()
}

fn relative(root: &Path, file: &Path) -> String {
    file.strip_prefix(root)
        .unwrap_or(file)
        .to_string_lossy()
        .replace('\\', "/")
}
