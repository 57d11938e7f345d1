//! `market promos` and `market offers`, in the seller's loop of the README: list, export, sync
//! with a file, update and delete from files; Bestsellers levels in the offers table and in a
//! sync file, sync files in JSON, every bad row named, and the seller's floors.
use std::path::Path;

use yandex_promo::market;
use yandex_promo_sandbox::{RunningSandbox, SandboxConfig};

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
        exported
            .starts_with("offer_id,status,price,promo_price,max_promo_price,level,campaign_ids\n")
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
        stderr.contains(
            "bad.csv has 1 bad row:\n  line 2, column promo_price: must be a whole number of roubles, not \"499.90\""
        ),
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

/// The binary against `sandbox`'s Market, run in `dir`: its exit code, stdout and stderr.
fn run_in(sandbox: &RunningSandbox, dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let output = cli()
        .current_dir(dir)
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
}

/// Writes `text` to `name` in `dir`.
fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write");
}

/// A desired file naming levels in the sandbox's Bestsellers promo: each row is planned at
/// its level's threshold (SKU-0041: top 1597 = 88% of its base 1815; SKU-0042: best 1774 =
/// 96% of 1848; SKU-0048, not in the promo, light 2048 = its base), beside a row at a price;
/// once applied, each offer reaches the level it named.
#[tokio::test(flavor = "multi_thread")]
async fn sync_with_a_level_column_plans_the_thresholds() {
    let sandbox = support::sandbox(SandboxConfig::default()).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let run = |args: &[&str]| run_in(&sandbox, dir.path(), args);
    write(
        dir.path(),
        "desired.csv",
        "offer_id,price,promo_price,level\nSKU-0041,2017,,top\nSKU-0042,2054,,best\nSKU-0048,2276,,light\nSKU-0050,2350,1800,\n",
    );
    let sync = [
        "market",
        "offers",
        "sync",
        BESTSELLERS,
        "--file",
        "desired.csv",
    ];
    let (code, plan, stderr) = run(&sync);
    assert_eq!(code, Some(0), "{stderr}");
    insta::assert_snapshot!("sync_level_plan", plan);

    let (code, json, stderr) = run(&[&["--json"], &sync[..]].concat());
    assert_eq!(code, Some(0), "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let reprice = &json["plan"]["reprice"];
    assert_eq!(reprice[0]["update"]["offer_id"], "SKU-0041");
    assert_eq!(reprice[0]["update"]["promo_price"], 1597);
    assert_eq!(reprice[0]["update"]["level"], "top");
    assert_eq!(reprice[2]["update"]["offer_id"], "SKU-0050");
    assert_eq!(
        reprice[2]["update"].get("level"),
        None,
        "a price row names no level"
    );
    assert_eq!(json["plan"]["add"][0]["promo_price"], 2048);

    let (code, applied, stderr) = run(&[&sync[..], &["--apply"]].concat());
    assert_eq!(code, Some(0), "{stderr}");
    assert!(applied.contains("applied 4 offers"), "{applied}");
    let levels = exported_levels(&sandbox, dir.path(), BESTSELLERS);
    for (offer, level) in [
        ("SKU-0041", "top"),
        ("SKU-0042", "best"),
        ("SKU-0048", "light"),
        ("SKU-0050", "top"),
    ] {
        assert_eq!(levels[offer], level, "{offer}");
    }
}

/// Three bad rows among good ones: a level that is not one, a row with both a promo price and
/// a level, a row with neither. Each is named with its line (and column), nothing is sent,
/// and the command exits 2; with `--json` the document lists the three as violations.
#[tokio::test(flavor = "multi_thread")]
async fn a_sync_file_with_three_bad_rows_names_all_three() {
    let sandbox = support::sandbox(SandboxConfig::default()).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let run = |args: &[&str]| run_in(&sandbox, dir.path(), args);
    write(
        dir.path(),
        "desired.csv",
        "offer_id,price,promo_price,level\nSKU-0041,2017,,top\nSKU-0042,2054,,gold\nSKU-0050,2350,1800,\nSKU-0051,2387,1900,best\nSKU-0052,2424,,\n",
    );
    let sync = [
        "market",
        "offers",
        "sync",
        BESTSELLERS,
        "--file",
        "desired.csv",
    ];
    let (code, stdout, stderr) = run(&sync);
    assert_eq!(code, Some(2), "bad input: {stdout}{stderr}");
    assert!(stdout.is_empty(), "no plan: {stdout}");
    let error = stderr
        .split_once("error: ")
        .map(|(_, error)| error)
        .expect("an error");
    assert_eq!(
        error.trim_end(),
        "desired.csv has 3 bad rows:
  line 3, column level: unknown level \"gold\" (light, best, super, top)
  line 5: has both promo_price and level: give one of them
  line 6: has neither promo_price nor level: give one"
    );

    let (code, json, _) = run(&[&["--json"], &sync[..]].concat());
    assert_eq!(code, Some(2));
    let json: serde_json::Value = serde_json::from_str(&json).expect("one JSON document");
    let fields: Vec<&str> = json["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .filter_map(|v| v["field"].as_str())
        .collect();
    assert_eq!(fields, ["line 3, column level", "line 5", "line 6"]);

    let (_, manual, _) = run(&[
        "market",
        "offers",
        "list",
        BESTSELLERS,
        "--status",
        "MANUALLY_ADDED",
    ]);
    assert!(
        manual.contains("SKU-0042  MANUAL  2054   1643"),
        "nothing was sent:\n{manual}"
    );
}

/// The same desired rows as a JSON array of objects (numbers or strings, `null` for none)
/// plan exactly what the CSV plans; a bad JSON row is named by the line it starts on.
#[tokio::test(flavor = "multi_thread")]
async fn sync_file_as_json_is_read_like_csv() {
    let sandbox = support::sandbox(SandboxConfig::default()).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let run = |args: &[&str]| run_in(&sandbox, dir.path(), args);
    write(
        dir.path(),
        "desired.csv",
        "offer_id,price,promo_price,level\nSKU-0041,2017,,top\nSKU-0050,2350,1800,\n",
    );
    write(
        dir.path(),
        "desired.json",
        r#"[
  {"offer_id": "SKU-0041", "price": 2017, "promo_price": null, "level": "top"},
  {"offer_id": "SKU-0050", "price": "2350", "promo_price": 1800}
]
"#,
    );
    let plan = |file: &str| {
        let (code, stdout, stderr) =
            run(&["market", "offers", "sync", BESTSELLERS, "--file", file]);
        assert_eq!(code, Some(0), "{file}: {stderr}");
        stdout
    };
    let from_csv = plan("desired.csv");
    assert!(
        from_csv.contains("reprice  SKU-0041  2017   1597         top"),
        "{from_csv}"
    );
    assert_eq!(plan("desired.json"), from_csv);

    write(
        dir.path(),
        "bad.json",
        r#"[
  {"offer_id": "SKU-0041", "price": 2017, "level": "top"},
  {"offer_id": "SKU-0050", "price": 2350,
   "promo_price": 1799.5, "shop": 1}
]
"#,
    );
    let (code, _, stderr) = run(&[
        "market",
        "offers",
        "sync",
        BESTSELLERS,
        "--file",
        "bad.json",
    ]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "bad.json has 1 bad row:
  line 3, column shop: is not a column of this file (offer_id, price, promo_price, level)
  line 3, column promo_price: must be a whole number of roubles, not \"1799.5\""
        ),
        "{stderr}"
    );
}

