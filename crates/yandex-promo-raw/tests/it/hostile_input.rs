//! Hostile input for every decoder of both APIs: arbitrary JSON built from the specs' own field
//! names (so wrong types reach real fields), vendor examples with one value replaced, huge
//! numbers, deep nesting, invalid UTF-8 and truncated bodies. A decoder may refuse; it may
//! never panic, and what it accepts must survive a round trip unchanged.
use proptest::prelude::*;
use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;
use yandex_promo_raw::{go::types as go, market::types as market};

use crate::{fixture, fixture_spec};

/// Decodes `bytes` as `T`; when that works, encodes and decodes again and compares.
fn check<T>(bytes: &[u8]) -> Result<bool, String>
where
    T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug,
{
    let Ok(first) = serde_json::from_slice::<T>(bytes) else {
        return Ok(false);
    };
    let encoded = serde_json::to_vec(&first).map_err(|e| format!("cannot encode: {e}"))?;
    let second: T =
        serde_json::from_slice(&encoded).map_err(|e| format!("round trip fails: {e}"))?;
    if first == second {
        Ok(true)
    } else {
        Err(format!("round trip changed {first:?} into {second:?}"))
    }
}

type Decoder = fn(&[u8]) -> Result<bool, String>;

/// Every body either API sends or receives, by name.
const DECODERS: [(&str, Decoder); 10] = [
    ("go Order", check::<go::Order>),
    (
        "go PromocodeOrderListResponse",
        check::<go::PromocodeOrderListResponse>,
    ),
    (
        "go PromocodeOrderCreateResponse",
        check::<go::PromocodeOrderCreateResponse>,
    ),
    (
        "go PromocodeOrderCancelResponse",
        check::<go::PromocodeOrderCancelResponse>,
    ),
    ("go CodeListResponse", check::<go::CodeListResponse>),
    ("go Error", check::<go::Error>),
    ("go PromocodeOrder", check::<go::PromocodeOrder>),
    (
        "market GetPromosResponse",
        check::<market::GetPromosResponse>,
    ),
    ("market ApiErrorResponse", check::<market::ApiErrorResponse>),
    ("market GetPromosRequest", check::<market::GetPromosRequest>),
];

/// The vendor examples each mutation starts from.
const EXAMPLES: [&str; 7] = [
    "go/seed001_codes_list.json",
    "go/seed002_create_request.json",
    "go/seed002_create_response.json",
    "go/seed003_order_info.json",
    "go/sdk_error.json",
    "market/seed004_result.json",
    "market/seed004_error.json",
];

/// Runs every decoder on `bytes`; fails on a round trip that changes a value. A panic fails
/// the property by itself.
fn decode_all(bytes: &[u8]) -> Result<usize, TestCaseError> {
    let mut accepted = 0;
    for (name, decoder) in DECODERS {
        accepted +=
            usize::from(decoder(bytes).map_err(|e| TestCaseError::fail(format!("{name}: {e}")))?);
    }
    Ok(accepted)
}

/// Every property name either spec declares.
fn spec_field_names() -> Vec<String> {
    fn collect(value: &Value, names: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::Object(properties)) = map.get("properties") {
                    names.extend(properties.keys().cloned());
                }
                map.values().for_each(|v| collect(v, names));
            }
            Value::Array(items) => items.iter().for_each(|v| collect(v, names)),
            _ => {}
        }
    }
    let mut names = Vec::new();
    for stem in ["go-business", "market-partner"] {
        let spec: Value = serde_json::from_str(&fixture_spec(stem)).expect("spec");
        collect(&spec, &mut names);
    }
    names.sort();
    names.dedup();
    names
}

/// Scalars that stress the decoders: extremes, numbers beyond any Rust type, and strings
/// shaped like the values the specs expect (dates, decimals, enum values).
fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("JSON has no NaN", |f| {
            serde_json::Number::from_f64(f).map(Value::Number)
        }),
        "\\PC{0,16}".prop_map(Value::String),
        "-?[0-9]{1,40}(\\.[0-9]{0,40})?".prop_map(Value::String),
        "[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2}))?"
            .prop_map(Value::String),
        prop::sample::select(vec![
            "taxi", "eats", "creation_success", "pending", "active", "used", "MARKET_PROMOCODE",
            "DIRECT_DISCOUNT", "OK", "ERROR", "CPA", "", " ",
        ])
        .prop_map(|s| Value::String(s.to_owned())),
    ]
}

