//! The real binary on the bundled fixtures, whole outputs compared: `tests/cmd/*.toml`, and
//! `tests/cmd/env/*.toml` for the cases that set the width or the colour variables themselves.
//! Regenerate expected outputs after an intended change with `TRYCMD=overwrite cargo test --test cli`
//! and review the diff. trycmd normalizes `\` to `/` on both sides before comparing, so JSON escapes
//! read `/"` in the `.stdout` snapshots; the comparison itself is exact.

/// Twice, on one render cache that starts empty: the first pass renders (cold), the second takes
/// every render from the cache (warm), and both must print the same bytes.
#[test]
fn cli() {
    let cache = tempfile::tempdir().expect("cache folder");
    for _pass in ["cold", "warm"] {
        trycmd::TestCases::new()
            .env("NO_COLOR", "1")
            .env("COLUMNS", "100")
            .env("LBPLAN_CACHE_DIR", cache.path().display().to_string())
            .case("tests/cmd/*.toml");
    }
}

/// Cases about the environment itself (`COLUMNS`, `FORCE_COLOR`, `NO_COLOR`): trycmd's defaults
/// above would override theirs, so each sets what it needs in `env.add` and `env.remove`.
#[test]
fn cli_environment() {
    let cache = tempfile::tempdir().expect("cache folder");
    trycmd::TestCases::new()
        .env("LBPLAN_CACHE_DIR", cache.path().display().to_string())
        .case("tests/cmd/env/*.toml");
}
