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
    pub(super) max_promo_price: Option<u64>,
}

impl Offer {
    /// Takes the offer out of its promo: not participating, without prices.
    pub(super) fn take_out(&mut self) {
        self.status = Status::NotParticipating;
        self.price = None;
        self.promo_price = None;
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
        _ => price * 80 / 100,
    };
    let participates = participates(&status);
    Offer {
        number: n,
        status,
        price: participates.then_some(price),
        promo_price: participates.then_some(promo_price),
        max_promo_price,
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
