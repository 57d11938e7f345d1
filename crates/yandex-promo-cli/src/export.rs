//! `codes export`: every code of an order to CSV or JSON, streamed page by page (memory stays
//! flat), with a progress bar on stderr when it is a terminal. The file appears only once
//! complete: codes go to a temporary file beside it, renamed at the end.
use std::{
    fs::File,
    io::{BufWriter, Write as _},
    path::Path,
};

use anyhow::Context as _;
use clap::ValueEnum;
use futures::StreamExt as _;
use yandex_promo::go::{Code, GoClient};

use crate::output::Output;

/// Export file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `id,code,status,is_revoked,used_at` with a header row; uses separated by spaces.
    Csv,
    /// A JSON array of codes.
    Json,
}

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
    let progress = out.progress(u64::try_from(expected).unwrap_or(0), "codes")?;

    let partial = path.with_extension("partial");
    let file =
        File::create(&partial).with_context(|| format!("cannot create {}", partial.display()))?;
    let mut sink = Sink::new(format, BufWriter::new(file))?;
    let mut stream = orders.code().list(order_id).stream();
    let mut written = 0;
    while let Some(code) = stream.next().await {
        let code = code.with_context(|| format!("after {written} codes"))?;
        sink.write(&code)?;
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
    fn new(format: Format, out: BufWriter<File>) -> anyhow::Result<Self> {
        Ok(match format {
            Format::Csv => {
                let mut writer = csv::Writer::from_writer(out);
                writer.write_record(["id", "code", "status", "is_revoked", "used_at"])?;
                Self::Csv(Box::new(writer))
            }
            Format::Json => {
                let mut out = out;
                out.write_all(b"[")?;
                Self::Json { out, first: true }
            }
        })
    }

    fn write(&mut self, code: &Code) -> anyhow::Result<()> {
        match self {
            Self::Csv(writer) => {
                let used = code
                    .used_at
                    .iter()
                    .map(|t| t.to_rfc3339())
                    .collect::<Vec<_>>()
                    .join(" ");
                writer.write_record([
                    code.id.as_str(),
                    code.code.as_str(),
                    code.status.as_str(),
                    if code.is_revoked { "true" } else { "false" },
                    used.as_str(),
                ])?;
            }
            Self::Json { out, first } => {
                if !*first {
                    out.write_all(b",")?;
                }
                *first = false;
                out.write_all(b"\n  ")?;
                serde_json::to_writer(&mut *out, code)?;
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
