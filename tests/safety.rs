//! lbplan reads manifests and writes one report: it never writes anywhere but `--output` (or
//! standard output, and `lbplan diff --summary`), the Kustomize wrapper's temporary folder, the
//! private copies of Helm charts, the private `HOME` and `TMPDIR` of the programs it runs, the
//! temporary folder a git revision is written to for `lbplan diff --base-rev`, and the render
//! cache (outside the repository); it runs no program but the Kustomize renderer, helm and git
//! (each with fixed arguments, started by one module with a cleared environment), and has no
//! network code.

use std::path::{Path, PathBuf};

mod common;

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The product code of a source file: unit tests may create temp files and run the renderer; the
/// product code may not.
fn product<'t>(file: &Path, text: &'t str) -> &'t str {
    if is_test_module(file) {
        ""
    } else {
        text.split("#[cfg(test)]").next().unwrap_or("")
    }
}

/// Whether `file` is a `tests.rs` that its parent module declares under `#[cfg(test)]` only.
fn is_test_module(file: &Path) -> bool {
    if file.file_name().is_none_or(|n| n != "tests.rs") {
        return false;
    }
    let Some(dir) = file.parent() else {
        return false;
    };
    let parent = [dir.with_extension("rs"), dir.join("mod.rs")]
        .into_iter()
        .find(|p| p.is_file());
    parent.is_some_and(|p| {
        let text = std::fs::read_to_string(p).expect("parent module");
        let declared = text.matches("mod tests;").count();
        declared == 1 && text.contains("#[cfg(test)]\nmod tests;")
    })
}

/// The one module that starts a process, for both programs below.
const PROCESS_MODULE: &str = "src/exec/child.rs";
/// The Kustomize renderer's argument lists (and the only caller of `exec` besides git's).
const RENDER_MODULE: &str = "src/render/process.rs";
/// git's argument lists (`lbplan diff --base-rev`).
const GIT_MODULE: &str = "src/diff/git.rs";
/// helm's argument lists.
const HELM_MODULE: &str = "src/helm/process.rs";
/// Modules that write files: `--output` and `--summary`, the wrapper kustomization in a
/// temporary folder, a git revision's files in another, the private `HOME` and `TMPDIR` of the
/// programs lbplan runs, the registry that removes all of them on a signal, the render cache
/// (outside the repository, never a path taken from input: its entries are named by their key),
/// and `lbplan init`'s `.lbplan.yaml` (a fixed name at the repository's root, created only when
/// absent).
const WRITERS: [&str; 10] = [
    "src/cli/output.rs",
    "src/cli/init.rs",
    "src/cache/mod.rs",
    "src/cache/evict.rs",
    "src/render/wrapper.rs",
    "src/helm/copy.rs",
    "src/diff/tree.rs",
    "src/diff/tree/write.rs",
    "src/exec/env.rs",
    "src/exec/cleanup.rs",
];
/// The environment's allow-list.
const ENV_MODULE: &str = "src/exec/env.rs";
/// Where temporary files and folders are made: registered for removal on a signal, or (the render
/// cache's entries, written to a temporary file beside them and renamed) removed by the cache's
/// eviction once stale.
const TEMP_MAKERS: [&str; 3] = [
    "src/exec/cleanup.rs",
    "src/cli/output.rs",
    "src/cache/mod.rs",
];

/// Processes start in one module only, with a cleared environment in a group of their own, and
/// only the renderer's and git's modules run them; temporary files and folders are made only
/// where a signal's cleanup knows of them.
fn check_processes_and_temporaries(name: &str, product: &str) {
    assert!(
        !product.contains(".arg("),
        "{name}: arguments come from the fixed lists only"
    );
    if name == PROCESS_MODULE {
        assert_eq!(
            product.matches("Command::new(").count(),
            1,
            "one place starts a process"
        );
        assert_eq!(product.matches(".args(").count(), 1);
        for line in [".env_clear()", "command.process_group(0);"] {
            assert!(product.contains(line), "{name}: {line}");
        }
    }
    if name == ENV_MODULE {
        let passed = "const PASSED: [&str; 3] = [\n    \"LANG\",\n    \"KUSTOMIZE_PLUGIN_HOME\",\n    \"KUSTOMIZE_ENABLE_ALPHA_COMMANDS\",\n];";
        assert!(
            product.contains(passed),
            "{name}: the allow-list is {passed}"
        );
        // helm's homes (repositories, registry logins, plugins, caches) are in the scratch folder.
        for home in [
            "(\"HELM_CACHE_HOME\", helm.join(\"cache\")),",
            "(\"HELM_CONFIG_HOME\", helm.join(\"config\")),",
            "(\"HELM_DATA_HOME\", helm.join(\"data\")),",
            "let helm = self.folder.path().join(\"helm\");",
        ] {
            assert!(product.contains(home), "{name}: {home}");
        }
    }
    let runs = ["exec::run(", "Piped::start("];
    if ![
        PROCESS_MODULE,
        RENDER_MODULE,
        GIT_MODULE,
        HELM_MODULE,
        "src/exec/mod.rs",
    ]
    .contains(&name)
    {
        for word in runs {
            assert!(!product.contains(word), "{name} runs a program ({word})");
        }
    }
    if !TEMP_MAKERS.contains(&name) {
        assert!(
            !product.contains("tempfile::"),
            "{name} makes a temporary file or folder that a signal would leave behind"
        );
    }
}

