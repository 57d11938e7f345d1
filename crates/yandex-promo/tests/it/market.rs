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
