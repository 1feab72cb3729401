use super::*;
use crate::source::node::{MANIFEST, Value};
use std::fmt::Write as _;

fn span_text(text: &str, span: Option<Span>) -> &str {
    let span = span.expect("span");
    &text[span.start..span.end]
}

#[test]
fn splits_at_marker_lines_only() {
    let text = "a: 1\n---\nb: 2\n--- # c\nc: '---'\n----\n";
    let ranges = split_documents(text);
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
