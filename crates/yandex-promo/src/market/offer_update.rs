//! An offer to put in a promo at a promo price, and the rules Market checks, checked before
//! anything is sent.
use std::{
    collections::{HashMap, hash_map::Entry},
    num::NonZeroU64,
};

use yandex_promo_raw::market::types::{
    UpdatePromoOfferDiscountParamsDto, UpdatePromoOfferDto, UpdatePromoOfferParamsDto,
};

use super::{
    PromoOffer, RejectReason,
    levels::{BestsellerLevel, PriceLevels, price_levels},
};
use crate::{ValidationError, error::Violations};

/// A price in whole roubles. The API takes integers only, so a price here cannot hold kopecks.
pub type Roubles = u64;

/// The largest price the API's `int64` carries.
pub(crate) const MAX_ROUBLES: Roubles = i64::MAX as Roubles;

/// The longest offer id (`ShopSku`) Market accepts, in characters.
pub const MAX_OFFER_ID_CHARS: usize = 255;

/// One offer to put in a promo, or whose prices to change: `updatePromoOffers`' entry for
/// `DIRECT_DISCOUNT` and `BLUE_FLASH` promos.
///
/// ```no_run
/// use yandex_promo::market::OfferUpdate;
/// let offer = OfferUpdate::new("SKU-1042", 1990, 1490);
/// assert!(offer.rejections().is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct OfferUpdate {
    /// The seller's SKU (`offerId`).
    pub offer_id: String,
    /// The strikethrough price: what the offer sold for before the promo.
    pub price: Roubles,
    /// The promo price.
    pub promo_price: Roubles,
    /// The highest promo price Market allows for this offer, when known (from
    /// [`OfferUpdate::for_offer`]); checked before sending.
    pub max_promo_price: Option<Roubles>,
    /// The "Market Bestsellers" level the promo price targets, when the row names a level
    /// instead of a price ([`OfferUpdate::at_level`]): a sync sets the promo price to that
    /// level's threshold, read from the offer, and keeps the level so a plan can show it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<BestsellerLevel>,
}

impl OfferUpdate {
    /// An offer at `promo_price`, struck through from `price`.
    ///
    /// ```no_run
    /// let offer = yandex_promo::market::OfferUpdate::new("SKU-1042", 1990, 1490);
    /// assert_eq!(offer.promo_price, 1490);
    /// ```
    pub fn new(offer_id: impl Into<String>, price: Roubles, promo_price: Roubles) -> Self {
        Self {
            offer_id: offer_id.into(),
            price,
            promo_price,
            max_promo_price: None,
            level: None,
        }
    }

    /// An offer at a "Market Bestsellers" level rather than a price, struck through from
    /// `price`: the promo price stays 0 until a sync ([`super::SyncPlan::new`],
    /// [`super::PromoManager::sync`]) sets it to the level's threshold, which it reads from
    /// the offer's `bestPriceLevels`. Sent unresolved, it is refused before sending.
    ///
    /// ```no_run
    /// # async fn demo(market: yandex_promo::market::MarketClient) -> yandex_promo::Result<()> {
    /// use yandex_promo::market::{BestsellerLevel, OfferUpdate};
    /// let desired = vec![OfferUpdate::at_level("SKU-1042", 1990, BestsellerLevel::Super)];
    /// let plan = market.promos().sync("cf_bestsellers", desired).await?;
    /// println!("{plan}");
    /// # Ok(()) }
    /// ```
    pub fn at_level(offer_id: impl Into<String>, price: Roubles, level: BestsellerLevel) -> Self {
        Self {
            level: Some(level),
            ..Self::new(offer_id, price, 0)
        }
    }

    /// An offer as read from `getPromoOffers`, at new prices: its `maxPromoPrice` is checked
    /// too.
    ///
    /// ```no_run
    /// # async fn demo(market: yandex_promo::market::MarketClient) -> yandex_promo::Result<()> {
    /// use yandex_promo::market::OfferUpdate;
    /// let page = market.promos().offers("cf_123456").send().await?;
    /// let updates: Vec<_> = page.items.iter().map(|o| OfferUpdate::for_offer(o, 1990, 1490)).collect();
    /// # Ok(()) }
    /// ```
    pub fn for_offer(offer: &PromoOffer, price: Roubles, promo_price: Roubles) -> Self {
        Self {
            max_promo_price: max_promo_price(offer),
            ..Self::new(offer.offer_id.clone(), price, promo_price)
        }
    }

