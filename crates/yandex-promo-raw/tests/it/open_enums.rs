//! The open enums round-trip every value, known or not.
use yandex_promo_raw::open::{ChannelType, OrderStatus, TariffClass};

#[test]
fn every_known_value_round_trips_through_serde_and_from_str() {
    assert_eq!(
        ChannelType::KNOWN.len(),
        19,
        "the official spec lists 19 channels"
    );
    assert_eq!(TariffClass::KNOWN.len(), 13);
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
