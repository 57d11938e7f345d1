//! Retries: transient failures are retried with the same idempotency token; final answers
//! are not; timeouts are bounded.
use std::time::Duration;

use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};
use yandex_promo::{Error, ErrorCode, RetryPolicy, go::GoClient, go::NewOrder};

use crate::support::{TOKEN, create_on, failing_then, go_client, requests_sent, today};

/// Gets an order from `server` with a client built by `builder` (the token and URL added).
async fn get_order(
    server: &MockServer,
    builder: yandex_promo::go::GoClientBuilder,
) -> yandex_promo::Result<yandex_promo::go::Order> {
    let client = builder.base_url(server.uri()).build().expect("client");
    client.promocodes().order().get("o-1").await
}

fn order() -> NewOrder {
    NewOrder::new(500, 20, today() + chrono::Days::new(30))
}

#[tokio::test]
async fn create_after_two_503s_succeeds_once_with_one_token_on_all_attempts() {
    let server = failing_then(
        ResponseTemplate::new(503)
            .set_body_json(json!({"code": "UNAVAILABLE", "message": "try later"})),
        2,
        ResponseTemplate::new(200).set_body_json(json!({"order_id": "o-1"})),
    )
    .await;
    let created = create_on(&server, order()).await.expect("created");
    let requests = server.received_requests().await.expect("recording");
    assert_eq!(requests.len(), 3);
    let tokens: Vec<_> = requests
        .iter()
        .map(|r| {
            r.headers
                .get("x-idempotency-token")
                .expect("token")
                .to_str()
                .expect("ASCII")
                .to_owned()
        })
        .collect();
    assert_eq!(tokens, vec![created.idempotency_token.to_string(); 3]);
    assert!(
        requests.windows(2).all(|w| w[0].body == w[1].body),
        "the same body every time"
    );
}

#[tokio::test]
async fn an_html_502_from_a_proxy_is_retried() {
    let server = failing_then(
        ResponseTemplate::new(502)
            .set_body_raw("<html><body>502 Bad Gateway</body></html>", "text/html"),
        1,
        ResponseTemplate::new(200).set_body_json(crate::support::order_json("o-1", "pending")),
    )
    .await;
    let order = go_client(&server)
        .promocodes()
        .order()
        .get("o-1")
        .await
        .expect("order");
    assert_eq!(order.id.as_str(), "o-1");
    assert_eq!(requests_sent(&server).await, 2);
}

#[tokio::test]
async fn an_html_502_that_persists_is_a_decode_error_with_status_and_excerpt() {
    let server = failing_then(
        ResponseTemplate::new(502)
            .set_body_raw("<html><body>502 Bad Gateway</body></html>", "text/html"),
        100,
        ResponseTemplate::new(200),
    )
    .await;
    let error = go_client(&server)
        .promocodes()
        .order()
        .get("o-1")
        .await
        .expect_err("502");
    match &error {
        Error::Decode {
            status,
            excerpt,
            operation,
            ..
        } => {
            assert_eq!(*status, Some(502));
            assert!(excerpt.contains("502 Bad Gateway"), "{excerpt}");
            assert_eq!(*operation, "getPromocodeOrder");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert_eq!(
        requests_sent(&server).await,
        4,
        "standard policy: 4 attempts"
    );
}

#[tokio::test]
async fn a_400_is_not_retried() {
    let server = failing_then(
        ResponseTemplate::new(400)
            .set_body_json(json!({"code": "BAD_REQUEST", "message": "expect more or equal 100"})),
        100,
        ResponseTemplate::new(200),
    )
    .await;
    let error = create_on(&server, order()).await.expect_err("400");
    assert_eq!(error.code(), Some(&ErrorCode::BadRequest));
    assert_eq!(requests_sent(&server).await, 1);
}

#[tokio::test]
async fn with_retries_disabled_a_503_is_returned_at_once() {
    let server = failing_then(ResponseTemplate::new(503), 100, ResponseTemplate::new(200)).await;
    let error = get_order(
        &server,
        GoClient::builder(TOKEN).retry(RetryPolicy::disabled()),
    )
    .await
    .expect_err("503");
    assert_eq!(error.status(), Some(503));
    assert_eq!(requests_sent(&server).await, 1);
}

#[tokio::test]
async fn a_server_that_does_not_answer_in_time_is_a_timeout() {
    let server = failing_then(
        ResponseTemplate::new(200).set_delay(Duration::from_secs(10)),
        100,
        ResponseTemplate::new(200),
    )
    .await;
    let builder = GoClient::builder(TOKEN)
        .timeout(Duration::from_millis(200))
        .retry(
            RetryPolicy::standard()
                .with_max_attempts(2)
                .with_backoff(Duration::from_millis(1), Duration::from_millis(1)),
        );
    let error = get_order(&server, builder).await.expect_err("timeout");
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(requests_sent(&server).await, 2, "a timeout is retried");
}
