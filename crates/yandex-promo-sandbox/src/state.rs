//! The sandbox's memory: orders with their codes, idempotency tokens, the request log, the
//! fault plan and the Market request window. One mutex guards it all, so concurrent
//! duplicates of a create are serialised and create one order.
//!
//! Order ids, code ids and codes are drawn from one generator, seeded from
//! [`SandboxConfig::seed`] when it is set: the same requests in the same order then get the
//! same ids and codes, run after run.
use std::{
    collections::{BTreeMap, HashMap, HashSet, VecDeque},
    sync::{
        Arc, Mutex, MutexGuard,
        atomic::{AtomicUsize, Ordering},
    },
    time::Instant,
};

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;
use yandex_promo_raw::go::types::{GeoArea, GeoZone, PromocodeOrder};

use crate::{SandboxConfig, assortment::Market, faults::FaultPlan};

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

#[derive(Debug)]
pub(crate) struct Data {
    seed: Option<u64>,
    ids: fastrand::Rng,
    next_order: u64,
    pub(crate) orders: BTreeMap<String, StoredOrder>,
    by_token: HashMap<(String, Uuid), String>,
    issued_codes: HashSet<String>,
    pub(crate) log: VecDeque<LoggedRequest>,
    logged: u64,
    pub(crate) faults: FaultPlan,
    /// Each Market operation's budget window: when it started and the requests counted.
    pub(crate) market_windows: HashMap<&'static str, (DateTime<Utc>, u32)>,
    /// The Market catalogue and every promo's assortment.
    pub(crate) market: Market,
    pub(crate) zones: BTreeMap<String, StoredZone>,
    /// Counts zone writes, so a list can put the zones most recently written first.
    zone_writes: u64,
}

/// A geo zone as the sandbox keeps it.
#[derive(Debug, Clone)]
pub(crate) struct StoredZone {
    pub(crate) corp_client: String,
    pub(crate) name: String,
    /// `center` is `[longitude, latitude]`, as the zone pages document it.
    pub(crate) geo: GeoArea,
    /// When it was last written, in zone writes.
    pub(crate) written: u64,
}

/// An order as the sandbox keeps it.
#[derive(Debug)]
pub(crate) struct StoredOrder {
    pub(crate) corp_client: String,
    pub(crate) request: PromocodeOrder,
    pub(crate) created: Instant,
    pub(crate) cancelled: bool,
    pub(crate) codes: Vec<StoredCode>,
    /// The zones the order references, as they were when it was made.
    pub(crate) zones: BTreeMap<String, GeoZone>,
    /// Whether it ends as `creation_failed` (see `Faults::failed_orders`).
    pub(crate) fails: bool,
}

impl StoredOrder {
    /// Whether the service has finished making it: `pending` lasts `ready_after`.
    pub(crate) fn ready(&self, ready_after: std::time::Duration) -> bool {
        self.created.elapsed() >= ready_after
    }
}

#[derive(Debug)]
pub(crate) struct StoredCode {
    pub(crate) id: String,
    pub(crate) code: String,
    pub(crate) used_at: Vec<DateTime<Utc>>,
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
    /// The response body, when [`crate::SandboxConfig::record_responses`] is on.
    pub response_body: Option<String>,
}

/// Why a create was refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum CreateRefused {
    /// The order or code cap would be exceeded.
    Full(String),
}

/// Letters and digits that cannot be confused when read aloud or typed (no 0/O, 1/I).
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

impl Data {
    /// Empty; ids come from a generator seeded with `seed`, or from entropy without one.
    fn new(seed: Option<u64>) -> Self {
        Self {
            seed,
            ids: seed.map_or_else(fastrand::Rng::new, fastrand::Rng::with_seed),
            next_order: 0,
            orders: BTreeMap::new(),
            by_token: HashMap::new(),
            issued_codes: HashSet::new(),
            log: VecDeque::new(),
            logged: 0,
            faults: FaultPlan::default(),
            market_windows: HashMap::new(),
            market: Market::seeded(),
            zones: BTreeMap::new(),
            zone_writes: 0,
        }
    }

