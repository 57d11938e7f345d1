//! Keeping a promo's manual assortment equal to a desired list: the plan (what to add, what
//! to reprice, what to take out, and what to leave alone because Market put it there), and
//! its application in batches.
use std::collections::{HashMap, HashSet};

use super::{OfferStatus, OfferUpdate, PromoOffer, Roubles, max_promo_price, offer_update};
use crate::ValidationError;

/// How a sync treats an offer that is in the promo now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    /// Put there by the seller: a sync reprices it or takes it out.
    Manual,
    /// Put there by Market, or in a state this crate does not know: never taken out.
    Automatic,
    /// Not in the promo.
    Out,
}

/// Only `MANUAL` offers are the seller's own. `RENEWED` (carried over by Market from the last
/// "Bestsellers" promo) and `MINIMUM_FOR_PROMOS` (in at the cap by the seller's minimum-price
/// setting, not by a request) are Market's doing, like `AUTO` and `PARTIALLY_AUTO`; a status
/// this crate does not know is left alone too.
fn standing(status: &OfferStatus) -> Standing {
    match status {
        OfferStatus::Manual => Standing::Manual,
        OfferStatus::NotParticipating | OfferStatus::RenewFailed => Standing::Out,
        _ => Standing::Automatic,
    }
}

/// An offer whose prices a sync changes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Reprice {
    /// The new prices.
    pub update: OfferUpdate,
    /// The strikethrough price now, if Market reported one.
    pub price_now: Option<Roubles>,
    /// The promo price now, if Market reported one.
    pub promo_price_now: Option<Roubles>,
}

/// An offer in the promo that a sync leaves alone although the desired list lacks it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct LeftAlone {
    /// The offer.
    pub offer_id: String,
    /// Why: `AUTO`, `PARTIALLY_AUTO`, `RENEWED`, `MINIMUM_FOR_PROMOS`, or a status this crate
    /// does not know.
    pub status: OfferStatus,
}

/// What a sync would change. Empty when the promo already matches the desired list.
///
/// ```no_run
/// use yandex_promo::market::{OfferUpdate, SyncPlan};
/// let plan = SyncPlan::new(&[], vec![OfferUpdate::new("SKU-1042", 1990, 1490)])?;
/// assert_eq!(plan.add.len(), 1);
/// # Ok::<(), yandex_promo::ValidationError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct SyncPlan {
    /// Offers to put in the promo (not in it now, or in it only because Market put it there).
    pub add: Vec<OfferUpdate>,
    /// Offers the seller put in the promo, at other prices than desired.
    pub reprice: Vec<Reprice>,
    /// Offers the seller put in the promo that the desired list lacks.
    pub remove: Vec<String>,
    /// Offers Market put in the promo that the desired list lacks: a sync cannot own them.
    pub leave_alone: Vec<LeftAlone>,
    /// Desired offers already in the promo at the desired prices.
    pub unchanged: usize,
}

impl SyncPlan {
    /// Compares the promo's offers now (every offer of `getPromoOffers`) with the desired
    /// list. Each desired offer gets the `maxPromoPrice` Market reports for it, so an offer
    /// over its cap is refused here, before anything is sent.
    ///
    /// ```no_run
    /// # async fn demo(market: yandex_promo::market::MarketClient) -> Result<(), Box<dyn std::error::Error>> {
    /// use futures::TryStreamExt as _;
    /// use yandex_promo::market::{OfferUpdate, SyncPlan};
    /// let now: Vec<_> = market.promos().offers("cf_123456").stream().try_collect().await?;
    /// let plan = SyncPlan::new(&now, vec![OfferUpdate::new("SKU-1042", 1990, 1490)])?;
    /// println!("{} to add, {} to remove", plan.add.len(), plan.remove.len());
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// Every rule a desired offer breaks (see [`super::PromoManager::update`]), at once.
    pub fn new(current: &[PromoOffer], desired: Vec<OfferUpdate>) -> Result<Self, ValidationError> {
        // Market trims the spaces around an SKU: so does the comparison.
        let now: HashMap<&str, &PromoOffer> =
            current.iter().map(|o| (o.offer_id.trim(), o)).collect();
        let desired: Vec<OfferUpdate> = desired
            .into_iter()
            .map(OfferUpdate::trimmed)
            .map(|offer| match now.get(offer.offer_id.as_str()) {
                Some(current) if offer.max_promo_price.is_none() => OfferUpdate {
                    max_promo_price: max_promo_price(current),
                    ..offer
                },
                _ => offer,
            })
            .collect();
        offer_update::validate(&desired)?;
        let wanted: HashSet<&str> = desired.iter().map(|o| o.offer_id.as_str()).collect();
        let mut plan = Self::default();
        for offer in current
            .iter()
            .filter(|o| !wanted.contains(o.offer_id.trim()))
        {
            match standing(&offer.status) {
                Standing::Manual => plan.remove.push(offer.offer_id.clone()),
                Standing::Automatic => plan.leave_alone.push(LeftAlone {
                    offer_id: offer.offer_id.clone(),
                    status: offer.status.clone(),
                }),
                Standing::Out => {}
            }
        }
        for update in desired {
            let Some(current) = now.get(update.offer_id.as_str()) else {
                plan.add.push(update);
                continue;
            };
            if standing(&current.status) != Standing::Manual {
                plan.add.push(update);
                continue;
            }
            // Promo-code promos carry no prices: being in is all there is to compare.
            let Some(prices) = current.params.discount_params.as_ref() else {
                plan.unchanged += 1;
                continue;
            };
            let price_now = offer_update::roubles(prices.price);
            let promo_price_now = offer_update::roubles(prices.promo_price);
            if price_now == Some(update.price) && promo_price_now == Some(update.promo_price) {
                plan.unchanged += 1;
            } else {
                plan.reprice.push(Reprice {
                    update,
                    price_now,
                    promo_price_now,
                });
            }
        }
        Ok(plan)
    }

