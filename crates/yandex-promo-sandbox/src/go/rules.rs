//! The service's rules for a create request, written from the vendor's documentation of
//! `PromocodeOrder` (seed 002; `API-NOTES.md` §1), not from any client: the sandbox is a second,
//! independent reading of the same rules, so a test against it can find a client's mistake.
//!
//! A body is checked as JSON, field by field, so that every broken rule is found at once,
//! including values of the wrong type or out of the spec's 32-bit ranges.
//! Each rule is named by the path of the field that breaks it, the way the vendor's error
//! messages name fields: `value`, `classes[1]`, `bin_ranges[0].start`, `geo_restrictions[2]`.
use chrono::{Days, NaiveDate};
use serde::Serialize;
use serde_json::{Map, Value};
use yandex_promo_raw::open::{Service, TariffClass};

/// The fields of a create body.
const FIELDS: [&str; 11] = [
    "name",
    "max_usages_count",
    "value",
    "count",
    "service",
    "classes",
    "active_from",
    "active_until",
    "bin_ranges",
    "bank_name",
    "geo_restrictions",
];

/// A taxi tariff class the docs list (the generated crate's list, which a test there keeps
/// equal to the spec's).
fn is_tariff_class(class: &str) -> bool {
    TariffClass::KNOWN
        .iter()
        .any(|known| known.as_str() == class)
}

/// How far ahead the codes may stay active, counted from the request date.
const MAX_DAYS_AHEAD: u64 = 90;

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Broken {
    /// The field's path, e.g. `bin_ranges[0].start`.
    pub(crate) field: String,
    /// What the rule asks, e.g. `must be between 5 and 1000`.
    pub(crate) rule: String,
}

/// The value range of one code for a service; `None` for a service the docs do not list.
fn value_range(service: &str) -> Option<(i64, i64)> {
    match Service::from(service) {
        Service::Taxi | Service::Fuel | Service::Cargo => Some((100, 5000)),
        Service::Grocery | Service::Eats => Some((100, 30_000)),
        _ => None,
    }
}

/// Collects broken rules while a body is read.
#[derive(Debug, Default)]
struct Findings(Vec<Broken>);

impl Findings {
    fn add(&mut self, field: impl Into<String>, rule: impl Into<String>) {
        self.0.push(Broken {
            field: field.into(),
            rule: rule.into(),
        });
    }

    /// An integer field, or a finding when it is present but not an integer.
    fn integer(&mut self, body: &Map<String, Value>, field: &str) -> Option<i64> {
        let value = body.get(field)?;
        let integer = value.as_i64();
        if integer.is_none() {
            self.add(field, "must be an integer");
        }
        integer
    }

    /// A string field, or a finding when it is present but not a string.
    fn string<'a>(&mut self, body: &'a Map<String, Value>, field: &str) -> Option<&'a str> {
        let value = body.get(field)?;
        let text = value.as_str();
        if text.is_none() {
            self.add(field, "must be a string");
        }
        text
    }

    /// A date field (`YYYY-MM-DD`), or a finding when it is present but not such a date.
    fn date(&mut self, body: &Map<String, Value>, field: &str) -> Option<NaiveDate> {
        let text = self.string(body, field)?;
        let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
        if date.is_none() {
            self.add(field, "must be a date, YYYY-MM-DD");
        }
        date
    }

    /// An array field, or a finding when it is present but not an array.
    fn array<'a>(&mut self, body: &'a Map<String, Value>, field: &str) -> &'a [Value] {
        match body.get(field) {
            None => &[],
            Some(Value::Array(items)) => items,
            Some(_) => {
                self.add(field, "must be an array");
                &[]
            }
        }
    }

    fn within(&mut self, field: &str, value: Option<i64>, (low, high): (i64, i64), what: &str) {
        if value.is_some_and(|value| !(low..=high).contains(&value)) {
            self.add(field, format!("must be between {low} and {high}{what}"));
        }
    }
}

