//! How paths appear in reports, and which files are manifests: what discovery, the folder walk,
//! Helm chart detection and git's tracked files all ask, below them so that none asks another.

use std::path::Path;

const EXTENSIONS: [&str; 3] = ["yaml", "yml", "json"];

/// A path that could not be used, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct IoProblem {
    pub path: String,
    pub message: String,
}

/// Whether a file found in a folder is read as a manifest: `*.yaml`, `*.yml` or `*.json`.
pub fn has_manifest_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// How a folder appears in reports: as [`display_name`], and `.` rather than nothing.
pub fn display_folder(path: &Path) -> String {
    let name = display_name(path);
    let name = name.trim_end_matches('/');
    if name.is_empty() || name == "." {
        ".".to_string()
    } else {
        name.to_string()
    }
}

/// How a path appears in reports: as given, without a leading `./`, with `/` separators.
pub fn display_name(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut name = text.as_str();
    while let Some(rest) = name.strip_prefix("./") {
        name = rest;
    }
    // A file name is printed in every report: its control characters never reach a terminal raw
    // and it starts no CI workflow command.
    crate::text::visible(name).into_owned()
}

/// Whether a file should be parsed as JSON rather than YAML.
pub fn is_json(name: &str) -> bool {
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}
