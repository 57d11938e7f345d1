//! Integration tests of the generated clients, built as one binary.
mod decode_go;
mod decode_market;
mod hostile_input;
mod loopback;
mod open_enums;
mod roundtrip_go;
mod roundtrip_market;
mod spec_examples;
mod surface;

use yandex_promo_test_support::fixture;

/// Reads the raw crate's bundled copy of a spec (`spec/<stem>.json`).
fn fixture_spec(stem: &str) -> String {
    let full = format!("{}/spec/{stem}.json", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("cannot read {full}: {e}"))
}

/// Decodes a JSON document into `T`, failing the test with serde's message.
fn decode<T: serde::de::DeserializeOwned>(json: &str) -> T {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("does not decode: {e}\n{json}"))
}
