//! `orders`: an invalid order refused with every violation (exit 2, and one JSON document with
//! `--json`), an API error with the vendor's code (exit 1), and a create whose answers are
//! lost, repeated safely with the command it prints.
use yandex_promo_sandbox::SandboxConfig;

use crate::support::{self, cli, masked, text};

#[test]
fn an_invalid_order_lists_every_violation_and_exits_2() {
    let output = cli()
        .args([
            "orders",
            "create",
            "--value",
            "50",
            "--count",
            "2",
            "--active-until",
            "2020-01-01",
            "--service",
            "eats",
            "--classes",
            "econom",
        ])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    masked! { insta::assert_snapshot!(text(&output.stderr)); }
}

#[test]
fn api_errors_exit_1_with_the_vendor_code() {
    let output = cli()
        .args(["orders", "get", "no-such-order"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr)
            .contains("error: getPromocodeOrder: HTTP 404 NOT_FOUND: order not found"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn with_json_an_error_is_one_json_document_too() {
    let output = cli()
        .args([
            "--json", "orders", "create", "--value", "50", "--count", "5",
        ])
        .args(["--active-until", "2020-01-01"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let document: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("one JSON document");
    let fields: Vec<&str> = document["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .map(|v| v["field"].as_str().expect("field"))
        .collect();
    assert_eq!(fields, ["value", "active_until"]);
    assert!(text(&output.stderr).contains("\nerror: invalid request"));

    let completions = cli()
        .args(["--json", "completions", "fish"])
        .output()
        .expect("runs");
    let document: serde_json::Value =
        serde_json::from_slice(&completions.stdout).expect("one JSON document");
    assert_eq!(document["shell"], "fish");
    assert!(
        document["script"]
            .as_str()
            .is_some_and(|s| s.contains("yandex-promo"))
    );
}

/// A create whose answers are all lost says its token first and, when it gives up, the exact
/// command that repeats it; that command gets the order without ordering a second.
#[tokio::test(flavor = "multi_thread")]
async fn a_lost_create_prints_the_command_that_repeats_it_safely() {
    let sandbox = support::sandbox(SandboxConfig::default()).await;
    sandbox.handle().set_faults(yandex_promo_sandbox::Faults {
        drop_after_create: 10,
        ..Default::default()
    });
    let until = support::until(10);
    let create = |extra: &[&str]| {
        support::go_cli(&sandbox)
            .args(["orders", "create", "--value", "500", "--count", "5"])
            .args(["--active-until", &until])
            .args(extra)
            .output()
            .expect("runs")
    };
    let lost = create(&[]);
    assert_eq!(lost.status.code(), Some(1));
    let stderr = text(&lost.stderr);
    let token = stderr
        .lines()
        .find_map(|l| l.strip_prefix("idempotency token "))
        .expect("the token, said before sending")
        .to_owned();
    let repeat = stderr
        .lines()
        .skip_while(|l| !l.contains("repeat exactly this"))
        .nth(1)
        .expect("the command")
        .trim()
        .to_owned();
    assert!(
        repeat.ends_with(&format!("--idempotency-token {token}")),
        "{repeat}"
    );
    assert_eq!(
        sandbox.handle().order_count(),
        1,
        "the order was made, its answers lost"
    );

    sandbox
        .handle()
        .set_faults(yandex_promo_sandbox::Faults::default());
    let again = create(&["--idempotency-token", &token]);
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert_eq!(
        sandbox.handle().order_count(),
        1,
        "repeating it ordered nothing new"
    );
}
