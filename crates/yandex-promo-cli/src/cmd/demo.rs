//! `demo`: the whole tool on an embedded sandbox, explained step by step. For people each
//! step is printed as it happens; with `--json` the same facts come as one document at the
//! end. Its last step has riders use codes at chosen times (through the sandbox's handle,
//! as no API call can) and prints the usage report of `report`, table and chart.
use std::{path::PathBuf, time::Duration};

use anyhow::{Context as _, bail};
use chrono::{Days, FixedOffset, TimeDelta, Utc};
use clap::Args;
use serde::Serialize;
use yandex_promo::{
    Clock as _, SystemClock,
    go::{
        Circle, Code, CreatedOrder, GeoRestriction, GoClient, NewOrder, NewZone, OrderId,
        OrderSelection, UsageReport, Zone,
    },
    market::{
        Floors, GuardOutcome, GuardPlan, MarketClient, OfferStatus, OfferUpdate, Promo, PromoOffer,
        SyncPlan, UpdateOutcome, max_promo_price,
    },
    raw::open::{OrderStatus, TariffClass},
};
use yandex_promo_sandbox::SandboxHandle;

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
    guarded: Guarded,
    cancelled: Cancelled,
    /// The usage report of the first order, after riders used some of its codes.
    usage: UsageReport,
}

/// The Market part: a promo's offers, an update with a refusal, and a sync's plan.
#[derive(Debug, Serialize)]
struct Offers {
    promo_id: String,
    listed: usize,
    updated: UpdateOutcome,
    plan: SyncPlan,
}

/// The margin guard: its plan against the sandbox's demo floors, what applying it did, and
/// the plan made again afterwards (empty).
#[derive(Debug, Serialize)]
struct Guarded {
    plan: GuardPlan,
    applied: GuardOutcome,
    again: GuardPlan,
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
/// exports its codes, lists Market promos, puts offers in one and plans a sync of it, guards
/// the seller's margins in every promo, cancels a fresh order, and reports the usage of the
/// first order once riders used some codes; every step on the embedded sandbox, so it needs
/// no credentials.
pub async fn run(args: DemoArgs, context: &mut Context) -> anyhow::Result<()> {
    let csv = &args.output;
    let out = context.out;
    let sandbox = context.sandbox().await?;
    let handle = sandbox.handle().clone();
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
        .max_usages_count(2)
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

    let guarded = guard(&market, &handle, out).await?;

    out.step(10, "create another order and cancel it");
    let spare = orders.create(NewOrder::new(100, 5, until)).send().await?;
    orders.cancel(&spare.order_id).await?;
    let status = orders.get(&spare.order_id).await?.status;
    out.detail(&format!("order {} is now {status}", spare.order_id));

    let usage = usage_report(&go, &handle, &created.order_id, out).await?;

    let summary = format!(
        "done: 1 zone and 2 orders created, {written} codes exported, {} promotions listed, {} offers put in a promo, {} raised to their floor and {} taken out in {} promos, 1 order cancelled, {} code usages reported",
        promos.len(),
        offers.updated.applied.len(),
        guarded
            .applied
            .promos
            .iter()
            .map(|p| p.updated.applied.len())
            .sum::<usize>(),
        guarded
            .applied
            .promos
            .iter()
            .map(|p| p.deleted.removed.len())
            .sum::<usize>(),
        guarded.applied.promos.len(),
        usage.totals.figures.usages
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
        guarded,
        cancelled: Cancelled {
            order_id: spare.order_id,
            status,
        },
        usage,
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

/// Step 9: the margin guard with the seller's floors the sandbox suggests (75% of each
/// offer's catalogue price): the offers below them in every promo, Market's own additions
/// among them, raised or taken out; then the plan made again, which has nothing left to do.
async fn guard(
    market: &MarketClient,
    handle: &SandboxHandle,
    out: Output,
) -> anyhow::Result<Guarded> {
    let promos = market.promos();
    out.step(
        9,
        "guard the seller's margins: find offers below their floor in every promo, and raise or take them out",
    );
    let floors = Floors::new(handle.demo_floors())?;
    out.detail(&format!(
        "floors for {} offers (75% of the catalogue price)",
        floors.len()
    ));
    let plan = promos.guard(&floors).await?;
    for promo in &plan.promos {
        let market_added = promo
            .take_out
            .iter()
            .filter(|t| t.status != OfferStatus::Manual)
            .count();
        out.detail(&format!(
            "{:<22} {} to raise, {} to take out ({market_added} added by Market)",
            promo.promo_id,
            promo.raise.len(),
            promo.take_out.len()
        ));
    }
    out.detail(&format!("plan: {plan}"));
    let applied = promos.apply_guard(&plan).await?;
    out.detail(&format!("applied in {} requests", applied.requests));
    let again = promos.guard(&floors).await?;
    let verdict = if again.is_empty() {
        "nothing to do"
    } else {
        "still to do"
    };
    out.detail(&format!("planned again: {verdict} ({again})"));
    Ok(Guarded {
        plan,
        applied,
        again,
    })
}

/// When riders used the demo order's codes: (days before today, how many usages), one code
/// after another, each at its own hour of the day (UTC).
const USES: [(u64, usize); 6] = [(6, 3), (5, 7), (4, 12), (3, 9), (2, 5), (1, 2)];

/// Step 11: riders use codes of the order `used` over the last six days (the sandbox's
/// handle records each usage at its time; the first code is used twice, as the order
/// allows), then its usage report, printed as `report` prints it. (Only this order: the
/// cancelled one lists its codes or not depending on how long ago it was made.)
async fn usage_report(
    go: &GoClient,
    handle: &SandboxHandle,
    used: &OrderId,
    out: Output,
) -> anyhow::Result<UsageReport> {
    use futures::{StreamExt as _, TryStreamExt as _};
    let needed: usize = USES.iter().map(|(_, n)| n).sum();
    let codes: Vec<Code> = go
        .promocodes()
        .order()
        .code()
        .list(used)
        .stream()
        .take(needed)
        .try_collect()
        .await?;
    out.step(
        11,
        &format!(
            "riders use {needed} codes of the first order over six days, one of them twice; report its usage"
        ),
    );
    let midnight = Utc::now()
        .date_naive()
        .and_time(chrono::NaiveTime::MIN)
        .and_utc();
    let times = USES
        .iter()
        .flat_map(|&(days, n)| std::iter::repeat_n(days, n))
        .enumerate()
        .map(|(k, days)| {
            let hour = i64::try_from(8 + (k * 5) % 13).unwrap_or(8);
            let minute = i64::try_from((k * 17) % 60).unwrap_or(0);
            midnight - TimeDelta::days(i64::try_from(days).unwrap_or(1))
                + TimeDelta::hours(hour)
                + TimeDelta::minutes(minute)
        });
    for (code, at) in codes.iter().zip(times) {
        handle.record_usage(used.as_str(), code.id.as_str(), at)?;
    }
    let first = codes.first().context("the order lists codes")?;
    let again = midnight - TimeDelta::days(1) + TimeDelta::hours(19);
    handle.record_usage(used.as_str(), first.id.as_str(), again)?;
    let utc = FixedOffset::east_opt(0).context("UTC")?;
    let report = go
        .promocodes()
        .usage(OrderSelection::Ids(vec![used.clone()]))
        .time_zone(utc)
        .run()
        .await?;
    for line in output::go::usage(&report, utc, output::width().saturating_sub(3)).lines() {
        out.detail(line);
    }
    Ok(report)
}
