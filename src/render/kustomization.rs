//! One kustomization file, read leniently: what it references (resources, bases, components,
//! patches, generator sources, CRDs, transformer configs...) and the fields whose values end up in
//! rendered objects (namespace, labels, annotations, replicas), with their spans.
//!
//! Lenient: a field of the wrong type is noted in `problems` and skipped; Kustomize itself reports
//! what it refuses when the overlay is rendered.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::source::node::{Entry, Node, Value};
use crate::source::{Span, decode};

use super::inline::{Inline, block_lines};
use super::tree::Parsed;

/// The names Kustomize looks for in a folder, in its order.
pub const FILE_NAMES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// The kustomization file of `dir`, if it is a kustomization.
pub fn file_in(dir: &Path) -> Option<PathBuf> {
    FILE_NAMES
        .iter()
        .map(|name| dir.join(name))
        .find(|path| path.is_file())
}

/// Where an entry is written: its key and its value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Site {
    pub key: Option<Span>,
    pub value: Option<Span>,
}

impl Site {
    fn of(entry: &Entry) -> Site {
        Site {
            key: entry.key_span,
            value: entry.value.span,
        }
    }
}

/// A key and value written in the kustomization (a label, an annotation, a replica count).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pair {
    pub key: String,
    pub site: Site,
}

/// Why a file or folder is referenced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Resource,
    Component,
    Patch,
    /// Read by a generator, or a CRD, transformer, replacement or OpenAPI config.
    Input,
}

/// Where a reference points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A path on disk (the kustomization's folder joined with the entry), which may not exist.
    Local(PathBuf),
    /// A URL or a `github.com/...` style remote: rendering it needs the network.
    Remote(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    pub role: Role,
    pub text: String,
    pub span: Option<Span>,
    pub target: Target,
}

/// Which field a patch is listed in; it decides which transformer applies it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatchField {
    /// `patches` (strategic merge or JSON6902, by content).
    Patches,
    StrategicMerge,
    Json6902,
}

