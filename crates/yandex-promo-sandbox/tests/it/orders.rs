//! Orders: the create rules' answer, seeded determinism, and an order's copy of its zones.
use serde_json::{Value, json};

use crate::support::{conforms, get, order, post, sandbox, zone};

#[tokio::test]
async fn a_refused_create_names_every_broken_rule_in_details() {
    let sandbox = sandbox(3).await;
    let body = json!({"value": 50, "count": 2000, "service": "eats", "classes": ["econom"],
                      "active_until": "2026-01-01"});
    let (status, error) = post(&sandbox, "/promocodes/orders/create", Some(body)).await;
    assert_eq!(status, 400);
    assert_eq!(error["code"], "BAD_REQUEST");
    let fields: Vec<&str> = error["details"]["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .map(|v| v["field"].as_str().expect("field"))
        .collect();
    assert_eq!(fields, ["value", "count", "classes", "active_until"]);
    assert_eq!(sandbox.handle().order_count(), 0);
    conforms(&sandbox);
}

/// The ids and codes of one order created from scratch.
async fn one_order(seed: u64) -> (Value, Value) {
    let sandbox = sandbox(seed).await;
    let (_, created) = post(&sandbox, "/promocodes/orders/create", Some(order())).await;
    let order_id = created["order_id"].as_str().expect("order_id").to_owned();
    let (_, codes) = get(
        &sandbox,
        &format!("/promocodes/orders/codes/list?order_id={order_id}"),
    )
    .await;
    (created, codes)
}

#[tokio::test]
async fn the_same_seed_gives_the_same_ids_and_codes() {
    let first = one_order(11).await;
    assert_eq!(first, one_order(11).await);
    assert_ne!(first, one_order(12).await);
}

#[tokio::test]
async fn an_order_reads_its_zones_back_as_they_were_when_it_was_made() {
    let sandbox = sandbox(22).await;
    let (_, created) = post(
        &sandbox,
        "/geo_restrictions/create",
        Some(zone("Office", 200)),
    )
    .await;
    let id = created["id"].as_str().expect("id").to_owned();
    let order = json!({"value": 500, "count": 5, "active_until": "2025-03-31",
                       "geo_restrictions": [{"source": {"geo_restriction_id": id}, "max_intermediate_points": 1}]});
    let (status, made) = post(&sandbox, "/promocodes/orders/create", Some(order)).await;
    assert_eq!(status, 200, "{made}");
    post(
        &sandbox,
        &format!("/geo_restrictions/update?id={id}"),
        Some(zone("Moved", 900)),
    )
    .await;
    let order_id = made["order_id"].as_str().expect("order_id");
    let (_, info) = get(
        &sandbox,
        &format!("/promocodes/orders/info?order_id={order_id}"),
    )
    .await;
    let source = &info["geo_restrictions"][0]["source"];
    assert_eq!(source["corp_geo_id"], id.as_str());
    assert_eq!(source["name"], "Office");
    assert_eq!(
        source["geo"],
        json!({"center": [37.642639, 55.734894], "radius": 200.0})
    );
    assert_eq!(info["geo_restrictions"][0]["max_intermediate_points"], 1);
    conforms(&sandbox);
}
