//! In-process control of a running sandbox: faults, the request log, codes marked used (now
//! or at chosen times) and revoked, large seeded orders, the usage demo, Market offers added,
//! promo conditions shifted and promos ended, reset.
use std::{
    sync::{Arc, atomic::Ordering},
    time::Instant,
};

use chrono::{DateTime, Days, SubsecRound as _, Utc};
use yandex_promo_raw::go::types::{GeoArea, PromocodeOrder};

use crate::{
    faults::{FaultPlan, Faults},
    go::{demo, store::UsageRefused},
    state::{Data, LoggedRequest, Shared},
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

    /// Records a usage of the code `code_id` of an order at `used_at`, and returns how many
    /// usages the code has now. The code becomes `used`; its usages list oldest first,
    /// whatever order they are recorded in.
    ///
    /// # Errors
    /// [`UsageRefused`] for an unknown order or code, a revoked code, or a code already used
    /// as many times as its order's `max_usages_count`.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// let sandbox = yandex_promo_sandbox::start(Default::default()).await?;
    /// let order = sandbox.handle().seed_order(10);
    /// let first_code = format!("{order}-0000"); // or a code id from `codes/list`
    /// let when = "2026-11-30T10:00:00Z".parse()?;
    /// assert_eq!(sandbox.handle().record_usage(&order, &first_code, when)?, 1);
    /// # Ok(()) }
    /// ```
    pub fn record_usage(
        &self,
        order_id: &str,
        code_id: &str,
        used_at: DateTime<Utc>,
    ) -> Result<usize, UsageRefused> {
        self.record_usages(order_id, &[(code_id, used_at)])
            .map(|counts| counts.first().copied().unwrap_or_default())
            .map_err(|(_, refused)| refused)
    }

    /// Records every usage `(code id, when)` of an order, or none of them: see
    /// `GoData::record_usages`.
    pub(crate) fn record_usages(
        &self,
        order_id: &str,
        usages: &[(&str, DateTime<Utc>)],
    ) -> Result<Vec<usize>, (usize, UsageRefused)> {
        self.shared.data().go.record_usages(order_id, usages)
    }

    /// Revokes up to `count` codes of an order that are not revoked yet, unused ones first
    /// (each kind in code order); returns how many were revoked, or `None` for an unknown
    /// order. Revoked codes still list, with `is_revoked: true`, can no longer be used, and
    /// count in the order's `revoke_count`.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// let sandbox = yandex_promo_sandbox::start(Default::default()).await?;
    /// let order = sandbox.handle().seed_order(10);
    /// assert_eq!(sandbox.handle().revoke_codes(&order, 3), Some(3));
    /// # Ok(()) }
    /// ```
    pub fn revoke_codes(&self, order_id: &str, count: usize) -> Option<usize> {
        self.shared.data().go.revoke_codes(order_id, count)
    }

    /// Adds the usage demo's three issued taxi orders for the default corporate client and
    /// returns their ids in the order made: 20 codes never used; 50 codes of which 10 were
    /// used once over the last 7 days; 200 codes (`max_usages_count` 3) of which 175 were
    /// used 275 times in all over the last 14 days, and 5 unused ones revoked. Every usage
    /// time follows from the sandbox's `today` (see [`crate::SandboxConfig::today`]) and the
    /// code's position, so runs repeat; the crate docs give the figures.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// let sandbox = yandex_promo_sandbox::start(Default::default()).await?;
    /// let ids = sandbox.handle().seed_usage_demo(); // no uses, some, many
    /// assert_eq!(ids.len(), 3);
    /// # Ok(()) }
    /// ```
    pub fn seed_usage_demo(&self) -> Vec<String> {
        self.seed_usage_demo_in(&mut self.shared.data())
    }

    /// The usage demo, added to `data` (whose lock the caller holds).
    fn seed_usage_demo_in(&self, data: &mut Data) -> Vec<String> {
        let config = &self.shared.config;
        demo::seed(
            &mut data.go,
            &config.default_corp_client,
            self.shared.today(),
            config.ready_after,
        )
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

    /// A seller's floors for the margin guard demo, `(offer id, floor)` in id order, as a
    /// floors file lists them: for every offer of the catalogue (`SKU-0001` to `SKU-0120`,
    /// and those [`SandboxHandle::seed_offers`] added), 75% of its catalogue price; no floor
    /// for every eighth offer (`SKU-0008`, `SKU-0016`, ...), which a guard leaves alone; and
    /// 95% for `SKU-0002`, above its 90% `maxPromoPrice`, so a guard cannot raise that manual
    /// offer and must take it out. Against them, the offers Market added itself (priced at
    /// 65% to 72%) sell below the floor in `sb_direct_now`, `sb_flash_soon` and
    /// `sb_bestsellers_next`; see the crate docs.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// let sandbox = yandex_promo_sandbox::start(Default::default()).await?;
    /// let floors = sandbox.handle().demo_floors();
    /// assert_eq!(floors.len(), 105); // 120 offers, 15 without a floor
    /// assert_eq!(floors[0], ("SKU-0001".to_owned(), 402)); // 75% of 537
    /// # Ok(()) }
    /// ```
    pub fn demo_floors(&self) -> Vec<(String, u64)> {
        self.shared.data().market.assortments.demo_floors()
    }

    /// Sets the conditions of the Market promo `promo_id` to `percent`% of the seeded ones,
    /// as Market may change them while offers take part (the docs' warning on
    /// `getPromoOffers`): every offer's `maxPromoPrice` and, in "Market Bestsellers", its
    /// `bestPriceLevels` are shown and checked at that share from now on, while the `price` and
    /// `promoPrice` the seller set stay as they are, even above the new cap. Not cumulative:
    /// 100 restores the seeded conditions; 0 counts as 1, so caps and levels stay above zero.
    /// Returns how many of the promo's offers have a cap or levels that moved, or `None` for an
    /// unknown promo. So a client's handling of moving conditions can be tested.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// let sandbox = yandex_promo_sandbox::start(Default::default()).await?;
    /// // Market lowers the Bestsellers promo's caps and levels by 10%.
    /// let moved = sandbox.handle().shift_market_conditions("sb_bestsellers_next", 90);
    /// assert_eq!(moved, Some(60));
    /// # Ok(()) }
    /// ```
    pub fn shift_market_conditions(&self, promo_id: &str, percent: u64) -> Option<usize> {
        self.shared
            .data()
            .market
            .assortments
            .shift_conditions(promo_id, percent, Instant::now())
    }

    /// Ends the Market promo `promo_id` now, before its period's end, as Market may: from now
    /// on `getPromoOffers`, `updatePromoOffers` and `deletePromoOffers` on it answer 400
    /// "Promo has ended" (code `PROMO_ENDED` with
    /// [`SandboxConfig::market_typed_errors`](crate::SandboxConfig::market_typed_errors)), and
    /// `getPromos` lists it as a past promo that ended now (with `participation: PARTICIPATED`,
    /// not by default). Ending a promo twice keeps the first end. Returns `false` for an unknown
    /// promo. [`SandboxHandle::reset`] starts it again. So a client's handling of a promo that
    /// ends mid-sync can be tested.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// let sandbox = yandex_promo_sandbox::start(Default::default()).await?;
    /// assert!(sandbox.handle().end_promo("sb_direct_now"));
    /// assert!(!sandbox.handle().end_promo("no_such_promo"));
    /// # Ok(()) }
    /// ```
    pub fn end_promo(&self, promo_id: &str) -> bool {
        let mut data = self.shared.data();
        let market = &mut data.market;
        if market.assortments.promo(promo_id, Instant::now()).is_none() {
            return false;
        }
        market
            .ended
            .entry(promo_id.to_owned())
            .or_insert_with(|| Utc::now().trunc_subsecs(0));
        true
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

    /// Forgets every order, token, logged request, fault, Market change (offers, conditions,
    /// promos ended, budget and throttle windows) and the in-flight peak; with
    /// [`crate::SandboxConfig::usage_demo`], seeds the usage demo again.
    pub fn reset(&self) {
        let mut data = self.shared.data();
        data.reset();
        if self.shared.config.usage_demo {
            self.seed_usage_demo_in(&mut data);
        }
        drop(data);
        self.shared.peak_in_flight.store(0, Ordering::SeqCst);
    }
}
