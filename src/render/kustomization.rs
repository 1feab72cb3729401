//! One kustomization file, read leniently: what it references (resources, bases, components,
//! patches, generator sources, CRDs, transformer configs...) and the fields whose values end up in
//! rendered objects (namespace, labels, annotations, replicas), with their spans.
//!
//! Lenient: a field of the wrong type is noted in `problems` and skipped; Kustomize itself reports
//! what it refuses when the overlay is rendered.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::source::node::Entry;
use crate::source::{Span, decode};

mod reader;

use super::inline::Inline;
use super::tree::Parsed;
use reader::Reader;

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
    /// The `namespace:` it gives the object it makes.
    pub namespace: Option<String>,
    /// `behavior:` (`create` when absent; `merge` and `replace` change another generator's object).
    pub behavior: Option<String>,
    /// `options.disableNameSuffixHash: true`.
    pub no_hash: bool,
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
    /// What the kustomization does to names and namespaces (`render/place.rs`).
    pub names: Names,
    /// Fields that add objects or may rename them in ways `render/place.rs` does not follow
    /// (`generators`, `transformers`, `replacements`...): their overlay is placed by Kustomize.
    pub unmodelled: Vec<String>,
    /// What could not be read, in words.
    pub problems: Vec<String>,
}

/// `namePrefix`, `nameSuffix`, `namespace` and `generatorOptions.disableNameSuffixHash`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Names {
    pub prefix: String,
    pub suffix: String,
    /// The namespace set, when it is a non-empty string (Kustomize ignores an empty one).
    pub namespace: Option<String>,
    pub no_hash: bool,
}

/// Read the kustomization of `dir`.
pub fn read(dir: &Path) -> Result<Kustomization, String> {
    let file = file_in(dir).ok_or_else(|| "no kustomization file".to_string())?;
    // A regular file within the size limit: never a FIFO that hangs or a device that never ends.
    let bytes = crate::source::read::read_regular(&file, &crate::source::read::Budget::default())?;
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
mod tests;
