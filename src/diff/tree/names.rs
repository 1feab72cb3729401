//! The names git refuses to check out (`verify_path` in git's `read-cache.c`, and `fsck`'s tree
//! checks), refused here too: lbplan reads trees straight from the object store, where a
//! `git fetch` without `transfer.fsckObjects` lets any name in.
//!
//! Each component of an entry's path is checked: not empty (which also refuses a leading or
//! doubled `/`), not `.` or `..`, no NUL and no `\` (a separator on NTFS, refused by git since
//! `core.protectNTFS` became its default), and not `.git` in any of the forms a case-folding or
//! normalising file system takes for it: any case, with HFS+'s ignored code points (zero-width
//! joiners, direction marks, the byte-order mark) anywhere in it, with NTFS's trailing dots and
//! spaces, an alternate data stream (`.git::$INDEX_ALLOCATION`), or as the 8.3 short name
//! `git~1`.

use crate::diff::git::TreeEntry;

/// Why the first refused entry of a tree is refused, if one is.
pub(super) fn refuse(entries: &[TreeEntry]) -> Option<String> {
    entries.iter().find_map(|entry| {
        let why = entry
            .path
            .split(|&b| b == b'/')
            .find_map(component_problem)?;
        Some(format!("tree entry {} refused: {why}", shown(&entry.path)))
    })
}

/// The path for a message: control characters escaped, quoted.
fn shown(path: &[u8]) -> String {
    let text = String::from_utf8_lossy(path);
    crate::text::quote(&crate::text::visible(&text))
}

/// What is wrong with one component of a path, if anything.
fn component_problem(name: &[u8]) -> Option<&'static str> {
    if name.is_empty() {
        return Some("an empty name (a path starting with `/` or holding `//`)");
    }
    if name == b"." || name == b".." {
        return Some("a `.` or `..` component");
    }
    if name.contains(&0) {
        return Some("a NUL byte");
    }
    if name.contains(&b'\\') {
        return Some("a backslash, a folder separator on Windows");
    }
    if is_hfs_dotgit(name) || is_ntfs_dotgit(name) {
        return Some("a name that is `.git` to some file system");
    }
    None
}

/// The code points HFS+ ignores when it compares names.
fn hfs_ignored(c: char) -> bool {
    matches!(c,
        '\u{200c}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{206a}'..='\u{206f}' | '\u{feff}')
}

/// `.git` once HFS+'s ignored code points are dropped and case is folded (git's
/// `is_hfs_dotgit`, applied everywhere).
fn is_hfs_dotgit(name: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(name) else {
        return false;
    };
    let folded: String = text
        .chars()
        .filter(|&c| !hfs_ignored(c))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    folded == ".git"
}

/// `.git` or `git~1` in any case, followed only by dots and spaces, up to the end or an
/// alternate data stream's `:` (git's `is_ntfs_dotgit`).
fn is_ntfs_dotgit(name: &[u8]) -> bool {
    let rest = if name.len() >= 4
        && name
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case(b".git"))
    {
        name.get(4..)
    } else if name.len() >= 5
        && name
            .get(..5)
            .is_some_and(|p| p.eq_ignore_ascii_case(b"git~1"))
    {
        name.get(5..)
    } else {
        None
    };
    let Some(rest) = rest else {
        return false;
    };
    for &b in rest {
        match b {
            b':' => return true,
            b'.' | b' ' => {}
            _ => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(path: &str) -> Option<String> {
        refuse(&[TreeEntry {
            mode: "100644".into(),
            kind: "blob".into(),
            oid: "0".into(),
            path: path.as_bytes().to_vec(),
        }])
    }

    #[test]
    fn what_git_refuses_is_refused() {
        for hostile in [
            "..",
            "a/../../etc/passwd",
            "./a.yaml",
            "a/./b.yaml",
            "/etc/passwd",
            "a//b.yaml",
            "a/",
            ".git/config",
            ".GIT/config",
            "sub/.Git/hooks/x",
            ".git./x",
            ".git . ./x",
            ".git::$INDEX_ALLOCATION/x",
            "GIT~1/config",
            ".g\u{200c}it/config",
            "\u{feff}.GIT/config",
            "a\\..\\b.yaml",
            "a\0b",
        ] {
            assert!(problem(hostile).is_some(), "{hostile:?} passed");
        }
    }

    #[test]
    fn ordinary_names_pass() {
        for fine in [
            "a.yaml",
            ".gitignore",
            ".github/workflows/ci.yaml",
            "git/x.yaml",
            ".gitx/y.yaml",
            "...yaml",
            "a b/c d.yaml",
            "日本/サービス.yaml",
            "git~2/a.yaml",
        ] {
            assert_eq!(problem(fine), None, "{fine:?}");
        }
    }

    #[test]
    fn refusals_name_the_entry_escaped() {
        let message = problem("x\u{1b}[31m/../y").expect("refused");
        assert!(message.contains("\\u{1b}"), "{message}");
        assert!(message.contains("`..`"), "{message}");
    }
}
