//! Tests of the upstream check: the repository's own files pass, and each kind of drift a
//! change to either side can cause is caught; the allow-list's rules (reasons, rules, stale
//! entries, the commit) and the glob.
use std::path::{Path, PathBuf};

use serde_yaml::{Mapping, Value};

use super::{ALLOW, AllowList, BUNDLE, Drift, OURS, Report, allow::glob, check, run};

const OFFERS: &str = "/v2/businesses/{businessId}/promos/offers";
const UPDATE: &str = "/v2/businesses/{businessId}/promos/offers/update";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
        .to_path_buf()
}

fn read(file: &str) -> String {
    std::fs::read_to_string(root().join(file)).unwrap_or_else(|e| panic!("reading {file}: {e}"))
}

/// The vendored bundle, our spec and the reviewed allow-list.
fn real() -> (String, String, AllowList) {
    let allow = AllowList::parse(&read(ALLOW)).expect("the allow-list parses");
    (read(BUNDLE), read(OURS), allow)
}

/// `text` parsed, changed by `change`, written back as YAML, with the comment lines it
/// started with (the bundle's header) kept.
fn edit(text: &str, change: impl FnOnce(&mut Value)) -> String {
    let mut spec: Value = serde_yaml::from_str(text).expect("the spec parses");
    change(&mut spec);
    let header: String = text
        .lines()
        .take_while(|line| line.starts_with('#'))
        .map(|line| format!("{line}\n"))
        .collect();
    header + &serde_yaml::to_string(&spec).expect("the spec serialises")
}

/// The mapping at `path` (keys from the document's root).
fn at<'v>(spec: &'v mut Value, path: &[&str]) -> &'v mut Mapping {
    path.iter()
        .fold(spec, |value, key| {
            value
                .get_mut(*key)
                .unwrap_or_else(|| panic!("no {key} on the way to {path:?}"))
        })
        .as_mapping_mut()
        .unwrap_or_else(|| panic!("{path:?} is not a mapping"))
}

fn schema<'v>(spec: &'v mut Value, name: &str) -> &'v mut Mapping {
    at(spec, &["components", "schemas", name])
}

/// The unallowed differences as `(rule, location)`.
fn unallowed(report: &Report) -> Vec<(&str, &str)> {
    report
        .unallowed
        .iter()
        .map(|d| (d.rule.as_str(), d.location.as_str()))
        .collect()
}

/// Our spec changed by `change`, checked against the real bundle and allow-list.
fn check_ours(change: impl FnOnce(&mut Value)) -> Report {
    let (upstream, ours, allow) = real();
    check(&upstream, &edit(&ours, change), &allow).expect("the check runs")
}

/// The bundle changed by `change`, checked against our real spec and allow-list.
fn check_upstream(change: impl FnOnce(&mut Value)) -> Report {
    let (upstream, ours, allow) = real();
    check(&edit(&upstream, change), &ours, &allow).expect("the check runs")
}

#[test]
fn our_spec_matches_the_vendored_upstream_with_the_reviewed_allow_list() {
    let (upstream, ours, allow) = real();
    let report = check(&upstream, &ours, &allow).expect("the check runs");
    assert!(
        report.unallowed.is_empty(),
        "unallowed: {:#?}",
        report.unallowed
    );
    assert!(report.stale.is_empty(), "stale entries: {:?}", report.stale);
    assert!(report.is_clean());
    assert!(!report.allowed.is_empty());
    // Every reviewed entry has something to allow, by construction of "not stale".
    for index in 0..allow.entries.len() {
        assert!(report.allowed.iter().any(|(_, i)| *i == index));
    }
}

