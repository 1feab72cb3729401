use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::render::attempt::{Attempt, attempt};
use crate::render::cached::Entry;
use crate::render::kustomization;
use crate::render::process::{How, Renderer};
use crate::render::strip::{DocMeta, Transformation};
use crate::render::wrapper::Workspace;
use crate::render::{self, Overlay, Resolver, Root};

#[path = "../../../../benches/render/kustomize.rs"]
mod bench;

/// What `benches/render/kustomize.rs` makes (the bench's own type, of which this test reads the
/// renders).
#[allow(dead_code, reason = "the bench's type, only partly read here")]
pub struct Case {
    pub title: String,
    pub program: PathBuf,
    pub renders: Vec<Vec<String>>,
    pub sources: &'static [&'static str],
    pub change: Option<(&'static str, &'static str, &'static str)>,
}

pub fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// The fixture overlays expected to fall back, and why (a remote base).
const FALLS_BACK: [&str; 1] = ["fixtures/kustomize/remote/overlays/edge"];

#[derive(Debug, PartialEq)]
enum Verdict {
    /// The placed origins are those Kustomize gave.
    Equal,
    /// Not equal, yet every key and value resolves to the same place.
    SameLocations,
    FellBack(String),
    /// The overlay does not render (a fixture of a render error, a component alone).
    NotRendered,
}

/// The transformations as the resolver reads them (`origin/search.rs`): those it follows, a
/// repeat in a row once.
fn followed(transformations: &[Transformation]) -> Vec<Transformation> {
    const FOLLOWED: [&str; 7] = [
        "PatchStrategicMergeTransformer",
        "PatchTransformer",
        "NamespaceTransformer",
        "LabelTransformer",
        "AnnotationsTransformer",
        "PatchJson6902Transformer",
        "ReplicaCountTransformer",
    ];
    let mut out: Vec<Transformation> = transformations
        .iter()
        .filter(|t| FOLLOWED.contains(&t.transformer.as_str()))
        .cloned()
        .collect();
    out.dedup();
    out
}

fn same_meta(a: &DocMeta, b: &DocMeta) -> bool {
    a.chunk == b.chunk
        && a.origin == b.origin
        && followed(&a.transformations) == followed(&b.transformations)
}

fn compare(
    renderer: &Renderer,
    workspace: &Workspace,
    how: &How,
    index: usize,
    overlay: &Overlay,
) -> Verdict {
    let real_dir = std::fs::canonicalize(&overlay.dir).expect("overlay folder");
    let render = |annotated| {
        attempt(
            renderer, workspace, index, overlay, &real_dir, how, annotated,
        )
    };
    let Ok(mut plain) = render(false) else {
        return Verdict::NotRendered;
    };
    let annotated = render(true).expect("renders annotated when it renders plain");
    assert!(annotated.located, "{}: annotated", overlay.name);
    assert_eq!(
        plain.stripped.text, annotated.stripped.text,
        "{}: the plain stream differs from the annotated one, stripped",
        overlay.name
    );
    if plain.stripped.annotated {
        return Verdict::FellBack("build annotations in the plain render".into());
    }
    if let Err(why) = crate::render::place::place(overlay, &real_dir, &mut plain.stripped.documents)
    {
        return Verdict::FellBack(why);
    }
    let pairs = plain
        .stripped
        .documents
        .iter()
        .zip(&annotated.stripped.documents);
    if plain.stripped.documents.len() == annotated.stripped.documents.len()
        && pairs.clone().all(|(a, b)| same_meta(a, b))
    {
        return Verdict::Equal;
    }
    for (a, b) in pairs {
        eprintln!("{}: placed {a:?}\nannotated {b:?}", overlay.name);
    }
    same_locations(renderer, overlay, &real_dir, plain, annotated);
    Verdict::SameLocations
}

/// Every key and value of every object of the two renders resolves to the same place.
fn same_locations(
    renderer: &Renderer,
    overlay: &Overlay,
    real_dir: &Path,
    plain: Attempt,
    annotated: Attempt,
) {
    let open = |a: Attempt| {
        let entry: Entry = a.into_entry();
        entry.into_overlay(overlay, real_dir.to_path_buf(), renderer)
    };
    let (plain, annotated) = (open(plain), open(annotated));
    let resolver = Resolver::default();
    let docs = plain.index.get_or_init(|| plain.build_index());
    assert!(!docs.is_empty(), "{}: no documents", overlay.name);
    for doc in docs {
        let spans = doc.located.iter().map(|l| l.span);
        for span in spans.chain(doc.root.span) {
            assert_eq!(
                resolver.resolve(&plain, span),
                resolver.resolve(&annotated, span),
                "{}: {:?} of {:?}",
                overlay.name,
                plain.text.get(span.start..span.end),
                plain.documents.get(doc.meta).map(DocMeta::label),
            );
        }
    }
}

