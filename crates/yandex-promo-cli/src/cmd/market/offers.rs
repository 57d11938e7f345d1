//! `market offers`: the offers of a Market promo. List them (a table, JSON, or a file); put
//! offers in at promo prices or take them out from a file; and `sync`, which makes the
//! promo's manual assortment equal to a file (each row at a promo price or at a Bestsellers
//! level), refusing prices under the seller's floors when given them: it prints the plan, and
//! sends it only with `--apply`. The files are CSV or JSON, read by [`crate::files`].
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::{Args, Subcommand};
use futures::TryStreamExt as _;
use yandex_promo::{
    Error,
    market::{BatchError, BestsellerLevel, OfferUpdate, PromoManager, Roubles, StatusFilter},
};

use crate::{
    context::Context,
    export,
    files::{self, Cells, FileRow},
    format::Format,
    output::{Output, Reported},
};

#[derive(Debug, Subcommand)]
pub enum OffersCommand {
    /// List the offers in a promo and those that may join it.
    List(ListArgs),
    /// Put offers in a promo at promo prices, or change their prices, from a file with the
    /// columns `offer_id,price,promo_price` (whole roubles): CSV, or a JSON array of objects
    /// when its name ends in `.json`. Exits 1 if Market refused any, 2 if the file has bad
    /// rows (each named by line and column).
    Update {
        /// The promo's id (see `market promos`).
        promo_id: String,
        /// The file (CSV, or JSON when it ends in `.json`).
        #[arg(long)]
        file: PathBuf,
    },
    /// Take offers out of a promo: the ids in a file (column `offer_id`; CSV, or JSON when its
    /// name ends in `.json`), or all of them. Exits 1 if Market refused any.
    Delete {
        /// The promo's id.
        promo_id: String,
        /// The file of ids.
        #[arg(long, required_unless_present = "all", conflicts_with = "all")]
        file: Option<PathBuf>,
        /// Take every offer out and leave the promo.
        #[arg(long)]
        all: bool,
    },
    /// Make the promo's manual assortment equal to a file (`offer_id,price` and either
    /// `promo_price` or `level`): offers to add, prices to change, offers to take out, and the
    /// offers Market added itself, which are left alone. A `level` (`light`, `best`, `super`,
    /// `top`, in a "Market Bestsellers" promo) sets the promo price to that level's threshold.
    /// Prints the plan; sends it only with `--apply`. A file with bad rows exits 2, each row
    /// named by line and column.
    Sync {
        /// The promo's id.
        promo_id: String,
        /// The desired assortment: CSV, or a JSON array of objects when the name ends in
        /// `.json`.
        #[arg(long)]
        file: PathBuf,
        /// The lowest promo price you accept per offer (`offer_id,floor`, CSV or `.json`): a
        /// row whose promo price, or level, is below its offer's floor is refused.
        #[arg(long, value_name = "FILE")]
        floors: Option<PathBuf>,
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

/// One row of an update file: an offer at a promo price.
#[derive(Debug)]
struct PriceRow {
    offer_id: String,
    price: Roubles,
    promo_price: Roubles,
}

impl FileRow for PriceRow {
    const REQUIRED: &'static [&'static str] = &["offer_id", "price", "promo_price"];

    fn read(cells: &mut Cells) -> Option<Self> {
        let offer_id = cells.required("offer_id", files::text);
        let price = cells.required("price", files::roubles);
        let promo_price = cells.required("promo_price", files::roubles);
        Some(Self {
            offer_id: offer_id?,
            price: price?,
            promo_price: promo_price?,
        })
    }
}

/// One row of a sync file: an offer at a promo price, or at a "Market Bestsellers" level
/// (the level's threshold, read from the promo's offers when the plan is made).
#[derive(Debug)]
struct SyncRow(OfferUpdate);

impl FileRow for SyncRow {
    const REQUIRED: &'static [&'static str] = &["offer_id", "price"];
    const ONE_OF: &'static [&'static str] = &["promo_price", "level"];

    fn read(cells: &mut Cells) -> Option<Self> {
        let offer_id = cells.required("offer_id", files::text);
        let price = cells.required("price", files::roubles);
        let promo_price = cells.optional("promo_price", files::roubles);
        let level = cells.optional("level", files::level);
        let target = match (promo_price, level) {
            (Ok(Some(promo_price)), Ok(None)) => Some(Target::Price(promo_price)),
            (Ok(None), Ok(Some(level))) => Some(Target::Level(level)),
            (Ok(Some(_)), Ok(Some(_))) => {
                let rule = "has both promo_price and level: give one of them";
                cells.problem(None, rule.into());
                None
            }
            (Ok(None), Ok(None)) => {
                let rule = "has neither promo_price nor level: give one";
                cells.problem(None, rule.into());
                None
            }
            // The cell's own rule is recorded.
            _ => None,
        };
        let (offer_id, price) = (offer_id?, price?);
        Some(Self(match target? {
            Target::Price(promo_price) => OfferUpdate::new(offer_id, price, promo_price),
            Target::Level(level) => OfferUpdate::at_level(offer_id, price, level),
        }))
    }
}