    /// Stores a zone under a new id (32 hex digits, like the service's); returns the id.
    pub(crate) fn insert_zone(&mut self, corp_client: &str, name: String, geo: GeoArea) -> String {
        let id = format!("{:016x}{:016x}", self.ids.u64(..), self.ids.u64(..));
        self.write_zone(id.clone(), corp_client, name, geo);
        id
    }

    /// Stores a zone under `id`, replacing what was there, as the latest written.
    pub(crate) fn write_zone(&mut self, id: String, corp_client: &str, name: String, geo: GeoArea) {
        self.zone_writes += 1;
        let zone = StoredZone {
            corp_client: corp_client.to_owned(),
            name,
            geo,
            written: self.zone_writes,
        };
        self.zones.insert(id, zone);
    }

    /// Whether `token` already created an order for `corp_client`.
    pub(crate) fn knows_token(&self, corp_client: &str, token: Uuid) -> bool {
        self.by_token.contains_key(&(corp_client.to_owned(), token))
    }

    /// Creates the order of `token` for `corp_client`, or returns the one that token
    /// already created; `true` when it is new.
    pub(crate) fn create(
        &mut self,
        config: &SandboxConfig,
        corp_client: &str,
        token: Uuid,
        request: PromocodeOrder,
    ) -> Result<(String, bool), CreateRefused> {
        if let Some(existing) = self.by_token.get(&(corp_client.to_owned(), token)) {
            return Ok((existing.clone(), false));
        }
        let count = usize::try_from(request.count).unwrap_or(0);
        if self.orders.len() >= config.max_orders {
            return Err(CreateRefused::Full(format!(
                "the sandbox holds its maximum of {} orders",
                config.max_orders
            )));
        }
        if self.issued_codes.len() + count > config.max_codes {
            return Err(CreateRefused::Full(format!(
                "the sandbox holds its maximum of {} codes",
                config.max_codes
            )));
        }
        let order_id = self.insert_order(corp_client, request, count);
        self.by_token
            .insert((corp_client.to_owned(), token), order_id.clone());
        Ok((order_id, true))
    }

    /// Stores a new order with `count` fresh codes, without checking any cap; returns its id.
    pub(crate) fn insert_order(
        &mut self,
        corp_client: &str,
        request: PromocodeOrder,
        count: usize,
    ) -> String {
        self.next_order += 1;
        let order_id = format!("sb{:08}{:08x}", self.next_order, self.ids.u32(..));
        let codes = (0..count)
            .map(|n| StoredCode {
                id: format!("{order_id}-{n:04}"),
                code: self.unique_code(),
                used_at: Vec::new(),
            })
            .collect();
        self.orders.insert(
            order_id.clone(),
            StoredOrder {
                corp_client: corp_client.to_owned(),
                request,
                created: Instant::now(),
                cancelled: false,
                codes,
                zones: BTreeMap::new(),
                fails: false,
            },
        );
        order_id
    }

    fn unique_code(&mut self) -> String {
        loop {
            let code: String = (0..10)
                .map(|_| CODE_ALPHABET[self.ids.usize(..CODE_ALPHABET.len())] as char)
                .collect();
            let code = format!("SB{code}");
            if self.issued_codes.insert(code.clone()) {
                return code;
            }
        }
    }

    /// The order `order_id` if `corp_client` owns it.
    pub(crate) fn order_of(
        &mut self,
        corp_client: &str,
        order_id: &str,
    ) -> Option<&mut StoredOrder> {
        self.orders
            .get_mut(order_id)
            .filter(|order| order.corp_client == corp_client)
    }

    /// Marks up to `count` unused codes of an order as used now; returns how many.
    pub(crate) fn use_codes(&mut self, order_id: &str, count: usize) -> Option<usize> {
        let order = self.orders.get_mut(order_id)?;
        let now = Utc::now();
        let mut used = 0;
        for code in order
            .codes
            .iter_mut()
            .filter(|c| c.used_at.is_empty())
            .take(count)
        {
            code.used_at.push(now);
            used += 1;
        }
        Some(used)
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

    /// Forgets everything: orders, tokens, the log, faults, the Market windows and every
    /// change to the Market assortments. A seeded
    /// sandbox starts its ids over, as if new.
    pub(crate) fn reset(&mut self) {
        *self = Data::new(self.seed);
    }
}
