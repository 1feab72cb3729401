//! The render cache with the real helm, on a chart larger than the memory a private copy may hold
//! (`src/helm/copy/files.rs`): it renders and lints exactly as the same chart without its bulk,
//! and its warm run renders nothing. A wrapper around helm (given through `LBPLAN_HELM`) counts
//! helm's renders. Nothing here is timed.
//!
//! Each test needs helm on PATH; without it, it prints a `SKIPPED:` line, or fails where
//! `LBPLAN_REQUIRE_HELM` is set (`.ci/run`).
#![cfg(unix)]

mod common;

use std::path::Path;

use common::helm::{helm, json, lbplan, markers, placed, root};
use common::scratch::script;

/// More than a copy holds in memory (4 MiB), in files the chart carries but no template reads.
const BULK_FILES: usize = 5;
const BULK_FILE_BYTES: usize = 1 << 20;

/// A copy of the fixture chart `values-driven` at `repo/charts/app`, with `bulk` files.
fn repository(repo: &Path, bulk: bool) {
    let from = root().join("fixtures/helm/values-driven");
    for file in [
        "Chart.yaml",
        "values.yaml",
        "templates/_helpers.tpl",
        "templates/deployment.yaml",
        "templates/service.yaml",
    ] {
        let text = std::fs::read_to_string(from.join(file)).expect("fixture");
        common::scratch::write(repo, &format!("charts/app/{file}"), &text);
    }
    if bulk {
        let line = format!("{}\n", "#".repeat(63));
        let text = line.repeat(BULK_FILE_BYTES / line.len());
        for i in 0..BULK_FILES {
            common::scratch::write(repo, &format!("charts/app/files/bulk-{i}.txt"), &text);
        }
    }
}

#[test]
fn a_chart_larger_than_a_copy_holds_renders_as_a_small_one_and_is_cached() {
    let Some(helm) = helm("a_chart_larger_than_a_copy_holds_renders_as_a_small_one_and_is_cached")
    else {
        return;
    };
    let temp = tempfile::tempdir().expect("temp");
    let calls = temp.path().join("calls");
    let wrapper = script(
        &temp.path().join("bin/helm"),
        &format!(
            "echo \"$1\" >> '{}'\nexec '{}' \"$@\"",
            calls.display(),
            helm.display()
        ),
    );
    let renders = || {
        std::fs::read_to_string(&calls)
            .unwrap_or_default()
            .lines()
            .filter(|l| *l == "template")
            .count()
    };
    let lint = |name: &str| {
        let (repo, scratch) = (
            temp.path().join(name),
            temp.path().join(format!("{name}-tmp")),
        );
        std::fs::create_dir_all(&scratch).expect("mkdir");
        let cache = temp.path().join(format!("{name}-cache"));
        let env = [
            ("LBPLAN_HELM", wrapper.to_str().expect("utf-8")),
            ("LBPLAN_CACHE_DIR", cache.to_str().expect("utf-8")),
        ];
        let out = lbplan(
            &repo,
            &scratch,
            &["lint", "--format", "json", "charts"],
            &env,
        );
        assert!(
            common::scratch::empty(&scratch),
            "the temporary folder is left empty"
        );
        json(&out)
    };
    repository(&temp.path().join("small"), false);
    repository(&temp.path().join("large"), true);
    let small = lint("small");
    let large = lint("large");
    assert_eq!(renders(), 2);
    let expected = markers(
        &temp.path().join("small/charts"),
        &temp.path().join("small"),
        "# expect:",
    );
    assert!(!expected.is_empty());
    assert_eq!(placed(&small).0, expected, "{small:#}");
    assert_eq!(placed(&large), placed(&small), "{large:#}");
    assert_eq!(large["findings"], small["findings"]);

    let warm = lint("large");
    assert_eq!(renders(), 2, "the warm run of the large chart rendered");
    assert_eq!(warm, large);
}
