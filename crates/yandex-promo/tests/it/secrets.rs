//! Credentials never appear in Debug output, error messages or log lines.
use yandex_promo::{
    go::GoClient,
    market::{MarketAuth, MarketClient},
};

use crate::support::{API_KEY, TOKEN, assert_no_secret};

#[test]
fn debug_output_of_clients_builders_and_credentials_is_redacted() {
    let go_builder = GoClient::builder(TOKEN).corp_client_id("corp");
    let go = GoClient::builder(TOKEN).build().expect("client");
    let market_builder = MarketClient::builder(MarketAuth::api_key(API_KEY), 1);
    let market = MarketClient::builder(MarketAuth::api_key(API_KEY), 1)
        .build()
        .expect("client");
    let printed = format!(
        "{go_builder:?} {go:?} {market_builder:?} {market:?} {:?} {:?} {:?}",
        MarketAuth::oauth(TOKEN),
        go.raw(),
        market.raw()
    );
    assert_no_secret(&printed);
}

#[test]
fn a_credential_with_control_characters_is_refused_without_echoing_it() {
    let error = GoClient::builder(format!("{TOKEN}\r\nX-Injected: 1"))
        .build()
        .expect_err("refused");
    assert!(error.to_string().contains("OAuth token"), "{error}");
    assert_no_secret(&error.to_string());
    let error = MarketClient::builder(MarketAuth::api_key(format!("{API_KEY}\n")), 1)
        .build()
        .expect_err("refused");
    assert_no_secret(&format!("{error} {error:?}"));
}
