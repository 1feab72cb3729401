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

use crate::k8s::{Protocol, keys};
use crate::model::frontend::{HealthCheck, ListenerAnnotations, PassThrough};
use crate::model::{FrontendId, Inventory};

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
    HealthCheck {
        protocol: String,
        delay: String,
        timeout: String,
        max_retries: String,
        path: Option<String>,
    },
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
            SettingValue::HealthCheck {
                protocol,
                delay,
                timeout,
                max_retries,
                path,
            } => {
                write!(
                    f,
                    "{protocol}, every {delay} s, timeout {timeout} s, {max_retries} retries"
                )?;
                match path {
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
            SettingValue::HealthCheck {
                protocol,
                delay,
                timeout,
                max_retries,
                path,
            } => {
                use serde::ser::SerializeMap;
                let mut map = s.serialize_map(None)?;
                map.serialize_entry("protocol", protocol)?;
                map.serialize_entry("delay", delay)?;
                map.serialize_entry("timeout", timeout)?;
                map.serialize_entry("max_retries", max_retries)?;
                if let Some(path) = path {
                    map.serialize_entry("path", path)?;
                }
                map.end()
            }
            other => s.collect_str(other),
        }
    }
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

/// The settings of the listener `protocol:port` claimed by these Service frontends (in claim
/// order; Ingresses are left out, their settings are `settings`). `None` without a CCE or TKE
/// Service.
pub fn listener_settings(
    inv: &Inventory,
    services: &[FrontendId],
    protocol: Protocol,
    port: u16,
) -> Option<ServiceSettings> {
    let mut services = services.iter().copied().filter(|&fid| {
        let f = inv.frontend(fid);
        !f.is_ingress() && (f.is_cce() || f.is_tke())
    });
    let first = services.next()?;
    let values = settings_of(inv, first, protocol, port);
    let mut ignored = Vec::new();
    for other in services {
        let object = inv.qualified_label(inv.frontend(other).object);
        for setting in settings_of(inv, other, protocol, port) {
            let differs = values
                .iter()
                .find(|s| s.key == setting.key)
                .is_none_or(|s| s.value != setting.value);
            if differs && setting.source != SettingSource::Default {
                ignored.push(IgnoredSetting {
                    object: object.clone(),
                    key: setting.key,
                    value: setting.value,
                });
            }
        }
    }
    Some(ServiceSettings {
        from: inv.qualified_label(inv.frontend(first).object),
        values,
        ignored,
    })
}

/// What one Service's annotations make of the listener `protocol:port`.
pub fn settings_of(
    inv: &Inventory,
    fid: FrontendId,
    protocol: Protocol,
    port: u16,
) -> Vec<Setting> {
    let f = inv.frontend(fid);
    if f.is_tke() {
        return tke_settings(&f.listener);
    }
    if !f.is_cce() {
        return Vec::new();
    }
    let a = &f.listener;
    let mut out = vec![match &a.algorithm {
        Some(w) => Setting::written(
            SettingKey::ALGORITHM,
            keys::ELB_LB_ALGORITHM,
            SettingValue::Word(w.value.clone()),
        ),
        None => Setting::default(
            SettingKey::ALGORITHM,
            SettingValue::Word("ROUND_ROBIN".into()),
        ),
    }];
    session(a, &mut out);
    health(a, protocol, port, &mut out);
    out.push(pass_through(inv, fid));
    timeouts(a, protocol, &mut out);
    out
}

/// TKE: the TkeServiceConfig named (its contents are a custom resource lbplan does not read) and
/// the CLB creation parameters.
fn tke_settings(a: &ListenerAnnotations) -> Vec<Setting> {
    let config = match (&a.tke_service_config, a.tke_service_config_auto) {
        (Some(name), _) => Setting::written(
            SettingKey::TKE_SERVICE_CONFIG,
            keys::TKE_SERVICE_CONFIG,
            SettingValue::Word(name.value.clone()),
        ),
        (None, Some(_)) => Setting::written(
            SettingKey::TKE_SERVICE_CONFIG,
            keys::TKE_SERVICE_CONFIG_AUTO,
            SettingValue::Word("auto".into()),
        ),
        (None, None) => Setting::default(
            SettingKey::TKE_SERVICE_CONFIG,
            SettingValue::Word("none".into()),
        ),
    };
    let parameters = match &a.extensive_parameters {
        Some(p) => Setting::written(
            SettingKey::EXTENSIVE_PARAMETERS,
            keys::TKE_EXTENSIVE_PARAMETERS,
            SettingValue::Text(normalized_json(&p.value)),
        ),
        None => Setting::default(
            SettingKey::EXTENSIVE_PARAMETERS,
            SettingValue::Word("none".into()),
        ),
    };
    vec![config, parameters]
}

