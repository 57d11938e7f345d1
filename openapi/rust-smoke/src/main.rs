//! Smoke test of a Rust client of our specs that progenitor did not write: the modules that
//! openapi-to-rust generates from each spec (`rust_smoke::go_business`,
//! `rust_smoke::market_partner`), used as generated.
//!
//! Run by `cargo xtask rust-client` against a running sandbox:
//!     rust-smoke http://127.0.0.1:PORT
//!
//! It mirrors ../../ts-smoke/smoke.cts: create an order (twice with one idempotency token),
//! read it until its codes are issued, list its codes in two pages; create a geo zone and list
//! the zones; list Market promos, list the offers of one promotion in two pages and update two
//! of them, one applied and one rejected with its reason. Every step checks what it got, and
//! any failure exits non-zero.
#![deny(warnings)]

use std::{collections::BTreeMap, error::Error, time::Duration};

use rust_smoke::{go_business as go, market_partner as market};

type Outcome<T = ()> = Result<T, Box<dyn Error>>;

/// Fails the smoke test with `message` unless `condition` holds.
fn check(condition: bool, message: impl FnOnce() -> String) -> Outcome {
    if condition {
        Ok(())
    } else {
        Err(message().into())
    }
}

async fn go_business(base: &str) -> Outcome {
    let go = go::HttpClient::new()
        .with_base_url(format!("{base}/integration/2.0"))
        .with_api_key("rust-smoke");
    let active_until = chrono::Utc::now().date_naive() + chrono::Days::new(30);
    let mut order = go::PromocodeOrder::new(active_until, 5, 500);
    order.name = Some("rust smoke".to_owned());
    order.service = Some(go::Service::Taxi);
    let token = uuid::Uuid::new_v4().to_string();
    let created = go
        .create_promocode_order(None::<&str>, &token, order.clone())
        .await?;
    let again = go
        .create_promocode_order(None::<&str>, &token, order)
        .await?;
    let order_id = created.order_id;
    check(again.order_id == order_id, || {
        format!(
            "the idempotency token created a second order: {}",
            again.order_id
        )
    })?;

    // Orders are issued asynchronously: poll until the codes exist, as the spec says.
    let mut info = go.get_promocode_order(&order_id, None::<&str>).await?;
    for _ in 0..200 {
        if info.status != "pending" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        info = go.get_promocode_order(&order_id, None::<&str>).await?;
    }
    check(info.status == "creation_success", || {
        format!("order status {}", info.status)
    })?;
    check(
        info.order_id == order_id && info.count == 5 && info.value == 500,
        || format!("{} × {}", info.count, info.value),
    )?;
    check(info.service == go::Service::Taxi, || {
        format!("service {}", info.service)
    })?;
    let cost = match &info.pricing.cost {
        go::Amount::String(text) => text.parse::<f64>()?,
        go::Amount::Number(number) => *number,
    };
    check(cost == 2500.0, || format!("cost {cost}"))?;

    let first = go
        .list_promocode_order_codes(&order_id, Some(3), None::<&str>, None::<&str>)
        .await?;
    let cursor = first.next_cursor.clone().flatten().unwrap_or_default();
    check(first.codes.len() == 3 && !cursor.is_empty(), || {
        format!("page 1: {first:?}")
    })?;
    let second = go
        .list_promocode_order_codes(&order_id, Some(3), Some(&cursor), None::<&str>)
        .await?;
    let last = second.next_cursor.clone().flatten().unwrap_or_default();
    check(second.codes.len() == 2 && last.is_empty(), || {
        format!("page 2: {second:?}")
    })?;
    let distinct: std::collections::BTreeSet<_> = first
        .codes
        .iter()
        .chain(&second.codes)
        .map(|code| &code.code)
        .collect();
    check(distinct.len() == 5, || {
        format!("{} distinct codes, not 5", distinct.len())
    })?;

    // The centre is [longitude, latitude]: the office near Paveletskaya, Moscow.
    let centre = vec![37.642639, 55.734894];
    let zone = go::ZoneRequest {
        name: format!("rust smoke office {}", &token[..8]),
        geo_type: "circle".to_owned(),
        geo: go::ZoneCircle {
            center: centre.clone(),
            radius: 300,
        },
    };
    let zone_id = go.create_geo_restriction(None::<&str>, zone).await?.id;
    let zones = go
        .list_geo_restrictions(Some(1), Some(0), None::<&str>)
        .await?;
    let listed = zones.items.first();
    check(
        zones.amount >= 1 && listed.is_some_and(|zone| zone.id == zone_id),
        || format!("zones {zones:?}"),
    )?;
    check(listed.is_some_and(|zone| zone.geo.center == centre), || {
        format!("centre {listed:?}")
    })?;
    println!("go-business: order {order_id}, 5 codes in 2 pages; zone {zone_id} made and listed");
    Ok(())
}

/// A DIRECT_DISCOUNT promotion of the sandbox with 60 eligible offers, SKU-0001..SKU-0060.
const DIRECT_PROMO: &str = "sb_direct_now";
const BUSINESS: i64 = 42;

