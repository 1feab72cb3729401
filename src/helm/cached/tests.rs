//! The key of a chart's render: made of the bytes the copy read, the same key the files on disk
//! gave before (a cache filled then is still used), and no file read to make it.

use std::path::{Path, PathBuf};

use super::*;
use crate::cache::digest;
use crate::exec::Program;
use crate::helm::copy::copy_release;
use crate::helm::{ReleaseSource, Set, Values};
use crate::source::confine::RootDir;
use crate::source::read::Budget;

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// A chart with a `file://` dependency, released with a values file and inline values.
fn repository(repo: &Path) -> Release {
    write(
        &repo.join("charts/web/Chart.yaml"),
        "apiVersion: v2\nname: web\nversion: 0.1.0\ndependencies:\n- name: common\n  repository: file://../common\n",
    );
    write(&repo.join("charts/web/values.yaml"), "port: 80\n");
    write(
        &repo.join("charts/web/templates/svc.yaml"),
        "kind: Service\nport: {{ .Values.port }}\n",
    );
    write(
        &repo.join("charts/common/Chart.yaml"),
        "apiVersion: v2\nname: common\nversion: 0.1.0\n",
    );
    write(
        &repo.join("charts/common/templates/cm.yaml"),
        "kind: ConfigMap\n",
    );
    write(&repo.join("values/prod.yaml"), "port: 443\n");
    Release {
        chart: repo.join("charts/web"),
        chart_name: "charts/web".into(),
        name: "web".into(),
        namespace: "prod".into(),
        values: vec![
            Values::File {
                path: repo.join("values/prod.yaml"),
                name: "values/prod.yaml".into(),
            },
            Values::Inline {
                text: "replicas: 2\n".into(),
                written_in: "app.yaml".into(),
            },
        ],
        set: vec![Set {
            key: "a".into(),
            value: "b".into(),
            string: false,
        }],
        cluster: 0,
        kube_version: "v1.31.0".into(),
        source: ReleaseSource::Detected,
    }
}

fn helm() -> Helm {
    Helm {
        program: Program {
            path: "/usr/bin/helm".into(),
        },
        version: Ok("v3.17.1".into()),
        skips_schema: true,
    }
}

fn cache(store: &Store) -> HelmCache<'_> {
    let identity = Identity {
        path: "/usr/bin/helm".into(),
        real: "/usr/bin/helm".into(),
        size: 1,
        modified: 2,
    };
    HelmCache {
        store,
        renderer: Some((identity, "v3.17.1".into())),
        timeout: std::time::Duration::from_secs(60),
    }
}

/// The key as it was made before the copy took digests: every file read again from disk.
fn key_from_disk(cache: &HelmCache, helm: &Helm, release: &Release, files: &[PathBuf]) -> Key {
    let (identity, version) = cache.renderer.as_ref().expect("renderer");
    let chart = std::fs::canonicalize(&release.chart).expect("chart");
    let mut key = KeyBuilder::new(HELM, identity, version);
    key.flag("release", &release.name)
        .flag("namespace", &release.namespace)
        .flag("kube-version", &release.kube_version)
        .flag("skip-schema-validation", &helm.skips_schema.to_string())
        .flag("timeout", &format!("{}ms", cache.timeout.as_millis()));
    for set in &release.set {
        key.flag("set", &format!("{}={}", set.key, set.value));
    }
    for name in crate::exec::PASSED {
        key.env(name, std::env::var_os(name).as_deref());
    }
    for (i, values) in release.values.iter().enumerate() {
        let text = match values {
            Values::File { path, .. } => std::fs::read(path).expect("values"),
            Values::Inline { text, .. } => text.as_bytes().to_vec(),
        };
        key.file_digest(&format!("values {i}"), digest(&text));
    }
    for file in files {
        let name = crate::render::wrapper::relative(&chart, file).expect("relative");
        let bytes = std::fs::read(file).expect("file");
        key.file_digest(&name.to_string_lossy(), digest(&bytes));
    }
    key.finish()
}

/// A repository in a temporary folder, and its release.
struct Setup {
    temp: tempfile::TempDir,
    repo: PathBuf,
    release: Release,
}

impl Setup {
    fn new() -> Setup {
        let temp = tempfile::tempdir().expect("temp");
        let repo = temp.path().join("repo");
        let release = repository(&repo);
        Setup {
            temp,
            repo,
            release,
        }
    }

    /// The release copied into folder `into` of the temporary folder.
    fn copy(&self, into: &str) -> Copied {
        let (root, budget) = (RootDir::new(&self.repo), Budget::default());
        copy_release(&self.release, &self.temp.path().join(into), &root, &budget).expect("copy")
    }
}

#[test]
fn the_key_is_the_copys_bytes_and_reads_no_file() {
    let (s, store, helm) = (Setup::new(), Store::memory(), helm());
    let cache = cache(&store);
    let copied = s.copy("a");
    let files: Vec<PathBuf> = copied.files.keys().cloned().collect();
    assert_eq!(files.len(), 6, "{files:?}");
    let key = cache.key(&helm, &s.release, &copied).expect("key");
    assert_eq!(
        key,
        key_from_disk(&cache, &helm, &s.release, &files),
        "the key changed: a cache filled before would not be used"
    );

    // The repository changes after the copy: the key still describes the copy's bytes.
    write(
        &s.repo.join("charts/web/templates/svc.yaml"),
        "kind: Other\n",
    );
    write(&s.repo.join("values/prod.yaml"), "port: 8443\n");
    std::fs::remove_file(s.repo.join("charts/common/templates/cm.yaml")).expect("rm");
    assert_eq!(cache.key(&helm, &s.release, &copied), Some(key));
    std::fs::remove_dir_all(&s.repo).expect("rm");
    assert_eq!(
        cache.key(&helm, &s.release, &copied),
        Some(key),
        "the key read the repository"
    );
}

#[test]
fn each_file_of_the_copy_is_in_the_key() {
    let (s, store, helm) = (Setup::new(), Store::memory(), helm());
    let cache = cache(&store);
    let mut keys = std::collections::BTreeSet::new();
    let changes = [
        (
            "charts/web/Chart.yaml",
            "apiVersion: v2\nname: web\nversion: 0.1.1\ndependencies:\n- name: common\n  repository: file://../common\n",
        ),
        ("charts/web/templates/svc.yaml", "kind: Service\n"),
        ("charts/common/templates/cm.yaml", "kind: Secret\n"),
        ("values/prod.yaml", "port: 8443\n"),
        ("README.md", "not a file of the chart\n"),
    ];
    for (i, (path, text)) in [("", "")].iter().chain(&changes).enumerate() {
        if !path.is_empty() {
            write(&s.repo.join(path), text);
        }
        let copied = s.copy(&i.to_string());
        keys.insert(cache.key(&helm, &s.release, &copied).expect("key"));
    }
    // Every change but the README's made a new key.
    assert_eq!(keys.len(), changes.len());
}

/// A render made within a longer time limit is not taken by a run with a shorter one.
#[test]
fn the_time_limit_is_in_the_key() {
    let (s, store, helm) = (Setup::new(), Store::memory(), helm());
    let copied = s.copy("a");
    let long = cache(&store);
    let short = HelmCache {
        timeout: std::time::Duration::from_secs(5),
        ..cache(&store)
    };
    assert_ne!(
        long.key(&helm, &s.release, &copied),
        short.key(&helm, &s.release, &copied)
    );
}
