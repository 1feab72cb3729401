//! The only module that knows the YAML and JSON crates. It turns file text into [`Node`] trees whose
//! spans are computed by pointer difference against the text, so swapping the YAML crate means
//! rewriting this file alone.
//!
//! A file is split into documents at `---` lines before parsing. YAML forbids a `---` line inside any
//! scalar, so the split is exact, and a syntax error then costs only its own document: libyaml
//! cannot resume after an error, but the next chunk is a fresh parse.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::node::{Entry, Node, Shape, Value};
use super::{Span, count_line_breaks, next_line_start};

/// A document that could not be parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub message: String,
    /// Byte offset in the whole file where the parser stopped.
    pub offset: usize,
}

/// One document of a file: its node tree, or why it has none.
#[derive(Debug)]
pub struct Document<'a> {
    /// Byte range of the document's chunk in the file.
    pub span: Span,
    pub result: Result<Node<'a>, ParseError>,
}

/// Parse YAML text (one or more documents) into trees that keep only what `shape` names.
/// `text` must be the whole file: spans are offsets into it.
pub fn parse_yaml<'a>(text: &'a str, shape: &'static Shape) -> Vec<Document<'a>> {
    let body_start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut documents = Vec::new();
    for (start, end) in split_documents(text, body_start) {
        let Some(chunk) = text.get(start..end) else {
            continue;
        };
        parse_chunk(text, chunk, start, shape, &mut documents);
    }
    documents
}

fn parse_chunk<'a>(
    text: &'a str,
    chunk: &'a str,
    start: usize,
    shape: &'static Shape,
    out: &mut Vec<Document<'a>>,
) {
    let span = Span::new(start, start + chunk.len());
    let ctx = Ctx::new(text);
    // yaml_serde has panicking paths for states it believes unreachable; one bad document must
    // never take the run down, so a panic here becomes a parse error for this document alone.
    let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut docs = Vec::new();
        for de in serde_yaml::Deserializer::from_str(chunk) {
            match (NodeSeed { ctx: &ctx, shape }).deserialize(de) {
                Ok(node) => docs.push(Ok(node)),
                Err(err) => {
                    docs.push(Err(yaml_error(&err, text, chunk, start)));
                    break;
                }
            }
        }
        docs
    }));
    match parsed {
        Ok(docs) => {
            for result in docs {
                if matches!(&result, Ok(node) if node.is_null()) {
                    continue; // an empty document: comments only, or a stray `---`
                }
                out.push(Document { span, result });
            }
        }
        Err(_) => out.push(Document {
            span,
            result: Err(ParseError {
                message: "the YAML parser failed on this document".into(),
                offset: start,
            }),
        }),
    }
}

/// Parse a JSON file: one value, or several concatenated ones.
pub fn parse_json<'a>(text: &'a str, shape: &'static Shape) -> Vec<Document<'a>> {
    let body_start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = text.get(body_start..).unwrap_or(text);
    let ctx = Ctx::new(text);
    let mut de = serde_json::Deserializer::from_str(body);
    let mut documents = Vec::new();
    loop {
        if de.end().is_ok() {
            break;
        }
        match (NodeSeed { ctx: &ctx, shape }).deserialize(&mut de) {
            Ok(node) => documents.push(Document {
                span: Span::new(body_start, text.len()),
                result: Ok(node),
            }),
            Err(err) => {
                let offset = body_start + json_offset(body, err.line(), err.column());
                let message = strip_json_position(&err.to_string());
                documents.push(Document {
                    span: Span::new(body_start, text.len()),
                    result: Err(ParseError { message, offset }),
                });
                break;
            }
        }
    }
    documents
}

