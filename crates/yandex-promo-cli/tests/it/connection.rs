//! Where commands send their requests: the embedded sandbox without credentials (said on
//! stderr), the given endpoint with them (and the token never printed), and a refused
//! connection reported with each cause once.
use yandex_promo_sandbox::SandboxConfig;

use crate::support::{self, cli, masked, text};

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
fn a_refused_connection_names_each_cause_once() {
    // A port nothing listens on: bind one, then free it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let output = cli()
        .args(["--go-token", "t", "--go-base-url"])
        .arg(format!("http://127.0.0.1:{port}/integration/2.0"))
        .args(["orders", "list"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    let causes: Vec<&str> = stderr
        .trim_start_matches("error: ")
        .trim()
        .split(": ")
        .collect();
    let mut unique = causes.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(causes.len(), unique.len(), "a cause is repeated: {stderr}");
    assert!(
        stderr.contains("listPromocodeOrders: request failed before a response arrived"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn against_a_running_sandbox_with_credentials() {
    let sandbox = support::sandbox(SandboxConfig {
        ready_after: std::time::Duration::ZERO,
        seed: Some(3),
        ..SandboxConfig::default()
    })
    .await;
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
    let until = support::until(10);
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
