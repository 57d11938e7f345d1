//! Where "now" and "today" come from, so the date rules of a create request are testable.
use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// A source of the current time.
///
/// The date rules of a create request (`active_until` at most 90 days ahead, not in the past)
/// count from "the date of the request". The default [`SystemClock`] takes that date in
/// Moscow time (UTC+3), where the service runs; tests inject a [`FixedClock`].
pub trait Clock: Send + Sync + fmt::Debug {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;

    /// The current date as the service counts it: the Moscow calendar date of [`Clock::now`].
    fn today(&self) -> NaiveDate {
        self.now().with_timezone(&moscow()).date_naive()
    }
}

/// Moscow time, UTC+3 (no daylight saving since 2014).
fn moscow() -> FixedOffset {
    FixedOffset::east_opt(3 * 3600).expect("UTC+3 is a valid offset")
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock stopped at one instant.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl FixedClock {
    /// A clock at noon, Moscow time, of `date`.
    ///
    /// ```no_run
    /// use yandex_promo::{Clock as _, FixedClock};
    /// let date = chrono::NaiveDate::from_ymd_opt(2025, 3, 1).expect("a valid date");
    /// let clock = FixedClock::on(date);
    /// assert_eq!(clock.today(), date);
    /// ```
    pub fn on(date: NaiveDate) -> Self {
        let noon = date
            .and_hms_opt(12, 0, 0)
            .expect("noon exists")
            .and_local_timezone(moscow())
            .single()
            .expect("a fixed offset has one local time");
        Self(noon.with_timezone(&Utc))
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_the_moscow_date() {
        let late_utc = "2024-12-31T22:30:00Z".parse().expect("instant");
        assert_eq!(
            FixedClock(late_utc).today(),
            NaiveDate::from_ymd_opt(2025, 1, 1).expect("date")
        );
        let date = NaiveDate::from_ymd_opt(2024, 6, 1).expect("date");
        assert_eq!(FixedClock::on(date).today(), date);
    }
}
