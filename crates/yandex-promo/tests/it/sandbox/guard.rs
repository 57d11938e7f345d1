//! The margin guard against the sandbox, whose promos hold offers Market added itself below
//! the demo floors: found in three promos, applied in the fewest requests, a second run
//! plans nothing, a failure resumes without resending, an ended promo stops it at once.
use std::{
    collections::{BTreeMap, BTreeSet},
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
};

use serde_json::Value;
use yandex_promo::{
    ApiErrorKind, Attempt, Observer, RetryPolicy,
    market::{Floors, GuardPlan, OfferStatus, RejectReason, SkipReason, TakeOutReason},
};
use yandex_promo_sandbox::{Faults, RunningSandbox, SandboxConfig, SandboxHandle};

use crate::support::{assert_conforms, sandbox, sandbox_market as market};

/// The sandbox's demo floors.
fn demo_floors(sandbox: &RunningSandbox) -> Floors {
    Floors::new(sandbox.handle().demo_floors()).expect("the demo floors are valid")
}

/// Per (operation, promo), the offer ids of the update and delete requests the sandbox
/// logged with `status` (0: any), from `from_sequence` on.
fn sent(
    handle: &SandboxHandle,
    from_sequence: u64,
    status: u16,
) -> BTreeMap<(String, String), Vec<String>> {
    let mut sent: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for request in handle.requests() {
        let operation = match request.path.rsplit('/').next() {
            Some(op @ ("update" | "delete")) if request.path.contains("/promos/offers/") => op,
            _ => continue,
        };
        if request.sequence < from_sequence || (status != 0 && request.status != status) {
            continue;
        }
        let body: Value =
            serde_json::from_str(request.request_body.as_deref().expect("a logged body"))
                .expect("JSON");
        let promo = body["promoId"].as_str().expect("a promo").to_owned();
        let ids: Vec<String> = match operation {
            "update" => body["offers"]
                .as_array()
                .expect("offers")
                .iter()
                .map(|o| o["offerId"].as_str().expect("an id").to_owned())
                .collect(),
            _ => body["offerIds"]
                .as_array()
                .expect("offerIds")
                .iter()
                .map(|id| id.as_str().expect("an id").to_owned())
                .collect(),
        };
        sent.entry((operation.to_owned(), promo))
            .or_default()
            .extend(ids);
    }
    sent
}

/// How many update and delete requests the sandbox logged.
fn offer_writes(handle: &SandboxHandle) -> usize {
    handle
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/offers/update") || r.path.ends_with("/offers/delete"))
        .count()
}

#[tokio::test]
async fn guard_finds_auto_added_offers_below_floor_in_three_promos() {
    let sandbox = sandbox(SandboxConfig::default()).await;
    let plan = market(&sandbox)
        .promos()
        .guard(&demo_floors(&sandbox))
        .await
        .expect("a plan");
    let promos: Vec<&str> = plan.promos.iter().map(|p| p.promo_id.as_str()).collect();
    assert_eq!(
        promos,
        ["sb_direct_now", "sb_flash_soon", "sb_bestsellers_next"]
    );
    for promo in &plan.promos {
        let market_added = promo
            .take_out
            .iter()
            .filter(|t| matches!(t.status, OfferStatus::Auto | OfferStatus::PartiallyAuto))
            .inspect(|t| {
                assert_eq!(t.why, TakeOutReason::AddedByMarket);
                assert!(t.price_in_promo < t.floor, "{t:?}");
            })
            .count();
        assert!(market_added >= 1, "{}: {promo:?}", promo.promo_id);
    }
    let direct = &plan.promos[0];
    let two = direct
        .take_out
        .iter()
        .find(|t| t.offer_id == "SKU-0002")
        .expect("offer 2, its floor over its cap");
    assert_eq!(
        two.why,
        TakeOutReason::RaiseRefused(RejectReason::MaxPromoPriceExceeded)
    );
    let raised: Vec<(&str, &str)> = plan
        .promos
        .iter()
        .flat_map(|p| {
            p.raise
                .iter()
                .map(|r| (p.promo_id.as_str(), r.update.offer_id.as_str()))
        })
        .collect();
    assert_eq!(
        raised,
        [
            ("sb_direct_now", "SKU-0021"),
            ("sb_direct_now", "SKU-0051"),
            ("sb_flash_soon", "SKU-0051"),
            ("sb_bestsellers_next", "SKU-0051"),
            ("sb_bestsellers_next", "SKU-0081"),
        ]
    );
    for raise in plan.promos.iter().flat_map(|p| &p.raise) {
        assert_eq!(raise.update.promo_price, raise.floor);
    }
    // The Bestsellers promo's renewed offers are Market's too.
    assert!(
        plan.promos[2]
            .take_out
            .iter()
            .any(|t| t.status == OfferStatus::Renewed)
    );
    let skipped: Vec<(&str, SkipReason)> = plan
        .skipped
        .iter()
        .map(|s| (s.promo_id.as_str(), s.why))
        .collect();
    assert_eq!(skipped, [("sb_promocode_now", SkipReason::PromoCode)]);
    assert!(plan.without_floor > 0 && plan.within_floor > 0, "{plan}");
    assert_eq!(plan.unpriced, 0);
    assert_eq!(offer_writes(sandbox.handle()), 0, "planning sends nothing");
    assert_conforms(&sandbox);
}

