use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::render::attempt::{Attempt, attempt};
use crate::render::cached::Entry;
use crate::render::kustomization;
use crate::render::process::{How, Renderer};
use crate::render::strip::{BuildOrigin, DocMeta, Transformation};
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

/// Where an overlay comes from: what it may do.
#[derive(Clone, Copy, PartialEq)]
enum From {
    /// The test suite's: fails to render where a fixture means it to, falls back as listed.
    Fixtures,
    /// The bench's: each is rendered and placed.
    Bench,
    /// `LBPLAN_PLACE_EXTRA`'s: may fall back or fail to render; a placed one must be right.
    Elsewhere,
}

#[derive(Debug, PartialEq)]
enum Verdict {
    /// The placed origins are those Kustomize gave.
    Equal,
    /// Not equal, yet every key and value resolves to the same place.
    SameLocations,
    /// Kustomize lost the origin annotation of an object the overlay's patch gave new
    /// annotations (`add /metadata/annotations`: the annotations say a patch made it, and the
    /// finding pointed at the kustomization), which lbplan places at its file.
    Lost,
    /// A place that moved, or streams that differ: what and where.
    Differs(String),
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
    if !annotated.located || plain.stripped.text != annotated.stripped.text {
        return Verdict::Differs("the plain stream is not the annotated one, stripped".into());
    }
    if plain.stripped.annotated {
        return Verdict::FellBack("build annotations in the plain render".into());
    }
    if let Err(why) = crate::render::place::place(overlay, &real_dir, &mut plain.stripped.documents)
    {
        return Verdict::FellBack(why);
    }
    let (placed, asked) = (&plain.stripped.documents, &annotated.stripped.documents);
    if placed.len() != asked.len() {
        return Verdict::Differs("not as many documents".into());
    }
    let differing: Vec<(&DocMeta, &DocMeta)> = placed
        .iter()
        .zip(asked)
        .filter(|(a, b)| !same_meta(a, b))
        .collect();
    if differing.is_empty() {
        return Verdict::Equal;
    }
    let lost = |(a, b): &(&DocMeta, &DocMeta)| {
        matches!(&b.origin, Some(BuildOrigin::Generated { generator, .. })
            if !generator.ends_with("Generator"))
            && matches!(a.origin, Some(BuildOrigin::File(_)))
    };
    if differing.iter().all(lost) {
        return Verdict::Lost;
    }
    match same_locations(renderer, overlay, &real_dir, plain, annotated) {
        Some(moved) => Verdict::Differs(moved),
        None => Verdict::SameLocations,
    }
}

