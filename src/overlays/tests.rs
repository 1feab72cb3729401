//! Placing overlays: which are rendered, for which cluster, and which inputs they replace.

use std::path::{Path, PathBuf};

use super::*;
use crate::facts::ClusterFacts;

/// Write `files` (path, text) under a temporary folder.
fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    dir
}

const SHOP: &[(&str, &str)] = &[
    ("base/kustomization.yaml", "resources: [svc.yaml]\n"),
    ("base/svc.yaml", "kind: Service\n"),
    ("base/unused.yaml", "kind: Service\n"),
    ("base/patches/p.yaml", "kind: Service\n"),
    (
        "overlays/prod/kustomization.yaml",
        "resources: [../../base]\npatches: [{path: lb.yaml}]\n",
    ),
    ("overlays/prod/lb.yaml", "kind: Service\n"),
    (
        "overlays/dev/kustomization.yaml",
        "resources: [../../base]\n",
    ),
    ("loose/svc.yaml", "kind: Service\n"),
];

fn setup(name: &str, paths: Option<Vec<PathBuf>>, kustomize: Option<Vec<PathBuf>>) -> ClusterSetup {
    ClusterSetup {
        facts: ClusterFacts {
            name: name.into(),
            ..ClusterFacts::default()
        },
        paths,
        pods: None,
        exports: Vec::new(),
        exclude: Vec::new(),
        kustomize,
        ..ClusterSetup::named(name, Default::default())
    }
}

/// Every YAML file of the repository, as jobs of cluster 0.
fn jobs(dir: &Path) -> Vec<Job> {
    SHOP.iter()
        .map(|(p, _)| Job {
            input: Input {
                name: (*p).to_string(),
                path: InputPath::File(dir.join(p)),
            },
            cluster: 0,
            role: Role::Manifests,
            source: None,
        })
        .collect()
}

fn found(dir: &Path) -> Vec<PathBuf> {
    ["base", "overlays/dev", "overlays/prod"]
        .iter()
        .map(|d| dir.join(d))
        .collect()
}

fn overlays(placed: &Placed, dir: &Path) -> Vec<(String, Vec<usize>)> {
    let prefix = format!("{}/", display_folder(dir));
    placed
        .overlays
        .iter()
        .map(|o| {
            let name = o.overlay.name.trim_start_matches(&prefix).to_string();
            (name, o.clusters.clone())
        })
        .collect()
}

#[test]
fn leaves_render_and_replace_the_files_they_read() {
    let dir = repo(SHOP);
    let mut jobs = jobs(dir.path());
    let mut unplaced = Vec::new();
    let placed = place(
        &[setup("default", None, None)],
        false,
        &found(dir.path()),
        &[],
        &mut jobs,
        &mut unplaced,
        &crate::source::confine::RootDir::anywhere(),
    );
    assert!(placed.any);
    assert_eq!(
        overlays(&placed, dir.path()),
        [
            ("overlays/dev".to_string(), vec![0]),
            ("overlays/prod".to_string(), vec![0])
        ]
    );
    // Read raw: only the file outside every kustomization folder.
    let left: Vec<&str> = jobs.iter().map(|j| j.input.name.as_str()).collect();
    assert_eq!(left, ["loose/svc.yaml"]);
    assert_eq!(
        placed.notes,
        [
            "2 files inside Kustomize folders that no kustomization lists are not linted (base/patches/p.yaml, ...): Kustomize does not deploy them; name a file on the command line to lint it as a manifest"
        ]
    );
    let real = std::fs::canonicalize(dir.path()).expect("real");
    assert!(placed.files.contains(&real.join("overlays/prod/lb.yaml")));
    assert!(!placed.files.contains(&real.join("base/unused.yaml")));
    assert!(placed.problems.is_empty(), "{:?}", placed.problems);
}

