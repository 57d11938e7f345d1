//! `getPromos`: the Market promotions a seller takes part in or may join.
use yandex_promo_raw::market::types::GetPromosRequest;

use super::{MarketClient, MechanicsType, Participation, Promo};
use crate::{Result, ValidationError, Violation, call::send_with_retries};

/// Market promotions.
#[derive(Debug, Clone)]
pub struct PromoManager {
    client: MarketClient,
}

impl PromoManager {
    pub(super) fn new(client: MarketClient) -> Self {
        Self { client }
    }

    /// Lists promotions (no pagination: the API returns them all at once).
    ///
    /// ```no_run
    /// # async fn demo(market: yandex_promo::market::MarketClient) -> yandex_promo::Result<()> {
    /// let promos = market.promos().list().send().await?;
    /// println!("{} promos", promos.len());
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> ListPromos {
        ListPromos {
            client: self.client.clone(),
            filters: GetPromosRequest::default(),
        }
    }
}

/// A `getPromos` request with its filters.
#[derive(Debug, Clone)]
#[must_use = "nothing is sent until `send` is awaited"]
pub struct ListPromos {
    client: MarketClient,
    filters: GetPromosRequest,
}

impl ListPromos {
    /// Current promotions the seller takes part in, or finished ones it took part in. Without
    /// it: the ones it takes part in or may join.
    ///
    /// ```no_run
    /// # async fn demo(market: yandex_promo::market::MarketClient) -> yandex_promo::Result<()> {
    /// use yandex_promo::market::Participation;
    /// let list = market.promos().list().participation(Participation::ParticipatingNow);
    /// let current = list.send().await?;
    /// # Ok(()) }
    /// ```
    pub fn participation(mut self, participation: Participation) -> Self {
        self.filters.participation = Some(participation);
        self
    }

    /// Only promotions of this type.
    ///
    /// ```no_run
    /// # async fn demo(market: yandex_promo::market::MarketClient) -> yandex_promo::Result<()> {
    /// use yandex_promo::market::MechanicsType;
    /// let list = market.promos().list().mechanics(MechanicsType::DirectDiscount);
    /// let discounts = list.send().await?;
    /// # Ok(()) }
    /// ```
    pub fn mechanics(mut self, mechanics: MechanicsType) -> Self {
        self.filters.mechanics = Some(mechanics);
        self
    }

    /// Sends the request.
    ///
    /// ```no_run
    /// # async fn demo(market: yandex_promo::market::MarketClient) -> yandex_promo::Result<()> {
    /// let promos = market.promos().list().send().await?;
    /// for promo in &promos {
    ///     println!("{} {}", promo.id, promo.name);
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`crate::Error::Validation`] for an `Unknown` mechanics filter (never sent);
    /// [`crate::Error::RateLimited`] when the hourly budget is spent and resets later than the
    /// retry policy waits; the other [`crate::Error`]s of a call.
    pub async fn send(self) -> Result<Vec<Promo>> {
        if let Some(MechanicsType::Unknown(value)) = &self.filters.mechanics {
            return Err(ValidationError {
                violations: vec![Violation {
                    field: "mechanics".into(),
                    rule: "must be DIRECT_DISCOUNT, BLUE_FLASH or MARKET_PROMOCODE".into(),
                    value: value.clone(),
                }],
            }
            .into());
        }
        let client = &self.client;
        let response = send_with_retries(client.context(), "getPromos", || {
            client
                .raw()
                .get_promos()
                .business_id(client.business_id())
                .body(self.filters.clone())
                .send()
        })
        .await?;
        Ok(response
            .into_inner()
            .result
            .map(|result| result.promos)
            .unwrap_or_default())
    }
}
