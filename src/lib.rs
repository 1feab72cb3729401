//! lbplan: lint Kubernetes manifests for cloud load-balancer conflicts and plan the listeners,
//! backend groups and weights that Huawei CCE, CT Cloud CCE and Tencent TKE would build.
//!
//! The pipeline: [`source`] finds and parses files, [`k8s`] reads objects, [`model`] gives each
//! Service and Ingress its load-balancer view, [`plan`] builds listeners and weights, [`rules`]
//! report conflicts, and [`report`] renders them, escaping input with [`text`].
//!
//! Input never reaches a panic: outside tests the crate denies `unwrap`, `expect`, `panic!`,
//! indexing and string slicing (each exception is an `allow` with its reason), and the fuzz test
//! (`tests/fuzz.rs`) mutates real manifests to keep it so.

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::string_slice,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented
    )
)]

mod baseline;
mod cache;
mod cli;
mod config;
mod diff;
mod exec;
mod exit;
mod facts;
mod gitops;
mod helm;
mod inputs;
mod k8s;
mod lint;
mod load;
mod model;
mod overlays;
mod plan;
mod relocate;
mod render;
mod report;
mod rules;
mod source;
mod suggest;
mod text;
mod threads;

pub use cli::main;

// What the integration tests use: the rule registry and its documentation, and the weight
// arithmetic. Everything else is private to the crate, so that the compiler reports dead code.
pub use plan::calculator::{Calculation, ClusterArg, calculate};
pub use plan::ratio::Ratio;
pub use plan::weights::member_weights;
pub use rules::catalog::{markdown as rules_markdown, rule_family, rule_page};
// The config types, whose serde view tests/schema traces into docs/lbplan.schema.json.
pub use config::ConfigFile;
pub use rules::{DOC_SECTIONS, RuleMeta};

/// Every rule's identity and documentation, in code order.
pub fn rule_metas() -> impl Iterator<Item = &'static RuleMeta> {
    rules::RULES.iter().map(|r| r.meta())
}
