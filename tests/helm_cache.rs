//! Helm renders in the render cache: a chart renders once per change of a file its render reads
//! (a stand-in helm), and a chart larger than the memory its private copy may hold
//! (`src/helm/copy/files.rs`) renders and lints exactly as the same chart without its bulk, its
//! warm run rendering nothing (the real helm). helm, or the wrapper around it, is given through
//! `LBPLAN_HELM` and counts its runs. Nothing here is timed.
//!
//! A test that needs the real helm on PATH and does not find it prints a `SKIPPED:` line, or
//! fails where `LBPLAN_REQUIRE_HELM` is set (`.ci/run`).
#![cfg(unix)]

mod common;

use std::path::{Path, PathBuf};

use common::helm::{helm, json, lbplan, markers, placed, root};
use common::scratch::{script, write};

/// More than a copy holds in memory (4 MiB), in files the chart carries but no template reads.
const BULK_FILES: usize = 5;
const BULK_FILE_BYTES: usize = 1 << 20;

/// A program given as helm (`run` is its script's body after counting), and the runs it counted.
struct Counted {
    temp: tempfile::TempDir,
    program: PathBuf,
    calls: PathBuf,
}

impl Counted {
    fn new(run: &str) -> Counted {
        let temp = tempfile::tempdir().expect("temp");
        let calls = temp.path().join("calls");
        let body = format!("echo \"$1\" >> '{}'\n{run}", calls.display());
        let program = script(&temp.path().join("bin/helm"), &body);
        Counted {
            temp,
            program,
            calls,
        }
    }

    /// How many times helm ran `verb` (`template`, `version`).
    fn count(&self, verb: &str) -> usize {
        std::fs::read_to_string(&self.calls)
            .unwrap_or_default()
            .lines()
            .filter(|l| *l == verb)
            .count()
    }

    /// `lbplan lint --format json charts` in `repo`, with the cache `cache` (a folder of the
    /// temporary folder); its temporary folder is left empty.
    fn lint(&self, repo: &Path, cache: &str) -> serde_json::Value {
        let scratch = tempfile::tempdir().expect("temp");
        let cache = self.temp.path().join(cache);
        let env = [
            ("LBPLAN_HELM", self.program.to_str().expect("utf-8")),
            ("LBPLAN_CACHE_DIR", cache.to_str().expect("utf-8")),
        ];
        let out = lbplan(
            repo,
            scratch.path(),
            &["lint", "--format", "json", "charts"],
            &env,
        );
        assert!(
            common::scratch::empty(scratch.path()),
            "the temporary folder is left empty"
        );
        json(&out)
    }
}

/// A chart renders once per change of its chart files (a template, `Chart.yaml`, a `file://`
/// dependency) or values; a change to another file renders nothing.
#[test]
fn a_chart_renders_once_per_change_of_its_files_or_values() {
    let temp = tempfile::tempdir().expect("temp");
    let repo = temp.path().join("repo");
    let chart = repo.join("charts/web");
    let dependency = "dependencies:\n- name: common\n  repository: file://../common\n";
    write(
        &chart,
        "Chart.yaml",
        &format!("apiVersion: v2\nname: web\nversion: 0.1.0\n{dependency}"),
    );
    write(&repo, "charts/common/Chart.yaml", "name: common\n");
    write(&repo, "charts/common/templates/cm.yaml", "kind: A\n");
    write(&chart, "values.yaml", "port: 80\n");
    write(
        &chart,
        "templates/service.yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: {{ .Values.port }}\n",
    );
    write(&repo, "README.md", "not read by any render\n");
    let helm = Counted::new(
        "case \"$1\" in\n  version) echo v3.17.1+g0000000 ;;\n  *) printf -- '---\\n# Source: web/templates/service.yaml\\napiVersion: v1\\nkind: Service\\nmetadata:\\n  name: web\\nspec:\\n  ports:\\n  - port: 80\\n' ;;\nesac",
    );
    let lint = || helm.lint(&repo, "cache");
    let cold = lint();
    assert_eq!((helm.count("template"), helm.count("version")), (1, 1));
    assert_eq!(lint(), cold);
    assert_eq!(
        (helm.count("template"), helm.count("version")),
        (1, 1),
        "the warm run ran helm"
    );
    let changes = [
        (
            "README.md",
            "changed\n",
            1,
            "an unrelated file changed the key",
        ),
        (
            "charts/web/values.yaml",
            "port: 8080\n",
            2,
            "a values change did not render",
        ),
        (
            "charts/web/templates/service.yaml",
            "kind: Service\n",
            3,
            "a template change did not render",
        ),
        (
            "charts/web/Chart.yaml",
            "apiVersion: v2\nname: web\nversion: 0.2.0\ndependencies:\n- name: common\n  repository: file://../common\n",
            4,
            "a Chart.yaml change did not render",
        ),
        (
            "charts/common/templates/cm.yaml",
            "kind: B\n",
            5,
            "a dependency's change did not render",
        ),
    ];
    for (file, text, renders, why) in changes {
        write(&repo, file, text);
        lint();
        assert_eq!(helm.count("template"), renders, "{why}");
    }
    lint();
    assert_eq!(helm.count("template"), 5);
}

/// A copy of the fixture chart `values-driven` at `repo/charts/app`, with `bulk` files.
fn values_driven(repo: &Path, bulk: bool) {
    let from = root().join("fixtures/helm/values-driven");
    for file in [
        "Chart.yaml",
        "values.yaml",
        "templates/_helpers.tpl",
        "templates/deployment.yaml",
        "templates/service.yaml",
    ] {
        let text = std::fs::read_to_string(from.join(file)).expect("fixture");
        write(repo, &format!("charts/app/{file}"), &text);
    }
    if bulk {
        let line = format!("{}\n", "#".repeat(63));
        let text = line.repeat(BULK_FILE_BYTES / line.len());
        for i in 0..BULK_FILES {
            write(repo, &format!("charts/app/files/bulk-{i}.txt"), &text);
        }
    }
}

#[test]
fn a_chart_larger_than_a_copy_holds_renders_as_a_small_one_and_is_cached() {
    let Some(real) = helm("a_chart_larger_than_a_copy_holds_renders_as_a_small_one_and_is_cached")
    else {
        return;
    };
    let helm = Counted::new(&format!("exec '{}' \"$@\"", real.display()));
    let temp = tempfile::tempdir().expect("temp");
    let (small_repo, large_repo) = (temp.path().join("small"), temp.path().join("large"));
    values_driven(&small_repo, false);
    values_driven(&large_repo, true);
    let small = helm.lint(&small_repo, "small-cache");
    let large = helm.lint(&large_repo, "large-cache");
    assert_eq!(helm.count("template"), 2);
    let expected = markers(&small_repo.join("charts"), &small_repo, "# expect:");
    assert!(!expected.is_empty());
    assert_eq!(placed(&small).0, expected, "{small:#}");
    assert_eq!(placed(&large), placed(&small), "{large:#}");
    assert_eq!(large["findings"], small["findings"]);

    let warm = helm.lint(&large_repo, "large-cache");
    assert_eq!(
        helm.count("template"),
        2,
        "the warm run of the large chart rendered"
    );
    assert_eq!(warm, large);
}
