//! The settings of a Service listener and its backend group: algorithm, session affinity, health
//! check, pass-through, timeouts, `X-Forwarded-*`, TKE's listener configuration. Each has a
//! stable key, a typed value and where it comes from (the annotation, the documented default of
//! ground truth §1.6 and §3.1, or what another field implies), so that two plans compare setting
//! by setting ([`changes`]) without parsing anything again.
//!
//! Several Services may claim one listener (a cross-cluster listener, or a conflict): the listener
//! keeps the settings of the first (CCE: "使用的是先创建Service的配置", Huawei Cloud CCE,
//! "为负载均衡类型的Service配置跨集群的后端"), which the manifests cannot tell; lbplan takes the
//! first in input order and lists what the others write differently as `ignored` (LB219).

use std::fmt;

use serde::{Serialize, Serializer};

mod of;

pub use of::{listener_settings, settings_of};

/// A setting's stable name, as JSON, tables and diffs show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SettingKey(&'static str);

impl SettingKey {
    pub const ALGORITHM: SettingKey = SettingKey("algorithm");
    pub const SESSION_AFFINITY: SettingKey = SettingKey("session-affinity");
    pub const SESSION_TIMEOUT: SettingKey = SettingKey("session-timeout");
    pub const HEALTH_CHECK: SettingKey = SettingKey("health-check");
    pub const HEALTH_CHECK_OPTION: SettingKey = SettingKey("health-check-option");
    pub const PASS_THROUGH: SettingKey = SettingKey("pass-through");
    pub const KEEPALIVE_TIMEOUT: SettingKey = SettingKey("keepalive-timeout");
    pub const CLIENT_TIMEOUT: SettingKey = SettingKey("client-timeout");
    pub const MEMBER_TIMEOUT: SettingKey = SettingKey("member-timeout");
    pub const TKE_SERVICE_CONFIG: SettingKey = SettingKey("tke-service-config");
    pub const EXTENSIVE_PARAMETERS: SettingKey = SettingKey("extensive-parameters");

    #[allow(dead_code, reason = "for the diff's listener-settings rows (LB514)")]
    pub fn as_str(self) -> &'static str {
        self.0
    }
}

impl fmt::Display for SettingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl Serialize for SettingKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

/// A setting's value, typed where the value has a type; compared as values, shown as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SettingValue {
    /// A word the cloud takes as it is (`ROUND_ROBIN`, a TkeServiceConfig's name).
    Word(String),
    On(bool),
    Seconds(u32),
    Minutes(u32),
    /// A health check with every field the cloud applies (written or default).
    HealthCheck(HealthCheckValue),
    /// Text that is not what the setting takes (an invalid number), or free text (JSON).
    Text(String),
}

impl fmt::Display for SettingValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingValue::Word(w) | SettingValue::Text(w) => f.write_str(w),
            SettingValue::On(true) => f.write_str("on"),
            SettingValue::On(false) => f.write_str("off"),
            SettingValue::Seconds(n) => write!(f, "{n} s"),
            SettingValue::Minutes(n) => write!(f, "{n} min"),
            SettingValue::HealthCheck(check) => {
                write!(
                    f,
                    "{}, every {} s, timeout {} s, {} retries",
                    check.protocol, check.delay, check.timeout, check.max_retries
                )?;
                match &check.path {
                    Some(path) => write!(f, ", path {path}"),
                    None => Ok(()),
                }
            }
        }
    }
}

impl Serialize for SettingValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            SettingValue::On(b) => s.serialize_bool(*b),
            SettingValue::Seconds(n) | SettingValue::Minutes(n) => s.serialize_u32(*n),
            SettingValue::HealthCheck(check) => check.serialize(s),
            other => s.collect_str(other),
        }
    }
}

/// A health check's fields as the cloud applies them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HealthCheckValue {
    pub protocol: String,
    pub delay: String,
    pub timeout: String,
    pub max_retries: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// Where a setting's value comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SettingSource {
    /// The annotation the setting names.
    Annotation,
    /// Not written: the documented default.
    Default,
    /// Not written, but set by another field (Huawei CCE's `onlyLocal` for
    /// `externalTrafficPolicy: Local`).
    Implied,
}

/// One setting of a listener.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Setting {
    pub key: SettingKey,
    pub value: SettingValue,
    pub source: SettingSource,
    /// The annotation that writes it, when one does.
    pub annotation: Option<&'static str>,
}

impl Setting {
    fn written(key: SettingKey, annotation: &'static str, value: SettingValue) -> Setting {
        Setting {
            key,
            value,
            source: SettingSource::Annotation,
            annotation: Some(annotation),
        }
    }

    fn default(key: SettingKey, value: SettingValue) -> Setting {
        Setting {
            key,
            value,
            source: SettingSource::Default,
            annotation: None,
        }
    }

    /// `algorithm SOURCE_IP`, `pass-through onlyLocal (implied)`, `keepalive-timeout 300 s
    /// (default)`.
    pub fn display(&self) -> String {
        match self.source {
            SettingSource::Annotation => format!("{} {}", self.key, self.value),
            SettingSource::Default => format!("{} {} (default)", self.key, self.value),
            SettingSource::Implied => format!("{} {} (implied)", self.key, self.value),
        }
    }
}

