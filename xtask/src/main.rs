//! Workspace automation, run as `cargo xtask <command>`.
mod bench;
mod ci;
mod codegen;
mod conformance;
mod python;
mod python_clients;
mod sandbox;

use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(about = "yandex-promo workspace automation")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Regenerate everything derived from `openapi/*.yaml`.
    Codegen {
        /// Write nothing; fail with a diff when a derived file is stale.
        #[arg(long)]
        check: bool,
    },
    /// Lint both specs with Redocly CLI (installs it from `openapi/package-lock.json` if needed).
    Lint,
    /// Run schemathesis against a sandbox with both specs.
    Conformance,
    /// Generate a Python client from each spec and smoke-test both against a sandbox.
    PythonClients,
    /// Run the benchmarks (release build) and write the report to `target/bench/`.
    Bench {
        /// Fewer rounds: a smoke run, not figures to quote.
        #[arg(long)]
        quick: bool,
        /// Measure the cold build cost instead (two fresh builds; minutes).
        #[arg(long)]
        build: bool,
    },
    /// Everything CI checks: fmt, clippy, codegen --check, spec lint, tests, conformance,
    /// Python clients, a short fuzz run, packaging.
    Ci,
}

fn main() -> anyhow::Result<()> {
    let root = workspace_root()?;
    match Cli::parse().command {
        Command::Codegen { check } => codegen::run(&root, check),
        Command::Lint => ci::lint_specs(&root),
        Command::Conformance => conformance::run(&root),
        Command::PythonClients => python_clients::run(&root),
        Command::Bench { quick, build } => bench::run(&root, quick, build),
        Command::Ci => ci::run(&root),
    }
}

/// The workspace root: the parent of this crate's directory.
fn workspace_root() -> anyhow::Result<PathBuf> {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .context("xtask has no parent directory")
}
