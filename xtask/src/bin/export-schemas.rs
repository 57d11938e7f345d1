//! Prints the JSON Schemas of the generated request and response types as one JSON object,
//! `{spec: {type: schema}}`. Run by `cargo xtask codegen` in a separate process so that it
//! sees the raw crate built from freshly synced specs.
use std::collections::BTreeMap;

use schemars::schema_for;
use serde_json::{Value, to_value};
use yandex_promo_raw::{go::types as go, market::types as market};

/// `{type name: its JSON Schema}` for the listed types of one generated module.
macro_rules! schemas {
    ($module:ident: $($name:ident),+ $(,)?) => {
        BTreeMap::from([$((stringify!($name), to_value(schema_for!($module::$name))?)),+])
    };
}

fn main() -> Result<(), serde_json::Error> {
    let go_business: BTreeMap<&str, Value> = schemas!(go:
        PromocodeOrder,
        PromocodeOrderCreateResponse,
        PromocodeOrderListResponse,
        PromocodeOrderCancelResponse,
        Order,
        CodeListResponse,
        Error,
        ZoneRequest,
        ZoneList,
        ZoneId,
        ZoneInfo,
        ClientList,
    );
    let market_partner: BTreeMap<&str, Value> = schemas!(market:
        GetPromosRequest,
        GetPromosResponse,
        GetPromoOffersRequest,
        GetPromoOffersResponse,
        UpdatePromoOffersRequest,
        UpdatePromoOffersResponse,
        DeletePromoOffersRequest,
        DeletePromoOffersResponse,
        ApiErrorResponse,
    );
    let all = BTreeMap::from([
        ("go-business", go_business),
        ("market-partner", market_partner),
    ]);
    println!("{}", serde_json::to_string(&all)?);
    Ok(())
}
