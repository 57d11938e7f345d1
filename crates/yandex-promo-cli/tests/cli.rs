//! The `yandex-promo` binary, run as users run it: against the embedded sandbox, and against
//! a sandbox started by the test. Sandboxes are seeded, so ids and codes are the same on every
//! run; the snapshots mask only what the service or the clock makes differ.
use assert_cmd::Command;
use yandex_promo::{go, market};
use yandex_promo_sandbox::SandboxConfig;

fn cli() -> Command {
    let mut command = Command::cargo_bin("yandex-promo").expect("the binary is built");
    // Credentials from the environment of whoever runs the tests must not leak in.
    for name in [
        go::ENV_TOKEN,
        go::ENV_CORP_CLIENT_ID,
        go::ENV_BASE_URL,
        market::ENV_API_KEY,
        market::ENV_OAUTH_TOKEN,
        market::ENV_BUSINESS_ID,
        market::ENV_BASE_URL,
    ] {
        command.env_remove(name);
    }
    command
}

/// Masks what changes from run to run: the client's random idempotency tokens, dates, ports
/// and poll counts.
macro_rules! masked {
    ($($body:tt)*) => {
        insta::with_settings!({filters => vec![
            (r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "[TOKEN]"),
            (r"\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2}))?", "[DATE]"),
            (r"127\.0\.0\.1:\d+", "127.0.0.1:[PORT]"),
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
    // A relative path, so that the output names no temporary folder.
    let output = cli()
        .current_dir(dir.path())
        .args(["demo", "--output", "codes.csv"])
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

#[tokio::test(flavor = "multi_thread")]
async fn against_a_running_sandbox_with_credentials() {
    let sandbox = yandex_promo_sandbox::start(SandboxConfig {
        ready_after: std::time::Duration::ZERO,
        seed: Some(3),
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

#[test]
fn with_json_the_demo_prints_exactly_one_json_document() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = cli()
        .args(["--json", "demo", "--output"])
        .arg(dir.path().join("codes.csv"))
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", text(&output.stderr));
    // A stream deserializer proves there is one document and nothing after it.
    let mut documents =
        serde_json::Deserializer::from_slice(&output.stdout).into_iter::<serde_json::Value>();
    let report = documents.next().expect("a document").expect("JSON");
    assert!(documents.next().is_none(), "{}", text(&output.stdout));
    assert_eq!(report["exported"]["codes"], 250);
    assert_eq!(report["cancelled"]["status"], "cancellation_success");
    assert_eq!(report["promos"].as_array().map(Vec::len), Some(4));
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

#[test]
fn flags_use_the_spec_vocabulary_and_group_the_connection_options() {
    let help = cli()
        .args(["orders", "create", "--help"])
        .output()
        .expect("runs");
    let help = text(&help.stdout);
    for flag in [
        "--active-until",
        "--active-from",
        "--max-usages-count",
        "--service",
    ] {
        assert!(help.contains(flag), "{flag} in:\n{help}");
    }
    let heading = help
        .find("Connection (flags or environment):")
        .expect("a heading");
    let token = help.find("--go-token").expect("the token flag");
    let own = help.find("--value").expect("the command's own flag");
    assert!(own < heading && heading < token, "{help}");

    let unknown = cli()
        .args(["orders", "create", "--value", "500", "--count", "5"])
        .args(["--until", "2030-01-01", "--service", "boat"])
        .output()
        .expect("runs");
    assert_eq!(
        unknown.status.code(),
        Some(2),
        "clap refuses an unknown service"
    );
    assert!(text(&unknown.stderr).contains("[possible values: taxi, grocery, eats, fuel, cargo]"));
}

#[test]
fn completions_are_generated_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let output = cli().args(["completions", shell]).output().expect("runs");
        assert!(output.status.success(), "{shell}");
        let script = text(&output.stdout);
        assert!(
            script.contains("yandex-promo") && script.contains("orders"),
            "{shell}"
        );
    }
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

/// The README's office zone, with this radius in metres.
fn office(radius_m: &str) -> [&str; 8] {
    [
        "--name",
        "Office",
        "--lat",
        "55.734894",
        "--lon",
        "37.642639",
        "--radius-m",
        radius_m,
    ]
}

/// The README's walkthrough, command for command: from a token to a CSV of codes valid only
/// for rides from the office, against a sandbox process's API.
#[tokio::test(flavor = "multi_thread")]
async fn from_a_token_to_codes_for_rides_from_the_office() {
    let sandbox = yandex_promo_sandbox::start(SandboxConfig {
        seed: Some(4),
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox");
    let dir = tempfile::tempdir().expect("temp dir");
    let run = |args: &[&str]| {
        let output = cli()
            .current_dir(dir.path())
            .env(go::ENV_TOKEN, "any")
            .env(go::ENV_BASE_URL, sandbox.go_base_url())
            .args(args)
            .output()
            .expect("runs");
        assert!(
            output.status.success(),
            "{args:?}: {}",
            text(&output.stderr)
        );
        text(&output.stdout)
    };
    let json = |args: &[&str]| -> serde_json::Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&run(&all)).expect("JSON")
    };

    assert!(run(&["clients"]).contains("sandbox-client"));
    let zone = json(&[&["zones", "create"][..], &office("300")].concat());
    let zone_id = zone["id"].as_str().expect("id").to_owned();
    assert!(run(&["zones", "list"]).contains(&zone_id));
    let until = (chrono::Utc::now().date_naive() + chrono::Days::new(30)).to_string();
    let created = json(&[
        "orders",
        "create",
        "--value",
        "500",
        "--count",
        "50",
        "--active-until",
        &until,
        "--from-zone",
        &zone_id,
    ]);
    let order_id = created["order_id"].as_str().expect("order id").to_owned();
    let mut order = json(&["orders", "get", &order_id]);
    while order["status"] == "pending" {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        order = json(&["orders", "get", &order_id]);
    }
    assert_eq!(order["status"], "creation_success");
    assert_eq!(
        order["geo_restrictions"][0]["source"]["corp_geo_id"],
        zone_id.as_str()
    );
    assert!(
        run(&["orders", "get", &order_id]).contains("from Office (55.734894, 37.642639, 300 m)")
    );
    run(&["codes", "export", &order_id, "--output", "office-codes.csv"]);
    let csv = std::fs::read_to_string(dir.path().join("office-codes.csv")).expect("the CSV");
    assert_eq!(csv.lines().count(), 51, "a header and 50 codes");

    // The rest of the zone commands.
    let info = json(&["zones", "info", "--lat", "55.75", "--lon", "37.61"]);
    assert!(
        !info["tariff_classes"]
            .as_array()
            .expect("classes")
            .is_empty()
    );
    run(&[&["zones", "update", &zone_id][..], &office("500")].concat());
    run(&["zones", "delete", &zone_id]);
    assert!(!run(&["zones", "list"]).contains(&zone_id));
}

/// A create whose answers are all lost says its token first and, when it gives up, the exact
/// command that repeats it; that command gets the order without ordering a second.
#[tokio::test(flavor = "multi_thread")]
async fn a_lost_create_prints_the_command_that_repeats_it_safely() {
    let sandbox = yandex_promo_sandbox::start(SandboxConfig::default())
        .await
        .expect("sandbox");
    sandbox.handle().set_faults(yandex_promo_sandbox::Faults {
        drop_after_create: 10,
        ..Default::default()
    });
    let until = (chrono::Utc::now().date_naive() + chrono::Days::new(10)).to_string();
    let create = |extra: &[&str]| {
        cli()
            .env(go::ENV_TOKEN, "any")
            .env(go::ENV_BASE_URL, sandbox.go_base_url())
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

/// `issue` against a sandbox process's API: JSON lines, the `--json` summary, a foreign plan
/// refused, and `--cancel` with what it could not cancel.
#[tokio::test(flavor = "multi_thread")]
async fn issue_writes_json_lines_refuses_another_plan_and_cancels() {
    let sandbox = yandex_promo_sandbox::start(SandboxConfig {
        ready_after: std::time::Duration::ZERO,
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox");
    let dir = tempfile::tempdir().expect("temp dir");
    let until = (chrono::Utc::now().date_naive() + chrono::Days::new(30)).to_string();
    let issue = |codes: &str, extra: &[&str]| {
        cli()
            .current_dir(dir.path())
            .env(go::ENV_TOKEN, "any")
            .env(go::ENV_BASE_URL, sandbox.go_base_url())
            .args(["--json", "issue", "--codes", codes, "--value", "500"])
            .args([
                "--active-until",
                &until,
                "--output",
                "codes.jsonl",
                "--format",
                "jsonl",
            ])
            .args(extra)
            .output()
            .expect("runs")
    };
    let done = issue("1200", &[]);
    assert!(done.status.success(), "{}", text(&done.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&done.stdout).expect("one document");
    assert_eq!(summary["codes"], 1_200);
    assert_eq!(summary["orders"].as_array().map(Vec::len), Some(2));
    let lines = std::fs::read_to_string(dir.path().join("codes.jsonl")).expect("output");
    let codes: Vec<serde_json::Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(codes.len(), 1_200);
    assert!(
        codes
            .iter()
            .all(|c| c["value"] == 500 && c["code"].is_string())
    );

    let other = issue("1300", &[]);
    assert_eq!(other.status.code(), Some(1));
    assert!(
        text(&other.stderr).contains("belongs to another plan"),
        "{}",
        text(&other.stderr)
    );

    let used = summary["orders"][0]["order_id"].as_str().expect("order id");
    sandbox.handle().use_codes(used, 1).expect("an order");
    let cancel = cli()
        .current_dir(dir.path())
        .env(go::ENV_TOKEN, "any")
        .env(go::ENV_BASE_URL, sandbox.go_base_url())
        .args([
            "--json",
            "issue",
            "--cancel",
            "--journal",
            "codes.jsonl.journal",
        ])
        .output()
        .expect("runs");
    assert_eq!(
        cancel.status.code(),
        Some(1),
        "one order could not be cancelled"
    );
    let stdout = text(&cancel.stdout);
    let documents: Vec<serde_json::Value> = serde_json::Deserializer::from_str(&stdout)
        .into_iter()
        .collect::<Result<_, _>>()
        .expect("JSON");
    assert_eq!(documents.len(), 1, "one document, the error: {stdout}");
    assert!(text(&cancel.stderr).contains("1 orders could not be cancelled"));
}

/// The seller's loop of the README, command for command: list promos, export a promo's
/// offers, plan a sync from a file, apply it, and find nothing left to do; then updates and
/// deletes from files, with refusals exiting 1.
#[tokio::test(flavor = "multi_thread")]
async fn from_promos_to_a_promo_synced_with_a_file() {
    let sandbox = yandex_promo_sandbox::start(SandboxConfig::default())
        .await
        .expect("sandbox");
    let dir = tempfile::tempdir().expect("temp dir");
    let run = |args: &[&str]| {
        let output = cli()
            .current_dir(dir.path())
            .env(market::ENV_API_KEY, "any")
            .env(market::ENV_BUSINESS_ID, "42")
            .env(market::ENV_BASE_URL, sandbox.market_base_url())
            .args(args)
            .output()
            .expect("runs");
        (
            output.status.code(),
            text(&output.stdout),
            text(&output.stderr),
        )
    };
    let ok = |args: &[&str]| {
        let (code, stdout, stderr) = run(args);
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        stdout
    };
    let write =
        |name: &str, text: &str| std::fs::write(dir.path().join(name), text).expect("write");

    assert!(ok(&["market", "promos"]).contains("sb_direct_now"));
    ok(&[
        "market",
        "offers",
        "list",
        "sb_direct_now",
        "--format",
        "csv",
        "--output",
        "offers.csv",
    ]);
    let exported = std::fs::read_to_string(dir.path().join("offers.csv")).expect("the CSV");
    assert_eq!(exported.lines().count(), 61, "a header and 60 offers");
    assert!(
        exported.starts_with("offer_id,status,price,promo_price,max_promo_price,campaign_ids\n")
    );

    write(
        "desired.csv",
        "offer_id,price,promo_price\nSKU-0001,1000,480\nSKU-0005,1000,600\nSKU-0007,1000,680\n",
    );
    let plan = ok(&[
        "market",
        "offers",
        "sync",
        "sb_direct_now",
        "--file",
        "desired.csv",
    ]);
    insta::assert_snapshot!("sync_plan", plan);
    let applied = ok(&[
        "market",
        "offers",
        "sync",
        "sb_direct_now",
        "--file",
        "desired.csv",
        "--apply",
    ]);
    assert!(
        applied.contains("applied 3 offers in 1 requests; 0 refused"),
        "{applied}"
    );
    assert!(
        applied.contains("took 17 offers out in 1 requests; 0 refused"),
        "{applied}"
    );
    let again: serde_json::Value = serde_json::from_str(&ok(&[
        "--json",
        "market",
        "offers",
        "sync",
        "sb_direct_now",
        "--file",
        "desired.csv",
    ]))
    .expect("JSON");
    assert_eq!(again["plan"]["add"], serde_json::json!([]));
    assert_eq!(again["plan"]["reprice"], serde_json::json!([]));
    assert_eq!(again["plan"]["remove"], serde_json::json!([]));
    assert_eq!(again["plan"]["unchanged"], 3);

    write(
        "update.csv",
        "offer_id,price,promo_price\nSKU-0002,1000,500\nSKU-0101,1000,500\n",
    );
    let (code, stdout, _) = run(&[
        "market",
        "offers",
        "update",
        "sb_direct_now",
        "--file",
        "update.csv",
    ]);
    assert_eq!(code, Some(1), "a refusal exits 1");
    assert!(
        stdout.contains("SKU-0101  OFFER_NOT_ELIGIBLE_FOR_PROMO"),
        "{stdout}"
    );
    write(
        "bad.csv",
        "offer_id,price,promo_price\nSKU-0002,1000,499.90\n",
    );
    let (code, _, stderr) = run(&[
        "market",
        "offers",
        "update",
        "sb_direct_now",
        "--file",
        "bad.csv",
    ]);
    assert_eq!(code, Some(2), "bad input");
    assert!(
        stderr.contains("bad.csv line 2, column promo_price"),
        "{stderr}"
    );

    write("ids.csv", "offer_id\nSKU-0002\n");
    let deleted = ok(&[
        "market",
        "offers",
        "delete",
        "sb_direct_now",
        "--file",
        "ids.csv",
    ]);
    assert!(deleted.contains("took 1 offers out"), "{deleted}");
    ok(&["market", "offers", "delete", "sb_direct_now", "--all"]);
    let manual = ok(&[
        "market",
        "offers",
        "list",
        "sb_direct_now",
        "--status",
        "MANUALLY_ADDED",
    ]);
    assert_eq!(manual.lines().count(), 1, "only the header:\n{manual}");
}
