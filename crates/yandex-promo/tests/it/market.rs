//! Market `getPromos`: filters, typed results, 420 handling and the client-side limiter.
use std::{num::NonZeroU32, time::Duration};

use chrono::Utc;
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};
use yandex_promo::{
    Error, ErrorCode,
    market::{ChannelType, MarketAuth, MarketClient, MechanicsType, Participation, RateLimit},
};

use crate::support::{API_KEY, fast_retries, market_client, requests_sent, requests_snapshot};

fn promos_body() -> serde_json::Value {
    json!({"status": "OK", "result": {"promos": [{
        "id": "cf_1", "name": "Promo codes week", "participating": true,
        "period": {"dateTimeFrom": "2025-01-01T00:00:00Z", "dateTimeTo": "2025-01-08T00:00:00Z"},
        "assortmentInfo": {"activeOffers": 12, "potentialOffers": 40, "processing": false},
        "mechanicsInfo": {"type": "MARKET_PROMOCODE", "promocodeInfo": {"promocode": "WEEK10", "discount": 10}},
        "bestsellerInfo": {"bestseller": false},
        "channels": ["PUSH", "CPA"],
        "constraints": {"warehouseIds": [101, 102]}
    }]}})
}

fn rate_limited(until: chrono::DateTime<Utc>) -> ResponseTemplate {
    ResponseTemplate::new(420)
        .insert_header("X-RateLimit-Resource-Limit", "1000")
        .insert_header("X-RateLimit-Resource-Remaining", "0")
        .insert_header("X-RateLimit-Resource-Until", until.to_rfc2822().as_str())
        .set_body_json(json!({"status": "ERROR", "errors": [{"code": "LIMIT_EXCEEDED", "message": "too many"}]}))
}

async fn server_with(first: ResponseTemplate, times: u64) -> MockServer {
    let promos = ResponseTemplate::new(200).set_body_json(promos_body());
    crate::support::failing_then(first, times, promos).await
}

#[tokio::test]
async fn list_sends_the_filters_and_returns_typed_promos() {
    let server = server_with(ResponseTemplate::new(200).set_body_json(promos_body()), 1).await;
    let promos = market_client(&server)
        .promos()
        .list()
        .participation(Participation::ParticipatingNow)
        .mechanics(MechanicsType::MarketPromocode)
        .send()
        .await
        .expect("promos");
    assert_eq!(promos.len(), 1);
    let promo = &promos[0];
    assert_eq!(
        promo
            .mechanics_info
            .promocode_info
            .as_ref()
            .expect("promocode")
            .promocode,
        "WEEK10"
    );
    assert_eq!(
        promo.channels.as_deref(),
        Some(&[ChannelType::Push, ChannelType::Cpa][..])
    );
    insta::assert_snapshot!(requests_snapshot(&server).await);
}

#[tokio::test]
async fn list_without_filters_sends_an_empty_object_with_oauth() {
    let server = server_with(ResponseTemplate::new(200).set_body_json(promos_body()), 1).await;
    let client = MarketClient::builder(MarketAuth::oauth(crate::support::TOKEN), 7)
        .base_url(server.uri())
        .build()
        .expect("client");
    client.promos().list().send().await.expect("promos");
    insta::assert_snapshot!(requests_snapshot(&server).await);
}

#[tokio::test]
async fn an_unknown_mechanics_filter_is_never_sent() {
    let server = server_with(ResponseTemplate::new(200), 1).await;
    let error = market_client(&server)
        .promos()
        .list()
        .mechanics(MechanicsType::Unknown("MYSTERY".into()))
        .send()
        .await
        .expect_err("unknown");
    assert_eq!(
        error.violations().expect("validation")[0].field,
        "mechanics"
    );
    assert!(requests_sent(&server).await == 0);
}

#[tokio::test]
async fn a_420_that_resets_within_the_allowed_wait_is_waited_out() {
    let server = server_with(rate_limited(Utc::now()), 1).await;
    let promos = market_client(&server)
        .promos()
        .list()
        .send()
        .await
        .expect("promos after the wait");
    assert_eq!(promos.len(), 1);
    assert_eq!(requests_sent(&server).await, 2);
}

