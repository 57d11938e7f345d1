//! Market promos' assortments as the sandbox keeps them, from the `getPromoOffers`,
//! `updatePromoOffers` and `deletePromoOffers` pages of the Partner API docs.
//!
//! The business has a catalogue of offers (SKUs). Each promo has the offers eligible for it,
//! each with a status and, for discount promos, a strikethrough price, a promo price and an
//! optional `maxPromoPrice`; in "Market Bestsellers" promos, also the four level thresholds
//! (`bestPriceLevels`). Writes become visible after a delay (the real one is 4 to 6
//! hours); until then `getPromos` reports `processing: true`.
//!
//! The docs warn that a promo's conditions may change while an offer takes part ("Условия
//! участия … могут меняться. Например, `maxPromoPrice`"), and that the prices the seller set
//! (`price`, `promoPrice`) do not. Each assortment has a conditions percentage (100 when
//! seeded) that scales every offer's cap and levels as they are shown and checked, and never
//! the prices set.
//!
//! This file is the model's operations (page, update, delete, settle the writes due) and the
//! order in which an offer's refusal reasons are tried; it starts from the data of
//! [`super::seed`] and applies the price rules of [`super::prices`].
use std::{
    collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque},
    num::NonZeroU64,
    ops::{Bound, RangeInclusive},
    time::{Duration, Instant},
};

use yandex_promo_raw::{
    market::types::{
        GetPromoOfferDto, PromoOfferAutoParticipatingDetailsDto, PromoOfferBestPriceLevelsDto,
        PromoOfferDiscountParamsDto, PromoOfferParamsDto, RejectedPromoOfferDeleteDto,
        RejectedPromoOfferUpdateDto, UpdatePromoOfferDto, WarningPromoOfferUpdateDto,
    },
    open::{
        PromoOfferParticipationStatusType as Status,
        RejectedPromoOfferDeleteReasonType as DeleteReason,
        RejectedPromoOfferUpdateReasonType as Reason,
    },
};

use super::{
    prices::{check_prices, warnings},
    seed::{
        Kind, Levels, Offer, SEEDED, auto_campaign, demo_floor, scale, seeded_id, seeded_offer,
    },
};

/// Every promo's assortment and the business's catalogue.
#[derive(Debug)]
pub(crate) struct Market {
    catalogue: BTreeSet<String>,
    promos: BTreeMap<String, Assortment>,
    /// The number the next seeded offer gets.
    next_offer: u64,
}

/// One promo's offers.
#[derive(Debug)]
pub(crate) struct Assortment {
    kind: Kind,
    offers: BTreeMap<String, Offer>,
    /// The promo's conditions, in percent of the seeded ones (100): every offer's cap and
    /// levels are shown and checked at this share; the prices set are not touched.
    conditions: u64,
    /// Writes not visible yet, oldest first, with when they show (`None`: never).
    pending: VecDeque<(Option<Instant>, Change)>,
}

#[derive(Debug, Clone)]
enum Change {
    Put {
        offer_id: String,
        price: Option<u64>,
        promo_price: Option<u64>,
    },
    Remove(String),
    RemoveAll,
}

/// Whether an offer counts in `assortmentInfo.activeOffers`: the seller's own, not Market's.
fn active(status: &Status) -> bool {
    matches!(
        status,
        Status::Manual | Status::Renewed | Status::MinimumForPromos
    )
}

/// A `getPromoOffers` status filter, by its wire value.
pub(crate) fn matches_filter(filter: &str, status: &Status) -> bool {
    match filter {
        "MANUALLY_ADDED" => *status == Status::Manual,
        "NOT_MANUALLY_ADDED" => matches!(
            status,
            Status::NotParticipating | Status::Auto | Status::PartiallyAuto
        ),
        "RENEWED" => *status == Status::Renewed,
        "RENEW_FAILED" => *status == Status::RenewFailed,
        "MINIMUM_FOR_PROMOS" => *status == Status::MinimumForPromos,
        _ => false,
    }
}

impl Market {
    /// The seeded promos' assortments over a catalogue of 120 offers (the last 20 in no
    /// promo).
    pub(crate) fn seeded() -> Self {
        Self::new(&SEEDED)
    }