/// The first key or value of the two renders that does not resolve to the same place, if any.
fn same_locations(
    renderer: &Renderer,
    overlay: &Overlay,
    real_dir: &Path,
    plain: Attempt,
    annotated: Attempt,
) -> Option<String> {
    let open = |a: Attempt| {
        let entry: Entry = a.into_entry();
        entry.into_overlay(overlay, real_dir.to_path_buf(), renderer)
    };
    let (plain, annotated) = (open(plain), open(annotated));
    let resolver = Resolver::default();
    let docs = (0..plain.documents.len()).filter_map(|at| Some((at, plain.parse_document(at)?)));
    for (at, doc) in docs {
        let spans = doc.located.iter().map(|l| l.span);
        for span in spans.chain(doc.root.span) {
            let (a, b) = (
                resolver.resolve(&plain, span),
                resolver.resolve(&annotated, span),
            );
            if a != b {
                return Some(format!(
                    "{:?} of {:?}: placed {a:?}, annotated {b:?}",
                    plain.text.get(span.start..span.end),
                    plain.documents.get(at).map(DocMeta::label),
                ));
            }
        }
    }
    None
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

/// Each overlay compared, two at a time; the verdicts in the overlays' order.
fn compare_all(
    overlays: &[(Overlay, From)],
    renderer: &Renderer,
    workspace: &Workspace,
    how: &How,
) -> Vec<Verdict> {
    std::thread::scope(|s| {
        let threads = 2;
        let handles: Vec<_> = (0..threads)
            .map(|t| {
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
    })
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
    let mut overlays: Vec<(Overlay, From)> = dirs
        .iter()
        .map(|d| {
            let name = d.strip_prefix(root).expect("inside").to_string_lossy();
            (overlay_in(d, &name), From::Fixtures)
        })
        .collect();
    // Repositories of one's own, by `LBPLAN_PLACE_EXTRA=DIR:DIR` (their overlays may fall back).
    for extra in std::env::split_paths(&std::env::var_os("LBPLAN_PLACE_EXTRA").unwrap_or_default())
    {
        let mut dirs = Vec::new();
        kustomizations(&extra, &mut dirs);
        overlays.extend(
            dirs.iter()
                .map(|d| (overlay_in(d, &d.to_string_lossy()), From::Elsewhere)),
        );
    }
    let temp = tempfile::tempdir().expect("temp");
    let repo = temp.path().join("bench");
    let case = bench::case(&repo).expect("the bench's repository");
    for render in &case.renders {
        let name = render.get(1).expect("overlay name");
        overlays.push((overlay_in(&repo.join(name), name), From::Bench));
    }
    let workspace = Workspace::new(Some(temp.path())).expect("workspace");
    let scratch = crate::exec::Scratch::new(Some(temp.path())).expect("scratch");
    let how = How {
        timeout: Duration::from_secs(60),
        scratch: &scratch,
        budget: None,
        no_remote: false,
        stop: None,
    };
    let verdicts = compare_all(&overlays, &renderer, &workspace, &how);
    let count = |f: &dyn Fn(&Verdict) -> bool| verdicts.iter().filter(|v| f(v)).count();
    let fell_back: Vec<String> = overlays
        .iter()
        .zip(&verdicts)
        .filter_map(|((o, _), v)| match v {
            Verdict::FellBack(why) => Some(format!("{}: {why}", o.name)),
            _ => None,
        })
        .collect();
    let named = |pick: &dyn Fn(&Verdict) -> Option<String>| -> Vec<String> {
        overlays
            .iter()
            .zip(&verdicts)
            .filter_map(|((o, _), v)| pick(v).map(|why| format!("{}{why}", o.name)))
            .collect()
    };
    let not_rendered = named(&|v| (*v == Verdict::NotRendered).then(String::new));
    let lost = named(&|v| (*v == Verdict::Lost).then(String::new));
    let differs = named(&|v| match v {
        Verdict::Differs(what) => Some(format!(": {what}")),
        _ => None,
    });
    let _ = writeln!(
        std::io::stderr(),
        "{test}: {} overlays: {} placed as Kustomize says, {} placed at the same lines, {} placed where Kustomize lost the origin [{}], {} fell back [{}], {} do not render [{}], {} differ",
        overlays.len(),
        count(&|v| *v == Verdict::Equal),
        count(&|v| *v == Verdict::SameLocations),
        lost.len(),
        lost.join(", "),
        fell_back.len(),
        fell_back.join("; "),
        not_rendered.len(),
        not_rendered.join(", "),
        differs.len(),
    );
    assert!(differs.is_empty(), "{}", differs.join("\n"));
    for ((overlay, from), verdict) in overlays.iter().zip(&verdicts) {
        match (verdict, from) {
            (Verdict::Equal | Verdict::SameLocations | Verdict::Lost, _) | (_, From::Elsewhere) => {
            }
            (Verdict::FellBack(why), _) => assert!(
                *from == From::Fixtures && FALLS_BACK.contains(&overlay.name.as_str()),
                "{} fell back: {why}",
                overlay.name
            ),
            (Verdict::NotRendered, _) => {
                assert!(*from == From::Fixtures, "{} did not render", overlay.name);
            }
            (Verdict::Differs(_), _) => unreachable!("asserted above"),
        }
    }
    assert!(count(&|v| *v == Verdict::Equal) >= 50, "{verdicts:?}");
}
