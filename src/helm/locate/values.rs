//! Where a rendered value came from among a release's values files: the same key (and as much of
//! its path as both share) with the same value, or the path a template names (`.Values.a.b`),
//! searched in precedence order; a match counts only when it is the one match of its file.

use std::sync::Arc;

use crate::render::tree::{self, Located, Parsed, Part, Step};
use crate::source::Span;
use crate::source::node::{Node, Value};

/// A values file parsed, with the path of every key: made once per file and run.
#[derive(Debug)]
pub struct ValuesIndex {
    pub parsed: Arc<Parsed>,
    /// (document, path) of every key.
    keys: Vec<(usize, Vec<Step>)>,
}

impl ValuesIndex {
    pub fn new(parsed: Arc<Parsed>) -> ValuesIndex {
        let mut keys = Vec::new();
        for (d, (_, root)) in parsed.documents.iter().enumerate() {
            let mut located: Vec<Located> = Vec::new();
            tree::index(root, &mut Vec::new(), &mut located);
            keys.extend(
                located
                    .into_iter()
                    .filter(|l| l.part == Part::Key)
                    .map(|l| (d, l.path)),
            );
        }
        ValuesIndex { parsed, keys }
    }
}

/// One values file of a release, as searched.
pub struct ValuesFile {
    pub path: std::path::PathBuf,
    pub name: String,
    pub index: Arc<ValuesIndex>,
    /// The keys a chart's values sit under in this file: none for the chart's own `values.yaml`,
    /// `[cache]` for a dependency's in its parent's (helm's values namespacing).
    pub scope: Vec<String>,
}

/// A match: the file (an index into the searched list) and the span of the key or value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub file: usize,
    pub span: Span,
    /// The values path of the match (dotted), for naming the template that reads it.
    pub path: Vec<String>,
}

/// The rendered entry looked for: its keys from the document's root, and its value.
pub struct Wanted<'n> {
    pub keys: Vec<&'n str>,
    pub value: &'n Node<'static>,
    pub part: Part,
}

/// The first file, in `files` order (highest precedence first), holding `wanted`'s key with the
/// same value; the match must be that file's only one (the longest shared path decides between
/// several). A file with several equal matches stops the search: the line is not known.
pub fn by_key(files: &[ValuesFile], wanted: &Wanted) -> Option<Hit> {
    let last = *wanted.keys.last()?;
    for (f, file) in files.iter().enumerate() {
        let mut best: Vec<(usize, Hit)> = Vec::new();
        for (d, path) in &file.index.keys {
            let keys = keys_of(path);
            if keys.last() != Some(&last) {
                continue;
            }
            let Some((_, root)) = file.index.parsed.documents.get(*d) else {
                continue;
            };
            let Some(found) = tree::find(root, path) else {
                continue;
            };
            if !same_value(found.value, wanted.value) {
                continue;
            }
            let shared = keys
                .iter()
                .rev()
                .zip(wanted.keys.iter().rev())
                .take_while(|(a, b)| a == b)
                .count();
            let Some(span) = found.span(wanted.part) else {
                continue;
            };
            best.push((
                shared,
                Hit {
                    file: f,
                    span,
                    path: keys.iter().map(|k| (*k).to_string()).collect(),
                },
            ));
        }
        let Some(top) = best.iter().map(|(shared, _)| *shared).max() else {
            continue;
        };
        let mut winners = best.into_iter().filter(|(shared, _)| *shared == top);
        return match (winners.next(), winners.next()) {
            (Some((_, hit)), None) => Some(hit),
            _ => None,
        };
    }
    None
}

/// The first file, in `files` order, that sets `path` (a `.Values` path of the chart whose
/// values are scoped by each file's scope) to `value`.
pub fn by_path(files: &[ValuesFile], path: &[&str], value: &Node, part: Part) -> Option<Hit> {
    for (f, file) in files.iter().enumerate() {
        let full: Vec<Step> = file
            .scope
            .iter()
            .map(String::as_str)
            .chain(path.iter().copied())
            .map(|k| Step::Key(k.to_string()))
            .collect();
        for (_, root) in &file.index.parsed.documents {
            let Some(found) = tree::find(root, &full) else {
                continue;
            };
            if !same_value(found.value, value) {
                // This file sets the key to something else: it is not where the value came from,
                // but a later file may be.
                continue;
            }
            let span = found.span(part)?;
            return Some(Hit {
                file: f,
                span,
                path: full
                    .iter()
                    .filter_map(|s| match s {
                        Step::Key(k) => Some(k.clone()),
                        Step::Item(_) => None,
                    })
                    .collect(),
            });
        }
    }
    None
}

