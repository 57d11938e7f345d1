//! The usage report against the sandbox: orders whose codes were used at chosen times (some
//! more than once), a cancelled one, one with revoked codes, and one the token cannot read;
//! every figure per order, in total and per day.
use std::time::Duration;

use chrono::{DateTime, FixedOffset, Utc};
use futures::TryStreamExt as _;
use yandex_promo::{
    go::{Bucket, GoClient, IssuePlan, NewOrder, OrderId, OrderSelection, UsageEvent},
    raw::open::OrderStatus,
};
use yandex_promo_sandbox::{RunningSandbox, SandboxConfig};

use crate::support::{TOKEN, in_days, sandbox, sandbox_go_builder};

fn at(text: &str) -> DateTime<Utc> {
    text.parse().expect("an RFC 3339 time")
}

/// A sandbox where the token `multi` acts for `alpha` and `beta`, issuing at once.
async fn two_clients() -> RunningSandbox {
    let tokens = std::collections::BTreeMap::from([(
        "multi".to_owned(),
        vec!["alpha".to_owned(), "beta".to_owned()],
    )]);
    sandbox(SandboxConfig {
        tokens,
        ready_after: Duration::ZERO,
        ..SandboxConfig::default()
    })
    .await
}

fn client(sandbox: &RunningSandbox, corp: &str) -> GoClient {
    sandbox_go_builder(sandbox, "multi")
        .corp_client_id(corp)
        .build()
        .expect("client")
}

/// Creates an order of `count` codes and returns its id and its code ids, in code order.
async fn order(client: &GoClient, count: i64, uses: i64) -> (OrderId, Vec<String>) {
    let orders = client.promocodes().order();
    let created = orders
        .create(NewOrder::new(500, count, in_days(30)).max_usages_count(uses))
        .send()
        .await
        .expect("created");
    let codes: Vec<_> = orders
        .code()
        .list(&created.order_id)
        .stream()
        .try_collect()
        .await
        .expect("codes");
    let ids = codes
        .into_iter()
        .map(|c| c.id.as_str().to_owned())
        .collect();
    (created.order_id, ids)
}

#[tokio::test]
async fn a_report_counts_every_code_of_every_order_per_order_in_total_and_per_day() {
    let sandbox = two_clients().await;
    let alpha = client(&sandbox, "alpha");
    let beta = client(&sandbox, "beta");
    let handle = sandbox.handle();

    // Five codes of up to three uses: one used three times over two days, one once.
    let (used, codes) = order(&alpha, 5, 3).await;
    for (code, moment) in [
        (0, "2025-03-02T10:15:00Z"),
        (0, "2025-03-04T09:00:00Z"),
        (0, "2025-03-02T11:30:00Z"),
        (1, "2025-03-03T23:59:59Z"),
    ] {
        handle
            .record_usage(used.as_str(), &codes[code], at(moment))
            .expect("recorded");
    }
    // Five codes, none used, then cancelled: shown, not skipped.
    let (cancelled, _) = order(&alpha, 5, 1).await;
    alpha
        .promocodes()
        .order()
        .cancel(&cancelled)
        .await
        .expect("cancelled");
    // Ten codes: three revoked, two used once.
    let (revoked, codes) = order(&alpha, 10, 1).await;
    assert_eq!(handle.revoke_codes(revoked.as_str(), 3), Some(3));
    for (code, moment) in [(8, "2025-03-04T12:00:00Z"), (9, "2025-03-04T13:00:00Z")] {
        handle
            .record_usage(revoked.as_str(), &codes[code], at(moment))
            .expect("recorded");
    }
    // An order of another corporate client: alpha's client cannot read it.
    let (foreign, _) = order(&beta, 5, 1).await;

    let mut events = Vec::new();
    let (sender, receiver) = std::sync::mpsc::channel();
    let report = alpha
        .promocodes()
        .usage(OrderSelection::Ids(vec![
            used.clone(),
            cancelled.clone(),
            revoked.clone(),
            foreign.clone(),
        ]))
        .on_event(move |event| sender.send(event.clone()).expect("sent"))
        .run()
        .await
        .expect("a report");
    events.extend(receiver.try_iter());
    assert_eq!(events.first(), Some(&UsageEvent::Planned { orders: 4 }));
    assert_eq!(events.len(), 5, "{events:?}");

    let rows: Vec<_> = report
        .orders
        .iter()
        .map(|o| {
            (
                o.order_id.clone(),
                o.status.clone(),
                o.figures.codes,
                o.figures.used_codes,
                o.figures.usages,
                o.figures.revoked,
                o.figures.unused,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                used.clone(),
                Some(OrderStatus::CreationSuccess),
                5,
                2,
                4,
                0,
                3
            ),
            (
                cancelled.clone(),
                Some(OrderStatus::CancellationSuccess),
                5,
                0,
                0,
                0,
                5
            ),
            (
                revoked.clone(),
                Some(OrderStatus::CreationSuccess),
                10,
                2,
                2,
                3,
                5
            ),
            (foreign.clone(), None, 0, 0, 0, 0, 0),
        ]
    );
    let first = &report.orders[0];
    let figures = &first.figures;
    assert_eq!(figures.first_use, Some(at("2025-03-02T10:15:00Z")));
    assert_eq!(figures.last_use, Some(at("2025-03-04T09:00:00Z")));
    assert_eq!((first.value, first.count), (Some(500), Some(5)));
    assert!((figures.share_used - 0.4).abs() < 1e-9);
    assert_eq!(report.orders[1].figures.first_use, None);
    let unreadable = report.orders[3].error.as_deref().expect("an error");
    assert!(unreadable.contains("404"), "{unreadable}");

    assert_eq!((report.totals.orders, report.totals.unreadable), (4, 1));
    let totals = &report.totals.figures;
    assert_eq!(
        (
            totals.codes,
            totals.used_codes,
            totals.usages,
            totals.revoked,
            totals.unused
        ),
        (20, 4, 6, 3, 13)
    );
    assert_eq!(totals.first_use, Some(at("2025-03-02T10:15:00Z")));
    assert_eq!(totals.last_use, Some(at("2025-03-04T13:00:00Z")));
    assert!((totals.share_used - 0.2).abs() < 1e-9);

    // Over three days: the 2nd twice, the 3rd once (at 23:59:59), the 4th three times.
    assert_eq!(report.series.bucket, Bucket::Day);
    let days: Vec<_> = report
        .series
        .points
        .iter()
        .map(|p| (p.start.to_rfc3339(), p.usages))
        .collect();
    assert_eq!(
        days,
        [
            ("2025-03-02T00:00:00+00:00".to_owned(), 2),
            ("2025-03-03T00:00:00+00:00".to_owned(), 1),
            ("2025-03-04T00:00:00+00:00".to_owned(), 3),
        ]
    );
    // In Moscow the 3rd's 23:59:59 is the 4th's small hours.
    let moscow = FixedOffset::east_opt(3 * 3600).expect("UTC+3");
    let local = alpha
        .promocodes()
        .usage(OrderSelection::Ids(vec![used.clone(), revoked.clone()]))
        .time_zone(moscow)
        .run()
        .await
        .expect("a report");
    let counts: Vec<u64> = local.series.points.iter().map(|p| p.usages).collect();
    assert_eq!(counts, [2, 0, 4]);
    // By the hour, every hour from the first usage's to the last's.
    let hourly = alpha
        .promocodes()
        .usage(OrderSelection::Ids(vec![revoked.clone()]))
        .bucket(Bucket::Hour)
        .run()
        .await
        .expect("a report");
    let counts: Vec<u64> = hourly.series.points.iter().map(|p| p.usages).collect();
    assert_eq!(counts, [1, 1]);
}