#[test]
fn the_source_has_no_network_process_or_stray_write_code() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    let network = ["std::net", "TcpStream", "UdpSocket", "TcpListener"];
    let process = [
        "process::Command",
        "Command::new",
        "process::Stdio",
        "Stdio::",
        "os::unix::process",
        "libc::exec",
        "libc::fork",
        "posix_spawn",
    ];
    // Flags that would let a kustomization run code, load Helm charts or read outside its folder.
    let unsafe_flags = [
        "--enable-helm",
        "--enable-exec",
        "--enable-alpha-plugins",
        "--enable-star",
        "--load-restrictor",
        "--load_restrictor",
        "LoadRestrictionsNone",
        // helm: a program run after rendering, fetches over the network, writes into the chart,
        // DNS lookups, a cluster contacted.
        "--post-renderer",
        "--repo",
        "--dependency-update",
        "--enable-dns",
        "--validate",
        "--dry-run",
    ];
    let shells = [
        "\"sh\"",
        "\"bash\"",
        "\"-c\"",
        "/bin/sh",
        "cmd.exe",
        "powershell",
    ];
    let mut process_modules = Vec::new();
    let writes = [
        "fs::write",
        "File::create",
        "OpenOptions",
        "create_dir",
        "fs::remove",
        "fs::rename",
        "fs::copy",
        "set_permissions",
    ];
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read");
        let name = file
            .strip_prefix(root)
            .expect("inside")
            .display()
            .to_string();
        let product = product(&file, &text);
        for word in network {
            assert!(!product.contains(word), "{name} uses {word}");
        }
        // As string literals: the process module's documentation names the flags it never passes.
        for word in unsafe_flags {
            assert!(
                !product.contains(&format!("\"{word}")),
                "{name} passes {word}"
            );
        }
        for word in shells {
            assert!(!product.contains(word), "{name} mentions {word}");
        }
        if process.iter().any(|w| product.contains(w)) {
            process_modules.push(name.clone());
        }
        check_processes_and_temporaries(&name, product);
        if name == "src/source/read.rs" {
            // Opens inputs without blocking (OpenOptions), for reading only.
            for word in [".write(", ".create(", ".append(", ".truncate(", "fs::write"] {
                assert!(
                    !product.contains(word),
                    "{name} opens files to write ({word})"
                );
            }
        } else if !WRITERS.contains(&name.as_str()) {
            for word in writes {
                assert!(
                    !product.contains(word),
                    "{name} writes files ({word}); only --output, --summary, the Kustomize wrapper, a git revision's folder, the render cache and lbplan init may"
                );
            }
        }
    }
    process_modules.sort();
    assert_eq!(
        process_modules,
        [PROCESS_MODULE],
        "only exec starts processes"
    );
}

