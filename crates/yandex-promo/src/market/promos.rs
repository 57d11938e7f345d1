//! The promos family: `getPromos`, and the offers of a promo (listed, put in, taken out,
//! synced with a desired list).
use futures::TryStreamExt as _;
use yandex_promo_raw::market::operations;
use yandex_promo_raw::market::types::{
    DeletePromoOffersRequest, GetPromosRequest, UpdatePromoOffersRequest,
};

use super::{
    DeleteError, DeleteOutcome, Floors, ListPromoOffers, MarketClient, MechanicsType, OfferUpdate,
    Operation, Participation, Promo, SyncPlan, UpdateError, UpdateOutcome,
    batches::{self, in_batches},
    offer_update,
};
use crate::{
    ApiErrorKind, Error, Result, ValidationError, Violation,
    call::{Overrides, send_with_retries},
    request::{Call, Request},
};

/// Market promotions.
#[derive(Debug, Clone)]
pub struct PromoManager {
    /// The client; the guard (`guarding.rs`) reads its clock.
    pub(super) client: MarketClient,
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
            overrides: Overrides::default(),
        }
    }

    /// The offers in a promo and those that may join it (`getPromoOffers`).
    ///
    /// ```no_run
    /// # async fn demo(market: yandex_promo::market::MarketClient) -> yandex_promo::Result<()> {
    /// use futures::TryStreamExt as _;
    /// let mut offers = market.promos().offers("cf_123456").page_size(500).stream();
    /// while let Some(offer) = offers.try_next().await? {
    ///     println!("{} {}", offer.offer_id, offer.status);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn offers(&self, promo_id: impl Into<String>) -> ListPromoOffers {
        ListPromoOffers::new(self.client.clone(), promo_id.into())
    }

    /// Puts offers in a promo at promo prices, or changes their prices
    /// (`updatePromoOffers`): any number of offers, sent in as few requests of at most
    /// [`super::MAX_BATCH`] as possible, of even sizes (501 offers go as 251 and 250: Market
    /// throttles one-offer requests), one after another.
    ///
    /// Every offer is checked first and nothing is sent if one breaks a rule: prices are
    /// whole roubles of at least 1, the promo price is at most 95% and at least 1% of the
    /// price and at most `maxPromoPrice` when the offer came from [`OfferUpdate::for_offer`],
    /// ids are 1 to 255 characters, not blank, without control characters, and none repeats.
    /// A row naming a "Market Bestsellers" level needs its threshold first
    /// ([`OfferUpdate::for_offer_at_level`], or a [`sync`](Self::sync)).
    ///
    /// Market may still refuse some offers (not in the catalogue, not eligible, past the
    /// deadline): they are in [`UpdateOutcome::rejected`] with the reason, and were not
    /// changed. Changes show in `getPromoOffers` within 4 to 6 hours.
    ///
    /// ```no_run
    /// # async fn demo(market: yandex_promo::market::MarketClient) -> Result<(), Box<dyn std::error::Error>> {
    /// use yandex_promo::market::OfferUpdate;
    /// let offers = [OfferUpdate::new("SKU-1042", 1990, 1490), OfferUpdate::new("SKU-77", 990, 790)];
    /// let outcome = market.promos().update("cf_123456", offers).await?;
    /// for rejected in &outcome.rejected {
    ///     println!("{}: {}", rejected.offer_id, rejected.reason);
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// An [`UpdateError`]: [`crate::Error::Validation`] with every broken rule (nothing sent), or
    /// the error of the batch that failed, with the outcome of the batches before it and the
    /// offers still to send. "Promo has ended" stops the call at once
    /// ([`ApiErrorKind::PromoEnded`], its hint naming the promo); Market's single-offer
    /// throttle is waited out by the retry policy and, when it persists, surfaces as
    /// [`ApiErrorKind::SingleOfferThrottled`] with the advice to batch.
    pub fn update(
        &self,
        promo_id: impl Into<String>,
        offers: impl IntoIterator<Item = OfferUpdate>,
    ) -> Call<UpdateOffers> {
        // Market trims the spaces around an SKU; trimmed here, `" SKU-1"` and `"SKU-1"` are
        // seen as the same offer, as Market sees them.
        Call::new(UpdateOffers {
            promos: self.clone(),
            promo_id: promo_id.into(),
            offers: offers.into_iter().map(OfferUpdate::trimmed).collect(),
        })
    }

    /// [`PromoManager::update`], with the call's own settings.
    async fn send_update(
        &self,
        promo_id: String,
        offers: Vec<OfferUpdate>,
        overrides: &Overrides,
    ) -> Result<UpdateOutcome, UpdateError> {
        if let Err(invalid) = offer_update::validate(&offers) {
            return Err(batches::nothing_sent(invalid.into(), offers));
        }
        let client = &self.client;
        let context = client.context(Operation::UpdatePromoOffers).with(overrides);
        let context = &*context;
        in_batches(offers, |batch| {
            let body = UpdatePromoOffersRequest {
                promo_id: promo_id.clone(),
                offers: batch.iter().map(OfferUpdate::to_request).collect(),
            };
            async move {
                let response = send_with_retries(context, &operations::UPDATE_PROMO_OFFERS, || {
                    client
                        .raw()
                        .update_promo_offers()
                        .business_id(client.business_id())
                        .body(body.clone())
                        .send()
                })
                .await
                .map_err(|error| naming_the_promo(error, &body.promo_id))?;
                let result = response.into_inner().result.unwrap_or_default();
                Ok((
                    result.rejected_offers.unwrap_or_default(),
                    result.warning_offers.unwrap_or_default(),
                ))
            }
        })
        .await
    }

    /// Takes offers out of a promo (`deletePromoOffers`): any number of ids, sent in as few
    /// requests of at most [`super::MAX_BATCH`] as possible, of even sizes. Ids are trimmed, as Market trims them, and a
    /// repeated id is sent once; an offer that is not in the promo is not an error.
    ///
    /// ```no_run
    /// # async fn demo(market: yandex_promo::market::MarketClient) -> Result<(), Box<dyn std::error::Error>> {
    /// let outcome = market.promos().delete("cf_123456", ["SKU-1042", "SKU-77"]).await?;
    /// println!("{} taken out, {} refused", outcome.removed.len(), outcome.rejected.len());
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// A [`DeleteError`]: [`crate::Error::Validation`] for an invalid id (nothing sent), or the
    /// error of the batch that failed, with the outcome before it and the ids still to send;
    /// the promo errors as for [`update`](Self::update).
    pub fn delete(
        &self,
        promo_id: impl Into<String>,
        offer_ids: impl IntoIterator<Item = impl Into<String>>,
    ) -> Call<DeleteOffers> {
        let mut seen = std::collections::HashSet::new();
        Call::new(DeleteOffers {
            promos: self.clone(),
            promo_id: promo_id.into(),
            offer_ids: offer_ids
                .into_iter()
                .map(|id| offer_update::trim(id.into()))
                .filter(|id| seen.insert(id.clone()))
                .collect(),
        })
    }

    /// Takes every offer out of a promo and leaves it (`deleteAllOffers`).
    ///
    /// ```no_run
    /// # async fn demo(market: yandex_promo::market::MarketClient) -> yandex_promo::Result<()> {
    /// market.promos().delete_all("cf_123456").await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// The [`crate::Error`]s of a call.
    pub fn delete_all(&self, promo_id: impl Into<String>) -> Call<DeleteAllOffers> {
        Call::new(DeleteAllOffers {
            promos: self.clone(),
            promo_id: promo_id.into(),
        })
    }

    /// One `deletePromoOffers` request; its rejected offers, if any.
    async fn send_delete(
        &self,
        body: DeletePromoOffersRequest,
        overrides: &Overrides,
    ) -> Result<Option<Vec<super::RejectedDelete>>> {
        let client = &self.client;
        let context = client.context(Operation::DeletePromoOffers).with(overrides);
        let response = send_with_retries(&context, &operations::DELETE_PROMO_OFFERS, || {
            client
                .raw()
                .delete_promo_offers()
                .business_id(client.business_id())
                .body(body.clone())
                .send()
        })
        .await
        .map_err(|error| naming_the_promo(error, &body.promo_id))?;
        Ok(response
            .into_inner()
            .result
            .and_then(|result| result.rejected_offers))
    }

    /// Reads every offer of a promo and plans how to make its manual assortment equal to
    /// `desired`: see [`SyncPlan`]. Nothing is changed.
    ///
    /// ```no_run
    /// # async fn demo(market: yandex_promo::market::MarketClient) -> Result<(), Box<dyn std::error::Error>> {
    /// use yandex_promo::market::OfferUpdate;
    /// let promos = market.promos();
    /// let plan = promos.sync("cf_123456", vec![OfferUpdate::new("SKU-1042", 1990, 1490)]).await?;
    /// if !plan.is_empty() {
    ///     let outcome = promos.apply("cf_123456", &plan).await?;
    ///     println!("{} refused", outcome.updated.rejected.len());
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// A row naming a "Market Bestsellers" level ([`OfferUpdate::at_level`]) is planned at
    /// that level's threshold, as the promo's offers report it now.
    ///
    /// # Errors
    /// [`crate::Error::Validation`] with every rule a desired offer breaks; the errors of a listing.
    pub async fn sync(
        &self,
        promo_id: impl Into<String>,
        desired: Vec<OfferUpdate>,
    ) -> Result<SyncPlan> {
        self.sync_guarded(promo_id.into(), desired, None).await
    }

    /// [`sync`](Self::sync), refusing besides every desired promo price (or level threshold)
    /// below the seller's floor of its offer: see [`SyncPlan::with_floors`]. Nothing is
    /// changed.
    ///
    /// ```no_run
    /// # async fn demo(market: yandex_promo::market::MarketClient) -> Result<(), Box<dyn std::error::Error>> {
    /// use yandex_promo::market::{BestsellerLevel, Floors, OfferUpdate};
    /// let floors = Floors::new([("SKU-1042", 1290), ("SKU-77", 650)])?;
    /// let desired = vec![
    ///     OfferUpdate::new("SKU-77", 990, 790),
    ///     OfferUpdate::at_level("SKU-1042", 1990, BestsellerLevel::Best),
    /// ];
    /// let plan = market.promos().sync_with_floors("cf_bestsellers", desired, &floors).await?;
    /// println!("{plan}");
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`crate::Error::Validation`] with every rule a desired offer breaks, its floor included;
    /// the errors of a listing.
    pub async fn sync_with_floors(
        &self,
        promo_id: impl Into<String>,
        desired: Vec<OfferUpdate>,
        floors: &Floors,
    ) -> Result<SyncPlan> {
        self.sync_guarded(promo_id.into(), desired, Some(floors))
            .await
    }

    /// Reads every offer of the promo and plans the sync.
    async fn sync_guarded(
        &self,
        promo_id: String,
        desired: Vec<OfferUpdate>,
        floors: Option<&Floors>,
    ) -> Result<SyncPlan> {
        let current: Vec<_> = self
            .offers(promo_id.clone())
            .page_size(super::MAX_OFFERS_PAGE_SIZE)
            .stream()
            .try_collect()
            .await
            .map_err(|error| naming_the_promo(error.into(), &promo_id))?;
        Ok(SyncPlan::with_floors(&current, desired, floors)?)
    }

    /// Applies a plan: the additions and reprices in update batches, then the removals in
    /// delete batches. Applying it again is safe (both operations are idempotent). After a
    /// failure, part of the plan may have been applied: make the plan again with
    /// [`sync`](Self::sync) and apply that, which sends what is left (within Market's 4-6
    /// hours of delay it may send an applied change again, which changes nothing).
    ///
    /// ```no_run
    /// # async fn demo(market: yandex_promo::market::MarketClient, plan: yandex_promo::market::SyncPlan) -> yandex_promo::Result<()> {
    /// let outcome = market.promos().apply("cf_123456", &plan).await?;
    /// println!("{} applied, {} removed", outcome.updated.applied.len(), outcome.deleted.removed.len());
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// The first failure, as [`crate::Error`]: a plan is re-made and re-applied from scratch.
    /// "Promo has ended" stops it at once, before any later request, with
    /// [`ApiErrorKind::PromoEnded`] and a hint naming the promo.
    pub async fn apply(&self, promo_id: impl Into<String>, plan: &SyncPlan) -> Result<SyncOutcome> {
        let promo_id = promo_id.into();
        let updates = plan.updates();
        let updated = if updates.is_empty() {
            UpdateOutcome::default()
        } else {
            self.update(promo_id.clone(), updates).await?
        };
        let deleted = if plan.remove.is_empty() {
            DeleteOutcome::default()
        } else {
            self.delete(promo_id, plan.remove.iter().cloned()).await?
        };
        Ok(SyncOutcome { updated, deleted })
    }
}

