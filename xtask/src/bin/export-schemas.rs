//! Prints the JSON Schemas of the generated request and response types as one JSON object,
//! `{spec: {type: schema}}`. Run by `cargo xtask codegen` in a separate process so that it
//! sees the raw crate built from freshly synced specs.
use std::collections::BTreeMap;

use schemars::schema_for;
use serde_json::{Value, to_value};
use yandex_promo_raw::{go::types as go, market::types as market};

fn main() -> Result<(), serde_json::Error> {
    let go_business: BTreeMap<&str, Value> = BTreeMap::from([
        ("PromocodeOrder", to_value(schema_for!(go::PromocodeOrder))?),
        (
            "PromocodeOrderCreateResponse",
            to_value(schema_for!(go::PromocodeOrderCreateResponse))?,
        ),
        (
            "PromocodeOrderListResponse",
            to_value(schema_for!(go::PromocodeOrderListResponse))?,
        ),
        (
            "PromocodeOrderCancelResponse",
            to_value(schema_for!(go::PromocodeOrderCancelResponse))?,
        ),
        ("Order", to_value(schema_for!(go::Order))?),
        (
            "CodeListResponse",
            to_value(schema_for!(go::CodeListResponse))?,
        ),
        ("Error", to_value(schema_for!(go::Error))?),
    ]);
    let market_partner: BTreeMap<&str, Value> = BTreeMap::from([
        (
            "GetPromosRequest",
            to_value(schema_for!(market::GetPromosRequest))?,
        ),
        (
            "GetPromosResponse",
            to_value(schema_for!(market::GetPromosResponse))?,
        ),
        (
            "ApiErrorResponse",
            to_value(schema_for!(market::ApiErrorResponse))?,
        ),
    ]);
    let all = BTreeMap::from([
        ("go-business", go_business),
        ("market-partner", market_partner),
    ]);
    println!("{}", serde_json::to_string(&all)?);
    Ok(())
}
