//! The margin guard's reading and sending: [`PromoManager::guard`] reads every promo and its
//! offers and makes a [`GuardPlan`]; [`PromoManager::apply_guard`] sends it, per promo one
//! batched delete and one batched update, and on a failure says what is left to send.
use std::collections::HashSet;

use futures::TryStreamExt as _;

use super::{
    DeleteOutcome, Floors, GuardPlan, MAX_OFFERS_PAGE_SIZE, Operation, PromoGuard, PromoManager,
    SkipReason, SkippedPromo, UpdateOutcome, promos::naming_the_promo,
};
use crate::{ApiErrorKind, Error, Result};

impl PromoManager {
    /// Reads every promo (`getPromos`, by default: the current and upcoming promos the
    /// business takes part in or may join) and every offer of each (`getPromoOffers`, pages
    /// of 500, no status filter), and plans what would bring every offer with a floor to it
    /// or out of the promo: see [`GuardPlan::new`]. Nothing is changed.
    ///
    /// The listing is not filtered to `PARTICIPATING_NOW`: Market reports `participating:
    /// false` for a promo it put offers in by itself, which are the offers the guard is for,
    /// and an upcoming promo's are cheapest to take out before it starts. Promo-code promos
    /// are skipped without reading their offers, as is a promo that ends while it is read.
    ///
    /// ```no_run
    /// # async fn demo(market: yandex_promo::market::MarketClient) -> Result<(), Box<dyn std::error::Error>> {
    /// use yandex_promo::market::Floors;
    /// let floors = Floors::new([("SKU-1042", 1290), ("SKU-77", 650)])?;
    /// let promos = market.promos();
    /// let plan = promos.guard(&floors).await?;
    /// println!("{plan}");
    /// if !plan.is_empty() {
    ///     let outcome = promos.apply_guard(&plan).await?;
    ///     println!("{} requests sent", outcome.requests);
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// The errors of a listing; an offers listing's error names its promo.
    pub async fn guard(&self, floors: &Floors) -> Result<GuardPlan> {
        let promos = self.list().send().await?;
        let now = self.client.context(Operation::GetPromos).clock.now();
        let mut read = Vec::new();
        let mut ended_while_read = Vec::new();
        for promo in promos {
            // Its offers carry no prices, and an ended one sells nothing: `new` skips them.
            let skipped = promo.mechanics_info.type_ == super::MechanicsType::MarketPromocode
                || promo.period.date_time_to <= now;
            if skipped {
                read.push((promo, Vec::new()));
                continue;
            }
            let offers = self
                .offers(promo.id.as_str())
                .page_size(MAX_OFFERS_PAGE_SIZE)
                .stream()
                .try_collect()
                .await
                .map_err(|error| naming_the_promo(error.into(), &promo.id));
            match offers {
                Ok(offers) => read.push((promo, offers)),
                Err(error) if error.api_kind() == Some(ApiErrorKind::PromoEnded) => {
                    ended_while_read.push(SkippedPromo {
                        promo_id: promo.id,
                        why: SkipReason::Ended,
                    });
                }
                Err(error) => return Err(error),
            }
        }
        let mut plan = GuardPlan::new(&read, floors, now);
        plan.skipped.extend(ended_while_read);
        Ok(plan)
    }

    /// Sends a guard plan: per promo, its take-outs in one batched delete, then its raises in
    /// one batched update ([`delete`](Self::delete), [`update`](Self::update)): the fewest
    /// requests, each of up to 500 offers, through each operation's own limiter when the
    /// client has one (as [`super::MarketClient::from_env`] sets up), so each operation stays
    /// within its budget. Promos are sent one after another.
    ///
    /// Market may still refuse some offers: they are in the outcome with the reason.
    ///
    /// ```no_run
    /// # async fn demo(market: yandex_promo::market::MarketClient, plan: yandex_promo::market::GuardPlan) -> Result<(), Box<dyn std::error::Error>> {
    /// let promos = market.promos();
    /// let outcome = match promos.apply_guard(&plan).await {
    ///     Ok(outcome) => outcome,
    ///     // Send the rest, and nothing that was applied, once the cause is gone.
    ///     Err(stopped) => promos.apply_guard(&stopped.remaining).await?,
    /// };
    /// for promo in &outcome.promos {
    ///     println!("{}: {} raised, {} taken out", promo.promo_id, promo.updated.applied.len(), promo.deleted.removed.len());
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// A [`GuardError`] at the first failure, at once ("Promo has ended" included, its hint
    /// naming the promo): the promo it stopped at, what was sent before, and the plan of
    /// what is left, which [`apply_guard`](Self::apply_guard) takes as it is. The failed
    /// request's offers are in it: the request may or may not have been applied, and sending
    /// it again is safe.
    pub async fn apply_guard(&self, plan: &GuardPlan) -> Result<GuardOutcome, GuardError> {
        let mut outcome = GuardOutcome::default();
        for (index, promo) in plan.promos.iter().enumerate() {
            let id = promo.promo_id.as_str();
            let mut done = PromoGuardOutcome {
                promo_id: promo.promo_id.clone(),
                updated: UpdateOutcome::default(),
                deleted: DeleteOutcome::default(),
            };
            let later = || plan.promos[index + 1..].iter().cloned();
            if !promo.take_out.is_empty() {
                let ids = promo.take_out.iter().map(|t| t.offer_id.clone());
                match self.delete(id, ids).await {
                    Ok(deleted) => done.deleted = deleted,
                    Err(stopped) => {
                        let unsent: HashSet<&str> =
                            stopped.unsent.iter().map(|s| s.as_str()).collect();
                        let left = PromoGuard {
                            take_out: promo
                                .take_out
                                .iter()
                                .filter(|t| unsent.contains(t.offer_id.trim()))
                                .cloned()
                                .collect(),
                            ..promo.clone()
                        };
                        let remaining = std::iter::once(left).chain(later()).collect();
                        done.deleted = stopped.outcome;
                        return Err(outcome.stopped(done, stopped.error, remaining));
                    }
                }
            }
            if !promo.raise.is_empty() {
                let updates = promo.raise.iter().map(|r| r.update.clone());
                match self.update(id, updates).await {
                    Ok(updated) => done.updated = updated,
                    Err(stopped) => {
                        let unsent: HashSet<&str> =
                            stopped.unsent.iter().map(|u| u.offer_id.as_str()).collect();
                        let left = PromoGuard {
                            raise: promo
                                .raise
                                .iter()
                                .filter(|r| unsent.contains(r.update.offer_id.trim()))
                                .cloned()
                                .collect(),
                            take_out: Vec::new(),
                            ..promo.clone()
                        };
                        let remaining = std::iter::once(left).chain(later()).collect();
                        done.updated = stopped.outcome;
                        return Err(outcome.stopped(done, stopped.error, remaining));
                    }
                }
            }
            outcome.add(done);
        }
        Ok(outcome)
    }
}

