//! `cargo xtask bench`: yandex-promo against the floor (raw reqwest + serde_json decoding into
//! the same generated types) on one sandbox over loopback, measured side by side in
//! alternating rounds and reported as ratios, because a shared machine is noisy. Prints a
//! Markdown report; `docs/benchmarks.md` explains each figure.
mod calls;
mod floor;
mod memory;
mod pages;
mod server;
mod stats;
mod usage;
mod vendor;

use anyhow::Result;
use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(about = "Benchmarks of yandex-promo against raw reqwest + serde_json")]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run every benchmark and print the report (the default).
    Run {
        /// Fewer rounds and calls: a smoke run, not figures to quote.
        #[arg(long)]
        quick: bool,
        /// A Python with yandex-b2b-go installed: adds the vendor's SDK as a side
        /// (`cargo xtask bench` makes one from vendor-sdk-requirements.txt).
        #[arg(long)]
        vendor_python: Option<std::path::PathBuf>,
    },
    /// Send `get order` `count` times through one client and nothing else: a steady loop to
    /// run under a profiler (`valgrind --tool=callgrind` counts instructions exactly, which a
    /// noisy machine cannot disturb).
    Calls {
        /// Which client.
        #[arg(long, value_enum)]
        client: calls::Side,
        /// How many calls.
        #[arg(long, default_value_t = 5_000)]
        count: usize,
        /// How many at a time: 32 profiles the throughput benchmark.
        #[arg(long, default_value_t = 1)]
        in_flight: usize,
        /// Print the requests per second of the gets (setting up not counted).
        #[arg(long)]
        print_rate: bool,
    },
    /// Internal: stream one order's codes in this process and print its peak memory.
    MemoryProbe(memory::Probe),
    /// Internal: run a usage report in this process and print its peak memory.
    UsageProbe(usage::Probe),
}

fn main() -> Result<()> {
    match Args::parse().command {
        None => run(false, None),
        Some(Command::Run {
            quick,
            vendor_python,
        }) => run(quick, vendor_python.as_deref()),
        Some(Command::Calls {
            client,
            count,
            in_flight,
            print_rate,
        }) => {
            let sandbox = server::Sandbox::start()?;
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            let took = runtime.block_on(calls::repeat(&sandbox, client, count, in_flight))?;
            if print_rate {
                println!("{}", count as f64 / took.as_secs_f64());
            }
            Ok(())
        }
        Some(Command::MemoryProbe(probe)) => probe.run(),
        Some(Command::UsageProbe(probe)) => probe.run(),
    }
}

/// How much work each benchmark does.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scale {
    /// Alternating rounds of ours and the floor.
    rounds: usize,
    /// Sequential calls per round, for per-call latency.
    calls: usize,
    /// Calls per round at 32 in flight.
    concurrent_calls: usize,
    /// Codes streamed per round.
    codes: u32,
    /// Rounds of one process per client (ours, sent and awaited, and the generated
    /// client's), for the throughput figure that no other measurement in the process disturbs.
    process_rounds: usize,
    /// Calls at 32 in flight in each of those processes.
    process_calls: usize,
}

impl Scale {
    fn new(quick: bool) -> Self {
        if quick {
            Self {
                rounds: 2,
                calls: 100,
                concurrent_calls: 500,
                codes: 10_000,
                process_rounds: 2,
                process_calls: 5_000,
            }
        } else {
            Self {
                rounds: 10,
                calls: 500,
                concurrent_calls: 4_000,
                codes: 100_000,
                process_rounds: 10,
                process_calls: 200_000,
            }
        }
    }
}

fn run(quick: bool, vendor_python: Option<&std::path::Path>) -> Result<()> {
    let scale = Scale::new(quick);
    let sandbox = server::Sandbox::start()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    println!("# yandex-promo benchmarks\n");
    println!(
        "{} rounds, ours and the floor alternating; client on one thread, the sandbox on another.\n",
        scale.rounds
    );
    runtime.block_on(async {
        calls::report(&sandbox, scale).await?;
        pages::report(&sandbox, scale).await?;
        pages::offers_report(&sandbox, scale).await?;
        calls::capacity(&sandbox, scale).await?;
        usage::report(&sandbox, quick).await
    })?;
    memory::report(&sandbox, quick)?;
    calls::fresh_process_report(scale)?;
    if let Some(python) = vendor_python {
        vendor::report(&sandbox, scale, python)?;
    }
    Ok(())
}
