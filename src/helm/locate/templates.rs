//! The templates of a release (and the charts' `*.tpl` partials), and the one template line that
//! writes a wanted key.

use std::path::{Component, Path};
use std::sync::Arc;

use super::values::{self, ValuesFile, Wanted};
use super::{HelmPlace, Place, Precision, Read, lines};
use crate::helm::copy::ChartNode;
use crate::render::tree::Part;
use crate::source::Span;
use crate::source::discover::display_name;

/// A template of the release: where it is, and how it reads.
pub(super) struct Template {
    pub(super) place: Place,
    pub(super) text: Arc<str>,
}

/// The template a `# Source:` path names: a file of `node`'s folder (never outside it, whatever
/// a template printed as a header).
pub(super) fn template(node: &ChartNode, rest: &str, read: Read) -> Option<Template> {
    let real = node.real.as_ref()?;
    let relative = Path::new(rest);
    if !relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        return None;
    }
    let path = std::fs::canonicalize(real.join(relative)).ok()?;
    if !path.starts_with(real) {
        return None;
    }
    let text = read(&path)?;
    Some(Template {
        place: Place {
            name: display_name(&node.shown.join(relative)),
            path,
            span: Span::new(0, 0),
        },
        text,
    })
}

/// The `*.tpl` files of every chart of the tree (`templates/_helpers.tpl`), where `define`s
/// write keys too.
pub(super) fn partials(tree: &ChartNode, read: Read) -> Vec<Template> {
    let mut out = Vec::new();
    for node in tree.all() {
        let Some(real) = &node.real else { continue };
        let Ok(entries) = std::fs::read_dir(real.join("templates")) else {
            continue;
        };
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter(|n| n.ends_with(".tpl"))
            .collect();
        names.sort();
        for name in names {
            if let Some(t) = template(node, &format!("templates/{name}"), read) {
                out.push(t);
            }
        }
    }
    out
}

/// The one template line writing the wanted key (and, for a value a template expression reads
/// from `.Values`, the values line it reads); `None` when no single line writes it.
pub(super) fn in_templates(
    template: &Template,
    tpls: &[Template],
    wanted: &Wanted,
    files: &[ValuesFile],
) -> Option<HelmPlace> {
    let last = *wanted.keys.last()?;
    let above: Vec<&str> = wanted.keys.iter().rev().skip(1).copied().collect();
    let mut candidates: Vec<(usize, &Template, lines::KeyLine)> = Vec::new();
    for t in std::iter::once(template).chain(tpls) {
        for (line, keys) in lines::lines_writing(&t.text, last) {
            let score = keys.iter().zip(&above).take_while(|(a, b)| a == b).count();
            candidates.push((score, t, line));
        }
    }
    let top = candidates.iter().map(|(s, _, _)| *s).max()?;
    let mut best: Vec<_> = candidates
        .into_iter()
        .filter(|(s, _, _)| *s == top)
        .collect();
    if best.len() > 1 {
        // Several lines write the key under the same keys (`- port: 22`, `- port: 443` in one
        // list): the one whose literal value is the rendered value, if only one is.
        best.retain(|(_, t, line)| lines::writes_literally(&t.text, line, wanted.value));
    }
    let [(_, t, line)] = best.as_slice() else {
        return None;
    };
    let (t, line) = (*t, line.clone());
    let place = |span: Span| Place {
        span,
        ..t.place.clone()
    };
    let value_text = line
        .value
        .and_then(|v| t.text.get(v.start..v.end))
        .unwrap_or_default();
    // A value the line reads from `.Values`: the values line that set it, key or value alike (a
    // rule about an annotation is fixed where its value is written).
    for path in lines::values_paths(value_text) {
        if let Some(hit) = values::by_path(files, &path, wanted.value, wanted.part) {
            let file = files.get(hit.file);
            return Some(HelmPlace {
                at: Place {
                    path: file.map(|f| f.path.clone()).unwrap_or_default(),
                    name: file.map(|f| f.name.clone()).unwrap_or_default(),
                    span: hit.span,
                },
                precision: Precision::Exact,
                words: None,
                related: Some((
                    place(line.value.unwrap_or(line.key)),
                    "the value is rendered here".to_string(),
                )),
            });
        }
    }
    if wanted.part == Part::Key {
        return Some(HelmPlace {
            at: place(line.key),
            precision: Precision::Exact,
            words: None,
            related: None,
        });
    }
    let rendered = wanted.value.scalar_text();
    let literal = value_text.trim_matches(|c| c == '"' || c == '\'');
    if rendered.as_deref() == Some(literal) && !value_text.contains("{{") {
        return Some(HelmPlace {
            at: place(line.value.unwrap_or(line.key)),
            precision: Precision::Exact,
            words: None,
            related: None,
        });
    }
    Some(HelmPlace {
        at: place(line.value.unwrap_or(line.key)),
        precision: Precision::Expression,
        words: None,
        related: None,
    })
}
