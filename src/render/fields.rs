//! Values a kustomization's own fields write into objects: `namespace`, `commonLabels`/`labels`,
//! `commonAnnotations`, `replicas`. (`namePrefix` and `nameSuffix` only add to a name written in
//! a resource file, where the name is found.)

use super::kustomization::{Kustomization, Site};
use super::strip::DocMeta;
use super::tree::{Step, key_path};

/// Where `k` writes the value at `path` of the object, if the transformer named `transformer`
/// (as Kustomize's `transformations` annotation names it) writes it.
pub fn set_by(k: &Kustomization, transformer: &str, meta: &DocMeta, path: &[Step]) -> Option<Site> {
    let keys = key_path(path);
    match (transformer, keys.as_slice()) {
        // Also the service accounts a (Cluster)RoleBinding names.
        ("NamespaceTransformer", ["metadata", "namespace"] | ["subjects", "[]", "namespace"]) => {
            k.namespace
        }
        ("LabelTransformer", [parents @ .., parent, label])
            if matches!(*parent, "labels" | "matchLabels" | "selector") =>
        {
            let in_selector = *parent == "selector" || parents.contains(&"selector");
            let in_template = parents.contains(&"template");
            k.labels
                .iter()
                .rev()
                .filter(|set| (!in_selector || set.selectors) && (!in_template || set.templates))
                .find_map(|set| set.pairs.iter().find(|p| p.key == *label))
                .map(|p| p.site)
        }
        ("AnnotationsTransformer", [.., "annotations", annotation]) => k
            .annotations
            .iter()
            .find(|p| p.key == *annotation)
            .map(|p| p.site),
        ("ReplicaCountTransformer", ["spec", "replicas"]) => k
            .replicas
            .iter()
            .filter(|p| meta.name.contains(p.key.as_str()))
            .max_by_key(|p| p.key.len())
            .map(|p| p.site),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::render::kustomization::parse;

    fn path(keys: &[&str]) -> Vec<Step> {
        keys.iter().map(|k| Step::Key((*k).to_string())).collect()
    }

    #[test]
    fn fields_write_what_their_transformer_writes() {
        let text = "namespace: shop\nnamePrefix: p-\nlabels:\n- pairs: {env: prod}\n- pairs: {team: a}\n  includeSelectors: true\ncommonAnnotations: {owner: me}\nreplicas:\n- name: web\n  count: 2\n";
        let k = parse(Path::new("/k"), Path::new("/k/kustomization.yaml"), text);
        let meta = DocMeta {
            kind: "Deployment".into(),
            name: "p-web".into(),
            ..DocMeta::default()
        };
        let at = |t: &str, keys: &[&str]| {
            set_by(&k, t, &meta, &path(keys))
                .and_then(|s| s.key)
                .and_then(|s| text.get(s.start..s.end))
        };
        assert_eq!(
            at("NamespaceTransformer", &["metadata", "namespace"]),
            Some("namespace")
        );
        assert_eq!(at("PrefixTransformer", &["metadata", "name"]), None);
        assert_eq!(
            at("LabelTransformer", &["metadata", "labels", "env"]),
            Some("env")
        );
        // `env` is not added to selectors; `team` is.
        assert_eq!(
            at(
                "LabelTransformer",
                &["spec", "selector", "matchLabels", "env"]
            ),
            None
        );
        assert_eq!(
            at(
                "LabelTransformer",
                &["spec", "selector", "matchLabels", "team"]
            ),
            Some("team")
        );
        assert_eq!(
            at(
                "LabelTransformer",
                &["spec", "template", "metadata", "labels", "team"]
            ),
            Some("team")
        );
        assert_eq!(
            at(
                "AnnotationsTransformer",
                &["metadata", "annotations", "owner"]
            ),
            Some("owner")
        );
        assert_eq!(
            at("ReplicaCountTransformer", &["spec", "replicas"]),
            Some("count")
        );
        assert_eq!(at("NamespaceTransformer", &["metadata", "name"]), None);
        let subject = vec![
            Step::Key("subjects".into()),
            Step::Item(crate::render::tree::Item::default()),
            Step::Key("namespace".into()),
        ];
        assert!(set_by(&k, "NamespaceTransformer", &meta, &subject).is_some());
    }
}
