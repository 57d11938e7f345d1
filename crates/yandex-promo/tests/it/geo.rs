//! Geo zones, zone information and the clients of a token: the exact requests on the wire,
//! offset paging over thousands of zones (also through failing pages), the retry rules of a
//! create without an idempotency token, and validation before sending.
use futures::TryStreamExt as _;
use proptest::prelude::*;
use serde_json::json;
use wiremock::ResponseTemplate;
use yandex_promo::{
    Error, ErrorCode,
    go::{Circle, GeoRestriction, NewOrder, NewZone, ZoneId},
};
use yandex_promo_sandbox::{Failure, Faults, SandboxConfig};

use crate::support::{
    TOKEN, assert_conforms, failing_then, go_client, in_days, requests_snapshot, sandbox,
    sandbox_go, serve,
};

fn office(radius_m: u32) -> Circle {
    Circle {
        lat: 55.734894,
        lon: 37.642639,
        radius_m,
    }
}

#[tokio::test]
async fn each_operation_sends_its_method_path_query_and_body() {
    let zone = json!({"id": "b45efcaa04014fff997c2683ef91f0de", "name": "Office", "geo_type": "circle",
                      "geo": {"center": [37.642639, 55.734894], "radius": 200}});
    let answers = [
        json!({"items": [zone], "amount": 1, "limit": 100, "offset": 0}),
        json!({"id": "b45efcaa04014fff997c2683ef91f0de"}),
        json!({"tariff_classes": []}),
        json!({"clients": [{"client_id": "corp-42", "name": "Acme", "role": "client"}]}),
    ];
    let mut snapshot = Vec::new();
    for (n, answer) in answers.into_iter().enumerate() {
        let server = serve(200, answer.to_string()).await;
        let client = go_client(&server);
        let geo = client.geo();
        match n {
            0 => {
                let page = geo.list().page_size(100).send().await.expect("page");
                assert_eq!(
                    page.items[0].circle,
                    office(200),
                    "read back longitude first"
                );
            }
            1 => {
                let created = geo
                    .create(NewZone::new("Office", office(200)))
                    .await
                    .expect("created");
                assert_eq!(created.id, ZoneId::from("b45efcaa04014fff997c2683ef91f0de"));
                geo.update(&created.id, NewZone::new("Office", office(500)))
                    .await
                    .expect("updated");
                geo.delete(&created.id).await.expect("deleted");
            }
            2 => {
                geo.zone_info(55.7558, 37.6173).await.expect("info");
            }
            _ => {
                let clients = client.corp_clients().list().await.expect("clients");
                assert_eq!(clients[0].client_id, "corp-42");
            }
        }
        snapshot.push(requests_snapshot(&server).await);
    }
    insta::assert_snapshot!(snapshot.join("\n"));
}

#[tokio::test]
async fn two_thousand_five_hundred_zones_page_by_offset_each_exactly_once_through_failing_pages() {
    let sandbox = sandbox(SandboxConfig::default()).await;
    let seeded = sandbox.handle().seed_zones(2_500);
    let geo = sandbox_go(&sandbox, TOKEN).geo();
    let pages: Vec<_> = geo
        .list()
        .page_size(100)
        .pages()
        .try_collect()
        .await
        .expect("pages");
    assert_eq!(pages.len(), 25);
    let listed: Vec<ZoneId> = pages
        .iter()
        .flat_map(|p| p.items.iter().map(|z| z.id.clone()))
        .collect();
    let mut expected: Vec<ZoneId> = seeded.into_iter().rev().map(ZoneId::from).collect();
    assert_eq!(listed, expected, "every zone once, the latest first");

    sandbox.handle().set_faults(Faults {
        failure_rate: 0.3,
        random_failures: vec![Failure::Status503, Failure::Html502],
        seed: 5,
        ..Faults::default()
    });
    let mut again = Vec::new();
    let mut resume = None;
    // Retries absorb most failures; when one page fails for good, resume from its cursor.
    loop {
        let mut listing = geo.list().page_size(100);
        if let Some(cursor) = resume.take() {
            listing = listing.resume_from(cursor);
        }
        let stream = listing.stream();
        match stream
            .try_for_each(|zone| {
                again.push(zone.id);
                futures::future::ready(Ok(()))
            })
            .await
        {
            Ok(()) => break,
            // Nothing before the failed page is delivered again; `None` means the first page.
            Err(error) => resume = error.resume_from,
        }
    }
    expected.sort();
    again.sort();
    assert_eq!(again, expected);
    assert_conforms(&sandbox);
}

