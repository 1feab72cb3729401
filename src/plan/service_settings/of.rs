//! Computing a listener's settings from its Services' annotations (see the parent module).

use super::{
    HealthCheckValue, IgnoredSetting, ServiceSettings, Setting, SettingKey, SettingSource,
    SettingValue,
};
use crate::k8s::{Protocol, keys};
use crate::model::frontend::{HealthCheck, ListenerAnnotations, PassThrough};
use crate::model::{FrontendId, Inventory};

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
pub(super) fn number(text: &str, unit: fn(u32) -> SettingValue) -> SettingValue {
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
pub(super) fn health_check(check: &HealthCheck, protocol: Protocol) -> SettingValue {
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
    SettingValue::HealthCheck(HealthCheckValue {
        protocol: checked_over,
        delay: check.delay.clone().unwrap_or_else(|| "5".into()),
        timeout: check.timeout.clone().unwrap_or_else(|| "10".into()),
        max_retries: check.max_retries.clone().unwrap_or_else(|| "3".into()),
        path,
    })
}

/// JSON with its keys sorted and no spacing, so that two ways of writing the same parameters
/// compare equal; the text as written when it is not JSON.
pub(super) fn normalized_json(text: &str) -> String {
    serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| serde_json::to_string(&v).ok())
        .unwrap_or_else(|| text.to_string())
}
