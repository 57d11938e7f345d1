//! Clients for the test servers: a wiremock server on loopback or a sandbox. What every test
//! suite of the workspace shares (fixtures, request snapshots, schema conformance) is in
//! `yandex-promo-test-support`; this module adds what needs this crate's types.
use std::time::Duration;

use futures::TryStreamExt as _;
use serde_json::Value;
use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};
use yandex_promo::{
    FixedClock, RetryPolicy,
    go::{GoClient, GoClientBuilder},
    market::{
        MarketAuth, MarketClient, MarketClientBuilder, OfferUpdate, PromoOffer, max_promo_price,
    },
};
use yandex_promo_sandbox::{RunningSandbox, SandboxConfig};
pub use yandex_promo_test_support::{
    API_KEY, CORP_CLIENT, Exchange, TOKEN, assert_no_secret, fixture_json, requests_sent,
    requests_snapshot, serve, today,
};

/// Retries that do not slow the tests down.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::standard().with_backoff(Duration::from_millis(1), Duration::from_millis(5))
}

/// A Go client for `server`, acting for [`CORP_CLIENT`].
pub fn go_client(server: &MockServer) -> GoClient {
    GoClient::builder(TOKEN)
        .corp_client_id(CORP_CLIENT)
        .base_url(format!("{}/integration/2.0", server.uri()))
        .retry(fast_retries())
        .clock(FixedClock::on(today()))
        .build()
        .expect("client")
}

/// Sends `order` to `server` with [`go_client`].
pub async fn create_on(
    server: &MockServer,
    order: yandex_promo::go::NewOrder,
) -> yandex_promo::Result<yandex_promo::go::CreatedOrder> {
    go_client(server)
        .promocodes()
        .order()
        .create(order)
        .send()
        .await
}

/// A Market client for `server`, business 42, with the API key.
pub fn market_client(server: &MockServer) -> MarketClient {
    MarketClient::builder(MarketAuth::api_key(API_KEY), 42)
        .base_url(server.uri())
        .retry(fast_retries())
        .build()
        .expect("client")
}

/// A server that answers the first `times` requests with `first`, then every later one
/// with `then`.
pub async fn failing_then(
    first: ResponseTemplate,
    times: u64,
    then: ResponseTemplate,
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any()).respond_with(then).mount(&server).await;
    server
}

/// The Go order of seed 003 with another id and status.
pub fn order_json(id: &str, status: &str) -> Value {
    let mut order = fixture_json("go/seed003_order_info.json");
    order["order_id"] = id.into();
    order["status"] = status.into();
    order
}

/// A sandbox that records every response (for [`assert_conforms`]), seeded, and dated
/// [`today`] unless `config` says otherwise.
pub async fn sandbox(config: SandboxConfig) -> RunningSandbox {
    unrecorded_sandbox(SandboxConfig {
        record_responses: true,
        ..config
    })
    .await
}

/// A sandbox as [`sandbox`] that keeps no responses, for suites that move too much data to
/// check every answer against the spec.
pub async fn unrecorded_sandbox(config: SandboxConfig) -> RunningSandbox {
    yandex_promo_sandbox::start(SandboxConfig {
        seed: config.seed.or(Some(7)),
        today: config.today.or(Some(today())),
        ..config
    })
    .await
    .expect("the sandbox starts")
}

/// A sandbox (as [`sandbox`]) whose next requests suffer `faults`.
pub async fn sandbox_with_faults(faults: yandex_promo_sandbox::Faults) -> RunningSandbox {
    let sandbox = sandbox(SandboxConfig::default()).await;
    sandbox.handle().set_faults(faults);
    sandbox
}

/// The sandbox's next `requests` requests fail with `failure`, and nothing else does.
pub fn fail_next(sandbox: &RunningSandbox, requests: u32, failure: yandex_promo_sandbox::Failure) {
    sandbox.handle().set_faults(yandex_promo_sandbox::Faults {
        fail_next: requests,
        failure,
        ..yandex_promo_sandbox::Faults::default()
    });
}

/// A Go client for a sandbox with `token`, on the sandbox's date.
pub fn sandbox_go(sandbox: &RunningSandbox, token: &str) -> GoClient {
    sandbox_go_builder(sandbox, token).build().expect("client")
}

/// The builder of [`sandbox_go`], for a test that sets more (a later setter wins).
pub fn sandbox_go_builder(sandbox: &RunningSandbox, token: &str) -> GoClientBuilder {
    GoClient::builder(token)
        .base_url(sandbox.go_base_url())
        .retry(fast_retries())
        .clock(FixedClock::on(today()))
}

/// A sandbox (as [`sandbox`]) where the token `multi` may act for the clients `alpha` and
/// `beta`.
pub async fn two_client_sandbox() -> RunningSandbox {
    let tokens = std::collections::BTreeMap::from([(
        "multi".to_owned(),
        vec!["alpha".to_owned(), "beta".to_owned()],
    )]);
    sandbox(SandboxConfig {
        tokens,
        ..SandboxConfig::default()
    })
    .await
}

/// A Market client for a sandbox, without retries.
pub fn sandbox_market(sandbox: &RunningSandbox) -> MarketClient {
    sandbox_market_builder(sandbox, RetryPolicy::disabled())
        .build()
        .expect("client")
}

/// A Market client builder for a sandbox, with `retry`.
pub fn sandbox_market_builder(sandbox: &RunningSandbox, retry: RetryPolicy) -> MarketClientBuilder {
    MarketClient::builder(MarketAuth::api_key("sandbox-key"), 42)
        .base_url(sandbox.market_base_url())
        .retry(retry)
}

/// Every offer of `promo`, streamed in pages of `page_size`, in the listing's order.
pub async fn all_offers(market: &MarketClient, promo: &str, page_size: u32) -> Vec<PromoOffer> {
    market
        .promos()
        .offers(promo)
        .page_size(page_size)
        .stream()
        .try_collect()
        .await
        .expect("offers")
}

/// A valid update for an offer as listed: a price and a promo price within its cap.
pub fn valid_update(offer: &PromoOffer) -> OfferUpdate {
    let cap = max_promo_price(offer).unwrap_or(5000);
    OfferUpdate::for_offer(offer, 10_000, cap.min(9000))
}

/// [`today`] plus `days`.
pub fn in_days(days: u64) -> chrono::NaiveDate {
    today() + chrono::Days::new(days)
}

/// How many requests the sandbox received on a path ending with `suffix`.
pub fn requests_to(sandbox: &RunningSandbox, suffix: &str) -> usize {
    let log = sandbox.handle().requests();
    log.iter().filter(|r| r.path.ends_with(suffix)).count()
}

/// Checks every response the sandbox has given against the spec's schemas; returns how many.
pub fn assert_conforms(sandbox: &RunningSandbox) -> usize {
    let logged = sandbox.handle().requests();
    yandex_promo_test_support::assert_conforms(logged.iter().map(|r| Exchange {
        method: &r.method,
        path: &r.path,
        status: r.status,
        body: r.response_body.as_deref(),
    }))
}
