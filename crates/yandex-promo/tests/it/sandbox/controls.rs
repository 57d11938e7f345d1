//! The test controls: faults, the request log, the admin routes, and the router without a
//! socket.
use std::time::Duration;

use yandex_promo::{Error, go::NewOrder};
use yandex_promo_sandbox::{Failure, Faults, SandboxConfig};

use crate::support::{
    TOKEN, assert_conforms, in_days, sandbox, sandbox_go as go, sandbox_market as market,
    sandbox_with_faults,
};

#[tokio::test]
async fn injected_500s_and_html_502s_are_retried_by_the_client() {
    let sandbox = sandbox(SandboxConfig::default()).await;
    let orders = go(&sandbox, TOKEN).promocodes().order();
    for failure in [Failure::Status500, Failure::Html502] {
        crate::support::fail_next(&sandbox, 2, failure);
        orders
            .list()
            .send()
            .await
            .expect("succeeds on the third attempt");
        assert_eq!(sandbox.handle().faults().fail_next, 0);
    }
    assert_eq!(sandbox.handle().requests().len(), 6);
    assert_conforms(&sandbox);
}

#[tokio::test]
async fn the_counting_observer_sees_every_attempt_of_a_create_that_met_two_503s() {
    use std::sync::Arc;
    use yandex_promo::{AttemptOutcome, CountingObserver};

    let sandbox = sandbox(SandboxConfig::default()).await;
    crate::support::fail_next(&sandbox, 2, Failure::Status503);
    let counts = Arc::new(CountingObserver::default());
    let client = crate::support::sandbox_go_builder(&sandbox, TOKEN)
        .observer(counts.clone())
        .build()
        .expect("client");
    client
        .promocodes()
        .order()
        .create(NewOrder::new(500, 5, in_days(10)))
        .send()
        .await
        .expect("created on the third attempt");
    let seen: Vec<_> = counts
        .snapshot()
        .into_iter()
        .map(|(key, n)| (key.operation, key.outcome, key.retried, n))
        .collect();
    assert_eq!(
        seen,
        [
            (
                "createPromocodeOrder",
                AttemptOutcome::Status(200),
                false,
                1
            ),
            ("createPromocodeOrder", AttemptOutcome::Status(503), true, 2),
        ]
    );
    assert_eq!(sandbox.handle().order_count(), 1);
}

#[tokio::test]
async fn a_call_s_own_timeout_and_retry_policy_apply_to_that_call_only() {
    use yandex_promo::RetryPolicy;

    let sandbox = sandbox_with_faults(Faults {
        latency_ms: 200,
        ..Faults::default()
    })
    .await;
    let client = crate::support::sandbox_go_builder(&sandbox, TOKEN)
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let orders = client.promocodes().order();
    let hurried = orders
        .list()
        .timeout(Duration::from_millis(50))
        .retry_policy(RetryPolicy::disabled())
        .send()
        .await
        .expect_err("200 ms is longer than this call's 50 ms");
    assert!(hurried.is_timeout(), "{hurried:?}");
    orders
        .list()
        .send()
        .await
        .expect("the client's 10 s are enough for the next call");

    // Against a failing sandbox, one attempt is one request; the client's policy retries.
    crate::support::fail_next(&sandbox, 10, Failure::Status503);
    let before = crate::support::requests_to(&sandbox, "/info");
    let once = orders
        .get("any-order")
        .retry_policy(RetryPolicy::disabled())
        .await
        .expect_err("503");
    assert_eq!(once.status(), Some(503));
    assert_eq!(crate::support::requests_to(&sandbox, "/info") - before, 1);
    let retried = orders.get("any-order").await.expect_err("503 every time");
    assert_eq!(retried.status(), Some(503));
    assert!(
        crate::support::requests_to(&sandbox, "/info") - before > 2,
        "the client's own policy retried"
    );
}

/// The id a response's request-id header carried, as an error keeps and shows it.
fn shown_request_id(error: &Error) -> String {
    let id = error.request_id().expect("a request id").to_owned();
    assert!(id.starts_with("sandbox-"), "{id}");
    assert!(
        error.to_string().ends_with(&format!(" (request id {id})")),
        "{error}"
    );
    id
}

#[tokio::test]
async fn an_error_with_a_response_keeps_its_request_id_and_shows_it() {
    let sandbox = sandbox(SandboxConfig::default()).await;
    let orders = go(&sandbox, TOKEN).promocodes().order();
    let missing = orders.get("no-such-order").await.expect_err("404");
    assert_eq!(missing.status(), Some(404));
    let first = shown_request_id(&missing);

    // A proxy's HTML page does not decode, and the error still names the request.
    crate::support::fail_next(&sandbox, 1, Failure::Html502);
    let once = crate::support::sandbox_go_builder(&sandbox, TOKEN)
        .retry(yandex_promo::RetryPolicy::disabled())
        .build()
        .expect("client");
    let undecodable = once
        .promocodes()
        .order()
        .list()
        .send()
        .await
        .expect_err("502");
    assert!(
        matches!(
            undecodable,
            Error::Decode {
                status: Some(502),
                ..
            }
        ),
        "{undecodable:?}"
    );
    let second = shown_request_id(&undecodable);
    assert_ne!(first, second, "each request has its own id");

    // Market's errors (its own header) keep it too.
    let unknown = market(&sandbox)
        .promos()
        .offers("no-such-promo")
        .send()
        .await
        .expect_err("unknown promo");
    assert!(
        unknown.status().is_some_and(|s| (400..500).contains(&s)),
        "{unknown:?}"
    );
    shown_request_id(&unknown);

    // Without a response there is no id.
    let unreachable = yandex_promo::go::GoClient::builder(TOKEN)
        .base_url("http://127.0.0.1:9")
        .retry(yandex_promo::RetryPolicy::disabled())
        .build()
        .expect("client")
        .promocodes()
        .order()
        .list()
        .send()
        .await
        .expect_err("nothing listens on port 9");
    assert_eq!(unreachable.request_id(), None);
    assert_conforms(&sandbox);
}

