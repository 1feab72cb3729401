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
        exclude: Vec::new(),
    }
}

#[test]
fn the_most_specific_path_wins_whatever_the_order() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/repos/clusters-by-folder");
    let apps = root.join("applications");
    let file = apps.join("hk/ingress/service.yaml");
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
        let paths = ClusterPaths::new(&setups);
        let hk = setups.iter().position(|s| s.facts.name == "hk");
        let all = setups.iter().position(|s| s.facts.name == "all");
        assert_eq!(cluster_of(&paths, &file), hk);
        assert_eq!(cluster_of(&paths, &apps.join("hk")), hk);
        assert_eq!(cluster_of(&paths, &apps.join("sg")), all);
        assert_eq!(cluster_of(&paths, &root.join("docs")), None);
        assert_eq!(cluster_of(&paths, &root.join("missing.yaml")), None);
        let notes = paths.overlap_notes(&setups);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes[0].contains("go to hk, the most specific path"),
            "{notes:?}"
        );
    }
    // The same folder in two clusters goes to the first, with a note.
    let twice = [
        setup("a", &[root.join("docs")]),
        setup("b", &[root.join("docs")]),
    ];
    let paths = ClusterPaths::new(&twice);
    assert_eq!(cluster_of(&paths, &root.join("docs")), Some(0));
    assert!(paths.overlap_notes(&twice)[0].contains("go to a, the first"));
}
