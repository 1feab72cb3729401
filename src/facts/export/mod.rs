//! kubectl exports: read-only outputs a user makes of a live cluster (`kubectl get nodes -o yaml`,
//! `kubectl version -o yaml`, `kubectl get pods -A -o yaml`, kube-system ConfigMaps, DaemonSets
//! and Deployments). lbplan reads facts and observed pods from them; it never lints them as
//! manifests, and never echoes a ConfigMap's data.
//!
//! - `shape.rs`: the fields read; `observe.rs`: what one export shows;
//! - `infer.rs`: the facts a cluster's exports prove, from positive evidence only (provider,
//!   version, flavor, node IPs); `system.rs`: those of its kube-system objects (kube-proxy's mode,
//!   TKE's network, GlobalRouter direct access).
//!
//! An export is read by the same safe layer as manifests (regular files only, size limits): see
//! `load.rs`. One that is not what kubectl exports is an error naming it, and is not used.

mod infer;
mod observe;
mod shape;
mod system;
#[cfg(test)]
mod tests;

pub use infer::{ExportSeen, Inferred};
pub use observe::{Seen, ValueSeen};
pub use system::global_route_setting;

pub(crate) use infer::{flavor, nodes, provider, version};
pub(crate) use system::{global_route, network, proxy_mode};

use std::sync::Arc;

use crate::k8s::read::{ReadOutcome, read_document};
use crate::k8s::{Object, Spec};
use crate::source::discover::is_json;
use crate::source::node::Node;
use crate::source::yaml::{parse_json, parse_yaml};
use crate::source::{FileId, Origin, Span, decode, line_starts};

/// One export, read.
#[derive(Debug, Default)]
pub struct ExportRead {
    /// The text, kept when pods were read from it (findings about pods may point into it).
    pub text: Option<Arc<str>>,
    /// Its Pods: the cluster's observed pods.
    pub pods: Vec<Object>,
    pub seen: Seen,
    pub documents: usize,
    /// Kubernetes objects, counting list items, for the summary.
    pub objects: usize,
    /// Why it is not used: it is not what kubectl exports (`line 3: ...`).
    pub problem: Option<String>,
    /// It is empty (or only comments): nothing exported here, which `kubectl get ...
    /// --ignore-not-found` prints when the cluster has none of the objects asked for.
    pub empty: bool,
}

const EXPECTED: &str =
    "expected the output of `kubectl get ... -o yaml|json` or `kubectl version -o yaml|json`";

/// Read one export's bytes.
pub fn read(file: FileId, name: &str, bytes: Vec<u8>) -> ExportRead {
    let decoded = decode(bytes);
    let text = decoded.text;
    let line = |offset: usize| line_starts(&text).partition_point(|&s| s <= offset).max(1);
    let refuse = |problem: String| ExportRead {
        problem: Some(problem),
        ..ExportRead::default()
    };
    if decoded.binary {
        return refuse(format!("a binary file, not a kubectl export ({EXPECTED})"));
    }
    if let Some((offset, problem)) = decoded.problem {
        return refuse(format!("line {}: {problem}", line(offset)));
    }
    let documents = if is_json(name) {
        parse_json(&text, &shape::EXPORT)
    } else {
        parse_yaml(&text, &shape::EXPORT)
    };
    if documents.is_empty() {
        return ExportRead {
            empty: true,
            ..ExportRead::default()
        };
    }
    let mut seen = Seen::default();
    let mut outcome = ReadOutcome::default();
    for doc in &documents {
        let root = match &doc.result {
            Ok(root) => root,
            Err(err) => {
                return refuse(format!("line {}: {}", line(err.offset), err.message));
            }
        };
        if !is_kubectl_output(root) {
            let at = root.span.map_or(doc.span.start, |s| s.start);
            return refuse(format!(
                "line {}: not a kubectl export ({EXPECTED})",
                line(at)
            ));
        }
        seen.document(root, None);
        let start = Origin::new(file, Span::new(doc.span.start, doc.span.start));
        read_document(file, &text, root, start, &mut outcome);
    }
    // Exports are read, not linted: what the reader would report about their objects is not a
    // finding, and only their Pods are kept.
    let pods: Vec<Object> = std::mem::take(&mut outcome.objects)
        .into_iter()
        .filter(|o| matches!(o.spec, Spec::Pod(_)))
        .collect();
    let count = documents.len();
    drop(documents);
    ExportRead {
        text: (!pods.is_empty()).then(|| Arc::from(text)),
        pods,
        seen,
        documents: count,
        objects: outcome.kubernetes_objects,
        problem: None,
        empty: false,
    }
}

/// `GlobalRouteDirectAccess` of ConfigMap `kube-system/tke-service-controller-config` in a
/// manifest document (or a list of them).
pub fn manifest_global_route(root: &Node, out: &mut Vec<ValueSeen>) {
    let kind = root.get("kind").and_then(Node::as_str);
    if kind.is_some_and(|k| k.ends_with("List")) {
        for item in root
            .get("items")
            .and_then(Node::as_seq)
            .into_iter()
            .flatten()
        {
            manifest_global_route(item, out);
        }
        return;
    }
    if kind != Some("ConfigMap") {
        return;
    }
    let mut seen = Seen::default();
    seen.document(root, None);
    out.extend(seen.global_route);
}

/// A Kubernetes object or list (`apiVersion` and `kind`), or `kubectl version` output.
fn is_kubectl_output(root: &Node) -> bool {
    let object = root.get("kind").and_then(Node::as_str).is_some()
        && root.get("apiVersion").and_then(Node::as_str).is_some();
    object || root.entry("serverVersion").is_some() || root.entry("clientVersion").is_some()
}

/// Whether a manifest document is a dump of the cluster's pods: a `List` or `PodList` (what
/// `kubectl get pods -o yaml` prints) holding Pods, every one with a `status`. Its pods are
/// observed pods; a lone Pod with a status (a vendored test fixture, say) is not.
pub fn is_pod_dump(root: &Node) -> bool {
    let Some(kind) = root.get("kind").and_then(Node::as_str) else {
        return false;
    };
    let Some(item_kind) = kind.strip_suffix("List") else {
        return false;
    };
    let Some(items) = root.get("items").and_then(Node::as_seq) else {
        return false;
    };
    let pods: Vec<&Node> = items
        .iter()
        .filter(|item| {
            item.get("kind")
                .and_then(Node::as_str)
                .map_or(item_kind == "Pod", |k| k == "Pod")
        })
        .collect();
    !pods.is_empty()
        && pods
            .iter()
            .all(|p| p.get("status").is_some_and(|s| !s.is_null()))
}
