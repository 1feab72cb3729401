//! What a render depends on, hashed into one key: the renderer (its identity and version), the
//! flags lbplan renders with, every file the render reads (by its path relative to the rendered
//! folder, and its bytes) and the environment variables the renderer reads.
//!
//! Each field goes into the hash with a tag and its length, so that no two different lists of
//! fields hash alike by moving bytes from one field to the next; files are sorted by path, so
//! that the order they were met in does not matter. SHA-256: the inputs are a pull request's,
//! and none may be made to collide with a render cached from the target branch.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// A key of the cache: the SHA-256 of everything a render depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key([u8; 32]);

impl Key {
    /// The key in lowercase hexadecimal: the entry's file name.
    pub fn hex(&self) -> String {
        hex(&self.0)
    }
}

/// Lowercase hexadecimal of `bytes`.
pub(super) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        for nibble in [b >> 4, b & 0xf] {
            out.push(char::from(
                DIGITS.get(usize::from(nibble)).copied().unwrap_or(b'0'),
            ));
        }
    }
    out
}

/// The SHA-256 of `bytes`.
pub fn digest(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// Which program renders: its path as resolved (absolute), the file it leads to, and that
/// file's size and modification time. A new build of the renderer at the same path changes its
/// size or time, so its renders (and its version) are not taken for the old one's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    pub path: PathBuf,
    pub real: PathBuf,
    pub size: u64,
    /// Nanoseconds since the epoch (negative before it).
    pub modified: i128,
}

impl Identity {
    /// The identity of the program at `path` (absolute, as `exec::Program` resolved it).
    pub fn of(path: &Path) -> std::io::Result<Identity> {
        let meta = std::fs::metadata(path)?;
        let modified = match meta.modified()?.duration_since(std::time::UNIX_EPOCH) {
            Ok(after) => i128::try_from(after.as_nanos()).unwrap_or(i128::MAX),
            Err(before) => -i128::try_from(before.duration().as_nanos()).unwrap_or(i128::MAX),
        };
        Ok(Identity {
            path: path.to_path_buf(),
            real: std::fs::canonicalize(path)?,
            size: meta.len(),
            modified,
        })
    }

    /// The key its version is cached under.
    pub fn key(&self) -> Key {
        let mut fields = Fields::new("renderer identity");
        self.add(&mut fields);
        Key(fields.hasher.finalize().into())
    }

    fn add(&self, fields: &mut Fields) {
        fields.add(b'p', self.path.as_os_str().as_encoded_bytes());
        fields.add(b'r', self.real.as_os_str().as_encoded_bytes());
        fields.add(b's', &self.size.to_le_bytes());
        fields.add(b'm', &self.modified.to_le_bytes());
    }
}

/// The hash being built, field by field.
struct Fields {
    hasher: Sha256,
}

impl Fields {
    fn new(space: &str) -> Fields {
        let mut fields = Fields {
            hasher: Sha256::new(),
        };
        fields.add(b'k', b"lbplan render cache 1");
        fields.add(b'n', space.as_bytes());
        fields
    }

    fn add(&mut self, tag: u8, bytes: &[u8]) {
        self.hasher.update([tag]);
        self.hasher.update((bytes.len() as u64).to_le_bytes());
        self.hasher.update(bytes);
    }
}

/// A key being built: the renderer first, then flags, environment variables and files in any
/// order (files are sorted when the key is finished).
pub struct KeyBuilder {
    fields: Fields,
    files: Vec<(String, [u8; 32])>,
}

impl KeyBuilder {
    /// A key of `space` (`kustomize`, `helm`: renders of different engines never share a key)
    /// for renders by `renderer`, whose version is `version`.
    pub fn new(space: &str, renderer: &Identity, version: &str) -> KeyBuilder {
        let mut fields = Fields::new(space);
        renderer.add(&mut fields);
        fields.add(b'v', version.as_bytes());
        KeyBuilder {
            fields,
            files: Vec::new(),
        }
    }

    /// A flag lbplan renders with (`style=build`), or any other fact the render depends on.
    pub fn flag(&mut self, name: &str, value: &str) -> &mut KeyBuilder {
        self.fields.add(b'f', name.as_bytes());
        self.fields.add(b'=', value.as_bytes());
        self
    }

    /// An environment variable the renderer reads, and its value (`None`: unset).
    pub fn env(&mut self, name: &str, value: Option<&OsStr>) -> &mut KeyBuilder {
        self.fields.add(b'e', name.as_bytes());
        match value {
            Some(value) => self.fields.add(b'=', value.as_encoded_bytes()),
            None => self.fields.add(b'-', b""),
        }
        self
    }

