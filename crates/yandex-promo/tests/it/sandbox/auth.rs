//! Authentication and corporate-client selection, as the 401 and 403 codes document them.
use yandex_promo::{ErrorCode, go::GoClient};
use yandex_promo_sandbox::SandboxConfig;

use crate::support::{assert_conforms, in_days, sandbox, sandbox_go_builder, two_client_sandbox};

fn client(
    sandbox: &yandex_promo_sandbox::RunningSandbox,
    token: &str,
    corp: Option<&str>,
) -> GoClient {
    let builder = sandbox_go_builder(sandbox, token);
    match corp {
        Some(corp) => builder.corp_client_id(corp),
        None => builder,
    }
    .build()
    .expect("client")
}

/// The first page of orders, listed with `token` acting for `corp`.
async fn list_as(
    sandbox: &yandex_promo_sandbox::RunningSandbox,
    token: &str,
    corp: Option<&str>,
) -> yandex_promo::Result<yandex_promo::Page<yandex_promo::go::Order>> {
    client(sandbox, token, corp)
        .promocodes()
        .order()
        .list()
        .send()
        .await
}

#[tokio::test]
async fn no_credentials_is_a_401() {
    let sandbox = sandbox(SandboxConfig::default()).await;
    let response = reqwest::get(format!(
        "{}/promocodes/orders/list?limit=1",
        sandbox.go_base_url()
    ))
    .await
    .expect("answered");
    assert_eq!(response.status(), 401);
    assert_conforms(&sandbox);
}

#[tokio::test]
async fn a_token_with_several_clients_must_select_one_it_can_access() {
    let sandbox = two_client_sandbox().await;

    let error = list_as(&sandbox, "multi", None).await.expect_err("403");
    assert_eq!(
        (error.status(), error.code()),
        (Some(403), Some(&ErrorCode::SelectClientHeaderRequired))
    );

    let error = list_as(&sandbox, "multi", Some("gamma"))
        .await
        .expect_err("403");
    assert_eq!(error.code(), Some(&ErrorCode::SelectedClientAccessDenied));

    let page = list_as(&sandbox, "multi", Some("beta"))
        .await
        .expect("allowed");
    assert!(page.items.is_empty());

    // Any other token acts for the default client, and may not pick another.
    list_as(&sandbox, "anything", None)
        .await
        .expect("default client");
    let error = list_as(&sandbox, "anything", Some("alpha"))
        .await
        .expect_err("403");
    assert_eq!(error.code(), Some(&ErrorCode::SelectedClientAccessDenied));
    assert_conforms(&sandbox);
}

#[tokio::test]
async fn clients_see_only_their_own_orders() {
    let sandbox = two_client_sandbox().await;
    let alpha = client(&sandbox, "multi", Some("alpha"))
        .promocodes()
        .order();
    let beta = client(&sandbox, "multi", Some("beta")).promocodes().order();
    let created = alpha
        .create(yandex_promo::go::NewOrder::new(500, 5, in_days(5)))
        .send()
        .await
        .expect("created");
    assert_eq!(
        beta.get(&created.order_id)
            .await
            .expect_err("not beta's")
            .status(),
        Some(404)
    );
    assert!(beta.list().send().await.expect("page").items.is_empty());
    assert_eq!(alpha.list().send().await.expect("page").items.len(), 1);
    assert_conforms(&sandbox);
}
