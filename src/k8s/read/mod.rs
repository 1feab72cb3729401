//! From a document's [`Node`] tree to typed [`Object`]s.
//!
//! Reading is lenient: a wrong type in one field (`port: "eighty"`, annotations that are a string)
//! becomes a located [`Problem`] and only that field is dropped, so the rest of the object is still
//! planned and linted. Documents that are not Kubernetes objects, and kinds lbplan does not model,
//! are skipped quietly.
//!
//! `access.rs` holds the typed getters that record problems; `service.rs`, `ingress.rs` and
//! `workload.rs` (workloads and Pods) read one kind each.

mod access;
mod ingress;
mod service;
mod shape;
#[cfg(test)]
mod tests;
mod unmodelled;
mod workload;

pub use unmodelled::UnmodelledPods;

use super::{
    Annotations, ControllerKind, LiveField, Located, Meta, Object, Spec, WorkloadKind, keys,
};
use crate::source::node::Node;
use crate::source::{FileId, Origin};

/// Something in a document that Kubernetes would refuse, found while reading it.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub origin: Origin,
    pub message: String,
    /// Another place the problem involves, such as the first of two duplicate keys.
    pub related: Option<(Origin, String)>,
    /// The object read from the problem's document, as an index into [`ReadOutcome::objects`]:
    /// `None` when the document gave no object (no `metadata.name`, say).
    pub object: Option<usize>,
}

/// What a file's documents held.
#[derive(Debug, Default, Clone)]
pub struct ReadOutcome {
    /// The objects lbplan models.
    pub objects: Vec<Object>,
    /// Every Kubernetes object seen (modelled or not), counting `List` items.
    pub kubernetes_objects: usize,
    pub problems: Vec<Problem>,
    /// Objects of kinds lbplan does not model that carry pod templates with labels.
    pub unmodelled: Vec<UnmodelledPods>,
}

/// Every document of the YAML `text` read, as a manifest file's are (for tests).
#[cfg(test)]
pub fn read_text(text: &str) -> ReadOutcome {
    use crate::source::node::MANIFEST;
    let mut out = ReadOutcome::default();
    for doc in crate::source::yaml::parse_yaml(text, &MANIFEST) {
        if let Ok(node) = doc.result {
            let start = Origin::new(FileId(0), doc.span);
            read_document(FileId(0), text, &node, start, &mut out);
        }
    }
    out
}

/// Read one parsed document. `start` is where the document's text begins, for documents whose
/// root has no borrowed key to point at.
/// `text` is the whole file, for finding values that were not written verbatim.
pub fn read_document(file: FileId, text: &str, root: &Node, start: Origin, out: &mut ReadOutcome) {
    read_document_in(file, text, root, start, "default", out);
}

/// [`read_document`], objects without `metadata.namespace` placed in `namespace` (a Helm
/// release's, as `helm install -n NAMESPACE` places them).
pub fn read_document_in(
    file: FileId,
    text: &str,
    root: &Node,
    start: Origin,
    namespace: &str,
    out: &mut ReadOutcome,
) {
    let mut reader = Reader {
        file,
        text,
        namespace,
        out,
    };
    reader.object(root, None, start);
}

struct Reader<'o> {
    file: FileId,
    text: &'o str,
    /// The namespace of objects that name none.
    namespace: &'o str,
    out: &'o mut ReadOutcome,
}

/// Kind and apiVersion a typed list (`PodList`) lends to items that omit them.
type Inherited<'n> = Option<(&'n str, &'n str)>;

