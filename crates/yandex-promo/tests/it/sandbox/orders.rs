//! Orders and codes through the real client: the whole life of an order, idempotency,
//! limits, pagination and conflicts.
use std::{collections::HashSet, time::Duration};

use futures::TryStreamExt as _;
use uuid::Uuid;
use yandex_promo::{
    Error, ErrorCode,
    go::NewOrder,
    raw::open::{CodeStatus, OrderStatus, Service},
};
use yandex_promo_sandbox::SandboxConfig;

use crate::support::{TOKEN, assert_conforms, in_days, sandbox, sandbox_go as go};

#[tokio::test]
async fn an_order_goes_from_pending_to_ready_and_lists_unique_codes() {
    // A wide window, so that the order is surely still pending when read back at once.
    let ready_after = Duration::from_secs(1);
    let sandbox = sandbox(SandboxConfig {
        ready_after,
        ..SandboxConfig::default()
    })
    .await;
    let orders = go(&sandbox, TOKEN).promocodes().order();
    let created = orders
        .create(NewOrder::new(500, 250, in_days(30)).name("Welcome"))
        .send()
        .await
        .expect("created");
    assert_eq!(
        orders.get(&created.order_id).await.expect("order").status,
        OrderStatus::Pending
    );
    let pending_codes = orders
        .code()
        .list(&created.order_id)
        .send()
        .await
        .expect("page");
    assert!(
        pending_codes.items.is_empty(),
        "no codes before the order is issued"
    );

    tokio::time::sleep(ready_after + Duration::from_millis(50)).await;
    let order = orders.get(&created.order_id).await.expect("order");
    assert_eq!(order.status, OrderStatus::CreationSuccess);
    assert_eq!(
        (order.count, order.value, order.service.clone()),
        (250, 500, Service::Taxi)
    );
    let pricing = order.pricing;
    assert_eq!(pricing.cost.to_string(), "125000.00");
    assert_eq!(pricing.cost_with_vat.to_string(), "150000.00");

    // The server's default page is 100 codes: 100 + 100 + 50.
    let pages: Vec<_> = orders
        .code()
        .list(&created.order_id)
        .pages()
        .try_collect()
        .await
        .expect("pages");
    assert_eq!(
        pages.iter().map(|p| p.items.len()).collect::<Vec<_>>(),
        [100, 100, 50]
    );
    let codes: HashSet<_> = pages
        .iter()
        .flat_map(|p| p.items.iter().map(|c| c.code.clone()))
        .collect();
    assert_eq!(codes.len(), 250, "codes are unique");
    assert!(
        pages
            .iter()
            .flat_map(|p| &p.items)
            .all(|c| c.status == CodeStatus::Active)
    );

    let listed: Vec<_> = orders
        .list()
        .page_size(1)
        .stream()
        .try_collect()
        .await
        .expect("orders");
    assert_eq!(listed.len(), 1);
    assert!(assert_conforms(&sandbox) >= 8);
}

#[tokio::test]
async fn a_repeated_token_returns_the_original_order_also_under_concurrency() {
    let sandbox = sandbox(SandboxConfig::default()).await;
    let orders = go(&sandbox, TOKEN).promocodes().order();
    let token = Uuid::new_v4();
    let attempts = (0..20).map(|_| {
        let orders = orders.clone();
        async move {
            orders
                .create(NewOrder::new(500, 5, in_days(10)))
                .idempotency_token(token)
                .send()
                .await
        }
    });
    let results = futures::future::join_all(attempts).await;
    let ids: HashSet<_> = results
        .into_iter()
        .map(|r| r.expect("created").order_id)
        .collect();
    assert_eq!(ids.len(), 1, "20 concurrent duplicates made one order");
    assert_eq!(sandbox.handle().order_count(), 1);

    let other = orders
        .create(NewOrder::new(500, 5, in_days(10)))
        .send()
        .await
        .expect("a new token");
    assert!(!ids.contains(&other.order_id));
    assert_eq!(sandbox.handle().order_count(), 2);
    assert_conforms(&sandbox);
}

#[tokio::test]
async fn a_missing_or_malformed_idempotency_token_is_a_400() {
    let sandbox = sandbox(SandboxConfig::default()).await;
    let url = format!("{}/promocodes/orders/create", sandbox.go_base_url());
    let body = serde_json::json!({"value": 500, "count": 5, "active_until": in_days(5)});
    let http = reqwest::Client::new();
    for token in [None, Some("not-a-uuid")] {
        let mut request = http.post(&url).bearer_auth(TOKEN).json(&body);
        if let Some(token) = token {
            request = request.header("X-Idempotency-Token", token);
        }
        let response = request.send().await.expect("answered");
        assert_eq!(response.status(), 400);
        let error: serde_json::Value = response.json().await.expect("JSON");
        assert_eq!(error["code"], "BAD_REQUEST");
    }
    assert_eq!(sandbox.handle().order_count(), 0);
    assert_conforms(&sandbox);
}

#[tokio::test]
async fn cancel_is_refused_once_a_code_was_used_and_unknown_orders_are_404() {
    let sandbox = sandbox(SandboxConfig::default()).await;
    let orders = go(&sandbox, TOKEN).promocodes().order();
    let fresh = orders
        .create(NewOrder::new(500, 5, in_days(10)))
        .send()
        .await
        .expect("created");
    orders.cancel(&fresh.order_id).await.expect("cancelled");
    assert_eq!(
        orders.get(&fresh.order_id).await.expect("order").status,
        OrderStatus::CancellationSuccess
    );

    let used = orders
        .create(NewOrder::new(500, 5, in_days(10)))
        .send()
        .await
        .expect("created");
    assert_eq!(
        sandbox.handle().use_codes(used.order_id.as_str(), 1),
        Some(1)
    );
    let error = orders.cancel(&used.order_id).await.expect_err("409");
    assert_eq!(
        (error.status(), error.code()),
        (Some(409), Some(&ErrorCode::Conflict))
    );

    let error = orders.get("no-such-order").await.expect_err("404");
    assert_eq!(error.status(), Some(404));
    assert_conforms(&sandbox);
}

#[tokio::test]
async fn the_order_cap_bounds_the_state() {
    let sandbox = sandbox(SandboxConfig {
        max_orders: 2,
        ..SandboxConfig::default()
    })
    .await;
    let orders = go(&sandbox, TOKEN).promocodes().order();
    for _ in 0..2 {
        orders
            .create(NewOrder::new(500, 5, in_days(10)))
            .send()
            .await
            .expect("created");
    }
    let error = orders
        .create(NewOrder::new(500, 5, in_days(10)))
        .send()
        .await
        .expect_err("full");
    assert!(
        matches!(error, Error::RateLimited { status: 429, .. }),
        "{error:?}"
    );
    assert_eq!(sandbox.handle().order_count(), 2);
    assert_conforms(&sandbox);
}