/// One page of a promotion's offers, 40 at a time.
async fn offers(
    market: &market::HttpClient,
    page_token: Option<&str>,
) -> Outcome<(Vec<market::GetPromoOfferDTO>, Option<String>)> {
    let request = market::GetPromoOffersRequest::new(DIRECT_PROMO.to_owned());
    let page = market
        .get_promo_offers(BUSINESS, page_token, Some(40), request)
        .await?;
    check(page.status == market::ApiResponseStatusType::Ok, || {
        format!("getPromoOffers status {}", page.status)
    })?;
    let result = page.result.ok_or("getPromoOffers: no result")?;
    let next = result.paging.and_then(|paging| paging.next_page_token);
    Ok((result.offers, next))
}

fn offer_update(offer_id: &str, price: i64, promo_price: i64) -> market::UpdatePromoOfferDTO {
    market::UpdatePromoOfferDTO {
        offer_id: offer_id.to_owned(),
        params: Some(market::UpdatePromoOfferParamsDTO {
            discount_params: Some(market::UpdatePromoOfferDiscountParamsDTO {
                price: Some(price),
                promo_price: Some(promo_price),
            }),
        }),
    }
}

async fn market(base: &str) -> Outcome {
    // The generator sends any API key as a bearer token; Market's scheme is the `Api-Key`
    // header, which the client takes as a header of every request.
    let market = market::HttpClient::new()
        .with_base_url(base)
        .with_header("Api-Key", "rust-smoke");
    let promos = market.get_promos(BUSINESS, None).await?;
    check(promos.status == market::ApiResponseStatusType::Ok, || {
        format!("getPromos status {}", promos.status)
    })?;
    let all = promos
        .result
        .map(|result| result.promos)
        .unwrap_or_default();
    check(all.iter().any(|promo| promo.id == DIRECT_PROMO), || {
        format!("no {DIRECT_PROMO} in {} promos", all.len())
    })?;

    // 60 offers in pages of 40: the first page carries a token, the second (20 offers) none.
    let (first, next) = offers(&market, None).await?;
    let next = next.ok_or("getPromoOffers, page 1: no next page token")?;
    check(first.len() == 40, || {
        format!("page 1: {} offers", first.len())
    })?;
    let (second, last) = offers(&market, Some(&next)).await?;
    check(second.len() == 20 && last.is_none(), || {
        format!("page 2: {} offers, next {last:?}", second.len())
    })?;
    let by_id: BTreeMap<_, _> = first
        .into_iter()
        .chain(second)
        .map(|offer| (offer.offer_id.clone(), offer))
        .collect();
    check(by_id.len() == 60, || {
        format!("{} distinct offers, not 60", by_id.len())
    })?;

    // One offer to add, at its cap (maxPromoPrice), and one without a cap whose promo price is
    // above 95% of its price, so it must be rejected with PROMO_PRICE_BIGGER_THAN_MAX.
    let cap_of = |offer: &market::GetPromoOfferDTO| {
        offer
            .params
            .discount_params
            .as_ref()
            .and_then(|params| params.max_promo_price)
    };
    let mut idle = by_id.values().filter(|offer| {
        offer.status == market::PromoOfferParticipationStatusType::NotParticipating
    });
    let added = idle.clone().find(|offer| cap_of(offer).is_some());
    let refused = idle.find(|offer| cap_of(offer).is_none());
    let (Some(added), Some(refused)) = (added, refused) else {
        return Err("no offers to add, with and without a cap".into());
    };
    let cap = cap_of(added).unwrap_or_default();
    let price = cap + cap / 5;
    let request = market::UpdatePromoOffersRequest {
        promo_id: DIRECT_PROMO.to_owned(),
        offers: vec![
            offer_update(&added.offer_id, price, cap),
            offer_update(&refused.offer_id, 1000, 990),
        ],
    };
    let updated = market.update_promo_offers(BUSINESS, request).await?;
    check(updated.status == market::ApiResponseStatusType::Ok, || {
        format!("updatePromoOffers status {}", updated.status)
    })?;
    let rejected = updated
        .result
        .and_then(|result| result.rejected_offers.flatten())
        .unwrap_or_default();
    let [rejection] = rejected.as_slice() else {
        return Err(format!("rejected {rejected:?}").into());
    };
    check(rejection.offer_id == refused.offer_id, || {
        format!("rejected {}", rejection.offer_id)
    })?;
    check(
        rejection.reason == market::RejectedPromoOfferUpdateReasonType::PromoPriceBiggerThanMax,
        || format!("rejected for {}", rejection.reason),
    )?;

    // The sandbox applies changes at once (the real API takes 4-6 hours).
    let mut status = None;
    let mut page_token = None;
    loop {
        let (page, next) = offers(&market, page_token.as_deref()).await?;
        if let Some(offer) = page.iter().find(|offer| offer.offer_id == added.offer_id) {
            status = Some(offer.status.clone());
        }
        match next {
            Some(next) => page_token = Some(next),
            None => break,
        }
    }
    check(
        status == Some(market::PromoOfferParticipationStatusType::Manual),
        || format!("{} now: {status:?}", added.offer_id),
    )?;
    println!(
        "market-partner: {} promos; {DIRECT_PROMO} has 60 offers in 2 pages; {} added at \
         {cap}/{price}, {} rejected ({})",
        all.len(),
        added.offer_id,
        refused.offer_id,
        rejection.reason,
    );
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Outcome {
    let base = std::env::args()
        .nth(1)
        .ok_or("usage: rust-smoke http://127.0.0.1:PORT")?;
    go_business(&base).await?;
    market(&base).await?;
    println!("rust smoke test passed");
    Ok(())
}