#[tokio::test]
async fn a_report_s_own_timeout_and_retry_policy_apply_to_its_requests() {
    let sandbox = sandbox(SandboxConfig {
        ready_after: Duration::ZERO,
        ..SandboxConfig::default()
    })
    .await;
    let client = sandbox_go_builder(&sandbox, TOKEN).build().expect("client");
    order(&client, 5, 1).await;
    sandbox.handle().set_faults(yandex_promo_sandbox::Faults {
        latency_ms: 300,
        ..yandex_promo_sandbox::Faults::default()
    });
    let error = client
        .promocodes()
        .usage(OrderSelection::All)
        .timeout(Duration::from_millis(50))
        .retry_policy(yandex_promo::RetryPolicy::disabled())
        .run()
        .await
        .expect_err("every request takes 300 ms");
    assert!(
        matches!(error, yandex_promo::Error::Timeout { .. }),
        "{error:?}"
    );
    // The client's own timeout (30 s) still applies to its other calls.
    let report = client.promocodes().usage(OrderSelection::All).run().await;
    assert_eq!(report.expect("a report").totals.orders, 1);
}

#[tokio::test]
async fn all_orders_a_date_range_and_a_journal_select_their_orders() {
    let sandbox = sandbox(SandboxConfig {
        ready_after: Duration::ZERO,
        ..SandboxConfig::default()
    })
    .await;
    let client = sandbox_go_builder(&sandbox, TOKEN).build().expect("client");
    let dir = tempfile::tempdir().expect("temp dir");
    let output = dir.path().join("codes.csv");
    let plan = IssuePlan::new(15, NewOrder::new(300, 5, in_days(10)).name("Spring riders"));
    let summary = client
        .promocodes()
        .issue(plan, &output)
        .run()
        .await
        .expect("issued");
    let (later, _) = order(&client, 5, 1).await;

    let all = client
        .promocodes()
        .usage(OrderSelection::All)
        .page_size(2)
        .run()
        .await
        .expect("a report");
    assert_eq!((all.totals.orders, all.totals.figures.codes), (2, 20));
    assert!(all.orders.iter().all(|o| o.name.is_none()));

    let journal = client
        .promocodes()
        .usage(OrderSelection::Journal(
            dir.path().join("codes.csv.journal"),
        ))
        .run()
        .await
        .expect("a report");
    let issued: Vec<_> = summary.orders.iter().map(|o| o.order_id.clone()).collect();
    let read: Vec<_> = journal.orders.iter().map(|o| o.order_id.clone()).collect();
    assert_eq!(read, issued);
    assert!(
        journal
            .orders
            .iter()
            .all(|o| o.name.as_deref() == Some("Spring riders"))
    );
    assert!(journal.series.points.is_empty(), "no usages, no series");

    let range = client
        .promocodes()
        .usage(OrderSelection::ActiveUntil {
            from: in_days(20),
            to: in_days(40),
        })
        .run()
        .await
        .expect("a report");
    let ids: Vec<_> = range.orders.iter().map(|o| o.order_id.clone()).collect();
    assert_eq!(ids, [later]);
}
