//! Annotation and label keys, named once. Sources: shared/seeds and shared/research/ground_truth.md.

// Huawei Cloud CCE and China Telecom Cloud CCE (ELB)
pub const ELB_ID: &str = "kubernetes.io/elb.id";
pub const ELB_CLASS: &str = "kubernetes.io/elb.class";
pub const ELB_AUTOCREATE: &str = "kubernetes.io/elb.autocreate";
pub const ELB_PROTOCOL_PORT: &str = "kubernetes.io/elb.protocol-port";
pub const ELB_CERT_ID: &str = "kubernetes.io/elb.cert-id";
pub const ELB_TLS_CERTIFICATE_IDS: &str = "kubernetes.io/elb.tls-certificate-ids";
pub const ELB_PORT: &str = "kubernetes.io/elb.port";
pub const ELB_PASS_THROUGH: &str = "kubernetes.io/elb.pass-through";
pub const ELB_MULTICLUSTER: &str = "kubernetes.io/elb.multicluster";
pub const ELB_MULTICLUSTER_WEIGHT: &str = "kubernetes.io/elb.multicluster-loadbalancer-weight";
pub const ELB_RECYCLE_POLICY: &str = "kubernetes.io/elb.multicluster-resource-recycle-policy";
pub const ELB_MULTIVPC: &str = "kubernetes.io/elb.multivpc";
pub const ELB_ADAPTIVE_WEIGHT: &str = "kubernetes.io/elb.adaptive-weight";
pub const ELB_CUSTOM_BACKEND_WEIGHTS: &str = "kubernetes.io/elb.custom-backend-weights";
pub const ELB_LB_ALGORITHM: &str = "kubernetes.io/elb.lb-algorithm";
/// The algorithms `elb.lb-algorithm` takes (ground truth §1.6); CCE uses `ROUND_ROBIN` without it.
pub const ELB_LB_ALGORITHMS: [&str; 3] = ["ROUND_ROBIN", "LEAST_CONNECTIONS", "SOURCE_IP"];
pub const ELB_SESSION_AFFINITY_MODE: &str = "kubernetes.io/elb.session-affinity-mode";
pub const ELB_SESSION_AFFINITY_OPTION: &str = "kubernetes.io/elb.session-affinity-option";
pub const ELB_HEALTH_CHECK_FLAG: &str = "kubernetes.io/elb.health-check-flag";
/// One health check for every port of the Service.
pub const ELB_HEALTH_CHECK_OPTION: &str = "kubernetes.io/elb.health-check-option";
/// A JSON list of health checks, one per `target_service_port` (`"TCP:80"`).
pub const ELB_HEALTH_CHECK_OPTIONS: &str = "kubernetes.io/elb.health-check-options";
pub const ELB_KEEPALIVE_TIMEOUT: &str = "kubernetes.io/elb.keepalive_timeout";
pub const ELB_CLIENT_TIMEOUT: &str = "kubernetes.io/elb.client_timeout";
pub const ELB_MEMBER_TIMEOUT: &str = "kubernetes.io/elb.member_timeout";
/// Written back by CCE on the live object once it has auto-created the ELB (and its EIP), beside
/// `elb.id`.
pub const ELB_IP: &str = "kubernetes.io/elb.ip";
pub const ELB_EIP_ID: &str = "kubernetes.io/elb.eip-id";
/// Written by the CCE controller; users must not set them.
pub const ELB_SYSTEM: [&str; 3] = [
    "kubernetes.io/elb.listener-port",
    "kubernetes.io/elb.listener-port-ranges-auto-generated",
    "kubernetes.io/elb.mark",
];
pub const ELB_PREFIX: &str = "kubernetes.io/elb.";

