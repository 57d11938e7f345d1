//! Go for Business promo code orders under `/integration/2.0/promocodes/orders/`: list,
//! info, create (the documented rules of [`super::rules`], idempotency tokens, the zones an
//! order names) and cancel, and the API's view of a stored order.
use std::{collections::BTreeMap, sync::Arc};

use axum::{
    Json, Router,
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use rust_decimal::Decimal;
use serde_json::json;
use uuid::Uuid;
use yandex_promo_raw::{
    go::types::{
        GeoRestrictionRef, GeoZone, Order, OrderGeoRestriction, Pricing, PromocodeOrder,
        PromocodeOrderCancelResponse, PromocodeOrderCreateResponse, PromocodeOrderListResponse,
    },
    open::{OrderStatus, Service},
};

use super::{
    caller::{Caller, bad_request, reject},
    rules,
    store::{CreateRefused, GoData, StoredOrder},
};
use crate::{
    envelope::{Refusal, go_error_with_details},
    middleware::broken_response,
    state::Shared,
};

/// The routes of orders.
pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/integration/2.0/promocodes/orders/list", get(list_orders))
        .route("/integration/2.0/promocodes/orders/info", get(order_info))
        .route(
            "/integration/2.0/promocodes/orders/create",
            post(create_order),
        )
        .route(
            "/integration/2.0/promocodes/orders/cancel",
            post(cancel_order),
        )
}

/// The order the query names by `order_id`, if the caller's client owns it (404
/// otherwise, also for another client's order), with its id.
pub(super) fn owned_order<'c, 'd>(
    caller: &'c Caller,
    data: &'d mut GoData,
) -> Result<(&'c str, &'d mut StoredOrder), Refusal> {
    let order_id = caller.required("order_id")?;
    let order = data
        .order_of(&caller.client, order_id)
        .ok_or_else(not_found)?;
    Ok((order_id, order))
}

fn not_found() -> Refusal {
    reject(StatusCode::NOT_FOUND, "NOT_FOUND", "order not found")
}

async fn list_orders(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
) -> Result<Response, Refusal> {
    let limit = caller.limit(None)?;
    let Caller { client, params } = caller;
    let data = shared.data();
    let start = params.get("cursor").cloned().unwrap_or_default();
    let mut mine = data
        .go
        .orders
        .range(start..)
        .filter(|(_, order)| order.corp_client == client);
    let page: Vec<Order> = mine
        .by_ref()
        .take(limit)
        .map(|(id, order)| order_view(&shared, id, order))
        .collect();
    let next_cursor = mine.next().map(|(id, _)| id.clone());
    Ok(Json(PromocodeOrderListResponse {
        orders: page,
        next_cursor,
    })
    .into_response())
}

async fn order_info(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
) -> Result<Response, Refusal> {
    let mut data = shared.data();
    let (order_id, order) = owned_order(&caller, &mut data.go)?;
    Ok(Json(order_view(&shared, order_id, order)).into_response())
}

async fn create_order(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Refusal> {
    let client = caller.client;
    let token = headers
        .get("x-idempotency-token")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| bad_request("the X-Idempotency-Token header is required"))?;
    let token =
        Uuid::parse_str(token).map_err(|_| bad_request("X-Idempotency-Token must be a UUID"))?;
    let body: serde_json::Value = serde_json::from_slice(&body)
        .map_err(|e| bad_request(format!("the body is not JSON: {e}")))?;
    let broken = rules::check_create(&body, shared.today());
    if !broken.is_empty() {
        let message = broken
            .iter()
            .map(|b| format!("{} {}", b.field, b.rule))
            .collect::<Vec<_>>()
            .join("; ");
        return Ok(go_error_with_details(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            message,
            json!({ "violations": broken }),
        ));
    }
    let request: PromocodeOrder = serde_json::from_value(body)
        .map_err(|e| bad_request(format!("invalid request body: {e}")))?;
    let mut data = shared.data();
    // A repeated token returns its order as it was, whatever became of its zones since.
    let zones = if data.go.knows_token(&client, token) {
        BTreeMap::new()
    } else {
        referenced_zones(&data.go, &client, &request)?
    };
    let (order_id, new) = data
        .go
        .create(&shared.config, &client, token, request)
        .map_err(|CreateRefused::Full(message)| {
            reject(StatusCode::TOO_MANY_REQUESTS, "TOO_MANY_REQUESTS", message)
        })?;
    let fails = new && data.faults.take_failed_order();
    if new && let Some(order) = data.go.orders.get_mut(&order_id) {
        order.zones = zones;
        order.fails = fails;
    }
    let drop_connection = data.faults.take_drop_after_create();
    drop(data);
    if drop_connection {
        return Ok(broken_response());
    }
    let created = PromocodeOrderCreateResponse { order_id, id: None };
    Ok(Json(created).into_response())
}