    fn new(promos: &[(&str, Kind, RangeInclusive<u64>)]) -> Self {
        let mut market = Self {
            catalogue: (1..=120).map(seeded_id).collect(),
            promos: BTreeMap::new(),
            next_offer: 121,
        };
        for (promo, kind, numbers) in promos {
            let offers = numbers
                .clone()
                .map(|n| (seeded_id(n), seeded_offer(n, *kind)))
                .collect();
            market.promos.insert(
                (*promo).to_owned(),
                Assortment {
                    kind: *kind,
                    offers,
                    conditions: 100,
                    pending: VecDeque::new(),
                },
            );
        }
        market
    }

    /// A promo's assortment, with every write due by `now` applied.
    pub(crate) fn promo(&mut self, promo_id: &str, now: Instant) -> Option<&mut Assortment> {
        self.catalogue_and(promo_id, now)
            .map(|(_, assortment)| assortment)
    }

    /// The catalogue, and a promo's assortment with every write due by `now` applied.
    fn catalogue_and(
        &mut self,
        promo_id: &str,
        now: Instant,
    ) -> Option<(&BTreeSet<String>, &mut Assortment)> {
        let assortment = self.promos.get_mut(promo_id)?;
        assortment.settle(now);
        Some((&self.catalogue, assortment))
    }

    /// Adds `count` new catalogue offers, eligible for the promo; returns how many offers the
    /// promo has, or `None` for an unknown promo.
    pub(crate) fn seed_offers(&mut self, promo_id: &str, count: u64) -> Option<usize> {
        let assortment = self.promos.get_mut(promo_id)?;
        for n in self.next_offer..self.next_offer + count {
            let id = seeded_id(n);
            self.catalogue.insert(id.clone());
            assortment
                .offers
                .insert(id, seeded_offer(n, assortment.kind));
        }
        self.next_offer += count;
        Some(assortment.offers.len())
    }

    /// The margin guard demo's floors of every offer in the catalogue (seeded or added),
    /// in id order: see [`demo_floor`].
    pub(crate) fn demo_floors(&self) -> Vec<(String, u64)> {
        (1..self.next_offer)
            .filter_map(|n| Some((seeded_id(n), demo_floor(n)?)))
            .collect()
    }

    /// Sets a promo's conditions to `percent`% of the seeded ones (not cumulative: 100
    /// restores them; 0 counts as 1, so caps and levels stay positive); returns how many of
    /// its offers have a cap or levels that moved with them, or `None` for an unknown promo.
    pub(crate) fn shift_conditions(
        &mut self,
        promo_id: &str,
        percent: u64,
        now: Instant,
    ) -> Option<usize> {
        let assortment = self.promo(promo_id, now)?;
        assortment.conditions = percent.max(1);
        let moved = assortment
            .offers
            .values()
            .filter(|o| o.max_promo_price.is_some() || o.levels.is_some())
            .count();
        Some(moved)
    }
}

/// The outcome of one offer of an update that was accepted: its warnings, if any.
type Accepted = Option<WarningPromoOfferUpdateDto>;

/// What an update answers: the rejected offers, and the accepted ones with warnings.
pub(crate) type UpdateAnswer = (
    Vec<RejectedPromoOfferUpdateDto>,
    Vec<WarningPromoOfferUpdateDto>,
);

impl Market {
    /// `updatePromoOffers` on a promo (`None` if unknown): each offer is refused with the
    /// first reason that applies (not in the catalogue, repeated in the request, not eligible,
    /// entries `closed`, then the price rules), else scheduled to apply after `delay`.
    pub(crate) fn update(
        &mut self,
        promo_id: &str,
        entries: &[UpdatePromoOfferDto],
        closed: bool,
        now: Instant,
        delay: Duration,
    ) -> Option<UpdateAnswer> {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for entry in entries {
            *counts.entry(entry.offer_id.as_str()).or_default() += 1;
        }
        let (catalogue, assortment) = self.catalogue_and(promo_id, now)?;
        let (mut rejected, mut warned) = (Vec::new(), Vec::new());
        let mut reported = HashSet::new();
        for entry in entries {
            let id = entry.offer_id.as_str();
            let verdict = if !catalogue.contains(id) {
                Err(Reason::OfferDoesNotExist)
            } else if counts[id] > 1 {
                Err(Reason::OfferDuplication)
            } else {
                assortment.put(entry, closed, now, delay)
            };
            match verdict {
                Ok(warnings) => warned.extend(warnings),
                Err(reason) if reported.insert(id) => rejected.push(RejectedPromoOfferUpdateDto {
                    offer_id: id.to_owned(),
                    reason,
                }),
                Err(_) => {}
            }
        }
        Some((rejected, warned))
    }

