//! The "Market Bestsellers" price levels read through the client: every offer of the
//! sandbox's Bestsellers promo carries its seeded `bestPriceLevels` (ordered, within the cap),
//! the level its promo price reaches is the one `PriceLevels::level_of` gives, offers of
//! other promos carry none, and when Market lowers the conditions the levels read again are
//! lower while the prices the seller set stay.
use yandex_promo::market::{
    BestsellerLevel, OfferStatus, PriceLevels, PromoOffer, Roubles, level_reached, max_promo_price,
    price_levels,
};
use yandex_promo_sandbox::SandboxConfig;

use crate::support::{all_offers, assert_conforms, sandbox, sandbox_market as market};

/// The seeded "Market Bestsellers" promo: offers `SKU-0041` to `SKU-0100`.
const BESTSELLERS: &str = "sb_bestsellers_next";

/// The number `n` of a seeded offer `SKU-000n`.
fn number(offer: &PromoOffer) -> u64 {
    offer
        .offer_id
        .strip_prefix("SKU-")
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a seeded id: {}", offer.offer_id))
}

/// The seeded conditions of offer `n` at `percent`% (the sandbox's crate docs, and
/// `SandboxHandle::shift_market_conditions`): the catalogue price is `500 + (37 n mod
/// 4500)`; the levels start from its 90% (the `maxPromoPrice`, which every fourth offer does
/// not have), at 100/96/92/88% of it; each value is then taken at `percent`%, rounded down.
fn seeded(n: u64, percent: u64) -> ([Roubles; 4], Option<Roubles>) {
    let base = (500 + (37 * n) % 4500) * 90 / 100;
    let at = |value: u64| value * percent / 100;
    let levels = [100, 96, 92, 88].map(|share| at(base * share / 100));
    (levels, (!n.is_multiple_of(4)).then(|| at(base)))
}

/// The thresholds as `[light, best, super, top]`.
fn thresholds(levels: PriceLevels) -> [Roubles; 4] {
    BestsellerLevel::ALL.map(|level| levels.threshold(level))
}

/// An offer's promo price as read, if it has one.
fn promo_price(offer: &PromoOffer) -> Option<Roubles> {
    let price = offer.params.discount_params.as_ref()?.promo_price?;
    Some(Roubles::try_from(price).expect("a promo price is not negative"))
}

/// Checks one Bestsellers offer as read: it has levels, in Market's documented order, all
/// positive, the lightest within its cap when it has one; and the level it reaches is the
/// one `level_of` gives its promo price. Returns its levels.
fn assert_levels(offer: &PromoOffer) -> PriceLevels {
    let id = &offer.offer_id;
    let levels = price_levels(offer).unwrap_or_else(|| panic!("{id}: no levels"));
    let [light, best, superb, top] = thresholds(levels);
    assert!(
        light >= best && best >= superb && superb >= top && top > 0,
        "{id}: {light} >= {best} >= {superb} >= {top} > 0"
    );
    if let Some(cap) = max_promo_price(offer) {
        assert!(light <= cap, "{id}: light {light} over the cap {cap}");
    }
    assert_eq!(
        level_reached(offer),
        promo_price(offer).and_then(|price| levels.level_of(price)),
        "{id}: level_reached is level_of its promo price"
    );
    levels
}

