//! Shared helpers: clients pointed at a wiremock server, canned bodies, and a snapshot form
//! of the exact requests a server received, with secrets masked.
use std::{fmt::Write as _, time::Duration};

use serde_json::Value;
use wiremock::{MockServer, Request};
use yandex_promo::{
    FixedClock, RetryPolicy,
    go::GoClient,
    market::{MarketAuth, MarketClient},
};

pub const TOKEN: &str = "y0_AgAAAAsecret-oauth-token";
pub const API_KEY: &str = "ACMA:secret-api-key";
pub const CORP_CLIENT: &str = "corp-42";

/// The date the test clock says it is.
pub fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2025, 3, 1).expect("date")
}

/// Retries that do not slow the tests down.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::standard().with_backoff(Duration::from_millis(1), Duration::from_millis(5))
}

/// A Go client for `server`, acting for [`CORP_CLIENT`].
pub fn go_client(server: &MockServer) -> GoClient {
    GoClient::builder()
        .token(TOKEN)
        .corp_client_id(CORP_CLIENT)
        .base_url(format!("{}/integration/2.0", server.uri()))
        .retry(fast_retries())
        .clock(FixedClock::on(today()))
        .build()
        .expect("client")
}

/// A Market client for `server`, business 42, with the API key.
pub fn market_client(server: &MockServer) -> MarketClient {
    MarketClient::builder(MarketAuth::api_key(API_KEY), 42)
        .base_url(server.uri())
        .retry(fast_retries())
        .build()
        .expect("client")
}

/// The Go order of seed 003 with another id and status.
pub fn order_json(id: &str, status: &str) -> Value {
    serde_json::json!({
        "order_id": id, "count": 30, "value": 220, "status": status,
        "active_until": "2025-03-31", "service": "taxi",
        "pricing": {"cost": "6600.00", "cost_with_vat": "7920.00", "currency": "RUB", "vat": "0.20"},
        "revoke_count": 0
    })
}

/// Every request `server` received, as text for a snapshot: method, path, sorted query,
/// headers except the transport's own (host, content-length...), body as pretty JSON.
/// Credentials are masked, so the snapshot proves they were sent without containing them.
pub async fn requests_snapshot(server: &MockServer) -> String {
    let requests = server.received_requests().await.expect("recording is on");
    requests.iter().map(describe).collect::<Vec<_>>().join("\n")
}

fn describe(request: &Request) -> String {
    let mut out = format!("{} {}\n", request.method, request.url.path());
    let mut query: Vec<_> = request.url.query_pairs().collect();
    query.sort();
    for (key, value) in query {
        let _ = writeln!(out, "  ?{key}={value}");
    }
    let mut headers: Vec<_> = request
        .headers
        .iter()
        .filter(|(name, _)| {
            !matches!(
                name.as_str(),
                "host" | "content-length" | "accept-encoding" | "connection"
            )
        })
        .map(|(name, value)| {
            let value = value.to_str().expect("ASCII header");
            let shown = match name.as_str() {
                "authorization" => mask(value, &format!("Bearer {TOKEN}"), "Bearer <token>"),
                "api-key" => mask(value, API_KEY, "<api key>"),
                _ => value.to_owned(),
            };
            format!("  {name}: {shown}")
        })
        .collect();
    headers.sort();
    out.push_str(&headers.join("\n"));
    if !request.body.is_empty() {
        let body: Value = serde_json::from_slice(&request.body).expect("JSON body");
        let _ = write!(
            out,
            "\n  body: {}",
            serde_json::to_string_pretty(&body)
                .expect("JSON")
                .replace('\n', "\n  ")
        );
    }
    out
}

/// Replaces the expected secret with a placeholder, and anything else with a marker that
/// fails the snapshot without printing the value.
fn mask(value: &str, secret: &str, placeholder: &str) -> String {
    if value == secret {
        placeholder.to_owned()
    } else {
        "<unexpected credential>".to_owned()
    }
}

/// The secrets, and the distinctive parts of them, none of which may be printed.
pub fn assert_no_secret(text: &str) {
    for secret in [TOKEN, API_KEY, "secret-oauth-token", "secret-api-key"] {
        assert!(!text.contains(secret), "a secret leaked into: {text}");
    }
}

/// How many requests `server` has received.
pub async fn requests_sent(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .expect("recording is on")
        .len()
}
