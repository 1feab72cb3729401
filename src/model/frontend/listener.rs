//! The listener and backend-group settings a Service's annotations write (algorithm, session
//! affinity, health check, timeouts, TKE's listener configuration), parsed once and located. The
//! plan turns them into each listener's settings (`plan::service_settings`); the rules read them
//! here, never the annotation text.

use serde_json::Value;

use crate::k8s::{Annotations, Located, Protocol, keys};
use crate::source::Origin;

/// `kubernetes.io/elb.lb-algorithm`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LbAlgorithm {
    RoundRobin,
    LeastConnections,
    SourceIp,
}

impl LbAlgorithm {
    /// The value as CCE spells it, exactly (the documentation writes it in capitals).
    pub fn parse(text: &str) -> Option<LbAlgorithm> {
        match text.trim() {
            "ROUND_ROBIN" => Some(LbAlgorithm::RoundRobin),
            "LEAST_CONNECTIONS" => Some(LbAlgorithm::LeastConnections),
            "SOURCE_IP" => Some(LbAlgorithm::SourceIp),
            _ => None,
        }
    }
}

/// One health check a Service asks for: the whole of `elb.health-check-option`, or one entry of
/// `elb.health-check-options`. Fields are as written (`None`: not written, the default applies).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HealthCheck {
    /// `target_service_port` of an `options` entry: the Service port it is for, `("TCP", 80)`.
    pub target: Option<(String, u16)>,
    pub protocol: Option<String>,
    pub delay: Option<String>,
    pub timeout: Option<String>,
    pub max_retries: Option<String>,
    pub path: Option<String>,
    pub monitor_port: Option<String>,
}

