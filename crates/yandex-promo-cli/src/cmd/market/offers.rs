//! `market offers`: the offers of a Market promo. List them (a table, JSON, or a file); put
//! offers in at promo prices or take them out from a CSV file; and `sync`, which makes the
//! promo's manual assortment equal to a CSV file: it prints the plan, and sends it only with
//! `--apply`.
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::{Args, Subcommand};
use futures::TryStreamExt as _;
use serde::Deserialize;
use yandex_promo::{
    Error,
    market::{BatchError, OfferUpdate, PromoManager, Roubles, StatusFilter},
};

use crate::{
    context::Context,
    export,
    format::Format,
    output::{Output, Reported},
};

#[derive(Debug, Subcommand)]
pub enum OffersCommand {
    /// List the offers in a promo and those that may join it.
    List(ListArgs),
    /// Put offers in a promo at promo prices, or change their prices, from a CSV file with
    /// the columns `offer_id,price,promo_price` (whole roubles). Exits 1 if Market refused any.
    Update {
        /// The promo's id (see `market promos`).
        promo_id: String,
        /// The CSV file.
        #[arg(long)]
        file: PathBuf,
    },
    /// Take offers out of a promo: the ids in a CSV file (column `offer_id`), or all of them.
    /// Exits 1 if Market refused any.
    Delete {
        /// The promo's id.
        promo_id: String,
        /// The CSV file of ids.
        #[arg(long, required_unless_present = "all", conflicts_with = "all")]
        file: Option<PathBuf>,
        /// Take every offer out and leave the promo.
        #[arg(long)]
        all: bool,
    },
    /// Make the promo's manual assortment equal to a CSV file (`offer_id,price,promo_price`):
    /// offers to add, prices to change, offers to take out, and the offers Market added itself,
    /// which are left alone. Prints the plan; sends it only with `--apply`.
    Sync {
        /// The promo's id.
        promo_id: String,
        /// The desired assortment.
        #[arg(long)]
        file: PathBuf,
        /// Send the plan (in batches), then print what Market refused.
        #[arg(long)]
        apply: bool,
    },
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// The promo's id.
    promo_id: String,
    /// Only offers with this status (repeatable): MANUALLY_ADDED, NOT_MANUALLY_ADDED,
    /// RENEWED, RENEW_FAILED, MINIMUM_FOR_PROMOS.
    #[arg(long = "status")]
    statuses: Vec<StatusFilter>,
    /// Offers per request (the API's `limit`, 1 to 500).
    #[arg(long, default_value_t = 500)]
    limit: u32,
    /// Write the offers to `--output` in this format instead of printing them.
    #[arg(long, value_parser = Format::parser(export::FORMATS), requires = "output")]
    format: Option<Format>,
    /// File to write (replaced only once every offer was written).
    #[arg(long, requires = "format")]
    output: Option<PathBuf>,
}

/// A file that cannot be read as the command needs: bad input, so the command exits 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadFile(String);

/// One row of an offers file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PriceRow {
    offer_id: String,
    price: Roubles,
    promo_price: Roubles,
}

/// One row of an ids file.
#[derive(Debug, Deserialize)]
struct IdRow {
    offer_id: String,
}

/// Reads a CSV file with a header row; an error names the line and the column.
fn read_rows<T: for<'de> Deserialize<'de>>(path: &Path) -> anyhow::Result<Vec<T>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| BadFile(format!("cannot read {}: {e}", path.display())))?;
    let header = reader
        .headers()
        .map_err(|e| BadFile(format!("{}: {e}", path.display())))?
        .clone();
    reader
        .deserialize()
        .map(|row| {
            row.map_err(|error| {
                let column = match error.kind() {
                    csv::ErrorKind::Deserialize { err, .. } => err
                        .field()
                        .and_then(|i| header.get(usize::try_from(i).ok()?))
                        .map(|c| format!(", column {c}"))
                        .unwrap_or_default(),
                    _ => String::new(),
                };
                let line = error.position().map_or(0, csv::Position::line);
                let what = match error.kind() {
                    csv::ErrorKind::Deserialize { err, .. } => err.kind().to_string(),
                    _ => error.to_string(),
                };
                anyhow::Error::from(BadFile(format!(
                    "{} line {line}{column}: {what} (prices are whole roubles)",
                    path.display()
                )))
            })
        })
        .collect()
}

