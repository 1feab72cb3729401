//! Where an object's load balancer comes from beyond its ID: what `elb.autocreate` asks for, the
//! load balancer a dump shows its controller created, and a CCE Service that asks for none.

use super::{AutoCreate, ElbClass};
use crate::k8s::{Annotations, Located, keys};

/// What an `elb.autocreate` value asks for; `None` when it is not a JSON object (LB016).
pub(super) fn auto_create(text: &str) -> Option<AutoCreate> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    let map = value.as_object()?;
    let given = |key: &str| match map.get(key) {
        Some(serde_json::Value::String(s)) => !s.trim().is_empty(),
        Some(serde_json::Value::Array(items)) => !items.is_empty(),
        Some(serde_json::Value::Null) | None => false,
        Some(_) => true,
    };
    Some(AutoCreate {
        available_zone: given("available_zone"),
        l4_flavor: given("l4_flavor_name"),
        l7_flavor: given("l7_flavor_name"),
    })
}

/// The load balancer a copy of the live object shows its controller created (see
/// `Frontend::created_lb`).
pub(super) fn created_lb(
    annotations: &Annotations,
    is_cce: bool,
    is_tke: bool,
) -> Option<Located<String>> {
    let written = |key: &str| {
        annotations
            .get(key)
            .filter(|a| !a.value.trim().is_empty())
            .map(|a| Located {
                value: a.value.trim().to_string(),
                origin: a.origin,
            })
    };
    if is_cce && annotations.get(keys::ELB_AUTOCREATE).is_some() {
        return written(keys::ELB_ID);
    }
    if is_tke && written(keys::TKE_EXISTED_LBID).is_none() {
        return written(keys::TKE_LOADBALANCE_ID);
    }
    None
}

/// A CCE Service that names no ELB and asks for none (see `Frontend::no_elb`). The open-source
/// controller's classes (LB011) auto-create an ELB without `elb.id`: not this case.
pub(super) fn asks_no_elb(annotations: &Annotations) -> bool {
    let cce_class = annotations.get(keys::ELB_CLASS).is_none_or(|c| {
        matches!(
            ElbClass::parse(&c.value),
            ElbClass::Union | ElbClass::Performance
        )
    });
    cce_class
        && annotations
            .get(keys::ELB_ID)
            .is_none_or(|a| a.value.trim().is_empty())
        && annotations.get(keys::ELB_AUTOCREATE).is_none()
}
