//! Market's promo errors as kinds: each error of the docs' catalogue, and the
//! deprecated-method 403, recognised from its message and from its typed code (bodies in
//! `fixtures/market/docs_errors/`, reconstructed from the docs, not recorded), with its advice;
//! the single-offer throttle waited out, then surfaced; "Promo has ended" stopping a sync.
use std::time::Duration;

use serde_json::json;
use wiremock::{
    Mock, MockServer, ResponseTemplate,
    matchers::{method, path},
};
use yandex_promo::{
    ApiErrorKind, Error, ErrorCode, RetryPolicy,
    market::{MarketAuth, MarketClient, OfferUpdate},
};
use yandex_promo_test_support::fixture;

use crate::support::{API_KEY, market_client, requests_sent};

const PROMO: &str = "cf_123456";

/// A client for `server` with `retry`.
fn client_with(server: &MockServer, retry: RetryPolicy) -> MarketClient {
    MarketClient::builder(MarketAuth::api_key(API_KEY), 42)
        .base_url(server.uri())
        .retry(retry)
        .build()
        .expect("client")
}

/// Two offers: a request that Market's single-offer throttle does not concern.
fn two_offers() -> [OfferUpdate; 2] {
    [
        OfferUpdate::new("SKU-1042", 1990, 1490),
        OfferUpdate::new("SKU-77", 990, 790),
    ]
}

#[tokio::test]
async fn every_promo_error_has_its_kind_from_message_and_from_code() {
    use ApiErrorKind::*;
    // (fixture, status, kind, a fragment of the hint)
    let table: [(&str, u16, ApiErrorKind, &str); 10] = [
        (
            "promo_ended",
            400,
            PromoEnded,
            "promo \"cf_123456\" has ended",
        ),
        (
            "promo_ended_typed",
            400,
            PromoEnded,
            "promo \"cf_123456\" has ended",
        ),
        (
            "single_offer_limit",
            400,
            SingleOfferThrottled,
            "send several offers of promo \"cf_123456\" in one request",
        ),
        (
            "single_offer_limit_typed",
            400,
            SingleOfferThrottled,
            "send several offers of promo \"cf_123456\" in one request",
        ),
        (
            "delete_params_missing",
            400,
            OfferIdsOrDeleteAllMissing,
            "exactly one",
        ),
        (
            "delete_params_both",
            400,
            OfferIdsAndDeleteAllBoth,
            "exactly one",
        ),
        (
            "entry_deadline_typed",
            400,
            PromoEntryDeadlineExceeded,
            "deadline",
        ),
        (
            "mechanics_typed",
            400,
            PromoMechanicsNotSupported,
            "mechanics",
        ),
        (
            "method_deprecated_403",
            403,
            MethodDeprecated,
            "stop using it",
        ),
        (
            "method_deprecated_403_typed",
            403,
            MethodDeprecated,
            "stop using it",
        ),
    ];
    for (name, status, kind, hint) in table {
        let body = fixture(&format!("market/docs_errors/{name}.json"));
        let sent: serde_json::Value = serde_json::from_str(&body).expect("JSON");
        let server = crate::support::serve(status, body).await;
        // One attempt: the throttle's wait is another test's subject.
        let client = client_with(&server, RetryPolicy::disabled());
        let error = client
            .promos()
            .update(PROMO, two_offers())
            .await
            .expect_err(name)
            .error;
        assert_eq!(error.api_kind(), Some(kind), "{name}");
        assert_eq!(error.status(), Some(status), "{name}");
        assert_eq!(
            error.code().map(ErrorCode::as_str),
            sent["errors"][0]["code"].as_str(),
            "{name}: the code is kept as sent"
        );
        let Error::Api(api) = &error else {
            panic!("{name}: an API error")
        };
        let shown = api.hint.as_deref().unwrap_or_default();
        assert!(shown.contains(hint), "{name}: hint {shown:?}");
        assert!(
            error.to_string().contains(hint),
            "{name}: the hint is shown: {error}"
        );
        // Outside a promo's call, the advice is the API area's own (the promo is not known).
        let error = client.promos().list().send().await.expect_err(name);
        assert_eq!(error.api_kind(), Some(kind), "{name}: getPromos");
    }
}

