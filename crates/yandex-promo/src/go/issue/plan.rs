//! What an issuance orders: a total of codes and one order template, split into orders the
//! service accepts (at most 1,000 codes each, none below 5), validated as a whole before
//! anything is sent.
use std::ops::RangeInclusive;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use yandex_promo_raw::open::{Service, TariffClass};

use crate::{
    ValidationError,
    error::Violations,
    go::{GeoRestriction, NewOrder, ZoneId},
};

/// Codes one issuance may order: from one order's minimum to a thousand full orders.
pub const TOTAL_CODES: RangeInclusive<u32> = 5..=1_000_000;

/// Codes in one order, as the service allows.
const ORDER_CODES: RangeInclusive<u32> = 5..=1000;

/// An issuance: how many codes, and what each order is like. Serialised into the journal,
/// so that a resumed run can tell whether it is the same plan.
///
/// ```
/// use chrono::NaiveDate;
/// use yandex_promo::go::IssuePlan;
/// let until = NaiveDate::from_ymd_opt(2025, 3, 31).unwrap();
/// let plan = IssuePlan::new(1_003, 500, until).name("Spring");
/// assert_eq!(plan.order_sizes(), [502, 501]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuePlan {
    total: u32,
    value: i64,
    active_until: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    active_from: Option<NaiveDate>,
    service: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    classes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max_usages_count: Option<i64>,
    /// Zones rides may start in, and zones they may end in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    from_zones: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    to_zones: Vec<String>,
}

impl IssuePlan {
    /// `total` taxi codes worth `value` each, usable until `active_until`.
    ///
    /// ```no_run
    /// let until = chrono::NaiveDate::from_ymd_opt(2025, 12, 31).unwrap();
    /// let plan = yandex_promo::go::IssuePlan::new(5_000, 500, until);
    /// ```
    pub fn new(total: u32, value: i64, active_until: NaiveDate) -> Self {
        Self {
            total,
            value,
            active_until,
            active_from: None,
            service: Service::Taxi.as_str().to_owned(),
            classes: Vec::new(),
            name: None,
            max_usages_count: None,
            from_zones: Vec::new(),
            to_zones: Vec::new(),
        }
    }

    /// The service the codes are for (default taxi).
    ///
    /// ```no_run
    /// # let plan = yandex_promo::go::IssuePlan::new(50, 500, chrono::NaiveDate::MAX);
    /// let plan = plan.service(yandex_promo::raw::open::Service::Eats);
    /// ```
    pub fn service(mut self, service: Service) -> Self {
        self.service = service.as_str().to_owned();
        self
    }

    /// Taxi only: the tariff classes the codes are valid for.
    ///
    /// ```no_run
    /// use yandex_promo::raw::open::TariffClass;
    /// # let plan = yandex_promo::go::IssuePlan::new(50, 500, chrono::NaiveDate::MAX);
    /// let plan = plan.classes([TariffClass::Econom]);
    /// ```
    pub fn classes(mut self, classes: impl IntoIterator<Item = TariffClass>) -> Self {
        self.classes = classes.into_iter().map(|c| c.as_str().to_owned()).collect();
        self
    }

    /// The name of every order (1 to 256 characters).
    ///
    /// ```no_run
    /// # let plan = yandex_promo::go::IssuePlan::new(50, 500, chrono::NaiveDate::MAX);
    /// let plan = plan.name("Black Friday");
    /// ```
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Rides per code, 1 to 20 (default 1).
    ///
    /// ```no_run
    /// # let plan = yandex_promo::go::IssuePlan::new(50, 500, chrono::NaiveDate::MAX);
    /// let plan = plan.max_usages_count(2);
    /// ```
    pub fn max_usages_count(mut self, uses: i64) -> Self {
        self.max_usages_count = Some(uses);
        self
    }

    /// The first day the codes can be used (default: the day each order is made).
    ///
    /// ```no_run
    /// # let plan = yandex_promo::go::IssuePlan::new(50, 500, chrono::NaiveDate::MAX);
    /// let plan = plan.active_from(chrono::NaiveDate::from_ymd_opt(2025, 12, 1).unwrap());
    /// ```
    pub fn active_from(mut self, date: NaiveDate) -> Self {
        self.active_from = Some(date);
        self
    }

    /// Taxi only: codes also valid for rides starting in `zone` (restrictions are OR-ed).
    ///
    /// ```no_run
    /// # let plan = yandex_promo::go::IssuePlan::new(50, 500, chrono::NaiveDate::MAX);
    /// let plan = plan.from_zone("b45efcaa04014fff997c2683ef91f0de");
    /// ```
    pub fn from_zone(mut self, zone: impl Into<ZoneId>) -> Self {
        self.from_zones.push(zone.into().as_str().to_owned());
        self
    }

    /// Taxi only: codes also valid for rides ending in `zone`.
    ///
    /// ```no_run
    /// # let plan = yandex_promo::go::IssuePlan::new(50, 500, chrono::NaiveDate::MAX);
    /// let plan = plan.to_zone("b45efcaa04014fff997c2683ef91f0de");
    /// ```
    pub fn to_zone(mut self, zone: impl Into<ZoneId>) -> Self {
        self.to_zones.push(zone.into().as_str().to_owned());
        self
    }

