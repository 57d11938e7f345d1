//! The client's validator and the sandbox's rules are two readings of the vendor's create
//! rules, written apart. For arbitrary create requests (valid, at the limits and beyond, every
//! service, the 90-day window, taxi-only fields, BIN ranges, geo restrictions naming the
//! sandbox's zones) both must
//! agree on whether the request is accepted and on which fields are wrong. A disagreement is
//! a bug in one of them, and the failure names the (shrunk) input.
use std::collections::BTreeSet;

use proptest::{
    prelude::*,
    test_runner::{Config, TestCaseError, TestRunner},
};
use serde_json::{Value, json};
use yandex_promo::{
    go::{GeoRestriction, NewOrder},
    raw::open::{Service, TariffClass},
};
use yandex_promo_sandbox::{RunningSandbox, SandboxConfig};

use crate::support::{TOKEN, sandbox, today};

/// At least the 2,000 cases CI must run.
const CASES: u32 = 2_000;

/// One geo restriction: zone ids for where rides start and end, and the intermediate points.
type Geo = (Option<String>, Option<String>, i64);

/// A create request as plain values, so that it can become both a `NewOrder` and a JSON body.
#[derive(Debug, Clone)]
struct Input {
    value: i64,
    count: i64,
    service: String,
    classes: Vec<String>,
    until_days: i64,
    from_days: Option<i64>,
    name: Option<String>,
    uses: Option<i64>,
    bins: Vec<(String, String)>,
    bank_name: Option<(String, String)>,
    geo: Vec<Geo>,
}

fn date(days: i64) -> chrono::NaiveDate {
    today() + chrono::Duration::days(days)
}

impl Input {
    fn new_order(&self) -> NewOrder {
        let mut order = NewOrder::new(self.value, self.count, date(self.until_days))
            .service(Service::from(self.service.as_str()))
            .classes(self.classes.iter().map(|c| TariffClass::from(c.as_str())));
        if let Some(days) = self.from_days {
            order = order.active_from(date(days));
        }
        if let Some(name) = &self.name {
            order = order.name(name.clone());
        }
        if let Some(uses) = self.uses {
            order = order.max_usages_count(uses);
        }
        for (start, end) in &self.bins {
            order = order.bin_range(start.clone(), end.clone());
        }
        if let Some((language, name)) = &self.bank_name {
            order = order.bank_name(language.clone(), name.clone());
        }
        for (source, destination, points) in &self.geo {
            let mut restriction = GeoRestriction::default().max_intermediate_points(*points);
            if let Some(id) = source {
                restriction = restriction.source(id.clone());
            }
            if let Some(id) = destination {
                restriction = restriction.destination(id.clone());
            }
            order = order.geo_restriction(restriction);
        }
        order
    }

    /// The body as the API documents it, written here rather than by the client, so that an
    /// invalid order (which the client refuses to build) can be sent too.
    fn body(&self) -> Value {
        let mut body = json!({
            "value": self.value,
            "count": self.count,
            "service": self.service,
            "active_until": date(self.until_days).to_string(),
        });
        let mut put = |field: &str, value: Value| body[field] = value;
        if !self.classes.is_empty() {
            put("classes", json!(self.classes));
        }
        if let Some(days) = self.from_days {
            put("active_from", json!(date(days).to_string()));
        }
        if let Some(name) = &self.name {
            put("name", json!(name));
        }
        if let Some(uses) = self.uses {
            put("max_usages_count", json!(uses));
        }
        if !self.bins.is_empty() {
            let pairs: Vec<[&String; 2]> = self.bins.iter().map(|(s, e)| [s, e]).collect();
            put("bin_ranges", json!(pairs));
        }
        if let Some((language, name)) = &self.bank_name {
            put("bank_name", json!({ language: name }));
        }
        if !self.geo.is_empty() {
            let zone =
                |id: &Option<String>| id.as_ref().map(|id| json!({"geo_restriction_id": id}));
            let geo: Vec<Value> = self
                .geo
                .iter()
                .map(|(source, destination, points)| {
                    let mut entry = json!({"max_intermediate_points": points});
                    if let Some(zone) = zone(source) {
                        entry["source"] = zone;
                    }
                    if let Some(zone) = zone(destination) {
                        entry["destination"] = zone;
                    }
                    entry
                })
                .collect();
            put("geo_restrictions", json!(geo));
        }
        body
    }
}

/// Mostly valid values, often at or just beyond a documented limit, sometimes anywhere:
/// each field is valid often enough that whole requests are, and broken often enough that
/// every rule is tried.
fn around(
    limits: &[i64],
    valid: std::ops::RangeInclusive<i64>,
    anywhere: std::ops::Range<i64>,
) -> impl Strategy<Value = i64> {
    let near: Vec<i64> = limits.iter().flat_map(|l| [l - 1, *l, l + 1]).collect();
    prop_oneof![12 => valid, 2 => prop::sample::select(near), 1 => anywhere]
}

/// Mostly one of `known`, sometimes a word no list has.
fn text(known: Vec<&'static str>) -> impl Strategy<Value = String> {
    prop_oneof![
        15 => prop::sample::select(known).prop_map(str::to_owned),
        1 => "[a-z_]{1,10}",
    ]
}

