//! Every Go for Business example of the vendor docs decodes, and so do the edge cases a real
//! server may send.
use std::str::FromStr;

use chrono::{NaiveDate, Timelike};
use rust_decimal::Decimal;
use serde_json::json;
use yandex_promo_raw::{
    go::types::{CodeListResponse, Error, Order, PromocodeOrder, PromocodeOrderCreateResponse},
    open::{CodeStatus, OrderStatus, Service, TariffClass},
};

use crate::{decode, fixture};

fn decimal(text: &str) -> Decimal {
    Decimal::from_str(text).expect("valid decimal")
}

#[test]
fn seed_001_code_list_decodes_with_microsecond_usage_time() {
    let page: CodeListResponse = decode(&fixture("go/seed001_codes_list.json"));
    assert_eq!(page.codes.len(), 2);
    assert_eq!(page.next_cursor, None);
    let used = &page.codes[0];
    assert_eq!(used.status, CodeStatus::Used);
    assert!(
        !used.is_revoked,
        "is_revoked is missing and must default to false"
    );
    assert_eq!(used.usages[0].used_at.nanosecond(), 803_131_000);
    assert_eq!(page.codes[1].status, CodeStatus::Active);
    assert!(page.codes[1].usages.is_empty());
}

#[test]
fn seed_002_create_request_decodes_and_round_trips() {
    let text = fixture("go/seed002_create_request.json");
    let request: PromocodeOrder = decode(&text);
    assert_eq!(
        request.name.as_ref().map(|n| n.as_str()),
        Some("Новый заказ")
    );
    assert_eq!(request.max_usages_count.get(), 2);
    assert_eq!((request.value, request.count), (220, 31));
    assert_eq!(request.service, Some(Service::Taxi));
    assert_eq!(request.classes, vec![TariffClass::Econom]);
    assert_eq!(request.active_from, NaiveDate::from_ymd_opt(2024, 11, 22));
    assert_eq!(request.bin_ranges.len(), 2);
    assert_eq!(request.geo_restrictions[0].max_intermediate_points, 2);
    let original: serde_json::Value = decode(&text);
    assert_eq!(
        serde_json::to_value(&request).expect("serialises"),
        original
    );
}

#[test]
fn seed_002_create_response_decodes() {
    let response: PromocodeOrderCreateResponse =
        decode(&fixture("go/seed002_create_response.json"));
    assert_eq!(response.order_id, "15с...83d");
    assert_eq!(response.id, None);
}

#[test]
fn a_create_response_without_order_id_does_not_decode() {
    // The docs' field table names it `id`, but servers send `order_id` and the vendor SDK
    // requires it: a body with `id` alone is not a create response.
    let id_only = serde_json::from_str::<PromocodeOrderCreateResponse>(r#"{"id": "abc"}"#);
    assert!(id_only.is_err());
}

#[test]
fn seed_003_order_info_decodes_with_string_pricing() {
    let order: Order = decode(&fixture("go/seed003_order_info.json"));
    assert_eq!(order.status, OrderStatus::CreationSuccess);
    assert_eq!(order.service, Service::Taxi);
    assert_eq!(
        order.active_until,
        NaiveDate::from_ymd_opt(2024, 12, 31).expect("date")
    );
    let pricing = order.pricing;
    assert_eq!(pricing.cost, decimal("6600.00"));
    assert_eq!(pricing.cost_with_vat, decimal("7920.00"));
    assert_eq!(pricing.vat, decimal("0.20"));
    let zone = order.geo_restrictions[0].source.as_ref().expect("source");
    assert_eq!(zone.geo.center, [55.754572, 37.621182]);
}

#[test]
fn pricing_decodes_from_numbers_and_strings_alike() {
    let mut order = json!({
        "order_id": "o", "count": 5, "value": 100, "status": "pending",
        "active_until": "2024-12-31", "service": "taxi",
        "pricing": {"cost": 6600.00, "cost_with_vat": 7920.5, "currency": "RUB", "vat": "200.00",
                    "discount": {"cost": "1.10", "vat": 0.2, "cost_with_vat": 1}}
    });
    let decoded: Order = serde_json::from_value(order.clone()).expect("numbers decode");
    let pricing = decoded.pricing;
    assert_eq!(pricing.cost, decimal("6600"));
    assert_eq!(pricing.cost_with_vat, decimal("7920.5"));
    assert_eq!(pricing.vat, decimal("200.00"));
    let discount = pricing.discount.expect("discount");
    assert_eq!(
        discount.vat,
        decimal("0.2"),
        "0.2 must not become 0.2000000000000000111"
    );
    assert_eq!(discount.cost_with_vat, decimal("1"));

    // A long string amount keeps every digit.
    order["pricing"]["cost"] = json!("12345678901234567.891234");
    let decoded: Order = serde_json::from_value(order).expect("long string decodes");
    assert_eq!(decoded.pricing.cost.to_string(), "12345678901234567.891234");
}

#[test]
fn unknown_statuses_services_and_extra_fields_decode() {
    let order: Order = decode(
        r#"{"order_id": "o", "count": 5, "value": 100, "status": "archived",
            "active_until": "2025-01-01", "service": "scooters", "classes": ["hovercraft"],
            "pricing": {"cost": "500.00", "cost_with_vat": "600.00", "currency": "RUB", "vat": "0.20"},
            "brand_new_field": {"nested": [1, 2, 3]}}"#,
    );
    assert_eq!(order.status, OrderStatus::Unknown("archived".into()));
    assert_eq!(order.service, Service::Unknown("scooters".into()));
    assert_eq!(
        order.classes,
        vec![TariffClass::Unknown("hovercraft".into())]
    );

    let page: CodeListResponse = decode(
        r#"{"codes": [{"id": "1", "code": "C", "status": "frozen", "is_revoked": true, "usages": [], "x": 1}],
            "next_cursor": "n"}"#,
    );
    assert_eq!(page.codes[0].status, CodeStatus::Unknown("frozen".into()));
    assert!(page.codes[0].is_revoked);
}

