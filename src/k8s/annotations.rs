//! The annotation values lbplan understands, in one table, and the parsers for them. The model
//! reads what is valid (see `model::frontend`) and the validation rules (LB010-LB023) report what is
//! not, with the same parsers, so the two can never disagree on what a value means.

use super::{Protocol, keys};

/// The cloud whose controller reads an annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Huawei CCE and CT Cloud CCE.
    Cce,
    /// Tencent TKE.
    Tke,
}

/// What an annotation's value must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// `"true"` or `"false"`, compared exactly as the controllers do; `also` lists other words
    /// that turn the feature on (`onlyLocal` for pass-through).
    Bool { also: &'static [&'static str] },
    /// An integer from 0 to 100, digits only.
    Weight,
    /// One of these words, exactly.
    Word(&'static [&'static str]),
}

/// One annotation: its key, who reads it and what its value must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub key: &'static str,
    pub family: Family,
    pub kind: ValueKind,
}

const fn row(key: &'static str, family: Family, kind: ValueKind) -> Row {
    Row { key, family, kind }
}

const BOOL: ValueKind = ValueKind::Bool { also: &[] };

/// The annotations whose values have a fixed form. Keys not listed here are free text (IDs, JSON,
/// lists) that the rules about them parse.
pub const TABLE: [Row; 15] = [
    row(
        keys::ELB_CLASS,
        Family::Cce,
        ValueKind::Word(&["union", "performance"]),
    ),
    row(keys::ELB_MULTICLUSTER, Family::Cce, BOOL),
    row(
        keys::ELB_MULTICLUSTER_WEIGHT,
        Family::Cce,
        ValueKind::Weight,
    ),
    row(
        keys::ELB_RECYCLE_POLICY,
        Family::Cce,
        ValueKind::Word(&["member-only", "cascade"]),
    ),
    row(keys::ELB_MULTIVPC, Family::Cce, BOOL),
    row(
        keys::ELB_PASS_THROUGH,
        Family::Cce,
        ValueKind::Bool {
            also: &["onlyLocal"],
        },
    ),
    row(keys::ELB_ADAPTIVE_WEIGHT, Family::Cce, BOOL),
    row(keys::TKE_SHARE_EXISTED_LB, Family::Tke, BOOL),
    row(keys::TKE_DIRECT_ACCESS, Family::Tke, BOOL),
    row(keys::TKE_INGRESS_DIRECT_ACCESS, Family::Tke, BOOL),
    row(keys::TKE_SERVICE_CONFIG_AUTO, Family::Tke, BOOL),
    row(keys::TKE_LOCAL_BIND_NODE_WITH_POD, Family::Tke, BOOL),
    row(keys::TKE_LOCAL_WEIGHTED_BALANCE, Family::Tke, BOOL),
    row(keys::TKE_CUSTOM_WEIGHT, Family::Tke, ValueKind::Weight),
    row(
        keys::TKE_INGRESS_CUSTOM_WEIGHT,
        Family::Tke,
        ValueKind::Weight,
    ),
];

/// The row of `key`, if its value has a fixed form.
pub fn lookup(key: &str) -> Option<&'static Row> {
    TABLE.iter().find(|r| r.key == key)
}

impl ValueKind {
    /// Whether `value` is one the controller accepts.
    pub fn accepts(self, value: &str) -> bool {
        match self {
            ValueKind::Bool { also } => matches!(value, "true" | "false") || also.contains(&value),
            ValueKind::Weight => parse_weight(value).is_some(),
            ValueKind::Word(words) => words.contains(&value),
        }
    }

    /// The accepted values in words, for messages: `"true", "false" or "onlyLocal"`.
    pub fn allowed(self) -> String {
        let quoted: Vec<String> = match self {
            ValueKind::Bool { also } => ["true", "false"]
                .iter()
                .chain(also)
                .map(|w| format!("\"{w}\""))
                .collect(),
            ValueKind::Word(words) => words.iter().map(|w| (*w).to_string()).collect(),
            ValueKind::Weight => return "an integer from 0 to 100".to_string(),
        };
        match quoted.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        }
    }
}

/// Whether a boolean annotation turns its feature on: exactly `"true"` (or one of the row's other
/// words), as the controllers compare it; anything else means off.
pub fn is_on(key: &str, value: &str) -> bool {
    match lookup(key).map(|r| r.kind) {
        Some(ValueKind::Bool { also }) => value == "true" || also.contains(&value),
        _ => value == "true",
    }
}

/// A cross-cluster or CLB weight: an integer 0-100, digits only.
pub fn parse_weight(value: &str) -> Option<u32> {
    let v = value.trim();
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    v.parse::<u32>().ok().filter(|&w| w <= 100)
}

/// A listener port 1-65535, digits only.
pub fn parse_port(value: &str) -> Option<u16> {
    let v = value.trim();
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    v.parse::<u16>().ok().filter(|&p| p > 0)
}

/// One `proto:port` entry of `kubernetes.io/elb.protocol-port`, as slices of the value so that
/// findings can point at the entry itself.
#[derive(Debug, Clone, PartialEq)]
pub struct ProtocolPortEntry<'a> {
    pub text: &'a str,
    /// `http` or `https` (the documented spelling, lower case).
    pub protocol: Option<Protocol>,
    pub port: Option<u16>,
    /// The entry has the `proto:port` form at all.
    pub well_formed: bool,
}

/// Split `https:443,http:80` into entries. Empty entries (a trailing comma) are kept, as malformed.
pub fn protocol_port_entries(value: &str) -> Vec<ProtocolPortEntry<'_>> {
    value
        .split(',')
        .map(|raw| {
            let text = raw.trim();
            match text.split_once(':') {
                Some((proto, port)) => ProtocolPortEntry {
                    text,
                    protocol: match proto.trim() {
                        "http" => Some(Protocol::Http),
                        "https" => Some(Protocol::Https),
                        _ => None,
                    },
                    port: parse_port(port),
                    well_formed: !proto.trim().is_empty() && !port.trim().is_empty(),
                },
                None => ProtocolPortEntry {
                    text,
                    protocol: None,
                    port: None,
                    well_formed: false,
                },
            }
        })
        .collect()
}

/// The L7 protocol `elb.protocol-port` gives `port`, if a valid entry names it.
pub fn protocol_port_for(value: &str, port: u16) -> Option<Protocol> {
    protocol_port_entries(value)
        .into_iter()
        .find(|e| e.port == Some(port) && e.protocol.is_some())
        .and_then(|e| e.protocol)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_are_integers_0_to_100() {
        assert_eq!(parse_weight("80"), Some(80));
        assert_eq!(parse_weight("0"), Some(0));
        assert_eq!(parse_weight("100"), Some(100));
        for bad in ["101", "-1", "+5", "8.0", "", "eighty", "1e2"] {
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
}
