//! The documented price rules of `updatePromoOffers`: the refusal reasons a discount offer's
//! prices can earn, in the order the docs list them, and the warnings an accepted price gets
//! (see [`super::seed`] for the shops behind the shop warnings).
//!
//! Not modelled: `PRICE_TOO_BIG` and `OLD_PRICE_TOO_BIG` (the docs give no threshold) and
//! `OFFER_PROMOS_MAX_BYTE_SIZE_EXCEEDED` (a technical limit the docs do not describe).
use yandex_promo_raw::{
    market::types::{CampaignId, PromoOfferUpdateWarningDto},
    open::{
        PromoOfferUpdateWarningCodeType as Warning, RejectedPromoOfferUpdateReasonType as Reason,
    },
};

use super::seed::{catalogue_price, cheaper_shop, ineligible_shop};

/// The documented price rules, in the order their reasons are listed.
pub(super) fn check_prices(
    price: u64,
    promo: u64,
    max_promo_price: Option<u64>,
) -> Result<(), Reason> {
    let (wide_price, wide_promo) = (u128::from(price), u128::from(promo));
    if max_promo_price.is_some_and(|max| promo > max) {
        Err(Reason::MaxPromoPriceExceeded)
    } else if wide_promo * 100 > wide_price * 95 {
        Err(Reason::PromoPriceBiggerThanMax)
    } else if wide_promo * 100 < wide_price {
        Err(Reason::PromoPriceSmallerThanMin)
    } else {
        Ok(())
    }
}

/// The warnings an accepted offer `n` gets at these prices: `DEEP_DISCOUNT_OFFER` below half
/// the price, `CATALOG_PRICE_IS_LOWER_THAN_PROMO` above the catalogue price,
/// `SHOP_OFFER_NOT_ELIGIBLE_FOR_PROMO` when a shop does not take it, and
/// `SHOP_PRICES_ARE_LOWER_THAN_PROMO` above a cheaper shop's price.
pub(super) fn warnings(n: u64, price: u64, promo: u64) -> Vec<PromoOfferUpdateWarningDto> {
    let warning = |code: Warning, campaigns: Option<Vec<CampaignId>>| PromoOfferUpdateWarningDto {
        code,
        campaign_ids: campaigns,
    };
    let mut found = Vec::new();
    if u128::from(promo) * 2 < u128::from(price) {
        found.push(warning(Warning::DeepDiscountOffer, None));
    }
    if promo > catalogue_price(n) {
        found.push(warning(Warning::CatalogPriceIsLowerThanPromo, None));
    }
    if let Some(shop) = ineligible_shop(n) {
        found.push(warning(
            Warning::ShopOfferNotEligibleForPromo,
            Some(vec![shop]),
        ));
    }
    if let Some((shop, shop_price)) = cheaper_shop(n)
        && promo > shop_price
    {
        found.push(warning(
            Warning::ShopPricesAreLowerThanPromo,
            Some(vec![shop]),
        ));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_price_rules_match_the_documented_bounds() {
        assert_eq!(check_prices(1000, 950, None), Ok(()));
        assert_eq!(check_prices(1000, 10, None), Ok(()));
        assert_eq!(
            check_prices(1000, 951, None),
            Err(Reason::PromoPriceBiggerThanMax)
        );
        assert_eq!(
            check_prices(1000, 9, None),
            Err(Reason::PromoPriceSmallerThanMin)
        );
        assert_eq!(
            check_prices(1000, 901, Some(900)),
            Err(Reason::MaxPromoPriceExceeded)
        );
    }
}
