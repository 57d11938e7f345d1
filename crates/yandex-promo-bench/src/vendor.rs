//! The vendor's Python SDK (yandex-b2b-go) as another side, driven by `vendor_sdk.py` through
//! its public API against the same sandbox: per-call latency, throughput at 32 in flight, all
//! codes page by page, and peak memory. The sandbox serves both from this process, so each
//! client's own CPU time is reported too (this thread's for ours, the Python process's for
//! theirs): when the server is the bottleneck, latency ratios understate the difference.
use std::{
    path::Path,
    process::Command,
    time::{Duration, Instant},
};

use anyhow::{Context as _, Result, bail};
use futures::TryStreamExt as _;
use serde_json::Value;

use crate::{
    Scale,
    calls::{an_order, saturated_rate},
    memory,
    server::Sandbox,
    stats::{median, quantile},
};

/// The driver, beside this crate's sources.
const DRIVER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/vendor_sdk.py");

/// Pages of the pagination figure: the service's default, as the SDK's callers get.
const PAGE: u32 = 100;

/// CPU seconds this thread has used (user and system, from `/proc/thread-self/stat`, in
/// the kernel's ticks of 10 ms).
fn thread_cpu() -> Result<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat")?;
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .context("a stat line")?
        .1
        .split_whitespace()
        .collect();
    let ticks = |i: usize| -> Result<f64> { Ok(fields.get(i).context("a field")?.parse::<f64>()?) };
    Ok((ticks(11)? + ticks(12)?) / 100.0)
}

/// Runs the driver in `mode` with `args`; returns its JSON.
fn driver(python: &Path, mode: &str, sandbox: &Sandbox, args: &[String]) -> Result<Value> {
    let output = Command::new(python)
        .arg(DRIVER)
        .arg(mode)
        .arg(&sandbox.go_base_url)
        .args(args)
        .output()
        .with_context(|| format!("running {}", python.display()))?;
    if !output.status.success() {
        bail!(
            "the SDK driver failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(serde_json::from_slice(&output.stdout)?)
}

fn number(value: &Value, key: &str) -> Result<f64> {
    value[key]
        .as_f64()
        .with_context(|| format!("no {key} in {value}"))
}

/// The figures of both sides, printed as a Markdown section.
pub(crate) fn report(sandbox: &Sandbox, scale: Scale, python: &Path) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let ours = sandbox.client()?;
    let order = runtime.block_on(an_order(&ours))?;
    let calls = scale.rounds * scale.calls;

    // Ours, on this thread.
    let (latencies, cpu_per_call, rate, stream_time, stream_cpu) = runtime.block_on(async {
        let orders = ours.promocodes().order();
        orders.get(&order).await?;
        let cpu = thread_cpu()?;
        let mut latencies = Vec::with_capacity(calls);
        for _ in 0..calls {
            let started = Instant::now();
            orders.get(&order).await?;
            latencies.push(started.elapsed());
        }
        let cpu_per_call = (thread_cpu()? - cpu) / calls as f64;
        let get = |_| async { Ok(orders.get(&order).await?) };
        let rate = saturated_rate(scale.concurrent_calls, get).await?;
        let big = sandbox.handle.seed_order(scale.codes);
        let cpu = thread_cpu()?;
        let started = Instant::now();
        let codes = orders.code().list(big.as_str()).page_size(PAGE).stream();
        let seen = codes
            .try_fold(0u32, |n, _| async move { Ok(n + 1) })
            .await?;
        anyhow::ensure!(seen == scale.codes, "saw {seen} of {} codes", scale.codes);
        Ok::<_, anyhow::Error>((
            latencies,
            cpu_per_call,
            rate,
            started.elapsed(),
            thread_cpu()? - cpu,
        ))
    })?;

    // Theirs, in a Python process, against the same sandbox.
    let theirs = driver(
        python,
        "calls",
        sandbox,
        &[
            order.to_string(),
            calls.to_string(),
            scale.concurrent_calls.to_string(),
        ],
    )?;
    let big = sandbox.handle.seed_order(scale.codes);
    let their_pages = driver(python, "pages", sandbox, &[big.clone(), PAGE.to_string()])?;
    anyhow::ensure!(
        number(&their_pages, "codes")? == f64::from(scale.codes),
        "the SDK saw {} codes",
        their_pages["codes"]
    );
    let sizes: [u32; 2] = [10_000, scale.codes * 10];
    let mut memory_rows = Vec::new();
    for codes in sizes {
        let order = sandbox.handle.seed_order(codes);
        let ours = memory::probe(sandbox, &order, codes, false)?;
        let theirs = driver(python, "memory", sandbox, &[order, PAGE.to_string()])?;
        memory_rows.push((
            codes,
            ours as f64 / 1024.0,
            number(&theirs, "peak_rss_kib")? / 1024.0,
        ));
    }

    let us = |d: Duration| d.as_secs_f64() * 1e6;
    let median_us = us(median(&latencies));
    let p99_us = us(quantile(&latencies, 0.99));
    println!("## Side by side with the vendor's Python SDK (yandex-b2b-go 1.0.4)\n");
    println!("| | yandex-promo | yandex-b2b-go | theirs / ours |\n|---|---|---|---|");
    let row = |what: &str, ours: f64, theirs: f64, unit: &str| {
        println!(
            "| {what} | {ours:.1} {unit} | {theirs:.1} {unit} | {:.2} |",
            theirs / ours
        );
    };
    row(
        "`get order`, median",
        median_us,
        number(&theirs, "median_us")?,
        "µs",
    );
    row("`get order`, p99", p99_us, number(&theirs, "p99_us")?, "µs");
    row(
        "client CPU per call",
        cpu_per_call * 1e6,
        number(&theirs, "cpu_us_per_call")?,
        "µs",
    );
    let their_rate = number(&theirs, "calls_per_s")?;
    println!(
        "| throughput, 32 in flight | {rate:.0} calls/s | {their_rate:.0} calls/s | ours / theirs: {:.2} |",
        rate / their_rate
    );
    row(
        &format!("{} codes, pages of {PAGE}", scale.codes),
        stream_time.as_secs_f64(),
        number(&their_pages, "seconds")?,
        "s",
    );
    row(
        "client CPU for those pages",
        stream_cpu,
        number(&their_pages, "cpu_seconds")?,
        "s",
    );
    for (codes, ours, theirs) in &memory_rows {
        println!(
            "| peak memory, {codes} codes (ours streaming, theirs collecting) | {ours:.1} MiB | {theirs:.1} MiB | {:.2} |",
            theirs / ours
        );
    }
    if let [(_, small, small_theirs), (_, large, large_theirs)] = memory_rows[..] {
        println!(
            "| memory, largest / smallest | {:.2} | {:.2} | |",
            large / small,
            large_theirs / small_theirs
        );
    }
    println!();
    Ok(())
}