/// Session affinity (off, or `SOURCE_IP` with its timeout in minutes, default 60).
fn session(a: &ListenerAnnotations, out: &mut Vec<Setting>) {
    let Some(mode) = &a.session_affinity else {
        out.push(Setting::default(
            SettingKey::SESSION_AFFINITY,
            SettingValue::On(false),
        ));
        return;
    };
    let sticky = mode.value == "SOURCE_IP";
    out.push(Setting::written(
        SettingKey::SESSION_AFFINITY,
        keys::ELB_SESSION_AFFINITY_MODE,
        if sticky {
            SettingValue::Word(mode.value.clone())
        } else {
            SettingValue::Text(mode.value.clone())
        },
    ));
    if sticky {
        out.push(match &a.session_timeout {
            Some(t) => Setting::written(
                SettingKey::SESSION_TIMEOUT,
                keys::ELB_SESSION_AFFINITY_OPTION,
                number(t.value.as_deref().unwrap_or(""), SettingValue::Minutes),
            ),
            None => Setting::default(SettingKey::SESSION_TIMEOUT, SettingValue::Minutes(60)),
        });
    }
}

/// The health check: on unless `health-check-flag: off`, and the check for this port.
fn health(a: &ListenerAnnotations, protocol: Protocol, port: u16, out: &mut Vec<Setting>) {
    let flag = match &a.health_check_flag {
        Some(flag) => {
            let value = match flag.value.as_str() {
                "" | "on" => SettingValue::On(true),
                "off" => SettingValue::On(false),
                other => SettingValue::Text(other.to_string()),
            };
            Setting::written(SettingKey::HEALTH_CHECK, keys::ELB_HEALTH_CHECK_FLAG, value)
        }
        None => Setting::default(SettingKey::HEALTH_CHECK, SettingValue::On(true)),
    };
    let checked = flag.value != SettingValue::On(false);
    out.push(flag);
    if !checked {
        return;
    }
    out.push(match a.health_check_for(protocol, port) {
        Some((check, _)) => {
            let annotation = if a.health_checks.is_some() {
                keys::ELB_HEALTH_CHECK_OPTIONS
            } else {
                keys::ELB_HEALTH_CHECK_OPTION
            };
            Setting::written(
                SettingKey::HEALTH_CHECK_OPTION,
                annotation,
                health_check(check, protocol),
            )
        }
        None => Setting::default(
            SettingKey::HEALTH_CHECK_OPTION,
            health_check(&HealthCheck::default(), protocol),
        ),
    });
}

/// Pass-through as written, or implied by `externalTrafficPolicy: Local` on Huawei CCE.
fn pass_through(inv: &Inventory, fid: FrontendId) -> Setting {
    let f = inv.frontend(fid);
    let object = inv.object(f.object);
    let local = object
        .as_service()
        .and_then(|s| s.local_traffic_policy())
        .map(|p| p.origin);
    let version = inv.cluster(f.cluster).facts.version.as_ref();
    let implied = |value: SettingValue| Setting {
        key: SettingKey::PASS_THROUGH,
        value,
        source: SettingSource::Implied,
        annotation: None,
    };
    match f.pass_through(local, version) {
        PassThrough::On(_) => Setting::written(
            SettingKey::PASS_THROUGH,
            keys::ELB_PASS_THROUGH,
            SettingValue::Word(
                object
                    .annotations()
                    .value(keys::ELB_PASS_THROUGH)
                    .unwrap_or("true")
                    .to_string(),
            ),
        ),
        PassThrough::Off(Some(_)) => Setting::written(
            SettingKey::PASS_THROUGH,
            keys::ELB_PASS_THROUGH,
            SettingValue::On(false),
        ),
        PassThrough::Off(None) => {
            Setting::default(SettingKey::PASS_THROUGH, SettingValue::On(false))
        }
        PassThrough::Implied(_) => implied(SettingValue::Word("onlyLocal".into())),
        PassThrough::MaybeImplied(_) => implied(SettingValue::Text("onlyLocal from v1.19".into())),
    }
}

