//! The rule catalog. One rule per file, in a folder per family of the catalog (`values/` LB0xx,
//! `listeners/` LB1xx, `backends/` LB2xx, `cluster/` LB3xx, `l7/` LB4xx, `transitions/` LB5xx;
//! the registry below lists them by family); each is declared with `declare_rule!`, whose doc
//! comment is the rule's only documentation: `lbplan explain`, `lbplan rules` and the README's
//! rule table all read it from [`RuleMeta::doc`]. The machinery the rules use sits beside the
//! families: `context.rs`, `transition.rs`, `finding.rs`, `suppress.rs`, `catalog.rs`.

pub mod catalog;
mod context;
mod finding;
pub mod identity;
mod inferred;
mod summary;
pub mod suppress;
pub mod transition;

pub use context::{Context, LoadProblem, Sink, first_conflicts};
pub use finding::{Finding, Related, Severity};
pub use inferred::say_inferred_facts;
pub use summary::Summary;

use serde::Serialize;
use strum::IntoStaticStr;

/// Which clouds a rule applies to, as rules.md writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, IntoStaticStr)]
pub enum Scope {
    /// Huawei CCE and CT Cloud CCE.
    #[serde(rename = "CCE")]
    #[strum(serialize = "CCE")]
    Cce,
    /// Tencent TKE.
    #[serde(rename = "TKE")]
    #[strum(serialize = "TKE")]
    Tke,
    /// Any Kubernetes cluster.
    #[serde(rename = "K8S")]
    #[strum(serialize = "K8S")]
    K8s,
    /// Any provider (lbplan's own rules and listener rules).
    #[serde(rename = "any")]
    #[strum(serialize = "any")]
    Any,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A rule's identity and documentation.
#[derive(Debug)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub scope: Scope,
    /// The doc comment, one literal per line (each with rustdoc's leading space).
    pub doc_lines: &'static [&'static str],
    /// The cluster facts its findings rest on: a finding says where an inferred one comes from.
    pub facts: &'static [crate::facts::Fact],
    /// A transition rule (LB5xx): it judges a change, base -> head, in `lbplan diff` only.
    pub transition: bool,
}

/// The four sections every rule's documentation has, in order.
pub const DOC_SECTIONS: [&str; 4] = ["What it does", "Why it matters", "Example", "Fix"];

impl RuleMeta {
    /// The documentation as Markdown.
    pub fn doc(&self) -> String {
        let mut text = String::new();
        for line in self.doc_lines {
            text.push_str(line.strip_prefix(' ').unwrap_or(line));
            text.push('\n');
        }
        text.trim().to_string() + "\n"
    }

    /// The first paragraph of the documentation, joined into one line: the rule in one sentence.
    pub fn summary(&self) -> String {
        let lines: Vec<&str> = self
            .doc_lines
            .iter()
            .map(|l| l.trim())
            .take_while(|l| !l.is_empty())
            .collect();
        lines.join(" ")
    }

    /// The text of one `## Section` of the documentation.
    pub fn section(&self, title: &str) -> Option<String> {
        let doc = self.doc();
        let header = format!("## {title}\n");
        let start = doc.find(&header)? + header.len();
        let rest = doc.get(start..)?;
        let end = rest.find("\n## ").map_or(rest.len(), |i| i + 1);
        Some(rest.get(..end)?.trim().to_string())
    }
}

pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    /// The findings of one set of manifests (lint rules; a transition rule has none).
    fn check(&self, cx: &Context, out: &mut Sink);
    /// The findings of a change, base -> head (transition rules; a lint rule has none).
    fn check_transition(
        &self,
        _tx: &transition::Transition,
        _out: &mut transition::TransitionSink,
    ) {
    }
}

