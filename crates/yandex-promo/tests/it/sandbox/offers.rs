//! A promo's offers through the client against the sandbox: listing at scale, batched updates
//! and deletes with merged outcomes, the documented rejections and warnings, the delay before
//! a change shows, stable page tokens, the per-operation budgets, and a sync that converges.
use std::{collections::HashSet, time::Duration};

use futures::TryStreamExt as _;
use yandex_promo::{
    Error,
    market::{OfferStatus, OfferUpdate, PromoOffer, RejectReason, StatusFilter, WarningCode},
};
use yandex_promo_sandbox::SandboxConfig;

use crate::support::{
    all_offers, assert_conforms, requests_to, sandbox, sandbox_market as market, valid_update,
};

const PROMO: &str = "sb_direct_now";

#[tokio::test]
async fn streaming_100_000_offers_in_200_pages_yields_each_exactly_once() {
    let sandbox = sandbox(SandboxConfig {
        record_responses: false,
        ..SandboxConfig::default()
    })
    .await;
    let seeded = sandbox.handle().seed_offers(PROMO, 100_000 - 60);
    assert_eq!(seeded, Some(100_000));
    let offers = all_offers(&market(&sandbox), PROMO, 500).await;
    let ids: HashSet<&str> = offers.iter().map(|o| o.offer_id.as_str()).collect();
    assert_eq!((offers.len(), ids.len()), (100_000, 100_000));
    assert_eq!(requests_to(&sandbox, "/promos/offers"), 200);
}

#[tokio::test]
async fn an_update_of_2600_offers_is_6_requests_and_the_outcome_accounts_for_every_offer() {
    let sandbox = sandbox(SandboxConfig::default()).await;
    sandbox.handle().seed_offers(PROMO, 3000);
    let market = market(&sandbox);
    let listed = all_offers(&market, PROMO, 500).await;
    let mut updates: Vec<OfferUpdate> = listed.iter().take(2590).map(valid_update).collect();
    // Ten the client cannot judge: five outside the catalogue, five in no promo.
    updates.extend((0..5).map(|i| OfferUpdate::new(format!("NOPE-{i}"), 1000, 500)));
    updates.extend((101..106).map(|n| OfferUpdate::new(format!("SKU-{n:04}"), 1000, 500)));
    let before = requests_to(&sandbox, "/offers/update");
    let outcome = market
        .promos()
        .update(PROMO, updates)
        .await
        .expect("update");
    assert_eq!(requests_to(&sandbox, "/offers/update") - before, 6);
    assert_eq!(outcome.requests, 6);
    assert_eq!(outcome.applied.len(), 2590);
    let reasons: Vec<&RejectReason> = outcome.rejected.iter().map(|r| &r.reason).collect();
    assert_eq!(reasons.len(), 10);
    assert_eq!(
        reasons
            .iter()
            .filter(|r| ***r == RejectReason::OfferDoesNotExist)
            .count(),
        5
    );
    assert_eq!(
        reasons
            .iter()
            .filter(|r| ***r == RejectReason::OfferNotEligibleForPromo)
            .count(),
        5
    );
    let warned: HashSet<&str> = outcome.warned.iter().map(|w| w.offer_id.as_str()).collect();
    assert!(
        warned
            .iter()
            .all(|id| outcome.applied.iter().any(|a| a == id))
    );
    assert!(assert_conforms(&sandbox) > 10);
}