/// The offers table and its CSV export show the Bestsellers level each offer's promo price
/// reaches: the sandbox seeds promo prices at 80% of the price, under super's 82.8% and over
/// top's 79.2%; `MINIMUM_FOR_PROMOS` offers sit at their cap, light's threshold; an offer out
/// of the promo, and every offer of another promo, reaches none.
#[tokio::test(flavor = "multi_thread")]
async fn offers_table_shows_the_level_reached() {
    let sandbox = support::sandbox(SandboxConfig::default()).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let run = |args: &[&str]| run_in(&sandbox, dir.path(), args);
    let (code, table, stderr) = run(&["market", "offers", "list", BESTSELLERS]);
    assert_eq!(code, Some(0), "{stderr}");
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(
        lines[0],
        " offer_id  status              price  promo_price  max_promo_price  level  campaign_ids"
    );
    assert_eq!(
        lines[1],
        " SKU-0041  MANUAL              2017   1613         1815             super"
    );
    assert_eq!(
        lines[7],
        " SKU-0047  MINIMUM_FOR_PROMOS  2239   2015         2015             light"
    );

    let levels = exported_levels(&sandbox, dir.path(), BESTSELLERS);
    assert_eq!(levels["SKU-0041"], "super");
    assert_eq!(
        levels["SKU-0044"], "top",
        "with no cap of its own, at the 68% Market chose"
    );
    assert_eq!(levels["SKU-0047"], "light");
    assert_eq!(levels["SKU-0046"], "", "RENEW_FAILED: not in the promo");
    assert_eq!(levels["SKU-0048"], "");
    let direct = exported_levels(&sandbox, dir.path(), "sb_direct_now");
    assert_eq!(direct.len(), 60);
    assert!(direct.values().all(String::is_empty), "{direct:?}");
}

