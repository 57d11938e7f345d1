//! Log lines and error messages carry no credentials. A test binary of its own: `tracing`
//! caches per-callsite interest process-wide, so a thread-local subscriber is only reliable
//! when no other test in the process touches the same callsites at the same time.
use std::{
    io::Write,
    sync::{Arc, Mutex},
};

use futures::TryStreamExt as _;
use serde_json::json;
use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};

#[path = "it/support.rs"]
#[allow(dead_code, unused_imports)]
mod support;

use support::{assert_no_secret, go_client, market_client};

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
    // The tracing observer adds one event per attempt to the span every attempt has.
    let observed = yandex_promo::go::GoClient::builder(support::TOKEN)
        .base_url(format!("{}/integration/2.0", server.uri()))
        .retry(support::fast_retries())
        .observer(Arc::new(yandex_promo::TracingObserver))
        .build()
        .expect("client");
    let go_error = observed
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
    // OpenTelemetry's HTTP attribute names on the span: the retry's warning is logged inside
    // it, after the failed attempt's status was recorded.
    let retrying = logged
        .lines()
        .find(|line| line.contains("retrying"))
        .expect("the retry is logged");
    for field in [
        "yandex_promo.operation=\"getPromocodeOrder\"",
        "http.request.method=\"GET\"",
        "url.template=\"/promocodes/orders/info\"",
        "server.address=\"127.0.0.1\"",
        "http.request.resend_count=0",
        "http.response.status_code=503",
        "error.type=\"503\"",
    ] {
        assert!(
            retrying.contains(field),
            "{field} is on the span: {retrying}"
        );
    }
    // The same names on the tracing observer's event of each attempt.
    for field in [
        "yandex_promo.operation=\"getPromocodeOrder\"",
        "http.request.method=\"GET\"",
        "url.template=\"/promocodes/orders/info\"",
        "server.address=\"127.0.0.1\"",
        "http.request.resend_count=1",
        "http.response.status_code=503",
        "error.type=\"503\"",
        "yandex_promo.retry_after_ms=",
        "http.response.status_code=401",
    ] {
        assert!(logged.contains(field), "{field} is logged: {logged}");
    }
    assert!(
        logged.contains("retrying"),
        "the 503 retry is logged: {logged}"
    );
    // An error code the crate does not know is reported once, like any open enum's value.
    let unknown: Vec<_> = logged
        .lines()
        .filter(|line| line.contains("unknown value of an open enum"))
        .collect();
    assert_eq!(unknown.len(), 1, "one warning: {logged}");
    assert!(
        unknown[0].contains("type=\"ErrorCode\"") && unknown[0].contains("UNAVAILABLE"),
        "it names the type and the value: {}",
        unknown[0]
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