// CCE Ingresses (shared/research/ingress-l7.md §1)
/// `'[{"HTTP":80},{"HTTPS":443}]'`: the Ingress's listeners; overrides `elb.port`.
pub const ELB_LISTEN_PORTS: &str = "kubernetes.io/elb.listen-ports";
/// `"true"` with `listen-ports`: the HTTP listener redirects to the HTTPS one.
pub const ELB_SSL_REDIRECT: &str = "kubernetes.io/elb.ssl-redirect";
/// Every rule of the Ingress redirects to this URL.
pub const ELB_REDIRECT_URL: &str = "kubernetes.io/elb.redirect-url";
pub const ELB_REDIRECT_URL_CODE: &str = "kubernetes.io/elb.redirect-url-code";
/// Written by CCE: `<namespace>/<name>` of the Ingress whose listener settings apply.
pub const ELB_LISTENER_MASTER_INGRESS: &str = "kubernetes.io/elb.listener-master-ingress";
/// Listener-level settings of a CCE Ingress, with the value CCE uses when none is written (`None`
/// when the research found no documented default): the listener takes them from the
/// earliest-created Ingress (F9). The server certificate is compared apart, and the SNI
/// certificates of `tls-certificate-ids` are not first-route.
pub const ELB_LISTENER_SETTINGS: [(&str, Option<&str>); 14] = [
    ("kubernetes.io/elb.tls-ciphers-policy", Some("tls-1-2")),
    ("kubernetes.io/elb.security_policy_id", None),
    ("kubernetes.io/elb.http2-enable", Some("false")),
    ("kubernetes.io/elb.keepalive_timeout", Some("60")),
    ("kubernetes.io/elb.client_timeout", Some("60")),
    ("kubernetes.io/elb.member_timeout", Some("60")),
    ("kubernetes.io/elb.acl-id", None),
    ("kubernetes.io/elb.acl-status", None),
    ("kubernetes.io/elb.acl-type", None),
    ("kubernetes.io/elb.x-forwarded-port", None),
    ("kubernetes.io/elb.x-forwarded-for-port", None),
    ("kubernetes.io/elb.x-forwarded-host", None),
    ("kubernetes.io/elb.x-real-ip", None),
    ("kubernetes.io/elb.gzip-enabled", None),
];
/// Listener settings that only an HTTPS listener has.
pub const ELB_HTTPS_ONLY_SETTINGS: [&str; 3] = [
    "kubernetes.io/elb.tls-ciphers-policy",
    "kubernetes.io/elb.security_policy_id",
    "kubernetes.io/elb.http2-enable",
];

// Tencent Cloud TKE (CLB)
pub const TKE_EXISTED_LBID: &str = "service.kubernetes.io/tke-existed-lbid";
pub const TKE_SHARE_EXISTED_LB: &str = "service.kubernetes.io/qcloud-share-existed-lb";
pub const TKE_DIRECT_ACCESS: &str = "service.cloud.tencent.com/direct-access";
pub const TKE_INGRESS_DIRECT_ACCESS: &str = "ingress.cloud.tencent.com/direct-access";
pub const TKE_INGRESS_EXIST_LBID: &str = "kubernetes.io/ingress.existLbId";
/// `"true"`: the Ingress may share its CLB (`existLbId`) with other Ingresses that set it too.
pub const TKE_INGRESS_ENABLE_GROUP: &str = "ingress.cloud.tencent.com/enable-group";
/// `"true"`: rules go to HTTP or HTTPS as `http-rules` / `https-rules` list them.
pub const TKE_INGRESS_RULE_MIX: &str = "kubernetes.io/ingress.rule-mix";
pub const TKE_INGRESS_HTTP_RULES: &str = "kubernetes.io/ingress.http-rules";
pub const TKE_INGRESS_HTTPS_RULES: &str = "kubernetes.io/ingress.https-rules";
/// `"true"` with `rewrite-support`: every HTTPS rule gets a redirect rule on HTTP 80.
pub const TKE_INGRESS_AUTO_REWRITE: &str = "ingress.cloud.tencent.com/auto-rewrite";
pub const TKE_INGRESS_REWRITE_SUPPORT: &str = "ingress.cloud.tencent.com/rewrite-support";
pub const TKE_SERVICE_CONFIG: &str = "service.cloud.tencent.com/tke-service-config";
pub const TKE_SERVICE_CONFIG_AUTO: &str = "service.cloud.tencent.com/tke-service-config-auto";
/// CreateLoadBalancer parameters, read when TKE creates the CLB.
pub const TKE_EXTENSIVE_PARAMETERS: &str = "service.kubernetes.io/service.extensiveParameters";
/// Written by TKE: the CLB the Service uses (read-only; a dump of an auto-created CLB has it).
pub const TKE_LOADBALANCE_ID: &str = "service.kubernetes.io/loadbalance-id";
/// `"key=value,..."`: only nodes with these labels are the CLB's backends.
pub const TKE_BACKENDS_LABEL: &str = "service.kubernetes.io/qcloud-loadbalancer-backends-label";
pub const TKE_CUSTOM_WEIGHT: &str = "service.cloud.tencent.com/custom-weight";
pub const TKE_INGRESS_CUSTOM_WEIGHT: &str = "ingress.cloud.tencent.com/custom-weight";
pub const TKE_GRACE_SHUTDOWN: &str = "service.cloud.tencent.com/enable-grace-shutdown";
pub const TKE_GRACE_SHUTDOWN_TKEX: &str = "service.cloud.tencent.com/enable-grace-shutdown-tkex";
pub const TKE_LOCAL_BIND_NODE_WITH_POD: &str =
    "service.kubernetes.io/local-svc-only-bind-node-with-pod";
