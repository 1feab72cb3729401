//! The vendor documents lbplan's behaviour comes from, cited by title as users can look them up
//! (never by an internal number). Messages name them with these; rule documentation writes the same
//! words.

/// Tencent Cloud TKE, "Multiple Services Sharing a CLB".
pub const TKE_SHARED_CLB: &str = "Tencent Cloud TKE, \"Multiple Services Sharing a CLB\"";
/// Huawei Cloud CCE user guide, configuring cross-cluster backends for a LoadBalancer Service.
pub const CCE_CROSS_CLUSTER: &str = "Huawei Cloud CCE, \"为负载均衡类型的Service配置跨集群的后端\"";
/// China Telecom Cloud CCE, the LoadBalancer Service page.
pub const CTYUN_LOAD_BALANCER: &str = "China Telecom Cloud CCE, \"负载均衡(LoadBalancer)\"";
/// Tencent Cloud TKE, the page on direct access from a LoadBalancer Service.
pub const TKE_DIRECT_ACCESS: &str =
    "Tencent Cloud TKE, \"Using Services with LoadBalancer Directly Connected to Pods\"";
