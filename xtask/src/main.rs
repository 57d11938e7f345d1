//! Workspace automation, run as `cargo xtask <command>`.
//!
//! Each command is `<module>::run`; shared pieces sit below the commands: `helpers` (`cargo()`,
//! `step`), `workspace` (where things are), `venv` (Python venvs) and `sandbox` (a sandbox
//! process). `ci` runs the other commands in turn; `spec-diff` compares two specs on its own.
mod bench;
mod ci;
mod codegen;
mod conformance;
mod deps;
mod docs;
mod helpers;
mod layout;
mod lint;
mod msrv;
mod python_clients;
mod rust_client;
mod sandbox;
mod semver_checks;
mod spec_diff;
mod spec_gate;
mod typescript;
mod upstream;
mod variants;
mod venv;
mod workspace;

use std::{path::PathBuf, process::ExitCode};

use clap::{Parser, Subcommand};

use workspace::Workspace;

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
    /// Check the architecture's rules: files form trees in every crate, the core of
    /// `yandex-promo` names no API area, the sandbox shares no code with the client.
    Layout,
    /// Lint both specs and their variants with Redocly CLI (installs it from
    /// `openapi/package-lock.json` if needed).
    Lint,
    /// Write a self-contained HTML reference of each spec (opens offline) to `docs/` in
    /// cargo's target directory.
    Docs,
    /// Run schemathesis against a sandbox with both specs.
    Conformance,
    /// Generate a Python client from each spec and smoke-test both against a sandbox.
    PythonClients,
    /// Generate TypeScript types from each spec (openapi-typescript), type-check a smoke test
    /// against them strictly (tsc) and run it with openapi-fetch against a sandbox.
    TypescriptClient,
    /// Generate a Rust client of each spec with openapi-to-rust (not progenitor), build a
    /// smoke test against it with warnings denied and run it against a sandbox.
    RustClient,
    /// Run the benchmarks (release build) and write the report to `bench/` in cargo's target
    /// directory.
    Bench {
        /// Fewer rounds: a smoke run, not figures to quote.
        #[arg(long)]
        quick: bool,
        /// Measure the cold build cost instead (two fresh builds; minutes).
        #[arg(long)]
        build: bool,
    },
    /// Compare two OpenAPI 3.0 files and classify every change as breaking or safe; exits 0
    /// when nothing breaks, 1 when something does, 2 when a file cannot be read or parsed.
    SpecDiff {
        /// The spec clients were built against.
        old: PathBuf,
        /// The spec to release.
        new: PathBuf,
        /// Print one JSON document `{"changes": [...]}` instead of the report.
        #[arg(long)]
        json: bool,
    },
    /// Check the published library crates against their last release (the dated heading
    /// of `CHANGELOG.md`) with cargo-semver-checks: a version bump too small for what
    /// changed fails.
    SemverChecks,
    /// Resolve the direct dependencies to the floors `[workspace.dependencies]` allows
    /// (nightly `-Z direct-minimal-versions`, on a copy) and check the workspace against them.
    MinimalVersions,
    /// Check licences, wildcard requirements and sources against `deny.toml` (cargo-deny,
    /// installed on first use; advisories are not checked).
    Deny,
    /// Compare each spec with its last released version (from `openapi/CHANGELOG.md` and git
    /// history): a breaking change needs a major bump and a changelog entry.
    SpecGate,
    /// Compare the Market spec with Yandex Market's official bundle vendored in
    /// `openapi/upstream/market/`: every structural difference must be in that folder's
    /// `allow.yaml` with its reason, and every entry there must still match something.
    UpstreamCheck {
        /// Print the allowed differences too, each with its reason.
        #[arg(long)]
        all: bool,
    },
    /// Everything CI checks: fmt, layout, the MSRV of dependencies, cargo-deny, clippy, docs
    /// as docs.rs builds them, semver-checks, codegen --check, the spec gate, the upstream
    /// check, spec lint (with the variants), the HTML references, tests, the feature matrix,
    /// minimal versions, a type check of the fuzz targets, conformance, the Python, TypeScript
    /// and second Rust clients, packaging.
    Ci,
}

fn main() -> anyhow::Result<ExitCode> {
    // Every command but `spec-diff` (whose paths are the caller's) works on the workspace.
    let ws = Workspace::locate;
    let done = match Cli::parse().command {
        Command::SpecDiff { old, new, json } => return Ok(spec_diff::run(&old, &new, json)),
        Command::SpecGate => spec_gate::run(&ws()?.root),
        Command::UpstreamCheck { all } => upstream::run(&ws()?.root, all),
        Command::SemverChecks => semver_checks::run(&ws()?),
        Command::MinimalVersions => deps::minimal_versions(&ws()?),
        Command::Deny => deps::deny(&ws()?),
        Command::Codegen { check } => codegen::run(&ws()?.root, check),
        Command::Layout => layout::run(&ws()?.root),
        Command::Lint => lint::run(&ws()?.root),
        Command::Docs => docs::run(&ws()?),
        Command::Conformance => conformance::run(&ws()?),
        Command::PythonClients => python_clients::run(&ws()?),
        Command::TypescriptClient => typescript::run(&ws()?),
        Command::RustClient => rust_client::run(&ws()?),
        Command::Bench { quick, build } => bench::run(&ws()?, quick, build),
        Command::Ci => ci::run(&ws()?),
    };
    done.map(|()| ExitCode::SUCCESS)
}
