//! `getPromos` against a real server on loopback, with both ways to authenticate.
use yandex_promo_raw::{
    market::{Client, ClientInfo as _, types::GetPromosRequest},
    open::{MechanicsType, PromoParticipationType},
};
use yandex_promo_test_support::{API_KEY, TOKEN, requests_sent, serve, the_only_request};

use crate::{
    fixture,
    loopback::{api_key, bearer},
};

fn ok_response() -> String {
    format!(
        r#"{{"status": "OK", "result": {}}}"#,
        fixture("market/seed004_result.json")
    )
}

#[tokio::test]
async fn get_promos_posts_filters_with_the_api_key() {
    let server = serve(200, ok_response()).await;
    let client = Client::new_with_client(&server.uri(), reqwest::Client::new(), api_key());
    let filters = GetPromosRequest {
        participation: Some(PromoParticipationType::ParticipatingNow),
        mechanics: Some(MechanicsType::MarketPromocode),
    };
    let response = client
        .get_promos()
        .business_id(42u64)
        .body(filters)
        .send()
        .await
        .expect("promos")
        .into_inner();
    assert_eq!(response.result.expect("result").promos.len(), 1);

    let sent = the_only_request(&server).await;
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("POST", "/v2/businesses/42/promos")
    );
    assert!(sent.query.is_empty());
    assert_eq!(sent.header("api-key"), Some(API_KEY));
    assert_eq!(sent.header("authorization"), None);
    assert_eq!(
        sent.header("api-version"),
        None,
        "the undocumented api-version header leaked"
    );
    assert_eq!(
        sent.body,
        Some(
            serde_json::json!({"participation": "PARTICIPATING_NOW", "mechanics": "MARKET_PROMOCODE"})
        )
    );
}

#[tokio::test]
async fn get_promos_without_filters_sends_an_empty_object_with_oauth() {
    let server = serve(200, ok_response()).await;
    let client = Client::new_with_client(&server.uri(), reqwest::Client::new(), bearer());
    client
        .get_promos()
        .business_id(7u64)
        .send()
        .await
        .expect("promos");

    let sent = the_only_request(&server).await;
    assert_eq!(sent.path, "/v2/businesses/7/promos");
    let bearer = format!("Bearer {TOKEN}");
    assert_eq!(sent.header("authorization"), Some(bearer.as_str()));
    assert_eq!(sent.body, Some(serde_json::json!({})));
}

#[tokio::test]
async fn business_id_zero_is_rejected_before_sending() {
    let server = serve(200, ok_response()).await;
    let client = Client::new_with_client(&server.uri(), reqwest::Client::new(), api_key());
    let error = client
        .get_promos()
        .business_id(0u64)
        .send()
        .await
        .expect_err("0 < 1");
    assert!(error.to_string().contains("business_id"), "{error}");
    assert!(requests_sent(&server).await == 0);
}

#[tokio::test]
async fn rate_limited_420_keeps_the_envelope_and_the_rate_limit_headers() {
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(
            wiremock::ResponseTemplate::new(420)
                .insert_header(
                    "X-RateLimit-Resource-Until",
                    "Thu, 10 Jul 2018 00:42:42 GMT",
                )
                .insert_header("X-RateLimit-Resource-Remaining", "0")
                .set_body_raw(
                    r#"{"status": "ERROR", "errors": [{"code": "LIMIT_EXCEEDED"}]}"#,
                    "application/json",
                ),
        )
        .mount(&server)
        .await;
    let client = Client::new_with_client(&server.uri(), reqwest::Client::new(), api_key());
    let error = client
        .get_promos()
        .business_id(1u64)
        .send()
        .await
        .expect_err("420");
    match error {
        yandex_promo_raw::market::Error::ErrorResponse(response) => {
            assert_eq!(response.status().as_u16(), 420);
            let until = response
                .headers()
                .get("x-ratelimit-resource-until")
                .expect("header");
            assert_eq!(until, "Thu, 10 Jul 2018 00:42:42 GMT");
            assert_eq!(
                response.errors.as_ref().expect("errors")[0].code,
                "LIMIT_EXCEEDED"
            );
        }
        other => panic!("expected an error response, got {other:?}"),
    }
}

#[tokio::test]
async fn one_reqwest_client_serves_two_clients_with_their_own_credentials() {
    let server = serve(200, ok_response()).await;
    let shared = reqwest::Client::new();
    let by_key = Client::new_with_client(&server.uri(), shared.clone(), api_key());
    let by_token = Client::new_with_client(&server.uri(), shared, bearer());
    by_key
        .get_promos()
        .business_id(1u64)
        .send()
        .await
        .expect("by key");
    by_token
        .get_promos()
        .business_id(1u64)
        .send()
        .await
        .expect("by token");

    let requests = server.received_requests().await.expect("recording");
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].headers.get("api-key").map(|v| v.as_bytes()),
        Some(API_KEY.as_bytes())
    );
    assert!(requests[0].headers.get("authorization").is_none());
    assert!(requests[1].headers.get("api-key").is_none());
    let bearer = format!("Bearer {TOKEN}");
    assert_eq!(
        requests[1]
            .headers
            .get("authorization")
            .map(|v| v.as_bytes()),
        Some(bearer.as_bytes())
    );
}

#[test]
fn secrets_never_appear_in_debug_output_and_control_characters_are_refused() {
    let headers = api_key().with_bearer(TOKEN).expect("valid token");
    let client = Client::new("http://127.0.0.1:9", headers);
    let printed = format!("{client:?} {:?}", client.inner());
    assert!(
        !printed.contains(API_KEY) && !printed.contains(TOKEN),
        "{printed}"
    );
    assert!(printed.contains("<redacted>"), "{printed}");
    assert!(
        yandex_promo_raw::RequestHeaders::new()
            .with_api_key("key\nInjected: 1")
            .is_err()
    );
}
