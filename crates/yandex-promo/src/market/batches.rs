//! `updatePromoOffers` and `deletePromoOffers` for any number of offers: split into requests
//! of at most [`MAX_BATCH`], sent one after another (each through the client-side limiter
//! when one is set), and merged into one outcome.
//!
//! The requests are as few as [`MAX_BATCH`] allows and as even as possible (501 offers go as
//! 251 and 250, not 500 and 1): Market throttles requests that carry a single offer id for a
//! promo, so a call never sends a one-offer request while more offers of its promo wait.
//!
//! Both operations are safe to repeat (see [`crate::RetryPolicy`]'s module): an update sets
//! prices, so sending it twice leaves the same state; a delete of an offer already out of the
//! promo changes nothing. A batch that failed may or may not have been applied; sending it
//! again is the way to find out.
use std::{collections::HashSet, future::Future};

use yandex_promo_raw::market::types::{
    RejectedPromoOfferDeleteDto, RejectedPromoOfferUpdateDto, WarningPromoOfferUpdateDto,
};

use super::OfferUpdate;
use crate::Error;

/// The most offers one `updatePromoOffers` or `deletePromoOffers` request may carry.
pub const MAX_BATCH: usize = 500;

/// An offer Market refused to put in the promo, and why.
pub type RejectedOffer = RejectedPromoOfferUpdateDto;
/// An offer Market refused to take out of the promo, and why.
pub type RejectedDelete = RejectedPromoOfferDeleteDto;
/// An offer that was put in the promo with warnings (where the promo price may not show).
pub type WarnedOffer = WarningPromoOfferUpdateDto;

/// What an update did, over every batch.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct UpdateOutcome {
    /// The offers Market accepted, warned ones included, in the order they were sent.
    pub applied: Vec<String>,
    /// The offers Market refused, with the reason; they were not changed.
    pub rejected: Vec<RejectedOffer>,
    /// The accepted offers that came with warnings.
    pub warned: Vec<WarnedOffer>,
    /// The requests sent.
    pub requests: usize,
}

/// What a delete did, over every batch.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct DeleteOutcome {
    /// The offers taken out of the promo (or already out of it), in the order sent.
    pub removed: Vec<String>,
    /// The offers Market refused to take out, with the reason.
    pub rejected: Vec<RejectedDelete>,
    /// The requests sent.
    pub requests: usize,
}

/// A batched update or delete stopped part-way. The batches before the failed one were
/// applied and are in `outcome`; send `unsent` to continue without sending them again.
#[derive(Debug, thiserror::Error)]
#[error("stopped after {batches_sent} of {batches} requests; {} offers unsent", unsent.len())]
#[non_exhaustive]
pub struct BatchError<O, T> {
    /// Why the batch failed (after the retry policy gave up), or why nothing was sent.
    #[source]
    pub error: Error,
    /// The merged outcome of the batches that were applied.
    pub outcome: O,
    /// How many requests succeeded.
    pub batches_sent: usize,
    /// How many requests the whole call needed.
    pub batches: usize,
    /// The offers of the failed batch and of every later one, in order. The failed batch may
    /// have been applied; sending it again is safe.
    pub unsent: Vec<T>,
}

impl<O, T> From<BatchError<O, T>> for Error {
    /// The error that stopped the call, without what was done before it.
    fn from(error: BatchError<O, T>) -> Self {
        error.error
    }
}

/// The failure of [`super::PromoManager::update`].
pub type UpdateError = BatchError<UpdateOutcome, OfferUpdate>;
/// The failure of [`super::PromoManager::delete`].
pub type DeleteError = BatchError<DeleteOutcome, String>;

/// Folds one answered batch into an outcome.
pub(crate) trait Outcome: Default {
    /// What one request returns.
    type Answer;
    /// The item of a batch.
    type Item;
    fn merge(&mut self, sent: &[Self::Item], answer: Self::Answer);
}

impl Outcome for UpdateOutcome {
    type Answer = (Vec<RejectedOffer>, Vec<WarnedOffer>);
    type Item = OfferUpdate;

    fn merge(&mut self, sent: &[OfferUpdate], (rejected, warned): Self::Answer) {
        let refused = refused_ids(rejected.iter().map(|r| r.offer_id.as_str()));
        self.applied.extend(
            sent.iter()
                .filter(|o| !refused.contains(o.offer_id.as_str()))
                .map(|o| o.offer_id.clone()),
        );
        self.rejected.extend(rejected);
        self.warned.extend(warned);
        self.requests += 1;
    }
}

impl Outcome for DeleteOutcome {
    type Answer = Vec<RejectedDelete>;
    type Item = String;

    fn merge(&mut self, sent: &[String], rejected: Self::Answer) {
        let refused = refused_ids(rejected.iter().map(|r| r.offer_id.as_str()));
        self.removed.extend(
            sent.iter()
                .filter(|id| !refused.contains(id.as_str()))
                .cloned(),
        );
        self.rejected.extend(rejected);
        self.requests += 1;
    }
}

/// The ids Market refused, trimmed as Market trims an SKU, to compare with the sent ids (which
/// `update` and `delete` trimmed before sending).
fn refused_ids<'a>(ids: impl Iterator<Item = &'a str>) -> HashSet<&'a str> {
    ids.map(str::trim).collect()
}