/// git's arguments are these lists, revisions and object IDs: never a flag from the input, never
/// a transport (`protocol.allow=never` in the environment of every command).
#[test]
fn git_runs_with_fixed_arguments() {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(GIT_MODULE))
        .expect("git module");
    let product = text.split("#[cfg(test)]").next().unwrap_or("");
    for line in [
        r#"const TOPLEVEL: &[&str] = &["rev-parse", "--show-toplevel", "--show-prefix"];"#,
        r#"const IS_SHALLOW: &[&str] = &["rev-parse", "--is-shallow-repository"];"#,
        r#"const VERIFY: &[&str] = &["rev-parse", "--verify", "--quiet", "--end-of-options"];"#,
        r#"const MERGE_BASE: &[&str] = &["merge-base", "--end-of-options"];"#,
        r#"const LS_TREE: &[&str] = &["ls-tree", "-r", "-z", "--full-tree", "--end-of-options"];"#,
        r#"const CAT_FILE: &[&str] = &["cat-file", "--batch"];"#,
        r#"const IGNORED: &[&str] = &["ls-files", "-z", "--cached", "-i", "--exclude-standard"];"#,
        r#"Program::resolve(&["git"], None, None)"#,
        r#"("GIT_CONFIG_KEY_0", "protocol.allow"),"#,
        r#"("GIT_CONFIG_VALUE_0", "never"),"#,
        r#"("GIT_CONFIG_KEY_1", "core.fsmonitor"),"#,
        r#"("GIT_CONFIG_VALUE_1", "false"),"#,
        r#"("GIT_NO_LAZY_FETCH", "1"),"#,
        r#"("GIT_CONFIG_KEY_2", OsStr::new("safe.directory")),"#,
    ] {
        assert!(product.contains(line), "{line}");
    }
    let flags = literal_flags(product);
    assert_eq!(
        flags,
        [
            "--show-toplevel",
            "--show-prefix",
            "--is-shallow-repository",
            "--verify",
            "--quiet",
            "--end-of-options",
            "--end-of-options",
            "-r",
            "-z",
            "--full-tree",
            "--end-of-options",
            "--batch",
            "-z",
            "--cached",
            "-i",
            "--exclude-standard",
        ],
        "no other flag is ever passed"
    );
    // A revision is refused when it could be read as an option.
    assert!(product.contains("if rev.starts_with('-')"));
}

/// The renderer's arguments are these lists and a folder: nothing a kustomization or the config
/// can change.
#[test]
fn the_renderer_runs_with_fixed_arguments() {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(RENDER_MODULE))
        .expect("render module");
    let product = text.split("#[cfg(test)]").next().unwrap_or("");
    for line in [
        r#"const KUSTOMIZE_BUILD: &[&str] = &["build"];"#,
        r#"const KUBECTL_BUILD: &[&str] = &["kustomize"];"#,
        r#"const KUSTOMIZE_VERSION: &[&str] = &["version"];"#,
        r#"const KUBECTL_VERSION: &[&str] = &["version", "--client", "-o", "yaml"];"#,
    ] {
        assert!(product.contains(line), "{line}");
    }
    let flags = literal_flags(product);
    assert_eq!(flags, ["--client", "-o"], "no other flag is ever passed");
}

/// helm's arguments are these constants, the release's checked names, the private copies'
/// paths and `--set` pairs escaped: nothing a chart can add to.
#[test]
fn helm_runs_with_fixed_arguments() {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(HELM_MODULE))
        .expect("helm module");
    let product = text.split("#[cfg(test)]").next().unwrap_or("");
    for line in [
        r#"const TEMPLATE: &str = "template";"#,
        r#"const NAMESPACE: &str = "--namespace";"#,
        r#"const SKIP_TESTS: &str = "--skip-tests";"#,
        r#"const VALUES: &str = "-f";"#,
        r#"const SET: &str = "--set";"#,
        r#"const SET_STRING: &str = "--set-string";"#,
        r#"const KUBE_VERSION: &str = "--kube-version";"#,
        r#"const SKIP_SCHEMA_VALIDATION: &str = "--skip-schema-validation";"#,
        r#"const VERSION: &[&str] = &["version", "--short"];"#,
        r#"Program::on_path(&["helm"], std::env::var_os("PATH").as_deref())"#,
        "let env: [(&str, &OsStr); 0] = [];",
    ] {
        assert!(product.contains(line), "{line}");
    }
    let flags = literal_flags(product);
    assert_eq!(
        flags,
        [
            "--namespace",
            "--skip-tests",
            "-f",
            "--set",
            "--set-string",
            "--kube-version",
            "--skip-schema-validation",
            "--short",
        ],
        "no other flag is ever passed"
    );
}

