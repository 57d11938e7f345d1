//! `market`: Yandex Market. `market promos` lists the promotions (`promos.rs`), `market
//! offers` works on the offers of one (`offers.rs`), `market guard` keeps every promo's
//! prices at or above the seller's floors (`guard.rs`).
pub mod guard;
pub mod offers;
pub mod promos;

use clap::Subcommand;

use crate::context::Context;

#[derive(Debug, Subcommand)]
pub enum MarketCommand {
    /// List the Market promotions the business takes part in or may join.
    Promos(promos::PromosArgs),
    /// The offers of a promotion: list them, put them in or take them out, or sync them with
    /// a file.
    #[command(subcommand)]
    Offers(offers::OffersCommand),
    /// Find offers priced below your floor in every promo (Market's own additions included)
    /// and plan to raise or take them out; sends with --apply.
    Guard(guard::GuardArgs),
}

/// Runs one `market` command.
pub async fn run(command: MarketCommand, context: &mut Context) -> anyhow::Result<()> {
    match command {
        MarketCommand::Promos(args) => promos::run(args, context).await,
        MarketCommand::Offers(command) => offers::run(command, context).await,
        MarketCommand::Guard(args) => guard::run(args, context).await,
    }
}