/// The sizes of the requests that carry `n` items: as few as [`MAX_BATCH`] allows
/// (⌈n/500⌉), differing by at most one, so none carries a single item unless `n` is 1.
pub(crate) fn batch_sizes(n: usize) -> impl Iterator<Item = usize> {
    let batches = n.div_ceil(MAX_BATCH);
    let (base, larger) = n
        .checked_div(batches)
        .map_or((0, 0), |base| (base, n % batches));
    (0..batches).map(move |index| base + usize::from(index < larger))
}

/// Sends `items` in balanced batches of at most [`MAX_BATCH`] (see [`batch_sizes`]), one
/// after another, merging the answers.
pub(crate) async fn in_batches<O, F, Fut>(
    items: Vec<O::Item>,
    mut send: F,
) -> Result<O, BatchError<O, O::Item>>
where
    O: Outcome,
    O::Item: Clone,
    F: FnMut(Vec<O::Item>) -> Fut,
    Fut: Future<Output = Result<O::Answer, Error>>,
{
    let batches = items.len().div_ceil(MAX_BATCH);
    let mut outcome = O::default();
    let mut offset = 0;
    for (index, size) in batch_sizes(items.len()).enumerate() {
        let batch = &items[offset..offset + size];
        match send(batch.to_vec()).await {
            Ok(answer) => outcome.merge(batch, answer),
            Err(error) => {
                return Err(BatchError {
                    error,
                    outcome,
                    batches_sent: index,
                    batches,
                    unsent: items[offset..].to_vec(),
                });
            }
        }
        offset += size;
    }
    Ok(outcome)
}

/// A failure before anything was sent (validation): every item is unsent.
pub(crate) fn nothing_sent<O: Default, T>(error: Error, items: Vec<T>) -> BatchError<O, T> {
    BatchError {
        error,
        outcome: O::default(),
        batches_sent: 0,
        batches: items.len().div_ceil(MAX_BATCH),
        unsent: items,
    }
}

#[cfg(test)]
mod tests {
    use yandex_promo_raw::open::RejectedPromoOfferUpdateReasonType as Reason;

    use super::*;

    fn offers(n: usize) -> Vec<OfferUpdate> {
        (0..n)
            .map(|i| OfferUpdate::new(format!("SKU-{i}"), 1000, 500))
            .collect()
    }

    #[test]
    fn batch_sizes_are_balanced_and_never_leave_one_behind() {
        let sizes = |n| batch_sizes(n).collect::<Vec<_>>();
        assert_eq!(sizes(0), [0; 0]);
        assert_eq!(sizes(1), [1]);
        assert_eq!(sizes(2), [2]);
        assert_eq!(sizes(500), [500]);
        assert_eq!(sizes(501), [251, 250]);
        assert_eq!(sizes(1000), [500, 500]);
        assert_eq!(sizes(1001), [334, 334, 333]);
    }

    proptest::proptest! {
        #[test]
        fn balanced_batches_cover_every_item_in_the_fewest_requests(n in 2usize..5000) {
            let sizes: Vec<usize> = batch_sizes(n).collect();
            proptest::prop_assert_eq!(sizes.len(), n.div_ceil(MAX_BATCH));
            proptest::prop_assert_eq!(sizes.iter().sum::<usize>(), n);
            proptest::prop_assert!(sizes.iter().all(|&s| (2..=MAX_BATCH).contains(&s)), "{:?}", sizes);
            let (min, max) = (sizes.iter().min(), sizes.iter().max());
            proptest::prop_assert!(max.zip(min).is_some_and(|(max, min)| max - min <= 1));
        }
    }

    #[tokio::test]
    async fn splits_into_balanced_batches_of_at_most_500_and_accounts_for_every_offer() {
        let mut sizes = Vec::new();
        let outcome: UpdateOutcome = in_batches(offers(2600), |batch: Vec<OfferUpdate>| {
            sizes.push(batch.len());
            let rejected = vec![RejectedOffer {
                offer_id: batch[0].offer_id.clone(),
                reason: Reason::OfferNotEligibleForPromo,
            }];
            async move { Ok((rejected, Vec::new())) }
        })
        .await
        .expect("every batch succeeds");
        assert_eq!(sizes, [434, 434, 433, 433, 433, 433]);
        assert_eq!(outcome.requests, 6);
        assert_eq!(outcome.rejected.len(), 6);
        assert_eq!(outcome.applied.len() + outcome.rejected.len(), 2600);
    }

    #[tokio::test]
    async fn a_failure_reports_what_was_applied_and_what_is_left() {
        let mut calls = 0;
        let error = in_batches::<UpdateOutcome, _, _>(offers(1200), |_| {
            calls += 1;
            let fail = calls == 2;
            async move {
                if fail {
                    Err(Error::Config("boom".into()))
                } else {
                    Ok((Vec::new(), Vec::new()))
                }
            }
        })
        .await
        .expect_err("the second batch fails");
        assert_eq!((error.batches_sent, error.batches), (1, 3));
        assert_eq!(error.outcome.applied.len(), 400);
        assert_eq!(error.unsent.len(), 800);
        assert_eq!(error.unsent[0].offer_id, "SKU-400");
    }
}
