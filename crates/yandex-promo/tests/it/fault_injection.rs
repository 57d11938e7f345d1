//! The fault-injection suite: the client against the sandbox while it drops connections after
//! committing, fails pages (of codes and of promo offers) with 5xx and HTML 502s, spends
//! Market's budget, or never answers.
//! Counts are fixed and faults seeded, so a run is bounded (a few seconds in a debug build).
//! `docs/reliability.md` describes each scenario and how to run it
//! (`cargo test -p yandex-promo --test it fault_injection`).
use std::{
    collections::{BTreeMap, HashSet},
    num::NonZeroU32,
    time::{Duration, Instant},
};

use futures::{StreamExt as _, TryFutureExt as _, TryStreamExt as _, stream};
use yandex_promo::{
    Cursor, Error, Pages, RetryPolicy,
    go::{GoClient, NewOrder},
    market::{MarketAuth, MarketClient, RateLimit},
};
use yandex_promo_sandbox::{Failure, Faults, RunningSandbox, SandboxConfig};

use crate::support::{in_days, sandbox_go_builder, unrecorded_sandbox as sandbox};

const CREATES: usize = 1_000;
const CODES: u32 = 100_000;

/// Many quick attempts: the faults here are frequent by design, and the suite must stay fast.
fn persistent_retries() -> RetryPolicy {
    RetryPolicy::standard()
        .with_max_attempts(12)
        .with_backoff(Duration::from_millis(1), Duration::from_millis(10))
        .with_max_elapsed(Duration::from_secs(30))
}

