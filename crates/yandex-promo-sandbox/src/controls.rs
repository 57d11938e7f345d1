//! Test controls: fault injection, the request log, marking codes used, reset. Reachable
//! in-process through [`SandboxHandle`], and over HTTP under `/__sandbox/` when
//! [`crate::SandboxConfig::admin_routes`] is on.
use std::{collections::BTreeMap, sync::Arc, time::Duration};

use axum::{
    Json, Router,
    extract::{Path, Request, State},
    http::StatusCode,
    middleware::Next,
    response::{Html, IntoResponse, Response},
    routing::{get, post},
};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::state::{LoggedRequest, Shared};

/// What the next requests suffer. Counters go down as faults are spent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    /// The next this many requests fail with [`Faults::failure`].
    pub fail_next: u32,
    /// How they fail.
    pub failure: Failure,
    /// The next this many creates commit the order, then drop the connection instead of
    /// answering.
    pub drop_after_create: u32,
    /// Added to every request before it is handled, in milliseconds.
    pub latency_ms: u64,
}

/// How an injected failure answers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Failure {
    /// 500 with the vendor's JSON error body.
    #[default]
    Status500,
    /// 502 with an HTML page, as a proxy in front of the service answers.
    Html502,
}

impl Faults {
    /// Spends one drop-after-create fault, if any is left.
    pub(crate) fn take_drop_after_create(&mut self) -> bool {
        let take = self.drop_after_create > 0;
        self.drop_after_create = self.drop_after_create.saturating_sub(1);
        take
    }

    /// Spends one failure, if any is left.
    fn take_failure(&mut self) -> Option<Failure> {
        let take = self.fail_next > 0;
        self.fail_next = self.fail_next.saturating_sub(1);
        take.then_some(self.failure)
    }
}

/// In-process control of a running sandbox. Cheap to clone.
#[derive(Debug, Clone)]
pub struct SandboxHandle {
    pub(crate) shared: Arc<Shared>,
}

impl SandboxHandle {
    /// Replaces the fault plan.
    pub fn set_faults(&self, faults: Faults) {
        self.shared.data().faults = faults;
    }

    /// The fault plan as it stands (counters already spent are gone).
    pub fn faults(&self) -> Faults {
        self.shared.data().faults.clone()
    }

    /// Marks up to `count` unused codes of an order as used now; returns how many were
    /// marked, or `None` for an unknown order.
    pub fn use_codes(&self, order_id: &str, count: usize) -> Option<usize> {
        self.shared.data().use_codes(order_id, count)
    }

    /// The requests received so far, oldest first (at most the configured capacity).
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.shared.data().log.iter().cloned().collect()
    }

    /// The number of orders held.
    pub fn order_count(&self) -> usize {
        self.shared.data().orders.len()
    }

    /// Forgets every order, token, logged request and fault.
    pub fn reset(&self) {
        self.shared.data().reset();
    }
}

/// Logs each request, applies latency, and answers with an injected failure when one is due.
pub(crate) async fn faults_and_log(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let logged = LoggedRequest {
        sequence: 0,
        method: request.method().to_string(),
        path: request.uri().path().to_owned(),
        query: request.uri().query().map(str::to_owned),
        headers: request
            .headers()
            .iter()
            .map(|(name, value)| {
                let shown = match name.as_str() {
                    "authorization" | "api-key" => "<redacted>".to_owned(),
                    _ => String::from_utf8_lossy(value.as_bytes()).into_owned(),
                };
                (name.as_str().to_owned(), shown)
            })
            .collect::<BTreeMap<_, _>>(),
        status: 0,
        response_body: None,
    };
    let is_control = logged.path.starts_with("/__sandbox/");
    let (sequence, latency, failure) = {
        let mut data = shared.data();
        let sequence = data.log_request(shared.config.request_log_capacity, logged);
        let failure = if is_control {
            None
        } else {
            data.faults.take_failure()
        };
        (
            sequence,
            Duration::from_millis(data.faults.latency_ms),
            failure,
        )
    };
    if !latency.is_zero() && !is_control {
        tokio::time::sleep(latency).await;
    }
    let mut response = match failure {
        Some(Failure::Status500) => crate::go::error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_SERVER_ERROR",
            "fault injected",
        ),
        Some(Failure::Html502) => (
            StatusCode::BAD_GATEWAY,
            Html("<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"),
        )
            .into_response(),
        None => next.run(request).await,
    };
    let status = response.status().as_u16();
    let mut recorded = None;
    if shared.config.record_responses {
        let (parts, body) = response.into_parts();
        response = match axum::body::to_bytes(body, usize::MAX).await {
            Ok(bytes) => {
                recorded = Some(String::from_utf8_lossy(&bytes).into_owned());
                Response::from_parts(parts, bytes.into())
            }
            // A body that fails (an injected dropped connection) must still fail.
            Err(_) => crate::go::broken_response(),
        };
    }
    shared.data().log_response(sequence, status, recorded);
    response
}

/// The HTTP form of the controls.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/__sandbox/reset", post(reset))
        .route("/__sandbox/faults", get(get_faults).post(set_faults))
        .route("/__sandbox/requests", get(requests))
        .route("/__sandbox/orders/{order_id}/use-codes", post(use_codes))
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
        None => crate::go::error(StatusCode::NOT_FOUND, "NOT_FOUND", "order not found"),
    }
}
