//! Which origin annotations are believed.
//!
//! `config.kubernetes.io/origin` and `alpha.config.kubernetes.io/transformations` come from the
//! rendered stream, and a kustomization can write them itself (`commonAnnotations`): a path
//! there is input like any other. The resolver opens the files they name and quotes their lines
//! in snippets, so one is trusted only when it names a regular file, within the read limits,
//! inside the overlay's own kustomization folders (which the graph already confined to the side's
//! root); otherwise the object has no source, its findings are placed at the overlay, and a note
//! says why.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::render::Overlay;
use crate::render::strip::{BuildOrigin, DocMeta};
use crate::source::read::MAX_FILE_BYTES;

/// Drop the origins and transformations of `documents` that name files the overlay does not
/// hold; the note saying so, if any was dropped.
pub fn distrust(documents: &mut [DocMeta], overlay: &Overlay) -> Option<String> {
    let mut judged: HashMap<PathBuf, bool> = HashMap::new();
    let mut dropped: Vec<PathBuf> = Vec::new();
    let mut trusted = |path: &Path, dropped: &mut Vec<PathBuf>| -> bool {
        let fine = *judged
            .entry(path.to_path_buf())
            .or_insert_with(|| holds(overlay, path));
        if !fine {
            dropped.push(path.to_path_buf());
        }
        fine
    };
    for doc in documents.iter_mut() {
        let named = match &doc.origin {
            Some(BuildOrigin::File(path)) => Some(path.clone()),
            Some(BuildOrigin::Generated { kustomization, .. }) => Some(kustomization.clone()),
            _ => None,
        };
        if named.is_some_and(|path| !trusted(&path, &mut dropped)) {
            doc.origin = None;
        }
        doc.transformations
            .retain(|t| trusted(&t.kustomization, &mut dropped));
    }
    let first = dropped.first()?;
    Some(format!(
        "Kustomize overlay {}: {} origin {} of its rendered objects name files outside the overlay's kustomization folders, or files lbplan does not read (first: {}): findings there point at the overlay",
        overlay.name,
        dropped.len(),
        if dropped.len() == 1 {
            "annotation"
        } else {
            "annotations"
        },
        crate::text::visible(&first.display().to_string())
    ))
}

/// Whether `path` is a regular file within the read limit, inside one of the overlay's
/// kustomization folders (links resolved).
fn holds(overlay: &Overlay, path: &Path) -> bool {
    let Ok(real) = std::fs::canonicalize(path) else {
        return false;
    };
    let inside = overlay.roots.iter().any(|root| real.starts_with(root));
    inside && std::fs::metadata(&real).is_ok_and(|m| m.is_file() && m.len() <= MAX_FILE_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::strip::Transformation;

    #[test]
    fn only_files_inside_the_overlay_are_believed() {
        let temp = tempfile::tempdir().expect("temp");
        let repo = std::fs::canonicalize(temp.path()).expect("real");
        std::fs::create_dir(repo.join("o")).expect("mkdir");
        std::fs::write(repo.join("o/svc.yaml"), "kind: Service\n").expect("write");
        std::fs::write(repo.join("elsewhere.yaml"), "kind: Service\n").expect("write");
        let overlay = Overlay {
            dir: repo.join("o"),
            name: "o".into(),
            files: Vec::new(),
            remote: Vec::new(),
            roots: vec![repo.join("o")],
            escapes: Vec::new(),
            resolved: true,
        };
        let doc = |origin: &Path| DocMeta {
            origin: Some(BuildOrigin::File(origin.to_path_buf())),
            transformations: vec![Transformation {
                kustomization: origin.to_path_buf(),
                transformer: "LabelTransformer".into(),
            }],
            ..DocMeta::default()
        };
        let mut docs = vec![
            doc(&repo.join("o/svc.yaml")),
            doc(Path::new("/proc/self/environ")),
            doc(&repo.join("elsewhere.yaml")),
            doc(Path::new("/dev/zero")),
        ];
        let note = distrust(&mut docs, &overlay).expect("a note");
        assert!(docs[0].origin.is_some() && docs[0].transformations.len() == 1);
        for d in &docs[1..] {
            assert!(d.origin.is_none() && d.transformations.is_empty(), "{d:?}");
        }
        assert!(note.contains("6 origin annotations"), "{note}");
        assert!(note.contains("/proc/self/environ"), "{note}");
    }
}
