//! The client's offer rules and the sandbox's are two readings of `updatePromoOffers`' docs,
//! written apart. For arbitrary updates of a promo's offers (prices at and around the 1% and
//! 95% bounds and `maxPromoPrice`, repeated offers, malformed ids and prices) both must agree
//! on whether the request is malformed, on which offers are refused, and why: the reason the
//! sandbox gives is one of the reasons the client named. A disagreement names the input.
use std::collections::{BTreeMap, BTreeSet};

use futures::TryStreamExt as _;
use proptest::{
    prelude::*,
    test_runner::{Config, TestRunner},
};
use serde_json::{Value, json};
use yandex_promo::{
    Error,
    market::{OfferUpdate, PromoOffer, RejectReason, max_promo_price},
};
use yandex_promo_sandbox::{RunningSandbox, SandboxConfig};

use crate::support::{API_KEY, sandbox, sandbox_market};

const CASES: u32 = 500;
const PROMO: &str = "sb_direct_now";

/// One entry of an update: which listed offer (or a malformed id), a price, and how the promo
/// price relates to it.
#[derive(Debug, Clone)]
struct Entry {
    offer: usize,
    malformed_id: Option<&'static str>,
    price: u64,
    promo: Promo,
}

/// Where the promo price lies: at or next to a bound, or anywhere.
#[derive(Debug, Clone, Copy)]
enum Promo {
    NinetyFivePercent(i64),
    OnePercent(i64),
    Cap(i64),
    Anywhere(u64),
}

fn promo_price(price: u64, cap: Option<u64>, promo: Promo) -> u64 {
    let shift = |base: u64, by: i64| base.saturating_add_signed(by);
    match promo {
        Promo::NinetyFivePercent(by) => shift(price * 95 / 100, by),
        Promo::OnePercent(by) => shift(price.div_ceil(100), by),
        Promo::Cap(by) => shift(cap.unwrap_or(price / 2), by),
        Promo::Anywhere(p) => p,
    }
}

fn entry(offers: usize) -> impl Strategy<Value = Entry> {
    let promo = prop_oneof![
        2 => (-1i64..=0).prop_map(Promo::NinetyFivePercent),
        1 => (-1i64..=1).prop_map(Promo::NinetyFivePercent),
        2 => (0i64..=1).prop_map(Promo::OnePercent),
        1 => (-1i64..=1).prop_map(Promo::OnePercent),
        2 => (-1i64..=1).prop_map(Promo::Cap),
        1 => (0u64..3000).prop_map(Promo::Anywhere),
    ];
    let id = prop_oneof![
        60 => Just(None),
        1 => Just(Some("")),
        1 => Just(Some("   ")),
        1 => Just(Some("line\nbreak")),
    ];
    let price = prop_oneof![
        40 => prop::sample::select(vec![100u64, 999, 1000, 1001, 2000, 4999]),
        1 => Just(0u64),
    ];
    // A dozen offers only, so that repeats happen.
    (0..offers.min(12), id, price, promo).prop_map(|(offer, malformed_id, price, promo)| Entry {
        offer,
        malformed_id,
        price,
        promo,
    })
}

/// What a side says of an update: malformed as a whole, or the reasons per refused offer.
#[derive(Debug, PartialEq)]
enum Verdict {
    Malformed,
    Refused(BTreeMap<String, BTreeSet<RejectReason>>),
}

/// The client's verdict, read from its validation error.
fn client_verdict(updates: &[OfferUpdate], error: Option<Error>) -> Verdict {
    let Some(error) = error else {
        return Verdict::Refused(BTreeMap::new());
    };
    let Error::Validation(invalid) = error else {
        panic!("not a validation error: {error}");
    };
    let mut refused: BTreeMap<String, BTreeSet<RejectReason>> = BTreeMap::new();
    for violation in invalid.violations {
        let reason = if violation.rule.starts_with("must not repeat") {
            Some(RejectReason::OfferDuplication)
        } else {
            violation
                .rule
                .rsplit_once('(')
                .and_then(|(_, code)| code.strip_suffix(')'))
                .map(RejectReason::from)
                .filter(|r| !r.is_unknown())
        };
        let Some(reason) = reason else {
            return Verdict::Malformed;
        };
        let id = match violation
            .field
            .strip_prefix("offers[")
            .and_then(|f| f.split_once(']'))
        {
            Some((index, _)) if !index.starts_with('"') => updates
                [index.parse::<usize>().expect("an index")]
            .offer_id
            .clone(),
            Some((quoted, _)) => serde_json::from_str(quoted).expect("a quoted id"),
            None => panic!("an offer field: {}", violation.field),
        };
        refused.entry(id).or_default().insert(reason);
    }
    Verdict::Refused(refused)
}

