//! A YAML/JSON document as lbplan sees it: a small tree that borrows strings from the file text and
//! knows the span of every key and of every string it could borrow.
//!
//! Only the parts of a document that lbplan reads are built (see [`Shape`]); everything else is
//! skipped while parsing, which is what keeps large CRDs and ConfigMaps cheap.

use std::borrow::Cow;

use super::Span;

/// Which keys of a mapping to keep. `fields: None` keeps the whole subtree; a key `fields` does
/// not name is kept as the shape it `extends` keeps it (a shape that reads more of what another
/// reads, as exports read more than manifests, names only what it adds or reads differently).
pub struct Shape {
    pub fields: Option<&'static [(&'static str, &'static Shape)]>,
    pub extends: Option<&'static Shape>,
}

impl Shape {
    pub const ALL: Shape = Shape {
        fields: None,
        extends: None,
    };

    /// Keep `fields` and nothing else.
    pub const fn keep(fields: &'static [(&'static str, &'static Shape)]) -> Shape {
        Shape {
            fields: Some(fields),
            extends: None,
        }
    }

    /// Keep what `base` keeps, with `fields` added or read as given here.
    pub const fn extend(
        base: &'static Shape,
        fields: &'static [(&'static str, &'static Shape)],
    ) -> Shape {
        Shape {
            fields: Some(fields),
            extends: Some(base),
        }
    }

    /// The shape of `key`'s value, `None` to skip it. A field named `*suffix` keeps every key
    /// ending in `suffix` that no field names exactly.
    pub fn child(&self, key: &str) -> Option<&'static Shape> {
        match self.fields {
            None => Some(&ALL),
            Some(fields) => fields
                .iter()
                .find(|(k, _)| *k == key)
                .or_else(|| {
                    fields.iter().find(|(k, _)| {
                        k.strip_prefix('*')
                            .is_some_and(|suffix| key.ends_with(suffix))
                    })
                })
                .map(|(_, s)| *s)
                .or_else(|| self.extends.and_then(|base| base.child(key))),
        }
    }
}

static ALL: Shape = Shape::ALL;

/// Keep everything: for reading small files whole, such as the config.
pub static EVERYTHING: Shape = Shape::ALL;

/// The fields lbplan reads, for every kind it models (Service, Ingress, workloads, Pod, List).
/// Keys not listed here are parsed but never built.
pub static MANIFEST: Shape = Shape::keep(&[
    ("apiVersion", &ALL),
    ("kind", &ALL),
    ("metadata", &METADATA),
    ("spec", &SPEC),
    ("status", &STATUS),
    ("items", &MANIFEST),
    ("data", &DATA),
]);

/// The one ConfigMap key manifests give a cluster fact from (TKE's
/// `kube-system/tke-service-controller-config`); the rest of a ConfigMap's data is skipped.
pub(crate) static DATA: Shape = Shape::keep(&[("GlobalRouteDirectAccess", &ALL)]);

static METADATA: Shape = Shape::keep(&[
    ("name", &ALL),
    ("generateName", &ALL),
    ("namespace", &ALL),
    ("annotations", &ALL),
    ("labels", &ALL),
    ("deletionTimestamp", &ALL),
    // Ingresses: CCE's listener settings come from the earliest-created one; live objects
    // have it set (null where `kubectl create --dry-run -o yaml` writes a manifest).
    ("creationTimestamp", &ALL),
]);

/// Service, Ingress, workload and pod specs share one shape: their field names do not collide in
/// ways that matter, and one shape keeps the parser free of kind-dependent state.
pub(crate) static SPEC: Shape = Shape::keep(&[
    // Service
    ("type", &ALL),
    ("ports", &ALL),
    ("selector", &ALL),
    ("externalTrafficPolicy", &ALL),
    ("externalIPs", &ALL),
    ("loadBalancerClass", &ALL),
    ("allocateLoadBalancerNodePorts", &ALL),
    // Ingress
    ("ingressClassName", &ALL),
    ("rules", &ALL),
    ("tls", &ALL),
    ("defaultBackend", &ALL),
    ("backend", &ALL),
    // workloads
    ("replicas", &ALL),
    ("template", &TEMPLATE),
    // the pod templates of kinds lbplan does not model (a LeaderWorkerSet's
    // `leaderWorkerTemplate.workerTemplate`), for their labels
    ("*Template", &NESTED_TEMPLATE),
    // pods
    ("nodeName", &ALL),
    ("hostNetwork", &ALL),
    ("containers", &CONTAINER),
]);

pub(crate) static TEMPLATE: Shape = Shape::keep(&[("metadata", &METADATA), ("spec", &SPEC)]);

/// A key ending in `Template`: a pod template, or one holding pod templates (a CronJob's
/// `jobTemplate.spec.template`).
static NESTED_TEMPLATE: Shape = Shape::keep(&[
    ("metadata", &METADATA),
    ("spec", &NESTED_SPEC),
    ("*template", &NESTED_TEMPLATE),
    ("*Template", &NESTED_TEMPLATE),
]);

static NESTED_SPEC: Shape = Shape::keep(&[
    ("*template", &NESTED_TEMPLATE),
    ("*Template", &NESTED_TEMPLATE),
]);

pub(crate) static CONTAINER: Shape = Shape::keep(&[("name", &ALL), ("resources", &ALL)]);

pub(crate) static STATUS: Shape = Shape::keep(&[
    ("phase", &ALL),
    ("conditions", &ALL),
    ("hostIP", &ALL),
    ("podIP", &ALL),
    // A Service's load-balancer addresses: a dump of a live object has them.
    ("loadBalancer", &LOAD_BALANCER_STATUS),
]);

static LOAD_BALANCER_STATUS: Shape = Shape::keep(&[("ingress", &ALL)]);

/// A value and, where it is a string borrowed from the text, its span. Mappings and sequences take
/// the span of their first key or item, so a document's span is where its content starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    pub value: Value<'a>,
    pub span: Option<Span>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Cow<'a, str>),
    Seq(Vec<Node<'a>>),
    Map(Vec<Entry<'a>>),
    /// Present in the document but outside the [`Shape`]: not built.
    Skipped,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry<'a> {
    pub key: Cow<'a, str>,
    pub key_span: Option<Span>,
    pub value: Node<'a>,
}

impl<'a> Node<'a> {
    pub fn new(value: Value<'a>, span: Option<Span>) -> Self {
        Node { value, span }
    }

    pub fn as_map(&self) -> Option<&[Entry<'a>]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node<'a>]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// The first entry with this key (later duplicates are reported by the reader).
    pub fn entry(&self, key: &str) -> Option<&Entry<'a>> {
        self.as_map()?.iter().find(|e| e.key == key)
    }

    pub fn get(&self, key: &str) -> Option<&Node<'a>> {
        self.entry(key).map(|e| &e.value)
    }

    /// A short name for the value's type, for messages such as "expected a list, found a string".
    pub fn type_name(&self) -> &'static str {
        match &self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
            Value::Skipped => "a value",
        }
    }

    /// The scalar as Kubernetes would print it, for values that should have been strings.
    pub fn scalar_text(&self) -> Option<Cow<'_, str>> {
        match &self.value {
            Value::Str(s) => Some(Cow::Borrowed(s)),
            Value::Bool(b) => Some(Cow::Owned(b.to_string())),
            Value::Int(i) => Some(Cow::Owned(i.to_string())),
            Value::Float(f) => Some(Cow::Owned(f.to_string())),
            Value::Null => Some(Cow::Borrowed("")),
            _ => None,
        }
    }
}