    /// A file the render reads: its path relative to the rendered folder (`/`-separated), and
    /// the [`digest`] of its bytes (taken once, where they were read).
    pub fn file_digest(&mut self, path: &str, digest: [u8; 32]) -> &mut KeyBuilder {
        self.files.push((path.to_string(), digest));
        self
    }

    pub fn finish(mut self) -> Key {
        self.files.sort();
        for (path, digest) in &self.files {
            self.fields.add(b'/', path.as_bytes());
            self.fields.add(b'#', digest);
        }
        Key(self.fields.hasher.finalize().into())
    }
}

#[cfg(test)]
/// The key of a render in one call: `space`, the renderer and its version, the flags, every file
/// the render reads as (path relative to the rendered folder, bytes), and the environment
/// variables the renderer reads.
pub fn key(
    space: &str,
    renderer: (&Identity, &str),
    flags: &[(&str, &str)],
    files: &[(String, Vec<u8>)],
    env: &[(&str, Option<&OsStr>)],
) -> Key {
    let mut builder = KeyBuilder::new(space, renderer.0, renderer.1);
    for (name, value) in flags {
        builder.flag(name, value);
    }
    for (name, value) in env {
        builder.env(name, *value);
    }
    for (path, bytes) in files {
        builder.file_digest(path, digest(bytes));
    }
    builder.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity() -> Identity {
        Identity {
            path: PathBuf::from("/usr/bin/kubectl"),
            real: PathBuf::from("/usr/bin/kubectl"),
            size: 10,
            modified: 1,
        }
    }

    fn files(list: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
        list.iter()
            .map(|(p, b)| ((*p).to_string(), b.as_bytes().to_vec()))
            .collect()
    }

    /// A key with one style flag.
    fn k(
        space: &str,
        renderer: (&Identity, &str),
        style: &str,
        files: &[(String, Vec<u8>)],
        env: &[(&str, Option<&OsStr>)],
    ) -> Key {
        key(space, renderer, &[("style", style)], files, env)
    }

    #[test]
    fn every_input_changes_the_key_and_file_order_does_not() {
        let id = identity();
        let newer = Identity {
            modified: 2,
            ..identity()
        };
        let ab = files(&[("kustomization.yaml", "a"), ("../base/x.yaml", "b")]);
        let ba = files(&[("../base/x.yaml", "b"), ("kustomization.yaml", "a")]);
        let unset: &[(&str, Option<&OsStr>)] = &[("LANG", None)];
        let base = k("kustomize", (&id, "v1"), "build", &ab, unset);
        assert_eq!(base, k("kustomize", (&id, "v1"), "build", &ba, unset));
        let other_bytes = files(&[("kustomization.yaml", "a"), ("../base/x.yaml", "c")]);
        let other_path = files(&[("kustomization.yaml", "a"), ("../base/y.yaml", "b")]);
        // Bytes moved from one field to the next.
        let moved = files(&[("kustomization.yaml", "a../base/x.yaml"), ("", "b")]);
        let lang = [("LANG", Some(OsStr::new("C")))];
        let variants = [
            k("helm", (&id, "v1"), "build", &ab, unset),
            k("kustomize", (&newer, "v1"), "build", &ab, unset),
            k("kustomize", (&id, "v2"), "build", &ab, unset),
            k("kustomize", (&id, "v1"), "kustomize", &ab, unset),
            k("kustomize", (&id, "v1"), "build", &other_bytes, unset),
            k("kustomize", (&id, "v1"), "build", &other_path, unset),
            k("kustomize", (&id, "v1"), "build", &ab, &lang),
            k("kustomize", (&id, "v1"), "build", &moved, unset),
        ];
        for (i, variant) in variants.iter().enumerate() {
            assert_ne!(*variant, base, "variant {i}");
        }
    }

    #[test]
    fn hex_is_lowercase_and_whole() {
        assert_eq!(hex(&[0x00, 0xab, 0x0f]), "00ab0f");
        assert_eq!(Key([0xff; 32]).hex().len(), 64);
        // The SHA-256 of nothing, as every implementation gives it.
        assert_eq!(
            hex(&digest(b"")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn a_program_is_known_by_its_file() {
        let dir = tempfile::tempdir().expect("temp");
        let program = dir.path().join("kustomize");
        std::fs::write(&program, "one").expect("write");
        let first = Identity::of(&program).expect("identity");
        assert_eq!(first, Identity::of(&program).expect("again"));
        std::fs::write(&program, "two!").expect("write");
        let second = Identity::of(&program).expect("identity");
        assert_ne!(first.key(), second.key());
        assert!(Identity::of(&dir.path().join("gone")).is_err());
    }
}
