//! One render of an overlay through its wrapper: plain, or asking Kustomize where each object
//! comes from (`wrapper.rs`). A failure is an error that names the overlay and what the renderer
//! said, never the wrapper's folder.

use std::path::Path;

use super::Overlay;
use super::cached::Entry;
use super::error::{RenderFailure, WARNING_LINES, explain, shorten, stderr_head};
use super::process::{How, Renderer};
use super::strip::{self, Stripped};
use super::wrapper::Workspace;
use crate::exec::{Captured, RunError};
use crate::source::decode;

/// A render that succeeded: the stream without build annotations, and what they said.
#[derive(Debug)]
pub struct Attempt {
    pub stripped: Stripped,
    /// What the renderer wrote on standard error.
    pub stderr: String,
    /// Whether the documents say where they come from: an annotated render by a renderer
    /// that accepts `buildMetadata`, or a plain one placed from the graph (`place.rs`).
    pub located: bool,
}

impl Attempt {
    pub fn into_entry(self) -> Entry {
        Entry {
            text: self.stripped.text,
            warnings: self
                .stderr
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .take(WARNING_LINES)
                .map(shorten)
                .collect(),
            located: self.located,
            documents: self.stripped.documents,
        }
    }
}

/// Render `overlay` (whose folder, links resolved, is `real_dir`) through its wrapper number
/// `index`; `annotated`: asking for origin annotations. A plain render is `located` once placed.
pub fn attempt(
    renderer: &Renderer,
    workspace: &Workspace,
    index: usize,
    overlay: &Overlay,
    real_dir: &Path,
    how: &How,
    annotated: bool,
) -> Result<Attempt, RenderFailure> {
    let command = renderer.command_line(&overlay.name);
    let wrapper = workspace
        .wrapper(index, &overlay.dir, annotated)
        .map_err(|e| RenderFailure::Workspace {
            error: e.to_string(),
        })?;
    let mut located = true;
    let mut captured = build(renderer, &wrapper, how, &command)?;
    if annotated
        && !captured.status.success()
        && String::from_utf8_lossy(&captured.stderr).contains("buildMetadata")
    {
        // A renderer older than Kustomize 4.5 refuses `buildMetadata`: render the overlay
        // itself, and locate nothing.
        located = false;
        captured = build(renderer, &overlay.dir, how, &command)?;
    }
    let stderr = String::from_utf8_lossy(&captured.stderr).into_owned();
    if !captured.status.success() {
        // The wrapper's folder, and its path to the overlay, are no place of the user's.
        let mut replace = vec![(wrapper.display().to_string(), overlay.name.clone())];
        if let Some(relative) = super::wrapper::relative(&wrapper, real_dir) {
            replace.push((relative.display().to_string(), overlay.name.clone()));
        }
        // The side's folder (the working folder while it is read): a revision's is a temporary
        // folder with a random name, which a report must not carry (nor any machine's path).
        if let Ok(side) = std::env::current_dir() {
            replace.push((format!("{}/", side.display()), String::new()));
        }
        let (lines, hint) = explain(&stderr, &replace, &overlay.remote);
        return Err(RenderFailure::Failed {
            command,
            status: captured.status.to_string(),
            stderr: lines,
            hint,
        });
    }
    let decoded = decode(captured.stdout);
    if let Some((_, problem)) = decoded.problem {
        return Err(RenderFailure::Output {
            command,
            message: format!("its output is not text: {problem}"),
        });
    }
    Ok(Attempt {
        stripped: strip::strip(&decoded.text, &wrapper),
        stderr,
        located,
    })
}

fn build(
    renderer: &Renderer,
    dir: &Path,
    how: &How,
    command: &str,
) -> Result<Captured, RenderFailure> {
    let limit = how.timeout;
    renderer.build(dir, how).map_err(|e| match e {
        RunError::Start(error) => RenderFailure::Start {
            command: command.to_string(),
            error: error.to_string(),
        },
        RunError::TimedOut { stderr } => RenderFailure::TimedOut {
            command: command.to_string(),
            limit,
            stderr: stderr_head(&String::from_utf8_lossy(&stderr)),
        },
        RunError::OutputHeld { status, stderr } => RenderFailure::OutputHeld {
            command: command.to_string(),
            status: status.to_string(),
            limit,
            stderr: stderr_head(&String::from_utf8_lossy(&stderr)),
        },
        RunError::Output(message) => RenderFailure::Output {
            command: command.to_string(),
            message,
        },
        RunError::Budget => RenderFailure::Budget {
            command: command.to_string(),
        },
    })
}