    /// An offer as read from `getPromoOffers`, at the threshold of a "Market Bestsellers"
    /// level as its promo price, struck through from `price`. The threshold is read now, so
    /// the offer can be sent as it is; a sync reads it again from the promo's offers then.
    ///
    /// ```no_run
    /// # async fn demo(market: yandex_promo::market::MarketClient) -> Result<(), Box<dyn std::error::Error>> {
    /// use yandex_promo::market::{BestsellerLevel, OfferUpdate};
    /// let promos = market.promos();
    /// let page = promos.offers("cf_bestsellers").send().await?;
    /// let offer = OfferUpdate::for_offer_at_level(&page.items[0], 1990, BestsellerLevel::Best)?;
    /// println!("best at {}", offer.promo_price);
    /// promos.update("cf_bestsellers", [offer]).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// A [`ValidationError`] naming the level: the offer has no `bestPriceLevels` (not a
    /// Bestsellers promo), or its threshold breaks a rule of [`OfferUpdate::rejections`]
    /// (over `maxPromoPrice`, over 95% or under 1% of `price`) or of prices (whole roubles of
    /// at least 1), or the id is not valid.
    pub fn for_offer_at_level(
        offer: &PromoOffer,
        price: Roubles,
        level: BestsellerLevel,
    ) -> Result<Self, ValidationError> {
        let threshold = level_price(price_levels(offer), level);
        // Without a threshold the promo price stays 0: an unresolved level, refused below.
        let update = Self {
            level: Some(level),
            ..Self::for_offer(offer, price, *threshold.as_ref().unwrap_or(&0))
        };
        let why = threshold.err().unwrap_or_default();
        validate_with(std::slice::from_ref(&update), |_, _| why.clone(), |_| None)?;
        Ok(update)
    }

    /// The reasons Market would certainly reject this offer with, judged from the offer alone
    /// (not from the catalogue, the promo's conditions, or the rest of the request). A price
    /// of 0 is not a reason but a malformed request: see [`super::PromoManager::update`].
    ///
    /// ```no_run
    /// use yandex_promo::market::{OfferUpdate, RejectReason};
    /// let too_shallow = OfferUpdate::new("SKU-1042", 1000, 990);
    /// assert_eq!(too_shallow.rejections(), [RejectReason::PromoPriceBiggerThanMax]);
    /// ```
    pub fn rejections(&self) -> Vec<RejectReason> {
        let (price, promo) = (u128::from(self.price), u128::from(self.promo_price));
        let mut reasons = Vec::new();
        if self.price == 0 {
            return reasons;
        }
        if self
            .max_promo_price
            .is_some_and(|max| self.promo_price > max)
        {
            reasons.push(RejectReason::MaxPromoPriceExceeded);
        }
        if promo * 100 > price * 95 {
            reasons.push(RejectReason::PromoPriceBiggerThanMax);
        }
        if promo * 100 < price {
            reasons.push(RejectReason::PromoPriceSmallerThanMin);
        }
        reasons
    }

    /// The offer with the spaces around its id removed, as Market removes them.
    pub(crate) fn trimmed(self) -> Self {
        Self {
            offer_id: trim(self.offer_id),
            ..self
        }
    }

    /// The entry as `updatePromoOffers` sends it.
    pub(crate) fn to_request(&self) -> UpdatePromoOfferDto {
        UpdatePromoOfferDto {
            offer_id: self.offer_id.clone(),
            params: Some(UpdatePromoOfferParamsDto {
                discount_params: Some(UpdatePromoOfferDiscountParamsDto {
                    price: NonZeroU64::new(self.price),
                    promo_price: NonZeroU64::new(self.promo_price),
                }),
            }),
        }
    }
}

