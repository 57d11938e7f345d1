//! What every test module shares: a recording sandbox, one HTTP client per test thread, the
//! Go and Market requests as a client sends them, the request bodies used in several areas,
//! and the schema check of every logged answer.
use serde_json::{Value, json};
use yandex_promo_sandbox::{RunningSandbox, SandboxConfig};
use yandex_promo_test_support::{Exchange, assert_conforms};

const TOKEN: &str = "sandbox-http-test";

/// One connection pool per test: each test thread has its own runtime, and a pooled
/// connection must not outlive the runtime that opened it.
pub fn http() -> reqwest::Client {
    thread_local!(static HTTP: reqwest::Client = reqwest::Client::new());
    HTTP.with(reqwest::Client::clone)
}

/// The settings of [`sandbox`]: it records its answers, is seeded with `seed`, dated on the
/// fixtures' today, and its orders are issued at once.
pub fn config(seed: u64) -> SandboxConfig {
    SandboxConfig {
        record_responses: true,
        seed: Some(seed),
        today: Some(yandex_promo_test_support::today()),
        ready_after: std::time::Duration::ZERO,
        ..SandboxConfig::default()
    }
}

/// A sandbox that records its answers, seeded with `seed`, dated on the fixtures' today, whose
/// orders are issued at once.
pub async fn sandbox(seed: u64) -> RunningSandbox {
    yandex_promo_sandbox::start(config(seed))
        .await
        .expect("the sandbox starts")
}

/// Checks every logged answer against its schema; returns how many were checked.
pub fn conforms(sandbox: &RunningSandbox) -> usize {
    let logged = sandbox.handle().requests();
    assert_conforms(logged.iter().map(|r| Exchange {
        method: &r.method,
        path: &r.path,
        status: r.status,
        body: r.response_body.as_deref(),
    }))
}

/// Sends a request with the Go token; returns the status and the JSON body.
pub async fn go(
    sandbox: &RunningSandbox,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let url = format!("{}{path}", sandbox.go_base_url());
    let mut request = match method {
        "POST" => http().post(url),
        _ => http().get(url),
    }
    .bearer_auth(TOKEN)
    .header(
        "x-idempotency-token",
        "6f1c2b0e-1f9a-4c0e-9d2a-3b7e8f4a5c61",
    );
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("answered");
    let status = response.status().as_u16();
    (status, response.json().await.expect("a JSON body"))
}

/// A Go `GET`; returns the status and the JSON body.
pub async fn get(sandbox: &RunningSandbox, path: &str) -> (u16, Value) {
    go(sandbox, "GET", path, None).await
}

/// A Go `POST` with `body`; returns the status and the JSON body.
pub async fn post(sandbox: &RunningSandbox, path: &str, body: Option<Value>) -> (u16, Value) {
    go(sandbox, "POST", path, body).await
}

/// Sends a Market request with an API key and an empty JSON body; returns the status and
/// the JSON body.
pub async fn market(sandbox: &RunningSandbox, method: &str, path: &str) -> (u16, Value) {
    let url = format!("{}{path}", sandbox.market_base_url());
    let request = match method {
        "POST" => http().post(url),
        _ => http().get(url),
    };
    let response = request
        .header("api-key", "sandbox-key")
        .json(&json!({}))
        .send()
        .await
        .expect("answered");
    let status = response.status().as_u16();
    (status, response.json().await.expect("a JSON body"))
}

/// A valid create body.
pub fn order() -> Value {
    json!({"value": 500, "count": 5, "active_until": "2025-03-31"})
}

/// A zone body, centre `[longitude, latitude]`.
pub fn zone(name: &str, radius: i64) -> Value {
    json!({"name": name, "geo_type": "circle", "geo": {"center": [37.642639, 55.734894], "radius": radius}})
}