#[tokio::test]
async fn a_typed_code_wins_over_an_unrelated_message() {
    let body = json!({"status": "ERROR", "errors": [{
        "code": "PROMO_ENDED",
        "message": "The limit for promo update requests with a single offerId has been exceeded."
    }]});
    let server = crate::support::serve(400, body.to_string()).await;
    let error = market_client(&server)
        .promos()
        .delete(PROMO, ["SKU-1042", "SKU-77"])
        .await
        .expect_err("400")
        .error;
    assert_eq!(error.api_kind(), Some(ApiErrorKind::PromoEnded));
    assert_eq!(
        requests_sent(&server).await,
        1,
        "an ended promo is not waited for"
    );
    // And a message of the catalogue under a code that names nothing is still recognised.
    let body = json!({"status": "ERROR", "errors": [
        {"code": "SOMETHING_NEW", "message": "  PROMO HAS ENDED.  "}]});
    let server = crate::support::serve(400, body.to_string()).await;
    let error = market_client(&server)
        .promos()
        .delete_all(PROMO)
        .await
        .expect_err("400");
    assert_eq!(error.api_kind(), Some(ApiErrorKind::PromoEnded));
    assert_eq!(
        error.code(),
        Some(&ErrorCode::Unknown("SOMETHING_NEW".into()))
    );
}

#[tokio::test]
async fn a_promo_ended_sync_apply_names_the_promo() {
    let server = MockServer::start().await;
    let page = json!({"status": "OK", "result": {"offers": [
        {"offerId": "SKU-OLD", "status": "MANUAL",
         "params": {"discountParams": {"price": 1000, "promoPrice": 800}}}], "paging": {}}});
    Mock::given(method("POST"))
        .and(path("/v2/businesses/42/promos/offers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page))
        .mount(&server)
        .await;
    let ended = fixture("market/docs_errors/promo_ended.json");
    for operation in ["update", "delete"] {
        Mock::given(method("POST"))
            .and(path(format!("/v2/businesses/42/promos/offers/{operation}")))
            .respond_with(
                ResponseTemplate::new(400).set_body_raw(ended.clone(), "application/json"),
            )
            .mount(&server)
            .await;
    }
    let promos = market_client(&server).promos();
    let plan = promos
        .sync(PROMO, vec![OfferUpdate::new("SKU-NEW", 1990, 1490)])
        .await
        .expect("the plan");
    assert_eq!((plan.add.len(), plan.remove.len()), (1, 1));
    let error = promos
        .apply(PROMO, &plan)
        .await
        .expect_err("the promo has ended");
    assert_eq!(error.api_kind(), Some(ApiErrorKind::PromoEnded));
    assert!(
        error.to_string().contains("promo \"cf_123456\" has ended"),
        "{error}"
    );
    let paths: Vec<String> = server
        .received_requests()
        .await
        .expect("recording is on")
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    assert_eq!(
        paths,
        [
            "/v2/businesses/42/promos/offers",
            "/v2/businesses/42/promos/offers/update"
        ],
        "stopped at once: the removals were never sent, nothing was retried"
    );

    // A sync of a promo that has ended stops at its listing, naming it too.
    let server = crate::support::serve(400, ended).await;
    let error = market_client(&server)
        .promos()
        .sync("cf_gone", Vec::new())
        .await
        .expect_err("the promo has ended");
    assert_eq!(error.api_kind(), Some(ApiErrorKind::PromoEnded));
    assert!(
        error.to_string().contains("promo \"cf_gone\" has ended"),
        "{error}"
    );
}

#[tokio::test]
async fn the_single_offer_throttle_is_retried_after_its_wait_then_surfaces() {
    let throttled = ResponseTemplate::new(400).set_body_raw(
        fixture("market/docs_errors/single_offer_limit.json"),
        "application/json",
    );
    let ok = ResponseTemplate::new(200).set_body_json(json!({"status": "OK", "result": {}}));
    let wait = Duration::from_millis(200);
    let retry = RetryPolicy::standard().with_single_offer_wait(wait);

    // Once: waited out, at least the configured wait (the backoff would be milliseconds).
    let server = crate::support::failing_then(throttled.clone(), 1, ok).await;
    let started = std::time::Instant::now();
    let one = [OfferUpdate::new("SKU-1042", 1990, 1490)];
    client_with(&server, retry.clone())
        .promos()
        .update(PROMO, one.clone())
        .await
        .expect("the second attempt goes through");
    assert!(started.elapsed() >= wait, "{:?}", started.elapsed());
    assert_eq!(requests_sent(&server).await, 2);

    // Persisting past the policy's attempts: surfaced, with the advice to batch. (The bound
    // is a count, not a time, so that a slow machine cannot change what is asserted.)
    let server =
        crate::support::serve(400, fixture("market/docs_errors/single_offer_limit.json")).await;
    let error = client_with(&server, retry.with_max_attempts(3))
        .promos()
        .update(PROMO, one)
        .await
        .expect_err("still throttled")
        .error;
    assert_eq!(error.api_kind(), Some(ApiErrorKind::SingleOfferThrottled));
    assert!(error.to_string().contains("send several offers"), "{error}");
    assert_eq!(
        requests_sent(&server).await,
        3,
        "three attempts, two waits between them"
    );
}