/// Every zone an order references, as it is now: the order keeps this copy. A zone that
/// does not exist, or is another client's, refuses the order with 400.
fn referenced_zones(
    data: &GoData,
    client: &str,
    request: &PromocodeOrder,
) -> Result<BTreeMap<String, GeoZone>, Refusal> {
    let references = request
        .geo_restrictions
        .iter()
        .flat_map(|g| [&g.source, &g.destination])
        .flatten();
    let mut zones = BTreeMap::new();
    for reference in references {
        let id = &reference.geo_restriction_id;
        let zone = data
            .zones
            .get(id)
            .filter(|zone| zone.corp_client == client)
            .ok_or_else(|| bad_request(format!("geo restriction {id} does not exist")))?;
        let snapshot = GeoZone {
            corp_geo_id: id.clone(),
            name: zone.name.clone(),
            geo: zone.geo.clone(),
        };
        zones.insert(id.clone(), snapshot);
    }
    Ok(zones)
}

async fn cancel_order(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
) -> Result<Response, Refusal> {
    let mut data = shared.data();
    let (_, order) = owned_order(&caller, &mut data.go)?;
    if order.codes.iter().any(|c| !c.used_at.is_empty()) {
        return Err(reject(
            StatusCode::CONFLICT,
            "CONFLICT",
            "the order cannot be cancelled: some of its codes were used",
        ));
    }
    order.cancelled = true;
    Ok(Json(PromocodeOrderCancelResponse {
        status: "cancelled".to_owned(),
    })
    .into_response())
}

/// The API's view of a stored order: status from its age and cancellation, pricing from
/// value and count (VAT 20%), `revoke_count` from its revoked codes, zones resolved with a
/// name and an area.
fn order_view(shared: &Shared, order_id: &str, order: &StoredOrder) -> Order {
    let request = &order.request;
    let ready = order.ready(shared.config.ready_after);
    let status = if order.cancelled {
        OrderStatus::CancellationSuccess
    } else if ready && order.fails {
        OrderStatus::CreationFailed
    } else if ready {
        OrderStatus::CreationSuccess
    } else {
        OrderStatus::Pending
    };
    // Money with two decimals, as the service sends it ("6600.00").
    let cost = Decimal::new(i64::from(request.value) * i64::from(request.count) * 100, 2);
    let vat_rate = Decimal::new(20, 2);
    // Each reference expanded from the order's copy of its zone.
    let zone = |reference: &Option<GeoRestrictionRef>| {
        reference
            .as_ref()
            .and_then(|r| order.zones.get(&r.geo_restriction_id).cloned())
    };
    Order {
        order_id: order_id.to_owned(),
        count: request.count,
        value: request.value,
        status,
        active_until: request.active_until,
        service: request.service.clone().unwrap_or(Service::Taxi),
        pricing: Pricing {
            cost: cost.round_dp(2),
            cost_with_vat: (cost + cost * vat_rate).round_dp(2),
            currency: "RUB".to_owned(),
            vat: vat_rate,
            discount: None,
        },
        revoke_count: Some(i32::try_from(order.revoked_count()).unwrap_or(i32::MAX)),
        classes: request.classes.clone(),
        bin_ranges: request.bin_ranges.clone(),
        bank_name: request.bank_name.clone(),
        geo_restrictions: request
            .geo_restrictions
            .iter()
            .map(|g| OrderGeoRestriction {
                source: zone(&g.source),
                destination: zone(&g.destination),
                max_intermediate_points: Some(g.max_intermediate_points),
            })
            .collect(),
        order_kinds: None,
        fuel_types: Vec::new(),
    }
}