/// `--floors`: a row whose promo price, or whose level's threshold, is below its offer's
/// floor is refused, named by its line (exit 2, nothing sent); a promo price equal to its
/// floor passes. A floors file is checked like a sync file, every bad row named.
#[tokio::test(flavor = "multi_thread")]
async fn sync_with_floors_refuses_a_row_below_its_floor() {
    let sandbox = support::sandbox(SandboxConfig::default()).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let run = |args: &[&str]| run_in(&sandbox, dir.path(), args);
    write(
        dir.path(),
        "desired.csv",
        "offer_id,price,promo_price,level\nSKU-0041,2017,,top\nSKU-0050,2350,1800,\nSKU-0051,2387,1900,\n",
    );
    let sync = |floors: &str| {
        run(&[
            "market",
            "offers",
            "sync",
            BESTSELLERS,
            "--file",
            "desired.csv",
            "--floors",
            floors,
        ])
    };
    write(
        dir.path(),
        "floors.csv",
        "offer_id,floor\nSKU-0041,1598\nSKU-0050,1801\nSKU-0051,1900\nSKU-9999,1\n",
    );
    let (code, stdout, stderr) = sync("floors.csv");
    assert_eq!(code, Some(2), "{stdout}{stderr}");
    assert!(stdout.is_empty(), "no plan: {stdout}");
    assert!(
        stderr.contains(
            "desired.csv has 2 bad rows:
  line 2, column level: sets the promo price to 1597, which is below the seller's floor 1598 (got top)
  line 3, column promo_price: is below the seller's floor 1801 (got 1800)
"
        ),
        "{stderr}"
    );

    write(
        dir.path(),
        "floors.json",
        r#"[{"offer_id": "SKU-0041", "floor": 1597}, {"offer_id": "SKU-0050", "floor": 1800}]"#,
    );
    let (code, plan, stderr) = sync("floors.json");
    assert_eq!(code, Some(0), "at the floor passes: {stderr}");
    assert!(plan.contains("reprice  SKU-0050  2350   1800"), "{plan}");

    write(
        dir.path(),
        "floors.csv",
        "offer_id,floor\nSKU-0041,0\nSKU-0050,12.5\n,100\nSKU-0041 ,1500\n",
    );
    let (code, _, stderr) = sync("floors.csv");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "floors.csv has 4 bad rows:
  line 2, column floor: must be a whole number of roubles from 1 to 9223372036854775807 (got 0)
  line 3, column floor: must be a whole number of roubles, not \"12.5\"
  line 4, column offer_id: is required
  line 5, column offer_id: must not repeat line 2 (got \"SKU-0041\")
"
        ),
        "{stderr}"
    );
}

/// The sandbox's "Market Bestsellers" promo (its offers carry `bestPriceLevels`).
const BESTSELLERS: &str = "sb_bestsellers_next";

/// Each offer's `level` in the CSV export of `promo_id` (written in `dir`), by offer id.
fn exported_levels(
    sandbox: &RunningSandbox,
    dir: &Path,
    promo_id: &str,
) -> std::collections::BTreeMap<String, String> {
    let file = format!("{promo_id}.csv");
    let (code, _, stderr) = run_in(
        sandbox,
        dir,
        &[
            "market", "offers", "list", promo_id, "--format", "csv", "--output", &file,
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    let exported = std::fs::read_to_string(dir.join(&file)).expect("the CSV");
    let mut lines = exported.lines();
    let header: Vec<&str> = lines.next().expect("a header").split(',').collect();
    let level = header
        .iter()
        .position(|c| *c == "level")
        .expect("a level column");
    lines
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            (cells[0].to_owned(), cells[level].to_owned())
        })
        .collect()
}

/// The sandbox's demo floors as a floors file (`offer_id,floor`).
fn demo_floors_csv(sandbox: &RunningSandbox) -> String {
    let mut csv = String::from("offer_id,floor\n");
    for (id, floor) in sandbox.handle().demo_floors() {
        csv.push_str(&format!("{id},{floor}\n"));
    }
    csv
}

