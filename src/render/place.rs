//! Where each object of a plain render comes from, found in the kustomizations lbplan reads
//! rather than asked of Kustomize.
//!
//! Kustomize's origin annotations cost the renderer about a third more CPU (docs/performance.md),
//! so an overlay is rendered plain, and each rendered object (kind, namespace, name) is matched to
//! the one object the overlay's kustomizations make that Kustomize would print so: a document of
//! a resource file, or a `configMapGenerator`/`secretGenerator` entry. Kustomize builds a
//! kustomization thus (v5, which these steps follow): its `resources` (a base built whole first),
//! then its generators, then its components in order (each adds its own objects, then transforms
//! everything made so far), then its own transformers, in this order: strategic-merge patches,
//! `patches`, `namespace`, `namePrefix`, `nameSuffix`, labels, annotations, JSON6902 patches,
//! replicas, images, replacements. Every transformer a kustomization configures is listed on
//! every object it holds, whether it changed the object or not; the object's name gets each
//! prefix and suffix on the way out (inner kustomization first), a generator's name its hash
//! last, and `namespace` renames a `Namespace` object. Of the transformers, those
//! `origin/search.rs` and `fields.rs` follow are listed.
//!
//! Anything not followed is a reason to let Kustomize say instead (`Err`, the reason in words):
//! a rendered object that matches no object or several, two rendered objects that match one, a
//! remote base, a graph lbplan did not resolve, fields that add or may rename objects
//! (`generators`, `transformers`, `replacements`, `vars`, Helm charts), a generator that merges
//! into another's object. `run.rs` then renders the overlay with origin annotations: at once when
//! the kustomizations say so before the render ([`walk`]), else again after the plain render.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::graph::Overlay;
use super::kustomization::{self, Kustomization, PatchField, Role, Target};
use super::strip::{BuildOrigin, DocMeta, Transformation};
use super::tree::Parsed;
use super::wrapper::normalize;
use crate::source::node::Node;

/// Kinds Kustomize gives no name prefix or suffix.
const UNPREFIXED: [&str; 3] = ["Namespace", "CustomResourceDefinition", "APIService"];

/// How deeply kustomizations may nest here (a cycle is Kustomize's to report).
const MAX_DEPTH: usize = 64;

/// The characters of a generator's name hash, and how many.
const HASH_LEN: usize = 10;

/// One object the overlay's kustomizations make, as Kustomize would print it.
#[derive(Clone, Debug)]
struct Made {
    origin: BuildOrigin,
    kind: String,
    /// Its name after every prefix and suffix (a generator's hash aside).
    name: String,
    /// Made by a generator that hashes: Kustomize ends its name with `-` and the hash.
    hashed: bool,
    /// The namespace it was written with, and the one every `namespace:` since gave it.
    own_namespace: Option<String>,
    namespace: Option<String>,
    transformations: Vec<Transformation>,
}

impl Made {
    fn matches(&self, doc: &DocMeta) -> bool {
        let named = match self.hashed {
            false => doc.name == self.name,
            true => doc
                .name
                .strip_prefix(self.name.as_str())
                .and_then(|rest| rest.strip_prefix('-'))
                .is_some_and(|hash| {
                    hash.len() == HASH_LEN
                        && hash
                            .bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                }),
        };
        // A cluster-scoped object keeps the namespace it was written with (none).
        let namespaced = doc.namespace == self.namespace || doc.namespace == self.own_namespace;
        doc.kind == self.kind && named && namespaced
    }
}

/// What the overlay's kustomizations make, read before the render: `Err` when lbplan cannot
/// follow it (then nothing is rendered plain). `real_dir` is the overlay's folder, links resolved.
pub fn walk(overlay: &Overlay, real_dir: &Path) -> Result<Placement, String> {
    if !overlay.resolved || !overlay.escapes.is_empty() {
        return Err("lbplan did not resolve its whole graph".into());
    }
    if !overlay.remote.is_empty() {
        return Err("it has a remote base".into());
    }
    let mut made = Vec::new();
    Walk::default().build(real_dir, &mut made, 0, false)?;
    Ok(Placement { made })
}

