//! In-process control of a running sandbox: faults, the request log, codes marked used,
//! large seeded orders, reset.
use std::{
    sync::{Arc, atomic::Ordering},
    time::Instant,
};

use chrono::Days;
use yandex_promo_raw::go::types::{GeoArea, PromocodeOrder};

use crate::{
    faults::{FaultPlan, Faults},
    state::{LoggedRequest, Shared},
};

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
        self.shared.data().go.use_codes(order_id, count)
    }

    /// Adds an issued taxi order of 100 RUB codes, valid 30 days, with `count` active codes
    /// for the default corporate client, and returns its id. It skips the service's limit of
    /// 1,000 codes per order and the sandbox's caps, so load tests and benchmarks can page
    /// through large code lists.
    pub fn seed_order(&self, count: u32) -> String {
        let today = self.shared.today();
        let request = PromocodeOrder {
            active_from: None,
            active_until: today + Days::new(30),
            bank_name: None,
            bin_ranges: Vec::new(),
            classes: Vec::new(),
            count: i32::try_from(count).unwrap_or(i32::MAX),
            geo_restrictions: Vec::new(),
            max_usages_count: std::num::NonZeroU32::MIN,
            name: None,
            service: None,
            value: 100,
        };
        let mut data = self.shared.data();
        let client = &self.shared.config.default_corp_client;
        let order_id = data.go.insert_order(client, request, count as usize);
        if let Some(order) = data.go.orders.get_mut(&order_id) {
            order.created = Instant::now()
                .checked_sub(self.shared.config.ready_after)
                .unwrap_or(order.created);
        }
        order_id
    }

    /// Adds `count` zones for the default corporate client, circles around Moscow named
    /// `Zone 1`, `Zone 2`, ..., and returns their ids in the order made (a list shows the last
    /// first). For load tests and benchmarks of zone listings.
    pub fn seed_zones(&self, count: u32) -> Vec<String> {
        let mut data = self.shared.data();
        let client = &self.shared.config.default_corp_client;
        (1..=count)
            .map(|n| {
                let geo = GeoArea {
                    center: [37.6173 + f64::from(n % 100) * 0.001, 55.7558],
                    radius: f64::from(100 + n % 900),
                };
                data.go.insert_zone(client, format!("Zone {n}"), geo)
            })
            .collect()
    }

    /// Adds `count` offers to the business's catalogue, all eligible for the Market promo
    /// `promo_id` (statuses and prices as the seeded ones: see the crate docs), and returns
    /// how many offers the promo has now, or `None` for an unknown promo. For load tests and
    /// benchmarks of offer listings.
    pub fn seed_offers(&self, promo_id: &str, count: u64) -> Option<usize> {
        self.shared
            .data()
            .market
            .assortments
            .seed_offers(promo_id, count)
    }

    /// The requests received so far, oldest first (at most the configured capacity).
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.shared.data().log.iter().cloned().collect()
    }

    /// The number of orders held.
    pub fn order_count(&self) -> usize {
        self.shared.data().go.orders.len()
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