#[tokio::test]
async fn apply_sends_one_request_per_promo_and_operation_then_a_second_run_plans_nothing() {
    let sandbox = sandbox(SandboxConfig::default()).await;
    let promos = market(&sandbox).promos();
    let floors = demo_floors(&sandbox);
    let plan = promos.guard(&floors).await.expect("a plan");
    let requests = plan.requests();
    assert_eq!((requests.updates, requests.deletes), (3, 3));
    let before = sandbox.handle().requests().len() as u64;
    let outcome = promos.apply_guard(&plan).await.expect("applied");
    assert_eq!(outcome.requests, 6);
    let sent = sent(sandbox.handle(), before + 1, 200);
    let mut expected = BTreeMap::new();
    for promo in &plan.promos {
        let take_out: Vec<String> = promo.take_out.iter().map(|t| t.offer_id.clone()).collect();
        let raise: Vec<String> = promo
            .raise
            .iter()
            .map(|r| r.update.offer_id.clone())
            .collect();
        expected.insert(("delete".to_owned(), promo.promo_id.clone()), take_out);
        expected.insert(("update".to_owned(), promo.promo_id.clone()), raise);
    }
    assert_eq!(sent, expected, "every offer of the plan, once");
    assert_eq!(
        offer_writes(sandbox.handle()),
        6,
        "one request per promo and operation"
    );
    for (promo, done) in plan.promos.iter().zip(&outcome.promos) {
        assert_eq!(done.promo_id, promo.promo_id);
        assert_eq!(done.deleted.removed.len(), promo.take_out.len());
        assert_eq!(done.updated.applied.len(), promo.raise.len());
        assert!(done.updated.rejected.is_empty() && done.deleted.rejected.is_empty());
    }

    let again = promos.guard(&floors).await.expect("a plan");
    assert!(again.is_empty(), "{again}");
    assert_eq!(
        again.within_floor,
        plan.within_floor + 5,
        "the five raised offers are at their floor now"
    );
    assert_eq!(
        offer_writes(sandbox.handle()),
        6,
        "the second run sent nothing"
    );
    assert_conforms(&sandbox);
}

#[tokio::test]
async fn six_hundred_take_outs_go_in_two_balanced_requests() {
    let sandbox = sandbox(SandboxConfig::default()).await;
    sandbox.handle().seed_offers("sb_direct_now", 3360);
    let promos = market(&sandbox).promos();
    let plan = promos.guard(&demo_floors(&sandbox)).await.expect("a plan");
    let direct = &plan.promos[0];
    assert_eq!(direct.promo_id, "sb_direct_now");
    assert_eq!(direct.take_out.len(), 600);
    let before = sandbox.handle().requests().len() as u64;
    let outcome = promos.apply_guard(&plan).await.expect("applied");
    assert_eq!(outcome.promos[0].deleted.requests, 2);
    assert_eq!(outcome.promos[0].deleted.removed.len(), 600);
    let sizes: Vec<usize> = sandbox
        .handle()
        .requests()
        .iter()
        .filter(|r| r.sequence > before && r.path.ends_with("/offers/delete"))
        .filter(|r| {
            r.request_body
                .as_deref()
                .is_some_and(|b| b.contains("sb_direct_now"))
        })
        .map(|r| {
            let body: Value =
                serde_json::from_str(r.request_body.as_deref().unwrap_or("{}")).expect("JSON");
            body["offerIds"].as_array().map_or(0, Vec::len)
        })
        .collect();
    assert_eq!(sizes, [300, 300]);
    let again = promos.guard(&demo_floors(&sandbox)).await.expect("a plan");
    assert!(again.is_empty(), "{again}");
}

/// Arms `fail_next: 1` once `after` update and delete attempts have ended: the next write
/// fails with a 500.
#[derive(Debug)]
struct FailAfter {
    handle: SandboxHandle,
    after: usize,
    seen: AtomicUsize,
}

