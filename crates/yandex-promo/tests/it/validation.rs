//! Every limit of a create request at min-1, min, max and max+1, per service; dates against
//! an injected "today"; arbitrary input never panics.
use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use yandex_promo::{
    go::{GeoRestriction, NewOrder},
    raw::{
        go::types::PromocodeOrder,
        open::{Service, TariffClass},
    },
};

use crate::support::today;

fn until() -> NaiveDate {
    today() + Days::new(30)
}

/// The fields that broke a rule, or an empty list when the order is valid.
fn broken(order: &NewOrder) -> Vec<String> {
    match order.validate(today()) {
        Ok(()) => Vec::new(),
        Err(error) => error.violations.into_iter().map(|v| v.field).collect(),
    }
}

/// `(min-1, min, max, max+1)` are `(bad, ok, ok, bad)` for `field`.
fn check_bounds(field: &str, min: i64, max: i64, make: impl Fn(i64) -> NewOrder) {
    for (value, valid) in [(min - 1, false), (min, true), (max, true), (max + 1, false)] {
        let fields = broken(&make(value));
        if valid {
            assert!(
                fields.is_empty(),
                "{field} = {value} should pass: {fields:?}"
            );
        } else {
            assert_eq!(fields, [field], "{field} = {value} should fail alone");
        }
    }
}

const SERVICES: [(Service, i64); 5] = [
    (Service::Taxi, 5000),
    (Service::Fuel, 5000),
    (Service::Cargo, 5000),
    (Service::Grocery, 30000),
    (Service::Eats, 30000),
];

#[test]
fn value_limits_per_service() {
    for (service, max) in SERVICES {
        check_bounds("value", 100, max, |value| {
            NewOrder::new(value, 20, until()).service(service.clone())
        });
    }
}

#[test]
fn count_and_uses_limits_for_every_service() {
    for (service, _) in SERVICES {
        check_bounds("count", 5, 1000, |count| {
            NewOrder::new(500, count, until()).service(service.clone())
        });
        check_bounds("max_usages_count", 1, 20, |uses| {
            NewOrder::new(500, 20, until())
                .service(service.clone())
                .max_usages_count(uses)
        });
    }
}

#[test]
fn name_length_limits_count_characters_not_bytes() {
    let named = |chars: i64| {
        NewOrder::new(500, 20, until()).name("я".repeat(usize::try_from(chars).unwrap_or(0)))
    };
    for (chars, valid) in [(0, false), (1, true), (256, true), (257, false)] {
        assert_eq!(
            broken(&named(chars)).is_empty(),
            valid,
            "{chars} characters"
        );
    }
}

#[test]
fn active_until_from_yesterday_to_ninety_one_days_ahead() {
    for (days_ahead, valid) in [(-1, false), (0, true), (90, true), (91, false)] {
        let date = today()
            .checked_add_signed(chrono::Duration::days(days_ahead))
            .expect("date");
        let fields = broken(&NewOrder::new(500, 20, date));
        assert_eq!(
            fields.is_empty(),
            valid,
            "{days_ahead} days ahead: {fields:?}"
        );
    }
    let reversed = NewOrder::new(500, 20, until()).active_from(until() + Days::new(1));
    assert_eq!(broken(&reversed), ["active_from"]);
    let same_day = NewOrder::new(500, 20, until()).active_from(until());
    assert!(broken(&same_day).is_empty());
}

#[test]
fn classes_and_geo_restrictions_are_for_taxi_only() {
    for (service, _) in SERVICES {
        let order = NewOrder::new(500, 20, until())
            .service(service.clone())
            .classes([TariffClass::Econom])
            .geo_restriction(GeoRestriction::from_zone("z1"));
        let expected: &[&str] = if service == Service::Taxi {
            &[]
        } else {
            &["classes", "geo_restrictions"]
        };
        assert_eq!(broken(&order), expected, "{service}");
    }
}

#[test]
fn each_geo_restriction_needs_a_source_or_a_destination() {
    let order = NewOrder::new(500, 20, until())
        .geo_restriction(GeoRestriction::from_zone("a"))
        .geo_restriction(GeoRestriction::to_zone("b"))
        .geo_restriction(GeoRestriction::default().max_intermediate_points(2))
        .geo_restriction(GeoRestriction::from_zone("c").max_intermediate_points(-1));
    assert_eq!(
        broken(&order),
        [
            "geo_restrictions[2]",
            "geo_restrictions[3].max_intermediate_points"
        ]
    );
}

