//! The vendor documents the rules rest on, by title (the titles users can look up): a page lists
//! the ones its rule's documentation cites. (No document is cited by an internal number any more;
//! `tests/registry.rs` fails on one.)

pub struct Document {
    pub title: &'static str,
    pub cloud: &'static str,
}

pub const DOCUMENTS: [Document; 5] = [
    Document {
        title: "Multiple Services Sharing a CLB",
        cloud: "Tencent Cloud TKE",
    },
    Document {
        title: "Use CLB-Pod Direct Connection on TKE",
        cloud: "Tencent Cloud TKE",
    },
    Document {
        title: "为负载均衡类型的Service配置跨集群的后端",
        cloud: "Huawei Cloud CCE, user guide: configuring cross-cluster backends for a LoadBalancer Service",
    },
    Document {
        title: "负载均衡(LoadBalancer)",
        cloud: "China Telecom Cloud CCE",
    },
    Document {
        title: "Using Services with LoadBalancer Directly Connected to Pods",
        cloud: "Tencent Cloud TKE",
    },
];

/// The documents `text` cites by title, in the table's order.
pub fn cited(text: &str) -> Vec<&'static Document> {
    DOCUMENTS
        .iter()
        .filter(|d| text.contains(d.title))
        .collect()
}
