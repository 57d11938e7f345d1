//! Responses checked against the JSON Schemas that `cargo xtask codegen` exports from the
//! specs (`openapi/generated/schemas/`), so a fake server cannot drift from the spec unseen.
use std::collections::HashMap;

use serde_json::Value;

/// One answered request: what it asked for and what came back.
#[derive(Debug, Clone, Copy)]
pub struct Exchange<'a> {
    /// `GET`, `POST`, ...
    pub method: &'a str,
    /// The path, without the query.
    pub path: &'a str,
    /// The response status.
    pub status: u16,
    /// The response body, when it was recorded.
    pub body: Option<&'a str>,
}

fn validator(spec: &str, name: &str) -> jsonschema::Validator {
    let path = crate::workspace_root()
        .join("openapi/generated/schemas")
        .join(spec)
        .join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let schema: Value = serde_json::from_str(&text).expect("schema JSON");
    jsonschema::validator_for(&schema).expect("a valid schema")
}

/// The schema a response must match, by path and status; `None` for paths outside both
/// APIs (test controls) and for an HTML 502, which stands for a proxy, not the service.
fn schema_name(path: &str, status: u16) -> Option<(&'static str, &'static str)> {
    let ok = (200..300).contains(&status);
    if status == 502 {
        return None;
    }
    if path.starts_with("/v2/") {
        let name = match path.rsplit_once("/promos") {
            _ if !ok => "ApiErrorResponse",
            Some((_, "")) => "GetPromosResponse",
            Some((_, "/offers")) => "GetPromoOffersResponse",
            Some((_, "/offers/update")) => "UpdatePromoOffersResponse",
            Some((_, "/offers/delete")) => "DeletePromoOffersResponse",
            _ => return None,
        };
        return Some(("market-partner", name));
    }
    if !path.starts_with("/integration/") {
        return None;
    }
    if !ok {
        return Some(("go-business", "Error"));
    }
    let operation = path.strip_prefix("/integration/2.0/")?;
    let name = match operation {
        "promocodes/orders/list" => "PromocodeOrderListResponse",
        "promocodes/orders/info" => "Order",
        "promocodes/orders/create" => "PromocodeOrderCreateResponse",
        "promocodes/orders/cancel" => "PromocodeOrderCancelResponse",
        "promocodes/orders/codes/list" => "CodeListResponse",
        "geo_restrictions/list" => "ZoneList",
        "geo_restrictions/create" | "geo_restrictions/update" | "geo_restrictions/delete" => {
            "ZoneId"
        }
        "zoneinfo" => "ZoneInfo",
        "auth/list" => "ClientList",
        _ => return None,
    };
    Some(("go-business", name))
}

/// Checks every recorded response against the schema of its operation; returns how many
/// were checked.
///
/// # Panics
/// On the first response that is not JSON or does not match its schema, naming both.
pub fn assert_conforms<'a>(exchanges: impl IntoIterator<Item = Exchange<'a>>) -> usize {
    let mut validators: HashMap<(&str, &str), jsonschema::Validator> = HashMap::new();
    let mut checked = 0;
    for exchange in exchanges {
        let (Some(key), Some(body)) = (schema_name(exchange.path, exchange.status), exchange.body)
        else {
            continue;
        };
        let validator = validators
            .entry(key)
            .or_insert_with(|| validator(key.0, key.1));
        let Exchange {
            method,
            path,
            status,
            ..
        } = exchange;
        let instance: Value = serde_json::from_str(body)
            .unwrap_or_else(|e| panic!("{method} {path} answered non-JSON ({e}): {body}"));
        let problems: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| e.to_string())
            .collect();
        assert!(
            problems.is_empty(),
            "{method} {path} -> {status}: {body}\ndoes not match {}: {problems:?}",
            key.1
        );
        checked += 1;
    }
    checked
}