fn read_updates(path: &Path) -> anyhow::Result<Vec<OfferUpdate>> {
    Ok(read_rows::<PriceRow>(path)?
        .into_iter()
        .map(|row| OfferUpdate::new(row.offer_id, row.price, row.promo_price))
        .collect())
}

/// Runs one `market offers` command.
pub async fn run(command: OffersCommand, context: &mut Context) -> anyhow::Result<()> {
    let out = context.out;
    let promos = context.market().await?.promos();
    match command {
        OffersCommand::List(args) => list(args, &promos, out).await,
        OffersCommand::Update { promo_id, file } => {
            let updates = read_updates(&file)?;
            let outcome = promos.update(promo_id, updates).await.map_err(stopped)?;
            out.update_outcome(&outcome)?;
            refused(outcome.rejected.len())
        }
        OffersCommand::Delete {
            promo_id,
            file: Some(file),
            ..
        } => {
            let ids = read_rows::<IdRow>(&file)?.into_iter().map(|r| r.offer_id);
            let outcome = promos.delete(promo_id, ids).await.map_err(stopped)?;
            out.delete_outcome(&outcome)?;
            refused(outcome.rejected.len())
        }
        OffersCommand::Delete { promo_id, .. } => {
            promos.delete_all(promo_id.as_str()).await?;
            let result = serde_json::json!({"promo_id": promo_id, "deleted": "all"});
            out.result(&result, &format!("took every offer out of {promo_id}"))
        }
        OffersCommand::Sync {
            promo_id,
            file,
            apply,
        } => {
            let desired = read_updates(&file)?;
            let plan = promos.sync(promo_id.as_str(), desired).await?;
            if !apply || plan.is_empty() {
                return out.sync_plan(&plan, None);
            }
            let outcome = promos.apply(promo_id.as_str(), &plan).await.context(
                "part of the plan may have been applied: run the same sync again to send what is left (repeating an applied change changes nothing)",
            )?;
            out.sync_plan(&plan, Some(&outcome))?;
            refused(outcome.updated.rejected.len() + outcome.deleted.rejected.len())
        }
    }
}

async fn list(args: ListArgs, promos: &PromoManager, out: Output) -> anyhow::Result<()> {
    let listing = promos
        .offers(args.promo_id.as_str())
        .statuses(args.statuses)
        .page_size(args.limit);
    let (Some(format), Some(path)) = (args.format, args.output) else {
        let offers: Vec<_> = listing.stream().try_collect().await?;
        return out.offers(&offers);
    };
    // The promo's offer count sizes the progress bar (a filter lists fewer): one `getPromos`
    // request from the budget, spent only when a bar is drawn.
    let expected = if out.shows_progress() {
        promos
            .list()
            .send()
            .await?
            .into_iter()
            .find(|p| p.id == args.promo_id)
            .and_then(|p| p.assortment_info.potential_offers)
            .map_or(0, |n| u64::try_from(n).unwrap_or(0))
    } else {
        0
    };
    let written =
        export::write_all(out, listing.stream(), expected, "offers", format, &path).await?;
    let result = serde_json::json!({"promo_id": args.promo_id, "offers": written, "file": path});
    out.result(
        &result,
        &format!("wrote {written} offers to {}", path.display()),
    )
}

/// A batched call that stopped: invalid input as itself (exit 2), else what was sent before
/// the failure and that running the command again is safe.
fn stopped<O, T>(error: BatchError<O, T>) -> anyhow::Error {
    if let Error::Validation(_) = &error.error {
        return error.error.into();
    }
    let hint = format!(
        "{} of {} requests were applied; run the same command again to send the rest (repeating an applied request changes nothing)",
        error.batches_sent, error.batches
    );
    anyhow::Error::from(error.error).context(hint)
}

/// Exit 1 when Market refused offers (the output already listed them).
fn refused(count: usize) -> anyhow::Result<()> {
    if count == 0 {
        Ok(())
    } else {
        Err(Reported(format!("Market refused {count} offers")).into())
    }
}
