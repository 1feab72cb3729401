//! Typed access to a document's fields. Each getter reads one field as the type Kubernetes
//! requires and records a located [`super::Problem`] when it is something else: the field is then
//! dropped and reading goes on.

use std::borrow::Cow;

use super::{Problem, Reader};
use crate::k8s::{Annotation, Labels, Located, RawValue};
use crate::source::node::{Entry, Node, Value};
use crate::source::{Origin, Span, next_line_start};

impl Reader<'_> {
    pub(super) fn origin(&self, span: Option<Span>, fallback: Origin) -> Origin {
        span.map_or(fallback, |s| Origin::new(self.file, s))
    }

    pub(super) fn key_origin(&self, entry: &Entry, fallback: Origin) -> Origin {
        self.origin(entry.key_span, fallback)
    }

    pub(super) fn value_origin(&self, entry: &Entry, fallback: Origin) -> Origin {
        self.origin(entry.value.span.or(entry.key_span), fallback)
    }

    pub(super) fn problem(&mut self, origin: Origin, message: String) {
        self.out.problems.push(Problem {
            origin,
            message,
            related: None,
        });
    }

    pub(super) fn wrong_type(&mut self, entry: &Entry, path: &str, expected: &str, at: Origin) {
        let origin = self.value_origin(entry, at);
        let found = entry.value.type_name();
        self.problem(
            origin,
            format!("`{path}` must be {expected}, found {found}"),
        );
    }

    /// A mapping, with duplicate keys reported. `None` when `entry` is absent or null (silently)
    /// or not a mapping (reported).
    pub(super) fn mapping<'n, 'a>(
        &mut self,
        entry: Option<&'n Entry<'a>>,
        path: &str,
        at: Origin,
    ) -> Option<&'n Node<'a>> {
        let entry = entry?;
        match &entry.value.value {
            Value::Map(entries) => {
                self.duplicates(entries, path, at);
                Some(&entry.value)
            }
            Value::Null => None,
            _ => {
                self.wrong_type(entry, path, "a mapping", at);
                None
            }
        }
    }

    pub(super) fn sequence<'n, 'a>(
        &mut self,
        entry: Option<&'n Entry<'a>>,
        path: &str,
        at: Origin,
    ) -> Option<&'n [Node<'a>]> {
        let entry = entry?;
        match &entry.value.value {
            Value::Seq(items) => Some(items),
            Value::Null => None,
            _ => {
                self.wrong_type(entry, path, "a list", at);
                None
            }
        }
    }

    pub(super) fn string(
        &mut self,
        entry: Option<&Entry>,
        path: &str,
        at: Origin,
    ) -> Option<Located<String>> {
        let entry = entry?;
        match &entry.value.value {
            Value::Str(s) => Some(Located {
                value: s.to_string(),
                origin: self.key_origin(entry, at),
            }),
            Value::Null => None,
            _ => {
                self.wrong_type(entry, path, "a string", at);
                None
            }
        }
    }

    pub(super) fn integer(&mut self, entry: Option<&Entry>, path: &str, at: Origin) -> Option<i64> {
        let entry = entry?;
        match &entry.value.value {
            Value::Int(i) => Some(*i),
            Value::Null => None,
            _ => {
                self.wrong_type(entry, path, "an integer", at);
                None
            }
        }
    }

    pub(super) fn boolean(
        &mut self,
        entry: Option<&Entry>,
        path: &str,
        at: Origin,
    ) -> Option<bool> {
        let entry = entry?;
        match &entry.value.value {
            Value::Bool(b) => Some(*b),
            Value::Null => None,
            _ => {
                self.wrong_type(entry, path, "true or false", at);
                None
            }
        }
    }

    /// Report every key written twice, with the first as its related place. Keys are compared
    /// after sorting, so a mapping of n keys costs O(n log n), whatever its size.
    pub(super) fn duplicates(&mut self, entries: &[Entry], path: &str, at: Origin) {
        if entries.len() < 2 {
            return;
        }
        let mut by_key: Vec<(&str, usize)> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.key.as_ref(), i))
            .collect();
        by_key.sort_unstable();
        // (later, first) for every repeated key, in document order.
        let mut repeated: Vec<(usize, usize)> = Vec::new();
        let mut first: Option<(&str, usize)> = None;
        for &(key, i) in &by_key {
            match first {
                Some((k, f)) if k == key => repeated.push((i, f)),
                _ => first = Some((key, i)),
            }
        }
        repeated.sort_unstable();
        for (later, first) in repeated {
            let (Some(entry), Some(first)) = (entries.get(later), entries.get(first)) else {
                continue;
            };
            let origin = self.key_origin(entry, at);
            let first_origin = self.key_origin(first, at);
            self.out.problems.push(Problem {
                origin,
                message: format!(
                    "duplicate key `{}` in `{path}`: Kubernetes refuses the object",
                    entry.key
                ),
                related: Some((first_origin, "first defined here".into())),
            });
        }
    }

    /// A map of strings (annotations, labels, selectors). Values that are scalars but not strings
    /// (`multicluster: true` unquoted) are reported and read as their text, since quoting is the
    /// whole fix and the other rules should still see the value.
    /// `keep` decides which entries are kept once checked: memory goes to what the rules read.
    pub(super) fn string_map(
        &mut self,
        entry: Option<&Entry>,
        path: &str,
        at: Origin,
        keep: fn(&str) -> bool,
    ) -> Vec<Annotation> {
        let Some(entries) = self.mapping(entry, path, at).and_then(Node::as_map) else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(entries.len());
        for (i, e) in entries.iter().enumerate() {
            let Some(value) = self.string_value(e, path, at) else {
                continue;
            };
            if !keep(&e.key) {
                continue;
            }
            let raw = match (e.value.span, e.key_span) {
                // Entries are looked up in short list-like values (protocol-port, ignore lists);
                // long folded values, such as JSON blobs, are not worth a second copy.
                (None, Some(key)) if value.len() <= RAW_LIMIT => {
                    let next = entries.get(i + 1).and_then(|n| n.key_span);
                    raw_region(self.text, key, next).map(|span| RawValue {
                        origin: Origin::new(self.file, span),
                        text: self
                            .text
                            .get(span.start..span.end)
                            .unwrap_or("")
                            .to_string(),
                    })
                }
                _ => None,
            };
            out.push(Annotation {
                key: e.key.to_string(),
                value: value.into_owned(),
                origin: self.key_origin(e, at),
                value_origin: e.value.span.map(|s| Origin::new(self.file, s)),
                raw,
            });
        }
        out
    }

    /// The value of one string-map entry as Kubernetes reads it; `None` (reported) for a mapping
    /// or a list.
    fn string_value<'e>(&mut self, e: &'e Entry, path: &str, at: Origin) -> Option<Cow<'e, str>> {
        let origin = self.key_origin(e, at);
        match &e.value.value {
            Value::Str(s) => match yaml11_bool(s).filter(|_| self.is_plain(e.value.span)) {
                // kubectl parses YAML 1.1, where an unquoted `yes` or `on` is a boolean: the
                // object is refused, and quoting the word it meant is the fix.
                Some(b) => {
                    self.problem(
                        origin,
                        format!(
                            "`{path}.{}`: unquoted `{s}` is the boolean {b} to kubectl (YAML 1.1), which refuses it as a string value; quote it as \"{b}\"",
                            e.key
                        ),
                    );
                    Some(Cow::Owned(b.to_string()))
                }
                None => Some(Cow::Borrowed(s.as_ref())),
            },
            Value::Map(_) | Value::Seq(_) | Value::Skipped => {
                self.wrong_type(e, &format!("{path}.{}", e.key), "a string", at);
                None
            }
            _ => {
                let text = e.value.scalar_text().unwrap_or_default().into_owned();
                let found = e.value.type_name();
                self.problem(
                    origin,
                    format!(
                        "`{path}.{}` must be a string, found {found}: quote it as \"{text}\"",
                        e.key
                    ),
                );
                Some(Cow::Owned(text))
            }
        }
    }

    /// Whether a string with this span was written without quotes.
    fn is_plain(&self, span: Option<Span>) -> bool {
        span.is_some_and(|s| {
            let before = s
                .start
                .checked_sub(1)
                .and_then(|i| self.text.as_bytes().get(i));
            !matches!(before, Some(b'"' | b'\''))
        })
    }

    pub(super) fn labels(&mut self, entry: Option<&Entry>, path: &str, at: Origin) -> Labels {
        self.string_map(entry, path, at, |_| true)
            .into_iter()
            .map(|a| (a.key, a.value))
            .collect()
    }
}