#[test]
fn a_file_named_on_the_command_line_is_read_unless_a_render_reads_it() {
    let dir = repo(SHOP);
    let mut jobs = jobs(dir.path());
    let named = [
        dir.path().join("base/unused.yaml"),
        dir.path().join("base/svc.yaml"),
    ];
    place(
        &[setup("default", None, None)],
        false,
        &found(dir.path()),
        &named,
        &mut jobs,
        &mut Vec::new(),
        &crate::source::confine::RootDir::anywhere(),
    );
    let left: Vec<&str> = jobs.iter().map(|j| j.input.name.as_str()).collect();
    assert_eq!(left, ["base/unused.yaml", "loose/svc.yaml"]);
}

#[test]
fn each_overlay_joins_the_cluster_with_the_most_specific_path() {
    let dir = repo(SHOP);
    let (root, prod) = (dir.path().to_path_buf(), dir.path().join("overlays/prod"));
    // Whatever the order of the clusters.
    for setups in [
        [
            setup("a", Some(vec![root.clone()]), None),
            setup("b", Some(vec![prod.clone()]), None),
        ],
        [
            setup("b", Some(vec![prod.clone()]), None),
            setup("a", Some(vec![root.clone()]), None),
        ],
    ] {
        let placed = place(
            &setups,
            true,
            &found(dir.path()),
            &[],
            &mut Vec::new(),
            &mut Vec::new(),
            &crate::source::confine::RootDir::anywhere(),
        );
        let a = setups.iter().position(|s| s.facts.name == "a").expect("a");
        let b = 1 - a;
        assert_eq!(
            overlays(&placed, dir.path()),
            [
                ("overlays/dev".to_string(), vec![a]),
                ("overlays/prod".to_string(), vec![b])
            ]
        );
    }
    // An overlay under no cluster's paths: met in a walk, it is counted for the one note about
    // inputs no cluster holds; named on the command line, it is a problem.
    let setups = [
        setup("a", Some(vec![prod.clone()]), None),
        setup("b", Some(vec![root.join("loose")]), None),
    ];
    let placed = place(
        &setups,
        true,
        &found(dir.path()),
        &[],
        &mut Vec::new(),
        &mut Vec::new(),
        &crate::source::confine::RootDir::anywhere(),
    );
    assert!(placed.problems.is_empty(), "{:?}", placed.problems);
    assert_eq!(placed.unowned.len(), 1);
    assert!(placed.unowned[0].ends_with("overlays/dev"));
    let placed = place(
        &setups,
        true,
        &found(dir.path()),
        &[root.join("overlays/dev")],
        &mut Vec::new(),
        &mut Vec::new(),
        &crate::source::confine::RootDir::anywhere(),
    );
    assert_eq!(placed.problems.len(), 1);
    assert!(placed.problems[0].path.ends_with("overlays/dev"));
    assert!(
        placed.problems[0]
            .message
            .starts_with("Kustomize overlay belongs to no cluster")
    );
}

#[test]
fn overlays_named_in_the_config_win_over_detection() {
    let dir = repo(SHOP);
    let dev = dir.path().join("overlays/dev");
    let setups = [setup(
        "a",
        None,
        Some(vec![dev.clone(), dir.path().join("loose")]),
    )];
    let mut jobs = jobs(dir.path());
    let placed = place(
        &setups,
        true,
        &found(dir.path()),
        &[],
        &mut jobs,
        &mut Vec::new(),
        &crate::source::confine::RootDir::anywhere(),
    );
    assert_eq!(
        overlays(&placed, dir.path()),
        [("overlays/dev".to_string(), vec![0])]
    );
    assert!(
        placed.notes.iter().any(|n| n.ends_with(
            "overlays/prod not rendered: cluster a lists its overlays in clusters[].kustomize, and not this one"
        )),
        "{:?}",
        placed.notes
    );
    // Its files are still not read raw: no silent fallback.
    assert!(!jobs.iter().any(|j| j.input.name == "overlays/prod/lb.yaml"));
    assert_eq!(placed.problems.len(), 1);
    assert!(placed.problems[0].message.starts_with(
        "not a kustomization: no kustomization.yaml, kustomization.yml or Kustomization (clusters[0].kustomize in the config, cluster a)"
    ));
    // With PATHs, only the named overlays inside them.
    let placed = place(
        &setups,
        true,
        &[],
        &[dir.path().join("overlays/prod")],
        &mut Vec::new(),
        &mut Vec::new(),
        &crate::source::confine::RootDir::anywhere(),
    );
    assert!(placed.overlays.is_empty());
}

