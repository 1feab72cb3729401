//! From a document's [`Node`] tree to typed [`Object`]s.
//!
//! Reading is lenient: a wrong type in one field (`port: "eighty"`, annotations that are a string)
//! becomes a located [`Problem`] and only that field is dropped, so the rest of the object is still
//! planned and linted. Documents that are not Kubernetes objects, and kinds lbplan does not model,
//! are skipped quietly.

use super::{
    Annotation, Annotations, Ingress, IngressBackend, Labels, Located, Meta, Object, Pod,
    PodStatus, PodTemplate, Protocol, RawValue, Service, ServicePort, Spec, Workload, WorkloadKind,
    keys,
};
use crate::source::node::{Entry, Node, Value};
use crate::source::{FileId, Origin, Span};

/// Something in a document that Kubernetes would refuse, found while reading it.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub origin: Origin,
    pub message: String,
    /// Another place the problem involves, such as the first of two duplicate keys.
    pub related: Option<(Origin, String)>,
}

/// What a file's documents held.
#[derive(Debug, Default)]
pub struct ReadOutcome {
    /// The objects lbplan models.
    pub objects: Vec<Object>,
    /// Every Kubernetes object seen (modelled or not), counting `List` items.
    pub kubernetes_objects: usize,
    pub problems: Vec<Problem>,
}

/// Read one parsed document. `start` is where the document's text begins, for documents whose
/// root has no borrowed key to point at.
/// `text` is the whole file, for finding values that were not written verbatim.
pub fn read_document(file: FileId, text: &str, root: &Node, start: Origin, out: &mut ReadOutcome) {
    let mut reader = Reader { file, text, out };
    reader.object(root, None, start);
}

struct Reader<'o> {
    file: FileId,
    text: &'o str,
    out: &'o mut ReadOutcome,
}

/// A mapping's entries, looked up by key (the first of duplicates; those are reported apart).
#[derive(Clone, Copy)]
struct Fields<'n, 'a>(&'n [Entry<'a>]);

impl<'n, 'a> Fields<'n, 'a> {
    fn entry(self, key: &str) -> Option<&'n Entry<'a>> {
        self.0.iter().find(|e| e.key == key)
    }

    fn get(self, key: &str) -> Option<&'n Node<'a>> {
        self.entry(key).map(|e| &e.value)
    }
}

/// Kind and apiVersion a typed list (`PodList`) lends to items that omit them.
type Inherited<'n> = Option<(&'n str, &'n str)>;