pub const TKE_LOCAL_WEIGHTED_BALANCE: &str = "service.cloud.tencent.com/local-svc-weighted-balance";
/// Pod annotation that puts a pod on an ENI in a mixed GlobalRouter + VPC-CNI cluster.
pub const TKE_POD_NETWORKS: &str = "tke.cloud.tencent.com/networks";
pub const TKE_ROUTE_ENI: &str = "tke-route-eni";
/// Container resource a pod needs in requests and limits to get an ENI IP.
pub const TKE_ENI_IP_RESOURCE: &str = "tke.cloud.tencent.com/eni-ip";
/// Key prefixes that mark an object as Tencent TKE's. (`kubernetes.io/ingress.class` is generic
/// Kubernetes, so the TKE Ingress keys are listed one by one.)
pub const TKE_PREFIXES: [&str; 14] = [
    "service.cloud.tencent.com/",
    "ingress.cloud.tencent.com/",
    "service.kubernetes.io/tke-",
    "service.kubernetes.io/qcloud-",
    "service.kubernetes.io/local-svc-",
    "service.kubernetes.io/loadbalance-",
    "service.kubernetes.io/service.extensiveParameters",
    "kubernetes.io/ingress.existLbId",
    "kubernetes.io/ingress.subnetId",
    "kubernetes.io/ingress.qcloud-",
    "kubernetes.io/ingress.http-rules",
    "kubernetes.io/ingress.https-rules",
    "kubernetes.io/ingress.rule-mix",
    "kubernetes.io/ingress.internet",
];

// Kubernetes
pub const INGRESS_CLASS: &str = "kubernetes.io/ingress.class";

// lbplan itself
pub const LBPLAN_IGNORE: &str = "lbplan.io/ignore";

/// Annotation families lbplan reads; other annotations are checked for type, then not kept.
const READ_PREFIXES: [&str; 8] = [
    "kubernetes.io/elb.",
    "kubernetes.io/ingress.",
    "service.kubernetes.io/",
    "service.beta.kubernetes.io/",
    "service.cloud.tencent.com/",
    "ingress.cloud.tencent.com/",
    "tke.cloud.tencent.com/",
    "lbplan.io/",
];

/// Whether lbplan reads an annotation (and so keeps it in memory).
pub fn is_read_annotation(key: &str) -> bool {
    READ_PREFIXES.iter().any(|p| key.starts_with(p))
}
