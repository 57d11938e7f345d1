//! The open enums list exactly the spec's values, and round-trip every value, known or not.
use serde_json::Value;
use yandex_promo_raw::open::{
    ApiResponseStatusType, ChannelType, ClientRole, CodeStatus, GeoType, MechanicsType,
    OrderStatus, PromoOfferParticipationStatusType, PromoOfferUpdateWarningCodeType,
    PromoParticipationType, RejectedPromoOfferDeleteReasonType, RejectedPromoOfferUpdateReasonType,
    Service, TariffClass,
};

use crate::fixture_spec;

/// The wire values of an open enum, in declaration order.
macro_rules! known {
    ($name:ident) => {
        (
            stringify!($name),
            $name::KNOWN
                .iter()
                .map(|v| v.as_str().to_owned())
                .collect::<Vec<_>>(),
        )
    };
}

/// A schema's listed values: `enum`, or `x-extensible-enum` for the open statuses.
fn spec_values(spec: &Value, schema: &str) -> Vec<String> {
    let schema = &spec["components"]["schemas"][schema];
    let list = schema
        .get("enum")
        .or_else(|| schema.get("x-extensible-enum"))
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("{schema} lists no values"));
    list.iter()
        .map(|v| v.as_str().expect("string values").to_owned())
        .collect()
}

#[test]
fn every_open_enum_lists_the_spec_values_in_the_spec_order() {
    let ours = [
        known!(OrderStatus),
        known!(CodeStatus),
        known!(Service),
        known!(TariffClass),
        known!(GeoType),
        known!(ClientRole),
        known!(ChannelType),
        known!(MechanicsType),
        known!(ApiResponseStatusType),
        known!(PromoParticipationType),
        known!(PromoOfferParticipationStatusType),
        known!(RejectedPromoOfferUpdateReasonType),
        known!(RejectedPromoOfferDeleteReasonType),
        known!(PromoOfferUpdateWarningCodeType),
    ];
    let mut compared = 0;
    for api in yandex_promo_codegen::APIS {
        let spec: Value = serde_json::from_str(&fixture_spec(api.spec_stem)).expect("JSON");
        for (schema, rust_type) in api.replacements {
            if !rust_type.starts_with("crate::open::") {
                continue;
            }
            let (_, values) = ours
                .iter()
                .find(|(name, _)| name == schema)
                .unwrap_or_else(|| panic!("the open enum {schema} is not compared here"));
            assert_eq!(values, &spec_values(&spec, schema), "{schema}");
            compared += 1;
        }
    }
    assert_eq!(
        compared,
        ours.len(),
        "every open enum replaces a spec schema"
    );
}

#[test]
fn every_known_value_round_trips_through_serde_and_from_str() {
    for channel in ChannelType::KNOWN {
        let wire = serde_json::to_string(channel).expect("serialises");
        assert_eq!(
            &serde_json::from_str::<ChannelType>(&wire).expect("decodes"),
            channel
        );
        assert_eq!(
            &channel.as_str().parse::<ChannelType>().expect("parses"),
            channel
        );
        assert!(!channel.is_unknown());
    }
}

#[test]
fn an_unknown_value_is_kept_verbatim() {
    let status: OrderStatus = serde_json::from_str(r#""on_hold""#).expect("decodes");
    assert!(status.is_unknown());
    assert_eq!(status.to_string(), "on_hold");
    assert_eq!(
        serde_json::to_string(&status).expect("serialises"),
        r#""on_hold""#
    );
}

#[test]
fn a_non_string_is_an_error_not_an_unknown_value() {
    assert!(serde_json::from_str::<OrderStatus>("42").is_err());
}
