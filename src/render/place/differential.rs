//! `place.rs` against Kustomize itself: every Kustomize overlay of the test suite's fixtures
//! (`fixtures/`, `tests/`) and of `cargo bench --bench render`'s repository is rendered plain and
//! placed from the graph, and rendered again with origin annotations (the way lbplan found origins
//! before). The streams must be byte-identical, and each placed overlay's origins must equal the
//! annotations' (the transformations compared as the resolver reads them: those it follows,
//! repeats in a row once), or else every key and value of every object must resolve to the same
//! file and span. An overlay that falls back is counted, and only the expected ones may.
//!
//! Needs `kustomize` or `kubectl` on PATH; skipped with a `SKIPPED:` line where neither is.

#[cfg(test)]
mod tests;