/// Declare a rule: its doc comment becomes its documentation, the fields its identity, and
/// `check` the function that reports its findings. The module gets a `META` static (the rule's
/// [`RuleMeta`]) for the findings it builds.
///
/// ```ignore
/// declare_rule! {
///     /// One-sentence summary.
///     ///
///     /// ## What it does
///     /// ...
///     pub struct ListenerConflict {
///         code: "LB101", name: "listener-conflict", severity: Error, scope: Any, check: check,
///         facts: [ProxyMode],   // optional: the cluster facts its findings rest on
///     }
/// }
///
/// fn check(cx: &Context, out: &mut Sink) { ... cx.finding(&META, ...) ... }
/// ```
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis struct $rule:ident {
            code: $code:literal,
            name: $name:literal,
            severity: $severity:ident,
            scope: $scope:ident,
            check: $check:path
            $(, facts: [$($fact:ident),* $(,)?])? $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        $vis struct $rule;

        /// This rule's identity and documentation.
        pub(crate) static META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
            code: $code,
            name: $name,
            severity: $crate::rules::Severity::$severity,
            scope: $crate::rules::Scope::$scope,
            doc_lines: &[$($doc),*],
            facts: &[$($($crate::facts::Fact::$fact),*)?],
            transition: false,
        };

        impl $crate::rules::Rule for $rule {
            fn meta(&self) -> &'static $crate::rules::RuleMeta {
                &META
            }

            fn check(&self, cx: &$crate::rules::Context, out: &mut $crate::rules::Sink) {
                $check(cx, out)
            }
        }
    };
    // A transition rule (LB5xx): `transition` judges a change, base -> head.
    (
        $(#[doc = $doc:literal])*
        $vis:vis struct $rule:ident {
            code: $code:literal,
            name: $name:literal,
            severity: $severity:ident,
            scope: $scope:ident,
            transition: $check:path $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        $vis struct $rule;

        /// This rule's identity and documentation.
        pub(crate) static META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
            code: $code,
            name: $name,
            severity: $crate::rules::Severity::$severity,
            scope: $crate::rules::Scope::$scope,
            doc_lines: &[$($doc),*],
            facts: &[],
            transition: true,
        };

        impl $crate::rules::Rule for $rule {
            fn meta(&self) -> &'static $crate::rules::RuleMeta {
                &META
            }

            fn check(&self, _cx: &$crate::rules::Context, _out: &mut $crate::rules::Sink) {}

            fn check_transition(
                &self,
                tx: &$crate::rules::transition::Transition,
                out: &mut $crate::rules::transition::TransitionSink,
            ) {
                $check(tx, out)
            }
        }
    };
}

