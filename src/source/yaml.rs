//! The only module that knows the YAML and JSON crates. It turns file text into [`Node`] trees whose
//! spans are computed by pointer difference against the text, so swapping the YAML crate means
//! rewriting this module alone: this file splits a file into documents, runs the parsers and places
//! their errors; `yaml/tree.rs` is the deserializer that builds each document's node tree.
//!
//! A file is split into documents at `---` lines before parsing. YAML forbids a `---` line inside any
//! scalar, so the split is exact, and a syntax error then costs only its own document: libyaml
//! cannot resume after an error, but the next chunk is a fresh parse.

mod tree;

use serde::de::DeserializeSeed;

use super::node::{Node, Shape};
use super::{Span, count_line_breaks, next_line_start};
use tree::{Ctx, NodeSeed};

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
    let mut documents = Vec::new();
    for (start, end) in split_documents(text) {
        let Some(chunk) = text.get(start..end) else {
            continue;
        };
        parse_chunk(text, chunk, start, shape, &mut documents);
    }
    documents
}

/// Parse the one chunk of `text` at `span` (a range [`split_documents`] gives), its spans
/// offsets into the whole of `text`: one document of a stream, without parsing the others.
pub fn parse_yaml_chunk<'a>(text: &'a str, span: Span, shape: &'static Shape) -> Vec<Document<'a>> {
    let mut documents = Vec::new();
    if let Some(chunk) = text.get(span.start..span.end) {
        parse_chunk(text, chunk, span.start, shape, &mut documents);
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

/// Byte ranges of the documents of a YAML stream, split at `---` marker lines; a leading byte
/// order mark is in none of them.
pub fn split_documents(text: &str) -> Vec<(usize, usize)> {
    let body_start = if text.starts_with('\u{feff}') { 3 } else { 0 };
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

#[cfg(test)]
mod tests;
