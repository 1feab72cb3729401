//! The README's rule table is generated from the rules' documentation; it must not go stale.

#[test]
fn readme_rule_table_is_current() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let start = "<!-- rules:start -->\n";
    let end = "<!-- rules:end -->";
    let from = readme.find(start).expect("rules:start marker") + start.len();
    let to = readme.find(end).expect("rules:end marker");
    let table = &readme[from..to];
    let expected = lbplan::rules_markdown();
    assert!(
        table == expected,
        "README.md's rule table is stale: replace the lines between the rules markers with the output of `cargo run -- rules --format markdown` (scripts/readme-rules does it)"
    );
}
