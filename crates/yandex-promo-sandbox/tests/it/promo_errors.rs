//! Market's promo errors, with the messages of its error catalogue (the 400 and 403 examples
//! of `openapi/market-partner.yaml`): the single-offer throttle, "Promo has ended" for a
//! finished or ended promo, the delete-parameter errors, the deprecated-method 403, the
//! typed codes, and `statusType` refused from the day it was switched off.
use std::time::Duration;

use chrono::NaiveDate;
use serde_json::{Value, json};
use yandex_promo_sandbox::{Failure, Faults, RunningSandbox, SandboxConfig};

use crate::support::{config, conforms, http, market};

const PROMO_ENDED: &str = "Promo has ended";
const SINGLE_OFFER_LIMIT: &str = "The limit for promo update requests with a single offerId has been exceeded. Please wait or use batch requests with multiple offerIds for the same promoId.";
const DELETE_PARAMS_MISSING: &str =
    "Not enough parameters in request: offerIds or deleteAllOffers should be specified";
const DELETE_PARAMS_BOTH: &str = "Too many parameters in request: only one of parameters offerIds or deleteAllOffers should be specified";
const METHOD_DEPRECATED: &str =
    "The method is deprecated and is occasionally forbidden. Please stop using it";

/// The seeded current direct-discount promo.
const DIRECT: &str = "sb_direct_now";
/// The seeded flash promo that starts soon.
const FLASH: &str = "sb_flash_soon";
/// The seeded flash promo that ended last month.
const PAST: &str = "sb_past_flash";

async fn start(config: SandboxConfig) -> RunningSandbox {
    yandex_promo_sandbox::start(config)
        .await
        .expect("the sandbox starts")
}

/// Posts to a Market promos path (`""`, `/offers`, `/offers/update`, ...); returns the status
/// and the JSON body, after checking that the budget headers came too.
async fn post(sandbox: &RunningSandbox, path: &str, body: Value) -> (u16, Value) {
    let response = http()
        .post(format!(
            "{}/v2/businesses/7/promos{path}",
            sandbox.market_base_url()
        ))
        .header("api-key", "sandbox-http-test")
        .json(&body)
        .send()
        .await
        .expect("the sandbox answers");
    let status = response.status().as_u16();
    assert!(
        response
            .headers()
            .contains_key("x-ratelimit-resource-remaining"),
        "{path}: every answer carries the budget headers"
    );
    (status, response.json().await.expect("JSON"))
}

/// An update of `promo` with one entry per id, at a valid price.
fn update(promo: &str, ids: &[&str]) -> Value {
    let offers: Vec<Value> = ids
        .iter()
        .map(|id| json!({"offerId": id, "params": {"discountParams": {"price": 1000, "promoPrice": 800}}}))
        .collect();
    json!({"promoId": promo, "offers": offers})
}

/// A delete of `ids` from `promo`.
fn delete(promo: &str, ids: &[&str]) -> Value {
    json!({"promoId": promo, "offerIds": ids})
}

