//! The seller's loop: list the promos, list the offers of a direct-discount promo, decide a
//! promo price for each offer that may join, plan a sync, and apply it.
//!
//! Runs offline on an in-process sandbox and applies the plan there. With
//! `YANDEX_MARKET_API_KEY` (or `YANDEX_MARKET_OAUTH_TOKEN`) and `YANDEX_MARKET_BUSINESS_ID` it
//! reads the real API and only prints the plan, unless `--apply` is given:
//!
//! ```sh
//! cargo run -p yandex-promo --example market_sync
//! ```
mod support;

use futures::TryStreamExt as _;
use yandex_promo::market::{
    MarketAuth, MarketClient, MechanicsType, OfferStatus, OfferUpdate, Participation, PromoOffer,
    RateLimit, max_promo_price,
};
use yandex_promo_sandbox::RunningSandbox;

/// The promo price this example asks for: 15% off, or the cap Market set if that is lower.
fn desired(offer: &PromoOffer, price: u64) -> OfferUpdate {
    let cap = max_promo_price(offer).unwrap_or(u64::MAX);
    let promo_price = (price * 85 / 100).min(cap);
    OfferUpdate::for_offer(offer, price, promo_price)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let (market, sandbox) = support::real_or_sandbox(
        MarketClient::from_env(),
        "Market credentials",
        RunningSandbox::market_base_url,
        |sandbox| {
            MarketClient::builder(MarketAuth::api_key("sandbox"), 1)
                .base_url(sandbox.market_base_url())
                .rate_limit(RateLimit::get_promos())
                .offers_rate_limit(RateLimit::promo_offers())
                .build()
        },
    )
    .await?;
    let apply = sandbox.is_some() || std::env::args().any(|a| a == "--apply");
    let promos = market.promos();

    let current = promos
        .list()
        .participation(Participation::ParticipatingNow)
        .mechanics(MechanicsType::DirectDiscount)
        .send()
        .await?;
    let Some(promo) = current.first() else {
        println!("no current direct-discount promo");
        return Ok(());
    };
    println!("promo {} ({})", promo.id, promo.name);

    let offers: Vec<PromoOffer> = promos
        .offers(promo.id.as_str())
        .page_size(500)
        .stream()
        .try_collect()
        .await?;
    // Keep the seller's offers at their price; add those that may join, at 1,000 roubles
    // struck through (a real seller reads the price from the catalogue).
    let wanted: Vec<OfferUpdate> = offers
        .iter()
        .filter_map(|offer| {
            let price = offer.params.discount_params.as_ref()?.price;
            match offer.status {
                OfferStatus::Manual => Some(desired(offer, u64::try_from(price?).ok()?)),
                OfferStatus::NotParticipating => Some(desired(offer, 1000)),
                _ => None,
            }
        })
        .collect();
    let plan = promos.sync(promo.id.as_str(), wanted).await?;
    println!("{} offers: {plan}", offers.len());
    if !apply || plan.is_empty() {
        return Ok(());
    }
    let outcome = promos.apply(promo.id.as_str(), &plan).await?;
    println!(
        "applied {}, refused {}, warned {}",
        outcome.updated.applied.len(),
        outcome.updated.rejected.len(),
        outcome.updated.warned.len()
    );
    for refused in &outcome.updated.rejected {
        println!("  {}: {}", refused.offer_id, refused.reason);
    }
    Ok(())
}
