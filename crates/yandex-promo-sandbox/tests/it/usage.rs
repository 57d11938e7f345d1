//! Code usages at chosen times, revocation, and the usage demo: recorded all or nothing over
//! the test controls, listed oldest first, refused past `max_usages_count` or once revoked,
//! and `revoke_count` in an order's info and in the list.
use chrono::{DateTime, Days, NaiveTime, TimeDelta, Utc};
use serde_json::{Value, json};
use yandex_promo_sandbox::{RunningSandbox, SandboxConfig, UsageRefused};
use yandex_promo_test_support::{Exchange, assert_conforms};

use crate::support::{config, conforms, get, http, post};

/// A recording sandbox (see `support::config`) with the test controls over HTTP.
async fn controlled(seed: u64, usage_demo: bool) -> RunningSandbox {
    yandex_promo_sandbox::start(SandboxConfig {
        admin_routes: true,
        usage_demo,
        ..config(seed)
    })
    .await
    .expect("the sandbox starts")
}

/// Posts to a test control; returns the status and the JSON body (null when empty).
async fn control(sandbox: &RunningSandbox, path: &str, body: Value) -> (u16, Value) {
    let response = http()
        .post(format!("{}/__sandbox{path}", sandbox.market_base_url()))
        .json(&body)
        .send()
        .await
        .expect("answered");
    let status = response.status().as_u16();
    let text = response.text().await.expect("a body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).expect("a JSON body")
    };
    (status, body)
}

/// Checks that the test controls' refusals come in Go's error envelope: the schema check
/// skips paths outside the APIs, so each refusal is checked against Go's `Error` schema as if
/// an API path had sent it. Returns how many were checked.
fn controls_refuse_in_gos_envelope(sandbox: &RunningSandbox) -> usize {
    let logged = sandbox.handle().requests();
    assert_conforms(
        logged
            .iter()
            .filter(|r| r.path.starts_with("/__sandbox/") && r.status >= 400)
            .map(|r| Exchange {
                method: &r.method,
                path: "/integration/2.0/__sandbox",
                status: r.status,
                body: r.response_body.as_deref(),
            }),
    )
}

/// Creates an order of `count` codes usable `max_usages` times each; returns its id.
async fn new_order(sandbox: &RunningSandbox, count: u32, max_usages: u32) -> String {
    let body = json!({"value": 500, "count": count, "active_until": "2025-03-31",
                      "max_usages_count": max_usages});
    let (status, created) = post(sandbox, "/promocodes/orders/create", Some(body)).await;
    assert_eq!(status, 200, "{created}");
    created["order_id"].as_str().expect("order_id").to_owned()
}

/// Every code of an order, through every page of `codes/list`.
async fn all_codes(sandbox: &RunningSandbox, order_id: &str) -> Vec<Value> {
    let mut codes = Vec::new();
    let mut cursor = String::new();
    loop {
        let (status, page) = get(
            sandbox,
            &format!("/promocodes/orders/codes/list?order_id={order_id}&limit=100{cursor}"),
        )
        .await;
        assert_eq!(status, 200, "{page}");
        codes.extend(page["codes"].as_array().expect("codes").iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => return codes,
        }
    }
}

/// The usage times of a listed code, as listed.
fn usages(code: &Value) -> Vec<DateTime<Utc>> {
    code["usages"]
        .as_array()
        .expect("usages")
        .iter()
        .map(|u| {
            u["used_at"]
                .as_str()
                .expect("used_at")
                .parse()
                .expect("RFC 3339")
        })
        .collect()
}

fn at(text: &str) -> DateTime<Utc> {
    text.parse().expect("RFC 3339")
}

/// Every usage time of a list of codes.
fn all_usages(codes: &[Value]) -> Vec<DateTime<Utc>> {
    codes.iter().flat_map(usages).collect()
}

