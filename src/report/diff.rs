//! The report of `lbplan diff` (`crate::diff::Report`), rendered for a terminal (`human.rs`), a
//! pull-request comment or job summary (`markdown.rs`), machines (`json.rs`) and GitHub
//! annotations (`github.rs`); `describe.rs` holds the words they share, `headline.rs` the first
//! lines. The findings in it are drawn by the findings' own renderers (`super::findings`).

mod describe;
mod github;
mod headline;
mod human;
mod json;
mod markdown;

pub use github::github;
pub use human::human;
pub use json::json;
pub use markdown::markdown;
