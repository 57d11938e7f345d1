//! Issuing thousands of codes in one run: the plan's split, a run and its summary, resuming
//! through failures without ordering twice or writing a code twice, the journal's own errors,
//! cancelling an issuance, and a create error that carries its token.
use std::{collections::BTreeSet, path::Path};

use proptest::prelude::*;
use yandex_promo::{
    Error, IssuanceStop, JournalProblem, RetryPolicy,
    go::{GoClient, IssuePlan, NewOrder},
};
use yandex_promo_sandbox::{Failure, Faults, RunningSandbox, SandboxConfig};

use crate::support::{TOKEN, in_days, sandbox, sandbox_go};

fn plan(total: u32) -> IssuePlan {
    IssuePlan::new(total, NewOrder::new(500, 5, in_days(30)).name("issue test"))
}

/// A client that gives up at once, so a fault stops the run where it strikes.
fn fragile(sandbox: &RunningSandbox) -> GoClient {
    crate::support::sandbox_go_builder(sandbox, TOKEN)
        .retry(RetryPolicy::disabled())
        .build()
        .expect("client")
}

/// The codes of a CSV output, checked to be each there once.
fn codes_in(output: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(output).expect("the output");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("order_id,code_id,code,value,active_until")
    );
    let codes: Vec<String> = lines
        .map(|l| l.split(',').nth(2).expect("code").to_owned())
        .collect();
    let unique: BTreeSet<String> = codes.iter().cloned().collect();
    assert_eq!(unique.len(), codes.len(), "a code was written twice");
    unique
}

proptest! {
    #[test]
    fn any_total_splits_into_valid_orders_that_add_up(total in 5u32..=100_000) {
        let sizes = plan(total).order_sizes();
        prop_assert_eq!(sizes.iter().sum::<u32>(), total);
        prop_assert!(sizes.iter().all(|s| (5..=1000).contains(s)));
        prop_assert_eq!(sizes.len() as u32, total.div_ceil(1000));
    }
}

/// A finished issuance of `total` codes on a sandbox, with what it needs to look further.
struct Issued {
    sandbox: RunningSandbox,
    dir: tempfile::TempDir,
    output: std::path::PathBuf,
    client: GoClient,
    summary: yandex_promo::go::IssueSummary,
}

async fn issued(total: u32) -> Issued {
    let sandbox = sandbox(SandboxConfig::default()).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let output = dir.path().join("codes.csv");
    let client = sandbox_go(&sandbox, TOKEN);
    let run = client.promocodes().issue(plan(total), &output).run();
    let summary = run.await.expect("issued");
    Issued {
        sandbox,
        dir,
        output,
        client,
        summary,
    }
}

#[tokio::test]
async fn a_run_orders_and_writes_every_code_once_and_a_second_run_does_nothing() {
    let Issued {
        sandbox,
        dir,
        output,
        client,
        summary,
    } = issued(2_600).await;
    assert_eq!((summary.codes, summary.orders.len()), (2_600, 3));
    assert_eq!(summary.cost_with_vat.to_string(), "1560000.00");
    assert_eq!(codes_in(&output).len(), 2_600);
    assert!(!dir.path().join("codes.csv.partial").exists());

    let before = sandbox.handle().requests().len();
    let again = client
        .promocodes()
        .issue(plan(2_600), &output)
        .run()
        .await
        .expect("done");
    assert_eq!(again, summary);
    assert_eq!(
        sandbox.handle().requests().len(),
        before,
        "a finished issuance sends nothing"
    );
}