#[tokio::test]
async fn usages_at_chosen_times_list_oldest_first_and_a_refused_batch_records_nothing() {
    let sandbox = controlled(31, false).await;
    let order_id = new_order(&sandbox, 5, 3).await;
    let ids: Vec<String> = all_codes(&sandbox, &order_id)
        .await
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_owned())
        .collect();
    let usages_path = format!("/orders/{order_id}/usages");
    let usage = |code: usize, when: &str| json!({"code_id": ids[code], "used_at": when});

    let (status, body) = control(
        &sandbox,
        &usages_path,
        json!({"usages": [
            usage(0, "2025-02-20T10:00:00Z"),
            usage(1, "2025-02-19T09:30:00Z"),
            usage(0, "2025-02-18T08:00:00Z"),
            usage(0, "2025-02-19T23:59:59.250Z"),
        ]}),
    )
    .await;
    assert_eq!((status, body), (200, json!({"recorded": 4})));
    let codes = all_codes(&sandbox, &order_id).await;
    assert_eq!(
        usages(&codes[0]),
        [
            at("2025-02-18T08:00:00Z"),
            at("2025-02-19T23:59:59.250Z"),
            at("2025-02-20T10:00:00Z")
        ],
        "oldest first, whatever order they came in"
    );
    assert_eq!(usages(&codes[1]), [at("2025-02-19T09:30:00Z")]);
    let statuses: Vec<&str> = codes
        .iter()
        .map(|c| c["status"].as_str().expect("status"))
        .collect();
    assert_eq!(statuses, ["used", "used", "active", "active", "active"]);

    // A fourth use of code 0 is past max_usages_count 3: the whole batch is refused.
    let (status, body) = control(
        &sandbox,
        &usages_path,
        json!({"usages": [usage(2, "2025-02-21T10:00:00Z"), usage(0, "2025-02-21T11:00:00Z")]}),
    )
    .await;
    let message = body["message"].as_str().unwrap_or_default();
    assert_eq!((status, body["code"].as_str()), (400, Some("BAD_REQUEST")));
    assert!(
        message.contains("usages[1]") && message.contains(&ids[0]),
        "{message}"
    );
    // Three uses of code 1 in one batch: the third would be its fourth.
    let twice = json!({"usages": [usage(1, "2025-02-22T10:00:00Z"), usage(1, "2025-02-22T11:00:00Z"), usage(1, "2025-02-22T12:00:00Z")]});
    let (status, body) = control(&sandbox, &usages_path, twice).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("usages[2]")
    );
    let unknown = json!({"usages": [usage(3, "2025-02-21T10:00:00Z"), {"code_id": "no-such-code", "used_at": "2025-02-21T10:00:00Z"}]});
    let (status, body) = control(&sandbox, &usages_path, unknown).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("no-such-code")
    );

    // A revoked code cannot be used: code 2 is the first unused one.
    let revoke_path = format!("/orders/{order_id}/revoke");
    let (status, body) = control(&sandbox, &revoke_path, json!({"count": 1})).await;
    assert_eq!((status, body), (200, json!({"revoked": 1})));
    let revoked = json!({"usages": [usage(2, "2025-02-21T10:00:00Z")]});
    let (status, body) = control(&sandbox, &usages_path, revoked).await;
    let message = body["message"].as_str().unwrap_or_default();
    assert!(status == 400 && message.contains("revoked"), "{body}");

    let (status, body) = control(
        &sandbox,
        "/orders/no-such-order/usages",
        json!({"usages": []}),
    )
    .await;
    assert_eq!((status, body["code"].as_str()), (404, Some("NOT_FOUND")));

    let after = all_codes(&sandbox, &order_id).await;
    assert_eq!(
        all_usages(&after).len(),
        4,
        "no refused batch recorded anything"
    );
    assert_eq!(after[0]["usages"], codes[0]["usages"]);
    assert_eq!(after[2]["is_revoked"], true);
    assert_eq!(after[2]["usages"], json!([]));
    assert_eq!(controls_refuse_in_gos_envelope(&sandbox), 5);
    assert!(conforms(&sandbox) >= 4);
}

