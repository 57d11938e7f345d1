//! What an issuance orders: a total of codes and one order template, split into orders the
//! service accepts (at most 1,000 codes each, none below 5), validated as a whole before
//! anything is sent.
use std::ops::RangeInclusive;

use chrono::NaiveDate;
use serde_json::{Value, json};

use yandex_promo_raw::go::types::PromocodeOrder;

use crate::{ValidationError, error::Violations, go::NewOrder};

/// Codes one issuance may order: from one order's minimum to a thousand full orders.
pub const TOTAL_CODES: RangeInclusive<u32> = 5..=1_000_000;

/// Codes in one order, as the service allows.
const ORDER_CODES: RangeInclusive<u32> = 5..=1000;

/// An issuance: how many codes in all, and the order every part is made from (its count is
/// replaced by each part's).
///
/// ```
/// use chrono::NaiveDate;
/// use yandex_promo::go::{IssuePlan, NewOrder};
/// let until = NaiveDate::from_ymd_opt(2025, 3, 31).unwrap();
/// let plan = IssuePlan::new(1_003, NewOrder::new(500, 5, until).name("Spring"));
/// assert_eq!(plan.order_sizes(), [502, 501]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuePlan {
    total: u32,
    template: NewOrder,
}

impl IssuePlan {
    /// `total` codes in orders like `template` (value, dates, service, classes, name, uses,
    /// geo restrictions; its own count does not matter).
    ///
    /// ```no_run
    /// use yandex_promo::go::{IssuePlan, NewOrder};
    /// let until = chrono::NaiveDate::from_ymd_opt(2025, 12, 31).unwrap();
    /// let plan = IssuePlan::new(5_000, NewOrder::new(500, 5, until));
    /// ```
    pub fn new(total: u32, template: NewOrder) -> Self {
        Self { total, template }
    }

    /// The total number of codes.
    ///
    /// ```no_run
    /// # let plan: yandex_promo::go::IssuePlan = todo!();
    /// println!("{} codes", plan.total());
    /// ```
    pub fn total(&self) -> u32 {
        self.total
    }

    /// The order every part is made from.
    ///
    /// ```no_run
    /// # let plan: yandex_promo::go::IssuePlan = todo!();
    /// println!("{:?}", plan.template().service_kind());
    /// ```
    pub fn template(&self) -> &NewOrder {
        &self.template
    }

    /// The sizes of the orders this plan makes: as few orders as the 1,000-code cap allows,
    /// sizes as even as possible (1,003 codes are 502 + 501, not 1,000 + 3, since an order
    /// needs at least 5). Empty for a total outside [`TOTAL_CODES`].
    ///
    /// ```
    /// use yandex_promo::go::{IssuePlan, NewOrder};
    /// let plan = |n| IssuePlan::new(n, NewOrder::new(500, 5, chrono::NaiveDate::MAX));
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
        self.template.clone().with_count(count)
    }

    /// Checks the whole plan against `today`: the total, and every rule of every order it
    /// makes (they differ only in their count, which the split keeps valid), all at once.
    ///
    /// # Errors
    /// A [`ValidationError`] listing every broken rule.
    ///
    /// ```no_run
    /// # let plan: yandex_promo::go::IssuePlan = todo!();
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
        let mut violations = v.finish().err().map(|e| e.violations).unwrap_or_default();
        if let Err(order) = self.order(count).validate(today) {
            violations.extend(order.violations);
        }
        if violations.is_empty() {
            Ok(())
        } else {
            Err(ValidationError { violations })
        }
    }

    /// The plan as the journal keeps it: the total, and the template in the API's shape.
    pub(super) fn to_json(&self) -> Result<Value, ValidationError> {
        let order = self
            .template
            .clone()
            .with_count(*ORDER_CODES.start())
            .wire()?;
        Ok(json!({"total": self.total, "order": order}))
    }

    /// The plan a journal kept, if `value` is one.
    pub(super) fn from_json(value: Value) -> Option<Self> {
        let total = u32::try_from(value["total"].as_u64()?).ok()?;
        let order: PromocodeOrder = serde_json::from_value(value["order"].clone()).ok()?;
        Some(Self::new(total, NewOrder::from(order)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(total: u32) -> IssuePlan {
        IssuePlan::new(total, NewOrder::new(500, 5, NaiveDate::MAX))
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

    #[test]
    fn a_plan_survives_the_journal() {
        let plan = plan(2_500);
        let kept = IssuePlan::from_json(plan.to_json().expect("valid")).expect("a plan");
        assert_eq!(kept.order_sizes(), plan.order_sizes());
        assert_eq!(
            kept.to_json().expect("valid"),
            plan.to_json().expect("valid")
        );
    }
}
