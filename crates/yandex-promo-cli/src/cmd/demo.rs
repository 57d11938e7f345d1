//! `demo`: the whole tool on an embedded sandbox, explained step by step. For people each
//! step is printed as it happens; with `--json` the same facts come as one document at the
//! end.
use std::{path::PathBuf, time::Duration};

use anyhow::{Context as _, bail};
use chrono::Days;
use clap::Args;
use serde::Serialize;
use yandex_promo::{
    Clock as _, SystemClock,
    go::{Circle, CreatedOrder, GeoRestriction, NewOrder, NewZone, OrderId, Zone},
    market::{
        MarketClient, OfferStatus, OfferUpdate, Promo, PromoOffer, SyncPlan, UpdateOutcome,
        max_promo_price,
    },
    raw::open::{OrderStatus, TariffClass},
};

use crate::{
    context::{self, Context},
    export,
    format::Format,
    output::{self, Output},
};

// The variant's doc comment in `main.rs` is the command's help.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where to write the exported codes.
    #[arg(long, default_value = "yandex-promo-demo-codes.csv")]
    output: PathBuf,
}

/// What the demo did, as `--json` prints it.
#[derive(Debug, Serialize)]
struct Report {
    zone: Zone,
    created: CreatedOrder,
    /// The order's geo restrictions as read back, as the table shows them.
    restrictions: String,
    issued: Issued,
    exported: Exported,
    promos: Vec<Promo>,
    offers: Offers,
    cancelled: Cancelled,
}

/// The Market part: a promo's offers, an update with a refusal, and a sync's plan.
#[derive(Debug, Serialize)]
struct Offers {
    promo_id: String,
    listed: usize,
    updated: UpdateOutcome,
    plan: SyncPlan,
}

#[derive(Debug, Serialize)]
struct Issued {
    status: OrderStatus,
    polls: u32,
    cost_with_vat: String,
}

#[derive(Debug, Serialize)]
struct Exported {
    codes: u64,
    file: String,
}

#[derive(Debug, Serialize)]
struct Cancelled {
    order_id: OrderId,
    status: OrderStatus,
}

/// Creates a zone around an office, orders codes for rides from it, waits for the order,
/// exports its codes, lists Market promos, puts offers in one and plans a sync of it, and
/// cancels a fresh order; every step on the embedded sandbox, so it needs no credentials.
pub async fn run(args: DemoArgs, context: &mut Context) -> anyhow::Result<()> {
    let csv = &args.output;
    let out = context.out;
    let sandbox = context.sandbox().await?;
    out.note(&format!(
        "note: the demo runs on an embedded sandbox at {}",
        sandbox.market_base_url()
    ));
    let go = context::sandbox_go(sandbox).build()?;
    let market = context::sandbox_market(sandbox).build()?;
    let orders = go.promocodes().order();
    let until = SystemClock.today() + Days::new(30);

    out.step(1, "create a zone: 300 m around the office");
    let office = Circle {
        lat: 55.734894,
        lon: 37.642639,
        radius_m: 300,
    };
    let zone = go.geo().create(NewZone::new("Office", office)).await?;
    out.detail(&format!("zone {} ({})", zone.id, zone.name));

    out.step(
        2,
        "order 250 taxi codes worth 500 each, for rides from the office",
    );
    let order = NewOrder::new(500, 250, until)
        .name("yandex-promo demo")
        .classes([TariffClass::Econom])
        .geo_restriction(GeoRestriction::from_zone(&zone));
    let created = orders.create(order).send().await?;
    out.detail(&format!(
        "order {} (idempotency token {})",
        created.order_id, created.idempotency_token
    ));

    out.step(3, "wait until the order is issued");
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
    let pricing = &issued.pricing;
    let cost = format!("{} {}", pricing.cost_with_vat, pricing.currency);
    out.detail(&format!(
        "{} after {polls} polls; costs {cost} with VAT",
        issued.status
    ));
    let restrictions = output::go::restrictions(&issued.geo_restrictions);
    out.detail(&format!("valid for rides {restrictions}"));

    out.step(4, "export its codes to CSV");
    let written = export::codes(out, &go, created.order_id.as_str(), Format::Csv, csv)
        .await
        .context("export")?;
    out.detail(&format!("wrote {written} codes to {}", csv.display()));

    out.step(5, "list the Market promotions the business may join");
    let promos = market.promos().list().send().await?;
    for promo in &promos {
        out.detail(&format!(
            "{:<22} {:<18} {}",
            promo.id, promo.mechanics_info.type_, promo.name
        ));
    }

    let offers = promo_offers(&market, out).await?;

    out.step(9, "create another order and cancel it");
    let spare = orders.create(NewOrder::new(100, 5, until)).send().await?;
    orders.cancel(&spare.order_id).await?;
    let status = orders.get(&spare.order_id).await?.status;
    out.detail(&format!("order {} is now {status}", spare.order_id));

    let summary = format!(
        "done: 1 zone and 2 orders created, {written} codes exported, {} promotions listed, {} offers put in a promo, 1 order cancelled",
        promos.len(),
        offers.updated.applied.len()
    );
    let report = Report {
        zone,
        created,
        restrictions,
        issued: Issued {
            status: issued.status,
            polls,
            cost_with_vat: cost,
        },
        exported: Exported {
            codes: written,
            file: csv.display().to_string(),
        },
        promos,
        offers,
        cancelled: Cancelled {
            order_id: spare.order_id,
            status,
        },
    };
    out.result(&report, &summary)
}

