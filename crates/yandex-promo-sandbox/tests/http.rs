//! The sandbox on its own, over plain HTTP as any client sees it: each API's error envelope
//! (faults and unknown routes included), the fields the real API always sends, the create
//! rules' answer, seeded determinism, and the router without a socket. Every response is
//! checked against the JSON Schemas exported from the specs.
use axum::body::Body;
use serde_json::{Value, json};
use tower::ServiceExt as _;
use yandex_promo_sandbox::{Failure, Faults, RunningSandbox, SandboxConfig};
use yandex_promo_test_support::{Exchange, assert_conforms};

const TOKEN: &str = "sandbox-http-test";

/// One connection pool per test: each test thread has its own runtime, and a pooled
/// connection must not outlive the runtime that opened it.
fn http() -> reqwest::Client {
    thread_local!(static HTTP: reqwest::Client = reqwest::Client::new());
    HTTP.with(reqwest::Client::clone)
}

async fn sandbox(seed: u64) -> RunningSandbox {
    yandex_promo_sandbox::start(SandboxConfig {
        record_responses: true,
        seed: Some(seed),
        today: Some(yandex_promo_test_support::today()),
        ready_after: std::time::Duration::ZERO,
        ..SandboxConfig::default()
    })
    .await
    .expect("the sandbox starts")
}

fn conforms(sandbox: &RunningSandbox) -> usize {
    let logged = sandbox.handle().requests();
    assert_conforms(logged.iter().map(|r| Exchange {
        method: &r.method,
        path: &r.path,
        status: r.status,
        body: r.response_body.as_deref(),
    }))
}

/// Sends a request with the Go token; returns the status and the JSON body.
async fn go(
    sandbox: &RunningSandbox,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let url = format!("{}{path}", sandbox.go_base_url());
    let mut request = match method {
        "POST" => http().post(url),
        _ => http().get(url),
    }
    .bearer_auth(TOKEN)
    .header(
        "x-idempotency-token",
        "6f1c2b0e-1f9a-4c0e-9d2a-3b7e8f4a5c61",
    );
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("answered");
    let status = response.status().as_u16();
    (status, response.json().await.expect("a JSON body"))
}

/// A Go `GET`; returns the status and the JSON body.
async fn get(sandbox: &RunningSandbox, path: &str) -> (u16, Value) {
    go(sandbox, "GET", path, None).await
}

/// A Go `POST` with `body`; returns the status and the JSON body.
async fn post(sandbox: &RunningSandbox, path: &str, body: Option<Value>) -> (u16, Value) {
    go(sandbox, "POST", path, body).await
}

/// Sends a Market request with an API key and an empty JSON body; returns the status and
/// the JSON body.
async fn market(sandbox: &RunningSandbox, method: &str, path: &str) -> (u16, Value) {
    let url = format!("{}{path}", sandbox.market_base_url());
    let request = match method {
        "POST" => http().post(url),
        _ => http().get(url),
    };
    let response = request
        .header("api-key", "sandbox-key")
        .json(&json!({}))
        .send()
        .await
        .expect("answered");
    let status = response.status().as_u16();
    (status, response.json().await.expect("a JSON body"))
}

fn order() -> Value {
    json!({"value": 500, "count": 5, "active_until": "2025-03-31"})
}

#[tokio::test]
async fn faults_and_unknown_routes_answer_in_each_apis_own_envelope() {
    let sandbox = sandbox(1).await;
    for (failure, status) in [(Failure::Status500, 500), (Failure::Status503, 503)] {
        sandbox.handle().set_faults(Faults {
            fail_next: 2,
            failure,
            ..Faults::default()
        });
        let (market_status, market) = market(&sandbox, "POST", "/v2/businesses/7/promos").await;
        assert_eq!(market_status, status);
        assert_eq!(market["status"], "ERROR", "{market}");
        assert!(market["errors"][0]["code"].is_string(), "{market}");
        let (go_status, go_body) = get(&sandbox, "/promocodes/orders/list?limit=1").await;
        assert_eq!(go_status, status);
        assert!(
            go_body["message"].is_string() && go_body.get("status").is_none(),
            "{go_body}"
        );
    }
    let (status, body) = get(&sandbox, "/no/such/route").await;
    assert_eq!((status, body["code"].as_str()), (404, Some("NOT_FOUND")));
    let (status, body) = get(&sandbox, "/promocodes/orders/create").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (405, Some("METHOD_NOT_ALLOWED"))
    );
    let (status, body) = market(&sandbox, "GET", "/v2/businesses/7/promos").await;
    assert_eq!(status, 405);
    assert_eq!(body["errors"][0]["code"], "METHOD_NOT_ALLOWED");
    let (status, body) = market(&sandbox, "POST", "/v2/businesses/7/nothing").await;
    assert_eq!((status, body["status"].as_str()), (404, Some("ERROR")));
    assert_eq!(
        conforms(&sandbox),
        8,
        "every answer is checked against its error schema"
    );
}

