//! The config's values that are checked as they are read (serde `deserialize_with`): cluster
//! names, versions, quotas, member weights, listeners, the renderer and its timeout, and the
//! weight drift threshold. A bad value is an error that names its key.

use serde::{Deserialize, Deserializer};

use super::{ENGINES, Renderer};
use crate::facts::K8sVersion;
use crate::k8s::Protocol;

pub(super) fn cluster_name<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let name = String::deserialize(d)?;
    let ok = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if ok {
        Ok(name)
    } else {
        Err(serde::de::Error::custom(format!(
            "name: invalid cluster name \"{name}\": use letters, digits, '-', '_' and '.'"
        )))
    }
}

pub(super) fn version<'de, D: Deserializer<'de>>(d: D) -> Result<Option<K8sVersion>, D::Error> {
    let text = String::deserialize(d)?;
    text.parse::<K8sVersion>()
        .map(Some)
        .map_err(|e| serde::de::Error::custom(format!("version: {e}")))
}

pub(super) fn quota<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    let quota = u32::deserialize(d)?;
    if quota == 0 {
        return Err(serde::de::Error::custom(
            "listener_quota: must be 1 or more",
        ));
    }
    Ok(Some(quota))
}

pub(super) fn rule_quota<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    let quota = u32::deserialize(d)?;
    if quota == 0 {
        return Err(serde::de::Error::custom("rule_quota: must be 1 or more"));
    }
    Ok(Some(quota))
}

pub(super) fn member_weight<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let weight = u32::deserialize(d)?;
    if weight > 100 {
        return Err(serde::de::Error::custom(format!(
            "weight: a member weight must be 0-100, found {weight}"
        )));
    }
    Ok(weight)
}

pub(super) fn listener<'de, D: Deserializer<'de>>(d: D) -> Result<(Protocol, u16), D::Error> {
    let text = String::deserialize(d)?;
    parse_listener(&text).ok_or_else(|| {
        serde::de::Error::custom(format!(
            "listener: invalid listener \"{text}\": expected PROTOCOL:PORT such as TCP:80 (TCP, UDP, HTTP, HTTPS)"
        ))
    })
}

/// `TCP:80` and the like.
fn parse_listener(text: &str) -> Option<(Protocol, u16)> {
    let (protocol, port) = text.split_once(':')?;
    let protocol = protocol.trim().parse::<Protocol>().ok()?;
    let port = port.trim().parse::<u16>().ok().filter(|&p| p > 0)?;
    Some((protocol, port))
}

pub(super) fn renderer<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Renderer>, D::Error> {
    let text = String::deserialize(d)?;
    match text.trim() {
        "auto" => Ok(Some(Renderer::Auto)),
        "off" => Ok(Some(Renderer::Off)),
        name => match ENGINES.iter().find(|e| **e == name) {
            Some(engine) => Ok(Some(Renderer::Engine(engine))),
            // The repository's config never names a program: in CI it is the pull request's.
            None => Err(serde::de::Error::custom(format!(
                "render.kustomize: expected auto, off, kustomize, kubectl or oc, found \"{}\"; a program path is given only by whoever runs lbplan, with --kustomize-bin or LBPLAN_KUSTOMIZE",
                crate::text::visible(&name.chars().take(80).collect::<String>())
            ))),
        },
    }
}

pub(super) fn timeout<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<std::time::Duration>, D::Error> {
    let seconds = f64::deserialize(d)?;
    if !(seconds > 0.0 && seconds <= 86_400.0) {
        return Err(serde::de::Error::custom(format!(
            "render.timeout: seconds per render, more than 0 and at most 86400, found {seconds}"
        )));
    }
    Ok(Some(std::time::Duration::from_secs_f64(seconds)))
}

pub(super) fn threshold<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let points = f64::deserialize(d)?;
    if !(0.0..=100.0).contains(&points) {
        return Err(serde::de::Error::custom(format!(
            "weight_drift_threshold must be 0-100 percentage points, found {points}"
        )));
    }
    // Percentage points to basis points of a share, rounded to the nearest basis point.
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "points is 0-100, checked above: the product is 0-10000"
    )]
    Ok(Some((points * 100.0).round() as u64))
}
