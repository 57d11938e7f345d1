//! Faults and unknown routes answer in each API's own envelope, and random faults follow
//! their rate, their kinds and their seed.
use yandex_promo_sandbox::{Failure, Faults, RunningSandbox};

use crate::support::{conforms, get, go, market, sandbox};

#[tokio::test]
async fn faults_and_unknown_routes_answer_in_each_apis_own_envelope() {
    let sandbox = sandbox(1).await;
    for (failure, status) in [(Failure::Status500, 500), (Failure::Status503, 503)] {
        sandbox.handle().set_faults(Faults {
            fail_next: 2,
            failure,
            ..Faults::default()
        });
        let (market_status, market) = market(&sandbox, "POST", "/v2/businesses/7/promos").await;
        assert_eq!(market_status, status);
        assert_eq!(market["status"], "ERROR", "{market}");
        assert!(market["errors"][0]["code"].is_string(), "{market}");
        let (go_status, go_body) = get(&sandbox, "/promocodes/orders/list?limit=1").await;
        assert_eq!(go_status, status);
        assert!(
            go_body["message"].is_string() && go_body.get("status").is_none(),
            "{go_body}"
        );
    }
    let (status, body) = get(&sandbox, "/no/such/route").await;
    assert_eq!((status, body["code"].as_str()), (404, Some("NOT_FOUND")));
    let (status, body) = get(&sandbox, "/promocodes/orders/create").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (405, Some("METHOD_NOT_ALLOWED"))
    );
    let (status, body) = market(&sandbox, "GET", "/v2/businesses/7/promos").await;
    assert_eq!(status, 405);
    assert_eq!(body["errors"][0]["code"], "METHOD_NOT_ALLOWED");
    let (status, body) = market(&sandbox, "POST", "/v2/businesses/7/nothing").await;
    assert_eq!((status, body["status"].as_str()), (404, Some("ERROR")));
    assert_eq!(
        conforms(&sandbox),
        8,
        "every answer is checked against its error schema"
    );
}

/// The status of `count` plain list requests sent one after another.
async fn statuses(sandbox: &RunningSandbox, count: usize) -> Vec<u16> {
    let mut statuses = Vec::with_capacity(count);
    for _ in 0..count {
        let (status, _) = go(sandbox, "GET", "/promocodes/orders/list?limit=1", None).await;
        statuses.push(status);
    }
    statuses
}

#[tokio::test]
async fn random_failures_follow_the_rate_the_kinds_and_the_seed() {
    let sandbox = sandbox(4).await;
    let plan = Faults {
        failure_rate: 0.25,
        random_failures: vec![Failure::Status503, Failure::Status500],
        seed: 7,
        ..Faults::default()
    };
    sandbox.handle().set_faults(plan.clone());
    let first = statuses(&sandbox, 400).await;
    let failed = first.iter().filter(|s| **s != 200).count();
    assert!((60..=140).contains(&failed), "{failed} of 400 failed");
    assert!(first.contains(&503) && first.contains(&500), "{first:?}");
    assert!(first.iter().all(|s| [200, 500, 503].contains(s)));

    sandbox.handle().set_faults(plan);
    let again = statuses(&sandbox, 400).await;
    assert_eq!(first, again, "the same seed gives the same faults");
    conforms(&sandbox);
}

#[tokio::test]
async fn counted_failures_start_after_the_requests_that_pass() {
    let sandbox = sandbox(1).await;
    sandbox.handle().set_faults(Faults {
        fail_after: 2,
        fail_next: 2,
        failure: Failure::Status503,
        ..Faults::default()
    });
    assert_eq!(statuses(&sandbox, 5).await, [200, 200, 503, 503, 200]);
}