#[tokio::test]
async fn a_connection_dropped_after_the_commit_is_retried_into_the_same_order() {
    let sandbox = sandbox_with_faults(Faults {
        drop_after_create: 1,
        ..Faults::default()
    })
    .await;
    let orders = go(&sandbox, TOKEN).promocodes().order();
    let created = orders
        .create(NewOrder::new(500, 5, in_days(10)))
        .send()
        .await
        .expect("created on retry");
    assert_eq!(
        sandbox.handle().order_count(),
        1,
        "the retry found the committed order"
    );
    orders.get(&created.order_id).await.expect("it exists");
    assert_eq!(crate::support::requests_to(&sandbox, "/create"), 2);
    assert_conforms(&sandbox);
}

#[tokio::test]
async fn latency_is_added_and_the_request_log_masks_credentials() {
    let sandbox = sandbox_with_faults(Faults {
        latency_ms: 150,
        ..Faults::default()
    })
    .await;
    let client = yandex_promo::go::GoClient::builder(TOKEN)
        .base_url(sandbox.go_base_url())
        .timeout(Duration::from_millis(50))
        .retry(yandex_promo::RetryPolicy::disabled())
        .build()
        .expect("client");
    let error = client
        .promocodes()
        .order()
        .list()
        .send()
        .await
        .expect_err("too slow");
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    let log = sandbox.handle().requests();
    assert_eq!(
        log[0].headers.get("authorization").map(String::as_str),
        Some("<redacted>")
    );
    assert!(!format!("{log:?}").contains(TOKEN));
}

#[tokio::test]
async fn admin_routes_are_off_by_default_and_work_when_enabled() {
    let off = sandbox(SandboxConfig::default()).await;
    let http = reqwest::Client::new();
    let response = http
        .post(format!("{}/__sandbox/reset", off.market_base_url()))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 404);

    let on = sandbox(SandboxConfig {
        admin_routes: true,
        ..SandboxConfig::default()
    })
    .await;
    let base = on.market_base_url();
    let orders = go(&on, TOKEN).promocodes().order();
    let created = orders
        .create(NewOrder::new(500, 5, in_days(10)))
        .send()
        .await
        .expect("created");
    let used: serde_json::Value = http
        .post(format!(
            "{base}/__sandbox/orders/{}/use-codes",
            created.order_id
        ))
        .json(&serde_json::json!({"count": 2}))
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("JSON");
    assert_eq!(used["used"], 2);
    let faults = serde_json::json!({"fail_next": 1, "failure": "html502"});
    let response = http
        .post(format!("{base}/__sandbox/faults"))
        .json(&faults)
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 204);
    assert_eq!(on.handle().faults().failure, Failure::Html502);
    let log: Vec<serde_json::Value> = http
        .get(format!("{base}/__sandbox/requests"))
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("JSON");
    assert!(
        log.iter()
            .any(|r| r["path"] == "/integration/2.0/promocodes/orders/create")
    );
    http.post(format!("{base}/__sandbox/reset"))
        .send()
        .await
        .expect("answered");
    assert_eq!(on.handle().order_count(), 0);
}

#[tokio::test]
async fn a_drop_rate_commits_every_order_and_a_seeded_order_lists_all_its_codes() {
    let sandbox = sandbox_with_faults(Faults {
        drop_after_create_rate: 1.0,
        ..Faults::default()
    })
    .await;
    let without_retries = crate::support::sandbox_go_builder(&sandbox, TOKEN)
        .retry(yandex_promo::RetryPolicy::disabled())
        .build()
        .expect("client");
    let create = without_retries
        .promocodes()
        .order()
        .create(NewOrder::new(500, 5, in_days(10)));
    let error = create.send().await.expect_err("every answer is dropped");
    let Error::CreateUnconfirmed { error, .. } = &error else {
        panic!("the token must come with the error: {error:?}");
    };
    assert!(matches!(**error, Error::Transport { .. }), "{error:?}");
    assert_eq!(sandbox.handle().order_count(), 1, "committed all the same");

    sandbox.handle().set_faults(Faults::default());
    let orders = go(&sandbox, TOKEN).promocodes().order();
    let order_id = sandbox.handle().seed_order(2_500);
    let order = orders.get(&order_id).await.expect("seeded");
    assert_eq!(order.count, 2_500);
    let codes: Vec<_> =
        futures::TryStreamExt::try_collect(orders.code().list(&order_id).page_size(1_000).stream())
            .await
            .expect("listed");
    assert_eq!(codes.len(), 2_500);
    assert_conforms(&sandbox);
}
