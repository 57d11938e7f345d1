//! Lists the Market promotions a business takes part in now, with their promo codes.
//!
//! Runs offline on an in-process sandbox; set `YANDEX_MARKET_API_KEY` (or
//! `YANDEX_MARKET_OAUTH_TOKEN`) and `YANDEX_MARKET_BUSINESS_ID` for the real API:
//!
//! ```sh
//! cargo run -p yandex-promo --example market_promos
//! ```
mod support;

use yandex_promo::market::{MarketAuth, MarketClient, Participation, RateLimit};
use yandex_promo_sandbox::RunningSandbox;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let (market, _sandbox) = support::real_or_sandbox(
        MarketClient::from_env(),
        "Market credentials",
        RunningSandbox::market_base_url,
        |sandbox| {
            MarketClient::builder(MarketAuth::api_key("sandbox"), 1)
                .base_url(sandbox.market_base_url())
                .rate_limit(RateLimit::get_promos())
                .build()
        },
    )
    .await?;
    let promos = market
        .promos()
        .list()
        .participation(Participation::ParticipatingNow)
        .send()
        .await?;
    for promo in promos {
        let code = promo
            .mechanics_info
            .promocode_info
            .map(|info| format!(" code {} (-{}%)", info.promocode, info.discount));
        println!(
            "{} {:<18} {} .. {}{}",
            promo.id,
            promo.mechanics_info.type_,
            promo.period.date_time_from.date_naive(),
            promo.period.date_time_to.date_naive(),
            code.unwrap_or_default()
        );
    }
    Ok(())
}
