//! Whether a patch sets a value of a rendered object, and where: strategic-merge patches by the
//! object's kind and name (or the patch's `target`), JSON6902 operations by their JSON pointer.

use super::kustomization::Selector;
use super::strip::DocMeta;
use super::tree::{Parsed, Part, Step, find, is_container, key_path, pointer_path};
use crate::source::Span;
use crate::source::node::Node;

/// Where a patch writes the value, and whether it sets it or merely names it (a strategic-merge
/// patch repeats the object's name and the merge keys of list items it changes).
pub struct Match {
    pub span: Span,
    pub sets: bool,
}

/// Search the documents of one patch, last first: the first operation or document that sets the
/// value, else the first that names it.
pub fn search(parsed: &Parsed, target: Option<&Selector>, query: &PatchQuery) -> Option<Match> {
    let mut named = None;
    for (_, doc) in parsed.documents.iter().rev() {
        if let Some(ops) = doc.as_seq() {
            // JSON6902: applies to its target only.
            if !target.is_some_and(|t| selects(t, query.meta)) {
                continue;
            }
            if let Some(span) = ops.iter().rev().find_map(|op| op_sets(op, query)) {
                return Some(Match { span, sets: true });
            }
            continue;
        }
        let applies = match target {
            Some(target) => selects(target, query.meta),
            None => same_object(doc, query.meta),
        };
        let Some(found) = applies.then(|| find(doc, query.path)).flatten() else {
            continue;
        };
        let Some(span) = found.span(query.part) else {
            continue;
        };
        if is_container(found.value) || only_names(query.path) {
            named.get_or_insert(Match { span, sets: false });
        } else {
            return Some(Match { span, sets: true });
        }
    }
    named
}

/// What a patch is asked: does it set this path of this object?
pub struct PatchQuery<'q, 'a> {
    pub meta: &'q DocMeta,
    pub root: &'q Node<'a>,
    pub path: &'q [Step],
    pub part: Part,
}

/// The span a JSON6902 operation gives the path, if it sets it: the pointer for the key itself,
/// the `value` (or a value inside it) otherwise.
fn op_sets(op: &Node, cx: &PatchQuery) -> Option<Span> {
    let kind = op.get("op")?.as_str()?;
    let pointer = op.entry("path")?;
    let target = pointer_path(pointer.value.as_str()?, cx.root)?;
    let within = cx.path.len() >= target.len()
        && target.iter().zip(cx.path).all(|(a, b)| match (a, b) {
            (Step::Key(a), Step::Key(b)) => a == b,
            (Step::Item(a), Step::Item(b)) => a.same(b),
            _ => false,
        });
    if !within {
        return None;
    }
    let rest = cx.path.get(target.len()..)?;
    match kind {
        "add" | "replace" if rest.is_empty() && cx.part == Part::Key => pointer.value.span,
        "add" | "replace" => {
            let value = op.entry("value")?;
            if rest.is_empty() {
                return value
                    .value
                    .span
                    .filter(|_| !is_container(&value.value))
                    .or(value.key_span);
            }
            find(&value.value, rest)?.span(cx.part)
        }
        "copy" | "move" => pointer.value.span,
        _ => None,
    }
}

/// Whether the path only names the object or a list item (its kind, name, or a merge key), which
/// a strategic-merge patch repeats without setting it.
fn only_names(path: &[Step]) -> bool {
    let keys = key_path(path);
    if matches!(
        keys.as_slice(),
        ["apiVersion"] | ["kind"] | ["metadata", "name"] | ["metadata", "namespace"]
    ) {
        return true;
    }
    match path {
        [.., Step::Item(item), Step::Key(field)] => item.identified_by(field),
        [.., Step::Item(_)] => true,
        _ => false,
    }
}

/// A strategic-merge patch without a target applies to the object of its kind and name.
fn same_object(doc: &Node, meta: &DocMeta) -> bool {
    let kind = doc.get("kind").and_then(Node::as_str);
    let name = doc
        .get("metadata")
        .and_then(|m| m.get("name"))
        .and_then(Node::as_str);
    kind == Some(meta.kind.as_str()) && name.is_some_and(|n| !n.is_empty() && meta.name.contains(n))
}