/// An offer id as Market reads it: without the spaces around it.
pub(crate) fn trim(offer_id: String) -> String {
    match offer_id.trim() {
        trimmed if trimmed.len() == offer_id.len() => offer_id,
        trimmed => trimmed.to_owned(),
    }
}

/// An offer's `maxPromoPrice` as read from `getPromoOffers`, when Market set one: the highest
/// promo price it accepts for the offer (a negative one is treated as absent).
///
/// ```no_run
/// # async fn demo(market: yandex_promo::market::MarketClient) -> yandex_promo::Result<()> {
/// use yandex_promo::market::max_promo_price;
/// for offer in market.promos().offers("cf_123456").send().await?.items {
///     println!("{}: at most {:?}", offer.offer_id, max_promo_price(&offer));
/// }
/// # Ok(()) }
/// ```
pub fn max_promo_price(offer: &PromoOffer) -> Option<Roubles> {
    roubles(offer.params.discount_params.as_ref()?.max_promo_price)
}

/// The promo price a row naming `level` gets from the offer's levels: the level's threshold,
/// or why there is none (no levels: not a Bestsellers promo; a threshold of 0, which no
/// price meets).
pub(crate) fn level_price(
    levels: Option<PriceLevels>,
    level: BestsellerLevel,
) -> Result<Roubles, String> {
    let levels = levels.ok_or_else(|| NO_LEVELS.to_owned())?;
    match levels.threshold(level) {
        0 => Err(format!(
            "has no price at level {level}: its threshold in bestPriceLevels is 0"
        )),
        threshold => Ok(threshold),
    }
}

/// Why a row naming a level cannot be resolved from an offer without levels.
pub(crate) const NO_LEVELS: &str = "has no bestPriceLevels: not a Bestsellers promo";

/// Whether a row names a level whose threshold was not read yet: its promo price is still
/// the 0 [`OfferUpdate::at_level`] left.
fn unresolved(offer: &OfferUpdate) -> Option<BestsellerLevel> {
    offer.level.filter(|_| offer.promo_price == 0)
}

/// A price as the API sends it (`int64`), in [`Roubles`]; a negative one is treated as absent.
pub(crate) fn roubles(price: Option<i64>) -> Option<Roubles> {
    price.and_then(|p| Roubles::try_from(p).ok())
}

/// How the rules name an offer: by its id when the id itself is fine, else by its position.
fn offer_field(index: usize, offer_id: &str, id_ok: bool) -> String {
    if id_ok {
        format!("offers[{offer_id:?}]")
    } else {
        format!("offers[{index}]")
    }
}

/// Records what is wrong with an offer id (`ShopSku`): 1 to 255 characters, not blank, no
/// control characters (tab aside). Returns whether it is fine.
pub(crate) fn check_offer_id(violations: &mut Violations, field: &str, offer_id: &str) -> bool {
    let before = violations.len();
    let chars = offer_id.chars().count();
    let shown = || format!("{offer_id:?}");
    violations.check(
        (1..=MAX_OFFER_ID_CHARS).contains(&chars),
        field,
        format!("must be 1 to {MAX_OFFER_ID_CHARS} characters, not {chars}"),
        shown(),
    );
    violations.check(
        chars == 0 || !offer_id.trim().is_empty(),
        field,
        "must not be blank",
        shown(),
    );
    violations.check(
        !offer_id.chars().any(is_forbidden_control),
        field,
        "must not contain control characters",
        shown(),
    );
    violations.len() == before
}

/// The control characters `ShopSku`'s pattern (`[^\x00-\x08\x0A-\x1f\x7f]`) refuses: all of
/// C0 and DEL except the tab.
fn is_forbidden_control(c: char) -> bool {
    matches!(c, '\x00'..='\x08' | '\x0a'..='\x1f' | '\x7f')
}

/// Checks every offer of an update and the update as a whole, reporting every violation at
/// once: prices are integers from 1 to 2^63 - 1, the promo price is at most 95% and at least
/// 1% of the price and at most `maxPromoPrice` when known, ids are valid, no id repeats, and
/// a row naming a level has had its threshold read.
pub(crate) fn validate(offers: &[OfferUpdate]) -> Result<(), ValidationError> {
    validate_with(
        offers,
        |_, level| {
            format!(
                "level {level} is not resolved: it needs the offer's bestPriceLevels (sync, or for_offer_at_level)"
            )
        },
        |_| None,
    )
}