#[tokio::test]
async fn a_420_that_resets_later_is_rate_limited_with_its_instant() {
    let until = Utc::now() + chrono::Duration::hours(2);
    let server = server_with(rate_limited(until), 100).await;
    let error = market_client(&server)
        .promos()
        .list()
        .send()
        .await
        .expect_err("420");
    match error {
        Error::RateLimited {
            status,
            until: Some(reset),
            operation,
            ..
        } => {
            assert_eq!((status, operation), (420, "getPromos"));
            assert_eq!(reset.timestamp(), until.timestamp());
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert_eq!(requests_sent(&server).await, 1, "no pointless retries");
}

#[tokio::test]
async fn a_market_error_envelope_keeps_every_entry() {
    let body = json!({"status": "ERROR", "errors": [
        {"code": "BAD_REQUEST", "message": "mechanics is invalid"},
        {"code": "NEW_VALIDATION", "message": "and another thing"}]});
    let server = server_with(ResponseTemplate::new(400).set_body_json(body), 100).await;
    let error = market_client(&server)
        .promos()
        .list()
        .send()
        .await
        .expect_err("400");
    let Error::Api(api) = error else {
        panic!("expected an API error")
    };
    assert_eq!(api.code, ErrorCode::BadRequest);
    assert_eq!(api.errors.len(), 2);
    assert_eq!(
        api.errors[1].code,
        ErrorCode::Unknown("NEW_VALIDATION".into())
    );
    assert_eq!(
        api.to_string(),
        "getPromos: HTTP 400 BAD_REQUEST: mechanics is invalid (+1 more)"
    );
}

#[tokio::test]
async fn the_client_side_budget_holds_calls_beyond_it() {
    let server = server_with(ResponseTemplate::new(200).set_body_json(promos_body()), 1).await;
    let two = NonZeroU32::new(2).expect("non-zero");
    let client = MarketClient::builder(MarketAuth::api_key(API_KEY), 42)
        .base_url(server.uri())
        .retry(fast_retries())
        .rate_limit(RateLimit::new(two, two))
        .build()
        .expect("client");
    client.promos().list().send().await.expect("first");
    client.promos().list().send().await.expect("second");
    // A budget of 2 per hour: the third call would wait about half an hour.
    let third =
        tokio::time::timeout(Duration::from_millis(300), client.promos().list().send()).await;
    assert!(third.is_err(), "the third call went out despite the budget");
    assert_eq!(requests_sent(&server).await, 2);
}

#[tokio::test]
async fn each_offers_operation_sends_its_method_path_query_headers_and_body() {
    use futures::TryStreamExt as _;
    use yandex_promo::{
        Cursor,
        market::{OfferStatus, OfferUpdate, RejectReason, StatusFilter, WarningCode},
    };
    let offers_page = json!({"status": "OK", "result": {
        "offers": [{"offerId": "SKU-1042", "status": "PARTIALLY_AUTO",
                    "params": {"discountParams": {"price": 1990, "promoPrice": 1490, "maxPromoPrice": 1590}},
                    "autoParticipatingDetails": {"campaignIds": [21012345]}},
                   {"offerId": "\u{0}odd id", "status": "SOMETHING_NEW", "params": {}}],
        "paging": {}}});
    let updated = json!({"status": "OK", "result": {
        "rejectedOffers": [{"offerId": "SKU-77", "reason": "OFFER_NOT_ELIGIBLE_FOR_PROMO"}],
        "warningOffers": [{"offerId": "SKU-1042", "warnings": [
            {"code": "SHOP_PRICES_ARE_LOWER_THAN_PROMO", "campaignIds": [21012345]}]}]}});
    let deleted = json!({"status": "OK", "result": {}});
    let mut snapshot = Vec::new();
    for (n, answer) in [
        offers_page,
        updated,
        deleted.clone(),
        json!({"status": "OK"}),
    ]
    .into_iter()
    .enumerate()
    {
        let server = crate::support::serve(200, answer.to_string()).await;
        let promos = market_client(&server).promos();
        match n {
            0 => {
                let offers: Vec<_> = promos
                    .offers("cf_123456")
                    .statuses([StatusFilter::NotManuallyAdded, StatusFilter::ManuallyAdded])
                    .page_size(500)
                    .resume_from(Cursor::new("bmV4dA"))
                    .stream()
                    .try_collect()
                    .await
                    .expect("offers");
                assert_eq!(offers[0].status, OfferStatus::PartiallyAuto);
                assert_eq!(
                    offers[1].status,
                    OfferStatus::Unknown("SOMETHING_NEW".into()),
                    "an odd id and a new status do not fail the page"
                );
            }
            1 => {
                let offers = [
                    OfferUpdate::new("SKU-1042", 1990, 1490),
                    OfferUpdate::new("SKU-77", 990, 790),
                ];
                let outcome = promos.update("cf_123456", offers).await.expect("update");
                assert_eq!(outcome.applied, ["SKU-1042"]);
                assert_eq!(
                    outcome.rejected[0].reason,
                    RejectReason::OfferNotEligibleForPromo
                );
                assert_eq!(
                    outcome.warned[0].warnings[0].code,
                    WarningCode::ShopPricesAreLowerThanPromo
                );
            }
            2 => {
                let outcome = promos
                    .delete("cf_123456", ["SKU-1042"])
                    .await
                    .expect("delete");
                assert_eq!(outcome.removed, ["SKU-1042"]);
            }
            _ => promos.delete_all("cf_123456").await.expect("delete all"),
        }
        snapshot.push(requests_snapshot(&server).await);
    }
    insta::assert_snapshot!(snapshot.join("\n"));
}

#[tokio::test]
async fn a_failed_batch_reports_what_was_sent_and_what_is_left() {
    use yandex_promo::market::OfferUpdate;
    let ok = ResponseTemplate::new(200).set_body_json(json!({"status": "OK", "result": {}}));
    let broken = ResponseTemplate::new(400)
        .set_body_json(json!({"status": "ERROR", "errors": [{"code": "BAD_REQUEST"}]}));
    let server = crate::support::failing_then(ok, 2, broken).await;
    let offers: Vec<_> = (0..1600)
        .map(|i| OfferUpdate::new(format!("SKU-{i}"), 1000, 700))
        .collect();
    let error = market_client(&server)
        .promos()
        .update("cf_123456", offers)
        .await
        .expect_err("the third batch fails");
    // Four balanced requests of 400.
    assert_eq!((error.batches_sent, error.batches), (2, 4));
    assert_eq!(error.outcome.applied.len(), 800);
    assert_eq!(error.unsent.len(), 800);
    assert_eq!(error.unsent[0].offer_id, "SKU-800");
    assert_eq!(error.error.status(), Some(400));
    assert_eq!(requests_sent(&server).await, 3);
}
