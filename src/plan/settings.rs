//! CCE listener settings: Ingresses on one listener may each write them, and only the first
//! route's take effect (ingress-l7.md F9: certificate, TLS policy, HTTP/2, timeouts, ACL,
//! `X-Forwarded-*`, gzip). The plan shows the effective value of each and LB402 reports the
//! others, from the same comparison.

use super::forwarding::{FirstRouteBy, IgnoredValue, ListenerSettings, SettingValue};
use crate::k8s::{Protocol, keys};
use crate::model::{FrontendId, Inventory};
use crate::source::Origin;

/// The key under which the server certificate is compared.
pub const CERTIFICATE: &str = "certificate";

/// A listener setting one Ingress writes.
#[derive(Debug, Clone)]
pub struct Written {
    pub frontend: FrontendId,
    pub value: String,
    /// The annotation, or the TLS Secret, that writes it.
    pub origin: Origin,
}

/// One setting of a listener: what takes effect and what does not.
#[derive(Debug, Clone)]
pub struct SettingCheck {
    pub key: &'static str,
    /// The first route's value; `None` when it writes none.
    pub effective: Option<Written>,
    /// The documented default, which applies when the first route writes nothing.
    pub default: Option<&'static str>,
    /// Values other Ingresses write that differ from the effective one.
    pub ignored: Vec<Written>,
}

impl SettingCheck {
    /// The value that takes effect, if known.
    pub fn effective_value(&self) -> Option<&str> {
        self.effective
            .as_ref()
            .map(|w| w.value.as_str())
            .or(self.default)
    }
}

/// The server certificate an Ingress gives its HTTPS listener: the first of
/// `kubernetes.io/elb.tls-certificate-ids` (which CCE prefers to TLS Secrets), else the Secret of
/// its first `spec.tls` entry.
pub fn server_certificate(inv: &Inventory, fid: FrontendId) -> Option<Written> {
    let f = inv.frontend(fid);
    let object = inv.object(f.object);
    if let Some(ids) = f
        .ingress
        .as_deref()
        .and_then(|x| x.elb_certificates.as_ref())
    {
        return ids.value.first().map(|id| Written {
            frontend: fid,
            value: format!("ELB certificate {id}"),
            origin: ids.origin,
        });
    }
    let tls = object
        .as_ingress()?
        .tls_entries
        .iter()
        .find_map(|t| t.secret.as_ref())?;
    Some(Written {
        frontend: fid,
        value: format!("Secret {}/{}", object.meta.namespace, tls.value),
        origin: tls.origin,
    })
}

/// Every setting written by an Ingress of `order` (first route first), compared with the first
/// route's.
pub fn setting_checks(
    inv: &Inventory,
    protocol: Protocol,
    order: &[FrontendId],
) -> Vec<SettingCheck> {
    let https = protocol == Protocol::Https;
    let mut checks = Vec::new();
    let mut compare = |key: &'static str, default: Option<&'static str>, written: Vec<Written>| {
        if written.is_empty() {
            return;
        }
        let effective = written
            .iter()
            .find(|w| Some(&w.frontend) == order.first())
            .cloned();
        let value = effective
            .as_ref()
            .map(|w| w.value.clone())
            .or(default.map(str::to_string));
        let ignored = written
            .into_iter()
            .filter(|w| Some(&w.value) != value.as_ref())
            .collect();
        checks.push(SettingCheck {
            key,
            effective,
            default,
            ignored,
        });
    };
    if https {
        let written = order
            .iter()
            .filter_map(|&fid| server_certificate(inv, fid))
            .collect();
        compare(CERTIFICATE, None, written);
    }
    for (key, default) in keys::ELB_LISTENER_SETTINGS {
        if !https && keys::ELB_HTTPS_ONLY_SETTINGS.contains(&key) {
            continue;
        }
        let written = order
            .iter()
            .filter_map(|&fid| {
                let facts = inv.frontend(fid).ingress.as_deref()?;
                let setting = facts.settings.iter().find(|s| s.key == key)?;
                Some(Written {
                    frontend: fid,
                    value: setting.value.clone(),
                    origin: setting.origin,
                })
            })
            .collect();
        compare(key, default, written);
    }
    checks
}

/// The settings as the plan shows them.
pub(super) fn listener_settings(
    inv: &Inventory,
    protocol: Protocol,
    order: &[FrontendId],
    chosen_by: FirstRouteBy,
) -> ListenerSettings {
    let name = |fid: FrontendId| inv.qualified_label(inv.frontend(fid).object);
    ListenerSettings {
        first_route: order.first().map(|&f| name(f)).unwrap_or_default(),
        chosen_by,
        values: setting_checks(inv, protocol, order)
            .into_iter()
            .map(|check| SettingValue {
                key: check.key.to_string(),
                value: check.effective_value().map(str::to_string),
                from: check.effective.as_ref().map(|w| name(w.frontend)),
                ignored: check
                    .ignored
                    .iter()
                    .map(|w| IgnoredValue {
                        object: name(w.frontend),
                        value: w.value.clone(),
                    })
                    .collect(),
            })
            .collect(),
    }
}