#[test]
fn the_command_passes_on_the_workspace_and_fails_on_a_drifted_copy() {
    run(&root(), true).expect("the workspace passes");

    let dir = std::env::temp_dir().join(format!("xtask-upstream-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (upstream, ours, _) = real();
    let drifted = edit(&ours, |spec| {
        let properties = at(
            spec,
            &[
                "components",
                "schemas",
                "PromoOfferDiscountParamsDTO",
                "properties",
            ],
        );
        properties.remove("maxPromoPrice");
    });
    for (file, text) in [(BUNDLE, upstream), (OURS, drifted), (ALLOW, read(ALLOW))] {
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("dir");
        std::fs::write(path, text).expect("write");
    }
    let outcome = run(&dir, false);
    let _ = std::fs::remove_dir_all(&dir);
    let error = outcome.expect_err("a drifted spec fails");
    assert!(format!("{error:#}").contains("drifted from the official spec"));
}

#[test]
fn the_real_bundle_is_the_vendored_commit() {
    let (upstream, _, allow) = real();
    let source = super::source_line(&upstream).expect("the bundle has a Source line");
    assert_eq!(
        super::header_commit(source),
        Some(allow.upstream.commit.as_str())
    );
    assert_eq!(allow.upstream.commit.len(), 40);
}

#[test]
fn removing_a_schema_field_from_our_spec_fails_the_check() {
    let report = check_ours(|spec| {
        let properties = at(
            spec,
            &[
                "components",
                "schemas",
                "PromoOfferDiscountParamsDTO",
                "properties",
            ],
        );
        assert!(properties.remove("maxPromoPrice").is_some());
    });
    assert!(!report.is_clean());
    assert_eq!(
        unallowed(&report),
        [(
            "response-property-removed",
            "POST /v2/businesses/{businessId}/promos/offers 200 application/json result.offers[].params.discountParams.maxPromoPrice"
        )]
    );
    assert!(report.stale.is_empty());
}

#[test]
fn removing_a_request_field_a_required_entry_an_enum_value_or_a_status_code_fails() {
    let request_field = check_ours(|spec| {
        let properties = at(
            spec,
            &[
                "components",
                "schemas",
                "UpdatePromoOfferDiscountParamsDTO",
                "properties",
            ],
        );
        assert!(properties.remove("promoPrice").is_some());
    });
    let location =
        format!("POST {UPDATE} request application/json offers[].params.discountParams.promoPrice");
    assert_eq!(
        unallowed(&request_field),
        [("request-property-removed", location.as_str())]
    );

    let required = check_ours(|spec| {
        let required = schema(spec, "GetPromoOfferDTO")
            .get_mut("required")
            .and_then(Value::as_sequence_mut)
            .expect("GetPromoOfferDTO.required");
        required.retain(|name| name.as_str() != Some("status"));
    });
    let location = format!("POST {OFFERS} 200 application/json result.offers[].status");
    assert_eq!(
        unallowed(&required),
        [("response-property-made-optional", location.as_str())]
    );

    let enum_value = check_ours(|spec| {
        let values = schema(spec, "PromoOfferParticipationStatusType")
            .get_mut("enum")
            .and_then(Value::as_sequence_mut)
            .expect("PromoOfferParticipationStatusType.enum");
        values.retain(|value| value.as_str() != Some("MINIMUM_FOR_PROMOS"));
    });
    assert_eq!(
        unallowed(&enum_value),
        [("response-enum-value-removed", location.as_str())]
    );
    assert!(
        enum_value.unallowed[0]
            .message
            .contains("MINIMUM_FOR_PROMOS")
    );

    let status = check_ours(|spec| {
        let responses = at(spec, &["paths", UPDATE, "post", "responses"]);
        assert!(responses.remove("420").is_some());
    });
    let location = format!("POST {UPDATE} 420");
    assert_eq!(
        unallowed(&status),
        [("response-status-removed", location.as_str())]
    );
    // The 420's rate-limit headers went with it; the entry allowing them still matches others.
    assert!(status.stale.is_empty());
}

#[test]
fn a_schema_only_one_side_defines_is_reported() {
    let report = check_ours(|spec| {
        let schemas = at(spec, &["components", "schemas"]);
        // Not PromoOfferBestPriceLevelsDTO: that one is ours only, and allowed.
        let unreviewed: Value =
            serde_yaml::from_str("{type: object, properties: {level: {type: integer}}}")
                .expect("yaml");
        schemas.insert("PromoOfferUnreviewedDTO".into(), unreviewed);
    });
    assert_eq!(
        unallowed(&report),
        [(
            "schema-only-ours",
            "components.schemas.PromoOfferUnreviewedDTO"
        )]
    );

    let report = check_upstream(|spec| {
        let schemas = at(spec, &["components", "schemas"]);
        assert!(schemas.remove("ApiErrorDTO").is_some());
    });
    // Upstream's error schema losing a referenced part shows up where it is used too; the one
    // asserted here is the name-only pass.
    assert!(
        unallowed(&report).contains(&("schema-only-ours", "components.schemas.ApiErrorDTO")),
        "{:#?}",
        report.unallowed
    );
}

#[test]
fn upstream_catching_up_makes_an_entry_stale() {
    // Upstream moves its `deprecated` off the `$ref`, as ours does: the difference is gone.
    let report = check_upstream(|spec| {
        let properties = at(
            spec,
            &[
                "components",
                "schemas",
                "GetPromoOffersRequest",
                "properties",
            ],
        );
        let status_type = properties
            .get_mut("statusType")
            .and_then(Value::as_mapping_mut)
            .expect("statusType");
        let reference = status_type.remove("$ref").expect("a $ref");
        let mut part = Mapping::new();
        part.insert("$ref".into(), reference);
        status_type.insert("allOf".into(), Value::Sequence(vec![Value::Mapping(part)]));
    });
    let (_, _, allow) = real();
    assert!(report.unallowed.is_empty(), "{:#?}", report.unallowed);
    assert_eq!(report.stale, [1]);
    assert_eq!(allow.entries[1].rule, "deprecation-changed");
    assert!(!report.is_clean());
}

#[test]
fn an_entry_without_a_reason_or_with_an_unknown_rule_is_refused() {
    let list = |entry: &str| {
        format!(
            "upstream: {{repository: a/b, commit: c0ffee, date: 2026-07-17}}\nallow:\n  - {entry}\n"
        )
    };
    let good = list("{rule: response-header-added, at: '* header X-*', reason: documented}");
    assert_eq!(
        AllowList::parse(&good).expect("a good list").entries.len(),
        1
    );
    let extra = list("{rule: schema-only-upstream, at: components.schemas.A, reason: renamed}");
    assert!(
        AllowList::parse(&extra).is_ok(),
        "the extra passes' rules are known"
    );

    for (entry, expected) in [
        (
            "{rule: response-header-added, at: '* header X-*', reason: ''}",
            "needs a reason",
        ),
        (
            "{rule: response-header-added, at: '* header X-*', reason: '  '}",
            "needs a reason",
        ),
        (
            "{rule: response-header-added, at: '* header X-*'}",
            "reason",
        ),
        (
            "{rule: response-header-appeared, at: '* header X-*', reason: documented}",
            "unknown rule",
        ),
        (
            "{rule: response-header-added, at: '', reason: documented}",
            "`at` is empty",
        ),
        (
            "{rule: response-header-added, at: 'x', reason: documented, note: extra}",
            "unknown field",
        ),
    ] {
        let error = AllowList::parse(&list(entry)).expect_err(entry);
        let text = format!("{error:#}");
        assert!(text.contains(expected), "{entry}: {text}");
    }
}

#[test]
fn a_changed_rate_limit_is_reported() {
    let report = check_upstream(|spec| {
        let config = at(spec, &["paths", UPDATE, "post", "x-resource-limit-config"]);
        for tier in ["none", "medium"] {
            let tier = config
                .get_mut(tier)
                .and_then(Value::as_mapping_mut)
                .expect("a tier");
            tier.insert("amount".into(), 10_000.into());
        }
    });
    let location = format!("POST {UPDATE} x-resource-limit-config");
    assert_eq!(
        unallowed(&report),
        [("rate-limit-changed", location.as_str())]
    );
    let message = &report.unallowed[0].message;
    assert!(message.contains("10000 per 1 hours"), "{message}");
    assert!(message.contains("ours 5000 per 1 hours"), "{message}");

    // One tier alone differing counts too, and so does a limit only one side sets.
    let one_tier = check_upstream(|spec| {
        let config = at(spec, &["paths", UPDATE, "post", "x-resource-limit-config"]);
        let medium = config
            .get_mut("medium")
            .and_then(Value::as_mapping_mut)
            .expect("medium");
        medium.insert("period".into(), "minutes".into());
    });
    assert_eq!(
        unallowed(&one_tier),
        [("rate-limit-changed", location.as_str())]
    );
    let dropped = check_ours(|spec| {
        let operation = at(spec, &["paths", UPDATE, "post"]);
        assert!(operation.remove("x-resource-limit-config").is_some());
    });
    assert_eq!(
        unallowed(&dropped),
        [("rate-limit-changed", location.as_str())]
    );
    assert!(dropped.unallowed[0].message.ends_with("ours none"));
}

#[test]
fn descriptions_and_examples_never_count() {
    let report = check_ours(|spec| {
        at(spec, &["info"]).insert("title".into(), "Renamed".into());
        let operation = at(spec, &["paths", OFFERS, "post"]);
        operation.insert("summary".into(), "Another summary".into());
        operation.insert("description".into(), "Another description".into());
        let discount = schema(spec, "PromoOfferDiscountParamsDTO");
        discount.insert("description".into(), "Changed".into());
        discount.insert(
            "example".into(),
            serde_yaml::from_str("{price: 1}").expect("yaml"),
        );
        let request = at(
            spec,
            &[
                "paths",
                UPDATE,
                "post",
                "requestBody",
                "content",
                "application/json",
            ],
        );
        request.remove("example");
        request.remove("examples");
    });
    assert!(
        report.is_clean(),
        "{:#?} {:?}",
        report.unallowed,
        report.stale
    );

    let changed_text = |spec: &mut Value| {
        let price = at(
            spec,
            &[
                "components",
                "schemas",
                "PromoOfferDiscountParamsDTO",
                "properties",
                "price",
            ],
        );
        price.insert("description".into(), "Другое описание".into());
    };
    let report = check_upstream(changed_text);
    assert!(report.is_clean(), "{:#?}", report.unallowed);
}

#[test]
fn glob_matches_runs_and_literals() {
    for (pattern, text) in [
        ("abc", "abc"),
        ("*", ""),
        ("*", "anything at all"),
        ("a*", "a"),
        ("a*c", "abbbc"),
        ("*c", "abc"),
        ("a*b*c", "axxbyyc"),
        ("a*b*c", "abcbc"),
        (
            "* header X-RateLimit-Resource-*",
            "POST /p 200 header X-RateLimit-Resource-Until",
        ),
        (
            "components.schemas.Api*ErrorResponse",
            "components.schemas.ApiLimitErrorResponse",
        ),
        ("POST /v2/{businessId}/x", "POST /v2/{businessId}/x"),
    ] {
        assert!(glob(pattern, text), "{pattern:?} should match {text:?}");
    }
    for (pattern, text) in [
        ("abc", "abcd"),
        ("abc", "ab"),
        ("a*c", "abcd"),
        ("*c", "cb"),
        ("", "a"),
        ("a?c", "abc"),
        ("a.c", "abc"),
        (
            "components.schemas.Api*ErrorResponse",
            "components.schemas.ApiErrorDTO",
        ),
        (
            "* header X-RateLimit-Resource-*",
            "POST /p 200 header X-Other",
        ),
    ] {
        assert!(
            !glob(pattern, text),
            "{pattern:?} should not match {text:?}"
        );
    }
}

#[test]
fn the_allow_list_commit_must_match_the_bundle_header() {
    let (upstream, ours, mut allow) = real();
    allow.upstream.commit = "0000000000000000000000000000000000000000".to_owned();
    let error = check(&upstream, &ours, &allow).expect_err("another commit");
    let text = format!("{error:#}");
    assert!(
        text.contains("1318e9b848591f069059eeebf777f1f5bb439743"),
        "{text}"
    );
    assert!(
        text.contains("0000000000000000000000000000000000000000"),
        "{text}"
    );

    let (_, _, allow) = real();
    let headless: String = upstream
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| format!("{line}\n"))
        .collect();
    let error = check(&headless, &ours, &allow).expect_err("no header");
    assert!(format!("{error:#}").contains("no `# Source:"));

    let (_, _, mut allow) = real();
    allow.upstream.date = "2026-07-18".to_owned();
    assert!(
        check(&upstream, &ours, &allow).is_err(),
        "the date is checked too"
    );
}

#[test]
fn a_drift_is_allowed_by_the_first_entry_of_its_rule_that_matches() {
    let allow = AllowList::parse(
        "upstream: {repository: a/b, commit: c, date: d}\nallow:\n  - {rule: response-header-added, at: 'GET /a *', reason: one}\n  - {rule: response-header-added, at: '*', reason: two}\n",
    )
    .expect("a list");
    let drift = |rule: &str, location: &str| Drift {
        rule: rule.to_owned(),
        location: location.to_owned(),
        message: String::new(),
    };
    assert_eq!(
        allow.find(&drift("response-header-added", "GET /a 200 header X")),
        Some(0)
    );
    assert_eq!(
        allow.find(&drift("response-header-added", "GET /b 200 header X")),
        Some(1)
    );
    assert_eq!(
        allow.find(&drift("response-header-removed", "GET /a 200 header X")),
        None
    );
}