/// Whether a patch's `target` selects the object. Names may be regular expressions: one that is
/// not a plain name is taken to match (the patch must still set the path to count).
fn selects(target: &Selector, meta: &DocMeta) -> bool {
    let kind = target.kind.as_ref().is_none_or(|k| *k == meta.kind);
    let name = target.name.as_ref().is_none_or(|n| {
        meta.name.contains(n.as_str()) || n.contains(['*', '+', '?', '[', '(', '|', '^', '$', '\\'])
    });
    kind && name
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::render::tree::{Item, Located, index};

    const RENDERED: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  annotations:\n    a: x\n    b: y\n  name: p-web\nspec:\n  ports:\n  - name: http\n    port: 80\n  - name: https\n    port: 8443\n";

    fn parsed(text: &str) -> Parsed {
        Parsed::new(Arc::from(text), false)
    }

    /// Search `patch` for the key or value of the rendered stream at `needle`.
    fn search_at(
        patch: &str,
        target: Option<&Selector>,
        needle: &str,
        part: Part,
    ) -> Option<(String, bool)> {
        let rendered = parsed(RENDERED);
        let root = &rendered.documents[0].1;
        let mut located: Vec<Located> = Vec::new();
        index(root, &mut Vec::new(), &mut located);
        let at = RENDERED.find(needle).expect("needle");
        let path = &located
            .iter()
            .find(|l| l.span.start == at && l.part == part)
            .expect("located")
            .path;
        let meta = DocMeta {
            kind: "Service".into(),
            name: "p-web".into(),
            ..DocMeta::default()
        };
        let patch = parsed(patch);
        let query = PatchQuery {
            meta: &meta,
            root,
            path,
            part,
        };
        search(&patch, target, &query)
            .map(|m| (patch.slice(m.span).unwrap_or("").to_string(), m.sets))
    }

    const SMP: &str = "kind: Service\nmetadata:\n  name: web\n  annotations:\n    b: z\nspec:\n  ports:\n  - port: 8443\n    name: https\n";

    #[test]
    fn strategic_merge_patches_set_values_and_name_merge_keys() {
        assert_eq!(
            search_at(SMP, None, "b: y", Part::Key),
            Some(("b".into(), true))
        );
        assert_eq!(
            search_at(SMP, None, "y\n", Part::Value),
            Some(("z".into(), true))
        );
        assert_eq!(search_at(SMP, None, "a: x", Part::Key), None);
        // The item's merge key is repeated by the patch, not set by it.
        assert_eq!(
            search_at(SMP, None, "name: https", Part::Key),
            Some(("name".into(), false))
        );
        // Another object's patch does not apply.
        assert_eq!(
            search_at(&SMP.replace("web", "api"), None, "b: y", Part::Key),
            None
        );
        // A target overrides the patch's own name.
        let target = Selector {
            kind: Some("Service".into()),
            name: Some("w.*".into()),
        };
        assert_eq!(
            search_at(&SMP.replace("web", "api"), Some(&target), "b: y", Part::Key),
            Some(("b".into(), true))
        );
    }

    const OPS: &str = "- op: add\n  path: /metadata/annotations/a\n  value: x\n- op: remove\n  path: /metadata/annotations/b\n- op: replace\n  path: /spec/ports/1\n  value: {name: https, port: 8443}\n";

    #[test]
    fn json6902_operations_set_what_their_pointer_names() {
        let target = Selector {
            kind: Some("Service".into()),
            name: Some("web".into()),
        };
        let t = Some(&target);
        assert_eq!(
            search_at(OPS, t, "a: x", Part::Key),
            Some(("/metadata/annotations/a".into(), true))
        );
        assert_eq!(
            search_at(OPS, t, "x\n", Part::Value),
            Some(("x".into(), true))
        );
        assert_eq!(
            search_at(OPS, t, "b: y", Part::Key),
            None,
            "a removal sets nothing"
        );
        // A value inside the operation's value.
        assert_eq!(
            search_at(OPS, t, "port: 8443", Part::Key),
            Some(("port".into(), true))
        );
        // Without a target, JSON6902 operations apply to nothing.
        assert_eq!(search_at(OPS, None, "a: x", Part::Key), None);
        let other = Selector {
            kind: Some("Deployment".into()),
            name: None,
        };
        assert_eq!(search_at(OPS, Some(&other), "a: x", Part::Key), None);
    }

    #[test]
    fn item_identity_is_what_a_merge_key_names() {
        let item = Item {
            index: 0,
            ids: vec![("name", "http".into()), ("port", "80".into())],
            scalar: None,
        };
        assert!(only_names(&[
            Step::Key("spec".into()),
            Step::Item(item.clone()),
            Step::Key("name".into())
        ]));
        assert!(!only_names(&[
            Step::Key("spec".into()),
            Step::Item(item),
            Step::Key("port".into())
        ]));
        assert!(only_names(&[
            Step::Key("metadata".into()),
            Step::Key("name".into())
        ]));
    }
}
