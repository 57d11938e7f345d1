//! Every rule the service enforces on a new order, with its limits, checked before sending
//! so that the caller hears of every broken rule at once.
use chrono::{Days, NaiveDate};
use yandex_promo_raw::{Digits, open::Service};

use super::NewOrder;
use crate::error::{ValidationError, Violations};

/// Codes per order.
pub const CODES_PER_ORDER: std::ops::RangeInclusive<i64> = 5..=1000;
/// Uses (rides) per code.
pub const USAGES_PER_CODE: std::ops::RangeInclusive<i64> = 1..=20;
/// Characters in an order name.
pub const ORDER_NAME_CHARS: std::ops::RangeInclusive<usize> = 1..=256;
/// How far ahead `active_until` may be, in days from the request date.
pub const MAX_ACTIVE_DAYS: u64 = 90;

/// The allowed code values of a service: 100..=5000 for taxi, fuel and cargo; 100..=30000
/// for grocery and eats. `None` for a service this crate does not know.
fn value_range(service: &Service) -> Option<std::ops::RangeInclusive<i64>> {
    match service {
        Service::Taxi | Service::Fuel | Service::Cargo => Some(100..=5000),
        Service::Grocery | Service::Eats => Some(100..=30000),
        _ => None,
    }
}

impl NewOrder {
    /// Checks every rule the service enforces, counting dates from `today` (the request
    /// date), and reports every violation at once.
    ///
    /// ```no_run
    /// # fn demo(order: yandex_promo::go::NewOrder) {
    /// let today = chrono::Utc::now().date_naive();
    /// if let Err(invalid) = order.validate(today) {
    ///     for violation in &invalid.violations {
    ///         eprintln!("{violation}");
    ///     }
    /// }
    /// # }
    /// ```
    ///
    /// # Errors
    /// A [`ValidationError`] listing each broken rule with its field and value.
    pub fn validate(&self, today: NaiveDate) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        let taxi = self.service == Service::Taxi;
        if let Some(name) = &self.name {
            let chars = name.chars().count();
            v.check(
                ORDER_NAME_CHARS.contains(&chars),
                "name",
                "must be 1 to 256 characters long",
                format!("{chars} characters"),
            );
        }
        if let Some(uses) = self.max_usages_count {
            v.check(
                USAGES_PER_CODE.contains(&uses),
                "max_usages_count",
                "must be between 1 and 20",
                uses,
            );
        }
        match value_range(&self.service) {
            Some(range) => v.check(
                range.contains(&self.value),
                "value",
                format!(
                    "must be between {} and {} for service {}",
                    range.start(),
                    range.end(),
                    self.service
                ),
                self.value,
            ),
            None => v.check(
                false,
                "service",
                "must be one of taxi, grocery, eats, fuel, cargo",
                &self.service,
            ),
        }
        v.check(
            CODES_PER_ORDER.contains(&self.count),
            "count",
            "must be between 5 and 1000",
            self.count,
        );
        v.check(
            taxi || self.classes.is_empty(),
            "classes",
            "are allowed for service taxi only",
            &self.service,
        );
        for (i, class) in self.classes.iter().enumerate() {
            v.check(
                !class.is_unknown(),
                format!("classes[{i}]"),
                "must be a known tariff class",
                class,
            );
        }
        self.check_dates(today, &mut v);
        for (i, (start, end)) in self.bin_ranges.iter().enumerate() {
            let start_ok = Digits::accepts(start);
            let end_ok = Digits::accepts(end);
            v.check(
                start_ok,
                format!("bin_ranges[{i}].start"),
                "must be digits only, at least one",
                format!("{start:?}"),
            );
            v.check(
                end_ok,
                format!("bin_ranges[{i}].end"),
                "must be digits only, at least one",
                format!("{end:?}"),
            );
            if start_ok && end_ok {
                v.check(
                    bin_order(start, end).is_le(),
                    format!("bin_ranges[{i}]"),
                    "must have start <= end",
                    format!("{start}..{end}"),
                );
            }
        }
        v.check(
            taxi || self.geo_restrictions.is_empty(),
            "geo_restrictions",
            "are allowed for service taxi only",
            &self.service,
        );
        for (i, geo) in self.geo_restrictions.iter().enumerate() {
            let field = format!("geo_restrictions[{i}]");
            v.check(
                geo.source.is_some() || geo.destination.is_some(),
                &field,
                "must have a source or a destination",
                "neither",
            );
            for zone in [&geo.source, &geo.destination].into_iter().flatten() {
                v.check(
                    !zone.geo_restriction_id.is_empty(),
                    &field,
                    "must name zones by non-empty ids",
                    "\"\"",
                );
            }
            v.check(
                (0..=i64::from(i32::MAX)).contains(&geo.max_intermediate_points),
                format!("{field}.max_intermediate_points"),
                "must be between 0 and 2147483647 (an int32)",
                geo.max_intermediate_points,
            );
        }
        v.finish()
    }

    fn check_dates(&self, today: NaiveDate, v: &mut Violations) {
        let last = today
            .checked_add_days(Days::new(MAX_ACTIVE_DAYS))
            .unwrap_or(NaiveDate::MAX);
        let until = self.active_until;
        v.check(
            until >= today,
            "active_until",
            format!("must not be in the past (today is {today})"),
            until,
        );
        v.check(
            until <= last,
            "active_until",
            format!("must be at most {MAX_ACTIVE_DAYS} days after today ({last})"),
            until,
        );
        if let Some(from) = self.active_from {
            v.check(
                from <= until,
                "active_from",
                format!("must not be after active_until ({until})"),
                from,
            );
        }
    }
}

/// Two BINs compared as numbers, whatever their length: leading zeros aside, the longer is
/// larger, and equal lengths compare digit by digit.
fn bin_order(start: &str, end: &str) -> std::cmp::Ordering {
    let significant = |bin: &str| {
        let digits = bin.trim_start_matches('0');
        (digits.len(), digits.to_owned())
    };
    significant(start).cmp(&significant(end))
}