/// Every object an overlay's kustomizations make, as Kustomize would print it.
#[derive(Debug)]
pub struct Placement {
    made: Vec<Made>,
}

impl Placement {
    /// Fill each rendered document's origin and transformations, or say why that cannot be done
    /// surely (then no document is changed).
    pub fn place(&self, documents: &mut [DocMeta]) -> Result<(), String> {
        let mut used = vec![false; self.made.len()];
        let mut chosen = Vec::with_capacity(documents.len());
        for doc in documents.iter() {
            if doc.kind.is_empty() || doc.name.is_empty() {
                return Err("a rendered object has no kind or no name".into());
            }
            let mut found = self.made.iter().enumerate().filter(|(_, m)| m.matches(doc));
            let (Some((i, made)), None) = (found.next(), found.next()) else {
                return Err(format!(
                    "{} is made by none or several of its objects",
                    doc.label()
                ));
            };
            match used.get_mut(i) {
                Some(seen) if !*seen => *seen = true,
                _ => return Err(format!("{} matches an object already placed", doc.label())),
            }
            chosen.push(made);
        }
        for (doc, made) in documents.iter_mut().zip(chosen) {
            doc.origin = Some(made.origin.clone());
            doc.transformations.clone_from(&made.transformations);
        }
        Ok(())
    }
}

/// [`walk`], then [`Placement::place`].
#[cfg(test)]
pub fn place(overlay: &Overlay, real_dir: &Path, documents: &mut [DocMeta]) -> Result<(), String> {
    walk(overlay, real_dir)?.place(documents)
}

/// The objects of resource files, each file read once per overlay.
#[derive(Default)]
struct Walk {
    files: HashMap<PathBuf, Vec<Object>>,
}

/// An object of a resource file: its kind, name and namespace as written.
#[derive(Clone)]
struct Object {
    kind: String,
    name: String,
    namespace: Option<String>,
}

impl Walk {
    /// Add to `made` what the kustomization in the canonical folder `dir` makes, transformed as
    /// its build transforms it. A component (`component`) adds to what its parent made so far,
    /// and transforms all of it.
    fn build(
        &mut self,
        dir: &Path,
        made: &mut Vec<Made>,
        depth: usize,
        component: bool,
    ) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err("its kustomizations nest too deeply".into());
        }
        let k = kustomization::read(dir)?;
        let name = display(&k.file);
        if k.component != component || !k.problems.is_empty() {
            return Err(format!("{name} is not read as Kustomize reads it"));
        }
        if let Some(field) = k.unmodelled.first() {
            return Err(format!("{name} uses `{field}`"));
        }
        for reference in k.references.iter().filter(|r| r.role == Role::Resource) {
            let path = local(&reference.target)?;
            if path.is_dir() {
                let mut inner = Vec::new();
                self.build(&real(path)?, &mut inner, depth + 1, false)?;
                made.extend(inner);
                continue;
            }
            let file = normalize(path);
            real(&file)?;
            for object in self.objects(&file)? {
                made.push(Made {
                    origin: BuildOrigin::File(file.clone()),
                    kind: object.kind,
                    name: object.name,
                    hashed: false,
                    own_namespace: object.namespace.clone(),
                    namespace: object.namespace,
                    transformations: Vec::new(),
                });
            }
        }
        for g in &k.generators {
            if g.name.is_empty() || g.behavior.as_deref().is_some_and(|b| b != "create") {
                return Err(format!("{name}: a generator merges or has no name"));
            }
            let (kind, generator) = match g.field {
                "secretGenerator" => ("Secret", "SecretGenerator"),
                _ => ("ConfigMap", "ConfigMapGenerator"),
            };
            made.push(Made {
                origin: BuildOrigin::Generated {
                    kustomization: k.file.clone(),
                    generator: generator.into(),
                },
                kind: kind.into(),
                name: g.name.clone(),
                hashed: !(g.no_hash || k.names.no_hash),
                own_namespace: g.namespace.clone(),
                namespace: g.namespace.clone(),
                transformations: Vec::new(),
            });
        }
        for reference in k.references.iter().filter(|r| r.role == Role::Component) {
            let path = local(&reference.target)?;
            self.build(&real(path)?, made, depth + 1, true)?;
        }
        transform(&k, made);
        Ok(())
    }

    /// The objects of a resource file (a `List`'s items one by one, as Kustomize reads them).
    fn objects(&mut self, file: &Path) -> Result<Vec<Object>, String> {
        if let Some(objects) = self.files.get(file) {
            return Ok(objects.clone());
        }
        let name = || display(file);
        let budget = crate::source::read::Budget::default();
        let bytes = crate::source::read::read_regular(file, &budget)?;
        let text = crate::source::decode(bytes).text;
        let json = crate::source::discover::is_json(&file.to_string_lossy());
        let parsed = Parsed::new(text.into(), json);
        let mut objects = Vec::new();
        for (_, doc) in &parsed.documents {
            if doc.is_null() {
                continue;
            }
            let list = doc
                .get("kind")
                .and_then(Node::as_str)
                .is_some_and(|k| k.ends_with("List"));
            let items = match doc.get("items").and_then(Node::as_seq) {
                Some(items) if list => items.iter().collect(),
                _ => vec![doc],
            };
            for item in items {
                let text = |node: Option<&Node>| node.and_then(Node::as_str).map(str::to_string);
                let metadata = item.get("metadata");
                let (Some(kind), Some(object)) = (
                    text(item.get("kind")),
                    text(metadata.and_then(|m| m.get("name"))),
                ) else {
                    return Err(format!("{}: an object without kind or name", name()));
                };
                objects.push(Object {
                    kind,
                    name: object,
                    namespace: text(metadata.and_then(|m| m.get("namespace"))),
                });
            }
        }
        self.files.insert(file.to_path_buf(), objects.clone());
        Ok(objects)
    }
}