fn keys_of(path: &[Step]) -> Vec<&str> {
    path.iter()
        .filter_map(|s| match s {
            Step::Key(k) => Some(k.as_str()),
            Step::Item(_) => None,
        })
        .collect()
}

/// Whether a values node and a rendered node hold the same data: scalars by their text (`80`
/// and `"80"` alike), mappings and lists entry by entry.
pub fn same_value(values: &Node, rendered: &Node) -> bool {
    match (&values.value, &rendered.value) {
        (Value::Map(a), Value::Map(b)) => {
            a.len() == b.len()
                && a.iter().all(|entry| {
                    b.iter()
                        .find(|other| other.key == entry.key)
                        .is_some_and(|other| same_value(&entry.value, &other.value))
                })
        }
        (Value::Seq(a), Value::Seq(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_value(x, y))
        }
        (Value::Map(_) | Value::Seq(_) | Value::Skipped, _)
        | (_, Value::Map(_) | Value::Seq(_) | Value::Skipped) => false,
        _ => values.scalar_text() == rendered.scalar_text() && !matches!(values.value, Value::Null),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str, scope: &[&str]) -> ValuesFile {
        ValuesFile {
            path: "values.yaml".into(),
            name: "values.yaml".into(),
            index: Arc::new(ValuesIndex::new(Arc::new(Parsed::new(
                Arc::from(text),
                false,
            )))),
            scope: scope.iter().map(|s| (*s).to_string()).collect(),
        }
    }

    fn rendered(text: &str) -> Parsed {
        Parsed::new(Arc::from(text), false)
    }

    #[test]
    fn the_same_key_and_value_is_found_once() {
        let files = [
            file("service:\n  elbId: a\n", &[]),
            file(
                "service:\n  annotations:\n    kubernetes.io/elb.class: union\n  type: LoadBalancer\n",
                &[],
            ),
        ];
        let doc = rendered("metadata:\n  annotations:\n    kubernetes.io/elb.class: union\n");
        let value = &tree::find(
            &doc.documents[0].1,
            &[
                Step::Key("metadata".into()),
                Step::Key("annotations".into()),
                Step::Key("kubernetes.io/elb.class".into()),
            ],
        )
        .expect("found")
        .value
        .clone();
        let wanted = Wanted {
            keys: vec!["metadata", "annotations", "kubernetes.io/elb.class"],
            value,
            part: Part::Value,
        };
        let hit = by_key(&files, &wanted).expect("hit");
        assert_eq!(hit.file, 1);
        assert_eq!(files[1].index.parsed.slice(hit.span), Some("union"));
        assert_eq!(
            hit.path,
            ["service", "annotations", "kubernetes.io/elb.class"]
        );
        // Another value: not there.
        let other = rendered("x: performance\n");
        let wanted = Wanted {
            keys: vec!["kubernetes.io/elb.class"],
            value: other.documents[0].1.get("x").expect("x"),
            part: Part::Value,
        };
        assert_eq!(by_key(&files, &wanted), None);
    }

    #[test]
    fn paths_are_scoped_and_values_must_agree() {
        let files = [
            file("cache:\n  port: 6380\n", &["cache"]),
            file("port: 6379\n", &[]),
        ];
        let doc = rendered("p: 6379\n");
        let value = doc.documents[0].1.get("p").expect("p");
        let hit = by_path(&files, &["port"], value, Part::Value).expect("hit");
        assert_eq!(hit.file, 1, "the parent's 6380 is another value");
        let doc = rendered("p: 6380\n");
        let value = doc.documents[0].1.get("p").expect("p");
        let hit = by_path(&files, &["port"], value, Part::Key).expect("hit");
        assert_eq!(
            (hit.file, files[0].index.parsed.slice(hit.span)),
            (0, Some("port"))
        );
    }
}
