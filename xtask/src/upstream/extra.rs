//! What the upstream check compares beyond `spec-diff`, which reaches schemas only through the
//! operations using them and reads no vendor extension:
//!
//! - `schema-only-upstream` / `schema-only-ours`: a name under `components.schemas` that one
//!   side defines and the other does not (at `components.schemas.<name>`);
//! - `rate-limit-changed`: an operation present on both sides whose `x-resource-limit-config`
//!   differs (at `<METHOD> <path> x-resource-limit-config`). Upstream gives a limit per tier
//!   (`none`, `medium`, beside a `path` key that is not a limit), ours one limit for every
//!   tier: a flat limit stands for every tier the other side names.
use std::collections::BTreeMap;

use serde_yaml::Value;

use super::Drift;

/// The rules these passes report.
pub const RULES: [&str; 3] = [
    "schema-only-upstream",
    "schema-only-ours",
    "rate-limit-changed",
];

/// The methods an operation may sit under, as a path item's keys.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The tier a flat limit applies to: every tier.
const EVERY_TIER: &str = "*";

/// The schemas one side defines and the other does not.
pub fn schemas(upstream: &Value, ours: &Value) -> Vec<Drift> {
    let names = |spec: &Value| -> Vec<String> {
        spec.get("components")
            .and_then(|c| c.get("schemas"))
            .and_then(Value::as_mapping)
            .map(|schemas| {
                schemas
                    .keys()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    let (theirs, ours) = (names(upstream), names(ours));
    let only = |these: &[String], those: &[String], rule: &str, side: &str| -> Vec<Drift> {
        these
            .iter()
            .filter(|name| !those.contains(name))
            .map(|name| Drift {
                rule: rule.to_owned(),
                location: format!("components.schemas.{name}"),
                message: format!("schema {name} is defined {side} only"),
            })
            .collect()
    };
    let mut drifts = only(&theirs, &ours, RULES[0], "upstream");
    drifts.extend(only(&ours, &theirs, RULES[1], "here"));
    drifts
}

/// The operations on both sides whose `x-resource-limit-config` differs.
pub fn rate_limits(upstream: &Value, ours: &Value) -> Vec<Drift> {
    let Some(paths) = upstream.get("paths").and_then(Value::as_mapping) else {
        return Vec::new();
    };
    let mut drifts = Vec::new();
    for (path, item) in paths {
        let Some(path) = path.as_str() else { continue };
        let Some(our_item) = ours.get("paths").and_then(|p| p.get(path)) else {
            continue;
        };
        for method in METHODS {
            let (Some(theirs), Some(mine)) = (item.get(method), our_item.get(method)) else {
                continue;
            };
            let config = |op: &Value| limits(op.get("x-resource-limit-config"));
            let (theirs, mine) = (config(theirs), config(mine));
            if !same(&theirs, &mine) {
                drifts.push(Drift {
                    rule: RULES[2].to_owned(),
                    location: format!("{} {path} x-resource-limit-config", method.to_uppercase()),
                    message: format!("upstream {}, ours {}", show(&theirs), show(&mine)),
                });
            }
        }
    }
    drifts
}

/// A config's limits by tier (`*` for a flat one), each as `5000 per 1 hours`.
fn limits(config: Option<&Value>) -> BTreeMap<String, String> {
    let Some(config) = config else {
        return BTreeMap::new();
    };
    if config.get("amount").is_some() {
        return BTreeMap::from([(EVERY_TIER.to_owned(), limit(config))]);
    }
    config
        .as_mapping()
        .into_iter()
        .flatten()
        .filter(|(_, value)| value.get("amount").is_some())
        .filter_map(|(tier, value)| Some((tier.as_str()?.to_owned(), limit(value))))
        .collect()
}

/// One limit: `amount per period-duration period`.
fn limit(value: &Value) -> String {
    let field = |key: &str| {
        value.get(key).map_or_else(
            || "?".to_owned(),
            |v| match v {
                Value::String(s) => s.clone(),
                other => serde_yaml::to_string(other)
                    .map(|s| s.trim().to_owned())
                    .unwrap_or_default(),
            },
        )
    };
    format!(
        "{} per {} {}",
        field("amount"),
        field("period-duration"),
        field("period")
    )
}

/// Whether two sides set the same limit for every tier either names (a flat limit standing
/// for every tier).
fn same(a: &BTreeMap<String, String>, b: &BTreeMap<String, String>) -> bool {
    if a.is_empty() || b.is_empty() {
        return a.is_empty() && b.is_empty();
    }
    let at = |side: &BTreeMap<String, String>, tier: &str| {
        side.get(tier).or_else(|| side.get(EVERY_TIER)).cloned()
    };
    let tiers: Vec<&String> = a
        .keys()
        .chain(b.keys())
        .filter(|t| *t != EVERY_TIER)
        .collect();
    if tiers.is_empty() {
        return a.get(EVERY_TIER) == b.get(EVERY_TIER);
    }
    tiers.into_iter().all(|tier| at(a, tier) == at(b, tier))
}

fn show(limits: &BTreeMap<String, String>) -> String {
    if limits.is_empty() {
        return "none".to_owned();
    }
    if let (1, Some(flat)) = (limits.len(), limits.get(EVERY_TIER)) {
        return flat.clone();
    }
    let tiers: Vec<String> = limits
        .iter()
        .map(|(tier, limit)| format!("{tier}: {limit}"))
        .collect();
    tiers.join(", ")
}
