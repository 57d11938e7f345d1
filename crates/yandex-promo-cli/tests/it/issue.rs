//! `issue`: JSON lines, the `--json` summary, another plan refused, and `--cancel`.
use yandex_promo_sandbox::SandboxConfig;

use crate::support::{self, text};

/// `issue` against a sandbox process's API: JSON lines, the `--json` summary, a foreign plan
/// refused, and `--cancel` with what it could not cancel.
#[tokio::test(flavor = "multi_thread")]
async fn issue_writes_json_lines_refuses_another_plan_and_cancels() {
    let sandbox = support::sandbox(SandboxConfig {
        ready_after: std::time::Duration::ZERO,
        ..SandboxConfig::default()
    })
    .await;
    let dir = tempfile::tempdir().expect("temp dir");
    let until = support::until(30);
    let issue = |codes: &str, extra: &[&str]| {
        support::go_cli(&sandbox)
            .current_dir(dir.path())
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
    let cancel = support::go_cli(&sandbox)
        .current_dir(dir.path())
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
