//! A listener's settings compared across the sides: those a Service gives its listener
//! (algorithm, session affinity, health check, pass-through, timeouts, TKE's listener
//! configuration: [`crate::plan::service_settings`]) and those Ingresses give a CCE layer-7
//! listener (certificate, TLS policy, HTTP/2, timeouts, ACL, `X-Forwarded-*`, gzip:
//! [`crate::plan::forwarding::ListenerSettings`]). Each setting whose value differs is one row,
//! `was → now`, with where each value comes from (written, the documented default, implied).

use serde_json::{Value, json};

use crate::k8s::keys;
use crate::plan::forwarding::ListenerSettings;
use crate::plan::service_settings::{self, ServiceSettings, Setting, SettingSource};

/// One side of a setting that changes.
#[derive(Clone, Debug, PartialEq)]
pub struct SettingSide {
    /// The value as tables show it (`SOURCE_IP`, `300 s`, `on`), or `not set`.
    pub value: String,
    /// The value as JSON shows it (typed where the setting has a type).
    pub json: Value,
    pub source: SettingSource,
    /// The annotation that writes it, when one does.
    pub annotation: Option<String>,
    /// The object whose settings apply to the listener (`cluster:Kind/namespace/name`): the
    /// listener's first Service, or the Ingress that writes the value.
    pub object: Option<String>,
}

impl SettingSide {
    /// `ROUND_ROBIN (default)`, `onlyLocal (implied)`, `SOURCE_IP`.
    pub fn shown(&self) -> String {
        match self.source {
            SettingSource::Annotation => self.value.clone(),
            SettingSource::Default => format!("{} (default)", self.value),
            SettingSource::Implied => format!("{} (implied)", self.value),
        }
    }

    pub fn to_json(&self) -> Value {
        json!({"value": self.json, "source": self.source, "annotation": self.annotation,
               "object": self.object})
    }
}

/// A setting whose value differs between the sides; a side is `None` where the listener has no
/// such setting there (a TKE listener against a CCE one, a setting only HTTPS has).
#[derive(Clone, Debug, PartialEq)]
pub struct SettingRow {
    /// The setting's name: a Service setting's key (`algorithm`, `health-check-option`), or the
    /// annotation of a layer-7 setting (`kubernetes.io/elb.keepalive_timeout`, `certificate`).
    pub key: String,
    pub before: Option<SettingSide>,
    pub after: Option<SettingSide>,
}

impl SettingRow {
    /// `algorithm: ROUND_ROBIN (default) → SOURCE_IP`.
    pub fn describe(&self) -> String {
        format!("{}: {}", self.key, self.was_now())
    }

    /// `ROUND_ROBIN (default) → SOURCE_IP`.
    pub fn was_now(&self) -> String {
        let side =
            |s: Option<&SettingSide>| s.map_or_else(|| "not set".to_string(), SettingSide::shown);
        format!(
            "{} → {}",
            side(self.before.as_ref()),
            side(self.after.as_ref())
        )
    }
}

/// The rows of a listener whose settings change: the Service settings, then the layer-7 ones.
pub fn setting_rows(
    before: (Option<&ServiceSettings>, Option<&ListenerSettings>),
    after: (Option<&ServiceSettings>, Option<&ListenerSettings>),
) -> Vec<SettingRow> {
    let mut rows: Vec<SettingRow> = service_settings::changes(before.0, after.0)
        .into_iter()
        .map(|c| SettingRow {
            key: c.key.to_string(),
            before: c.before.map(|s| service_side(s, before.0)),
            after: c.after.map(|s| service_side(s, after.0)),
        })
        .collect();
    rows.extend(l7_rows(before.1, after.1));
    rows
}

fn service_side(setting: &Setting, of: Option<&ServiceSettings>) -> SettingSide {
    SettingSide {
        value: setting.value.to_string(),
        json: serde_json::to_value(&setting.value).unwrap_or(Value::Null),
        source: setting.source,
        annotation: setting.annotation.map(str::to_string),
        object: of.map(|s| s.from.clone()),
    }
}

/// A layer-7 setting as one side has it: the value an Ingress writes, else the documented
/// default (which a side that writes nothing has too), else not set.
fn l7_side(settings: Option<&ListenerSettings>, key: &str) -> Option<SettingSide> {
    let settings = settings?;
    let written = settings.values.iter().find(|v| v.key == key);
    let default = keys::ELB_LISTENER_SETTINGS
        .iter()
        .find(|(k, _)| *k == key)
        .and_then(|(_, d)| *d);
    let (value, source, object) = match written {
        Some(v) if v.from.is_some() => (v.value.clone(), SettingSource::Annotation, v.from.clone()),
        _ => (default.map(str::to_string), SettingSource::Default, None),
    };
    let value = value?;
    let annotation = (source == SettingSource::Annotation
        && key != crate::plan::settings::CERTIFICATE)
        .then(|| key.to_string());
    Some(SettingSide {
        json: Value::String(value.clone()),
        value,
        source,
        annotation,
        object,
    })
}

fn l7_rows(before: Option<&ListenerSettings>, after: Option<&ListenerSettings>) -> Vec<SettingRow> {
    let mut keys: Vec<&str> = before
        .into_iter()
        .chain(after)
        .flat_map(|s| s.values.iter().map(|v| v.key.as_str()))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys.into_iter()
        .filter_map(|key| {
            let (b, a) = (l7_side(before, key), l7_side(after, key));
            let value = |s: &Option<SettingSide>| s.as_ref().map(|s| s.value.clone());
            (value(&b) != value(&a)).then(|| SettingRow {
                key: key.to_string(),
                before: b,
                after: a,
            })
        })
        .collect()
}
