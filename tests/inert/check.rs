//! The properties every output must have, as checks.

use std::path::Path;
use std::process::Output;

/// lbplan run in `dir`, colour off, as a CI job runs it.
pub fn lbplan(dir: &Path, args: &[&str]) -> Output {
    lbplan_with(dir, args, &[])
}

/// [`lbplan`] with more environment variables (a stand-in renderer through `LBPLAN_KUSTOMIZE`:
/// a program path comes only from whoever runs lbplan, never from the repository's config).
pub fn lbplan_with(dir: &Path, args: &[&str], env: &[(&str, &Path)]) -> Output {
    super::common::binary()
        .args(args)
        .envs(env.iter().copied())
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env("LBPLAN_THREADS", "2")
        .output()
        .expect("run lbplan")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The lines a GitHub runner reads: it splits on LF, CRLF and a lone CR.
pub fn runner_lines(text: &str) -> impl Iterator<Item = &str> {
    text.split(['\n', '\r'])
}

/// A workflow command lbplan writes: `::error|warning|notice`, its properties free of `:` and of
/// line breaks (encoded), then `::` and the message.
fn lbplans_annotation(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("::") else {
        return false;
    };
    let Some((head, _message)) = rest.split_once("::") else {
        return false;
    };
    let name = head.split(' ').next().unwrap_or("");
    ["error", "warning", "notice"].contains(&name)
}

/// Item 2 of the invariant: no line starts with `::` once its leading whitespace is trimmed, and
/// none holds `##[`, unless `github` and the line is a command lbplan wrote: an annotation, or
/// `::stop-commands::TOKEN` and its `::TOKEN::` (the token then at least 32 characters long).
/// Returns the stop tokens seen.
pub fn assert_inert(what: &str, output: &str, github: bool) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut stopped: Option<String> = None;
    for line in runner_lines(output) {
        assert!(!line.contains("##["), "{what}: `##[` in {line:?}");
        if !line.trim_start().starts_with("::") {
            continue;
        }
        assert!(github, "{what}: a workflow command in {line:?}");
        assert_eq!(line, line.trim_start(), "{what}: {line:?}");
        if let Some(token) = &stopped {
            assert_eq!(line, format!("::{token}::"), "{what}: only the resume line");
            stopped = None;
            continue;
        }
        if let Some(token) = line.strip_prefix("::stop-commands::") {
            assert!(token.len() >= 32, "{what}: a guessable token {token:?}");
            tokens.push(token.to_string());
            stopped = Some(token.to_string());
            continue;
        }
        assert!(lbplans_annotation(line), "{what}: not lbplan's: {line:?}");
    }
    assert!(stopped.is_none(), "{what}: commands left stopped");
    tokens
}

/// `line` without its code spans (a backtick run, to the next run of the same length) and its
/// `<code>` elements.
fn outside_code(line: &str) -> String {
    let mut text = line.to_string();
    while let Some(start) = text.find("<code>") {
        let Some(end) = text[start..].find("</code>") else {
            panic!("unclosed <code> in {line:?}");
        };
        text.replace_range(start..start + end + "</code>".len(), "");
    }
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find('`') {
        out.push_str(&rest[..start]);
        let run = rest[start..].chars().take_while(|&c| c == '`').count();
        let fence = "`".repeat(run);
        let after = &rest[start + run..];
        // The closing run is exactly as long: not part of a longer run.
        let mut from = 0;
        let close = loop {
            let Some(i) = after[from..].find(&fence) else {
                panic!("unclosed code span in {line:?}");
            };
            let at = from + i;
            let longer = after[at + run..].starts_with('`') || after[..at].ends_with('`');
            if !longer {
                break at;
            }
            from = at + after[at..].chars().take_while(|&c| c == '`').count();
        };
        rest = &after[close + run..];
    }
    out.push_str(rest);
    out
}

/// Item 3: outside fenced blocks, code spans and `<code>`, the Markdown holds nothing that GitHub
/// would render as an image, a link, an autolink, a mention or HTML of the input's, and every
/// table row has as many cells as its header.
pub fn assert_markdown_safe(what: &str, markdown: &str) {
    let mut fence: Option<usize> = None;
    let mut cells: Option<usize> = None;
    for line in markdown.lines() {
        let ticks = line.chars().take_while(|&c| c == '`').count();
        if let Some(open) = fence {
            if ticks >= open && line.trim_end().chars().all(|c| c == '`') {
                fence = None;
            }
            continue;
        }
        if ticks >= 3 {
            fence = Some(ticks);
            continue;
        }
        let plain = outside_code(line);
        for bad in ["@", "![", "](", "http:", "https:", "www.", "\\u{"] {
            assert!(
                !plain.contains(bad),
                "{what}: {bad:?} outside code: {line:?}"
            );
        }
        let mut tags = plain.clone();
        for allowed in [
            "<!-- lbplan-diff -->",
            "<details>",
            "</details>",
            "<summary>",
            "</summary>",
        ] {
            tags = tags.replace(allowed, "");
        }
        assert!(!tags.contains('<'), "{what}: HTML outside code: {line:?}");
        if line.starts_with('|') {
            let pipes = line.len() - line.replace('|', "").len() - line.matches("\\|").count();
            match cells {
                None => cells = Some(pipes),
                Some(n) => assert_eq!(n, pipes, "{what}: cells of {line:?}"),
            }
        } else {
            cells = None;
        }
    }
    assert!(fence.is_none(), "{what}: unclosed fence");
}

/// Item 4 for messages: every word (a run without whitespace or quotes) of a message is at most
/// 200 bytes of input, or a cut one (`…` after at most 200 bytes); a message is at most 4 KiB
/// and a little.
pub fn assert_message_bounded(what: &str, message: &str) {
    assert!(
        message.len() <= 4096 + 64,
        "{what}: {} bytes",
        message.len()
    );
    for word in message.split(|c: char| c.is_whitespace() || c == '"') {
        let cut = word.strip_suffix('…').is_some_and(|head| head.len() <= 200);
        assert!(
            word.len() <= 200 || cut,
            "{what}: a word of {} bytes: {}…",
            word.len(),
            word.chars().take(40).collect::<String>()
        );
    }
}
