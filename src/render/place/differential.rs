//! `place.rs` against Kustomize itself: every Kustomize overlay of the test suite's fixtures
//! (`fixtures/`, `tests/`) and of `cargo bench --bench render`'s repository is rendered plain and
//! placed from the graph, and rendered again with origin annotations (the way lbplan found origins
//! before). The streams must be byte-identical, and each placed overlay's origins must equal the
//! annotations' (the transformations compared as the resolver reads them: those it follows,
//! repeats in a row once), or else every key and value of every object must resolve to the same
//! file and span. One exception: where Kustomize lost an object's origin annotation (a patch
//! that adds `/metadata/annotations` replaces the build's too, and the annotations then say the
//! patch made the object), the placed origin (its file) is counted apart. An overlay that falls
//! back is counted, and only the expected ones may.
//!
//! `LBPLAN_PLACE_EXTRA=DIR:DIR` adds the overlays of other repositories (any of which may fall
//! back or fail to render; one placed must still be right). Needs `kustomize` or `kubectl` on
//! PATH; skipped with a `SKIPPED:` line where neither is.

#[cfg(test)]
mod tests;