/// Byte ranges of the documents of a YAML stream, split at `---` marker lines.
pub fn split_documents(text: &str, body_start: usize) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let mut start = body_start;
    let bytes = text.as_bytes();
    let mut line_start = body_start;
    // Lone CRs are rare: without any, a line ends only at LF, found faster.
    let next_line: fn(&[u8]) -> Option<usize> = if bytes.contains(&b'\r') {
        next_line_start
    } else {
        |line| line.iter().position(|&b| b == b'\n').map(|i| i + 1)
    };
    while let Some(line) = bytes.get(line_start..).filter(|l| !l.is_empty()) {
        if line_start > start && is_document_marker(line) {
            ranges.push((start, line_start));
            start = line_start;
        }
        match next_line(line) {
            Some(i) => line_start += i,
            None => break,
        }
    }
    if start < text.len() || ranges.is_empty() {
        ranges.push((start, text.len()));
    }
    ranges
}

fn is_document_marker(line: &[u8]) -> bool {
    line.starts_with(b"---") && matches!(line.get(3), None | Some(b' ' | b'\t' | b'\n' | b'\r'))
}

fn yaml_error(err: &serde_yaml::Error, text: &str, chunk: &str, start: usize) -> ParseError {
    let offset = err
        .location()
        .map_or(start, |loc| start + loc.index().min(chunk.len()));
    // Messages carry "at line L column C" relative to the chunk; the first is the error's own
    // position, which the report shows anyway; later ones (", while parsing a mapping at line 3")
    // are made relative to the file.
    let base_line = text.get(..start).map_or(0, count_line_breaks);
    let message = err.to_string();
    let message = match message.find(" at line ") {
        Some(i) => {
            let head = message.get(..i).unwrap_or("");
            let tail = message.get(i + " at line ".len()..).unwrap_or("");
            let skip = tail
                .find([',', ':'])
                .filter(|&j| tail.get(..j).is_some_and(|t| t.contains("column")))
                .unwrap_or(tail.len());
            format!("{head}{}", tail.get(skip..).unwrap_or(""))
        }
        None => message,
    };
    ParseError {
        message: rebase_lines(&message, base_line),
        offset: clamp_to_content(text, start, offset),
    }
}

/// Errors found at the end of a document ("did not find expected ']'") point past its last line;
/// move them back onto the last character the document has.
fn clamp_to_content(text: &str, start: usize, offset: usize) -> usize {
    let Some(rest) = text.get(offset..) else {
        return offset;
    };
    let next_content = rest.find(|c: char| !c.is_whitespace());
    let at_chunk_end =
        next_content.is_none_or(|i| rest.get(i..).is_some_and(|r| r.starts_with("---")));
    if !at_chunk_end {
        return offset;
    }
    text.get(start..offset)
        .and_then(|before| before.rfind(|c: char| !c.is_whitespace()))
        .map_or(offset, |i| start + i)
}

/// Add `base` to every "line N" in a parser message.
fn rebase_lines(message: &str, base: usize) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find("line ") {
        let (head, tail) = rest.split_at(i + 5);
        out.push_str(head);
        let digits = tail.bytes().take_while(u8::is_ascii_digit).count();
        let (number, after) = tail.split_at(digits);
        match number.parse::<usize>() {
            Ok(n) => out.push_str(&(n + base).to_string()),
            Err(_) => out.push_str(number),
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

fn json_offset(body: &str, line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        body.match_indices('\n')
            .nth(line - 2)
            .map_or(body.len(), |(i, _)| i + 1)
    };
    (line_start + column.saturating_sub(1)).min(body.len())
}

fn strip_json_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message.get(..i).unwrap_or(message).to_string(),
        None => message.to_string(),
    }
}

/// The file text's address range, for turning borrowed strings into spans, and how far the parser
/// is known to have come.
struct Ctx<'t> {
    text: &'t str,
    base: usize,
    len: usize,
    /// The end of the last span handed out: the parser has read the text up to here.
    reached: Cell<usize>,
}

/// How far past [`Ctx::reached`] a key the parser did not lend is looked for.
const KEY_SEARCH_WINDOW: usize = 512;

