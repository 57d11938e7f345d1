//! The test controls over HTTP, under `/__sandbox/`, when
//! [`crate::SandboxConfig::admin_routes`] is on: the same operations as
//! [`crate::SandboxHandle`], for a sandbox running in another process.
use std::sync::Arc;

use axum::{
    Json, Router,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::json;

use crate::{
    envelope::Api,
    faults::Faults,
    go::store::UsageRefused,
    handle::SandboxHandle,
    state::{LoggedRequest, Shared},
};

/// The HTTP form of the controls.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/__sandbox/reset", post(reset))
        .route("/__sandbox/faults", get(get_faults).post(set_faults))
        .route("/__sandbox/requests", get(requests))
        .route("/__sandbox/orders", post(seed_order))
        .route("/__sandbox/zones", post(seed_zones))
        .route(
            "/__sandbox/market/promos/{promo_id}/offers",
            post(seed_offers),
        )
        .route(
            "/__sandbox/market/promos/{promo_id}/conditions",
            post(shift_market_conditions),
        )
        .route("/__sandbox/market/promos/{promo_id}/end", post(end_promo))
        .route("/__sandbox/orders/{order_id}/use-codes", post(use_codes))
        .route("/__sandbox/orders/{order_id}/usages", post(record_usages))
        .route("/__sandbox/orders/{order_id}/revoke", post(revoke_codes))
        .route("/__sandbox/usage-demo", post(seed_usage_demo))
}

fn handle(shared: Arc<Shared>) -> SandboxHandle {
    SandboxHandle { shared }
}

async fn reset(State(shared): State<Arc<Shared>>) -> StatusCode {
    handle(shared).reset();
    StatusCode::NO_CONTENT
}

async fn get_faults(State(shared): State<Arc<Shared>>) -> Json<Faults> {
    Json(handle(shared).faults())
}

async fn set_faults(State(shared): State<Arc<Shared>>, Json(faults): Json<Faults>) -> StatusCode {
    handle(shared).set_faults(faults);
    StatusCode::NO_CONTENT
}

async fn requests(State(shared): State<Arc<Shared>>) -> Json<Vec<LoggedRequest>> {
    Json(handle(shared).requests())
}

/// How many items to seed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Count {
    count: u32,
}

async fn seed_zones(State(shared): State<Arc<Shared>>, Json(body): Json<Count>) -> Response {
    let ids = handle(shared).seed_zones(body.count);
    (StatusCode::CREATED, Json(json!({"ids": ids}))).into_response()
}

async fn seed_offers(
    State(shared): State<Arc<Shared>>,
    Path(promo_id): Path<String>,
    Json(body): Json<Count>,
) -> Response {
    match handle(shared).seed_offers(&promo_id, u64::from(body.count)) {
        Some(offers) => (StatusCode::CREATED, Json(json!({"offers": offers}))).into_response(),
        None => Api::Market.error(StatusCode::NOT_FOUND, "NOT_FOUND", "no such promo"),
    }
}

/// The conditions to set, in percent of the seeded ones.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Conditions {
    percent: u64,
}

async fn shift_market_conditions(
    State(shared): State<Arc<Shared>>,
    Path(promo_id): Path<String>,
    Json(body): Json<Conditions>,
) -> Response {
    match handle(shared).shift_market_conditions(&promo_id, body.percent) {
        Some(offers) => Json(json!({"offers": offers})).into_response(),
        None => Api::Market.error(StatusCode::NOT_FOUND, "NOT_FOUND", "no such promo"),
    }
}

async fn end_promo(State(shared): State<Arc<Shared>>, Path(promo_id): Path<String>) -> Response {
    if handle(shared).end_promo(&promo_id) {
        StatusCode::NO_CONTENT.into_response()
    } else {
        Api::Market.error(StatusCode::NOT_FOUND, "NOT_FOUND", "no such promo")
    }
}

async fn seed_order(State(shared): State<Arc<Shared>>, Json(body): Json<Count>) -> Response {
    let order_id = handle(shared).seed_order(body.count);
    (StatusCode::CREATED, Json(json!({"order_id": order_id}))).into_response()
}

/// How many codes to use or revoke.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UseCodes {
    count: usize,
}

async fn use_codes(
    State(shared): State<Arc<Shared>>,
    Path(order_id): Path<String>,
    Json(body): Json<UseCodes>,
) -> Response {
    match handle(shared).use_codes(&order_id, body.count) {
        Some(used) => Json(json!({"used": used})).into_response(),
        None => Api::Go.error(StatusCode::NOT_FOUND, "NOT_FOUND", "order not found"),
    }
}

/// Usages to record, all or none.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Usages {
    usages: Vec<Usage>,
}

/// One usage of a code.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Usage {
    code_id: String,
    used_at: DateTime<Utc>,
}

async fn record_usages(
    State(shared): State<Arc<Shared>>,
    Path(order_id): Path<String>,
    Json(body): Json<Usages>,
) -> Response {
    let usages: Vec<(&str, DateTime<Utc>)> = body
        .usages
        .iter()
        .map(|u| (u.code_id.as_str(), u.used_at))
        .collect();
    match handle(shared).record_usages(&order_id, &usages) {
        Ok(counts) => Json(json!({"recorded": counts.len()})).into_response(),
        Err((_, UsageRefused::UnknownOrder { .. })) => {
            Api::Go.error(StatusCode::NOT_FOUND, "NOT_FOUND", "order not found")
        }
        Err((position, refused)) => Api::Go.error(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            format!("usages[{position}]: {refused}; nothing was recorded"),
        ),
    }
}

async fn revoke_codes(
    State(shared): State<Arc<Shared>>,
    Path(order_id): Path<String>,
    Json(body): Json<UseCodes>,
) -> Response {
    match handle(shared).revoke_codes(&order_id, body.count) {
        Some(revoked) => Json(json!({"revoked": revoked})).into_response(),
        None => Api::Go.error(StatusCode::NOT_FOUND, "NOT_FOUND", "order not found"),
    }
}

async fn seed_usage_demo(State(shared): State<Arc<Shared>>) -> Response {
    let order_ids = handle(shared).seed_usage_demo();
    (StatusCode::CREATED, Json(json!({"order_ids": order_ids}))).into_response()
}