#[tokio::test]
async fn bestsellers_offers_carry_ordered_levels_and_lower_ones_when_conditions_change() {
    let sandbox = sandbox(SandboxConfig::default()).await;
    let market = market(&sandbox);
    let before = all_offers(&market, BESTSELLERS, 25).await;
    let numbers: Vec<u64> = before.iter().map(number).collect();
    assert_eq!(numbers, (41..=100).collect::<Vec<_>>(), "offers 41 to 100");
    for offer in &before {
        let n = number(offer);
        let levels = assert_levels(offer);
        assert_eq!(
            (thresholds(levels), max_promo_price(offer)),
            seeded(n, 100),
            "{}: the seeded levels and cap",
            offer.offer_id
        );
        // Market's additions are priced deep (65% to 72%), the seller's manual offers at 80%
        // (70% for 51 and 81), and `MINIMUM_FOR_PROMOS` offers at their cap: against levels
        // at 90/86.4/82.8/79.2% of the catalogue price, that is Top, Super and Light.
        let expected = match offer.status {
            OfferStatus::Manual if n % 30 == 21 => Some(BestsellerLevel::Top),
            OfferStatus::Manual => Some(BestsellerLevel::Super),
            OfferStatus::Auto | OfferStatus::PartiallyAuto | OfferStatus::Renewed => {
                Some(BestsellerLevel::Top)
            }
            OfferStatus::MinimumForPromos => Some(BestsellerLevel::Light),
            // No promo price: not taking part.
            _ => None,
        };
        assert_eq!(
            level_reached(offer),
            expected,
            "{} ({:?})",
            offer.offer_id,
            offer.status
        );
    }
    // SKU-0041: catalogue 2017, cap 1815; its manual 80% (1613) is within super (1669), not
    // top (1597). SKU-0044 has no cap: its levels start from 90% of 2128.
    let by_id = |offers: &[PromoOffer], id: &str| -> PromoOffer {
        offers.iter().find(|o| o.offer_id == id).expect(id).clone()
    };
    let sku41 = by_id(&before, "SKU-0041");
    assert_eq!(
        price_levels(&sku41).map(thresholds),
        Some([1815, 1742, 1669, 1597])
    );
    assert_eq!(promo_price(&sku41), Some(1613));
    assert_eq!(level_reached(&sku41), Some(BestsellerLevel::Super));
    let sku44 = by_id(&before, "SKU-0044");
    assert_eq!(max_promo_price(&sku44), None);
    assert_eq!(
        price_levels(&sku44).map(thresholds),
        Some([1915, 1838, 1761, 1685])
    );

    // Offers of every other promo with prices carry no levels, and so reach none.
    for promo in ["sb_direct_now", "sb_flash_soon", "sb_promocode_now"] {
        let offers = all_offers(&market, promo, 25).await;
        assert!(!offers.is_empty(), "{promo}");
        for offer in &offers {
            assert_eq!(price_levels(offer), None, "{promo}: {}", offer.offer_id);
            assert_eq!(level_reached(offer), None, "{promo}: {}", offer.offer_id);
        }
    }
    let direct = all_offers(&market, "sb_direct_now", 25).await;
    let priced = direct.iter().filter(|o| promo_price(o).is_some()).count();
    assert!(
        priced > 0,
        "sb_direct_now has priced offers, without levels"
    );

    // Market lowers the conditions by 10%: every offer's levels and cap move, read again.
    assert_eq!(
        sandbox.handle().shift_market_conditions(BESTSELLERS, 90),
        Some(60)
    );
    let after = all_offers(&market, BESTSELLERS, 25).await;
    assert_eq!(after.len(), before.len());
    for (old, new) in before.iter().zip(&after) {
        let id = &new.offer_id;
        assert_eq!(&old.offer_id, id);
        let (was, is) = (assert_levels(old), assert_levels(new));
        for level in BestsellerLevel::ALL {
            assert!(
                is.threshold(level) < was.threshold(level),
                "{id}: {level} {} is not below {}",
                is.threshold(level),
                was.threshold(level)
            );
        }
        let n = number(new);
        assert_eq!(
            (thresholds(is), max_promo_price(new)),
            seeded(n, 90),
            "{id}: at 90%"
        );
        // The prices the seller set do not move; the levels they reach do.
        assert_eq!(promo_price(new), promo_price(old), "{id}");
        assert_eq!(new.status, old.status, "{id}");
        // At 90%: light 81%, best 77.8%, super 74.5%, top 71.3% of the catalogue price.
        let expected = match new.status {
            OfferStatus::Manual if n % 30 == 21 => Some(BestsellerLevel::Top),
            OfferStatus::Manual => Some(BestsellerLevel::Light),
            OfferStatus::Renewed => Some(BestsellerLevel::Super),
            OfferStatus::Auto | OfferStatus::PartiallyAuto => Some(BestsellerLevel::Top),
            // At the old cap, now over every level.
            _ => None,
        };
        assert_eq!(level_reached(new), expected, "{id} ({:?})", new.status);
    }
    let sku41 = by_id(&after, "SKU-0041");
    assert_eq!(
        price_levels(&sku41).map(thresholds),
        Some([1633, 1567, 1502, 1437])
    );
    assert_eq!(max_promo_price(&sku41), Some(1633));
    assert_eq!(level_reached(&sku41), Some(BestsellerLevel::Light));
    // The other promos still carry none.
    let direct = all_offers(&market, "sb_direct_now", 25).await;
    assert!(direct.iter().all(|o| price_levels(o).is_none()));
    assert!(assert_conforms(&sandbox) >= 10);
}
