//! What the schema says of each key beyond its type: a description (editors show it on hover)
//! and the bounds the parser checks as it reads. Keyed by path (`clusters[].name`); a key
//! missing here is in the schema all the same, with its type only, and an entry whose key the
//! config no longer has fails the schema test.

use serde_json::Value;

/// (path, description, more schema keywords as JSON).
pub const KEYS: &[(&str, &str, &str)] = &[
    (
        "",
        "lbplan's configuration: cluster facts, inputs, rule levels. All keys are optional; paths and globs are relative to this file.",
        "",
    ),
    (
        "paths",
        "The files and folders to lint when the command line names none (default: the folder of this file).",
        "",
    ),
    (
        "exclude",
        "Globs (gitignore syntax) that folder walks skip.",
        "",
    ),
    (
        "default_exclude",
        "false: walk vendor/, testdata/, node_modules/ and the other built-in skipped folders too (default true).",
        "",
    ),
    (
        "weight_drift_threshold",
        "Percentage points a backend's share of traffic may drift from its intended share before LB208 fires (default 2).",
        r#"{"minimum": 0, "maximum": 100}"#,
    ),
    (
        "rules",
        "Rule levels, by code (LB101) or name (listener-conflict).",
        "",
    ),
    ("rules{}", "The rule's level; off silences it.", ""),
    (
        "render",
        "How Kustomize overlays and Helm charts are rendered.",
        "",
    ),
    (
        "render.kustomize",
        "auto (kustomize on PATH, else kubectl kustomize), off (no rendering), or a command: a path relative to this file, or a program on PATH.",
        r#"{"examples": ["auto", "off", "kustomize"]}"#,
    ),
    (
        "render.helm",
        "auto (helm on PATH, or --helm-bin / LBPLAN_HELM) or off (no chart rendered). Never a program path: only whoever runs lbplan names one.",
        r#"{"examples": ["auto", "off"]}"#,
    ),
    (
        "render.timeout",
        "Time limit of one render, in seconds.",
        r#"{"exclusiveMinimum": 0, "maximum": 86400}"#,
    ),
    (
        "clusters",
        "The clusters the manifests are deployed to (default: one, named default). With several, each needs paths.",
        "",
    ),
    (
        "clusters[].name",
        "The cluster's name, as findings and plans show it.",
        r#"{"pattern": "^[A-Za-z0-9._-]+$"}"#,
    ),
    (
        "clusters[].provider",
        "The cloud: Huawei Cloud CCE, China Telecom Cloud CCE or Tencent Cloud TKE.",
        "",
    ),
    (
        "clusters[].flavor",
        "The kind of cluster (CCE Turbo, serverless).",
        "",
    ),
    (
        "clusters[].version",
        "The cluster's Kubernetes version as the provider writes it, e.g. v1.28.8-r0.",
        "",
    ),
    ("clusters[].proxy_mode", "kube-proxy's mode.", ""),
    ("clusters[].network", "TKE: the container network mode.", ""),
    (
        "clusters[].global_route_direct_access",
        "TKE: whether direct access is allowed in a GlobalRouter cluster (GlobalRouteDirectAccess in ConfigMap kube-system/tke-service-controller-config).",
        "",
    ),
    (
        "clusters[].paths",
        "The files and folders that belong to this cluster (required when there are several clusters). The most specific cluster holding a file takes it.",
        "",
    ),
    (
        "clusters[].pods",
        "A pod snapshot: an export that is the cluster's pods even when it lists none.",
        "",
    ),
    (
        "clusters[].exports",
        "kubectl exports of the cluster (nodes, version, pods, kube-system objects).",
        "",
    ),
    (
        "clusters[].nodes",
        "The cluster's nodes, for the rules that need node addresses.",
        "",
    ),
    ("clusters[].nodes[].name", "The node's name.", ""),
    (
        "clusters[].nodes[].ip",
        "The node's internal IP address.",
        "",
    ),
    (
        "clusters[].exclude",
        "Globs that walks of this cluster's paths skip, besides the top-level exclude.",
        "",
    ),
    (
        "clusters[].kustomize",
        "The Kustomize overlays to render for this cluster (folders), instead of the leaf overlays found under its paths.",
        "",
    ),
    (
        "clusters[].sources",
        "What the cluster deploys, folder by folder, as Argo CD Applications and Flux Kustomizations say it (lbplan init writes them). A folder holding a kustomization is rendered; any other folder is read as plain manifests.",
        "",
    ),
    (
        "clusters[].sources[].path",
        "The folder, relative to this file.",
        "",
    ),
    (
        "clusters[].sources[].recurse",
        "Read the folder's subfolders too (Argo CD directory.recurse; default false: its own files only).",
        "",
    ),
    (
        "clusters[].sources[].include",
        "A glob the folder's files must match (Argo CD directory.include).",
        "",
    ),
    (
        "clusters[].sources[].exclude",
        "A glob the folder's files must not match (Argo CD directory.exclude).",
        "",
    ),
    (
        "clusters[].sources[].namespace",
        "The namespace of the objects that set none (Argo CD destination.namespace).",
        "",
    ),
    (
        "clusters[].sources[].target_namespace",
        "The namespace of every object (Flux targetNamespace, Argo CD kustomize.namespace).",
        "",
    ),
    (
        "clusters[].sources[].substitute",
        "Flux postBuild.substitute: ${NAME} in the folder's manifests becomes the value.",
        "",
    ),
    (
        "clusters[].rest",
        "true: this cluster takes the files no cluster's paths or sources hold, each copy in several folders planned once per folder as without config (one cluster at most).",
        "",
    ),
    (
        "clusters[].helm",
        "Helm releases to render for this cluster, each with its values; a chart named here is not also rendered with its default values.",
        "",
    ),
    (
        "clusters[].helm[].chart",
        "The chart's folder (holding Chart.yaml), relative to this file.",
        "",
    ),
    (
        "clusters[].helm[].release",
        "The release name (default: the name in the chart's Chart.yaml); unique per cluster and namespace.",
        "",
    ),
    (
        "clusters[].helm[].namespace",
        "The release's namespace (default: default), given to objects that set none.",
        "",
    ),
    (
        "clusters[].helm[].values",
        "Values files relative to this file, lowest precedence first (helm's -f order).",
        "",
    ),
    (
        "clusters[].helm[].set",
        "Values set on the command line (helm's --set KEY=VALUE), above every values file.",
        "",
    ),
    (
        "clusters[].rules",
        "Rule levels for this cluster's findings, over the top-level rules.",
        "",
    ),
    (
        "clusters[].rules{}",
        "The rule's level in this cluster; off silences it.",
        "",
    ),
    (
        "load_balancers",
        "Facts about load balancers the manifests name by ID.",
        "",
    ),
    (
        "load_balancers[].id",
        "The load balancer's ID, as the manifests name it.",
        r#"{"minLength": 1}"#,
    ),
    (
        "load_balancers[].listener_quota",
        "Listeners the load balancer may have (default 50).",
        r#"{"minimum": 1}"#,
    ),
    (
        "load_balancers[].rule_quota",
        "Forwarding rules per HTTP/HTTPS listener (default: Huawei ELB 100, Tencent CLB 50).",
        r#"{"minimum": 1}"#,
    ),
    (
        "load_balancers[].members",
        "Backends added outside Kubernetes (an ECS, say), which share their listener's traffic.",
        "",
    ),
    (
        "load_balancers[].members[].listener",
        "The listener, PROTOCOL:PORT (TCP, UDP, HTTP, HTTPS), e.g. TCP:80.",
        r#"{"pattern": "^\\s*[A-Za-z]+\\s*:\\s*[0-9]+\\s*$"}"#,
    ),
    (
        "load_balancers[].members[].name",
        "The member's name, as the plan shows it.",
        "",
    ),
    (
        "load_balancers[].members[].weight",
        "The member's weight, 0-100.",
        r#"{"maximum": 100}"#,
    ),
];

/// Add the description and bounds of `path` to its schema.
pub fn apply(path: &str, schema: &mut Value) {
    let Some((_, description, more)) = KEYS.iter().find(|(p, _, _)| *p == path) else {
        return;
    };
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    object.insert("description".into(), Value::String((*description).into()));
    if let Ok(Value::Object(more)) = serde_json::from_str::<Value>(more) {
        object.extend(more);
    }
}