#[tokio::test]
async fn a_create_whose_answer_was_lost_returns_the_zone_it_made_and_makes_no_second() {
    let sandbox = sandbox(SandboxConfig::default()).await;
    sandbox.handle().set_faults(Faults {
        drop_after_create: 1,
        ..Faults::default()
    });
    let geo = sandbox_go(&sandbox, TOKEN).geo();
    let zone = geo
        .create(NewZone::new("Office", office(200)))
        .await
        .expect("created");
    let all: Vec<_> = geo.list().stream().try_collect().await.expect("zones");
    assert_eq!(all.len(), 1, "one zone, not two");
    assert_eq!(all[0], zone);
    let creates = crate::support::requests_to(&sandbox, "/geo_restrictions/create");
    assert_eq!(creates, 1, "it looked before creating again, and found it");

    // Creating the same zone again returns it rather than failing or duplicating it.
    let same = geo
        .create(NewZone::new("Office", office(200)))
        .await
        .expect("existing");
    assert_eq!(same.id, zone.id);
    assert_conforms(&sandbox);
}

/// Every attempt it sees, as (operation, number, outcome, what follows).
#[derive(Debug, Default)]
struct Recorder(
    std::sync::Mutex<
        Vec<(
            &'static str,
            u32,
            yandex_promo::AttemptOutcome,
            &'static str,
        )>,
    >,
);

impl yandex_promo::Observer for Recorder {
    fn attempt(&self, attempt: &yandex_promo::Attempt<'_>) {
        let next = match attempt.next {
            yandex_promo::NextStep::Done => "done",
            yandex_promo::NextStep::Retry { .. } => "retry",
            _ => "give up",
        };
        let seen = (attempt.operation.id, attempt.number, attempt.outcome, next);
        self.0.lock().expect("not poisoned").push(seen);
    }
}

#[tokio::test]
async fn the_observer_sees_a_zone_create_s_attempts_numbered_and_the_look_before_its_retry() {
    use yandex_promo::AttemptOutcome::Status;

    let sandbox = sandbox(SandboxConfig::default()).await;
    crate::support::fail_next(&sandbox, 1, Failure::Status503);
    let seen = std::sync::Arc::new(Recorder::default());
    let client = crate::support::sandbox_go_builder(&sandbox, TOKEN)
        .observer(seen.clone())
        .build()
        .expect("client");
    client
        .geo()
        .create(NewZone::new("Office", office(200)))
        .await
        .expect("created on the second attempt");
    // A 503 may have made the zone: after the wait, the client looks for it before sending
    // the create again (one listing page, a call of its own), then makes attempt 2.
    let seen = seen.0.lock().expect("not poisoned").clone();
    assert_eq!(
        seen,
        [
            ("createGeoRestriction", 1, Status(503), "retry"),
            ("listGeoRestrictions", 1, Status(200), "done"),
            ("createGeoRestriction", 2, Status(200), "done"),
        ]
    );
    let zones: Vec<_> = client
        .geo()
        .list()
        .stream()
        .try_collect()
        .await
        .expect("zones");
    assert_eq!(zones.len(), 1);
}

#[tokio::test]
async fn a_zone_create_that_gives_up_returns_its_own_error_without_looking() {
    let sandbox = sandbox(SandboxConfig::default()).await;
    crate::support::fail_next(&sandbox, 1, Failure::Status503);
    let error = sandbox_go(&sandbox, TOKEN)
        .geo()
        .create(NewZone::new("Office", office(200)))
        .retry_policy(yandex_promo::RetryPolicy::disabled())
        .await
        .expect_err("its one attempt met the 503");
    assert_eq!(error.status(), Some(503), "{error}");
    assert!(
        error.to_string().contains("createGeoRestriction"),
        "{error}"
    );
    let listed = crate::support::requests_to(&sandbox, "/geo_restrictions/list");
    assert_eq!(listed, 0, "no look when giving up on a 503");
}