#[tokio::test]
async fn record_usage_counts_each_use_and_names_every_refusal() {
    let sandbox = controlled(32, false).await;
    let order_id = new_order(&sandbox, 5, 2).await;
    let handle = sandbox.handle();
    let code = format!("{order_id}-0000");
    let later = at("2025-02-27T15:00:00Z");
    let earlier = at("2025-02-26T15:00:00Z");
    assert_eq!(handle.record_usage(&order_id, &code, later), Ok(1));
    assert_eq!(handle.record_usage(&order_id, &code, earlier), Ok(2));
    let used_up = handle.record_usage(&order_id, &code, later);
    assert_eq!(
        used_up,
        Err(UsageRefused::UsedUp {
            code_id: code.clone(),
            max_usages_count: 2
        })
    );
    assert!(
        used_up
            .expect_err("refused")
            .to_string()
            .contains("max_usages_count")
    );
    let unknown_order = handle.record_usage("nope", &code, later);
    assert!(matches!(
        unknown_order,
        Err(UsageRefused::UnknownOrder { .. })
    ));
    let unknown_code = handle.record_usage(&order_id, &format!("{order_id}-0005"), later);
    assert!(matches!(
        unknown_code,
        Err(UsageRefused::UnknownCode { .. })
    ));
    assert_eq!(handle.revoke_codes(&order_id, 1), Some(1));
    let revoked = handle.record_usage(&order_id, &format!("{order_id}-0001"), later);
    assert!(
        matches!(&revoked, Err(UsageRefused::Revoked { code_id }) if code_id.ends_with("-0001")),
        "{revoked:?}"
    );
    assert_eq!(handle.revoke_codes("nope", 1), None);
    let codes = all_codes(&sandbox, &order_id).await;
    assert_eq!(usages(&codes[0]), [earlier, later]);
    conforms(&sandbox);
}

/// The `revoke_count` of an order, as `orders/info` and `orders/list` give it.
async fn revoke_counts(sandbox: &RunningSandbox, order_id: &str) -> (Value, Value) {
    let (_, info) = get(
        sandbox,
        &format!("/promocodes/orders/info?order_id={order_id}"),
    )
    .await;
    let (_, list) = get(sandbox, "/promocodes/orders/list?limit=100").await;
    let listed = list["orders"]
        .as_array()
        .expect("orders")
        .iter()
        .find(|o| o["order_id"] == order_id)
        .expect("listed");
    (info["revoke_count"].clone(), listed["revoke_count"].clone())
}

#[tokio::test]
async fn revoked_codes_still_list_and_count_in_the_orders_revoke_count() {
    let sandbox = controlled(33, false).await;
    let order_id = new_order(&sandbox, 5, 1).await;
    assert_eq!(
        revoke_counts(&sandbox, &order_id).await,
        (json!(0), json!(0))
    );
    let code = format!("{order_id}-0000");
    sandbox
        .handle()
        .record_usage(&order_id, &code, at("2025-02-27T15:00:00Z"))
        .expect("recorded");
    let revoke_path = format!("/orders/{order_id}/revoke");
    let (status, body) = control(&sandbox, &revoke_path, json!({"count": 2})).await;
    assert_eq!((status, body), (200, json!({"revoked": 2})));
    assert_eq!(
        revoke_counts(&sandbox, &order_id).await,
        (json!(2), json!(2))
    );
    let revoked: Vec<bool> = all_codes(&sandbox, &order_id)
        .await
        .iter()
        .map(|c| c["is_revoked"].as_bool().expect("is_revoked"))
        .collect();
    assert_eq!(
        revoked,
        [false, true, true, false, false],
        "unused ones first"
    );

    // The unused ones are gone, then the used one goes too.
    let (_, body) = control(&sandbox, &revoke_path, json!({"count": 10})).await;
    assert_eq!(body, json!({"revoked": 3}));
    let codes = all_codes(&sandbox, &order_id).await;
    assert_eq!(codes.len(), 5, "revoked codes still list");
    assert!(codes.iter().all(|c| c["is_revoked"] == true));
    assert_eq!(codes[0]["status"], "used");
    assert_eq!(
        revoke_counts(&sandbox, &order_id).await,
        (json!(5), json!(5))
    );
    let (_, body) = control(&sandbox, &revoke_path, json!({"count": 1})).await;
    assert_eq!(body, json!({"revoked": 0}));
    let (status, _) = control(&sandbox, "/orders/nope/revoke", json!({"count": 1})).await;
    assert_eq!(status, 404);
    assert_eq!(controls_refuse_in_gos_envelope(&sandbox), 1);
    assert_eq!(
        conforms(&sandbox),
        9,
        "the create, 3 infos, 3 lists, 2 code lists"
    );
}

/// One order's figures: codes, used codes, usages, revoked, and its first and last usage.
#[derive(Debug, PartialEq)]
struct Figures {
    codes: usize,
    used: usize,
    usages: usize,
    revoked: usize,
    first: Option<DateTime<Utc>>,
    last: Option<DateTime<Utc>>,
}