#[tokio::test]
async fn an_unused_code_carries_an_empty_usages_array() {
    let sandbox = sandbox(2).await;
    let (status, created) = post(&sandbox, "/promocodes/orders/create", Some(order())).await;
    assert_eq!(status, 200, "{created}");
    let order_id = created["order_id"].as_str().expect("order_id");
    let (_, page) = get(
        &sandbox,
        &format!("/promocodes/orders/codes/list?order_id={order_id}"),
    )
    .await;
    let codes = page["codes"].as_array().expect("codes");
    assert_eq!(codes.len(), 5);
    for code in codes {
        assert_eq!(
            code["usages"],
            json!([]),
            "the real API sends usages: [] ({code})"
        );
        assert_eq!(code["is_revoked"], false);
    }
    let (_, info) = get(
        &sandbox,
        &format!("/promocodes/orders/info?order_id={order_id}"),
    )
    .await;
    assert!(info["pricing"]["cost"].is_string(), "{info}");
    assert!(conforms(&sandbox) >= 3);
}

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

/// The status of `count` plain list requests sent one after another.
async fn statuses(sandbox: &RunningSandbox, count: usize) -> Vec<u16> {
    let mut statuses = Vec::with_capacity(count);
    for _ in 0..count {
        let (status, _) = go(sandbox, "GET", "/promocodes/orders/list?limit=1", None).await;
        statuses.push(status);
    }
    statuses
}

#[tokio::test]
async fn random_failures_follow_the_rate_the_kinds_and_the_seed() {
    let sandbox = sandbox(4).await;
    let plan = Faults {
        failure_rate: 0.25,
        random_failures: vec![Failure::Status503, Failure::Status500],
        seed: 7,
        ..Faults::default()
    };
    sandbox.handle().set_faults(plan.clone());
    let first = statuses(&sandbox, 400).await;
    let failed = first.iter().filter(|s| **s != 200).count();
    assert!((60..=140).contains(&failed), "{failed} of 400 failed");
    assert!(first.contains(&503) && first.contains(&500), "{first:?}");
    assert!(first.iter().all(|s| [200, 500, 503].contains(s)));

    sandbox.handle().set_faults(plan);
    let again = statuses(&sandbox, 400).await;
    assert_eq!(first, again, "the same seed gives the same faults");
    conforms(&sandbox);
}

#[tokio::test]
async fn the_router_answers_without_a_socket() {
    let (app, handle) = yandex_promo_sandbox::router(SandboxConfig::default());
    let request = axum::http::Request::get("/integration/2.0/promocodes/orders/list?limit=5")
        .header("authorization", "Bearer t")
        .body(Body::empty())
        .expect("request");
    let response = app.oneshot(request).await.expect("answered");
    assert_eq!(response.status(), 200);
    let body = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .expect("body");
    assert_eq!(body.as_ref(), br#"{"orders":[]}"#);
    assert_eq!(handle.requests().len(), 1);
}

/// A zone body, centre `[longitude, latitude]`.
fn zone(name: &str, radius: i64) -> Value {
    json!({"name": name, "geo_type": "circle", "geo": {"center": [37.642639, 55.734894], "radius": radius}})
}

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

/// Posts a Market offers request; returns the status, the JSON body and the budget left.
async fn offers(sandbox: &RunningSandbox, path: &str, body: Value) -> (u16, Value, String) {
    let response = http()
        .post(format!(
            "{}/v2/businesses/7/promos/offers{path}",
            sandbox.market_base_url()
        ))
        .header("api-key", "sandbox-http-test")
        .json(&body)
        .send()
        .await
        .expect("the sandbox answers");
    let status = response.status().as_u16();
    let remaining = response
        .headers()
        .get("x-ratelimit-resource-remaining")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, response.json().await.expect("JSON"), remaining)
}

