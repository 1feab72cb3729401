//! The committed completions in `completions/` must be what the binary prints. After changing the
//! CLI, regenerate them with `scripts/completions` (or the command each assertion prints).

use std::process::Command;

#[test]
fn committed_completions_are_current() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/completions");
    for (shell, file) in [
        ("bash", "lbplan.bash"),
        ("zsh", "_lbplan"),
        ("fish", "lbplan.fish"),
        ("powershell", "_lbplan.ps1"),
        ("elvish", "lbplan.elv"),
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_lbplan"))
            .args(["completions", shell])
            .output()
            .expect("run lbplan");
        assert!(output.status.success(), "lbplan completions {shell} failed");
        let committed = std::fs::read(format!("{dir}/{file}")).unwrap_or_default();
        assert!(
            committed == output.stdout,
            "completions/{file} is stale: run `cargo run -q -- completions {shell} > completions/{file}`"
        );
    }
}
