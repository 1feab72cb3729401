//! `place` on small repositories written here, without a renderer: the rendered objects are
//! given as Kustomize prints them (kind, namespace, name), and the origins placed are checked.

use super::*;
use crate::render::{Root, named};
use crate::source::confine::RootDir;

/// A repository of `files` (path, text) in a temporary folder, canonical.
fn repo(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().expect("temp");
    let root = std::fs::canonicalize(temp.path()).expect("real");
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    (temp, root)
}

fn doc(kind: &str, namespace: Option<&str>, name: &str) -> DocMeta {
    DocMeta {
        kind: kind.into(),
        name: name.into(),
        namespace: namespace.map(Into::into),
        ..DocMeta::default()
    }
}

/// Place `docs` as rendered by the overlay in `root/dir`.
fn placed(root: &Path, dir: &str, mut docs: Vec<DocMeta>) -> Result<Vec<DocMeta>, String> {
    let plan = named(&[Root::new(root.join(dir), dir)], &RootDir::anywhere());
    let overlay = plan.overlays.first().expect("an overlay");
    place(overlay, &root.join(dir), &mut docs).map(|()| docs)
}

/// `Kustomization-file-folder:Transformer` of each transformation, for short assertions.
fn steps(root: &Path, doc: &DocMeta) -> Vec<String> {
    doc.transformations
        .iter()
        .map(|t| {
            let dir = t.kustomization.parent().expect("folder");
            let dir = dir.strip_prefix(root).expect("inside").display();
            format!("{dir}:{}", t.transformer)
        })
        .collect()
}

const SVC: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n";

#[test]
fn prefixes_and_suffixes_apply_inner_kustomization_first() {
    let (_t, root) = repo(&[
        ("base/svc.yaml", SVC),
        (
            "base/kustomization.yaml",
            "namePrefix: b-\nnameSuffix: -bs\nnamespace: inner\nresources: [svc.yaml]\npatches:\n- path: p.yaml\n",
        ),
        ("base/p.yaml", "kind: Service\nmetadata:\n  name: web\n"),
        (
            "mid/kustomization.yaml",
            "namePrefix: m-\nresources: [../base]\ncommonLabels: {a: b}\n",
        ),
        (
            "prod/kustomization.yaml",
            "namePrefix: p-\nnameSuffix: -ps\nnamespace: shop\nresources: [../mid]\n",
        ),
    ]);
    let docs = placed(
        &root,
        "prod",
        vec![
            doc("Service", Some("shop"), "p-m-b-web-bs-ps"),
            doc("Deployment", Some("shop"), "p-m-b-web-bs-ps"),
        ],
    )
    .expect("placed");
    for d in &docs {
        assert_eq!(
            d.origin,
            Some(BuildOrigin::File(root.join("base/svc.yaml"))),
            "{d:?}"
        );
        assert_eq!(
            steps(&root, d),
            [
                "base:PatchTransformer",
                "base:NamespaceTransformer",
                "mid:LabelTransformer",
                "prod:NamespaceTransformer"
            ]
        );
    }
    // The name without the outer prefix is not what Kustomize prints.
    let wrong = placed(
        &root,
        "prod",
        vec![doc("Service", Some("shop"), "m-b-web-bs")],
    );
    assert!(wrong.is_err(), "{wrong:?}");
}

#[test]
fn generators_with_and_without_hash() {
    let (_t, root) = repo(&[
        (
            "o/kustomization.yaml",
            "namePrefix: o-\nconfigMapGenerator:\n- name: env\n  literals: [a=b]\n- name: plain\n  literals: [a=b]\n  options: {disableNameSuffixHash: true}\nsecretGenerator:\n- name: token\n  namespace: vault\n  literals: [t=x]\n",
        ),
        (
            "off/kustomization.yaml",
            "generatorOptions: {disableNameSuffixHash: true}\nconfigMapGenerator:\n- name: env\n  literals: [a=b]\n",
        ),
    ]);
    let docs = placed(
        &root,
        "o",
        vec![
            doc("ConfigMap", None, "o-env-4h2mbtbbt6"),
            doc("ConfigMap", None, "o-plain"),
            doc("Secret", Some("vault"), "o-token-b2c5d8k9mt"),
        ],
    )
    .expect("placed");
    let generated = |generator: &str| {
        Some(BuildOrigin::Generated {
            kustomization: root.join("o/kustomization.yaml"),
            generator: generator.into(),
        })
    };
    assert_eq!(docs[0].origin, generated("ConfigMapGenerator"));
    assert_eq!(docs[1].origin, generated("ConfigMapGenerator"));
    assert_eq!(docs[2].origin, generated("SecretGenerator"));
    // A hashing generator's object is never printed without its hash, nor one that does not hash
    // with one; a hash is ten letters and digits.
    for name in ["o-env", "o-plain-4h2mbtbbt6", "o-env-4h2mbt"] {
        let result = placed(&root, "o", vec![doc("ConfigMap", None, name)]);
        assert!(result.is_err(), "{name}: {result:?}");
    }
    let off = placed(&root, "off", vec![doc("ConfigMap", None, "env")]).expect("no hash");
    assert!(off[0].origin.is_some());
}

