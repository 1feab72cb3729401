//! The renderer's version and fixed arguments per style, and the process handling through the
//! engine (`fake_renderer`): scripts stand in for the renderer, so timeouts, output limits,
//! failures and clean-up are tested without Kustomize installed.

use super::*;
use crate::exec::Program;

#[test]
fn versions_read_as_each_renderer_prints_them() {
    let kubectl =
        "clientVersion:\n  gitVersion: v1.32.4\n  major: \"1\"\nkustomizeVersion: v5.5.0\n";
    assert_eq!(
        describe_version(Style::Kubectl, "kubectl", kubectl),
        "kubectl v1.32.4 (Kustomize v5.5.0)"
    );
    assert_eq!(
        describe_version(Style::Kustomize, "kustomize", "v5.4.3\n"),
        "kustomize v5.4.3"
    );
    assert_eq!(
        describe_version(
            Style::Kustomize,
            "kustomize",
            "{Version:kustomize/v4.5.7 GitCommit:56d82a8 BuildDate:2022-08-02T16:35:54Z GoOs:linux GoArch:amd64}"
        ),
        "kustomize v4.5.7"
    );
    assert_eq!(
        describe_version(
            Style::Kustomize,
            "kustomize",
            "Version: {KustomizeVersion:3.8.7 GitCommit:ad092cc7}"
        ),
        "kustomize v3.8.7"
    );
    assert_eq!(
        describe_version(Style::Kustomize, "kz", "dev build\n"),
        "kz dev build"
    );
}

#[test]
fn arguments_are_fixed_per_style() {
    let program = |path: &str| Program {
        path: std::path::PathBuf::from(path),
    };
    let kubectl = Renderer {
        program: program("/usr/bin/kubectl"),
        style: Style::Kubectl,
    };
    assert_eq!(
        kubectl.command_line("overlays/prod"),
        "kubectl kustomize overlays/prod"
    );
    let kustomize = Renderer {
        program: program("/opt/kustomize"),
        style: Style::Kustomize,
    };
    assert_eq!(kustomize.command_line("o"), "kustomize build o");
}

/// The process handling, with scripts standing in for the renderer.
#[cfg(unix)]
mod fake_renderer {
    use std::os::unix::fs::PermissionsExt;
    use std::path::{Path, PathBuf};
    use std::time::{Duration, Instant};

    use crate::render::error::RenderFailure;
    use crate::render::tests::{overlay, settings};
    use crate::render::{self, Choice, Resolved, Resolver, Settings};
    use crate::source::Span;

