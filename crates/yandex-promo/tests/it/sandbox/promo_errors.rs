//! Market's promo errors through the client against the sandbox, which answers them as the
//! docs' catalogue words them: the single-offer throttle waited out, or surfaced with the
//! advice to batch; balanced batches that never send one offer alone; "Promo has ended"
//! stopping a sync; the deprecated-method 403; and `statusType`, never sent.
use std::{sync::Arc, time::Duration};

use yandex_promo::{
    ApiErrorKind, AttemptOutcome, CountingObserver, Error, ErrorCode, RetryPolicy,
    market::{OfferUpdate, StatusFilter},
};
use yandex_promo_sandbox::{Failure, RunningSandbox, SandboxConfig};

use crate::support::{
    all_offers, assert_conforms, sandbox, sandbox_market as market, sandbox_market_builder,
    unrecorded_sandbox, valid_update,
};

const PROMO: &str = "sb_direct_now";

/// `n` valid single-offer updates, each for another offer of the promo.
async fn single_updates(sandbox: &RunningSandbox, n: usize) -> Vec<OfferUpdate> {
    let offers = all_offers(&market(sandbox), PROMO, 500).await;
    offers.iter().take(n).map(valid_update).collect()
}

#[tokio::test]
async fn the_throttle_is_waited_out() {
    let sandbox = sandbox(SandboxConfig {
        market_single_offer_limit: Some((1, Duration::from_millis(300))),
        ..SandboxConfig::default()
    })
    .await;
    let updates = single_updates(&sandbox, 2).await;
    let counts = Arc::new(CountingObserver::default());
    let retry = RetryPolicy::standard().with_single_offer_wait(Duration::from_millis(400));
    let client = sandbox_market_builder(&sandbox, retry)
        .observer(counts.clone())
        .build()
        .expect("client");
    for update in updates {
        let outcome = client
            .promos()
            .update(PROMO, [update])
            .await
            .expect("the second update waits the throttle out");
        assert_eq!(outcome.applied.len(), 1);
    }
    let counted: Vec<_> = counts
        .snapshot()
        .into_iter()
        .filter(|(key, _)| key.operation == "updatePromoOffers")
        .map(|(key, n)| (key.outcome, key.retried, n))
        .collect();
    assert_eq!(
        counted,
        [
            (AttemptOutcome::Status(200), false, 2),
            (AttemptOutcome::Status(400), true, 1)
        ],
        "one throttled attempt, retried once"
    );
    assert_conforms(&sandbox);
}

#[tokio::test]
async fn a_persistent_throttle_surfaces_with_batching_advice() {
    let sandbox = sandbox(SandboxConfig {
        market_single_offer_limit: Some((1, Duration::from_secs(60))),
        ..SandboxConfig::default()
    })
    .await;
    let mut updates = single_updates(&sandbox, 2).await.into_iter();
    let retry = RetryPolicy::standard()
        .with_single_offer_wait(Duration::from_millis(50))
        .with_max_elapsed(Duration::from_millis(200));
    let client = sandbox_market_builder(&sandbox, retry)
        .build()
        .expect("client");
    let promos = client.promos();
    promos
        .update(PROMO, updates.next())
        .await
        .expect("the first one-offer request is within the limit");
    let error = promos
        .update(PROMO, updates.next())
        .await
        .expect_err("the window lasts a minute")
        .error;
    assert_eq!(error.api_kind(), Some(ApiErrorKind::SingleOfferThrottled));
    assert_eq!(error.status(), Some(400));
    let Error::Api(api) = &error else {
        panic!("an API error: {error}")
    };
    let hint = api.hint.as_deref().unwrap_or_default();
    assert!(
        hint.contains("several offers of promo \"sb_direct_now\""),
        "{hint}"
    );
    assert_conforms(&sandbox);
}

#[tokio::test]
async fn an_update_of_501_offers_is_sent_as_251_and_250() {
    // No one-offer request may pass: had the client sent 500 and 1, the second would fail.
    let sandbox = unrecorded_sandbox(SandboxConfig {
        market_single_offer_limit: Some((0, Duration::from_secs(3600))),
        ..SandboxConfig::default()
    })
    .await;
    sandbox.handle().seed_offers(PROMO, 600);
    let market = market(&sandbox);
    let updates: Vec<OfferUpdate> = all_offers(&market, PROMO, 500)
        .await
        .iter()
        .take(501)
        .map(valid_update)
        .collect();
    assert_eq!(updates.len(), 501);
    let outcome = market.promos().update(PROMO, updates).await.expect("sent");
    assert_eq!(outcome.requests, 2);
    assert_eq!(outcome.applied.len() + outcome.rejected.len(), 501);
    let updates: Vec<u16> = sandbox
        .handle()
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/promos/offers/update"))
        .map(|r| r.status)
        .collect();
    assert_eq!(updates, [200, 200], "two requests, neither throttled");

    // The same for a delete of 501.
    let ids: Vec<String> = all_offers(&market, PROMO, 500)
        .await
        .into_iter()
        .take(501)
        .map(|o| o.offer_id)
        .collect();
    let outcome = market.promos().delete(PROMO, ids).await.expect("sent");
    assert_eq!(outcome.requests, 2);
}

