//! Pod templates in objects of kinds lbplan does not model (a LeaderWorkerSet, an Argo Rollout, an
//! OpenKruise CloneSet): lbplan cannot plan their pods, but a Service selecting them does have
//! pods, so "matches nothing" (LB211) would be wrong. Read leniently: a label that is not a
//! string is skipped, never a problem, since Kubernetes' own checks of these kinds are unknown.

use super::Reader;
use crate::k8s::Labels;
use crate::source::Origin;
use crate::source::node::Node;

/// An object of a kind lbplan does not model whose pod templates carry labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnmodelledPods {
    /// `Kind/namespace/name`.
    pub label: String,
    pub namespace: String,
    /// The labels of each pod template (`metadata.labels` under a key ending in `template` or
    /// `Template`).
    pub templates: Vec<Labels>,
    pub origin: Origin,
}

/// How deep under `spec` templates are looked for (a LeaderWorkerSet's are at
/// `spec.leaderWorkerTemplate.workerTemplate`).
const DEPTH: usize = 4;

impl Reader<'_> {
    /// Note the pod templates of an object of kind `kind`, which lbplan does not model.
    pub(super) fn unmodelled(&mut self, node: &Node, kind: &str, at: Origin) {
        let Some(metadata) = node.get("metadata") else {
            return;
        };
        let Some(name) = metadata.get("name").and_then(Node::as_str) else {
            return;
        };
        let namespace = metadata
            .get("namespace")
            .and_then(Node::as_str)
            .unwrap_or("default");
        let mut templates = Vec::new();
        if let Some(spec) = node.get("spec") {
            collect(spec, DEPTH, &mut templates);
        }
        if templates.is_empty() {
            return;
        }
        self.out.unmodelled.push(UnmodelledPods {
            label: format!("{kind}/{namespace}/{name}"),
            namespace: namespace.to_string(),
            templates,
            origin: at,
        });
    }
}

/// The labels of every template under `node`, down to `depth` levels.
fn collect(node: &Node, depth: usize, out: &mut Vec<Labels>) {
    let Some(entries) = node.as_map() else {
        return;
    };
    for entry in entries {
        let key = entry.key.as_ref();
        if key.ends_with("template") || key.ends_with("Template") {
            let labels: Labels = entry
                .value
                .get("metadata")
                .and_then(|m| m.get("labels"))
                .and_then(Node::as_map)
                .unwrap_or_default()
                .iter()
                .filter_map(|e| Some((e.key.to_string(), e.value.scalar_text()?.into_owned())))
                .collect();
            if !labels.is_empty() {
                out.push(labels);
            }
        }
        if depth > 0 {
            collect(&entry.value, depth - 1, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::k8s::read::read_text;

    fn templates(text: &str) -> Vec<(String, Vec<String>)> {
        let out = read_text(text);
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        out.unmodelled
            .iter()
            .map(|u| {
                let labels = u
                    .templates
                    .iter()
                    .map(|l| {
                        l.iter()
                            .map(|(k, v)| format!("{k}={v}"))
                            .collect::<Vec<_>>()
                            .join(",")
                    })
                    .collect();
                (u.label.clone(), labels)
            })
            .collect()
    }

    /// Pod templates under any key ending in `template` or `Template`, nested or not, are kept
    /// by the parser's shape and read; a kind lbplan models, or one without templates, is not.
    #[test]
    fn pod_templates_of_unmodelled_kinds_are_read() {
        let text = "\
apiVersion: leaderworkerset.x-k8s.io/v1
kind: LeaderWorkerSet
metadata: {name: lws, namespace: ml}
spec:
  leaderWorkerTemplate:
    leaderTemplate:
      metadata: {labels: {role: leader}}
    workerTemplate:
      metadata: {labels: {role: worker, port: 8000}}
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web}
spec:
  template:
    metadata: {labels: {app: web}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: report}
spec:
  jobTemplate:
    spec:
      template:
        metadata: {labels: {job: report}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: plain}
data: {template: x}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: modelled}
spec:
  template:
    metadata: {labels: {app: modelled}}
";
        assert_eq!(
            templates(text),
            [
                (
                    "LeaderWorkerSet/ml/lws".to_string(),
                    vec![
                        "role=leader".to_string(),
                        "port=8000,role=worker".to_string()
                    ]
                ),
                (
                    "Rollout/default/web".to_string(),
                    vec!["app=web".to_string()]
                ),
                (
                    "CronJob/default/report".to_string(),
                    vec!["job=report".to_string()]
                ),
            ]
        );
    }
}
