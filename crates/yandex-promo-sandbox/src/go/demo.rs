//! The usage demo ([`crate::SandboxHandle::seed_usage_demo`], and
//! [`crate::SandboxConfig::usage_demo`] at start and after a reset): three issued taxi orders
//! of the default corporate client whose codes were used at known times, so a usage report
//! has something real to show.
//!
//! Nothing is drawn from a clock or a generator but the ids and codes themselves: every usage
//! time follows from the sandbox's `today` and the code's position, at a Moscow hour between
//! 08:00 and 21:59 on one of the days before `today` (never on `today` itself, so no usage
//! lies in the future). The crate docs give each order's figures; [`DEMOS`] is where they
//! come from.
use std::{num::NonZeroU32, time::Duration};

use chrono::{DateTime, Days, NaiveDate, TimeDelta, Utc};
use yandex_promo_raw::{go::types::PromocodeOrder, open::Service};

use super::store::GoData;

/// One demo order: its codes, their value and uses, and how each code was used.
struct Demo {
    count: usize,
    value: i32,
    max_usages: u32,
    /// Code `n`'s usages as (days before `today`, seconds after midnight in Moscow).
    usages: fn(usize) -> Vec<(u64, u32)>,
    /// How many codes are revoked (the unused first, in code order).
    revoked: usize,
}

/// The demo's orders, in the order they are made.
const DEMOS: [Demo; 3] = [
    Demo {
        count: 20,
        value: 150,
        max_usages: 1,
        usages: |_| Vec::new(),
        revoked: 0,
    },
    Demo {
        count: 50,
        value: 300,
        max_usages: 1,
        usages: some_use,
        revoked: 0,
    },
    Demo {
        count: 200,
        value: 500,
        max_usages: 3,
        usages: busy,
        revoked: 5,
    },
];

/// Seconds after midnight of `hour:minute:second`.
fn clock(hour: usize, minute: usize, second: usize) -> u32 {
    u32::try_from(hour * 3600 + minute * 60 + second).unwrap_or(0)
}

/// Every fifth code used once, on one of the last 7 days, between 09:00 and 20:59.
fn some_use(n: usize) -> Vec<(u64, u32)> {
    if !n.is_multiple_of(5) {
        return Vec::new();
    }
    let day = 1 + (n / 5) % 7;
    let at = clock(9 + (n * 7) % 12, (n * 13) % 60, (n * 29) % 60);
    vec![(day as u64, at)]
}

/// Most codes used, some twice or three times, over the last 14 days between 08:00 and
/// 21:59: the day is the sum of two spreads (0..=6 and 0..=7), so the middle days get more.
fn busy(n: usize) -> Vec<(u64, u32)> {
    let uses = match n % 8 {
        0 => 3,
        1 | 2 => 2,
        7 => 0,
        _ => 1,
    };
    (0..uses)
        .map(|k| {
            let day = 1 + n % 7 + (n / 7 + 3 * k) % 8;
            let at = clock(
                8 + (n * 5 + k * 7) % 14,
                (n * 17 + k * 23) % 60,
                (n * 31 + k * 13) % 60,
            );
            (day as u64, at)
        })
        .collect()
}

/// The moment `seconds` after midnight in Moscow (UTC+3), `days` before `today`.
fn moment(today: NaiveDate, days: u64, seconds: u32) -> DateTime<Utc> {
    let day = today - Days::new(days);
    day.and_time(chrono::NaiveTime::MIN).and_utc() + TimeDelta::seconds(i64::from(seconds))
        - TimeDelta::hours(3)
}

/// Adds the demo's three orders for `corp_client`, issued at once (made `ready_after` ago),
/// and returns their ids in the order made.
pub(crate) fn seed(
    go: &mut GoData,
    corp_client: &str,
    today: NaiveDate,
    ready_after: Duration,
) -> Vec<String> {
    DEMOS
        .iter()
        .map(|demo| {
            let request = PromocodeOrder {
                active_from: Some(today - Days::new(15)),
                active_until: today + Days::new(30),
                bank_name: None,
                bin_ranges: Vec::new(),
                classes: Vec::new(),
                count: i32::try_from(demo.count).unwrap_or(i32::MAX),
                geo_restrictions: Vec::new(),
                max_usages_count: NonZeroU32::new(demo.max_usages).unwrap_or(NonZeroU32::MIN),
                name: None,
                service: Some(Service::Taxi),
                value: demo.value,
            };
            let order_id = go.insert_order(corp_client, request, demo.count);
            if let Some(order) = go.orders.get_mut(&order_id) {
                order.created = order
                    .created
                    .checked_sub(ready_after)
                    .unwrap_or(order.created);
                for (n, code) in order.codes.iter_mut().enumerate() {
                    for (days, seconds) in (demo.usages)(n) {
                        code.add_usage(moment(today, days, seconds));
                    }
                }
            }
            go.revoke_codes(&order_id, demo.revoked);
            order_id
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_usage_lies_in_the_fortnight_before_today_within_the_order_limit() {
        let today = NaiveDate::from_ymd_opt(2025, 3, 1).expect("a date");
        let start = moment(today, 14, 0);
        let end = moment(today, 0, 0);
        for demo in &DEMOS {
            for n in 0..demo.count {
                let usages = (demo.usages)(n);
                assert!(usages.len() <= demo.max_usages as usize);
                for (days, seconds) in usages {
                    let at = moment(today, days, seconds);
                    assert!(start <= at && at < end, "{at}");
                }
            }
        }
        assert_eq!(
            moment(today, 1, 0).to_rfc3339(),
            "2025-02-27T21:00:00+00:00"
        );
    }
}