    /// Whether applying the plan would send nothing.
    ///
    /// ```no_run
    /// let plan = yandex_promo::market::SyncPlan::new(&[], Vec::new())?;
    /// assert!(plan.is_empty());
    /// # Ok::<(), yandex_promo::ValidationError>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.add.is_empty() && self.reprice.is_empty() && self.remove.is_empty()
    }

    /// The offers an apply sends to `updatePromoOffers`: the additions, then the reprices.
    pub(crate) fn updates(&self) -> Vec<OfferUpdate> {
        self.add
            .iter()
            .cloned()
            .chain(self.reprice.iter().map(|r| r.update.clone()))
            .collect()
    }
}

impl std::fmt::Display for SyncPlan {
    /// The plan's counts, e.g. `2 to add, 1 to reprice, 17 to remove, 12 left alone (Market
    /// added them), 0 unchanged`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} to add, {} to reprice, {} to remove, {} left alone (Market added them), {} unchanged",
            self.add.len(),
            self.reprice.len(),
            self.remove.len(),
            self.leave_alone.len(),
            self.unchanged
        )
    }
}

#[cfg(test)]
mod tests {
    use yandex_promo_raw::market::types::{PromoOfferDiscountParamsDto, PromoOfferParamsDto};

    use super::*;

    fn offer(id: &str, status: OfferStatus, prices: Option<(i64, i64)>) -> PromoOffer {
        PromoOffer {
            offer_id: id.to_owned(),
            status,
            params: PromoOfferParamsDto {
                discount_params: Some(PromoOfferDiscountParamsDto {
                    price: prices.map(|p| p.0),
                    promo_price: prices.map(|p| p.1),
                    max_promo_price: Some(900),
                    best_price_levels: None,
                }),
            },
            auto_participating_details: None,
        }
    }

    #[test]
    fn plans_additions_reprices_removals_and_leaves_market_offers_alone() {
        let now = [
            offer("same", OfferStatus::Manual, Some((1000, 800))),
            offer("cheaper", OfferStatus::Manual, Some((1000, 800))),
            offer("gone", OfferStatus::Manual, Some((1000, 800))),
            offer("auto", OfferStatus::Auto, None),
            offer("partly", OfferStatus::PartiallyAuto, None),
            offer("renewed", OfferStatus::Renewed, Some((1000, 800))),
            offer(
                "at-minimum",
                OfferStatus::MinimumForPromos,
                Some((1000, 900)),
            ),
            offer("taken-over", OfferStatus::Auto, None),
            offer("out", OfferStatus::NotParticipating, None),
            offer("joins", OfferStatus::NotParticipating, None),
        ];
        let desired = vec![
            OfferUpdate::new("same", 1000, 800),
            OfferUpdate::new("cheaper", 1000, 700),
            OfferUpdate::new("taken-over", 1000, 700),
            OfferUpdate::new("joins", 1000, 700),
            OfferUpdate::new("new", 1000, 700),
        ];
        let plan = SyncPlan::new(&now, desired).expect("valid");
        let ids = |offers: &[OfferUpdate]| -> Vec<String> {
            offers.iter().map(|o| o.offer_id.clone()).collect()
        };
        assert_eq!(ids(&plan.add), ["taken-over", "joins", "new"]);
        assert_eq!(plan.add[0].max_promo_price, Some(900));
        assert_eq!(plan.reprice.len(), 1);
        assert_eq!(plan.reprice[0].promo_price_now, Some(800));
        assert_eq!(plan.remove, ["gone"]);
        let alone: Vec<_> = plan
            .leave_alone
            .iter()
            .map(|o| o.offer_id.as_str())
            .collect();
        assert_eq!(alone, ["auto", "partly", "renewed", "at-minimum"]);
        assert_eq!(plan.unchanged, 1);
    }

    #[test]
    fn ids_are_compared_as_market_reads_them_without_surrounding_spaces() {
        let now = [offer("SKU-1", OfferStatus::Manual, Some((1000, 800)))];
        let plan =
            SyncPlan::new(&now, vec![OfferUpdate::new(" SKU-1 ", 1000, 800)]).expect("valid");
        assert!(plan.is_empty(), "{plan:?}");
        assert_eq!(plan.unchanged, 1);
        let twice = vec![
            OfferUpdate::new("SKU-1", 1000, 800),
            OfferUpdate::new("SKU-1 ", 1000, 800),
        ];
        let error = SyncPlan::new(&now, twice).expect_err("the same offer twice");
        assert!(error.violations[0].rule.starts_with("must not repeat"));
    }

    #[test]
    fn a_desired_price_over_the_cap_is_refused_before_sending() {
        let now = [offer("capped", OfferStatus::NotParticipating, None)];
        let error = SyncPlan::new(&now, vec![OfferUpdate::new("capped", 1000, 901)])
            .expect_err("over maxPromoPrice");
        assert!(
            error.violations[0]
                .rule
                .contains("MAX_PROMO_PRICE_EXCEEDED")
        );
    }
}
