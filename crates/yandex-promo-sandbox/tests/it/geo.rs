//! Geo zones, zone information and the clients of a token: zones per client, paged by
//! offset, updated and deleted; another client's zone refused; known places.
use serde_json::json;
use yandex_promo_sandbox::SandboxConfig;

use crate::support::{conforms, get, http, post, sandbox, zone};

#[tokio::test]
async fn zones_are_created_listed_by_offset_updated_and_deleted_per_client() {
    let sandbox = sandbox(21).await;
    let mut ids = Vec::new();
    for n in 0..5 {
        let (status, created) = post(
            &sandbox,
            "/geo_restrictions/create",
            Some(zone(&format!("Z{n}"), 200)),
        )
        .await;
        assert_eq!(status, 200, "{created}");
        ids.push(created["id"].as_str().expect("id").to_owned());
    }
    assert!(
        ids.iter()
            .all(|id| id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()))
    );
    let (_, page) = get(&sandbox, "/geo_restrictions/list?limit=2&offset=1").await;
    assert_eq!(
        (
            page["amount"].as_i64(),
            page["limit"].as_i64(),
            page["offset"].as_i64()
        ),
        (Some(5), Some(2), Some(1))
    );
    let names: Vec<&str> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|z| z["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["Z3", "Z2"], "the most recently written first");
    let (_, first) = get(&sandbox, "/geo_restrictions/list").await;
    assert_eq!(first["limit"], 100, "the default page");

    for (refused, why) in [
        (zone("Z1", 200), "already exists"),
        (zone("bad", -500), "incorrect radius"),
    ] {
        let (status, error) = post(&sandbox, "/geo_restrictions/create", Some(refused)).await;
        let message = error["message"].as_str().unwrap_or_default();
        assert!(status == 400 && message.contains(why), "{status} {error}");
    }

    let (status, updated) = post(
        &sandbox,
        &format!("/geo_restrictions/update?id={}", ids[0]),
        Some(zone("Z0 wide", 900)),
    )
    .await;
    assert_eq!(
        (status, updated["id"].as_str()),
        (200, Some(ids[0].as_str()))
    );
    let (_, after) = get(&sandbox, "/geo_restrictions/list?limit=1").await;
    assert_eq!(
        after["items"][0]["name"], "Z0 wide",
        "an update makes it the latest"
    );
    assert_eq!(after["items"][0]["geo"]["radius"], 900.0);

    let (status, _) = post(
        &sandbox,
        &format!("/geo_restrictions/delete?id={}", ids[1]),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let (status, error) = post(
        &sandbox,
        &format!("/geo_restrictions/delete?id={}", ids[1]),
        None,
    )
    .await;
    assert_eq!(
        (status, error["message"].as_str()),
        (404, Some("Not found geo_restriction"))
    );
    assert_eq!(conforms(&sandbox), 13, "every answer");
}

#[tokio::test]
async fn another_clients_zone_is_403_and_an_order_may_not_name_it() {
    let tokens =
        std::collections::BTreeMap::from([("other".to_owned(), vec!["other-client".to_owned()])]);
    let sandbox = yandex_promo_sandbox::start(SandboxConfig {
        record_responses: true,
        tokens,
        today: Some(yandex_promo_test_support::today()),
        ..SandboxConfig::default()
    })
    .await
    .expect("starts");
    let (_, created) = post(
        &sandbox,
        "/geo_restrictions/create",
        Some(zone("Mine", 200)),
    )
    .await;
    let mine = created["id"].as_str().expect("id").to_owned();
    let as_other = |method: &str, path: String| {
        let request = match method {
            "POST" => http().post(format!("{}{path}", sandbox.go_base_url())),
            _ => http().get(format!("{}{path}", sandbox.go_base_url())),
        };
        request.bearer_auth("other")
    };
    let response = as_other("POST", format!("/geo_restrictions/delete?id={mine}"))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 403);
    let order = json!({"value": 500, "count": 5, "active_until": "2025-03-31",
                       "geo_restrictions": [{"source": {"geo_restriction_id": mine}}]});
    let refused = as_other("POST", "/promocodes/orders/create".to_owned())
        .header(
            "x-idempotency-token",
            "6f1c2b0e-1f9a-4c0e-9d2a-3b7e8f4a5c62",
        )
        .json(&order)
        .send()
        .await
        .expect("answered");
    assert_eq!(refused.status(), 400, "a foreign zone");
    let unknown = json!({"value": 500, "count": 5, "active_until": "2025-03-31",
                         "geo_restrictions": [{"destination": {"geo_restriction_id": "0".repeat(32)}}]});
    let (status, _) = post(&sandbox, "/promocodes/orders/create", Some(unknown)).await;
    assert_eq!(status, 400, "an unknown zone");
    conforms(&sandbox);
}

#[tokio::test]
async fn zone_info_answers_for_known_places_and_the_clients_of_a_token_are_listed() {
    let sandbox = sandbox(23).await;
    let (status, moscow) = get(&sandbox, "/zoneinfo?lat=55.75&lon=37.61").await;
    assert_eq!(status, 200);
    assert!(
        !moscow["tariff_classes"]
            .as_array()
            .expect("classes")
            .is_empty()
    );
    let (status, nowhere) = get(&sandbox, "/zoneinfo?lat=0&lon=0").await;
    assert_eq!(
        (status, nowhere["message"].as_str()),
        (404, Some("Zone not found"))
    );
    let (status, _) = get(&sandbox, "/zoneinfo?lat=91&lon=0").await;
    assert_eq!(status, 400);
    let (status, clients) = get(&sandbox, "/auth/list").await;
    assert_eq!(status, 200);
    assert_eq!(clients["clients"][0]["client_id"], "sandbox-client");
    assert_eq!(clients["clients"][0]["role"], "client");
    assert_eq!(conforms(&sandbox), 4);
}