/// Arbitrary JSON up to a few levels deep, its objects keyed mostly by the specs' names.
fn json() -> impl Strategy<Value = Value> {
    let names = spec_field_names();
    let key = prop_oneof![
        3 => prop::sample::select(names),
        1 => "[a-zA-Z_]{0,8}",
    ];
    scalar().prop_recursive(5, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..8)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Replaces the value at the `pick`-th node (depth first) of `document` with `replacement`.
fn replace_node(document: &mut Value, pick: usize, replacement: Value) {
    fn visit(value: &mut Value, left: &mut usize, replacement: &mut Option<Value>) {
        if *left == 0 {
            if let Some(new) = replacement.take() {
                *value = new;
            }
            return;
        }
        *left -= 1;
        match value {
            Value::Object(map) => map.values_mut().for_each(|v| visit(v, left, replacement)),
            Value::Array(items) => items.iter_mut().for_each(|v| visit(v, left, replacement)),
            _ => {}
        }
    }
    let mut left = pick;
    visit(document, &mut left, &mut Some(replacement));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_json_never_panics_a_decoder(value in json()) {
        decode_all(&serde_json::to_vec(&value).expect("encodes"))?;
    }

    #[test]
    fn a_vendor_example_with_one_value_replaced_never_panics_a_decoder(
        example in prop::sample::select(EXAMPLES.to_vec()),
        pick in 0usize..200,
        replacement in json(),
    ) {
        let mut document: Value = serde_json::from_str(&fixture(example)).expect("fixture");
        replace_node(&mut document, pick, replacement);
        decode_all(&serde_json::to_vec(&document).expect("encodes"))?;
    }

    #[test]
    fn damaged_bytes_never_panic_a_decoder(
        example in prop::sample::select(EXAMPLES.to_vec()),
        cut in any::<prop::sample::Index>(),
        position in any::<prop::sample::Index>(),
        byte in any::<u8>(),
    ) {
        let body = fixture(example).into_bytes();
        let content = body.trim_ascii_end().len();
        // Truncated anywhere inside the document: refused by every decoder.
        let truncated = &body[..cut.index(content)];
        prop_assert_eq!(decode_all(truncated)?, 0, "a truncated body was accepted");
        // One byte replaced (often invalid UTF-8): refused or decoded, never a panic.
        let mut damaged = body.clone();
        damaged[position.index(body.len())] = byte;
        decode_all(&damaged)?;
    }
}

#[test]
fn deep_nesting_never_exhausts_the_stack() {
    for depth in [200, 100_000] {
        let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let object = format!(
            r#"{}"x"{}"#,
            r#"{"orders":"#.repeat(depth),
            "}".repeat(depth)
        );
        assert_eq!(
            decode_all(nested.as_bytes()).expect("no round-trip failure"),
            0
        );
        // Types whose fields are all optional may skip an unknown field however deep it is;
        // what matters is that nothing recurses without bound.
        decode_all(object.as_bytes()).expect("no round-trip failure");
    }
}

#[test]
fn numbers_beyond_every_type_are_refused_not_wrapped() {
    let order: Value =
        serde_json::from_str(&fixture("go/seed003_order_info.json")).expect("fixture");
    for (pointer, huge) in [
        ("/count", "1e20"),
        ("/value", "99999999999999999999999999"),
        ("/count", "-2147483649"),
        ("/pricing/cost", "1e400"),
        ("/pricing/cost", "1e300"),
        ("/pricing/cost", "\"1e300\""),
        ("/pricing/vat", "\"99999999999999999999999999999999999\""),
        ("/revoke_count", "2147483648"),
    ] {
        let text = serde_json::to_string(&order).expect("encodes");
        let key = quoted_last(pointer);
        let old = order.pointer(pointer).expect("field present").to_string();
        let body = text.replacen(&format!("{key}:{old}"), &format!("{key}:{huge}"), 1);
        assert_ne!(body, text, "{pointer} was replaced");
        let decoded = serde_json::from_str::<go::Order>(&body);
        assert!(
            decoded.is_err(),
            "{pointer} = {huge} decoded as {decoded:?}"
        );
    }
}

/// `"name"` for the last segment of a JSON pointer.
fn quoted_last(pointer: &str) -> String {
    format!("\"{}\"", pointer.rsplit('/').next().unwrap_or_default())
}
