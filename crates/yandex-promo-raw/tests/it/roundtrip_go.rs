//! Each Go for Business operation against a real server on loopback: the exact request
//! (method, path, query, headers, body) and the decoded response.
use uuid::Uuid;
use yandex_promo_raw::{
    go::{Client, types::PromocodeOrder},
    open::OrderStatus,
};

use yandex_promo_test_support::{
    CORP_CLIENT, Sent, TOKEN, pairs, requests_sent, serve, the_only_request,
};

use crate::{fixture, loopback::bearer};

fn client(server: &wiremock::MockServer) -> Client {
    Client::new_with_client(
        &format!("{}/integration/2.0", server.uri()),
        reqwest::Client::new(),
        bearer(),
    )
}

/// Headers every Go for Business request carries, and the one progenitor must not leak.
fn assert_common_headers(sent: &Sent, corp_client: Option<&str>) {
    let bearer = format!("Bearer {TOKEN}");
    assert_eq!(sent.header("authorization"), Some(bearer.as_str()));
    assert_eq!(sent.header("x-yataxi-selected-corp-client-id"), corp_client);
    assert_eq!(sent.header("accept"), Some("application/json"));
    assert_eq!(
        sent.header("api-version"),
        None,
        "the undocumented api-version header leaked"
    );
}

#[tokio::test]
async fn list_orders_sends_limit_cursor_and_corp_client() {
    let body = r#"{"orders": [], "next_cursor": "page-3"}"#;
    let server = serve(200, body).await;
    let page = client(&server)
        .list_promocode_orders()
        .limit(10)
        .cursor("page-2")
        .x_ya_taxi_selected_corp_client_id(CORP_CLIENT)
        .send()
        .await
        .expect("list orders")
        .into_inner();
    assert_eq!(page.next_cursor.as_deref(), Some("page-3"));

    let sent = the_only_request(&server).await;
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("GET", "/integration/2.0/promocodes/orders/list")
    );
    assert_eq!(sent.query, pairs(&[("cursor", "page-2"), ("limit", "10")]));
    assert_common_headers(&sent, Some(CORP_CLIENT));
    assert_eq!(sent.body, None);
}

#[tokio::test]
async fn get_order_sends_order_id_and_decodes_the_vendor_example() {
    let server = serve(200, fixture("go/seed003_order_info.json")).await;
    let order = client(&server)
        .get_promocode_order()
        .order_id("017...5dd")
        .send()
        .await
        .expect("order info")
        .into_inner();
    assert_eq!(order.status, OrderStatus::CreationSuccess);

    let sent = the_only_request(&server).await;
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("GET", "/integration/2.0/promocodes/orders/info")
    );
    assert_eq!(sent.query, pairs(&[("order_id", "017...5dd")]));
    assert_common_headers(&sent, None);
    assert_eq!(sent.body, None);
}

#[tokio::test]
async fn create_order_sends_idempotency_token_and_the_exact_body() {
    let server = serve(200, fixture("go/seed002_create_response.json")).await;
    let request_json = fixture("go/seed002_create_request.json");
    let request: PromocodeOrder = crate::decode(&request_json);
    let token = Uuid::parse_str("6f1c2b0e-1f9a-4c0e-9d2a-3b7e8f4a5c61").expect("uuid");
    let created = client(&server)
        .create_promocode_order()
        .x_idempotency_token(token)
        .x_ya_taxi_selected_corp_client_id(CORP_CLIENT)
        .body(request)
        .send()
        .await
        .expect("create")
        .into_inner();
    assert_eq!(created.order_id, "15с...83d");

    let sent = the_only_request(&server).await;
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("POST", "/integration/2.0/promocodes/orders/create")
    );
    assert!(sent.query.is_empty());
    assert_common_headers(&sent, Some(CORP_CLIENT));
    assert_eq!(
        sent.header("x-idempotency-token"),
        Some("6f1c2b0e-1f9a-4c0e-9d2a-3b7e8f4a5c61")
    );
    assert_eq!(sent.header("content-type"), Some("application/json"));
    assert_eq!(sent.body, Some(crate::decode(&request_json)));
}

