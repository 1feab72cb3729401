//! lbplan: lint Kubernetes manifests for cloud load-balancer conflicts and plan the listeners,
//! backend groups and weights that Huawei CCE, CT Cloud CCE and Tencent TKE would build.
//!
//! The pipeline: [`source`] finds and parses files, [`k8s`] reads objects, [`model`] gives each
//! Service and Ingress its load-balancer view, [`plan`] builds listeners and weights, [`rules`]
//! report conflicts, and [`report`] renders them.
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

pub mod cli;
pub mod config;
pub mod exit;
pub mod facts;
pub mod k8s;
pub mod lint;
pub mod load;
pub mod model;
pub mod plan;
pub mod render;
pub mod report;
pub mod rules;
pub mod source;
