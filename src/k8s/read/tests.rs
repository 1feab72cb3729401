//! The reader on small documents.

use super::*;
use crate::k8s::{PathType, PortRef, Protocol};
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

#[test]
fn reads_the_paths_tls_and_backends_of_an_ingress() {
    let text = "\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  creationTimestamp: \"2024-05-01T10:00:00Z\"
spec:
  tls:
  - hosts: [shop.example.com]
    secretName: shop-tls
  - secretName: default-tls
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /api
        pathType: Prefix
        backend: {service: {name: api, port: {number: 8080}}}
      - backend: {service: {name: web, port: {name: http}}}
        path: /
        pathType: ImplementationSpecific
        property:
          ingress.beta.kubernetes.io/url-match-mode: EQUAL_TO
  - http:
      paths:
      - path: /x
        pathType: prefix
        backend: {resource: {kind: Bucket, name: b}}
";
    let out = read(text);
    let ingress = out.objects[0].as_ingress().expect("ingress");
    assert!(ingress.v1);
    assert_eq!(ingress.created.as_deref(), Some("2024-05-01T10:00:00Z"));
    assert_eq!(ingress.tls_entries.len(), 2);
    assert_eq!(ingress.tls_entries[0].hosts[0].value, "shop.example.com");
    assert_eq!(line_of(text, ingress.tls_entries[1].origin), 10);
    assert_eq!(ingress.paths.len(), 3);
    let api = &ingress.paths[0];
    assert_eq!(
        api.host.as_ref().map(|h| h.value.as_str()),
        Some("shop.example.com")
    );
    assert_eq!(api.path_type(), Some(PathType::Prefix));
    assert_eq!(line_of(text, api.origin), 15);
    let backend = api.backend.as_ref().expect("backend");
    assert_eq!(backend.name.value, "api");
    assert_eq!(
        backend.port.as_ref().map(|p| &p.value),
        Some(&PortRef::Number(8080))
    );
    let web = &ingress.paths[1];
    assert_eq!(
        line_of(text, web.origin),
        19,
        "the path: key, not the item's first key"
    );
    assert_eq!(
        web.match_mode.as_ref().map(|m| m.value.as_str()),
        Some("EQUAL_TO")
    );
    assert_eq!(
        web.backend
            .as_ref()
            .and_then(|b| b.port.as_ref())
            .map(|p| &p.value),
        Some(&PortRef::Name("http".into()))
    );
    // A pathType Kubernetes does not know is a problem; the path is kept, without a type.
    let x = &ingress.paths[2];
    assert!(x.host.is_none() && x.backend.is_none());
    assert_eq!(x.path_type.as_ref().map(|t| t.value), Some(None));
    assert_eq!(out.problems.len(), 1, "{:?}", out.problems);
    assert!(
        out.problems[0]
            .message
            .contains("must be Exact, Prefix or ImplementationSpecific")
    );
    assert_eq!(line_of(text, out.problems[0].origin), 26);
    let names: Vec<&str> = ingress
        .backends
        .iter()
        .map(|b| b.service.as_str())
        .collect();
    assert_eq!(names, ["api", "web"]);
}

#[test]
fn reads_v1beta1_backends_and_refuses_bad_ports() {
    let text = "\
apiVersion: extensions/v1beta1
kind: Ingress
metadata: {name: legacy}
spec:
  backend: {serviceName: fallback, servicePort: 80}
  rules:
  - http:
      paths:
      - path: /a
        backend: {serviceName: a, servicePort: http}
      - path: /b
        backend: {serviceName: b, servicePort: 70000}
";
    let out = read(text);
    let ingress = out.objects[0].as_ingress().expect("ingress");
    assert!(!ingress.v1);
    assert!(ingress.default_backend.is_some());
    assert_eq!(
        ingress.paths[0]
            .backend
            .as_ref()
            .and_then(|b| b.port.as_ref())
            .map(|p| &p.value),
        Some(&PortRef::Name("http".into()))
    );
    assert!(
        ingress.paths[1]
            .backend
            .as_ref()
            .is_some_and(|b| b.port.is_none())
    );
    assert_eq!(out.problems.len(), 1, "{:?}", out.problems);
    assert!(
        out.problems[0]
            .message
            .contains("must be 1-65535, found 70000")
    );
    let names: Vec<&str> = ingress
        .backends
        .iter()
        .map(|b| b.service.as_str())
        .collect();
    assert_eq!(names, ["fallback", "a", "b"]);
}

#[test]
fn an_unknown_service_type_is_refused_and_its_object_knows_it() {
    let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: Loadbalancer\n  ports:\n  - port: 80\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: ok\nspec:\n  type: NodePort\n";
    let out = read(text);
    assert_eq!(out.problems.len(), 1, "{:?}", out.problems);
    assert!(
        out.problems[0]
            .message
            .contains("\"Loadbalancer\" is not a Service type")
    );
    assert_eq!(line_of(text, out.problems[0].origin), 6);
    // The problem names the object read from its document, which is refused; the other is not.
    assert_eq!(out.problems[0].object, Some(0));
    assert!(out.objects[0].refused);
    assert!(
        out.objects[0]
            .as_service()
            .expect("service")
            .service_type
            .is_none()
    );
    assert!(!out.objects[1].refused);
}
