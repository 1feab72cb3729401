use std::path::{Path, PathBuf};

use super::*;

fn config(text: &str) -> Config {
    Config::from_text(PathBuf::from(".lbplan.yaml"), text, Path::new("/")).expect("valid")
}

/// The messages of the relaxations of `head` against `base`, and their lines in `head`.
fn relaxed(base: &str, head: &str) -> Vec<(usize, String)> {
    let mut sources = Sources::default();
    let found = relaxations((&config(base), None), Some(&config(head)), &mut sources);
    found
        .into_iter()
        .map(|r| (sources.line_col(r.origin).line, r.message))
        .collect()
}

#[test]
fn what_loosens_is_found_at_its_key() {
    let base = "clusters:\n  - name: a\n    paths: [a/]\n  - name: b\n    paths: [b/]\nload_balancers:\n  - id: lb-1\n    listener_quota: 10\ndefault_exclude: false\n";
    let head = "clusters:\n  - name: a\n    paths: [a/]\nload_balancers:\n  - id: lb-1\n    listener_quota: 20\n    rule_quota: 5\ndefault_exclude: true\nrender: {kustomize: off}\nweight_drift_threshold: 3\n";
    let found = relaxed(base, head);
    let lines: Vec<usize> = found.iter().map(|(l, _)| *l).collect();
    let text: Vec<&str> = found.iter().map(|(_, m)| m.as_str()).collect();
    for (line, words) in [
        (8, "default_exclude is back on"),
        (9, "render.kustomize: off"),
        (1, "cluster b is removed"),
        (6, "listener_quota of lb-1 is raised"),
        (7, "rule_quota of lb-1 is raised"),
        (10, "weight_drift_threshold is raised"),
    ] {
        let at = text
            .iter()
            .position(|m| m.contains(words))
            .unwrap_or_else(|| panic!("{words}: {found:?}"));
        assert_eq!(lines[at], line, "{words}");
    }
    assert_eq!(found.len(), 6, "{found:?}");
}

#[test]
fn what_tightens_or_stays_is_not_a_relaxation() {
    let base =
        "rules: {LB101: warning, LB208: off}\nexclude: [a/, b/]\nweight_drift_threshold: 5\n";
    let head = "rules: {LB101: error}\nexclude: [a/]\nweight_drift_threshold: 1\n";
    assert_eq!(relaxed(base, head), []);
    assert_eq!(relaxed(base, base), []);
}

#[test]
fn levels_fall_back_to_the_top_level_and_the_default() {
    // LB208's default is warning: dropping `LB208: error` lowers it; a cluster's own `off`
    // lowers it for that cluster only.
    let base = "rules: {LB208: error}\nclusters:\n  - name: a\n    paths: [a/]\n";
    let head = "clusters:\n  - name: a\n    paths: [a/]\n    rules: {weight-drift: off}\n";
    let found = relaxed(base, head);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0]
            .1
            .contains("LB208 becomes its default, warning (the base: error)")
    );
    assert_eq!(found[1].0, 4);
    assert!(
        found[1]
            .1
            .contains("rules of cluster a: LB208 becomes off (the base: error)")
    );
}

#[test]
fn a_deleted_config_is_one_relaxation_in_the_base() {
    let mut sources = Sources::default();
    let base = config("rules: {LB101: error}\n");
    let found = relaxations((&base, Some(FileId(3))), None, &mut sources);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].side, Side::Base);
    assert!(
        found[0]
            .message
            .starts_with("the head deletes .lbplan.yaml")
    );
    let nothing = config("");
    assert!(relaxations((&nothing, Some(FileId(3))), None, &mut sources).is_empty());
}