/// [`validate`], with the reason an unresolved level row (by index) was not resolved, and the
/// seller's floor of an offer id, if any: a promo price below it is refused.
///
/// A rule broken by a row naming a level is reported on its `level` field, with the price the
/// level set: the seller wrote the level, not the price.
pub(crate) fn validate_with(
    offers: &[OfferUpdate],
    unresolved_because: impl Fn(usize, BestsellerLevel) -> String,
    floor: impl Fn(&str) -> Option<Roubles>,
) -> Result<(), ValidationError> {
    let mut violations = Violations::default();
    let mut first_seen: HashMap<&str, usize> = HashMap::new();
    for (index, offer) in offers.iter().enumerate() {
        let id_ok = check_offer_id(
            &mut violations,
            &format!("offers[{index}].offer_id"),
            &offer.offer_id,
        );
        let field = offer_field(index, &offer.offer_id, id_ok);
        match first_seen.entry(offer.offer_id.as_str()) {
            Entry::Occupied(first) => violations.check(
                false,
                format!("offers[{index}].offer_id"),
                format!("must not repeat offers[{}] in one update", first.get()),
                format!("{:?}", offer.offer_id),
            ),
            Entry::Vacant(slot) => {
                slot.insert(index);
            }
        }
        violations.check(
            (1..=MAX_ROUBLES).contains(&offer.price),
            format!("{field}.price"),
            format!("must be a whole number of roubles from 1 to {MAX_ROUBLES}"),
            offer.price,
        );
        if let Some(level) = unresolved(offer) {
            violations.check(
                false,
                format!("{field}.level"),
                unresolved_because(index, level),
                level,
            );
            continue;
        }
        // The promo price as the row gave it, or as the level it names set it.
        let mut promo_price_rule = |rule: String| match offer.level {
            Some(level) => violations.check(
                false,
                format!("{field}.level"),
                format!(
                    "sets the promo price to {}, which {rule}",
                    offer.promo_price
                ),
                level,
            ),
            None => violations.check(
                false,
                format!("{field}.promo_price"),
                rule,
                offer.promo_price,
            ),
        };
        if !(1..=MAX_ROUBLES).contains(&offer.promo_price) {
            promo_price_rule(format!(
                "must be a whole number of roubles from 1 to {MAX_ROUBLES}"
            ));
        }
        for reason in offer.rejections() {
            let rule = match reason {
                RejectReason::MaxPromoPriceExceeded => format!(
                    "must be at most the offer's maxPromoPrice {}",
                    offer.max_promo_price.unwrap_or_default()
                ),
                RejectReason::PromoPriceBiggerThanMax => {
                    format!("must be at most 95% of price {}", offer.price)
                }
                _ => format!("must be at least 1% of price {}", offer.price),
            };
            promo_price_rule(format!("{rule} ({reason})"));
        }
        if let Some(floor) = floor(&offer.offer_id).filter(|&floor| offer.promo_price < floor) {
            promo_price_rule(format!("is below the seller's floor {floor}"));
        }
    }
    violations.finish()
}