/// A value another Service on the listener writes for a setting, which does not take effect.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IgnoredSetting {
    /// `cluster:Service/namespace/name`.
    pub object: String,
    pub key: SettingKey,
    pub value: SettingValue,
}

/// The settings of a Service listener: those of the Service they come from, and the values
/// other Services on the listener write in vain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ServiceSettings {
    /// `cluster:Service/namespace/name` of the Service whose settings apply.
    pub from: String,
    /// Every setting, in a fixed order, written or default.
    pub values: Vec<Setting>,
    pub ignored: Vec<IgnoredSetting>,
}

impl ServiceSettings {
    #[allow(dead_code, reason = "for the diff's listener-settings rows (LB514)")]
    pub fn get(&self, key: SettingKey) -> Option<&Setting> {
        self.values.iter().find(|s| s.key == key)
    }

    /// The settings that are not defaults, as a table row shows them; empty when all are.
    pub fn notable(&self) -> Vec<String> {
        self.values
            .iter()
            .filter(|s| s.source != SettingSource::Default)
            .map(Setting::display)
            .collect()
    }
}

/// One setting that differs between two plans' listeners: `before` or `after` is `None` when
/// the setting exists on one side only (a TKE listener against a CCE one, an L7 setting on a
/// listener that became TCP).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingChange<'a> {
    pub key: SettingKey,
    pub before: Option<&'a Setting>,
    pub after: Option<&'a Setting>,
}

impl SettingChange<'_> {
    /// `algorithm: ROUND_ROBIN (default) → SOURCE_IP`.
    #[allow(dead_code, reason = "for the diff's listener-settings rows (LB514)")]
    pub fn describe(&self) -> String {
        let side = |s: Option<&Setting>| {
            s.map_or_else(
                || "not set".to_string(),
                |s| match s.source {
                    SettingSource::Annotation => s.value.to_string(),
                    SettingSource::Default => format!("{} (default)", s.value),
                    SettingSource::Implied => format!("{} (implied)", s.value),
                },
            )
        };
        format!("{}: {} → {}", self.key, side(self.before), side(self.after))
    }
}

/// The settings whose value differs between `before` and `after`, in key order. A setting that
/// only changes where it comes from (written with the default's value) is no change.
pub fn changes<'a>(
    before: Option<&'a ServiceSettings>,
    after: Option<&'a ServiceSettings>,
) -> Vec<SettingChange<'a>> {
    let values = |s: Option<&'a ServiceSettings>| s.map_or(&[][..], |s| &s.values[..]);
    let mut keys: Vec<SettingKey> = values(before)
        .iter()
        .chain(values(after))
        .map(|s| s.key)
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys.into_iter()
        .filter_map(|key| {
            let b = values(before).iter().find(|s| s.key == key);
            let a = values(after).iter().find(|s| s.key == key);
            (b.map(|s| &s.value) != a.map(|s| &s.value)).then_some(SettingChange {
                key,
                before: b,
                after: a,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::of::{health_check, normalized_json, number};
    use super::*;
    use crate::k8s::Protocol;
    use crate::model::frontend::HealthCheck;

    fn setting(key: SettingKey, value: SettingValue, source: SettingSource) -> Setting {
        Setting {
            key,
            value,
            source,
            annotation: None,
        }
    }

    #[test]
    fn changes_compare_values_not_sources() {
        let before = ServiceSettings {
            from: "a".into(),
            values: vec![
                setting(
                    SettingKey::ALGORITHM,
                    SettingValue::Word("ROUND_ROBIN".into()),
                    SettingSource::Default,
                ),
                setting(
                    SettingKey::KEEPALIVE_TIMEOUT,
                    SettingValue::Seconds(300),
                    SettingSource::Default,
                ),
            ],
            ignored: Vec::new(),
        };
        let mut after = before.clone();
        after.values[0] = setting(
            SettingKey::ALGORITHM,
            SettingValue::Word("SOURCE_IP".into()),
            SettingSource::Annotation,
        );
        // Written with the default's value: no change.
        after.values[1].source = SettingSource::Annotation;
        let found = changes(Some(&before), Some(&after));
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].describe(),
            "algorithm: ROUND_ROBIN (default) → SOURCE_IP"
        );
        assert_eq!(changes(Some(&before), None).len(), 2);
        assert!(changes(Some(&before), Some(&before)).is_empty());
    }

    #[test]
    fn values_read_as_numbers_or_as_written() {
        assert_eq!(
            number("300", SettingValue::Seconds),
            SettingValue::Seconds(300)
        );
        assert_eq!(
            number("5m", SettingValue::Seconds),
            SettingValue::Text("5m".into())
        );
        assert_eq!(
            health_check(&HealthCheck::default(), Protocol::Udp).to_string(),
            "UDP, every 5 s, timeout 10 s, 3 retries"
        );
        assert_eq!(normalized_json(r#"{ "b": 1, "a": 2 }"#), r#"{"a":2,"b":1}"#);
    }
}
