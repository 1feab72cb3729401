//! `lbplan plan` and `lbplan weights`: the plan of the manifests, and the weights of its
//! weighted listeners or of the groups given with `--cluster`.

use std::path::Path;

use super::{RunInputs, check_output, table_width, write_output, write_stdout};
use crate::cli::inputs::{Inputs, load_inputs, report_io_problems, report_render_errors};
use crate::cli::{Cli, Error, PlanArgs, PlanFormat, WeightsArgs, WeightsCluster, WeightsFormat};
use crate::exit::Exit;
use crate::plan::calculator::calculate;
use crate::plan::members::{Unlisted, list_members, list_plan_members};
use crate::plan::{self, Plan};
use crate::report::plan::{TableOptions, calculation_table, plan_table};
use crate::text::machine::{to_json, yaml};
use crate::text::width::TableWidth;

/// A plan from manifests; invalid documents are summarised on standard error and make the exit
/// code 1, since the plan is then incomplete.
fn manifest_plan(cli: &Cli, inputs: &Inputs, output: Option<&Path>) -> Result<(Plan, Exit), Error> {
    let (config, mut loaded, budget) = load_inputs(cli, inputs)?;
    check_output(
        output,
        &RunInputs {
            budget: &budget,
            loaded: vec![&loaded],
            configs: config.source.iter().cloned().collect(),
        },
    )?;
    let io_failed = report_io_problems(cli, &loaded);
    let (mut plan, index) = plan::build(
        &loaded.inventory,
        &config.file.load_balancers,
        &loaded.assumptions,
    );
    plan.unrendered_charts = loaded.unrendered_charts;
    let (streams, sources) = (&mut loaded.streams, &mut loaded.sources);
    plan::locate_rules(&mut plan, &index, |origin| {
        let origin = streams.relocate(origin, sources).origin;
        (
            sources.name(origin.file).to_string(),
            sources.line_col(origin).line,
        )
    });
    if !cli.quiet {
        for note in &loaded.notes {
            stderr_line!("note: {note}");
        }
    }
    for line in loaded.unplanned_documents() {
        stderr_line!("warning: {line}");
    }
    report_render_errors(cli, &loaded);
    let exit = if io_failed {
        Exit::Error
    } else if !loaded.problems.is_empty() {
        Exit::Findings
    } else {
        Exit::Clean
    };
    Ok((plan, exit))
}

pub(super) fn plan_command(cli: &Cli, args: &PlanArgs) -> Result<Exit, Error> {
    let (plan, exit) = manifest_plan(
        cli,
        &Inputs {
            paths: &args.paths,
            facts: &args.facts,
            walk: &args.walk,
            stdin_name: &args.stdin_name,
            cluster: args.cluster.as_deref(),
        },
        args.output.as_deref(),
    )?;
    let width = table_width(cli, args.output.as_deref(), args.wide);
    let (plan, options) = with_members(cli, plan, args.members, width);
    let text = match args.format {
        PlanFormat::Table => plan_table(
            &plan,
            TableOptions {
                facts: true,
                ..options
            },
        ),
        PlanFormat::Json => to_json(&plan),
        PlanFormat::Yaml => yaml(&plan),
    };
    write_output(args.output.as_deref(), &text)?;
    Ok(exit)
}

pub(super) fn weights(cli: &Cli, args: &WeightsArgs) -> Result<Exit, Error> {
    let mut groups = Vec::new();
    let mut names = Vec::new();
    for cluster in &args.clusters {
        match cluster {
            WeightsCluster::Group(group) => groups.push(group.clone()),
            WeightsCluster::Name(name) => names.push(name.as_str()),
        }
    }
    match (groups.is_empty(), names.len()) {
        (false, 1..) => return Err(Error::ClusterForms("both")),
        (_, 2..) => return Err(Error::ClusterForms("several names")),
        _ => {}
    }
    if groups.is_empty() {
        let (plan, exit) = manifest_plan(
            cli,
            &Inputs {
                paths: &args.paths,
                facts: &args.facts,
                walk: &args.walk,
                stdin_name: &args.stdin_name,
                cluster: names.first().copied(),
            },
            None,
        )?;
        let width = table_width(cli, None, args.wide);
        let (mut plan, options) = with_members(cli, plan, args.members, width);
        // Only listeners where a weight applies: cross-cluster groups or external members.
        for lb in &mut plan.load_balancers {
            lb.listeners
                .retain(|l| l.groups.iter().any(|g| g.weight.is_some()));
        }
        plan.load_balancers.retain(|lb| !lb.listeners.is_empty());
        let text = match args.format {
            WeightsFormat::Table if plan.load_balancers.is_empty() => {
                "No weighted listeners: no cross-cluster weight (kubernetes.io/elb.multicluster-loadbalancer-weight) or external members found.\n".to_string()
            }
            WeightsFormat::Table => plan_table(&plan, options),
            WeightsFormat::Json => to_json(&plan),
        };
        write_stdout(&text)?;
        return Ok(exit);
    }
    if !args.paths.is_empty() {
        return Err(Error::ClustersAndPaths);
    }
    let mut calc = calculate(&groups)?;
    if args.members {
        note_unlisted(cli, list_members(&mut calc.groups));
    }
    let text = match args.format {
        WeightsFormat::Table => {
            calculation_table(&calc, args.members, table_width(cli, None, args.wide))
        }
        WeightsFormat::Json => to_json(&calc),
    };
    write_stdout(&text)?;
    Ok(Exit::Clean)
}

/// The plan with every member listed when `--members` asks (a note says what stayed counted),
/// and the table options that go with it.
fn with_members(
    cli: &Cli,
    mut plan: Plan,
    members: bool,
    width: TableWidth,
) -> (Plan, TableOptions) {
    if members {
        note_unlisted(cli, list_plan_members(&mut plan));
    }
    let options = TableOptions {
        facts: false,
        members,
        width,
    };
    (plan, options)
}

fn note_unlisted(cli: &Cli, unlisted: Unlisted) {
    if let Some(note) = unlisted.note().filter(|_| !cli.quiet) {
        stderr_line!("note: {note}");
    }
}
