//! GitHub workflow commands that lbplan itself writes (`--format github`): data and properties
//! encoded as the runner decodes them, so that whatever a value holds, one command stays one
//! line and a property cannot end early.

use std::fmt::Write as _;
use std::hash::{BuildHasher, RandomState};

use super::terminal::visible;

/// Message data: `%`, CR and LF encoded (`%` first, as the runner's toolkit does).
pub fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value (`file=`, `title=`): as data, and `:` and `,`, which end a property.
pub fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

/// `::name key=value,...::message`: properties and message encoded. The message is lbplan's
/// lines joined with LF; each line holds input only as [`visible`] escaped it, so a line break
/// in the input shows as `\u{a}` rather than as a line of the annotation.
pub fn command(name: &str, properties: &[(&str, &str)], message: &str) -> String {
    let mut line = format!("::{name}");
    for (i, (key, value)) in properties.iter().enumerate() {
        let _ = write!(
            line,
            "{}{key}={}",
            if i == 0 { ' ' } else { ',' },
            property(value)
        );
    }
    let _ = write!(line, "::{}", data(message));
    line
}

/// Lines of a message, each escaped as a value ([`visible`]), joined with LF for [`command`].
pub fn message<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    lines
        .into_iter()
        .map(|l| visible(l).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// `::stop-commands::TOKEN` … `::TOKEN::` around text lbplan echoes from outside (a renderer's
/// standard error) in a GitHub job: the runner runs no command in between, whatever the text
/// says, until the token, which is random for each run so that the text cannot name it.
#[derive(Debug, Clone)]
pub struct StopCommands {
    token: String,
}

impl StopCommands {
    /// A new token: 128 bits from the standard library's hasher keys, which it seeds from the
    /// operating system's random source for each process (no crate, no file, no network).
    pub fn new() -> Self {
        let state = RandomState::new();
        let (a, b) = (state.hash_one(0_u8), state.hash_one(1_u8));
        StopCommands {
            token: format!("lbplan-{a:016x}{b:016x}"),
        }
    }

    #[cfg(test)]
    pub fn token(&self) -> &str {
        &self.token
    }

    /// `text` (lines, each already escaped) between the stop and the resume command.
    pub fn wrap(&self, text: &str) -> String {
        let token = &self.token;
        let mut out = format!("::stop-commands::{token}\n{text}");
        if !text.ends_with('\n') {
            out.push('\n');
        }
        let _ = writeln!(out, "::{token}::");
        out
    }
}

impl Default for StopCommands {
    fn default() -> Self {
        StopCommands::new()
    }
}