/// The objects a patch applies to, when the kustomization says (`target:`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selector {
    pub kind: Option<String>,
    pub name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PatchSource {
    File(PathBuf),
    Inline(Inline),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Patch {
    pub field: PatchField,
    pub source: PatchSource,
    pub target: Option<Selector>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Generator {
    /// `configMapGenerator` or `secretGenerator`.
    pub field: &'static str,
    pub name: String,
    pub site: Site,
}

/// A `commonLabels` map or one `labels` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelSet {
    pub pairs: Vec<Pair>,
    pub selectors: bool,
    pub templates: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Kustomization {
    pub dir: PathBuf,
    pub file: PathBuf,
    /// `kind: Component`: rendered only as part of the kustomizations that list it.
    pub component: bool,
    pub references: Vec<Reference>,
    pub patches: Vec<Patch>,
    pub generators: Vec<Generator>,
    pub namespace: Option<Site>,
    pub labels: Vec<LabelSet>,
    pub annotations: Vec<Pair>,
    pub replicas: Vec<Pair>,
    /// What could not be read, in words.
    pub problems: Vec<String>,
}

/// Read the kustomization of `dir`.
pub fn read(dir: &Path) -> Result<Kustomization, String> {
    let file = file_in(dir).ok_or_else(|| "no kustomization file".to_string())?;
    let bytes = std::fs::read(&file).map_err(|e| e.to_string())?;
    let text = decode(bytes).text;
    Ok(parse(dir, &file, &text))
}

/// Parse the text of `file`, the kustomization of `dir`.
pub fn parse(dir: &Path, file: &Path, text: &str) -> Kustomization {
    let mut k = Kustomization {
        dir: dir.to_path_buf(),
        file: file.to_path_buf(),
        ..Kustomization::default()
    };
    let parsed = Parsed::new(Arc::from(text), false);
    let Some((_, root)) = parsed.documents.first() else {
        k.problems.push("not a YAML mapping".into());
        return k;
    };
    let Some(entries) = root.as_map() else {
        k.problems.push("not a YAML mapping".into());
        return k;
    };
    let mut reader = Reader { k: &mut k, text };
    for entry in entries {
        reader.field(entry);
    }
    k
}

struct Reader<'k> {
    k: &'k mut Kustomization,
    text: &'k str,
}

impl Reader<'_> {
    fn field(&mut self, entry: &Entry) {
        let value = &entry.value;
        match entry.key.as_ref() {
            "kind" => self.k.component = value.as_str() == Some("Component"),
            "resources" | "bases" => self.paths(entry, Role::Resource),
            "components" => self.paths(entry, Role::Component),
            "crds" | "configurations" | "transformers" | "generators" | "validators" => {
                self.paths(entry, Role::Input);
            }
            "patches" => self.patches(entry, PatchField::Patches),
            "patchesJson6902" => self.patches(entry, PatchField::Json6902),
            "patchesStrategicMerge" => {
                for item in self.seq(entry) {
                    if let Some(text) = item.as_str() {
                        let source = self.patch_text(text, item.span, None, entry.key_span);
                        self.add_patch(PatchField::StrategicMerge, source, None);
                    }
                }
            }
            "configMapGenerator" | "secretGenerator" => self.generators(entry),
            "replacements" => {
                for item in self.seq(entry) {
                    self.path_field(item, "path", Role::Input);
                }
            }
            "openapi" => self.path_field(value, "path", Role::Input),
            "helmGlobals" => self.path_field(value, "chartHome", Role::Input),
            "namespace" => self.k.namespace = Some(Site::of(entry)),
            "commonLabels" => {
                let pairs = self.pairs(value);
                self.k.labels.push(LabelSet {
                    pairs,
                    selectors: true,
                    templates: true,
                });
            }
            "labels" => {
                for item in self.seq(entry) {
                    let flag = |key| {
                        item.get(key)
                            .is_some_and(|v| matches!(v.value, Value::Bool(true)))
                    };
                    let pairs = item.get("pairs").map(|p| self.pairs(p)).unwrap_or_default();
                    let selectors = flag("includeSelectors");
                    self.k.labels.push(LabelSet {
                        pairs,
                        selectors,
                        templates: selectors || flag("includeTemplates"),
                    });
                }
            }
            "commonAnnotations" => self.k.annotations = self.pairs(value),
            "replicas" => {
                for item in self.seq(entry) {
                    if let (Some(name), Some(count)) =
                        (item.get("name").and_then(Node::as_str), item.entry("count"))
                    {
                        self.k.replicas.push(Pair {
                            key: name.to_string(),
                            site: Site::of(count),
                        });
                    }
                }
            }
            _ => {}
        }
    }

    /// The items of a list field; anything else is a problem.
    fn seq<'e, 'a>(&mut self, entry: &'e Entry<'a>) -> &'e [Node<'a>] {
        match entry.value.as_seq() {
            Some(items) => items,
            None if entry.value.is_null() => &[],
            None => {
                self.k.problems.push(format!(
                    "`{}` should be a list, found {}",
                    entry.key,
                    entry.value.type_name()
                ));
                &[]
            }
        }
    }

    fn paths(&mut self, entry: &Entry, role: Role) {
        for item in self.seq(entry) {
            match item.as_str() {
                // An inline transformer or generator config, not a path.
                Some(text) if text.contains('\n') => {}
                Some(text) => self.reference(role, text, item.span),
                None => self.k.problems.push(format!(
                    "`{}` entries should be strings, found {}",
                    entry.key,
                    item.type_name()
                )),
            }
        }
    }

    fn path_field(&mut self, node: &Node, key: &str, role: Role) {
        if let Some(value) = node.get(key) {
            if let Some(text) = value.as_str() {
                self.reference(role, text, value.span);
            }
        }
    }

    fn reference(&mut self, role: Role, text: &str, span: Option<Span>) {
        let target = if is_remote(text) && !self.k.dir.join(text).exists() {
            Target::Remote(text.to_string())
        } else {
            Target::Local(self.k.dir.join(text))
        };
        self.k.references.push(Reference {
            role,
            text: text.to_string(),
            span,
            target,
        });
    }

    fn patches(&mut self, entry: &Entry, field: PatchField) {
        for item in self.seq(entry) {
            let target = item.get("target").map(|t| Selector {
                kind: t.get("kind").and_then(Node::as_str).map(str::to_string),
                name: t.get("name").and_then(Node::as_str).map(str::to_string),
            });
            let source = if let Some(path) = item.get("path").and_then(Node::as_str) {
                self.reference(Role::Patch, path, item.get("path").and_then(|p| p.span));
                Some(PatchSource::File(self.k.dir.join(path)))
            } else if let Some(patch) = item.entry("patch") {
                patch.value.as_str().map(|text| {
                    self.patch_text(text, patch.value.span, patch.key_span, patch.key_span)
                })
            } else {
                None
            };
            if let Some(source) = source {
                self.add_patch(field, source, target);
            }
        }
    }

    /// A `patchesStrategicMerge` entry or a `patch:` value: a file name, or the patch itself.
    /// `key` is the `patch:` key of an inline patch (`None` in `patchesStrategicMerge`, whose
    /// entries are file names unless they span several lines); `anchor` where to point when the
    /// patch's own lines cannot be told.
    fn patch_text(
        &mut self,
        text: &str,
        span: Option<Span>,
        key: Option<Span>,
        anchor: Option<Span>,
    ) -> PatchSource {
        if !text.contains('\n') && key.is_none() {
            self.reference(Role::Patch, text, span);
            return PatchSource::File(self.k.dir.join(text));
        }
        let line_offsets = match span {
            // A plain or quoted scalar borrowed from the file: its offsets are the file's.
            Some(span) => Some(
                std::iter::once(span.start)
                    .chain(text.match_indices('\n').map(|(i, _)| span.start + i + 1))
                    .collect(),
            ),
            None => key.and_then(|key| block_lines(self.text, key, text)),
        };
        PatchSource::Inline(Inline {
            text: Arc::from(text),
            line_offsets,
            anchor: span.or(anchor),
        })
    }

    fn add_patch(&mut self, field: PatchField, source: PatchSource, target: Option<Selector>) {
        self.k.patches.push(Patch {
            field,
            source,
            target,
        });
    }

    fn generators(&mut self, entry: &Entry) {
        let field = if entry.key == "secretGenerator" {
            "secretGenerator"
        } else {
            "configMapGenerator"
        };
        for item in self.seq(entry) {
            if let Some(name) = item.entry("name") {
                self.k.generators.push(Generator {
                    field,
                    name: name.value.as_str().unwrap_or("").to_string(),
                    site: Site::of(name),
                });
            }
            for key in ["files", "envs"] {
                for source in item.get(key).and_then(Node::as_seq).unwrap_or(&[]) {
                    if let Some(text) = source.as_str() {
                        // `files` entries may be `key=path`.
                        let path = text.split_once('=').map_or(text, |(_, p)| p);
                        let span = source.span.and_then(|s| s.sub(text, path));
                        self.reference(Role::Input, path, span.or(source.span));
                    }
                }
            }
            self.path_field(item, "env", Role::Input);
        }
    }

    fn pairs(&mut self, node: &Node) -> Vec<Pair> {
        node.as_map()
            .unwrap_or(&[])
            .iter()
            .map(|e| Pair {
                key: e.key.to_string(),
                site: Site::of(e),
            })
            .collect()
    }
}

/// Whether a resource entry names a remote base (Kustomize's own test: a URL, or a host path).
pub fn is_remote(text: &str) -> bool {
    text.contains("://")
        || text.starts_with("git@")
        || ["github.com/", "gitlab.com/", "bitbucket.org/"]
            .iter()
            .any(|host| text.starts_with(host))
        || text.contains("?ref=")
}

#[cfg(test)]
mod tests {
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
}
