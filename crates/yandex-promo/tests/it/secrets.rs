//! Credentials never appear in Debug output, error messages or log lines.
use std::{
    io::Write,
    sync::{Arc, Mutex},
};

use futures::TryStreamExt as _;
use serde_json::json;
use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};
use yandex_promo::{
    go::GoClient,
    market::{MarketAuth, MarketClient},
};

use crate::support::{API_KEY, TOKEN, go_client, market_client};

/// The secrets, and the distinctive parts of them, none of which may be printed.
fn assert_no_secret(text: &str) {
    for secret in [TOKEN, API_KEY, "secret-oauth-token", "secret-api-key"] {
        assert!(!text.contains(secret), "a secret leaked into: {text}");
    }
}

#[test]
fn debug_output_of_clients_builders_and_credentials_is_redacted() {
    let go_builder = GoClient::builder().token(TOKEN).corp_client_id("corp");
    let go = GoClient::builder().token(TOKEN).build().expect("client");
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
    let error = GoClient::builder()
        .token(format!("{TOKEN}\r\nX-Injected: 1"))
        .build()
        .expect_err("refused");
    assert!(error.to_string().contains("OAuth token"), "{error}");
    assert_no_secret(&error.to_string());
    let error = MarketClient::builder(MarketAuth::api_key(format!("{API_KEY}\n")), 1)
        .build()
        .expect_err("refused");
    assert_no_secret(&format!("{error} {error:?}"));
}

/// A `MakeWriter` that keeps every log line in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn no_log_line_or_error_message_carries_a_secret() {
    let logs = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(logs.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(503)
                .set_body_json(json!({"code": "UNAVAILABLE", "message": "later"})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"code": "UNAUTHORIZED", "message": "bad token"})),
        )
        .mount(&server)
        .await;
    let go_error = go_client(&server)
        .promocodes()
        .order()
        .get("o-1")
        .await
        .expect_err("401");
    let stream_error = go_client(&server)
        .promocodes()
        .order()
        .code()
        .list("o-1")
        .stream()
        .try_collect::<Vec<_>>()
        .await
        .expect_err("401");
    let market_error = market_client(&server)
        .promos()
        .list()
        .send()
        .await
        .expect_err("401");

    let logged = String::from_utf8(logs.0.lock().expect("lock").clone()).expect("UTF-8");
    assert!(
        logged.contains("operation=\"getPromocodeOrder\""),
        "spans are logged: {logged}"
    );
    assert!(
        logged.contains("retrying"),
        "the 503 retry is logged: {logged}"
    );
    assert_no_secret(&logged);
    for error in [
        go_error.to_string(),
        format!("{go_error:?}"),
        stream_error.to_string(),
        format!("{market_error:?}"),
    ] {
        assert_no_secret(&error);
    }
}
