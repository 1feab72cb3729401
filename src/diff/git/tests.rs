use super::*;

#[test]
fn tree_records_parse() {
    let entry = parse_entry(b"100644 blob 78981922613b2afb6025042ff6bd878ac1994e85\tdir/a b.yaml")
        .expect("entry");
    assert_eq!(entry.mode, "100644");
    assert_eq!(entry.kind, "blob");
    assert_eq!(entry.path, b"dir/a b.yaml");
    assert!(parse_entry(b"no tab here").is_none());
}

#[test]
fn batches_are_read_object_by_object() {
    let stream = b"aaa blob 3\nabc\nbbb blob 0\n\n";
    let mut got = Vec::new();
    read_batch(&mut &stream[..], 2, &mut |i, size, body: &mut dyn Read| {
        let mut text = String::new();
        body.read_to_string(&mut text)?;
        got.push((i, size, text));
        Ok(())
    })
    .expect("read");
    assert_eq!(got, [(0, 3, "abc".to_string()), (1, 0, String::new())]);
    let missing = b"ccc missing\n";
    assert!(read_batch(&mut &missing[..], 1, &mut |_, _, _| Ok(())).is_err());
}