/// Every folder under `dir` that holds a kustomization which is not a component.
fn kustomizations(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() && !path.is_symlink() {
            kustomizations(&path, out);
        }
    }
    let component = kustomization::read(dir).is_ok_and(|k| k.component);
    if kustomization::file_in(dir).is_some() && !component {
        out.push(dir.to_path_buf());
    }
}

fn overlay_in(dir: &Path, name: &str) -> Overlay {
    let plan = render::named(
        &[Root::new(dir, name)],
        &crate::source::confine::RootDir::anywhere(),
    );
    plan.overlays.into_iter().next().expect("one overlay")
}

#[test]
fn placed_origins_are_those_kustomize_gives() {
    let test = "place::differential::tests::placed_origins_are_those_kustomize_gives";
    let Some(renderer) = crate::render::tests::renderer(test) else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = Vec::new();
    kustomizations(&root.join("fixtures"), &mut dirs);
    kustomizations(&root.join("tests"), &mut dirs);
    let mut overlays: Vec<(Overlay, bool)> = dirs
        .iter()
        .map(|d| {
            let name = d.strip_prefix(root).expect("inside").to_string_lossy();
            (overlay_in(d, &name), false)
        })
        .collect();
    let temp = tempfile::tempdir().expect("temp");
    let repo = temp.path().join("bench");
    let case = bench::case(&repo).expect("the bench's repository");
    for render in &case.renders {
        let name = render.get(1).expect("overlay name");
        overlays.push((overlay_in(&repo.join(name), name), true));
    }
    let workspace = Workspace::new(Some(temp.path())).expect("workspace");
    let scratch = crate::exec::Scratch::new(Some(temp.path())).expect("scratch");
    let how = How {
        timeout: Duration::from_secs(60),
        scratch: &scratch,
        budget: None,
        no_remote: false,
    };
    let verdicts: Vec<Verdict> = std::thread::scope(|s| {
        let threads = 2;
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (overlays, renderer, workspace, how) = (&overlays, &renderer, &workspace, &how);
                s.spawn(move || {
                    let mut out = Vec::new();
                    for (i, (overlay, _)) in overlays.iter().enumerate().skip(t).step_by(threads) {
                        out.push((i, compare(renderer, workspace, how, i, overlay)));
                    }
                    out
                })
            })
            .collect();
        let mut all: Vec<(usize, Verdict)> = handles
            .into_iter()
            .flat_map(|h| h.join().expect("no panic"))
            .collect();
        all.sort_by_key(|(i, _)| *i);
        all.into_iter().map(|(_, v)| v).collect()
    });
    let count = |f: &dyn Fn(&Verdict) -> bool| verdicts.iter().filter(|v| f(v)).count();
    let fell_back: Vec<String> = overlays
        .iter()
        .zip(&verdicts)
        .filter_map(|((o, _), v)| match v {
            Verdict::FellBack(why) => Some(format!("{}: {why}", o.name)),
            _ => None,
        })
        .collect();
    let not_rendered: Vec<&str> = overlays
        .iter()
        .zip(&verdicts)
        .filter(|(_, v)| **v == Verdict::NotRendered)
        .map(|((o, _), _)| o.name.as_str())
        .collect();
    let _ = writeln!(
        std::io::stderr(),
        "{test}: {} overlays: {} placed as Kustomize says, {} placed at the same lines, {} fell back [{}], {} do not render [{}]",
        overlays.len(),
        count(&|v| *v == Verdict::Equal),
        count(&|v| *v == Verdict::SameLocations),
        fell_back.len(),
        fell_back.join("; "),
        not_rendered.len(),
        not_rendered.join(", ")
    );
    for ((overlay, from_bench), verdict) in overlays.iter().zip(&verdicts) {
        match verdict {
            Verdict::FellBack(why) => assert!(
                !from_bench && FALLS_BACK.contains(&overlay.name.as_str()),
                "{} fell back: {why}",
                overlay.name
            ),
            Verdict::NotRendered => assert!(!from_bench, "{} did not render", overlay.name),
            Verdict::Equal | Verdict::SameLocations => {}
        }
    }
    assert!(count(&|v| *v == Verdict::Equal) >= 50, "{verdicts:?}");
}
