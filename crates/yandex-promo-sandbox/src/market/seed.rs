//! What the sandbox's Market starts with: the seeded promos and their eligible offers, and
//! what every seeded offer is. The rules themselves (page, update, delete) are in
//! [`super::assortment`] and [`super::prices`]; this file is the data they start from, and the
//! offer record an assortment keeps.
//!
//! Seeded offers are numbered; everything about offer `n` follows from `n`, so runs repeat:
//! - status: `n % 10` of 0, 1, 2 is `MANUAL`, 3 `AUTO`, 4 `PARTIALLY_AUTO` (campaign
//!   `21000000 + n`), in "Market Bestsellers" promos 5 `RENEWED`, 6 `RENEW_FAILED` and 7
//!   `MINIMUM_FOR_PROMOS`; the rest `NOT_PARTICIPATING`;
//! - catalogue price `500 + (37 n mod 4500)` roubles; `maxPromoPrice` 90% of it, except
//!   every fourth offer, which has none;
//! - promo price (for an offer in the promo): what the seller set, 80% of the catalogue
//!   price, but 70% for `MANUAL` offers with `n % 30 == 21` (21, 51, 81, 111, ...); what
//!   Market chose for its own additions, 65% for `AUTO`, 68% for `PARTIALLY_AUTO`, 72% for
//!   `RENEWED`; `maxPromoPrice` for `MINIMUM_FOR_PROMOS` (80% without one). So against the
//!   margin guard demo's floors ([`demo_floor`], 75%) Market's additions sell at a loss;
//! - in "Market Bestsellers" promos, the four level thresholds (`bestPriceLevels`): from
//!   `base`, the offer's `maxPromoPrice` (90% of the catalogue price when it has none), light
//!   100% of it, best 96%, super 92% and top 88%; so light >= best >= super >= top > 0, all
//!   within the cap. A promo's conditions percentage scales the cap and the levels (see
//!   [`super::assortment`]);
//! - shops: every seventh offer has a shop (campaign `22000000 + n`) selling it at 85% of the
//!   catalogue price; every eleventh offer is not eligible in one shop (campaign
//!   `23000000 + n`). The warnings these give on an update are in [`super::prices`].
use std::{num::NonZeroU64, ops::RangeInclusive};

use yandex_promo_raw::{
    market::types::CampaignId, open::PromoOfferParticipationStatusType as Status,
};

/// What kind of promo an assortment belongs to: it decides which prices an offer needs and
/// which statuses seeding uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// `DIRECT_DISCOUNT` or `BLUE_FLASH`: both prices are required.
    Discount,
    /// A "Market Bestsellers" discount promo.
    Bestsellers,
    /// `MARKET_PROMOCODE`: offers carry no prices.
    Promocode,
}

/// One offer of a promo's assortment.
#[derive(Debug, Clone)]
pub(super) struct Offer {
    /// The seeded number everything else follows from.
    pub(super) number: u64,
    pub(super) status: Status,
    pub(super) price: Option<u64>,
    pub(super) promo_price: Option<u64>,
    /// The cap at the seeded conditions (100%): the promo's conditions scale it.
    pub(super) max_promo_price: Option<u64>,
    /// The Bestsellers level thresholds at the seeded conditions; `None` in other promos.
    pub(super) levels: Option<Levels>,
}

/// The price thresholds of a "Market Bestsellers" offer's four levels, in roubles: a higher
/// level asks for a lower promo price (`light_best >= best >= super_best >= top_best > 0`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Levels {
    pub(super) light_best: u64,
    pub(super) best: u64,
    pub(super) super_best: u64,
    pub(super) top_best: u64,
}

impl Levels {
    /// The levels of an offer whose thresholds start from `base`: 100%, 96%, 92% and 88% of
    /// it, so their order holds for any `base` and the lightest is `base` itself.
    fn from_base(base: u64) -> Self {
        let share = |percent: u64| scale(base, percent).max(1);
        Self {
            light_best: base.max(1),
            best: share(96),
            super_best: share(92),
            top_best: share(88),
        }
    }

    /// Every threshold at `percent`% (each at least 1): scaling by one factor keeps the
    /// order, and keeps the levels within a cap scaled alike.
    pub(super) fn scaled(self, percent: u64) -> Self {
        let at = |value: u64| scale(value, percent).max(1);
        Self {
            light_best: at(self.light_best),
            best: at(self.best),
            super_best: at(self.super_best),
            top_best: at(self.top_best),
        }
    }
}

/// `value` at `percent`%, rounded down, saturating at `i64::MAX` (the wire's largest price).
pub(super) fn scale(value: u64, percent: u64) -> u64 {
    let scaled = u128::from(value) * u128::from(percent) / 100;
    u64::try_from(scaled)
        .unwrap_or(u64::MAX)
        .min(i64::MAX.unsigned_abs())
}

impl Offer {
    /// Takes the offer out of its promo: not participating, without prices.
    pub(super) fn take_out(&mut self) {
        self.status = Status::NotParticipating;
        self.price = None;
        self.promo_price = None;
    }
}