/// Checks a create body against every documented rule, with dates counted from `today`
/// (the request date); returns the broken rules, in field order, empty when it may be created.
pub(crate) fn check_create(body: &Value, today: NaiveDate) -> Vec<Broken> {
    let mut found = Findings::default();
    let Some(body) = body.as_object() else {
        found.add("body", "must be a JSON object");
        return found.0;
    };
    for field in body.keys().filter(|k| !FIELDS.contains(&k.as_str())) {
        found.add(field.as_str(), "is not a field of an order");
    }

    let name = found.string(body, "name");
    if name.is_some_and(|name| !(1..=256).contains(&name.chars().count())) {
        found.add("name", "must be 1 to 256 characters long");
    }
    let uses = found.integer(body, "max_usages_count");
    found.within("max_usages_count", uses, (1, 20), "");

    let service = found.string(body, "service").unwrap_or("taxi");
    let value = found.integer(body, "value");
    if !body.contains_key("value") {
        found.add("value", "is required");
    }
    match value_range(service) {
        Some(range) => found.within("value", value, range, &format!(" for service {service}")),
        None if body.get("service").is_some_and(Value::is_string) => {
            found.add("service", "must be one of taxi, grocery, eats, fuel, cargo");
        }
        None => {}
    }
    let count = found.integer(body, "count");
    if !body.contains_key("count") {
        found.add("count", "is required");
    }
    found.within("count", count, (5, 1000), "");

    let taxi = service == "taxi";
    let classes = found.array(body, "classes");
    if !taxi && !classes.is_empty() {
        found.add("classes", "are allowed for service taxi only");
    }
    for (i, class) in classes.iter().enumerate() {
        if !class.as_str().is_some_and(is_tariff_class) {
            found.add(format!("classes[{i}]"), "must be a known tariff class");
        }
    }

    check_dates(&mut found, body, today);
    check_bin_ranges(&mut found, body);
    if let Some(names) = body.get("bank_name") {
        let by_language = names.as_object();
        if !by_language.is_some_and(|m| m.values().all(Value::is_string)) {
            found.add("bank_name", "must map language codes to names");
        }
    }
    check_geo_restrictions(&mut found, body, taxi);
    found.0
}

fn check_dates(found: &mut Findings, body: &Map<String, Value>, today: NaiveDate) {
    let from = found.date(body, "active_from");
    let until = found.date(body, "active_until");
    if !body.contains_key("active_until") {
        found.add("active_until", "is required");
    }
    let Some(until) = until else { return };
    let last = today
        .checked_add_days(Days::new(MAX_DAYS_AHEAD))
        .unwrap_or(NaiveDate::MAX);
    if until < today {
        found.add(
            "active_until",
            format!("must not be before the request date {today}"),
        );
    } else if until > last {
        found.add(
            "active_until",
            format!("must be at most {MAX_DAYS_AHEAD} days after the request date ({last})"),
        );
    }
    if from.is_some_and(|from| from > until) {
        found.add("active_from", "must not be after active_until");
    }
}

/// A BIN (the spec's `BinNumber`: ASCII digits, at least one, no length documented) as a
/// number that compares correctly at any length: its significant digits, by count first.
fn bin(value: &Value) -> Option<(usize, &str)> {
    let text = value.as_str()?;
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    let significant = text.trim_start_matches('0');
    digits.then_some((significant.len(), significant))
}

fn check_bin_ranges(found: &mut Findings, body: &Map<String, Value>) {
    for (i, range) in found.array(body, "bin_ranges").iter().enumerate() {
        let Some([start, end]) = range.as_array().map(Vec::as_slice) else {
            found.add(format!("bin_ranges[{i}]"), "must be a pair [start, end]");
            continue;
        };
        let (low, high) = (bin(start), bin(end));
        if low.is_none() {
            found.add(
                format!("bin_ranges[{i}].start"),
                "must be a string of digits",
            );
        }
        if high.is_none() {
            found.add(format!("bin_ranges[{i}].end"), "must be a string of digits");
        }
        if let (Some(low), Some(high)) = (low, high)
            && low > high
        {
            found.add(format!("bin_ranges[{i}]"), "must not start after its end");
        }
    }
}

