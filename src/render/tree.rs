//! Structural addresses inside YAML documents: the same value found in a rendered object and in the
//! file it came from.
//!
//! Kustomize reorders keys, merges lists and rewrites names, so byte positions of the rendered
//! stream mean nothing in the sources. A value is addressed instead by its path of keys and list
//! items, where a list item is known by what identifies it to a strategic merge (`name`, `port`,
//! `containerPort`...) rather than by its index, which patches may shift.

use std::borrow::Cow;
use std::sync::Arc;

use crate::source::Span;
use crate::source::node::{EVERYTHING, Entry, Node, Value};
use crate::source::yaml::{parse_json, parse_yaml, parse_yaml_chunk};

/// One step from a value to a child.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Item(Item),
}

/// A path as keys, with `[]` for every list item: what a field's place is matched on, whichever
/// item it is in.
pub fn key_path(path: &[Step]) -> Vec<&str> {
    path.iter()
        .map(|s| match s {
            Step::Key(k) => k.as_str(),
            Step::Item(_) => "[]",
        })
        .collect()
}

/// A list item, by the fields that identify it and its index.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Item {
    pub index: usize,
    /// Identifying fields present in the item, in [`ID_FIELDS`] order.
    pub ids: Vec<(&'static str, String)>,
    /// The item itself when it is a scalar (`externalIPs`, `finalizers`).
    pub scalar: Option<String>,
}

/// Fields that identify a list item, in order of preference: the merge keys of the lists a
/// load-balancer rule reads (ports by `name` or `port`, containers by `name`, ...).
const ID_FIELDS: [&str; 8] = [
    "name",
    "port",
    "containerPort",
    "mountPath",
    "ip",
    "host",
    "path",
    "key",
];

impl Item {
    pub fn of(node: &Node, index: usize) -> Item {
        let ids = ID_FIELDS
            .iter()
            .filter_map(|f| {
                let text = node.get(f)?.scalar_text()?;
                Some((*f, text.into_owned()))
            })
            .collect();
        let scalar = match &node.value {
            Value::Map(_) | Value::Seq(_) | Value::Skipped => None,
            _ => node.scalar_text().map(Cow::into_owned),
        };
        Item { index, ids, scalar }
    }

    /// Whether `other` is the same item: by the first identifying field both have, else by value
    /// for scalars, else by index.
    pub fn same(&self, other: &Item) -> bool {
        for (field, value) in &self.ids {
            if let Some((_, theirs)) = other.ids.iter().find(|(f, _)| f == field) {
                return value == theirs;
            }
        }
        match (&self.scalar, &other.scalar) {
            (Some(a), Some(b)) => a == b,
            _ => self.index == other.index,
        }
    }

    /// Whether `field` is one of the fields this item was identified by.
    pub fn identified_by(&self, field: &str) -> bool {
        self.ids.first().is_some_and(|(f, _)| *f == field)
    }
}

/// Which part of an entry a location means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Key,
    Value,
}

/// A located value of a rendered document: its span, and where it is in the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    pub span: Span,
    pub path: Vec<Step>,
    pub part: Part,
}

/// The key or value of `located` at `span`, or the closest one before it (a span inside a
/// value); the deepest when several share the span.
pub fn located_at(located: &[Located], span: Span) -> Option<&Located> {
    let exact = located
        .iter()
        .filter(|l| l.span == span)
        .max_by_key(|l| l.path.len());
    exact.or_else(|| {
        located
            .iter()
            .filter(|l| l.span.start <= span.start)
            .max_by_key(|l| (l.span.start, l.path.len()))
    })
}

/// Every key and every value with a span in `node`, with its path.
pub fn index(node: &Node, path: &mut Vec<Step>, out: &mut Vec<Located>) {
    match &node.value {
        Value::Map(entries) => {
            for entry in entries {
                path.push(Step::Key(entry.key.to_string()));
                if let Some(span) = entry.key_span {
                    out.push(Located {
                        span,
                        path: path.clone(),
                        part: Part::Key,
                    });
                }
                index(&entry.value, path, out);
                path.pop();
            }
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Step::Item(Item::of(item, i)));
                if let (Some(span), false) = (item.span, is_container(item)) {
                    out.push(Located {
                        span,
                        path: path.clone(),
                        part: Part::Value,
                    });
                }
                index(item, path, out);
                path.pop();
            }
        }
        // A scalar under a key: the key's record holds the same path; this one says the value
        // itself was meant. (Scalar list items were recorded above.)
        _ => {
            if let (Some(span), Some(Step::Key(_))) = (node.span, path.last()) {
                out.push(Located {
                    span,
                    path: path.clone(),
                    part: Part::Value,
                });
            }
        }
    }
}