#[test]
fn bin_ranges_are_digits_with_start_not_after_end() {
    let order = NewOrder::new(500, 20, until())
        .bin_range("123400", "123499")
        .bin_range("555000", "555000")
        .bin_range("12 34", "")
        .bin_range("999", "100")
        .bin_range("1".repeat(30), "2")
        .bin_range("0009", "10")
        .bin_range("9".repeat(25), "1".repeat(26));
    assert_eq!(
        broken(&order),
        [
            "bin_ranges[2].start",
            "bin_ranges[2].end",
            "bin_ranges[3]",
            "bin_ranges[4]"
        ],
        "digits of any length are BINs, compared as numbers"
    );
}

#[test]
fn unknown_services_and_classes_are_never_sent() {
    let order = NewOrder::new(500, 20, until())
        .service(Service::Unknown("scooters".into()))
        .classes([TariffClass::Unknown("rocket".into())]);
    assert_eq!(broken(&order), ["service", "classes", "classes[0]"]);
}

#[test]
fn a_valid_order_converts_to_the_generated_request() {
    let order = NewOrder::new(220, 31, until())
        .name("n")
        .classes([TariffClass::Econom])
        .bin_range("1", "2");
    let request = order.to_request(today()).expect("valid");
    assert_eq!((request.value, request.count), (220, 31));
    assert_eq!(request.classes, [TariffClass::Econom]);
}

proptest! {
    #[test]
    fn value_passes_exactly_inside_its_service_range(value in -1_000_000i64..1_000_000, index in 0usize..5) {
        let (service, max) = SERVICES[index].clone();
        let fields = broken(&NewOrder::new(value, 20, until()).service(service));
        prop_assert_eq!(fields.is_empty(), (100..=max).contains(&value));
    }

    #[test]
    fn arbitrary_orders_never_panic_and_valid_ones_convert(
        value in any::<i64>(),
        count in any::<i64>(),
        uses in proptest::option::of(any::<i64>()),
        name in proptest::option::of(".{0,300}"),
        days in -400i64..400,
        from_days in proptest::option::of(-400i64..400),
        service in prop_oneof![Just(Service::Taxi), Just(Service::Eats), Just(Service::Fuel), "[a-z]{0,8}".prop_map(|s| Service::from(s.as_str()))],
        bins in proptest::collection::vec(("[0-9a ]{0,21}", "[0-9]{0,21}"), 0..3),
    ) {
        let shift = |d: i64| today().checked_add_signed(chrono::Duration::days(d)).expect("date");
        let mut order = NewOrder::new(value, count, shift(days)).service(service);
        if let Some(uses) = uses { order = order.max_usages_count(uses); }
        if let Some(name) = name { order = order.name(name); }
        if let Some(from) = from_days { order = order.active_from(shift(from)); }
        for (start, end) in bins { order = order.bin_range(start, end); }
        match order.validate(today()) {
            Ok(()) => prop_assert!(order.to_request(today()).is_ok()),
            Err(error) => prop_assert!(!error.violations.is_empty()),
        }
    }

    #[test]
    fn arbitrary_create_requests_parse_validate_and_convert_without_panicking(
        fields in prop::collection::btree_map(
            prop::sample::select(vec![
                "value", "count", "active_until", "active_from", "service", "classes", "name",
                "max_usages_count", "bin_ranges", "bank_name", "geo_restrictions", "extra",
            ]),
            json_value(),
            0..12,
        ),
    ) {
        let body = serde_json::to_vec(&fields).expect("encodes");
        // As the CLI reads a file: the API's shape, then converted to be validated.
        if let Ok(request) = serde_json::from_slice::<PromocodeOrder>(&body) {
            let order = NewOrder::from(request);
            match order.validate(today()) {
                Ok(()) => prop_assert!(order.to_request(today()).is_ok()),
                Err(error) => prop_assert!(!error.violations.is_empty()),
            }
        }
    }
}

/// JSON values of every type, including the shapes the create fields expect.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::{Value, json};
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1e30f64..1e30).prop_map(Value::from),
        "\\PC{0,40}".prop_map(Value::String),
        (-400i64..400).prop_map(|d| json!((today() + chrono::Duration::days(d)).to_string())),
        prop::sample::select(vec![
            "taxi", "eats", "fuel", "grocery", "cargo", "econom", "vip"
        ])
        .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,12}", inner, 0..4)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}