#[test]
fn no_networking_dependency() {
    let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .expect("Cargo.toml");
    let deps = manifest
        .split("[dependencies]")
        .nth(1)
        .and_then(|s| s.split("\n[").next())
        .expect("[dependencies]");
    let allowed = [
        "clap",
        "clap_complete",
        "comfy-table",
        "glob",
        "ignore",
        "libc",
        // Substring search over bytes (SIMD); pure computation.
        "memchr",
        "miette",
        // The global allocator (C, built by cc): memory only; no I/O, no network, no process.
        "mimalloc",
        "owo-colors",
        "rayon",
        "serde",
        "serde_json",
        "serde_yaml",
        "strum",
        "thiserror",
        // Progress of Kustomize renders on a terminal.
        "indicatif",
        // The temporary folder of the Kustomize wrapper: created private, removed after use.
        "tempfile",
        // SIGINT, SIGTERM and SIGHUP handled on a thread of their own (a signal handler may do
        // almost nothing safely): the renderer's and git's process groups killed, the temporary
        // folders removed. libc and signal-hook-registry only; no network, no process.
        "signal-hook",
        // The terminal's width (standard output only) and wrapping at spaces.
        "terminal_size",
        "textwrap",
        // The render cache's keys and entry checksums (SHA-256, RustCrypto): inputs come from a
        // pull request, and none may be made to collide with a render cached from the target
        // branch. Pure computation: no I/O, no network, no process.
        "sha2",
    ];
    for line in deps.lines().filter(|l| l.contains('=')) {
        let name = line.split('=').next().unwrap_or("").trim();
        assert!(
            allowed.contains(&name),
            "unexpected dependency {name}: review it for network and process use"
        );
    }
}

fn snapshot(dir: &Path, out: &mut Vec<(PathBuf, u64)>) {
    for entry in std::fs::read_dir(dir).expect("dir") {
        let entry = entry.expect("entry");
        let path = entry.path();
        if path.is_dir() {
            snapshot(&path, out);
        } else {
            out.push((path, entry.metadata().map(|m| m.len()).unwrap_or(0)));
        }
    }
    out.sort();
}

#[test]
fn a_run_writes_nothing_but_its_output() {
    let work = tempfile::tempdir().expect("tempdir");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for f in [
        "demo/shop/web.yaml",
        "demo/shop/api.yaml",
        "cross-cluster/cluster-a/nginx.yaml",
    ] {
        let target = work.path().join("m").join(f.replace('/', "_"));
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::copy(repo.join("fixtures").join(f), target).expect("copy");
    }
    // A Kustomize repository: its overlay is rendered (when a renderer is on PATH) through a
    // wrapper in TMPDIR, removed afterwards; the repository itself is never written.
    common::copy_tree(
        &repo.join("fixtures/kustomize/findings"),
        &work.path().join("k"),
    );
    // A Helm chart: rendered (when helm is on PATH) from a private copy in TMPDIR, with helm's
    // homes there too, all removed afterwards.
    common::copy_tree(&repo.join("fixtures/helm/literal"), &work.path().join("h"));
    let home = tempfile::tempdir().expect("home");
    let mut before = Vec::new();
    snapshot(work.path(), &mut before);
    for args in [
        vec!["lint", "k"],
        vec!["plan", "k"],
        vec!["lint", "h"],
        vec!["plan", "--format", "json", "h"],
        vec!["lint", "m"],
        vec!["lint", "--format", "sarif", "m"],
        vec!["plan", "--format", "yaml", "m"],
        vec!["weights", "m"],
        vec!["diff", "--base-root", ".", "m"],
        vec!["diff", "--base-root", ".", "--format", "markdown", "k"],
        vec!["rules"],
    ] {
        let status = common::binary()
            .args(&args)
            .current_dir(work.path())
            .env("HOME", home.path())
            .env("TMPDIR", home.path())
            .output()
            .expect("run")
            .status;
        assert!(status.code().is_some());
        let mut after = Vec::new();
        snapshot(work.path(), &mut after);
        assert_eq!(before, after, "{args:?} changed the working tree");
    }
    let status = common::binary()
        .args(["lint", "--output", "out.json", "--format", "json", "m"])
        .current_dir(work.path())
        .output()
        .expect("run")
        .status;
    assert!(status.code().is_some());
    let mut after = Vec::new();
    snapshot(work.path(), &mut after);
    let added: Vec<_> = after
        .iter()
        .filter(|f| !before.contains(f))
        .map(|f| f.0.clone())
        .collect();
    assert_eq!(added, vec![work.path().join("out.json")]);
    assert!(
        std::fs::read_dir(home.path())
            .expect("home")
            .next()
            .is_none(),
        "nothing written to HOME or TMPDIR"
    );
}

/// The string literals of `product` that start with `-`: the flags a module can pass.
fn literal_flags(product: &str) -> Vec<&str> {
    product
        .split('"')
        .skip(1)
        .step_by(2)
        .filter(|literal| literal.starts_with('-'))
        .collect()
}
