//! The real binary on the bundled fixtures, whole outputs compared: `tests/cmd/*.toml`, and
//! `tests/cmd/env/*.toml` for the cases that set the width or the colour variables themselves.
//! Regenerate expected outputs after an intended change with `TRYCMD=overwrite cargo test --test cli`
//! and review the diff. trycmd normalizes `\` to `/` on both sides before comparing, so JSON escapes
//! read `/"` in the `.stdout` snapshots; the comparison itself is exact.

#[test]
fn cli() {
    trycmd::TestCases::new()
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .case("tests/cmd/*.toml");
}

/// Cases about the environment itself (`COLUMNS`, `FORCE_COLOR`, `NO_COLOR`): trycmd's defaults
/// above would override theirs, so each sets what it needs in `env.add` and `env.remove`.
#[test]
fn cli_environment() {
    trycmd::TestCases::new().case("tests/cmd/env/*.toml");
}