/// The request of [`PromoManager::update`]; awaited, a `Result<UpdateOutcome, UpdateError>`.
#[derive(Debug, Clone)]
pub struct UpdateOffers {
    promos: PromoManager,
    promo_id: String,
    offers: Vec<OfferUpdate>,
}

impl Request for UpdateOffers {
    type Output = Result<UpdateOutcome, UpdateError>;

    async fn send(self, overrides: Overrides) -> Self::Output {
        let promos = self.promos;
        promos
            .send_update(self.promo_id, self.offers, &overrides)
            .await
    }
}

/// The request of [`PromoManager::delete`]; awaited, a `Result<DeleteOutcome, DeleteError>`.
#[derive(Debug, Clone)]
pub struct DeleteOffers {
    promos: PromoManager,
    promo_id: String,
    offer_ids: Vec<String>,
}

impl Request for DeleteOffers {
    type Output = Result<DeleteOutcome, DeleteError>;

    async fn send(self, overrides: Overrides) -> Self::Output {
        let Self {
            promos,
            promo_id,
            offer_ids,
        } = self;
        if let Err(invalid) = offer_update::validate_ids(&offer_ids) {
            return Err(batches::nothing_sent(invalid.into(), offer_ids));
        }
        in_batches(offer_ids, |batch| {
            let body = DeletePromoOffersRequest {
                promo_id: promo_id.clone(),
                delete_all_offers: None,
                offer_ids: Some(batch),
            };
            let (promos, overrides) = (&promos, &overrides);
            async move {
                let result = promos.send_delete(body, overrides).await?;
                Ok(result.unwrap_or_default())
            }
        })
        .await
    }
}

