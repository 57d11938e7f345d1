//! What the Go for Business wing keeps in the sandbox's memory: orders with their codes,
//! idempotency tokens and geo zones, with the rules of storing them (the sandbox's caps, one
//! order per token, unique codes).
//!
//! Order ids, code ids, codes and zone ids are drawn from one generator, seeded from
//! [`crate::SandboxConfig::seed`] when it is set: the same requests in the same order then get
//! the same ids and codes, run after run.
//!
//! This file sits below [`crate::state`], which holds one [`GoData`] behind the sandbox's one
//! mutex: it imports nothing of the crate but the config, so the handlers above can reach it
//! through the shared state without an import circle.
use std::{
    collections::{BTreeMap, HashMap, HashSet},
    time::Instant,
};

use chrono::{DateTime, Utc};
use uuid::Uuid;
use yandex_promo_raw::go::types::{GeoArea, GeoZone, PromocodeOrder};

use crate::config::SandboxConfig;

/// The Go for Business data of a sandbox.
#[derive(Debug)]
pub(crate) struct GoData {
    ids: fastrand::Rng,
    next_order: u64,
    pub(crate) orders: BTreeMap<String, StoredOrder>,
    by_token: HashMap<(String, Uuid), String>,
    issued_codes: HashSet<String>,
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

/// Why a create was refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum CreateRefused {
    /// The order or code cap would be exceeded.
    Full(String),
}

/// Letters and digits that cannot be confused when read aloud or typed (no 0/O, 1/I).
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

impl GoData {
    /// Empty; ids come from a generator seeded with `seed`, or from entropy without one.
    pub(crate) fn new(seed: Option<u64>) -> Self {
        Self {
            ids: seed.map_or_else(fastrand::Rng::new, fastrand::Rng::with_seed),
            next_order: 0,
            orders: BTreeMap::new(),
            by_token: HashMap::new(),
            issued_codes: HashSet::new(),
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
}
