//! Mutation fuzzing of the whole pipeline through the real binary: real manifests (the fixtures,
//! and `../shared/corpus/annotated` when it is beside the repository) with bytes flipped, cut
//! short, lines duplicated and spliced from other files. Every case is linted in every output
//! format, planned and weighed; none may panic, hang or exit with anything but 0, 1 or 2.
//!
//! CI runs a bounded number of cases. To run longer:
//! `LBPLAN_FUZZ_CASES=5000 cargo test --release --test fuzz -- --nocapture`.

use std::path::Path;
use std::process::Stdio;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use proptest::prelude::*;

mod common;

/// The seed files, read once.
fn seeds() -> &'static [(String, Vec<u8>)] {
    static SEEDS: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in [
            "fixtures/rules",
            "fixtures/demo",
            "fixtures/cross-cluster",
            "fixtures/suppression",
        ] {
            files.extend(common::manifest_files(&root.join(dir)));
        }
        files.extend(common::manifest_files(
            &root.join("../shared/corpus/annotated"),
        ));
        files
            .into_iter()
            .filter_map(|p| {
                let bytes = std::fs::read(&p).ok()?;
                let ext = p.extension()?.to_string_lossy().into_owned();
                (bytes.len() < 200_000).then_some((ext, bytes))
            })
            .collect()
    })
}

#[derive(Debug, Clone)]
enum Mutation {
    FlipByte {
        at: usize,
        xor: u8,
    },
    Truncate {
        keep: usize,
    },
    DuplicateLine {
        line: usize,
    },
    SpliceLine {
        line: usize,
        from: usize,
        from_line: usize,
    },
    DeleteLine {
        line: usize,
    },
    Insert {
        at: usize,
        bytes: Vec<u8>,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1u8..=255).prop_map(|(at, xor)| Mutation::FlipByte { at, xor }),
        any::<usize>().prop_map(|keep| Mutation::Truncate { keep }),
        any::<usize>().prop_map(|line| Mutation::DuplicateLine { line }),
        (any::<usize>(), any::<usize>(), any::<usize>()).prop_map(|(line, from, from_line)| {
            Mutation::SpliceLine {
                line,
                from,
                from_line,
            }
        }),
        any::<usize>().prop_map(|line| Mutation::DeleteLine { line }),
        (
            any::<usize>(),
            prop::collection::vec(
                prop_oneof![
                    Just(b'{'),
                    Just(b'}'),
                    Just(b'['),
                    Just(b':'),
                    Just(b'-'),
                    Just(b'&'),
                    Just(b'*'),
                    Just(b'\t'),
                    Just(b'\n'),
                    Just(b'"'),
                    Just(b'\''),
                    Just(0u8),
                    Just(0xffu8),
                    Just(b'#'),
                    any::<u8>()
                ],
                1..8
            )
        )
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
    ]
}

fn lines(bytes: &[u8]) -> Vec<Vec<u8>> {
    bytes
        .split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect()
}

fn apply(mut bytes: Vec<u8>, m: &Mutation) -> Vec<u8> {
    let seeds = seeds();
    match m {
        Mutation::FlipByte { at, xor } if !bytes.is_empty() => {
            let i = at % bytes.len();
            bytes[i] ^= xor;
            bytes
        }
        Mutation::Truncate { keep } => {
            let n = keep % (bytes.len() + 1);
            bytes.truncate(n);
            bytes
        }
        Mutation::DuplicateLine { line } => {
            let mut ls = lines(&bytes);
            if !ls.is_empty() {
                let i = line % ls.len();
                let copy = ls[i].clone();
                ls.insert(i, copy);
            }
            ls.concat()
        }
        Mutation::SpliceLine {
            line,
            from,
            from_line,
        } => {
            let mut ls = lines(&bytes);
            let other = lines(&seeds[from % seeds.len()].1);
            if !other.is_empty() {
                let splice = other[from_line % other.len()].clone();
                let at = if ls.is_empty() { 0 } else { line % ls.len() };
                ls.insert(at, splice);
            }
            ls.concat()
        }
        Mutation::DeleteLine { line } => {
            let mut ls = lines(&bytes);
            if !ls.is_empty() {
                let i = line % ls.len();
                ls.remove(i);
            }
            ls.concat()
        }
        Mutation::Insert { at, bytes: extra } => {
            let i = at % (bytes.len() + 1);
            bytes.splice(i..i, extra.iter().copied());
            bytes
        }
        Mutation::FlipByte { .. } => bytes,
    }
}

/// Run lbplan with a deadline; the exit code, or a failure message.
fn run(dir: &Path, args: &[&str]) -> Result<i32, String> {
    let mut child = common::binary()
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            let mut stderr = String::new();
            if let Some(mut err) = child.stderr.take() {
                use std::io::Read;
                let _ = err.read_to_string(&mut stderr);
            }
            if stderr.contains("panicked") {
                return Err(format!("{args:?} panicked: {stderr}"));
            }
            return status
                .code()
                .ok_or_else(|| format!("{args:?} killed by a signal: {stderr}"));
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            return Err(format!("{args:?} did not finish within 30 s"));
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn cases() -> u32 {
    std::env::var("LBPLAN_FUZZ_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(48)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_manifests_never_crash_the_pipeline(
        seed in any::<prop::sample::Index>(),
        sibling in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let seeds = seeds();
        prop_assume!(!seeds.is_empty());
        let (ext, bytes) = &seeds[seed.index(seeds.len())];
        let mutated = mutations.iter().fold(bytes.clone(), apply);
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join(format!("mutated.{ext}")), &mutated).expect("write");
        // An intact file beside it: cross-file rules see both.
        let (sibling_ext, sibling_bytes) = &seeds[sibling.index(seeds.len())];
        std::fs::write(dir.path().join(format!("sibling.{sibling_ext}")), sibling_bytes).expect("write");
        let runs: [&[&str]; 8] = [
            &["lint", "."],
            &["lint", "--format", "json", "."],
            &["lint", "--format", "sarif", "."],
            &["lint", "--format", "github", "."],
            &["lint", "--format", "junit", "."],
            &["plan", "."],
            &["plan", "--format", "yaml", "."],
            &["weights", "--format", "json", "."],
        ];
        for args in runs {
            match run(dir.path(), args) {
                Ok(code) => prop_assert!((0..=2).contains(&code), "{args:?} exited {code}"),
                Err(e) => prop_assert!(false, "{e}\ninput:\n{}", String::from_utf8_lossy(&mutated)),
            }
        }
        // lbplan diff, the intact file as the base of the mutated one, and the other way round.
        let base = tempfile::tempdir().expect("tempdir");
        std::fs::write(base.path().join(format!("mutated.{ext}")), bytes).expect("write");
        std::fs::write(base.path().join(format!("sibling.{sibling_ext}")), sibling_bytes).expect("write");
        let (intact, broken) = (base.path().to_string_lossy(), dir.path().to_string_lossy());
        for (cwd, other) in [(dir.path(), intact.as_ref()), (base.path(), broken.as_ref())] {
            for format in ["human", "json", "markdown", "github"] {
                let args = ["diff", "--base-root", other, "--format", format, "."];
                match run(cwd, &args) {
                    Ok(code) => prop_assert!((0..=2).contains(&code), "{args:?} exited {code}"),
                    Err(e) => prop_assert!(false, "{e}\ninput:\n{}", String::from_utf8_lossy(&mutated)),
                }
            }
        }
    }
}