/// The one error of a Market error body, as `(code, message)`.
fn error_of(body: &Value) -> (&str, &str) {
    assert_eq!(body["status"], "ERROR", "{body}");
    let errors = body["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1, "{body}");
    (
        errors[0]["code"].as_str().expect("a code"),
        errors[0]["message"].as_str().expect("a message"),
    )
}

/// Asserts a 400 with `code` and the exact `message`.
fn assert_refused(answer: &(u16, Value), code: &str, message: &str, what: &str) {
    let (status, body) = answer;
    assert_eq!(*status, 400, "{what}: {body}");
    assert_eq!(error_of(body), (code, message), "{what}");
}

/// Asserts a 200.
fn assert_ok(answer: &(u16, Value), what: &str) {
    assert_eq!(answer.0, 200, "{what}: {}", answer.1);
}

#[test]
fn the_default_throttle_is_30_one_offer_requests_a_minute_per_promo() {
    let config = SandboxConfig::default();
    assert_eq!(
        config.market_single_offer_limit,
        Some((30, Duration::from_secs(60)))
    );
    assert!(!config.market_typed_errors, "BAD_REQUEST, as the docs show");
}

#[tokio::test]
async fn a_one_offer_update_past_the_limit_is_throttled_and_batches_are_not() {
    let sandbox = start(SandboxConfig {
        market_single_offer_limit: Some((3, Duration::from_secs(3600))),
        ..config(41)
    })
    .await;
    for n in 1..=3 {
        let answer = post(&sandbox, "/offers/update", update(DIRECT, &["SKU-0001"])).await;
        assert_ok(&answer, &format!("one-offer update {n} of 3"));
    }
    let answer = post(&sandbox, "/offers/update", update(DIRECT, &["SKU-0002"])).await;
    assert_refused(&answer, "BAD_REQUEST", SINGLE_OFFER_LIMIT, "the 4th");
    // Updates and deletes with one offer count together, per promo.
    let answer = post(&sandbox, "/offers/delete", delete(DIRECT, &["SKU-0002"])).await;
    assert_refused(
        &answer,
        "BAD_REQUEST",
        SINGLE_OFFER_LIMIT,
        "a one-offer delete",
    );
    // Two offers in one request, or every offer, are the docs' remedy: never counted.
    for _ in 0..5 {
        let batch = post(
            &sandbox,
            "/offers/update",
            update(DIRECT, &["SKU-0001", "SKU-0002"]),
        )
        .await;
        assert_ok(&batch, "a batch of two");
        let batch = post(
            &sandbox,
            "/offers/delete",
            delete(DIRECT, &["SKU-0003", "SKU-0004"]),
        )
        .await;
        assert_ok(&batch, "a delete of two");
    }
    // Still within the window: another offer of the promo, alone, is refused too.
    let answer = post(&sandbox, "/offers/update", update(DIRECT, &["SKU-0009"])).await;
    assert_refused(
        &answer,
        "BAD_REQUEST",
        SINGLE_OFFER_LIMIT,
        "still throttled",
    );
    // Reading is not limited, and another promo has a window of its own.
    assert_ok(
        &post(&sandbox, "/offers", json!({"promoId": DIRECT})).await,
        "getPromoOffers",
    );
    let answer = post(&sandbox, "/offers/update", update(FLASH, &["SKU-0031"])).await;
    assert_ok(&answer, "another promo");
    // The throttle is not the hourly budget: that is almost all left.
    let budget = sandbox.handle().requests();
    assert!(budget.iter().all(|r| r.status != 420));
    assert_eq!(conforms(&sandbox), 18, "every answer matches the spec");

    // The window ends, and one-offer requests pass again.
    let short = start(SandboxConfig {
        market_single_offer_limit: Some((1, Duration::from_millis(300))),
        ..config(42)
    })
    .await;
    let one = || update(DIRECT, &["SKU-0001"]);
    assert_ok(&post(&short, "/offers/update", one()).await, "the first");
    let answer = post(&short, "/offers/update", one()).await;
    assert_refused(&answer, "BAD_REQUEST", SINGLE_OFFER_LIMIT, "the second");
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert_ok(
        &post(&short, "/offers/update", one()).await,
        "after the window",
    );

    // Off: any number of one-offer requests.
    let off = start(SandboxConfig {
        market_single_offer_limit: None,
        ..config(43)
    })
    .await;
    for _ in 0..40 {
        assert_ok(&post(&off, "/offers/update", one()).await, "no throttle");
    }
}

#[tokio::test]
async fn a_finished_or_ended_promo_answers_promo_has_ended() {
    let sandbox = start(SandboxConfig {
        admin_routes: true,
        ..config(44)
    })
    .await;
    let every_operation = |promo: &'static str| {
        [
            ("/offers", json!({"promoId": promo})),
            ("/offers/update", update(promo, &["SKU-0001", "SKU-0002"])),
            ("/offers/delete", delete(promo, &["SKU-0001"])),
            (
                "/offers/delete",
                json!({"promoId": promo, "deleteAllOffers": true}),
            ),
        ]
    };
    // The seeded flash sale that ended last month.
    for (path, body) in every_operation(PAST) {
        let answer = post(&sandbox, path, body).await;
        assert_refused(&answer, "BAD_REQUEST", PROMO_ENDED, path);
    }

    // A current promo, ended by the sandbox over HTTP.
    let (_, before) = post(&sandbox, "", json!({})).await;
    let listed = |body: &Value| -> Vec<String> {
        body["result"]["promos"]
            .as_array()
            .expect("promos")
            .iter()
            .map(|p| p["id"].as_str().expect("an id").to_owned())
            .collect()
    };
    assert!(listed(&before).contains(&DIRECT.to_owned()));
    assert_ok(
        &post(&sandbox, "/offers", json!({"promoId": DIRECT})).await,
        "before",
    );
    let end = |promo: &str| {
        http()
            .post(format!(
                "{}/__sandbox/market/promos/{promo}/end",
                sandbox.market_base_url()
            ))
            .send()
    };
    assert_eq!(end(DIRECT).await.expect("answered").status().as_u16(), 204);
    for (path, body) in every_operation(DIRECT) {
        let answer = post(&sandbox, path, body).await;
        assert_refused(&answer, "BAD_REQUEST", PROMO_ENDED, path);
    }
    // getPromos moves it to the past: gone from the default list, among the finished ones,
    // ending no later than now.
    let (_, current) = post(&sandbox, "", json!({})).await;
    assert!(!listed(&current).contains(&DIRECT.to_owned()), "{current}");
    let (_, past) = post(&sandbox, "", json!({"participation": "PARTICIPATED"})).await;
    assert_eq!(listed(&past), [DIRECT, PAST]);
    let ended = &past["result"]["promos"][0]["period"];
    let to: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(ended["dateTimeTo"].clone()).expect("a date");
    let from: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(ended["dateTimeFrom"].clone()).expect("a date");
    assert!(from <= to && to <= chrono::Utc::now(), "{ended}");

    // In process too; a promo that was not yet running ends as well; unknown ones are 404.
    assert!(sandbox.handle().end_promo(FLASH));
    let answer = post(&sandbox, "/offers/update", update(FLASH, &["SKU-0031"])).await;
    assert_refused(&answer, "BAD_REQUEST", PROMO_ENDED, "the flash sale");
    assert!(!sandbox.handle().end_promo("no_such_promo"));
    assert_eq!(
        end("no_such_promo")
            .await
            .expect("answered")
            .status()
            .as_u16(),
        404
    );
    let (status, body) = post(&sandbox, "/offers", json!({"promoId": "no_such_promo"})).await;
    assert_eq!((status, error_of(&body).0), (404, "NOT_FOUND"));
    assert_eq!(conforms(&sandbox), 14);

    // A reset brings them back.
    sandbox.handle().reset();
    assert_ok(
        &post(&sandbox, "/offers", json!({"promoId": DIRECT})).await,
        "after a reset",
    );
}

