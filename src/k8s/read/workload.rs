//! Reading workloads (their replicas and pod template) and Pods (their spec and status).

use super::Reader;
use crate::k8s::{
    Annotations, Labels, Meta, Pod, PodStatus, PodTemplate, Workload, WorkloadKind, keys,
};
use crate::source::Origin;
use crate::source::node::{Entry, Node};

impl Reader<'_> {
    pub(super) fn workload(
        &mut self,
        kind: WorkloadKind,
        spec: Option<&Entry>,
        at: Origin,
    ) -> Workload {
        let default_replicas = (kind != WorkloadKind::DaemonSet).then_some(1);
        let Some(spec) = self.mapping(spec, "spec", at) else {
            return Workload {
                kind,
                replicas: default_replicas,
                template: empty_template(at),
            };
        };
        let replicas_entry = spec.entry("replicas");
        let replicas = match self.integer(replicas_entry, "spec.replicas", at) {
            Some(n) if kind != WorkloadKind::DaemonSet => {
                if let Ok(n) = u32::try_from(n) {
                    Some(n)
                } else {
                    let origin = replicas_entry.map_or(at, |e| self.key_origin(e, at));
                    self.problem(
                        origin,
                        format!("`spec.replicas` must be 0 or more, found {n}"),
                    );
                    default_replicas
                }
            }
            _ => default_replicas,
        };
        let template = match spec.entry("template") {
            Some(entry) => self.template(entry, at),
            None => empty_template(at),
        };
        Workload {
            kind,
            replicas,
            template,
        }
    }

    /// `spec.template`: the pod template's labels, annotations and spec, located at its key.
    fn template(&mut self, entry: &Entry, at: Origin) -> PodTemplate {
        let template_at = self.key_origin(entry, at);
        let Some(template) = self.mapping(Some(entry), "spec.template", at) else {
            return empty_template(at);
        };
        let (labels, annotations) = match self.mapping(
            template.entry("metadata"),
            "spec.template.metadata",
            template_at,
        ) {
            Some(metadata) => (
                self.labels(
                    metadata.entry("labels"),
                    "spec.template.metadata.labels",
                    template_at,
                ),
                Annotations(self.string_map(
                    metadata.entry("annotations"),
                    "spec.template.metadata.annotations",
                    template_at,
                    keys::is_read_annotation,
                )),
            ),
            None => (Labels::new(), Annotations::default()),
        };
        self.pod_template(
            labels,
            annotations,
            template.entry("spec"),
            "spec.template.spec",
            template_at,
        )
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

    pub(super) fn pod(&mut self, node: &Node, meta: &Meta, at: Origin) -> Pod {
        let template = self.pod_template(
            meta.labels.clone(),
            meta.annotations.clone(),
            node.entry("spec"),
            "spec",
            at,
        );
        let status = self
            .mapping(node.entry("status"), "status", at)
            .map(|status| PodStatus {
                phase: status
                    .get("phase")
                    .and_then(Node::as_str)
                    .and_then(|p| p.parse().ok()),
                ready: status
                    .get("conditions")
                    .and_then(Node::as_seq)
                    .is_some_and(|conditions| conditions.iter().any(is_ready)),
                host_ip: status
                    .get("hostIP")
                    .and_then(Node::as_str)
                    .map(str::to_string),
            });
        Pod { template, status }
    }
}

/// The template of a workload without one: no labels, so no Service selects its pods.
fn empty_template(at: Origin) -> PodTemplate {
    PodTemplate {
        labels: Labels::new(),
        annotations: Annotations::default(),
        host_network: None,
        eni_ip: false,
        node_name: None,
        origin: at,
    }
}

/// A `Ready` condition with status `True`.
fn is_ready(condition: &Node) -> bool {
    condition.get("type").and_then(Node::as_str) == Some("Ready")
        && condition.get("status").and_then(Node::as_str) == Some("True")
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