#[tokio::test]
async fn rejections_and_warnings_come_back_per_offer_and_applied_offers_show_as_manual() {
    let sandbox = sandbox(SandboxConfig::default()).await;
    let market = market(&sandbox);
    let listed = all_offers(&market, PROMO, 500).await;
    let by_id = |id: &str| listed.iter().find(|o| o.offer_id == id).expect("seeded");
    // SKU-0005 is not in the promo and caps the promo price at 90% of 685 = 616; SKU-0007 has
    // a shop selling at 85% of 759 = 645.
    let updates = [
        OfferUpdate::for_offer(by_id("SKU-0005"), 1000, 600),
        OfferUpdate::for_offer(by_id("SKU-0007"), 1000, 680),
        OfferUpdate::new("SKU-0006", 1000, 300),
    ];
    let outcome = market
        .promos()
        .update(PROMO, updates)
        .await
        .expect("update");
    assert_eq!(outcome.applied, ["SKU-0005", "SKU-0007", "SKU-0006"]);
    assert!(outcome.rejected.is_empty());
    let warnings = |id: &str| -> Vec<WarningCode> {
        outcome
            .warned
            .iter()
            .find(|w| w.offer_id == id)
            .map(|w| w.warnings.iter().map(|w| w.code.clone()).collect())
            .unwrap_or_default()
    };
    assert_eq!(
        warnings("SKU-0007"),
        [WarningCode::ShopPricesAreLowerThanPromo]
    );
    assert_eq!(warnings("SKU-0006"), [WarningCode::DeepDiscountOffer]);
    assert!(warnings("SKU-0005").is_empty());

    // Over the cap without telling the client the cap: Market's rejection, not ours.
    let blind = OfferUpdate::new("SKU-0009", 1000, 900);
    let outcome = market.promos().update(PROMO, [blind]).await.expect("sent");
    assert_eq!(
        outcome.rejected[0].reason,
        RejectReason::MaxPromoPriceExceeded
    );
    assert!(outcome.applied.is_empty());

    let manual: Vec<PromoOffer> = market
        .promos()
        .offers(PROMO)
        .statuses([StatusFilter::ManuallyAdded])
        .stream()
        .try_collect()
        .await
        .expect("manual offers");
    let five = manual
        .iter()
        .find(|o| o.offer_id == "SKU-0005")
        .expect("added");
    let prices = five.params.discount_params.as_ref().expect("discount");
    assert_eq!((prices.price, prices.promo_price), (Some(1000), Some(600)));
    assert!(manual.iter().all(|o| o.status == OfferStatus::Manual));
    assert!(assert_conforms(&sandbox) >= 4);
}

#[tokio::test]
async fn the_client_refuses_bad_offers_before_sending_naming_each_one() {
    let sandbox = sandbox(SandboxConfig::default()).await;
    let market = market(&sandbox);
    let offers = [
        OfferUpdate::new("SKU-0001", 1000, 990),
        OfferUpdate::new("SKU-0001", 1000, 500),
        OfferUpdate::new("", 0, 5),
    ];
    let error = market
        .promos()
        .update(PROMO, offers)
        .await
        .expect_err("invalid");
    assert_eq!(error.batches_sent, 0);
    assert_eq!(error.unsent.len(), 3);
    let Error::Validation(invalid) = error.error else {
        panic!("not a validation error: {:?}", error.error);
    };
    let fields: Vec<&str> = invalid
        .violations
        .iter()
        .map(|v| v.field.as_str())
        .collect();
    assert_eq!(
        fields,
        [
            "offers[\"SKU-0001\"].promo_price",
            "offers[1].offer_id",
            "offers[2].offer_id",
            "offers[2].price",
        ]
    );
    assert_eq!(requests_to(&sandbox, "/offers/update"), 0);
}

#[tokio::test]
async fn deletes_take_offers_out_and_delete_all_leaves_the_promo() {
    let sandbox = sandbox(SandboxConfig::default()).await;
    let market = market(&sandbox);
    let outcome = market
        .promos()
        .delete(PROMO, ["SKU-0001", "SKU-0002", "SKU-0001", "MISSING"])
        .await
        .expect("delete");
    assert_eq!(outcome.removed, ["SKU-0001", "SKU-0002"]);
    assert_eq!(outcome.rejected[0].offer_id, "MISSING");
    let listed = all_offers(&market, PROMO, 500).await;
    let status = |id: &str| {
        listed
            .iter()
            .find(|o| o.offer_id == id)
            .map(|o| o.status.clone())
    };
    assert_eq!(status("SKU-0001"), Some(OfferStatus::NotParticipating));

    market.promos().delete_all(PROMO).await.expect("delete all");
    let promos = market.promos().list().send().await.expect("promos");
    let direct = promos.iter().find(|p| p.id == PROMO).expect("listed");
    assert_eq!(direct.assortment_info.active_offers, 0);
    assert!(!direct.participating);
    assert!(assert_conforms(&sandbox) >= 4);
}

#[tokio::test]
async fn a_change_is_processing_until_the_delay_passes_and_invisible_until_then() {
    let sandbox = sandbox(SandboxConfig {
        market_apply_delay: Duration::from_secs(3600),
        ..SandboxConfig::default()
    })
    .await;
    let market = market(&sandbox);
    let processing = |promos: &[yandex_promo::market::Promo]| {
        promos
            .iter()
            .find(|p| p.id == PROMO)
            .and_then(|p| p.assortment_info.processing)
    };
    let before = market.promos().list().send().await.expect("promos");
    assert_eq!(processing(&before), Some(false));
    market
        .promos()
        .delete(PROMO, ["SKU-0001"])
        .await
        .expect("delete");
    let after = market.promos().list().send().await.expect("promos");
    assert_eq!(processing(&after), Some(true));
    let listed = all_offers(&market, PROMO, 500).await;
    let first = listed
        .iter()
        .find(|o| o.offer_id == "SKU-0001")
        .expect("seeded");
    assert_eq!(first.status, OfferStatus::Manual, "not visible for an hour");
}

