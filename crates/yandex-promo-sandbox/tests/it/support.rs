//! Starting a sandbox for a test, clients for it, and the conformance check of its responses.
use std::{collections::HashMap, path::PathBuf, time::Duration};

use serde_json::Value;
use yandex_promo::{
    RetryPolicy,
    go::GoClient,
    market::{MarketAuth, MarketClient},
};
use yandex_promo_sandbox::{RunningSandbox, SandboxConfig};

pub const TOKEN: &str = "sandbox-test-token";

/// A sandbox that records every response, for [`assert_conforms`].
pub async fn sandbox(config: SandboxConfig) -> RunningSandbox {
    yandex_promo_sandbox::start(SandboxConfig {
        record_responses: true,
        ..config
    })
    .await
    .expect("the sandbox starts")
}

pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::standard().with_backoff(Duration::from_millis(1), Duration::from_millis(5))
}

/// A Go client for the sandbox with `token`.
pub fn go(sandbox: &RunningSandbox, token: &str) -> GoClient {
    GoClient::builder()
        .token(token)
        .base_url(sandbox.go_base_url())
        .retry(fast_retries())
        .build()
        .expect("client")
}

/// A Market client for the sandbox.
pub fn market(sandbox: &RunningSandbox) -> MarketClient {
    MarketClient::builder(MarketAuth::api_key("sandbox-key"), 42)
        .base_url(sandbox.market_base_url())
        .retry(RetryPolicy::disabled())
        .build()
        .expect("client")
}

/// Today's date plus `days`, as the sandbox counts it.
pub fn in_days(days: u64) -> chrono::NaiveDate {
    use yandex_promo::Clock as _;
    yandex_promo::SystemClock.today() + chrono::Days::new(days)
}

fn schema(spec: &str, name: &str) -> jsonschema::Validator {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "..",
        "..",
        "openapi",
        "generated",
        "schemas",
        spec,
        &format!("{name}.json"),
    ]
    .iter()
    .collect();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let schema: Value = serde_json::from_str(&text).expect("schema JSON");
    jsonschema::validator_for(&schema).expect("a valid schema")
}

/// The schema a response must match, by path and status; `None` for the test controls and
/// for the injected HTML 502, which stands for a proxy, not the service.
fn schema_name(path: &str, status: u16) -> Option<(&'static str, &'static str)> {
    let ok = (200..300).contains(&status);
    if path.starts_with("/v2/") {
        return Some((
            "market-partner",
            if ok {
                "GetPromosResponse"
            } else {
                "ApiErrorResponse"
            },
        ));
    }
    if !path.starts_with("/integration/") || status == 502 {
        return None;
    }
    if !ok {
        return Some(("go-business", "Error"));
    }
    let name = match path.rsplit("/orders/").next()? {
        "list" => "PromocodeOrderListResponse",
        "info" => "Order",
        "create" => "PromocodeOrderCreateResponse",
        "cancel" => "PromocodeOrderCancelResponse",
        "codes/list" => "CodeListResponse",
        _ => return None,
    };
    Some(("go-business", name))
}

/// Checks every response the sandbox has given against its schema; returns how many.
pub fn assert_conforms(sandbox: &RunningSandbox) -> usize {
    let mut validators: HashMap<(&str, &str), jsonschema::Validator> = HashMap::new();
    let mut checked = 0;
    for logged in sandbox.handle().requests() {
        let Some(key) = schema_name(&logged.path, logged.status) else {
            continue;
        };
        let Some(body) = &logged.response_body else {
            continue;
        };
        let validator = validators
            .entry(key)
            .or_insert_with(|| schema(key.0, key.1));
        let instance: Value = serde_json::from_str(body).unwrap_or_else(|e| {
            panic!(
                "{} {} answered non-JSON ({e}): {body}",
                logged.method, logged.path
            )
        });
        let problems: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| e.to_string())
            .collect();
        assert!(
            problems.is_empty(),
            "{} {} -> {}: {body}\ndoes not match {}: {problems:?}",
            logged.method,
            logged.path,
            logged.status,
            key.1
        );
        checked += 1;
    }
    checked
}
