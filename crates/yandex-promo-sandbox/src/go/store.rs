//! What the Go for Business wing keeps in the sandbox's memory: orders with their codes,
//! idempotency tokens and geo zones, with the rules of storing them (the sandbox's caps, one
//! order per token, unique codes).
//!
//! A code keeps its usages oldest first and may be used up to its order's
//! `max_usages_count` times, never once revoked ([`GoData::record_usages`] checks a whole
//! batch before it records any of it); [`GoData::revoke_codes`] revokes the unused first.
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

    /// How many times each of its codes may be used.
    pub(crate) fn max_usages(&self) -> usize {
        usize::try_from(self.request.max_usages_count.get()).unwrap_or(usize::MAX)
    }

    /// How many of its codes are revoked (the order's `revoke_count`).
    pub(crate) fn revoked_count(&self) -> usize {
        self.codes.iter().filter(|c| c.revoked).count()
    }

    /// The position of the code `code_id` among its codes. Code ids end in their position
    /// (`<order id>-0042`), so no search is needed.
    fn code_index(&self, code_id: &str) -> Option<usize> {
        let (_, n) = code_id.rsplit_once('-')?;
        let n: usize = n.parse().ok()?;
        self.codes.get(n).filter(|c| c.id == code_id).map(|_| n)
    }
}

/// A code as the sandbox keeps it.
#[derive(Debug)]
pub(crate) struct StoredCode {
    pub(crate) id: String,
    pub(crate) code: String,
    /// When it was used, oldest first (see [`StoredCode::add_usage`]).
    pub(crate) used_at: Vec<DateTime<Utc>>,
    /// Whether it was revoked: it still lists, and can no longer be used.
    pub(crate) revoked: bool,
}

impl StoredCode {
    /// Adds a usage at `at`, keeping the usages oldest first whatever order they come in.
    pub(crate) fn add_usage(&mut self, at: DateTime<Utc>) {
        let position = self.used_at.partition_point(|t| *t <= at);
        self.used_at.insert(position, at);
    }
}

/// Why a usage of a code was not recorded (see [`crate::SandboxHandle::record_usage`]).
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use yandex_promo_sandbox::UsageRefused;
/// let sandbox = yandex_promo_sandbox::start(Default::default()).await?;
/// let refused = sandbox.handle().record_usage("no-such-order", "code", chrono::Utc::now());
/// assert!(matches!(refused, Err(UsageRefused::UnknownOrder { .. })));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UsageRefused {
    /// No order has this id.
    UnknownOrder {
        /// The order asked for.
        order_id: String,
    },
    /// The order has no code with this id.
    UnknownCode {
        /// The code asked for.
        code_id: String,
    },
    /// The code is revoked: a revoked code cannot be used.
    Revoked {
        /// The revoked code.
        code_id: String,
    },
    /// The code was already used as many times as its order allows.
    UsedUp {
        /// The code used up.
        code_id: String,
        /// The order's `max_usages_count`.
        max_usages_count: u32,
    },
}

impl std::fmt::Display for UsageRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::UnknownOrder { order_id } => write!(f, "order {order_id} not found"),
            Self::UnknownCode { code_id } => write!(f, "the order has no code {code_id}"),
            Self::Revoked { code_id } => write!(f, "code {code_id} is revoked"),
            Self::UsedUp {
                code_id,
                max_usages_count,
            } => write!(
                f,
                "code {code_id} was already used {max_usages_count} times, \
                 the order's max_usages_count"
            ),
        }
    }
}

impl std::error::Error for UsageRefused {}

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
                revoked: false,
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

    /// Marks up to `count` unused codes of an order (revoked ones skipped) as used now;
    /// returns how many.
    pub(crate) fn use_codes(&mut self, order_id: &str, count: usize) -> Option<usize> {
        let order = self.orders.get_mut(order_id)?;
        let now = Utc::now();
        let mut used = 0;
        for code in order
            .codes
            .iter_mut()
            .filter(|c| c.used_at.is_empty() && !c.revoked)
            .take(count)
        {
            code.add_usage(now);
            used += 1;
        }
        Some(used)
    }

    /// Records every usage `(code id, when)` of an order, or none: each is checked first,
    /// counting the ones before it in the batch. Returns each code's usage count after its
    /// usage, or the position of the first usage refused (0 for an unknown order) and why.
    pub(crate) fn record_usages(
        &mut self,
        order_id: &str,
        usages: &[(&str, DateTime<Utc>)],
    ) -> Result<Vec<usize>, (usize, UsageRefused)> {
        let order = self.orders.get_mut(order_id).ok_or_else(|| {
            let order_id = order_id.to_owned();
            (0, UsageRefused::UnknownOrder { order_id })
        })?;
        let max = order.max_usages();
        let mut counts: HashMap<usize, usize> = HashMap::new();
        let mut planned = Vec::with_capacity(usages.len());
        for (position, (code_id, at)) in usages.iter().enumerate() {
            let refused = |refusal| Err((position, refusal));
            let code_id = (*code_id).to_owned();
            let Some(index) = order.code_index(&code_id) else {
                return refused(UsageRefused::UnknownCode { code_id });
            };
            let code = &order.codes[index];
            if code.revoked {
                return refused(UsageRefused::Revoked { code_id });
            }
            let count = counts.entry(index).or_insert(code.used_at.len());
            if *count >= max {
                let max_usages_count = order.request.max_usages_count.get();
                return refused(UsageRefused::UsedUp {
                    code_id,
                    max_usages_count,
                });
            }
            *count += 1;
            planned.push((index, *at, *count));
        }
        Ok(planned
            .into_iter()
            .map(|(index, at, count)| {
                order.codes[index].add_usage(at);
                count
            })
            .collect())
    }

    /// Revokes up to `count` codes of an order not revoked yet, the unused ones first, each
    /// kind in code order; returns how many, or `None` for an unknown order.
    pub(crate) fn revoke_codes(&mut self, order_id: &str, count: usize) -> Option<usize> {
        let order = self.orders.get_mut(order_id)?;
        let (unused, used): (Vec<&mut StoredCode>, Vec<&mut StoredCode>) = order
            .codes
            .iter_mut()
            .filter(|c| !c.revoked)
            .partition(|c| c.used_at.is_empty());
        let mut revoked = 0;
        for code in unused.into_iter().chain(used).take(count) {
            code.revoked = true;
            revoked += 1;
        }
        Some(revoked)
    }
}
