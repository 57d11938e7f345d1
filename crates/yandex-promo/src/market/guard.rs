//! The margin guard's plan: in every promo, the offers whose price in the promo is below the
//! seller's floor, and what to do about each (raise it to the floor, or take it out). Pure:
//! the reading and the sending are in [`super::guarding`].
//!
//! Market puts offers in promos by itself (`AUTO`, `PARTIALLY_AUTO`, `RENEWED`,
//! `MINIMUM_FOR_PROMOS`), at prices it chooses; a seller who does not watch may sell at a
//! loss. The guard finds them, whoever put them there.
use std::{collections::HashSet, fmt};

use chrono::{DateTime, Utc};

use super::{
    MechanicsType, OfferStatus, OfferUpdate, Promo, PromoOffer, RejectReason, Roubles,
    batches::MAX_BATCH,
    floors::Floors,
    levels::{BestsellerLevel, price_levels},
    offer_update::roubles,
};

/// The price an offer sells at in a promo, as `getPromoOffers` reports it, when it takes
/// part and Market says:
///
/// - `promoPrice` for every participating status. The docs describe it as "Цена по акции …
///   Возвращается, только если товар участвует в акции" (the promo price, returned only when
///   the offer takes part), so for an offer Market added itself (`AUTO`, `PARTIALLY_AUTO`,
///   `RENEWED`) it is the price Market chose. The docs never say so in one sentence: this is
///   our reading of "returned only if the offer takes part".
/// - `maxPromoPrice` for `MINIMUM_FOR_PROMOS`, which the docs define as "участвует в акции с
///   ценой `maxPromoPrice`" (takes part at the price `maxPromoPrice`); `promoPrice` when
///   Market sent no cap. The cap moves with the promo's conditions, so such an offer's price
///   can fall while the seller does nothing.
///
/// `price` is the strikethrough price, never the selling price. `None` for an offer that does
/// not take part (`NOT_PARTICIPATING`, `RENEW_FAILED`), for a promo-code promo's offer (no
/// prices), and when the field is absent or negative.
///
/// ```
/// use yandex_promo::market::{PromoOffer, price_in_promo};
/// let auto: PromoOffer = serde_json::from_value(serde_json::json!({
///     "offerId": "SKU-7", "status": "AUTO",
///     "params": {"discountParams": {"price": 1000, "promoPrice": 650, "maxPromoPrice": 900}}
/// }))?;
/// assert_eq!(price_in_promo(&auto), Some(650)); // the price Market chose
/// let at_minimum: PromoOffer = serde_json::from_value(serde_json::json!({
///     "offerId": "SKU-8", "status": "MINIMUM_FOR_PROMOS",
///     "params": {"discountParams": {"price": 1000, "promoPrice": 850, "maxPromoPrice": 800}}
/// }))?;
/// assert_eq!(price_in_promo(&at_minimum), Some(800)); // in at the cap
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn price_in_promo(offer: &PromoOffer) -> Option<Roubles> {
    if !participates(&offer.status) {
        return None;
    }
    let prices = offer.params.discount_params.as_ref()?;
    let promo_price = roubles(prices.promo_price);
    match offer.status {
        OfferStatus::MinimumForPromos => roubles(prices.max_promo_price).or(promo_price),
        _ => promo_price,
    }
}

/// Whether an offer with this status is in the promo: every status but `NOT_PARTICIPATING`
/// and `RENEW_FAILED`, unknown ones included (a status Market adds later is more likely a new
/// way in than a new way out, and the guard would rather look at it).
fn participates(status: &OfferStatus) -> bool {
    !matches!(
        status,
        OfferStatus::NotParticipating | OfferStatus::RenewFailed
    )
}