/// Checks the ids of a delete: each valid. Repeats are harmless there and are dropped.
pub(crate) fn validate_ids(offer_ids: &[String]) -> Result<(), ValidationError> {
    let mut violations = Violations::default();
    for (index, offer_id) in offer_ids.iter().enumerate() {
        check_offer_id(&mut violations, &format!("offer_ids[{index}]"), offer_id);
    }
    violations.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(offers: &[OfferUpdate]) -> Vec<String> {
        validate(offers)
            .err()
            .map(|e| e.violations.into_iter().map(|v| v.field).collect())
            .unwrap_or_default()
    }

    #[test]
    fn the_95_and_1_percent_bounds_are_inclusive() {
        assert!(OfferUpdate::new("a", 1000, 950).rejections().is_empty());
        assert!(OfferUpdate::new("a", 1000, 10).rejections().is_empty());
        assert_eq!(
            OfferUpdate::new("a", 1000, 951).rejections(),
            [RejectReason::PromoPriceBiggerThanMax]
        );
        assert_eq!(
            OfferUpdate::new("a", 1000, 9).rejections(),
            [RejectReason::PromoPriceSmallerThanMin]
        );
        let capped = OfferUpdate {
            max_promo_price: Some(800),
            ..OfferUpdate::new("a", 1000, 801)
        };
        assert_eq!(capped.rejections(), [RejectReason::MaxPromoPriceExceeded]);
    }

    #[test]
    fn every_violation_is_reported_naming_the_offer() {
        let offers = [
            OfferUpdate::new("SKU-1", 0, 0),
            OfferUpdate::new(" ", 100, 50),
            OfferUpdate::new("SKU-1", 100, 99),
            OfferUpdate::new("x".repeat(256), u64::MAX, 50),
        ];
        assert_eq!(
            fields(&offers),
            [
                "offers[\"SKU-1\"].price",
                "offers[\"SKU-1\"].promo_price",
                "offers[1].offer_id",
                "offers[2].offer_id",
                "offers[\"SKU-1\"].promo_price",
                "offers[3].offer_id",
                "offers[3].price",
                "offers[3].promo_price",
            ]
        );
    }

    #[test]
    fn for_offer_at_level_names_the_level_in_the_violation() {
        use crate::market::{OfferStatus, levels::tests::bestseller};
        let offer = bestseller(
            "SKU-1",
            OfferStatus::NotParticipating,
            None,
            Some(880),
            Some([950, 900, 850, 800]),
        );
        let best = OfferUpdate::for_offer_at_level(&offer, 1000, BestsellerLevel::Super)
            .expect("850 is within every rule");
        assert_eq!(best.promo_price, 850);
        assert_eq!(best.level, Some(BestsellerLevel::Super));
        assert_eq!(best.max_promo_price, Some(880));
        let error = OfferUpdate::for_offer_at_level(&offer, 1000, BestsellerLevel::Light)
            .expect_err("950 is over the cap 880");
        let named: Vec<_> = error
            .violations
            .iter()
            .map(|v| (v.field.as_str(), v.rule.as_str(), v.value.as_str()))
            .collect();
        assert_eq!(
            named,
            [(
                "offers[\"SKU-1\"].level",
                "sets the promo price to 950, which must be at most the offer's maxPromoPrice 880 \
                 (MAX_PROMO_PRICE_EXCEEDED)",
                "light"
            )]
        );
        let error = OfferUpdate::for_offer_at_level(&offer, 900, BestsellerLevel::Light)
            .expect_err("950 is over 880 and over 95% of 900");
        assert_eq!(error.violations.len(), 2);
        assert!(
            error.violations.iter().all(|v| v.value == "light"),
            "{error}"
        );
        let plain = bestseller("SKU-2", OfferStatus::NotParticipating, None, None, None);
        let error = OfferUpdate::for_offer_at_level(&plain, 1000, BestsellerLevel::Top)
            .expect_err("no levels");
        assert_eq!(error.violations.len(), 1);
        assert_eq!(error.violations[0].field, "offers[\"SKU-2\"].level");
        assert_eq!(error.violations[0].rule, NO_LEVELS);
    }

    #[test]
    fn an_unresolved_level_is_refused_before_sending() {
        let error = validate(&[OfferUpdate::at_level("SKU-1", 1000, BestsellerLevel::Best)])
            .expect_err("the promo price is not known yet");
        assert_eq!(error.violations.len(), 1, "{error}");
        assert_eq!(error.violations[0].field, "offers[\"SKU-1\"].level");
        assert_eq!(
            error.violations[0].rule,
            "level best is not resolved: it needs the offer's bestPriceLevels (sync, or \
             for_offer_at_level)"
        );
    }

    #[test]
    fn prices_that_do_not_fit_int64_never_overflow() {
        let huge = OfferUpdate::new("a", u64::MAX, u64::MAX);
        assert_eq!(huge.rejections(), [RejectReason::PromoPriceBiggerThanMax]);
        assert!(validate(&[huge]).is_err());
    }
}
