//! What the Market wing keeps in the sandbox's memory: each operation's budget window, and
//! the business's catalogue with every promo's assortment.
//!
//! This file sits below [`crate::state`], which holds one [`MarketData`] behind the sandbox's
//! one mutex: it imports nothing of the crate outside `market/`'s model files (the assortment
//! and its seed), so the handlers above can reach it through the shared state without an
//! import circle.
use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::assortment::Market;

/// The Market data of a sandbox.
#[derive(Debug)]
pub(crate) struct MarketData {
    /// Each operation's budget window, by operation name: when it started and the requests
    /// counted.
    pub(crate) windows: HashMap<&'static str, (DateTime<Utc>, u32)>,
    /// The catalogue and every promo's assortment.
    pub(crate) assortments: Market,
}

impl MarketData {
    /// No request counted yet, and the seeded promos.
    pub(crate) fn seeded() -> Self {
        Self {
            windows: HashMap::new(),
            assortments: Market::seeded(),
        }
    }
}
