//! Reading kustomization files.

use super::*;

fn parse_text(text: &str) -> Kustomization {
    parse(
        Path::new("/repo/overlays/prod"),
        Path::new("/repo/overlays/prod/kustomization.yaml"),
        text,
    )
}

fn targets(k: &Kustomization, role: Role) -> Vec<String> {
    k.references
        .iter()
        .filter(|r| r.role == role)
        .map(|r| match &r.target {
            Target::Local(p) => p.display().to_string(),
            Target::Remote(url) => format!("remote:{url}"),
        })
        .collect()
}

#[test]
fn every_reference_field_is_read() {
    let k = parse_text(
        "resources:\n- ../../base\n- svc.yaml\n- github.com/org/repo//base?ref=v1\n\
         bases: [../old]\ncomponents: [../../components/x]\n\
         patches:\n- path: p1.yaml\n- patch: |-\n    - op: add\n      path: /a\n      value: b\n  target: {kind: Service, name: web}\n\
         patchesStrategicMerge:\n- p2.yaml\npatchesJson6902:\n- path: p3.yaml\n  target: {kind: Service}\n\
         configMapGenerator:\n- name: cfg\n  files: [nginx.conf, key=other.conf]\n  envs: [a.env]\n\
         secretGenerator:\n- name: s\n  env: s.env\n\
         crds: [crd.yaml]\nconfigurations: [conf.yaml]\ntransformers: [t.yaml]\n\
         replacements:\n- path: r.yaml\nopenapi:\n  path: schema.json\n",
    );
    assert!(k.problems.is_empty(), "{:?}", k.problems);
    let d = "/repo/overlays/prod";
    assert_eq!(
        targets(&k, Role::Resource),
        [
            format!("{d}/../../base"),
            format!("{d}/svc.yaml"),
            "remote:github.com/org/repo//base?ref=v1".into(),
            format!("{d}/../old"),
        ]
    );
    assert_eq!(
        targets(&k, Role::Component),
        [format!("{d}/../../components/x")]
    );
    assert_eq!(
        targets(&k, Role::Patch),
        ["p1.yaml", "p2.yaml", "p3.yaml"].map(|p| format!("{d}/{p}"))
    );
    assert_eq!(
        targets(&k, Role::Input),
        [
            "nginx.conf",
            "other.conf",
            "a.env",
            "s.env",
            "crd.yaml",
            "conf.yaml",
            "t.yaml",
            "r.yaml",
            "schema.json"
        ]
        .map(|p| format!("{d}/{p}"))
    );
    assert_eq!(k.patches.len(), 4);
    assert_eq!(
        k.patches[1].target,
        Some(Selector {
            kind: Some("Service".into()),
            name: Some("web".into())
        })
    );
    assert_eq!(k.patches[2].field, PatchField::StrategicMerge);
    assert_eq!(k.patches[3].field, PatchField::Json6902);
    let names: Vec<_> = k
        .generators
        .iter()
        .map(|g| (g.field, g.name.as_str()))
        .collect();
    assert_eq!(
        names,
        [("configMapGenerator", "cfg"), ("secretGenerator", "s")]
    );
}

#[test]
fn transformer_fields_keep_their_spans() {
    let text = "namespace: shop\nnamePrefix: prod-\ncommonLabels:\n  env: prod\nlabels:\n- pairs: {tier: web}\n  includeSelectors: true\n- pairs: {team: a}\ncommonAnnotations:\n  owner: me\nreplicas:\n- name: web\n  count: 3\nkind: Component\n";
    let k = parse_text(text);
    let at = |s: Option<Span>| s.and_then(|s| text.get(s.start..s.end)).unwrap_or("");
    assert!(k.component);
    assert_eq!(at(k.namespace.and_then(|s| s.value)), "shop");
    let flags: Vec<_> = k
        .labels
        .iter()
        .map(|l| (l.pairs[0].key.as_str(), l.selectors, l.templates))
        .collect();
    assert_eq!(
        flags,
        [
            ("env", true, true),
            ("tier", true, true),
            ("team", false, false)
        ]
    );
    assert_eq!(at(k.annotations[0].site.value), "me");
    assert_eq!(at(k.replicas[0].site.key), "count");
}

#[test]
fn wrong_types_are_problems_not_failures() {
    let k = parse_text("resources: base\npatches: 3\nnamespace: [x]\n");
    assert_eq!(k.problems.len(), 2, "{:?}", k.problems);
    assert!(parse_text("- a\n- b\n").problems[0].contains("mapping"));
    assert!(parse_text(": : :").references.is_empty());
}

#[test]
fn remote_bases_are_told_apart() {
    for url in [
        "https://github.com/org/repo//base?ref=v1",
        "github.com/org/repo/base",
        "git@github.com:org/repo.git",
        "ssh://git@example.com/repo.git",
    ] {
        assert!(is_remote(url), "{url}");
    }
    assert!(!is_remote("../../base"));
}
