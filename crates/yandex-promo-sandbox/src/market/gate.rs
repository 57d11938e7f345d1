//! What every Market operation does before its own work: count the request against the
//! operation's hourly budget (each operation has its own; 420 past it), check that a
//! credential came and that `businessId` is an integer >= 1, and put the
//! `X-RateLimit-Resource-*` headers on the answer, whatever it is.
use std::{collections::HashMap, sync::Arc};

use axum::{
    body::Bytes,
    extract::{Path, Query, State},
    http::{HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::{MethodRouter, post},
};
use chrono::{Duration, SubsecRound as _, Utc};
use serde::de::DeserializeOwned;

use crate::{
    envelope::{Api, Refusal},
    state::Shared,
};

/// A Market operation and its documented request budget per window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operation {
    GetPromos,
    GetPromoOffers,
    UpdatePromoOffers,
    DeletePromoOffers,
}

impl Operation {
    fn name(self) -> &'static str {
        match self {
            Self::GetPromos => "getPromos",
            Self::GetPromoOffers => "getPromoOffers",
            Self::UpdatePromoOffers => "updatePromoOffers",
            Self::DeletePromoOffers => "deletePromoOffers",
        }
    }

    fn budget(self, shared: &Shared) -> u32 {
        match self {
            Self::GetPromos => shared.config.market_budget,
            _ => shared.config.market_offers_budget,
        }
    }
}

/// A refusal in Market's envelope with this status, code and message.
pub(crate) fn error(status: StatusCode, code: &'static str, message: impl Into<String>) -> Refusal {
    Api::Market.refuse(status, code, message)
}

/// A 400 `BAD_REQUEST`.
pub(crate) fn bad_request(message: impl Into<String>) -> Refusal {
    error(StatusCode::BAD_REQUEST, "BAD_REQUEST", message)
}

/// A JSON body as `T`, or the 400 that names what is wrong with it.
pub(crate) fn json_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, Refusal> {
    serde_json::from_slice(body).map_err(|e| bad_request(format!("invalid request body: {e}")))
}

/// What an operation does with an admitted request: the state, the query and the body in, the
/// answer out.
pub(crate) type Work = fn(&Shared, &HashMap<String, String>, &[u8]) -> Result<Response, Refusal>;

/// The `POST` route of `operation`: admits the request, runs `work`, adds the budget headers.
pub(crate) fn route(operation: Operation, work: Work) -> MethodRouter<Arc<Shared>> {
    post(
        move |State(shared): State<Arc<Shared>>,
              Path(business_id): Path<String>,
              Query(query): Query<HashMap<String, String>>,
              headers: HeaderMap,
              body: Bytes| async move {
            answer(&shared, operation, &business_id, &headers, || {
                work(&shared, &query, &body)
            })
        },
    )
}

/// Runs `work` for an admitted request of `operation`, with the budget headers on the answer.
fn answer(
    shared: &Shared,
    operation: Operation,
    business_id: &str,
    headers: &HeaderMap,
    work: impl FnOnce() -> Result<Response, Refusal>,
) -> Response {
    let (allowed, limit_headers) = spend_budget(shared, operation);
    let mut response = admit(allowed, operation, business_id, headers)
        .and_then(|()| work())
        .unwrap_or_else(IntoResponse::into_response);
    response.headers_mut().extend(limit_headers);
    response
}

fn admit(
    allowed: bool,
    operation: Operation,
    business_id: &str,
    headers: &HeaderMap,
) -> Result<(), Refusal> {
    let credential = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    let bearer = credential("authorization")
        .and_then(|v| v.strip_prefix("Bearer "))
        .filter(|t| !t.is_empty());
    let api_key = credential("api-key").filter(|k| !k.is_empty());
    if bearer.is_none() && api_key.is_none() {
        return Err(error(
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
            "an Api-Key or an OAuth token is required",
        ));
    }
    if !allowed {
        let status = StatusCode::from_u16(420).unwrap_or(StatusCode::TOO_MANY_REQUESTS);
        return Err(error(
            status,
            "LIMIT_EXCEEDED",
            format!("the request limit of {} is spent", operation.name()),
        ));
    }
    match business_id.parse::<u64>() {
        Ok(id) if id >= 1 => Ok(()),
        _ => Err(bad_request(format!(
            "businessId must be an integer >= 1, not {business_id:?}"
        ))),
    }
}

/// Counts a request against its operation's window; returns whether it is within the budget
/// and the `X-RateLimit-Resource-*` headers to send.
fn spend_budget(shared: &Shared, operation: Operation) -> (bool, HeaderMap) {
    let limit = operation.budget(shared);
    let length = Duration::from_std(shared.config.market_window).unwrap_or(Duration::hours(1));
    let now = Utc::now();
    let mut data = shared.data();
    let window = match data.market.windows.get(operation.name()) {
        Some(&(start, used)) if now < start + length => (start, used.saturating_add(1)),
        _ => (now.trunc_subsecs(0), 1),
    };
    data.market.windows.insert(operation.name(), window);
    drop(data);
    let (start, used) = window;
    let mut headers = HeaderMap::new();
    let mut put = |name: &'static str, value: String| {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    };
    put("x-ratelimit-resource-limit", limit.to_string());
    put(
        "x-ratelimit-resource-remaining",
        limit.saturating_sub(used).to_string(),
    );
    put("x-ratelimit-resource-until", (start + length).to_rfc2822());
    (used <= limit, headers)
}