    /// `deletePromoOffers` with ids (`None` for an unknown promo): an id outside the catalogue
    /// is refused; the others are taken out after `delay` (an offer not in the promo stays so).
    pub(crate) fn delete(
        &mut self,
        promo_id: &str,
        offer_ids: &[String],
        now: Instant,
        delay: Duration,
    ) -> Option<Vec<RejectedPromoOfferDeleteDto>> {
        let (catalogue, assortment) = self.catalogue_and(promo_id, now)?;
        let mut rejected = Vec::new();
        for offer_id in offer_ids {
            if catalogue.contains(offer_id) {
                assortment.remove(offer_id, now, delay);
            } else {
                rejected.push(RejectedPromoOfferDeleteDto {
                    offer_id: offer_id.clone(),
                    reason: DeleteReason::OfferDoesNotExist,
                });
            }
        }
        Some(rejected)
    }
}

impl Assortment {
    fn settle(&mut self, now: Instant) {
        while self
            .pending
            .front()
            .is_some_and(|(due, _)| due.is_some_and(|due| due <= now))
        {
            if let Some((_, change)) = self.pending.pop_front() {
                self.apply(change);
            }
        }
    }

    fn apply(&mut self, change: Change) {
        match change {
            Change::Put {
                offer_id,
                price,
                promo_price,
            } => {
                if let Some(offer) = self.offers.get_mut(&offer_id) {
                    offer.status = Status::Manual;
                    offer.price = price;
                    offer.promo_price = promo_price;
                }
            }
            Change::Remove(offer_id) => {
                if let Some(offer) = self.offers.get_mut(&offer_id) {
                    offer.take_out();
                }
            }
            Change::RemoveAll => self.offers.values_mut().for_each(Offer::take_out),
        }
    }

    fn schedule(&mut self, change: Change, now: Instant, delay: Duration) {
        // `None`: a delay too long to add, a change that never shows.
        self.pending.push_back((now.checked_add(delay), change));
        self.settle(now);
    }

    /// Whether a write is still being applied (`assortmentInfo.processing`).
    pub(crate) fn processing(&self) -> bool {
        !self.pending.is_empty()
    }

    /// `(activeOffers, potentialOffers)`: the seller's offers in the promo, and every
    /// eligible offer.
    pub(crate) fn counts(&self) -> (usize, usize) {
        let active = self.offers.values().filter(|o| active(&o.status)).count();
        (active, self.offers.len())
    }

    /// Up to `limit` offers after `after` (an offer id; `None`: from the first) that pass
    /// `keep`, in id order, and whether more follow.
    pub(crate) fn page(
        &self,
        after: Option<&str>,
        limit: usize,
        keep: impl Fn(&Status) -> bool,
    ) -> (Vec<GetPromoOfferDto>, bool) {
        let start = after.map_or(Bound::Unbounded, Bound::Excluded);
        let mut matching = self
            .offers
            .range::<str, _>((start, Bound::Unbounded))
            .filter(|(_, offer)| keep(&offer.status));
        let page = matching
            .by_ref()
            .take(limit)
            .map(|(id, offer)| self.to_dto(id, offer))
            .collect();
        (page, matching.next().is_some())
    }

    /// An offer's cap at the promo's current conditions.
    fn cap(&self, offer: &Offer) -> Option<u64> {
        offer.max_promo_price.map(|max| scale(max, self.conditions))
    }

