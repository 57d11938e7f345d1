//! `zones`, in the README's walkthrough: from a token to a file of codes valid only for rides
//! from the office zone, then the rest of the zone commands.
use yandex_promo_sandbox::SandboxConfig;

use crate::support::{self, text};

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
    let sandbox = support::sandbox(SandboxConfig {
        seed: Some(4),
        ..SandboxConfig::default()
    })
    .await;
    let dir = tempfile::tempdir().expect("temp dir");
    let run = |args: &[&str]| {
        let output = support::go_cli(&sandbox)
            .current_dir(dir.path())
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
    let until = support::until(30);
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
