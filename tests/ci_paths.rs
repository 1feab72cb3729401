//! CI formats name files from the repository root, whatever folder lbplan runs in: a job that
//! runs `cd deploy && lbplan lint --format github .` must annotate `deploy/prod/web.yaml`, the
//! path GitHub, code scanning and JUnit viewers find in the checkout. The root is the git top
//! level, else the config file's folder, else the working folder; SARIF and JUnit say which.
//! Human and JSON output keep the names as the command line gives them.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const SERVICE: &str = "apiVersion: v1
kind: Service
metadata:
  name: web
  annotations:
    kubernetes.io/elb.class: shared
spec:
  type: LoadBalancer
  ports:
  - port: 80
";

/// A repository in a temporary folder: `deploy/prod/web.yaml` (one finding), with `.git` at the
/// top when `git`, and `config` (a path from the top) holding an empty config.
fn repository(git: bool, config: Option<&str>) -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("tempdir");
    let prod = temp.path().join("deploy/prod");
    std::fs::create_dir_all(&prod).expect("mkdir");
    std::fs::write(prod.join("web.yaml"), SERVICE).expect("write");
    if git {
        std::fs::create_dir(temp.path().join(".git")).expect("mkdir .git");
    }
    if let Some(config) = config {
        std::fs::write(temp.path().join(config), "paths: []\n").expect("write config");
    }
    temp
}

fn lint(dir: &Path, format: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lbplan"))
        .args(["lint", "--format", format, "--fail-on", "never", "prod"])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run lbplan")
}

fn stdout(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// What each CI format says the file is, and (SARIF, JUnit) what the root is.
struct Named {
    github: String,
    sarif: String,
    sarif_base: String,
    sarif_root: String,
    junit: String,
    junit_root: String,
}

impl Named {
    /// GitHub, SARIF and JUnit all name the file `path`.
    fn all_say(&self, path: &str) {
        assert_eq!(
            [
                self.github.as_str(),
                self.sarif.as_str(),
                self.junit.as_str()
            ],
            [path; 3]
        );
    }
}

fn named(dir: &Path) -> Named {
    let github = stdout(&lint(dir, "github"));
    let file = github
        .lines()
        .find_map(|l| l.strip_prefix("::warning file="))
        .and_then(|rest| rest.split(',').next())
        .expect("an annotation with a file")
        .to_string();
    let sarif: Value = serde_json::from_str(&stdout(&lint(dir, "sarif"))).expect("SARIF");
    let run = &sarif["runs"][0];
    let artifact = &run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
    let base = &run["originalUriBaseIds"]["%SRCROOT%"];
    let junit = stdout(&lint(dir, "junit"));
    let doc = roxmltree::Document::parse(&junit).expect("XML");
    let case = doc
        .descendants()
        .find(|n| n.has_tag_name("testcase"))
        .expect("a case");
    let property = doc
        .descendants()
        .find(|n| n.has_tag_name("property") && n.attribute("name") == Some("paths"))
        .expect("the paths property");
    Named {
        github: file,
        sarif: artifact["uri"].as_str().expect("uri").to_string(),
        sarif_base: base["uri"].as_str().expect("base uri").to_string(),
        sarif_root: base["description"]["text"]
            .as_str()
            .expect("description")
            .to_string(),
        junit: case.attribute("file").expect("file").to_string(),
        junit_root: property.attribute("value").expect("value").to_string(),
    }
}

/// `dir` as lbplan sees it from inside (temporary folders may sit behind a symbolic link).
fn real(dir: &Path) -> String {
    std::fs::canonicalize(dir)
        .expect("canonical")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn from_a_subfolder_paths_start_at_the_git_top_level() {
    let repo = repository(true, Some("deploy/.lbplan.yaml"));
    let names = named(&repo.path().join("deploy"));
    names.all_say("deploy/prod/web.yaml");
    assert_eq!(names.sarif_base, format!("file://{}/", real(repo.path())));
    assert_eq!(names.sarif_root, "the repository root: the git top level");
    assert_eq!(names.junit_root, "relative to the git top level");

    // Human and JSON output name the file as the command line did.
    let json: Value =
        serde_json::from_str(&stdout(&lint(&repo.path().join("deploy"), "json"))).expect("JSON");
    assert_eq!(json["findings"][0]["file"], "prod/web.yaml");
}

#[test]
fn without_git_paths_start_at_the_config_file_folder() {
    let repo = repository(false, Some(".lbplan.yaml"));
    let names = named(&repo.path().join("deploy"));
    names.all_say("deploy/prod/web.yaml");
    assert_eq!(
        names.sarif_root,
        "the repository root: the config file's folder"
    );
    assert_eq!(names.junit_root, "relative to the config file's folder");
}

#[test]
fn without_git_or_config_paths_start_at_the_working_folder() {
    let repo = repository(false, None);
    let deploy = repo.path().join("deploy");
    let names = named(&deploy);
    names.all_say("prod/web.yaml");
    assert_eq!(names.sarif_base, format!("file://{}/", real(&deploy)));
    assert_eq!(names.junit_root, "relative to the working folder");
}