    /// An offer's Bestsellers levels at the promo's current conditions (`None` outside
    /// "Market Bestsellers").
    fn levels(&self, offer: &Offer) -> Option<Levels> {
        offer
            .levels
            .filter(|_| self.kind == Kind::Bestsellers)
            .map(|levels| levels.scaled(self.conditions))
    }

    fn to_dto(&self, offer_id: &str, offer: &Offer) -> GetPromoOfferDto {
        let signed = |p: Option<u64>| p.and_then(|p| i64::try_from(p).ok());
        let wire = |p: u64| i64::try_from(p).unwrap_or(i64::MAX);
        let best_price_levels = self.levels(offer).map(|l| PromoOfferBestPriceLevelsDto {
            light_best_level: wire(l.light_best),
            best_level: wire(l.best),
            super_best_level: wire(l.super_best),
            top_best_level: wire(l.top_best),
        });
        let discount_params = (self.kind != Kind::Promocode).then(|| PromoOfferDiscountParamsDto {
            price: signed(offer.price),
            promo_price: signed(offer.promo_price),
            max_promo_price: signed(self.cap(offer)),
            best_price_levels,
        });
        let auto_participating_details = (offer.status == Status::PartiallyAuto).then(|| {
            PromoOfferAutoParticipatingDetailsDto {
                campaign_ids: Some(vec![auto_campaign(offer.number)]),
            }
        });
        GetPromoOfferDto {
            offer_id: offer_id.to_owned(),
            status: offer.status.clone(),
            params: PromoOfferParamsDto { discount_params },
            auto_participating_details,
        }
    }

    /// Checks an offer of an update against the promo (eligible, entries not `closed`) and
    /// the price rules and, when it passes, schedules it; returns the warnings.
    fn put(
        &mut self,
        entry: &UpdatePromoOfferDto,
        closed: bool,
        now: Instant,
        delay: Duration,
    ) -> Result<Accepted, Reason> {
        let Some(offer) = self.offers.get(&entry.offer_id) else {
            return Err(Reason::OfferNotEligibleForPromo);
        };
        if closed {
            return Err(Reason::DeadlineForFocusPromosExceeded);
        }
        let discount = entry
            .params
            .as_ref()
            .and_then(|p| p.discount_params.as_ref());
        let price = discount.and_then(|d| d.price).map(NonZeroU64::get);
        let promo_price = discount.and_then(|d| d.promo_price).map(NonZeroU64::get);
        let warnings = match self.kind {
            Kind::Promocode => Vec::new(),
            Kind::Discount | Kind::Bestsellers => {
                let price = price.ok_or(Reason::EmptyOldPrice)?;
                let promo = promo_price.ok_or(Reason::EmptyPromoPrice)?;
                check_prices(price, promo, self.cap(offer))?;
                warnings(offer.number, price, promo)
            }
        };
        let change = Change::Put {
            offer_id: entry.offer_id.clone(),
            price,
            promo_price,
        };
        self.schedule(change, now, delay);
        Ok((!warnings.is_empty()).then(|| WarningPromoOfferUpdateDto {
            offer_id: entry.offer_id.clone(),
            warnings,
        }))
    }

    /// Schedules taking an offer out (nothing happens to an offer not in the promo).
    fn remove(&mut self, offer_id: &str, now: Instant, delay: Duration) {
        if self.offers.contains_key(offer_id) {
            self.schedule(Change::Remove(offer_id.to_owned()), now, delay);
        }
    }

    /// Schedules taking every offer out.
    pub(crate) fn remove_all(&mut self, now: Instant, delay: Duration) {
        self.schedule(Change::RemoveAll, now, delay);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_continue_after_the_last_id_even_when_offers_change() {
        let mut market = Market::new(&[("p", Kind::Discount, 1..=10)]);
        let now = Instant::now();
        let promo = market.promo("p", now).expect("seeded");
        let (first, more) = promo.page(None, 4, |_| true);
        assert!(more);
        let last = first.last().expect("a page").offer_id.clone();
        promo.remove(&seeded_id(1), now, Duration::ZERO);
        let (second, _) = promo.page(Some(&last), 4, |_| true);
        assert_eq!(second[0].offer_id, seeded_id(5));
    }
}
