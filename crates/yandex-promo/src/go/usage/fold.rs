//! The fold of a usage report: one code at a time into an order's figures and an hourly
//! count of usages, then the orders into totals and a per-day (or per-hour) series. Memory
//! grows with the orders and the hours that saw a usage, never with the codes.
use std::collections::BTreeMap;

use chrono::{DateTime, Duration, FixedOffset, NaiveDateTime, Timelike as _, Utc};
use serde::Serialize;

use super::{Bucket, CodeFigures, OrderUsage, UsageSeries, UsageTotals};
use crate::go::Code;

/// Usages counted per hour of local time.
pub(super) type Hours = BTreeMap<NaiveDateTime, u64>;

/// What the codes of one order add up to, as they stream past: its figures, and its usages
/// per hour.
#[derive(Debug, Default)]
pub(super) struct CodeFold {
    pub(super) figures: CodeFigures,
    pub(super) hours: Hours,
}

impl CodeFold {
    /// Adds one code; its usages are counted in the hour they fall in, at `offset`.
    pub(super) fn add(&mut self, code: &Code, offset: FixedOffset) {
        let figures = &mut self.figures;
        figures.codes += 1;
        if code.is_revoked {
            figures.revoked += 1;
        }
        if code.used_at.is_empty() {
            if !code.is_revoked {
                figures.unused += 1;
            }
            return;
        }
        figures.used_codes += 1;
        for &used_at in &code.used_at {
            figures.usages += 1;
            figures.first_use = earliest(figures.first_use, Some(used_at));
            figures.last_use = latest(figures.last_use, Some(used_at));
            *self.hours.entry(hour_of(used_at, offset)).or_default() += 1;
        }
    }

    /// The order's figures, with their share.
    pub(super) fn finish(self) -> (CodeFigures, Hours) {
        let mut figures = self.figures;
        figures.share_used = share(figures.used_codes, figures.codes);
        (figures, self.hours)
    }
}

/// The local hour a moment falls in.
fn hour_of(moment: DateTime<Utc>, offset: FixedOffset) -> NaiveDateTime {
    let local = moment.with_timezone(&offset).naive_local();
    local
        .with_minute(0)
        .and_then(|t| t.with_second(0))
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(local)
}

/// The share of `part` in `whole`, 0 when there is no whole.
fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// Adds up the orders that were read (an unreadable one adds only to `unreadable`).
pub(super) fn totals(orders: &[OrderUsage]) -> UsageTotals {
    let mut totals = UsageTotals::default();
    let all = &mut totals.figures;
    for order in orders {
        totals.orders += 1;
        if order.error.is_some() {
            totals.unreadable += 1;
            continue;
        }
        let one = &order.figures;
        all.codes += one.codes;
        all.used_codes += one.used_codes;
        all.usages += one.usages;
        all.revoked += one.revoked;
        all.unused += one.unused;
        all.first_use = earliest(all.first_use, one.first_use);
        all.last_use = latest(all.last_use, one.last_use);
    }
    all.share_used = share(all.used_codes, all.codes);
    totals
}

fn earliest(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn latest(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// How long a span of usages may be and still be shown hour by hour.
pub(super) const HOURLY_UP_TO: Duration = Duration::hours(48);

/// The usages per bucket, every bucket from the first usage's to the last's (quiet ones as
/// zeros, so a chart shows the gaps). `bucket` `None` picks hours for a span of at most
/// [`HOURLY_UP_TO`], else days.
pub(super) fn series(hours: &Hours, bucket: Option<Bucket>, offset: FixedOffset) -> UsageSeries {
    let span = match (hours.keys().next(), hours.keys().next_back()) {
        (Some(first), Some(last)) => *last - *first,
        _ => Duration::zero(),
    };
    let bucket = bucket.unwrap_or(if span <= HOURLY_UP_TO {
        Bucket::Hour
    } else {
        Bucket::Day
    });
    let mut counts: BTreeMap<NaiveDateTime, u64> = BTreeMap::new();
    for (&hour, &count) in hours {
        let start = match bucket {
            Bucket::Hour => hour,
            Bucket::Day => hour.date().and_time(chrono::NaiveTime::MIN),
        };
        *counts.entry(start).or_default() += count;
    }
    let step = match bucket {
        Bucket::Hour => Duration::hours(1),
        Bucket::Day => Duration::days(1),
    };
    let mut points = Vec::new();
    if let (Some(&first), Some(&last)) = (counts.keys().next(), counts.keys().next_back()) {
        let mut at = first;
        while at <= last {
            let usages = counts.get(&at).copied().unwrap_or(0);
            let start = at
                .and_local_timezone(offset)
                .single()
                .unwrap_or_else(|| at.and_utc().with_timezone(&offset));
            points.push(SeriesPoint { start, usages });
            at += step;
        }
    }
    UsageSeries { bucket, points }
}

/// One bucket of a [`UsageSeries`].
///
/// ```no_run
/// fn line(point: &yandex_promo::go::SeriesPoint) -> String {
///     format!("{} {}", point.start.format("%Y-%m-%d"), point.usages)
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SeriesPoint {
    /// When the bucket starts, in the report's time zone.
    pub start: DateTime<FixedOffset>,
    /// Usages within it.
    pub usages: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().expect("an RFC 3339 time")
    }

    #[test]
    fn hours_fold_into_days_with_quiet_days_as_zeros() {
        let utc = FixedOffset::east_opt(0).expect("UTC");
        let mut hours = Hours::new();
        for moment in [
            "2026-11-01T10:15:00Z",
            "2026-11-01T23:59:59Z",
            "2026-11-04T00:00:00Z",
        ] {
            *hours.entry(hour_of(at(moment), utc)).or_default() += 1;
        }
        let days = series(&hours, None, utc);
        assert_eq!(days.bucket, Bucket::Day);
        let counts: Vec<u64> = days.points.iter().map(|p| p.usages).collect();
        assert_eq!(counts, [2, 0, 0, 1]);
        // Moscow's evening of the 1st is already the 2nd there.
        let moscow = FixedOffset::east_opt(3 * 3600).expect("MSK");
        let mut local = Hours::new();
        for moment in ["2026-11-01T10:15:00Z", "2026-11-01T23:59:59Z"] {
            *local.entry(hour_of(at(moment), moscow)).or_default() += 1;
        }
        let days = series(&local, Some(Bucket::Day), moscow);
        let counts: Vec<u64> = days.points.iter().map(|p| p.usages).collect();
        assert_eq!(counts, [1, 1]);
        assert_eq!(
            days.points[1].start.to_rfc3339(),
            "2026-11-02T00:00:00+03:00"
        );
    }

    #[test]
    fn a_short_span_is_shown_by_the_hour() {
        let utc = FixedOffset::east_opt(0).expect("UTC");
        let mut hours = Hours::new();
        for moment in ["2026-11-01T10:15:00Z", "2026-11-01T12:00:00Z"] {
            *hours.entry(hour_of(at(moment), utc)).or_default() += 1;
        }
        let series = series(&hours, None, utc);
        assert_eq!(series.bucket, Bucket::Hour);
        let counts: Vec<u64> = series.points.iter().map(|p| p.usages).collect();
        assert_eq!(counts, [1, 0, 1]);
        assert!(super::series(&Hours::new(), None, utc).points.is_empty());
    }
}