fn bin() -> impl Strategy<Value = String> {
    prop_oneof![8 => "[0-9]{1,19}", 1 => "0{0,3}[0-9]{0,30}", 1 => "[0-9a ]{1,6}"]
}

/// A zone reference: none, an empty id, or one of the sandbox's `zones` (the sandbox
/// refuses unknown zones, which the client cannot know: that check is not in common).
fn zone_id(zones: Vec<String>) -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        3 => Just(None),
        1 => Just(Some(String::new())),
        6 => prop::sample::select(zones).prop_map(Some),
    ]
}

/// Few entries, often none: every extra entry is one more chance to break a rule.
fn few<S>(entry: S) -> impl Strategy<Value = Vec<S::Value>>
where
    S: Strategy,
    S::Value: Clone,
{
    prop_oneof![3 => Just(Vec::new()), 1 => prop::collection::vec(entry, 1..3)]
}

fn input(zones: &[String]) -> impl Strategy<Value = Input> {
    // Taxi twice as often: the taxi-only rules need it.
    let mut services: Vec<&str> = Service::KNOWN.iter().map(Service::as_str).collect();
    services.push("taxi");
    let classes: Vec<&str> = TariffClass::KNOWN.iter().map(TariffClass::as_str).collect();
    (
        (
            around(&[100, 5000, 30_000], 100..=5000, -10..40_000),
            around(&[5, 1000], 5..=60, -5..1_200),
            text(services),
            few(text(classes)),
            around(&[0, 90], 0..=90, -5..100),
            prop::option::of(around(&[0, 90], 0..=30, -5..100)),
        ),
        (
            prop::option::of(prop_oneof![
                1 => Just(String::new()),
                8 => "\\PC{1,40}",
                1 => Just("я".repeat(256)),
                1 => Just("x".repeat(257)),
            ]),
            prop::option::of(around(&[1, 20], 1..=20, -2..25)),
            few((bin(), bin())),
            prop::option::of(("[a-z]{2}", "\\PC{1,12}")),
            few((
                zone_id(zones.to_vec()),
                zone_id(zones.to_vec()),
                around(&[0, 2_147_483_647], 0..=3, -3..5),
            )),
        ),
    )
        .prop_map(
            |(
                (value, count, service, classes, until_days, from_days),
                (name, uses, bins, bank_name, geo),
            )| {
                Input {
                    value,
                    count,
                    service,
                    classes,
                    until_days,
                    from_days,
                    name,
                    uses,
                    bins,
                    bank_name,
                    geo,
                }
            },
        )
}

/// The fields the sandbox names in a 400, or `None` when it created the order.
async fn sandbox_verdict(
    http: &reqwest::Client,
    sandbox: &RunningSandbox,
    body: &Value,
) -> Option<BTreeSet<String>> {
    let response = http
        .post(format!(
            "{}/promocodes/orders/create",
            sandbox.go_base_url()
        ))
        .bearer_auth(TOKEN)
        .header("x-idempotency-token", uuid::Uuid::new_v4().to_string())
        .json(body)
        .send()
        .await
        .expect("the sandbox answers");
    let status = response.status().as_u16();
    let answer: Value = response.json().await.expect("a JSON answer");
    match status {
        200 => None,
        400 => Some(
            answer["details"]["violations"]
                .as_array()
                .unwrap_or_else(|| panic!("a 400 without violations: {answer}"))
                .iter()
                .map(|v| v["field"].as_str().expect("a field").to_owned())
                .collect(),
        ),
        other => panic!("unexpected {other}: {answer}"),
    }
}

#[test]
fn the_validator_and_the_sandbox_agree_on_every_create_request() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let sandbox = runtime.block_on(sandbox(SandboxConfig::default()));
    let zones = sandbox.handle().seed_zones(3);
    let http = reqwest::Client::new();
    let mut runner = TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    });
    let accepted = std::cell::Cell::new(0u32);
    let result = runner.run(&input(&zones), |input| {
        let order = input.new_order();
        let client: Option<BTreeSet<String>> = order
            .validate(today())
            .err()
            .map(|e| e.violations.into_iter().map(|v| v.field).collect());
        // A valid order goes out as the client really sends it; an invalid one as written.
        let body = match &client {
            None => serde_json::to_value(
                order
                    .to_request(today())
                    .map_err(|e| TestCaseError::fail(e.to_string()))?,
            )
            .expect("JSON"),
            Some(_) => input.body(),
        };
        let server = runtime.block_on(sandbox_verdict(&http, &sandbox, &body));
        if server.is_none() {
            accepted.set(accepted.get() + 1);
        }
        prop_assert_eq!(
            &client,
            &server,
            "client (left) and sandbox (right) disagree on {}",
            body
        );
        Ok(())
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
    // The inputs must reach both verdicts often enough for the agreement to mean something.
    let accepted = accepted.get();
    assert!(
        (CASES / 20..CASES / 2).contains(&accepted),
        "{accepted} of {CASES} inputs were valid"
    );
}