/// What the guard would change: per promo, the offers below their floor to raise or take
/// out, and what it looked at and left alone. Empty when every priced offer with a floor is
/// at or above it.
///
/// ```no_run
/// # async fn demo(market: yandex_promo::market::MarketClient) -> Result<(), Box<dyn std::error::Error>> {
/// use yandex_promo::market::Floors;
/// let floors = Floors::new([("SKU-1042", 1290), ("SKU-77", 650)])?;
/// let plan = market.promos().guard(&floors).await?;
/// println!("{plan}");
/// for promo in &plan.promos {
///     println!("{}: {} to raise, {} to take out", promo.promo_id, promo.raise.len(), promo.take_out.len());
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct GuardPlan {
    /// The promos with offers below their floor, in the order listed; promos with nothing
    /// to do are not here.
    pub promos: Vec<PromoGuard>,
    /// Offers in a promo at or above their floor (an offer in two promos counts twice).
    pub within_floor: usize,
    /// Offers in a promo that have no floor: left alone, as the seller set no limit.
    pub without_floor: usize,
    /// Offers in a promo with a floor but no price Market reported: left alone, as nothing
    /// says they sell below it.
    pub unpriced: usize,
    /// The promos not looked into, and why.
    pub skipped: Vec<SkippedPromo>,
}

/// One promo's offers below their floor.
///
/// ```no_run
/// # fn demo(plan: yandex_promo::market::GuardPlan) {
/// for promo in &plan.promos {
///     println!("{} {} ({}):", promo.promo_id, promo.name, promo.mechanics);
///     for raise in &promo.raise {
///         println!("  raise {} to {}", raise.update.offer_id, raise.floor);
///     }
///     for out in &promo.take_out {
///         println!("  take out {}: {}", out.offer_id, out.why);
///     }
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct PromoGuard {
    /// The promo's id.
    pub promo_id: String,
    /// The promo's name.
    pub name: String,
    /// The promo's type.
    pub mechanics: MechanicsType,
    /// Offers the seller put in, to raise to their floor (`updatePromoOffers`).
    pub raise: Vec<Raise>,
    /// Offers to take out of the promo (`deletePromoOffers`).
    pub take_out: Vec<TakeOut>,
}

/// An offer the seller put in (`MANUAL`) below its floor, whose promo price the promo's rules
/// let the guard raise to the floor.
///
/// ```no_run
/// # fn demo(plan: yandex_promo::market::GuardPlan) {
/// for raise in plan.promos.iter().flat_map(|p| &p.raise) {
///     let level = raise.level.map_or("-", |level| level.as_str());
///     println!("{}: {} -> {} (level {level})", raise.update.offer_id, raise.promo_price_now, raise.floor);
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Raise {
    /// The offer at its strikethrough price now, its promo price the floor.
    pub update: OfferUpdate,
    /// The promo price now.
    pub promo_price_now: Roubles,
    /// The seller's floor, the new promo price.
    pub floor: Roubles,
    /// In a "Market Bestsellers" promo, the level the new promo price reaches (`None` over
    /// every threshold, or outside Bestsellers).
    pub level: Option<BestsellerLevel>,
}

/// An offer to take out of a promo, as its price there is below its floor.
///
/// ```no_run
/// # fn demo(plan: yandex_promo::market::GuardPlan) {
/// use yandex_promo::market::TakeOutReason;
/// let by_market = plan
///     .promos
///     .iter()
///     .flat_map(|p| &p.take_out)
///     .filter(|out| out.why == TakeOutReason::AddedByMarket)
///     .count();
/// println!("{by_market} offers Market added below your floor");
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct TakeOut {
    /// The offer.
    pub offer_id: String,
    /// Its status in the promo.
    pub status: OfferStatus,
    /// Its price in the promo: see [`price_in_promo`].
    pub price_in_promo: Roubles,
    /// The seller's floor.
    pub floor: Roubles,
    /// Why it is taken out rather than raised.
    pub why: TakeOutReason,
}

