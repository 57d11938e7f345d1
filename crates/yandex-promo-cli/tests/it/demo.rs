//! `demo`: the whole tool on the embedded sandbox, for people (snapshots of both streams) and
//! with `--json` (one document).
use crate::support::{cli, masked, text};

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
    assert_eq!(report["usage"]["totals"]["usages"], 39);
    assert_eq!(
        report["guarded"]["plan"]["promos"].as_array().map(Vec::len),
        Some(3)
    );
    assert_eq!(report["guarded"]["applied"]["requests"], 6);
    assert_eq!(report["guarded"]["again"]["promos"], serde_json::json!([]));
    assert_eq!(
        report["usage"]["series"]["points"].as_array().map(Vec::len),
        Some(6)
    );
}