    /// The total number of codes.
    ///
    /// ```no_run
    /// # let plan = yandex_promo::go::IssuePlan::new(50, 500, chrono::NaiveDate::MAX);
    /// assert_eq!(plan.total(), 50);
    /// ```
    pub fn total(&self) -> u32 {
        self.total
    }

    /// The value of one code.
    ///
    /// ```no_run
    /// # let plan = yandex_promo::go::IssuePlan::new(50, 500, chrono::NaiveDate::MAX);
    /// assert_eq!(plan.value(), 500);
    /// ```
    pub fn value(&self) -> i64 {
        self.value
    }

    /// The last day the codes can be used.
    ///
    /// ```no_run
    /// # let plan = yandex_promo::go::IssuePlan::new(50, 500, chrono::NaiveDate::MAX);
    /// println!("until {}", plan.active_until());
    /// ```
    pub fn active_until(&self) -> NaiveDate {
        self.active_until
    }

    /// The sizes of the orders this plan makes: as few orders as the 1,000-code cap allows,
    /// sizes as even as possible (1,003 codes are 502 + 501, not 1,000 + 3, since an order
    /// needs at least 5). Empty for a total outside [`TOTAL_CODES`].
    ///
    /// ```
    /// # let plan = |n| yandex_promo::go::IssuePlan::new(n, 500, chrono::NaiveDate::MAX);
    /// assert_eq!(plan(5_000).order_sizes(), [1000; 5]);
    /// assert_eq!(plan(2_001).order_sizes(), [667, 667, 667]);
    /// ```
    pub fn order_sizes(&self) -> Vec<u32> {
        if !TOTAL_CODES.contains(&self.total) {
            return Vec::new();
        }
        let orders = self.total.div_ceil(*ORDER_CODES.end());
        let (base, extra) = (self.total / orders, self.total % orders);
        (0..orders).map(|i| base + u32::from(i < extra)).collect()
    }

    /// The order of `count` codes this plan makes.
    pub(super) fn order(&self, count: u32) -> NewOrder {
        let mut order = NewOrder::new(self.value, i64::from(count), self.active_until)
            .service(Service::from(self.service.as_str()))
            .classes(self.classes.iter().map(|c| TariffClass::from(c.as_str())));
        if let Some(name) = &self.name {
            order = order.name(name.clone());
        }
        if let Some(uses) = self.max_usages_count {
            order = order.max_usages_count(uses);
        }
        if let Some(from) = self.active_from {
            order = order.active_from(from);
        }
        let from = self
            .from_zones
            .iter()
            .map(|z| GeoRestriction::from_zone(z.as_str()));
        let to = self
            .to_zones
            .iter()
            .map(|z| GeoRestriction::to_zone(z.as_str()));
        for restriction in from.chain(to) {
            order = order.geo_restriction(restriction);
        }
        order
    }

    /// Checks the whole plan against `today`: the total, and every rule of every order it
    /// makes (they differ only in their count, which the split keeps valid), all at once.
    ///
    /// # Errors
    /// A [`ValidationError`] listing every broken rule.
    ///
    /// ```no_run
    /// # let plan = yandex_promo::go::IssuePlan::new(50, 500, chrono::NaiveDate::MAX);
    /// plan.validate(chrono::Utc::now().date_naive())?;
    /// # Ok::<(), yandex_promo::ValidationError>(())
    /// ```
    pub fn validate(&self, today: NaiveDate) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        v.check(
            TOTAL_CODES.contains(&self.total),
            "codes",
            format!(
                "must be between {} and {}",
                TOTAL_CODES.start(),
                TOTAL_CODES.end()
            ),
            self.total,
        );
        let count = self
            .order_sizes()
            .first()
            .copied()
            .unwrap_or(*ORDER_CODES.start());
        let order = self.order(count).validate(today);
        let mut violations = v.finish().err().map(|e| e.violations).unwrap_or_default();
        violations.extend(order.err().map(|e| e.violations).unwrap_or_default());
        if violations.is_empty() {
            Ok(())
        } else {
            Err(ValidationError { violations })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(total: u32) -> IssuePlan {
        IssuePlan::new(total, 500, NaiveDate::MAX)
    }

    #[test]
    fn a_total_splits_into_valid_orders_that_add_up() {
        for total in (5..=3_000).chain([99_999, 100_000, 100_001, 1_000_000]) {
            let sizes = plan(total).order_sizes();
            assert_eq!(sizes.iter().sum::<u32>(), total);
            assert!(
                sizes.iter().all(|s| ORDER_CODES.contains(s)),
                "{total}: {sizes:?}"
            );
            assert_eq!(
                sizes.len() as u32,
                total.div_ceil(1000),
                "as few orders as possible"
            );
            let (min, max) = (sizes.iter().min(), sizes.iter().max());
            assert!(
                max.zip(min).is_some_and(|(a, b)| a - b <= 1),
                "even: {sizes:?}"
            );
        }
        assert!(plan(4).order_sizes().is_empty());
        assert!(plan(1_000_001).order_sizes().is_empty());
    }
}