/// Why an offer below its floor is taken out instead of raised to it.
///
/// ```
/// use yandex_promo::market::{RejectReason, TakeOutReason};
/// assert_eq!(TakeOutReason::AddedByMarket.to_string(), "added by Market");
/// let refused = TakeOutReason::RaiseRefused(RejectReason::MaxPromoPriceExceeded);
/// assert_eq!(refused.to_string(), "raise refused: MAX_PROMO_PRICE_EXCEEDED");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TakeOutReason {
    /// Market put it in (`AUTO`, `PARTIALLY_AUTO`, `RENEWED`, `MINIMUM_FOR_PROMOS`), or its
    /// status is one this crate does not know: the seller did not choose its price.
    AddedByMarket,
    /// The seller put it in, but Market would refuse the floor as its promo price, for this
    /// reason (over `maxPromoPrice`, over 95% of the strikethrough price).
    RaiseRefused(RejectReason),
    /// The promo takes no more entries (past its Bestsellers entry deadline).
    EntriesClosed,
    /// Market reports no strikethrough price to send with a new promo price.
    NoStrikethroughPrice,
    /// The promo is of a type whose prices `updatePromoOffers` does not set.
    NotADiscountPromo,
}

impl fmt::Display for TakeOutReason {
    /// For people: `added by Market`, `raise refused: MAX_PROMO_PRICE_EXCEEDED`, ...
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::AddedByMarket => f.write_str("added by Market"),
            Self::RaiseRefused(reason) => write!(f, "raise refused: {reason}"),
            Self::EntriesClosed => f.write_str("entries closed"),
            Self::NoStrikethroughPrice => f.write_str("no strikethrough price"),
            Self::NotADiscountPromo => f.write_str("not a discount promo"),
        }
    }
}

/// A promo the guard did not look into.
///
/// ```no_run
/// # fn demo(plan: yandex_promo::market::GuardPlan) {
/// for skipped in &plan.skipped {
///     println!("{} skipped: {}", skipped.promo_id, skipped.why);
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct SkippedPromo {
    /// The promo's id.
    pub promo_id: String,
    /// Why.
    pub why: SkipReason,
}

/// Why the guard did not look into a promo.
///
/// ```
/// use yandex_promo::market::SkipReason;
/// assert_eq!(SkipReason::Ended.to_string(), "ended");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SkipReason {
    /// A `MARKET_PROMOCODE` promo: its offers carry no prices to compare.
    PromoCode,
    /// The promo had ended: nothing sells in it any more.
    Ended,
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::PromoCode => "a promo-code promo: its offers carry no prices",
            Self::Ended => "ended",
        })
    }
}

/// How many requests applying a [`GuardPlan`] sends, per operation (each has its own budget:
/// 5,000 an hour).
///
/// ```
/// use yandex_promo::market::{GuardPlan, GuardRequests};
/// let nothing = GuardPlan::default();
/// assert_eq!(nothing.requests(), GuardRequests::default());
/// assert_eq!(nothing.requests().updates + nothing.requests().deletes, 0);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct GuardRequests {
    /// `updatePromoOffers` requests (the raises).
    pub updates: usize,
    /// `deletePromoOffers` requests (the take-outs).
    pub deletes: usize,
}

impl GuardPlan {
    /// The plan for `promos`, each with every offer `getPromoOffers` lists for it, against
    /// the seller's `floors`, at `now` (which decides whether a promo has ended or closed its
    /// entries). Per offer:
    ///
    /// - not in the promo: ignored; no floor: counted in `without_floor`; no price in the
    ///   promo ([`price_in_promo`]): counted in `unpriced`; at or above the floor: counted in
    ///   `within_floor`;
    /// - below the floor, put in by the seller (`MANUAL`): raised to the floor when the promo
    ///   is a discount one still taking entries and Market would accept the floor (at most
    ///   `maxPromoPrice`, at most 95% of the strikethrough price); else taken out, with the
    ///   reason;
    /// - below the floor, any other status: taken out.
    ///
    /// Promo-code promos and promos already ended are skipped. An offer listed twice in a
    /// promo counts once.
    ///
    /// ```no_run
    /// # async fn demo(market: yandex_promo::market::MarketClient) -> Result<(), Box<dyn std::error::Error>> {
    /// use futures::TryStreamExt as _;
    /// use yandex_promo::market::{Floors, GuardPlan};
    /// let promos = market.promos();
    /// let mut read = Vec::new();
    /// for promo in promos.list().send().await? {
    ///     let offers: Vec<_> = promos.offers(promo.id.as_str()).stream().try_collect().await?;
    ///     read.push((promo, offers));
    /// }
    /// let floors = Floors::new([("SKU-1042", 1290)])?;
    /// let plan = GuardPlan::new(&read, &floors, chrono::Utc::now());
    /// println!("{plan}");
    /// # Ok(()) }
    /// ```
    pub fn new(promos: &[(Promo, Vec<PromoOffer>)], floors: &Floors, now: DateTime<Utc>) -> Self {
        let mut plan = Self::default();
        for (promo, offers) in promos {
            let mechanics = &promo.mechanics_info.type_;
            let skip = if *mechanics == MechanicsType::MarketPromocode {
                Some(SkipReason::PromoCode)
            } else if promo.period.date_time_to <= now {
                Some(SkipReason::Ended)
            } else {
                None
            };
            if let Some(why) = skip {
                plan.skipped.push(SkippedPromo {
                    promo_id: promo.id.clone(),
                    why,
                });
                continue;
            }
            let guard = plan.guard_promo(promo, offers, floors, now);
            if !guard.raise.is_empty() || !guard.take_out.is_empty() {
                plan.promos.push(guard);
            }
        }
        plan
    }

