//! `completions`: a shell completion script for the whole command line, which `main.rs`
//! hands in (this module does not reach up to the top-level parser).
use clap::Args;

use crate::output::Output;

// The variant's doc comment in `main.rs` is the command's help.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    shell: clap_complete::Shell,
}

/// Runs `completions`: prints the script for `command`, the top-level command line.
pub fn run(args: CompletionsArgs, out: Output, command: &mut clap::Command) -> anyhow::Result<()> {
    out.completions(args.shell, command)
}