/// The figures of each order listed, as a usage report would read them, after checking
/// that each order's `revoke_count` agrees with its codes.
async fn figures(sandbox: &RunningSandbox) -> Vec<(String, Figures)> {
    let (_, list) = get(sandbox, "/promocodes/orders/list?limit=100").await;
    let mut all = Vec::new();
    for order in list["orders"].as_array().expect("orders") {
        let order_id = order["order_id"].as_str().expect("order_id").to_owned();
        let codes = all_codes(sandbox, &order_id).await;
        let times = all_usages(&codes);
        let revoked = codes.iter().filter(|c| c["is_revoked"] == true).count();
        assert_eq!(order["revoke_count"], json!(revoked), "{order}");
        let figures = Figures {
            codes: codes.len(),
            used: codes.iter().filter(|c| c["status"] == "used").count(),
            usages: times.len(),
            revoked,
            first: times.iter().min().copied(),
            last: times.iter().max().copied(),
        };
        all.push((order_id, figures));
    }
    all
}

#[tokio::test]
async fn the_usage_demo_has_its_documented_figures_within_the_last_fortnight() {
    let sandbox = controlled(34, true).await;
    let today = yandex_promo_test_support::today();
    // Midnight in Moscow (UTC+3), where the service counts days.
    let midnight = |days_ago: u64| {
        (today - Days::new(days_ago))
            .and_time(NaiveTime::MIN)
            .and_utc()
            - TimeDelta::hours(3)
    };
    let seeded = figures(&sandbox).await;
    let demo = |first: Option<&str>, last: Option<&str>| (first.map(at), last.map(at));
    let expected = [
        (20, 0, 0, 0, demo(None, None)),
        (
            50,
            10,
            10,
            0,
            demo(Some("2025-02-22T12:30:30Z"), Some("2025-02-28T11:35:55Z")),
        ),
        (
            200,
            175,
            275,
            5,
            demo(Some("2025-02-15T14:01:47Z"), Some("2025-02-28T05:52:56Z")),
        ),
    ];
    assert_eq!(seeded.len(), 3);
    for ((_, got), (codes, used, usages, revoked, (first, last))) in seeded.iter().zip(expected) {
        let want = Figures {
            codes,
            used,
            usages,
            revoked,
            first,
            last,
        };
        assert_eq!(got, &want);
        if let (Some(first), Some(last)) = (got.first, got.last) {
            assert!(midnight(14) <= first && last < midnight(0), "{got:?}");
        }
    }
    assert!(seeded[1].1.first >= Some(midnight(7)), "the last 7 days");

    // The busy order's usages per day have a shape: not the same number every day.
    let (busy, _) = &seeded[2];
    let times = all_usages(&all_codes(&sandbox, busy).await);
    let per_day: Vec<usize> = (1..=14)
        .map(|d| {
            let (from, to) = (midnight(d), midnight(d - 1));
            times.iter().filter(|t| from <= **t && **t < to).count()
        })
        .collect();
    assert_eq!(per_day.iter().sum::<usize>(), 275);
    assert!(per_day.iter().all(|n| *n > 0), "{per_day:?}");
    assert!(
        per_day.iter().max() > Some(&(3 * per_day[0])),
        "{per_day:?}"
    );

    // Over HTTP: three more, listed after the first three, in the order made.
    let (status, body) = control(&sandbox, "/usage-demo", json!({})).await;
    assert_eq!(status, 201, "{body}");
    let more: Vec<String> = body["order_ids"]
        .as_array()
        .expect("order_ids")
        .iter()
        .map(|id| id.as_str().expect("id").to_owned())
        .collect();
    let listed: Vec<String> = figures(&sandbox)
        .await
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(listed[3..], more);

    // A reset seeds the demo again, with the same ids (the sandbox is seeded).
    let (status, _) = control(&sandbox, "/reset", json!({})).await;
    assert_eq!(status, 204);
    let again = figures(&sandbox).await;
    assert_eq!(again, seeded);
    conforms(&sandbox);
}

#[tokio::test]
async fn without_the_setting_a_sandbox_starts_without_the_demo() {
    let sandbox = controlled(35, false).await;
    assert_eq!(sandbox.handle().order_count(), 0);
    let ids = sandbox.handle().seed_usage_demo();
    assert_eq!(ids.len(), 3);
    let listed: Vec<String> = figures(&sandbox)
        .await
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(listed, ids, "returned in the order made");
    sandbox.handle().reset();
    assert_eq!(sandbox.handle().order_count(), 0);
}
