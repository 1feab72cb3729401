//! The wrapper kustomizations lbplan builds instead of the overlay itself.
//!
//! A render is first asked plain (the wrapper only lists the overlay), and lbplan places each
//! object from the graph it read (`place.rs`). Where it cannot, the overlay is rendered again
//! through a wrapper that asks Kustomize where each rendered object comes from: Kustomize writes an object's source file (`config.kubernetes.io/origin`) and the kustomizations
//! whose transformers changed it (`alpha.config.kubernetes.io/transformations`) only when the
//! kustomization being built asks for them (`buildMetadata`). lbplan never edits the user's
//! kustomization: it writes, in a temporary folder outside the repository, a kustomization whose
//! only resource is the overlay, referenced by a relative path (Kustomize refuses an absolute
//! one), and builds that. The folder is removed when the run's renders are done.
//!
//! The folder is registered for cleanup: a signal removes it too.

use std::io;
use std::path::{Component, Path, PathBuf};

/// The temporary folder of one run's renders.
#[derive(Debug)]
pub struct Workspace {
    dir: crate::exec::TempFolder,
    /// `dir`, with symbolic links resolved, so that relative paths from it are exact.
    real: PathBuf,
}

impl Workspace {
    /// A new folder under `parent` (the system's temporary folder when `None`).
    pub fn new(parent: Option<&Path>) -> io::Result<Workspace> {
        let dir = crate::exec::TempFolder::new("lbplan-kustomize-", parent)?;
        let real = std::fs::canonicalize(dir.path())?;
        Ok(Workspace { dir, real })
    }

    /// Write the wrapper of the overlay in `overlay` (any path to it) in a folder of its own,
    /// numbered `index`; returns that folder. `annotated`: the wrapper asks for origin
    /// annotations (a folder of its own too).
    pub fn wrapper(&self, index: usize, overlay: &Path, annotated: bool) -> io::Result<PathBuf> {
        let overlay = std::fs::canonicalize(overlay).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("overlay folder {}: {e}", overlay.display()),
            )
        })?;
        let folder = match annotated {
            true => self.real.join(format!("{index}-origins")),
            false => self.real.join(index.to_string()),
        };
        let relative = relative(&folder, &overlay).ok_or_else(|| {
            io::Error::other(format!(
                "no relative path from {} to {}",
                folder.display(),
                overlay.display()
            ))
        })?;
        let relative = relative.to_string_lossy().replace('\\', "/");
        // JSON string syntax is YAML's double-quoted scalar: any folder name is written safely.
        let quoted = serde_json::to_string(&relative).map_err(io::Error::other)?;
        let metadata = match annotated {
            true => "buildMetadata: [originAnnotations, transformerAnnotations]\n",
            false => "",
        };
        std::fs::create_dir(&folder)?;
        std::fs::write(
            folder.join("kustomization.yaml"),
            format!(
                "# Written by lbplan to render your overlay from outside it; removed after the render.\n\
                 apiVersion: kustomize.config.k8s.io/v1beta1\n\
                 kind: Kustomization\n\
                 resources:\n- {quoted}\n\
                 {metadata}"
            ),
        )?;
        Ok(folder)
    }

    /// Remove the folder now, reporting a failure (dropping it removes it silently).
    pub fn close(self) -> io::Result<()> {
        self.dir.close()
    }
}

/// The path from folder `from` to `to`, both absolute and free of `.`/`..`.
pub fn relative(from: &Path, to: &Path) -> Option<PathBuf> {
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    // Different roots (Windows drives) have no relative path.
    if from.first() != to.first() {
        return None;
    }
    let common = from
        .iter()
        .zip(to.iter())
        .take_while(|(a, b)| a == b)
        .count();
    let mut path = PathBuf::new();
    for _ in common..from.len() {
        path.push("..");
    }
    for part in to.iter().skip(common) {
        path.push(part.as_os_str());
    }
    Some(path)
}

/// `path` with `.` and `name/..` removed, without touching the file system (a leading `..` of a
/// relative path is kept).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(part),
            },
            _ => out.push(part),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_and_descend() {
        let r = relative(Path::new("/tmp/x/0"), Path::new("/work/repo/overlays/prod"));
        assert_eq!(r, Some(PathBuf::from("../../../work/repo/overlays/prod")));
        assert_eq!(
            relative(Path::new("/a/b"), Path::new("/a/b/c")),
            Some(PathBuf::from("c"))
        );
    }

    #[test]
    fn normalize_is_lexical() {
        assert_eq!(
            normalize(Path::new("overlays/prod/../../base/svc.yaml")),
            PathBuf::from("base/svc.yaml")
        );
        assert_eq!(normalize(Path::new("./../x/./y")), PathBuf::from("../x/y"));
        assert_eq!(normalize(Path::new("/tmp/0/../../a")), PathBuf::from("/a"));
        assert_eq!(normalize(Path::new("a/..")), PathBuf::from("."));
    }

    #[test]
    fn wrappers_reference_the_overlay_relatively_and_go_away() {
        let parent = tempfile::tempdir().expect("parent");
        let repo = tempfile::tempdir().expect("repo");
        let overlay = repo.path().join("o v");
        std::fs::create_dir(&overlay).expect("mkdir");
        let ws = Workspace::new(Some(parent.path())).expect("workspace");
        let folder = ws.wrapper(3, &overlay, true).expect("wrapper");
        let plain = ws.wrapper(3, &overlay, false).expect("plain wrapper");
        let plain = std::fs::read_to_string(plain.join("kustomization.yaml")).expect("read");
        assert!(!plain.contains("buildMetadata"), "{plain}");
        let text = std::fs::read_to_string(folder.join("kustomization.yaml")).expect("read");
        assert!(text.contains("buildMetadata: [originAnnotations"), "{text}");
        let line = text
            .lines()
            .find(|l| l.starts_with("- \""))
            .expect("resource line");
        let rel: String = serde_json::from_str(&line[2..]).expect("quoted");
        assert!(rel.starts_with("../"), "{rel}");
        assert_eq!(
            std::fs::canonicalize(folder.join(&rel)).expect("resolves"),
            std::fs::canonicalize(&overlay).expect("real")
        );
        ws.close().expect("close");
        assert!(
            std::fs::read_dir(parent.path())
                .expect("ls")
                .next()
                .is_none()
        );
    }
}
