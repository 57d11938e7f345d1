//! Market promos: filters over the seeded promotions, rate-limit headers, and 420.
use yandex_promo::{
    Error,
    market::{MechanicsType, Participation},
};
use yandex_promo_sandbox::SandboxConfig;

use crate::support::{assert_conforms, sandbox, sandbox_market as market};

#[tokio::test]
async fn the_filters_select_from_the_seeded_promotions() {
    let sandbox = sandbox(SandboxConfig::default()).await;
    let promos = market(&sandbox).promos();
    let ids = |promos: Vec<yandex_promo::market::Promo>| {
        promos.into_iter().map(|p| p.id).collect::<Vec<_>>()
    };

    let default = ids(promos.list().send().await.expect("promos"));
    assert_eq!(
        default,
        [
            "sb_direct_now",
            "sb_flash_soon",
            "sb_promocode_now",
            "sb_bestsellers_next"
        ]
    );
    let now = ids(promos
        .list()
        .participation(Participation::ParticipatingNow)
        .send()
        .await
        .expect("promos"));
    assert_eq!(now, ["sb_direct_now", "sb_promocode_now"]);
    let past = ids(promos
        .list()
        .participation(Participation::Participated)
        .send()
        .await
        .expect("promos"));
    assert_eq!(past, ["sb_past_flash"]);

    let with_code = promos
        .list()
        .mechanics(MechanicsType::MarketPromocode)
        .send()
        .await
        .expect("promos");
    let info = with_code[0]
        .mechanics_info
        .promocode_info
        .as_ref()
        .expect("promo code info");
    assert_eq!((info.promocode.as_str(), info.discount), ("SANDBOX10", 10));
    let constraints = with_code[0].constraints.as_ref().expect("constraints");
    assert_eq!(constraints.warehouse_ids.as_deref(), Some(&[101, 202][..]));
    let flash = promos
        .list()
        .mechanics(MechanicsType::BlueFlash)
        .send()
        .await
        .expect("promos");
    assert_eq!(ids(flash), ["sb_flash_soon"]);
    assert!(
        default.len() + 1 == 5,
        "one past promotion is hidden by default"
    );
    assert!(assert_conforms(&sandbox) >= 5);
}

#[tokio::test]
async fn every_answer_carries_the_rate_limit_headers_and_420_follows_the_budget() {
    let sandbox = sandbox(SandboxConfig {
        market_budget: 2,
        ..SandboxConfig::default()
    })
    .await;
    let url = format!("{}/v2/businesses/42/promos", sandbox.market_base_url());
    let http = reqwest::Client::new();
    let mut seen = Vec::new();
    for _ in 0..3 {
        let response = http
            .post(&url)
            .header("Api-Key", "k")
            .json(&serde_json::json!({}))
            .send()
            .await
            .expect("answered");
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        assert_eq!(header("x-ratelimit-resource-limit").as_deref(), Some("2"));
        assert!(header("x-ratelimit-resource-until").is_some());
        seen.push((
            response.status().as_u16(),
            header("x-ratelimit-resource-remaining"),
        ));
    }
    assert_eq!(
        seen,
        [
            (200, Some("1".into())),
            (200, Some("0".into())),
            (420, Some("0".into()))
        ]
    );

    let error = market(&sandbox)
        .promos()
        .list()
        .send()
        .await
        .expect_err("420");
    assert!(
        matches!(
            error,
            Error::RateLimited {
                status: 420,
                until: Some(_),
                ..
            }
        ),
        "{error:?}"
    );
    assert_conforms(&sandbox);
}

#[tokio::test]
async fn credentials_and_the_business_id_are_checked() {
    let sandbox = sandbox(SandboxConfig::default()).await;
    let http = reqwest::Client::new();
    let base = sandbox.market_base_url();
    let status = |r: reqwest::Response| r.status().as_u16();
    assert_eq!(
        status(
            http.post(format!("{base}/v2/businesses/42/promos"))
                .send()
                .await
                .expect("answered")
        ),
        401
    );
    let zero = http
        .post(format!("{base}/v2/businesses/0/promos"))
        .bearer_auth("t")
        .send()
        .await
        .expect("answered");
    assert_eq!(status(zero), 400);
    let bad = http
        .post(format!("{base}/v2/businesses/42/promos"))
        .bearer_auth("t")
        .header("content-type", "application/json")
        .body(r#"{"mechanics": "NOPE"}"#)
        .send()
        .await
        .expect("answered");
    assert_eq!(status(bad), 400);
    assert_conforms(&sandbox);
}

#[tokio::test]
async fn a_fault_on_get_promos_reaches_the_client_as_an_api_error_in_markets_envelope() {
    for (failure, status) in [
        (yandex_promo_sandbox::Failure::Status500, 500),
        (yandex_promo_sandbox::Failure::Status503, 503),
    ] {
        let sandbox = crate::support::sandbox_with_faults(yandex_promo_sandbox::Faults {
            fail_next: 1,
            failure,
            ..Default::default()
        })
        .await;
        // The client in `market` does not retry, so the fault is what it sees.
        let error = market(&sandbox)
            .promos()
            .list()
            .send()
            .await
            .expect_err("the injected fault");
        let Error::Api(api) = &error else {
            panic!("not an API error: {error:?}");
        };
        assert_eq!(api.status, status);
        assert_eq!(api.errors.len(), 1, "Market's errors[] was read: {api:?}");
        assert_eq!(api.message.as_deref(), Some("fault injected"));
        assert_conforms(&sandbox);
    }
}