#[test]
fn the_most_specific_cluster_path_holds_a_path() {
    let roots = [
        (0, PathBuf::from("/r")),
        (1, PathBuf::from("/r/a")),
        (2, PathBuf::from("/r/a")),
        (3, PathBuf::from("/r/ab")),
    ];
    assert_eq!(cluster_holding(&roots, Path::new("/r/a/x.yaml")), Some(1));
    assert_eq!(cluster_holding(&roots, Path::new("/r/ab/x.yaml")), Some(3));
    assert_eq!(cluster_holding(&roots, Path::new("/r/b.yaml")), Some(0));
    assert_eq!(cluster_holding(&roots, Path::new("/s/x.yaml")), None);
    let mut reversed = roots.to_vec();
    reversed.reverse();
    assert_eq!(
        cluster_holding(&reversed, Path::new("/r/a/x.yaml")),
        Some(1)
    );
}

/// `overlays/prod`, also the base of its neighbour `overlays/prod-eu`, and `base`, the base of
/// both.
const VARIANTS: &[(&str, &str)] = &[
    ("base/kustomization.yaml", "resources: [svc.yaml]\n"),
    ("base/svc.yaml", "kind: Service\n"),
    (
        "overlays/prod/kustomization.yaml",
        "resources: [../../base]\n",
    ),
    (
        "overlays/prod-eu/kustomization.yaml",
        "resources: [../prod]\n",
    ),
];

/// The overlays of [`VARIANTS`] in `dir` placed for `setups`.
fn place_variants(setups: &[ClusterSetup], configured: bool, dir: &Path) -> Placed {
    let found: Vec<PathBuf> = ["base", "overlays/prod", "overlays/prod-eu"]
        .iter()
        .map(|d| dir.join(d))
        .collect();
    place(
        setups,
        configured,
        &found,
        &[],
        &mut Vec::new(),
        &mut Vec::new(),
        &crate::source::confine::RootDir::anywhere(),
    )
}

/// Without a config, an overlay that is its neighbour's base is rendered on its own too; a
/// plain base never is.
#[test]
fn an_overlay_beside_the_overlay_it_is_the_base_of_is_rendered_on_its_own() {
    let dir = repo(VARIANTS);
    let placed = place_variants(&[setup("default", None, None)], false, dir.path());
    assert_eq!(
        overlays(&placed, dir.path()),
        [
            ("overlays/prod".to_string(), vec![0]),
            ("overlays/prod-eu".to_string(), vec![0])
        ]
    );
    assert!(placed.notes.is_empty(), "{:?}", placed.notes);
}

/// With clusters, it is rendered for the cluster whose paths hold it when none of that cluster's
/// overlays uses it; otherwise one note says it was used only as a base.
#[test]
fn with_clusters_an_overlay_that_is_a_base_is_rendered_where_no_overlay_uses_it() {
    let dir = repo(VARIANTS);
    let root = dir.path();
    let separate = [
        setup("prod", Some(vec![root.join("overlays/prod")]), None),
        setup("eu", Some(vec![root.join("overlays/prod-eu")]), None),
    ];
    let placed = place_variants(&separate, true, root);
    assert_eq!(
        overlays(&placed, root),
        [
            ("overlays/prod".to_string(), vec![0]),
            ("overlays/prod-eu".to_string(), vec![1])
        ]
    );
    let together = [setup("all", Some(vec![root.join("overlays")]), None)];
    let placed = place_variants(&together, true, root);
    assert_eq!(
        overlays(&placed, root),
        [("overlays/prod-eu".to_string(), vec![0])]
    );
    let prefix = format!("{}/", display_folder(root));
    let notes: Vec<String> = placed
        .notes
        .iter()
        .map(|n| n.replace(&prefix, ""))
        .collect();
    assert_eq!(
        notes,
        [
            "Kustomize overlay overlays/prod is used only as a base (of overlays/prod-eu) and is not rendered on its own; to render it for a cluster too, list it in that cluster's clusters[].kustomize"
        ]
    );
}