#[tokio::test]
async fn a_delete_with_neither_or_both_parameters_gets_the_catalogues_messages() {
    let sandbox = start(config(45)).await;
    let neither = json!({"promoId": DIRECT});
    let answer = post(&sandbox, "/offers/delete", neither).await;
    assert_refused(&answer, "BAD_REQUEST", DELETE_PARAMS_MISSING, "neither");
    let not_all = json!({"promoId": DIRECT, "deleteAllOffers": false});
    let answer = post(&sandbox, "/offers/delete", not_all).await;
    assert_refused(&answer, "BAD_REQUEST", DELETE_PARAMS_MISSING, "false");
    let both = json!({"promoId": DIRECT, "offerIds": ["SKU-0001"], "deleteAllOffers": true});
    let answer = post(&sandbox, "/offers/delete", both).await;
    assert_refused(&answer, "BAD_REQUEST", DELETE_PARAMS_BOTH, "both");
    assert_eq!(conforms(&sandbox), 3);
}

/// The ids of the offers a `getPromoOffers` answer lists.
fn offer_ids(body: &Value) -> Vec<&str> {
    body["result"]["offers"]
        .as_array()
        .expect("offers")
        .iter()
        .map(|o| o["offerId"].as_str().expect("an id"))
        .collect()
}