pub fn is_container(node: &Node) -> bool {
    matches!(node.value, Value::Map(_) | Value::Seq(_))
}

/// What a path leads to in a document: the entry's key span (when the last step is a key) and
/// the value.
pub struct Found<'n, 'a> {
    pub key_span: Option<Span>,
    pub value: &'n Node<'a>,
}

impl Found<'_, '_> {
    /// The span that shows `part` of what was found; a value without its own span (a number, a
    /// block scalar, a mapping) is shown by its key.
    pub fn span(&self, part: Part) -> Option<Span> {
        match part {
            Part::Key => self.key_span.or(self.value.span),
            Part::Value if is_container(self.value) => self.key_span.or(self.value.span),
            Part::Value => self.value.span.or(self.key_span),
        }
    }
}

/// Follow `path` from `node`.
pub fn find<'n, 'a>(node: &'n Node<'a>, path: &[Step]) -> Option<Found<'n, 'a>> {
    let mut found = Found {
        key_span: None,
        value: node,
    };
    for step in path {
        found = match step {
            Step::Key(key) => {
                let entry: &Entry = found.value.entry(key)?;
                Found {
                    key_span: entry.key_span,
                    value: &entry.value,
                }
            }
            Step::Item(item) => {
                let items = found.value.as_seq()?;
                let value = items
                    .iter()
                    .enumerate()
                    .find(|(i, candidate)| item.same(&Item::of(candidate, *i)))
                    .map(|(_, v)| v)?;
                Found {
                    key_span: None,
                    value,
                }
            }
        };
    }
    Some(found)
}

/// A JSON pointer (`/spec/ports/1/port`, RFC 6901) as a path, with list items identified by the
/// rendered document `root` (whose item 1 is the port named `https`, say).
pub fn pointer_path(pointer: &str, root: &Node) -> Option<Vec<Step>> {
    let rest = pointer.strip_prefix('/')?;
    let mut path = Vec::new();
    let mut at = Some(root);
    for raw in rest.split('/') {
        let token = raw.replace("~1", "/").replace("~0", "~");
        if let Some(Value::Seq(items)) = at.map(|n| &n.value) {
            let index = match token.as_str() {
                "-" => items.len().saturating_sub(1),
                t => t.parse().ok()?,
            };
            let item = items.get(index);
            path.push(Step::Item(
                item.map_or_else(|| bare_item(index), |n| Item::of(n, index)),
            ));
            at = item;
        } else {
            at = at.and_then(|n| n.get(&token));
            path.push(Step::Key(token));
        }
    }
    Some(path)
}

fn bare_item(index: usize) -> Item {
    Item {
        index,
        ..Item::default()
    }
}

/// A node whose strings are owned: kept in caches after the text it was parsed from is gone. Spans
/// are kept.
pub fn owned(node: Node<'_>) -> Node<'static> {
    let value = match node.value {
        Value::Null => Value::Null,
        Value::Bool(b) => Value::Bool(b),
        Value::Int(i) => Value::Int(i),
        Value::Float(f) => Value::Float(f),
        Value::Str(s) => Value::Str(Cow::Owned(s.into_owned())),
        Value::Seq(items) => Value::Seq(items.into_iter().map(owned).collect()),
        Value::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|e| Entry {
                    key: Cow::Owned(e.key.into_owned()),
                    key_span: e.key_span,
                    value: owned(e.value),
                })
                .collect(),
        ),
        Value::Skipped => Value::Skipped,
    };
    Node {
        value,
        span: node.span,
    }
}

