//! Which cluster holds a path, on the fixture repository of one folder per cluster.

use super::*;
use crate::facts::ClusterFacts;

fn setup(name: &str, paths: &[PathBuf]) -> ClusterSetup {
    ClusterSetup {
        facts: ClusterFacts {
            name: name.into(),
            ..ClusterFacts::default()
        },
        paths: Some(paths.to_vec()),
        pods: None,
        exports: Vec::new(),
        exclude: Vec::new(),
        kustomize: None,
        ..ClusterSetup::named(name, Default::default())
    }
}

#[test]
fn the_most_specific_path_wins_whatever_the_order() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/repos/clusters-by-folder");
    let apps = root.join("applications");
    let holding = |roots: &[(usize, PathBuf)], path: &Path| {
        std::fs::canonicalize(path)
            .ok()
            .and_then(|real| cluster_holding(roots, &real))
    };
    let orders = [
        vec![
            setup("all", std::slice::from_ref(&apps)),
            setup("hk", &[apps.join("hk")]),
        ],
        vec![
            setup("hk", &[apps.join("hk/")]),
            setup("all", std::slice::from_ref(&apps)),
        ],
    ];
    for setups in orders {
        let roots = cluster_roots(&setups);
        let hk = setups.iter().position(|s| s.facts.name == "hk");
        let all = setups.iter().position(|s| s.facts.name == "all");
        assert_eq!(holding(&roots, &apps.join("hk/ingress/service.yaml")), hk);
        assert_eq!(holding(&roots, &apps.join("hk")), hk);
        assert_eq!(holding(&roots, &apps.join("sg")), all);
        assert_eq!(holding(&roots, &root.join("docs")), None);
        let notes = overlap_notes(&setups);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes[0].contains("go to hk, the most specific path"),
            "{notes:?}"
        );
    }
    // The same folder in two clusters goes to the first, with a note; a glob stands for what it
    // matches.
    let twice = [
        setup("a", &[root.join("docs")]),
        setup("b", &[root.join("doc*")]),
    ];
    let roots = cluster_roots(&twice);
    assert_eq!(roots.len(), 2);
    assert_eq!(holding(&roots, &root.join("docs")), Some(0));
    let both = [
        setup("a", &[root.join("docs")]),
        setup("b", &[root.join("docs")]),
    ];
    assert!(overlap_notes(&both)[0].contains("go to a, the first"));
}