#[tokio::test]
async fn after_the_delay_a_change_shows_in_the_offers_and_the_promo() {
    let sandbox = sandbox(SandboxConfig {
        market_apply_delay: Duration::from_millis(300),
        ..SandboxConfig::default()
    })
    .await;
    let market = market(&sandbox);
    let direct = |promos: Vec<yandex_promo::market::Promo>| {
        promos.into_iter().find(|p| p.id == PROMO).expect("listed")
    };
    let before = direct(market.promos().list().send().await.expect("promos"));
    market
        .promos()
        .delete(PROMO, ["SKU-0001", "SKU-0002"])
        .await
        .expect("delete");
    // Not a timing claim: it waits as long as it must, up to a generous bound.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let after = loop {
        let promo = direct(market.promos().list().send().await.expect("promos"));
        if promo.assortment_info.processing == Some(false) {
            break promo;
        }
        assert!(std::time::Instant::now() < deadline, "still processing");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(
        after.assortment_info.active_offers,
        before.assortment_info.active_offers - 2
    );
    let listed = all_offers(&market, PROMO, 500).await;
    let first = listed
        .iter()
        .find(|o| o.offer_id == "SKU-0001")
        .expect("seeded");
    assert_eq!(first.status, OfferStatus::NotParticipating);
}

#[tokio::test]
async fn a_page_token_stays_valid_while_offers_change() {
    let sandbox = sandbox(SandboxConfig::default()).await;
    let market = market(&sandbox);
    let first = market
        .promos()
        .offers(PROMO)
        .page_size(10)
        .send()
        .await
        .expect("page");
    let next = first.next_cursor.clone().expect("more pages");
    market
        .promos()
        .delete(PROMO, ["SKU-0001", "SKU-0011", "SKU-0012"])
        .await
        .expect("delete");
    let second = market
        .promos()
        .offers(PROMO)
        .page_size(10)
        .resume_from(next)
        .send()
        .await
        .expect("page");
    let ids: Vec<&str> = second.items.iter().map(|o| o.offer_id.as_str()).collect();
    assert_eq!(ids.first(), Some(&"SKU-0011"));
    assert_eq!(ids.len(), 10);
    assert_eq!(second.items[0].status, OfferStatus::NotParticipating);
}

#[tokio::test]
async fn each_offers_operation_has_its_own_budget() {
    let sandbox = sandbox(SandboxConfig {
        market_offers_budget: 1,
        market_budget: 1,
        ..SandboxConfig::default()
    })
    .await;
    let market = market(&sandbox);
    let promos = market.promos();
    promos.offers(PROMO).send().await.expect("first list");
    promos.list().send().await.expect("getPromos counts apart");
    promos
        .delete(PROMO, ["SKU-0001"])
        .await
        .expect("delete counts apart");
    let update = promos.update(PROMO, [OfferUpdate::new("SKU-0002", 1000, 800)]);
    update.await.expect("update counts apart");
    let error = promos.offers(PROMO).send().await.expect_err("over budget");
    assert!(
        matches!(
            error,
            Error::RateLimited {
                operation: "getPromoOffers",
                status: 420,
                until: Some(_),
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_sync_plans_applies_and_then_plans_nothing() {
    let sandbox = sandbox(SandboxConfig::default()).await;
    let market = market(&sandbox);
    let promos = market.promos();
    let listed = all_offers(&market, PROMO, 500).await;
    // Desired: the first five offers of the listing, whatever Market has done with them.
    let desired: Vec<OfferUpdate> = listed.iter().take(5).map(valid_update).collect();
    let plan = promos.sync(PROMO, desired.clone()).await.expect("plan");
    assert!(!plan.is_empty());
    assert!(
        plan.leave_alone
            .iter()
            .all(|o| matches!(o.status, OfferStatus::Auto | OfferStatus::PartiallyAuto))
    );
    let removed = plan.remove.len();
    assert!(removed > 10, "the other manual offers go: {removed}");
    let outcome = promos.apply(PROMO, &plan).await.expect("apply");
    assert!(outcome.updated.rejected.is_empty());
    assert_eq!(outcome.deleted.removed.len(), removed);

    let again = promos.sync(PROMO, desired).await.expect("plan");
    assert!(again.is_empty(), "{again:?}");
    assert_eq!(again.unchanged, 5);
    assert_eq!(again.leave_alone, plan.leave_alone);
}