async fn sandbox_verdict(
    http: &reqwest::Client,
    sandbox: &RunningSandbox,
    updates: &[OfferUpdate],
) -> (Verdict, Value) {
    let offers: Vec<Value> = updates
        .iter()
        .map(|u| json!({"offerId": u.offer_id, "params": {"discountParams": {"price": u.price, "promoPrice": u.promo_price}}}))
        .collect();
    let body = json!({"promoId": PROMO, "offers": offers});
    let response = http
        .post(format!(
            "{}/v2/businesses/42/promos/offers/update",
            sandbox.market_base_url()
        ))
        .header("api-key", API_KEY)
        .json(&body)
        .send()
        .await
        .expect("the sandbox answers");
    let status = response.status().as_u16();
    let answer: Value = response.json().await.expect("a JSON answer");
    let verdict = match status {
        400 => Verdict::Malformed,
        200 => Verdict::Refused(
            answer["result"]["rejectedOffers"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|r| {
                    let reason = RejectReason::from(r["reason"].as_str().expect("a reason"));
                    let id = r["offerId"].as_str().expect("an id").to_owned();
                    (id, BTreeSet::from([reason]))
                })
                .collect(),
        ),
        other => panic!("unexpected {other}: {answer}"),
    };
    (verdict, body)
}

/// Whether the sandbox's one reason per offer is among the client's reasons, offer by offer.
fn agree(client: &Verdict, server: &Verdict) -> bool {
    match (client, server) {
        (Verdict::Malformed, Verdict::Malformed) => true,
        (Verdict::Refused(ours), Verdict::Refused(theirs)) => {
            ours.len() == theirs.len()
                && theirs
                    .iter()
                    .all(|(id, reasons)| ours.get(id).is_some_and(|named| reasons.is_subset(named)))
        }
        _ => false,
    }
}

#[test]
fn the_client_and_the_sandbox_refuse_the_same_offers_for_the_same_reasons() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    // Hundreds of updates of one promo, many with one offer: the single-offer throttle is
    // off, or it would answer them instead of the offer rules compared here.
    let sandbox = runtime.block_on(sandbox(SandboxConfig {
        record_responses: false,
        market_single_offer_limit: None,
        ..SandboxConfig::default()
    }));
    let market = sandbox_market(&sandbox);
    let listed: Vec<PromoOffer> = runtime
        .block_on(market.promos().offers(PROMO).stream().try_collect())
        .expect("offers");
    let http = reqwest::Client::new();
    let mut runner = TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    });
    let (malformed, refusing) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    let strategy = prop::collection::vec(entry(listed.len()), 1..4);
    let result = runner.run(&strategy, |entries| {
        let updates: Vec<OfferUpdate> = entries
            .iter()
            .map(|e| {
                let offer = &listed[e.offer];
                let cap = max_promo_price(offer);
                let update =
                    OfferUpdate::for_offer(offer, e.price, promo_price(e.price, cap, e.promo));
                match e.malformed_id {
                    Some(id) => OfferUpdate::new(id, update.price, update.promo_price),
                    None => update,
                }
            })
            .collect();
        // The client sends nothing when it refuses; a valid update reaches the sandbox both
        // through the client (which must succeed) and as written below.
        let client_error = runtime
            .block_on(market.promos().update(PROMO, updates.clone()).send())
            .err()
            .map(|e| e.error);
        let client = client_verdict(&updates, client_error);
        let (server, body) = runtime.block_on(sandbox_verdict(&http, &sandbox, &updates));
        match &server {
            Verdict::Malformed => malformed.set(malformed.get() + 1),
            Verdict::Refused(r) if !r.is_empty() => refusing.set(refusing.get() + 1),
            Verdict::Refused(_) => {}
        }
        prop_assert!(
            agree(&client, &server),
            "client {:?} and sandbox {:?} disagree on {}",
            client,
            server,
            body
        );
        Ok(())
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
    // Every verdict must be reached often enough for the agreement to mean something.
    let (malformed, refusing) = (malformed.get(), refusing.get());
    assert!(malformed > CASES / 20, "{malformed} malformed of {CASES}");
    assert!(refusing > CASES / 5, "{refusing} with refusals of {CASES}");
    assert!(
        malformed + refusing < CASES * 9 / 10,
        "too few updates were accepted whole: {malformed} malformed, {refusing} with refusals"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// Whatever a caller passes, checking it never panics, and a refusal names a field.
    #[test]
    fn arbitrary_updates_never_panic(
        offers in prop::collection::vec(
            ("\\PC{0,3}|.{0,300}", any::<u64>(), any::<u64>(), prop::option::of(any::<u64>())),
            0..20,
        )
    ) {
        let updates: Vec<OfferUpdate> = offers
            .into_iter()
            .map(|(id, price, promo, cap)| {
                let mut update = OfferUpdate::new(id, price, promo);
                update.max_promo_price = cap;
                update
            })
            .collect();
        for update in &updates {
            let _ = update.rejections();
        }
        if let Err(error) = yandex_promo::market::SyncPlan::new(&[], updates) {
            prop_assert!(error.violations.iter().all(|v| v.field.starts_with("offers[")));
        }
    }
}