    /// One promo's raises and take-outs; the counts go to `self`.
    fn guard_promo(
        &mut self,
        promo: &Promo,
        offers: &[PromoOffer],
        floors: &Floors,
        now: DateTime<Utc>,
    ) -> PromoGuard {
        let mechanics = promo.mechanics_info.type_.clone();
        let discount = matches!(
            mechanics,
            MechanicsType::DirectDiscount | MechanicsType::BlueFlash
        );
        let deadline = promo
            .bestseller_info
            .entry_deadline
            .map_or(promo.period.date_time_to, |d| {
                d.min(promo.period.date_time_to)
            });
        let entries_open = now < deadline;
        let mut guard = PromoGuard {
            promo_id: promo.id.clone(),
            name: promo.name.clone(),
            mechanics,
            raise: Vec::new(),
            take_out: Vec::new(),
        };
        let mut seen = HashSet::new();
        for offer in offers {
            // Market trims the spaces around an SKU; a repeated offer counts once.
            let offer_id = offer.offer_id.trim();
            if !participates(&offer.status) || !seen.insert(offer_id) {
                continue;
            }
            let Some(floor) = floors.get(offer_id) else {
                self.without_floor += 1;
                continue;
            };
            let Some(applied) = price_in_promo(offer) else {
                self.unpriced += 1;
                continue;
            };
            if applied >= floor {
                self.within_floor += 1;
                continue;
            }
            let take_out = |why| TakeOut {
                offer_id: offer_id.to_owned(),
                status: offer.status.clone(),
                price_in_promo: applied,
                floor,
                why,
            };
            if offer.status != OfferStatus::Manual {
                guard.take_out.push(take_out(TakeOutReason::AddedByMarket));
                continue;
            }
            let price = offer
                .params
                .discount_params
                .as_ref()
                .and_then(|p| roubles(p.price))
                // A price of 0 is no price: no promo price can be 95% of it.
                .filter(|&price| price > 0);
            let raise = match (discount, entries_open, price) {
                (false, _, _) => Err(TakeOutReason::NotADiscountPromo),
                (true, false, _) => Err(TakeOutReason::EntriesClosed),
                (true, true, None) => Err(TakeOutReason::NoStrikethroughPrice),
                (true, true, Some(price)) => {
                    let update = OfferUpdate {
                        offer_id: offer_id.to_owned(),
                        ..OfferUpdate::for_offer(offer, price, floor)
                    };
                    match update.rejections().into_iter().next() {
                        Some(reason) => Err(TakeOutReason::RaiseRefused(reason)),
                        None => Ok(update),
                    }
                }
            };
            match raise {
                Ok(update) => guard.raise.push(Raise {
                    update,
                    promo_price_now: applied,
                    floor,
                    level: price_levels(offer).and_then(|levels| levels.level_of(floor)),
                }),
                Err(why) => guard.take_out.push(take_out(why)),
            }
        }
        guard
    }