/// The promo the demo acts on: the sandbox's current direct discount.
const DEMO_PROMO: &str = "sb_direct_now";

/// Steps 6 to 8: a promo's offers, four put in (one over its cap, refused by Market with the
/// reason), and the plan that would make the promo's manual offers exactly those three.
async fn promo_offers(market: &MarketClient, out: Output) -> anyhow::Result<Offers> {
    use futures::TryStreamExt as _;
    let promos = market.promos();
    out.step(6, &format!("list the offers of promo {DEMO_PROMO}"));
    let listed: Vec<PromoOffer> = promos.offers(DEMO_PROMO).stream().try_collect().await?;
    let out_of_promo: Vec<&PromoOffer> = listed
        .iter()
        .filter(|o| o.status == OfferStatus::NotParticipating)
        .collect();
    out.detail(&format!(
        "{} offers, {} of them not in the promo",
        listed.len(),
        out_of_promo.len()
    ));
    let joinable: Vec<&PromoOffer> = out_of_promo
        .into_iter()
        .filter(|o| max_promo_price(o).is_some())
        .take(4)
        .collect();
    let [first, second, third, fourth] = joinable[..] else {
        bail!("the sandbox's promo has fewer than 4 offers to put in");
    };

    out.step(
        7,
        "put four offers in at 10% off; one above the price Market allows",
    );
    // Within the rules: at most 95% of the price and at most the offer's cap.
    let at_cap = |offer: &PromoOffer| {
        let promo_price = max_promo_price(offer).unwrap_or_default();
        OfferUpdate::for_offer(offer, promo_price * 10 / 9, promo_price)
    };
    let mut updates: Vec<OfferUpdate> = [first, second, third].into_iter().map(at_cap).collect();
    // Built without the offer, the client cannot know its cap: Market refuses it.
    let over = max_promo_price(fourth).unwrap_or_default() + 1;
    updates.push(OfferUpdate::new(
        fourth.offer_id.clone(),
        over * 10 / 9 + 1,
        over,
    ));
    let updated = promos.update(DEMO_PROMO, updates.clone()).await?;
    out.detail(&format!("applied: {}", updated.applied.join(", ")));
    for refused in &updated.rejected {
        out.detail(&format!(
            "refused: {} ({})",
            refused.offer_id, refused.reason
        ));
    }

    out.step(
        8,
        "plan a sync: the promo's manual offers should be exactly the three",
    );
    updates.pop();
    let plan = promos.sync(DEMO_PROMO, updates).await?;
    out.detail(&plan.to_string());
    Ok(Offers {
        promo_id: DEMO_PROMO.to_owned(),
        listed: listed.len(),
        updated,
        plan,
    })
}
