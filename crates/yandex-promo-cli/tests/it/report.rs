//! `report`: the usage of orders whose codes were used at known times (see
//! `support::used_orders`), as a table and a chart, as JSON, and as two CSV files; an unknown
//! order reported as unreadable, a bad offset refused, and the embedded sandbox's usage demo
//! offline.
use crate::support::{self, cli, text};

/// The whitespace-separated cells of the line that starts with `first`.
fn cells(stdout: &str, first: &str) -> Vec<String> {
    let line = stdout
        .lines()
        .find(|l| l.split_whitespace().next() == Some(first))
        .unwrap_or_else(|| panic!("a line for {first} in:\n{stdout}"));
    line.split_whitespace().map(str::to_owned).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_table_has_each_order_and_the_totals_and_the_chart_a_bar_per_day() {
    let (sandbox, [first, second]) = support::used_orders().await;
    let output = support::go_cli(&sandbox)
        .args(["report", "--order", &first, "--order", &second])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    let expected = [
        first.as_str(),
        "-",
        "creation_success",
        "300",
        "10",
        "3",
        "4",
        "0",
        "7",
        "2026-03-01",
        "10:00",
        "2026-03-03",
        "20:00",
        "30.0%",
    ];
    assert_eq!(cells(&stdout, &first), expected, "{stdout}");
    let expected = [
        second.as_str(),
        "-",
        "creation_success",
        "500",
        "5",
        "1",
        "1",
        "1",
        "3",
        "2026-03-01",
        "23:30",
        "2026-03-01",
        "23:30",
        "20.0%",
    ];
    assert_eq!(cells(&stdout, &second), expected, "{stdout}");
    let expected = [
        "total",
        "2",
        "orders",
        "15",
        "4",
        "5",
        "1",
        "10",
        "2026-03-01",
        "10:00",
        "2026-03-03",
        "20:00",
        "26.7%",
    ];
    assert_eq!(cells(&stdout, "total"), expected, "{stdout}");

    assert!(stdout.contains("usages per day, UTC+00:00:"), "{stdout}");
    // Stdout is not a terminal: the chart is 80 columns wide, the busiest day's bar longest.
    let busiest = cells(&stdout, "2026-03-01");
    assert_eq!(busiest.last().map(String::as_str), Some("3"), "{stdout}");
    assert!(busiest[1].chars().all(|c| c == '█'), "{stdout}");
    let line = stdout
        .lines()
        .find(|l| l.starts_with("2026-03-01 "))
        .expect("a bar");
    assert_eq!(line.chars().count(), 80, "{line}");
    assert_eq!(
        cells(&stdout, "2026-03-02"),
        ["2026-03-02", "0"],
        "a quiet day"
    );
    let quieter = cells(&stdout, "2026-03-03");
    assert_eq!(quieter.last().map(String::as_str), Some("2"), "{stdout}");
    assert!(quieter[1].chars().count() < busiest[1].chars().count());
}

#[tokio::test(flavor = "multi_thread")]
async fn with_json_the_report_is_one_document_with_the_series_in_the_chosen_time_zone() {
    let (sandbox, [first, second]) = support::used_orders().await;
    let report = |offset: &str| {
        let output = support::go_cli(&sandbox)
            .args(["--json", "report", "--order", &first, "--order", &second])
            .args(["--utc-offset", offset])
            .output()
            .expect("runs");
        assert!(output.status.success(), "{}", text(&output.stderr));
        let report: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("one JSON document");
        report
    };
    let utc = report("+00:00");
    let order = &utc["orders"][0];
    assert_eq!(order["order_id"], first.as_str());
    assert_eq!(order["codes"], 10);
    assert_eq!(order["used_codes"], 3);
    assert_eq!(order["usages"], 4);
    assert_eq!(order["unused"], 7);
    assert_eq!(order["first_use"], "2026-03-01T10:00:00Z");
    assert_eq!(order["last_use"], "2026-03-03T20:00:00Z");
    assert_eq!(order["share_used"], 0.3);
    assert_eq!(utc["orders"][1]["revoked"], 1);
    let totals = &utc["totals"];
    assert_eq!(totals["orders"], 2);
    assert_eq!(totals["unreadable"], 0);
    assert_eq!(totals["codes"], 15);
    assert_eq!(totals["used_codes"], 4);
    assert_eq!(totals["usages"], 5);
    assert_eq!(totals["revoked"], 1);
    assert_eq!(totals["unused"], 10);
    assert_eq!(
        utc["series"],
        serde_json::json!({"bucket": "day", "points": [
            {"start": "2026-03-01T00:00:00Z", "usages": 3},
            {"start": "2026-03-02T00:00:00Z", "usages": 0},
            {"start": "2026-03-03T00:00:00Z", "usages": 2},
        ]})
    );
    // In Moscow the second order's usage falls on the 2nd, and the 3rd's evening stays there.
    let moscow = report("+03:00");
    let points: Vec<(&str, u64)> = moscow["series"]["points"]
        .as_array()
        .expect("points")
        .iter()
        .map(|p| {
            (
                p["start"].as_str().unwrap_or(""),
                p["usages"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        points,
        [
            ("2026-03-01T00:00:00+03:00", 2),
            ("2026-03-02T00:00:00+03:00", 1),
            ("2026-03-03T00:00:00+03:00", 2),
        ]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn with_an_output_file_the_orders_and_the_series_go_to_two_csv_files() {
    let (sandbox, [first, second]) = support::used_orders().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let output = support::go_cli(&sandbox)
        .current_dir(dir.path())
        .args(["report", "--order", &first, "--order", &second])
        .args([
            "--bucket",
            "day",
            "--format",
            "csv",
            "--output",
            "usage.csv",
        ])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout),
        "wrote 2 orders to usage.csv and 3 days of usages to usage.series.csv\n"
    );
    let orders = std::fs::read_to_string(dir.path().join("usage.csv")).expect("the orders");
    assert_eq!(
        orders,
        format!(
            "order_id,name,status,value,count,codes,used_codes,usages,revoked,unused,first_use,last_use,share_used,error\n\
             {first},,creation_success,300,10,10,3,4,0,7,2026-03-01T10:00:00+00:00,2026-03-03T20:00:00+00:00,0.3,\n\
             {second},,creation_success,500,5,5,1,1,1,3,2026-03-01T23:30:00+00:00,2026-03-01T23:30:00+00:00,0.2,\n"
        )
    );
    let series = std::fs::read_to_string(dir.path().join("usage.series.csv")).expect("the series");
    assert_eq!(
        series,
        "start,usages\n\
         2026-03-01T00:00:00+00:00,3\n\
         2026-03-02T00:00:00+00:00,0\n\
         2026-03-03T00:00:00+00:00,2\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_order_is_reported_unreadable_and_the_command_still_exits_0() {
    let (sandbox, [first, _]) = support::used_orders().await;
    let output = support::go_cli(&sandbox)
        .args(["report", "--order", &first, "--order", "sb-no-such-order"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    let row = cells(&stdout, "sb-no-such-order");
    assert_eq!(row[2], "unreadable", "{stdout}");
    assert!(row.join(" ").contains("order not found"), "{stdout}");
    let totals = cells(&stdout, "total");
    assert_eq!(
        totals[..6],
        ["total", "2", "orders", "1", "unreadable", "10"]
    );
    assert!(
        text(&output.stderr).contains("note: 1 of 2 orders could not be read"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn a_bad_utc_offset_exits_2_and_says_what_is_expected() {
    let output = cli()
        .args(["report", "--utc-offset", "moscow"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("invalid value 'moscow' for '--utc-offset <OFFSET>'")
            && stderr.contains("such as +03:00"),
        "{stderr}"
    );
}

#[test]
fn offline_the_report_shows_the_embedded_sandboxs_usage_demo() {
    let output = cli().args(["--json", "report"]).output().expect("runs");
    assert!(output.status.success(), "{}", text(&output.stderr));
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("one JSON document");
    assert_eq!(report["orders"].as_array().map(Vec::len), Some(3));
    let totals = &report["totals"];
    assert_eq!(
        (&totals["codes"], &totals["used_codes"], &totals["usages"]),
        (&270.into(), &185.into(), &285.into())
    );
    assert_eq!(report["series"]["bucket"], "day");
    assert!(text(&output.stderr).contains("seeded with three orders whose codes were used"));
}
