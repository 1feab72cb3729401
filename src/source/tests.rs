use super::*;

fn file(text: &str) -> SourceFile {
    SourceFile::in_memory("t.yaml".into(), Arc::from(text))
}

#[test]
fn line_of_counts_as_the_line_index_does() {
    let text = "a: 1\r\nb: 2\rc: 3\n\nd: é\n";
    for offset in 0..=text.len() {
        let counted = SourceFile::in_memory("x".into(), Arc::from(text)).line_of(offset);
        let indexed = SourceFile::in_memory("x".into(), Arc::from(text));
        let line = indexed.line_col(offset).line;
        assert_eq!(counted, line, "offset {offset}");
        // Once the index is built, it answers.
        assert_eq!(indexed.line_of(offset), line, "offset {offset}");
    }
    // One file, places in order (counted on from the last), then back (the index).
    let file = SourceFile::in_memory("x".into(), Arc::from(text));
    let lines: Vec<usize> = (0..=text.len()).map(|o| file.line_of(o)).collect();
    let back: Vec<usize> = (0..=text.len()).rev().map(|o| file.line_of(o)).collect();
    let expected: Vec<usize> = (0..=text.len()).map(|o| file.line_col(o).line).collect();
    assert_eq!(lines, expected);
    assert_eq!(back.into_iter().rev().collect::<Vec<_>>(), expected);
}

#[test]
fn line_col_counts_lines_and_characters() {
    let f = file("a: 1\nbé: 2\r\nc: 3");
    assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
    assert_eq!(f.line_col(5), LineCol { line: 2, column: 1 });
    // "bé: " is 5 bytes, 4 characters
    assert_eq!(f.line_col(10), LineCol { line: 2, column: 5 });
    assert_eq!(f.line_col(13), LineCol { line: 3, column: 1 });
    assert_eq!(f.line_col(999), LineCol { line: 3, column: 5 });
    assert_eq!(f.line_text(2), "bé: 2");
}

#[test]
fn decoding_keeps_lines_in_place() {
    let d = decode(b"a: 1\nb: \xff\nc: 3\n".to_vec());
    assert_eq!(d.problem.map(|p| p.0), Some(8));
    assert_eq!(d.text.lines().count(), 3);
    assert!(decode(b"PNG\0\x01".to_vec()).binary);
    let png = decode(b"\x89PNG\r\n\x1a\n\0".to_vec());
    assert_eq!(
        png.problem.map(|p| p.0),
        Some(10),
        "after the 3-byte replacement of 0x89"
    );
}

#[test]
fn lone_carriage_returns_break_lines() {
    let f = file("a: 1\rb: 2\r\nc: 3\n\rd");
    assert_eq!(f.line_col(5), LineCol { line: 2, column: 1 });
    assert_eq!(f.line_col(11), LineCol { line: 3, column: 1 });
    assert_eq!(f.line_col(17), LineCol { line: 5, column: 1 });
    assert_eq!(f.line_text(1), "a: 1");
    assert_eq!(f.line_text(2), "b: 2");
    assert_eq!(count_line_breaks("a\rb\r\nc\n"), 3);
}

#[test]
fn control_characters_are_drawn_harmless() {
    let f = file("a: \"\u{1b}]0;x\u{7}\u{9b}\"\n");
    let drawn = f.drawable_text().expect("text");
    assert_eq!(drawn.len(), f.text().expect("text").len());
    assert_eq!(drawn, "a: \"?]0;x?¿\"\n");
}

#[test]
fn bom_does_not_count_as_a_column() {
    let f = file("\u{feff}kind: Service");
    assert_eq!(f.line_col(3), LineCol { line: 1, column: 1 });
}

#[test]
fn sub_span_by_pointer_difference() {
    let outer = "kubernetes.io/elb.id";
    let inner = &outer[14..];
    assert_eq!(Span::new(10, 30).sub(outer, inner), Some(Span::new(24, 30)));
    assert_eq!(Span::new(10, 30).sub(outer, "elb.id"), None);
}
