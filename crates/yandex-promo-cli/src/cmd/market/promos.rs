//! `market promos`: the Market promotions the business takes part in or may join, filtered
//! by participation and type.
use clap::Args;
use yandex_promo::market::{MechanicsType, Participation};

use crate::{context::Context, vocab};

// The variant's doc comment in `market/mod.rs` is the command's help.
#[derive(Debug, Args)]
pub struct PromosArgs {
    /// Current or finished promotions the business takes part in.
    #[arg(long, value_parser = vocab::known(Participation::KNOWN, Participation::as_str))]
    participation: Option<Participation>,
    /// Only promotions of this type.
    #[arg(long, value_parser = vocab::known(MechanicsType::KNOWN, MechanicsType::as_str))]
    mechanics: Option<MechanicsType>,
}

/// Runs `market promos`.
pub async fn run(args: PromosArgs, context: &mut Context) -> anyhow::Result<()> {
    let mut list = context.market().await?.promos().list();
    if let Some(participation) = args.participation {
        list = list.participation(participation);
    }
    if let Some(mechanics) = args.mechanics {
        list = list.mechanics(mechanics);
    }
    context.out.promos(&list.send().await?)
}