/// A local reference's path; a remote one is not followed.
fn local(target: &Target) -> Result<&Path, String> {
    match target {
        Target::Local(path) => Ok(path),
        Target::Remote(_) => Err("it has a remote base".into()),
    }
}

/// A kustomization folder with links resolved, as Kustomize's loader resolves it. Through a
/// link, the path Kustomize names may be either: not placed.
fn real(path: &Path) -> Result<PathBuf, String> {
    let lexical = normalize(path);
    match std::fs::canonicalize(path) {
        Ok(real) if real == lexical => Ok(real),
        Ok(_) => Err(format!("{} is reached through a link", display(&lexical))),
        Err(e) => Err(format!("{}: {e}", display(&lexical))),
    }
}

fn display(path: &Path) -> String {
    crate::source::discover::display_name(path)
}

/// What `k`'s own transformers do to everything it holds (`made`).
fn transform(k: &Kustomization, made: &mut [Made]) {
    let has = |field: PatchField| k.patches.iter().any(|p| p.field == field);
    let mut configured = Vec::new();
    let mut configure = |on: bool, transformer: &str| {
        if on {
            configured.push(Transformation {
                kustomization: k.file.clone(),
                transformer: transformer.into(),
            });
        }
    };
    configure(
        has(PatchField::StrategicMerge),
        "PatchStrategicMergeTransformer",
    );
    configure(has(PatchField::Patches), "PatchTransformer");
    configure(k.names.namespace.is_some(), "NamespaceTransformer");
    configure(!k.labels.is_empty(), "LabelTransformer");
    configure(!k.annotations.is_empty(), "AnnotationsTransformer");
    configure(has(PatchField::Json6902), "PatchJson6902Transformer");
    configure(!k.replicas.is_empty(), "ReplicaCountTransformer");
    for m in made {
        m.transformations.extend(configured.iter().cloned());
        if let Some(namespace) = &k.names.namespace {
            if m.kind == "Namespace" {
                m.name.clone_from(namespace);
            } else {
                m.namespace = Some(namespace.clone());
            }
        }
        if !UNPREFIXED.contains(&m.kind.as_str()) {
            m.name = format!("{}{}{}", k.names.prefix, m.name, k.names.suffix);
        }
    }
}

#[cfg(test)]
mod differential;
#[cfg(test)]
mod tests;
