//! What the Market wing keeps in the sandbox's memory: each operation's budget window, each
//! promo's single-offer throttle window, the promos ended early, and the business's catalogue
//! with every promo's assortment.
//!
//! This file sits below [`crate::state`], which holds one [`MarketData`] behind the sandbox's
//! one mutex: it imports nothing of the crate outside `market/`'s model files (the assortment
//! and its seed), so the handlers above can reach it through the shared state without an
//! import circle.
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};

use super::assortment::Market;

/// The Market data of a sandbox.
#[derive(Debug)]
pub(crate) struct MarketData {
    /// Each operation's budget window, by operation name: when it started and the requests
    /// counted.
    pub(crate) windows: HashMap<&'static str, (DateTime<Utc>, u32)>,
    /// Each promo's single-offer throttle window, by promo id: when it started and the
    /// one-offer updates and deletes counted in it.
    pub(crate) single_offer: HashMap<String, (DateTime<Utc>, u32)>,
    /// The promos ended before their period's end (by `SandboxHandle::end_promo`), and when.
    pub(crate) ended: BTreeMap<String, DateTime<Utc>>,
    /// The catalogue and every promo's assortment.
    pub(crate) assortments: Market,
}

impl MarketData {
    /// No request counted yet, and the seeded promos.
    pub(crate) fn seeded() -> Self {
        Self {
            windows: HashMap::new(),
            single_offer: HashMap::new(),
            ended: BTreeMap::new(),
            assortments: Market::seeded(),
        }
    }
}
