//! The sandbox's memory and the state every handler shares: one mutex over what each API
//! wing keeps ([`GoData`] from `go/store.rs`, [`MarketData`] from `market/store.rs`), the
//! request log and the fault plan, so concurrent duplicates of a create are serialised and
//! create one order; plus the count of requests in flight and the request date.
//!
//! The arrows point one way: every handler (in `go/`, `market/` and at the root) imports this
//! file for [`Shared`], and this file imports only the wings' `store.rs` files, which import
//! nothing of the crate but the config. No store imports this file back.
use std::{
    collections::{BTreeMap, VecDeque},
    sync::{
        Arc, Mutex, MutexGuard,
        atomic::{AtomicUsize, Ordering},
    },
};

use chrono::{FixedOffset, NaiveDate, Utc};
use serde::Serialize;

use crate::{
    config::SandboxConfig, faults::FaultPlan, go::store::GoData, market::store::MarketData,
};

/// State shared by every handler, and by [`crate::SandboxHandle`].
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) config: SandboxConfig,
    data: Mutex<Data>,
    in_flight: AtomicUsize,
    pub(crate) peak_in_flight: AtomicUsize,
}

impl Shared {
    pub(crate) fn new(config: SandboxConfig) -> Arc<Self> {
        Arc::new(Self {
            data: Mutex::new(Data::new(config.seed)),
            config,
            in_flight: AtomicUsize::new(0),
            peak_in_flight: AtomicUsize::new(0),
        })
    }

    /// The request date the create rules count from: the configured one, else today in
    /// Moscow time (UTC+3, no daylight saving), where the service runs.
    pub(crate) fn today(&self) -> NaiveDate {
        self.config.today.unwrap_or_else(|| {
            let moscow = FixedOffset::east_opt(3 * 3600).expect("UTC+3 is a valid offset");
            Utc::now().with_timezone(&moscow).date_naive()
        })
    }

    /// Counts a request in flight until the guard is dropped, and keeps the peak.
    pub(crate) fn enter(&self) -> InFlight<'_> {
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight(self)
    }

    /// The data; a handler that panicked while holding the lock cannot leave it unusable.
    pub(crate) fn data(&self) -> MutexGuard<'_, Data> {
        self.data
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A request being handled; see [`Shared::enter`].
pub(crate) struct InFlight<'a>(&'a Shared);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Everything the sandbox remembers: one part per API wing, and what they share.
#[derive(Debug)]
pub(crate) struct Data {
    /// The seed the id generator started from, for [`Data::reset`].
    seed: Option<u64>,
    /// Orders, codes, idempotency tokens and geo zones.
    pub(crate) go: GoData,
    /// The budget windows, the catalogue and every promo's assortment.
    pub(crate) market: MarketData,
    pub(crate) log: VecDeque<LoggedRequest>,
    logged: u64,
    pub(crate) faults: FaultPlan,
}

/// One request the sandbox received, as the request log keeps it. Credentials are masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoggedRequest {
    /// The arrival order, from 1.
    pub sequence: u64,
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query string, if any.
    pub query: Option<String>,
    /// Headers by lower-case name; `authorization` and `api-key` values are `<redacted>`.
    pub headers: BTreeMap<String, String>,
    /// The response status; 0 while the request is being handled (or when its connection was
    /// dropped before an answer).
    pub status: u16,
    /// The request body, when [`crate::SandboxConfig::record_responses`] is on (and the body
    /// is neither empty nor over 1 MiB): what a test reads to see exactly what was sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_body: Option<String>,
    /// The response body, when [`crate::SandboxConfig::record_responses`] is on.
    pub response_body: Option<String>,
}

impl Data {
    /// Empty but for the seeded Market; the Go wing draws its ids from a generator seeded
    /// with `seed`, or from entropy without one.
    fn new(seed: Option<u64>) -> Self {
        Self {
            seed,
            go: GoData::new(seed),
            market: MarketData::seeded(),
            log: VecDeque::new(),
            logged: 0,
            faults: FaultPlan::default(),
        }
    }

    /// Appends to the request log, dropping the oldest entry when it is full; returns the
    /// request's sequence number.
    pub(crate) fn log_request(&mut self, capacity: usize, mut request: LoggedRequest) -> u64 {
        self.logged += 1;
        request.sequence = self.logged;
        if capacity > 0 {
            while self.log.len() >= capacity {
                self.log.pop_front();
            }
            self.log.push_back(request);
        }
        self.logged
    }

    /// Records the answer to the request `sequence`, if it is still in the log.
    pub(crate) fn log_response(&mut self, sequence: u64, status: u16, body: Option<String>) {
        if let Some(entry) = self
            .log
            .iter_mut()
            .rev()
            .find(|entry| entry.sequence == sequence)
        {
            entry.status = status;
            entry.response_body = body;
        }
    }

    /// Forgets everything: orders, tokens, zones, the log, faults, the Market windows and
    /// every change to the Market assortments. A seeded sandbox starts its ids over, as if new.
    pub(crate) fn reset(&mut self) {
        *self = Data::new(self.seed);
    }
}
