//! The optional client-side limiter: an hourly request budget and a cap on requests in
//! flight, so a burst of calls stays within what an API allows instead of collecting 420s.
//! The documented budgets of each API live with that API (`RateLimit::get_promos` in
//! `market`), so this module knows none.
use std::{num::NonZeroU32, sync::Arc};

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// A request budget and a parallelism cap.
///
/// ```no_run
/// use std::num::NonZeroU32;
/// let limit = yandex_promo::RateLimit::new(NonZeroU32::new(600).expect("non-zero"), NonZeroU32::MIN);
/// assert_eq!(limit.per_hour(), 600);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    per_hour: NonZeroU32,
    parallel: NonZeroU32,
}

impl RateLimit {
    /// A budget of `per_hour` requests, at most `parallel` at once.
    ///
    /// ```no_run
    /// use std::num::NonZeroU32;
    /// // Half the documented budget, one request at a time.
    /// let per_hour = NonZeroU32::new(500).expect("non-zero");
    /// let limit = yandex_promo::market::RateLimit::new(per_hour, NonZeroU32::MIN);
    /// assert_eq!((limit.per_hour(), limit.parallel()), (500, 1));
    /// ```
    pub fn new(per_hour: NonZeroU32, parallel: NonZeroU32) -> Self {
        Self { per_hour, parallel }
    }

    /// Requests per hour.
    ///
    /// ```no_run
    /// assert_eq!(yandex_promo::market::RateLimit::get_promos().per_hour(), 1000);
    /// ```
    pub fn per_hour(&self) -> u32 {
        self.per_hour.get()
    }

    /// Requests at once.
    ///
    /// ```no_run
    /// assert_eq!(yandex_promo::market::RateLimit::get_promos().parallel(), 3);
    /// ```
    pub fn parallel(&self) -> u32 {
        self.parallel.get()
    }
}

/// The limiter itself: a GCRA budget (governor) and a semaphore.
#[derive(Debug)]
pub(crate) struct Limiter {
    budget: DefaultDirectRateLimiter,
    in_flight: Arc<Semaphore>,
}

impl Limiter {
    pub(crate) fn new(limit: RateLimit) -> Self {
        Self {
            budget: RateLimiter::direct(Quota::per_hour(limit.per_hour)),
            in_flight: Arc::new(Semaphore::new(limit.parallel.get() as usize)),
        }
    }

    /// Waits for a free slot and for the budget; the permit frees the slot when dropped.
    pub(crate) async fn acquire(&self) -> OwnedSemaphorePermit {
        let permit = self
            .in_flight
            .clone()
            .acquire_owned()
            .await
            .expect("the semaphore is never closed");
        self.budget.until_ready().await;
        permit
    }
}