    /// An executable shell script `name` in `dir` that answers `version` with `v9.9.9` and runs
    /// `body` otherwise.
    fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
        std::fs::create_dir_all(dir).expect("mkdir");
        let path = dir.join(name);
        std::fs::write(
            &path,
            format!("#!/bin/sh\nif [ \"$1\" = version ]; then echo v9.9.9; exit 0; fi\n{body}\n"),
        )
        .expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        path
    }

    const CONFIGMAP: &str = "printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: x\\n'";

    /// The program as `--kustomize-bin` names it.
    fn with(program: &Path, temp: &Path) -> Settings {
        Settings {
            program: Some(crate::exec::Named {
                path: program.to_path_buf(),
                given_by: "--kustomize-bin".into(),
            }),
            ..settings(temp)
        }
    }

    fn empty(dir: &Path) -> bool {
        std::fs::read_dir(dir).map_or(true, |mut d| d.next().is_none())
    }

    #[test]
    fn only_fixed_arguments_reach_the_renderer() {
        let temp = tempfile::tempdir().expect("temp");
        let work = temp.path().join("work");
        std::fs::create_dir(&work).expect("mkdir");
        for (name, build, version) in [
            ("kustomize", "[build]", "[version]"),
            ("kubectl", "[kustomize]", "[version][--client][-o][yaml]"),
        ] {
            let logs = temp.path().join(format!("{name}-logs"));
            std::fs::create_dir(&logs).expect("mkdir");
            // Log every invocation's arguments (the version query's too), one file each: the
            // two run at the same time.
            let logger = format!(
                "for a in \"$@\"; do printf '[%s]' \"$a\"; done > {logs}/$$\n",
                logs = logs.display()
            );
            let path = temp.path().join("bin").join(name);
            std::fs::create_dir_all(path.parent().expect("bin")).expect("mkdir");
            std::fs::write(
                &path,
                format!("#!/bin/sh\n{logger}if [ \"$1\" = version ]; then echo v9.9.9; exit 0; fi\n{CONFIGMAP}\n"),
            )
            .expect("write");
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
            let run = render::render_all(
                &[overlay("shop/overlays/prod")],
                &with(&path, &work),
                &crate::source::read::Budget::default(),
            );
            assert!(run.errors.is_empty(), "{:?}", run.errors);
            assert_eq!(run.version, Some(Ok(format!("{name} v9.9.9"))));
            let mut calls: Vec<String> = std::fs::read_dir(&logs)
                .expect("logs")
                .map(|e| std::fs::read_to_string(e.expect("entry").path()).expect("log"))
                .collect();
            calls.sort();
            // The plain render, then (the stand-in's ConfigMap being no object of the overlay's
            // files, so not placed) the render asking for origins, and the version.
            assert_eq!(calls.len(), 3, "{calls:?}");
            let real = std::fs::canonicalize(&work)
                .expect("real")
                .display()
                .to_string();
            let folders: Vec<&str> = calls
                .iter()
                .filter_map(|c| c.strip_prefix(build))
                .map(|rest| {
                    rest.strip_prefix('[')
                        .and_then(|rest| rest.strip_suffix(']'))
                        .expect("one folder argument")
                })
                .collect();
            assert_eq!(folders.len(), 2, "{calls:?}");
            for (folder, end) in folders.iter().zip(["/0-origins", "/0"]) {
                assert!(
                    folder.starts_with(&format!("{real}/lbplan-kustomize-"))
                        && folder.ends_with(end),
                    "the wrapper folder, under the temporary folder: {folder}"
                );
            }
            assert!(calls.contains(&version.to_string()), "{calls:?}");
            assert!(empty(&work), "the wrapper folder is removed");
        }
    }

    #[test]
    fn the_renderer_is_looked_up_as_documented() {
        let temp = tempfile::tempdir().expect("temp");
        let only_kubectl = temp.path().join("a");
        let both = temp.path().join("b");
        script(&only_kubectl, "kubectl", CONFIGMAP);
        script(&both, "kubectl", CONFIGMAP);
        script(&both, "kustomize", CONFIGMAP);
        script(&both, "oc", CONFIGMAP);
        let style = |dir: &Path| {
            render::Renderer::on_path(Choice::Auto.engines(), Some(dir.as_os_str()))
                .ok()
                .map(|r| (r.name(), r.build_args()))
        };
        assert_eq!(
            style(&only_kubectl),
            Some(("kubectl".into(), &["kustomize"][..]))
        );
        assert_eq!(style(&both), Some(("kustomize".into(), &["build"][..])));
        assert_eq!(style(&temp.path().join("none")), None);
        let oc = render::Renderer::on_path(Choice::Engine("oc").engines(), Some(both.as_os_str()))
            .expect("oc");
        assert_eq!(oc.build_args(), ["kustomize"]);
        // Not executable: not a renderer.
        std::fs::write(only_kubectl.join("kustomize"), "").expect("write");
        assert_eq!(style(&only_kubectl).map(|s| s.0), Some("kubectl".into()));
    }

    #[test]
    fn a_render_past_its_time_limit_is_killed_and_reaped() {
        let temp = tempfile::tempdir().expect("temp");
        let pidfile = temp.path().join("pid");
        let program = script(
            &temp.path().join("bin"),
            "kustomize",
            &format!("echo $$ > {}\nexec sleep 30", pidfile.display()),
        );
        let work = temp.path().join("work");
        std::fs::create_dir(&work).expect("mkdir");
        let started = Instant::now();
        let run = render::render_all(
            &[overlay("shop/overlays/prod")],
            &Settings {
                timeout: Duration::from_secs(1),
                ..with(&program, &work)
            },
            &crate::source::read::Budget::default(),
        );
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
        let error = &run.errors[0];
        assert!(
            matches!(error.failure, RenderFailure::TimedOut { .. }),
            "{error:?}"
        );
        assert!(
            error
                .to_string()
                .contains("did not finish within 1 s and was stopped"),
            "{error}"
        );
        let pid = std::fs::read_to_string(&pidfile).expect("pid");
        // Reaped: no process, and no zombie, is left under that id.
        let proc = Path::new("/proc").join(pid.trim());
        if Path::new("/proc/self").exists() {
            assert!(!proc.exists(), "process {} is still there", pid.trim());
        }
        assert!(empty(&work));
    }

    #[test]
    fn a_renderer_that_fills_both_pipes_does_not_hang() {
        let temp = tempfile::tempdir().expect("temp");
        // 2.4 MB on standard error before anything on standard output, then 2.4 MB of comments.
        let program = script(
            &temp.path().join("bin"),
            "kustomize",
            &format!(
                "yes 'warning: a line of filler for the pipe' | head -n 60000 >&2\n\
                 yes '# a line of filler for the pipe here' | head -n 60000\n{CONFIGMAP}"
            ),
        );
        let work = temp.path().join("work");
        std::fs::create_dir(&work).expect("mkdir");
        let run = render::render_all(
            &[overlay("shop/overlays/prod")],
            &Settings {
                timeout: Duration::from_secs(30),
                ..with(&program, &work)
            },
            &crate::source::read::Budget::default(),
        );
        assert!(run.errors.is_empty(), "{:?}", run.errors);
        let rendered = &run.rendered[0];
        assert!(rendered.text.ends_with("  name: x\n"));
        assert_eq!(rendered.warnings.len(), 20, "warnings are capped");
        assert_eq!(rendered.objects().collect::<Vec<_>>(), ["ConfigMap/x"]);
    }

    #[test]
    fn a_failing_render_names_the_overlay_and_what_the_renderer_said() {
        let temp = tempfile::tempdir().expect("temp");
        let program = script(
            &temp.path().join("bin"),
            "kustomize",
            "echo '# Warning: deprecated' >&2\necho 'Error: accumulating resources: boom' >&2\nexit 3",
        );
        let work = temp.path().join("work");
        std::fs::create_dir(&work).expect("mkdir");
        let run = render::render_all(
            &[
                overlay("shop/overlays/prod"),
                overlay("shop/overlays/staging"),
            ],
            &with(&program, &work),
            &crate::source::read::Budget::default(),
        );
        assert_eq!(run.errors.len(), 2);
        assert_eq!(
            run.errors[1].to_string(),
            "Kustomize overlay shop/overlays/staging did not render: `kustomize build shop/overlays/staging` failed (exit status: 3)\n  Error: accumulating resources: boom"
        );
        assert!(
            run.errors[1]
                .kustomization
                .as_ref()
                .is_some_and(|k| k.ends_with("staging/kustomization.yaml"))
        );
        assert!(empty(&work));
    }

    #[test]
    fn a_missing_renderer_is_an_error_for_each_overlay() {
        let temp = tempfile::tempdir().expect("temp");
        let run = render::render_all(
            &[
                overlay("shop/overlays/prod"),
                overlay("shop/overlays/staging"),
            ],
            &with(Path::new("/nonexistent/kustomize"), temp.path()),
            &crate::source::read::Budget::default(),
        );
        assert_eq!(run.errors.len(), 2);
        assert!(
            run.errors[0]
                .to_string()
                .contains("--kustomize-bin /nonexistent/kustomize: not an executable file"),
            "{}",
            run.errors[0]
        );
        assert!(empty(temp.path()));
    }

    #[test]
    fn a_renderer_that_refuses_build_metadata_renders_plainly_and_locates_nothing() {
        let temp = tempfile::tempdir().expect("temp");
        // Kustomize before 4.5: the wrapper's `buildMetadata` is an unknown field. Its plain
        // render is not placed (the ConfigMap is no object of the overlay's files), and the
        // render asking for origins is refused.
        let program = script(
            &temp.path().join("bin"),
            "kustomize",
            &format!(
                "if grep -q buildMetadata \"$2/kustomization.yaml\"; then echo 'Error: json: unknown field \"buildMetadata\"' >&2; exit 1; fi\n{CONFIGMAP}"
            ),
        );
        let work = temp.path().join("work");
        std::fs::create_dir(&work).expect("mkdir");
        let run = render::render_all(
            &[overlay("shop/overlays/prod")],
            &with(&program, &work),
            &crate::source::read::Budget::default(),
        );
        assert!(run.errors.is_empty(), "{:?}", run.errors);
        let rendered = &run.rendered[0];
        assert!(!rendered.located);
        match Resolver::default().resolve(rendered, Span::new(0, 10)) {
            Resolved::Unresolved {
                overlay,
                kustomization,
                object,
            } => {
                assert_eq!(overlay, "shop/overlays/prod");
                assert!(kustomization.is_some());
                assert_eq!(object.as_deref(), Some("ConfigMap/x"));
            }
            other => panic!("{other:?}"),
        }
    }
}