/// Longest value whose source region is kept for locating entries inside it.
const RAW_LIMIT: usize = 4096;

/// YAML 1.1 boolean words that YAML 1.2 (and so lbplan's parser) reads as strings.
fn yaml11_bool(word: &str) -> Option<bool> {
    match word {
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => Some(true),
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => Some(false),
        _ => None,
    }
}

/// The source of a value that was not written verbatim: from the end of its key to the next key of
/// the mapping, or to the first line indented no deeper than the key (at most 64 KiB).
fn raw_region(text: &str, key: Span, next_key: Option<Span>) -> Option<Span> {
    const LIMIT: usize = 64 * 1024;
    let start = key.end;
    let end = if let Some(next) = next_key.filter(|n| n.start > start) {
        next.start
    } else {
        // Lines end at LF, CRLF or a lone CR, as everywhere lines are counted.
        let line_start = text
            .get(..key.start)?
            .rfind(['\n', '\r'])
            .map_or(0, |i| i + 1);
        let indent = key.start - line_start;
        let mut offset = start;
        let mut end = text.len();
        let mut first = true;
        while let Some(rest) = text.get(offset..).filter(|r| !r.is_empty()) {
            let len = next_line_start(rest.as_bytes()).unwrap_or(rest.len());
            let line = rest.get(..len).unwrap_or(rest);
            let body = line.trim_start_matches([' ', '\t']);
            if !first && !body.trim().is_empty() && line.len() - body.len() <= indent {
                end = offset;
                break;
            }
            first = false;
            offset += len;
        }
        end
    };
    let end = end.min(start + LIMIT).min(text.len());
    (end > start).then_some(Span::new(start, end))
}