#[test]
fn components_transform_what_was_made_before_them() {
    let (_t, root) = repo(&[
        ("base/svc.yaml", SVC),
        ("base/kustomization.yaml", "resources: [svc.yaml]\n"),
        (
            "comp/kustomization.yaml",
            "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [sa.yaml]\ncommonAnnotations: {c: d}\n",
        ),
        (
            "comp/sa.yaml",
            "kind: ServiceAccount\nmetadata:\n  name: sa\n",
        ),
        (
            "o/kustomization.yaml",
            "namePrefix: o-\nresources: [../base]\ncomponents: [../comp]\nconfigMapGenerator:\n- name: env\n  literals: [a=b]\nreplicas:\n- name: web\n  count: 2\n",
        ),
    ]);
    let docs = placed(
        &root,
        "o",
        vec![
            doc("ServiceAccount", None, "o-sa"),
            doc("ConfigMap", None, "o-env-4h2mbtbbt6"),
            doc("Service", None, "o-web"),
        ],
    )
    .expect("placed");
    assert_eq!(
        docs[0].origin,
        Some(BuildOrigin::File(root.join("comp/sa.yaml")))
    );
    let expected = ["comp:AnnotationsTransformer", "o:ReplicaCountTransformer"];
    for d in &docs {
        assert_eq!(steps(&root, d), expected, "{d:?}");
    }
}

#[test]
fn a_name_two_objects_could_have_falls_back() {
    let (_t, root) = repo(&[
        ("a/svc.yaml", "kind: Service\nmetadata:\n  name: x-web\n"),
        ("a/kustomization.yaml", "resources: [svc.yaml]\n"),
        ("b/svc.yaml", "kind: Service\nmetadata:\n  name: web\n"),
        (
            "b/kustomization.yaml",
            "namePrefix: x-\nresources: [svc.yaml]\n",
        ),
        ("o/kustomization.yaml", "resources: [../a, ../b]\n"),
    ]);
    let collision = placed(&root, "o", vec![doc("Service", None, "x-web")]);
    let why = collision.expect_err("two candidates");
    assert!(why.contains("Service/x-web"), "{why}");
    // Each object placed once: two rendered objects never share one source.
    let (_t2, root) = repo(&[
        ("o/svc.yaml", "kind: Service\nmetadata:\n  name: web\n"),
        ("o/kustomization.yaml", "resources: [svc.yaml]\n"),
    ]);
    let twice = placed(
        &root,
        "o",
        vec![doc("Service", None, "web"), doc("Service", None, "web")],
    );
    assert!(twice.is_err(), "{twice:?}");
}

#[test]
fn what_is_not_followed_falls_back() {
    let (_t, root) = repo(&[
        ("o/svc.yaml", SVC),
        (
            "o/kustomization.yaml",
            "resources: [svc.yaml]\nreplacements:\n- source: {kind: Service, name: web}\n  targets: []\n",
        ),
        (
            "m/kustomization.yaml",
            "configMapGenerator:\n- name: env\n  behavior: merge\n  literals: [a=b]\n",
        ),
        ("n/svc.yaml", "kind: Service\nmetadata: {}\n"),
        ("n/kustomization.yaml", "resources: [svc.yaml]\n"),
    ]);
    let docs = || vec![doc("Service", None, "web"), doc("Deployment", None, "web")];
    let why = placed(&root, "o", docs()).expect_err("replacements");
    assert!(why.contains("`replacements`"), "{why}");
    assert!(placed(&root, "m", vec![doc("ConfigMap", None, "env")]).is_err());
    assert!(placed(&root, "n", docs()).is_err());
    // A rendered object without a name (a kind lbplan cannot name) is not placed.
    assert!(placed(&root, "o", vec![doc("Service", None, "")]).is_err());
}

#[test]
fn namespaces_are_renamed_not_prefixed() {
    let (_t, root) = repo(&[
        (
            "o/ns.yaml",
            "kind: Namespace\nmetadata:\n  name: old\n---\nkind: ClusterRole\nmetadata:\n  name: reader\n---\nkind: List\nitems:\n- kind: ConfigMap\n  metadata: {name: c, namespace: own}\n",
        ),
        (
            "o/kustomization.yaml",
            "namePrefix: p-\nnamespace: shop\nresources: [ns.yaml]\n",
        ),
    ]);
    let docs = placed(
        &root,
        "o",
        vec![
            doc("Namespace", None, "shop"),
            doc("ClusterRole", None, "p-reader"),
            doc("ConfigMap", Some("shop"), "p-c"),
        ],
    )
    .expect("placed");
    assert!(docs.iter().all(|d| d.origin.is_some()));
}

#[cfg(unix)]
#[test]
fn a_base_reached_through_a_link_falls_back() {
    let (_t, root) = repo(&[
        ("base/svc.yaml", SVC),
        ("base/kustomization.yaml", "resources: [svc.yaml]\n"),
        ("o/kustomization.yaml", "resources: [../link]\n"),
        ("p/kustomization.yaml", "resources: [../base/../base]\n"),
    ]);
    std::os::unix::fs::symlink(root.join("base"), root.join("link")).expect("link");
    let docs = || vec![doc("Service", None, "web")];
    let why = placed(&root, "o", docs()).expect_err("a link");
    assert!(why.contains("through a link"), "{why}");
    // `..` without a link is followed.
    assert!(placed(&root, "p", docs()).is_ok());
}
