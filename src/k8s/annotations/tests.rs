//! The annotation table and its parsers.

use super::*;

#[test]
fn weights_are_integers_0_to_100() {
    assert_eq!(parse_weight("80"), Some(80));
    assert_eq!(parse_weight("0"), Some(0));
    assert_eq!(parse_weight("100"), Some(100));
    // Spaces as Go's strconv.Atoi refuses them; no sign.
    for bad in [
        "101", "-1", "+5", "+80", "8.0", "", "eighty", "1e2", " 80", "80 ", "8 0",
    ] {
        assert_eq!(parse_weight(bad), None, "{bad}");
    }
}

#[test]
fn protocol_port_entries_keep_their_slices() {
    let value = "https:443, http:80,ftp:21,:8,9090";
    let entries = protocol_port_entries(value);
    assert_eq!(entries.len(), 5);
    assert_eq!(entries[0].protocol, Some(Protocol::Https));
    assert_eq!(entries[1].text, "http:80");
    assert!(entries[2].well_formed && entries[2].protocol.is_none());
    assert!(!entries[3].well_formed);
    assert!(!entries[4].well_formed);
    assert_eq!(protocol_port_for(value, 80), Some(Protocol::Http));
    assert_eq!(protocol_port_for(value, 21), None);
}

#[test]
fn the_table_says_what_is_accepted() {
    let pass_through = lookup(keys::ELB_PASS_THROUGH).expect("row").kind;
    assert!(pass_through.accepts("onlyLocal") && !pass_through.accepts("True"));
    assert_eq!(
        pass_through.allowed(),
        "\"true\", \"false\" or \"onlyLocal\""
    );
    assert_eq!(
        lookup(keys::ELB_CLASS).expect("row").kind.allowed(),
        "union or performance"
    );
    assert!(is_on(keys::ELB_PASS_THROUGH, "onlyLocal"));
    assert!(!is_on(keys::ELB_MULTICLUSTER, "yes"));
    let keys: std::collections::BTreeSet<&str> = TABLE.iter().map(|r| r.key).collect();
    assert_eq!(keys.len(), TABLE.len(), "one row per key");
}

#[test]
fn a_key_takes_its_own_row_else_the_longest_family() {
    let objects = |key: &str| row_of(key).map(|r| r.objects);
    assert_eq!(objects(keys::ELB_MULTICLUSTER), Some(Objects::Service));
    assert_eq!(objects(keys::ELB_PORT), Some(Objects::Ingress));
    assert_eq!(
        objects("kubernetes.io/elb.conditions.web"),
        Some(Objects::Ingress)
    );
    assert_eq!(
        objects("kubernetes.io/elb.lb-algorithm"),
        Some(Objects::Any)
    );
    assert_eq!(
        objects("service.cloud.tencent.com/specify-protocol"),
        Some(Objects::Service)
    );
    assert_eq!(objects(keys::TKE_CUSTOM_WEIGHT), Some(Objects::Any));
    assert_eq!(
        objects("ingress.cloud.tencent.com/enable-group"),
        Some(Objects::Ingress)
    );
    // Upstream Kubernetes keys are nobody's load-balancer annotations.
    assert_eq!(objects("service.kubernetes.io/topology-mode"), None);
    assert_eq!(objects(keys::INGRESS_CLASS), None);
    assert_eq!(
        row_of(keys::TKE_DIRECT_ACCESS).and_then(|r| r.counterpart),
        Some(keys::TKE_INGRESS_DIRECT_ACCESS)
    );
    // Value checks see only rows of their own key.
    assert!(lookup("kubernetes.io/elb.conditions.web").is_none());
    // Every TKE family the provider is detected from is in the table.
    for prefix in keys::TKE_PREFIXES {
        assert_eq!(
            row_of(prefix).map(|r| r.family),
            Some(Family::Tke),
            "{prefix}"
        );
    }
}