/// What a sync row asks its offer's promo price to be.
enum Target {
    /// This price.
    Price(Roubles),
    /// The threshold of this level.
    Level(BestsellerLevel),
}

/// One row of an ids file.
#[derive(Debug)]
struct IdRow {
    offer_id: String,
}

impl FileRow for IdRow {
    const REQUIRED: &'static [&'static str] = &["offer_id"];

    fn read(cells: &mut Cells) -> Option<Self> {
        let offer_id = cells.required("offer_id", files::text)?;
        Some(Self { offer_id })
    }
}

/// The library's verdict on rows read from `path`, at their lines (exit 2); another error
/// as it is.
fn at_lines(path: &Path, rows: &[(u64, &str)], error: Error) -> anyhow::Error {
    match error {
        Error::Validation(invalid) => files::at_lines(path, &invalid, "offers", rows).into(),
        error => error.into(),
    }
}

/// Runs one `market offers` command.
pub async fn run(command: OffersCommand, context: &mut Context) -> anyhow::Result<()> {
    let out = context.out;
    let promos = context.market().await?.promos();
    match command {
        OffersCommand::List(args) => list(args, &promos, out).await,
        OffersCommand::Update { promo_id, file } => {
            let rows = files::read_rows::<PriceRow>(&file)?;
            let lines: Vec<(u64, &str)> = rows
                .iter()
                .map(|(line, row)| (*line, row.offer_id.as_str()))
                .collect();
            let updates = rows
                .iter()
                .map(|(_, row)| OfferUpdate::new(row.offer_id.clone(), row.price, row.promo_price));
            let outcome =
                promos
                    .update(promo_id, updates)
                    .await
                    .map_err(|error| match error.error {
                        Error::Validation(_) => at_lines(&file, &lines, error.error),
                        _ => stopped(error),
                    })?;
            out.update_outcome(&outcome)?;
            refused(outcome.rejected.len())
        }
        OffersCommand::Delete {
            promo_id,
            file: Some(file),
            ..
        } => {
            let ids = files::read_rows::<IdRow>(&file)?
                .into_iter()
                .map(|(_, row)| row.offer_id);
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
            floors,
            apply,
        } => {
            let rows = files::read_rows::<SyncRow>(&file)?;
            let floors = floors.as_deref().map(files::read_floors).transpose()?;
            let lines: Vec<(u64, &str)> = rows
                .iter()
                .map(|(line, row)| (*line, row.0.offer_id.as_str()))
                .collect();
            let desired: Vec<OfferUpdate> = rows.iter().map(|(_, row)| row.0.clone()).collect();
            let plan = match &floors {
                Some(floors) => {
                    promos
                        .sync_with_floors(promo_id.as_str(), desired, floors)
                        .await
                }
                None => promos.sync(promo_id.as_str(), desired).await,
            }
            .map_err(|error| at_lines(&file, &lines, error))?;
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
