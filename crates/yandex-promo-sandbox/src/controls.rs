//! Test controls: fault injection, the request log, marking codes used, reset. Reachable
//! in-process through [`SandboxHandle`], and over HTTP under `/__sandbox/` when
//! [`crate::SandboxConfig::admin_routes`] is on.
use std::{
    collections::BTreeMap,
    sync::{Arc, atomic::Ordering},
    time::{Duration, Instant},
};

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

use yandex_promo::{Clock as _, SystemClock, go::NewOrder};

use crate::state::{LoggedRequest, Shared};

/// What the next requests suffer. Counters go down as faults are spent; rates apply to every
/// request, drawn from a generator seeded with [`Faults::seed`], so a run that sends its
/// requests in the same order meets the same faults.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
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
    /// The chance, from 0.0 to 1.0, that a request (once `fail_next` is spent) fails with one
    /// of [`Faults::random_failures`].
    pub failure_rate: f64,
    /// The kinds of random failure, picked at random; `[failure]` when empty.
    pub random_failures: Vec<Failure>,
    /// The chance, from 0.0 to 1.0, that a create which committed its order (once
    /// `drop_after_create` is spent) drops the connection instead of answering.
    pub drop_after_create_rate: f64,
    /// Seeds the generator behind the rates when the plan is set.
    pub seed: u64,
}

/// How an injected failure answers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Failure {
    /// 500 with the vendor's JSON error body.
    #[default]
    Status500,
    /// 503 with the vendor's JSON error body, as an overloaded service answers.
    Status503,
    /// 502 with an HTML page, as a proxy in front of the service answers.
    Html502,
}

/// The fault plan with the generator that draws its random faults.
#[derive(Debug, Default)]
pub(crate) struct FaultPlan {
    pub(crate) faults: Faults,
    rng: fastrand::Rng,
}

impl FaultPlan {
    pub(crate) fn new(faults: Faults) -> Self {
        let rng = fastrand::Rng::with_seed(faults.seed);
        Self { faults, rng }
    }

    /// Whether this committed create drops its connection: a counted fault first, then
    /// the rate.
    pub(crate) fn take_drop_after_create(&mut self) -> bool {
        let faults = &mut self.faults;
        if faults.drop_after_create > 0 {
            faults.drop_after_create -= 1;
            return true;
        }
        self.rng.f64() < faults.drop_after_create_rate
    }

    /// The failure this request suffers, if any: a counted one first, then the rate.
    fn take_failure(&mut self) -> Option<Failure> {
        let faults = &mut self.faults;
        if faults.fail_next > 0 {
            faults.fail_next -= 1;
            return Some(faults.failure);
        }
        if self.rng.f64() >= faults.failure_rate {
            return None;
        }
        let kinds = &faults.random_failures;
        Some(match kinds.len() {
            0 => faults.failure,
            n => kinds[self.rng.usize(..n)],
        })
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
        self.shared.data().faults = FaultPlan::new(faults);
    }

    /// The fault plan as it stands (counters already spent are gone).
    pub fn faults(&self) -> Faults {
        self.shared.data().faults.faults.clone()
    }

    /// Marks up to `count` unused codes of an order as used now; returns how many were
    /// marked, or `None` for an unknown order.
    pub fn use_codes(&self, order_id: &str, count: usize) -> Option<usize> {
        self.shared.data().use_codes(order_id, count)
    }

    /// Adds an issued taxi order with `count` active codes for the default corporate client
    /// and returns its id. It skips the service's limit of 1,000 codes per order and the
    /// sandbox's caps, so load tests and benchmarks can page through large code lists.
    pub fn seed_order(&self, count: u32) -> String {
        let today = SystemClock.today();
        let mut request = NewOrder::new(100, 5, today + chrono::Days::new(30))
            .to_request(today)
            .expect("a fixed taxi order for 100 RUB, valid 30 days, passes validation");
        request.count = i32::try_from(count).unwrap_or(i32::MAX);
        let mut data = self.shared.data();
        let client = &self.shared.config.default_corp_client;
        let order_id = data.insert_order(client, request, count as usize);
        if let Some(order) = data.orders.get_mut(&order_id) {
            order.created = Instant::now()
                .checked_sub(self.shared.config.ready_after)
                .unwrap_or(order.created);
        }
        order_id
    }

    /// The requests received so far, oldest first (at most the configured capacity).
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.shared.data().log.iter().cloned().collect()
    }

    /// The number of orders held.
    pub fn order_count(&self) -> usize {
        self.shared.data().orders.len()
    }

    /// The most API requests it has handled at once (test controls not counted).
    pub fn peak_in_flight(&self) -> usize {
        self.shared.peak_in_flight.load(Ordering::SeqCst)
    }

    /// Forgets every order, token, logged request, fault and the in-flight peak.
    pub fn reset(&self) {
        self.shared.data().reset();
        self.shared.peak_in_flight.store(0, Ordering::SeqCst);
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
    let _in_flight = (!is_control).then(|| shared.enter());
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
            Duration::from_millis(data.faults.faults.latency_ms),
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
        Some(Failure::Status503) => crate::go::error(
            StatusCode::SERVICE_UNAVAILABLE,
            "SERVICE_UNAVAILABLE",
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
        .route("/__sandbox/orders", post(seed_order))
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
struct SeedOrder {
    count: u32,
}

async fn seed_order(State(shared): State<Arc<Shared>>, Json(body): Json<SeedOrder>) -> Response {
    let order_id = handle(shared).seed_order(body.count);
    (StatusCode::CREATED, Json(json!({"order_id": order_id}))).into_response()
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
