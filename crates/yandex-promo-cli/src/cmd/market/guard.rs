//! `market guard`: the margin guard. Reads the seller's floors, walks every promo for offers
//! priced below them (Market's own additions included) and prints, per promo, what to raise
//! to the floor and what to take out; `--apply` sends it.
use std::path::PathBuf;

use clap::Args;

use crate::{context::Context, files, output::Reported};

#[derive(Debug, Args)]
pub struct GuardArgs {
    /// The lowest promo price you accept per offer (`offer_id,floor`, whole roubles): CSV, or
    /// a JSON array of objects when the name ends in `.json`. Offers without a floor are left
    /// alone.
    #[arg(long, value_name = "FILE")]
    floors: PathBuf,
    /// Send the plan: per promo, one batched delete and one batched update (500 offers a
    /// request), then print what Market refused.
    #[arg(long)]
    apply: bool,
}

/// Runs `market guard`: the plan, and with `--apply` what sending it did. Exits 2 for a
/// floors file with bad rows (each named by line), 1 when Market refused offers or a request
/// failed (running the same command again sends what is left).
pub async fn run(args: GuardArgs, context: &mut Context) -> anyhow::Result<()> {
    let out = context.out;
    let floors = files::read_floors(&args.floors)?;
    let promos = context.market().await?.promos();
    let plan = promos.guard(&floors).await?;
    if !args.apply || plan.is_empty() {
        return out.guard_plan(&plan, None);
    }
    let outcome = match promos.apply_guard(&plan).await {
        Ok(outcome) => outcome,
        Err(stopped) => {
            let sent = stopped.outcome.requests;
            let left = stopped.remaining.requests();
            let hint = format!(
                "{sent} of {} requests were applied; run the same command again to send the rest (repeating an applied request changes nothing)",
                sent + left.updates + left.deletes
            );
            let promo = stopped.promo_id.clone();
            return Err(anyhow::Error::from(yandex_promo::Error::from(stopped))
                .context(format!("the guard stopped at promo {promo}"))
                .context(hint));
        }
    };
    out.guard_plan(&plan, Some(&outcome))?;
    let refused: usize = outcome
        .promos
        .iter()
        .map(|p| p.updated.rejected.len() + p.deleted.rejected.len())
        .sum();
    if refused == 0 {
        Ok(())
    } else {
        Err(Reported(format!("Market refused {refused} offers")).into())
    }
}
