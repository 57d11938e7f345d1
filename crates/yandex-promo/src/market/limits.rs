//! Market's documented request budgets, as [`RateLimit`]s: the limiter itself is shared by
//! both APIs and lives at the crate root.
use std::num::NonZeroU32;

use crate::RateLimit;

impl RateLimit {
    /// `getPromos`'s documented limits: 1,000 requests per hour, and 3 at once (the docs allow
    /// 2 to 4 parallel requests per business).
    ///
    /// ```no_run
    /// # fn demo() -> yandex_promo::Result<()> {
    /// use yandex_promo::market::{MarketAuth, MarketClient, RateLimit};
    /// let market = MarketClient::builder(MarketAuth::api_key("ACMA:your-key"), 12345678)
    ///     .rate_limit(RateLimit::get_promos())
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    pub fn get_promos() -> Self {
        Self::new(
            NonZeroU32::new(1000).expect("non-zero"),
            NonZeroU32::new(3).expect("non-zero"),
        )
    }

    /// The documented limits of each offers operation (`getPromoOffers`, `updatePromoOffers`,
    /// `deletePromoOffers`): 5,000 requests per hour, counted per request (not per offer),
    /// and 3 at once.
    ///
    /// ```no_run
    /// assert_eq!(yandex_promo::market::RateLimit::promo_offers().per_hour(), 5000);
    /// ```
    pub fn promo_offers() -> Self {
        Self::new(
            NonZeroU32::new(5000).expect("non-zero"),
            NonZeroU32::new(3).expect("non-zero"),
        )
    }
}