impl<'t> Ctx<'t> {
    fn new(text: &'t str) -> Self {
        Ctx {
            text,
            base: text.as_ptr() as usize,
            len: text.len(),
            reached: Cell::new(0),
        }
    }

    fn span_of(&self, s: &str) -> Option<Span> {
        let start = (s.as_ptr() as usize).checked_sub(self.base)?;
        let end = start.checked_add(s.len())?;
        let span = (end <= self.len).then_some(Span::new(start, end))?;
        self.reached.set(self.reached.get().max(end));
        Some(span)
    }

    /// The span of a mapping key the parser gave as a number or boolean (`80:`, `true:`), which
    /// has no borrowed text: the first token spelled `printed` (ignoring ASCII case) and followed
    /// by `:` just after where the parser is known to be. `None` when it is spelled otherwise
    /// (`0x50`), and the key is then located at its mapping.
    fn find_key(&self, printed: &str) -> Option<Span> {
        if printed.is_empty() {
            return None;
        }
        let from = self.reached.get();
        let window = self.text.get(from..)?;
        let window = window
            .get(..KEY_SEARCH_WINDOW.min(window.len()))
            .or_else(|| window.get(..floor_boundary(window, KEY_SEARCH_WINDOW)))?;
        let bytes = window.as_bytes();
        let token = printed.as_bytes();
        for (i, _) in window.char_indices() {
            let Some(candidate) = bytes.get(i..i + token.len()) else {
                break;
            };
            if !candidate.eq_ignore_ascii_case(token) {
                continue;
            }
            let before = i.checked_sub(1).and_then(|j| bytes.get(j));
            let starts_token = before.is_none_or(|b| b" \t\r\n{,?-".contains(b));
            let after = bytes.get(i + token.len()..).unwrap_or_default();
            let colon = after.iter().position(|&b| b != b' ' && b != b'\t');
            if starts_token && colon.is_some_and(|c| after.get(c) == Some(&b':')) {
                let span = Span::new(from + i, from + i + token.len());
                self.reached.set(span.end);
                return Some(span);
            }
        }
        None
    }
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

struct NodeSeed<'c> {
    ctx: &'c Ctx<'c>,
    shape: &'static Shape,
}

impl<'de> DeserializeSeed<'de> for NodeSeed<'_> {
    type Value = Node<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for NodeSeed<'_> {
    type Value = Node<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Node<'de>, E> {
        Ok(Node::new(Value::Bool(v), None))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Node<'de>, E> {
        Ok(Node::new(Value::Int(v), None))
    }

    #[allow(
        clippy::cast_precision_loss,
        reason = "beyond i64 a YAML integer is kept as the float it approximates, like serde_yaml"
    )]
    fn visit_u64<E>(self, v: u64) -> Result<Node<'de>, E> {
        Ok(Node::new(
            i64::try_from(v).map_or(Value::Float(v as f64), Value::Int),
            None,
        ))
    }

    #[allow(
        clippy::cast_precision_loss,
        reason = "beyond i64 a YAML integer is kept as the float it approximates, like serde_yaml"
    )]
    fn visit_i128<E>(self, v: i128) -> Result<Node<'de>, E> {
        Ok(Node::new(Value::Float(v as f64), None))
    }

    #[allow(
        clippy::cast_precision_loss,
        reason = "beyond i64 a YAML integer is kept as the float it approximates, like serde_yaml"
    )]
    fn visit_u128<E>(self, v: u128) -> Result<Node<'de>, E> {
        Ok(Node::new(Value::Float(v as f64), None))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Node<'de>, E> {
        Ok(Node::new(Value::Float(v), None))
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Node<'de>, E> {
        Ok(Node::new(Value::Str(Cow::Borrowed(v)), self.ctx.span_of(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Node<'de>, E> {
        Ok(Node::new(Value::Str(Cow::Owned(v.to_string())), None))
    }

    fn visit_string<E>(self, v: String) -> Result<Node<'de>, E> {
        Ok(Node::new(Value::Str(Cow::Owned(v)), None))
    }

    fn visit_unit<E>(self) -> Result<Node<'de>, E> {
        Ok(Node::new(Value::Null, None))
    }

    fn visit_none<E>(self) -> Result<Node<'de>, E> {
        Ok(Node::new(Value::Null, None))
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node<'de>, D::Error> {
        self.deserialize(d)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Node<'de>, D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node<'de>, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(NodeSeed {
            ctx: self.ctx,
            shape: self.shape,
        })? {
            items.push(item);
        }
        let span = items.first().and_then(|n| n.span);
        Ok(Node::new(Value::Seq(items), span))
    }

    #[allow(
        clippy::single_match_else,
        reason = "the two arms read alike as a match"
    )]
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node<'de>, A::Error> {
        let mut entries: Vec<Entry<'de>> = Vec::new();
        while let Some((key, key_span)) = map.next_key_seed(KeySeed { ctx: self.ctx })? {
            let value = match self.shape.child(&key) {
                Some(shape) => map.next_value_seed(NodeSeed {
                    ctx: self.ctx,
                    shape,
                })?,
                None => {
                    map.next_value::<IgnoredAny>()?;
                    Node::new(Value::Skipped, None)
                }
            };
            entries.push(Entry {
                key,
                key_span,
                value,
            });
        }
        let span = entries.first().and_then(|e| e.key_span);
        Ok(Node::new(Value::Map(entries), span))
    }

    /// A value with a tag the parser does not know (`!Ref x`): keep the value, drop the tag.
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Node<'de>, A::Error> {
        use de::VariantAccess;
        let (_tag, variant) = data.variant_seed(KeySeed { ctx: self.ctx })?;
        variant.newtype_variant_seed(self)
    }
}

