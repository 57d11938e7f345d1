//! The codes of an order: the fields the real API always sends.
use serde_json::json;

use crate::support::{conforms, get, order, post, sandbox};

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
