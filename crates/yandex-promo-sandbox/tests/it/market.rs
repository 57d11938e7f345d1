//! Market's promo offers: every documented request rule answered, refusals with their
//! reasons, and each operation's own budget.
use serde_json::{Value, json};
use yandex_promo_sandbox::RunningSandbox;

use crate::support::{conforms, http, sandbox};

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