#[tokio::test]
async fn the_client_never_sends_status_type() {
    // From 2026-10-12 the sandbox refuses a request that carries it.
    let switched_off = chrono::NaiveDate::from_ymd_opt(2026, 10, 12).expect("a date");
    let sandbox = sandbox(SandboxConfig {
        today: Some(switched_off),
        ..SandboxConfig::default()
    })
    .await;
    let market = market(&sandbox);
    for statuses in [
        vec![],
        vec![StatusFilter::ManuallyAdded],
        vec![StatusFilter::NotManuallyAdded],
        vec![StatusFilter::ManuallyAdded, StatusFilter::NotManuallyAdded],
    ] {
        market
            .promos()
            .offers(PROMO)
            .statuses(statuses.clone())
            .send()
            .await
            .unwrap_or_else(|e| panic!("{statuses:?}: {e}"));
    }
    assert_conforms(&sandbox);

    // And on the wire: no request body names it.
    let server = crate::support::serve(200, r#"{"status": "OK", "result": {"offers": []}}"#).await;
    crate::support::market_client(&server)
        .promos()
        .offers(PROMO)
        .statuses([StatusFilter::ManuallyAdded])
        .send()
        .await
        .expect("a page");
    for request in server.received_requests().await.expect("recording is on") {
        let body: serde_json::Value = serde_json::from_slice(&request.body).expect("JSON");
        assert!(body.get("statusType").is_none(), "{body}");
        assert_eq!(body["statuses"], serde_json::json!(["MANUALLY_ADDED"]));
    }
}

#[tokio::test]
async fn the_deprecated_method_fault_is_its_own_kind() {
    for typed in [false, true] {
        let sandbox = sandbox(SandboxConfig {
            market_typed_errors: typed,
            ..SandboxConfig::default()
        })
        .await;
        crate::support::fail_next(&sandbox, 1, Failure::Deprecated403);
        // The standard policy: a 403 is final all the same.
        let client = sandbox_market_builder(&sandbox, RetryPolicy::standard())
            .build()
            .expect("client");
        let error = client.promos().list().send().await.expect_err("403");
        assert_eq!(
            error.api_kind(),
            Some(ApiErrorKind::MethodDeprecated),
            "{typed}"
        );
        assert_eq!(error.status(), Some(403));
        let code = if typed {
            ErrorCode::NoAccessByDeprecationPolicy
        } else {
            ErrorCode::Forbidden
        };
        assert_eq!(error.code(), Some(&code));
        assert!(error.to_string().contains("stop using it"), "{error}");
        assert_eq!(sandbox.handle().requests().len(), 1, "not retried");
        client
            .promos()
            .list()
            .send()
            .await
            .expect("the next call passes");
        assert_conforms(&sandbox);
    }
}

#[tokio::test]
async fn a_promo_ended_in_the_sandbox_stops_a_sync_and_an_update_naming_it() {
    for typed in [false, true] {
        let sandbox = sandbox(SandboxConfig {
            market_typed_errors: typed,
            ..SandboxConfig::default()
        })
        .await;
        let updates = single_updates(&sandbox, 3).await;
        assert!(sandbox.handle().end_promo(PROMO));
        let market = market(&sandbox);
        let error = market
            .promos()
            .sync(PROMO, updates.clone())
            .await
            .expect_err("ended");
        assert_eq!(error.api_kind(), Some(ApiErrorKind::PromoEnded), "{typed}");
        assert!(
            error
                .to_string()
                .contains("promo \"sb_direct_now\" has ended"),
            "{error}"
        );
        let error = market
            .promos()
            .update(PROMO, updates)
            .await
            .expect_err("ended");
        assert_eq!(error.error.api_kind(), Some(ApiErrorKind::PromoEnded));
        assert_eq!((error.batches_sent, error.unsent.len()), (0, 3));
        assert_conforms(&sandbox);
    }
}
