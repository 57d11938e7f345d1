//! The margin guard: in every promo, find the offers priced below the seller's floor (Market's
//! own additions included), plan to raise or take them out, apply the plan, and check that a
//! second run plans nothing.
//!
//! Runs offline on an in-process sandbox, with the floors the sandbox suggests (75% of each
//! catalogue price), and applies the plan there. With `YANDEX_MARKET_API_KEY` (or
//! `YANDEX_MARKET_OAUTH_TOKEN`) and `YANDEX_MARKET_BUSINESS_ID` it reads the real API, takes
//! the floors from a CSV file (`offer_id,floor`, whole roubles) and only prints the plan,
//! unless `--apply` is given:
//!
//! ```sh
//! cargo run -p yandex-promo --example market_guard
//! cargo run -p yandex-promo --example market_guard -- --floors floors.csv [--apply]
//! ```
mod support;

use anyhow::Context as _;
use yandex_promo::market::{Floors, GuardPlan, MarketAuth, MarketClient, RateLimit};
use yandex_promo_sandbox::RunningSandbox;

/// The rows of a floors file: a header, then `offer_id,floor` per line.
fn read_floors(path: &str) -> anyhow::Result<Vec<(String, u64)>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {path}"))?;
    let mut rows = Vec::new();
    for (index, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let (offer_id, floor) = line
            .split_once(',')
            .with_context(|| format!("{path} line {}: expected offer_id,floor", index + 1))?;
        let floor = floor
            .trim()
            .parse()
            .with_context(|| format!("{path} line {}: floor {floor:?}", index + 1))?;
        rows.push((offer_id.to_owned(), floor));
    }
    Ok(rows)
}

/// One line per promo of the plan, then its counts.
fn print(plan: &GuardPlan) {
    for promo in &plan.promos {
        println!(
            "{} ({}): {} to raise, {} to take out",
            promo.promo_id,
            promo.name,
            promo.raise.len(),
            promo.take_out.len()
        );
        for raise in &promo.raise {
            let offer = &raise.update.offer_id;
            println!(
                "  raise {offer}: {} -> {}",
                raise.promo_price_now, raise.floor
            );
        }
        for out in &promo.take_out {
            let (offer, price, floor) = (&out.offer_id, out.price_in_promo, out.floor);
            println!(
                "  take out {offer} ({}): {price} < {floor}, {}",
                out.status, out.why
            );
        }
    }
    let requests = plan.requests();
    println!("plan: {plan}");
    println!(
        "an apply sends {} updatePromoOffers and {} deletePromoOffers requests",
        requests.updates, requests.deletes
    );
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
    let args: Vec<String> = std::env::args().collect();
    let rows = match (&sandbox, args.iter().position(|a| a == "--floors")) {
        (_, Some(at)) => read_floors(args.get(at + 1).context("--floors needs a file")?)?,
        (Some(sandbox), None) => sandbox.handle().demo_floors(),
        (None, None) => anyhow::bail!("give the seller's floors: --floors floors.csv"),
    };
    // Every bad row is named at once.
    let floors = Floors::new(rows)?;
    let apply = sandbox.is_some() || args.iter().any(|a| a == "--apply");
    let promos = market.promos();

    let plan = promos.guard(&floors).await?;
    print(&plan);
    if !apply || plan.is_empty() {
        return Ok(());
    }
    let outcome = match promos.apply_guard(&plan).await {
        Ok(outcome) => outcome,
        Err(stopped) => {
            eprintln!("{stopped}: {}; sending the rest once more", stopped.error);
            promos.apply_guard(&stopped.remaining).await?
        }
    };
    for promo in &outcome.promos {
        println!(
            "{}: {} raised, {} taken out, {} refused",
            promo.promo_id,
            promo.updated.applied.len(),
            promo.deleted.removed.len(),
            promo.updated.rejected.len() + promo.deleted.rejected.len()
        );
    }
    println!("{} requests sent", outcome.requests);
    if sandbox.is_some() {
        // The sandbox applies changes at once (Market takes 4 to 6 hours).
        let again = promos.guard(&floors).await?;
        println!("again: {again}");
    }
    Ok(())
}