impl Reader<'_> {
    fn object(&mut self, node: &Node, inherited: Inherited, fallback: Origin) {
        let Some(entries) = node.as_map() else {
            return; // a scalar or list document: not a Kubernetes object
        };
        let at = self.origin(node.span, fallback);
        let kind = node
            .get("kind")
            .and_then(Node::as_str)
            .or(inherited.map(|i| i.0));
        let api_version = node
            .get("apiVersion")
            .and_then(Node::as_str)
            .or(inherited.map(|i| i.1));
        let (Some(kind), Some(api_version)) = (kind, api_version) else {
            // A Service or Deployment without apiVersion is a manifest kubectl refuses, not some
            // other YAML that happens to have a `kind` key.
            if let (Some(kind), None) = (kind, api_version) {
                if Modelled::is_kind(kind) && node.entry("metadata").is_some() {
                    let origin = node.entry("kind").map_or(at, |e| self.key_origin(e, at));
                    self.problem(
                        origin,
                        format!("`{kind}` without `apiVersion`: kubectl refuses the object"),
                    );
                }
            }
            return; // not a Kubernetes object (values files, kustomization, CI config...)
        };
        if let Some(item_kind) = kind.strip_suffix("List") {
            if let Some(items) = node.entry("items") {
                let inherit = (!item_kind.is_empty()).then_some((item_kind, api_version));
                if let Some(items) = self.sequence(Some(items), "items", at) {
                    for item in items {
                        self.object(item, inherit, at);
                    }
                }
                return;
            }
        }
        self.out.kubernetes_objects += 1;
        let Some(modelled) = Modelled::of(kind, api_version) else {
            self.unmodelled(node, kind, at);
            return;
        };
        let problems_before = self.out.problems.len();
        self.duplicates(entries, kind, at);
        let Some(meta) = self.meta(node, at) else {
            return;
        };
        let spec_entry = node.entry("spec");
        let spec = match modelled {
            Modelled::Service => Spec::Service(self.service(spec_entry, at)),
            Modelled::Ingress => Spec::Ingress(self.ingress(
                spec_entry,
                api_version == "networking.k8s.io/v1",
                node.get("metadata"),
                at,
            )),
            Modelled::Workload(kind) => Spec::Workload(self.workload(kind, spec_entry, at)),
            Modelled::Pod => Spec::Pod(self.pod(node, &meta, at)),
            Modelled::ControllerState(kind) => Spec::ControllerState(kind),
        };
        let index = self.out.objects.len();
        let problems = self
            .out
            .problems
            .get_mut(problems_before..)
            .unwrap_or_default();
        for problem in problems.iter_mut() {
            problem.object = Some(index);
        }
        let refused = !problems.is_empty();
        let unknown_fields = self.unknown_fields(node, modelled, api_version, at);
        self.out.objects.push(Object {
            meta,
            spec,
            origin: at,
            refused,
            unknown_fields,
        });
    }

    fn meta(&mut self, node: &Node, at: Origin) -> Option<Meta> {
        let Some(metadata) = self.mapping(node.entry("metadata"), "metadata", at) else {
            self.problem(
                at,
                "the object has no `metadata`: Kubernetes refuses it".into(),
            );
            return None;
        };
        let name = self
            .string(metadata.entry("name"), "metadata.name", at)
            .map(|n| n.value)
            .or_else(|| {
                metadata
                    .get("generateName")
                    .and_then(Node::as_str)
                    .map(|g| format!("{g}<generated>"))
            });
        let Some(name) = name else {
            self.problem(
                at,
                "the object has no `metadata.name`: Kubernetes refuses it".into(),
            );
            return None;
        };
        let namespace = self
            .string(metadata.entry("namespace"), "metadata.namespace", at)
            .map(|n| n.value);
        let namespace_set = namespace.is_some();
        let namespace = namespace.unwrap_or_else(|| self.namespace.to_string());
        let annotations = Annotations(self.string_map(
            metadata.entry("annotations"),
            "metadata.annotations",
            at,
            keys::is_read_annotation,
        ));
        let labels = self.labels(metadata.entry("labels"), "metadata.labels", at);
        let terminating = metadata
            .get("deletionTimestamp")
            .is_some_and(|n| !n.is_null());
        let live = self.live_fields(node, metadata, at);
        Some(Meta {
            name,
            namespace,
            namespace_set,
            annotations,
            labels,
            terminating,
            live,
        })
    }

    /// The fields of a live object that a document carries (see [`Meta::live`]). Their values are
    /// not built (only the keys are seen), except `creationTimestamp`, which `kubectl create
    /// --dry-run -o yaml` writes as null, and the load-balancer addresses, which must be there.
    fn live_fields(&self, node: &Node, metadata: &Node, at: Origin) -> Vec<Located<LiveField>> {
        const KEYS: [(&str, LiveField); 6] = [
            ("uid", LiveField::Uid),
            ("resourceVersion", LiveField::ResourceVersion),
            ("creationTimestamp", LiveField::CreationTimestamp),
            ("managedFields", LiveField::ManagedFields),
            ("selfLink", LiveField::SelfLink),
            ("generation", LiveField::Generation),
        ];
        let mut live = Vec::new();
        for (key, field) in KEYS {
            let Some(entry) = metadata.entry(key) else {
                continue;
            };
            if field == LiveField::CreationTimestamp && entry.value.is_null() {
                continue;
            }
            live.push(Located {
                value: field,
                origin: self.key_origin(entry, at),
            });
        }
        let ingress = node
            .get("status")
            .and_then(|s| s.get("loadBalancer"))
            .and_then(|lb| lb.entry("ingress"));
        if let Some(entry) = ingress.filter(|e| e.value.as_seq().is_some_and(|s| !s.is_empty())) {
            live.push(Located {
                value: LiveField::LoadBalancerIngress,
                origin: self.key_origin(entry, at),
            });
        }
        live.sort_by_key(|l| l.origin);
        live
    }
}

/// The kinds lbplan builds objects for. A kind name alone is not enough: Knative also has a
/// `Service`, so the API group must match too.
#[derive(Debug, Clone, Copy)]
pub(super) enum Modelled {
    Service,
    Ingress,
    Workload(WorkloadKind),
    Pod,
    ControllerState(ControllerKind),
}

impl Modelled {
    /// Every modelled kind with the API groups it may come from.
    const ALL: [(&'static str, &'static [&'static str], Modelled); 8] = [
        ("Service", &[""], Modelled::Service),
        ("Pod", &[""], Modelled::Pod),
        (
            "Ingress",
            &["networking.k8s.io", "extensions"],
            Modelled::Ingress,
        ),
        (
            "Deployment",
            APPS,
            Modelled::Workload(WorkloadKind::Deployment),
        ),
        (
            "StatefulSet",
            APPS,
            Modelled::Workload(WorkloadKind::StatefulSet),
        ),
        (
            "ReplicaSet",
            APPS,
            Modelled::Workload(WorkloadKind::ReplicaSet),
        ),
        (
            "DaemonSet",
            APPS,
            Modelled::Workload(WorkloadKind::DaemonSet),
        ),
        (
            "LoadBalancerResource",
            &[
                "networking.tke.cloud.tencent.com",
                "networking.cloud.tencent.com",
            ],
            Modelled::ControllerState(ControllerKind::LoadBalancerResource),
        ),
    ];

    fn of(kind: &str, api_version: &str) -> Option<Modelled> {
        let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
        Modelled::ALL
            .iter()
            .find(|(k, groups, _)| *k == kind && groups.contains(&group))
            .map(|(_, _, m)| *m)
    }

    /// Whether lbplan models a kind of this name, for telling a manifest without `apiVersion`
    /// from other YAML.
    fn is_kind(kind: &str) -> bool {
        Modelled::ALL.iter().any(|(k, _, _)| *k == kind)
    }
}

const APPS: &[&str] = &["apps", "extensions"];
