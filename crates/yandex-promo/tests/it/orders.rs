//! Orders: the exact requests sent (insta snapshots) and what callers get back.
use std::str::FromStr as _;

use futures::TryStreamExt as _;
use rust_decimal::Decimal;
use serde_json::json;
use uuid::Uuid;
use wiremock::{
    Mock, MockServer, ResponseTemplate,
    matchers::{method, path, query_param, query_param_is_missing},
};
use yandex_promo::{
    Cursor, Error, ErrorCode,
    go::{GeoRestriction, NewOrder},
    raw::open::{OrderStatus, Service, TariffClass},
};

use crate::support::{create_on, go_client, order_json, requests_sent, requests_snapshot};

fn date(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

async fn answering(status: u16, body: serde_json::Value) -> MockServer {
    crate::support::serve(status, body.to_string()).await
}

fn full_order() -> NewOrder {
    NewOrder::new(220, 31, date(2025, 3, 31))
        .name("Новый заказ")
        .max_usages_count(2)
        .classes([TariffClass::Econom])
        .active_from(date(2025, 3, 2))
        .bin_range("123400", "123499")
        .bank_name("ru", "Банк")
        .bank_name("en", "The Bank")
        .geo_restriction(
            GeoRestriction::from_zone("be9...d4a")
                .destination("91d...a3c")
                .max_intermediate_points(2),
        )
}

#[tokio::test]
async fn create_sends_the_order_with_its_token_and_returns_both() {
    let server = answering(200, json!({"order_id": "15c...83d"})).await;
    let token = Uuid::from_str("6f1c2b0e-1f9a-4c0e-9d2a-3b7e8f4a5c61").expect("uuid");
    let created = go_client(&server)
        .promocodes()
        .order()
        .create(full_order())
        .idempotency_token(token)
        .send()
        .await
        .expect("created");
    assert_eq!(created.order_id.as_str(), "15c...83d");
    assert_eq!(created.idempotency_token, token);
    insta::assert_snapshot!(requests_snapshot(&server).await);
}

#[tokio::test]
async fn create_without_a_token_generates_a_v4_uuid_and_returns_it() {
    let server = answering(200, json!({"order_id": "o-1"})).await;
    let created = create_on(&server, NewOrder::new(500, 20, date(2025, 3, 31)))
        .await
        .expect("created");
    assert_eq!(created.idempotency_token.get_version_num(), 4);
    let requests = server.received_requests().await.expect("recording");
    let sent = requests[0]
        .headers
        .get("x-idempotency-token")
        .expect("token header");
    assert_eq!(
        sent.to_str().expect("ASCII"),
        created.idempotency_token.to_string()
    );
}

#[tokio::test]
async fn a_create_answer_without_order_id_is_a_decode_error_with_the_real_status_and_body() {
    let server = answering(200, json!({"id": "from-table"})).await;
    let order = NewOrder::new(500, 20, date(2025, 3, 31));
    let error = create_on(&server, order).await.expect_err("no order_id");
    // A 200 that does not decode may have made the order: the error carries the token.
    let Error::CreateUnconfirmed { error, .. } = &error else {
        panic!("{error:?}");
    };
    let Error::Decode {
        status, excerpt, ..
    } = error.as_ref()
    else {
        panic!("{error:?}");
    };
    assert_eq!(
        (*status, excerpt.as_str()),
        (Some(200), r#"{"id":"from-table"}"#)
    );
}

#[tokio::test]
async fn an_invalid_order_reports_every_violation_and_sends_nothing() {
    let server = answering(200, json!({"order_id": "never"})).await;
    let order = NewOrder::new(6000, 1001, date(2025, 12, 31))
        .service(Service::Cargo)
        .name("")
        .classes([TariffClass::Vip])
        .geo_restriction(GeoRestriction::default())
        .bin_range("12a", "1");
    let error = create_on(&server, order).await.expect_err("invalid");
    let fields: Vec<_> = error
        .violations()
        .expect("validation")
        .iter()
        .map(|v| v.field.clone())
        .collect();
    assert_eq!(
        fields,
        [
            "name",
            "value",
            "count",
            "classes",
            "active_until",
            "bin_ranges[0].start",
            "geo_restrictions",
            "geo_restrictions[0]"
        ]
    );
    insta::assert_snapshot!(error.to_string());
    assert!(requests_sent(&server).await == 0);
}

#[tokio::test]
async fn get_returns_a_typed_order() {
    let server = answering(200, order_json("017...5dd", "creation_success")).await;
    let order = go_client(&server)
        .promocodes()
        .order()
        .get("017...5dd")
        .await
        .expect("order");
    assert_eq!(order.id.as_str(), "017...5dd");
    assert_eq!(order.status, OrderStatus::CreationSuccess);
    let pricing = order.pricing;
    assert_eq!(
        pricing.cost_with_vat,
        Decimal::from_str("7920.00").expect("decimal")
    );
    insta::assert_snapshot!(requests_snapshot(&server).await);
}

#[tokio::test]
async fn cancel_posts_the_order_id() {
    let server = answering(200, json!({"status": "cancelled"})).await;
    go_client(&server)
        .promocodes()
        .order()
        .cancel("017...5dd")
        .await
        .expect("cancelled");
    insta::assert_snapshot!(requests_snapshot(&server).await);
}

#[tokio::test]
async fn cancel_after_a_code_was_used_is_a_matchable_conflict() {
    let server = answering(
        409,
        json!({"code": "CONFLICT", "message": "promocodes already used"}),
    )
    .await;
    let error = go_client(&server)
        .promocodes()
        .order()
        .cancel("o-1")
        .await
        .expect_err("409");
    assert_eq!(error.status(), Some(409));
    assert_eq!(error.code(), Some(&ErrorCode::Conflict));
    assert_eq!(
        error.to_string(),
        "cancelPromocodeOrder: HTTP 409 CONFLICT: promocodes already used"
    );
    assert_eq!(requests_sent(&server).await, 1, "4xx is not retried");
}

#[tokio::test]
async fn the_documented_403_codes_match_without_string_compares() {
    for (code, expected) in [
        (
            "SELECT_CLIENT_HEADER_REQUIRED",
            ErrorCode::SelectClientHeaderRequired,
        ),
        (
            "SELECTED_CLIENT_ACCESS_DENIED",
            ErrorCode::SelectedClientAccessDenied,
        ),
    ] {
        let server = answering(403, json!({"code": code, "message": "no"})).await;
        let error = go_client(&server)
            .promocodes()
            .order()
            .get("o-1")
            .await
            .expect_err("403");
        match error {
            Error::Api(api) => {
                assert_eq!(api.code, expected);
                assert_eq!(api.status, 403);
                assert_eq!(api.operation, "getPromocodeOrder");
            }
            other => panic!("expected an API error, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn orders_stream_follows_cursors_and_resumes_from_a_saved_one() {
    let server = MockServer::start().await;
    let pages = [(None, "c2"), (Some("c2"), "c3"), (Some("c3"), "")];
    for (index, (cursor, next)) in pages.into_iter().enumerate() {
        let orders = vec![
            order_json(&format!("o{}", index * 2), "pending"),
            order_json(&format!("o{}", index * 2 + 1), "pending"),
        ];
        let matcher =
            Mock::given(method("GET")).and(path("/integration/2.0/promocodes/orders/list"));
        let matcher = match cursor {
            Some(cursor) => matcher.and(query_param("cursor", cursor)),
            None => matcher.and(query_param_is_missing("cursor")),
        };
        matcher
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"orders": orders, "next_cursor": next})),
            )
            .mount(&server)
            .await;
    }
    let orders = go_client(&server).promocodes().order();
    let all: Vec<_> = orders
        .list()
        .page_size(2)
        .stream()
        .try_collect()
        .await
        .expect("all pages");
    let ids: Vec<_> = all.iter().map(|o| o.id.to_string()).collect();
    assert_eq!(ids, ["o0", "o1", "o2", "o3", "o4", "o5"]);
    insta::assert_snapshot!(requests_snapshot(&server).await);

    let rest: Vec<_> = orders
        .list()
        .page_size(2)
        .resume_from(Cursor::new("c3"))
        .stream()
        .try_collect()
        .await
        .expect("resumed");
    assert_eq!(
        rest.iter().map(|o| o.id.to_string()).collect::<Vec<_>>(),
        ["o4", "o5"]
    );

    let first = orders.list().page_size(2).send().await.expect("one page");
    assert_eq!(first.next_cursor, Some(Cursor::new("c2")));
}
