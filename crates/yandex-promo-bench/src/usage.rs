//! The usage report: folding every code of many orders into per-order figures and a series,
//! against streaming the same codes without the fold, and its peak memory at 10,000 and
//! 1,000,000 codes (each probe a child process, so the sandbox is not counted).
use std::{num::NonZeroUsize, time::Instant};

use anyhow::{Result, ensure};
use futures::{StreamExt as _, TryStreamExt as _, stream};
use yandex_promo::go::{DEFAULT_CONCURRENCY, GoClient, OrderSelection};

use crate::{
    memory::{peak_rss_kib, probe_client, run_probe},
    server::Sandbox,
    stats::{median, millis, ratio},
};

/// Codes per order in the large sets, and per page.
const PER_ORDER: u32 = 1_000;
/// A quarter of every order's codes is used, so the fold has usages to count.
const USED_SHARE: u32 = 4;

/// One report in a child process.
#[derive(Debug, clap::Args)]
pub(crate) struct Probe {
    /// The Go for Business base URL of the sandbox.
    #[arg(long)]
    base_url: String,
    /// The orders to report on, comma-separated.
    #[arg(long, value_delimiter = ',')]
    orders: Vec<String>,
    /// Codes per page (default: the report's, the listing's 100).
    #[arg(long)]
    page_size: Option<u32>,
}

impl Probe {
    pub(crate) fn run(self) -> Result<()> {
        let (runtime, client) = probe_client(&self.base_url)?;
        let ids = self.orders.into_iter().map(Into::into).collect();
        let mut run = client.promocodes().usage(OrderSelection::Ids(ids));
        if let Some(size) = self.page_size {
            run = run.page_size(size);
        }
        let report = runtime.block_on(run.run())?;
        println!("{} {}", report.totals.figures.codes, peak_rss_kib()?);
        Ok(())
    }
}

/// `orders` orders of `codes` codes each, a quarter of each order's codes used.
fn seed(sandbox: &Sandbox, orders: usize, codes: u32) -> Vec<String> {
    (0..orders)
        .map(|_| {
            let order = sandbox.handle.seed_order(codes);
            sandbox
                .handle
                .use_codes(&order, (codes / USED_SHARE) as usize);
            order
        })
        .collect()
}

/// Streams every code of `orders`, as many orders at once as the report reads; how many.
async fn stream_codes(client: &GoClient, orders: &[String]) -> Result<u64> {
    let codes = client.promocodes().order().code();
    let counts = stream::iter(orders)
        .map(|order| {
            let listing = codes.list(order.as_str()).page_size(PER_ORDER).stream();
            listing.try_fold(0u64, |n, _| async move { Ok(n + 1) })
        })
        .buffered(DEFAULT_CONCURRENCY);
    Ok(counts
        .try_fold(0, |all, n| async move { Ok(all + n) })
        .await?)
}

/// The usage report over `orders`; how many codes it counted.
async fn fold_codes(client: &GoClient, orders: &[String]) -> Result<u64> {
    let ids = orders.iter().map(Into::into).collect();
    let concurrency = NonZeroUsize::new(DEFAULT_CONCURRENCY).unwrap_or(NonZeroUsize::MIN);
    let report = client
        .promocodes()
        .usage(OrderSelection::Ids(ids))
        .page_size(PER_ORDER)
        .concurrency(concurrency)
        .run()
        .await?;
    ensure!(
        report.totals.figures.used_codes * u64::from(USED_SHARE) == report.totals.figures.codes,
        "the report counted {} used codes",
        report.totals.figures.used_codes
    );
    Ok(report.totals.figures.codes)
}

pub(crate) async fn report(sandbox: &Sandbox, quick: bool) -> Result<()> {
    let (orders_count, rounds) = if quick { (100, 2) } else { (1_000, 3) };
    let client = sandbox.client()?;
    let orders = seed(sandbox, orders_count, PER_ORDER);
    let codes = orders.len() as u64 * u64::from(PER_ORDER);
    let (mut streamed, mut folded) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        // Alternate which side goes first, so neither always meets a warm sandbox.
        for fold in [round % 2 == 0, round % 2 == 1] {
            let started = Instant::now();
            let seen = if fold {
                fold_codes(&client, &orders).await?
            } else {
                stream_codes(&client, &orders).await?
            };
            ensure!(seen == codes, "saw {seen} of {codes} codes");
            let times = if fold { &mut folded } else { &mut streamed };
            times.push(started.elapsed());
        }
    }
    let (stream_time, fold_time) = (median(&streamed), median(&folded));
    println!(
        "## Usage report: {codes} codes in {orders_count} orders, {DEFAULT_CONCURRENCY} orders at once\n"
    );
    println!("| | median of {rounds} |\n|---|---|");
    println!(
        "| streaming the codes, counting them | {} |",
        millis(stream_time)
    );
    println!(
        "| the usage report (the same codes, folded) | {} |",
        millis(fold_time)
    );
    println!(
        "| ratio | {} |\n",
        ratio(fold_time.as_secs_f64(), stream_time.as_secs_f64())
    );

    // With the report's defaults, and with pages of 1,000: the larger pages' connection
    // buffers (up to 8 requests in flight) grow with the page, not with the codes.
    let sets = [
        seed(sandbox, 10, PER_ORDER),
        seed(sandbox, orders_count / 10, PER_ORDER),
        orders,
    ];
    println!("## Peak memory of the usage report ({DEFAULT_CONCURRENCY} orders at once)\n");
    println!(
        "| codes | orders | pages of 100 (default) | pages of {PER_ORDER} |\n|---|---|---|---|"
    );
    let mut peaks = Vec::new();
    for set in &sets {
        let list = set.join(",");
        let codes = set.len() as u64 * u64::from(PER_ORDER);
        let mut row = Vec::new();
        for page in [None, Some(PER_ORDER.to_string())] {
            let mut args = vec![
                "usage-probe",
                "--base-url",
                &sandbox.go_base_url,
                "--orders",
                &list,
            ];
            if let Some(page) = &page {
                args.extend(["--page-size", page]);
            }
            row.push(run_probe(&args, codes)? as f64);
        }
        println!(
            "| {codes} | {} | {:.1} MiB | {:.1} MiB |",
            set.len(),
            row[0] / 1024.0,
            row[1] / 1024.0
        );
        peaks.push(row);
    }
    let (first, last) = (&peaks[0], &peaks[peaks.len() - 1]);
    println!(
        "| ratio, the most codes / 10,000 | | {} | {} |\n",
        ratio(last[0], first[0]),
        ratio(last[1], first[1])
    );
    Ok(())
}