#[tokio::test]
async fn runs_that_fail_anywhere_resume_to_exactly_the_planned_orders_and_codes() {
    let sandbox = sandbox(SandboxConfig::default()).await;
    sandbox.handle().set_faults(Faults {
        failure_rate: 0.25,
        random_failures: vec![Failure::Status503, Failure::Html502],
        drop_after_create_rate: 0.5,
        seed: 3,
        ..Faults::default()
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let output = dir.path().join("codes.csv");
    let client = fragile(&sandbox);
    let mut failures = 0;
    let summary = loop {
        match client.promocodes().issue(plan(3_100), &output).run().await {
            Ok(summary) => break summary,
            Err(_) => failures += 1,
        }
        assert!(failures < 500, "never finished");
    };
    assert!(
        failures >= 5,
        "the faults should have stopped it many times, not {failures}"
    );
    assert_eq!(sandbox.handle().order_count(), 4, "four orders, none twice");
    assert_eq!(summary.codes, 3_100);
    assert_eq!(codes_in(&output).len(), 3_100);
}

#[tokio::test]
async fn a_journal_of_another_plan_version_or_damaged_is_refused_with_its_own_error() {
    let sandbox = sandbox(SandboxConfig::default()).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let output = dir.path().join("codes.csv");
    let journal = dir.path().join("codes.csv.journal");
    let client = sandbox_go(&sandbox, TOKEN);
    client
        .promocodes()
        .issue(plan(20), &output)
        .run()
        .await
        .expect("issued");
    let problem = |plan: IssuePlan| {
        let client = client.clone();
        let output = output.clone();
        async move {
            match client.promocodes().issue(plan, output).run().await {
                Err(Error::Journal { problem, .. }) => problem,
                other => panic!("not a journal error: {other:?}"),
            }
        }
    };
    assert!(matches!(
        problem(plan(21)).await,
        JournalProblem::ForeignPlan { .. }
    ));

    let good = std::fs::read_to_string(&journal).expect("journal");
    // A last line cut short by a crash is dropped: it was never acted on.
    std::fs::write(&journal, format!("{good}{{\"event\":\"tok")).expect("write");
    client
        .promocodes()
        .issue(plan(20), &output)
        .run()
        .await
        .expect("a torn last line is fine");
    // A damaged line in the middle is not.
    let mut lines: Vec<&str> = good.lines().collect();
    lines[2] = "{\"event\": 42}";
    std::fs::write(&journal, lines.join("\n") + "\n").expect("write");
    assert!(matches!(
        problem(plan(20)).await,
        JournalProblem::Corrupted { line: 3 }
    ));
    // Another version.
    let old = good.replacen("\"version\":1", "\"version\":0", 1);
    std::fs::write(&journal, old).expect("write");
    assert!(matches!(
        problem(plan(20)).await,
        JournalProblem::Version { found: 0, .. }
    ));
    std::fs::write(&journal, &good).expect("the good journal back");
    // The same plan into another format is another run.
    let jsonl = client
        .promocodes()
        .issue(plan(20), &output)
        .format(yandex_promo::go::IssueFormat::JsonLines)
        .run()
        .await;
    assert!(
        matches!(
            jsonl,
            Err(Error::Journal {
                problem: JournalProblem::ForeignRun { .. },
                ..
            })
        ),
        "{jsonl:?}"
    );
    // Complete, but the output is gone: said, not papered over.
    std::fs::rename(&output, dir.path().join("moved.csv")).expect("move");
    let gone = client.promocodes().issue(plan(20), &output).run().await;
    assert!(
        matches!(gone, Err(Error::Issuance(IssuanceStop::OutputGone { .. }))),
        "{gone:?}"
    );
    // Not a journal at all.
    std::fs::write(&journal, "order_id,code\n").expect("write");
    assert!(matches!(
        problem(plan(20)).await,
        JournalProblem::NotAJournal
    ));
    // Cut short inside its header.
    std::fs::write(&journal, &good[..20]).expect("write");
    assert!(matches!(problem(plan(20)).await, JournalProblem::Truncated));
    let error = Error::Journal {
        path: journal.clone(),
        problem: JournalProblem::Corrupted { line: 3 },
    };
    // The problem is the error's source: a printed chain names the file, then the line.
    let source = std::error::Error::source(&error).expect("the problem is the source");
    let message = format!("{error}: {source}");
    assert!(
        message.contains("codes.csv.journal") && message.contains("line 3"),
        "{message}"
    );
}

#[tokio::test]
async fn cancelling_an_issuance_cancels_what_it_can_and_names_what_it_cannot() {
    let Issued {
        sandbox,
        dir,
        client,
        summary,
        ..
    } = issued(1_500).await;
    let used = summary.orders[1].order_id.clone();
    sandbox
        .handle()
        .use_codes(used.as_str(), 1)
        .expect("an order");
    let journal = dir.path().join("codes.csv.journal");
    let cancelled = client
        .promocodes()
        .cancel_issuance(&journal)
        .await
        .expect("cancelled");
    assert_eq!(cancelled.cancelled, [summary.orders[0].order_id.clone()]);
    assert_eq!(cancelled.refused.len(), 1);
    assert_eq!(cancelled.refused[0].0, used);
}

#[tokio::test]
async fn an_issuance_s_own_retry_policy_applies_to_its_requests_and_not_to_the_client_s() {
    let sandbox = sandbox(SandboxConfig::default()).await;
    crate::support::fail_next(&sandbox, 1, Failure::Status503);
    let dir = tempfile::tempdir().expect("temp dir");
    let output = dir.path().join("codes.csv");
    // The client retries (fast); this issuance does not.
    let client = sandbox_go(&sandbox, TOKEN);
    let error = client
        .promocodes()
        .issue(plan(10), &output)
        .retry_policy(RetryPolicy::disabled())
        .run()
        .await
        .expect_err("its one attempt met the 503");
    assert_eq!(error.status(), Some(503), "{error}");
    assert_eq!(
        crate::support::requests_to(&sandbox, "/promocodes/orders/create"),
        1
    );
    // The client's own calls still retry: the next fault is waited out.
    crate::support::fail_next(&sandbox, 1, Failure::Status503);
    client
        .corp_clients()
        .list()
        .await
        .expect("retried past the 503");
    // The same journal continues, with the client's policy.
    let summary = client
        .promocodes()
        .issue(plan(10), &output)
        .run()
        .await
        .expect("issued");
    assert_eq!(summary.codes, 10);
    assert_eq!(sandbox.handle().order_count(), 1);
}

#[tokio::test]
async fn a_create_that_may_have_landed_carries_its_token_and_repeating_it_orders_once() {
    let sandbox = sandbox(SandboxConfig::default()).await;
    sandbox.handle().set_faults(Faults {
        drop_after_create: 1,
        ..Faults::default()
    });
    let orders = fragile(&sandbox).promocodes().order();
    let error = orders
        .create(NewOrder::new(500, 5, in_days(10)))
        .send()
        .await
        .expect_err("the answer was dropped");
    let Error::CreateUnconfirmed {
        idempotency_token, ..
    } = &error
    else {
        panic!("{error:?}");
    };
    assert!(
        error.to_string().contains(&idempotency_token.to_string()),
        "{error}"
    );
    let again = orders
        .create(NewOrder::new(500, 5, in_days(10)))
        .idempotency_token(*idempotency_token)
        .send()
        .await
        .expect("the same order");
    assert_eq!(sandbox.handle().order_count(), 1);
    orders.get(&again.order_id).await.expect("it exists");
}

#[tokio::test]
async fn a_failed_order_is_reported_not_recreated_unless_asked() {
    let sandbox = sandbox(SandboxConfig::default()).await;
    sandbox.handle().set_faults(Faults {
        failed_orders: 1,
        ..Faults::default()
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let output = dir.path().join("codes.csv");
    let client = sandbox_go(&sandbox, TOKEN);
    let issue = || client.promocodes().issue(plan(1_500), &output);
    let summary = issue()
        .run()
        .await
        .expect("finished without the failed order");
    assert_eq!(summary.failed.len(), 1);
    assert_eq!(summary.failed[0].1, "creation_failed");
    assert_eq!((summary.orders.len(), summary.codes), (1, 750));
    assert_eq!(
        sandbox.handle().order_count(),
        2,
        "the failed order was not made again"
    );

    // Asked to, a later run makes it again under a new token: but this issuance is complete.
    let again = issue().recreate_failed(true).run().await.expect("done");
    assert_eq!(again.failed.len(), 1, "a complete issuance is not reopened");
    std::fs::remove_file(dir.path().join("codes.csv.journal")).expect("a fresh journal");
    std::fs::remove_file(&output).expect("and output");
    sandbox.handle().set_faults(Faults {
        failed_orders: 1,
        ..Faults::default()
    });
    let mut events: Vec<yandex_promo::go::IssueEvent> = Vec::new();
    let (sender, receiver) = std::sync::mpsc::channel();
    let recreated = issue()
        .recreate_failed(true)
        .on_event(move |event| drop(sender.send(event.clone())))
        .run()
        .await
        .expect("finished");
    events.extend(receiver.try_iter());
    assert!(recreated.failed.is_empty(), "made again, under a new token");
    assert_eq!((recreated.orders.len(), recreated.codes), (2, 1_500));
    assert_eq!(codes_in(&output).len(), 1_500);
    assert_eq!(
        sandbox.handle().order_count(),
        2 + 3,
        "two, then two and one again"
    );
    assert!(
        events
            .iter()
            .any(|e| matches!(e, yandex_promo::go::IssueEvent::OrderFailed { .. }))
    );
}
