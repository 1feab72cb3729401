//! Locations in rendered Kustomize and Helm streams, moved to the files the user wrote.
//!
//! Rules see the objects of rendered streams (what `kubectl kustomize overlays/prod` or `helm
//! template web charts/web` prints), so every location they report is in a stream. Before
//! anything is reported, each one goes through the engine's resolver ([`Streams::relocate`], the
//! one place that does it): to its source file (registered once per path, with the text the
//! resolver read, so that the file is read once and every span is an offset into that text), or,
//! where no source is found (a remote base, a renderer without origin annotations), to the
//! overlay's kustomization file, with the overlay and the object named in the message. A Helm
//! place is a values or template line (`helm/locate.rs`), a value found in a values file bringing
//! the template that renders it as a related place. No report names a stream.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::helm::RenderedRelease;
use crate::helm::locate::Locator;
use crate::model::duplicate::RenderedBy;
use crate::render::{RenderedOverlay, Resolved, Resolver};
use crate::rules::{Finding, Related};
use crate::source::discover::display_name;
use crate::source::{FileId, Origin, SourceFile, Sources, Span};

/// The rendered streams of a run, and the source files their locations moved to.
#[derive(Debug, Default)]
pub struct Streams {
    rendered: Vec<RenderedOverlay>,
    releases: Vec<RenderedRelease>,
    /// Each stream source and the overlay or release it was rendered from.
    by_file: HashMap<FileId, Stream>,
    resolver: Resolver,
    locator: Locator,
    /// The source files registered so far, by path.
    files: HashMap<PathBuf, FileId>,
}

/// What a stream source holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stream {
    /// `rendered[i]`.
    Overlay(usize),
    /// `releases[i]`.
    Release(usize),
}

/// A location after relocation: in a file the user wrote, and what to add to the message when
/// the object has no source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relocated {
    pub origin: Origin,
    /// The render that held the location, when it was in a stream.
    pub overlay: Option<RenderedBy>,
    pub unresolved: Option<String>,
    /// Another place worth naming: the template that renders a value found in a values file.
    pub related: Option<(Origin, String)>,
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

    /// Parse each stream once for both sides of `lbplan diff`: every overlay rendered here to the
    /// same text as one of `other`'s uses that one's index (by content, never by path: what
    /// the objects' keys mean, their origins and files, stays each side's own). How many share.
    pub fn share_indexes(&mut self, other: &Streams) -> usize {
        let mut by_text: HashMap<&str, Vec<&RenderedOverlay>> = HashMap::new();
        for theirs in &other.rendered {
            by_text.entry(&theirs.text).or_default().push(theirs);
        }
        let mut shared = 0;
        for mine in &mut self.rendered {
            let Some(candidates) = by_text.get(&*mine.text) else {
                continue;
            };
            if candidates.iter().any(|theirs| mine.share_index(theirs)) {
                shared += 1;
            }
        }
        shared
    }

    /// The releases rendered, in the order given.
    pub fn releases(&self) -> &[RenderedRelease] {
        &self.releases
    }

    /// The folder of the overlay or chart whose rendered stream source `file` holds, as reports
    /// name it.
    pub fn overlay_of(&self, file: FileId) -> Option<&str> {
        match self.by_file.get(&file)? {
            Stream::Overlay(i) => self.rendered.get(*i).map(|r| r.overlay.name.as_str()),
            Stream::Release(i) => self.releases.get(*i).map(|r| r.release.chart_name.as_str()),
        }
    }

    /// Source `file` holds the stream of `self.rendered()[overlay]`.
    pub fn add_stream(&mut self, file: FileId, overlay: usize) {
        self.by_file.insert(file, Stream::Overlay(overlay));
    }

    /// The releases rendered; `streams` are (source, index into `releases`).
    pub fn add_releases(&mut self, releases: Vec<RenderedRelease>, streams: &[(FileId, usize)]) {
        self.releases = releases;
        for &(file, release) in streams {
            self.by_file.insert(file, Stream::Release(release));
        }
    }

    /// Where `origin` was written: unchanged unless it is in a rendered stream.
    pub fn relocate(&mut self, origin: Origin, sources: &mut Sources) -> Relocated {
        let unchanged = Relocated {
            origin,
            overlay: None,
            unresolved: None,
            related: None,
        };
        let rendered = match self.by_file.get(&origin.file) {
            Some(Stream::Overlay(i)) => self.rendered.get(*i),
            Some(Stream::Release(i)) => return self.relocate_helm(*i, origin, sources),
            None => None,
        };
        let Some(rendered) = rendered else {
            return unchanged;
        };
        let overlay = Some(RenderedBy::Kustomize(rendered.overlay.name.clone()));
        match self.resolver.resolve(rendered, origin.span) {
            Resolved::Source(source) => {
                let file = self.source(&source.path, source.name, sources);
                Relocated {
                    origin: Origin::new(file, source.span),
                    overlay,
                    unresolved: None,
                    related: None,
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
                    related: None,
                }
            }
        }
    }

    /// Where `origin`, in the stream of `releases[release]`, was written.
    fn relocate_helm(
        &mut self,
        release: usize,
        origin: Origin,
        sources: &mut Sources,
    ) -> Relocated {
        let Some(rendered) = self.releases.get(release) else {
            return Relocated {
                origin,
                overlay: None,
                unresolved: None,
                related: None,
            };
        };
        let overlay = Some(RenderedBy::Helm(rendered.release.chart_name.clone()));
        let resolver = &self.resolver;
        let read = |path: &Path| resolver.text(path);
        let Some(place) = self.locator.resolve(rendered, origin.span, &read) else {
            return Relocated {
                origin,
                overlay,
                unresolved: Some(format!("rendered by {}", rendered.release.label())),
                related: None,
            };
        };
        let file = self.source(&place.at.path, place.at.name, sources);
        let related = place.related.map(|(at, message)| {
            let file = self.source(&at.path, at.name, sources);
            (Origin::new(file, at.span), message)
        });
        Relocated {
            origin: Origin::new(file, place.at.span),
            overlay,
            unresolved: place.words,
            related,
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
        if let Some((origin, message)) = primary.related {
            finding.related.insert(
                0,
                Related {
                    origin,
                    object: finding.object.clone(),
                    message,
                },
            );
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
