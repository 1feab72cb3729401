//! `lbplan init`: write the `.lbplan.yaml` lbplan infers for the repository, so that what a run
//! without config found (the clusters of GitOps objects, the provider the annotations name,
//! the cluster of the rest of the files) is written down, each line saying where it came from,
//! for the user to check and complete. `lbplan lint .` with the file gives what it gave without.
//!
//! The file goes to the repository's root (the folder holding `.git`, else the working folder);
//! an existing `.lbplan.yaml` or `.lbplan.yml` there is never overwritten (exit code 2, naming
//! it). `--stdout` prints the file instead. The inference reads the repository as a run without
//! config does, whatever config exists.

mod write;

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::console::{stderr, write_stdout};
use super::inputs::{ReadInputs, cluster_setups, read_inputs, walk_flags};
use super::{Cli, Error};
use crate::config::{Config, FILE_NAME, FILE_NAME_YML, FactFlags};
use crate::exit::Exit;
use crate::overlays::Rendering;
use crate::source::confine::RootDir;
use crate::source::read::Budget;

/// `lbplan init`'s arguments.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Print the file on standard output instead of writing it
    #[arg(long)]
    pub stdout: bool,

    #[command(flatten)]
    pub walk: super::WalkArgs,
}

/// Run `lbplan init`.
pub fn init(cli: &Cli, args: &InitArgs) -> Result<Exit, Error> {
    let cwd = std::env::current_dir().map_err(Error::WorkingFolder)?;
    let top = RootDir::repository_of(&cwd).unwrap_or_else(|| cwd.clone());
    let root_arg = relative(&top, &cwd);
    let target = top.join(FILE_NAME);
    let shown = |name: &str| crate::source::discover::display_name(&root_arg.join(name));
    if !args.stdout {
        for name in [FILE_NAME, FILE_NAME_YML] {
            if top.join(name).symlink_metadata().is_ok() {
                return Err(Error::InitExists(shown(name)));
            }
        }
    }
    // The repository as a run without config reads it, from its root.
    let config = Config::default().within(RootDir::new(&top))?;
    let walk = walk_flags(&args.walk)?;
    let budget = Budget::default();
    let facts = FactFlags::default();
    let paths = vec![root_arg.clone()];
    let (setups, _) = cluster_setups(&config, &facts, &walk, &paths, &budget)?;
    let rendering = Rendering::new(&config, args.walk.no_render)
        .with_flags(args.walk.kustomize_program(), args.walk.no_remote);
    let loaded = read_inputs(
        cli,
        &config,
        &setups,
        &ReadInputs {
            paths: &paths,
            stdin_name: "<stdin>",
            walk: &walk,
            rendering: &rendering,
            placed: None,
            budget: &budget,
            parsed: None,
            other_copies: None,
        },
    )?;
    let (plan, _) = crate::plan::build(&loaded.inventory, &[], &loaded.assumptions);
    let text = write::config_text(&write::Inferred {
        setups: &setups,
        used: &loaded.clusters,
        views: &plan.clusters,
        placements: &loaded.inventory.placements,
        top: &top,
        cwd: &cwd,
    });
    // What is written must be a config lbplan reads.
    if let Err(problem) = crate::config::parse(&text) {
        return Err(Error::Config(crate::config::ConfigError::Invalid {
            file: "the config lbplan init inferred (lbplan init --stdout shows it)".to_string(),
            problem,
        }));
    }
    if args.stdout {
        write_stdout(&text)?;
        return Ok(Exit::Clean);
    }
    // Created, never replaced: a file that appeared meanwhile is refused too.
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&target)
        .and_then(|mut file| file.write_all(text.as_bytes()));
    if let Err(source) = written {
        return Err(if source.kind() == std::io::ErrorKind::AlreadyExists {
            Error::InitExists(shown(FILE_NAME))
        } else {
            Error::Output {
                path: shown(FILE_NAME),
                source,
            }
        });
    }
    if !cli.quiet {
        let clusters = text.matches("\n  - name: ").count();
        stderr(&format!(
            "wrote {} ({clusters} cluster{}); lbplan lint reads it from now on",
            shown(FILE_NAME),
            if clusters == 1 { "" } else { "s" }
        ));
    }
    Ok(Exit::Clean)
}

/// `top` seen from `cwd` (`.`, `../..`), or absolute.
fn relative(top: &Path, cwd: &Path) -> PathBuf {
    let real_top = std::fs::canonicalize(top).unwrap_or_else(|_| top.to_path_buf());
    let real_cwd = std::fs::canonicalize(cwd).unwrap_or_else(|_| cwd.to_path_buf());
    match real_cwd.strip_prefix(&real_top) {
        Ok(below) if below.as_os_str().is_empty() => PathBuf::from("."),
        Ok(below) => below.components().map(|_| "..").collect(),
        Err(_) => top.to_path_buf(),
    }
}