/// What applying a [`GuardPlan`] did.
///
/// ```no_run
/// # async fn demo(market: yandex_promo::market::MarketClient, plan: yandex_promo::market::GuardPlan) -> Result<(), Box<dyn std::error::Error>> {
/// let outcome = market.promos().apply_guard(&plan).await?;
/// println!("{} promos, {} requests", outcome.promos.len(), outcome.requests);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct GuardOutcome {
    /// Per promo of the plan, in its order, what was sent (up to the promo it stopped at,
    /// which is here too when some of it was sent).
    pub promos: Vec<PromoGuardOutcome>,
    /// The requests sent, over every promo and operation.
    pub requests: usize,
}

impl GuardOutcome {
    /// Adds one promo's outcome.
    fn add(&mut self, done: PromoGuardOutcome) {
        self.requests += done.updated.requests + done.deleted.requests;
        self.promos.push(done);
    }

    /// The error of an apply that stopped at `done`'s promo, with `remaining` still to send.
    fn stopped(
        mut self,
        done: PromoGuardOutcome,
        error: Error,
        remaining: Vec<PromoGuard>,
    ) -> GuardError {
        let promo_id = done.promo_id.clone();
        if done.updated.requests + done.deleted.requests > 0 {
            self.add(done);
        }
        GuardError {
            error,
            promo_id,
            outcome: self,
            remaining: GuardPlan {
                promos: remaining,
                ..GuardPlan::default()
            },
        }
    }
}

/// What applying a [`GuardPlan`] did in one promo.
///
/// ```no_run
/// # fn demo(outcome: yandex_promo::market::GuardOutcome) {
/// for promo in &outcome.promos {
///     for refused in &promo.updated.rejected {
///         println!("{}: Market refused to raise {}: {}", promo.promo_id, refused.offer_id, refused.reason);
///     }
///     for refused in &promo.deleted.rejected {
///         println!("{}: Market kept {} in: {}", promo.promo_id, refused.offer_id, refused.reason);
///     }
/// }
/// # }
/// ```
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct PromoGuardOutcome {
    /// The promo.
    pub promo_id: String,
    /// The raises.
    pub updated: UpdateOutcome,
    /// The take-outs.
    pub deleted: DeleteOutcome,
}

/// Applying a guard plan stopped part-way: [`GuardError::outcome`] was sent;
/// [`GuardError::remaining`] is what is left, to pass to [`PromoManager::apply_guard`] once
/// the cause is gone, which sends nothing that succeeded.
///
/// ```no_run
/// # async fn demo(market: yandex_promo::market::MarketClient, plan: yandex_promo::market::GuardPlan) -> Result<(), Box<dyn std::error::Error>> {
/// use yandex_promo::ApiErrorKind;
/// let promos = market.promos();
/// if let Err(stopped) = promos.apply_guard(&plan).await {
///     eprintln!("stopped at {}: {}", stopped.promo_id, stopped.error);
///     let mut rest = stopped.remaining;
///     if stopped.error.api_kind() == Some(ApiErrorKind::PromoEnded) {
///         rest.promos.retain(|p| p.promo_id != stopped.promo_id); // nothing sells there now
///     }
///     promos.apply_guard(&rest).await?; // the rest, nothing twice
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, thiserror::Error)]
#[error("the guard stopped at promo {promo_id} after {} requests", outcome.requests)]
#[non_exhaustive]
pub struct GuardError {
    /// Why (after the retry policy gave up).
    #[source]
    pub error: Error,
    /// The promo whose request failed.
    pub promo_id: String,
    /// What was sent before the failure.
    pub outcome: GuardOutcome,
    /// What is left: the failed request's offers and every later one, of this promo and the
    /// ones after it. Only its `promos` are set (the counts of the first plan are not).
    pub remaining: GuardPlan,
}

impl From<GuardError> for Error {
    /// The error that stopped the apply, without what was done before it.
    fn from(error: GuardError) -> Self {
        error.error
    }
}
