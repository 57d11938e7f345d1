//! The `yandex-promo` binary, run as users run it: against the embedded sandbox, and against
//! a sandbox started by the test. Outputs are snapshots with the random parts masked.
use assert_cmd::Command;
use yandex_promo_sandbox::SandboxConfig;

fn cli() -> Command {
    let mut command = Command::cargo_bin("yandex-promo").expect("the binary is built");
    // Credentials from the environment of whoever runs the tests must not leak in.
    for name in [
        "YANDEX_GO_TOKEN",
        "YANDEX_GO_CORP_CLIENT_ID",
        "YANDEX_GO_BASE_URL",
        "YANDEX_MARKET_API_KEY",
        "YANDEX_MARKET_OAUTH_TOKEN",
        "YANDEX_MARKET_BUSINESS_ID",
        "YANDEX_MARKET_BASE_URL",
    ] {
        command.env_remove(name);
    }
    command
}

/// Masks what changes from run to run: ids, tokens, codes, dates, ports.
macro_rules! masked {
    ($($body:tt)*) => {
        insta::with_settings!({filters => vec![
            (r"sb\d{8}[0-9a-f]{8}(-\d{4})?", "[ORDER_ID]"),
            (r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "[UUID]"),
            (r"SB[A-Z0-9]{10}", "[CODE]"),
            (r"\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2}))?", "[DATE]"),
            (r"127\.0\.0\.1:\d+", "127.0.0.1:[PORT]"),
            (r"/tmp/\.tmp\w+", "[TMP]"),
            (r"after \d+ polls", "after [N] polls"),
        ]}, { $($body)* });
    };
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

#[test]
fn demo_runs_offline_and_writes_the_csv() {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("codes.csv");
    let output = cli()
        .args(["demo", "--output"])
        .arg(&csv)
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", text(&output.stderr));
    let lines = std::fs::read_to_string(&csv).expect("the CSV exists");
    assert_eq!(lines.lines().count(), 251, "a header and 250 codes");
    assert!(lines.starts_with("id,code,status,is_revoked,used_at\n"));
    masked! {
        insta::assert_snapshot!("demo_stdout", text(&output.stdout));
        insta::assert_snapshot!("demo_stderr", text(&output.stderr));
    }
}

#[test]
fn without_credentials_commands_say_they_use_the_embedded_sandbox() {
    let output = cli().args(["orders", "list"]).output().expect("runs");
    assert!(output.status.success());
    assert!(text(&output.stderr).starts_with(
        "note: no Go for Business token given; using an embedded sandbox at http://127.0.0.1:"
    ));
    let output = cli()
        .args([
            "--json",
            "market",
            "promos",
            "--participation",
            "participated",
        ])
        .output()
        .expect("runs");
    assert!(output.status.success());
    let promos: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("one JSON document");
    assert_eq!(promos[0]["id"], "sb_past_flash");
}

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
            "--until",
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

#[tokio::test(flavor = "multi_thread")]
async fn against_a_running_sandbox_with_credentials() {
    let sandbox = yandex_promo_sandbox::start(SandboxConfig {
        ready_after: std::time::Duration::ZERO,
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox");
    let token = "cli-secret-token-123";
    let go = |args: &[&str]| {
        let output = cli()
            .args(["--go-token", token, "--go-base-url", &sandbox.go_base_url()])
            .args(args)
            .output()
            .expect("runs");
        let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
        assert!(
            !stdout.contains(token) && !stderr.contains(token),
            "the token was printed"
        );
        assert!(
            stderr.is_empty() || !stderr.contains("embedded"),
            "{stderr}"
        );
        assert!(output.status.success(), "{args:?}: {stderr}");
        stdout
    };

    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("order.json");
    let until = (chrono::Utc::now().date_naive() + chrono::Days::new(10)).to_string();
    std::fs::write(
        &file,
        format!(
            r#"{{"value": 300, "count": 7, "active_until": "{until}", "name": "from a file"}}"#
        ),
    )
    .expect("write");
    let created: serde_json::Value = serde_json::from_str(&go(&[
        "--json",
        "orders",
        "create",
        "--file",
        file.to_str().expect("path"),
    ]))
    .expect("JSON");
    let order_id = created["order_id"].as_str().expect("id").to_owned();

    masked! {
        insta::assert_snapshot!("orders_get_table", go(&["orders", "get", &order_id]));
        insta::assert_snapshot!("orders_list_table", go(&["orders", "list"]));
    }
    let export = dir.path().join("codes.json");
    go(&[
        "codes",
        "export",
        &order_id,
        "--format",
        "json",
        "--output",
        export.to_str().expect("path"),
    ]);
    let codes: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&export).expect("file")).expect("JSON");
    assert_eq!(codes.len(), 7);
    let listed = go(&["codes", "list", &order_id, "--page-size", "3"]);
    assert_eq!(listed.lines().count(), 8, "a header and 7 codes:\n{listed}");
    let cancelled = go(&["orders", "cancel", &order_id]);
    assert_eq!(cancelled.trim(), format!("cancelled order {order_id}"));
}
