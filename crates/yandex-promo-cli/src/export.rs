//! A listing to a file, for `codes export`, `market offers list --output` and `demo`: every
//! item to CSV or JSON, streamed page by page (memory stays flat), with a progress bar on
//! stderr when it is a terminal. The file appears only once complete: items go to a temporary
//! file beside it, renamed at the end.
use std::{
    fs::File,
    io::{BufWriter, Write as _},
    path::Path,
};

use anyhow::Context as _;
use futures::{Stream, StreamExt as _};
use yandex_promo::{PageError, go::GoClient};

use crate::{format::Format, output::Output, rows::Row};

/// The formats an export writes, as `--format` offers them.
pub const FORMATS: &[(Format, &str)] = &[
    (
        Format::Csv,
        "One row per item with a header row (codes: `id,code,status,is_revoked,used_at`, uses separated by spaces; offers: `offer_id,status,price,promo_price,max_promo_price,level,campaign_ids`, the level a Bestsellers promo price reaches, campaigns separated by spaces)",
    ),
    (
        Format::Json,
        "A JSON array of items as the API returns them",
    ),
];

/// Writes every code of `order_id` to `path`; returns how many.
pub async fn codes(
    out: Output,
    client: &GoClient,
    order_id: &str,
    format: Format,
    path: &Path,
) -> anyhow::Result<u64> {
    let orders = client.promocodes().order();
    let expected = orders.get(order_id).await?.count;
    let stream = orders.code().list(order_id).stream();
    let expected = u64::try_from(expected).unwrap_or(0);
    write_all(out, stream, expected, "codes", format, path).await
}

/// Writes every item of `items` to `path` (about `expected` of them, for the progress bar);
/// returns how many.
pub async fn write_all<T: Row>(
    out: Output,
    mut items: impl Stream<Item = Result<T, PageError>> + Unpin,
    expected: u64,
    unit: &str,
    format: Format,
    path: &Path,
) -> anyhow::Result<u64> {
    let progress = out.progress(expected, unit)?;
    let partial = path.with_extension("partial");
    let file =
        File::create(&partial).with_context(|| format!("cannot create {}", partial.display()))?;
    let mut sink = Sink::new(format, BufWriter::new(file), T::HEADER)?;
    let mut written = 0;
    while let Some(item) = items.next().await {
        let item = item.with_context(|| format!("after {written} {unit}"))?;
        sink.write(&item)?;
        written += 1;
        progress.inc(1);
    }
    sink.finish()?;
    progress.finish_and_clear();
    std::fs::rename(&partial, path)
        .with_context(|| format!("cannot move the export to {}", path.display()))?;
    Ok(written)
}

/// One output file being written.
enum Sink {
    // Boxed: the CSV writer carries its own buffer, the JSON variant a few bytes.
    Csv(Box<csv::Writer<BufWriter<File>>>),
    Json { out: BufWriter<File>, first: bool },
}

impl Sink {
    fn new(format: Format, out: BufWriter<File>, header: &[&str]) -> anyhow::Result<Self> {
        Ok(match format {
            Format::Csv => {
                let mut writer = csv::Writer::from_writer(out);
                writer.write_record(header)?;
                Self::Csv(Box::new(writer))
            }
            Format::Json => {
                let mut out = out;
                out.write_all(b"[")?;
                Self::Json { out, first: true }
            }
            // Not among `FORMATS`, so clap refused it already.
            Format::Jsonl => anyhow::bail!("an export is written as csv or json"),
        })
    }

    fn write<T: Row>(&mut self, item: &T) -> anyhow::Result<()> {
        match self {
            Self::Csv(writer) => writer.write_record(item.record())?,
            Self::Json { out, first } => {
                if !*first {
                    out.write_all(b",")?;
                }
                *first = false;
                out.write_all(b"\n  ")?;
                serde_json::to_writer(&mut *out, item)?;
            }
        }
        Ok(())
    }

    fn finish(self) -> anyhow::Result<()> {
        match self {
            Self::Csv(mut writer) => writer.flush()?,
            Self::Json { mut out, .. } => {
                out.write_all(b"\n]\n")?;
                out.flush()?;
            }
        }
        Ok(())
    }
}