/// The registry: one `module::Rule` per line, grouped by family (a folder of `rules/`, named after
/// the rule catalog's family and its code range), declares the module and lists the rule in
/// [`RULES`].
macro_rules! rules {
    ($($(#[doc = $doc:literal])* $family:ident { $($module:ident::$rule:ident),* $(,)? })*) => {
        $(
            $(#[doc = $doc])*
            mod $family {
                $(pub(super) mod $module;)*
            }
        )*

        /// Every rule, in code order.
        pub static RULES: &[&dyn Rule] = &[$($(&$family::$module::$rule),*),*];
    };
}

rules! {
    /// LB0xx: input and annotation values.
    values {
        lb001_invalid_yaml::InvalidYaml,
        lb002_unused_suppression::UnusedSuppression,
        lb010_invalid_bool_annotation::InvalidBoolAnnotation,
        lb011_invalid_elb_class::InvalidElbClass,
        lb012_invalid_multicluster_weight::InvalidMulticlusterWeight,
        lb013_invalid_protocol_port::InvalidProtocolPort,
        lb014_https_without_cert::HttpsWithoutCert,
        lb015_cert_without_https::CertWithoutHttps,
        lb016_invalid_autocreate::InvalidAutocreate,
        lb017_id_and_autocreate::IdAndAutocreate,
        lb018_system_annotation_set::SystemAnnotationSet,
        lb019_invalid_recycle_policy::InvalidRecyclePolicy,
        lb020_tke_share_incomplete::TkeShareIncomplete,
        lb021_tke_service_config_conflict::TkeServiceConfigConflict,
        lb022_invalid_lb_algorithm::InvalidLbAlgorithm,
        lb023_invalid_custom_weight::InvalidCustomWeight,
        lb024_annotation_without_effect::AnnotationWithoutEffect,
        lb025_live_object_committed::LiveObjectCommitted,
        lb026_placeholder_lb_id::PlaceholderLbId,
        lb027_health_check_protocol_mismatch::HealthCheckProtocolMismatch,
        lb028_auto_lb_borrowed::AutoLbBorrowed,
        lb029_autocreate_incomplete::AutocreateIncomplete,
        lb030_invalid_object_shape::InvalidObjectShape,
    }
    /// LB1xx: listeners.
    listeners {
        lb101_listener_conflict::ListenerConflict,
        lb102_port_protocol_clash::PortProtocolClash,
        lb103_tke_share_discouraged::TkeShareDiscouraged,
        lb104_listener_quota::ListenerQuota,
        lb105_udp_port_4789::UdpPort4789,
        lb106_ingress_http_service_listener::IngressHttpServiceListener,
        lb107_mixed_protocol_service::MixedProtocolService,
    }
    /// LB2xx: backends and weights.
    backends {
        lb201_multicluster_partial::MulticlusterPartial,
        lb202_multicluster_needs_existing_elb::MulticlusterNeedsExistingElb,
        lb203_multivpc_needs_multicluster::MultivpcNeedsMulticluster,
        lb204_multivpc_needs_performance::MultivpcNeedsPerformance,
        lb205_multivpc_udp::MultivpcUdp,
        lb206_shared_cascade::SharedCascade,
        lb207_multicluster_version::MulticlusterVersion,
        lb208_weight_drift::WeightDrift,
        lb209_zero_weight::ZeroWeight,
        lb210_no_serving_backends::NoServingBackends,
        lb211_no_target_pods::NoTargetPods,
        lb212_custom_weights_conflict::CustomWeightsConflict,
        lb213_adaptive_weight_pod_mode::AdaptiveWeightPodMode,
        lb214_source_ip_ignores_weights::SourceIpIgnoresWeights,
        lb215_direct_access_pod_network::DirectAccessPodNetwork,
        lb216_direct_access_backend_limit::DirectAccessBackendLimit,
        lb217_direct_mode_only_annotation::DirectModeOnlyAnnotation,
        lb218_weighted_balance_needs_bind::WeightedBalanceNeedsBind,
        lb219_multicluster_settings_mismatch::MulticlusterSettingsMismatch,
    }
    /// LB3xx: cluster compatibility.
    cluster {
        lb301_ipvs_ingress_service_share::IpvsIngressServiceShare,
        lb302_ipvs_pass_through_mismatch::IpvsPassThroughMismatch,
        lb303_turbo_local_traffic_policy::TurboLocalTrafficPolicy,
        lb304_dedicated_elb_version::DedicatedElbVersion,
        lb305_l7_service_version::L7ServiceVersion,
        lb306_ipvs_node_external_ip::IpvsNodeExternalIp,
        lb307_local_policy_in_cluster_access::LocalPolicyInClusterAccess,
        lb308_direct_access_version::DirectAccessVersion,
        lb309_direct_access_network::DirectAccessNetwork,
        lb310_ipvs_cross_cluster_hijack::IpvsCrossClusterHijack,
        lb311_pass_through_version::PassThroughVersion,
    }
    /// LB4xx: L7 forwarding rules.
    l7 {
        lb401_l7_duplicate_rule::L7DuplicateRule,
        lb402_l7_listener_settings_ignored::L7ListenerSettingsIgnored,
        lb403_l7_sni_conflict::L7SniConflict,
        lb404_l7_rule_quota::L7RuleQuota,
        lb405_l7_backend_service_type::L7BackendServiceType,
        lb406_l7_backend_missing::L7BackendMissing,
        lb407_l7_invalid_match_mode::L7InvalidMatchMode,
        lb408_l7_path_host_format::L7PathHostFormat,
        lb409_tke_clb_shared_by_ingress::TkeClbSharedByIngress,
        lb410_tke_rule_mix::TkeRuleMix,
        lb411_l7_protocol_mismatch::L7ProtocolMismatch,
    }
    /// LB5xx: transitions, base -> head (`lbplan diff`).
    transitions {
        lb501_weight_annotation_removed::WeightAnnotationRemoved,
        lb502_traffic_policy_switched::TrafficPolicySwitched,
        lb503_cascade_recycle::CascadeRecycle,
        lb504_shared_clb_joint_rollout::SharedClbJointRollout,
        lb505_address_changed::AddressChanged,
        lb506_listener_removed::ListenerRemoved,
        lb507_backends_drained::BackendsDrained,
        lb508_share_shift::ShareShift,
        lb509_multicluster_dropped::MulticlusterDropped,
        lb510_system_annotation_edited::SystemAnnotationEdited,
        lb511_backend_mode_switched::BackendModeSwitched,
        lb512_auto_lb_released::AutoLbReleased,
        lb513_lb_type_dropped::LbTypeDropped,
        lb514_listener_settings_changed::ListenerSettingsChanged,
        lb515_direct_rollout_gated::DirectRolloutGated,
        lb516_policy_relaxed::PolicyRelaxed,
    }
}

/// A rule by code (`LB101`, any case) or name (`listener-conflict`).
pub fn find(code_or_name: &str) -> Option<&'static dyn Rule> {
    let wanted = code_or_name.trim();
    RULES.iter().copied().find(|r| {
        let meta = r.meta();
        meta.code.eq_ignore_ascii_case(wanted) || meta.name == wanted
    })
}

/// Run every lint rule.
pub fn check_all(cx: &Context) -> Sink {
    let mut sink = Sink::default();
    for rule in RULES.iter().filter(|r| !r.meta().transition) {
        rule.check(cx, &mut sink);
    }
    sink
}