impl Observer for FailAfter {
    fn attempt(&self, attempt: &Attempt<'_>) {
        if !matches!(
            attempt.operation.id,
            "updatePromoOffers" | "deletePromoOffers"
        ) {
            return;
        }
        if self.seen.fetch_add(1, Ordering::SeqCst) + 1 == self.after {
            self.handle.set_faults(Faults {
                fail_next: 1,
                ..Faults::default()
            });
        }
    }
}

#[tokio::test]
async fn a_failure_part_way_resumes_without_resending() {
    for replan in [false, true] {
        let sandbox = sandbox(SandboxConfig::default()).await;
        let floors = demo_floors(&sandbox);
        let plan = market(&sandbox)
            .promos()
            .guard(&floors)
            .await
            .expect("a plan");
        // The first promo's delete and update pass; the second promo's delete fails.
        let observer = Arc::new(FailAfter {
            handle: sandbox.handle().clone(),
            after: 2,
            seen: AtomicUsize::new(0),
        });
        let failing = crate::support::sandbox_market_builder(&sandbox, RetryPolicy::disabled())
            .observer(observer)
            .build()
            .expect("client");
        let first = sandbox.handle().requests().len() as u64 + 1;
        let stopped = failing
            .promos()
            .apply_guard(&plan)
            .await
            .expect_err("the second delete fails");
        assert_eq!(stopped.promo_id, "sb_flash_soon");
        assert_eq!(stopped.error.status(), Some(500));
        assert_eq!(stopped.outcome.requests, 2);
        assert_eq!(
            stopped.outcome.promos.len(),
            1,
            "only the first promo was sent"
        );
        let left: Vec<&str> = stopped
            .remaining
            .promos
            .iter()
            .map(|p| p.promo_id.as_str())
            .collect();
        assert_eq!(left, ["sb_flash_soon", "sb_bestsellers_next"]);
        assert_eq!(
            stopped.remaining.promos[0], plan.promos[1],
            "nothing of it was sent"
        );
        assert_eq!(stopped.remaining.requests().deletes, 2);
        let applied = sent(sandbox.handle(), first, 200);
        let second = sandbox.handle().requests().len() as u64 + 1;

        let promos = market(&sandbox).promos();
        let outcome = if replan {
            let again = promos.guard(&floors).await.expect("a plan");
            assert_eq!(
                again.promos, stopped.remaining.promos,
                "Market shows what was applied"
            );
            promos.apply_guard(&again).await.expect("the rest")
        } else {
            promos
                .apply_guard(&stopped.remaining)
                .await
                .expect("the rest")
        };
        assert_eq!(outcome.requests, 4);
        let resent = sent(sandbox.handle(), second, 0);
        for (key, ids) in &applied {
            let again: BTreeSet<&String> = resent.get(key).into_iter().flatten().collect();
            assert!(
                ids.iter().all(|id| !again.contains(id)),
                "{key:?} sent again: {again:?}"
            );
        }
        assert!(
            promos.guard(&floors).await.expect("a plan").is_empty(),
            "replan: {replan}"
        );
    }
}

#[tokio::test]
async fn an_ended_promo_stops_the_apply_at_once_naming_it() {
    let sandbox = sandbox(SandboxConfig::default()).await;
    let promos = market(&sandbox).promos();
    let plan: GuardPlan = promos.guard(&demo_floors(&sandbox)).await.expect("a plan");
    assert!(sandbox.handle().end_promo("sb_flash_soon"));
    let stopped = promos
        .apply_guard(&plan)
        .await
        .expect_err("the promo ended");
    assert_eq!(stopped.promo_id, "sb_flash_soon");
    assert_eq!(stopped.error.api_kind(), Some(ApiErrorKind::PromoEnded));
    assert!(
        stopped
            .error
            .to_string()
            .contains("promo \"sb_flash_soon\" has ended"),
        "{}",
        stopped.error
    );
    assert_eq!(stopped.outcome.requests, 2, "the first promo was sent");
    let written: Vec<(String, String)> = sent(sandbox.handle(), 0, 0).into_keys().collect();
    assert_eq!(
        written,
        [
            ("delete".to_owned(), "sb_direct_now".to_owned()),
            ("delete".to_owned(), "sb_flash_soon".to_owned()),
            ("update".to_owned(), "sb_direct_now".to_owned()),
        ],
        "nothing after the ended promo's delete"
    );
    assert_eq!(offer_writes(sandbox.handle()), 3);
    // The ended promo is skipped by the next plan; the later one is still to do.
    let again = promos.guard(&demo_floors(&sandbox)).await.expect("a plan");
    let left: Vec<&str> = again.promos.iter().map(|p| p.promo_id.as_str()).collect();
    assert_eq!(left, ["sb_bestsellers_next"]);
    let error = yandex_promo::Error::from(stopped);
    assert_eq!(error.api_kind(), Some(ApiErrorKind::PromoEnded));
    assert_conforms(&sandbox);
}
