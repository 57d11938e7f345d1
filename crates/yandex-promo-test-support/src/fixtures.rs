//! The vendor examples and hand-made payloads in the workspace's `fixtures/` folder, the one
//! copy every test suite and the fuzz targets' seed corpora read.
use std::path::PathBuf;

/// The workspace's root folder.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The text of `fixtures/<path>`, e.g. `go/seed003_order_info.json`.
///
/// # Panics
/// When the file cannot be read: a test without its fixture cannot run.
pub fn fixture(path: &str) -> String {
    let full = workspace_root().join("fixtures").join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("cannot read {}: {e}", full.display()))
}

/// `fixtures/<path>` as JSON.
///
/// # Panics
/// When the file cannot be read or is not JSON.
pub fn fixture_json(path: &str) -> serde_json::Value {
    serde_json::from_str(&fixture(path)).unwrap_or_else(|e| panic!("{path} is not JSON: {e}"))
}