/// Mapping keys: strings (borrowed where possible, for their span) or scalars printed as strings.
struct KeySeed<'c> {
    ctx: &'c Ctx<'c>,
}

impl KeySeed<'_> {
    /// A key given as a scalar other than a string, printed as Kubernetes would, with its span
    /// when it can be found.
    fn printed<'de>(&self, text: String) -> (Cow<'de, str>, Option<Span>) {
        let span = self.ctx.find_key(&text);
        (Cow::Owned(text), span)
    }
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = (Cow<'de, str>, Option<Span>);

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = (Cow<'de, str>, Option<Span>);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a scalar mapping key")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok((Cow::Borrowed(v), self.ctx.span_of(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok((Cow::Owned(v.to_string()), None))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok((Cow::Owned(v), None))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(self.printed(v.to_string()))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(self.printed(v.to_string()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(self.printed(v.to_string()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(self.printed(v.to_string()))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok((Cow::Borrowed(""), None))
    }

    /// Complex keys (`? [a, b]`) cannot name a Kubernetes field; consume them and keep a marker.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok((Cow::Borrowed("<complex key>"), None))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok((Cow::Borrowed("<complex key>"), None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::node::MANIFEST;
    use std::fmt::Write as _;

    fn span_text(text: &str, span: Option<Span>) -> &str {
        let span = span.expect("span");
        &text[span.start..span.end]
    }

    #[test]
    fn splits_at_marker_lines_only() {
        let text = "a: 1\n---\nb: 2\n--- # c\nc: '---'\n----\n";
        let ranges = split_documents(text, 0);
        let docs: Vec<&str> = ranges.iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(docs, ["a: 1\n", "---\nb: 2\n", "--- # c\nc: '---'\n----\n"]);
    }

    #[test]
    fn keys_and_borrowed_values_have_spans() {
        let text = "kind: Service\nmetadata:\n  name: web\n  annotations:\n    kubernetes.io/elb.id: \"abc\"\n";
        let docs = parse_yaml(text, &MANIFEST);
        assert_eq!(docs.len(), 1);
        let root = docs[0].result.as_ref().expect("parses");
        let ann = root
            .get("metadata")
            .and_then(|m| m.entry("annotations"))
            .expect("ann");
        let first = &ann.value.as_map().expect("map")[0];
        assert_eq!(span_text(text, first.key_span), "kubernetes.io/elb.id");
        assert_eq!(span_text(text, first.value.span), "abc");
        assert_eq!(span_text(text, root.span), "kind");
    }

    #[test]
    fn unmodelled_fields_are_skipped() {
        let text = "kind: ConfigMap\ndata:\n  big: |\n    lots\nbinaryData:\n  b: bG90cw==\n";
        let docs = parse_yaml(text, &MANIFEST);
        let root = docs[0].result.as_ref().expect("parses");
        assert_eq!(
            root.get("binaryData").map(|n| &n.value),
            Some(&Value::Skipped)
        );
        let data = root.get("data").expect("data");
        assert_eq!(data.get("big").map(|n| &n.value), Some(&Value::Skipped));
    }

    #[test]
    fn a_bad_document_does_not_hide_the_next() {
        let text = "kind: A\n---\nkey: [unclosed\n---\nkind: B\n";
        let docs = parse_yaml(text, &MANIFEST);
        assert_eq!(docs.len(), 3);
        assert!(docs[0].result.is_ok());
        let err = docs[1].result.as_ref().expect_err("bad");
        assert!(err.offset >= 12, "{err:?}");
        assert!(docs[2].result.is_ok());
    }

    #[test]
    fn error_lines_are_relative_to_the_file() {
        let text = "a: 1\n---\nb: [x\n";
        let docs = parse_yaml(text, &MANIFEST);
        let err = docs[1].result.as_ref().expect_err("bad");
        assert!(
            err.message
                .contains("while parsing a flow sequence at line 3"),
            "{}",
            err.message
        );
        assert!(!err.message.contains("line 4"), "{}", err.message);
        assert_eq!(
            &text[err.offset..err.offset + 1],
            "x",
            "points at the last character"
        );
        assert_eq!(
            rebase_lines("x at line 2 column 3, y at line 10", 5),
            "x at line 7 column 3, y at line 15"
        );
    }

    #[test]
    fn number_and_boolean_keys_have_spans() {
        let text = "kind: Service\nmetadata:\n  labels:\n    a: {80: x}\n    80: 1\n    True: 2\n    0x10: 3\n";
        let docs = parse_yaml(text, &MANIFEST);
        let root = docs[0].result.as_ref().expect("parses");
        let labels = root
            .get("metadata")
            .and_then(|m| m.get("labels"))
            .and_then(Node::as_map)
            .expect("labels");
        let spans: Vec<Option<&str>> = labels
            .iter()
            .map(|e| e.key_span.map(|s| &text[s.start..s.end]))
            .collect();
        assert_eq!(spans, [Some("a"), Some("80"), Some("True"), None]);
        assert_eq!(
            labels[1].key_span.map(|s| s.start),
            text.find("    80: 1").map(|i| i + 4)
        );
    }

    #[test]
    fn json_strings_have_spans_too() {
        let text = "{\"kind\": \"Service\", \"spec\": {\"ports\": [{\"port\": 80}]}}";
        let docs = parse_json(text, &MANIFEST);
        let root = docs[0].result.as_ref().expect("parses");
        assert_eq!(
            span_text(text, root.entry("kind").and_then(|e| e.key_span)),
            "kind"
        );
        let bad = parse_json("{\"kind\": }", &MANIFEST);
        assert_eq!(bad[0].result.as_ref().expect_err("bad").offset, 9);
    }

    #[test]
    fn alias_bomb_is_refused_quickly() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            let _ = writeln!(text, "a{i}: &a{i} [{refs}]");
        }
        text.push_str("spec: *a11\n");
        let started = std::time::Instant::now();
        let docs = parse_yaml(&text, &MANIFEST);
        assert!(docs[0].result.is_err());
        assert!(started.elapsed().as_secs() < 2);
    }
}