fn go(sandbox: &RunningSandbox) -> GoClient {
    sandbox_go_builder(sandbox, "fault-suite")
        .retry(persistent_retries())
        .build()
        .expect("client")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_creates_through_dropped_connections_and_503s_make_a_thousand_orders() {
    let sandbox = sandbox(SandboxConfig::default()).await;
    sandbox.handle().set_faults(Faults {
        failure_rate: 0.10,
        random_failures: vec![Failure::Status503],
        drop_after_create_rate: 0.20,
        seed: 1,
        ..Faults::default()
    });
    let orders = go(&sandbox).promocodes().order();
    let returned: BTreeMap<_, _> = stream::iter(0..CREATES)
        .map(|call| {
            // Each call asks for its own value (taxi allows 100..=5000): it marks the order made.
            let value = 100 + i64::try_from(call).expect("small");
            let order = NewOrder::new(value, 5, in_days(30)).name(format!("fault suite {call}"));
            orders
                .create(order)
                .send()
                .map_ok(move |created| (created.order_id, value))
        })
        .buffer_unordered(32)
        .try_collect()
        .await
        .expect("every create returns an order");
    assert_eq!(returned.len(), CREATES, "no two calls returned one order");
    assert_eq!(sandbox.handle().order_count(), CREATES, "no order twice");
    sandbox.handle().set_faults(Faults::default());
    let existing: BTreeMap<_, _> = orders
        .list()
        .page_size(250)
        .stream()
        .map_ok(|order| (order.id, i64::from(order.value)))
        .try_collect()
        .await
        .expect("listed");
    assert_eq!(
        existing, returned,
        "the orders that exist are the ones returned, each to the call that made it"
    );

    let log = sandbox.handle().requests();
    let creates = log.iter().filter(|r| r.path.ends_with("/create"));
    let unavailable = creates.clone().filter(|r| r.status == 503).count();
    let answered = creates.clone().filter(|r| r.status == 200).count();
    assert!(unavailable > 50, "{unavailable} 503s were injected");
    assert!(
        answered > CREATES + 100,
        "{answered} creates committed: the dropped answers were retried"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_thousand_codes_stream_exactly_once_while_pages_fail() {
    let sandbox = sandbox(SandboxConfig::default()).await;
    let order_id = sandbox.handle().seed_order(CODES);
    sandbox.handle().set_faults(Faults {
        failure_rate: 0.05,
        random_failures: vec![Failure::Status500, Failure::Status503, Failure::Html502],
        seed: 2,
        ..Faults::default()
    });
    let codes = go(&sandbox).promocodes().order().code();
    let (seen, duplicates) = every_item_once(
        |resume| {
            let listing = codes.list(&order_id).page_size(100);
            match resume {
                Some(cursor) => listing.resume_from(cursor).pages(),
                None => listing.pages(),
            }
        },
        |code| code.code,
    )
    .await;
    assert_eq!(duplicates, 0);
    assert_eq!(seen.len(), CODES as usize);
    let failures = server_failures(&sandbox);
    assert!(failures > 20, "{failures} page requests failed");
}

/// How many requests the sandbox failed with a 5xx.
fn server_failures(sandbox: &RunningSandbox) -> usize {
    let log = sandbox.handle().requests();
    log.iter().filter(|r| r.status >= 500).count()
}

/// Pages through a listing as a careful consumer does: when retries run out, it resumes from
/// where the stream stopped. Returns the keys seen and how many were seen twice.
async fn every_item_once<T, K>(
    pages_from: impl Fn(Option<Cursor>) -> Pages<T>,
    key: impl Fn(T) -> K,
) -> (HashSet<K>, usize)
where
    T: Send + 'static,
    K: Eq + std::hash::Hash,
{
    let mut seen = HashSet::new();
    let mut duplicates = 0;
    let mut resume: Option<Cursor> = None;
    loop {
        let mut pages = pages_from(resume.take());
        let mut failed = None;
        while let Some(page) = pages.next().await {
            match page {
                Ok(page) => {
                    for item in page.items {
                        duplicates += usize::from(!seen.insert(key(item)));
                    }
                }
                Err(error) => failed = Some(error),
            }
        }
        match failed {
            Some(error) => resume = Some(error.resume_from.expect("a page after the first")),
            None => return (seen, duplicates),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_thousand_promo_offers_stream_exactly_once_while_pages_fail() {
    const OFFERS: usize = 100_000;
    const PROMO: &str = "sb_direct_now";
    let sandbox = sandbox(SandboxConfig::default()).await;
    let total = sandbox.handle().seed_offers(PROMO, OFFERS as u64 - 60);
    assert_eq!(total, Some(OFFERS));
    sandbox.handle().set_faults(Faults {
        failure_rate: 0.05,
        random_failures: vec![Failure::Status500, Failure::Status503, Failure::Html502],
        seed: 4,
        ..Faults::default()
    });
    let promos = market(&sandbox, persistent_retries(), None).promos();
    let (seen, duplicates) = every_item_once(
        |resume| {
            let listing = promos.offers(PROMO).page_size(500);
            match resume {
                Some(cursor) => listing.resume_from(cursor).pages(),
                None => listing.pages(),
            }
        },
        |offer| offer.offer_id,
    )
    .await;
    assert_eq!(duplicates, 0);
    assert_eq!(seen.len(), OFFERS);
    let failures = server_failures(&sandbox);
    assert!(failures >= 5, "{failures} page requests failed");
}

fn market(sandbox: &RunningSandbox, retry: RetryPolicy, limit: Option<RateLimit>) -> MarketClient {
    let mut builder = MarketClient::builder(MarketAuth::api_key("fault-suite"), 7)
        .base_url(sandbox.market_base_url())
        .retry(retry);
    if let Some(limit) = limit {
        builder = builder.rate_limit(limit);
    }
    builder.build().expect("client")
}

#[tokio::test]
async fn market_420s_are_waited_out_or_surfaced_as_configured() {
    let window = Duration::from_secs(2);
    let sandbox = sandbox(SandboxConfig {
        market_budget: 2,
        market_window: window,
        ..SandboxConfig::default()
    })
    .await;
    let patient = market(
        &sandbox,
        RetryPolicy::standard().with_max_rate_limit_wait(Duration::from_secs(5)),
        None,
    );
    let started = Instant::now();
    for _ in 0..3 {
        patient.promos().list().send().await.expect("waited out");
    }
    assert!(started.elapsed() >= Duration::from_millis(500), "it waited");
    let statuses: Vec<_> = sandbox
        .handle()
        .requests()
        .iter()
        .map(|r| r.status)
        .collect();
    assert!(statuses.contains(&420), "{statuses:?}");
    assert_eq!(statuses.last(), Some(&200));

    let impatient = market(
        &sandbox,
        RetryPolicy::standard().with_max_rate_limit_wait(Duration::ZERO),
        None,
    );
    impatient.promos().list().send().await.expect("in budget");
    let error = loop {
        match impatient.promos().list().send().await {
            Ok(_) => continue,
            Err(error) => break error,
        }
    };
    let Error::RateLimited { status, until, .. } = error else {
        panic!("expected RateLimited, got {error:?}");
    };
    assert_eq!(status, 420);
    let until = until.expect("the Until header is parsed");
    let ahead = until - chrono::Utc::now();
    assert!(ahead <= chrono::Duration::from_std(window).expect("small"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_limiter_keeps_a_burst_of_200_within_budget_and_parallelism() {
    let budget = 50;
    let sandbox = sandbox(SandboxConfig {
        market_budget: budget,
        ..SandboxConfig::default()
    })
    .await;
    sandbox.handle().set_faults(Faults {
        latency_ms: 5,
        ..Faults::default()
    });
    let limit = RateLimit::new(
        NonZeroU32::new(budget).expect("non-zero"),
        NonZeroU32::new(3).expect("non-zero"),
    );
    let client = market(&sandbox, RetryPolicy::disabled(), Some(limit));
    let burst: Vec<_> = (0..200)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.promos().list().send().await })
        })
        .collect();
    // The budget admits 50 at once and the next only after 72 s; what was sent meanwhile
    // is what the limiter let through.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let log = sandbox.handle().requests();
    assert_eq!(log.len(), budget as usize, "only the budget was sent");
    assert!(log.iter().all(|r| r.status == 200), "no 420 reached us");
    assert!(sandbox.handle().peak_in_flight() <= 3);
    assert!(
        sandbox.handle().peak_in_flight() >= 2,
        "and it ran in parallel"
    );
    let finished = burst.iter().filter(|task| task.is_finished()).count();
    assert_eq!(finished, budget as usize);
    burst.iter().for_each(tokio::task::JoinHandle::abort);
}

#[tokio::test]
async fn a_server_that_never_answers_costs_the_timeout_per_attempt() {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .expect("bound");
    let addr = listener.local_addr().expect("address");
    let accepted = tokio::spawn(async move {
        let mut held = Vec::new();
        // Accept and read nothing back: each connection hangs until the client gives up.
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let timeout = Duration::from_millis(300);
    let attempts = 3;
    let client = GoClient::builder("fault-suite")
        .base_url(format!("http://{addr}/integration/2.0"))
        .timeout(timeout)
        .retry(
            RetryPolicy::standard()
                .with_max_attempts(attempts)
                .with_backoff(Duration::from_millis(1), Duration::from_millis(1)),
        )
        .build()
        .expect("client");
    let started = Instant::now();
    let error = client
        .promocodes()
        .order()
        .get("never")
        .await
        .expect_err("nothing answers");
    let elapsed = started.elapsed();
    assert!(error.is_timeout(), "{error:?}");
    assert!(
        elapsed >= timeout * attempts,
        "each attempt waited: {elapsed:?}"
    );
    // The bound is generous for a loaded machine, and far below the 30 s default.
    assert!(
        elapsed < timeout * attempts + Duration::from_secs(2),
        "{elapsed:?}"
    );
    accepted.abort();
}