impl HealthCheck {
    fn from_json(map: &serde_json::Map<String, Value>) -> HealthCheck {
        let text = |key: &str| match map.get(key) {
            Some(Value::String(s)) => Some(s.trim().to_string()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let target = text("target_service_port").and_then(|t| {
            let (protocol, port) = t.split_once(':')?;
            Some((
                protocol.trim().to_ascii_uppercase(),
                port.trim().parse().ok()?,
            ))
        });
        HealthCheck {
            target,
            protocol: text("protocol"),
            delay: text("delay"),
            timeout: text("timeout"),
            max_retries: text("max_retries"),
            path: text("path"),
            monitor_port: text("monitor_port"),
        }
    }

    /// Whether this check's protocol may check a listener of `protocol` (CCE documents TCP or
    /// HTTP for a TCP port, UDP for a UDP port; `UDP_CONNECT` is the ELB's own name for it). A
    /// check without a protocol uses the port's, which always fits.
    pub fn fits(&self, protocol: Protocol) -> bool {
        let Some(written) = &self.protocol else {
            return true;
        };
        let written = written.to_ascii_uppercase();
        match protocol {
            Protocol::Udp => matches!(written.as_str(), "UDP" | "UDP_CONNECT"),
            _ => matches!(written.as_str(), "TCP" | "HTTP"),
        }
    }
}

/// What a Service's listener annotations say, located at their keys. Values that do not parse are
/// kept as `None` inside their `Located`, so that findings can still point at them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListenerAnnotations {
    // CCE
    /// `kubernetes.io/elb.lb-algorithm`, with the value as written.
    pub algorithm: Option<Located<String>>,
    /// `kubernetes.io/elb.session-affinity-mode` as written (`SOURCE_IP` turns it on).
    pub session_affinity: Option<Located<String>>,
    /// `persistence_timeout` of `kubernetes.io/elb.session-affinity-option`, in minutes.
    pub session_timeout: Option<Located<Option<String>>>,
    /// `kubernetes.io/elb.health-check-flag` as written.
    pub health_check_flag: Option<Located<String>>,
    /// `kubernetes.io/elb.health-check-option`: `None` inside when it is not a JSON object.
    pub health_check: Option<Located<Option<HealthCheck>>>,
    /// `kubernetes.io/elb.health-check-options`: `None` inside when it is not a JSON list of
    /// objects.
    pub health_checks: Option<Located<Option<Vec<HealthCheck>>>>,
    /// Other listener settings written on the Service (timeouts, `X-Forwarded-*`, HTTP/2, TLS
    /// policy): each key of `keys::ELB_LISTENER_SETTINGS` that the Service writes.
    pub written: Vec<(&'static str, Located<String>)>,

    // TKE
    /// `service.cloud.tencent.com/tke-service-config`: the TkeServiceConfig named.
    pub tke_service_config: Option<Located<String>>,
    /// `service.cloud.tencent.com/tke-service-config-auto: "true"`.
    pub tke_service_config_auto: Option<Origin>,
    /// `service.kubernetes.io/service.extensiveParameters` as written.
    pub extensive_parameters: Option<Located<String>>,
}

impl ListenerAnnotations {
    /// The settings a Service's annotations write for its provider (none for an Ingress).
    pub fn of(
        provider: Option<crate::facts::Provider>,
        ingress: bool,
        annotations: &Annotations,
    ) -> ListenerAnnotations {
        match provider {
            Some(p) if p.is_cce() && !ingress => ListenerAnnotations::cce(annotations),
            Some(p) if p.is_tke() && !ingress => ListenerAnnotations::tke(annotations),
            _ => ListenerAnnotations::default(),
        }
    }

    /// The CCE settings of a Service's annotations.
    pub fn cce(annotations: &Annotations) -> ListenerAnnotations {
        let located = |key: &str| {
            annotations.get(key).map(|a| Located {
                value: a.value.trim().to_string(),
                origin: a.origin,
            })
        };
        let json = |key: &str| {
            annotations
                .get(key)
                .map(|a| (serde_json::from_str::<Value>(&a.value).ok(), a.origin))
        };
        let session_timeout = json(keys::ELB_SESSION_AFFINITY_OPTION).map(|(v, origin)| Located {
            value: v.as_ref().and_then(|v| match v.get("persistence_timeout") {
                Some(Value::String(s)) => Some(s.trim().to_string()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            }),
            origin,
        });
        let health_check = json(keys::ELB_HEALTH_CHECK_OPTION).map(|(v, origin)| Located {
            value: v
                .as_ref()
                .and_then(Value::as_object)
                .map(HealthCheck::from_json),
            origin,
        });
        let health_checks = json(keys::ELB_HEALTH_CHECK_OPTIONS).map(|(v, origin)| Located {
            value: v.as_ref().and_then(Value::as_array).and_then(|items| {
                items
                    .iter()
                    .map(|i| i.as_object().map(HealthCheck::from_json))
                    .collect()
            }),
            origin,
        });
        ListenerAnnotations {
            algorithm: located(keys::ELB_LB_ALGORITHM),
            session_affinity: located(keys::ELB_SESSION_AFFINITY_MODE),
            session_timeout,
            health_check_flag: located(keys::ELB_HEALTH_CHECK_FLAG),
            health_check,
            health_checks,
            written: keys::ELB_LISTENER_SETTINGS
                .iter()
                .filter_map(|(key, _)| located(key).map(|v| (*key, v)))
                .collect(),
            ..ListenerAnnotations::default()
        }
    }

    /// The TKE settings of a Service's annotations.
    pub fn tke(annotations: &Annotations) -> ListenerAnnotations {
        let located = |key: &str| {
            annotations.get(key).map(|a| Located {
                value: a.value.trim().to_string(),
                origin: a.origin,
            })
        };
        ListenerAnnotations {
            tke_service_config: located(keys::TKE_SERVICE_CONFIG).filter(|c| !c.value.is_empty()),
            tke_service_config_auto: annotations
                .get(keys::TKE_SERVICE_CONFIG_AUTO)
                .filter(|a| a.value == "true")
                .map(|a| a.origin),
            extensive_parameters: located(keys::TKE_EXTENSIVE_PARAMETERS),
            ..ListenerAnnotations::default()
        }
    }

    /// The algorithm, when the annotation names one CCE knows.
    pub fn lb_algorithm(&self) -> Option<Located<LbAlgorithm>> {
        let a = self.algorithm.as_ref()?;
        Some(Located {
            value: LbAlgorithm::parse(&a.value)?,
            origin: a.origin,
        })
    }

    /// Source-IP session affinity (`session-affinity-mode: SOURCE_IP`), where it is written.
    pub fn sticky(&self) -> Option<Origin> {
        self.session_affinity
            .as_ref()
            .filter(|s| s.value == "SOURCE_IP")
            .map(|s| s.origin)
    }

    /// The health check that applies to the listener `protocol:port`: the `options` entry for
    /// that Service port, else `health-check-option`; with where it is written.
    pub fn health_check_for(
        &self,
        protocol: Protocol,
        port: u16,
    ) -> Option<(&HealthCheck, Origin)> {
        if let Some(Located {
            value: Some(checks),
            origin,
        }) = &self.health_checks
        {
            let wanted = match protocol {
                Protocol::Udp => "UDP",
                _ => "TCP",
            };
            if let Some(check) = checks.iter().find(|c| {
                c.target
                    .as_ref()
                    .is_some_and(|(p, n)| p == wanted && *n == port)
            }) {
                return Some((check, *origin));
            }
        }
        match &self.health_check {
            Some(Located {
                value: Some(check),
                origin,
            }) => Some((check, *origin)),
            _ => None,
        }
    }
}