#[test]
fn next_cursor_absent_null_and_empty_decode() {
    let absent: CodeListResponse = decode(r#"{"codes": []}"#);
    let null: CodeListResponse = decode(r#"{"codes": [], "next_cursor": null}"#);
    let empty: CodeListResponse = decode(r#"{"codes": [], "next_cursor": ""}"#);
    assert_eq!(absent.next_cursor, None);
    assert_eq!(null.next_cursor, None);
    assert_eq!(empty.next_cursor.as_deref(), Some(""));
}

#[test]
fn sdk_error_body_decodes() {
    let error: Error = decode(&fixture("go/sdk_error.json"));
    assert_eq!(error.code.as_deref(), Some("BAD_REQUEST"));
    assert!(error.message.contains("expect more or equal 100"));
}

#[test]
fn create_request_outside_the_schema_limits_is_rejected_by_the_types() {
    let too_long = "x".repeat(257);
    let body = json!({"name": too_long, "value": 220, "count": 31, "active_until": "2024-12-01"});
    assert!(serde_json::from_value::<PromocodeOrder>(body).is_err());
    let bad_bin = json!({"value": 220, "count": 31, "active_until": "2024-12-01",
                         "bin_ranges": [["12a4", "1299"]]});
    assert!(serde_json::from_value::<PromocodeOrder>(bad_bin).is_err());
}

/// The vendor SDK's zone mocks (`tests/test_geo.py`, `tests/test_zoneinfo.py` of
/// yandex-b2b-go 1.0.4), as `fixtures/go/sdk_zone*.json` copies them.
#[test]
fn the_vendor_sdks_zone_payloads_decode() {
    let list: yandex_promo_raw::go::types::ZoneList = decode(&fixture("go/sdk_zone_list.json"));
    assert_eq!((list.amount, list.items.len()), (3, 3));
    assert_eq!(list.items[0].geo.center, [37.642639, 55.734894]);
    assert_eq!(
        list.items[0].geo_type,
        yandex_promo_raw::open::GeoType::Circle
    );
    let id: yandex_promo_raw::go::types::ZoneId = decode(&fixture("go/sdk_zone_id.json"));
    assert_eq!(id.id, "geo_id1");
    let info: yandex_promo_raw::go::types::ZoneInfo = decode(&fixture("go/sdk_zoneinfo.json"));
    let requirement = &info.tariff_classes[0].supported_requirements[0];
    assert_eq!(
        (requirement.type_.as_deref(), requirement.max_weight),
        (Some("boolean"), Some(3.0))
    );
    let errors: Vec<yandex_promo_raw::go::types::Error> =
        decode(&fixture("go/sdk_zone_errors.json"));
    assert!(
        errors
            .iter()
            .all(|e| !e.message.is_empty() && e.code.is_some())
    );
}