/// The request of [`PromoManager::delete_all`]; awaited, a `Result<()>`.
#[derive(Debug, Clone)]
pub struct DeleteAllOffers {
    promos: PromoManager,
    promo_id: String,
}

impl Request for DeleteAllOffers {
    type Output = Result<()>;

    async fn send(self, overrides: Overrides) -> Result<()> {
        let body = DeletePromoOffersRequest {
            promo_id: self.promo_id,
            delete_all_offers: Some(true),
            offer_ids: None,
        };
        self.promos.send_delete(body, &overrides).await.map(drop)
    }
}

/// `error` of a call on `promo_id`, its advice naming the promo where Market's answer is
/// about it: the promo has ended, or its one-offer requests are throttled.
pub(super) fn naming_the_promo(mut error: Error, promo_id: &str) -> Error {
    if let Error::Api(api) = &mut error {
        match api.kind {
            Some(ApiErrorKind::PromoEnded) => {
                api.hint = Some(format!(
                    "promo {promo_id:?} has ended: list the promos you can join with getPromos"
                ));
            }
            Some(ApiErrorKind::SingleOfferThrottled) => {
                api.hint = Some(format!(
                    "Market limits promo requests that carry a single offerId: send several \
                     offers of promo {promo_id:?} in one request, or wait and try again later"
                ));
            }
            _ => {}
        }
    }
    error
}

/// What applying a [`SyncPlan`] did.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct SyncOutcome {
    /// The additions and reprices.
    pub updated: UpdateOutcome,
    /// The removals.
    pub deleted: DeleteOutcome,
}

/// A `getPromos` request with its filters.
#[derive(Debug, Clone)]
#[must_use = "nothing is sent until `send` is awaited"]
pub struct ListPromos {
    client: MarketClient,
    filters: GetPromosRequest,
    overrides: Overrides,
}

impl ListPromos {
    crate::request::call_setters!(
        "# fn demo(market: yandex_promo::market::MarketClient) {",
        "market.promos().list()"
    );

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
        let context = client.context(Operation::GetPromos).with(&self.overrides);
        let response = send_with_retries(&context, &operations::GET_PROMOS, || {
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