    /// Whether applying the plan would send nothing.
    ///
    /// ```no_run
    /// # async fn demo(market: yandex_promo::market::MarketClient, floors: yandex_promo::market::Floors) -> yandex_promo::Result<()> {
    /// let plan = market.promos().guard(&floors).await?;
    /// if plan.is_empty() {
    ///     println!("every offer is at or above its floor");
    /// }
    /// # Ok(()) }
    /// ```
    pub fn is_empty(&self) -> bool {
        self.promos
            .iter()
            .all(|p| p.raise.is_empty() && p.take_out.is_empty())
    }

    /// The requests applying the plan sends: per promo, ⌈raises/500⌉ updates and
    /// ⌈take-outs/500⌉ deletes, the fewest possible, as a request carries one promo and one
    /// operation.
    ///
    /// ```no_run
    /// # async fn demo(market: yandex_promo::market::MarketClient, floors: yandex_promo::market::Floors) -> yandex_promo::Result<()> {
    /// let plan = market.promos().guard(&floors).await?;
    /// let requests = plan.requests();
    /// println!("{} updates and {} deletes", requests.updates, requests.deletes);
    /// # Ok(()) }
    /// ```
    pub fn requests(&self) -> GuardRequests {
        self.promos
            .iter()
            .fold(GuardRequests::default(), |sum, promo| GuardRequests {
                updates: sum.updates + promo.raise.len().div_ceil(MAX_BATCH),
                deletes: sum.deletes + promo.take_out.len().div_ceil(MAX_BATCH),
            })
    }
}

