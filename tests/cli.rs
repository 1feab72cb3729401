//! The real binary on the bundled fixtures, whole outputs compared: `tests/cmd/*.toml`.
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