#[tokio::test]
async fn status_type_works_on_2026_10_11_and_is_refused_naming_it_on_2026_10_12() {
    let on = |day: u32| SandboxConfig {
        today: NaiveDate::from_ymd_opt(2026, 10, day),
        ..config(46)
    };
    let manual = json!({"promoId": DIRECT, "statusType": "MANUALLY_ADDED"});
    let statuses = json!({"promoId": DIRECT, "statuses": ["MANUALLY_ADDED"]});

    let before = start(on(11)).await;
    let (status, by_type) = post(&before, "/offers?limit=500", manual.clone()).await;
    assert_eq!(status, 200, "{by_type}");
    let (_, by_statuses) = post(&before, "/offers?limit=500", statuses.clone()).await;
    let ids = offer_ids(&by_type);
    // SKU-0001, 02, 10, 11, 12, ... 60: n % 10 of 0 to 2 among offers 1 to 60.
    assert_eq!(ids.len(), 18, "{ids:?}");
    assert_eq!(ids, offer_ids(&by_statuses), "the same filter");
    assert_eq!(conforms(&before), 2);

    let after = start(on(12)).await;
    let (status, body) = post(&after, "/offers?limit=500", manual).await;
    assert_eq!(status, 400, "{body}");
    let (code, message) = error_of(&body);
    assert_eq!(code, "BAD_REQUEST");
    assert!(message.contains("statusType"), "names it: {message}");
    assert_eq!(
        message,
        "statusType was switched off on 2026-10-12: use statuses"
    );
    let both = json!({"promoId": DIRECT, "statuses": ["RENEWED"], "statusType": "MANUALLY_ADDED"});
    let (status, body) = post(&after, "/offers", both).await;
    assert_eq!(status, 400);
    assert!(error_of(&body).1.contains("statusType"), "{body}");
    let (status, body) = post(&after, "/offers?limit=500", statuses).await;
    assert_eq!(status, 200, "statuses still works");
    assert_eq!(offer_ids(&body).len(), 18);
    assert_eq!(conforms(&after), 3);
}

#[tokio::test]
async fn typed_mode_sends_the_promo_codes() {
    let sandbox = start(SandboxConfig {
        market_typed_errors: true,
        market_single_offer_limit: Some((1, Duration::from_secs(3600))),
        ..config(47)
    })
    .await;
    let answer = post(&sandbox, "/offers", json!({"promoId": PAST})).await;
    assert_refused(&answer, "PROMO_ENDED", PROMO_ENDED, "ended");
    let one = || update(DIRECT, &["SKU-0001"]);
    assert_ok(&post(&sandbox, "/offers/update", one()).await, "the first");
    let answer = post(&sandbox, "/offers/update", one()).await;
    assert_refused(
        &answer,
        "PROMO_SINGLE_OFFER_TASK_LIMIT_EXCEEDED",
        SINGLE_OFFER_LIMIT,
        "throttled",
    );
    // No typed code is known for the delete-parameter errors: they stay BAD_REQUEST.
    let answer = post(&sandbox, "/offers/delete", json!({"promoId": DIRECT})).await;
    assert_refused(&answer, "BAD_REQUEST", DELETE_PARAMS_MISSING, "neither");
    sandbox.handle().set_faults(Faults {
        fail_next: 1,
        failure: Failure::Deprecated403,
        ..Faults::default()
    });
    let (status, body) = market(&sandbox, "POST", "/v2/businesses/7/promos").await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(
        error_of(&body),
        ("NO_ACCESS_BY_DEPRECATION_POLICY", METHOD_DEPRECATED)
    );
    assert_eq!(conforms(&sandbox), 5);
}

#[tokio::test]
async fn the_deprecated_method_fault_answers_the_catalogues_403() {
    let sandbox = start(config(48)).await;
    sandbox.handle().set_faults(Faults {
        fail_next: 2,
        failure: Failure::Deprecated403,
        ..Faults::default()
    });
    let (status, body) = market(&sandbox, "POST", "/v2/businesses/7/promos").await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(error_of(&body), ("FORBIDDEN", METHOD_DEPRECATED));
    // Go for Business documents no such answer: its own envelope, the same message.
    let (status, body) = crate::support::get(&sandbox, "/promocodes/orders/list?limit=1").await;
    assert_eq!(status, 403);
    assert_eq!(
        (body["code"].as_str(), body["message"].as_str()),
        (Some("FORBIDDEN"), Some(METHOD_DEPRECATED))
    );
    // Spent: the next call is answered.
    assert_ok(
        &post(&sandbox, "/offers", json!({"promoId": DIRECT})).await,
        "after the fault",
    );
    assert_eq!(
        serde_json::to_value(Failure::Deprecated403).expect("JSON"),
        "deprecated403",
        "its name in /__sandbox/faults"
    );
    assert_eq!(conforms(&sandbox), 3);
}
