//! Parsers for annotation values, shared by the plan (which uses what is valid) and the rules
//! (which report what is not), so the two can never disagree on what a value means.

use crate::k8s::Protocol;

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

/// `kubernetes.io/elb.pass-through`: `true` and `onlyLocal` enable it.
pub fn pass_through_enabled(value: Option<&str>) -> bool {
    matches!(value, Some("true" | "onlyLocal"))
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
}
