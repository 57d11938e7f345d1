//! `cargo xtask spec-diff` end to end on the repository's own specs: the exit statuses (0 when
//! nothing breaks, 1 when something does, 2 for a file that does not parse) and the `--json`
//! document. The modified copies are built here, in a temporary directory.
use std::{
    fs,
    path::{Path, PathBuf},
    process::Command,
};

use serde_yaml::Value;

fn spec(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../openapi")
        .join(name)
}

/// A fresh temporary directory for one test.
fn temp_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-spec-diff-{}-{test}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// `go-business.yaml` changed by `mutate`, written to `dir`.
fn mutated(dir: &Path, mutate: impl FnOnce(&mut Value)) -> PathBuf {
    let text = fs::read_to_string(spec("go-business.yaml")).expect("read spec");
    let mut value: Value = serde_yaml::from_str(&text).expect("spec is YAML");
    mutate(&mut value);
    let path = dir.join("go-business.yaml");
    fs::write(&path, serde_yaml::to_string(&value).expect("serialise")).expect("write");
    path
}

/// Runs `spec-diff --json`: the exit status and the parsed document (`None` when stdout is
/// empty).
fn spec_diff(old: &Path, new: &Path) -> (i32, Option<serde_json::Value>) {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["spec-diff", "--json"])
        .arg(old)
        .arg(new)
        .output()
        .expect("run xtask");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    let document = (!stdout.trim().is_empty())
        .then(|| serde_json::from_str(&stdout).expect("stdout is exactly one JSON document"));
    (output.status.code().expect("an exit code"), document)
}

/// The `(rule, breaking)` pairs of a `--json` document.
fn rules(document: &serde_json::Value) -> Vec<(String, bool)> {
    document["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            let rule = c["rule"].as_str().expect("rule").to_owned();
            assert!(c["location"].is_string() && c["message"].is_string(), "{c}");
            (rule, c["breaking"].as_bool().expect("breaking"))
        })
        .collect()
}

#[test]
fn each_spec_against_itself_has_no_changes() {
    for name in ["go-business.yaml", "market-partner.yaml"] {
        let (code, document) = spec_diff(&spec(name), &spec(name));
        assert_eq!(code, 0, "{name}");
        assert_eq!(document, Some(serde_json::json!({"changes": []})), "{name}");
    }
}

#[test]
fn a_removed_response_property_breaks() {
    let dir = temp_dir("removed");
    let new = mutated(&dir, |spec| {
        let pricing = &mut spec["components"]["schemas"]["Pricing"]["properties"];
        pricing
            .as_mapping_mut()
            .expect("Pricing's properties")
            .remove("currency")
            .expect("Pricing.currency");
    });
    let (code, document) = spec_diff(&spec("go-business.yaml"), &new);
    assert_eq!(code, 1);
    let document = document.expect("a document");
    assert!(
        rules(&document).contains(&("response-property-removed".to_owned(), true)),
        "{document}"
    );
    let locations: Vec<&str> = document["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter_map(|c| c["location"].as_str())
        .collect();
    assert!(
        locations.contains(
            &"GET /promocodes/orders/list 200 application/json orders[].pricing.currency"
        ),
        "{locations:?}"
    );
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn a_changed_description_is_safe() {
    let dir = temp_dir("description");
    let new = mutated(&dir, |spec| {
        spec["paths"]["/promocodes/orders/list"]["get"]["description"] =
            Value::from("Returns one page of orders.");
    });
    let (code, document) = spec_diff(&spec("go-business.yaml"), &new);
    assert_eq!(code, 0);
    assert_eq!(
        rules(&document.expect("a document")),
        [("description-changed".to_owned(), false)]
    );
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn a_file_that_does_not_parse_or_is_missing_exits_2() {
    let dir = temp_dir("unparsable");
    let broken = dir.join("broken.yaml");
    fs::write(&broken, "openapi: 3.0.3\ninfo: [unclosed\n").expect("write");
    let good = spec("go-business.yaml");
    assert_eq!(spec_diff(&good, &broken), (2, None));
    assert_eq!(spec_diff(&broken, &good), (2, None));
    assert_eq!(spec_diff(&dir.join("missing.yaml"), &good), (2, None));
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn the_report_has_one_line_per_change() {
    let dir = temp_dir("report");
    let new = mutated(&dir, |spec| {
        spec["paths"]["/promocodes/orders/list"]["get"]["operationId"] = Value::from("listOrders");
    });
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["spec-diff"])
        .arg(spec("go-business.yaml"))
        .arg(&new)
        .output()
        .expect("run xtask");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{stdout}");
    assert!(lines[0].starts_with("BREAKING"), "{stdout}");
    assert!(lines[0].contains("operation-id-changed"), "{stdout}");
    assert!(lines[0].contains("GET /promocodes/orders/list"), "{stdout}");
    let _ = fs::remove_dir_all(dir);
}