fn check_geo_restrictions(found: &mut Findings, body: &Map<String, Value>, taxi: bool) {
    let restrictions = found.array(body, "geo_restrictions");
    if !taxi && !restrictions.is_empty() {
        found.add("geo_restrictions", "are allowed for service taxi only");
    }
    for (i, restriction) in restrictions.iter().enumerate() {
        let field = format!("geo_restrictions[{i}]");
        let Some(restriction) = restriction.as_object() else {
            found.add(field, "must be an object");
            continue;
        };
        let zones: Vec<&Value> = ["source", "destination"]
            .iter()
            .filter_map(|end| restriction.get(*end))
            .collect();
        let named = |zone: &&Value| {
            zone.get("geo_restriction_id")
                .and_then(Value::as_str)
                .is_some_and(|id| !id.is_empty())
        };
        if zones.is_empty() {
            found.add(field.as_str(), "must have a source or a destination");
        } else if !zones.iter().all(named) {
            found.add(
                field.as_str(),
                "must name each zone by a non-empty geo_restriction_id",
            );
        }
        // The spec's int32: at least 0, at most 2^31 - 1.
        let points = restriction.get("max_intermediate_points");
        let in_range = |p: i64| (0..=i64::from(i32::MAX)).contains(&p);
        if points.is_some_and(|p| p.as_i64().is_none_or(|p| !in_range(p))) {
            found.add(
                format!("{field}.max_intermediate_points"),
                "must be an integer from 0 to 2147483647",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use yandex_promo_test_support::today;

    use super::*;

    fn fields(body: Value) -> Vec<String> {
        check_create(&body, today())
            .into_iter()
            .map(|b| b.field)
            .collect()
    }

    #[test]
    fn the_vendor_example_passes() {
        let body = json!({
            "name": "Spring", "max_usages_count": 2, "value": 220, "count": 30,
            "service": "taxi", "classes": ["econom", "business"],
            "active_from": "2025-03-01", "active_until": "2025-03-31",
            "bin_ranges": [["220000", "220099"]], "bank_name": {"ru": "Банк", "en": "The Bank"},
            "geo_restrictions": [{"source": {"geo_restriction_id": "abc"}, "max_intermediate_points": 1}]
        });
        assert_eq!(fields(body), Vec::<String>::new());
    }

    #[test]
    fn every_broken_rule_is_named_by_its_field() {
        let body = json!({
            "value": 50_000, "count": 2, "service": "fuel", "classes": ["econom", "limo"],
            "active_until": "2025-12-31", "bin_ranges": [["9", "1"], ["x", "1"]],
            "geo_restrictions": [{}], "colour": "red"
        });
        assert_eq!(
            fields(body),
            [
                "colour",
                "value",
                "count",
                "classes",
                "classes[1]",
                "active_until",
                "bin_ranges[0]",
                "bin_ranges[1].start",
                "geo_restrictions",
                "geo_restrictions[0]",
            ]
        );
    }

    #[test]
    fn missing_and_mistyped_fields_are_reported_not_defaulted() {
        assert_eq!(
            fields(json!({"value": "500", "service": 7})),
            ["service", "value", "count", "active_until"]
        );
        assert_eq!(fields(json!([1, 2])), ["body"]);
    }

    #[test]
    fn the_date_window_is_ninety_days_from_the_request_date() {
        let until = |date: &str| fields(json!({"value": 100, "count": 5, "active_until": date}));
        assert!(until("2025-03-01").is_empty());
        assert!(until("2025-05-30").is_empty());
        assert_eq!(until("2025-05-31"), ["active_until"]);
        assert_eq!(until("2025-02-28"), ["active_until"]);
    }
}