/// `market guard`: the plan per promo (Market's own additions below the floor in three
/// promos), sent with `--apply` in one request per promo and operation, after which the same
/// command finds nothing to do.
#[tokio::test(flavor = "multi_thread")]
async fn guard_plans_per_promo_applies_and_a_second_run_plans_nothing() {
    let sandbox = support::sandbox(SandboxConfig::default()).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let run = |args: &[&str]| run_in(&sandbox, dir.path(), args);
    write(dir.path(), "floors.csv", &demo_floors_csv(&sandbox));
    let guard = ["market", "guard", "--floors", "floors.csv"];
    let (code, plan, stderr) = run(&guard);
    assert_eq!(code, Some(0), "{stderr}");
    insta::assert_snapshot!("guard_plan", plan);
    let writes = |sandbox: &RunningSandbox| {
        let log = sandbox.handle().requests();
        log.iter()
            .filter(|r| r.path.ends_with("/offers/update") || r.path.ends_with("/offers/delete"))
            .count()
    };
    assert_eq!(writes(&sandbox), 0, "a plan sends nothing");

    let (code, applied, stderr) = run(&[&guard[..], &["--apply"]].concat());
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        applied.contains("sb_direct_now:\ntook 12 offers out in 1 requests; 0 refused"),
        "{applied}"
    );
    assert!(
        applied.contains("applied 2 offers in 1 requests; 0 refused"),
        "{applied}"
    );
    assert_eq!(writes(&sandbox), 6, "one request per promo and operation");

    let (code, again, stderr) = run(&guard);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        again.contains("nothing to do: every priced offer with a floor is at or above it"),
        "{again}"
    );
    assert!(again.starts_with("skipped sb_promocode_now"), "{again}");
    let (code, again, _) = run(&[&guard[..], &["--apply"]].concat());
    assert_eq!(code, Some(0));
    assert!(again.contains("nothing to do"), "{again}");
    assert_eq!(writes(&sandbox), 6, "nothing sent the second time");
}

