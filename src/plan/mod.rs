//! The load-balancer plan: what the cloud controllers would build from the manifests.
//!
//! Load balancers are keyed by cloud ID, listeners by (protocol, port), and every listener holds one
//! backend group per Service whose pods it reaches (plus the external members the config names),
//! with the member weights the controller would set and each group's nominal and effective share.
//!
//! - `types.rs`: the plan as users see it (the JSON/YAML contract, the tables);
//! - `index.rs`: what the rules ask of it beyond that (claims, the Service behind each group);
//! - `build.rs`: building both from the model; `weights.rs`: the weight arithmetic;
//! - `assumptions.rs`: what the targets rest on; `facts.rs`: each cluster's facts and their
//!   sources; `natural.rs`: the order of names;
//! - `l7.rs`: an HTTP/HTTPS listener's forwarding rules and the groups they forward to;
//!   `forwarding.rs` their types; `settings.rs`: CCE listener settings and the first route;
//! - `service_settings.rs`: a Service listener's settings (algorithm, health check, ...), typed;
//! - `members.rs`: member entries as outputs show them (`--members`, collapsed table rows);
//!   `bound_nodes.rs`: the nodes a TKE CLB binds without direct access;
//! - `render.rs`: tables, JSON and YAML; `calculator.rs`: `lbplan weights --cluster`;
//! - `changes/`: two plans compared (`lbplan diff`); `kept.rs`: the weights the ELB keeps.

mod assumptions;
mod bound_nodes;
mod build;
pub mod calculator;
pub mod changes;
pub mod facts;
pub mod forwarding;
mod group_spec;
pub mod index;
pub mod kept;
mod l7;
pub mod members;
mod natural;
pub mod ratio;
pub mod service_settings;
pub mod settings;
mod types;
pub mod weights;

pub use build::build;
pub use facts::ClusterView;
pub use index::{ListenerClaim, PlanIndex, PlannedLb, PlannedListener, locate_rules};
pub use types::{BackendGroup, GroupKind, Listener, LoadBalancer, Member, Plan};
