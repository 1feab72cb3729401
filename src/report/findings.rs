//! The findings of a run (`lint`), one renderer per format: human and concise for a terminal,
//! JSON, SARIF and JUnit for machines, GitHub workflow commands; statistics (`--statistics`).

pub mod concise;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod statistics;