/// The margin guard demo's floor of offer `n` (see `SandboxHandle::demo_floors`): 75% of
/// its catalogue price, above what Market chose for its own additions and below the
/// seller's 80%; none for every eighth offer; 95% for offer 2, above its 90% cap.
pub(super) fn demo_floor(n: u64) -> Option<u64> {
    let price = catalogue_price(n);
    match n {
        _ if n.is_multiple_of(8) => None,
        2 => Some(price * 95 / 100),
        _ => Some(price * 75 / 100),
    }
}

/// The offer ids of seeded offer `n`.
pub(super) fn seeded_id(n: u64) -> String {
    format!("SKU-{n:04}")
}

/// The catalogue price of offer `n`, in roubles.
pub(super) fn catalogue_price(n: u64) -> u64 {
    500 + (37 * n) % 4500
}

fn seeded_max_promo_price(n: u64) -> Option<u64> {
    (!n.is_multiple_of(4)).then(|| catalogue_price(n) * 90 / 100)
}

/// The campaign of a shop that sells offer `n` cheaper than the catalogue, and its price, if
/// any.
pub(super) fn cheaper_shop(n: u64) -> Option<(CampaignId, u64)> {
    n.is_multiple_of(7)
        .then(|| (campaign(22_000_000 + n), catalogue_price(n) * 85 / 100))
}

/// The campaign of a shop where offer `n` is not eligible, if any.
pub(super) fn ineligible_shop(n: u64) -> Option<CampaignId> {
    n.is_multiple_of(11).then(|| campaign(23_000_000 + n))
}

/// The campaign that put a `PARTIALLY_AUTO` offer `n` in its promo.
pub(super) fn auto_campaign(n: u64) -> CampaignId {
    campaign(21_000_000 + n)
}

fn campaign(id: u64) -> CampaignId {
    CampaignId(NonZeroU64::new(id).unwrap_or(NonZeroU64::MIN))
}

/// Seeded offer `n` as a promo of `kind` holds it.
pub(super) fn seeded_offer(n: u64, kind: Kind) -> Offer {
    let status = match (n % 10, kind) {
        (0..=2, _) => Status::Manual,
        (3, _) => Status::Auto,
        (4, _) => Status::PartiallyAuto,
        (5, Kind::Bestsellers) => Status::Renewed,
        (6, Kind::Bestsellers) => Status::RenewFailed,
        (7, Kind::Bestsellers) => Status::MinimumForPromos,
        _ => Status::NotParticipating,
    };
    let max_promo_price = seeded_max_promo_price(n);
    let price = catalogue_price(n);
    let promo_price = match status {
        Status::MinimumForPromos => max_promo_price.unwrap_or(price * 80 / 100),
        // Market chooses the prices of its own additions, deeper than a seller would.
        Status::Auto => price * 65 / 100,
        Status::PartiallyAuto => price * 68 / 100,
        Status::Renewed => price * 72 / 100,
        Status::Manual if n % 30 == 21 => price * 70 / 100,
        _ => price * 80 / 100,
    };
    let participates = participates(&status);
    let levels = (kind == Kind::Bestsellers)
        .then(|| Levels::from_base(max_promo_price.unwrap_or(price * 90 / 100)));
    Offer {
        number: n,
        status,
        price: participates.then_some(price),
        promo_price: participates.then_some(promo_price),
        max_promo_price,
        levels,
    }
}

/// Whether an offer with this status is in the promo (and so has prices).
fn participates(status: &Status) -> bool {
    !matches!(status, Status::NotParticipating | Status::RenewFailed)
}

/// The seeded current direct-discount promo.
pub(super) const DIRECT_NOW: &str = "sb_direct_now";
/// The seeded flash promo that starts soon.
pub(super) const FLASH_SOON: &str = "sb_flash_soon";
/// The seeded current promo-code promo.
pub(super) const PROMOCODE_NOW: &str = "sb_promocode_now";
/// The seeded "Market Bestsellers" promo that starts soon.
pub(super) const BESTSELLERS_NEXT: &str = "sb_bestsellers_next";
/// The seeded flash promo that ended last month.
pub(super) const PAST_FLASH: &str = "sb_past_flash";

/// The seeded promos, their kind, and the numbers of their eligible offers.
pub(super) const SEEDED: [(&str, Kind, RangeInclusive<u64>); 5] = [
    (DIRECT_NOW, Kind::Discount, 1..=60),
    (FLASH_SOON, Kind::Discount, 31..=80),
    (PROMOCODE_NOW, Kind::Promocode, 1..=20),
    (BESTSELLERS_NEXT, Kind::Bestsellers, 41..=100),
    (PAST_FLASH, Kind::Discount, 1..=10),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_stay_ordered_positive_and_within_the_cap_at_any_conditions() {
        for base in (1..=50).chain((450..=4999).step_by(7)) {
            for percent in [1, 2, 37, 90, 99, 100, 101, 250, 10_000, u64::MAX] {
                let levels = Levels::from_base(base).scaled(percent);
                let cap = scale(base, percent).max(1);
                let Levels {
                    light_best,
                    best,
                    super_best,
                    top_best,
                } = levels;
                assert!(
                    cap >= light_best
                        && light_best >= best
                        && best >= super_best
                        && super_best >= top_best
                        && top_best > 0,
                    "base {base} at {percent}%: {levels:?} under {cap}"
                );
                assert!(i64::try_from(light_best).is_ok());
            }
        }
    }
}