#[tokio::test]
async fn offers_requests_break_no_documented_rule_unanswered() {
    let sandbox = sandbox(9).await;
    let promo = "sb_direct_now";
    let offer = |id: String| json!({"offerId": id, "params": {"discountParams": {"price": 1000, "promoPrice": 800}}});
    let many: Vec<Value> = (1..=501).map(|n| offer(format!("SKU-{n:04}"))).collect();
    let (status, body, _) = offers(
        &sandbox,
        "/update",
        json!({"promoId": promo, "offers": many}),
    )
    .await;
    assert_eq!(status, 400, "501 offers: {body}");
    let (status, _, _) = offers(&sandbox, "/update", json!({"promoId": promo, "offers": []})).await;
    assert_eq!(status, 400, "no offers");
    let (status, _, _) = offers(
        &sandbox,
        "/update",
        json!({"promoId": promo, "offers": [offer(" ".into())]}),
    )
    .await;
    assert_eq!(status, 400, "a blank SKU");
    let both = json!({"promoId": promo, "offerIds": ["SKU-0001"], "deleteAllOffers": true});
    assert_eq!(offers(&sandbox, "/delete", both).await.0, 400);
    let neither = json!({"promoId": promo});
    assert_eq!(offers(&sandbox, "/delete", neither).await.0, 400);
    let twice = json!({"promoId": promo, "offerIds": ["SKU-0001", "SKU-0001"]});
    assert_eq!(
        offers(&sandbox, "/delete", twice).await.0,
        400,
        "offerIds are unique"
    );
    let filters =
        json!({"promoId": promo, "statuses": ["RENEWED"], "statusType": "MANUALLY_ADDED"});
    assert_eq!(offers(&sandbox, "", filters).await.0, 400);
    let (status, body, _) = offers(
        &sandbox,
        "?page_token=no*such*token",
        json!({"promoId": promo}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        offers(&sandbox, "?limit=501", json!({"promoId": promo}))
            .await
            .0,
        400
    );
    let (status, body, _) = offers(&sandbox, "", json!({"promoId": "nope"})).await;
    assert_eq!(
        (status, body["errors"][0]["code"].as_str()),
        (404, Some("NOT_FOUND"))
    );

    // A repeated offer is refused with its reason; the other is applied (with its warnings).
    let repeated = json!({"promoId": promo, "offers": [offer("SKU-0005".into()), offer("SKU-0008".into()), offer("SKU-0005".into())]});
    let (status, body, _) = offers(&sandbox, "/update", repeated).await;
    assert_eq!(status, 200);
    assert_eq!(
        body["result"]["rejectedOffers"],
        json!([{"offerId": "SKU-0005", "reason": "OFFER_DUPLICATION"}])
    );
    // The deprecated filter still works: the offer just added is manual.
    let (_, body, _) = offers(
        &sandbox,
        "?limit=500",
        json!({"promoId": promo, "statusType": "MANUALLY_ADDED"}),
    )
    .await;
    let ids: Vec<&str> = body["result"]["offers"]
        .as_array()
        .expect("offers")
        .iter()
        .map(|o| o["offerId"].as_str().expect("id"))
        .collect();
    assert!(
        ids.contains(&"SKU-0008") && !ids.contains(&"SKU-0005"),
        "{ids:?}"
    );

    // Each operation counts its own requests against 5,000.
    let (_, _, left_to_list) = offers(&sandbox, "", json!({"promoId": promo})).await;
    let (_, _, left_to_delete) = offers(
        &sandbox,
        "/delete",
        json!({"promoId": promo, "offerIds": ["SKU-0008"]}),
    )
    .await;
    assert_eq!(left_to_delete, "4996", "the fourth delete request");
    assert_eq!(left_to_list, "4994", "the sixth listing");
    assert!(conforms(&sandbox) >= 14);
}
