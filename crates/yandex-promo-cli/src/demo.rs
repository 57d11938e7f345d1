//! `demo`: the whole tool on an embedded sandbox, explained step by step.
use std::{path::Path, time::Duration};

use anyhow::{Context as _, bail};
use chrono::Days;
use yandex_promo::{
    Clock as _, SystemClock,
    go::{GoClient, NewOrder},
    market::{MarketAuth, MarketClient},
    raw::open::{OrderStatus, TariffClass},
};

use crate::{connect::Endpoints, export, output::Output};

/// Creates an order, waits for it, exports its codes, lists Market promos, and cancels a
/// fresh order; every step on the embedded sandbox, so it needs no credentials.
pub async fn run(endpoints: &mut Endpoints, out: Output, csv: &Path) -> anyhow::Result<()> {
    let sandbox = endpoints.sandbox().await?;
    eprintln!(
        "note: the demo runs on an embedded sandbox at {}",
        sandbox.market_base_url()
    );
    let go = GoClient::builder()
        .token("demo")
        .base_url(sandbox.go_base_url())
        .build()?;
    let market = MarketClient::builder(MarketAuth::api_key("demo"), 1)
        .base_url(sandbox.market_base_url())
        .build()?;
    let orders = go.promocodes().order();
    let until = SystemClock.today() + Days::new(30);

    step(1, "create an order of 250 taxi codes worth 500 each");
    let order = NewOrder::new(500, 250, until)
        .name("yandex-promo demo")
        .classes([TariffClass::Econom]);
    let created = orders.create(order).send().await?;
    println!(
        "   order {} (idempotency token {})",
        created.order_id, created.idempotency_token
    );

    step(2, "wait until the order is issued");
    let mut polls = 0;
    let issued = loop {
        let order = orders.get(&created.order_id).await?;
        match order.status {
            OrderStatus::CreationSuccess => break order,
            OrderStatus::Pending if polls < 100 => {}
            other => bail!("the order ended as {other}"),
        }
        polls += 1;
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let cost = issued
        .pricing
        .as_ref()
        .map(|p| format!("{} {}", p.cost_with_vat, p.currency))
        .unwrap_or_default();
    println!(
        "   {} after {polls} polls; costs {cost} with VAT",
        issued.status
    );

    step(3, "export its codes to CSV");
    let written = export::codes(&go, created.order_id.as_str(), export::Format::Csv, csv)
        .await
        .context("export")?;
    println!("   wrote {written} codes to {}", csv.display());

    step(4, "list the Market promotions the business may join");
    let promos = market.promos().list().send().await?;
    if out.json {
        println!("{}", serde_json::to_string(&promos)?);
    } else {
        for promo in &promos {
            println!(
                "   {:<22} {:<18} {}",
                promo.id, promo.mechanics_info.type_, promo.name
            );
        }
    }

    step(5, "create another order and cancel it");
    let spare = orders.create(NewOrder::new(100, 5, until)).send().await?;
    orders.cancel(&spare.order_id).await?;
    let status = orders.get(&spare.order_id).await?.status;
    println!("   order {} is now {status}", spare.order_id);

    println!(
        "done: 2 orders created, {written} codes exported, {} promotions listed, 1 order cancelled",
        promos.len()
    );
    Ok(())
}

fn step(number: u32, what: &str) {
    println!("{number}. {what}");
}
