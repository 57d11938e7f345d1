//! Keeping a promo's manual assortment equal to a desired list: the plan (what to add, what
//! to reprice, what to take out, and what to leave alone because Market put it there), and
//! its application in batches.
use std::collections::{HashMap, HashSet};

use super::{
    OfferStatus, OfferUpdate, PromoOffer, Roubles, floors::Floors, levels::price_levels,
    max_promo_price, offer_update,
};
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

/// An offer whose prices a sync changes. A row that named a "Market Bestsellers" level keeps
/// it in [`OfferUpdate::level`], with the level's threshold as its promo price.
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
    /// A row that named a level keeps it in [`OfferUpdate::level`].
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
    /// A desired row naming a "Market Bestsellers" level ([`OfferUpdate::at_level`]) gets
    /// that level's threshold, read from the offer now, as its promo price.
    ///
    /// # Errors
    /// Every rule a desired offer breaks (see [`super::PromoManager::update`]), at once; a
    /// level row's rules are reported on its `level` field, and a level row is refused when
    /// the offer is not in the promo's list or has no `bestPriceLevels`.
    pub fn new(current: &[PromoOffer], desired: Vec<OfferUpdate>) -> Result<Self, ValidationError> {
        Self::with_floors(current, desired, None)
    }

    /// [`SyncPlan::new`], refusing besides every desired promo price (or level threshold)
    /// below the seller's floor of its offer: a sync given floors never plans a loss the
    /// seller ruled out. An offer without a floor is not limited.
    ///
    /// ```no_run
    /// # async fn demo(market: yandex_promo::market::MarketClient) -> Result<(), Box<dyn std::error::Error>> {
    /// use futures::TryStreamExt as _;
    /// use yandex_promo::market::{BestsellerLevel, Floors, OfferUpdate, SyncPlan};
    /// let now: Vec<_> = market.promos().offers("cf_bestsellers").stream().try_collect().await?;
    /// let floors = Floors::new([("SKU-1042", 1290)])?;
    /// let desired = vec![OfferUpdate::at_level("SKU-1042", 1990, BestsellerLevel::Top)];
    /// match SyncPlan::with_floors(&now, desired, Some(&floors)) {
    ///     Ok(plan) => println!("{plan}"),
    ///     Err(refused) => eprintln!("{refused}"), // e.g. the top threshold is below 1290
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`SyncPlan::new`], and a promo price below its offer's floor: "is below the
    /// seller's floor F".
    pub fn with_floors(
        current: &[PromoOffer],
        desired: Vec<OfferUpdate>,
        floors: Option<&Floors>,
    ) -> Result<Self, ValidationError> {
        // Market trims the spaces around an SKU: so does the comparison.
        let now: HashMap<&str, &PromoOffer> =
            current.iter().map(|o| (o.offer_id.trim(), o)).collect();
        // Why a level row could not be resolved, by its index.
        let mut unresolved: HashMap<usize, String> = HashMap::new();
        let desired: Vec<OfferUpdate> = desired
            .into_iter()
            .map(OfferUpdate::trimmed)
            .enumerate()
            .map(|(index, offer)| {
                let current = now.get(offer.offer_id.as_str()).copied();
                let offer = match current {
                    Some(current) if offer.max_promo_price.is_none() => OfferUpdate {
                        max_promo_price: max_promo_price(current),
                        ..offer
                    },
                    _ => offer,
                };
                let Some(level) = offer.level else {
                    return offer;
                };
                // The level is the intent: its threshold is read again, as Market has it now.
                let promo_price = match current {
                    None => Err(NOT_LISTED.to_owned()),
                    Some(current) => offer_update::level_price(price_levels(current), level),
                };
                match promo_price {
                    Ok(promo_price) => OfferUpdate {
                        promo_price,
                        ..offer
                    },
                    Err(why) => {
                        unresolved.insert(index, why);
                        OfferUpdate {
                            promo_price: 0,
                            ..offer
                        }
                    }
                }
            })
            .collect();
        offer_update::validate_with(
            &desired,
            |index, _| {
                unresolved
                    .get(&index)
                    .cloned()
                    .unwrap_or_else(|| offer_update::NO_LEVELS.to_owned())
            },
            |offer_id| floors.and_then(|floors| floors.get(offer_id)),
        )?;
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

/// Why a level row is refused for an offer the promo does not list: its levels are unknown.
const NOT_LISTED: &str = "is not among the promo's offers: it has no bestPriceLevels to target";

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
    use crate::market::levels::tests::bestseller;

    use super::*;

    fn offer(id: &str, status: OfferStatus, prices: Option<(i64, i64)>) -> PromoOffer {
        bestseller(id, status, prices, Some(900), None)
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

    use crate::market::BestsellerLevel;

    /// The levels of the Bestsellers tests: light 950, best 900, super 850, top 800.
    const LEVELS: [i64; 4] = [950, 900, 850, 800];

    /// `(field, rule, value)` of each violation.
    fn refusals(error: &ValidationError) -> Vec<(String, String, String)> {
        error
            .violations
            .iter()
            .map(|v| (v.field.clone(), v.rule.clone(), v.value.clone()))
            .collect()
    }

    /// The plan of one desired row for one current offer, with floors if given.
    fn plan_one(
        current: PromoOffer,
        desired: OfferUpdate,
        floors: Option<&Floors>,
    ) -> Result<SyncPlan, ValidationError> {
        SyncPlan::with_floors(&[current], vec![desired], floors)
    }

    #[test]
    fn a_level_row_plans_the_threshold_as_promo_price() {
        use BestsellerLevel::{Super, Top};
        let now = [
            bestseller(
                "joins",
                OfferStatus::NotParticipating,
                None,
                Some(960),
                Some(LEVELS),
            ),
            bestseller(
                "mine",
                OfferStatus::Manual,
                Some((1000, 900)),
                Some(960),
                Some(LEVELS),
            ),
            bestseller(
                "stale",
                OfferStatus::Manual,
                Some((1000, 900)),
                Some(960),
                Some(LEVELS),
            ),
            bestseller(
                "same",
                OfferStatus::Manual,
                Some((1000, 850)),
                Some(960),
                Some(LEVELS),
            ),
        ];
        // A row resolved earlier (for_offer_at_level) is read again: the level is the intent.
        let stale = OfferUpdate {
            promo_price: 123,
            ..OfferUpdate::at_level("stale", 1000, Top)
        };
        let desired = vec![
            OfferUpdate::at_level("joins", 1000, Super),
            OfferUpdate::at_level("mine", 1000, Top),
            stale,
            OfferUpdate::at_level(" same ", 1000, Super),
        ];
        let plan = SyncPlan::new(&now, desired).expect("every threshold within the rules");
        assert_eq!(plan.add.len(), 1);
        assert_eq!(
            (plan.add[0].promo_price, plan.add[0].level),
            (850, Some(Super))
        );
        assert_eq!(plan.add[0].max_promo_price, Some(960));
        let reprices: Vec<_> = plan
            .reprice
            .iter()
            .map(|r| {
                let u = &r.update;
                (
                    u.offer_id.as_str(),
                    u.promo_price,
                    u.level,
                    r.promo_price_now,
                )
            })
            .collect();
        assert_eq!(
            reprices,
            [
                ("mine", 800, Some(Top), Some(900)),
                ("stale", 800, Some(Top), Some(900)),
            ]
        );
        assert_eq!(plan.unchanged, 1, "super is 850, the promo price now");
        let json = serde_json::to_value(&plan.add[0]).expect("serializes");
        assert_eq!(json["level"], "super");
        let priced = serde_json::to_value(OfferUpdate::new("a", 1000, 800)).expect("serializes");
        assert!(priced.get("level").is_none(), "a price row shows no level");
    }

    #[test]
    fn a_level_at_exactly_95_percent_is_accepted_and_one_rouble_more_refused() {
        let at = |light| {
            let offer = bestseller(
                "a",
                OfferStatus::NotParticipating,
                None,
                None,
                Some([light, 900, 850, 800]),
            );
            plan_one(
                offer,
                OfferUpdate::at_level("a", 1000, BestsellerLevel::Light),
                None,
            )
        };
        assert_eq!(at(950).expect("95% exactly").add[0].promo_price, 950);
        let error = at(951).expect_err("over 95%");
        assert_eq!(
            refusals(&error),
            [(
                "offers[\"a\"].level".to_owned(),
                "sets the promo price to 951, which must be at most 95% of price 1000 \
                 (PROMO_PRICE_BIGGER_THAN_MAX)"
                    .to_owned(),
                "light".to_owned(),
            )]
        );
    }

    #[test]
    fn a_level_at_exactly_1_percent_is_accepted_and_below_refused() {
        let at = |top| {
            let offer = bestseller(
                "a",
                OfferStatus::NotParticipating,
                None,
                None,
                Some([950, 900, 850, top]),
            );
            plan_one(
                offer,
                OfferUpdate::at_level("a", 1000, BestsellerLevel::Top),
                None,
            )
        };
        assert_eq!(at(10).expect("1% exactly").add[0].promo_price, 10);
        let error = at(9).expect_err("under 1%");
        assert_eq!(
            refusals(&error),
            [(
                "offers[\"a\"].level".to_owned(),
                "sets the promo price to 9, which must be at least 1% of price 1000 \
                 (PROMO_PRICE_SMALLER_THAN_MIN)"
                    .to_owned(),
                "top".to_owned(),
            )]
        );
    }

    #[test]
    fn a_level_over_max_promo_price_is_refused_at_the_cap_accepted() {
        let with_cap = |cap| {
            let offer = bestseller(
                "a",
                OfferStatus::NotParticipating,
                None,
                Some(cap),
                Some(LEVELS),
            );
            plan_one(
                offer,
                OfferUpdate::at_level("a", 1000, BestsellerLevel::Best),
                None,
            )
        };
        assert_eq!(with_cap(900).expect("at the cap").add[0].promo_price, 900);
        let error = with_cap(899).expect_err("over the cap");
        assert_eq!(error.violations.len(), 1);
        assert_eq!(error.violations[0].field, "offers[\"a\"].level");
        assert_eq!(
            error.violations[0].rule,
            "sets the promo price to 900, which must be at most the offer's maxPromoPrice 899 \
             (MAX_PROMO_PRICE_EXCEEDED)"
        );
    }

    #[test]
    fn a_level_equal_to_the_floor_passes_one_rouble_under_is_refused() {
        let offer = || {
            bestseller(
                "a",
                OfferStatus::Manual,
                Some((1000, 950)),
                None,
                Some(LEVELS),
            )
        };
        let best = || OfferUpdate::at_level("a", 1000, BestsellerLevel::Best);
        let floors = |floor| Floors::new([("a", floor)]).expect("valid floors");
        let plan = plan_one(offer(), best(), Some(&floors(900))).expect("at the floor");
        assert_eq!(plan.reprice[0].update.promo_price, 900);
        let error = plan_one(offer(), best(), Some(&floors(901))).expect_err("under the floor");
        assert_eq!(
            refusals(&error),
            [(
                "offers[\"a\"].level".to_owned(),
                "sets the promo price to 900, which is below the seller's floor 901".to_owned(),
                "best".to_owned(),
            )]
        );
        let other = Floors::new([("b", 5000)]).expect("valid floors");
        assert!(
            plan_one(offer(), best(), Some(&other)).is_ok(),
            "no floor, no limit"
        );
    }

    #[test]
    fn a_level_on_an_offer_without_levels_is_refused_by_name() {
        let now = [
            offer("plain", OfferStatus::Manual, Some((1000, 800))),
            bestseller(
                "zero",
                OfferStatus::Manual,
                None,
                None,
                Some([950, 900, 850, 0]),
            ),
            bestseller("fine", OfferStatus::Manual, None, None, Some(LEVELS)),
        ];
        let desired = vec![
            OfferUpdate::at_level("plain", 1000, BestsellerLevel::Best),
            OfferUpdate::at_level("ghost", 1000, BestsellerLevel::Light),
            OfferUpdate::at_level("zero", 1000, BestsellerLevel::Top),
            OfferUpdate::at_level("fine", 1000, BestsellerLevel::Top),
            OfferUpdate::new("priced", 1000, 2000),
        ];
        let error = SyncPlan::new(&now, desired).expect_err("three rows cannot be resolved");
        let owned = |(f, r, v): (&str, &str, &str)| (f.to_owned(), r.to_owned(), v.to_owned());
        assert_eq!(
            refusals(&error),
            [
                (
                    "offers[\"plain\"].level",
                    "has no bestPriceLevels: not a Bestsellers promo",
                    "best"
                ),
                (
                    "offers[\"ghost\"].level",
                    "is not among the promo's offers: it has no bestPriceLevels to target",
                    "light"
                ),
                (
                    "offers[\"zero\"].level",
                    "has no price at level top: its threshold in bestPriceLevels is 0",
                    "top"
                ),
                (
                    "offers[\"priced\"].promo_price",
                    "must be at most 95% of price 1000 (PROMO_PRICE_BIGGER_THAN_MAX)",
                    "2000"
                ),
            ]
            .map(owned)
        );
    }

    #[test]
    fn a_price_row_below_the_floor_is_refused_with_floors() {
        let now = [offer("a", OfferStatus::Manual, Some((1000, 850)))];
        let floors = Floors::new([("a", 800), ("b", 700)]).expect("valid floors");
        let plan = |promo_price, floors| {
            SyncPlan::with_floors(&now, vec![OfferUpdate::new("a", 1000, promo_price)], floors)
        };
        assert!(plan(800, Some(&floors)).is_ok(), "at the floor");
        assert!(plan(799, None).is_ok(), "no floors, no limit");
        assert!(SyncPlan::new(&now, vec![OfferUpdate::new("a", 1000, 799)]).is_ok());
        let error = plan(799, Some(&floors)).expect_err("under the floor");
        assert_eq!(
            refusals(&error),
            [(
                "offers[\"a\"].promo_price".to_owned(),
                "is below the seller's floor 800".to_owned(),
                "799".to_owned(),
            )]
        );
        // Every row is checked at once, additions as well as reprices.
        let desired = vec![
            OfferUpdate::new("a", 1000, 700),
            OfferUpdate::new("b", 1000, 600),
            OfferUpdate::new("c", 1000, 10),
        ];
        let error = SyncPlan::with_floors(&now, desired, Some(&floors)).expect_err("two under");
        let fields: Vec<_> = error.violations.iter().map(|v| v.field.as_str()).collect();
        assert_eq!(
            fields,
            ["offers[\"a\"].promo_price", "offers[\"b\"].promo_price"]
        );
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
