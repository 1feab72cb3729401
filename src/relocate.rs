//! Locations in rendered Kustomize streams, moved to the files the user wrote.
//!
//! Rules see the objects of rendered streams (what `kubectl kustomize overlays/prod` prints), so
//! every location they report is in a stream. Before anything is reported, each one goes through
//! the engine's resolver ([`Streams::relocate`], the one place that does it): to its source file
//! (registered once per path, with the text the resolver read, so that the file is read once and
//! every span is an offset into that text), or, where no source is found (a remote base, a
//! renderer without origin annotations), to the overlay's kustomization file, with the overlay and
//! the object named in the message. No report names a stream.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::render::{RenderedOverlay, Resolved, Resolver};
use crate::rules::Finding;
use crate::source::discover::display_name;
use crate::source::{FileId, Origin, SourceFile, Sources, Span};

/// The rendered streams of a run, and the source files their locations moved to.
#[derive(Debug, Default)]
pub struct Streams {
    rendered: Vec<RenderedOverlay>,
    /// Each stream source and the overlay it was rendered from.
    by_file: HashMap<FileId, usize>,
    resolver: Resolver,
    /// The source files registered so far, by path.
    files: HashMap<PathBuf, FileId>,
}

/// A location after relocation: in a file the user wrote, and what to add to the message when
/// the object has no source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relocated {
    pub origin: Origin,
    /// The overlay whose render held the location, when it was in a stream.
    pub overlay: Option<String>,
    pub unresolved: Option<String>,
}

impl Relocated {
    /// `message`, with the words that say why the location is not exact.
    pub fn message(&self, message: &str) -> String {
        match &self.unresolved {
            Some(words) => format!("{message} ({words})"),
            None => message.to_string(),
        }
    }
}

impl Streams {
    pub fn new(rendered: Vec<RenderedOverlay>) -> Streams {
        Streams {
            rendered,
            ..Streams::default()
        }
    }

    /// The overlays rendered, in the order given.
    pub fn rendered(&self) -> &[RenderedOverlay] {
        &self.rendered
    }

    /// The overlay whose rendered stream source `file` holds, as reports name it.
    pub fn overlay_of(&self, file: FileId) -> Option<&str> {
        let index = self.by_file.get(&file)?;
        self.rendered.get(*index).map(|r| r.overlay.name.as_str())
    }

    /// Source `file` holds the stream of `self.rendered()[overlay]`.
    pub fn add_stream(&mut self, file: FileId, overlay: usize) {
        self.by_file.insert(file, overlay);
    }

    /// Where `origin` was written: unchanged unless it is in a rendered stream.
    pub fn relocate(&mut self, origin: Origin, sources: &mut Sources) -> Relocated {
        let unchanged = Relocated {
            origin,
            overlay: None,
            unresolved: None,
        };
        let Some(rendered) = self
            .by_file
            .get(&origin.file)
            .and_then(|&i| self.rendered.get(i))
        else {
            return unchanged;
        };
        let overlay = Some(rendered.overlay.name.clone());
        match self.resolver.resolve(rendered, origin.span) {
            Resolved::Source(source) => {
                let file = self.source(&source.path, source.name, sources);
                Relocated {
                    origin: Origin::new(file, source.span),
                    overlay,
                    unresolved: None,
                }
            }
            Resolved::Unresolved {
                overlay: name,
                kustomization,
                object,
            } => {
                let words = match object {
                    Some(object) => format!(
                        "{object} is rendered by Kustomize overlay {name} from no file in this repository"
                    ),
                    None => format!("rendered by Kustomize overlay {name}"),
                };
                let Some(kustomization) = kustomization else {
                    return Relocated {
                        overlay,
                        unresolved: Some(words),
                        ..unchanged
                    };
                };
                let real =
                    std::fs::canonicalize(&kustomization).unwrap_or_else(|_| kustomization.clone());
                let file = self.source(&real, display_name(&kustomization), sources);
                Relocated {
                    origin: Origin::new(file, Span::new(0, 0)),
                    overlay,
                    unresolved: Some(words),
                }
            }
        }
    }

    /// A finding's primary and related locations, relocated.
    pub fn relocate_finding(&mut self, finding: &mut Finding, sources: &mut Sources) {
        let primary = self.relocate(finding.origin, sources);
        finding.origin = primary.origin;
        finding.message = primary.message(&finding.message);
        for related in &mut finding.related {
            let moved = self.relocate(related.origin, sources);
            related.origin = moved.origin;
            related.message = moved.message(&related.message);
        }
    }

    /// The source file at `path`, registered once.
    fn source(&mut self, path: &Path, name: String, sources: &mut Sources) -> FileId {
        if let Some(&id) = self.files.get(path) {
            return id;
        }
        let id = sources.add(SourceFile::new(name, self.resolver.text(path)));
        self.files.insert(path.to_path_buf(), id);
        id
    }
}
