//! Resolving places in rendered streams, on hand-written streams and sources.

use super::*;
use crate::render::{Overlay, strip};

/// A rendered overlay of `stream` (with build annotations, paths relative to `repo`).
fn rendered(repo: &Path, stream: &str) -> RenderedOverlay {
    let stripped = strip::strip(stream, repo);
    RenderedOverlay {
        overlay: Overlay {
            dir: repo.join("o"),
            name: "repo/o".into(),
            files: Vec::new(),
            remote: Vec::new(),
            roots: vec![repo.to_path_buf()],
            escapes: Vec::new(),
            resolved: true,
        },
        text: Arc::from(stripped.text),
        command: "kustomize build repo/o".into(),
        warnings: Vec::new(),
        located: true,
        distrusted: None,
        documents: stripped.documents,
        real_dir: repo.join("o"),
        index: crate::render::Index::default(),
    }
}

/// The span of `needle` at the start of `context` in the stream.
fn at(r: &RenderedOverlay, context: &str) -> Span {
    let start = r.text.find(context).expect("context");
    let needle = context.split([':', '\n']).next().unwrap_or(context);
    Span::new(start, start + needle.len())
}

#[test]
fn what_has_no_source_falls_back_and_says_so() {
    let repo = tempfile::tempdir().expect("repo");
    std::fs::create_dir(repo.path().join("o")).expect("mkdir");
    std::fs::write(
        repo.path().join("o/svc.yaml"),
        "kind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n",
    )
    .expect("write");
    let stream = "kind: Service\nmetadata:\n  annotations:\n    config.kubernetes.io/origin: |\n      path: o/svc.yaml\n  name: web\nspec:\n  ports:\n  - port: 80\n    nodePort: 30080\n  type: LoadBalancer\n---\nkind: Service\nmetadata:\n  annotations:\n    config.kubernetes.io/origin: |\n      path: base/svc.yaml\n      repo: https://github.com/org/repo\n  name: remote\n";
    let r = rendered(repo.path(), stream);
    let resolver = Resolver::default();
    let source = |needle: &str| match resolver.resolve(&r, at(&r, needle)) {
        Resolved::Source(s) => {
            let text = std::fs::read_to_string(&s.path).expect("read");
            (
                s.name.clone(),
                text[s.span.start..s.span.end].to_string(),
                s.precision,
            )
        }
        other => panic!("{other:?}"),
    };
    assert_eq!(
        source("port: 80\n    node"),
        ("repo/o/svc.yaml".into(), "port".into(), Precision::Exact)
    );
    // Written by no one the annotations name (a controller default, say): its list item.
    assert_eq!(
        source("nodePort"),
        (
            "repo/o/svc.yaml".into(),
            "port".into(),
            Precision::Enclosing
        )
    );
    assert_eq!(
        source("type"),
        (
            "repo/o/svc.yaml".into(),
            "spec".into(),
            Precision::Enclosing
        )
    );
    assert_eq!(
        source("kind: Service\nmetadata:\n  name: web"),
        ("repo/o/svc.yaml".into(), "kind".into(), Precision::Object)
    );
    // A remote base has no file here: the overlay and the object are named.
    match resolver.resolve(&r, at(&r, "remote\n")) {
        Resolved::Unresolved {
            overlay, object, ..
        } => {
            assert_eq!(
                (overlay.as_str(), object.as_deref()),
                ("repo/o", Some("Service/remote"))
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        resolver.resolve(&r, Span::new(r.text.len() + 5, r.text.len() + 6)),
        Resolved::Unresolved { object: None, .. }
    ));
}

#[test]
fn objects_are_found_in_list_files_and_multi_document_files() {
    let repo = tempfile::tempdir().expect("repo");
    std::fs::create_dir(repo.path().join("o")).expect("mkdir");
    std::fs::write(
        repo.path().join("o/all.yaml"),
        "kind: Deployment\nmetadata:\n  name: web\n---\napiVersion: v1\nkind: List\nitems:\n- kind: Service\n  metadata:\n    name: api\n  spec:\n    type: ClusterIP\n- kind: Service\n  metadata:\n    name: web\n  spec:\n    type: LoadBalancer\n",
    )
    .expect("write");
    let origin = "    config.kubernetes.io/origin: |\n      path: o/all.yaml\n";
    let stream = format!(
        "kind: Service\nmetadata:\n  annotations:\n{origin}  name: p-web\nspec:\n  type: LoadBalancer\n---\nkind: Service\nmetadata:\n  annotations:\n{origin}  name: p-api\nspec:\n  type: ClusterIP\n"
    );
    let r = rendered(repo.path(), &stream);
    let resolver = Resolver::default();
    let text = std::fs::read_to_string(repo.path().join("o/all.yaml")).expect("read");
    let line = |context: &str| match resolver.resolve(&r, at(&r, context)) {
        Resolved::Source(s) => (text[..s.span.start].matches('\n').count() + 1, s.precision),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        parsed(&r),
        Vec::<bool>::new(),
        "nothing parsed before a place is asked"
    );
    assert_eq!(line("type: LoadBalancer"), (17, Precision::Exact));
    assert_eq!(
        parsed(&r),
        [true, false],
        "only the document holding the place is parsed"
    );
    assert_eq!(line("type: ClusterIP"), (12, Precision::Exact));
    assert_eq!(parsed(&r), [true, true]);
}

/// Which of `r`'s documents were parsed to resolve places (none made: empty).
fn parsed(r: &RenderedOverlay) -> Vec<bool> {
    r.index
        .get()
        .map(|slots| slots.iter().map(|s| s.get().is_some()).collect())
        .unwrap_or_default()
}

/// Two sides of a diff whose overlay renders the same text from different files: the stream is
/// parsed once, and each side's places are still in its own files.
#[test]
fn a_shared_index_keeps_each_sides_own_sources() {
    let source = |repo: &Path, file: &str| {
        std::fs::create_dir_all(repo.join("o")).expect("mkdir");
        std::fs::write(
            repo.join("o").join(file),
            "kind: Service\nmetadata:\n  name: web\nspec:\n  type: LoadBalancer\n",
        )
        .expect("write");
        format!(
            "kind: Service\nmetadata:\n  annotations:\n    config.kubernetes.io/origin: |\n      path: o/{file}\n  name: web\nspec:\n  type: LoadBalancer\n"
        )
    };
    let (head_repo, base_repo) = (
        tempfile::tempdir().expect("head"),
        tempfile::tempdir().expect("base"),
    );
    let head = rendered(head_repo.path(), &source(head_repo.path(), "svc.yaml"));
    let mut base = rendered(base_repo.path(), &source(base_repo.path(), "web.yaml"));
    assert_eq!(
        head.text, base.text,
        "the stripped streams are the same text"
    );
    assert!(base.share_index(&head));
    let resolver = Resolver::default();
    let file = |r: &RenderedOverlay| match resolver.resolve(r, at(r, "type")) {
        Resolved::Source(s) => s.path,
        other => panic!("{other:?}"),
    };
    assert_eq!(file(&head), head_repo.path().join("o/svc.yaml"));
    assert!(
        base.index.get().is_some(),
        "the base parses the stream again"
    );
    assert_eq!(file(&base), base_repo.path().join("o/web.yaml"));
    // Another text: nothing shared.
    let mut other = rendered(
        base_repo.path(),
        &source(base_repo.path(), "web.yaml").replace("LoadBalancer", "NodePort"),
    );
    assert!(!other.share_index(&head));
    assert!(other.index.get().is_none());
}