/// A file's documents, parsed whole, with the text they were parsed from.
#[derive(Debug)]
pub struct Parsed {
    pub text: Arc<str>,
    /// Each document that parsed: its chunk's span and its tree.
    pub documents: Vec<(Span, Node<'static>)>,
}

impl Parsed {
    pub fn new(text: Arc<str>, json: bool) -> Parsed {
        let documents = if json {
            parse_json(&text, &EVERYTHING)
        } else {
            parse_yaml(&text, &EVERYTHING)
        };
        let documents = documents
            .into_iter()
            .filter_map(|d| d.result.ok().map(|node| (d.span, owned(node))))
            .collect();
        Parsed { text, documents }
    }

    /// The text under `span`.
    pub fn slice(&self, span: Span) -> Option<&str> {
        self.text.get(span.start..span.end)
    }
}

/// One document of a rendered stream (Kustomize's or helm's), parsed whole with every key and
/// value located: what a place in the stream is resolved against. Streams parse a document only
/// when a place in it is first resolved (`render/mod.rs`, `helm/stream.rs`).
#[derive(Debug)]
pub struct IndexedDoc {
    pub root: Node<'static>,
    pub located: Vec<Located>,
}

impl IndexedDoc {
    /// The first document of the YAML chunk of `text` at `chunk` that parses, its spans against
    /// the whole of `text`.
    pub fn parse(text: &str, chunk: Span) -> Option<IndexedDoc> {
        let root = parse_yaml_chunk(text, chunk, &EVERYTHING)
            .into_iter()
            .find_map(|d| d.result.ok().map(owned))?;
        let mut located = Vec::new();
        index(&root, &mut Vec::new(), &mut located);
        Some(IndexedDoc { root, located })
    }

    /// The key or value at `span`, or the closest one before it (a span inside a value).
    pub fn located_at(&self, span: Span) -> Option<&Located> {
        located_at(&self.located, span)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Parsed {
        Parsed::new(Arc::from(text), false)
    }

    const SERVICE: &str = "kind: Service\nspec:\n  ports:\n  - name: http\n    port: 80\n  - name: https\n    port: 443\n";

    #[test]
    fn items_are_found_by_name_not_index() {
        let rendered = doc(SERVICE);
        let source = doc("spec:\n  ports:\n    - port: 443\n      name: https\n");
        let (_, root) = &rendered.documents[0];
        let path = pointer_path("/spec/ports/1/port", root).expect("pointer");
        let found = find(&source.documents[0].1, &path).expect("found");
        let span = found.span(Part::Key).expect("span");
        assert_eq!(source.slice(span), Some("port"));
        assert_eq!(&source.text[..span.start], "spec:\n  ports:\n    - ");
    }

    #[test]
    fn the_index_records_keys_and_values() {
        let rendered =
            doc("metadata:\n  annotations:\n    a/b: x\nspec:\n  externalIPs: [1.2.3.4]\n");
        let mut out = Vec::new();
        index(&rendered.documents[0].1, &mut Vec::new(), &mut out);
        let text = |l: &Located| rendered.slice(l.span).map(str::to_string);
        let key = out
            .iter()
            .find(|l| text(l).as_deref() == Some("a/b"))
            .expect("key");
        assert_eq!(key.part, Part::Key);
        assert_eq!(key.path.len(), 3);
        let value = out
            .iter()
            .find(|l| text(l).as_deref() == Some("x"))
            .expect("value");
        assert_eq!((value.part, &value.path), (Part::Value, &key.path));
        let ip = out
            .iter()
            .find(|l| text(l).as_deref() == Some("1.2.3.4"))
            .expect("ip");
        assert!(matches!(&ip.path[2], Step::Item(i) if i.scalar.as_deref() == Some("1.2.3.4")));
    }

    #[test]
    fn pointers_unescape_and_append() {
        let rendered = doc(SERVICE);
        let root = &rendered.documents[0].1;
        let path = pointer_path("/metadata/annotations/kubernetes.io~1elb.id", root).expect("p");
        assert_eq!(path[2], Step::Key("kubernetes.io/elb.id".into()));
        let last = pointer_path("/spec/ports/-", root).expect("p");
        assert!(matches!(&last[2], Step::Item(i) if i.index == 1));
        assert!(pointer_path("spec", root).is_none());
    }
}
