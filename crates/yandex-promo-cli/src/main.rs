//! `yandex-promo`: operate Go for Business promo codes and Market promos from the shell.
//! Without credentials every command runs against an embedded sandbox.
//!
//! The source reads like `--help`: `cmd/` holds one module per top-level command (`cmd/orders.rs`
//! is `yandex-promo orders`, `cmd/market/offers.rs` is `yandex-promo market offers`), each with
//! its clap types and its `run`. What several commands share sits beside `cmd/` at the root,
//! one module per job: `context` (credentials, endpoints and the embedded sandbox), `output`
//! (all printing), `export` (listing to file), `files` (reading a file of rows, every bad row
//! named), `format` (file formats), `order_args` (an order's flags), `rows` (an item as a row)
//! and `vocab` (spec values as flags). Commands use
//! helpers, helpers never use commands. This file only parses, dispatches and maps errors to
//! exit codes.
//!
//! Everything printed goes through the `output` module: with `--json`, stdout carries
//! exactly one JSON document. The lints below keep it so.
#![warn(clippy::print_stdout, clippy::print_stderr)]

mod cmd;
mod context;
mod export;
mod files;
mod format;
mod logging;
mod order_args;
mod output;
mod rows;
mod vocab;

use std::process::ExitCode;

use clap::{CommandFactory as _, Parser, Subcommand};

use context::{Connection, Context};
use output::Output;

/// Operate Yandex Go for Business promo codes and Yandex Market promos.
///
/// Without credentials, commands run against an embedded sandbox (said on stderr).
#[derive(Debug, Parser)]
#[command(name = "yandex-promo", version)]
struct Cli {
    /// Print one JSON document instead of tables.
    #[arg(long, global = true)]
    json: bool,
    #[command(flatten)]
    verbosity: logging::Verbosity,
    #[command(flatten)]
    connection: Connection,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Promo code orders.
    #[command(subcommand)]
    Orders(cmd::orders::OrdersCommand),
    /// The codes of an order.
    #[command(subcommand)]
    Codes(cmd::codes::CodesCommand),
    /// Issue any number of codes in one crash-safe, resumable run: re-run the same command
    /// to continue after any failure.
    Issue(Box<cmd::issue::IssueArgs>),
    /// Geo zones to restrict orders to, and what the service offers at a place.
    #[command(subcommand)]
    Zones(cmd::zones::ZonesCommand),
    /// The corporate clients the token may act for (the ids `--corp-client-id` takes).
    Clients,
    /// Yandex Market.
    #[command(subcommand)]
    Market(cmd::market::MarketCommand),
    /// What became of issued codes: per order, in total, and a chart of usages per day.
    Report(Box<cmd::report::ReportArgs>),
    /// Serve a sandbox of both APIs until interrupted.
    Sandbox(cmd::sandbox::SandboxArgs),
    /// Print a shell completion script (e.g. `yandex-promo completions bash > ~/.local/share/bash-completion/completions/yandex-promo`).
    Completions(cmd::completions::CompletionsArgs),
    /// Show what the tool does, end to end, on an embedded sandbox.
    Demo(cmd::demo::DemoArgs),
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let out = Output { json: cli.json };
    cli.verbosity.init(out);
    match run(cli, out).await {
        Ok(()) => ExitCode::SUCCESS,
        // The result already said what went wrong (with --json, in its one document).
        Err(error) if error.is::<output::Reported>() => {
            out.note(&format!("error: {error}"));
            ExitCode::from(1)
        }
        Err(error) => {
            out.error(&error);
            let invalid = error
                .downcast_ref::<yandex_promo::Error>()
                .is_some_and(|e| e.violations().is_some())
                || error.is::<files::BadFile>();
            // Invalid input exits 2, as clap does for bad arguments.
            ExitCode::from(if invalid { 2 } else { 1 })
        }
    }
}

/// Runs the command the line names.
async fn run(cli: Cli, out: Output) -> anyhow::Result<()> {
    let context = &mut Context::new(out, cli.connection);
    match cli.command {
        Command::Orders(command) => cmd::orders::run(command, context).await,
        Command::Codes(command) => cmd::codes::run(command, context).await,
        Command::Issue(args) => cmd::issue::run(*args, context).await,
        Command::Zones(command) => cmd::zones::run(command, context).await,
        Command::Clients => cmd::clients::run(context).await,
        Command::Market(command) => cmd::market::run(command, context).await,
        Command::Report(args) => cmd::report::run(*args, context).await,
        Command::Sandbox(args) => cmd::sandbox::run(args, out).await,
        Command::Completions(args) => cmd::completions::run(args, out, &mut Cli::command()),
        Command::Demo(args) => cmd::demo::run(args, context).await,
    }
}
