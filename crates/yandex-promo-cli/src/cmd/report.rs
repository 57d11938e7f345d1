//! `report`: what became of issued codes. For the selected orders (every order, those of an
//! `issue` journal, given ids, or those whose codes expire in a range of days), a row per
//! order and a totals row, then a chart of usages per day or hour; or one JSON document; or
//! two CSV files. An order that cannot be read is reported in its row, and the command still
//! exits 0 (with a note on stderr).
use std::{
    num::NonZeroUsize,
    path::{Path, PathBuf},
};

use chrono::{FixedOffset, NaiveDate};
use clap::{ArgGroup, Args, ValueEnum};
use futures::stream;
use yandex_promo::{
    PageError,
    go::{Bucket, DEFAULT_CONCURRENCY, OrderId, OrderSelection, UsageReport},
};

use crate::{context::Context, export, format::Format, output::Output, rows::Row};

/// The formats `report --output` writes, as `--format` offers them.
const FORMATS: &[(Format, &str)] = &[(
    Format::Csv,
    "A row per order in the file (`order_id,name,status,value,count,codes,used_codes,usages,revoked,unused,first_use,last_use,share_used,error`), and the series (`start,usages`) beside it, named as the file with `.series.csv` for its extension",
)];

// The variant's doc comment in `main.rs` is the command's help.
#[derive(Debug, Args)]
#[command(
    group = ArgGroup::new("selection").args(["orders", "journal", "active_until_from"]),
    after_help = "Without a selection flag, every order of the corporate client is read. \
        An order that cannot be read (an unknown id, a failure after retries) is shown with its \
        error and left out of the totals; the command still exits 0 and says so on stderr."
)]
pub struct ReportArgs {
    /// Only this order (repeatable).
    #[arg(long = "order", value_name = "ID")]
    orders: Vec<String>,
    /// The orders an `issue` journal made (shown with the plan's order name).
    #[arg(long, value_name = "FILE")]
    journal: Option<PathBuf>,
    /// The orders whose codes expire on this day or later (YYYY-MM-DD), with
    /// `--active-until-to`. The API gives no order's creation date, so orders are selected by
    /// the last day their codes can be used (`active_until`).
    #[arg(long, value_name = "DATE", requires = "active_until_to")]
    active_until_from: Option<NaiveDate>,
    /// The orders whose codes expire on this day or earlier (YYYY-MM-DD), with
    /// `--active-until-from`.
    #[arg(long, value_name = "DATE", requires = "active_until_from")]
    active_until_to: Option<NaiveDate>,
    /// How many orders are read at once.
    #[arg(long, value_name = "N", default_value_t = default_concurrency())]
    concurrency: NonZeroUsize,
    /// Count usages per hour or per day (default: per hour when they span at most two days,
    /// else per day).
    #[arg(long, value_enum)]
    bucket: Option<BucketArg>,
    /// The time zone the days and hours are counted and shown in, as an offset from UTC
    /// (+03:00 for Moscow).
    #[arg(long, value_name = "OFFSET", default_value = "+00:00", value_parser = utc_offset, allow_hyphen_values = true)]
    utc_offset: FixedOffset,
    /// Write the report to `--output` in this format instead of printing it.
    #[arg(long, value_parser = Format::parser(FORMATS), default_value_t = Format::Csv)]
    format: Format,
    /// File to write the orders to; the series goes beside it, named as the file with
    /// `.series.csv` for its extension (`usage.csv` and `usage.series.csv`).
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// `--bucket`'s values.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum BucketArg {
    /// Usages per hour.
    Hour,
    /// Usages per day.
    Day,
}

impl From<BucketArg> for Bucket {
    fn from(bucket: BucketArg) -> Self {
        match bucket {
            BucketArg::Hour => Self::Hour,
            BucketArg::Day => Self::Day,
        }
    }
}

/// The library's default, as `--concurrency`'s.
fn default_concurrency() -> NonZeroUsize {
    NonZeroUsize::new(DEFAULT_CONCURRENCY).unwrap_or(NonZeroUsize::MIN)
}

/// `--utc-offset`: `+03:00`, `-05:30`, `+00:00`.
fn utc_offset(text: &str) -> Result<FixedOffset, String> {
    text.parse::<FixedOffset>().map_err(|_| {
        "expected an offset from UTC as [+-]HH:MM, such as +03:00, -05:30 or +00:00".to_owned()
    })
}

impl ReportArgs {
    /// The orders the flags select (clap allows one way at most).
    fn selection(&self) -> OrderSelection {
        if let Some(journal) = &self.journal {
            return OrderSelection::Journal(journal.clone());
        }
        if let (Some(from), Some(to)) = (self.active_until_from, self.active_until_to) {
            return OrderSelection::ActiveUntil { from, to };
        }
        if self.orders.is_empty() {
            return OrderSelection::All;
        }
        OrderSelection::Ids(self.orders.iter().map(OrderId::from).collect())
    }
}

/// Runs `report`.
pub async fn run(args: ReportArgs, context: &mut Context) -> anyhow::Result<()> {
    let out = context.out;
    context.with_usage_demo();
    let client = context.go().await?;
    let progress = out.usage_progress()?;
    let events = progress.clone();
    let mut usage = client
        .promocodes()
        .usage(args.selection())
        .concurrency(args.concurrency)
        .time_zone(args.utc_offset)
        .on_event(move |event| events.show(event));
    if let Some(bucket) = args.bucket {
        usage = usage.bucket(bucket.into());
    }
    let report = usage.run().await;
    progress.finish();
    let report = report?;
    match &args.output {
        Some(path) => write(out, &report, args.format, path).await?,
        None => out.usage_report(&report, args.utc_offset)?,
    }
    let totals = &report.totals;
    if totals.unreadable > 0 {
        out.note(&format!(
            "note: {} of {} orders could not be read; the report shows why, and leaves them out of the totals",
            totals.unreadable, totals.orders
        ));
    }
    Ok(())
}

/// The file beside `path` that holds the series: `usage.csv` → `usage.series.csv`.
fn series_path(path: &Path) -> PathBuf {
    path.with_extension("series.csv")
}

/// Writes the orders to `path` and the series beside it, then says where.
async fn write(
    out: Output,
    report: &UsageReport,
    format: Format,
    path: &Path,
) -> anyhow::Result<()> {
    let series = series_path(path);
    let orders = rows(out, &report.orders, "orders", format, path).await?;
    let points = rows(out, &report.series.points, "buckets", format, &series).await?;
    let unit = match report.series.bucket {
        Bucket::Hour => "hours",
        _ => "days",
    };
    let result = serde_json::json!({
        "orders": orders,
        "file": path,
        "bucket": report.series.bucket,
        "points": points,
        "series_file": series,
    });
    out.result(
        &result,
        &format!(
            "wrote {orders} orders to {} and {points} {unit} of usages to {}",
            path.display(),
            series.display()
        ),
    )
}

/// Writes `items` to `path` through the exports' writer; returns how many.
async fn rows<T: Row + Clone>(
    out: Output,
    items: &[T],
    unit: &str,
    format: Format,
    path: &Path,
) -> anyhow::Result<u64> {
    let expected = u64::try_from(items.len()).unwrap_or(0);
    let items = stream::iter(items.iter().cloned().map(Ok::<_, PageError>));
    export::write_all(out, items, expected, unit, format, path).await
}