#[tokio::test]
async fn a_delete_retried_after_it_landed_reports_success() {
    let server = failing_then(
        ResponseTemplate::new(503)
            .set_body_json(json!({"code": "UNAVAILABLE", "message": "later"})),
        1,
        ResponseTemplate::new(404)
            .set_body_json(json!({"code": "NOT_FOUND", "message": "Not found geo_restriction"})),
    )
    .await;
    go_client(&server)
        .geo()
        .delete("b45e")
        .await
        .expect("the zone is gone either way");
    let single = serve(
        404,
        json!({"code": "NOT_FOUND", "message": "Not found geo_restriction"}).to_string(),
    )
    .await;
    let error = go_client(&single)
        .geo()
        .delete("b45e")
        .await
        .expect_err("never existed");
    assert_eq!(error.status(), Some(404));
}

#[tokio::test]
async fn orders_name_zones_by_id_or_by_the_zone_and_read_them_back() {
    let sandbox = sandbox(SandboxConfig::default()).await;
    let client = sandbox_go(&sandbox, TOKEN);
    let zone = client
        .geo()
        .create(NewZone::new("Office", office(300)))
        .await
        .expect("zone");
    let order = NewOrder::new(500, 5, in_days(30))
        .geo_restriction(GeoRestriction::from_zone(&zone).max_intermediate_points(1))
        .geo_restriction(GeoRestriction::to_zone(zone.id.as_str()));
    let orders = client.promocodes().order();
    let created = orders.create(order).send().await.expect("created");
    let read = orders.get(&created.order_id).await.expect("order");
    let source = read.geo_restrictions[0].source.as_ref().expect("source");
    assert_eq!(source.corp_geo_id, zone.id.as_str());
    assert_eq!(Circle::from_api(&source.geo), office(300));
    assert!(read.geo_restrictions[1].destination.is_some());
    assert_conforms(&sandbox);
}

#[tokio::test]
async fn a_token_with_several_clients_is_told_how_to_pick_one() {
    let sandbox = crate::support::two_client_sandbox().await;
    let client = sandbox_go(&sandbox, "multi");
    let error = client.geo().list().send().await.expect_err("403");
    assert_eq!(error.code(), Some(&ErrorCode::SelectClientHeaderRequired));
    let message = error.to_string();
    assert!(
        message.contains("corp_client_id") && message.contains("yandex-promo clients"),
        "{message}"
    );
    let ids: Vec<_> = client
        .corp_clients()
        .list()
        .await
        .expect("clients")
        .into_iter()
        .map(|c| c.client_id)
        .collect();
    assert_eq!(ids, ["alpha", "beta"]);
    assert_conforms(&sandbox);
}

#[tokio::test]
async fn an_invalid_zone_or_place_is_refused_before_sending() {
    let server = serve(200, "{}").await;
    let geo = go_client(&server).geo();
    let bad = NewZone::new(
        "",
        Circle {
            lat: f64::NAN,
            lon: 181.0,
            radius_m: 100_001,
        },
    );
    let error = geo.create(bad).await.expect_err("invalid");
    let fields: Vec<_> = error
        .violations()
        .expect("validation")
        .iter()
        .map(|v| v.field.as_str())
        .collect();
    assert_eq!(
        fields,
        ["name", "circle.lat", "circle.lon", "circle.radius_m"]
    );
    let error = geo.zone_info(-91.0, 0.0).await.expect_err("invalid");
    assert!(matches!(error, Error::Validation(_)));
    assert_eq!(crate::support::requests_sent(&server).await, 0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_zone_input_validates_without_panicking_and_valid_ones_are_in_range(
        name in "\\PC{0,10}",
        lat in prop_oneof![-100.0f64..100.0, Just(f64::NAN), Just(f64::INFINITY), Just(90.0), Just(-90.0)],
        lon in prop_oneof![-200.0f64..200.0, Just(f64::NEG_INFINITY), Just(180.0)],
        radius_m in prop_oneof![0u32..200_000, Just(u32::MAX), Just(1), Just(100_000)],
    ) {
        let zone = NewZone::new(name.clone(), Circle { lat, lon, radius_m });
        match zone.validate() {
            Ok(()) => {
                prop_assert!(!name.trim().is_empty());
                prop_assert!((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon));
                prop_assert!((1..=100_000).contains(&radius_m));
            }
            Err(error) => prop_assert!(!error.violations.is_empty()),
        }
    }
}