impl fmt::Display for GuardPlan {
    /// The plan's counts, e.g. `3 promos: 4 to raise, 41 to take out; 230 within floor, 17
    /// without a floor (left alone), 0 unpriced, 1 promo skipped`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let raise: usize = self.promos.iter().map(|p| p.raise.len()).sum();
        let take_out: usize = self.promos.iter().map(|p| p.take_out.len()).sum();
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        write!(
            f,
            "{} promo{}: {raise} to raise, {take_out} to take out; {} within floor, {} without a floor (left alone), {} unpriced, {} promo{} skipped",
            self.promos.len(),
            plural(self.promos.len()),
            self.within_floor,
            self.without_floor,
            self.unpriced,
            self.skipped.len(),
            plural(self.skipped.len()),
        )
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;
    use yandex_promo_raw::market::types::{
        GetPromoAssortmentInfoDto, GetPromoBestsellerInfoDto, GetPromoMechanicsInfoDto,
        PromoOfferParamsDto, PromoPeriodDto,
    };

    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-12-05T12:00:00Z".parse().expect("a time")
    }

    /// A promo of `mechanics` running from yesterday for `days_left` more days.
    fn promo(id: &str, mechanics: MechanicsType, days_left: i64) -> Promo {
        Promo {
            assortment_info: GetPromoAssortmentInfoDto {
                active_offers: 0,
                potential_offers: None,
                processing: None,
            },
            bestseller_info: GetPromoBestsellerInfoDto {
                bestseller: false,
                entry_deadline: None,
                renewal_enabled: None,
            },
            channels: None,
            constraints: None,
            id: id.to_owned(),
            mechanics_info: GetPromoMechanicsInfoDto {
                promocode_info: None,
                type_: mechanics,
            },
            name: format!("promo {id}"),
            participating: true,
            period: PromoPeriodDto {
                date_time_from: now() - TimeDelta::days(1),
                date_time_to: now() + TimeDelta::days(days_left),
            },
        }
    }

    fn discount(id: &str) -> Promo {
        promo(id, MechanicsType::DirectDiscount, 7)
    }

    /// An offer with `(price, promo price)` and a cap.
    fn offer(
        id: &str,
        status: OfferStatus,
        prices: Option<(i64, i64)>,
        cap: Option<i64>,
    ) -> PromoOffer {
        crate::market::levels::tests::bestseller(id, status, prices, cap, None)
    }

    fn floors(rows: &[(&str, Roubles)]) -> Floors {
        Floors::new(rows.iter().copied()).expect("valid floors")
    }

    /// `(offer, status, why)` of each take-out of the only promo.
    fn taken_out(plan: &GuardPlan) -> Vec<(String, OfferStatus, TakeOutReason)> {
        plan.promos
            .iter()
            .flat_map(|p| &p.take_out)
            .map(|t| (t.offer_id.clone(), t.status.clone(), t.why.clone()))
            .collect()
    }

    #[test]
    fn every_participating_status_below_its_floor_is_planned() {
        let offers = vec![
            offer("manual", OfferStatus::Manual, Some((1000, 700)), Some(900)),
            offer("auto", OfferStatus::Auto, Some((1000, 650)), Some(900)),
            offer(
                "partly",
                OfferStatus::PartiallyAuto,
                Some((1000, 680)),
                Some(900),
            ),
            offer(
                "renewed",
                OfferStatus::Renewed,
                Some((1000, 720)),
                Some(900),
            ),
            // In at the cap (700), though its promo price says 800.
            offer(
                "minimum",
                OfferStatus::MinimumForPromos,
                Some((1000, 800)),
                Some(700),
            ),
            offer(
                "new",
                OfferStatus::Unknown("NEW".into()),
                Some((1000, 600)),
                None,
            ),
            offer("out", OfferStatus::NotParticipating, None, Some(900)),
            offer(
                "failed",
                OfferStatus::RenewFailed,
                Some((1000, 100)),
                Some(900),
            ),
        ];
        let ids = [
            "manual", "auto", "partly", "renewed", "minimum", "new", "out", "failed",
        ];
        let floors = floors(&ids.map(|id| (id, 750)));
        let plan = GuardPlan::new(&[(discount("p"), offers)], &floors, now());
        assert_eq!(plan.promos.len(), 1);
        let raise = &plan.promos[0].raise;
        assert_eq!(raise.len(), 1);
        assert_eq!(raise[0].update.offer_id, "manual");
        assert_eq!(
            (raise[0].update.price, raise[0].update.promo_price),
            (1000, 750)
        );
        assert_eq!(raise[0].update.max_promo_price, Some(900));
        assert_eq!((raise[0].promo_price_now, raise[0].floor), (700, 750));
        let market = TakeOutReason::AddedByMarket;
        assert_eq!(
            taken_out(&plan),
            [
                ("auto".into(), OfferStatus::Auto, market.clone()),
                ("partly".into(), OfferStatus::PartiallyAuto, market.clone()),
                ("renewed".into(), OfferStatus::Renewed, market.clone()),
                (
                    "minimum".into(),
                    OfferStatus::MinimumForPromos,
                    market.clone()
                ),
                ("new".into(), OfferStatus::Unknown("NEW".into()), market),
            ]
        );
        let minimum = &plan.promos[0].take_out[3];
        assert_eq!(minimum.price_in_promo, 700, "maxPromoPrice, not promoPrice");
        assert_eq!(
            (plan.within_floor, plan.without_floor, plan.unpriced),
            (0, 0, 0)
        );
        assert_eq!(
            plan.requests(),
            GuardRequests {
                updates: 1,
                deletes: 1
            }
        );
        assert!(!plan.is_empty());
    }

    #[test]
    fn at_the_floor_is_safe_one_rouble_under_is_not() {
        let offers = vec![
            offer("at", OfferStatus::Auto, Some((1000, 750)), None),
            offer("under", OfferStatus::Auto, Some((1000, 749)), None),
            offer("over", OfferStatus::Auto, Some((1000, 751)), None),
        ];
        let floors = floors(&[("at", 750), ("under", 750), ("over", 750)]);
        let plan = GuardPlan::new(&[(discount("p"), offers)], &floors, now());
        let ids: Vec<String> = taken_out(&plan).into_iter().map(|t| t.0).collect();
        assert_eq!(ids, ["under"]);
        assert_eq!(plan.within_floor, 2);
        assert_eq!(plan.promos[0].take_out[0].price_in_promo, 749);
    }

    #[test]
    fn a_raise_over_the_cap_or_95_percent_or_past_the_deadline_becomes_a_take_out_with_its_reason()
    {
        // A promo price but no strikethrough price.
        let mut no_price = offer("no-price", OfferStatus::Manual, None, None);
        if let Some(prices) = no_price.params.discount_params.as_mut() {
            prices.promo_price = Some(700);
        }
        let offers = vec![
            offer(
                "over-cap",
                OfferStatus::Manual,
                Some((1000, 700)),
                Some(800),
            ),
            offer("over-95", OfferStatus::Manual, Some((1000, 700)), None),
            no_price,
            // A price of 0 from the server: a raise would be refused before it is sent, and
            // planned again on every run.
            offer("zero-price", OfferStatus::Manual, Some((0, 700)), None),
            offer("fine", OfferStatus::Manual, Some((1000, 700)), Some(900)),
        ];
        let floors = floors(&[
            ("over-cap", 850),
            ("over-95", 951),
            ("no-price", 750),
            ("zero-price", 750),
            ("fine", 900),
        ]);
        let plan = GuardPlan::new(&[(discount("p"), offers.clone())], &floors, now());
        let why: Vec<(String, TakeOutReason)> =
            taken_out(&plan).into_iter().map(|t| (t.0, t.2)).collect();
        assert_eq!(
            why,
            [
                (
                    "over-cap".into(),
                    TakeOutReason::RaiseRefused(RejectReason::MaxPromoPriceExceeded)
                ),
                (
                    "over-95".into(),
                    TakeOutReason::RaiseRefused(RejectReason::PromoPriceBiggerThanMax)
                ),
                ("no-price".into(), TakeOutReason::NoStrikethroughPrice),
                ("zero-price".into(), TakeOutReason::NoStrikethroughPrice),
            ]
        );
        assert_eq!(
            plan.promos[0].raise.len(),
            1,
            "900 is the cap itself: allowed"
        );

        // Past the Bestsellers entry deadline, no raise: every one is taken out.
        let mut closed = discount("b");
        closed.bestseller_info.bestseller = true;
        closed.bestseller_info.entry_deadline = Some(now() - TimeDelta::hours(1));
        let plan = GuardPlan::new(&[(closed.clone(), offers.clone())], &floors, now());
        assert!(plan.promos[0].raise.is_empty());
        assert!(
            plan.promos[0]
                .take_out
                .iter()
                .all(|t| t.why == TakeOutReason::EntriesClosed)
        );
        // At the deadline itself entries are closed; a second before, open.
        closed.bestseller_info.entry_deadline = Some(now());
        let plan = GuardPlan::new(&[(closed.clone(), offers.clone())], &floors, now());
        assert!(plan.promos[0].raise.is_empty());
        closed.bestseller_info.entry_deadline = Some(now() + TimeDelta::seconds(1));
        let plan = GuardPlan::new(&[(closed, offers.clone())], &floors, now());
        assert_eq!(plan.promos[0].raise.len(), 1);

        // A promo of a type `updatePromoOffers` sets no prices for.
        let other = promo("x", MechanicsType::Unknown("CASHBACK".into()), 7);
        let plan = GuardPlan::new(&[(other, offers)], &floors, now());
        assert!(
            plan.promos[0]
                .take_out
                .iter()
                .all(|t| t.why == TakeOutReason::NotADiscountPromo)
        );
    }

    #[test]
    fn offers_without_a_floor_and_unpriced_ones_are_counted_and_left_alone() {
        let offers = vec![
            offer("no-floor", OfferStatus::Auto, Some((1000, 100)), None),
            offer("unpriced", OfferStatus::Auto, None, None),
            offer("negative", OfferStatus::Auto, Some((1000, -5)), None),
            offer("fine", OfferStatus::Manual, Some((1000, 800)), None),
            offer(" fine ", OfferStatus::Manual, Some((1000, 100)), None),
        ];
        let floors = floors(&[("unpriced", 500), ("negative", 500), ("fine", 500)]);
        let plan = GuardPlan::new(&[(discount("p"), offers)], &floors, now());
        assert!(plan.is_empty(), "{plan:?}");
        assert!(plan.promos.is_empty());
        assert_eq!(
            (plan.within_floor, plan.without_floor, plan.unpriced),
            (1, 1, 2),
            "a repeated offer counts once"
        );
        assert_eq!(
            plan.requests(),
            GuardRequests {
                updates: 0,
                deletes: 0
            }
        );
        assert_eq!(
            plan.to_string(),
            "0 promos: 0 to raise, 0 to take out; 1 within floor, 1 without a floor (left alone), 2 unpriced, 0 promos skipped"
        );
    }

    #[test]
    fn promo_code_promos_are_skipped() {
        let below = vec![offer("a", OfferStatus::Auto, Some((1000, 100)), None)];
        let floors = floors(&[("a", 500)]);
        let promos = [
            (
                promo("code", MechanicsType::MarketPromocode, 7),
                below.clone(),
            ),
            (
                promo("ended", MechanicsType::DirectDiscount, 0),
                below.clone(),
            ),
            (discount("live"), below),
        ];
        let plan = GuardPlan::new(&promos, &floors, now());
        let skipped: Vec<(&str, SkipReason)> = plan
            .skipped
            .iter()
            .map(|s| (s.promo_id.as_str(), s.why))
            .collect();
        assert_eq!(
            skipped,
            [
                ("code", SkipReason::PromoCode),
                ("ended", SkipReason::Ended)
            ]
        );
        assert_eq!(plan.promos.len(), 1);
        assert_eq!(plan.promos[0].promo_id, "live");
        assert_eq!(
            plan.to_string(),
            "1 promo: 0 to raise, 1 to take out; 0 within floor, 0 without a floor (left alone), 0 unpriced, 2 promos skipped"
        );
        let promo_code = offer("b", OfferStatus::Manual, None, None);
        let promo_code = PromoOffer {
            params: PromoOfferParamsDto {
                discount_params: None,
            },
            ..promo_code
        };
        assert_eq!(price_in_promo(&promo_code), None);
    }

    #[test]
    fn requests_are_the_fewest() {
        let offers: Vec<PromoOffer> = (0..1200)
            .map(|i| {
                offer(
                    &format!("SKU-{i}"),
                    OfferStatus::Auto,
                    Some((1000, 600)),
                    None,
                )
            })
            .collect();
        let rows: Vec<(String, Roubles)> = (0..1200).map(|i| (format!("SKU-{i}"), 700)).collect();
        let floors = Floors::new(rows).expect("valid");
        let plan = GuardPlan::new(
            &[
                (discount("a"), offers.clone()),
                (discount("b"), offers[..1].to_vec()),
            ],
            &floors,
            now(),
        );
        assert_eq!(plan.promos[0].take_out.len(), 1200);
        assert_eq!(
            plan.requests(),
            GuardRequests {
                updates: 0,
                deletes: 4
            },
            "3 for 1,200 in one promo, 1 for the other: a request carries one promo"
        );
    }

    #[test]
    fn a_plan_round_trips_through_json() {
        let offers = vec![
            offer("manual", OfferStatus::Manual, Some((1000, 700)), Some(900)),
            offer("auto", OfferStatus::Auto, Some((1000, 650)), Some(900)),
        ];
        let floors = floors(&[("manual", 750), ("auto", 750)]);
        let plan = GuardPlan::new(&[(discount("p"), offers)], &floors, now());
        let json = serde_json::to_value(&plan).expect("serializes");
        assert_eq!(json["promos"][0]["take_out"][0]["why"], "added_by_market");
        assert_eq!(json["promos"][0]["take_out"][0]["status"], "AUTO");
        let back: GuardPlan = serde_json::from_value(json).expect("deserializes");
        assert_eq!(back, plan);
    }

    #[test]
    fn the_level_a_raise_reaches_is_shown() {
        use crate::market::levels::tests::bestseller;
        let offers = vec![bestseller(
            "b",
            OfferStatus::Manual,
            Some((1000, 700)),
            Some(960),
            Some([950, 900, 850, 800]),
        )];
        let plan = GuardPlan::new(&[(discount("p"), offers)], &floors(&[("b", 860)]), now());
        assert_eq!(plan.promos[0].raise[0].level, Some(BestsellerLevel::Best));
    }
}