impl Reader<'_> {
    fn origin(&self, span: Option<Span>, fallback: Origin) -> Origin {
        span.map_or(fallback, |s| Origin::new(self.file, s))
    }

    fn key_origin(&self, entry: &Entry, fallback: Origin) -> Origin {
        self.origin(entry.key_span, fallback)
    }

    fn value_origin(&self, entry: &Entry, fallback: Origin) -> Origin {
        self.origin(entry.value.span.or(entry.key_span), fallback)
    }

    fn problem(&mut self, origin: Origin, message: String) {
        self.out.problems.push(Problem {
            origin,
            message,
            related: None,
        });
    }

    fn wrong_type(&mut self, entry: &Entry, path: &str, expected: &str, at: Origin) {
        let origin = self.value_origin(entry, at);
        let found = entry.value.type_name();
        self.problem(
            origin,
            format!("`{path}` must be {expected}, found {found}"),
        );
    }

    /// The entries of a mapping, with duplicate keys reported. `None` when `entry` is absent or
    /// null (silently) or not a mapping (reported).
    fn mapping<'n, 'a>(
        &mut self,
        entry: Option<&'n Entry<'a>>,
        path: &str,
        at: Origin,
    ) -> Option<&'n [Entry<'a>]> {
        let entry = entry?;
        match &entry.value.value {
            Value::Map(entries) => {
                self.duplicates(entries, path, at);
                Some(entries)
            }
            Value::Null => None,
            _ => {
                self.wrong_type(entry, path, "a mapping", at);
                None
            }
        }
    }

    fn sequence<'n, 'a>(
        &mut self,
        entry: Option<&'n Entry<'a>>,
        path: &str,
        at: Origin,
    ) -> Option<&'n [Node<'a>]> {
        let entry = entry?;
        match &entry.value.value {
            Value::Seq(items) => Some(items),
            Value::Null => None,
            _ => {
                self.wrong_type(entry, path, "a list", at);
                None
            }
        }
    }

    fn string(&mut self, entry: Option<&Entry>, path: &str, at: Origin) -> Option<Located<String>> {
        let entry = entry?;
        match &entry.value.value {
            Value::Str(s) => Some(Located {
                value: s.to_string(),
                origin: self.key_origin(entry, at),
            }),
            Value::Null => None,
            _ => {
                self.wrong_type(entry, path, "a string", at);
                None
            }
        }
    }

    fn integer(&mut self, entry: Option<&Entry>, path: &str, at: Origin) -> Option<i64> {
        let entry = entry?;
        match &entry.value.value {
            Value::Int(i) => Some(*i),
            Value::Null => None,
            _ => {
                self.wrong_type(entry, path, "an integer", at);
                None
            }
        }
    }

    fn boolean(&mut self, entry: Option<&Entry>, path: &str, at: Origin) -> Option<bool> {
        let entry = entry?;
        match &entry.value.value {
            Value::Bool(b) => Some(*b),
            Value::Null => None,
            _ => {
                self.wrong_type(entry, path, "true or false", at);
                None
            }
        }
    }

    fn duplicates(&mut self, entries: &[Entry], path: &str, at: Origin) {
        if entries.len() < 2 {
            return;
        }
        for (i, entry) in entries.iter().enumerate() {
            if let Some(first) = entries.iter().take(i).find(|e| e.key == entry.key) {
                let origin = self.key_origin(entry, at);
                let first_origin = self.key_origin(first, at);
                self.out.problems.push(Problem {
                    origin,
                    message: format!(
                        "duplicate key `{}` in `{path}`: Kubernetes refuses the object",
                        entry.key
                    ),
                    related: Some((first_origin, "first defined here".into())),
                });
            }
        }
    }

    /// A map of strings (annotations, labels, selectors). Values that are scalars but not strings
    /// (`multicluster: true` unquoted) are reported and read as their text, since quoting is the
    /// whole fix and the other rules should still see the value.
    /// `keep` decides which entries are kept once checked: memory goes to what the rules read.
    fn string_map(
        &mut self,
        entry: Option<&Entry>,
        path: &str,
        at: Origin,
        keep: fn(&str) -> bool,
    ) -> Vec<Annotation> {
        let Some(entries) = self.mapping(entry, path, at) else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(entries.len());
        for (i, e) in entries.iter().enumerate() {
            let origin = self.key_origin(e, at);
            let value = match &e.value.value {
                Value::Str(s) => match yaml11_bool(s).filter(|_| self.is_plain(e.value.span)) {
                    // kubectl parses YAML 1.1, where an unquoted `yes` or `on` is a boolean: the
                    // object is refused, and quoting the word it meant is the fix.
                    Some(b) => {
                        self.problem(
                            origin,
                            format!(
                                "`{path}.{}`: unquoted `{s}` is the boolean {b} to kubectl (YAML 1.1), which refuses it as a string value; quote it as \"{b}\"",
                                e.key
                            ),
                        );
                        b.to_string()
                    }
                    None => s.to_string(),
                },
                Value::Map(_) | Value::Seq(_) | Value::Skipped => {
                    self.wrong_type(e, &format!("{path}.{}", e.key), "a string", at);
                    continue;
                }
                _ => {
                    let text = e.value.scalar_text().unwrap_or_default().into_owned();
                    let found = e.value.type_name();
                    self.problem(
                        origin,
                        format!(
                            "`{path}.{}` must be a string, found {found}: quote it as \"{text}\"",
                            e.key
                        ),
                    );
                    text
                }
            };
            if !keep(&e.key) {
                continue;
            }
            let raw = match (e.value.span, e.key_span) {
                // Entries are looked up in short list-like values (protocol-port, ignore lists);
                // long folded values, such as JSON blobs, are not worth a second copy.
                (None, Some(key)) if value.len() <= RAW_LIMIT => {
                    let next = entries.get(i + 1).and_then(|n| n.key_span);
                    raw_region(self.text, key, next).map(|span| RawValue {
                        origin: Origin::new(self.file, span),
                        text: self
                            .text
                            .get(span.start..span.end)
                            .unwrap_or("")
                            .to_string(),
                    })
                }
                _ => None,
            };
            out.push(Annotation {
                key: e.key.to_string(),
                value,
                origin,
                value_origin: e.value.span.map(|s| Origin::new(self.file, s)),
                raw,
            });
        }
        out
    }

    /// Whether a string with this span was written without quotes.
    fn is_plain(&self, span: Option<Span>) -> bool {
        span.is_some_and(|s| {
            let before = s
                .start
                .checked_sub(1)
                .and_then(|i| self.text.as_bytes().get(i));
            !matches!(before, Some(b'"' | b'\''))
        })
    }

    fn labels(&mut self, entry: Option<&Entry>, path: &str, at: Origin) -> Labels {
        self.string_map(entry, path, at, |_| true)
            .into_iter()
            .map(|a| (a.key, a.value))
            .collect()
    }

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
                if MODELLED_KINDS.contains(&kind) && node.entry("metadata").is_some() {
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
            return;
        };
        self.duplicates(entries, kind, at);
        let Some(meta) = self.meta(node, at) else {
            return;
        };
        let spec_entry = node.entry("spec");
        let spec = match modelled {
            Modelled::Service => Spec::Service(self.service(spec_entry, at)),
            Modelled::Ingress => Spec::Ingress(self.ingress(spec_entry, at)),
            Modelled::Workload(kind) => Spec::Workload(self.workload(kind, spec_entry, at)),
            Modelled::Pod => Spec::Pod(self.pod(node, &meta, at)),
        };
        self.out.objects.push(Object {
            kind: kind.to_string(),
            meta,
            spec,
            origin: at,
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
        let meta_node = Fields(metadata);
        let name = self
            .string(meta_node.entry("name"), "metadata.name", at)
            .map(|n| n.value)
            .or_else(|| {
                meta_node
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
            .string(meta_node.entry("namespace"), "metadata.namespace", at)
            .map_or_else(|| "default".to_string(), |n| n.value);
        let annotations = Annotations(self.string_map(
            meta_node.entry("annotations"),
            "metadata.annotations",
            at,
            keys::is_read_annotation,
        ));
        let labels = self.labels(meta_node.entry("labels"), "metadata.labels", at);
        let terminating = meta_node
            .get("deletionTimestamp")
            .is_some_and(|n| !n.is_null());
        Some(Meta {
            name,
            namespace,
            annotations,
            labels,
            terminating,
        })
    }

    fn service(&mut self, spec: Option<&Entry>, at: Origin) -> Service {
        let mut service = Service {
            service_type: None,
            ports: Vec::new(),
            selector: None,
            selector_origin: None,
            external_traffic_policy: None,
            external_ips: Vec::new(),
        };
        let Some(spec) = self.mapping(spec, "spec", at) else {
            return service;
        };
        let spec = Fields(spec);
        service.service_type = self
            .string(spec.entry("type"), "spec.type", at)
            .and_then(parsed);
        if let Some(ports) = self.sequence(spec.entry("ports"), "spec.ports", at) {
            for (i, port) in ports.iter().enumerate() {
                if let Some(port) = self.service_port(port, i, at) {
                    service.ports.push(port);
                }
            }
        }
        let selector = self.labels(spec.entry("selector"), "spec.selector", at);
        service.selector = (!selector.is_empty()).then_some(selector);
        service.selector_origin = spec.entry("selector").map(|e| self.key_origin(e, at));

        service.external_traffic_policy = self
            .string(
                spec.entry("externalTrafficPolicy"),
                "spec.externalTrafficPolicy",
                at,
            )
            .and_then(parsed);
        if let Some(ips) = self.sequence(spec.entry("externalIPs"), "spec.externalIPs", at) {
            for (i, ip) in ips.iter().enumerate() {
                match ip.as_str() {
                    Some(s) => service.external_ips.push(Located {
                        value: s.to_string(),
                        origin: self.origin(ip.span, at),
                    }),
                    None => self.problem(
                        self.origin(ip.span, at),
                        format!(
                            "`spec.externalIPs[{i}]` must be a string, found {}",
                            ip.type_name()
                        ),
                    ),
                }
            }
        }
        // Checked, since Kubernetes refuses a non-string class, but not kept: no rule reads it.
        self.string(
            spec.entry("loadBalancerClass"),
            "spec.loadBalancerClass",
            at,
        );
        service
    }

    fn service_port(&mut self, node: &Node, i: usize, at: Origin) -> Option<ServicePort> {
        let path = format!("spec.ports[{i}]");
        let item_at = self.origin(node.span, at);
        let Some(entries) = node.as_map() else {
            self.problem(
                item_at,
                format!("`{path}` must be a mapping, found {}", node.type_name()),
            );
            return None;
        };
        self.duplicates(entries, &path, item_at);
        let port_entry = node.entry("port");
        let origin = port_entry.map_or(item_at, |e| self.key_origin(e, item_at));
        let number = match self.integer(port_entry, &format!("{path}.port"), item_at) {
            Some(n) => n,
            None => {
                if port_entry.is_none() {
                    self.problem(item_at, format!("`{path}` has no `port`"));
                }
                return None;
            }
        };
        let Ok(port) = u16::try_from(number)
            .map_err(drop)
            .and_then(|p| if p == 0 { Err(()) } else { Ok(p) })
        else {
            self.problem(
                origin,
                format!("`{path}.port` must be 1-65535, found {number}"),
            );
            return None;
        };
        let protocol =
            match self.string(node.entry("protocol"), &format!("{path}.protocol"), item_at) {
                None => Protocol::Tcp,
                Some(p) => match p.value.as_str() {
                    "TCP" => Protocol::Tcp,
                    "UDP" => Protocol::Udp,
                    "SCTP" => Protocol::Sctp,
                    other => {
                        self.problem(
                            p.origin,
                            format!(
                                "`{path}.protocol` must be TCP, UDP or SCTP, found \"{other}\""
                            ),
                        );
                        return None;
                    }
                },
            };
        let name = node.get("name").and_then(Node::as_str).map(str::to_string);
        Some(ServicePort {
            name,
            port,
            protocol,
            origin,
        })
    }

    fn ingress(&mut self, spec: Option<&Entry>, at: Origin) -> Ingress {
        let mut ingress = Ingress {
            class_name: None,
            tls: None,
            backends: Vec::new(),
        };
        let Some(spec) = self.mapping(spec, "spec", at) else {
            return ingress;
        };
        let spec = Fields(spec);
        ingress.class_name = self
            .string(spec.entry("ingressClassName"), "spec.ingressClassName", at)
            .map(|c| c.value);
        if let Some(tls_entry) = spec.entry("tls") {
            if let Some(tls) = self.sequence(Some(tls_entry), "spec.tls", at) {
                if !tls.is_empty() {
                    ingress.tls = Some(self.key_origin(tls_entry, at));
                }
            }
        }
        for key in ["defaultBackend", "backend"] {
            if let Some(backend) = spec.entry(key) {
                self.ingress_backend(&backend.value, &format!("spec.{key}"), at, &mut ingress);
            }
        }
        if let Some(rules) = self.sequence(spec.entry("rules"), "spec.rules", at) {
            for (r, rule) in rules.iter().enumerate() {
                let Some(http) = rule.get("http") else {
                    continue;
                };
                let Some(paths) = http.get("paths").and_then(Node::as_seq) else {
                    continue;
                };
                for (p, path) in paths.iter().enumerate() {
                    if let Some(backend) = path.get("backend") {
                        let where_ = format!("spec.rules[{r}].http.paths[{p}].backend");
                        self.ingress_backend(backend, &where_, at, &mut ingress);
                    }
                }
            }
        }
        ingress
    }

    /// `backend.service.name` (networking.k8s.io/v1) or `backend.serviceName` (v1beta1).
    fn ingress_backend(&mut self, backend: &Node, path: &str, at: Origin, ingress: &mut Ingress) {
        let entry = backend
            .get("service")
            .and_then(|s| s.entry("name"))
            .or_else(|| backend.entry("serviceName"));
        let Some(entry) = entry else { return };
        match entry.value.as_str() {
            Some(name) => {
                let origin = self.value_origin(entry, at);
                if !ingress.backends.iter().any(|b| b.service == name) {
                    ingress.backends.push(IngressBackend {
                        service: name.to_string(),
                        origin,
                    });
                }
            }
            None => self.wrong_type(entry, &format!("{path}.service.name"), "a string", at),
        }
    }

    fn workload(&mut self, kind: WorkloadKind, spec: Option<&Entry>, at: Origin) -> Workload {
        let empty_template = PodTemplate {
            labels: Labels::new(),
            annotations: Annotations::default(),
            host_network: None,
            eni_ip: false,
            node_name: None,
            origin: at,
        };
        let default_replicas = (kind != WorkloadKind::DaemonSet).then_some(1);
        let Some(spec) = self.mapping(spec, "spec", at) else {
            return Workload {
                kind,
                replicas: default_replicas,
                template: empty_template,
            };
        };
        let spec = Fields(spec);
        let replicas = match self.integer(spec.entry("replicas"), "spec.replicas", at) {
            Some(n) if kind != WorkloadKind::DaemonSet => match u32::try_from(n) {
                Ok(n) => Some(n),
                Err(_) => {
                    let origin = spec
                        .entry("replicas")
                        .map_or(at, |e| self.key_origin(e, at));
                    self.problem(
                        origin,
                        format!("`spec.replicas` must be 0 or more, found {n}"),
                    );
                    default_replicas
                }
            },
            _ => default_replicas,
        };
        let template = match spec.entry("template") {
            Some(entry) => {
                let template_at = self.key_origin(entry, at);
                match self.mapping(Some(entry), "spec.template", at) {
                    Some(t) => {
                        let t = Fields(t);
                        let (labels, annotations) = match self.mapping(
                            t.entry("metadata"),
                            "spec.template.metadata",
                            template_at,
                        ) {
                            Some(m) => {
                                let m = Fields(m);
                                (
                                    self.labels(
                                        m.entry("labels"),
                                        "spec.template.metadata.labels",
                                        template_at,
                                    ),
                                    Annotations(self.string_map(
                                        m.entry("annotations"),
                                        "spec.template.metadata.annotations",
                                        template_at,
                                        keys::is_read_annotation,
                                    )),
                                )
                            }
                            None => (Labels::new(), Annotations::default()),
                        };
                        self.pod_template(
                            labels,
                            annotations,
                            t.entry("spec"),
                            "spec.template.spec",
                            template_at,
                        )
                    }
                    None => empty_template,
                }
            }
            None => empty_template,
        };
        Workload {
            kind,
            replicas,
            template,
        }
    }

    fn pod_template(
        &mut self,
        labels: Labels,
        annotations: Annotations,
        spec: Option<&Entry>,
        path: &str,
        at: Origin,
    ) -> PodTemplate {
        let mut template = PodTemplate {
            labels,
            annotations,
            host_network: None,
            eni_ip: false,
            node_name: None,
            origin: at,
        };
        let Some(spec) = self.mapping(spec, path, at) else {
            return template;
        };
        let spec = Fields(spec);
        let host_network = spec.entry("hostNetwork");
        if self.boolean(host_network, &format!("{path}.hostNetwork"), at) == Some(true) {
            template.host_network = host_network.map(|e| self.key_origin(e, at));
        }
        template.node_name = self
            .string(spec.entry("nodeName"), &format!("{path}.nodeName"), at)
            .map(|n| n.value);
        if let Some(containers) =
            self.sequence(spec.entry("containers"), &format!("{path}.containers"), at)
        {
            template.eni_ip = containers.iter().any(requests_and_limits_eni_ip);
        }
        template
    }

    fn pod(&mut self, node: &Node, meta: &Meta, at: Origin) -> Pod {
        let template = self.pod_template(
            meta.labels.clone(),
            meta.annotations.clone(),
            node.entry("spec"),
            "spec",
            at,
        );
        let status = match self.mapping(node.entry("status"), "status", at) {
            Some(entries) => {
                let status = Fields(entries);
                let ready =
                    status
                        .get("conditions")
                        .and_then(Node::as_seq)
                        .is_some_and(|conditions| {
                            conditions.iter().any(|c| {
                                c.get("type").and_then(Node::as_str) == Some("Ready")
                                    && c.get("status").and_then(Node::as_str) == Some("True")
                            })
                        });
                Some(PodStatus {
                    phase: status
                        .get("phase")
                        .and_then(Node::as_str)
                        .and_then(|p| p.parse().ok()),
                    ready,
                    host_ip: status
                        .get("hostIP")
                        .and_then(Node::as_str)
                        .map(str::to_string),
                })
            }
            None => None,
        };
        Pod { template, status }
    }
}

/// A string field as one of the values Kubernetes defines for it; `None` for any other.
fn parsed<T: std::str::FromStr>(text: Located<String>) -> Option<Located<T>> {
    Some(Located {
        value: text.value.parse().ok()?,
        origin: text.origin,
    })
}

/// Longest value whose source region is kept for locating entries inside it.
const RAW_LIMIT: usize = 4096;

/// YAML 1.1 boolean words that YAML 1.2 (and so lbplan's parser) reads as strings.
fn yaml11_bool(word: &str) -> Option<bool> {
    match word {
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => Some(true),
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => Some(false),
        _ => None,
    }
}

/// The source of a value that was not written verbatim: from the end of its key to the next key of
/// the mapping, or to the first line indented no deeper than the key (at most 64 KiB).
fn raw_region(text: &str, key: Span, next_key: Option<Span>) -> Option<Span> {
    const LIMIT: usize = 64 * 1024;
    let start = key.end;
    let end = match next_key.filter(|n| n.start > start) {
        Some(next) => next.start,
        None => {
            let line_start = text.get(..key.start)?.rfind('\n').map_or(0, |i| i + 1);
            let indent = key.start - line_start;
            let rest = text.get(start..)?;
            let mut offset = start;
            let mut end = text.len();
            for (i, line) in rest.split_inclusive('\n').enumerate() {
                let body = line.trim_start_matches([' ', '\t']);
                if i > 0 && !body.trim().is_empty() && line.len() - body.len() <= indent {
                    end = offset;
                    break;
                }
                offset += line.len();
            }
            end
        }
    };
    let end = end.min(start + LIMIT).min(text.len());
    (end > start).then_some(Span::new(start, end))
}

fn requests_and_limits_eni_ip(container: &Node) -> bool {
    let Some(resources) = container.get("resources") else {
        return false;
    };
    ["requests", "limits"].iter().all(|section| {
        resources
            .get(section)
            .and_then(|s| s.get(keys::TKE_ENI_IP_RESOURCE))
            .and_then(Node::scalar_text)
            .is_some_and(|v| v.trim().parse::<u32>().is_ok_and(|n| n >= 1))
    })
}

/// Kinds lbplan models, for telling a manifest without `apiVersion` from other YAML.
const MODELLED_KINDS: [&str; 7] = [
    "Service",
    "Ingress",
    "Deployment",
    "StatefulSet",
    "ReplicaSet",
    "DaemonSet",
    "Pod",
];

/// The kinds lbplan builds objects for. A kind name alone is not enough: Knative also has a
/// `Service`, so the API group must match too.
#[derive(Debug, Clone, Copy)]
enum Modelled {
    Service,
    Ingress,
    Workload(WorkloadKind),
    Pod,
}

impl Modelled {
    fn of(kind: &str, api_version: &str) -> Option<Modelled> {
        let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
        let apps = matches!(group, "apps" | "extensions");
        match kind {
            "Service" if group.is_empty() => Some(Modelled::Service),
            "Pod" if group.is_empty() => Some(Modelled::Pod),
            "Ingress" if matches!(group, "networking.k8s.io" | "extensions") => {
                Some(Modelled::Ingress)
            }
            "Deployment" if apps => Some(Modelled::Workload(WorkloadKind::Deployment)),
            "StatefulSet" if apps => Some(Modelled::Workload(WorkloadKind::StatefulSet)),
            "ReplicaSet" if apps => Some(Modelled::Workload(WorkloadKind::ReplicaSet)),
            "DaemonSet" if apps => Some(Modelled::Workload(WorkloadKind::DaemonSet)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::node::MANIFEST;
    use crate::source::yaml::parse_yaml;

    fn read(text: &str) -> ReadOutcome {
        let mut out = ReadOutcome::default();
        for doc in parse_yaml(text, &MANIFEST) {
            let node = doc.result.expect("parses");
            let start = Origin::new(FileId(0), doc.span);
            read_document(FileId(0), text, &node, start, &mut out);
        }
        out
    }

    fn line_of(text: &str, origin: Origin) -> usize {
        text[..origin.span.start].matches('\n').count() + 1
    }

    #[test]
    fn reads_a_load_balancer_service() {
        let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n    kubernetes.io/elb.id: abc\nspec:\n  type: LoadBalancer\n  selector: {app: web}\n  ports:\n  - name: http\n    port: 80\n  - port: 53\n    protocol: UDP\n";
        let out = read(text);
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        let svc = out.objects[0].as_service().expect("service");
        assert!(svc.is_load_balancer());
        assert_eq!(svc.ports.len(), 2);
        assert_eq!(line_of(text, svc.ports[0].origin), 12);
        assert_eq!(svc.ports[1].protocol, Protocol::Udp);
        assert_eq!(out.objects[0].meta.namespace, "default");
        assert_eq!(out.objects[0].label().to_string(), "Service/default/web");
    }

    #[test]
    fn wrong_types_are_problems_and_the_rest_is_kept() {
        let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n    kubernetes.io/elb.multicluster: true\nspec:\n  ports:\n  - port: \"eighty\"\n  - port: 443\n";
        let out = read(text);
        let messages: Vec<&str> = out.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(out.problems.len(), 2, "{messages:?}");
        assert!(messages[0].contains("quote it as \"true\""));
        assert!(messages[1].contains("`spec.ports[0].port` must be an integer"));
        assert_eq!(line_of(text, out.problems[1].origin), 9);
        let svc = out.objects[0].as_service().expect("service");
        assert_eq!(svc.ports.len(), 1);
        assert_eq!(
            out.objects[0]
                .annotations()
                .value("kubernetes.io/elb.multicluster"),
            Some("true")
        );
    }

    #[test]
    fn lists_and_typed_lists_yield_their_items() {
        let text = "apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: a}\n  spec: {nodeName: n1}\n  status:\n    phase: Running\n    conditions: [{type: Ready, status: \"True\"}]\n---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}\n";
        let out = read(text);
        assert_eq!(out.kubernetes_objects, 2);
        assert_eq!(out.objects.len(), 1);
        let Spec::Pod(pod) = &out.objects[0].spec else {
            panic!("pod")
        };
        assert!(pod.is_serving(false));
    }

    #[test]
    fn non_kubernetes_and_foreign_kinds_are_skipped_quietly() {
        let out = read(
            "replicaCount: 2\nimage: {tag: x}\n---\napiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: k}\n",
        );
        assert!(out.problems.is_empty());
        assert!(out.objects.is_empty());
        assert_eq!(out.kubernetes_objects, 1);
    }

    #[test]
    fn unquoted_yaml_1_1_booleans_are_booleans_to_kubectl() {
        let out = read(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  annotations:\n    lbplan.io/a: yes\n    lbplan.io/b: 'yes'\n    lbplan.io/c: off\n    other.io/d: on\n",
        );
        assert_eq!(out.problems.len(), 3, "{:?}", out.problems);
        let annotations = out.objects[0].annotations();
        assert_eq!(annotations.value("lbplan.io/a"), Some("true"));
        assert_eq!(annotations.value("lbplan.io/b"), Some("yes"));
        assert_eq!(annotations.value("lbplan.io/c"), Some("false"));
        assert_eq!(
            annotations.value("other.io/d"),
            None,
            "checked, then not kept"
        );
    }

    #[test]
    fn duplicate_annotation_keys_are_reported_with_the_first() {
        let out = read(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  annotations:\n    x: '1'\n    x: '2'\n",
        );
        assert_eq!(out.problems.len(), 1);
        assert!(out.problems[0].related.is_some());
    }

    #[test]
    fn missing_metadata_and_null_spec() {
        let out = read(
            "apiVersion: v1\nkind: Service\nspec: null\n---\napiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: null\n",
        );
        assert_eq!(out.problems.len(), 1);
        assert_eq!(out.objects.len(), 1);
    }

    #[test]
    fn entries_of_folded_values_are_found_in_the_source() {
        let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  annotations:\n    kubernetes.io/elb.protocol-port: \"https:443,\n      http:80,\n      http:8081\"\n    x: y\n";
        let out = read(text);
        let a = out.objects[0]
            .annotations()
            .get("kubernetes.io/elb.protocol-port")
            .expect("annotation");
        assert_eq!(a.value, "https:443, http:80, http:8081");
        let part = a.value.split(", ").nth(2).expect("entry");
        assert_eq!(line_of(text, a.origin_of(part)), 8);
        assert_eq!(
            line_of(
                text,
                a.origin_of(a.value.split(", ").nth(1).expect("entry"))
            ),
            7
        );
    }

    #[test]
    fn workload_template_and_eni_resources() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: 3\n  template:\n    metadata:\n      labels: {app: x}\n      annotations: {tke.cloud.tencent.com/networks: tke-route-eni}\n    spec:\n      containers:\n      - name: c\n        resources:\n          requests: {tke.cloud.tencent.com/eni-ip: \"1\"}\n          limits: {tke.cloud.tencent.com/eni-ip: \"1\"}\n";
        let out = read(text);
        let Spec::Workload(w) = &out.objects[0].spec else {
            panic!("workload")
        };
        assert_eq!(w.replicas, Some(3));
        assert!(w.template.eni_ip);
        assert_eq!(line_of(text, w.template.origin), 6);
    }
}
