//! An offer to put in a promo at a promo price, and the rules Market checks, checked before
//! anything is sent.
use std::{
    collections::{HashMap, hash_map::Entry},
    num::NonZeroU64,
};

use yandex_promo_raw::market::types::{
    UpdatePromoOfferDiscountParamsDto, UpdatePromoOfferDto, UpdatePromoOfferParamsDto,
};

use super::{PromoOffer, RejectReason};
use crate::{ValidationError, error::Violations};

/// A price in whole roubles. The API takes integers only, so a price here cannot hold kopecks.
pub type Roubles = u64;

/// The largest price the API's `int64` carries.
const MAX_ROUBLES: Roubles = i64::MAX as Roubles;

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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
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
/// 1% of the price and at most `maxPromoPrice` when known, ids are valid, and no id repeats.
pub(crate) fn validate(offers: &[OfferUpdate]) -> Result<(), ValidationError> {
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
        for (name, value) in [("price", offer.price), ("promo_price", offer.promo_price)] {
            violations.check(
                (1..=MAX_ROUBLES).contains(&value),
                format!("{field}.{name}"),
                format!("must be a whole number of roubles from 1 to {MAX_ROUBLES}"),
                value,
            );
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
            violations.check(
                false,
                format!("{field}.promo_price"),
                format!("{rule} ({reason})"),
                offer.promo_price,
            );
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
    fn prices_that_do_not_fit_int64_never_overflow() {
        let huge = OfferUpdate::new("a", u64::MAX, u64::MAX);
        assert_eq!(huge.rejections(), [RejectReason::PromoPriceBiggerThanMax]);
        assert!(validate(&[huge]).is_err());
    }
}
