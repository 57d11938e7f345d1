//! Peak memory while streaming: each measurement runs in a child process (this binary's
//! `memory-probe`), so the sandbox's own memory is not counted.
use std::process::Command;

use anyhow::{Context as _, Result, bail};
use futures::TryStreamExt as _;
use yandex_promo::{RetryPolicy, go::GoClient};

use crate::server::{Sandbox, TOKEN};

/// One measurement, run in a child process.
#[derive(Debug, clap::Args)]
pub(crate) struct Probe {
    /// The Go for Business base URL of the sandbox.
    #[arg(long)]
    base_url: String,
    /// The order whose codes to read.
    #[arg(long)]
    order: String,
    /// Collect every code into a Vec instead of streaming (the contrast).
    #[arg(long)]
    collect: bool,
}

/// Codes per page for the memory figures.
const PAGE: u32 = 1_000;

impl Probe {
    pub(crate) fn run(self) -> Result<()> {
        let (runtime, client) = probe_client(&self.base_url)?;
        let codes = client.promocodes().order().code().list(&self.order);
        let stream = codes.page_size(PAGE).stream();
        let count = runtime.block_on(async {
            if self.collect {
                stream.try_collect::<Vec<_>>().await.map(|all| all.len())
            } else {
                stream.try_fold(0, |n, _| async move { Ok(n + 1) }).await
            }
        })?;
        println!("{count} {}", peak_rss_kib()?);
        Ok(())
    }
}

/// What a probe measures with: a single-threaded runtime, and a client as a user builds it.
pub(crate) fn probe_client(base_url: &str) -> Result<(tokio::runtime::Runtime, GoClient)> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let client = GoClient::builder(TOKEN)
        .base_url(base_url)
        .retry(RetryPolicy::standard())
        .build()?;
    Ok((runtime, client))
}

/// The process's peak resident set (`VmHWM`), in KiB. Linux only.
pub(crate) fn peak_rss_kib() -> Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .context("no VmHWM in /proc/self/status")?;
    Ok(line.trim().trim_end_matches("kB").trim().parse()?)
}

/// Runs a probe for `order`; returns the peak in KiB.
pub(crate) fn probe(sandbox: &Sandbox, order: &str, codes: u32, collect: bool) -> Result<u64> {
    let mut args = vec![
        "memory-probe",
        "--base-url",
        &sandbox.go_base_url,
        "--order",
        order,
    ];
    if collect {
        args.push("--collect");
    }
    run_probe(&args, u64::from(codes))
}

/// Runs this binary with `args` as a child process that prints `<items seen> <peak KiB>`;
/// checks it saw `expected` items and returns the peak.
pub(crate) fn run_probe(args: &[&str], expected: u64) -> Result<u64> {
    let output = Command::new(std::env::current_exe()?).args(args).output()?;
    if !output.status.success() {
        bail!(
            "the probe failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let text = String::from_utf8(output.stdout)?;
    let mut fields = text.split_whitespace();
    let seen: u64 = fields.next().context("no count")?.parse()?;
    if seen != expected {
        bail!("the probe saw {seen} of {expected} items");
    }
    Ok(fields.next().context("no peak")?.parse()?)
}

pub(crate) fn report(sandbox: &Sandbox, quick: bool) -> Result<()> {
    let sizes: [u32; 2] = if quick {
        [10_000, 100_000]
    } else {
        [10_000, 1_000_000]
    };
    let mut peaks = Vec::new();
    for codes in sizes {
        let order = sandbox.handle.seed_order(codes);
        let streamed = probe(sandbox, &order, codes, false)?;
        let collected = probe(sandbox, &order, codes, true)?;
        peaks.push((codes, streamed, collected));
    }
    println!("## Peak memory of the client process (pages of {PAGE})\n");
    println!("| codes | streaming | collecting into a Vec (contrast) |\n|---|---|---|");
    for (codes, streamed, collected) in &peaks {
        println!(
            "| {codes} | {:.1} MiB | {:.1} MiB |",
            *streamed as f64 / 1024.0,
            *collected as f64 / 1024.0
        );
    }
    if let [(_, small, small_all), (_, large, large_all)] = peaks[..] {
        println!(
            "| ratio | {:.2} | {:.2} |\n",
            large as f64 / small as f64,
            large_all as f64 / small_all as f64
        );
    }
    Ok(())
}