#[tokio::test]
async fn create_order_without_idempotency_token_sends_nothing() {
    let server = serve(200, "{}").await;
    let error = client(&server)
        .create_promocode_order()
        .body(crate::decode::<PromocodeOrder>(&fixture(
            "go/seed002_create_request.json",
        )))
        .send()
        .await
        .expect_err("the token is required");
    assert!(error.to_string().contains("x_idempotency_token"), "{error}");
    assert!(requests_sent(&server).await == 0);
}

#[tokio::test]
async fn cancel_order_posts_order_id_without_a_body() {
    let server = serve(200, r#"{"status": "cancelled"}"#).await;
    let cancelled = client(&server)
        .cancel_promocode_order()
        .order_id("o-1")
        .send()
        .await
        .expect("cancel")
        .into_inner();
    assert_eq!(cancelled.status, "cancelled");

    let sent = the_only_request(&server).await;
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("POST", "/integration/2.0/promocodes/orders/cancel")
    );
    assert_eq!(sent.query, pairs(&[("order_id", "o-1")]));
    assert_common_headers(&sent, None);
    assert_eq!(sent.body, None);
}

#[tokio::test]
async fn cancel_conflict_is_an_error_response_with_the_vendor_body() {
    let body = r#"{"code": "CONFLICT", "message": "some promocodes are already used"}"#;
    let server = serve(409, body).await;
    let error = client(&server)
        .cancel_promocode_order()
        .order_id("o-1")
        .send()
        .await
        .expect_err("409");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(409));
    match error {
        yandex_promo_raw::go::Error::ErrorResponse(response) => {
            assert_eq!(response.code.as_deref(), Some("CONFLICT"))
        }
        other => panic!("expected an error response, got {other:?}"),
    }
}

#[tokio::test]
async fn list_codes_sends_order_id_limit_and_cursor() {
    let server = serve(200, fixture("go/seed001_codes_list.json")).await;
    let page = client(&server)
        .list_promocode_order_codes()
        .order_id("o-1")
        .limit(2)
        .cursor("c-1")
        .x_ya_taxi_selected_corp_client_id(CORP_CLIENT)
        .send()
        .await
        .expect("codes")
        .into_inner();
    assert_eq!(page.codes.len(), 2);

    let sent = the_only_request(&server).await;
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("GET", "/integration/2.0/promocodes/orders/codes/list")
    );
    assert_eq!(
        sent.query,
        pairs(&[("cursor", "c-1"), ("limit", "2"), ("order_id", "o-1")])
    );
    assert_common_headers(&sent, Some(CORP_CLIENT));
    assert_eq!(sent.body, None);
}

#[tokio::test]
async fn list_codes_omits_limit_and_cursor_when_not_given() {
    let server = serve(200, r#"{"codes": []}"#).await;
    client(&server)
        .list_promocode_order_codes()
        .order_id("o-1")
        .send()
        .await
        .expect("codes");
    let sent = the_only_request(&server).await;
    assert_eq!(sent.query, pairs(&[("order_id", "o-1")]));
}

/// progenitor reports a non-JSON body as `InvalidResponsePayload` with the raw bytes but
/// without the HTTP status; the ergonomic crate must keep the status itself.
#[tokio::test]
async fn an_html_502_is_an_invalid_payload_carrying_the_body() {
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(
            wiremock::ResponseTemplate::new(502)
                .set_body_raw("<html>Bad Gateway</html>", "text/html"),
        )
        .mount(&server)
        .await;
    let error = client(&server)
        .get_promocode_order()
        .order_id("o-1")
        .send()
        .await
        .expect_err("502");
    match error {
        yandex_promo_raw::go::Error::InvalidResponsePayload(body, _) => {
            assert_eq!(&body[..], b"<html>Bad Gateway</html>");
        }
        other => panic!("expected an invalid payload, got {other:?}"),
    }
}
