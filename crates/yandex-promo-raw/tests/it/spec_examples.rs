//! Every example written in our specs (request bodies, responses, top-level schemas) decodes
//! into the generated type of its schema. An example whose schema has no decoder here fails
//! the test, so a new example cannot be skipped silently.
use serde::de::DeserializeOwned;
use serde_json::Value;
use yandex_promo_raw::{go::types as go, market::types as market, open};

use crate::fixture_spec;

type Decoder = fn(Value) -> Result<(), serde_json::Error>;

fn check<T: DeserializeOwned>(value: Value) -> Result<(), serde_json::Error> {
    serde_json::from_value::<T>(value).map(drop)
}

fn decoder(spec: &str, schema: &str) -> Option<Decoder> {
    Some(match (spec, schema) {
        ("go-business", "Order") => check::<go::Order>,
        ("go-business", "PromocodeOrder") => check::<go::PromocodeOrder>,
        ("go-business", "PromocodeOrderCreateResponse") => {
            check::<go::PromocodeOrderCreateResponse>
        }
        ("go-business", "PromocodeOrderListResponse") => check::<go::PromocodeOrderListResponse>,
        ("go-business", "PromocodeOrderCancelResponse") => {
            check::<go::PromocodeOrderCancelResponse>
        }
        ("go-business", "CodeListResponse") => check::<go::CodeListResponse>,
        ("go-business", "Error") => check::<go::Error>,
        ("go-business", "BinRange") => check::<go::BinRange>,
        ("go-business", "BinNumber") => check::<yandex_promo_raw::Digits>,
        ("go-business", "IdempotencyToken") => check::<uuid::Uuid>,
        ("go-business", "BankName") => check::<go::BankName>,
        ("go-business", "Amount") => check::<rust_decimal::Decimal>,
        ("go-business", "Service") => check::<open::Service>,
        ("go-business", "TariffClass") => check::<open::TariffClass>,
        ("go-business", "OrderStatus") => check::<open::OrderStatus>,
        ("go-business", "CodeStatus") => check::<open::CodeStatus>,
        ("go-business", "ZoneRequest") => check::<go::ZoneRequest>,
        ("go-business", "ZoneCircle") => check::<go::ZoneCircle>,
        ("go-business", "Zone") => check::<go::Zone>,
        ("go-business", "ZoneList") => check::<go::ZoneList>,
        ("go-business", "ZoneId") => check::<go::ZoneId>,
        ("go-business", "ZoneInfo") => check::<go::ZoneInfo>,
        ("go-business", "GeoArea") => check::<go::GeoArea>,
        ("go-business", "GeoType") => check::<open::GeoType>,
        ("go-business", "ClientList") => check::<go::ClientList>,
        ("go-business", "CorpClient") => check::<go::CorpClient>,
        ("go-business", "ClientRole") => check::<open::ClientRole>,
        ("market-partner", "GetPromosRequest") => check::<market::GetPromosRequest>,
        ("market-partner", "GetPromosResponse") => check::<market::GetPromosResponse>,
        ("market-partner", "ApiErrorResponse") => check::<market::ApiErrorResponse>,
        ("market-partner", "GetPromoOffersRequest") => check::<market::GetPromoOffersRequest>,
        ("market-partner", "GetPromoOffersResponse") => check::<market::GetPromoOffersResponse>,
        ("market-partner", "UpdatePromoOffersRequest") => check::<market::UpdatePromoOffersRequest>,
        ("market-partner", "UpdatePromoOffersResponse") => {
            check::<market::UpdatePromoOffersResponse>
        }
        ("market-partner", "DeletePromoOffersRequest") => check::<market::DeletePromoOffersRequest>,
        ("market-partner", "DeletePromoOffersResponse") => {
            check::<market::DeletePromoOffersResponse>
        }
        _ => return None,
    })
}

/// Follows a local `$ref` (`#/components/...`) to the value it names.
fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => spec
            .pointer(reference.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("dangling $ref {reference}")),
        None => value,
    }
}

/// `(schema name, where, example)` for every example of a JSON media type in `spec`.
fn media_examples(spec: &Value) -> Vec<(String, String, Value)> {
    let mut found = Vec::new();
    let mut media = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (verb, operation) in item.as_object().expect("path item") {
            let body = operation.get("requestBody").map(|b| resolve(spec, b));
            media.extend(body.map(|b| (format!("{verb} {path} request"), &b["content"])));
            for (status, response) in operation["responses"].as_object().expect("responses") {
                let response = resolve(spec, response);
                media.push((format!("{verb} {path} {status}"), &response["content"]));
            }
        }
    }
    for (place, content) in media {
        let Some(json) = content.get("application/json") else {
            continue;
        };
        let schema = json["schema"]["$ref"]
            .as_str()
            .expect("media schemas are $refs");
        let name = schema.rsplit('/').next().expect("schema name").to_owned();
        if let Some(example) = json.get("example") {
            found.push((name.clone(), place.clone(), example.clone()));
        }
        for (key, example) in json
            .get("examples")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let value = resolve(spec, example)["value"].clone();
            found.push((name.clone(), format!("{place} ({key})"), value));
        }
    }
    for (name, schema) in spec["components"]["schemas"].as_object().expect("schemas") {
        if let Some(example) = schema.get("example") {
            found.push((
                name.clone(),
                format!("components/schemas/{name}"),
                example.clone(),
            ));
        }
    }
    found
}

#[test]
fn every_spec_example_decodes_into_its_generated_type() {
    let mut checked = 0;
    for spec_name in ["go-business", "market-partner"] {
        let spec: Value = crate::decode(&fixture_spec(spec_name));
        let examples = media_examples(&spec);
        assert!(!examples.is_empty(), "{spec_name} has no examples");
        for (schema, place, example) in examples {
            let decode = decoder(spec_name, &schema)
                .unwrap_or_else(|| panic!("{spec_name}: no decoder for schema {schema} ({place})"));
            decode(example).unwrap_or_else(|e| panic!("{spec_name} {place}: {e}"));
            checked += 1;
        }
    }
    assert!(checked >= 25, "only {checked} examples were checked");
}