/// A floors file for the guard is read like a sync file: every bad row named by its line,
/// CSV or JSON, exit 2, nothing read from Market.
#[tokio::test(flavor = "multi_thread")]
async fn guard_floors_file_with_bad_rows_names_every_one() {
    let sandbox = support::sandbox(SandboxConfig::default()).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let run = |args: &[&str]| run_in(&sandbox, dir.path(), args);
    write(
        dir.path(),
        "floors.csv",
        "offer_id,floor\nSKU-0001,0\nSKU-0002,abc\n,100\nSKU-0001,500\nSKU-0003,400\n",
    );
    let (code, stdout, stderr) = run(&["market", "guard", "--floors", "floors.csv"]);
    assert_eq!(code, Some(2), "{stdout}{stderr}");
    assert!(stdout.is_empty(), "no plan: {stdout}");
    assert!(
        stderr.contains(
            "floors.csv has 4 bad rows:
  line 2, column floor: must be a whole number of roubles from 1 to 9223372036854775807 (got 0)
  line 3, column floor: must be a whole number of roubles, not \"abc\"
  line 4, column offer_id: is required
  line 5, column offer_id: must not repeat line 2 (got \"SKU-0001\")
"
        ),
        "{stderr}"
    );
    write(
        dir.path(),
        "floors.json",
        r#"[
  {"offer_id": "SKU-0001", "floor": -5},
  {"offer_id": "SKU-0002"},
  {"offer_id": "SKU-0003", "floor": 400},
  {"offer_id": "SKU-0003", "floor": 500}
]"#,
    );
    let (code, stdout, stderr) = run(&["market", "guard", "--floors", "floors.json"]);
    assert_eq!(code, Some(2), "{stdout}{stderr}");
    assert!(
        stderr.contains(
            "floors.json has 3 bad rows:
  line 2, column floor: must be a whole number of roubles, not \"-5\"
  line 3, column floor: is required
  line 5, column offer_id: must not repeat line 4 (got \"SKU-0003\")
"
        ),
        "{stderr}"
    );
    let market_calls = sandbox.handle().requests();
    assert!(market_calls.is_empty(), "nothing read: {market_calls:?}");
}

/// `--json`: one document `{"plan", "applied"}`; `applied` is null without `--apply`.
#[tokio::test(flavor = "multi_thread")]
async fn guard_json_output_has_plan_and_applied() {
    let sandbox = support::sandbox(SandboxConfig::default()).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let run = |args: &[&str]| run_in(&sandbox, dir.path(), args);
    write(dir.path(), "floors.json", &{
        let rows: Vec<serde_json::Value> = sandbox
            .handle()
            .demo_floors()
            .into_iter()
            .map(|(id, floor)| serde_json::json!({"offer_id": id, "floor": floor}))
            .collect();
        serde_json::Value::from(rows).to_string()
    });
    let document = |stdout: &str| -> serde_json::Value {
        let mut documents =
            serde_json::Deserializer::from_str(stdout).into_iter::<serde_json::Value>();
        let document = documents.next().expect("a document").expect("JSON");
        assert!(documents.next().is_none(), "one document: {stdout}");
        document
    };
    let (code, stdout, stderr) = run(&["--json", "market", "guard", "--floors", "floors.json"]);
    assert_eq!(code, Some(0), "{stderr}");
    let planned = document(&stdout);
    assert!(planned["applied"].is_null());
    let promos = planned["plan"]["promos"].as_array().expect("promos");
    assert_eq!(promos.len(), 3);
    assert_eq!(promos[0]["promo_id"], "sb_direct_now");
    assert_eq!(promos[0]["take_out"][1]["why"], "added_by_market");
    assert_eq!(planned["plan"]["skipped"][0]["why"], "promo_code");

    let (code, stdout, stderr) = run(&[
        "--json",
        "market",
        "guard",
        "--floors",
        "floors.json",
        "--apply",
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    let applied = document(&stdout);
    assert_eq!(applied["plan"], planned["plan"]);
    assert_eq!(applied["applied"]["requests"], 6);
    assert_eq!(
        applied["applied"]["promos"][0]["deleted"]["removed"]
            .as_array()
            .map(Vec::len),
        Some(12)
    );
}

/// `market guard --apply` that stops part-way: Market fails the fourth of its six writes
/// (sb_flash_soon's update, after sb_direct_now's delete and update and sb_flash_soon's
/// delete), so it exits 1 saying how many requests were applied and to run the same command
/// again; that command sends only what is left, and a third finds nothing to do.
#[tokio::test(flavor = "multi_thread")]
async fn guard_apply_stopped_part_way_finishes_when_run_again() {
    use yandex_promo_sandbox::{Failure, Faults};

    let sandbox = support::sandbox(SandboxConfig::default()).await;
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "floors.csv", &demo_floors_csv(&sandbox));
    let guard = ["market", "guard", "--floors", "floors.csv", "--apply"];
    // The writes Market answered with `status` (`None`: any).
    let writes = |status: Option<u16>| {
        let log = sandbox.handle().requests();
        log.iter()
            .filter(|r| r.path.ends_with("/offers/update") || r.path.ends_with("/offers/delete"))
            .filter(|r| status.is_none_or(|s| r.status == s))
            .count()
    };

    // The guard reads the same promos in the same order every time: a plan-only run counts
    // the reads, and the apply run is failed from its fourth write on (every attempt of it).
    let before = sandbox.handle().requests().len();
    let (code, _, stderr) = run_in(&sandbox, dir.path(), &guard[..4]);
    assert_eq!(code, Some(0), "{stderr}");
    let reads = u32::try_from(sandbox.handle().requests().len() - before).expect("a count");
    sandbox.handle().set_faults(Faults {
        fail_after: reads + 3,
        fail_next: 100,
        failure: Failure::Status503,
        ..Faults::default()
    });
    let before = writes(None);
    let (code, stdout, stderr) = run_in(&sandbox, dir.path(), &guard);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert!(
        stderr.starts_with(
            "error: 3 of 6 requests were applied; run the same command again to send the rest \
             (repeating an applied request changes nothing): the guard stopped at promo \
             sb_flash_soon: "
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("updatePromoOffers: HTTP 503 SERVICE_UNAVAILABLE: fault injected"),
        "the failure itself: {stderr}"
    );
    assert_eq!(before, 0, "the plan-only run wrote nothing");
    assert_eq!(writes(Some(200)), 3, "three writes applied");
    let attempts = writes(Some(503));
    assert!(
        attempts >= 1 && writes(None) == 3 + attempts,
        "the fourth failed, every attempt 503: {attempts} of {}",
        writes(None) - 3
    );
    sandbox.handle().set_faults(Faults::default());
    let failed = writes(None);

    // The same command again plans and sends only what is left.
    let (code, again, stderr) = run_in(&sandbox, dir.path(), &guard);
    assert_eq!(code, Some(0), "{stderr}");
    insta::assert_snapshot!("guard_apply_again", again);
    assert_eq!(writes(None) - failed, 3, "the three requests left");
    assert_eq!(writes(Some(200)), 6, "all six applied");

    // And a third time there is nothing left to send.
    let (code, third, stderr) = run_in(&sandbox, dir.path(), &guard);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        third.contains("nothing to do: every priced offer with a floor is at or above it"),
        "{third}"
    );
    assert_eq!(writes(None) - failed, 3, "nothing sent the third time");
}
