//! `codes`: the codes of an order, listed as a table (or JSON) or exported to a file.
use std::path::PathBuf;

use clap::Subcommand;
use futures::TryStreamExt as _;

use crate::{context::Context, export, format::Format};

#[derive(Debug, Subcommand)]
pub enum CodesCommand {
    /// List the codes of an order.
    List {
        order_id: String,
        /// Codes per request (the API's `limit`).
        #[arg(long, visible_alias = "page-size", default_value_t = 100)]
        limit: u32,
    },
    /// Write every code of an order to a file.
    Export {
        order_id: String,
        /// File format.
        #[arg(long, value_parser = Format::parser(export::FORMATS), default_value_t = Format::Csv)]
        format: Format,
        /// File to write (replaced only once every code was written).
        #[arg(long)]
        output: PathBuf,
    },
}

/// Runs one `codes` command.
pub async fn run(command: CodesCommand, context: &mut Context) -> anyhow::Result<()> {
    let out = context.out;
    match command {
        CodesCommand::List { order_id, limit } => {
            let codes = context.go().await?.promocodes().order().code();
            let all: Vec<_> = codes
                .list(order_id)
                .page_size(limit)
                .stream()
                .try_collect()
                .await?;
            out.codes(&all)
        }
        CodesCommand::Export {
            order_id,
            format,
            output,
        } => {
            let client = context.go().await?;
            let written = export::codes(out, &client, &order_id, format, &output).await?;
            let result =
                serde_json::json!({"order_id": order_id, "codes": written, "file": output});
            out.result(
                &result,
                &format!("wrote {written} codes to {}", output.display()),
            )
        }
    }
}