/// Keepalive (TCP and UDP 300 s, HTTP/HTTPS 60 s), and on HTTP/HTTPS the client and member
/// timeouts (60 s) and the other listener settings written.
fn timeouts(a: &ListenerAnnotations, protocol: Protocol, out: &mut Vec<Setting>) {
    let written = |key: &str| a.written.iter().find(|(k, _)| *k == key).map(|(_, v)| v);
    let keepalive_default = if protocol.is_l7() { 60 } else { 300 };
    out.push(match written(keys::ELB_KEEPALIVE_TIMEOUT) {
        Some(v) => Setting::written(
            SettingKey::KEEPALIVE_TIMEOUT,
            keys::ELB_KEEPALIVE_TIMEOUT,
            number(&v.value, SettingValue::Seconds),
        ),
        None => Setting::default(
            SettingKey::KEEPALIVE_TIMEOUT,
            SettingValue::Seconds(keepalive_default),
        ),
    });
    if !protocol.is_l7() {
        return;
    }
    for (key, annotation) in [
        (SettingKey::CLIENT_TIMEOUT, keys::ELB_CLIENT_TIMEOUT),
        (SettingKey::MEMBER_TIMEOUT, keys::ELB_MEMBER_TIMEOUT),
    ] {
        out.push(match written(annotation) {
            Some(v) => Setting::written(key, annotation, number(&v.value, SettingValue::Seconds)),
            None => Setting::default(key, SettingValue::Seconds(60)),
        });
    }
    let timeouts = [
        keys::ELB_KEEPALIVE_TIMEOUT,
        keys::ELB_CLIENT_TIMEOUT,
        keys::ELB_MEMBER_TIMEOUT,
    ];
    for (annotation, value) in &a.written {
        let https_only = keys::ELB_HTTPS_ONLY_SETTINGS.contains(annotation);
        if timeouts.contains(annotation) || (https_only && protocol != Protocol::Https) {
            continue;
        }
        out.push(Setting::written(
            SettingKey(annotation.trim_start_matches(keys::ELB_PREFIX)),
            annotation,
            SettingValue::Text(value.value.clone()),
        ));
    }
}

/// A whole number of `unit`, or the text as written when it is not one.
fn number(text: &str, unit: fn(u32) -> SettingValue) -> SettingValue {
    match text.trim().parse::<u32>() {
        Ok(n) if !text.trim().is_empty() && text.trim().bytes().all(|b| b.is_ascii_digit()) => {
            unit(n)
        }
        _ => SettingValue::Text(text.to_string()),
    }
}

/// A health check as the cloud applies it: written fields, the documented defaults for the rest
/// (delay 5 s, timeout 10 s, 3 retries, path `/` for HTTP; the port's protocol: ground truth
/// §1.6).
fn health_check(check: &HealthCheck, protocol: Protocol) -> SettingValue {
    let port_protocol = if protocol == Protocol::Udp {
        "UDP"
    } else {
        "TCP"
    };
    let checked_over = check
        .protocol
        .clone()
        .unwrap_or_else(|| port_protocol.to_string());
    let path = checked_over
        .eq_ignore_ascii_case("HTTP")
        .then(|| check.path.clone().unwrap_or_else(|| "/".to_string()));
    SettingValue::HealthCheck {
        protocol: checked_over,
        delay: check.delay.clone().unwrap_or_else(|| "5".into()),
        timeout: check.timeout.clone().unwrap_or_else(|| "10".into()),
        max_retries: check.max_retries.clone().unwrap_or_else(|| "3".into()),
        path,
    }
}

/// JSON with its keys sorted and no spacing, so that two ways of writing the same parameters
/// compare equal; the text as written when it is not JSON.
fn normalized_json(text: &str) -> String {
    serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| serde_json::to_string(&v).ok())
        .unwrap_or_else(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

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
