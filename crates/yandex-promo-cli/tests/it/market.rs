//! `market promos` and `market offers`, in the seller's loop of the README: list, export, sync
//! with a file, update and delete from files.
use yandex_promo::market;
use yandex_promo_sandbox::SandboxConfig;

use crate::support::{self, cli, text};

/// The seller's loop of the README, command for command: list promos, export a promo's
/// offers, plan a sync from a file, apply it, and find nothing left to do; then updates and
/// deletes from files, with refusals exiting 1.
#[tokio::test(flavor = "multi_thread")]
async fn from_promos_to_a_promo_synced_with_a_file() {
    let sandbox = support::sandbox(SandboxConfig::default()).await;
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
